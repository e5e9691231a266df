//! Coded quotes for reports: each coding joined with its excerpt, source, case and
//! code, filtered and in report order.

use rusqlite::params;

use super::excerpts::{EXCERPT_COLUMNS, excerpt_from_row};
use super::sources::source_from_row_at;
use super::{Store, StoreResult};
use crate::model::{CaseId, CodeId, CoderId, CodingAnchor, Excerpt, Side, Source};
use crate::text::CharSpan;

/// Which coded quotes to take. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteFilter {
    /// Only codings of these codes.
    pub codes: Vec<CodeId>,
    /// Only excerpts of these cases.
    pub cases: Vec<CaseId>,
    /// Only codings by this coder.
    pub coder: Option<CoderId>,
}

/// One coded quote: a code applied to (part of) an excerpt, with everything a
/// report needs to cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedQuote {
    /// The code applied.
    pub code_id: CodeId,
    /// The code's name.
    pub code_name: String,
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
}

fn id_list<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// The coded quotes matching `filter`, ordered by code (codebook order), case,
    /// source and position. A passage coded by several coders appears once.
    pub fn coded_quotes(&self, filter: &QuoteFilter) -> StoreResult<Vec<CodedQuote>> {
        let code_order: Vec<CodeId> = self.codes()?.into_iter().map(|code| code.code_id).collect();
        let mut conditions = vec!["1 = 1".to_owned()];
        if !filter.codes.is_empty() {
            conditions.push(format!("k.code_id IN ({})", id_list(&filter.codes)));
        }
        if !filter.cases.is_empty() {
            conditions.push(format!("s.case_id IN ({})", id_list(&filter.cases)));
        }
        let coder = filter.coder.map(|coder| coder.0);
        conditions.push("(?1 IS NULL OR k.coder_id = ?1)".to_owned());
        let sql = format!(
            "SELECT {EXCERPT_COLUMNS},
                    s.source_id, s.case_id, s.name, s.speaker, s.role, s.place, s.date, s.interviewer, s.pseudonym,
                    ca.name, k.code_id, c.name, k.side, k.start_char, k.end_char, k.covered_text
             FROM codings k
             JOIN codes c ON c.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}
             GROUP BY k.code_id, k.excerpt_id, k.side, k.start_char, k.end_char
             ORDER BY ca.name, s.name, e.position, k.side NULLS FIRST, k.start_char",
            conditions.join(" AND ")
        );
        let mut statement = self.conn.prepare(&sql)?;
        let mut quotes: Vec<CodedQuote> = statement
            .query_map(params![coder], |row| {
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
                    excerpt,
                    source,
                    case_name: row.get(19)?,
                    anchor,
                    covered_text: row.get(25)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let position_of = |code_id: CodeId| code_order.iter().position(|id| *id == code_id).unwrap_or(usize::MAX);
        // Stable: within a code, the reading order from SQL is kept.
        quotes.sort_by_key(|quote| position_of(quote.code_id));
        Ok(quotes)
    }
}
