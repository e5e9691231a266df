//! Coded quotes as a Word document (.docx) a researcher can paste into a report:
//! a heading per code with its definition (or per case), each quote in the body
//! language with its attribution, and the other language in a real Word footnote,
//! the way published studies cite testimony. Written directly as OOXML parts in a
//! ZIP package; opens in Word and LibreOffice.

use std::fmt::Write as _;
use std::io::Write as _;

use zip::write::SimpleFileOptions;

use super::escape_xml as escape;
use super::report::{Report, language_name};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Runs for a text: lines become runs separated by line breaks.
fn text_runs(text: &str, run_properties: &str) -> String {
    let mut out = String::new();
    for (index, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(run_properties);
        if index > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t></w:r>", escape(line));
    }
    out
}

fn paragraph(style: &str, runs: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>")
}

fn footnote_reference(id: usize) -> String {
    format!("<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>")
}

/// Writes `word/document.xml` into `document` a quote at a time, and each
/// quote's footnote into `footnotes` (the body of `word/footnotes.xml`) as it
/// is met: neither part is ever held whole (at 50,000 quotes each is about a
/// hundred megabytes).
fn write_document(
    report: &Report,
    document: &mut impl std::io::Write,
    footnotes: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut body = format!("{XML_HEADER}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>");
    body.push_str(&paragraph("Title", &text_runs(&report.title, "")));
    let mut notes = 0;
    for section in &report.sections {
        body.push_str(&paragraph("Heading1", &text_runs(&section.heading, "")));
        if !section.description.is_empty() {
            body.push_str(&paragraph("Definition", &text_runs(&section.description, "")));
        }
        for quote in &section.quotes {
            let mut runs = text_runs(&format!("“{}”", quote.body), "");
            if let Some((lang, text)) = &quote.footnote {
                notes += 1;
                footnotes.write_all(
                    footnote_xml(notes, &format!("{} original: “{text}”", language_name(lang))).as_bytes(),
                )?;
                runs.push_str(&footnote_reference(notes));
            }
            body.push_str(&paragraph("QuoteText", &runs));
            let context = section.context(quote);
            let attribution = format!("— {} ({}, {})", quote.attribution, context, quote.quote_id);
            body.push_str(&paragraph("Attribution", &text_runs(&attribution, "")));
            document.write_all(body.as_bytes())?;
            body.clear();
        }
    }
    body.push_str(
        "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>",
    );
    document.write_all(body.as_bytes())
}

/// The start of `word/footnotes.xml`: the separators Word expects.
fn footnotes_head() -> String {
    format!(
        "{XML_HEADER}<w:footnotes xmlns:w=\"{W}\" xmlns:r=\"{R}\">\
         <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
}

/// Footnote number `id`, holding `text`.
fn footnote_xml(id: usize, text: &str) -> String {
    format!(
        "<w:footnote w:id=\"{id}\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/></w:pPr>\
         <w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> </w:t></w:r>{}</w:p></w:footnote>",
        text_runs(text, "")
    )
}

fn styles_xml() -> String {
    let paragraph_style = |id: &str, name: &str, based_on: &str, ppr: &str, rpr: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"{based_on}\"/>\
             <w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    format!(
        "{XML_HEADER}<w:styles xmlns:w=\"{W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Georgia\" w:hAnsi=\"Georgia\" w:cs=\"Georgia\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         {}{}{}{}{}{}\
         <w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/>\
         <w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
         </w:styles>",
        paragraph_style("Title", "Title", "Normal", "<w:spacing w:after=\"240\"/>", "<w:b/><w:sz w:val=\"40\"/>"),
        paragraph_style(
            "Heading1",
            "heading 1",
            "Normal",
            "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"80\"/><w:outlineLvl w:val=\"0\"/>",
            "<w:b/><w:sz w:val=\"30\"/>"
        ),
        paragraph_style(
            "Definition",
            "Definition",
            "Normal",
            "<w:spacing w:after=\"200\"/>",
            "<w:i/><w:color w:val=\"555555\"/>"
        ),
        paragraph_style(
            "QuoteText",
            "Quote",
            "Normal",
            "<w:keepNext/><w:ind w:left=\"567\" w:right=\"567\"/><w:spacing w:before=\"120\" w:after=\"40\"/>",
            ""
        ),
        paragraph_style(
            "Attribution",
            "Attribution",
            "Normal",
            "<w:ind w:left=\"567\" w:right=\"567\"/><w:jc w:val=\"right\"/><w:spacing w:after=\"200\"/>",
            "<w:sz w:val=\"19\"/><w:color w:val=\"444444\"/>"
        ),
        paragraph_style(
            "FootnoteText",
            "footnote text",
            "Normal",
            "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
            "<w:sz w:val=\"18\"/>"
        ),
    )
}

fn content_types_xml() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{XML_HEADER}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
         <Override PartName=\"/word/footnotes.xml\" ContentType=\"{main}.footnotes+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>"
    )
}

fn relationships(entries: &[(&str, &str, &str)]) -> String {
    let mut out =
        format!("{XML_HEADER}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (id, kind, target) in entries {
        let _ = write!(out, "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>");
    }
    out.push_str("</Relationships>");
    out
}

/// Renders the report as the bytes of a .docx file. The document is
/// compressed into the package as it is written, a quote at a time, and the
/// footnotes into an archive of their own that is copied in at the end, so
/// the uncompressed parts are never held whole.
pub fn render_docx(report: &Report) -> std::io::Result<Vec<u8>> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let put = |zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, content: &str| {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())
    };
    put(&mut zip, "[Content_Types].xml", &content_types_xml())?;
    put(
        &mut zip,
        "_rels/.rels",
        &relationships(&[
            ("rId1", &format!("{REL}/officeDocument"), "word/document.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            ("rId3", &format!("{REL}/extended-properties"), "docProps/app.xml"),
        ]),
    )?;
    let mut footnotes = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    footnotes.start_file("word/footnotes.xml", options).map_err(std::io::Error::other)?;
    footnotes.write_all(footnotes_head().as_bytes())?;
    zip.start_file("word/document.xml", options).map_err(std::io::Error::other)?;
    write_document(report, &mut zip, &mut footnotes)?;
    footnotes.write_all(b"</w:footnotes>")?;
    put(
        &mut zip,
        "word/_rels/document.xml.rels",
        &relationships(&[
            ("rId1", &format!("{REL}/styles"), "styles.xml"),
            ("rId2", &format!("{REL}/settings"), "settings.xml"),
            ("rId3", &format!("{REL}/footnotes"), "footnotes.xml"),
        ]),
    )?;
    put(&mut zip, "word/styles.xml", &styles_xml())?;
    put(
        &mut zip,
        "word/settings.xml",
        &format!(
            "{XML_HEADER}<w:settings xmlns:w=\"{W}\"><w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr></w:settings>"
        ),
    )?;
    let footnotes = footnotes.finish_into_readable().map_err(std::io::Error::other)?;
    zip.merge_archive(footnotes).map_err(std::io::Error::other)?;
    put(
        &mut zip,
        "docProps/core.xml",
        &format!(
            "{XML_HEADER}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>Quipu</dc:creator></cp:coreProperties>",
            escape(&report.title)
        ),
    )?;
    put(
        &mut zip,
        "docProps/app.xml",
        &format!(
            "{XML_HEADER}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
             <Application>Quipu</Application></Properties>"
        ),
    )?;
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
