//! Cases, the units of comparison, and the typed attributes that describe cases and
//! sources.

use serde::Serialize;

use super::CaseId;
use crate::language::Text;

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

    /// The scope's name for people, in Spanish.
    pub fn spanish_name(self) -> &'static str {
        match self {
            Self::Case => "caso",
            Self::Source => "fuente",
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

    /// The type's name for people, in Spanish.
    pub fn spanish_name(self) -> &'static str {
        match self {
            Self::Text => "texto",
            Self::Number => "número",
            Self::Date => "fecha",
            Self::Boolean => "sí/no",
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

impl AttributeType {
    /// Checks a value and writes it the one way it is stored: numbers with a
    /// decimal point, dates as `yyyy`, `yyyy-mm` or `yyyy-mm-dd`, yes/no as `yes` or
    /// `no`. Returns a message saying what is expected when the value does not fit.
    pub fn normalize_value(self, value: &str) -> Result<String, Text> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(String::new());
        }
        match self {
            AttributeType::Text => Ok(value.to_owned()),
            AttributeType::Number => {
                // Spanish spreadsheets write decimals with a comma.
                let candidate = if value.contains(',') && !value.contains('.') {
                    value.replace(',', ".")
                } else {
                    value.to_owned()
                };
                candidate
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(|_| candidate)
                    .ok_or_else(|| crate::bilingual!("'{value}' is not a number", "'{value}' no es un número"))
            }
            AttributeType::Date => {
                if super::is_partial_date(value) {
                    Ok(value.to_owned())
                } else {
                    Err(crate::bilingual!(
                        "'{value}' is not a date written yyyy, yyyy-mm or yyyy-mm-dd",
                        "'{value}' no es una fecha escrita aaaa, aaaa-mm o aaaa-mm-dd"
                    ))
                }
            }
            AttributeType::Boolean => match value.to_lowercase().as_str() {
                "yes" | "y" | "true" | "1" | "sí" | "si" | "s" | "verdadero" => Ok("yes".to_owned()),
                "no" | "n" | "false" | "0" | "falso" => Ok("no".to_owned()),
                _ => Err(crate::bilingual!("'{value}' is not yes or no", "'{value}' no es sí ni no")),
            },
        }
    }

    /// The narrowest type all these values fit: number, date, yes/no, else text.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str> + Clone) -> AttributeType {
        let fits = |value_type: AttributeType| {
            let mut any = false;
            let all = values.clone().into_iter().filter(|v| !v.trim().is_empty()).all(|value| {
                any = true;
                value_type.normalize_value(value).is_ok()
            });
            all && any
        };
        [AttributeType::Number, AttributeType::Date, AttributeType::Boolean]
            .into_iter()
            .find(|value_type| fits(*value_type))
            .unwrap_or(AttributeType::Text)
    }
}
