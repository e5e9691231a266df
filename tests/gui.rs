//! The window driven headless with egui_kittest: click and type by label, then
//! check what the project file holds. A few image snapshots double as the README
//! screenshots.
#![cfg(feature = "gui")]

mod util;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use quipu::gui::QuipuApp;
use quipu::gui::app::{AppCommand, Settings};
use quipu::gui::i18n::Language;
use quipu::model::{CodingAnchor, ExcerptId, Side};
use quipu::store::Store;

/// The demo project in a temporary folder.
fn demo_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    quipu::demo::write_demo(&path).unwrap();
    (dir, path)
}

fn settings() -> Settings {
    Settings { coder: "Tester".to_owned(), ..Settings::default() }
}

fn harness_for(path: &Path, settings: Settings) -> Harness<'static, QuipuApp> {
    harness_sized(path, settings, egui::vec2(1400.0, 880.0))
}

/// A harness on `path` with a window of `size` points.
fn harness_sized(path: &Path, settings: Settings, size: egui::Vec2) -> Harness<'static, QuipuApp> {
    let theme =
        if settings.theme == quipu::gui::app::ThemeChoice::Dark { egui::Theme::Dark } else { egui::Theme::Light };
    let app = QuipuApp::with_store(Store::open(path).unwrap(), settings);
    let mut harness =
        Harness::builder().with_size(size).with_max_steps(12).with_theme(theme).build_eframe(move |_cc| app);
    harness.run_ok();
    harness
}

/// Lets a few frames pass (list rows load on the frame after they are seen; a
/// dialog with scrolling parts takes a few frames to find its size and place).
fn settle(harness: &mut Harness<'_, QuipuApp>) {
    for _ in 0..8 {
        harness.step();
    }
}

/// Waits until background work (an import or export) is over. One frame first:
/// a job asked for by the last click starts when that frame's commands run.
fn wait_for_jobs(harness: &mut Harness<'_, QuipuApp>) {
    harness.step();
    let start = Instant::now();
    while harness.state().jobs.is_busy() {
        assert!(start.elapsed() < Duration::from_secs(60), "the background job did not finish");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    settle(harness);
}

/// A second connection to the project, to see what was written.
fn stored(path: &Path) -> Store {
    Store::open(path).unwrap()
}

fn excerpt_by_label(store: &Store, label: &str) -> ExcerptId {
    store.excerpt_ids().unwrap().into_iter().find(|id| store.excerpt(*id).unwrap().label == label).unwrap()
}

/// Finds an excerpt by its identifier in the search box and opens it.
fn select_excerpt(harness: &mut Harness<'_, QuipuApp>, label: &str) {
    select_excerpt_searching(harness, "Search", label);
}

/// Same, with the search box's label in the interface language.
fn select_excerpt_searching(harness: &mut Harness<'_, QuipuApp>, search_label: &str, label: &str) {
    settle(harness);
    harness.get_by_label(search_label).focus();
    settle(harness);
    harness.get_by_label(search_label).type_text(label);
    settle(harness);
    harness.get_by_label(label).click();
    settle(harness);
}

/// Clicks the last button with this label: a menu or popup drawn over the window
/// comes after the panels in the tree.
fn click_last(harness: &mut Harness<'_, QuipuApp>, label: &str) {
    let nodes: Vec<_> = harness.get_all_by_role_and_label(Role::Button, label).collect();
    nodes.last().unwrap_or_else(|| panic!("no button labelled {label:?}")).click();
    settle(harness);
}

#[test]
fn selecting_a_passage_and_clicking_a_code_codes_that_passage() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E024");
    let excerpt_id = excerpt_by_label(&stored(&path), "E024");
    assert_eq!(harness.state().ui.selected, Some(excerpt_id));

    // Drag the mouse across the start of the Spanish text, as a person would.
    let original = stored(&path).excerpt(excerpt_id).unwrap().original.unwrap();
    let text_rect = harness.get_by_value(&original).rect();
    let start = text_rect.left_top() + egui::vec2(1.0, 6.0);
    let end = start + egui::vec2(90.0, 0.0);
    let press = |pos: egui::Pos2, pressed: bool| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    harness.event(egui::Event::PointerMoved(start));
    harness.step();
    harness.event(press(start, true));
    harness.step();
    harness.event(egui::Event::PointerMoved(end));
    harness.step();
    harness.event(press(end, false));
    settle(&mut harness);
    let selection = harness.state().ui.reader.selection.expect("the reader kept the selection");
    assert_eq!(selection.side, Side::Original);
    assert_eq!(selection.span.start.0, 0);
    assert!(selection.span.len() > 3, "{selection:?}");
    let expected = quipu::text::slice_chars(&original, selection.span).unwrap().to_owned();

    harness.get_by_label("Police use").click();
    settle(&mut harness);
    let store = stored(&path);
    let police = store.code_by_name("Police use").unwrap().unwrap().code_id;
    let coded: Vec<_> =
        store.codings_of_excerpt(excerpt_id).unwrap().into_iter().filter(|coding| coding.code_id == police).collect();
    assert_eq!(coded.len(), 1, "{coded:?}");
    assert!(matches!(coded[0].anchor, CodingAnchor::Passage { side: Side::Original, .. }));
    assert_eq!(coded[0].covered_text, expected);
    let tester = store.coders().unwrap().into_iter().find(|c| c.name == "Tester").unwrap();
    assert_eq!(coded[0].coder_id, tester.coder_id);
}

#[test]
fn a_number_key_codes_the_whole_excerpt_and_ctrl_z_takes_it_back() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E026");
    let excerpt_id = excerpt_by_label(&stored(&path), "E026");
    let before = stored(&path).dump().unwrap();
    assert!(stored(&path).codings_of_excerpt(excerpt_id).unwrap().is_empty());

    harness.key_press(Key::Num3);
    settle(&mut harness);
    let store = stored(&path);
    let codings = store.codings_of_excerpt(excerpt_id).unwrap();
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0].anchor, CodingAnchor::Whole);
    let third_code = &store.codes().unwrap()[2];
    assert_eq!(codings[0].code_id, third_code.code_id);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).codings_of_excerpt(excerpt_id).unwrap().len(), 1);
}

/// Undo and redo of a large step run in the background: the window keeps
/// drawing from a read-only stand-in, shows the replay with its progress and
/// no Cancel, refuses edits until it is done, and then has its own store (and
/// undo history) back. A write lock held by another connection keeps the
/// replay waiting, so what the window does meanwhile can be seen.
#[test]
fn a_large_undo_runs_in_the_background_and_edits_wait_for_it() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E026");
    let excerpt_id = excerpt_by_label(&stored(&path), "E026");
    let before = stored(&path).dump().unwrap();
    harness.key_press(Key::Num3);
    settle(&mut harness);
    let coded = stored(&path).dump().unwrap();
    assert_ne!(coded, before);
    // Every step counts as large here.
    harness.state_mut().jobs.background_replay_rows = 0;

    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    let state = harness.state();
    let job = state.jobs.running.as_ref().expect("the undo runs as a background job");
    assert!(job.holds_store && !job.cancellable && job.label.starts_with("Undoing"), "{}", job.label);
    assert!(state.session.as_ref().unwrap().store.is_read_only(), "the window reads through a stand-in");
    harness.step();
    assert!(harness.query_by_label_contains("Undoing").is_some(), "the status bar shows the undo");
    assert!(harness.query_by_label("Cancel").is_none(), "an undo runs to its end");
    // An edit meanwhile is refused with the reason, and changes nothing.
    harness.key_press(Key::Num4);
    harness.step();
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error && message.contains("Edits wait"), "{message}");
    // So is a second undo, and the menu's Undo is off meanwhile.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    let (message, _) = harness.state().ui.message.clone().unwrap();
    assert!(message.contains("Wait for this to finish"), "{message}");
    harness.get_by_label("Edit").click();
    harness.step();
    harness.step();
    {
        use egui_kittest::kittest::NodeT as _;
        let undo = harness.get_by_label_contains("Undo (");
        assert!(undo.accesskit_node().is_disabled(), "the menu's Undo waits for the job");
    }
    harness.key_press(Key::Escape);
    harness.step();
    blocker.execute_batch("ROLLBACK").unwrap();
    wait_for_jobs(&mut harness);

    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(!is_error && message.starts_with("Undone"), "{message}");
    assert_eq!(stored(&path).dump().unwrap(), before, "the undo took the coding back, and only that");
    assert!(!harness.state().session.as_ref().unwrap().store.is_read_only(), "the window has its store back");
    assert!(stored(&path).codings_of_excerpt(excerpt_id).unwrap().is_empty());

    // Redo goes the same way, and the history still works in place after it.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    wait_for_jobs(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), coded);
    harness.state_mut().jobs.background_replay_rows = usize::MAX;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn renaming_a_code_in_its_dialog_and_undoing_restores_the_project() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let before = stored(&path).dump().unwrap();
    harness.get_by_label("Trust: code menu").click();
    settle(&mut harness);
    click_last(&mut harness, "Code properties…");
    let name_field = harness.get_by_label("Name");
    name_field.focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Name").type_text("Confianza");
    settle(&mut harness);
    harness.get_by_label("Save").click();
    settle(&mut harness);
    let store = stored(&path);
    assert!(store.code_by_name("Confianza").unwrap().is_some());
    assert!(store.code_by_name("Trust").unwrap().is_none());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn merging_and_deleting_codes_ask_first_and_undo_restores_each() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let before = stored(&path).dump().unwrap();
    let employment_codings = {
        let store = stored(&path);
        let employment = store.code_by_name("Employment").unwrap().unwrap().code_id;
        store.code_counts().unwrap().into_iter().find(|c| c.code_id == employment).unwrap().codings
    };

    // Merge "Employment" into "Company attitude".
    harness.get_by_label("Employment: code menu").click();
    settle(&mut harness);
    click_last(&mut harness, "Merge into");
    click_last(&mut harness, "Company attitude");
    assert!(harness.query_by_label_contains("Merge 'Employment' into 'Company attitude'?").is_some());
    harness.get_by_label("Merge").click();
    settle(&mut harness);
    let store = stored(&path);
    assert!(store.code_by_name("Employment").unwrap().is_none());
    assert!(employment_codings > 0);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "undoing the merge restores the project");

    // Delete "Trust", through the confirmation.
    harness.get_by_label("Trust: code menu").click();
    settle(&mut harness);
    click_last(&mut harness, "Delete code…");
    assert!(harness.query_by_label_contains("Delete the code 'Trust'? Its 14 codings").is_some());
    harness.get_by_label("Delete").click();
    settle(&mut harness);
    assert!(stored(&path).code_by_name("Trust").unwrap().is_none());
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    click_last(&mut harness, "Undo (deleting a code) Ctrl+Z");
    assert_eq!(stored(&path).dump().unwrap(), before, "undoing the delete restores the project");
}

#[test]
fn editing_a_translation_keeps_its_coded_passage_on_the_same_words() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E001");
    let excerpt_id = excerpt_by_label(&stored(&path), "E001");
    // Code "the river water" in the English text first.
    let translation = stored(&path).excerpt(excerpt_id).unwrap().translation.unwrap();
    let byte = translation.find("the river water").unwrap();
    let start = translation[..byte].chars().count();
    {
        let app = harness.state_mut();
        app.ui.reader.selection = Some(quipu::gui::app::TextSelection {
            excerpt_id,
            side: Side::Translation,
            span: quipu::text::CharSpan::new(start, start + "the river water".chars().count()),
        });
    }
    harness.get_by_label("Environment and water").click();
    settle(&mut harness);

    harness.get_by_label("Edit the translation").click();
    settle(&mut harness);
    let field = harness.get_by_label("Text being edited");
    field.focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    let edited = format!("Back then, {translation}");
    harness.get_by_label("Text being edited").type_text(&edited);
    settle(&mut harness);
    harness.get_by_label("Save").click();
    settle(&mut harness);

    let store = stored(&path);
    let excerpt = store.excerpt(excerpt_id).unwrap();
    assert_eq!(excerpt.translation.as_deref(), Some(edited.as_str()));
    let passage = store
        .codings_of_excerpt(excerpt_id)
        .unwrap()
        .into_iter()
        .find(|c| matches!(c.anchor, CodingAnchor::Passage { side: Side::Translation, .. }))
        .unwrap();
    let CodingAnchor::Passage { span, .. } = passage.anchor else { unreachable!() };
    assert_eq!(quipu::text::slice_chars(&edited, span), Some("the river water"));
    assert!(!passage.needs_review);
}

/// A file dropped on the window, as the system hands it over.
#[derive(Debug)]
struct DroppedCsv(PathBuf);

impl egui::DroppedFile for DroppedCsv {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

#[test]
fn dropping_a_csv_opens_the_import_dialog_and_its_mapping_decides_the_columns() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("nuevas.csv");
    std::fs::write(
        &csv,
        "Sitio,Testimonio,Traducción,Temas\n\
         Cerro Nuevo,La policía cerró el camino del zanjón.,The police closed the ditch road.,Police use\n\
         Cerro Nuevo,No hay agua desde marzo.,No water since March.,Environment and water\n",
    )
    .unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    harness.input_mut().dropped_files.push(Arc::new(DroppedCsv(csv.clone())));
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.import.is_some(), "dropping a CSV opens the import dialog");

    // "Testimonio" and "Sitio" are not recognised: choose them in the mapping.
    harness.get_by_label("Original").click();
    settle(&mut harness);
    click_last(&mut harness, "Testimonio");
    harness.get_by_label("Case").click();
    settle(&mut harness);
    click_last(&mut harness, "Sitio");
    let dialog = harness.state().ui.dialogs.import.clone().unwrap();
    assert_eq!(dialog.mapping.header(quipu::formats::csv_import::Field::Original), Some("Testimonio"));

    harness.get_by_label("Import").click();
    wait_for_jobs(&mut harness);
    assert!(harness.state().ui.dialogs.import.is_none(), "the dialog closes after importing");
    let store = stored(&path);
    let case = store.case_by_name("Cerro Nuevo").unwrap().expect("the new case");
    let sources = store.sources_of_case(case.case_id).unwrap();
    assert_eq!(sources.len(), 1, "{sources:?}");
    let hits = store.search_ids("zanjon", Some("es"), false).unwrap();
    assert_eq!(hits.len(), 1);
    // The window shows the new case at once.
    assert!(harness.query_by_label_contains("Cerro Nuevo").is_some());

    // Ctrl+Z takes the whole import back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
    assert!(harness.query_by_label_contains("Cerro Nuevo").is_none());
}

#[test]
fn a_bad_csv_in_the_import_dialog_shows_the_row_and_changes_nothing() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("mala.csv");
    std::fs::write(&csv, "caso,original\nCerro Nuevo,uno\n,dos\n").unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv));
    settle(&mut harness);
    harness.get_by_label("Import").click();
    wait_for_jobs(&mut harness);
    let error = harness.state().ui.dialogs.import.as_ref().and_then(|d| d.error.clone()).unwrap();
    assert!(error.contains("row 3, column 'caso'"), "{error}");
    assert_eq!(stored(&path).dump().unwrap(), before);
    // The import had the window's store: it is back, with no step added.
    let store = &harness.state().session.as_ref().unwrap().store;
    assert!(!store.is_read_only(), "the window has its own store back");
    assert_eq!(store.undo_label(), None, "the failed import left no undo step");
}

#[test]
fn switching_to_spanish_translates_the_labels() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("View").click();
    settle(&mut harness);
    harness.get_by_label("Español").click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.language, Language::Spanish);
    assert!(harness.query_by_label("Libro de códigos").is_some());
    assert!(harness.query_by_label("Archivo").is_some());
    assert!(harness.query_by_label("Codebook").is_none());
}

#[test]
fn filtering_by_search_shows_only_matching_excerpts() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("Search").focus();
    settle(&mut harness);
    harness.get_by_label("Search").type_text("policia");
    settle(&mut harness);
    let store = stored(&path);
    let expected = store.search_ids("policia", None, true).unwrap();
    let shown = harness.state().session.as_ref().unwrap().view.excerpt_ids.clone();
    assert_eq!(shown.len(), expected.len());
    assert!(!shown.is_empty() && shown.len() < 60);
}

#[test]
fn a_project_of_200000_excerpts_runs_frames_without_querying_the_store_each_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.quipu");
    let mut store = Store::create(&path).unwrap();
    store.add_default_codebook().unwrap();
    let codes: Vec<String> = quipu::model::DEFAULT_CODEBOOK.iter().map(|c| c.name.to_owned()).collect();
    let batch = quipu::store::ImportBatch {
        rows: (0..200_000)
            .map(|n| quipu::store::ImportRow {
                row_number: n + 2,
                case_name: format!("Caso {}", n % 20),
                source: quipu::model::SourceDraft { name: format!("Entrevista {}", n % 400), ..Default::default() },
                excerpt: quipu::model::ExcerptDraft {
                    label: format!("X{n}"),
                    original: Some(format!("Testimonio número {n}: el agua y la policía.")),
                    translation: Some(format!("Testimony number {n}: the water and the police.")),
                    translation_status: quipu::model::TranslationStatus::Draft,
                    ..Default::default()
                },
                codes: vec![codes[n % codes.len()].clone()],
                memo: String::new(),
            })
            .collect(),
        code_choices: Vec::new(),
    };
    store.import_batch(&batch, "generator", false).unwrap();
    drop(store);

    let mut harness = harness_for(&path, settings());
    settle(&mut harness);
    let view = &harness.state().session.as_ref().unwrap().view;
    assert_eq!(view.excerpt_ids.len(), 200_000);
    let queries_after_load = view.list_queries;
    for _ in 0..30 {
        harness.step();
    }
    let view = &harness.state().session.as_ref().unwrap().view;
    assert_eq!(view.list_queries, queries_after_load, "frames without changes must not query the store");
    // Scrolling far down loads only the rows brought into view.
    harness.state_mut().ui.selected = Some(view.excerpt_ids[150_000]);
    harness.state_mut().ui.navigator.scroll_to_selected = true;
    settle(&mut harness);
    let view = &harness.state().session.as_ref().unwrap().view;
    assert!(view.preview(150_000).is_some(), "the rows on screen were fetched");
    assert!(view.preview(100_000).is_none(), "rows far from the screen were not");
    assert!(view.list_queries <= queries_after_load + 3);
}

#[test]
fn snapshot_of_the_workbench() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E003");
    harness.snapshot("workbench");
}

#[test]
fn snapshot_of_the_workbench_in_spanish_and_dark() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(
        &path,
        Settings { language: Language::Spanish, theme: quipu::gui::app::ThemeChoice::Dark, ..settings() },
    );
    select_excerpt_searching(&mut harness, "Buscar", "E006");
    harness.snapshot("workbench_dark_spanish");
}

#[test]
fn reading_a_whole_source_shows_its_excerpts_and_codes_the_one_selected_in() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E001");
    harness.get_by_label("Whole source").click();
    settle(&mut harness);
    assert!(harness.state().settings.whole_source);
    let store = stored(&path);
    let source = store.excerpt(excerpt_by_label(&store, "E001")).unwrap().source_id;
    let labels: Vec<String> = store.excerpts_of_source(source).unwrap().into_iter().map(|e| e.label).collect();
    assert!(labels.len() > 2);
    for label in &labels {
        assert!(harness.query_all_by_label(label).count() > 0, "{label} is shown");
    }
    // Choose the third excerpt in the reader and code it whole with key 1.
    harness.get_all_by_label(&labels[2]).last().unwrap().scroll_to_me();
    settle(&mut harness);
    harness.get_all_by_label(&labels[2]).last().unwrap().click();
    settle(&mut harness);
    let third = excerpt_by_label(&store, &labels[2]);
    assert_eq!(harness.state().ui.selected, Some(third));
    let before = store.codings_of_excerpt(third).unwrap().len();
    harness.key_press(Key::Num1);
    settle(&mut harness);
    assert_eq!(stored(&path).codings_of_excerpt(third).unwrap().len(), before + 1);
}

#[test]
fn clicking_a_coded_passage_opens_its_codings_where_it_can_be_removed() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E003");
    let store = stored(&path);
    let excerpt_id = excerpt_by_label(&store, "E003");
    let original = store.excerpt(excerpt_id).unwrap().original.unwrap();
    let before = store.codings_of_excerpt(excerpt_id).unwrap().len();
    // Click inside the coded words "llegaron como doscientos policías": measure
    // where they start with the reader's own font.
    let rect = harness.get_by_value(&original).rect();
    let ctx = harness.ctx.clone();
    let body = ctx.global_style().text_styles[&egui::TextStyle::Body].clone();
    // Lay the text out as the reader does (same font, same width) to find where
    // the coded words "llegaron como doscientos policías" are.
    let char_index = original[..original.find("llegaron").unwrap()].chars().count() + 3;
    let galley = ctx.fonts_mut(|fonts| fonts.layout(original.clone(), body, egui::Color32::BLACK, rect.width()));
    let at = galley.pos_from_cursor(egui::text::CCursor::new(char_index)).center();
    let pos = rect.left_top() + at.to_vec2();
    harness.event(egui::Event::PointerMoved(pos));
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    settle(&mut harness);
    assert!(harness.state().ui.reader.passage_menu.is_some(), "the click opened the passage's codings");
    assert!(harness.query_by_label("Codings here").is_some());
    click_last(&mut harness, "Remove «Police use»");
    assert_eq!(stored(&path).codings_of_excerpt(excerpt_id).unwrap().len(), before - 1);
}

#[test]
fn snapshot_of_a_whole_source_with_search_hits() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, Settings { whole_source: true, ..settings() });
    settle(&mut harness);
    harness.get_by_label("Search").focus();
    settle(&mut harness);
    harness.get_by_label("Search").type_text("agua");
    settle(&mut harness);
    harness.get_all_by_label("E001").next().unwrap().click();
    settle(&mut harness);
    harness.snapshot("whole_source_search");
}

/// Switches the central view by its tab and waits for the background count.
fn open_tab(harness: &mut Harness<'_, QuipuApp>, tab: &str) {
    harness.get_by_label(tab).click();
    settle(harness);
    wait_for_jobs(harness);
}

#[test]
fn clicking_a_frequency_cell_lists_its_excerpts_and_one_opens_in_the_reader() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Frequencies");
    let store = stored(&path);
    let police = store.code_by_name("Police use").unwrap().unwrap().code_id;
    let expected = store
        .cell_excerpts(quipu::store::Grouping::Case, "Sallqamarca", police, &quipu::store::Filter::default())
        .unwrap();
    let cell = format!("Police use · Sallqamarca: {}", expected.len());
    harness.get_by_label(&cell).click();
    settle(&mut harness);
    let listed = harness.state().session.as_ref().unwrap().view.excerpt_ids.clone();
    assert_eq!(listed, expected, "the navigator lists the cell's excerpts");
    let label = store.excerpt(expected[0]).unwrap().label;
    harness.get_by_label(&label).click();
    settle(&mut harness);
    assert_eq!(harness.state().ui.analysis.workspace, quipu::gui::workspace::Workspace::Reader);
    assert_eq!(harness.state().ui.selected, Some(expected[0]));
}

#[test]
fn frequencies_group_by_an_attribute_and_count_children() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Frequencies");
    harness.get_by_label("Group by").click();
    settle(&mut harness);
    click_last(&mut harness, "stage");
    wait_for_jobs(&mut harness);
    let table = harness.state().ui.analysis.frequencies.clone().unwrap();
    let stages: Vec<&str> = table.groups.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(stages, ["construction", "exploration", "operation"]);
    let store = stored(&path);
    let stage = store.attribute_by_name(quipu::model::AttributeScope::Case, "stage").unwrap().unwrap();
    let direct = quipu::analysis::frequencies(
        &store,
        quipu::store::Grouping::CaseAttribute(stage.attribute_id),
        &quipu::store::Filter::default(),
    )
    .unwrap();
    assert_eq!(table.cells, direct.cells);
    harness.get_by_label("Count each code with its sub-codes").click();
    wait_for_jobs(&mut harness);
    assert!(harness.state().ui.analysis.frequencies.as_ref().unwrap().filter.with_children);
    // Only where stage = (its first value): the groups narrow to that stage.
    harness.get_by_label("Only where").click();
    settle(&mut harness);
    click_last(&mut harness, "stage");
    wait_for_jobs(&mut harness);
    let table = harness.state().ui.analysis.frequencies.clone().unwrap();
    assert_eq!(table.filter.attribute, Some((stage.attribute_id, "construction".to_owned())));
    let stages: Vec<&str> = table.groups.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(stages, ["construction"]);
}

#[test]
fn the_cooccurrence_matrix_shows_pairs_and_lists_their_excerpts() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Co-occurrence");
    let store = stored(&path);
    let table = quipu::analysis::cooccurrence(&store, &quipu::store::Filter::default()).unwrap();
    let trust = table.codes.iter().position(|c| c.name == "Trust").unwrap();
    let police = table.codes.iter().position(|c| c.name == "Police use").unwrap();
    let both = table.pair(trust, police).excerpts;
    assert!(both > 0);
    harness.get_by_label(&format!("Trust × Police use: {both}")).click();
    settle(&mut harness);
    assert_eq!(harness.state().session.as_ref().unwrap().view.excerpt_ids.len() as u64, both);
}

#[test]
fn attribute_values_are_edited_in_place_checked_and_undone() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Attributes");
    let before = stored(&path).dump().unwrap();
    harness.get_by_label("region · Sallqamarca").focus();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("region · Sallqamarca").type_text("Ayacucho");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let store = stored(&path);
    let sallqamarca = store.case_by_name("Sallqamarca").unwrap().unwrap();
    let region = store.case_attributes(sallqamarca.case_id).unwrap().into_iter().find(|v| v.name == "region").unwrap();
    assert_eq!(region.value, "Ayacucho");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);

    // A number attribute refuses text.
    harness.get_by_label("New attribute").focus();
    settle(&mut harness);
    harness.get_by_label("New attribute").type_text("altitude");
    harness.get_by_label("Type").click();
    settle(&mut harness);
    click_last(&mut harness, "number");
    harness.get_by_label("Add").click();
    settle(&mut harness);
    harness.get_by_label("altitude · Tambohuasi").focus();
    settle(&mut harness);
    harness.get_by_label("altitude · Tambohuasi").type_text("very high");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let store = stored(&path);
    let tambohuasi = store.case_by_name("Tambohuasi").unwrap().unwrap();
    assert!(!store.case_attributes(tambohuasi.case_id).unwrap().iter().any(|v| v.name == "altitude"));
    harness.get_by_label("altitude · Tambohuasi").focus();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("altitude · Tambohuasi").type_text("4100,5");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let store = stored(&path);
    let altitude =
        store.case_attributes(tambohuasi.case_id).unwrap().into_iter().find(|v| v.name == "altitude").unwrap();
    assert_eq!(altitude.value, "4100.5");
}

#[test]
fn exporting_from_the_dialog_writes_a_pseudonymised_word_document() {
    let (dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    let dialog = harness.state().ui.dialogs.export.clone().expect("Ctrl+E opens the export dialog");
    assert_eq!(dialog.options.names, quipu::formats::pseudonyms::Names::Pseudonyms, "pseudonyms by default");
    assert_eq!(dialog.format, quipu::formats::QuoteFormat::Docx);
    // The code's tick box in the dialog (the codebook's button has the same name).
    harness.get_by_role_and_label(Role::CheckBox, "Police use").click();
    settle(&mut harness);
    let target = dir.path().join("informe.docx");
    harness
        .state()
        .jobs
        .deliver_pick(quipu::gui::jobs::PickPurpose::Export(quipu::formats::QuoteFormat::Docx), target.clone());
    wait_for_jobs(&mut harness);
    assert!(target.exists(), "{:?}", harness.state().ui.message);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&target).unwrap()).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut document).unwrap();
    assert!(document.contains("Police use"));
    assert!(!document.contains("Trust"), "only the ticked code");
    let speaker = stored(&path).speakers().unwrap()[0].clone();
    assert!(!document.contains(&speaker), "no real name");
}

#[test]
fn snapshot_of_the_frequencies_view() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Frequencies");
    harness.snapshot("frequencies");
}

#[test]
fn a_pseudonym_set_in_the_attributes_view_is_kept_for_the_speaker() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Attributes");
    let store = stored(&path);
    let source = store.sources().unwrap().into_iter().find(|s| s.speaker.starts_with("Teófilo")).unwrap();
    let field = format!("Pseudonym · {} / {}", store.case(source.case_id).unwrap().name, source.name);
    harness.get_by_label(&field).focus();
    settle(&mut harness);
    harness.get_by_label(&field).type_text("Don T.");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let store = stored(&path);
    let same_speaker: Vec<_> = store.sources().unwrap().into_iter().filter(|s| s.speaker == source.speaker).collect();
    assert!(same_speaker.iter().all(|s| s.pseudonym == "Don T."), "{same_speaker:?}");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).source(source.source_id).unwrap().pseudonym, "");
}

#[test]
fn moving_a_code_under_another_from_its_menu_can_be_undone() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let before = stored(&path).dump().unwrap();
    harness.get_by_label("Employment: code menu").click();
    settle(&mut harness);
    click_last(&mut harness, "Move under");
    click_last(&mut harness, "Company attitude");
    let store = stored(&path);
    let parent = store.code_by_name("Company attitude").unwrap().unwrap().code_id;
    assert_eq!(store.code_by_name("Employment").unwrap().unwrap().parent_id, Some(parent));
    // The codebook shows the hierarchy: the child follows its parent.
    let rows: Vec<String> =
        harness.state().session.as_ref().unwrap().view.codes.iter().map(|row| row.code.name.clone()).collect();
    let at = rows.iter().position(|name| name == "Company attitude").unwrap();
    assert_eq!(rows[at + 1], "Employment");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn save_a_copy_writes_a_project_that_opens_with_the_same_content() {
    let (dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let copy = dir.path().join("copia.quipu");
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::SaveCopy, copy.clone());
    settle(&mut harness);
    assert!(copy.exists(), "{:?}", harness.state().ui.message);
    assert_eq!(Store::open(&copy).unwrap().dump().unwrap(), stored(&path).dump().unwrap());
}

#[test]
fn a_copy_for_a_second_coder_has_the_material_and_codebook_but_no_codings() {
    let (dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("File").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Save a copy for a second coder…").is_some(), "the File menu offers it");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    let copy = dir.path().join("para-luis.quipu");
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::SaveBlindCopy, copy.clone());
    settle(&mut harness);
    let message = harness.state().ui.message.clone();
    assert!(copy.exists(), "{message:?}");
    let (original, blind) = (stored(&path), Store::open(&copy).unwrap());
    assert_eq!(blind.excerpt_ids().unwrap(), original.excerpt_ids().unwrap());
    assert_eq!(blind.codes().unwrap(), original.codes().unwrap());
    assert!(blind.coders().unwrap().is_empty());
    assert!(blind.excerpt_ids().unwrap().iter().all(|id| blind.codings_of_excerpt(*id).unwrap().is_empty()));
    assert!(!original.coders().unwrap().is_empty(), "the open project keeps its codings");
}

#[test]
fn a_refi_qda_project_imported_from_the_file_menu_is_undone_in_one_step() {
    let (dir, demo) = demo_project();
    let exchange = dir.path().join("colleague.qdpx");
    std::fs::write(&exchange, quipu::formats::refi::render_project(&stored(&demo)).unwrap()).unwrap();
    let path = dir.path().join("empty.quipu");
    drop(Store::create(&path).unwrap());
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::ImportRefi, exchange.clone());
    // The import runs in the background.
    settle(&mut harness);
    wait_for_jobs(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(!is_error, "{message}");
    assert!(message.contains("12 sources, 60 excerpts"), "{message}");
    assert_eq!(stored(&path).excerpt_ids().unwrap().len(), 60);
    assert!(harness.query_by_label_contains("Ayamachay").is_some(), "the imported cases are listed");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "one undo takes the whole import back");
}

/// A background import has the window's own store: the window keeps showing
/// the project, offers Cancel, and refuses an edit at once with the reason
/// (it used to wait for the project's write lock, then fail). A write lock
/// held by another connection keeps the import waiting meanwhile.
#[test]
fn while_an_import_has_the_project_edits_wait_and_the_window_keeps_reading() {
    let (dir, path) = demo_project();
    let exchange = dir.path().join("colleague.qdpx");
    std::fs::write(&exchange, quipu::formats::refi::render_project(&stored(&path)).unwrap()).unwrap();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E026");
    let before = stored(&path).dump().unwrap();

    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::ImportRefi, exchange.clone());
    harness.step();
    harness.step();
    let state = harness.state();
    let job = state.jobs.running.as_ref().expect("the import runs as a background job");
    assert!(job.holds_store && job.cancellable, "{}", job.label);
    assert!(harness.query_by_label("Cancel").is_some(), "an import can be cancelled");
    assert!(harness.query_all_by_label_contains("E026").next().is_some(), "the window still shows the project");
    harness.key_press(Key::Num3);
    harness.step();
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error && message.contains("Edits wait") && message.contains("colleague.qdpx"), "{message}");
    blocker.execute_batch("ROLLBACK").unwrap();
    wait_for_jobs(&mut harness);

    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(!is_error, "{message}");
    let excerpt_id = excerpt_by_label(&stored(&path), "E026");
    assert!(stored(&path).codings_of_excerpt(excerpt_id).unwrap().is_empty(), "the refused edit wrote nothing");
    assert!(!harness.state().session.as_ref().unwrap().store.is_read_only());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "one undo takes the import back");
}

#[test]
fn a_bad_refi_qda_file_is_refused_with_its_name_and_the_project_is_unchanged() {
    let (dir, path) = demo_project();
    let bad = dir.path().join("truncated.qdpx");
    let full = quipu::formats::refi::render_project(&stored(&path)).unwrap();
    std::fs::write(&bad, &full[..full.len() / 2]).unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::ImportRefi, bad);
    // The import runs in the background.
    settle(&mut harness);
    wait_for_jobs(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error && message.contains("truncated.qdpx"), "{message}");
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn the_project_and_its_codebook_export_for_other_qda_tools_in_the_background() {
    let (dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let project = dir.path().join("para-nvivo");
    harness
        .state()
        .jobs
        .deliver_pick(quipu::gui::jobs::PickPurpose::ExportRefi { codebook_only: false }, project.clone());
    wait_for_jobs(&mut harness);
    let written = project.with_extension("qdpx");
    assert!(written.exists(), "{:?}", harness.state().ui.message);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&written).unwrap()).unwrap();
    assert!(archive.by_name("project.qde").is_ok());
    let codebook = dir.path().join("codigos.qdc");
    harness
        .state()
        .jobs
        .deliver_pick(quipu::gui::jobs::PickPurpose::ExportRefi { codebook_only: true }, codebook.clone());
    wait_for_jobs(&mut harness);
    let xml = std::fs::read_to_string(&codebook).unwrap();
    assert!(xml.contains("<CodeBook") && xml.contains("name=\"Police use\""), "{xml}");
    let (message, _) = harness.state().ui.message.clone().unwrap();
    assert!(message.contains("codigos.qdc"), "{message}");
}

#[test]
fn the_file_menu_offers_exchange_with_other_qda_tools() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("File").click();
    settle(&mut harness);
    for label in [
        "Import REFI-QDA project or codebook…",
        "Export project for other QDA tools (.qdpx)…",
        "Export codebook (.qdc)…",
    ] {
        assert!(harness.query_by_label(label).is_some(), "{label} is missing from the File menu");
    }
}

#[test]
fn without_a_system_file_dialog_the_window_own_chooser_opens_the_project() {
    let (dir, path) = demo_project();
    let other = dir.path().join("segundo.quipu");
    quipu::demo::write_demo(&other).unwrap();
    let mut harness = harness_for(&path, settings());
    // The system dialog failed to open (no portal, no zenity): the chooser takes over.
    harness.state().jobs.deliver_pick_failure(quipu::gui::jobs::PickPurpose::Open);
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.file_chooser.is_some(), "the window's own chooser opened");
    let (message, _) = harness.state().ui.message.clone().unwrap();
    assert!(message.contains("file chooser"), "the person is told why: {message}");
    assert!(harness.state().settings.own_file_chooser, "and it is used from now on");
    harness.get_by_label_contains("segundo.quipu").click();
    settle(&mut harness);
    harness.get_by_label("Open").click();
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.file_chooser.is_none(), "the chooser closes");
    let opened = harness.state().session.as_ref().unwrap().view.path.clone();
    assert_eq!(opened.as_deref(), Some(other.as_path()), "{:?}", harness.state().ui.message);
}

#[test]
fn the_file_menu_uses_the_own_chooser_when_asked_to() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, Settings { own_file_chooser: true, ..settings() });
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.file_chooser.is_some(), "Ctrl+O opens the in-window chooser");
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.file_chooser.is_none());
}

#[test]
fn on_a_small_laptop_screen_the_import_dialog_keeps_its_buttons_in_the_window() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("nuevas.csv");
    std::fs::write(&csv, "caso,original,traducción\nCerro Nuevo,Uno.,One.\n").unwrap();
    for size in [egui::vec2(1024.0, 640.0), egui::vec2(1366.0, 700.0)] {
        let mut harness = harness_sized(&path, settings(), size);
        let ctx = harness.ctx.clone();
        harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv.clone()));
        settle(&mut harness);
        let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
        for label in ["Import", "Check without importing", "Cancel"] {
            let rect = harness.get_by_label(label).rect();
            assert!(window.contains_rect(rect), "{label} at {rect:?} is outside the {size:?} window");
        }
    }
}

#[test]
fn snapshot_of_the_workbench_on_a_small_laptop() {
    let (_dir, path) = demo_project();
    let mut harness = harness_sized(&path, settings(), egui::vec2(1024.0, 640.0));
    select_excerpt(&mut harness, "E003");
    // The header wraps instead of vanishing: the title is there beside the list row.
    assert!(harness.get_all_by_label("E003").count() >= 2);
    harness.snapshot("workbench_1024x640");
}

#[test]
fn snapshot_of_the_workbench_on_a_large_screen() {
    let (_dir, path) = demo_project();
    let mut harness = harness_sized(&path, settings(), egui::vec2(1920.0, 1080.0));
    select_excerpt(&mut harness, "E003");
    harness.snapshot("workbench_1920x1080");
}

#[test]
fn the_frequency_chart_has_a_legend_naming_each_code_it_draws() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Frequencies");
    wait_for_jobs(&mut harness);
    let legend = harness.get_by_label("Legend");
    let legend_rect = legend.rect();
    // Every code with codings has a name inside the legend.
    let store = stored(&path);
    for count in store.code_counts().unwrap().into_iter().filter(|count| count.excerpts > 0) {
        let name = store.code(count.code_id).unwrap().name;
        let inside = harness.get_all_by_label(&name).any(|node| legend_rect.contains_rect(node.rect()));
        assert!(inside, "{name} is missing from the legend");
    }
}

#[test]
fn number_keys_stay_with_their_codes_when_the_codebook_is_reordered() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let first = stored(&path).codes().unwrap()[0].clone();
    // Move the first code (key 1) under another: it is no longer first.
    let parent = stored(&path).code_by_name("Company attitude").unwrap().unwrap().code_id;
    let ctx = harness.ctx.clone();
    let edit = quipu::gui::command::Edit::MoveCode { code_id: first.code_id, parent_id: Some(parent) };
    harness.state_mut().run_command(&ctx, AppCommand::Edit(edit));
    settle(&mut harness);
    assert_ne!(stored(&path).codes().unwrap()[0].code_id, first.code_id, "the code moved");
    select_excerpt(&mut harness, "E026");
    let excerpt_id = excerpt_by_label(&stored(&path), "E026");
    harness.key_press(Key::Num1);
    settle(&mut harness);
    let codings = stored(&path).codings_of_excerpt(excerpt_id).unwrap();
    assert!(codings.iter().any(|coding| coding.code_id == first.code_id), "key 1 still applies {}", first.name);
}

#[test]
fn a_new_code_gets_a_free_key_and_is_marked_in_the_codebook() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("New code").focus();
    settle(&mut harness);
    harness.get_by_label("New code").type_text("Mining tax");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let code = stored(&path).code_by_name("Mining tax").unwrap().expect("the code was made");
    assert_eq!(harness.state().ui.codebook.highlighted, Some(code.code_id), "the new code is marked");
    assert!(harness.state().ui.codebook.reveal.is_none(), "and was scrolled into view");
}

#[test]
fn an_empty_project_shows_how_to_bring_material_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nuevo.quipu");
    drop(Store::create(&path).unwrap());
    let mut harness = harness_for(&path, settings());
    settle(&mut harness);
    assert!(harness.query_by_label("This project has no excerpts yet").is_some());
    assert!(harness.query_by_label("No excerpt matches these filters").is_none());
    harness.get_by_label("Import CSV…").click();
    settle(&mut harness);
    // The button asks for a file (here the system dialog, off screen in tests).
    assert!(harness.state().jobs.is_busy() || harness.state().ui.dialogs.file_chooser.is_some());
}

#[test]
fn the_import_dialog_remembers_the_columns_chosen_for_a_file() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("nuevas.csv");
    std::fs::write(&csv, "Sitio,Testimonio\nCerro Nuevo,La policía cerró el camino.\n").unwrap();
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv.clone()));
    settle(&mut harness);
    harness.get_by_label("Original").click();
    settle(&mut harness);
    click_last(&mut harness, "Testimonio");
    harness.get_by_label("Check without importing").click();
    wait_for_jobs(&mut harness);
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.import.is_none());
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv));
    settle(&mut harness);
    let dialog = harness.state().ui.dialogs.import.clone().unwrap();
    assert!(dialog.mapping_remembered);
    assert_eq!(dialog.mapping.header(quipu::formats::csv_import::Field::Original), Some("Testimonio"));
}

#[test]
fn the_first_run_asks_for_a_name_and_does_not_guess_one() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, Settings::default());
    assert_eq!(harness.state().ui.dialogs.coder_prompt.as_deref(), Some(""), "the prompt starts empty");
    harness.get_by_label("Continue").click();
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.coder_prompt.is_some(), "an empty name is not accepted");
    harness.get_by_label("Your name").type_text("Rosa M.");
    settle(&mut harness);
    harness.get_by_label("Continue").click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.coder, "Rosa M.");
    assert!(harness.state().ui.dialogs.coder_prompt.is_none());
}

#[test]
fn reopening_a_project_returns_to_the_excerpt_last_read() {
    let (_dir, path) = demo_project();
    let excerpt_id = excerpt_by_label(&stored(&path), "E031");
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E031");
    let remembered = harness.state().settings.clone();
    drop(harness);
    let harness = harness_for(&path, remembered);
    assert_eq!(harness.state().ui.selected, Some(excerpt_id));
}

#[test]
fn hovering_a_cooccurrence_cell_lists_the_overlapping_passages() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Co-occurrence");
    wait_for_jobs(&mut harness);
    let table = harness.state().ui.analysis.cooccurrence.clone().expect("the table was counted");
    let (&(a, b), pair) =
        table.pairs.iter().find(|(_, pair)| pair.overlapping > 0).expect("the demo has overlapping codes");
    let name = format!("{} × {}: {}", table.codes[a].name, table.codes[b].name, pair.excerpts);
    harness.get_by_label(&name).hover();
    settle(&mut harness);
    let key = if table.codes[a].code_id <= table.codes[b].code_id {
        (table.codes[a].code_id, table.codes[b].code_id)
    } else {
        (table.codes[b].code_id, table.codes[a].code_id)
    };
    let passages = harness.state().ui.analysis.pair_passages.get(&key).cloned().expect("the passages were read");
    assert!(!passages.is_empty());
    let store = stored(&path);
    for passage in &passages {
        let excerpt = store.excerpt(passage.excerpt_id).unwrap();
        let both = [excerpt.original.unwrap_or_default(), excerpt.translation.unwrap_or_default()].join("\n");
        assert!(both.contains(&passage.text), "{passage:?} is not words of its excerpt");
    }
    // The column headers are named, not only numbered.
    assert!(harness.query_by_label(&format!("1 {}", table.codes[0].name)).is_some());
}

#[test]
fn in_the_spanish_interface_an_import_error_is_spanish_and_names_the_row_and_column() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("mala.csv");
    std::fs::write(&csv, "caso,original\nCerro Nuevo,uno\n,dos\n").unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, Settings { language: Language::Spanish, ..settings() });
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv));
    settle(&mut harness);
    harness.get_by_label("Importar").click();
    wait_for_jobs(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error);
    assert!(message.contains("mala.csv, fila 3, columna 'caso'"), "{message}");
    assert!(message.contains("el caso está vacío"), "{message}");
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn in_the_spanish_interface_a_store_refusal_is_spanish() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, Settings { language: Language::Spanish, ..settings() });
    let ctx = harness.ctx.clone();
    let trust = stored(&path).code_by_name("Trust").unwrap().unwrap().code_id;
    // Renaming a code to the name of another is refused, in Spanish.
    let edit = quipu::gui::command::Edit::RenameCode { code_id: trust, name: "Police use".to_owned() };
    harness.state_mut().run_command(&ctx, AppCommand::Edit(edit));
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error);
    assert_eq!(message, "ya existe un código llamado 'Police use'");
}

#[test]
fn the_import_check_lists_codes_met_and_new_and_a_new_one_can_be_read_as_an_existing_code() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("codigos.csv");
    std::fs::write(&csv, "caso,original,códigos\nCerro Nuevo,La policía cerró el camino.,police_use;Tema nuevo\n")
        .unwrap();
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv));
    settle(&mut harness);
    harness.get_by_label("Check without importing").click();
    wait_for_jobs(&mut harness);
    let summary = harness.state().ui.dialogs.import.as_ref().unwrap().check_summary.clone().expect("checked");
    assert_eq!(summary.matched_codes, vec![("police_use".to_owned(), "Police use".to_owned())]);
    assert_eq!(summary.new_codes, vec!["Tema nuevo".to_owned()]);
    // Read "Tema nuevo" as Trust: its drop-down, then Trust in the list it opens
    // (the one inside the dialog, not the codebook's).
    harness.get_by_label("Tema nuevo").click();
    settle(&mut harness);
    let dialog_right = harness.get_by_label("Check without importing").rect().right() + 400.0;
    let in_dialog: Vec<_> = harness
        .get_all_by_role_and_label(Role::Button, "Trust")
        .filter(|node| node.rect().right() < dialog_right && node.rect().top() > 150.0)
        .collect();
    in_dialog.last().expect("Trust in the drop-down").click();
    settle(&mut harness);
    harness.get_by_label("Import").click();
    wait_for_jobs(&mut harness);
    let store = stored(&path);
    assert!(store.code_by_name("Tema nuevo").unwrap().is_none(), "no new code was made");
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    let police = store.code_by_name("Police use").unwrap().unwrap().code_id;
    let case = store.case_by_name("Cerro Nuevo").unwrap().unwrap();
    let source = store.sources_of_case(case.case_id).unwrap()[0].source_id;
    let excerpt = store.excerpts_of_source(source).unwrap()[0].excerpt_id;
    let codes: Vec<_> = store.codings_of_excerpt(excerpt).unwrap().into_iter().map(|c| c.code_id).collect();
    assert!(codes.contains(&trust) && codes.contains(&police), "{codes:?}");
}

/// A Word transcript: paragraphs of (label, text).
fn docx_transcript(paragraphs: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write as _;
    let body: String = paragraphs
        .iter()
        .map(|(label, text)| format!("<w:p><w:r><w:t xml:space=\"preserve\">{label} {text}</w:t></w:r></w:p>"))
        .collect();
    let document = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_dropped_transcript_is_reviewed_mended_and_imported_in_one_undoable_step() {
    let (dir, path) = demo_project();
    let original = dir.path().join("rosa.docx");
    std::fs::write(
        &original,
        docx_transcript(&[
            ("E:", "¿Cuándo llegaron las camionetas de la empresa a la comunidad?"),
            ("Rosa:", "Llegaron en el paro de 2018, de noche, con policías que dormían en el campamento."),
            ("E:", "¿Quién pagaba a esos policías?"),
            ("Rosa:", "La empresa pagaba todo: la comida, la gasolina y hasta un bono por día."),
        ]),
    )
    .unwrap();
    let translation = dir.path().join("rosa-en.txt");
    std::fs::write(
        &translation,
        "I: When did the company's pickups arrive in the community?\n\
         R: They came during the 2018 strike, at night, with police officers who slept at the camp.\n\
         I: Who paid those police officers?\n\
         R: The company paid for everything: food, fuel and even a daily bonus.\n",
    )
    .unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    harness.input_mut().dropped_files.push(Arc::new(DroppedCsv(original.clone())));
    settle(&mut harness);
    assert!(harness.state().ui.dialogs.transcript.is_some(), "dropping a .docx opens the transcript dialog");
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::ImportTranscriptTranslation, translation);
    settle(&mut harness);
    let plan = harness.state().ui.dialogs.transcript.as_ref().unwrap().plan.clone().expect("the pairs are shown");
    assert_eq!(plan.excerpts.len(), 4);
    assert!(plan.excerpts.iter().all(|excerpt| excerpt.translation.is_some()), "{:?}", plan.excerpts);
    assert!(harness.query_by_label_contains("They came during the 2018 strike").is_some(), "pairs side by side");
    // Mend before importing: join the first question with its answer.
    harness.get_all_by_label("Join with next").next().unwrap().click();
    settle(&mut harness);
    let plan = harness.state().ui.dialogs.transcript.as_ref().unwrap().plan.clone().unwrap();
    assert_eq!(plan.excerpts.len(), 3);
    // Saying where it was recorded keeps the mended pairs, and reads no file again.
    std::fs::remove_file(&original).unwrap();
    harness.get_by_label("Place").focus();
    settle(&mut harness);
    harness.get_by_label("Place").type_text("Sallqamarca");
    settle(&mut harness);
    harness.key_press(Key::Tab);
    settle(&mut harness);
    let dialog = harness.state().ui.dialogs.transcript.as_ref().unwrap();
    let plan = dialog.plan.clone().unwrap();
    assert_eq!((plan.excerpts.len(), plan.source.place.as_str()), (3, "Sallqamarca"), "{:?}", dialog.error);
    harness.get_by_label("Import").click();
    settle(&mut harness);
    wait_for_jobs(&mut harness);
    assert!(harness.state().ui.dialogs.transcript.is_none(), "{:?}", harness.state().ui.message);
    let store = stored(&path);
    let source = store.sources().unwrap().into_iter().find(|source| source.name == "rosa").expect("the new source");
    let excerpts = store.excerpts_of_source(source.source_id).unwrap();
    assert_eq!(excerpts.len(), 3);
    assert!(excerpts[0].original.as_deref().unwrap().contains("\n\nLlegaron en el paro"));
    assert_eq!(excerpts[1].speaker, "E");
    assert!(excerpts[1].interviewer);
    assert_eq!(source.place, "Sallqamarca");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "one undo takes the transcript back");
}

#[test]
fn excerpts_are_made_split_and_joined_in_the_window_and_undone() {
    let (_dir, path) = demo_project();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    let excerpts_before = stored(&path).excerpt_count().unwrap();
    // New excerpts pasted into the source being read, cut into turns.
    select_excerpt(&mut harness, "E003");
    harness.get_by_label("New").click();
    settle(&mut harness);
    click_last(&mut harness, "New excerpts (type or paste)…");
    harness.get_by_label("Cut into speaker turns (a pasted transcript)").click();
    settle(&mut harness);
    harness.get_by_label("Original").focus();
    harness.get_by_label("Original").type_text("E: ¿Y después?\nRosa: Nos reunimos en asamblea.\n");
    settle(&mut harness);
    assert!(harness.query_by_label("2 excerpts will be added").is_some());
    click_last(&mut harness, "Add");
    let store = stored(&path);
    assert_eq!(store.excerpt_count().unwrap(), excerpts_before + 2);
    let made = store.excerpt(harness.state().ui.selected.unwrap()).unwrap();
    assert_eq!((made.speaker.as_str(), made.original.as_deref()), ("E", Some("¿Y después?")));

    // Split E003 at the start of its second sentence, where the cursor stands.
    let e003 = excerpt_by_label(&stored(&path), "E003");
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::Open(e003));
    settle(&mut harness);
    let original = stored(&path).excerpt(e003).unwrap().original.unwrap();
    let at = original[..original.find("Los policías").unwrap()].chars().count();
    harness.state_mut().ui.reader.cursor = Some((e003, Side::Original, at));
    harness.get_by_label("Excerpt").click();
    settle(&mut harness);
    click_last(&mut harness, "Split at the cursor");
    let store = stored(&path);
    assert_eq!(store.excerpt_count().unwrap(), excerpts_before + 3);
    assert!(store.excerpt(e003).unwrap().original.unwrap().ends_with("de la mina."), "{:?}", store.excerpt(e003));
    let second = harness.state().ui.selected.unwrap();
    assert!(store.excerpt(second).unwrap().original.unwrap().starts_with("Los policías"));

    // Join them back from the first part.
    harness.state_mut().run_command(&ctx, AppCommand::Select(Some(e003)));
    settle(&mut harness);
    harness.get_by_label("Excerpt").click();
    settle(&mut harness);
    click_last(&mut harness, "Join with the next excerpt");
    assert_eq!(stored(&path).excerpt_count().unwrap(), excerpts_before + 2);

    for _ in 0..3 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        settle(&mut harness);
    }
    assert_eq!(stored(&path).dump().unwrap(), before, "three undos take back join, split and the new excerpts");
}

/// A short interview and its translation, written beside the project.
fn interview_files(dir: &Path) -> (PathBuf, PathBuf) {
    let original = dir.join("rosa.docx");
    std::fs::write(
        &original,
        docx_transcript(&[
            ("[00:00:12] E:", "¿Cuándo llegaron las camionetas de la empresa a la comunidad?"),
            ("Rosa:", "Llegaron en el paro de 2018, de noche, con policías que dormían en el campamento."),
            ("E:", "¿Quién pagaba a esos policías?"),
            ("Rosa:", "La empresa pagaba todo: la comida, la gasolina y hasta un bono por día."),
        ]),
    )
    .unwrap();
    let translation = dir.join("rosa-en.txt");
    std::fs::write(
        &translation,
        "I: When did the company's pickups arrive in the community?\n\
         R: They came during the 2018 strike, at night, with police officers who slept at the camp.\n\
         R: The company paid for everything: food, fuel and even a daily bonus.\n",
    )
    .unwrap();
    (original, translation)
}

#[test]
fn snapshot_of_the_transcript_review() {
    let (dir, path) = demo_project();
    let (original, translation) = interview_files(dir.path());
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartTranscript(original));
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::ImportTranscriptTranslation, translation);
    settle(&mut harness);
    let plan = harness.state().ui.dialogs.transcript.as_ref().unwrap().plan.clone().unwrap();
    assert!(plan.excerpts.iter().any(|excerpt| excerpt.uncertain), "the untranslated question is flagged");
    harness.snapshot("transcript_review");
}

#[test]
fn importing_the_same_transcript_into_the_same_source_asks_first() {
    let (dir, path) = demo_project();
    let (original, _) = interview_files(dir.path());
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    for round in 0..2 {
        harness.state_mut().run_command(&ctx, AppCommand::StartTranscript(original.clone()));
        settle(&mut harness);
        harness.get_by_label("Import").click();
        settle(&mut harness);
        wait_for_jobs(&mut harness);
        if round == 0 {
            assert!(harness.state().ui.dialogs.transcript.is_none(), "{:?}", harness.state().ui.message);
        }
    }
    let before = stored(&path).dump().unwrap();
    let question = harness.state().ui.dialogs.transcript.as_ref().unwrap().already_imported.clone();
    let question = question.expect("the second import asks first");
    assert!(question.contains("rosa.docx") && question.contains("'rosa'"), "{question}");
    assert_eq!(stored(&path).dump().unwrap(), before, "nothing was imported twice without asking");
    harness.get_by_label("Import it again").click();
    settle(&mut harness);
    wait_for_jobs(&mut harness);
    let store = stored(&path);
    let source = store.sources().unwrap().into_iter().find(|source| source.name == "rosa").unwrap();
    assert_eq!(store.excerpts_of_source(source.source_id).unwrap().len(), 8, "imported again when asked");
}

#[test]
fn recoding_from_the_codings_list_moves_the_coding_to_another_code_and_undoes() {
    let (_dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    select_excerpt(&mut harness, "E024");
    let excerpt_id = excerpt_by_label(&stored(&path), "E024");
    let before = stored(&path).dump().unwrap();
    let store = stored(&path);
    let first = store.codings_of_excerpt(excerpt_id).unwrap()[0].clone();
    let on_excerpt: Vec<_> = store.codings_of_excerpt(excerpt_id).unwrap().iter().map(|c| c.code_id).collect();
    let target = store.codes().unwrap().into_iter().find(|code| !on_excerpt.contains(&code.code_id)).unwrap();
    harness.get_all_by_role_and_label(Role::Button, "Re-code as").next().expect("the codings list").click();
    settle(&mut harness);
    click_last(&mut harness, &target.name);
    let moved = stored(&path).codings_of_excerpt(excerpt_id).unwrap();
    let recoded = moved.iter().find(|coding| coding.coding_id == first.coding_id).expect("the same coding");
    assert_eq!(recoded.code_id, target.code_id, "{:?}", harness.state().ui.message);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before);
}

/// Gives the demo project a second coder, "Luis", who applied most of the
/// first coder's codes to the same excerpts (whole), missed some and added
/// others: something for the agreement view to measure.
fn with_second_coder(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let luis = store.ensure_coder("Luis").unwrap();
    let codes: Vec<_> = store.codes().unwrap().into_iter().map(|code| code.code_id).collect();
    for (index, excerpt_id) in store.excerpt_ids().unwrap().into_iter().enumerate() {
        let first: Vec<_> = store.codings_of_excerpt(excerpt_id).unwrap().into_iter().map(|c| c.code_id).collect();
        for (n, code_id) in first.iter().enumerate() {
            if (index + n) % 5 != 0 {
                store.add_coding(excerpt_id, *code_id, luis, CodingAnchor::Whole).unwrap();
            }
        }
        if index % 6 == 0 {
            store.add_coding(excerpt_id, codes[index % codes.len()], luis, CodingAnchor::Whole).unwrap();
        }
    }
}

#[test]
fn the_agreement_tab_measures_the_coders_and_settling_a_disagreement_is_undone() {
    let (_dir, path) = demo_project();
    with_second_coder(&path);
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Agreement");
    let store = stored(&path);
    let coders: Vec<_> = store.coders().unwrap().into_iter().map(|coder| coder.coder_id).collect();
    assert_eq!(coders.len(), 2);
    let expected =
        quipu::analysis::agreement::agreement(&store, &coders, quipu::analysis::agreement::Level::Excerpt, &[])
            .unwrap();
    let (compared, table) = harness.state().ui.analysis.agreement.table.clone().expect("the table was computed");
    assert_eq!(compared.len(), 2, "every coder is compared at first");
    assert_eq!(table.codes, expected.codes);
    assert_eq!(table.overall, expected.overall);
    // The kappa of Trust is on screen as the table computed it.
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    let trust_figures = &expected.codes.iter().find(|(id, _, _)| *id == trust).unwrap().2;
    let kappa = format!("{:.3}", trust_figures.kappa.unwrap());
    assert!(harness.query_all_by_label(&kappa).next().is_some(), "kappa {kappa} shown");

    // Sorting by kappa puts the lowest last.
    click_last(&mut harness, "Kappa");
    assert_eq!(harness.state().ui.analysis.agreement.sort.0, quipu::gui::workspace::AgreementSort::Kappa);

    // Trust's disagreements are listed; the first opens side by side.
    click_last(&mut harness, "Trust");
    let disagreeing = expected.disagreements[&trust].clone();
    assert!(!disagreeing.is_empty());
    let first = disagreeing[0];
    let label = store.excerpt(first).unwrap().label;
    harness.get_all_by_label_contains(&label).last().unwrap().click();
    settle(&mut harness);
    let compared = harness.state().ui.analysis.agreement.compared.clone().expect("opened");
    assert_eq!((compared.excerpt.excerpt_id, compared.code_id), (first, trust));
    let before = stored(&path).dump().unwrap();

    // Keeping one coder's version gives the other the same passages.
    let keeper = compared.codings[0].coder_id;
    let keeper_name = store.coders().unwrap().into_iter().find(|c| c.coder_id == keeper).unwrap().name;
    click_last(&mut harness, &format!("Keep {keeper_name}'s"));
    wait_for_jobs(&mut harness);
    let after = stored(&path);
    let trust_codings: Vec<_> =
        after.codings_of_excerpt(first).unwrap().into_iter().filter(|c| c.code_id == trust).collect();
    for coder in &coders {
        let anchors: Vec<_> = trust_codings.iter().filter(|c| c.coder_id == *coder).map(|c| c.anchor).collect();
        assert!(!anchors.is_empty(), "every coder holds the kept version");
    }
    let table = harness.state().ui.analysis.agreement.table.clone().unwrap().1;
    assert!(!table.disagreements[&trust].contains(&first), "settled: no longer listed");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "undo takes the settlement back");
}

#[test]
fn a_coders_copy_merged_from_the_file_menu_lists_conflicts_to_settle_and_undoes_in_one_step() {
    let (dir, path) = demo_project();
    let copy = dir.path().join("luis.quipu");
    stored(&path)
        .save_copy_with(&copy, quipu::store::CopyOptions { without_codings: true, without_memos: false })
        .unwrap();
    {
        let mut theirs = Store::open(&copy).unwrap();
        let luis = theirs.ensure_coder("Luis").unwrap();
        let trust = theirs.code_by_name("Trust").unwrap().unwrap().code_id;
        for label in ["E001", "E002", "E010"] {
            theirs.add_coding(excerpt_by_label(&theirs, label), trust, luis, CodingAnchor::Whole).unwrap();
        }
        let e003 = excerpt_by_label(&theirs, "E003");
        theirs.set_memo(quipu::model::MemoTarget::Excerpt(e003), "memo de Luis").unwrap();
    }
    let before = stored(&path).dump().unwrap();
    let e003 = excerpt_by_label(&stored(&path), "E003");
    let our_memo = stored(&path).memo(quipu::model::MemoTarget::Excerpt(e003)).unwrap();
    let mut harness = harness_for(&path, settings());
    harness.state().jobs.deliver_pick(quipu::gui::jobs::PickPurpose::MergeCopy, copy.clone());
    settle(&mut harness);
    wait_for_jobs(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(!is_error && message.contains("3 codings"), "{message}");
    assert!(harness.query_by_label_contains("excerpt 'E003', memo").is_some(), "the conflict is listed");
    assert_eq!(stored(&path).memo(quipu::model::MemoTarget::Excerpt(e003)).unwrap(), our_memo, "not overwritten");
    let merged = stored(&path).dump().unwrap();
    assert_ne!(merged, before);

    click_last(&mut harness, "Take the copy's");
    settle(&mut harness);
    assert_eq!(stored(&path).memo(quipu::model::MemoTarget::Excerpt(e003)).unwrap(), "memo de Luis");
    assert!(harness.query_by_label("taken from the copy").is_some());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), merged, "the first undo takes back the settlement");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "the second, the whole merge");
}

#[test]
fn snapshot_of_the_agreement_tab() {
    let (_dir, path) = demo_project();
    with_second_coder(&path);
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Agreement");
    click_last(&mut harness, "Police use");
    let police = stored(&path).code_by_name("Police use").unwrap().unwrap().code_id;
    let table = harness.state().ui.analysis.agreement.table.clone().unwrap().1;
    let first = table.disagreements[&police][0];
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::CompareDisagreement { excerpt_id: first, code_id: police });
    settle(&mut harness);
    harness.snapshot("agreement");
}

#[test]
fn a_project_opened_read_only_shows_it_and_refuses_edits_with_the_reason() {
    let (_dir, path) = demo_project();
    let before = stored(&path).dump().unwrap();
    let app = QuipuApp::with_store(Store::open_read_only(&path).unwrap(), settings());
    let mut harness =
        Harness::builder().with_size(egui::vec2(1400.0, 880.0)).with_max_steps(12).build_eframe(move |_cc| app);
    harness.run_ok();
    settle(&mut harness);
    assert!(harness.query_by_label("Read-only").is_some(), "the status bar says so");
    select_excerpt(&mut harness, "E003");
    harness.key_press(Key::Num1);
    settle(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(is_error && message.contains("read-only: editing is off"), "{message}");
    assert_eq!(stored(&path).dump().unwrap(), before);
}

#[test]
fn a_cooccurrence_of_many_codes_draws_the_most_used_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("muchos.quipu");
    {
        let mut store = Store::create(&path).unwrap();
        let case = store.add_case("Caso", "").unwrap();
        let source =
            store.add_source(case, &quipu::model::SourceDraft { name: "Fuente".into(), ..Default::default() }).unwrap();
        let excerpt = store
            .add_excerpt(
                source,
                &quipu::model::ExcerptDraft { original: Some("Todo a la vez.".into()), ..Default::default() },
            )
            .unwrap();
        let coder = store.ensure_coder("Ana").unwrap();
        for n in 0..120 {
            let draft = quipu::model::CodeDraft {
                name: format!("Tema {n:03}"),
                description: String::new(),
                color: None,
                parent_id: None,
            };
            let code = store.add_code(&draft).unwrap();
            store.add_coding(excerpt, code, coder, CodingAnchor::Whole).unwrap();
        }
    }
    let mut harness = harness_for(&path, settings());
    open_tab(&mut harness, "Co-occurrence");
    assert!(harness.query_by_label_contains("Showing the 40 codes in the most excerpts of the 120").is_some());
    let cells = harness.query_all_by_label_contains(" × Tema").count();
    assert_eq!(cells, 40 * 39, "40 codes drawn, each against the 39 others");
}

#[test]
fn a_speakers_testimony_is_removed_from_the_edit_menu_after_its_counts_and_undone() {
    let (_dir, path) = demo_project();
    let before = stored(&path).dump().unwrap();
    let speaker = "Teófilo Ccahuana Huillca";
    let expected = stored(&path).speaker_removal(speaker).unwrap();
    let mut harness = harness_for(&path, settings());
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    click_last(&mut harness, "Remove a speaker's testimony…");
    assert_eq!(harness.state().ui.dialogs.remove_speaker.as_deref(), Some(""), "the chooser opened");
    harness.state_mut().ui.dialogs.remove_speaker = Some(speaker.to_owned());
    settle(&mut harness);
    click_last(&mut harness, "Continue");
    let question = format!(
        "Remove everything {speaker} said: {} sources, {} excerpts, {} codings and {} memos?",
        expected.sources, expected.excerpts, expected.codings, expected.memos
    );
    assert!(harness.query_by_label_contains(&question).is_some(), "the counts are asked about");
    click_last(&mut harness, "Remove");
    assert_eq!(stored(&path).excerpt_count().unwrap(), 60 - expected.excerpts);
    assert!(stored(&path).speakers().unwrap().iter().all(|name| name != speaker));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored(&path).dump().unwrap(), before, "undo brings it all back until the project is closed");
}

#[test]
fn checking_a_csv_with_short_rows_says_how_many_and_which_first() {
    let (dir, path) = demo_project();
    let csv = dir.path().join("corta.csv");
    std::fs::write(&csv, "case,source,original,memo\nC1,S1,uno,nota\nC1,S1,dos\nC1,S1,tres\n").unwrap();
    let before = stored(&path).dump().unwrap();
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::StartImport(csv));
    settle(&mut harness);
    harness.state_mut().run_command(&ctx, AppCommand::RunImport { dry_run: true });
    wait_for_jobs(&mut harness);
    let checked = harness.state().ui.dialogs.import.as_ref().and_then(|d| d.checked.clone()).unwrap();
    assert!(checked.contains("2 rows had fewer cells than the header (first: row 3)"), "{checked}");
    assert_eq!(stored(&path).dump().unwrap(), before, "a check writes nothing");
}

#[test]
fn a_project_is_encrypted_from_the_file_menu_and_opens_again_only_with_its_passphrase() {
    use quipu::gui::state::PassphrasePurpose;
    let (dir, path) = demo_project();
    let mut harness = harness_for(&path, settings());
    let ctx = harness.ctx.clone();
    harness.get_by_label("File").click();
    settle(&mut harness);
    click_last(&mut harness, "Encrypt this project…");
    let dialog = harness.state().ui.dialogs.passphrase.clone().expect("the passphrase prompt opened");
    assert_eq!(dialog.purpose, PassphrasePurpose::Encrypt);
    // Two different passphrases are refused; two equal ones encrypt.
    let set = |harness: &mut Harness<'_, QuipuApp>, text: &str, again: &str| {
        let dialog = harness.state_mut().ui.dialogs.passphrase.as_mut().unwrap();
        dialog.text = text.to_owned();
        dialog.again = again.to_owned();
    };
    set(&mut harness, "la frase de campo", "la frase del campo");
    harness.state_mut().run_command(&ctx, AppCommand::SubmitPassphrase);
    settle(&mut harness);
    let error = harness.state().ui.dialogs.passphrase.as_ref().and_then(|d| d.error.clone()).unwrap();
    assert!(error.contains("differ"), "{error}");
    assert!(!quipu::store::looks_encrypted(&path));
    set(&mut harness, "la frase de campo", "la frase de campo");
    harness.state_mut().run_command(&ctx, AppCommand::SubmitPassphrase);
    wait_for_jobs(&mut harness);
    assert!(quipu::store::looks_encrypted(&path), "the file is encrypted");
    assert!(harness.state().session.as_ref().unwrap().view.encrypted, "and open again");
    let before = stored(&path).dump().unwrap();
    drop(harness);

    // Opened anew (the passphrase forgotten, as in a new run), it asks for it.
    quipu::store::forget_passphrase(&path);
    let other = dir.path().join("otro.quipu");
    quipu::demo::write_demo(&other).unwrap();
    let mut harness = harness_for(&other, settings());
    let ctx = harness.ctx.clone();
    harness.state_mut().run_command(&ctx, AppCommand::OpenProject(path.clone()));
    settle(&mut harness);
    assert!(harness.query_by_label_contains("demo.quipu is encrypted").is_some(), "the prompt says why");
    set(&mut harness, "no es la frase", "");
    harness.state_mut().run_command(&ctx, AppCommand::SubmitPassphrase);
    settle(&mut harness);
    let error = harness.state().ui.dialogs.passphrase.as_ref().and_then(|d| d.error.clone()).unwrap();
    assert!(error.contains("does not open this project"), "{error}");
    set(&mut harness, "la frase de campo", "");
    harness.state_mut().run_command(&ctx, AppCommand::SubmitPassphrase);
    settle(&mut harness);
    let session = harness.state().session.as_ref().unwrap();
    assert_eq!(session.store.path(), Some(path.as_path()));
    assert_eq!(session.store.dump().unwrap(), before);

    // A job lent the window's store leaves a stand-in that opens the
    // encrypted file with the passphrase given.
    select_excerpt(&mut harness, "E026");
    harness.key_press(Key::Num3);
    settle(&mut harness);
    assert_ne!(harness.state().session.as_ref().unwrap().store.dump().unwrap(), before);
    harness.state_mut().jobs.background_replay_rows = 0;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    wait_for_jobs(&mut harness);
    let (message, is_error) = harness.state().ui.message.clone().unwrap();
    assert!(!is_error && message.starts_with("Undone"), "{message}");
    assert_eq!(harness.state().session.as_ref().unwrap().store.dump().unwrap(), before);
}
