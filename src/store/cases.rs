//! Reading and writing cases.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, StoreResult, name_taken};
use crate::model::{Case, CaseId};

const CASE_COLUMNS: &str = "case_id, name, description";

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case { case_id: row.get(0)?, name: row.get(1)?, description: row.get(2)? })
}

impl Store {
    /// Every case, by name.
    pub fn cases(&self) -> StoreResult<Vec<Case>> {
        let mut statement = self.conn.prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases ORDER BY name"))?;
        let cases = statement.query_map([], case_from_row)?.collect::<Result<_, _>>()?;
        Ok(cases)
    }

    /// The case with this ID.
    pub fn case(&self, case_id: CaseId) -> StoreResult<Case> {
        self.conn
            .prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?1"))?
            .query_row([case_id], case_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "case", name: case_id.to_string() })
    }

    /// The case with this name (ignoring case), if any.
    pub fn case_by_name(&self, name: &str) -> StoreResult<Option<Case>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE name = ?1"))?
            .query_row([name], case_from_row)
            .optional()?)
    }

    /// Adds a case.
    pub fn add_case(&mut self, name: &str, description: &str) -> StoreResult<CaseId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!("a case needs a name", "un caso necesita un nombre")));
        }
        self.conn
            .prepare_cached("INSERT INTO cases (name, description) VALUES (?1, ?2)")?
            .execute(params![name, description])
            .map_err(name_taken("a case named", name))?;
        Ok(CaseId(self.conn.last_insert_rowid()))
    }

    /// Sets a case's description.
    pub fn set_case_description(&mut self, case_id: CaseId, description: &str) -> StoreResult<()> {
        self.conn
            .prepare_cached("UPDATE cases SET description = ?2 WHERE case_id = ?1")?
            .execute(params![case_id, description])?;
        Ok(())
    }

    /// Deletes a case with its sources, excerpts, codings and memos.
    pub fn delete_case(&mut self, case_id: CaseId) -> StoreResult<()> {
        self.forgot = true;
        self.conn.prepare_cached("DELETE FROM cases WHERE case_id = ?1")?.execute([case_id])?;
        Ok(())
    }
}
