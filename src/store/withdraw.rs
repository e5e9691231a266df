//! Removing testimony: an informant who withdraws consent (every excerpt they
//! spoke, and every source recorded with them as its speaker), or one excerpt,
//! source or case. What would go is counted first, so a person can confirm
//! knowing what goes; the removal is one action, undoable until the project is
//! closed, and with secure delete on nothing of it can be read from the file
//! after that (see [`Store`]'s `Drop`).

use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError, StoreResult};
use crate::model::{CaseId, SourceId};

/// What a removal takes away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// Sources removed whole.
    pub sources: usize,
    /// Excerpts removed (with the sources' own).
    pub excerpts: usize,
    /// Codings on them.
    pub codings: usize,
    /// Memos on them.
    pub memos: usize,
}

impl Removal {
    /// True when nothing would go.
    pub fn is_empty(&self) -> bool {
        self.sources == 0 && self.excerpts == 0
    }
}

/// The excerpts a speaker spoke: their own turn's speaker, or, for an excerpt
/// with none, its source's; and every excerpt of a source recorded with them.
/// `?1` is the speaker's name.
const SPEAKER_EXCERPTS: &str = "SELECT e.excerpt_id FROM excerpts e JOIN sources s ON s.source_id = e.source_id
     WHERE (CASE WHEN e.speaker <> '' THEN e.speaker ELSE s.speaker END) = ?1 COLLATE NOCASE
        OR s.speaker = ?1 COLLATE NOCASE";

impl Store {
    /// What removing `speaker`'s testimony would take away.
    pub fn speaker_removal(&self, speaker: &str) -> StoreResult<Removal> {
        self.removal_of(
            "SELECT source_id FROM sources WHERE speaker = ?1 COLLATE NOCASE",
            SPEAKER_EXCERPTS,
            speaker.trim(),
        )
    }

    /// Removes every excerpt `speaker` spoke and every source recorded with them
    /// as its speaker, with their codings and memos, as one action. A name no
    /// excerpt or source has is refused.
    pub fn remove_speaker(&mut self, speaker: &str) -> StoreResult<Removal> {
        let speaker = speaker.trim();
        let removal = self.speaker_removal(speaker)?;
        if removal.is_empty() {
            return Err(StoreError::NotFound { kind: "speaker", name: speaker.to_owned() });
        }
        self.forgot = true;
        self.atomically(|store| {
            store.conn.execute(&format!("DELETE FROM excerpts WHERE excerpt_id IN ({SPEAKER_EXCERPTS})"), [speaker])?;
            store.conn.execute("DELETE FROM sources WHERE speaker = ?1 COLLATE NOCASE", [speaker])?;
            Ok(removal)
        })
    }

    /// What removing a source would take away.
    pub fn source_removal(&self, source_id: SourceId) -> StoreResult<Removal> {
        self.removal_of(
            "SELECT source_id FROM sources WHERE source_id = ?1",
            "SELECT excerpt_id FROM excerpts WHERE source_id = ?1",
            source_id.0,
        )
    }

    /// Removes a source with its excerpts, codings and memos.
    pub fn delete_source(&mut self, source_id: SourceId) -> StoreResult<()> {
        self.forgot = true;
        let deleted = self.conn.prepare_cached("DELETE FROM sources WHERE source_id = ?1")?.execute([source_id])?;
        if deleted == 0 {
            return Err(StoreError::NotFound { kind: "source", name: source_id.to_string() });
        }
        Ok(())
    }

    /// What removing a case would take away.
    pub fn case_removal(&self, case_id: CaseId) -> StoreResult<Removal> {
        self.removal_of(
            "SELECT source_id FROM sources WHERE case_id = ?1",
            "SELECT e.excerpt_id FROM excerpts e JOIN sources s USING (source_id) WHERE s.case_id = ?1",
            case_id.0,
        )
    }

    /// What removing an excerpt would take away.
    pub fn excerpt_removal(&self, excerpt_id: crate::model::ExcerptId) -> StoreResult<Removal> {
        self.removal_of("SELECT NULL WHERE 0 AND ?1", "SELECT ?1", excerpt_id.0)
    }

    /// Counts the sources and excerpts two queries select (parameter `?1`),
    /// with the codings and memos that go with them.
    fn removal_of(&self, sources: &str, excerpts: &str, key: impl rusqlite::ToSql) -> StoreResult<Removal> {
        let count = |sql: String| -> StoreResult<usize> {
            Ok(self.conn.query_row(&sql, params![key], |row| row.get::<_, i64>(0))? as usize)
        };
        Ok(Removal {
            sources: count(format!("SELECT count(*) FROM ({sources})"))?,
            excerpts: count(format!(
                "SELECT count(*) FROM excerpts WHERE excerpt_id IN ({excerpts})
                    OR source_id IN ({sources})"
            ))?,
            codings: count(format!(
                "SELECT count(*) FROM codings WHERE excerpt_id IN ({excerpts}) OR source_id IN ({sources})"
            ))?,
            memos: count(format!(
                "SELECT count(*) FROM memos WHERE excerpt_id IN ({excerpts})
                    OR source_id IN ({sources})
                    OR excerpt_id IN (SELECT excerpt_id FROM excerpts WHERE source_id IN ({sources}))
                    OR coding_id IN (SELECT coding_id FROM codings
                                     WHERE excerpt_id IN ({excerpts}) OR source_id IN ({sources}))"
            ))?,
        })
    }
}
