//! Counting commands: frequencies, co-occurrence and search.

use std::fmt::Write as _;

use serde_json::json;

use super::{CliError, FilterArgs};
use crate::analysis::{self, FrequencyTable};
use crate::formats::csv_export::render_frequencies_csv;
use crate::formats::neutralize_formula;
use crate::model::AttributeScope;
use crate::store::{Grouping, MATCH_END, MATCH_START, SearchQuery, Store, StoreError};

/// The grouping `by` names: case, source, speaker, role, or an attribute.
pub(super) fn grouping(store: &Store, by: &str) -> Result<Grouping, CliError> {
    match by.trim().to_lowercase().as_str() {
        "case" | "caso" | "cases" => return Ok(Grouping::Case),
        "source" | "fuente" | "sources" => return Ok(Grouping::Source),
        "speaker" | "hablante" | "speakers" => return Ok(Grouping::Speaker),
        "role" | "rol" | "roles" => return Ok(Grouping::Role),
        _ => {}
    }
    if let Some(attribute) = store.attribute_by_name(AttributeScope::Case, by)? {
        return Ok(Grouping::CaseAttribute(attribute.attribute_id));
    }
    if let Some(attribute) = store.attribute_by_name(AttributeScope::Source, by)? {
        return Ok(Grouping::SourceAttribute(attribute.attribute_id));
    }
    let mut known: Vec<String> = ["case", "source", "speaker", "role"].map(str::to_owned).to_vec();
    for scope in [AttributeScope::Case, AttributeScope::Source] {
        known.extend(store.attributes(scope)?.into_iter().map(|attribute| attribute.name));
    }
    Err(CliError::Message(format!("cannot group by '{by}'; choose one of: {}", known.join(", "))))
}

pub(super) fn freq(
    out: &mut String,
    store: &Store,
    by: &str,
    filter: &FilterArgs,
    as_json: bool,
    as_csv: bool,
) -> Result<(), CliError> {
    let grouping = grouping(store, by)?;
    let table = analysis::frequencies(store, grouping, &filter.count_filter(store)?)?;
    if as_json {
        let _ = writeln!(out, "{}", table.to_json());
        return Ok(());
    }
    if as_csv {
        let bytes = render_frequencies_csv(&table).map_err(|error| CliError::Message(error.to_string()))?;
        out.push_str(&String::from_utf8_lossy(&bytes));
        return Ok(());
    }
    frequency_text(out, &table);
    Ok(())
}

/// The table for a terminal: codes down, groups across.
fn frequency_text(out: &mut String, table: &FrequencyTable) {
    if table.codes.is_empty() || table.groups.is_empty() {
        let _ = writeln!(
            out,
            "Nothing to count: the project has no {}.",
            if table.codes.is_empty() { "codes" } else { "excerpts" }
        );
        return;
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
    let _ = writeln!(out, "  {:>6}", "Total");
    for (c, code) in table.codes.iter().enumerate() {
        let _ = write!(out, "{:<code_width$}", code.name);
        for (g, width) in widths.iter().enumerate() {
            let _ = write!(out, "  {:>width$}", cell_text(g, c));
        }
        let _ = writeln!(out, "  {:>6}", table.totals[c].excerpts);
    }
    let _ = write!(out, "{:<code_width$}", "(excerpts)");
    for ((_, size), width) in table.groups.iter().zip(&widths) {
        let _ = write!(out, "  {size:>width$}");
    }
    let _ = writeln!(out, "  {:>6}", table.total_excerpts);
    let _ = writeln!(
        out,
        "\nCells count the {}'s excerpts carrying the code; codings in brackets where more.",
        table.grouping_label
    );
}

pub(super) fn cooccur(
    out: &mut String,
    store: &Store,
    filter: &FilterArgs,
    as_json: bool,
    as_csv: bool,
) -> Result<(), CliError> {
    let table = analysis::cooccurrence(store, &filter.count_filter(store)?)?;
    if as_json {
        table.write_json(out);
        out.push('\n');
        return Ok(());
    }
    let pairs: Vec<(usize, usize)> = table.pairs.keys().filter(|(a, b)| a < b).copied().collect();
    if as_csv {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut write = || -> Result<(), csv::Error> {
            writer.write_record(["code1", "code2", "n1", "n2", "excerpts", "overlapping", "c"])?;
            for (a, b) in &pairs {
                let pair = table.pair(*a, *b);
                writer.write_record([
                    neutralize_formula(&table.codes[*a].name).as_ref(),
                    neutralize_formula(&table.codes[*b].name).as_ref(),
                    &table.totals[*a].to_string(),
                    &table.totals[*b].to_string(),
                    &pair.excerpts.to_string(),
                    &pair.overlapping.to_string(),
                    &format!("{:.4}", pair.c_coefficient),
                ])?;
            }
            writer.flush()?;
            Ok(())
        };
        write().map_err(|error| CliError::Message(error.to_string()))?;
        let bytes = writer.into_inner().map_err(|error| CliError::Message(error.to_string()))?;
        out.push_str(&String::from_utf8_lossy(&bytes));
        return Ok(());
    }
    if pairs.is_empty() {
        let _ = writeln!(out, "No two codes share an excerpt.");
        return Ok(());
    }
    let mut sorted = pairs;
    sorted.sort_by(|x, y| table.pair(y.0, y.1).c_coefficient.total_cmp(&table.pair(x.0, x.1).c_coefficient));
    let width = table.codes.iter().map(|code| code.name.chars().count()).max().unwrap_or(4);
    let _ =
        writeln!(out, "{:<width$}  {:<width$}  {:>8}  {:>11}  {:>6}", "Code", "Code", "Excerpts", "Overlapping", "c");
    for (a, b) in sorted {
        let pair = table.pair(a, b);
        let _ = writeln!(
            out,
            "{:<width$}  {:<width$}  {:>8}  {:>11}  {:>6.3}",
            table.codes[a].name, table.codes[b].name, pair.excerpts, pair.overlapping, pair.c_coefficient
        );
    }
    let _ = writeln!(out, "\nc = n12 / (n1 + n2 - n12): 0 when two codes never meet, 1 when they always do.");
    Ok(())
}

pub(super) fn search(
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
        // A page past any count stays past the end rather than wrapping round.
        offset: page.saturating_sub(1).saturating_mul(per_page),
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
    if results.hits.is_empty() {
        let pages = results.total.div_ceil(per_page);
        let _ = writeln!(
            out,
            "{} excerpts match \"{query_text}\"; page {page} is past the last page, {pages} (at {per_page} per page).",
            results.total
        );
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

/// `quipu agreement`: the figures per code and overall, as a table or JSON.
pub(super) fn agreement(
    out: &mut String,
    store: &Store,
    coders: &[String],
    level: &str,
    codes: &[String],
    as_json: bool,
) -> Result<(), CliError> {
    let level = analysis::Level::parse(level)
        .ok_or_else(|| CliError::Message(format!("--level '{level}': choose excerpt or character")))?;
    let mut coder_ids = Vec::new();
    for name in coders.iter().map(|name| name.trim()).filter(|name| !name.is_empty()) {
        match super::coder_id(store, Some(name))? {
            Some(coder_id) if !coder_ids.contains(&coder_id) => coder_ids.push(coder_id),
            _ => {}
        }
    }
    if coder_ids.len() < 2 {
        return Err(CliError::Message(
            "--coders: name at least two different coders, e.g. --coders Ana,Luis".to_owned(),
        ));
    }
    let mut code_ids = Vec::new();
    for name in codes {
        let Some(code) = store.code_by_name(name)? else {
            return Err(StoreError::NotFound { kind: "code", name: name.clone() }.into());
        };
        code_ids.push(code.code_id);
    }
    let table = analysis::agreement(store, &coder_ids, level, &code_ids)?;
    let figures =
        |f: &analysis::Figures| json!({"n": f.n, "agreement": f.agreement, "kappa": f.kappa, "alpha": f.alpha});
    if as_json {
        let codes: serde_json::Map<String, serde_json::Value> =
            table.codes.iter().map(|(_, name, f)| (name.clone(), figures(f))).collect();
        let value = json!({
            "coders": table.coders,
            "level": table.level,
            "codes": codes,
            "overall": figures(&table.overall),
        });
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&value).unwrap_or_default());
        return Ok(());
    }
    let show = |value: Option<f64>| value.map_or_else(|| "—".to_owned(), |value| format!("{value:.3}"));
    let width = table.codes.iter().map(|(_, name, _)| name.chars().count()).max().unwrap_or(4).max(7);
    let _ = writeln!(out, "Agreement between {} ({} level)", table.coders.join(", "), level.name());
    let _ = writeln!(out, "{:<width$}  {:>9}  {:>9}  {:>7}  {:>7}", "Code", "Units", "Agreement", "Kappa", "Alpha");
    let rows = table.codes.iter().map(|(_, name, figures)| (name.as_str(), figures));
    for (name, f) in rows.chain(std::iter::once(("Overall", &table.overall))) {
        let _ = writeln!(
            out,
            "{name:<width$}  {:>9}  {:>9}  {:>7}  {:>7}",
            f.n,
            f.agreement.map_or_else(|| "—".to_owned(), |value| format!("{:.1}%", value * 100.0)),
            show(f.kappa),
            show(f.alpha)
        );
    }
    Ok(())
}
