//! The window's view model: everything expensive to compute (counts, lists, the
//! excerpt on screen) is read from the store here, once per change, and kept until
//! the data changes again. Drawing code reads only from this, never from the store.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{
    AttributeId, AttributeScope, Case, Code, CodeId, Coder, CoderId, Coding, CodingAnchor, Excerpt, ExcerptId,
    MemoTarget, Side, Source,
};
use crate::store::{Attribute, ExcerptPreview, Filter, SourceSummary, Store, StoreResult};
use crate::text::{self, CharSpan};

/// Rows of the excerpt list fetched at a time.
pub const PREVIEW_PAGE: usize = 100;

/// What a change touched, so only that is read again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed {
    /// Codes, their names, colours, hierarchy or counts.
    pub codebook: bool,
    /// Cases, sources or which excerpts exist.
    pub corpus: bool,
    /// The texts, statuses or codings of excerpts (list rows and the reader).
    pub excerpts: bool,
    /// Case or source attributes.
    pub attributes: bool,
}

impl Changed {
    /// Everything.
    pub const ALL: Changed = Changed { codebook: true, corpus: true, excerpts: true, attributes: true };
}

/// A code as the codebook panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRow {
    /// The code.
    pub code: Code,
    /// How deep in the hierarchy (0 = top level).
    pub depth: usize,
    /// Whether other codes sit under it.
    pub has_children: bool,
    /// Distinct excerpts carrying it.
    pub excerpts: u64,
    /// Its codings.
    pub codings: u64,
    /// The code's memo.
    pub memo: String,
    /// The number key (1–9) that applies it, if any.
    pub key: Option<u8>,
    /// Its name with its parents' names (`Parent/Child`), for places where names
    /// repeat or the hierarchy is not drawn.
    /// What the code is called where codes are listed flat: its name, or its
    /// path where another code has the same name.
    pub label: String,
    pub path: String,
}

/// A coding on the excerpt being read, with what the reader shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodingView {
    /// The coding.
    pub coding: Coding,
    /// Its code's name.
    pub code_name: String,
    /// Its code's colour.
    pub color: crate::model::Color,
    /// Who coded it.
    pub coder_name: String,
    /// Its memo.
    pub memo: String,
    /// For a passage, the aligned passage in the other language.
    pub counterpart: Option<CharSpan>,
}

/// The excerpt open in the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ExcerptView {
    /// The excerpt.
    pub excerpt: Excerpt,
    /// Its source.
    pub source: Source,
    /// Its case's name.
    pub case_name: String,
    /// Its codings.
    pub codings: Vec<CodingView>,
    /// Its memo.
    pub memo: String,
    /// Sentence spans of the original.
    pub original_sentences: Vec<CharSpan>,
    /// Sentence spans of the translation.
    pub translation_sentences: Vec<CharSpan>,
    /// Pairs of (original sentence range, translation sentence range).
    pub alignment: Vec<(Range<usize>, Range<usize>)>,
    /// Where the list's search text matches the original and the translation,
    /// marked in the reader.
    pub search_matches: (Vec<CharSpan>, Vec<CharSpan>),
}

impl ExcerptView {
    /// Where the search matches one side.
    pub fn search_matches(&self, side: Side) -> &[CharSpan] {
        match side {
            Side::Original => &self.search_matches.0,
            Side::Translation => &self.search_matches.1,
        }
    }

    /// Finds where `search` matches each side (nothing for an empty search).
    fn mark_search(&mut self, search: &str) {
        let matches = |text: Option<&str>| match text {
            Some(text) if !search.trim().is_empty() => text::search_matches(text, search, true),
            _ => Vec::new(),
        };
        self.search_matches = (matches(self.excerpt.original.as_deref()), matches(self.excerpt.translation.as_deref()));
    }

    /// The sentences of one side.
    pub fn sentences(&self, side: Side) -> &[CharSpan] {
        match side {
            Side::Original => &self.original_sentences,
            Side::Translation => &self.translation_sentences,
        }
    }

    /// The aligned pair holding the sentence at `char_index` of `side`.
    pub fn pair_at(&self, side: Side, char_index: usize) -> Option<usize> {
        let sentences = self.sentences(side);
        let sentence = sentences.iter().position(|span| span.start.0 <= char_index && char_index < span.end.0)?;
        self.alignment.iter().position(|(original, translation)| {
            let range = if side == Side::Original { original } else { translation };
            range.contains(&sentence)
        })
    }

    /// The character span a sentence pair covers on one side.
    pub fn pair_span(&self, side: Side, pair: usize) -> Option<CharSpan> {
        let (original, translation) = self.alignment.get(pair)?;
        let range = if side == Side::Original { original } else { translation };
        let sentences = self.sentences(side);
        let first = sentences.get(range.start)?;
        let last = sentences.get(range.end.checked_sub(1)?)?;
        Some(CharSpan { start: first.start, end: last.end })
    }

    /// The codings that cover character `char_index` of `side` (whole-excerpt
    /// codings excluded).
    pub fn codings_at(&self, side: Side, char_index: usize) -> Vec<&CodingView> {
        self.codings
            .iter()
            .filter(|view| match view.coding.anchor {
                CodingAnchor::Passage { side: coded_side, span } => {
                    coded_side == side && span.start.0 <= char_index && char_index < span.end.0
                }
                CodingAnchor::Whole => false,
            })
            .collect()
    }
}

/// Everything the window shows, read from the store.
#[derive(Debug, Default)]
pub struct ViewModel {
    /// The project's title (or file name).
    pub title: String,
    /// The project file.
    pub path: Option<std::path::PathBuf>,
    /// True when the project could be opened only to read it: editing is off.
    pub read_only: bool,
    /// True when the project file is encrypted.
    pub encrypted: bool,
    /// What Undo would take back (its stored label), if anything.
    pub undo_label: Option<String>,
    /// What Redo would bring back, if anything.
    pub redo_label: Option<String>,
    /// Cases, by name.
    pub cases: Vec<Case>,
    /// Sources with their excerpt counts.
    pub sources: Vec<SourceSummary>,
    /// Distinct speakers.
    pub speakers: Vec<String>,
    /// The codebook in display order, with counts.
    pub codes: Vec<CodeRow>,
    /// Coders.
    pub coders: Vec<Coder>,
    /// Excerpts in the project.
    pub total_excerpts: usize,
    /// The list's filter.
    pub filter: Filter,
    /// The filtered list, in reading order.
    pub excerpt_ids: Vec<ExcerptId>,
    /// List rows already fetched, by page.
    preview_pages: HashMap<usize, Vec<ExcerptPreview>>,
    /// The excerpt open in the reader.
    pub current: Option<ExcerptView>,
    /// Whether the reader shows the current excerpt's whole source.
    pub whole_source: bool,
    /// The excerpts of the current excerpt's source, in order, when reading the
    /// whole source.
    pub source_views: Vec<ExcerptView>,
    /// How many times the store was read for the lists (for tests and the benchmark).
    pub list_queries: usize,
    /// Case and source attributes.
    pub attributes: Vec<Attribute>,
    /// Attribute values by (attribute, case or source ID).
    pub attribute_values: HashMap<(AttributeId, i64), String>,
}

impl ViewModel {
    /// Reads everything from the store with `filter` on the list.
    pub fn load(store: &Store, filter: Filter) -> StoreResult<ViewModel> {
        // What the project is stays as it was opened, whichever connection a
        // later refresh reads through (a background job may have the store,
        // leaving the window a read-only stand-in on the same file).
        let mut view = ViewModel {
            filter,
            path: store.path().map(std::path::Path::to_path_buf),
            read_only: store.is_read_only(),
            encrypted: store.is_encrypted(),
            ..ViewModel::default()
        };
        view.refresh(store, Changed::ALL, None)?;
        Ok(view)
    }

    /// Reads again what `changed` touched. `current` is the excerpt to show.
    pub fn refresh(&mut self, store: &Store, changed: Changed, current: Option<ExcerptId>) -> StoreResult<()> {
        self.undo_label = store.undo_label().map(str::to_owned);
        self.redo_label = store.redo_label().map(str::to_owned);
        if changed.corpus || self.title.is_empty() {
            self.title = match store.setting("title")? {
                Some(title) => title,
                None => store
                    .path()
                    .and_then(|path| path.file_stem())
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Quipu".to_owned()),
            };
        }
        if changed.corpus {
            self.cases = store.cases()?;
            self.sources = store.source_summaries()?;
            self.speakers = store.speakers()?;
            self.total_excerpts = store.excerpt_count()?;
        }
        if changed.attributes || changed.corpus {
            self.load_attributes(store)?;
        }
        if changed.codebook || changed.excerpts || changed.corpus {
            self.load_codes(store)?;
            self.coders = store.coders()?;
        }
        // Membership of the list changes with the corpus, or with codings and texts
        // when the filter looks at them; otherwise only the rows' contents change.
        let filter_reads_excerpts = !self.filter.codes.is_empty()
            || self.filter.coder_id.is_some()
            || !self.filter.statuses.is_empty()
            || !self.filter.search.trim().is_empty();
        if changed.corpus
            || (changed.excerpts && filter_reads_excerpts)
            || (changed.codebook && !self.filter.codes.is_empty())
        {
            self.reload_list(store)?;
        } else if changed.excerpts {
            self.preview_pages.clear();
        }
        self.current = match current {
            Some(excerpt_id) => Self::load_excerpt(store, excerpt_id, &self.codes, &self.coders)?,
            None => None,
        };
        self.source_views.clear();
        if self.whole_source
            && let Some(view) = &self.current
        {
            for excerpt in store.excerpts_of_source(view.source.source_id)? {
                if excerpt.excerpt_id == view.excerpt.excerpt_id {
                    self.source_views.push(view.clone());
                } else if let Some(other) = Self::load_excerpt(store, excerpt.excerpt_id, &self.codes, &self.coders)? {
                    self.source_views.push(other);
                }
            }
        }
        self.mark_search();
        Ok(())
    }

    fn load_attributes(&mut self, store: &Store) -> StoreResult<()> {
        self.attributes = store.attributes(AttributeScope::Case)?;
        self.attributes.extend(store.attributes(AttributeScope::Source)?);
        self.attribute_values.clear();
        for case in &self.cases {
            for value in store.case_attributes(case.case_id)? {
                self.attribute_values.insert((value.attribute_id, case.case_id.0), value.value);
            }
        }
        for source in &self.sources {
            for value in store.source_attributes(source.source_id)? {
                self.attribute_values.insert((value.attribute_id, source.source_id.0), value.value);
            }
        }
        Ok(())
    }

    fn load_codes(&mut self, store: &Store) -> StoreResult<()> {
        let codes = store.codes()?;
        let counts: HashMap<CodeId, (u64, u64)> =
            store.code_counts()?.into_iter().map(|count| (count.code_id, (count.excerpts, count.codings))).collect();
        let keys: HashMap<CodeId, u8> = store.code_keys()?.into_iter().map(|(key, code_id)| (code_id, key)).collect();
        let parents: std::collections::HashSet<CodeId> = codes.iter().filter_map(|code| code.parent_id).collect();
        let labels = crate::model::code_labels(&codes);
        // Codes come parent first, so a parent's depth and path are known before its children's.
        let mut placed: HashMap<CodeId, (usize, String)> = HashMap::new();
        let mut rows = Vec::with_capacity(codes.len());
        for code in &codes {
            let (depth, path) = match code.parent_id.and_then(|parent| placed.get(&parent)) {
                Some((depth, path)) => (depth + 1, format!("{path}/{}", code.name)),
                None => (0, code.name.clone()),
            };
            placed.insert(code.code_id, (depth, path.clone()));
            let (excerpts, codings) = counts.get(&code.code_id).copied().unwrap_or_default();
            rows.push(CodeRow {
                code: code.clone(),
                depth,
                has_children: parents.contains(&code.code_id),
                excerpts,
                codings,
                memo: store.memo(MemoTarget::Code(code.code_id))?,
                key: keys.get(&code.code_id).copied(),
                label: labels.get(&code.code_id).cloned().unwrap_or_else(|| code.name.clone()),
                path,
            });
        }
        self.codes = rows;
        Ok(())
    }

    /// Sets the list's filter and reads the list again.
    pub fn set_filter(&mut self, store: &Store, filter: Filter) -> StoreResult<()> {
        if filter != self.filter {
            let search_changed = filter.search != self.filter.search;
            self.filter = filter;
            self.reload_list(store)?;
            if search_changed {
                self.mark_search();
            }
        }
        Ok(())
    }

    fn reload_list(&mut self, store: &Store) -> StoreResult<()> {
        self.excerpt_ids = store.filtered_excerpt_ids(&self.filter)?;
        self.preview_pages.clear();
        self.list_queries += 1;
        Ok(())
    }

    /// The list row at `index`, if its page was fetched.
    pub fn preview(&self, index: usize) -> Option<&ExcerptPreview> {
        self.preview_pages.get(&(index / PREVIEW_PAGE)).and_then(|page| page.get(index % PREVIEW_PAGE))
    }

    /// Fetches the pages covering `rows` that are not cached yet. Returns true if
    /// anything was read.
    pub fn ensure_previews(&mut self, store: &Store, rows: Range<usize>) -> StoreResult<bool> {
        let mut fetched = false;
        let last_page = self.excerpt_ids.len().div_ceil(PREVIEW_PAGE);
        let first = rows.start / PREVIEW_PAGE;
        let end = rows.end.div_ceil(PREVIEW_PAGE).min(last_page);
        for page in first..end {
            if self.preview_pages.contains_key(&page) {
                continue;
            }
            let start = page * PREVIEW_PAGE;
            let ids = &self.excerpt_ids[start..(start + PREVIEW_PAGE).min(self.excerpt_ids.len())];
            let search = Some(self.filter.search.as_str()).filter(|text| !text.trim().is_empty());
            self.preview_pages.insert(page, store.excerpt_previews(ids, search)?);
            self.list_queries += 1;
            fetched = true;
        }
        // Keep memory bounded while scrolling through a huge list.
        if self.preview_pages.len() > 64 {
            self.preview_pages.retain(|page, _| (first.saturating_sub(8)..end + 8).contains(page));
        }
        Ok(fetched)
    }

    /// Where an excerpt sits in the filtered list.
    pub fn index_of(&self, excerpt_id: ExcerptId) -> Option<usize> {
        self.excerpt_ids.iter().position(|id| *id == excerpt_id)
    }

    /// The code a number key applies.
    pub fn code_for_key(&self, key: u8) -> Option<CodeId> {
        self.codes.iter().find(|row| row.key == Some(key)).map(|row| row.code.code_id)
    }

    /// The code row of a code.
    pub fn code_row(&self, code_id: CodeId) -> Option<&CodeRow> {
        self.codes.iter().find(|row| row.code.code_id == code_id)
    }

    /// A coder's name.
    pub fn coder_name(&self, coder_id: CoderId) -> &str {
        self.coders.iter().find(|coder| coder.coder_id == coder_id).map_or("", |coder| coder.name.as_str())
    }

    /// A case's name.
    pub fn case_name(&self, case_id: crate::model::CaseId) -> &str {
        self.cases.iter().find(|case| case.case_id == case_id).map_or("", |case| case.name.as_str())
    }

    fn load_excerpt(
        store: &Store,
        excerpt_id: ExcerptId,
        codes: &[CodeRow],
        coders: &[Coder],
    ) -> StoreResult<Option<ExcerptView>> {
        let excerpt = match store.excerpt(excerpt_id) {
            Ok(excerpt) => excerpt,
            Err(crate::store::StoreError::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(error),
        };
        let source = store.source(excerpt.source_id)?;
        let case_name = store.case(source.case_id)?.name;
        let original = excerpt.original.as_deref().unwrap_or_default();
        let translation = excerpt.translation.as_deref().unwrap_or_default();
        let original_sentences = text::sentences(original);
        let translation_sentences = text::sentences(translation);
        let alignment = text::align_sentences(
            &original_sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
            &translation_sentences.iter().map(CharSpan::len).collect::<Vec<_>>(),
        );
        let mut codings = Vec::new();
        for coding in store.codings_of_excerpt(excerpt_id)? {
            let Some(row) = codes.iter().find(|row| row.code.code_id == coding.code_id) else {
                continue;
            };
            let counterpart = match coding.anchor {
                CodingAnchor::Passage { side, span } => match (excerpt.text(side), excerpt.text(side.other())) {
                    (Some(coded), Some(other)) if !coding.needs_review => text::counterpart_span(coded, other, span),
                    _ => None,
                },
                CodingAnchor::Whole => None,
            };
            codings.push(CodingView {
                code_name: row.label.clone(),
                color: row.code.color,
                coder_name: coders
                    .iter()
                    .find(|coder| coder.coder_id == coding.coder_id)
                    .map(|coder| coder.name.clone())
                    .unwrap_or_default(),
                memo: store.memo(MemoTarget::Coding(coding.coding_id))?,
                counterpart,
                coding,
            });
        }
        Ok(Some(ExcerptView {
            memo: store.memo(MemoTarget::Excerpt(excerpt_id))?,
            excerpt,
            source,
            case_name,
            codings,
            original_sentences,
            translation_sentences,
            alignment,
            search_matches: (Vec::new(), Vec::new()),
        }))
    }

    /// The name of an attribute, if it exists.
    pub fn attribute_name(&self, attribute_id: AttributeId) -> Option<&str> {
        self.attributes.iter().find(|a| a.attribute_id == attribute_id).map(|a| a.name.as_str())
    }

    /// Marks the search's matches in the excerpts the reader shows.
    fn mark_search(&mut self) {
        let search = self.filter.search.as_str();
        for view in self.current.iter_mut().chain(self.source_views.iter_mut()) {
            view.mark_search(search);
        }
    }
}
