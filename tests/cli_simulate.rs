//! The `wfm simulate` command and `wfm plan --simulate`: files written, same seed same
//! files, and every bad input a named error with exit status 2 and nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCENARIO: &str = r#"{
  "name": "Simulated day",
  "horizon": { "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1 },
  "sites": [ { "name": "london", "zone": "Europe/London" } ],
  "queues": [
    { "name": "voice", "volume": [0,0,0,0,0,0,0,0,60,60,60,60,60,60,60,60,0,0,0,0,0,0,0,0], "aht_seconds": 240, "patience_seconds": 120,
      "targets": { "service_level": { "fraction": 0.8, "within_seconds": 20 } } },
    { "name": "chat", "channel": { "kind": "chat", "concurrency": CONC },
      "volume": [0,0,0,0,0,0,0,0,30,30,30,30,30,30,30,30,0,0,0,0,0,0,0,0], "aht_seconds": 600,
      "targets": { "service_level": { "fraction": 0.8, "within_seconds": 60 } } }
  ],
  "templates": [
    { "name": "phones", "site": "london", "queue": "voice", "paid_minutes": 480,
      "start_windows": [ { "days": ["mon"], "from": "08:00", "to": "08:00" } ] },
    { "name": "chats", "site": "london", "queue": "chat", "paid_minutes": 480,
      "start_windows": [ { "days": ["mon"], "from": "08:00", "to": "08:00" } ] }
  ]
}"#;

const HEADER: &str =
    "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid";

fn row(agent: &str, site: &str, template: &str) -> String {
    format!(
        "{agent},{site},{template},2027-03-08T08:00:00Z,2027-03-08T16:00:00Z,\
         2027-03-08T08:00:00+00:00,2027-03-08T16:00:00+00:00,450,\
         2027-03-08T12:00:00Z/2027-03-08T12:30:00Z,unpaid"
    )
}

struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(name: &str, concurrency: u32, rows: &[String]) -> Case {
        let dir = std::env::temp_dir().join(format!("wfm-sim-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("scenario.json"),
            SCENARIO.replace("CONC", &concurrency.to_string()),
        )
        .unwrap();
        let mut text = vec![HEADER.to_string()];
        text.extend(rows.iter().cloned());
        std::fs::write(dir.join("roster.csv"), text.join("\n") + "\n").unwrap();
        Case { dir }
    }

    fn path(&self, f: &str) -> String {
        self.dir.join(f).display().to_string()
    }

    fn run(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_wfm"))
            .args([
                "simulate",
                &self.path("scenario.json"),
                "--roster",
                &self.path("roster.csv"),
                "--out",
                &self.path("out"),
            ])
            .args(extra)
            .output()
            .unwrap()
    }

    /// Runs, expects exit status 2, an error mentioning every needle, and no output.
    fn fails(&self, extra: &[&str], needles: &[&str]) {
        let out = self.run(extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{err}"
        );
        for n in needles {
            assert!(err.contains(n), "{err:?} should mention {n:?}");
        }
        assert!(!Path::new(&self.path("out")).exists(), "nothing written");
    }
}

fn team() -> Vec<String> {
    let mut rows: Vec<String> = (0..7)
        .map(|k| row(&format!("v{k}"), "london", "phones"))
        .collect();
    rows.extend((0..4).map(|k| row(&format!("c{k}"), "london", "chats")));
    rows
}

#[test]
fn writes_both_files_and_the_same_seed_gives_the_same_files() {
    let c = Case::new("ok", 2, &team());
    let out = c.run(&["--replications", "5", "--seed", "9", "--threads", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(c.path("out/simulation.csv")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("out/simulation.json")).unwrap())
            .unwrap();
    // One row per interval and queue, and the header.
    assert_eq!(csv.lines().count(), 1 + 24 * 2);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(&header[..2], &["interval_start_utc", "queue"]);
    assert!(header.contains(&"service_level_ci_low"));
    assert_eq!(header.len(), 2 + 13 * 3);
    assert_eq!(json["replications"], 5);
    assert_eq!(json["seed"], 9);
    assert_eq!(json["queues"].as_array().unwrap().len(), 2);
    assert_eq!(json["agents"].as_array().unwrap().len(), 11);
    let sl = json["total"]["service_level"]["mean"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&sl));
    // Nobody works before 08:00: nothing answered in the first hours.
    let first = csv.lines().nth(1).unwrap();
    assert!(first.starts_with("2027-03-08T00:00:00Z,voice,"), "{first}");
    let again = c.run(&["--replications", "5", "--seed", "9", "--threads", "1"]);
    assert!(again.status.success());
    assert_eq!(
        std::fs::read_to_string(c.path("out/simulation.csv")).unwrap(),
        csv
    );
}

#[test]
fn replays_a_contact_log() {
    let c = Case::new("replay", 2, &team());
    let log = "arrival,handle,outcome,wait\n\
               2027-03-08T09:00:00Z,300,served,0\n\
               2027-03-08T09:00:05Z,,abandoned,30\n\
               2027-03-08T09:01:00Z,200,served,4\n";
    std::fs::write(c.path("log.csv"), log).unwrap();
    let log_path = c.path("log.csv");
    let args = [
        "--arrivals",
        &log_path,
        "--queue",
        "voice",
        "--handle-column",
        "handle",
        "--outcome-column",
        "outcome",
        "--abandoned-value",
        "abandoned",
        "--queue-time-column",
        "wait",
        "--replications",
        "2",
    ];
    let out = c.run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("out/simulation.json")).unwrap())
            .unwrap();
    assert_eq!(json["replay"]["contacts"], 3);
    let voice = &json["queues"][0]["total"];
    assert_eq!(voice["offered"]["mean"], 3.0);
    // Seven agents are free at 09:00: nobody waits, so the abandoning caller is answered.
    assert_eq!(voice["answered"]["mean"], 3.0);
}

#[test]
fn bad_inputs_are_named_errors_and_write_nothing() {
    let c = Case::new("bad", 2, &team());
    c.fails(&["--replications", "0"], &["replications", "at least 1"]);

    let mut rows = team();
    rows.push(row("x", "paris", "phones"));
    Case::new("bad-site", 2, &rows).fails(&[], &["roster.csv:13", "paris"]);

    let mut rows = team();
    rows.push(row("x", "london", "nights"));
    Case::new("bad-template", 2, &rows).fails(&[], &["roster.csv:13", "nights"]);

    Case::new("bad-conc", 0, &team()).fails(&[], &["concurrency", "at least 1"]);

    let log_path = c.path("log.csv");
    let unsorted = "arrival\n2027-03-08T09:00:00Z\n2027-03-08T08:00:00Z\n";
    std::fs::write(&log_path, unsorted).unwrap();
    c.fails(
        &["--arrivals", &log_path, "--queue", "voice"],
        &["log.csv:3", "sorted"],
    );
    // Sorting on request replays it.
    let ok = c.run(&[
        "--arrivals",
        &log_path,
        "--queue",
        "voice",
        "--sort-arrivals",
        "--replications",
        "2",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    std::fs::remove_dir_all(c.path("out")).unwrap();

    std::fs::write(
        &log_path,
        "arrival\n2027-03-08T09:00:00Z\n2027-03-09T09:00:00Z\n",
    )
    .unwrap();
    c.fails(
        &["--arrivals", &log_path, "--queue", "voice"],
        &["log.csv:3", "outside the horizon"],
    );
    std::fs::write(&log_path, "arrival\n2027-03-08T09:00:00Z\nnot a time\n").unwrap();
    c.fails(
        &["--arrivals", &log_path, "--queue", "voice"],
        &["log.csv:3"],
    );
    std::fs::write(&log_path, "when\n2027-03-08T09:00:00Z\n").unwrap();
    c.fails(
        &["--arrivals", &log_path, "--queue", "voice"],
        &["log.csv:1", "arrival"],
    );
    std::fs::write(&log_path, "arrival\n2027-03-08T09:00:00Z\n").unwrap();
    c.fails(&["--arrivals", &log_path], &["--queue", "several queues"]);
    c.fails(
        &["--arrivals", &log_path, "--queue", "email"],
        &["--queue", "email"],
    );
    c.fails(&["--handle-cv=-1"], &["handle.cv"]);
    // Log options without a log are not ignored silently.
    c.fails(&["--queue", "voice"], &["--arrivals"]);
    c.fails(&["--handle-column", "x"], &["--arrivals"]);
}

#[test]
fn named_agents_must_be_known() {
    let scenario = SCENARIO.replace("CONC", "2").replace(
        "  \"templates\": [",
        "  \"agents\": [ { \"name\": \"v0\", \"site\": \"london\" } ],\n  \"templates\": [",
    );
    let c = Case::new(
        "named",
        2,
        &[
            row("v0", "london", "phones"),
            row("ghost", "london", "phones"),
        ],
    );
    std::fs::write(c.path("scenario.json"), scenario).unwrap();
    c.fails(&[], &["roster.csv:3", "ghost", "not an agent"]);
}

#[test]
fn plan_with_simulate_puts_both_side_by_side() {
    let c = Case::new("plan", 2, &team());
    let out = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "plan",
            &c.path("scenario.json"),
            "--out",
            &c.path("plan"),
            "--simulate",
            "4",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("plan/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["simulated"]["replications"], 4);
    assert!(summary["simulated"]["service_level"]["mean"]
        .as_f64()
        .is_some());
    let cov = std::fs::read_to_string(c.path("plan/coverage.csv")).unwrap();
    assert!(cov
        .lines()
        .next()
        .unwrap()
        .ends_with("occupancy,simulated_service_level,simulated_sl_ci_low,simulated_sl_ci_high"));
    let html = std::fs::read_to_string(c.path("plan/report.html")).unwrap();
    assert!(html.contains("Predicted and simulated service level"));
    // The files still verify (coverage equals the recount from the roster).
    let p = wfm::scenario::Scenario::load(Path::new(&c.path("scenario.json"))).unwrap();
    let mut routing = wfm::evaluate::Routing::new();
    routing.serve("london", "phones", 0).unwrap();
    routing.serve("london", "chats", 1).unwrap();
    let names: Vec<String> = p.queues.iter().map(|q| q.name.clone()).collect();
    wfm::io::verify_outputs(
        Path::new(&c.path("plan")),
        &p.horizon,
        &p.sites,
        &routing,
        &names,
    )
    .unwrap();
    // Without --simulate nothing changes.
    let out = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(["plan", &c.path("scenario.json"), "--out", &c.path("plain")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let plain = std::fs::read_to_string(c.path("plain/summary.json")).unwrap();
    assert!(!plain.contains("simulated"));
}
