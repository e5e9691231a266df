//! Tables as spreadsheets (.xlsx): coded quotes, one row per quote, and frequency
//! tables, codes × groups with a long-format sheet beside. Text that a spreadsheet
//! would run as a formula is stored as text with Excel's quote prefix, so it shows
//! as written and never runs.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::csv_export::{QUOTE_COLUMNS, frequency_columns, quote_rows};
use super::report::Report;
use crate::analysis::FrequencyTable;

/// True for text a spreadsheet would read as a formula.
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn header_format() -> Format {
    Format::new().set_bold().set_background_color("#E8E4DA")
}

fn write_text(sheet: &mut Worksheet, row: u32, column: u16, text: &str, wrap: bool) -> Result<(), XlsxError> {
    let mut format = Format::new().set_align(FormatAlign::Top);
    if wrap {
        format = format.set_text_wrap();
    }
    if formula_like(text) {
        format = format.set_quote_prefix();
    }
    sheet.write_string_with_format(row, column, text, &format)?;
    Ok(())
}

/// The most characters a spreadsheet cell holds (Excel's limit).
pub const CELL_LIMIT: usize = 32_767;

/// What ends a cell cut to [`CELL_LIMIT`], so the cut shows.
const CUT_MARKER: &str = " […] [cut: a spreadsheet cell holds 32,767 characters; the whole text is in the \
     Word, HTML, Markdown and CSV exports]";

/// `text` cut to fit a cell, with a marker saying so, or `None` if it fits.
fn fitted(text: &str) -> Option<String> {
    if text.chars().count() <= CELL_LIMIT {
        return None;
    }
    let keep = CELL_LIMIT - CUT_MARKER.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_MARKER);
    Some(cut)
}

/// Renders the quotes as the bytes of an .xlsx file, and the IDs of the
/// excerpts whose text was too long for a cell and was cut (marked in the cell).
pub fn render_quotes_xlsx(report: &Report) -> Result<(Vec<u8>, Vec<String>), XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Quotes")?;
    let header = header_format();
    for (column, name) in QUOTE_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &header)?;
    }
    let widths = [8.0, 14.0, 22.0, 18.0, 22.0, 18.0, 11.0, 22.0, 60.0, 60.0, 11.0, 30.0];
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    let rows = quote_rows(report);
    let mut cut = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            let fitted = fitted(cell);
            if fitted.is_some() && !cut.contains(&row[0]) {
                cut.push(row[0].clone());
            }
            let text = fitted.as_deref().unwrap_or(cell);
            write_text(sheet, index as u32 + 1, column as u16, text, matches!(column, 8 | 9 | 11))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, QUOTE_COLUMNS.len() as u16 - 1)?;
    Ok((workbook.save_to_buffer()?, cut))
}

/// Renders a frequency table as the bytes of an .xlsx file: a "Frequencies" sheet
/// of codes × groups (excerpts carrying each code, with totals) and a "Details"
/// sheet with one row per group and code.
pub fn render_frequencies_xlsx(table: &FrequencyTable) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = header_format();
    let percent = Format::new().set_num_format("0.0%");
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Frequencies")?;
        sheet.write_string_with_format(0, 0, "code", &header)?;
        for (group_index, (group, _)) in table.groups.iter().enumerate() {
            let column = group_index as u16 + 1;
            write_text(sheet, 0, column, group, false)?;
            sheet.set_column_width(column, 14.0)?;
        }
        let total_column = table.groups.len() as u16 + 1;
        sheet.write_string_with_format(0, total_column, "total", &header)?;
        sheet.set_column_width(0, 30.0)?;
        for (code_index, code) in table.codes.iter().enumerate() {
            let row = code_index as u32 + 1;
            write_text(sheet, row, 0, &code.name, false)?;
            for group_index in 0..table.groups.len() {
                let cell = table.cell(group_index, code_index);
                sheet.write_number(row, group_index as u16 + 1, cell.excerpts as f64)?;
            }
            sheet.write_number(row, total_column, table.totals[code_index].excerpts as f64)?;
        }
        let sizes_row = table.codes.len() as u32 + 1;
        sheet.write_string_with_format(sizes_row, 0, "(excerpts in group)", &header)?;
        for (group_index, (_, size)) in table.groups.iter().enumerate() {
            sheet.write_number(sizes_row, group_index as u16 + 1, *size as f64)?;
        }
        sheet.write_number(sizes_row, total_column, table.total_excerpts as f64)?;
        sheet.set_freeze_panes(1, 1)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Details")?;
        for (column, name) in frequency_columns(table).iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, name, &header)?;
        }
        let mut row = 1;
        for (group_index, (group, size)) in table.groups.iter().enumerate() {
            for (code_index, code) in table.codes.iter().enumerate() {
                let cell = table.cell(group_index, code_index);
                if cell.excerpts == 0 {
                    continue;
                }
                write_text(sheet, row, 0, group, false)?;
                write_text(sheet, row, 1, &code.name, false)?;
                sheet.write_number(row, 2, cell.excerpts as f64)?;
                sheet.write_number(row, 3, cell.codings as f64)?;
                sheet.write_number_with_format(row, 4, cell.share, &percent)?;
                sheet.write_number(row, 5, cell.speakers as f64)?;
                sheet.write_number(row, 6, *size as f64)?;
                row += 1;
            }
        }
        sheet.set_column_width(0, 24.0)?;
        sheet.set_column_width(1, 30.0)?;
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}
