//! `wfm contacts` finds the delimiter of an export from its header line when neither
//! `--delimiter` nor the mapping names one: the same call records written with `;`, tabs
//! or `|` give the same histories as with commas, and a delimiter the user names is kept.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A fresh scratch folder (created, empty).
fn scratch(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("wfm-delim-{}-{tag}", std::process::id()));
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

/// `wfm contacts FILE --preset cdr --zone America/New_York --out OUT extra...`.
fn contacts(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "contacts",
        file.to_str().unwrap(),
        "--preset",
        "cdr",
        "--zone",
        "America/New_York",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    wfm(&args)
}

#[test]
fn semicolon_tab_and_pipe_exports_read_as_the_comma_one() {
    let dir = scratch("same");
    let text = std::fs::read_to_string(repo("examples/contacts/cdr_calls.csv")).unwrap();
    // The bundled file quotes nothing: every comma is a delimiter.
    assert!(!text.contains('"'));
    let base = dir.join("comma");
    let run = contacts(&repo("examples/contacts/cdr_calls.csv"), &base, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!String::from_utf8_lossy(&run.stdout).contains("detected"));
    let want = std::fs::read_to_string(base.join("history_support.csv")).unwrap();
    for (name, d) in [("semicolon", ";"), ("tab", "\t"), ("pipe", "|")] {
        let file = dir.join(format!("{name}.csv"));
        std::fs::write(&file, text.replace(',', d)).unwrap();
        let out = dir.join(name);
        let run = contacts(&file, &out, &[]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let shown = if d == "\t" {
            "tab".to_string()
        } else {
            format!("{:?}", d.chars().next().unwrap())
        };
        assert!(
            stdout.contains(&format!("delimiter {shown}: detected from the header line")),
            "{stdout}"
        );
        let got = std::fs::read_to_string(out.join("history_support.csv")).unwrap();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_delimiter_the_user_names_is_kept() {
    let dir = scratch("named");
    let text = std::fs::read_to_string(repo("examples/contacts/cdr_calls.csv")).unwrap();
    let file = dir.join("semicolon.csv");
    std::fs::write(&file, text.replace(',', ";")).unwrap();
    let out = dir.join("out");
    let run = contacts(&file, &out, &["--delimiter", ","]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("semicolon.csv:1: the header has 1 column(s) with delimiter ','"),
        "{err}"
    );
    assert!(!out.exists());
}
