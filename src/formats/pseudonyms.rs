//! Pseudonymisation for exports: speakers are shown by a pseudonym (the one kept
//! in the project, or a generated "Participant N"), or by role and place, and their
//! real names are scrubbed from every text that leaves the program (quotes, memos).

use std::collections::HashMap;

use crate::model::{Source, SourceId};
use crate::store::{Store, StoreResult};

/// How speakers are named in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Names {
    /// Pseudonyms: each source's pseudonym, or "Participant N" (the default).
    #[default]
    Pseudonyms,
    /// The speaker's role and place instead of a name.
    Roles,
    /// Real names, unchanged.
    Real,
}

impl Names {
    /// Parses `pseudonyms`, `roles` or `real`.
    pub fn parse(text: &str) -> Option<Names> {
        match text.trim().to_lowercase().as_str() {
            "pseudonyms" | "pseudonym" | "seudonimos" | "seudónimos" => Some(Names::Pseudonyms),
            "roles" | "role" | "roles and places" => Some(Names::Roles),
            "real" | "real names" => Some(Names::Real),
            _ => None,
        }
    }
}

/// Names of the yes/no case attribute that marks a case as sensitive.
pub const SENSITIVE_ATTRIBUTES: [&str; 3] = ["sensitive", "sensible", "sensitivo"];

/// Particles that may sit lowercase inside a person's name ("María de la Cruz").
const NAME_PARTICLES: [&str; 8] = ["de", "del", "la", "las", "los", "y", "da", "van"];

/// Replaces speakers' names as chosen.
#[derive(Debug, Clone, Default)]
pub struct Pseudonymizer {
    names: Names,
    shown_by_source: HashMap<SourceId, String>,
    /// (text to find, replacement), longest first.
    replacements: Vec<(String, String)>,
    /// Finds every name at once (a report may scrub a hundred thousand texts).
    matcher: Option<aho_corasick::AhoCorasick>,
}

impl Pseudonymizer {
    /// Builds the names for every source of the project.
    pub fn new(store: &Store, names: Names) -> StoreResult<Pseudonymizer> {
        let mut sources = store.sources()?;
        sources.sort_by_key(|source| source.source_id);
        let mut pseudonymizer = Self::for_sources(&sources, names);
        if names == Names::Real {
            return Ok(pseudonymizer);
        }
        // Cases marked sensitive (a yes/no case attribute named "sensitive")
        // leave as "Case A", "Case B" …, their names scrubbed from every text.
        let marked = SENSITIVE_ATTRIBUTES
            .iter()
            .find_map(|name| store.attribute_by_name(crate::model::AttributeScope::Case, name).ok().flatten());
        if let Some(attribute) = marked {
            let mut letter = 0u8;
            for case in store.cases()? {
                let sensitive = store.case_attributes(case.case_id)?.iter().any(|value| {
                    value.attribute_id == attribute.attribute_id
                        && matches!(value.value.trim().to_lowercase().as_str(), "yes" | "sí" | "si" | "true" | "1")
                });
                if sensitive {
                    let shown = format!("Case {}", char::from(b'A' + letter % 26));
                    letter += 1;
                    pseudonymizer.replacements.push((case.name.clone(), shown));
                }
            }
            pseudonymizer.build_matcher();
        }
        Ok(pseudonymizer)
    }

    /// Builds the names for these sources (numbered in the order given).
    pub fn for_sources(sources: &[Source], names: Names) -> Pseudonymizer {
        let mut pseudonizer = Pseudonymizer { names, ..Pseudonymizer::default() };
        if names == Names::Real {
            for source in sources {
                pseudonizer.shown_by_source.insert(source.source_id, source.speaker.clone());
            }
            return pseudonizer;
        }
        // A pseudonym kept on any of a speaker's sources is that speaker's pseudonym.
        let mut by_speaker: HashMap<String, String> = HashMap::new();
        for source in sources.iter().filter(|s| !s.pseudonym.trim().is_empty() && !s.speaker.trim().is_empty()) {
            by_speaker.entry(source.speaker.trim().to_owned()).or_insert_with(|| source.pseudonym.trim().to_owned());
        }
        let mut generated = 0;
        for source in sources {
            let shown = match names {
                Names::Roles => role_and_place(source),
                _ if source.speaker.trim().is_empty() => source.pseudonym.trim().to_owned(),
                _ => by_speaker
                    .entry(source.speaker.trim().to_owned())
                    .or_insert_with(|| {
                        generated += 1;
                        format!("Participant {generated}")
                    })
                    .clone(),
            };
            let speaker = source.speaker.trim();
            if !speaker.is_empty() {
                pseudonizer.add_replacements(speaker, &shown);
            }
            pseudonizer.shown_by_source.insert(source.source_id, shown);
        }
        pseudonizer.build_matcher();
        pseudonizer
    }

    /// Orders the replacements (longest first) and builds the matcher over them.
    fn build_matcher(&mut self) {
        self.replacements.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
        self.replacements.dedup_by(|a, b| a.0 == b.0);
        self.matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(self.replacements.iter().map(|(name, _)| name.as_str()))
            .ok();
    }

    fn add_replacements(&mut self, speaker: &str, shown: &str) {
        let replacement = if shown.is_empty() { "[name removed]".to_owned() } else { shown.to_owned() };
        self.replacements.push((speaker.to_owned(), replacement.clone()));
        let tokens: Vec<&str> = speaker.split_whitespace().collect();
        // For a person's name, its parts alone give the person away too.
        let personal = tokens.len() >= 2
            && tokens.iter().all(|token| {
                token.chars().next().is_some_and(char::is_uppercase)
                    || NAME_PARTICLES.contains(&token.to_lowercase().as_str())
            });
        if personal {
            for start in 0..tokens.len() {
                for end in start + 1..=tokens.len() {
                    let part = tokens[start..end].join(" ");
                    let meaningful = tokens[start..end].iter().any(|token| {
                        !NAME_PARTICLES.contains(&token.to_lowercase().as_str()) && token.chars().count() >= 3
                    });
                    if meaningful && part != speaker {
                        self.replacements.push((part, replacement.clone()));
                    }
                }
            }
        }
    }

    /// How this source's speaker appears in the export.
    pub fn speaker(&self, source: &Source) -> String {
        self.shown_by_source.get(&source.source_id).cloned().unwrap_or_else(|| match self.names {
            Names::Real => source.speaker.clone(),
            Names::Roles => role_and_place(source),
            Names::Pseudonyms => String::new(),
        })
    }

    /// The text with every real speaker's name (and, for people, the parts of
    /// their names) replaced by how that speaker appears in the export.
    pub fn scrub(&self, text: &str) -> String {
        let Some(matcher) = self.matcher.as_ref().filter(|_| self.names != Names::Real && !text.is_empty()) else {
            return text.to_owned();
        };
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        // Longest names first, and only whole words: "Rosa" is not replaced inside "Rosalía".
        for found in matcher.find_iter(text) {
            let (start, end) = (found.start(), found.end());
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            out.push_str(&text[copied..start]);
            out.push_str(&self.replacements[found.pattern().as_usize()].1);
            copied = end;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// True when real names are exported.
    pub fn keeps_real_names(&self) -> bool {
        self.names == Names::Real
    }
}

/// "role, place", or whichever there is.
fn role_and_place(source: &Source) -> String {
    let parts: Vec<&str> = [source.role.trim(), source.place.trim()].into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() { "a participant".to_owned() } else { parts.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CaseId;

    fn source(id: i64, speaker: &str, pseudonym: &str) -> Source {
        Source {
            source_id: SourceId(id),
            case_id: CaseId(1),
            name: format!("Entrevista {id}"),
            speaker: speaker.to_owned(),
            role: "dirigente".to_owned(),
            place: "Llaqtapampa".to_owned(),
            date: String::new(),
            interviewer: String::new(),
            pseudonym: pseudonym.to_owned(),
            description: String::new(),
        }
    }

    #[test]
    fn speakers_get_stable_pseudonyms_and_their_names_are_scrubbed() {
        let sources = [
            source(1, "Rosa Quispe de la Cruz", ""),
            source(2, "Juan Pérez", "Don J."),
            source(3, "Rosa Quispe de la Cruz", ""),
            source(4, "Asamblea comunal de Hatun", ""),
        ];
        let names = Pseudonymizer::for_sources(&sources, Names::Pseudonyms);
        assert_eq!(names.speaker(&sources[0]), "Participant 1");
        assert_eq!(names.speaker(&sources[2]), "Participant 1", "the same speaker keeps one pseudonym");
        assert_eq!(names.speaker(&sources[1]), "Don J.", "a pseudonym kept in the project is used");
        assert_eq!(names.speaker(&sources[3]), "Participant 2");
        let kept_elsewhere = [source(1, "Ana Soto", ""), source(2, "Ana Soto", "Doña A.")];
        let names_kept = Pseudonymizer::for_sources(&kept_elsewhere, Names::Pseudonyms);
        assert_eq!(names_kept.speaker(&kept_elsewhere[0]), "Doña A.", "a speaker's pseudonym covers all their sources");
        let memo = "Rosa dijo que Quispe y Juan Pérez (Pérez) vieron a la Asamblea comunal de Hatun; Rosalía no.";
        let scrubbed = names.scrub(memo);
        for name in ["Rosa ", "Quispe", "Juan", "Pérez", "Asamblea comunal de Hatun"] {
            assert!(!scrubbed.contains(name), "{name} leaked: {scrubbed}");
        }
        assert!(scrubbed.contains("Rosalía"), "words that only start like a name stay: {scrubbed}");
        assert!(scrubbed.contains("Participant 1") && scrubbed.contains("Don J."), "{scrubbed}");
    }

    #[test]
    fn roles_and_real_names_are_options() {
        let sources = [source(1, "Rosa Quispe", "")];
        let roles = Pseudonymizer::for_sources(&sources, Names::Roles);
        assert_eq!(roles.speaker(&sources[0]), "dirigente, Llaqtapampa");
        assert_eq!(roles.scrub("Rosa Quispe habló"), "dirigente, Llaqtapampa habló");
        let real = Pseudonymizer::for_sources(&sources, Names::Real);
        assert_eq!(real.speaker(&sources[0]), "Rosa Quispe");
        assert_eq!(real.scrub("Rosa Quispe habló"), "Rosa Quispe habló");
    }
}
