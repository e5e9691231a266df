//! Preferences kept between runs in eframe's storage (not in the project): recent
//! projects, language, theme, coder, text size, panels, the excerpt last read in
//! each project, the columns chosen for imported files; and where Quipu keeps
//! its own files.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::i18n::Language;
use crate::model::ExcerptId;

/// Preferences kept between runs (in eframe's storage, not in the project).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Projects opened recently, newest first.
    pub recent_projects: Vec<PathBuf>,
    /// The interface language.
    pub language: Language,
    /// Light, dark or the system's theme.
    pub theme: ThemeChoice,
    /// Who is coding.
    pub coder: String,
    /// Body text size in points.
    pub text_size: f32,
    /// Whether the codebook panel is shown.
    pub show_codebook: bool,
    /// Whether the reader shows the whole source rather than one excerpt.
    pub whole_source: bool,
    /// Whether the navigator panel is shown.
    pub show_navigator: bool,
    /// Use the window's own file chooser rather than the system's dialog (set
    /// by itself when the system has none).
    pub own_file_chooser: bool,
    /// The excerpt last read in each project, newest first.
    pub last_excerpts: Vec<(PathBuf, i64)>,
    /// The column mapping last chosen for each imported file, newest first.
    pub import_mappings: Vec<(PathBuf, Vec<(String, String)>)>,
}

/// How many projects and files the remembered lists keep.
const REMEMBERED: usize = 20;

impl Settings {
    /// Puts `path` first among the recent projects.
    pub fn remember_project(&mut self, path: &Path) {
        self.recent_projects.retain(|recent| recent != path);
        self.recent_projects.insert(0, path.to_owned());
        self.recent_projects.truncate(10);
    }

    /// The excerpt last read in the project at `path`.
    pub fn last_excerpt(&self, path: &Path) -> Option<ExcerptId> {
        self.last_excerpts.iter().find(|(project, _)| project == path).map(|(_, id)| ExcerptId(*id))
    }

    /// Remembers the excerpt being read in the project at `path`.
    pub fn remember_excerpt(&mut self, path: &Path, excerpt_id: ExcerptId) {
        self.last_excerpts.retain(|(project, _)| project != path);
        self.last_excerpts.insert(0, (path.to_owned(), excerpt_id.0));
        self.last_excerpts.truncate(REMEMBERED);
    }

    /// The column mapping chosen the last time `file` was imported.
    pub fn remembered_mapping(&self, file: &Path) -> Option<&[(String, String)]> {
        self.import_mappings.iter().find(|(path, _)| path == file).map(|(_, mapping)| mapping.as_slice())
    }

    /// Remembers the column mapping chosen for `file`.
    pub fn remember_mapping(&mut self, file: &Path, mapping: Vec<(String, String)>) {
        self.import_mappings.retain(|(path, _)| path != file);
        self.import_mappings.insert(0, (file.to_owned(), mapping));
        self.import_mappings.truncate(REMEMBERED);
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent_projects: Vec::new(),
            language: Language::English,
            theme: ThemeChoice::Light,
            coder: String::new(),
            text_size: 15.0,
            show_codebook: true,
            whole_source: false,
            show_navigator: true,
            own_file_chooser: false,
            last_excerpts: Vec::new(),
            import_mappings: Vec::new(),
        }
    }
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Light.
    #[default]
    Light,
    /// Dark.
    Dark,
    /// Whatever the system uses.
    System,
}

/// Where the demo project is written for the window: the user's data folder.
pub fn demo_path() -> PathBuf {
    data_dir().join("demo.quipu")
}

/// Quipu's folder for its own files (the demo project).
fn data_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir).join("quipu");
    }
    if cfg!(target_os = "windows")
        && let Some(dir) = std::env::var_os("APPDATA")
    {
        return PathBuf::from(dir).join("Quipu");
    }
    if cfg!(target_os = "macos")
        && let Some(home) = &home
    {
        return home.join("Library/Application Support/Quipu");
    }
    match home {
        Some(home) => home.join(".local/share/quipu"),
        None => std::env::temp_dir().join("quipu"),
    }
}
