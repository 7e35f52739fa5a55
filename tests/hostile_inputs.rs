//! Hostile inputs found by mutating the bundled examples field by field and line by line:
//! each case fails with exit status 2 and a message naming the file and line (or the
//! field), never panics, and writes nothing. The corpora of `tests/data/bad_*` hold most
//! such cases; these need options or files the corpora's runners do not give.

mod cli_support;

use cli_support::{
    calls_with, cdr_contacts, refused, refused_text, repo, s, scratch, succeeds, FILE, OUT,
};
use std::path::{Path, PathBuf};

/// Four weeks of half-hours from 1899-12-01 (local), ten contacts each.
fn old_history() -> String {
    let mut s = String::from("interval_start,volume\n");
    let start = chrono::NaiveDate::from_ymd_opt(1899, 12, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for k in 0..28 * 48 {
        let t = start + chrono::Duration::minutes(30 * k);
        s.push_str(&format!("{},10\n", t.format("%Y-%m-%d %H:%M")));
    }
    s
}

#[test]
fn a_history_before_the_zone_kept_whole_minute_offsets_is_refused_with_its_line() {
    let dir = scratch("lmt");
    let file = dir.join("old.csv");
    std::fs::write(&file, old_history()).unwrap();
    let out = dir.join("out/forecast.csv");
    // Jerusalem kept local mean time (+02:20:40) until 1918: local days cannot be cut
    // on a whole-minute grid.
    refused(
        &[
            "forecast",
            s(&file),
            "--tz",
            "Asia/Jerusalem",
            "--aht",
            "3m",
            "--out",
            s(&out),
        ],
        "old.csv:2: column interval_start: 1899-11-30T21:39:20+00:00 is before Asia/Jerusalem kept whole-minute UTC offsets",
        Some(&out),
    );
    // The same rows in UTC are a valid history.
    succeeds(&[
        "forecast",
        s(&file),
        "--aht",
        "3m",
        "--method",
        "weekly_average",
        "--out",
        s(&out),
    ]);
}

#[test]
fn a_special_days_column_given_twice_is_an_error() {
    let history = repo("tests/data/bad_cli/history_4_weeks.csv");
    refused_text(
        "special-twice",
        "days.csv",
        "date,name,multiplier,multiplier\n2027-03-31,campaign,1.5,2\n",
        &[
            "forecast",
            s(&history),
            "--method",
            "weekly_average",
            "--special-days",
            FILE,
            "--out",
            OUT,
        ],
        "days.csv:1: column \"multiplier\" appears twice in the header (columns 3 and 4)",
    );
}

#[test]
fn a_contact_export_column_given_twice_is_an_error() {
    let text = std::fs::read_to_string(repo("examples/contacts/cdr_calls.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut doubled = format!("{header},talk_seconds\n");
    for l in lines {
        doubled.push_str(l);
        doubled.push_str(",1\n");
    }
    refused_text(
        "contacts-twice",
        "calls.csv",
        &doubled,
        &cdr_contacts(Path::new(FILE), Path::new(OUT), &[]),
        "calls.csv:1: column \"talk_seconds\"",
    );
}

/// A plan of the smallest bundled scenario, made once per test that needs a roster.
fn planned(tag: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(tag);
    let scenario = repo("examples/scenarios/single_site_week.json");
    let out = dir.join("plan");
    succeeds(&["plan", s(&scenario), "--out", s(&out)]);
    (scenario, out.join("roster.csv"))
}

#[test]
fn simulation_sizes_beyond_the_limits_are_refused_before_any_work() {
    let (scenario, roster) = planned("sim-limits");
    let sc = s(&scenario);
    let r = s(&roster);
    let out = scratch("sim-limits-out").join("sim");
    let o = s(&out);
    for (extra, needle) in [
        (
            vec!["--replications", "1000000000"],
            "--replications: must be at most 10000 (the input limit), got 1000000000",
        ),
        (
            vec!["--replications", "0"],
            "--replications: must be at least 1, got 0",
        ),
        (
            vec!["--replications", "2", "--handle-cv", "1e308"],
            "handle.cv: must be at most 100 (the input limit), got 1e308",
        ),
    ] {
        let mut args = vec!["simulate", sc, "--roster", r, "--out", o];
        args.extend(extra);
        refused(&args, needle, Some(&out));
    }
    for (extra, needle) in [
        (
            vec!["--simulate", "4294967295"],
            "--simulate: must be at most 10000 (the input limit), got 4294967295",
        ),
        (
            vec!["--simulate", "2", "--check-rounds", "0"],
            "--check-rounds: must be at least 1",
        ),
        (
            vec![
                "--simulate",
                "2",
                "--check-rounds",
                "2",
                "--check-seconds=NaN",
            ],
            "--check-seconds: must be a number of seconds > 0, got NaN",
        ),
        (
            vec![
                "--simulate",
                "2",
                "--check-rounds",
                "2",
                "--check-seconds=-1",
            ],
            "--check-seconds: must be a number of seconds > 0",
        ),
    ] {
        let mut args = vec!["plan", sc, "--out", o];
        args.extend(extra);
        refused(&args, needle, Some(&out));
    }
}

#[test]
fn the_largest_fold_count_is_an_error_not_an_overflow() {
    let history = repo("tests/data/bad_cli/history_4_weeks.csv");
    let out = scratch("folds-max").join("f.csv");
    for sub in [&["forecast"][..], &["forecast", "backtest"][..]] {
        let mut args = sub.to_vec();
        args.extend([
            s(&history),
            "--folds",
            "18446744073709551615",
            "--out",
            s(&out),
        ]);
        refused(
            &args,
            "--folds: 18446744073709551615 folds of 7d leave less than three weeks",
            Some(&out),
        );
    }
}

#[test]
fn absurd_handle_times_and_waits_in_a_contact_export_are_refused_with_their_cell() {
    let dir = scratch("contacts-absurd");
    let out = dir.join("out");
    // Columns of the call records: 4 wait_seconds, 5 talk_seconds, 7 wrap_seconds.
    for (column, value, needle) in [
        (
            5,
            "1e308",
            "calls_5.csv:2: column \"talk_seconds\" (6): \"1e308\" is 1e308 seconds, more than the 3660 days",
        ),
        (
            4,
            "1e308",
            "calls_4.csv:2: column \"wait_seconds\" (5): \"1e308\" is 1e308 seconds",
        ),
        (
            7,
            "90000",
            "calls_7.csv:2: column \"wrap_seconds\" (8): \"90000\" makes a handle time of 90435 s, more than a day",
        ),
    ] {
        // The first contact (line 2) of the whole export.
        let name = format!("calls_{column}.csv");
        let file = calls_with(&dir, &name, usize::MAX, 2, column, value);
        refused(&cdr_contacts(&file, &out, &[]), needle, Some(&out));
    }
}

#[test]
fn a_roster_shift_outside_the_horizon_is_refused_by_simulate_not_dropped() {
    let (scenario, roster) = planned("sim-outside");
    let text = std::fs::read_to_string(&roster).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A month after the one-week horizon.
    lines[3] = lines[3].replace("2027-03-", "2027-04-");
    let moved = roster.with_file_name("moved.csv");
    std::fs::write(&moved, lines.join("\n") + "\n").unwrap();
    let out = roster.with_file_name("sim");
    refused(
        &[
            "simulate",
            s(&scenario),
            "--roster",
            s(&moved),
            "--replications",
            "2",
            "--out",
            s(&out),
        ],
        "moved.csv:4: agent",
        Some(&out),
    );
}
