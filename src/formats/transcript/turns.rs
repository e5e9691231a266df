//! Cutting a transcript into speaker turns. A paragraph that starts with a
//! label (a name, role or initials of up to four words, then a colon), maybe
//! after a timestamp (`[00:14:05]`, `(00:14)`, `00:14:05`), starts a turn;
//! paragraphs without a label continue the current turn. Lines before the first
//! turn are the source's description. Interviewer labels are recognised.

use std::collections::HashMap;

use super::read::Paragraph;

/// Labels that mark the interviewer's turns, compared without case or accents.
const INTERVIEWER_LABELS: &[&str] =
    &["entrevistador", "entrevistadora", "e", "p", "pregunta", "interviewer", "i", "q", "question"];

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// The label as written (`Rosa Quispe`, `P`), empty when the transcript has
    /// no labels.
    pub label: String,
    /// True for the interviewer's turns.
    pub interviewer: bool,
    /// The timestamp before the label (`00:14:05`), or the cue's start, or empty.
    pub time: String,
    /// The words, paragraphs joined by a blank line.
    pub text: String,
    /// The paragraph the turn starts at, counted from 1 (for messages).
    pub paragraph: usize,
}

/// A transcript cut into turns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Turns {
    /// The lines before the first turn (title, date, transcriber).
    pub preamble: String,
    /// The turns, in order.
    pub turns: Vec<Turn>,
}

/// A label compared with others: lower case, no accents, no trailing period.
pub fn label_key(label: &str) -> String {
    crate::text::fold_name(label.trim().trim_end_matches('.'))
}

/// True when `label` is an interviewer's: a usual one, or one of `extra`.
pub fn is_interviewer(label: &str, extra: &[String]) -> bool {
    let key = label_key(label);
    INTERVIEWER_LABELS.contains(&key.as_str()) || extra.iter().any(|other| label_key(other) == key)
}

/// A timestamp at the start of `text`: `[00:14:05]`, `[14:05]`, `(00:14)` or a
/// bare `00:14:05`. Returns it as `hh:mm:ss` and the rest of the text.
fn leading_time(text: &str) -> Option<(String, &str)> {
    let (inner, rest) = if let Some(after) = text.strip_prefix('[') {
        after.split_once(']')?
    } else if let Some(after) = text.strip_prefix('(') {
        after.split_once(')')?
    } else {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        (&text[..end], &text[end..])
    };
    let parts: Vec<&str> = inner.trim().split(':').collect();
    let digits = |part: &&str| !part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(digits) {
        return None;
    }
    let time = match parts.as_slice() {
        [hours, minutes, seconds] => format!("{hours:0>2}:{minutes:0>2}:{seconds:0>2}"),
        [minutes, seconds] => format!("00:{minutes:0>2}:{seconds:0>2}"),
        _ => return None,
    };
    Some((time, rest.trim_start()))
}

/// A speaker label at the start of `text` (up to four words, then a colon and a
/// space or the end). Returns the label and the rest.
fn leading_label(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    let (label, rest) = (text[..colon].trim(), &text[colon + 1..]);
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    let word_ok =
        |word: &&str| word.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-' | '(' | ')'));
    let starts_with_letter = label.chars().next().is_some_and(char::is_alphabetic);
    (starts_with_letter && (1..=4).contains(&words.len()) && label.chars().count() <= 40 && words.iter().all(word_ok))
        .then_some((label, rest.trim_start()))
}

/// True for a label written like a name or a role: one word, or words that
/// start with a capital (particles such as "de" and "la" allowed).
fn looks_like_a_name(label: &str) -> bool {
    const PARTICLES: &[&str] = &["de", "del", "la", "las", "los", "el", "y", "e", "da", "do", "of", "the"];
    let words: Vec<&str> = label.split_whitespace().collect();
    words.len() == 1
        || words.iter().all(|word| {
            word.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || PARTICLES.contains(&word.to_lowercase().as_str())
        })
}

/// A paragraph's timestamp (its own, or its cue's) and the text after it.
fn split_time(paragraph: &Paragraph) -> (Option<String>, &str) {
    match leading_time(&paragraph.text) {
        Some((time, rest)) => (Some(time), rest),
        None => (paragraph.time.clone(), paragraph.text.as_str()),
    }
}

/// Cuts paragraphs into turns. With `by_paragraph`, every paragraph is its own
/// turn (its label still read). `interviewers` adds labels to the usual ones.
///
/// A label is taken when it is written like a name or a role, or when the same
/// label starts two paragraphs or more ("Dijo lo siguiente: …" once is a
/// sentence, not a speaker).
pub fn cut_into_turns(paragraphs: &[Paragraph], by_paragraph: bool, interviewers: &[String]) -> Turns {
    let mut result = Turns::default();
    let mut preamble = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for paragraph in paragraphs {
        if let Some((label, _)) = leading_label(split_time(paragraph).1) {
            *seen.entry(label_key(label)).or_default() += 1;
        }
    }
    fn label_in<'t>(text: &'t str, seen: &HashMap<String, usize>) -> Option<(&'t str, &'t str)> {
        leading_label(text).filter(|(label, _)| looks_like_a_name(label) || seen[&label_key(label)] >= 2)
    }
    let label_of = |text| label_in(text, &seen);
    // Without a single label, every paragraph is a turn and nothing is preamble.
    let labelled = paragraphs.iter().any(|paragraph| label_of(split_time(paragraph).1).is_some());
    // The interview starts at the interviewer, or the first speaker who speaks
    // again: a heading such as "Transcribe: M. Huamán" before it is the preamble.
    let recurring = |paragraph: &Paragraph| {
        label_in(split_time(paragraph).1, &seen)
            .is_some_and(|(label, _)| seen[&label_key(label)] >= 2 || is_interviewer(label, interviewers))
    };
    let first_turn = paragraphs.iter().position(recurring).unwrap_or(0);
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let (time, text) = split_time(paragraph);
        let label = if index < first_turn { None } else { label_of(text) };
        let starts_turn = label.is_some() || by_paragraph || !labelled;
        if !starts_turn {
            match result.turns.last_mut() {
                Some(turn) => {
                    if !turn.text.is_empty() {
                        turn.text.push_str("\n\n");
                    }
                    turn.text.push_str(text);
                }
                None => preamble.push(paragraph.text.clone()),
            }
            continue;
        }
        let (label, words) = match label {
            Some((label, words)) => (label.to_owned(), words),
            // A paragraph cut on its own continues the last speaker.
            None => (result.turns.last().map(|turn| turn.label.clone()).unwrap_or_default(), text),
        };
        result.turns.push(Turn {
            interviewer: !label.is_empty() && is_interviewer(&label, interviewers),
            label,
            time: time.unwrap_or_default(),
            text: words.to_owned(),
            paragraph: index + 1,
        });
    }
    // A label alone on its line and nothing after it is no turn.
    result.turns.retain(|turn| !turn.text.trim().is_empty());
    result.preamble = preamble.join("\n");
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(lines: &[&str]) -> Vec<Paragraph> {
        lines.iter().map(|line| Paragraph { text: (*line).to_owned(), time: None }).collect()
    }

    #[test]
    fn labels_timestamps_and_continuations_make_turns() {
        let cut = cut_into_turns(
            &paragraphs(&[
                "Entrevista 3 – Llaqtapampa",
                "Transcribe: M. Huamán",
                "[00:14:05] Entrevistadora: ¿Cuándo llegó la policía?",
                "(00:15) Rosa Quispe: En 2018.",
                "Vinieron de noche, en camionetas.",
                "00:16:40 P: ¿Y el agua?",
            ]),
            false,
            &[],
        );
        assert_eq!(cut.preamble, "Entrevista 3 – Llaqtapampa\nTranscribe: M. Huamán");
        let summary: Vec<(&str, bool, &str, &str)> =
            cut.turns.iter().map(|t| (t.label.as_str(), t.interviewer, t.time.as_str(), t.text.as_str())).collect();
        assert_eq!(
            summary,
            vec![
                ("Entrevistadora", true, "00:14:05", "¿Cuándo llegó la policía?"),
                ("Rosa Quispe", false, "00:00:15", "En 2018.\n\nVinieron de noche, en camionetas."),
                ("P", true, "00:16:40", "¿Y el agua?"),
            ]
        );
    }

    #[test]
    fn a_sentence_with_a_colon_is_no_label() {
        let cut = cut_into_turns(
            &paragraphs(&[
                "E: ¿Qué dijo el gerente?",
                "Rosa Quispe: Dijo esto.",
                "Dijo lo siguiente: que no había agua en toda la comunidad.",
                "Son las 10:30 de la mañana.",
                "Sra. Quispe: Sí.",
            ]),
            false,
            &[],
        );
        let labels: Vec<&str> = cut.turns.iter().map(|turn| turn.label.as_str()).collect();
        assert_eq!(labels, vec!["E", "Rosa Quispe", "Sra. Quispe"]);
        assert!(cut.turns[1].text.contains("Dijo lo siguiente: que no había agua"));
        assert!(cut.turns[1].text.ends_with("Son las 10:30 de la mañana."));
    }

    #[test]
    fn interviewer_labels_are_recognised_without_case_or_accents() {
        assert!(is_interviewer("ENTREVISTADORA", &[]));
        assert!(is_interviewer("Q.", &[]));
        assert!(!is_interviewer("Rosa", &[]));
        assert!(is_interviewer("MH", &["mh".to_owned()]));
    }
}
