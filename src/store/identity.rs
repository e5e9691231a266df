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

/// UUIDs for rows written in bulk: version 7, time first, so that each is
/// greater than the last and the unique index on `uuid` grows at its end
/// instead of at a random page per row (a million random insertions into that
/// index were most of a large import's time). The 74 bits after the time start
/// random, from SQLite's generator, and count up by one per row.
pub(super) struct UuidSequence {
    /// Milliseconds since 1970 when the sequence began (48 bits).
    millis: u64,
    /// The 74 bits after the version, counting up.
    counter: u128,
}

impl UuidSequence {
    /// A sequence starting now at a random point.
    pub(super) fn start(conn: &rusqlite::Connection) -> StoreResult<Self> {
        let random: Vec<u8> = conn.query_row("SELECT randomblob(16)", [], |row| row.get(0))?;
        let mut bytes = [0u8; 16];
        for (to, from) in bytes.iter_mut().zip(random) {
            *to = from;
        }
        // The top bit stays clear so the count never wraps.
        let counter = u128::from_be_bytes(bytes) & ((1u128 << 73) - 1);
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as u64)
            .unwrap_or(0)
            & ((1u64 << 48) - 1);
        Ok(Self { millis, counter })
    }

    /// The next UUID, as 8-4-4-4-12 lowercase hexadecimal digits.
    pub(super) fn next_uuid(&mut self) -> String {
        self.counter += 1;
        let rand_a = (self.counter >> 62) & 0xfff;
        let rand_b = self.counter & ((1u128 << 62) - 1);
        let value: u128 = (u128::from(self.millis) << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b;
        let hex = format!("{value:032x}");
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }
}

/// Every row's UUID of one kind, by row ID, held as numbers: an export of a
/// million codings keeps 40 MB of them rather than 100 MB of strings.
#[derive(Debug, Default)]
pub struct UuidMap {
    /// UUIDs in the canonical lower-case form, as 128-bit numbers.
    packed: HashMap<i64, u128>,
    /// Any other (a file from elsewhere may carry one), as written.
    other: HashMap<i64, String>,
}

impl UuidMap {
    /// The UUID of row `id`, in its canonical written form.
    pub fn get(&self, id: i64) -> Option<String> {
        if let Some(value) = self.packed.get(&id) {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let mut uuid = String::with_capacity(36);
            for digit in 0..32 {
                if matches!(digit, 8 | 12 | 16 | 20) {
                    uuid.push('-');
                }
                let nibble = (value >> (124 - 4 * digit)) & 0xf;
                uuid.push(char::from(HEX[nibble as usize]));
            }
            return Some(uuid);
        }
        self.other.get(&id).cloned()
    }

    fn insert(&mut self, id: i64, uuid: String) {
        let canonical = is_uuid(&uuid) && !uuid.bytes().any(|b| b.is_ascii_uppercase());
        match u128::from_str_radix(&uuid.replace('-', ""), 16) {
            Ok(value) if canonical => {
                self.packed.insert(id, value);
            }
            _ => {
                self.other.insert(id, uuid);
            }
        }
    }
}

impl Store {
    /// Every row's UUID of one kind, as a compact [`UuidMap`].
    pub fn uuid_map(&self, kind: Identified) -> StoreResult<UuidMap> {
        let (table, key) = kind.table_and_key();
        let mut statement =
            self.conn.prepare_cached(&format!("SELECT {key}, uuid FROM {table} WHERE uuid IS NOT NULL"))?;
        let mut rows = statement.query([])?;
        let mut map = UuidMap::default();
        while let Some(row) = rows.next()? {
            map.insert(row.get(0)?, row.get(1)?);
        }
        Ok(map)
    }

    /// `uuid` in the form stored, if it is a UUID no row of `kind` has yet:
    /// what a new row adding it may take as its identity.
    pub(super) fn free_uuid(&self, kind: Identified, uuid: Option<&str>) -> StoreResult<Option<String>> {
        let Some(uuid) = uuid.filter(|uuid| is_uuid(uuid)).map(str::to_lowercase) else {
            return Ok(None);
        };
        let (table, _) = kind.table_and_key();
        let taken = self.conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE uuid = ?1"))?.exists([&uuid])?;
        Ok((!taken).then_some(uuid))
    }

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
    use crate::store::CodingCheck;

    #[test]
    fn bulk_uuids_are_valid_version_7_and_each_greater_than_the_last() {
        let store = Store::in_memory().unwrap();
        let mut sequence = UuidSequence::start(&store.conn).unwrap();
        let uuids: Vec<String> = (0..5_000).map(|_| sequence.next_uuid()).collect();
        for uuid in &uuids {
            assert!(is_uuid(uuid), "{uuid}");
            assert_eq!(&uuid[14..15], "7", "version 7: {uuid}");
            assert!("89ab".contains(&uuid[19..20]), "the RFC variant: {uuid}");
        }
        assert!(uuids.windows(2).all(|pair| pair[0] < pair[1]), "ascending, so the index grows at its end");
        let other: Vec<String> = {
            let mut sequence = UuidSequence::start(&store.conn).unwrap();
            (0..5_000).map(|_| sequence.next_uuid()).collect()
        };
        let all: std::collections::HashSet<&String> = uuids.iter().chain(&other).collect();
        assert_eq!(all.len(), 10_000, "two sequences started at once do not meet");
    }

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

    #[test]
    fn a_coding_added_with_a_files_identity_takes_it_unless_another_coding_has_it() {
        use crate::model::{CodeDraft, CodingAnchor, ExcerptDraft, ExcerptId, SourceDraft};
        use crate::store::StoreError;
        let mut store = Store::in_memory().unwrap();
        let case = store.add_case("Cerro Alto", "").unwrap();
        let source = store.add_source(case, &SourceDraft { name: "E1".into(), ..SourceDraft::default() }).unwrap();
        let draft = ExcerptDraft { original: Some("El agua.".into()), ..ExcerptDraft::default() };
        let excerpt = store.add_excerpt(source, &draft).unwrap();
        let other = store.add_excerpt(source, &draft).unwrap();
        let code = store
            .add_code(&CodeDraft { name: "Agua".into(), description: String::new(), color: None, parent_id: None })
            .unwrap();
        let coder = store.ensure_coder("Ana").unwrap();
        let guid = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
        let (first, new) = store
            .add_coding_identified(excerpt, code, coder, CodingAnchor::Whole, Some(guid), CodingCheck::Look)
            .unwrap();
        assert!(new);
        assert_eq!(store.uuids(Identified::Coding).unwrap()[&first.0], guid.to_lowercase());
        let (again, new) = store
            .add_coding_identified(excerpt, code, coder, CodingAnchor::Whole, Some("not-a-guid"), CodingCheck::Look)
            .unwrap();
        assert_eq!((again, new), (first, false), "the same coding is not added twice");
        let (second, _) = store
            .add_coding_identified(other, code, coder, CodingAnchor::Whole, Some(guid), CodingCheck::Look)
            .unwrap();
        let second_uuid = &store.uuids(Identified::Coding).unwrap()[&second.0];
        assert!(is_uuid(second_uuid) && *second_uuid != guid.to_lowercase(), "two codings cannot share one");
        let missing =
            store.add_coding_identified(ExcerptId(999), code, coder, CodingAnchor::Whole, None, CodingCheck::Look);
        assert!(matches!(missing, Err(StoreError::NotFound { kind: "excerpt", .. })), "{missing:?}");
        // An excerpt added with a file's identity, and its new coding, take theirs the same way.
        let excerpt_guid = "0193A5B2-7C4E-7D3F-9A1B-2C3D4E5F6A7B";
        let third = store.add_excerpt_identified(source, &draft, Some(excerpt_guid)).unwrap();
        assert_eq!(store.uuids(Identified::Excerpt).unwrap()[&third.0], excerpt_guid.to_lowercase());
        let fourth = store.add_excerpt_identified(source, &draft, Some(excerpt_guid)).unwrap();
        let fourth_uuid = &store.uuids(Identified::Excerpt).unwrap()[&fourth.0];
        assert!(is_uuid(fourth_uuid) && *fourth_uuid != excerpt_guid.to_lowercase(), "two excerpts cannot share one");
        let coding_guid = "11111111-2222-4333-8444-555555555555";
        let fresh = store
            .add_coding_identified(
                third,
                code,
                coder,
                CodingAnchor::Whole,
                Some(coding_guid),
                CodingCheck::FreshExcerpt,
            )
            .unwrap()
            .0;
        assert_eq!(store.uuids(Identified::Coding).unwrap()[&fresh.0], coding_guid);
        assert_eq!(store.codings_of_excerpt(third).unwrap().len(), 1);
    }

    #[test]
    fn a_uuid_map_gives_back_each_uuid_as_it_was_written() {
        let mut map = UuidMap::default();
        let written = ["0193a5b2-7c4e-7d3f-9a1b-2c3d4e5f6a7b", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "not-a-uuid"];
        for (id, uuid) in written.iter().enumerate() {
            map.insert(id as i64, (*uuid).to_owned());
        }
        assert_eq!((map.packed.len(), map.other.len()), (2, 1));
        for (id, uuid) in written.iter().enumerate() {
            assert_eq!(map.get(id as i64).as_deref(), Some(*uuid));
        }
        assert_eq!(map.get(7), None);
    }
}
