//! Every command shown in a ```sh block of README.md, docs/*.md and examples/contacts/README.md
//! runs as written: `wfm` (or `cargo run --release --`) is replaced by the path of the
//! binary under test and nothing else is changed. Each document's commands run in order,
//! in a scratch folder holding a copy of `examples/` and the bundled bank data, so later
//! commands read what earlier ones wrote.
//!
//! Skipped, and listed in `SKIPPED` so that a new one must be added here on purpose:
//! commands of cargo itself (`cargo test`, `cargo bench`, examples, `cargo fuzz`), commands that need
//! the shared reference data beside the repository (`../shared`) or environment variables,
//! and the Python package's (`.ci/run` installs it, runs its tests, the README's Python
//! block and the Python example).

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo test` runs this test; the fuzzing commands of `docs/limits.md` need a nightly
/// toolchain and `cargo-fuzz`, and run for minutes.
const SKIPPED: [&str; 8] = [
    "cargo +nightly fuzz list                              # the seven targets",
    "cargo +nightly fuzz run history -- -max_total_time=60 # one minute on the history reader",
    "cargo +nightly fuzz run scenario fuzz/corpus/scenario tests/data/bad_scenarios -- -max_total_time=300",
    "cargo install cargo-fuzz",
    "cargo test",
    "pip install ./python",
    "python examples/python/bank_to_roster.py",
    "rustup toolchain install nightly",
];

fn sh_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            inside = !inside && t == "```sh";
            continue;
        }
        if inside && !t.is_empty() && !t.starts_with('#') {
            out.push(t.to_string());
        }
    }
    out
}

/// Splits a command line into words, with '...' and "..." quoting (no expansion).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has = true;
            }
            (None, c) if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                has = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-readme-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    copy_dir(Path::new("examples"), &d.join("examples"));
    copy_dir(
        Path::new("tests/data/anonymous_bank_feb1999"),
        &d.join("tests/data/anonymous_bank_feb1999"),
    );
    d
}

#[test]
fn every_documented_command_runs_as_written() {
    let mut docs: Vec<PathBuf> = vec!["README.md".into(), "examples/contacts/README.md".into()];
    let mut more: Vec<PathBuf> = std::fs::read_dir("docs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let mut ran = 0;
    let mut skipped = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        let commands = sh_blocks(&text);
        if commands.is_empty() {
            continue;
        }
        let dir = scratch(&doc.display().to_string().replace(['/', '.'], "_"));
        for line in commands {
            let w = words(&line);
            let rest: &[String] = if w.first().is_some_and(|x| x == "wfm") {
                &w[1..]
            } else if w.len() > 3 && w[..4] == ["cargo", "run", "--release", "--"] {
                &w[4..]
            } else {
                skipped.push(line.clone());
                continue;
            };
            if line.contains("../shared") || line.contains('$') || w[0].contains('=') {
                skipped.push(line.clone());
                continue;
            }
            let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
                .current_dir(&dir)
                .args(rest)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{}: `{line}` failed:\n{}\n{}",
                doc.display(),
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            ran += 1;
        }
    }
    skipped.sort();
    skipped.dedup();
    assert_eq!(skipped, SKIPPED, "skipped commands changed");
    assert!(ran >= 15, "only {ran} commands ran");
}

#[test]
fn the_splitter_keeps_quoted_words() {
    assert_eq!(
        words("wfm contacts a.csv --delimiter ';' --dates \"%d/%b/%y %I:%M %p\" --x ''"),
        [
            "wfm",
            "contacts",
            "a.csv",
            "--delimiter",
            ";",
            "--dates",
            "%d/%b/%y %I:%M %p",
            "--x",
            ""
        ]
    );
}
