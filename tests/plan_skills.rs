//! Multi-skill templates in the planner: capacity conservation on random skill matrices,
//! single-queue skill lists plan exactly as the `queue` form, pooled requirements.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use wfm::plan::{self, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftTemplate, Skill, StartWindow};
use wfm::time::{Horizon, Site};

const QUEUES: [&str; 3] = ["voice", "chat", "email"];

fn horizon() -> Horizon {
    Horizon::new(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 60, 24).unwrap()
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
            to: ClockTime::new(23, 0).unwrap(),
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

/// Largest number of agent-intervals a split of the working agents in interval `i` can give
/// the queues (each agent to one queue it serves, each queue at most its requirement): a
/// max-flow, by augmenting paths on the tiny bipartite graph.
fn max_allocation(groups: &[(Vec<usize>, u32)], req: &[u32]) -> u32 {
    // Residual capacities: source→group, group→queue (unbounded), queue→sink.
    let g = groups.len();
    let q = req.len();
    let n = g + q + 2;
    let (src, sink) = (g + q, g + q + 1);
    let mut cap = vec![vec![0i64; n]; n];
    for (k, (qs, count)) in groups.iter().enumerate() {
        cap[src][k] += *count as i64;
        for &x in qs {
            cap[k][g + x] = i64::MAX / 4;
        }
    }
    for (x, &r) in req.iter().enumerate() {
        cap[g + x][sink] = r as i64;
    }
    let mut flow = 0;
    loop {
        let mut prev = vec![usize::MAX; n];
        prev[src] = src;
        let mut stack = vec![src];
        while let Some(u) = stack.pop() {
            for v in 0..n {
                if prev[v] == usize::MAX && cap[u][v] > 0 {
                    prev[v] = u;
                    stack.push(v);
                }
            }
        }
        if prev[sink] == usize::MAX {
            return flow as u32;
        }
        let mut push = i64::MAX;
        let mut v = sink;
        while v != src {
            push = push.min(cap[prev[v]][v]);
            v = prev[v];
        }
        let mut v = sink;
        while v != src {
            cap[prev[v]][v] -= push;
            cap[v][prev[v]] += push;
            v = prev[v];
        }
        flow += push;
    }
}

fn working_by_template(p: &PlanProblem, plan: &plan::Plan, t: usize, i: usize) -> u32 {
    let h = p.horizon();
    let name = &p.templates()[t].name;
    plan.shifts
        .iter()
        .filter(|s| &s.shift.template == name)
        .filter(|s| s.shift.works_during(h.interval_start(i), 60))
        .map(|s| s.count)
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Every interval's working agents can be split across the queues they serve, each
    /// counted once, so that every queue gets its whole requirement.
    #[test]
    fn capacity_is_conserved_on_random_skill_matrices(
        skills in prop::collection::vec(
            (prop::sample::subsequence(vec![0usize, 1, 2], 1..=3), 4u32..9, 0u32..12), 1..5),
        req in prop::collection::vec(prop::collection::vec(0u32..5, 24), 3),
    ) {
        // Every queue needs someone to serve it: add single-skill templates.
        let mut templates: Vec<ShiftTemplate> = (0..3)
            .map(|q| template(&format!("only{q}"), &[q], 8, 0))
            .collect();
        for (k, (qs, hours, from)) in skills.iter().enumerate() {
            templates.push(template(&format!("t{k}"), qs, *hours, *from));
        }
        let reqs: Vec<(String, Vec<u32>)> =
            QUEUES.iter().map(|q| q.to_string()).zip(req.clone()).collect();
        let p = PlanProblem::new(
            horizon(),
            vec![Site::new("s", "UTC").unwrap()],
            templates.clone(),
            reqs,
            PlanRules::default(),
        ).unwrap();
        let plan = plan::solve(&p, &SolveOptions::default()).unwrap();
        for i in 0..24 {
            let groups: Vec<(Vec<usize>, u32)> = templates
                .iter()
                .enumerate()
                .map(|(t, tp)| {
                    let qs = tp.queues().iter()
                        .map(|n| QUEUES.iter().position(|x| x == n).unwrap())
                        .collect();
                    (qs, working_by_template(&p, &plan, t, i))
                })
                .collect();
            let need: Vec<u32> = req.iter().map(|r| r[i]).collect();
            prop_assert_eq!(
                max_allocation(&groups, &need),
                need.iter().sum::<u32>(),
                "interval {}: groups {:?}, requirements {:?}", i, groups, need
            );
        }
    }

    /// A template whose skills list one queue plans exactly as the `queue` form.
    #[test]
    fn single_queue_skills_plan_as_today(
        req in prop::collection::vec(prop::collection::vec(0u32..5, 24), 2),
        hours in prop::collection::vec((4u32..9, 0u32..12), 1..4),
    ) {
        let build = |skills: bool| {
            let mut ts = Vec::new();
            for (k, &(h, from)) in [(8, 0)].iter().chain(&hours).enumerate() {
                for (q, name) in QUEUES.iter().enumerate().take(2) {
                    let mut t = template(&format!("t{k}q{q}"), &[q], h, from);
                    if !skills {
                        t.skills.clear();
                        t.queue = name.to_string();
                    }
                    ts.push(t);
                }
            }
            PlanProblem::new(
                horizon(),
                vec![Site::new("s", "UTC").unwrap()],
                ts,
                QUEUES[..2].iter().map(|q| q.to_string()).zip(req.clone()).collect(),
                PlanRules::default(),
            ).unwrap()
        };
        let (a, b) = (build(true), build(false));
        prop_assert!(a.pooled_sets().is_empty());
        let pa = plan::solve(&a, &SolveOptions::default()).unwrap();
        let pb = plan::solve(&b, &SolveOptions::default()).unwrap();
        prop_assert_eq!(pa.shifts, pb.shifts);
        prop_assert_eq!(pa.coverage, pb.coverage);
        prop_assert_eq!(pa.cost, pb.cost);
    }
}

#[test]
fn pooled_requirement_lowers_the_cost_and_binds() {
    let req = vec![3u32; 24];
    let build = || {
        PlanProblem::new(
            horizon(),
            vec![Site::new("s", "UTC").unwrap()],
            vec![template("both", &[0, 1], 8, 0)],
            vec![("voice".into(), req.clone()), ("chat".into(), req.clone())],
            PlanRules::default(),
        )
        .unwrap()
    };
    let split = plan::solve(&build(), &SolveOptions::default()).unwrap();
    assert_eq!(build().pooled_sets(), vec![vec!["voice", "chat"]]);
    // Without a pooled requirement the union needs the sum: 6 agents every hour.
    assert!(split.coverage[0].scheduled.iter().all(|&c| c >= 6));
    let pooled = build()
        .with_pooled(vec![(vec!["chat".into(), "voice".into()], vec![4; 24])])
        .unwrap();
    let plan = plan::solve(&pooled, &SolveOptions::default()).unwrap();
    assert!(plan.coverage[0].scheduled.iter().all(|&c| c >= 4));
    assert!(plan.cost < split.cost, "{} < {}", plan.cost, split.cost);
    assert_eq!(plan.cost, 4.0 * 24.0);
    // A pooled value above the sum is capped by it; an unlinked set is refused.
    let e = build()
        .with_pooled(vec![(vec!["voice".into()], vec![1; 24])])
        .unwrap_err();
    assert!(e.to_string().contains("pooled[0].queues"), "{e}");
}

#[test]
fn unknown_skill_queue_names_the_field() {
    let e = PlanProblem::new(
        horizon(),
        vec![Site::new("s", "UTC").unwrap()],
        vec![template("both", &[0, 2], 8, 0)],
        vec![("voice".into(), vec![1; 24]), ("chat".into(), vec![1; 24])],
        PlanRules::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("templates[0].skills[1].queue"),
        "{e}"
    );
}
