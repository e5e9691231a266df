//! Reading a transcript file into paragraphs: Word (`.docx`), LibreOffice
//! (`.odt`), plain text and Markdown (UTF-8 with or without BOM, UTF-16 with BOM,
//! or legacy Windows-1252/Latin-1, detected and said), and subtitles from
//! automatic transcription (`.srt`, `.vtt`, cue times kept).

use roxmltree::Node;

use crate::bilingual;
use crate::formats::ImportError;
use crate::formats::package::{parse_xml, read_entry};
use crate::language::Text;

/// One paragraph of a transcript, as its file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its text, NFC, line breaks inside it kept as `\n`.
    pub text: String,
    /// For a subtitle cue, when it starts (`00:14:05`).
    pub time: Option<String>,
}

/// A transcript file read into paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFile {
    /// The file's name, for messages.
    pub file: String,
    /// Its paragraphs, empty ones left out.
    pub paragraphs: Vec<Paragraph>,
    /// What had to be done to read it (an encoding converted), if anything.
    pub note: Option<Text>,
    /// A short fingerprint of its bytes (64-bit FNV-1a and length, in hex):
    /// enough to recognise the same file imported twice.
    pub fingerprint: String,
}

/// The kinds of file a transcript may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Odt,
    PlainText,
    Srt,
    Vtt,
}

fn kind_of(file: &str, bytes: &[u8]) -> Kind {
    let extension = std::path::Path::new(file)
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_lowercase();
    match extension.as_str() {
        "docx" => Kind::Docx,
        "odt" => Kind::Odt,
        "srt" => Kind::Srt,
        "vtt" => Kind::Vtt,
        _ if bytes.starts_with(b"WEBVTT") => Kind::Vtt,
        _ => Kind::PlainText,
    }
}

/// Reads a transcript. `file` names it in messages and decides its kind by its
/// extension (`.docx`, `.odt`, `.srt`, `.vtt`; anything else is plain text).
pub fn read_transcript(bytes: &[u8], file: &str) -> Result<TranscriptFile, ImportError> {
    let (paragraphs, note) = match kind_of(file, bytes) {
        Kind::Docx => (read_docx(bytes, file)?, None),
        Kind::Odt => (read_odt(bytes, file)?, None),
        Kind::PlainText => {
            let (text, note) = decode_text(bytes);
            (plain_paragraphs(&text), note)
        }
        Kind::Srt | Kind::Vtt => {
            let (text, note) = decode_text(bytes);
            (subtitle_paragraphs(&text), note)
        }
    };
    let paragraphs: Vec<Paragraph> = paragraphs
        .into_iter()
        .map(|paragraph| Paragraph { text: crate::text::normalized(paragraph.text.trim()), ..paragraph })
        .filter(|paragraph| !paragraph.text.is_empty())
        .collect();
    if paragraphs.is_empty() {
        return Err(ImportError::file(
            file,
            bilingual!("the transcript has no text", "la transcripción no tiene texto"),
        ));
    }
    let fingerprint = format!("{:016x}-{}", crate::formats::fnv1a(bytes, 0), bytes.len());
    Ok(TranscriptFile { file: file.to_owned(), paragraphs, note, fingerprint })
}

/// Reads a transcript from disk; the path names it in messages.
pub fn read_transcript_file(path: &std::path::Path) -> Result<TranscriptFile, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io { file: file.clone(), source })?;
    read_transcript(&bytes, &file)
}

/// Decodes text: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order
/// mark, or, when the bytes are not UTF-8, Windows-1252 (which Latin-1 files
/// also read as). Says which, when it was not plain UTF-8.
pub fn decode_text(bytes: &[u8]) -> (String, Option<Text>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), None);
    }
    let utf16 = |rest: &[u8], little_endian: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                if little_endian {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (utf16(rest, true), Some(bilingual!("read as UTF-16", "leído como UTF-16")));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (utf16(rest, false), Some(bilingual!("read as UTF-16", "leído como UTF-16")));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (
            bytes.iter().map(|byte| windows_1252(*byte)).collect(),
            Some(bilingual!(
                "not UTF-8: read as Windows-1252 (Latin-1) and converted",
                "no era UTF-8: se leyó como Windows-1252 (Latin-1) y se convirtió"
            )),
        ),
    }
}

/// A Windows-1252 byte as a character (Latin-1, with the printable 0x80–0x9F
/// range of Windows).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[(byte - 0x80) as usize],
        _ => byte as char,
    }
}

/// Plain text: every non-empty line is a paragraph.
fn plain_paragraphs(text: &str) -> Vec<Paragraph> {
    text.lines().map(|line| Paragraph { text: line.to_owned(), time: None }).collect()
}

/// Subtitles: every cue is a paragraph, its lines joined, its start kept. A WebVTT
/// voice tag (`<v Rosa>`) becomes a speaker label.
fn subtitle_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    for block in normalized.split("\n\n") {
        let lines: Vec<&str> = block.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
        let Some(timing_index) = lines.iter().position(|line| line.contains("-->")) else {
            continue;
        };
        let start = lines[timing_index].split("-->").next().unwrap_or_default().trim();
        let time = cue_time(start);
        let mut words = Vec::new();
        for line in &lines[timing_index + 1..] {
            words.push(voice_to_label(line));
        }
        paragraphs.push(Paragraph { text: words.join(" "), time });
    }
    paragraphs
}

/// `00:14:05,300` or `14:05.300` as `00:14:05`.
fn cue_time(start: &str) -> Option<String> {
    let without_fraction = start.split([',', '.']).next()?;
    let parts: Vec<&str> = without_fraction.split(':').collect();
    let valid = parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    match (valid, parts.as_slice()) {
        (true, [hours, minutes, seconds]) => Some(format!("{hours:0>2}:{minutes:0>2}:{seconds:0>2}")),
        (true, [minutes, seconds]) => Some(format!("00:{minutes:0>2}:{seconds:0>2}")),
        _ => None,
    }
}

/// `<v Rosa Quispe>Text</v>` as `Rosa Quispe: Text`; other tags dropped.
fn voice_to_label(line: &str) -> String {
    let mut label = None;
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        // `<v Name>`, or `<v.class Name>` with a class before the name.
        let name = match tag.strip_prefix("v.") {
            Some(classed) => classed.split_once(' ').map(|(_, name)| name),
            None => tag.strip_prefix("v "),
        };
        if let Some(name) = name {
            label.get_or_insert_with(|| name.trim().to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    match label {
        Some(label) if !label.is_empty() => format!("{label}: {}", out.trim()),
        _ => out.trim().to_owned(),
    }
}

/// The named part of a ZIP package (a `.docx` or `.odt`), read with a size cap.
fn zip_part(bytes: &[u8], file: &str, part: &str) -> Result<String, ImportError> {
    let not_package = |error: zip::result::ZipError| {
        ImportError::file(
            file,
            bilingual!(
                "not a readable document (ZIP package): {error}",
                "no es un documento legible (paquete ZIP): {error}"
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(not_package)?;
    let entry = archive.by_name(part).map_err(|_| {
        ImportError::file(file, bilingual!("the document has no {part} inside", "el documento no contiene {part}"))
    })?;
    let packed = entry.compressed_size();
    let content = read_entry(entry, packed, file, part)?;
    String::from_utf8(content)
        .map_err(|_| ImportError::file(file, bilingual!("{part} is not UTF-8 text", "{part} no es texto UTF-8")))
}

/// Word: the body's paragraphs (`w:p`), their runs' text, tabs and line breaks.
fn read_docx(bytes: &[u8], file: &str) -> Result<Vec<Paragraph>, ImportError> {
    let xml = zip_part(bytes, file, "word/document.xml")?;
    let document = parse_xml(&xml, file, "word/document.xml")?;
    let mut paragraphs = Vec::new();
    // Word writes a text box twice, as the drawing and as a fallback for old
    // readers: the fallback copy is left out.
    let paragraphs_read = document.descendants().filter(|node| {
        node.is_element()
            && node.tag_name().name() == "p"
            && !node.ancestors().any(|ancestor| ancestor.tag_name().name() == "Fallback")
    });
    for paragraph in paragraphs_read {
        // A paragraph inside another (a text box) is read on its own.
        let mut text = String::new();
        for node in paragraph.descendants() {
            if node.ancestors().skip(1).find(|a| a.tag_name().name() == "p") != Some(paragraph) {
                continue;
            }
            match node.tag_name().name() {
                "t" if node.is_element() => text.push_str(node.text().unwrap_or_default()),
                "tab" if node.is_element() => text.push('\t'),
                "br" | "cr" if node.is_element() => text.push('\n'),
                _ => {}
            }
        }
        paragraphs.push(Paragraph { text, time: None });
    }
    Ok(paragraphs)
}

/// LibreOffice: the text's paragraphs and headings, with spans, spaces
/// (`text:s`), tabs and line breaks.
fn read_odt(bytes: &[u8], file: &str) -> Result<Vec<Paragraph>, ImportError> {
    let xml = zip_part(bytes, file, "content.xml")?;
    let document = parse_xml(&xml, file, "content.xml")?;
    let mut paragraphs = Vec::new();
    // Footnotes and comments are not the speaker's words.
    let paragraphs_read = document.descendants().filter(|node| {
        node.is_element()
            && matches!(node.tag_name().name(), "p" | "h")
            && !node.ancestors().any(|ancestor| matches!(ancestor.tag_name().name(), "note" | "annotation"))
    });
    for paragraph in paragraphs_read {
        let mut text = String::new();
        odt_text(paragraph, &mut text);
        paragraphs.push(Paragraph { text, time: None });
    }
    Ok(paragraphs)
}

/// Most spaces one `text:s` stands for.
const MAX_SPACES: usize = 1000;

/// The text of an ODF paragraph; nesting is bounded by [`parse_xml`].
fn odt_text(node: Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
            continue;
        }
        match child.tag_name().name() {
            "s" => {
                let count: usize =
                    child.attributes().find(|a| a.name() == "c").and_then(|a| a.value().parse().ok()).unwrap_or(1);
                // No line holds more spaces than this; a larger count is damage.
                out.extend(std::iter::repeat_n(' ', count.min(MAX_SPACES)));
            }
            "tab" => out.push('\t'),
            "line-break" => out.push('\n'),
            // Notes and nested paragraphs are not the speaker's words here.
            "note" | "p" | "h" | "annotation" => {}
            _ => odt_text(child, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_bytes_become_their_characters_and_say_so() {
        let bytes = b"Entrevistador: \xbfQu\xe9 pas\xf3 en el r\xedo?";
        let (text, note) = decode_text(bytes);
        assert_eq!(text, "Entrevistador: ¿Qué pasó en el río?");
        assert!(note.unwrap().to_string().contains("Windows-1252"));
    }

    #[test]
    fn cue_times_are_kept_as_hours_minutes_seconds() {
        assert_eq!(cue_time("00:14:05,300").as_deref(), Some("00:14:05"));
        assert_eq!(cue_time("14:05.300").as_deref(), Some("00:14:05"));
        assert_eq!(cue_time("soon"), None);
    }

    #[test]
    fn a_voice_tag_becomes_a_label() {
        assert_eq!(voice_to_label("<v Rosa Quispe>El agua se fue.</v>"), "Rosa Quispe: El agua se fue.");
        assert_eq!(voice_to_label("<i>Ruido</i> de fondo"), "Ruido de fondo");
    }
}
