//! The corpus of bad inputs under `tests/data/`: every `wfm erlang` argument set, history
//! file, roster, contact log and Curtois instance listed in an `EXPECTED.tsv` (or
//! `bad_cli/erlang.tsv`) fails with a message containing the text given there. Commands
//! exit with status 2, print nothing on stdout, never panic and write nothing. The bad
//! scenarios are checked by `tests/bad_scenarios.rs`; together the corpora hold well over a
//! hundred inputs (counted below).

mod cli_support;

use cli_support::{evaluate, refused, repo, s, scratch, stderr, wfm};
use std::path::{Path, PathBuf};
use wfm::forecast::{read_contact_log, ContactLogFormat};
use wfm::roster::curtois;

fn data(dir: &str) -> PathBuf {
    repo("tests/data").join(dir)
}

/// `(name, expected text)` rows of a corpus listing.
fn listing(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("no tab in {l:?}"));
            (a.to_string(), b.to_string())
        })
        .collect()
}

/// Runs `wfm args` and expects it refused (see [`refused`]: exit status 2, an `error: ...`
/// naming `needle`, no panic, nothing on stdout, `out` not written) in the user's terms.
fn fails(args: &[&str], needle: &str, out: Option<&Path>, case: &str) {
    let err = refused(args, needle, out);
    if !err.contains("Usage:") {
        // Argument-parser messages aside, every message is in the user's terms.
        plain(&err, case);
    }
}

/// Messages speak the user's language: no Rust type names or debug output.
fn plain(message: &str, case: &str) {
    for leak in [
        "StringRecord",
        "Some(",
        "ServiceLevel",
        "MaxOccupancy",
        "MinMinutes",
        "struct ",
        "u32",
        "u64",
        "usize",
        "f64",
    ] {
        assert!(!message.contains(leak), "{case}: {leak:?} in {message:?}");
    }
}

#[test]
fn bad_erlang_arguments() -> Result<(), String> {
    let rows = listing(&data("bad_cli/erlang.tsv"));
    for (args, needle) in &rows {
        let mut argv = vec!["erlang"];
        argv.extend(args.split_whitespace());
        fails(&argv, needle, None, args);
    }
    assert!(rows.len() >= 45, "{} erlang cases", rows.len());
    Ok(())
}

#[test]
fn bad_forecast_arguments() {
    let history = data("bad_cli/history_4_weeks.csv");
    let rows = listing(&data("bad_cli/forecast.tsv"));
    for (args, needle) in &rows {
        let out = scratch("forecast-args").join("forecast.csv");
        let mut argv = vec!["forecast", s(&history), "--out", s(&out)];
        argv.extend(args.split_whitespace());
        fails(&argv, needle, Some(&out), args);
    }
}

#[test]
fn bad_history_files() {
    let dir = data("bad_history");
    for (name, needle) in listing(&dir.join("EXPECTED.tsv")) {
        let out = scratch(&format!("history-{name}")).join("forecast.csv");
        let file = dir.join(format!("{name}.csv"));
        fails(
            &["forecast", s(&file), "--out", s(&out)],
            &needle,
            Some(&out),
            &name,
        );
    }
}

#[test]
fn bad_rosters() {
    let dir = data("bad_rosters");
    let scenario = dir.join("scenario.json");
    for (name, needle) in listing(&dir.join("EXPECTED.tsv")) {
        let out = scratch(&format!("roster-{name}")).join("out");
        let roster = dir.join(format!("{name}.csv"));
        fails(
            &[
                "evaluate",
                s(&scenario),
                "--roster",
                s(&roster),
                "--out",
                s(&out),
            ],
            &needle,
            Some(&out),
            &name,
        );
    }
}

#[test]
fn bad_contact_logs() {
    let dir = data("bad_contacts");
    let mut format = ContactLogFormat::new("arrival");
    format.handle_column = Some("handle".into());
    format.queue_column = Some("queue".into());
    format.tz = "America/New_York".parse().unwrap();
    for (name, needle) in listing(&dir.join("EXPECTED.tsv")) {
        let e = read_contact_log(&dir.join(format!("{name}.csv")), &format)
            .err()
            .unwrap_or_else(|| panic!("{name}: read without error"));
        let msg = e.to_string();
        assert!(
            msg.contains(&needle),
            "{name}: {msg:?} should contain {needle:?}"
        );
        plain(&msg, &name);
    }
}

#[test]
fn bad_curtois_instances() {
    let dir = data("bad_curtois");
    for (name, needle) in listing(&dir.join("EXPECTED.tsv")) {
        let e = curtois::read(&dir.join(format!("{name}.txt")))
            .err()
            .unwrap_or_else(|| panic!("{name}: read without error"));
        let msg = e.to_string();
        assert!(
            msg.contains(&needle),
            "{name}: {msg:?} should contain {needle:?}"
        );
        plain(&msg, &name);
    }
}

#[test]
fn the_corpus_holds_over_a_hundred_bad_inputs() {
    let scenarios = listing(&data("bad_scenarios/EXPECTED.tsv")).len();
    let erlang =
        listing(&data("bad_cli/erlang.tsv")).len() + listing(&data("bad_cli/forecast.tsv")).len();
    let others: usize = ["bad_history", "bad_rosters", "bad_contacts", "bad_curtois"]
        .iter()
        .map(|d| listing(&data(d).join("EXPECTED.tsv")).len())
        .sum();
    assert!(
        scenarios + erlang + others >= 150,
        "{scenarios} + {erlang} + {others}"
    );
}

#[test]
fn scenario_messages_are_plain() {
    // The messages of the JSON reader, checked for Rust type names.
    let dir = data("bad_scenarios");
    for (name, _) in listing(&dir.join("EXPECTED.tsv")) {
        let out = scratch(&format!("plain-{name}")).join("out");
        let file = dir.join(format!("{name}.json"));
        let err = stderr(&wfm(&["plan", s(&file), "--out", s(&out)]));
        plain(&err, &name);
        // Scenario errors name the scenario file (or the CSV file at fault).
        assert!(
            err.contains(&format!("{name}.json"))
                || err.contains(".csv")
                || err.contains("/dev/zero")
                || err.contains(".:"),
            "{name}: {err}"
        );
    }
}

/// A copy of the roster corpus's scenario with `edit` applied to its text.
fn scenario_variant(tag: &str, edit: impl Fn(&str) -> Vec<u8>) -> PathBuf {
    let text = std::fs::read_to_string(data("bad_rosters/scenario.json")).unwrap();
    let dir = scratch(tag);
    let path = dir.join("scenario.json");
    std::fs::write(&path, edit(&text)).unwrap();
    path
}

#[test]
fn a_byte_order_mark_is_accepted_in_a_scenario_and_a_csv() {
    let scenario = scenario_variant("bom", |t| {
        let mut b = "\u{feff}".as_bytes().to_vec();
        b.extend_from_slice(t.as_bytes());
        b
    });
    let dir = scenario.parent().unwrap().to_path_buf();
    // The roster too starts with a BOM.
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "\u{feff}agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid\n\
         a1,lon,day,2027-03-08T07:00:00Z,2027-03-08T15:00:00Z,,,,,\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = evaluate(&dir, &roster, &out, false);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(out.join("coverage.csv").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn formula_names_are_neutralised_and_read_back() {
    // An agent named like a formula: written with a leading ' and read back unchanged.
    let scenario = scenario_variant("formula", |t| t.as_bytes().to_vec());
    let dir = scenario.parent().unwrap().to_path_buf();
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid\n\
         '=HYPERLINK(\"x\"),lon,day,2027-03-08T07:00:00Z,2027-03-08T15:00:00Z,,,,,\n\
         -ann,lon,day,2027-03-08T08:00:00Z,2027-03-08T16:00:00Z,,,,,\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = evaluate(&dir, &roster, &out, false);
    assert!(run.status.success(), "{}", stderr(&run));
    let written = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    assert!(written.contains("\"'=HYPERLINK(\"\"x\"\")\","), "{written}");
    assert!(written.contains("\n'-ann,"), "{written}");
    for line in written.lines() {
        assert!(!line.starts_with(['=', '+', '-', '@']), "{line}");
    }
    // An agent alone at 30 % shrinkage is 0 productive agents: the ASA is unbounded, and
    // its cell is empty.
    let coverage = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    assert!(
        coverage.lines().any(|l| l.split(',').nth(5) == Some("")),
        "{coverage}"
    );
    // No inf or NaN in any CSV written.
    for f in ["coverage.csv", "requirements.csv", "roster.csv"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        for cell in text.lines().flat_map(|l| l.split(',')) {
            assert!(!["inf", "-inf", "NaN"].contains(&cell), "{f}: {cell}");
        }
    }
    // The written roster reads back with the same names.
    let again = dir.join("again");
    let run = evaluate(&dir, &out.join("roster.csv"), &again, false);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(again.join("roster.csv")).unwrap(),
        written
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn evaluate_names_the_scenario_file_of_a_scenario_error() {
    let scenario = scenario_variant("evaluate-names", |t| {
        t.replace("\"shrinkage\": 0.3", "\"shrinkage\": 0.999999")
            .into_bytes()
    });
    let dir = scenario.parent().unwrap().to_path_buf();
    let out = dir.join("out");
    fails(
        &[
            "evaluate",
            s(&scenario),
            "--roster",
            s(&data("bad_rosters/empty_agent.csv")),
            "--out",
            s(&out),
        ],
        &format!("invalid {}: queues[0].shrinkage", scenario.display()),
        Some(&out),
        "evaluate",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn too_many_named_agents_are_refused() {
    let text = std::fs::read_to_string(data("bad_rosters/scenario.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let agents: Vec<serde_json::Value> = (0..=wfm::limits::MAX_NAMED_AGENTS)
        .map(|i| serde_json::json!({"name": format!("a{i}"), "site": "lon"}))
        .collect();
    v["agents"] = serde_json::Value::Array(agents);
    let s = wfm::scenario::Scenario::parse(&v.to_string(), "many.json").unwrap();
    let e = s.prepare(Path::new(".")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid agents: at most 100000 named agents, got 100001"
    );
}
