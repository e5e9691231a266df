//! Mending excerpts: splitting one in two at a cut (codings follow their words;
//! a coding across the cut becomes two), joining one with the next, moving one
//! within or between sources, deleting one, and shifting a translation to the
//! neighbouring excerpt when a pairing was wrong. Each is one atomic change.

use rusqlite::{OptionalExtension as _, params};

use super::excerpts::{EXCERPT_COLUMNS, excerpt_from_row};
use super::{Store, StoreError, StoreResult};
use crate::bilingual;
use crate::model::{CodingAnchor, Excerpt, ExcerptId, Side, SourceId, TranslationStatus};
use crate::text::{self, CharSpan};

/// The separator put between texts that are joined.
const JOINER: &str = "\n\n";

/// Where a text is cut and how its second part starts.
#[derive(Debug, Clone, Copy)]
struct Cut {
    /// Characters kept in the first part (after trimming its end).
    first_len: usize,
    /// Where the second part starts in the old text (after trimming its start).
    second_start: usize,
}

fn cut_text(text: &str, at: usize) -> (String, String, Cut) {
    let at = at.min(text::char_len(text));
    let first: String = text.chars().take(at).collect();
    let second: String = text.chars().skip(at).collect();
    let first_trimmed = first.trim_end().to_owned();
    let second_trimmed = second.trim_start().to_owned();
    let skipped = text::char_len(&second) - text::char_len(&second_trimmed);
    let cut = Cut { first_len: text::char_len(&first_trimmed), second_start: at + skipped };
    (first_trimmed, second_trimmed, cut)
}

/// Where to cut the other language's text when `text` is cut at `at`: after the
/// sentences aligned with the sentences wholly before the cut or, when the
/// alignment pairs them as one block, at the sentence end nearest the same
/// share of the text.
fn aligned_cut(text_cut: &str, other: &str, at: usize) -> usize {
    let sentences = text::sentences(text_cut);
    let other_sentences = text::sentences(other);
    let pairs = text::align_sentences(
        &sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
        &other_sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
    );
    let mut cut = 0;
    for (range, other_range) in pairs {
        let Some(last) = range.end.checked_sub(1).and_then(|index| sentences.get(index)) else {
            continue;
        };
        if last.end.0 > at {
            break;
        }
        if let Some(other_last) = other_range.end.checked_sub(1).and_then(|index| other_sentences.get(index)) {
            cut = other_last.end.0;
        }
    }
    if cut == 0 && other_sentences.len() > 1 {
        let share = at as f64 / text::char_len(text_cut).max(1) as f64;
        let wanted = share * text::char_len(other) as f64;
        cut = other_sentences[..other_sentences.len() - 1]
            .iter()
            .map(|sentence| sentence.end.0)
            .min_by(|a, b| (*a as f64 - wanted).abs().total_cmp(&(*b as f64 - wanted).abs()))
            .unwrap_or(0);
    }
    cut
}

fn column(side: Side) -> &'static str {
    match side {
        Side::Original => "original_text",
        Side::Translation => "translation_text",
    }
}

impl Store {
    fn set_text_raw(&self, excerpt_id: ExcerptId, side: Side, value: Option<&str>) -> StoreResult<()> {
        self.conn
            .prepare_cached(&format!("UPDATE excerpts SET {} = ?2 WHERE excerpt_id = ?1", column(side)))?
            .execute(params![excerpt_id, value.filter(|text| !text.is_empty())])?;
        Ok(())
    }

    fn set_status_raw(&self, excerpt_id: ExcerptId, status: TranslationStatus) -> StoreResult<()> {
        self.conn
            .prepare_cached("UPDATE excerpts SET translation_status = ?2 WHERE excerpt_id = ?1")?
            .execute(params![excerpt_id, status])?;
        Ok(())
    }

    /// Moves or trims a coding: onto `excerpt_id`, with the span and covered words.
    fn place_coding(
        &self,
        coding_id: crate::model::CodingId,
        excerpt_id: ExcerptId,
        span: CharSpan,
        covered: &str,
    ) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "UPDATE codings SET excerpt_id = ?2, start_char = ?3, end_char = ?4, covered_text = ?5
                 WHERE coding_id = ?1",
            )?
            .execute(params![coding_id, excerpt_id, span.start.0 as i64, span.end.0 as i64, covered])?;
        Ok(())
    }

    /// Copies a coding onto `excerpt_id` with another anchor (its memo stays with
    /// the original).
    fn copy_coding(
        &self,
        coding_id: crate::model::CodingId,
        excerpt_id: ExcerptId,
        anchor: CodingAnchor,
        covered: &str,
    ) -> StoreResult<()> {
        let (side, start, end) = super::codings::anchor_columns(anchor);
        self.conn
            .prepare_cached(
                "INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, side, start_char, end_char,
                     covered_text, needs_review, created_at)
                 SELECT ?2, code_id, coder_id, (SELECT source_id FROM excerpts WHERE excerpt_id = ?2), ?3, ?4, ?5,
                     ?6, needs_review, created_at
                 FROM codings WHERE coding_id = ?1",
            )?
            .execute(params![coding_id, excerpt_id, side, start, end, covered])?;
        Ok(())
    }

    /// Splits an excerpt in two at character `at` of its `side` text; the other
    /// language is cut after the sentences aligned with those before the cut. The
    /// second part follows the first in its source, with the same speaker, time
    /// and status. Codings follow their words; one across the cut becomes two, and
    /// a whole-excerpt coding is kept on both parts. Returns the second part.
    pub fn split_excerpt(&mut self, excerpt_id: ExcerptId, side: Side, at: usize) -> StoreResult<ExcerptId> {
        self.atomically(|store| {
            let excerpt = store.excerpt(excerpt_id)?;
            let Some(cut_side_text) = excerpt.text(side).map(str::to_owned) else {
                return Err(StoreError::Invalid(bilingual!(
                    "there is no text to split on that side",
                    "no hay texto que dividir en ese lado"
                )));
            };
            let at = text::snap_to_graphemes(&cut_side_text, CharSpan::new(at, at)).start.0;
            let (first, second, cut) = cut_text(&cut_side_text, at);
            if first.is_empty() || second.is_empty() {
                return Err(StoreError::Invalid(bilingual!(
                    "the cut must fall inside the text, with words on both sides",
                    "el corte debe caer dentro del texto, con palabras a ambos lados"
                )));
            }
            let other_text = excerpt.text(side.other()).map(str::to_owned);
            let other_cut = other_text.as_deref().map(|other| {
                let at = aligned_cut(&cut_side_text, other, at);
                cut_text(other, at)
            });
            // Make room right after the excerpt.
            store
                .conn
                .prepare_cached("UPDATE excerpts SET position = position + 1 WHERE source_id = ?1 AND position > ?2")?
                .execute(params![excerpt.source_id, excerpt.position])?;
            let texts = |first_part: bool| -> (Option<String>, Option<String>) {
                let mine = Some(if first_part { first.clone() } else { second.clone() });
                let other = other_cut.as_ref().map(|(a, b, _)| if first_part { a.clone() } else { b.clone() });
                match side {
                    Side::Original => (mine, other),
                    Side::Translation => (other, mine),
                }
            };
            let (second_original, second_translation) = texts(false);
            let label = if excerpt.label.is_empty() { String::new() } else { format!("{}.2", excerpt.label) };
            store
                .conn
                .prepare_cached(
                    "INSERT INTO excerpts (source_id, label, position, original_text, original_lang,
                         translation_text, translation_lang, translation_status, translation_note,
                         speaker, interviewer, time)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    excerpt.source_id,
                    label,
                    excerpt.position + 1,
                    second_original.filter(|t| !t.is_empty()),
                    excerpt.original_lang,
                    second_translation.as_deref().filter(|t| !t.is_empty()),
                    excerpt.translation_lang,
                    status_for(&second_translation, excerpt.translation_status),
                    excerpt.translation_note,
                    excerpt.speaker,
                    excerpt.interviewer,
                    excerpt.time
                ])?;
            let second_id = ExcerptId(store.conn.last_insert_rowid());
            let (first_original, first_translation) = texts(true);
            store.set_text_raw(excerpt_id, Side::Original, first_original.as_deref())?;
            store.set_text_raw(excerpt_id, Side::Translation, first_translation.as_deref())?;
            store.set_status_raw(excerpt_id, status_for(&first_translation, excerpt.translation_status))?;
            let cuts = |coded: Side| if coded == side { Some(cut) } else { other_cut.as_ref().map(|(_, _, cut)| *cut) };
            let after = store.excerpt(second_id)?;
            let before = store.excerpt(excerpt_id)?;
            for coding in store.codings_of_excerpt(excerpt_id)? {
                let CodingAnchor::Passage { side: coded, span } = coding.anchor else {
                    store.copy_coding(coding.coding_id, second_id, CodingAnchor::Whole, "")?;
                    continue;
                };
                let Some(cut) = cuts(coded) else {
                    continue;
                };
                let first_text = before.text(coded).unwrap_or_default();
                let second_text = after.text(coded).unwrap_or_default();
                let in_first = CharSpan::new(span.start.0.min(cut.first_len), span.end.0.min(cut.first_len));
                let in_second = CharSpan::new(
                    span.start.0.saturating_sub(cut.second_start),
                    span.end.0.saturating_sub(cut.second_start).min(text::char_len(second_text)),
                );
                let words = |text: &str, span: CharSpan| text::slice_chars(text, span).unwrap_or_default().to_owned();
                match (!in_first.is_empty(), !in_second.is_empty()) {
                    (true, true) => {
                        store.place_coding(coding.coding_id, excerpt_id, in_first, &words(first_text, in_first))?;
                        let anchor = CodingAnchor::Passage { side: coded, span: in_second };
                        store.copy_coding(coding.coding_id, second_id, anchor, &words(second_text, in_second))?;
                    }
                    (true, false) => {
                        store.place_coding(coding.coding_id, excerpt_id, in_first, &words(first_text, in_first))?
                    }
                    (false, true) => {
                        store.place_coding(coding.coding_id, second_id, in_second, &words(second_text, in_second))?
                    }
                    // Only the spaces at the cut were coded.
                    (false, false) => store.delete_coding(coding.coding_id)?,
                }
            }
            Ok(second_id)
        })
    }

    /// The excerpt after this one in its source, if any.
    pub fn next_excerpt(&self, excerpt_id: ExcerptId) -> StoreResult<Option<Excerpt>> {
        self.neighbour(excerpt_id, 1)
    }

    /// The excerpt just after (`direction` > 0) or before this one in its source.
    fn neighbour(&self, excerpt_id: ExcerptId, direction: i32) -> StoreResult<Option<Excerpt>> {
        let excerpt = self.excerpt(excerpt_id)?;
        let (comparison, order) = if direction > 0 { (">", "ASC") } else { ("<", "DESC") };
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {EXCERPT_COLUMNS} FROM excerpts e
                 WHERE e.source_id = ?1 AND (e.position, e.excerpt_id) {comparison} (?2, ?3)
                 ORDER BY e.position {order}, e.excerpt_id {order} LIMIT 1"
            ))?
            .query_row(params![excerpt.source_id, excerpt.position, excerpt_id], excerpt_from_row)
            .optional()?)
    }

    /// Joins an excerpt with the next one of its source: texts joined by a blank
    /// line, the next one's codings moved onto the joined words (a duplicate
    /// whole-excerpt coding dropped), memos joined. Returns the excerpt removed.
    pub fn join_with_next(&mut self, excerpt_id: ExcerptId) -> StoreResult<ExcerptId> {
        self.atomically(|store| {
            let first = store.excerpt(excerpt_id)?;
            let Some(next) = store.next_excerpt(excerpt_id)? else {
                return Err(StoreError::Invalid(bilingual!(
                    "this is the last excerpt of its source: there is none to join it with",
                    "es el último fragmento de su fuente: no hay otro con el que unirlo"
                )));
            };
            let mut shifts = [0usize; 2];
            for (slot, side) in [Side::Original, Side::Translation].into_iter().enumerate() {
                let joined = match (first.text(side), next.text(side)) {
                    (Some(a), Some(b)) => {
                        shifts[slot] = text::char_len(a) + text::char_len(JOINER);
                        Some(format!("{a}{JOINER}{b}"))
                    }
                    (Some(a), None) => Some(a.to_owned()),
                    (None, b) => b.map(str::to_owned),
                };
                store.set_text_raw(excerpt_id, side, joined.as_deref())?;
            }
            let status = joined_status(&first, &next);
            store.set_status_raw(excerpt_id, status)?;
            let kept = store.codings_of_excerpt(excerpt_id)?;
            for coding in store.codings_of_excerpt(next.excerpt_id)? {
                match coding.anchor {
                    CodingAnchor::Whole => {
                        let duplicate = kept.iter().any(|other| {
                            other.anchor == CodingAnchor::Whole
                                && other.code_id == coding.code_id
                                && other.coder_id == coding.coder_id
                        });
                        if duplicate {
                            store.delete_coding(coding.coding_id)?;
                        } else {
                            store
                                .conn
                                .prepare_cached("UPDATE codings SET excerpt_id = ?2 WHERE coding_id = ?1")?
                                .execute(params![coding.coding_id, excerpt_id])?;
                        }
                    }
                    CodingAnchor::Passage { side, span } => {
                        let shift = shifts[if side == Side::Original { 0 } else { 1 }];
                        let moved = CharSpan::new(span.start.0 + shift, span.end.0 + shift);
                        store.place_coding(coding.coding_id, excerpt_id, moved, &coding.covered_text)?;
                    }
                }
            }
            let first_memo = store.memo(crate::model::MemoTarget::Excerpt(excerpt_id))?;
            let next_memo = store.memo(crate::model::MemoTarget::Excerpt(next.excerpt_id))?;
            if !next_memo.is_empty() {
                let memo = if first_memo.is_empty() { next_memo } else { format!("{first_memo}{JOINER}{next_memo}") };
                store.set_memo(crate::model::MemoTarget::Excerpt(next.excerpt_id), "")?;
                store.set_memo(crate::model::MemoTarget::Excerpt(excerpt_id), &memo)?;
            }
            store.conn.prepare_cached("DELETE FROM excerpts WHERE excerpt_id = ?1")?.execute([next.excerpt_id])?;
            Ok(next.excerpt_id)
        })
    }

    /// Moves an excerpt one place up (`-1`) or down (`1`) within its source.
    pub fn move_excerpt(&mut self, excerpt_id: ExcerptId, direction: i32) -> StoreResult<()> {
        self.atomically(|store| {
            let excerpt = store.excerpt(excerpt_id)?;
            let Some(other) = store.neighbour(excerpt_id, direction.signum())? else {
                return Ok(());
            };
            let mut update = store.conn.prepare_cached("UPDATE excerpts SET position = ?2 WHERE excerpt_id = ?1")?;
            update.execute(params![excerpt_id, other.position])?;
            update.execute(params![other.excerpt_id, excerpt.position])?;
            Ok(())
        })
    }

    /// Moves an excerpt to the end of another source (its codings go with it, by
    /// the `excerpts_move_codings` trigger).
    pub fn move_excerpt_to_source(&mut self, excerpt_id: ExcerptId, source_id: SourceId) -> StoreResult<()> {
        self.atomically(|store| {
            store.source(source_id)?;
            store
                .conn
                .prepare_cached(
                    "UPDATE excerpts SET source_id = ?2,
                         position = (SELECT IFNULL(MAX(position), 0) + 1 FROM excerpts WHERE source_id = ?2)
                     WHERE excerpt_id = ?1",
                )?
                .execute(params![excerpt_id, source_id])?;
            Ok(())
        })
    }

    /// Deletes an excerpt with its codings and memos.
    pub fn delete_excerpt(&mut self, excerpt_id: ExcerptId) -> StoreResult<()> {
        self.forgot = true;
        let deleted = self.conn.prepare_cached("DELETE FROM excerpts WHERE excerpt_id = ?1")?.execute([excerpt_id])?;
        if deleted == 0 {
            return Err(StoreError::NotFound { kind: "excerpt", name: excerpt_id.to_string() });
        }
        Ok(())
    }

    /// Moves an excerpt's translation onto the next excerpt (`toward_next`) or the
    /// previous one, joined to the translation already there (before it, or after
    /// it); the excerpt is left without a translation. Codings on the moved
    /// words go with them. For a pairing that was off by one.
    pub fn shift_translation(&mut self, excerpt_id: ExcerptId, toward_next: bool) -> StoreResult<ExcerptId> {
        self.atomically(|store| {
            let excerpt = store.excerpt(excerpt_id)?;
            let Some(moved) = excerpt.translation.clone() else {
                return Err(StoreError::Invalid(bilingual!(
                    "this excerpt has no translation to shift",
                    "este fragmento no tiene traducción que desplazar"
                )));
            };
            if excerpt.original.is_none() {
                return Err(StoreError::Invalid(bilingual!(
                    "without its translation this excerpt would be empty: join it with its neighbour instead",
                    "sin su traducción este fragmento quedaría vacío: únalo con su vecino"
                )));
            }
            let Some(target) = store.neighbour(excerpt_id, if toward_next { 1 } else { -1 })? else {
                return Err(StoreError::Invalid(bilingual!(
                    "there is no excerpt on that side in this source",
                    "no hay ningún fragmento de ese lado en esta fuente"
                )));
            };
            let (joined, moved_shift, kept_shift) = match (&target.translation, toward_next) {
                (None, _) => (moved.clone(), 0, 0),
                (Some(there), true) => {
                    (format!("{moved}{JOINER}{there}"), 0, text::char_len(&moved) + text::char_len(JOINER))
                }
                (Some(there), false) => {
                    (format!("{there}{JOINER}{moved}"), text::char_len(there) + text::char_len(JOINER), 0)
                }
            };
            store.set_text_raw(target.excerpt_id, Side::Translation, Some(&joined))?;
            store.set_status_raw(target.excerpt_id, TranslationStatus::Draft)?;
            store.set_text_raw(excerpt_id, Side::Translation, None)?;
            store.set_status_raw(excerpt_id, TranslationStatus::Missing)?;
            for (owner, shift) in [(target.excerpt_id, kept_shift), (excerpt_id, moved_shift)] {
                for coding in store.codings_of_excerpt(owner)? {
                    let CodingAnchor::Passage { side: Side::Translation, span } = coding.anchor else {
                        continue;
                    };
                    let span = CharSpan::new(span.start.0 + shift, span.end.0 + shift);
                    store.place_coding(coding.coding_id, target.excerpt_id, span, &coding.covered_text)?;
                }
            }
            Ok(target.excerpt_id)
        })
    }
}

/// The status of a translation cut from one with `status`: missing when no text
/// is left, else the same (a draft if it was missing).
fn status_for(translation: &Option<String>, status: TranslationStatus) -> TranslationStatus {
    match translation.as_deref().filter(|text| !text.is_empty()) {
        None => TranslationStatus::Missing,
        Some(_) if status == TranslationStatus::Missing => TranslationStatus::Draft,
        Some(_) => status,
    }
}

/// The status of two translations joined: disputed if either is, reviewed if
/// both are, else a draft (missing when neither has one).
fn joined_status(first: &Excerpt, second: &Excerpt) -> TranslationStatus {
    use TranslationStatus::{Disputed, Draft, Missing, Reviewed};
    let statuses = [first.translation_status, second.translation_status];
    if first.translation.is_none() && second.translation.is_none() {
        Missing
    } else if statuses.contains(&Disputed) {
        Disputed
    } else if statuses.iter().all(|status| *status == Reviewed) {
        Reviewed
    } else {
        Draft
    }
}
