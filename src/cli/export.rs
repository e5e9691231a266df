//! Exporting from a project: coded quotes for reports, frequency tables and
//! charts. Files are written whole or not at all, and never over an existing file
//! unless asked.

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, ExportCommand, analysis, open_to_read, parse_statuses, plural};
use crate::analysis::frequencies;
use crate::formats::chart::ChartKind;
use crate::formats::pseudonyms::Names;
use crate::formats::report::{QuoteGrouping, ReportOptions};
use crate::formats::{ExportError, FrequencyFormat, QuoteFormat, render_frequencies, render_quotes, write_atomically};
use crate::store::StoreError;

pub(super) fn run(out: &mut String, command: ExportCommand) -> Result<(), CliError> {
    match command {
        ExportCommand::Quotes {
            project,
            out: target,
            codes,
            with_children,
            cases,
            speakers,
            coder,
            statuses,
            body,
            group_by,
            names,
            force,
        } => {
            let Some(format) = QuoteFormat::from_path(&target) else {
                return Err(ExportError::Unsupported(crate::bilingual!(
                    "{}: the output must end in .docx, .html, .md, .csv or .xlsx",
                    "{}: el archivo de salida debe terminar en .docx, .html, .md, .csv o .xlsx",
                    target.display()
                ))
                .into());
            };
            refuse_existing(&target, force)?;
            let store = open_to_read(&project)?;
            let mut options = ReportOptions {
                body_lang: body.to_lowercase(),
                grouping: match group_by.trim().to_lowercase().as_str() {
                    "code" | "codes" | "codigo" | "código" => QuoteGrouping::ByCode,
                    "case" | "cases" | "caso" => QuoteGrouping::ByCase,
                    other => return Err(CliError::Message(format!("--group-by '{other}': choose code or case"))),
                },
                names: parse_names(&names)?,
                ..ReportOptions::default()
            };
            options.filter.with_children = with_children;
            let mut described = Vec::new();
            for name in &codes {
                let Some(code) = store.code_by_name(name)? else {
                    return Err(StoreError::NotFound { kind: "code", name: name.clone() }.into());
                };
                options.filter.codes.push(code.code_id);
                described.push(format!("code '{}'", code.name));
            }
            for name in &cases {
                let Some(case) = store.case_by_name(name)? else {
                    return Err(StoreError::NotFound { kind: "case", name: name.clone() }.into());
                };
                options.filter.cases.push(case.case_id);
                described.push(format!("case '{}'", case.name));
            }
            let known_speakers = store.speakers()?;
            for name in &speakers {
                let Some(speaker) = known_speakers.iter().find(|s| s.eq_ignore_ascii_case(name.trim())) else {
                    return Err(StoreError::NotFound { kind: "speaker", name: name.clone() }.into());
                };
                options.filter.speakers.push(speaker.clone());
                described.push("the chosen speakers".to_owned());
            }
            options.filter.coder_id = super::coder_id(&store, coder.as_deref())?;
            if let Some(coder) = &coder {
                described.push(format!("coder '{coder}'"));
            }
            options.filter.statuses = parse_statuses(&statuses)?;
            if !statuses.is_empty() {
                described.push(format!("status {}", statuses.join("/")));
            }
            described.dedup();
            if !described.is_empty() {
                // The command line speaks English.
                let words = described.join(", ");
                options.filter_description = crate::language::Text::new(words.clone(), words);
            }
            let (bytes, summary) = render_quotes(&store, &options, format)?;
            write(&target, &bytes)?;
            let sections = if options.grouping == QuoteGrouping::ByCode { "code" } else { "case" };
            let _ = writeln!(
                out,
                "Exported {} under {} to {}{}.",
                plural(summary.quotes, "quote"),
                plural(summary.sections, sections),
                target.display(),
                match options.names {
                    Names::Pseudonyms => ", speakers pseudonymised",
                    Names::Roles => ", speakers shown by role and place",
                    Names::Real => ", with real names",
                }
            );
            if !summary.cut.is_empty() {
                let _ = writeln!(
                    out,
                    "{} longer than a spreadsheet cell holds (32,767 characters) and was cut, marked […] in the \
                     cell: {}. The whole text is in the Word, HTML, Markdown and CSV exports.",
                    if summary.cut.len() == 1 {
                        "1 excerpt is".to_owned()
                    } else {
                        format!("{} excerpts are", summary.cut.len())
                    },
                    summary.cut.join(", ")
                );
            }
        }
        ExportCommand::Refi { project, out: target, names, force } => {
            let names = parse_names(&names)?;
            let extension = target.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            if !matches!(extension.as_str(), "qdpx" | "qdc") {
                return Err(ExportError::Unsupported(crate::bilingual!(
                    "{}: the output must end in .qdpx (a project) or .qdc (the codebook)",
                    "{}: el archivo de salida debe terminar en .qdpx (un proyecto) o .qdc (el libro de códigos)",
                    target.display()
                ))
                .into());
            }
            refuse_existing(&target, force)?;
            let store = open_to_read(&project)?;
            if extension == "qdc" {
                write(&target, &crate::formats::refi::render_codebook(&store)?)?;
            } else {
                crate::formats::refi::export_project_to(&store, names, &target, &mut |_, _| true)?;
            }
            let what = if extension == "qdc" { "codebook" } else { "project" };
            let named = match names {
                Names::Real => "",
                Names::Pseudonyms => ", speakers pseudonymised",
                Names::Roles => ", speakers shown by role and place",
            };
            let _ = writeln!(out, "Exported the {what} as REFI-QDA to {}{named}.", target.display());
        }
        ExportCommand::Freq { project, out: target, by, filter, chart, names, force } => {
            let names = parse_names(&names)?;
            let Some(format) = FrequencyFormat::from_path(&target) else {
                return Err(ExportError::Unsupported(crate::bilingual!(
                    "{}: the output must end in .csv, .xlsx, .svg or .png",
                    "{}: el archivo de salida debe terminar en .csv, .xlsx, .svg o .png",
                    target.display()
                ))
                .into());
            };
            let chart = ChartKind::parse(&chart)
                .ok_or_else(|| CliError::Message(format!("--chart '{chart}': choose grouped, stacked or heatmap")))?;
            refuse_existing(&target, force)?;
            let store = open_to_read(&project)?;
            let grouping = analysis::grouping(&store, &by)?;
            let mut table = frequencies(&store, grouping, &filter.count_filter(&store)?)?;
            crate::formats::name_groups(&mut table, &store, names)?;
            let title = format!("Excerpts per code, by {}", table.grouping_label);
            let bytes = render_frequencies(&table, format, chart, &title)?;
            write(&target, &bytes)?;
            let _ = writeln!(
                out,
                "Exported the frequencies of {} in {} to {}.",
                plural(table.codes.len(), "code"),
                plural(table.groups.len(), "group"),
                target.display()
            );
        }
    }
    Ok(())
}

/// Reads `--names`.
fn parse_names(names: &str) -> Result<Names, CliError> {
    Names::parse(names).ok_or_else(|| CliError::Message(format!("--names '{names}': choose pseudonyms, roles or real")))
}

fn refuse_existing(target: &Path, force: bool) -> Result<(), CliError> {
    if target.exists() && !force {
        return Err(CliError::Message(format!(
            "{}: the file already exists; choose another name or add --force to replace it",
            target.display()
        )));
    }
    Ok(())
}

fn write(target: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_atomically(target, bytes).map_err(|source| ExportError::Io { file: target.display().to_string(), source })?;
    Ok(())
}
