//! Property-based fuzzing of every reader: scenario JSON (`Scenario::parse` and `prepare`,
//! then the staffing of every interval), forecast CSV, history CSV, contact logs, roster
//! CSV (`parse_roster_routed`), Curtois files and the `wfm erlang` arguments (the library
//! calls the command makes, and the binary itself a few times).
//!
//! Inputs are random text, and valid files with random edits (characters inserted, deleted
//! or replaced; numbers swapped for extreme values). Each reader must return `Ok` or a
//! named `Err`, never panic. Time is bounded by construction: inputs are a few kilobytes,
//! every number a reader accepts is within the documented limits, and the case counts are
//! fixed (`cargo fuzz`, under `fuzz/`, runs the same readers for as long as one likes).

use proptest::prelude::*;
use std::path::Path;
use wfm::evaluate::Routing;
use wfm::forecast::{parse_contact_log, parse_history, ContactLogFormat, HistoryFormat};
use wfm::queueing::{Model, Staffing, Target, Workload};
use wfm::scenario::{queues::parse_forecast_csv, Scenario};
use wfm::time::{Horizon, Site};

const SCENARIO: &str = include_str!("data/bad_rosters/scenario.json");

const HISTORY: &str = "interval_start,volume,aht_seconds\n\
2027-03-08T00:00:00Z,10,180\n2027-03-08T00:30:00Z,12,175.5\n2027-03-08T01:00:00Z,0,\n\
2027-03-08T01:30:00Z,7,190\n2027-03-08T02:00:00Z,9,200\n";

const CONTACTS: &str = "arrival,handle,queue\n2027-03-08 08:00:05,200,3\n\
2027-03-08 08:01:00,150,0\n2027-03-08 08:02:30,,12\n2027-03-08 08:04:00,90,1\n";

const ROSTER: &str = "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid\n\
a1,lon,day,2027-03-08T07:00:00Z,2027-03-08T15:00:00Z,2027-03-08T07:00:00+00:00,,480,2027-03-08T10:00:00Z/2027-03-08T10:30:00Z,paid\n\
a2,lon,day,2027-03-08T08:00:00Z,2027-03-08T16:00:00Z,,,,,\n";

const CURTOIS: &str = "SECTION_HORIZON\n14\n\nSECTION_SHIFTS\nD,480,\nL,600,D\n\nSECTION_STAFF\n\
A,D=14|L=3,4320,0,5,1,1,2\nB,D=14|L=0,4320,0,5,1,1,2\n\nSECTION_DAYS_OFF\nA,0\n\n\
SECTION_SHIFT_ON_REQUESTS\nA,2,D,2\n\nSECTION_SHIFT_OFF_REQUESTS\nA,3,D,1\n\n\
SECTION_COVER\n0,D,1,100,1\n1,L,1,100,1\n";

/// Numbers that break naive code.
fn nasty_number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("-0".to_string()),
        Just("1e-300".to_string()),
        Just("1e300".to_string()),
        Just("1e308".to_string()),
        Just("1e400".to_string()),
        Just("4294967295".to_string()),
        Just("4294967296".to_string()),
        Just("18446744073709551616".to_string()),
        Just("0.999999".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("\"x\"".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("{x}")),
    ]
}

/// `base` with a few random edits: characters inserted, deleted or replaced, or a number
/// swapped for a nasty one.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let edit = (
        0usize..base.len().max(1),
        0u8..4,
        prop::sample::select(vec![
            ",", "\n", "\"", "{", "}", "[", "]", ":", "0", "9", "-", "e", "Z", "T", "/", "|", "=",
            " ", "'", "\u{feff}", "\u{0}", "é",
        ]),
        nasty_number(),
    );
    prop::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut s = base.to_string();
        for (at, op, ch, num) in edits {
            let mut at = at.min(s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            match op {
                0 => s.insert_str(at, ch),
                1 => {
                    let end = (at + 1..=s.len())
                        .find(|&e| s.is_char_boundary(e))
                        .unwrap_or(at);
                    s.replace_range(at..end, "");
                }
                2 => {
                    // Replace the number (run of digits, dots, signs, e) around `at`.
                    let is_num = |c: char| c.is_ascii_digit() || ".-+e".contains(c);
                    let start = s[..at]
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| !is_num(c))
                        .map_or(0, |(i, c)| i + c.len_utf8());
                    let end = s[at..]
                        .find(|c: char| !is_num(c))
                        .map_or(s.len(), |i| at + i);
                    s.replace_range(start..end, &num);
                }
                _ => {
                    // Repeat a line (duplicates, extra rows).
                    if let Some(line) = s[at..].lines().next().map(str::to_string) {
                        s.insert_str(at, &format!("{line}\n"));
                    }
                }
            }
        }
        s
    })
}

/// Random text from an alphabet that CSV and JSON readers care about.
fn noise() -> impl Strategy<Value = String> {
    "[0-9a-zA-Z:,.\\-+TZ\n\r\"{}\\[\\] =|/;']{0,300}"
}

fn horizon() -> Horizon {
    let start = "2027-03-08T00:00:00Z".parse().unwrap();
    Horizon::days(start, 60, 1).unwrap()
}

fn sites() -> Vec<Site> {
    vec![Site {
        name: "lon".into(),
        tz: "Europe/London".parse().unwrap(),
    }]
}

/// Parses and prepares a scenario, then staffs every interval of every queue: an `Ok` or a
/// named `Err` at each step.
fn scenario_pipeline(text: &str) {
    let dir = std::env::temp_dir();
    let Ok(s) = Scenario::parse(text, "fuzz.json") else {
        return;
    };
    // Forecast files named by a mutated scenario are not read: only inline forecasts.
    if s.queues.iter().any(|q| q.forecast_csv.is_some()) {
        return;
    }
    let Ok(p) = s.prepare(&dir) else {
        return;
    };
    for q in &p.queues {
        let _ = wfm::demand::requirements(&p.horizon, q);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn scenario_json_never_panics(text in mutated(SCENARIO)) {
        scenario_pipeline(&text);
    }

    #[test]
    fn scenario_noise_never_panics(text in noise()) {
        scenario_pipeline(&text);
    }

    #[test]
    fn forecast_csv_never_panics(text in prop_oneof![
        mutated("interval_start_utc,volume,aht_seconds\n2027-03-08T00:00:00Z,10,180\n2027-03-08T01:00:00Z,3,200\n"),
        noise(),
    ]) {
        let _ = parse_forecast_csv(&text, "fuzz.csv", &horizon());
    }

    #[test]
    fn history_csv_never_panics(text in prop_oneof![mutated(HISTORY), noise()], interval in prop::option::of(prop::sample::select(vec![5u32, 10, 15, 30, 60]))) {
        let format = HistoryFormat { interval_minutes: interval, ..HistoryFormat::default() };
        let _ = parse_history("fuzz.csv", &text, &format);
    }

    #[test]
    fn contact_log_never_panics(text in prop_oneof![mutated(CONTACTS), noise()]) {
        let mut format = ContactLogFormat::new("arrival");
        format.handle_column = Some("handle".into());
        format.queue_column = Some("queue".into());
        format.tz = "America/New_York".parse().unwrap();
        if let Ok(log) = parse_contact_log("fuzz.csv", &text, &format) {
            // What a log that reads becomes: a grid and per-interval statistics.
            if let Ok(h) = wfm::forecast::contacts::covering_grid(&log.contacts, format.tz, 30) {
                let _ = wfm::forecast::contacts::aggregate(&log.contacts, h);
            }
        }
    }

    #[test]
    fn roster_csv_never_panics(text in prop_oneof![mutated(ROSTER), noise()]) {
        let mut routing = Routing::new();
        routing.serve("lon", "day", 0).unwrap();
        let _ = wfm::io::parse_roster_routed(&text, "fuzz.csv", &sites(), &routing);
    }

    #[test]
    fn curtois_never_panics(text in prop_oneof![mutated(CURTOIS), noise()]) {
        let _ = wfm::roster::curtois::parse("fuzz.txt", &text);
    }
}

/// A float from everywhere, weighted towards the edges.
fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-1.0),
        Just(1e-300),
        Just(1e300),
        Just(f64::MAX),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        any::<f64>(),
        0.0f64..2.0,
        0.0f64..5_000.0,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// The library calls `wfm erlang` makes, with any numbers at all.
    #[test]
    fn erlang_arguments_never_panic(
        volume in wild(), interval_min in wild(), aht in wild(),
        sl in prop::option::of(wild()), within in wild(), asa in prop::option::of(wild()),
        occ in prop::option::of(wild()), abandon in prop::option::of(wild()),
        patience in prop::option::of(wild()), shrinkage in wild(),
        concurrency in prop_oneof![Just(0u32), 1u32..30, Just(u32::MAX)],
        agents in prop::option::of(prop_oneof![0u32..200, Just(1_000_001u32), Just(u32::MAX)]),
    ) {
        let Ok(w) = Workload::new(volume, interval_min * 60.0, aht) else { return Ok(()) };
        let Ok(mut s) = Staffing::new(w)
            .shrinkage(shrinkage)
            .and_then(|s| s.concurrency(concurrency))
            .and_then(|s| s.service_level_seconds(within)) else { return Ok(()) };
        if let Some(p) = patience {
            s = s.model(Model::ErlangA { patience_seconds: p });
        }
        if let Some(f) = sl {
            s = s.target(Target::ServiceLevel { fraction: f, within_seconds: within });
        }
        if let Some(a) = asa {
            s = s.target(Target::Asa { seconds: a });
        }
        if let Some(o) = occ {
            s = s.target(Target::MaxOccupancy(o));
        }
        if let Some(a) = abandon {
            s = s.target(Target::MaxAbandon(a));
        }
        match agents {
            Some(n) => {
                if let Ok(m) = s.evaluate(n) {
                    prop_assert!((0.0..=1.0).contains(&m.service_level), "{m:?}");
                    prop_assert!((0.0..=1.0).contains(&m.occupancy), "{m:?}");
                }
            }
            None => {
                if let Ok(r) = s.solve() {
                    prop_assert!(s.meets(&r.metrics), "{r:?}");
                    prop_assert!(r.agents <= wfm::limits::MAX_AGENTS);
                }
            }
        }
    }
}

/// The binary itself, on a handful of random argument sets: exit status 0 or 2, never a
/// panic (101).
#[test]
fn the_erlang_command_exits_cleanly() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 8,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let arg = prop_oneof![
        Just("0"),
        Just("-1"),
        Just("1e-300"),
        Just("1e300"),
        Just("NaN"),
        Just("0.8"),
        Just("30"),
        Just("180"),
        Just("4294967295"),
    ];
    let args = (arg.clone(), arg.clone(), arg.clone(), arg.clone(), arg);
    runner
        .run(&args, |(v, i, a, p, n)| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_wfm"))
                .args([
                    "erlang",
                    "--volume",
                    v,
                    "--interval",
                    i,
                    "--aht",
                    a,
                    "--patience",
                    p,
                    "--agents",
                    n,
                ])
                .output()
                .unwrap();
            let code = out.status.code();
            prop_assert!(
                code == Some(0) || code == Some(2),
                "{v} {i} {a} {p} {n}: {code:?} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_bundled_inputs_read() {
    // The fuzzers' starting points are valid, so the mutations explore near valid input.
    let s = Scenario::parse(SCENARIO, "scenario.json").unwrap();
    s.prepare(Path::new(".")).unwrap();
    parse_history("h.csv", HISTORY, &HistoryFormat::default()).unwrap();
    let mut format = ContactLogFormat::new("arrival");
    format.handle_column = Some("handle".into());
    format.queue_column = Some("queue".into());
    parse_contact_log("c.csv", CONTACTS, &format).unwrap();
    let mut routing = Routing::new();
    routing.serve("lon", "day", 0).unwrap();
    wfm::io::parse_roster_routed(ROSTER, "r.csv", &sites(), &routing).unwrap();
    wfm::roster::curtois::parse("c.txt", CURTOIS).unwrap();
}
