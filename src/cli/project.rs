//! Commands about the project as a whole: creating it, the demo, and listing its
//! codebook and attributes.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::{CliError, plural};
use crate::model::AttributeScope;
use crate::store::{Store, StoreError};

pub(super) fn new(out: &mut String, project: &Path, empty_codebook: bool) -> Result<(), CliError> {
    let mut store = Store::create(project)?;
    let added = if empty_codebook { 0 } else { store.add_default_codebook()? };
    let codebook =
        if empty_codebook { "an empty codebook".to_owned() } else { format!("the default codebook ({added} codes)") };
    let _ = writeln!(out, "Created {} with {codebook}.", project.display());
    Ok(())
}

pub(super) fn demo(out: &mut String, project: &Path) -> Result<(), CliError> {
    let store = crate::demo::write_demo(project)?;
    let _ = writeln!(
        out,
        "Wrote the demo project to {}: {} cases, {} excerpts, {} codings.",
        project.display(),
        store.cases()?.len(),
        store.excerpt_count()?,
        store.coding_count()?
    );
    Ok(())
}

pub(super) fn codes(out: &mut String, store: &Store, as_json: bool) -> Result<(), CliError> {
    let codes = store.codes()?;
    // Every lookup by ID, so listing the codebook takes time in proportion to it.
    let counts: std::collections::HashMap<_, _> =
        store.code_counts()?.into_iter().map(|count| (count.code_id, count)).collect();
    let count_of = |code_id| counts.get(&code_id).copied();
    let paths = crate::model::code_paths(&codes, "/");
    let by_id: std::collections::HashMap<_, _> = codes.iter().map(|code| (code.code_id, code)).collect();
    // Codes come parents first, so a parent's depth is known before its children's.
    let mut depths: std::collections::HashMap<crate::model::CodeId, usize> = std::collections::HashMap::new();
    for code in &codes {
        let depth = code.parent_id.and_then(|parent| depths.get(&parent)).map_or(0, |depth| depth + 1);
        depths.insert(code.code_id, depth);
    }
    let depth = |code: &crate::model::Code| depths.get(&code.code_id).copied().unwrap_or(0);
    if as_json {
        let rows: Vec<_> = codes
            .iter()
            .map(|code| {
                let count = count_of(code.code_id);
                let parent =
                    code.parent_id.and_then(|parent_id| by_id.get(&parent_id)).map(|parent| parent.name.clone());
                json!({
                    "name": code.name,
                    "path": paths[&code.code_id],
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

pub(super) fn attributes(out: &mut String, store: &Store, as_json: bool) -> Result<(), CliError> {
    let cases = store.cases()?;
    let sources = store.sources()?;
    let mut listing = Vec::new();
    for scope in [AttributeScope::Case, AttributeScope::Source] {
        for attribute in store.attributes(scope)? {
            let mut values = Vec::new();
            match scope {
                AttributeScope::Case => {
                    for case in &cases {
                        if let Some(value) = store
                            .case_attributes(case.case_id)?
                            .into_iter()
                            .find(|v| v.attribute_id == attribute.attribute_id)
                        {
                            values.push((case.name.clone(), value.value));
                        }
                    }
                }
                AttributeScope::Source => {
                    for source in &sources {
                        if let Some(value) = store
                            .source_attributes(source.source_id)?
                            .into_iter()
                            .find(|v| v.attribute_id == attribute.attribute_id)
                        {
                            values.push((source.name.clone(), value.value));
                        }
                    }
                }
            }
            listing.push((attribute, values));
        }
    }
    if as_json {
        let rows: Vec<_> = listing
            .iter()
            .map(|(attribute, values)| {
                let values: serde_json::Map<String, serde_json::Value> =
                    values.iter().map(|(owner, value)| (owner.clone(), json!(value))).collect();
                json!({
                    "name": attribute.name,
                    "scope": attribute.scope,
                    "type": attribute.value_type,
                    "values": values,
                })
            })
            .collect();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    if listing.is_empty() {
        let _ = writeln!(out, "No attributes yet; see `quipu import attributes`.");
    }
    for (attribute, values) in listing {
        let _ = writeln!(
            out,
            "{} ({} attribute, {})",
            attribute.name,
            attribute.scope.as_str(),
            attribute.value_type.as_str()
        );
        for (owner, value) in values {
            let _ = writeln!(out, "  {owner}: {value}");
        }
    }
    Ok(())
}

/// Every excerpt in reading order (or those of one case or source), with who
/// speaks, when, and both texts.
pub(super) fn excerpts(
    out: &mut String,
    store: &Store,
    case: Option<&str>,
    source: Option<&str>,
    as_json: bool,
) -> Result<(), CliError> {
    let mut filter = crate::store::Filter::default();
    if let Some(name) = case {
        let Some(found) = store.case_by_name(name)? else {
            return Err(StoreError::NotFound { kind: "case", name: name.to_owned() }.into());
        };
        filter.cases.push(found.case_id);
    }
    let all_sources = store.sources()?;
    if let Some(name) = source {
        let matching: Vec<_> = all_sources
            .iter()
            .filter(|s| {
                s.name.eq_ignore_ascii_case(name.trim())
                    && (filter.cases.is_empty() || filter.cases.contains(&s.case_id))
            })
            .map(|s| s.source_id)
            .collect();
        if matching.is_empty() {
            return Err(StoreError::NotFound { kind: "source", name: name.to_owned() }.into());
        }
        filter.sources = matching;
    }
    let sources: std::collections::HashMap<_, _> =
        all_sources.into_iter().map(|source| (source.source_id, source)).collect();
    let cases: std::collections::HashMap<_, _> =
        store.cases()?.into_iter().map(|case| (case.case_id, case.name)).collect();
    let mut rows = Vec::new();
    for excerpt in store.filtered_excerpts(&filter)? {
        let Some(source) = sources.get(&excerpt.source_id) else {
            continue;
        };
        let speaker = if excerpt.speaker.is_empty() { source.speaker.clone() } else { excerpt.speaker.clone() };
        let role = if excerpt.interviewer { "interviewer".to_owned() } else { source.role.clone() };
        rows.push(json!({
            "label": excerpt.label,
            "case": cases.get(&source.case_id).cloned().unwrap_or_default(),
            "source": source.name,
            "speaker": speaker,
            "role": role,
            "interviewer": excerpt.interviewer,
            "time": excerpt.time,
            "position": excerpt.position,
            "original": excerpt.original,
            "translation": excerpt.translation,
            "translation_status": excerpt.translation_status.as_str(),
        }));
    }
    if as_json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    for row in &rows {
        let field = |key: &str| row[key].as_str().unwrap_or_default().to_owned();
        let who = [field("speaker"), field("time")].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>();
        let _ = writeln!(
            out,
            "{} / {} #{}{}{}",
            field("case"),
            field("source"),
            row["position"],
            if field("label").is_empty() { String::new() } else { format!(" {}", field("label")) },
            if who.is_empty() { String::new() } else { format!(" ({})", who.join(", ")) }
        );
        for (key, lang) in [("original", "original"), ("translation", "translation")] {
            if let Some(text) = row[key].as_str() {
                let _ = writeln!(out, "  {lang}: {}", text.replace('\n', " "));
            }
        }
    }
    if rows.is_empty() {
        let _ = writeln!(out, "No excerpts.");
    }
    Ok(())
}

/// `quipu copy`: a copy of the project, leaving out what `options` says.
pub(super) fn copy(
    out: &mut String,
    store: &Store,
    project: &std::path::Path,
    target: &std::path::Path,
    options: crate::store::CopyOptions,
) -> Result<(), CliError> {
    store.save_copy_with(target, options)?;
    let left_out = match (options.without_codings, options.without_memos) {
        (true, true) => " without codings or memos",
        (true, false) => " without codings",
        (false, true) => " without memos",
        (false, false) => "",
    };
    let _ = writeln!(out, "Copied {} to {}{left_out}.", project.display(), target.display());
    Ok(())
}

/// `quipu merge`: brings a coder's copy in, in one transaction (or tries it
/// out with `--dry-run`), and says what came in and what differs.
pub(super) fn merge(
    out: &mut String,
    store: &mut Store,
    other: &std::path::Path,
    dry_run: bool,
    json: bool,
) -> Result<(), CliError> {
    let summary = store.with_copy_attached(other, |store| {
        if dry_run { store.try_out(Store::merge_attached) } else { store.atomically(Store::merge_attached) }
    })?;
    if json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
        return Ok(());
    }
    let verb = if dry_run { "Would merge" } else { "Merged" };
    let _ = writeln!(
        out,
        "{verb} {}: {} codings, {} new codes, {} memos, {} translation reviews, {} definitions; {} new coders{}.",
        other.display(),
        summary.codings,
        summary.new_codes.len(),
        summary.memos,
        summary.reviews,
        summary.definitions,
        summary.new_coders.len(),
        if summary.new_coders.is_empty() { String::new() } else { format!(" ({})", summary.new_coders.join(", ")) },
    );
    if summary.is_empty() {
        let _ = writeln!(out, "Nothing new: this copy's work is already here.");
    }
    if summary.unmatched_excerpts > 0 || summary.codings_left_out > 0 {
        let _ = writeln!(
            out,
            "{} of the copy's excerpts are not in this project; {} codings were left out (on those excerpts, or on a \
             text that differs here).",
            summary.unmatched_excerpts, summary.codings_left_out
        );
    }
    if !summary.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "{} differences were left as they are here (settle them in the window, File > Merge a coder's copy):",
            summary.conflicts.len()
        );
        for conflict in &summary.conflicts {
            let _ =
                writeln!(out, "  {}\n    here: {}\n    copy: {}", conflict.what, conflict.ours, conflict.theirs_text);
        }
    }
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was changed.");
    }
    Ok(())
}

/// What `quipu delete` was asked to remove, found in the project.
enum Target {
    Speaker(String),
    Excerpt(crate::model::ExcerptId, String),
    Source(crate::model::SourceId, String),
    Case(crate::model::CaseId, String),
}

/// Finds what `quipu delete WHAT NAME` names.
fn delete_target(store: &Store, what: &str, name: &str) -> Result<Target, CliError> {
    let not_found = |kind: &'static str| CliError::Store(StoreError::NotFound { kind, name: name.to_owned() });
    Ok(match what {
        "speaker" => Target::Speaker(name.trim().to_owned()),
        "excerpt" => match store.excerpts_named(name)?.as_slice() {
            [excerpt_id] => Target::Excerpt(*excerpt_id, name.trim().to_owned()),
            [] => return Err(not_found("excerpt")),
            several => {
                return Err(CliError::Message(format!(
                    "{} excerpts are labelled '{name}'; name one by its UUID (quipu excerpts --json)",
                    several.len()
                )));
            }
        },
        "source" => {
            let cases = store.cases()?;
            let case_name = |case_id| {
                cases.iter().find(|case| case.case_id == case_id).map(|case| case.name.clone()).unwrap_or_default()
            };
            let (case_part, source_part) = match name.split_once('/') {
                Some((case, source)) => (Some(case.trim()), source.trim()),
                None => (None, name.trim()),
            };
            let matching: Vec<_> = store
                .sources()?
                .into_iter()
                .filter(|source| source.name.eq_ignore_ascii_case(source_part))
                .filter(|source| case_part.is_none_or(|case| case_name(source.case_id).eq_ignore_ascii_case(case)))
                .collect();
            match matching.as_slice() {
                [source] => Target::Source(source.source_id, format!("{}/{}", case_name(source.case_id), source.name)),
                [] => return Err(not_found("source")),
                several => {
                    let listed: Vec<String> =
                        several.iter().map(|source| format!("{}/{}", case_name(source.case_id), source.name)).collect();
                    return Err(CliError::Message(format!(
                        "several sources are named '{name}' ({}); write CASE/SOURCE",
                        listed.join(", ")
                    )));
                }
            }
        }
        _ => match store.case_by_name(name)? {
            Some(case) => Target::Case(case.case_id, case.name),
            None => return Err(not_found("case")),
        },
    })
}

/// `quipu delete`: says what would go, asks (or takes `--yes`), removes it in
/// one transaction.
pub(super) fn delete(out: &mut String, store: &mut Store, what: &str, name: &str, yes: bool) -> Result<(), CliError> {
    let target = delete_target(store, what, name)?;
    let (removal, described) = match &target {
        Target::Speaker(speaker) => (store.speaker_removal(speaker)?, format!("the testimony of {speaker}")),
        Target::Excerpt(excerpt_id, label) => (store.excerpt_removal(*excerpt_id)?, format!("excerpt {label}")),
        Target::Source(source_id, source) => (store.source_removal(*source_id)?, format!("source {source}")),
        Target::Case(case_id, case) => (store.case_removal(*case_id)?, format!("case {case}")),
    };
    if removal.is_empty() && matches!(target, Target::Speaker(_)) {
        return Err(CliError::Store(StoreError::NotFound { kind: "speaker", name: name.to_owned() }));
    }
    let counts = format!(
        "{}, {}, {} and {}",
        plural(removal.sources, "source"),
        plural(removal.excerpts, "excerpt"),
        plural(removal.codings, "coding"),
        plural(removal.memos, "memo")
    );
    if !yes {
        use std::io::{BufRead as _, IsTerminal as _, Write as _};
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Message(format!(
                "removing {described} takes {counts} away for good; nothing was removed. Run it on a terminal to \
                 be asked, or add --yes"
            )));
        }
        eprint!("Remove {described}: {counts}? Nothing of it can be recovered afterwards. [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "s" | "si" | "sí") {
            let _ = writeln!(out, "Nothing was removed.");
            return Ok(());
        }
    }
    match target {
        Target::Speaker(speaker) => {
            store.remove_speaker(&speaker)?;
        }
        Target::Excerpt(excerpt_id, _) => store.delete_excerpt(excerpt_id)?,
        Target::Source(source_id, _) => store.delete_source(source_id)?,
        Target::Case(case_id, _) => store.delete_case(case_id)?,
    }
    let _ = writeln!(out, "Removed {described}: {counts}. Nothing of it can be read from the file any more.");
    Ok(())
}
