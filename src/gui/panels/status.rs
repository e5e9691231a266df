//! The status bar: the project, the coder, the last message, and the progress of
//! background work with a button to cancel it.

use egui::{Panel, RichText, Ui};

use crate::gui::app::{AppCommand, QuipuApp};
use crate::gui::i18n::Msg;

/// Draws the status bar.
pub fn status_bar_ui(app: &mut QuipuApp, ui: &mut Ui) {
    let tr = app.tr();
    Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(session) = &app.session {
                let path = session.store.path().map(|p| p.display().to_string()).unwrap_or_default();
                ui.label(RichText::new(&session.view.title).strong()).on_hover_text(path);
                ui.separator();
                ui.label(tr.f(Msg::NExcerpts, &[("n", &session.view.total_excerpts)]));
            } else {
                ui.label(tr.t(Msg::NoProject));
            }
            ui.separator();
            let coder = app.coder();
            if ui.link(format!("{}: {coder}", tr.t(Msg::CurrentCoder))).on_hover_text(tr.t(Msg::ChangeCoder)).clicked()
            {
                app.ui.coder_prompt = Some(coder);
            }
            if let Some(job) = &app.jobs.running {
                ui.separator();
                ui.label(&job.label);
                ui.add(egui::ProgressBar::new(job.fraction()).desired_width(160.0).show_percentage());
                if ui.button(tr.t(Msg::Cancel)).clicked() {
                    app.pending.push(AppCommand::CancelJob);
                }
            }
            if let Some((message, is_error)) = &app.ui.message {
                ui.separator();
                let text = RichText::new(message);
                let text = if *is_error { text.color(ui.visuals().error_fg_color) } else { text };
                ui.add(egui::Label::new(text).truncate()).on_hover_text(message);
            }
        });
    });
}
