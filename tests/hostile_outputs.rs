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
