//! Importers and exporters. In: CSV spreadsheets of excerpts and of attributes.
//! Out: coded quotes as Word, HTML, Markdown, CSV and spreadsheets; frequency
//! tables as CSV and spreadsheets; charts as SVG and PNG. Each importer turns a
//! file into domain rows and leaves writing to the store; each exporter turns
//! store queries into bytes, and [`write_atomically`] puts them in place.

use report::{ReportOptions, build_report};

pub mod attributes_csv;
pub mod chart;
pub mod codings_csv;
pub mod csv_export;
pub mod csv_import;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod package;
pub mod pseudonyms;
pub mod refi;
pub mod report;
pub mod transcript;
pub mod xlsx;

use std::path::Path;

use crate::language::{Language, Localized, Text};
use crate::store::StoreError;

/// A stable 64-bit FNV-1a hash (the same in every build, unlike std's hasher),
/// `seed` mixed into its start. Not a security measure.
pub(crate) fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ seed;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

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
        message: Text,
    },
    /// A row (and maybe a column) at fault.
    #[error("{file}, row {row}{column_part}: {message}", column_part = column_part(.column))]
    Row {
        /// The file, as the user named it.
        file: String,
        /// The row, counted as a spreadsheet does (the header is row 1).
        row: usize,
        /// The header of the column at fault, if one is.
        column: Option<String>,
        /// What is wrong.
        message: Text,
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

impl ImportError {
    /// The error with a database failure said plainly about the project file
    /// (see [`StoreError::about_file`]).
    pub fn about_file(self, project: &std::path::Path) -> ImportError {
        match self {
            ImportError::Store(error) => ImportError::Store(error.about_file(project)),
            other => other,
        }
    }
}

fn column_part(column: &Option<String>) -> String {
    column.as_ref().map(|column| format!(", column '{column}'")).unwrap_or_default()
}

impl ImportError {
    /// An error about the whole file.
    pub fn file(file: &str, message: Text) -> Self {
        Self::File { file: file.to_owned(), message }
    }

    /// An error at a row, and at the column with this header if given.
    pub fn row(file: &str, row: usize, column: Option<&str>, message: Text) -> Self {
        Self::Row { file: file.to_owned(), row, column: column.map(str::to_owned), message }
    }
}

impl Localized for ImportError {
    fn localized(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        match self {
            Self::File { file, message } => format!("{file}: {}", message.get(language)),
            Self::Row { file, row, column, message } => {
                let column = column.as_ref().map(|column| format!(", columna '{column}'")).unwrap_or_default();
                format!("{file}, fila {row}{column}: {}", message.get(language))
            }
            Self::Io { file, source } => format!("{file}: {source}"),
            Self::Store(error) => error.localized(language),
        }
    }
}

impl Localized for ExportError {
    fn localized(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        match self {
            Self::Empty(what) => {
                format!("nada que exportar: ninguna cita codificada coincide con {}", what.get(language))
            }
            Self::Unsupported(message) => message.get(language).to_owned(),
            Self::Io { file, source } => format!("{file}: {source}"),
            Self::Store(error) => error.localized(language),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Nothing matched the chosen filters: no file is written.
    #[error("nothing to export: no coded quotes match {0}")]
    Empty(Text),
    /// The output format is not known, or the file could not be made.
    #[error("{0}")]
    Unsupported(Text),
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

/// Escapes text for XML and HTML, dropping the control characters XML cannot
/// hold (tab and line breaks stay).
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
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
/// leaves half a file behind. It never replaces a Quipu project, whatever its
/// name: an export aimed at one (even the open project, even with `--force`)
/// is refused.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(target, |file| {
        use std::io::Write as _;
        file.write_all(bytes)
    })
}

/// Like [`write_atomically`], with `write` writing the file as it goes (a
/// large export is never held whole in memory). An error of `write` removes
/// the temporary file and comes back as it was.
pub fn write_atomically_with<E: From<std::io::Error>>(
    target: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), E>,
) -> Result<(), E> {
    if is_quipu_project(target) {
        return Err(E::from(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "it is a Quipu project; an export never replaces a project (choose another name)",
        )));
    }
    // A name of its own beside the target, so it never meets a file of the
    // person's (or another export's) and lands by an atomic rename.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let file_name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = target.with_file_name(format!(".{file_name}.{}-{number}.part", std::process::id()));
    let written = (|| -> Result<(), E> {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temporary, target)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// True when `path` is a Quipu project: an SQLite file marked with Quipu's
/// application id (read from the header, so a renamed project is known too).
fn is_quipu_project(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 72];
    let read = std::fs::File::open(path).and_then(|mut file| file.read_exact(&mut header));
    read.is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[68..72] == crate::store::APPLICATION_ID.to_be_bytes()
}

/// A file format for coded quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum QuoteFormat {
    /// A Word document with the other language in footnotes.
    Docx,
    /// One standalone HTML page.
    Html,
    /// Markdown with footnotes.
    Markdown,
    /// CSV, one row per quote.
    Csv,
    /// A spreadsheet, one row per quote.
    Xlsx,
}

impl QuoteFormat {
    /// Every format, in menu order.
    pub const ALL: [QuoteFormat; 5] =
        [QuoteFormat::Docx, QuoteFormat::Html, QuoteFormat::Markdown, QuoteFormat::Csv, QuoteFormat::Xlsx];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The format's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Docx => "Word (.docx)",
            Self::Html => "HTML (.html)",
            Self::Markdown => "Markdown (.md)",
            Self::Csv => "CSV (.csv)",
            Self::Xlsx => "Spreadsheet (.xlsx)",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<QuoteFormat> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "docx" => Some(Self::Docx),
            "html" | "htm" => Some(Self::Html),
            "md" | "markdown" => Some(Self::Markdown),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// What an export of quotes holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// Quotes written.
    pub quotes: usize,
    /// Sections (codes or cases) they fall under.
    pub sections: usize,
    /// Excerpts (by ID) whose text was longer than a spreadsheet cell holds and
    /// was cut, with a marker in the cell (.xlsx only).
    pub cut: Vec<String>,
}

/// Renders the coded quotes chosen by `options` in `format`. Returns the file's
/// bytes and what they hold; an empty selection is an error.
pub fn render_quotes(
    store: &crate::store::Store,
    options: &ReportOptions,
    format: QuoteFormat,
) -> Result<(Vec<u8>, ExportSummary), ExportError> {
    let report = build_report(store, options)?;
    let mut summary = ExportSummary { quotes: report.quote_count(), sections: report.sections.len(), cut: Vec::new() };
    let failed = |what: &str, error: String| {
        ExportError::Unsupported(crate::bilingual!(
            "could not write {what}: {error}",
            "no se pudo escribir {what}: {error}"
        ))
    };
    let bytes = match format {
        QuoteFormat::Csv => csv_export::render_quotes_csv(&report).map_err(|e| failed("CSV", e.to_string()))?,
        QuoteFormat::Markdown => markdown::render_markdown(&report).into_bytes(),
        QuoteFormat::Html => html::render_html(&report).into_bytes(),
        QuoteFormat::Docx => docx::render_docx(&report).map_err(|e| failed("Word", e.to_string()))?,
        QuoteFormat::Xlsx => {
            let (bytes, cut) = xlsx::render_quotes_xlsx(&report).map_err(|e| failed("xlsx", e.to_string()))?;
            summary.cut = cut;
            bytes
        }
    };
    Ok((bytes, summary))
}

/// A file format for frequency tables and their charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FrequencyFormat {
    /// CSV, one row per group and code.
    Csv,
    /// A spreadsheet: codes × groups, and the rows of the CSV.
    Xlsx,
    /// A chart as SVG.
    Svg,
    /// A chart as PNG.
    Png,
}

impl FrequencyFormat {
    /// Every format, in menu order.
    pub const ALL: [FrequencyFormat; 4] =
        [FrequencyFormat::Xlsx, FrequencyFormat::Csv, FrequencyFormat::Png, FrequencyFormat::Svg];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }

    /// The format's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV table (.csv)",
            Self::Xlsx => "Spreadsheet (.xlsx)",
            Self::Svg => "Chart, SVG (.svg)",
            Self::Png => "Chart, PNG (.png)",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<FrequencyFormat> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }
}

/// Names a frequency table's groups for an export as `names` says: grouped by
/// speaker, a speaker shows by pseudonym (or role); any real name in a source's
/// or other group's name is scrubbed, so a chart or table sent out names nobody.
pub fn name_groups(
    table: &mut crate::analysis::FrequencyTable,
    store: &crate::store::Store,
    names: pseudonyms::Names,
) -> Result<(), ExportError> {
    if names == pseudonyms::Names::Real {
        return Ok(());
    }
    let people = pseudonyms::Pseudonymizer::new(store, names)?;
    for (group, _) in &mut table.groups {
        *group = people.scrub(group);
    }
    Ok(())
}

/// Renders a frequency table (or its chart) in `format`.
pub fn render_frequencies(
    table: &crate::analysis::FrequencyTable,
    format: FrequencyFormat,
    chart: chart::ChartKind,
    title: &str,
) -> Result<Vec<u8>, ExportError> {
    if table.cells.is_empty() {
        return Err(ExportError::Empty(crate::bilingual!(
            "these filters (no code is counted in any group)",
            "estos filtros (ningún código se cuenta en ningún grupo)"
        )));
    }
    let failed = |what: &str, error: String| {
        ExportError::Unsupported(crate::bilingual!(
            "could not write {what}: {error}",
            "no se pudo escribir {what}: {error}"
        ))
    };
    Ok(match format {
        FrequencyFormat::Csv => csv_export::render_frequencies_csv(table).map_err(|e| failed("CSV", e.to_string()))?,
        FrequencyFormat::Xlsx => xlsx::render_frequencies_xlsx(table).map_err(|e| failed("xlsx", e.to_string()))?,
        FrequencyFormat::Svg => chart::render_svg(table, chart, title).into_bytes(),
        FrequencyFormat::Png => {
            chart::svg_to_png(&chart::render_svg(table, chart, title), 2.0).map_err(|e| failed("PNG", e))?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_errors_name_file_row_and_column_in_either_language() {
        let error = ImportError::row(
            "datos.csv",
            7,
            Some("fecha"),
            crate::bilingual!("the date '14/3' is not written as yyyy", "la fecha '14/3' no está escrita como aaaa"),
        );
        assert_eq!(error.to_string(), "datos.csv, row 7, column 'fecha': the date '14/3' is not written as yyyy");
        assert_eq!(
            error.localized(Language::Spanish),
            "datos.csv, fila 7, columna 'fecha': la fecha '14/3' no está escrita como aaaa"
        );
        let store = ImportError::Store(StoreError::Cancelled);
        assert_eq!(store.localized(Language::Spanish), "cancelado; no cambió nada");
    }
}
