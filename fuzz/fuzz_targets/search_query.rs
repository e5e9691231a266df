//! Any text typed into the search: it becomes a full-text expression SQLite
//! accepts (never a syntax error), and the words it finds are marked within
//! the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::model::{ExcerptDraft, SourceDraft};
use quipu::store::{SearchQuery, Store, StoreError};

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let text = "La policía llegó de madrugada; «nadie» nos avisó (ni el alcalde) - 40 % AND NOT \"agua\"*";
    for span in quipu::text::search_matches(text, &query, true) {
        assert!(span.end.0 <= text.chars().count(), "a mark past the text's end");
    }
    let mut store = Store::in_memory().expect("an in-memory project");
    let case = store.add_case("Caso", "").expect("a case");
    let source = store.add_source(case, &SourceDraft { name: "Fuente".into(), ..SourceDraft::default() }).expect("a source");
    store
        .add_excerpt(source, &ExcerptDraft { original: Some(text.into()), ..ExcerptDraft::default() })
        .expect("an excerpt");
    match store.search(&SearchQuery::new(&query)) {
        Ok(_) | Err(StoreError::Invalid(_)) => {}
        Err(error) => panic!("the search {query:?} failed: {error}"),
    }
});
