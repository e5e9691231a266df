//! Reading and writing excerpts and their translation review state.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, StoreResult};
use crate::model::{Excerpt, ExcerptDraft, ExcerptId, SourceId, TranslationStatus};

pub(super) const EXCERPT_COLUMNS: &str = "e.excerpt_id, e.source_id, e.label, e.position, e.original_text, \
     e.original_lang, e.translation_text, e.translation_lang, e.translation_status, e.translation_note";

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
            .prepare_cached(&format!(
                "SELECT {EXCERPT_COLUMNS} FROM excerpts e WHERE e.excerpt_id = ?1"
            ))?
            .query_row([excerpt_id], excerpt_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                kind: "excerpt",
                name: excerpt_id.to_string(),
            })
    }

    /// The excerpts of a source, in order.
    pub fn excerpts_of_source(&self, source_id: SourceId) -> StoreResult<Vec<Excerpt>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {EXCERPT_COLUMNS} FROM excerpts e WHERE e.source_id = ?1 ORDER BY e.position"
        ))?;
        let excerpts = statement
            .query_map([source_id], excerpt_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(excerpts)
    }

    /// Every excerpt's ID, in reading order (case, source, position).
    pub fn excerpt_ids(&self) -> StoreResult<Vec<ExcerptId>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT e.excerpt_id FROM excerpts e
             JOIN sources s USING (source_id) JOIN cases c USING (case_id)
             ORDER BY c.name, s.name, e.position",
        )?;
        let ids = statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Number of excerpts in the project.
    pub fn excerpt_count(&self) -> StoreResult<usize> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM excerpts")?
            .query_row([], |row| row.get(0))?;
        Ok(count as usize)
    }

    /// Adds an excerpt at the end of a source. Texts must already be normalised.
    pub fn add_excerpt(
        &mut self,
        source_id: SourceId,
        draft: &ExcerptDraft,
    ) -> StoreResult<ExcerptId> {
        let original = non_empty(draft.original.as_deref());
        let translation = non_empty(draft.translation.as_deref());
        if original.is_none() && translation.is_none() {
            return Err(StoreError::Invalid(
                "an excerpt needs an original text, a translation, or both".to_owned(),
            ));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO excerpts (source_id, label, position, original_text, original_lang,
                     translation_text, translation_lang, translation_status, translation_note)
                 VALUES (?1, ?2, (SELECT IFNULL(MAX(position), 0) + 1 FROM excerpts WHERE source_id = ?1),
                     ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                source_id,
                draft.label,
                original,
                draft.original_lang,
                translation,
                draft.translation_lang,
                draft.translation_status,
                draft.translation_note
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
            .prepare_cached(
                "UPDATE excerpts SET translation_status = ?2, translation_note = ?3 WHERE excerpt_id = ?1",
            )?
            .execute(params![excerpt_id, status, note])?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                kind: "excerpt",
                name: excerpt_id.to_string(),
            });
        }
        Ok(())
    }
}
