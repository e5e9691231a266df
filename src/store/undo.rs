//! Undo and redo for every change made through one connection, recorded by SQLite
//! itself: temporary triggers on every table write the SQL that reverses each
//! row change into a log, and a user action is the range of log entries it wrote.
//! Undoing replays that range backwards; the replay's own log entries become the
//! redo step. Cascading deletes, merges and moves need no special code.
//!
//! This is the approach of SQLite's own "Automatic Undo/Redo Using Triggers" note.
//! The log is a temporary table: it lives as long as the window's connection.

use super::{Store, StoreError, StoreResult};

/// Steps kept for undo; older ones are forgotten.
const MAX_UNDO_STEPS: usize = 500;

/// Which way a replay of the undo log goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Take the last action back.
    Undo,
    /// Repeat the last action taken back.
    Redo,
}

/// One undoable user action: its label and its range of log entries.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UndoStep {
    label: String,
    first_entry: i64,
    last_entry: i64,
}

/// The undo and redo stacks of a store.
#[derive(Debug, Default)]
pub(super) struct UndoHistory {
    enabled: bool,
    undo: Vec<UndoStep>,
    redo: Vec<UndoStep>,
}

impl Store {
    /// Starts recording changes for undo. Used by the window; the command line does
    /// not pay for it.
    pub fn enable_undo(&mut self) -> StoreResult<()> {
        if self.undo.enabled {
            return Ok(());
        }
        let tables: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'excerpt_search%'
                       -- Kept by the codings' own triggers, which undo's replay fires.
                       AND name NOT IN ('code_tallies', 'code_pairs')
                 ORDER BY name",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut sql = String::from(
            "CREATE TEMP TABLE IF NOT EXISTS quipu_undo_log (entry INTEGER PRIMARY KEY, statement TEXT NOT NULL);",
        );
        for table in tables {
            let columns: Vec<(String, String, i64)> = self
                .conn
                .prepare(&format!("SELECT name, upper(type), pk FROM pragma_table_info('{table}')"))?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<Result<_, _>>()?;
            // A lone INTEGER PRIMARY KEY is the rowid itself; other tables restore it explicitly.
            let key_columns: Vec<&(String, String, i64)> = columns.iter().filter(|(_, _, pk)| *pk > 0).collect();
            let rowid_is_a_column = matches!(key_columns.as_slice(), [(_, column_type, _)] if column_type == "INTEGER");
            let columns: Vec<String> = columns.into_iter().map(|(name, _, _)| name).collect();
            let assignments = columns
                .iter()
                .map(|column| format!("'{column} = ' || quote(old.{column})"))
                .collect::<Vec<_>>()
                .join(" || ', ' || ");
            let values =
                columns.iter().map(|column| format!("quote(old.{column})")).collect::<Vec<_>>().join(" || ', ' || ");
            let (column_list, rowid_value) = if rowid_is_a_column {
                (columns.join(", "), String::new())
            } else {
                (format!("rowid, {}", columns.join(", ")), "old.rowid || ', ' || ".to_owned())
            };
            // A new row's identity is stamped by an update right after its insert;
            // undoing the insert deletes the row, so that update needs no entry
            // (it would copy the whole row, texts included, into the log).
            let when = if columns.iter().any(|column| column == "uuid") { "WHEN old.uuid IS NOT NULL" } else { "" };
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER quipu_undo_{table}_insert AFTER INSERT ON main.{table} BEGIN
                     INSERT INTO quipu_undo_log (statement) VALUES ('DELETE FROM {table} WHERE rowid = ' || new.rowid);
                 END;
                 CREATE TEMP TRIGGER quipu_undo_{table}_update AFTER UPDATE ON main.{table} {when} BEGIN
                     INSERT INTO quipu_undo_log (statement)
                     VALUES ('UPDATE {table} SET ' || {assignments} || ' WHERE rowid = ' || old.rowid);
                 END;
                 CREATE TEMP TRIGGER quipu_undo_{table}_delete BEFORE DELETE ON main.{table} BEGIN
                     INSERT INTO quipu_undo_log (statement)
                     VALUES ('INSERT INTO {table} ({column_list}) VALUES (' || {rowid_value}{values} || ')');
                 END;"
            ));
        }
        self.conn.execute_batch(&sql)?;
        self.undo.enabled = true;
        Ok(())
    }

    fn last_log_entry(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT IFNULL(MAX(entry), 0) FROM temp.quipu_undo_log")?
            .query_row([], |row| row.get(0))?)
    }

    /// Runs `action` as one user action: atomically, and (when undo is enabled)
    /// recorded as one undo step named `label`. Starting a new action forgets what
    /// could be redone.
    pub fn undoable<T, E: From<StoreError>>(
        &mut self,
        label: &str,
        action: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.undo.enabled {
            return self.atomically(action);
        }
        let before = self.last_log_entry()?;
        let value = self.atomically(action)?;
        let after = self.last_log_entry()?;
        if after > before {
            self.forget_redo()?;
            self.undo.undo.push(UndoStep { label: label.to_owned(), first_entry: before + 1, last_entry: after });
            if self.undo.undo.len() > MAX_UNDO_STEPS {
                let oldest = self.undo.undo.remove(0);
                self.delete_log_entries(&oldest)?;
            }
        }
        Ok(value)
    }

    /// A step's statements in the order that reverses it (newest entry first).
    fn log_statements(&self, first_entry: i64, last_entry: i64) -> StoreResult<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT statement FROM temp.quipu_undo_log WHERE entry BETWEEN ?1 AND ?2 ORDER BY entry DESC",
            )?
            .query_map([first_entry, last_entry], |row| row.get(0))?
            .collect::<Result<_, _>>()?)
    }

    fn forget_redo(&mut self) -> StoreResult<()> {
        for step in std::mem::take(&mut self.undo.redo) {
            self.delete_log_entries(&step)?;
        }
        Ok(())
    }

    fn delete_log_entries(&self, step: &UndoStep) -> StoreResult<()> {
        self.conn
            .prepare_cached("DELETE FROM temp.quipu_undo_log WHERE entry BETWEEN ?1 AND ?2")?
            .execute([step.first_entry, step.last_entry])?;
        Ok(())
    }

    /// The label of the action Undo would reverse.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.undo.last().map(|step| step.label.as_str())
    }

    /// The label of the action Redo would repeat.
    pub fn redo_label(&self) -> Option<&str> {
        self.undo.redo.last().map(|step| step.label.as_str())
    }

    /// Reverses the last action; returns its label, or `None` if there is nothing
    /// to undo.
    pub fn undo(&mut self) -> StoreResult<Option<String>> {
        self.replay_reporting(Replay::Undo, &mut |_, _| {})
    }

    /// Repeats the last undone action; returns its label, or `None`.
    pub fn redo(&mut self) -> StoreResult<Option<String>> {
        self.replay_reporting(Replay::Redo, &mut |_, _| {})
    }

    /// How many recorded row changes undoing (or redoing) the next step would
    /// replay: what it will cost, known before it starts. The window undoes a
    /// large step on a background thread.
    pub fn replay_size(&self, which: Replay) -> usize {
        let step = match which {
            Replay::Undo => self.undo.undo.last(),
            Replay::Redo => self.undo.redo.last(),
        };
        step.map_or(0, |step| (step.last_entry - step.first_entry + 1).max(0) as usize)
    }

    /// Undoes or redoes the next step, telling `progress` how many of its
    /// statements have run out of how many; returns its label, or `None` when
    /// there is nothing to replay. On failure nothing changes, and the step
    /// stays where it was.
    pub fn replay_reporting(
        &mut self,
        which: Replay,
        progress: &mut dyn FnMut(usize, usize),
    ) -> StoreResult<Option<String>> {
        self.forgot = true;
        let popped = match which {
            Replay::Undo => self.undo.undo.pop(),
            Replay::Redo => self.undo.redo.pop(),
        };
        let Some(step) = popped else {
            return Ok(None);
        };
        let replayed = self.replay(&step, progress);
        let (origin, reverse) = match which {
            Replay::Undo => (&mut self.undo.undo, &mut self.undo.redo),
            Replay::Redo => (&mut self.undo.redo, &mut self.undo.undo),
        };
        match replayed {
            Ok(reversing) => {
                reverse.extend(reversing);
                Ok(Some(step.label))
            }
            Err(error) => {
                origin.push(step);
                Err(error)
            }
        }
    }

    /// Runs a step's statements backwards in one transaction and returns the step
    /// that reverses the replay.
    fn replay(&mut self, step: &UndoStep, progress: &mut dyn FnMut(usize, usize)) -> StoreResult<Option<UndoStep>> {
        let rows = (step.last_entry - step.first_entry + 1).max(0) as usize;
        let before = self.last_log_entry()?;
        self.atomically(|store| -> StoreResult<()> {
            // Rows come back in reverse order, so a child may return before its
            // parent: check foreign keys at commit, not per statement.
            store.conn.pragma_update(None, "defer_foreign_keys", true)?;
            // A slice of the log at a time, newest first: a million-row step's
            // statements are never held whole. (The step's entries go only at
            // the end: dropped sooner, the newest entry's number could be given
            // again to one the replay writes, and the new step's range would
            // be wrong.)
            let mut run = |store: &mut Store| -> StoreResult<()> {
                let mut upper = step.last_entry;
                while upper >= step.first_entry {
                    let lower = (upper - REPLAY_SLICE_ENTRIES + 1).max(step.first_entry);
                    progress((step.last_entry - upper) as usize, rows);
                    for statement in gathered(&store.log_statements(lower, upper)?) {
                        store.conn.execute_batch(&statement)?;
                    }
                    upper = lower - 1;
                }
                Ok(())
            };
            if rows > BULK_REPLAY_ROWS && rows * 15 > store.coding_count()? {
                // Counting coding by coding would cost more than counting the
                // whole project again.
                store.with_counts_recounted(run)?;
            } else {
                run(store)?;
            }
            store
                .conn
                .prepare_cached("DELETE FROM temp.quipu_undo_log WHERE entry BETWEEN ?1 AND ?2")?
                .execute([step.first_entry, step.last_entry])?;
            Ok(())
        })?;
        let after = self.last_log_entry()?;
        Ok((after > before).then(|| UndoStep { label: step.label.clone(), first_entry: before + 1, last_entry: after }))
    }

    /// True when undo recording is on.
    pub fn undo_enabled(&self) -> bool {
        self.undo.enabled
    }
}

/// Steps of more rows than this may count the project's codings afresh
/// instead of one by one (see [`Store::replay`]).
const BULK_REPLAY_ROWS: usize = 5_000;

/// Log entries a replay reads, runs and drops at a time (see
/// [`Store::replay`]); small in unit tests, so their large steps cross slices.
const REPLAY_SLICE_ENTRIES: i64 = if cfg!(test) { 700 } else { 20_000 };

/// How one undo statement reads, for gathering runs of them.
enum Shape<'a> {
    /// `DELETE FROM {table} WHERE rowid = {rowid}`.
    Delete { table: &'a str, rowid: &'a str },
    /// `INSERT INTO {table} ({columns}) VALUES ({values})`: `head` is all before
    /// the values' opening parenthesis.
    Insert { head: &'a str, values: &'a str },
    /// Anything else (an update), run as it is.
    Other,
}

fn shape(statement: &str) -> Shape<'_> {
    if let Some((table, rowid)) =
        statement.strip_prefix("DELETE FROM ").and_then(|rest| rest.split_once(" WHERE rowid = "))
        && !table.contains(' ')
        && !rowid.is_empty()
        && rowid.bytes().all(|byte| byte.is_ascii_digit() || byte == b'-')
    {
        return Shape::Delete { table, rowid };
    }
    if statement.starts_with("INSERT INTO ")
        && statement.ends_with(')')
        && let Some(at) = statement.find(") VALUES (")
    {
        let head_end = at + ") VALUES ".len();
        return Shape::Insert { head: &statement[..head_end], values: &statement[head_end + 1..statement.len() - 1] };
    }
    Shape::Other
}

/// Rows a gathered statement takes at most.
const GATHERED_ROWS: usize = 1_000;

/// `statements` with each run of single-row deletes, and each run of
/// single-row inserts, gathered into a statement per table and a thousand
/// rows: undoing a 20,000-row import ran 120,000 statements, each compiled on
/// its own and each flushing the search index, and took 23 seconds. Within a
/// run, tables keep the order they first appear in; the rows of different
/// tables may then change places, which only the foreign keys could notice,
/// and those are checked at commit ([`Store::replay`]).
fn gathered(statements: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < statements.len() {
        let first = shape(&statements[at]);
        if matches!(first, Shape::Other) {
            out.push(statements[at].clone());
            at += 1;
            continue;
        }
        let deleting = matches!(first, Shape::Delete { .. });
        // The run: by table (or insert head), in order of first appearance.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        while at < statements.len() {
            let (key, row) = match shape(&statements[at]) {
                Shape::Delete { table, rowid } if deleting => (table, rowid),
                Shape::Insert { head, values } if !deleting => (head, values),
                _ => break,
            };
            match groups.iter_mut().find(|(known, _)| *known == key) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((key, vec![row])),
            }
            at += 1;
        }
        for (key, rows) in groups {
            for chunk in rows.chunks(GATHERED_ROWS) {
                out.push(if deleting {
                    format!("DELETE FROM {key} WHERE rowid IN ({})", chunk.join(", "))
                } else {
                    format!("{key}({})", chunk.join("), ("))
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::{ExcerptDraft, SourceDraft};
    use crate::store::{Store, StoreError};

    #[test]
    fn runs_of_single_row_statements_are_gathered_by_table_and_the_rest_kept_in_place() {
        let statements: Vec<String> = [
            "DELETE FROM codings WHERE rowid = 5",
            "DELETE FROM excerpts WHERE rowid = 2",
            "DELETE FROM codings WHERE rowid = 4",
            "UPDATE codes SET name = 'x' WHERE rowid = 3",
            "INSERT INTO codes (code_id, name) VALUES (1, 'a) VALUES (b')",
            "INSERT INTO memos (memo_id, text) VALUES (7, 'nota')",
            "INSERT INTO codes (code_id, name) VALUES (2, 'c')",
            "DELETE FROM codes WHERE rowid = 9 OR 1 = 1",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            super::gathered(&statements),
            [
                "DELETE FROM codings WHERE rowid IN (5, 4)",
                "DELETE FROM excerpts WHERE rowid IN (2)",
                "UPDATE codes SET name = 'x' WHERE rowid = 3",
                "INSERT INTO codes (code_id, name) VALUES (1, 'a) VALUES (b'), (2, 'c')",
                "INSERT INTO memos (memo_id, text) VALUES (7, 'nota')",
                "DELETE FROM codes WHERE rowid = 9 OR 1 = 1",
            ]
        );
        let many: Vec<String> = (0..2_500).map(|n| format!("DELETE FROM codings WHERE rowid = {n}")).collect();
        let gathered = super::gathered(&many);
        assert_eq!(gathered.len(), 3, "a thousand rows a statement");
        assert!(gathered[2].ends_with("2498, 2499)"), "{}", &gathered[2][gathered[2].len() - 20..]);
    }

    #[test]
    fn an_action_that_writes_nothing_leaves_the_earlier_step_alone() {
        let mut store = Store::in_memory().unwrap();
        store.enable_undo().unwrap();
        store.undoable("add", |s| s.add_case("Cerro Alto", "").map(|_| ())).unwrap();
        let entries = store.last_log_entry().unwrap();
        store.undoable("nothing", |_| -> Result<(), StoreError> { Ok(()) }).unwrap();
        assert_eq!(store.last_log_entry().unwrap(), entries);
        assert_eq!(store.undo_label(), Some("add"), "the earlier step is still there to undo");
    }

    #[test]
    fn a_new_rows_identity_stamp_leaves_no_undo_entry_and_undo_still_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.quipu")).unwrap();
        store.enable_undo().unwrap();
        store
            .undoable("add", |s| -> Result<(), StoreError> {
                let case_id = s.add_case("Cerro Alto", "")?;
                let source_id =
                    s.add_source(case_id, &SourceDraft { name: "E1".to_owned(), ..SourceDraft::default() })?;
                let draft = ExcerptDraft { original: Some("El agua se fue.".to_owned()), ..ExcerptDraft::default() };
                s.add_excerpt(source_id, &draft)?;
                Ok(())
            })
            .unwrap();
        let updates: i64 = store
            .conn
            .query_row("SELECT count(*) FROM temp.quipu_undo_log WHERE statement LIKE 'UPDATE%'", [], |row| row.get(0))
            .unwrap();
        assert_eq!(updates, 0, "the uuid stamp was logged");
        let uuid: Option<String> = store.conn.query_row("SELECT uuid FROM excerpts", [], |row| row.get(0)).unwrap();
        assert_eq!(uuid.map(|uuid| uuid.len()), Some(36));
        store.undo().unwrap();
        let excerpts: i64 = store.conn.query_row("SELECT count(*) FROM excerpts", [], |row| row.get(0)).unwrap();
        assert_eq!(excerpts, 0);
    }

    #[test]
    fn a_replay_tells_its_size_beforehand_and_its_progress_as_it_runs() {
        let mut store = Store::in_memory().unwrap();
        store.enable_undo().unwrap();
        assert_eq!(store.replay_size(super::Replay::Undo), 0);
        store
            .undoable("add", |s| -> Result<(), StoreError> {
                for n in 0..3 {
                    s.add_case(&format!("Caso {n}"), "")?;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(store.replay_size(super::Replay::Undo), 3, "one entry per row added");
        assert_eq!(store.replay_size(super::Replay::Redo), 0);
        let mut seen = Vec::new();
        let label = store.replay_reporting(super::Replay::Undo, &mut |done, total| seen.push((done, total))).unwrap();
        assert_eq!(label.as_deref(), Some("add"));
        // Three entries fit in one slice of the log.
        assert_eq!(seen, [(0, 3)]);
        assert!(store.cases().unwrap().is_empty());
        assert_eq!(store.replay_size(super::Replay::Undo), 0);
        assert_eq!(store.replay_size(super::Replay::Redo), 3, "the redo step is as large");
        store.replay_reporting(super::Replay::Redo, &mut |_, _| {}).unwrap();
        assert_eq!(store.cases().unwrap().len(), 3);
    }
}
