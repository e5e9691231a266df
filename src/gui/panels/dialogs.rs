//! The dialogs: which are open lives in [`Dialogs`]; this file draws the small
//! ones (confirmations, the coder prompt, the quick-pick box for codes, keyboard
//! shortcuts and about) and calls the larger ones' own files.

use egui::{Modal, RichText, Ui};

use super::PanelContext;
use super::widgets::{dialog_max_size, info_window};
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::Msg;
use crate::gui::state::{Confirm, Dialogs, PassphraseDialog, PassphrasePurpose};

/// Draws whichever dialogs are open.
pub fn dialogs_ui(ui: &mut Ui, app: &mut PanelContext<'_>, dialogs: &mut Dialogs) {
    let ctx = ui.ctx().clone();
    super::codebook::code_dialog_ui(&ctx, app, &mut dialogs.code);
    confirm_ui(&ctx, app, &mut dialogs.confirm);
    coder_prompt_ui(&ctx, app, &mut dialogs.coder_prompt);
    remove_speaker_ui(&ctx, app, &mut dialogs.remove_speaker);
    passphrase_ui(&ctx, app, &mut dialogs.passphrase);
    quick_pick_ui(&ctx, app, &mut dialogs.quick_pick);
    super::import::import_dialog_ui(&ctx, app, &mut dialogs.import);
    super::export::export_dialog_ui(&ctx, app, &mut dialogs.export);
    super::new_item::new_item_ui(&ctx, app, &mut dialogs.new_item);
    super::transcript::transcript_dialog_ui(&ctx, app, &mut dialogs.transcript);
    super::merge::merge_dialog_ui(&ctx, app, &mut dialogs.merge);
    super::file_chooser::file_chooser_ui(&ctx, app, &mut dialogs.file_chooser);
    shortcuts_ui(&ctx, app, &mut dialogs.show_shortcuts);
    about_ui(&ctx, app, &mut dialogs.show_about);
}

fn confirm_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<Confirm>) {
    let tr = app.tr;
    let (Some(confirm), Some(view)) = (open.clone(), app.view) else {
        return;
    };
    let name_of = |code_id| view.code_row(code_id).map(|row| (row.label.clone(), row.codings));
    let (question, button, edit) = match confirm {
        Confirm::DeleteCode(code_id) => {
            let Some((name, codings)) = name_of(code_id) else {
                *open = None;
                return;
            };
            (
                tr.f(Msg::ConfirmDeleteCode, &[("name", &name), ("n", &codings)]),
                tr.t(Msg::Delete),
                Edit::DeleteCode { code_id },
            )
        }
        Confirm::MergeCodes { source, target } => {
            let (Some((source_name, codings)), Some((target_name, _))) = (name_of(source), name_of(target)) else {
                *open = None;
                return;
            };
            (
                tr.f(Msg::ConfirmMergeCode, &[("source", &source_name), ("target", &target_name), ("n", &codings)]),
                tr.t(Msg::Merge),
                Edit::MergeCodes { source, target },
            )
        }
        Confirm::DeleteExcerpt(excerpt_id) => {
            let Some(excerpt) = view.current.as_ref().filter(|current| current.excerpt.excerpt_id == excerpt_id) else {
                *open = None;
                return;
            };
            let name = if excerpt.excerpt.label.is_empty() {
                format!("#{}", excerpt.excerpt.excerpt_id)
            } else {
                excerpt.excerpt.label.clone()
            };
            (
                tr.f(Msg::ConfirmDeleteExcerpt, &[("name", &name), ("n", &excerpt.codings.len())]),
                tr.t(Msg::Delete),
                Edit::DeleteExcerpt { excerpt_id },
            )
        }
        Confirm::RemoveSpeaker { name, removal } => (
            tr.f(
                Msg::ConfirmRemoveSpeaker,
                &[
                    ("name", &name),
                    ("sources", &removal.sources),
                    ("excerpts", &removal.excerpts),
                    ("codings", &removal.codings),
                    ("memos", &removal.memos),
                ],
            ),
            tr.t(Msg::Remove),
            Edit::RemoveSpeaker { name },
        ),
    };
    let mut answer = None;
    let modal = Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(420.0f32.min(dialog_max_size(ctx).x));
        ui.label(question);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(button).clicked() {
                answer = Some(true);
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                answer = Some(false);
            }
        });
    });
    if answer == Some(true) {
        app.push(AppCommand::Edit(edit));
    }
    if answer.is_some() || modal.should_close() {
        *open = None;
    }
}

/// Asks for a passphrase: to open an encrypted project, or (twice) to encrypt
/// the open one or change its passphrase. What is typed is never shown.
fn passphrase_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<PassphraseDialog>) {
    let tr = app.tr;
    let Some(dialog) = open.as_mut() else {
        return;
    };
    let mut answer = None;
    let modal = Modal::new(egui::Id::unique("passphrase")).show(ctx, |ui| {
        ui.set_max_width(440.0f32.min(dialog_max_size(ctx).x));
        ui.heading(tr.t(Msg::PassphraseTitle));
        let file = dialog.path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let opening = dialog.purpose == PassphrasePurpose::Open;
        if opening {
            ui.label(tr.f(Msg::PassphraseToOpen, &[("file", &file)]));
        } else {
            ui.label(tr.t(Msg::PassphraseNew));
        }
        let label = ui.label(tr.t(Msg::PassphraseTitle));
        let first = ui.add(egui::TextEdit::singleline(&mut dialog.text).password(true)).labelled_by(label.id);
        if dialog.text.is_empty() && !first.has_focus() && dialog.error.is_none() {
            first.request_focus();
        }
        let mut entered = first.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if !opening {
            let label = ui.label(tr.t(Msg::PassphraseAgain));
            let again = ui.add(egui::TextEdit::singleline(&mut dialog.again).password(true)).labelled_by(label.id);
            entered = again.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        }
        if let Some(error) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let button = match dialog.purpose {
                PassphrasePurpose::Open => Msg::OpenWithPassphrase,
                PassphrasePurpose::Encrypt => Msg::EncryptNow,
                PassphrasePurpose::Change => Msg::ChangeNow,
            };
            if ui.add_enabled(!dialog.text.is_empty(), egui::Button::new(tr.t(button))).clicked() || entered {
                answer = Some(true);
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) if !dialog.text.is_empty() => app.push(AppCommand::SubmitPassphrase),
        Some(false) => *open = None,
        None if modal.should_close() => *open = None,
        _ => {}
    }
}

/// Asks whose testimony to remove; the counts and the confirmation come next.
fn remove_speaker_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<String>) {
    let tr = app.tr;
    let (Some(chosen), Some(view)) = (open.as_mut(), app.view) else {
        return;
    };
    let mut answer = None;
    let modal = Modal::new(egui::Id::unique("remove_speaker")).show(ctx, |ui| {
        ui.set_max_width(420.0f32.min(dialog_max_size(ctx).x));
        ui.heading(tr.t(Msg::RemoveSpeakerTitle));
        ui.label(tr.t(Msg::RemoveSpeakerHelp));
        egui::ComboBox::from_label(tr.t(Msg::WhichSpeaker)).selected_text(chosen.as_str()).show_ui(ui, |ui| {
            for speaker in &view.speakers {
                ui.selectable_value(chosen, speaker.clone(), speaker);
            }
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add_enabled(!chosen.is_empty(), egui::Button::new(tr.t(Msg::Continue))).clicked() {
                answer = Some(true);
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => app.push(AppCommand::AskRemoveSpeaker(chosen.clone())),
        Some(false) => *open = None,
        None if modal.should_close() => *open = None,
        None => {}
    }
}

/// Asks who is coding. The first run starts with an empty name and cannot be
/// left without one; changing the coder later can be cancelled.
fn coder_prompt_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, prompt: &mut Option<String>) {
    let tr = app.tr;
    let first_run = app.settings.coder.trim().is_empty();
    let Some(name) = prompt else {
        return;
    };
    let mut done = false;
    let mut cancel = false;
    let modal = Modal::new(egui::Id::unique("coder_prompt")).show(ctx, |ui| {
        ui.set_max_width(380.0f32.min(dialog_max_size(ctx).x));
        ui.heading(tr.t(Msg::WhoIsCoding));
        ui.label(tr.t(Msg::WhoIsCodingHint));
        let label = ui.label(tr.t(Msg::YourName));
        let response =
            ui.add(egui::TextEdit::singleline(name).hint_text(tr.t(Msg::YourNameHint))).labelled_by(label.id);
        if first_run && name.is_empty() && !response.has_focus() {
            response.request_focus();
        }
        let entered = response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if name.trim().is_empty() {
            ui.weak(tr.t(Msg::NameRequired));
        }
        ui.horizontal(|ui| {
            if ui.add_enabled(!name.trim().is_empty(), egui::Button::new(tr.t(Msg::Continue))).clicked() || entered {
                done = !name.trim().is_empty();
            }
            if !first_run && ui.button(tr.t(Msg::Cancel)).clicked() {
                cancel = true;
            }
        });
    });
    if done {
        let name = name.clone();
        app.push(AppCommand::SetCoder(name));
    } else if cancel || (!first_run && modal.should_close()) {
        *prompt = None;
    }
}

fn quick_pick_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<String>) {
    let tr = app.tr;
    let (Some(query), Some(view)) = (open.as_mut(), app.view) else {
        return;
    };
    let needle = query.to_lowercase();
    let matches: Vec<_> = view
        .codes
        .iter()
        .filter(|row| row.path.to_lowercase().contains(&needle))
        .map(|row| (row.code.code_id, row.path.clone(), row.code.color))
        .collect();
    let mut chosen = None;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("quick_pick")).show(ctx, |ui| {
        ui.set_width(340.0f32.min(dialog_max_size(ctx).x));
        let label = ui.strong(tr.t(Msg::QuickPick));
        let response = ui
            .add(egui::TextEdit::singleline(query).hint_text(tr.t(Msg::QuickPickHint)).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        response.request_focus();
        if ui.input(|input| input.key_pressed(egui::Key::Enter)) {
            chosen = matches.first().map(|(code_id, _, _)| *code_id);
        }
        if ui.input(|input| input.key_pressed(egui::Key::Escape)) {
            close = true;
        }
        egui::ScrollArea::vertical().max_height(300.0f32.min(dialog_max_size(ctx).y - 120.0)).show(ui, |ui| {
            for (code_id, name, color) in &matches {
                ui.horizontal(|ui| {
                    crate::gui::theme::swatch(ui, *color, 12.0);
                    if ui.selectable_label(false, name).clicked() {
                        chosen = Some(*code_id);
                    }
                });
            }
        });
    });
    if let Some(code_id) = chosen {
        app.push(AppCommand::ApplyCode(code_id));
        close = true;
    }
    if close || modal.should_close() {
        *open = None;
    }
}

fn shortcuts_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut bool) {
    let tr = app.tr;
    info_window(ctx, tr.t(Msg::Shortcuts), open).show(ctx, |ui| {
        egui::Grid::new("shortcuts").num_columns(2).striped(true).show(ui, |ui| {
            let rows = [
                ("1 … 9", tr.t(Msg::CodesHelp)),
                ("Ctrl+K", tr.t(Msg::QuickPick)),
                (tr.t(Msg::KeysUpDown), tr.t(Msg::Next)),
                ("Ctrl+Z", tr.t(Msg::Undo)),
                ("Ctrl+Shift+Z, Ctrl+Y", tr.t(Msg::Redo)),
                ("Ctrl+F", tr.t(Msg::Search)),
                ("Ctrl+O", tr.t(Msg::Open)),
                ("Ctrl+N", tr.t(Msg::NewProject)),
                ("Ctrl+I", tr.t(Msg::ImportCsv)),
                ("Ctrl+E", tr.t(Msg::ExportQuotes)),
                ("Ctrl+ +  /  Ctrl+ -", tr.t(Msg::TextSize)),
            ];
            for (keys, what) in rows {
                ui.label(RichText::new(keys).monospace());
                ui.add(egui::Label::new(what).wrap());
                ui.end_row();
            }
        });
    });
}

fn about_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut bool) {
    let tr = app.tr;
    info_window(ctx, tr.t(Msg::About), open).show(ctx, |ui| {
        ui.heading(format!("Quipu {}", env!("CARGO_PKG_VERSION")));
        ui.label(tr.t(Msg::AboutText));
    });
}
