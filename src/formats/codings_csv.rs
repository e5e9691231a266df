//! Codings made elsewhere (a spreadsheet, a script, a colleague) brought onto a
//! project's excerpts from CSV. Columns, in English or Spanish: `excerpt` (the
//! excerpt's label or UUID) and `code` (a name, or a path `Parent/Child`), and
//! optionally `side` (`original`/`translation`, or the language tag), `start`
//! and `end` (characters, end exclusive), `coder` and `memo`. Without a side the
//! coding is of the whole excerpt; a side without a span codes all of that text.
//! The whole file is one transaction: a bad row is refused naming its row and
//! column, and nothing changes.

use serde::Serialize;

use crate::bilingual;
use crate::formats::ImportError;
use crate::formats::csv_import::{csv_reader, header_key};
use crate::language::Text;
use crate::model::{Code, CodeId, CodingAnchor, MemoTarget, Side};
use crate::store::Store;
use crate::text::{self, CharSpan};

/// One row of a codings file, as written (trimmed, NFC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingRow {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    /// The excerpt's label or UUID.
    pub excerpt: String,
    /// The code's name or path.
    pub code: String,
    /// `original`, `translation`, a language tag, or empty.
    pub side: String,
    /// The first character, or empty.
    pub start: String,
    /// One past the last character, or empty.
    pub end: String,
    /// Who coded it, or empty for the default coder.
    pub coder: String,
    /// A memo on the coding, or empty.
    pub memo: String,
}

/// What an import of codings did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodingsSummary {
    /// Rows read.
    pub rows: usize,
    /// Codings added.
    pub added: usize,
    /// Rows that repeat a coding already there.
    pub already_there: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// The columns a codings file may have, by the folded header names that mean them.
const COLUMNS: [(&str, &[&str]); 7] = [
    ("excerpt", &["excerpt", "fragmento", "excerpt id", "label", "id"]),
    ("code", &["code", "codigo", "code path"]),
    ("side", &["side", "lado", "language", "idioma"]),
    ("start", &["start", "inicio"]),
    ("end", &["end", "fin"]),
    ("coder", &["coder", "codificador", "codificadora"]),
    ("memo", &["memo", "nota"]),
];

/// Reads a codings file. `file` names it in messages.
pub fn read_codings_csv(bytes: &[u8], file: &str) -> Result<Vec<CodingRow>, ImportError> {
    let mut reader = csv_reader(bytes, file)?;
    let mut records = reader.byte_records();
    let header: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|cell| header_key(&String::from_utf8_lossy(cell))).collect(),
        Some(Err(error)) => {
            return Err(ImportError::file(
                file,
                bilingual!("unreadable header ({error})", "encabezado ilegible ({error})"),
            ));
        }
        None => {
            return Err(ImportError::file(
                file,
                bilingual!(
                    "the file is empty; it needs a header row",
                    "el archivo está vacío; necesita una fila de encabezados"
                ),
            ));
        }
    };
    let position = |field: &str| {
        let names = COLUMNS.iter().find(|(name, _)| *name == field).map(|(_, names)| *names).unwrap_or_default();
        header.iter().position(|cell| names.contains(&cell.as_str()))
    };
    let (Some(excerpt_column), Some(code_column)) = (position("excerpt"), position("code")) else {
        return Err(ImportError::file(
            file,
            bilingual!(
                "the file needs an 'excerpt' and a 'code' column; its columns are: {}",
                "el archivo necesita una columna 'fragmento' y una 'código'; sus columnas son: {}",
                header.join(", ")
            ),
        ));
    };
    let optional = ["side", "start", "end", "coder", "memo"].map(position);
    let mut rows = Vec::new();
    for (offset, record) in records.enumerate() {
        let row = offset + 2;
        let record = record.map_err(|error| {
            ImportError::row(file, row, None, bilingual!("unreadable row ({error})", "fila ilegible ({error})"))
        })?;
        if record.len() > header.len() {
            return Err(ImportError::row(
                file,
                row,
                None,
                bilingual!(
                    "the row has {} cells but the header names {} columns (a separator inside an unquoted cell?)",
                    "la fila tiene {} celdas pero el encabezado nombra {} columnas (¿un separador dentro de una celda sin comillas?)",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let cell = |column: Option<usize>| -> Result<String, ImportError> {
            let Some(column) = column else {
                return Ok(String::new());
            };
            let bytes = record.get(column).unwrap_or_default();
            let text = std::str::from_utf8(bytes).map_err(|_| {
                ImportError::row(
                    file,
                    row,
                    Some(&header[column]),
                    bilingual!(
                        "the cell is not valid UTF-8 text; save the file as CSV UTF-8",
                        "la celda no es texto UTF-8 válido; guarde el archivo como CSV UTF-8"
                    ),
                )
            })?;
            if text.contains('\0') {
                return Err(ImportError::row(
                    file,
                    row,
                    Some(&header[column]),
                    bilingual!("the cell holds a NUL character", "la celda contiene un carácter NUL"),
                ));
            }
            Ok(text::normalized(text.trim()))
        };
        let excerpt = cell(Some(excerpt_column))?;
        let code = cell(Some(code_column))?;
        if excerpt.is_empty() && code.is_empty() && record.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        rows.push(CodingRow {
            row,
            excerpt,
            code,
            side: cell(optional[0])?,
            start: cell(optional[1])?,
            end: cell(optional[2])?,
            coder: cell(optional[3])?,
            memo: cell(optional[4])?,
        });
    }
    Ok(rows)
}

/// The codes a name or a path `Parent/Child` names (more than one where a
/// name several codes share is given without its path).
fn find_codes(codes: &[Code], reference: &str) -> Vec<CodeId> {
    let parts: Vec<&str> = reference.split('/').map(str::trim).filter(|part| !part.is_empty()).collect();
    let Some((last, parents)) = parts.split_last() else {
        return Vec::new();
    };
    codes
        .iter()
        .filter(|code| text::fold_name(&code.name) == text::fold_name(last))
        .filter(|code| {
            // Walk up the tree, matching the path's parents from the nearest.
            let mut parent = code.parent_id;
            for name in parents.iter().rev() {
                let Some(found) = parent.and_then(|id| codes.iter().find(|c| c.code_id == id)) else {
                    return false;
                };
                if text::fold_name(&found.name) != text::fold_name(name) {
                    return false;
                }
                parent = found.parent_id;
            }
            true
        })
        .map(|code| code.code_id)
        .collect()
}

/// Brings `rows` onto the project as codings by their coders (`default_coder`
/// when a row names none), in one transaction; with `dry_run`, checks every
/// row and writes nothing.
pub fn import_codings(
    store: &mut Store,
    rows: &[CodingRow],
    file: &str,
    default_coder: &str,
    dry_run: bool,
) -> Result<CodingsSummary, ImportError> {
    let work = |store: &mut Store| -> Result<CodingsSummary, ImportError> {
        let codes = store.codes()?;
        let mut summary = CodingsSummary { rows: rows.len(), dry_run, ..CodingsSummary::default() };
        for row in rows {
            let at = |column: &str, message: Text| ImportError::row(file, row.row, Some(column), message);
            let excerpt_id = match store.excerpts_named(&row.excerpt)?.as_slice() {
                [excerpt_id] => *excerpt_id,
                [] => {
                    return Err(at(
                        "excerpt",
                        bilingual!(
                            "no excerpt has the label or UUID '{}'",
                            "ningún fragmento tiene la etiqueta o UUID '{}'",
                            row.excerpt
                        ),
                    ));
                }
                many => {
                    return Err(at(
                        "excerpt",
                        bilingual!(
                            "{} excerpts have the label '{}'; name the excerpt by its UUID",
                            "{} fragmentos tienen la etiqueta '{}'; nombre el fragmento por su UUID",
                            many.len(),
                            row.excerpt
                        ),
                    ));
                }
            };
            let found = find_codes(&codes, &row.code);
            let code_id = match found.as_slice() {
                [code_id] => *code_id,
                [] => {
                    return Err(at(
                        "code",
                        bilingual!(
                            "no code is named '{}' (a name, or a path Parent/Child)",
                            "ningún código se llama '{}' (un nombre, o una ruta Padre/Hijo)",
                            row.code
                        ),
                    ));
                }
                several => {
                    let paths = crate::model::code_paths(&codes, "/");
                    let listed: Vec<&str> = several.iter().filter_map(|id| paths.get(id)).map(String::as_str).collect();
                    let listed = listed.join(", ");
                    return Err(at(
                        "code",
                        bilingual!(
                            "several codes are named '{}' ({listed}); write the path of one",
                            "varios códigos se llaman '{}' ({listed}); escriba la ruta de uno",
                            row.code
                        ),
                    ));
                }
            };
            let excerpt = store.excerpt(excerpt_id)?;
            let anchor = if row.side.is_empty() && row.start.is_empty() && row.end.is_empty() {
                CodingAnchor::Whole
            } else {
                let side = Side::parse(&row.side.to_lowercase())
                    .or_else(|| {
                        [Side::Original, Side::Translation]
                            .into_iter()
                            .find(|side| excerpt.lang(*side).eq_ignore_ascii_case(&row.side))
                    })
                    .ok_or_else(|| {
                        at(
                            "side",
                            bilingual!(
                                "'{}' is not a side: original, translation, or the language tag of one ({} or {})",
                                "'{}' no es un lado: original, translation, o la etiqueta de idioma de uno ({} o {})",
                                row.side,
                                excerpt.original_lang,
                                excerpt.translation_lang
                            ),
                        )
                    })?;
                let length = text::char_len(excerpt.text(side).unwrap_or_default());
                let number = |column: &str, value: &str, default: usize| -> Result<usize, ImportError> {
                    if value.is_empty() {
                        return Ok(default);
                    }
                    value.parse().map_err(|_| {
                        at(column, bilingual!("'{value}' is not a whole number", "'{value}' no es un número entero"))
                    })
                };
                let (start, end) = (number("start", &row.start, 0)?, number("end", &row.end, length)?);
                if start >= end || end > length {
                    return Err(at(
                        "end",
                        bilingual!(
                            "the passage {start}..{end} is not inside the {} text, which has {length} characters",
                            "el pasaje {start}..{end} no está dentro del texto {}, que tiene {length} caracteres",
                            side.as_str()
                        ),
                    ));
                }
                CodingAnchor::Passage { side, span: CharSpan::new(start, end) }
            };
            let coder_id = store.ensure_coder(if row.coder.is_empty() { default_coder } else { &row.coder })?;
            let (coding_id, new) = store.add_coding_if_new(excerpt_id, code_id, coder_id, anchor)?;
            if new {
                summary.added += 1;
            } else {
                summary.already_there += 1;
            }
            if !row.memo.is_empty() {
                store.set_memo(MemoTarget::Coding(coding_id), &row.memo)?;
            }
        }
        Ok(summary)
    };
    if dry_run { store.try_out(work) } else { store.atomically(work) }
}
