//! Frequencies, co-occurrence and attributes, checked against counts computed
//! here, independently, from the fixture's own description.

mod util;

use std::collections::{BTreeMap, BTreeSet};

use quipu::analysis::{c_coefficient, cooccurrence, frequencies};
use quipu::formats::attributes_csv::{import_attributes, read_attributes_csv};
use quipu::model::{
    AttributeScope, AttributeType, CodeDraft, CodingAnchor, ExcerptDraft, Side, SourceDraft, TranslationStatus,
};
use quipu::store::{Filter, Grouping, Store};
use quipu::text::CharSpan;
use util::{arg, quipu_err, quipu_ok};

/// A coding in the fixture: code, coder, and a passage (side, start, end) or None
/// for the whole excerpt.
type CodingSpec = (&'static str, &'static str, Option<(Side, usize, usize)>);

struct ExcerptSpec {
    case: &'static str,
    source: &'static str,
    speaker: &'static str,
    role: &'static str,
    date: &'static str,
    status: TranslationStatus,
    codings: &'static [CodingSpec],
}

const ORIGINAL: &str = "Uno dos tres cuatro cinco seis siete ocho nueve diez.";
const TRANSLATION: &str = "One two three four five six seven eight nine ten.";

/// Codes and their parents.
const CODES: &[(&str, Option<&str>)] = &[
    ("Environment", None),
    ("Water", Some("Environment")),
    ("Land", Some("Environment")),
    ("Trust", None),
    ("Police use", None),
];

const EXCERPTS: &[ExcerptSpec] = &[
    ExcerptSpec {
        case: "Cerro Alto",
        source: "E1",
        speaker: "Rosa",
        role: "presidenta",
        date: "2019-05",
        status: TranslationStatus::Reviewed,
        codings: &[("Water", "Ana", None), ("Land", "Ana", Some((Side::Original, 0, 7))), ("Trust", "Bea", None)],
    },
    ExcerptSpec {
        case: "Cerro Alto",
        source: "E1",
        speaker: "Rosa",
        role: "presidenta",
        date: "2019-05",
        status: TranslationStatus::Draft,
        codings: &[
            ("Police use", "Ana", None),
            ("Trust", "Ana", Some((Side::Original, 8, 12))),
            ("Trust", "Ana", Some((Side::Original, 20, 25))),
        ],
    },
    ExcerptSpec {
        case: "Cerro Alto",
        source: "E2",
        speaker: "Juan",
        role: "alcalde",
        date: "2021-03-14",
        status: TranslationStatus::Reviewed,
        codings: &[("Water", "Ana", Some((Side::Translation, 4, 13))), ("Police use", "Ana", None)],
    },
    ExcerptSpec {
        case: "Cerro Alto",
        source: "E2",
        speaker: "Juan",
        role: "alcalde",
        date: "2021-03-14",
        status: TranslationStatus::Reviewed,
        codings: &[],
    },
    ExcerptSpec {
        case: "Qori Wayra",
        source: "E3",
        speaker: "Rosa",
        role: "presidenta",
        date: "2020",
        status: TranslationStatus::Reviewed,
        codings: &[
            ("Land", "Ana", Some((Side::Original, 4, 12))),
            ("Trust", "Ana", Some((Side::Original, 8, 19))),
            ("Water", "Ana", Some((Side::Translation, 0, 3))),
        ],
    },
    ExcerptSpec {
        case: "Qori Wayra",
        source: "E3",
        speaker: "Rosa",
        role: "presidenta",
        date: "2020",
        status: TranslationStatus::Disputed,
        codings: &[("Water", "Bea", None)],
    },
];

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
}

fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("analysis.quipu");
    let mut store = Store::create(&path).unwrap();
    for (name, parent) in CODES {
        let parent_id = parent.map(|p| store.code_by_name(p).unwrap().unwrap().code_id);
        store
            .add_code(&CodeDraft { name: (*name).into(), description: String::new(), color: None, parent_id })
            .unwrap();
    }
    for spec in EXCERPTS {
        let case_id = match store.case_by_name(spec.case).unwrap() {
            Some(case) => case.case_id,
            None => store.add_case(spec.case, "").unwrap(),
        };
        let source_id = match store.sources_of_case(case_id).unwrap().into_iter().find(|s| s.name == spec.source) {
            Some(source) => source.source_id,
            None => store
                .add_source(
                    case_id,
                    &SourceDraft {
                        name: spec.source.into(),
                        speaker: spec.speaker.into(),
                        role: spec.role.into(),
                        date: spec.date.into(),
                        ..SourceDraft::default()
                    },
                )
                .unwrap(),
        };
        let excerpt_id = store
            .add_excerpt(
                source_id,
                &ExcerptDraft {
                    original: Some(ORIGINAL.into()),
                    translation: Some(TRANSLATION.into()),
                    translation_status: spec.status,
                    ..ExcerptDraft::default()
                },
            )
            .unwrap();
        for (code, coder, passage) in spec.codings {
            let code_id = store.code_by_name(code).unwrap().unwrap().code_id;
            let coder_id = store.ensure_coder(coder).unwrap();
            let anchor = match passage {
                None => CodingAnchor::Whole,
                Some((side, start, end)) => CodingAnchor::Passage { side: *side, span: CharSpan::new(*start, *end) },
            };
            store.add_coding(excerpt_id, code_id, coder_id, anchor).unwrap();
        }
    }
    Fixture { _dir: dir, path, store }
}

/// The codes a coding counts for: itself, and with children its ancestors.
fn counted_as(code: &str, with_children: bool) -> Vec<&'static str> {
    let mut out = vec![CODES.iter().find(|(name, _)| *name == code).unwrap().0];
    if with_children {
        let mut parent = CODES.iter().find(|(name, _)| *name == code).unwrap().1;
        while let Some(p) = parent {
            out.push(CODES.iter().find(|(name, _)| *name == p).unwrap().0);
            parent = CODES.iter().find(|(name, _)| *name == p).unwrap().1;
        }
    }
    out
}

fn in_dates(date: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let start = match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_owned(),
    };
    let end = match date.len() {
        4 => format!("{date}-12-31"),
        7 => format!("{date}-31"),
        _ => date.to_owned(),
    };
    from.is_none_or(|f| end.as_str() >= f) && to.is_none_or(|t| start.as_str() <= t)
}

/// (excerpts, codings, speakers) per group and code, counted by hand.
fn expected(
    group_of: impl Fn(&ExcerptSpec) -> String,
    coder: Option<&str>,
    dates: (Option<&str>, Option<&str>),
    statuses: &[TranslationStatus],
    with_children: bool,
) -> BTreeMap<(String, String), (u64, u64, u64)> {
    let mut excerpts: BTreeMap<(String, String), BTreeSet<usize>> = BTreeMap::new();
    let mut codings: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut speakers: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    for (index, spec) in EXCERPTS.iter().enumerate() {
        if !in_dates(spec.date, dates.0, dates.1) || (!statuses.is_empty() && !statuses.contains(&spec.status)) {
            continue;
        }
        for (code, coding_coder, _) in spec.codings {
            if coder.is_some_and(|c| c != *coding_coder) {
                continue;
            }
            for counted in counted_as(code, with_children) {
                let key = (group_of(spec), counted.to_owned());
                excerpts.entry(key.clone()).or_default().insert(index);
                *codings.entry(key.clone()).or_default() += 1;
                speakers.entry(key).or_default().insert(spec.speaker);
            }
        }
    }
    excerpts
        .into_iter()
        .map(|(key, set)| {
            let value = (set.len() as u64, codings[&key], speakers[&key].len() as u64);
            (key, value)
        })
        .collect()
}

fn actual(store: &Store, grouping: Grouping, filter: &Filter) -> BTreeMap<(String, String), (u64, u64, u64)> {
    let table = frequencies(store, grouping, filter).unwrap();
    let mut out = BTreeMap::new();
    for ((g, c), cell) in &table.cells {
        out.insert(
            (table.groups[*g].0.clone(), table.codes[*c].name.clone()),
            (cell.excerpts, cell.codings, cell.speakers),
        );
    }
    out
}

#[test]
fn frequencies_per_case_speaker_and_role_match_hand_counts() {
    let fixture = build();
    let filter = Filter::default();
    let none = (None, None);
    assert_eq!(actual(&fixture.store, Grouping::Case, &filter), expected(|s| s.case.into(), None, none, &[], false));
    assert_eq!(
        actual(&fixture.store, Grouping::Speaker, &filter),
        expected(|s| s.speaker.into(), None, none, &[], false)
    );
    assert_eq!(actual(&fixture.store, Grouping::Role, &filter), expected(|s| s.role.into(), None, none, &[], false));
    assert_eq!(
        actual(&fixture.store, Grouping::Source, &filter),
        expected(|s| format!("{} / {}", s.case, s.source), None, none, &[], false)
    );
}

#[test]
fn shares_and_totals_follow_group_sizes() {
    let fixture = build();
    let table = frequencies(&fixture.store, Grouping::Case, &Filter::default()).unwrap();
    let cerro = table.groups.iter().position(|(name, _)| name == "Cerro Alto").unwrap();
    let size = EXCERPTS.iter().filter(|s| s.case == "Cerro Alto").count() as u64;
    assert_eq!(table.groups[cerro].1, size);
    let police = table.codes.iter().position(|code| code.name == "Police use").unwrap();
    let cell = table.cell(cerro, police);
    assert_eq!(cell.share, cell.excerpts as f64 / size as f64);
    let trust = table.codes.iter().position(|code| code.name == "Trust").unwrap();
    let trust_excerpts = EXCERPTS.iter().filter(|s| s.codings.iter().any(|c| c.0 == "Trust")).count() as u64;
    assert_eq!(table.totals[trust].excerpts, trust_excerpts);
    assert_eq!(table.total_excerpts, EXCERPTS.len() as u64);
}

#[test]
fn parents_count_with_their_children_once_per_excerpt() {
    let fixture = build();
    let filter = Filter { with_children: true, ..Filter::default() };
    let counts = actual(&fixture.store, Grouping::Case, &filter);
    assert_eq!(counts, expected(|s| s.case.into(), None, (None, None), &[], true));
    // Excerpt 1 carries Water and Land: Environment counts it once, with two codings.
    let environment = counts[&("Cerro Alto".to_owned(), "Environment".to_owned())];
    assert_eq!((environment.0, environment.1), (2, 3));
    let without = actual(&fixture.store, Grouping::Case, &Filter::default());
    assert!(!without.contains_key(&("Cerro Alto".to_owned(), "Environment".to_owned())));
}

#[test]
fn coder_date_and_status_filters_match_hand_counts() {
    let fixture = build();
    let ana = fixture.store.coders().unwrap().into_iter().find(|c| c.name == "Ana").unwrap();
    let by_coder = Filter { coder_id: Some(ana.coder_id), ..Filter::default() };
    assert_eq!(
        actual(&fixture.store, Grouping::Case, &by_coder),
        expected(|s| s.case.into(), Some("Ana"), (None, None), &[], false)
    );
    let dated = Filter { date_from: Some("2020".into()), date_to: Some("2021-03".into()), ..Filter::default() };
    assert_eq!(
        actual(&fixture.store, Grouping::Case, &dated),
        expected(|s| s.case.into(), None, (Some("2020-01-01"), Some("2021-03-31")), &[], false)
    );
    let reviewed = Filter { statuses: vec![TranslationStatus::Reviewed], ..Filter::default() };
    assert_eq!(
        actual(&fixture.store, Grouping::Speaker, &reviewed),
        expected(|s| s.speaker.into(), None, (None, None), &[TranslationStatus::Reviewed], false)
    );
}

#[test]
fn the_cell_behind_a_count_lists_its_excerpts() {
    let fixture = build();
    let water = fixture.store.code_by_name("Water").unwrap().unwrap().code_id;
    let ids = fixture.store.cell_excerpts(Grouping::Case, "Qori Wayra", water, &Filter::default()).unwrap();
    let expected =
        EXCERPTS.iter().filter(|s| s.case == "Qori Wayra" && s.codings.iter().any(|c| c.0 == "Water")).count();
    assert_eq!(ids.len(), expected);
}

#[test]
fn cooccurrence_matches_hand_counted_pairs_and_overlaps() {
    let fixture = build();
    let table = cooccurrence(&fixture.store, &Filter::default()).unwrap();
    let index = |name: &str| table.codes.iter().position(|code| code.name == name).unwrap();
    let names: Vec<&str> = CODES.iter().map(|(name, _)| *name).collect();
    for (a, first) in names.iter().enumerate() {
        for second in &names[a + 1..] {
            let mut both = 0;
            let mut overlapping = 0;
            for spec in EXCERPTS {
                let of = |code: &str| spec.codings.iter().filter(move |c| c.0 == code).collect::<Vec<_>>();
                let (xs, ys) = (of(first), of(second));
                if xs.is_empty() || ys.is_empty() {
                    continue;
                }
                both += 1;
                let overlap = xs.iter().any(|x| {
                    ys.iter().any(|y| match (x.2, y.2) {
                        (None, _) | (_, None) => true,
                        (Some((sx, s1, e1)), Some((sy, s2, e2))) => sx == sy && s1 < e2 && s2 < e1,
                    })
                });
                overlapping += u64::from(overlap);
            }
            let n1 = EXCERPTS.iter().filter(|s| s.codings.iter().any(|c| c.0 == *first)).count() as u64;
            let n2 = EXCERPTS.iter().filter(|s| s.codings.iter().any(|c| c.0 == *second)).count() as u64;
            let pair = table.pair(index(first), index(second));
            assert_eq!((pair.excerpts, pair.overlapping), (both, overlapping), "{first} × {second}");
            assert_eq!(pair.c_coefficient, c_coefficient(n1, n2, both), "{first} × {second}");
            assert_eq!(table.pair(index(second), index(first)), pair, "the matrix is symmetric");
        }
    }
    // Land and Trust overlap twice: on the first excerpt Trust covers it whole, and
    // on the Qori Wayra excerpt their passages share characters 8..12.
    assert_eq!(table.pair(index("Land"), index("Trust")).overlapping, 2);
    let trust = fixture.store.code_by_name("Trust").unwrap().unwrap().code_id;
    let police = fixture.store.code_by_name("Police use").unwrap().unwrap().code_id;
    let listed = fixture.store.excerpts_with_both(trust, police, &Filter::default()).unwrap();
    assert_eq!(listed.len() as u64, table.pair(index("Trust"), index("Police use")).excerpts);
}

#[test]
fn attributes_import_with_types_and_group_frequencies() {
    let mut fixture = build();
    let csv = "caso,empresa,altitud,etapa,inicio\n\
               Cerro Alto,Minera Andina,\"4100,5\",operación,2016\n\
               Qori Wayra,Cóndor SAC,3600,exploración,2021-06\n";
    let table = read_attributes_csv(csv.as_bytes(), "casos.csv").unwrap();
    let summary = import_attributes(&mut fixture.store, &table, "casos.csv").unwrap();
    assert_eq!(summary.rows, 2);
    let types: BTreeMap<String, AttributeType> = fixture
        .store
        .attributes(AttributeScope::Case)
        .unwrap()
        .into_iter()
        .map(|attribute| (attribute.name, attribute.value_type))
        .collect();
    assert_eq!(types["empresa"], AttributeType::Text);
    assert_eq!(types["altitud"], AttributeType::Number);
    assert_eq!(types["inicio"], AttributeType::Date, "2016 and 2021-06 are both dates");
    let stage = fixture.store.attribute_by_name(AttributeScope::Case, "etapa").unwrap().unwrap();
    let counts = actual(&fixture.store, Grouping::CaseAttribute(stage.attribute_id), &Filter::default());
    let by_stage = expected(
        |s| if s.case == "Cerro Alto" { "operación".into() } else { "exploración".into() },
        None,
        (None, None),
        &[],
        false,
    );
    assert_eq!(counts, by_stage);
    let cerro = fixture.store.case_by_name("Cerro Alto").unwrap().unwrap();
    let values = fixture.store.case_attributes(cerro.case_id).unwrap();
    assert!(values.iter().any(|v| v.name == "altitud" && v.value == "4100.5"), "{values:?}");
}

#[test]
fn a_bad_attribute_file_names_the_row_and_column_and_changes_nothing() {
    let mut fixture = build();
    let first = "caso,altitud\nCerro Alto,4100\n";
    let table = read_attributes_csv(first.as_bytes(), "a.csv").unwrap();
    import_attributes(&mut fixture.store, &table, "a.csv").unwrap();
    let before = fixture.store.dump().unwrap();

    let not_a_number = "caso,altitud\nQori Wayra,3600\nCerro Alto,muy alto\n";
    let table = read_attributes_csv(not_a_number.as_bytes(), "b.csv").unwrap();
    let error = import_attributes(&mut fixture.store, &table, "b.csv").unwrap_err().to_string();
    assert!(error.contains("b.csv, row 3, column 'altitud'"), "{error}");
    assert!(error.contains("'muy alto' is not a number"), "{error}");
    assert_eq!(fixture.store.dump().unwrap(), before);

    // Hostile files: an unclosed quote, bytes that are not UTF-8.
    let error = read_attributes_csv(b"caso,altitud\nCerro Alto,\"4100\nQori Wayra,3600\n", "d.csv").unwrap_err();
    assert!(error.to_string().contains("d.csv, row 2: a quoted cell opens here and is never closed"), "{error}");
    let error = read_attributes_csv(b"caso,altitud\nCerro Alto,41\x0000\n", "n.csv").unwrap_err();
    assert!(error.to_string().contains("n.csv, row 2, column 'altitud': the cell holds a NUL"), "{error}");
    let error = read_attributes_csv(b"caso,regi\xf3n\nCerro Alto,Cusco\n", "e.csv").unwrap_err();
    assert!(error.to_string().contains("e.csv: the file is not valid UTF-8"), "{error}");
    assert_eq!(fixture.store.dump().unwrap(), before);

    let unknown_case = "caso,altitud\nCerro Bajo,10\n";
    let table = read_attributes_csv(unknown_case.as_bytes(), "c.csv").unwrap();
    let error = import_attributes(&mut fixture.store, &table, "c.csv").unwrap_err().to_string();
    assert!(error.contains("c.csv, row 2: there is no case named 'Cerro Bajo'"), "{error}");
    assert_eq!(fixture.store.dump().unwrap(), before);
}

#[test]
fn source_attributes_are_imported_and_grouped_by() {
    let mut fixture = build();
    let csv = "caso,fuente,género\nCerro Alto,E1,mujer\nCerro Alto,E2,hombre\nQori Wayra,E3,mujer\n";
    let table = read_attributes_csv(csv.as_bytes(), "f.csv").unwrap();
    assert_eq!(table.scope, AttributeScope::Source);
    import_attributes(&mut fixture.store, &table, "f.csv").unwrap();
    let gender = fixture.store.attribute_by_name(AttributeScope::Source, "género").unwrap().unwrap();
    let counts = actual(&fixture.store, Grouping::SourceAttribute(gender.attribute_id), &Filter::default());
    let expected = expected(
        |s| if s.speaker == "Juan" { "hombre".into() } else { "mujer".into() },
        None,
        (None, None),
        &[],
        false,
    );
    assert_eq!(counts, expected);
}

#[test]
fn the_command_line_groups_filters_and_counts_pairs() {
    let fixture = build();
    let project = arg(&fixture.path);
    let dir = fixture.path.parent().unwrap();
    let attributes = dir.join("casos.csv");
    std::fs::write(&attributes, "case,stage\nCerro Alto,operation\nQori Wayra,exploration\n").unwrap();
    let report = quipu_ok(&["import", "attributes", project, arg(&attributes)]);
    assert!(report.contains("New case attribute 'stage' (text)"), "{report}");

    let json: serde_json::Value = serde_json::from_str(&quipu_ok(&[
        "freq",
        project,
        "--by",
        "stage",
        "--with-children",
        "--coder",
        "Ana",
        "--from",
        "2019",
        "--to",
        "2020",
        "--json",
    ]))
    .unwrap();
    assert_eq!(json["by"], "stage");
    let want = expected(
        |s| if s.case == "Cerro Alto" { "operation".into() } else { "exploration".into() },
        Some("Ana"),
        (Some("2019-01-01"), Some("2020-12-31")),
        &[],
        true,
    );
    for ((group, code), (excerpts, _, _)) in &want {
        assert_eq!(json["counts"][group][code], *excerpts, "{group} / {code}");
    }
    let total: usize = json["counts"].as_object().unwrap().values().map(|v| v.as_object().unwrap().len()).sum();
    assert_eq!(total, want.len());

    let csv = quipu_ok(&["cooccur", project, "--csv"]);
    assert!(csv.starts_with("code1,code2,n1,n2,excerpts,overlapping,c\n"), "{csv}");
    assert!(csv.contains("Trust,Police use,") || csv.contains("Police use,Trust,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&quipu_ok(&["cooccur", project, "--json"])).unwrap();
    assert!(!json["pairs"].as_array().unwrap().is_empty());

    let only_operation: serde_json::Value =
        serde_json::from_str(&quipu_ok(&["freq", project, "--where", "stage=operation", "--json"])).unwrap();
    let counts = only_operation["counts"].as_object().unwrap();
    assert_eq!(counts.keys().collect::<Vec<_>>(), ["Cerro Alto"], "only the case in operation");
    let want = expected(|s| s.case.into(), None, (None, None), &[], false);
    for ((group, code), (excerpts, _, _)) in want.iter().filter(|((group, _), _)| group == "Cerro Alto") {
        assert_eq!(counts[group][code], *excerpts);
    }
    let error = quipu_err(&["freq", project, "--where", "altitude=3"]);
    assert!(error.contains("no attribute 'altitude'"), "{error}");

    let error = quipu_err(&["freq", project, "--by", "altitude"]);
    assert!(error.contains("cannot group by 'altitude'; choose one of: case, source, speaker, role, stage"), "{error}");
    let error = quipu_err(&["freq", project, "--coder", "Nadie"]);
    assert!(error.contains("no coder 'Nadie'"), "{error}");
    let error = quipu_err(&["freq", project, "--from", "03/2020"]);
    assert!(error.contains("'03/2020' is not a date"), "{error}");
}

#[test]
fn overlapping_passages_are_the_words_two_codes_share() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    quipu::demo::write_demo(&path).unwrap();
    let store = quipu::store::Store::open(&path).unwrap();
    let filter = quipu::store::Filter::default();
    let pairs = store.code_pairs(&filter).unwrap();
    let pair = pairs.iter().find(|pair| pair.overlapping > 0).expect("the demo has overlapping codes");
    let passages = store.overlapping_passages(pair.first, pair.second, &filter, 100).unwrap();
    assert!(passages.len() as u64 >= pair.overlapping, "{passages:?} for {pair:?}");
    for passage in &passages {
        let excerpt = store.excerpt(passage.excerpt_id).unwrap();
        let texts = [excerpt.original.unwrap_or_default(), excerpt.translation.unwrap_or_default()];
        assert!(!passage.text.is_empty() && texts.iter().any(|text| text.contains(&passage.text)), "{passage:?}");
    }
}

#[test]
fn one_filter_means_the_same_to_the_excerpt_list_the_counts_and_the_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    quipu::demo::write_demo(&path).unwrap();
    let store = Store::open(&path).unwrap();
    let speaker = store.speakers().unwrap()[0].clone();
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    let filter =
        Filter { speakers: vec![speaker.clone()], statuses: vec![TranslationStatus::Reviewed], ..Filter::default() };
    // Computed from the excerpts themselves, the slow and obvious way.
    let expected: BTreeSet<_> = store
        .excerpt_ids()
        .unwrap()
        .into_iter()
        .filter(|id| {
            let excerpt = store.excerpt(*id).unwrap();
            excerpt.translation_status == TranslationStatus::Reviewed
                && store.source(excerpt.source_id).unwrap().speaker == speaker
        })
        .collect();
    assert!(!expected.is_empty());
    let listed: BTreeSet<_> = store.filtered_excerpt_ids(&filter).unwrap().into_iter().collect();
    assert_eq!(listed, expected, "the list");
    let table = frequencies(&store, Grouping::Speaker, &filter).unwrap();
    assert_eq!(table.total_excerpts, expected.len() as u64, "the counts' group sizes");
    let quotes = store.coded_quotes(&filter).unwrap();
    assert!(!quotes.is_empty() && quotes.iter().all(|quote| expected.contains(&quote.excerpt.excerpt_id)), "quotes");
    // A code narrows all three the same way.
    let with_code = Filter { codes: vec![trust], ..filter.clone() };
    let coded: BTreeSet<_> = store.filtered_excerpt_ids(&with_code).unwrap().into_iter().collect();
    let coded_quotes: BTreeSet<_> =
        store.coded_quotes(&with_code).unwrap().into_iter().map(|quote| quote.excerpt.excerpt_id).collect();
    assert_eq!(coded, coded_quotes);
    let counted = frequencies(&store, Grouping::All, &with_code).unwrap();
    let trust_row = counted.codes.iter().position(|code| code.code_id == trust).unwrap();
    assert_eq!(counted.totals[trust_row].excerpts, coded.len() as u64);
    // The cell behind a count, and co-occurrence with what lies behind its cells.
    let cell: BTreeSet<_> =
        store.cell_excerpts(Grouping::Speaker, &speaker, trust, &filter).unwrap().into_iter().collect();
    assert_eq!(cell, coded, "the cell");
    for pair in store.code_pairs(&filter).unwrap() {
        let both = store.excerpts_with_both(pair.first, pair.second, &filter).unwrap();
        assert_eq!(both.len() as u64, pair.excerpts, "{pair:?}");
        assert!(both.iter().all(|id| expected.contains(id)), "{pair:?}");
        let passages = store.overlapping_passages(pair.first, pair.second, &filter, 1000).unwrap();
        assert!(passages.iter().all(|passage| expected.contains(&passage.excerpt_id)), "{pair:?}");
    }
}
