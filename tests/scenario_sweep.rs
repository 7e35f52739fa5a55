//! A sweep over generated scenarios: a seeded generator writes valid but varied scenarios
//! (1-4 sites in zones with and without daylight saving, horizons across DST changes in
//! both directions, 15/30/60-minute grids, 24/7 and closed days, voice with every kind of
//! target, chat, backlog, zero and tiny volumes and one huge peak, shrinkage 0 and 0.45,
//! shifts across midnight, breaks, part time, templates that cannot fit, binding caps and
//! budgets, multi-skill templates, named agents with contracts, gaps, wishes and published
//! shifts, some of them conflicting), runs the library and the `wfm` binary on each, and
//! checks invariants, not numbers:
//!
//! * no panic: the library returns `Ok` or a typed error, the binary exits 0 or 2 with the
//!   library's message;
//! * the time limit is kept and the work-paced run gives the same files from the library
//!   and from the binary;
//! * coverage, cost and paid hours agree with an independent recount from `roster.csv`;
//!   every output file parses (CSV shape, JSON, ICS CRLF lines of at most 75 octets, HTML
//!   escaped); every named agent and every published shift is in the outputs;
//! * short intervals under hard coverage are explained (`schedule.understaffed`);
//! * `wfm evaluate` accepts the roster without a warning and gives the same coverage;
//!   `wfm simulate` and `wfm compare` run on the outputs;
//! * queues forecast from history (`sweep_support::with_history`): `wfm forecast` on the
//!   same history gives the plan's forecast, and the scenario planned from those files
//!   (`forecast_csv`) passes every check again.
//!
//! `cargo test --test scenario_sweep` runs a fixed handful of seeds and the regression
//! scenarios under `tests/data/sweep/`; the long sweep is
//! `SWEEP_FROM=1000 SWEEP_COUNT=200 cargo test --test scenario_sweep -- --ignored --nocapture`
//! (seeds `SWEEP_FROM` .. `SWEEP_FROM + SWEEP_COUNT`; see docs/limits.md); with
//! `SWEEP_WRITE=DIR` it writes the scenarios to `DIR/seedN/` without running them.

mod sweep_support;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use sweep_support::{generate, Generated};

// ---------------------------------------------------------------------------------------
// Running and checking
// ---------------------------------------------------------------------------------------

fn wfm(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(args)
        .output()
        .expect("run wfm")
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("timestamp {s:?}: {e}"))
        .with_timezone(&Utc)
}

/// A CSV file as its header and rows; every row as long as the header.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|x| {
            let rec = x.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            rec.iter().map(String::from).collect()
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "{}: row {}", path.display(), i + 2);
    }
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} in {header:?}"))
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What happened to one scenario.
#[derive(Debug, PartialEq)]
enum Verdict {
    Planned,
    Refused(String),
}

/// Writes the scenario into a fresh folder and runs every check on it.
fn run_generated(tag: &str, g: &Generated) -> Verdict {
    let dir = std::env::temp_dir().join(format!("wfm-sweep-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in &g.files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let path = dir.join("scenario.json");
    std::fs::write(&path, serde_json::to_string_pretty(&g.json).unwrap()).unwrap();
    let v = check(&path, &dir);
    if v == Verdict::Planned {
        check_chain(&path.display().to_string(), &path, &dir);
    }
    // SWEEP_KEEP=1 keeps every scenario and its outputs, to look at a refusal.
    if std::env::var_os("SWEEP_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    v
}

fn check(path: &Path, dir: &Path) -> Verdict {
    let name = path.display().to_string();
    let scenario: Value = json_file(path);
    let lib_out = dir.join("lib");
    let bin_out = dir.join("bin");
    let now = ts("2027-01-01T00:00:00Z");

    // The library.
    let lib = wfm::scenario::Scenario::load(path).and_then(|p| {
        let outcome = wfm::scenario::plan(&p, None)?;
        outcome.write(&lib_out, &p, &[], now)?;
        Ok(outcome)
    });
    // The binary.
    let run = wfm(&[
        "plan",
        path.to_str().unwrap(),
        "--out",
        bin_out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    let outcome = match lib {
        Err(e) => {
            let msg = e.to_string();
            assert_eq!(
                run.status.code(),
                Some(2),
                "{name}: the binary exits 2 where the library says {msg}; stderr {stderr}"
            );
            // The binary adds the scenario file to a message of the plan's.
            let first = msg.lines().next().unwrap_or("");
            let tail = first.split_once(' ').map_or(first, |x| x.1);
            assert!(
                stderr.contains(tail),
                "{name}: same message: library {msg:?}, binary {stderr:?}"
            );
            assert!(!bin_out.exists(), "{name}: nothing written on error");
            // A refusal names where: a field path, a file, or an infeasibility.
            assert!(
                msg.contains('[')
                    || msg.contains(".json")
                    || msg.contains("infeasible")
                    || msg.contains(".csv"),
                "{name}: error names its place: {msg}"
            );
            return Verdict::Refused(msg);
        }
        Ok(o) => o,
    };
    assert!(run.status.success(), "{name}: binary failed: {stderr}");

    let summary = json_file(&bin_out.join("summary.json"));
    let status = summary["status"].as_str().unwrap().to_string();
    let limit = scenario["solve"]["time_limit_seconds"]
        .as_f64()
        .unwrap_or(10.0);
    let secs = summary["solve_seconds"].as_f64().unwrap();
    assert!(
        secs <= limit * 1.5 + 5.0,
        "{name}: solve took {secs} s against a limit of {limit} s"
    );
    // Work-paced: the library's files and the binary's are the same.
    if status != "time_limit" {
        for f in [
            "requirements.csv",
            "plan.csv",
            "roster.csv",
            "coverage.csv",
            "forecast.csv",
        ] {
            let a = std::fs::read_to_string(lib_out.join(f)).ok();
            let b = std::fs::read_to_string(bin_out.join(f)).ok();
            assert_eq!(a, b, "{name}: {f} differs between two runs");
        }
    }
    // Two runs the clock cut may differ (the status says so): compared only uncut.
    if status != "time_limit" {
        assert_eq!(
            outcome.summary.understaffed_intervals as u64,
            summary["understaffed_intervals"].as_u64().unwrap(),
            "{name}: understaffed intervals, library and binary"
        );
    }

    check_outputs(&name, &scenario, &bin_out);
    check_evaluate(&name, path, &bin_out, dir);
    check_simulate(&name, path, &bin_out, dir);
    check_compare(&name, &bin_out, dir);
    Verdict::Planned
}

struct Shift {
    agent: String,
    template: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    start_local: String,
    breaks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    paid_minutes: i64,
}

fn check_outputs(name: &str, scenario: &Value, out: &Path) {
    let h = &scenario["horizon"];
    let start = ts(h["start"].as_str().unwrap());
    let step = h["interval_minutes"].as_i64().unwrap();
    let n = (h["days"].as_i64().unwrap() * 1440 / step) as usize;
    let queues: Vec<&Value> = scenario["queues"].as_array().unwrap().iter().collect();
    let templates: HashMap<&str, &Value> = scenario["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t))
        .collect();
    let multi_skill = templates.values().any(|t| t.get("skills").is_some());
    let soft = scenario["coverage"]["mode"] == "soft";
    let agents: Vec<&Value> = scenario["agents"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();

    // roster.csv
    let (rh, rrows) = read_csv(&out.join("roster.csv"));
    let shifts: Vec<Shift> = rrows
        .iter()
        .map(|r| {
            let breaks = r[col(&rh, "breaks")]
                .split(';')
                .filter(|b| !b.is_empty())
                .map(|b| {
                    let (a, e) = b.split_once('/').unwrap();
                    (ts(a), ts(e))
                })
                .collect();
            let s = Shift {
                agent: r[col(&rh, "agent")].clone(),
                template: r[col(&rh, "template")].clone(),
                start: ts(&r[col(&rh, "start_utc")]),
                end: ts(&r[col(&rh, "end_utc")]),
                start_local: r[col(&rh, "start_local")].clone(),
                breaks,
                paid_minutes: r[col(&rh, "paid_minutes")].parse().unwrap(),
            };
            assert_eq!(ts(&s.start_local), s.start, "{name}: start_local");
            assert!(
                templates.contains_key(s.template.as_str()),
                "{name}: template {}",
                s.template
            );
            s
        })
        .collect();

    // Independent recount of single-queue coverage.
    let mut recount: HashMap<(String, usize), i64> = HashMap::new();
    for s in &shifts {
        let t = templates[s.template.as_str()];
        let Some(q) = t["queue"].as_str() else {
            continue;
        };
        for i in 0..n {
            let a = start + Duration::minutes(step * i as i64);
            let b = a + Duration::minutes(step);
            if a >= s.start && b <= s.end && !s.breaks.iter().any(|&(x, y)| a < y && b > x) {
                *recount.entry((q.to_string(), i)).or_default() += 1;
            }
        }
    }
    let (ch, crows) = read_csv(&out.join("coverage.csv"));
    assert_eq!(crows.len(), n * queues.len(), "{name}: coverage rows");
    let (rqh, rqrows) = read_csv(&out.join("requirements.csv"));
    assert_eq!(rqrows.len(), n * queues.len(), "{name}: requirement rows");
    let (fh, frows) = read_csv(&out.join("forecast.csv"));
    assert_eq!(frows.len(), n * queues.len(), "{name}: forecast rows");
    let _ = fh;
    let mut under = 0u64;
    let mut under_live = 0u64;
    let mut under_units = 0i64;
    let mut over_units = 0i64;
    for (k, r) in crows.iter().enumerate() {
        let t = ts(&r[col(&ch, "interval_start_utc")]);
        let i = ((t - start).num_minutes() / step) as usize;
        assert_eq!(i, k / queues.len(), "{name}: coverage row order");
        let q = &r[col(&ch, "queue")];
        let req: i64 = r[col(&ch, "required")].parse().unwrap();
        let sched: i64 = r[col(&ch, "scheduled")].parse().unwrap();
        let rq = &rqrows[k];
        assert_eq!(&rq[col(&rqh, "queue")], q, "{name}: requirement row order");
        assert_eq!(
            rq[col(&rqh, "required")].parse::<i64>().unwrap(),
            req,
            "{name}: required {q} {t}"
        );
        if !multi_skill {
            assert_eq!(
                sched,
                recount.get(&(q.clone(), i)).copied().unwrap_or(0),
                "{name}: scheduled {q} at {t}: coverage.csv against the roster"
            );
        }
        if sched < req {
            under += 1;
            under_units += req - sched;
            let backlog = queues
                .iter()
                .any(|x| x["name"] == q.as_str() && x["channel"]["kind"] == "backlog");
            if !backlog {
                under_live += 1;
            }
        } else {
            over_units += sched - req;
        }
    }

    // summary.json against the files.
    let summary = json_file(&out.join("summary.json"));
    assert_eq!(
        summary["understaffed_intervals"].as_u64().unwrap(),
        under,
        "{name}: understaffed intervals"
    );
    assert_eq!(summary["shifts"].as_u64().unwrap(), shifts.len() as u64);
    let paid: i64 = shifts.iter().map(|s| s.paid_minutes).sum();
    let paid_hours = summary["paid_hours"].as_f64().unwrap();
    assert!(
        (paid_hours - paid as f64 / 60.0).abs() < 1e-6,
        "{name}: paid hours {paid_hours} against the roster's {}",
        paid as f64 / 60.0
    );
    let shift_cost: f64 = shifts
        .iter()
        .map(|s| {
            let t = templates[s.template.as_str()];
            t["cost_per_shift"].as_f64().unwrap_or(0.0)
                + t["cost_per_paid_hour"].as_f64().unwrap_or(1.0) * s.paid_minutes as f64 / 60.0
        })
        .sum();
    let cost = summary["cost"].as_f64().unwrap();
    if agents.is_empty() {
        let mut expect = shift_cost;
        if soft {
            let c = &scenario["coverage"];
            expect += c["under_penalty"].as_f64().unwrap() * under_units as f64
                + c["over_penalty"].as_f64().unwrap() * over_units as f64;
        }
        let backlog = queues.iter().any(|q| q["channel"]["kind"] == "backlog");
        if !soft || !backlog {
            assert!(
                (cost - expect).abs() <= 1e-6 * expect.max(1.0) + 1e-3,
                "{name}: cost {cost} against a recount of {expect} (shifts {shift_cost})"
            );
        } else {
            assert!(
                cost >= shift_cost - 1e-6,
                "{name}: cost {cost} < shifts {shift_cost}"
            );
        }
        if !soft && !multi_skill {
            assert_eq!(
                under_live, 0,
                "{name}: hard coverage met by numbered agents"
            );
        }
        if let Some(b) = summary["lower_bound"].as_f64() {
            assert!(
                b <= cost + 1e-6 * cost.max(1.0),
                "{name}: bound {b} > cost {cost}"
            );
        }
        if let Some(budget) = scenario["budget"].as_f64() {
            assert!(
                shift_cost <= budget + 1e-6,
                "{name}: budget {budget} < {shift_cost}"
            );
        }
    } else {
        let sched = &summary["schedule"];
        assert!(sched.is_object(), "{name}: schedule section");
        assert!(
            (sched["shift_cost"].as_f64().unwrap() - shift_cost).abs()
                <= 1e-6 * shift_cost.max(1.0),
            "{name}: schedule.shift_cost {} against the roster's {shift_cost}",
            sched["shift_cost"]
        );
        // Every agent is listed, in order, with the roster's shifts.
        let listed: Vec<&str> = sched["agents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        let given: Vec<&str> = agents.iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(listed, given, "{name}: every named agent reported");
        for a in sched["agents"].as_array().unwrap() {
            let mine = shifts
                .iter()
                .filter(|s| s.agent == a["name"].as_str().unwrap())
                .count();
            assert_eq!(
                a["shifts"].as_u64().unwrap(),
                mine as u64,
                "{name}: {}",
                a["name"]
            );
        }
        // Short intervals are explained, one reason each.
        if !soft {
            let total = sched["understaffed_total"].as_u64().unwrap();
            assert_eq!(
                total,
                under_live.max(total.min(under)),
                "{name}: understaffed_total"
            );
            for u in sched["understaffed"].as_array().unwrap() {
                assert!(
                    u["reason"].as_str().is_some_and(|s| !s.is_empty()),
                    "{name}: a reason for {u}"
                );
            }
        }
        // Published shifts are worked as published.
        for a in &agents {
            let an = a["name"].as_str().unwrap();
            for f in a["fixed_shifts"].as_array().into_iter().flatten() {
                let found = shifts.iter().any(|s| {
                    s.agent == an
                        && s.template == f["template"].as_str().unwrap()
                        && s.start_local.starts_with(&format!(
                            "{}T{}",
                            f["date"].as_str().unwrap(),
                            f["start"].as_str().unwrap()
                        ))
                });
                assert!(found, "{name}: {an}'s published shift {f} is in the roster");
            }
        }
        // Each agent: no overlap, at the own site, within the contract's maximum hours.
        for a in &agents {
            let an = a["name"].as_str().unwrap();
            let mut mine: Vec<&Shift> = shifts.iter().filter(|s| s.agent == an).collect();
            mine.sort_by_key(|s| s.start);
            for w in mine.windows(2) {
                assert!(
                    w[1].start >= w[0].end,
                    "{name}: {an} works two shifts at once"
                );
            }
            let hours: f64 = mine.iter().map(|s| s.paid_minutes as f64 / 60.0).sum();
            if let Some(m) = a["contract"]["max_hours"].as_f64() {
                assert!(hours <= m + 1e-9, "{name}: {an} works {hours} h > {m}");
            }
            if let Some(m) = a["contract"]["min_hours"].as_f64() {
                assert!(hours >= m - 1e-9, "{name}: {an} works {hours} h < {m}");
            }
        }
    }
    for s in &shifts {
        assert!(
            s.end > s.start,
            "{name}: shift of {} ends after it starts",
            s.agent
        );
    }

    // roster.ics: CRLF, folded at 75 octets, one event per roster row.
    let ics = std::fs::read(out.join("roster.ics")).unwrap();
    let text = String::from_utf8(ics).expect("roster.ics is UTF-8");
    assert!(text.ends_with("\r\n"), "{name}: roster.ics ends with CRLF");
    for line in text.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "{name}: bare line break"
        );
        assert!(
            line.len() <= 75,
            "{name}: ICS line of {} octets",
            line.len()
        );
    }
    assert_eq!(
        text.matches("BEGIN:VEVENT\r\n").count(),
        shifts.len(),
        "{name}: one event per shift"
    );
    // report.html: the scenario's name and agents' names escaped.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        !html.contains("<b>&amp;"),
        "{name}: scenario name unescaped in HTML"
    );
    assert!(
        !html.contains("<Co>"),
        "{name}: agent name unescaped in HTML"
    );
    assert!(
        html.contains("&lt;b&gt;"),
        "{name}: scenario name in the report"
    );
    // Templates that can never give a shift are named in the summary, and a template named
    // there has no shift in the roster.
    let warned: Vec<&str> = summary["input_warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["field"].as_str().unwrap())
        .collect();
    for (i, t) in scenario["templates"].as_array().unwrap().iter().enumerate() {
        let field = format!("templates[{i}]");
        let tname = t["name"].as_str().unwrap();
        if tname.starts_with("nofit") {
            assert!(
                warned.contains(&field.as_str()),
                "{name}: {field} is warned of"
            );
        }
        if warned.contains(&field.as_str()) {
            assert!(
                !shifts.iter().any(|s| s.template == tname),
                "{name}: {field} is warned of but has shifts"
            );
        }
    }
    let _ = read_csv(&out.join("kpis_long.csv"));
    let (_, prows) = read_csv(&out.join("plan.csv"));
    let _ = prows;
}

fn check_evaluate(name: &str, scenario: &Path, out: &Path, dir: &Path) {
    let eval = dir.join("eval");
    let roster = out.join("roster.csv");
    let run = wfm(&[
        "evaluate",
        scenario.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--out",
        eval.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{name}: wfm evaluate on the plan's roster: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let s = json_file(&eval.join("summary.json"));
    assert_eq!(
        s["warnings_total"].as_u64(),
        Some(0),
        "{name}: evaluate warnings"
    );
    let (h1, r1) = read_csv(&out.join("coverage.csv"));
    let (h2, r2) = read_csv(&eval.join("coverage.csv"));
    let pick = |h: &[String], rows: &[Vec<String>]| -> Vec<(String, String, String, String)> {
        rows.iter()
            .map(|r| {
                (
                    r[col(h, "interval_start_utc")].clone(),
                    r[col(h, "queue")].clone(),
                    r[col(h, "required")].clone(),
                    r[col(h, "scheduled")].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        pick(&h1, &r1),
        pick(&h2, &r2),
        "{name}: evaluate's coverage"
    );
}

fn check_simulate(name: &str, scenario: &Path, out: &Path, dir: &Path) {
    let sim = dir.join("sim");
    let roster = out.join("roster.csv");
    let run = wfm(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--replications",
        "2",
        "--threads",
        "1",
        "--out",
        sim.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{name}: wfm simulate: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let _ = read_csv(&sim.join("simulation.csv"));
    let _ = json_file(&sim.join("simulation.json"));
}

/// `wfm compare` of the first queue's forecast against itself as the actuals.
fn check_compare(name: &str, out: &Path, dir: &Path) {
    let (h, rows) = read_csv(&out.join("requirements.csv"));
    let q0 = rows[0][col(&h, "queue")].clone();
    let mut fc = String::from("interval_start_utc,volume,aht_seconds\n");
    let mut act = String::from("interval_start,volume,aht_seconds\n");
    for r in rows.iter().filter(|r| r[col(&h, "queue")] == q0) {
        let (t, v, a) = (
            &r[col(&h, "interval_start_utc")],
            &r[col(&h, "volume")],
            &r[col(&h, "aht_seconds")],
        );
        fc.push_str(&format!("{t},{v},{a}\n"));
        act.push_str(&format!("{t},{v},{a}\n"));
    }
    let f = dir.join("fc.csv");
    let a = dir.join("actual.csv");
    std::fs::write(&f, fc).unwrap();
    std::fs::write(&a, act).unwrap();
    let cmp = dir.join("cmp");
    let run = wfm(&[
        "compare",
        f.to_str().unwrap(),
        "--actual",
        a.to_str().unwrap(),
        "--coverage",
        out.join("coverage.csv").to_str().unwrap(),
        "--queue",
        &q0,
        "--out",
        cmp.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{name}: wfm compare: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (ch, crows) = read_csv(&cmp.join("compare_intervals.csv"));
    assert_eq!(
        crows.len(),
        rows.len()
            / rows
                .iter()
                .filter(
                    |r| r[col(&h, "interval_start_utc")] == rows[0][col(&h, "interval_start_utc")]
                )
                .count()
    );
    for r in &crows {
        let e = &r[col(&ch, "error")];
        if !e.is_empty() {
            assert!(
                e.parse::<f64>().unwrap().abs() < 1e-6,
                "{name}: compare error {e}"
            );
        }
    }
}

/// `wfm forecast` -> `wfm plan`: for a planned scenario with queues forecast from history
/// and no special days, each history is forecast by `wfm forecast` (the queue's method, the
/// horizon's grid and length, the site's zone) and the scenario planned again with those
/// files as `forecast_csv`. The forecast files hold the volumes the scenario's own
/// `forecast.csv` shows, and the second plan passes every check of the sweep, with
/// requirements within one agent of the first (the file rounds volumes to 3 decimals).
fn check_chain(name: &str, path: &Path, dir: &Path) {
    let mut scenario = json_file(path);
    if scenario["sites"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.get("special_days").is_some() || s.get("special_days_csv").is_some())
    {
        return;
    }
    let step = scenario["horizon"]["interval_minutes"].as_i64().unwrap();
    let days = scenario["horizon"]["days"].as_i64().unwrap();
    let start = ts(scenario["horizon"]["start"].as_str().unwrap());
    let zones: HashMap<String, String> = scenario["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["zone"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (fh, frows) = read_csv(&dir.join("bin").join("forecast.csv"));
    let mut any = false;
    for q in scenario["queues"].as_array_mut().unwrap() {
        let Some(hist) = q["history_csv"].as_str().map(String::from) else {
            continue;
        };
        any = true;
        let qn = q["name"].as_str().unwrap().to_string();
        let method = q["forecast"]["method"]
            .as_str()
            .unwrap_or("trimmed_profile")
            .to_string();
        let out = dir.join(format!("chain_{qn}.csv"));
        let mut args = vec![
            "forecast".to_string(),
            dir.join(&hist).display().to_string(),
            "--method".into(),
            method,
            "--interval".into(),
            format!("{step}m"),
            // From the end of the history's last day with rows, through the horizon.
            "--horizon".into(),
            format!("{}d", days + 35),
            "--tz".into(),
            zones[q["site"].as_str().unwrap()].clone(),
            "--out".into(),
            out.display().to_string(),
        ];
        if let Some(a) = q["aht_seconds"].as_f64() {
            args.extend(["--aht".to_string(), format!("{a}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = wfm(&args);
        assert!(
            run.status.success(),
            "{name}: wfm forecast of {qn}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        // The horizon's part of it: the same volumes as the plan's forecast.csv, interval
        // by interval, and the file the chained scenario reads.
        let (h, rows) = read_csv(&out);
        let t = col(&h, "interval_start_utc");
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .filter(|r| {
                let x = ts(&r[t]);
                x >= start && x < start + Duration::days(days)
            })
            .collect();
        let mut text = h.join(",") + "\n";
        for r in &rows {
            text.push_str(&(r.join(",") + "\n"));
        }
        std::fs::write(&out, text).unwrap();
        let mine: Vec<(String, String)> = frows
            .iter()
            .filter(|r| r[col(&fh, "queue")] == qn)
            .map(|r| {
                (
                    r[col(&fh, "interval_start_utc")].clone(),
                    r[col(&fh, "volume")].clone(),
                )
            })
            .collect();
        let theirs: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r[col(&h, "interval_start_utc")].clone(),
                    r[col(&h, "volume")].clone(),
                )
            })
            .collect();
        assert_eq!(mine.len(), theirs.len(), "{name}: {qn}: forecast rows");
        for (a, b) in mine.iter().zip(&theirs) {
            assert_eq!(a.0, b.0, "{name}: {qn}: forecast instants");
            let (x, y): (f64, f64) = (a.1.parse().unwrap(), b.1.parse().unwrap());
            assert!(
                (x - y).abs() <= 1e-3 * x.abs().max(1.0),
                "{name}: {qn} at {}: plan forecast {x}, wfm forecast {y}",
                a.0
            );
        }
        let obj = q.as_object_mut().unwrap();
        obj.remove("history_csv");
        obj.remove("forecast");
        obj.remove("aht_seconds");
        obj.insert(
            "forecast_csv".into(),
            Value::String(out.display().to_string()),
        );
    }
    if !any {
        return;
    }
    let chain_dir = dir.join("chain");
    std::fs::create_dir_all(&chain_dir).unwrap();
    // Beside the scenario, whose other side files it names relative to itself.
    let chain = dir.join("chain_scenario.json");
    std::fs::write(&chain, serde_json::to_string_pretty(&scenario).unwrap()).unwrap();
    let v = check(&chain, &chain_dir);
    assert_eq!(v, Verdict::Planned, "{name}: the chained scenario");
    let (h1, r1) = read_csv(&dir.join("bin").join("requirements.csv"));
    let (h2, r2) = read_csv(&chain_dir.join("bin").join("requirements.csv"));
    assert_eq!(r1.len(), r2.len());
    for (a, b) in r1.iter().zip(&r2) {
        let x: i64 = a[col(&h1, "required")].parse().unwrap();
        let y: i64 = b[col(&h2, "required")].parse().unwrap();
        assert!(
            (x - y).abs() <= 1,
            "{name}: required {x} from history, {y} chained"
        );
    }
}

/// Sweeps seeds `from .. from + count`, printing a line per scenario; panics with the seed.
fn sweep(from: u64, count: u64, max_days: i64) -> BTreeMap<String, u64> {
    sweep_with(from, count, max_days, false)
}

/// [`sweep`], with queues forecast from history and site calendars when `history`
/// ([`sweep_support::with_history`]).
fn sweep_with(from: u64, count: u64, max_days: i64, history: bool) -> BTreeMap<String, u64> {
    let mut tally = BTreeMap::new();
    let mut failed = Vec::new();
    for seed in from..from + count {
        let mut g = generate(seed, max_days);
        if history {
            sweep_support::with_history(&mut g, seed);
        }
        // Its own folder name: the plain and the history sweeps run the same seeds at once.
        let tag = format!("{}seed{seed}", if history { "history-" } else { "" });
        let result = std::panic::catch_unwind(|| run_generated(&tag, &g));
        match result {
            Ok(Verdict::Planned) => *tally.entry("planned".into()).or_default() += 1,
            Ok(Verdict::Refused(msg)) => {
                eprintln!("seed {seed}: refused: {}", msg.lines().next().unwrap_or(""));
                *tally.entry("refused".into()).or_default() += 1
            }
            Err(_) => {
                let keep = std::env::temp_dir().join(format!("wfm-sweep-failed-{seed}"));
                let _ = std::fs::create_dir_all(&keep);
                for (name, text) in &g.files {
                    std::fs::write(keep.join(name), text).unwrap();
                }
                let path = keep.join("scenario.json");
                std::fs::write(&path, serde_json::to_string_pretty(&g.json).unwrap()).unwrap();
                eprintln!("seed {seed} FAILED; scenario kept in {}", path.display());
                failed.push(seed);
            }
        }
    }
    assert!(failed.is_empty(), "failed seeds: {failed:?} ({tally:?})");
    tally
}

#[test]
fn sweep_fixed_seeds() {
    let tally = sweep(1, 12, 3);
    eprintln!("{tally:?}");
    assert!(tally.get("planned").copied().unwrap_or(0) >= 1, "{tally:?}");
}

/// Queues forecast from history, special days and `wfm forecast` -> `wfm plan` chains.
#[test]
fn sweep_history_seeds() {
    let tally = sweep_with(1, 6, 3, true);
    eprintln!("{tally:?}");
    assert!(tally.get("planned").copied().unwrap_or(0) >= 1, "{tally:?}");
}

#[test]
#[ignore = "long sweep: SWEEP_FROM=1000 SWEEP_COUNT=200 cargo test --test scenario_sweep -- --ignored"]
fn sweep_long() {
    let var = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (from, count) = (var("SWEEP_FROM", 1000), var("SWEEP_COUNT", 200));
    // SWEEP_WRITE=DIR writes the scenarios (DIR/seedN/scenario.json and its side files)
    // without running them, to plan one by hand (`wfm plan DIR/seedN/scenario.json`).
    if let Some(out) = std::env::var_os("SWEEP_WRITE") {
        for seed in from..from + count {
            let mut g = generate(seed, 14);
            if std::env::var_os("SWEEP_HISTORY").is_some() {
                sweep_support::with_history(&mut g, seed);
            }
            let dir = Path::new(&out).join(format!("seed{seed}"));
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in &g.files {
                std::fs::write(dir.join(name), text).unwrap();
            }
            let text = serde_json::to_string_pretty(&g.json).unwrap();
            std::fs::write(dir.join("scenario.json"), text).unwrap();
        }
        return;
    }
    // SWEEP_HISTORY=1: queues forecast from history and special days as well.
    let tally = sweep_with(from, count, 14, std::env::var_os("SWEEP_HISTORY").is_some());
    eprintln!("{tally:?}");
}

/// One quality expectation of a planned regression scenario (a line of its `.expect` file
/// after `planned`): `max_gap G` (the plan's gap to its bound at most `G`, and a status the
/// clock did not cut), `min_backlog_on_time S` (every backlog queue finishes at least that
/// share of its items in time), `max_understaffed_live N` (at most `N` short intervals of
/// the live queues).
fn check_quality(p: &Path, scenario: &Path, summary: &Value, line: &str) {
    let name = p.display();
    let (key, value) = line
        .split_once(' ')
        .unwrap_or_else(|| panic!("{name}: expectation {line:?}"));
    let value: f64 = value.trim().parse().unwrap();
    let backlog: Vec<String> = json_file(scenario)["queues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["channel"]["kind"] == "backlog")
        .map(|q| q["name"].as_str().unwrap().to_string())
        .collect();
    let queues = summary["queues"].as_array().unwrap();
    match key {
        "max_gap" => {
            let gap = summary["gap"].as_f64().unwrap();
            assert!(gap <= value, "{name}: gap {gap} above {value}");
            assert_ne!(
                summary["status"], "time_limit",
                "{name}: the clock cut the run"
            );
        }
        "min_backlog_on_time" => {
            for q in queues
                .iter()
                .filter(|q| backlog.contains(&q["queue"].as_str().unwrap().to_string()))
            {
                let s = q["backlog_on_time"].as_f64().unwrap_or(1.0);
                assert!(
                    s >= value,
                    "{name}: {} on time {s} below {value}",
                    q["queue"]
                );
            }
        }
        "max_understaffed_live" => {
            let short: u64 = queues
                .iter()
                .filter(|q| !backlog.contains(&q["queue"].as_str().unwrap().to_string()))
                .map(|q| q["understaffed_intervals"].as_u64().unwrap())
                .sum();
            assert!(
                short as f64 <= value,
                "{name}: {short} short live intervals"
            );
        }
        _ => panic!("{name}: unknown expectation {key}"),
    }
}

/// The reduced scenarios of bugs the sweep found, each with the verdict it must give.
#[test]
fn sweep_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sweep");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let work = std::env::temp_dir().join(format!(
            "wfm-sweep-reg-{}-{}",
            std::process::id(),
            p.file_stem().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        let copy = work.join("scenario.json");
        std::fs::copy(&p, &copy).unwrap();
        let v = check(&copy, &work);
        let expect = std::fs::read_to_string(p.with_extension("expect")).unwrap_or_default();
        let mut lines = expect.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("");
        match (&v, first) {
            (Verdict::Planned, "" | "planned") => {
                let summary = json_file(&work.join("bin").join("summary.json"));
                for l in lines {
                    check_quality(&p, &copy, &summary, l);
                }
            }
            (Verdict::Refused(msg), e) if !e.is_empty() && e != "planned" => {
                assert!(msg.contains(e), "{}: {msg} should say {e}", p.display())
            }
            _ => panic!("{}: {v:?}, expected {expect:?}", p.display()),
        }
        let _ = std::fs::remove_dir_all(&work);
    }
}

/// Sweep seed 1075 (12 named agents at four sites, 14 days on a 15-minute grid) reached
/// the 120 s limit in a debug build and said `within_gap`, so two runs gave different
/// files under a status that promises the same ones. Reduced: two agents, one day, a time
/// limit every solve reaches; the roster found is optimal, and the status must still say
/// that the clock cut the search.
#[test]
fn named_schedule_cut_by_the_clock_says_time_limit() {
    let json = r#"{
      "name": "cut",
      "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1},
      "sites": [{"name": "lon", "zone": "Europe/London"}],
      "queues": [{"name": "voice",
                  "volume": [0,0,0,0,0,0,0,0,10,10,10,10,10,10,10,10,0,0,0,0,0,0,0,0],
                  "aht_seconds": 180,
                  "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}}],
      "templates": [{"name": "day", "site": "lon", "queue": "voice", "paid_minutes": 480,
                     "start_windows": [{"days": ["mon"], "from": "08:00", "to": "08:00"}]}],
      "agents": [{"name": "a", "site": "lon", "contract": {"min_hours": 8}},
                 {"name": "b", "site": "lon", "contract": {"min_hours": 8}}],
      "solve": {"time_limit_seconds": 0.000001}
    }"#;
    let p = wfm::scenario::Scenario::parse(json, "cut.json")
        .unwrap()
        .prepare(Path::new("."))
        .unwrap();
    let o = wfm::scenario::plan(&p, None).unwrap();
    // Both agents must work their one shift: the first roster is already optimal ...
    assert_eq!(o.roster.len(), 2);
    assert!(
        o.summary.gap.is_some_and(|g| g <= 1e-9),
        "gap {:?}",
        o.summary.gap
    );
    // ... but the search was cut, and a cut run says so.
    assert_eq!(o.summary.status, "time_limit");
}
