//! REFI-QDA exchange: exports valid against the QDA-XML 1.0 schema (checked with
//! libxml2), a project that goes out and comes back the same, codebooks as .qdc,
//! files from other tools, and bad files refused without changing the project.

mod util;

use std::ffi::{CString, c_char, c_int, c_void};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use quipu::model::{CodingAnchor, MemoTarget, Side};
use quipu::store::{Identified, Store};
use std::collections::BTreeMap;
use util::{arg, dump, quipu_err, quipu_ok};

// libxml2 validates against the published schema (tests/data/refi-qda-project.xsd).
// It is loaded at run time from the shared library every Linux desktop has, so
// the tests need no development headers or link-time library.
unsafe extern "C" {
    fn dlopen(filename: *const c_char, flag: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

type Ptr = *mut c_void;

/// The libxml2 functions the schema check needs.
struct LibXml2 {
    new_parser_context: unsafe extern "C" fn(*const c_char) -> Ptr,
    parse_schema: unsafe extern "C" fn(Ptr) -> Ptr,
    new_valid_context: unsafe extern "C" fn(Ptr) -> Ptr,
    read_memory: unsafe extern "C" fn(*const c_char, c_int, *const c_char, *const c_char, c_int) -> Ptr,
    validate_document: unsafe extern "C" fn(Ptr, Ptr) -> c_int,
    free_document: unsafe extern "C" fn(Ptr),
    free_valid_context: unsafe extern "C" fn(Ptr),
    free_schema: unsafe extern "C" fn(Ptr),
    free_parser_context: unsafe extern "C" fn(Ptr),
}

impl LibXml2 {
    fn load() -> LibXml2 {
        const RTLD_NOW: c_int = 2;
        // SAFETY: dlopen/dlsym with NUL-terminated names; each symbol is
        // transmuted to the signature libxml2 documents for it.
        unsafe {
            let name = CString::new("libxml2.so.2").unwrap();
            let handle = dlopen(name.as_ptr(), RTLD_NOW);
            assert!(!handle.is_null(), "the schema check needs libxml2 (libxml2.so.2)");
            /// A function of the library, as the signature `F` the caller names.
            unsafe fn symbol<F: Copy>(handle: Ptr, name: &str) -> F {
                assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<Ptr>());
                let name = CString::new(name).unwrap();
                // SAFETY: the caller names the signature libxml2 documents.
                let pointer = unsafe { dlsym(handle, name.as_ptr()) };
                assert!(!pointer.is_null(), "libxml2 has no {name:?}");
                unsafe { std::mem::transmute_copy::<Ptr, F>(&pointer) }
            }
            LibXml2 {
                new_parser_context: symbol(handle, "xmlSchemaNewParserCtxt"),
                parse_schema: symbol(handle, "xmlSchemaParse"),
                new_valid_context: symbol(handle, "xmlSchemaNewValidCtxt"),
                read_memory: symbol(handle, "xmlReadMemory"),
                validate_document: symbol(handle, "xmlSchemaValidateDoc"),
                free_document: symbol(handle, "xmlFreeDoc"),
                free_valid_context: symbol(handle, "xmlSchemaFreeValidCtxt"),
                free_schema: symbol(handle, "xmlSchemaFree"),
                free_parser_context: symbol(handle, "xmlSchemaFreeParserCtxt"),
            }
        }
    }
}

/// True when `xml` is valid against the REFI-QDA project schema (libxml2 prints
/// what is wrong otherwise).
fn valid_against_schema(xml: &[u8]) -> bool {
    let xml2 = LibXml2::load();
    let schema_path = CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/refi-qda-project.xsd")).unwrap();
    let url = CString::new("project.qde").unwrap();
    // SAFETY: plain libxml2 calls on pointers it returned, each checked and freed once.
    unsafe {
        let parser = (xml2.new_parser_context)(schema_path.as_ptr());
        assert!(!parser.is_null());
        let schema = (xml2.parse_schema)(parser);
        assert!(!schema.is_null(), "the schema itself did not parse");
        let validator = (xml2.new_valid_context)(schema);
        let document = (xml2.read_memory)(xml.as_ptr().cast(), xml.len() as c_int, url.as_ptr(), std::ptr::null(), 0);
        assert!(!document.is_null(), "not well-formed XML");
        let result = (xml2.validate_document)(validator, document);
        (xml2.free_document)(document);
        (xml2.free_valid_context)(validator);
        (xml2.free_schema)(schema);
        (xml2.free_parser_context)(parser);
        result == 0
    }
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.quipu");
    quipu::demo::write_demo(&path).unwrap();
    (dir, path)
}

fn zip_file(path: &Path, name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    archive.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn the_exported_project_is_valid_refi_qda() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    // Text that needs escaping must stay valid too.
    let first = store.excerpt_ids().unwrap()[0];
    store.set_memo(MemoTarget::Excerpt(first), "a < b & \"c\" > d; e=f").unwrap();
    store.set_memo(MemoTarget::Project, "Proyecto de prueba").unwrap();
    drop(store);
    let out = dir.path().join("demo.qdpx");
    let report = quipu_ok(&["export", "refi", arg(&project), arg(&out)]);
    assert!(report.contains("Exported the project as REFI-QDA"), "{report}");
    let xml = zip_file(&out, "project.qde");
    assert!(valid_against_schema(&xml), "project.qde does not validate against QDA-XML 1.0");
    // The check itself can fail: an empty container is invalid in QDA-XML.
    assert!(!valid_against_schema(br#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sets/></Project>"#));
    let xml = String::from_utf8(xml).unwrap();
    // One text per source and language, each in sources/ as UTF-8.
    let store = Store::open(&project).unwrap();
    let texts = xml.matches("<TextSource ").count();
    assert!(texts >= store.sources().unwrap().len() && texts <= 2 * store.sources().unwrap().len());
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let text_files =
        (0..archive.len()).filter(|i| archive.by_index(*i).unwrap().name().unwrap().starts_with("sources/")).count();
    assert_eq!(text_files, texts);
}

/// Everything that should survive an exchange, without IDs.
fn canonical(store: &Store) -> Vec<String> {
    let mut lines = Vec::new();
    let codes = store.codes().unwrap();
    let code_name = |id| codes.iter().find(|c| c.code_id == id).map(|c| c.name.clone()).unwrap_or_default();
    for code in &codes {
        let parent = code.parent_id.map(&code_name).unwrap_or_default();
        let memo = store.memo(MemoTarget::Code(code.code_id)).unwrap();
        lines.push(format!("code {} < {parent} {} {} [{memo}]", code.name, code.color, code.description));
    }
    for case in store.cases().unwrap() {
        lines.push(format!("case {} {}", case.name, case.description));
        for value in store.case_attributes(case.case_id).unwrap() {
            lines.push(format!("case {} {}={} ({:?})", case.name, value.name, value.value, value.value_type));
        }
        for source in store.sources_of_case(case.case_id).unwrap() {
            lines.push(format!(
                "source {}/{} {}|{}|{}|{}|{}|{}|{}",
                case.name,
                source.name,
                source.speaker,
                source.role,
                source.place,
                source.date,
                source.interviewer,
                source.pseudonym,
                source.description
            ));
            for value in store.source_attributes(source.source_id).unwrap() {
                lines.push(format!("source {} {}={}", source.name, value.name, value.value));
            }
            for excerpt in store.excerpts_of_source(source.source_id).unwrap() {
                lines.push(format!(
                    "excerpt {} {:?}/{} {:?}/{} {} [{}] memo [{}] turn {}|{}|{}",
                    excerpt.label,
                    excerpt.original,
                    excerpt.original_lang,
                    excerpt.translation,
                    excerpt.translation_lang,
                    excerpt.translation_status.as_str(),
                    excerpt.translation_note,
                    store.memo(MemoTarget::Excerpt(excerpt.excerpt_id)).unwrap(),
                    excerpt.speaker,
                    excerpt.interviewer,
                    excerpt.time
                ));
                let coders = store.coders().unwrap();
                let mut codings: Vec<String> = store
                    .codings_of_excerpt(excerpt.excerpt_id)
                    .unwrap()
                    .into_iter()
                    .map(|coding| {
                        let coder = coders.iter().find(|c| c.coder_id == coding.coder_id).unwrap().name.clone();
                        let anchor = match coding.anchor {
                            CodingAnchor::Whole => "whole".to_owned(),
                            CodingAnchor::Passage { side, span } => {
                                format!("{} {}..{}", side.as_str(), span.start.0, span.end.0)
                            }
                        };
                        let memo = store.memo(MemoTarget::Coding(coding.coding_id)).unwrap();
                        format!(
                            "  coding {} {anchor} «{}» by {coder} [{memo}]",
                            code_name(coding.code_id),
                            coding.covered_text
                        )
                    })
                    .collect();
                codings.sort();
                lines.extend(codings);
            }
        }
    }
    lines.push(format!("project memo [{}]", store.memo(MemoTarget::Project).unwrap()));
    lines
}

#[test]
fn a_project_comes_back_from_refi_qda_as_it_went_out() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    store.set_memo(MemoTarget::Code(trust), "Includes distrust.").unwrap();
    let police = store.code_by_name("Police use").unwrap().unwrap().code_id;
    store.move_code(police, Some(trust)).unwrap();
    let excerpt = store.excerpt_ids().unwrap()[3];
    let coder = store.ensure_coder("Segunda codificadora").unwrap();
    let coding = store
        .add_coding(
            excerpt,
            trust,
            coder,
            CodingAnchor::Passage { side: Side::Translation, span: quipu::text::CharSpan::new(0, 9) },
        )
        .unwrap();
    store.set_memo(MemoTarget::Coding(coding), "The first words; = ; %").unwrap();
    let source = store.sources().unwrap()[0].source_id;
    store.set_pseudonym(source, "Comunero A").unwrap();
    let expected = canonical(&store);
    drop(store);

    let out = dir.path().join("exchange.qdpx");
    quipu_ok(&["export", "refi", arg(&project), arg(&out)]);
    let copy = dir.path().join("copy.quipu");
    quipu_ok(&["new", arg(&copy), "--empty-codebook"]);
    let report = quipu_ok(&["import", "refi", arg(&copy), arg(&out)]);
    assert!(report.contains("12 sources, 60 excerpts"), "{report}");
    let restored = canonical(&Store::open(&copy).unwrap());
    for (want, got) in expected.iter().zip(&restored) {
        assert_eq!(want, got);
    }
    assert_eq!(expected.len(), restored.len());
    // The codes and cases keep their identity: the file names them by UUID.
    let identities = |path: &Path, kind: Identified| -> BTreeMap<String, String> {
        let store = Store::open(path).unwrap();
        let uuids = store.uuids(kind).unwrap();
        let named: Vec<(i64, String)> = match kind {
            Identified::Code => store.codes().unwrap().into_iter().map(|c| (c.code_id.0, c.name)).collect(),
            _ => store.cases().unwrap().into_iter().map(|c| (c.case_id.0, c.name)).collect(),
        };
        named.into_iter().map(|(id, name)| (name, uuids[&id].clone())).collect()
    };
    for kind in [Identified::Code, Identified::Case] {
        let (sent, returned) = (identities(&project, kind), identities(&copy, kind));
        assert_eq!(sent.len(), if kind == Identified::Code { 14 } else { 4 });
        assert_eq!(sent, returned, "{kind:?}");
    }
    // So do the sources, excerpts and codings: the same set of UUIDs comes back.
    for kind in [Identified::Source, Identified::Excerpt, Identified::Coding] {
        let set = |path: &Path| -> std::collections::BTreeSet<String> {
            Store::open(path).unwrap().uuids(kind).unwrap().into_values().collect()
        };
        let (sent, returned) = (set(&project), set(&copy));
        assert!(!sent.is_empty());
        assert_eq!(sent, returned, "{kind:?}");
    }
}

#[test]
fn transcript_turns_come_back_from_refi_qda_with_speaker_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("turnos.quipu");
    quipu_ok(&["new", arg(&project)]);
    let mut store = Store::open(&project).unwrap();
    // A transcript's turns keep their speaker, interviewer mark and time, and its
    // source its description.
    let transcript =
        "Entrevista de prueba\n[00:01:00] E: ¿Qué pasó?\n[00:01:30] Rosa: Llegó la policía.\nE: ¿Y luego?\n";
    let file = quipu::formats::transcript::read_transcript(transcript.as_bytes(), "turnos.txt").unwrap();
    let options =
        quipu::formats::transcript::TranscriptOptions { case: Some("Cerro Alto".to_owned()), ..Default::default() };
    let plan = quipu::formats::transcript::plan_transcript(&file, None, &options).unwrap();
    quipu::formats::transcript::import_transcript(&mut store, &plan, "tester", false).unwrap();
    let expected = canonical(&store);
    assert!(expected.iter().any(|line| line.ends_with("turn E|true|00:01:00")), "{expected:?}");
    assert!(expected.iter().any(|line| line.ends_with("|Entrevista de prueba")), "{expected:?}");
    drop(store);
    let out = dir.path().join("turnos.qdpx");
    quipu_ok(&["export", "refi", arg(&project), arg(&out)]);
    let copy = dir.path().join("copia.quipu");
    quipu_ok(&["new", arg(&copy), "--empty-codebook"]);
    quipu_ok(&["import", "refi", arg(&copy), arg(&out)]);
    assert_eq!(canonical(&Store::open(&copy).unwrap()), expected);
}

#[test]
fn a_codebook_travels_as_qdc_and_is_not_duplicated() {
    let (dir, project) = demo();
    let mut store = Store::open(&project).unwrap();
    let trust = store.code_by_name("Trust").unwrap().unwrap().code_id;
    let child = store
        .add_code(&quipu::model::CodeDraft {
            name: "Trust in the state".into(),
            description: "Confianza en el Estado".into(),
            color: quipu::model::Color::parse("#123456"),
            parent_id: Some(trust),
        })
        .unwrap();
    let _ = child;
    drop(store);
    let out = dir.path().join("codes.qdc");
    quipu_ok(&["export", "refi", arg(&project), arg(&out)]);
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains("urn:QDA-XML:codebook:1.0"));
    let other = dir.path().join("other.quipu");
    quipu_ok(&["new", arg(&other), "--empty-codebook"]);
    let report = quipu_ok(&["import", "refi", arg(&other), arg(&out)]);
    assert!(report.contains("15 new codes"), "{report}");
    let codes = |path: &Path| -> Vec<String> {
        let store = Store::open(path).unwrap();
        let codes = store.codes().unwrap();
        codes
            .iter()
            .map(|c| {
                let parent = c.parent_id.and_then(|p| codes.iter().find(|x| x.code_id == p)).map(|p| p.name.clone());
                format!("{} {} {} {:?}", c.name, c.color, c.description, parent)
            })
            .collect()
    };
    assert_eq!(codes(&other), codes(&project));
    let again = quipu_ok(&["import", "refi", arg(&other), arg(&out)]);
    assert!(again.contains("0 new codes"), "{again}");
    assert_eq!(codes(&other), codes(&project));
}

/// A project as another tool writes it: the older namespace, `Sources/`, a text
/// with a BOM, CRLF line endings and a decomposed accent, selections within a
/// line, across lines and over a whole line, and a coding of the whole text.
fn foreign_qdpx(path: &Path) {
    let text = "\u{feff}Primera línea sobre la polici\u{301}a.\r\nSegunda línea: el agua.\r\n\r\nTercera línea.";
    // Positions count the file's characters after the byte-order mark (which
    // tools strip), CRLF as two characters and the combining accent as one.
    let chars: Vec<char> = text.chars().skip(1).collect();
    let find = |needle: &str| {
        let needle: Vec<char> = needle.chars().collect();
        (0..chars.len()).find(|i| chars[*i..].starts_with(&needle)).unwrap()
    };
    let police = find("polici");
    let police_end = police + "polici\u{301}a".chars().count();
    let water = find("el agua");
    let span_start = find("sobre");
    let span_end = find("Segunda") + "Segunda".chars().count();
    let third = find("Tercera");
    let third_end = chars.len();
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:4" name="Otro proyecto" origin="OtherTool">
  <Users><User guid="00000000-0000-0000-0000-00000000000a" name="Ana"/></Users>
  <CodeBook><Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="Policía" isCodable="true" color="#f00"/>
    <Code guid="00000000-0000-0000-0000-000000000002" name="Recursos::Agua" isCodable="true"/>
    <Code guid="00000000-0000-0000-0000-000000000003" name="Todo" isCodable="true"/>
  </Codes></CodeBook>
  <Cases><Case guid="00000000-0000-0000-0000-0000000000c1" name="Cerro Verde Imaginario">
    <SourceRef targetGUID="00000000-0000-0000-0000-0000000000f1"/></Case></Cases>
  <Sources>
    <TextSource guid="00000000-0000-0000-0000-0000000000f1" name="Entrevista" plainTextPath="internal://f1.txt">
      <PlainTextSelection guid="00000000-0000-0000-0000-0000000000a1" startPosition="{police}" endPosition="{police_end}" creatingUser="00000000-0000-0000-0000-00000000000a">
        <Coding guid="00000000-0000-0000-0000-0000000000b1" creatingUser="00000000-0000-0000-0000-00000000000a"><CodeRef targetGUID="00000000-0000-0000-0000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="00000000-0000-0000-0000-0000000000a2" startPosition="{water}" endPosition="{}">
        <Coding guid="00000000-0000-0000-0000-0000000000b2"><CodeRef targetGUID="00000000-0000-0000-0000-000000000002"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="00000000-0000-0000-0000-0000000000a3" startPosition="{span_start}" endPosition="{span_end}">
        <Coding guid="00000000-0000-0000-0000-0000000000b3"><CodeRef targetGUID="00000000-0000-0000-0000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="00000000-0000-0000-0000-0000000000a4" startPosition="{third}" endPosition="{third_end}">
        <Coding guid="00000000-0000-0000-0000-0000000000b4"><CodeRef targetGUID="00000000-0000-0000-0000-000000000002"/></Coding>
      </PlainTextSelection>
      <Coding guid="00000000-0000-0000-0000-0000000000b5"><CodeRef targetGUID="00000000-0000-0000-0000-000000000003"/></Coding>
    </TextSource>
    <PDFSource guid="00000000-0000-0000-0000-0000000000f2" name="Acta escaneada" path="internal://acta.pdf"/>
  </Sources>
</Project>"##,
        water + "el agua".chars().count(),
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("Sources/f1.txt", options).unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn a_project_from_another_tool_becomes_excerpts_coded_on_the_same_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("other.qdpx");
    foreign_qdpx(&file);
    let project = dir.path().join("p.quipu");
    quipu_ok(&["new", arg(&project), "--empty-codebook"]);
    let report = quipu_ok(&["import", "refi", arg(&project), arg(&file)]);
    assert!(report.contains("1 source, 3 excerpts"), "{report}");
    assert!(report.contains("Left out 1 source that is not text"), "{report}");
    let store = Store::open(&project).unwrap();
    let case = store.case_by_name("Cerro Verde Imaginario").unwrap().expect("the case named in <Cases>");
    let source = &store.sources_of_case(case.case_id).unwrap()[0];
    let excerpts = store.excerpts_of_source(source.source_id).unwrap();
    let texts: Vec<&str> = excerpts.iter().map(|e| e.original.as_deref().unwrap()).collect();
    assert_eq!(texts, ["Primera línea sobre la policía.", "Segunda línea: el agua.", "Tercera línea."]);
    let agua = store.code_by_name("Agua").unwrap().unwrap();
    let recursos = store.code_by_name("Recursos").unwrap().unwrap();
    assert_eq!(agua.parent_id, Some(recursos.code_id), "Parent::Child names become a hierarchy");
    let coded = |excerpt: usize, code: &str| -> Vec<String> {
        let code_id = store.code_by_name(code).unwrap().unwrap().code_id;
        store
            .codings_of_excerpt(excerpts[excerpt].excerpt_id)
            .unwrap()
            .into_iter()
            .filter(|c| c.code_id == code_id)
            .map(|c| match c.anchor {
                CodingAnchor::Whole => "whole".to_owned(),
                CodingAnchor::Passage { .. } => c.covered_text,
            })
            .collect()
    };
    let mut police_first = coded(0, "Policía");
    police_first.sort();
    assert_eq!(police_first, ["policía", "sobre la policía."]);
    assert_eq!(coded(1, "Policía"), ["Segunda"], "a selection across lines codes each line's part");
    assert_eq!(coded(1, "Agua"), ["el agua"]);
    assert_eq!(coded(2, "Agua"), ["whole"], "a selection of a whole line codes the excerpt");
    for excerpt in 0..3 {
        assert_eq!(coded(excerpt, "Todo"), ["whole"], "a coding of the whole text codes every line");
    }
    let ana = store.coders().unwrap().into_iter().find(|c| c.name == "Ana").unwrap();
    let police_coding = store
        .codings_of_excerpt(excerpts[0].excerpt_id)
        .unwrap()
        .into_iter()
        .find(|c| c.covered_text == "policía")
        .unwrap();
    assert_eq!(police_coding.coder_id, ana.coder_id);
}

#[test]
fn bad_refi_files_name_the_element_at_fault_and_change_nothing() {
    let (dir, project) = demo();
    let before = dump(&project);
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let qdpx = |name: &str, qde: &str, text: Option<&str>| {
        let path = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("project.qde", options).unwrap();
        zip.write_all(qde.as_bytes()).unwrap();
        if let Some(text) = text {
            zip.start_file("sources/t.txt", options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        path
    };
    let header = r#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">"#;
    let codebook = r#"<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>"#;
    // One language of a source as Quipu exports it, its one excerpt coded A.
    let quipu_text = |text: &str, source: &str, side: &str, words: &str| {
        format!(
            r#"<TextSource guid="00000000-0000-0000-0000-0000000000{text}" name="Texto {text}"><Description>quipu:source=00000000-0000-0000-0000-{source};side={side};lang=es;case=C;name=S{source}</Description><PlainTextContent>{words}</PlainTextContent><PlainTextSelection guid="00000000-0000-0000-0000-0000000001{text}" startPosition="0" endPosition="4"><Description>quipu:excerpt=00000000-0000-0000-0000-0000000002{text}</Description></PlainTextSelection></TextSource>"#
        )
    };
    let cases = [
        (write("notes.txt", b"just words"), "is neither"),
        (write("broken.qdc", b"<CodeBook><Codes>"), "not well-formed"),
        (
            qdpx(
                "far.qdpx",
                &format!(
                    r#"{header}{codebook}<Sources><TextSource guid="00000000-0000-0000-0000-0000000000f1" name="Corta" plainTextPath="internal://t.txt"><PlainTextSelection guid="00000000-0000-0000-0000-0000000000a1" startPosition="2" endPosition="900"><Coding guid="00000000-0000-0000-0000-0000000000b1"><CodeRef targetGUID="00000000-0000-0000-0000-000000000001"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#
                ),
                Some("Una línea corta."),
            ),
            "<PlainTextSelection guid=\"00000000-0000-0000-0000-0000000000a1\">: it runs from 2 to 900, outside",
        ),
        (
            qdpx(
                "unknown-code.qdpx",
                &format!(
                    r#"{header}{codebook}<Sources><TextSource guid="00000000-0000-0000-0000-0000000000f1" name="Corta" plainTextPath="internal://t.txt"><PlainTextSelection guid="00000000-0000-0000-0000-0000000000a1" startPosition="0" endPosition="3"><Coding guid="00000000-0000-0000-0000-0000000000b1"><CodeRef targetGUID="00000000-0000-0000-0000-000000000009"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#
                ),
                Some("Una línea corta."),
            ),
            "refers to a code 00000000-0000-0000-0000-000000000009 that is not in the codebook",
        ),
        (
            // Quipu writes a source's two languages one after the other; a file
            // that splits them is refused before anything is written.
            qdpx(
                "split.qdpx",
                &format!(
                    r#"{header}{codebook}<Sources>{}{}{}</Sources></Project>"#,
                    quipu_text("f1", "0000000000e1", "original", "Uno."),
                    quipu_text("f2", "0000000000e2", "original", "Dos."),
                    quipu_text("f3", "0000000000e1", "translation", "One."),
                ),
                None,
            ),
            "<TextSource name=\"Texto f3\">: its other language came earlier in the file",
        ),
        (
            qdpx(
                "twice.qdpx",
                &format!(
                    r#"{header}{codebook}<Sources><TextSource guid="00000000-0000-0000-0000-000000000001" name="Corta" plainTextPath="internal://t.txt"/></Sources></Project>"#
                ),
                Some("Una línea corta."),
            ),
            "the GUID 00000000-0000-0000-0000-000000000001 names two elements, <Code name=\"A\"> and <TextSource name=\"Corta\">",
        ),
    ];
    let bomb = qdpx("bomba.qdpx", &format!("{header}{codebook}</Project>"), Some(&" ".repeat(65 * 1024 * 1024)));
    // Letters that do not repeat pack about two to one: too large, not a bomb.
    let mut seed = 7u64;
    let letters: String = (0..65 * 1024 * 1024)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (b'a' + (seed >> 59) as u8 % 26) as char
        })
        .collect();
    let large = qdpx("grande.qdpx", &format!("{header}{codebook}</Project>"), Some(&letters));
    let cut = {
        let bytes = std::fs::read(qdpx("entero.qdpx", &format!("{header}{codebook}</Project>"), None)).unwrap();
        write("cortado.qdpx", &bytes[..bytes.len() / 2])
    };
    let nested = |depth: usize| {
        let codes: String = (0..depth)
            .map(|level| {
                format!(r#"<Code guid="00000000-0000-0000-0000-{level:012}" name="N{level}" isCodable="true">"#)
            })
            .collect();
        format!("<CodeBook><Codes>{codes}{}</Codes></CodeBook>", "</Code>".repeat(depth))
    };
    let hostile = [
        (bomb, "t.txt unpacks to more than 200 times its packed size"),
        (large, "t.txt unpacks to more than 64 MB"),
        (cut, "not a readable .qdpx"),
        (write("hondo.qdc", nested(300).as_bytes()), "more than 256 deep"),
        (write("profundo.qdc", nested(65).as_bytes()), "<Code name=\"N64\">: codes are nested more than 64 deep"),
        (write("latin.qdc", b"<CodeBook>\xe9</CodeBook>"), "not UTF-8"),
    ];
    for (path, expected) in cases.into_iter().chain(hostile) {
        let error = quipu_err(&["import", "refi", arg(&project), arg(&path)]);
        assert!(error.contains(expected), "{}: {error}", path.display());
        assert!(error.contains(path.file_name().unwrap().to_str().unwrap()), "the message names the file: {error}");
        assert_eq!(dump(&project), before, "{} changed the project", path.display());
    }
}

#[test]
fn a_project_missing_a_text_comes_in_without_it_and_unknown_users_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("parcial.qdpx");
    let qde = r#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">
      <Users><User guid="00000000-0000-0000-0000-00000000000a" name="Ana"/></Users>
      <CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="Agua" isCodable="true"/></Codes></CodeBook>
      <Sources>
        <TextSource guid="00000000-0000-0000-0000-0000000000f1" name="Presente" plainTextPath="internal://t.txt">
          <PlainTextSelection guid="00000000-0000-0000-0000-0000000000a1" startPosition="0" endPosition="3" creatingUser="00000000-0000-0000-0000-0000000000ee">
            <Coding guid="00000000-0000-0000-0000-0000000000b1" creatingUser="00000000-0000-0000-0000-0000000000ee"><CodeRef targetGUID="00000000-0000-0000-0000-000000000001"/></Coding>
          </PlainTextSelection>
        </TextSource>
        <TextSource guid="00000000-0000-0000-0000-0000000000f2" name="Perdida" plainTextPath="internal://gone.txt"/>
      </Sources></Project>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("sources/t.txt", options).unwrap();
    zip.write_all("Una línea corta.".as_bytes()).unwrap();
    zip.finish().unwrap();
    let project = dir.path().join("p.quipu");
    quipu_ok(&["new", arg(&project), "--empty-codebook"]);
    let output = quipu_ok(&["import", "refi", arg(&project), arg(&file), "--coder", "Revisora"]);
    assert!(output.contains("1 source, 1 excerpt, 1 coding"), "{output}");
    assert!(
        output.contains("Left out 1 text source whose text is not in the file: 'Perdida' (internal://gone.txt)"),
        "{output}"
    );
    assert!(
        output.contains("1 user is not declared in the file's <Users> (00000000-0000-0000-0000-0000000000ee); their codings were attributed to Revisora"),
        "{output}"
    );
    let store = Store::open(&project).unwrap();
    let excerpt = store.excerpt_ids().unwrap()[0];
    let coding = &store.codings_of_excerpt(excerpt).unwrap()[0];
    let coder = store.coders().unwrap().into_iter().find(|c| c.coder_id == coding.coder_id).unwrap();
    assert_eq!(coder.name, "Revisora");
}

#[test]
fn a_refi_qda_import_reports_its_progress_and_a_cancel_leaves_the_project_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.quipu");
    quipu_ok(&["demo", arg(&demo)]);
    let qdpx = quipu::formats::refi::render_project(&Store::open(&demo).unwrap()).unwrap();
    let fresh = |name: &str| {
        let project = dir.path().join(name);
        quipu_ok(&["new", arg(&project), "--empty-codebook"]);
        project
    };
    let import = |project: &std::path::Path, progress: &mut dyn FnMut(u64, u64) -> bool| {
        let mut store = Store::open(project).unwrap();
        quipu::formats::refi::import_refi_with_progress(&mut store, &qdpx, "demo.qdpx", "Ana", progress)
    };
    // Progress rises through the project document, once per text source.
    let project = fresh("entera.quipu");
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let summary = import(&project, &mut |done, total| {
        seen.push((done, total));
        true
    })
    .unwrap();
    assert!(seen.len() >= summary.sources, "{} reports for {} sources", seen.len(), summary.sources);
    assert!(seen.windows(2).all(|pair| pair[0].0 < pair[1].0), "{seen:?}");
    assert!(seen.iter().all(|(done, total)| *total > 0 && done <= total), "{seen:?}");
    assert!(seen.last().unwrap().0 * 10 > seen.last().unwrap().1 * 9, "the last text source ends near the end");
    // Cancelled at the second text source: nothing of it stays.
    let project = fresh("cancelada.quipu");
    let before = dump(&project);
    let mut calls = 0;
    let result = import(&project, &mut |_, _| {
        calls += 1;
        calls < 2
    });
    assert!(
        matches!(result, Err(quipu::formats::ImportError::Store(quipu::store::StoreError::Cancelled))),
        "{result:?}"
    );
    assert_eq!(calls, 2);
    assert_eq!(dump(&project), before, "a cancelled import changes nothing");
}

#[test]
fn a_refi_qda_export_reports_each_source_and_a_cancel_leaves_no_file() {
    let (dir, demo) = demo();
    let store = Store::open(&demo).unwrap();
    let sources = store.sources().unwrap().len();
    let target = dir.path().join("intercambio.qdpx");
    let mut seen = Vec::new();
    quipu::formats::refi::export_project_to(
        &store,
        quipu::formats::pseudonyms::Names::Real,
        &target,
        &mut |done, total| {
            seen.push((done, total));
            true
        },
    )
    .unwrap();
    let expected: Vec<(usize, usize)> = (0..sources).map(|done| (done, sources)).collect();
    assert_eq!(seen, expected, "once per source, before it");
    let whole = std::fs::read(&target).unwrap();
    assert_eq!(whole, quipu::formats::refi::render_project(&store).unwrap(), "the same package as in memory");

    // Stopped at the third source: the target stays as it was, and no
    // temporary file is left.
    let mut calls = 0;
    let result = quipu::formats::refi::export_project_to(
        &store,
        quipu::formats::pseudonyms::Names::Real,
        &target,
        &mut |_, _| {
            calls += 1;
            calls < 3
        },
    );
    assert!(
        matches!(result, Err(quipu::formats::ExportError::Store(quipu::store::StoreError::Cancelled))),
        "{result:?}"
    );
    assert_eq!(calls, 3);
    assert_eq!(std::fs::read(&target).unwrap(), whole, "the earlier export is untouched");
    let leftovers = util::part_files(dir.path(), None);
    assert!(leftovers.is_empty(), "a temporary file was left behind: {leftovers:?}");
}
