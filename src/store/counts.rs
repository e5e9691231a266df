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
    /// Every code's counts, including codes never applied (zero), from the
    /// running counts per source (an excerpt belongs to one source, so its
    /// distinct excerpts add up).
    pub fn code_counts(&self) -> StoreResult<Vec<CodeCount>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.code_id, IFNULL(t.excerpts, 0), IFNULL(t.codings, 0)
             FROM codes c
             LEFT JOIN (SELECT code_id, SUM(excerpts) AS excerpts, SUM(codings) AS codings
                        FROM code_tallies GROUP BY code_id) t ON t.code_id = c.code_id",
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
        // Any coder, nothing about the excerpts themselves: the running counts
        // answer (sources are chosen by the caller's groups).
        if filter.with_children && filter.coder_id.is_none() && !filter.reads_excerpts() {
            return self.rolled_up_counts(filter);
        }
        if !filter.with_children && filter.coder_id.is_none() && !filter.reads_excerpts() {
            let codes = self.filter_codes(filter)?;
            let sql = format!(
                "SELECT t.source_id, t.code_id, t.excerpts, t.codings FROM code_tallies t WHERE {}",
                filter.coding_condition("t", &codes)
            );
            return self.read_source_code_counts(&sql);
        }
        self.source_code_counts_by_scan(filter)
    }

    /// [`Store::source_code_counts`] with sub-codes rolled up into their
    /// parents, any coder: a code with no sub-code (among the filter's codes)
    /// is its running count; a code with sub-codes counts the distinct
    /// excerpts of its subtree's codings, read by code.
    fn rolled_up_counts(&self, filter: &Filter) -> StoreResult<Vec<SourceCodeCount>> {
        let codes = self.codes()?;
        let allowed: Option<std::collections::HashSet<CodeId>> =
            if filter.codes.is_empty() { None } else { Some(self.filter_codes(filter)?.into_iter().collect()) };
        let is_allowed = |code_id: &CodeId| allowed.as_ref().is_none_or(|allowed| allowed.contains(code_id));
        let mut children: HashMap<CodeId, Vec<CodeId>> = HashMap::new();
        for code in &codes {
            if let Some(parent_id) = code.parent_id {
                children.entry(parent_id).or_default().push(code.code_id);
            }
        }
        let mut tallies: HashMap<CodeId, Vec<SourceCodeCount>> = HashMap::new();
        for count in self.source_code_counts(&Filter { with_children: false, codes: Vec::new(), ..filter.clone() })? {
            tallies.entry(count.code_id).or_default().push(count);
        }
        // Codes whose subtree holds more than one code, by the codes under them
        // they count for (each code lists the rolled-up codes it adds to).
        let mut counted_for: HashMap<CodeId, Vec<CodeId>> = HashMap::new();
        let mut counts = Vec::new();
        for code in &codes {
            // The code and every code under it, as far as the filter lets them count.
            let mut subtree = Vec::new();
            let mut pending = vec![code.code_id];
            while let Some(code_id) = pending.pop() {
                if is_allowed(&code_id) {
                    subtree.push(code_id);
                }
                pending.extend(children.get(&code_id).into_iter().flatten().copied());
            }
            match subtree.as_slice() {
                [] => {}
                [only] => counts.extend(
                    tallies
                        .get(only)
                        .into_iter()
                        .flatten()
                        .map(|count| SourceCodeCount { code_id: code.code_id, ..*count }),
                ),
                _ => {
                    for below in subtree {
                        counted_for.entry(below).or_default().push(code.code_id);
                    }
                }
            }
        }
        if !counted_for.is_empty() {
            // The covering index, source by source: each rolled-up code's
            // codings and the distinct excerpts among them. Naming every source
            // lets SQLite seek to each (source, code) run of the index instead
            // of reading all of it for the few codes asked.
            let ids = serde_json::to_string(&counted_for.keys().map(|id| id.0).collect::<Vec<_>>())
                .unwrap_or_else(|_| "[]".to_owned());
            let mut statement = self.conn.prepare_cached(
                "SELECT k.source_id, k.code_id, k.excerpt_id FROM codings k INDEXED BY codings_by_source
                 WHERE k.source_id IN (SELECT source_id FROM sources ORDER BY source_id)
                   AND k.code_id IN (SELECT value FROM json_each(?1))
                 ORDER BY k.source_id",
            )?;
            let mut rows = statement.query([ids])?;
            // Rolled-up codes by slot, and for each code read, the slots it adds to
            // (looked up once per run of one code, as the index groups them).
            let rolled: Vec<CodeId> = {
                let mut rolled: Vec<CodeId> = counted_for.values().flatten().copied().collect();
                rolled.sort_unstable();
                rolled.dedup();
                rolled
            };
            let slots_of: HashMap<CodeId, Vec<usize>> = counted_for
                .iter()
                .map(|(code, counted)| {
                    (*code, counted.iter().filter_map(|c| rolled.binary_search(c).ok()).collect::<Vec<_>>())
                })
                .collect();
            let mut per_slot: Vec<Vec<ExcerptId>> = vec![Vec::new(); rolled.len()];
            let mut flush = |source_id: SourceId, per_slot: &mut Vec<Vec<ExcerptId>>| {
                for (slot, excerpts) in per_slot.iter_mut().enumerate() {
                    if excerpts.is_empty() {
                        continue;
                    }
                    let codings = excerpts.len() as u64;
                    excerpts.sort_unstable();
                    excerpts.dedup();
                    counts.push(SourceCodeCount {
                        source_id,
                        code_id: rolled[slot],
                        excerpts: excerpts.len() as u64,
                        codings,
                    });
                    excerpts.clear();
                }
            };
            let mut current: Option<SourceId> = None;
            let mut current_code: Option<CodeId> = None;
            let no_slots = Vec::new();
            let mut slots: &Vec<usize> = &no_slots;
            while let Some(row) = rows.next()? {
                let source_id: SourceId = row.get(0)?;
                if current.is_some_and(|current| current != source_id) {
                    flush(current.unwrap_or(source_id), &mut per_slot);
                }
                current = Some(source_id);
                let code_id: CodeId = row.get(1)?;
                if current_code != Some(code_id) {
                    slots = slots_of.get(&code_id).unwrap_or(&no_slots);
                    current_code = Some(code_id);
                }
                let excerpt_id: ExcerptId = row.get(2)?;
                for slot in slots {
                    per_slot[*slot].push(excerpt_id);
                }
            }
            if let Some(source_id) = current {
                flush(source_id, &mut per_slot);
            }
        }
        counts.sort_unstable_by_key(|count| (count.source_id, count.code_id));
        Ok(counts)
    }

    /// [`Store::source_code_counts`] from the codings themselves: one scan of
    /// the covering index, grouped in index order.
    fn source_code_counts_by_scan(&self, filter: &Filter) -> StoreResult<Vec<SourceCodeCount>> {
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
        self.read_source_code_counts(&sql)
    }

    /// Runs `sql`, which selects source, code, excerpts and codings, in that order.
    fn read_source_code_counts(&self, sql: &str) -> StoreResult<Vec<SourceCodeCount>> {
        let mut statement = self.conn.prepare_cached(sql)?;
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
        Ok(self.code_meetings(filter)?.pairs)
    }

    /// Co-occurrence in one pass over the codings the filter keeps: each code's
    /// distinct excerpts, and every pair of codes that meet (see
    /// [`Store::code_pairs`]). The codings are read once, in table order, and
    /// compared excerpt by excerpt in memory; the same counts by a self-join
    /// of the codings took seconds at a million codings.
    pub fn code_meetings(&self, filter: &Filter) -> StoreResult<CodeMeetings> {
        // Any coder, nothing about the excerpts themselves: the running pairs answer.
        if filter.coder_id.is_none() && !filter.reads_excerpts() {
            return self.code_meetings_from_running_counts(filter);
        }
        self.code_meetings_by_scan(filter)
    }

    /// [`Store::code_meetings`] from the running pair counts (`code_pairs`)
    /// and code counts (`code_tallies`), summed over the sources the filter keeps.
    fn code_meetings_from_running_counts(&self, filter: &Filter) -> StoreResult<CodeMeetings> {
        let codes = self.filter_codes(filter)?;
        let kept = |code: CodeId| codes.is_empty() || codes.contains(&code);
        let source_condition = filter.source_condition("s");
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT p.first_code, p.second_code, SUM(p.excerpts), SUM(p.overlapping)
             FROM code_pairs p JOIN sources s ON s.source_id = p.source_id
             WHERE {source_condition} GROUP BY p.first_code, p.second_code"
        ))?;
        let mut pairs = Vec::new();
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (first, second, excerpts, overlapping): (CodeId, CodeId, i64, i64) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            if excerpts > 0 && kept(first) && kept(second) {
                pairs.push(CodePair {
                    first,
                    second,
                    excerpts: excerpts.unsigned_abs(),
                    overlapping: overlapping.max(0).unsigned_abs(),
                });
            }
        }
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT t.code_id, SUM(t.excerpts) FROM code_tallies t JOIN sources s ON s.source_id = t.source_id
             WHERE {source_condition} GROUP BY t.code_id ORDER BY t.code_id"
        ))?;
        let mut totals = Vec::new();
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (code, excerpts): (CodeId, i64) = (row.get(0)?, row.get(1)?);
            if excerpts > 0 && kept(code) {
                totals.push((code, excerpts.unsigned_abs()));
            }
        }
        pairs.sort_unstable_by_key(|pair| (pair.first, pair.second));
        Ok(CodeMeetings { totals, pairs })
    }

    /// [`Store::code_meetings`] from the codings themselves: read once, in
    /// table order, and compared excerpt by excerpt in memory.
    pub(super) fn code_meetings_by_scan(&self, filter: &Filter) -> StoreResult<CodeMeetings> {
        let codes = self.filter_codes(filter)?;
        let coding_condition =
            format!("{} AND {}", filter.coding_condition("k", &codes), filter.coded_excerpt_condition("k"));
        let source_condition = filter.source_condition("s");
        let sql = if source_condition == "1 = 1" {
            format!(
                "SELECT k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char FROM codings k WHERE {coding_condition}"
            )
        } else {
            format!(
                "SELECT k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char FROM codings k
                 JOIN sources s ON s.source_id = k.source_id
                 WHERE {source_condition} AND {coding_condition}"
            )
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        let mut kept: Vec<KeptCoding> = Vec::new();
        while let Some(row) = rows.next()? {
            kept.push(kept_coding(row, 0)?);
        }
        // Codings are written excerpt by excerpt, so the table is nearly in
        // excerpt order already; sorting is then cheap.
        if !kept.is_sorted_by_key(|coding| (coding.excerpt_id, coding.code_id)) {
            kept.sort_unstable_by_key(|coding| (coding.excerpt_id, coding.code_id));
        }
        // Each code met gets a small slot number, so counting is array
        // indexing rather than hashing (a million codings, two million pairs).
        // Every coding's code is in the codebook, which is small.
        let mut codes_met: Vec<CodeId> = self.codes()?.into_iter().map(|code| code.code_id).collect();
        codes_met.sort_unstable();
        if kept.iter().any(|coding| codes_met.binary_search(&coding.code_id).is_err()) {
            // Only a file whose foreign keys were broken outside Quipu gets here.
            codes_met.extend(kept.iter().map(|coding| coding.code_id));
            codes_met.sort_unstable();
            codes_met.dedup();
        }
        let slots: Vec<usize> =
            kept.iter().map(|coding| codes_met.binary_search(&coding.code_id).unwrap_or_default()).collect();
        let width = codes_met.len();
        let mut totals = vec![0u64; width];
        let mut pairs = PairCounts::for_codes(width);
        let mut met: Vec<((usize, usize), bool)> = Vec::new();
        let mut start = 0;
        for excerpt in kept.chunk_by(|a, b| a.excerpt_id == b.excerpt_id) {
            let excerpt_slots = &slots[start..start + excerpt.len()];
            start += excerpt.len();
            for (i, coding) in excerpt.iter().enumerate() {
                if i == 0 || excerpt[i - 1].code_id != coding.code_id {
                    totals[excerpt_slots[i]] += 1;
                }
            }
            pairs_within(excerpt, |coding| coding, |i| excerpt_slots[i], &mut met);
            for (key, overlapping) in &met {
                pairs.add(*key, *overlapping);
            }
        }
        let pairs = pairs
            .into_counts()
            .into_iter()
            .map(|((first, second), (excerpts, overlapping))| CodePair {
                first: codes_met[first],
                second: codes_met[second],
                excerpts,
                overlapping,
            })
            .collect();
        let totals =
            codes_met.iter().zip(totals).filter(|(_, total)| *total > 0).map(|(code, total)| (*code, total)).collect();
        Ok(CodeMeetings { totals, pairs })
    }

    /// Runs `write` with the running counts' triggers set aside, then counts
    /// every source's codings and pairs afresh and puts the triggers back: for
    /// a change of many codings (undoing a large import or merge), where the
    /// triggers would recount an excerpt for each coding, about 30 µs apiece.
    /// Only inside a transaction, which undoes all of it on failure.
    pub(super) fn with_counts_recounted<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let triggers = running_count_triggers(&self.conn)?;
        for (name, _) in &triggers {
            self.conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        let written = write(self);
        let finished = (|| -> StoreResult<()> {
            if written.is_ok() {
                // Sources the write removed leave no counts behind.
                self.conn.execute_batch("DELETE FROM code_tallies; DELETE FROM code_pairs;")?;
                self.recount_sources("SELECT source_id FROM sources")?;
            }
            for (_, sql) in &triggers {
                self.conn.execute_batch(sql)?;
            }
            Ok(())
        })();
        let written = written?;
        finished?;
        Ok(written)
    }

    /// Counts afresh the running counts and pairs of the sources `sources`
    /// (SQL selecting their IDs) selects, in one pass over their codings.
    pub(super) fn recount_sources(&self, sources: &str) -> StoreResult<()> {
        self.conn.execute_batch(&format!(
            "CREATE TEMP TABLE quipu_touched_sources AS {sources};
             DELETE FROM code_tallies WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources);
             INSERT INTO code_tallies (source_id, code_id, codings, excerpts)
                 SELECT source_id, code_id, COUNT(*), COUNT(DISTINCT excerpt_id) FROM codings
                 WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources)
                 GROUP BY source_id, code_id;
             DELETE FROM code_pairs WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources);"
        ))?;
        let counted = self.recount_pairs();
        self.conn.execute_batch("DROP TABLE temp.quipu_touched_sources;")?;
        counted
    }

    /// Fills the running pair counts (`code_pairs`) of the sources listed in
    /// `temp.quipu_touched_sources`, whose rows there were removed (see
    /// [`Store::recount_sources`]), in one pass over their codings.
    fn recount_pairs(&self) -> StoreResult<()> {
        let mut statement = self.conn.prepare(
            "SELECT k.source_id, k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char FROM codings k
             WHERE k.source_id IN (SELECT source_id FROM temp.quipu_touched_sources)",
        )?;
        let mut rows = statement.query([])?;
        let mut kept: Vec<(SourceId, KeptCoding)> = Vec::new();
        while let Some(row) = rows.next()? {
            kept.push((row.get(0)?, kept_coding(row, 1)?));
        }
        kept.sort_unstable_by_key(|(source, coding)| (*source, coding.excerpt_id, coding.code_id));
        let mut insert = self.conn.prepare(
            "INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut met: Vec<((CodeId, CodeId), bool)> = Vec::new();
        for source in kept.chunk_by(|a, b| a.0 == b.0) {
            let source_id = source[0].0;
            let mut pairs: HashMap<(CodeId, CodeId), (i64, i64)> = HashMap::new();
            for unit in source.chunk_by(|a, b| a.1.excerpt_id == b.1.excerpt_id) {
                pairs_within(unit, |(_, coding)| coding, |i| unit[i].1.code_id, &mut met);
                for (key, overlapping) in &met {
                    let counts = pairs.entry(*key).or_default();
                    counts.0 += 1;
                    counts.1 += i64::from(*overlapping);
                }
            }
            for ((first, second), (excerpts, overlapping)) in pairs {
                insert.execute(rusqlite::params![source_id, first, second, excerpts, overlapping])?;
            }
        }
        Ok(())
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

/// Each code's excerpts and the pairs of codes that meet, within a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeMeetings {
    /// Distinct excerpts carrying each code that occurs, by code ID.
    pub totals: Vec<(CodeId, u64)>,
    /// Every pair of codes meeting on an excerpt, the smaller ID first, sorted.
    pub pairs: Vec<CodePair>,
}

/// `side` of a coding of the whole excerpt.
const WHOLE: u8 = 0;

/// Excerpts and overlapping excerpts per pair of code slots (the smaller
/// first): a square table while the codes met are few enough, else a map.
enum PairCounts {
    Table { width: usize, counts: Vec<(u64, u64)> },
    Map(HashMap<(usize, usize), (u64, u64)>),
}

impl PairCounts {
    /// A square table costs 16 bytes per pair of codes: up to 2,048 codes, 64 MB.
    const MOST_CODES_IN_TABLE: usize = 2_048;

    fn for_codes(width: usize) -> Self {
        if width <= Self::MOST_CODES_IN_TABLE {
            PairCounts::Table { width, counts: vec![(0, 0); width * width] }
        } else {
            PairCounts::Map(HashMap::new())
        }
    }

    fn add(&mut self, (first, second): (usize, usize), overlapping: bool) {
        let counts = match self {
            PairCounts::Table { width, counts } => &mut counts[first * *width + second],
            PairCounts::Map(map) => map.entry((first, second)).or_default(),
        };
        counts.0 += 1;
        counts.1 += u64::from(overlapping);
    }

    /// The pairs that met, in slot order.
    fn into_counts(self) -> Vec<((usize, usize), (u64, u64))> {
        match self {
            PairCounts::Table { width, counts } => counts
                .into_iter()
                .enumerate()
                .filter(|(_, (excerpts, _))| *excerpts > 0)
                .map(|(at, counts)| ((at / width, at % width), counts))
                .collect(),
            PairCounts::Map(map) => {
                let mut counts: Vec<_> = map.into_iter().collect();
                counts.sort_unstable_by_key(|(pair, _)| *pair);
                counts
            }
        }
    }
}

/// Which of the codings' triggers keep the running counts and pairs (a
/// condition on `sqlite_schema.name`): set aside by bulk writes, which count
/// afresh instead.
pub(super) const RUNNING_COUNT_TRIGGERS: &str = "(name LIKE 'codings_tally_%' OR name LIKE 'codings_pairs_%')";

/// The running counts' triggers of the project on `conn`: name, and the SQL
/// that makes each again.
pub(super) fn running_count_triggers(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare(&format!(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'codings' AND {RUNNING_COUNT_TRIGGERS}"
    ))?
    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
    .collect()
}

/// The distinct pairs of codes among one excerpt's codings (sorted by code),
/// each once, and whether any two of its codings overlap, into `met` (emptied
/// first). `coding` reads a coding out of an item of `unit`; `key(i)` names
/// the code of the `i`th item (its ID, or its slot in a table of codes).
fn pairs_within<T, K: Copy + PartialEq>(
    unit: &[T],
    coding: impl Fn(&T) -> &KeptCoding,
    key: impl Fn(usize) -> K,
    met: &mut Vec<((K, K), bool)>,
) {
    met.clear();
    for (i, first) in unit.iter().enumerate() {
        let first = coding(first);
        for (j, second) in unit.iter().enumerate().skip(i + 1) {
            let second = coding(second);
            if second.code_id == first.code_id {
                continue;
            }
            let pair = (key(i), key(j));
            let overlapping = first.overlaps(second);
            match met.iter_mut().find(|(known, _)| *known == pair) {
                Some((_, already)) => *already |= overlapping,
                None => met.push((pair, overlapping)),
            }
        }
    }
}

/// A coding read from the columns excerpt, code, side, start and end, the
/// first at `at`.
fn kept_coding(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<KeptCoding> {
    let side = match row.get_ref(at + 2)? {
        rusqlite::types::ValueRef::Null => WHOLE,
        rusqlite::types::ValueRef::Text(b"original") => 1,
        rusqlite::types::ValueRef::Text(b"translation") => 2,
        _ => 3,
    };
    Ok(KeptCoding {
        excerpt_id: row.get(at)?,
        code_id: row.get(at + 1)?,
        side,
        start: row.get::<_, Option<i64>>(at + 3)?.unwrap_or(0),
        end: row.get::<_, Option<i64>>(at + 4)?.unwrap_or(0),
    })
}

/// One coding, as co-occurrence compares them.
struct KeptCoding {
    excerpt_id: ExcerptId,
    code_id: CodeId,
    /// [`WHOLE`], or which text (1 original, 2 translation).
    side: u8,
    start: i64,
    end: i64,
}

impl KeptCoding {
    /// Codings overlap when one codes the whole excerpt, or both mark the same
    /// text and share characters.
    fn overlaps(&self, other: &KeptCoding) -> bool {
        self.side == WHOLE
            || other.side == WHOLE
            || (self.side == other.side && self.start < other.end && other.start < self.end)
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

#[cfg(test)]
mod tests {
    //! The fast paths (running counts, co-occurrence in memory) against the
    //! slow, obvious SQL on generated projects, through edits and undo.

    use super::*;
    use crate::model::{CodingAnchor, ExcerptDraft, Side, SourceDraft, TranslationStatus};
    use crate::store::test_projects::generated;
    use crate::store::{ImportBatch, ImportRow};

    /// The running counts agree with the codings, and so do code counts, with
    /// and without sub-codes rolled up.
    fn assert_tallies_agree(store: &Store, moment: &str) {
        let codes = store.codes().unwrap();
        let parent = codes.iter().find(|code| codes.iter().any(|c| c.parent_id == Some(code.code_id)));
        let mut filters = vec![Filter::default(), Filter { with_children: true, ..Filter::default() }];
        if let Some(parent) = parent {
            filters.push(Filter { with_children: true, codes: vec![parent.code_id], ..Filter::default() });
            filters.push(Filter { codes: vec![parent.code_id], ..Filter::default() });
        }
        for filter in &filters {
            assert_eq!(
                store.source_code_counts(filter).unwrap(),
                store.source_code_counts_by_scan(filter).unwrap(),
                "after {moment}, {filter:?}"
            );
        }
        // The running pairs agree with pairing the codings, for the whole
        // project, a code and its sub-codes, and each case.
        let cases = store.cases().unwrap();
        filters.extend(cases.iter().map(|case| Filter { cases: vec![case.case_id], ..Filter::default() }));
        for filter in &filters {
            assert_eq!(
                store.code_meetings(filter).unwrap(),
                store.code_meetings_by_scan(filter).unwrap(),
                "co-occurrence after {moment}, {filter:?}"
            );
        }
        let slow: Vec<CodeCount> = store
            .conn
            .prepare(
                "SELECT c.code_id,
                        (SELECT COUNT(DISTINCT k.excerpt_id) FROM codings k WHERE k.code_id = c.code_id),
                        (SELECT COUNT(*) FROM codings k WHERE k.code_id = c.code_id)
                 FROM codes c",
            )
            .unwrap()
            .query_map([], |row| {
                Ok(CodeCount {
                    code_id: row.get(0)?,
                    excerpts: row.get::<_, i64>(1)? as u64,
                    codings: row.get::<_, i64>(2)? as u64,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(store.code_counts().unwrap(), slow, "after {moment}");
    }

    #[test]
    fn running_counts_follow_every_kind_of_edit_and_its_undo() {
        let (mut store, mut rng, second) = generated(300, 7);
        assert_tallies_agree(&store, "the import and the passages");
        store.enable_undo().unwrap();
        let excerpts = store.excerpt_ids().unwrap();
        let codes = store.codes().unwrap();
        let sources: Vec<SourceId> =
            store.source_summaries().unwrap().into_iter().map(|summary| summary.source_id).collect();
        let mut steps = 0;
        for round in 0..40 {
            let excerpt_id = excerpts[rng.below(excerpts.len())];
            let Ok(existing) = store.excerpt(excerpt_id) else { continue };
            let codings = store.codings_of_excerpt(existing.excerpt_id).unwrap();
            let code_id = codes[rng.below(codes.len())].code_id;
            let done = match round % 8 {
                0 => store
                    .undoable("add", |s| s.add_coding(excerpt_id, code_id, second, CodingAnchor::Whole).map(|_| ())),
                1 => match codings.first() {
                    Some(coding) => store.undoable("delete", |s| s.delete_coding(coding.coding_id)),
                    None => continue,
                },
                2 => match codings.last() {
                    Some(coding) => store.undoable("recode", |s| s.recode(coding.coding_id, code_id)),
                    None => continue,
                },
                3 => {
                    let to = sources[rng.below(sources.len())];
                    store.undoable("move", |s| s.move_excerpt_to_source(excerpt_id, to))
                }
                4 => store.undoable("split", |s| s.split_excerpt(excerpt_id, Side::Original, 10).map(|_| ())),
                5 => store.undoable("join", |s| s.join_with_next(excerpt_id).map(|_| ())),
                6 => store.undoable("delete excerpt", |s| s.delete_excerpt(excerpt_id)),
                _ => {
                    let (a, b) = (codes[rng.below(codes.len())].code_id, codes[rng.below(codes.len())].code_id);
                    store.undoable("merge", |s| s.merge_codes(a, b))
                }
            };
            if done.is_ok() {
                steps += 1;
            }
            assert_tallies_agree(&store, &format!("edit {round}"));
        }
        assert!(steps > 20, "most edits applied ({steps})");
        while store.undo().unwrap().is_some() {
            assert_tallies_agree(&store, "an undo");
        }
        while store.redo().unwrap().is_some() {
            assert_tallies_agree(&store, "a redo");
        }
    }

    #[test]
    fn undoing_and_redoing_a_large_step_counts_afresh_and_gives_the_project_back() {
        let (mut store, _, _) = generated(200, 13);
        store.enable_undo().unwrap();
        let before = store.dump().unwrap();
        let names: Vec<String> = store.codes().unwrap().into_iter().map(|code| code.name).collect();
        // 1,200 excerpts with five codes each: more rows than a step counts
        // coding by coding, and more than a fifteenth of the project's codings.
        let batch = ImportBatch {
            rows: (0..1_200)
                .map(|n| ImportRow {
                    row_number: n + 2,
                    case_name: format!("Caso {}", n % 3),
                    source: SourceDraft { name: format!("Entrevista {}", n % 7), ..SourceDraft::default() },
                    excerpt: ExcerptDraft {
                        original: Some(format!("Agua y confianza {n}")),
                        ..ExcerptDraft::default()
                    },
                    codes: (0..5).map(|k| names[(n + 3 * k) % names.len()].clone()).collect(),
                    memo: String::new(),
                })
                .collect(),
            code_choices: Vec::new(),
        };
        store.undoable("import", |s| s.import_batch(&batch, "Carla", false)).unwrap();
        let imported = store.dump().unwrap();
        assert_tallies_agree(&store, "the large import");
        let mut seen = Vec::new();
        store.replay_reporting(crate::store::Replay::Undo, &mut |done, total| seen.push((done, total))).unwrap();
        assert!(seen.len() > 2, "the replay reads the log a slice at a time: {seen:?}");
        assert!(seen.windows(2).all(|pair| pair[0].0 < pair[1].0 && pair[0].1 == pair[1].1), "{seen:?}");
        assert_eq!(store.dump().unwrap(), before, "undo gives the project back");
        assert_tallies_agree(&store, "undoing the large import");
        store.redo().unwrap();
        assert_eq!(store.dump().unwrap(), imported, "redo brings the import back");
        assert_tallies_agree(&store, "redoing it");
        // A large delete (a whole case: sources, excerpts, codings) and its undo.
        let case = store.cases().unwrap().iter().find(|case| case.name == "Caso 1").unwrap().case_id;
        store.undoable("delete case", |s| s.delete_case(case)).unwrap();
        assert_tallies_agree(&store, "deleting a large case");
        store.undo().unwrap();
        assert_eq!(store.dump().unwrap(), imported, "undo brings the case back");
        assert_tallies_agree(&store, "undoing the deletion");
        let search = store.search(&crate::store::SearchQuery::new("confianza")).unwrap();
        assert_eq!(search.total, 1_200, "the search index follows undo and redo");
    }

    #[test]
    fn a_second_import_into_a_coded_project_keeps_the_counts_right() {
        let (mut store, _, _) = generated(120, 11);
        let batch = ImportBatch {
            rows: (0..50)
                .map(|n| ImportRow {
                    row_number: n + 2,
                    case_name: "Caso 1".into(),
                    source: SourceDraft { name: format!("Entrevista {}", n % 3), ..SourceDraft::default() },
                    excerpt: ExcerptDraft { original: Some(format!("Otra vez {n}")), ..ExcerptDraft::default() },
                    codes: vec!["Trust".into(), "Water and environment".into()],
                    memo: String::new(),
                })
                .collect(),
            code_choices: Vec::new(),
        };
        store.import_batch(&batch, "Carla", false).unwrap();
        assert_tallies_agree(&store, "a second import");
        store.import_batch(&batch, "Carla", true).unwrap();
        assert_tallies_agree(&store, "a dry run");
    }

    #[test]
    fn a_refi_qda_import_indexes_counts_and_identifies_all_it_brings() {
        let (store, _, _) = generated(150, 5);
        let qdpx = crate::formats::refi::render_project(&store).unwrap();
        let mut copy = Store::in_memory().unwrap();
        crate::formats::refi::import_refi(&mut copy, &qdpx, "copia.qdpx", "Ana").unwrap();
        assert_tallies_agree(&copy, "a REFI-QDA import");
        assert_eq!(copy.code_counts().unwrap().len(), store.code_counts().unwrap().len());
        for words in ["agua", "police", "\"número 7\""] {
            let query = crate::store::SearchQuery::new(words);
            let found = store.search(&query).unwrap().total;
            assert!(found > 0, "{words}");
            assert_eq!(copy.search(&query).unwrap().total, found, "{words} is found in the copy as often");
        }
        for table in ["excerpts", "codings"] {
            let unnamed: i64 = copy
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {table} WHERE uuid IS NULL"), [], |row| row.get(0))
                .unwrap();
            assert_eq!(unnamed, 0, "every row of {table} has an identity");
        }
    }

    /// Co-occurrence as a self-join of the codings, as it was first written.
    fn pairs_by_self_join(store: &Store, filter: &Filter) -> Vec<CodePair> {
        let codes = store.filter_codes(filter).unwrap();
        let coding_condition =
            format!("{} AND {}", filter.coding_condition("k", &codes), filter.coded_excerpt_condition("k"));
        let source_condition = filter.source_condition("s");
        let sql = format!(
            "WITH kept AS (
                 SELECT k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char FROM codings k
                 JOIN sources s ON s.source_id = k.source_id
                 WHERE {source_condition} AND {coding_condition}
             ),
             per_excerpt AS (
                 SELECT a.code_id AS first, b.code_id AS second, a.excerpt_id,
                        MAX(a.side IS NULL OR b.side IS NULL
                            OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char))
                            AS overlapping
                 FROM kept a JOIN kept b ON a.excerpt_id = b.excerpt_id AND a.code_id < b.code_id
                 GROUP BY a.code_id, b.code_id, a.excerpt_id
             )
             SELECT first, second, COUNT(*), SUM(overlapping) FROM per_excerpt
             GROUP BY first, second ORDER BY first, second"
        );
        store
            .conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |row| {
                Ok(CodePair {
                    first: row.get(0)?,
                    second: row.get(1)?,
                    excerpts: row.get::<_, i64>(2)? as u64,
                    overlapping: row.get::<_, i64>(3)? as u64,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn co_occurrence_in_memory_matches_the_self_join_under_every_filter() {
        let (store, _, second) = generated(400, 3);
        let cases = store.cases().unwrap();
        let codes = store.codes().unwrap();
        let filters = [
            Filter::default(),
            Filter { coder_id: Some(second), ..Filter::default() },
            Filter { cases: vec![cases[1].case_id], ..Filter::default() },
            Filter { statuses: vec![TranslationStatus::Reviewed], ..Filter::default() },
            Filter { codes: codes.iter().take(4).map(|code| code.code_id).collect(), ..Filter::default() },
            Filter { codes: vec![codes[0].code_id], with_children: true, ..Filter::default() },
            Filter { search: "agua".into(), ..Filter::default() },
        ];
        for filter in filters {
            let meetings = store.code_meetings(&filter).unwrap();
            let slow = pairs_by_self_join(&store, &filter);
            assert!(!slow.is_empty() || !filter.codes.is_empty(), "the project has pairs to compare");
            assert_eq!(meetings.pairs, slow, "{filter:?}");
            assert!(meetings.pairs.iter().any(|pair| pair.overlapping < pair.excerpts) || slow.is_empty());
            // Each code stands for itself here; a parent's sub-codes are codes of their own.
            let plain = Filter { codes: store.filter_codes(&filter).unwrap(), with_children: false, ..filter.clone() };
            let mut totals = store.filtered_code_totals(&plain).unwrap();
            totals.retain(|(_, excerpts)| *excerpts > 0);
            totals.sort_unstable();
            assert_eq!(meetings.totals, totals, "{filter:?}");
        }
    }
}
