//! Checks a folder of outputs against itself: re-derives the scheduled agents of every
//! queue and interval from `roster.csv` alone (with [`recount_scheduled`], independent of
//! the planner and of the evaluator) and compares them, and the required agents, with
//! `coverage.csv` and `requirements.csv`. End-to-end tests run it on every bundled scenario;
//! a user can run it on a folder after editing files by hand.

use super::{
    parse_roster_routed, BACKLOG_COVERAGE_COLUMNS, COVERAGE_COLUMNS, REQUIREMENTS_COLUMNS,
    SIMULATED_COVERAGE_COLUMNS,
};
use crate::error::{Error, Result};
use crate::evaluate::{recount_scheduled, Routing};
use crate::time::{fmt_utc, Horizon, Site};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::Path;

/// What [`verify_outputs`] checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Rows of `roster.csv`.
    pub shifts: usize,
    /// Rows of `coverage.csv` (one per queue and interval).
    pub coverage_rows: usize,
    /// Rows of `coverage.csv` with at least one scheduled agent.
    pub staffed_rows: usize,
}

fn read(dir: &Path, name: &str) -> Result<(String, String)> {
    let path = dir.join(name);
    let shown = path.display().to_string();
    let text = crate::limits::read_text(
        &path,
        &shown,
        "output file",
        crate::limits::MAX_OUTPUT_FILE_BYTES,
    )?;
    Ok((shown, text))
}

/// Rows of a CSV file with the exact `columns`, with their 1-based line numbers.
fn table(file: &str, text: &str, columns: &[&str]) -> Result<Vec<(usize, Vec<String>)>> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_start_matches('\u{feff}').trim_end() == columns.join(",") => {}
        _ => {
            return Err(Error::parse(
                file,
                1,
                format!("header must be {}", columns.join(",")),
            ))
        }
    }
    let mut rows = Vec::new();
    for (k, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = r
            .records()
            .next()
            .and_then(|x| x.ok())
            .ok_or_else(|| Error::parse(file, k + 1, "not a CSV row"))?;
        if rec.len() != columns.len() {
            return Err(Error::parse(
                file,
                k + 1,
                format!("has {} fields, expected {}", rec.len(), columns.len()),
            ));
        }
        rows.push((k + 1, rec.iter().map(str::to_string).collect()));
    }
    Ok(rows)
}

fn field(row: &[String], k: usize) -> &str {
    row.get(k).map_or("", String::as_str)
}

fn interval(file: &str, line: usize, horizon: &Horizon, text: &str) -> Result<usize> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .and_then(|t| horizon.boundary_index(t))
        .filter(|&i| i < horizon.len())
        .ok_or_else(|| {
            Error::parse(
                file,
                line,
                format!("column interval_start_utc: {text:?} is not an interval of the horizon"),
            )
        })
}

fn count(file: &str, line: usize, column: &str, text: &str) -> Result<u32> {
    text.parse().map_err(|_| {
        Error::parse(
            file,
            line,
            format!("column {column}: {text:?} is not a count"),
        )
    })
}

/// Verifies `requirements.csv`, `roster.csv` and `coverage.csv` in `dir`: every queue and
/// interval appears once in each CSV, `required` agrees between the two, `scheduled` in
/// `coverage.csv` equals the recount from `roster.csv`, and the predicted KPIs are in range.
/// `queues` are the queue names in scenario order. The first disagreement is an
/// [`Error::Parse`] naming the file, line and column.
///
/// # Errors
///
/// [`Error::Io`] naming the file when `roster.csv`, `requirements.csv` or `coverage.csv` cannot be
/// read; the errors of [`super::parse_roster_routed`] and [`crate::evaluate::recount_scheduled`]
/// for the roster; [`Error::Parse`] naming the file, line and column when a header is not the
/// expected one, a row names an unknown queue or an interval off the horizon, repeats a queue and
/// interval, a count or KPI does not parse or is out of range, or `required` or `scheduled`
/// disagree with the other file or the recount; [`Error::Invalid`] naming the file when it has no
/// row for a queue and interval.
pub fn verify_outputs(
    dir: &Path,
    horizon: &Horizon,
    sites: &[Site],
    routing: &Routing,
    queues: &[String],
) -> Result<Verified> {
    let queue_index = |file: &str, line: usize, name: &str| {
        let name = super::cells::untext(name);
        queues.iter().position(|q| q == name).ok_or_else(|| {
            Error::parse(file, line, format!("column queue: {name:?} is not a queue"))
        })
    };
    let (roster_file, roster_text) = read(dir, "roster.csv")?;
    let roster = parse_roster_routed(&roster_text, &roster_file, sites, routing)?;
    let counts = recount_scheduled(horizon, queues.len(), routing, &roster)?;

    let (req_file, req_text) = read(dir, "requirements.csv")?;
    let mut required = BTreeMap::new();
    for (line, r) in table(&req_file, &req_text, &REQUIREMENTS_COLUMNS)? {
        let i = interval(&req_file, line, horizon, field(&r, 0))?;
        let q = queue_index(&req_file, line, field(&r, 1))?;
        let n = count(&req_file, line, "required", field(&r, 4))?;
        if required.insert((i, q), n).is_some() {
            return Err(Error::parse(
                &req_file,
                line,
                "repeats an interval and queue",
            ));
        }
    }

    let (cov_file, cov_text) = read(dir, "coverage.csv")?;
    let mut seen = BTreeMap::new();
    let mut staffed = 0;
    // With `--simulate`, the simulated service level follows the usual columns; with
    // backlog queues, the replay's columns come last.
    let mut cov_columns = COVERAGE_COLUMNS.to_vec();
    let header = cov_text
        .lines()
        .next()
        .map(|l| l.trim_start_matches('\u{feff}').trim_end())
        .unwrap_or("");
    let mut rest = header
        .strip_prefix(COVERAGE_COLUMNS.join(",").as_str())
        .unwrap_or("");
    let sim = format!(",{}", SIMULATED_COVERAGE_COLUMNS.join(","));
    if let Some(r) = rest.strip_prefix(sim.as_str()) {
        cov_columns.extend(SIMULATED_COVERAGE_COLUMNS);
        rest = r;
    }
    if rest == format!(",{}", BACKLOG_COVERAGE_COLUMNS.join(",")) {
        cov_columns.extend(BACKLOG_COVERAGE_COLUMNS);
    }
    for (line, r) in table(&cov_file, &cov_text, &cov_columns)? {
        let i = interval(&cov_file, line, horizon, field(&r, 0))?;
        let q = queue_index(&cov_file, line, field(&r, 1))?;
        let req = count(&cov_file, line, "required", field(&r, 2))?;
        let sch = count(&cov_file, line, "scheduled", field(&r, 3))?;
        if seen.insert((i, q), line).is_some() {
            return Err(Error::parse(
                &cov_file,
                line,
                "repeats an interval and queue",
            ));
        }
        if required.get(&(i, q)) != Some(&req) {
            return Err(Error::parse(
                &cov_file,
                line,
                format!(
                    "column required: {req} but requirements.csv says {}",
                    required
                        .get(&(i, q))
                        .map_or("nothing for this interval".to_string(), u32::to_string)
                ),
            ));
        }
        let recount = counts.get(q).and_then(|c| c.get(i)).copied().unwrap_or(0);
        if sch != recount {
            return Err(Error::parse(
                &cov_file,
                line,
                format!("column scheduled: {sch} but roster.csv has {recount} agents working"),
            ));
        }
        staffed += usize::from(sch > 0);
        let closed = field(&r, 8) == "0";
        for (k, column) in [(4, "service_level"), (5, "asa_seconds"), (6, "occupancy")] {
            // A closed interval has no service level or ASA; an unbounded ASA (the queue
            // grows without limit) is an empty cell too.
            if (closed && k != 6 || k == 5) && field(&r, k).is_empty() {
                continue;
            }
            let v: f64 = field(&r, k).parse().map_err(|_| {
                Error::parse(
                    &cov_file,
                    line,
                    format!("column {column}: {:?} is not a number", field(&r, k)),
                )
            })?;
            let ok = if k == 5 {
                v >= 0.0
            } else {
                (0.0..=1.0).contains(&v)
            };
            if !ok {
                return Err(Error::parse(
                    &cov_file,
                    line,
                    format!("column {column}: {v} is out of range"),
                ));
            }
        }
    }
    for i in 0..horizon.len() {
        for (q, name) in queues.iter().enumerate() {
            for (file, has) in [
                (&req_file, required.contains_key(&(i, q))),
                (&cov_file, seen.contains_key(&(i, q))),
            ] {
                if !has {
                    return Err(Error::invalid(
                        file.as_str(),
                        format!(
                            "no row for queue {name:?} at {}",
                            fmt_utc(horizon.interval_start(i))
                        ),
                    ));
                }
            }
        }
    }
    Ok(Verified {
        shifts: roster.len(),
        coverage_rows: seen.len(),
        staffed_rows: staffed,
    })
}
