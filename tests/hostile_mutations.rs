//! A deterministic mutation harness over every reader the `wfm` binary reaches: `wfm
//! contacts` (each preset's export, the Zendesk JSON export, and a mapping file with its
//! export), `wfm forecast`
//! (history, special days, `--aht`), `wfm forecast score` (actuals and forecast), `wfm
//! compare` (forecast and `--actual`), and `wfm plan` / `evaluate` / `simulate` (scenario
//! JSON and roster CSV).
//!
//! Each reader starts from a valid bundled file that is then mutated (`mutation_support`: cuts,
//! dropped, repeated and swapped lines and columns, empty and long cells, BOM, CRLF, CR
//! only, NUL, invalid UTF-8, UTF-16, hostile numbers and dates, deep JSON, duplicate and
//! unknown keys, numbers as strings). Every run must end by itself well within a watchdog
//! (60 s: a hang detector, not a speed test) with exit status 0 or 2, never a panic or a
//! signal. On status 2 the message names the mutated file (or the flag) and nothing is
//! written; on status 0 every CSV and JSON output parses.
//!
//! The default run takes a fixed sample of the cases (every `STRIDE`-th); the whole set:
//! `cargo test --test hostile_mutations -- --ignored`.

mod mutation_support;

use mutation_support::{csv_cases, json_cases, Case};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The default run tries one case in `STRIDE` of each reader.
const STRIDE: usize = 3;
/// A run still going after this long is a hang.
const WATCHDOG: Duration = Duration::from_secs(60);

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The first `n` lines of a bundled file.
fn head(rel: &str, n: usize) -> String {
    let text = std::fs::read_to_string(repo(rel)).unwrap();
    let mut s: String = text.lines().take(n).collect::<Vec<_>>().join("\n");
    s.push('\n');
    s
}

/// A fresh, empty folder, never one another test of this run uses.
fn scratch(tag: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = std::env::temp_dir().join(format!("wfm-mut-{}-{n}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Runs `wfm args` under the watchdog: (status code, stdout, stderr), or an error text.
fn run(args: &[String]) -> Result<(Option<i32>, String, String), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Drain the pipes on threads so a chatty child never blocks.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut so, &mut v);
        v
    });
    let te = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut se, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {WATCHDOG:?}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = String::from_utf8_lossy(&to.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&te.join().unwrap()).into_owned();
    Ok((status.code(), out, err))
}

/// Files made once from the bundled examples: a history, the forecast of the week after,
/// the actuals of that week, a special-days calendar, a scenario and its planned roster.
struct Fixture {
    history: String,
    actuals: String,
    forecast: String,
    special: String,
    scenario: String,
    roster: String,
    mapping: String,
    bank: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = scratch("fixture");
        let all = head("tests/data/scenario_history/history_5w.csv", 400);
        let mut history = String::new();
        let mut actuals = String::from("interval_start,volume,aht_seconds\n");
        for (k, l) in all.lines().enumerate() {
            if k == 0 || l.get(..10).is_some_and(|d| d < "2027-02-15") {
                history.push_str(l);
                history.push('\n');
            } else if l.starts_with("2027-02-15") || l.starts_with("2027-02-16") {
                actuals.push_str(l);
                actuals.push('\n');
            }
        }
        std::fs::write(dir.join("history.csv"), &history).unwrap();
        let fc = dir.join("forecast.csv");
        let args: Vec<String> = [
            "forecast",
            dir.join("history.csv").to_str().unwrap(),
            "--method",
            "weekly_average",
            "--horizon",
            "2d",
            "--out",
            fc.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (code, _, err) = run(&args).unwrap();
        assert_eq!(code, Some(0), "{err}");
        let forecast = std::fs::read_to_string(&fc).unwrap();
        let scenario =
            std::fs::read_to_string(repo("tests/data/bad_rosters/scenario.json")).unwrap();
        let plan = dir.join("plan");
        let args: Vec<String> = [
            "plan",
            repo("tests/data/bad_rosters/scenario.json")
                .to_str()
                .unwrap(),
            "--out",
            plan.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (code, _, err) = run(&args).unwrap();
        assert_eq!(code, Some(0), "{err}");
        let roster = std::fs::read_to_string(plan.join("roster.csv")).unwrap();
        Fixture {
            history,
            actuals,
            forecast,
            special: "date,name,multiplier\n2027-02-03,holiday,\n2027-02-16,campaign,1.3\n".into(),
            scenario,
            roster,
            mapping: std::fs::read_to_string(repo("examples/contacts/anonymous_bank_mapping.json"))
                .unwrap(),
            bank: head(
                "tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt",
                60,
            ),
        }
    })
}

/// The first `n` tickets of the Zendesk JSON example, with its sideloaded groups.
fn zendesk_json_head(n: usize) -> String {
    let text = std::fs::read_to_string(repo("examples/contacts/zendesk_tickets.json")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let tickets = lines[1..=n].join("\n");
    let tail_from = lines.iter().position(|l| l.starts_with("],")).unwrap();
    format!(
        "{}\n{}\n{}\n",
        lines[0],
        tickets.trim_end_matches(','),
        lines[tail_from..].join("\n")
    )
}

/// One reader: the valid file it starts from, whether it is JSON, the side files it needs
/// beside the mutated one, and the command line (`{in}` is the mutated file, `{out}` the
/// output path, `{dir}/NAME` a side file).
struct Target {
    name: &'static str,
    file: &'static str,
    valid: String,
    json: bool,
    side: Vec<(&'static str, String)>,
    args: Vec<&'static str>,
}

fn targets() -> Vec<Target> {
    let f = fixture();
    let preset = |name: &'static str, rel: &str, extra: &[&'static str]| {
        let mut args = vec!["contacts", "{in}", "--preset", name, "--out", "{out}"];
        args.extend_from_slice(extra);
        Target {
            name,
            file: "export.csv",
            valid: head(rel, 40),
            json: false,
            side: vec![],
            args,
        }
    };
    let json_preset = |name: &'static str, valid: String, zone: &'static str| Target {
        name,
        file: "export.json",
        valid,
        json: true,
        side: vec![],
        args: vec![
            "contacts", "{in}", "--preset", name, "--zone", zone, "--out", "{out}",
        ],
    };
    let csv = |name, file, valid: &String, side: Vec<(&'static str, String)>, args| Target {
        name,
        file,
        valid: valid.clone(),
        json: false,
        side,
        args,
    };
    vec![
        preset(
            "cdr",
            "examples/contacts/cdr_calls.csv",
            &["--zone", "America/New_York"],
        ),
        preset(
            "zendesk",
            "examples/contacts/zendesk_tickets.csv",
            &["--zone", "Europe/Paris", "--within", "2h"],
        ),
        preset(
            "freshdesk",
            "examples/contacts/freshdesk_tickets.csv",
            &[
                "--delimiter",
                ";",
                "--decimal-comma",
                "--dates",
                "dmy",
                "--zone",
                "Europe/Madrid",
            ],
        ),
        json_preset("zendesk_json", zendesk_json_head(40), "Europe/Paris"),
        json_preset(
            "amazon_connect",
            head("examples/contacts/amazon_connect_ctrs.json", 40),
            "America/New_York",
        ),
        preset(
            "salesforce",
            "examples/contacts/salesforce_cases.csv",
            &["--zone", "America/Chicago"],
        ),
        preset(
            "jira",
            "examples/contacts/jira_requests.csv",
            &["--zone", "Europe/London"],
        ),
        Target {
            name: "mapping",
            file: "mapping.json",
            valid: f.mapping.clone(),
            json: true,
            side: vec![("bank.txt", f.bank.clone())],
            args: vec![
                "contacts",
                "{dir}/bank.txt",
                "--mapping",
                "{in}",
                "--out",
                "{out}",
            ],
        },
        csv(
            "mapped export",
            "bank.txt",
            &f.bank,
            vec![("mapping.json", f.mapping.clone())],
            vec![
                "contacts",
                "{in}",
                "--mapping",
                "{dir}/mapping.json",
                "--out",
                "{out}",
            ],
        ),
        csv(
            "history",
            "history.csv",
            &f.history,
            vec![],
            vec![
                "forecast",
                "{in}",
                "--method",
                "weekly_average",
                "--horizon",
                "1d",
                "--out",
                "{out}",
            ],
        ),
        csv(
            "special days",
            "special.csv",
            &f.special,
            vec![("history.csv", f.history.clone())],
            vec![
                "forecast",
                "{dir}/history.csv",
                "--special-days",
                "{in}",
                "--method",
                "weekly_average",
                "--horizon",
                "2d",
                "--out",
                "{out}",
            ],
        ),
        csv(
            "score actuals",
            "actuals.csv",
            &f.actuals,
            vec![("forecast.csv", f.forecast.clone())],
            vec![
                "forecast",
                "score",
                "--actuals",
                "{in}",
                "--forecast",
                "{dir}/forecast.csv",
            ],
        ),
        csv(
            "score forecast",
            "forecast.csv",
            &f.forecast,
            vec![("actuals.csv", f.actuals.clone())],
            vec![
                "forecast",
                "score",
                "--actuals",
                "{dir}/actuals.csv",
                "--forecast",
                "{in}",
            ],
        ),
        csv(
            "compare actual",
            "actual.csv",
            &f.actuals,
            vec![("forecast.csv", f.forecast.clone())],
            vec![
                "compare",
                "{dir}/forecast.csv",
                "--actual",
                "{in}",
                "--out",
                "{out}",
            ],
        ),
        csv(
            "compare forecast",
            "forecast.csv",
            &f.forecast,
            vec![("actual.csv", f.actuals.clone())],
            vec![
                "compare",
                "{in}",
                "--actual",
                "{dir}/actual.csv",
                "--out",
                "{out}",
            ],
        ),
        Target {
            name: "scenario",
            file: "scenario.json",
            valid: f.scenario.clone(),
            json: true,
            side: vec![],
            args: vec!["plan", "{in}", "--out", "{out}"],
        },
        csv(
            "evaluate roster",
            "roster.csv",
            &f.roster,
            vec![("scenario.json", f.scenario.clone())],
            vec![
                "evaluate",
                "{dir}/scenario.json",
                "--roster",
                "{in}",
                "--out",
                "{out}",
            ],
        ),
        csv(
            "simulate roster",
            "roster.csv",
            &f.roster,
            vec![("scenario.json", f.scenario.clone())],
            vec![
                "simulate",
                "{dir}/scenario.json",
                "--roster",
                "{in}",
                "--replications",
                "2",
                "--seed",
                "1",
                "--out",
                "{out}",
            ],
        ),
    ]
}

/// Every output file under `out` parses: CSV with one width per file, JSON as JSON.
fn outputs_parse(out: &Path) -> Result<(), String> {
    let files: Vec<PathBuf> = if out.is_dir() {
        std::fs::read_dir(out)
            .map_err(|e| e.to_string())?
            .map(|e| e.unwrap().path())
            .collect()
    } else if out.exists() {
        vec![out.to_path_buf()]
    } else {
        vec![]
    };
    for p in files {
        let bytes = std::fs::read(&p).map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", p.display()))?;
        match p.extension().and_then(|e| e.to_str()) {
            Some("csv") => {
                let mut r = csv::Reader::from_reader(text.as_bytes());
                for rec in r.records() {
                    rec.map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|e| format!("{}: {e}", p.display()))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Runs one case of `t`: its exit status, or `Err` saying what went wrong.
fn check(t: &Target, c: &Case) -> Result<i32, String> {
    let dir = scratch(&t.name.replace(' ', "_"));
    let input = dir.join(t.file);
    std::fs::write(&input, &c.bytes).unwrap();
    for (name, text) in &t.side {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = dir.join("out");
    let out_arg = if t.args.contains(&"contacts") || t.args[0] != "forecast" {
        out.clone()
    } else {
        out.join("forecast.csv")
    };
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| {
            a.replace("{in}", input.to_str().unwrap())
                .replace("{out}", out_arg.to_str().unwrap())
                .replace("{dir}", dir.to_str().unwrap())
        })
        .collect();
    let (code, stdout, stderr) = run(&args)?;
    // A scenario and a mapping file refuse unknown keys (docs/scenario.md, docs/forecasting.md).
    let strict = t.json && !matches!(t.name, "zendesk_json" | "amazon_connect");
    let result = match code {
        Some(0) if strict && c.label.starts_with("unknown key") => {
            Err("an unknown key was read without an error".to_string())
        }
        Some(0) => outputs_parse(&out).map(|()| 0),
        Some(2) => {
            if !stderr.starts_with("error: ") || stderr.contains("panicked") {
                Err(format!("status 2 without an error line: {stderr}"))
            } else if !stderr.contains(t.file) {
                Err(format!("the error does not name {}: {stderr}", t.file))
            } else if out.exists() {
                Err(format!("wrote {} on an error: {stderr}", out.display()))
            } else if !stdout.is_empty() {
                Err(format!("printed {stdout:?} on an error: {stderr}"))
            } else {
                Ok(2)
            }
        }
        other => Err(format!("status {other:?}: {stderr}")),
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs the cases of every reader whose index modulo `stride` is `phase`, on two threads;
/// panics listing every failure.
fn harness(stride: usize, thorough: bool) {
    let targets = targets();
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    let cases: Vec<Vec<Case>> = targets
        .iter()
        .map(|t| {
            if t.json {
                json_cases(&t.valid, thorough)
            } else {
                csv_cases(&t.valid, thorough)
            }
        })
        .collect();
    for (ti, cs) in cases.iter().enumerate() {
        for ci in 0..cs.len() {
            // A different phase per reader, so the sample covers every kind of mutation.
            if (ci + ti) % stride == 0 {
                jobs.push((ti, ci));
            }
        }
    }
    eprintln!("{} cases", jobs.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(ti, ci)) = jobs.get(j) else {
                    break;
                };
                let (t, c) = (&targets[ti], &cases[ti][ci]);
                if let Err(e) = check(t, c) {
                    let e: String = e.chars().take(600).collect();
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("[{}] {}: {e}", t.name, c.label));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n")
    );
}

#[test]
fn a_sample_of_mutations_of_every_reader_is_read_or_refused_by_name() {
    harness(STRIDE, false);
}

#[test]
#[ignore = "every mutation of every reader: several minutes in a debug build"]
fn every_mutation_of_every_reader_is_read_or_refused_by_name() {
    harness(1, true);
}

#[test]
fn every_reader_reads_its_valid_file() {
    let targets = targets();
    for t in &targets {
        let c = Case {
            label: "valid".into(),
            bytes: t.valid.clone().into_bytes(),
        };
        let code = check(t, &c).unwrap_or_else(|e| panic!("[{}] {e}", t.name));
        assert_eq!(code, 0, "[{}] the valid file is refused", t.name);
    }
}

/// Hostile values of the flags that take numbers, durations, zones and dates (given as
/// `--flag=value`, so that a negative value is a value): each is read or refused naming the
/// flag.
#[test]
fn hostile_flag_values_are_read_or_refused_by_name() {
    let f = fixture();
    let dir = scratch("flags");
    std::fs::write(dir.join("history.csv"), &f.history).unwrap();
    std::fs::write(dir.join("forecast.csv"), &f.forecast).unwrap();
    std::fs::write(dir.join("actual.csv"), &f.actuals).unwrap();
    std::fs::write(
        dir.join("calls.csv"),
        head("examples/contacts/cdr_calls.csv", 40),
    )
    .unwrap();
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let values = [
        "",
        "0",
        "-1",
        "NaN",
        "inf",
        "1e308",
        "99999999999h",
        "3m",
        "-3m",
        "1e-9",
        "24:00",
        "2024-02-30",
        "0000-01-01",
        "9999-12-31",
        "Mars/Olympus",
        "x".repeat(10_000).leak(),
    ];
    let mut failures = Vec::new();
    for v in values {
        let commands: Vec<(&str, Vec<String>)> = vec![
            (
                "--aht",
                vec![
                    "forecast".into(),
                    d("history.csv"),
                    "--method".into(),
                    "weekly_average".into(),
                    format!("--aht={v}"),
                    "--horizon".into(),
                    "1d".into(),
                    "--out".into(),
                    d("out/f.csv"),
                ],
            ),
            (
                "--horizon",
                vec![
                    "forecast".into(),
                    d("history.csv"),
                    "--method".into(),
                    "weekly_average".into(),
                    format!("--horizon={v}"),
                    "--out".into(),
                    d("out/f.csv"),
                ],
            ),
            (
                "--tz",
                vec![
                    "forecast".into(),
                    d("history.csv"),
                    "--method".into(),
                    "weekly_average".into(),
                    format!("--tz={v}"),
                    "--horizon".into(),
                    "1d".into(),
                    "--out".into(),
                    d("out/f.csv"),
                ],
            ),
            (
                "--interval",
                vec![
                    "contacts".into(),
                    d("calls.csv"),
                    "--preset".into(),
                    "cdr".into(),
                    format!("--interval={v}"),
                    "--out".into(),
                    d("out"),
                ],
            ),
            (
                "--within",
                vec![
                    "contacts".into(),
                    d("calls.csv"),
                    "--preset".into(),
                    "cdr".into(),
                    format!("--within={v}"),
                    "--out".into(),
                    d("out"),
                ],
            ),
            (
                "--from",
                vec![
                    "contacts".into(),
                    d("calls.csv"),
                    "--preset".into(),
                    "cdr".into(),
                    format!("--from={v}"),
                    "--out".into(),
                    d("out"),
                ],
            ),
            (
                "--zone",
                vec![
                    "contacts".into(),
                    d("calls.csv"),
                    "--preset".into(),
                    "cdr".into(),
                    format!("--zone={v}"),
                    "--out".into(),
                    d("out"),
                ],
            ),
            (
                "--zone",
                vec![
                    "compare".into(),
                    d("forecast.csv"),
                    "--actual".into(),
                    d("actual.csv"),
                    format!("--zone={v}"),
                    "--out".into(),
                    d("out"),
                ],
            ),
        ];
        for (flag, args) in commands {
            let _ = std::fs::remove_dir_all(dir.join("out"));
            let shown: String = v.chars().take(20).collect();
            match run(&args) {
                Err(e) => failures.push(format!("{flag} {shown:?}: {e}")),
                Ok((Some(0), _, _)) => {
                    if let Err(e) = outputs_parse(&dir.join("out")) {
                        failures.push(format!("{flag} {shown:?}: {e}"));
                    }
                }
                Ok((Some(2), _, err)) => {
                    if !err.starts_with("error: ")
                        || !err.contains(flag) && !err.contains("calls.csv")
                    {
                        failures.push(format!(
                            "{flag} {shown:?}: the error does not name the flag: {}",
                            err.chars().take(300).collect::<String>()
                        ));
                    } else if dir.join("out").exists() {
                        failures.push(format!("{flag} {shown:?}: wrote out on an error: {err}"));
                    }
                }
                Ok((code, _, err)) => failures.push(format!(
                    "{flag} {shown:?}: status {code:?}: {}",
                    err.chars().take(300).collect::<String>()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
