//! Coded quotes for reports: each coding joined with its excerpt, source, case,
//! code and memos, filtered and in reading order.

use super::excerpts::{EXCERPT_COLUMN_COUNT, EXCERPT_COLUMNS, excerpt_from_row};
use super::sources::{SOURCE_COLUMN_COUNT, source_columns, source_from_row_at};
use super::{Filter, Store, StoreResult};
use std::collections::HashMap;

use crate::model::{CodeId, CodingAnchor, Color, Excerpt, ExcerptId, Side, Source};
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
        // Codings by several coders of the same passage come out side by side
        // and are kept once; memos are read once, not per quote.
        let sql = format!(
            "SELECT {EXCERPT_COLUMNS}, {},
                    ca.name, k.code_id, c.name, k.side, k.start_char, k.end_char, k.covered_text, c.color
             FROM codings k
             JOIN codes c ON c.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}
             ORDER BY ca.name, s.name, e.position, e.excerpt_id, k.code_id, k.side NULLS FIRST, k.start_char,
                      k.end_char",
            source_columns("s"),
            conditions.join(" AND ")
        );
        let excerpt_memos: HashMap<ExcerptId, String> = self
            .conn
            .prepare_cached("SELECT excerpt_id, text FROM memos WHERE excerpt_id IS NOT NULL")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let coding_memos: HashMap<(ExcerptId, CodeId), String> = self
            .conn
            .prepare_cached(
                "SELECT k.excerpt_id, k.code_id, group_concat(m.text, '; ') FROM memos m
                 JOIN codings k ON k.coding_id = m.coding_id
                 GROUP BY k.excerpt_id, k.code_id",
            )?
            .query_map([], |row| Ok(((row.get(0)?, row.get(1)?), row.get(2)?)))?
            .collect::<Result<_, _>>()?;
        // The columns after the excerpt's and the source's.
        let rest = EXCERPT_COLUMN_COUNT + SOURCE_COLUMN_COUNT;
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        let mut quotes: Vec<CodedQuote> = Vec::new();
        let mut last: Option<(ExcerptId, CodeId, Option<Side>, Option<i64>, Option<i64>)> = None;
        while let Some(row) = rows.next()? {
            let excerpt_id: ExcerptId = row.get(0)?;
            let code_id: CodeId = row.get(rest + 1)?;
            let side: Option<Side> = row.get(rest + 3)?;
            let start: Option<i64> = row.get(rest + 4)?;
            let end: Option<i64> = row.get(rest + 5)?;
            let key = Some((excerpt_id, code_id, side, start, end));
            if key == last {
                continue;
            }
            last = key;
            let anchor = match side {
                None => CodingAnchor::Whole,
                Some(side) => CodingAnchor::Passage {
                    side,
                    span: CharSpan::new(start.unwrap_or(0) as usize, end.unwrap_or(0) as usize),
                },
            };
            quotes.push(CodedQuote {
                code_id,
                code_name: row.get(rest + 2)?,
                code_color: row.get(rest + 7)?,
                excerpt: excerpt_from_row(row)?,
                source: source_from_row_at(row, EXCERPT_COLUMN_COUNT)?,
                case_name: row.get(rest)?,
                anchor,
                covered_text: row.get(rest + 6)?,
                excerpt_memo: excerpt_memos.get(&excerpt_id).cloned().unwrap_or_default(),
                coding_memo: coding_memos.get(&(excerpt_id, code_id)).cloned().unwrap_or_default(),
            });
        }
        Ok(quotes)
    }
}

#[cfg(test)]
mod tests {
    use super::super::excerpts::{EXCERPT_COLUMN_COUNT, EXCERPT_COLUMNS};
    use super::super::sources::{SOURCE_COLUMN_COUNT, source_columns};

    #[test]
    fn the_column_counts_match_the_column_lists() {
        assert_eq!(EXCERPT_COLUMNS.split(',').count(), EXCERPT_COLUMN_COUNT);
        assert_eq!(source_columns("s").split(',').count(), SOURCE_COLUMN_COUNT);
        assert!(source_columns("s").split(", ").all(|column| column.starts_with("s.")));
    }
}
