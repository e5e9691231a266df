//! Importing case or source attributes (company, region, stage …) from a CSV
//! file: the first column names the case (or the source, with a case column),
//! every other column is an attribute. Types come from the attribute when it
//! exists, or from the values (number, date, yes/no, else text). The whole file is
//! one transaction: a bad row changes nothing and names the row and column.

use super::ImportError;
use super::csv_import::header_key;
use crate::model::{AttributeScope, AttributeType};
use crate::store::{Store, StoreError};
use crate::text;

/// A parsed attribute file.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeTable {
    /// Cases or sources.
    pub scope: AttributeScope,
    /// The attribute columns: (header, column index).
    pub attributes: Vec<(String, usize)>,
    /// The column of case descriptions, if any.
    pub description_column: Option<usize>,
    /// The column of speakers' pseudonyms (source files), if any.
    pub pseudonym_column: Option<usize>,
    /// The headers, as written.
    pub headers: Vec<String>,
    /// The rows: (row number, case name, source name, every cell).
    pub rows: Vec<(usize, String, Option<String>, Vec<String>)>,
}

/// What an attribute import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AttributeImportSummary {
    /// Cases or sources given values.
    pub rows: usize,
    /// Attributes created, with their types.
    pub new_attributes: Vec<(String, String)>,
    /// Values written.
    pub values: usize,
}

fn is_case_header(key: &str) -> bool {
    matches!(key, "case" | "caso" | "site" | "sitio")
}

fn is_source_header(key: &str) -> bool {
    matches!(key, "source" | "fuente" | "interview" | "entrevista")
}

/// Reads an attribute file. `file` names it in messages.
pub fn read_attributes_csv(bytes: &[u8], file: &str) -> Result<AttributeTable, ImportError> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(content) = std::str::from_utf8(without_bom) else {
        return Err(ImportError::file(
            file,
            crate::bilingual!(
                "the file is not valid UTF-8 text; save it as \"CSV UTF-8\"",
                "el archivo no es texto UTF-8 válido; guárdelo como \"CSV UTF-8\""
            ),
        ));
    };
    let mut reader = crate::formats::csv_import::csv_reader(content.as_bytes(), file)?;
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|h| text::normalized(h.trim())).collect(),
        Some(Err(error)) => {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the file could not be read as CSV ({error})",
                    "el archivo no se pudo leer como CSV ({error})"
                ),
            ));
        }
        None => {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the file is empty; it needs a header row",
                    "el archivo está vacío; necesita una fila de encabezados"
                ),
            ));
        }
    };
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let case_column = keys.iter().position(|k| is_case_header(k));
    let source_column = keys.iter().position(|k| is_source_header(k));
    let scope = if source_column.is_some() { AttributeScope::Source } else { AttributeScope::Case };
    let Some(case_column) = case_column else {
        return Err(ImportError::file(
            file,
            crate::language::Text::new(
                format!(
                    "no column names the case: the first row needs a 'case' (or 'caso') column{}. Its columns are: {}",
                    if source_column.is_some() { " beside the source" } else { "" },
                    headers.join(", ")
                ),
                format!(
                    "ninguna columna nombra el caso: la primera fila necesita una columna 'caso' (o 'case'){}. Sus columnas son: {}",
                    if source_column.is_some() { " junto a la fuente" } else { "" },
                    headers.join(", ")
                ),
            ),
        ));
    };
    let description_column = keys
        .iter()
        .position(|k| matches!(k.as_str(), "description" | "descripcion"))
        .filter(|_| scope == AttributeScope::Case);
    let pseudonym_column = keys
        .iter()
        .position(|k| matches!(k.as_str(), "pseudonym" | "seudonimo" | "pseudonimo"))
        .filter(|_| scope == AttributeScope::Source);
    let attributes: Vec<(String, usize)> = headers
        .iter()
        .enumerate()
        .filter(|(index, header)| {
            Some(*index) != Some(case_column)
                && Some(*index) != source_column
                && Some(*index) != description_column
                && Some(*index) != pseudonym_column
                && !header.is_empty()
        })
        .map(|(index, header)| (header.clone(), index))
        .collect();
    let mut rows = Vec::new();
    for (offset, record) in records.enumerate() {
        let row_number = offset + 2;
        let record = record.map_err(|error| {
            ImportError::row(
                file,
                row_number,
                None,
                crate::bilingual!("unreadable row ({error})", "fila ilegible ({error})"),
            )
        })?;
        if let Some(column) = record.iter().position(|cell| cell.contains('\0')) {
            return Err(ImportError::row(
                file,
                row_number,
                headers.get(column).map(String::as_str),
                crate::bilingual!(
                    "the cell holds a NUL character, which is not text; the file may be damaged",
                    "la celda contiene un carácter NUL, que no es texto; el archivo puede estar dañado"
                ),
            ));
        }
        let cells: Vec<String> = record.iter().map(|cell| text::normalized(cell.trim())).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let cell = |index: usize| cells.get(index).cloned().unwrap_or_default();
        let case = cell(case_column);
        if case.is_empty() {
            return Err(ImportError::row(
                file,
                row_number,
                Some(&headers[case_column]),
                crate::bilingual!("the case is empty", "el caso está vacío"),
            ));
        }
        let source = source_column.map(cell);
        if let (Some(source), Some(column)) = (&source, source_column)
            && source.is_empty()
        {
            return Err(ImportError::row(
                file,
                row_number,
                Some(&headers[column]),
                crate::bilingual!("the source is empty", "la fuente está vacía"),
            ));
        }
        rows.push((row_number, case, source, cells));
    }
    if rows.is_empty() {
        return Err(ImportError::file(
            file,
            crate::bilingual!(
                "the file has a header row but no rows",
                "el archivo tiene fila de encabezados pero ninguna fila más"
            ),
        ));
    }
    Ok(AttributeTable { scope, attributes, description_column, pseudonym_column, headers, rows })
}

/// Writes an attribute table into the project in one transaction. Unknown cases
/// or sources, and values that do not fit an attribute's type, stop it with a
/// message naming the row and column.
pub fn import_attributes(
    store: &mut Store,
    table: &AttributeTable,
    file: &str,
) -> Result<AttributeImportSummary, ImportError> {
    store.atomically(|store| {
        let mut summary = AttributeImportSummary::default();
        let mut attribute_ids = Vec::new();
        for (header, column) in &table.attributes {
            let attribute_id = match store.attribute_by_name(table.scope, header)? {
                Some(attribute) => attribute.attribute_id,
                None => {
                    let values =
                        table.rows.iter().map(|(_, _, _, cells)| cells.get(*column).map_or("", String::as_str));
                    let value_type = AttributeType::infer(values);
                    summary.new_attributes.push((header.clone(), value_type.as_str().to_owned()));
                    store.add_attribute(table.scope, header, value_type)?
                }
            };
            attribute_ids.push((attribute_id, *column, header));
        }
        for (row_number, case_name, source_name, cells) in &table.rows {
            let at =
                |column: usize, message| ImportError::row(file, *row_number, Some(&table.headers[column]), message);
            let Some(case) = store.case_by_name(case_name)? else {
                return Err(ImportError::row(
                    file,
                    *row_number,
                    None,
                    crate::bilingual!(
                        "there is no case named '{case_name}' in this project",
                        "no hay ningún caso llamado '{case_name}' en este proyecto"
                    ),
                ));
            };
            let source_id = match source_name {
                None => None,
                Some(name) => {
                    let source =
                        store.sources_of_case(case.case_id)?.into_iter().find(|s| s.name.eq_ignore_ascii_case(name));
                    let Some(source) = source else {
                        return Err(ImportError::row(
                            file,
                            *row_number,
                            None,
                            crate::bilingual!(
                                "the case '{case_name}' has no source named '{name}'",
                                "el caso '{case_name}' no tiene ninguna fuente llamada '{name}'"
                            ),
                        ));
                    };
                    Some(source.source_id)
                }
            };
            for (attribute_id, column, _) in &attribute_ids {
                let value = cells.get(*column).map_or("", String::as_str);
                let result = match source_id {
                    Some(source_id) => store.set_source_attribute(source_id, *attribute_id, value),
                    None => store.set_case_attribute(case.case_id, *attribute_id, value),
                };
                match result {
                    Ok(()) => summary.values += usize::from(!value.is_empty()),
                    Err(StoreError::Invalid(message)) => return Err(at(*column, message)),
                    Err(error) => return Err(error.into()),
                }
            }
            if let (Some(column), Some(source_id)) = (table.pseudonym_column, source_id)
                && let Some(pseudonym) = cells.get(column).filter(|p| !p.is_empty())
            {
                store.set_pseudonym(source_id, pseudonym)?;
            }
            if let Some(column) = table.description_column
                && let Some(description) = cells.get(column).filter(|d| !d.is_empty())
            {
                store.set_case_description(case.case_id, description)?;
            }
            summary.rows += 1;
        }
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_attribute_files_are_read_with_their_columns() {
        let csv = "caso,empresa,altitud,descripción\nCerro Alto,Minera X,\"4100,5\",Un sitio\n";
        let table = read_attributes_csv(csv.as_bytes(), "a.csv").unwrap();
        assert_eq!(table.scope, AttributeScope::Case);
        assert_eq!(table.attributes, vec![("empresa".to_owned(), 1), ("altitud".to_owned(), 2)]);
        assert_eq!(table.description_column, Some(3));
    }

    #[test]
    fn a_file_without_a_case_column_is_refused() {
        let error = read_attributes_csv(b"empresa,region\nX,Y\n", "a.csv").unwrap_err();
        assert!(error.to_string().contains("no column names the case"), "{error}");
    }
}
