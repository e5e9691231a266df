//! The CSV import dialog: a preview of the spreadsheet's first rows and the
//! column for each field, adjustable before importing (and remembered for the
//! file). It scrolls on a small screen and keeps its buttons in view. A file
//! dropped on the window opens the dialog for its kind: a spreadsheet this
//! one, a transcript the transcript dialog, a REFI-QDA file its import.

use egui::{Modal, RichText, Ui, vec2};

use super::PanelContext;
use super::widgets::dialog_max_size;
use crate::formats::csv_import::{CsvPreview, Field};
use crate::gui::command::AppCommand;
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::{PickPurpose, TRANSCRIPT_EXTENSIONS};
use crate::gui::state::ImportDialog;

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
pub fn import_dialog_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<ImportDialog>) {
    let tr = app.tr;
    let busy = app.busy();
    let Some(dialog) = open.as_mut() else {
        return;
    };
    let max = dialog_max_size(ctx);
    let mut start: Option<bool> = None;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        let width = 760.0f32.min(max.x - 32.0);
        ui.set_width(width);
        ui.heading(tr.t(Msg::ImportTitle));
        ui.add(egui::Label::new(RichText::new(dialog.path.display().to_string()).monospace()).truncate());
        // The buttons stay below the scrolling part, always on screen.
        let buttons_height = 3.0 * ui.spacing().interact_size.y + 24.0;
        let heading_height = 2.0 * ui.spacing().interact_size.y + 40.0;
        egui::ScrollArea::vertical()
            .id_salt("import_dialog_body")
            .max_height((max.y - buttons_height - heading_height).max(80.0))
            .show(ui, |ui| {
                if dialog.mapping_remembered {
                    ui.weak(tr.t(Msg::MappingRemembered));
                }
                if width > 560.0 {
                    ui.columns(2, |columns| {
                        columns[0].strong(tr.t(Msg::ColumnFor));
                        mapping_ui(&mut columns[0], tr, dialog);
                        options_ui(&mut columns[1], tr, dialog);
                    });
                } else {
                    ui.strong(tr.t(Msg::ColumnFor));
                    mapping_ui(ui, tr, dialog);
                    options_ui(ui, tr, dialog);
                }
                ui.add_space(6.0);
                ui.strong(tr.t(Msg::FirstRows));
                preview_ui(ui, &dialog.preview);
                if let (Some(summary), Some(view)) = (dialog.check_summary.clone(), app.view) {
                    ui.add_space(6.0);
                    codes_check_ui(ui, tr, view, &summary, &mut dialog.code_choices);
                }
            });
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
    if let Some(dry_run) = start {
        app.push(AppCommand::RunImport { dry_run });
    }
    if close || (modal.should_close() && !busy) {
        app.push(AppCommand::CloseImport);
    }
}

/// After a check: the code names read as existing codes, and the new ones, each
/// of which can be read as an existing code instead.
fn codes_check_ui(
    ui: &mut Ui,
    tr: Tr,
    view: &crate::gui::view_model::ViewModel,
    summary: &crate::store::ImportSummary,
    choices: &mut Vec<(String, crate::model::CodeId)>,
) {
    if !summary.matched_codes.is_empty() {
        ui.strong(tr.t(Msg::CodesMatched));
        let matched: Vec<String> =
            summary.matched_codes.iter().map(|(written, code)| format!("{written}: {code}")).collect();
        ui.add(egui::Label::new(matched.join(" · ")).wrap());
    }
    if summary.new_codes.is_empty() {
        return;
    }
    ui.strong(tr.t(Msg::CodesNew));
    egui::Grid::new("import_new_codes").num_columns(2).spacing(vec2(8.0, 3.0)).show(ui, |ui| {
        for written in &summary.new_codes {
            let label = ui.label(written);
            let mut chosen = choices.iter().find(|(value, _)| value == written).map(|(_, code_id)| *code_id);
            let shown = chosen
                .and_then(|code_id| view.code_row(code_id))
                .map_or_else(|| tr.t(Msg::CreateIt).to_owned(), |row| row.path.clone());
            egui::ComboBox::from_id_salt(("import_code_choice", written))
                .selected_text(shown)
                .width(200.0)
                .truncate()
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, tr.t(Msg::CreateIt));
                    for row in &view.codes {
                        ui.selectable_value(&mut chosen, Some(row.code.code_id), &row.path);
                    }
                })
                .response
                .labelled_by(label.id);
            choices.retain(|(value, _)| value != written);
            if let Some(code_id) = chosen {
                choices.push((written.clone(), code_id));
            }
            ui.end_row();
        }
    });
}

/// The separator of code names and the coder.
fn options_ui(ui: &mut Ui, tr: Tr, dialog: &mut ImportDialog) {
    let label = ui.strong(tr.t(Msg::CodesSeparator));
    ui.add(egui::TextEdit::singleline(&mut dialog.codes_separator).desired_width(40.0)).labelled_by(label.id);
    ui.add_space(6.0);
    let label = ui.strong(tr.t(Msg::Coder));
    ui.text_edit_singleline(&mut dialog.coder).labelled_by(label.id);
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
                .width(190.0)
                .truncate()
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
    egui::ScrollArea::both()
        .max_height(180.0)
        .id_salt("import_preview")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
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
pub fn handle_dropped_files(ui: &mut Ui, app: &mut PanelContext<'_>) {
    let tr = app.tr;
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
        let extension = path.extension().and_then(|extension| extension.to_str()).unwrap_or_default().to_lowercase();
        let command = if TRANSCRIPT_EXTENSIONS.contains(&extension.as_str()) {
            AppCommand::StartTranscript(path)
        } else if PickPurpose::ImportRefi.accepted_extensions().contains(&extension.as_str()) {
            AppCommand::Picked(PickPurpose::ImportRefi, path)
        } else {
            AppCommand::StartImport(path)
        };
        app.push(command);
    }
}
