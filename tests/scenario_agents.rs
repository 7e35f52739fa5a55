//! Named agents in scenarios: contracts are kept, days off respected, shifts nobody can take
//! are reported (not dropped), and bad agent fields are errors naming the field.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use std::collections::BTreeMap;
use std::path::Path;
use wfm::plan::PlannedShift;
use wfm::scenario::agents::{assign, AgentSpec, ContractSpec, OffRequestSpec};
use wfm::scenario::{plan, Scenario};
use wfm::shifts::ShiftInstance;
use wfm::time::{Horizon, Site};
use wfm::Error;

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap()
}

fn shift(day: i64, hour: i64, len: i64) -> ShiftInstance {
    let start = monday() + Duration::days(day) + Duration::hours(hour);
    ShiftInstance {
        site: "s".into(),
        template: "t".into(),
        start,
        end: start + Duration::hours(len),
        breaks: vec![],
    }
}

fn planned(s: ShiftInstance, count: u32) -> PlannedShift {
    PlannedShift {
        shift: s,
        queue: "voice".into(),
        count,
        cost_each: 8.0,
    }
}

fn agent(name: &str, contract: ContractSpec, days_off: Vec<NaiveDate>) -> AgentSpec {
    AgentSpec {
        name: name.into(),
        site: "s".into(),
        skills: None,
        contract,
        days_off,
        off_requests: vec![],
        preferred_start: None,
        fixed_shifts: vec![],
    }
}

fn run(
    agents: &[AgentSpec],
    shifts: &[PlannedShift],
) -> wfm::Result<wfm::scenario::AgentAssignment> {
    let h = Horizon::days(monday(), 60, 7)?;
    let sites = vec![Site::new("s", "Europe/London")?];
    let queue = |_: &str, t: &str| (t == "t").then(|| "voice".to_string());
    assign("test", &h, &sites, &queue, agents, shifts, 2.0)
}

/// Per planned shift: rostered + unassigned = planned, and never more rostered than planned.
fn accounted(plan: &[PlannedShift], a: &wfm::scenario::AgentAssignment) {
    for p in plan {
        let got = a.roster.iter().filter(|(_, s)| *s == p.shift).count() as u32;
        let open = a.unassigned.iter().filter(|s| **s == p.shift).count() as u32;
        assert!(
            got <= p.count,
            "more agents than planned on {:?}",
            p.shift.start
        );
        assert_eq!(
            got + open,
            p.count,
            "shift {:?} accounted for",
            p.shift.start
        );
    }
    assert_eq!(a.surplus, 0);
}

#[test]
fn contract_rules_are_kept() {
    // Every day an early (06-14) and a late (14-22) shift, two agents each.
    let mut plan = Vec::new();
    for d in 0..7 {
        plan.push(planned(shift(d, 6, 8), 2));
        plan.push(planned(shift(d, 14, 8), 2));
    }
    let c1 = ContractSpec {
        max_hours: Some(32.0),
        max_consecutive_days: 3,
        ..ContractSpec::default()
    };
    let c2 = ContractSpec {
        max_weekends: Some(0),
        min_rest_hours: 12.0,
        ..ContractSpec::default()
    };
    let c3 = ContractSpec {
        max_consecutive_days: 5,
        max_hours: Some(40.0),
        ..ContractSpec::default()
    };
    let agents = vec![
        agent("a", c1.clone(), vec![]),
        agent("b", c2.clone(), vec![]),
        agent("c", c3.clone(), vec![]),
        agent("d", ContractSpec::default(), vec![]),
    ];
    let a = run(&agents, &plan).unwrap();
    accounted(&plan, &a);
    assert!(!a.roster.is_empty());
    let mut by: BTreeMap<&str, Vec<&ShiftInstance>> = BTreeMap::new();
    for (n, s) in &a.roster {
        by.entry(n.as_str()).or_default().push(s);
    }
    for (name, mut v) in by {
        v.sort_by_key(|s| s.start);
        let spec = agents.iter().find(|x| x.name == name).unwrap();
        let c = &spec.contract;
        let hours: i64 = v.iter().map(|s| s.paid_minutes()).sum::<i64>() / 60;
        if let Some(m) = c.max_hours {
            assert!(hours as f64 <= m, "{name} works {hours} h > {m}");
        }
        let dates: Vec<NaiveDate> = v.iter().map(|s| s.start.date_naive()).collect();
        for w in dates.windows(2) {
            assert_ne!(w[0], w[1], "{name}: two shifts on one day");
        }
        let mut run_len = 1;
        for w in dates.windows(2) {
            run_len = if w[1] - w[0] == Duration::days(1) {
                run_len + 1
            } else {
                1
            };
            assert!(run_len <= c.max_consecutive_days, "{name}: run {run_len}");
        }
        for w in v.windows(2) {
            let rest = (w[1].start - w[0].end).num_minutes();
            assert!(
                rest as f64 >= c.min_rest_hours * 60.0,
                "{name}: {rest} min rest"
            );
        }
        if c.max_weekends == Some(0) {
            assert!(
                dates
                    .iter()
                    .all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)),
                "{name} works a weekend"
            );
        }
    }
}

#[test]
fn agent_with_every_day_off_gets_nothing() {
    let plan: Vec<PlannedShift> = (0..7).map(|d| planned(shift(d, 9, 8), 1)).collect();
    let all: Vec<NaiveDate> = (0..7)
        .map(|d| (monday() + Duration::days(d)).date_naive())
        .collect();
    let agents = vec![
        agent("off", ContractSpec::default(), all),
        agent("on", ContractSpec::default(), vec![]),
    ];
    let a = run(&agents, &plan).unwrap();
    accounted(&plan, &a);
    assert!(a.roster.iter().all(|(n, _)| n != "off"));
    assert!(a.roster.iter().any(|(n, _)| n == "on"));
    // "on" has at most 6 consecutive days by default: the seventh shift stays open.
    assert_eq!(a.roster.len(), 6);
    assert_eq!(a.unassigned.len(), 1);
}

#[test]
fn too_few_agents_leave_shifts_reported() {
    let plan: Vec<PlannedShift> = (0..7).map(|d| planned(shift(d, 9, 8), 3)).collect();
    let c = ContractSpec {
        max_hours: Some(40.0),
        ..ContractSpec::default()
    };
    let agents = vec![agent("x", c.clone(), vec![]), agent("y", c, vec![])];
    let a = run(&agents, &plan).unwrap();
    accounted(&plan, &a);
    assert_eq!(a.roster.len(), 10, "two agents of 5 shifts each");
    assert_eq!(a.unassigned.len(), 11);
}

fn scenario_json(agents: &str) -> String {
    // Voice contacts 09:00-17:00 London every day, hourly grid.
    let volume = |_: usize, h: usize| if (9..17).contains(&h) { 6 } else { 0 };
    hourly_json(7, volume, &[("t", "09:00")], 2, agents)
}

/// `days` days from Monday 2027-03-08 on an hourly grid at London, one voice queue with
/// `volume(day, hour)` contacts an hour, a template of 8 paid hours for each
/// `(name, start)` every day, the agents' time limit `limit` seconds, `agents` as JSON.
fn hourly_json(
    days: usize,
    volume: impl Fn(usize, usize) -> u32,
    starts: &[(&str, &str)],
    limit: u32,
    agents: &str,
) -> String {
    let v: Vec<String> = (0..days * 24)
        .map(|i| volume(i / 24, i % 24).to_string())
        .collect();
    let templates: Vec<String> = starts
        .iter()
        .map(|(name, at)| {
            format!(
                r#"{{"name": "{name}", "site": "s", "queue": "voice", "paid_minutes": 480,
                 "start_windows": [{{"days": ["mon","tue","wed","thu","fri","sat","sun"],
                                    "from": "{at}", "to": "{at}"}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{
  "name": "agents test",
  "horizon": {{"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": {days}}},
  "sites": [{{"name": "s", "zone": "Europe/London"}}],
  "queues": [{{"name": "voice", "volume": [{}], "aht_seconds": 300,
              "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}},
              "shrinkage": 0.0}}],
  "templates": [{}],
  "agents_time_limit_seconds": {limit},
  "agents": {agents}
}}"#,
        v.join(","),
        templates.join(",")
    )
}

fn field_of(agents: &str) -> String {
    let s = Scenario::parse(&scenario_json(agents), "test.json").unwrap();
    match s.prepare(Path::new(".")) {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn pipeline_schedules_the_agent_and_explains_the_gaps() {
    let s = Scenario::parse(
        &scenario_json(r#"[{"name": "ann", "site": "s"}]"#),
        "test.json",
    )
    .unwrap();
    let p = s.prepare(Path::new(".")).unwrap();
    let out = plan(&p, None).unwrap();
    // Shifts exist only when someone works them: the plan is the roster.
    let planned: u32 = out
        .plan_rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.count)
        .sum();
    assert!(out.roster.iter().all(|(n, _)| n == "ann"));
    assert_eq!(out.roster.len(), 6, "one agent, at most 6 days in a row");
    assert_eq!(planned, 6);
    assert!(out.unassigned.is_empty());
    assert_eq!(out.summary.unassigned_shifts, 0);
    assert!(out.summary.planned.is_none());
    assert_eq!(out.summary.paid_hours, 48.0);
    let sched = out.summary.schedule.as_ref().expect("schedule section");
    assert_eq!(sched.shift_cost, 48.0);
    assert!(sched.lower_bound <= sched.objective + 1e-6);
    assert_eq!(out.summary.lower_bound, Some(sched.lower_bound));
    assert_eq!(out.summary.understaffed_intervals, sched.understaffed_total);
    assert!(
        sched.understaffed_total > 0,
        "one agent cannot staff the week"
    );
    // Ann's hours are short of the queue's need: the days she works are short because
    // nobody else could help; the day she rests, because of her run of six.
    assert!(sched.understaffed_by_reason.contains_key("too_few_agents"));
    assert!(sched
        .understaffed
        .iter()
        .any(|u| u.reason == "max_consecutive_days"));
}

/// Reasons given for the short intervals of `json`'s roster (each interval's reason).
fn reasons_of(json: &str) -> Vec<String> {
    let s = Scenario::parse(json, "test.json").unwrap();
    let p = s.prepare(Path::new(".")).unwrap();
    let out = plan(&p, None).unwrap();
    let sched = out.summary.schedule.expect("schedule section");
    assert_eq!(sched.understaffed_total, sched.understaffed.len());
    sched.understaffed.into_iter().map(|u| u.reason).collect()
}

#[test]
fn short_days_off_are_named_as_the_reason() {
    // Runs of at most 3 days, days off in pairs: 5 of the 7 days are worked (WWWOOWW or
    // WWOOWWW). Of the two days off, working the one next to the run of three breaks the
    // run; working the other leaves a single day off.
    let r = reasons_of(&scenario_json(
        r#"[{"name": "ann", "site": "s",
             "contract": {"max_consecutive_days": 3, "min_consecutive_days_off": 2}}]"#,
    ));
    assert!(r.iter().any(|x| x == "max_consecutive_days"), "{r:?}");
    assert!(r.iter().any(|x| x == "min_consecutive_days_off"), "{r:?}");
    assert!(!r.iter().any(|x| x == "cost_or_other_rules"), "{r:?}");
}

#[test]
fn short_working_runs_are_named_as_the_reason() {
    // Wednesday and Friday off, runs of at least 2 working days: Thursday alone between
    // them may not be worked.
    let r = reasons_of(&scenario_json(
        r#"[{"name": "ann", "site": "s", "days_off": ["2027-03-10", "2027-03-12"],
             "contract": {"min_consecutive_days": 2}}]"#,
    ));
    assert!(r.iter().any(|x| x == "min_consecutive_days"), "{r:?}");
    assert!(r.iter().any(|x| x == "day_off"), "{r:?}");
    assert!(!r.iter().any(|x| x == "cost_or_other_rules"), "{r:?}");
}

/// [`hourly_json`] with an early (08:00) and a late (13:00) shift.
fn two_shift_json(days: usize, volume: impl Fn(usize, usize) -> u32, agents: &str) -> String {
    hourly_json(
        days,
        volume,
        &[("early", "08:00"), ("late", "13:00")],
        5,
        agents,
    )
}

#[test]
fn start_tolerance_is_named_as_the_reason() {
    // Mornings need one agent on every day but Wednesday; Wednesday evening needs two.
    // Both agents keep one start time a week: one works the mornings, the other
    // Wednesday's late shift, and the morning agent, free on Wednesday, may not start at
    // 13:00 that week.
    let json = two_shift_json(
        7,
        |d, h| match (d, h) {
            (2, 16..=20) => 6,
            (2, _) => 0,
            (_, 8..=12) => 1,
            _ => 0,
        },
        r#"[{"name": "ann", "site": "s",
             "contract": {"start_tolerance_minutes": 0, "max_consecutive_days": 7}},
            {"name": "bob", "site": "s",
             "contract": {"start_tolerance_minutes": 0, "max_consecutive_days": 7}}]"#,
    );
    let r = reasons_of(&json);
    assert!(!r.is_empty());
    assert!(r.iter().all(|x| x == "start_tolerance_minutes"), "{r:?}");
}

#[test]
fn rotating_weekends_are_named_as_the_reason() {
    // Two weeks of mornings, one weekend in two: the weekend not worked is short because of
    // the rotation (no other rule stops the agent).
    let json = two_shift_json(
        14,
        |_, h| u32::from((8..=12).contains(&h)),
        r#"[{"name": "ann", "site": "s",
             "contract": {"rotating_weekends": {"work": 1, "of": 2},
                          "max_consecutive_days": 14}}]"#,
    );
    let r = reasons_of(&json);
    assert!(!r.is_empty());
    assert!(r.iter().all(|x| x == "rotating_weekends"), "{r:?}");
}

#[test]
fn bad_agent_fields_name_the_field() {
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s"}, {"name": "b", "site": "paris"}]"#),
        "agents[1].site"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "skills": ["email"]}]"#),
        "agents[0].skills[0]"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "days_off": ["2027-03-09", "2027-04-01"]}]"#),
        "agents[0].days_off[1]"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s"}, {"name": "a", "site": "s"}]"#),
        "agents[1].name"
    );
    assert_eq!(
        field_of(
            r#"[{"name": "a", "site": "s"}, {"name": "b", "site": "s"}, {"name": "c", "site": "s"}, {"name": "d", "site": "s", "contract": {"min_hours": 30, "max_hours": 20}}]"#
        ),
        "agents[3].contract.max_hours"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "contract": {"min_rest_hours": -1}}]"#),
        "agents[0].contract.min_rest_hours"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "contract": {"max_consecutive_days": 0}}]"#),
        "agents[0].contract.max_consecutive_days"
    );
    assert_eq!(
        field_of(
            r#"[{"name": "a", "site": "s", "off_requests": [{"date": "2027-03-09", "template": "night"}]}]"#
        ),
        "agents[0].off_requests[0].template"
    );
    assert_eq!(
        field_of(
            r#"[{"name": "a", "site": "s", "off_requests": [{"date": "2027-03-09", "weight": 0}]}]"#
        ),
        "agents[0].off_requests[0].weight"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "off_requests": [{"date": "2027-05-09"}]}]"#),
        "agents[0].off_requests[0].date"
    );
    assert_eq!(
        field_of(r#"[{"name": " ", "site": "s"}]"#),
        "agents[0].name"
    );
    // A value given twice is refused, never merged (or a wish charged twice) in silence.
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "days_off": ["2027-03-09", "2027-03-09"]}]"#),
        "agents[0].days_off[1]"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "skills": ["voice", "voice"]}]"#),
        "agents[0].skills[1]"
    );
    assert_eq!(
        field_of(
            r#"[{"name": "a", "site": "s", "off_requests": [{"date": "2027-03-09"}, {"date": "2027-03-10"}, {"date": "2027-03-09", "weight": 3}]}]"#
        ),
        "agents[0].off_requests[2]"
    );
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s", "contract": {"templates": ["t", "t"]}}]"#),
        "agents[0].contract.templates[1]"
    );
    // "a " and "a" would be two agents that read as one in every output.
    assert_eq!(
        field_of(r#"[{"name": "a", "site": "s"}, {"name": "a ", "site": "s"}]"#),
        "agents[1].name"
    );
    // Unknown fields are rejected at parse time with the path and line.
    match Scenario::parse(
        &scenario_json(r#"[{"name": "a", "site": "s", "contract": {"max_hourz": 3}}]"#),
        "test.json",
    ) {
        Err(Error::Parse { reason, .. }) => {
            assert!(reason.contains("agents[0].contract"), "{reason}")
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn unreachable_minimum_hours_is_infeasible() {
    // Seven 8-hour shifts exist; 60 hours cannot be reached.
    let plan: Vec<PlannedShift> = (0..7).map(|d| planned(shift(d, 9, 8), 1)).collect();
    let c = ContractSpec {
        min_hours: 60.0,
        max_consecutive_days: 7,
        ..ContractSpec::default()
    };
    match run(&[agent("x", c, vec![])], &plan) {
        Err(Error::Infeasible { .. }) => {}
        other => panic!("expected infeasible, got {other:?}"),
    }
}

mod laws {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        /// Whatever the plan and the contracts: every planned shift is rostered or reported,
        /// never over-staffed, and each agent keeps days off, rest, hours and runs.
        #[test]
        fn every_shift_accounted_and_contracts_kept(
            counts in proptest::collection::vec((0u32..3, 0u32..3), 7),
            contracts in proptest::collection::vec((16u32..48, 2u32..7, 8u32..14, 0usize..7), 1..5),
        ) {
            let mut plan = Vec::new();
            for (d, &(early, late)) in counts.iter().enumerate() {
                if early > 0 { plan.push(planned(shift(d as i64, 6, 8), early)); }
                if late > 0 { plan.push(planned(shift(d as i64, 14, 8), late)); }
            }
            let agents: Vec<AgentSpec> = contracts
                .iter()
                .enumerate()
                .map(|(i, &(max_h, run, rest, off))| {
                    let c = ContractSpec {
                        max_hours: Some(f64::from(max_h)),
                        max_consecutive_days: run,
                        min_rest_hours: f64::from(rest),
                        ..ContractSpec::default()
                    };
                    let day_off = (monday() + Duration::days(off as i64)).date_naive();
                    agent(&format!("a{i}"), c, vec![day_off])
                })
                .collect();
            let a = run(&agents, &plan).unwrap();
            accounted(&plan, &a);
            for spec in &agents {
                let mut v: Vec<&ShiftInstance> =
                    a.roster.iter().filter(|(n, _)| *n == spec.name).map(|(_, s)| s).collect();
                v.sort_by_key(|s| s.start);
                let c = &spec.contract;
                let minutes: i64 = v.iter().map(|s| s.paid_minutes()).sum();
                prop_assert!(minutes as f64 <= c.max_hours.unwrap() * 60.0);
                for s in &v {
                    prop_assert!(!spec.days_off.contains(&s.start.date_naive()));
                }
                for w in v.windows(2) {
                    prop_assert!(w[1].start.date_naive() != w[0].start.date_naive());
                    prop_assert!((w[1].start - w[0].end).num_minutes() as f64 >= c.min_rest_hours * 60.0);
                }
                let mut run_len = 1;
                for w in v.windows(2) {
                    let gap = w[1].start.date_naive() - w[0].start.date_naive();
                    run_len = if gap == Duration::days(1) { run_len + 1 } else { 1 };
                    prop_assert!(run_len <= c.max_consecutive_days);
                }
            }
        }
    }
}

#[test]
fn off_requests_are_granted_when_someone_else_can_work() {
    // One shift a day, two agents who could each take it; "x" asks for Wednesday and
    // Thursday off, "y" for Monday.
    let plan: Vec<PlannedShift> = (0..7).map(|d| planned(shift(d, 9, 8), 1)).collect();
    let date = |d: i64| (monday() + Duration::days(d)).date_naive();
    let mut x = agent("x", ContractSpec::default(), vec![]);
    x.off_requests = vec![
        OffRequestSpec {
            date: date(2),
            template: None,
            weight: 5,
        },
        OffRequestSpec {
            date: date(3),
            template: Some("t".into()),
            weight: 5,
        },
    ];
    let mut y = agent("y", ContractSpec::default(), vec![]);
    y.off_requests = vec![OffRequestSpec {
        date: date(0),
        template: None,
        weight: 5,
    }];
    let a = run(&[x, y], &plan).unwrap();
    accounted(&plan, &a);
    assert!(a.unassigned.is_empty());
    let works = |n: &str, d: i64| {
        a.roster
            .iter()
            .any(|(m, s)| m == n && s.start.date_naive() == date(d))
    };
    assert!(!works("x", 2) && !works("x", 3), "x's wishes granted");
    assert!(!works("y", 0), "y's wish granted");
}
