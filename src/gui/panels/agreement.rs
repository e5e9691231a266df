//! The agreement view: which coders are compared and by what unit, the table of
//! figures per code (sortable, kappa coloured by the bands of Landis and Koch),
//! the excerpts where the coders disagree on the chosen code, and the one opened
//! for settling: each coder's passages side by side, marked in the code's
//! colour, with the ways to settle it.

use egui::text::LayoutJob;
use egui::{CentralPanel, Color32, FontId, RichText, TextFormat, Ui, vec2};

use super::PanelContext;
use super::widgets::sort_marker;
use crate::analysis::agreement::{AgreementTable, Figures, Level};
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::theme;
use crate::gui::workspace::{AgreementSort, AgreementView, Comparison, Workspace};
use crate::model::{CoderId, CodingAnchor, Excerpt, Side};
use crate::store::Settlement;
use crate::text::CharSpan;

/// The agreement view.
pub fn agreement_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, agreement: &mut AgreementView) {
    let tr = app.tr;
    CentralPanel::default().show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(tr.t(Msg::AgreementHelp)).weak()).wrap());
        choices_ui(ui, app, agreement);
        ui.separator();
        if agreement.coders.len() < 2 {
            ui.label(tr.t(Msg::AgreementNeedsTwo));
            return;
        }
        // Taken out while drawing (the views below change the rest of the
        // state) and put back: a large table is not copied every frame.
        let Some((compared, table)) = agreement.table.take() else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        let wide = ui.available_width() > 900.0;
        if wide {
            ui.columns(2, |columns| {
                table_ui(&mut columns[0], tr, &table, agreement);
                disagreements_ui(&mut columns[1], app, &table, &compared, agreement);
            });
        } else {
            egui::ScrollArea::vertical().id_salt("agreement_narrow").show(ui, |ui| {
                table_ui(ui, tr, &table, agreement);
                ui.separator();
                disagreements_ui(ui, app, &table, &compared, agreement);
            });
        }
        agreement.table = Some((compared, table));
    });
}

/// The coders compared and the unit.
fn choices_ui(ui: &mut Ui, app: &mut PanelContext<'_>, agreement: &mut AgreementView) {
    let tr = app.tr;
    let coders = app.view.map(|view| view.coders.clone()).unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.label(tr.t(Msg::AgreementCoders));
        for coder in &coders {
            let mut on = agreement.coders.contains(&coder.coder_id);
            if ui.checkbox(&mut on, &coder.name).changed() {
                agreement.coders_chosen = true;
                agreement.compared = None;
                if on {
                    agreement.coders.push(coder.coder_id);
                } else {
                    agreement.coders.retain(|id| *id != coder.coder_id);
                }
            }
        }
        ui.separator();
        for (level, msg) in [(Level::Excerpt, Msg::LevelExcerpt), (Level::Character, Msg::LevelCharacter)] {
            if ui.radio(agreement.level == level, tr.t(msg)).clicked() && agreement.level != level {
                agreement.level = level;
                agreement.compared = None;
            }
        }
    });
}

/// A figure as the table shows it: empty when undefined.
fn figure(value: Option<f64>, percent: bool) -> String {
    match value {
        None => String::new(),
        Some(value) if percent => format!("{:.1}%", value * 100.0),
        Some(value) => format!("{value:.3}"),
    }
}

/// The rows of the table in the order asked for.
fn sorted_rows(table: &AgreementTable, sort: (AgreementSort, bool)) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..table.codes.len()).collect();
    let key = |row: usize| {
        let figures = &table.codes[row].2;
        match sort.0 {
            AgreementSort::Codebook => -(row as f64),
            AgreementSort::Units => figures.n as f64,
            AgreementSort::Agreement => figures.agreement.unwrap_or(f64::NEG_INFINITY),
            AgreementSort::Kappa => figures.kappa.unwrap_or(f64::NEG_INFINITY),
            AgreementSort::Alpha => figures.alpha.unwrap_or(f64::NEG_INFINITY),
        }
    };
    rows.sort_by(|a, b| key(*b).total_cmp(&key(*a)));
    if !sort.1 {
        rows.reverse();
    }
    rows
}

/// The figures per code and pooled; clicking a code lists its disagreements.
fn table_ui(ui: &mut Ui, tr: Tr, table: &AgreementTable, agreement: &mut AgreementView) {
    let dark = ui.visuals().dark_mode;
    let (sort_column, descending) = agreement.sort;
    let sort = if sort_column == AgreementSort::Codebook { (AgreementSort::Codebook, true) } else { agreement.sort };
    let mut new_sort = None;
    egui::ScrollArea::both()
        .id_salt("agreement_table")
        .auto_shrink([false, true])
        .max_height(ui.available_height() - 60.0)
        .show(ui, |ui| {
            egui::Grid::new("agreement_grid").striped(true).spacing(vec2(12.0, 4.0)).show(ui, |ui| {
                for (msg, column) in [
                    (Msg::Code, AgreementSort::Codebook),
                    (Msg::ColUnits, AgreementSort::Units),
                    (Msg::ColAgreement, AgreementSort::Agreement),
                    (Msg::ColKappa, AgreementSort::Kappa),
                    (Msg::ColAlpha, AgreementSort::Alpha),
                ] {
                    ui.horizontal(|ui| {
                        if ui.button(RichText::new(tr.t(msg)).strong()).clicked() {
                            new_sort = Some(column);
                        }
                        if sort_column == column && column != AgreementSort::Codebook {
                            sort_marker(ui, descending);
                        }
                    });
                }
                ui.end_row();
                for row in sorted_rows(table, sort) {
                    let (code_id, name, figures) = &table.codes[row];
                    let selected = agreement.selected_code == Some(*code_id);
                    if ui.selectable_label(selected, name).clicked() {
                        agreement.selected_code = Some(*code_id);
                        agreement.compared = None;
                    }
                    figures_ui(ui, figures, dark);
                    ui.end_row();
                }
                ui.label(RichText::new(tr.t(Msg::AgreementOverall)).strong());
                figures_ui(ui, &table.overall, dark);
                ui.end_row();
            });
        });
    ui.add(egui::Label::new(RichText::new(tr.t(Msg::KappaBands)).small().weak()).wrap());
    if let Some(column) = new_sort {
        agreement.sort = if agreement.sort.0 == column { (column, !agreement.sort.1) } else { (column, true) };
    }
}

/// One row's figures, the kappa on its band's colour.
fn figures_ui(ui: &mut Ui, figures: &Figures, dark: bool) {
    ui.label(figures.n.to_string());
    ui.label(figure(figures.agreement, true));
    let kappa = RichText::new(figure(figures.kappa, false));
    match figures.kappa {
        Some(value) => ui.label(kappa.background_color(theme::kappa_band(value, dark))),
        None => ui.label(kappa),
    };
    ui.label(figure(figures.alpha, false));
}

/// The disagreements on the chosen code, and the one opened for settling.
fn disagreements_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    table: &AgreementTable,
    coders: &[CoderId],
    agreement: &mut AgreementView,
) {
    let tr = app.tr;
    let Some(code_id) = agreement.selected_code else {
        ui.weak(tr.t(Msg::PickAgreementCode));
        return;
    };
    let Some((_, name, _)) = table.codes.iter().find(|(id, _, _)| *id == code_id) else {
        ui.weak(tr.t(Msg::PickAgreementCode));
        return;
    };
    let excerpts = table.disagreements.get(&code_id).cloned().unwrap_or_default();
    ui.label(RichText::new(tr.f(Msg::Disagreements, &[("code", name), ("n", &excerpts.len())])).strong());
    if excerpts.is_empty() {
        ui.weak(tr.t(Msg::NoDisagreements));
        return;
    }
    let opened = agreement.compared.as_ref().filter(|c| c.code_id == code_id).map(|c| c.excerpt.excerpt_id);
    egui::ScrollArea::vertical().id_salt("disagreements").max_height(160.0).auto_shrink([false, true]).show_rows(
        ui,
        ui.text_style_height(&egui::TextStyle::Body) + 4.0,
        excerpts.len(),
        |ui, range| {
            for excerpt_id in &excerpts[range] {
                let label = table.excerpt_names.get(excerpt_id).cloned().unwrap_or_else(|| excerpt_id.to_string());
                let response = ui.selectable_label(opened == Some(*excerpt_id), label);
                if response.clicked() {
                    app.push(AppCommand::CompareDisagreement { excerpt_id: *excerpt_id, code_id });
                }
            }
        },
    );
    ui.separator();
    if let Some(comparison) = agreement.compared.as_ref().filter(|c| c.code_id == code_id) {
        comparison_ui(ui, app, comparison, coders);
    }
}

/// Each coder's passages of the code in the opened excerpt, side by side, and
/// the ways to settle the difference.
fn comparison_ui(ui: &mut Ui, app: &mut PanelContext<'_>, comparison: &Comparison, coders: &[CoderId]) {
    let tr = app.tr;
    let Some(view) = app.view else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    let excerpt = &comparison.excerpt;
    let color = view.code_row(comparison.code_id).map(|row| row.code.color);
    let mark = color.map_or(Color32::YELLOW, |color| theme::highlight(color, dark, 1.6));
    let mut header = excerpt.label.clone();
    if !excerpt.speaker.is_empty() {
        header.push_str(&format!(" · {}", excerpt.speaker));
    }
    ui.label(RichText::new(header).strong());
    let font = FontId::proportional(ui.text_style_height(&egui::TextStyle::Body) - 2.0);
    let coder_color = theme::readable(color.unwrap_or(crate::model::Color { r: 90, g: 90, b: 90 }), dark);
    egui::ScrollArea::vertical().id_salt("comparison").max_height(ui.available_height() - 70.0).show(ui, |ui| {
        ui.columns(coders.len(), |columns| {
            for (column, coder) in columns.iter_mut().zip(coders) {
                // Ragged right: a column lays out justified, which would stretch the words.
                column.vertical(|ui| {
                    ui.label(RichText::new(view.coder_name(*coder)).strong().color(coder_color));
                    let mine: Vec<CodingAnchor> = comparison
                        .codings
                        .iter()
                        .filter(|coding| coding.coder_id == *coder)
                        .map(|coding| coding.anchor)
                        .collect();
                    passages_ui(ui, tr, excerpt, &mine, mark, font.clone());
                });
            }
        });
    });
    ui.add(egui::Label::new(RichText::new(tr.t(Msg::SettleHelp)).small().weak()).wrap());
    ui.horizontal_wrapped(|ui| {
        let settle = |settlement| {
            AppCommand::Edit(Edit::SettleDisagreement {
                excerpt_id: excerpt.excerpt_id,
                code_id: comparison.code_id,
                coders: coders.to_vec(),
                settlement,
            })
        };
        for coder in coders {
            if comparison.codings.iter().any(|coding| coding.coder_id == *coder)
                && ui.button(tr.f(Msg::KeepCoders, &[("who", &view.coder_name(*coder))])).clicked()
            {
                app.push(settle(Settlement::Keep(*coder)));
            }
        }
        if ui.button(tr.t(Msg::KeepAll)).clicked() {
            app.push(settle(Settlement::KeepAll));
        }
        if ui.button(tr.t(Msg::RemoveCodeHere)).clicked() {
            app.push(settle(Settlement::RemoveAll));
        }
        if ui.button(tr.t(Msg::OpenInReader)).clicked() {
            app.push(AppCommand::SetWorkspace(Workspace::Reader));
            app.push(AppCommand::Open(excerpt.excerpt_id));
        }
    });
}

/// One coder's column: both texts with what the coder marked.
fn passages_ui(ui: &mut Ui, tr: Tr, excerpt: &Excerpt, mine: &[CodingAnchor], mark: Color32, font: FontId) {
    if mine.is_empty() {
        ui.weak(tr.t(Msg::NotCoded));
    }
    let whole = mine.contains(&CodingAnchor::Whole);
    if whole {
        ui.weak(tr.t(Msg::WholeExcerpt));
    }
    let text_color = ui.visuals().text_color();
    for side in [Side::Original, Side::Translation] {
        let Some(text) = excerpt.text(side) else {
            continue;
        };
        let spans: Vec<CharSpan> = mine
            .iter()
            .filter_map(|anchor| match anchor {
                CodingAnchor::Passage { side: coded, span } if *coded == side => Some(*span),
                _ => None,
            })
            .collect();
        let job = marked_text(text, &spans, whole, mark, text_color, font.clone(), ui.available_width());
        ui.label(job);
        ui.add_space(4.0);
    }
}

/// A text with the characters a coder marked on `mark` (all of it for a whole
/// coding).
fn marked_text(
    text: &str,
    spans: &[CharSpan],
    whole: bool,
    mark: Color32,
    text_color: Color32,
    font: FontId,
    width: f32,
) -> LayoutJob {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let count = chars.len();
    let mut covered = vec![whole; count];
    for span in spans {
        let start = span.start.0.min(count);
        covered[start..span.end.0.clamp(start, count)].fill(true);
    }
    let mut job = LayoutJob::default();
    let mut start = 0;
    while start < count {
        let marked = covered[start];
        let end = (start..count).find(|index| covered[*index] != marked).unwrap_or(count);
        let (from, to) = (chars[start].0, chars.get(end).map_or(text.len(), |(byte, _)| *byte));
        let format = TextFormat {
            font_id: font.clone(),
            color: text_color,
            background: if marked { mark } else { Color32::TRANSPARENT },
            ..TextFormat::default()
        };
        job.append(&text[from..to], 0.0, format);
        start = end;
    }
    job.wrap.max_width = width;
    job
}
