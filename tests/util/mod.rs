//! Shared helpers for integration tests: a fixture builder for small projects and
//! a runner for the `quipu` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quipu::model::{
    CaseId, CodeDraft, CodingAnchor, ExcerptDraft, ExcerptId, SourceDraft, SourceId, TranslationStatus,
};
use quipu::store::Store;
use quipu::text::CharSpan;

/// A project in a temporary directory, built step by step:
/// `TestProject::new().case("Cerro Alto").source("Entrevista 1").excerpt_es_en("…", "…").code("Trust")`.
pub struct TestProject {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: Store,
    case_id: Option<CaseId>,
    source_id: Option<SourceId>,
    pub last_excerpt: Option<ExcerptId>,
    pub coder: String,
}

impl TestProject {
    /// An empty project (no codebook).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("test.quipu");
        let store = Store::create(&path).expect("create project");
        Self { dir, path, store, case_id: None, source_id: None, last_excerpt: None, coder: "tester".to_owned() }
    }

    /// Adds a case; later sources go into it.
    pub fn case(mut self, name: &str) -> Self {
        self.case_id = Some(self.store.add_case(name, "").expect("add case"));
        self.source_id = None;
        self
    }

    /// Adds a source with a speaker of the same name to the current case.
    pub fn source(self, name: &str) -> Self {
        self.source_with(name, name, "")
    }

    /// Adds a source with a speaker and role to the current case.
    pub fn source_with(mut self, name: &str, speaker: &str, role: &str) -> Self {
        let case_id = self.case_id.expect("call .case() first");
        let draft = SourceDraft {
            name: name.to_owned(),
            speaker: speaker.to_owned(),
            role: role.to_owned(),
            place: "Comunidad de prueba".to_owned(),
            date: "2021-03-14".to_owned(),
            interviewer: "Investigadora".to_owned(),
            ..SourceDraft::default()
        };
        self.source_id = Some(self.store.add_source(case_id, &draft).expect("add source"));
        self
    }

    /// The current source, creating a case and a source if none were named.
    fn current_source(&mut self) -> SourceId {
        if let Some(source_id) = self.source_id {
            return source_id;
        }
        let case_id = match self.case_id {
            Some(case_id) => case_id,
            None => *self.case_id.insert(self.store.add_case("Caso", "").expect("add case")),
        };
        let draft = SourceDraft { name: "Fuente".to_owned(), ..SourceDraft::default() };
        *self.source_id.insert(self.store.add_source(case_id, &draft).expect("add source"))
    }

    /// Adds an excerpt with a Spanish original and an English translation.
    pub fn excerpt_es_en(self, original: &str, translation: &str) -> Self {
        self.excerpt(Some(original), Some(translation))
    }

    /// Adds an excerpt; either text may be missing.
    pub fn excerpt(mut self, original: Option<&str>, translation: Option<&str>) -> Self {
        let source_id = self.current_source();
        let draft = ExcerptDraft {
            original: original.map(quipu::text::normalized),
            translation: translation.map(quipu::text::normalized),
            translation_status: TranslationStatus::default_for(translation),
            ..ExcerptDraft::default()
        };
        self.last_excerpt = Some(self.store.add_excerpt(source_id, &draft).expect("add excerpt"));
        self
    }

    fn code_id(&mut self, name: &str) -> quipu::model::CodeId {
        match self.store.code_by_name(name).expect("look up code") {
            Some(code) => code.code_id,
            None => self
                .store
                .add_code(&CodeDraft {
                    name: name.to_owned(),
                    description: String::new(),
                    color: None,
                    parent_id: None,
                })
                .expect("add code"),
        }
    }

    /// Later codings are made by the coder `name`.
    pub fn by_coder(mut self, name: &str) -> Self {
        self.coder = name.to_owned();
        self
    }

    /// Codes the last excerpt, whole, with `code` (created if new).
    pub fn code(mut self, code: &str) -> Self {
        let code_id = self.code_id(code);
        let coder_id = self.store.ensure_coder(&self.coder.clone()).expect("coder");
        let excerpt_id = self.last_excerpt.expect("add an excerpt first");
        self.store.add_coding(excerpt_id, code_id, coder_id, CodingAnchor::Whole).expect("add coding");
        self
    }

    /// Codes a passage of the last excerpt's original.
    pub fn code_passage(mut self, code: &str, start: usize, end: usize) -> Self {
        let code_id = self.code_id(code);
        let coder_id = self.store.ensure_coder(&self.coder.clone()).expect("coder");
        let excerpt_id = self.last_excerpt.expect("add an excerpt first");
        let anchor = CodingAnchor::Passage { side: quipu::model::Side::Original, span: CharSpan::new(start, end) };
        self.store.add_coding(excerpt_id, code_id, coder_id, anchor).expect("add coding");
        self
    }
}

/// Runs the `quipu` binary with `args`.
pub fn quipu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quipu")).args(args).output().expect("run quipu")
}

/// Runs `quipu`, expecting success; returns stdout.
pub fn quipu_ok(args: &[&str]) -> String {
    let output = quipu(args);
    assert!(output.status.success(), "quipu {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// Runs `quipu`, expecting failure; returns stderr.
pub fn quipu_err(args: &[&str]) -> String {
    let output = quipu(args);
    assert!(!output.status.success(), "quipu {args:?} should have failed");
    String::from_utf8(output.stderr).expect("utf-8 output")
}

/// A path as a `&str` for command lines.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Everything a project holds, as text.
pub fn dump(path: &Path) -> String {
    Store::open(path).expect("open project").dump().expect("dump")
}

/// The temporary files (`*.part`) an interrupted or failed write would leave
/// in `dir`, but for `except`.
pub fn part_files(dir: &Path, except: Option<&Path>) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(".part") && Some(path.as_path()) != except)
        .collect()
}
