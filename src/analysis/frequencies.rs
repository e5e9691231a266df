//! Code frequencies per case, source or speaker: how many excerpts of each group
//! carry each code, and how many codings that makes.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::Code;
use crate::store::{Grouping, Store, StoreResult};

/// The counts of one code in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct CellCount {
    /// Distinct excerpts carrying the code.
    pub excerpts: u64,
    /// Codings of the code (a passage and the whole excerpt count separately).
    pub codings: u64,
}

/// A codes × groups table of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyTable {
    /// How the groups were formed.
    pub grouping: Grouping,
    /// Each group's label and number of excerpts, sorted by label.
    pub groups: Vec<(String, u64)>,
    /// The codebook, in display order.
    pub codes: Vec<Code>,
    /// Counts by (group index, code index); absent cells are zero.
    pub cells: BTreeMap<(usize, usize), CellCount>,
}

impl FrequencyTable {
    /// The counts of one cell (zero when absent).
    pub fn cell(&self, group_index: usize, code_index: usize) -> CellCount {
        self.cells.get(&(group_index, code_index)).copied().unwrap_or_default()
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
        json!({ "by": self.grouping.as_str(), "counts": counts })
    }
}

/// Counts, for each group and code, the excerpts carrying the code and its codings.
pub fn frequencies(store: &Store, grouping: Grouping) -> StoreResult<FrequencyTable> {
    let codes = store.codes()?;
    let groups = store.group_sizes(grouping)?;
    let group_index: BTreeMap<&str, usize> =
        groups.iter().enumerate().map(|(index, (name, _))| (name.as_str(), index)).collect();
    let code_index: BTreeMap<_, usize> = codes.iter().enumerate().map(|(index, code)| (code.code_id, index)).collect();
    let mut cells = BTreeMap::new();
    for count in store.grouped_code_counts(grouping)? {
        let (Some(&g), Some(&c)) = (group_index.get(count.group.as_str()), code_index.get(&count.code_id)) else {
            continue;
        };
        cells.insert((g, c), CellCount { excerpts: count.excerpts, codings: count.codings });
    }
    Ok(FrequencyTable { grouping, groups, codes, cells })
}
