//! `wfm contacts` finds the delimiter of an export from its header line when neither
//! `--delimiter` nor the mapping names one: the same call records written with `;`, tabs
//! or `|` give the same histories as with commas, and a delimiter the user names is kept.

mod cli_support;

use cli_support::{cdr_contacts, refused, repo, scratch, stderr, wfm};
use std::path::Path;
use std::process::Output;

/// `wfm contacts FILE --preset cdr --zone America/New_York --out OUT extra...`.
fn contacts(file: &Path, out: &Path, extra: &[&str]) -> Output {
    wfm(&cdr_contacts(file, out, extra))
}

#[test]
fn semicolon_tab_and_pipe_exports_read_as_the_comma_one() {
    let dir = scratch("same");
    let text = std::fs::read_to_string(repo("examples/contacts/cdr_calls.csv")).unwrap();
    // The bundled file quotes nothing: every comma is a delimiter.
    assert!(!text.contains('"'));
    let base = dir.join("comma");
    let run = contacts(&repo("examples/contacts/cdr_calls.csv"), &base, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!String::from_utf8_lossy(&run.stdout).contains("detected"));
    let want = std::fs::read_to_string(base.join("history_support.csv")).unwrap();
    for (name, d) in [("semicolon", ";"), ("tab", "\t"), ("pipe", "|")] {
        let file = dir.join(format!("{name}.csv"));
        std::fs::write(&file, text.replace(',', d)).unwrap();
        let out = dir.join(name);
        let run = contacts(&file, &out, &[]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{name}: {}", stderr(&run));
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
    refused(
        &cdr_contacts(&file, &out, &["--delimiter", ","]),
        "semicolon.csv:1: the header has 1 column(s) with delimiter ','",
        Some(&out),
    );
}
