//! Writes every output file of `wfm plan` for a realistic synthetic week, so that the
//! report, calendar and CSV files can be looked at without a scenario or a solver.
//!
//! Three sites (New York, London, Manila), two queues (voice, chat), 15-minute intervals,
//! the week of the 2027 US daylight-saving change. Volumes follow a daily curve; required
//! agents come from a small Erlang C (80 % in 20 s, 30 % shrinkage) written here for the
//! demo only; the roster is built greedily from fixed local start times (this demo is not
//! the planner), and agents are numbered per site with 11 hours' rest between shifts.
//!
//! ```text
//! cargo run --example report_demo -- OUT_DIR
//! scripts/render-report.sh OUT_DIR/report.html OUT_DIR/report.png
//! ```

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use wfm::evaluate::{evaluate, summarize, IntervalKpi, PlanFacts, QueueDemand, Routing};
use wfm::io::{write_all, Outputs, PlanRow};
use wfm::shifts::{Break, ShiftInstance};
use wfm::time::{DstPolicy, Horizon, Site};

const SHRINKAGE: f64 = 0.3;
const TARGET: f64 = 0.8;
const WITHIN: f64 = 20.0;

/// Erlang C: service level, ASA and occupancy for `n` productive agents.
fn erlang_c(n: u32, volume: f64, aht: f64, period: f64) -> IntervalKpi {
    let a = volume * aht / period;
    if volume <= 0.0 {
        return IntervalKpi {
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: 0.0,
        };
    }
    let nf = f64::from(n);
    if nf <= a {
        return IntervalKpi {
            service_level: 0.0,
            asa_seconds: f64::INFINITY,
            occupancy: 1.0,
        };
    }
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = nf * b / (nf - a * (1.0 - b));
    IntervalKpi {
        service_level: (1.0 - c * (-(nf - a) * WITHIN / aht).exp()).clamp(0.0, 1.0),
        asa_seconds: c * aht / (nf - a),
        occupancy: a / nf,
    }
}

fn productive(scheduled: u32) -> u32 {
    (f64::from(scheduled) * (1.0 - SHRINKAGE) + 1e-9).floor() as u32
}

fn required(volume: f64, aht: f64, period: f64) -> u32 {
    if volume <= 0.0 {
        return 0;
    }
    let mut s = 1;
    while erlang_c(productive(s), volume, aht, period).service_level < TARGET {
        s += 1;
    }
    s
}

struct Template {
    site: usize,
    name: &'static str,
    queue: usize,
    hours: i64,
    /// Local start times.
    starts: Vec<NaiveTime>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "report-demo".to_string());
    let start = Utc
        .with_ymd_and_hms(2027, 3, 8, 0, 0, 0)
        .single()
        .ok_or("bad date")?;
    let horizon = Horizon::days(start, 15, 7)?;
    let sites = vec![
        Site::new("New York", "America/New_York")?,
        Site::new("London", "Europe/London")?,
        Site::new("Manila", "Asia/Manila")?,
    ];
    let hm = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let every_30 = |from: u32, to: u32| {
        (from * 2..=to * 2)
            .map(|k| hm(k / 2, (k % 2) * 30))
            .collect()
    };
    let templates = vec![
        Template {
            site: 0,
            name: "day",
            queue: 0,
            hours: 9,
            starts: every_30(7, 12),
        },
        Template {
            site: 0,
            name: "chat-late",
            queue: 1,
            hours: 8,
            starts: every_30(12, 16),
        },
        Template {
            site: 1,
            name: "day",
            queue: 0,
            hours: 9,
            starts: every_30(7, 11),
        },
        Template {
            site: 1,
            name: "chat",
            queue: 1,
            hours: 8,
            starts: every_30(8, 12),
        },
        Template {
            site: 2,
            name: "voice",
            queue: 0,
            hours: 9,
            starts: every_30(14, 16),
        },
        Template {
            site: 2,
            name: "chat",
            queue: 1,
            hours: 9,
            starts: every_30(6, 16),
        },
    ];
    let mut routing = Routing::new();
    for t in &templates {
        routing.serve(&sites[t.site].name, t.name, t.queue)?;
    }

    // Demand: a daily curve in UTC, quieter at weekends.
    let period = 900.0;
    let mut demands = Vec::new();
    for (q, (name, peak, aht)) in [("voice", 45.0, 330.0), ("chat", 30.0, 540.0)]
        .into_iter()
        .enumerate()
    {
        let mut volume = Vec::new();
        let mut ahts = Vec::new();
        let mut req = Vec::new();
        for t in horizon.starts() {
            let hour = f64::from(t.format("%H").to_string().parse::<u32>().unwrap_or(0))
                + f64::from(t.format("%M").to_string().parse::<u32>().unwrap_or(0)) / 60.0;
            let centre = if q == 0 { 16.0 } else { 11.0 };
            let width = if q == 0 { 5.0 } else { 6.5 };
            let shape = (-((hour - centre) / width).powi(2)).exp();
            let weekend = matches!(t.format("%a").to_string().as_str(), "Sat" | "Sun");
            let v = (peak * shape * if weekend { 0.55 } else { 1.0 }).round();
            let v = if v < 2.0 { 0.0 } else { v };
            let aht_i = aht * (1.0 + 0.08 * (hour / 24.0 * std::f64::consts::TAU).sin());
            volume.push(v);
            ahts.push(aht_i.round());
            req.push(required(v, aht_i.round(), period));
        }
        demands.push(QueueDemand {
            name: name.to_string(),
            volume,
            aht_seconds: ahts,
            required: req,
        });
    }

    // Candidate shifts: every local start of every template on every local day.
    let mut candidates: Vec<ShiftInstance> = Vec::new();
    let first_day = NaiveDate::from_ymd_opt(2027, 3, 7).ok_or("bad date")?;
    for t in &templates {
        let site = &sites[t.site];
        for d in 0..9 {
            let day = first_day + Duration::days(d);
            for &st in &t.starts {
                let s = site.to_utc(day.and_time(st), DstPolicy::Compatible, "start")?;
                let e = s + Duration::hours(t.hours);
                if e <= horizon.start() || s >= horizon.end() {
                    continue;
                }
                let mut breaks = vec![Break {
                    start: s + Duration::minutes(120),
                    end: s + Duration::minutes(135),
                    paid: true,
                }];
                if t.hours >= 9 {
                    breaks.push(Break {
                        start: s + Duration::minutes(270),
                        end: s + Duration::minutes(330),
                        paid: false,
                    });
                }
                breaks.push(Break {
                    start: e - Duration::minutes(105),
                    end: e - Duration::minutes(90),
                    paid: true,
                });
                candidates.push(ShiftInstance {
                    site: site.name.clone(),
                    template: t.name.to_string(),
                    start: s,
                    end: e,
                    breaks,
                });
            }
        }
    }
    // Greedy cover: for each short interval, add the candidate covering it that covers most
    // of the remaining shortfall.
    let mut cover = vec![vec![0u32; horizon.len()]; demands.len()];
    let mut chosen: Vec<ShiftInstance> = Vec::new();
    for i in 0..horizon.len() {
        for q in 0..demands.len() {
            while cover[q][i] < demands[q].required[i] {
                let best = candidates
                    .iter()
                    .filter(|c| routing.queue_of(&c.site, &c.template) == Some(q))
                    .filter(|c| c.working_intervals(&horizon).contains(&i))
                    .max_by_key(|c| {
                        c.working_intervals(&horizon)
                            .iter()
                            .filter(|&&k| cover[q][k] < demands[q].required[k])
                            .count()
                    });
                let Some(best) = best else { break };
                for k in best.working_intervals(&horizon) {
                    cover[q][k] += 1;
                }
                chosen.push(best.clone());
            }
        }
    }
    chosen.sort_by(|a, b| (&a.site, a.start, &a.template).cmp(&(&b.site, b.start, &b.template)));

    // Plan rows: counts per (site, template, start).
    let mut plan: Vec<PlanRow> = Vec::new();
    for c in &chosen {
        match plan.last_mut() {
            Some(p) if p.site == c.site && p.template == c.template && p.start_utc == c.start => {
                p.count += 1
            }
            _ => plan.push(PlanRow {
                site: c.site.clone(),
                template: c.template.clone(),
                start_utc: c.start,
                count: 1,
            }),
        }
    }

    // Agents: per site, the first agent who is free with 11 hours' rest and under 5 shifts.
    let mut agents: Vec<(String, Vec<ShiftInstance>)> = Vec::new();
    let mut roster = Vec::new();
    let mut by_start = chosen.clone();
    by_start.sort_by_key(|c| c.start);
    for c in by_start {
        let rest = Duration::hours(11);
        let slot = agents.iter().position(|(name, shifts)| {
            name.starts_with(&c.site)
                && shifts.len() < 5
                && shifts
                    .iter()
                    .all(|s| s.end + rest <= c.start || c.end + rest <= s.start)
        });
        let k = match slot {
            Some(k) => k,
            None => {
                let n = agents
                    .iter()
                    .filter(|(name, _)| name.starts_with(&c.site))
                    .count();
                agents.push((format!("{} {:03}", c.site, n + 1), Vec::new()));
                agents.len() - 1
            }
        };
        agents[k].1.push(c.clone());
        roster.push((agents[k].0.clone(), c));
    }

    let kpi = |q: usize, i: usize, scheduled: u32| {
        Ok(erlang_c(
            productive(scheduled),
            demands[q].volume[i],
            demands[q].aht_seconds[i],
            period,
        ))
    };
    let coverage = evaluate(&horizon, &demands, &routing, &roster, &kpi)?;
    let paid: i64 = roster.iter().map(|(_, s)| s.paid_minutes()).sum();
    let facts = PlanFacts {
        cost: paid as f64 / 60.0,
        lower_bound: None,
        gap: None,
        status: "greedy (demo)".into(),
        solve_seconds: 0.0,
    };
    let summary = summarize(
        "Follow-the-sun demo week",
        &coverage,
        &demands,
        &roster,
        &facts,
    )?;
    let written = write_all(
        std::path::Path::new(&out),
        &Outputs {
            scenario: "Follow-the-sun demo week",
            horizon: &horizon,
            sites: &sites,
            demands: &demands,
            plan: Some(&plan),
            roster: &roster,
            coverage: &coverage,
            summary: &summary,
            service_targets: &[Some(TARGET), Some(TARGET)],
            gantt_day: None,
            generated_at: Utc
                .with_ymd_and_hms(2027, 3, 1, 12, 0, 0)
                .single()
                .ok_or("bad date")?,
            extra: Default::default(),
        },
    )?;
    for p in written {
        println!("{}", p.display());
    }
    // Re-derive coverage from roster.csv alone and check coverage.csv and requirements.csv.
    let queues: Vec<String> = demands.iter().map(|d| d.name.clone()).collect();
    let v = wfm::io::verify_outputs(
        std::path::Path::new(&out),
        &horizon,
        &sites,
        &routing,
        &queues,
    )?;
    eprintln!(
        "verified: {} shifts, {} coverage rows ({} staffed) agree with roster.csv",
        v.shifts, v.coverage_rows, v.staffed_rows
    );
    Ok(())
}
