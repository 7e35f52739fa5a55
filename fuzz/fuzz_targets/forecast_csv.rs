//! A scenario's forecast CSV, on a one-day hourly horizon.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(start) = "2027-03-08T00:00:00Z".parse() else {
        return;
    };
    if let Ok(h) = wfm::time::Horizon::days(start, 60, 1) {
        let _ = wfm::scenario::queues::parse_forecast_csv(text, "fuzz.csv", &h);
    }
});
