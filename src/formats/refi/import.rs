//! Reading REFI-QDA files into a project: a codebook (`.qdc`), or a whole
//! project (`.qdpx`, or a bare `project.qde`). Files Quipu wrote come back as they
//! were (bilingual excerpts, passages, memos, attributes, pseudonyms); files from
//! other tools become sources whose lines are excerpts, their selections coded
//! whole or as passages. Everything happens in one transaction, and a bad file is
//! refused with a message naming the element at fault.

use crate::language::{Language, Localized, Text};
use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::parse_quipu_description;
use crate::formats::ImportError;
use std::io::BufRead;

use super::xml::{Element, StartTag, XmlStream};
use crate::formats::package::{
    Allowance, CappedRead, EntryRefused, MAX_ENTRY_BYTES, MAX_PROJECT_DOCUMENT_BYTES, read_entry_up_to,
};
use crate::model::{
    AttributeId, AttributeScope, AttributeType, CaseId, CodeDraft, CodeId, CoderId, CodingAnchor, Color, ExcerptDraft,
    ExcerptId, MemoTarget, Side, SourceDraft, SourceId, TranslationStatus,
};
use crate::store::{CodingCheck, Identified, Store};
use crate::text::{self, CharSpan};

/// What a REFI-QDA import added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RefiSummary {
    /// "codebook" or "project".
    pub kind: String,
    /// Codes created (codes already in the project by name are reused).
    pub new_codes: usize,
    /// Sources created.
    pub sources: usize,
    /// Excerpts created.
    pub excerpts: usize,
    /// Codings created.
    pub codings: usize,
    /// Sources that are not text (PDF, pictures, audio, video), left out.
    pub skipped_sources: usize,
    /// Text sources left out because the file does not hold their text, each
    /// with its name and the missing path.
    pub missing_texts: Vec<String>,
    /// Users named by selections or codings but not declared in `<Users>`:
    /// their work is attributed to the fallback coder.
    pub unknown_users: Vec<String>,
}

/// A GUID as a number when it is written the usual way (lower- or upper-case
/// hex in 8-4-4-4-12 groups), so a million of them take little memory; the
/// case is kept apart, as GUIDs are compared as written.
fn packed_guid(guid: &str) -> Option<(bool, u128)> {
    let bytes = guid.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let (mut value, mut upper, mut lower) = (0u128, false, false);
    for (at, &byte) in bytes.iter().enumerate() {
        if matches!(at, 8 | 13 | 18 | 23) {
            if byte != b'-' {
                return None;
            }
            continue;
        }
        let nibble = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => {
                lower = true;
                byte - b'a' + 10
            }
            b'A'..=b'F' => {
                upper = true;
                byte - b'A' + 10
            }
            _ => return None,
        };
        value = (value << 4) | u128::from(nibble);
    }
    (!(upper && lower)).then_some((upper, value))
}

/// The GUIDs met so far, to refuse a file in which two elements share one.
#[derive(Default)]
struct SeenGuids {
    /// Written in lower case, and in upper case, as numbers (16 bytes each).
    lower: std::collections::HashSet<u128>,
    upper: std::collections::HashSet<u128>,
    other: std::collections::HashSet<String>,
}

impl SeenGuids {
    /// Whether `guid` is new (it is remembered).
    fn first(&mut self, guid: &str) -> bool {
        match packed_guid(guid) {
            Some((false, value)) => self.lower.insert(value),
            Some((true, value)) => self.upper.insert(value),
            None => self.other.insert(guid.to_owned()),
        }
    }
}

/// What the first pass over a project document finds: the notes (which come
/// after the sources that point at them), and the first GUID two elements share.
#[derive(Default)]
struct Survey {
    notes: HashMap<String, String>,
    duplicate: Option<(String, String)>,
}

/// The XML of a project or codebook, read as a stream.
type Stream<'a> = XmlStream<Box<dyn BufRead + 'a>>;

/// Walks the whole document: notes, GUIDs, and the limits every part is held to.
fn survey(stream: &mut Stream<'_>) -> Result<Survey, ImportError> {
    fn walk(
        stream: &mut Stream<'_>,
        depth: usize,
        seen: &mut SeenGuids,
        survey: &mut Survey,
    ) -> Result<(), ImportError> {
        while let Some(tag) = stream.next_start()? {
            if survey.duplicate.is_some() {
                return Ok(());
            }
            if let Some(guid) = tag.attribute("guid")
                && !seen.first(guid)
            {
                survey.duplicate = Some((guid.to_owned(), tag.describe()));
                return Ok(());
            }
            if depth == 1 && tag.name() == "Notes" {
                let notes = stream.element(tag)?;
                for element in notes.descendants().into_iter().skip(1) {
                    if let Some(guid) = element.attribute("guid")
                        && !seen.first(guid)
                    {
                        survey.duplicate = Some((guid.to_owned(), element.describe()));
                        return Ok(());
                    }
                }
                for note in notes.children("Note") {
                    if let Some(guid) = note.attribute("guid") {
                        survey.notes.insert(guid.to_owned(), note.child_text("PlainTextContent"));
                    }
                }
            } else if !tag.is_empty() {
                walk(stream, depth + 1, seen, survey)?;
            }
        }
        Ok(())
    }
    let mut survey = Survey::default();
    walk(stream, 0, &mut SeenGuids::default(), &mut survey)?;
    Ok(survey)
}

/// The first element carrying `guid`, as messages name it.
fn first_with_guid(stream: &mut Stream<'_>, guid: &str) -> Result<String, ImportError> {
    fn walk(stream: &mut Stream<'_>, guid: &str) -> Result<Option<String>, ImportError> {
        while let Some(tag) = stream.next_start()? {
            if tag.attribute("guid") == Some(guid) {
                return Ok(Some(tag.describe()));
            }
            if !tag.is_empty()
                && let Some(found) = walk(stream, guid)?
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
    Ok(walk(stream, guid)?.unwrap_or_default())
}

/// A `.qdpx` package: its entries read one at a time, as they are needed.
struct Package<'a> {
    archive: std::cell::RefCell<zip::ZipArchive<std::io::Cursor<&'a [u8]>>>,
    /// Entries by lower-cased path: index and packed size.
    entries: HashMap<String, (usize, u64)>,
    allowance: std::cell::Cell<Allowance>,
    file: String,
}

fn not_zip(file: &str, error: zip::result::ZipError) -> ImportError {
    ImportError::file(
        file,
        crate::bilingual!("not a readable .qdpx (ZIP) file: {error}", "no es un archivo .qdpx (ZIP) legible: {error}"),
    )
}

impl<'a> Package<'a> {
    /// Opens the archive and checks every text in it against the package limits
    /// (unpacking each as a stream, keeping nothing), so a bomb is refused
    /// before anything is written.
    fn read(bytes: &'a [u8], file: &str) -> Result<Package<'a>, ImportError> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not_zip(file, e))?;
        let mut entries = HashMap::new();
        let mut allowance = Allowance::default();
        for index in 0..archive.len() {
            let entry = archive.by_index(index).map_err(|e| not_zip(file, e))?;
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().map(|n| n.replace('\\', "/").to_lowercase()).unwrap_or_default();
            // Only the project and its plain texts are read; pictures, PDFs,
            // audio and video are left out of the import anyway.
            if !(name.ends_with(".qde") || name.ends_with(".txt")) {
                continue;
            }
            let packed = entry.compressed_size();
            if name.ends_with(".txt") {
                let mut capped = CappedRead::new(entry, packed, MAX_ENTRY_BYTES, &name);
                std::io::copy(&mut capped, &mut std::io::sink()).map_err(|error| entry_failed(file, &name, &error))?;
                allowance.take(capped.bytes_read() as usize, file, &name)?;
            }
            entries.insert(name, (index, packed));
        }
        Ok(Package {
            archive: std::cell::RefCell::new(archive),
            entries,
            allowance: std::cell::Cell::new(allowance),
            file: file.to_owned(),
        })
    }

    /// `project.qde` as a stream, from an archive of its own (`archive`, a
    /// copy of the package's) so texts can be read while it is.
    fn project<'s>(
        &self,
        archive: &'s mut zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    ) -> Result<CappedRead<zip::read::ZipFile<'s, std::io::Cursor<&'a [u8]>>>, ImportError> {
        let Some(&(index, packed)) = self.entries.get("project.qde") else {
            return Err(ImportError::file(
                &self.file,
                crate::bilingual!("the .qdpx has no project.qde inside", "el .qdpx no contiene project.qde"),
            ));
        };
        let entry = archive.by_index(index).map_err(|e| not_zip(&self.file, e))?;
        Ok(CappedRead::new(entry, packed, MAX_PROJECT_DOCUMENT_BYTES, "project.qde"))
    }

    /// A fresh copy of the archive, to stream one entry from.
    fn archive(&self) -> zip::ZipArchive<std::io::Cursor<&'a [u8]>> {
        self.archive.borrow().clone()
    }

    /// Counts `bytes` unpacked from `part` against the package's allowance.
    fn take(&self, bytes: u64, part: &str) -> Result<(), ImportError> {
        let mut allowance = self.allowance.get();
        allowance.take(usize::try_from(bytes).unwrap_or(usize::MAX), &self.file, part)?;
        self.allowance.set(allowance);
        Ok(())
    }

    /// The text a source points at (`internal://x.txt` lives in `sources/`, which
    /// some tools spell `Sources/`), or `None` if the package does not hold it.
    fn text(&self, path: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let name = path.trim_start_matches("internal://").trim_start_matches("relative://").to_lowercase();
        let in_sources = format!("sources/{name}");
        let Some((part, &(index, packed))) =
            self.entries.get_key_value(&in_sources).or_else(|| self.entries.get_key_value(&name))
        else {
            return Ok(None);
        };
        let mut archive = self.archive.borrow_mut();
        let entry = archive.by_index(index).map_err(|e| not_zip(&self.file, e))?;
        read_entry_up_to(entry, packed, MAX_ENTRY_BYTES, &self.file, part).map(Some)
    }
}

fn entry_failed(file: &str, part: &str, error: &std::io::Error) -> ImportError {
    match EntryRefused::inside(error) {
        Some(refused) => ImportError::file(file, refused.0.clone()),
        None => ImportError::file(
            file,
            crate::bilingual!("{part} could not be read: {error}", "no se pudo leer {part}: {error}"),
        ),
    }
}

/// A source text normalised as Quipu stores text, with a map from the file's
/// character positions (which REFI-QDA selections count) to the normalised ones.
struct SourceText {
    text: String,
    /// For each character position of the file, its position in `text`;
    /// `None` when the file's text was already normalised (each position is its own).
    positions: Option<Vec<usize>>,
    /// For each character position of `text` (and its end), its byte offset:
    /// selections are sliced in constant time, not by counting characters.
    offsets: Vec<usize>,
}

impl SourceText {
    fn new(raw: &str) -> SourceText {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let already_normal = !raw.contains(['\r', '\u{feff}'])
            && unicode_normalization::is_nfc_quick(raw.chars()) == unicode_normalization::IsNormalized::Yes;
        let (text, positions) = if already_normal {
            (raw.to_owned(), None)
        } else {
            let mut text = String::with_capacity(raw.len());
            let mut positions = Vec::with_capacity(raw.len() + 1);
            // Normalising a grapheme at a time keeps every position inside the text:
            // CRLF becomes LF, decomposed accents compose, within one grapheme.
            let mut length = 0;
            for grapheme in raw.graphemes(true) {
                positions.extend(std::iter::repeat_n(length, grapheme.chars().count()));
                let normalized = text::normalized(grapheme);
                length += text::char_len(&normalized);
                text.push_str(&normalized);
            }
            positions.push(length);
            (text, Some(positions))
        };
        let offsets = text.char_indices().map(|(offset, _)| offset).chain([text.len()]).collect();
        SourceText { text, positions, offsets }
    }

    /// How many characters the file's text has (what its selections count).
    fn file_chars(&self) -> usize {
        self.positions.as_ref().map_or(self.offsets.len(), Vec::len) - 1
    }

    /// The normalised text of `span` (empty if it leaves the text).
    fn slice(&self, span: CharSpan) -> &str {
        match (self.offsets.get(span.start.0), self.offsets.get(span.end.0)) {
            (Some(&start), Some(&end)) if start <= end => &self.text[start..end],
            _ => "",
        }
    }

    /// The normalised span of a selection, or `None` if it leaves the file.
    fn span(&self, start: usize, end: usize) -> Option<CharSpan> {
        if start > end {
            return None;
        }
        match &self.positions {
            Some(positions) => Some(CharSpan::new(*positions.get(start)?, *positions.get(end)?)),
            None => (end <= self.file_chars()).then(|| CharSpan::new(start, end)),
        }
    }
}

/// The project document as a stream: `project.qde` from `archive` (a copy of
/// the package's), or the bare bytes of a `.qde` or `.qdc`.
fn open_document<'s, 'a: 's>(
    package: Option<&'s Package<'a>>,
    archive: Option<&'s mut zip::ZipArchive<std::io::Cursor<&'a [u8]>>>,
    bare: &'s [u8],
    file: &str,
    part: &str,
) -> Result<Stream<'s>, ImportError> {
    let source: Box<dyn BufRead + 's> = match (package, archive) {
        (Some(package), Some(archive)) => {
            Box::new(std::io::BufReader::with_capacity(1 << 16, package.project(archive)?))
        }
        _ => Box::new(bare),
    };
    Ok(XmlStream::new(source, file, part))
}

/// Reads a `.qdpx`, `.qde` or `.qdc` file into the project in one transaction.
/// Codings without a known user are attributed to `fallback_coder`.
///
/// The project document is read twice as a stream, never whole: first for its
/// notes and to check it (GUIDs, nesting, size), then to write it part by part.
pub fn import_refi(
    store: &mut Store,
    bytes: &[u8],
    file: &str,
    fallback_coder: &str,
) -> Result<RefiSummary, ImportError> {
    import_refi_with_progress(store, bytes, file, fallback_coder, &mut |_, _| true)
}

/// Like [`import_refi`], calling `progress(bytes written, bytes in all)` of
/// the project document after each text source is written; when it returns
/// false the import stops and nothing is written (`StoreError::Cancelled`).
pub fn import_refi_with_progress(
    store: &mut Store,
    bytes: &[u8],
    file: &str,
    fallback_coder: &str,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<RefiSummary, ImportError> {
    let package = if bytes.starts_with(b"PK") { Some(Package::read(bytes, file)?) } else { None };
    let bare = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let part = if package.is_some() { "project.qde" } else { "CodeBook" };
    // Each pass reads the document from a fresh archive of its own.
    let fresh = || package.as_ref().map(Package::archive);
    {
        let mut archive = fresh();
        let mut stream = open_document(package.as_ref(), archive.as_mut(), bare, file, part)?;
        if !stream.starts_with_markup()? {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the file is neither a REFI-QDA project (.qdpx, a zip archive) nor a codebook (.qdc, XML)",
                    "el archivo no es un proyecto REFI-QDA (.qdpx, un archivo zip) ni un libro de códigos (.qdc, XML)"
                ),
            ));
        }
    }
    let (survey, document_bytes) = {
        let mut archive = fresh();
        let mut stream = open_document(package.as_ref(), archive.as_mut(), bare, file, part)?;
        let survey = survey(&mut stream)?;
        (survey, stream.bytes_read())
    };
    if let Some((guid, second)) = &survey.duplicate {
        let mut archive = fresh();
        let first = first_with_guid(&mut open_document(package.as_ref(), archive.as_mut(), bare, file, part)?, guid)?;
        return Err(ImportError::file(
            file,
            crate::bilingual!(
                "the GUID {guid} names two elements, {first} and {second}; each must have its own",
                "el GUID {guid} nombra dos elementos, {first} y {second}; cada uno debe tener el suyo"
            ),
        ));
    }
    if let Some(package) = &package {
        package.take(document_bytes, "project.qde")?;
    }
    let mut archive = fresh();
    let mut stream = open_document(package.as_ref(), archive.as_mut(), bare, file, part)?;
    let Some(root) = stream.next_start()? else {
        return Err(ImportError::file(
            file,
            crate::bilingual!("{part} has no element in it", "{part} no tiene ningún elemento"),
        ));
    };
    let kind = match root.name() {
        "CodeBook" => "codebook",
        "Project" => "project",
        other => {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "<{other}> is neither a REFI-QDA <Project> nor a <CodeBook>",
                    "<{other}> no es un <Project> ni un <CodeBook> de REFI-QDA"
                ),
            ));
        }
    };
    let notes = survey.notes;
    // A project document of more than a few megabytes is a large import.
    let large = document_bytes > 4 * 1024 * 1024;
    store.with_import_settings(large, |store| {
        store.atomically(|store| {
            store.with_bulk_indexing(|store| {
                // New codes must not take the number keys of the codes already there.
                store.freeze_code_keys()?;
                let summary = RefiSummary { kind: kind.to_owned(), ..RefiSummary::default() };
                let mut reader = Reader {
                    store,
                    file,
                    summary,
                    code_ids: HashMap::new(),
                    notes,
                    coders: HashMap::new(),
                    fallback_coder: None,
                    variables: HashMap::new(),
                    unknown_users: std::cell::RefCell::new(std::collections::BTreeSet::new()),
                    written_sources: std::collections::HashSet::new(),
                    progress: &mut *progress,
                    document_bytes,
                };
                if kind == "codebook" {
                    let root = stream.element(root)?;
                    reader.codebook(&root)?;
                } else {
                    reader.project(&root, &mut stream, package.as_ref(), fallback_coder)?;
                }
                reader.summary.unknown_users = reader.unknown_users.take().into_iter().collect();
                Ok(reader.summary)
            })
        })
    })
}

/// The texts of the notes an element points at, joined.
fn note_text(notes: &HashMap<String, String>, node: &Element) -> Option<String> {
    let texts: Vec<&str> = node
        .children("NoteRef")
        .filter_map(|r| r.attribute("targetGUID"))
        .filter_map(|g| notes.get(g).map(String::as_str))
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

/// A passage coding of an excerpt being rebuilt from Quipu's own export.
struct QuipuPassage {
    side: Side,
    span: CharSpan,
    code_id: CodeId,
    coder_id: CoderId,
    memo: Option<String>,
    /// The `<Coding>`'s GUID.
    guid: Option<String>,
}

/// An excerpt being rebuilt from Quipu's own export.
#[derive(Default)]
struct QuipuExcerpt {
    order: usize,
    label: String,
    status: Option<TranslationStatus>,
    note: String,
    texts: [Option<(String, String)>; 2],
    /// Start of the excerpt in each side's document (normalised chars).
    starts: [usize; 2],
    /// Whole codings: code, coder, and the GUID of the first `<Coding>` met.
    whole: Vec<(CodeId, CoderId, Option<String>)>,
    /// Passage codings.
    passages: Vec<QuipuPassage>,
    memo: Option<String>,
    /// A transcript turn's speaker, interviewer mark and time.
    turn: (String, bool, String),
}

/// A source being rebuilt from Quipu's own export.
#[derive(Default)]
struct QuipuSource {
    case: String,
    draft: SourceDraft,
    pseudonym: String,
    langs: [Option<String>; 2],
    excerpts: Vec<String>,
    values: Vec<(AttributeId, String)>,
}

/// Sources and excerpts of Quipu's own export, gathered over both languages'
/// texts before they are written.
#[derive(Default)]
struct OwnExport {
    /// Sources by their Quipu GUID.
    sources: HashMap<String, QuipuSource>,
    /// Source GUIDs in the order they appear.
    order: Vec<String>,
    /// Excerpts by their Quipu GUID.
    excerpts: HashMap<String, QuipuExcerpt>,
}

struct Reader<'s> {
    store: &'s mut Store,
    file: &'s str,
    summary: RefiSummary,
    code_ids: HashMap<String, CodeId>,
    /// Note texts by GUID (read before the codebook, whose codes may point at them).
    notes: HashMap<String, String>,
    /// Coders by user GUID, and the coder of codings that name no known user.
    coders: HashMap<String, CoderId>,
    fallback_coder: Option<CoderId>,
    /// Declared variables by GUID.
    variables: HashMap<String, Variable>,
    /// `creatingUser`s met that `<Users>` does not declare.
    unknown_users: std::cell::RefCell<std::collections::BTreeSet<String>>,
    /// Sources of Quipu's own export already written (by their GUID).
    written_sources: std::collections::HashSet<String>,
    /// Told of the document bytes written after each text source; false cancels.
    progress: &'s mut dyn FnMut(u64, u64) -> bool,
    /// The project document's size, found by the first pass.
    document_bytes: u64,
}

/// A `<Variable>`: its name, type, and scope when Quipu wrote it.
struct Variable {
    name: String,
    value_type: AttributeType,
}

impl Reader<'_> {
    /// An error at `node`, named by its tag and name or GUID.
    fn error(&self, node: &Element, message: Text) -> ImportError {
        let element = node.describe();
        ImportError::file(
            self.file,
            Text::new(
                format!("{element}: {}", message.get(Language::English)),
                format!("{element}: {}", message.get(Language::Spanish)),
            ),
        )
    }

    fn required<'n>(&self, node: &'n Element, attribute: &str) -> Result<&'n str, ImportError> {
        node.attribute(attribute).ok_or_else(|| {
            self.error(
                node,
                crate::bilingual!("the attribute '{attribute}' is missing", "falta el atributo '{attribute}'"),
            )
        })
    }

    /// Reads `<Codes>` (or a `<CodeBook>` holding them), creating codes missing by name.
    fn codebook(&mut self, node: &Element) -> Result<(), ImportError> {
        let codes = if node.name == "Codes" { Some(node) } else { node.child("Codes") };
        for code in codes.into_iter().flat_map(|codes| codes.children("Code")) {
            self.code(code, None, 1)?;
        }
        Ok(())
    }

    fn code(&mut self, node: &Element, parent: Option<CodeId>, depth: usize) -> Result<(), ImportError> {
        if depth > crate::model::MAX_CODE_DEPTH {
            return Err(self.error(
                node,
                crate::bilingual!(
                    "codes are nested more than {} deep; Quipu keeps at most {} levels",
                    "los códigos están anidados a más de {} niveles; Quipu admite como mucho {}",
                    crate::model::MAX_CODE_DEPTH,
                    crate::model::MAX_CODE_DEPTH
                ),
            ));
        }
        let guid = self.required(node, "guid")?.to_owned();
        let full_name = self.required(node, "name")?.trim().to_owned();
        // Some tools flatten the hierarchy into "Parent::Child".
        let mut parent = parent;
        let mut parts: Vec<&str> = full_name.split("::").map(str::trim).filter(|p| !p.is_empty()).collect();
        let Some(name) = parts.pop() else {
            return Err(self.error(node, crate::bilingual!("the code has no name", "el código no tiene nombre")));
        };
        for part in parts {
            parent = Some(self.ensure_code(part, String::new(), None, parent)?);
        }
        let color = match node.attribute("color") {
            None => None,
            Some(text) => Some(Color::parse(text).ok_or_else(|| {
                self.error(node, crate::bilingual!("'{text}' is not a colour", "'{text}' no es un color"))
            })?),
        };
        let description = node.child_text("Description");
        let new_codes = self.summary.new_codes;
        let code_id = self.ensure_code(name, description, color, parent)?;
        if self.summary.new_codes > new_codes {
            // A new code keeps the identity the file gives it.
            self.store.adopt_uuid(Identified::Code, code_id.0, &guid)?;
        }
        self.code_ids.insert(guid, code_id);
        if let Some(memo) = self.note_of(node)
            && self.store.memo(MemoTarget::Code(code_id))?.is_empty()
        {
            self.store.set_memo(MemoTarget::Code(code_id), &memo)?;
        }
        for child_code in node.children("Code") {
            self.code(child_code, Some(code_id), depth + 1)?;
        }
        Ok(())
    }

    fn ensure_code(
        &mut self,
        name: &str,
        description: String,
        color: Option<Color>,
        parent_id: Option<CodeId>,
    ) -> Result<CodeId, ImportError> {
        if let Some(code) = self.store.matching_code(parent_id, name)? {
            return Ok(code.code_id);
        }
        self.summary.new_codes += 1;
        Ok(self.store.add_code(&CodeDraft { name: name.to_owned(), description, color, parent_id })?)
    }

    fn code_ref(&self, coding: &Element) -> Result<CodeId, ImportError> {
        let code_ref = coding.child("CodeRef").ok_or_else(|| {
            self.error(coding, crate::bilingual!("the coding has no <CodeRef>", "la codificación no tiene <CodeRef>"))
        })?;
        let target = self.required(code_ref, "targetGUID")?;
        self.code_ids.get(target).copied().ok_or_else(|| {
            self.error(
                coding,
                crate::bilingual!(
                    "it refers to a code {target} that is not in the codebook",
                    "remite a un código {target} que no está en el libro de códigos"
                ),
            )
        })
    }

    /// Reads a `<Project>` part by part as it streams past: users, codebook,
    /// variables and cases whole, then each text source on its own.
    fn project(
        &mut self,
        root: &StartTag,
        stream: &mut Stream<'_>,
        package: Option<&Package<'_>>,
        fallback_coder: &str,
    ) -> Result<(), ImportError> {
        let project_name = root.attribute("name").unwrap_or("Imported project").to_owned();
        let mut case_of_text: HashMap<String, String> = HashMap::new();
        let mut own_export = OwnExport::default();
        // The project's own note references, which follow its sources.
        let mut project_notes = Element::default();
        while let Some(tag) = stream.next_start()? {
            if tag.name() != "Users" && self.fallback_coder.is_none() {
                self.fallback_coder = Some(self.store.ensure_coder(fallback_coder)?);
            }
            match tag.name() {
                "Users" => {
                    let users = stream.element(tag)?;
                    for user in users.children("User") {
                        let guid = self.required(user, "guid")?;
                        let name = user.attribute("name").filter(|n| !n.trim().is_empty()).unwrap_or(fallback_coder);
                        let coder_id = self.store.ensure_coder(name)?;
                        self.coders.insert(guid.to_owned(), coder_id);
                    }
                }
                "CodeBook" => self.codebook(&stream.element(tag)?)?,
                "Variables" => self.variables(&stream.element(tag)?)?,
                "Cases" => self.cases(&stream.element(tag)?, &mut case_of_text)?,
                "Sources" if !tag.is_empty() => {
                    while let Some(source) = stream.next_start()? {
                        if source.name() != "TextSource" {
                            // Quipu holds text: PDF, picture, audio and video sources are counted and left out.
                            self.summary.skipped_sources += 1;
                            stream.skip(source)?;
                            continue;
                        }
                        let source = stream.element(source)?;
                        self.text_source(&source, package, &case_of_text, &project_name, &mut own_export)?;
                        if !(self.progress)(stream.bytes_read().min(self.document_bytes), self.document_bytes) {
                            return Err(ImportError::Store(crate::store::StoreError::Cancelled));
                        }
                    }
                }
                "NoteRef" => project_notes.push(stream.element(tag)?),
                _ => stream.skip(tag)?,
            }
        }
        if self.fallback_coder.is_none() {
            self.fallback_coder = Some(self.store.ensure_coder(fallback_coder)?);
        }
        self.write_quipu_sources(own_export)?;
        if let Some(memo) = self.note_of(&project_notes)
            && self.store.memo(MemoTarget::Project)?.is_empty()
        {
            self.store.set_memo(MemoTarget::Project, &memo)?;
        }
        Ok(())
    }

    /// `<Variables>`: each declared variable's name and type.
    fn variables(&mut self, variables: &Element) -> Result<(), ImportError> {
        for variable in variables.children("Variable") {
            let guid = self.required(variable, "guid")?.to_owned();
            let name = self.required(variable, "name")?.trim().to_owned();
            let quipu = parse_quipu_description(&variable.child_text("Description"));
            let value_type = match quipu.as_ref().and_then(|q| q.get("type")).and_then(|t| AttributeType::parse(t)) {
                Some(value_type) => value_type,
                None => match variable.attribute("typeOfVariable").unwrap_or("Text") {
                    "Integer" | "Float" => AttributeType::Number,
                    "Boolean" => AttributeType::Boolean,
                    "Date" | "DateTime" => AttributeType::Date,
                    _ => AttributeType::Text,
                },
            };
            self.variables.insert(guid, Variable { name, value_type });
        }
        Ok(())
    }

    /// `<Cases>`: name, description, values, and which texts each holds.
    fn cases(&mut self, cases: &Element, case_of_text: &mut HashMap<String, String>) -> Result<(), ImportError> {
        for case in cases.children("Case") {
            let name =
                case.attribute("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or("Unnamed case").to_owned();
            let is_new = self.store.case_by_name(&name)?.is_none();
            let case_id = self.case_id(&name)?;
            if is_new && let Some(guid) = case.attribute("guid") {
                self.store.adopt_uuid(Identified::Case, case_id.0, guid)?;
            }
            let description = case.child_text("Description");
            if !description.is_empty() && self.store.case(case_id)?.description.is_empty() {
                self.store.set_case_description(case_id, &description)?;
            }
            for (attribute_id, value) in self.values_of(case, AttributeScope::Case)? {
                self.set_value(case, AttributeScope::Case, case_id.0, attribute_id, &value)?;
            }
            for source_ref in case.children("SourceRef") {
                if let Some(target) = source_ref.attribute("targetGUID") {
                    case_of_text.entry(target.to_owned()).or_insert_with(|| name.clone());
                }
            }
        }
        Ok(())
    }

    /// One `<TextSource>`: its text read, then kept as Quipu wrote it or split
    /// into excerpts at its lines.
    fn text_source(
        &mut self,
        source: &Element,
        package: Option<&Package<'_>>,
        case_of_text: &HashMap<String, String>,
        project_name: &str,
        own_export: &mut OwnExport,
    ) -> Result<(), ImportError> {
        let text_guid = self.required(source, "guid")?.to_owned();
        let raw = match (source.child("PlainTextContent"), source.attribute("plainTextPath")) {
            (Some(content), _) => content.text().unwrap_or_default().to_owned(),
            (None, Some(path)) => {
                // A text the archive does not hold (ATLAS.ti's own sample has
                // one) leaves out that source only; the rest comes in.
                let bytes = match package {
                    Some(package) => package.text(path)?,
                    None => None,
                };
                let Some(bytes) = bytes else {
                    let name = source.attribute("name").unwrap_or(text_guid.as_str());
                    self.summary.missing_texts.push(format!("'{name}' ({path})"));
                    return Ok(());
                };
                String::from_utf8(bytes).map_err(|_| {
                    self.error(source, crate::bilingual!("its text {path} is not UTF-8", "su texto {path} no es UTF-8"))
                })?
            }
            (None, None) => {
                return Err(self.error(
                    source,
                    crate::bilingual!(
                        "it has neither a plainTextPath nor PlainTextContent",
                        "no tiene plainTextPath ni PlainTextContent"
                    ),
                ));
            }
        };
        let document = SourceText::new(&raw);
        drop(raw);
        let quipu = parse_quipu_description(&source.child_text("Description"));
        match quipu.filter(|q| q.contains_key("source") && q.contains_key("side")) {
            Some(fields) => {
                // Quipu writes a source's languages one after the other: once
                // another source begins, the ones before are complete and are
                // written, so memory holds one source at a time.
                let key = fields.get("source").cloned().unwrap_or_default();
                if self.written_sources.contains(&key) {
                    return Err(self.error(
                        source,
                        crate::bilingual!(
                            "its other language came earlier in the file, not next to it, as Quipu writes them",
                            "su otro idioma vino antes en el archivo y no junto a él, como Quipu los escribe"
                        ),
                    ));
                }
                if own_export.order.last().is_some_and(|last| *last != key) {
                    self.write_quipu_sources(std::mem::take(own_export))?;
                }
                self.quipu_text(source, &document, &fields, own_export)
            }
            None => {
                let case = case_of_text.get(&text_guid).map_or(project_name, String::as_str).to_owned();
                self.foreign_text(source, &document, &case)
            }
        }
    }

    fn note_of(&self, node: &Element) -> Option<String> {
        note_text(&self.notes, node)
    }

    /// The coder of a selection or coding: its `creatingUser`, else the fallback.
    fn coder_of(&self, node: &Element) -> CoderId {
        let user = node.attribute("creatingUser");
        let known = user.and_then(|guid| self.coders.get(guid)).copied();
        if let (Some(guid), None) = (user, known) {
            self.unknown_users.borrow_mut().insert(guid.to_owned());
        }
        known.or(self.fallback_coder).expect("the fallback coder is set before any selection is read")
    }

    /// The `<VariableValue>`s of a case or text, as attributes of `scope`.
    fn values_of(&mut self, node: &Element, scope: AttributeScope) -> Result<Vec<(AttributeId, String)>, ImportError> {
        let mut values = Vec::new();
        for value in node.children("VariableValue") {
            let Some(target) = value.child("VariableRef").and_then(|r| r.attribute("targetGUID")) else {
                return Err(self.error(
                    value,
                    crate::bilingual!("the value has no <VariableRef>", "el valor no tiene <VariableRef>"),
                ));
            };
            let Some(variable) = self.variables.get(target) else {
                return Err(self.error(
                    value,
                    crate::bilingual!(
                        "it refers to a variable {target} that is not declared",
                        "remite a una variable {target} que no está declarada"
                    ),
                ));
            };
            let text = value.elements().find(|c| c.name != "VariableRef").and_then(Element::text).unwrap_or_default();
            let text = match (variable.value_type, text) {
                (AttributeType::Boolean, "true" | "1") => "yes",
                (AttributeType::Boolean, "false" | "0") => "no",
                (_, other) => other,
            };
            let (name, value_type) = (variable.name.clone(), variable.value_type);
            let attribute_id = self.store.ensure_attribute(scope, &name, value_type)?;
            values.push((attribute_id, text.to_owned()));
        }
        Ok(values)
    }

    fn case_id(&mut self, name: &str) -> Result<CaseId, ImportError> {
        Ok(match self.store.case_by_name(name)? {
            Some(case) => case.case_id,
            None => self.store.add_case(name, "")?,
        })
    }

    fn set_value(
        &mut self,
        node: &Element,
        scope: AttributeScope,
        owner: i64,
        attribute_id: AttributeId,
        value: &str,
    ) -> Result<(), ImportError> {
        let result = match scope {
            AttributeScope::Case => self.store.set_case_attribute(CaseId(owner), attribute_id, value),
            AttributeScope::Source => self.store.set_source_attribute(SourceId(owner), attribute_id, value),
        };
        result.map_err(|error| self.error(node, Text::new(error.to_string(), error.localized(Language::Spanish))))
    }

    /// A source's name that is free in its case: "Interview", "Interview (2)" …
    fn free_source_name(&self, case_id: CaseId, name: &str) -> Result<String, ImportError> {
        let taken: Vec<String> =
            self.store.sources_of_case(case_id)?.into_iter().map(|s| s.name.to_lowercase()).collect();
        let mut candidate = name.to_owned();
        let mut n = 2;
        while taken.contains(&candidate.to_lowercase()) {
            candidate = format!("{name} ({n})");
            n += 1;
        }
        Ok(candidate)
    }

    /// A text from another tool: each non-empty line an excerpt (in the original
    /// language), its selections coded whole or as passages.
    fn foreign_text(&mut self, source: &Element, document: &SourceText, case: &str) -> Result<(), ImportError> {
        let case_id = self.case_id(case)?;
        let name = source.attribute("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or("Imported source");
        let name = self.free_source_name(case_id, name)?;
        let source_id = self.store.add_source(case_id, &SourceDraft { name, ..SourceDraft::default() })?;
        self.summary.sources += 1;
        for (attribute_id, value) in self.values_of(source, AttributeScope::Source)? {
            self.set_value(source, AttributeScope::Source, source_id.0, attribute_id, &value)?;
        }
        // Lines, as (span in the document, excerpt).
        let mut lines: Vec<(CharSpan, ExcerptId)> = Vec::new();
        let mut position = 0;
        for line in document.text.split('\n') {
            let length = text::char_len(line);
            let span = text::trim_span(&document.text, CharSpan::new(position, position + length));
            position += length + 1;
            if span.is_empty() {
                continue;
            }
            let body = document.slice(span).to_owned();
            let draft = ExcerptDraft { original: Some(body), ..ExcerptDraft::default() };
            lines.push((span, self.store.add_excerpt(source_id, &draft)?));
            self.summary.excerpts += 1;
        }
        if let Some(memo) = self.note_of(source)
            && let Some((_, first)) = lines.first()
        {
            self.store.set_memo(MemoTarget::Excerpt(*first), &memo)?;
        }
        // Codings of the whole text code every line.
        for coding in source.children("Coding") {
            let code_id = self.code_ref(coding)?;
            for (_, excerpt_id) in &lines {
                self.add_coding(*excerpt_id, code_id, self.coder_of(coding), CodingAnchor::Whole, None, None)?;
            }
        }
        for selection in source.children("PlainTextSelection") {
            let start: usize = self.position(selection, "startPosition")?;
            let end: usize = self.position(selection, "endPosition")?;
            let Some(span) = document.span(start, end) else {
                return Err(self.error(
                    selection,
                    crate::bilingual!(
                        "it runs from {start} to {end}, outside the text's {} characters",
                        "va de {start} a {end}, fuera de los {} caracteres del texto",
                        document.file_chars()
                    ),
                ));
            };
            let memo = self.note_of(selection);
            for coding in selection.children("Coding") {
                let code_id = self.code_ref(coding)?;
                for (line, excerpt_id) in lines.iter().filter(|(line, _)| line.overlaps(&span)) {
                    let clipped = CharSpan { start: span.start.max(line.start), end: span.end.min(line.end) };
                    let anchor = if clipped == *line {
                        CodingAnchor::Whole
                    } else {
                        let local = CharSpan::new(clipped.start.0 - line.start.0, clipped.end.0 - line.start.0);
                        CodingAnchor::Passage { side: Side::Original, span: local }
                    };
                    self.add_coding(*excerpt_id, code_id, self.coder_of(coding), anchor, memo.clone(), None)?;
                }
            }
        }
        Ok(())
    }

    fn position(&self, node: &Element, attribute: &str) -> Result<usize, ImportError> {
        let text = self.required(node, attribute)?;
        text.trim().parse().map_err(|_| {
            self.error(
                node,
                crate::bilingual!("{attribute} '{text}' is not a position", "{attribute} '{text}' no es una posición"),
            )
        })
    }

    fn add_coding(
        &mut self,
        excerpt_id: ExcerptId,
        code_id: CodeId,
        coder_id: CoderId,
        anchor: CodingAnchor,
        memo: Option<String>,
        guid: Option<&str>,
    ) -> Result<(), ImportError> {
        let (coding_id, is_new) =
            self.store.add_coding_identified(excerpt_id, code_id, coder_id, anchor, guid, CodingCheck::Look)?;
        if is_new {
            self.summary.codings += 1;
        }
        if let Some(memo) = memo {
            self.store.set_memo(MemoTarget::Coding(coding_id), &memo)?;
        }
        Ok(())
    }

    /// One language of a source Quipu wrote: collect its excerpts' text and codings.
    fn quipu_text(
        &mut self,
        source: &Element,
        document: &SourceText,
        fields: &HashMap<String, String>,
        own: &mut OwnExport,
    ) -> Result<(), ImportError> {
        let OwnExport { sources, order, excerpts } = own;
        let field = |key: &str| fields.get(key).cloned().unwrap_or_default();
        let side = Side::parse(&field("side")).ok_or_else(|| {
            self.error(
                source,
                crate::bilingual!("its description names no side", "su descripción no nombra ningún lado"),
            )
        })?;
        let slot = if side == Side::Original { 0 } else { 1 };
        let source_key = field("source");
        if !sources.contains_key(&source_key) {
            order.push(source_key.clone());
            let values = self.values_of(source, AttributeScope::Source)?;
            sources.insert(
                source_key.clone(),
                QuipuSource {
                    case: field("case"),
                    draft: SourceDraft {
                        name: field("name"),
                        speaker: field("speaker"),
                        role: field("role"),
                        place: field("place"),
                        date: field("date"),
                        interviewer: field("interviewer"),
                        description: field("description"),
                    },
                    pseudonym: field("pseudonym"),
                    values,
                    ..QuipuSource::default()
                },
            );
        }
        let Some(quipu_source) = sources.get_mut(&source_key) else {
            return Ok(());
        };
        quipu_source.langs[slot] = Some(field("lang"));
        for selection in source.children("PlainTextSelection") {
            let start = self.position(selection, "startPosition")?;
            let end = self.position(selection, "endPosition")?;
            let span = document.span(start, end).ok_or_else(|| {
                self.error(
                    selection,
                    crate::bilingual!(
                        "it runs from {start} to {end}, outside the text",
                        "va de {start} a {end}, fuera del texto"
                    ),
                )
            })?;
            let description = parse_quipu_description(&selection.child_text("Description")).unwrap_or_default();
            if let Some(excerpt_key) = description.get("excerpt") {
                if !quipu_source.excerpts.contains(excerpt_key) {
                    quipu_source.excerpts.push(excerpt_key.clone());
                }
                let count = excerpts.len();
                let excerpt = excerpts
                    .entry(excerpt_key.clone())
                    .or_insert_with(|| QuipuExcerpt { order: count, ..QuipuExcerpt::default() });
                if let Some(position) = description.get("position").and_then(|p| p.parse().ok()) {
                    excerpt.order = position;
                }
                let body = document.slice(span).to_owned();
                excerpt.texts[slot] = Some((body, field("lang")));
                excerpt.starts[slot] = span.start.0;
                excerpt.label = selection.attribute("name").unwrap_or_default().trim_start_matches('#').to_owned();
                if selection.attribute("name").is_some_and(|n| n.starts_with('#')) {
                    excerpt.label.clear();
                }
                excerpt.status = description.get("status").and_then(|s| TranslationStatus::parse(s)).or(excerpt.status);
                if let Some(note) = description.get("note").filter(|n| !n.is_empty()) {
                    excerpt.note = note.clone();
                }
                let turn_field = |key: &str| description.get(key).cloned().unwrap_or_default();
                if !turn_field("speaker").is_empty()
                    || !turn_field("time").is_empty()
                    || turn_field("interviewer") == "yes"
                {
                    excerpt.turn = (turn_field("speaker"), turn_field("interviewer") == "yes", turn_field("time"));
                }
                if let Some(memo) = self.note_of(selection) {
                    excerpt.memo = Some(memo);
                }
                for coding in selection.children("Coding") {
                    let (code_id, coder_id) = (self.code_ref(coding)?, self.coder_of(coding));
                    if !excerpt.whole.iter().any(|(code, coder, _)| (*code, *coder) == (code_id, coder_id)) {
                        excerpt.whole.push((code_id, coder_id, coding.attribute("guid").map(str::to_owned)));
                    }
                }
            } else if let Some(excerpt_key) = description.get("passage") {
                let memo = self.note_of(selection);
                let count = excerpts.len();
                let excerpt = excerpts
                    .entry(excerpt_key.clone())
                    .or_insert_with(|| QuipuExcerpt { order: count, ..QuipuExcerpt::default() });
                for coding in selection.children("Coding") {
                    let code_id = self.code_ref(coding)?;
                    let guid = coding.attribute("guid").map(str::to_owned);
                    let coder_id = self.coder_of(coding);
                    excerpt.passages.push(QuipuPassage { side, span, code_id, coder_id, memo: memo.clone(), guid });
                }
            }
        }
        Ok(())
    }

    /// Writes the sources collected from Quipu's own export, excerpts bilingual again.
    fn write_quipu_sources(&mut self, own: OwnExport) -> Result<(), ImportError> {
        let OwnExport { mut sources, order, mut excerpts } = own;
        for key in order {
            let Some(source) = sources.remove(&key) else {
                continue;
            };
            let case_name = if source.case.is_empty() { "Imported".to_owned() } else { source.case.clone() };
            let case_id = self.case_id(&case_name)?;
            let mut draft = source.draft.clone();
            draft.name =
                self.free_source_name(case_id, if draft.name.is_empty() { "Imported source" } else { &draft.name })?;
            let source_id = self.store.add_source(case_id, &draft)?;
            self.store.adopt_uuid(Identified::Source, source_id.0, &key)?;
            self.written_sources.insert(key.clone());
            self.summary.sources += 1;
            if !source.pseudonym.is_empty() {
                self.store.set_pseudonym(source_id, &source.pseudonym)?;
            }
            for (attribute_id, value) in &source.values {
                self.store.set_source_attribute(source_id, *attribute_id, value).map_err(|error| {
                    ImportError::file(
                        self.file,
                        Text::new(
                            format!("source '{}': {error}", draft.name),
                            format!("fuente '{}': {}", draft.name, error.localized(Language::Spanish)),
                        ),
                    )
                })?;
            }
            let mut keys = source.excerpts.clone();
            keys.sort_by_key(|k| excerpts.get(k).map_or(usize::MAX, |e| e.order));
            for key in keys {
                let Some(excerpt) = excerpts.remove(&key) else {
                    continue;
                };
                let [original, translation] = excerpt.texts.clone();
                let status = excerpt
                    .status
                    .unwrap_or(TranslationStatus::default_for(translation.as_ref().map(|t| t.0.as_str())));
                let draft = ExcerptDraft {
                    label: excerpt.label.clone(),
                    original_lang: original
                        .as_ref()
                        .map(|t| t.1.clone())
                        .or_else(|| source.langs[0].clone())
                        .unwrap_or_else(|| "es".to_owned()),
                    translation_lang: translation
                        .as_ref()
                        .map(|t| t.1.clone())
                        .or_else(|| source.langs[1].clone())
                        .unwrap_or_else(|| "en".to_owned()),
                    original: original.map(|t| t.0),
                    translation: translation.map(|t| t.0),
                    translation_status: status,
                    translation_note: excerpt.note.clone(),
                    speaker: excerpt.turn.0.clone(),
                    interviewer: excerpt.turn.1,
                    time: excerpt.turn.2.clone(),
                };
                let excerpt_id = self.store.add_excerpt_identified(source_id, &draft, Some(&key))?;
                self.summary.excerpts += 1;
                if let Some(memo) = &excerpt.memo {
                    self.store.set_memo(MemoTarget::Excerpt(excerpt_id), memo)?;
                }
                // The excerpt is new, and its whole codings differ by code or
                // coder (`quipu_text` keeps one of each): nothing to look up.
                for (code_id, coder_id, guid) in &excerpt.whole {
                    self.store.add_coding_identified(
                        excerpt_id,
                        *code_id,
                        *coder_id,
                        CodingAnchor::Whole,
                        guid.as_deref(),
                        CodingCheck::FreshExcerpt,
                    )?;
                    self.summary.codings += 1;
                }
                for QuipuPassage { side, span, code_id, coder_id, memo, guid } in &excerpt.passages {
                    let slot = if *side == Side::Original { 0 } else { 1 };
                    let start = excerpt.starts[slot];
                    if span.start.0 < start {
                        return Err(ImportError::file(
                            self.file,
                            crate::bilingual!(
                                "a passage of excerpt '{}' starts before the excerpt",
                                "un pasaje del fragmento '{}' empieza antes del fragmento",
                                excerpt.label
                            ),
                        ));
                    }
                    let local = CharSpan::new(span.start.0 - start, span.end.0 - start);
                    self.add_coding(
                        excerpt_id,
                        *code_id,
                        *coder_id,
                        CodingAnchor::Passage { side: *side, span: local },
                        memo.clone(),
                        guid.as_deref(),
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_packed_as_written_and_anything_else_is_kept_as_text() {
        let lower = packed_guid("6f9619ff-8b86-d011-b42d-00c04fc964ff").unwrap();
        let upper = packed_guid("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!((lower.0, upper.0, lower.1), (false, true, upper.1));
        assert_eq!(lower.1, 0x6f9619ff_8b86_d011_b42d_00c04fc964ff);
        for other in [
            "6f9619ff-8B86-d011-b42d-00c04fc964ff",
            "6f9619ff8b86d011b42d00c04fc964ff",
            "guid-1",
            "6f9619ff-8b86-d011-b42d-00c04fc964fg",
        ] {
            assert_eq!(packed_guid(other), None, "{other}");
        }
        let mut seen = SeenGuids::default();
        assert!(seen.first("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
        assert!(seen.first("6F9619FF-8B86-D011-B42D-00C04FC964FF"), "GUIDs compare as written");
        assert!(seen.first("guid-1"));
        assert!(!seen.first("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
        assert!(!seen.first("guid-1"));
    }

    #[test]
    fn selections_map_onto_the_normalised_text_whether_or_not_it_changed() {
        // Already normalised: positions are their own, slices are the characters.
        let plain = SourceText::new("Señora Quispe: el agua.\nOtra línea.");
        assert!(plain.positions.is_none());
        let span = plain.span(7, 13).unwrap();
        assert_eq!((span, plain.slice(span)), (CharSpan::new(7, 13), "Quispe"));
        assert_eq!(plain.file_chars(), 35);
        assert!(plain.span(30, 36).is_none(), "past the end");
        // CRLF and a decomposed accent: positions after them move back.
        let mixed = SourceText::new("agua\r\nri\u{301}o seco");
        assert_eq!(mixed.text, "agua\nrío seco");
        assert_eq!(mixed.file_chars(), 15);
        let span = mixed.span(6, 10).unwrap();
        assert_eq!(mixed.slice(span), "río");
        assert_eq!(mixed.slice(mixed.span(11, 15).unwrap()), "seco");
        assert!(mixed.span(11, 16).is_none());
    }
}
