//! Analysis over the project: code frequencies per group, code co-occurrence,
//! and agreement between coders. Pure functions over store queries: counts come
//! from SQL; agreement tallies codings in Rust.

pub mod agreement;
mod cooccurrence;
mod frequencies;

pub use agreement::{AgreementTable, Figures, Level, Tally, agreement};
pub use cooccurrence::{CooccurrenceTable, PairCount, c_coefficient, cooccurrence};
pub use frequencies::{CellCount, FrequencyTable, frequencies};
