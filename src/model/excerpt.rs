//! Excerpts, the unit researchers quote: an original text and its translation,
//! either of which may be missing, and the state of the translation's review.

use serde::Serialize;

use super::{ExcerptId, Side, SourceId};

/// Where the review of a translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    /// There is no translation yet.
    Missing,
    /// Translated, not yet reviewed.
    Draft,
    /// A reviewer accepted the translation.
    Reviewed,
    /// A reviewer questions the translation (see the note).
    Disputed,
}

impl TranslationStatus {
    /// Every status, in workflow order.
    pub const ALL: [TranslationStatus; 4] = [Self::Missing, Self::Draft, Self::Reviewed, Self::Disputed];

    /// The stable name stored in the project file and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Draft => "draft",
            Self::Reviewed => "reviewed",
            Self::Disputed => "disputed",
        }
    }

    /// Parses a status name in English or Spanish, ignoring case.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_lowercase().as_str() {
            "missing" | "falta" | "faltante" | "sin traducción" => Some(Self::Missing),
            "draft" | "borrador" => Some(Self::Draft),
            "reviewed" | "revisada" | "revisado" => Some(Self::Reviewed),
            "disputed" | "disputada" | "en disputa" | "cuestionada" => Some(Self::Disputed),
            _ => None,
        }
    }

    /// The status a new excerpt gets when none is given.
    pub fn default_for(translation: Option<&str>) -> Self {
        if translation.is_some_and(|text| !text.is_empty()) { Self::Draft } else { Self::Missing }
    }
}

/// A stored excerpt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// The excerpt's ID.
    pub excerpt_id: ExcerptId,
    /// The source it comes from.
    pub source_id: SourceId,
    /// The researcher's own identifier (from the imported spreadsheet), or empty.
    pub label: String,
    /// Its order within the source.
    pub position: i64,
    /// The original text (usually Spanish), if any.
    pub original: Option<String>,
    /// Language tag of the original, such as `es`.
    pub original_lang: String,
    /// The translation (usually English), if any.
    pub translation: Option<String>,
    /// Language tag of the translation, such as `en`.
    pub translation_lang: String,
    /// Where the review of the translation stands.
    pub translation_status: TranslationStatus,
    /// The reviewer's note on the translation.
    pub translation_note: String,
    /// Who spoke it, as the transcript labels them (empty: the source's speaker).
    pub speaker: String,
    /// True for the interviewer's turns: kept so a source reads whole, but not a
    /// speaker's testimony.
    pub interviewer: bool,
    /// When in the recording it was said (`00:14:05`), or empty.
    pub time: String,
}

impl Excerpt {
    /// The text of one side, if present.
    pub fn text(&self, side: Side) -> Option<&str> {
        match side {
            Side::Original => self.original.as_deref(),
            Side::Translation => self.translation.as_deref(),
        }
    }

    /// The language tag of one side.
    pub fn lang(&self, side: Side) -> &str {
        match side {
            Side::Original => &self.original_lang,
            Side::Translation => &self.translation_lang,
        }
    }

    /// The side written in `lang`, if either is.
    pub fn side_in(&self, lang: &str) -> Option<Side> {
        [Side::Original, Side::Translation].into_iter().find(|side| self.lang(*side).eq_ignore_ascii_case(lang))
    }
}

/// The fields of a new excerpt, before it has an ID. Texts must already be
/// normalised (see [`crate::text::normalize`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ExcerptDraft {
    /// The researcher's own identifier, or empty.
    pub label: String,
    /// The original text, if any.
    pub original: Option<String>,
    /// Language tag of the original.
    pub original_lang: String,
    /// The translation, if any.
    pub translation: Option<String>,
    /// Language tag of the translation.
    pub translation_lang: String,
    /// Review status of the translation.
    pub translation_status: TranslationStatus,
    /// The reviewer's note.
    pub translation_note: String,
    /// Who spoke it, as the transcript labels them (empty: the source's speaker).
    pub speaker: String,
    /// True for the interviewer's turns.
    pub interviewer: bool,
    /// When in the recording it was said, or empty.
    pub time: String,
}

impl Default for ExcerptDraft {
    fn default() -> Self {
        Self {
            label: String::new(),
            original: None,
            original_lang: "es".to_owned(),
            translation: None,
            translation_lang: "en".to_owned(),
            translation_status: TranslationStatus::Missing,
            translation_note: String::new(),
            speaker: String::new(),
            interviewer: false,
            time: String::new(),
        }
    }
}
