//! The `wfm erlang` command's contract: JSON keys, exit codes, errors on stderr.

use std::process::Command;

fn wfm(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .arg("erlang")
        .args(args)
        .output()
        .expect("run wfm")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = wfm(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn staffing_json_has_the_contract_keys() {
    let v = json(&[
        "--volume",
        "100",
        "--interval",
        "30",
        "--aht",
        "180",
        "--sl",
        "0.8",
        "--within",
        "20",
        "--shrinkage",
        "0.3",
        "--json",
    ]);
    for key in [
        "model",
        "traffic_erlangs",
        "agents",
        "scheduled",
        "service_level",
        "asa_seconds",
        "occupancy",
        "wait_probability",
        "abandon_probability",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["model"], "erlang_c");
    assert_eq!(v["agents"], 14);
    assert_eq!(v["scheduled"], 20);
    assert_eq!(v["abandon_probability"], 0.0);
    assert!((v["service_level"].as_f64().unwrap() - 0.88835).abs() < 1e-5);
}

#[test]
fn patience_switches_to_erlang_a_and_agents_evaluates() {
    let v = json(&[
        "--volume",
        "100",
        "--interval",
        "30",
        "--aht",
        "180",
        "--patience",
        "300",
        "--agents",
        "14",
        "--within",
        "20",
        "--json",
    ]);
    assert_eq!(v["model"], "erlang_a");
    assert_eq!(v["agents"], 14);
    // Reference case PYWF-A14.
    assert!((v["abandon_probability"].as_f64().unwrap() - 0.013984).abs() < 1e-5);
    assert!((v["service_level"].as_f64().unwrap() - 0.916792).abs() < 1e-5);
}

#[test]
fn known_traps_come_out_exact() {
    let v = json(&[
        "--volume",
        "106",
        "--interval",
        "30",
        "--aht",
        "180",
        "--sl",
        "0.8",
        "--within",
        "3600",
        "--json",
    ]);
    assert_eq!(v["agents"], 11);
    let v = json(&[
        "--volume",
        "192",
        "--interval",
        "30",
        "--aht",
        "180",
        "--max-occupancy",
        "0.8",
        "--json",
    ]);
    assert_eq!(v["agents"], 24);
}

#[test]
fn table_output_is_readable() {
    let out = wfm(&[
        "--volume",
        "100",
        "--interval",
        "30",
        "--aht",
        "180",
        "--sl",
        "0.8",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("agents (productive)   14"), "{text}");
    assert!(text.contains("within 20 s"), "{text}");
}

#[test]
fn bad_input_fails_on_stderr_naming_the_flag() {
    for (args, needle) in [
        (
            vec![
                "--volume",
                "-3",
                "--interval",
                "30",
                "--aht",
                "180",
                "--sl",
                "0.8",
            ],
            "--volume",
        ),
        (
            vec![
                "--volume",
                "nan",
                "--interval",
                "30",
                "--aht",
                "180",
                "--sl",
                "0.8",
            ],
            "--volume",
        ),
        (
            vec![
                "--volume",
                "3",
                "--interval",
                "30",
                "--aht",
                "0",
                "--sl",
                "0.8",
            ],
            "--aht",
        ),
        (
            vec![
                "--volume",
                "3",
                "--interval",
                "30",
                "--aht",
                "180",
                "--sl",
                "1.5",
            ],
            "--sl",
        ),
        (
            vec![
                "--volume",
                "3",
                "--interval",
                "30",
                "--aht",
                "180",
                "--sl",
                "0.8",
                "--shrinkage",
                "1",
            ],
            "--shrinkage",
        ),
        (
            vec![
                "--volume",
                "3",
                "--interval",
                "30",
                "--aht",
                "180",
                "--max-abandon",
                "0.05",
            ],
            "--max-abandon",
        ),
    ] {
        let out = wfm(&args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn without_a_target_erlang_staffs_for_80_percent_in_20_seconds() {
    let default = wfm(&[
        "--volume",
        "100",
        "--interval",
        "30",
        "--aht",
        "180",
        "--json",
    ]);
    assert!(default.status.success());
    let explicit = wfm(&[
        "--volume",
        "100",
        "--interval",
        "1800s",
        "--aht",
        "3m",
        "--sl",
        "0.8",
        "--within",
        "20s",
        "--json",
    ]);
    assert!(explicit.status.success());
    let a: serde_json::Value = serde_json::from_slice(&default.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&explicit.stdout).unwrap();
    assert_eq!(a["agents"], 14);
    assert_eq!(a, b);
    let bad = wfm(&["--volume", "100", "--interval", "30x", "--aht", "180"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--interval"));
}
