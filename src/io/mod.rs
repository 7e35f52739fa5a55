//! Output files (and the roster reader): everything `wfm plan` and `wfm evaluate` write.
//!
//! | file | contents | writer |
//! |---|---|---|
//! | `requirements.csv` | `interval_start_utc,queue,volume,aht_seconds,required,interval_start_local` | [`requirements_csv`] |
//! | `forecast.csv` | `interval_start_utc,interval_start_local,site,queue,source,method,special_day,volume_planned,aht_seconds,volume`, then `volume_pNN` quantiles | [`forecast_csv`] |
//! | `plan.csv` | `site,template,start_utc,start_local,count` | [`plan_csv`] |
//! | `roster.csv` | `agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid`, then a read roster's extra columns | [`write_roster_csv`], read by [`read_roster_file`] |
//! | `coverage.csv` | `interval_start_utc,queue,required,scheduled,service_level,asa_seconds,occupancy,volume,open,interval_start_local` | [`coverage_csv`] |
//! | `kpis_long.csv` | `interval_start_utc,interval_start_local,site,queue,metric,value` | [`kpis_long_csv`] |
//! | `summary.json` | [`Summary`] | [`summary_json`] |
//! | `roster.ics` | RFC 5545 calendar, one event per agent-shift | [`roster_ics`] |
//! | `report.html` | self-contained page with SVG charts | [`report_html`] |
//! | `simulation.csv`, `simulation.json` | what `wfm simulate` measured | [`simulation_csv`], [`simulation_json`] |
//!
//! UTC timestamps are RFC 3339 with `Z`; local times are RFC 3339 with their offset. The
//! files are documented column by column in `docs/outputs.md`.
//!
//! The files are written as one set ([`write`](mod@write)): into a temporary folder beside
//! the output folder, then swapped into place, so that the set appears whole or not at all,
//! an error leaves the folder as it was, and no file the command read is ever overwritten.
//! A user's extra roster columns are written back ([`ExtraColumns`]).

pub mod cells;
mod forecast_table;
mod ics;
mod report;
mod roster;
mod simulation;
mod tables;
mod verify;
pub mod write;

pub use forecast_table::{forecast_csv, PlannedForecast, QuantileLine, FORECAST_COLUMNS};
pub use ics::{escape_text, push_folded, roster_ics, write_roster_ics};
pub use report::{esc as escape_html, report_html, ReportExtras, ReportInput, MAX_GANTT_BARS};
pub use roster::{
    parse_roster, parse_roster_file, parse_roster_routed, parse_roster_routed_lines, read_roster,
    read_roster_file, read_roster_routed, roster_csv, write_roster_csv, ExtraColumns, RosterFile,
    BREAK_PAID_COLUMN, MAX_ROSTER_BYTES, MAX_ROSTER_ROWS, ROSTER_COLUMNS,
};
pub use simulation::{simulation_csv, simulation_json, SIMULATION_FIGURES};
pub use tables::{
    coverage_csv, kpis_long_csv, plan_csv, requirements_csv, PlanRow, BACKLOG_COVERAGE_COLUMNS,
    BACKLOG_METRICS, COVERAGE_COLUMNS, KPIS_LONG_COLUMNS, PLAN_COLUMNS, REQUIREMENTS_COLUMNS,
    SIMULATED_COVERAGE_COLUMNS,
};
pub use verify::{verify_outputs, Verified};
pub use write::{
    check_out_dir, check_out_file, write_file_atomic, InputFile, Staging, OUTPUT_FILES,
};

use crate::error::{Error, Result};
use crate::evaluate::{AgentShifts, Coverage, QueueDemand, Summary};
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
///
/// # Errors
///
/// [`Error::Io`] naming `summary.json` if the summary cannot be serialised (not expected: every
/// field is plain data).
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
    pub roster: &'a AgentShifts,
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
    /// Local sites of the queues, unassigned shifts, money unit and target texts;
    /// `OutputExtras::default()` leaves them out.
    pub extra: OutputExtras<'a>,
}

/// What the outputs say beyond the numbers: where each queue is read in local time, the
/// planned shifts nobody took, the unit of money and each queue's targets in words.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputExtras<'a> {
    /// Per queue (scenario order), the site whose local time its rows carry: the first
    /// site with a template serving it. Empty or shorter: the first site.
    pub queue_sites: &'a [String],
    /// Planned shifts no named agent could take.
    pub unassigned: &'a [crate::shifts::ShiftInstance],
    /// Currency of costs (e.g. `EUR`), shown with every amount in the report.
    pub currency: Option<&'a str>,
    /// Per queue, its targets in words (`80 % in 20 s · occupancy ≤ 90 %`).
    pub targets: &'a [String],
    /// Zone the report draws in (`None`: the first site's).
    pub report_zone: Option<chrono_tz::Tz>,
    /// Per queue (scenario order), the forecast behind its volume, for `forecast.csv` and
    /// the report's forecast band; empty or shorter: the demand's volume, given inline.
    pub forecasts: &'a [PlannedForecast],
}

impl Outputs<'_> {
    /// The site whose local time queue `q`'s rows carry (see [`OutputExtras::queue_sites`]).
    pub fn queue_site(&self, q: usize) -> Option<&Site> {
        let name = self.extra.queue_sites.get(q);
        name.and_then(|n| self.sites.iter().find(|s| &s.name == n))
            .or_else(|| self.sites.first())
    }
}

/// Each queue's local zone and site name (see [`Outputs::queue_site`]).
fn queue_zones<'a>(o: &'a Outputs<'_>) -> (Vec<chrono_tz::Tz>, Vec<&'a str>) {
    let zones = (0..o.demands.len())
        .map(|q| o.queue_site(q).map_or(chrono_tz::Tz::UTC, |s| s.tz))
        .collect();
    let site_names = (0..o.demands.len())
        .map(|q| o.queue_site(q).map_or("", |s| s.name.as_str()))
        .collect();
    (zones, site_names)
}

/// The report's input: the run's tables and what it takes beyond them.
fn report_input<'a>(o: &'a Outputs<'_>) -> ReportInput<'a> {
    ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: o.coverage,
        roster: o.roster,
        sites: o.sites,
        service_targets: o.service_targets,
        gantt_day: o.gantt_day,
        generated_at: o.generated_at,
        extra: ReportExtras {
            currency: o.extra.currency,
            targets: o.extra.targets,
            unassigned: o.extra.unassigned,
            zone: o.extra.report_zone,
            demands: o.demands,
            forecasts: o.extra.forecasts,
        },
    }
}

/// Builds the contents of every output file, in memory: `(file name, contents)`.
///
/// # Errors
///
/// The errors of each file's writer: [`Error::Invalid`] naming `queues[q]…` for a demand that fails
/// [`QueueDemand::validate`], `plan[k].site` or `roster[k].site` for a site not in `o.sites`, a
/// roster entry that fails [`crate::evaluate::validate_entry`], `coverage of queue "NAME"` when the
/// coverage has fewer cells than the horizon, or `service_targets[k]` when a target is not a
/// fraction in (0, 1].
pub fn render_all(o: &Outputs<'_>) -> Result<Vec<(&'static str, String)>> {
    let (zones, site_names) = queue_zones(o);
    let mut files = vec![
        (
            "requirements.csv",
            requirements_csv(o.horizon, o.demands, &zones)?,
        ),
        (
            "forecast.csv",
            forecast_csv(o.horizon, o.demands, o.extra.forecasts, &zones, &site_names)?,
        ),
    ];
    if let Some(plan) = o.plan {
        files.push(("plan.csv", plan_csv(plan, o.sites)?));
    }
    files.push(("roster.csv", roster_csv(o.roster, o.sites)?));
    files.push(("coverage.csv", coverage_csv(o.coverage, o.demands, &zones)?));
    files.push((
        "kpis_long.csv",
        kpis_long_csv(o.coverage, o.demands, &site_names, &zones)?,
    ));
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
    files.push(("report.html", report_html(&report_input(o))?));
    Ok(files)
}

/// How [`write_all_with`] writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// Files the command read: none may be overwritten (nor removed as a stale output).
    pub inputs: &'a [InputFile],
    /// Columns of the roster file the command read that `wfm` does not use, written back
    /// after `break_paid` in `roster.csv` (aligned with the roster's rows).
    pub roster_extra: Option<&'a ExtraColumns>,
}

/// Writes every output file into `dir` (created if missing) as one set (see [`write`](mod@write)).
/// Returns the paths written.
///
/// # Errors
///
/// The errors of [`write_all_with`] with no inputs to protect.
pub fn write_all(dir: &Path, o: &Outputs<'_>) -> Result<Vec<PathBuf>> {
    write_all_with(dir, o, &WriteOptions::default())
}

/// [`write_all`] with options: the files the command read (never overwritten) and extra
/// roster columns to carry through. Each file is rendered and written in turn into the
/// temporary folder, so memory holds one file at a time (and `roster.csv` is streamed); an
/// error while rendering leaves `dir` as it was.
///
/// # Errors
///
/// The errors of rendering each file, as for [`render_all`] (then `dir` is left as it was);
/// [`Error::Invalid`] naming `dir` when it is a file, is (or holds a link to) one of `w.inputs`, or
/// is the root; [`Error::Invalid`] naming `roster extra columns` when `w.roster_extra` does not
/// have one value per row and column; [`Error::Io`] naming the folder or the file when a folder
/// cannot be created, a file cannot be written and flushed, or the set cannot be moved into place.
pub fn write_all_with(dir: &Path, o: &Outputs<'_>, w: &WriteOptions<'_>) -> Result<Vec<PathBuf>> {
    let (zones, site_names) = queue_zones(o);
    let mut stage = Staging::begin(dir, &OUTPUT_FILES, w.inputs)?;
    stage.put(
        "requirements.csv",
        requirements_csv(o.horizon, o.demands, &zones)?.as_bytes(),
    )?;
    stage.put(
        "forecast.csv",
        forecast_csv(o.horizon, o.demands, o.extra.forecasts, &zones, &site_names)?.as_bytes(),
    )?;
    if let Some(plan) = o.plan {
        stage.put("plan.csv", plan_csv(plan, o.sites)?.as_bytes())?;
    }
    let none = ExtraColumns::default();
    let extra = w.roster_extra.unwrap_or(&none);
    let mut roster_result = Ok(());
    stage.put_with("roster.csv", |out| {
        roster_result = write_roster_csv(out, o.roster, o.sites, extra);
        Ok(())
    })?;
    roster_result?;
    stage.put(
        "coverage.csv",
        coverage_csv(o.coverage, o.demands, &zones)?.as_bytes(),
    )?;
    stage.put(
        "kpis_long.csv",
        kpis_long_csv(o.coverage, o.demands, &site_names, &zones)?.as_bytes(),
    )?;
    stage.put("summary.json", summary_json(o.summary)?.as_bytes())?;
    let title = format!("{} roster", o.scenario);
    let mut ics_result = Ok(());
    stage.put_with("roster.ics", |out| {
        ics_result = write_roster_ics(out, o.roster, o.sites, &title, o.generated_at);
        Ok(())
    })?;
    ics_result?;
    stage.put("report.html", report_html(&report_input(o))?.as_bytes())?;
    stage.commit()
}

/// Writes `(name, contents)` files into `dir` (created if missing) as one set (see
/// [`write`](mod@write)): all or nothing. Names must be plain file names.
///
/// # Errors
///
/// [`Error::Invalid`] naming `file name` when a name is not a plain file name (a path, or starting
/// with `.`), or naming `dir` when it is a file or the root; [`Error::Io`] naming the folder or the
/// file when a folder cannot be created, a file cannot be written, or the set cannot be moved into
/// place.
pub fn write_files(dir: &Path, files: &[(&str, String)]) -> Result<Vec<PathBuf>> {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    write::write_set(dir, files, &names, &[])
}
