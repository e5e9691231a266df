//! Reading packaged and XML input without trusting it: one entry of a ZIP
//! package (a `.docx`, `.odt` or `.qdpx`) with a cap on what it unpacks to, so a
//! zip bomb is refused rather than filling memory; and XML with a cap on nodes
//! and on nesting depth, so a hostile file cannot exhaust memory or the stack of
//! the readers that walk it.

use std::io::Read;

use roxmltree::Document;

use crate::bilingual;
use crate::formats::ImportError;

/// Largest one entry of a package may unpack to. Packages here carry text, and
/// 64 MB is tens of thousands of pages.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// Largest a REFI-QDA project document (`project.qde`) may unpack to: it
/// holds the whole project, and a project of 200,000 excerpts and a million
/// codings writes a few hundred megabytes of it.
pub const MAX_PROJECT_DOCUMENT_BYTES: u64 = 1024 * 1024 * 1024;

/// Deepest XML nesting read. Word and LibreOffice nest a dozen levels; a REFI
/// codebook one per level of its hierarchy.
pub const MAX_XML_DEPTH: usize = 256;

/// Most a whole package may unpack to, all entries read together.
pub const MAX_PACKAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// What is left of a package's allowance as its entries are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    left: u64,
}

impl Default for Allowance {
    fn default() -> Self {
        Self { left: MAX_PACKAGE_BYTES }
    }
}

impl Allowance {
    /// An allowance of `bytes` in all.
    pub fn of(bytes: u64) -> Self {
        Self { left: bytes }
    }

    /// Takes `bytes` read from an entry, refusing when the package as a whole
    /// unpacks past its allowance (many entries each under the one-entry cap).
    pub fn take(&mut self, bytes: usize, file: &str, part: &str) -> Result<(), ImportError> {
        match self.left.checked_sub(bytes as u64) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(ImportError::file(
                file,
                bilingual!(
                    "the package unpacks to more than it could hold as text (reading {part}); the file is damaged or not what it claims",
                    "el paquete ocupa al descomprimirse más de lo que un texto podría (al leer {part}); el archivo está dañado o no es lo que dice ser"
                ),
            )),
        }
    }
}

/// Most XML nodes read in one document (a REFI-QDA project of a million
/// codings has about ten million).
const MAX_XML_NODES: u32 = 40_000_000;

/// The most an entry may unpack to per byte it takes packed. Text packs ten
/// or twenty to one; only a zip bomb (or a file of one repeated byte) passes
/// two hundred.
pub const MAX_RATIO: u64 = 200;

/// Entries unpacking to less than this are not held to [`MAX_RATIO`]: a small
/// blank page packs very small.
const RATIO_FREE_BYTES: u64 = 1024 * 1024;

/// Reads one entry of a package (`part` names it in messages), refusing one
/// that unpacks past [`MAX_ENTRY_BYTES`], or past [`MAX_RATIO`] times the
/// `packed` bytes it takes in the archive. It stops reading at the first byte
/// past either limit, so a bomb is never unpacked.
pub fn read_entry(entry: impl Read, packed: u64, file: &str, part: &str) -> Result<Vec<u8>, ImportError> {
    read_entry_up_to(entry, packed, MAX_ENTRY_BYTES, file, part)
}

/// Like [`read_entry`], with `cap` bytes in place of [`MAX_ENTRY_BYTES`].
pub fn read_entry_up_to(
    entry: impl Read,
    packed: u64,
    cap: u64,
    file: &str,
    part: &str,
) -> Result<Vec<u8>, ImportError> {
    let mut capped = CappedRead::new(entry, packed, cap, part);
    let mut content = Vec::new();
    capped.read_to_end(&mut content).map_err(|error| match EntryRefused::inside(&error) {
        Some(refused) => ImportError::file(file, refused.0.clone()),
        None => {
            ImportError::file(file, bilingual!("{part} could not be read: {error}", "no se pudo leer {part}: {error}"))
        }
    })?;
    Ok(content)
}

/// Why an entry stopped being read: it unpacks past its cap or its ratio.
/// Carried inside the I/O error of a [`CappedRead`].
#[derive(Debug, Clone)]
pub struct EntryRefused(pub crate::language::Text);

impl std::fmt::Display for EntryRefused {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.0.get(crate::language::Language::English))
    }
}

impl std::error::Error for EntryRefused {}

impl EntryRefused {
    /// The refusal an I/O error carries, if it is one.
    pub fn inside(error: &std::io::Error) -> Option<&EntryRefused> {
        error.get_ref().and_then(|inner| inner.downcast_ref::<EntryRefused>())
    }
}

/// Reads an entry of a package as a stream with the limits of [`read_entry`]:
/// the first byte past [`MAX_RATIO`] times its `packed` size, or past `cap`,
/// fails the read with an [`EntryRefused`], so a bomb is never unpacked.
pub struct CappedRead<R> {
    inner: R,
    packed: u64,
    cap: u64,
    /// The most bytes allowed: the cap, or the ratio's bound if lower.
    limit: u64,
    read: u64,
    part: String,
}

impl<R: Read> CappedRead<R> {
    /// Caps `inner`, `part` of a package (named in messages), `packed` bytes in the archive.
    pub fn new(inner: R, packed: u64, cap: u64, part: &str) -> Self {
        let by_ratio = packed.saturating_mul(MAX_RATIO).max(RATIO_FREE_BYTES);
        Self { inner, packed, cap, limit: cap.min(by_ratio), read: 0, part: part.to_owned() }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    fn refusal(&self) -> EntryRefused {
        let (part, packed) = (&self.part, self.packed);
        if self.limit == self.cap {
            let megabytes = self.cap / (1024 * 1024);
            return EntryRefused(bilingual!(
                "{part} unpacks to more than {megabytes} MB, more than any text it could hold; the file is damaged or not what it claims",
                "{part} ocupa más de {megabytes} MB al descomprimirse, más que cualquier texto; el archivo está dañado o no es lo que dice ser"
            ));
        }
        EntryRefused(bilingual!(
            "{part} unpacks to more than {MAX_RATIO} times its packed size ({packed} bytes), as no text does; the file is damaged or not what it claims",
            "{part} ocupa al descomprimirse más de {MAX_RATIO} veces su tamaño comprimido ({packed} bytes), como ningún texto; el archivo está dañado o no es lo que dice ser"
        ))
    }
}

impl<R: Read> Read for CappedRead<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        // One byte more than allowed may be read, to tell "exactly at the
        // limit" from "past it".
        let room = (self.limit + 1).saturating_sub(self.read);
        let wanted = buffer.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        if wanted == 0 && !buffer.is_empty() {
            return Err(std::io::Error::other(self.refusal()));
        }
        let count = self.inner.read(&mut buffer[..wanted])?;
        self.read += count as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(self.refusal()));
        }
        Ok(count)
    }
}

/// Parses XML (`part` names it in messages) with limits on nodes and nesting.
/// The nesting is measured on the text before parsing: the XML parser itself
/// recurses once per level, and a hostile file must not overflow its stack.
pub fn parse_xml<'a>(xml: &'a str, file: &str, part: &str) -> Result<Document<'a>, ImportError> {
    if deepest_nesting(xml) > MAX_XML_DEPTH {
        return Err(ImportError::file(
            file,
            bilingual!(
                "{part} nests elements more than {MAX_XML_DEPTH} deep; no document is built that way",
                "{part} anida elementos a más de {MAX_XML_DEPTH} niveles; ningún documento se construye así"
            ),
        ));
    }
    let options = roxmltree::ParsingOptions { nodes_limit: MAX_XML_NODES, ..roxmltree::ParsingOptions::default() };
    Document::parse_with_options(xml, options).map_err(|error| {
        ImportError::file(
            file,
            bilingual!("{part} is not well-formed XML: {error}", "{part} no es XML bien formado: {error}"),
        )
    })
}

/// How deep elements nest in `xml`, read from its tags alone: comments, CDATA,
/// processing instructions and declarations are skipped, quoted attribute values
/// may hold `>`. Badly formed XML gives some number; the parser then refuses it.
fn deepest_nesting(xml: &str) -> usize {
    let bytes = xml.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    let skip_past = |from: usize, end: &[u8]| {
        bytes[from..]
            .windows(end.len())
            .position(|window| window == end)
            .map_or(bytes.len(), |found| from + found + end.len())
    };
    while let Some(offset) = bytes[at..].iter().position(|byte| *byte == b'<') {
        let start = at + offset;
        let rest = &bytes[start..];
        at = if rest.starts_with(b"<!--") {
            skip_past(start, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_past(start, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_past(start, b"?>")
        } else if rest.starts_with(b"<!") {
            skip_past(start, b">")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            skip_past(start, b">")
        } else {
            // A start tag: find its end outside quoted values.
            let mut quote = None;
            let mut end = bytes.len();
            for (index, byte) in rest.iter().enumerate().skip(1) {
                match (quote, *byte) {
                    (None, b'"' | b'\'') => quote = Some(*byte),
                    (Some(open), byte) if byte == open => quote = None,
                    (None, b'>') => {
                        end = start + index;
                        break;
                    }
                    _ => {}
                }
            }
            if end == bytes.len() || bytes[end - 1] != b'/' {
                depth += 1;
                deepest = deepest.max(depth);
            }
            end + 1
        };
        if at >= bytes.len() {
            break;
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_whose_entries_together_pass_the_allowance_is_refused_naming_the_entry() {
        let mut allowance = Allowance::of(100);
        allowance.take(60, "p.qdpx", "sources/a.txt").unwrap();
        let error = allowance.take(60, "p.qdpx", "sources/b.txt").unwrap_err().to_string();
        assert!(error.contains("p.qdpx") && error.contains("sources/b.txt"), "{error}");
        assert_eq!(Allowance::default(), Allowance::of(MAX_PACKAGE_BYTES));
    }

    #[test]
    fn nesting_is_counted_from_tags_alone() {
        assert_eq!(deepest_nesting("<a><b/><c x=\"1>2\"><d>t</d></c></a>"), 3);
        assert_eq!(deepest_nesting("<?xml version=\"1.0\"?><!-- <x><y> --><a><![CDATA[<b><c>]]></a>"), 1);
        assert_eq!(deepest_nesting(&format!("{}{}", "<s>".repeat(1000), "</s>".repeat(1000))), 1000);
        assert_eq!(deepest_nesting(""), 0);
    }
}
