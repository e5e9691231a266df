//! Coded quotes for reports: each coding joined with its excerpt, source, case,
//! code and memos, filtered and in reading order.

use super::excerpts::{EXCERPT_COLUMN_COUNT, EXCERPT_COLUMNS, excerpt_from_row};
use super::sources::{SOURCE_COLUMN_COUNT, source_columns, source_from_row_at};
use super::{Filter, Store, StoreResult};
use std::collections::HashMap;

use crate::model::{CodeId, CodingAnchor, Color, Excerpt, ExcerptId, Side, Source};
use crate::text::CharSpan;

/// What makes two codings the same quote: excerpt, code, side and span.
type QuoteKey = (ExcerptId, CodeId, Option<Side>, Option<i64>, Option<i64>);

/// Where a quote goes in a report: case (folded as SQLite's NOCASE), source,
/// position, then the quote itself.
type ReadingOrder = (String, String, i64, QuoteKey);

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
        // The rows are put in reading order here rather than by SQLite, whose
        // sorter would copy every quote's texts; codings by several coders of
        // the same passage then lie side by side and are kept once. Memos are
        // read once, not per quote.
        let sql = format!(
            "SELECT {EXCERPT_COLUMNS}, {},
                    ca.name, k.code_id, c.name, k.side, k.start_char, k.end_char, k.covered_text, c.color
             FROM codings k
             JOIN codes c ON c.code_id = k.code_id
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}",
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
        let mut keyed: Vec<(ReadingOrder, CodedQuote)> = Vec::new();
        while let Some(row) = rows.next()? {
            let excerpt_id: ExcerptId = row.get(0)?;
            let code_id: CodeId = row.get(rest + 1)?;
            let side: Option<Side> = row.get(rest + 3)?;
            let start: Option<i64> = row.get(rest + 4)?;
            let end: Option<i64> = row.get(rest + 5)?;
            let anchor = match side {
                None => CodingAnchor::Whole,
                Some(side) => CodingAnchor::Passage {
                    side,
                    span: CharSpan::new(start.unwrap_or(0) as usize, end.unwrap_or(0) as usize),
                },
            };
            let quote = CodedQuote {
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
            };
            // Case names sort as SQLite's NOCASE does (ASCII letters folded).
            let order = (
                quote.case_name.to_ascii_lowercase(),
                quote.source.name.clone(),
                quote.excerpt.position,
                (excerpt_id, code_id, side, start, end),
            );
            keyed.push((order, quote));
        }
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|later, earlier| later.0.3 == earlier.0.3);
        let quotes: Vec<CodedQuote> = keyed.into_iter().map(|(_, quote)| quote).collect();
        Ok(quotes)
    }
}

#[cfg(test)]
mod tests {
    use super::super::excerpts::{EXCERPT_COLUMN_COUNT, EXCERPT_COLUMNS};
    use super::super::sources::{SOURCE_COLUMN_COUNT, source_columns};
    use super::*;
    use crate::model::{MemoTarget, TranslationStatus};
    use crate::store::test_projects::generated;

    /// One quote as the first version of the query gave it: grouped in SQL,
    /// memos by subquery.
    type Row = (i64, i64, Option<String>, Option<i64>, Option<i64>, String, String, String);

    fn quotes_by_grouping(store: &Store, filter: &Filter) -> Vec<Row> {
        let codes = store.filter_codes(filter).unwrap();
        let conditions =
            [filter.source_condition("s"), filter.excerpt_condition("e"), filter.coding_condition("k", &codes)];
        let sql = format!(
            "SELECT k.excerpt_id, k.code_id, k.side, k.start_char, k.end_char, k.covered_text,
                    IFNULL((SELECT text FROM memos WHERE excerpt_id = e.excerpt_id), ''),
                    IFNULL((SELECT group_concat(m.text, '; ') FROM memos m JOIN codings k2 ON k2.coding_id = m.coding_id
                            WHERE k2.excerpt_id = k.excerpt_id AND k2.code_id = k.code_id), '')
             FROM codings k
             JOIN excerpts e ON e.excerpt_id = k.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             WHERE {}
             GROUP BY k.code_id, k.excerpt_id, k.side, k.start_char, k.end_char",
            conditions.join(" AND ")
        );
        let mut rows: Vec<Row> = store
            .conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        rows
    }

    #[test]
    fn coded_quotes_match_the_grouping_query_keeping_one_of_several_coders_passages() {
        let (mut store, mut rng, second) = generated(250, 19);
        let excerpts = store.excerpt_ids().unwrap();
        // Memos on excerpts and on codings, and a passage both coders marked.
        for n in 0..40 {
            let excerpt_id = excerpts[rng.below(excerpts.len())];
            store.set_memo(MemoTarget::Excerpt(excerpt_id), &format!("nota {n}")).unwrap();
            if let Some(coding) = store.codings_of_excerpt(excerpt_id).unwrap().first() {
                store.set_memo(MemoTarget::Coding(coding.coding_id), &format!("memo {n}")).unwrap();
                let first = store.ensure_coder("Ana").unwrap();
                let other = if coding.coder_id == first { second } else { first };
                let _ = store.add_coding_if_new(excerpt_id, coding.code_id, other, coding.anchor);
            }
        }
        let codes = store.codes().unwrap();
        for filter in [
            Filter::default(),
            Filter { codes: vec![codes[1].code_id], ..Filter::default() },
            Filter { coder_id: Some(second), ..Filter::default() },
            Filter { statuses: vec![TranslationStatus::Reviewed], ..Filter::default() },
        ] {
            let quotes = store.coded_quotes(&filter).unwrap();
            let mut fast: Vec<Row> = quotes
                .iter()
                .map(|quote| {
                    let (side, start, end) = match quote.anchor {
                        CodingAnchor::Whole => (None, None, None),
                        CodingAnchor::Passage { side, span } => {
                            (Some(side.as_str().to_owned()), Some(span.start.0 as i64), Some(span.end.0 as i64))
                        }
                    };
                    (
                        quote.excerpt.excerpt_id.0,
                        quote.code_id.0,
                        side,
                        start,
                        end,
                        quote.covered_text.clone(),
                        quote.excerpt_memo.clone(),
                        quote.coding_memo.clone(),
                    )
                })
                .collect();
            let in_order = quotes.windows(2).all(|pair| {
                let key = |q: &CodedQuote| (q.case_name.clone(), q.source.name.clone(), q.excerpt.position);
                key(&pair[0]) <= key(&pair[1])
            });
            assert!(in_order, "quotes come in reading order");
            fast.sort();
            let slow = quotes_by_grouping(&store, &filter);
            assert!(!slow.is_empty());
            assert_eq!(fast, slow, "{filter:?}");
        }
    }

    #[test]
    fn the_column_counts_match_the_column_lists() {
        assert_eq!(EXCERPT_COLUMNS.split(',').count(), EXCERPT_COLUMN_COUNT);
        assert_eq!(source_columns("s").split(',').count(), SOURCE_COLUMN_COUNT);
        assert!(source_columns("s").split(", ").all(|column| column.starts_with("s.")));
    }
}
