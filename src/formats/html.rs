//! Coded quotes as one standalone, printable HTML file: sections per code (with
//! its colour and definition) or per case, each quote in the body language beside
//! the other language, with its attribution.

use std::fmt::Write as _;

use super::report::{Report, language_name};

/// Escapes text for HTML, line breaks as `<br>`.
fn escape(text: &str) -> String {
    super::escape_xml(text).replace("\r\n", "\n").replace('\n', "<br>")
}

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; max-width: 64rem; margin: 2rem auto; padding: 0 1.5rem;
       color: #1d1d1f; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.4rem; padding-left: 0.6rem; border-left: 0.45rem solid var(--code); }
p.definition { font-style: italic; color: #555; margin-top: 0; }
p.note { color: #666; font-size: 0.9rem; }
figure.quote { margin: 1.2rem 0; padding: 0.8rem 1rem; background: #fafaf7; border-left: 3px solid var(--code);
               break-inside: avoid; }
.texts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.texts.single { grid-template-columns: 1fr; }
blockquote { margin: 0; }
blockquote.other { color: #444; font-size: 0.95rem; }
.lang { display: block; font-family: Helvetica, Arial, sans-serif; font-size: 0.7rem; text-transform: uppercase;
        letter-spacing: 0.05em; color: #888; margin-bottom: 0.2rem; }
figcaption { margin-top: 0.5rem; font-family: Helvetica, Arial, sans-serif; font-size: 0.85rem; color: #555; }
figcaption .memo { display: block; margin-top: 0.3rem; color: #777; font-style: italic; }
@media print { body { margin: 0; max-width: none; } .texts { grid-template-columns: 1fr 1fr; } }
@media (max-width: 40rem) { .texts { grid-template-columns: 1fr; } }
";

/// Renders the report as a standalone HTML document.
pub fn render_html(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"Quipu\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&report.title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&report.title));
    let _ = writeln!(out, "<p class=\"note\">{} coded quotes.</p>", report.quote_count());
    for section in &report.sections {
        let color = section.code.as_ref().map_or_else(|| "#888888".to_owned(), |code| code.color.to_string());
        let _ = writeln!(out, "<section style=\"--code: {color}\">");
        let _ = writeln!(out, "<h2>{}</h2>", escape(&section.heading));
        if !section.description.is_empty() {
            let _ = writeln!(out, "<p class=\"definition\">{}</p>", escape(&section.description));
        }
        for quote in &section.quotes {
            let quote_color = quote.code_color.to_string();
            let _ = writeln!(
                out,
                "<figure class=\"quote\" id=\"q-{}\" style=\"--code: {quote_color}\">",
                escape(&quote.quote_id)
            );
            let single = if quote.footnote.is_some() { "" } else { " single" };
            let _ = writeln!(out, "<div class=\"texts{single}\">");
            let _ = writeln!(
                out,
                "<blockquote class=\"body\" lang=\"{}\"><span class=\"lang\">{}</span>{}</blockquote>",
                escape(&quote.body_lang),
                escape(&language_name(&quote.body_lang)),
                escape(&quote.body)
            );
            if let Some((lang, text)) = &quote.footnote {
                let _ = writeln!(
                    out,
                    "<blockquote class=\"other\" lang=\"{}\"><span class=\"lang\">{} original</span>{}</blockquote>",
                    escape(lang),
                    escape(&language_name(lang)),
                    escape(text)
                );
            }
            out.push_str("</div>\n");
            let context = section.context(quote);
            let _ = write!(
                out,
                "<figcaption>— {} ({}, {})",
                escape(&quote.attribution),
                escape(context),
                escape(&quote.quote_id)
            );
            if !quote.memo.is_empty() {
                let _ = write!(out, "<span class=\"memo\">{}</span>", escape(&quote.memo));
            }
            out.push_str("</figcaption>\n</figure>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
