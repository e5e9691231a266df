//! Quipu: qualitative coding of bilingual testimony.
//!
//! Researchers import interview excerpts kept in two languages (a Spanish original
//! and its English translation), code them with themes from a codebook, compare
//! how often each theme appears per case, and export coded quotes for reports with
//! the original kept beside the translation. A project is one SQLite file.
//!
//! The layers, arrows pointing one way only:
//!
//! - [`gui`] (feature `gui`) and [`cli`]: the window and the command line;
//! - [`formats`] and [`analysis`]: importers, exporters and counts;
//! - [`store`]: the project file, the only module that speaks SQL;
//! - [`model`] and [`text`]: domain types and text rules, no I/O;
//! - [`language`]: English and Spanish, for messages the core hands the window.
//!
//! [`demo`] builds the bundled demo project from the files in `assets/demo`.

pub mod analysis;
pub mod cli;
pub mod demo;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod language;
pub mod memory;
pub mod model;
pub mod store;
pub mod text;
