//! Coded quotes as CSV: one row per coded quote, cells a spreadsheet would run as
//! formulas neutralised.

use super::neutralize_formula;
use super::report::ReportSection;

/// The CSV header.
pub const QUOTE_COLUMNS: [&str; 10] =
    ["id", "case", "source", "speaker", "role", "place", "date", "code", "original", "translation"];

/// Renders the quotes as CSV (UTF-8, comma-separated, quoted where needed).
pub fn render_quotes_csv(sections: &[ReportSection]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(QUOTE_COLUMNS)?;
    for section in sections {
        for quote in &section.quotes {
            let cells = [
                quote.quote_id.as_str(),
                &quote.case_name,
                &quote.source_name,
                &quote.speaker,
                &quote.role,
                &quote.place,
                &quote.date,
                &section.code.name,
                quote.original.as_deref().unwrap_or_default(),
                quote.translation.as_deref().unwrap_or_default(),
            ];
            writer.write_record(cells.iter().map(|cell| neutralize_formula(cell).into_owned()))?;
        }
    }
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}
