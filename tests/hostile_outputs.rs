//! Hostile paths given to the commands that read side files and write outputs: `wfm
//! compare` and `wfm contacts --mapping` read with the same byte caps as every other
//! reader, and `wfm compare --out` never writes over a file it reads. Messages quoting a
//! hostile value stay short.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn history() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_cli/history_4_weeks.csv")
}

/// A fresh scratch folder (created, empty).
fn scratch(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("wfm-hostile-out-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn wfm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args)
        .output()
        .unwrap()
}

/// Expects exit status 2 and an `error: ` line containing `needle`, no panic.
fn refused(run: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: ") && !err.contains("panicked"),
        "{err}"
    );
    assert!(err.contains(needle), "{err:?} should contain {needle:?}");
    err
}

/// The forecast of the week after the four-week history, and an actual history of that
/// week at `actual`.
fn forecast_and_actual(dir: &Path, actual: &Path) -> PathBuf {
    let forecast = dir.join("forecast.csv");
    let run = wfm(&[
        "forecast",
        history().to_str().unwrap(),
        "--method",
        "weekly_average",
        "--out",
        forecast.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{run:?}");
    let start = chrono::DateTime::parse_from_rfc3339("2027-03-29T00:00:00Z").unwrap();
    let mut text = String::from("interval_start,volume\n");
    for k in 0..7 * 48 {
        let t = start + chrono::Duration::minutes(30 * k);
        text.push_str(&format!("{},9\n", t.format("%Y-%m-%dT%H:%M:%SZ")));
    }
    std::fs::write(actual, text).unwrap();
    forecast
}

#[test]
fn compare_never_writes_over_a_file_it_reads() {
    let dir = scratch("compare-over-input");
    // The actual history is named like one of compare's outputs, in the output folder.
    let actual = dir.join("compare_days.csv");
    let forecast = forecast_and_actual(&dir, &actual);
    let before = std::fs::read(&actual).unwrap();
    let run = wfm(&[
        "compare",
        forecast.to_str().unwrap(),
        "--actual",
        actual.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    refused(
        &run,
        "would overwrite the actual history this command reads",
    );
    assert_eq!(std::fs::read(&actual).unwrap(), before);
    assert!(!dir.join("compare_intervals.csv").exists());
    // Another folder works, and the files appear whole.
    let out = dir.join("review");
    let run = wfm(&[
        "compare",
        forecast.to_str().unwrap(),
        "--actual",
        actual.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{run:?}");
    for f in ["compare_intervals.csv", "compare_days.csv"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // A file given as --out is refused, not written into.
    let run = wfm(&[
        "compare",
        forecast.to_str().unwrap(),
        "--actual",
        actual.to_str().unwrap(),
        "--out",
        forecast.to_str().unwrap(),
    ]);
    refused(&run, "is a file, not a folder");
}

#[cfg(unix)]
#[test]
fn endless_side_files_are_cut_off_at_their_caps() {
    let dir = scratch("endless");
    let actual = dir.join("actual.csv");
    let forecast = forecast_and_actual(&dir, &actual);
    let out = dir.join("out");
    let (f, a) = (forecast.to_str().unwrap(), actual.to_str().unwrap());
    for (args, needle) in [
        (
            vec!["compare", "/dev/zero", "--actual", a],
            "/dev/zero:1: a forecast file may have at most 134217728 bytes (128 MiB)",
        ),
        (
            vec!["compare", f, "--actual", "/dev/zero"],
            "/dev/zero:1: a history file may have at most 134217728 bytes (128 MiB)",
        ),
        (
            vec!["compare", f, "--actual", a, "--coverage", "/dev/zero"],
            "/dev/zero:1: a coverage file may have at most 1073741824 bytes (1 GiB)",
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--out", out.to_str().unwrap()]);
        refused(&wfm(&args), needle);
        assert!(!out.exists());
    }
    let run = wfm(&[
        "contacts",
        history().to_str().unwrap(),
        "--mapping",
        "/dev/zero",
        "--out",
        out.to_str().unwrap(),
    ]);
    refused(
        &run,
        "/dev/zero:1: a mapping file may have at most 1048576 bytes (1 MiB)",
    );
    assert!(!out.exists());
}

#[test]
fn a_huge_cell_is_quoted_shortly() {
    let dir = scratch("huge-cell");
    let file = dir.join("history.csv");
    let cell = "x".repeat(20_000_000);
    std::fs::write(&file, format!("interval_start,volume\n{cell},1\n")).unwrap();
    let out = dir.join("f.csv");
    let run = wfm(&[
        "forecast",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = refused(
        &run,
        "history.csv:2: column interval_start: unparsable timestamp \"xxxx",
    );
    assert!(err.len() < 3_000, "a message of {} bytes", err.len());
    assert!(err.contains("characters left out"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_file_of_the_users_at_the_forecast_place_is_not_replaced() {
    let dir = scratch("forecast-over-notes");
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "my precious notes\n").unwrap();
    let h = history();
    let args = |out: &Path| {
        vec![
            "forecast".to_string(),
            h.to_str().unwrap().to_string(),
            "--method".to_string(),
            "weekly_average".to_string(),
            "--out".to_string(),
            out.to_str().unwrap().to_string(),
        ]
    };
    let run = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args(&notes))
        .output()
        .unwrap();
    refused(
        &run,
        "notes.txt exists and is not a file wfm wrote (it does not begin like \"interval_start_utc,volume\")",
    );
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "my precious notes\n"
    );
    // A forecast wfm wrote is replaced, run after run.
    let fc = dir.join("forecast.csv");
    for _ in 0..2 {
        let run = Command::new(env!("CARGO_BIN_EXE_wfm"))
            .args(args(&fc))
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
    }
}

#[test]
fn a_file_of_the_users_named_like_an_output_stops_a_plan_before_any_work() {
    let dir = scratch("plan-over-report");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("report.html"), "<html>my own report</html>\n").unwrap();
    std::fs::write(out.join("keep.txt"), "mine\n").unwrap();
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/single_site_week.json");
    let run = wfm(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    refused(&run, "report.html exists and is not a file wfm wrote");
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        "<html>my own report</html>\n"
    );
    let entries = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(entries, 2, "only the user's two files");
    // Without it, the plan is written beside the user's file; a second run replaces its
    // own outputs.
    std::fs::remove_file(out.join("report.html")).unwrap();
    for _ in 0..2 {
        let run = wfm(&[
            "plan",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{run:?}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine\n"
    );
}

#[test]
fn outputs_begin_as_the_check_expects() {
    // Each file a plan writes is one a later run may replace.
    let dir = scratch("heads");
    let out = dir.join("out");
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/single_site_week.json");
    let run = wfm(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{run:?}");
    for name in wfm::io::OUTPUT_FILES {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(wfm::io::write::looks_written_by_wfm(&text, &text), "{name}");
    }
    assert!(!wfm::io::write::looks_written_by_wfm(
        "a,b\n1,2\n",
        "agent,site\n"
    ));
    assert!(wfm::io::write::looks_written_by_wfm("", "agent,site\n"));
}

#[test]
fn simulate_never_writes_over_the_roster_it_reads() {
    let dir = scratch("simulate-over-roster");
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/single_site_week.json");
    let plan = dir.join("plan");
    let run = wfm(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{run:?}");
    // The roster, named like simulate's output, in simulate's output folder.
    let sim = dir.join("sim");
    std::fs::create_dir_all(&sim).unwrap();
    let roster = sim.join("simulation.csv");
    std::fs::copy(plan.join("roster.csv"), &roster).unwrap();
    let before = std::fs::read(&roster).unwrap();
    let run = wfm(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--replications",
        "2",
        "--out",
        sim.to_str().unwrap(),
    ]);
    refused(&run, "would overwrite the roster this command reads");
    assert_eq!(std::fs::read(&roster).unwrap(), before);
    assert!(!sim.join("simulation.json").exists());
}
