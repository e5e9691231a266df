//! The desktop window (feature `gui`), built with egui/eframe.
//!
//! Three rooms, as in egui's demo app and rerun:
//! - state: [`state`] (what the window remembers), [`view_model`] (what it shows
//!   of the project, read once per change), [`settings`] (preferences);
//! - drawing: [`panels`], one file per view, each taking a narrow
//!   [`panels::PanelContext`] and pushing [`command::AppCommand`]s;
//! - command handling: [`command_handling`], the only window code that touches
//!   the store or starts [`jobs`], applying each edit as one transaction and one
//!   undo step.
//!
//! [`app::QuipuApp`] is the `eframe::App` shell that ties them together.

pub mod app;
pub mod command;
pub mod command_handling;
pub mod file_chooser;
pub mod i18n;
pub mod icon;
pub mod jobs;
pub mod panels;
pub mod settings;
mod shortcuts;
pub mod state;
pub mod theme;
pub mod view_model;
pub mod workspace;

use std::path::PathBuf;

pub use app::QuipuApp;

/// Opens the window on `project` (or the last project, or the demo) and runs
/// until it is closed.
pub fn run(project: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Quipu")
            .with_app_id("quipu")
            .with_inner_size([1400.0, 880.0])
            .with_min_inner_size([900.0, 560.0])
            .with_icon(icon::app_icon()),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native("Quipu", options, Box::new(move |cc| Ok(Box::new(QuipuApp::new(cc, project)))))
        .map_err(|error| format!("could not open the window: {error}"))
}
