//! Commands about the project as a whole: creating it, the demo, and listing its
//! codebook and attributes.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::CliError;
use crate::model::AttributeScope;
use crate::store::Store;

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
