//! Coded quotes as Markdown in the style of a research report: quotes grouped by
//! code (or case), each in the body language as a block quote with its
//! attribution, the other language in a footnote.

use std::fmt::Write as _;

use super::report::{Report, language_name};

/// Escapes characters that Markdown would read as formatting.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders the report as Markdown with footnotes (as read by pandoc and GitHub).
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&report.title));
    let mut footnote_number = 0;
    for section in &report.sections {
        let _ = writeln!(out, "## {}\n", escape(&section.heading));
        if !section.description.is_empty() {
            let _ = writeln!(out, "*{}*\n", escape(&section.description));
        }
        for quote in &section.quotes {
            let mut body = escape(&quote.body);
            let footnote = quote.footnote.as_ref().map(|(lang, text)| {
                footnote_number += 1;
                let _ = write!(body, "[^{footnote_number}]");
                // Later paragraphs of a footnote are indented to stay inside it.
                let text = escape(text).replace('\n', "\n    ");
                format!("[^{footnote_number}]: {} original: {text}", language_name(lang))
            });
            for line in body.lines() {
                if line.trim().is_empty() {
                    out.push_str(">\n");
                } else {
                    let _ = writeln!(out, "> {line}");
                }
            }
            let context = section.context(quote);
            let _ = writeln!(
                out,
                ">\n> — {} ({}, {})\n",
                escape(&quote.attribution),
                escape(context),
                escape(&quote.quote_id)
            );
            if let Some(footnote) = footnote {
                let _ = writeln!(out, "{footnote}\n");
            }
        }
    }
    out
}
