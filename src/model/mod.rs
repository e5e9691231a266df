//! Domain types: cases, sources, excerpts, codes, codings, coders and memos, with
//! the ID newtypes that keep them apart. No I/O lives here; the store reads and
//! writes these types, and every other layer speaks in them.

mod case;
mod code;
mod codebook;
mod coding;
mod dates;
mod excerpt;
mod ids;
mod memo;
mod source;

pub use case::{AttributeScope, AttributeType, Case};
pub use code::{Code, CodeDraft, Color, MAX_CODE_DEPTH, code_key, code_labels, code_paths, distinct_colors, labelled};
pub use codebook::{DEFAULT_CODEBOOK, DefaultCode};
pub use coding::{Coder, Coding, CodingAnchor, Side};
pub use dates::is_partial_date;
pub use excerpt::{Excerpt, ExcerptDraft, TranslationStatus};
pub use ids::{AttributeId, CaseId, CodeId, CoderId, CodingId, ExcerptId, MemoId, SourceId};
pub use memo::MemoTarget;
pub use source::{Source, SourceDraft};
