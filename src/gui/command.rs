//! Commands: every change a person can make to the project from the window. Drawing
//! code only pushes commands; [`apply_edit`] is the one place that applies them to
//! the store, each as one transaction and one undo step.

use crate::formats::attributes_csv::{AttributeTable, import_attributes};
use crate::formats::refi::{RefiSummary, import_refi};
use crate::model::{
    AttributeId, AttributeScope, AttributeType, CaseId, CodeDraft, CodeId, CodingAnchor, CodingId, Color, ExcerptId,
    MemoTarget, Side, SourceId, TranslationStatus,
};
use crate::store::{Store, StoreError};

use super::i18n::{Language, Msg};
use super::view_model::Changed;

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
    /// Change a code's colour.
    RecolorCode {
        /// The code.
        code_id: CodeId,
        /// Its new colour.
        color: Color,
    },
    /// Change a code's definition.
    DescribeCode {
        /// The code.
        code_id: CodeId,
        /// The definition.
        description: String,
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
    /// Import attributes read from a CSV file.
    ImportAttributes {
        /// The file's rows.
        table: AttributeTable,
        /// The file's name, for messages.
        file: String,
    },
    /// Import a REFI-QDA project (.qdpx) or codebook (.qdc).
    ImportRefi {
        /// The file's bytes.
        bytes: Vec<u8>,
        /// The file's name, for messages.
        file: String,
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
            Self::RecolorCode { .. } => Msg::ActRecolorCode,
            Self::DescribeCode { .. } => Msg::ActDescribeCode,
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
            Self::ImportRefi { .. } => Msg::ActImportRefi,
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
            | Self::RecolorCode { .. }
            | Self::DescribeCode { .. }
            | Self::UpdateCode { .. }
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
            Self::ImportRefi { .. } => Changed::ALL,
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
    /// What a REFI-QDA import brought in.
    pub refi: Option<RefiSummary>,
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
                outcome.new_code = Some(store.add_code(&CodeDraft {
                    name: name.clone(),
                    description: String::new(),
                    color: None,
                    parent_id: *parent_id,
                })?);
            }
            Edit::RenameCode { code_id, name } => store.rename_code(*code_id, name)?,
            Edit::RecolorCode { code_id, color } => store.set_code_color(*code_id, *color)?,
            Edit::DescribeCode { code_id, description } => store.set_code_description(*code_id, description)?,
            Edit::UpdateCode { code_id, name, color, description, memo } => {
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
                AttributeScope::Case => store.set_case_attribute(CaseId(*owner), *attribute_id, value)?,
                AttributeScope::Source => store.set_source_attribute(SourceId(*owner), *attribute_id, value)?,
            },
            Edit::SetPseudonym { source_id, pseudonym } => store.set_pseudonym(*source_id, pseudonym)?,
            Edit::ImportAttributes { table, file } => {
                import_attributes(store, table, file).map_err(|error| StoreError::Invalid(error.to_string()))?;
            }
            Edit::ImportRefi { bytes, file } => {
                let summary =
                    import_refi(store, bytes, file, coder).map_err(|error| StoreError::Invalid(error.to_string()))?;
                outcome.refi = Some(summary);
            }
        }
        Ok(outcome)
    })
}
