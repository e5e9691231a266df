//! The frequency view: codes × groups (cases, sources, speakers, roles or an
//! attribute's values), sortable, with totals, beside its chart (grouped or
//! stacked bars with a legend, or a heat map). Tables are counted in the
//! background; clicking a cell lists its excerpts in the navigator.

use egui::{CentralPanel, Color32, RichText, Sense, Ui, vec2};
use egui_plot::{Bar, BarChart, Plot};

use super::PanelContext;
use super::analysis_filters::{filter_controls_ui, grouping_name};
use super::widgets::{labelled_choice, sort_marker};
use crate::analysis::FrequencyTable;
use crate::formats::FrequencyFormat;
use crate::formats::chart::ChartKind;
use crate::gui::command::AppCommand;
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::PickPurpose;
use crate::gui::theme;
use crate::gui::workspace::{AnalysisState, CellMeasure, SortColumn};
use crate::model::{AttributeScope, distinct_colors};
use crate::store::Grouping;

/// The frequency view.
pub fn frequencies_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, analysis: &mut AnalysisState) {
    let tr = app.tr;
    CentralPanel::default().show(ui, |ui| {
        let Some(view) = app.view else {
            return;
        };
        // Options: grouping, measure, chart, export.
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
            app.push(AppCommand::Pick(PickPurpose::ExportFrequencies(format)));
        }
        filter_controls_ui(ui, app, analysis, true);
        ui.separator();
        let Some(table) = analysis.frequencies.as_ref() else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        if table.codes.is_empty() || table.cells.is_empty() {
            ui.weak(tr.t(Msg::NoCodingsYet));
        }
        let look = TableLook { measure: analysis.measure, sort: analysis.sort, chart: analysis.chart };
        // The table needs its width; the chart sits beside it only on wide screens.
        let wide = ui.available_width() > 1500.0;
        let new_sort = if wide {
            ui.columns(2, |columns| {
                let new_sort = frequency_table_ui(&mut columns[0], app, table, look);
                frequency_chart_ui(&mut columns[1], tr, table, look);
                new_sort
            })
        } else {
            let height = ui.available_height();
            let new_sort = ui
                .allocate_ui(vec2(ui.available_width(), height * 0.55), |ui| frequency_table_ui(ui, app, table, look))
                .inner;
            frequency_chart_ui(ui, tr, table, look);
            new_sort
        };
        if let Some(column) = new_sort {
            analysis.sort = if analysis.sort.0 == column { (column, !analysis.sort.1) } else { (column, true) };
        }
    });
}

/// How the table and chart show the counts.
#[derive(Debug, Clone, Copy)]
struct TableLook {
    measure: CellMeasure,
    sort: (SortColumn, bool),
    chart: ChartKind,
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

/// The table; returns the column whose header was clicked.
fn frequency_table_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    table: &FrequencyTable,
    look: TableLook,
) -> Option<SortColumn> {
    let tr = app.tr;
    let measure = look.measure;
    let (sort_column, descending) = look.sort;
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
                    theme::swatch(ui, code.color, 10.0);
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
    if let Some((group, c)) = clicked {
        let code = &table.codes[c];
        let (grouping, group_name) = match group {
            Some(g) => (table.grouping, table.groups[g].0.clone()),
            None => (Grouping::All, "all".to_owned()),
        };
        let label = match group {
            Some(_) => format!("{} · {group_name}", code.name),
            None => code.name.clone(),
        };
        app.push(AppCommand::ListCell {
            grouping,
            group: group_name,
            code_id: code.code_id,
            filter: table.filter.clone(),
            label,
        });
    }
    new_sort
}

/// A small triangle saying which way a column is sorted (drawn: the interface
/// font has no arrow glyphs).
fn frequency_chart_ui(ui: &mut Ui, tr: Tr, table: &FrequencyTable, look: TableLook) {
    let measure = look.measure;
    let chart = look.chart;
    let used: Vec<usize> = (0..table.codes.len()).filter(|c| table.totals[*c].excerpts > 0).collect();
    if used.is_empty() {
        return;
    }
    if chart == ChartKind::HeatMap {
        heat_map_ui(ui, table, &used);
        return;
    }
    let groups: Vec<String> = table.groups.iter().map(|(name, _)| name.clone()).collect();
    let colors = distinct_colors(&used.iter().map(|c| table.codes[*c].color).collect::<Vec<_>>());
    let width = 0.8 / used.len() as f64;
    let mut charts: Vec<BarChart> = Vec::new();
    for (position, c) in used.iter().enumerate() {
        let code = &table.codes[*c];
        let color = theme::color32(colors[position]);
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
                    .fill(color)
                    .stroke(egui::Stroke::new(0.5, color))
                    .name(&groups[g])
            })
            .collect();
        // Hovering a bar names its code, its group and its value.
        let code_name = code.name.clone();
        let mut bar_chart =
            BarChart::new(code.name.clone(), bars).color(color).element_formatter(Box::new(move |bar, _| {
                format!("{code_name}\n{}: {}", bar.name, measure_label(measure, bar.value))
            }));
        if chart == ChartKind::Stacked {
            let below: Vec<&BarChart> = charts.iter().collect();
            bar_chart = bar_chart.stack_on(&below);
        }
        charts.push(bar_chart);
    }
    // Group names under the bars are shortened to the room each group has.
    let room = (ui.available_width() - 60.0) / groups.len().max(1) as f32;
    let font_width = ui.text_style_height(&egui::TextStyle::Body) * 0.55;
    let max_chars = ((room / font_width) as usize).max(3);
    let labels: Vec<String> = groups.iter().map(|group| shorten(group, max_chars)).collect();
    legend_ui(ui, tr.t(Msg::Legend), used.iter().map(|c| table.codes[*c].name.as_str()).zip(colors.iter().copied()));
    Plot::new("frequency_plot")
        .height(ui.available_height().max(220.0))
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

/// The chart's legend: each code's colour and name, in rows above the chart
/// (inside it, a legend would hide bars).
fn legend_ui<'a>(ui: &mut Ui, legend_name: &str, entries: impl Iterator<Item = (&'a str, crate::model::Color)>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (name, color) in entries {
            theme::swatch(ui, color, 10.0);
            ui.label(RichText::new(name).small());
            ui.add_space(8.0);
        }
    })
    .response
    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, legend_name));
}

/// `text`, cut to `max_chars` characters with an ellipsis if longer.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// A chart value as the chosen measure shows it.
fn measure_label(measure: CellMeasure, value: f64) -> String {
    match measure {
        CellMeasure::Share => format!("{:.0}%", value * 100.0),
        _ => format!("{value:.0}"),
    }
}

fn heat_map_ui(ui: &mut Ui, table: &FrequencyTable, used: &[usize]) {
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
                let fill = theme::heat(strength, dark);
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
}
