//! Any bytes as a CSV of excerpts, of codings and of attributes: the readers
//! accept or refuse them without panicking, and an import the reader accepted
//! either lands whole or leaves the project exactly as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::formats::csv_import::{CsvOptions, read_csv};
use quipu::store::Store;

fuzz_target!(|data: &[u8]| {
    let _ = quipu::formats::codings_csv::read_codings_csv(data, "fuzz.csv");
    let _ = quipu::formats::attributes_csv::read_attributes_csv(data, "fuzz.csv");
    let Ok(parsed) = read_csv(data, "fuzz.csv", &CsvOptions::default()) else {
        return;
    };
    let mut store = Store::in_memory().expect("an in-memory project");
    let before = store.dump().expect("a dump");
    if store.import_batch(&parsed.batch, "fuzz", false).is_err() {
        assert_eq!(store.dump().expect("a dump"), before, "a refused import left something behind");
    }
});
