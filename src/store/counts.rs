//! Aggregates computed by SQL over indexed tables: code counts per group (case,
//! source, speaker, role, or a case or source attribute), with filters by coder,
//! date and translation status, optionally rolling sub-codes up into their
//! parents; and code co-occurrence. Nothing here loads excerpts into memory.

use serde::Serialize;

use super::{Filter, Store, StoreResult};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{AttributeId, CodeId, ExcerptId, SourceId};

/// How excerpts are grouped for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// By case (mine site, community).
    #[default]
    Case,
    /// By source (interview), labelled "case / source".
    Source,
    /// By speaker, across sources.
    Speaker,
    /// By the speaker's role.
    Role,
    /// By the value of a case attribute (company, region, stage …).
    CaseAttribute(AttributeId),
    /// By the value of a source attribute.
    SourceAttribute(AttributeId),
    /// Everything in one group (for totals).
    All,
}

impl Grouping {
    /// The name used on the command line and in JSON (attributes by name
    /// elsewhere).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Source => "source",
            Self::Speaker => "speaker",
            Self::Role => "role",
            Self::CaseAttribute(_) | Self::SourceAttribute(_) => "attribute",
            Self::All => "all",
        }
    }

    /// The SQL naming a group, over `sources s` joined with `cases ca`. Groups are
    /// identified by their label: two sources with the same speaker are one group.
    fn label_sql(self) -> String {
        let none = "'(none)'";
        match self {
            Self::Case => "ca.name".to_owned(),
            Self::Source => "ca.name || ' / ' || s.name".to_owned(),
            Self::Speaker => format!("COALESCE(NULLIF(s.speaker, ''), {none})"),
            Self::Role => format!("COALESCE(NULLIF(s.role, ''), {none})"),
            Self::CaseAttribute(attribute_id) => format!(
                "COALESCE((SELECT v.value FROM case_attribute_values v
                           WHERE v.case_id = s.case_id AND v.attribute_id = {attribute_id}), {none})"
            ),
            Self::SourceAttribute(attribute_id) => format!(
                "COALESCE((SELECT v.value FROM source_attribute_values v
                           WHERE v.source_id = s.source_id AND v.attribute_id = {attribute_id}), {none})"
            ),
            Self::All => "'all'".to_owned(),
        }
    }
}

/// A recursive table `ancestry (code_id, counted_as)` mapping each code to itself
/// and, when rolling up, to every code above it.
fn ancestry_sql(with_children: bool) -> &'static str {
    if with_children {
        "WITH RECURSIVE ancestry (code_id, counted_as) AS (
             SELECT code_id, code_id FROM codes
             UNION ALL
             SELECT a.code_id, c.parent_id FROM ancestry a JOIN codes c ON c.code_id = a.counted_as
             WHERE c.parent_id IS NOT NULL
         )"
    } else {
        "WITH ancestry (code_id, counted_as) AS (SELECT code_id, code_id FROM codes)"
    }
}

/// How often one code was applied within one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SourceCodeCount {
    /// The source.
    pub source_id: SourceId,
    /// The code (or, rolling up, the code counted).
    pub code_id: CodeId,
    /// Distinct excerpts of the source carrying it.
    pub excerpts: u64,
    /// Its codings in the source.
    pub codings: u64,
}

/// A source with the group it falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceGroup {
    /// The source.
    pub source_id: SourceId,
    /// The label of its group.
    pub group: String,
    /// Its speaker.
    pub speaker: String,
    /// Its excerpts (within the filter's statuses).
    pub excerpts: u64,
}

/// How often one code was applied in the whole project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code_id: CodeId,
    /// Distinct excerpts carrying the code.
    pub excerpts: u64,
    /// Codings of the code (a passage coded twice counts twice).
    pub codings: u64,
}

/// How often one code was applied within one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupedCount {
    /// The group's label (case name, "case / source", speaker, attribute value).
    pub group: String,
    /// The code.
    pub code_id: CodeId,
    /// Distinct excerpts of the group carrying the code.
    pub excerpts: u64,
    /// Codings of the code in the group.
    pub codings: u64,
    /// Distinct speakers among those excerpts.
    pub speakers: u64,
}

/// How often two codes meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodePair {
    /// The first code (the smaller ID).
    pub first: CodeId,
    /// The second code.
    pub second: CodeId,
    /// Excerpts carrying both codes.
    pub excerpts: u64,
    /// Excerpts where codings of the two overlap: passages of the same language
    /// sharing characters, or a whole-excerpt coding with any coding of the other.
    pub overlapping: u64,
}

impl Store {
    /// Every code's counts, including codes never applied (zero).
    pub fn code_counts(&self) -> StoreResult<Vec<CodeCount>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.code_id,
                    (SELECT COUNT(DISTINCT k.excerpt_id) FROM codings k WHERE k.code_id = c.code_id),
                    (SELECT COUNT(*) FROM codings k WHERE k.code_id = c.code_id)
             FROM codes c",
        )?;
        let counts = statement
            .query_map([], |row| {
                Ok(CodeCount {
                    code_id: row.get(0)?,
                    excerpts: row.get::<_, i64>(1)? as u64,
                    codings: row.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(counts)
    }

    /// Codings and distinct excerpts per source and code (with sub-codes counted
    /// for their parents when the filter says so), by the filter's coder and
    /// statuses. This is where a million codings become a few thousand rows: one
    /// scan of the covering index, grouped in index order.
    pub fn source_code_counts(&self, filter: &Filter) -> StoreResult<Vec<SourceCodeCount>> {
        let codes = self.filter_codes(filter)?;
        let coding_condition =
            format!("{} AND {}", filter.coding_condition("k", &codes), filter.coded_excerpt_condition("k"));
        let sql = if filter.with_children {
            format!(
                "{}
                 SELECT k.source_id, a.counted_as, COUNT(DISTINCT k.excerpt_id), COUNT(*)
                 FROM codings k INDEXED BY codings_by_source CROSS JOIN ancestry a ON a.code_id = k.code_id
                 WHERE {coding_condition}
                 GROUP BY k.source_id, a.counted_as",
                ancestry_sql(true)
            )
        } else {
            format!(
                "SELECT k.source_id, k.code_id, COUNT(DISTINCT k.excerpt_id), COUNT(*)
                 FROM codings k INDEXED BY codings_by_source
                 WHERE {coding_condition}
                 GROUP BY k.source_id, k.code_id"
            )
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let counts = statement
            .query_map([], |row| {
                Ok(SourceCodeCount {
                    source_id: row.get(0)?,
                    code_id: row.get(1)?,
                    excerpts: row.get::<_, i64>(2)? as u64,
                    codings: row.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(counts)
    }

    /// Every source within the filter's dates and attribute value, with its
    /// group's label, its speaker, and its number of excerpts (within the
    /// filter's statuses; an interviewer's turn counts only when coded).
    pub fn source_groups(&self, grouping: Grouping, filter: &Filter) -> StoreResult<Vec<SourceGroup>> {
        let label = grouping.label_sql();
        let source_condition = filter.source_condition("s");
        let excerpt_condition = filter.excerpt_condition("e");
        let sql = format!(
            "SELECT s.source_id, {label}, s.speaker,
                    (SELECT COUNT(*) FROM excerpts e WHERE e.source_id = s.source_id AND {excerpt_condition}
                         -- An interviewer's turn is no one's testimony unless it was coded.
                         AND (e.interviewer = 0 OR EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id)))
             FROM sources s JOIN cases ca ON ca.case_id = s.case_id
             WHERE {source_condition}"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let groups = statement
            .query_map([], |row| {
                Ok(SourceGroup {
                    source_id: row.get(0)?,
                    group: row.get(1)?,
                    speaker: row.get(2)?,
                    excerpts: row.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(groups)
    }

    /// Counts per group and code, leaving out pairs that never occur: the
    /// per-source counts added up by the group each source belongs to (an excerpt
    /// belongs to one source and a source to one group, so distinct excerpts add
    /// up; speakers are counted distinct).
    pub fn grouped_code_counts(&self, grouping: Grouping, filter: &Filter) -> StoreResult<Vec<GroupedCount>> {
        let groups: HashMap<SourceId, SourceGroup> =
            self.source_groups(grouping, filter)?.into_iter().map(|group| (group.source_id, group)).collect();
        let mut sums: BTreeMap<(String, CodeId), (u64, u64, BTreeSet<String>)> = BTreeMap::new();
        for count in self.source_code_counts(filter)? {
            let Some(group) = groups.get(&count.source_id) else {
                continue;
            };
            let entry = sums.entry((group.group.clone(), count.code_id)).or_default();
            entry.0 += count.excerpts;
            entry.1 += count.codings;
            if !group.speaker.is_empty() {
                entry.2.insert(group.speaker.clone());
            }
        }
        Ok(sums
            .into_iter()
            .map(|((group, code_id), (excerpts, codings, speakers))| GroupedCount {
                group,
                code_id,
                excerpts,
                codings,
                speakers: speakers.len() as u64,
            })
            .collect())
    }

    /// Every group's label and number of excerpts (within the filter's dates and
    /// statuses), including groups with no codings, sorted by label.
    pub fn group_sizes(&self, grouping: Grouping, filter: &Filter) -> StoreResult<Vec<(String, u64)>> {
        let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
        for group in self.source_groups(grouping, filter)? {
            *sizes.entry(group.group).or_default() += group.excerpts;
        }
        Ok(sizes.into_iter().collect())
    }

    /// The excerpts of one group carrying a code (or, with `with_children`, a code
    /// under it), in reading order: the excerpts behind one cell of a frequency
    /// table.
    pub fn cell_excerpts(
        &self,
        grouping: Grouping,
        group: &str,
        code_id: CodeId,
        filter: &Filter,
    ) -> StoreResult<Vec<ExcerptId>> {
        let label = grouping.label_sql();
        let ancestry = ancestry_sql(filter.with_children);
        let source_condition = filter.source_condition("s");
        let excerpt_condition = filter.excerpt_condition("e");
        let codes = self.filter_codes(filter)?;
        let coding_condition = filter.coding_condition("k", &codes);
        let sql = format!(
            "{ancestry}
             SELECT DISTINCT e.excerpt_id FROM codings k
             JOIN ancestry a ON a.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE a.counted_as = ?1 AND {label} = ?2 AND {source_condition} AND {coding_condition}
               AND {excerpt_condition}
             ORDER BY ca.name, s.name, e.position"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let ids =
            statement.query_map(rusqlite::params![code_id, group], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// For every pair of codes that meet, how many excerpts carry both and on how
    /// many their codings overlap. Codes are compared as they are (sub-codes are
    /// not rolled up).
    pub fn code_pairs(&self, filter: &Filter) -> StoreResult<Vec<CodePair>> {
        let codes = self.filter_codes(filter)?;
        let coding_condition =
            format!("{} AND {}", filter.coding_condition("k", &codes), filter.coded_excerpt_condition("k"));
        let source_condition = filter.source_condition("s");
        let sql = format!(
            "WITH kept AS (
                 SELECT k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char FROM codings k
                 JOIN sources s ON s.source_id = k.source_id
                 WHERE {source_condition} AND {coding_condition}
             ),
             -- One self-join: for each excerpt and pair of codes on it, whether any
             -- two of their codings overlap.
             per_excerpt AS (
                 SELECT a.code_id AS first, b.code_id AS second, a.excerpt_id,
                        MAX(a.side IS NULL OR b.side IS NULL
                            OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char))
                            AS overlapping
                 FROM kept a JOIN kept b ON a.excerpt_id = b.excerpt_id AND a.code_id < b.code_id
                 GROUP BY a.code_id, b.code_id, a.excerpt_id
             )
             SELECT first, second, COUNT(*), SUM(overlapping) FROM per_excerpt
             GROUP BY first, second
             ORDER BY first, second"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let pairs = statement
            .query_map([], |row| {
                Ok(CodePair {
                    first: row.get(0)?,
                    second: row.get(1)?,
                    excerpts: row.get::<_, i64>(2)? as u64,
                    overlapping: row.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(pairs)
    }

    /// Distinct excerpts carrying each code within the filter (for the diagonal of
    /// a co-occurrence table).
    pub fn filtered_code_totals(&self, filter: &Filter) -> StoreResult<Vec<(CodeId, u64)>> {
        let plain = Filter { with_children: false, ..filter.clone() };
        let totals = self.grouped_code_counts(Grouping::All, &plain)?;
        Ok(totals.into_iter().map(|count| (count.code_id, count.excerpts)).collect())
    }

    /// The excerpts carrying both codes, in reading order.
    pub fn excerpts_with_both(&self, first: CodeId, second: CodeId, filter: &Filter) -> StoreResult<Vec<ExcerptId>> {
        let codes = self.filter_codes(filter)?;
        let coding_condition = filter.coding_condition("k", &codes);
        let source_condition = filter.source_condition("s");
        let excerpt_condition = filter.excerpt_condition("e");
        let sql = format!(
            "SELECT e.excerpt_id FROM excerpts e
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {source_condition} AND {excerpt_condition}
               AND EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND k.code_id = ?1
                           AND {coding_condition})
               AND EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND k.code_id = ?2
                           AND {coding_condition})
             ORDER BY ca.name, s.name, e.position"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let ids = statement.query_map(rusqlite::params![first, second], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The passages where codings of `first` and `second` overlap (at most
    /// `limit`), in reading order: the words both cover, or the passage of one
    /// when the other codes the whole excerpt.
    pub fn overlapping_passages(
        &self,
        first: CodeId,
        second: CodeId,
        filter: &Filter,
        limit: usize,
    ) -> StoreResult<Vec<OverlapPassage>> {
        let codes = self.filter_codes(filter)?;
        let first_condition = filter.coding_condition("a", &codes);
        let second_condition = filter.coding_condition("b", &codes);
        let source_condition = filter.source_condition("s");
        let excerpt_condition = filter.excerpt_condition("e");
        let text_of =
            |side: &str| format!("CASE {side} WHEN 'original' THEN e.original_text ELSE e.translation_text END");
        let sql = format!(
            "SELECT e.excerpt_id, e.label,
                 CASE
                     WHEN a.side IS NULL AND b.side IS NULL THEN substr(coalesce(e.original_text, e.translation_text), 1, 200)
                     WHEN a.side IS NULL THEN substr({b_text}, b.start_char + 1, b.end_char - b.start_char)
                     WHEN b.side IS NULL THEN substr({a_text}, a.start_char + 1, a.end_char - a.start_char)
                     ELSE substr({a_text}, max(a.start_char, b.start_char) + 1,
                                 min(a.end_char, b.end_char) - max(a.start_char, b.start_char))
                 END
             FROM codings a
             JOIN codings b ON b.excerpt_id = a.excerpt_id AND b.code_id = ?2
             JOIN excerpts e ON e.excerpt_id = a.excerpt_id
             JOIN sources s ON s.source_id = a.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE a.code_id = ?1 AND {source_condition} AND {excerpt_condition}
               AND {first_condition} AND {second_condition}
               AND (a.side IS NULL OR b.side IS NULL
                    OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char))
             ORDER BY ca.name, s.name, e.position
             LIMIT ?3",
            a_text = text_of("a.side"),
            b_text = text_of("b.side"),
        );
        let mut statement = self.conn.prepare(&sql)?;
        let passages = statement
            .query_map(rusqlite::params![first, second, limit as i64], |row| {
                Ok(OverlapPassage {
                    excerpt_id: row.get(0)?,
                    label: row.get(1)?,
                    text: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(passages)
    }
}

/// A passage where two codes overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapPassage {
    /// The excerpt.
    pub excerpt_id: ExcerptId,
    /// The excerpt's identifier.
    pub label: String,
    /// The words both codes cover.
    pub text: String,
}
