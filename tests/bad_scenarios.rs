//! Every scenario in `tests/data/bad_scenarios/` fails with a clear error that names what is
//! wrong (`EXPECTED.tsv` gives the text each message must contain), exit code 2, no panic,
//! and no output folder.

use std::path::Path;
use std::process::Command;

#[test]
fn every_bad_scenario_is_a_named_error_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_scenarios");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (name, needle) = line.split_once('\t').unwrap();
        let scenario = dir.join(format!("{name}.json"));
        assert!(scenario.is_file(), "{name}.json exists");
        let out = std::env::temp_dir().join(format!("wfm-bad-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let run = Command::new(env!("CARGO_BIN_EXE_wfm"))
            .args([
                "plan",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{name}: exit code; stderr: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: panicked: {err}");
        assert!(err.starts_with("error: "), "{name}: {err}");
        assert!(
            err.contains(needle),
            "{name}: {err:?} should mention {needle:?}"
        );
        assert!(!out.exists(), "{name}: nothing written on error");
        checked += 1;
    }
    // Every file in the folder is listed.
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(checked, files, "EXPECTED.tsv lists every bad scenario");
}
