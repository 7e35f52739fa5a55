//! `wfm evaluate` and `wfm forecast` never destroy their input: `--out` may not overwrite a
//! file the command read, a user's extra roster columns are written back, stale outputs of
//! an earlier run do not survive, leftovers of an interrupted run are cleaned up, and the
//! user's own files in the output folder are kept.

mod cli_support;

use cli_support::*;
use std::process::Command;

#[test]
fn evaluate_refuses_to_overwrite_the_roster_it_reads() {
    let ws = workspace("own-roster");
    let out = ws.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let given = out.join("roster.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let o = evaluate(&ws, &given, &out, false);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("--out") && e.contains("would overwrite the roster this command reads"),
        "{e}"
    );
    assert!(
        e.contains("roster.csv") && e.contains("choose another folder"),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&given).unwrap(), good_roster());
    assert_eq!(listing(&out), ["roster.csv"], "nothing else written");
    // Named through another path (`out/../out/roster.csv`): the same file, still refused.
    let other = ws.join("out/../out/roster.csv");
    let o = evaluate(&ws, &other, &ws.join("out/."), false);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&given).unwrap(), good_roster());
    let _ = std::fs::remove_dir_all(&ws);
}

#[cfg(unix)]
#[test]
fn evaluate_refuses_a_link_to_its_input_in_the_output_folder() {
    let ws = workspace("link");
    let given = ws.join("mine.csv");
    std::fs::write(&given, good_roster()).unwrap();
    for (k, link) in ["hard", "soft"].iter().enumerate() {
        let out = ws.join(format!("out{k}"));
        std::fs::create_dir_all(&out).unwrap();
        if *link == "hard" {
            std::fs::hard_link(&given, out.join("roster.csv")).unwrap();
        } else {
            std::os::unix::fs::symlink(&given, out.join("roster.csv")).unwrap();
        }
        let o = evaluate(&ws, &given, &out, false);
        assert_eq!(o.status.code(), Some(2), "{link}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("would overwrite the roster"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&given).unwrap(), good_roster());
    }
    // The scenario is an input too: a stale-output name linked to it is refused.
    let out = ws.join("out_scenario");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::hard_link(ws.join("scenario.json"), out.join("plan.csv")).unwrap();
    let o = evaluate(&ws, &given, &out, false);
    assert!(
        stderr(&o).contains("would overwrite the scenario"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("scenario.json")).unwrap(),
        SCENARIO
    );
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn extra_roster_columns_are_written_back() {
    let ws = workspace("extra");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    let mut r = csv::Reader::from_reader(written.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header.last().map(String::as_str),
        Some("notes"),
        "{header:?}"
    );
    let notes: Vec<String> = r
        .records()
        .map(|x| x.unwrap().get(header.len() - 1).unwrap().to_string())
        .collect();
    assert_eq!(notes, ["prefers mornings, ask first", "", "trainee"]);
    // The written roster reads back and evaluates to the same summary.
    let again = ws.join("again");
    let o = evaluate(&ws, &out.join("roster.csv"), &again, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = std::fs::read_to_string(again.join("roster.csv")).unwrap();
    assert_eq!(a, written, "a second round trip changes nothing");
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn stale_outputs_of_an_earlier_run_do_not_survive() {
    let ws = workspace("stale");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    // A folder of outputs only, with a plan.csv from an earlier `wfm plan`.
    let out = ws.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("plan.csv"),
        "site,template,start_utc,start_local,count\n",
    )
    .unwrap();
    std::fs::write(out.join("summary.json"), "{}").unwrap();
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let want = [
        "coverage.csv",
        "forecast.csv",
        "kpis_long.csv",
        "report.html",
        "requirements.csv",
        "roster.csv",
        "roster.ics",
        "summary.json",
    ];
    assert_eq!(listing(&out), want);
    // A folder that also holds the user's own files: those stay, plan.csv still goes.
    let mixed = ws.join("mixed");
    std::fs::create_dir_all(mixed.join("archive")).unwrap();
    std::fs::write(
        mixed.join("plan.csv"),
        "site,template,start_utc,start_local,count\n",
    )
    .unwrap();
    std::fs::write(mixed.join("my notes.txt"), "keep me\n").unwrap();
    std::fs::write(mixed.join("archive/plan.csv"), "keep me too\n").unwrap();
    let o = evaluate(&ws, &given, &mixed, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut want_mixed: Vec<&str> = want.to_vec();
    want_mixed.extend(["archive", "my notes.txt"]);
    want_mixed.sort();
    assert_eq!(listing(&mixed), want_mixed);
    assert_eq!(
        std::fs::read_to_string(mixed.join("my notes.txt")).unwrap(),
        "keep me\n"
    );
    assert_eq!(
        std::fs::read_to_string(mixed.join("archive/plan.csv")).unwrap(),
        "keep me too\n"
    );
    // Nothing temporary beside the folders.
    assert_eq!(
        listing(&ws),
        ["edited.csv", "mixed", "out", "scenario.json"]
    );
    let _ = std::fs::remove_dir_all(&ws);
}

/// What `kill -9` while writing leaves behind (a temporary folder beside the output folder
/// with half the files, a `.partial` file of an older version inside it) is cleaned up by
/// the next run and never read as output.
#[test]
fn leftovers_of_an_interrupted_run_are_cleaned_up() {
    let ws = workspace("killed");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::read_to_string(out.join("summary.json")).unwrap();
    // PID 999999999 is above any PID limit: that process is not running.
    let dead_new = ws.join(".out.wfm-new-999999999-0");
    let dead_old = ws.join(".out.wfm-old-999999999-3");
    for d in [&dead_new, &dead_old] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("roster.csv"), "half a fi").unwrap();
        std::fs::write(d.join("summary.json"), "{\"cost\": 1").unwrap();
    }
    std::fs::write(out.join(".summary.json.partial-999999999"), "{\"co").unwrap();
    // Staged inside the folder (when its parent is not writable) and killed.
    let inside = out.join(".wfm-new-999999999-1");
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::write(inside.join("roster.csv"), "half").unwrap();
    // A name that only looks similar is not ours and stays.
    let lookalike = ws.join(".out.wfm-new-notapid");
    std::fs::create_dir_all(&lookalike).unwrap();

    // The folder as it stands is still the earlier run's complete set.
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        before
    );
    let o = evaluate(&ws, &given, &out, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dead_new.exists() && !dead_old.exists() && !inside.exists());
    assert!(lookalike.exists());
    assert_eq!(
        listing(&ws),
        [".out.wfm-new-notapid", "edited.csv", "out", "scenario.json"]
    );
    assert!(!listing(&out).iter().any(|f| f.starts_with('.')));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["shifts"], 3);
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn forecast_out_never_overwrites_the_history() {
    let ws = workspace("forecast");
    let history = ws.join("history.csv");
    let mut text = String::from("interval_start,volume,aht_seconds\n");
    for h in 0..24 * 21 {
        let t = chrono::DateTime::parse_from_rfc3339("2027-01-04T00:00:00Z").unwrap()
            + chrono::Duration::hours(h);
        text.push_str(&format!(
            "{},{},300\n",
            t.format("%Y-%m-%dT%H:%M:%SZ"),
            10 + h % 24
        ));
    }
    std::fs::write(&history, &text).unwrap();
    let o = wfm(&[
        "forecast",
        s(&history),
        "--method",
        "seasonal_naive",
        "--horizon",
        "1d",
        "--out",
        s(&history),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would overwrite the history this command reads"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&history).unwrap(), text);
    // Another name is fine, and written whole; a leftover of an interrupted write of it
    // is removed.
    let fc = ws.join("fc.csv");
    std::fs::write(ws.join(".fc.csv.partial-999999999"), "interval_st").unwrap();
    let o = wfm(&[
        "forecast",
        s(&history),
        "--method",
        "seasonal_naive",
        "--horizon",
        "1d",
        "--out",
        s(&fc),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&fc).unwrap().lines().count(), 25);
    assert_eq!(listing(&ws), ["fc.csv", "history.csv", "scenario.json"]);
    let _ = std::fs::remove_dir_all(&ws);
}

/// `--out .` from inside a folder of outputs: the folder is not swapped away from under
/// the shell that stands in it (same folder afterwards), yet stale outputs go.
#[cfg(unix)]
#[test]
fn the_current_directory_is_written_in_place() {
    use std::os::unix::fs::MetadataExt;
    let ws = workspace("cwd");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    // A plan.csv of an earlier `wfm plan` (a file of the user's under that name would stop
    // the run instead: tests/hostile_outputs.rs).
    std::fs::write(
        out.join("plan.csv"),
        "site,template,start_utc,start_local,count\n",
    )
    .unwrap();
    let inode = std::fs::metadata(&out).unwrap().ino();
    let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .current_dir(&out)
        .args([
            "evaluate",
            "../scenario.json",
            "--roster",
            "../edited.csv",
            "--out",
            ".",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert!(!out.join("plan.csv").exists());
    assert!(out.join("summary.json").is_file());
    assert_eq!(listing(&ws), ["edited.csv", "out", "scenario.json"]);
    // `--out ..` names the workspace, which holds the inputs: written beside them.
    let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .current_dir(&out)
        .args([
            "evaluate",
            "../scenario.json",
            "--roster",
            "../edited.csv",
            "--out",
            "..",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ws.join("summary.json").is_file() && ws.join("scenario.json").is_file());
    let _ = std::fs::remove_dir_all(&ws);
}

/// `kill -9` at various moments while `wfm evaluate` writes: the output folder always holds
/// one run's complete set (the earlier one or the new one, its files agreeing on the number
/// of shifts), or nothing in the instant between the two renames; never a mix, never a
/// partial file. The next run removes whatever temporary folder the kill left.
#[cfg(unix)]
#[test]
fn kill_9_while_writing_leaves_a_whole_set() {
    let ws = workspace("kill9");
    let small = ws.join("small.csv");
    std::fs::write(&small, good_roster()).unwrap();
    let rows: Vec<String> = (0..20_000)
        .map(|k| row(&format!("a{k:05}"), "london", 7 + k % 5, "x"))
        .collect();
    let big = ws.join("big.csv");
    std::fs::write(&big, roster(&rows)).unwrap();
    let out = ws.join("out");
    let shifts_in = |dir: &std::path::Path| -> u64 {
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap())
                .unwrap();
        let n = summary["shifts"].as_u64().unwrap();
        let roster_rows = std::fs::read_to_string(dir.join("roster.csv"))
            .unwrap()
            .lines()
            .count() as u64
            - 1;
        assert_eq!(roster_rows, n, "roster.csv and summary.json from one run");
        let ics = std::fs::read_to_string(dir.join("roster.ics")).unwrap();
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "roster.ics whole");
        assert_eq!(ics.matches("BEGIN:VEVENT").count() as u64, n);
        n
    };
    let scenario = ws.join("scenario.json");
    for delay_ms in [0u64, 5, 20, 50, 100, 200, 400, 800] {
        let o = evaluate(&ws, &small, &out, false);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut child = Command::new(env!("CARGO_BIN_EXE_wfm"))
            .args([
                "evaluate",
                s(&scenario),
                "--roster",
                s(&big),
                "--out",
                s(&out),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if out.exists() {
            let want = [
                "coverage.csv",
                "forecast.csv",
                "kpis_long.csv",
                "report.html",
                "requirements.csv",
                "roster.csv",
                "roster.ics",
                "summary.json",
            ];
            assert_eq!(listing(&out), want, "after a kill at {delay_ms} ms");
            let n = shifts_in(&out);
            assert!(n == 3 || n == 20_000, "{n} shifts");
        }
        // The next run cleans up and writes a whole set.
        let o = evaluate(&ws, &small, &out, false);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(shifts_in(&out), 3);
        assert_eq!(
            listing(&ws),
            ["big.csv", "out", "scenario.json", "small.csv"],
            "nothing left beside the folder after a kill at {delay_ms} ms"
        );
    }
    let _ = std::fs::remove_dir_all(&ws);
}

/// A folder of outputs that is replaced keeps its permissions.
#[cfg(unix)]
#[test]
fn a_replaced_folder_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let ws = workspace("perms");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o770)).unwrap();
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o770);
    let _ = std::fs::remove_dir_all(&ws);
}
