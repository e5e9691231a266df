//! The menu bar: File, Edit, View and Help.

use egui::{Panel, Ui};

use super::PanelContext;
use crate::gui::command::AppCommand;
use crate::gui::i18n::{Language, Msg};
use crate::gui::jobs::PickPurpose;
use crate::gui::settings::ThemeChoice;

/// Draws the menu bar.
pub fn menu_bar_ui(ui: &mut Ui, app: &mut PanelContext<'_>) {
    let tr = app.tr;
    Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr.t(Msg::File), |ui| {
                if ui.add(egui::Button::new(tr.t(Msg::NewProject)).shortcut_text("Ctrl+N")).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::New));
                }
                if ui.add(egui::Button::new(tr.t(Msg::Open)).shortcut_text("Ctrl+O")).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::Open));
                }
                ui.menu_button(tr.t(Msg::OpenRecent), |ui| {
                    for path in app.settings.recent_projects.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            app.push(AppCommand::OpenProject(path));
                        }
                    }
                });
                if ui.button(tr.t(Msg::OpenDemo)).clicked() {
                    app.push(AppCommand::OpenDemo);
                }
                ui.separator();
                if ui.add(egui::Button::new(tr.t(Msg::ImportCsv)).shortcut_text("Ctrl+I")).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::Import));
                }
                if ui.button(tr.t(Msg::ImportTranscript)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::ImportTranscript));
                }
                if ui.add(egui::Button::new(tr.t(Msg::ExportQuotes)).shortcut_text("Ctrl+E")).clicked() {
                    app.push(AppCommand::StartExport);
                }
                ui.separator();
                if ui.button(tr.t(Msg::ImportRefi)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::ImportRefi));
                }
                if ui.button(tr.t(Msg::ExportRefiProject)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::ExportRefi { codebook_only: false }));
                }
                if ui.button(tr.t(Msg::ExportRefiCodebook)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::ExportRefi { codebook_only: true }));
                }
                ui.separator();
                if ui.button(tr.t(Msg::SaveCopy)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::SaveCopy));
                }
                if ui.button(tr.t(Msg::SaveBlindCopy)).on_hover_text(tr.t(Msg::SaveBlindCopyHelp)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::SaveBlindCopy));
                }
                if ui.button(tr.t(Msg::MergeCopy)).on_hover_text(tr.t(Msg::MergeCopyHelp)).clicked() {
                    app.push(AppCommand::Pick(PickPurpose::MergeCopy));
                }
                ui.separator();
                let encrypted = app.view.is_some_and(|view| view.encrypted);
                let (msg, purpose) = if encrypted {
                    (Msg::ChangePassphrase, crate::gui::state::PassphrasePurpose::Change)
                } else {
                    (Msg::EncryptProject, crate::gui::state::PassphrasePurpose::Encrypt)
                };
                if ui.add_enabled(app.view.is_some(), egui::Button::new(tr.t(msg))).clicked() {
                    app.push(AppCommand::AskNewPassphrase(purpose));
                }
                ui.separator();
                if ui.button(tr.t(Msg::Quit)).clicked() {
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(tr.t(Msg::Edit), |ui| {
                let (undo_label, redo_label) =
                    app.view.map(|view| (view.undo_label.clone(), view.redo_label.clone())).unwrap_or_default();
                let undo_text = match &undo_label {
                    Some(label) => format!("{} ({})", tr.t(Msg::Undo), tr.action(label)),
                    None => tr.t(Msg::Undo).to_owned(),
                };
                // While a job has the project's store, undo waits for it.
                let waiting = app.running_job.filter(|job| job.holds_store).map(|job| job.label.as_str());
                let explain = |response: egui::Response| match waiting {
                    Some(job) => response.on_disabled_hover_text(tr.f(Msg::EditsWait, &[("job", &job)])),
                    None => response,
                };
                let undo = egui::Button::new(undo_text).shortcut_text("Ctrl+Z");
                if explain(ui.add_enabled(undo_label.is_some() && waiting.is_none(), undo)).clicked() {
                    app.push(AppCommand::Undo);
                }
                let redo_text = match &redo_label {
                    Some(label) => format!("{} ({})", tr.t(Msg::Redo), tr.action(label)),
                    None => tr.t(Msg::Redo).to_owned(),
                };
                let redo = egui::Button::new(redo_text).shortcut_text("Ctrl+Shift+Z");
                if explain(ui.add_enabled(redo_label.is_some() && waiting.is_none(), redo)).clicked() {
                    app.push(AppCommand::Redo);
                }
                ui.separator();
                if ui.add(egui::Button::new(tr.t(Msg::QuickPick)).shortcut_text("Ctrl+K")).clicked() {
                    app.push(AppCommand::OpenQuickPick);
                }
                if ui.button(tr.t(Msg::ChangeCoder)).clicked() {
                    app.push(AppCommand::AskCoder);
                }
                ui.separator();
                if ui.button(tr.t(Msg::RemoveSpeakerMenu)).on_hover_text(tr.t(Msg::RemoveSpeakerHelp)).clicked() {
                    app.push(AppCommand::ChooseSpeakerToRemove);
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
                        app.push(AppCommand::SetTheme(choice));
                    }
                }
                ui.separator();
                ui.label(tr.t(Msg::Language));
                for (language, name) in [(Language::English, "English"), (Language::Spanish, "Español")] {
                    if ui.radio(app.settings.language == language, name).clicked() {
                        app.push(AppCommand::SetLanguage(language));
                    }
                }
                ui.separator();
                ui.label(tr.t(Msg::TextSize));
                if ui.add(egui::Button::new(tr.t(Msg::Larger)).shortcut_text("Ctrl++")).clicked() {
                    app.push(AppCommand::ChangeTextSize(1.0));
                }
                if ui.add(egui::Button::new(tr.t(Msg::Smaller)).shortcut_text("Ctrl+-")).clicked() {
                    app.push(AppCommand::ChangeTextSize(-1.0));
                }
                ui.separator();
                let mut show_codebook = app.settings.show_codebook;
                if ui.checkbox(&mut show_codebook, tr.t(Msg::ShowCodebook)).changed() {
                    app.push(AppCommand::ShowCodebook(show_codebook));
                }
                let mut show_navigator = app.settings.show_navigator;
                if ui.checkbox(&mut show_navigator, tr.t(Msg::ShowNavigator)).changed() {
                    app.push(AppCommand::ShowNavigator(show_navigator));
                }
                ui.separator();
                let mut own_chooser = app.settings.own_file_chooser;
                if ui.checkbox(&mut own_chooser, tr.t(Msg::UseOwnFileChooser)).changed() {
                    app.push(AppCommand::UseOwnFileChooser(own_chooser));
                }
            });
            ui.menu_button(tr.t(Msg::Help), |ui| {
                if ui.button(tr.t(Msg::Shortcuts)).clicked() {
                    app.push(AppCommand::ShowShortcuts);
                }
                if ui.button(tr.t(Msg::About)).clicked() {
                    app.push(AppCommand::ShowAbout);
                }
            });
        });
    });
}
