//! The menu bar: File, Edit, View and Help.

use egui::{Panel, Ui};

use crate::gui::app::{AppCommand, QuipuApp, ThemeChoice};
use crate::gui::i18n::{Language, Msg};
use crate::gui::jobs::PickPurpose;

/// Draws the menu bar.
pub fn menu_bar_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr.t(Msg::File), |ui| {
                if ui.add(egui::Button::new(tr.t(Msg::NewProject)).shortcut_text("Ctrl+N")).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::New));
                }
                if ui.add(egui::Button::new(tr.t(Msg::Open)).shortcut_text("Ctrl+O")).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::Open));
                }
                ui.menu_button(tr.t(Msg::OpenRecent), |ui| {
                    for path in app.settings.recent_projects.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            app.pending.push(AppCommand::OpenProject(path));
                        }
                    }
                });
                if ui.button(tr.t(Msg::OpenDemo)).clicked() {
                    app.pending.push(AppCommand::OpenDemo);
                }
                ui.separator();
                if ui.add(egui::Button::new(tr.t(Msg::ImportCsv)).shortcut_text("Ctrl+I")).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::Import));
                }
                if ui.add(egui::Button::new(tr.t(Msg::ExportQuotes)).shortcut_text("Ctrl+E")).clicked() {
                    app.pending.push(AppCommand::StartExport);
                }
                ui.separator();
                if ui.button(tr.t(Msg::ImportRefi)).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::ImportRefi));
                }
                if ui.button(tr.t(Msg::ExportRefiProject)).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::ExportRefi { codebook_only: false }));
                }
                if ui.button(tr.t(Msg::ExportRefiCodebook)).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::ExportRefi { codebook_only: true }));
                }
                ui.separator();
                if ui.button(tr.t(Msg::SaveCopy)).clicked() {
                    app.pending.push(AppCommand::Pick(PickPurpose::SaveCopy));
                }
                ui.separator();
                if ui.button(tr.t(Msg::Quit)).clicked() {
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(tr.t(Msg::Edit), |ui| {
                let (undo_label, redo_label) = app
                    .session
                    .as_ref()
                    .map(|session| {
                        (session.store.undo_label().map(str::to_owned), session.store.redo_label().map(str::to_owned))
                    })
                    .unwrap_or_default();
                let undo_text = match &undo_label {
                    Some(label) => format!("{} ({})", tr.t(Msg::Undo), tr.action(label)),
                    None => tr.t(Msg::Undo).to_owned(),
                };
                let undo = egui::Button::new(undo_text).shortcut_text("Ctrl+Z");
                if ui.add_enabled(undo_label.is_some(), undo).clicked() {
                    app.pending.push(AppCommand::Undo);
                }
                let redo_text = match &redo_label {
                    Some(label) => format!("{} ({})", tr.t(Msg::Redo), tr.action(label)),
                    None => tr.t(Msg::Redo).to_owned(),
                };
                let redo = egui::Button::new(redo_text).shortcut_text("Ctrl+Shift+Z");
                if ui.add_enabled(redo_label.is_some(), redo).clicked() {
                    app.pending.push(AppCommand::Redo);
                }
                ui.separator();
                if ui.add(egui::Button::new(tr.t(Msg::QuickPick)).shortcut_text("Ctrl+K")).clicked() {
                    app.ui.quick_pick = Some(String::new());
                }
                if ui.button(tr.t(Msg::ChangeCoder)).clicked() {
                    app.ui.coder_prompt = Some(app.coder());
                }
            });
            ui.menu_button(tr.t(Msg::View), |ui| {
                ui.label(tr.t(Msg::Theme));
                for (choice, msg) in [
                    (ThemeChoice::Light, Msg::Light),
                    (ThemeChoice::Dark, Msg::Dark),
                    (ThemeChoice::System, Msg::FollowSystem),
                ] {
                    if ui.radio(app.settings.theme == choice, tr.t(msg)).clicked() {
                        app.pending.push(AppCommand::SetTheme(choice));
                    }
                }
                ui.separator();
                ui.label(tr.t(Msg::Language));
                for (language, name) in [(Language::English, "English"), (Language::Spanish, "Español")] {
                    if ui.radio(app.settings.language == language, name).clicked() {
                        app.pending.push(AppCommand::SetLanguage(language));
                    }
                }
                ui.separator();
                ui.label(tr.t(Msg::TextSize));
                if ui.add(egui::Button::new(tr.t(Msg::Larger)).shortcut_text("Ctrl++")).clicked() {
                    app.pending.push(AppCommand::ChangeTextSize(1.0));
                }
                if ui.add(egui::Button::new(tr.t(Msg::Smaller)).shortcut_text("Ctrl+-")).clicked() {
                    app.pending.push(AppCommand::ChangeTextSize(-1.0));
                }
                ui.separator();
                ui.checkbox(&mut app.settings.show_codebook, tr.t(Msg::ShowCodebook));
            });
            ui.menu_button(tr.t(Msg::Help), |ui| {
                if ui.button(tr.t(Msg::Shortcuts)).clicked() {
                    app.ui.show_shortcuts = true;
                }
                if ui.button(tr.t(Msg::About)).clicked() {
                    app.ui.show_about = true;
                }
            });
        });
    });
}
