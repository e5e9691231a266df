//! Sources: interviews, testimonies, workshop tables or documents, each belonging
//! to a case.

use serde::Serialize;

use super::{CaseId, SourceId};

/// An interview, testimony, workshop record or document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The source's ID.
    pub source_id: SourceId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// Its name, unique within its case.
    pub name: String,
    /// Who speaks (a name or a group); may be empty.
    pub speaker: String,
    /// The speaker's role (community leader, official …).
    pub role: String,
    /// Where it was recorded.
    pub place: String,
    /// When: `yyyy`, `yyyy-mm` or `yyyy-mm-dd`, or empty.
    pub date: String,
    /// Who interviewed.
    pub interviewer: String,
    /// The pseudonym used in exports, when one was set.
    pub pseudonym: String,
    /// Notes on the source: for a transcript, the lines before the first turn
    /// (title, date, transcriber).
    pub description: String,
}

/// The fields of a new source, before it has an ID.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceDraft {
    /// Source name, unique within its case.
    pub name: String,
    /// Who speaks.
    pub speaker: String,
    /// The speaker's role.
    pub role: String,
    /// Where it was recorded.
    pub place: String,
    /// When (`yyyy`, `yyyy-mm` or `yyyy-mm-dd`), or empty.
    pub date: String,
    /// Who interviewed.
    pub interviewer: String,
    /// Notes on the source (kept only when the source is new).
    pub description: String,
}

impl Source {
    /// How a quote from this source is attributed in a report: speaker (or role),
    /// role, place and date, skipping what is unknown.
    pub fn attribution(&self, speaker_shown: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !speaker_shown.is_empty() {
            parts.push(speaker_shown);
        }
        if !self.role.is_empty() && self.role != speaker_shown {
            parts.push(&self.role);
        }
        if !self.place.is_empty() {
            parts.push(&self.place);
        }
        if !self.date.is_empty() {
            parts.push(&self.date);
        }
        parts.join(", ")
    }
}
