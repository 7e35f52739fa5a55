//! Simulation speed: one replication of a single-skill voice week, and of a 1 000-agent,
//! 6-skill week with about a million contacts.
//!
//! `cargo bench --bench simulate`

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wfm::demand::Channel;
use wfm::simulate::{
    simulate, HandleTime, Patience, Segment, SegmentEnd, SimAgent, SimModel, SimOptions, SimQueue,
    SimSkill,
};
use wfm::time::Horizon;

fn week() -> Horizon {
    Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 15, 7).unwrap()
}

fn queue(name: String, per_interval: f64, aht: f64) -> SimQueue {
    SimQueue {
        name,
        channel: Channel::Voice,
        volume: vec![per_interval; 672],
        aht_seconds: vec![aht; 672],
        within_seconds: Some(20.0),
        handle: HandleTime::Exponential,
        patience: Patience::Exponential {
            mean_seconds: 300.0,
        },
        replay: None,
    }
}

/// One voice queue, 300 calls per 15 minutes around the clock (201 600 calls, 60 Erlangs
/// at 180 s), 66 agents on duty all week.
fn single_skill() -> SimModel {
    SimModel {
        horizon: week(),
        queues: vec![queue("voice".into(), 300.0, 180.0)],
        agents: (0..66)
            .map(|k| SimAgent {
                name: format!("a{k}"),
                skills: vec![SimSkill {
                    queue: 0,
                    priority: 0,
                }],
                segments: vec![Segment {
                    start: 0.0,
                    end: 7.0 * 86400.0,
                    then: SegmentEnd::ShiftEnd,
                }],
            })
            .collect(),
    }
}

/// 1 000 agents, six queues of 248 calls per 15 minutes (about 1 000 000 calls, 100 s
/// handle time, 165 Erlangs in all); each agent works five 8-hour shifts with a 30-minute
/// break, serves its queue first and the next one second.
fn multi_skill() -> SimModel {
    let agents = (0..1000)
        .map(|k| {
            // Every queue has agents on each of the three shifts and every day.
            let shift = ((k / 6) % 3) as f64 * 8.0 * 3600.0;
            let mut segments = Vec::new();
            for d in 0..5 {
                let day = ((k / 18 + d) % 7) as f64 * 86400.0;
                let start = day + shift;
                let brk = start + 4.0 * 3600.0;
                segments.push(Segment {
                    start,
                    end: brk,
                    then: SegmentEnd::Break,
                });
                segments.push(Segment {
                    start: brk + 1800.0,
                    end: start + 8.0 * 3600.0,
                    then: SegmentEnd::ShiftEnd,
                });
            }
            segments.sort_by(|a, b| a.start.total_cmp(&b.start));
            SimAgent {
                name: format!("a{k}"),
                skills: vec![
                    SimSkill {
                        queue: k % 6,
                        priority: 0,
                    },
                    SimSkill {
                        queue: (k + 1) % 6,
                        priority: 1,
                    },
                ],
                segments,
            }
        })
        .collect();
    SimModel {
        horizon: week(),
        queues: (0..6)
            .map(|q| queue(format!("q{q}"), 248.0, 100.0))
            .collect(),
        agents,
    }
}

fn benches(c: &mut Criterion) {
    let one = SimOptions {
        replications: 1,
        seed: 1,
        live_first: true,
        threads: 1,
        ..SimOptions::default()
    };
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    let m = single_skill();
    g.throughput(Throughput::Elements(201_600));
    g.bench_function("voice_week_1_skill_201600_calls", |b| {
        b.iter(|| simulate(black_box(&m), &one, None).unwrap())
    });
    let m = multi_skill();
    g.throughput(Throughput::Elements(6 * 248 * 672));
    g.bench_function("week_1000_agents_6_skills_1m_calls", |b| {
        b.iter(|| simulate(black_box(&m), &one, None).unwrap())
    });
    g.finish();
}

criterion_group!(simulate_benches, benches);
criterion_main!(simulate_benches);
