//! One filter for every view of the project: the excerpt list, frequencies and
//! co-occurrence, and coded-quote reports take the same [`Filter`], and each
//! field means the same everywhere. An empty field lets everything through.
//!
//! The SQL pieces a query needs come from here, so a field is written out once.
//! They hold the filter's values as literals (IDs, quoted text), so a query's own
//! parameters are numbered from `?1`, and its SQL is the same for the same
//! filter (the statement cache still serves repeated counts).

use crate::model::{AttributeId, CaseId, CodeId, CoderId, ExcerptId, SourceId, TranslationStatus};

use super::{Store, StoreResult};

/// Which excerpts and codings a list, a count or a report takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these cases.
    pub cases: Vec<CaseId>,
    /// Only these sources.
    pub sources: Vec<SourceId>,
    /// Only these speakers: an excerpt's own speaker (a transcript's turn), or
    /// else its source's.
    pub speakers: Vec<String>,
    /// Only codings of these codes (and the excerpts carrying them).
    pub codes: Vec<CodeId>,
    /// A code stands for itself and the codes under it: in `codes`, and in counts
    /// (an excerpt coded with a parent and a child counts once for the parent).
    pub with_children: bool,
    /// Only codings by this coder (and the excerpts carrying them).
    pub coder_id: Option<CoderId>,
    /// Only excerpts whose translation has one of these statuses.
    pub statuses: Vec<TranslationStatus>,
    /// Only sources dated on or after this date (`yyyy`, `yyyy-mm`, `yyyy-mm-dd`).
    /// Sources without a date are left out when a date is given.
    pub date_from: Option<String>,
    /// Only sources dated on or before this date.
    pub date_to: Option<String>,
    /// Only cases or sources whose attribute has this value.
    pub attribute: Option<(AttributeId, String)>,
    /// Only excerpts matching this search text (both languages, accents folded),
    /// or whose identifier is exactly this text.
    pub search: String,
    /// Only these excerpts (the excerpts behind a table cell), with a label saying
    /// what they are.
    pub only: Option<(String, Vec<ExcerptId>)>,
}

/// Text as an SQL string literal.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\0', "").replace('\'', "''"))
}

fn id_list<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl Filter {
    /// True when the filter lets every excerpt through.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// True when a field looks at the excerpt itself (speaker, status, search,
    /// chosen IDs).
    pub(super) fn reads_excerpts(&self) -> bool {
        !self.speakers.is_empty() || !self.statuses.is_empty() || !self.search.trim().is_empty() || self.only.is_some()
    }

    /// The speakers as a list of SQL literals.
    fn speaker_list(&self) -> String {
        self.speakers.iter().map(|speaker| quoted(speaker)).collect::<Vec<_>>().join(", ")
    }

    /// SQL over the source aliased `s`: cases, sources, speakers, the date range
    /// and the attribute value.
    pub(super) fn source_condition(&self, s: &str) -> String {
        let mut conditions = vec!["1 = 1".to_owned()];
        // A partial date is a period: 2021 runs from 2021-01-01 to 2021-12-31. A
        // source is kept when its period overlaps the range asked for; a source
        // without a date is left out once a date is given.
        if let Some(from) = &self.date_from {
            let from = quoted(from);
            conditions.push(format!(
                "{s}.date <> '' AND (CASE length({s}.date) WHEN 4 THEN {s}.date || '-12-31'
                     WHEN 7 THEN {s}.date || '-31' ELSE {s}.date END)
                 >= (CASE length({from}) WHEN 4 THEN {from} || '-01-01' WHEN 7 THEN {from} || '-01' ELSE {from} END)"
            ));
        }
        if let Some(to) = &self.date_to {
            let to = quoted(to);
            conditions.push(format!(
                "{s}.date <> '' AND (CASE length({s}.date) WHEN 4 THEN {s}.date || '-01-01'
                     WHEN 7 THEN {s}.date || '-01' ELSE {s}.date END)
                 <= (CASE length({to}) WHEN 4 THEN {to} || '-12-31' WHEN 7 THEN {to} || '-31' ELSE {to} END)"
            ));
        }
        if !self.cases.is_empty() {
            conditions.push(format!("{s}.case_id IN ({})", id_list(&self.cases)));
        }
        if !self.sources.is_empty() {
            conditions.push(format!("{s}.source_id IN ({})", id_list(&self.sources)));
        }
        if !self.speakers.is_empty() {
            // A source counts when it, or one of its turns, is the speaker's; which
            // of its excerpts are is for the excerpt condition to say.
            let speakers = self.speaker_list();
            conditions.push(format!(
                "({s}.speaker IN ({speakers})
                  OR EXISTS (SELECT 1 FROM excerpts turn WHERE turn.source_id = {s}.source_id
                             AND turn.speaker IN ({speakers})))"
            ));
        }
        if let Some((attribute_id, value)) = &self.attribute {
            // An attribute belongs to cases or to sources; the other test finds nothing.
            let value = quoted(value);
            conditions.push(format!(
                "(EXISTS (SELECT 1 FROM case_attribute_values v WHERE v.case_id = {s}.case_id
                          AND v.attribute_id = {attribute_id} AND v.value = {value})
                  OR EXISTS (SELECT 1 FROM source_attribute_values v WHERE v.source_id = {s}.source_id
                          AND v.attribute_id = {attribute_id} AND v.value = {value}))"
            ));
        }
        conditions.join(" AND ")
    }

    /// SQL over the excerpt aliased `e`: speaker, status, search and the chosen
    /// IDs. "1 = 1" when none is set.
    pub(super) fn excerpt_condition(&self, e: &str) -> String {
        let mut conditions = Vec::new();
        if !self.speakers.is_empty() {
            conditions.push(format!(
                "(CASE WHEN {e}.speaker <> '' THEN {e}.speaker
                       ELSE (SELECT own.speaker FROM sources own WHERE own.source_id = {e}.source_id) END)
                 IN ({})",
                self.speaker_list()
            ));
        }
        if !self.statuses.is_empty() {
            let statuses: Vec<String> = self.statuses.iter().map(|status| quoted(status.as_str())).collect();
            conditions.push(format!("{e}.translation_status IN ({})", statuses.join(", ")));
        }
        let search = self.search.trim();
        if !search.is_empty() {
            // The researcher's excerpt identifier ("E026") finds that excerpt too.
            let by_label = format!("{e}.label = {} COLLATE NOCASE", quoted(search));
            match super::fts_expression(search, true) {
                Some(expression) => conditions.push(format!(
                    "({by_label} OR {e}.excerpt_id IN (SELECT rowid FROM excerpt_search WHERE excerpt_search MATCH {}))",
                    quoted(&expression)
                )),
                None => conditions.push(by_label),
            }
        }
        if let Some((_, ids)) = &self.only {
            conditions.push(format!("{e}.excerpt_id IN ({})", id_list(ids)));
        }
        if conditions.is_empty() { "1 = 1".to_owned() } else { conditions.join(" AND ") }
    }

    /// SQL over the codings aliased `k`: who coded (the coder) with what (the
    /// codes `codes`, the filter's codes as [`Store::filter_codes`] expands
    /// them). A query that joins the codings' excerpts adds
    /// [`Filter::excerpt_condition`] on them; one that does not adds
    /// [`Filter::coded_excerpt_condition`].
    pub(super) fn coding_condition(&self, k: &str, codes: &[CodeId]) -> String {
        let mut conditions = vec!["1 = 1".to_owned()];
        if let Some(coder_id) = self.coder_id {
            conditions.push(format!("{k}.coder_id = {coder_id}"));
        }
        if !codes.is_empty() {
            conditions.push(format!("{k}.code_id IN ({})", id_list(codes)));
        }
        conditions.join(" AND ")
    }

    /// SQL over the codings aliased `k`, for queries that do not join their
    /// excerpts: the excerpt fields, through a subquery. "1 = 1" when none is set.
    pub(super) fn coded_excerpt_condition(&self, k: &str) -> String {
        if self.reads_excerpts() {
            format!(
                "{k}.excerpt_id IN (SELECT kept.excerpt_id FROM excerpts kept WHERE {})",
                self.excerpt_condition("kept")
            )
        } else {
            "1 = 1".to_owned()
        }
    }
}

impl Store {
    /// The codes a filter's `codes` stand for: with `with_children`, each with
    /// every code below it.
    pub(super) fn filter_codes(&self, filter: &Filter) -> StoreResult<Vec<CodeId>> {
        if !filter.with_children {
            return Ok(filter.codes.clone());
        }
        let mut codes = Vec::new();
        for code_id in &filter.codes {
            for below in self.code_and_descendants(*code_id)? {
                if !codes.contains(&below) {
                    codes.push(below);
                }
            }
        }
        Ok(codes)
    }
}
