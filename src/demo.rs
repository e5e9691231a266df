//! The bundled demo project: a fictional corpus of four mine sites, twelve
//! interviews and sixty bilingual excerpts (`assets/demo`), coded with the default
//! codebook. It is what a newcomer sees first.

use std::path::Path;

use crate::formats::ImportError;
use crate::formats::attributes_csv::{import_attributes, read_attributes_csv};
use crate::formats::csv_import::{CsvOptions, read_csv};
use crate::model::{CodingAnchor, MemoTarget, Side};
use crate::store::Store;
use crate::text::{self, CharSpan};

/// The demo excerpts, in the import format (`id,case,source,speaker,…,codes,memo`).
pub const DEMO_EXCERPTS_CSV: &str = include_str!("../assets/demo/excerpts.csv");
/// The demo cases' attributes (`case,company,region,stage,mineral,description`).
pub const DEMO_CASES_CSV: &str = include_str!("../assets/demo/cases.csv");
/// Coded passages (`excerpt,code,side,text`): a code applied to an exact phrase.
pub const DEMO_PASSAGES_CSV: &str = include_str!("../assets/demo/passages.csv");
/// The coder who coded the demo.
pub const DEMO_CODER: &str = "Lucía Ferrand Ojeda";

/// Creates the demo project at `path`, which must not exist.
pub fn write_demo(path: &Path) -> Result<Store, ImportError> {
    let mut store = Store::create(path)?;
    fill_demo(&mut store)?;
    Ok(store)
}

/// Fills an empty project with the demo corpus, in one transaction.
pub fn fill_demo(store: &mut Store) -> Result<(), ImportError> {
    let parsed = read_csv(DEMO_EXCERPTS_CSV.as_bytes(), "demo excerpts", &CsvOptions::default())?;
    store.atomically(|store| {
        store.set_setting("title", "Demo: dialogue and conflict at four fictional mine sites")?;
        store.set_memo(
            MemoTarget::Project,
            "A fictional corpus for trying Quipu: four invented mine sites, their companies and speakers. \
             No real people or companies.",
        )?;
        store.add_default_codebook()?;
        store.import_batch(&parsed.batch, DEMO_CODER, false)?;
        add_case_attributes(store)?;
        add_passages(store)
    })
}

fn csv_rows(data: &str, file: &str) -> Result<Vec<csv::StringRecord>, ImportError> {
    csv::Reader::from_reader(data.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .map_err(|error| ImportError::file(file, crate::bilingual!("{error}", "{error}")))
}

fn add_case_attributes(store: &mut Store) -> Result<(), ImportError> {
    let file = "demo cases";
    let table = read_attributes_csv(DEMO_CASES_CSV.as_bytes(), file)?;
    import_attributes(store, &table, file)?;
    Ok(())
}

fn add_passages(store: &mut Store) -> Result<(), ImportError> {
    let file = "demo passages";
    let coder_id = store.ensure_coder(DEMO_CODER)?;
    let labelled: Vec<_> =
        store.excerpt_ids()?.into_iter().map(|excerpt_id| store.excerpt(excerpt_id)).collect::<Result<_, _>>()?;
    for (index, record) in csv_rows(DEMO_PASSAGES_CSV, file)?.iter().enumerate() {
        let row = index + 2;
        let (label, code_name, side_name, passage) = (&record[0], &record[1], &record[2], &record[3]);
        let Some(excerpt) = labelled.iter().find(|excerpt| excerpt.label == label) else {
            return Err(ImportError::row(
                file,
                row,
                None,
                crate::bilingual!("no excerpt '{label}'", "no hay fragmento '{label}'"),
            ));
        };
        let Some(code) = store.code_by_name(code_name)? else {
            return Err(ImportError::row(
                file,
                row,
                None,
                crate::bilingual!("no code '{code_name}'", "no hay código '{code_name}'"),
            ));
        };
        let Some(side) = Side::parse(side_name) else {
            return Err(ImportError::row(
                file,
                row,
                None,
                crate::bilingual!("no side '{side_name}'", "no hay lado '{side_name}'"),
            ));
        };
        let full_text = excerpt.text(side).unwrap_or_default();
        let Some(byte_start) = full_text.find(passage) else {
            return Err(ImportError::row(
                file,
                row,
                None,
                crate::bilingual!(
                    "'{passage}' is not in excerpt {label}",
                    "'{passage}' no está en el fragmento {label}"
                ),
            ));
        };
        let start = text::char_len(&full_text[..byte_start]);
        let span = CharSpan::new(start, start + text::char_len(passage));
        store.add_coding(excerpt.excerpt_id, code.code_id, coder_id, CodingAnchor::Passage { side, span })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coding;

    #[test]
    fn the_demo_builds_with_cases_sources_excerpts_and_passages() {
        let mut store = Store::in_memory().unwrap();
        fill_demo(&mut store).unwrap();
        assert_eq!(store.cases().unwrap().len(), 4);
        assert_eq!(store.sources().unwrap().len(), 12);
        assert_eq!(store.excerpt_count().unwrap(), 60);
        let passages: Vec<Coding> = store
            .excerpt_ids()
            .unwrap()
            .into_iter()
            .flat_map(|id| store.codings_of_excerpt(id).unwrap())
            .filter(|coding| matches!(coding.anchor, CodingAnchor::Passage { .. }))
            .collect();
        assert_eq!(passages.len(), csv_rows(DEMO_PASSAGES_CSV, "p").unwrap().len());
        assert!(passages.iter().all(|coding| !coding.covered_text.is_empty()));
    }
}
