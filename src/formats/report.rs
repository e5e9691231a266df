//! Coded quotes shaped for a report: for each coding, the quote in the report's
//! body language and the other language beside it (the original always travels
//! with its translation), with the speaker's attribution. Every exporter of
//! quotes builds on this.

use crate::model::{Code, CodingAnchor, Side, TranslationStatus};
use crate::store::{CodedQuote, QuoteFilter, Store};
use crate::text::{self, CharSpan};

use super::ExportError;

/// What to put in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The language quoted in the body (`en` or `es`); the other goes in a footnote.
    pub body_lang: String,
    /// Which codings to take.
    pub filter: QuoteFilter,
    /// Words describing the filter, for the "nothing to export" message.
    pub filter_description: String,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            body_lang: "en".to_owned(),
            filter: QuoteFilter::default(),
            filter_description: "the whole project".to_owned(),
        }
    }
}

/// One quote ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuote {
    /// The researcher's excerpt identifier (or the excerpt's number).
    pub quote_id: String,
    /// The case's name.
    pub case_name: String,
    /// The source's name.
    pub source_name: String,
    /// The speaker as shown.
    pub speaker: String,
    /// The speaker's role.
    pub role: String,
    /// Where.
    pub place: String,
    /// When.
    pub date: String,
    /// "Speaker, role, place, date", skipping what is unknown.
    pub attribution: String,
    /// The quoted original (the passage coded, or its aligned counterpart).
    pub original: Option<String>,
    /// The original's language tag.
    pub original_lang: String,
    /// The quoted translation.
    pub translation: Option<String>,
    /// The translation's language tag.
    pub translation_lang: String,
    /// The text for the report's body.
    pub body: String,
    /// The language of `body`.
    pub body_lang: String,
    /// The other language's text, for a footnote: (language tag, text).
    pub footnote: Option<(String, String)>,
    /// The translation's review status.
    pub translation_status: TranslationStatus,
}

/// The quotes of one code.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSection {
    /// The code.
    pub code: Code,
    /// Its quotes, in reading order.
    pub quotes: Vec<ReportQuote>,
}

/// The quoted texts of one code's codings on one excerpt: (original part,
/// translation part). A whole-excerpt coding quotes everything. Passages are
/// quoted with the aligned sentences of the other language, and several passages
/// are joined in reading order with " […] ".
fn quoted_texts(codings: &[&CodedQuote]) -> (Option<String>, Option<String>) {
    let Some(first) = codings.first() else {
        return (None, None);
    };
    let excerpt = &first.excerpt;
    if codings.iter().any(|quote| quote.anchor == CodingAnchor::Whole) {
        return (excerpt.original.clone(), excerpt.translation.clone());
    }
    let mut spans: [Vec<CharSpan>; 2] = [Vec::new(), Vec::new()];
    let slot = |side: Side| if side == Side::Original { 0 } else { 1 };
    for quote in codings {
        let CodingAnchor::Passage { side, span } = quote.anchor else {
            continue;
        };
        spans[slot(side)].push(span);
        let (Some(coded_text), Some(other_text)) = (excerpt.text(side), excerpt.text(side.other())) else {
            continue;
        };
        if let Some(counterpart) = text::counterpart_span(coded_text, other_text, span) {
            spans[slot(side.other())].push(counterpart);
        }
    }
    let join = |side: Side, spans: &mut Vec<CharSpan>| -> Option<String> {
        let full_text = excerpt.text(side)?;
        spans.sort_by_key(|span| span.start);
        let mut merged: Vec<CharSpan> = Vec::new();
        for span in spans.iter() {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(*span),
            }
        }
        let pieces: Vec<&str> = merged.iter().filter_map(|span| text::slice_chars(full_text, *span)).collect();
        (!pieces.is_empty()).then(|| pieces.join(" […] "))
    };
    let [original_spans, translation_spans] = &mut spans;
    (join(Side::Original, original_spans), join(Side::Translation, translation_spans))
}

fn report_quote(codings: &[&CodedQuote], body_lang: &str) -> Option<ReportQuote> {
    let quote = *codings.first()?;
    let excerpt = &quote.excerpt;
    let source = &quote.source;
    let (original, translation) = quoted_texts(codings);
    let body_side = excerpt.side_in(body_lang).unwrap_or(Side::Translation);
    let (body_text, other_text) = match body_side {
        Side::Original => (original.clone(), translation.clone()),
        Side::Translation => (translation.clone(), original.clone()),
    };
    let (body, body_lang, footnote) = match (body_text, other_text) {
        (Some(body), other) => (
            body,
            excerpt.lang(body_side).to_owned(),
            other.map(|text| (excerpt.lang(body_side.other()).to_owned(), text)),
        ),
        // The body language is missing: quote the language there is, without a footnote.
        (None, Some(other)) => (other, excerpt.lang(body_side.other()).to_owned(), None),
        (None, None) => (quote.covered_text.clone(), excerpt.lang(body_side).to_owned(), None),
    };
    let speaker = source.speaker.clone();
    Some(ReportQuote {
        quote_id: if excerpt.label.is_empty() { excerpt.excerpt_id.to_string() } else { excerpt.label.clone() },
        case_name: quote.case_name.clone(),
        source_name: source.name.clone(),
        attribution: source.attribution(&speaker),
        speaker,
        role: source.role.clone(),
        place: source.place.clone(),
        date: source.date.clone(),
        original,
        original_lang: excerpt.original_lang.clone(),
        translation,
        translation_lang: excerpt.translation_lang.clone(),
        body,
        body_lang,
        footnote,
        translation_status: excerpt.translation_status,
    })
}

/// The report's quotes grouped by code, in codebook order. An empty selection is
/// an error, so no empty file is ever written.
pub fn report_sections(store: &Store, options: &ReportOptions) -> Result<Vec<ReportSection>, ExportError> {
    let quotes = store.coded_quotes(&options.filter)?;
    if quotes.is_empty() {
        return Err(ExportError::Empty(options.filter_description.clone()));
    }
    let mut sections: Vec<ReportSection> = Vec::new();
    // The store orders codings by code, then excerpt: take each (code, excerpt) run.
    for run in quotes.chunk_by(|a, b| a.code_id == b.code_id && a.excerpt.excerpt_id == b.excerpt.excerpt_id) {
        let code_id = run[0].code_id;
        if sections.last().is_none_or(|section| section.code.code_id != code_id) {
            sections.push(ReportSection { code: store.code(code_id)?, quotes: Vec::new() });
        }
        let codings: Vec<&CodedQuote> = run.iter().collect();
        if let (Some(section), Some(quote)) = (sections.last_mut(), report_quote(&codings, &options.body_lang)) {
            section.quotes.push(quote);
        }
    }
    Ok(sections)
}

/// The language's name for headings and footnotes ("Spanish original").
pub fn language_name(tag: &str) -> String {
    match tag.split('-').next().unwrap_or(tag) {
        "es" => "Spanish".to_owned(),
        "en" => "English".to_owned(),
        "qu" => "Quechua".to_owned(),
        "ay" => "Aymara".to_owned(),
        "pt" => "Portuguese".to_owned(),
        "fr" => "French".to_owned(),
        other => other.to_owned(),
    }
}
