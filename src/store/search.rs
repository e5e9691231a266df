//! Full-text search over both languages of every excerpt (FTS5, accents folded),
//! with any user text made safe before it reaches `MATCH`.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, StoreResult};
use crate::model::ExcerptId;

/// Marks the start of a matched word in a snippet.
pub const MATCH_START: char = '\u{2}';
/// Marks the end of a matched word in a snippet.
pub const MATCH_END: char = '\u{3}';

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The user's words. Words in double quotes are matched as a phrase; every
    /// other character is taken literally, never as query syntax.
    pub text: String,
    /// Search only the side written in this language (`es`, `en` …).
    pub lang: Option<String>,
    /// Let the last word match as a prefix, for search-as-you-type.
    pub prefix_last_word: bool,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip (page × limit).
    pub offset: usize,
}

impl SearchQuery {
    /// A query for `text` in both languages, first page of 50.
    pub fn new(text: &str) -> Self {
        Self { text: text.to_owned(), lang: None, prefix_last_word: false, limit: 50, offset: 0 }
    }
}

/// One excerpt that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    /// The excerpt.
    pub excerpt_id: ExcerptId,
    /// The researcher's identifier for it, or empty.
    pub label: String,
    /// Its case's name.
    pub case_name: String,
    /// Its source's name.
    pub source_name: String,
    /// Its speaker.
    pub speaker: String,
    /// The matching part of the original, matches between [`MATCH_START`] and
    /// [`MATCH_END`]; `None` if the original did not match.
    pub original_snippet: Option<String>,
    /// The matching part of the translation, marked the same way.
    pub translation_snippet: Option<String>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchPage {
    /// Matching excerpts in all pages.
    pub total: usize,
    /// The hits of this page, in reading order.
    pub hits: Vec<SearchHit>,
}

/// Turns user text into a safe FTS5 expression: each word becomes a quoted phrase
/// (quotes inside doubled), text in balanced double quotes stays one phrase, and
/// pieces without letters or digits are dropped. `None` when nothing searchable is
/// left.
pub fn fts_expression(user_text: &str, prefix_last_word: bool) -> Option<String> {
    // However long the text (a page pasted into the search box), only as much
    // as a person types is searched.
    // Control characters (a NUL ends SQLite's copy of the expression: "unterminated
    // string") separate words, as spaces do.
    let capped: String =
        user_text.chars().take(MAX_QUERY_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let capped = match capped.split_whitespace().nth(MAX_QUERY_WORDS) {
        Some(first_extra) => {
            let cut = first_extra.as_ptr() as usize - capped.as_ptr() as usize;
            capped[..cut].to_owned()
        }
        None => capped,
    };
    let user_text = capped.as_str();
    let phrases = crate::text::split_query(user_text);
    let phrases: Vec<String> = phrases
        .into_iter()
        .filter(|phrase| phrase.chars().any(char::is_alphanumeric))
        .map(|phrase| format!("\"{}\"", phrase.replace('"', "\"\"")))
        .collect();
    let count = phrases.len();
    if count == 0 {
        return None;
    }
    let mut expression = phrases.join(" ");
    if prefix_last_word && !user_text.ends_with(char::is_whitespace) && !user_text.ends_with('"') {
        expression.push('*');
    }
    Some(expression)
}

/// The longest search taken, in characters: beyond it, matching grows slow
/// with no gain to a person (a pasted page of text took minutes).
pub const MAX_QUERY_CHARS: usize = 300;
/// The most words a search takes.
pub const MAX_QUERY_WORDS: usize = 24;

/// Refuses a search longer than a person types, saying the limits.
fn check_query_size(text: &str) -> StoreResult<()> {
    let (chars, words) = (text.chars().count(), text.split_whitespace().count());
    if chars > MAX_QUERY_CHARS || words > MAX_QUERY_WORDS {
        return Err(StoreError::Invalid(crate::bilingual!(
            "the search is too long ({chars} characters, {words} words): search for at most {MAX_QUERY_WORDS} \
             words and {MAX_QUERY_CHARS} characters",
            "la búsqueda es demasiado larga ({chars} caracteres, {words} palabras): busque como mucho \
             {MAX_QUERY_WORDS} palabras y {MAX_QUERY_CHARS} caracteres"
        )));
    }
    Ok(())
}

impl Store {
    /// Searches both languages (or one, with `lang`) and returns one page of hits in
    /// reading order. Any text is safe: a stray quote, dash or parenthesis is not an
    /// error, and text with nothing searchable matches nothing.
    pub fn search(&self, query: &SearchQuery) -> StoreResult<SearchPage> {
        check_query_size(&query.text)?;
        let Some(expression) = fts_expression(&query.text, query.prefix_last_word) else {
            return Ok(SearchPage { total: 0, hits: Vec::new() });
        };
        let matching = matching_ids_sql(query.lang.is_some());
        let original_match = format!("{{original_text}} : ({expression})");
        let translation_match = format!("{{translation_text}} : ({expression})");
        let lang = query.lang.clone().unwrap_or_default();
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM ({matching})"))?
            .query_row(params![expression, original_match, translation_match, lang], |row| row.get(0))?;
        let mut page = self.conn.prepare_cached(&format!(
            "SELECT m.excerpt_id, ca.name, s.name, s.speaker, e.label
             FROM ({matching}) m
             JOIN excerpts e ON e.excerpt_id = m.excerpt_id
             JOIN sources s ON s.source_id = e.source_id
             JOIN cases ca ON ca.case_id = s.case_id
             ORDER BY m.excerpt_id LIMIT ?5 OFFSET ?6"
        ))?;
        let rows = page
            .query_map(
                params![
                    expression,
                    original_match,
                    translation_match,
                    lang,
                    i64::try_from(query.limit).unwrap_or(i64::MAX),
                    i64::try_from(query.offset).unwrap_or(i64::MAX)
                ],
                |row| {
                    Ok(SearchHit {
                        excerpt_id: row.get(0)?,
                        case_name: row.get(1)?,
                        source_name: row.get(2)?,
                        speaker: row.get(3)?,
                        label: row.get(4)?,
                        original_snippet: None,
                        translation_snippet: None,
                    })
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        let mut hits = Vec::with_capacity(rows.len());
        // Snippets only for the page shown, not for every match.
        let snippet_sql = format!(
            "SELECT snippet(excerpt_search, 0, '{MATCH_START}', '{MATCH_END}', '…', 24),
                    snippet(excerpt_search, 1, '{MATCH_START}', '{MATCH_END}', '…', 24)
             FROM excerpt_search WHERE excerpt_search MATCH ?1 AND rowid = ?2"
        );
        let mut snippets = self.conn.prepare_cached(&snippet_sql)?;
        for mut hit in rows {
            let excerpt = self.excerpt(hit.excerpt_id)?;
            let found: Option<(Option<String>, Option<String>)> = snippets
                .query_row(params![expression, hit.excerpt_id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            if let Some((original, translation)) = found {
                let wanted = |lang_of_side: &str| query.lang.as_deref().is_none_or(|lang| lang == lang_of_side);
                hit.original_snippet =
                    original.filter(|snippet| snippet.contains(MATCH_START) && wanted(&excerpt.original_lang));
                hit.translation_snippet =
                    translation.filter(|snippet| snippet.contains(MATCH_START) && wanted(&excerpt.translation_lang));
            }
            hits.push(hit);
        }
        Ok(SearchPage { total: total as usize, hits })
    }

    /// Every matching excerpt's ID, in ID order, for filtering lists. Same rules as
    /// [`Store::search`].
    pub fn search_ids(&self, text: &str, lang: Option<&str>, prefix_last_word: bool) -> StoreResult<Vec<ExcerptId>> {
        check_query_size(text)?;
        let Some(expression) = fts_expression(text, prefix_last_word) else {
            return Ok(Vec::new());
        };
        let matching = matching_ids_sql(lang.is_some());
        let original_match = format!("{{original_text}} : ({expression})");
        let translation_match = format!("{{translation_text}} : ({expression})");
        let mut statement =
            self.conn.prepare_cached(&format!("SELECT excerpt_id FROM ({matching}) ORDER BY excerpt_id"))?;
        let ids = statement
            .query_map(params![expression, original_match, translation_match, lang.unwrap_or_default()], |row| {
                row.get(0)
            })?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

/// SQL selecting the IDs of matching excerpts. Parameters: ?1 the expression over
/// both columns, ?2 and ?3 the expression limited to the original or the
/// translation, ?4 the language (used only when `by_language`).
fn matching_ids_sql(by_language: bool) -> &'static str {
    if by_language {
        "SELECT rowid AS excerpt_id FROM excerpt_search
             WHERE excerpt_search MATCH ?2
               AND rowid IN (SELECT excerpt_id FROM excerpts WHERE original_lang = ?4)
               AND ?1 IS NOT NULL
         UNION
         SELECT rowid FROM excerpt_search
             WHERE excerpt_search MATCH ?3
               AND rowid IN (SELECT excerpt_id FROM excerpts WHERE translation_lang = ?4)"
    } else {
        "SELECT rowid AS excerpt_id FROM excerpt_search
             WHERE excerpt_search MATCH ?1 AND ?2 IS NOT NULL AND ?3 IS NOT NULL AND ?4 IS NOT NULL"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_a_search_are_read_as_spaces() {
        // Found by the search_query fuzz target: a NUL ended the expression early.
        let store = Store::in_memory().unwrap();
        let page = store.search(&SearchQuery::new("\0\0\0\0\0\0\0\0,,<15")).unwrap();
        assert_eq!(page.total, 0);
        assert_eq!(fts_expression("agua\0río\u{7}", false).as_deref(), Some("\"agua\" \"río\""));
    }

    #[test]
    fn a_page_pasted_into_the_search_is_cut_to_what_a_person_types() {
        let page = "agua río \"la mina\" policía ".repeat(1000);
        let expression = fts_expression(&page, true).unwrap();
        assert!(expression.matches('"').count() / 2 <= MAX_QUERY_WORDS, "{expression}");
        assert!(expression.starts_with("\"agua\" \"río\" \"la mina\""), "{expression}");
        let store = Store::in_memory().unwrap();
        let error = store.search(&SearchQuery::new(&page)).unwrap_err();
        assert!(error.to_string().contains("the search is too long (27000 characters, 5000 words)"), "{error}");
    }

    #[test]
    fn user_text_becomes_quoted_phrases() {
        assert_eq!(fts_expression("policía agua", false).as_deref(), Some("\"policía\" \"agua\""));
        assert_eq!(fts_expression("\"mesa de diálogo\" acta", false).as_deref(), Some("\"mesa de diálogo\" \"acta\""));
        assert_eq!(fts_expression("agu", true).as_deref(), Some("\"agu\"*"));
    }

    #[test]
    fn hostile_text_is_quoted_or_dropped() {
        assert_eq!(fts_expression("\" - ( ) * :", false), None);
        assert_eq!(fts_expression("", false), None);
        assert_eq!(fts_expression("NEAR(a b) OR -x", false).as_deref(), Some("\"NEAR(a\" \"b)\" \"OR\" \"-x\""));
        assert_eq!(fts_expression("say \"no", false).as_deref(), Some("\"say\" \"no\""));
    }
}
