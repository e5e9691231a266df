//! Interviews as researchers keep them: one transcript per interview (Word,
//! LibreOffice, text or subtitles), cut into speaker turns, each turn one
//! excerpt, and paired with the translator's version of the same interview.
//!
//! [`read::read_transcript`] reads a file into paragraphs, [`turns`] cuts them
//! into turns, [`align`] pairs the turns of the two languages, and
//! [`plan_transcript`] puts it together as the excerpts of one source, which
//! [`import_transcript`] writes in one transaction.

pub mod align;
pub mod read;
pub mod turns;

use serde::Serialize;

use crate::bilingual;
use crate::formats::ImportError;
use crate::language::{Language, Text};
use crate::model::{ExcerptDraft, SourceDraft, TranslationStatus};
use crate::store::{ImportBatch, ImportRow, Store};

pub use align::{AlignedPair, Match, align_turns};
pub use read::{Paragraph, TranscriptFile, read_transcript, read_transcript_file};
pub use turns::{Turn, Turns, cut_into_turns};

/// How a transcript becomes excerpts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// One excerpt per speaker turn.
    #[default]
    Turns,
    /// One excerpt per paragraph.
    Paragraphs,
}

impl Split {
    /// Reads `turns` or `paragraphs`.
    pub fn parse(text: &str) -> Option<Split> {
        match text.trim().to_lowercase().as_str() {
            "turns" | "turnos" => Some(Split::Turns),
            "paragraphs" | "parrafos" | "párrafos" => Some(Split::Paragraphs),
            _ => None,
        }
    }
}

/// Where a transcript goes and how it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptOptions {
    /// The case (default: the file's name).
    pub case: Option<String>,
    /// The source (default: the file's name).
    pub source: Option<String>,
    /// When it was recorded (`yyyy`, `yyyy-mm`, `yyyy-mm-dd`), or empty.
    pub date: String,
    /// Where it was recorded, or empty.
    pub place: String,
    /// Labels that mark the interviewer besides the usual ones.
    pub interviewers: Vec<String>,
    /// The original's language tag.
    pub lang: String,
    /// The translation's language tag.
    pub translation_lang: String,
    /// Turns or paragraphs.
    pub split: Split,
}

impl Default for TranscriptOptions {
    fn default() -> Self {
        Self {
            case: None,
            source: None,
            date: String::new(),
            place: String::new(),
            interviewers: Vec::new(),
            lang: "es".to_owned(),
            translation_lang: "en".to_owned(),
            split: Split::Turns,
        }
    }
}

/// One excerpt a transcript will become.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedExcerpt {
    /// Who speaks, as the original labels them (or the translation, if the turn
    /// exists only there).
    pub speaker: String,
    /// True for the interviewer's turns.
    pub interviewer: bool,
    /// When it was said, or empty.
    pub time: String,
    /// The original text, if any.
    pub original: Option<String>,
    /// The translation, if any.
    pub translation: Option<String>,
    /// How the turns were matched (`1-1`, `1-0`, `0-1`, `2-1`, `1-2`).
    pub pairing: &'static str,
    /// True when the pairing is doubtful (the excerpt's translation is then a draft).
    pub uncertain: bool,
    /// Why it is doubtful, in English.
    pub note: String,
    #[serde(skip)]
    note_text: Option<Text>,
}

fn join_optional(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    }
}

impl PlannedExcerpt {
    /// A pairing mended by a person: no longer doubtful.
    fn mark_reviewed_by_hand(&mut self) {
        self.pairing = "edited";
        self.uncertain = false;
        self.note.clear();
        self.note_text = None;
    }

    /// Why the pairing is doubtful, in `language`.
    pub fn note_in(&self, language: Language) -> &str {
        self.note_text.as_ref().map_or("", |note| note.get(language))
    }
}

/// A transcript (and maybe its translation) ready to import as one source.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptPlan {
    /// The transcript's file name.
    pub file: String,
    /// The translation's file name, if one was given.
    pub translation_file: Option<String>,
    /// The case it goes to.
    pub case: String,
    /// The source it becomes.
    pub source: SourceDraft,
    /// The original's and translation's language tags.
    pub langs: (String, String),
    /// Its excerpts, in order.
    pub excerpts: Vec<PlannedExcerpt>,
    /// What had to be done to read the files (encodings converted).
    pub notes: Vec<Text>,
    /// (file name, fingerprint) of each file read.
    files: Vec<(String, String)>,
    /// Import even if a file is already in the same source (the person said so).
    pub again: bool,
}

/// What a transcript import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptSummary {
    /// The source the transcript became.
    pub source: String,
    /// Its case.
    pub case: String,
    /// Excerpts made.
    pub excerpts: usize,
    /// Of them, the interviewer's.
    pub interviewer_turns: usize,
    /// Excerpts whose pairing with the translation is doubtful (left as drafts).
    pub uncertain: usize,
    /// Excerpts without a translation.
    pub untranslated: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.trim().is_empty())
        .unwrap_or_else(|| "Transcript".to_owned())
}

fn join_texts(turns: &[Turn]) -> Option<String> {
    let text = turns.iter().map(|turn| turn.text.as_str()).collect::<Vec<_>>().join("\n\n");
    (!text.trim().is_empty()).then_some(text)
}

/// The label that speaks most among turns that are not the interviewer's.
fn main_speaker(turns: &[Turn], interviewer: bool) -> String {
    let mut words: Vec<(String, usize)> = Vec::new();
    for turn in turns.iter().filter(|turn| turn.interviewer == interviewer && !turn.label.is_empty()) {
        let length = turn.text.chars().count();
        match words.iter_mut().find(|(label, _)| *label == turn.label) {
            Some((_, total)) => *total += length,
            None => words.push((turn.label.clone(), length)),
        }
    }
    words.into_iter().max_by_key(|(_, total)| *total).map(|(label, _)| label).unwrap_or_default()
}

/// Interviewer labels typed as one list, separated by commas.
pub fn interviewer_labels(text: &str) -> Vec<String> {
    text.split(',').map(|label| label.trim().to_owned()).filter(|label| !label.is_empty()).collect()
}

/// Cuts the transcript (and its translation) into turns, pairs them, and plans
/// the source and excerpts.
pub fn plan_transcript(
    original: &TranscriptFile,
    translation: Option<&TranscriptFile>,
    options: &TranscriptOptions,
) -> Result<TranscriptPlan, ImportError> {
    let by_paragraph = options.split == Split::Paragraphs;
    let cut = cut_into_turns(&original.paragraphs, by_paragraph, &options.interviewers);
    if cut.turns.is_empty() {
        return Err(ImportError::file(
            &original.file,
            bilingual!("the transcript has no turns with text", "la transcripción no tiene turnos con texto"),
        ));
    }
    let mut notes: Vec<Text> = Vec::new();
    let mut files = vec![(original.file.clone(), original.fingerprint.clone())];
    if let Some(note) = &original.note {
        notes.push(Text::new(
            format!("{}: {}", original.file, note.get(Language::English)),
            format!("{}: {}", original.file, note.get(Language::Spanish)),
        ));
    }
    let excerpts = match translation {
        None => cut
            .turns
            .iter()
            .map(|turn| PlannedExcerpt {
                speaker: turn.label.clone(),
                interviewer: turn.interviewer,
                time: turn.time.clone(),
                original: Some(turn.text.clone()),
                translation: None,
                pairing: "1-0",
                uncertain: false,
                note: String::new(),
                note_text: None,
            })
            .collect(),
        Some(translated) => {
            files.push((translated.file.clone(), translated.fingerprint.clone()));
            if let Some(note) = &translated.note {
                notes.push(Text::new(
                    format!("{}: {}", translated.file, note.get(Language::English)),
                    format!("{}: {}", translated.file, note.get(Language::Spanish)),
                ));
            }
            let other = cut_into_turns(&translated.paragraphs, by_paragraph, &options.interviewers);
            align_turns(&cut.turns, &other.turns).into_iter().map(planned_from_pair).collect()
        }
    };
    let source = SourceDraft {
        speaker: main_speaker(&cut.turns, false),
        interviewer: main_speaker(&cut.turns, true),
        description: cut.preamble.clone(),
        ..SourceDraft::default()
    };
    let mut plan = TranscriptPlan {
        file: original.file.clone(),
        translation_file: translation.map(|file| file.file.clone()),
        case: String::new(),
        source,
        langs: (String::new(), String::new()),
        excerpts,
        notes,
        files,
        again: false,
    };
    plan.set_destination(options)?;
    Ok(plan)
}

impl TranscriptPlan {
    /// Where the transcript goes: case, source name, date, place and languages
    /// from `options` (case and source default to the file's name). The pairs,
    /// and any joins, splits and shifts made to them, stay as they are.
    pub fn set_destination(&mut self, options: &TranscriptOptions) -> Result<(), ImportError> {
        if !options.date.is_empty() && !crate::model::is_partial_date(&options.date) {
            return Err(ImportError::file(
                &self.file,
                bilingual!(
                    "the date '{}' is not written as yyyy, yyyy-mm or yyyy-mm-dd",
                    "la fecha '{}' no está escrita como aaaa, aaaa-mm o aaaa-mm-dd",
                    options.date
                ),
            ));
        }
        let named = |name: &Option<String>| {
            name.clone().filter(|name| !name.trim().is_empty()).unwrap_or_else(|| file_stem(&self.file))
        };
        self.case = named(&options.case);
        self.source.name = named(&options.source);
        self.source.date = options.date.clone();
        self.source.place = options.place.clone();
        self.langs = (options.lang.clone(), options.translation_lang.clone());
        Ok(())
    }
}

fn planned_from_pair(pair: AlignedPair) -> PlannedExcerpt {
    let lead = pair.original.first().or(pair.translation.first());
    let pairing = match pair.kind {
        Match::OneOne => "1-1",
        Match::OneNone => "1-0",
        Match::NoneOne => "0-1",
        Match::TwoOne => "2-1",
        Match::OneTwo => "1-2",
    };
    PlannedExcerpt {
        speaker: lead.map(|turn| turn.label.clone()).unwrap_or_default(),
        interviewer: lead.is_some_and(|turn| turn.interviewer),
        time: lead.map(|turn| turn.time.clone()).unwrap_or_default(),
        original: join_texts(&pair.original),
        translation: join_texts(&pair.translation),
        pairing,
        uncertain: pair.doubt.is_some(),
        note: pair.doubt.as_ref().map(ToString::to_string).unwrap_or_default(),
        note_text: pair.doubt,
    }
}

impl TranscriptPlan {
    /// The plan as rows of an import batch (one source, its excerpts in order).
    pub fn to_batch(&self) -> ImportBatch {
        let rows = self
            .excerpts
            .iter()
            .enumerate()
            .map(|(index, excerpt)| {
                let status = if excerpt.uncertain && excerpt.translation.is_some() {
                    TranslationStatus::Draft
                } else {
                    TranslationStatus::default_for(excerpt.translation.as_deref())
                };
                ImportRow {
                    row_number: index + 1,
                    case_name: self.case.clone(),
                    source: self.source.clone(),
                    excerpt: ExcerptDraft {
                        label: String::new(),
                        original: excerpt.original.clone(),
                        original_lang: self.langs.0.clone(),
                        translation: excerpt.translation.clone(),
                        translation_lang: self.langs.1.clone(),
                        translation_status: status,
                        translation_note: excerpt.note.clone(),
                        speaker: excerpt.speaker.clone(),
                        interviewer: excerpt.interviewer,
                        time: excerpt.time.clone(),
                    },
                    codes: Vec::new(),
                    memo: String::new(),
                }
            })
            .collect();
        ImportBatch { rows, code_choices: Vec::new() }
    }

    /// A file of the plan already imported into the same source: (file, case,
    /// source), if any.
    pub fn already_imported(&self, store: &Store) -> Result<Option<(String, String, String)>, ImportError> {
        for (file, fingerprint) in &self.files {
            let holders = store.sources_holding_file(fingerprint)?;
            if let Some((case, source)) = holders.into_iter().find(|(case, source)| {
                case.eq_ignore_ascii_case(&self.case) && source.eq_ignore_ascii_case(&self.source.name)
            }) {
                return Ok(Some((file.clone(), case, source)));
            }
        }
        Ok(None)
    }

    /// The excerpts the plan makes, as drafts (for pasting into a source).
    pub fn excerpt_drafts(&self) -> Vec<ExcerptDraft> {
        self.to_batch().rows.into_iter().map(|row| row.excerpt).collect()
    }

    /// Joins excerpt `index` with the next (texts joined by a blank line).
    pub fn join(&mut self, index: usize) {
        if index + 1 >= self.excerpts.len() {
            return;
        }
        let next = self.excerpts.remove(index + 1);
        let excerpt = &mut self.excerpts[index];
        excerpt.original = join_optional(excerpt.original.take(), next.original);
        excerpt.translation = join_optional(excerpt.translation.take(), next.translation);
        excerpt.mark_reviewed_by_hand();
    }

    /// Splits excerpt `index` at its first blank line (each language at its own
    /// first blank line; a translation without one stays with the first part).
    pub fn split(&mut self, index: usize) {
        let Some(excerpt) = self.excerpts.get_mut(index) else {
            return;
        };
        let Some((first, second)) = excerpt.original.as_deref().and_then(|text| text.split_once("\n\n")) else {
            return;
        };
        let (first, second) = (first.trim().to_owned(), second.trim().to_owned());
        let (translation_first, translation_second) = match excerpt.translation.as_deref() {
            Some(text) => match text.split_once("\n\n") {
                Some((a, b)) => (Some(a.trim().to_owned()), Some(b.trim().to_owned())),
                None => (Some(text.to_owned()), None),
            },
            None => (None, None),
        };
        let mut second_excerpt = excerpt.clone();
        excerpt.original = Some(first);
        excerpt.translation = translation_first;
        excerpt.mark_reviewed_by_hand();
        second_excerpt.original = Some(second);
        second_excerpt.translation = translation_second;
        second_excerpt.mark_reviewed_by_hand();
        self.excerpts.insert(index + 1, second_excerpt);
    }

    /// Moves excerpt `index`'s translation onto the next (or previous) excerpt,
    /// joined to the translation there.
    pub fn shift_translation(&mut self, index: usize, toward_next: bool) {
        let target = if toward_next { index + 1 } else { index.wrapping_sub(1) };
        if target >= self.excerpts.len() || index >= self.excerpts.len() {
            return;
        }
        let Some(moved) = self.excerpts[index].translation.take() else {
            return;
        };
        let there = self.excerpts[target].translation.take();
        self.excerpts[target].translation =
            if toward_next { join_optional(Some(moved), there) } else { join_optional(there, Some(moved)) };
        self.excerpts[index].mark_reviewed_by_hand();
        self.excerpts[target].mark_reviewed_by_hand();
        // An excerpt left with no text at all goes.
        self.excerpts.retain(|excerpt| excerpt.original.is_some() || excerpt.translation.is_some());
    }

    /// What importing it does (or would do).
    fn summary(&self, dry_run: bool) -> TranscriptSummary {
        TranscriptSummary {
            source: self.source.name.clone(),
            case: self.case.clone(),
            excerpts: self.excerpts.len(),
            interviewer_turns: self.excerpts.iter().filter(|excerpt| excerpt.interviewer).count(),
            uncertain: self.excerpts.iter().filter(|excerpt| excerpt.uncertain).count(),
            untranslated: self.excerpts.iter().filter(|excerpt| excerpt.translation.is_none()).count(),
            dry_run,
        }
    }
}

/// Excerpts from text typed or pasted into a source: cut into speaker turns (or
/// kept as one excerpt when it has no labels and `as_turns` is off), paired with
/// a pasted translation.
pub fn excerpts_from_text(
    original: &str,
    translation: Option<&str>,
    as_turns: bool,
    options: &TranscriptOptions,
) -> Result<Vec<ExcerptDraft>, ImportError> {
    if !as_turns {
        let draft = ExcerptDraft {
            original: Some(crate::text::normalized(original.trim())).filter(|text| !text.is_empty()),
            original_lang: options.lang.clone(),
            translation: translation.map(|text| crate::text::normalized(text.trim())).filter(|text| !text.is_empty()),
            translation_lang: options.translation_lang.clone(),
            ..ExcerptDraft::default()
        };
        let draft =
            ExcerptDraft { translation_status: TranslationStatus::default_for(draft.translation.as_deref()), ..draft };
        return Ok(if draft.original.is_none() && draft.translation.is_none() { Vec::new() } else { vec![draft] });
    }
    let pasted = read_transcript(original.as_bytes(), "pasted.txt")?;
    let other = match translation.filter(|text| !text.trim().is_empty()) {
        Some(text) => Some(read_transcript(text.as_bytes(), "pasted.txt")?),
        None => None,
    };
    let plan = plan_transcript(&pasted, other.as_ref(), options)?;
    Ok(plan.excerpt_drafts())
}

/// Writes the planned source and excerpts in one transaction, attributed to
/// `coder` (who imported it). A file already imported into the same source is
/// refused, naming that source, and nothing changes. With `dry_run`, checks and
/// writes nothing.
pub fn import_transcript(
    store: &mut Store,
    plan: &TranscriptPlan,
    coder: &str,
    dry_run: bool,
) -> Result<TranscriptSummary, ImportError> {
    if let Some((file, case, source)) = plan.already_imported(store)?
        && !plan.again
    {
        return Err(ImportError::file(
            &file,
            bilingual!(
                "this file is already in the source '{source}' of case '{case}'; it was not imported again",
                "este archivo ya está en la fuente '{source}' del caso '{case}'; no se importó de nuevo"
            ),
        ));
    }
    store.atomically(|store| {
        store.import_batch(&plan.to_batch(), coder, dry_run)?;
        if !dry_run {
            for (file, fingerprint) in &plan.files {
                store.record_source_file(&plan.case, &plan.source.name, fingerprint, file)?;
            }
        }
        Ok::<(), ImportError>(())
    })?;
    Ok(plan.summary(dry_run))
}
