//! Text rules shared by every layer: how excerpt text is normalised on the way in,
//! how offsets are counted, how spans snap to whole graphemes, how text splits into
//! sentences, and how a coded passage is found again after its text was edited.
//!
//! Offsets never mix units. A [`CharIdx`] counts Unicode scalar values (what
//! REFI-QDA calls code points); a [`ByteIdx`] counts UTF-8 bytes, which is what Rust
//! string slicing needs. Conversions between the two happen only in this module.

use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;

/// An offset into a text counted in Unicode scalar values (`char`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CharIdx(pub usize);

/// An offset into a text counted in UTF-8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteIdx(pub usize);

/// A half-open range of characters, `start..end`, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CharSpan {
    /// First character covered.
    pub start: CharIdx,
    /// One past the last character covered.
    pub end: CharIdx,
}

impl CharSpan {
    /// A span from `start` to `end` (end exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start: CharIdx(start), end: CharIdx(end) }
    }

    /// Number of characters covered.
    pub fn len(&self) -> usize {
        self.end.0.saturating_sub(self.start.0)
    }

    /// True when the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the two spans share at least one character.
    pub fn overlaps(&self, other: &CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What [`normalize`] changed in a text, so importers can report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NormalizationChanges {
    /// A leading byte-order mark was removed.
    pub removed_bom: bool,
    /// CRLF or lone CR line endings were turned into LF.
    pub converted_line_endings: bool,
    /// Decomposed characters (e.g. `e` + combining acute) were composed (NFC).
    pub composed_characters: bool,
}

impl NormalizationChanges {
    /// True when the text was already normalised.
    pub fn is_unchanged(&self) -> bool {
        *self == Self::default()
    }

    /// Combines the changes of several texts.
    pub fn merge(&mut self, other: NormalizationChanges) {
        self.removed_bom |= other.removed_bom;
        self.converted_line_endings |= other.converted_line_endings;
        self.composed_characters |= other.composed_characters;
    }
}

/// Brings text to the form Quipu stores: no byte-order mark, LF line endings, NFC.
///
/// Spans are counted on the normalised text, so every text must pass through here
/// before it is stored or compared.
pub fn normalize(text: &str) -> (String, NormalizationChanges) {
    let mut changes = NormalizationChanges::default();
    let without_bom = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            changes.removed_bom = true;
            rest
        }
        None => text,
    };
    let with_lf = if without_bom.contains('\r') {
        changes.converted_line_endings = true;
        without_bom.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        without_bom.to_owned()
    };
    let composed = match is_nfc_quick(with_lf.chars()) {
        IsNormalized::Yes => with_lf,
        _ => {
            let nfc: String = with_lf.nfc().collect();
            changes.composed_characters = nfc != with_lf;
            nfc
        }
    };
    (composed, changes)
}

/// Shorthand for [`normalize`] when the caller does not report changes.
pub fn normalized(text: &str) -> String {
    normalize(text).0
}

/// Number of characters (Unicode scalar values) in `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// The byte offset of a character offset, or `None` past the end of `text`.
pub fn char_to_byte(text: &str, char_idx: CharIdx) -> Option<ByteIdx> {
    if char_idx.0 == 0 {
        return Some(ByteIdx(0));
    }
    let mut chars_seen = 0;
    for (byte, _) in text.char_indices() {
        if chars_seen == char_idx.0 {
            return Some(ByteIdx(byte));
        }
        chars_seen += 1;
    }
    (chars_seen == char_idx.0).then_some(ByteIdx(text.len()))
}

/// The character offset of a byte offset; `None` if it is not on a char boundary.
pub fn byte_to_char(text: &str, byte_idx: ByteIdx) -> Option<CharIdx> {
    if !text.is_char_boundary(byte_idx.0) {
        return None;
    }
    Some(CharIdx(text[..byte_idx.0].chars().count()))
}

/// The byte range of a character span, or `None` if the span leaves the text.
pub fn byte_range(text: &str, span: CharSpan) -> Option<Range<usize>> {
    if span.start > span.end {
        return None;
    }
    let start = char_to_byte(text, span.start)?;
    let end = char_to_byte(text, span.end)?;
    Some(start.0..end.0)
}

/// The text a character span covers, or `None` if the span leaves the text.
pub fn slice_chars(text: &str, span: CharSpan) -> Option<&str> {
    byte_range(text, span).map(|range| &text[range])
}

/// Widens a span outward to whole grapheme clusters, so a selection never splits
/// a letter from its accent or an emoji from its modifier. Offsets past the end are
/// clamped to the end of the text.
pub fn snap_to_graphemes(text: &str, span: CharSpan) -> CharSpan {
    let total = char_len(text);
    let start = span.start.0.min(total);
    let end = span.end.0.min(total).max(start);
    let mut snapped_start = 0;
    let mut snapped_end = start;
    let mut grapheme_start = 0;
    for grapheme in text.graphemes(true) {
        let grapheme_end = grapheme_start + grapheme.chars().count();
        if grapheme_start <= start {
            snapped_start = grapheme_start;
        }
        if grapheme_end <= start {
            snapped_start = grapheme_end;
        }
        if grapheme_start < end {
            snapped_end = grapheme_end;
        } else {
            break;
        }
        grapheme_start = grapheme_end;
    }
    if start == end {
        return CharSpan::new(snapped_start, snapped_start);
    }
    CharSpan::new(snapped_start, snapped_end.max(snapped_start))
}

/// Trims whitespace from both ends of a span (a dragged selection often catches a
/// trailing space). Returns an empty span at `start` if only whitespace was covered.
pub fn trim_span(text: &str, span: CharSpan) -> CharSpan {
    let Some(covered) = slice_chars(text, span) else {
        return span;
    };
    let leading = covered.chars().take_while(|c| c.is_whitespace()).count();
    let trailing = covered.chars().rev().take_while(|c| c.is_whitespace()).count();
    if leading == span.len() {
        return CharSpan::new(span.start.0, span.start.0);
    }
    CharSpan::new(span.start.0 + leading, span.end.0 - trailing)
}

/// Sentence spans of `text`, by Unicode sentence boundaries, with surrounding
/// whitespace left out. Empty text has no sentences.
pub fn sentences(text: &str) -> Vec<CharSpan> {
    let mut spans = Vec::new();
    let mut char_pos = 0;
    for piece in text.split_sentence_bounds() {
        let len = piece.chars().count();
        let span = trim_span(text, CharSpan::new(char_pos, char_pos + len));
        if !span.is_empty() {
            spans.push(span);
        }
        char_pos += len;
    }
    spans
}

/// Pairs the sentences of an original with those of its translation, by order and
/// length (a simplified Gale–Church alignment): each pair joins one or two
/// sentences on one side with one or two on the other. Returns pairs of index
/// ranges into `original` and `translation`; every sentence belongs to one pair.
pub fn align_sentences(original: &[usize], translation: &[usize]) -> Vec<(Range<usize>, Range<usize>)> {
    let (n, m) = (original.len(), translation.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let total_original: usize = original.iter().sum::<usize>().max(1);
    let total_translation: usize = translation.iter().sum::<usize>().max(1);
    // Lengths as shares of their side, so a translation that runs longer overall
    // still lines up.
    let share_original = |range: Range<usize>| original[range].iter().sum::<usize>() as f64 / total_original as f64;
    let share_translation =
        |range: Range<usize>| translation[range].iter().sum::<usize>() as f64 / total_translation as f64;
    // (sentences taken from the original, from the translation, penalty). Leaving a
    // sentence unpaired is allowed only as a last resort.
    const MOVES: [(usize, usize, f64); 6] =
        [(1, 1, 0.0), (1, 2, 0.02), (2, 1, 0.02), (2, 2, 0.04), (1, 0, 1.0), (0, 1, 1.0)];
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if cost[i][j].is_infinite() {
                continue;
            }
            for &(di, dj, penalty) in &MOVES {
                if i + di > n || j + dj > m {
                    continue;
                }
                let difference = (share_original(i..i + di) - share_translation(j..j + dj)).abs();
                let step = cost[i][j] + difference + penalty;
                if step < cost[i + di][j + dj] {
                    cost[i + di][j + dj] = step;
                    back[i + di][j + dj] = (i, j);
                }
            }
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (pi, pj) = back[i][j];
        pairs.push((pi..i, pj..j));
        i = pi;
        j = pj;
    }
    pairs.reverse();
    pairs
}

/// The passage of `to_text` that translates `span` of `from_text`: the sentences
/// aligned (by [`align_sentences`]) with the sentences the span touches. `None` when
/// either text has no sentences.
pub fn counterpart_span(from_text: &str, to_text: &str, span: CharSpan) -> Option<CharSpan> {
    let from_sentences = sentences(from_text);
    let to_sentences = sentences(to_text);
    let pairs = align_sentences(
        &from_sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
        &to_sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
    );
    let mut counterpart: Option<CharSpan> = None;
    for (from_range, to_range) in pairs {
        let touched = from_sentences[from_range].iter().any(|sentence| sentence.overlaps(&span));
        if !touched || to_range.is_empty() {
            continue;
        }
        let first = to_sentences[to_range.start];
        let last = to_sentences[to_range.end - 1];
        counterpart = Some(match counterpart {
            None => CharSpan { start: first.start, end: last.end },
            Some(sofar) => CharSpan { start: sofar.start.min(first.start), end: sofar.end.max(last.end) },
        });
    }
    counterpart
}

/// Finds where a coded passage went after its text was edited: the occurrence of
/// `covered` in `text` nearest to where it used to start. `None` if the words are
/// gone.
pub fn reanchor(text: &str, covered: &str, old_start: CharIdx) -> Option<CharSpan> {
    if covered.is_empty() {
        return None;
    }
    let covered_len = char_len(covered);
    let mut best: Option<(usize, CharSpan)> = None;
    for (byte, _) in text.match_indices(covered) {
        let Some(start) = byte_to_char(text, ByteIdx(byte)) else {
            continue;
        };
        let distance = start.0.abs_diff(old_start.0);
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, CharSpan::new(start.0, start.0 + covered_len)));
        }
    }
    best.map(|(_, span)| span)
}

/// A name as people mean it, for matching names typed in different places: lower
/// case, accents removed, `_` and `-` read as spaces, spaces collapsed.
/// `Traducción`, `traduccion` and `TRADUCCIÓN` fold alike, as do `police_use`
/// and `Police use`.
pub fn fold_name(name: &str) -> String {
    let folded: String = name.chars().flat_map(fold_char).map(|c| if c == '_' || c == '-' { ' ' } else { c }).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a character for matching as the search index does: lower case, accents
/// removed (`Í` → `i`, `ñ` → `n`).
fn fold_char(c: char) -> impl Iterator<Item = char> {
    std::iter::once(c)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
}

/// The words of `text` (runs of letters and digits), folded, with their spans.
fn folded_words(text: &str) -> Vec<(String, CharSpan)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (index, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            if current.is_empty() {
                start = index;
            }
            current.extend(fold_char(c));
        } else if !current.is_empty() {
            words.push((std::mem::take(&mut current), CharSpan::new(start, index)));
        }
    }
    if !current.is_empty() {
        words.push((current, CharSpan::new(start, char_len(text))));
    }
    words
}

/// Where the words of a search appear in `text`, matched as the full-text index
/// matches them: whole words, case and accents ignored, "quoted words" as a
/// phrase, and the last word as a prefix when `prefix_last_word`. For showing
/// search hits in the reader.
pub fn search_matches(text: &str, query: &str, prefix_last_word: bool) -> Vec<CharSpan> {
    let words = folded_words(text);
    let phrases: Vec<Vec<String>> = split_query(query)
        .into_iter()
        .map(|phrase| folded_words(&phrase).into_iter().map(|(word, _)| word).collect::<Vec<_>>())
        .filter(|phrase| !phrase.is_empty())
        .collect();
    let mut matches = Vec::new();
    for (phrase_index, phrase) in phrases.iter().enumerate() {
        let prefix = prefix_last_word && phrase_index + 1 == phrases.len() && !query.ends_with(char::is_whitespace);
        for start in 0..words.len() {
            let Some(window) = words.get(start..start + phrase.len()) else {
                break;
            };
            let matched = window.iter().zip(phrase).enumerate().all(|(i, ((word, _), wanted))| {
                if prefix && i + 1 == phrase.len() { word.starts_with(wanted.as_str()) } else { word == wanted }
            });
            if matched {
                matches.push(CharSpan { start: window[0].1.start, end: window[phrase.len() - 1].1.end });
            }
        }
    }
    matches.sort_by_key(|span| span.start);
    matches
}

/// Splits search text into phrases: "quoted words" stay together, other words
/// stand alone.
pub fn split_query(query: &str) -> Vec<String> {
    let mut phrases = Vec::new();
    let mut rest = query;
    while !rest.trim().is_empty() {
        rest = rest.trim_start();
        if let Some(after_quote) = rest.strip_prefix('"')
            && let Some(close) = after_quote.find('"')
        {
            phrases.push(after_quote[..close].to_owned());
            rest = &after_quote[close + 1..];
            continue;
        }
        let end =
            rest.char_indices().skip(1).find(|(_, c)| c.is_whitespace() || *c == '"').map_or(rest.len(), |(i, _)| i);
        phrases.push(rest[..end].trim_matches('"').to_owned());
        rest = &rest[end..];
    }
    phrases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_case_accents_or_separators() {
        assert_eq!(fold_name("  TRADUCCIÓN "), "traduccion");
        assert_eq!(fold_name("police_use"), fold_name("Police  use"));
        assert_eq!(fold_name("Señora-Ñahui"), "senora nahui");
    }

    #[test]
    fn normalizing_removes_bom_converts_crlf_and_composes_accents() {
        let decomposed = "\u{feff}Polici\u{301}a\r\nnin\u{303}os\rfin";
        let (text, changes) = normalize(decomposed);
        assert_eq!(text, "Policía\nniños\nfin");
        assert!(changes.removed_bom);
        assert!(changes.converted_line_endings);
        assert!(changes.composed_characters);
    }

    #[test]
    fn normalizing_clean_text_reports_no_change() {
        let (text, changes) = normalize("La comunidad pidió agua.\nSí.");
        assert_eq!(text, "La comunidad pidió agua.\nSí.");
        assert!(changes.is_unchanged());
    }

    #[test]
    fn char_and_byte_offsets_convert_both_ways_in_spanish_text() {
        let text = "señor policía";
        // 'ñ' (char 2) takes bytes 2 and 3, so char 3 ('o') starts at byte 4.
        assert_eq!(char_to_byte(text, CharIdx(2)), Some(ByteIdx(2)));
        assert_eq!(char_to_byte(text, CharIdx(3)), Some(ByteIdx(4)));
        assert_eq!(char_to_byte(text, CharIdx(13)), Some(ByteIdx(text.len())));
        assert_eq!(char_to_byte(text, CharIdx(14)), None);
        assert_eq!(byte_to_char(text, ByteIdx(4)), Some(CharIdx(3)));
        assert_eq!(byte_to_char(text, ByteIdx(3)), None, "byte 3 is inside 'ñ'");
        assert_eq!(slice_chars(text, CharSpan::new(6, 13)), Some("policía"));
    }

    #[test]
    fn spans_snap_outward_to_whole_graphemes() {
        // "cafe" + combining acute kept decomposed on purpose: 5 chars, 4 graphemes.
        let text = "cafe\u{301} con leche";
        // A span ending between 'e' and its accent grows to include the accent.
        assert_eq!(snap_to_graphemes(text, CharSpan::new(0, 4)), CharSpan::new(0, 5));
        // A span starting on the accent moves back to the 'e'.
        assert_eq!(snap_to_graphemes(text, CharSpan::new(4, 9)), CharSpan::new(3, 9));
        // Whole words stay as they are.
        assert_eq!(snap_to_graphemes(text, CharSpan::new(6, 9)), CharSpan::new(6, 9));
        // Flags are two scalar values forming one grapheme.
        let flag = "Perú 🇵🇪 hoy";
        assert_eq!(snap_to_graphemes(flag, CharSpan::new(5, 6)), CharSpan::new(5, 7));
    }

    #[test]
    fn snapping_clamps_spans_past_the_end() {
        assert_eq!(snap_to_graphemes("agua", CharSpan::new(2, 99)), CharSpan::new(2, 4));
        assert_eq!(snap_to_graphemes("agua", CharSpan::new(9, 99)), CharSpan::new(4, 4));
    }

    #[test]
    fn trimming_a_span_drops_surrounding_spaces() {
        let text = "el agua  limpia";
        assert_eq!(trim_span(text, CharSpan::new(2, 9)), CharSpan::new(3, 7));
        assert!(trim_span(text, CharSpan::new(7, 9)).is_empty());
    }

    #[test]
    fn sentences_split_spanish_text_with_inverted_marks() {
        let text = "¿Dónde está el Estado? Nadie vino. ¡Nunca!";
        let spans = sentences(text);
        let pieces: Vec<&str> = spans.iter().filter_map(|s| slice_chars(text, *s)).collect();
        assert_eq!(pieces, vec!["¿Dónde está el Estado?", "Nadie vino.", "¡Nunca!"]);
    }

    #[test]
    fn aligning_pairs_sentences_by_order_and_length() {
        // Two short sentences on one side match one long sentence on the other.
        let pairs = align_sentences(&[40, 12, 13], &[42, 26]);
        assert_eq!(pairs, vec![(0..1, 0..1), (1..3, 1..2)]);
        let one_to_one = align_sentences(&[20, 30, 25], &[22, 28, 27]);
        assert_eq!(one_to_one, vec![(0..1, 0..1), (1..2, 1..2), (2..3, 2..3)]);
        assert!(align_sentences(&[], &[10]).is_empty());
    }

    #[test]
    fn a_passage_maps_to_the_aligned_sentences_of_the_translation() {
        let original = "Llegó la policía al amanecer. Nadie nos avisó. El agua ya no es limpia.";
        let translation = "The police arrived at dawn. Nobody warned us. The water is no longer clean.";
        let police = CharSpan::new(9, 16); // "policía"
        let counterpart = counterpart_span(original, translation, police).unwrap();
        assert_eq!(slice_chars(translation, counterpart), Some("The police arrived at dawn."));
        let water = CharSpan::new(50, 54); // "agua"
        assert_eq!(slice_chars(original, water), Some("agua"));
        let counterpart = counterpart_span(original, translation, water).unwrap();
        assert_eq!(slice_chars(translation, counterpart), Some("The water is no longer clean."));
        assert_eq!(counterpart_span(original, "", water), None);
    }

    #[test]
    fn search_matches_fold_accents_and_case_and_respect_phrases() {
        let text = "La Policía llegó; los policías, también. Policial no.";
        let spans = search_matches(text, "policia", false);
        let found: Vec<&str> = spans.iter().filter_map(|s| slice_chars(text, *s)).collect();
        assert_eq!(found, vec!["Policía"]);
        let spans = search_matches(text, "POLICIA", true);
        let found: Vec<&str> = spans.iter().filter_map(|s| slice_chars(text, *s)).collect();
        assert_eq!(found, vec!["Policía", "policías", "Policial"]);
        let spans = search_matches(text, "\"la policia\"", false);
        assert_eq!(spans.iter().filter_map(|s| slice_chars(text, *s)).collect::<Vec<_>>(), vec!["La Policía"]);
        assert!(search_matches(text, "\" - (", true).is_empty());
    }

    #[test]
    fn reanchoring_finds_the_nearest_occurrence_or_none() {
        let edited = "agua, agua y más agua";
        assert_eq!(reanchor(edited, "agua", CharIdx(7)), Some(CharSpan::new(6, 10)));
        assert_eq!(reanchor(edited, "agua", CharIdx(20)), Some(CharSpan::new(17, 21)));
        assert_eq!(reanchor(edited, "policía", CharIdx(0)), None);
    }
}
