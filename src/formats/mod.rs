//! Importers and exporters: CSV spreadsheets in; coded quotes out as Markdown and
//! CSV. Each importer turns a file into domain rows and leaves writing to the
//! store; each exporter turns store queries into a file.

use report::{ReportOptions, report_sections};

pub mod csv_export;
pub mod csv_import;
pub mod markdown;
pub mod report;

use std::path::{Path, PathBuf};

use crate::store::StoreError;

/// Why an import failed. Messages name the file, and the row and column when one is
/// at fault.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Something about the file as a whole.
    #[error("{file}: {message}")]
    File {
        /// The file, as the user named it.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A row (and maybe a column) at fault.
    #[error("{file}, row {row}{column_part}: {message}", column_part = column_part(.column))]
    Row {
        /// The file, as the user named it.
        file: String,
        /// The row, counted as a spreadsheet does (the header is row 1).
        row: usize,
        /// The column, as `column 'caso'`, if one is at fault.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Writing to the project failed; nothing was imported.
    #[error("{0}")]
    Store(#[from] StoreError),
}

fn column_part(column: &Option<String>) -> String {
    column.as_ref().map(|column| format!(", {column}")).unwrap_or_default()
}

impl ImportError {
    /// An error about the whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Self::File { file: file.to_owned(), message: message.into() }
    }

    /// An error at a row, and a column if given.
    pub fn row(file: &str, row: usize, column: Option<String>, message: impl Into<String>) -> Self {
        Self::Row { file: file.to_owned(), row, column, message: message.into() }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Nothing matched the chosen filters: no file is written.
    #[error("nothing to export: no coded quotes match {0}")]
    Empty(String),
    /// The output format is not known.
    #[error("{0}")]
    Unsupported(String),
    /// The file could not be written.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Reading the project failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Makes a spreadsheet cell safe: a value a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.
pub fn neutralize_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes a file through a temporary file renamed into place, so a failure never
/// leaves half a file behind.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = target.as_os_str().to_owned();
    temporary.push(".part");
    let temporary = PathBuf::from(temporary);
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A file format for coded quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteFormat {
    /// Markdown with footnotes.
    Markdown,
    /// CSV, one row per quote.
    Csv,
}

impl QuoteFormat {
    /// Every format, in menu order.
    pub const ALL: [QuoteFormat; 2] = [QuoteFormat::Markdown, QuoteFormat::Csv];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Csv => "csv",
        }
    }

    /// The format's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown (.md)",
            Self::Csv => "CSV (.csv)",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<QuoteFormat> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// What an export of quotes holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// Quotes written.
    pub quotes: usize,
    /// Codes they fall under.
    pub codes: usize,
}

/// Renders the coded quotes chosen by `options` in `format`. Returns the file's
/// bytes and what they hold; an empty selection is an error.
pub fn render_quotes(
    store: &crate::store::Store,
    options: &ReportOptions,
    format: QuoteFormat,
) -> Result<(Vec<u8>, ExportSummary), ExportError> {
    let sections = report_sections(store, options)?;
    let summary =
        ExportSummary { quotes: sections.iter().map(|section| section.quotes.len()).sum(), codes: sections.len() };
    let bytes = match format {
        QuoteFormat::Csv => csv_export::render_quotes_csv(&sections)
            .map_err(|error| ExportError::Unsupported(format!("could not write CSV: {error}")))?,
        QuoteFormat::Markdown => {
            let title = store.setting("title")?.unwrap_or_else(|| "Coded quotes".to_owned());
            markdown::render_markdown(&title, &sections).into_bytes()
        }
    };
    Ok((bytes, summary))
}
