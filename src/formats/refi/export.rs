//! Writing a project as REFI-QDA: `project.qde` (valid against QDA-XML 1.0, with
//! elements in the schema's order and no empty containers) and one UTF-8 text per
//! source and language under `sources/`, zipped as `.qdpx`; and the codebook alone
//! as `.qdc`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

use zip::write::SimpleFileOptions;

use super::{CODEBOOK_NAMESPACE, PROJECT_NAMESPACE, guid, quipu_description};
use crate::formats::pseudonyms::{Names, Pseudonymizer};
use crate::formats::{ExportError, escape_xml as escape};
use crate::model::{AttributeScope, AttributeType, Code, CodeId, CodingAnchor, MemoTarget, Side};
use crate::store::{Attribute, Identified, Store, StoreError, UuidMap};
use crate::text;

/// Names things by GUID for one project: a case, source, excerpt, code or
/// coding by its UUID; anything else (a text per language, a selection, a
/// note) by a hash of the project's identity, its kind and its ID, the same in
/// every export.
struct Guids {
    project: String,
    uuids: HashMap<&'static str, UuidMap>,
}

impl Guids {
    fn new(store: &Store) -> Result<Self, ExportError> {
        let mut uuids = HashMap::new();
        for (kind, identified) in [
            ("case", Identified::Case),
            ("source", Identified::Source),
            ("excerpt", Identified::Excerpt),
            ("code", Identified::Code),
            ("coding", Identified::Coding),
        ] {
            uuids.insert(kind, store.uuid_map(identified)?);
        }
        Ok(Self { project: project_identity(store)?, uuids })
    }

    fn of(&self, kind: &str, id: i64) -> String {
        match self.uuids.get(kind).and_then(|uuids| uuids.get(id)) {
            Some(uuid) => uuid,
            None => guid(&self.project, kind, id),
        }
    }
}

/// The project's random identity (set when it was created).
fn project_identity(store: &Store) -> Result<String, ExportError> {
    Ok(store
        .setting("project_guid")?
        .unwrap_or_else(|| store.path().map(|p| p.display().to_string()).unwrap_or_default()))
}

/// The codebook as nested `<Code>` elements.
fn codes_xml(codes: &[Code], guids: &Guids, memo_notes: &HashMap<CodeId, String>) -> String {
    fn write_code(out: &mut String, code: &Code, codes: &[Code], guids: &Guids, notes: &HashMap<CodeId, String>) {
        let _ = write!(
            out,
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\">",
            guids.of("code", code.code_id.0),
            escape(&code.name),
            code.color
        );
        if !code.description.is_empty() {
            let _ = write!(out, "<Description>{}</Description>", escape(&code.description));
        }
        if let Some(note) = notes.get(&code.code_id) {
            let _ = write!(out, "<NoteRef targetGUID=\"{note}\"/>");
        }
        for child in codes.iter().filter(|c| c.parent_id == Some(code.code_id)) {
            write_code(out, child, codes, guids, notes);
        }
        out.push_str("</Code>");
    }
    let mut out = String::from("<Codes>");
    for code in codes.iter().filter(|code| code.parent_id.is_none()) {
        write_code(&mut out, code, codes, guids, memo_notes);
    }
    out.push_str("</Codes>");
    out
}

/// The codebook as a `.qdc` document.
pub fn render_codebook(store: &Store) -> Result<Vec<u8>, ExportError> {
    let codes = store.codes()?;
    if codes.is_empty() {
        return Err(ExportError::Empty(crate::bilingual!(
            "the codebook (it has no codes)",
            "el libro de códigos (no tiene códigos)"
        )));
    }
    let guids = Guids::new(store)?;
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"{CODEBOOK_NAMESPACE}\" origin=\"Quipu {}\">{}</CodeBook>\n",
        env!("CARGO_PKG_VERSION"),
        codes_xml(&codes, &guids, &HashMap::new())
    );
    Ok(xml.into_bytes())
}

fn variable_type(value_type: AttributeType) -> &'static str {
    match value_type {
        AttributeType::Number => "Float",
        AttributeType::Boolean => "Boolean",
        // Partial dates (2021, 2021-03) are not xsd:date: they travel as text.
        AttributeType::Text | AttributeType::Date => "Text",
    }
}

fn variable_value(attribute: &Attribute, value: &str, guids: &Guids) -> String {
    let element = match attribute.value_type {
        AttributeType::Number => "FloatValue",
        AttributeType::Boolean => "BooleanValue",
        AttributeType::Text | AttributeType::Date => "TextValue",
    };
    let value = match attribute.value_type {
        AttributeType::Boolean => if value == "yes" { "true" } else { "false" }.to_owned(),
        _ => escape(value),
    };
    format!(
        "<VariableValue><VariableRef targetGUID=\"{}\"/><{element}>{value}</{element}></VariableValue>",
        guids.of("attribute", attribute.attribute_id.0)
    )
}

/// The project as the bytes of a `.qdpx` file.
pub fn render_project(store: &Store) -> Result<Vec<u8>, ExportError> {
    render_project_named(store, Names::Real)
}

/// Renders the whole project as a `.qdpx`, speakers named as `names` says: with
/// pseudonyms (or roles), every speaker field shows the pseudonym and every
/// text, memo, name and value that leaves has the real names scrubbed, coded
/// passages moved onto the same words of the scrubbed texts.
pub fn render_project_named(store: &Store, names: Names) -> Result<Vec<u8>, ExportError> {
    Ok(write_project_named(store, names, std::io::Cursor::new(Vec::new()))?.into_inner())
}

/// Writes the whole project as a `.qdpx` file at `target`, through a
/// temporary file renamed into place (see [`crate::formats::write_atomically`]),
/// the package streamed to disk as it is made. `progress` hears how many
/// sources are written out of how many, before each; when it answers
/// `false`, the export stops with [`StoreError::Cancelled`] and leaves no
/// file.
pub fn export_project_to(
    store: &Store,
    names: Names,
    target: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(), ExportError> {
    /// Either the export's own failure or the file's.
    enum Failure {
        Export(ExportError),
        File(std::io::Error),
    }
    impl From<std::io::Error> for Failure {
        fn from(error: std::io::Error) -> Self {
            Failure::File(error)
        }
    }
    crate::formats::write_atomically_with(target, |out| {
        write_project_reporting(store, names, out, progress).map(drop).map_err(Failure::Export)
    })
    .map_err(|failure| match failure {
        Failure::Export(error) => error,
        Failure::File(source) => ExportError::Io { file: target.display().to_string(), source },
    })
}

/// Writes the whole project as a `.qdpx` into `out` (a file, so a large
/// project's package is never held in memory), speakers named as `names`
/// says (see [`render_project_named`]). Returns `out`, written through.
pub fn write_project_named<W: std::io::Write + std::io::Seek>(
    store: &Store,
    names: Names,
    out: W,
) -> Result<W, ExportError> {
    write_project_reporting(store, names, out, &mut |_, _| true)
}

/// [`write_project_named`], telling `progress` how many sources are written
/// out of how many before each, and stopping with [`StoreError::Cancelled`]
/// when it answers `false`.
fn write_project_reporting<W: std::io::Write + std::io::Seek>(
    store: &Store,
    names: Names,
    out: W,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<W, ExportError> {
    let people = Pseudonymizer::new(store, names)?;
    let scrub = |text: &str| people.scrub(text);
    // Where a character of the text lands in the scrubbed text.
    let moved = |text: &str, at: usize| {
        let prefix: String = text.chars().take(at).collect();
        text::char_len(&people.scrub(&prefix))
    };
    let guids = Guids::new(store)?;
    let codes = store.codes()?;
    let coders = store.coders()?;
    let cases = store.cases()?;
    let sources = store.sources()?;
    if sources.is_empty() {
        return Err(ExportError::Empty(crate::bilingual!(
            "the project (it has no sources)",
            "el proyecto (no tiene fuentes)"
        )));
    }
    let attributes: Vec<Attribute> = [AttributeScope::Case, AttributeScope::Source]
        .into_iter()
        .map(|scope| store.attributes(scope))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    let coder_guid = |coder_id: crate::model::CoderId| guids.of("coder", coder_id.0);
    // Notes collected as we go: (guid, name, text).
    let mut notes: Vec<(String, String, String)> = Vec::new();
    let note = |kind: &str, id: i64, name: String, text: String, notes: &mut Vec<(String, String, String)>| {
        let note_guid = guids.of(&format!("note-{kind}"), id);
        notes.push((note_guid.clone(), name, text));
        note_guid
    };
    let mut code_notes = HashMap::new();
    for code in &codes {
        let memo = scrub(&store.memo(MemoTarget::Code(code.code_id))?);
        if !memo.is_empty() {
            code_notes
                .insert(code.code_id, note("code", code.code_id.0, format!("Memo: {}", code.name), memo, &mut notes));
        }
    }

    // Which texts each case holds, known before the sources are written:
    // the cases come first in the document.
    let sides = store.source_sides()?;
    let mut case_sources: HashMap<crate::model::CaseId, Vec<String>> = HashMap::new();
    for source in &sources {
        let has = sides.get(&source.source_id).copied().unwrap_or_default();
        for (side, present) in [Side::Original, Side::Translation].into_iter().zip(has) {
            if present {
                let text_guid = guids.of(&format!("text-{}", side.as_str()), source.source_id.0);
                case_sources.entry(source.case_id).or_default().push(text_guid);
            }
        }
    }

    let mut zip = zip::ZipWriter::new(out);
    // The sources' texts go in after the document, but are known as it is
    // written: each is compressed into an archive of its own as soon as it is
    // made, and that archive's entries are copied in at the end as they are.
    // Held whole, a large project's texts took over 100 MB.
    let mut texts = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let failed = |error: String| {
        ExportError::Unsupported(crate::bilingual!(
            "could not write the REFI-QDA file: {error}",
            "no se pudo escribir el archivo REFI-QDA: {error}"
        ))
    };
    // The document goes into the archive as it is written, a source at a
    // time: a large project's document is hundreds of megabytes.
    zip.start_file("project.qde", options).map_err(|e| failed(e.to_string()))?;
    let flush = |zip: &mut zip::ZipWriter<W>, xml: &mut String| {
        let written = zip.write_all(xml.as_bytes()).map_err(|e| failed(e.to_string()));
        xml.clear();
        written
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{PROJECT_NAMESPACE}\" name=\"{}\" origin=\"Quipu {}\">",
        escape(&store.setting("title")?.unwrap_or_else(|| "Quipu project".to_owned())),
        env!("CARGO_PKG_VERSION")
    );
    if !coders.is_empty() {
        xml.push_str("<Users>");
        for coder in &coders {
            let _ = write!(xml, "<User guid=\"{}\" name=\"{}\"/>", coder_guid(coder.coder_id), escape(&coder.name));
        }
        xml.push_str("</Users>");
    }
    if !codes.is_empty() {
        let _ = write!(xml, "<CodeBook>{}</CodeBook>", codes_xml(&codes, &guids, &code_notes));
    }
    if !attributes.is_empty() {
        xml.push_str("<Variables>");
        for attribute in &attributes {
            let _ = write!(
                xml,
                "<Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"><Description>{}</Description></Variable>",
                guids.of("attribute", attribute.attribute_id.0),
                escape(&attribute.name),
                variable_type(attribute.value_type),
                escape(&quipu_description(&[
                    ("scope", attribute.scope.as_str()),
                    ("type", attribute.value_type.as_str())
                ]))
            );
        }
        xml.push_str("</Variables>");
    }
    xml.push_str("<Cases>");
    for case in &cases {
        let _ =
            write!(xml, "<Case guid=\"{}\" name=\"{}\">", guids.of("case", case.case_id.0), escape(&scrub(&case.name)));
        if !case.description.is_empty() {
            let _ = write!(xml, "<Description>{}</Description>", escape(&scrub(&case.description)));
        }
        for value in store.case_attributes(case.case_id)? {
            if let Some(attribute) = attributes.iter().find(|a| a.attribute_id == value.attribute_id) {
                xml.push_str(&variable_value(attribute, &scrub(&value.value), &guids));
            }
        }
        for text_guid in case_sources.get(&case.case_id).into_iter().flatten() {
            let _ = write!(xml, "<SourceRef targetGUID=\"{text_guid}\"/>");
        }
        xml.push_str("</Case>");
    }
    xml.push_str("</Cases>");
    xml.push_str("<Sources>");
    for (done, source) in sources.iter().enumerate() {
        if !progress(done, sources.len()) {
            return Err(ExportError::Store(StoreError::Cancelled));
        }
        let excerpts = store.excerpts_of_source(source.source_id)?;
        let source_values = store.source_attributes(source.source_id)?;
        for side in [Side::Original, Side::Translation] {
            // Each excerpt with its place among all of the source's excerpts, so an
            // excerpt with only one language comes back where it was.
            let with_text: Vec<_> = excerpts.iter().enumerate().filter(|(_, e)| e.text(side).is_some()).collect();
            let Some((_, first)) = with_text.first() else {
                continue;
            };
            let lang = first.lang(side).to_owned();
            let text_guid = guids.of(&format!("text-{}", side.as_str()), source.source_id.0);
            let mut document = String::new();
            let mut selections = String::new();
            for (position, excerpt) in with_text {
                if !document.is_empty() {
                    document.push_str("\n\n");
                }
                let start = text::char_len(&document);
                let original_body = excerpt.text(side).unwrap_or_default();
                let body = scrub(original_body);
                document.push_str(&body);
                let end = start + text::char_len(&body);
                let excerpt_guid = guids.of("excerpt", excerpt.excerpt_id.0);
                let name =
                    if excerpt.label.is_empty() { format!("#{}", excerpt.excerpt_id) } else { excerpt.label.clone() };
                let codings = store.codings_of_excerpt(excerpt.excerpt_id)?;
                let description = quipu_description(&[
                    ("excerpt", &excerpt_guid),
                    ("position", &position.to_string()),
                    ("status", excerpt.translation_status.as_str()),
                    ("note", &scrub(&excerpt.translation_note)),
                    ("speaker", &scrub(&excerpt.speaker)),
                    ("interviewer", if excerpt.interviewer { "yes" } else { "" }),
                    ("time", &excerpt.time),
                ]);
                let _ = write!(
                    selections,
                    "<PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{start}\" endPosition=\"{end}\">\
                     <Description>{}</Description>",
                    guids.of(&format!("excerpt-{}", side.as_str()), excerpt.excerpt_id.0),
                    escape(&name),
                    escape(&description)
                );
                // A whole coding appears on both sides: its own UUID names it on
                // the first, so an import gives it back its identity.
                let first_side = side == Side::Original || excerpt.original.is_none();
                for coding in codings.iter().filter(|c| c.anchor == CodingAnchor::Whole) {
                    let coding_guid = if first_side {
                        guids.of("coding", coding.coding_id.0)
                    } else {
                        guids.of(&format!("coding-{}", side.as_str()), coding.coding_id.0)
                    };
                    let _ = write!(
                        selections,
                        "<Coding guid=\"{}\" creatingUser=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                        coding_guid,
                        coder_guid(coding.coder_id),
                        guids.of("code", coding.code_id.0)
                    );
                }
                if first_side {
                    let memo = scrub(&store.memo(MemoTarget::Excerpt(excerpt.excerpt_id))?);
                    if !memo.is_empty() {
                        let note_guid =
                            note("excerpt", excerpt.excerpt_id.0, format!("Memo: {name}"), memo, &mut notes);
                        let _ = write!(selections, "<NoteRef targetGUID=\"{note_guid}\"/>");
                    }
                }
                selections.push_str("</PlainTextSelection>");
                for coding in &codings {
                    let CodingAnchor::Passage { side: coded_side, span } = coding.anchor else {
                        continue;
                    };
                    if coded_side != side {
                        continue;
                    }
                    let _ = write!(
                        selections,
                        "<PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creatingUser=\"{}\">\
                         <Description>{}</Description>\
                         <Coding guid=\"{}\" creatingUser=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                        guids.of("passage", coding.coding_id.0),
                        escape(&scrub(&coding.covered_text).chars().take(60).collect::<String>()),
                        start + moved(original_body, span.start.0),
                        (start + moved(original_body, span.end.0))
                            .min(end)
                            .max(start + moved(original_body, span.start.0) + 1),
                        coder_guid(coding.coder_id),
                        escape(&quipu_description(&[("passage", &excerpt_guid)])),
                        guids.of("coding", coding.coding_id.0),
                        coder_guid(coding.coder_id),
                        guids.of("code", coding.code_id.0)
                    );
                    let memo = scrub(&store.memo(MemoTarget::Coding(coding.coding_id))?);
                    if !memo.is_empty() {
                        let note_guid = note("coding", coding.coding_id.0, format!("Memo: {name}"), memo, &mut notes);
                        let _ = write!(selections, "<NoteRef targetGUID=\"{note_guid}\"/>");
                    }
                    selections.push_str("</PlainTextSelection>");
                }
            }
            let case_name = scrub(&store.case(source.case_id)?.name);
            let description = quipu_description(&[
                ("source", &guids.of("source", source.source_id.0)),
                ("side", side.as_str()),
                ("lang", &lang),
                ("case", &case_name),
                ("name", &scrub(&source.name)),
                ("speaker", &people.speaker(source)),
                ("role", &source.role),
                ("place", &source.place),
                ("date", &source.date),
                ("interviewer", &source.interviewer),
                ("pseudonym", if people.keeps_real_names() { &source.pseudonym } else { "" }),
                ("description", &scrub(&source.description)),
            ]);
            let _ = write!(
                xml,
                "<TextSource guid=\"{text_guid}\" name=\"{} ({lang})\" plainTextPath=\"internal://{text_guid}.txt\">\
                 <Description>{}</Description>{selections}",
                escape(&scrub(&source.name)),
                escape(&description),
            );
            for value in &source_values {
                if let Some(attribute) = attributes.iter().find(|a| a.attribute_id == value.attribute_id) {
                    xml.push_str(&variable_value(attribute, &scrub(&value.value), &guids));
                }
            }
            xml.push_str("</TextSource>");
            texts.start_file(format!("sources/{text_guid}.txt"), options).map_err(|e| failed(e.to_string()))?;
            texts.write_all(document.as_bytes()).map_err(|e| failed(e.to_string()))?;
            flush(&mut zip, &mut xml)?;
        }
    }

    xml.push_str("</Sources>");
    let project_memo = scrub(&store.memo(MemoTarget::Project)?);
    let project_note =
        (!project_memo.is_empty()).then(|| note("project", 0, "Project memo".to_owned(), project_memo, &mut notes));
    if !notes.is_empty() {
        xml.push_str("<Notes>");
        for (note_guid, name, text) in &notes {
            let _ = write!(
                xml,
                "<Note guid=\"{note_guid}\" name=\"{}\"><PlainTextContent>{}</PlainTextContent></Note>",
                escape(name),
                escape(text)
            );
        }
        xml.push_str("</Notes>");
    }
    if let Some(note_guid) = project_note {
        let _ = write!(xml, "<NoteRef targetGUID=\"{note_guid}\"/>");
    }
    xml.push_str("</Project>\n");

    flush(&mut zip, &mut xml)?;
    let texts = texts.finish_into_readable().map_err(|e| failed(e.to_string()))?;
    zip.merge_archive(texts).map_err(|e| failed(e.to_string()))?;
    let out = zip.finish().map_err(|e| failed(e.to_string()))?;
    crate::memory::give_back_freed();
    Ok(out)
}
