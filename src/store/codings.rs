//! Reading and writing codings and coders.

use rusqlite::{OptionalExtension, Row, params};

use super::{NOW_SQL, Store, StoreError, StoreResult};
use crate::model::{CodeId, Coder, CoderId, Coding, CodingAnchor, CodingId, ExcerptId, Side};
use crate::text::{self, CharSpan};

pub(super) const CODING_COLUMNS: &str =
    "coding_id, excerpt_id, code_id, coder_id, side, start_char, end_char, covered_text, needs_review, created_at";

fn coding_from_row(row: &Row<'_>) -> rusqlite::Result<Coding> {
    let side: Option<Side> = row.get(4)?;
    let anchor = match side {
        None => CodingAnchor::Whole,
        Some(side) => CodingAnchor::Passage {
            side,
            span: CharSpan::new(row.get::<_, i64>(5)? as usize, row.get::<_, i64>(6)? as usize),
        },
    };
    Ok(Coding {
        coding_id: row.get(0)?,
        excerpt_id: row.get(1)?,
        code_id: row.get(2)?,
        coder_id: row.get(3)?,
        anchor,
        covered_text: row.get(7)?,
        needs_review: row.get(8)?,
        created_at: row.get(9)?,
    })
}

/// The side, start and end columns of an anchor.
pub(super) fn anchor_columns(anchor: CodingAnchor) -> (Option<Side>, Option<i64>, Option<i64>) {
    match anchor {
        CodingAnchor::Whole => (None, None, None),
        CodingAnchor::Passage { side, span } => (Some(side), Some(span.start.0 as i64), Some(span.end.0 as i64)),
    }
}

/// How a team settles a disagreement between coders on one code in one
/// excerpt: afterwards every coder compared holds the same passages of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Everyone takes this coder's passages.
    Keep(CoderId),
    /// Everyone takes every coder's passages.
    KeepAll,
    /// The code is taken off the excerpt for everyone.
    RemoveAll,
}

/// What [`Store::add_coding_identified`] looks up before adding a coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodingCheck {
    /// That the excerpt exists, and whether the same coding is already there.
    Look,
    /// Nothing: the caller has just added the excerpt and knows its codings
    /// differ from each other (an importer writing a new excerpt's whole
    /// codings).
    FreshExcerpt,
}

impl Store {
    /// Settles a disagreement between `coders` on `code_id` in `excerpt_id`
    /// (see [`Settlement`]), as one action. A coder's coding already in place is
    /// kept, with its memo.
    pub fn settle_disagreement(
        &mut self,
        excerpt_id: ExcerptId,
        code_id: CodeId,
        coders: &[CoderId],
        settlement: Settlement,
    ) -> StoreResult<()> {
        self.atomically(|store| {
            let codings: Vec<Coding> = store
                .codings_of_excerpt(excerpt_id)?
                .into_iter()
                .filter(|coding| coding.code_id == code_id && coders.contains(&coding.coder_id))
                .collect();
            let mut wanted: Vec<CodingAnchor> = Vec::new();
            for coding in &codings {
                let chosen = match settlement {
                    Settlement::Keep(coder) => coding.coder_id == coder,
                    Settlement::KeepAll => true,
                    Settlement::RemoveAll => false,
                };
                if chosen && !wanted.contains(&coding.anchor) {
                    wanted.push(coding.anchor);
                }
            }
            for coder in coders {
                let held: Vec<&Coding> = codings.iter().filter(|coding| coding.coder_id == *coder).collect();
                for coding in &held {
                    if !wanted.contains(&coding.anchor) {
                        store.delete_coding(coding.coding_id)?;
                    }
                }
                for anchor in &wanted {
                    if !held.iter().any(|coding| coding.anchor == *anchor) {
                        store.add_coding(excerpt_id, code_id, *coder, *anchor)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// The coder named `name`, created if missing.
    pub fn ensure_coder(&mut self, name: &str) -> StoreResult<CoderId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!(
                "a coder needs a name",
                "un codificador necesita un nombre"
            )));
        }
        let existing = self
            .conn
            .prepare_cached("SELECT coder_id FROM coders WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?;
        if let Some(coder_id) = existing {
            return Ok(coder_id);
        }
        self.conn.prepare_cached("INSERT INTO coders (name) VALUES (?1)")?.execute([name])?;
        Ok(CoderId(self.conn.last_insert_rowid()))
    }

    /// Every coder, by name.
    pub fn coders(&self) -> StoreResult<Vec<Coder>> {
        let mut statement = self.conn.prepare_cached("SELECT coder_id, name FROM coders ORDER BY name")?;
        let coders = statement
            .query_map([], |row| Ok(Coder { coder_id: row.get(0)?, name: row.get(1)? }))?
            .collect::<Result<_, _>>()?;
        Ok(coders)
    }

    /// Applies a code to an excerpt, whole or to a passage. A passage is snapped to
    /// whole graphemes and must lie inside the text of its side. Coding the same
    /// excerpt, passage and code twice for one coder returns the existing coding.
    pub fn add_coding(
        &mut self,
        excerpt_id: ExcerptId,
        code_id: CodeId,
        coder_id: CoderId,
        anchor: CodingAnchor,
    ) -> StoreResult<CodingId> {
        Ok(self.add_coding_if_new(excerpt_id, code_id, coder_id, anchor)?.0)
    }

    /// Same as [`Store::add_coding`], also saying whether the coding is new
    /// (`false` when the same coding was already there).
    pub fn add_coding_if_new(
        &mut self,
        excerpt_id: ExcerptId,
        code_id: CodeId,
        coder_id: CoderId,
        anchor: CodingAnchor,
    ) -> StoreResult<(CodingId, bool)> {
        self.add_coding_identified(excerpt_id, code_id, coder_id, anchor, None, CodingCheck::Look)
    }

    /// Same as [`Store::add_coding_if_new`]; a new coding takes `uuid` as its
    /// identity when that is a UUID no other coding has (as
    /// [`Store::adopt_uuid`] would give it), in the same statement that adds it.
    /// With [`CodingCheck::FreshExcerpt`] nothing is looked up first.
    pub fn add_coding_identified(
        &mut self,
        excerpt_id: ExcerptId,
        code_id: CodeId,
        coder_id: CoderId,
        anchor: CodingAnchor,
        uuid: Option<&str>,
        check: CodingCheck,
    ) -> StoreResult<(CodingId, bool)> {
        let fresh_excerpt = check == CodingCheck::FreshExcerpt;
        let (anchor, covered_text) = match anchor {
            CodingAnchor::Whole => {
                // Only that it exists (an excerpt the caller has just added
                // does): a million whole codings of an import need not read
                // their excerpts' texts.
                let exists = fresh_excerpt
                    || self
                        .conn
                        .prepare_cached("SELECT 1 FROM excerpts WHERE excerpt_id = ?1")?
                        .exists([excerpt_id])?;
                if !exists {
                    return Err(StoreError::NotFound { kind: "excerpt", name: excerpt_id.to_string() });
                }
                (CodingAnchor::Whole, String::new())
            }
            CodingAnchor::Passage { side, span } => {
                let excerpt = self.excerpt(excerpt_id)?;
                // Named by its label, as people know it (an import that fails rolls
                // its new excerpts back, and their IDs with them).
                let excerpt_name =
                    if excerpt.label.is_empty() { format!("#{excerpt_id}") } else { format!("'{}'", excerpt.label) };
                let Some(text) = excerpt.text(side) else {
                    return Err(StoreError::Invalid(match side {
                        Side::Original => crate::bilingual!(
                            "excerpt {excerpt_name} has no original text to code",
                            "el fragmento {excerpt_name} no tiene texto original que codificar"
                        ),
                        Side::Translation => crate::bilingual!(
                            "excerpt {excerpt_name} has no translation text to code",
                            "el fragmento {excerpt_name} no tiene traducción que codificar"
                        ),
                    }));
                };
                let snapped = text::snap_to_graphemes(text, span);
                let covered = text::slice_chars(text, snapped).unwrap_or_default();
                if snapped.is_empty() || span.end.0 > text::char_len(text) {
                    return Err(StoreError::Invalid(crate::bilingual!(
                        "the passage {}..{} is outside the {} text of excerpt {excerpt_name} ({} characters)",
                        "el pasaje {}..{} queda fuera del texto ({}) del fragmento {excerpt_name} ({} caracteres)",
                        span.start.0,
                        span.end.0,
                        side.as_str(),
                        text::char_len(text)
                    )));
                }
                (CodingAnchor::Passage { side, span: snapped }, covered.to_owned())
            }
        };
        let (side, start, end) = anchor_columns(anchor);
        if !fresh_excerpt {
            let existing = self
                .conn
                .prepare_cached(
                    // Without statistics SQLite may pick the coder index, which with one
                    // coder scans every coding of the code (an import then grows quadratic).
                    "SELECT coding_id FROM codings INDEXED BY codings_by_excerpt WHERE excerpt_id = ?1 AND code_id = ?2 AND coder_id = ?3
                     AND side IS ?4 AND start_char IS ?5 AND end_char IS ?6",
                )?
                .query_row(params![excerpt_id, code_id, coder_id, side, start, end], |row| row.get(0))
                .optional()?;
            if let Some(coding_id) = existing {
                return Ok((coding_id, false));
            }
        }
        let uuid = self.free_uuid(super::Identified::Coding, uuid)?;
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, side, start_char, end_char,
                     covered_text, created_at, uuid)
                 VALUES (?1, ?2, ?3, (SELECT source_id FROM excerpts WHERE excerpt_id = ?1), ?4, ?5, ?6, ?7, {NOW_SQL}, ?8)"
            ))?
            .execute(params![excerpt_id, code_id, coder_id, side, start, end, covered_text, uuid])?;
        Ok((CodingId(self.conn.last_insert_rowid()), true))
    }

    /// The codings of one excerpt, in order of creation.
    pub fn codings_of_excerpt(&self, excerpt_id: ExcerptId) -> StoreResult<Vec<Coding>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {CODING_COLUMNS} FROM codings WHERE excerpt_id = ?1 ORDER BY coding_id"
        ))?;
        let codings = statement.query_map([excerpt_id], coding_from_row)?.collect::<Result<_, _>>()?;
        Ok(codings)
    }

    /// The coding with this ID.
    pub fn coding(&self, coding_id: CodingId) -> StoreResult<Coding> {
        self.conn
            .prepare_cached(&format!("SELECT {CODING_COLUMNS} FROM codings WHERE coding_id = ?1"))?
            .query_row([coding_id], coding_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "coding", name: coding_id.to_string() })
    }

    /// Removes a coding.
    pub fn delete_coding(&mut self, coding_id: CodingId) -> StoreResult<()> {
        self.conn.prepare_cached("DELETE FROM codings WHERE coding_id = ?1")?.execute([coding_id])?;
        Ok(())
    }

    /// Gives a coding another code.
    pub fn recode(&mut self, coding_id: CodingId, code_id: CodeId) -> StoreResult<()> {
        self.conn
            .prepare_cached("UPDATE codings SET code_id = ?2 WHERE coding_id = ?1")?
            .execute(params![coding_id, code_id])?;
        Ok(())
    }

    /// Number of codings in the project.
    pub fn coding_count(&self) -> StoreResult<usize> {
        let count: i64 = self.conn.prepare_cached("SELECT COUNT(*) FROM codings")?.query_row([], |row| row.get(0))?;
        Ok(count as usize)
    }
}

impl Store {
    /// Every coding made by one of these coders, by excerpt.
    pub fn codings_by_coders(&self, coder_ids: &[CoderId]) -> StoreResult<Vec<Coding>> {
        let ids: Vec<String> = coder_ids.iter().map(|id| id.0.to_string()).collect();
        let mut statement = self.conn.prepare(&format!(
            "SELECT {CODING_COLUMNS} FROM codings WHERE coder_id IN ({}) ORDER BY excerpt_id, coding_id",
            if ids.is_empty() { "NULL".to_owned() } else { ids.join(", ") }
        ))?;
        let codings = statement.query_map([], coding_from_row)?.collect::<Result<_, _>>()?;
        Ok(codings)
    }

    /// Every excerpt with the length, in characters, of its original and its
    /// translation (0 when missing), in reading order.
    pub fn excerpt_lengths(&self) -> StoreResult<Vec<(ExcerptId, usize, usize)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT e.excerpt_id, IFNULL(length(e.original_text), 0), IFNULL(length(e.translation_text), 0)
             FROM excerpts e JOIN sources s ON s.source_id = e.source_id JOIN cases ca ON ca.case_id = s.case_id
             ORDER BY ca.name, s.name, e.position",
        )?;
        let lengths = statement
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as usize, row.get::<_, i64>(2)? as usize)))?
            .collect::<Result<_, _>>()?;
        Ok(lengths)
    }
}
