//! Command handling: the one place that carries out what drawing asked for. It
//! is the only window code that touches the store or starts background jobs:
//! edits are applied here (one transaction and one undo step each), finished
//! jobs are taken in here, and the view model is refreshed here after each
//! change, so drawing never queries the project.

use std::path::{Path, PathBuf};

use crate::formats::attributes_csv::import_attributes;
use crate::language::{Language, Localized, Text};
use crate::model::{CodeDraft, CodeId, CodingAnchor, ExcerptId, MemoTarget};
use crate::store::{CopyOptions, Filter, Replay, Store, StoreError};

use super::app::QuipuApp;
use super::command::{AppCommand, Edit, EditOutcome};
use super::file_chooser::FileChooser;
use super::i18n::Msg;
use super::jobs::{FrequencyExportRequest, JobOutcome, PickPurpose};
use super::settings::demo_path;
use super::state::{
    CodeDialog, Confirm, ExportDialog, ImportDialog, MergeDialog, PassphraseDialog, PassphrasePurpose, Session,
    TranscriptDialog, UiState,
};
use super::view_model::{Changed, ViewModel};
use super::workspace::{Comparison, Workspace};
use crate::formats::transcript::{TranscriptOptions, interviewer_labels, plan_transcript, read_transcript_file};

/// Overlapping passages a co-occurrence hover lists at most.
const PAIR_PASSAGES_SHOWN: usize = 8;

impl QuipuApp {
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
            AppCommand::Undo | AppCommand::Redo => self.undo_or_redo(ctx, command == AppCommand::Undo),
            AppCommand::Select(excerpt_id) => self.select(excerpt_id),
            AppCommand::Open(excerpt_id) => {
                self.ui.reader.scroll_to_selected = true;
                self.select(Some(excerpt_id));
            }
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
                    self.ui.navigator.scroll_to_selected = true;
                    self.ui.reader.scroll_to_selected = true;
                }
            }
            AppCommand::SetFilter(filter) => self.set_filter(filter),
            AppCommand::ListCell { grouping, group, code_id, filter, label } => {
                let ids = match &self.session {
                    Some(session) => session.store.cell_excerpts(grouping, &group, code_id, &filter),
                    None => return,
                };
                self.list_excerpts(label, ids);
            }
            AppCommand::ListPair { first, second, filter, label } => {
                let ids = match &self.session {
                    Some(session) => session.store.excerpts_with_both(first, second, &filter),
                    None => return,
                };
                self.list_excerpts(label, ids);
            }
            AppCommand::LoadPairPassages { first, second, filter } => {
                let Some(session) = &self.session else {
                    return;
                };
                match session.store.overlapping_passages(first, second, &filter, PAIR_PASSAGES_SHOWN) {
                    Ok(passages) => {
                        self.ui.analysis.pair_passages.insert((first, second), passages);
                    }
                    Err(error) => {
                        self.ui.analysis.pair_passages.insert((first, second), Vec::new());
                        self.report_failure(&error);
                    }
                }
            }
            AppCommand::ApplyCode(code_id) => self.apply_code(code_id),
            AppCommand::ApplyKey(key) => {
                if let Some(code_id) = self.session.as_ref().and_then(|s| s.view.code_for_key(key)) {
                    self.apply_code(code_id);
                }
            }
            AppCommand::OpenProject(path) => self.open_project(&path),
            AppCommand::NewProject(path) => match Store::create(&path) {
                Ok(mut store) => {
                    if let Err(error) = store.add_default_codebook() {
                        self.report_failure(&error);
                    }
                    self.set_session(store);
                    self.report(tr.f(Msg::Created, &[("file", &path.display())]));
                }
                Err(error) => self.report_failure(&error),
            },
            AppCommand::OpenDemo => self.open_demo(),
            AppCommand::Pick(purpose) => self.pick(ctx, purpose),
            AppCommand::Picked(purpose, path) => self.picked(ctx, purpose, path),
            AppCommand::StartImport(path) => {
                let remembered = self.settings.remembered_mapping(&path).map(<[_]>::to_vec);
                match ImportDialog::open(&path, self.coder(), remembered.as_deref()) {
                    Ok(dialog) => self.ui.dialogs.import = Some(dialog),
                    Err(error) => self.report_failure(&error),
                }
            }
            AppCommand::RunImport { dry_run } => self.run_import(ctx, dry_run),
            AppCommand::CloseImport => {
                if self.jobs.running.is_some() {
                    self.jobs.cancel();
                }
                self.ui.dialogs.import = None;
            }
            AppCommand::StartExport => self.ui.dialogs.export = Some(ExportDialog::default()),
            AppCommand::StartTranscript(path) => self.start_transcript(path),
            AppCommand::ReplanTranscript => self.plan_transcript(),
            AppCommand::RunTranscriptImport { again } => {
                let Some(session) = &self.session else {
                    return;
                };
                let Some(dialog) = &mut self.ui.dialogs.transcript else {
                    return;
                };
                let Some(plan) = dialog.plan.as_mut() else {
                    return;
                };
                plan.again = again;
                // A file already in this source: ask first.
                match plan.already_imported(&session.store) {
                    Ok(Some((file, case, source))) if !again => {
                        dialog.already_imported =
                            Some(tr.f(Msg::AlreadyImported, &[("file", &file), ("case", &case), ("source", &source)]));
                        return;
                    }
                    Err(error) => return self.report_failure(&error),
                    _ => {}
                }
                dialog.already_imported = None;
                let plan = plan.clone();
                if let Some(store) = self.lend_store() {
                    let started = self.jobs.import_transcript(ctx, store, plan, self.coder(), tr);
                    self.take_back(started);
                }
            }
            AppCommand::OpenNewItem(item) => self.ui.dialogs.new_item = Some(item),
            AppCommand::SaveCopy(target, options) => {
                let Some(session) = &self.session else {
                    return;
                };
                let saved = if options.without_codings { Msg::BlindCopySaved } else { Msg::CopySaved };
                match session.store.save_copy_with(&target, options) {
                    Ok(()) => self.report(tr.f(saved, &[("file", &target.display())])),
                    Err(error) => self.report_failure(&error),
                }
            }
            AppCommand::SetLanguage(language) => {
                self.settings.language = language;
                // The last message was said in the other language.
                self.ui.message = None;
            }
            AppCommand::SetTheme(theme) => self.settings.theme = theme,
            AppCommand::SetCoder(name) => {
                if !name.trim().is_empty() {
                    self.settings.coder = name.trim().to_owned();
                    self.ui.dialogs.coder_prompt = None;
                }
            }
            AppCommand::AskCoder => self.ui.dialogs.coder_prompt = Some(self.settings.coder.clone()),
            AppCommand::SetWholeSource(whole_source) => {
                self.settings.whole_source = whole_source;
                self.ui.reader.scroll_to_selected = true;
                if let Some(session) = &mut self.session {
                    session.view.whole_source = whole_source;
                }
                self.refresh(Changed::default());
            }
            AppCommand::ChangeTextSize(delta) => {
                self.settings.text_size = (self.settings.text_size + delta).clamp(11.0, 26.0);
            }
            AppCommand::ShowCodebook(show) => self.settings.show_codebook = show,
            AppCommand::ShowNavigator(show) => self.settings.show_navigator = show,
            AppCommand::UseOwnFileChooser(own) => self.settings.own_file_chooser = own,
            AppCommand::CancelJob => self.jobs.cancel(),
            AppCommand::SetWorkspace(workspace) => {
                self.ui.analysis.workspace = workspace;
                let agreement = &mut self.ui.analysis.agreement;
                if workspace == Workspace::Agreement
                    && !agreement.coders_chosen
                    && let Some(session) = &self.session
                {
                    // At first every coder is compared.
                    agreement.coders = session.view.coders.iter().map(|coder| coder.coder_id).collect();
                }
            }
            AppCommand::CompareDisagreement { excerpt_id, code_id } => self.load_comparison(excerpt_id, code_id),
            AppCommand::OpenQuickPick => self.ui.dialogs.quick_pick = Some(String::new()),
            AppCommand::OpenCodeDialog(code_id) => {
                let row = self.session.as_ref().and_then(|s| s.view.code_row(code_id));
                self.ui.dialogs.code = row.map(CodeDialog::for_code);
            }
            AppCommand::Confirm(confirm) => self.ui.dialogs.confirm = Some(confirm),
            AppCommand::ChooseSpeakerToRemove => self.ui.dialogs.remove_speaker = Some(String::new()),
            AppCommand::AskNewPassphrase(purpose) => {
                if let Some(path) = self.session.as_ref().and_then(|session| session.store.path()) {
                    self.ui.dialogs.passphrase = Some(PassphraseDialog {
                        path: path.to_owned(),
                        purpose,
                        text: String::new(),
                        again: String::new(),
                        error: None,
                    });
                }
            }
            AppCommand::SubmitPassphrase => self.submit_passphrase(ctx),
            AppCommand::AskRemoveSpeaker(name) => {
                let Some(session) = &self.session else {
                    return;
                };
                match session.store.speaker_removal(&name) {
                    Ok(removal) if !removal.is_empty() => {
                        self.ui.dialogs.remove_speaker = None;
                        self.ui.dialogs.confirm = Some(Confirm::RemoveSpeaker { name, removal });
                    }
                    Ok(_) => self.report_failure(&StoreError::NotFound { kind: "speaker", name }),
                    Err(error) => self.report_failure(&error),
                }
            }
            AppCommand::ShowShortcuts => self.ui.dialogs.show_shortcuts = true,
            AppCommand::ShowAbout => self.ui.dialogs.show_about = true,
        }
    }

    /// Shows a message in the status bar.
    pub fn report(&mut self, message: String) {
        self.ui.message = Some((message, false));
    }

    /// Shows an error in the status bar.
    pub fn report_error(&mut self, message: String) {
        self.ui.message = Some((message, true));
    }

    /// Shows a core error in the status bar, in the interface's language.
    fn report_failure(&mut self, error: &dyn Localized) {
        let message = error.localized(self.settings.language);
        self.report_error(message);
    }

    /// Makes `store` the open project, showing the excerpt last read in it.
    pub(super) fn set_session(&mut self, mut store: Store) {
        if !store.is_read_only()
            && let Err(error) = store.enable_undo()
        {
            self.report_failure(&error);
        }
        let view = match ViewModel::load(&store, Filter::default()) {
            Ok(view) => view,
            Err(error) => return self.report_failure(&error),
        };
        if let Some(path) = store.path() {
            self.settings.remember_project(path);
        }
        let workspace = self.ui.analysis.workspace;
        self.ui = UiState {
            dialogs: super::state::Dialogs { coder_prompt: self.ui.dialogs.coder_prompt.take(), ..Default::default() },
            message: self.ui.message.take(),
            ..UiState::default()
        };
        self.ui.analysis.workspace = workspace;
        let last_read = store.path().and_then(|path| self.settings.last_excerpt(path));
        self.ui.selected = last_read
            .filter(|excerpt_id| view.index_of(*excerpt_id).is_some())
            .or_else(|| view.excerpt_ids.first().copied());
        self.ui.navigator.scroll_to_selected = true;
        let mut view = view;
        view.whole_source = self.settings.whole_source;
        self.session = Some(Session { store, view });
        self.refresh(Changed::default());
    }

    /// Opens the project at `path`, saying so, or says why it cannot.
    pub(super) fn open_project(&mut self, path: &Path) {
        let tr = self.tr();
        match Store::open(path) {
            Ok(store) => {
                self.set_session(store);
                self.report(tr.f(Msg::Opened, &[("file", &path.display())]));
            }
            // An encrypted project asks for its passphrase.
            Err(StoreError::Locked { .. }) => self.ask_passphrase(path, None),
            Err(StoreError::WrongPassphrase { .. }) => {
                crate::store::forget_passphrase(path);
                self.ask_passphrase(path, Some(tr.t(Msg::PassphraseWrong).to_owned()));
            }
            // A project that cannot be written here is still read, with editing off.
            Err(error) => match Store::open_read_only(path) {
                Ok(store) if store.is_read_only() => {
                    self.set_session(store);
                    self.report(tr.f(Msg::OpenedReadOnly, &[("file", &path.display())]));
                }
                _ => self.report_failure(&error),
            },
        }
    }

    /// Shows the passphrase prompt for opening `path`.
    fn ask_passphrase(&mut self, path: &Path, error: Option<String>) {
        self.ui.dialogs.passphrase = Some(PassphraseDialog {
            path: path.to_owned(),
            purpose: PassphrasePurpose::Open,
            text: String::new(),
            again: String::new(),
            error,
        });
    }

    /// Uses the passphrase typed: opens the project with it, or encrypts the
    /// open project (or changes its passphrase) with it. The file is rewritten
    /// beside the old one and replaces it only once it is checked.
    fn submit_passphrase(&mut self, ctx: &egui::Context) {
        let tr = self.tr();
        let Some(dialog) = self.ui.dialogs.passphrase.take() else {
            return;
        };
        if dialog.purpose == PassphrasePurpose::Open {
            crate::store::remember_passphrase(&dialog.path, &dialog.text);
            return self.open_project(&dialog.path);
        }
        let problem = if dialog.text.chars().count() < 8 {
            Some(Msg::PassphraseShort)
        } else if dialog.text != dialog.again {
            Some(Msg::PassphraseDiffer)
        } else {
            None
        };
        if let Some(problem) = problem {
            self.ui.dialogs.passphrase = Some(PassphraseDialog { error: Some(tr.t(problem).to_owned()), ..dialog });
            return;
        }
        if let Some(running) = &self.jobs.running {
            let label = running.label.clone();
            self.ui.dialogs.passphrase = Some(dialog);
            return self.report_error(tr.f(Msg::StillRunning, &[("job", &label)]));
        }
        // The window lets go of the file while it is rewritten beside itself;
        // it opens again when the job is done.
        drop(self.session.take());
        let encrypting = dialog.purpose == PassphrasePurpose::Encrypt;
        self.jobs.rewrite_keyed(ctx, dialog.path, dialog.text, encrypting, tr);
    }

    /// Opens the bundled demo project, writing it first if needed.
    pub(super) fn open_demo(&mut self) {
        let path = demo_path();
        if !path.exists() {
            if let Some(parent) = path.parent()
                && let Err(error) = std::fs::create_dir_all(parent)
            {
                self.report_error(format!("{}: {error}", parent.display()));
                return;
            }
            if let Err(error) = crate::demo::write_demo(&path) {
                self.report_failure(&error);
                return;
            }
        }
        self.open_project(&path);
    }

    /// Reads again what changed, keeping the reader on the selected excerpt.
    fn refresh(&mut self, changed: Changed) {
        if changed.codebook || changed.excerpts || changed.corpus || changed.attributes {
            self.ui.analysis.mark_stale();
            if let Some(compared) = &self.ui.analysis.agreement.compared {
                let (excerpt_id, code_id) = (compared.excerpt.excerpt_id, compared.code_id);
                self.load_comparison(excerpt_id, code_id);
            }
        }
        let selected = self.ui.selected;
        let Some(session) = &mut self.session else {
            return;
        };
        if let Err(error) = session.view.refresh(&session.store, changed, selected) {
            self.report_failure(&error);
        }
    }

    /// Reads a disagreement of the agreement view: the excerpt and the compared
    /// coders' codings of the code there (none open if the excerpt is gone).
    fn load_comparison(&mut self, excerpt_id: ExcerptId, code_id: CodeId) {
        let Some(session) = &self.session else {
            return;
        };
        let agreement = &mut self.ui.analysis.agreement;
        let read = session.store.excerpt(excerpt_id).and_then(|excerpt| {
            let codings = session.store.codings_of_excerpt(excerpt_id)?;
            Ok((excerpt, codings))
        });
        agreement.compared = match read {
            Ok((excerpt, codings)) => {
                let codings = codings
                    .into_iter()
                    .filter(|coding| coding.code_id == code_id && agreement.coders.contains(&coding.coder_id))
                    .collect();
                Some(Comparison { excerpt, code_id, codings })
            }
            Err(_) => None,
        };
    }

    fn undo_or_redo(&mut self, ctx: &egui::Context, undo: bool) {
        let tr = self.tr();
        if let Some(running) = self.jobs.holding_store() {
            self.report_error(tr.f(Msg::StillRunning, &[("job", &running.label)]));
            return;
        }
        let which = if undo { Replay::Undo } else { Replay::Redo };
        let Some(session) = &mut self.session else {
            return;
        };
        if session.store.replay_size(which) > self.jobs.background_replay_rows {
            let label = if undo { session.store.undo_label() } else { session.store.redo_label() };
            let msg = if undo { Msg::Undoing } else { Msg::Redoing };
            let label = tr.f(msg, &[("what", &tr.action(label.unwrap_or_default()))]);
            if let Some(store) = self.lend_store() {
                let started = self.jobs.replay(ctx, store, which, label, tr);
                self.take_back(started);
            }
            return;
        }
        let result = session.store.replay_reporting(which, &mut |_, _| {});
        self.replayed(which, result.map_err(|error| error.localized(tr.language)));
    }

    /// Lends the window's store to a background job that writes the project,
    /// leaving a read-only stand-in on the same file for the window to read
    /// meanwhile. `None` (said why) while another job runs, or without a file.
    fn lend_store(&mut self) -> Option<Box<Store>> {
        let tr = self.tr();
        if let Some(running) = &self.jobs.running {
            self.report_error(tr.f(Msg::StillRunning, &[("job", &running.label)]));
            return None;
        }
        let session = self.session.as_mut()?;
        let path = session.store.path()?.to_path_buf();
        match Store::open_read_only(&path) {
            Ok(stand_in) => Some(Box::new(std::mem::replace(&mut session.store, stand_in))),
            Err(error) => {
                self.report_failure(&error);
                None
            }
        }
    }

    /// Puts back a lent store whose job did not start.
    fn take_back(&mut self, started: Result<(), Box<Store>>) {
        if let (Err(store), Some(session)) = (started, &mut self.session) {
            session.store = *store;
        }
    }

    /// Shows what an undo or redo did, run here or in the background.
    fn replayed(&mut self, which: Replay, result: Result<Option<String>, String>) {
        let tr = self.tr();
        let undo = which == Replay::Undo;
        match result {
            Ok(Some(label)) => {
                let msg = if undo { Msg::Undone } else { Msg::Redone };
                self.report(tr.f(msg, &[("what", &tr.action(&label))]));
                self.ui.reader.editing = None;
                self.refresh(Changed::ALL);
            }
            Ok(None) => self.report(tr.t(if undo { Msg::NothingToUndo } else { Msg::NothingToRedo }).to_owned()),
            Err(message) => {
                self.report_error(message);
                self.refresh(Changed::ALL);
            }
        }
    }

    fn set_filter(&mut self, filter: Filter) {
        let Some(session) = &mut self.session else {
            return;
        };
        if let Err(error) = session.view.set_filter(&session.store, filter) {
            self.report_failure(&error);
        }
    }

    /// Lists `ids` (the excerpts behind a table cell) in the navigator.
    fn list_excerpts(&mut self, label: String, ids: Result<Vec<ExcerptId>, StoreError>) {
        let tr = self.tr();
        match ids {
            Ok(ids) => {
                let count = ids.len();
                self.ui.navigator.search_text.clear();
                self.set_filter(Filter { only: Some((label.clone(), ids)), ..Filter::default() });
                self.report(tr.f(Msg::CellListed, &[("what", &label), ("n", &count)]));
            }
            Err(error) => self.report_failure(&error),
        }
    }

    fn select(&mut self, excerpt_id: Option<ExcerptId>) {
        self.select_after(excerpt_id, Changed::default());
    }

    /// Selects an excerpt and refreshes the view for it and for `changed`.
    fn select_after(&mut self, excerpt_id: Option<ExcerptId>, changed: Changed) {
        if self.ui.selected != excerpt_id {
            self.ui.selected = excerpt_id;
            self.ui.reader.leave_excerpt(excerpt_id);
        }
        if let (Some(path), Some(excerpt_id)) =
            (self.session.as_ref().and_then(|session| session.store.path()), excerpt_id)
        {
            self.settings.remember_excerpt(path, excerpt_id);
        }
        self.refresh(changed);
    }

    fn apply_code(&mut self, code_id: CodeId) {
        let Some(excerpt_id) = self.ui.selected else {
            return;
        };
        let anchor = match self.ui.reader.selection.take() {
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
        if let Some(running) = self.jobs.holding_store() {
            self.report_error(tr.f(Msg::EditsWait, &[("job", &running.label)]));
            return None;
        }
        let session = self.session.as_mut()?;
        if session.store.is_read_only() {
            self.report_error(tr.t(Msg::EditingOff).to_owned());
            return None;
        }
        let applied = apply_edit(&mut session.store, &coder, &edit);
        let path = session.store.path().map(Path::to_path_buf);
        match applied.map_err(|error| match &path {
            Some(path) => error.about_file(path),
            None => error,
        }) {
            Ok(outcome) => {
                if outcome.lost_passages > 0 {
                    self.report(tr.f(Msg::LostPassages, &[("n", &outcome.lost_passages)]));
                } else {
                    self.ui.message = None;
                }
                match outcome.show_excerpt {
                    // One refresh, with the new selection.
                    Some(excerpt_id) => {
                        self.select_after(Some(excerpt_id), edit.changes());
                        self.ui.navigator.scroll_to_selected = true;
                        self.ui.reader.scroll_to_selected = true;
                    }
                    None => self.refresh(edit.changes()),
                }
                if let Some(code_id) = outcome.new_code {
                    self.ui.codebook.reveal = Some(code_id);
                    self.ui.codebook.highlighted = Some(code_id);
                }
                Some(outcome)
            }
            Err(error) => {
                self.report_failure(&error);
                None
            }
        }
    }

    /// Asks for a file: in the system's dialog, or in the window's own chooser
    /// where the system has none (or the person prefers it).
    fn pick(&mut self, ctx: &egui::Context, purpose: PickPurpose) {
        if self.settings.own_file_chooser || super::jobs::system_dialog_missing() {
            self.open_file_chooser(purpose);
        } else {
            self.jobs.pick_file(ctx, purpose, self.default_file_name(purpose));
        }
    }

    /// Opens the window's own file chooser in the folder of the last project.
    fn open_file_chooser(&mut self, purpose: PickPurpose) {
        let default_name = self.default_file_name(purpose);
        let folder = self.settings.recent_projects.first().and_then(|path| path.parent()).map(Path::to_path_buf);
        self.ui.dialogs.file_chooser = Some(FileChooser::open(purpose, folder, default_name, self.tr()));
    }

    /// Carries on with a file chosen for `purpose`.
    fn picked(&mut self, ctx: &egui::Context, purpose: PickPurpose, path: PathBuf) {
        let tr = self.tr();
        // A file saved without an extension gets the one its purpose writes.
        let path = match purpose.extension() {
            Some(extension) => with_extension(path, extension),
            None => path,
        };
        let project = self.session.as_ref().and_then(|s| s.store.path()).map(Path::to_path_buf);
        match purpose {
            PickPurpose::Open => self.open_project(&path),
            PickPurpose::New => self.run_command(ctx, AppCommand::NewProject(path)),
            PickPurpose::Import => self.run_command(ctx, AppCommand::StartImport(path)),
            PickPurpose::SaveCopy => self.run_command(ctx, AppCommand::SaveCopy(path, CopyOptions::default())),
            PickPurpose::SaveBlindCopy => {
                let options = CopyOptions { without_codings: true, ..CopyOptions::default() };
                self.run_command(ctx, AppCommand::SaveCopy(path, options));
            }
            PickPurpose::ImportAttributes => self.import_attributes_file(&path),
            PickPurpose::ImportTranscript => self.start_transcript(path),
            PickPurpose::ImportTranscriptTranslation => {
                let language = self.settings.language;
                if let Some(dialog) = &mut self.ui.dialogs.transcript {
                    match read_transcript_file(&path) {
                        Ok(translation) => dialog.translation = Some(translation),
                        Err(error) => {
                            dialog.translation = None;
                            dialog.plan = None;
                            dialog.error = Some(error.localized(language));
                        }
                    }
                    dialog.translation_path = Some(path);
                }
                self.plan_transcript();
            }
            PickPurpose::MergeCopy => {
                if let Some(store) = self.lend_store() {
                    let started = self.jobs.merge_copy(ctx, store, path, tr);
                    self.take_back(started);
                }
            }
            PickPurpose::ImportRefi => {
                if let Some(store) = self.lend_store() {
                    let started = self.jobs.import_refi(ctx, store, path, self.coder(), tr);
                    self.take_back(started);
                }
            }
            PickPurpose::ExportRefi { codebook_only } => {
                if let Some(project) = project {
                    self.jobs.export_refi(ctx, project, path, codebook_only, tr);
                }
            }
            PickPurpose::ExportFrequencies(format) => {
                let Some(project) = project else {
                    return;
                };
                let analysis = &self.ui.analysis;
                let request = FrequencyExportRequest {
                    project,
                    target: path,
                    format,
                    chart: analysis.chart,
                    grouping: analysis.grouping,
                    filter: analysis.filter.clone(),
                };
                self.jobs.export_frequencies(ctx, request, tr);
            }
            PickPurpose::Export(_) => {
                if let (Some(dialog), Some(session), Some(project)) = (&self.ui.dialogs.export, &self.session, project)
                {
                    let request = dialog.request(&project, path, &session.view, tr);
                    self.ui.dialogs.export = None;
                    self.jobs.export(ctx, request, tr);
                }
            }
        }
    }

    /// Starts the import dialog's import (or check) in the background, and
    /// remembers its mapping for the next time this file is imported.
    fn run_import(&mut self, ctx: &egui::Context, dry_run: bool) {
        let tr = self.tr();
        let Some(dialog) = &mut self.ui.dialogs.import else {
            return;
        };
        dialog.error = None;
        dialog.checked = None;
        let request = dialog.request(dry_run);
        self.settings.remember_mapping(&dialog.path, dialog.mapping.to_remembered());
        if let Some(store) = self.lend_store() {
            let started = self.jobs.import(ctx, store, request, tr);
            self.take_back(started);
        }
    }

    /// Takes in what background jobs finished.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for outcome in self.jobs.poll() {
            self.take_outcome(ctx, outcome);
        }
    }

    /// Takes in what one background job finished.
    fn take_outcome(&mut self, ctx: &egui::Context, outcome: JobOutcome) {
        let tr = self.tr();
        match outcome {
            JobOutcome::Picked(purpose, Some(path)) => self.picked(ctx, purpose, path),
            JobOutcome::Picked(_, None) => {}
            JobOutcome::PickFailed(purpose) => {
                self.settings.own_file_chooser = true;
                self.report(tr.t(Msg::NoSystemDialog).to_owned());
                self.open_file_chooser(purpose);
            }
            JobOutcome::ExportedExchange { file, result } => match result {
                Ok(()) => self.report(tr.f(Msg::RefiExported, &[("file", &file)])),
                Err(message) => self.report_error(message),
            },
            JobOutcome::Imported { file, result } => match result {
                Ok(summary) if summary.dry_run => {
                    let mut message = tr.f(Msg::CheckDone, &[("file", &file), ("n", &summary.excerpts)]);
                    if let Some(first) = summary.short_rows.first() {
                        let n = summary.short_rows.len();
                        message = format!("{message} {}", tr.f(Msg::ShortRows, &[("n", &n), ("row", first)]));
                    }
                    if let Some(dialog) = &mut self.ui.dialogs.import {
                        dialog.checked = Some(message.clone());
                        dialog.check_summary = Some(summary.clone());
                    }
                    self.report(message);
                }
                Ok(summary) => {
                    self.ui.dialogs.import = None;
                    self.refresh(Changed::ALL);
                    self.report(tr.f(Msg::ImportDone, &[("n", &summary.excerpts), ("file", &file)]));
                }
                Err(message) => {
                    if let Some(dialog) = &mut self.ui.dialogs.import {
                        dialog.error = Some(message.clone());
                    }
                    self.report_error(message);
                }
            },
            JobOutcome::ImportedTranscript { file, result } => match result {
                Ok(summary) => {
                    self.ui.dialogs.transcript = None;
                    self.refresh(Changed::ALL);
                    self.report(tr.f(
                        Msg::TranscriptImported,
                        &[("file", &file), ("n", &summary.excerpts), ("source", &summary.source)],
                    ));
                }
                Err(message) => {
                    if let Some(dialog) = &mut self.ui.dialogs.transcript {
                        dialog.error = Some(message.clone());
                    }
                    self.report_error(message);
                }
            },
            JobOutcome::ImportedRefi { file, result } => match result {
                Ok(summary) => {
                    self.refresh(Changed::ALL);
                    let mut skipped = if summary.skipped_sources > 0 {
                        format!(" {}", tr.f(Msg::RefiSkipped, &[("n", &summary.skipped_sources)]))
                    } else {
                        String::new()
                    };
                    if !summary.missing_texts.is_empty() {
                        let names = summary.missing_texts.join(", ");
                        skipped.push_str(&format!(" {}", tr.f(Msg::RefiMissingTexts, &[("names", &names)])));
                    }
                    if !summary.unknown_users.is_empty() {
                        let coder = self.coder();
                        let n = summary.unknown_users.len();
                        skipped.push_str(&format!(" {}", tr.f(Msg::RefiUnknownUsers, &[("n", &n), ("coder", &coder)])));
                    }
                    let counts: [(&str, &dyn std::fmt::Display); 5] = [
                        ("file", &file),
                        ("codes", &summary.new_codes),
                        ("sources", &summary.sources),
                        ("excerpts", &summary.excerpts),
                        ("codings", &summary.codings),
                    ];
                    self.report(tr.f(Msg::RefiImported, &counts) + &skipped);
                }
                Err(message) => self.report_error(message),
            },
            JobOutcome::Merged { file, result } => match result {
                Ok(summary) => {
                    self.refresh(Changed::ALL);
                    let mut message = tr.f(
                        Msg::Merged,
                        &[
                            ("file", &file),
                            ("codings", &summary.codings),
                            ("codes", &summary.new_codes.len()),
                            ("memos", &summary.memos),
                            ("reviews", &summary.reviews),
                        ],
                    );
                    if summary.is_empty() {
                        message = format!("{message} {}", tr.t(Msg::MergeNothingNew));
                    }
                    self.report(message);
                    if !summary.conflicts.is_empty() || summary.unmatched_excerpts > 0 || !summary.is_empty() {
                        let settled = vec![None; summary.conflicts.len()];
                        self.ui.dialogs.merge = Some(MergeDialog { file, summary, settled });
                    }
                }
                Err(message) => self.report_error(message),
            },
            JobOutcome::Rekeyed { project, encrypting, result } => {
                self.open_project(&project);
                let file = project.display().to_string();
                match result {
                    Ok(()) => {
                        let msg = if encrypting { Msg::Encrypted } else { Msg::PassphraseChanged };
                        self.report(tr.f(msg, &[("file", &file)]));
                    }
                    Err(message) => self.report_error(message),
                }
            }
            JobOutcome::Exported { file, result } => match result {
                Ok(summary) => {
                    let mut message = tr.f(Msg::ExportDone, &[("n", &summary.quotes), ("file", &file)]);
                    if !summary.cut.is_empty() {
                        let ids = summary.cut.join(", ");
                        message =
                            format!("{message} {}", tr.f(Msg::CellsCut, &[("n", &summary.cut.len()), ("ids", &ids)]));
                    }
                    self.report(message);
                }
                Err(message) => self.report_error(message),
            },
            JobOutcome::ExportedTable { file, result } => match result {
                Ok(_) => self.report(tr.f(Msg::TableExported, &[("file", &file)])),
                Err(message) => self.report_error(message),
            },
            JobOutcome::Analyzed(result) => match *result {
                Ok(result) => self.ui.analysis.receive(result),
                Err(message) => {
                    self.ui.analysis.computing = None;
                    self.report_error(message);
                }
            },
            JobOutcome::Returned { store, outcome } => {
                // The project may have been closed, or another opened,
                // meanwhile: the store comes back only to its own session.
                if let Some(session) = &mut self.session
                    && session.store.path() == store.path()
                {
                    session.store = *store;
                }
                self.take_outcome(ctx, *outcome);
            }
            JobOutcome::Replayed { which, result } => self.replayed(which, result),
            JobOutcome::Cancelled => self.report(tr.t(Msg::Cancelled).to_owned()),
            JobOutcome::Refused { running } => self.report_error(tr.f(Msg::StillRunning, &[("job", &running)])),
        }
    }

    /// Starts the background count the analysis view on screen needs, if any.
    pub(super) fn start_needed_analysis(&mut self, ctx: &egui::Context) {
        let Some(request) = self.ui.analysis.needed() else {
            return;
        };
        let Some(project) = self.session.as_ref().and_then(|s| s.store.path()).map(Path::to_path_buf) else {
            return;
        };
        self.ui.analysis.computing = Some(request.clone());
        self.jobs.analyze(ctx, project, request, self.tr());
    }

    /// Fetches list rows for what was on screen last frame (and just around it).
    pub(super) fn load_visible_rows(&mut self) {
        let rows = self.ui.navigator.visible_rows.clone();
        let Some(session) = &mut self.session else {
            return;
        };
        let wanted = rows.start.saturating_sub(20)..rows.end + 40;
        if let Err(error) = session.view.ensure_previews(&session.store, wanted) {
            self.report_failure(&error);
        }
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
            Err(error) => self.report_failure(&error),
        }
    }

    /// The file name a save dialog suggests.
    fn default_file_name(&self, purpose: PickPurpose) -> Option<String> {
        let stem = self.session.as_ref().map(|s| s.view.title.clone()).unwrap_or_else(|| "project".to_owned());
        let safe: String =
            stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
        match purpose {
            PickPurpose::SaveCopy => Some(format!("{safe}-copy.quipu")),
            PickPurpose::SaveBlindCopy => Some(format!("{safe}-second-coder.quipu")),
            PickPurpose::New => Some("fieldwork.quipu".to_owned()),
            PickPurpose::Export(format) => Some(format!("quotes.{}", format.extension())),
            PickPurpose::ExportFrequencies(format) => Some(format!("frequencies.{}", format.extension())),
            PickPurpose::ExportRefi { codebook_only: false } => Some(format!("{safe}.qdpx")),
            PickPurpose::ExportRefi { codebook_only: true } => Some(format!("{safe}-codebook.qdc")),
            PickPurpose::Open
            | PickPurpose::MergeCopy
            | PickPurpose::Import
            | PickPurpose::ImportAttributes
            | PickPurpose::ImportRefi
            | PickPurpose::ImportTranscript
            | PickPurpose::ImportTranscriptTranslation => None,
        }
    }

    /// Opens the transcript dialog on `path` and reads it.
    fn start_transcript(&mut self, path: PathBuf) {
        let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
        // A new source goes into the case being read, else a case named after the file.
        let case = self
            .session
            .as_ref()
            .and_then(|session| session.view.current.as_ref().map(|current| current.case_name.clone()))
            .unwrap_or_else(|| stem.clone());
        let options = TranscriptOptions { case: Some(case), source: Some(stem), ..TranscriptOptions::default() };
        let (original, error) = match read_transcript_file(&path) {
            Ok(original) => (Some(original), None),
            Err(error) => (None, Some(error.localized(self.settings.language))),
        };
        self.ui.dialogs.transcript = Some(TranscriptDialog {
            path,
            translation_path: None,
            original,
            translation: None,
            options,
            interviewers_text: String::new(),
            plan: None,
            error,
            already_imported: None,
        });
        self.plan_transcript();
    }

    /// Cuts and pairs the transcript dialog's files, as read when chosen, with
    /// its options. Joins, splits and shifts made to the pairs start over.
    fn plan_transcript(&mut self) {
        let language = self.settings.language;
        let Some(dialog) = &mut self.ui.dialogs.transcript else {
            return;
        };
        dialog.options.interviewers = interviewer_labels(&dialog.interviewers_text);
        let Some(original) = &dialog.original else {
            return;
        };
        if dialog.translation_path.is_some() && dialog.translation.is_none() {
            return;
        }
        match plan_transcript(original, dialog.translation.as_ref(), &dialog.options) {
            Ok(plan) => {
                dialog.plan = Some(plan);
                dialog.error = None;
            }
            Err(error) => {
                dialog.plan = None;
                dialog.error = Some(error.localized(language));
            }
        }
    }
}

/// Adds `extension` to a path chosen in a save dialog if it has none.
fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(extension) }
}

/// Applies `edit` to the store as one undoable action by `coder`.
pub fn apply_edit(store: &mut Store, coder: &str, edit: &Edit) -> Result<EditOutcome, StoreError> {
    store.undoable(edit.label(), |store| {
        let mut outcome = EditOutcome::default();
        match edit {
            Edit::AddCoding { excerpt_id, code_id, anchor } => {
                let coder_id = store.ensure_coder(coder)?;
                store.add_coding(*excerpt_id, *code_id, coder_id, *anchor)?;
            }
            Edit::RemoveCoding { coding_id } => store.delete_coding(*coding_id)?,
            Edit::Recode { coding_id, code_id } => store.recode(*coding_id, *code_id)?,
            Edit::AddCode { name, parent_id } => {
                store.freeze_code_keys()?;
                let code_id = store.add_code(&CodeDraft {
                    name: name.clone(),
                    description: String::new(),
                    color: None,
                    parent_id: *parent_id,
                })?;
                store.give_free_key(code_id)?;
                outcome.new_code = Some(code_id);
            }
            Edit::RenameCode { code_id, name } => store.rename_code(*code_id, name)?,
            Edit::UpdateCode { code_id, name, color, description, memo, key } => {
                let code = store.code(*code_id)?;
                if code.name != *name {
                    store.rename_code(*code_id, name)?;
                }
                if code.color != *color {
                    store.set_code_color(*code_id, *color)?;
                }
                if code.description != *description {
                    store.set_code_description(*code_id, description)?;
                }
                if store.memo(MemoTarget::Code(*code_id))? != *memo {
                    store.set_memo(MemoTarget::Code(*code_id), memo)?;
                }
                let current_key = store.code_keys()?.into_iter().find(|(_, id)| id == code_id).map(|(key, _)| key);
                if current_key != *key {
                    store.set_code_key(*code_id, *key)?;
                }
            }
            Edit::SetCodeKey { code_id, key } => store.set_code_key(*code_id, *key)?,
            Edit::SettleDisagreement { excerpt_id, code_id, coders, settlement } => {
                store.settle_disagreement(*excerpt_id, *code_id, coders, *settlement)?
            }
            Edit::TakeTheirs(theirs) => store.take_theirs(theirs)?,
            Edit::RemoveSpeaker { name } => {
                store.remove_speaker(name)?;
            }
            Edit::MoveCode { code_id, parent_id } => store.move_code(*code_id, *parent_id)?,
            Edit::MergeCodes { source, target } => store.merge_codes(*source, *target)?,
            Edit::DeleteCode { code_id } => store.delete_code(*code_id)?,
            Edit::SetText { excerpt_id, side, text } => {
                outcome.lost_passages = store.set_excerpt_text(*excerpt_id, *side, text)?.lost;
            }
            Edit::SetStatus { excerpt_id, status, note } => store.set_translation_status(*excerpt_id, *status, note)?,
            Edit::SetMemo { target, text } => store.set_memo(*target, text)?,
            Edit::AddAttribute { scope, name, value_type } => {
                store.add_attribute(*scope, name, *value_type)?;
            }
            Edit::RenameAttribute { attribute_id, name } => store.rename_attribute(*attribute_id, name)?,
            Edit::RetypeAttribute { attribute_id, value_type } => {
                store.set_attribute_type(*attribute_id, *value_type)?
            }
            Edit::DeleteAttribute { attribute_id } => store.delete_attribute(*attribute_id)?,
            Edit::SetAttributeValue { attribute_id, owner, value } => match store.attribute(*attribute_id)?.scope {
                crate::model::AttributeScope::Case => {
                    store.set_case_attribute(crate::model::CaseId(*owner), *attribute_id, value)?
                }
                crate::model::AttributeScope::Source => {
                    store.set_source_attribute(crate::model::SourceId(*owner), *attribute_id, value)?
                }
            },
            Edit::SetPseudonym { source_id, pseudonym } => store.set_pseudonym(*source_id, pseudonym)?,
            Edit::AddCase { name } => {
                store.add_case(name, "")?;
            }
            Edit::AddSource { case_id, draft } => {
                store.add_source(*case_id, draft)?;
            }
            Edit::AddExcerpts { source_id, drafts } => {
                for draft in drafts {
                    let excerpt_id = store.add_excerpt(*source_id, draft)?;
                    outcome.show_excerpt.get_or_insert(excerpt_id);
                }
            }
            Edit::SplitExcerpt { excerpt_id, side, at } => {
                outcome.show_excerpt = Some(store.split_excerpt(*excerpt_id, *side, *at)?);
            }
            Edit::JoinWithNext { excerpt_id } => {
                store.join_with_next(*excerpt_id)?;
                outcome.show_excerpt = Some(*excerpt_id);
            }
            Edit::MoveExcerpt { excerpt_id, direction } => store.move_excerpt(*excerpt_id, *direction)?,
            Edit::MoveExcerptToSource { excerpt_id, source_id } => {
                store.move_excerpt_to_source(*excerpt_id, *source_id)?
            }
            Edit::DeleteExcerpt { excerpt_id } => {
                let next = store.next_excerpt(*excerpt_id)?.map(|excerpt| excerpt.excerpt_id);
                store.delete_excerpt(*excerpt_id)?;
                outcome.show_excerpt = next;
            }
            Edit::ShiftTranslation { excerpt_id, toward_next } => {
                store.shift_translation(*excerpt_id, *toward_next)?;
            }
            Edit::ImportAttributes { table, file } => {
                import_attributes(store, table, file).map_err(|error| {
                    StoreError::Invalid(Text::new(error.to_string(), error.localized(Language::Spanish)))
                })?;
            }
        }
        Ok(outcome)
    })
}
