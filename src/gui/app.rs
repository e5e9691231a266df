//! The `eframe::App` shell: the open project, preferences, interface state and
//! background jobs, tied together once per frame. Each panel draws from the view
//! model and its own state and pushes commands; command handling
//! ([`super::command_handling`]) carries them out after the panels are drawn.

use std::path::PathBuf;

use crate::store::Store;

pub use super::command::AppCommand;
use super::i18n::Tr;
use super::jobs::Jobs;
use super::panels::{self, PanelContext};
pub use super::settings::{Settings, ThemeChoice, demo_path};
pub use super::state::{Confirm, PassageMenu, Session, TextSelection, UiState};
use super::workspace::Workspace;

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
            // The first run asks who is coding; the name is never guessed.
            ui.dialogs.coder_prompt = Some(String::new());
        }
        Self { session: None, settings, ui, jobs: Jobs::default(), pending: Vec::new(), applied_style: None }
    }

    /// The interface's words.
    pub fn tr(&self) -> Tr {
        Tr { language: self.settings.language }
    }

    /// The coder's name (empty until the person has said it).
    pub fn coder(&self) -> String {
        self.settings.coder.trim().to_owned()
    }

    fn apply_style(&mut self, ctx: &egui::Context) {
        let key = (self.settings.theme, self.settings.text_size.to_bits());
        if self.applied_style == Some(key) {
            return;
        }
        if self.applied_style.is_none() {
            super::theme::install_fallback_fonts(ctx);
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
        let tr = self.tr();
        let ui_state = &mut self.ui;
        let mut context = PanelContext {
            tr,
            view: self.session.as_ref().map(|session| &session.view),
            settings: &self.settings,
            selected: ui_state.selected,
            running_job: self.jobs.running.as_ref(),
            commands: &mut self.pending,
        };
        panels::menu::menu_bar_ui(ui, &mut context);
        panels::status::status_bar_ui(ui, &mut context, &ui_state.message);
        panels::workspace_tabs::workspace_tabs_ui(ui, &mut context, &ui_state.analysis);
        let workspace = ui_state.analysis.workspace;
        if context.settings.show_codebook && workspace == Workspace::Reader {
            panels::codebook::codebook_panel_ui(ui, &mut context, &mut ui_state.codebook);
        }
        if context.settings.show_navigator {
            panels::navigator::navigator_panel_ui(ui, &mut context, &mut ui_state.navigator, workspace);
        }
        match workspace {
            Workspace::Reader => panels::reader::reader_panel_ui(ui, &mut context, &mut ui_state.reader),
            Workspace::Frequencies => {
                panels::frequencies::frequencies_panel_ui(ui, &mut context, &mut ui_state.analysis)
            }
            Workspace::Cooccurrence => {
                panels::cooccurrence::cooccurrence_panel_ui(ui, &mut context, &mut ui_state.analysis)
            }
            Workspace::Attributes => panels::attributes::attributes_panel_ui(ui, &mut context),
            Workspace::Agreement => {
                panels::agreement::agreement_panel_ui(ui, &mut context, &mut ui_state.analysis.agreement)
            }
        }
        panels::dialogs::dialogs_ui(ui, &mut context, &mut ui_state.dialogs);
        panels::import::handle_dropped_files(ui, &mut context);
        self.run_pending(&ctx);
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
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
