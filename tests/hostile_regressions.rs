//! Regressions found by the mutation harness (`tests/hostile_mutations.rs`) and by hostile
//! inputs given by hand to the newest readers, one test per fixed bug: each input is
//! refused with exit status 2 and a message naming the file and line, or read in full,
//! never a message that names only a flag or an output path, never a panic, a hang or a
//! memory blow-up.

mod cli_support;

use cli_support::{
    calls_with, cdr_contacts, refused, refused_text, repo, s, scratch, succeeds, FILE, OUT,
};

/// A contact dated in year 0 fell in New York's local mean time (−04:56:02), and the error
/// blamed `--interval` instead of the row.
#[test]
fn a_contact_before_the_zone_kept_whole_minute_offsets_is_refused_with_its_line() {
    let dir = scratch("year0");
    let file = calls_with(&dir, "calls.csv", 40, 3, 1, "0000-01-01T08:00:00-05:00");
    let out = dir.join("out");
    refused(
        &cdr_contacts(&file, &out, &[]),
        "calls.csv:3: column \"start_time\" (2): 0000-01-01T13:00:00+00:00 is before America/New_York kept whole-minute UTC offsets",
        Some(&out),
    );
}

/// A queue named by 100 000 characters made a history file name the file system refused
/// (an error naming only the output path); the name is now cut to a stem of at most 64
/// characters, and the whole name stays in `achieved.csv`.
#[test]
fn a_very_long_queue_name_is_read_whole_into_a_short_file_name() {
    let dir = scratch("long-queue");
    let long = "q".repeat(100_000);
    let file = calls_with(&dir, "calls.csv", 40, 3, 2, &long);
    let out = dir.join("out");
    succeeds(&cdr_contacts(&file, &out, &[]));
    let stem = "q".repeat(64);
    assert!(out.join(format!("history_{stem}.csv")).exists());
    let achieved = std::fs::read_to_string(out.join("achieved.csv")).unwrap();
    assert!(achieved.contains(&format!("{long},history_{stem}.csv,")));
}

/// A history cut after its first data row was refused naming `--interval` only.
#[test]
fn a_history_of_one_row_is_refused_naming_the_file_and_the_row() {
    let dir = scratch("one-row");
    let file = dir.join("history.csv");
    std::fs::write(
        &file,
        "interval_start,volume,aht_seconds\n2027-02-01T08:00:00Z,55.8,240\n",
    )
    .unwrap();
    let out = dir.join("out/forecast.csv");
    refused(
        &[
            "forecast",
            s(&file),
            "--method",
            "weekly_average",
            "--out",
            s(&out),
        ],
        "history.csv:2: a single data row does not show the interval; give it (--interval)",
        Some(&out),
    );
}

/// A forecast none of whose rows meets the actuals was refused naming `--forecast` only.
#[test]
fn a_forecast_that_misses_the_actuals_is_refused_naming_both_files() {
    let dir = scratch("score-miss");
    let actuals = dir.join("actuals.csv");
    let mut a = String::from("interval_start,volume\n");
    for h in 8..12 {
        a.push_str(&format!("2027-02-15T{h:02}:00:00Z,10\n"));
    }
    std::fs::write(&actuals, a).unwrap();
    let forecast = dir.join("forecast.csv");
    std::fs::write(
        &forecast,
        "interval_start_utc,volume\n2027-03-15T08:00:00Z,10\n2027-03-15T09:00:00Z,10\n",
    )
    .unwrap();
    let out = dir.join("none");
    refused(
        &[
            "forecast",
            "score",
            "--actuals",
            s(&actuals),
            "--forecast",
            s(&forecast),
        ],
        &format!(
            "invalid --forecast: {} against the actuals {}: no forecast row falls on an observed interval",
            forecast.display(),
            actuals.display()
        ),
        Some(&out),
    );
}

/// A roster row given twice was refused by `wfm simulate` as `roster[1]`, a position in
/// no file; it is now named by its line and the line it overlaps.
#[test]
fn simulate_names_the_lines_of_two_overlapping_shifts_of_one_agent() {
    let dir = scratch("sim-overlap");
    let scenario = repo("tests/data/bad_rosters/scenario.json");
    let plan = dir.join("plan");
    succeeds(&["plan", s(&scenario), "--out", s(&plan)]);
    let text = std::fs::read_to_string(plan.join("roster.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let row = lines[2];
    let agent = row.split(',').next().unwrap().to_string();
    lines.push(row);
    let n = lines.len();
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, lines.join("\n") + "\n").unwrap();
    let out = dir.join("sim");
    refused(
        &[
            "simulate",
            s(&scenario),
            "--roster",
            s(&roster),
            "--replications",
            "2",
            "--out",
            s(&out),
        ],
        &format!("roster.csv:{n}: agent {agent:?}: the shift"),
        Some(&out),
    );
    refused(
        &[
            "simulate",
            s(&scenario),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ],
        "of the same agent on line 3",
        Some(&out),
    );
}

/// A field beside `"kind": "voice"` (a voice queue given a chat's `concurrency`) was
/// dropped without a word: the JSON reader does not check the fields of a variant that has
/// none. It is now refused with its path, as every other unknown field of a scenario is.
#[test]
fn a_field_given_to_a_voice_channel_is_refused_with_its_path() {
    let text = std::fs::read_to_string(repo("tests/data/bad_rosters/scenario.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["queues"][0]["channel"] = serde_json::json!({"kind": "voice", "concurrency": 3});
    let file = refused_text(
        "voice-field",
        "scenario.json",
        &v.to_string(),
        &["plan", FILE, "--out", OUT],
        "scenario.json: queues[0].channel.concurrency: unknown field `concurrency`: a voice channel has only `kind`",
    );
    // Without the stray field the scenario plans.
    v["queues"][0]["channel"] = serde_json::json!({"kind": "voice"});
    std::fs::write(&file, v.to_string()).unwrap();
    succeeds(&["plan", s(&file), "--out", s(&file.with_file_name("out"))]);
}

/// A JSON export whose records each bring a key of their own became a table of records ×
/// keys cells (30 000 such records in 2 MB: 900 million cells, minutes and gigabytes before
/// any message); it is now refused naming the record's line.
#[test]
fn a_json_export_whose_records_share_no_keys_is_refused_with_a_line() {
    let records: Vec<String> = (0..30_000)
        .map(|i| format!("{{\"id\": {i}, \"created_at\": \"2027-02-01T08:00:00Z\", \"k{i}\": 1}}"))
        .collect();
    refused_text(
        "json-wide",
        "wide.json",
        &format!("[{}]", records.join(",\n")),
        &["contacts", FILE, "--preset", "zendesk_json", "--out", OUT],
        "wide.json:3332: the record's key \"k3331\" makes 3334 columns: with 30000 records that is more than 100000000 cells",
    );
}

/// A record giving one column twice (`"via.channel"` beside `"via": {"channel": ...}`)
/// kept the last value and dropped the other without a word.
#[test]
fn a_json_record_giving_a_column_twice_is_refused_with_its_line() {
    let text = std::fs::read_to_string(repo("examples/contacts/zendesk_tickets.json")).unwrap();
    // The first ticket (line 2) gives its channel again, with another value, as a
    // dotted key.
    let at = text.find("\"via\"").unwrap();
    assert_eq!(text[..at].matches('\n').count(), 1);
    refused_text(
        "json-twice",
        "tickets.json",
        &format!("{}\"via.channel\": \"sms\", {}", &text[..at], &text[at..]),
        &[
            "contacts",
            FILE,
            "--preset",
            "zendesk_json",
            "--zone",
            "Europe/Paris",
            "--out",
            OUT,
        ],
        "tickets.json:2: the record gives column \"via.channel\" twice, as \"email\" and \"sms\"",
    );
}

/// A zone name of 100 000 characters came back whole in the message (a message as large
/// as the input); it is now shortened as every other quoted value.
#[test]
fn a_huge_zone_name_is_refused_with_a_short_message() {
    let dir = scratch("huge-zone");
    let out = dir.join("out");
    let zone = "z".repeat(100_000);
    let file = repo("examples/contacts/cdr_calls.csv");
    let err = refused(
        &[
            "contacts",
            s(&file),
            "--preset",
            "cdr",
            "--zone",
            &zone,
            "--out",
            s(&out),
        ],
        "--zone: unknown time zone \"zzz",
        Some(&out),
    );
    assert!(err.contains("characters left out"), "{}", &err[..200]);
    assert!(err.len() < 5_000, "{} bytes", err.len());
}

/// The largest fold count overflowed in the re-forecast backtest's size check (a panic in
/// a debug build, a wrapped check and an endless loop in a release build).
#[test]
fn the_largest_fold_count_of_the_reforecast_backtest_is_an_error() {
    let history = repo("tests/data/bad_cli/history_4_weeks.csv");
    refused(
        &[
            "forecast",
            "reforecast",
            "--history",
            s(&history),
            "--folds",
            "18446744073709551615",
        ],
        "invalid --folds: must be at least 1 and leave three weeks of training data",
        None,
    );
}
