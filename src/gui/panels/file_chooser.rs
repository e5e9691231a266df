//! Draws the window's own file chooser when it is open, and hands the chosen
//! file to command handling.

use super::PanelContext;
use crate::gui::command::AppCommand;
use crate::gui::file_chooser::FileChooser;

/// Draws the in-window file chooser when open.
pub fn file_chooser_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<FileChooser>) {
    let Some(chooser) = open.as_mut() else {
        return;
    };
    chooser.dialog.show(ctx);
    if chooser.dialog.selected() {
        if let Some(path) = chooser.dialog.path().map(std::path::Path::to_path_buf) {
            app.push(AppCommand::Picked(chooser.purpose, path));
        }
        *open = None;
    } else if !chooser.dialog.visible() {
        *open = None;
    }
}
