//! The transcript import dialog: the transcript and its translation, where they
//! go (case, source, date, place, interviewer labels, turns or paragraphs), and
//! the pairs side by side (speaker, time, both texts), doubtful ones flagged, to
//! join, split and shift before importing. It scrolls on a small screen and
//! keeps its buttons in view.

use egui::{Modal, RichText, Ui, vec2};

use super::PanelContext;
use super::widgets::dialog_max_size;
use crate::formats::transcript::{Split, interviewer_labels};
use crate::gui::command::AppCommand;
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::PickPurpose;
use crate::gui::state::TranscriptDialog;
use crate::language::Localized as _;

/// What an edit to the options asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptionsChange {
    /// Nothing.
    None,
    /// Where the transcript goes (case, source, date, place): the pairs stay.
    Destination,
    /// How it is cut (interviewer labels, turns or paragraphs): cut and pair again.
    Cutting,
}

/// What a row's buttons asked for.
enum RowAction {
    Join(usize),
    Split(usize),
    ShiftUp(usize),
    ShiftDown(usize),
}

/// Draws the transcript dialog when open.
pub fn transcript_dialog_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<TranscriptDialog>) {
    let tr = app.tr;
    let busy = app.busy();
    let Some(dialog) = open.as_mut() else {
        return;
    };
    let max = dialog_max_size(ctx);
    let mut change = OptionsChange::None;
    let mut import = false;
    let mut again = false;
    let mut close = false;
    let mut action = None;
    let modal = Modal::new(egui::Id::unique("transcript_dialog")).show(ctx, |ui| {
        ui.set_width(900.0f32.min(max.x - 32.0));
        ui.heading(tr.t(Msg::TranscriptTitle));
        // File names only; the whole path on hover.
        let name = |path: &std::path::Path| {
            path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
        };
        ui.label(RichText::new(name(&dialog.path)).monospace()).on_hover_text(dialog.path.display().to_string());
        ui.horizontal_wrapped(|ui| {
            let translation =
                dialog.translation_path.as_deref().map_or_else(|| tr.t(Msg::NoTranslationFile).to_owned(), name);
            ui.label(format!("{}: {translation}", tr.t(Msg::Translation)));
            if ui.button(tr.t(Msg::ChooseTranslation)).clicked() {
                app.push(AppCommand::Pick(PickPurpose::ImportTranscriptTranslation));
            }
        });
        change = options_ui(ui, tr, dialog);
        let buttons_height = 2.0 * ui.spacing().interact_size.y + 24.0;
        egui::ScrollArea::vertical()
            .id_salt("transcript_pairs")
            .max_height((max.y - buttons_height - 260.0).max(100.0))
            .show(ui, |ui| {
                if let Some(plan) = &dialog.plan {
                    if !plan.source.description.is_empty() {
                        ui.weak(format!(
                            "{}: {}",
                            tr.t(Msg::Description),
                            plan.source.description.replace('\n', " / ")
                        ));
                    }
                    for note in &plan.notes {
                        ui.weak(note.get(tr.language));
                    }
                    action = pairs_ui(ui, tr, plan);
                }
            });
        if let Some(error) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let Some(question) = &dialog.already_imported {
            ui.colored_label(ui.visuals().warn_fg_color, question);
            if ui.button(tr.t(Msg::ImportAgain)).clicked() {
                again = true;
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let ready = dialog.plan.is_some() && !busy;
            if ui.add_enabled(ready, egui::Button::new(tr.t(Msg::Import))).clicked() {
                import = true;
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                close = true;
            }
            if let Some(plan) = &dialog.plan {
                let doubtful = plan.excerpts.iter().filter(|excerpt| excerpt.uncertain).count();
                ui.weak(tr.f(Msg::TranscriptCounts, &[("n", &plan.excerpts.len()), ("doubtful", &doubtful)]));
            }
            if busy {
                ui.spinner();
            }
        });
    });
    if let (Some(action), Some(plan)) = (action, dialog.plan.as_mut()) {
        match action {
            RowAction::Join(index) => plan.join(index),
            RowAction::Split(index) => plan.split(index),
            RowAction::ShiftUp(index) => plan.shift_translation(index, false),
            RowAction::ShiftDown(index) => plan.shift_translation(index, true),
        }
    }
    match (change, dialog.plan.as_mut()) {
        (OptionsChange::Destination, Some(plan)) => match plan.set_destination(&dialog.options) {
            Ok(()) => dialog.error = None,
            Err(error) => dialog.error = Some(error.localized(tr.language)),
        },
        (OptionsChange::Destination | OptionsChange::Cutting, _) => app.push(AppCommand::ReplanTranscript),
        (OptionsChange::None, _) => {}
    }
    if import || again {
        app.push(AppCommand::RunTranscriptImport { again });
    }
    if close || (modal.should_close() && !busy) {
        *open = None;
    }
}

/// Where the transcript goes and how it is cut; says what an edit asks for
/// (text fields when they lose focus).
fn options_ui(ui: &mut Ui, tr: Tr, dialog: &mut TranscriptDialog) -> OptionsChange {
    let mut destination = false;
    let mut cutting = false;
    ui.horizontal_wrapped(|ui| {
        let options = &mut dialog.options;
        for (msg, value) in [(Msg::Case, &mut options.case), (Msg::Source, &mut options.source)] {
            let label = ui.label(tr.t(msg));
            let mut text = value.clone().unwrap_or_default();
            let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(200.0)).labelled_by(label.id);
            if response.changed() {
                *value = Some(text);
            }
            destination |= response.lost_focus();
        }
    });
    ui.horizontal_wrapped(|ui| {
        let options = &mut dialog.options;
        for (msg, value, width) in
            [(Msg::FieldDate, &mut options.date, 110.0), (Msg::FieldPlace, &mut options.place, 200.0)]
        {
            let label = ui.label(tr.t(msg));
            destination |=
                ui.add(egui::TextEdit::singleline(value).desired_width(width)).labelled_by(label.id).lost_focus();
        }
        let label = ui.label(tr.t(Msg::InterviewerLabels));
        let left = ui
            .add(
                egui::TextEdit::singleline(&mut dialog.interviewers_text)
                    .hint_text(tr.t(Msg::InterviewerLabelsHint))
                    .desired_width(200.0),
            )
            .labelled_by(label.id)
            .lost_focus();
        cutting |= left && interviewer_labels(&dialog.interviewers_text) != dialog.options.interviewers;
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(tr.t(Msg::CutInto));
        cutting |= ui.radio_value(&mut dialog.options.split, Split::Turns, tr.t(Msg::CutTurns)).changed();
        cutting |= ui.radio_value(&mut dialog.options.split, Split::Paragraphs, tr.t(Msg::CutParagraphs)).changed();
    });
    if cutting {
        OptionsChange::Cutting
    } else if destination {
        OptionsChange::Destination
    } else {
        OptionsChange::None
    }
}

/// The pairs, each with its speaker, time, both texts and buttons to mend the
/// pairing. Returns what was clicked.
fn pairs_ui(ui: &mut Ui, tr: Tr, plan: &crate::formats::transcript::TranscriptPlan) -> Option<RowAction> {
    let mut action = None;
    let width = ui.available_width();
    let text_width = ((width - 200.0) / 2.0).max(120.0);
    let last = plan.excerpts.len().saturating_sub(1);
    for (index, excerpt) in plan.excerpts.iter().enumerate() {
        ui.separator();
        ui.horizontal(|ui| {
            let who = if excerpt.interviewer {
                format!("{} ({})", excerpt.speaker, tr.t(Msg::InterviewerShort))
            } else {
                excerpt.speaker.clone()
            };
            ui.strong(format!("{}. {who}", index + 1));
            if !excerpt.time.is_empty() {
                ui.weak(&excerpt.time);
            }
            if excerpt.uncertain {
                ui.colored_label(ui.visuals().warn_fg_color, format!("! {}", excerpt.note_in(tr.language)));
            }
        });
        ui.horizontal_top(|ui| {
            for text in [&excerpt.original, &excerpt.translation] {
                ui.allocate_ui_with_layout(vec2(text_width, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.set_width(text_width);
                    match text {
                        Some(text) => ui.add(egui::Label::new(text).wrap()),
                        None => ui.weak(tr.t(Msg::NoTextHere)),
                    };
                });
            }
            ui.vertical(|ui| {
                let id = format!("pair {}", index + 1);
                if index < last && ui.small_button(tr.t(Msg::JoinNext)).on_hover_text(&id).clicked() {
                    action = Some(RowAction::Join(index));
                }
                let splittable = excerpt.original.as_deref().is_some_and(|text| text.contains("\n\n"));
                if splittable && ui.small_button(tr.t(Msg::SplitParagraph)).clicked() {
                    action = Some(RowAction::Split(index));
                }
                if excerpt.translation.is_some() {
                    if index > 0 && ui.small_button(tr.t(Msg::TranslationUp)).clicked() {
                        action = Some(RowAction::ShiftUp(index));
                    }
                    if index < last && ui.small_button(tr.t(Msg::TranslationDown)).clicked() {
                        action = Some(RowAction::ShiftDown(index));
                    }
                }
            });
        });
    }
    action
}
