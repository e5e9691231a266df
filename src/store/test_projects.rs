//! Generated projects for the tests that check a fast path against the slow,
//! obvious one: cases, sources, excerpts in two languages, codes with
//! sub-codes, whole codings by one coder and passages (some overlapping) by
//! another, all from a seed.

use crate::model::{CodeDraft, CoderId, CodingAnchor, ExcerptDraft, Side, SourceDraft, TranslationStatus};
use crate::store::{ImportBatch, ImportRow, Store};
use crate::text::CharSpan;

/// A small deterministic generator.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// A project of `rows` excerpts in 4 cases and 12 sources, coded with the
/// default codebook plus sub-codes, then coded again in passages (some
/// overlapping) by a second coder.
pub(crate) fn generated(rows: usize, seed: u64) -> (Store, Lcg, CoderId) {
    let mut store = Store::in_memory().unwrap();
    store.add_default_codebook().unwrap();
    let parents = store.codes().unwrap();
    for (n, parent) in parents.iter().take(3).enumerate() {
        let draft = CodeDraft {
            name: format!("Sub {n}"),
            description: String::new(),
            color: None,
            parent_id: Some(parent.code_id),
        };
        store.add_code(&draft).unwrap();
    }
    let names: Vec<String> = parents.iter().map(|code| code.name.clone()).collect();
    let mut rng = Lcg(seed);
    let batch = ImportBatch {
        rows: (0..rows)
            .map(|n| ImportRow {
                row_number: n + 2,
                case_name: format!("Caso {}", n % 4),
                source: SourceDraft {
                    name: format!("Entrevista {}", n % 12),
                    speaker: format!("Hablante {}", n % 7),
                    ..SourceDraft::default()
                },
                excerpt: ExcerptDraft {
                    label: format!("E{n}"),
                    original: Some(format!("La comunidad número {n} habló del agua y de la policía.")),
                    translation: (n % 5 != 0).then(|| format!("Community number {n} spoke of water and police.")),
                    translation_status: if n % 3 == 0 { TranslationStatus::Reviewed } else { TranslationStatus::Draft },
                    ..ExcerptDraft::default()
                },
                codes: (0..rng.below(4)).map(|_| names[rng.below(names.len())].clone()).collect(),
                memo: String::new(),
            })
            .collect(),
        code_choices: Vec::new(),
    };
    store.import_batch(&batch, "Ana", false).unwrap();
    let second = store.ensure_coder("Bruno").unwrap();
    let codes = store.codes().unwrap();
    let excerpts = store.excerpt_ids().unwrap();
    for _ in 0..rows {
        let excerpt_id = excerpts[rng.below(excerpts.len())];
        let start = rng.below(30);
        let anchor = match rng.below(4) {
            0 => CodingAnchor::Whole,
            1 => CodingAnchor::Passage { side: Side::Translation, span: CharSpan::new(start, start + 5) },
            _ => CodingAnchor::Passage { side: Side::Original, span: CharSpan::new(start, start + 1 + rng.below(12)) },
        };
        let code_id = codes[rng.below(codes.len())].code_id;
        // An excerpt without a translation refuses a passage in it; others take it.
        let _ = store.add_coding_if_new(excerpt_id, code_id, second, anchor);
    }
    (store, rng, second)
}
