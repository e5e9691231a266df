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
        let total = batch.rows.len();
        let options =
            ImportOptions { coder: coder_name, dry_run, code_choices: &batch.code_choices, large: total > 1_000 };
        self.import_stream(batch.rows.iter().map(Ok::<_, StoreError>), options, &mut |done| progress(done, total))
    }

    /// Imports rows as a reader yields them, in one transaction, so a large
    /// file's rows never need to be held all at once. A reader's error stops
    /// the import and comes back as it was; like any failure it leaves the
    /// project exactly as it was. `progress(rows done)` is called as it goes;
    /// when it returns false the import stops and nothing is written
    /// ([`StoreError::Cancelled`]).
    pub fn import_stream<R, E>(
        &mut self,
        rows: impl IntoIterator<Item = Result<R, E>>,
        options: ImportOptions<'_>,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportSummary, E>
    where
        R: std::borrow::Borrow<ImportRow>,
        E: From<StoreError>,
    {
        let ImportOptions { coder, dry_run, code_choices, large } = options;
        let rows = rows.into_iter();
        let summary = self.with_import_settings(large, |store| {
            let import = |store: &mut Store| {
                store.with_bulk_indexing(|store| store.import_rows(rows, code_choices, coder, progress))
            };
            if dry_run { store.try_out(import) } else { store.atomically(import) }
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

    /// Writes each row as it comes (see [`RowWriter`]), checking `progress`
    /// every 512 rows.
    fn import_rows<R: std::borrow::Borrow<ImportRow>, E: From<StoreError>>(
        &mut self,
        rows: impl Iterator<Item = Result<R, E>>,
        code_choices: &[(String, CodeId)],
        coder_name: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportSummary, E> {
        let known = self.known_codes(code_choices, coder_name)?;
        let mut writer = RowWriter::prepare(&self.conn, known)?;
        for (done, row) in rows.enumerate() {
            if done % 512 == 0 && !progress(done) {
                return Err(E::from(StoreError::Cancelled));
            }
            writer.write(row?.borrow())?;
        }
        Ok(writer.finish())
    }

    /// What an import needs to know before its first row: the coder, and how
    /// the project's codes are found by name or path.
    fn known_codes(&mut self, code_choices: &[(String, CodeId)], coder_name: &str) -> StoreResult<KnownCodes> {
        // New codes must not take the number keys of the codes already there.
        self.freeze_code_keys()?;
        let coder_id = self.ensure_coder(coder_name)?;
        // Codes are matched without case, accents or `_`/`-` (see `code_key`); a
        // value the person mapped to a code goes to that code.
        // A code is found by its path (`Parent/Child`) or by its name; a name
        // several codes share finds the one at the top level, or none.
        let existing = self.codes()?;
        let code_count = existing.len();
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
        for (value, code_id) in code_choices {
            let name = self.code(*code_id)?.name;
            codes.insert(code_key(value), (*code_id, name));
        }
        Ok(KnownCodes { coder_id, codes, shared, code_count })
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
                .prepare(&format!(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'trigger' AND tbl_name IN ('excerpts', 'codings')
                       AND (name LIKE 'excerpts_search_%' OR {} OR name IN ('excerpts_uuid', 'codings_uuid'))",
                    super::counts::RUNNING_COUNT_TRIGGERS
                ))?
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
        self.recount_sources(&format!("SELECT DISTINCT source_id FROM codings WHERE coding_id > {last_coding}"))?;
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

/// A row the rules refuse is named; a failure of the file itself (a full
/// disk, another writer) is not the row's fault and says so.
fn row_error(row_number: usize, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) | None => {
            StoreError::Invalid(crate::bilingual!("row {row_number}: {error}", "fila {row_number}: {error}"))
        }
        Some(_) => StoreError::Sqlite(error),
    }
}

/// How an import from a reader runs ([`Store::import_stream`]).
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// The coder the rows' codings are made by (created if new).
    pub coder: &'a str,
    /// Do the work, then roll it back: the summary says what an import would do.
    pub dry_run: bool,
    /// Code names in the file the person chose to read as an existing code.
    pub code_choices: &'a [(String, CodeId)],
    /// A large import (thousands of rows): run with the large-import settings
    /// (see [`Store::with_import_settings`]).
    pub large: bool,
}

/// The coder of an import and the codes it can find, by folded name or path.
struct KnownCodes {
    coder_id: crate::model::CoderId,
    /// Folded name or path → the code and its name.
    codes: HashMap<String, (CodeId, String)>,
    /// Folded name → the paths of every code of that name.
    shared: HashMap<String, Vec<String>>,
    /// How many codes there are, for a new code's colour.
    code_count: usize,
}

/// Writes an import's rows one at a time with prepared statements, finding
/// or creating each row's case, source and codes as it goes.
struct RowWriter<'c> {
    conn: &'c rusqlite::Connection,
    known: KnownCodes,
    /// Rows get their UUIDs here, in ascending order (see `UuidSequence`), so
    /// no trigger has to give each one afterwards.
    uuids: super::identity::UuidSequence,
    now: String,
    cases: HashMap<String, CaseId>,
    sources: HashMap<(CaseId, String), SourceState>,
    /// Code names as written, once resolved: not folded and looked up again.
    resolved: HashMap<String, CodeId>,
    matched: std::collections::BTreeSet<(String, String)>,
    summary: ImportSummary,
    find_case: rusqlite::CachedStatement<'c>,
    insert_case: rusqlite::CachedStatement<'c>,
    find_source: rusqlite::CachedStatement<'c>,
    insert_source: rusqlite::CachedStatement<'c>,
    fill_source: rusqlite::CachedStatement<'c>,
    insert_excerpt: rusqlite::CachedStatement<'c>,
    insert_code: rusqlite::CachedStatement<'c>,
    insert_coding: rusqlite::CachedStatement<'c>,
    insert_memo: rusqlite::CachedStatement<'c>,
}

impl<'c> RowWriter<'c> {
    fn prepare(conn: &'c rusqlite::Connection, known: KnownCodes) -> StoreResult<Self> {
        Ok(RowWriter {
            conn,
            known,
            uuids: super::identity::UuidSequence::start(conn)?,
            now: conn.query_row(&format!("SELECT {NOW_SQL}"), [], |row| row.get(0))?,
            cases: HashMap::new(),
            sources: HashMap::new(),
            resolved: HashMap::new(),
            matched: std::collections::BTreeSet::new(),
            summary: ImportSummary::default(),
            find_case: conn.prepare_cached("SELECT case_id FROM cases WHERE name = ?1")?,
            insert_case: conn.prepare_cached("INSERT INTO cases (name, uuid) VALUES (?1, ?2)")?,
            find_source: conn.prepare_cached(
                "SELECT s.source_id, (SELECT IFNULL(MAX(position), 0) FROM excerpts WHERE source_id = s.source_id),
                        s.speaker <> '', s.role <> '', s.place <> '', s.date <> '', s.interviewer <> ''
                 FROM sources s WHERE s.case_id = ?1 AND s.name = ?2",
            )?,
            insert_source: conn.prepare_cached(
                "INSERT INTO sources (case_id, name, speaker, role, place, date, interviewer, description, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            fill_source: conn.prepare_cached(
                "UPDATE sources SET speaker = IIF(speaker = '', ?2, speaker), role = IIF(role = '', ?3, role),
                     place = IIF(place = '', ?4, place), date = IIF(date = '', ?5, date),
                     interviewer = IIF(interviewer = '', ?6, interviewer)
                 WHERE source_id = ?1",
            )?,
            insert_excerpt: conn.prepare_cached(
                "INSERT INTO excerpts (source_id, label, position, original_text, original_lang,
                     translation_text, translation_lang, translation_status, translation_note,
                     speaker, interviewer, time, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            insert_code: conn.prepare_cached(
                "INSERT INTO codes (name, color, sort_order, uuid)
                 VALUES (?1, ?2, (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM codes WHERE parent_id IS NULL), ?3)",
            )?,
            insert_coding: conn.prepare_cached(
                "INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, created_at, uuid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            insert_memo: conn.prepare_cached(&format!(
                "INSERT INTO memos (excerpt_id, text, updated_at) VALUES (?1, ?2, {NOW_SQL})"
            ))?,
        })
    }

    /// What was written.
    fn finish(mut self) -> ImportSummary {
        self.summary.matched_codes = std::mem::take(&mut self.matched).into_iter().collect();
        self.summary
    }

    /// Writes one row: its case and source (found or made), the excerpt, its
    /// memo and its codings.
    fn write(&mut self, row: &ImportRow) -> StoreResult<()> {
        let at_row = |error: rusqlite::Error| row_error(row.row_number, error);
        let case_key = row.case_name.to_lowercase();
        let case_id = match self.cases.get(&case_key) {
            Some(case_id) => *case_id,
            None => {
                let case_id = match self.find_case.query_row([&row.case_name], |r| r.get(0)).optional()? {
                    Some(case_id) => case_id,
                    None => {
                        self.insert_case.execute(params![row.case_name, self.uuids.next_uuid()]).map_err(at_row)?;
                        self.summary.new_cases.push(row.case_name.clone());
                        CaseId(self.conn.last_insert_rowid())
                    }
                };
                self.cases.insert(case_key, case_id);
                case_id
            }
        };
        let draft = &row.source;
        let source_key = (case_id, draft.name.to_lowercase());
        let source = match self.sources.entry(source_key) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let found = self
                    .find_source
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
                        self.insert_source
                            .execute(params![
                                case_id,
                                draft.name,
                                draft.speaker,
                                draft.role,
                                draft.place,
                                draft.date,
                                draft.interviewer,
                                draft.description,
                                self.uuids.next_uuid()
                            ])
                            .map_err(at_row)?;
                        self.summary.new_sources += 1;
                        SourceState {
                            source_id: SourceId(self.conn.last_insert_rowid()),
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
            self.fill_source
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
        self.insert_excerpt
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
                self.uuids.next_uuid()
            ])
            .map_err(at_row)?;
        let excerpt_id = self.conn.last_insert_rowid();
        self.summary.excerpts += 1;
        if !row.memo.trim().is_empty() {
            self.insert_memo.execute(params![excerpt_id, row.memo]).map_err(at_row)?;
        }
        for code_name in &row.codes {
            // A name once resolved is not folded and looked up again.
            let code_id = match self.resolved.get(code_name.as_str()) {
                Some(&code_id) => code_id,
                None => {
                    let code_id = self.resolve_code(code_name, row.row_number)?;
                    self.resolved.insert(code_name.clone(), code_id);
                    code_id
                }
            };
            self.insert_coding
                .execute(params![
                    excerpt_id,
                    code_id,
                    self.known.coder_id,
                    source_id,
                    &self.now,
                    self.uuids.next_uuid()
                ])
                .map_err(at_row)?;
            self.summary.codings += 1;
        }
        Ok(())
    }

    /// The code a name written in the file stands for: found by folded name
    /// or path, or created at the top level. A name several codes share, and
    /// none of them at the top level, is refused naming the row.
    fn resolve_code(&mut self, code_name: &str, row_number: usize) -> StoreResult<CodeId> {
        let key = code_key(code_name);
        match self.known.codes.get(&key) {
            Some((code_id, existing_name)) => {
                if !self.summary.new_codes.contains(existing_name) {
                    self.matched.insert((code_name.to_owned(), existing_name.clone()));
                }
                Ok(*code_id)
            }
            None if self.known.shared.get(&key).is_some_and(|paths| paths.len() > 1) => {
                let listed = self.known.shared[&key].join(", ");
                Err(StoreError::Invalid(crate::bilingual!(
                    "row {row_number}, column 'codes': several codes are named '{code_name}' ({listed}); write the path of one",
                    "fila {row_number}, columna 'codes': varios códigos se llaman '{code_name}' ({listed}); escriba la ruta de uno"
                )))
            }
            None => {
                self.insert_code
                    .execute(params![code_name, Color::from_palette(self.known.code_count), self.uuids.next_uuid()])
                    .map_err(|error| row_error(row_number, error))?;
                self.known.code_count += 1;
                self.summary.new_codes.push(code_name.to_owned());
                let code_id = CodeId(self.conn.last_insert_rowid());
                self.known.codes.insert(key, (code_id, code_name.to_owned()));
                Ok(code_id)
            }
        }
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
