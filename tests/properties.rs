//! Properties checked on generated inputs: coded passages survive any edit of
//! the text around them, and the CSV reader reads back whatever a reference
//! CSV writer wrote.

mod util;

use proptest::prelude::*;
use quipu::formats::csv_import::{CsvOptions, read_csv};
use quipu::model::{CodingAnchor, Side};
use quipu::text::{CharSpan, char_len, slice_chars};
use util::TestProject;

/// Words of Spanish testimony, accents and ñ included.
fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-zñáéíóú]{1,7}", range)
}

/// A project with one excerpt of `text` and one passage coded on `span`.
fn coded(text: &str, span: CharSpan) -> TestProject {
    TestProject::new().case("Cerro Alto").source("Entrevista").excerpt(Some(text), None).code_passage(
        "Trust",
        span.start.0,
        span.end.0,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Words added or removed anywhere outside a coded passage leave the
    /// passage on the same words, not flagged for review.
    #[test]
    fn a_passage_keeps_its_words_through_edits_around_it(
        before in words(0..12),
        passage in words(1..6),
        after in words(0..12),
        inserted in words(1..5),
        at_start in any::<bool>(),
        delete_one in any::<bool>(),
    ) {
        let join = |parts: &[String]| parts.join(" ");
        let (before_text, passage_text, after_text) = (join(&before), join(&passage), join(&after));
        let text = [before_text.as_str(), passage_text.as_str(), after_text.as_str()]
            .iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join(" ");
        let start = if before.is_empty() { 0 } else { char_len(&before_text) + 1 };
        let span = CharSpan::new(start, start + char_len(&passage_text));
        let mut project = coded(&text, span);
        // The edit: words inserted at one end, or one word of the other side taken away.
        let (mut new_before, mut new_after) = (before.clone(), after.clone());
        match (delete_one, at_start) {
            (true, true) if !new_before.is_empty() => { new_before.remove(0); }
            (true, false) if !new_after.is_empty() => { new_after.pop(); }
            (_, true) => new_before.splice(0..0, inserted.clone()).for_each(drop),
            (_, false) => new_after.extend(inserted.clone()),
        }
        let edited = [join(&new_before), passage_text.clone(), join(&new_after)]
            .into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ");
        let excerpt = project.last_excerpt.unwrap();
        project.store.set_excerpt_text(excerpt, Side::Original, &edited).unwrap();
        let coding = &project.store.codings_of_excerpt(excerpt).unwrap()[0];
        prop_assert!(!coding.needs_review, "{text:?} -> {edited:?}");
        let CodingAnchor::Passage { span, .. } = coding.anchor else { panic!("not a passage") };
        prop_assert_eq!(slice_chars(&edited, span), Some(passage_text.as_str()));
    }

    /// Whatever the new text, every coded passage lies inside it, and one not
    /// flagged for review covers exactly the words it says it covers.
    #[test]
    fn after_any_edit_a_passage_lies_inside_the_text(
        text in "[a-zá ,.]{1,60}",
        edited in "[a-zá ,.;]{1,60}",
        start in 0usize..60,
        length in 1usize..20,
    ) {
        let text_length = char_len(&text);
        prop_assume!(text.trim() == text && start + length <= text_length);
        prop_assume!(!edited.trim().is_empty());
        let span = CharSpan::new(start, start + length);
        prop_assume!(slice_chars(&text, span).is_some_and(|covered| !covered.trim().is_empty()));
        let mut project = coded(&text, span);
        let excerpt = project.last_excerpt.unwrap();
        project.store.set_excerpt_text(excerpt, Side::Original, &edited).unwrap();
        let stored = project.store.excerpt(excerpt).unwrap().original.unwrap();
        for coding in project.store.codings_of_excerpt(excerpt).unwrap() {
            let CodingAnchor::Passage { span, .. } = coding.anchor else { continue };
            prop_assert!(span.end.0 <= char_len(&stored), "{span:?} past the end of {stored:?}");
            if !coding.needs_review {
                prop_assert_eq!(slice_chars(&stored, span), Some(coding.covered_text.as_str()));
            }
        }
    }

    /// The CSV reader reads back every cell a standard CSV writer wrote:
    /// commas, quotes, semicolons and line breaks inside cells included.
    #[test]
    fn the_csv_reader_reads_what_a_reference_writer_wrote(
        rows in prop::collection::vec(
            ("[A-Za-zñ]{1,10}", "[A-Za-z0-9]{1,10}", "[a-zá]{1,6}([ ,;\"\n]{1,2}[a-zá]{1,6}){0,6}"),
            1..20,
        ),
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["case", "source", "original"]).unwrap();
        for (case, source, original) in &rows {
            writer.write_record([case, source, original]).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let parsed = read_csv(&bytes, "generado.csv", &CsvOptions::default()).unwrap();
        prop_assert_eq!(parsed.batch.rows.len(), rows.len());
        for (row, (case, source, original)) in parsed.batch.rows.iter().zip(&rows) {
            prop_assert_eq!(&row.case_name, case);
            prop_assert_eq!(&row.source.name, source);
            let expected = quipu::text::normalized(original);
            prop_assert_eq!(row.excerpt.original.as_deref(), Some(expected.as_str()));
        }
    }
}
