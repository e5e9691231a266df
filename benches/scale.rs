//! The scale benchmark: a project of 200,000 excerpts and 1,000,000 codings, built
//! and then queried the way the window and the command line query it. Each
//! operation is timed beside its baseline, the simplest program doing the same
//! work (a bare `rusqlite` statement on the same file, in the same run), and the
//! window's frames are timed by driving the real app headless. Prints medians;
//! asserts nothing (machines are shared and noisy).
//!
//!     cargo bench --bench scale                # 200,000 excerpts, 5 codings each
//!     cargo bench --bench scale -- --json      # one JSON object per line
//!     QUIPU_BENCH_EXCERPTS=50000 cargo bench --bench scale

use std::time::{Duration, Instant};

use quipu::analysis::frequencies;
use quipu::model::{DEFAULT_CODEBOOK, ExcerptDraft, SourceDraft, TranslationStatus};
use quipu::store::{Filter, Grouping, ImportOptions, ImportRow, MergeSummary, SearchQuery, Store, StoreError};

const SPANISH: &[&str] = &[
    "la",
    "comunidad",
    "policía",
    "empresa",
    "agua",
    "río",
    "niños",
    "acuerdo",
    "mesa",
    "diálogo",
    "Estado",
    "municipalidad",
    "tierra",
    "ganado",
    "dirigentes",
    "asamblea",
    "promesa",
    "trabajo",
    "contaminación",
    "confianza",
    "ONG",
    "minera",
    "canon",
    "carretera",
    "posta",
    "escuela",
    "señor",
    "nosotros",
    "nunca",
    "siempre",
];
const ENGLISH: &[&str] = &[
    "the",
    "community",
    "police",
    "company",
    "water",
    "river",
    "children",
    "agreement",
    "table",
    "dialogue",
    "state",
    "municipality",
    "land",
    "cattle",
    "leaders",
    "assembly",
    "promise",
    "work",
    "pollution",
    "trust",
    "NGO",
    "mining",
    "royalties",
    "road",
    "clinic",
    "school",
    "sir",
    "we",
    "never",
    "always",
];

/// Sub-codes under three themes, so rolling sub-codes up has work to do.
const SUB_CODES: [(&str, &str); 6] = [
    ("State absence", "No clinic"),
    ("State absence", "No school"),
    ("Trust", "In the company"),
    ("Trust", "In the state"),
    ("Police use", "At the mine gate"),
    ("Police use", "Against protesters"),
];

/// Adds the default codebook and [`SUB_CODES`].
fn add_codebook(store: &mut Store) {
    store.add_default_codebook().expect("codebook");
    for (parent, child) in SUB_CODES {
        let parent_id = store.code_by_name(parent).expect("code").expect("a default code").code_id;
        let draft = quipu::model::CodeDraft {
            name: child.to_owned(),
            description: String::new(),
            color: None,
            parent_id: Some(parent_id),
        };
        store.add_code(&draft).expect("sub-code");
    }
}

/// How the benchmark imports: as the CSV importer does a large file.
const STREAMED: ImportOptions<'static> =
    ImportOptions { coder: "bench", dry_run: false, code_choices: &[], large: true };

/// A small deterministic generator, so every run builds the same project.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn sentence(rng: &mut Lcg, words: &[&str], length: usize) -> String {
    let mut text: Vec<&str> = (0..length).map(|_| words[rng.next() % words.len()]).collect();
    text.push("…");
    text.join(" ")
}

/// The benchmark's rows, made one at a time as they are read (the same every
/// run), so the rows never take memory of their own: what the process holds
/// is the program's.
fn rows(excerpts: usize, codes_per_excerpt: usize) -> impl Iterator<Item = ImportRow> {
    let mut rng = Lcg(42);
    let mut codes: Vec<String> = DEFAULT_CODEBOOK.iter().map(|code| code.name.to_owned()).collect();
    codes.extend(SUB_CODES.iter().map(|(parent, child)| format!("{parent}/{child}")));
    (0..excerpts).map(move |n| {
        let case = n % 40;
        let length = 20 + rng.next() % 40;
        let mut row_codes: Vec<String> = Vec::new();
        while row_codes.len() < codes_per_excerpt {
            // Cases lean towards different codes, as real ones do.
            let code = codes[(case + rng.next() % 6 * (rng.next() % 3)) % codes.len()].clone();
            if !row_codes.contains(&code) {
                row_codes.push(code);
            }
        }
        ImportRow {
            row_number: n + 2,
            case_name: format!("Caso {case:02}"),
            source: SourceDraft {
                name: format!("Entrevista {:04}", n % 2000),
                speaker: format!("Hablante {:04}", n % 1500),
                role: ["dirigente", "funcionaria", "ingeniero", "ONG"][n % 4].to_owned(),
                ..SourceDraft::default()
            },
            excerpt: ExcerptDraft {
                label: format!("E{n:06}"),
                original: Some(sentence(&mut rng, SPANISH, length)),
                translation: (n % 10 != 0).then(|| sentence(&mut rng, ENGLISH, length)),
                translation_status: if n % 10 == 0 { TranslationStatus::Missing } else { TranslationStatus::Draft },
                ..ExcerptDraft::default()
            },
            codes: row_codes,
            memo: String::new(),
        }
    })
}

/// Runs `work` `runs` times and returns every duration, sorted.
fn timed(runs: usize, mut work: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// Runs `work` `runs` times and returns the median duration.
fn median(runs: usize, work: impl FnMut()) -> Duration {
    let times = timed(runs, work);
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:>9.1} ms", duration.as_secs_f64() * 1000.0)
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The figures of one operation, printed as a table row or a JSON line.
struct Measured {
    op: &'static str,
    label: String,
    quipu: Duration,
    baseline: Option<Duration>,
    runs: usize,
    /// The 95th percentile, for frames.
    p95: Option<Duration>,
    note: String,
}

/// Where figures go: the table (as they come) or JSON lines.
struct Report {
    json: bool,
    measured: Vec<Measured>,
    /// The highest resident memory of the phases measured so far, in MB.
    peak_mb: f64,
}

impl Report {
    /// The peak resident memory since the last call, in MB; the kernel's
    /// mark is reset, so each row of the table shows what its work took.
    fn phase_peak_mb(&mut self) -> f64 {
        let peak = peak_rss_mb();
        self.peak_mb = self.peak_mb.max(peak);
        // Linux resets the peak ("VmHWM") to the current size on "5".
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        peak
    }

    fn add(&mut self, measured: Measured) {
        let phase_peak = self.phase_peak_mb();
        if self.json {
            let line = serde_json::json!({
                "op": measured.op,
                "quipu_ms": millis(measured.quipu),
                "baseline_ms": measured.baseline.map(millis),
                "n": measured.runs,
            });
            let mut line = line.as_object().cloned().unwrap_or_default();
            if let Some(p95) = measured.p95 {
                line.insert("p95_ms".into(), serde_json::json!(millis(p95)));
            }
            println!("{}", serde_json::Value::Object(line));
        } else {
            let baseline = measured.baseline.map_or_else(|| format!("{:>12}", "—"), ms);
            let ratio = measured.baseline.map_or_else(
                || "      ".to_owned(),
                |baseline| format!("{:>5.2}x", measured.quipu.as_secs_f64() / baseline.as_secs_f64().max(1e-9)),
            );
            let p95 = measured.p95.map(|p95| format!("  p95 {}", ms(p95).trim_start())).unwrap_or_default();
            println!(
                "{:<46}{}  {}  {}{p95}  {}  (peak {phase_peak:.0} MB)",
                measured.label,
                ms(measured.quipu),
                baseline,
                ratio,
                measured.note
            );
        }
        self.measured.push(measured);
    }

    /// Prints progress (to standard error in JSON mode, so the lines stay parseable).
    fn say(&self, text: &str) {
        if self.json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }
}

/// One operation's row with its baseline, both medians of `runs`.
fn compare(
    report: &mut Report,
    op: &'static str,
    label: &str,
    runs: usize,
    quipu: impl FnMut(),
    baseline: Option<&mut dyn FnMut()>,
    note: String,
) {
    let quipu = median(runs, quipu);
    let baseline = baseline.map(|work| median(runs, work));
    report.add(Measured { op, label: label.to_owned(), quipu, baseline, runs, p95: None, note });
}

/// One memory figure of this process from `/proc/self/status`, in MB (Linux; 0 elsewhere).
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|line| line.starts_with(field)).and_then(|line| {
                line.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()).map(|kb| kb / 1024.0)
            })
        })
        .unwrap_or(0.0)
}

/// The peak resident memory of this process, in MB.
fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Merges the project at `copy` into `into` as the window does: one undo
/// step of its own store, recorded by that store's undo triggers.
fn merge_undoable(into: &mut Store, copy: &std::path::Path) -> MergeSummary {
    into.enable_undo().expect("undo");
    into.with_copy_attached(copy, |into| into.undoable("Merge", Store::merge_attached)).expect("merge")
}

/// The baseline import: the same rows written by a bare program into tables
/// holding the same columns and indexes, with a full-text index, in one
/// transaction with prepared statements.
fn baseline_import(path: &std::path::Path, rows: impl Iterator<Item = ImportRow>) {
    let mut conn = rusqlite::Connection::open(path).expect("baseline file");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE cases (case_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         CREATE TABLE sources (source_id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, name TEXT NOT NULL,
             speaker TEXT NOT NULL, role TEXT NOT NULL);
         CREATE TABLE codes (code_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         CREATE TABLE excerpts (excerpt_id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, label TEXT NOT NULL,
             position INTEGER NOT NULL, original_text TEXT, translation_text TEXT, translation_status TEXT NOT NULL);
         CREATE INDEX excerpts_by_source ON excerpts (source_id, position);
         CREATE TABLE codings (coding_id INTEGER PRIMARY KEY, excerpt_id INTEGER NOT NULL, code_id INTEGER NOT NULL,
             source_id INTEGER NOT NULL);
         CREATE INDEX codings_by_code ON codings (code_id, excerpt_id);
         CREATE INDEX codings_by_excerpt ON codings (excerpt_id, code_id);
         CREATE INDEX codings_by_source ON codings (source_id, code_id, excerpt_id);
         CREATE VIRTUAL TABLE excerpt_search USING fts5 (original_text, translation_text,
             content = 'excerpts', content_rowid = 'excerpt_id', tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("baseline schema");
    let transaction = conn.transaction().expect("transaction");
    {
        let mut cases: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let mut sources: std::collections::HashMap<(i64, String), (i64, i64)> = std::collections::HashMap::new();
        let mut codes: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let mut insert_case = transaction.prepare("INSERT INTO cases (name) VALUES (?1)").expect("sql");
        let mut insert_source = transaction
            .prepare("INSERT INTO sources (case_id, name, speaker, role) VALUES (?1, ?2, ?3, ?4)")
            .expect("sql");
        let mut insert_code = transaction.prepare("INSERT INTO codes (name) VALUES (?1)").expect("sql");
        let mut insert_excerpt = transaction
            .prepare(
                "INSERT INTO excerpts (source_id, label, position, original_text, translation_text, translation_status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .expect("sql");
        let mut insert_search = transaction
            .prepare("INSERT INTO excerpt_search (rowid, original_text, translation_text) VALUES (?1, ?2, ?3)")
            .expect("sql");
        let mut insert_coding = transaction
            .prepare("INSERT INTO codings (excerpt_id, code_id, source_id) VALUES (?1, ?2, ?3)")
            .expect("sql");
        for row in rows {
            let case_id = match cases.get(&row.case_name) {
                Some(case_id) => *case_id,
                None => {
                    insert_case.execute([&row.case_name]).expect("case");
                    let case_id = transaction.last_insert_rowid();
                    cases.insert(row.case_name.clone(), case_id);
                    case_id
                }
            };
            let key = (case_id, row.source.name);
            if !sources.contains_key(&key) {
                insert_source
                    .execute(rusqlite::params![case_id, key.1, row.source.speaker, row.source.role])
                    .expect("source");
                sources.insert(key.clone(), (transaction.last_insert_rowid(), 0));
            }
            let source = sources.get_mut(&key).expect("just added");
            source.1 += 1;
            let source_id = source.0;
            let excerpt = &row.excerpt;
            insert_excerpt
                .execute(rusqlite::params![
                    source_id,
                    excerpt.label,
                    source.1,
                    excerpt.original,
                    excerpt.translation,
                    excerpt.translation_status.as_str()
                ])
                .expect("excerpt");
            let excerpt_id = transaction.last_insert_rowid();
            insert_search.execute(rusqlite::params![excerpt_id, excerpt.original, excerpt.translation]).expect("fts");
            for code in &row.codes {
                let code_id = match codes.get(code) {
                    Some(code_id) => *code_id,
                    None => {
                        insert_code.execute([code]).expect("code");
                        let code_id = transaction.last_insert_rowid();
                        codes.insert(code.clone(), code_id);
                        code_id
                    }
                };
                insert_coding.execute(rusqlite::params![excerpt_id, code_id, source_id]).expect("coding");
            }
        }
    }
    transaction.commit().expect("commit");
}

/// Rows of a query, each value read out as an owned value (as Quipu has to
/// hand them on): what a bare program pays to get them.
fn drain(conn: &rusqlite::Connection, sql: &str, params: impl rusqlite::Params) -> usize {
    let mut statement = conn.prepare_cached(sql).expect("baseline sql");
    let mut rows = statement.query(params).expect("baseline query");
    let mut count = 0;
    while let Some(row) = rows.next().expect("row") {
        for column in 0..row.as_ref().column_count() {
            std::hint::black_box(row.get::<_, rusqlite::types::Value>(column).expect("column"));
        }
        count += 1;
    }
    count
}

fn main() {
    let json = std::env::args().any(|arg| arg == "--json");
    let mut report = Report { json, measured: Vec::new(), peak_mb: 0.0 };
    let excerpts: usize = std::env::var("QUIPU_BENCH_EXCERPTS").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let codes_per_excerpt = 5;
    let dir = tempfile::tempdir().expect("temporary folder");
    // QUIPU_BENCH_KEEP=PATH keeps the generated project there, for looking into.
    let path = match std::env::var_os("QUIPU_BENCH_KEEP") {
        Some(path) => std::path::PathBuf::from(path),
        None => dir.path().join("scale.quipu"),
    };
    let _ = std::fs::remove_file(&path);
    report.say(&format!(
        "Quipu scale benchmark: {excerpts} excerpts, {} codings\n{:<46}{:>12}  {:>12}  {:>6}",
        excerpts * codes_per_excerpt,
        "operation",
        "Quipu",
        "baseline",
        "ratio"
    ));

    // Both imports read the rows as they are made; making them alone takes this.
    let start = Instant::now();
    let made = rows(excerpts, codes_per_excerpt).count();
    report.say(&format!("{:<46}{}  ({made} rows, made one at a time)", "(make the rows alone)", ms(start.elapsed())));

    // Import: Quipu into a new project, the baseline into a bare file, once each.
    let mut store = Store::create(&path).expect("create");
    add_codebook(&mut store);
    let start = Instant::now();
    let summary = store
        .import_stream(rows(excerpts, codes_per_excerpt).map(Ok::<_, StoreError>), STREAMED, &mut |_| true)
        .expect("import");
    let import_time = start.elapsed();
    drop(store);
    let bare = dir.path().join("baseline.sqlite");
    let start = Instant::now();
    baseline_import(&bare, rows(excerpts, codes_per_excerpt));
    let baseline_import_time = start.elapsed();
    report.add(Measured {
        op: "import",
        label: "import (one transaction)".into(),
        quipu: import_time,
        baseline: Some(baseline_import_time),
        runs: 1,
        p95: None,
        note: format!("{:.0} excerpts/s", summary.excerpts as f64 / import_time.as_secs_f64()),
    });
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    report.say(&format!("{:<46}{:>9.1} MB", "(project file size)", size as f64 / 1e6));

    compare(
        &mut report,
        "open",
        "open + count excerpts",
        5,
        || {
            let store = Store::open(&path).expect("open");
            std::hint::black_box(store.excerpt_count().expect("count"));
        },
        Some(&mut || {
            let conn = rusqlite::Connection::open(&path).expect("open");
            drain(&conn, "SELECT COUNT(*) FROM excerpts", []);
        }),
        String::new(),
    );

    let store = Store::open(&path).expect("open");
    let raw = rusqlite::Connection::open(&path).expect("bare connection");
    let sizes_by = |group: &str| {
        format!(
            "SELECT {group}, COUNT(*) FROM excerpts e JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id GROUP BY 1"
        )
    };
    let counts_by = |group: &str| {
        format!(
            "SELECT {group}, k.code_id, COUNT(DISTINCT k.excerpt_id), COUNT(*), COUNT(DISTINCT s.speaker)
             FROM codings k JOIN sources s ON s.source_id = k.source_id JOIN cases ca ON ca.case_id = s.case_id
             GROUP BY 1, 2"
        )
    };
    for (op, grouping, group_sql) in [
        ("freq_case", Grouping::Case, "ca.name"),
        ("freq_source", Grouping::Source, "s.source_id"),
        ("freq_speaker", Grouping::Speaker, "s.speaker"),
    ] {
        compare(
            &mut report,
            op,
            &format!("freq --by {}", grouping.as_str()),
            5,
            || {
                std::hint::black_box(frequencies(&store, grouping, &Filter::default()).expect("freq"));
            },
            Some(&mut || {
                drain(&raw, &sizes_by(group_sql), []);
                drain(&raw, &counts_by(group_sql), []);
            }),
            String::new(),
        );
    }
    let with_children = Filter { with_children: true, ..Filter::default() };
    compare(
        &mut report,
        "freq_case_children",
        "freq --by case --with-children",
        5,
        || {
            std::hint::black_box(frequencies(&store, Grouping::Case, &with_children).expect("freq"));
        },
        Some(&mut || {
            drain(&raw, &sizes_by("ca.name"), []);
            drain(
                &raw,
                "WITH RECURSIVE ancestry (code_id, counted_as) AS (
                     SELECT code_id, code_id FROM codes
                     UNION ALL
                     SELECT a.code_id, c.parent_id FROM ancestry a JOIN codes c ON c.code_id = a.counted_as
                     WHERE c.parent_id IS NOT NULL)
                 SELECT ca.name, a.counted_as, COUNT(DISTINCT k.excerpt_id), COUNT(*), COUNT(DISTINCT s.speaker)
                 FROM codings k JOIN ancestry a ON a.code_id = k.code_id
                 JOIN sources s ON s.source_id = k.source_id JOIN cases ca ON ca.case_id = s.case_id
                 GROUP BY 1, 2",
                [],
            );
        }),
        String::new(),
    );
    compare(
        &mut report,
        "cooccur",
        "co-occurrence, whole codebook",
        3,
        || {
            std::hint::black_box(quipu::analysis::cooccurrence(&store, &Filter::default()).expect("cooccur"));
        },
        Some(&mut || {
            drain(
                &raw,
                "SELECT a.code_id, b.code_id, COUNT(DISTINCT a.excerpt_id)
                 FROM codings a JOIN codings b ON b.excerpt_id = a.excerpt_id AND a.code_id < b.code_id
                 GROUP BY 1, 2",
                [],
            );
        }),
        String::new(),
    );
    compare(
        &mut report,
        "code_counts",
        "code counts, whole codebook",
        5,
        || {
            std::hint::black_box(store.code_counts().expect("counts"));
        },
        Some(&mut || {
            drain(&raw, "SELECT code_id, COUNT(DISTINCT excerpt_id), COUNT(*) FROM codings GROUP BY code_id", []);
        }),
        String::new(),
    );

    for (op, words, label) in
        [("search_common", "policia", "search, common word"), ("search_phrase", "\"agua nunca\"", "search, phrase")]
    {
        let query = SearchQuery::new(words);
        let total = store.search(&query).expect("search").total;
        compare(
            &mut report,
            op,
            label,
            5,
            || {
                std::hint::black_box(store.search(&query).expect("search"));
            },
            Some(&mut || {
                drain(&raw, "SELECT COUNT(*) FROM excerpt_search WHERE excerpt_search MATCH ?1", [words]);
                drain(
                    &raw,
                    "SELECT rowid, snippet(excerpt_search, 0, '[', ']', '…', 24),
                            snippet(excerpt_search, 1, '[', ']', '…', 24)
                     FROM excerpt_search WHERE excerpt_search MATCH ?1 ORDER BY rowid LIMIT 50",
                    [words],
                );
            }),
            format!("{total} hits, first page of 50"),
        );
    }

    let list_sql = "SELECT e.excerpt_id FROM excerpts e JOIN sources s ON s.source_id = e.source_id
                    JOIN cases ca ON ca.case_id = s.case_id ORDER BY ca.name, s.name, e.position";
    compare(
        &mut report,
        "excerpt_list",
        "excerpt list, no filter",
        5,
        || {
            std::hint::black_box(store.filtered_excerpt_ids(&Filter::default()).expect("list"));
        },
        Some(&mut || {
            drain(&raw, list_sql, []);
        }),
        String::new(),
    );
    let trust = store.code_by_name("Trust").expect("code").expect("Trust");
    let by_code = Filter { codes: vec![trust.code_id], ..Filter::default() };
    let listed = store.filtered_excerpt_ids(&by_code).expect("list").len();
    compare(
        &mut report,
        "excerpt_list_code",
        "excerpt list, one code",
        5,
        || {
            std::hint::black_box(store.filtered_excerpt_ids(&by_code).expect("list"));
        },
        Some(&mut || {
            drain(
                &raw,
                "SELECT e.excerpt_id FROM excerpts e JOIN sources s ON s.source_id = e.source_id
                 JOIN cases ca ON ca.case_id = s.case_id
                 WHERE EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND k.code_id = ?1)
                 ORDER BY ca.name, s.name, e.position",
                [trust.code_id.0],
            );
        }),
        format!("{listed} excerpts"),
    );
    // Every column a quote carries into a report: the excerpt, its source and
    // case, the code and the coding.
    let quotes_sql = "SELECT e.excerpt_id, e.source_id, e.label, e.position, e.original_text, e.original_lang,
                             e.translation_text, e.translation_lang, e.translation_status, e.translation_note,
                             e.speaker, e.interviewer, e.time, s.source_id, s.case_id, s.name, s.speaker, s.role,
                             s.place, s.date, s.interviewer, s.pseudonym, s.description, ca.name, k.code_id, c.name,
                             k.side, k.start_char, k.end_char, k.covered_text, c.color
                      FROM codings k JOIN codes c ON c.code_id = k.code_id
                      JOIN excerpts e ON e.excerpt_id = k.excerpt_id
                      JOIN sources s ON s.source_id = e.source_id JOIN cases ca ON ca.case_id = s.case_id
                      WHERE k.code_id = ?1 ORDER BY ca.name, s.name, e.position, k.side, k.start_char";
    let quoted = store.coded_quotes(&by_code).expect("quotes").len();
    compare(
        &mut report,
        "coded_quotes",
        "coded quotes of one code",
        5,
        || {
            std::hint::black_box(store.coded_quotes(&by_code).expect("quotes"));
        },
        Some(&mut || {
            drain(&raw, quotes_sql, [trust.code_id.0]);
        }),
        format!("{quoted} quotes"),
    );
    let options = quipu::formats::report::ReportOptions { filter: by_code.clone(), ..Default::default() };
    compare(
        &mut report,
        "docx_report",
        "Word report of one code",
        3,
        || {
            std::hint::black_box(
                quipu::formats::render_quotes(&store, &options, quipu::formats::QuoteFormat::Docx).expect("docx"),
            );
        },
        None,
        format!("{quoted} quotes"),
    );

    // REFI-QDA exchange of the whole project: one export, then one import into
    // an empty project (the window runs the import in the background, as one
    // undoable step).
    // The export goes to a file, as `quipu export refi` and the window write it;
    // the import reads that file, as they do.
    let exchange = dir.path().join("exchange.qdpx");
    let start = Instant::now();
    quipu::formats::refi::export_project_to(&store, quipu::formats::pseudonyms::Names::Real, &exchange, &mut |_, _| {
        true
    })
    .expect("REFI-QDA export");
    report.add(Measured {
        op: "refi_export",
        label: "REFI-QDA export, whole project".into(),
        quipu: start.elapsed(),
        baseline: None,
        runs: 1,
        p95: None,
        note: format!("{:.1} MB", std::fs::metadata(&exchange).map_or(0, |m| m.len()) as f64 / 1e6),
    });
    let copy = dir.path().join("exchange.quipu");
    let mut target = Store::create(&copy).expect("empty project");
    let start = Instant::now();
    let qdpx = std::fs::read(&exchange).expect("the exported file");
    let summary = quipu::formats::refi::import_refi(&mut target, &qdpx, "exchange.qdpx", "bench").expect("import");
    report.add(Measured {
        op: "refi_import",
        label: "REFI-QDA import into an empty project".into(),
        quipu: start.elapsed(),
        baseline: None,
        runs: 1,
        p95: None,
        note: format!("{} excerpts, {} codings", summary.excerpts, summary.codings),
    });
    drop(target);
    drop(qdpx);

    // A second coder's work merged back: the whole project's codings into its
    // blind copy (as the window does it, as one undoable step). The baseline
    // copies the same rows across with one bare statement, into another blind
    // copy with the running-count triggers taken out.
    let blind = dir.path().join("blind.quipu");
    store
        .save_copy_with(&blind, quipu::store::CopyOptions { without_codings: true, without_memos: false })
        .expect("blind copy");
    let bare_blind = dir.path().join("blind-bare.quipu");
    std::fs::copy(&blind, &bare_blind).expect("second blind copy");
    let blind_for_undo = dir.path().join("blind-undo.quipu");
    std::fs::copy(&blind, &blind_for_undo).expect("third blind copy");
    let mut coder = Store::open(&blind).expect("blind copy opens");
    let start = Instant::now();
    let merged = merge_undoable(&mut coder, &path);
    let merge_time = start.elapsed();
    drop(coder);
    let bare = rusqlite::Connection::open(&bare_blind).expect("bare connection");
    let start = Instant::now();
    let triggers: Vec<String> = bare
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'codings'")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .expect("triggers");
    for trigger in triggers {
        bare.execute_batch(&format!("DROP TRIGGER \"{trigger}\"")).expect("drop trigger");
    }
    bare.execute("ATTACH DATABASE ?1 AS other", [path.to_string_lossy()]).expect("attach");
    bare.execute_batch(
        "PRAGMA foreign_keys = OFF;
         BEGIN;
         INSERT INTO main.codings (excerpt_id, code_id, coder_id, source_id, side, start_char, end_char,
                                   covered_text, needs_review, created_at, uuid)
         SELECT excerpt_id, code_id, coder_id, source_id, side, start_char, end_char,
                covered_text, needs_review, created_at, uuid FROM other.codings;
         COMMIT;",
    )
    .expect("bare merge");
    let bare_merge_time = start.elapsed();
    drop(bare);
    report.add(Measured {
        op: "merge_copy",
        label: "merge a coder's copy (every coding new)".into(),
        quipu: merge_time,
        baseline: Some(bare_merge_time),
        runs: 1,
        p95: None,
        note: format!("{} codings", merged.codings),
    });
    drop(raw);
    drop(store);

    #[cfg(feature = "gui")]
    frames::measure(&path, &mut report);

    if json {
        report.phase_peak_mb();
        println!("{}", serde_json::json!({ "op": "peak_rss", "mb": (report.peak_mb * 10.0).round() / 10.0 }));
        return;
    }
    report.phase_peak_mb();
    println!("{:<46}{:>9.1} MB", "peak resident memory", report.peak_mb);

    // Undo at scale, after the peak above: the same merge again as one undo
    // step of the window's store, then undone and redone there (the window
    // runs both in the background). The undo log keeps each row's statement
    // in memory (never on disk), so these rows show their own peak.
    println!("\nUndo of the merge in the window (each row with its own peak):");
    let mut window = Store::open(&blind_for_undo).expect("blind copy opens");
    merge_undoable(&mut window, &path);
    report.phase_peak_mb();
    for (op, label) in [("undo_merge", "undo the merge (in the background)"), ("redo_merge", "redo it")] {
        let start = Instant::now();
        if op == "undo_merge" {
            window.undo().expect("undo the merge");
        } else {
            window.redo().expect("redo the merge");
        }
        report.add(Measured {
            op,
            label: label.into(),
            quipu: start.elapsed(),
            baseline: None,
            runs: 1,
            p95: None,
            note: String::new(),
        });
    }
    drop(window);

    // Encryption at rest, both ways in the same run: an encrypted project of
    // the same rows (imported anew), then the same reads on each.
    println!("\nEncryption (plain, encrypted, ratio):");
    let encrypted = dir.path().join("encrypted.quipu");
    quipu::store::remember_passphrase(&encrypted, "a bench passphrase");
    let mut locked = Store::create(&encrypted).expect("encrypted project");
    add_codebook(&mut locked);
    let start = Instant::now();
    locked
        .import_stream(rows(excerpts, codes_per_excerpt).map(Ok::<_, StoreError>), STREAMED, &mut |_| true)
        .expect("import");
    let encrypted_import = start.elapsed();
    drop(locked);
    let compare = |label: &str, plain: Duration, encrypted: Duration| {
        println!(
            "{:<46}{}  {}  {:.2}x",
            label,
            ms(plain),
            ms(encrypted),
            encrypted.as_secs_f64() / plain.as_secs_f64().max(1e-9)
        );
    };
    compare("import (one transaction)", import_time, encrypted_import);
    let both = [path.clone(), encrypted.clone()];
    let open_times: Vec<Duration> = both
        .iter()
        .map(|file| {
            median(5, || {
                let store = Store::open(file).expect("open");
                std::hint::black_box(store.excerpt_count().expect("count"));
            })
        })
        .collect();
    compare("open + count excerpts", open_times[0], open_times[1]);
    let stores: Vec<Store> = both.iter().map(|file| Store::open(file).expect("open")).collect();
    let each =
        |work: &dyn Fn(&Store)| -> Vec<Duration> { stores.iter().map(|store| median(5, || work(store))).collect() };
    let times = each(&|store| {
        std::hint::black_box(frequencies(store, Grouping::Case, &Filter::default()).expect("freq"));
    });
    compare("freq --by case", times[0], times[1]);
    let times = each(&|store| {
        std::hint::black_box(store.search(&SearchQuery::new("policia")).expect("search").total);
    });
    compare("search, common word", times[0], times[1]);
    let times = each(&|store| {
        std::hint::black_box(store.filtered_excerpt_ids(&Filter::default()).expect("list"));
    });
    compare("excerpt list, no filter", times[0], times[1]);
}

/// The window's frames at scale, from the real app driven headless: the app's
/// update, layout and tessellation, without painting on a GPU.
#[cfg(feature = "gui")]
mod frames {
    use std::time::{Duration, Instant};

    use egui_kittest::Harness;
    use quipu::gui::QuipuApp;
    use quipu::gui::command::AppCommand;
    use quipu::gui::settings::Settings;
    use quipu::store::Store;

    use super::{Measured, Report};

    const FRAMES: usize = 120;

    /// The duration below which `share` of the sorted `times` fall.
    fn percentile(times: &[Duration], share: f64) -> Duration {
        let index = ((times.len() as f64 * share).ceil() as usize).clamp(1, times.len()) - 1;
        times[index]
    }

    /// One frame: the step, and tessellating what it drew (as eframe does).
    fn frame(harness: &mut Harness<'static, QuipuApp>) -> Duration {
        let start = Instant::now();
        harness.step();
        let output = harness.output();
        let shapes = output.shapes.clone();
        let pixels_per_point = output.pixels_per_point;
        std::hint::black_box(harness.ctx.tessellate(shapes, pixels_per_point));
        start.elapsed()
    }

    fn add(report: &mut Report, op: &'static str, label: &str, mut times: Vec<Duration>, note: String) {
        times.sort();
        report.add(Measured {
            op,
            label: label.to_owned(),
            quipu: times[times.len() / 2],
            baseline: None,
            runs: times.len(),
            p95: Some(percentile(&times, 0.95)),
            note,
        });
    }

    pub fn measure(path: &std::path::Path, report: &mut Report) {
        let app = QuipuApp::with_store(
            Store::open(path).expect("open"),
            Settings { coder: "bench".to_owned(), ..Settings::default() },
        );
        let mut harness =
            Harness::builder().with_size(egui::vec2(1400.0, 880.0)).with_max_steps(12).build_eframe(move |_cc| app);
        for _ in 0..10 {
            harness.step();
        }
        let ids = harness.state().session.as_ref().expect("project open").view.excerpt_ids.clone();

        let idle: Vec<Duration> = (0..FRAMES).map(|_| frame(&mut harness)).collect();
        add(report, "frame_idle", "frame, idle", idle, format!("{} excerpts listed", ids.len()));

        // Scrolling the excerpt list with the mouse wheel, a few rows a frame.
        // The pointer rests on the list's first row.
        let first_label = {
            let session = harness.state().session.as_ref().expect("open");
            session.store.excerpt(ids[0]).expect("first excerpt").label
        };
        let row = {
            use egui_kittest::kittest::Queryable as _;
            // The first match is the list's (the reader shows the label too).
            harness.query_all_by_label_contains(&first_label).next().map(|node| node.rect().center())
        };
        harness.hover_at(row.unwrap_or(egui::pos2(150.0, 450.0)));
        let queries_before = harness.state().session.as_ref().expect("open").view.list_queries;
        let scroll: Vec<Duration> = (0..FRAMES)
            .map(|_| {
                harness.event(egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: egui::vec2(0.0, -120.0),
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                    modifiers: egui::Modifiers::NONE,
                });
                frame(&mut harness)
            })
            .collect();
        let fetched = harness.state().session.as_ref().expect("open").view.list_queries - queries_before;
        add(report, "frame_scroll", "frame, scrolling the list", scroll, format!("{fetched} pages of rows fetched"));

        // Switching excerpts: a click in the list selects another one.
        let switch: Vec<Duration> = (0..FRAMES)
            .map(|n| {
                let excerpt_id = ids[(n * 1_637) % ids.len()];
                harness.state_mut().pending.push(AppCommand::Select(Some(excerpt_id)));
                frame(&mut harness)
            })
            .collect();
        add(report, "frame_switch_excerpt", "frame, switching excerpts", switch, String::new());

        // Coding a passage: the frame that carries out the click and the next.
        let codes = harness.state().session.as_ref().expect("open").store.codes().expect("codes");
        let mut after_edit = Vec::new();
        for n in 0..FRAMES / 2 {
            let excerpt_id = ids[(n * 2_311) % ids.len()];
            harness.state_mut().pending.push(AppCommand::Select(Some(excerpt_id)));
            frame(&mut harness);
            frame(&mut harness);
            harness.state_mut().ui.reader.selection = Some(quipu::gui::state::TextSelection {
                excerpt_id,
                side: quipu::model::Side::Original,
                span: quipu::text::CharSpan::new(0, 8),
            });
            harness.state_mut().pending.push(AppCommand::ApplyCode(codes[n % codes.len()].code_id));
            after_edit.push(frame(&mut harness));
            after_edit.push(frame(&mut harness));
        }
        let undo_steps = harness.state().session.as_ref().expect("open").store.undo_label().is_some();
        add(
            report,
            "frame_after_edit",
            "frame, coding a passage (and the next)",
            after_edit,
            if undo_steps { "each an undo step".into() } else { "NO EDIT RECORDED".into() },
        );
    }
}
