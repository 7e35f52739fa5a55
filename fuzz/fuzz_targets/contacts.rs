//! A contact log (arrival, handle and queue columns, naive times in New York), then its
//! per-interval statistics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wfm::forecast::contacts;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut format = contacts::ContactLogFormat::new("arrival");
    format.handle_column = Some("handle".into());
    format.queue_column = Some("queue".into());
    let Ok(tz) = wfm::time::parse_tz("tz", "America/New_York") else {
        return;
    };
    format.tz = tz;
    if let Ok(log) = contacts::parse_contact_log("fuzz.csv", text, &format) {
        if let Ok(h) = contacts::covering_grid(&log.contacts, format.tz, 30) {
            let _ = contacts::aggregate(&log.contacts, h);
        }
    }
});
