//! Memos: a researcher's notes on the project or on any one thing in it.

use serde::Serialize;

use super::{CaseId, CodeId, CodingId, ExcerptId, SourceId};

/// What a memo is about. Each target has at most one memo, edited in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "id")]
pub enum MemoTarget {
    /// The project as a whole.
    Project,
    /// A case.
    Case(CaseId),
    /// A source.
    Source(SourceId),
    /// An excerpt.
    Excerpt(ExcerptId),
    /// A code.
    Code(CodeId),
    /// A coding.
    Coding(CodingId),
}
