//! Any bytes as a REFI-QDA project or codebook (archive and XML): imported or
//! refused without panicking, and a refused import leaves the project as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::formats::refi::import_refi;
use quipu::store::Store;

fuzz_target!(|data: &[u8]| {
    let mut store = Store::in_memory().expect("an in-memory project");
    let before = store.dump().expect("a dump");
    if import_refi(&mut store, data, "fuzz.qdpx", "fuzz").is_err() {
        assert_eq!(store.dump().expect("a dump"), before, "a refused import left something behind");
    }
});
