//! Any bytes as a REFI-QDA project or codebook (archive and XML): imported or
//! refused without panicking, and a refused import leaves the project as it was.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use quipu::formats::ImportError;
use quipu::formats::refi::import_refi;
use quipu::store::{Store, StoreError};

thread_local! {
    /// One project for every input; each import is taken back after it.
    static PROJECT: RefCell<(Store, String)> = RefCell::new({
        let store = Store::in_memory().expect("an in-memory project");
        let dump = store.dump().expect("a dump");
        (store, dump)
    });
}

fuzz_target!(|data: &[u8]| {
    PROJECT.with_borrow_mut(|(store, empty)| {
        let _ = store.try_out(|store| {
            if import_refi(store, data, "fuzz.qdpx", "fuzz").is_err() {
                assert_eq!(&store.dump().expect("a dump"), empty, "a refused import left something behind");
            }
            Err::<(), ImportError>(ImportError::Store(StoreError::Cancelled))
        });
    });
});
