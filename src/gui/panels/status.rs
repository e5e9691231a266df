//! The status bar: the project, the coder, the last message, and the progress of
//! background work with a button to cancel it.

use egui::{Panel, RichText, Ui};

use super::PanelContext;
use crate::gui::command::AppCommand;
use crate::gui::i18n::Msg;

/// Draws the status bar, with `message`, the last thing said.
pub fn status_bar_ui(ui: &mut Ui, app: &mut PanelContext<'_>, message: &Option<(String, bool)>) {
    let tr = app.tr;
    Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(view) = app.view {
                let path = view.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
                ui.label(RichText::new(&view.title).strong()).on_hover_text(path);
                if view.read_only {
                    ui.label(RichText::new(tr.t(Msg::ReadOnly)).color(ui.visuals().warn_fg_color))
                        .on_hover_text(tr.t(Msg::ReadOnlyHelp));
                }
                ui.separator();
                ui.label(tr.f(Msg::NExcerpts, &[("n", &view.total_excerpts)]));
            } else {
                ui.label(tr.t(Msg::NoProject));
            }
            ui.separator();
            let coder = match app.settings.coder.trim() {
                "" => tr.t(Msg::NobodyYet),
                name => name,
            };
            if ui.link(format!("{}: {coder}", tr.t(Msg::CurrentCoder))).on_hover_text(tr.t(Msg::ChangeCoder)).clicked()
            {
                app.push(AppCommand::AskCoder);
            }
            if let Some(job) = app.running_job {
                ui.separator();
                ui.label(&job.label);
                ui.add(egui::ProgressBar::new(job.fraction()).desired_width(160.0).show_percentage());
                // An undo or redo runs to its end.
                if job.cancellable && ui.button(tr.t(Msg::Cancel)).clicked() {
                    app.push(AppCommand::CancelJob);
                }
            }
            if let Some((message, is_error)) = message {
                ui.separator();
                let text = RichText::new(message);
                let text = if *is_error { text.color(ui.visuals().error_fg_color) } else { text };
                ui.add(egui::Label::new(text).truncate()).on_hover_text(message);
            }
        });
    });
}
