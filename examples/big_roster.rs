//! Writes a large scenario and roster for measuring `wfm evaluate` at its row limit.
//!
//! `cargo run --release --example big_roster -- DIR [ROWS]` writes `DIR/scenario.json` (four
//! weeks on a 30-minute grid, two sites, one queue) and `DIR/roster.csv` with `ROWS` rows
//! (default 1 000 000): agents working 20 of the 28 days, 8.5-hour shifts with a 30-minute
//! unpaid lunch, every row valid. Then:
//!
//! `/usr/bin/time -v target/release/wfm evaluate DIR/scenario.json --roster DIR/roster.csv --out DIR/out`

use chrono::{Duration, TimeZone, Utc};
use std::io::Write;

const SCENARIO: &str = r#"{
  "name": "Large roster",
  "horizon": {"start": "2027-03-01T00:00:00Z", "interval_minutes": 30, "days": 28},
  "sites": [{"name": "london", "zone": "Europe/London"},
            {"name": "manila", "zone": "Asia/Manila"}],
  "queues": [{"name": "voice", "volume": 4000, "aht_seconds": 300,
              "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}}],
  "templates": [
    {"name": "day", "site": "london", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "15:00"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]},
    {"name": "day", "site": "manila", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "23:30"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]}
  ]
}
"#;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: big_roster DIR [ROWS]");
        std::process::exit(2);
    };
    let rows: usize = match args.next().map(|r| r.parse()) {
        None => 1_000_000,
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            eprintln!("ROWS: {e}");
            std::process::exit(2);
        }
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("scenario.json"), SCENARIO)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("roster.csv"))?);
    writeln!(
        w,
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid"
    )?;
    let t0 = Utc
        .with_ymd_and_hms(2027, 3, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for k in 0..rows {
        let (agent, shift) = (k / 20, k % 20);
        // 20 of 28 days: skip days 5, 6, 12, 13, 19, 20, 26, 27 of the agent's cycle.
        let day = shift / 5 * 7 + shift % 5;
        let site = if agent % 2 == 0 { "london" } else { "manila" };
        // Starts from 00:00 to 14:30 UTC on the half hour, by agent.
        let start = t0 + Duration::days(day as i64) + Duration::minutes((agent % 30) as i64 * 30);
        let end = start + Duration::minutes(510);
        let lunch = start + Duration::minutes(240);
        writeln!(
            w,
            "agent {agent:06},{site},day,{},{},,,480,{}/{},unpaid",
            fmt(start),
            fmt(end),
            fmt(lunch),
            fmt(lunch + Duration::minutes(30))
        )?;
    }
    w.flush()
}
