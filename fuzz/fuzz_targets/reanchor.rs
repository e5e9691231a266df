//! Any edited text, any passage and any old position: re-anchoring finds the
//! passage's words inside the text, or says they are gone, without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::text::{CharIdx, char_len, reanchor, slice_chars};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1f}');
    let (Some(edited), Some(covered), start) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let start = start.map_or(0, |start| start.chars().count());
    if let Some(span) = reanchor(edited, covered, CharIdx(start)) {
        assert!(span.start.0 < span.end.0 && span.end.0 <= char_len(edited), "{span:?} outside the text");
        assert!(slice_chars(edited, span).is_some(), "{span:?} does not slice the text");
    }
});
