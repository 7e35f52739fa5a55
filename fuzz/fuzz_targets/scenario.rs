//! Scenario JSON: parse, prepare (inline forecasts only) and staff every interval.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = wfm::scenario::Scenario::parse(text, "fuzz.json") else {
        return;
    };
    // A fuzzed scenario may name any file; forecasts from files are left to the CSV target.
    if s.queues.iter().any(|q| q.forecast_csv.is_some()) {
        return;
    }
    if let Ok(p) = s.prepare(std::path::Path::new(".")) {
        for q in &p.queues {
            let _ = wfm::demand::requirements(&p.horizon, q);
        }
    }
});
