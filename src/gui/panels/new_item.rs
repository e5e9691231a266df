//! Making things by hand: a new case, a new source (name, speaker, role, place,
//! date, interviewer), or excerpts typed or pasted into a source. A pasted
//! transcript is cut into speaker turns as an import would, and a pasted
//! translation is paired with it.

use egui::{Modal, Ui, vec2};

use super::PanelContext;
use super::widgets::{dialog_max_size, optional_choice_ui};
use crate::formats::transcript::{TranscriptOptions, excerpts_from_text};
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::state::NewItem;
use crate::gui::view_model::ViewModel;
use crate::language::Localized;

/// Draws the "new" dialog when open.
pub fn new_item_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<NewItem>) {
    let tr = app.tr;
    let (Some(item), Some(view)) = (open.as_mut(), app.view) else {
        return;
    };
    let max = dialog_max_size(ctx);
    let mut done: Option<Option<Edit>> = None;
    let modal = Modal::new(egui::Id::unique("new_item")).show(ctx, |ui| {
        ui.set_width(640.0f32.min(max.x - 32.0));
        egui::ScrollArea::vertical().max_height((max.y - 80.0).max(120.0)).show(ui, |ui| match item {
            NewItem::Case { name } => {
                ui.heading(tr.t(Msg::NewCase));
                let label = ui.label(tr.t(Msg::Name));
                ui.add(egui::TextEdit::singleline(name).desired_width(300.0)).labelled_by(label.id);
                done = buttons_ui(ui, tr, !name.trim().is_empty(), || Edit::AddCase { name: name.trim().to_owned() });
            }
            NewItem::Source { case_id, draft } => {
                ui.heading(tr.t(Msg::NewSource));
                egui::Grid::new("new_source").num_columns(2).spacing(vec2(8.0, 4.0)).show(ui, |ui| {
                    let cases = view.cases.iter().map(|case| (case.case_id, case.name.clone()));
                    optional_choice_ui(ui, tr, ("new_source_case", tr.t(Msg::Case)), Some(250.0), case_id, cases);
                    ui.end_row();
                    for (msg, value) in [
                        (Msg::Name, &mut draft.name),
                        (Msg::Speaker, &mut draft.speaker),
                        (Msg::FieldRole, &mut draft.role),
                        (Msg::FieldPlace, &mut draft.place),
                        (Msg::FieldDate, &mut draft.date),
                        (Msg::FieldInterviewer, &mut draft.interviewer),
                    ] {
                        let label = ui.label(tr.t(msg));
                        ui.add(egui::TextEdit::singleline(value).desired_width(300.0)).labelled_by(label.id);
                        ui.end_row();
                    }
                });
                let ready = case_id.is_some() && !draft.name.trim().is_empty();
                done = buttons_ui(ui, tr, ready, || Edit::AddSource {
                    case_id: case_id.unwrap_or(crate::model::CaseId(0)),
                    draft: draft.clone(),
                });
            }
            NewItem::Excerpts { source_id, original, translation, as_turns, planned } => {
                ui.heading(tr.t(Msg::NewExcerpts));
                sources_choice_ui(ui, tr, view, source_id);
                let mut changed = ui.checkbox(as_turns, tr.t(Msg::CutPastedIntoTurns)).changed();
                for (msg, value) in [(Msg::Original, &mut *original), (Msg::Translation, &mut *translation)] {
                    let label = ui.label(tr.t(msg));
                    changed |= ui
                        .add(egui::TextEdit::multiline(value).desired_width(f32::INFINITY).desired_rows(5))
                        .labelled_by(label.id)
                        .changed();
                }
                // The text is cut into excerpts when it changes, not every frame.
                if changed || planned.is_none() {
                    let pasted_translation = Some(translation.as_str()).filter(|text| !text.trim().is_empty());
                    *planned = Some(
                        excerpts_from_text(original, pasted_translation, *as_turns, &TranscriptOptions::default())
                            .map_err(|refusal| refusal.localized(tr.language)),
                    );
                }
                let drafts = match planned {
                    Some(Ok(drafts)) => drafts.clone(),
                    Some(Err(refusal)) => {
                        ui.colored_label(ui.visuals().error_fg_color, refusal.as_str());
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                ui.weak(tr.f(Msg::ExcerptsToAdd, &[("n", &drafts.len())]));
                let ready = source_id.is_some() && !drafts.is_empty();
                done = buttons_ui(ui, tr, ready, || Edit::AddExcerpts {
                    source_id: source_id.unwrap_or(crate::model::SourceId(0)),
                    drafts,
                });
            }
        });
    });
    match done {
        Some(Some(edit)) => {
            app.push(AppCommand::Edit(edit));
            *open = None;
        }
        Some(None) => *open = None,
        None if modal.should_close() => *open = None,
        None => {}
    }
}

/// The source excerpts go to, named "case / source".
fn sources_choice_ui(ui: &mut Ui, tr: Tr, view: &ViewModel, source_id: &mut Option<crate::model::SourceId>) {
    egui::Grid::new("new_excerpts_source").num_columns(2).show(ui, |ui| {
        let sources = view
            .sources
            .iter()
            .map(|source| (source.source_id, format!("{} / {}", view.case_name(source.case_id), source.name)));
        optional_choice_ui(ui, tr, ("new_excerpts_source", tr.t(Msg::Source)), Some(300.0), source_id, sources);
        ui.end_row();
    });
}

/// Add and Cancel. Returns `Some(Some(edit))` when added, `Some(None)` when cancelled.
fn buttons_ui(ui: &mut Ui, tr: Tr, ready: bool, edit: impl FnOnce() -> Edit) -> Option<Option<Edit>> {
    let mut done = None;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.add_enabled(ready, egui::Button::new(tr.t(Msg::Add))).clicked() {
            done = Some(Some(edit()));
        }
        if ui.button(tr.t(Msg::Cancel)).clicked() {
            done = Some(None);
        }
    });
    done
}
