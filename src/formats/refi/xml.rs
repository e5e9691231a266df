//! Reading REFI-QDA XML as a stream: a `project.qde` of a large project runs to
//! hundreds of megabytes, so it is never held whole, nor parsed into one tree.
//! [`XmlStream`] walks the document start tag by start tag; the importer builds
//! a small [`Element`] tree of one part at a time (the codebook, the cases, one
//! text source with its selections) and lets it go once written.
//!
//! The same limits hold as for documents parsed whole: nesting at most
//! [`MAX_XML_DEPTH`] deep, at most [`MAX_XML_ELEMENTS`] elements, UTF-8 only,
//! and ill-formed XML refused with a message naming the part and the byte.

use std::io::BufRead;

use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::bilingual;
use crate::formats::ImportError;
use crate::formats::package::{EntryRefused, MAX_XML_DEPTH};
use crate::language::Text;

/// Most elements read in one document (a REFI-QDA project of a million
/// codings has about five million).
pub const MAX_XML_ELEMENTS: u64 = 40_000_000;

/// One element read whole: its local name, attributes, child elements and text.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// The local name (without a namespace prefix).
    pub name: String,
    attributes: Vec<(String, String)>,
    elements: Vec<Element>,
    /// The text directly inside, kept only while the element has no child elements.
    text: String,
}

impl Element {
    /// The value of the attribute with local name `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.elements.iter()
    }

    /// The child elements named `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements.iter().filter(move |element| element.name == name)
    }

    /// Adds `element` as the last child.
    pub fn push(&mut self, element: Element) {
        self.text.clear();
        self.elements.push(element);
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements.iter().find(|element| element.name == name)
    }

    /// The text of the first child element named `name`, or empty.
    pub fn child_text(&self, name: &str) -> String {
        self.child(name).and_then(Element::text).unwrap_or_default().to_owned()
    }

    /// The text inside the element, if it has any and no child elements.
    pub fn text(&self) -> Option<&str> {
        (!self.text.is_empty()).then_some(self.text.as_str())
    }

    /// This element and every element inside it, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut found = vec![self];
        let mut at = 0;
        while at < found.len() {
            let element = found[at];
            found.extend(element.elements.iter());
            at += 1;
        }
        found
    }

    /// How messages point at the element: its tag with its name or GUID.
    pub fn describe(&self) -> String {
        describe(&self.name, self.attribute("name"), self.attribute("guid"))
    }
}

/// `<tag name="…">`, `<tag guid="…">` or `<tag>`.
pub fn describe(tag: &str, name: Option<&str>, guid: Option<&str>) -> String {
    match (name, guid) {
        (Some(name), _) => format!("<{tag} name=\"{name}\">"),
        (None, Some(guid)) => format!("<{tag} guid=\"{guid}\">"),
        _ => format!("<{tag}>"),
    }
}

/// A start tag met in the stream: the element's name and attributes, and
/// whether it is empty (`<tag/>`, nothing inside).
#[derive(Debug, Clone)]
pub struct StartTag {
    element: Element,
    empty: bool,
}

impl StartTag {
    /// The local name.
    pub fn name(&self) -> &str {
        &self.element.name
    }

    /// The value of an attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.element.attribute(name)
    }

    /// How messages point at the element.
    pub fn describe(&self) -> String {
        self.element.describe()
    }

    /// Whether the tag is empty (`<tag/>`): nothing inside to walk.
    pub fn is_empty(&self) -> bool {
        self.empty
    }
}

/// A pull reader over one XML document.
pub struct XmlStream<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buffer: Vec<u8>,
    /// Elements open around the position read.
    depth: usize,
    /// Elements met so far.
    elements: u64,
    /// The file and part named in messages.
    file: String,
    part: String,
}

impl<R: BufRead> XmlStream<R> {
    /// A stream over `source`, `part` of `file` (both named in messages).
    pub fn new(source: R, file: &str, part: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.trim_text(false);
        Self { reader, buffer: Vec::new(), depth: 0, elements: 0, file: file.to_owned(), part: part.to_owned() }
    }

    /// Whether the document's first character, past a byte-order mark and
    /// white space, opens markup (`<`): else it is not XML at all.
    pub fn starts_with_markup(&mut self) -> Result<bool, ImportError> {
        fn first_is_markup(source: &mut impl BufRead) -> std::io::Result<bool> {
            let mut first = true;
            loop {
                let buffer = source.fill_buf()?;
                if buffer.is_empty() {
                    return Ok(false);
                }
                let mut skip = if first && buffer.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
                first = false;
                while skip < buffer.len() && buffer[skip].is_ascii_whitespace() {
                    skip += 1;
                }
                if skip < buffer.len() {
                    return Ok(buffer[skip] == b'<');
                }
                source.consume(skip);
            }
        }
        first_is_markup(self.reader.get_mut()).map_err(|error| self.failed(error.into()))
    }

    /// Bytes of the document read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn refuse(&self, message: Text) -> ImportError {
        ImportError::file(&self.file, message)
    }

    fn ill_formed(&self, detail: &str) -> ImportError {
        let part = &self.part;
        let at = self.reader.buffer_position();
        self.refuse(bilingual!(
            "{part} is not well-formed XML: {detail} (near byte {at})",
            "{part} no es XML bien formado: {detail} (cerca del byte {at})"
        ))
    }

    fn failed(&self, error: quick_xml::Error) -> ImportError {
        match &error {
            quick_xml::Error::Io(io) => {
                if let Some(refused) = io.get_ref().and_then(|inner| inner.downcast_ref::<EntryRefused>()) {
                    return self.refuse(refused.0.clone());
                }
                let part = &self.part;
                self.refuse(bilingual!("{part} could not be read: {io}", "no se pudo leer {part}: {io}"))
            }
            quick_xml::Error::Encoding(_) => {
                self.refuse(bilingual!("the XML is not UTF-8 text", "el XML no es texto UTF-8"))
            }
            other => self.ill_formed(&other.to_string()),
        }
    }

    /// Reads a start tag into an element with its name and attributes.
    fn start_tag(&mut self, start: &quick_xml::events::BytesStart<'_>) -> Result<Element, ImportError> {
        self.elements += 1;
        if self.elements > MAX_XML_ELEMENTS {
            let part = &self.part;
            return Err(self.refuse(bilingual!(
                "{part} has more than {MAX_XML_ELEMENTS} elements; no project is that large",
                "{part} tiene más de {MAX_XML_ELEMENTS} elementos; ningún proyecto es tan grande"
            )));
        }
        let mut element = Element { name: start.local_name().as_ref().to_owned(), ..Element::default() };
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|error| self.ill_formed(&error.to_string()))?;
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| self.ill_formed(&error.to_string()))?;
            element.attributes.push((attribute.key.local_name().as_ref().to_owned(), value.into_owned()));
        }
        Ok(element)
    }

    fn enter(&mut self) -> Result<(), ImportError> {
        self.depth += 1;
        if self.depth > MAX_XML_DEPTH {
            let part = &self.part;
            return Err(self.refuse(bilingual!(
                "{part} nests elements more than {MAX_XML_DEPTH} deep; no document is built that way",
                "{part} anida elementos a más de {MAX_XML_DEPTH} niveles; ningún documento se construye así"
            )));
        }
        Ok(())
    }

    /// The next start tag inside the element open now (or the root, at the
    /// top), skipping text, comments and declarations; `None` once that
    /// element closes (or the document ends, at the top).
    pub fn next_start(&mut self) -> Result<Option<StartTag>, ImportError> {
        let mut buffer = std::mem::take(&mut self.buffer);
        let found = self.next_start_into(&mut buffer);
        self.buffer = buffer;
        found
    }

    fn next_start_into(&mut self, buffer: &mut Vec<u8>) -> Result<Option<StartTag>, ImportError> {
        loop {
            buffer.clear();
            let event = match self.reader.read_event_into(buffer) {
                Ok(event) => event,
                Err(error) => return Err(self.failed(error)),
            };
            match event {
                Event::Start(start) => {
                    let element = self.start_tag(&start)?;
                    self.enter()?;
                    return Ok(Some(StartTag { element, empty: false }));
                }
                Event::Empty(start) => {
                    let element = self.start_tag(&start)?;
                    return Ok(Some(StartTag { element, empty: true }));
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.ill_formed("the document ends before its elements are closed"));
                    }
                    return Ok(None);
                }
                Event::GeneralRef(reference) => {
                    // Outside any text that is kept; still it must be a known one.
                    self.reference(&reference)?;
                }
                _ => {}
            }
        }
    }

    /// What a reference (`&amp;`, `&#233;`) stands for.
    fn reference(&self, reference: &quick_xml::events::BytesRef<'_>) -> Result<String, ImportError> {
        if reference.is_char_ref() {
            return match reference.resolve_char_ref() {
                Ok(Some(character)) => Ok(character.to_string()),
                _ => Err(self.ill_formed(&format!("&{}; is not a character", &**reference))),
            };
        }
        match quick_xml::escape::resolve_predefined_entity(reference) {
            Some(text) => Ok(text.to_owned()),
            None => Err(self.ill_formed(&format!("the entity &{}; is not defined", &**reference))),
        }
    }

    /// Reads the rest of the element `tag` opened: its text and everything inside.
    pub fn element(&mut self, tag: StartTag) -> Result<Element, ImportError> {
        let StartTag { element, empty } = tag;
        if empty {
            return Ok(element);
        }
        let mut buffer = std::mem::take(&mut self.buffer);
        let read = self.element_into(element, &mut buffer);
        self.buffer = buffer;
        read
    }

    fn element_into(&mut self, element: Element, buffer: &mut Vec<u8>) -> Result<Element, ImportError> {
        // The elements open, innermost last; the first is `tag`'s.
        let mut open = vec![element];
        loop {
            buffer.clear();
            let event = match self.reader.read_event_into(buffer) {
                Ok(event) => event,
                Err(error) => return Err(self.failed(error)),
            };
            let innermost = open.len() - 1;
            match event {
                Event::Start(start) => {
                    let child = self.start_tag(&start)?;
                    self.enter()?;
                    open[innermost].text.clear();
                    open.push(child);
                }
                Event::Empty(start) => {
                    let child = self.start_tag(&start)?;
                    open[innermost].text.clear();
                    open[innermost].elements.push(child);
                }
                Event::End(_) => {
                    self.depth -= 1;
                    let closed = open.pop().expect("an element is open");
                    match open.last_mut() {
                        Some(parent) => parent.elements.push(closed),
                        None => return Ok(closed),
                    }
                }
                Event::Text(text) => {
                    if open[innermost].elements.is_empty() {
                        open[innermost].text.push_str(&text.xml10_content());
                    }
                }
                Event::CData(data) => {
                    if open[innermost].elements.is_empty() {
                        open[innermost].text.push_str(&data.xml10_content());
                    }
                }
                Event::GeneralRef(reference) => {
                    let text = self.reference(&reference)?;
                    if open[innermost].elements.is_empty() {
                        open[innermost].text.push_str(&text);
                    }
                }
                Event::Eof => return Err(self.ill_formed("the document ends before its elements are closed")),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Passes over the rest of the element `tag` opened, keeping nothing.
    pub fn skip(&mut self, tag: StartTag) -> Result<(), ImportError> {
        if tag.empty {
            return Ok(());
        }
        while let Some(inner) = self.next_start()? {
            self.skip(inner)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(xml: &str) -> XmlStream<&[u8]> {
        XmlStream::new(xml.as_bytes(), "f.qde", "project.qde")
    }

    #[test]
    fn elements_come_with_their_attributes_text_and_children() {
        let mut xml = stream(
            "<?xml version=\"1.0\"?>\n<P xmlns=\"urn:x\" name=\"a &amp; b\"><!-- c --><N guid=\"g\"><T>l\u{ed}nea\r\nuno &lt;2&#233;<![CDATA[<x>]]></T></N><E/></P>",
        );
        let root = xml.next_start().unwrap().unwrap();
        assert_eq!((root.name(), root.attribute("name")), ("P", Some("a & b")));
        let n = xml.next_start().unwrap().unwrap();
        let n = xml.element(n).unwrap();
        assert_eq!(n.describe(), "<N guid=\"g\">");
        assert_eq!(n.child_text("T"), "línea\nuno <2é<x>");
        let e = xml.next_start().unwrap().unwrap();
        assert_eq!(xml.element(e).unwrap().name, "E");
        assert!(xml.next_start().unwrap().is_none(), "the root closes");
        assert!(xml.next_start().unwrap().is_none(), "the document ends");
    }

    #[test]
    fn broken_deep_and_unknown_input_is_refused_by_name() {
        let refusal = |xml: &str| {
            let mut xml = stream(xml);
            loop {
                match xml.next_start() {
                    Err(error) => return error.to_string(),
                    Ok(None) if xml.depth == 0 => panic!("accepted"),
                    Ok(_) => {}
                }
            }
        };
        assert!(refusal("<a><b></a>").contains("project.qde is not well-formed XML"));
        assert!(refusal("<a><b>").contains("ends before its elements are closed"));
        assert!(refusal(&format!("{}{}", "<a>".repeat(300), "</a>".repeat(300))).contains("more than 256 deep"));
        let mut unknown = stream("<a>&nope;</a>");
        let a = unknown.next_start().unwrap().unwrap();
        assert!(unknown.element(a).unwrap_err().to_string().contains("&nope; is not defined"));
        let mut latin = XmlStream::new(&b"<a>\xe9</a>"[..], "f.qdc", "CodeBook");
        let a = latin.next_start().unwrap().unwrap();
        assert!(latin.element(a).unwrap_err().to_string().contains("not UTF-8"));
    }
}
