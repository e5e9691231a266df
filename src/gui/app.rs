//! The application: the open project (store + view model), interface state and
//! preferences, and the one place where commands pushed by the drawing code are
//! carried out.

use std::path::{Path, PathBuf};

use crate::model::{CodeId, CodingAnchor, ExcerptId, Side};
use crate::store::{ExcerptFilter, Store};
use crate::text::CharSpan;

use super::command::{Edit, EditOutcome, apply_edit};
use super::i18n::{Language, Msg, Tr};
use super::jobs::{JobOutcome, Jobs, PickPurpose};
use super::panels;
use super::settings::default_coder_name;
pub use super::settings::{Settings, ThemeChoice, demo_path};
use super::view_model::{Changed, ViewModel};
use super::workspace::{AnalysisState, Workspace};

/// The open project.
pub struct Session {
    /// The project file.
    pub store: Store,
    /// What the window shows of it.
    pub view: ViewModel,
}

/// A passage selected in the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSelection {
    /// The excerpt.
    pub excerpt_id: ExcerptId,
    /// Which language's text.
    pub side: Side,
    /// The characters selected.
    pub span: CharSpan,
}

/// The small window opened by clicking a coded passage.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageMenu {
    /// The excerpt.
    pub excerpt_id: ExcerptId,
    /// The codings under the click.
    pub codings: Vec<crate::model::CodingId>,
    /// Where the click was.
    pub pos: egui::Pos2,
    /// The frame that opened it.
    pub opened_in_pass: u64,
}

/// Interface state that is not research data.
#[derive(Debug, Default)]
pub struct UiState {
    /// The excerpt open in the reader.
    pub selected: Option<ExcerptId>,
    /// The words selected in the reader, kept while focus moves to the codebook.
    pub selection: Option<TextSelection>,
    /// The sentence pair under the pointer: (excerpt, pair).
    pub hovered_pair: Option<(ExcerptId, usize)>,
    /// The codings window of a clicked passage, when open.
    pub passage_menu: Option<PassageMenu>,
    /// Scroll the reader to the current excerpt on the next frame (whole-source
    /// reading).
    pub scroll_reader_to_selected: bool,
    /// The search box's text.
    pub search_text: String,
    /// The text being edited in the reader: (side, text).
    pub editing: Option<(Side, String)>,
    /// The review note being edited.
    pub status_note: Option<String>,
    /// The excerpt memo being edited.
    pub memo_draft: Option<String>,
    /// The name typed for a new code.
    pub new_code_name: String,
    /// The quick-pick box, when open.
    pub quick_pick: Option<String>,
    /// The code properties dialog, when open.
    pub code_dialog: Option<panels::codebook::CodeDialog>,
    /// A question waiting for confirmation.
    pub confirm: Option<Confirm>,
    /// The import dialog, when open.
    pub import_dialog: Option<panels::import::ImportDialog>,
    /// The export dialog, when open.
    pub export_dialog: Option<panels::export::ExportDialog>,
    /// The coder prompt, when open.
    pub coder_prompt: Option<String>,
    /// Whether the shortcuts window is open.
    pub show_shortcuts: bool,
    /// Whether the about window is open.
    pub show_about: bool,
    /// Rows of the excerpt list on screen in the last frame.
    pub visible_rows: std::ops::Range<usize>,
    /// Scroll the list to the selected excerpt on the next frame.
    pub scroll_to_selected: bool,
    /// The last message for the status bar: (text, is an error).
    pub message: Option<(String, bool)>,
    /// IDs of the reader's two texts, so number keys work while they have focus.
    pub reader_text_ids: Vec<egui::Id>,
    /// The central view and the analysis views' state.
    pub analysis: AnalysisState,
}

/// An action that asks first.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Delete a code.
    DeleteCode(CodeId),
    /// Merge a code into another.
    MergeCodes {
        /// The code that disappears.
        source: CodeId,
        /// The code that receives its codings.
        target: CodeId,
    },
}

/// Everything the drawing code can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum AppCommand {
    /// Change the project.
    Edit(Edit),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Open an excerpt in the reader.
    Select(Option<ExcerptId>),
    /// Move the reader to the next (+1) or previous (-1) excerpt of the list.
    Step(i32),
    /// Filter the excerpt list.
    SetFilter(ExcerptFilter),
    /// Apply a code to the selected words, or to the whole excerpt.
    ApplyCode(CodeId),
    /// Apply the n-th code of the codebook (0-based).
    ApplyNthCode(usize),
    /// Open a project.
    OpenProject(PathBuf),
    /// Create a project and open it.
    NewProject(PathBuf),
    /// Open the bundled demo project.
    OpenDemo,
    /// Ask the system for a file.
    Pick(PickPurpose),
    /// Show the import dialog for a file.
    StartImport(PathBuf),
    /// Show the export dialog.
    StartExport,
    /// Save a consistent copy of the project.
    SaveCopy(PathBuf),
    /// Change the interface language.
    SetLanguage(Language),
    /// Change the theme.
    SetTheme(ThemeChoice),
    /// Change the coder.
    SetCoder(String),
    /// Change the text size by this many points.
    ChangeTextSize(f32),
    /// Read one excerpt (false) or its whole source (true).
    SetWholeSource(bool),
    /// Cancel the running background job.
    CancelJob,
    /// Show another view in the central area.
    SetWorkspace(Workspace),
}

/// The Quipu window.
pub struct QuipuApp {
    /// The open project, if any.
    pub session: Option<Session>,
    /// Preferences.
    pub settings: Settings,
    /// Interface state.
    pub ui: UiState,
    /// Background work.
    pub jobs: Jobs,
    /// Commands pushed while drawing, carried out after the frame's drawing.
    pub pending: Vec<AppCommand>,
    applied_style: Option<(ThemeChoice, u32)>,
}

/// The key under which preferences are stored.
const SETTINGS_KEY: &str = "quipu-settings";

impl QuipuApp {
    /// Creates the window's app: opens `project`, else the last project, else the
    /// bundled demo.
    pub fn new(cc: &eframe::CreationContext<'_>, project: Option<PathBuf>) -> Self {
        let settings: Settings =
            cc.storage.and_then(|storage| eframe::get_value(storage, SETTINGS_KEY)).unwrap_or_default();
        let mut app = Self::with_settings(settings);
        let last = app.settings.recent_projects.first().filter(|path| path.is_file()).cloned();
        match project.or(last) {
            Some(path) => app.open_project(&path),
            None => app.open_demo(),
        }
        if app.session.is_none() && app.ui.message.is_some() {
            // The project could not be opened: keep the error and show the demo.
            let message = app.ui.message.clone();
            app.open_demo();
            app.ui.message = message;
        }
        app
    }

    /// An app on an already opened project, with given preferences (used by tests).
    pub fn with_store(store: Store, settings: Settings) -> Self {
        let mut app = Self::with_settings(settings);
        app.set_session(store);
        app
    }

    fn with_settings(settings: Settings) -> Self {
        let mut ui = UiState::default();
        if settings.coder.trim().is_empty() {
            ui.coder_prompt = Some(default_coder_name());
        }
        Self { session: None, settings, ui, jobs: Jobs::default(), pending: Vec::new(), applied_style: None }
    }

    /// The interface's words.
    pub fn tr(&self) -> Tr {
        Tr { language: self.settings.language }
    }

    /// The coder's name, never empty.
    pub fn coder(&self) -> String {
        if self.settings.coder.trim().is_empty() { default_coder_name() } else { self.settings.coder.trim().to_owned() }
    }

    fn set_session(&mut self, mut store: Store) {
        if let Err(error) = store.enable_undo() {
            self.report_error(error.to_string());
        }
        match ViewModel::load(&store, ExcerptFilter::default()) {
            Ok(view) => {
                if let Some(path) = store.path() {
                    let path = path.to_owned();
                    self.settings.recent_projects.retain(|recent| recent != &path);
                    self.settings.recent_projects.insert(0, path);
                    self.settings.recent_projects.truncate(10);
                }
                let workspace = self.ui.analysis.workspace;
                self.ui = UiState {
                    coder_prompt: self.ui.coder_prompt.take(),
                    message: self.ui.message.take(),
                    ..UiState::default()
                };
                self.ui.analysis.workspace = workspace;
                self.ui.selected = view.excerpt_ids.first().copied();
                let mut view = view;
                view.whole_source = self.settings.whole_source;
                self.session = Some(Session { store, view });
                self.refresh(Changed::default());
            }
            Err(error) => self.report_error(error.to_string()),
        }
    }

    fn open_project(&mut self, path: &Path) {
        match Store::open(path) {
            Ok(store) => {
                self.set_session(store);
                let tr = self.tr();
                self.report(tr.f(Msg::Opened, &[("file", &path.display())]));
            }
            Err(error) => self.report_error(error.to_string()),
        }
    }

    fn open_demo(&mut self) {
        let path = demo_path();
        if !path.exists() {
            if let Some(parent) = path.parent()
                && let Err(error) = std::fs::create_dir_all(parent)
            {
                self.report_error(format!("{}: {error}", parent.display()));
                return;
            }
            if let Err(error) = crate::demo::write_demo(&path) {
                self.report_error(error.to_string());
                return;
            }
        }
        self.open_project(&path);
    }

    /// Shows a message in the status bar.
    pub fn report(&mut self, message: String) {
        self.ui.message = Some((message, false));
    }

    /// Shows an error in the status bar.
    pub fn report_error(&mut self, message: String) {
        self.ui.message = Some((message, true));
    }

    /// Reads again what changed, keeping the reader on the selected excerpt.
    fn refresh(&mut self, changed: Changed) {
        if changed.codebook || changed.excerpts || changed.corpus || changed.attributes {
            self.ui.analysis.mark_stale();
        }
        let selected = self.ui.selected;
        let Some(session) = &mut self.session else {
            return;
        };
        if let Err(error) = session.view.refresh(&session.store, changed, selected) {
            self.report_error(error.to_string());
        }
    }

    /// Carries out every pending command.
    pub fn run_pending(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.pending) {
            self.run_command(ctx, command);
        }
    }

    /// Carries out one command.
    pub fn run_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        let tr = self.tr();
        match command {
            AppCommand::Edit(edit) => {
                self.apply(edit);
            }
            AppCommand::Undo | AppCommand::Redo => {
                let undo = command == AppCommand::Undo;
                let Some(session) = &mut self.session else {
                    return;
                };
                let result = if undo { session.store.undo() } else { session.store.redo() };
                match result {
                    Ok(Some(label)) => {
                        let msg = if undo { Msg::Undone } else { Msg::Redone };
                        self.report(tr.f(msg, &[("what", &tr.action(&label))]));
                        self.ui.editing = None;
                        self.refresh(Changed::ALL);
                    }
                    Ok(None) => {
                        self.report(tr.t(if undo { Msg::NothingToUndo } else { Msg::NothingToRedo }).to_owned())
                    }
                    Err(error) => self.report_error(error.to_string()),
                }
            }
            AppCommand::Select(excerpt_id) => self.select(excerpt_id),
            AppCommand::Step(delta) => {
                let Some(session) = &self.session else {
                    return;
                };
                let ids = &session.view.excerpt_ids;
                let current = self.ui.selected.and_then(|id| session.view.index_of(id));
                let next = match current {
                    Some(index) => index.saturating_add_signed(delta as isize).min(ids.len().saturating_sub(1)),
                    None => 0,
                };
                if let Some(id) = ids.get(next).copied() {
                    self.select(Some(id));
                    self.ui.scroll_to_selected = true;
                    self.ui.scroll_reader_to_selected = true;
                }
            }
            AppCommand::SetFilter(filter) => {
                let Some(session) = &mut self.session else {
                    return;
                };
                if let Err(error) = session.view.set_filter(&session.store, filter) {
                    self.report_error(error.to_string());
                }
            }
            AppCommand::ApplyCode(code_id) => self.apply_code(code_id),
            AppCommand::ApplyNthCode(n) => {
                if let Some(code_id) = self.session.as_ref().and_then(|s| s.view.codes.get(n)).map(|r| r.code.code_id) {
                    self.apply_code(code_id);
                }
            }
            AppCommand::OpenProject(path) => self.open_project(&path),
            AppCommand::NewProject(path) => match Store::create(&path) {
                Ok(mut store) => {
                    if let Err(error) = store.add_default_codebook() {
                        self.report_error(error.to_string());
                    }
                    self.set_session(store);
                }
                Err(error) => self.report_error(error.to_string()),
            },
            AppCommand::OpenDemo => self.open_demo(),
            AppCommand::Pick(purpose) => {
                let default_name = self.default_file_name(purpose);
                self.jobs.pick_file(ctx, purpose, default_name);
            }
            AppCommand::StartImport(path) => match panels::import::ImportDialog::open(&path, self.coder()) {
                Ok(dialog) => self.ui.import_dialog = Some(dialog),
                Err(error) => self.report_error(error.to_string()),
            },
            AppCommand::StartExport => {
                self.ui.export_dialog = Some(panels::export::ExportDialog::default());
            }
            AppCommand::SaveCopy(target) => {
                let Some(session) = &self.session else {
                    return;
                };
                match session.store.save_copy(&target) {
                    Ok(()) => self.report(tr.f(Msg::CopySaved, &[("file", &target.display())])),
                    Err(error) => self.report_error(error.to_string()),
                }
            }
            AppCommand::SetLanguage(language) => self.settings.language = language,
            AppCommand::SetTheme(theme) => self.settings.theme = theme,
            AppCommand::SetCoder(name) => {
                if !name.trim().is_empty() {
                    self.settings.coder = name.trim().to_owned();
                    self.ui.coder_prompt = None;
                }
            }
            AppCommand::SetWholeSource(whole_source) => {
                self.settings.whole_source = whole_source;
                self.ui.scroll_reader_to_selected = true;
                if let Some(session) = &mut self.session {
                    session.view.whole_source = whole_source;
                }
                self.refresh(Changed::default());
            }
            AppCommand::ChangeTextSize(delta) => {
                self.settings.text_size = (self.settings.text_size + delta).clamp(11.0, 26.0);
            }
            AppCommand::CancelJob => self.jobs.cancel(),
            AppCommand::SetWorkspace(workspace) => self.ui.analysis.workspace = workspace,
        }
    }

    fn default_file_name(&self, purpose: PickPurpose) -> Option<String> {
        let stem = self.session.as_ref().map(|s| s.view.title.clone()).unwrap_or_else(|| "project".to_owned());
        let safe: String =
            stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
        match purpose {
            PickPurpose::SaveCopy => Some(format!("{safe}-copy.quipu")),
            PickPurpose::New => Some("fieldwork.quipu".to_owned()),
            PickPurpose::Export(format) => Some(format!("quotes.{}", format.extension())),
            PickPurpose::ExportFrequencies(format) => Some(format!("frequencies.{}", format.extension())),
            PickPurpose::ExportRefi { codebook_only: false } => Some(format!("{safe}.qdpx")),
            PickPurpose::ExportRefi { codebook_only: true } => Some(format!("{safe}-codebook.qdc")),
            PickPurpose::Open | PickPurpose::Import | PickPurpose::ImportAttributes | PickPurpose::ImportRefi => None,
        }
    }

    fn select(&mut self, excerpt_id: Option<ExcerptId>) {
        if self.ui.selected != excerpt_id {
            self.ui.selected = excerpt_id;
            // A selection made in another excerpt of the same source survives.
            if self.ui.selection.is_some_and(|selection| Some(selection.excerpt_id) != excerpt_id) {
                self.ui.selection = None;
            }
            self.ui.editing = None;
            self.ui.status_note = None;
            self.ui.memo_draft = None;
            self.ui.hovered_pair = None;
            self.ui.passage_menu = None;
        }
        let Some(session) = &mut self.session else {
            return;
        };
        if let Err(error) = session.view.refresh(&session.store, Changed::default(), excerpt_id) {
            self.report_error(error.to_string());
        }
    }

    fn apply_code(&mut self, code_id: CodeId) {
        let Some(excerpt_id) = self.ui.selected else {
            return;
        };
        let anchor = match self.ui.selection.take() {
            Some(selection) if selection.excerpt_id == excerpt_id && !selection.span.is_empty() => {
                CodingAnchor::Passage { side: selection.side, span: selection.span }
            }
            _ => CodingAnchor::Whole,
        };
        self.apply(Edit::AddCoding { excerpt_id, code_id, anchor });
    }

    /// Applies an edit, reports the outcome, and refreshes what it touched.
    /// Returns what the edit produced, or `None` if it failed (and was reported).
    pub fn apply(&mut self, edit: Edit) -> Option<EditOutcome> {
        let coder = self.coder();
        let tr = self.tr();
        let session = self.session.as_mut()?;
        match apply_edit(&mut session.store, &coder, &edit) {
            Ok(outcome) => {
                if outcome.lost_passages > 0 {
                    self.report(tr.f(Msg::LostPassages, &[("n", &outcome.lost_passages)]));
                } else {
                    self.ui.message = None;
                }
                self.refresh(edit.changes());
                Some(outcome)
            }
            Err(error) => {
                self.report_error(error.to_string());
                None
            }
        }
    }

    /// Takes in what background jobs finished.
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        let tr = self.tr();
        for outcome in self.jobs.poll() {
            match outcome {
                JobOutcome::Picked(purpose, Some(path)) => {
                    let command = match purpose {
                        PickPurpose::Open => AppCommand::OpenProject(path),
                        PickPurpose::New => AppCommand::NewProject(with_extension(path, "quipu")),
                        PickPurpose::Import => AppCommand::StartImport(path),
                        PickPurpose::SaveCopy => AppCommand::SaveCopy(with_extension(path, "quipu")),
                        PickPurpose::ImportAttributes => {
                            self.import_attributes_file(&path);
                            continue;
                        }
                        PickPurpose::ImportRefi => {
                            self.import_refi_file(&path);
                            continue;
                        }
                        PickPurpose::ExportRefi { codebook_only } => {
                            let path = with_extension(path, purpose.extension().unwrap_or("qdpx"));
                            if let Some(project) = self.session.as_ref().and_then(|s| s.store.path()) {
                                self.jobs.export_refi(ctx, project.to_owned(), path, codebook_only, tr);
                            }
                            continue;
                        }
                        PickPurpose::ExportFrequencies(format) => {
                            let path = with_extension(path, format.extension());
                            if let Some(project) = self.session.as_ref().and_then(|s| s.store.path()) {
                                let analysis = &self.ui.analysis;
                                let request = super::jobs::FrequencyExportRequest {
                                    project: project.to_owned(),
                                    target: path,
                                    format,
                                    chart: analysis.chart,
                                    grouping: analysis.grouping,
                                    filter: analysis.filter.clone(),
                                };
                                self.jobs.export_frequencies(ctx, request, tr);
                            }
                            continue;
                        }
                        PickPurpose::Export(format) => {
                            let path = with_extension(path, format.extension());
                            if let (Some(dialog), Some(session)) = (&self.ui.export_dialog, &self.session)
                                && let Some(project) = session.store.path()
                            {
                                let request = dialog.request(project, path, &session.view, tr);
                                self.ui.export_dialog = None;
                                self.jobs.export(ctx, request, tr);
                            }
                            continue;
                        }
                    };
                    self.run_command(ctx, command);
                }
                JobOutcome::Picked(_, None) => {}
                JobOutcome::ExportedExchange { file, result } => match result {
                    Ok(()) => self.report(tr.f(Msg::RefiExported, &[("file", &file)])),
                    Err(message) => self.report_error(message),
                },
                JobOutcome::Imported { file, result } => match result {
                    Ok(summary) if summary.dry_run => {
                        let message = tr.f(Msg::CheckDone, &[("file", &file), ("n", &summary.excerpts)]);
                        if let Some(dialog) = &mut self.ui.import_dialog {
                            dialog.checked = Some(message.clone());
                        }
                        self.report(message);
                    }
                    Ok(summary) => {
                        self.ui.import_dialog = None;
                        let recorded = match &mut self.session {
                            Some(session) => {
                                session.store.record_import_undo(Msg::ActImport.text(Language::English), &summary.undo)
                            }
                            None => Ok(()),
                        };
                        self.refresh(Changed::ALL);
                        self.report(tr.f(Msg::ImportDone, &[("n", &summary.excerpts), ("file", &file)]));
                        if let Err(error) = recorded {
                            self.report_error(error.to_string());
                        }
                    }
                    Err(message) => {
                        if let Some(dialog) = &mut self.ui.import_dialog {
                            dialog.error = Some(message.clone());
                        }
                        self.report_error(message);
                    }
                },
                JobOutcome::Exported { file, result } => match result {
                    Ok(quotes) => self.report(tr.f(Msg::ExportDone, &[("n", &quotes), ("file", &file)])),
                    Err(message) => self.report_error(message),
                },
                JobOutcome::ExportedTable { file, result } => match result {
                    Ok(_) => self.report(tr.f(Msg::TableExported, &[("file", &file)])),
                    Err(message) => self.report_error(message),
                },
                JobOutcome::Analyzed(result) => match result {
                    Ok(result) => self.ui.analysis.receive(result),
                    Err(message) => {
                        self.ui.analysis.computing = None;
                        self.report_error(message);
                    }
                },
                JobOutcome::Cancelled => self.report(tr.t(Msg::Cancelled).to_owned()),
            }
        }
    }

    fn apply_style(&mut self, ctx: &egui::Context) {
        let key = (self.settings.theme, self.settings.text_size.to_bits());
        if self.applied_style == Some(key) {
            return;
        }
        self.applied_style = Some(key);
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
            ThemeChoice::System => egui::ThemePreference::System,
        });
        super::theme::apply(ctx, self.settings.text_size);
    }

    /// Draws one frame. Drawing pushes commands; they run after the panels are drawn.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_style(&ctx);
        self.poll_jobs(&ctx);
        self.handle_shortcuts(&ctx);
        self.load_visible_rows();
        self.start_needed_analysis(&ctx);
        panels::menu::menu_bar_ui(self, ui);
        panels::status::status_bar_ui(self, ui);
        panels::analysis::workspace_tabs_ui(self, ui);
        let workspace = self.ui.analysis.workspace;
        if self.settings.show_codebook && workspace == Workspace::Reader {
            panels::codebook::codebook_panel_ui(self, ui);
        }
        panels::navigator::navigator_panel_ui(self, ui);
        match workspace {
            Workspace::Reader => panels::reader::reader_panel_ui(self, ui),
            Workspace::Frequencies => panels::analysis::frequencies_panel_ui(self, ui),
            Workspace::Cooccurrence => panels::analysis::cooccurrence_panel_ui(self, ui),
            Workspace::Attributes => panels::attributes::attributes_panel_ui(self, ui),
        }
        panels::dialogs::dialogs_ui(self, ui);
        panels::import::handle_dropped_files(self, ui);
        self.run_pending(&ctx);
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Starts the background count the analysis view on screen needs, if any.
    fn start_needed_analysis(&mut self, ctx: &egui::Context) {
        let Some(request) = self.ui.analysis.needed() else {
            return;
        };
        let Some(project) = self.session.as_ref().and_then(|s| s.store.path()).map(Path::to_path_buf) else {
            return;
        };
        self.ui.analysis.computing = Some(request.clone());
        self.jobs.analyze(ctx, project, request);
    }

    /// Reads a CSV of attributes and imports it as one undoable change.
    fn import_attributes_file(&mut self, path: &Path) {
        let file = path.display().to_string();
        let table = std::fs::read(path)
            .map_err(|source| crate::formats::ImportError::Io { file: file.clone(), source })
            .and_then(|bytes| crate::formats::attributes_csv::read_attributes_csv(&bytes, &file));
        match table {
            Ok(table) => {
                self.apply(Edit::ImportAttributes { table, file: file.clone() });
                if self.ui.message.as_ref().is_none_or(|(_, is_error)| !is_error) {
                    let tr = self.tr();
                    self.report(tr.f(Msg::AttributesImported, &[("file", &file)]));
                }
            }
            Err(error) => self.report_error(error.to_string()),
        }
    }

    /// Reads a REFI-QDA project or codebook and imports it as one undoable change.
    fn import_refi_file(&mut self, path: &Path) {
        let file = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(source) => {
                return self.report_error(crate::formats::ImportError::Io { file, source }.to_string());
            }
        };
        if let Some(outcome) = self.apply(Edit::ImportRefi { bytes, file: file.clone() })
            && let Some(summary) = outcome.refi
        {
            let tr = self.tr();
            let skipped = if summary.skipped_sources > 0 {
                format!(" {}", tr.f(Msg::RefiSkipped, &[("n", &summary.skipped_sources)]))
            } else {
                String::new()
            };
            self.report(
                tr.f(
                    Msg::RefiImported,
                    &[
                        ("file", &file),
                        ("codes", &summary.new_codes),
                        ("sources", &summary.sources),
                        ("excerpts", &summary.excerpts),
                        ("codings", &summary.codings),
                    ],
                ) + &skipped,
            );
        }
    }

    /// Fetches list rows for what was on screen last frame (and just around it).
    fn load_visible_rows(&mut self) {
        let rows = self.ui.visible_rows.clone();
        let Some(session) = &mut self.session else {
            return;
        };
        let wanted = rows.start.saturating_sub(20)..rows.end + 40;
        if let Err(error) = session.view.ensure_previews(&session.store, wanted) {
            self.report_error(error.to_string());
        }
    }
}

impl eframe::App for QuipuApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Adds `extension` to a path chosen in a save dialog if it has none.
fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(extension) }
}
