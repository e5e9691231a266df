//! The window's own file chooser, for desktops without a system file dialog (no
//! XDG portal, no zenity) or for people who prefer it. It wraps `egui_file`'s
//! dialog with the purpose it was opened for, names its buttons in the
//! interface language, and shows only the files that purpose can use.

use std::path::PathBuf;

use super::i18n::{Msg, Tr};
use super::jobs::PickPurpose;

/// An open in-window file chooser.
pub struct FileChooser {
    /// What the chosen file is for.
    pub purpose: PickPurpose,
    /// The dialog itself.
    pub dialog: egui_file::FileDialog,
}

impl std::fmt::Debug for FileChooser {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("FileChooser").field("purpose", &self.purpose).finish_non_exhaustive()
    }
}

impl FileChooser {
    /// Opens a chooser for `purpose` in `folder` (else the home folder), with
    /// `default_name` filled in when it saves a file.
    pub fn open(purpose: PickPurpose, folder: Option<PathBuf>, default_name: Option<String>, tr: Tr) -> Self {
        // A purpose with an extension saves a file; the others open one.
        let saves = purpose.extension().is_some();
        let mut dialog = if saves { egui_file::FileDialog::save_file() } else { egui_file::FileDialog::open_file() };
        let folder = folder
            .filter(|folder| folder.is_dir())
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .or_else(|| std::env::current_dir().ok());
        if let Some(folder) = folder {
            dialog = dialog.initial_path(folder);
        }
        if let Some(name) = default_name {
            dialog = dialog.default_filename(name);
        }
        let extensions = purpose.accepted_extensions();
        dialog = dialog
            .id(egui::Id::unique("quipu_file_chooser"))
            .title(tr.t(if saves { Msg::ChooseWhereToSave } else { Msg::ChooseFile }))
            .open_button_text(tr.t(Msg::OpenFileButton).into())
            .save_button_text(tr.t(Msg::SaveFileButton).into())
            .cancel_button_text(tr.t(Msg::Cancel).into())
            .new_folder_button_text(tr.t(Msg::NewFolder).into())
            .new_folder_name_text(tr.t(Msg::NewFolder).into())
            .rename_button_text(tr.t(Msg::Rename).into())
            .refresh_button_hover_text(tr.t(Msg::Refresh).into())
            .parent_folder_button_hover_text(tr.t(Msg::ParentFolder).into())
            .file_label_text(tr.t(Msg::FileLabel).into())
            .show_hidden_checkbox_text(tr.t(Msg::ShowHidden).into())
            .show_rename(false)
            .default_size(egui::vec2(560.0, 420.0))
            .show_files_filter(Box::new(move |path: &std::path::Path| {
                extensions.is_empty()
                    || path
                        .extension()
                        .and_then(|extension| extension.to_str())
                        .is_some_and(|extension| extensions.iter().any(|e| e.eq_ignore_ascii_case(extension)))
            }));
        dialog.open();
        Self { purpose, dialog }
    }
}
