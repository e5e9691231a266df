//! Codings (a code applied by a coder to a whole excerpt or to a passage of one of
//! its languages) and coders.

use serde::Serialize;

use super::{CodeId, CoderId, CodingId, ExcerptId};
use crate::text::CharSpan;

/// One of the two languages of an excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The original text (usually Spanish).
    Original,
    /// The translation (usually English).
    Translation,
}

impl Side {
    /// The stable name stored in the project file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Translation => "translation",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "original" => Some(Self::Original),
            "translation" => Some(Self::Translation),
            _ => None,
        }
    }

    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Self::Original => Self::Translation,
            Self::Translation => Self::Original,
        }
    }
}

/// What part of an excerpt a coding covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum CodingAnchor {
    /// The whole excerpt, in both languages.
    Whole,
    /// A passage of one language, counted in characters, end exclusive.
    Passage {
        /// Which language's text the span counts in.
        side: Side,
        /// The characters covered.
        #[serde(skip)]
        span: CharSpan,
    },
}

/// A code applied to an excerpt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coding {
    /// The coding's ID.
    pub coding_id: CodingId,
    /// The excerpt coded.
    pub excerpt_id: ExcerptId,
    /// The code applied.
    pub code_id: CodeId,
    /// Who applied it.
    pub coder_id: CoderId,
    /// The whole excerpt or a passage.
    pub anchor: CodingAnchor,
    /// The text the passage covered when it was coded (empty for whole-excerpt
    /// codings), kept so the coding can be found again after an edit.
    pub covered_text: String,
    /// Set when an edit removed the words this coding covered.
    pub needs_review: bool,
    /// When it was made (UTC, ISO 8601).
    pub created_at: String,
}

/// Who codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coder {
    /// The coder's ID.
    pub coder_id: CoderId,
    /// The coder's name, unique in the project.
    pub name: String,
}
