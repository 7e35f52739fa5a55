//! Helpers of the command-line tests: running `wfm`, scratch folders, the check every
//! refused input must pass ([`refused`]), and a two-site, one-day scenario with
//! hand-written rosters for the tests of `wfm evaluate` and of the output folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `rel`, a path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A fresh, empty folder of its own for each call (`tag` is a readable part of its name).
pub fn scratch(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "wfm-test-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh folder holding a two-site, one-day scenario with inline demand.
pub fn workspace(tag: &str) -> PathBuf {
    let d = scratch(&format!("cli-outputs-{tag}"));
    std::fs::write(d.join("scenario.json"), SCENARIO).unwrap();
    d
}

pub const SCENARIO: &str = r#"{
  "name": "Two sites, one day",
  "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 30, "days": 1},
  "sites": [{"name": "london", "zone": "Europe/London"},
            {"name": "dublin", "zone": "Europe/Dublin"}],
  "queues": [{"name": "voice", "volume": 10, "aht_seconds": 300,
              "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}}],
  "templates": [
    {"name": "day", "site": "london", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon"], "from": "07:00", "to": "12:00"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]},
    {"name": "day", "site": "dublin", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{"days": ["mon"], "from": "07:00", "to": "12:00"}],
     "breaks": [{"name": "lunch", "minutes": 30, "paid": false,
                 "window": {"from_minutes": 180, "to_minutes": 300}}]}
  ]
}"#;

pub const HEADER: &str =
    "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid,notes";

/// A valid row: a `day` shift at `site` starting at `hour` UTC on the horizon's day, with
/// its lunch three hours in.
pub fn row(agent: &str, site: &str, hour: u32, notes: &str) -> String {
    format!(
        "{agent},{site},day,2027-03-08T{hour:02}:00:00Z,2027-03-08T{:02}:30:00Z,,,,\
         2027-03-08T{:02}:00:00Z/2027-03-08T{:02}:30:00Z,unpaid,{notes}",
        hour + 8,
        hour + 3,
        hour + 3
    )
}

pub fn roster(rows: &[String]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

pub fn good_roster() -> String {
    roster(&[
        row("Ana", "london", 7, "\"prefers mornings, ask first\""),
        row("Ben", "dublin", 9, ""),
        row("Cai", "london", 10, "trainee"),
    ])
}

/// Runs the `wfm` binary with `args`.
pub fn wfm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `wfm args` and expects it to succeed (the message shows its stderr).
pub fn succeeds(args: &[&str]) -> Output {
    let run = wfm(args);
    assert!(run.status.success(), "{args:?}: {}", stderr(&run));
    run
}

/// Runs `wfm args` and checks the refusal every bad input must get: exit status 2, no
/// panic, nothing on stdout, a message starting `error: ` that contains `needle` (the
/// file and line, or the flag or field, at fault), and `out` (when given) not created.
/// Returns the message.
pub fn refused(args: &[&str], needle: &str, out: Option<&Path>) -> String {
    let run = wfm(args);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{args:?}: exit status; {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: {err:?} should contain {needle:?}"
    );
    assert!(
        run.stdout.is_empty(),
        "{args:?}: printed {}",
        String::from_utf8_lossy(&run.stdout)
    );
    if let Some(out) = out {
        assert!(!out.exists(), "{args:?}: wrote {}", out.display());
    }
    err
}

/// Stands for the file [`refused_text`] writes, in its arguments.
pub const FILE: &str = "{file}";
/// Stands for the output path [`refused_text`] checks is not written, in its arguments.
pub const OUT: &str = "{out}";

/// Writes `text` as `name` in a fresh scratch folder (`tag`), runs `wfm args` with [`FILE`]
/// standing for that file and [`OUT`] for `out` beside it, and checks the refusal as
/// [`refused`] does: `needle` in the message, `out` not written. Returns the file's path.
pub fn refused_text(tag: &str, name: &str, text: &str, args: &[&str], needle: &str) -> PathBuf {
    let dir = scratch(tag);
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    let args: Vec<&str> = args
        .iter()
        .map(|a| match *a {
            FILE => s(&file),
            OUT => s(&out),
            a => a,
        })
        .collect();
    refused(&args, needle, Some(&out));
    file
}

/// The arguments of `wfm contacts FILE --preset cdr --zone America/New_York --out OUT`
/// (the bundled call records' layout and zone), then `extra`.
pub fn cdr_contacts<'a>(file: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "contacts",
        s(file),
        "--preset",
        "cdr",
        "--zone",
        "America/New_York",
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    args
}

/// The first `take` lines of the bundled call records (`examples/contacts/cdr_calls.csv`),
/// with cell `column` of line `line` (1 is the header) set to `value`, written to
/// `dir/name`.
pub fn calls_with(
    dir: &Path,
    name: &str,
    take: usize,
    line: usize,
    column: usize,
    value: &str,
) -> PathBuf {
    let text = std::fs::read_to_string(repo("examples/contacts/cdr_calls.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().take(take).map(str::to_string).collect();
    let mut cells: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    cells[column] = value.to_string();
    lines[line - 1] = cells.join(",");
    let file = dir.join(name);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    file
}

/// Writes `text` to `dir/name`; returns its path.
pub fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `p` as text (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The stderr of a run, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn evaluate(ws: &Path, roster: &Path, out: &Path, lenient: bool) -> Output {
    let scenario = ws.join("scenario.json");
    let mut args = vec![
        "evaluate",
        s(&scenario),
        "--roster",
        s(roster),
        "--out",
        s(out),
    ];
    if lenient {
        args.push("--lenient");
    }
    wfm(&args)
}
