//! Reading and writing sources.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, StoreResult, name_taken};
use crate::model::{CaseId, Source, SourceDraft, SourceId};

const SOURCE_COLUMNS: &str =
    "source_id, case_id, name, speaker, role, place, date, interviewer, pseudonym, description";

fn source_from_row(row: &Row<'_>) -> rusqlite::Result<Source> {
    source_from_row_at(row, 0)
}

/// How many columns `SOURCE_COLUMNS` names.
pub(super) const SOURCE_COLUMN_COUNT: usize = 10;

/// `SOURCE_COLUMNS` of the source aliased `alias`, for queries joining sources.
pub(super) fn source_columns(alias: &str) -> String {
    SOURCE_COLUMNS.split(',').map(|column| format!("{alias}.{}", column.trim())).collect::<Vec<_>>().join(", ")
}

/// Reads a source from the columns starting at `first`, in `SOURCE_COLUMNS` order.
pub(super) fn source_from_row_at(row: &Row<'_>, first: usize) -> rusqlite::Result<Source> {
    Ok(Source {
        source_id: row.get(first)?,
        case_id: row.get(first + 1)?,
        name: row.get(first + 2)?,
        speaker: row.get(first + 3)?,
        role: row.get(first + 4)?,
        place: row.get(first + 5)?,
        date: row.get(first + 6)?,
        interviewer: row.get(first + 7)?,
        pseudonym: row.get(first + 8)?,
        description: row.get(first + 9)?,
    })
}

impl Store {
    /// Every source, by case and name.
    pub fn sources(&self) -> StoreResult<Vec<Source>> {
        let mut statement =
            self.conn.prepare_cached(&format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY case_id, name"))?;
        let sources = statement.query_map([], source_from_row)?.collect::<Result<_, _>>()?;
        Ok(sources)
    }

    /// The sources of one case, by name.
    pub fn sources_of_case(&self, case_id: CaseId) -> StoreResult<Vec<Source>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE case_id = ?1 ORDER BY name"))?;
        let sources = statement.query_map([case_id], source_from_row)?.collect::<Result<_, _>>()?;
        Ok(sources)
    }

    /// The source with this ID.
    pub fn source(&self, source_id: SourceId) -> StoreResult<Source> {
        self.conn
            .prepare_cached(&format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE source_id = ?1"))?
            .query_row([source_id], source_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "source", name: source_id.to_string() })
    }

    /// Adds a source to a case.
    pub fn add_source(&mut self, case_id: CaseId, draft: &SourceDraft) -> StoreResult<SourceId> {
        if draft.name.trim().is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!(
                "a source needs a name",
                "una fuente necesita un nombre"
            )));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO sources (case_id, name, speaker, role, place, date, interviewer, description)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                case_id,
                draft.name.trim(),
                draft.speaker,
                draft.role,
                draft.place,
                draft.date,
                draft.interviewer,
                draft.description
            ])
            .map_err(name_taken("a source in this case named", &draft.name))?;
        Ok(SourceId(self.conn.last_insert_rowid()))
    }

    /// Sets the pseudonym used for a source's speaker in exports, on every source
    /// of that speaker (a pseudonym names a person, not an interview).
    pub fn set_pseudonym(&mut self, source_id: SourceId, pseudonym: &str) -> StoreResult<()> {
        let source = self.source(source_id)?;
        if source.speaker.trim().is_empty() {
            self.conn
                .prepare_cached("UPDATE sources SET pseudonym = ?2 WHERE source_id = ?1")?
                .execute(params![source_id, pseudonym.trim()])?;
        } else {
            self.conn
                .prepare_cached("UPDATE sources SET pseudonym = ?2 WHERE speaker = ?1")?
                .execute(params![source.speaker, pseudonym.trim()])?;
        }
        Ok(())
    }
}

impl Store {
    /// The (case, source) names of the sources a file with this fingerprint was
    /// imported into.
    pub fn sources_holding_file(&self, fingerprint: &str) -> StoreResult<Vec<(String, String)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT ca.name, s.name FROM source_files f
             JOIN sources s ON s.source_id = f.source_id JOIN cases ca ON ca.case_id = s.case_id
             WHERE f.fingerprint = ?1 ORDER BY ca.name, s.name",
        )?;
        let names =
            statement.query_map([fingerprint], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(names)
    }

    /// Notes that the source `source_name` of case `case_name` holds the file
    /// with this fingerprint.
    pub fn record_source_file(
        &mut self,
        case_name: &str,
        source_name: &str,
        fingerprint: &str,
        file_name: &str,
    ) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO source_files (source_id, fingerprint, file_name)
                 SELECT s.source_id, ?3, ?4 FROM sources s JOIN cases ca ON ca.case_id = s.case_id
                 WHERE ca.name = ?1 AND s.name = ?2 COLLATE NOCASE",
            )?
            .execute(params![case_name, source_name, fingerprint, file_name])?;
        Ok(())
    }
}
