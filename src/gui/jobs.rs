//! Work that runs off the window's thread: system file dialogs, imports,
//! merges, large undos, exports and analyses. Each job reports progress through
//! shared counters and its result through a channel, so the window keeps drawing
//! and a person can cancel. Jobs that only read (exports, analyses) open their
//! own connection. Jobs that write (imports, merges, undo and redo of a large
//! step) are lent the window's own store, so its undo triggers record the change
//! as one undo step where it happens; meanwhile the window reads the project
//! through a read-only stand-in and edits wait. Jobs are started only by command
//! handling.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};

use crate::analysis::{cooccurrence, frequencies};
use crate::formats::chart::ChartKind;
use crate::formats::csv_import::{ColumnMapping, CsvOptions, CsvRows, LARGE_CSV_BYTES};
use crate::formats::pseudonyms::Names;
use crate::formats::refi::{RefiSummary, import_refi_with_progress};
use crate::formats::report::ReportOptions;
use crate::formats::transcript::{TranscriptPlan, TranscriptSummary, import_transcript};
use crate::formats::{
    ExportError, ExportSummary, FrequencyFormat, ImportError, QuoteFormat, refi, render_frequencies, render_quotes,
    write_atomically,
};
use crate::store::{Filter, Grouping, ImportOptions, ImportSummary, MergeSummary, Replay, Store, StoreError};

use super::i18n::{Language, Msg, Tr};
use super::workspace::{AnalysisRequest, AnalysisResult};
use crate::language::Localized;

/// What a file dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    /// Open a project.
    Open,
    /// Create a project.
    New,
    /// Choose a CSV to import.
    Import,
    /// Choose where to export quotes.
    Export(QuoteFormat),
    /// Choose where to export the frequency table or chart.
    ExportFrequencies(FrequencyFormat),
    /// Choose a CSV of attributes to import.
    ImportAttributes,
    /// Choose where to save a copy of the project.
    SaveCopy,
    /// Choose where to save a copy for a second coder (no codings).
    SaveBlindCopy,
    /// Choose a coder's copy to merge into the project.
    MergeCopy,
    /// Choose a REFI-QDA project (.qdpx) or codebook (.qdc) to import.
    ImportRefi,
    /// Choose an interview transcript to import.
    ImportTranscript,
    /// Choose the translation of the transcript being imported.
    ImportTranscriptTranslation,
    /// Choose where to export the project as REFI-QDA (.qdpx), or only its
    /// codebook (.qdc).
    ExportRefi {
        /// Only the codebook.
        codebook_only: bool,
    },
}

impl PickPurpose {
    /// What the files this dialog offers are called, for its filter.
    pub fn file_kind(self) -> &'static str {
        match self {
            PickPurpose::Open
            | PickPurpose::New
            | PickPurpose::SaveCopy
            | PickPurpose::SaveBlindCopy
            | PickPurpose::MergeCopy => "Quipu project",
            PickPurpose::Import | PickPurpose::ImportAttributes => "CSV",
            PickPurpose::ImportRefi => "REFI-QDA",
            PickPurpose::ImportTranscript | PickPurpose::ImportTranscriptTranslation => "Transcript",
            PickPurpose::ExportRefi { codebook_only: true } => "REFI-QDA codebook",
            PickPurpose::ExportRefi { codebook_only: false } => "REFI-QDA project",
            PickPurpose::Export(format) => format.name(),
            PickPurpose::ExportFrequencies(format) => format.name(),
        }
    }

    /// The extensions of the files this dialog offers (empty: any file).
    pub fn accepted_extensions(self) -> Vec<&'static str> {
        match self {
            PickPurpose::Open
            | PickPurpose::New
            | PickPurpose::SaveCopy
            | PickPurpose::SaveBlindCopy
            | PickPurpose::MergeCopy => vec!["quipu"],
            PickPurpose::Import | PickPurpose::ImportAttributes => vec!["csv", "tsv", "txt"],
            PickPurpose::ImportRefi => vec!["qdpx", "qdc", "qde"],
            PickPurpose::ImportTranscript | PickPurpose::ImportTranscriptTranslation => TRANSCRIPT_EXTENSIONS.to_vec(),
            PickPurpose::Export(_) | PickPurpose::ExportFrequencies(_) | PickPurpose::ExportRefi { .. } => {
                self.extension().into_iter().collect()
            }
        }
    }

    /// The extension of the file this dialog saves, if it saves one.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            PickPurpose::New | PickPurpose::SaveCopy | PickPurpose::SaveBlindCopy => Some("quipu"),
            PickPurpose::Export(format) => Some(format.extension()),
            PickPurpose::ExportFrequencies(format) => Some(format.extension()),
            PickPurpose::ExportRefi { codebook_only: true } => Some("qdc"),
            PickPurpose::ExportRefi { codebook_only: false } => Some("qdpx"),
            PickPurpose::Open
            | PickPurpose::MergeCopy
            | PickPurpose::Import
            | PickPurpose::ImportAttributes
            | PickPurpose::ImportRefi
            | PickPurpose::ImportTranscript
            | PickPurpose::ImportTranscriptTranslation => None,
        }
    }
}

/// The kinds of file a transcript may come in.
pub const TRANSCRIPT_EXTENSIONS: [&str; 6] = ["docx", "odt", "txt", "md", "srt", "vtt"];

/// A system file dialog that returns with nothing sooner than this never opened.
const SYSTEM_DIALOG_FAILED_WITHIN: std::time::Duration = std::time::Duration::from_millis(400);

/// True when this desktop has no way to show a system file dialog: no session
/// bus for a portal and no `zenity` or `kdialog` helper (Linux and BSD only).
pub fn system_dialog_missing() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return false;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|bus| !bus.is_empty());
    let helper = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("zenity").is_file() || dir.join("kdialog").is_file())
    });
    !bus && !helper
}

/// An import to run in the background.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    /// The CSV file.
    pub file: PathBuf,
    /// Column-to-field mapping chosen in the dialog.
    pub mapping: ColumnMapping,
    /// Separator of code names.
    pub options: CsvOptions,
    /// Who the file's codes are attributed to.
    pub coder: String,
    /// Code names in the file read as existing codes, as the person chose.
    pub code_choices: Vec<(String, crate::model::CodeId)>,
    /// Check only, write nothing.
    pub dry_run: bool,
}

/// An export to run in the background.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// The project file.
    pub project: PathBuf,
    /// The file to write.
    pub target: PathBuf,
    /// Its format.
    pub format: QuoteFormat,
    /// What to export.
    pub options: ReportOptions,
}

/// An export of the frequency table or chart to run in the background.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyExportRequest {
    /// The project file.
    pub project: PathBuf,
    /// The file to write.
    pub target: PathBuf,
    /// Its format.
    pub format: FrequencyFormat,
    /// For charts, which kind.
    pub chart: ChartKind,
    /// How groups are formed.
    pub grouping: Grouping,
    /// What is counted.
    pub filter: Filter,
}

/// A finished job.
#[derive(Debug)]
pub enum JobOutcome {
    /// A file dialog closed, with the chosen path or none.
    Picked(PickPurpose, Option<PathBuf>),
    /// The system's file dialog could not be shown (no desktop portal or
    /// helper): the window's own chooser takes over.
    PickFailed(PickPurpose),
    /// A CSV import (or its check) finished.
    Imported {
        /// The file's name.
        file: String,
        /// What was imported, or why not.
        result: Result<ImportSummary, String>,
    },
    /// A transcript import finished.
    ImportedTranscript {
        /// The file's name.
        file: String,
        /// What was imported, or why not.
        result: Result<TranscriptSummary, String>,
    },
    /// A REFI-QDA import finished.
    ImportedRefi {
        /// The file's name.
        file: String,
        /// What was imported, or why not.
        result: Result<RefiSummary, String>,
    },
    /// An export of a frequency table or chart finished.
    ExportedTable {
        /// The file's name.
        file: String,
        /// How many codes, or why not.
        result: Result<usize, String>,
    },
    /// An export finished.
    Exported {
        /// The file's name.
        file: String,
        /// What was written, or why not.
        result: Result<ExportSummary, String>,
    },
    /// A REFI-QDA export finished.
    ExportedExchange {
        /// The file's name.
        file: String,
        /// Nothing, or why not.
        result: Result<(), String>,
    },
    /// A merge of a coder's copy finished.
    Merged {
        /// The copy's file name.
        file: String,
        /// What came in, or why not.
        result: Result<MergeSummary, String>,
    },
    /// The project was encrypted, or its passphrase changed (or why not).
    Rekeyed {
        /// The project file.
        project: PathBuf,
        /// Encrypting (rather than changing the passphrase).
        encrypting: bool,
        /// Nothing, or why not; the project is as it was then.
        result: Result<(), String>,
    },
    /// An undo or redo run in the background finished.
    Replayed {
        /// Which way it went.
        which: Replay,
        /// The label of the action replayed (`None`: there was nothing to
        /// replay), or why it failed.
        result: Result<Option<String>, String>,
    },
    /// A job that had the window's store lent ([`Jobs::holds_store`]) gives
    /// it back, with its undo history moved on, and says how it went.
    Returned {
        /// The window's own store.
        store: Box<Store>,
        /// How the job went.
        outcome: Box<JobOutcome>,
    },
    /// A job was cancelled and changed nothing.
    Cancelled,
    /// A job was not started because another (`running`, by its label) is
    /// still at work: one long job at a time.
    Refused {
        /// The label of the job still running.
        running: String,
    },
    /// A background analysis finished.
    Analyzed(Box<Result<AnalysisResult, String>>),
}

/// The running job, shown in the status bar.
#[derive(Debug)]
pub struct RunningJob {
    /// What it is doing, for people.
    pub label: String,
    /// Progress in thousandths.
    pub progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    /// It has the window's store: the window reads through a stand-in, and
    /// edits wait for it.
    pub holds_store: bool,
    /// It offers Cancel (an undo or redo runs to its end).
    pub cancellable: bool,
}

impl RunningJob {
    /// Progress from 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }
}

/// Background work and its results.
#[derive(Debug)]
pub struct Jobs {
    sender: mpsc::Sender<JobOutcome>,
    receiver: mpsc::Receiver<JobOutcome>,
    /// The import or export running now, if any.
    pub running: Option<RunningJob>,
    dialog_open: Arc<AtomicBool>,
    analyses_running: Arc<AtomicU32>,
    /// Undo and redo steps of more recorded row changes than this run in the
    /// background ([`Jobs::replay`]); smaller ones run at once.
    pub background_replay_rows: usize,
}

/// Recorded row changes above which an undo or redo runs in the background:
/// replaying about 120,000 takes a second on a small laptop, so this many take
/// a few hundredths, and a larger step would hold the window.
pub const BACKGROUND_REPLAY_ROWS: usize = 5_000;

impl Default for Jobs {
    fn default() -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            sender,
            receiver,
            running: None,
            dialog_open: Arc::new(AtomicBool::new(false)),
            analyses_running: Arc::new(AtomicU32::new(0)),
            background_replay_rows: BACKGROUND_REPLAY_ROWS,
        }
    }
}

impl Jobs {
    /// True while an import, export, analysis or file dialog is running.
    pub fn is_busy(&self) -> bool {
        self.running.is_some()
            || self.dialog_open.load(Ordering::Relaxed)
            || self.analyses_running.load(Ordering::Relaxed) > 0
    }

    /// Counts frequencies or co-occurrence on a background thread, through its own
    /// connection, so a large project never freezes the window.
    pub fn analyze(&self, ctx: &egui::Context, project: PathBuf, request: AnalysisRequest, tr: Tr) {
        let language = tr.language;
        let sender = self.sender.clone();
        let ctx = ctx.clone();
        let running = self.analyses_running.clone();
        running.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || {
            let result = (|| -> Result<AnalysisResult, String> {
                let store = Store::open_read_only(&project).map_err(|error| error.localized(language))?;
                Ok(match request {
                    AnalysisRequest::Frequencies(grouping, filter) => AnalysisResult::Frequencies(
                        frequencies(&store, grouping, &filter).map_err(|error| error.localized(language))?,
                    ),
                    AnalysisRequest::Cooccurrence(filter) => AnalysisResult::Cooccurrence(
                        cooccurrence(&store, &filter).map_err(|error| error.localized(language))?,
                    ),
                    AnalysisRequest::Agreement(coders, level) => {
                        let table = crate::analysis::agreement::agreement(&store, &coders, level, &[])
                            .map_err(|error| error.localized(language))?;
                        AnalysisResult::Agreement(coders, table)
                    }
                })
            })();
            running.fetch_sub(1, Ordering::Relaxed);
            let _ = sender.send(JobOutcome::Analyzed(Box::new(result)));
            ctx.request_repaint();
        });
    }

    /// Exports the frequency table or its chart on a background thread.
    pub fn export_frequencies(&mut self, ctx: &egui::Context, request: FrequencyExportRequest, tr: Tr) {
        let language = tr.language;
        let file = request.target.display().to_string();
        let label = tr.f(Msg::Exporting, &[("file", &file)]);
        self.spawn(ctx, label, move |progress, _cancel| {
            let result = (|| -> Result<usize, String> {
                let store = Store::open_read_only(&request.project).map_err(|error| error.localized(language))?;
                let mut table = frequencies(&store, request.grouping, &request.filter)
                    .map_err(|error| error.localized(language))?;
                // A chart or table that leaves the program names speakers by pseudonym.
                crate::formats::name_groups(&mut table, &store, crate::formats::pseudonyms::Names::Pseudonyms)
                    .map_err(|error| error.localized(language))?;
                progress.store(500, Ordering::Relaxed);
                let title = format!("Excerpts per code, by {}", table.grouping_label);
                let bytes = render_frequencies(&table, request.format, request.chart, &title)
                    .map_err(|error| error.localized(language))?;
                write_to(&request.target, &bytes)?;
                Ok(table.codes.len())
            })();
            JobOutcome::ExportedTable { file, result }
        });
    }

    /// Exports the project (or only its codebook) as REFI-QDA on a background
    /// thread, through its own connection.
    pub fn export_refi(&mut self, ctx: &egui::Context, project: PathBuf, target: PathBuf, codebook_only: bool, tr: Tr) {
        let language = tr.language;
        let file = target.display().to_string();
        let label = tr.f(Msg::Exporting, &[("file", &file)]);
        self.spawn(ctx, label, move |progress, cancel| {
            let result = (|| -> Result<(), ExportError> {
                let store = Store::open_read_only(&project)?;
                progress.store(200, Ordering::Relaxed);
                if codebook_only {
                    let bytes = refi::render_codebook(&store)?;
                    progress.store(800, Ordering::Relaxed);
                    write_atomically(&target, &bytes)
                        .map_err(|source| ExportError::Io { file: target.display().to_string(), source })
                } else {
                    // Streamed to the file as it is made, a source at a time.
                    refi::export_project_to(&store, Names::Real, &target, &mut |done, total| {
                        progress.store(200 + (done * 780 / total.max(1)) as u32, Ordering::Relaxed);
                        !cancel.load(Ordering::Relaxed)
                    })
                }
            })();
            match result {
                Err(ExportError::Store(StoreError::Cancelled)) => JobOutcome::Cancelled,
                result => {
                    JobOutcome::ExportedExchange { file, result: result.map_err(|error| error.localized(language)) }
                }
            }
        });
    }

    /// Results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<JobOutcome> {
        let outcomes: Vec<JobOutcome> = self.receiver.try_iter().collect();
        let ends_running = |outcome: &JobOutcome| {
            matches!(
                outcome,
                JobOutcome::Imported { .. }
                    | JobOutcome::ImportedRefi { .. }
                    | JobOutcome::Merged { .. }
                    | JobOutcome::Rekeyed { .. }
                    | JobOutcome::ImportedTranscript { .. }
                    | JobOutcome::Exported { .. }
                    | JobOutcome::ExportedTable { .. }
                    | JobOutcome::ExportedExchange { .. }
                    | JobOutcome::Returned { .. }
                    | JobOutcome::Cancelled
            )
        };
        if outcomes.iter().any(ends_running) {
            self.running = None;
        }
        outcomes
    }

    /// Asks the running job to stop.
    pub fn cancel(&self) {
        if let Some(job) = &self.running {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Delivers a file choice as if the system dialog had returned it: used when
    /// the path is already known (tests drive the window without a desktop).
    pub fn deliver_pick(&self, purpose: PickPurpose, path: PathBuf) {
        let _ = self.sender.send(JobOutcome::Picked(purpose, Some(path)));
    }

    /// Reports the system dialog as missing, as if it had failed to open: used by
    /// tests of the window's own chooser.
    pub fn deliver_pick_failure(&self, purpose: PickPurpose) {
        let _ = self.sender.send(JobOutcome::PickFailed(purpose));
    }

    /// Shows a system file dialog on its own thread. A dialog that closes with no
    /// file sooner than a person could have cancelled it did not open at all
    /// (rfd says nothing when no portal or helper is there): that is reported as
    /// [`JobOutcome::PickFailed`].
    pub fn pick_file(&self, ctx: &egui::Context, purpose: PickPurpose, default_name: Option<String>) {
        if self.dialog_open.swap(true, Ordering::Relaxed) {
            return;
        }
        let sender = self.sender.clone();
        let ctx = ctx.clone();
        let dialog_open = self.dialog_open.clone();
        std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            dialog = dialog.add_filter(purpose.file_kind(), &purpose.accepted_extensions());
            if let Some(name) = default_name {
                dialog = dialog.set_file_name(name);
            }
            let started = std::time::Instant::now();
            let path = if purpose.extension().is_some() { dialog.save_file() } else { dialog.pick_file() };
            dialog_open.store(false, Ordering::Relaxed);
            let outcome = if path.is_none() && started.elapsed() < SYSTEM_DIALOG_FAILED_WITHIN {
                JobOutcome::PickFailed(purpose)
            } else {
                JobOutcome::Picked(purpose, path)
            };
            let _ = sender.send(outcome);
            ctx.request_repaint();
        });
    }

    /// Runs `work` on its own thread as the running job (shown with its progress
    /// in the status bar, cancellable), and delivers the outcome it returns.
    /// While another job runs, `work` is not started and the outcome is
    /// [`JobOutcome::Refused`]: the running job keeps its progress and Cancel.
    fn spawn(
        &mut self,
        ctx: &egui::Context,
        label: String,
        work: impl FnOnce(&AtomicU32, &AtomicBool) -> JobOutcome + Send + 'static,
    ) {
        if let Some(running) = &self.running {
            let _ = self.sender.send(JobOutcome::Refused { running: running.label.clone() });
            ctx.request_repaint();
            return;
        }
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        self.running = Some(RunningJob {
            label,
            progress: progress.clone(),
            cancel: cancel.clone(),
            holds_store: false,
            cancellable: true,
        });
        let sender = self.sender.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = sender.send(work(&progress, &cancel));
            ctx.request_repaint();
        });
    }

    /// The running job, if it has the window's store ([`Jobs::spawn_lending`]):
    /// the window reads through a stand-in meanwhile, and edits wait.
    pub fn holding_store(&self) -> Option<&RunningJob> {
        self.running.as_ref().filter(|job| job.holds_store)
    }

    /// Runs `work` on its own thread with the window's own store, lent for the
    /// while: what it writes is recorded by that store's undo triggers as one
    /// undo step of the window, with nothing to copy back, and the window does
    /// not wait for the project's write lock. The store comes back in
    /// [`JobOutcome::Returned`] around the outcome `work` gives. `work` is also
    /// given the project file, to name in its errors. While another job runs,
    /// nothing starts and the store is handed back.
    fn spawn_lending(
        &mut self,
        ctx: &egui::Context,
        label: String,
        store: Box<Store>,
        cancellable: bool,
        work: impl FnOnce(&mut Store, &Path, &AtomicU32, &AtomicBool) -> JobOutcome + Send + 'static,
    ) -> Result<(), Box<Store>> {
        if self.running.is_some() {
            return Err(store);
        }
        let mut store = store;
        let project = store.path().map(Path::to_path_buf).unwrap_or_default();
        self.spawn(ctx, label, move |progress, cancel| {
            let outcome = work(&mut store, &project, progress, cancel);
            JobOutcome::Returned { store, outcome: Box::new(outcome) }
        });
        if let Some(job) = &mut self.running {
            job.holds_store = true;
            job.cancellable = cancellable;
        }
        Ok(())
    }

    /// Undoes or redoes the next step of `store` (the window's own, with its
    /// undo history) on a background thread. It runs to its end: no Cancel.
    pub fn replay(
        &mut self,
        ctx: &egui::Context,
        store: Box<Store>,
        which: Replay,
        label: String,
        tr: Tr,
    ) -> Result<(), Box<Store>> {
        let language = tr.language;
        self.spawn_lending(ctx, label, store, false, move |store, project, progress, _cancel| {
            let result = store
                .replay_reporting(which, &mut |done, total| {
                    progress.store((done * 1000 / total.max(1)) as u32, Ordering::Relaxed);
                })
                .map_err(|error| error.about_file(project).localized(language));
            JobOutcome::Replayed { which, result }
        })
    }

    /// Imports a CSV file (or checks it, writing nothing) on a background
    /// thread, into the window's lent store, as one undoable change.
    pub fn import(
        &mut self,
        ctx: &egui::Context,
        store: Box<Store>,
        request: ImportRequest,
        tr: Tr,
    ) -> Result<(), Box<Store>> {
        let language = tr.language;
        let file = request.file.display().to_string();
        let label = tr.f(Msg::Importing, &[("file", &file)]);
        self.spawn_lending(ctx, label, store, true, move |store, project, progress, cancel| {
            match run_import(store, &request, progress, cancel) {
                Err(ImportError::Store(StoreError::Cancelled)) => JobOutcome::Cancelled,
                result => JobOutcome::Imported {
                    file,
                    result: result.map_err(|error| error.about_file(project).localized(language)),
                },
            }
        })
    }

    /// Imports a reviewed transcript on a background thread, into the
    /// window's lent store, as one undoable change.
    pub fn import_transcript(
        &mut self,
        ctx: &egui::Context,
        store: Box<Store>,
        plan: TranscriptPlan,
        coder: String,
        tr: Tr,
    ) -> Result<(), Box<Store>> {
        let language = tr.language;
        let file = plan.file.clone();
        let label = tr.f(Msg::Importing, &[("file", &file)]);
        self.spawn_lending(ctx, label, store, false, move |store, project, progress, _cancel| {
            progress.store(300, Ordering::Relaxed);
            let result = store.undoable(Msg::ActImportTranscript.text(Language::English), |store| {
                import_transcript(store, &plan, &coder, false)
            });
            let result = result.map_err(|error| error.about_file(project).localized(language));
            JobOutcome::ImportedTranscript { file, result }
        })
    }

    /// Imports a REFI-QDA project or codebook on a background thread, into the
    /// window's lent store, as one undoable change. Cancelling rolls it back.
    pub fn import_refi(
        &mut self,
        ctx: &egui::Context,
        store: Box<Store>,
        path: PathBuf,
        coder: String,
        tr: Tr,
    ) -> Result<(), Box<Store>> {
        let language = tr.language;
        let file = path.display().to_string();
        let label = tr.f(Msg::Importing, &[("file", &file)]);
        self.spawn_lending(ctx, label, store, true, move |store, project, progress, cancel| {
            let result = (|| -> Result<RefiSummary, ImportError> {
                let bytes = std::fs::read(&path).map_err(|source| ImportError::Io { file: file.clone(), source })?;
                progress.store(200, Ordering::Relaxed);
                store.undoable(Msg::ActImportRefi.text(Language::English), |store| {
                    let summary = import_refi_with_progress(store, &bytes, &file, &coder, &mut |done, total| {
                        progress.store(200 + (done * 700 / total.max(1)) as u32, Ordering::Relaxed);
                        !cancel.load(Ordering::Relaxed)
                    })?;
                    progress.store(900, Ordering::Relaxed);
                    if cancel.load(Ordering::Relaxed) {
                        return Err(ImportError::Store(StoreError::Cancelled));
                    }
                    Ok(summary)
                })
            })();
            match result {
                Err(ImportError::Store(StoreError::Cancelled)) => JobOutcome::Cancelled,
                result => JobOutcome::ImportedRefi {
                    file,
                    result: result.map_err(|error| error.about_file(project).localized(language)),
                },
            }
        })
    }

    /// Merges a coder's copy on a background thread, into the window's lent
    /// store, as one undoable change. Cancelling rolls it back.
    pub fn merge_copy(
        &mut self,
        ctx: &egui::Context,
        store: Box<Store>,
        copy: PathBuf,
        tr: Tr,
    ) -> Result<(), Box<Store>> {
        let language = tr.language;
        let file = copy.display().to_string();
        let label = tr.f(Msg::Merging, &[("file", &file)]);
        self.spawn_lending(ctx, label, store, true, move |store, project, progress, cancel| {
            progress.store(200, Ordering::Relaxed);
            let result = store.with_copy_attached(&copy, |store| {
                store.undoable(Msg::ActMerge.text(Language::English), |store| {
                    let summary = store.merge_attached()?;
                    progress.store(900, Ordering::Relaxed);
                    if cancel.load(Ordering::Relaxed) {
                        return Err(StoreError::Cancelled);
                    }
                    Ok(summary)
                })
            });
            match result {
                Err(StoreError::Cancelled) => JobOutcome::Cancelled,
                result => JobOutcome::Merged {
                    file,
                    result: result.map_err(|error| error.about_file(project).localized(language)),
                },
            }
        })
    }

    /// Rewrites the project encrypted with `passphrase` on a background thread
    /// (the window has closed its own connection first).
    pub fn rewrite_keyed(
        &mut self,
        ctx: &egui::Context,
        project: PathBuf,
        passphrase: String,
        encrypting: bool,
        tr: Tr,
    ) {
        let language = tr.language;
        let file = project.display().to_string();
        let label = tr.f(Msg::Encrypting, &[("file", &file)]);
        self.spawn(ctx, label, move |progress, _cancel| {
            progress.store(100, Ordering::Relaxed);
            let result = Store::open(&project)
                .and_then(|store| store.rewrite_keyed(Some(&passphrase)))
                .map(drop)
                .map_err(|error| error.localized(language));
            JobOutcome::Rekeyed { project, encrypting, result }
        });
    }

    /// Exports quotes on a background thread, through its own connection.
    pub fn export(&mut self, ctx: &egui::Context, request: ExportRequest, tr: Tr) {
        let language = tr.language;
        let file = request.target.display().to_string();
        let label = tr.f(Msg::Exporting, &[("file", &file)]);
        self.spawn(ctx, label, move |progress, cancel| {
            let result = (|| -> Result<Option<ExportSummary>, String> {
                let store = Store::open_read_only(&request.project).map_err(|error| error.localized(language))?;
                progress.store(300, Ordering::Relaxed);
                let (bytes, summary) = render_quotes(&store, &request.options, request.format)
                    .map_err(|error| error.localized(language))?;
                if cancel.load(Ordering::Relaxed) {
                    return Ok(None);
                }
                progress.store(800, Ordering::Relaxed);
                write_to(&request.target, &bytes)?;
                Ok(Some(summary))
            })();
            match result {
                Ok(None) => JobOutcome::Cancelled,
                result => JobOutcome::Exported { file, result: result.map(Option::unwrap_or_default) },
            }
        });
    }
}

/// Writes an export, a message naming the file if that fails.
fn write_to(target: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    write_atomically(target, bytes).map_err(|error| format!("{}: {error}", target.display()))
}

fn run_import(
    store: &mut Store,
    request: &ImportRequest,
    progress: &AtomicU32,
    cancel: &AtomicBool,
) -> Result<ImportSummary, ImportError> {
    let file = request.file.display().to_string();
    let bytes = std::fs::read(&request.file).map_err(|source| ImportError::Io { file: file.clone(), source })?;
    // Rows go into the project as they are read (a large file's rows are never
    // all held at once); the bar follows the bytes read.
    let mut rows = CsvRows::open_with_mapping(&bytes, &file, &request.mapping, &request.options)?;
    let label = Msg::ActImport.text(Language::English);
    let options = ImportOptions {
        coder: &request.coder,
        dry_run: request.dry_run,
        code_choices: &request.code_choices,
        large: bytes.len() > LARGE_CSV_BYTES,
    };
    let total = bytes.len().max(1) as u64;
    let read = std::cell::Cell::new(0u64);
    let stream = std::iter::from_fn(|| {
        let row = rows.next()?;
        read.set(rows.bytes_read());
        Some(row)
    });
    let mut summary = store.undoable(label, |store| {
        store.import_stream(stream, options, &mut |_| {
            progress.store((read.get() * 1000 / total).min(1000) as u32, Ordering::Relaxed);
            !cancel.load(Ordering::Relaxed)
        })
    })?;
    summary.short_rows = rows.finish().short_rows;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_job_is_refused_while_one_runs_and_the_first_keeps_its_place() {
        let ctx = egui::Context::default();
        let mut jobs = Jobs::default();
        let (release, wait) = mpsc::channel::<()>();
        jobs.spawn(&ctx, "first".to_owned(), move |_, _| {
            let _ = wait.recv();
            JobOutcome::Cancelled
        });
        let started_second = Arc::new(AtomicBool::new(false));
        let flag = started_second.clone();
        jobs.spawn(&ctx, "second".to_owned(), move |_, _| {
            flag.store(true, Ordering::Relaxed);
            JobOutcome::Cancelled
        });
        let outcomes = jobs.poll();
        assert!(matches!(outcomes.as_slice(), [JobOutcome::Refused { running }] if running == "first"), "{outcomes:?}");
        assert_eq!(jobs.running.as_ref().map(|job| job.label.as_str()), Some("first"));
        release.send(()).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while jobs.running.is_some() && std::time::Instant::now() < deadline {
            jobs.poll();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(jobs.running.is_none(), "the first job finished");
        assert!(!started_second.load(Ordering::Relaxed), "the refused job never ran");
    }
}
