//! Fairness and consistency rules of named agents' contracts: shift-start consistency over a
//! week, rotating weekends, a contract's templates (night contracts) and the balance of
//! hours and weekends, each kept by the scheduler and named by the independent checker.

use chrono::{Datelike, Duration, TimeZone, Timelike, Utc, Weekday};
use std::collections::BTreeMap;
use std::path::Path;
use wfm::scenario::schedule::verify::violations;
use wfm::scenario::{plan, Prepared, Scenario};
use wfm::shifts::ShiftInstance;
use wfm::Error;

/// Three weeks on an hourly grid at one London site; `voice` needs `per_hour` contacts per
/// hour 07:00-23:00 every day. Templates: `early` (starts 06:00-09:00), `late` (starts
/// 13:00-15:00), both 8 hours, and `night` (starts 22:00, 8 hours, past midnight).
fn scenario(agents: &str, per_hour: u32) -> String {
    let days = 21;
    let volume: Vec<String> = (0..days * 24)
        .map(|i| {
            if (7..23).contains(&(i % 24)) {
                per_hour
            } else {
                0
            }
            .to_string()
        })
        .collect();
    let all = r#"["mon","tue","wed","thu","fri","sat","sun"]"#;
    format!(
        r#"{{
  "name": "fairness test",
  "horizon": {{"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": {days}}},
  "sites": [{{"name": "s", "zone": "Europe/London"}}],
  "queues": [{{"name": "voice", "volume": [{}], "aht_seconds": 300,
              "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}},
              "shrinkage": 0.0}}],
  "templates": [
    {{"name": "early", "site": "s", "queue": "voice", "paid_minutes": 480,
      "start_windows": [{{"days": {all}, "from": "06:00", "to": "09:00"}}]}},
    {{"name": "late", "site": "s", "queue": "voice", "paid_minutes": 480,
      "start_windows": [{{"days": {all}, "from": "13:00", "to": "15:00"}}]}},
    {{"name": "night", "site": "s", "queue": "voice", "paid_minutes": 480,
      "start_windows": [{{"days": {all}, "from": "22:00", "to": "22:00"}}],
      "cross_midnight": true}}],
  "solve": {{"time_limit_seconds": 120}},
  "agents": {agents}
}}"#,
        volume.join(",")
    )
}

fn prepared(json: &str) -> wfm::Result<Prepared> {
    Scenario::parse(json, "test.json")?.prepare(Path::new("."))
}

fn shifts_of<'a>(roster: &'a [(String, ShiftInstance)], name: &str) -> Vec<&'a ShiftInstance> {
    roster
        .iter()
        .filter(|(a, _)| a == name)
        .map(|(_, s)| s)
        .collect()
}

/// Weekends (by their Saturday) with a shift, London time equals UTC in these weeks.
fn weekends(shifts: &[&ShiftInstance]) -> Vec<chrono::NaiveDate> {
    let mut w: Vec<chrono::NaiveDate> = shifts
        .iter()
        .filter_map(|s| {
            let d = s.start.date_naive();
            match d.weekday() {
                Weekday::Sat => Some(d),
                Weekday::Sun => Some(d - Duration::days(1)),
                _ => None,
            }
        })
        .collect();
    w.sort();
    w.dedup();
    w
}

#[test]
fn start_consistency_rotation_and_templates_are_kept_and_verified() {
    // Demand far above the agents: each works as much as its rules allow, so the rules bind.
    let agents = r#"[
      {"name": "steady", "site": "s",
       "contract": {"start_tolerance_minutes": 60, "max_consecutive_days": 7}},
      {"name": "rotating", "site": "s",
       "contract": {"rotating_weekends": {"work": 1, "of": 2}, "max_consecutive_days": 7}},
      {"name": "nights", "site": "s",
       "contract": {"templates": ["night"], "max_consecutive_days": 4}}
    ]"#;
    let p = prepared(&scenario(agents, 40)).unwrap();
    let out = plan(&p, None).unwrap();
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    // Starts of each week within a band of two hours.
    let mut by_week: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for s in shifts_of(&out.roster, "steady") {
        let m = s.start.hour() * 60 + s.start.minute();
        by_week
            .entry(s.start.iso_week().week())
            .or_default()
            .push(m);
    }
    assert_eq!(by_week.len(), 3, "works every week");
    for (w, starts) in &by_week {
        let (lo, hi) = (starts.iter().min().unwrap(), starts.iter().max().unwrap());
        assert!(hi - lo <= 120, "week {w}: starts {starts:?}");
    }
    // Every other weekend off: two of the three weekends at most, never two in a row.
    let w = weekends(&shifts_of(&out.roster, "rotating"));
    assert!(!w.is_empty() && w.len() <= 2, "{w:?}");
    for pair in w.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::days(14), "{w:?}");
    }
    let nights = shifts_of(&out.roster, "nights");
    assert!(!nights.is_empty());
    assert!(nights.iter().all(|s| s.template == "night"));
    // Per-agent workload is reported.
    let s = out.summary.schedule.as_ref().unwrap();
    assert_eq!(s.agents.len(), 3);
    let steady = s.agents.iter().find(|a| a.name == "steady").unwrap();
    assert_eq!(steady.shifts, shifts_of(&out.roster, "steady").len());
    assert!((steady.paid_hours - 8.0 * steady.shifts as f64).abs() < 1e-9);
}

#[test]
fn balance_spreads_hours_and_weekends_evenly() {
    // Demand for about one and a half agents; three identical agents at a minimum cost
    // could leave one idle, the balance penalty spreads the hours.
    let agent = |n: &str| {
        format!(
            r#"{{"name": "{n}", "site": "s", "contract": {{"balance_hours_weight": 0.5,
               "balance_weekends_weight": 50, "max_consecutive_days": 7}}}}"#
        )
    };
    let agents = format!("[{},{},{}]", agent("a"), agent("b"), agent("c"));
    let p = prepared(&scenario(&agents, 2)).unwrap();
    let out = plan(&p, None).unwrap();
    let s = out.summary.schedule.as_ref().unwrap();
    let hours: Vec<f64> = s.agents.iter().map(|a| a.paid_hours).collect();
    let (lo, hi) = hours
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
    assert!(lo > 0.0, "everybody works: {hours:?}");
    // The integer search is a heuristic: within two shifts of each other.
    assert!(
        hi - lo <= 16.0,
        "hours within two shifts of each other: {hours:?}"
    );
    let wk: Vec<u32> = s.agents.iter().map(|a| a.weekends).collect();
    assert!(
        wk.iter().max().unwrap() - wk.iter().min().unwrap() <= 1,
        "{wk:?}"
    );
    // The penalty is the sum over agents of weight × h² + weight × weekends².
    let expect: f64 = s
        .agents
        .iter()
        .map(|a| 0.5 * a.paid_hours * a.paid_hours + 50.0 * f64::from(a.weekends.pow(2)))
        .sum();
    assert!((s.balance_penalty - expect).abs() < 1e-6 * expect.max(1.0));
    assert!(s.lower_bound <= s.objective + 1e-6);
}

#[test]
fn the_checker_names_broken_fairness_rules() {
    let agents = r#"[{"name": "x", "site": "s",
      "contract": {"start_tolerance_minutes": 30, "rotating_weekends": {"work": 1, "of": 3},
                   "templates": ["early"]}}]"#;
    let p = prepared(&scenario(agents, 4)).unwrap();
    let t0 = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
    let shift = |day: i64, hour: i64, template: &str| ShiftInstance {
        site: "s".into(),
        template: template.into(),
        start: t0 + Duration::days(day) + Duration::hours(hour),
        end: t0 + Duration::days(day) + Duration::hours(hour + 8),
        breaks: vec![],
    };
    let roster: Vec<(String, ShiftInstance)> = [
        shift(0, 6, "early"),
        shift(1, 8, "early"), // 2 hours after Monday's start: beyond ± 30 minutes
        shift(5, 6, "early"), // weekend of 13 March
        shift(12, 6, "early"), // weekend of 20 March: two in three
        shift(14, 13, "late"), // not a template of the contract
    ]
    .into_iter()
    .map(|s| ("x".to_string(), s))
    .collect();
    let v = violations(&p.agents, &p.sites, &p.templates, &p.horizon, &roster).join("\n");
    for needle in [
        "beyond ± 30 minutes",
        "works 2 of the 3 weekends up to 2027-03-20, above 1",
        "not a template of the contract",
    ] {
        assert!(v.contains(needle), "{needle:?} missing from:\n{v}");
    }
}

#[test]
fn bad_fairness_fields_name_the_field() {
    let field = |contract: &str| -> String {
        let agents = format!(r#"[{{"name": "x", "site": "s", "contract": {contract}}}]"#);
        match prepared(&scenario(&agents, 4)) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected an invalid field for {contract}, got {other:?}"),
        }
    };
    let c = "agents[0].contract.";
    for (contract, expect) in [
        (
            r#"{"start_tolerance_minutes": 721}"#,
            "start_tolerance_minutes",
        ),
        (
            r#"{"rotating_weekends": {"work": 1, "of": 1}}"#,
            "rotating_weekends.of",
        ),
        (
            r#"{"rotating_weekends": {"work": 1, "of": 13}}"#,
            "rotating_weekends.of",
        ),
        (
            r#"{"rotating_weekends": {"work": 2, "of": 2}}"#,
            "rotating_weekends.work",
        ),
        (r#"{"templates": []}"#, "templates"),
        (r#"{"templates": ["early", "nope"]}"#, "templates[1]"),
        (r#"{"balance_hours_weight": -1}"#, "balance_hours_weight"),
        (r#"{"balance_hours_weight": 11}"#, "balance_hours_weight"),
        (
            r#"{"balance_weekends_weight": 1001}"#,
            "balance_weekends_weight",
        ),
    ] {
        assert_eq!(field(contract), format!("{c}{expect}"), "{contract}");
    }
    // A published shift outside the contract's templates.
    let agents = r#"[{"name": "x", "site": "s", "contract": {"templates": ["night"]},
      "fixed_shifts": [{"date": "2027-03-09", "template": "early", "start": "07:00"}]}]"#;
    match prepared(&scenario(agents, 4)) {
        Err(Error::Invalid { field, .. }) => {
            assert_eq!(field, "agents[0].fixed_shifts[0].template")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_rotation_no_schedule_can_keep_is_infeasible_not_broken() {
    // Minimum hours need every day of the three weeks; no weekend may be worked.
    let agents = r#"[{"name": "x", "site": "s",
      "contract": {"min_hours": 160, "max_consecutive_days": 21,
                   "rotating_weekends": {"work": 0, "of": 2}}}]"#;
    let p = prepared(&scenario(agents, 4)).unwrap();
    match plan(&p, None) {
        Err(Error::Infeasible { explanation }) => assert!(explanation.contains("agents[0]")),
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn the_two_stage_assignment_refuses_rules_it_cannot_keep() {
    let agents = r#"[{"name": "x", "site": "s",
      "contract": {"rotating_weekends": {"work": 1, "of": 2}}}]"#;
    let p = prepared(&scenario(agents, 4)).unwrap();
    match wfm::scenario::assign_agents(&p, &[]) {
        Err(Error::Invalid { field, .. }) => {
            assert_eq!(field, "agents[0].contract.rotating_weekends")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_month_examples_week_cut_keeps_every_rule() {
    // Written by examples/scenarios/generate_month.py: the first week of named_month.json
    // with a fifth of its teams (31 agents at London, New York and Sydney).
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/named_month_week/named_month_week.json");
    let p = Scenario::load(&path).unwrap();
    assert_eq!(p.agents.len(), 31);
    let out = plan(&p, None).unwrap();
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    assert!(out.unassigned.is_empty());
    let s = out.summary.schedule.as_ref().unwrap();
    assert_eq!(s.agents_checked, 31);
    assert_eq!(s.agents.len(), 31);
    assert!(s.lower_bound <= s.objective + 1e-6);
    // Night contracts work nights only; published shifts are in the roster.
    for (name, shift) in &out.roster {
        if name.contains("_night_") {
            assert_eq!(shift.template, "london_chat_night");
        }
    }
    for a in &p.agents {
        for f in &a.fixed_shifts {
            assert!(out
                .roster
                .iter()
                .any(|(n, s)| n == &a.name && s.template == f.template));
        }
    }
}
