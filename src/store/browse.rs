//! Queries for browsing a project: the case → source tree with counts, filtered
//! lists of excerpt IDs in reading order, and short previews of excerpts for
//! list rows. Built for projects of hundreds of thousands of excerpts: lists are
//! IDs, and previews are fetched only for the rows on screen.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::excerpts::{EXCERPT_COLUMNS, excerpt_from_row};
use super::{Filter, Store, StoreResult};
use crate::model::{CaseId, Excerpt, ExcerptId, SourceId, TranslationStatus};

/// One source in the navigation tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    /// The source.
    pub source_id: SourceId,
    /// Its case.
    pub case_id: CaseId,
    /// Its name.
    pub name: String,
    /// Its speaker.
    pub speaker: String,
    /// The speaker's pseudonym, if one was set.
    pub pseudonym: String,
    /// Number of excerpts.
    pub excerpts: u64,
}

/// The start of an excerpt, for a list row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcerptPreview {
    /// The excerpt.
    pub excerpt_id: ExcerptId,
    /// The researcher's identifier.
    pub label: String,
    /// Its source.
    pub source_id: SourceId,
    /// The first characters of the original, if any.
    pub original_start: Option<String>,
    /// The first characters of the translation, if any.
    pub translation_start: Option<String>,
    /// The translation's review status.
    pub translation_status: TranslationStatus,
    /// Number of codings on the excerpt.
    pub codings: u64,
    /// Who spoke it, as the transcript labels them (empty: the source's speaker).
    pub speaker: String,
    /// When in the recording, or empty.
    pub time: String,
    /// When the list is a search, the matching part of the text, matches between
    /// [`super::MATCH_START`] and [`super::MATCH_END`].
    pub snippet: Option<String>,
}

/// How many characters of each text a preview holds.
const PREVIEW_CHARS: i64 = 160;

/// `columns` of every excerpt (aliased `e`), in reading order, without
/// sorting them: cases in name order from their unique index, each case's
/// sources from theirs, each source's excerpts from its index by position
/// (only the sources of a case whose names differ in case are sorted again).
/// 200,000 excerpts: 155 ms down to 48 ms. With a filter the excerpts are
/// read first instead (see `narrowed_excerpts_sql`): checking a condition
/// per excerpt in this order reads the codings out of order, and is slower.
fn every_excerpt_sql(columns: &str) -> String {
    format!(
        "SELECT {columns} FROM cases ca
         JOIN sources s ON s.case_id = ca.case_id
         CROSS JOIN excerpts e ON e.source_id = s.source_id
         ORDER BY ca.name, s.name, e.position"
    )
}

impl Store {
    /// Every source with its excerpt count, by case and name.
    pub fn source_summaries(&self) -> StoreResult<Vec<SourceSummary>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT s.source_id, s.case_id, s.name, s.speaker, s.pseudonym,
                    (SELECT COUNT(*) FROM excerpts e WHERE e.source_id = s.source_id)
             FROM sources s ORDER BY s.case_id, s.name",
        )?;
        let sources = statement
            .query_map([], |row| {
                Ok(SourceSummary {
                    source_id: row.get(0)?,
                    case_id: row.get(1)?,
                    name: row.get(2)?,
                    speaker: row.get(3)?,
                    pseudonym: row.get(4)?,
                    excerpts: row.get::<_, i64>(5)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(sources)
    }

    /// Every distinct speaker, by name: of sources, and of transcripts' turns.
    pub fn speakers(&self) -> StoreResult<Vec<String>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT speaker FROM sources WHERE speaker <> ''
             UNION SELECT speaker FROM excerpts WHERE speaker <> ''
             ORDER BY speaker",
        )?;
        let speakers = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(speakers)
    }

    /// The IDs of the excerpts passing `filter`, in reading order (case, source,
    /// position).
    pub fn filtered_excerpt_ids(&self, filter: &Filter) -> StoreResult<Vec<ExcerptId>> {
        let mut statement = self.conn.prepare(&self.filtered_excerpts_sql(filter, "e.excerpt_id")?)?;
        let ids = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The excerpts passing `filter`, whole, in reading order.
    pub fn filtered_excerpts(&self, filter: &Filter) -> StoreResult<Vec<Excerpt>> {
        let mut statement = self.conn.prepare(&self.filtered_excerpts_sql(filter, EXCERPT_COLUMNS)?)?;
        let excerpts = statement.query_map([], excerpt_from_row)?.collect::<Result<_, _>>()?;
        Ok(excerpts)
    }

    /// `columns` of the excerpts (aliased `e`) passing `filter`, in reading order.
    fn filtered_excerpts_sql(&self, filter: &Filter, columns: &str) -> StoreResult<String> {
        if filter.is_empty() {
            return Ok(every_excerpt_sql(columns));
        }
        self.narrowed_excerpts_sql(filter, columns)
    }

    /// `columns` of the excerpts passing `filter`, in reading order, read
    /// excerpt by excerpt (the conditions may look at each one).
    fn narrowed_excerpts_sql(&self, filter: &Filter, columns: &str) -> StoreResult<String> {
        let mut conditions = vec![filter.source_condition("s"), filter.excerpt_condition("e")];
        if !filter.codes.is_empty() || filter.coder_id.is_some() {
            // Codings are looked at only for who coded and with what.
            let codes = self.filter_codes(filter)?;
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = e.excerpt_id AND {})",
                filter.coding_condition("k", &codes)
            ));
        }
        Ok(format!(
            "SELECT {columns} FROM excerpts e
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}
             ORDER BY ca.name, s.name, e.position",
            conditions.join(" AND ")
        ))
    }

    /// Previews of the given excerpts, in the order given (missing IDs skipped).
    /// With `search`, each preview carries the part of its text that matched.
    pub fn excerpt_previews(
        &self,
        excerpt_ids: &[ExcerptId],
        search: Option<&str>,
    ) -> StoreResult<Vec<ExcerptPreview>> {
        if excerpt_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = excerpt_ids.iter().map(|id| id.0.to_string()).collect();
        let mut statement = self.conn.prepare(&format!(
            "SELECT e.excerpt_id, e.label, e.source_id,
                    substr(e.original_text, 1, {PREVIEW_CHARS}), substr(e.translation_text, 1, {PREVIEW_CHARS}),
                    e.translation_status,
                    (SELECT COUNT(*) FROM codings k WHERE k.excerpt_id = e.excerpt_id), e.speaker, e.time
             FROM excerpts e WHERE e.excerpt_id IN ({})",
            ids.join(", ")
        ))?;
        let mut previews: Vec<ExcerptPreview> = statement
            .query_map([], |row| {
                Ok(ExcerptPreview {
                    excerpt_id: row.get(0)?,
                    label: row.get(1)?,
                    source_id: row.get(2)?,
                    original_start: row.get(3)?,
                    translation_start: row.get(4)?,
                    translation_status: row.get(5)?,
                    codings: row.get::<_, i64>(6)? as u64,
                    speaker: row.get(7)?,
                    time: row.get(8)?,
                    snippet: None,
                })
            })?
            .collect::<Result<_, _>>()?;
        let order: std::collections::HashMap<ExcerptId, usize> =
            excerpt_ids.iter().enumerate().map(|(index, id)| (*id, index)).collect();
        previews.sort_by_key(|preview| order.get(&preview.excerpt_id).copied().unwrap_or(usize::MAX));
        if let Some(expression) = search.and_then(|text| super::fts_expression(text, true)) {
            let (start, end) = (super::MATCH_START, super::MATCH_END);
            let mut snippets = self.conn.prepare_cached(&format!(
                "SELECT snippet(excerpt_search, -1, '{start}', '{end}', '…', 14)
                 FROM excerpt_search WHERE excerpt_search MATCH ?1 AND rowid = ?2"
            ))?;
            for preview in &mut previews {
                preview.snippet = snippets
                    .query_row(rusqlite::params![expression, preview.excerpt_id], |row| row.get(0))
                    .optional()?;
            }
        }
        Ok(previews)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_projects::generated;

    #[test]
    fn the_unfiltered_list_reads_every_excerpt_in_the_order_a_filtered_one_would() {
        let (mut store, _, _) = generated(400, 11);
        // Sources whose names sort differently with and without case, and a
        // case added after others so its ID is not its place by name.
        let case = store.add_case("Aa primero", "").unwrap();
        for name in ["b entrevista", "C entrevista", "a entrevista"] {
            let source = store
                .add_source(case, &crate::model::SourceDraft { name: name.to_owned(), ..Default::default() })
                .unwrap();
            for n in 0..3 {
                store
                    .add_excerpt(
                        source,
                        &crate::model::ExcerptDraft { original: Some(format!("{name} {n}")), ..Default::default() },
                    )
                    .unwrap();
            }
        }
        let fast = store.filtered_excerpt_ids(&Filter::default()).unwrap();
        let sql = store.narrowed_excerpts_sql(&Filter::default(), "e.excerpt_id").unwrap();
        let general: Vec<ExcerptId> = store
            .conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(fast.len(), 409);
        assert_eq!(fast, general);
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", every_excerpt_sql("e.excerpt_id")))
            .unwrap()
            .query_map([], |row| row.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!plan.iter().any(|step| step == "USE TEMP B-TREE FOR ORDER BY"), "{plan:?}");
    }
}
