//! Importing into a project: spreadsheets of excerpts and of attributes,
//! REFI-QDA projects, and interview transcripts.

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, open, plural};
use crate::formats::ImportError;
use crate::formats::attributes_csv::{import_attributes as apply_attributes, read_attributes_csv};
use crate::formats::csv_import::{CsvOptions, CsvRows, LARGE_CSV_BYTES};
use crate::formats::transcript::{TranscriptOptions, plan_transcript, read_transcript_file};
use crate::store::ImportOptions;

pub(super) fn import_csv(
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
    // Rows go into the project as they are read, so a large file's rows are
    // never all held at once; a bad row stops the import and changes nothing.
    let mut rows = CsvRows::open(&bytes, &file_name, &CsvOptions { map, codes_separator })?;
    let options = ImportOptions { coder, dry_run, code_choices: &[], large: bytes.len() > LARGE_CSV_BYTES };
    let summary = store.import_stream(rows.by_ref(), options, &mut |_| true)?;
    let parsed = rows.finish();
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
    if !summary.matched_codes.is_empty() {
        let matched: Vec<String> =
            summary.matched_codes.iter().map(|(written, code)| format!("'{written}' → '{code}'")).collect();
        let _ = writeln!(out, "  Codes read as existing codes: {}.", matched.join(", "));
    }
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
    if let Some(first) = parsed.short_rows.first() {
        let _ = writeln!(
            out,
            "  {} fewer cells than the header (first: row {first}); the missing last cells were read as empty.",
            match parsed.short_rows.len() {
                1 => "1 row had".to_owned(),
                n => format!("{n} rows had"),
            }
        );
    }
    if parsed.skipped_empty_rows > 0 {
        let _ = writeln!(out, "  Skipped {} empty rows.", parsed.skipped_empty_rows);
    }
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was written.");
    }
    Ok(())
}

pub(super) fn import_attributes(out: &mut String, project: &Path, file: &Path) -> Result<(), CliError> {
    let file_name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io { file: file_name.clone(), source })?;
    let table = read_attributes_csv(&bytes, &file_name)?;
    let mut store = open(project)?;
    let summary = apply_attributes(&mut store, &table, &file_name)?;
    let scope = table.scope.as_str();
    let _ = writeln!(
        out,
        "Imported {} for {} from {}.",
        plural(summary.values, "attribute value"),
        plural(summary.rows, scope),
        file.display()
    );
    for (name, value_type) in summary.new_attributes {
        let _ = writeln!(out, "  New {scope} attribute '{name}' ({value_type}).");
    }
    Ok(())
}

pub(super) fn import_codings(
    out: &mut String,
    project: &Path,
    file: &Path,
    coder: &str,
    dry_run: bool,
) -> Result<(), CliError> {
    let file_name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io { file: file_name.clone(), source })?;
    let rows = crate::formats::codings_csv::read_codings_csv(&bytes, &file_name)?;
    let mut store = open(project)?;
    let summary = crate::formats::codings_csv::import_codings(&mut store, &rows, &file_name, coder, dry_run)?;
    let verb = if dry_run { "Would import" } else { "Imported" };
    let _ = writeln!(out, "{verb} {} from {}.", plural(summary.added, "coding"), file.display());
    if summary.already_there > 0 {
        let _ = writeln!(out, "  {} already there.", plural(summary.already_there, "coding"));
    }
    Ok(())
}

pub(super) fn import_refi(out: &mut String, project: &Path, file: &Path, coder: &str) -> Result<(), CliError> {
    let file_name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io { file: file_name.clone(), source })?;
    let mut store = open(project)?;
    let summary = crate::formats::refi::import_refi(&mut store, &bytes, &file_name, coder)?;
    let _ = writeln!(
        out,
        "Imported the REFI-QDA {} {}: {}, {}, {}, {}.",
        summary.kind,
        file.display(),
        plural(summary.new_codes, "new code"),
        plural(summary.sources, "source"),
        plural(summary.excerpts, "excerpt"),
        plural(summary.codings, "coding")
    );
    if summary.skipped_sources > 0 {
        let _ = writeln!(
            out,
            "Left out {} that {} not text (PDF, picture, audio or video).",
            plural(summary.skipped_sources, "source"),
            if summary.skipped_sources == 1 { "is" } else { "are" }
        );
    }
    if !summary.missing_texts.is_empty() {
        let _ = writeln!(
            out,
            "Left out {} whose text is not in the file: {}.",
            plural(summary.missing_texts.len(), "text source"),
            summary.missing_texts.join(", ")
        );
    }
    if !summary.unknown_users.is_empty() {
        let _ = writeln!(
            out,
            "{} not declared in the file's <Users> ({}); their codings were attributed to {coder}.",
            if summary.unknown_users.len() == 1 {
                "1 user is".to_owned()
            } else {
                format!("{} users are", summary.unknown_users.len())
            },
            summary.unknown_users.join(", ")
        );
    }
    Ok(())
}

pub(super) fn import_transcript(
    out: &mut String,
    project: &Path,
    file: &Path,
    translation: Option<&Path>,
    options: &TranscriptOptions,
    dry_run: bool,
    json: bool,
) -> Result<(), CliError> {
    let original = read_transcript_file(file)?;
    let translated = translation.map(read_transcript_file).transpose()?;
    let plan = plan_transcript(&original, translated.as_ref(), options)?;
    let mut store = open(project)?;
    let summary = crate::formats::transcript::import_transcript(&mut store, &plan, "imported", dry_run)?;
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&plan.excerpts).unwrap_or_default());
        return Ok(());
    }
    let verb = if dry_run { "Would import" } else { "Imported" };
    let _ = writeln!(
        out,
        "{verb} {} as source '{}' of case '{}' ({} the interviewer's).",
        plural(summary.excerpts, "turn"),
        summary.source,
        summary.case,
        summary.interviewer_turns
    );
    if translation.is_some() {
        let _ = writeln!(
            out,
            "  Paired with the translation: {} without translation, {} doubtful (left as drafts with a note).",
            plural(summary.untranslated, "turn"),
            summary.uncertain
        );
    }
    for note in &plan.notes {
        let _ = writeln!(out, "  {note}.");
    }
    if !plan.source.description.is_empty() {
        let _ = writeln!(out, "  Description: {}", plan.source.description.replace('\n', " / "));
    }
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was written.");
    }
    Ok(())
}
