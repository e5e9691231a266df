//! The command line: each subcommand parses its arguments, calls the core, and
//! prints. Errors go to stderr once, with a non-zero exit, and leave the project as
//! it was.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::analysis;
use crate::formats::csv_import::{CsvOptions, Field, read_csv};
use crate::formats::report::ReportOptions;
use crate::formats::{ExportError, ImportError};
use crate::formats::{QuoteFormat, render_quotes};
use crate::store::{Grouping, MATCH_END, MATCH_START, SearchQuery, Store, StoreError};

/// Quipu: qualitative coding of bilingual (Spanish/English) testimony, offline.
///
/// Without a subcommand, opens the window on the last project (or the bundled
/// demo). Every subcommand works on a project file (`*.quipu`, one SQLite file).
#[derive(Debug, Parser)]
#[command(name = "quipu", version, about, long_about = None)]
pub struct Cli {
    /// What to do; nothing opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project with the default codebook of mining-conflict themes.
    New {
        /// The project file to create, e.g. fieldwork.quipu.
        project: PathBuf,
        /// Start with an empty codebook instead of the default themes.
        #[arg(long)]
        empty_codebook: bool,
    },
    /// Write the bundled demo project (four fictional mine sites, 60 excerpts).
    Demo {
        /// The project file to create.
        project: PathBuf,
    },
    /// Import excerpts into a project.
    #[command(subcommand)]
    Import(ImportCommand),
    /// List the codebook with how many excerpts and codings each code has.
    Codes {
        /// The project file.
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Code frequencies per case, source or speaker.
    Freq {
        /// The project file.
        project: PathBuf,
        /// How to group excerpts.
        #[arg(long, value_enum, default_value_t = GroupBy::Case)]
        by: GroupBy,
        /// Print JSON: {"by": "case", "counts": {"<group>": {"<code>": <excerpts>}}}, zero counts left out.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV: group, code, excerpts, codings, group_excerpts.
        #[arg(long)]
        csv: bool,
    },
    /// Search both languages; accents and case are ignored ("policia" finds "policía").
    Search {
        /// The project file.
        project: PathBuf,
        /// Words to find; "words in quotes" match as a phrase.
        query: String,
        /// Search only the text in this language (es, en …).
        #[arg(long)]
        lang: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Which page of results.
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Results per page.
        #[arg(long, default_value_t = 20)]
        per_page: usize,
    },
    /// Export from a project.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Open the window on a project (or the last project, or the demo).
    Gui {
        /// The project file to open.
        project: Option<PathBuf>,
    },
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a spreadsheet (CSV, UTF-8) of excerpts, one per row, in one transaction.
    ///
    /// Columns are recognised by header in English or Spanish: id, case/caso,
    /// source/fuente, speaker/hablante, role/rol, place/lugar, date/fecha,
    /// interviewer/entrevistador, original/texto original, translation/traducción,
    /// original_lang, translation_lang, status/estado, codes/códigos, memo/nota.
    /// A bad row stops the import, names the row and column, and changes nothing.
    Csv {
        /// The project file (it must exist; see `quipu new`).
        project: PathBuf,
        /// The CSV file.
        file: PathBuf,
        /// Map a field to a column by header or 1-based number, e.g. --map original=Testimonio.
        /// Fields: id case source speaker role place date interviewer original translation
        /// original_lang translation_lang status codes memo.
        #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_mapping)]
        map: Vec<(String, String)>,
        /// What separates code names in the codes column.
        #[arg(long, default_value = ";", value_name = "S")]
        codes_separator: String,
        /// Who the codes in the file are attributed to.
        #[arg(long, default_value = "imported", value_name = "NAME")]
        coder: String,
        /// Check the file and report what would be imported, without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What to export.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Coded quotes for a report: Markdown (quotes with the other language in footnotes) or CSV.
    Quotes {
        /// The project file.
        project: PathBuf,
        /// The output file: .md or .csv.
        out: PathBuf,
        /// Only quotes of this code (repeatable).
        #[arg(long = "code", value_name = "NAME")]
        codes: Vec<String>,
        /// Only quotes of this case (repeatable).
        #[arg(long = "case", value_name = "NAME")]
        cases: Vec<String>,
        /// The language quoted in the body; the other goes in footnotes.
        #[arg(long, default_value = "en", value_name = "LANG")]
        body: String,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
}

/// How `freq` groups excerpts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// By case.
    Case,
    /// By source (interview).
    Source,
    /// By speaker.
    Speaker,
}

impl From<GroupBy> for Grouping {
    fn from(by: GroupBy) -> Self {
        match by {
            GroupBy::Case => Grouping::Case,
            GroupBy::Source => Grouping::Source,
            GroupBy::Speaker => Grouping::Speaker,
        }
    }
}

fn parse_mapping(text: &str) -> Result<(String, String), String> {
    let Some((field, column)) = text.split_once('=') else {
        return Err(format!("'{text}' is not FIELD=COLUMN, e.g. original=Testimonio"));
    };
    if Field::parse(field).is_none() {
        let fields: Vec<&str> = Field::ALL.iter().map(|field| field.name()).collect();
        return Err(format!("unknown field '{field}'; the fields are: {}", fields.join(", ")));
    }
    Ok((field.trim().to_owned(), column.trim().to_owned()))
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The project could not be opened or changed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An import failed; nothing was imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// An export failed; nothing was written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Anything else, said plainly.
    #[error("{0}")]
    Message(String),
}

/// Runs a subcommand other than the window, printing to stdout.
pub fn run(command: Command) -> Result<(), CliError> {
    let mut out = String::new();
    match command {
        Command::New { project, empty_codebook } => {
            let mut store = Store::create(&project)?;
            let added = if empty_codebook { 0 } else { store.add_default_codebook()? };
            let _ = writeln!(
                out,
                "Created {} with {}.",
                project.display(),
                if empty_codebook {
                    "an empty codebook".to_owned()
                } else {
                    format!("the default codebook ({added} codes)")
                }
            );
        }
        Command::Demo { project } => {
            let store = crate::demo::write_demo(&project)?;
            let _ = writeln!(
                out,
                "Wrote the demo project to {}: {} cases, {} excerpts, {} codings.",
                project.display(),
                store.cases()?.len(),
                store.excerpt_count()?,
                store.coding_count()?
            );
        }
        Command::Import(ImportCommand::Csv { project, file, map, codes_separator, coder, dry_run }) => {
            import_csv(&mut out, &project, &file, map, codes_separator, &coder, dry_run)?
        }
        Command::Codes { project, json } => codes(&mut out, &open(&project)?, json)?,
        Command::Freq { project, by, json, csv } => freq(&mut out, &open(&project)?, by.into(), json, csv)?,
        Command::Search { project, query, lang, json, page, per_page } => {
            search(&mut out, &open(&project)?, &query, lang, json, page, per_page)?
        }
        Command::Export(ExportCommand::Quotes { project, out: target, codes, cases, body, force }) => {
            export_quotes(&mut out, &open(&project)?, &target, &codes, &cases, &body, force)?
        }
        Command::Gui { .. } => {
            return Err(CliError::Message(
                "this build of Quipu has no window (it was built without the 'gui' feature)".to_owned(),
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`quipu freq … | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(())
}

fn open(project: &Path) -> Result<Store, CliError> {
    Ok(Store::open(project)?)
}

fn import_csv(
    out: &mut String,
    project: &Path,
    file: &Path,
    map: Vec<(String, String)>,
    codes_separator: String,
    coder: &str,
    dry_run: bool,
) -> Result<(), CliError> {
    let file_name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io { file: file_name.clone(), source })?;
    let mut store = open(project)?;
    let parsed = read_csv(&bytes, &file_name, &CsvOptions { map, codes_separator })?;
    let summary = store.import_batch(&parsed.batch, coder, dry_run)?;
    let verb = if dry_run { "Would import" } else { "Imported" };
    let _ = writeln!(
        out,
        "{verb} {} from {} into {}.",
        plural(summary.excerpts, "excerpt"),
        file.display(),
        project.display()
    );
    let list = |names: &[String]| {
        if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) }
    };
    let _ = writeln!(
        out,
        "  {}{}, {}, {}{}, {} by '{coder}'.",
        plural(summary.new_cases.len(), "new case"),
        list(&summary.new_cases),
        plural(summary.new_sources, "new source"),
        plural(summary.new_codes.len(), "new code"),
        list(&summary.new_codes),
        plural(summary.codings, "coding")
    );
    let mapped: Vec<String> = parsed
        .mapping
        .columns
        .iter()
        .map(|(field, column)| format!("{field} ← '{}'", parsed.mapping.headers[*column]))
        .collect();
    let _ = writeln!(out, "  Columns: {}.", mapped.join(", "));
    let ignored = parsed.mapping.ignored_headers();
    if !ignored.is_empty() {
        let _ = writeln!(out, "  Not imported: '{}'.", ignored.join("', '"));
    }
    if parsed.normalized_cells > 0 {
        let mut what = Vec::new();
        if parsed.normalization.removed_bom {
            what.push("byte-order mark removed");
        }
        if parsed.normalization.converted_line_endings {
            what.push("line endings converted to LF");
        }
        if parsed.normalization.composed_characters {
            what.push("accents composed (NFC)");
        }
        let _ = writeln!(out, "  Normalised {} cells: {}.", parsed.normalized_cells, what.join(", "));
    }
    if parsed.skipped_empty_rows > 0 {
        let _ = writeln!(out, "  Skipped {} empty rows.", parsed.skipped_empty_rows);
    }
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was written.");
    }
    Ok(())
}

fn codes(out: &mut String, store: &Store, as_json: bool) -> Result<(), CliError> {
    let codes = store.codes()?;
    let counts = store.code_counts()?;
    let count_of = |code_id| counts.iter().find(|count| count.code_id == code_id).copied();
    let depth = |code: &crate::model::Code| {
        let mut depth = 0;
        let mut parent = code.parent_id;
        while let Some(parent_id) = parent {
            depth += 1;
            parent = codes.iter().find(|c| c.code_id == parent_id).and_then(|c| c.parent_id);
        }
        depth
    };
    if as_json {
        let rows: Vec<_> = codes
            .iter()
            .map(|code| {
                let count = count_of(code.code_id);
                let parent = code
                    .parent_id
                    .and_then(|parent_id| codes.iter().find(|c| c.code_id == parent_id))
                    .map(|parent| parent.name.clone());
                json!({
                    "name": code.name,
                    "description": code.description,
                    "color": code.color,
                    "parent": parent,
                    "excerpts": count.map_or(0, |c| c.excerpts),
                    "codings": count.map_or(0, |c| c.codings),
                })
            })
            .collect();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    if codes.is_empty() {
        let _ = writeln!(out, "The codebook is empty.");
        return Ok(());
    }
    let width = codes.iter().map(|code| code.name.chars().count() + 2 * depth(code)).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "{:<width$}  {:>8}  {:>7}", "Code", "Excerpts", "Codings");
    for code in &codes {
        let count = count_of(code.code_id);
        let name = format!("{}{}", "  ".repeat(depth(code)), code.name);
        let _ = writeln!(
            out,
            "{:<width$}  {:>8}  {:>7}",
            name,
            count.map_or(0, |c| c.excerpts),
            count.map_or(0, |c| c.codings)
        );
    }
    Ok(())
}

fn freq(out: &mut String, store: &Store, grouping: Grouping, as_json: bool, as_csv: bool) -> Result<(), CliError> {
    let table = analysis::frequencies(store, grouping)?;
    if as_json {
        let _ = writeln!(out, "{}", table.to_json());
        return Ok(());
    }
    if as_csv {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut write = || -> Result<Vec<u8>, csv::Error> {
            writer.write_record([grouping.as_str(), "code", "excerpts", "codings", "group_excerpts"])?;
            for (group_index, (group, size)) in table.groups.iter().enumerate() {
                for (code_index, code) in table.codes.iter().enumerate() {
                    let cell = table.cell(group_index, code_index);
                    if cell.excerpts > 0 {
                        writer.write_record([
                            crate::formats::neutralize_formula(group).as_ref(),
                            crate::formats::neutralize_formula(&code.name).as_ref(),
                            &cell.excerpts.to_string(),
                            &cell.codings.to_string(),
                            &size.to_string(),
                        ])?;
                    }
                }
            }
            writer.flush()?;
            Ok(writer.get_ref().clone())
        };
        let bytes = write().map_err(|error| CliError::Message(error.to_string()))?;
        out.push_str(&String::from_utf8_lossy(&bytes));
        return Ok(());
    }
    if table.codes.is_empty() || table.groups.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to count: the project has no {}.",
            if table.codes.is_empty() { "codes" } else { "excerpts" }
        );
        return Ok(());
    }
    // Codes down, groups across; each cell is "excerpts (codings)" when they differ.
    let code_width = table.codes.iter().map(|code| code.name.chars().count()).max().unwrap_or(4).max(4);
    let cell_text = |g: usize, c: usize| {
        let cell = table.cell(g, c);
        match cell {
            _ if cell.excerpts == 0 => "·".to_owned(),
            _ if cell.codings == cell.excerpts => cell.excerpts.to_string(),
            _ => format!("{} ({})", cell.excerpts, cell.codings),
        }
    };
    let widths: Vec<usize> = table
        .groups
        .iter()
        .enumerate()
        .map(|(g, (name, _))| {
            (0..table.codes.len())
                .map(|c| cell_text(g, c).chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let _ = write!(out, "{:<code_width$}", "Code");
    for ((name, _), width) in table.groups.iter().zip(&widths) {
        let _ = write!(out, "  {name:>width$}");
    }
    let _ = writeln!(out);
    for (c, code) in table.codes.iter().enumerate() {
        let _ = write!(out, "{:<code_width$}", code.name);
        for (g, width) in widths.iter().enumerate() {
            let _ = write!(out, "  {:>width$}", cell_text(g, c));
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "{:<code_width$}", "(excerpts)");
    for ((_, size), width) in table.groups.iter().zip(&widths) {
        let _ = write!(out, "  {size:>width$}");
    }
    let _ = writeln!(
        out,
        "\n\nCells count the {}'s excerpts carrying the code; codings in brackets where more.",
        grouping.as_str()
    );
    Ok(())
}

fn search(
    out: &mut String,
    store: &Store,
    query_text: &str,
    lang: Option<String>,
    as_json: bool,
    page: usize,
    per_page: usize,
) -> Result<(), CliError> {
    let per_page = per_page.max(1);
    let query = SearchQuery {
        text: query_text.to_owned(),
        lang,
        prefix_last_word: false,
        limit: per_page,
        offset: page.saturating_sub(1) * per_page,
    };
    let results = store.search(&query)?;
    let bracketed =
        |snippet: &Option<String>| snippet.as_ref().map(|text| text.replace(MATCH_START, "[").replace(MATCH_END, "]"));
    if as_json {
        let hits: Vec<_> = results
            .hits
            .iter()
            .map(|hit| {
                json!({
                    "excerpt_id": hit.excerpt_id,
                    "label": hit.label,
                    "case": hit.case_name,
                    "source": hit.source_name,
                    "speaker": hit.speaker,
                    "original": bracketed(&hit.original_snippet),
                    "translation": bracketed(&hit.translation_snippet),
                })
            })
            .collect();
        let value =
            json!({"query": query_text, "total": results.total, "page": page, "per_page": per_page, "hits": hits});
        let _ = writeln!(out, "{value}");
        return Ok(());
    }
    if results.total == 0 {
        let _ = writeln!(out, "No excerpt matches \"{query_text}\".");
        return Ok(());
    }
    let first = query.offset + 1;
    let last = query.offset + results.hits.len();
    let _ = writeln!(out, "{} excerpts match \"{query_text}\" (showing {first}–{last}):\n", results.total);
    for hit in &results.hits {
        let _ = writeln!(out, "#{}  {} / {} — {}", hit.excerpt_id, hit.case_name, hit.source_name, hit.speaker);
        if let Some(original) = bracketed(&hit.original_snippet) {
            let _ = writeln!(out, "    original:    {}", original.replace('\n', " "));
        }
        if let Some(translation) = bracketed(&hit.translation_snippet) {
            let _ = writeln!(out, "    translation: {}", translation.replace('\n', " "));
        }
    }
    Ok(())
}

fn export_quotes(
    out: &mut String,
    store: &Store,
    target: &Path,
    code_names: &[String],
    case_names: &[String],
    body_lang: &str,
    force: bool,
) -> Result<(), CliError> {
    let Some(format) = QuoteFormat::from_path(target) else {
        return Err(ExportError::Unsupported(format!(
            "{}: the output must end in .md (Markdown) or .csv",
            target.display()
        ))
        .into());
    };
    if target.exists() && !force {
        return Err(CliError::Message(format!(
            "{}: the file already exists; choose another name or add --force to replace it",
            target.display()
        )));
    }
    let mut options = ReportOptions { body_lang: body_lang.to_lowercase(), ..ReportOptions::default() };
    let mut described = Vec::new();
    for name in code_names {
        let Some(code) = store.code_by_name(name)? else {
            return Err(StoreError::NotFound { kind: "code", name: name.clone() }.into());
        };
        options.filter.codes.push(code.code_id);
        described.push(format!("code '{}'", code.name));
    }
    for name in case_names {
        let Some(case) = store.case_by_name(name)? else {
            return Err(StoreError::NotFound { kind: "case", name: name.clone() }.into());
        };
        options.filter.cases.push(case.case_id);
        described.push(format!("case '{}'", case.name));
    }
    options.filter_description =
        if described.is_empty() { "the whole project".to_owned() } else { described.join(" or ") };
    let (bytes, summary) = render_quotes(store, &options, format)?;
    crate::formats::write_atomically(target, &bytes)
        .map_err(|source| ExportError::Io { file: target.display().to_string(), source })?;
    let _ = writeln!(
        out,
        "Exported {} under {} to {}.",
        plural(summary.quotes, "quote"),
        plural(summary.codes, "code"),
        target.display()
    );
    Ok(())
}

/// "1 quote", "2 quotes".
fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}
