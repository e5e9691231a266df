//! Writing a parsed import (rows of excerpts with their case, source and codes)
//! into the project in one transaction with prepared statements.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{NOW_SQL, Store, StoreError, StoreResult};
use crate::model::{CaseId, CodeId, Color, ExcerptDraft, SourceDraft, SourceId, code_key};

/// One excerpt to import, with where it belongs and how it is coded.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// Where the row came from (the spreadsheet row number), for messages.
    pub row_number: usize,
    /// The case's name; created if new.
    pub case_name: String,
    /// The source; created if its case has no source of this name.
    pub source: SourceDraft,
    /// The excerpt itself (normalised texts).
    pub excerpt: ExcerptDraft,
    /// Names of codes applied to the whole excerpt; unknown codes are created.
    pub codes: Vec<String>,
    /// A memo on the excerpt, or empty.
    pub memo: String,
}

/// A whole parsed import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportBatch {
    /// The rows, in file order.
    pub rows: Vec<ImportRow>,
    /// Code names in the file the person chose to read as an existing code.
    pub code_choices: Vec<(String, CodeId)>,
}

/// What an import added (or, in a dry run, would add).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Excerpts added.
    pub excerpts: usize,
    /// Codings added.
    pub codings: usize,
    /// Names of cases created.
    pub new_cases: Vec<String>,
    /// Number of sources created.
    pub new_sources: usize,
    /// Names of codes created.
    pub new_codes: Vec<String>,
    /// Code names in the file read as existing codes: (as written, the code).
    pub matched_codes: Vec<(String, String)>,
    /// True when nothing was written (a dry run).
    pub dry_run: bool,
    /// Rows of the file (by number) with fewer cells than its header, their
    /// missing last cells read as empty. Filled by the file's reader, not here.
    pub short_rows: Vec<usize>,
}

/// The page cache of a large import, in SQLite's negative-means-KiB form:
/// 64 MiB, the codings' indexes of a million codings.
const IMPORT_CACHE_SIZE: i64 = -65_536;

impl Store {
    /// Imports `batch` in one transaction, coding as `coder_name`. Any failure
    /// leaves the project exactly as it was. With `dry_run`, the work is done and
    /// then rolled back, so the summary is exactly what a real import would do.
    pub fn import_batch(&mut self, batch: &ImportBatch, coder_name: &str, dry_run: bool) -> StoreResult<ImportSummary> {
        self.import_batch_with_progress(batch, coder_name, dry_run, &mut |_, _| true)
    }

    /// Like [`Store::import_batch`], calling `progress(rows done, rows in all)` as it
    /// goes; when `progress` returns false the import stops and nothing is written
    /// ([`StoreError::Cancelled`]).
    pub fn import_batch_with_progress(
        &mut self,
        batch: &ImportBatch,
        coder_name: &str,
        dry_run: bool,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> StoreResult<ImportSummary> {
        let summary = self.with_import_settings(batch.rows.len() > 1_000, |store| {
            if dry_run {
                store.try_out(|store| store.with_bulk_indexing(|store| store.import_rows(batch, coder_name, progress)))
            } else {
                store.atomically(|store| {
                    store.with_bulk_indexing(|store| store.import_rows(batch, coder_name, progress))
                })
            }
        });
        Ok(ImportSummary { dry_run, ..summary? })
    }

    /// Runs a large import (`large`) with the settings it needs, restored after:
    /// a 64 MB page cache, since a large import touches every page of the
    /// codings' indexes many times and with SQLite's default 2 MB cache each
    /// touch would write the page out to the log again; and, outside a
    /// transaction, no foreign-key checks, since every row an import writes
    /// points at rows it has just found or made, so checking each reference
    /// again (four lookups per coding) buys nothing. (The setting can change
    /// only outside a transaction; inside one, the checks stay on.)
    pub fn with_import_settings<T, E: From<StoreError>>(
        &mut self,
        large: bool,
        work: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        if !large {
            return work(self);
        }
        let cache_size: i64 =
            self.conn.query_row("PRAGMA cache_size", [], |row| row.get(0)).map_err(StoreError::from)?;
        self.conn.pragma_update(None, "cache_size", IMPORT_CACHE_SIZE).map_err(StoreError::from)?;
        let checking = self.conn.is_autocommit();
        if checking {
            self.conn.pragma_update(None, "foreign_keys", false).map_err(StoreError::from)?;
        }
        let result = work(self);
        let restored = (|| -> StoreResult<()> {
            self.conn.pragma_update(None, "cache_size", cache_size)?;
            if checking {
                self.conn.pragma_update(None, "foreign_keys", true)?;
            }
            Ok(())
        })();
        crate::memory::give_back_freed();
        let result = result?;
        restored?;
        Ok(result)
    }

    fn import_rows(
        &mut self,
        batch: &ImportBatch,
        coder_name: &str,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> StoreResult<ImportSummary> {
        let mut summary = ImportSummary::default();
        // New codes must not take the number keys of the codes already there.
        self.freeze_code_keys()?;
        let coder_id = self.ensure_coder(coder_name)?;
        let mut cases: HashMap<String, CaseId> = HashMap::new();
        let mut sources: HashMap<(CaseId, String), SourceState> = HashMap::new();
        // Codes are matched without case, accents or `_`/`-` (see `code_key`); a
        // value the person mapped to a code goes to that code.
        // A code is found by its path (`Parent/Child`) or by its name; a name
        // several codes share finds the one at the top level, or none.
        let existing = self.codes()?;
        let mut code_count = existing.len();
        let paths = crate::model::code_paths(&existing, "/");
        let mut codes: HashMap<String, (CodeId, String)> = HashMap::new();
        let mut shared: HashMap<String, Vec<String>> = HashMap::new();
        for code in &existing {
            shared.entry(code_key(&code.name)).or_default().push(paths[&code.code_id].clone());
        }
        for code in existing.into_iter().rev() {
            let key = code_key(&code.name);
            if shared[&key].len() == 1 || code.parent_id.is_none() {
                codes.insert(key.clone(), (code.code_id, code.name.clone()));
            }
            codes.insert(code_key(&paths[&code.code_id]), (code.code_id, code.name));
        }
        for (value, code_id) in &batch.code_choices {
            let name = self.code(*code_id)?.name;
            codes.insert(code_key(value), (*code_id, name));
        }
        let mut matched: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();

        let conn = &self.conn;
        // Rows get their UUIDs here, in ascending order (see `UuidSequence`),
        // so no trigger has to give each one afterwards.
        let mut uuids = super::identity::UuidSequence::start(conn)?;
        let mut find_case = conn.prepare_cached("SELECT case_id FROM cases WHERE name = ?1")?;
        let mut insert_case = conn.prepare_cached("INSERT INTO cases (name, uuid) VALUES (?1, ?2)")?;
        let mut find_source = conn.prepare_cached(
            "SELECT s.source_id, (SELECT IFNULL(MAX(position), 0) FROM excerpts WHERE source_id = s.source_id),
                    s.speaker <> '', s.role <> '', s.place <> '', s.date <> '', s.interviewer <> ''
             FROM sources s WHERE s.case_id = ?1 AND s.name = ?2",
        )?;
        let mut insert_source = conn.prepare_cached(
            "INSERT INTO sources (case_id, name, speaker, role, place, date, interviewer, description, uuid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut fill_source = conn.prepare_cached(
            "UPDATE sources SET speaker = IIF(speaker = '', ?2, speaker), role = IIF(role = '', ?3, role),
                 place = IIF(place = '', ?4, place), date = IIF(date = '', ?5, date),
                 interviewer = IIF(interviewer = '', ?6, interviewer)
             WHERE source_id = ?1",
        )?;
        let mut insert_excerpt = conn.prepare_cached(
            "INSERT INTO excerpts (source_id, label, position, original_text, original_lang,
                 translation_text, translation_lang, translation_status, translation_note,
                 speaker, interviewer, time, uuid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut insert_code = conn.prepare_cached(
            "INSERT INTO codes (name, color, sort_order, uuid)
             VALUES (?1, ?2, (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM codes WHERE parent_id IS NULL), ?3)",
        )?;
        let now: String = conn.query_row(&format!("SELECT {NOW_SQL}"), [], |row| row.get(0))?;
        let mut insert_coding = conn.prepare_cached(
            "INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, created_at, uuid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut insert_memo = conn
            .prepare_cached(&format!("INSERT INTO memos (excerpt_id, text, updated_at) VALUES (?1, ?2, {NOW_SQL})"))?;

        let mut resolved: HashMap<&str, CodeId> = HashMap::new();
        let total = batch.rows.len();
        for (done, row) in batch.rows.iter().enumerate() {
            if done % 512 == 0 && !progress(done, total) {
                return Err(StoreError::Cancelled);
            }
            // A row the rules refuse is named; a failure of the file itself (a
            // full disk, another writer) is not the row's fault and says so.
            let at_row = |error: rusqlite::Error| match error.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) | None => {
                    StoreError::Invalid(crate::bilingual!("row {}: {error}", "fila {}: {error}", row.row_number))
                }
                Some(_) => StoreError::Sqlite(error),
            };
            let case_key = row.case_name.to_lowercase();
            let case_id = match cases.get(&case_key) {
                Some(case_id) => *case_id,
                None => {
                    let case_id = match find_case.query_row([&row.case_name], |r| r.get(0)).optional()? {
                        Some(case_id) => case_id,
                        None => {
                            insert_case.execute(params![row.case_name, uuids.next_uuid()]).map_err(at_row)?;
                            summary.new_cases.push(row.case_name.clone());
                            CaseId(conn.last_insert_rowid())
                        }
                    };
                    cases.insert(case_key, case_id);
                    case_id
                }
            };
            let draft = &row.source;
            let source_key = (case_id, draft.name.to_lowercase());
            let source = match sources.entry(source_key) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let found = find_source
                        .query_row(params![case_id, draft.name], |r| {
                            Ok(SourceState {
                                source_id: r.get(0)?,
                                last_position: r.get(1)?,
                                filled: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                            })
                        })
                        .optional()?;
                    let state = match found {
                        Some(state) => state,
                        None => {
                            insert_source
                                .execute(params![
                                    case_id,
                                    draft.name,
                                    draft.speaker,
                                    draft.role,
                                    draft.place,
                                    draft.date,
                                    draft.interviewer,
                                    draft.description,
                                    uuids.next_uuid()
                                ])
                                .map_err(at_row)?;
                            summary.new_sources += 1;
                            SourceState {
                                source_id: SourceId(conn.last_insert_rowid()),
                                last_position: 0,
                                filled: SourceState::filled_by(draft),
                            }
                        }
                    };
                    entry.insert(state)
                }
            };
            // A later row fills in what the source still lacks; rows that add
            // nothing cost no statement.
            let offered = SourceState::filled_by(draft);
            if offered.iter().zip(source.filled).any(|(offered, filled)| *offered && !filled) {
                fill_source
                    .execute(params![
                        source.source_id,
                        draft.speaker,
                        draft.role,
                        draft.place,
                        draft.date,
                        draft.interviewer
                    ])
                    .map_err(at_row)?;
                for (filled, offered) in source.filled.iter_mut().zip(offered) {
                    *filled |= offered;
                }
            }
            source.last_position += 1;
            let source_id = source.source_id;
            let position = source.last_position;
            let excerpt: &ExcerptDraft = &row.excerpt;
            insert_excerpt
                .execute(params![
                    source_id,
                    excerpt.label,
                    position,
                    excerpt.original,
                    excerpt.original_lang,
                    excerpt.translation,
                    excerpt.translation_lang,
                    excerpt.translation_status,
                    excerpt.translation_note,
                    excerpt.speaker,
                    excerpt.interviewer,
                    excerpt.time,
                    uuids.next_uuid()
                ])
                .map_err(at_row)?;
            let excerpt_id = conn.last_insert_rowid();
            summary.excerpts += 1;
            if !row.memo.trim().is_empty() {
                insert_memo.execute(params![excerpt_id, row.memo]).map_err(at_row)?;
            }
            for code_name in &row.codes {
                // A name once resolved is not folded and looked up again.
                if let Some(&code_id) = resolved.get(code_name.as_str()) {
                    insert_coding
                        .execute(params![excerpt_id, code_id, coder_id, source_id, now, uuids.next_uuid()])
                        .map_err(at_row)?;
                    summary.codings += 1;
                    continue;
                }
                let key = code_key(code_name);
                let code_id = match codes.get(&key) {
                    Some((code_id, existing_name)) => {
                        if !summary.new_codes.contains(existing_name) {
                            matched.insert((code_name.clone(), existing_name.clone()));
                        }
                        *code_id
                    }
                    None if shared.get(&key).is_some_and(|paths| paths.len() > 1) => {
                        let listed = shared[&key].join(", ");
                        return Err(StoreError::Invalid(crate::bilingual!(
                            "row {}, column 'codes': several codes are named '{code_name}' ({listed}); write the path of one",
                            "fila {}, columna 'codes': varios códigos se llaman '{code_name}' ({listed}); escriba la ruta de uno",
                            row.row_number
                        )));
                    }
                    None => {
                        insert_code
                            .execute(params![code_name, Color::from_palette(code_count), uuids.next_uuid()])
                            .map_err(at_row)?;
                        code_count += 1;
                        summary.new_codes.push(code_name.clone());
                        let code_id = CodeId(conn.last_insert_rowid());
                        codes.insert(key, (code_id, code_name.clone()));
                        code_id
                    }
                };
                resolved.insert(code_name.as_str(), code_id);
                insert_coding
                    .execute(params![excerpt_id, code_id, coder_id, source_id, now, uuids.next_uuid()])
                    .map_err(at_row)?;
                summary.codings += 1;
            }
        }
        summary.matched_codes = matched.into_iter().collect();
        Ok(summary)
    }

    /// Runs `write`, which may add rows (and change the rows it added) but not
    /// change or delete what was there, with the triggers that index excerpts
    /// for search, give new excerpts and codings a UUID and count codings set
    /// aside. Afterwards it indexes the excerpts added, counts the codings of
    /// the sources they were added to, and gives a UUID to any new row still
    /// without one, each in one pass, and puts the triggers back.
    ///
    /// Each firing of the search trigger opened a statement savepoint, which
    /// flushed the full-text index to disk and merged its segments again: most
    /// of a large import's time. Only inside a transaction, which undoes all of
    /// it on failure.
    pub(crate) fn with_bulk_indexing<T, E: From<StoreError>>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let prepared = (|| -> StoreResult<SetAside> {
            let set_aside: Vec<(String, String)> = self
                .conn
                .prepare(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'trigger' AND tbl_name IN ('excerpts', 'codings')
                       AND (name LIKE 'excerpts_search_%' OR name LIKE 'codings_tally_%' OR name LIKE 'codings_pairs_%'
                            OR name IN ('excerpts_uuid', 'codings_uuid'))",
                )?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let last_excerpt: i64 =
                self.conn.query_row("SELECT IFNULL(MAX(excerpt_id), 0) FROM excerpts", [], |row| row.get(0))?;
            let last_coding: i64 =
                self.conn.query_row("SELECT IFNULL(MAX(coding_id), 0) FROM codings", [], |row| row.get(0))?;
            for (name, _) in &set_aside {
                self.conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            }
            Ok(SetAside { triggers: set_aside, last_excerpt, last_coding })
        })();
        let SetAside { triggers: set_aside, last_excerpt, last_coding } = prepared.map_err(E::from)?;
        let written = write(self);
        let finished = (|| -> StoreResult<()> {
            if written.is_ok() {
                self.finish_bulk_indexing(last_excerpt, last_coding)?;
            }
            for (_, sql) in &set_aside {
                self.conn.execute_batch(sql)?;
            }
            Ok(())
        })();
        let written = written?;
        finished.map_err(E::from)?;
        Ok(written)
    }

    /// The work the set-aside triggers would have done for the excerpts after
    /// `last_excerpt` and the codings after `last_coding`, in one pass each.
    fn finish_bulk_indexing(&mut self, last_excerpt: i64, last_coding: i64) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO excerpt_search (rowid, original_text, translation_text)
             SELECT excerpt_id, original_text, translation_text FROM excerpts WHERE excerpt_id > ?1",
            [last_excerpt],
        )?;
        // The running counts of every source that gained codings, counted afresh.
        self.conn.execute_batch(&format!(
            "CREATE TEMP TABLE quipu_touched_sources AS
                 SELECT DISTINCT source_id FROM codings WHERE coding_id > {last_coding};
             DELETE FROM code_tallies WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources);
             INSERT INTO code_tallies (source_id, code_id, codings, excerpts)
                 SELECT source_id, code_id, COUNT(*), COUNT(DISTINCT excerpt_id) FROM codings
                 WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources)
                 GROUP BY source_id, code_id;
             DELETE FROM code_pairs WHERE source_id IN (SELECT source_id FROM temp.quipu_touched_sources);"
        ))?;
        self.recount_pairs()?;
        self.conn.execute_batch("DROP TABLE temp.quipu_touched_sources;")?;
        // Rows that came without an identity (a file that named none) get one.
        let mut uuids = super::identity::UuidSequence::start(&self.conn)?;
        for (table, key, after) in [("excerpts", "excerpt_id", last_excerpt), ("codings", "coding_id", last_coding)] {
            let missing: Vec<i64> = self
                .conn
                .prepare(&format!("SELECT {key} FROM {table} WHERE {key} > ?1 AND uuid IS NULL"))?
                .query_map([after], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let mut give = self.conn.prepare(&format!("UPDATE {table} SET uuid = ?1 WHERE {key} = ?2"))?;
            for id in missing {
                give.execute(params![uuids.next_uuid(), id])?;
            }
        }
        Ok(())
    }
}

/// The triggers a bulk write set aside (name, SQL to create it again), and
/// the last excerpt and coding before it.
struct SetAside {
    triggers: Vec<(String, String)>,
    last_excerpt: i64,
    last_coding: i64,
}

/// What an import knows of a source while it writes: where its next excerpt
/// goes, and which of its details are already set.
struct SourceState {
    source_id: SourceId,
    /// The last excerpt's position.
    last_position: i64,
    /// Whether speaker, role, place, date and interviewer are set.
    filled: [bool; 5],
}

impl SourceState {
    /// Which details a row's source offers.
    fn filled_by(draft: &SourceDraft) -> [bool; 5] {
        [
            !draft.speaker.is_empty(),
            !draft.role.is_empty(),
            !draft.place.is_empty(),
            !draft.date.is_empty(),
            !draft.interviewer.is_empty(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExcerptDraft;

    #[test]
    fn a_full_disk_is_said_plainly_naming_the_file_and_the_project_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("campo.quipu");
        let mut store = Store::create(&path).unwrap();
        store.add_case("Cerro Alto", "").unwrap();
        let before = store.dump().unwrap();
        let triggers = |store: &Store| -> Vec<String> {
            let mut statement =
                store.conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").unwrap();
            statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
        };
        let triggers_before = triggers(&store);
        // The file may not grow: as on a full disk, the next page cannot be written.
        let pages: i64 = store.conn.query_row("PRAGMA page_count", [], |row| row.get(0)).unwrap();
        store.conn.pragma_update(None, "max_page_count", pages).unwrap();
        let long = "La policía llegó de madrugada y nadie nos avisó. ".repeat(200);
        let rows = (1..=200)
            .map(|n| ImportRow {
                row_number: n + 1,
                case_name: "Cerro Alto".into(),
                source: SourceDraft { name: format!("Entrevista {n}"), ..SourceDraft::default() },
                excerpt: ExcerptDraft { original: Some(long.clone()), ..ExcerptDraft::default() },
                codes: vec!["Trust".into()],
                memo: String::new(),
            })
            .collect();
        let batch = ImportBatch { rows, code_choices: Vec::new() };
        let error = store.import_batch(&batch, "Ana", false).unwrap_err().about_file(&path);
        let message = error.to_string();
        assert!(message.starts_with(&format!("{}: the disk is full", path.display())), "{message}");
        assert!(!message.contains("savepoint"), "{message}");
        assert_eq!(store.dump().unwrap(), before, "nothing of the import stayed");
        assert_eq!(triggers(&store), triggers_before, "the triggers set aside for the import are back");
    }
}
