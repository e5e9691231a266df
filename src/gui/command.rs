//! The window's vocabulary of requests: [`AppCommand`], everything drawing code
//! can ask for, and [`Edit`], every change a person can make to the project.
//! Drawing pushes these onto a [`CommandQueue`]; command handling
//! ([`super::command_handling`]) carries them out after the frame is drawn, each
//! edit as one transaction and one undo step. Nothing here touches the store.

use std::path::PathBuf;

use crate::formats::attributes_csv::AttributeTable;
use crate::model::{
    AttributeId, AttributeScope, AttributeType, CaseId, CodeId, CoderId, CodingAnchor, CodingId, Color, ExcerptDraft,
    ExcerptId, MemoTarget, Side, SourceDraft, SourceId, TranslationStatus,
};
use crate::store::{Filter, Grouping, Settlement, Theirs};

use super::i18n::{Language, Msg};
use super::jobs::PickPurpose;
use super::settings::ThemeChoice;
use super::state::Confirm;
use super::view_model::Changed;
use super::workspace::Workspace;

/// Everything the drawing code can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum AppCommand {
    /// Change the project.
    Edit(Edit),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Make an excerpt the current one (without moving the views).
    Select(Option<ExcerptId>),
    /// Open an excerpt chosen in the list: select it and bring it into view.
    Open(ExcerptId),
    /// Move the reader to the next (+1) or previous (-1) excerpt of the list.
    Step(i32),
    /// Filter the excerpt list.
    SetFilter(Filter),
    /// List the excerpts behind a frequency cell in the navigator.
    ListCell {
        /// How the table was grouped (`Grouping::All` for a row total).
        grouping: Grouping,
        /// The group's name.
        group: String,
        /// The code.
        code_id: CodeId,
        /// What the table counted.
        filter: Filter,
        /// What the list is called.
        label: String,
    },
    /// List the excerpts carrying both codes of a co-occurrence pair.
    ListPair {
        /// One code.
        first: CodeId,
        /// The other.
        second: CodeId,
        /// What the table counted.
        filter: Filter,
        /// What the list is called.
        label: String,
    },
    /// Read the passages where two codes overlap, for the co-occurrence hover.
    LoadPairPassages {
        /// One code (the lower ID).
        first: CodeId,
        /// The other.
        second: CodeId,
        /// What the table counted.
        filter: Filter,
    },
    /// Apply a code to the selected words, or to the whole excerpt.
    ApplyCode(CodeId),
    /// Apply the code given number key `1`–`9`.
    ApplyKey(u8),
    /// Open a project.
    OpenProject(PathBuf),
    /// Create a project and open it.
    NewProject(PathBuf),
    /// Open the bundled demo project.
    OpenDemo,
    /// Ask for a file, in the system's dialog or the window's own chooser.
    Pick(PickPurpose),
    /// A file was chosen for `purpose`.
    Picked(PickPurpose, PathBuf),
    /// Show the import dialog for a file.
    StartImport(PathBuf),
    /// Run the import dialog's import (or only check it, with `dry_run`).
    RunImport {
        /// Check only, write nothing.
        dry_run: bool,
    },
    /// Close the import dialog (cancelling its import if one runs).
    CloseImport,
    /// Show the export dialog.
    StartExport,
    /// Show the transcript import dialog for a file.
    StartTranscript(PathBuf),
    /// Cut and pair the transcript dialog's files again (how to cut changed).
    ReplanTranscript,
    /// Import the reviewed transcript (`again`: even if a file is already in that
    /// source).
    RunTranscriptImport {
        /// The person confirmed importing a file already in the source.
        again: bool,
    },
    /// Open the dialog that makes a case, a source or excerpts.
    OpenNewItem(super::state::NewItem),
    /// Open a disagreement of the agreement view for settling: read the excerpt
    /// and the compared coders' codings of the code there.
    CompareDisagreement {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The code.
        code_id: CodeId,
    },
    /// Save a consistent copy of the project, leaving out what the options say.
    SaveCopy(PathBuf, crate::store::CopyOptions),
    /// Change the interface language.
    SetLanguage(Language),
    /// Change the theme.
    SetTheme(ThemeChoice),
    /// Change the coder.
    SetCoder(String),
    /// Ask who is coding.
    AskCoder,
    /// Change the text size by this many points.
    ChangeTextSize(f32),
    /// Show or hide the codebook panel.
    ShowCodebook(bool),
    /// Show or hide the navigator panel.
    ShowNavigator(bool),
    /// Use the window's own file chooser instead of the system's dialog.
    UseOwnFileChooser(bool),
    /// Read one excerpt (false) or its whole source (true).
    SetWholeSource(bool),
    /// Cancel the running background job.
    CancelJob,
    /// Show another view in the central area.
    SetWorkspace(Workspace),
    /// Open the quick pick for codes.
    OpenQuickPick,
    /// Open a code's properties dialog.
    OpenCodeDialog(CodeId),
    /// Ask before a destructive action.
    Confirm(Confirm),
    /// Ask for a new passphrase, to encrypt the project or change its passphrase.
    AskNewPassphrase(super::state::PassphrasePurpose),
    /// Use the passphrase typed in the passphrase prompt.
    SubmitPassphrase,
    /// Ask which speaker's testimony to remove.
    ChooseSpeakerToRemove,
    /// Count what removing a speaker's testimony takes, and ask to confirm.
    AskRemoveSpeaker(String),
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Show what Quipu is.
    ShowAbout,
}

/// Commands pushed while drawing, carried out after the frame's drawing.
pub type CommandQueue = Vec<AppCommand>;

/// A change to the project.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Apply a code to an excerpt, whole or to a passage.
    AddCoding {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The code.
        code_id: CodeId,
        /// Whole or passage.
        anchor: CodingAnchor,
    },
    /// Remove a coding.
    RemoveCoding {
        /// The coding.
        coding_id: CodingId,
    },
    /// Give a coding another code.
    Recode {
        /// The coding.
        coding_id: CodingId,
        /// Its new code.
        code_id: CodeId,
    },
    /// Add a code.
    AddCode {
        /// Its name.
        name: String,
        /// The code it goes under.
        parent_id: Option<CodeId>,
    },
    /// Rename a code.
    RenameCode {
        /// The code.
        code_id: CodeId,
        /// Its new name.
        name: String,
    },
    /// Change a code's name, colour, definition and memo at once.
    UpdateCode {
        /// The code.
        code_id: CodeId,
        /// Its name.
        name: String,
        /// Its colour.
        color: Color,
        /// Its definition.
        description: String,
        /// Its memo.
        memo: String,
        /// Its number key.
        key: Option<u8>,
    },
    /// Move a code under another, or to the top level.
    MoveCode {
        /// The code.
        code_id: CodeId,
        /// Its new parent.
        parent_id: Option<CodeId>,
    },
    /// Merge one code into another.
    MergeCodes {
        /// The code that disappears.
        source: CodeId,
        /// The code that receives its codings.
        target: CodeId,
    },
    /// Delete a code and its codings.
    DeleteCode {
        /// The code.
        code_id: CodeId,
    },
    /// Replace one side's text of an excerpt.
    SetText {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// Which language.
        side: Side,
        /// The new text.
        text: String,
    },
    /// Set the review status of a translation.
    SetStatus {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The status.
        status: TranslationStatus,
        /// The reviewer's note.
        note: String,
    },
    /// Write a memo.
    SetMemo {
        /// What the memo is about.
        target: MemoTarget,
        /// Its text (empty removes it).
        text: String,
    },
    /// Add a case or source attribute.
    AddAttribute {
        /// Cases or sources.
        scope: AttributeScope,
        /// Its name.
        name: String,
        /// Its type.
        value_type: AttributeType,
    },
    /// Rename an attribute.
    RenameAttribute {
        /// The attribute.
        attribute_id: AttributeId,
        /// Its new name.
        name: String,
    },
    /// Change an attribute's type (refused if a value does not fit).
    RetypeAttribute {
        /// The attribute.
        attribute_id: AttributeId,
        /// Its new type.
        value_type: AttributeType,
    },
    /// Delete an attribute and its values.
    DeleteAttribute {
        /// The attribute.
        attribute_id: AttributeId,
    },
    /// Set (or clear) the value of an attribute for a case or source.
    SetAttributeValue {
        /// The attribute (its scope says whether `owner` is a case or a source).
        attribute_id: AttributeId,
        /// The case's or source's ID.
        owner: i64,
        /// The value; empty clears it.
        value: String,
    },
    /// Set the pseudonym of a source's speaker (on all of that speaker's sources).
    SetPseudonym {
        /// A source of the speaker.
        source_id: SourceId,
        /// The pseudonym; empty lets exports number the speaker.
        pseudonym: String,
    },
    /// Add a case.
    AddCase {
        /// Its name.
        name: String,
    },
    /// Add a source to a case.
    AddSource {
        /// The case.
        case_id: CaseId,
        /// Its name, speaker, role, place, date and interviewer.
        draft: SourceDraft,
    },
    /// Add excerpts typed or pasted into a source, at its end: one, or a pasted
    /// transcript cut into turns as an import would.
    AddExcerpts {
        /// The source.
        source_id: SourceId,
        /// The excerpts.
        drafts: Vec<ExcerptDraft>,
    },
    /// Split an excerpt at a character of one side.
    SplitExcerpt {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The side the cut is on.
        side: Side,
        /// The character the second part starts at.
        at: usize,
    },
    /// Join an excerpt with the next one of its source.
    JoinWithNext {
        /// The excerpt.
        excerpt_id: ExcerptId,
    },
    /// Move an excerpt up (-1) or down (1) in its source.
    MoveExcerpt {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// -1 or 1.
        direction: i32,
    },
    /// Move an excerpt to the end of another source.
    MoveExcerptToSource {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The source.
        source_id: SourceId,
    },
    /// Delete an excerpt with its codings.
    DeleteExcerpt {
        /// The excerpt.
        excerpt_id: ExcerptId,
    },
    /// Move an excerpt's translation to the next (or previous) excerpt.
    ShiftTranslation {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// Toward the next excerpt, else the previous one.
        toward_next: bool,
    },
    /// Import attributes read from a CSV file.
    ImportAttributes {
        /// The file's rows.
        table: AttributeTable,
        /// The file's name, for messages.
        file: String,
    },
    /// Settle a disagreement between coders on a code in an excerpt.
    SettleDisagreement {
        /// The excerpt.
        excerpt_id: ExcerptId,
        /// The code.
        code_id: CodeId,
        /// The coders compared.
        coders: Vec<CoderId>,
        /// How.
        settlement: Settlement,
    },
    /// Settle a merge conflict with the merged copy's version.
    TakeTheirs(Theirs),
    /// Remove everything a speaker said and every source recorded with them.
    RemoveSpeaker {
        /// The speaker's name.
        name: String,
    },
    /// Give a code a number key (1–9), or take its key away; another code holding
    /// that key loses it.
    SetCodeKey {
        /// The code.
        code_id: CodeId,
        /// The key.
        key: Option<u8>,
    },
}

impl Edit {
    /// What the undo menu calls this change (stored in English, shown translated).
    pub fn label(&self) -> &'static str {
        self.label_msg().text(Language::English)
    }

    fn label_msg(&self) -> Msg {
        match self {
            Self::AddCoding { .. } => Msg::ActCoding,
            Self::RemoveCoding { .. } => Msg::ActRemoveCoding,
            Self::Recode { .. } => Msg::ActRecode,
            Self::AddCode { .. } => Msg::ActNewCode,
            Self::RenameCode { .. } => Msg::ActRenameCode,
            Self::UpdateCode { .. } => Msg::ActCodeProperties,
            Self::MoveCode { .. } => Msg::ActMoveCode,
            Self::MergeCodes { .. } => Msg::ActMergeCodes,
            Self::DeleteCode { .. } => Msg::ActDeleteCode,
            Self::SetText { .. } => Msg::ActEditText,
            Self::SetStatus { .. } => Msg::ActStatus,
            Self::SetMemo { .. } => Msg::ActMemo,
            Self::AddAttribute { .. }
            | Self::RenameAttribute { .. }
            | Self::RetypeAttribute { .. }
            | Self::DeleteAttribute { .. }
            | Self::SetAttributeValue { .. } => Msg::ActAttribute,
            Self::SetPseudonym { .. } => Msg::ActPseudonym,
            Self::ImportAttributes { .. } => Msg::ActImportAttributes,
            Self::SetCodeKey { .. } => Msg::ActCodeKey,
            Self::AddCase { .. } => Msg::ActNewCase,
            Self::AddSource { .. } => Msg::ActNewSource,
            Self::AddExcerpts { .. } => Msg::ActNewExcerpts,
            Self::SplitExcerpt { .. } => Msg::ActSplit,
            Self::JoinWithNext { .. } => Msg::ActJoin,
            Self::MoveExcerpt { .. } | Self::MoveExcerptToSource { .. } => Msg::ActMoveExcerpt,
            Self::DeleteExcerpt { .. } => Msg::ActDeleteExcerpt,
            Self::ShiftTranslation { .. } => Msg::ActShiftTranslation,
            Self::SettleDisagreement { .. } => Msg::ActSettle,
            Self::TakeTheirs(_) => Msg::ActTakeTheirs,
            Self::RemoveSpeaker { .. } => Msg::ActRemoveSpeaker,
        }
    }

    /// What the change touches, for refreshing the view.
    pub fn changes(&self) -> Changed {
        match self {
            Self::AddCoding { .. } | Self::RemoveCoding { .. } | Self::Recode { .. } => {
                Changed { excerpts: true, codebook: true, ..Changed::default() }
            }
            Self::AddCode { .. }
            | Self::RenameCode { .. }
            | Self::UpdateCode { .. }
            | Self::SetCodeKey { .. }
            | Self::MoveCode { .. } => Changed { codebook: true, ..Changed::default() },
            Self::MergeCodes { .. } | Self::DeleteCode { .. } => {
                Changed { codebook: true, excerpts: true, ..Changed::default() }
            }
            Self::SetText { .. } | Self::SetStatus { .. } => Changed { excerpts: true, ..Changed::default() },
            Self::AddAttribute { .. }
            | Self::RenameAttribute { .. }
            | Self::RetypeAttribute { .. }
            | Self::DeleteAttribute { .. }
            | Self::SetAttributeValue { .. }
            | Self::ImportAttributes { .. } => Changed { attributes: true, ..Changed::default() },
            Self::SetPseudonym { .. } => Changed { corpus: true, attributes: true, ..Changed::default() },
            Self::AddCase { .. }
            | Self::AddSource { .. }
            | Self::AddExcerpts { .. }
            | Self::SplitExcerpt { .. }
            | Self::JoinWithNext { .. }
            | Self::MoveExcerpt { .. }
            | Self::MoveExcerptToSource { .. }
            | Self::DeleteExcerpt { .. }
            | Self::ShiftTranslation { .. }
            | Self::SettleDisagreement { .. }
            | Self::TakeTheirs(_)
            | Self::RemoveSpeaker { .. } => Changed::ALL,
            Self::SetMemo { target, .. } => match target {
                MemoTarget::Code(_) => Changed { codebook: true, ..Changed::default() },
                _ => Changed { excerpts: true, ..Changed::default() },
            },
        }
    }
}

/// What applying an edit produced that the window may want to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditOutcome {
    /// Coded passages whose words an edit removed (now flagged for review).
    pub lost_passages: usize,
    /// A code that was created.
    pub new_code: Option<CodeId>,
    /// An excerpt to show after the change (a new or split one).
    pub show_excerpt: Option<ExcerptId>,
}
