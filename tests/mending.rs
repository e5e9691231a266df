//! Mending excerpts through the store: splitting at a cut with codings on both
//! sides of it (and across it), joining with the next, moving, deleting and
//! shifting a translation, each one undoable step.

mod util;

use quipu::model::{CodingAnchor, MemoTarget, Side, TranslationStatus};
use quipu::store::Store;
use quipu::text::{CharSpan, slice_chars};
use util::TestProject;

const ORIGINAL: &str = "Llegaron en 2018. La policía dormía en el campamento.";
const TRANSLATION: &str = "They came in 2018. The police slept at the camp.";

fn chars_before(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

fn span_of(text: &str, needle: &str) -> CharSpan {
    let start = chars_before(text, needle);
    CharSpan::new(start, start + needle.chars().count())
}

/// One excerpt with passages before, after and across the cut, a translation
/// passage, and a whole-excerpt coding.
fn project() -> TestProject {
    let mut project = TestProject::new().case("Cerro Alto").source("Entrevista 1").excerpt_es_en(ORIGINAL, TRANSLATION);
    let store = &mut project.store;
    store.add_default_codebook().unwrap();
    let excerpt = store.excerpt_ids().unwrap()[0];
    let coder = store.ensure_coder("Rosa").unwrap();
    let code = |store: &Store, name: &str| store.code_by_name(name).unwrap().unwrap().code_id;
    let passage = |side, needle: &str| CodingAnchor::Passage {
        side,
        span: span_of(if side == Side::Original { ORIGINAL } else { TRANSLATION }, needle),
    };
    let (trust, police, water) =
        (code(store, "Trust"), code(store, "Police use"), code(store, "Environment and water"));
    store.add_coding(excerpt, trust, coder, passage(Side::Original, "2018")).unwrap();
    store.add_coding(excerpt, police, coder, passage(Side::Original, "policía")).unwrap();
    store.add_coding(excerpt, water, coder, passage(Side::Original, "2018. La policía")).unwrap();
    store.add_coding(excerpt, police, coder, passage(Side::Translation, "police")).unwrap();
    store.add_coding(excerpt, trust, coder, CodingAnchor::Whole).unwrap();
    project
}

/// Each coding of an excerpt as (code name, side, the words its span covers in
/// the current text, its covered text).
fn codings(store: &Store, excerpt_id: quipu::model::ExcerptId) -> Vec<(String, Option<Side>, String, String)> {
    let excerpt = store.excerpt(excerpt_id).unwrap();
    let mut found: Vec<_> = store
        .codings_of_excerpt(excerpt_id)
        .unwrap()
        .into_iter()
        .map(|coding| {
            let name = store.code(coding.code_id).unwrap().name;
            match coding.anchor {
                CodingAnchor::Whole => (name, None, String::new(), coding.covered_text),
                CodingAnchor::Passage { side, span } => {
                    let words = slice_chars(excerpt.text(side).unwrap(), span).unwrap().to_owned();
                    (name, Some(side), words, coding.covered_text)
                }
            }
        })
        .collect();
    found.sort();
    found
}

fn row(name: &str, side: Option<Side>, words: &str) -> (String, Option<Side>, String, String) {
    let covered = if side.is_some() { words.to_owned() } else { String::new() };
    (name.to_owned(), side, words.to_owned(), covered)
}

#[test]
fn splitting_keeps_codings_on_their_words_and_cuts_one_across_the_cut_in_two() {
    let mut project = project();
    let store = &mut project.store;
    store.enable_undo().unwrap();
    let before = store.dump().unwrap();
    let first = store.excerpt_ids().unwrap()[0];
    let second = store
        .undoable("split", |store| store.split_excerpt(first, Side::Original, chars_before(ORIGINAL, "La policía")))
        .unwrap();

    let (a, b) = (store.excerpt(first).unwrap(), store.excerpt(second).unwrap());
    assert_eq!(a.original.as_deref(), Some("Llegaron en 2018."));
    assert_eq!(a.translation.as_deref(), Some("They came in 2018."));
    assert_eq!(b.original.as_deref(), Some("La policía dormía en el campamento."));
    assert_eq!(b.translation.as_deref(), Some("The police slept at the camp."));
    assert_eq!(b.position, a.position + 1, "the second part follows the first");
    assert_eq!(
        codings(store, first),
        vec![
            row("Environment and water", Some(Side::Original), "2018."),
            row("Trust", None, ""),
            row("Trust", Some(Side::Original), "2018"),
        ]
    );
    assert_eq!(
        codings(store, second),
        vec![
            row("Environment and water", Some(Side::Original), "La policía"),
            row("Police use", Some(Side::Original), "policía"),
            row("Police use", Some(Side::Translation), "police"),
            row("Trust", None, ""),
        ]
    );
    let after = store.dump().unwrap();
    store.undo().unwrap();
    assert_eq!(store.dump().unwrap(), before, "undo takes the split back");
    store.redo().unwrap();
    assert_eq!(store.dump().unwrap(), after, "redo splits again");
    assert_eq!(store.search_ids("campamento", None, false).unwrap(), vec![second], "the search index follows");
}

#[test]
fn joining_with_the_next_moves_its_codings_onto_the_joined_words() {
    let mut project = project();
    let store = &mut project.store;
    let first = store.excerpt_ids().unwrap()[0];
    let second = store.split_excerpt(first, Side::Original, chars_before(ORIGINAL, "La policía")).unwrap();
    store.set_memo(MemoTarget::Excerpt(second), "Ver E011.").unwrap();
    store.enable_undo().unwrap();
    let before = store.dump().unwrap();
    let removed = store.undoable("join", |store| store.join_with_next(first)).unwrap();
    assert_eq!(removed, second);
    assert!(store.excerpt(second).is_err(), "the next excerpt is gone");
    let joined = store.excerpt(first).unwrap();
    assert_eq!(joined.original.as_deref(), Some("Llegaron en 2018.\n\nLa policía dormía en el campamento."));
    assert_eq!(joined.translation.as_deref(), Some("They came in 2018.\n\nThe police slept at the camp."));
    let found = codings(store, first);
    // Every passage still covers the words it was made on, and Trust on the whole
    // excerpt is kept once.
    assert!(found.iter().all(|(_, _, words, covered)| words == covered), "{found:?}");
    assert_eq!(found.iter().filter(|(name, side, ..)| name == "Trust" && side.is_none()).count(), 1);
    assert!(found.contains(&row("Police use", Some(Side::Translation), "police")));
    assert_eq!(store.memo(MemoTarget::Excerpt(first)).unwrap(), "Ver E011.");
    store.undo().unwrap();
    assert_eq!(store.dump().unwrap(), before, "undo takes the join back");
    assert!(store.join_with_next(second).is_err(), "the last excerpt has nothing to join");
}

#[test]
fn moving_deleting_and_shifting_a_translation() {
    let mut project = TestProject::new()
        .case("Cerro Alto")
        .source("Entrevista 1")
        .excerpt_es_en("Uno.", "Two.")
        .excerpt_es_en("Dos.", "Three.")
        .excerpt(Some("Tres."), None)
        .source("Entrevista 2")
        .excerpt_es_en("Otra.", "Another.");
    let store = &mut project.store;
    let ids = store.excerpt_ids().unwrap();
    let (uno, dos, tres, otra) = (ids[0], ids[1], ids[2], ids[3]);
    let source_one = store.excerpt(uno).unwrap().source_id;
    let source_two = store.excerpt(otra).unwrap().source_id;
    // The translator's lines are one turn late: shift each to the next excerpt,
    // from the last, and give the first its own.
    store.shift_translation(dos, true).unwrap();
    store.shift_translation(uno, true).unwrap();
    let texts = |store: &Store| -> Vec<Option<String>> {
        store.excerpts_of_source(source_one).unwrap().into_iter().map(|e| e.translation).collect()
    };
    assert_eq!(texts(store), vec![None, Some("Two.".to_owned()), Some("Three.".to_owned())]);
    assert_eq!(store.excerpt(uno).unwrap().translation_status, TranslationStatus::Missing);
    assert!(store.shift_translation(uno, true).is_err(), "nothing left to shift");

    store.move_excerpt(tres, -1).unwrap();
    let order: Vec<_> = store.excerpts_of_source(source_one).unwrap().into_iter().map(|e| e.excerpt_id).collect();
    assert_eq!(order, vec![uno, tres, dos]);
    store.move_excerpt_to_source(tres, source_two).unwrap();
    assert_eq!(store.excerpt(tres).unwrap().source_id, source_two);
    store.add_default_codebook().unwrap();
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    let coder = store.ensure_coder("Rosa").unwrap();
    store.add_coding(dos, trust, coder, CodingAnchor::Whole).unwrap();
    store.delete_excerpt(dos).unwrap();
    assert!(store.excerpt(dos).is_err());
    assert!(store.codings_of_excerpt(dos).unwrap().is_empty(), "its codings went with it");
}
