//! Tables as CSV: coded quotes (one row per quote) and frequency tables (one row
//! per group and code). Cells a spreadsheet would run as formulas are neutralised.

use super::neutralize_formula;
use super::report::Report;
use crate::analysis::FrequencyTable;

/// The quote table's columns.
pub const QUOTE_COLUMNS: [&str; 12] = [
    "id",
    "case",
    "source",
    "speaker",
    "role",
    "place",
    "date",
    "code",
    "original",
    "translation",
    "translation_status",
    "memo",
];

/// The rows of the quote table, as text cells (shared by CSV and spreadsheets).
pub fn quote_rows(report: &Report) -> Vec<[String; 12]> {
    report
        .quotes()
        .map(|(_, quote)| {
            [
                quote.quote_id.clone(),
                quote.case_name.clone(),
                quote.source_name.clone(),
                quote.speaker.clone(),
                quote.role.clone(),
                quote.place.clone(),
                quote.date.clone(),
                quote.code_path.clone(),
                quote.original.clone().unwrap_or_default(),
                quote.translation.clone().unwrap_or_default(),
                quote.translation_status.as_str().to_owned(),
                quote.memo.clone(),
            ]
        })
        .collect()
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, csv::Error> {
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}

/// Renders the quotes as CSV (UTF-8, comma-separated, quoted where needed).
pub fn render_quotes_csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(QUOTE_COLUMNS)?;
    for row in quote_rows(report) {
        writer.write_record(row.iter().map(|cell| neutralize_formula(cell).into_owned()))?;
    }
    finish(writer)
}

/// The frequency table's columns; the first is the grouping's name.
pub fn frequency_columns(table: &FrequencyTable) -> [String; 7] {
    [
        table.grouping_label.clone(),
        "code".to_owned(),
        "excerpts".to_owned(),
        "codings".to_owned(),
        "share".to_owned(),
        "speakers".to_owned(),
        "group_excerpts".to_owned(),
    ]
}

/// Renders a frequency table as CSV, one row per group and code that occurs.
pub fn render_frequencies_csv(table: &FrequencyTable) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(frequency_columns(table))?;
    for (group_index, (group, size)) in table.groups.iter().enumerate() {
        for (code_index, code) in table.codes.iter().enumerate() {
            let cell = table.cell(group_index, code_index);
            if cell.excerpts > 0 {
                writer.write_record([
                    neutralize_formula(group).into_owned(),
                    neutralize_formula(&code.name).into_owned(),
                    cell.excerpts.to_string(),
                    cell.codings.to_string(),
                    format!("{:.4}", cell.share),
                    cell.speakers.to_string(),
                    size.to_string(),
                ])?;
            }
        }
    }
    finish(writer)
}
