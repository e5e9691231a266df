//! The export dialog for coded quotes: format, body language, sections, how
//! speakers are named (pseudonyms by default), and filters by code (with
//! sub-codes), case, speaker, coder and translation status. The file is written in
//! the background.

use std::path::{Path, PathBuf};

use egui::{Modal, RichText, Ui, vec2};

use crate::formats::QuoteFormat;
use crate::formats::pseudonyms::Names;
use crate::formats::report::{QuoteGrouping, ReportOptions};
use crate::gui::app::{AppCommand, QuipuApp};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::{ExportRequest, PickPurpose};
use crate::gui::view_model::ViewModel;
use crate::model::{CaseId, CodeId, CoderId, TranslationStatus};

/// The export dialog's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    /// The file format.
    pub format: QuoteFormat,
    /// The language quoted in the body.
    pub body_lang: String,
    /// Sections per code or per case.
    pub grouping: QuoteGrouping,
    /// How speakers are named.
    pub names: Names,
    /// Only these codes (empty: all).
    pub codes: Vec<CodeId>,
    /// Include the codes under the chosen codes.
    pub with_children: bool,
    /// Only these cases (empty: all).
    pub cases: Vec<CaseId>,
    /// Only these speakers (empty: all).
    pub speakers: Vec<String>,
    /// Only this coder's codings.
    pub coder: Option<CoderId>,
    /// Only these translation statuses (empty: all).
    pub statuses: Vec<TranslationStatus>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            format: QuoteFormat::Docx,
            body_lang: "en".to_owned(),
            grouping: QuoteGrouping::ByCode,
            names: Names::Pseudonyms,
            codes: Vec::new(),
            with_children: true,
            cases: Vec::new(),
            speakers: Vec::new(),
            coder: None,
            statuses: Vec::new(),
        }
    }
}

impl ExportDialog {
    /// The request for the background export to `target`.
    pub fn request(&self, project: &Path, target: PathBuf, view: &ViewModel, tr: Tr) -> ExportRequest {
        let mut options = ReportOptions {
            body_lang: self.body_lang.clone(),
            with_children: self.with_children,
            grouping: self.grouping,
            names: self.names,
            ..ReportOptions::default()
        };
        options.filter.codes = self.codes.clone();
        options.filter.cases = self.cases.clone();
        options.filter.speakers = self.speakers.clone();
        options.filter.coder = self.coder;
        options.filter.statuses = self.statuses.clone();
        let mut described: Vec<String> =
            self.codes.iter().filter_map(|id| view.code_row(*id).map(|row| format!("'{}'", row.code.name))).collect();
        described.extend(self.cases.iter().map(|id| format!("'{}'", view.case_name(*id))));
        if !self.speakers.is_empty() {
            described.push(tr.t(Msg::Speaker).to_lowercase());
        }
        described.extend(self.coder.map(|id| format!("'{}'", view.coder_name(id))));
        described.extend(self.statuses.iter().map(|status| tr.status(*status).to_owned()));
        if !described.is_empty() {
            options.filter_description = format!("{} {}", tr.t(Msg::Filters).to_lowercase(), described.join(", "));
        }
        ExportRequest { project: project.to_owned(), target, format: self.format, options }
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|existing| *existing != item);
    if on {
        list.push(item);
    }
}

/// A scrolling list of checkboxes.
fn ticks_ui<T: PartialEq + Clone>(ui: &mut Ui, id: &str, title: &str, items: &[(T, String)], chosen: &mut Vec<T>) {
    ui.strong(title);
    egui::ScrollArea::vertical().id_salt(id).max_height(150.0).show(ui, |ui| {
        for (item, name) in items {
            let mut ticked = chosen.contains(item);
            if ui.checkbox(&mut ticked, name).changed() {
                toggle(chosen, item.clone(), ticked);
            }
        }
    });
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
        ui.set_width(640.0);
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
            ui.label(tr.t(Msg::SectionsBy));
            ui.horizontal(|ui| {
                ui.radio_value(&mut dialog.grouping, QuoteGrouping::ByCode, tr.t(Msg::SectionsByCode));
                ui.radio_value(&mut dialog.grouping, QuoteGrouping::ByCase, tr.t(Msg::SectionsByCase));
            });
            ui.end_row();
            ui.label(tr.t(Msg::Names));
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut dialog.names, Names::Pseudonyms, tr.t(Msg::NamesPseudonyms));
                    ui.radio_value(&mut dialog.names, Names::Roles, tr.t(Msg::NamesRoles));
                    ui.radio_value(&mut dialog.names, Names::Real, tr.t(Msg::NamesReal));
                });
                if dialog.names == Names::Real {
                    ui.label(RichText::new(tr.t(Msg::NamesWarning)).color(ui.visuals().warn_fg_color));
                }
            });
            ui.end_row();
            let label = ui.label(tr.t(Msg::Coder));
            let coder_text =
                dialog.coder.map_or_else(|| tr.t(Msg::Any).to_owned(), |id| view.coder_name(id).to_owned());
            egui::ComboBox::from_id_salt("export_coder")
                .selected_text(coder_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut dialog.coder, None, tr.t(Msg::Any));
                    for coder in &view.coders {
                        ui.selectable_value(&mut dialog.coder, Some(coder.coder_id), &coder.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
        ui.add_space(6.0);
        let codes: Vec<(CodeId, String)> = view
            .codes
            .iter()
            .map(|row| (row.code.code_id, format!("{}{}", "  ".repeat(row.depth), row.code.name)))
            .collect();
        let cases: Vec<(CaseId, String)> = view.cases.iter().map(|case| (case.case_id, case.name.clone())).collect();
        let speakers: Vec<(String, String)> = view.speakers.iter().map(|s| (s.clone(), s.clone())).collect();
        let statuses: Vec<(TranslationStatus, String)> =
            TranslationStatus::ALL.iter().map(|s| (*s, tr.status(*s).to_owned())).collect();
        ui.columns(2, |columns| {
            ticks_ui(&mut columns[0], "export_codes", tr.t(Msg::OnlyCodes), &codes, &mut dialog.codes);
            columns[0].checkbox(&mut dialog.with_children, tr.t(Msg::IncludeSubcodes));
            ticks_ui(&mut columns[1], "export_cases", tr.t(Msg::OnlyCases), &cases, &mut dialog.cases);
        });
        ui.columns(2, |columns| {
            ticks_ui(&mut columns[0], "export_speakers", tr.t(Msg::OnlySpeakers), &speakers, &mut dialog.speakers);
            ticks_ui(&mut columns[1], "export_statuses", tr.t(Msg::OnlyStatuses), &statuses, &mut dialog.statuses);
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
