//! `requirements.csv`, `plan.csv`, `coverage.csv` and `kpis_long.csv`.
//!
//! Rows that belong to a queue carry the interval's start in the local time of the queue's
//! site (`interval_start_local`), after the columns that were there first.

use super::{cells, csv_bytes, site_of};
use crate::error::{Error, Result};
use crate::evaluate::{Coverage, QueueDemand};
use crate::time::{fmt_local, fmt_utc, Horizon, Site};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Columns of `requirements.csv`.
pub const REQUIREMENTS_COLUMNS: [&str; 6] = [
    "interval_start_utc",
    "queue",
    "volume",
    "aht_seconds",
    "required",
    "interval_start_local",
];

/// Columns of `plan.csv`.
pub const PLAN_COLUMNS: [&str; 5] = ["site", "template", "start_utc", "start_local", "count"];

/// Columns of `coverage.csv`.
pub const COVERAGE_COLUMNS: [&str; 10] = [
    "interval_start_utc",
    "queue",
    "required",
    "scheduled",
    "service_level",
    "asa_seconds",
    "occupancy",
    "volume",
    "open",
    "interval_start_local",
];

/// Columns of `kpis_long.csv`, the long ("tidy") table of every interval KPI.
pub const KPIS_LONG_COLUMNS: [&str; 6] = [
    "interval_start_utc",
    "interval_start_local",
    "site",
    "queue",
    "metric",
    "value",
];

/// The zone of queue `q` (UTC when none is given).
fn zone(zones: &[Tz], q: usize) -> Tz {
    zones.get(q).copied().unwrap_or(Tz::UTC)
}

/// Whether an interval is open: contacts are forecast to arrive in it.
fn open(demand: Option<&QueueDemand>, i: usize) -> bool {
    demand
        .and_then(|d| d.volume.get(i))
        .is_some_and(|v| *v > 0.0)
}

/// One row of `plan.csv`: how many shifts of `template` at `site` start at `start_utc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// Site name.
    pub site: String,
    /// Shift template name.
    pub template: String,
    /// Start of the shifts (UTC); the local start is derived from the site's zone.
    pub start_utc: DateTime<Utc>,
    /// Number of such shifts chosen.
    pub count: u32,
}

/// Formats a fraction or a time for CSV: six decimals; an undefined (infinite) value is
/// an empty cell (see [`super::cells`]).
pub(crate) fn num6(x: f64) -> String {
    cells::fixed(x, 6)
}

/// `requirements.csv`: one row per interval and queue, intervals in time order and queues in
/// scenario order within an interval; `zones[q]` is queue `q`'s local zone.
///
/// # Errors
///
/// The errors of [`QueueDemand::validate`] for each demand (named `queues[q]`): a blank name, a
/// series whose length differs from the horizon's, a negative or non-finite volume, a handle time
/// not above 0 where there is volume.
pub fn requirements_csv(
    horizon: &Horizon,
    demands: &[QueueDemand],
    zones: &[Tz],
) -> Result<String> {
    let mut rows = vec![REQUIREMENTS_COLUMNS.map(String::from).to_vec()];
    for (q, d) in demands.iter().enumerate() {
        d.validate(&format!("queues[{q}]"), horizon)?;
    }
    for i in 0..horizon.len() {
        let t = horizon.interval_start(i);
        let at = fmt_utc(t);
        for (q, d) in demands.iter().enumerate() {
            let (Some(v), Some(a), Some(r)) =
                (d.volume.get(i), d.aht_seconds.get(i), d.required.get(i))
            else {
                return Err(Error::invalid(&d.name, "series shorter than the horizon"));
            };
            rows.push(vec![
                at.clone(),
                cells::text(&d.name).into_owned(),
                cells::number(*v, 3),
                cells::number(*a, 3),
                r.to_string(),
                fmt_local(t.with_timezone(&zone(zones, q))),
            ]);
        }
    }
    csv_bytes("requirements.csv", &rows)
}

/// `plan.csv`: one row per chosen candidate with its count, in the order given.
///
/// # Errors
///
/// [`Error::Invalid`] naming `plan[k].site` when a row's site is not in `sites`.
pub fn plan_csv(plan: &[PlanRow], sites: &[Site]) -> Result<String> {
    let mut rows = vec![PLAN_COLUMNS.map(String::from).to_vec()];
    for (k, p) in plan.iter().enumerate() {
        let site = site_of(sites, &p.site, &format!("plan[{k}].site"))?;
        rows.push(vec![
            cells::text(&p.site).into_owned(),
            cells::text(&p.template).into_owned(),
            fmt_utc(p.start_utc),
            fmt_local(site.local(p.start_utc)),
            p.count.to_string(),
        ]);
    }
    csv_bytes("plan.csv", &rows)
}

/// Columns `coverage.csv` adds after [`COVERAGE_COLUMNS`] when the coverage holds a
/// simulation (`wfm plan --simulate`): simulated service level and its 95 % interval
/// (empty where undefined).
pub const SIMULATED_COVERAGE_COLUMNS: [&str; 3] = [
    "simulated_service_level",
    "simulated_sl_ci_low",
    "simulated_sl_ci_high",
];

/// Columns `coverage.csv` adds after the others when some queue carries backlog work: the
/// replay of the roster per interval (items waiting at the interval's end, the most that may
/// wait with none late, items that became late, handling hours waiting and done, the
/// scheduled agents the roster leaves the queue); empty for live queues.
pub const BACKLOG_COVERAGE_COLUMNS: [&str; 6] = [
    "backlog_items_waiting",
    "backlog_items_allowed",
    "backlog_late_items",
    "backlog_work_waiting_hours",
    "backlog_work_done_hours",
    "backlog_capacity_agents",
];

/// The values of [`BACKLOG_COVERAGE_COLUMNS`] for queue `k` in interval `i` (`None` for a
/// live queue), in that order.
fn backlog_values(coverage: &Coverage, k: usize, i: usize) -> Option<[f64; 6]> {
    let c = coverage.backlog.iter().find(|c| c.queue == k)?;
    let at = |v: &Vec<f64>| v.get(i).copied().unwrap_or(0.0);
    Some([
        at(&c.items_waiting),
        at(&c.items_allowed),
        at(&c.late_items),
        at(&c.work_waiting_hours),
        at(&c.work_done_hours),
        at(&c.capacity),
    ])
}

/// `coverage.csv`: one row per interval and queue (intervals in time order, queues in
/// scenario order). Fractions and seconds have six decimals; an unbounded ASA is an empty
/// cell. `volume` is the offered contacts of `demands` (same queue order); an interval
/// without contacts is closed (`open` 0) and has empty service level and ASA: nothing to
/// answer.
/// With a simulation, the [`SIMULATED_COVERAGE_COLUMNS`] follow; with backlog queues, the
/// [`BACKLOG_COVERAGE_COLUMNS`] come last.
///
/// # Errors
///
/// [`Error::Invalid`] naming `coverage of queue "NAME"` when a queue has fewer cells than the
/// horizon has intervals.
pub fn coverage_csv(coverage: &Coverage, demands: &[QueueDemand], zones: &[Tz]) -> Result<String> {
    let h = &coverage.horizon;
    let mut header = COVERAGE_COLUMNS.map(String::from).to_vec();
    if coverage.simulated.is_some() {
        header.extend(SIMULATED_COVERAGE_COLUMNS.map(String::from));
    }
    let with_backlog = !coverage.backlog.is_empty();
    if with_backlog {
        header.extend(BACKLOG_COVERAGE_COLUMNS.map(String::from));
    }
    let mut rows = vec![header];
    for i in 0..h.len() {
        let t = h.interval_start(i);
        let at = fmt_utc(t);
        for (k, q) in coverage.queues.iter().enumerate() {
            let Some(c) = q.cells.get(i) else {
                return Err(Error::invalid(
                    format!("coverage of queue {:?}", q.name),
                    "has fewer cells than the horizon has intervals",
                ));
            };
            let d = demands.get(k);
            let is_open = open(d, i);
            let if_open = |x: f64| if is_open { num6(x) } else { String::new() };
            let mut row = vec![
                at.clone(),
                cells::text(&q.name).into_owned(),
                c.required.to_string(),
                c.scheduled.to_string(),
                if_open(c.kpi.service_level),
                if_open(c.kpi.asa_seconds),
                num6(c.kpi.occupancy),
                d.and_then(|d| d.volume.get(i))
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                u8::from(is_open).to_string(),
                fmt_local(t.with_timezone(&zone(zones, k))),
            ];
            if let Some(sim) = &coverage.simulated {
                let v = sim
                    .service_level
                    .get(k)
                    .and_then(|r| r.get(i))
                    .copied()
                    .unwrap_or_default();
                for x in [v.mean, v.ci_low, v.ci_high] {
                    row.push(x.map(num6).unwrap_or_default());
                }
            }
            if with_backlog {
                match backlog_values(coverage, k, i) {
                    Some(v) => row.extend(v.map(num6)),
                    None => row.extend(BACKLOG_COVERAGE_COLUMNS.map(|_| String::new())),
                }
            }
            rows.push(row);
        }
    }
    csv_bytes("coverage.csv", &rows)
}

/// Metrics `kpis_long.csv` adds for backlog queues, after the others: the
/// [`BACKLOG_COVERAGE_COLUMNS`] in their order, the items waiting under its old name
/// `backlog`.
pub const BACKLOG_METRICS: [&str; 6] = [
    "backlog",
    "backlog_items_allowed",
    "backlog_late_items",
    "backlog_work_waiting_hours",
    "backlog_work_done_hours",
    "backlog_capacity_agents",
];

/// `kpis_long.csv`: every interval KPI of every queue as one row
/// `interval_start_utc, interval_start_local, site, queue, metric, value`, the long layout
/// BI tools load without reshaping. Metrics, in this order per queue and interval:
/// `volume`, `aht_seconds`, `required`, `scheduled`, `open` (1 or 0), `service_level`,
/// `asa_seconds`, `occupancy`, and for backlog queues the [`BACKLOG_METRICS`] (the replay of
/// the roster). `value` is a plain decimal number; it is empty where the
/// metric has no value (service level and ASA of a closed interval, an unbounded ASA), so
/// the column loads as numbers. `sites[q]` names queue `q`'s local site, `zones[q]` its zone.
///
/// # Errors
///
/// [`Error::Invalid`] naming `coverage of queue "NAME"` when a queue has fewer cells than the
/// horizon has intervals.
pub fn kpis_long_csv(
    coverage: &Coverage,
    demands: &[QueueDemand],
    sites: &[&str],
    zones: &[Tz],
) -> Result<String> {
    let h = &coverage.horizon;
    let mut rows = vec![KPIS_LONG_COLUMNS.map(String::from).to_vec()];
    let num = |x: f64| {
        if x.is_finite() {
            format!("{x:.6}")
        } else {
            String::new()
        }
    };
    for i in 0..h.len() {
        let t = h.interval_start(i);
        let at = fmt_utc(t);
        for (k, q) in coverage.queues.iter().enumerate() {
            let Some(c) = q.cells.get(i) else {
                return Err(Error::invalid(
                    format!("coverage of queue {:?}", q.name),
                    "has fewer cells than the horizon has intervals",
                ));
            };
            let d = demands.get(k);
            let is_open = open(d, i);
            let local = fmt_local(t.with_timezone(&zone(zones, k)));
            let site = sites.get(k).copied().unwrap_or("");
            let get = |v: Option<&Vec<f64>>| {
                v.and_then(|v| v.get(i))
                    .map(|x| num(*x))
                    .unwrap_or_default()
            };
            let if_open = |x: f64| if is_open { num(x) } else { String::new() };
            for (metric, value) in [
                ("volume", get(d.map(|d| &d.volume))),
                ("aht_seconds", get(d.map(|d| &d.aht_seconds))),
                ("required", c.required.to_string()),
                ("scheduled", c.scheduled.to_string()),
                ("open", u8::from(is_open).to_string()),
                ("service_level", if_open(c.kpi.service_level)),
                ("asa_seconds", if_open(c.kpi.asa_seconds)),
                ("occupancy", num(c.kpi.occupancy)),
            ]
            .into_iter()
            .chain(c.backlog.map(|b| ("backlog", num(b))))
            .chain(
                backlog_values(coverage, k, i)
                    .into_iter()
                    .flat_map(|v| BACKLOG_METRICS.into_iter().zip(v.map(num)).skip(1)),
            ) {
                rows.push(vec![
                    at.clone(),
                    local.clone(),
                    cells::text(site).into_owned(),
                    cells::text(&q.name).into_owned(),
                    metric.to_string(),
                    value,
                ]);
            }
        }
    }
    csv_bytes("kpis_long.csv", &rows)
}
