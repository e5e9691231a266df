//! Aggregates computed by SQL over indexed tables: code counts per group (case,
//! source, speaker, role, or a case or source attribute), with filters by coder,
//! date and translation status, optionally rolling sub-codes up into their
//! parents; and code co-occurrence. Nothing here loads excerpts into memory.

use serde::Serialize;

use super::{Store, StoreResult};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{AttributeId, CodeId, CoderId, ExcerptId, SourceId, TranslationStatus};

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

/// Which codings and excerpts counts look at. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountFilter {
    /// Only codings by this coder.
    pub coder_id: Option<CoderId>,
    /// Only sources dated on or after this date (`yyyy`, `yyyy-mm`, `yyyy-mm-dd`).
    /// Sources without a date are left out when a date is given.
    pub date_from: Option<String>,
    /// Only sources dated on or before this date.
    pub date_to: Option<String>,
    /// Only excerpts whose translation has one of these statuses.
    pub statuses: Vec<TranslationStatus>,
    /// Count each code with the codes under it (an excerpt coded with a parent and
    /// a child counts once for the parent).
    pub with_children: bool,
    /// Only cases or sources whose attribute has this value.
    pub attribute: Option<(AttributeId, String)>,
}

impl CountFilter {
    /// SQL over `sources s` keeping sources in the date range (bound as ?1 from and
    /// ?2 to, NULL meaning open) and with the chosen attribute value.
    fn source_condition(&self) -> String {
        // A partial date is a period: 2021 runs from 2021-01-01 to 2021-12-31. A
        // source is kept when its period overlaps the range asked for.
        let mut sql = "((?1 IS NULL AND ?2 IS NULL) OR (s.date <> ''
            AND (?1 IS NULL OR (CASE length(s.date) WHEN 4 THEN s.date || '-12-31' WHEN 7 THEN s.date || '-31'
                                ELSE s.date END) >= (CASE length(?1) WHEN 4 THEN ?1 || '-01-01'
                                WHEN 7 THEN ?1 || '-01' ELSE ?1 END))
            AND (?2 IS NULL OR (CASE length(s.date) WHEN 4 THEN s.date || '-01-01' WHEN 7 THEN s.date || '-01'
                                ELSE s.date END) <= (CASE length(?2) WHEN 4 THEN ?2 || '-12-31'
                                WHEN 7 THEN ?2 || '-31' ELSE ?2 END))))"
            .to_owned();
        if let Some((attribute_id, value)) = &self.attribute {
            // An attribute belongs to cases or to sources; the other test finds nothing.
            let value = value.replace('\'', "''");
            sql.push_str(&format!(
                " AND (EXISTS (SELECT 1 FROM case_attribute_values v WHERE v.case_id = s.case_id
                               AND v.attribute_id = {attribute_id} AND v.value = '{value}')
                    OR EXISTS (SELECT 1 FROM source_attribute_values v WHERE v.source_id = s.source_id
                               AND v.attribute_id = {attribute_id} AND v.value = '{value}'))"
            ));
        }
        sql
    }

    /// SQL over the codings aliased `alias`, keeping codings by the chosen coder
    /// (?3) of excerpts with the chosen statuses.
    fn coding_condition(&self, alias: &str) -> String {
        let mut conditions = vec![format!("(?3 IS NULL OR {alias}.coder_id = ?3)")];
        if !self.statuses.is_empty() {
            let statuses: Vec<String> = self.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            conditions.push(format!(
                "{alias}.excerpt_id IN (SELECT excerpt_id FROM excerpts WHERE translation_status IN ({}))",
                statuses.join(", ")
            ));
        }
        conditions.join(" AND ")
    }

    /// SQL over `excerpts e` keeping the chosen statuses.
    fn excerpt_condition(&self) -> String {
        if self.statuses.is_empty() {
            return "1 = 1".to_owned();
        }
        let statuses: Vec<String> = self.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
        format!("e.translation_status IN ({})", statuses.join(", "))
    }

    fn parameters(&self) -> (Option<&str>, Option<&str>, Option<i64>) {
        (self.date_from.as_deref(), self.date_to.as_deref(), self.coder_id.map(|coder| coder.0))
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
    pub fn source_code_counts(&self, filter: &CountFilter) -> StoreResult<Vec<SourceCodeCount>> {
        let coding_condition = filter.coding_condition("k");
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
            .query_map(rusqlite::params![Option::<&str>::None, Option::<&str>::None, filter.coder_id], |row| {
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
    /// filter's statuses).
    pub fn source_groups(&self, grouping: Grouping, filter: &CountFilter) -> StoreResult<Vec<SourceGroup>> {
        let label = grouping.label_sql();
        let source_condition = filter.source_condition();
        let excerpt_condition = filter.excerpt_condition();
        let sql = format!(
            "SELECT s.source_id, {label}, s.speaker,
                    (SELECT COUNT(*) FROM excerpts e WHERE e.source_id = s.source_id AND {excerpt_condition})
             FROM sources s JOIN cases ca ON ca.case_id = s.case_id
             WHERE {source_condition}"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let groups = statement
            .query_map(rusqlite::params![filter.date_from, filter.date_to], |row| {
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
    pub fn grouped_code_counts(&self, grouping: Grouping, filter: &CountFilter) -> StoreResult<Vec<GroupedCount>> {
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
    pub fn group_sizes(&self, grouping: Grouping, filter: &CountFilter) -> StoreResult<Vec<(String, u64)>> {
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
        filter: &CountFilter,
    ) -> StoreResult<Vec<ExcerptId>> {
        let label = grouping.label_sql();
        let ancestry = ancestry_sql(filter.with_children);
        let source_condition = filter.source_condition();
        let coding_condition = filter.coding_condition("k");
        let sql = format!(
            "{ancestry}
             SELECT DISTINCT e.excerpt_id FROM codings k
             JOIN ancestry a ON a.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE a.counted_as = ?4 AND {label} = ?5 AND {source_condition} AND {coding_condition}
             ORDER BY ca.name, s.name, e.position"
        );
        let (from, to, coder) = filter.parameters();
        let mut statement = self.conn.prepare_cached(&sql)?;
        let ids = statement
            .query_map(rusqlite::params![from, to, coder, code_id, group], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// For every pair of codes that meet, how many excerpts carry both and on how
    /// many their codings overlap. Codes are compared as they are (sub-codes are
    /// not rolled up).
    pub fn code_pairs(&self, filter: &CountFilter) -> StoreResult<Vec<CodePair>> {
        let coding_condition = filter.coding_condition("k");
        let source_condition = filter.source_condition();
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
            .query_map(filter.parameters(), |row| {
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
    pub fn filtered_code_totals(&self, filter: &CountFilter) -> StoreResult<Vec<(CodeId, u64)>> {
        let plain = CountFilter { with_children: false, ..filter.clone() };
        let totals = self.grouped_code_counts(Grouping::All, &plain)?;
        Ok(totals.into_iter().map(|count| (count.code_id, count.excerpts)).collect())
    }

    /// The excerpts carrying both codes, in reading order.
    pub fn excerpts_with_both(
        &self,
        first: CodeId,
        second: CodeId,
        filter: &CountFilter,
    ) -> StoreResult<Vec<ExcerptId>> {
        let coding_condition = filter.coding_condition("k");
        let source_condition = filter.source_condition();
        let sql = format!(
            "SELECT e.excerpt_id FROM excerpts e
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {source_condition}
               AND EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND k.code_id = ?4
                           AND {coding_condition})
               AND EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND k.code_id = ?5
                           AND {coding_condition})
             ORDER BY ca.name, s.name, e.position"
        );
        let (from, to, coder) = filter.parameters();
        let mut statement = self.conn.prepare_cached(&sql)?;
        let ids = statement
            .query_map(rusqlite::params![from, to, coder, first, second], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The passages where codings of `first` and `second` overlap (at most
    /// `limit`), in reading order: the words both cover, or the passage of one
    /// when the other codes the whole excerpt.
    pub fn overlapping_passages(
        &self,
        first: CodeId,
        second: CodeId,
        filter: &CountFilter,
        limit: usize,
    ) -> StoreResult<Vec<OverlapPassage>> {
        let first_condition = filter.coding_condition("a");
        let second_condition = filter.coding_condition("b");
        let source_condition = filter.source_condition();
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
             JOIN codings b ON b.excerpt_id = a.excerpt_id AND b.code_id = ?5
             JOIN excerpts e ON e.excerpt_id = a.excerpt_id
             JOIN sources s ON s.source_id = a.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE a.code_id = ?4 AND {source_condition} AND {first_condition} AND {second_condition}
               AND (a.side IS NULL OR b.side IS NULL
                    OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char))
             ORDER BY ca.name, s.name, e.position
             LIMIT ?6",
            a_text = text_of("a.side"),
            b_text = text_of("b.side"),
        );
        let (from, to, coder) = filter.parameters();
        let mut statement = self.conn.prepare_cached(&sql)?;
        let passages = statement
            .query_map(rusqlite::params![from, to, coder, first, second, limit as i64], |row| {
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
