//! The window's panels and dialogs. Each `*_ui` function draws from the app's
//! view model and interface state and pushes [`super::app::AppCommand`]s; none of
//! them writes to the project.

pub mod analysis;
pub mod attributes;
pub mod codebook;
pub mod dialogs;
pub mod export;
pub mod import;
pub mod menu;
pub mod navigator;
pub mod reader;
pub mod status;
