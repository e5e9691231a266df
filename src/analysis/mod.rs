//! Analysis over the project: code frequencies per group and code
//! co-occurrence. Pure functions over store queries; the counting itself happens
//! in SQL.

mod cooccurrence;
mod frequencies;

pub use cooccurrence::{CooccurrenceTable, PairCount, c_coefficient, cooccurrence};
pub use frequencies::{CellCount, FrequencyTable, frequencies};
