//! The bilingual reader: the excerpt's original beside its translation (or a whole
//! source, excerpt after excerpt), coded passages in their code's colour and,
//! lighter, on the aligned sentences of the other language, search hits
//! underlined, the sentence pair under the pointer highlighted on both sides, code
//! names in the margin, and the excerpt's status, codings and memo below.

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{CentralPanel, Color32, RichText, Stroke, Ui, vec2};

use super::PanelContext;
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::state::{PassageMenu, ReaderState, TextSelection};
use crate::gui::theme;
use crate::gui::view_model::{CodeRow, CodingView, ExcerptView};
use crate::model::{CodingAnchor, Color, ExcerptId, MemoTarget, Side, TranslationStatus};
use crate::text::{self, CharSpan};

/// Width of the margin that names the codes beside each text, at most.
const MARGIN: f32 = 118.0;

/// The margin for a column `width` wide: narrower on a small screen.
fn margin_for(width: f32) -> f32 {
    (width * 0.28).clamp(64.0, MARGIN)
}

/// Draws the central panel.
pub fn reader_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, state: &mut ReaderState) {
    let tr = app.tr;
    CentralPanel::default().show(ui, |ui| {
        let Some(view_model) = app.view else {
            return;
        };
        let Some(current) = view_model.current.as_ref() else {
            let msg = if view_model.total_excerpts == 0 { Msg::EmptyProjectReader } else { Msg::NoExcerptSelected };
            ui.centered_and_justified(|ui| ui.add(egui::Label::new(RichText::new(tr.t(msg)).weak()).wrap()));
            return;
        };
        let whole_source = view_model.whole_source && !view_model.source_views.is_empty();
        let source_views: &[ExcerptView] = if whole_source { &view_model.source_views } else { &[] };
        let mut hovered_pair = None;
        state.text_ids.clear();
        // The header stays put while the texts scroll.
        header_ui(app, state, ui, current);
        ui.add_space(4.0);
        egui::ScrollArea::vertical().id_salt("reader").auto_shrink([false, false]).show(ui, |ui| {
            if whole_source {
                for view in source_views {
                    let is_current = view.excerpt.excerpt_id == current.excerpt.excerpt_id;
                    ui.separator();
                    let heading = ui.horizontal(|ui| {
                        let label = RichText::new(excerpt_title(view)).strong();
                        let label = if is_current { label.color(ui.visuals().selection.stroke.color) } else { label };
                        if ui.selectable_label(is_current, label).clicked() && !is_current {
                            app.push(AppCommand::Select(Some(view.excerpt.excerpt_id)));
                        }
                        if view.excerpt.translation_status != TranslationStatus::Reviewed {
                            ui.weak(tr.status(view.excerpt.translation_status));
                        }
                    });
                    if is_current && std::mem::take(&mut state.scroll_to_selected) {
                        heading.response.scroll_to_me(Some(egui::Align::TOP));
                    }
                    hovered_pair = excerpt_body_ui(app, state, ui, view, is_current).or(hovered_pair);
                }
            } else {
                state.scroll_to_selected = false;
                status_ui(app, state, ui, current);
                hovered_pair = excerpt_body_ui(app, state, ui, current, true);
            }
        });
        let hovered = hovered_pair;
        if state.hovered_pair != hovered {
            state.hovered_pair = hovered;
            ui.ctx().request_repaint();
        }
    });
    passage_menu_ui(app, state, ui.ctx());
}

fn excerpt_title(view: &ExcerptView) -> String {
    if view.excerpt.label.is_empty() { format!("#{}", view.excerpt.excerpt_id) } else { view.excerpt.label.clone() }
}

/// One excerpt: its whole-excerpt codes, its two texts, and, when it is the current
/// one, its status (in whole-source reading), codings and memo. Returns the sentence
/// pair under the pointer.
fn excerpt_body_ui(
    app: &mut PanelContext<'_>,
    state: &mut ReaderState,
    ui: &mut Ui,
    view: &ExcerptView,
    is_current: bool,
) -> Option<(ExcerptId, usize)> {
    let whole_source = app.view.is_some_and(|view| view.whole_source);
    if whole_source && is_current {
        status_ui(app, state, ui, view);
    }
    turn_ui(app, ui, view);
    whole_codings_ui(app, ui, view);
    let hovered = texts_ui(app, state, ui, view, is_current);
    if is_current {
        ui.add_space(10.0);
        codings_list_ui(app, ui, view);
        ui.add_space(10.0);
        memo_ui(app, ui, view);
    }
    hovered.map(|pair| (view.excerpt.excerpt_id, pair))
}

/// The excerpt's (or source's) title, where it comes from and who speaks, with
/// the reading mode and previous/next. Everything wraps on a narrow screen.
fn header_ui(app: &mut PanelContext<'_>, state: &ReaderState, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    let source = &view.source;
    let whole_source = app.view.is_some_and(|view| view.whole_source);
    ui.horizontal_wrapped(|ui| {
        if ui.button(format!("‹ {}", tr.t(Msg::Previous))).on_hover_text(tr.t(Msg::KeysUp)).clicked() {
            app.push(AppCommand::Step(-1));
        }
        if ui.button(format!("{} ›", tr.t(Msg::Next))).on_hover_text(tr.t(Msg::KeysDown)).clicked() {
            app.push(AppCommand::Step(1));
        }
        ui.separator();
        let mut mode = whole_source;
        if ui.selectable_value(&mut mode, false, tr.t(Msg::ReadExcerpt)).clicked()
            | ui.selectable_value(&mut mode, true, tr.t(Msg::ReadSource)).clicked()
            && mode != whole_source
        {
            app.push(AppCommand::SetWholeSource(mode));
        }
        ui.separator();
        ui.menu_button(tr.t(Msg::ExcerptMenu), |ui| excerpt_menu_ui(ui, app, state, view));
    });
    let title = if whole_source { source.name.clone() } else { excerpt_title(view) };
    let place = if whole_source { view.case_name.clone() } else { format!("{} · {}", view.case_name, source.name) };
    ui.horizontal_wrapped(|ui| {
        ui.add(egui::Label::new(RichText::new(title).text_style(egui::TextStyle::Heading)).wrap());
        ui.add(egui::Label::new(RichText::new(place).weak()).wrap());
    });
    let who: Vec<&str> = [&source.speaker, &source.role, &source.place, &source.date]
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(String::as_str)
        .collect();
    if !who.is_empty() {
        ui.add(egui::Label::new(RichText::new(who.join(" · ")).italics()).wrap());
    }
}

/// Mending the excerpt: split at the cursor, join with the next, move, shift
/// its translation, delete.
fn excerpt_menu_ui(ui: &mut Ui, app: &mut PanelContext<'_>, state: &ReaderState, view: &ExcerptView) {
    let tr = app.tr;
    let excerpt_id = view.excerpt.excerpt_id;
    let cut = state.cursor.filter(|(id, side, at)| {
        *id == excerpt_id && *at > 0 && view.excerpt.text(*side).is_some_and(|text| *at < text::char_len(text))
    });
    let split = ui.add_enabled(cut.is_some(), egui::Button::new(tr.t(Msg::SplitAtCursor)));
    if split.clicked()
        && let Some((_, side, at)) = cut
    {
        app.push(AppCommand::Edit(Edit::SplitExcerpt { excerpt_id, side, at }));
    }
    if cut.is_none() {
        split.on_disabled_hover_text(tr.t(Msg::SplitHint));
    }
    let edits = [
        (Msg::JoinWithNext, Edit::JoinWithNext { excerpt_id }),
        (Msg::MoveUp, Edit::MoveExcerpt { excerpt_id, direction: -1 }),
        (Msg::MoveDown, Edit::MoveExcerpt { excerpt_id, direction: 1 }),
        (Msg::ShiftTranslationUp, Edit::ShiftTranslation { excerpt_id, toward_next: false }),
        (Msg::ShiftTranslationDown, Edit::ShiftTranslation { excerpt_id, toward_next: true }),
    ];
    for (msg, edit) in edits {
        if ui.button(tr.t(msg)).clicked() {
            app.push(AppCommand::Edit(edit));
        }
    }
    if let Some(model) = app.view {
        ui.menu_button(tr.t(Msg::MoveToSource), |ui| {
            egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                for source in model.sources.iter().filter(|source| source.source_id != view.excerpt.source_id) {
                    let name = format!("{} / {}", model.case_name(source.case_id), source.name);
                    if ui.button(name).clicked() {
                        let edit = Edit::MoveExcerptToSource { excerpt_id, source_id: source.source_id };
                        app.push(AppCommand::Edit(edit));
                    }
                }
            });
        });
    }
    ui.separator();
    let delete = egui::Button::new(RichText::new(tr.t(Msg::DeleteExcerpt)).color(ui.visuals().error_fg_color));
    if ui.add(delete).clicked() {
        app.push(AppCommand::Confirm(crate::gui::state::Confirm::DeleteExcerpt(excerpt_id)));
    }
}

fn status_ui(app: &mut PanelContext<'_>, state: &mut ReaderState, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    let excerpt = &view.excerpt;
    ui.horizontal(|ui| {
        let label = ui.label(tr.t(Msg::Status));
        let mut status = excerpt.translation_status;
        egui::ComboBox::from_id_salt("translation_status")
            .selected_text(tr.status(status))
            .show_ui(ui, |ui| {
                for choice in TranslationStatus::ALL {
                    ui.selectable_value(&mut status, choice, tr.status(choice));
                }
            })
            .response
            .labelled_by(label.id);
        let note = state.status_note.get_or_insert_with(|| excerpt.translation_note.clone());
        let note_label = ui.weak(tr.t(Msg::ReviewNote));
        let response =
            ui.add(egui::TextEdit::singleline(note).desired_width(ui.available_width())).labelled_by(note_label.id);
        let note_done = response.lost_focus() && *note != excerpt.translation_note;
        if status != excerpt.translation_status || note_done {
            app.push(AppCommand::Edit(Edit::SetStatus { excerpt_id: excerpt.excerpt_id, status, note: note.clone() }));
        }
    });
}

/// Who speaks this turn and when, for an excerpt from a transcript.
fn turn_ui(app: &PanelContext<'_>, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    let excerpt = &view.excerpt;
    let mut parts: Vec<String> = Vec::new();
    if !excerpt.speaker.is_empty() {
        parts.push(excerpt.speaker.clone());
    }
    if excerpt.interviewer {
        parts.push(tr.t(Msg::InterviewerShort).to_owned());
    }
    if !excerpt.time.is_empty() {
        parts.push(excerpt.time.clone());
    }
    if !parts.is_empty() {
        ui.label(RichText::new(parts.join(" · ")).strong());
    }
}

/// A code's name on its colour, as a label (the codebook is where codes are applied).
fn chip_ui(ui: &mut Ui, name: &str, color: Color, dark: bool) -> egui::Response {
    let text = RichText::new(format!(" {name} "))
        .color(if dark { Color32::WHITE } else { Color32::BLACK })
        .background_color(theme::highlight(color, dark, 1.4));
    ui.label(text)
}

fn whole_codings_ui(app: &mut PanelContext<'_>, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    let dark = ui.visuals().dark_mode;
    let whole: Vec<_> = view.codings.iter().filter(|coding| coding.coding.anchor == CodingAnchor::Whole).collect();
    if whole.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!("{}:", tr.t(Msg::WholeExcerpt)));
        for coding in whole {
            chip_ui(ui, &coding.code_name, coding.color, dark)
                .on_hover_text(tr.f(Msg::CodedBy, &[("who", &coding.coder_name)]));
        }
    });
    ui.add_space(4.0);
}

/// Both texts side by side (or the one there is, full width); returns the
/// sentence pair under the pointer.
fn texts_ui(
    app: &mut PanelContext<'_>,
    state: &mut ReaderState,
    ui: &mut Ui,
    view: &ExcerptView,
    is_current: bool,
) -> Option<usize> {
    let editing = |side: Side| is_current && is_editing(state, side);
    let sides: Vec<Side> = [Side::Original, Side::Translation]
        .into_iter()
        .filter(|side| view.excerpt.text(*side).is_some() || editing(*side))
        .collect();
    let mut hovered_pair = None;
    if sides.len() == 2 {
        ui.columns(2, |columns| {
            for (column, side) in columns.iter_mut().zip(&sides) {
                hovered_pair = side_ui(app, state, column, view, *side, is_current).or(hovered_pair);
            }
        });
    } else {
        for side in &sides {
            hovered_pair = side_ui(app, state, ui, view, *side, is_current).or(hovered_pair);
        }
        let missing = if sides.first() == Some(&Side::Original) { Side::Translation } else { Side::Original };
        missing_side_ui(app, state, ui, missing, is_current);
    }
    hovered_pair
}

fn is_editing(state: &ReaderState, side: Side) -> bool {
    matches!(&state.editing, Some((editing_side, _)) if *editing_side == side)
}

fn side_title(tr: Tr, view: &ExcerptView, side: Side) -> String {
    let (msg, lang) = match side {
        Side::Original => (Msg::Original, &view.excerpt.original_lang),
        Side::Translation => (Msg::Translation, &view.excerpt.translation_lang),
    };
    format!("{} ({lang})", tr.t(msg))
}

fn edit_button_name(tr: Tr, side: Side) -> &'static str {
    tr.t(if side == Side::Original { Msg::EditOriginal } else { Msg::EditTranslation })
}

fn missing_side_ui(app: &mut PanelContext<'_>, state: &mut ReaderState, ui: &mut Ui, side: Side, is_current: bool) {
    let tr = app.tr;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.weak(tr.t(if side == Side::Translation { Msg::NoTranslation } else { Msg::NoOriginal }));
        if is_current && ui.small_button(tr.t(Msg::EditText)).accessible_name(edit_button_name(tr, side)).clicked() {
            state.editing = Some((side, String::new()));
        }
    });
}

/// Draws one language's text; returns the sentence pair under the pointer.
fn side_ui(
    app: &mut PanelContext<'_>,
    state: &mut ReaderState,
    ui: &mut Ui,
    view: &ExcerptView,
    side: Side,
    is_current: bool,
) -> Option<usize> {
    let tr = app.tr;
    let excerpt_id = view.excerpt.excerpt_id;
    ui.horizontal(|ui| {
        ui.strong(side_title(tr, view, side));
        if is_current
            && !is_editing(state, side)
            && ui.small_button(tr.t(Msg::EditText)).accessible_name(edit_button_name(tr, side)).clicked()
        {
            state.editing = Some((side, view.excerpt.text(side).unwrap_or_default().to_owned()));
        }
    });
    if is_current && is_editing(state, side) {
        edit_side_ui(app, state, ui, excerpt_id, side);
        return None;
    }
    let full_text = view.excerpt.text(side).unwrap_or_default();
    let dark = ui.visuals().dark_mode;
    let hovered_pair = state.hovered_pair.filter(|(id, _)| *id == excerpt_id).map(|(_, pair)| pair);
    let paint = SidePaint::new(view, side, hovered_pair);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let mut layouter = |ui: &Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = paint.layout_job(buffer.as_str(), font.clone(), text_color, dark);
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    };
    let mut read_only: &str = full_text;
    let margin = margin_for(ui.available_width());
    let text_width = (ui.available_width() - margin).max(80.0);
    // The text gets a column of its own; the margin beside it names the codes.
    let output = ui
        .allocate_ui_with_layout(vec2(text_width, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.set_max_width(text_width);
            egui::TextEdit::multiline(&mut read_only)
                .id_salt(("reader_text", excerpt_id, side.as_str()))
                .desired_width(text_width)
                .desired_rows(1)
                .frame(egui::Frame::NONE)
                .layouter(&mut layouter)
                .show(ui)
        })
        .inner;
    let response = output.response.response.clone();
    state.text_ids.push(response.id);
    if response.gained_focus() && !is_current {
        app.push(AppCommand::Select(Some(excerpt_id)));
    }
    // Keep the selection while focus moves to the codebook.
    if let Some(range) = output.cursor_range {
        let chars = range.as_sorted_char_range();
        let span = CharSpan::new(chars.start.0, chars.end.0);
        let span = text::trim_span(full_text, text::snap_to_graphemes(full_text, span));
        state.selection = (!span.is_empty()).then_some(TextSelection { excerpt_id, side, span });
        if chars.start == chars.end {
            state.cursor = Some((excerpt_id, side, chars.start.0));
        }
    }
    margin_labels_ui(ui, view, side, &output.galley, output.galley_pos, text_width, margin);

    let pointer_char = response.hover_pos().map(|pos| output.galley.cursor_from_pos(pos - output.galley_pos).index.0);
    let hovered_pair = pointer_char.and_then(|char_index| view.pair_at(side, char_index));
    let under_pointer: Vec<&CodingView> = pointer_char.map(|c| view.codings_at(side, c)).unwrap_or_default();
    if !under_pointer.is_empty() {
        let lines: Vec<String> = under_pointer
            .iter()
            .map(|coding| {
                let mut line =
                    format!("• {} — {}", coding.code_name, tr.f(Msg::CodedBy, &[("who", &coding.coder_name)]));
                if !coding.memo.is_empty() {
                    line.push_str(&format!("\n   {}", coding.memo));
                }
                line
            })
            .collect();
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.label(lines.join("\n"));
        });
        // A click (not a drag) on a coded passage opens its codings there.
        let selected_nothing = state.selection.is_none_or(|s| s.excerpt_id != excerpt_id || s.span.is_empty());
        if response.clicked()
            && selected_nothing
            && let Some(pos) = response.interact_pointer_pos()
        {
            let opened_in_pass = ui.ctx().cumulative_pass_nr();
            let codings = under_pointer.iter().map(|coding| coding.coding.coding_id).collect();
            state.passage_menu = Some(PassageMenu { excerpt_id, codings, pos, opened_in_pass });
        }
    }
    text_context_menu_ui(app, state, &response, view, &under_pointer);
    hovered_pair
}

/// The right-click menu of a text: code the selection (or the whole excerpt), and
/// remove or re-code the passages under the pointer.
fn text_context_menu_ui(
    app: &mut PanelContext<'_>,
    state: &mut ReaderState,
    response: &egui::Response,
    view: &ExcerptView,
    under_pointer: &[&CodingView],
) {
    let tr = app.tr;
    let excerpt_id = view.excerpt.excerpt_id;
    let codes: &[CodeRow] = app.view.map(|view| view.codes.as_slice()).unwrap_or_default();
    let selection = state.selection;
    response.context_menu(|ui| {
        let has_selection = selection.is_some_and(|s| s.excerpt_id == excerpt_id);
        ui.label(tr.t(if has_selection { Msg::CodeSelectionAs } else { Msg::CodeWholeAs }));
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            for row in codes {
                let name = format!("{}{}", "  ".repeat(row.depth), row.code.name);
                if ui.button(name).clicked() {
                    if !has_selection {
                        app.push(AppCommand::Select(Some(excerpt_id)));
                    }
                    app.push(AppCommand::ApplyCode(row.code.code_id));
                }
            }
        });
        for coding in under_pointer {
            ui.separator();
            coding_actions_ui(app, state, ui, coding, codes);
        }
    });
}

/// Remove and re-code buttons for one coding.
fn coding_actions_ui(
    app: &mut PanelContext<'_>,
    state: &mut ReaderState,
    ui: &mut Ui,
    coding: &CodingView,
    codes: &[CodeRow],
) {
    let tr = app.tr;
    let code_name = &coding.code_name;
    if ui.button(tr.f(Msg::RemovePassage, &[("code", code_name)])).clicked() {
        app.push(AppCommand::Edit(Edit::RemoveCoding { coding_id: coding.coding.coding_id }));
        state.passage_menu = None;
    }
    ui.menu_button(tr.f(Msg::RecodePassageAs, &[("code", code_name)]), |ui| {
        if recode_choices_ui(app, ui, coding, codes) {
            state.passage_menu = None;
        }
    });
}

/// The codes a coding can be re-coded as (every other code); true once one
/// was chosen.
fn recode_choices_ui(app: &mut PanelContext<'_>, ui: &mut Ui, coding: &CodingView, codes: &[CodeRow]) -> bool {
    let mut chosen = false;
    egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
        for row in codes.iter().filter(|row| row.code.code_id != coding.coding.code_id) {
            if ui.button(&row.label).clicked() {
                let coding_id = coding.coding.coding_id;
                app.push(AppCommand::Edit(Edit::Recode { coding_id, code_id: row.code.code_id }));
                chosen = true;
            }
        }
    });
    chosen
}

/// The small window opened by clicking a coded passage: its codes, coders and
/// memos, with remove and re-code.
fn passage_menu_ui(app: &mut PanelContext<'_>, state: &mut ReaderState, ctx: &egui::Context) {
    let tr = app.tr;
    let Some(menu) = state.passage_menu.clone() else {
        return;
    };
    let Some(view) = app.view else {
        return;
    };
    let excerpt = view.source_views.iter().chain(view.current.iter()).find(|v| v.excerpt.excerpt_id == menu.excerpt_id);
    let Some(excerpt) = excerpt else {
        state.passage_menu = None;
        return;
    };
    let codings: Vec<_> = excerpt.codings.iter().filter(|c| menu.codings.contains(&c.coding.coding_id)).collect();
    if codings.is_empty() {
        state.passage_menu = None;
        return;
    }
    let codes = &view.codes;
    let dark = ctx.global_style().visuals.dark_mode;
    let area = egui::Area::new(egui::Id::unique("passage_menu"))
        .order(egui::Order::Foreground)
        .fixed_pos(menu.pos + vec2(8.0, 12.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(360.0);
                ui.strong(tr.t(Msg::CodingsHere));
                for coding in &codings {
                    ui.separator();
                    ui.horizontal(|ui| {
                        chip_ui(ui, &coding.code_name, coding.color, dark);
                        ui.weak(tr.f(Msg::CodedBy, &[("who", &coding.coder_name)]));
                    });
                    if !coding.memo.is_empty() {
                        ui.label(RichText::new(&coding.memo).italics());
                    }
                    coding_actions_ui(app, state, ui, coding, codes);
                }
                ui.separator();
                if ui.button(tr.t(Msg::Close)).clicked() {
                    state.passage_menu = None;
                }
            });
        });
    // The click that opened the window is not a click elsewhere.
    let clicked_elsewhere = area.response.clicked_elsewhere() && ctx.cumulative_pass_nr() > menu.opened_in_pass;
    if clicked_elsewhere || ctx.input(|input| input.key_pressed(egui::Key::Escape)) {
        state.passage_menu = None;
    }
}

fn edit_side_ui(app: &mut PanelContext<'_>, state: &mut ReaderState, ui: &mut Ui, excerpt_id: ExcerptId, side: Side) {
    let tr = app.tr;
    let Some((_, draft)) = &mut state.editing else {
        return;
    };
    let label = ui.weak(tr.t(Msg::EditedText));
    ui.add(
        egui::TextEdit::multiline(draft)
            .id_salt(("editing_text", side.as_str()))
            .desired_width(f32::INFINITY)
            .desired_rows(6),
    )
    .labelled_by(label.id);
    let mut done = None;
    ui.horizontal(|ui| {
        if ui.button(tr.t(Msg::Save)).clicked() {
            done = Some(true);
        }
        if ui.button(tr.t(Msg::Cancel)).clicked() {
            done = Some(false);
        }
    });
    match done {
        Some(true) => {
            if let Some((side, text)) = state.editing.take() {
                app.push(AppCommand::Edit(Edit::SetText { excerpt_id, side, text }));
            }
        }
        Some(false) => state.editing = None,
        None => {}
    }
}

/// Code names in the margin, on the line where each coded passage starts.
fn margin_labels_ui(
    ui: &mut Ui,
    view: &ExcerptView,
    side: Side,
    galley: &egui::Galley,
    galley_pos: egui::Pos2,
    text_width: f32,
    margin: f32,
) {
    let mut labels: Vec<(f32, Vec<(&str, Color)>)> = Vec::new();
    for coding in &view.codings {
        let CodingAnchor::Passage { side: coded_side, span } = coding.coding.anchor else {
            continue;
        };
        if coded_side != side {
            continue;
        }
        let y = galley.pos_from_cursor(CCursor::new(span.start.0)).min.y;
        match labels.iter_mut().find(|(row_y, _)| (row_y - y).abs() < 1.0) {
            Some((_, names)) => names.push((&coding.code_name, coding.color)),
            None => labels.push((y, vec![(&coding.code_name, coding.color)])),
        }
    }
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let dark = ui.visuals().dark_mode;
    let font = egui::TextStyle::Small.resolve(ui.style());
    let x = galley_pos.x + text_width + 8.0;
    // Labels never leave their margin, however long a code's name is.
    let margin_rect = egui::Rect::from_min_max(
        egui::pos2(x - 6.0, ui.clip_rect().top()),
        egui::pos2(x + margin - 8.0, ui.clip_rect().bottom()),
    );
    let painter = ui.painter().with_clip_rect(margin_rect.intersect(ui.clip_rect()));
    let mut last_bottom = f32::MIN;
    for (y, names) in labels {
        let mut top = (galley_pos.y + y).max(last_bottom);
        for (name, color) in names {
            let text_color = theme::readable(color, dark);
            let galley = painter.layout(name.to_owned(), font.clone(), text_color, margin - 14.0);
            let height = galley.size().y;
            painter.rect_filled(
                egui::Rect::from_min_size(egui::pos2(x - 5.0, top + 1.0), vec2(2.5, height - 2.0)),
                1.0,
                theme::color32(color),
            );
            painter.galley(egui::pos2(x, top), galley, text_color);
            top += height;
        }
        last_bottom = top;
    }
}

/// What to paint under one side's text.
struct SidePaint<'a> {
    /// Passages coded on this side.
    passages: Vec<(CharSpan, Color)>,
    /// Passages coded on the other side, shown lighter on their aligned sentences.
    counterparts: Vec<(CharSpan, Color)>,
    /// Words matching the navigator's search.
    matches: &'a [CharSpan],
    /// The sentence pair under the pointer.
    hovered: Option<CharSpan>,
}

impl<'a> SidePaint<'a> {
    fn new(view: &'a ExcerptView, side: Side, hovered_pair: Option<usize>) -> Self {
        let mut passages = Vec::new();
        let mut counterparts = Vec::new();
        for coding in &view.codings {
            if let CodingAnchor::Passage { side: coded_side, span } = coding.coding.anchor {
                if coded_side == side {
                    passages.push((span, coding.color));
                } else if let Some(counterpart) = coding.counterpart {
                    counterparts.push((counterpart, coding.color));
                }
            }
        }
        let matches = view.search_matches(side);
        Self { passages, counterparts, matches, hovered: hovered_pair.and_then(|pair| view.pair_span(side, pair)) }
    }

    fn layout_job(&self, text: &str, font: egui::FontId, color: Color32, dark: bool) -> LayoutJob {
        let length = text::char_len(text);
        let mut bounds: Vec<usize> = vec![0, length];
        let spans = self.passages.iter().chain(&self.counterparts).map(|(span, _)| *span);
        for span in spans.chain(self.matches.iter().copied()).chain(self.hovered) {
            bounds.push(span.start.0.min(length));
            bounds.push(span.end.0.min(length));
        }
        bounds.sort_unstable();
        bounds.dedup();
        let inside = |segment: CharSpan, span: &CharSpan| span.start <= segment.start && segment.end <= span.end;
        let mut job = LayoutJob::default();
        for window in bounds.windows(2) {
            let segment = CharSpan::new(window[0], window[1]);
            let Some(piece) = text::slice_chars(text, segment) else {
                continue;
            };
            let covering: Vec<Color> =
                self.passages.iter().filter(|(span, _)| inside(segment, span)).map(|(_, color)| *color).collect();
            let mut format = TextFormat::simple(font.clone(), color);
            if let Some(last) = covering.last() {
                format.background = theme::highlight(*last, dark, 1.0);
                if covering.len() > 1 {
                    format.underline = Stroke::new(2.0, theme::color32(covering[covering.len() - 2]));
                }
            } else if let Some((_, counterpart)) = self.counterparts.iter().find(|(span, _)| inside(segment, span)) {
                format.background = theme::highlight(*counterpart, dark, 0.45);
            } else if self.hovered.is_some_and(|span| inside(segment, &span)) {
                format.background = theme::hovered_pair(dark);
            }
            if self.matches.iter().any(|span| inside(segment, span)) {
                format.background = theme::search_match(dark);
                format.underline = Stroke::new(1.5, theme::search_match_line(dark));
            }
            job.append(piece, 0.0, format);
        }
        job
    }
}

fn codings_list_ui(app: &mut PanelContext<'_>, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    let dark = ui.visuals().dark_mode;
    ui.strong(tr.t(Msg::Codings));
    if view.codings.is_empty() {
        ui.weak(tr.t(Msg::NoCodings));
        return;
    }
    let codes: &[CodeRow] = app.view.map(|view| view.codes.as_slice()).unwrap_or_default();
    for coding in &view.codings {
        let coding_id = coding.coding.coding_id;
        ui.horizontal_wrapped(|ui| {
            chip_ui(ui, &coding.code_name, coding.color, dark);
            let passage = match coding.coding.anchor {
                CodingAnchor::Whole => tr.t(Msg::WholeExcerpt).to_owned(),
                CodingAnchor::Passage { side, span } => {
                    let covered = view
                        .excerpt
                        .text(side)
                        .and_then(|text| text::slice_chars(text, span))
                        .unwrap_or(&coding.coding.covered_text);
                    format!("«{covered}» ({})", view.excerpt.lang(side))
                }
            };
            ui.label(passage);
            if coding.coding.needs_review {
                ui.colored_label(ui.visuals().warn_fg_color, "!").on_hover_text(tr.t(Msg::NeedsReview));
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(12.0);
            ui.weak(tr.f(Msg::CodedBy, &[("who", &coding.coder_name)]));
            if ui.small_button(tr.t(Msg::Remove)).clicked() {
                app.push(AppCommand::Edit(Edit::RemoveCoding { coding_id }));
            }
            let open_id = ui.make_persistent_id(("coding_memo_open", coding_id));
            if coding.memo.is_empty() && ui.small_button(format!("{}…", tr.t(Msg::Memo))).clicked() {
                ui.data_mut(|data| data.insert_temp(open_id, true));
            }
            ui.menu_button(tr.t(Msg::RecodeAs), |ui| recode_choices_ui(app, ui, coding, codes));
        });
        let open_id = ui.make_persistent_id(("coding_memo_open", coding_id));
        let open = !coding.memo.is_empty() || ui.data(|data| data.get_temp::<bool>(open_id).unwrap_or(false));
        if open {
            let label = format!("{} · {}", tr.t(Msg::Memo), coding.code_name);
            memo_field_ui(app, ui, MemoTarget::Coding(coding_id), &label, &coding.memo, 1);
        }
        ui.add_space(4.0);
    }
}

/// A memo edited in place: saved when the field loses focus.
fn memo_field_ui(app: &mut PanelContext<'_>, ui: &mut Ui, target: MemoTarget, label: &str, saved: &str, rows: usize) {
    let id = ui.make_persistent_id(("memo", format!("{target:?}")));
    let mut draft: String = ui.data_mut(|data| data.get_temp::<String>(id)).unwrap_or_else(|| saved.to_owned());
    let label = ui.weak(label);
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut draft)
                .id_salt(("memo_field", format!("{target:?}")))
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if response.lost_focus() {
        if draft != saved {
            app.push(AppCommand::Edit(Edit::SetMemo { target, text: draft.clone() }));
        }
        ui.data_mut(|data| data.remove::<String>(id));
    } else if response.has_focus() {
        ui.data_mut(|data| data.insert_temp(id, draft));
    }
}

fn memo_ui(app: &mut PanelContext<'_>, ui: &mut Ui, view: &ExcerptView) {
    let tr = app.tr;
    memo_field_ui(app, ui, MemoTarget::Excerpt(view.excerpt.excerpt_id), tr.t(Msg::ExcerptMemo), &view.memo, 3);
}
