//! Coded quotes for reports: each coding joined with its excerpt, source, case,
//! code and memos, filtered and in reading order.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::excerpts::{EXCERPT_COLUMNS, excerpt_from_row};
use super::sources::source_from_row_at;
use super::{Store, StoreResult};
use crate::model::{CaseId, CodeId, CoderId, CodingAnchor, Color, Excerpt, Side, Source, TranslationStatus};
use crate::text::CharSpan;

/// Which coded quotes to take. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    /// Only codings of these codes (list sub-codes too to include them).
    pub codes: Vec<CodeId>,
    /// Only excerpts of these cases.
    pub cases: Vec<CaseId>,
    /// Only excerpts of these speakers.
    pub speakers: Vec<String>,
    /// Only codings by this coder.
    pub coder: Option<CoderId>,
    /// Only excerpts whose translation has one of these statuses.
    pub statuses: Vec<TranslationStatus>,
}

/// One coded quote: a code applied to (part of) an excerpt, with everything a
/// report needs to cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedQuote {
    /// The code applied.
    pub code_id: CodeId,
    /// The code's name.
    pub code_name: String,
    /// The code's colour.
    pub code_color: Color,
    /// The excerpt.
    pub excerpt: Excerpt,
    /// Its source (speaker, role, place, date).
    pub source: Source,
    /// Its case's name.
    pub case_name: String,
    /// The whole excerpt or the passage coded.
    pub anchor: CodingAnchor,
    /// The passage's text when the coding covers a passage.
    pub covered_text: String,
    /// The excerpt's memo.
    pub excerpt_memo: String,
    /// The coding's memo.
    pub coding_memo: String,
}

fn id_list<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// The coded quotes matching `filter`, in reading order (case, source,
    /// position). A passage coded by several coders appears once.
    pub fn coded_quotes(&self, filter: &QuoteFilter) -> StoreResult<Vec<CodedQuote>> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values: Vec<Value> = Vec::new();
        if !filter.codes.is_empty() {
            conditions.push(format!("k.code_id IN ({})", id_list(&filter.codes)));
        }
        if !filter.cases.is_empty() {
            conditions.push(format!("s.case_id IN ({})", id_list(&filter.cases)));
        }
        if !filter.speakers.is_empty() {
            let mut placeholders = Vec::new();
            for speaker in &filter.speakers {
                values.push(speaker.clone().into());
                placeholders.push(format!("?{}", values.len()));
            }
            conditions.push(format!("s.speaker IN ({})", placeholders.join(", ")));
        }
        if let Some(coder) = filter.coder {
            values.push(coder.0.into());
            conditions.push(format!("k.coder_id = ?{}", values.len()));
        }
        if !filter.statuses.is_empty() {
            let statuses: Vec<String> = filter.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            conditions.push(format!("e.translation_status IN ({})", statuses.join(", ")));
        }
        let sql = format!(
            "SELECT {EXCERPT_COLUMNS},
                    s.source_id, s.case_id, s.name, s.speaker, s.role, s.place, s.date, s.interviewer, s.pseudonym,
                    ca.name, k.code_id, c.name, k.side, k.start_char, k.end_char, k.covered_text, c.color,
                    IFNULL((SELECT text FROM memos WHERE excerpt_id = e.excerpt_id), ''),
                    IFNULL((SELECT group_concat(m.text, '; ') FROM memos m JOIN codings k2 ON k2.coding_id = m.coding_id
                            WHERE k2.excerpt_id = k.excerpt_id AND k2.code_id = k.code_id), '')
             FROM codings k
             JOIN codes c ON c.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}
             GROUP BY k.code_id, k.excerpt_id, k.side, k.start_char, k.end_char
             ORDER BY ca.name, s.name, e.position, k.code_id, k.side NULLS FIRST, k.start_char",
            conditions.join(" AND ")
        );
        let mut statement = self.conn.prepare(&sql)?;
        let quotes = statement
            .query_map(params_from_iter(values), |row| {
                let excerpt = excerpt_from_row(row)?;
                let source = source_from_row_at(row, 10)?;
                let side: Option<Side> = row.get(22)?;
                let anchor = match side {
                    None => CodingAnchor::Whole,
                    Some(side) => CodingAnchor::Passage {
                        side,
                        span: CharSpan::new(row.get::<_, i64>(23)? as usize, row.get::<_, i64>(24)? as usize),
                    },
                };
                Ok(CodedQuote {
                    code_id: row.get(20)?,
                    code_name: row.get(21)?,
                    code_color: row.get(26)?,
                    excerpt,
                    source,
                    case_name: row.get(19)?,
                    anchor,
                    covered_text: row.get(25)?,
                    excerpt_memo: row.get(27)?,
                    coding_memo: row.get(28)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(quotes)
    }
}
