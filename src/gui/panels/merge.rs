//! The window shown after merging a coder's copy: what came in, what was left
//! out, and each difference between the copies with both versions, to keep this
//! project's or take the copy's (an undoable edit).

use egui::{RichText, Ui};

use super::PanelContext;
use super::widgets::dialog_max_size;
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::Msg;
use crate::gui::state::MergeDialog;

/// Draws the merge window while it is open.
pub fn merge_dialog_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<MergeDialog>) {
    let tr = app.tr;
    let Some(dialog) = open else {
        return;
    };
    let mut keep_open = true;
    let mut marks: Vec<(usize, bool)> = Vec::new();
    egui::Window::new(tr.t(Msg::MergeTitle))
        .open(&mut keep_open)
        .collapsible(false)
        .resizable(true)
        .default_width(640.0)
        .max_size(dialog_max_size(ctx))
        .show(ctx, |ui| {
            let summary = &dialog.summary;
            ui.label(tr.f(
                Msg::Merged,
                &[
                    ("file", &dialog.file),
                    ("codings", &summary.codings),
                    ("codes", &summary.new_codes.len()),
                    ("memos", &summary.memos),
                    ("reviews", &summary.reviews),
                ],
            ));
            if summary.is_empty() {
                ui.weak(tr.t(Msg::MergeNothingNew));
            }
            if summary.unmatched_excerpts > 0 || summary.codings_left_out > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr.f(Msg::MergeLeftOut, &[("n", &summary.unmatched_excerpts), ("c", &summary.codings_left_out)]),
                );
            }
            if summary.conflicts.is_empty() {
                return;
            }
            ui.separator();
            ui.label(RichText::new(tr.f(Msg::MergeConflicts, &[("n", &summary.conflicts.len())])).strong());
            egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
                for (index, conflict) in summary.conflicts.iter().enumerate() {
                    if let Some(taken) = conflict_ui(ui, app, dialog, index, conflict) {
                        marks.push((index, taken));
                    }
                }
            });
        });
    for (index, taken) in marks {
        if let Some(slot) = dialog.settled.get_mut(index) {
            *slot = Some(taken);
        }
    }
    if !keep_open {
        *open = None;
    }
}

fn conflict_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    dialog: &MergeDialog,
    index: usize,
    conflict: &crate::store::MergeConflict,
) -> Option<bool> {
    let tr = app.tr;
    ui.add_space(6.0);
    ui.label(RichText::new(conflict.what.get(tr.language)).strong());
    egui::Grid::new(("merge_conflict", index)).num_columns(2).spacing([8.0, 2.0]).show(ui, |ui| {
        ui.weak(tr.t(Msg::HereVersion));
        ui.add(egui::Label::new(&conflict.ours).wrap());
        ui.end_row();
        ui.weak(tr.t(Msg::CopyVersion));
        ui.add(egui::Label::new(&conflict.theirs_text).wrap());
        ui.end_row();
    });
    ui.horizontal(|ui| match dialog.settled.get(index).copied().flatten() {
        Some(true) => {
            ui.weak(tr.t(Msg::SettledTaken));
            None
        }
        Some(false) => {
            ui.weak(tr.t(Msg::SettledKept));
            None
        }
        None => {
            if ui.button(tr.t(Msg::KeepOurs)).clicked() {
                return Some(false);
            }
            if ui.button(tr.t(Msg::TakeTheirs)).clicked() {
                app.push(AppCommand::Edit(Edit::TakeTheirs(conflict.theirs.clone())));
                return Some(true);
            }
            None
        }
    })
    .inner
}
