//! REFI-QDA exchange: projects (`.qdpx`, a ZIP of `project.qde` and the source
//! texts) and codebooks (`.qdc`), as read and written by NVivo, ATLAS.ti, MAXQDA
//! and QualCoder.
//!
//! A Quipu source holds bilingual excerpts; a REFI-QDA text source is one plain
//! text. So each Quipu source is written as one text per language ("Entrevista 1
//! (es)", "Entrevista 1 (en)"), its excerpts one after another, each excerpt a
//! selection carrying its whole-excerpt codes, and each coded passage a selection
//! of its own. Descriptions starting `quipu:` let Quipu pair the languages again
//! when it reads its own files; files from other tools are read as texts split
//! into excerpts at blank lines.

mod export;
mod import;
mod xml;

pub use export::{export_project_to, render_codebook, render_project, render_project_named, write_project_named};
pub use import::{RefiSummary, import_refi, import_refi_with_progress};

/// The project namespace written (version 1.0).
pub const PROJECT_NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// The codebook namespace written.
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// Writes `quipu:key=value;key=value`, the description Quipu leaves on what it
/// exports so it can read its own files back exactly. Values are escaped.
fn quipu_description(pairs: &[(&str, &str)]) -> String {
    let escape = |value: &str| value.replace('%', "%25").replace(';', "%3B").replace('=', "%3D");
    let pairs: Vec<String> = pairs.iter().map(|(key, value)| format!("{key}={}", escape(value))).collect();
    format!("quipu:{}", pairs.join(";"))
}

/// Reads a description written by [`quipu_description`]; `None` for any other text.
fn parse_quipu_description(text: &str) -> Option<std::collections::HashMap<String, String>> {
    let rest = text.trim().strip_prefix("quipu:")?;
    let unescape = |value: &str| value.replace("%3D", "=").replace("%3B", ";").replace("%25", "%");
    Some(
        rest.split(';')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.to_owned(), unescape(value)))
            .collect(),
    )
}

/// A GUID for one thing of one project: stable across exports of the project,
/// distinct between projects (the project's random identity seeds it).
pub fn guid(project: &str, kind: &str, id: i64) -> String {
    let key = format!("{project}/{kind}/{id}");
    let high = crate::formats::fnv1a(key.as_bytes(), 0x5157_4950);
    let low = crate::formats::fnv1a(key.as_bytes(), 0x0bad_cafe_f00d_0001);
    let hex = format!("{high:016x}{low:016x}");
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quipu_descriptions_round_trip_any_text() {
        let written = quipu_description(&[("role", "presidenta; dirigente = 50%"), ("lang", "es")]);
        let read = parse_quipu_description(&written).unwrap();
        assert_eq!(read["role"], "presidenta; dirigente = 50%");
        assert_eq!(read["lang"], "es");
        assert!(parse_quipu_description("An interview from NVivo").is_none());
    }

    #[test]
    fn guids_are_stable_distinct_and_well_formed() {
        let a = guid("p1", "code", 7);
        assert_eq!(a, guid("p1", "code", 7));
        assert_ne!(a, guid("p1", "code", 8));
        assert_ne!(a, guid("p2", "code", 7));
        assert_ne!(a, guid("p1", "case", 7));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
