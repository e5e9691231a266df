//! Memos: one note per target (project, case, source, excerpt, code, coding).

use rusqlite::{OptionalExtension, params};

use super::{NOW_SQL, Store, StoreResult};
use crate::model::MemoTarget;

/// The memo column naming a target and the target's ID (`None` for the project).
fn target_column(target: MemoTarget) -> (&'static str, Option<i64>) {
    match target {
        MemoTarget::Project => ("", None),
        MemoTarget::Case(id) => ("case_id", Some(id.0)),
        MemoTarget::Source(id) => ("source_id", Some(id.0)),
        MemoTarget::Excerpt(id) => ("excerpt_id", Some(id.0)),
        MemoTarget::Code(id) => ("code_id", Some(id.0)),
        MemoTarget::Coding(id) => ("coding_id", Some(id.0)),
    }
}

/// SQL matching the memo of a target; `?1` is the target's ID.
fn target_condition(target: MemoTarget) -> String {
    match target_column(target) {
        (_, None) => "case_id IS NULL AND source_id IS NULL AND excerpt_id IS NULL \
                      AND code_id IS NULL AND coding_id IS NULL AND ?1 IS NULL"
            .to_owned(),
        (column, Some(_)) => format!("{column} = ?1"),
    }
}

impl Store {
    /// The memo on `target`, or an empty string.
    pub fn memo(&self, target: MemoTarget) -> StoreResult<String> {
        let (_, id) = target_column(target);
        let text = self
            .conn
            .prepare_cached(&format!("SELECT text FROM memos WHERE {}", target_condition(target)))?
            .query_row(params![id], |row| row.get(0))
            .optional()?;
        Ok(text.unwrap_or_default())
    }

    /// Writes the memo on `target`; an empty text removes it.
    pub fn set_memo(&mut self, target: MemoTarget, text: &str) -> StoreResult<()> {
        let (column, id) = target_column(target);
        let condition = target_condition(target);
        self.atomically(|store| {
            if text.trim().is_empty() {
                store.conn.prepare_cached(&format!("DELETE FROM memos WHERE {condition}"))?.execute(params![id])?;
                return Ok(());
            }
            let updated = store
                .conn
                .prepare_cached(&format!("UPDATE memos SET text = ?2, updated_at = {NOW_SQL} WHERE {condition}"))?
                .execute(params![id, text])?;
            if updated == 0 {
                let sql = if column.is_empty() {
                    format!("INSERT INTO memos (text, updated_at) VALUES (?2, {NOW_SQL})")
                } else {
                    format!("INSERT INTO memos ({column}, text, updated_at) VALUES (?1, ?2, {NOW_SQL})")
                };
                store.conn.prepare_cached(&sql)?.execute(params![id, text])?;
            }
            Ok(())
        })
    }
}
