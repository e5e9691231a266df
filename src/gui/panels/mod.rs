//! The window's panels and dialogs, one file per view. Each `*_ui` function
//! takes a [`PanelContext`] (the view model to read, the preferences, and the
//! command queue to push to) and, where it has one, its own state. None of them
//! sees the app or the store: what they want done, they push as an
//! [`AppCommand`], and command handling carries it out after the frame.

pub mod agreement;
pub mod analysis_filters;
pub mod attributes;
pub mod codebook;
pub mod cooccurrence;
pub mod dialogs;
pub mod export;
pub mod file_chooser;
pub mod frequencies;
pub mod import;
pub mod menu;
pub mod merge;
pub mod navigator;
pub mod new_item;
pub mod reader;
pub mod status;
pub mod transcript;
pub mod widgets;
pub mod workspace_tabs;

use crate::model::ExcerptId;

use super::command::{AppCommand, CommandQueue};
use super::i18n::Tr;
use super::jobs::RunningJob;
use super::settings::Settings;
use super::view_model::ViewModel;

/// What a panel may use while drawing: read the project's view, the
/// preferences and the running job; push commands.
pub struct PanelContext<'a> {
    /// The interface's words.
    pub tr: Tr,
    /// What the window shows of the open project, if one is open.
    pub view: Option<&'a ViewModel>,
    /// Preferences.
    pub settings: &'a Settings,
    /// The excerpt open in the reader.
    pub selected: Option<ExcerptId>,
    /// The background job running now, if any.
    pub running_job: Option<&'a RunningJob>,
    /// Where requests go; they are carried out after the frame is drawn.
    pub commands: &'a mut CommandQueue,
}

impl PanelContext<'_> {
    /// Asks for `command` to be carried out after this frame.
    pub fn push(&mut self, command: AppCommand) {
        self.commands.push(command);
    }

    /// True while an import or export runs.
    pub fn busy(&self) -> bool {
        self.running_job.is_some()
    }
}
