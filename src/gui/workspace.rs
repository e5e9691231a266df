//! What the central area shows (the reader, frequencies, co-occurrence,
//! attributes or agreement) and the state of the analysis views: their options,
//! the last results computed in the background, and whether the data changed
//! since.

use std::collections::HashMap;

use crate::analysis::agreement::{AgreementTable, Level};
use crate::analysis::{CooccurrenceTable, FrequencyTable};
use crate::formats::chart::ChartKind;
use crate::model::{CodeId, CoderId, Coding, Excerpt};
use crate::store::{Filter, Grouping, OverlapPassage};

/// Passages where two codes overlap, read when a co-occurrence cell is first
/// hovered, by the pair (lower code ID first).
pub type PairPassages = HashMap<(CodeId, CodeId), Vec<OverlapPassage>>;

/// The most codes the co-occurrence matrix draws: beyond it a grid is
/// unreadable and every frame draws rows × columns cells.
pub const MATRIX_MAX_CODES: usize = 40;

/// The codes the matrix shows, by index: those that meet another code, in
/// codebook order; where there are more than [`MATRIX_MAX_CODES`], the ones in
/// the most excerpts.
pub fn matrix_codes(table: &CooccurrenceTable) -> Vec<usize> {
    let mut meeting = table.meeting.clone();
    if meeting.len() > MATRIX_MAX_CODES {
        meeting.sort_by_key(|a| std::cmp::Reverse(table.totals[*a]));
        meeting.truncate(MATRIX_MAX_CODES);
        meeting.sort_unstable();
    }
    meeting
}

/// The view in the central area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Workspace {
    /// Reading and coding excerpts.
    #[default]
    Reader,
    /// Code frequencies per group.
    Frequencies,
    /// Code co-occurrence.
    Cooccurrence,
    /// Case and source attributes.
    Attributes,
    /// How far coders agree.
    Agreement,
}

/// What a frequency cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellMeasure {
    /// Excerpts carrying the code.
    #[default]
    Excerpts,
    /// Codings of the code.
    Codings,
    /// Share of the group's excerpts.
    Share,
    /// Distinct speakers.
    Speakers,
}

/// How the frequency table's rows are sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// In codebook order.
    #[default]
    Codebook,
    /// By a group's column.
    Group(usize),
    /// By the total.
    Total,
}

/// What the views compute in the background.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalysisRequest {
    /// A frequency table.
    Frequencies(Grouping, Filter),
    /// A co-occurrence table.
    Cooccurrence(Filter),
    /// Agreement between coders.
    Agreement(Vec<CoderId>, Level),
}

/// What a background analysis produced.
#[derive(Debug)]
pub enum AnalysisResult {
    /// A frequency table.
    Frequencies(FrequencyTable),
    /// A co-occurrence table.
    Cooccurrence(CooccurrenceTable),
    /// An agreement table, with the coders it compares.
    Agreement(Vec<CoderId>, AgreementTable),
}

/// A column the agreement table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgreementSort {
    /// In codebook order.
    #[default]
    Codebook,
    /// Units.
    Units,
    /// Share agreeing.
    Agreement,
    /// Kappa.
    Kappa,
    /// Alpha.
    Alpha,
}

/// One disagreement opened for settling: the excerpt and every coding of the
/// code by the coders compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The excerpt.
    pub excerpt: Excerpt,
    /// The code.
    pub code_id: CodeId,
    /// The compared coders' codings of that code there.
    pub codings: Vec<Coding>,
}

/// The agreement view's state.
#[derive(Debug, Default)]
pub struct AgreementView {
    /// The coders compared (two or more to compute anything).
    pub coders: Vec<CoderId>,
    /// Whether the coders were chosen yet (at first, every coder is).
    pub coders_chosen: bool,
    /// The unit.
    pub level: Level,
    /// The last table, with the coders it compares.
    pub table: Option<(Vec<CoderId>, AgreementTable)>,
    /// True when the project changed since the table was computed.
    pub stale: bool,
    /// Row order and direction (true: descending).
    pub sort: (AgreementSort, bool),
    /// The code whose disagreements are listed.
    pub selected_code: Option<CodeId>,
    /// The disagreement opened for settling.
    pub compared: Option<Comparison>,
}

/// The analysis views' state.
#[derive(Debug, Default)]
pub struct AnalysisState {
    /// The central view.
    pub workspace: Workspace,
    /// How frequencies are grouped.
    pub grouping: Grouping,
    /// Which codings frequencies and co-occurrence count.
    pub filter: Filter,
    /// The date filter as typed (checked before use).
    pub date_from_text: String,
    /// The date filter as typed.
    pub date_to_text: String,
    /// What frequency cells show.
    pub measure: CellMeasure,
    /// The chart beside the table.
    pub chart: ChartKind,
    /// Row order and direction (true: descending).
    pub sort: (SortColumn, bool),
    /// The last frequency table, with what it was computed for.
    pub frequencies: Option<FrequencyTable>,
    /// The last co-occurrence table.
    pub cooccurrence: Option<CooccurrenceTable>,
    /// True when the project changed since the frequency table was computed.
    pub frequencies_stale: bool,
    /// True when the project changed since the co-occurrence table was computed.
    pub cooccurrence_stale: bool,
    /// The request running in the background, if any.
    pub computing: Option<AnalysisRequest>,
    /// The codes the co-occurrence matrix draws, by index (see
    /// [`matrix_codes`]), chosen once when the table arrives.
    pub cooccurrence_shown: Vec<usize>,
    /// Overlapping passages of co-occurrence pairs hovered so far.
    pub pair_passages: PairPassages,
    /// The agreement view.
    pub agreement: AgreementView,
}

impl AnalysisState {
    /// The request the current view needs, if its table is missing, stale or was
    /// computed for other options.
    pub fn needed(&self) -> Option<AnalysisRequest> {
        let request = match self.workspace {
            Workspace::Frequencies => AnalysisRequest::Frequencies(self.grouping, self.filter.clone()),
            Workspace::Cooccurrence => AnalysisRequest::Cooccurrence(self.filter.clone()),
            Workspace::Agreement if self.agreement.coders.len() >= 2 => {
                AnalysisRequest::Agreement(self.agreement.coders.clone(), self.agreement.level)
            }
            _ => return None,
        };
        if self.computing.as_ref() == Some(&request) {
            return None;
        }
        let up_to_date = match &request {
            AnalysisRequest::Frequencies(grouping, filter) => {
                !self.frequencies_stale
                    && self.frequencies.as_ref().is_some_and(|t| t.grouping == *grouping && t.filter == *filter)
            }
            AnalysisRequest::Cooccurrence(filter) => {
                !self.cooccurrence_stale && self.cooccurrence.as_ref().is_some_and(|t| t.filter == *filter)
            }
            AnalysisRequest::Agreement(coders, level) => {
                !self.agreement.stale
                    && self
                        .agreement
                        .table
                        .as_ref()
                        .is_some_and(|(compared, t)| compared == coders && t.level == *level)
            }
        };
        (!up_to_date).then_some(request)
    }

    /// Takes in a finished analysis.
    pub fn receive(&mut self, result: AnalysisResult) {
        self.computing = None;
        match result {
            AnalysisResult::Frequencies(table) => {
                self.frequencies = Some(table);
                self.frequencies_stale = false;
            }
            AnalysisResult::Cooccurrence(table) => {
                self.cooccurrence_shown = matrix_codes(&table);
                self.cooccurrence = Some(table);
                self.cooccurrence_stale = false;
                self.pair_passages.clear();
            }
            AnalysisResult::Agreement(coders, table) => {
                self.agreement.table = Some((coders, table));
                self.agreement.stale = false;
            }
        }
    }

    /// Marks both tables as out of date (the project changed).
    pub fn mark_stale(&mut self) {
        self.frequencies_stale = true;
        self.cooccurrence_stale = true;
        self.agreement.stale = true;
        self.pair_passages.clear();
    }
}
