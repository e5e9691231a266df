//! Stable identity: the UUID every case, source, excerpt, code and coding
//! carries (file format 3). Exchange files name things by it, and a file brought
//! in gives new rows the identity it names, so a project sent out and brought
//! back matches itself.

use std::collections::HashMap;

use rusqlite::OptionalExtension as _;

use super::{Store, StoreResult};

/// The kinds of row that carry a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identified {
    /// A case.
    Case,
    /// A source.
    Source,
    /// An excerpt.
    Excerpt,
    /// A code.
    Code,
    /// A coding.
    Coding,
}

impl Identified {
    /// Every kind.
    pub const ALL: [Identified; 5] =
        [Identified::Case, Identified::Source, Identified::Excerpt, Identified::Code, Identified::Coding];

    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            Identified::Case => ("cases", "case_id"),
            Identified::Source => ("sources", "source_id"),
            Identified::Excerpt => ("excerpts", "excerpt_id"),
            Identified::Code => ("codes", "code_id"),
            Identified::Coding => ("codings", "coding_id"),
        }
    }
}

/// True for a UUID written as 8-4-4-4-12 hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, length)| group.len() == length && group.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Store {
    /// Every row's UUID of one kind, by row ID.
    pub fn uuids(&self, kind: Identified) -> StoreResult<HashMap<i64, String>> {
        let (table, key) = kind.table_and_key();
        let mut statement =
            self.conn.prepare_cached(&format!("SELECT {key}, uuid FROM {table} WHERE uuid IS NOT NULL"))?;
        let uuids = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(uuids)
    }

    /// The excerpts a person's reference names: an excerpt label (exact, any
    /// case) or an excerpt's UUID.
    pub fn excerpts_named(&self, reference: &str) -> StoreResult<Vec<crate::model::ExcerptId>> {
        let reference = reference.trim();
        let mut statement = self.conn.prepare_cached(
            "SELECT excerpt_id FROM excerpts WHERE label = ?1 COLLATE NOCASE OR uuid = lower(?1) ORDER BY excerpt_id",
        )?;
        let ids = statement.query_map([reference], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Gives a row the identity `uuid` names (an exchange file's GUID, any case),
    /// unless it is not a UUID or another row of its kind has it. Says whether
    /// it did.
    pub fn adopt_uuid(&self, kind: Identified, id: i64, uuid: &str) -> StoreResult<bool> {
        if !is_uuid(uuid) {
            return Ok(false);
        }
        let uuid = uuid.to_lowercase();
        let (table, key) = kind.table_and_key();
        let taken: Option<i64> = self
            .conn
            .prepare_cached(&format!("SELECT {key} FROM {table} WHERE uuid = ?1"))?
            .query_row([&uuid], |row| row.get(0))
            .optional()?;
        if taken.is_some() {
            return Ok(taken == Some(id));
        }
        let changed = self
            .conn
            .prepare_cached(&format!("UPDATE {table} SET uuid = ?1 WHERE {key} = ?2"))?
            .execute(rusqlite::params![uuid, id])?;
        Ok(changed == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_takes_a_files_identity_unless_another_row_has_it() {
        let mut store = Store::in_memory().unwrap();
        let first = store.add_case("Cerro Alto", "").unwrap().0;
        let second = store.add_case("Qori Wayra", "").unwrap().0;
        let guid = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
        assert!(store.adopt_uuid(Identified::Case, first, guid).unwrap());
        assert_eq!(store.uuids(Identified::Case).unwrap()[&first], guid.to_lowercase());
        assert!(!store.adopt_uuid(Identified::Case, second, guid).unwrap(), "two cases cannot share one");
        assert!(!store.adopt_uuid(Identified::Case, second, "not-a-guid").unwrap());
        assert!(is_uuid(&store.uuids(Identified::Case).unwrap()[&second]), "the second keeps its own");
    }
}
