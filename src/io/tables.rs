//! `requirements.csv`, `plan.csv` and `coverage.csv`.

use super::{cells, csv_bytes, site_of};
use crate::error::{Error, Result};
use crate::evaluate::{Coverage, QueueDemand};
use crate::time::{fmt_local, fmt_utc, Horizon, Site};
use chrono::{DateTime, Utc};

/// Columns of `requirements.csv`.
pub const REQUIREMENTS_COLUMNS: [&str; 5] = [
    "interval_start_utc",
    "queue",
    "volume",
    "aht_seconds",
    "required",
];

/// Columns of `plan.csv`.
pub const PLAN_COLUMNS: [&str; 5] = ["site", "template", "start_utc", "start_local", "count"];

/// Columns of `coverage.csv`.
pub const COVERAGE_COLUMNS: [&str; 7] = [
    "interval_start_utc",
    "queue",
    "required",
    "scheduled",
    "service_level",
    "asa_seconds",
    "occupancy",
];

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
/// scenario order within an interval.
pub fn requirements_csv(horizon: &Horizon, demands: &[QueueDemand]) -> Result<String> {
    let mut rows = vec![REQUIREMENTS_COLUMNS.map(String::from).to_vec()];
    for (q, d) in demands.iter().enumerate() {
        d.validate(&format!("queues[{q}]"), horizon)?;
    }
    for i in 0..horizon.len() {
        let at = fmt_utc(horizon.interval_start(i));
        for d in demands {
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
            ]);
        }
    }
    csv_bytes("requirements.csv", &rows)
}

/// `plan.csv`: one row per chosen candidate with its count, in the order given.
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

/// `coverage.csv`: one row per interval and queue (intervals in time order, queues in
/// scenario order). Fractions and seconds have six decimals; an unbounded ASA is an empty
/// cell.
/// With a simulation, the [`SIMULATED_COVERAGE_COLUMNS`] follow.
pub fn coverage_csv(coverage: &Coverage) -> Result<String> {
    let h = &coverage.horizon;
    let mut header = COVERAGE_COLUMNS.map(String::from).to_vec();
    if coverage.simulated.is_some() {
        header.extend(SIMULATED_COVERAGE_COLUMNS.map(String::from));
    }
    let mut rows = vec![header];
    for i in 0..h.len() {
        let at = fmt_utc(h.interval_start(i));
        for (k, q) in coverage.queues.iter().enumerate() {
            let Some(c) = q.cells.get(i) else {
                return Err(Error::invalid(
                    format!("coverage of queue {:?}", q.name),
                    "has fewer cells than the horizon has intervals",
                ));
            };
            let mut row = vec![
                at.clone(),
                cells::text(&q.name).into_owned(),
                c.required.to_string(),
                c.scheduled.to_string(),
                num6(c.kpi.service_level),
                num6(c.kpi.asa_seconds),
                num6(c.kpi.occupancy),
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
            rows.push(row);
        }
    }
    csv_bytes("coverage.csv", &rows)
}
