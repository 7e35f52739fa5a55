//! A Curtois nurse-rostering instance.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = wfm::roster::curtois::parse("fuzz.txt", text);
});
