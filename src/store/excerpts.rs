//! Reading and writing excerpts and their translation review state.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, StoreResult};
use crate::model::{Excerpt, ExcerptDraft, ExcerptId, Side, SourceId, TranslationStatus};
use crate::text::CharSpan;

pub(super) const EXCERPT_COLUMNS: &str = "e.excerpt_id, e.source_id, e.label, e.position, e.original_text, \
     e.original_lang, e.translation_text, e.translation_lang, e.translation_status, e.translation_note, \
     e.speaker, e.interviewer, e.time";

/// How many columns [`EXCERPT_COLUMNS`] names.
pub(super) const EXCERPT_COLUMN_COUNT: usize = 13;

/// Adds an excerpt at the end of its source.
const ADD_EXCERPT_SQL: &str = "INSERT INTO excerpts (source_id, label, position, original_text, original_lang,
         translation_text, translation_lang, translation_status, translation_note, speaker, interviewer, time, uuid)
     VALUES (?1, ?2, (SELECT IFNULL(MAX(position), 0) + 1 FROM excerpts WHERE source_id = ?1),
         ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

pub(super) fn excerpt_from_row(row: &Row<'_>) -> rusqlite::Result<Excerpt> {
    Ok(Excerpt {
        excerpt_id: row.get(0)?,
        source_id: row.get(1)?,
        label: row.get(2)?,
        position: row.get(3)?,
        original: row.get(4)?,
        original_lang: row.get(5)?,
        translation: row.get(6)?,
        translation_lang: row.get(7)?,
        translation_status: row.get(8)?,
        translation_note: row.get(9)?,
        speaker: row.get(10)?,
        interviewer: row.get(11)?,
        time: row.get(12)?,
    })
}

/// Empty texts are stored as NULL: "no translation" has one representation.
fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}

impl Store {
    /// The excerpt with this ID.
    pub fn excerpt(&self, excerpt_id: ExcerptId) -> StoreResult<Excerpt> {
        self.conn
            .prepare_cached(&format!("SELECT {EXCERPT_COLUMNS} FROM excerpts e WHERE e.excerpt_id = ?1"))?
            .query_row([excerpt_id], excerpt_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "excerpt", name: excerpt_id.to_string() })
    }

    /// Which languages each source has text in: for every source with
    /// excerpts, whether any has an original and whether any has a translation.
    pub fn source_sides(&self) -> StoreResult<std::collections::HashMap<SourceId, [bool; 2]>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT source_id, MAX(original_text IS NOT NULL), MAX(translation_text IS NOT NULL)
             FROM excerpts GROUP BY source_id",
        )?;
        let sides =
            statement.query_map([], |row| Ok((row.get(0)?, [row.get(1)?, row.get(2)?])))?.collect::<Result<_, _>>()?;
        Ok(sides)
    }

    /// The excerpts of a source, in order.
    pub fn excerpts_of_source(&self, source_id: SourceId) -> StoreResult<Vec<Excerpt>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {EXCERPT_COLUMNS} FROM excerpts e WHERE e.source_id = ?1 ORDER BY e.position"
        ))?;
        let excerpts = statement.query_map([source_id], excerpt_from_row)?.collect::<Result<_, _>>()?;
        Ok(excerpts)
    }

    /// Every excerpt's ID, in reading order (case, source, position).
    pub fn excerpt_ids(&self) -> StoreResult<Vec<ExcerptId>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT e.excerpt_id FROM excerpts e
             JOIN sources s USING (source_id) JOIN cases c USING (case_id)
             ORDER BY c.name, s.name, e.position",
        )?;
        let ids = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Number of excerpts in the project.
    pub fn excerpt_count(&self) -> StoreResult<usize> {
        let count: i64 = self.conn.prepare_cached("SELECT COUNT(*) FROM excerpts")?.query_row([], |row| row.get(0))?;
        Ok(count as usize)
    }

    /// Adds an excerpt at the end of a source, its texts normalised (NFC, LF, no BOM).
    pub fn add_excerpt(&mut self, source_id: SourceId, draft: &ExcerptDraft) -> StoreResult<ExcerptId> {
        self.add_excerpt_identified(source_id, draft, None)
    }

    /// Same as [`Store::add_excerpt`]; the new excerpt takes `uuid` as its
    /// identity when that is a UUID no other excerpt has (as
    /// [`Store::adopt_uuid`] would give it), in the same statement that adds it.
    pub fn add_excerpt_identified(
        &mut self,
        source_id: SourceId,
        draft: &ExcerptDraft,
        uuid: Option<&str>,
    ) -> StoreResult<ExcerptId> {
        // Spans count characters of the stored text, so it is always normalised.
        let original = draft.original.as_deref().map(|text| crate::text::normalized(text.trim()));
        let translation = draft.translation.as_deref().map(|text| crate::text::normalized(text.trim()));
        let original = non_empty(original.as_deref());
        let translation = non_empty(translation.as_deref());
        if original.is_none() && translation.is_none() {
            return Err(StoreError::Invalid(crate::bilingual!(
                "an excerpt needs an original text, a translation, or both",
                "un fragmento necesita un texto original, una traducción o ambos"
            )));
        }
        let uuid = self.free_uuid(super::Identified::Excerpt, uuid)?;
        self.conn.prepare_cached(ADD_EXCERPT_SQL)?.execute(params![
            source_id,
            draft.label,
            original,
            draft.original_lang,
            translation,
            draft.translation_lang,
            draft.translation_status,
            draft.translation_note,
            draft.speaker,
            draft.interviewer,
            draft.time,
            uuid
        ])?;
        Ok(ExcerptId(self.conn.last_insert_rowid()))
    }

    /// Sets the review status of an excerpt's translation, with the reviewer's note.
    pub fn set_translation_status(
        &mut self,
        excerpt_id: ExcerptId,
        status: TranslationStatus,
        note: &str,
    ) -> StoreResult<()> {
        let changed = self
            .conn
            .prepare_cached("UPDATE excerpts SET translation_status = ?2, translation_note = ?3 WHERE excerpt_id = ?1")?
            .execute(params![excerpt_id, status, note])?;
        if changed == 0 {
            return Err(StoreError::NotFound { kind: "excerpt", name: excerpt_id.to_string() });
        }
        Ok(())
    }
}

/// What happened to the passages coded on a text that was edited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReanchorReport {
    /// Passages whose words moved and were found again.
    pub moved: usize,
    /// Passages whose words are gone: flagged for review.
    pub lost: usize,
}

impl Store {
    /// Replaces one side's text of an excerpt (normalising it; empty removes it),
    /// and keeps each passage coded on that side on the words it covered: found
    /// again nearest to where it was, or flagged for review if the words are gone.
    pub fn set_excerpt_text(
        &mut self,
        excerpt_id: ExcerptId,
        side: Side,
        new_text: &str,
    ) -> StoreResult<ReanchorReport> {
        self.forgot = true;
        let normalized = crate::text::normalized(new_text.trim());
        let new_text = non_empty(Some(&normalized)).map(str::to_owned);
        self.atomically(|store| {
            let excerpt = store.excerpt(excerpt_id)?;
            if new_text.is_none() && excerpt.text(side.other()).is_none() {
                return Err(StoreError::Invalid(crate::bilingual!(
                    "an excerpt needs an original text, a translation, or both: this would leave it empty",
                    "un fragmento necesita un texto original, una traducción o ambos: esto lo dejaría vacío"
                )));
            }
            let column = match side {
                Side::Original => "original_text",
                Side::Translation => "translation_text",
            };
            store
                .conn
                .prepare_cached(&format!("UPDATE excerpts SET {column} = ?2 WHERE excerpt_id = ?1"))?
                .execute(params![excerpt_id, new_text])?;
            if side == Side::Translation {
                let status = match (&new_text, excerpt.translation_status) {
                    (None, _) => TranslationStatus::Missing,
                    (Some(_), TranslationStatus::Missing) => TranslationStatus::Draft,
                    (Some(_), status) => status,
                };
                store
                    .conn
                    .prepare_cached("UPDATE excerpts SET translation_status = ?2 WHERE excerpt_id = ?1")?
                    .execute(params![excerpt_id, status])?;
            }
            store.reanchor_codings(excerpt_id, side, new_text.as_deref())
        })
    }

    fn reanchor_codings(
        &mut self,
        excerpt_id: ExcerptId,
        side: Side,
        new_text: Option<&str>,
    ) -> StoreResult<ReanchorReport> {
        let mut report = ReanchorReport::default();
        let passages: Vec<(i64, i64, i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT coding_id, start_char, end_char, covered_text FROM codings
                 WHERE excerpt_id = ?1 AND side = ?2",
            )?
            .query_map(params![excerpt_id, side], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
            .collect::<Result<_, _>>()?;
        for (coding_id, start, end, covered) in passages {
            let old_span = CharSpan::new(start as usize, end as usize);
            let Some(text) = new_text else {
                self.flag_coding(coding_id)?;
                report.lost += 1;
                continue;
            };
            if crate::text::slice_chars(text, old_span) == Some(covered.as_str()) {
                continue;
            }
            match crate::text::reanchor(text, &covered, old_span.start) {
                Some(span) => {
                    self.conn
                        .prepare_cached(
                            "UPDATE codings SET start_char = ?2, end_char = ?3, needs_review = 0 WHERE coding_id = ?1",
                        )?
                        .execute(params![coding_id, span.start.0 as i64, span.end.0 as i64])?;
                    report.moved += 1;
                }
                None => {
                    // The words are gone: flagged for review, the passage kept
                    // where it was as far as the shorter text allows, so it
                    // always lies inside its text.
                    let length = crate::text::char_len(text);
                    let end = old_span.end.0.min(length);
                    let start = old_span.start.0.min(end.saturating_sub(1));
                    self.conn
                        .prepare_cached(
                            "UPDATE codings SET start_char = ?2, end_char = ?3, needs_review = 1 WHERE coding_id = ?1",
                        )?
                        .execute(params![coding_id, start as i64, end as i64])?;
                    report.lost += 1;
                }
            }
        }
        Ok(report)
    }

    fn flag_coding(&self, coding_id: i64) -> StoreResult<()> {
        self.conn.prepare_cached("UPDATE codings SET needs_review = 1 WHERE coding_id = ?1")?.execute([coding_id])?;
        Ok(())
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_excerpts_reuses_one_compiled_statement() {
        // SQLite recompiled a statement on every run when a bound value could
        // change its plan (a `MAX` or `ORDER BY` under `col = ?`): a sixth of a
        // large REFI-QDA import. The planner now ignores bound values.
        let mut store = Store::in_memory().unwrap();
        let case_id = store.add_case("Cerro Alto", "").unwrap();
        let source_id = store
            .add_source(case_id, &crate::model::SourceDraft { name: "Entrevista".into(), ..Default::default() })
            .unwrap();
        let draft = ExcerptDraft { original: Some("El agua bajaba turbia.".into()), ..ExcerptDraft::default() };
        for _ in 0..50 {
            store.add_excerpt(source_id, &draft).unwrap();
            store.codings_of_excerpt(ExcerptId(1)).unwrap();
        }
        let recompiled: Vec<i32> = [
            ADD_EXCERPT_SQL,
            &format!(
                "SELECT {} FROM codings WHERE excerpt_id = ?1 ORDER BY coding_id",
                super::super::codings::CODING_COLUMNS
            ),
        ]
        .iter()
        .map(|sql| store.conn.prepare_cached(sql).unwrap().get_status(rusqlite::StatementStatus::RePrepare))
        .collect();
        assert_eq!(recompiled, vec![0, 0]);
        assert_eq!(store.excerpts_of_source(source_id).unwrap().last().unwrap().position, 50);
    }
}
