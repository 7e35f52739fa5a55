//! Output files (and the roster reader): everything `wfm plan` and `wfm evaluate` write.
//!
//! | file | contents | writer |
//! |---|---|---|
//! | `requirements.csv` | `interval_start_utc,queue,volume,aht_seconds,required` | [`requirements_csv`] |
//! | `plan.csv` | `site,template,start_utc,start_local,count` | [`plan_csv`] |
//! | `roster.csv` | `agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid` | [`roster_csv`], read by [`read_roster`] |
//! | `coverage.csv` | `interval_start_utc,queue,required,scheduled,service_level,asa_seconds,occupancy` | [`coverage_csv`] |
//! | `summary.json` | [`Summary`] | [`summary_json`] |
//! | `roster.ics` | RFC 5545 calendar, one event per agent-shift | [`roster_ics`] |
//! | `report.html` | self-contained page with SVG charts | [`report_html`] |
//! | `simulation.csv`, `simulation.json` | what `wfm simulate` measured | [`simulation_csv`], [`simulation_json`] |
//!
//! UTC timestamps are RFC 3339 with `Z`; local times are RFC 3339 with their offset. The
//! files are documented column by column in `docs/outputs.md`.
//!
//! Every file is built in memory first; then each is written to a temporary name in the
//! output folder and renamed into place ([`write_files`]), so an error never leaves a
//! half-written file, and an error while building leaves the folder untouched.

pub mod cells;
mod ics;
mod report;
mod roster;
mod simulation;
mod tables;
mod verify;

pub use ics::{escape_text, push_folded, roster_ics};
pub use report::{esc as escape_html, report_html, ReportInput};
pub use roster::{
    parse_roster, parse_roster_routed, parse_roster_routed_lines, read_roster, read_roster_routed,
    roster_csv, BREAK_PAID_COLUMN, ROSTER_COLUMNS,
};
pub use simulation::{simulation_csv, simulation_json, SIMULATION_FIGURES};
pub use tables::{
    coverage_csv, plan_csv, requirements_csv, PlanRow, COVERAGE_COLUMNS, PLAN_COLUMNS,
    REQUIREMENTS_COLUMNS, SIMULATED_COVERAGE_COLUMNS,
};
pub use verify::{verify_outputs, Verified};

use crate::error::{Error, Result};
use crate::evaluate::{Coverage, QueueDemand, Roster, Summary};
use crate::time::{Horizon, Site};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};

/// Serialises rows as RFC 4180 CSV (quoting where needed, `\n` line ends).
pub(crate) fn csv_bytes(file: &str, rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))
}

/// The site called `name`, or an error naming `field`.
pub(crate) fn site_of<'a>(sites: &'a [Site], name: &str, field: &str) -> Result<&'a Site> {
    sites.iter().find(|s| s.name == name).ok_or_else(|| {
        let known: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
        Error::invalid(
            field,
            format!("{name:?} is not a known site ({})", known.join(", ")),
        )
    })
}

/// `summary.json`: the summary as pretty-printed JSON (absent bounds and unbounded values
/// are `null`).
pub fn summary_json(summary: &Summary) -> Result<String> {
    let mut s = serde_json::to_string_pretty(summary)
        .map_err(|e| Error::io("summary.json", std::io::Error::other(e.to_string())))?;
    s.push('\n');
    Ok(s)
}

/// Everything the output files are made of. `plan` is `None` when evaluating a roster that
/// no plan produced (`wfm evaluate`): `plan.csv` is then not written.
#[derive(Debug, Clone, Copy)]
pub struct Outputs<'a> {
    /// Scenario name, for the report and calendar titles.
    pub scenario: &'a str,
    /// The planning grid.
    pub horizon: &'a Horizon,
    /// Sites with their zones.
    pub sites: &'a [Site],
    /// Volume, handle time and required agents per queue and interval.
    pub demands: &'a [QueueDemand],
    /// The plan's chosen candidates with counts, if there was a plan.
    pub plan: Option<&'a [PlanRow]>,
    /// The roster.
    pub roster: &'a Roster,
    /// The evaluated coverage of the roster.
    pub coverage: &'a Coverage,
    /// Headline numbers.
    pub summary: &'a Summary,
    /// Service level target per queue (fraction), for the report; may be empty.
    pub service_targets: &'a [Option<f64>],
    /// Local day of the report's Gantt charts (`None`: the busiest day per site).
    pub gantt_day: Option<NaiveDate>,
    /// When the files are produced (`DTSTAMP` of the calendar, the report's footer).
    pub generated_at: DateTime<Utc>,
}

/// Builds the contents of every output file, in memory: `(file name, contents)`.
pub fn render_all(o: &Outputs<'_>) -> Result<Vec<(&'static str, String)>> {
    let mut files = vec![("requirements.csv", requirements_csv(o.horizon, o.demands)?)];
    if let Some(plan) = o.plan {
        files.push(("plan.csv", plan_csv(plan, o.sites)?));
    }
    files.push(("roster.csv", roster_csv(o.roster, o.sites)?));
    files.push(("coverage.csv", coverage_csv(o.coverage)?));
    files.push(("summary.json", summary_json(o.summary)?));
    files.push((
        "roster.ics",
        roster_ics(
            o.roster,
            o.sites,
            &format!("{} roster", o.scenario),
            o.generated_at,
        )?,
    ));
    files.push((
        "report.html",
        report_html(&ReportInput {
            scenario: o.scenario,
            summary: o.summary,
            coverage: o.coverage,
            roster: o.roster,
            sites: o.sites,
            service_targets: o.service_targets,
            gantt_day: o.gantt_day,
            generated_at: o.generated_at,
        })?,
    ));
    Ok(files)
}

/// Builds every output file in memory, then writes them into `dir` (created if missing).
/// Returns the paths written.
pub fn write_all(dir: &Path, o: &Outputs<'_>) -> Result<Vec<PathBuf>> {
    let files = render_all(o)?;
    write_files(dir, &files)
}

/// Writes `(name, contents)` files into `dir` (created if missing), each to a temporary
/// name first and then renamed, so that no file is ever left half-written. Names must be
/// plain file names.
pub fn write_files(dir: &Path, files: &[(&str, String)]) -> Result<Vec<PathBuf>> {
    for (name, _) in files {
        let plain = Path::new(name).file_name().and_then(|f| f.to_str()) == Some(name);
        if !plain || name.starts_with('.') {
            return Err(Error::invalid(
                "file name",
                format!("{name:?} is not a plain file name"),
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, contents) in files {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let shown = path.display().to_string();
        if let Err(e) = std::fs::write(&tmp, contents) {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(shown, e));
        }
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(shown, e));
        }
        written.push(path);
    }
    Ok(written)
}
