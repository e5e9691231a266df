//! Coded quotes for reports: each coding joined with its excerpt, source, case,
//! code and memos, filtered and in reading order.

use super::excerpts::{EXCERPT_COLUMN_COUNT, EXCERPT_COLUMNS, excerpt_from_row};
use super::sources::source_from_row_at;
use super::{Filter, Store, StoreResult};
use crate::model::{CodeId, CodingAnchor, Color, Excerpt, Side, Source};
use crate::text::CharSpan;

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

impl Store {
    /// The coded quotes matching `filter`, in reading order (case, source,
    /// position). A passage coded by several coders appears once.
    pub fn coded_quotes(&self, filter: &Filter) -> StoreResult<Vec<CodedQuote>> {
        let codes = self.filter_codes(filter)?;
        let conditions =
            [filter.source_condition("s"), filter.excerpt_condition("e"), filter.coding_condition("k", &codes)];
        let sql = format!(
            "SELECT {EXCERPT_COLUMNS},
                    s.source_id, s.case_id, s.name, s.speaker, s.role, s.place, s.date, s.interviewer, s.pseudonym,
                    s.description,
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
            .query_map([], |row| {
                let excerpt = excerpt_from_row(row)?;
                let source = source_from_row_at(row, EXCERPT_COLUMN_COUNT)?;
                let side: Option<Side> = row.get(26)?;
                let anchor = match side {
                    None => CodingAnchor::Whole,
                    Some(side) => CodingAnchor::Passage {
                        side,
                        span: CharSpan::new(row.get::<_, i64>(27)? as usize, row.get::<_, i64>(28)? as usize),
                    },
                };
                Ok(CodedQuote {
                    code_id: row.get(24)?,
                    code_name: row.get(25)?,
                    code_color: row.get(30)?,
                    excerpt,
                    source,
                    case_name: row.get(23)?,
                    anchor,
                    covered_text: row.get(29)?,
                    excerpt_memo: row.get(31)?,
                    coding_memo: row.get(32)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(quotes)
    }
}
