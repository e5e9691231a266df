//! Reading a researcher's spreadsheet of bilingual excerpts (CSV) into an
//! [`ImportBatch`]: columns mapped to fields by header name in English or Spanish
//! (or explicitly), every cell checked, every text normalised. Nothing is written
//! here; the store applies the batch in one transaction.

use std::fmt;
use std::path::Path;

use super::ImportError;
use crate::language::Text;
pub use crate::model::is_partial_date;
use crate::model::{ExcerptDraft, SourceDraft, TranslationStatus};
use crate::store::{ImportBatch, ImportRow};
use crate::text::{self, NormalizationChanges};

/// A field of Quipu that a spreadsheet column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The researcher's own excerpt identifier.
    Id,
    /// The case (mine site, community).
    Case,
    /// The source (interview, workshop).
    Source,
    /// Who speaks.
    Speaker,
    /// The speaker's role.
    Role,
    /// Where.
    Place,
    /// When.
    Date,
    /// Who interviewed.
    Interviewer,
    /// The original text.
    Original,
    /// The translation.
    Translation,
    /// Language of the original.
    OriginalLang,
    /// Language of the translation.
    TranslationLang,
    /// Translation review status.
    Status,
    /// Code names.
    Codes,
    /// A memo on the excerpt.
    Memo,
}

impl Field {
    /// Every field, in the order of `--map` help.
    pub const ALL: [Field; 15] = [
        Self::Id,
        Self::Case,
        Self::Source,
        Self::Speaker,
        Self::Role,
        Self::Place,
        Self::Date,
        Self::Interviewer,
        Self::Original,
        Self::Translation,
        Self::OriginalLang,
        Self::TranslationLang,
        Self::Status,
        Self::Codes,
        Self::Memo,
    ];

    /// The name used in `--map FIELD=COLUMN`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Case => "case",
            Self::Source => "source",
            Self::Speaker => "speaker",
            Self::Role => "role",
            Self::Place => "place",
            Self::Date => "date",
            Self::Interviewer => "interviewer",
            Self::Original => "original",
            Self::Translation => "translation",
            Self::OriginalLang => "original_lang",
            Self::TranslationLang => "translation_lang",
            Self::Status => "status",
            Self::Codes => "codes",
            Self::Memo => "memo",
        }
    }

    /// Parses a `--map` field name.
    pub fn parse(name: &str) -> Option<Field> {
        let wanted = header_key(name).replace(' ', "_");
        Self::ALL.into_iter().find(|field| field.name() == wanted)
    }

    /// Header names (already folded by [`header_key`]) recognised for this field,
    /// in English and Spanish.
    fn header_names(self) -> &'static [&'static str] {
        match self {
            Self::Id => &["id", "excerpt id", "quote id", "ref", "reference", "referencia", "id cita", "cita id"],
            Self::Case => &["case", "caso", "site", "sitio", "mine", "mina"],
            Self::Source => &["source", "fuente", "interview", "entrevista", "document", "documento"],
            Self::Speaker => {
                &["speaker", "hablante", "informant", "informante", "entrevistado", "entrevistada", "interviewee"]
            }
            Self::Role => &["role", "rol", "cargo", "position"],
            Self::Place => &["place", "lugar", "location", "localidad", "ubicacion"],
            Self::Date => &["date", "fecha"],
            Self::Interviewer => &["interviewer", "entrevistador", "entrevistadora"],
            Self::Original => &["original", "original text", "texto original", "text", "texto", "spanish", "espanol"],
            Self::Translation => {
                &["translation", "traduccion", "translated text", "texto traducido", "english", "ingles"]
            }
            Self::OriginalLang => &["original lang", "original language", "idioma original", "lengua original"],
            Self::TranslationLang => {
                &["translation lang", "translation language", "idioma traduccion", "idioma de la traduccion"]
            }
            Self::Status => &["status", "estado", "translation status", "estado traduccion", "estado de la traduccion"],
            Self::Codes => &["codes", "codigos", "code", "codigo", "themes", "temas", "tema"],
            Self::Memo => &["memo", "memos", "note", "notes", "nota", "notas", "comment", "comentario"],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Folds a header for matching: lower case, accents removed, `_`/`-` as spaces,
/// spaces collapsed. "Traducción" and "traduccion" are the same header.
pub fn header_key(header: &str) -> String {
    text::fold_name(header)
}

/// How columns map to fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMapping {
    /// The file's headers, as written.
    pub headers: Vec<String>,
    /// For each field, the column index that fills it.
    pub columns: Vec<(Field, usize)>,
}

impl ColumnMapping {
    /// The column filling `field`, if any.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().find(|(f, _)| *f == field).map(|(_, column)| *column)
    }

    /// The header of the column filling `field`, if any.
    pub fn header(&self, field: Field) -> Option<&str> {
        self.column(field).map(|column| self.headers[column].as_str())
    }

    /// Maps `field` to `column`, replacing whatever either was mapped to.
    pub fn set(&mut self, field: Field, column: Option<usize>) {
        self.columns.retain(|(f, c)| *f != field && Some(*c) != column);
        if let Some(column) = column {
            self.columns.push((field, column));
            self.columns.sort();
        }
    }

    /// Headers that no field takes: they are not imported.
    pub fn ignored_headers(&self) -> Vec<&str> {
        (0..self.headers.len())
            .filter(|index| !self.columns.iter().any(|(_, column)| column == index))
            .map(|index| self.headers[index].as_str())
            .collect()
    }

    /// The mapping as (field name, header) pairs, to remember it for a file.
    pub fn to_remembered(&self) -> Vec<(String, String)> {
        self.columns.iter().map(|(field, column)| (field.name().to_owned(), self.headers[*column].clone())).collect()
    }

    /// Takes back a mapping remembered with [`ColumnMapping::to_remembered`] when
    /// every header it names is still in the file; returns whether it did.
    pub fn restore(&mut self, remembered: &[(String, String)]) -> bool {
        let mut columns = Vec::new();
        for (field_name, header) in remembered {
            let field = Field::ALL.into_iter().find(|field| field.name() == field_name);
            let column = self.headers.iter().position(|existing| existing == header);
            let (Some(field), Some(column)) = (field, column) else {
                return false;
            };
            columns.push((field, column));
        }
        columns.sort();
        self.columns = columns;
        true
    }

    /// Guesses the mapping from header names in English or Spanish.
    pub fn guess(headers: &[String]) -> ColumnMapping {
        let mut mapping = ColumnMapping { headers: headers.to_vec(), columns: Vec::new() };
        for (index, header) in headers.iter().enumerate() {
            let key = header_key(header);
            let Some(field) = Field::ALL.into_iter().find(|field| field.header_names().contains(&key.as_str())) else {
                continue;
            };
            if mapping.column(field).is_none() {
                mapping.columns.push((field, index));
            }
        }
        mapping.columns.sort();
        mapping
    }
}

/// Options for reading a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Explicit `FIELD=COLUMN` mappings, applied over the guessed ones.
    pub map: Vec<(String, String)>,
    /// What separates code names in the codes column.
    pub codes_separator: String,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { map: Vec::new(), codes_separator: ";".to_owned() }
    }
}

/// A CSV file read and checked, ready for [`crate::store::Store::import_batch`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCsv {
    /// The rows to import.
    pub batch: ImportBatch,
    /// How columns were mapped.
    pub mapping: ColumnMapping,
    /// What normalisation changed in the file's text.
    pub normalization: NormalizationChanges,
    /// Number of texts normalisation changed.
    pub normalized_cells: usize,
    /// Rows left out because every cell was empty.
    pub skipped_empty_rows: usize,
    /// Rows with fewer cells than the header (as some spreadsheets save them):
    /// their missing last cells read as empty, and a required one is refused
    /// as empty would be.
    pub short_rows: Vec<usize>,
}

/// The first rows of a CSV file, for the import dialog's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvPreview {
    /// The header row.
    pub headers: Vec<String>,
    /// Up to the requested number of data rows.
    pub rows: Vec<Vec<String>>,
    /// The guessed mapping.
    pub mapping: ColumnMapping,
}

/// Picks the delimiter from the header line: `,` unless `;` or tab is more common
/// (spreadsheets in Spanish locales save CSV with `;`).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |delimiter: u8| first_line.iter().filter(|b| **b == delimiter).count();
    [b';', b'\t'].into_iter().filter(|d| count(*d) > count(b',')).max_by_key(|d| count(*d)).unwrap_or(b',')
}

/// A reader over a spreadsheet saved as CSV: byte-order mark dropped, separator
/// sniffed, rows of any length. A quoted cell that never closes is refused,
/// naming its row: read on, it would swallow the rest of the file.
pub(crate) fn csv_reader<'a>(bytes: &'a [u8], file: &str) -> Result<csv::Reader<&'a [u8]>, ImportError> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let reader = || {
        csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(without_bom))
            .flexible(true)
            .has_headers(false)
            .from_reader(without_bom)
    };
    if let Some((row, broken)) = broken_quoting(without_bom, reader()) {
        let message = match broken {
            BrokenQuote::NeverClosed => crate::bilingual!(
                "a quoted cell opens here and is never closed (a \" is missing)",
                "una celda entre comillas se abre aquí y nunca se cierra (falta una \")"
            ),
            BrokenQuote::TextAfterClose => crate::bilingual!(
                "a cell has text after its closing quote, as in \"abc\"def; inside quotes write a quote mark as \"\"",
                "una celda tiene texto después de su comilla de cierre, como en \"abc\"def; dentro de comillas escriba una comilla como \"\""
            ),
        };
        return Err(ImportError::row(file, row, None, message));
    }
    Ok(reader())
}

/// How a row's quoting is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BrokenQuote {
    /// A quoted cell runs to the end of the file.
    NeverClosed,
    /// Text follows a cell's closing quote (`"abc"def`).
    TextAfterClose,
}

/// The first row whose quoting is broken, numbered as rows are everywhere (the
/// header is 1, blank lines are not rows). A lenient reader would glue such a
/// cell together or read the rest of the file into it; this looks at each
/// record's own bytes, which `reader` (over `bytes`) delimits.
fn broken_quoting(bytes: &[u8], mut reader: csv::Reader<&[u8]>) -> Option<(usize, BrokenQuote)> {
    if !bytes.contains(&b'"') {
        return None;
    }
    let delimiter = sniff_delimiter(bytes);
    let mut starts = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        starts.push(record.position().map_or(0, |position| position.byte() as usize));
    }
    for (index, start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(bytes.len()).min(bytes.len());
        let raw = &bytes[(*start).min(end)..end];
        let (mut field_start, mut quoted, mut closed) = (true, false, false);
        let mut at = 0;
        while at < raw.len() {
            let byte = raw[at];
            if quoted {
                if byte == b'"' {
                    if raw.get(at + 1) == Some(&b'"') {
                        at += 1;
                    } else {
                        (quoted, closed) = (false, true);
                    }
                }
            } else if closed {
                match byte {
                    b'\n' | b'\r' => closed = false,
                    b' ' | b'\t' if byte != delimiter => {}
                    _ if byte == delimiter => (closed, field_start) = (false, true),
                    _ => return Some((index + 1, BrokenQuote::TextAfterClose)),
                }
            } else if byte == b'"' && field_start {
                (quoted, field_start) = (true, false);
            } else {
                field_start = byte == delimiter || byte == b'\n';
            }
            at += 1;
        }
        if quoted {
            return Some((index + 1, BrokenQuote::NeverClosed));
        }
    }
    None
}

/// Reads the header row, naming the file in any error.
fn read_headers(reader: &mut csv::Reader<&[u8]>, file: &str) -> Result<Vec<String>, ImportError> {
    let mut record = csv::ByteRecord::new();
    let has_header = reader.read_byte_record(&mut record).map_err(|error| csv_error(file, error))?;
    if !has_header {
        return Err(ImportError::file(
            file,
            crate::bilingual!(
                "the file is empty; it needs a header row naming its columns",
                "el archivo está vacío; necesita una fila de encabezados que nombre sus columnas"
            ),
        ));
    }
    let headers: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(index, cell)| {
            std::str::from_utf8(cell).map(|header| text::normalized(header.trim())).map_err(|_| {
                ImportError::row(
                    file,
                    1,
                    None,
                    crate::bilingual!(
                        "the header of column {} is not valid UTF-8 text; save the file as CSV UTF-8",
                        "el encabezado de la columna {} no es texto UTF-8 válido; guarde el archivo como CSV UTF-8",
                        index + 1
                    ),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    // Two columns of one name would leave which to read to chance.
    for (index, header) in headers.iter().enumerate() {
        if !header.is_empty() && headers[..index].iter().any(|earlier| header_key(earlier) == header_key(header)) {
            return Err(ImportError::row(
                file,
                1,
                Some(header),
                crate::bilingual!(
                    "two columns are named '{header}'; rename one so it is clear which to read",
                    "dos columnas se llaman '{header}'; cambie el nombre de una para que quede claro cuál leer"
                ),
            ));
        }
    }
    Ok(headers)
}

fn csv_error(file: &str, error: csv::Error) -> ImportError {
    match error.position() {
        Some(position) => ImportError::row(
            file,
            position.record() as usize + 1,
            None,
            crate::bilingual!(
                "the file could not be read as CSV ({error})",
                "el archivo no se pudo leer como CSV ({error})"
            ),
        ),
        None => ImportError::file(
            file,
            crate::bilingual!(
                "the file could not be read as CSV ({error})",
                "el archivo no se pudo leer como CSV ({error})"
            ),
        ),
    }
}

/// The header and first `max_rows` rows of a CSV file, with a guessed mapping.
pub fn preview_csv(bytes: &[u8], file: &str, max_rows: usize) -> Result<CsvPreview, ImportError> {
    let mut reader = csv_reader(bytes, file)?;
    let headers = read_headers(&mut reader, file)?;
    let mut rows = Vec::new();
    for record in reader.byte_records().take(max_rows) {
        let record = record.map_err(|error| csv_error(file, error))?;
        rows.push(record.iter().map(|cell| String::from_utf8_lossy(cell).into_owned()).collect());
    }
    let mapping = ColumnMapping::guess(&headers);
    Ok(CsvPreview { headers, rows, mapping })
}

/// Applies `--map FIELD=COLUMN` options to a guessed mapping. COLUMN is a header
/// name (accents and case ignored) or a 1-based column number.
pub fn apply_map_options(mapping: &mut ColumnMapping, map: &[(String, String)], file: &str) -> Result<(), ImportError> {
    for (field_name, column_name) in map {
        let Some(field) = Field::parse(field_name) else {
            let known: Vec<&str> = Field::ALL.iter().map(|field| field.name()).collect();
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "--map {field_name}={column_name}: unknown field '{field_name}'; the fields are: {}",
                    "--map {field_name}={column_name}: campo desconocido '{field_name}'; los campos son: {}",
                    known.join(", ")
                ),
            ));
        };
        let wanted = header_key(column_name);
        let by_name = mapping.headers.iter().position(|header| header_key(header) == wanted);
        let by_number =
            column_name.trim().parse::<usize>().ok().filter(|n| (1..=mapping.headers.len()).contains(n)).map(|n| n - 1);
        let Some(column) = by_name.or(by_number) else {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "--map {field_name}={column_name}: the file has no column '{column_name}'; its columns are: {}",
                    "--map {field_name}={column_name}: el archivo no tiene la columna '{column_name}'; sus columnas son: {}",
                    mapping.headers.join(", ")
                ),
            ));
        };
        mapping.set(field, Some(column));
    }
    Ok(())
}

/// Reads a CSV file of excerpts into an import batch, checking every row. The first
/// row must name the columns. `file` names the file in messages.
pub fn read_csv(bytes: &[u8], file: &str, options: &CsvOptions) -> Result<ParsedCsv, ImportError> {
    CsvRows::open(bytes, file, options)?.collect_batch()
}

/// A CSV file larger than this (about a thousand excerpts) is imported with
/// the large-import settings (see [`crate::store::Store::with_import_settings`]).
pub const LARGE_CSV_BYTES: usize = 256 * 1024;

/// A CSV file of excerpts read one row at a time, each row checked as it is
/// read, for [`crate::store::Store::import_stream`]: a large file's rows are
/// never all held at once. The iterator yields each row or the first error,
/// naming the row and column; a file with no excerpts at all is refused at
/// its end. [`CsvRows::finish`] then says what the reading found.
pub struct CsvRows<'a> {
    reader: csv::Reader<&'a [u8]>,
    file: &'a str,
    separator: String,
    /// The case of rows that name none: the file's name.
    default_case: String,
    record: csv::ByteRecord,
    /// The row last read, counted as a spreadsheet does (the header is row 1).
    row_number: usize,
    /// What the reading found so far (its batch stays empty).
    found: ParsedCsv,
    /// Rows yielded so far.
    rows: usize,
    /// An error was yielded, or the end reached: nothing more comes.
    ended: bool,
}

impl<'a> CsvRows<'a> {
    /// Opens a CSV file, guessing the mapping from its header (then applying
    /// `options.map`). The first row must name the columns.
    pub fn open(bytes: &'a [u8], file: &'a str, options: &CsvOptions) -> Result<Self, ImportError> {
        let mut reader = csv_reader(bytes, file)?;
        let headers = read_headers(&mut reader, file)?;
        let mut mapping = ColumnMapping::guess(&headers);
        apply_map_options(&mut mapping, &options.map, file)?;
        Self::start(reader, file, mapping, options)
    }

    /// Opens a CSV file with a mapping chosen by the user (the import dialog),
    /// refusing a file whose header changed since it was previewed.
    pub fn open_with_mapping(
        bytes: &'a [u8],
        file: &'a str,
        mapping: &ColumnMapping,
        options: &CsvOptions,
    ) -> Result<Self, ImportError> {
        let mut reader = csv_reader(bytes, file)?;
        let headers = read_headers(&mut reader, file)?;
        if headers != mapping.headers {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the file's columns changed since it was previewed; open it again",
                    "las columnas del archivo cambiaron desde la vista previa; ábralo de nuevo"
                ),
            ));
        }
        Self::start(reader, file, mapping.clone(), options)
    }

    fn start(
        reader: csv::Reader<&'a [u8]>,
        file: &'a str,
        mapping: ColumnMapping,
        options: &CsvOptions,
    ) -> Result<Self, ImportError> {
        if mapping.column(Field::Original).is_none() && mapping.column(Field::Translation).is_none() {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "no column holds the excerpt text: name a column 'original' (or 'texto original') and/or \
                     'translation' (or 'traducción'), or use --map original=COLUMN. The file's columns are: {}",
                    "ninguna columna contiene el texto del fragmento: nombre una columna 'original' (o 'texto original') \
                     y/o 'traducción' (o 'translation'), o use --map original=COLUMNA. Las columnas del archivo son: {}",
                    mapping.headers.join(", ")
                ),
            ));
        }
        let separator = if options.codes_separator.is_empty() { ";" } else { options.codes_separator.as_str() };
        let default_case = Path::new(file)
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Imported".to_owned());
        Ok(CsvRows {
            reader,
            file,
            separator: separator.to_owned(),
            default_case,
            record: csv::ByteRecord::new(),
            // Row 1 is the header, as in a spreadsheet.
            row_number: 1,
            found: ParsedCsv {
                batch: ImportBatch::default(),
                mapping,
                normalization: NormalizationChanges::default(),
                normalized_cells: 0,
                skipped_empty_rows: 0,
                short_rows: Vec::new(),
            },
            rows: 0,
            ended: false,
        })
    }

    /// How far into the file the reading is, in bytes.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// What the reading found: the mapping, what normalisation changed, the
    /// rows skipped as empty and the short ones (the batch is empty).
    pub fn finish(self) -> ParsedCsv {
        self.found
    }

    /// Reads every row into the batch.
    fn collect_batch(mut self) -> Result<ParsedCsv, ImportError> {
        let mut rows = Vec::new();
        for row in self.by_ref() {
            rows.push(row?);
        }
        let mut parsed = self.finish();
        parsed.batch.rows = rows;
        Ok(parsed)
    }

    /// The next non-empty row, checked; `None` at the end of the file.
    fn next_row(&mut self) -> Result<Option<ImportRow>, ImportError> {
        let file = self.file;
        let header_count = self.found.mapping.headers.len();
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return Err(csv_error(file, error)),
            }
            self.row_number += 1;
            let record = &self.record;
            if record.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
                self.found.skipped_empty_rows += 1;
                continue;
            }
            if record.len() < header_count {
                self.found.short_rows.push(self.row_number);
            }
            if record.len() > header_count {
                return Err(ImportError::row(
                    file,
                    self.row_number,
                    None,
                    crate::bilingual!(
                        "the row has {} cells but the header names {header_count} columns; a text with a comma \
                         or line break may be missing its quotes",
                        "la fila tiene {} celdas pero el encabezado nombra {header_count} columnas; puede que a un texto \
                         con coma o salto de línea le falten las comillas",
                        record.len()
                    ),
                ));
            }
            let row = RowReader { file, row_number: self.row_number, record, mapping: &self.found.mapping };
            let mut changes = NormalizationChanges::default();
            let import_row =
                row.to_import_row(&self.separator, &self.default_case, &mut changes, &mut self.found.normalized_cells)?;
            self.found.normalization.merge(changes);
            return Ok(Some(import_row));
        }
        if self.rows == 0 {
            return Err(ImportError::file(
                file,
                crate::bilingual!(
                    "the file has a header row but no excerpts",
                    "el archivo tiene fila de encabezados pero ningún fragmento"
                ),
            ));
        }
        Ok(None)
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<ImportRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        match self.next_row() {
            Ok(Some(row)) => {
                self.rows += 1;
                Some(Ok(row))
            }
            Ok(None) => {
                self.ended = true;
                None
            }
            Err(error) => {
                self.ended = true;
                Some(Err(error))
            }
        }
    }
}

/// Reads the cells of one row by field, naming the row and column in errors.
struct RowReader<'a> {
    file: &'a str,
    row_number: usize,
    record: &'a csv::ByteRecord,
    mapping: &'a ColumnMapping,
}

impl RowReader<'_> {
    fn error(&self, field: Field, message: Text) -> ImportError {
        ImportError::row(self.file, self.row_number, self.mapping.header(field), message)
    }

    /// The normalised, trimmed text of a field's cell; empty if unmapped or blank.
    fn cell(
        &self,
        field: Field,
        changes: &mut NormalizationChanges,
        normalized_cells: &mut usize,
    ) -> Result<String, ImportError> {
        let Some(column) = self.mapping.column(field) else {
            return Ok(String::new());
        };
        let bytes = self.record.get(column).unwrap_or_default();
        let Ok(raw) = std::str::from_utf8(bytes) else {
            return Err(self.error(
                field,
                crate::bilingual!(
                    "the cell is not valid UTF-8 text; save the spreadsheet as \"CSV UTF-8\" and import it again",
                    "la celda no es texto UTF-8 válido; guarde la hoja como \"CSV UTF-8\" e impórtela de nuevo"
                ),
            ));
        };
        if raw.contains('\0') {
            return Err(self.error(
                field,
                crate::bilingual!(
                    "the cell holds a NUL character, which is not text; the file may be damaged",
                    "la celda contiene un carácter NUL, que no es texto; el archivo puede estar dañado"
                ),
            ));
        }
        let (normalized, cell_changes) = text::normalize(raw);
        if !cell_changes.is_unchanged() {
            *normalized_cells += 1;
            changes.merge(cell_changes);
        }
        Ok(normalized.trim().to_owned())
    }

    fn to_import_row(
        &self,
        separator: &str,
        default_case: &str,
        changes: &mut NormalizationChanges,
        normalized_cells: &mut usize,
    ) -> Result<ImportRow, ImportError> {
        let mut cell = |field: Field| self.cell(field, changes, normalized_cells);
        let original = cell(Field::Original)?;
        let translation = cell(Field::Translation)?;
        if original.is_empty() && translation.is_empty() {
            let columns: Vec<&str> = [Field::Original, Field::Translation]
                .into_iter()
                .filter_map(|field| self.mapping.header(field))
                .collect();
            return Err(ImportError::row(
                self.file,
                self.row_number,
                None,
                Text::new(
                    format!(
                        "the excerpt has no text: the column{} '{}' {} empty",
                        if columns.len() > 1 { "s" } else { "" },
                        columns.join("' and '"),
                        if columns.len() > 1 { "are" } else { "is" }
                    ),
                    format!(
                        "el fragmento no tiene texto: la{} columna{} '{}' está{} vacía{}",
                        if columns.len() > 1 { "s" } else { "" },
                        if columns.len() > 1 { "s" } else { "" },
                        columns.join("' y '"),
                        if columns.len() > 1 { "n" } else { "" },
                        if columns.len() > 1 { "s" } else { "" }
                    ),
                ),
            ));
        }
        let case_name = match self.mapping.column(Field::Case) {
            None => default_case.to_owned(),
            Some(_) => {
                let case_name = cell(Field::Case)?;
                if case_name.is_empty() {
                    return Err(self.error(
                        Field::Case,
                        crate::bilingual!(
                            "the case is empty; every excerpt belongs to a case",
                            "el caso está vacío; cada fragmento pertenece a un caso"
                        ),
                    ));
                }
                case_name
            }
        };
        let date = cell(Field::Date)?;
        if !date.is_empty() && !is_partial_date(&date) {
            return Err(self.error(
                Field::Date,
                crate::bilingual!(
                    "the date '{date}' is not written as yyyy, yyyy-mm or yyyy-mm-dd (for example 2021-03-14)",
                    "la fecha '{date}' no está escrita como aaaa, aaaa-mm o aaaa-mm-dd (por ejemplo 2021-03-14)"
                ),
            ));
        }
        let speaker = cell(Field::Speaker)?;
        let role = cell(Field::Role)?;
        let mut source_name = cell(Field::Source)?;
        if source_name.is_empty() {
            source_name = [&speaker, &role]
                .into_iter()
                .find(|name| !name.is_empty())
                .cloned()
                .unwrap_or_else(|| "Unnamed source".to_owned());
        }
        let original_lang = language_tag(&cell(Field::OriginalLang)?, "es")
            .map_err(|message| self.error(Field::OriginalLang, message))?;
        let translation_lang = language_tag(&cell(Field::TranslationLang)?, "en")
            .map_err(|message| self.error(Field::TranslationLang, message))?;
        let status_text = cell(Field::Status)?;
        let translation_status = if status_text.is_empty() {
            TranslationStatus::default_for(Some(&translation))
        } else {
            let Some(status) = TranslationStatus::parse(&status_text) else {
                return Err(self.error(
                    Field::Status,
                    crate::bilingual!(
                        "the status '{status_text}' is not one of missing, draft, reviewed, disputed",
                        "el estado '{status_text}' no es ninguno de missing, draft, reviewed, disputed"
                    ),
                ));
            };
            if translation.is_empty() && status != TranslationStatus::Missing {
                return Err(self.error(
                    Field::Status,
                    crate::bilingual!(
                        "the status is '{status_text}' but the translation is empty",
                        "el estado es '{status_text}' pero la traducción está vacía"
                    ),
                ));
            }
            status
        };
        let mut codes: Vec<String> = Vec::new();
        for name in cell(Field::Codes)?.split(separator) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if !name.is_empty() && !codes.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
                codes.push(name);
            }
        }
        Ok(ImportRow {
            row_number: self.row_number,
            case_name,
            source: SourceDraft {
                name: source_name,
                speaker,
                role,
                place: cell(Field::Place)?,
                date,
                interviewer: cell(Field::Interviewer)?,
                description: String::new(),
            },
            excerpt: ExcerptDraft {
                label: cell(Field::Id)?,
                original: (!original.is_empty()).then_some(original),
                original_lang,
                translation: (!translation.is_empty()).then_some(translation),
                translation_lang,
                translation_status,
                translation_note: String::new(),
                ..ExcerptDraft::default()
            },
            codes,
            memo: cell(Field::Memo)?,
        })
    }
}

/// A language tag such as `es`, `en` or `qu`, lower-cased; `default` when empty.
fn language_tag(text: &str, default: &str) -> Result<String, Text> {
    if text.is_empty() {
        return Ok(default.to_owned());
    }
    let tag = text.to_lowercase();
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|primary| (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()));
    let rest_ok = parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(tag)
    } else {
        Err(crate::bilingual!(
            "'{text}' is not a language tag such as es, en or qu",
            "'{text}' no es una etiqueta de idioma como es, en o qu"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_english_or_spanish_with_or_without_accents() {
        let headers: Vec<String> = ["Caso", "Hablante", "Texto original", "Traducción", "CÓDIGOS", "Notas", "Extra"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        let mapping = ColumnMapping::guess(&headers);
        assert_eq!(mapping.column(Field::Case), Some(0));
        assert_eq!(mapping.column(Field::Speaker), Some(1));
        assert_eq!(mapping.column(Field::Original), Some(2));
        assert_eq!(mapping.column(Field::Translation), Some(3));
        assert_eq!(mapping.column(Field::Codes), Some(4));
        assert_eq!(mapping.column(Field::Memo), Some(5));
        assert_eq!(mapping.ignored_headers(), vec!["Extra"]);
    }

    #[test]
    fn semicolon_separated_files_are_recognised() {
        let csv = "caso;original;traducción\nCerro Alto;\"Sí, hay agua\";Yes, there is water\n";
        let parsed = read_csv(csv.as_bytes(), "sheet.csv", &CsvOptions::default()).unwrap();
        let row = &parsed.batch.rows[0];
        assert_eq!(row.case_name, "Cerro Alto");
        assert_eq!(row.excerpt.original.as_deref(), Some("Sí, hay agua"));
    }

    #[test]
    fn a_row_with_too_many_cells_is_named() {
        let csv = "case,original\nA,uno\nB,dos, tres\n";
        let error = read_csv(csv.as_bytes(), "sheet.csv", &CsvOptions::default()).unwrap_err();
        assert!(error.to_string().starts_with("sheet.csv, row 3:"), "{error}");
    }

    #[test]
    fn language_tags_are_checked() {
        assert_eq!(language_tag("", "es").unwrap(), "es");
        assert_eq!(language_tag("QU", "es").unwrap(), "qu");
        assert_eq!(language_tag("es-PE", "es").unwrap(), "es-pe");
        assert!(language_tag("Spanish", "es").is_err());
    }
}
