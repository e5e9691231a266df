//! The tabs above the central area: reader, frequencies, co-occurrence,
//! attributes and agreement, with a spinner while an analysis is being counted.

use egui::{Panel, Ui};

use super::PanelContext;
use crate::gui::command::AppCommand;
use crate::gui::i18n::Msg;
use crate::gui::workspace::{AnalysisState, Workspace};

/// The tabs above the central area.
pub fn workspace_tabs_ui(ui: &mut Ui, ctx: &mut PanelContext<'_>, analysis: &AnalysisState) {
    let tr = ctx.tr;
    Panel::top("workspace_tabs").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let current = analysis.workspace;
            for (workspace, msg) in [
                (Workspace::Reader, Msg::TabReader),
                (Workspace::Frequencies, Msg::TabFrequencies),
                (Workspace::Cooccurrence, Msg::TabCooccurrence),
                (Workspace::Attributes, Msg::TabAttributes),
                (Workspace::Agreement, Msg::TabAgreement),
            ] {
                if ui.selectable_label(current == workspace, tr.t(msg)).clicked() && current != workspace {
                    ctx.push(AppCommand::SetWorkspace(workspace));
                }
            }
            if analysis.computing.is_some() {
                ui.spinner();
                ui.weak(tr.t(Msg::Computing));
            }
        });
    });
}
