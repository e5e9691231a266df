//! The co-occurrence view: a matrix of codes by codes, each cell the excerpts
//! carrying both, shaded by the c-coefficient. Columns are named; hovering a
//! cell lists the passages where the two codes overlap (read by command
//! handling the first time a cell is hovered); clicking it lists its excerpts.

use egui::{Align, CentralPanel, Color32, Layout, RichText, Ui, vec2};

use super::PanelContext;
use super::analysis_filters::filter_controls_ui;
use crate::analysis::CooccurrenceTable;
use crate::gui::command::AppCommand;
use crate::gui::i18n::Msg;
use crate::gui::theme;
use crate::gui::workspace::{AnalysisState, PairPassages};

/// The co-occurrence view.
pub fn cooccurrence_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, analysis: &mut AnalysisState) {
    let tr = app.tr;
    CentralPanel::default().show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(tr.t(Msg::CoocHelp)).weak()).wrap());
        filter_controls_ui(ui, app, analysis, false);
        ui.separator();
        let Some(table) = analysis.cooccurrence.as_ref() else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        cooccurrence_matrix_ui(ui, app, table, &analysis.cooccurrence_shown, &analysis.pair_passages);
    });
}

fn cooccurrence_matrix_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    table: &CooccurrenceTable,
    shown: &[usize],
    passages: &PairPassages,
) {
    let tr = app.tr;
    let dark = ui.visuals().dark_mode;
    let mut clicked = None;
    let column_width = 78.0;
    let meeting = table.meeting.len();
    if shown.len() < meeting {
        ui.weak(tr.f(Msg::CoocShowing, &[("n", &shown.len()), ("m", &meeting)]));
    }
    egui::ScrollArea::both().id_salt("cooccurrence").auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("cooccurrence_grid").spacing(vec2(4.0, 4.0)).show(ui, |ui| {
            ui.label("");
            for (index, code) in shown.iter().map(|a| &table.codes[*a]).enumerate() {
                // Each column is named: its number and its code's name, wrapped.
                ui.allocate_ui_with_layout(vec2(column_width, 0.0), Layout::top_down(Align::Center), |ui| {
                    ui.set_width(column_width);
                    ui.add(egui::Label::new(RichText::new(format!("{} {}", index + 1, code.name)).small()).wrap())
                        .on_hover_text(&code.name);
                });
            }
            ui.end_row();
            for (row, &a) in shown.iter().enumerate() {
                let code = &table.codes[a];
                ui.horizontal(|ui| {
                    ui.weak(format!("{:>2}", row + 1));
                    theme::swatch(ui, code.color, 10.0);
                    ui.label(&code.name);
                });
                for &b in shown {
                    if a == b {
                        ui.add(
                            egui::Button::new(RichText::new(table.totals[a].to_string()).strong())
                                .frame(false)
                                .min_size(vec2(column_width, 0.0)),
                        )
                        .accessible_name(format!("{}: {}", code.name, table.totals[a]));
                        continue;
                    }
                    let other = &table.codes[b];
                    let pair = table.pair(a, b);
                    let fill = theme::heat(pair.c_coefficient as f32 * 2.0, dark);
                    let text_color = if pair.c_coefficient > 0.28 || dark { Color32::WHITE } else { Color32::BLACK };
                    let text = if pair.excerpts == 0 { "·".to_owned() } else { pair.excerpts.to_string() };
                    let name = format!("{} × {}: {}", code.name, other.name, pair.excerpts);
                    let response = ui
                        .add(
                            egui::Button::new(RichText::new(text).color(text_color))
                                .fill(fill)
                                .min_size(vec2(column_width, 0.0)),
                        )
                        .accessible_name(name);
                    let key = pair_key(code.code_id, other.code_id);
                    if response.hovered() && pair.overlapping > 0 && !passages.contains_key(&key) {
                        app.push(AppCommand::LoadPairPassages {
                            first: key.0,
                            second: key.1,
                            filter: table.filter.clone(),
                        });
                    }
                    let response = response.on_hover_ui(|ui| {
                        ui.set_max_width(420.0);
                        ui.strong(format!("{} × {}", code.name, other.name));
                        ui.label(tr.f(
                            Msg::CoocHover,
                            &[
                                ("n", &pair.excerpts),
                                ("overlapping", &pair.overlapping),
                                ("c", &format!("{:.3}", pair.c_coefficient)),
                            ],
                        ));
                        if pair.overlapping > 0 {
                            match passages.get(&key) {
                                Some(found) => {
                                    ui.separator();
                                    for passage in found {
                                        ui.add(
                                            egui::Label::new(format!("{}: «{}»", passage.label, passage.text)).wrap(),
                                        );
                                    }
                                    if (found.len() as u64) < pair.overlapping {
                                        ui.weak(tr.f(Msg::AndMore, &[("n", &(pair.overlapping - found.len() as u64))]));
                                    }
                                }
                                None => {
                                    ui.spinner();
                                }
                            }
                        }
                    });
                    if response.clicked() && pair.excerpts > 0 {
                        clicked = Some((a, b));
                    }
                }
                ui.end_row();
            }
        });
    });
    if let Some((a, b)) = clicked {
        let (first, second) = (&table.codes[a], &table.codes[b]);
        app.push(AppCommand::ListPair {
            first: first.code_id,
            second: second.code_id,
            filter: table.filter.clone(),
            label: format!("{} × {}", first.name, second.name),
        });
    }
}

/// The two codes of a pair in a fixed order, so both cells of a pair share passages.
fn pair_key(first: crate::model::CodeId, second: crate::model::CodeId) -> (crate::model::CodeId, crate::model::CodeId) {
    if first <= second { (first, second) } else { (second, first) }
}
