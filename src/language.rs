//! The two languages Quipu speaks, and text that exists in both.
//!
//! The window speaks English or Spanish, and so must the core's messages that
//! it shows (a row refused by an importer, a name already taken). Core errors
//! carry a [`Text`] in both languages: their `Display` is English (the command
//! line's language), and [`Localized::localized`] gives either.

use serde::{Deserialize, Serialize};

/// A language of the interface and of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// English.
    #[default]
    English,
    /// Spanish.
    Spanish,
}

/// A message in English and Spanish.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    english: String,
    spanish: String,
}

impl Text {
    /// A message from its two versions.
    pub fn new(english: impl Into<String>, spanish: impl Into<String>) -> Self {
        Self { english: english.into(), spanish: spanish.into() }
    }

    /// The message in `language`.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::English => &self.english,
            Language::Spanish => &self.spanish,
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.english)
    }
}

/// Builds a [`Text`] from an English and a Spanish format string with the same
/// arguments: `bilingual!("row {row} is empty", "la fila {row} está vacía")`.
#[macro_export]
macro_rules! bilingual {
    ($english:literal, $spanish:literal $(,)?) => {
        $crate::language::Text::new(format!($english), format!($spanish))
    };
    ($english:literal, $spanish:literal, $($arguments:tt)+) => {
        $crate::language::Text::new(format!($english, $($arguments)+), format!($spanish, $($arguments)+))
    };
}

/// A message that can be said in either language (core errors).
pub trait Localized {
    /// The message in `language`.
    fn localized(&self, language: Language) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_keeps_both_languages_and_displays_in_english() {
        let row = 3;
        let message = crate::bilingual!("row {row} is empty", "la fila {row} está vacía");
        assert_eq!(message.get(Language::Spanish), "la fila 3 está vacía");
        assert_eq!(message.to_string(), "row 3 is empty");
    }
}
