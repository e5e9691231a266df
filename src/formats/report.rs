//! Coded quotes shaped for a report: for each code's codings on an excerpt, the
//! quote in the report's body language and the other language beside it (the
//! original always travels with its translation), with the speaker's attribution,
//! grouped by code or by case, speakers pseudonymised unless asked otherwise.
//! Every exporter of quotes builds on this.

use crate::language::Text;
use std::collections::HashMap;

use crate::model::{Code, CodeId, CodingAnchor, Color, Side, TranslationStatus};
use crate::store::{CodedQuote, Filter, Store};
use crate::text::{self, CharSpan};

use super::ExportError;
use super::pseudonyms::{Names, Pseudonymizer};

/// How quotes are grouped in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum QuoteGrouping {
    /// A section per code, with its definition (the default).
    #[default]
    ByCode,
    /// A section per case.
    ByCase,
}

/// What to put in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The language quoted in the body (`en` or `es`); the other goes in a footnote.
    pub body_lang: String,
    /// Which codings to take.
    pub filter: Filter,
    /// Sections per code or per case.
    pub grouping: QuoteGrouping,
    /// How speakers are named.
    pub names: Names,
    /// Words describing the filter, for the "nothing to export" message.
    pub filter_description: Text,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            body_lang: "en".to_owned(),
            filter: Filter::default(),
            grouping: QuoteGrouping::ByCode,
            names: Names::Pseudonyms,
            filter_description: Text::new("the whole project", "todo el proyecto"),
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
    /// The source's name (speakers' names scrubbed).
    pub source_name: String,
    /// The speaker as shown (a pseudonym unless real names were asked for).
    pub speaker: String,
    /// The speaker's role.
    pub role: String,
    /// Where.
    pub place: String,
    /// When.
    pub date: String,
    /// "Speaker, role, place, date", skipping what is unknown.
    pub attribution: String,
    /// The code's name.
    pub code_name: String,
    /// The code's path in the hierarchy ("Parent > Child").
    pub code_path: String,
    /// The code's colour.
    pub code_color: Color,
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
    /// The excerpt's and codings' memos, joined.
    pub memo: String,
}

/// The quotes of one section: a code, or a case.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSection {
    /// The section's heading (code or case name).
    pub heading: String,
    /// The code's definition, or the case's description.
    pub description: String,
    /// The code, for sections by code.
    pub code: Option<Code>,
    /// Its quotes, in reading order.
    pub quotes: Vec<ReportQuote>,
}

impl ReportSection {
    /// What a quote's attribution adds in brackets: by code, the case says where;
    /// by case, the code says what.
    pub fn context<'a>(&self, quote: &'a ReportQuote) -> &'a str {
        if self.code.is_some() { &quote.case_name } else { &quote.code_path }
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The report's title (the project's title).
    pub title: String,
    /// Its sections.
    pub sections: Vec<ReportSection>,
    /// How speakers are named.
    pub names: Names,
}

impl Report {
    /// Every quote, section after section.
    pub fn quotes(&self) -> impl Iterator<Item = (&ReportSection, &ReportQuote)> {
        self.sections.iter().flat_map(|section| section.quotes.iter().map(move |quote| (section, quote)))
    }

    /// Number of quotes.
    pub fn quote_count(&self) -> usize {
        self.sections.iter().map(|section| section.quotes.len()).sum()
    }
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

fn report_quote(codings: &[&CodedQuote], options: &ReportOptions, context: &Context) -> Option<ReportQuote> {
    let quote = *codings.first()?;
    let excerpt = &quote.excerpt;
    let source = &quote.source;
    let names = &context.names;
    let (original, translation) = quoted_texts(codings);
    let (original, translation) = (original.map(|t| names.scrub(&t)), translation.map(|t| names.scrub(&t)));
    let body_side = excerpt.side_in(&options.body_lang).unwrap_or(Side::Translation);
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
        (None, None) => (names.scrub(&quote.covered_text), excerpt.lang(body_side).to_owned(), None),
    };
    // A transcript's interviewer turn is the interviewer's, not the source speaker's.
    let speaker = if excerpt.interviewer { "interviewer".to_owned() } else { names.speaker(source) };
    let role = if excerpt.interviewer { String::new() } else { names.scrub(&source.role) };
    let mut attribution_parts: Vec<String> = Vec::new();
    for part in [&speaker, &role, &source.place, &source.date, &excerpt.time] {
        if !part.is_empty() && !attribution_parts.contains(part) {
            attribution_parts.push(part.clone());
        }
    }
    let memos: Vec<String> = codings
        .iter()
        .map(|q| q.coding_memo.as_str())
        .chain([quote.excerpt_memo.as_str()])
        .filter(|memo| !memo.trim().is_empty())
        .map(|memo| names.scrub(memo))
        .collect::<Vec<_>>();
    let mut unique_memos: Vec<String> = Vec::new();
    for memo in memos {
        if !unique_memos.contains(&memo) {
            unique_memos.push(memo);
        }
    }
    Some(ReportQuote {
        quote_id: if excerpt.label.is_empty() { excerpt.excerpt_id.to_string() } else { excerpt.label.clone() },
        case_name: names.scrub(&quote.case_name),
        source_name: names.scrub(&source.name),
        attribution: attribution_parts.join(", "),
        speaker,
        role: names.scrub(&source.role),
        place: source.place.clone(),
        date: source.date.clone(),
        code_name: quote.code_name.clone(),
        code_path: context.code_paths.get(&quote.code_id).cloned().unwrap_or_else(|| quote.code_name.clone()),
        code_color: quote.code_color,
        original,
        original_lang: excerpt.original_lang.clone(),
        translation,
        translation_lang: excerpt.translation_lang.clone(),
        body,
        body_lang,
        footnote,
        translation_status: excerpt.translation_status,
        memo: unique_memos.join("; "),
    })
}

/// What every quote of a report is read with.
struct Context {
    names: Pseudonymizer,
    code_paths: HashMap<CodeId, String>,
}

/// Each code's path in the hierarchy, "Parent > Child".
pub fn code_paths(codes: &[Code]) -> HashMap<CodeId, String> {
    crate::model::code_paths(codes, " > ")
}

/// Builds the report chosen by `options`. An empty selection is an error, so no
/// empty file is ever written.
pub fn build_report(store: &Store, options: &ReportOptions) -> Result<Report, ExportError> {
    let codes = store.codes()?;
    let quotes = store.coded_quotes(&options.filter)?;
    if quotes.is_empty() {
        return Err(ExportError::Empty(options.filter_description.clone()));
    }
    let context = Context { names: Pseudonymizer::new(store, options.names)?, code_paths: code_paths(&codes) };
    let code_order: HashMap<CodeId, usize> =
        codes.iter().enumerate().map(|(index, code)| (code.code_id, index)).collect();
    let mut sections: Vec<ReportSection> = match options.grouping {
        QuoteGrouping::ByCode => Vec::new(),
        QuoteGrouping::ByCase => store
            .cases()?
            .into_iter()
            .map(|case| ReportSection {
                heading: context.names.scrub(&case.name),
                description: context.names.scrub(&case.description),
                code: None,
                quotes: Vec::new(),
            })
            .collect(),
    };
    let mut by_code: Vec<(usize, ReportSection)> = Vec::new();
    // The store returns codings in reading order, grouped by excerpt and code.
    for run in quotes.chunk_by(|a, b| a.code_id == b.code_id && a.excerpt.excerpt_id == b.excerpt.excerpt_id) {
        let codings: Vec<&CodedQuote> = run.iter().collect();
        let Some(quote) = report_quote(&codings, options, &context) else {
            continue;
        };
        match options.grouping {
            QuoteGrouping::ByCase => {
                if let Some(section) = sections.iter_mut().find(|section| section.heading == quote.case_name) {
                    section.quotes.push(quote);
                }
            }
            QuoteGrouping::ByCode => {
                let code_id = run[0].code_id;
                let position = code_order.get(&code_id).copied().unwrap_or(usize::MAX);
                match by_code
                    .iter_mut()
                    .find(|(_, section)| section.code.as_ref().is_some_and(|c| c.code_id == code_id))
                {
                    Some((_, section)) => section.quotes.push(quote),
                    None => {
                        let code = codes.iter().find(|code| code.code_id == code_id).cloned();
                        by_code.push((
                            position,
                            ReportSection {
                                heading: context.code_paths.get(&code_id).cloned().unwrap_or_default(),
                                description: code.as_ref().map(|c| c.description.clone()).unwrap_or_default(),
                                code,
                                quotes: vec![quote],
                            },
                        ));
                    }
                }
            }
        }
    }
    if options.grouping == QuoteGrouping::ByCode {
        by_code.sort_by_key(|(position, _)| *position);
        sections = by_code.into_iter().map(|(_, section)| section).collect();
    }
    sections.retain(|section| !section.quotes.is_empty());
    let title = store.setting("title")?.unwrap_or_else(|| "Coded quotes".to_owned());
    Ok(Report { title, sections, names: options.names })
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
