//! The desktop window (feature `gui`).

/// Opens the window.
pub fn run(_project: Option<std::path::PathBuf>) -> Result<(), String> {
    Err("not yet".to_owned())
}
