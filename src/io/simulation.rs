//! `simulation.csv` and `simulation.json`: what `wfm simulate` writes.

use super::csv_bytes;
use crate::error::{Error, Result};
use crate::simulate::{Estimate, Figures, SimResults};
use crate::time::fmt_utc;
use serde_json::{json, Value};

/// The figures of `simulation.csv`, in column order; each has `_ci_low` and `_ci_high`
/// columns after it.
pub const SIMULATION_FIGURES: [&str; 13] = [
    "offered",
    "answered",
    "abandoned",
    "answered_within",
    "still_waiting",
    "service_level",
    "asa_seconds",
    "wait_probability",
    "abandon_share",
    "occupancy",
    "backlog_end",
    "past_deadline_end",
    "late",
];

fn estimates(f: &Figures) -> [Estimate; 13] {
    [
        f.offered,
        f.answered,
        f.abandoned,
        f.answered_within,
        f.still_waiting,
        f.service_level,
        f.asa_seconds,
        f.wait_probability,
        f.abandon_share,
        f.occupancy,
        f.backlog_end,
        f.past_deadline_end,
        f.late,
    ]
}

fn num(x: f64) -> String {
    super::cells::fixed(x, 6)
}

/// `simulation.csv`: one row per interval and queue (intervals in time order, queues in
/// model order): `interval_start_utc,queue`, then per figure its mean over replications
/// and its 95 % interval (`service_level,service_level_ci_low,service_level_ci_high`, ...).
/// An undefined value (no contact offered, or one replication only for an interval) is an
/// empty cell.
///
/// # Errors
///
/// [`Error::Invalid`] naming `simulation of queue "NAME"` when a queue's results have fewer
/// intervals than the horizon.
pub fn simulation_csv(r: &SimResults) -> Result<String> {
    let mut header = vec!["interval_start_utc".to_string(), "queue".to_string()];
    for f in SIMULATION_FIGURES {
        header.push(f.to_string());
        header.push(format!("{f}_ci_low"));
        header.push(format!("{f}_ci_high"));
    }
    let mut rows = vec![header];
    let h = &r.horizon;
    for i in 0..h.len() {
        let at = fmt_utc(h.interval_start(i));
        for q in &r.queues {
            let f = q.intervals.get(i).ok_or_else(|| {
                Error::invalid(
                    format!("simulation of queue {:?}", q.name),
                    "has fewer intervals than the horizon",
                )
            })?;
            let mut row = vec![at.clone(), super::cells::text(&q.name).into_owned()];
            for e in estimates(f) {
                row.extend([num(e.mean), num(e.ci_low), num(e.ci_high)]);
            }
            rows.push(row);
        }
    }
    csv_bytes("simulation.csv", &rows)
}

fn est(e: &Estimate) -> Value {
    let v = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    json!({ "mean": v(e.mean), "ci_low": v(e.ci_low), "ci_high": v(e.ci_high) })
}

fn figures(f: &Figures) -> Value {
    let mut m = serde_json::Map::new();
    for (name, e) in SIMULATION_FIGURES.iter().zip(estimates(f)) {
        m.insert(name.to_string(), est(&e));
    }
    Value::Object(m)
}

/// `simulation.json`: the run (scenario, replications, seed, horizon), totals over the
/// horizon for all queues and per queue (each figure `{mean, ci_low, ci_high}`, `null`
/// where undefined), per agent duty and busy hours, utilisation, lost break and overtime
/// minutes, and minutes of time off the phones lost the same way. `replay` is `(contacts replayed, log contacts left out because they abandoned
/// before reaching the queue)` when a contact log was replayed.
///
/// # Errors
///
/// [`Error::Io`] naming `simulation.json` if the JSON cannot be serialised (not expected: every
/// value is plain data).
pub fn simulation_json(
    scenario: &str,
    r: &SimResults,
    replay: Option<(usize, usize)>,
) -> Result<String> {
    let queues: Vec<Value> = r
        .queues
        .iter()
        .map(|q| {
            json!({
                "queue": q.name,
                "total": figures(&q.total),
                "mean_waiting": est(&q.mean_waiting),
            })
        })
        .collect();
    let agents: Vec<Value> = r
        .agents
        .iter()
        .map(|a| {
            json!({
                "agent": a.name,
                "duty_hours": a.duty_hours,
                "busy_hours": est(&a.busy_hours),
                "utilisation": est(&a.utilisation),
                "lost_break_minutes": est(&a.lost_break_minutes),
                "overtime_minutes": est(&a.overtime_minutes),
                "late_off_phone_minutes": est(&a.late_off_phone_minutes),
            })
        })
        .collect();
    let replay = replay.map_or(
        Value::Null,
        |(n, out)| json!({ "contacts": n, "abandoned_before_queue": out }),
    );
    let v = json!({
        "scenario": scenario,
        "replay": replay,
        "replications": r.replications,
        "seed": r.seed,
        "confidence": 0.95,
        "horizon_start_utc": fmt_utc(r.horizon.start()),
        "horizon_end_utc": fmt_utc(r.horizon.end()),
        "interval_minutes": r.horizon.interval_minutes(),
        "total": figures(&r.total),
        "lost_break_hours": est(&r.lost_break_hours),
        "overtime_hours": est(&r.overtime_hours),
        "queues": queues,
        "agents": agents,
    });
    let mut s = serde_json::to_string_pretty(&v)
        .map_err(|e| Error::io("simulation.json", std::io::Error::other(e.to_string())))?;
    s.push('\n');
    Ok(s)
}
