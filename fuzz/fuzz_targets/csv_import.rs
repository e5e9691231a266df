//! Any bytes as a CSV of excerpts, of codings and of attributes: the readers
//! accept or refuse them without panicking, and an import streamed from the
//! reader (as the command line and the window import) either lands whole or,
//! refused at any row, leaves the project exactly as it was.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use quipu::formats::ImportError;
use quipu::formats::csv_import::{CsvOptions, CsvRows};
use quipu::store::{ImportOptions, Store, StoreError};

thread_local! {
    /// One project for every input; each import is taken back after it.
    static PROJECT: RefCell<(Store, String)> = RefCell::new({
        let store = Store::in_memory().expect("an in-memory project");
        let dump = store.dump().expect("a dump");
        (store, dump)
    });
}

fuzz_target!(|data: &[u8]| {
    let _ = quipu::formats::codings_csv::read_codings_csv(data, "fuzz.csv");
    let _ = quipu::formats::attributes_csv::read_attributes_csv(data, "fuzz.csv");
    let Ok(rows) = CsvRows::open(data, "fuzz.csv", &CsvOptions::default()) else {
        return;
    };
    PROJECT.with_borrow_mut(|(store, empty)| {
        let _ = store.try_out(|store| {
            let options = ImportOptions { coder: "fuzz", dry_run: false, code_choices: &[], large: false };
            if store.import_stream(rows, options, &mut |_| true).is_err() {
                assert_eq!(&store.dump().expect("a dump"), empty, "a refused import left something behind");
            }
            Err::<(), ImportError>(ImportError::Store(StoreError::Cancelled))
        });
    });
});
