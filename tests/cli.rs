//! The command line run as a process: import, freq, search, export, and the
//! promise that a failed command leaves the project as it was.

mod util;

use std::collections::BTreeMap;

use quipu::model::{CodingAnchor, MemoTarget, Side};

use util::{TestProject, arg, dump, part_files, quipu, quipu_err, quipu_ok};

/// One spreadsheet row of the import fixture.
struct Row {
    case: &'static str,
    speaker: &'static str,
    original: &'static str,
    translation: &'static str,
    codes: &'static [&'static str],
}

const ROWS: &[Row] = &[
    Row {
        case: "Cerro Alto",
        speaker: "Rosa Ñahui",
        original: "La policía llegó con la empresa, dijo: \"aquí mandamos nosotros\".",
        translation: "The police came with the company, saying: \"we give the orders here\".",
        codes: &["Police use", "Power inequality"],
    },
    Row {
        case: "Cerro Alto",
        speaker: "Rosa Ñahui",
        original: "Primero secaron el puquio.\nDespués los niños se enfermaron.",
        translation: "First they dried up the spring.\nThen the children fell ill.",
        codes: &["Environment and water"],
    },
    Row {
        case: "Cerro Alto",
        speaker: "Julián Pérez",
        original: "¿Y el Estado? Nunca vino, señor.",
        translation: "",
        codes: &["State absence", "Police use"],
    },
    Row {
        case: "Qori Wayra",
        speaker: "Ana Huamán",
        original: "Los acuerdos de la mesa de diálogo, nadie los cumple; ni la municipalidad.",
        translation: "Nobody keeps the agreements of the dialogue table, not even the municipality.",
        codes: &["Follow-up of agreements", "Local government", "follow-up of agreements"],
    },
    Row {
        case: "Qori Wayra",
        speaker: "Ana Huamán",
        original: "Aquí el agua es vida, sin agua no hay nada.",
        translation: "Here water is life, without water there is nothing.",
        codes: &["Environment and water", "Trust"],
    },
    Row {
        case: "Qori Wayra",
        speaker: "Pedro Quispe",
        original: "No tengo nada que decir.",
        translation: "I have nothing to say.",
        codes: &[],
    },
];

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// The fixture as a spreadsheet would save it: BOM, CRLF rows, Spanish headers.
fn fixture_csv() -> Vec<u8> {
    let mut text = String::from("\u{feff}id,Caso,Hablante,Texto original,Traducción,Códigos\r\n");
    for (index, row) in ROWS.iter().enumerate() {
        let cells = [
            format!("Q{}", index + 1),
            csv_cell(row.case),
            csv_cell(row.speaker),
            csv_cell(&row.original.replace('\n', "\r\n")),
            csv_cell(&row.translation.replace('\n', "\r\n")),
            csv_cell(&row.codes.join("; ")),
        ];
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// Excerpt counts per case and code, computed from the fixture rows themselves.
/// Code names match ignoring case, as the importer promises.
fn expected_counts() -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in ROWS {
        let mut seen: Vec<String> = Vec::new();
        for code in row.codes {
            let canonical = ROWS
                .iter()
                .flat_map(|r| r.codes.iter())
                .find(|c| c.eq_ignore_ascii_case(code))
                .map(|c| c.to_string())
                .unwrap_or_default();
            if !seen.contains(&canonical) {
                seen.push(canonical.clone());
                *counts.entry(row.case.to_owned()).or_default().entry(canonical).or_default() += 1;
            }
        }
    }
    counts
}

fn new_project(dir: &std::path::Path, codebook: bool) -> std::path::PathBuf {
    let project = dir.join("field.quipu");
    let mut args = vec!["new", arg(&project)];
    if !codebook {
        args.push("--empty-codebook");
    }
    quipu_ok(&args);
    project
}

#[test]
fn importing_a_spreadsheet_with_accents_quotes_newlines_and_bom_gives_the_expected_frequencies() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), false);
    let csv_path = dir.path().join("excerpts.csv");
    std::fs::write(&csv_path, fixture_csv()).unwrap();

    let report = quipu_ok(&["import", "csv", arg(&project), arg(&csv_path), "--coder", "Lucía"]);
    assert!(report.contains(&format!("Imported {} excerpts", ROWS.len())), "{report}");
    assert!(report.contains("line endings converted to LF"), "{report}");

    let json: serde_json::Value =
        serde_json::from_str(&quipu_ok(&["freq", arg(&project), "--by", "case", "--json"])).unwrap();
    assert_eq!(json["by"], "case");
    let counts: BTreeMap<String, BTreeMap<String, u64>> = serde_json::from_value(json["counts"].clone()).unwrap();
    assert_eq!(counts, expected_counts());

    // Texts arrive intact: quotes inside quotes, LF line breaks, no BOM in the first header.
    let search = quipu_ok(&["search", arg(&project), "\"aquí mandamos\"", "--json"]);
    let hits: serde_json::Value = serde_json::from_str(&search).unwrap();
    assert_eq!(hits["total"], 1);
    let store = quipu::store::Store::open(&project).unwrap();
    let ids = store.excerpt_ids().unwrap();
    let texts: Vec<String> = ids.iter().filter_map(|id| store.excerpt(*id).unwrap().original).collect();
    assert!(texts.contains(&ROWS[0].original.to_owned()));
    assert!(texts.contains(&ROWS[1].original.to_owned()), "CRLF inside a cell became LF");
    let missing = ids
        .iter()
        .map(|id| store.excerpt(*id).unwrap())
        .find(|excerpt| excerpt.original.as_deref() == Some(ROWS[2].original))
        .unwrap();
    assert_eq!(missing.translation, None);
    assert_eq!(missing.translation_status, quipu::model::TranslationStatus::Missing);
}

#[test]
fn freq_by_speaker_and_csv_output_agree_with_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    let csv_path = dir.path().join("excerpts.csv");
    std::fs::write(&csv_path, fixture_csv()).unwrap();
    quipu_ok(&["import", "csv", arg(&project), arg(&csv_path)]);
    let json: serde_json::Value =
        serde_json::from_str(&quipu_ok(&["freq", arg(&project), "--by", "speaker", "--json"])).unwrap();
    let rosa_police =
        ROWS.iter().filter(|row| row.speaker == "Rosa Ñahui" && row.codes.contains(&"Police use")).count();
    assert_eq!(json["counts"]["Rosa Ñahui"]["Police use"], rosa_police as u64);
    assert!(json["counts"].get("Pedro Quispe").is_none(), "a speaker with no codes is left out");

    let csv = quipu_ok(&["freq", arg(&project), "--csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("case,code,excerpts,codings,share,speakers,group_excerpts"));
    let cerro_alto: Vec<&Row> = ROWS.iter().filter(|row| row.case == "Cerro Alto").collect();
    let police: Vec<&&Row> = cerro_alto.iter().filter(|row| row.codes.contains(&"Police use")).collect();
    let speakers: std::collections::BTreeSet<&str> = police.iter().map(|row| row.speaker).collect();
    let expected = format!(
        "Cerro Alto,Police use,{},{},{:.4},{},{}",
        police.len(),
        police.len(),
        police.len() as f64 / cerro_alto.len() as f64,
        speakers.len(),
        cerro_alto.len()
    );
    assert!(lines.any(|line| line == expected), "{expected} not in\n{csv}");
}

#[test]
fn a_dry_run_reports_but_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    let csv_path = dir.path().join("excerpts.csv");
    std::fs::write(&csv_path, fixture_csv()).unwrap();
    let before = dump(&project);
    let report = quipu_ok(&["import", "csv", arg(&project), arg(&csv_path), "--dry-run"]);
    assert!(report.contains(&format!("Would import {} excerpts", ROWS.len())), "{report}");
    assert!(report.contains("2 new cases (Cerro Alto, Qori Wayra)"), "{report}");
    assert!(report.contains("Dry run: nothing was written."), "{report}");
    assert_eq!(dump(&project), before);
}

/// Runs a failing import and checks the message and that the project is unchanged.
fn assert_import_fails(csv: &[u8], extra_args: &[&str], expected_message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    // Some content first, so "unchanged" means something.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, fixture_csv()).unwrap();
    quipu_ok(&["import", "csv", arg(&project), arg(&good)]);
    let before = dump(&project);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, csv).unwrap();
    let mut args = vec!["import", "csv", arg(&project), arg(&bad)];
    args.extend_from_slice(extra_args);
    let stderr = quipu_err(&args);
    assert!(stderr.contains(expected_message), "expected {expected_message:?} in: {stderr}");
    assert!(stderr.contains("bad.csv"), "the message names the file: {stderr}");
    assert_eq!(dump(&project), before, "the project changed after a failed import");
}

#[test]
fn a_row_without_text_is_refused_naming_the_row_and_nothing_is_imported() {
    let csv = "caso,original,traducción,códigos\n\
               Cerro Alto,Hay agua,There is water,Trust\n\
               Cerro Alto,,,Trust\n";
    assert_import_fails(csv.as_bytes(), &[], "row 3: the excerpt has no text");
}

#[test]
fn a_bad_row_deep_in_a_large_file_is_refused_and_the_rows_read_before_it_are_not_kept() {
    // Rows go into the project as they are read; a large file (past the
    // large-import settings' threshold) whose last row is bad must still leave
    // the project as it was, and a dry run of the good part must write nothing.
    let mut good_rows = String::from("caso,original,traducción,códigos\n");
    for n in 0..6_000 {
        good_rows.push_str(&format!(
            "Cerro Alto,\"Hay agua en el río, dice la fila {n}, y la comunidad lo sabe\",There is water {n},Trust\n"
        ));
    }
    assert!(good_rows.len() > 256 * 1024, "large enough for the large-import settings");
    let mut csv = good_rows.clone();
    csv.push_str("Cerro Alto,uno,one,Trust,sobra\n");
    assert_import_fails(csv.as_bytes(), &[], "row 6002: the row has 5 cells but the header names 4 columns");

    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    let path = dir.path().join("grande.csv");
    std::fs::write(&path, &good_rows).unwrap();
    let before = dump(&project);
    let report = quipu_ok(&["import", "csv", arg(&project), arg(&path), "--dry-run"]);
    assert!(report.contains("Would import 6000 excerpts"), "{report}");
    assert_eq!(dump(&project), before, "a dry run writes nothing");
    let report = quipu_ok(&["import", "csv", arg(&project), arg(&path)]);
    assert!(report.contains("Imported 6000 excerpts") && report.contains("6000 codings"), "{report}");
}

#[test]
fn an_empty_case_is_refused_naming_the_row_and_column() {
    let csv = "caso,original\nCerro Alto,uno\nCerro Alto,dos\n,tres\n";
    assert_import_fails(csv.as_bytes(), &[], "row 4, column 'caso': the case is empty");
}

#[test]
fn an_unknown_column_in_map_is_refused_listing_the_columns() {
    let csv = "caso,testimonio\nCerro Alto,uno\n";
    assert_import_fails(
        csv.as_bytes(),
        &["--map", "original=Texto"],
        "the file has no column 'Texto'; its columns are: caso, testimonio",
    );
}

#[test]
fn an_unknown_field_in_map_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    let csv_path = dir.path().join("x.csv");
    std::fs::write(&csv_path, "caso,original\nA,b\n").unwrap();
    let stderr = quipu_err(&["import", "csv", arg(&project), arg(&csv_path), "--map", "colour=original"]);
    assert!(stderr.contains("unknown field 'colour'"), "{stderr}");
}

#[test]
fn an_unclosed_quote_is_refused_naming_its_row_rather_than_swallowing_the_file() {
    let csv = "caso,original\nCerro Alto,uno\nCerro Alto,\"dos\nCerro Alto,tres\nCerro Alto,cuatro\n";
    assert_import_fails(csv.as_bytes(), &[], "row 3: a quoted cell opens here and is never closed");
}

#[test]
fn text_glued_after_a_closing_quote_is_refused_naming_its_row() {
    // A lenient reader would import "abcdef"; quoted quotes ("") stay fine.
    let csv = "caso,original\nCerro Alto,\"dijo \"\"basta\"\"\"\nCerro Alto,\"abc\"def\n";
    assert_import_fails(csv.as_bytes(), &[], "row 3: a cell has text after its closing quote");
}

#[test]
fn a_nul_byte_or_a_repeated_header_is_refused_naming_where() {
    let csv = b"caso,original\nCerro Alto,bien\nCerro Alto,ma\0l\n";
    assert_import_fails(csv, &[], "row 3, column 'original': the cell holds a NUL character");
    let csv = "caso,original,Caso\nCerro Alto,uno,Qori Wayra\n";
    assert_import_fails(csv.as_bytes(), &[], "row 1, column 'Caso': two columns are named 'Caso'");
}

#[test]
fn a_short_row_is_read_with_empty_last_cells_and_the_dry_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), true);
    let csv = dir.path().join("corto.csv");
    std::fs::write(&csv, "caso,original,traducción,códigos\nCerro Alto,uno,one,Trust\nCerro Alto,dos\n").unwrap();
    let report = quipu_ok(&["import", "csv", arg(&project), arg(&csv), "--dry-run"]);
    assert!(report.contains("1 row had fewer cells than the header (first: row 3)"), "{report}");
    assert!(report.contains("2 excerpts"), "{report}");
    // A short row that leaves out a required cell is refused as an empty one is.
    assert_import_fails(b"original,caso\nuno,Cerro Alto\ndos\n", &[], "row 3, column 'caso': the case is empty");
}

#[test]
fn invalid_utf8_is_refused_naming_the_row_and_column() {
    let mut csv = b"caso,original\nCerro Alto,bien\nCerro Alto,".to_vec();
    csv.extend_from_slice(b"polic\xeda"); // "policía" in Latin-1
    csv.extend_from_slice(b"\n");
    assert_import_fails(&csv, &[], "row 3, column 'original': the cell is not valid UTF-8");
}

#[test]
fn a_bad_date_is_refused_with_the_formats_accepted() {
    let csv = "caso,fecha,original\nCerro Alto,2021-03,uno\nCerro Alto,14/03/2021,dos\n";
    assert_import_fails(csv.as_bytes(), &[], "row 3, column 'fecha': the date '14/03/2021' is not written as yyyy");
}

#[test]
fn a_file_without_text_columns_is_refused() {
    let csv = "caso,hablante\nCerro Alto,Rosa\n";
    assert_import_fails(csv.as_bytes(), &[], "no column holds the excerpt text");
}

#[test]
fn map_and_codes_separator_pick_columns_and_split_codes() {
    let dir = tempfile::tempdir().unwrap();
    let project = new_project(dir.path(), false);
    let csv_path = dir.path().join("x.csv");
    std::fs::write(
        &csv_path,
        "Sitio minero,Testimonio,Temas\nCerro Alto,El agua se fue,Agua|Confianza\nCerro Alto,Nadie vino,Agua\n",
    )
    .unwrap();
    let report = quipu_ok(&[
        "import",
        "csv",
        arg(&project),
        arg(&csv_path),
        "--map",
        "case=Sitio minero",
        "--map",
        "original=testimonio",
        "--map",
        "codes=3",
        "--codes-separator",
        "|",
    ]);
    assert!(report.contains("2 new codes (Agua, Confianza)"), "{report}");
    let json: serde_json::Value = serde_json::from_str(&quipu_ok(&["freq", arg(&project), "--json"])).unwrap();
    assert_eq!(json["counts"]["Cerro Alto"]["Agua"], 2);
    assert_eq!(json["counts"]["Cerro Alto"]["Confianza"], 1);
}

#[test]
fn search_ignores_accents_and_case_and_any_text_is_safe() {
    let fixture = TestProject::new()
        .case("Cerro Alto")
        .source("Entrevista 1")
        .excerpt_es_en("La policía nos sacó a golpes.", "The police beat us out.")
        .excerpt_es_en("Los niños ya no juegan en el río.", "The children no longer play in the river.")
        .excerpt(Some("Sin traducción: el alcalde no vino."), None);
    let project = arg(&fixture.path);

    let hits = |query: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["search", project, "--json"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--", query]);
        serde_json::from_str(&quipu_ok(&args)).unwrap()
    };
    assert_eq!(hits("policia", &[])["total"], 1, "no accent finds the accented word");
    assert_eq!(hits("POLICÍA", &[])["total"], 1);
    assert_eq!(hits("NIÑOS", &[])["total"], 1, "upper case finds lower case");
    assert_eq!(hits("ninos", &[])["total"], 1);
    assert_eq!(hits("children", &[])["total"], 1, "the translation is searched too");
    assert_eq!(hits("children", &["--lang", "es"])["total"], 0, "--lang es leaves English out");
    assert_eq!(hits("policia", &["--lang", "es"])["total"], 1);
    let snippet = hits("policia", &[])["hits"][0]["original"].as_str().unwrap().to_owned();
    assert!(snippet.contains("[policía]"), "{snippet}");

    for hostile in ["\"", "-", "(", ")", "NEAR(", "*", "policía OR", "\"unbalanced", "a:b", "'", "^", "{x}", "AND"] {
        let output = quipu(&["search", project, "--", hostile]);
        assert!(output.status.success(), "searching {hostile:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    assert_eq!(hits("-policía", &[])["total"], 1, "a dash is a character, not NOT");
}

#[test]
fn search_pages_through_many_hits() {
    let mut fixture = TestProject::new().case("Cerro Alto").source("Entrevista 1");
    for n in 0..25 {
        fixture = fixture.excerpt_es_en(&format!("El agua número {n}."), &format!("Water number {n}."));
    }
    let project = arg(&fixture.path);
    let page = |n: &str| -> serde_json::Value {
        serde_json::from_str(&quipu_ok(&["search", project, "agua", "--json", "--per-page", "10", "--page", n]))
            .unwrap()
    };
    assert_eq!(page("1")["total"], 25);
    assert_eq!(page("1")["hits"].as_array().unwrap().len(), 10);
    assert_eq!(page("3")["hits"].as_array().unwrap().len(), 5);
    assert_ne!(page("1")["hits"][0]["excerpt_id"], page("2")["hits"][0]["excerpt_id"]);
    // Pages past the end, however large, are empty rather than wrapping to the first.
    for far in ["4", "99999999999", "18446744073709551615"] {
        assert!(page(far)["hits"].as_array().unwrap().is_empty(), "page {far}");
        let text = quipu_ok(&["search", project, "agua", "--per-page", "10", "--page", far]);
        assert!(text.contains("past the last page, 3 (at 10 per page)"), "{text}");
    }
}

#[test]
fn markdown_export_quotes_the_translation_with_the_original_as_a_footnote() {
    let original = "La policía cuidaba la mina, no a nosotros.";
    let translation = "The police guarded the mine, not us.";
    let fixture = TestProject::new()
        .case("Cerro Alto")
        .source_with("Entrevista 1", "Rosa Ñahui", "presidenta comunal")
        .excerpt_es_en(original, translation)
        .code("Police use")
        .excerpt_es_en("El agua ya no sirve.", "The water is no good any more.")
        .code("Environment and water");
    let out = fixture.dir.path().join("quotes.md");
    let report =
        quipu_ok(&["export", "quotes", arg(&fixture.path), arg(&out), "--code", "Police use", "--names", "real"]);
    assert!(report.contains("Exported 1 quote under 1 code"), "{report}");
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.contains("## Police use"), "{markdown}");
    assert!(markdown.contains(&format!("> {translation}[^1]")), "{markdown}");
    assert!(markdown.contains(&format!("[^1]: Spanish original: {original}")), "{markdown}");
    assert!(markdown.contains("— Rosa Ñahui, presidenta comunal, Comunidad de prueba, 2021-03-14"), "{markdown}");
    assert!(!markdown.contains("El agua"), "only the chosen code is exported");

    // With Spanish in the body, the English goes to the footnote.
    let out_es = fixture.dir.path().join("citas.md");
    quipu_ok(&["export", "quotes", arg(&fixture.path), arg(&out_es), "--body", "es", "--names", "real"]);
    let markdown = std::fs::read_to_string(&out_es).unwrap();
    assert!(markdown.contains(&format!("> {original}[^1]")), "{markdown}");
    assert!(markdown.contains(&format!("[^1]: English original: {translation}")), "{markdown}");
}

#[test]
fn csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas() {
    let fixture = TestProject::new()
        .case("=Cerro Alto")
        .source_with("Entrevista 1", "@Rosa", "+presidenta")
        .excerpt_es_en("=HYPERLINK(\"http://example.com\")", "-1+1 the police")
        .code("Police use");
    let out = fixture.dir.path().join("quotes.csv");
    quipu_ok(&["export", "quotes", arg(&fixture.path), arg(&out), "--names", "real"]);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "case",
            "source",
            "speaker",
            "role",
            "place",
            "date",
            "code",
            "original",
            "translation",
            "translation_status",
            "memo"
        ]
    );
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=Cerro Alto");
    assert_eq!(&row[3], "'@Rosa");
    assert_eq!(&row[4], "'+presidenta");
    assert_eq!(&row[8], "'=HYPERLINK(\"http://example.com\")");
    assert_eq!(&row[9], "'-1+1 the police");
    assert_eq!(&row[7], "Police use");
}

#[test]
fn exporting_an_empty_selection_is_an_error_and_writes_no_file() {
    let mut fixture = TestProject::new().case("Cerro Alto").excerpt_es_en("Hola.", "Hello.").code("Trust");
    let out = fixture.dir.path().join("none.md");
    let _ = fixture.store.add_case("Qori Wayra", "");
    let stderr = quipu_err(&["export", "quotes", arg(&fixture.path), arg(&out), "--case", "Qori Wayra"]);
    assert!(stderr.contains("nothing to export"), "{stderr}");
    assert!(!out.exists());
    let stderr = quipu_err(&["export", "quotes", arg(&fixture.path), arg(&out), "--code", "Nope"]);
    assert!(stderr.contains("no code 'Nope'"), "{stderr}");
}

#[test]
fn new_projects_start_with_the_default_codebook_unless_asked_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let with = new_project(dir.path(), true);
    let codes: serde_json::Value = serde_json::from_str(&quipu_ok(&["codes", arg(&with), "--json"])).unwrap();
    let names: Vec<&str> = codes.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = quipu::model::DEFAULT_CODEBOOK.iter().map(|c| c.name).collect();
    assert_eq!(names, expected);
    assert!(codes.as_array().unwrap().iter().all(|c| !c["description"].as_str().unwrap().is_empty()));

    let empty_dir = tempfile::tempdir().unwrap();
    let without = new_project(empty_dir.path(), false);
    let codes: serde_json::Value = serde_json::from_str(&quipu_ok(&["codes", arg(&without), "--json"])).unwrap();
    assert_eq!(codes.as_array().unwrap().len(), 0);
    let stderr = quipu_err(&["new", arg(&without)]);
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn the_demo_project_has_cases_whose_frequencies_differ() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let json: serde_json::Value = serde_json::from_str(&quipu_ok(&["freq", arg(&project), "--json"])).unwrap();
    let counts = json["counts"].as_object().unwrap();
    assert_eq!(counts.len(), 4);
    // The most frequent code differs between at least three cases.
    let top: std::collections::BTreeSet<String> = counts
        .values()
        .map(|per_code| {
            let per_code = per_code.as_object().unwrap();
            per_code.iter().max_by_key(|(_, n)| n.as_u64().unwrap()).unwrap().0.clone()
        })
        .collect();
    assert!(top.len() >= 3, "{top:?}");
}

#[test]
fn commands_on_a_missing_or_foreign_file_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.quipu");
    let stderr = quipu_err(&["codes", arg(&missing)]);
    assert!(stderr.contains("no such project file"), "{stderr}");
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, "not a project ".repeat(100)).unwrap();
    let stderr = quipu_err(&["freq", arg(&foreign)]);
    assert!(stderr.contains("not a Quipu project"), "{stderr}");
}

#[test]
fn every_command_has_help() {
    for command in [
        vec!["--help"],
        vec!["new", "--help"],
        vec!["demo", "--help"],
        vec!["import", "csv", "--help"],
        vec!["import", "codings", "--help"],
        vec!["codes", "--help"],
        vec!["freq", "--help"],
        vec!["search", "--help"],
        vec!["export", "quotes", "--help"],
        vec!["agreement", "--help"],
        vec!["copy", "--help"],
        vec!["gui", "--help"],
    ] {
        let output = quipu_ok(&command);
        assert!(output.contains("Usage: quipu"), "{command:?}: {output}");
    }
}

#[test]
fn agreement_between_two_coders_gives_the_figures_worked_by_hand() {
    // Trust: Ana codes excerpts 1 and 2, Luis 1 and 3; excerpt 4 neither.
    // Water: both code excerpt 4 only.
    let project = util::TestProject::new()
        .excerpt_es_en("Confiamos en la mesa.", "We trust the table.")
        .by_coder("Ana")
        .code("Trust")
        .by_coder("Luis")
        .code("Trust")
        .excerpt_es_en("No confío en nadie.", "I trust nobody.")
        .by_coder("Ana")
        .code("Trust")
        .excerpt_es_en("Tal vez la comunidad.", "Maybe the community.")
        .by_coder("Luis")
        .code("Trust")
        .excerpt_es_en("El río está seco.", "The river is dry.")
        .by_coder("Ana")
        .code("Water")
        .by_coder("Luis")
        .code("Water");
    let path = arg(&project.path);
    let before = dump(&project.path);
    let json: serde_json::Value =
        serde_json::from_str(&quipu_ok(&["agreement", path, "--coders", "Ana,Luis", "--json"])).unwrap();
    assert_eq!(json["coders"], serde_json::json!(["Ana", "Luis"]));
    assert_eq!(json["level"], "excerpt");
    let close = |value: &serde_json::Value, expected: f64| (value.as_f64().unwrap() - expected).abs() < 1e-9;
    let trust = &json["codes"]["Trust"];
    assert_eq!(trust["n"], 4);
    // Agreement on excerpts 1 and 4; each coder applies the code half the time,
    // so chance agreement is 0.5 and kappa 0; alpha = 1 - 7·4 / (2·4·4).
    assert!(close(&trust["agreement"], 0.5) && close(&trust["kappa"], 0.0), "{trust}");
    assert!(close(&trust["alpha"], 0.125), "{trust}");
    let water = &json["codes"]["Water"];
    assert!(close(&water["agreement"], 1.0) && close(&water["kappa"], 1.0) && close(&water["alpha"], 1.0), "{water}");
    assert_eq!(json["overall"]["n"], 8);
    assert!(close(&json["overall"]["agreement"], 0.75), "{}", json["overall"]);

    let table = quipu_ok(&["agreement", path, "--coders", "Ana,Luis", "--code", "Trust", "--level", "character"]);
    assert!(table.contains("Agreement between Ana, Luis (character level)"), "{table}");
    assert!(table.contains("Trust") && !table.contains("Water"), "{table}");

    let stderr = quipu_err(&["agreement", path, "--coders", "Ana,Pilar"]);
    assert!(stderr.contains("Pilar"), "{stderr}");
    let stderr = quipu_err(&["agreement", path, "--coders", "Ana"]);
    assert!(stderr.contains("at least two"), "{stderr}");
    assert_eq!(dump(&project.path), before, "measuring agreement changes nothing");
}

#[test]
fn agreement_by_character_counts_the_passages_each_coder_marked() {
    // Ana marks characters 0..5 of the original, Luis 0..4: of the 20 characters
    // of both texts, only character 4 is marked by one coder and not the other.
    let project = util::TestProject::new()
        .excerpt_es_en("abcdefghij", "ABCDEFGHIJ")
        .by_coder("Ana")
        .code_passage("Trust", 0, 5)
        .by_coder("Luis")
        .code_passage("Trust", 0, 4);
    let output = quipu_ok(&["agreement", arg(&project.path), "--coders", "Ana,Luis", "--level", "character", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(json["level"], "character");
    assert_eq!(json["codes"]["Trust"]["n"], 20);
    assert!((json["codes"]["Trust"]["agreement"].as_f64().unwrap() - 0.95).abs() < 1e-9, "{output}");
}

#[test]
fn a_blind_copy_for_a_second_coder_keeps_the_material_and_identities_without_codings() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    {
        // A coder and a memo found nowhere else in the project.
        let mut store = quipu::store::Store::open(&project).unwrap();
        let excerpt = store.excerpt_ids().unwrap()[0];
        let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
        let coder = store.ensure_coder("Zoila Quispecondori").unwrap();
        let coding = store.add_coding(excerpt, trust, coder, quipu::model::CodingAnchor::Whole).unwrap();
        store.set_memo(quipu::model::MemoTarget::Coding(coding), "nota reservada de la codificadora").unwrap();
    }
    let before = dump(&project);
    let blind = dir.path().join("para-luis.quipu");
    let report = quipu_ok(&["copy", arg(&project), arg(&blind), "--without-codings", "--without-memos"]);
    assert!(report.contains("without codings or memos"), "{report}");
    assert_eq!(dump(&project), before, "the original is untouched");
    let (original, copy) = (quipu::store::Store::open(&project).unwrap(), quipu::store::Store::open(&blind).unwrap());
    assert!(copy.coders().unwrap().is_empty());
    assert!(original.excerpt_ids().unwrap().iter().all(|id| copy.codings_of_excerpt(*id).unwrap().is_empty()));
    assert_eq!(copy.excerpt_ids().unwrap(), original.excerpt_ids().unwrap());
    assert_eq!(copy.codes().unwrap(), original.codes().unwrap(), "the same codebook");
    for kind in [quipu::store::Identified::Excerpt, quipu::store::Identified::Code, quipu::store::Identified::Source] {
        assert_eq!(copy.uuids(kind).unwrap(), original.uuids(kind).unwrap(), "{kind:?}");
    }
    // What was left out is gone from the file's bytes, not only unlisted.
    let bytes = std::fs::read(&blind).unwrap();
    for secret in ["Zoila Quispecondori", "nota reservada de la codificadora"] {
        assert!(
            !bytes.windows(secret.len()).any(|window| window == secret.as_bytes()),
            "{secret} is still in the file"
        );
        let original_bytes = std::fs::read(&project).unwrap();
        let in_original = original_bytes.windows(secret.len()).any(|window| window == secret.as_bytes())
            || dump(&project).contains(secret);
        assert!(in_original, "{secret} was in the original");
    }
    // The running counts start empty and follow the second coder's codings.
    drop(copy);
    let mut copy = quipu::store::Store::open(&blind).unwrap();
    let everything = quipu::store::Filter::default();
    assert!(copy.code_counts().unwrap().iter().all(|count| count.codings == 0));
    assert!(copy.code_meetings(&everything).unwrap().pairs.is_empty());
    let excerpt = copy.excerpt_ids().unwrap()[0];
    let coder = copy.ensure_coder("Luis").unwrap();
    let codes: Vec<_> = copy.codes().unwrap().into_iter().take(2).map(|code| code.code_id).collect();
    for code in &codes {
        copy.add_coding(excerpt, *code, coder, quipu::model::CodingAnchor::Whole).unwrap();
    }
    let pairs = copy.code_meetings(&everything).unwrap().pairs;
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(
        (pairs[0].first, pairs[0].second, pairs[0].excerpts),
        (codes[0].min(codes[1]), codes[0].max(codes[1]), 1)
    );
    assert_eq!(copy.code_counts().unwrap().iter().map(|count| count.codings).sum::<u64>(), 2);
    // A copy never overwrites a file.
    let stderr = quipu_err(&["copy", arg(&project), arg(&blind)]);
    assert!(stderr.contains("para-luis.quipu"), "{stderr}");
}

#[test]
fn codings_from_a_spreadsheet_land_on_their_excerpts_and_a_bad_row_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let excerpt_uuid = {
        let store = quipu::store::Store::open(&project).unwrap();
        let id = store.excerpts_named("E002").unwrap()[0];
        store.uuids(quipu::store::Identified::Excerpt).unwrap()[&id.0].clone()
    };
    let good = dir.path().join("codings.csv");
    std::fs::write(
        &good,
        format!(
            "fragmento,código,lado,inicio,fin,codificadora,nota\n\
             E001,Trust,,,,Luis,\n\
             {excerpt_uuid},Police use,es,0,8,Luis,\"las primeras palabras, dijo\"\n\
             e001,trust,,,,Luis,\n\
             E003,Employment,translation,,,,\n"
        ),
    )
    .unwrap();
    let before = dump(&project);
    let checked = quipu_ok(&["import", "codings", arg(&project), arg(&good), "--dry-run"]);
    assert!(checked.contains("Would import 3 codings") && checked.contains("1 coding already there"), "{checked}");
    assert_eq!(dump(&project), before, "a dry run writes nothing");
    quipu_ok(&["import", "codings", arg(&project), arg(&good), "--coder", "Pilar"]);
    let store = quipu::store::Store::open(&project).unwrap();
    let coder_of = |id| store.coders().unwrap().into_iter().find(|c| c.coder_id == id).unwrap().name;
    let named = |label: &str| store.excerpts_named(label).unwrap()[0];
    let e002 = store.codings_of_excerpt(named("E002")).unwrap();
    let police = e002.iter().find(|c| c.covered_text.chars().count() == 8).expect("the passage");
    assert_eq!(coder_of(police.coder_id), "Luis");
    assert!(matches!(police.anchor, CodingAnchor::Passage { side: Side::Original, .. }));
    assert_eq!(store.memo(MemoTarget::Coding(police.coding_id)).unwrap(), "las primeras palabras, dijo");
    let e003 = store.codings_of_excerpt(named("E003")).unwrap();
    let employment = store.code_by_name("Employment").unwrap().unwrap().code_id;
    let whole_translation = e003.iter().find(|c| c.code_id == employment && coder_of(c.coder_id) == "Pilar").unwrap();
    let translation = store.excerpt(named("E003")).unwrap().translation.unwrap();
    assert_eq!(whole_translation.covered_text, translation, "a side without a span codes all of it");
    drop(store);

    let after = dump(&project);
    for (csv, expected) in [
        ("excerpt,code\nE001,Trust\nE999,Trust\n", "row 3, column 'excerpt': no excerpt has the label or UUID 'E999'"),
        ("excerpt,code\nE001,Nonexistent\n", "row 2, column 'code': no code is named 'Nonexistent'"),
        ("excerpt,code,side,start,end\nE001,Trust,original,5,9999\n", "row 2, column 'end': the passage 5..9999"),
        ("excerpt,code,side\nE001,Trust,quechua\n", "row 2, column 'side': 'quechua' is not a side"),
        ("excerpt,code,side,start\nE001,Trust,es,cinco\n", "row 2, column 'start': 'cinco' is not a whole number"),
        ("excerpt,code\nE001,\"Trust\nE002,Trust\n", "row 2: a quoted cell opens here and is never closed"),
        ("excerpt,code\nE001,Trust,extra\n", "row 2: the row has 3 cells"),
        ("excerpto,codigo\nE001,Trust\n", "needs an 'excerpt' and a 'code' column"),
    ] {
        let bad = dir.path().join("malo.csv");
        std::fs::write(&bad, csv).unwrap();
        let stderr = quipu_err(&["import", "codings", arg(&project), arg(&bad)]);
        assert!(stderr.contains("malo.csv") && stderr.contains(expected), "{csv:?}: {stderr}");
        assert_eq!(dump(&project), after, "{csv:?} changed the project");
    }
    let mut not_utf8 = b"excerpt,code\nE001,Confian".to_vec();
    not_utf8.extend_from_slice(b"\xe7a\n");
    let bad = dir.path().join("latin.csv");
    std::fs::write(&bad, not_utf8).unwrap();
    let stderr = quipu_err(&["import", "codings", arg(&project), arg(&bad)]);
    assert!(stderr.contains("latin.csv, row 2, column 'code': the cell is not valid UTF-8"), "{stderr}");
    assert_eq!(dump(&project), after);
}

#[test]
fn an_export_never_replaces_a_project_even_with_force_nor_a_file_of_its_temporary_name() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("notes.md");
    quipu_ok(&["demo", arg(&project)]);
    let before = std::fs::read(&project).unwrap();
    let stderr = quipu_err(&["export", "quotes", arg(&project), arg(&project), "--force"]);
    assert!(stderr.contains("notes.md") && stderr.contains("never replaces a project"), "{stderr}");
    assert_eq!(std::fs::read(&project).unwrap(), before, "the project was overwritten");
    quipu_ok(&["codes", arg(&project)]);
    // A file of the old temporary name is the person's own, and stays.
    let target = dir.path().join("citas.md");
    let own = dir.path().join("citas.md.part");
    std::fs::write(&own, "mis notas").unwrap();
    quipu_ok(&["export", "quotes", arg(&project), arg(&target), "--code", "Trust"]);
    assert_eq!(std::fs::read_to_string(&own).unwrap(), "mis notas");
    assert!(std::fs::read_to_string(&target).unwrap().contains(">"), "the export was written");
    let leftovers = part_files(dir.path(), Some(&own));
    assert!(leftovers.is_empty(), "a temporary file was left behind");
}

#[test]
fn a_refi_export_written_as_it_goes_leaves_nothing_behind_when_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    // A project under a .qdpx name is still a project: refused, untouched.
    let disguised = dir.path().join("intercambio.qdpx");
    quipu_ok(&["demo", arg(&disguised)]);
    let before = std::fs::read(&disguised).unwrap();
    let demo = dir.path().join("demo.quipu");
    quipu_ok(&["demo", arg(&demo)]);
    let stderr = quipu_err(&["export", "refi", arg(&demo), arg(&disguised), "--force"]);
    assert!(stderr.contains("intercambio.qdpx") && stderr.contains("never replaces a project"), "{stderr}");
    assert_eq!(std::fs::read(&disguised).unwrap(), before);
    // A project with no sources fails part way through the package: no file,
    // and no temporary file, is left.
    let empty = dir.path().join("vacio.quipu");
    quipu_ok(&["new", arg(&empty)]);
    let target = dir.path().join("vacio.qdpx");
    let stderr = quipu_err(&["export", "refi", arg(&empty), arg(&target)]);
    assert!(stderr.contains("no sources"), "{stderr}");
    assert!(!target.exists(), "no package was written");
    let leftovers = part_files(dir.path(), None);
    assert!(leftovers.is_empty(), "a temporary file was left behind: {leftovers:?}");
    // And a good export lands whole, readable as a package.
    let good = dir.path().join("demo.qdpx");
    quipu_ok(&["export", "refi", arg(&demo), arg(&good)]);
    let imported = dir.path().join("de-vuelta.quipu");
    quipu_ok(&["new", arg(&imported), "--empty-codebook"]);
    let report = quipu_ok(&["import", "refi", arg(&imported), arg(&good)]);
    assert!(report.contains("excerpts"), "{report}");
}

#[test]
fn a_second_writer_waits_then_hears_which_file_is_busy_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("equipo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let codings = dir.path().join("codings.csv");
    std::fs::write(&codings, "excerpt,code\nE001,Trust\n").unwrap();
    let before = dump(&project);
    // Another program holds the write lock for longer than Quipu waits.
    let other = rusqlite::Connection::open(&project).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let stderr = quipu_err(&["import", "codings", arg(&project), arg(&codings), "--coder", "Luis"]);
    assert!(stderr.contains("equipo.quipu: the project is busy: another Quipu, or another program"), "{stderr}");
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    assert_eq!(dump(&project), before);
    // Once it is free, the same command goes through.
    quipu_ok(&["import", "codings", arg(&project), arg(&codings), "--coder", "Luis"]);
}

#[test]
fn an_empty_or_damaged_project_file_is_named_and_said_to_be_so() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("vacio.quipu");
    std::fs::write(&empty, b"").unwrap();
    let stderr = quipu_err(&["codes", arg(&empty)]);
    assert!(stderr.contains("vacio.quipu: not a Quipu project (the file is empty (0 bytes)"), "{stderr}");
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "left as it was");
    let damaged = dir.path().join("danado.quipu");
    quipu_ok(&["demo", arg(&damaged)]);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let page = 4096;
    bytes[page * 3..page * 5].fill(0xff);
    std::fs::write(&damaged, &bytes).unwrap();
    let stderr = quipu_err(&["freq", arg(&damaged)]);
    assert!(stderr.contains("danado.quipu: the project file is damaged"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_project_that_cannot_be_written_whole_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("nuevo.quipu");
    // No file may grow past 0 bytes, as when the disk is full.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" new \"$1\"")
        .arg(env!("CARGO_BIN_EXE_quipu"))
        .arg(&project)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("nuevo.quipu: "), "{stderr}");
    assert!(!project.exists(), "a half-made project would block the retry");
    quipu_ok(&["new", arg(&project)]);
}

#[test]
fn a_project_opened_only_to_read_refuses_writes_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("archivo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let before = std::fs::read(&project).unwrap();
    let mut store = quipu::store::Store::open_read_only(&project).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.excerpt_count().unwrap(), 60, "it reads");
    let error = store.add_case("Nuevo", "").unwrap_err().about_file(&project);
    assert!(error.to_string().contains("archivo.quipu: the project cannot be written"), "{error}");
    drop(store);
    assert!(!quipu::store::Store::open(&project).unwrap().is_read_only(), "opened to write, it writes");
    // The commands that only read leave the file as it was.
    for command in ["codes", "freq", "excerpts", "attributes"] {
        quipu_ok(&[command, arg(&project)]);
    }
    assert_eq!(std::fs::read(&project).unwrap(), before);
}

#[test]
fn codes_with_the_same_name_under_different_parents_are_kept_apart_and_named_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("otros.quipu");
    quipu_ok(&["new", arg(&project), "--empty-codebook"]);
    // A codebook from another tool: "Other" under two themes, "citizenship" twice.
    let codebook = dir.path().join("libro.qdc");
    let code = |guid: u32, name: &str, children: &str| {
        format!(r#"<Code guid="00000000-0000-0000-0000-{guid:012}" name="{name}" isCodable="true">{children}</Code>"#)
    };
    std::fs::write(
        &codebook,
        format!(
            r#"<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{}{}</Codes></CodeBook>"#,
            code(1, "Water", &(code(2, "Other", "") + &code(3, "citizenship", ""))),
            code(4, "Power", &(code(5, "Other", "") + &code(6, "citizenship", "")))
        ),
    )
    .unwrap();
    let imported = quipu_ok(&["import", "refi", arg(&project), arg(&codebook)]);
    assert!(imported.contains("6 new codes"), "nothing merged into one: {imported}");
    let json: serde_json::Value = serde_json::from_str(&quipu_ok(&["codes", arg(&project), "--json"])).unwrap();
    let paths: Vec<&str> = json.as_array().unwrap().iter().map(|code| code["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["Water", "Water/Other", "Water/citizenship", "Power", "Power/Other", "Power/citizenship"]);
    // Importing the same codebook again finds every code where it is.
    let again = quipu_ok(&["import", "refi", arg(&project), arg(&codebook)]);
    assert!(again.contains("0 new codes"), "{again}");

    // Excerpts coded by path; a bare shared name is refused naming the paths.
    let csv = dir.path().join("citas.csv");
    std::fs::write(&csv, "case,source,original,codes\nC1,S1,El agua.,Water/Other;Power/citizenship\n").unwrap();
    quipu_ok(&["import", "csv", arg(&project), arg(&csv)]);
    let before = dump(&project);
    let ambiguous = dir.path().join("ambiguo.csv");
    std::fs::write(&ambiguous, "case,source,original,codes\nC1,S1,Otra.,Other\n").unwrap();
    let stderr = quipu_err(&["import", "csv", arg(&project), arg(&ambiguous)]);
    assert!(
        stderr.contains("row 2, column 'codes': several codes are named 'Other' (Water/Other, Power/Other)"),
        "{stderr}"
    );
    assert_eq!(dump(&project), before);

    // Tables name a shared name by its path; a bare shared name in --code is refused.
    let freq = quipu_ok(&["freq", arg(&project), "--json"]);
    assert!(freq.contains("\"Water/Other\":1") && freq.contains("\"Power/citizenship\":1"), "{freq}");
    let stderr = quipu_err(&["export", "quotes", arg(&project), arg(&dir.path().join("o.md")), "--code", "Other"]);
    assert!(
        stderr.contains("several codes are named 'Other' (Water/Other, Power/Other); name one by its path"),
        "{stderr}"
    );
    quipu_ok(&["export", "quotes", arg(&project), arg(&dir.path().join("w.md")), "--code", "Water/Other"]);

    // In the project itself: siblings may not share a name, cousins may.
    let mut store = quipu::store::Store::open(&project).unwrap();
    let water = store.code_by_name("Water").unwrap().unwrap().code_id;
    let draft = |name: &str, parent_id| quipu::model::CodeDraft {
        name: name.into(),
        description: String::new(),
        color: None,
        parent_id,
    };
    assert!(store.add_code(&draft("other", Some(water))).is_err(), "a sibling of the same name");
    store.add_code(&draft("Other", None)).unwrap();
    let power = store.code_by_name("Power").unwrap().unwrap().code_id;
    assert_eq!(store.code_by_name("Power/Other").unwrap().unwrap().parent_id, Some(power));
}
