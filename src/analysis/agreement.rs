//! How far coders agree. For each code, every unit (an excerpt, or a character
//! of either text) gets from each coder the value "applied" or "not applied";
//! the figures compare those values: the share of units where the coders agree,
//! Cohen's kappa (two coders) or Fleiss' kappa (more), and Krippendorff's alpha
//! (nominal). A figure with no variation to measure is `None`, never NaN.
//!
//! The units are every excerpt of the project (a second coder works on a copy of
//! the whole material): an excerpt neither coder coded with a code is agreement
//! that it does not apply.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::model::{CodeId, CoderId, CodingAnchor, ExcerptId, Side};
use crate::store::{Store, StoreResult};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// An excerpt: a coder applied the code anywhere in it, or not.
    #[default]
    Excerpt,
    /// A character of either text: covered by one of the coder's passages (or a
    /// whole-excerpt coding), or not. As NVivo and QualCoder compute it.
    Character,
}

impl Level {
    /// Reads `excerpt` or `character`.
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().to_lowercase().as_str() {
            "excerpt" | "excerpts" | "fragmento" => Some(Level::Excerpt),
            "character" | "characters" | "char" | "caracter" | "carácter" => Some(Level::Character),
            _ => None,
        }
    }

    /// The word `parse` reads back, as JSON shows it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Excerpt => "excerpt",
            Level::Character => "character",
        }
    }
}

/// The figures for one code, or pooled over codes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Units compared.
    pub n: u64,
    /// Share of units on which every coder gave the same value.
    pub agreement: Option<f64>,
    /// Cohen's kappa for two coders, Fleiss' kappa for more.
    pub kappa: Option<f64>,
    /// Krippendorff's alpha, nominal.
    pub alpha: Option<f64>,
}

/// How the coders' values fell over the units: for each number of coders who
/// applied the code (0 to m), how many units; and how many units each coder
/// applied it to. Enough for every figure here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// `by_ones[k]`: units where exactly k coders applied the code.
    pub by_ones: Vec<u64>,
    /// Units each coder applied the code to.
    pub ones_per_coder: Vec<u64>,
}

impl Tally {
    /// An empty tally for `coders` coders.
    pub fn new(coders: usize) -> Self {
        Self { by_ones: vec![0; coders + 1], ones_per_coder: vec![0; coders] }
    }

    /// Adds one unit with these values (one per coder).
    pub fn add(&mut self, values: &[bool]) {
        self.add_many(values, 1);
    }

    /// Adds `count` units with these values.
    pub fn add_many(&mut self, values: &[bool], count: u64) {
        let ones = values.iter().filter(|value| **value).count();
        self.by_ones[ones] += count;
        for (coder, value) in values.iter().enumerate() {
            if *value {
                self.ones_per_coder[coder] += count;
            }
        }
    }

    /// Adds another tally (pooling codes).
    pub fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.by_ones.iter_mut().zip(&other.by_ones) {
            *mine += theirs;
        }
        for (mine, theirs) in self.ones_per_coder.iter_mut().zip(&other.ones_per_coder) {
            *mine += theirs;
        }
    }

    /// The figures.
    pub fn figures(&self) -> Figures {
        let m = self.ones_per_coder.len();
        let n: u64 = self.by_ones.iter().sum();
        if n == 0 || m < 2 {
            return Figures { n, agreement: None, kappa: None, alpha: None };
        }
        let nf = n as f64;
        let mf = m as f64;
        let agreed = self.by_ones[0] + self.by_ones[m];
        let agreement = Some(agreed as f64 / nf);
        // Observed pairwise agreement per unit, averaged (Fleiss' P-bar; for two
        // coders it is the share of units agreed on).
        let pairs_agreeing: f64 = self
            .by_ones
            .iter()
            .enumerate()
            .map(|(ones, units)| {
                let (k, z) = (ones as f64, (m - ones) as f64);
                *units as f64 * (k * (k - 1.0) + z * (z - 1.0)) / (mf * (mf - 1.0))
            })
            .sum::<f64>()
            / nf;
        let kappa = if m == 2 {
            // Cohen: chance agreement from each coder's own proportions.
            let (a, b) = (self.ones_per_coder[0] as f64 / nf, self.ones_per_coder[1] as f64 / nf);
            let expected = a * b + (1.0 - a) * (1.0 - b);
            ratio(pairs_agreeing - expected, 1.0 - expected)
        } else {
            // Fleiss: chance agreement from the pooled proportions.
            let p = self.ones_per_coder.iter().sum::<u64>() as f64 / (nf * mf);
            let expected = p * p + (1.0 - p) * (1.0 - p);
            ratio(pairs_agreeing - expected, 1.0 - expected)
        };
        // Krippendorff (nominal, no missing values): 1 - observed / expected
        // disagreement over the coincidence matrix.
        let total = nf * mf;
        let ones_total = self.ones_per_coder.iter().sum::<u64>() as f64;
        let zeros_total = total - ones_total;
        let observed: f64 = self
            .by_ones
            .iter()
            .enumerate()
            .map(|(ones, units)| *units as f64 * 2.0 * ones as f64 * (m - ones) as f64 / (mf - 1.0))
            .sum::<f64>()
            / total;
        let expected = 2.0 * ones_total * zeros_total / (total * (total - 1.0));
        let alpha = ratio(expected - observed, expected);
        Figures { n, agreement, kappa, alpha }
    }
}

/// `numerator / denominator`, or `None` when there is no variation to measure.
fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator.abs() > 1e-12).then(|| numerator / denominator).filter(|value| value.is_finite())
}

/// Agreement between coders, per code and pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementTable {
    /// The coders compared, by name.
    pub coders: Vec<String>,
    /// The unit.
    pub level: Level,
    /// Per code (by name): its figures.
    pub codes: Vec<(CodeId, String, Figures)>,
    /// Pooled over every (unit, code) decision of the codes compared.
    pub overall: Figures,
    /// Per code, the excerpts where the coders disagree: one applied the code
    /// and another did not, or (by character) their passages differ.
    #[serde(skip)]
    pub disagreements: HashMap<CodeId, Vec<ExcerptId>>,
    /// The label and opening words of each excerpt listed in `disagreements`.
    #[serde(skip)]
    pub excerpt_names: HashMap<ExcerptId, String>,
}

/// Measures agreement between `coders` on `codes` (or, when empty, every code at
/// least one of them applied).
pub fn agreement(store: &Store, coders: &[CoderId], level: Level, codes: &[CodeId]) -> StoreResult<AgreementTable> {
    let names = store.coders()?;
    let coder_names: Vec<String> = coders
        .iter()
        .map(|id| names.iter().find(|coder| coder.coder_id == *id).map(|coder| coder.name.clone()).unwrap_or_default())
        .collect();
    let codings = store.codings_by_coders(coders)?;
    let applied: BTreeSet<CodeId> = codings.iter().map(|coding| coding.code_id).collect();
    let all_codes = crate::model::labelled(store.codes()?);
    let compared: Vec<(CodeId, String)> = all_codes
        .iter()
        .filter(|code| if codes.is_empty() { applied.contains(&code.code_id) } else { codes.contains(&code.code_id) })
        .map(|code| (code.code_id, code.name.clone()))
        .collect();
    let slot = |coder: CoderId| coders.iter().position(|id| *id == coder);
    // Codings by (excerpt, code).
    let mut by_unit: HashMap<(ExcerptId, CodeId), Vec<(usize, CodingAnchor)>> = HashMap::new();
    for coding in &codings {
        if let Some(coder) = slot(coding.coder_id) {
            by_unit.entry((coding.excerpt_id, coding.code_id)).or_default().push((coder, coding.anchor));
        }
    }
    let lengths = store.excerpt_lengths()?;
    let m = coders.len();
    let mut table = AgreementTable {
        coders: coder_names,
        level,
        codes: Vec::new(),
        overall: Figures { n: 0, agreement: None, kappa: None, alpha: None },
        disagreements: HashMap::new(),
        excerpt_names: HashMap::new(),
    };
    let mut pooled = Tally::new(m);
    for (code_id, name) in compared {
        let mut tally = Tally::new(m);
        let mut disagreeing = Vec::new();
        for (excerpt_id, original_len, translation_len) in &lengths {
            let marks = by_unit.get(&(*excerpt_id, code_id));
            let mut values = vec![false; m];
            for (coder, _) in marks.into_iter().flatten() {
                values[*coder] = true;
            }
            let mut disagree = values.iter().any(|value| *value) && !values.iter().all(|value| *value);
            match level {
                Level::Excerpt => tally.add(&values),
                Level::Character => {
                    let Some(marks) = marks else {
                        tally.add_many(&vec![false; m], (*original_len + *translation_len) as u64);
                        continue;
                    };
                    // Here coders who all applied the code still disagree where
                    // their passages differ.
                    for (side, length) in [(Side::Original, *original_len), (Side::Translation, *translation_len)] {
                        disagree |= character_tally(&mut tally, marks, side, length, m);
                    }
                }
            }
            if disagree {
                disagreeing.push(*excerpt_id);
            }
        }
        pooled.merge(&tally);
        table.codes.push((code_id, name, tally.figures()));
        table.disagreements.insert(code_id, disagreeing);
    }
    table.overall = pooled.figures();
    let listed: BTreeSet<ExcerptId> = table.disagreements.values().flatten().copied().collect();
    for excerpt_id in listed {
        let excerpt = store.excerpt(excerpt_id)?;
        let text = excerpt.original.as_deref().or(excerpt.translation.as_deref()).unwrap_or_default();
        let mut opening: String = text.chars().take(70).collect();
        if text.chars().count() > 70 {
            opening.push('…');
        }
        table.excerpt_names.insert(excerpt_id, format!("{}  {opening}", excerpt.label));
    }
    Ok(table)
}

/// Adds the characters of one side of one excerpt; says whether the coders
/// differ on any of them.
fn character_tally(tally: &mut Tally, marks: &[(usize, CodingAnchor)], side: Side, length: usize, m: usize) -> bool {
    if length == 0 {
        return false;
    }
    let mut covered = vec![vec![false; length]; m];
    for (coder, anchor) in marks {
        match anchor {
            CodingAnchor::Whole => covered[*coder].fill(true),
            CodingAnchor::Passage { side: coded, span } if *coded == side => {
                let start = span.start.0.min(length);
                covered[*coder][start..span.end.0.clamp(start, length)].fill(true);
            }
            CodingAnchor::Passage { .. } => {}
        }
    }
    let mut values = vec![false; m];
    let mut differ = false;
    for index in 0..length {
        for (coder, row) in covered.iter().enumerate() {
            values[coder] = row[index];
        }
        differ |= values.iter().any(|value| *value != values[0]);
        tally.add(&values);
    }
    differ
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tally from (coder A, coder B) pairs.
    fn two(pairs: &[(bool, bool)]) -> Figures {
        let mut tally = Tally::new(2);
        for (a, b) in pairs {
            tally.add(&[*a, *b]);
        }
        tally.figures()
    }

    fn close(value: Option<f64>, expected: f64) -> bool {
        value.is_some_and(|value| (value - expected).abs() < 1e-9)
    }

    #[test]
    fn perfect_agreement_is_one() {
        let figures = two(&[(true, true), (false, false), (true, true), (false, false)]);
        assert_eq!(figures.n, 4);
        assert!(close(figures.agreement, 1.0) && close(figures.kappa, 1.0) && close(figures.alpha, 1.0));
    }

    #[test]
    fn total_disagreement_is_negative() {
        // A applies the code where B does not, and the other way round.
        let figures = two(&[(true, false), (false, true), (true, false), (false, true)]);
        assert!(close(figures.agreement, 0.0));
        // Cohen: po = 0, pe = 0.5·0.5 + 0.5·0.5 = 0.5, kappa = -1.
        assert!(close(figures.kappa, -1.0), "{figures:?}");
        // Krippendorff: Do = 1 (every pair disagrees), De = 2·4·4/(8·7) = 32/56, alpha = 1 - 56/32.
        assert!(close(figures.alpha, 1.0 - 56.0 / 32.0), "{figures:?}");
    }

    #[test]
    fn no_variation_leaves_kappa_and_alpha_undefined() {
        let figures = two(&[(false, false), (false, false), (false, false)]);
        assert!(close(figures.agreement, 1.0));
        assert_eq!((figures.kappa, figures.alpha), (None, None));
    }

    #[test]
    fn a_worked_two_coder_table() {
        // 10 units: both yes 4, A only 1, B only 1, both no 4.
        let mut pairs = vec![(true, true); 4];
        pairs.extend([(true, false), (false, true)]);
        pairs.extend(vec![(false, false); 4]);
        let figures = two(&pairs);
        // po = 0.8; pA = pB = 0.5; pe = 0.5; kappa = 0.6.
        assert!(close(figures.agreement, 0.8) && close(figures.kappa, 0.6), "{figures:?}");
        // Coincidences: 8 yes-yes, 8 no-no, 2 yes-no, 2 no-yes; n = 20, n_yes = n_no = 10.
        // Do = 4/20 = 0.2; De = 2·10·10/(20·19) = 200/380; alpha = 1 - 0.2·380/200 = 0.62.
        assert!(close(figures.alpha, 0.62), "{figures:?}");
    }

    #[test]
    fn three_coders_use_fleiss() {
        // 4 units; ones per unit: 3, 0, 2, 1.
        let mut tally = Tally::new(3);
        for values in [[true, true, true], [false, false, false], [true, true, false], [true, false, false]] {
            tally.add(&values);
        }
        let figures = tally.figures();
        // P_i: 1, 1, 1/3, 1/3 → P̄ = 2/3. p = 6/12 = 0.5 → Pe = 0.5. kappa = (2/3 - 0.5)/0.5 = 1/3.
        assert!(close(figures.kappa, 1.0 / 3.0), "{figures:?}");
        assert!(close(figures.agreement, 0.5));
        // Krippendorff: Do = Σ 2·k·(3-k)/2 / 12 = (0 + 0 + 2 + 2)/12 = 1/3; De = 2·6·6/(12·11) = 72/132.
        assert!(close(figures.alpha, 1.0 - (1.0 / 3.0) * 132.0 / 72.0), "{figures:?}");
    }
}
