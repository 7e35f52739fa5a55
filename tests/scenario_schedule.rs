//! Named agents scheduled directly against the requirements: determinism, rules kept and
//! independently checked, wishes and fixed shifts, understaffing explained, bad input.

use chrono::{Duration, TimeZone, Utc};
use std::path::{Path, PathBuf};
use wfm::scenario::schedule::verify::violations;
use wfm::scenario::{plan, Outcome, Prepared, Scenario};
use wfm::shifts::ShiftInstance;
use wfm::Error;

/// A week on an hourly grid at one London site: `voice` needs `per_hour` contacts per
/// hour 08:00-18:00 every day; `chat` (no template) is optional. `templates` and `agents`
/// are JSON arrays.
fn scenario(templates: &str, agents: &str, per_hour: u32, chat: bool) -> String {
    let volume = |n: u32| -> String {
        (0..7 * 24)
            .map(|i| if (8..18).contains(&(i % 24)) { n } else { 0 }.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let chat_queue = if chat {
        format!(
            r#",{{"name": "chat", "volume": [{}], "aht_seconds": 300,
              "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}},
              "shrinkage": 0.0}}"#,
            volume(6)
        )
    } else {
        String::new()
    };
    format!(
        r#"{{
  "name": "schedule test",
  "horizon": {{"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 7}},
  "sites": [{{"name": "s", "zone": "Europe/London"}}],
  "queues": [{{"name": "voice", "volume": [{}], "aht_seconds": 300,
              "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}},
              "shrinkage": 0.0}}{chat_queue}],
  "templates": {templates},
  "solve": {{"time_limit_seconds": 60}},
  "agents": {agents}
}}"#,
        volume(per_hour)
    )
}

const FLEX: &str = r#"[{"name": "day", "site": "s", "queue": "voice", "paid_minutes": 480,
  "start_windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"],
                     "from": "07:00", "to": "11:00"}]}]"#;

fn prepared(json: &str) -> wfm::Result<Prepared> {
    Scenario::parse(json, "test.json")?.prepare(Path::new("."))
}

fn field_of(agents: &str) -> String {
    match prepared(&scenario(FLEX, agents, 6, false)) {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-schedule-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/named_agents.json")
}

/// roster.csv, summary.json (without the seconds spent) and plan.csv of a run.
fn written(out: &Outcome, p: &Prepared, tag: &str) -> (String, String, String) {
    let dir = temp_dir(tag);
    let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    out.write(&dir, p, &[], at).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let mut summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
    summary["solve_seconds"] = serde_json::Value::Null;
    let files = (read("roster.csv"), summary.to_string(), read("plan.csv"));
    let _ = std::fs::remove_dir_all(&dir);
    files
}

#[test]
fn named_agents_example_is_complete_checked_and_the_same_on_three_runs() {
    let p = Scenario::load(&example()).unwrap();
    let runs: Vec<(String, String, String)> = (0..3)
        .map(|i| {
            let out = plan(&p, None).unwrap();
            written(&out, &p, &format!("run{i}"))
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
    let out = plan(&p, None).unwrap();
    assert!(
        out.unassigned.is_empty(),
        "every shift is worked by someone"
    );
    // The plan is exactly the shifts the agents work.
    let planned: u32 = out
        .plan_rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.count)
        .sum();
    assert_eq!(planned as usize, out.roster.len());
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    let s = out.summary.schedule.as_ref().expect("schedule section");
    assert!(s.lp_converged);
    assert!(s.lower_bound <= s.objective + 1e-6);
    assert_eq!(out.summary.gap, Some(s.gap));
    assert!(s.gap < 0.10, "gap to the bound {}", s.gap);
    assert_eq!(s.agents_checked, p.agents.len());
    // No more understaffed intervals than the anonymous plan of the same demand.
    let mut anonymous = p.clone();
    anonymous.agents.clear();
    let a = plan(&anonymous, None).unwrap();
    assert!(out.summary.understaffed_intervals <= a.summary.understaffed_intervals);
}

#[test]
fn every_contract_rule_is_kept_and_verified() {
    let agents = r#"[
      {"name": "a", "site": "s", "contract": {"max_hours": 24, "min_hours": 16}},
      {"name": "b", "site": "s", "contract": {"max_consecutive_days": 2, "min_consecutive_days_off": 2}},
      {"name": "c", "site": "s", "contract": {"max_weekends": 0, "min_rest_hours": 16}},
      {"name": "d", "site": "s", "days_off": ["2027-03-09", "2027-03-10"]},
      {"name": "e", "site": "s", "contract": {"min_consecutive_days": 3, "max_consecutive_days": 4}}
    ]"#;
    let p = prepared(&scenario(FLEX, agents, 30, false)).unwrap();
    let out = plan(&p, None).unwrap();
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    let of = |n: &str| -> Vec<&ShiftInstance> {
        out.roster
            .iter()
            .filter(|(a, _)| a == n)
            .map(|(_, s)| s)
            .collect()
    };
    let hours = |n: &str| of(n).iter().map(|s| s.paid_minutes()).sum::<i64>() as f64 / 60.0;
    assert!((16.0..=24.0).contains(&hours("a")));
    assert!(of("c").iter().all(|s| {
        let wd = chrono::Datelike::weekday(&s.start.date_naive());
        wd != chrono::Weekday::Sat && wd != chrono::Weekday::Sun
    }));
    assert!(of("d")
        .iter()
        .all(|s| s.start.date_naive().to_string() != "2027-03-09"
            && s.start.date_naive().to_string() != "2027-03-10"));
    // Demand far above five agents: everybody works as much as the rules allow.
    assert_eq!(
        of("b").len(),
        4,
        "two on, two off, two on, then one more day left"
    );
}

#[test]
fn the_independent_checker_names_broken_rules() {
    let agents = r#"[{"name": "x", "site": "s", "skills": ["voice"],
      "contract": {"max_hours": 16, "max_weekends": 0, "min_rest_hours": 12},
      "days_off": ["2027-03-10"]}]"#;
    let p = prepared(&scenario(FLEX, agents, 6, false)).unwrap();
    let t0 = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
    let shift = |day: i64, hour: i64| ShiftInstance {
        site: "s".into(),
        template: "day".into(),
        start: t0 + Duration::days(day) + Duration::hours(hour),
        end: t0 + Duration::days(day) + Duration::hours(hour + 8),
        breaks: vec![],
    };
    let roster: Vec<(String, ShiftInstance)> = [
        shift(0, 7),
        shift(0, 16), // second shift that day, and no rest
        shift(2, 8),  // day off
        shift(5, 8),  // Saturday
    ]
    .into_iter()
    .map(|s| ("x".to_string(), s))
    .chain(std::iter::once(("ghost".to_string(), shift(1, 8))))
    .collect();
    let v = violations(&p.agents, &p.sites, &p.templates, &p.horizon, &roster).join("\n");
    for needle in [
        "two shifts on 2027-03-08",
        "minutes of rest",
        "day off 2027-03-10",
        "above max_hours",
        "weekends, above 0",
        "ghost: not an agent",
    ] {
        assert!(v.contains(needle), "{needle:?} missing from:\n{v}");
    }
}

#[test]
fn fixed_shifts_are_kept_and_start_wishes_weigh() {
    let agents = r#"[
      {"name": "f", "site": "s", "fixed_shifts": [{"date": "2027-03-10", "template": "day", "start": "11:00"}]},
      {"name": "g", "site": "s", "preferred_start": {"from": "07:00", "to": "07:00", "weight": 50}},
      {"name": "h", "site": "s"}
    ]"#;
    let p = prepared(&scenario(FLEX, agents, 1, false)).unwrap();
    let out = plan(&p, None).unwrap();
    let f_wed: Vec<&ShiftInstance> = out
        .roster
        .iter()
        .filter(|(a, s)| a == "f" && s.start.date_naive().to_string() == "2027-03-10")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(f_wed.len(), 1);
    assert_eq!(f_wed[0].start.format("%H:%M").to_string(), "11:00");
    // 07:00 London in March is 07:00 UTC; g only ever starts then.
    assert!(out.roster.iter().filter(|(a, _)| a == "g").all(|(_, s)| s
        .start
        .format("%H:%M")
        .to_string()
        == "07:00"));
    let s = out.summary.schedule.as_ref().unwrap();
    assert_eq!(s.wish_penalty, 0.0);
}

#[test]
fn understaffing_names_the_binding_rule() {
    // Chat has no template: nobody can serve it. Voice needs more than the agents' hours.
    let agents = r#"[
      {"name": "a", "site": "s", "contract": {"max_hours": 16}},
      {"name": "b", "site": "s", "contract": {"max_hours": 16}}
    ]"#;
    let p = prepared(&scenario(FLEX, agents, 30, true)).unwrap();
    let out = plan(&p, None).unwrap();
    let s = out.summary.schedule.as_ref().unwrap();
    assert_eq!(s.understaffed_total, out.summary.understaffed_intervals);
    let chat = s.understaffed.iter().find(|u| u.queue == "chat").unwrap();
    assert_eq!(chat.reason, "no_skilled_agent");
    assert!(chat.agents_by_reason.is_empty());
    assert!(s
        .understaffed
        .iter()
        .any(|u| u.queue == "voice" && u.reason == "max_hours"));
    for u in &s.understaffed {
        assert!(u.scheduled < u.required);
    }
}

#[test]
fn unreachable_minimum_hours_name_the_agent() {
    let agents = r#"[{"name": "a", "site": "s"}, {"name": "z", "site": "s",
      "contract": {"min_hours": 60, "max_consecutive_days": 7}}]"#;
    let p = prepared(&scenario(FLEX, agents, 6, false)).unwrap();
    match plan(&p, None) {
        Err(Error::Infeasible { explanation }) => {
            assert!(explanation.contains("agents[1]"), "{explanation}")
        }
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn bad_wishes_and_fixed_shifts_name_the_field() {
    let cases = [
        (
            r#"[{"name": "a", "site": "s", "preferred_start": {"from": "10:00", "to": "09:00"}}]"#,
            "agents[0].preferred_start.to",
        ),
        (
            r#"[{"name": "a", "site": "s", "preferred_start": {"from": "08:00", "to": "09:00", "weight": 0}}]"#,
            "agents[0].preferred_start.weight",
        ),
        (
            r#"[{"name": "a", "site": "s", "fixed_shifts": [{"date": "2027-04-01", "template": "day", "start": "08:00"}]}]"#,
            "agents[0].fixed_shifts[0].date",
        ),
        (
            r#"[{"name": "a", "site": "s", "days_off": ["2027-03-09"], "fixed_shifts": [{"date": "2027-03-09", "template": "day", "start": "08:00"}]}]"#,
            "agents[0].fixed_shifts[0].date",
        ),
        (
            r#"[{"name": "a", "site": "s", "fixed_shifts": [{"date": "2027-03-09", "template": "day", "start": "08:00"}, {"date": "2027-03-09", "template": "day", "start": "09:00"}]}]"#,
            "agents[0].fixed_shifts[1].date",
        ),
        (
            r#"[{"name": "a", "site": "s", "fixed_shifts": [{"date": "2027-03-09", "template": "night", "start": "08:00"}]}]"#,
            "agents[0].fixed_shifts[0].template",
        ),
    ];
    for (agents, field) in cases {
        assert_eq!(field_of(agents), field, "{agents}");
    }
    // A start the template never offers is found when the model is built.
    let p = prepared(&scenario(
        FLEX,
        r#"[{"name": "a", "site": "s", "fixed_shifts": [{"date": "2027-03-09", "template": "day", "start": "13:00"}]}]"#,
        6,
        false,
    ))
    .unwrap();
    match plan(&p, None) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "agents[0].fixed_shifts[0]"),
        other => panic!("expected an invalid field, got {other:?}"),
    }
    // Unknown fields and bad clock times are refused while parsing.
    for agents in [
        r#"[{"name": "a", "site": "s", "preferred_start": {"from": "25:00", "to": "09:00"}}]"#,
        r#"[{"name": "a", "site": "s", "fixed_shifts": [{"date": "2027-03-09", "template": "day", "start": "08:00", "end": "16:00"}]}]"#,
    ] {
        assert!(Scenario::parse(&scenario(FLEX, agents, 6, false), "t.json").is_err());
    }
}

#[test]
fn extreme_run_lengths_are_kept_without_overflow() {
    // A run of days off longer than the horizon: after the first break the agent never
    // returns; runs are counted safely whatever the contract's numbers.
    let agents = r#"[{"name": "a", "site": "s", "contract": {"min_consecutive_days_off": 4000000000,
      "max_consecutive_days": 4000000000, "min_consecutive_days": 2}}]"#;
    let p = prepared(&scenario(FLEX, agents, 6, false)).unwrap();
    let out = plan(&p, None).unwrap();
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    assert_eq!(
        out.roster.len(),
        7,
        "working every day is the one way to work after day 1"
    );
}

#[test]
fn a_large_roster_starts_from_the_plan_and_covers_what_the_plan_covers() {
    // 70 agents (from 64 the first roster hands the anonymous plan's shifts out), mixed
    // contracts, hours to spare: no interval short where the anonymous plan has none, every
    // rule verified, the bound below the objective.
    let p = prepared(&scenario(FLEX, &mixed_agents(70), 200, false)).unwrap();
    let out = plan(&p, None).unwrap();
    assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
    assert!(out.unassigned.is_empty());
    let s = out.summary.schedule.as_ref().unwrap();
    assert_eq!(s.agents_checked, 70);
    assert!(s.lower_bound <= s.objective + 1e-6);
    let mut anonymous = p.clone();
    anonymous.agents.clear();
    let a = plan(&anonymous, None).unwrap();
    assert_eq!(a.summary.understaffed_intervals, 0);
    assert_eq!(
        out.summary.understaffed_intervals, 0,
        "{:?}",
        s.understaffed
    );
}

/// `n` agents at site `s` with mixed contracts (full-time with runs and days off in pairs,
/// part-time with minimum hours and no weekends, long rest) and a few days off.
fn mixed_agents(n: usize) -> String {
    let agents: Vec<String> = (0..n)
        .map(|i| {
            let contract = match i % 3 {
                0 => {
                    r#"{"max_hours": 40, "max_consecutive_days": 5, "min_consecutive_days_off": 2}"#
                }
                1 => r#"{"max_hours": 32, "min_hours": 16, "max_weekends": 0}"#,
                _ => r#"{"max_hours": 40, "min_rest_hours": 14}"#,
            };
            let off = if i % 10 == 7 {
                r#", "days_off": ["2027-03-10"]"#
            } else {
                ""
            };
            format!(r#"{{"name": "a{i:02}", "site": "s", "contract": {contract}{off}}}"#)
        })
        .collect();
    format!("[{}]", agents.join(","))
}

#[test]
fn a_stop_before_the_search_still_gives_a_complete_checked_roster() {
    // The stop flag set before the solve: only the work every roster needs runs (each
    // agent priced once for its cheapest schedule, which keeps its contract, minimum hours
    // included); the roster is complete and verified, and the status says it was cut. On
    // 70 agents (the plan start) and on the bundled example (the greedy start).
    let month = prepared(&scenario(FLEX, &mixed_agents(70), 200, false)).unwrap();
    let example = Scenario::load(&example()).unwrap();
    for mut p in [month, example] {
        let flag = wfm::budget::stop_flag();
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        p.solve.stop = Some(flag);
        let out = plan(&p, None).unwrap();
        assert!(violations(&p.agents, &p.sites, &p.templates, &p.horizon, &out.roster).is_empty());
        assert!(out.unassigned.is_empty());
        assert_eq!(out.summary.status, "time_limit");
        let s = out.summary.schedule.as_ref().unwrap();
        assert_eq!(s.agents_checked, p.agents.len());
        assert_eq!((s.rounds, s.passes), (0, 0), "a search phase ran");
        assert!(!s.lp_converged);
        assert!(s.lower_bound <= s.objective + 1e-6);
        assert_eq!(out.summary.gap, Some(s.gap));
        // Every agent with minimum hours works them.
        for a in &p.agents {
            let worked = s.agents.iter().find(|w| w.name == a.name).unwrap();
            let min = a.contract.min_hours;
            assert!(
                worked.paid_hours >= min - 1e-9,
                "{}: {}",
                a.name,
                worked.paid_hours
            );
        }
    }
}

#[test]
fn the_example_gives_the_same_roster_at_ten_times_its_limit_with_the_same_work() {
    // The scheduler is paced by its work units, not by the clock: at the example's own
    // limit and at ten times it, with the same work (the default of its limit), the
    // roster, the plan and the summary are the same. With the phases' shares of the
    // wall clock this failed whenever the column generation was cut by its share.
    let p = Scenario::load(&example()).unwrap();
    let mut longer = p.clone();
    longer.solve.time_limit_seconds = 10.0 * p.solve.time_limit_seconds;
    longer.solve.work = Some(wfm::plan::work_for(p.solve.time_limit_seconds));
    let a = plan(&p, None).unwrap();
    let b = plan(&longer, None).unwrap();
    for out in [&a, &b] {
        assert_ne!(out.summary.status, "time_limit", "the clock cut a run");
    }
    assert_eq!(written(&a, &p, "limit"), written(&b, &longer, "longer"));
}
