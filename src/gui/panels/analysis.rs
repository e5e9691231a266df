//! The analysis views: the tabs that switch the central area, the frequency
//! table (codes × groups, sortable, with totals) beside its chart, and the
//! co-occurrence matrix. Tables are counted in the background; clicking a cell
//! lists its excerpts in the navigator, from where one opens in the reader.

use egui::{Align, CentralPanel, Color32, Layout, Panel, RichText, Sense, Ui, vec2};
use egui_plot::{Bar, BarChart, Plot};

use crate::analysis::{CooccurrenceTable, FrequencyTable};
use crate::formats::FrequencyFormat;
use crate::formats::chart::ChartKind;
use crate::gui::app::{AppCommand, QuipuApp};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::PickPurpose;
use crate::gui::theme;
use crate::gui::view_model::ViewModel;
use crate::gui::workspace::{CellMeasure, SortColumn, Workspace};
use crate::model::{AttributeScope, TranslationStatus};
use crate::store::{CountFilter, ExcerptFilter, Grouping, Store};

/// The tabs above the central area.
pub fn workspace_tabs_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    Panel::top("workspace_tabs").show(ui, |ui| {
        ui.horizontal(|ui| {
            let current = app.ui.analysis.workspace;
            for (workspace, msg) in [
                (Workspace::Reader, Msg::TabReader),
                (Workspace::Frequencies, Msg::TabFrequencies),
                (Workspace::Cooccurrence, Msg::TabCooccurrence),
                (Workspace::Attributes, Msg::TabAttributes),
            ] {
                if ui.selectable_label(current == workspace, tr.t(msg)).clicked() && current != workspace {
                    app.pending.push(AppCommand::SetWorkspace(workspace));
                }
            }
            if app.ui.analysis.computing.is_some() {
                ui.spinner();
                ui.weak(tr.t(Msg::Computing));
            }
        });
    });
}

/// The name of a grouping for people.
fn grouping_name(tr: Tr, view: &ViewModel, grouping: Grouping) -> String {
    match grouping {
        Grouping::Case | Grouping::All => tr.t(Msg::GroupCase).to_owned(),
        Grouping::Source => tr.t(Msg::GroupSource).to_owned(),
        Grouping::Speaker => tr.t(Msg::GroupSpeaker).to_owned(),
        Grouping::Role => tr.t(Msg::GroupRole).to_owned(),
        Grouping::CaseAttribute(id) | Grouping::SourceAttribute(id) => {
            view.attributes.iter().find(|a| a.attribute_id == id).map_or_else(String::new, |a| a.name.clone())
        }
    }
}

/// Filters shared by both views: sub-codes, coder, status, dates.
fn filter_controls_ui(app: &mut QuipuApp, ui: &mut Ui, with_children: bool) {
    let tr = app.tr();
    let Some(session) = &app.session else {
        return;
    };
    let view = &session.view;
    let analysis = &mut app.ui.analysis;
    let mut filter = analysis.filter.clone();
    ui.horizontal_wrapped(|ui| {
        if with_children {
            ui.checkbox(&mut filter.with_children, tr.t(Msg::WithChildren));
        }
        let label = ui.label(tr.t(Msg::Coder));
        let coder_text = filter.coder_id.map_or_else(|| tr.t(Msg::Any).to_owned(), |id| view.coder_name(id).to_owned());
        egui::ComboBox::from_id_salt("analysis_coder")
            .selected_text(coder_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.coder_id, None, tr.t(Msg::Any));
                for coder in &view.coders {
                    ui.selectable_value(&mut filter.coder_id, Some(coder.coder_id), &coder.name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(tr.t(Msg::Status));
        let mut status = filter.statuses.first().copied();
        egui::ComboBox::from_id_salt("analysis_status")
            .selected_text(status.map_or_else(|| tr.t(Msg::Any).to_owned(), |s| tr.status(s).to_owned()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut status, None, tr.t(Msg::Any));
                for choice in TranslationStatus::ALL {
                    ui.selectable_value(&mut status, Some(choice), tr.status(choice));
                }
            })
            .response
            .labelled_by(label.id);
        filter.statuses = status.into_iter().collect();
        attribute_filter_ui(ui, tr, view, &mut filter.attribute);
        for (msg, text, target) in [
            (Msg::DateFrom, &mut analysis.date_from_text, &mut filter.date_from),
            (Msg::DateTo, &mut analysis.date_to_text, &mut filter.date_to),
        ] {
            let label = ui.label(tr.t(msg));
            let response = ui
                .add(egui::TextEdit::singleline(text).hint_text(tr.t(Msg::DateHint)).desired_width(96.0))
                .labelled_by(label.id);
            let typed = text.trim();
            if typed.is_empty() {
                *target = None;
            } else if crate::formats::csv_import::is_partial_date(typed) {
                *target = Some(typed.to_owned());
            } else if !response.has_focus() {
                ui.colored_label(ui.visuals().error_fg_color, tr.t(Msg::BadDate));
            }
        }
    });
    analysis.filter = filter;
}

/// "Only where [attribute] is [value]".
fn attribute_filter_ui(
    ui: &mut Ui,
    tr: Tr,
    view: &ViewModel,
    chosen: &mut Option<(crate::model::AttributeId, String)>,
) {
    if view.attributes.is_empty() {
        return;
    }
    let label = ui.label(tr.t(Msg::OnlyWhere));
    let mut attribute = chosen.as_ref().map(|(id, _)| *id);
    let name_of = |id: crate::model::AttributeId| {
        view.attributes.iter().find(|a| a.attribute_id == id).map_or_else(String::new, |a| a.name.clone())
    };
    egui::ComboBox::from_id_salt("analysis_attribute")
        .selected_text(attribute.map_or_else(|| tr.t(Msg::Any).to_owned(), name_of))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut attribute, None, tr.t(Msg::Any));
            for item in &view.attributes {
                ui.selectable_value(&mut attribute, Some(item.attribute_id), &item.name);
            }
        })
        .response
        .labelled_by(label.id);
    let Some(attribute_id) = attribute else {
        *chosen = None;
        return;
    };
    let mut values: Vec<&String> =
        view.attribute_values.iter().filter(|((id, _), _)| *id == attribute_id).map(|(_, value)| value).collect();
    values.sort();
    values.dedup();
    let mut value = chosen.as_ref().filter(|(id, _)| *id == attribute_id).map(|(_, value)| value.clone());
    if value.is_none() {
        value = values.first().map(|v| (*v).clone());
    }
    let label = ui.label("=");
    egui::ComboBox::from_id_salt("analysis_attribute_value")
        .selected_text(value.clone().unwrap_or_default())
        .show_ui(ui, |ui| {
            for item in values {
                ui.selectable_value(&mut value, Some(item.clone()), item);
            }
        })
        .response
        .labelled_by(label.id);
    *chosen = value.map(|value| (attribute_id, value));
}

/// The excerpts behind a cell, listed in the navigator.
fn list_excerpts(app: &mut QuipuApp, label: String, ids: Vec<crate::model::ExcerptId>) {
    let tr = app.tr();
    let count = ids.len();
    app.ui.search_text.clear();
    app.pending
        .push(AppCommand::SetFilter(ExcerptFilter { only: Some((label.clone(), ids)), ..ExcerptFilter::default() }));
    app.report(tr.f(Msg::CellListed, &[("what", &label), ("n", &count)]));
}

/// The frequency view.
pub fn frequencies_panel_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    CentralPanel::default().show(ui, |ui| {
        let Some(session) = &app.session else {
            return;
        };
        let view = &session.view;
        // Options: grouping, measure, chart, export.
        let analysis = &mut app.ui.analysis;
        let mut export = None;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t(Msg::GroupBy));
            let mut groupings = vec![Grouping::Case, Grouping::Source, Grouping::Speaker, Grouping::Role];
            for attribute in &view.attributes {
                groupings.push(match attribute.scope {
                    AttributeScope::Case => Grouping::CaseAttribute(attribute.attribute_id),
                    AttributeScope::Source => Grouping::SourceAttribute(attribute.attribute_id),
                });
            }
            egui::ComboBox::from_id_salt("group_by")
                .selected_text(grouping_name(tr, view, analysis.grouping))
                .show_ui(ui, |ui| {
                    for grouping in groupings {
                        ui.selectable_value(&mut analysis.grouping, grouping, grouping_name(tr, view, grouping));
                    }
                })
                .response
                .labelled_by(label.id);
            labelled_choice(
                ui,
                tr,
                Msg::Show,
                "measure",
                &mut analysis.measure,
                &[
                    (CellMeasure::Excerpts, Msg::MeasureExcerpts),
                    (CellMeasure::Codings, Msg::MeasureCodings),
                    (CellMeasure::Share, Msg::MeasureShare),
                    (CellMeasure::Speakers, Msg::MeasureSpeakers),
                ],
            );
            labelled_choice(
                ui,
                tr,
                Msg::Chart,
                "chart_kind",
                &mut analysis.chart,
                &[
                    (ChartKind::Grouped, Msg::ChartGrouped),
                    (ChartKind::Stacked, Msg::ChartStacked),
                    (ChartKind::HeatMap, Msg::ChartHeatMap),
                ],
            );
            ui.menu_button(tr.t(Msg::ExportTable), |ui| {
                for format in FrequencyFormat::ALL {
                    if ui.button(format.name()).clicked() {
                        export = Some(format);
                    }
                }
            });
        });
        if let Some(format) = export {
            app.pending.push(AppCommand::Pick(PickPurpose::ExportFrequencies(format)));
        }
        filter_controls_ui(app, ui, true);
        ui.separator();
        let Some(table) = app.ui.analysis.frequencies.clone() else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        if table.codes.is_empty() || table.cells.is_empty() {
            ui.weak(tr.t(Msg::NoCodingsYet));
        }
        // The table needs its width; the chart sits beside it only on wide screens.
        let wide = ui.available_width() > 1500.0;
        if wide {
            ui.columns(2, |columns| {
                frequency_table_ui(app, &mut columns[0], &table);
                frequency_chart_ui(app, &mut columns[1], &table);
            });
        } else {
            let height = ui.available_height();
            ui.allocate_ui(vec2(ui.available_width(), height * 0.55), |ui| frequency_table_ui(app, ui, &table));
            frequency_chart_ui(app, ui, &table);
        }
    });
}

/// A label and a drop-down choosing `value` among `options`, the drop-down
/// named by the label for screen readers (and tests).
fn labelled_choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    tr: Tr,
    label: Msg,
    id: &str,
    value: &mut T,
    options: &[(T, Msg)],
) {
    let label = ui.label(tr.t(label));
    let shown = options.iter().find(|(option, _)| option == value).map_or("", |(_, msg)| tr.t(*msg));
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (option, msg) in options {
                ui.selectable_value(value, *option, tr.t(*msg));
            }
        })
        .response
        .labelled_by(label.id);
}

fn measure_text(measure: CellMeasure, cell: &crate::analysis::CellCount) -> String {
    match measure {
        CellMeasure::Excerpts => cell.excerpts.to_string(),
        CellMeasure::Codings => cell.codings.to_string(),
        CellMeasure::Share => format!("{:.0}%", cell.share * 100.0),
        CellMeasure::Speakers => cell.speakers.to_string(),
    }
}

fn measure_value(measure: CellMeasure, cell: &crate::analysis::CellCount) -> f64 {
    match measure {
        CellMeasure::Excerpts => cell.excerpts as f64,
        CellMeasure::Codings => cell.codings as f64,
        CellMeasure::Share => cell.share,
        CellMeasure::Speakers => cell.speakers as f64,
    }
}

/// The rows of the table (code indexes) in the chosen order.
fn sorted_rows(table: &FrequencyTable, measure: CellMeasure, sort: (SortColumn, bool)) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..table.codes.len()).collect();
    let value = |c: usize| match sort.0 {
        SortColumn::Codebook => -(c as f64),
        SortColumn::Group(g) => measure_value(measure, &table.cell(g, c)),
        SortColumn::Total => measure_value(measure, &table.totals[c]),
    };
    rows.sort_by(|a, b| value(*b).total_cmp(&value(*a)));
    if !sort.1 {
        rows.reverse();
    }
    rows
}

fn frequency_table_ui(app: &mut QuipuApp, ui: &mut Ui, table: &FrequencyTable) {
    let tr = app.tr();
    let measure = app.ui.analysis.measure;
    let (sort_column, descending) = app.ui.analysis.sort;
    let sort =
        if sort_column == SortColumn::Codebook { (SortColumn::Codebook, true) } else { (sort_column, descending) };
    let rows = sorted_rows(table, measure, sort);
    let dark = ui.visuals().dark_mode;
    let mut clicked: Option<(Option<usize>, usize)> = None;
    let mut new_sort = None;
    egui::ScrollArea::both().id_salt("frequency_table").auto_shrink([false, true]).show(ui, |ui| {
        egui::Grid::new("frequency_grid").striped(true).spacing(vec2(10.0, 4.0)).show(ui, |ui| {
            let header = |ui: &mut Ui, text: &str, column: SortColumn| -> bool {
                ui.horizontal(|ui| {
                    let clicked = ui.button(RichText::new(text).strong()).clicked();
                    if sort_column == column && column != SortColumn::Codebook {
                        sort_marker(ui, descending);
                    }
                    clicked
                })
                .inner
            };
            if header(ui, tr.t(Msg::Code), SortColumn::Codebook) {
                new_sort = Some(SortColumn::Codebook);
            }
            for (g, (group, _)) in table.groups.iter().enumerate() {
                if header(ui, group, SortColumn::Group(g)) {
                    new_sort = Some(SortColumn::Group(g));
                }
            }
            if header(ui, tr.t(Msg::Total), SortColumn::Total) {
                new_sort = Some(SortColumn::Total);
            }
            ui.end_row();
            for c in rows {
                let code = &table.codes[c];
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, theme::color32(code.color));
                    ui.label(&code.name).on_hover_text(&code.description);
                });
                for g in 0..table.groups.len() {
                    let cell = table.cell(g, c);
                    let name = format!("{} · {}: {}", code.name, table.groups[g].0, measure_text(measure, &cell));
                    let fill = if cell.excerpts > 0 {
                        theme::highlight(code.color, dark, (cell.share as f32 * 2.0).clamp(0.15, 1.6))
                    } else {
                        Color32::TRANSPARENT
                    };
                    let text = if cell.excerpts == 0 { "·".to_owned() } else { measure_text(measure, &cell) };
                    let response = ui
                        .add(egui::Button::new(text).fill(fill).min_size(vec2(48.0, 0.0)))
                        .accessible_name(&name)
                        .on_hover_text(format!(
                            "{}: {} · {}: {} · {:.0}% · {}: {}",
                            tr.t(Msg::MeasureExcerpts),
                            cell.excerpts,
                            tr.t(Msg::MeasureCodings),
                            cell.codings,
                            cell.share * 100.0,
                            tr.t(Msg::MeasureSpeakers),
                            cell.speakers
                        ));
                    if response.clicked() && cell.excerpts > 0 {
                        clicked = Some((Some(g), c));
                    }
                }
                let total = &table.totals[c];
                let name = format!("{} · {}: {}", code.name, tr.t(Msg::Total), measure_text(measure, total));
                if ui
                    .add(egui::Button::new(RichText::new(measure_text(measure, total)).strong()).frame(false))
                    .accessible_name(name)
                    .clicked()
                    && total.excerpts > 0
                {
                    clicked = Some((None, c));
                }
                ui.end_row();
            }
            ui.weak(tr.t(Msg::GroupExcerpts));
            for (_, size) in &table.groups {
                ui.weak(size.to_string());
            }
            ui.weak(table.total_excerpts.to_string());
            ui.end_row();
        });
    });
    if let Some(column) = new_sort {
        let analysis = &mut app.ui.analysis;
        analysis.sort = if analysis.sort.0 == column { (column, !analysis.sort.1) } else { (column, true) };
    }
    if let Some((group, c)) = clicked {
        let Some(session) = &app.session else {
            return;
        };
        let code = &table.codes[c];
        let (grouping, group_name) = match group {
            Some(g) => (table.grouping, table.groups[g].0.clone()),
            None => (Grouping::All, "all".to_owned()),
        };
        match cell_ids(&session.store, grouping, &group_name, code.code_id, &table.filter) {
            Ok(ids) => {
                let label = match group {
                    Some(_) => format!("{} · {group_name}", code.name),
                    None => code.name.clone(),
                };
                list_excerpts(app, label, ids);
            }
            Err(error) => app.report_error(error.to_string()),
        }
    }
}

/// A small triangle saying which way a column is sorted (drawn: the interface
/// font has no arrow glyphs).
fn sort_marker(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(vec2(9.0, 9.0), Sense::hover());
    let color = ui.visuals().text_color();
    let (top, bottom) = (rect.top(), rect.bottom());
    let points = if descending {
        vec![egui::pos2(rect.left(), top), egui::pos2(rect.right(), top), egui::pos2(rect.center().x, bottom)]
    } else {
        vec![egui::pos2(rect.left(), bottom), egui::pos2(rect.right(), bottom), egui::pos2(rect.center().x, top)]
    };
    ui.painter().add(egui::Shape::convex_polygon(points, color, egui::Stroke::NONE));
}

fn cell_ids(
    store: &Store,
    grouping: Grouping,
    group: &str,
    code_id: crate::model::CodeId,
    filter: &CountFilter,
) -> crate::store::StoreResult<Vec<crate::model::ExcerptId>> {
    store.cell_excerpts(grouping, group, code_id, filter)
}

fn frequency_chart_ui(app: &mut QuipuApp, ui: &mut Ui, table: &FrequencyTable) {
    let measure = app.ui.analysis.measure;
    let chart = app.ui.analysis.chart;
    let used: Vec<usize> = (0..table.codes.len()).filter(|c| table.totals[*c].excerpts > 0).collect();
    if used.is_empty() {
        return;
    }
    if chart == ChartKind::HeatMap {
        heat_map_ui(app, ui, table, &used);
        return;
    }
    let groups: Vec<String> = table.groups.iter().map(|(name, _)| name.clone()).collect();
    let width = 0.8 / used.len() as f64;
    let mut charts: Vec<BarChart> = Vec::new();
    for (position, c) in used.iter().enumerate() {
        let code = &table.codes[*c];
        let bars: Vec<Bar> = (0..groups.len())
            .map(|g| {
                let value = measure_value(measure, &table.cell(g, *c));
                let x = if chart == ChartKind::Stacked {
                    g as f64
                } else {
                    g as f64 - 0.4 + width * (position as f64 + 0.5)
                };
                Bar::new(x, value)
                    .width(if chart == ChartKind::Stacked { 0.7 } else { width * 0.95 })
                    .fill(theme::color32(code.color))
                    .stroke(egui::Stroke::new(0.5, theme::color32(code.color)))
                    .name(&groups[g])
            })
            .collect();
        let mut bar_chart = BarChart::new(code.name.clone(), bars).color(theme::color32(code.color));
        if chart == ChartKind::Stacked {
            let below: Vec<&BarChart> = charts.iter().collect();
            bar_chart = bar_chart.stack_on(&below);
        }
        charts.push(bar_chart);
    }
    let labels = groups.clone();
    // The table's colour swatches are the legend; hovering a bar names it.
    Plot::new("frequency_plot")
        .height(ui.available_height().max(260.0))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .show_grid([false, true])
        .x_axis_formatter(move |mark, _range| {
            let index = mark.value.round();
            if (mark.value - index).abs() < 1e-6 && index >= 0.0 {
                labels.get(index as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot_ui| {
            for bar_chart in charts {
                plot_ui.bar_chart(bar_chart);
            }
        });
}

fn heat_map_ui(app: &mut QuipuApp, ui: &mut Ui, table: &FrequencyTable, used: &[usize]) {
    let dark = ui.visuals().dark_mode;
    let max_share = used
        .iter()
        .flat_map(|c| (0..table.groups.len()).map(move |g| (g, *c)))
        .map(|(g, c)| table.cell(g, c).share)
        .fold(0.01, f64::max);
    let name_width = 170.0;
    let cell_width = ((ui.available_width() - name_width) / table.groups.len().max(1) as f64 as f32).clamp(30.0, 110.0);
    let cell_height = 22.0;
    let font = egui::TextStyle::Small.resolve(ui.style());
    egui::ScrollArea::both().id_salt("heat_map").show(ui, |ui| {
        let (rect, _) = ui.allocate_exact_size(
            vec2(name_width + cell_width * table.groups.len() as f32, cell_height * (used.len() + 1) as f32),
            Sense::hover(),
        );
        let painter = ui.painter_at(rect);
        let text_color = ui.visuals().text_color();
        for (g, (group, _)) in table.groups.iter().enumerate() {
            let x = rect.left() + name_width + cell_width * g as f32 + cell_width / 2.0;
            let galley = painter.layout(group.clone(), font.clone(), text_color, cell_width - 4.0);
            painter.galley(egui::pos2(x - galley.size().x / 2.0, rect.top()), galley, text_color);
        }
        for (row, c) in used.iter().enumerate() {
            let y = rect.top() + cell_height * (row + 1) as f32;
            painter.text(
                egui::pos2(rect.left() + name_width - 6.0, y + cell_height / 2.0),
                egui::Align2::RIGHT_CENTER,
                &table.codes[*c].name,
                font.clone(),
                text_color,
            );
            for g in 0..table.groups.len() {
                let cell = table.cell(g, *c);
                let strength = (cell.share / max_share) as f32;
                let base = if dark { Color32::from_rgb(40, 44, 52) } else { Color32::WHITE };
                let fill = base.lerp_to_gamma(Color32::from_rgb(22, 110, 120), strength);
                let cell_rect = egui::Rect::from_min_size(
                    egui::pos2(rect.left() + name_width + cell_width * g as f32, y),
                    vec2(cell_width - 2.0, cell_height - 2.0),
                );
                painter.rect_filled(cell_rect, 2.0, fill);
                if cell.excerpts > 0 {
                    let color = if strength > 0.55 || dark { Color32::WHITE } else { Color32::BLACK };
                    painter.text(
                        cell_rect.center(),
                        egui::Align2::CENTER_CENTER,
                        format!("{:.0}%", cell.share * 100.0),
                        font.clone(),
                        color,
                    );
                }
            }
        }
    });
    let _ = app;
}

/// The co-occurrence view.
pub fn cooccurrence_panel_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new(tr.t(Msg::CoocHelp)).weak());
        filter_controls_ui(app, ui, false);
        ui.separator();
        let Some(table) = app.ui.analysis.cooccurrence.clone() else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        cooccurrence_matrix_ui(app, ui, &table);
    });
}

fn cooccurrence_matrix_ui(app: &mut QuipuApp, ui: &mut Ui, table: &CooccurrenceTable) {
    let tr = app.tr();
    let dark = ui.visuals().dark_mode;
    let mut clicked = None;
    egui::ScrollArea::both().id_salt("cooccurrence").auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("cooccurrence_grid").spacing(vec2(4.0, 4.0)).show(ui, |ui| {
            ui.label("");
            for (index, _) in table.codes.iter().enumerate() {
                ui.with_layout(Layout::top_down(Align::Center), |ui| {
                    ui.strong((index + 1).to_string()).on_hover_text(&table.codes[index].name);
                });
            }
            ui.end_row();
            for (a, code) in table.codes.iter().enumerate() {
                ui.horizontal(|ui| {
                    ui.weak(format!("{:>2}", a + 1));
                    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, theme::color32(code.color));
                    ui.label(&code.name);
                });
                for b in 0..table.codes.len() {
                    if a == b {
                        ui.add(egui::Button::new(RichText::new(table.totals[a].to_string()).strong()).frame(false))
                            .accessible_name(format!("{}: {}", code.name, table.totals[a]));
                        continue;
                    }
                    let pair = table.pair(a, b);
                    let fill = if dark { Color32::from_rgb(40, 44, 52) } else { Color32::WHITE }
                        .lerp_to_gamma(Color32::from_rgb(22, 110, 120), (pair.c_coefficient as f32 * 2.0).min(1.0));
                    let text_color = if pair.c_coefficient > 0.28 || dark { Color32::WHITE } else { Color32::BLACK };
                    let text = if pair.excerpts == 0 { "·".to_owned() } else { pair.excerpts.to_string() };
                    let name = format!("{} × {}: {}", code.name, table.codes[b].name, pair.excerpts);
                    let response = ui
                        .add(
                            egui::Button::new(RichText::new(text).color(text_color))
                                .fill(fill)
                                .min_size(vec2(34.0, 0.0)),
                        )
                        .accessible_name(name)
                        .on_hover_text(format!(
                            "{} × {}\n{}: {} · overlapping: {} · c = {:.3}",
                            code.name,
                            table.codes[b].name,
                            tr.t(Msg::MeasureExcerpts),
                            pair.excerpts,
                            pair.overlapping,
                            pair.c_coefficient
                        ));
                    if response.clicked() && pair.excerpts > 0 {
                        clicked = Some((a, b));
                    }
                }
                ui.end_row();
            }
        });
    });
    if let Some((a, b)) = clicked {
        let Some(session) = &app.session else {
            return;
        };
        let (first, second) = (&table.codes[a], &table.codes[b]);
        match session.store.excerpts_with_both(first.code_id, second.code_id, &table.filter) {
            Ok(ids) => list_excerpts(app, format!("{} × {}", first.name, second.name), ids),
            Err(error) => app.report_error(error.to_string()),
        }
    }
}
