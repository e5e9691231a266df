//! Code co-occurrence: for each pair of codes, the excerpts carrying both, the
//! excerpts where their codings overlap, and the c-coefficient
//! n12 / (n1 + n2 − n12), which is 0 when two codes never meet and 1 when they
//! always do.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::Code;
use crate::store::{Filter, Store, StoreResult};

/// How two codes meet.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct PairCount {
    /// Excerpts carrying both codes (n12).
    pub excerpts: u64,
    /// Excerpts where their codings overlap.
    pub overlapping: u64,
    /// n12 / (n1 + n2 − n12).
    pub c_coefficient: f64,
}

/// A code × code table.
#[derive(Debug, Clone, PartialEq)]
pub struct CooccurrenceTable {
    /// The filter the counts respect.
    pub filter: Filter,
    /// The codebook, in display order.
    pub codes: Vec<Code>,
    /// Excerpts carrying each code (n1, n2 …), by code index.
    pub totals: Vec<u64>,
    /// Pair counts by (code index, code index), both orders present.
    pub pairs: BTreeMap<(usize, usize), PairCount>,
    /// The codes that meet at least one other, by index, in codebook order.
    pub meeting: Vec<usize>,
}

impl CooccurrenceTable {
    /// The counts of a pair (zero when the codes never meet).
    pub fn pair(&self, first: usize, second: usize) -> PairCount {
        self.pairs.get(&(first, second)).copied().unwrap_or_default()
    }

    /// The table as JSON: each pair that meets, by code name.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json_pairs()).unwrap_or_default()
    }

    /// The table as JSON text, written straight from the pairs (a project
    /// whose codes all meet has millions of them).
    pub fn write_json(&self, out: &mut String) {
        if let Ok(text) = serde_json::to_string(&self.json_pairs()) {
            out.push_str(&text);
        }
    }

    fn json_pairs(&self) -> JsonPairs<'_> {
        JsonPairs { table: self }
    }
}

/// The pairs as `{"pairs": [{"code1": …, "code2": …, "n1": …, "n2": …,
/// "excerpts": …, "overlapping": …, "c": …}, …]}`, serialised as they are read.
struct JsonPairs<'a> {
    table: &'a CooccurrenceTable,
}

impl serde::Serialize for JsonPairs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        #[derive(serde::Serialize)]
        struct Pair<'a> {
            code1: &'a str,
            code2: &'a str,
            n1: u64,
            n2: u64,
            excerpts: u64,
            overlapping: u64,
            c: f64,
        }
        let table = self.table;
        let pairs =
            table.pairs.iter().filter(|((first, second), _)| first < second).map(|((first, second), pair)| Pair {
                code1: &table.codes[*first].name,
                code2: &table.codes[*second].name,
                n1: table.totals[*first],
                n2: table.totals[*second],
                excerpts: pair.excerpts,
                overlapping: pair.overlapping,
                c: (pair.c_coefficient * 10_000.0).round() / 10_000.0,
            });
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("pairs", &Sequence(std::cell::RefCell::new(Some(pairs))))?;
        map.end()
    }
}

/// An iterator serialised as a sequence, once.
struct Sequence<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Sequence<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().into_iter().flatten();
        serializer.collect_seq(items)
    }
}

/// The c-coefficient of two codes carried by `n1` and `n2` excerpts, `n12` of them
/// both.
pub fn c_coefficient(n1: u64, n2: u64, n12: u64) -> f64 {
    let union = n1 + n2 - n12.min(n1 + n2);
    if union == 0 { 0.0 } else { n12 as f64 / union as f64 }
}

/// Counts how often every pair of codes meets within `filter`.
pub fn cooccurrence(store: &Store, filter: &Filter) -> StoreResult<CooccurrenceTable> {
    let codes = crate::model::labelled(store.codes()?);
    let index: BTreeMap<_, usize> = codes.iter().enumerate().map(|(i, code)| (code.code_id, i)).collect();
    let meetings = store.code_meetings(filter)?;
    let mut totals = vec![0; codes.len()];
    for &(code_id, excerpts) in &meetings.totals {
        if let Some(&i) = index.get(&code_id) {
            totals[i] = excerpts;
        }
    }
    let mut pairs = BTreeMap::new();
    for pair in meetings.pairs {
        let (Some(&a), Some(&b)) = (index.get(&pair.first), index.get(&pair.second)) else {
            continue;
        };
        let count = PairCount {
            excerpts: pair.excerpts,
            overlapping: pair.overlapping,
            c_coefficient: c_coefficient(totals[a], totals[b], pair.excerpts),
        };
        pairs.insert((a, b), count);
        pairs.insert((b, a), count);
    }
    let meeting: std::collections::BTreeSet<usize> = pairs.keys().map(|(a, _)| *a).collect();
    Ok(CooccurrenceTable { filter: filter.clone(), codes, totals, pairs, meeting: meeting.into_iter().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_coefficient_runs_from_never_to_always() {
        assert_eq!(c_coefficient(5, 7, 0), 0.0);
        assert_eq!(c_coefficient(4, 4, 4), 1.0);
        assert!((c_coefficient(10, 6, 3) - 3.0 / 13.0).abs() < 1e-12);
        assert_eq!(c_coefficient(0, 0, 0), 0.0);
    }
}
