//! Cases, the units of comparison, and the typed attributes that describe cases and
//! sources.

use serde::Serialize;

use super::CaseId;

/// A unit of comparison, such as a mine site or a community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The case's ID.
    pub case_id: CaseId,
    /// Its name, unique in the project.
    pub name: String,
    /// A free description.
    pub description: String,
}

/// What an attribute describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeScope {
    /// An attribute of cases (company, region, stage …).
    Case,
    /// An attribute of sources (gender, age group …).
    Source,
}

impl AttributeScope {
    /// The stable name stored in the project file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Source => "source",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "case" => Some(Self::Case),
            "source" => Some(Self::Source),
            _ => None,
        }
    }
}

/// The type of an attribute's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeType {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// A date (`yyyy`, `yyyy-mm` or `yyyy-mm-dd`).
    Date,
    /// Yes or no.
    Boolean,
}

impl AttributeType {
    /// The stable name stored in the project file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Boolean => "boolean",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "number" => Some(Self::Number),
            "date" => Some(Self::Date),
            "boolean" => Some(Self::Boolean),
            _ => None,
        }
    }
}
