//! The navigator: search, the case → source tree with counts, filters, and the
//! excerpt list. The list lays out only the rows on screen, from previews the view
//! model fetched for them.

use egui::{Panel, RichText, Sense, Ui, vec2};

use super::PanelContext;
use super::widgets::{optional_choice_ui, side_panel};
use crate::gui::command::AppCommand;
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::PickPurpose;
use crate::gui::state::{NavigatorState, NewItem};
use crate::gui::view_model::ViewModel;
use crate::gui::workspace::Workspace;
use crate::model::{SourceDraft, TranslationStatus};
use crate::store::{ExcerptPreview, Filter, MATCH_END, MATCH_START};

/// Draws the left panel. It can be resized, and hidden from the View menu.
pub fn navigator_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, state: &mut NavigatorState, workspace: Workspace) {
    let tr = app.tr;
    side_panel(Panel::left("navigator"), ui, 260.0, 330.0, 0.45).show(ui, |ui| {
        let Some(view) = app.view else {
            ui.label(tr.t(Msg::NoProject));
            return;
        };
        if view.total_excerpts == 0 && view.filter.is_empty() {
            empty_project_ui(ui, app, view);
            return;
        }
        let mut filter = view.filter.clone();
        ui.add_space(4.0);
        search_box_ui(ui, tr, &mut state.search_text, &mut filter);
        new_menu_ui(ui, app, view);
        ui.add_space(2.0);
        egui::ScrollArea::vertical()
            .id_salt("tree_and_filters")
            .max_height((ui.available_height() * 0.42).max(150.0))
            .show(ui, |ui| {
                tree_ui(ui, tr, view, &mut filter);
                filters_ui(ui, tr, view, &mut filter);
            });
        if filter != view.filter {
            app.push(AppCommand::SetFilter(filter));
        }
        ui.separator();
        let count_text = if view.filter.is_empty() {
            tr.f(Msg::NExcerpts, &[("n", &view.excerpt_ids.len())])
        } else {
            tr.f(Msg::NOfMExcerpts, &[("n", &view.excerpt_ids.len()), ("m", &view.total_excerpts)])
        };
        ui.horizontal(|ui| {
            ui.strong(tr.t(Msg::Excerpts));
            ui.weak(count_text);
        });
        if let Some((label, _)) = &view.filter.only {
            let mut clear = false;
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}: {label}", tr.t(Msg::Listing))).italics());
                clear = ui.small_button(tr.t(Msg::ClearFilters)).clicked();
            });
            if clear {
                app.push(AppCommand::SetFilter(Filter::default()));
            }
        }
        excerpt_list_ui(ui, app, view, state, workspace);
    });
}

/// What an empty project shows: how to bring material in.
fn empty_project_ui(ui: &mut Ui, app: &mut PanelContext<'_>, view: &ViewModel) {
    let tr = app.tr;
    ui.add_space(12.0);
    ui.heading(tr.t(Msg::EmptyProjectTitle));
    ui.add(egui::Label::new(tr.t(Msg::EmptyProjectHelp)).wrap());
    ui.add_space(8.0);
    for (msg, purpose) in [
        (Msg::ImportTranscript, PickPurpose::ImportTranscript),
        (Msg::ImportCsv, PickPurpose::Import),
        (Msg::ImportRefi, PickPurpose::ImportRefi),
    ] {
        if ui.button(tr.t(msg)).clicked() {
            app.push(AppCommand::Pick(purpose));
        }
    }
    ui.add_space(4.0);
    new_menu_ui(ui, app, view);
    ui.add_space(4.0);
    ui.add(egui::Label::new(RichText::new(tr.t(Msg::EmptyProjectDrop)).weak()).wrap());
    ui.add_space(12.0);
    if ui.link(tr.t(Msg::OpenDemo)).clicked() {
        app.push(AppCommand::OpenDemo);
    }
}

/// Making a case, a source or excerpts by hand, next to where they are read.
fn new_menu_ui(ui: &mut Ui, app: &mut PanelContext<'_>, view: &ViewModel) {
    let tr = app.tr;
    let current = view.current.as_ref();
    let case_id = view.filter.cases.first().copied().or(current.map(|current| current.source.case_id));
    let source_id = view.filter.sources.first().copied().or(current.map(|current| current.source.source_id));
    ui.menu_button(tr.t(Msg::NewMenu), |ui| {
        if ui.button(tr.t(Msg::NewCase)).clicked() {
            app.push(AppCommand::OpenNewItem(NewItem::Case { name: String::new() }));
        }
        if ui.button(tr.t(Msg::NewSource)).clicked() {
            app.push(AppCommand::OpenNewItem(NewItem::Source { case_id, draft: SourceDraft::default() }));
        }
        if ui.button(tr.t(Msg::NewExcerpts)).clicked() {
            app.push(AppCommand::OpenNewItem(NewItem::Excerpts {
                source_id,
                original: String::new(),
                translation: String::new(),
                as_turns: false,
                planned: None,
            }));
        }
    });
}

fn search_box_ui(ui: &mut Ui, tr: Tr, search_text: &mut String, filter: &mut Filter) {
    ui.horizontal(|ui| {
        let label = ui.label(tr.t(Msg::Search));
        let response = ui
            .add(egui::TextEdit::singleline(search_text).hint_text(tr.t(Msg::SearchHint)).desired_width(f32::INFINITY));
        let response = response.labelled_by(label.id);
        if ui.input_mut(|input| {
            input.consume_shortcut(&egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::F))
        }) {
            response.request_focus();
        }
        if response.changed() {
            filter.search = search_text.clone();
        }
    });
}

fn tree_ui(ui: &mut Ui, tr: Tr, view: &ViewModel, filter: &mut Filter) {
    ui.strong(tr.t(Msg::Cases));
    for case in &view.cases {
        let sources: Vec<_> = view.sources.iter().filter(|s| s.case_id == case.case_id).collect();
        let total: u64 = sources.iter().map(|s| s.excerpts).sum();
        let case_selected = filter.cases == [case.case_id] && filter.sources.is_empty();
        let id = ui.make_persistent_id(("case", case.case_id));
        egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false)
            .show_header(ui, |ui| {
                let text = format!("{}  ({total})", case.name);
                let response = ui.selectable_label(case_selected, text).on_hover_text(&case.description);
                if response.clicked() {
                    filter.sources.clear();
                    filter.cases = if case_selected { Vec::new() } else { vec![case.case_id] };
                }
            })
            .body(|ui| {
                for source in sources {
                    let selected = filter.sources == [source.source_id];
                    let text = format!("{}  ({})", source.name, source.excerpts);
                    let hover = if source.speaker.is_empty() { source.name.clone() } else { source.speaker.clone() };
                    if ui.selectable_label(selected, text).on_hover_text(hover).clicked() {
                        if selected {
                            filter.sources.clear();
                        } else {
                            filter.cases = vec![case.case_id];
                            filter.sources = vec![source.source_id];
                        }
                    }
                }
            });
    }
}

fn filters_ui(ui: &mut Ui, tr: Tr, view: &ViewModel, filter: &mut Filter) {
    egui::CollapsingHeader::new(tr.t(Msg::Filters)).default_open(true).show(ui, |ui| {
        egui::Grid::new("filters").num_columns(2).spacing(vec2(8.0, 4.0)).show(ui, |ui| {
            // One speaker, code, coder and status at a time.
            let mut speaker = filter.speakers.first().cloned();
            let speakers = view.speakers.iter().map(|speaker| (speaker.clone(), speaker.clone()));
            optional_choice_ui(ui, tr, ("speaker_filter", tr.t(Msg::Speaker)), Some(170.0), &mut speaker, speakers);
            filter.speakers = speaker.into_iter().collect();
            ui.end_row();
            // A code brings the codes under it.
            let mut code = filter.codes.first().copied();
            let codes = view.codes.iter().map(|row| (row.code.code_id, row.path.clone()));
            optional_choice_ui(ui, tr, ("code_filter", tr.t(Msg::Code)), Some(170.0), &mut code, codes);
            filter.codes = code.into_iter().collect();
            filter.with_children = code.is_some();
            ui.end_row();
            let coders = view.coders.iter().map(|coder| (coder.coder_id, coder.name.clone()));
            optional_choice_ui(ui, tr, ("coder_filter", tr.t(Msg::Coder)), Some(170.0), &mut filter.coder_id, coders);
            ui.end_row();
            let mut status = filter.statuses.first().copied();
            let statuses = TranslationStatus::ALL.into_iter().map(|status| (status, tr.status(status).to_owned()));
            optional_choice_ui(ui, tr, ("status_filter", tr.t(Msg::Status)), Some(170.0), &mut status, statuses);
            filter.statuses = status.into_iter().collect();
            ui.end_row();
        });
        if !filter.is_empty() && ui.button(tr.t(Msg::ClearFilters)).clicked() {
            *filter = Filter::default();
        }
    });
}

/// Height of one list row: a heading line and a line of text.
fn row_height(ui: &Ui) -> f32 {
    let body = ui.text_style_height(&egui::TextStyle::Body);
    let small = ui.text_style_height(&egui::TextStyle::Small);
    body + small + 14.0
}

fn excerpt_list_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    view: &ViewModel,
    state: &mut NavigatorState,
    workspace: Workspace,
) {
    let tr = app.tr;
    if view.excerpt_ids.is_empty() {
        ui.weak(tr.t(Msg::NoMatches));
        return;
    }
    let height = row_height(ui);
    let selected_index = app.selected.and_then(|id| view.index_of(id));
    let mut scroll = egui::ScrollArea::vertical().id_salt("excerpt_list").auto_shrink([false, false]);
    if state.scroll_to_selected {
        state.scroll_to_selected = false;
        if let Some(index) = selected_index {
            let spacing = ui.spacing().item_spacing.y;
            let target = index as f32 * (height + spacing) - ui.available_height() / 2.0;
            scroll = scroll.vertical_scroll_offset(target.max(0.0));
        }
    }
    let mut visible = 0..0;
    let mut clicked = None;
    scroll.show_rows(ui, height, view.excerpt_ids.len(), |ui, rows| {
        visible = rows.clone();
        for index in rows {
            let preview = view.preview(index);
            let excerpt_id = view.excerpt_ids[index];
            let is_selected = app.selected == Some(excerpt_id);
            if excerpt_row_ui(ui, tr, view, preview, excerpt_id.0, is_selected, height).clicked() {
                clicked = Some(excerpt_id);
            }
        }
    });
    if state.visible_rows != visible {
        state.visible_rows = visible;
        ui.ctx().request_repaint();
    }
    if let Some(excerpt_id) = clicked {
        app.push(AppCommand::Open(excerpt_id));
        // From an analysis view, an excerpt opens in the reader.
        if workspace != Workspace::Reader {
            app.push(AppCommand::SetWorkspace(Workspace::Reader));
        }
    }
}

fn excerpt_row_ui(
    ui: &mut Ui,
    tr: Tr,
    view: &ViewModel,
    preview: Option<&ExcerptPreview>,
    excerpt_number: i64,
    is_selected: bool,
    height: f32,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    let label = preview
        .map(|p| if p.label.is_empty() { format!("#{excerpt_number}") } else { p.label.clone() })
        .unwrap_or_else(|| format!("#{excerpt_number}"));
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    if is_selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let text_color = if is_selected { visuals.selection.stroke.color } else { visuals.text_color() };
    let weak = if is_selected { text_color } else { visuals.weak_text_color() };
    let body = egui::TextStyle::Body.resolve(ui.style());
    let small = egui::TextStyle::Small.resolve(ui.style());
    let inner = rect.shrink2(vec2(8.0, 5.0));
    let Some(preview) = preview else {
        painter.text(inner.left_top(), egui::Align2::LEFT_TOP, "…", body, weak);
        return response;
    };
    let source = view.sources.iter().find(|s| s.source_id == preview.source_id);
    // A transcript's turn names its speaker; other excerpts, their source's.
    let heading = match source {
        _ if !preview.speaker.is_empty() => format!("{label} · {}", preview.speaker),
        Some(source) if !source.speaker.is_empty() => format!("{label} · {}", source.speaker),
        Some(source) => format!("{label} · {}", source.name),
        None => label.clone(),
    };
    // Right side: status and number of codings; the heading is cut to leave room.
    let mut badge = String::new();
    if preview.codings > 0 {
        badge.push_str(&format!("• {}", preview.codings));
    }
    if preview.translation_status != TranslationStatus::Reviewed {
        badge.push_str(&format!("  {}", tr.status(preview.translation_status)));
    }
    let status_color = match preview.translation_status {
        TranslationStatus::Disputed => visuals.warn_fg_color,
        TranslationStatus::Missing => visuals.weak_text_color(),
        _ => weak,
    };
    let badge_rect =
        painter.text(inner.right_top(), egui::Align2::RIGHT_TOP, badge.trim(), small.clone(), status_color);
    let mut heading_job = egui::text::LayoutJob::single_section(heading, egui::TextFormat::simple(body, text_color));
    heading_job.wrap =
        egui::text::TextWrapping::truncate_at_width((inner.width() - badge_rect.width() - 8.0).max(20.0));
    painter.galley(inner.left_top(), painter.layout_job(heading_job), text_color);
    // When searching, the part that matched, with the hits marked; else the start.
    let mut job = egui::text::LayoutJob::default();
    match &preview.snippet {
        Some(snippet) => {
            let plain = egui::TextFormat::simple(small.clone(), weak);
            let hit = egui::TextFormat {
                background: crate::gui::theme::search_match(visuals.dark_mode),
                color: if visuals.dark_mode { text_color } else { egui::Color32::BLACK },
                ..egui::TextFormat::simple(small.clone(), weak)
            };
            for (index, piece) in snippet.replace('\n', " ").split([MATCH_START, MATCH_END]).enumerate() {
                job.append(piece, 0.0, if index % 2 == 1 { hit.clone() } else { plain.clone() });
            }
        }
        None => {
            let line = preview
                .original_start
                .as_deref()
                .or(preview.translation_start.as_deref())
                .unwrap_or_default()
                .replace('\n', " ");
            job.append(&line, 0.0, egui::TextFormat::simple(small, weak));
        }
    }
    job.wrap = egui::text::TextWrapping::truncate_at_width(inner.width());
    let galley = painter.layout_job(job);
    painter.galley(inner.left_bottom() - vec2(0.0, galley.size().y), galley, weak);
    response
}
