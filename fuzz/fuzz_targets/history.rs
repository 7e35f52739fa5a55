//! A history CSV, with the interval recognised from the rows.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ =
        wfm::forecast::parse_history("fuzz.csv", text, &wfm::forecast::HistoryFormat::default());
});
