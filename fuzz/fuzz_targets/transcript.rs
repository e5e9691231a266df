//! Any bytes as a transcript (Word, LibreOffice, text, subtitles; the first
//! byte picks the kind): read, cut into turns and paired with itself, or
//! refused, without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quipu::formats::transcript::{TranscriptOptions, plan_transcript, read::read_transcript};

fuzz_target!(|data: &[u8]| {
    let Some((kind, bytes)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.docx", "fuzz.odt", "fuzz.txt", "fuzz.srt", "fuzz.vtt"][usize::from(*kind) % 5];
    let Ok(file) = read_transcript(bytes, name) else {
        return;
    };
    let _ = plan_transcript(&file, Some(&file), &TranscriptOptions::default());
});
