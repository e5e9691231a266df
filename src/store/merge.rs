//! Merging a coder's copy back into the project: the other copy's coders,
//! codings, new codes, memos and translation reviews, matched by UUID and then by
//! content (the same source and text; the same code name), so that nothing is
//! duplicated and merging the same copy twice adds nothing. Where both copies
//! hold a different text, definition, memo or review for the same thing, nothing
//! is overwritten: the difference is listed as a [`MergeConflict`], which
//! [`Store::take_theirs`] settles in favour of the copy when the team says so.
//!
//! The copy is attached read-only to the project's connection as the schema
//! `other` ([`Store::with_copy_attached`]), so the whole merge is a handful of
//! set-based statements, and one transaction the undo log records.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension as _, params};
use serde::Serialize;

use super::{NOW_SQL, Store, StoreError, StoreResult};
use crate::language::Text;
use crate::model::{CodeId, CodingAnchor, CodingId, ExcerptId, MemoTarget, Side, TranslationStatus};
use crate::text::CharSpan;

/// What a merge brought in, and what it left for the team to settle.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeSummary {
    /// Coders new to this project.
    pub new_coders: Vec<String>,
    /// Codes new to this project.
    pub new_codes: Vec<String>,
    /// Codings brought in.
    pub codings: usize,
    /// Memos brought in (on targets that had none here).
    pub memos: usize,
    /// Translation reviews brought in (where this project's was still a draft).
    pub reviews: usize,
    /// Code definitions filled in (where this project's was empty).
    pub definitions: usize,
    /// The copy's excerpts found here.
    pub matched_excerpts: usize,
    /// The copy's excerpts not found here; their codings were left out.
    pub unmatched_excerpts: usize,
    /// Codings left out: on an excerpt not found here, or a passage of a text
    /// that differs here.
    pub codings_left_out: usize,
    /// Differences left for the team to settle.
    pub conflicts: Vec<MergeConflict>,
}

impl MergeSummary {
    /// True when the merge brought nothing in.
    pub fn is_empty(&self) -> bool {
        self.new_coders.is_empty()
            && self.new_codes.is_empty()
            && self.codings == 0
            && self.memos == 0
            && self.reviews == 0
            && self.definitions == 0
    }
}

/// One thing both copies hold differently: this project's version was kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeConflict {
    /// What differs ("excerpt 'C1-3', original text").
    #[serde(serialize_with = "english")]
    pub what: Text,
    /// This project's version, as text.
    pub ours: String,
    /// The copy's version, as text.
    #[serde(rename = "theirs")]
    pub theirs_text: String,
    /// The copy's version, to take it with [`Store::take_theirs`].
    #[serde(skip)]
    pub theirs: Theirs,
}

fn english<S: serde::Serializer>(text: &Text, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&text.to_string())
}

/// The copy's side of a conflict, ready to replace this project's.
#[derive(Debug, Clone, PartialEq)]
pub enum Theirs {
    /// One side's text of an excerpt.
    Text {
        /// The excerpt here.
        excerpt: ExcerptId,
        /// Which text.
        side: Side,
        /// The copy's text.
        text: String,
    },
    /// The review of an excerpt's translation.
    Review {
        /// The excerpt here.
        excerpt: ExcerptId,
        /// The copy's status.
        status: TranslationStatus,
        /// The copy's note.
        note: String,
    },
    /// A code's name.
    CodeName {
        /// The code here.
        code: CodeId,
        /// The copy's name.
        name: String,
    },
    /// A code's definition.
    CodeDescription {
        /// The code here.
        code: CodeId,
        /// The copy's definition.
        description: String,
    },
    /// A memo.
    Memo {
        /// What the memo is on, here.
        target: MemoTarget,
        /// The copy's memo.
        text: String,
    },
    /// Where a coding lies, or which code it applies.
    Coding {
        /// The coding here.
        coding: CodingId,
        /// The copy's code.
        code: CodeId,
        /// The copy's anchor.
        anchor: CodingAnchor,
    },
}

/// One of the copy's codes, with its parent already placed here.
struct TheirCode<'a> {
    uuid: Option<&'a str>,
    name: &'a str,
    description: &'a str,
    color: &'a str,
    parent: Option<i64>,
    sort_order: i64,
}

/// The memo targets a merge carries, as (memo column, mapping table).
const MEMO_TARGETS: [(&str, &str); 5] = [
    ("case_id", "merge_cases"),
    ("source_id", "merge_sources"),
    ("excerpt_id", "merge_excerpts"),
    ("code_id", "merge_codes"),
    ("coding_id", "merge_codings"),
];

/// Adds the copy's codings that this project lacks: not the same coding (its
/// UUID), nor an identical one (same excerpt, code, coder and place), nor a
/// passage on a text that differs here.
///
/// `+c.coder_id` (here and in [`MATCH_PRESENT_CODINGS`]) keeps SQLite on the
/// excerpt's index: on `codings_by_coder` each coding read every earlier
/// coding of its coder and code, and merging 100,000 codings took minutes.
const ADD_MISSING_CODINGS: &str = "
    INSERT INTO main.codings (excerpt_id, code_id, coder_id, source_id, side, start_char, end_char,
                              covered_text, needs_review, created_at, uuid)
    SELECT me.our_id, mc.our_id, mk.our_id, e.source_id, o.side, o.start_char, o.end_char,
           o.covered_text, o.needs_review, o.created_at, o.uuid
    FROM other.codings o
    JOIN temp.merge_excerpts me ON me.other_id = o.excerpt_id
    JOIN temp.merge_codes mc ON mc.other_id = o.code_id
    JOIN temp.merge_coders mk ON mk.other_id = o.coder_id
    JOIN main.excerpts e ON e.excerpt_id = me.our_id
    JOIN other.excerpts oe ON oe.excerpt_id = o.excerpt_id
    WHERE NOT EXISTS (SELECT 1 FROM main.codings c WHERE c.uuid = o.uuid)
      AND NOT EXISTS (SELECT 1 FROM main.codings c
                      WHERE c.excerpt_id = me.our_id AND c.code_id = mc.our_id AND +c.coder_id = mk.our_id
                        AND c.side IS o.side AND c.start_char IS o.start_char AND c.end_char IS o.end_char)
      AND (o.side IS NULL OR (o.side = 'original' AND e.original_text IS oe.original_text)
           OR (o.side = 'translation' AND e.translation_text IS oe.translation_text))
    ORDER BY o.coding_id";

/// Map each of the copy's codings that is here now (the same UUID, or an
/// identical coding) to this project's.
const MATCH_PRESENT_CODINGS: [&str; 2] = [
    "INSERT OR IGNORE INTO temp.merge_codings (other_id, our_id)
     SELECT o.coding_id, c.coding_id FROM other.codings o JOIN main.codings c ON c.uuid = o.uuid",
    "INSERT OR IGNORE INTO temp.merge_codings (other_id, our_id)
     SELECT o.coding_id, c.coding_id FROM other.codings o
     JOIN temp.merge_excerpts me ON me.other_id = o.excerpt_id
     JOIN temp.merge_codes mc ON mc.other_id = o.code_id
     JOIN temp.merge_coders mk ON mk.other_id = o.coder_id
     JOIN main.codings c ON c.excerpt_id = me.our_id AND c.code_id = mc.our_id AND +c.coder_id = mk.our_id
          AND c.side IS o.side AND c.start_char IS o.start_char AND c.end_char IS o.end_char
     WHERE o.coding_id NOT IN (SELECT other_id FROM temp.merge_codings)",
];

impl Store {
    /// Runs `action` with the project at `other` attached read-only as the
    /// schema `other`, as [`Store::merge_attached`] needs. The copy is checked
    /// first (a Quipu project, brought up to this version's format like any
    /// project opened), and the project itself is refused. `action` runs with
    /// the large-import settings ([`Store::with_import_settings`]).
    pub fn with_copy_attached<T, E: From<StoreError>>(
        &mut self,
        other: &Path,
        action: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let theirs = other.canonicalize().map_err(|_| E::from(StoreError::Missing { path: other.to_owned() }))?;
        let ours = self.path.as_ref().and_then(|path| path.canonicalize().ok());
        if ours.as_ref() == Some(&theirs) {
            return Err(E::from(StoreError::Invalid(crate::bilingual!(
                "{}: this is the project itself; choose the copy to merge",
                "{}: es el mismo proyecto; elija la copia que quiere fusionar",
                other.display()
            ))));
        }
        drop(Store::open_read_only(&theirs).map_err(E::from)?);
        // An encrypted copy opens with the passphrase given for it; a plain one
        // with none (SQLCipher would otherwise try this project's).
        let key = super::keys::passphrase_of(&theirs).unwrap_or_default();
        self.conn
            .execute("ATTACH DATABASE ?1 AS other KEY ?2", [super::sqlite_uri(&theirs, "mode=ro"), key])
            .map_err(|error| E::from(error.into()))?;
        // A merge may bring in a million codings: it runs with the large
        // import's settings.
        let result = self.with_import_settings(true, action);
        self.conn.flush_prepared_statement_cache();
        let _detached = self.conn.execute_batch("DETACH DATABASE other");
        result
    }

    /// Brings in the work of the copy attached by [`Store::with_copy_attached`]
    /// (see the module's header). Run it inside a transaction of the caller's
    /// choice: [`Store::atomically`], [`Store::try_out`] for a dry run, or
    /// [`Store::recorded`] for one undo step.
    pub fn merge_attached(&mut self) -> StoreResult<MergeSummary> {
        let mut summary = MergeSummary::default();
        self.create_merge_tables()?;
        self.merge_copy_codes(&mut summary)?;
        self.match_material(&mut summary)?;
        self.merge_texts_and_reviews(&mut summary)?;
        self.merge_codings(&mut summary)?;
        self.merge_memos(&mut summary)?;
        Ok(summary)
    }

    /// Creates (or empties) the temporary tables that map the copy's rows to
    /// this project's.
    fn create_merge_tables(&mut self) -> StoreResult<()> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS merge_cases (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS merge_sources (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS merge_excerpts (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS merge_codes (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS merge_coders (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS merge_codings (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL);
             DELETE FROM temp.merge_cases; DELETE FROM temp.merge_sources; DELETE FROM temp.merge_excerpts;
             DELETE FROM temp.merge_codes; DELETE FROM temp.merge_coders; DELETE FROM temp.merge_codings;",
        )?;
        Ok(())
    }

    /// Matches the copy's codes (by UUID, then by name), creates the ones this
    /// project lacks under their mapped parent, fills empty definitions and lists
    /// names and definitions that differ.
    fn merge_copy_codes(&mut self, summary: &mut MergeSummary) -> StoreResult<()> {
        type OtherCode = (i64, Option<String>, String, String, String, Option<i64>, i64);
        let theirs: Vec<OtherCode> = self
            .conn
            .prepare("SELECT code_id, uuid, name, description, color, parent_id, sort_order FROM other.codes")?
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut mapped: HashMap<i64, i64> = HashMap::new();
        let mut pending: Vec<&OtherCode> = theirs.iter().collect();
        // Parents first: each pass places the codes whose parent is placed. A
        // pass that places nothing means a cycle (never written by Quipu): the
        // rest are then placed at the top level.
        let mut as_roots = false;
        while !pending.is_empty() {
            let before = pending.len();
            let mut waiting = Vec::new();
            for code in pending {
                let (other_id, uuid, name, description, color, parent, sort_order) = code;
                let our_parent = match parent.and_then(|parent| mapped.get(&parent).copied()) {
                    Some(our_parent) => Some(our_parent),
                    None if !as_roots && parent.is_some_and(|parent| theirs.iter().any(|code| code.0 == parent)) => {
                        waiting.push(code);
                        continue;
                    }
                    None => None,
                };
                let draft = TheirCode {
                    uuid: uuid.as_deref(),
                    name,
                    description,
                    color,
                    parent: our_parent,
                    sort_order: *sort_order,
                };
                let our_id = self.merge_one_code(summary, &draft)?;
                mapped.insert(*other_id, our_id);
            }
            as_roots = waiting.len() == before;
            pending = waiting;
        }
        let mut insert = self.conn.prepare_cached("INSERT INTO temp.merge_codes (other_id, our_id) VALUES (?1, ?2)")?;
        for (other_id, our_id) in mapped {
            insert.execute([other_id, our_id])?;
        }
        Ok(())
    }

    /// Matches one of the copy's codes here (by UUID, then by name), or creates
    /// it; fills an empty definition and lists a name or definition that differs.
    fn merge_one_code(&mut self, summary: &mut MergeSummary, code: &TheirCode<'_>) -> StoreResult<i64> {
        let TheirCode { uuid, name, description, color, parent: our_parent, sort_order } = *code;
        let by_uuid: Option<(i64, String, String)> = match uuid {
            Some(uuid) => self
                .conn
                .prepare_cached("SELECT code_id, name, description FROM codes WHERE uuid = ?1")?
                .query_row([uuid], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .optional()?,
            None => None,
        };
        let found = match by_uuid {
            Some(found) => Some(found),
            // The same place in the codebook (its parent, matched already), or
            // the one code of that name.
            None => self
                .matching_code(our_parent.map(CodeId), name)?
                .map(|code| (code.code_id.0, code.name, code.description)),
        };
        let our_id = match found {
            Some((our_id, our_name, our_description)) => {
                if our_name != name {
                    summary.conflicts.push(MergeConflict {
                        what: crate::bilingual!("code '{our_name}', name", "código '{our_name}', nombre"),
                        ours: our_name.to_owned(),
                        theirs_text: name.to_owned(),
                        theirs: Theirs::CodeName { code: CodeId(our_id), name: name.to_owned() },
                    });
                }
                if our_description.trim().is_empty() && !description.trim().is_empty() {
                    self.conn
                        .prepare_cached("UPDATE codes SET description = ?2 WHERE code_id = ?1")?
                        .execute(params![our_id, description])?;
                    summary.definitions += 1;
                } else if our_description != description && !description.trim().is_empty() {
                    summary.conflicts.push(MergeConflict {
                        what: crate::bilingual!("code '{our_name}', definition", "código '{our_name}', definición"),
                        ours: our_description,
                        theirs_text: description.to_owned(),
                        theirs: Theirs::CodeDescription { code: CodeId(our_id), description: description.to_owned() },
                    });
                }
                our_id
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO codes (name, description, color, parent_id, sort_order, uuid)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![name, description, color, our_parent, sort_order, uuid])?;
                summary.new_codes.push(name.to_owned());
                self.conn.last_insert_rowid()
            }
        };
        Ok(our_id)
    }

    /// Matches the copy's cases, sources and excerpts to this project's: by UUID,
    /// then by content (case name; source name in the matched case; the same
    /// texts in the matched source).
    fn match_material(&mut self, summary: &mut MergeSummary) -> StoreResult<()> {
        self.conn.execute_batch(
            "INSERT OR IGNORE INTO temp.merge_cases (other_id, our_id)
                 SELECT o.case_id, c.case_id FROM other.cases o JOIN main.cases c ON c.uuid = o.uuid;
             INSERT OR IGNORE INTO temp.merge_cases (other_id, our_id)
                 SELECT o.case_id, c.case_id FROM other.cases o JOIN main.cases c ON c.name = o.name COLLATE NOCASE
                 WHERE o.case_id NOT IN (SELECT other_id FROM temp.merge_cases)
                   AND c.case_id NOT IN (SELECT our_id FROM temp.merge_cases);
             INSERT OR IGNORE INTO temp.merge_sources (other_id, our_id)
                 SELECT o.source_id, s.source_id FROM other.sources o JOIN main.sources s ON s.uuid = o.uuid;
             INSERT OR IGNORE INTO temp.merge_sources (other_id, our_id)
                 SELECT o.source_id, s.source_id FROM other.sources o
                 JOIN temp.merge_cases mc ON mc.other_id = o.case_id
                 JOIN main.sources s ON s.case_id = mc.our_id AND s.name = o.name COLLATE NOCASE
                 WHERE o.source_id NOT IN (SELECT other_id FROM temp.merge_sources)
                   AND s.source_id NOT IN (SELECT our_id FROM temp.merge_sources);
             INSERT OR IGNORE INTO temp.merge_excerpts (other_id, our_id)
                 SELECT o.excerpt_id, e.excerpt_id FROM other.excerpts o JOIN main.excerpts e ON e.uuid = o.uuid;
             INSERT OR IGNORE INTO temp.merge_excerpts (other_id, our_id)
                 SELECT o.excerpt_id, e.excerpt_id FROM other.excerpts o
                 JOIN temp.merge_sources ms ON ms.other_id = o.source_id
                 JOIN main.excerpts e ON e.source_id = ms.our_id
                     AND e.original_text IS o.original_text AND e.translation_text IS o.translation_text
                 WHERE o.excerpt_id NOT IN (SELECT other_id FROM temp.merge_excerpts)
                   AND e.excerpt_id NOT IN (SELECT our_id FROM temp.merge_excerpts);",
        )?;
        summary.matched_excerpts =
            self.conn.query_row("SELECT count(*) FROM temp.merge_excerpts", [], |row| row.get::<_, i64>(0))? as usize;
        let total =
            self.conn.query_row("SELECT count(*) FROM other.excerpts", [], |row| row.get::<_, i64>(0))? as usize;
        summary.unmatched_excerpts = total.saturating_sub(summary.matched_excerpts);
        Ok(())
    }

    /// Lists texts that differ between matched excerpts, takes the copy's review
    /// where this project's translation (the same text) is not reviewed yet, and
    /// lists reviews that differ.
    fn merge_texts_and_reviews(&mut self, summary: &mut MergeSummary) -> StoreResult<()> {
        for (side, column) in [(Side::Original, "original_text"), (Side::Translation, "translation_text")] {
            let rows: Vec<(i64, String, Option<String>, Option<String>)> = self
                .conn
                .prepare(&format!(
                    "SELECT e.excerpt_id, e.label, e.{column}, o.{column} FROM temp.merge_excerpts m
                     JOIN main.excerpts e ON e.excerpt_id = m.our_id JOIN other.excerpts o ON o.excerpt_id = m.other_id
                     WHERE e.{column} IS NOT o.{column} ORDER BY e.excerpt_id"
                ))?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
                .collect::<Result<_, _>>()?;
            for (excerpt, label, ours, theirs) in rows {
                summary.conflicts.push(MergeConflict {
                    what: match side {
                        Side::Original => {
                            crate::bilingual!("excerpt '{label}', original", "fragmento '{label}', original")
                        }
                        Side::Translation => {
                            crate::bilingual!("excerpt '{label}', translation", "fragmento '{label}', traducción")
                        }
                    },
                    ours: ours.unwrap_or_default(),
                    theirs_text: theirs.clone().unwrap_or_default(),
                    theirs: Theirs::Text { excerpt: ExcerptId(excerpt), side, text: theirs.unwrap_or_default() },
                });
            }
        }
        summary.reviews = self.conn.execute(
            "UPDATE main.excerpts AS e SET translation_status = o.translation_status, translation_note = o.translation_note
             FROM temp.merge_excerpts m JOIN other.excerpts o ON o.excerpt_id = m.other_id
             WHERE e.excerpt_id = m.our_id AND e.translation_text IS o.translation_text
               AND o.translation_status IN ('reviewed', 'disputed') AND e.translation_status IN ('missing', 'draft')",
            [],
        )?;
        let rows: Vec<(i64, String, TranslationStatus, String, TranslationStatus, String)> = self
            .conn
            .prepare(
                "SELECT e.excerpt_id, e.label, e.translation_status, e.translation_note,
                        o.translation_status, o.translation_note
                 FROM temp.merge_excerpts m
                 JOIN main.excerpts e ON e.excerpt_id = m.our_id JOIN other.excerpts o ON o.excerpt_id = m.other_id
                 WHERE e.translation_text IS o.translation_text AND o.translation_status IN ('reviewed', 'disputed')
                   AND (e.translation_status IS NOT o.translation_status OR e.translation_note IS NOT o.translation_note)
                 ORDER BY e.excerpt_id",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))?
            .collect::<Result<_, _>>()?;
        let described = |status: TranslationStatus, note: &str| {
            if note.is_empty() { status.as_str().to_owned() } else { format!("{}: {note}", status.as_str()) }
        };
        for (excerpt, label, our_status, our_note, status, note) in rows {
            summary.conflicts.push(MergeConflict {
                what: crate::bilingual!("excerpt '{label}', review", "fragmento '{label}', revisión"),
                ours: described(our_status, &our_note),
                theirs_text: described(status, &note),
                theirs: Theirs::Review { excerpt: ExcerptId(excerpt), status, note },
            });
        }
        Ok(())
    }

    /// Brings in the copy's coders and the codings this project lacks: not the
    /// same coding (its UUID), nor an identical one (same excerpt, code, coder
    /// and place). A passage on a text that differs here is left out; a coding
    /// both copies hold in different places is listed.
    fn merge_codings(&mut self, summary: &mut MergeSummary) -> StoreResult<()> {
        summary.new_coders = self
            .conn
            .prepare(
                "SELECT name FROM other.coders WHERE coder_id IN (SELECT coder_id FROM other.codings)
                   AND name NOT IN (SELECT name FROM main.coders) ORDER BY name",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        self.conn.execute_batch(
            "INSERT OR IGNORE INTO main.coders (name)
                 SELECT name FROM other.coders WHERE coder_id IN (SELECT coder_id FROM other.codings);
             INSERT INTO temp.merge_coders (other_id, our_id)
                 SELECT o.coder_id, c.coder_id FROM other.coders o JOIN main.coders c ON c.name = o.name COLLATE NOCASE;",
        )?;
        // The same coding, changed in one copy: listed, never overwritten.
        type Moved = (i64, String, String, String, i64, Option<Side>, Option<i64>, Option<i64>, String);
        let moved: Vec<Moved> = self
            .conn
            .prepare(
                "SELECT c.coding_id, e.label, oc.name, o.covered_text, mc.our_id, o.side, o.start_char, o.end_char,
                        c.covered_text
                 FROM other.codings o JOIN main.codings c ON c.uuid = o.uuid
                 JOIN temp.merge_codes mc ON mc.other_id = o.code_id
                 JOIN temp.merge_excerpts me ON me.other_id = o.excerpt_id AND me.our_id = c.excerpt_id
                 JOIN main.excerpts e ON e.excerpt_id = c.excerpt_id
                 JOIN other.codes oc ON oc.code_id = o.code_id
                 WHERE c.code_id IS NOT mc.our_id OR c.side IS NOT o.side
                    OR c.start_char IS NOT o.start_char OR c.end_char IS NOT o.end_char
                 ORDER BY c.coding_id",
            )?
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
                    row.get(8)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (coding, label, code_name, covered, code, side, start, end, our_covered) in moved {
            let anchor = match (side, start, end) {
                (Some(side), Some(start), Some(end)) => {
                    CodingAnchor::Passage { side, span: CharSpan::new(start.max(0) as usize, end.max(0) as usize) }
                }
                _ => CodingAnchor::Whole,
            };
            let whole = |text: &str| if text.is_empty() { "(whole excerpt)".to_owned() } else { text.to_owned() };
            summary.conflicts.push(MergeConflict {
                what: crate::bilingual!("excerpt '{label}', a coding", "fragmento '{label}', una codificación"),
                ours: whole(&our_covered),
                theirs_text: format!("{code_name}: {}", whole(&covered)),
                theirs: Theirs::Coding { coding: CodingId(coding), code: CodeId(code), anchor },
            });
        }
        // Only rows are added: the running counts and pairs are counted once
        // for the sources that gained codings, not recounted per coding.
        summary.codings = self
            .with_bulk_indexing(|store| -> StoreResult<usize> { Ok(store.conn.execute(ADD_MISSING_CODINGS, [])?) })?;
        for statement in MATCH_PRESENT_CODINGS {
            self.conn.execute(statement, [])?;
        }
        let present =
            self.conn.query_row("SELECT count(*) FROM temp.merge_codings", [], |row| row.get::<_, i64>(0))? as usize;
        let total = self.conn.query_row("SELECT count(*) FROM other.codings", [], |row| row.get::<_, i64>(0))? as usize;
        summary.codings_left_out = total.saturating_sub(present);
        Ok(())
    }

    /// Brings in memos on targets that have none here, and lists the ones that
    /// differ.
    fn merge_memos(&mut self, summary: &mut MergeSummary) -> StoreResult<()> {
        // The project memo.
        let theirs: Option<String> = self
            .conn
            .query_row(
                "SELECT text FROM other.memos WHERE case_id IS NULL AND source_id IS NULL AND excerpt_id IS NULL
                   AND code_id IS NULL AND coding_id IS NULL",
                [],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(theirs) = theirs {
            self.take_memo(summary, MemoTarget::Project, None, theirs, None)?;
        }
        for (column, mapping) in MEMO_TARGETS {
            let rows: Vec<(i64, String, Option<String>)> = self
                .conn
                .prepare(&format!(
                    "SELECT m.our_id, o.text, o.updated_at FROM other.memos o
                     JOIN temp.{mapping} m ON m.other_id = o.{column} ORDER BY m.our_id"
                ))?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (our_id, text, updated_at) in rows {
                let target = match column {
                    "case_id" => MemoTarget::Case(crate::model::CaseId(our_id)),
                    "source_id" => MemoTarget::Source(crate::model::SourceId(our_id)),
                    "excerpt_id" => MemoTarget::Excerpt(ExcerptId(our_id)),
                    "code_id" => MemoTarget::Code(CodeId(our_id)),
                    _ => MemoTarget::Coding(CodingId(our_id)),
                };
                self.take_memo(summary, target, Some((column, our_id)), text, updated_at)?;
            }
        }
        Ok(())
    }

    /// Writes the copy's memo on `target` if it has none here, or lists it.
    fn take_memo(
        &mut self,
        summary: &mut MergeSummary,
        target: MemoTarget,
        column: Option<(&str, i64)>,
        theirs: String,
        updated_at: Option<String>,
    ) -> StoreResult<()> {
        let ours = self.memo(target)?;
        if ours == theirs || theirs.trim().is_empty() {
            return Ok(());
        }
        if ours.is_empty() {
            match column {
                Some((column, id)) => self
                    .conn
                    .prepare_cached(&format!(
                        "INSERT INTO main.memos ({column}, text, updated_at) VALUES (?1, ?2, IFNULL(?3, {NOW_SQL}))"
                    ))?
                    .execute(params![id, theirs, updated_at])?,
                None => self
                    .conn
                    .prepare_cached(&format!(
                        "INSERT INTO main.memos (text, updated_at) VALUES (?1, IFNULL(?2, {NOW_SQL}))"
                    ))?
                    .execute(params![theirs, updated_at])?,
            };
            summary.memos += 1;
            return Ok(());
        }
        let what = self.memo_target_name(target)?;
        summary.conflicts.push(MergeConflict {
            what,
            ours,
            theirs_text: theirs.clone(),
            theirs: Theirs::Memo { target, text: theirs },
        });
        Ok(())
    }

    /// Names a memo's target for a conflict list.
    fn memo_target_name(&self, target: MemoTarget) -> StoreResult<Text> {
        let name = |sql: &str, id: i64| -> StoreResult<String> {
            Ok(self.conn.prepare_cached(sql)?.query_row([id], |row| row.get(0)).optional()?.unwrap_or_default())
        };
        Ok(match target {
            MemoTarget::Project => crate::bilingual!("project memo", "memo del proyecto"),
            MemoTarget::Case(id) => {
                let case = name("SELECT name FROM cases WHERE case_id = ?1", id.0)?;
                crate::bilingual!("case '{case}', memo", "caso '{case}', memo")
            }
            MemoTarget::Source(id) => {
                let source = name("SELECT name FROM sources WHERE source_id = ?1", id.0)?;
                crate::bilingual!("source '{source}', memo", "fuente '{source}', memo")
            }
            MemoTarget::Excerpt(id) => {
                let label = name("SELECT label FROM excerpts WHERE excerpt_id = ?1", id.0)?;
                crate::bilingual!("excerpt '{label}', memo", "fragmento '{label}', memo")
            }
            MemoTarget::Code(id) => {
                let code = name("SELECT name FROM codes WHERE code_id = ?1", id.0)?;
                crate::bilingual!("code '{code}', memo", "código '{code}', memo")
            }
            MemoTarget::Coding(id) => {
                let label = name(
                    "SELECT e.label FROM codings c JOIN excerpts e USING (excerpt_id) WHERE c.coding_id = ?1",
                    id.0,
                )?;
                crate::bilingual!("excerpt '{label}', a coding's memo", "fragmento '{label}', memo de una codificación")
            }
        })
    }

    /// Settles a conflict in favour of the copy: its version replaces this
    /// project's, as one action (undoable in the window).
    pub fn take_theirs(&mut self, theirs: &Theirs) -> StoreResult<()> {
        self.atomically(|store| match theirs {
            Theirs::Text { excerpt, side, text } => store.set_excerpt_text(*excerpt, *side, text).map(|_| ()),
            Theirs::Review { excerpt, status, note } => store.set_translation_status(*excerpt, *status, note),
            Theirs::CodeName { code, name } => store.rename_code(*code, name),
            Theirs::CodeDescription { code, description } => store.set_code_description(*code, description),
            Theirs::Memo { target, text } => store.set_memo(*target, text),
            Theirs::Coding { coding, code, anchor } => {
                let (side, start, end) = super::codings::anchor_columns(*anchor);
                let covered = match anchor {
                    CodingAnchor::Whole => String::new(),
                    CodingAnchor::Passage { side, span } => {
                        let excerpt = store.coding(*coding)?.excerpt_id;
                        store
                            .excerpt(excerpt)?
                            .text(*side)
                            .and_then(|text| crate::text::slice_chars(text, *span).map(str::to_owned))
                            .unwrap_or_default()
                    }
                };
                store
                    .conn
                    .prepare_cached(
                        "UPDATE codings SET code_id = ?2, side = ?3, start_char = ?4, end_char = ?5, covered_text = ?6
                         WHERE coding_id = ?1",
                    )?
                    .execute(params![coding, code, side, start, end, covered])?;
                Ok(())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CopyOptions;

    /// The plan SQLite chooses for `sql`, one line per step.
    fn plan(store: &Store, sql: &str) -> String {
        let mut statement = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let steps: Vec<String> =
            statement.query_map([], |row| row.get::<_, String>(3)).unwrap().collect::<Result<_, _>>().unwrap();
        steps.join("\n")
    }

    #[test]
    fn a_merge_looks_codings_up_by_their_excerpt_not_by_their_coder() {
        let dir = tempfile::tempdir().unwrap();
        let (project, copy) = (dir.path().join("campo.quipu"), dir.path().join("copia.quipu"));
        let mut store = Store::create(&project).unwrap();
        store.add_default_codebook().unwrap();
        store.save_copy_with(&copy, CopyOptions { without_codings: true, without_memos: false }).unwrap();
        let plans = store
            .with_copy_attached(&copy, |store| -> StoreResult<Vec<String>> {
                store.create_merge_tables()?;
                Ok([ADD_MISSING_CODINGS, MATCH_PRESENT_CODINGS[1]].map(|sql| plan(store, sql)).to_vec())
            })
            .unwrap();
        for plan in plans {
            assert!(plan.contains("codings_by_excerpt (excerpt_id=? AND code_id=?)"), "{plan}");
            assert!(!plan.contains("codings_by_coder"), "{plan}");
        }
    }
}
