//! The desktop window (feature `gui`), built with egui/eframe.
//!
//! [`app::QuipuApp`] owns the open project and the interface state. Panels in
//! [`panels`] draw from the [`view_model::ViewModel`] and push commands;
//! [`command::apply_edit`] applies changes to the store, one transaction and one
//! undo step each. Long work runs in [`jobs`], off the drawing thread.

pub mod app;
pub mod command;
pub mod i18n;
pub mod icon;
pub mod jobs;
pub mod panels;
pub mod settings;
mod shortcuts;
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
