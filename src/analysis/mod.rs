//! Analysis over the project: code frequencies per group. Pure functions over
//! store queries; the counting itself happens in SQL.

mod frequencies;

pub use frequencies::{CellCount, FrequencyTable, frequencies};
