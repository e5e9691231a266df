//! Code frequencies per case, source, speaker, role or attribute value: for each
//! group and code, how many excerpts carry the code, how many codings that makes,
//! what share of the group's excerpts that is, and how many speakers said it.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::Code;
use crate::store::{CountFilter, Grouping, Store, StoreResult};

/// The counts of one code in one group.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct CellCount {
    /// Distinct excerpts carrying the code.
    pub excerpts: u64,
    /// Codings of the code (a passage and the whole excerpt count separately).
    pub codings: u64,
    /// Distinct speakers among those excerpts.
    pub speakers: u64,
    /// `excerpts` as a share of the group's excerpts, 0 to 1.
    pub share: f64,
}

/// A codes × groups table of counts, with totals.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyTable {
    /// How the groups were formed.
    pub grouping: Grouping,
    /// What the groups are, for people and for JSON's `"by"` ("case", "speaker",
    /// or an attribute's name).
    pub grouping_label: String,
    /// The filter the counts respect.
    pub filter: CountFilter,
    /// Each group's label and number of excerpts, sorted by label.
    pub groups: Vec<(String, u64)>,
    /// The codebook, in display order.
    pub codes: Vec<Code>,
    /// Counts by (group index, code index); absent cells are zero.
    pub cells: BTreeMap<(usize, usize), CellCount>,
    /// Counts over all groups, by code index.
    pub totals: Vec<CellCount>,
    /// Excerpts in all groups.
    pub total_excerpts: u64,
}

impl FrequencyTable {
    /// The counts of one cell (zero when absent).
    pub fn cell(&self, group_index: usize, code_index: usize) -> CellCount {
        self.cells.get(&(group_index, code_index)).copied().unwrap_or_default()
    }

    /// Distinct excerpts of a group carrying any code counted, for the totals
    /// column: the sum of its cells (excerpts counted once per code).
    pub fn group_total_codings(&self, group_index: usize) -> u64 {
        (0..self.codes.len()).map(|code_index| self.cell(group_index, code_index).codings).sum()
    }

    /// The table as JSON: `{"by": "case", "counts": {"<group>": {"<code>": excerpts}}}`,
    /// leaving out zero counts (and so groups without any coding).
    pub fn to_json(&self) -> Value {
        let mut counts = Map::new();
        for (group_index, (group, _)) in self.groups.iter().enumerate() {
            let mut per_code = Map::new();
            for (code_index, code) in self.codes.iter().enumerate() {
                let cell = self.cell(group_index, code_index);
                if cell.excerpts > 0 {
                    per_code.insert(code.name.clone(), json!(cell.excerpts));
                }
            }
            if !per_code.is_empty() {
                counts.insert(group.clone(), Value::Object(per_code));
            }
        }
        json!({ "by": self.grouping_label, "counts": counts })
    }
}

/// Counts, for each group and code, the excerpts carrying the code, its codings,
/// their share of the group and the speakers, within `filter`.
pub fn frequencies(store: &Store, grouping: Grouping, filter: &CountFilter) -> StoreResult<FrequencyTable> {
    let codes = store.codes()?;
    let groups = store.group_sizes(grouping, filter)?;
    let code_index: BTreeMap<_, usize> = codes.iter().enumerate().map(|(index, code)| (code.code_id, index)).collect();
    let group_index: BTreeMap<&str, usize> =
        groups.iter().enumerate().map(|(index, (name, _))| (name.as_str(), index)).collect();
    let mut cells = BTreeMap::new();
    for count in store.grouped_code_counts(grouping, filter)? {
        let (Some(&g), Some(&c)) = (group_index.get(count.group.as_str()), code_index.get(&count.code_id)) else {
            continue;
        };
        let size = groups[g].1.max(1) as f64;
        cells.insert(
            (g, c),
            CellCount {
                excerpts: count.excerpts,
                codings: count.codings,
                speakers: count.speakers,
                share: count.excerpts as f64 / size,
            },
        );
    }
    let total_excerpts: u64 = groups.iter().map(|(_, size)| size).sum();
    let mut totals = vec![CellCount::default(); codes.len()];
    for count in store.grouped_code_counts(Grouping::All, filter)? {
        if let Some(&c) = code_index.get(&count.code_id) {
            totals[c] = CellCount {
                excerpts: count.excerpts,
                codings: count.codings,
                speakers: count.speakers,
                share: count.excerpts as f64 / total_excerpts.max(1) as f64,
            };
        }
    }
    let grouping_label = match grouping {
        Grouping::CaseAttribute(id) | Grouping::SourceAttribute(id) => store.attribute(id)?.name,
        other => other.as_str().to_owned(),
    };
    Ok(FrequencyTable {
        grouping,
        grouping_label,
        filter: filter.clone(),
        groups,
        codes,
        cells,
        totals,
        total_excerpts,
    })
}
