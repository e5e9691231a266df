//! Pairing the turns of an interview with the turns of its translation. A
//! dynamic programme over turn lengths in the spirit of Gale and Church (1993),
//! which also weighs who speaks (interviewer or not; labels differ between the
//! languages, so only the role is compared). It allows a turn to match one turn
//! (1–1), none (1–0, 0–1: a turn the translator left out or added), or two
//! (2–1, 1–2: turns the translator merged or split). Pairs it is unsure of carry
//! a note saying why, so a reviewer can find them.

use super::turns::Turn;
use crate::bilingual;
use crate::language::Text;

/// Expected characters of translation per character of original (English runs
/// slightly shorter than Spanish).
const LENGTH_RATIO: f64 = 0.92;
/// Variance of that ratio per character (Gale and Church's estimate).
const VARIANCE: f64 = 6.8;
/// Cost added when the two sides are spoken by different roles.
const ROLE_MISMATCH: f64 = 6.0;
/// Cost added when two turns joined on one side are not of one role: a
/// translator does not merge a question with its answer.
const MIXED_ROLES: f64 = 30.0;
/// A length difference (in standard deviations) past which a 1–1 pair is doubtful.
const DOUBTFUL_DELTA: f64 = 3.0;

/// How many turns of each side a pair takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// One turn and its translation.
    OneOne,
    /// A turn with no translation.
    OneNone,
    /// A translated turn with no original.
    NoneOne,
    /// Two turns the translator merged into one.
    TwoOne,
    /// One turn the translator split into two.
    OneTwo,
}

impl Match {
    const ALL: [Match; 5] = [Match::OneOne, Match::OneNone, Match::NoneOne, Match::TwoOne, Match::OneTwo];

    /// Turns taken from (original, translation).
    fn steps(self) -> (usize, usize) {
        match self {
            Match::OneOne => (1, 1),
            Match::OneNone => (1, 0),
            Match::NoneOne => (0, 1),
            Match::TwoOne => (2, 1),
            Match::OneTwo => (1, 2),
        }
    }

    /// −log of how often translators do this (Gale and Church's priors).
    fn prior_cost(self) -> f64 {
        let probability: f64 = match self {
            Match::OneOne => 0.89,
            Match::OneNone | Match::NoneOne => 0.0099,
            Match::TwoOne | Match::OneTwo => 0.089,
        };
        -probability.ln()
    }
}

/// An original turn (or two) with its translation (or two), or either alone.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedPair {
    /// The original turns (none, one or two).
    pub original: Vec<Turn>,
    /// The translated turns (none, one or two).
    pub translation: Vec<Turn>,
    /// The kind of match.
    pub kind: Match,
    /// Why the pairing is doubtful, when it is.
    pub doubt: Option<Text>,
}

fn chars(turns: &[Turn]) -> f64 {
    turns.iter().map(|turn| turn.text.chars().count()).sum::<usize>() as f64
}

/// How far, in standard deviations, the lengths are from what a translation of
/// that length would be.
fn length_delta(original: f64, translation: f64) -> f64 {
    if original == 0.0 && translation == 0.0 {
        return 0.0;
    }
    let mean = (original + translation / LENGTH_RATIO) / 2.0;
    (translation - original * LENGTH_RATIO) / (mean.max(1.0) * VARIANCE).sqrt()
}

/// True when the two sides are spoken by the same role.
fn same_role(original: &[Turn], translation: &[Turn]) -> bool {
    original
        .iter()
        .chain(translation)
        .all(|turn| turn.interviewer == original.first().or(translation.first()).is_some_and(|first| first.interviewer))
}

/// True when the turns of one side are all of one role.
fn one_role(turns: &[Turn]) -> bool {
    turns.windows(2).all(|pair| pair[0].interviewer == pair[1].interviewer)
}

/// The cost of pairing `original` with `translation` as `kind`, given their
/// lengths in characters.
fn cost(kind: Match, original: &[Turn], translation: &[Turn], lengths: (f64, f64)) -> f64 {
    let delta = length_delta(lengths.0, lengths.1);
    let mut cost = kind.prior_cost() + delta * delta / 2.0;
    if !one_role(original) || !one_role(translation) {
        cost += MIXED_ROLES;
    } else if !same_role(original, translation) {
        cost += ROLE_MISMATCH;
    }
    cost
}

/// Most cells the pairing table holds (16 bytes each). Pairing keeps to a band
/// around the diagonal; a long transcript gets a narrower band.
const MAX_CELLS: usize = 8_000_000;

/// Characters before each turn: `prefix[k]` counts the first k turns.
fn prefix_lengths(turns: &[Turn]) -> Vec<usize> {
    let mut prefix = Vec::with_capacity(turns.len() + 1);
    prefix.push(0);
    for turn in turns {
        prefix.push(prefix.last().copied().unwrap_or_default() + turn.text.chars().count());
    }
    prefix
}

/// Pairs `original` with `translation`, in order. The search keeps to a band
/// around the diagonal wide enough for a translator's omissions and merges
/// (at least 64 turns each side), so its time and memory grow with the
/// transcript's length rather than its square.
pub fn align_turns(original: &[Turn], translation: &[Turn]) -> Vec<AlignedPair> {
    let (n, m) = (original.len(), translation.len());
    let (original_prefix, translation_prefix) = (prefix_lengths(original), prefix_lengths(translation));
    // The band: row i holds columns centre(i) ± width. It must let a path through
    // where one side has many more turns than the other (steps move at most one
    // column per row, or along a row).
    let steep = m.div_ceil(n.max(1)) + n.div_ceil(m.max(1));
    let affordable = (MAX_CELLS / (n + 1)).saturating_sub(1) / 2;
    let width = (64 + n.abs_diff(m)).min(affordable).max(2 * steep + 2);
    let centre = |i: usize| (i * m).checked_div(n).unwrap_or(0);
    let first = |i: usize| centre(i).saturating_sub(width);
    let last = |i: usize| (centre(i) + width).min(m);
    // best[i][j - first(i)]: the cheapest way to pair the first i and j turns, and its last step.
    let mut best: Vec<Vec<(f64, Match)>> =
        (0..=n).map(|i| vec![(f64::INFINITY, Match::OneOne); last(i) - first(i) + 1]).collect();
    best[0][0].0 = 0.0;
    for i in 0..=n {
        for j in first(i)..=last(i) {
            let here = best[i][j - first(i)].0;
            if here.is_infinite() {
                continue;
            }
            for kind in Match::ALL {
                let (di, dj) = kind.steps();
                let (ni, nj) = (i + di, j + dj);
                if ni > n || nj < first(ni) || nj > last(ni) {
                    continue;
                }
                let lengths = (
                    (original_prefix[ni] - original_prefix[i]) as f64,
                    (translation_prefix[nj] - translation_prefix[j]) as f64,
                );
                let total = here + cost(kind, &original[i..ni], &translation[j..nj], lengths);
                let cell = &mut best[ni][nj - first(ni)];
                if total < cell.0 {
                    *cell = (total, kind);
                }
            }
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let kind = best[i][j - first(i)].1;
        let (di, dj) = kind.steps();
        let (oi, oj) = (i - di, j - dj);
        let (originals, translations) = (original[oi..i].to_vec(), translation[oj..j].to_vec());
        let doubt = doubt_about(kind, &originals, &translations);
        pairs.push(AlignedPair { original: originals, translation: translations, kind, doubt });
        (i, j) = (oi, oj);
    }
    pairs.reverse();
    pairs
}

fn doubt_about(kind: Match, original: &[Turn], translation: &[Turn]) -> Option<Text> {
    match kind {
        Match::OneNone => {
            return Some(bilingual!(
                "no translated turn was found for this turn",
                "no se encontró un turno traducido para este turno"
            ));
        }
        Match::NoneOne => {
            return Some(bilingual!(
                "this translated turn matches no turn of the original",
                "este turno traducido no corresponde a ningún turno del original"
            ));
        }
        Match::TwoOne => {
            return Some(bilingual!(
                "the translation joins this turn and the next into one",
                "la traducción une este turno y el siguiente en uno"
            ));
        }
        Match::OneTwo => {
            return Some(bilingual!(
                "the translation splits this turn in two",
                "la traducción divide este turno en dos"
            ));
        }
        Match::OneOne => {}
    }
    if !same_role(original, translation) {
        return Some(bilingual!(
            "one side is the interviewer's and the other is not",
            "un lado es del entrevistador y el otro no"
        ));
    }
    let delta = length_delta(chars(original), chars(translation));
    (delta.abs() > DOUBTFUL_DELTA).then(|| {
        bilingual!(
            "the translation is much longer or shorter than the original",
            "la traducción es mucho más larga o más corta que el original"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(label: &str, interviewer: bool, text: &str) -> Turn {
        Turn { label: label.to_owned(), interviewer, time: String::new(), text: text.to_owned(), paragraph: 1 }
    }

    #[test]
    fn a_long_transcript_pairs_within_a_band_and_finds_a_dropped_turn() {
        // 20,000 turns each side would need 400 million cells without the band.
        let text = |k: usize| "palabra ".repeat(3 + k % 17);
        let original: Vec<Turn> = (0..20_000).map(|k| turn("R", k % 2 == 0, &text(k))).collect();
        let mut translation: Vec<Turn> = (0..20_000).map(|k| turn("R", k % 2 == 0, &text(k))).collect();
        translation.remove(10_000);
        let pairs = align_turns(&original, &translation);
        assert_eq!(pairs.len(), 20_000);
        let unpaired: Vec<usize> =
            pairs.iter().enumerate().filter(|(_, pair)| pair.kind != Match::OneOne).map(|(k, _)| k).collect();
        assert_eq!(unpaired, vec![10_000], "only the dropped turn is left without a translation");
        assert_eq!(pairs[10_000].kind, Match::OneNone);
    }

    #[test]
    fn equal_turns_pair_one_to_one_without_doubt() {
        let original = vec![turn("E", true, "¿Cuándo llegó?"), turn("Rosa", false, "Llegó en 2018, de noche.")];
        let translation = vec![turn("I", true, "When did it come?"), turn("R", false, "It came in 2018, at night.")];
        let pairs = align_turns(&original, &translation);
        assert_eq!(pairs.len(), 2);
        assert!(pairs.iter().all(|pair| pair.kind == Match::OneOne && pair.doubt.is_none()), "{pairs:?}");
    }
}
