//! Aggregates computed by SQL over indexed tables: code counts and code counts per
//! group (case, source, speaker). Nothing here loads excerpts into memory.

use serde::Serialize;

use super::{Store, StoreResult};
use crate::model::CodeId;

/// How excerpts are grouped for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// By case (mine site, community).
    Case,
    /// By source (interview), labelled "case / source".
    Source,
    /// By speaker, across sources.
    Speaker,
}

impl Grouping {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Source => "source",
            Self::Speaker => "speaker",
        }
    }

    /// (the SQL that names a group, the SQL that identifies it), over `sources s`
    /// joined with `cases ca`.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Self::Case => ("ca.name", "ca.case_id"),
            Self::Source => ("ca.name || ' / ' || s.name", "s.source_id"),
            Self::Speaker => (
                "CASE WHEN s.speaker = '' THEN '(no speaker)' ELSE s.speaker END",
                "CASE WHEN s.speaker = '' THEN '(no speaker)' ELSE s.speaker END",
            ),
        }
    }
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
    /// The group's label (case name, "case / source", speaker).
    pub group: String,
    /// The code.
    pub code_id: CodeId,
    /// Distinct excerpts of the group carrying the code.
    pub excerpts: u64,
    /// Codings of the code in the group.
    pub codings: u64,
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

    /// Counts per group and code, leaving out pairs that never occur.
    pub fn grouped_code_counts(&self, grouping: Grouping) -> StoreResult<Vec<GroupedCount>> {
        let (label, key) = grouping.sql();
        // Count per source over the covering index, then add sources up per group:
        // an excerpt belongs to one source, so distinct excerpts add up.
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {label}, per_source.code_id, SUM(per_source.excerpts), SUM(per_source.codings)
             FROM (SELECT source_id, code_id, COUNT(DISTINCT excerpt_id) AS excerpts, COUNT(*) AS codings
                   FROM codings INDEXED BY codings_by_source GROUP BY source_id, code_id) AS per_source
             JOIN sources s ON s.source_id = per_source.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             GROUP BY {key}, per_source.code_id"
        ))?;
        let counts = statement
            .query_map([], |row| {
                Ok(GroupedCount {
                    group: row.get(0)?,
                    code_id: row.get(1)?,
                    excerpts: row.get::<_, i64>(2)? as u64,
                    codings: row.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(counts)
    }

    /// Every group's label and number of excerpts, including groups with no
    /// codings, sorted by label.
    pub fn group_sizes(&self, grouping: Grouping) -> StoreResult<Vec<(String, u64)>> {
        let (label, key) = grouping.sql();
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {label}, COUNT(e.excerpt_id)
             FROM sources s JOIN cases ca ON ca.case_id = s.case_id
             LEFT JOIN excerpts e ON e.source_id = s.source_id
             GROUP BY {key} ORDER BY 1"
        ))?;
        let sizes = statement
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?
            .collect::<Result<_, _>>()?;
        Ok(sizes)
    }
}
