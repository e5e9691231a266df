//! The export dialog for coded quotes: format, body language, sections, how
//! speakers are named (pseudonyms by default), and filters by code (with
//! sub-codes), case, speaker, coder and translation status. The file is written in
//! the background.

use egui::{Modal, RichText, Ui, vec2};

use super::PanelContext;
use super::widgets::{dialog_max_size, optional_choice_ui};
use crate::formats::QuoteFormat;
use crate::formats::pseudonyms::Names;
use crate::formats::report::QuoteGrouping;
use crate::gui::command::AppCommand;
use crate::gui::i18n::Msg;
use crate::gui::state::ExportDialog;
use crate::model::{CaseId, CodeId, TranslationStatus};

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
pub fn export_dialog_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<ExportDialog>) {
    let tr = app.tr;
    let (Some(dialog), Some(view)) = (open.as_mut(), app.view) else {
        return;
    };
    let max = dialog_max_size(ctx);
    let mut pick = false;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_width(640.0f32.min(max.x - 32.0));
        ui.heading(tr.t(Msg::ExportTitle));
        let buttons_height = 2.0 * ui.spacing().interact_size.y + 24.0;
        egui::ScrollArea::vertical()
            .id_salt("export_dialog_body")
            .max_height((max.y - buttons_height - 60.0).max(80.0))
            .show(ui, |ui| {
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
                        ui.radio_value(&mut dialog.options.body_lang, "en".to_owned(), "English").labelled_by(label.id);
                        ui.radio_value(&mut dialog.options.body_lang, "es".to_owned(), "Español");
                        ui.weak(format!("({})", tr.t(Msg::OtherInFootnote)));
                    });
                    ui.end_row();
                    ui.label(tr.t(Msg::SectionsBy));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut dialog.options.grouping, QuoteGrouping::ByCode, tr.t(Msg::SectionsByCode));
                        ui.radio_value(&mut dialog.options.grouping, QuoteGrouping::ByCase, tr.t(Msg::SectionsByCase));
                    });
                    ui.end_row();
                    ui.label(tr.t(Msg::Names));
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut dialog.options.names, Names::Pseudonyms, tr.t(Msg::NamesPseudonyms));
                            ui.radio_value(&mut dialog.options.names, Names::Roles, tr.t(Msg::NamesRoles));
                            ui.radio_value(&mut dialog.options.names, Names::Real, tr.t(Msg::NamesReal));
                        });
                        if dialog.options.names == Names::Real {
                            ui.label(RichText::new(tr.t(Msg::NamesWarning)).color(ui.visuals().warn_fg_color));
                        }
                    });
                    ui.end_row();
                    let coders = view.coders.iter().map(|coder| (coder.coder_id, coder.name.clone()));
                    let coder = &mut dialog.options.filter.coder_id;
                    optional_choice_ui(ui, tr, ("export_coder", tr.t(Msg::Coder)), None, coder, coders);
                    ui.end_row();
                });
                ui.add_space(6.0);
                let codes: Vec<(CodeId, String)> = view
                    .codes
                    .iter()
                    .map(|row| (row.code.code_id, format!("{}{}", "  ".repeat(row.depth), row.code.name)))
                    .collect();
                let cases: Vec<(CaseId, String)> =
                    view.cases.iter().map(|case| (case.case_id, case.name.clone())).collect();
                let speakers: Vec<(String, String)> = view.speakers.iter().map(|s| (s.clone(), s.clone())).collect();
                let statuses: Vec<(TranslationStatus, String)> =
                    TranslationStatus::ALL.iter().map(|s| (*s, tr.status(*s).to_owned())).collect();
                ui.columns(2, |columns| {
                    ticks_ui(
                        &mut columns[0],
                        "export_codes",
                        tr.t(Msg::OnlyCodes),
                        &codes,
                        &mut dialog.options.filter.codes,
                    );
                    columns[0].checkbox(&mut dialog.options.filter.with_children, tr.t(Msg::IncludeSubcodes));
                    ticks_ui(
                        &mut columns[1],
                        "export_cases",
                        tr.t(Msg::OnlyCases),
                        &cases,
                        &mut dialog.options.filter.cases,
                    );
                });
                ui.columns(2, |columns| {
                    ticks_ui(
                        &mut columns[0],
                        "export_speakers",
                        tr.t(Msg::OnlySpeakers),
                        &speakers,
                        &mut dialog.options.filter.speakers,
                    );
                    ticks_ui(
                        &mut columns[1],
                        "export_statuses",
                        tr.t(Msg::OnlyStatuses),
                        &statuses,
                        &mut dialog.options.filter.statuses,
                    );
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
        app.push(AppCommand::Pick(dialog.pick_purpose()));
    }
    if close || modal.should_close() {
        *open = None;
    }
}
