//! The export dialog: format, body language and filters for coded quotes. The file
//! is written in the background.

use std::path::{Path, PathBuf};

use egui::{Modal, vec2};

use crate::formats::QuoteFormat;
use crate::formats::report::ReportOptions;
use crate::gui::app::{AppCommand, QuipuApp};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::{ExportRequest, PickPurpose};
use crate::gui::view_model::ViewModel;
use crate::model::{CaseId, CodeId};

/// The export dialog's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    /// The file format.
    pub format: QuoteFormat,
    /// The language quoted in the body.
    pub body_lang: String,
    /// Only these codes (empty: all).
    pub codes: Vec<CodeId>,
    /// Only these cases (empty: all).
    pub cases: Vec<CaseId>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self { format: QuoteFormat::Markdown, body_lang: "en".to_owned(), codes: Vec::new(), cases: Vec::new() }
    }
}

impl ExportDialog {
    /// The request for the background export to `target`.
    pub fn request(&self, project: &Path, target: PathBuf, view: &ViewModel, tr: Tr) -> ExportRequest {
        let mut options = ReportOptions { body_lang: self.body_lang.clone(), ..ReportOptions::default() };
        options.filter.codes = self.codes.clone();
        options.filter.cases = self.cases.clone();
        let mut described: Vec<String> =
            self.codes.iter().filter_map(|id| view.code_row(*id).map(|row| format!("'{}'", row.code.name))).collect();
        described.extend(self.cases.iter().map(|id| format!("'{}'", view.case_name(*id))));
        if !described.is_empty() {
            options.filter_description = format!("{} {}", tr.t(Msg::Filters).to_lowercase(), described.join(", "));
        }
        ExportRequest { project: project.to_owned(), target, format: self.format, options }
    }
}

/// Draws the export dialog when open.
pub fn export_dialog_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let (Some(dialog), Some(session)) = (&mut app.ui.export_dialog, &app.session) else {
        return;
    };
    let view = &session.view;
    let mut pick = false;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(tr.t(Msg::ExportTitle));
        egui::Grid::new("export_grid").num_columns(2).spacing(vec2(10.0, 6.0)).show(ui, |ui| {
            let label = ui.label(tr.t(Msg::Format));
            egui::ComboBox::from_id_salt("export_format")
                .selected_text(dialog.format.name())
                .show_ui(ui, |ui| {
                    for format in QuoteFormat::ALL {
                        ui.selectable_value(&mut dialog.format, format, format.name());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.t(Msg::BodyLanguage));
            ui.horizontal(|ui| {
                ui.radio_value(&mut dialog.body_lang, "en".to_owned(), "English").labelled_by(label.id);
                ui.radio_value(&mut dialog.body_lang, "es".to_owned(), "Español");
                ui.weak(format!("({})", tr.t(Msg::OtherInFootnote)));
            });
            ui.end_row();
        });
        ui.columns(2, |columns| {
            columns[0].strong(tr.t(Msg::OnlyCodes));
            egui::ScrollArea::vertical().id_salt("export_codes").max_height(220.0).show(&mut columns[0], |ui| {
                for row in &view.codes {
                    let mut ticked = dialog.codes.contains(&row.code.code_id);
                    if ui.checkbox(&mut ticked, &row.code.name).changed() {
                        toggle(&mut dialog.codes, row.code.code_id, ticked);
                    }
                }
            });
            columns[1].strong(tr.t(Msg::OnlyCases));
            egui::ScrollArea::vertical().id_salt("export_cases").max_height(220.0).show(&mut columns[1], |ui| {
                for case in &view.cases {
                    let mut ticked = dialog.cases.contains(&case.case_id);
                    if ui.checkbox(&mut ticked, &case.name).changed() {
                        toggle(&mut dialog.cases, case.case_id, ticked);
                    }
                }
            });
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(tr.t(Msg::ExportButton)).clicked() {
                pick = true;
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                close = true;
            }
        });
    });
    if pick {
        app.pending.push(AppCommand::Pick(PickPurpose::Export(dialog.format)));
    }
    if close || modal.should_close() {
        app.ui.export_dialog = None;
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|existing| *existing != item);
    if on {
        list.push(item);
    }
}
