//! The import dialog: a preview of the spreadsheet's first rows and the column for
//! each field, adjustable before importing. Files dropped on the window open it.

use std::path::{Path, PathBuf};

use egui::{Modal, RichText, Ui, vec2};

use crate::formats::ImportError;
use crate::formats::csv_import::{ColumnMapping, CsvOptions, CsvPreview, Field, preview_csv};
use crate::gui::app::{AppCommand, QuipuApp};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::ImportRequest;

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 6;

/// The import dialog's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDialog {
    /// The file.
    pub path: PathBuf,
    /// Its first rows.
    pub preview: CsvPreview,
    /// The column chosen for each field.
    pub mapping: ColumnMapping,
    /// What separates code names.
    pub codes_separator: String,
    /// Who the file's codes are attributed to.
    pub coder: String,
    /// The last error, naming the row and column.
    pub error: Option<String>,
    /// The result of "check without importing".
    pub checked: Option<String>,
}

impl ImportDialog {
    /// Reads the start of `path` and guesses the mapping.
    pub fn open(path: &Path, coder: String) -> Result<Self, ImportError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| ImportError::Io { file: file.clone(), source })?;
        let preview = preview_csv(&bytes, &file, PREVIEW_ROWS)?;
        Ok(Self {
            path: path.to_owned(),
            mapping: preview.mapping.clone(),
            preview,
            codes_separator: ";".to_owned(),
            coder,
            error: None,
            checked: None,
        })
    }

    /// The request for the background import.
    pub fn request(&self, project: &Path, dry_run: bool) -> ImportRequest {
        ImportRequest {
            project: project.to_owned(),
            file: self.path.clone(),
            mapping: self.mapping.clone(),
            options: CsvOptions { map: Vec::new(), codes_separator: self.codes_separator.clone() },
            coder: self.coder.clone(),
            dry_run,
        }
    }
}

/// The field's name for people.
pub fn field_label(tr: Tr, field: Field) -> &'static str {
    tr.t(match field {
        Field::Id => Msg::FieldId,
        Field::Case => Msg::Case,
        Field::Source => Msg::Source,
        Field::Speaker => Msg::Speaker,
        Field::Role => Msg::FieldRole,
        Field::Place => Msg::FieldPlace,
        Field::Date => Msg::FieldDate,
        Field::Interviewer => Msg::FieldInterviewer,
        Field::Original => Msg::Original,
        Field::Translation => Msg::Translation,
        Field::OriginalLang => Msg::FieldOriginalLang,
        Field::TranslationLang => Msg::FieldTranslationLang,
        Field::Status => Msg::FieldStatus,
        Field::Codes => Msg::FieldCodes,
        Field::Memo => Msg::Memo,
    })
}

/// Draws the import dialog when open.
pub fn import_dialog_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let busy = app.jobs.running.is_some();
    let project = app.session.as_ref().and_then(|s| s.store.path().map(Path::to_path_buf));
    let Some(dialog) = &mut app.ui.import_dialog else {
        return;
    };
    let mut start: Option<bool> = None;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        ui.set_width(760.0);
        ui.heading(tr.t(Msg::ImportTitle));
        ui.label(RichText::new(dialog.path.display().to_string()).monospace());
        ui.add_space(6.0);
        ui.columns(2, |columns| {
            columns[0].strong(tr.t(Msg::ColumnFor));
            mapping_ui(&mut columns[0], tr, dialog);
            columns[1].strong(tr.t(Msg::CodesSeparator));
            let label = columns[1].label(tr.t(Msg::CodesSeparator));
            columns[1]
                .add(egui::TextEdit::singleline(&mut dialog.codes_separator).desired_width(40.0))
                .labelled_by(label.id);
            columns[1].add_space(6.0);
            let label = columns[1].label(tr.t(Msg::Coder));
            columns[1].text_edit_singleline(&mut dialog.coder).labelled_by(label.id);
        });
        ui.add_space(6.0);
        ui.strong(tr.t(Msg::FirstRows));
        preview_ui(ui, &dialog.preview);
        if let Some(error) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let Some(checked) = &dialog.checked {
            ui.label(checked);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.add_enabled(!busy, egui::Button::new(tr.t(Msg::Import))).clicked() {
                start = Some(false);
            }
            if ui.add_enabled(!busy, egui::Button::new(tr.t(Msg::Check))).clicked() {
                start = Some(true);
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                close = true;
            }
            if busy {
                ui.spinner();
            }
        });
    });
    if let (Some(dry_run), Some(project)) = (start, project) {
        dialog.error = None;
        dialog.checked = None;
        let request = dialog.request(&project, dry_run);
        app.jobs.import(ctx, request, tr);
    }
    if close || (modal.should_close() && !busy) {
        if busy {
            app.pending.push(AppCommand::CancelJob);
        }
        app.ui.import_dialog = None;
    }
}

fn mapping_ui(ui: &mut Ui, tr: Tr, dialog: &mut ImportDialog) {
    egui::Grid::new("import_mapping").num_columns(2).spacing(vec2(8.0, 3.0)).show(ui, |ui| {
        for field in Field::ALL {
            let label = ui.label(field_label(tr, field));
            let mut column = dialog.mapping.column(field);
            let shown = column
                .and_then(|index| dialog.mapping.headers.get(index).cloned())
                .unwrap_or_else(|| tr.t(Msg::NotImported).to_owned());
            egui::ComboBox::from_id_salt(("map_field", field.name()))
                .selected_text(shown)
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut column, None, tr.t(Msg::NotImported));
                    for (index, header) in dialog.mapping.headers.iter().enumerate() {
                        ui.selectable_value(&mut column, Some(index), header);
                    }
                })
                .response
                .labelled_by(label.id);
            if column != dialog.mapping.column(field) {
                dialog.mapping.set(field, column);
                dialog.checked = None;
            }
            ui.end_row();
        }
    });
}

fn preview_ui(ui: &mut Ui, preview: &CsvPreview) {
    egui::ScrollArea::both().max_height(180.0).id_salt("import_preview").show(ui, |ui| {
        egui::Grid::new("import_preview_grid").striped(true).show(ui, |ui| {
            for header in &preview.headers {
                ui.strong(header);
            }
            ui.end_row();
            for row in &preview.rows {
                for cell in row {
                    let short: String = cell.chars().take(40).collect();
                    let text = if cell.chars().count() > 40 { format!("{short}…") } else { short };
                    ui.label(text.replace('\n', " ")).on_hover_text(cell);
                }
                ui.end_row();
            }
        });
    });
}

/// Opens the import dialog for a CSV file dropped on the window, and says what
/// dropping will do while a file hovers.
pub fn handle_dropped_files(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    let (hovering, dropped) = ui.input(|input| {
        (
            !input.raw.hovered_files.is_empty(),
            input.raw.dropped_files.iter().map(|file| file.path().to_path_buf()).collect::<Vec<_>>(),
        )
    });
    if hovering {
        let rect = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop")));
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(140));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            tr.t(Msg::DropToImport),
            egui::TextStyle::Heading.resolve(ui.style()),
            egui::Color32::WHITE,
        );
    }
    if let Some(path) = dropped.into_iter().next() {
        app.pending.push(AppCommand::StartImport(path));
    }
}
