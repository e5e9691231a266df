//! Codes: the themes of the codebook, with their colours and hierarchy.

use std::fmt;

use serde::Serialize;

use super::CodeId;

/// The deepest a code may sit in the codebook (a top-level code is at depth 1).
/// Codebooks people build are a few levels deep; the limit keeps every
/// operation on the tree quick and a hostile file from nesting thousands deep.
pub const MAX_CODE_DEPTH: usize = 64;

/// A theme in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Code {
    /// The code's ID.
    pub code_id: CodeId,
    /// Its name, unique in the project (ignoring case).
    pub name: String,
    /// Its definition: what it means, when to use it, when not.
    pub description: String,
    /// Its colour in the text and in charts.
    pub color: Color,
    /// The code it sits under, if any.
    pub parent_id: Option<CodeId>,
    /// Its place among its siblings.
    pub sort_order: i64,
}

/// The fields of a new code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeDraft {
    /// Name, unique in the project.
    pub name: String,
    /// Definition.
    pub description: String,
    /// Colour; `None` picks the next one of the palette.
    pub color: Option<Color>,
    /// Parent code, if any.
    pub parent_id: Option<CodeId>,
}

/// An sRGB colour, written `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Color {
    /// Colours given to new codes in turn: distinct, readable under dark text.
    pub const PALETTE: [Color; 20] = [
        Color::rgb(0xe4, 0x6c, 0x5a),
        Color::rgb(0x4e, 0x9a, 0xd6),
        Color::rgb(0x6b, 0xb3, 0x6b),
        Color::rgb(0xe0, 0xa4, 0x3a),
        Color::rgb(0x9b, 0x7b, 0xc9),
        Color::rgb(0x4f, 0xb3, 0xaa),
        Color::rgb(0xd9, 0x77, 0xb0),
        Color::rgb(0x9c, 0x8a, 0x5e),
        Color::rgb(0x7f, 0x9c, 0xb8),
        Color::rgb(0xc4, 0x5c, 0x7a),
        Color::rgb(0x8a, 0xb0, 0x45),
        Color::rgb(0xb8, 0x7d, 0x4b),
        Color::rgb(0x3b, 0x6e, 0xa8),
        Color::rgb(0xa8, 0x3b, 0x3b),
        Color::rgb(0x2e, 0x8b, 0x57),
        Color::rgb(0xcc, 0xb1, 0x3a),
        Color::rgb(0x6a, 0x4c, 0x93),
        Color::rgb(0x1f, 0x9e, 0xc9),
        Color::rgb(0xe0, 0x82, 0x2b),
        Color::rgb(0x70, 0x70, 0x70),
    ];

    /// A colour from its components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// Parses `#RRGGBB` or `#RGB` (the `#` is optional).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.trim().trim_start_matches('#');
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        match hex.len() {
            6 => Some(Self::rgb(pair(0)?, pair(2)?, pair(4)?)),
            3 => Some(Self::rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            _ => None,
        }
    }

    /// The palette colour for the `n`th code.
    pub fn from_palette(n: usize) -> Self {
        Self::PALETTE[n % Self::PALETTE.len()]
    }
}

/// A code name as imports compare it: without case or accents, `_` and `-` read
/// as spaces, spaces collapsed. `police_use` and `Police use` are one code.
pub fn code_key(name: &str) -> String {
    crate::text::fold_name(name)
}

/// Colours for codes shown together (a chart's bars): each code keeps its own
/// colour unless an earlier code already has it, in which case it gets the first
/// palette colour no code shown uses. Up to the palette's twenty, every colour
/// differs.
pub fn distinct_colors(colors: &[Color]) -> Vec<Color> {
    let mut taken: Vec<Color> = Vec::with_capacity(colors.len());
    for (index, color) in colors.iter().enumerate() {
        let chosen = if taken.contains(color) {
            Color::PALETTE
                .iter()
                .copied()
                .find(|candidate| !taken.contains(candidate) && !colors[index..].contains(candidate))
                .or_else(|| Color::PALETTE.iter().copied().find(|candidate| !taken.contains(candidate)))
                .unwrap_or(*color)
        } else {
            *color
        };
        taken.push(chosen);
    }
    taken
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

impl Serialize for Color {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Each code's path from the top of the codebook: its ancestors' names and its
/// own, joined by `separator` ("Water/Other", "Water > Other").
pub fn code_paths(codes: &[Code], separator: &str) -> std::collections::HashMap<CodeId, String> {
    let by_id: std::collections::HashMap<CodeId, &Code> = codes.iter().map(|code| (code.code_id, code)).collect();
    codes
        .iter()
        .map(|code| {
            let mut path = vec![code.name.as_str()];
            let mut parent = code.parent_id;
            // Bounded, so a damaged file with a cycle cannot loop.
            while let Some(parent_code) = parent.and_then(|id| by_id.get(&id)) {
                if path.len() > MAX_CODE_DEPTH {
                    break;
                }
                path.push(parent_code.name.as_str());
                parent = parent_code.parent_id;
            }
            path.reverse();
            (code.code_id, path.join(separator))
        })
        .collect()
}

/// What to call each code where codes are listed flat (tables, charts, the
/// command line): its name, or, where another code has the same name (names are
/// unique among siblings only), its path `Parent/Child`.
pub fn code_labels(codes: &[Code]) -> std::collections::HashMap<CodeId, String> {
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for code in codes {
        *uses.entry(code.name.to_lowercase()).or_default() += 1;
    }
    let paths = code_paths(codes, "/");
    codes
        .iter()
        .map(|code| {
            let label =
                if uses[&code.name.to_lowercase()] > 1 { paths[&code.code_id].clone() } else { code.name.clone() };
            (code.code_id, label)
        })
        .collect()
}

/// The codes with each name replaced by its label ([`code_labels`]), for
/// tables that list codes flat.
pub fn labelled(mut codes: Vec<Code>) -> Vec<Code> {
    let labels = code_labels(&codes);
    for code in &mut codes {
        if let Some(label) = labels.get(&code.code_id) {
            code.name.clone_from(label);
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    #[test]
    fn code_keys_ignore_case_accents_and_separators() {
        assert_eq!(super::code_key("police_use"), super::code_key("Police use"));
        assert_eq!(super::code_key("Ausencia-del  Estado"), super::code_key("ausencia del estado"));
        assert_eq!(super::code_key("Participación"), "participacion");
        assert_ne!(super::code_key("Trust"), super::code_key("Trusts"));
    }

    #[test]
    fn twenty_codes_sharing_colours_get_twenty_distinct_chart_colours() {
        let shared: Vec<Color> = (0..20).map(|n| Color::from_palette(n % 3)).collect();
        let chosen = super::distinct_colors(&shared);
        for (index, color) in chosen.iter().enumerate() {
            assert!(!chosen[..index].contains(color), "colour {index} repeats: {chosen:?}");
        }
        // Codes whose colours already differ keep them.
        let own: Vec<Color> = (0..5).map(Color::from_palette).collect();
        assert_eq!(super::distinct_colors(&own), own);
    }

    use super::*;

    #[test]
    fn colours_parse_long_and_short_forms_and_print_long() {
        assert_eq!(Color::parse("#1a2B3c"), Some(Color::rgb(0x1a, 0x2b, 0x3c)));
        assert_eq!(Color::parse("#fa0"), Some(Color::rgb(0xff, 0xaa, 0x00)));
        assert_eq!(Color::parse("red"), None);
        assert_eq!(Color::parse("#ééé"), None);
        assert_eq!(Color::rgb(1, 2, 255).to_string(), "#0102FF");
    }
}
