//! A two-site, one-day scenario and hand-written rosters, for the command-line tests of
//! `wfm evaluate` and of the output folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh folder holding a two-site, one-day scenario with inline demand.
pub fn workspace(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "wfm-cli-outputs-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("scenario.json"), SCENARIO).unwrap();
    d
}

pub const SCENARIO: &str = r#"{
  "name": "Two sites, one day",
  "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": 1},
  "sites": [{"name": "london", "zone": "Europe/London"},
            {"name": "dublin", "zone": "Europe/Dublin"}],
  "queues": [{"name": "voice", "volume": 10, "aht_seconds": 300,
              "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}}],
  "templates": [
    {"name": "day", "site": "london", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon"], "from": "07:00", "to": "12:00"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]},
    {"name": "day", "site": "dublin", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon"], "from": "07:00", "to": "12:00"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]}
  ]
}"#;

pub const HEADER: &str =
    "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid,notes";

/// A valid row: a `day` shift at `site` starting at `hour` UTC on the horizon's day, with
/// its lunch three hours in.
pub fn row(agent: &str, site: &str, hour: u32, notes: &str) -> String {
    format!(
        "{agent},{site},day,2027-03-08T{hour:02}:00:00Z,2027-03-08T{:02}:30:00Z,,,,\
         2027-03-08T{:02}:00:00Z/2027-03-08T{:02}:30:00Z,unpaid,{notes}",
        hour + 8,
        hour + 3,
        hour + 3
    )
}

pub fn roster(rows: &[String]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

pub fn good_roster() -> String {
    roster(&[
        row("Ana", "london", 7, "\"prefers mornings, ask first\""),
        row("Ben", "dublin", 9, ""),
        row("Cai", "london", 10, "trainee"),
    ])
}

pub fn wfm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args)
        .output()
        .unwrap()
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn evaluate(ws: &Path, roster: &Path, out: &Path, lenient: bool) -> Output {
    let scenario = ws.join("scenario.json");
    let mut args = vec![
        "evaluate",
        s(&scenario),
        "--roster",
        s(roster),
        "--out",
        s(out),
    ];
    if lenient {
        args.push("--lenient");
    }
    wfm(&args)
}
