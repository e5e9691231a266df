//! The scale benchmark: a project of 200,000 excerpts and 1,000,000 codings, built
//! and then queried the way the window and the command line query it. Prints
//! medians; asserts nothing (machines are shared and noisy).
//!
//!     cargo bench --bench scale                # 200,000 excerpts, 5 codings each
//!     QUIPU_BENCH_EXCERPTS=50000 cargo bench --bench scale

use std::time::{Duration, Instant};

use quipu::analysis::frequencies;
use quipu::model::{DEFAULT_CODEBOOK, ExcerptDraft, SourceDraft, TranslationStatus};
use quipu::store::{Filter, Grouping, ImportBatch, ImportRow, SearchQuery, Store};

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

fn batch(excerpts: usize, codes_per_excerpt: usize) -> ImportBatch {
    let mut rng = Lcg(42);
    let codes: Vec<String> = DEFAULT_CODEBOOK.iter().map(|code| code.name.to_owned()).collect();
    ImportBatch {
        rows: (0..excerpts)
            .map(|n| {
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
                        translation_status: if n % 10 == 0 {
                            TranslationStatus::Missing
                        } else {
                            TranslationStatus::Draft
                        },
                        ..ExcerptDraft::default()
                    },
                    codes: row_codes,
                    memo: String::new(),
                }
            })
            .collect(),
        code_choices: Vec::new(),
    }
}

/// Runs `work` `runs` times and returns the median duration.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:>9.1} ms", duration.as_secs_f64() * 1000.0)
}

fn main() {
    let excerpts: usize = std::env::var("QUIPU_BENCH_EXCERPTS").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let codes_per_excerpt = 5;
    let dir = tempfile::tempdir().expect("temporary folder");
    // QUIPU_BENCH_KEEP=PATH keeps the generated project there, for looking into.
    let path = match std::env::var_os("QUIPU_BENCH_KEEP") {
        Some(path) => std::path::PathBuf::from(path),
        None => dir.path().join("scale.quipu"),
    };
    let _ = std::fs::remove_file(&path);
    println!("Quipu scale benchmark: {excerpts} excerpts, {} codings", excerpts * codes_per_excerpt);

    let start = Instant::now();
    let rows = batch(excerpts, codes_per_excerpt);
    println!("{:<44}{}", "generate rows in memory", ms(start.elapsed()));

    let mut store = Store::create(&path).expect("create");
    store.add_default_codebook().expect("codebook");
    let start = Instant::now();
    let summary = store.import_batch(&rows, "bench", false).expect("import");
    let import_time = start.elapsed();
    println!(
        "{:<44}{}  ({:.0} excerpts/s)",
        "import (one transaction)",
        ms(import_time),
        summary.excerpts as f64 / import_time.as_secs_f64()
    );
    drop(store);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("{:<44}{:>9.1} MB", "project file size", size as f64 / 1e6);

    let open = median(5, || {
        let store = Store::open(&path).expect("open");
        std::hint::black_box(store.excerpt_count().expect("count"));
    });
    println!("{:<44}{}", "open + count excerpts (median of 5)", ms(open));

    let store = Store::open(&path).expect("open");
    for grouping in [Grouping::Case, Grouping::Source, Grouping::Speaker] {
        let time = median(5, || {
            std::hint::black_box(frequencies(&store, grouping, &Filter::default()).expect("freq"));
        });
        println!("{:<44}{}", format!("freq --by {} (median of 5)", grouping.as_str()), ms(time));
    }
    let with_children = Filter { with_children: true, ..Filter::default() };
    let time = median(3, || {
        std::hint::black_box(frequencies(&store, Grouping::Case, &with_children).expect("freq"));
    });
    println!("{:<44}{}", "freq --by case --with-children (median of 3)", ms(time));
    let time = median(3, || {
        std::hint::black_box(quipu::analysis::cooccurrence(&store, &Filter::default()).expect("cooccur"));
    });
    println!("{:<44}{}", "co-occurrence, whole codebook (median of 3)", ms(time));
    let time = median(5, || {
        std::hint::black_box(store.code_counts().expect("counts"));
    });
    println!("{:<44}{}", "code counts, whole codebook (median of 5)", ms(time));

    for (words, label) in [("policia", "common word"), ("\"agua nunca\"", "phrase"), ("zzzz", "no match")] {
        let query = SearchQuery::new(words);
        let mut total = 0;
        let time = median(5, || {
            total = store.search(&query).expect("search").total;
        });
        println!("{:<44}{}  ({total} hits, first page of 50)", format!("search, {label} (median of 5)"), ms(time));
    }

    let time = median(3, || {
        std::hint::black_box(store.filtered_excerpt_ids(&Filter::default()).expect("list"));
    });
    println!("{:<44}{}", "excerpt list, no filter (median of 3)", ms(time));
    let trust = store.code_by_name("Trust").expect("code").expect("Trust");
    let by_code = Filter { codes: vec![trust.code_id], ..Filter::default() };
    let mut listed = 0;
    let time = median(3, || {
        listed = store.filtered_excerpt_ids(&by_code).expect("list").len();
    });
    println!("{:<44}{}  ({listed} excerpts)", "excerpt list, one code (median of 3)", ms(time));
    let ids = store.filtered_excerpt_ids(&Filter::default()).expect("list");
    let time = median(5, || {
        std::hint::black_box(store.excerpt_previews(&ids[100_000.min(ids.len() - 100)..][..100], None).expect("rows"));
    });
    println!("{:<44}{}", "one page of 100 list rows (median of 5)", ms(time));
    let time = median(5, || {
        std::hint::black_box(
            store.coded_quotes(&quipu::store::Filter { codes: vec![trust.code_id], ..Default::default() }),
        )
        .expect("quotes");
    });
    println!("{:<44}{}", "coded quotes of one code (median of 5)", ms(time));
    let options = quipu::formats::report::ReportOptions {
        filter: quipu::store::Filter { codes: vec![trust.code_id], cases: vec![], ..Default::default() },
        ..Default::default()
    };
    let mut quotes = 0;
    let time = median(3, || {
        let (bytes, summary) =
            quipu::formats::render_quotes(&store, &options, quipu::formats::QuoteFormat::Docx).expect("docx");
        quotes = summary.quotes;
        std::hint::black_box(bytes);
    });
    println!("{:<44}{}  ({quotes} quotes)", "Word report of one code (median of 3)", ms(time));

    // REFI-QDA exchange of the whole project: one export, then one import into
    // an empty project (the window runs the import as one undoable step).
    let start = Instant::now();
    let qdpx = quipu::formats::refi::render_project(&store).expect("REFI-QDA export");
    println!("{:<44}{}  ({:.1} MB)", "REFI-QDA export, whole project", ms(start.elapsed()), qdpx.len() as f64 / 1e6);
    let copy = dir.path().join("exchange.quipu");
    let mut target = Store::create(&copy).expect("empty project");
    let start = Instant::now();
    let summary = quipu::formats::refi::import_refi(&mut target, &qdpx, "exchange.qdpx", "bench").expect("import");
    println!(
        "{:<44}{}  ({} excerpts, {} codings)",
        "REFI-QDA import into an empty project",
        ms(start.elapsed()),
        summary.excerpts,
        summary.codings
    );

    drop(target);

    // Encryption at rest, both ways in the same run: an encrypted project of
    // the same rows (imported anew), then the same reads on each.
    println!("\nEncryption (plain, encrypted, ratio):");
    let encrypted = dir.path().join("encrypted.quipu");
    quipu::store::remember_passphrase(&encrypted, "a bench passphrase");
    let mut locked = Store::create(&encrypted).expect("encrypted project");
    locked.add_default_codebook().expect("codebook");
    let start = Instant::now();
    locked.import_batch(&rows, "bench", false).expect("import");
    let encrypted_import = start.elapsed();
    drop(locked);
    let compare = |label: &str, plain: Duration, encrypted: Duration| {
        println!(
            "{:<44}{}  {}  {:.2}x",
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
    compare("open + count excerpts (median of 5)", open_times[0], open_times[1]);
    let stores: Vec<Store> = both.iter().map(|file| Store::open(file).expect("open")).collect();
    let each =
        |work: &dyn Fn(&Store)| -> Vec<Duration> { stores.iter().map(|store| median(5, || work(store))).collect() };
    let times = each(&|store| {
        std::hint::black_box(frequencies(store, Grouping::Case, &Filter::default()).expect("freq"));
    });
    compare("freq --by case (median of 5)", times[0], times[1]);
    let times = each(&|store| {
        std::hint::black_box(store.search(&SearchQuery::new("policia")).expect("search").total);
    });
    compare("search, common word (median of 5)", times[0], times[1]);
    let times = each(&|store| {
        std::hint::black_box(store.filtered_excerpt_ids(&Filter::default()).expect("list"));
    });
    compare("excerpt list, no filter (median of 5)", times[0], times[1]);
}
