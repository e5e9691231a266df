//! What the window remembers between frames that is not research data: the
//! excerpt being read, each panel's own state, the dialogs that are open and
//! their fields, and the open project itself ([`Session`]).
//!
//! Drawing code reads and changes only its own part of this; command handling
//! ([`super::command_handling`]) is the only code that changes the rest.

use std::path::{Path, PathBuf};

use crate::formats::ImportError;
use crate::formats::QuoteFormat;
use crate::formats::csv_import::{ColumnMapping, CsvOptions, CsvPreview, preview_csv};
use crate::formats::report::ReportOptions;
use crate::formats::transcript::{TranscriptFile, TranscriptOptions, TranscriptPlan};
use crate::model::{CaseId, CodeId, CodingId, ExcerptDraft, ExcerptId, Side, SourceDraft, SourceId};
use crate::store::{Filter, ImportSummary, Store};
use crate::text::CharSpan;

use super::i18n::{Msg, Tr};
use super::jobs::{ExportRequest, ImportRequest, PickPurpose};
use super::view_model::{CodeRow, ViewModel};
use super::workspace::AnalysisState;

/// The open project: its file and what the window shows of it.
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
    pub codings: Vec<CodingId>,
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
    /// The reader's own state.
    pub reader: ReaderState,
    /// The navigator's own state.
    pub navigator: NavigatorState,
    /// The codebook panel's own state.
    pub codebook: CodebookState,
    /// The dialogs that are open, with their fields.
    pub dialogs: Dialogs,
    /// The central view and the analysis views' state.
    pub analysis: AnalysisState,
    /// The last message for the status bar: (text, is an error).
    pub message: Option<(String, bool)>,
}

/// The reader's state.
#[derive(Debug, Default)]
pub struct ReaderState {
    /// The words selected in the reader, kept while focus moves to the codebook.
    pub selection: Option<TextSelection>,
    /// The sentence pair under the pointer: (excerpt, pair).
    pub hovered_pair: Option<(ExcerptId, usize)>,
    /// The codings window of a clicked passage, when open.
    pub passage_menu: Option<PassageMenu>,
    /// Scroll the reader to the current excerpt on the next frame (whole-source
    /// reading).
    pub scroll_to_selected: bool,
    /// The text being edited in the reader: (side, text).
    pub editing: Option<(Side, String)>,
    /// The review note being edited.
    pub status_note: Option<String>,
    /// IDs of the reader's two texts, so number keys work while they have focus.
    pub text_ids: Vec<egui::Id>,
    /// Where the text cursor stands in the reader: (excerpt, side, character).
    pub cursor: Option<(ExcerptId, Side, usize)>,
}

impl ReaderState {
    /// Forgets what belonged to the excerpt that was open, keeping a selection made
    /// in `next` (another excerpt of the same source).
    pub fn leave_excerpt(&mut self, next: Option<ExcerptId>) {
        if self.selection.is_some_and(|selection| Some(selection.excerpt_id) != next) {
            self.selection = None;
        }
        self.editing = None;
        self.status_note = None;
        self.hovered_pair = None;
        self.passage_menu = None;
    }
}

/// The navigator's state.
#[derive(Debug, Default)]
pub struct NavigatorState {
    /// The search box's text.
    pub search_text: String,
    /// Rows of the excerpt list on screen in the last frame.
    pub visible_rows: std::ops::Range<usize>,
    /// Scroll the list to the selected excerpt on the next frame.
    pub scroll_to_selected: bool,
}

/// The codebook panel's state.
#[derive(Debug, Default)]
pub struct CodebookState {
    /// The name typed for a new code.
    pub new_code_name: String,
    /// A code to scroll into view and mark on the next frame (a new code).
    pub reveal: Option<CodeId>,
    /// The code marked as just made or chosen.
    pub highlighted: Option<CodeId>,
}

/// The dialogs that are open, with their fields.
#[derive(Debug, Default)]
pub struct Dialogs {
    /// The quick-pick box, when open: what was typed.
    pub quick_pick: Option<String>,
    /// The code properties dialog, when open.
    pub code: Option<CodeDialog>,
    /// A question waiting for confirmation.
    pub confirm: Option<Confirm>,
    /// The CSV import dialog, when open.
    pub import: Option<ImportDialog>,
    /// The export dialog, when open.
    pub export: Option<ExportDialog>,
    /// The coder prompt, when open: the name typed.
    pub coder_prompt: Option<String>,
    /// The in-window file chooser, when open.
    pub file_chooser: Option<super::file_chooser::FileChooser>,
    /// The dialog making a case, source or excerpts, when open.
    pub new_item: Option<NewItem>,
    /// The transcript import dialog, when open.
    pub transcript: Option<TranscriptDialog>,
    /// What the last merge of a coder's copy brought in and left to settle,
    /// while its window is open.
    pub merge: Option<MergeDialog>,
    /// The speaker chooser for removing testimony, when open: the name chosen.
    pub remove_speaker: Option<String>,
    /// The passphrase prompt, when open.
    pub passphrase: Option<PassphraseDialog>,
    /// Whether the shortcuts window is open.
    pub show_shortcuts: bool,
    /// Whether the about window is open.
    pub show_about: bool,
}

/// The window after a merge: what came in, and the differences to settle.
#[derive(Debug, Clone)]
pub struct MergeDialog {
    /// The copy's file name.
    pub file: String,
    /// What the merge did.
    pub summary: crate::store::MergeSummary,
    /// Per conflict, how it was settled: `None` open, `Some(true)` the copy's
    /// version taken, `Some(false)` this project's kept.
    pub settled: Vec<Option<bool>>,
}

/// What a passphrase is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphrasePurpose {
    /// Opening an encrypted project.
    Open,
    /// Encrypting the open project.
    Encrypt,
    /// Changing the open project's passphrase.
    Change,
}

/// The passphrase prompt. The passphrase lives here only while it is typed.
#[derive(Debug, Clone)]
pub struct PassphraseDialog {
    /// The project file.
    pub path: PathBuf,
    /// What it is for.
    pub purpose: PassphrasePurpose,
    /// The passphrase typed.
    pub text: String,
    /// The new passphrase typed again (encrypting, changing).
    pub again: String,
    /// What was wrong with the last try.
    pub error: Option<String>,
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
    /// Delete an excerpt and its codings.
    DeleteExcerpt(ExcerptId),
    /// Remove everything a speaker said, with what goes counted.
    RemoveSpeaker {
        /// The speaker.
        name: String,
        /// What goes.
        removal: crate::store::Removal,
    },
}

/// What the "new" dialog makes.
#[derive(Debug, Clone, PartialEq)]
pub enum NewItem {
    /// A case.
    Case {
        /// Its name.
        name: String,
    },
    /// A source of a case.
    Source {
        /// The case.
        case_id: Option<CaseId>,
        /// Its fields.
        draft: SourceDraft,
    },
    /// Excerpts typed or pasted into a source.
    Excerpts {
        /// The source.
        source_id: Option<SourceId>,
        /// The original text (or a whole pasted transcript).
        original: String,
        /// The translation, if any.
        translation: String,
        /// Cut the text into speaker turns, as a transcript import would.
        as_turns: bool,
        /// The excerpts the text makes (read again when it changes), or why none.
        planned: Option<Result<Vec<ExcerptDraft>, String>>,
    },
}

/// The transcript import dialog: the files, where they go, and the pairs to
/// review (join, split, shift) before importing.
#[derive(Debug, Clone)]
pub struct TranscriptDialog {
    /// The transcript.
    pub path: PathBuf,
    /// The translation, if chosen.
    pub translation_path: Option<PathBuf>,
    /// The transcript as read, once, when it could be read.
    pub original: Option<TranscriptFile>,
    /// The translation as read, once, when chosen and readable.
    pub translation: Option<TranscriptFile>,
    /// Case, source, date, place, interviewer labels, languages and how to cut.
    pub options: TranscriptOptions,
    /// Interviewer labels as typed (comma-separated).
    pub interviewers_text: String,
    /// The pairs to review, when the files were read.
    pub plan: Option<TranscriptPlan>,
    /// Why the files could not be read or imported, if so.
    pub error: Option<String>,
    /// The question asked when a file is already in the chosen source.
    pub already_imported: Option<String>,
}

/// The code properties dialog's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeDialog {
    /// The code.
    pub code_id: CodeId,
    /// Its name.
    pub name: String,
    /// Its colour.
    pub color: [u8; 3],
    /// Its definition.
    pub description: String,
    /// Its memo.
    pub memo: String,
    /// The number key (1–9) that applies it, if any.
    pub key: Option<u8>,
}

impl CodeDialog {
    /// The dialog for a code as it is now.
    pub fn for_code(row: &CodeRow) -> Self {
        Self {
            code_id: row.code.code_id,
            name: row.code.name.clone(),
            color: [row.code.color.r, row.code.color.g, row.code.color.b],
            description: row.code.description.clone(),
            memo: row.memo.clone(),
            key: row.key,
        }
    }
}

/// Rows shown in the CSV import dialog's preview.
const PREVIEW_ROWS: usize = 6;

/// The CSV import dialog's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDialog {
    /// The file.
    pub path: PathBuf,
    /// Its first rows.
    pub preview: CsvPreview,
    /// The column chosen for each field.
    pub mapping: ColumnMapping,
    /// What separates code names.
    pub codes_separator: String,
    /// Who the file's codes are attributed to.
    pub coder: String,
    /// The last error, naming the row and column.
    pub error: Option<String>,
    /// The result of "check without importing".
    pub checked: Option<String>,
    /// What the check found: which code names meet existing codes, which are new.
    pub check_summary: Option<ImportSummary>,
    /// Code names in the file the person chose to read as an existing code.
    pub code_choices: Vec<(String, CodeId)>,
    /// True when the mapping was the one chosen last time for this file.
    pub mapping_remembered: bool,
}

impl ImportDialog {
    /// Reads the start of `path` and guesses the mapping, or takes `remembered`
    /// (the columns chosen for this file before) when its headers still fit.
    pub fn open(path: &Path, coder: String, remembered: Option<&[(String, String)]>) -> Result<Self, ImportError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| ImportError::Io { file: file.clone(), source })?;
        let preview = preview_csv(&bytes, &file, PREVIEW_ROWS)?;
        let mut mapping = preview.mapping.clone();
        let mapping_remembered = match remembered {
            Some(columns) => mapping.restore(columns),
            None => false,
        };
        Ok(Self {
            path: path.to_owned(),
            mapping,
            preview,
            codes_separator: ";".to_owned(),
            coder,
            error: None,
            checked: None,
            check_summary: None,
            code_choices: Vec::new(),
            mapping_remembered,
        })
    }

    /// The request for the background import.
    pub fn request(&self, dry_run: bool) -> ImportRequest {
        ImportRequest {
            file: self.path.clone(),
            mapping: self.mapping.clone(),
            options: CsvOptions { map: Vec::new(), codes_separator: self.codes_separator.clone() },
            coder: self.coder.clone(),
            code_choices: self.code_choices.clone(),
            dry_run,
        }
    }
}

/// The export dialog's choices: the format, and the report's options as the
/// core takes them (pseudonyms by default, sub-codes included).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    /// The file format.
    pub format: QuoteFormat,
    /// What goes in the report.
    pub options: ReportOptions,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            format: QuoteFormat::Docx,
            options: ReportOptions {
                filter: Filter { with_children: true, ..Filter::default() },
                ..ReportOptions::default()
            },
        }
    }
}

impl ExportDialog {
    /// The request for the background export to `target`, with the filter put
    /// in words for the "nothing to export" message.
    pub fn request(&self, project: &Path, target: PathBuf, view: &ViewModel, tr: Tr) -> ExportRequest {
        let mut options = self.options.clone();
        let filter = &options.filter;
        let mut described: Vec<String> =
            filter.codes.iter().filter_map(|id| view.code_row(*id).map(|row| format!("'{}'", row.path))).collect();
        described.extend(filter.cases.iter().map(|id| format!("'{}'", view.case_name(*id))));
        if !filter.speakers.is_empty() {
            described.push(tr.t(Msg::Speaker).to_lowercase());
        }
        described.extend(filter.coder_id.map(|id| format!("'{}'", view.coder_name(id))));
        described.extend(filter.statuses.iter().map(|status| tr.status(*status).to_owned()));
        if !described.is_empty() {
            // Put in words in the interface's language, which is the one shown.
            let words = format!("{} {}", tr.t(Msg::Filters).to_lowercase(), described.join(", "));
            options.filter_description = crate::language::Text::new(words.clone(), words);
        }
        ExportRequest { project: project.to_owned(), target, format: self.format, options }
    }

    /// The file dialog the Export button opens.
    pub fn pick_purpose(&self) -> PickPurpose {
        PickPurpose::Export(self.format)
    }
}
