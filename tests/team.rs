//! Team coding from the command line: a blind copy coded by a second coder and
//! merged back, without duplicates, without overwriting, and twice to no effect.

mod util;

use quipu::model::{CodeDraft, CodingAnchor, MemoTarget, Side, TranslationStatus};
use quipu::store::{Identified, Store};
use quipu::text::CharSpan;
use util::{arg, dump, quipu_err, quipu_ok};

/// The demo project and a blind copy of it, coded by "Luis Huamán" as a second
/// coder would: whole excerpts, a passage, a new sub-code, a memo, a review, and
/// a few things the lead changed too.
struct Team {
    dir: tempfile::TempDir,
    lead: std::path::PathBuf,
    copy: std::path::PathBuf,
}

fn excerpt(store: &Store, label: &str) -> quipu::model::ExcerptId {
    store.excerpts_named(label).unwrap()[0]
}

fn code(store: &Store, name: &str) -> quipu::model::CodeId {
    store.code_by_name(name).unwrap().unwrap_or_else(|| panic!("no code {name}")).code_id
}

fn team() -> Team {
    let dir = tempfile::tempdir().unwrap();
    let lead = dir.path().join("lead.quipu");
    let copy = dir.path().join("luis.quipu");
    quipu_ok(&["demo", arg(&lead)]);
    quipu_ok(&["copy", arg(&lead), arg(&copy), "--without-codings"]);
    {
        let mut store = Store::open(&copy).unwrap();
        let luis = store.ensure_coder("Luis Huamán").unwrap();
        let trust = code(&store, "Trust");
        store.add_coding(excerpt(&store, "E001"), trust, luis, CodingAnchor::Whole).unwrap();
        let passage = CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(0, 8) };
        store.add_coding(excerpt(&store, "E002"), code(&store, "Police use"), luis, passage).unwrap();
        let water = code(&store, "Environment and water");
        let draft = CodeDraft {
            name: "Consulta previa".into(),
            description: String::new(),
            color: None,
            parent_id: Some(water),
        };
        let consulta = store.add_code(&draft).unwrap();
        store.add_coding(excerpt(&store, "E003"), consulta, luis, CodingAnchor::Whole).unwrap();
        store.set_memo(MemoTarget::Excerpt(excerpt(&store, "E004")), "Luis: habla de la consulta").unwrap();
        store.set_translation_status(excerpt(&store, "E004"), TranslationStatus::Reviewed, "ok (Luis)").unwrap();
        // Both change E007's translation, differently; Luis codes a passage of his.
        store.set_excerpt_text(excerpt(&store, "E007"), Side::Translation, "Luis's own wording.").unwrap();
        let on_his_text = CodingAnchor::Passage { side: Side::Translation, span: CharSpan::new(0, 4) };
        store.add_coding(excerpt(&store, "E007"), trust, luis, on_his_text).unwrap();
        store.add_coding(excerpt(&store, "E007"), trust, luis, CodingAnchor::Whole).unwrap();
        // Both write a memo on E006.
        store.set_memo(MemoTarget::Excerpt(excerpt(&store, "E006")), "memo de Luis").unwrap();
    }
    {
        let mut store = Store::open(&lead).unwrap();
        store.set_excerpt_text(excerpt(&store, "E007"), Side::Translation, "The lead's wording.").unwrap();
        store.set_memo(MemoTarget::Excerpt(excerpt(&store, "E006")), "memo de la líder").unwrap();
    }
    Team { dir, lead, copy }
}

#[test]
fn a_second_coders_copy_merges_in_once_and_merging_it_again_adds_nothing() {
    let team = team();
    let before = dump(&team.lead);
    let tried = quipu_ok(&["merge", arg(&team.lead), arg(&team.copy), "--dry-run"]);
    assert!(tried.starts_with("Would merge") && tried.contains("4 codings"), "{tried}");
    assert_eq!(dump(&team.lead), before, "a dry run changes nothing");

    let merged = quipu_ok(&["merge", arg(&team.lead), arg(&team.copy)]);
    assert!(merged.contains("Merged") && merged.contains("4 codings") && merged.contains("1 new codes"), "{merged}");
    assert!(merged.contains("(Luis Huamán)"), "{merged}");
    assert!(merged.contains("excerpt 'E007', translation"), "{merged}");
    assert!(merged.contains("excerpt 'E006', memo"), "{merged}");
    assert!(merged.contains("1 codings were left out"), "the passage on Luis's own text: {merged}");

    let store = Store::open(&team.lead).unwrap();
    let luis = store.coders().unwrap().into_iter().find(|coder| coder.name == "Luis Huamán").unwrap().coder_id;
    let by_luis = |label: &str| {
        store.codings_of_excerpt(excerpt(&store, label)).unwrap().into_iter().filter(|c| c.coder_id == luis).count()
    };
    assert_eq!([by_luis("E001"), by_luis("E002"), by_luis("E003"), by_luis("E007")], [1, 1, 1, 1]);
    let consulta = store.code_by_name("Consulta previa").unwrap().expect("the new code came in");
    assert_eq!(consulta.parent_id, Some(code(&store, "Environment and water")), "under its parent");
    assert_eq!(store.memo(MemoTarget::Excerpt(excerpt(&store, "E004"))).unwrap(), "Luis: habla de la consulta");
    let e004 = store.excerpt(excerpt(&store, "E004")).unwrap();
    assert_eq!((e004.translation_status, e004.translation_note.as_str()), (TranslationStatus::Reviewed, "ok (Luis)"));
    // Nothing the lead wrote was overwritten.
    assert_eq!(store.excerpt(excerpt(&store, "E007")).unwrap().translation.unwrap(), "The lead's wording.");
    assert_eq!(store.memo(MemoTarget::Excerpt(excerpt(&store, "E006"))).unwrap(), "memo de la líder");
    // The codes and codings keep the copy's identity.
    let copy = Store::open(&team.copy).unwrap();
    let copy_uuid = &copy.uuids(Identified::Code).unwrap()[&code(&copy, "Consulta previa").0];
    assert_eq!(&store.uuids(Identified::Code).unwrap()[&consulta.code_id.0], copy_uuid);
    drop((store, copy));

    let after = dump(&team.lead);
    let again = quipu_ok(&["merge", arg(&team.lead), arg(&team.copy)]);
    assert!(again.contains("0 codings") && again.contains("Nothing new"), "{again}");
    assert!(again.contains("excerpt 'E007', translation"), "the conflict is still listed: {again}");
    assert_eq!(dump(&team.lead), after, "merging the same copy twice adds nothing");
}

#[test]
fn merge_json_lists_what_came_in_and_each_conflict_with_both_versions() {
    let team = team();
    let output = quipu_ok(&["merge", arg(&team.lead), arg(&team.copy), "--json", "--dry-run"]);
    let json: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(json["codings"], 4);
    assert_eq!(json["new_codes"], serde_json::json!(["Consulta previa"]));
    assert_eq!(json["new_coders"], serde_json::json!(["Luis Huamán"]));
    assert_eq!(json["reviews"], 1);
    let conflicts = json["conflicts"].as_array().unwrap();
    let translation = conflicts.iter().find(|c| c["what"] == "excerpt 'E007', translation").expect("listed");
    assert_eq!(translation["ours"], "The lead's wording.");
    assert_eq!(translation["theirs"], "Luis's own wording.");
    let memo = conflicts.iter().find(|c| c["what"] == "excerpt 'E006', memo").expect("listed");
    assert_eq!((memo["ours"].as_str(), memo["theirs"].as_str()), (Some("memo de la líder"), Some("memo de Luis")));
}

#[test]
fn excerpts_whose_identity_was_lost_are_matched_by_source_and_text() {
    let team = team();
    // An older exchange that gave every excerpt a new identity.
    rusqlite::Connection::open(&team.copy)
        .unwrap()
        .execute_batch("UPDATE excerpts SET uuid = lower(hex(randomblob(16)))")
        .unwrap();
    let merged = quipu_ok(&["merge", arg(&team.lead), arg(&team.copy), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&merged).unwrap();
    // E007's translation differs, so it is not found by its text; the others are.
    assert_eq!(json["unmatched_excerpts"], 1, "{merged}");
    assert_eq!(json["codings"], 3, "{merged}");
    let after = dump(&team.lead);
    quipu_ok(&["merge", arg(&team.lead), arg(&team.copy)]);
    assert_eq!(dump(&team.lead), after, "matched by content, the second merge adds nothing either");
}

#[test]
fn a_merge_that_cannot_be_made_names_the_file_and_changes_nothing() {
    let team = team();
    let before = dump(&team.lead);
    let stderr = quipu_err(&["merge", arg(&team.lead), arg(&team.lead)]);
    assert!(stderr.contains("lead.quipu: this is the project itself"), "{stderr}");
    let notes = team.dir.path().join("notas.txt");
    std::fs::write(&notes, "no es un proyecto").unwrap();
    let stderr = quipu_err(&["merge", arg(&team.lead), arg(&notes)]);
    assert!(stderr.contains("notas.txt") && stderr.contains("not a Quipu project"), "{stderr}");
    let missing = team.dir.path().join("perdido.quipu");
    let stderr = quipu_err(&["merge", arg(&team.lead), arg(&missing)]);
    assert!(stderr.contains("perdido.quipu"), "{stderr}");
    assert_eq!(dump(&team.lead), before);
}
