//! A roster CSV, against one London site whose template `day` serves queue 0.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tz) = wfm::time::parse_tz("tz", "Europe/London") else {
        return;
    };
    let sites = [wfm::time::Site {
        name: "lon".into(),
        tz,
    }];
    let mut routing = wfm::evaluate::Routing::new();
    if routing.serve("lon", "day", 0).is_ok() {
        let _ = wfm::io::parse_roster_routed(text, "fuzz.csv", &sites, &routing);
    }
});
