//! Reports: coded quotes as Word, HTML, Markdown, CSV and spreadsheets, and
//! frequency tables and charts, each opened and inspected; pseudonymisation
//! checked across every format.

mod util;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use quipu::formats::report::{ReportOptions, build_report};
use quipu::model::MemoTarget;
use quipu::store::Store;
use util::{arg, quipu_err, quipu_ok};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    quipu::demo::write_demo(&path).unwrap();
    (dir, path)
}

/// Every part of a ZIP package (docx, xlsx) as text, by name.
fn zip_parts(path: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().into_owned(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts.iter().find(|(part_name, _)| part_name == name).unwrap_or_else(|| panic!("no part {name}")).1
}

/// The text content of an XML document (all text nodes joined).
fn xml_text(xml: &str) -> String {
    let document = roxmltree::Document::parse(xml).unwrap();
    document.descendants().filter(|node| node.is_text()).filter_map(|node| node.text()).collect()
}

fn export(project: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["export", "quotes", arg(project), arg(out)];
    args.extend_from_slice(extra);
    quipu_ok(&args)
}

#[test]
fn the_word_document_keeps_originals_in_real_footnotes() {
    let (dir, project) = demo();
    let out = dir.path().join("police.docx");
    let report = export(&project, &out, &["--code", "Police use"]);
    assert!(report.contains("Exported 8 quotes under 1 code"), "{report}");
    let parts = zip_parts(&out);
    for (name, xml) in parts.iter().filter(|(name, _)| name.ends_with(".xml") || name.ends_with(".rels")) {
        roxmltree::Document::parse(xml).unwrap_or_else(|error| panic!("{name} is not well-formed XML: {error}"));
    }
    assert!(part(&parts, "[Content_Types].xml").contains("footnotes+xml"));
    assert!(part(&parts, "word/_rels/document.xml.rels").contains("footnotes.xml"));

    let store = Store::open(&project).unwrap();
    let expected = build_report(
        &store,
        &ReportOptions {
            filter: quipu::store::Filter {
                codes: vec![store.code_by_name("Police use").unwrap().unwrap().code_id],
                ..Default::default()
            },
            ..ReportOptions::default()
        },
    )
    .unwrap();
    let document = part(&parts, "word/document.xml");
    let footnotes = xml_text(part(&parts, "word/footnotes.xml"));
    let body = xml_text(document);
    let mut with_footnote = 0;
    for (_, quote) in expected.quotes() {
        // Line breaks become Word line breaks, which carry no text.
        assert!(body.contains(&quote.body.replace('\n', "")), "the body quote is in the document: {}", quote.body);
        if let Some((_, original)) = &quote.footnote {
            with_footnote += 1;
            let original = original.replace('\n', "");
            assert!(footnotes.contains(&original), "the original is in a footnote: {original}");
        }
    }
    assert!(with_footnote > 0);
    assert_eq!(document.matches("<w:footnoteReference ").count(), with_footnote);
    let footnotes_xml = part(&parts, "word/footnotes.xml");
    assert_eq!(footnotes_xml.matches("<w:footnote w:id=").count(), with_footnote, "one footnote per reference");
    assert!(footnotes_xml.contains("w:type=\"separator\""), "Word's separator footnotes are there");
    let definition = quipu::model::DEFAULT_CODEBOOK.iter().find(|c| c.name == "Police use").unwrap().description;
    assert!(body.contains("Police use") && body.contains(definition), "a heading with the code's definition");
}

#[test]
fn the_html_page_parses_with_each_quote_beside_its_original() {
    let (dir, project) = demo();
    let out = dir.path().join("quotes.html");
    export(&project, &out, &["--code", "Trust", "--code", "Police use", "--body", "en"]);
    let html = std::fs::read_to_string(&out).unwrap();
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(page.select(&select("h2")).count(), 2);
    let store = Store::open(&project).unwrap();
    let codes = ["Trust", "Police use"].map(|name| store.code_by_name(name).unwrap().unwrap().code_id);
    let expected = build_report(
        &store,
        &ReportOptions {
            filter: quipu::store::Filter { codes: codes.to_vec(), ..Default::default() },
            ..ReportOptions::default()
        },
    )
    .unwrap();
    let figures: Vec<_> = page.select(&select("figure.quote")).collect();
    assert_eq!(figures.len(), expected.quote_count());
    for (figure, (_, quote)) in figures.iter().zip(expected.quotes()) {
        // Line breaks become <br>, which carry no text.
        let body: String = figure.select(&select("blockquote.body")).next().unwrap().text().collect();
        assert!(body.contains(&quote.body.replace('\n', "")), "{body}");
        if let Some((lang, original)) = &quote.footnote {
            let other = figure.select(&select("blockquote.other")).next().unwrap();
            assert_eq!(other.value().attr("lang"), Some(lang.as_str()));
            assert!(other.text().collect::<String>().contains(&original.replace('\n', "")));
        }
        assert!(figure.value().attr("style").unwrap().contains(&quote.code_color.to_string()));
    }
}

#[test]
fn the_spreadsheet_reads_back_with_every_column_and_formulas_kept_as_text() {
    let fixture = util::TestProject::new()
        .case("Cerro Alto")
        .source_with("Entrevista 1", "Rosa Ñahui", "=presidenta")
        .excerpt_es_en("=HYPERLINK(\"http://example.com\",\"clic\")", "-2+3 the police")
        .code("Police use")
        .excerpt_es_en("El agua.", "The water.")
        .code("Environment and water");
    let out = fixture.dir.path().join("quotes.xlsx");
    export(&fixture.path, &out, &[]);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = workbook.worksheet_range("Quotes").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect();
    assert_eq!(rows[0], quipu::formats::csv_export::QUOTE_COLUMNS.map(str::to_owned).to_vec());
    assert_eq!(rows.len(), 3, "a header and one row per quote");
    let police = rows.iter().find(|row| row[7] == "Police use").unwrap();
    assert_eq!(police[8], "=HYPERLINK(\"http://example.com\",\"clic\")");
    assert_eq!(police[9], "-2+3 the police");
    assert_eq!(police[4], "=presidenta");
    assert_eq!(police[3], "Participant 1", "speakers are pseudonymised by default");
    assert!(matches!(range.get((1, 8)), Some(Data::String(_))), "stored as text, not a formula");
    let formulas = workbook.worksheet_formula("Quotes").unwrap();
    assert!(formulas.rows().flatten().all(|formula| formula.is_empty()), "no cell is a formula");
}

/// The speakers of the demo whose names are a person's name.
fn personal_names(store: &Store) -> Vec<String> {
    store
        .speakers()
        .unwrap()
        .into_iter()
        .filter(|name| name.split_whitespace().all(|token| token.chars().next().is_some_and(char::is_uppercase)))
        .collect()
}

/// Fails when `text` holds any of `names`, or a part of one (three letters or
/// more) as a whole word.
fn assert_no_name(text: &str, names: &[String], format: &str) {
    for name in names {
        assert!(!text.contains(name.as_str()), "{format}: '{name}' leaked");
        for token in name.split_whitespace().filter(|token| token.chars().count() >= 3) {
            let leaked = text.match_indices(token).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + token.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
            });
            assert!(!leaked, "{format}: part of the name '{name}' ('{token}') leaked");
        }
    }
}

#[test]
fn pseudonymised_exports_leave_no_real_name_in_any_format() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    let names = personal_names(&store);
    assert!(names.len() >= 8, "{names:?}");
    // A memo that names a speaker must not carry the name out either.
    let first = store.excerpt_ids().unwrap()[0];
    let speaker = &names[0];
    store.set_memo(MemoTarget::Excerpt(first), &format!("Según {speaker}, esto pasó en 2019.")).unwrap();
    let group_speaker = store.speakers().unwrap().into_iter().find(|name| !names.contains(name)).unwrap();
    drop(store);

    for format in ["docx", "html", "md", "csv", "xlsx"] {
        let out = dir.path().join(format!("all.{format}"));
        export(&project, &out, &[]);
        let text = match format {
            "docx" => zip_parts(&out).into_iter().map(|(_, xml)| xml).collect::<Vec<_>>().join("\n"),
            "xlsx" => {
                let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
                let range = workbook.worksheet_range("Quotes").unwrap();
                range.rows().flatten().map(|cell| cell.to_string()).collect::<Vec<_>>().join("\n")
            }
            _ => std::fs::read_to_string(&out).unwrap(),
        };
        assert_no_name(&text, &names, format);
        assert!(!text.contains(group_speaker.as_str()), "{format}: '{group_speaker}' leaked");
        assert!(text.contains("Participant 1"), "{format}: pseudonyms are shown");
    }
    let csv = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert!(csv.contains("Según Participant"), "the memo's name became a pseudonym");

    // Every other export that can carry a name: frequency tables and charts
    // grouped by speaker or by source, and the REFI-QDA project when asked to
    // pseudonymise; every byte of every part of a package is searched.
    let mut others = Vec::new();
    for (by, format) in [("speaker", "csv"), ("speaker", "xlsx"), ("speaker", "svg"), ("source", "csv")] {
        let out = dir.path().join(format!("freq-{by}.{format}"));
        quipu_ok(&["export", "freq", arg(&project), arg(&out), "--by", by]);
        others.push(out);
    }
    let exchange = dir.path().join("colegas.qdpx");
    let said = quipu_ok(&["export", "refi", arg(&project), arg(&exchange), "--names", "pseudonyms"]);
    assert!(said.contains("speakers pseudonymised"), "{said}");
    others.push(exchange);
    for out in &others {
        let bytes = std::fs::read(out).unwrap();
        let text = if bytes.starts_with(b"PK") {
            zip_parts(out).into_iter().map(|(name, part)| format!("{name}\n{part}")).collect::<Vec<_>>().join("\n")
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let format = out.file_name().unwrap().to_string_lossy();
        assert_no_name(&text, &names, &format);
        if !format.starts_with("freq-source") {
            assert!(text.contains("Participant 1"), "{format}: pseudonyms are shown");
        }
    }
    // The pseudonymised exchange file still imports, coded passages on their words.
    let imported = dir.path().join("importado.quipu");
    quipu_ok(&["new", arg(&imported), "--empty-codebook"]);
    quipu_ok(&["import", "refi", arg(&imported), arg(&dir.path().join("colegas.qdpx"))]);
    let store = Store::open(&imported).unwrap();
    for excerpt_id in store.excerpt_ids().unwrap() {
        let excerpt = store.excerpt(excerpt_id).unwrap();
        for coding in store.codings_of_excerpt(excerpt_id).unwrap() {
            if let quipu::model::CodingAnchor::Passage { side, span } = coding.anchor {
                let text = excerpt.text(side).unwrap();
                assert_eq!(quipu::text::slice_chars(text, span), Some(coding.covered_text.as_str()));
            }
        }
    }

    let real = dir.path().join("real.md");
    export(&project, &real, &["--names", "real"]);
    assert!(std::fs::read_to_string(&real).unwrap().contains(speaker.as_str()));
    let roles = dir.path().join("roles.csv");
    export(&project, &roles, &["--names", "roles"]);
    let csv = std::fs::read_to_string(&roles).unwrap();
    assert!(!names.iter().any(|name| csv.contains(name.as_str())));
    assert!(csv.contains("Presidente de la comunidad campesina de Llaqtapampa, Llaqtapampa"), "role and place instead");
}

#[test]
fn a_pseudonym_kept_in_the_project_is_used() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    let source = store.sources().unwrap().into_iter().find(|s| s.speaker.starts_with("Teófilo")).unwrap();
    store.set_pseudonym(source.source_id, "Don T.").unwrap();
    drop(store);
    let out = dir.path().join("quotes.md");
    export(&project, &out, &["--case", "Sallqamarca"]);
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.contains("— Don T., Presidente de la comunidad campesina"), "{markdown}");
}

#[test]
fn quotes_can_be_grouped_by_case_and_filtered_by_speaker_status_and_coder() {
    let (dir, project) = demo();
    let out = dir.path().join("by_case.md");
    let report = export(&project, &out, &["--group-by", "case", "--status", "disputed", "--names", "real"]);
    let markdown = std::fs::read_to_string(&out).unwrap();
    let store = Store::open(&project).unwrap();
    let disputed: Vec<String> = store
        .excerpt_ids()
        .unwrap()
        .into_iter()
        .map(|id| store.excerpt(id).unwrap())
        .filter(|e| {
            e.translation_status == quipu::model::TranslationStatus::Disputed
                && !store.codings_of_excerpt(e.excerpt_id).unwrap().is_empty()
        })
        .map(|e| e.label)
        .collect();
    for label in &disputed {
        assert!(markdown.contains(&format!(", {label})")), "{label} missing");
    }
    assert!(report.contains("under") && report.contains("case"), "{report}");
    for case in store.cases().unwrap() {
        let heading = format!("## {}", case.name);
        let has_quotes = markdown.contains(&heading);
        let expected = disputed.iter().any(|label| {
            let id = store
                .excerpt_ids()
                .unwrap()
                .into_iter()
                .find(|id| store.excerpt(*id).unwrap().label == *label)
                .unwrap();
            store.source(store.excerpt(id).unwrap().source_id).unwrap().case_id == case.case_id
        });
        assert_eq!(has_quotes, expected, "{}", case.name);
    }

    let speaker = store.sources().unwrap()[0].speaker.clone();
    let out = dir.path().join("speaker.csv");
    export(&project, &out, &["--speaker", &speaker, "--names", "real"]);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert!(reader.records().all(|row| row.unwrap()[3] == speaker));

    let error = quipu_err(&["export", "quotes", arg(&project), arg(&dir.path().join("x.md")), "--coder", "Nadie"]);
    assert!(error.contains("no coder 'Nadie'"), "{error}");
}

#[test]
fn an_empty_selection_gives_a_clear_message_and_no_file_in_every_format() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    store.add_case("Cerro Vacío", "").unwrap();
    drop(store);
    for format in ["docx", "html", "md", "csv", "xlsx"] {
        let out = dir.path().join(format!("empty.{format}"));
        let error = quipu_err(&["export", "quotes", arg(&project), arg(&out), "--case", "Cerro Vacío"]);
        assert!(error.contains("nothing to export: no coded quotes match case 'Cerro Vacío'"), "{error}");
        assert!(!out.exists(), "{format}: no file is written");
    }
}

#[test]
fn frequency_tables_and_charts_export_and_read_back() {
    let (dir, project) = demo();
    let store = Store::open(&project).unwrap();
    let table =
        quipu::analysis::frequencies(&store, quipu::store::Grouping::Case, &quipu::store::Filter::default()).unwrap();

    let csv_out = dir.path().join("freq.csv");
    quipu_ok(&["export", "freq", arg(&project), arg(&csv_out)]);
    assert_eq!(std::fs::read_to_string(&csv_out).unwrap(), quipu_ok(&["freq", arg(&project), "--csv"]));

    let xlsx_out = dir.path().join("freq.xlsx");
    quipu_ok(&["export", "freq", arg(&project), arg(&xlsx_out)]);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx_out).unwrap();
    let sheet = workbook.worksheet_range("Frequencies").unwrap();
    for (g, (group, _)) in table.groups.iter().enumerate() {
        assert_eq!(sheet.get((0, g + 1)).unwrap().to_string(), *group);
        for (c, code) in table.codes.iter().enumerate() {
            assert_eq!(sheet.get((c + 1, 0)).unwrap().to_string(), code.name);
            let value = match sheet.get((c + 1, g + 1)).unwrap() {
                Data::Float(value) => *value as u64,
                Data::Int(value) => *value as u64,
                other => panic!("{other:?}"),
            };
            assert_eq!(value, table.cell(g, c).excerpts, "{group} / {}", code.name);
        }
    }

    for chart in ["grouped", "stacked", "heatmap"] {
        let svg_out = dir.path().join(format!("{chart}.svg"));
        quipu_ok(&["export", "freq", arg(&project), arg(&svg_out), "--chart", chart]);
        let svg = std::fs::read_to_string(&svg_out).unwrap();
        let document = roxmltree::Document::parse(&svg).unwrap();
        let titled_rects = document.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert!(titled_rects > table.cells.len(), "{chart}: a shape per cell");
        for (group, _) in &table.groups {
            assert!(svg.contains(group.as_str()), "{chart}: {group} is labelled");
        }
        let png_out = dir.path().join(format!("{chart}.png"));
        quipu_ok(&["export", "freq", arg(&project), arg(&png_out), "--chart", chart]);
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png_out).unwrap()).unwrap();
        assert!(pixmap.width() >= 1000 && pixmap.height() > 300);
        // Not a blank image: some pixels are neither white nor transparent.
        assert!(pixmap.pixels().iter().any(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200));
    }
    let error = quipu_err(&["export", "freq", arg(&project), arg(&dir.path().join("x.pdf"))]);
    assert!(error.contains("must end in .csv, .xlsx, .svg or .png"), "{error}");
}

#[test]
fn pseudonyms_imported_with_source_attributes_name_the_speaker_everywhere() {
    let (dir, project) = demo();
    let store = Store::open(&project).unwrap();
    let source = store.sources().unwrap().into_iter().find(|s| s.speaker.starts_with("Teófilo")).unwrap();
    let case = store.case(source.case_id).unwrap();
    drop(store);
    let csv = dir.path().join("fuentes.csv");
    std::fs::write(&csv, format!("caso,fuente,seudónimo,género\n{},{},Comunero A,hombre\n", case.name, source.name))
        .unwrap();
    let report = quipu_ok(&["import", "attributes", arg(&project), arg(&csv)]);
    assert!(report.contains("New source attribute 'género'"), "{report}");
    let out = dir.path().join("quotes.md");
    export(&project, &out, &["--case", &case.name]);
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.contains("— Comunero A, Presidente"), "{markdown}");
    assert!(!markdown.contains("Teófilo"));
}

#[test]
fn a_quote_longer_than_a_spreadsheet_cell_is_cut_with_a_marker_and_named() {
    let (dir, path) = demo();
    let long = "Cuando llegó la policía, nadie nos avisó de nada. ".repeat(800);
    let label = {
        let mut store = Store::open(&path).unwrap();
        let excerpt = store.excerpts_named("E003").unwrap()[0];
        store.set_excerpt_text(excerpt, quipu::model::Side::Original, &long).unwrap();
        store.excerpt(excerpt).unwrap().label
    };
    let out = dir.path().join("citas.xlsx");
    let report = quipu_ok(&["export", "quotes", arg(&path), arg(&out), "--code", "Police use"]);
    assert!(report.contains("1 excerpt is longer than a spreadsheet cell holds"), "{report}");
    assert!(report.contains(&format!("cut, marked […] in the cell: {label}.")), "{report}");
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("Quotes").unwrap();
    let cut: Vec<String> =
        sheet.rows().filter(|row| row[0] == Data::String(label.clone())).map(|row| row[8].to_string()).collect();
    assert!(!cut.is_empty());
    for cell in cut {
        assert_eq!(cell.chars().count(), 32_767, "filled to the limit, no more");
        assert!(cell.ends_with("Word, HTML, Markdown and CSV exports]"), "the cut shows");
        assert!(long.starts_with(cell.split(" […]").next().unwrap()), "the kept part is the text's beginning");
    }
    // The CSV keeps the whole text.
    let csv = dir.path().join("citas.csv");
    quipu_ok(&["export", "quotes", arg(&path), arg(&csv), "--code", "Police use"]);
    assert!(std::fs::read_to_string(&csv).unwrap().contains(long.trim()));
}

#[test]
fn a_case_marked_sensitive_leaves_every_pseudonymised_export_as_a_letter() {
    let (dir, project) = demo();
    {
        let mut store = Store::open(&project).unwrap();
        let sensitive = store
            .add_attribute(quipu::model::AttributeScope::Case, "sensitive", quipu::model::AttributeType::Boolean)
            .unwrap();
        let case = store.case_by_name("Sallqamarca").unwrap().unwrap();
        store.set_case_attribute(case.case_id, sensitive, "yes").unwrap();
    }
    let mut outputs = Vec::new();
    for format in ["md", "csv", "docx"] {
        let out = dir.path().join(format!("casos.{format}"));
        quipu_ok(&["export", "quotes", arg(&project), arg(&out), "--group-by", "case"]);
        outputs.push(out);
    }
    let freq = dir.path().join("casos-freq.csv");
    quipu_ok(&["export", "freq", arg(&project), arg(&freq)]);
    outputs.push(freq);
    let exchange = dir.path().join("casos.qdpx");
    quipu_ok(&["export", "refi", arg(&project), arg(&exchange), "--names", "pseudonyms"]);
    outputs.push(exchange);
    for out in &outputs {
        let bytes = std::fs::read(out).unwrap();
        let text = if bytes.starts_with(b"PK") {
            zip_parts(out).into_iter().map(|(_, part)| part).collect::<Vec<_>>().join("\n")
        } else {
            String::from_utf8(bytes).unwrap()
        };
        assert!(!text.contains("Sallqamarca"), "{}: the sensitive case's name leaked", out.display());
        assert!(text.contains("Case A"), "{}: it shows as a letter", out.display());
        assert!(text.contains("Tambohuasi"), "{}: other cases keep their names", out.display());
    }
    // With real names asked for, it keeps its name.
    let real = dir.path().join("real.md");
    quipu_ok(&["export", "quotes", arg(&project), arg(&real), "--names", "real"]);
    assert!(std::fs::read_to_string(&real).unwrap().contains("Sallqamarca"));
}
