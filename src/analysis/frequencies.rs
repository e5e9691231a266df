//! Code frequencies per case, source, speaker, role or attribute value: for each
//! group and code, how many excerpts carry the code, how many codings that makes,
//! what share of the group's excerpts that is, and how many speakers said it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::model::{Code, SourceId};
use crate::store::{Filter, Grouping, Store, StoreResult};

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
    pub filter: Filter,
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
/// their share of the group and the speakers, within `filter`. The per-source
/// counts come from one SQL scan; groups and totals add them up.
pub fn frequencies(store: &Store, grouping: Grouping, filter: &Filter) -> StoreResult<FrequencyTable> {
    let codes = crate::model::labelled(store.codes()?);
    let code_index: HashMap<_, usize> = codes.iter().enumerate().map(|(index, code)| (code.code_id, index)).collect();
    let sources = store.source_groups(grouping, filter)?;
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    for source in &sources {
        *sizes.entry(source.group.clone()).or_default() += source.excerpts;
    }
    let groups: Vec<(String, u64)> = sizes.into_iter().collect();
    let group_index: HashMap<&str, usize> =
        groups.iter().enumerate().map(|(index, (name, _))| (name.as_str(), index)).collect();
    let source_of: HashMap<SourceId, (usize, &str)> = sources
        .iter()
        .filter_map(|s| group_index.get(s.group.as_str()).map(|g| (s.source_id, (*g, s.speaker.as_str()))))
        .collect();
    /// Running sums for one cell.
    #[derive(Default)]
    struct Sum<'a> {
        excerpts: u64,
        codings: u64,
        speakers: BTreeSet<&'a str>,
    }
    // By (group, or None for the total; code).
    let mut sums: HashMap<(Option<usize>, usize), Sum> = HashMap::new();
    for count in store.source_code_counts(filter)? {
        let (Some(&(g, speaker)), Some(&c)) = (source_of.get(&count.source_id), code_index.get(&count.code_id)) else {
            continue;
        };
        for key in [(Some(g), c), (None, c)] {
            let sum = sums.entry(key).or_default();
            sum.excerpts += count.excerpts;
            sum.codings += count.codings;
            if !speaker.is_empty() {
                sum.speakers.insert(speaker);
            }
        }
    }
    let total_excerpts: u64 = groups.iter().map(|(_, size)| size).sum();
    let mut cells = BTreeMap::new();
    let mut totals = vec![CellCount::default(); codes.len()];
    for ((group, c), Sum { excerpts, codings, speakers }) in sums {
        let size = match group {
            Some(g) => groups[g].1,
            None => total_excerpts,
        };
        let cell = CellCount {
            excerpts,
            codings,
            speakers: speakers.len() as u64,
            share: excerpts as f64 / size.max(1) as f64,
        };
        match group {
            Some(g) => {
                cells.insert((g, c), cell);
            }
            None => totals[c] = cell,
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
