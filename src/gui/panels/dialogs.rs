//! Small dialogs: confirmations, the coder prompt, the quick-pick box for codes,
//! keyboard shortcuts and about.

use egui::{Modal, RichText, Ui, vec2};

use crate::gui::app::{AppCommand, Confirm, QuipuApp};
use crate::gui::command::Edit;
use crate::gui::i18n::Msg;

/// Draws whichever dialogs are open.
pub fn dialogs_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    super::codebook::code_dialog_ui(app, &ctx);
    confirm_ui(app, &ctx);
    coder_prompt_ui(app, &ctx);
    quick_pick_ui(app, &ctx);
    super::import::import_dialog_ui(app, &ctx);
    super::export::export_dialog_ui(app, &ctx);
    shortcuts_ui(app, &ctx);
    about_ui(app, &ctx);
}

fn confirm_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let (Some(confirm), Some(session)) = (app.ui.confirm.clone(), &app.session) else {
        return;
    };
    let name_of = |code_id| session.view.code_row(code_id).map(|row| (row.code.name.clone(), row.codings));
    let (question, button, edit) = match confirm {
        Confirm::DeleteCode(code_id) => {
            let Some((name, codings)) = name_of(code_id) else {
                app.ui.confirm = None;
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
                app.ui.confirm = None;
                return;
            };
            (
                tr.f(Msg::ConfirmMergeCode, &[("source", &source_name), ("target", &target_name), ("n", &codings)]),
                tr.t(Msg::Merge),
                Edit::MergeCodes { source, target },
            )
        }
    };
    let mut answer = None;
    let modal = Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
        ui.set_max_width(420.0);
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
        app.pending.push(AppCommand::Edit(edit));
    }
    if answer.is_some() || modal.should_close() {
        app.ui.confirm = None;
    }
}

fn coder_prompt_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let Some(name) = &mut app.ui.coder_prompt else {
        return;
    };
    let mut done = false;
    Modal::new(egui::Id::unique("coder_prompt")).show(ctx, |ui| {
        ui.set_max_width(380.0);
        ui.heading(tr.t(Msg::WhoIsCoding));
        ui.label(tr.t(Msg::WhoIsCodingHint));
        let label = ui.label(tr.t(Msg::YourName));
        let response = ui.text_edit_singleline(name).labelled_by(label.id);
        let entered = response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if ui.add_enabled(!name.trim().is_empty(), egui::Button::new(tr.t(Msg::Continue))).clicked() || entered {
            done = !name.trim().is_empty();
        }
    });
    if done {
        let name = name.clone();
        app.pending.push(AppCommand::SetCoder(name));
    }
}

fn quick_pick_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let (Some(query), Some(session)) = (&mut app.ui.quick_pick, &app.session) else {
        return;
    };
    let needle = query.to_lowercase();
    let matches: Vec<_> = session
        .view
        .codes
        .iter()
        .filter(|row| row.code.name.to_lowercase().contains(&needle))
        .map(|row| (row.code.code_id, row.code.name.clone(), row.code.color))
        .collect();
    let mut chosen = None;
    let mut close = false;
    let modal = Modal::new(egui::Id::unique("quick_pick")).show(ctx, |ui| {
        ui.set_width(340.0);
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
        egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            for (code_id, name, color) in &matches {
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 3.0, crate::gui::theme::color32(*color));
                    if ui.selectable_label(false, name).clicked() {
                        chosen = Some(*code_id);
                    }
                });
            }
        });
    });
    if let Some(code_id) = chosen {
        app.pending.push(AppCommand::ApplyCode(code_id));
        close = true;
    }
    if close || modal.should_close() {
        app.ui.quick_pick = None;
    }
}

fn shortcuts_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let mut open = app.ui.show_shortcuts;
    egui::Window::new(tr.t(Msg::Shortcuts)).open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
        egui::Grid::new("shortcuts").num_columns(2).striped(true).show(ui, |ui| {
            let rows = [
                ("1 … 9", tr.t(Msg::CodesHelp)),
                ("Ctrl+K", tr.t(Msg::QuickPick)),
                ("Up, Down  /  K, J", tr.t(Msg::Next)),
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
    app.ui.show_shortcuts = open;
}

fn about_ui(app: &mut QuipuApp, ctx: &egui::Context) {
    let tr = app.tr();
    let mut open = app.ui.show_about;
    egui::Window::new(tr.t(Msg::About)).open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
        ui.heading(format!("Quipu {}", env!("CARGO_PKG_VERSION")));
        ui.label(tr.t(Msg::AboutText));
    });
    app.ui.show_about = open;
}
