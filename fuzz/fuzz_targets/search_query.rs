//! Any text typed into the search: it becomes a full-text expression SQLite
//! accepts (never a syntax error), and the words it finds are marked within
//! the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::model::{ExcerptDraft, SourceDraft};
use quipu::store::{SearchQuery, Store, StoreError};

const TEXT: &str = "La policía llegó de madrugada; «nadie» nos avisó (ni el alcalde) - 40 % AND NOT \"agua\"*";

thread_local! {
    /// One project holding one excerpt, searched by every input.
    static PROJECT: Store = {
        let mut store = Store::in_memory().expect("an in-memory project");
        let case = store.add_case("Caso", "").expect("a case");
        let draft = SourceDraft { name: "Fuente".into(), ..SourceDraft::default() };
        let source = store.add_source(case, &draft).expect("a source");
        store
            .add_excerpt(source, &ExcerptDraft { original: Some(TEXT.into()), ..ExcerptDraft::default() })
            .expect("an excerpt");
        store
    };
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    for span in quipu::text::search_matches(TEXT, &query, true) {
        assert!(span.end.0 <= TEXT.chars().count(), "a mark past the text's end");
    }
    PROJECT.with(|store| match store.search(&SearchQuery::new(&query)) {
        Ok(_) | Err(StoreError::Invalid(_)) => {}
        Err(error) => panic!("the search {query:?} failed: {error}"),
    });
});
