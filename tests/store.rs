//! The project file through the store's API: cascades, codebook changes, text
//! edits that re-anchor codings, memos, and undo/redo of every kind of change.

mod util;

use quipu::model::{CodeDraft, CodingAnchor, MemoTarget, Side, TranslationStatus};
use quipu::store::{Filter, Store};
use quipu::text::CharSpan;
use util::TestProject;

fn code_id(store: &Store, name: &str) -> quipu::model::CodeId {
    store.code_by_name(name).unwrap().unwrap().code_id
}

fn fixture() -> TestProject {
    TestProject::new()
        .case("Cerro Alto")
        .source_with("Entrevista 1", "Rosa Ñahui", "presidenta")
        .excerpt_es_en(
            "La policía llegó de madrugada. Nadie nos avisó.",
            "The police arrived at dawn. Nobody warned us.",
        )
        .code("Police use")
        .code_passage("Trust", 31, 47)
        .excerpt_es_en("El agua ya no sirve.", "The water is no good any more.")
        .code("Environment and water")
        .code("Trust")
        .case("Qori Wayra")
        .source("Taller")
        .excerpt(Some("El alcalde no vino."), None)
        .code("Local government")
}

#[test]
fn deleting_a_code_deletes_its_codings_and_moves_its_children_up() {
    let mut project = fixture();
    let store = &mut project.store;
    let trust = code_id(store, "Trust");
    let child = store
        .add_code(&CodeDraft {
            name: "Trust in the state".into(),
            description: String::new(),
            color: None,
            parent_id: Some(trust),
        })
        .unwrap();
    let before = store.coding_count().unwrap();
    store.delete_code(trust).unwrap();
    assert_eq!(store.coding_count().unwrap(), before - 2);
    assert_eq!(store.code(child).unwrap().parent_id, None);
}

#[test]
fn merging_codes_moves_codings_without_duplicates() {
    let mut project = fixture();
    let store = &mut project.store;
    let (trust, water) = (code_id(store, "Trust"), code_id(store, "Environment and water"));
    let before = store.coding_count().unwrap();
    store.merge_codes(trust, water).unwrap();
    // Excerpt 2 carried both codes whole: one coding disappears as a duplicate.
    assert_eq!(store.coding_count().unwrap(), before - 1);
    assert!(store.code_by_name("Trust").unwrap().is_none());
    let counts = store.code_counts().unwrap();
    let water_count = counts.iter().find(|c| c.code_id == water).unwrap();
    assert_eq!((water_count.excerpts, water_count.codings), (2, 2));
    assert!(store.merge_codes(water, water).is_err());
}

#[test]
fn moving_a_code_under_its_own_child_is_refused() {
    let mut project = fixture();
    let store = &mut project.store;
    let trust = code_id(store, "Trust");
    let child = store
        .add_code(&CodeDraft {
            name: "Trust in NGOs".into(),
            description: String::new(),
            color: None,
            parent_id: Some(trust),
        })
        .unwrap();
    assert!(store.move_code(trust, Some(child)).is_err());
    store.move_code(child, None).unwrap();
    assert_eq!(store.code(child).unwrap().parent_id, None);
}

#[test]
fn code_names_are_unique_ignoring_case() {
    let mut project = fixture();
    let error = project
        .store
        .add_code(&CodeDraft { name: "police USE".into(), description: String::new(), color: None, parent_id: None })
        .unwrap_err();
    assert_eq!(error.to_string(), "a code named 'police USE' already exists");
}

#[test]
fn deleting_a_case_cascades_to_its_sources_excerpts_codings_and_memos() {
    let mut project = fixture();
    let excerpt = project.last_excerpt.unwrap();
    let store = &mut project.store;
    store.set_memo(MemoTarget::Excerpt(excerpt), "un memo").unwrap();
    let case = store.case_by_name("Qori Wayra").unwrap().unwrap();
    store.delete_case(case.case_id).unwrap();
    assert_eq!(store.excerpt_count().unwrap(), 2);
    assert_eq!(store.coding_count().unwrap(), 4);
    assert!(store.excerpt(excerpt).is_err());
    assert_eq!(store.memo(MemoTarget::Excerpt(excerpt)).unwrap(), "");
}

#[test]
fn passages_snap_to_graphemes_and_keep_their_text() {
    let mut project = TestProject::new().case("C").excerpt_es_en("cafe\u{301} y pan", "coffee and bread");
    let excerpt = project.last_excerpt.unwrap();
    let store = &mut project.store;
    let coder = store.ensure_coder("tester").unwrap();
    let code = store
        .add_code(&CodeDraft { name: "Food".into(), description: String::new(), color: None, parent_id: None })
        .unwrap();
    // The importer normalises to NFC: "café" is 4 chars. A span ending inside a
    // grapheme is widened.
    let text = store.excerpt(excerpt).unwrap().original.unwrap();
    assert_eq!(text, "café y pan");
    let coding = store
        .add_coding(excerpt, code, coder, CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(0, 4) })
        .unwrap();
    assert_eq!(store.coding(coding).unwrap().covered_text, "café");
    let outside = CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(5, 40) };
    assert!(store.add_coding(excerpt, code, coder, outside).is_err());
}

#[test]
fn editing_a_text_keeps_codings_on_their_words_or_flags_them() {
    let mut project = fixture();
    let store = &mut project.store;
    let first = store.excerpt_ids().unwrap()[0];
    let trust_passage = store
        .codings_of_excerpt(first)
        .unwrap()
        .into_iter()
        .find(|coding| matches!(coding.anchor, CodingAnchor::Passage { .. }))
        .unwrap();
    assert_eq!(trust_passage.covered_text, "Nadie nos avisó.");

    let report = store
        .set_excerpt_text(first, Side::Original, "Esa vez la policía llegó de madrugada. Nadie nos avisó.")
        .unwrap();
    assert_eq!((report.moved, report.lost), (1, 0));
    let moved = store.coding(trust_passage.coding_id).unwrap();
    let text = store.excerpt(first).unwrap().original.unwrap();
    let CodingAnchor::Passage { span, .. } = moved.anchor else { panic!() };
    assert_eq!(quipu::text::slice_chars(&text, span), Some("Nadie nos avisó."));
    assert!(!moved.needs_review);

    let report = store.set_excerpt_text(first, Side::Original, "La policía llegó de madrugada.").unwrap();
    assert_eq!((report.moved, report.lost), (0, 1));
    assert!(store.coding(trust_passage.coding_id).unwrap().needs_review);

    // Removing the translation sets the status to missing; both texts cannot go.
    store.set_excerpt_text(first, Side::Translation, "  ").unwrap();
    assert_eq!(store.excerpt(first).unwrap().translation_status, TranslationStatus::Missing);
    assert!(store.set_excerpt_text(first, Side::Original, "").is_err());
}

#[test]
fn memos_are_written_replaced_and_removed() {
    let mut project = fixture();
    let store = &mut project.store;
    let trust = code_id(store, "Trust");
    store.set_memo(MemoTarget::Code(trust), "Confianza: usar también para desconfianza.").unwrap();
    store.set_memo(MemoTarget::Code(trust), "Revised definition").unwrap();
    assert_eq!(store.memo(MemoTarget::Code(trust)).unwrap(), "Revised definition");
    store.set_memo(MemoTarget::Project, "Project notes").unwrap();
    assert_eq!(store.memo(MemoTarget::Project).unwrap(), "Project notes");
    store.set_memo(MemoTarget::Code(trust), "").unwrap();
    assert_eq!(store.memo(MemoTarget::Code(trust)).unwrap(), "");
    assert_eq!(store.memo(MemoTarget::Project).unwrap(), "Project notes");
}

#[test]
fn every_kind_of_change_can_be_undone_and_redone() {
    let mut project = fixture();
    let store = &mut project.store;
    store.enable_undo().unwrap();
    let (trust, water, police) =
        (code_id(store, "Trust"), code_id(store, "Environment and water"), code_id(store, "Police use"));
    let first = store.excerpt_ids().unwrap()[0];

    type Change = Box<dyn Fn(&mut Store)>;
    let changes: Vec<(&str, Change)> = vec![
        ("rename", Box::new(move |s| s.rename_code(trust, "Confianza").unwrap())),
        ("merge", Box::new(move |s| s.merge_codes(trust, water).unwrap())),
        ("delete", Box::new(move |s| s.delete_code(police).unwrap())),
        (
            "edit text",
            Box::new(move |s| {
                s.set_excerpt_text(first, Side::Original, "Otra cosa.").unwrap();
            }),
        ),
        (
            "status",
            Box::new(move |s| s.set_translation_status(first, TranslationStatus::Disputed, "'avisó'?").unwrap()),
        ),
        ("memo", Box::new(move |s| s.set_memo(MemoTarget::Excerpt(first), "nota").unwrap())),
        (
            "delete case",
            Box::new(|s| {
                let case = s.case_by_name("Cerro Alto").unwrap().unwrap();
                s.delete_case(case.case_id).unwrap();
            }),
        ),
    ];
    for (label, change) in &changes {
        let before = store.dump().unwrap();
        store
            .undoable(label, |s| -> Result<(), quipu::store::StoreError> {
                change(s);
                Ok(())
            })
            .unwrap();
        let after = store.dump().unwrap();
        assert_ne!(before, after, "{label} changed nothing");
        assert_eq!(store.undo_label(), Some(*label));
        assert_eq!(store.undo().unwrap().as_deref(), Some(*label));
        assert_eq!(store.dump().unwrap(), before, "undo of {label} did not restore the project");
        assert_eq!(store.redo().unwrap().as_deref(), Some(*label));
        assert_eq!(store.dump().unwrap(), after, "redo of {label} did not repeat it");
        store.undo().unwrap();
    }
    // The search index follows undo: the original text is findable again.
    assert_eq!(store.search_ids("madrugada", None, false).unwrap(), vec![first]);
    assert_eq!(store.undo().unwrap(), None);
}

#[test]
fn a_new_action_after_undo_forgets_the_redo() {
    let mut project = fixture();
    let store = &mut project.store;
    store.enable_undo().unwrap();
    let trust = code_id(store, "Trust");
    store.undoable("rename", |s| s.rename_code(trust, "Confianza")).unwrap();
    store.undo().unwrap();
    store.undoable("recolour", |s| s.set_code_color(trust, quipu::model::Color::rgb(1, 2, 3))).unwrap();
    assert_eq!(store.redo_label(), None);
    assert_eq!(store.undo_label(), Some("recolour"));
}

#[test]
fn a_failed_action_changes_nothing_and_records_no_undo_step() {
    let mut project = fixture();
    let store = &mut project.store;
    store.enable_undo().unwrap();
    let before = store.dump().unwrap();
    let trust = code_id(store, "Trust");
    let result = store.undoable("rename twice", |s| {
        s.rename_code(trust, "Confianza")?;
        s.rename_code(trust, "Police use")
    });
    assert!(result.is_err());
    assert_eq!(store.dump().unwrap(), before);
    assert_eq!(store.undo_label(), None);
}

#[test]
fn filtered_lists_follow_case_code_status_and_search() {
    let project = fixture();
    let store = &project.store;
    let all = store.filtered_excerpt_ids(&Filter::default()).unwrap();
    assert_eq!(all.len(), 3);
    let cerro = store.case_by_name("Cerro Alto").unwrap().unwrap();
    let by_case = Filter { cases: vec![cerro.case_id], ..Filter::default() };
    assert_eq!(store.filtered_excerpt_ids(&by_case).unwrap().len(), 2);
    let by_code = Filter { codes: vec![code_id(store, "Trust")], ..Filter::default() };
    assert_eq!(store.filtered_excerpt_ids(&by_code).unwrap().len(), 2);
    let missing = Filter { statuses: vec![TranslationStatus::Missing], ..Filter::default() };
    assert_eq!(store.filtered_excerpt_ids(&missing).unwrap().len(), 1);
    let searched = Filter { search: "polic".into(), ..Filter::default() };
    assert_eq!(store.filtered_excerpt_ids(&searched).unwrap(), vec![all[0]]);
    let only = Filter { only: Some(("two".into(), vec![all[2], all[0]])), ..Filter::default() };
    assert_eq!(store.filtered_excerpt_ids(&only).unwrap(), vec![all[0], all[2]], "in reading order");
    let previews = store.excerpt_previews(&all, None).unwrap();
    assert_eq!(previews.len(), 3);
    assert_eq!(previews[0].codings, 2);
    assert_eq!(previews[0].snippet, None);
    let searched = store.excerpt_previews(&all[..1], Some("madrugada")).unwrap();
    let snippet = searched[0].snippet.clone().unwrap();
    assert!(snippet.contains("\u{2}madrugada\u{3}"), "{snippet:?}");
}

#[test]
fn save_a_copy_writes_a_consistent_project() {
    let project = fixture();
    let copy = project.dir.path().join("copy.quipu");
    project.store.save_copy(&copy).unwrap();
    let reopened = Store::open(&copy).unwrap();
    assert_eq!(reopened.dump().unwrap(), project.store.dump().unwrap());
    assert!(project.store.save_copy(&copy).is_err(), "an existing file is never overwritten");
}

#[test]
fn an_import_is_undone_and_redone_as_one_step() {
    let mut project = fixture();
    project.store.enable_undo().unwrap();
    let before = project.store.dump().unwrap();
    let csv = "caso,fuente,hablante,original,traducción,códigos,nota\n\
               Cerro Alto,Entrevista 1,,Nueva frase sobre el agua.,New sentence about water.,Agua nueva;Trust,una nota\n\
               Qori Wayra,Asamblea,Comunera,Otra frase.,,Trust,\n";
    let parsed = quipu::formats::csv_import::read_csv(csv.as_bytes(), "x.csv", &Default::default()).unwrap();
    project.store.undoable("import", |store| store.import_batch(&parsed.batch, "importer", false)).unwrap();
    let after = project.store.dump().unwrap();
    assert_ne!(before, after);
    assert_eq!(project.store.undo_label(), Some("import"));
    project.store.undo().unwrap();
    assert_eq!(project.store.dump().unwrap(), before, "undo takes the whole import back");
    assert!(project.store.search_ids("nueva", None, false).unwrap().is_empty());
    project.store.redo().unwrap();
    assert_eq!(project.store.dump().unwrap(), after, "redo brings it back");
    assert_eq!(project.store.search_ids("nueva", None, false).unwrap().len(), 1);
}

#[test]
fn coding_the_same_words_twice_keeps_one_coding_and_says_so() {
    let mut project = fixture();
    let store = &mut project.store;
    let trust = code_id(store, "Trust");
    let excerpt = store.excerpt_ids().unwrap()[0];
    let coder = store.ensure_coder("Segunda").unwrap();
    let anchor = CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(0, 4) };
    let (first, is_new) = store.add_coding_if_new(excerpt, trust, coder, anchor).unwrap();
    assert!(is_new);
    let before = store.coding_count().unwrap();
    let (again, is_new) = store.add_coding_if_new(excerpt, trust, coder, anchor).unwrap();
    assert_eq!((again, is_new), (first, false));
    assert_eq!(store.coding_count().unwrap(), before);
}

#[test]
fn a_stopped_import_records_nothing_and_changes_nothing() {
    let mut project = fixture();
    project.store.enable_undo().unwrap();
    project.store.undoable("add", |store| store.add_case("Antes", "").map(|_| ())).unwrap();
    let before = project.store.dump().unwrap();
    let csv = "caso,original\nCerro Alto,Una frase nueva.\nQori Wayra,Otra frase.\n";
    let parsed = quipu::formats::csv_import::read_csv(csv.as_bytes(), "x.csv", &Default::default()).unwrap();
    // Cancelled once the import has begun (its coder is written first), as the
    // window's Cancel button does.
    let result = project.store.undoable("import", |store| {
        store.import_batch_with_progress(&parsed.batch, "importer", false, &mut |_, _| false)
    });
    assert!(matches!(result, Err(quipu::store::StoreError::Cancelled)), "{result:?}");
    assert_eq!(project.store.dump().unwrap(), before, "not even the new coder stayed");
    assert_eq!(project.store.undo_label(), Some("add"), "the stopped import left no step behind");
}

#[test]
fn code_names_from_a_spreadsheet_meet_the_codebook_without_case_accents_or_underscores() {
    let mut project = fixture();
    // The fixture's codebook has "Police use".
    let police = code_id(&project.store, "Police use");
    let police_excerpts =
        |store: &Store| store.code_counts().unwrap().iter().find(|c| c.code_id == police).map_or(0, |c| c.excerpts);
    let coded_before = police_excerpts(&project.store);
    let before = project.store.codes().unwrap().len();
    let csv = "caso,original,códigos\n\
               Cerro Alto,La policía llegó.,police_use;NUEVO-tema\n\
               Cerro Alto,Otra vez la policía.,POLICE-USE;nuevo tema\n";
    let parsed = quipu::formats::csv_import::read_csv(csv.as_bytes(), "x.csv", &Default::default()).unwrap();
    let summary = project.store.import_batch(&parsed.batch, "importer", false).unwrap();
    assert_eq!(summary.new_codes, vec!["NUEVO-tema".to_owned()], "one new code, written as first seen");
    assert_eq!(
        summary.matched_codes,
        vec![("POLICE-USE".to_owned(), "Police use".to_owned()), ("police_use".to_owned(), "Police use".to_owned())]
    );
    assert_eq!(project.store.codes().unwrap().len(), before + 1);
    assert_eq!(police_excerpts(&project.store), coded_before + 2);

    // A value the person maps to an existing code goes there instead.
    let csv = "caso,original,códigos\nCerro Alto,Sin agua.,Agua y ambiente\n";
    let mut parsed = quipu::formats::csv_import::read_csv(csv.as_bytes(), "y.csv", &Default::default()).unwrap();
    parsed.batch.code_choices = vec![("agua y ambiente".to_owned(), police)];
    let summary = project.store.import_batch(&parsed.batch, "importer", false).unwrap();
    assert!(summary.new_codes.is_empty(), "{summary:?}");
    assert_eq!(police_excerpts(&project.store), coded_before + 3);
}

#[test]
fn an_import_leaves_the_number_keys_with_the_codes_that_had_them() {
    let mut project = TestProject::new().excerpt_es_en("Hay agua.", "There is water.").code("Water").code("Trust");
    let before = project.store.code_keys().unwrap();
    assert_eq!(before.len(), 2);
    // "Access" sorts before both: had the keys still followed codebook order, it
    // would have taken key 1.
    let csv = "caso,original,códigos\nCerro Alto,Sin acceso al río,Access\n";
    let parsed = quipu::formats::csv_import::read_csv(csv.as_bytes(), "nuevo.csv", &Default::default()).unwrap();
    project.store.import_batch(&parsed.batch, "Ana", false).unwrap();
    assert!(project.store.code_by_name("Access").unwrap().is_some());
    assert_eq!(project.store.code_keys().unwrap(), before);
}

#[test]
fn the_speaker_filter_takes_a_turns_own_speaker_before_its_sources() {
    let mut project = TestProject::new().case("Cerro Alto").source_with("Entrevista 1", "Rosa Quispe", "dirigente");
    let source_id = project.store.sources().unwrap()[0].source_id;
    for (speaker, interviewer, text) in
        [("E", true, "¿Qué pasó con el agua?"), ("Rosa Quispe", false, "Se secó el puquio."), ("", false, "Nota.")]
    {
        let draft = quipu::model::ExcerptDraft {
            original: Some(text.to_owned()),
            speaker: speaker.to_owned(),
            interviewer,
            ..Default::default()
        };
        project.store.add_excerpt(source_id, &draft).unwrap();
    }
    let texts = |store: &Store, speaker: &str| -> Vec<String> {
        let filter = Filter { speakers: vec![speaker.to_owned()], ..Filter::default() };
        store.filtered_excerpts(&filter).unwrap().into_iter().filter_map(|excerpt| excerpt.original).collect()
    };
    // An excerpt without a speaker of its own is its source's speaker's.
    assert_eq!(texts(&project.store, "Rosa Quispe"), vec!["Se secó el puquio.", "Nota."]);
    assert_eq!(texts(&project.store, "E"), vec!["¿Qué pasó con el agua?"]);
    assert_eq!(project.store.speakers().unwrap(), vec!["E", "Rosa Quispe"]);
    let interviewer_only = Filter { speakers: vec!["E".to_owned()], ..Filter::default() };
    let table = quipu::analysis::frequencies(&project.store, quipu::store::Grouping::Case, &interviewer_only).unwrap();
    assert_eq!(table.total_excerpts, 0, "an uncoded interviewer turn is no one's testimony");
}

#[test]
fn codes_sit_at_most_64_levels_deep_whether_added_or_moved() {
    let mut project = TestProject::new();
    let store = &mut project.store;
    let draft = |name: String, parent_id| CodeDraft { name, description: String::new(), color: None, parent_id };
    let mut parent = None;
    for level in 1..=64 {
        parent = Some(store.add_code(&draft(format!("N{level}"), parent)).unwrap());
    }
    assert_eq!(store.code_depth(parent.unwrap()).unwrap(), 64);
    let error = store.add_code(&draft("N65".into(), parent)).unwrap_err();
    assert!(error.to_string().contains("at most 64 levels deep"), "{error}");
    // A two-level branch cannot move under the 63rd level either.
    let branch = store.add_code(&draft("Rama".into(), None)).unwrap();
    store.add_code(&draft("Hoja".into(), Some(branch))).unwrap();
    assert_eq!(store.code_height(branch).unwrap(), 2);
    let sixty_third = store.code_by_name("N63").unwrap().unwrap().code_id;
    let before = store.dump().unwrap();
    assert!(store.move_code(branch, Some(sixty_third)).unwrap_err().to_string().contains("64 levels"));
    assert_eq!(store.dump().unwrap(), before);
    let sixty_second = store.code_by_name("N62").unwrap().unwrap().code_id;
    store.move_code(branch, Some(sixty_second)).unwrap();
    assert_eq!(store.code_depth(store.code_by_name("Hoja").unwrap().unwrap().code_id).unwrap(), 64);
}

#[test]
fn a_refused_passage_names_its_excerpt_by_label_not_by_an_id_a_rollback_may_undo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    let mut store = quipu::demo::write_demo(&path).unwrap();
    // E005 has its original only.
    let excerpt = store.excerpts_named("E005").unwrap()[0];
    assert!(store.excerpt(excerpt).unwrap().translation.is_none());
    let trust = code_id(&store, "Trust");
    let coder = store.ensure_coder("Ana").unwrap();
    let outside = CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(5, 9000) };
    let error = store.add_coding(excerpt, trust, coder, outside).unwrap_err().to_string();
    assert!(error.contains("of excerpt 'E005'"), "{error}");
    let no_translation = CodingAnchor::Passage { side: Side::Translation, span: CharSpan::new(0, 2) };
    let error = store.add_coding(excerpt, trust, coder, no_translation).unwrap_err().to_string();
    assert!(error.contains("excerpt 'E005' has no translation"), "{error}");
}
