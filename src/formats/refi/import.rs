//! Reading REFI-QDA files into a project: a codebook (`.qdc`), or a whole
//! project (`.qdpx`, or a bare `project.qde`). Files Quipu wrote come back as they
//! were (bilingual excerpts, passages, memos, attributes, pseudonyms); files from
//! other tools become sources whose lines are excerpts, their selections coded
//! whole or as passages. Everything happens in one transaction, and a bad file is
//! refused with a message naming the element at fault.

use crate::language::{Language, Localized, Text};
use std::collections::HashMap;

use roxmltree::Node;
use unicode_segmentation::UnicodeSegmentation;

use super::parse_quipu_description;
use crate::formats::ImportError;
use crate::formats::package::{Allowance, MAX_ENTRY_BYTES, MAX_PROJECT_DOCUMENT_BYTES, parse_xml, read_entry_up_to};
use crate::model::{
    AttributeId, AttributeScope, AttributeType, CaseId, CodeDraft, CodeId, CoderId, CodingAnchor, Color, ExcerptDraft,
    ExcerptId, MemoTarget, Side, SourceDraft, SourceId, TranslationStatus,
};
use crate::store::{Identified, Store};
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

/// Refuses a file in which two elements share a GUID, naming both: references
/// to that GUID would be ambiguous.
fn refuse_duplicate_guids(root: Node<'_, '_>, file: &str) -> Result<(), ImportError> {
    let mut seen: HashMap<&str, Node<'_, '_>> = HashMap::new();
    for node in root.descendants().filter(Node::is_element) {
        let Some(guid) = node.attribute("guid") else {
            continue;
        };
        if let Some(first) = seen.insert(guid, node) {
            let (first, second) = (describe(first), describe(node));
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the GUID {guid} names two elements, {first} and {second}; each must have its own",
                    "el GUID {guid} nombra dos elementos, {first} y {second}; cada uno debe tener el suyo"
                ),
            ));
        }
    }
    Ok(())
}

/// An element's name, its `name` or `guid` if it has one: how messages point at it.
fn describe(node: Node<'_, '_>) -> String {
    let tag = node.tag_name().name();
    match (node.attribute("name"), node.attribute("guid")) {
        (Some(name), _) => format!("<{tag} name=\"{name}\">"),
        (None, Some(guid)) => format!("<{tag} guid=\"{guid}\">"),
        _ => format!("<{tag}>"),
    }
}

fn children<'a, 'input>(node: Node<'a, 'input>, name: &'a str) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |child| child.is_element() && child.tag_name().name() == name)
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &'a str) -> Option<Node<'a, 'input>> {
    children(node, name).next()
}

fn child_text(node: Node<'_, '_>, name: &str) -> String {
    child(node, name).and_then(|c| c.text()).unwrap_or_default().to_owned()
}

/// The files of a `.qdpx`, by lower-cased path.
struct Package {
    files: HashMap<String, Vec<u8>>,
}

impl Package {
    fn read(bytes: &[u8], file: &str) -> Result<Package, ImportError> {
        let not_zip = |error: zip::result::ZipError| {
            ImportError::file(
                file,
                crate::bilingual!(
                    "not a readable .qdpx (ZIP) file: {error}",
                    "no es un archivo .qdpx (ZIP) legible: {error}"
                ),
            )
        };
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(not_zip)?;
        let mut files = HashMap::new();
        let mut allowance = Allowance::default();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(not_zip)?;
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
            // The project document holds the whole project; a source's text, one interview.
            let cap = if name.ends_with(".qde") { MAX_PROJECT_DOCUMENT_BYTES } else { MAX_ENTRY_BYTES };
            let content = read_entry_up_to(&mut entry, packed, cap, file, &name)?;
            allowance.take(content.len(), file, &name)?;
            files.insert(name, content);
        }
        Ok(Package { files })
    }

    /// The text a source points at (`internal://x.txt` lives in `sources/`, which
    /// some tools spell `Sources/`).
    fn text(&self, path: &str) -> Option<&[u8]> {
        let name = path.trim_start_matches("internal://").trim_start_matches("relative://").to_lowercase();
        self.files.get(&format!("sources/{name}")).or_else(|| self.files.get(&name)).map(Vec::as_slice)
    }
}

/// A source text normalised as Quipu stores text, with a map from the file's
/// character positions (which REFI-QDA selections count) to the normalised ones.
struct SourceText {
    text: String,
    /// For each character position of the file, its position in `text`.
    positions: Vec<usize>,
}

impl SourceText {
    fn new(raw: &str) -> SourceText {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
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
        SourceText { text, positions }
    }

    /// The normalised span of a selection, or `None` if it leaves the file.
    fn span(&self, start: usize, end: usize) -> Option<CharSpan> {
        if start > end {
            return None;
        }
        Some(CharSpan::new(*self.positions.get(start)?, *self.positions.get(end)?))
    }
}

/// Reads a `.qdpx`, `.qde` or `.qdc` file into the project in one transaction.
/// Codings without a known user are attributed to `fallback_coder`.
pub fn import_refi(
    store: &mut Store,
    bytes: &[u8],
    file: &str,
    fallback_coder: &str,
) -> Result<RefiSummary, ImportError> {
    let package = if bytes.starts_with(b"PK") { Some(Package::read(bytes, file)?) } else { None };
    let xml_bytes = match &package {
        Some(package) => package.files.get("project.qde").map(Vec::as_slice).ok_or_else(|| {
            ImportError::file(
                file,
                crate::bilingual!("the .qdpx has no project.qde inside", "el .qdpx no contiene project.qde"),
            )
        })?,
        None => bytes,
    };
    let xml_bytes = xml_bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml_bytes);
    if !xml_bytes.trim_ascii_start().starts_with(b"<") {
        return Err(ImportError::file(
            file,
            crate::bilingual!(
                "the file is neither a REFI-QDA project (.qdpx, a zip archive) nor a codebook (.qdc, XML)",
                "el archivo no es un proyecto REFI-QDA (.qdpx, un archivo zip) ni un libro de códigos (.qdc, XML)"
            ),
        ));
    }
    let xml = std::str::from_utf8(xml_bytes).map_err(|_| {
        ImportError::file(file, crate::bilingual!("the XML is not UTF-8 text", "el XML no es texto UTF-8"))
    })?;
    let document = parse_xml(xml, file, if package.is_some() { "project.qde" } else { "CodeBook" })?;
    let root = document.root_element();
    refuse_duplicate_guids(root, file)?;
    let kind = match root.tag_name().name() {
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
    store.atomically(|store| {
        store.with_bulk_indexing(|store| {
            // New codes must not take the number keys of the codes already there.
            store.freeze_code_keys()?;
            let summary = RefiSummary { kind: kind.to_owned(), ..RefiSummary::default() };
            let notes = child(root, "Notes")
                .into_iter()
                .flat_map(|notes| children(notes, "Note"))
                .filter_map(|note| Some((note.attribute("guid")?.to_owned(), child_text(note, "PlainTextContent"))))
                .collect();
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
            };
            if kind == "codebook" {
                reader.codebook(root)?;
            } else {
                reader.project(root, package.as_ref(), fallback_coder)?;
            }
            reader.summary.unknown_users = reader.unknown_users.take().into_iter().collect();
            Ok(reader.summary)
        })
    })
}

/// The texts of the notes an element points at, joined.
fn note_text(notes: &HashMap<String, String>, node: Node<'_, '_>) -> Option<String> {
    let texts: Vec<&str> = children(node, "NoteRef")
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
}

/// A `<Variable>`: its name, type, and scope when Quipu wrote it.
struct Variable {
    name: String,
    value_type: AttributeType,
}

impl Reader<'_> {
    /// An error at `node`, named by its tag and name or GUID.
    fn error(&self, node: Node<'_, '_>, message: Text) -> ImportError {
        let element = describe(node);
        ImportError::file(
            self.file,
            Text::new(
                format!("{element}: {}", message.get(Language::English)),
                format!("{element}: {}", message.get(Language::Spanish)),
            ),
        )
    }

    fn required<'n>(&self, node: Node<'n, '_>, attribute: &str) -> Result<&'n str, ImportError> {
        node.attribute(attribute).ok_or_else(|| {
            self.error(
                node,
                crate::bilingual!("the attribute '{attribute}' is missing", "falta el atributo '{attribute}'"),
            )
        })
    }

    /// Reads `<Codes>` (or a `<CodeBook>` holding them), creating codes missing by name.
    fn codebook(&mut self, node: Node<'_, '_>) -> Result<(), ImportError> {
        let codes = if node.tag_name().name() == "Codes" { Some(node) } else { child(node, "Codes") };
        for code in codes.into_iter().flat_map(|codes| children(codes, "Code")) {
            self.code(code, None, 1)?;
        }
        Ok(())
    }

    fn code(&mut self, node: Node<'_, '_>, parent: Option<CodeId>, depth: usize) -> Result<(), ImportError> {
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
        let description = child_text(node, "Description");
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
        for child_code in children(node, "Code") {
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

    fn code_ref(&self, coding: Node<'_, '_>) -> Result<CodeId, ImportError> {
        let code_ref = child(coding, "CodeRef").ok_or_else(|| {
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

    fn project(
        &mut self,
        root: Node<'_, '_>,
        package: Option<&Package>,
        fallback_coder: &str,
    ) -> Result<(), ImportError> {
        for user in child(root, "Users").into_iter().flat_map(|users| children(users, "User")) {
            let guid = self.required(user, "guid")?;
            let name = user.attribute("name").filter(|n| !n.trim().is_empty()).unwrap_or(fallback_coder);
            let coder_id = self.store.ensure_coder(name)?;
            self.coders.insert(guid.to_owned(), coder_id);
        }
        self.fallback_coder = Some(self.store.ensure_coder(fallback_coder)?);
        if let Some(codebook) = child(root, "CodeBook") {
            self.codebook(codebook)?;
        }
        for variable in child(root, "Variables").into_iter().flat_map(|v| children(v, "Variable")) {
            let guid = self.required(variable, "guid")?.to_owned();
            let name = self.required(variable, "name")?.trim().to_owned();
            let quipu = parse_quipu_description(&child_text(variable, "Description"));
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
        // Cases: name, description, values, and which texts they hold.
        let mut case_of_text: HashMap<String, String> = HashMap::new();
        for case in child(root, "Cases").into_iter().flat_map(|c| children(c, "Case")) {
            let name =
                case.attribute("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or("Unnamed case").to_owned();
            let is_new = self.store.case_by_name(&name)?.is_none();
            let case_id = self.case_id(&name)?;
            if is_new && let Some(guid) = case.attribute("guid") {
                self.store.adopt_uuid(Identified::Case, case_id.0, guid)?;
            }
            let description = child_text(case, "Description");
            if !description.is_empty() && self.store.case(case_id)?.description.is_empty() {
                self.store.set_case_description(case_id, &description)?;
            }
            for (attribute_id, value) in self.values_of(case, AttributeScope::Case)? {
                self.set_value(case, AttributeScope::Case, case_id.0, attribute_id, &value)?;
            }
            for source_ref in children(case, "SourceRef") {
                if let Some(target) = source_ref.attribute("targetGUID") {
                    case_of_text.entry(target.to_owned()).or_insert_with(|| name.clone());
                }
            }
        }
        let project_name = root.attribute("name").unwrap_or("Imported project").to_owned();
        let mut own_export = OwnExport::default();
        // Quipu holds text: PDF, picture, audio and video sources are counted and left out.
        self.summary.skipped_sources = child(root, "Sources")
            .into_iter()
            .flat_map(|s| s.children())
            .filter(|n| n.is_element() && n.tag_name().name() != "TextSource")
            .count();
        for source in child(root, "Sources").into_iter().flat_map(|s| children(s, "TextSource")) {
            let text_guid = self.required(source, "guid")?.to_owned();
            let raw = match (child(source, "PlainTextContent"), source.attribute("plainTextPath")) {
                (Some(content), _) => content.text().unwrap_or_default().to_owned(),
                (None, Some(path)) => {
                    // A text the archive does not hold (ATLAS.ti's own sample has
                    // one) leaves out that source only; the rest comes in.
                    let Some(bytes) = package.and_then(|p| p.text(path)) else {
                        let name = source.attribute("name").unwrap_or(text_guid.as_str());
                        self.summary.missing_texts.push(format!("'{name}' ({path})"));
                        continue;
                    };
                    String::from_utf8(bytes.to_vec()).map_err(|_| {
                        self.error(
                            source,
                            crate::bilingual!("its text {path} is not UTF-8", "su texto {path} no es UTF-8"),
                        )
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
            let quipu = parse_quipu_description(&child_text(source, "Description"));
            match quipu.filter(|q| q.contains_key("source") && q.contains_key("side")) {
                Some(fields) => self.quipu_text(source, &document, &fields, &mut own_export)?,
                None => {
                    let case = case_of_text.get(&text_guid).cloned().unwrap_or_else(|| project_name.clone());
                    self.foreign_text(source, &document, &case)?;
                }
            }
        }
        self.write_quipu_sources(own_export)?;
        if let Some(memo) = self.note_of(root)
            && self.store.memo(MemoTarget::Project)?.is_empty()
        {
            self.store.set_memo(MemoTarget::Project, &memo)?;
        }
        Ok(())
    }

    fn note_of(&self, node: Node<'_, '_>) -> Option<String> {
        note_text(&self.notes, node)
    }

    /// The coder of a selection or coding: its `creatingUser`, else the fallback.
    fn coder_of(&self, node: Node<'_, '_>) -> CoderId {
        let user = node.attribute("creatingUser");
        let known = user.and_then(|guid| self.coders.get(guid)).copied();
        if let (Some(guid), None) = (user, known) {
            self.unknown_users.borrow_mut().insert(guid.to_owned());
        }
        known.or(self.fallback_coder).expect("the fallback coder is set before any selection is read")
    }

    /// The `<VariableValue>`s of a case or text, as attributes of `scope`.
    fn values_of(
        &mut self,
        node: Node<'_, '_>,
        scope: AttributeScope,
    ) -> Result<Vec<(AttributeId, String)>, ImportError> {
        let mut values = Vec::new();
        for value in children(node, "VariableValue") {
            let Some(target) = child(value, "VariableRef").and_then(|r| r.attribute("targetGUID")) else {
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
            let text = value
                .children()
                .find(|c| c.is_element() && c.tag_name().name() != "VariableRef")
                .and_then(|c| c.text())
                .unwrap_or_default();
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
        node: Node<'_, '_>,
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
    fn foreign_text(&mut self, source: Node<'_, '_>, document: &SourceText, case: &str) -> Result<(), ImportError> {
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
            let body = text::slice_chars(&document.text, span).unwrap_or_default().to_owned();
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
        for coding in children(source, "Coding") {
            let code_id = self.code_ref(coding)?;
            for (_, excerpt_id) in &lines {
                self.add_coding(*excerpt_id, code_id, self.coder_of(coding), CodingAnchor::Whole, None, None)?;
            }
        }
        for selection in children(source, "PlainTextSelection") {
            let start: usize = self.position(selection, "startPosition")?;
            let end: usize = self.position(selection, "endPosition")?;
            let Some(span) = document.span(start, end) else {
                return Err(self.error(
                    selection,
                    crate::bilingual!(
                        "it runs from {start} to {end}, outside the text's {} characters",
                        "va de {start} a {end}, fuera de los {} caracteres del texto",
                        document.positions.len() - 1
                    ),
                ));
            };
            let memo = self.note_of(selection);
            for coding in children(selection, "Coding") {
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

    fn position(&self, node: Node<'_, '_>, attribute: &str) -> Result<usize, ImportError> {
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
        let (coding_id, is_new) = self.store.add_coding_if_new(excerpt_id, code_id, coder_id, anchor)?;
        if is_new {
            self.summary.codings += 1;
            if let Some(guid) = guid {
                self.store.adopt_uuid(Identified::Coding, coding_id.0, guid)?;
            }
        }
        if let Some(memo) = memo {
            self.store.set_memo(MemoTarget::Coding(coding_id), &memo)?;
        }
        Ok(())
    }

    /// One language of a source Quipu wrote: collect its excerpts' text and codings.
    fn quipu_text(
        &mut self,
        source: Node<'_, '_>,
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
        for selection in children(source, "PlainTextSelection") {
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
            let description = parse_quipu_description(&child_text(selection, "Description")).unwrap_or_default();
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
                let body = text::slice_chars(&document.text, span).unwrap_or_default().to_owned();
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
                for coding in children(selection, "Coding") {
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
                for coding in children(selection, "Coding") {
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
                let excerpt_id = self.store.add_excerpt(source_id, &draft)?;
                self.store.adopt_uuid(Identified::Excerpt, excerpt_id.0, &key)?;
                self.summary.excerpts += 1;
                if let Some(memo) = &excerpt.memo {
                    self.store.set_memo(MemoTarget::Excerpt(excerpt_id), memo)?;
                }
                for (code_id, coder_id, guid) in &excerpt.whole {
                    self.add_coding(excerpt_id, *code_id, *coder_id, CodingAnchor::Whole, None, guid.as_deref())?;
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
