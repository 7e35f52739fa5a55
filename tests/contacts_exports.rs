//! `wfm contacts` end to end: every preset's example export (examples/contacts/) goes
//! through `wfm contacts` → `wfm forecast backtest` → `wfm forecast` → `wfm plan`; the
//! Anonymous Bank call log read as a call-record export with a mapping gives the 30-minute
//! table derived independently from the same log; bad rows give named errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn wfm(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (success, out, err) = wfm(dir, args);
    assert!(success, "wfm {args:?} failed:\n{out}\n{err}");
    out
}

/// A scratch folder holding a copy of examples/contacts, as the scenarios there read
/// `../../out/contacts/<preset>/forecast.csv`.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-contacts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    let ex = d.join("examples/contacts");
    std::fs::create_dir_all(&ex).unwrap();
    for e in std::fs::read_dir("examples/contacts").unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), ex.join(e.file_name())).unwrap();
        }
    }
    d
}

/// (preset, export, extra flags, zone, queue file to forecast, queues expected)
type Case = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    usize,
);
const PRESETS: [Case; 5] = [
    (
        "zendesk",
        "zendesk_tickets.csv",
        &["--within", "2h"],
        "Europe/Paris",
        "history_support.csv",
        2,
    ),
    (
        "freshdesk",
        "freshdesk_tickets.csv",
        &["--delimiter", ";", "--decimal-comma", "--dates", "dmy"],
        "Europe/Madrid",
        "history_customer_support.csv",
        2,
    ),
    (
        "salesforce",
        "salesforce_cases.csv",
        &[],
        "America/Chicago",
        "history_email.csv",
        3,
    ),
    (
        "jira",
        "jira_requests.csv",
        &[],
        "Europe/London",
        "history_get_it_help.csv",
        3,
    ),
    (
        "cdr",
        "cdr_calls.csv",
        &[],
        "America/New_York",
        "history_support.csv",
        2,
    ),
];

#[test]
fn every_preset_goes_from_export_to_plan() {
    let dir = scratch("presets");
    for (preset, file, extra, zone, queue_file, queues) in PRESETS {
        let out = format!("out/contacts/{preset}");
        let export = format!("examples/contacts/{file}");
        let mut args = vec![
            "contacts",
            &export,
            "--preset",
            preset,
            "--zone",
            zone,
            "--interval",
            "1h",
            "--from",
            "2027-02-01",
            "--to",
            "2027-02-28",
            "--out",
            &out,
        ];
        args.extend_from_slice(extra);
        let said = ok(&dir, &args);
        assert!(
            said.contains(&format!("{queues} queues")),
            "{preset}: {said}"
        );

        // One history per queue, every local day of February on the hourly grid.
        let history = dir.join(&out).join(queue_file);
        let text = std::fs::read_to_string(&history).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with(
                "interval_start_utc,interval_start_local,offered,handled,abandoned,aht_seconds"
            ),
            "{header}"
        );
        assert_eq!(lines.clone().count(), 28 * 24, "{preset}");
        let offered: u64 = lines
            .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
            .sum();
        assert!(offered > 100, "{preset}: {offered}");
        let achieved = std::fs::read_to_string(dir.join(&out).join("achieved.csv")).unwrap();
        assert_eq!(achieved.lines().count(), queues + 1, "{preset}: {achieved}");

        let hist = format!("{out}/{queue_file}");
        let bt_out = format!("{out}/bt");
        let said = ok(
            &dir,
            &[
                "forecast",
                "backtest",
                &hist,
                "--tz",
                zone,
                "--horizon",
                "7d",
                "--out",
                &bt_out,
            ],
        );
        assert!(said.contains("1 folds"), "{preset}: {said}");
        assert!(dir.join(&bt_out).join("backtest.csv").exists());

        let fc = format!("{out}/forecast.csv");
        ok(
            &dir,
            &[
                "forecast",
                &hist,
                "--tz",
                zone,
                "--horizon",
                "7d",
                "--aht",
                "10m",
                "--out",
                &fc,
            ],
        );
        let plan = format!("examples/contacts/plan_{preset}.json");
        let plan_out = format!("out/plan/{preset}");
        let said = ok(&dir, &["plan", &plan, "--out", &plan_out]);
        assert!(said.contains("shifts"), "{preset}: {said}");
        let summary = std::fs::read_to_string(dir.join(&plan_out).join("summary.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
        assert!(v["shifts"].as_u64().unwrap() > 0, "{preset}: {summary}");
    }
}

#[test]
fn the_bank_log_read_as_a_call_record_export_gives_the_independent_table() {
    let dir = std::env::temp_dir().join(format!("wfm-contacts-bank-{}", std::process::id()));
    let out = dir.join("bank");
    let here = std::env::current_dir().unwrap();
    let said = ok(
        &here,
        &[
            "contacts",
            "tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt",
            "--mapping",
            "examples/contacts/anonymous_bank_mapping.json",
            "--interval",
            "30m",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(said.contains("33344 rows (278 left out"), "{said}");
    let ours = std::fs::read_to_string(out.join("history_all.csv")).unwrap();
    let reference =
        std::fs::read_to_string("tests/data/anonymous_bank_feb1999/intervals_30min.csv").unwrap();
    let ours: Vec<&str> = ours.lines().skip(1).collect();
    let theirs: Vec<&str> = reference.lines().skip(1).collect();
    assert_eq!(ours.len(), 28 * 48);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        // ours: interval_start_utc,interval_start_local,offered,handled,abandoned,aht_seconds,...
        // theirs: interval_start (local),weekday,arrivals,served,abandoned,sum_service_seconds,...
        let a: Vec<&str> = a.split(',').collect();
        let b: Vec<&str> = b.split(',').collect();
        assert_eq!(&a[1][..16], b[0].replace(' ', "T"), "{a:?} {b:?}");
        assert_eq!(a[2], b[2], "offered at {}", b[0]);
        assert_eq!(a[3], b[3], "handled at {}", b[0]);
        assert_eq!(a[4], b[4], "abandoned at {}", b[0]);
        let served: f64 = b[3].parse().unwrap();
        let service: f64 = b[5].parse().unwrap();
        if served > 0.0 {
            let aht: f64 = a[5].parse().unwrap();
            // aht_seconds is written to 0.1 s.
            assert!(
                (aht * served - service).abs() <= 0.05 * served + 1e-6,
                "{a:?} {b:?}"
            );
        } else {
            assert_eq!(a[5], "", "{a:?}");
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn bad_rows_are_named_by_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("wfm-contacts-bad-{}", std::process::id()));
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let header = "call_id,start_time,queue,disposition,wait_seconds,talk_seconds,hold_seconds,wrap_seconds,agent\n";
    let good = "c1,2027-02-01T08:00:00-05:00,sales,ANSWERED,10,100,0,20,a1\n";
    let cases: [(&str, String, &[&str], &str); 7] = [
        (
            "bad_time.csv",
            format!("{header}{good}c2,2027-02-31 08:00,sales,ANSWERED,1,1,1,1,a\n"),
            &["--zone", "UTC"],
            "bad_time.csv:3: column \"start_time\" (2): unparsable timestamp",
        ),
        (
            "naive.csv",
            format!("{header}{good}c2,2027-02-01 08:00,sales,ANSWERED,1,1,1,1,a\n"),
            &[],
            "naive.csv:3: column \"start_time\" (2): timestamp 2027-02-01 08:00:00 has no UTC offset: give the zone",
        ),
        (
            "negative.csv",
            format!("{header}{good}c2,2027-02-01T08:00:00Z,sales,ANSWERED,1,-5,1,1,a\n"),
            &[],
            "negative.csv:3: column \"talk_seconds\" (6): \"-5\" must be a finite number",
        ),
        (
            "comma.csv",
            format!("{header}{good}c2,2027-02-01T08:00:00Z,sales,ANSWERED,\"1,5\",1,1,1,a\n"),
            &[],
            "comma.csv:3: column \"wait_seconds\" (5): \"1,5\" is not a number (a decimal comma? give --decimal-comma)",
        ),
        (
            "short.csv",
            format!("{header}{good}c2,2027-02-01T08:00:00Z,sales\n"),
            &[],
            "short.csv:3: column \"disposition\" (4) is missing: the row has 3 fields",
        ),
        (
            "nocol.csv",
            "call_id,started,queue\nc1,2027-02-01T08:00:00Z,sales\n".to_string(),
            &[],
            "nocol.csv:1: missing column \"start_time\" (arrival time)",
        ),
        (
            // With --delimiter named (without it the `;` is found from the header line).
            "semicolon.csv",
            header.replace(',', ";"),
            &["--delimiter", ","],
            "semicolon.csv:1: the header has 1 column(s) with delimiter ','",
        ),
    ];
    for (name, text, extra, expected) in cases {
        let path = write(&dir, name, &text);
        let mut args = vec!["contacts", &path, "--preset", "cdr", "--out", out];
        args.extend_from_slice(extra);
        let (success, _, err) = wfm(&dir, &args);
        assert!(!success, "{name} was accepted");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A quoted subject over two lines: the next row's line is still right.
    let path = write(
        &dir,
        "multiline.csv",
        "Id,Subject,Group,Created at,Solved at,First reply time in minutes\n1,\"two\nlines\",A,2027-02-01 08:00,,\n2,x,A,2027-02-01 25:00,,\n",
    );
    let (_, _, err) = wfm(
        &dir,
        &[
            "contacts", &path, "--preset", "zendesk", "--zone", "UTC", "--out", out,
        ],
    );
    assert!(
        err.contains("multiline.csv:4: column \"Created at\" (4)"),
        "{err}"
    );
    // A line of 2 MB (no line breaks: not an export) is refused, not read into memory.
    let long = format!("{header}{good}c2,{}\n", "x".repeat(2 << 20));
    let path = write(&dir, "long.csv", &long);
    let (success, _, err) = wfm(&dir, &["contacts", &path, "--preset", "cdr", "--out", out]);
    assert!(
        !success && err.contains("long.csv:3: ") && err.contains("longer than"),
        "{err}"
    );
    // An export called achieved.csv in the output folder is not overwritten.
    let sub = dir.join("keep");
    let kept = write(&sub, "achieved.csv", &format!("{header}{good}"));
    let (success, _, err) = wfm(
        &dir,
        &[
            "contacts",
            &kept,
            "--preset",
            "cdr",
            "--out",
            sub.to_str().unwrap(),
        ],
    );
    assert!(!success && err.contains("is the export itself"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        format!("{header}{good}")
    );
    // Unknown preset, and a mapping with an unknown field.
    let (_, _, err) = wfm(
        &dir,
        &["contacts", &path, "--preset", "kayako", "--out", out],
    );
    assert!(err.contains("unknown preset \"kayako\""), "{err}");
    let m = write(&dir, "m.json", "{\"time_colum\": \"x\"}");
    let (_, _, err) = wfm(&dir, &["contacts", &path, "--mapping", &m, "--out", out]);
    assert!(err.contains("unknown field `time_colum`"), "{err}");
}

#[test]
fn a_byte_order_mark_and_tickets_backlog() {
    let dir = std::env::temp_dir().join(format!("wfm-contacts-bom-{}", std::process::id()));
    let text = "\u{feff}Id,Subject,Group,Created at,Solved at,First reply time in minutes\n\
        1,a,A,2027-02-01 08:10,2027-02-01 09:40,5\n\
        2,b,A,2027-02-01 08:20,,\n\
        3,c,A,2027-02-01 09:05,2027-02-02 09:05,90\n";
    let path = write(&dir, "bom.csv", text);
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "contacts",
            &path,
            "--preset",
            "zendesk",
            "--zone",
            "Europe/Paris",
            "--interval",
            "1h",
            "--within",
            "1h",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let h = std::fs::read_to_string(out.join("history_a.csv")).unwrap();
    // 08:00 Paris is 07:00 UTC: two created, none solved; 09:00: one created, one solved.
    let row = |utc: &str| h.lines().find(|l| l.starts_with(utc)).unwrap().to_string();
    assert_eq!(
        row("2027-02-01T07:00:00Z"),
        "2027-02-01T07:00:00Z,2027-02-01T08:00:00+01:00,2,1,0,,0.5000,300.0,0.0000,0,2"
    );
    assert_eq!(
        row("2027-02-01T08:00:00Z"),
        "2027-02-01T08:00:00Z,2027-02-01T09:00:00+01:00,1,1,0,,0.0000,5400.0,0.0000,1,2"
    );
    let a = std::fs::read_to_string(out.join("achieved.csv")).unwrap();
    // Resolution times 90 min and 24 h: p50 1.5 h, p90 24 h; one unresolved.
    assert!(
        a.contains("A,history_a.csv,3,2,0,,0.3333,3600,2850.0,0.0000,2,1,1.50,24.00"),
        "{a}"
    );
}

#[test]
fn the_week_after_compares_actuals_with_forecast_and_plan() {
    let dir = scratch("review");
    let z = ["--zone", "America/New_York", "--interval", "1h"];
    let export = "examples/contacts/cdr_calls.csv";
    let mut past = vec![
        "contacts",
        export,
        "--preset",
        "cdr",
        "--from",
        "2027-02-01",
        "--to",
        "2027-02-21",
        "--out",
        "out/review/past",
    ];
    past.extend_from_slice(&z);
    ok(&dir, &past);
    // Three weeks are too short for the default backtest: the error says so before anything runs.
    let (success, _, err) = wfm(
        &dir,
        &[
            "forecast",
            "out/review/past/history_support.csv",
            "--tz",
            "America/New_York",
            "--horizon",
            "7d",
        ],
    );
    assert!(!success && err.contains("--method"), "{err}");
    ok(
        &dir,
        &[
            "forecast",
            "out/review/past/history_support.csv",
            "--tz",
            "America/New_York",
            "--method",
            "weekly_average",
            "--horizon",
            "7d",
            "--out",
            "out/review/forecast.csv",
        ],
    );
    ok(
        &dir,
        &[
            "plan",
            "examples/contacts/review_cdr.json",
            "--out",
            "out/review/plan",
        ],
    );
    let mut week = vec![
        "contacts",
        export,
        "--preset",
        "cdr",
        "--from",
        "2027-02-22",
        "--to",
        "2027-02-28",
        "--out",
        "out/review/week",
    ];
    week.extend_from_slice(&z);
    ok(&dir, &week);
    let said = ok(
        &dir,
        &[
            "compare",
            "out/review/forecast.csv",
            "--actual",
            "out/review/week/history_support.csv",
            "--coverage",
            "out/review/plan/coverage.csv",
            "--zone",
            "America/New_York",
            "--out",
            "out/review/compare",
        ],
    );

    // Recompute WAPE and bias from compare_intervals.csv and the actual total from the
    // week's history.
    let text =
        std::fs::read_to_string(dir.join("out/review/compare/compare_intervals.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let (mut f, mut a, mut e, mut n, mut predicted) = (0.0, 0.0, 0.0, 0, 0);
    for r in rdr.records() {
        let r = r.unwrap();
        let (fc, ac): (f64, f64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert!((r[4].parse::<f64>().unwrap() - (fc - ac)).abs() < 1e-3);
        f += fc;
        a += ac;
        e += (fc - ac).abs();
        n += 1;
        if fc > 0.0 {
            assert!(
                !r[8].is_empty(),
                "open interval {} has a predicted service level",
                &r[0]
            );
            predicted += 1;
        } else {
            assert!(r[8].is_empty(), "closed interval {} has none", &r[0]);
        }
    }
    assert_eq!(n, 7 * 24);
    assert!(predicted > 50);
    let hist = std::fs::read_to_string(dir.join("out/review/week/history_support.csv")).unwrap();
    let offered: f64 = hist
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(a, offered);
    let expected = format!(
        "WAPE {:.1} %, bias {:+.1} %",
        100.0 * e / a,
        100.0 * (f - a) / a
    );
    assert!(said.contains(&expected), "{said} / {expected}");
    let days = std::fs::read_to_string(dir.join("out/review/compare/compare_days.csv")).unwrap();
    assert_eq!(days.lines().count(), 8, "{days}");
    let day_actual: f64 = days
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2).unwrap().parse::<f64>().ok())
        .sum();
    assert_eq!(day_actual, a);
}
