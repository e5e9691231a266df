//! Preferences kept between runs in eframe's storage (not in the project): recent
//! projects, language, theme, coder, text size, panels; and where Quipu keeps its
//! own files.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::i18n::Language;

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

/// The coder name suggested the first time: the system user's name.
pub(super) fn default_coder_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|name| !name.trim().is_empty() && name != "root")
        .unwrap_or_else(|| "coder".to_owned())
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
