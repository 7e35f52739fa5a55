//! Unit tests of the simulator on small hand-checked cases.

use super::*;
use crate::demand::Channel;
use crate::time::Horizon;
use chrono::{TimeZone, Utc};

pub(crate) fn horizon(n: usize, minutes: u32) -> Horizon {
    Horizon::new(
        Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(),
        minutes,
        n,
    )
    .unwrap()
}

fn voice(volume: Vec<f64>, aht: f64) -> SimQueue {
    let n = volume.len();
    SimQueue {
        name: "voice".into(),
        channel: Channel::Voice,
        volume,
        aht_seconds: vec![aht; n],
        within_seconds: Some(20.0),
        handle: HandleTime::Exponential,
        patience: Patience::None,
        replay: None,
    }
}

fn agent(name: &str, q: usize, start: f64, end: f64) -> SimAgent {
    SimAgent {
        name: name.into(),
        skills: vec![SimSkill {
            queue: q,
            priority: 0,
        }],
        segments: vec![Segment {
            start,
            end,
            then: SegmentEnd::ShiftEnd,
        }],
    }
}

fn replay(at: &[(f64, f64)]) -> Vec<ReplayContact> {
    at.iter()
        .map(|&(t, h)| ReplayContact {
            at_seconds: t,
            handle_seconds: Some(h),
            abandoned_after_seconds: None,
        })
        .collect()
}

fn one(model: &SimModel) -> SimResults {
    let o = SimOptions {
        replications: 1,
        seed: 3,
        live_first: true,
        threads: 1,
        ..SimOptions::default()
    };
    simulate(model, &o, None).unwrap()
}

#[test]
fn replay_by_hand_two_agents() {
    // Two agents from 0 to 1 h; four contacts of 600 s at 0, 10, 20, 700 s.
    let mut q = voice(vec![0.0; 2], 600.0);
    q.handle = HandleTime::Replayed;
    q.replay = Some(replay(&[
        (0.0, 600.0),
        (10.0, 600.0),
        (20.0, 600.0),
        (700.0, 600.0),
    ]));
    let m = SimModel {
        horizon: horizon(2, 30),
        queues: vec![q],
        agents: vec![agent("a", 0, 0.0, 3600.0), agent("b", 0, 0.0, 3600.0)],
    };
    let r = one(&m);
    let t = &r.queues[0].total;
    assert_eq!(t.offered.mean, 4.0);
    assert_eq!(t.answered.mean, 4.0);
    // Waits 0, 0, 580 (a frees at 600), 0 (b is free from 610 to 700).
    assert_eq!(t.answered_within.mean, 3.0);
    assert!((t.asa_seconds.mean - 580.0 / 4.0).abs() < 1e-9);
    assert!((r.agents[0].busy_hours.mean - 1200.0 / 3600.0).abs() < 1e-9);
    assert!((r.agents[1].busy_hours.mean - 1200.0 / 3600.0).abs() < 1e-9);
}

#[test]
fn longest_idle_agent_gets_the_call() {
    // a free from 0, b from 100: a call at 200 goes to a, one at 300 to b.
    let mut q = voice(vec![0.0; 1], 60.0);
    q.handle = HandleTime::Replayed;
    q.replay = Some(replay(&[(200.0, 1000.0), (300.0, 10.0)]));
    let m = SimModel {
        horizon: horizon(1, 60),
        queues: vec![q],
        agents: vec![agent("b", 0, 100.0, 3600.0), agent("a", 0, 0.0, 3600.0)],
    };
    let r = one(&m);
    assert!((r.agents[1].busy_hours.mean * 3600.0 - 1000.0).abs() < 1e-6);
    assert!((r.agents[0].busy_hours.mean * 3600.0 - 10.0).abs() < 1e-6);
}

#[test]
fn break_lets_the_call_finish_and_reports_lost_time() {
    let mut q = voice(vec![0.0; 2], 60.0);
    q.handle = HandleTime::Replayed;
    q.replay = Some(replay(&[(0.0, 900.0), (1000.0, 60.0)]));
    let a = SimAgent {
        name: "a".into(),
        skills: vec![SimSkill {
            queue: 0,
            priority: 0,
        }],
        segments: vec![
            Segment {
                start: 0.0,
                end: 600.0,
                then: SegmentEnd::Break,
            },
            Segment {
                start: 1200.0,
                end: 3600.0,
                then: SegmentEnd::ShiftEnd,
            },
        ],
    };
    let m = SimModel {
        horizon: horizon(2, 30),
        queues: vec![q],
        agents: vec![a],
    };
    let r = one(&m);
    assert!((r.agents[0].lost_break_minutes.mean - 5.0).abs() < 1e-9);
    // The second contact waits for the break to end: 200 s.
    assert!((r.queues[0].total.asa_seconds.mean - 100.0).abs() < 1e-9);
    assert_eq!(r.queues[0].total.answered_within.mean, 1.0);
}

#[test]
fn backlog_keeps_over_closed_hours_and_counts_late_items() {
    // 3 items at 0 s, 1800 s handling each, deadline 60 min, one agent from 0 to 2 h.
    let mut q = voice(vec![0.0; 4], 1800.0);
    q.channel = Channel::Backlog {
        deadline_minutes: 60,
    };
    q.handle = HandleTime::Replayed;
    q.replay = Some(replay(&[(0.0, 1800.0), (0.0, 1800.0), (0.0, 1800.0)]));
    let m = SimModel {
        horizon: horizon(4, 30),
        queues: vec![q],
        agents: vec![agent("a", 0, 0.0, 7200.0)],
    };
    let r = one(&m);
    let iv = &r.queues[0].intervals;
    assert_eq!(iv[0].backlog_end.mean, 2.0);
    assert_eq!(iv[1].backlog_end.mean, 1.0);
    assert_eq!(iv[2].backlog_end.mean, 0.0);
    // The third starts at 3600 s: exactly at its deadline, so in time.
    assert_eq!(r.queues[0].total.late.mean, 0.0);
    assert_eq!(r.queues[0].total.answered_within.mean, 3.0);
}

#[test]
fn chat_agent_holds_sessions_up_to_its_concurrency() {
    let mut q = voice(vec![0.0; 1], 60.0);
    q.channel = Channel::Chat { concurrency: 2 };
    q.handle = HandleTime::Replayed;
    q.replay = Some(replay(&[(0.0, 100.0), (1.0, 100.0), (2.0, 100.0)]));
    let m = SimModel {
        horizon: horizon(1, 60),
        queues: vec![q],
        agents: vec![agent("a", 0, 0.0, 3600.0)],
    };
    let r = one(&m);
    // Two sessions at once; the third waits until 100 s.
    assert!((r.queues[0].total.asa_seconds.mean - 98.0 / 3.0).abs() < 1e-9);
    assert!((r.agents[0].busy_hours.mean * 3600.0 - 150.0).abs() < 1e-9);
}

#[test]
fn priorities_and_live_before_backlog() {
    // Agent with backlog (priority 0) and voice (priority 1): live first by default.
    let mut v = voice(vec![0.0; 1], 60.0);
    v.handle = HandleTime::Replayed;
    v.replay = Some(replay(&[(0.0, 100.0), (10.0, 100.0)]));
    let mut b = voice(vec![0.0; 1], 60.0);
    b.name = "mail".into();
    b.channel = Channel::Backlog {
        deadline_minutes: 60,
    };
    b.handle = HandleTime::Replayed;
    b.replay = Some(replay(&[(5.0, 100.0)]));
    let a = SimAgent {
        name: "a".into(),
        skills: vec![
            SimSkill {
                queue: 1,
                priority: 0,
            },
            SimSkill {
                queue: 0,
                priority: 1,
            },
        ],
        segments: vec![Segment {
            start: 0.0,
            end: 3600.0,
            then: SegmentEnd::ShiftEnd,
        }],
    };
    let m = SimModel {
        horizon: horizon(1, 60),
        queues: vec![v, b],
        agents: vec![a],
    };
    let r = one(&m);
    assert!((r.queues[0].total.asa_seconds.mean - 45.0).abs() < 1e-9); // (0 + 90) / 2
    assert!((r.queues[1].total.asa_seconds.mean - 195.0).abs() < 1e-9);
    let o = SimOptions {
        replications: 1,
        seed: 3,
        live_first: false,
        threads: 1,
        ..SimOptions::default()
    };
    let r = simulate(&m, &o, None).unwrap();
    assert!((r.queues[1].total.asa_seconds.mean - 95.0).abs() < 1e-9);
    assert!((r.queues[0].total.asa_seconds.mean - 95.0).abs() < 1e-9); // (0 + 190) / 2
}

#[test]
fn same_seed_same_numbers_any_thread_count() {
    let m = SimModel {
        horizon: horizon(8, 30),
        queues: vec![voice(vec![100.0; 8], 180.0)],
        agents: (0..12)
            .map(|k| agent(&format!("a{k}"), 0, 0.0, 14400.0))
            .collect(),
    };
    let run = |threads| {
        let o = SimOptions {
            replications: 9,
            seed: 11,
            live_first: true,
            threads,
            ..SimOptions::default()
        };
        simulate(&m, &o, None).unwrap()
    };
    let (a, b, c) = (run(1), run(3), run(1));
    assert_eq!(a, c);
    assert_eq!(a, b);
    let o = SimOptions {
        replications: 9,
        seed: 12,
        live_first: true,
        threads: 1,
        ..SimOptions::default()
    };
    assert_ne!(simulate(&m, &o, None).unwrap(), a);
}

#[test]
fn bad_models_are_named_errors() {
    let good = SimModel {
        horizon: horizon(2, 30),
        queues: vec![voice(vec![1.0; 2], 60.0)],
        agents: vec![agent("a", 0, 0.0, 100.0)],
    };
    let o = SimOptions {
        replications: 0,
        ..SimOptions::default()
    };
    assert!(simulate(&good, &o, None)
        .unwrap_err()
        .to_string()
        .contains("replications"));
    let mut m = good.clone();
    m.queues[0].channel = Channel::Chat { concurrency: 0 };
    let e = simulate(&m, &SimOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("concurrency"), "{e}");
    let mut m = good.clone();
    m.queues[0].replay = Some(replay(&[(10.0, 1.0), (5.0, 1.0)]));
    let e = simulate(&m, &SimOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("replay[1]") && e.contains("sorted"), "{e}");
    m.queues[0].replay = Some(replay(&[(10.0, 1.0), (3600.0, 1.0)]));
    let e = simulate(&m, &SimOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("outside the horizon"), "{e}");
    let mut m = good.clone();
    m.queues[0].volume = vec![MAX_CONTACTS; 2];
    let e = simulate(&m, &SimOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("at most"), "{e}");
    let mut m = good;
    m.agents[0].skills[0].queue = 4;
    let e = simulate(&m, &SimOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("skills[0].queue"), "{e}");
}
