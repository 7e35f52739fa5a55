//! Two backlog queues (email, tickets) served by the same agents: the replay gives each
//! agent-interval to one queue only (email first, by priority), and the planner's plan
//! finishes both queues' work in time when checked by a replay written here.

use chrono::{Duration, TimeZone, Utc};
use wfm::plan::{self, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftInstance, ShiftTemplate, Skill, StartWindow};
use wfm::time::{Horizon, Site};

const DAYS: usize = 2;

fn horizon() -> Horizon {
    Horizon::new(
        Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(),
        60,
        24 * DAYS,
    )
    .unwrap()
}

/// An 8-hour template serving `queues` (priority in the order given).
fn template(name: &str, queues: &[&str]) -> ShiftTemplate {
    let mut t = ShiftTemplate::new(
        name,
        "s",
        "",
        8 * 60,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: ClockTime::new(6, 0).unwrap(),
            to: ClockTime::new(14, 0).unwrap(),
        },
    );
    t.cross_midnight = false;
    t.skills = queues
        .iter()
        .enumerate()
        .map(|(k, q)| Skill {
            queue: q.to_string(),
            priority: k as u32 + 1,
        })
        .collect();
    t
}

/// Work per interval: `per_hour` from 9:00 to 17:00 each day.
fn work(per_hour: f64) -> Vec<f64> {
    (0..24 * DAYS)
        .map(|t| {
            if (9..17).contains(&(t % 24)) {
                per_hour
            } else {
                0.0
            }
        })
        .collect()
}

fn problem(templates: Vec<ShiftTemplate>, email: f64, tickets: f64) -> PlanProblem {
    let n = 24 * DAYS;
    PlanProblem::new(
        horizon(),
        vec![Site::new("s", "UTC").unwrap()],
        templates,
        vec![("email".into(), vec![0; n]), ("tickets".into(), vec![0; n])],
        PlanRules::default(),
    )
    .unwrap()
    .with_backlog("email", work(email), 4)
    .unwrap()
    .with_backlog("tickets", work(tickets), 6)
    .unwrap()
}

#[test]
fn shared_agents_are_given_to_one_backlog_queue_at_a_time() {
    // One agent 9:00-17:00 each day serving both queues, each with one agent-hour of work
    // an hour: the agent can do one queue's work, not both.
    let p = problem(vec![template("both", &["email", "tickets"])], 1.0, 1.0);
    let start = Utc.with_ymd_and_hms(2027, 3, 8, 9, 0, 0).unwrap();
    let shifts: Vec<ShiftInstance> = (0..DAYS as i64)
        .map(|d| ShiftInstance {
            site: "s".into(),
            template: "both".into(),
            start: start + Duration::days(d),
            end: start + Duration::days(d) + Duration::hours(8),
            breaks: Vec::new(),
        })
        .collect();
    let items = vec![work(10.0), work(5.0)];
    let r = p.backlog_replays(&shifts, &items);
    assert_eq!(r.len(), 2);
    let (email, tickets) = (&r[0].1, &r[1].1);
    assert_eq!((r[0].0.as_str(), r[1].0.as_str()), ("email", "tickets"));
    for t in 0..24 * DAYS {
        let agents = if (9..17).contains(&(t % 24)) {
            1.0
        } else {
            0.0
        };
        // Each agent-interval goes to one queue: with capacity counted separately, both
        // queues would do a full agent's work here.
        assert!(
            email.done[t] + tickets.done[t] <= agents + 1e-9,
            "interval {t}: {} + {} > {agents}",
            email.done[t],
            tickets.done[t]
        );
    }
    // Email comes first (priority 1) and is done as it arrives; tickets get nothing.
    assert_eq!(email.late_items, 0.0);
    assert!((email.done.iter().sum::<f64>() - 16.0).abs() < 1e-9);
    assert_eq!(tickets.done.iter().sum::<f64>(), 0.0);
    // Every ticket is due inside the horizon (the last arrive at 40:00, due by 46:00) and
    // late: 16 hours of 5 items.
    assert!(
        (tickets.late_items - 5.0 * 16.0).abs() < 1e-9,
        "{}",
        tickets.late_items
    );
}

/// Takes up to `cap` from the waiting work, oldest first; returns what is left of `cap`.
fn serve(left: &mut [f64], mut cap: f64) -> f64 {
    for l in left.iter_mut() {
        let take = l.min(cap);
        *l -= take;
        cap -= take;
    }
    cap
}

/// Late work of email and tickets (written here, independently of the library): each
/// interval the email-only agents work email, then the shared agents work what email is
/// left and then tickets, each queue first come first served.
fn late_work(
    (email, de): (&[f64], usize),
    (tickets, dt): (&[f64], usize),
    email_only: &[f64],
    both: &[f64],
) -> (f64, f64) {
    let (mut le, mut lt) = (Vec::new(), Vec::new());
    let (mut late_e, mut late_t) = (0.0, 0.0);
    for t in 0..email.len() {
        le.push(email[t]);
        lt.push(tickets[t]);
        serve(&mut le, email_only[t]);
        let rest = serve(&mut le, both[t]);
        serve(&mut lt, rest);
        if t + 1 >= de {
            late_e += std::mem::take(&mut le[t + 1 - de]);
        }
        if t + 1 >= dt {
            late_t += std::mem::take(&mut lt[t + 1 - dt]);
        }
    }
    (late_e, late_t)
}

#[test]
fn a_plan_for_two_backlog_queues_on_shared_agents_finishes_both_in_time() {
    // Agents serving both queues and agents serving email only.
    let p = problem(
        vec![
            template("both", &["email", "tickets"]),
            template("email_only", &["email"]),
        ],
        2.5,
        1.5,
    );
    let solved = plan::solve(&p, &SolveOptions::default()).unwrap();
    let n = 24 * DAYS;
    // Agents working per template and interval, from the plan's shifts.
    let mut both = vec![0.0; n];
    let mut email_only = vec![0.0; n];
    for s in &solved.shifts {
        for t in s.shift.working_intervals(p.horizon()) {
            if s.shift.template == "both" {
                both[t] += f64::from(s.count);
            } else {
                email_only[t] += f64::from(s.count);
            }
        }
    }
    let (late_e, late_t) = late_work((&work(2.5), 4), (&work(1.5), 6), &email_only, &both);
    assert!(late_e <= 1e-6, "{late_e} agent-intervals of email late");
    assert!(late_t <= 1e-6, "{late_t} agent-intervals of tickets late");
    // The library's joint replay agrees that nothing is late, and never gives more than
    // the agents working.
    let r = p.backlog_replays(
        &solved
            .shifts
            .iter()
            .flat_map(|s| std::iter::repeat_n(s.shift.clone(), s.count as usize))
            .collect::<Vec<_>>(),
        &[work(1.0), work(1.0)],
    );
    for (name, rep) in &r {
        assert!(rep.late_items <= 1e-6, "{name}: {} late", rep.late_items);
    }
    for t in 0..n {
        assert!(r[0].1.done[t] + r[1].1.done[t] <= both[t] + email_only[t] + 1e-9);
        assert!(
            r[1].1.done[t] <= both[t] + 1e-9,
            "tickets only from shared agents"
        );
    }
}
