//! Backlog work with deadlines in the planner: a plan never leaves work unfinished past its
//! deadline in a fluid replay (the replay and the capacity are computed here, not by the
//! planner), and backlog rows leave the plans of teams that do not serve the backlog alone.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use wfm::plan::{self, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftTemplate, Skill, StartWindow};
use wfm::time::{Horizon, Site};

const QUEUES: [&str; 2] = ["voice", "email"];
const DAYS: usize = 2;

fn horizon() -> Horizon {
    Horizon::new(
        Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(),
        60,
        24 * DAYS,
    )
    .unwrap()
}

fn template(name: &str, queues: &[usize], hours: u32, from: u32) -> ShiftTemplate {
    let mut t = ShiftTemplate::new(
        name,
        "s",
        "",
        hours * 60,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: ClockTime::new(from, 0).unwrap(),
            to: ClockTime::new(23 - hours, 0).unwrap(),
        },
    );
    t.cross_midnight = false;
    t.skills = queues
        .iter()
        .enumerate()
        .map(|(k, &q)| Skill {
            queue: QUEUES[q].to_string(),
            priority: k as u32 + 1,
        })
        .collect();
    t
}

/// Agents working per template (by name) and interval.
fn working(p: &PlanProblem, plan: &plan::Plan) -> Vec<Vec<u32>> {
    let n = p.horizon().len();
    let mut out = vec![vec![0u32; n]; p.templates().len()];
    for s in &plan.shifts {
        let k = p
            .templates()
            .iter()
            .position(|t| t.name == s.shift.template)
            .unwrap();
        for t in s.shift.working_intervals(p.horizon()) {
            out[k][t] += s.count;
        }
    }
    out
}

/// Work left after its deadline in a first-come-first-served fluid replay: `work[i]`
/// arrives at interval `i` and is due by the end of `i + deadline - 1`.
fn late_work(work: &[f64], deadline: usize, capacity: &[f64]) -> f64 {
    let mut left: Vec<f64> = Vec::new();
    let mut late = 0.0;
    for t in 0..work.len() {
        left.push(work[t]);
        let mut cap = capacity[t];
        for l in left.iter_mut() {
            let take = l.min(cap);
            *l -= take;
            cap -= take;
        }
        if t + 1 >= deadline {
            let due = t + 1 - deadline;
            late += left[due];
            left[due] = 0.0;
        }
    }
    late
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn a_backlog_plan_finishes_every_item_by_its_deadline(
        voice in proptest::collection::vec(0u32..5, 24),
        email in proptest::collection::vec(0u32..4, 24),
        deadline in prop_oneof![Just(4usize), Just(8), Just(24)],
        groups in proptest::sample::select(vec![
            vec![vec![0], vec![0, 1]],
            vec![vec![0], vec![1]],
            vec![vec![0, 1]],
            vec![vec![0], vec![0, 1], vec![1]],
        ]),
    ) {
        let n = 24 * DAYS;
        // Daytime demand (07:00-19:00), repeated each day.
        let day = |v: &[u32], t: usize| if (7..19).contains(&(t % 24)) { v[t % 24] } else { 0 };
        let voice_req: Vec<u32> = (0..n).map(|t| day(&voice, t)).collect();
        let work: Vec<f64> = (0..n).map(|t| day(&email, t) as f64 * 0.75).collect();
        let templates: Vec<ShiftTemplate> = groups
            .iter()
            .enumerate()
            .map(|(k, qs)| template(&format!("g{k}"), qs, 8, 5))
            .collect();
        let p = PlanProblem::new(
            horizon(),
            vec![Site::new("s", "UTC").unwrap()],
            templates,
            vec![("voice".into(), voice_req.clone()), ("email".into(), vec![0; n])],
            PlanRules::default(),
        )
        .unwrap()
        .with_backlog("email", work.clone(), deadline)
        .unwrap();
        let options = SolveOptions { time_limit_seconds: 30.0, ..SolveOptions::default() };
        // Shifts reach 23:00, so every item can be done in time: the plan must exist.
        let plan = plan::solve(&p, &options);
        prop_assert!(plan.is_ok(), "{:?}", plan.err());
        let plan = plan.unwrap();
        let w = working(&p, &plan);
        let serves = |k: usize, q: usize| groups[k].contains(&q);
        // Capacity left to email: agents able to serve it, and agents able to serve voice
        // or email less voice's requirement (Hall's condition for two queues).
        let capacity: Vec<f64> = (0..n)
            .map(|t| {
                let email_agents: u32 =
                    (0..groups.len()).filter(|&k| serves(k, 1)).map(|k| w[k][t]).sum();
                let all: u32 = (0..groups.len()).map(|k| w[k][t]).sum();
                (email_agents as f64).min(all as f64 - voice_req[t] as f64).max(0.0)
            })
            .collect();
        for t in 0..n {
            let voice_agents: u32 =
                (0..groups.len()).filter(|&k| serves(k, 0)).map(|k| w[k][t]).sum();
            prop_assert!(voice_agents >= voice_req[t], "voice short at {t}");
        }
        let late = late_work(&work, deadline, &capacity);
        prop_assert!(late <= 1e-6, "{late} agent-intervals of email finished late");
    }
}

#[test]
fn a_backlog_team_leaves_the_other_teams_plan_alone() {
    let n = 24 * DAYS;
    let voice: Vec<u32> = (0..n)
        .map(|t| {
            if (8..18).contains(&(t % 24)) {
                3 + (t % 3) as u32
            } else {
                0
            }
        })
        .collect();
    let work: Vec<f64> = (0..n)
        .map(|t| {
            if (9..17).contains(&(t % 24)) {
                1.5
            } else {
                0.0
            }
        })
        .collect();
    let site = || vec![Site::new("s", "UTC").unwrap()];
    let options = SolveOptions::default();
    let alone = PlanProblem::new(
        horizon(),
        site(),
        vec![template("v", &[0], 8, 5)],
        vec![("voice".into(), voice.clone())],
        PlanRules::default(),
    )
    .unwrap();
    assert!(!alone.has_backlog());
    let alone = plan::solve(&alone, &options).unwrap();
    let both = PlanProblem::new(
        horizon(),
        site(),
        vec![template("v", &[0], 8, 5), template("e", &[1], 8, 5)],
        vec![("voice".into(), voice), ("email".into(), vec![0; n])],
        PlanRules::default(),
    )
    .unwrap()
    .with_backlog("email", work.clone(), 24)
    .unwrap();
    let both = plan::solve(&both, &options).unwrap();
    let voice_shifts: Vec<_> = both
        .shifts
        .iter()
        .filter(|s| s.shift.template == "v")
        .cloned()
        .collect();
    assert_eq!(voice_shifts, alone.shifts);
    // The email team works the whole backlog: 8 h × 1.5 a day, due within a day.
    let email_hours: f64 = both
        .shifts
        .iter()
        .filter(|s| s.shift.template == "e")
        .map(|s| s.count as f64 * 8.0)
        .sum();
    let total: f64 = work.iter().sum();
    assert!(email_hours >= total - 1e-9, "{email_hours} < {total}");
}

#[test]
fn backlog_input_errors_name_the_field() {
    let p = || {
        PlanProblem::new(
            horizon(),
            vec![Site::new("s", "UTC").unwrap()],
            vec![template("e", &[1], 8, 5)],
            vec![("email".into(), vec![0; 24 * DAYS])],
            PlanRules::default(),
        )
        .unwrap()
    };
    let e = p().with_backlog("mail", vec![0.0; 48], 4).unwrap_err();
    assert!(e.to_string().contains("backlog[mail].queue"), "{e}");
    let e = p().with_backlog("email", vec![0.0; 3], 4).unwrap_err();
    assert!(e.to_string().contains("backlog[email].work"), "{e}");
    let mut w = vec![0.0; 48];
    w[5] = f64::NAN;
    let e = p().with_backlog("email", w, 4).unwrap_err();
    assert!(e.to_string().contains("backlog[email].work[5]"), "{e}");
    let e = p().with_backlog("email", vec![0.0; 48], 0).unwrap_err();
    assert!(e.to_string().contains("deadline_intervals"), "{e}");
}
