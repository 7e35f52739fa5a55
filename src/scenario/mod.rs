//! Scenario files: everything `wfm plan` needs, in one JSON document, and the pipeline that
//! runs it (demand → plan → roster → evaluate → outputs).
//!
//! The format is documented field by field in `docs/scenario.md`. Loading validates
//! everything before any work starts: unknown fields are rejected, and every error names the
//! field path (`templates[1].breaks[0].window`), or the file and line of a CSV input.

pub mod agents;
mod backlog;
mod calendar;
pub mod check;
pub mod from_history;
pub mod queues;
mod run;
pub mod schedule;
mod shape;
pub mod simulate;
mod skills;

pub use agents::{AgentAssignment, AgentSpec, ContractSpec};
pub use calendar::SpecialDaySpec;
pub use check::{plan_checked, CheckSpec, Checked, Miss};
pub use from_history::ForecastSpec;
pub use queues::{PerInterval, QueueSpec, ServiceLevelSpec, TargetsSpec};
pub use run::{
    assign_agents, evaluate_roster, evaluate_roster_text, evaluate_roster_with, plan,
    EvaluateOptions, Outcome,
};
pub use simulate::{
    parse_roster_for, read_roster_for, simulate_outcome, simulate_roster, write_simulation,
    ReplaySpec, SimulateSpec, Simulated,
};

use crate::demand::Queue;
use crate::error::{Error, Result};
use crate::limits;
use crate::plan::{CoverageMode, PlanRules, SiteCap, SolveOptions};
use crate::roster::slots::SlotRules;
use crate::shifts::ShiftTemplate;
use crate::time::{parse_tz, Horizon, Site};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The planning horizon as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonSpec {
    /// First instant, RFC 3339 (e.g. `"2027-03-08T00:00:00Z"`).
    pub start: DateTime<Utc>,
    /// Interval length: 5, 10, 15, 30 or 60 minutes.
    pub interval_minutes: u32,
    /// Number of whole days.
    pub days: u32,
}

/// A site as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// Unique name.
    pub name: String,
    /// IANA time zone, e.g. `"Europe/London"`.
    pub zone: String,
    /// At most this many agents on shift at the site in any interval.
    #[serde(default)]
    pub max_per_interval: Option<u32>,
    /// At most this many shifts starting on any one local date at the site.
    #[serde(default)]
    pub max_per_day: Option<u32>,
    /// Special days (public holidays, campaigns, outages) in the site's local dates, for
    /// the queues of the site (see `docs/scenario.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_days: Vec<SpecialDaySpec>,
    /// A CSV of special days (`date,name[,multiplier]`, as `wfm forecast --special-days`
    /// reads it), relative to the scenario file; added to `special_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_days_csv: Option<String>,
}

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Optional pointer to `docs/scenario.schema.json`, for editors that validate JSON.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Title for reports and calendars.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The planning grid.
    pub horizon: HorizonSpec,
    /// Sites and their caps.
    pub sites: Vec<SiteSpec>,
    /// Queues with their forecasts and targets.
    pub queues: Vec<QueueSpec>,
    /// Shift templates (see [`ShiftTemplate`]).
    pub templates: Vec<ShiftTemplate>,
    /// Hard coverage (default) or soft with penalties.
    #[serde(default)]
    pub coverage: CoverageMode,
    /// Upper bound on the total cost of the shifts.
    #[serde(default)]
    pub budget: Option<f64>,
    /// Rules for numbered agents (rest, shifts per week).
    #[serde(default)]
    pub slots: SlotRules,
    /// Solver options.
    #[serde(default)]
    pub solve: SolveOptions,
    /// Named agents; when there are any, they work the plan's shifts instead of numbered
    /// slots (see [`agents`]).
    #[serde(default)]
    pub agents: Vec<AgentSpec>,
    /// Wall-clock limit in seconds for assigning the plan to named agents (default 10).
    #[serde(default = "agents::default_time_limit")]
    pub agents_time_limit_seconds: f64,
    /// Unit of costs, shown with every amount in the report (e.g. `"EUR"`, `"USD"`).
    #[serde(default)]
    pub currency: Option<String>,
    /// IANA zone the report draws its charts in (default: the first site's), with UTC
    /// beside it.
    #[serde(default)]
    pub report_zone: Option<String>,
}

/// A scenario checked and resolved: forecasts read, zones parsed, grid built.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Scenario title.
    pub name: String,
    /// The planning grid.
    pub horizon: Horizon,
    /// Sites with their zones.
    pub sites: Vec<Site>,
    /// Queues with their forecasts per interval.
    pub queues: Vec<Queue>,
    /// Shift templates.
    pub templates: Vec<ShiftTemplate>,
    /// Coverage mode, caps and budget.
    pub rules: PlanRules,
    /// Rules for numbered agents.
    pub slots: SlotRules,
    /// Solver options.
    pub solve: SolveOptions,
    /// Named agents (validated); empty: numbered slots.
    pub agents: Vec<AgentSpec>,
    /// Wall-clock limit in seconds for assigning the plan to named agents.
    pub agents_time_limit_seconds: f64,
    /// Unit of costs.
    pub currency: Option<String>,
    /// Zone of the report's charts (`None`: the first site's).
    pub report_zone: Option<chrono_tz::Tz>,
    /// Per queue, the site whose local time its rows carry: the first site (in scenario
    /// order) with a template serving it, else the first site.
    pub queue_sites: Vec<String>,
    /// Per queue, its targets in words, for the report.
    pub target_texts: Vec<String>,
    /// Per queue, the forecast behind its volume (source, method, quantiles, special days
    /// applied), for `forecast.csv` and the report's forecast band.
    pub forecasts: Vec<crate::io::PlannedForecast>,
    /// The files the scenario was read from: the scenario file itself (when loaded from a
    /// file) and its forecast CSVs. Outputs must never overwrite them.
    pub inputs: Vec<crate::io::InputFile>,
}

impl Scenario {
    /// Reads and validates a scenario file; CSV paths inside it are relative to its folder.
    /// The file may have at most [`limits::MAX_SCENARIO_BYTES`] bytes; every error that
    /// names a field also names the file (see [`Error::in_file`]).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
    /// than [`limits::MAX_SCENARIO_BYTES`], not UTF-8, or fails [`Scenario::parse`]; the errors of
    /// [`Scenario::prepare`], each naming the file too (`scenario.json: queues[0].volume`).
    pub fn load(path: &Path) -> Result<Prepared> {
        let shown = path.display().to_string();
        let text = limits::read_text(path, &shown, "scenario file", limits::MAX_SCENARIO_BYTES)?;
        let base: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut prepared = Scenario::parse(&text, &shown)?
            .prepare(&base)
            .map_err(|e| e.in_file(&shown))?;
        prepared
            .inputs
            .insert(0, crate::io::InputFile::new("scenario", path));
        Ok(prepared)
    }

    /// Parses scenario JSON. `file` names the source in errors, which carry the field path
    /// and the line of the JSON text. A UTF-8 byte-order mark at the start is skipped;
    /// anything but white space after the JSON object is an error.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming `file` and the line when the text does not start with a JSON object,
    /// is not valid JSON, has an unknown field or a value of the wrong type (the reason names the
    /// field path), or has anything but white space after the object; [`Error::Invalid`] naming
    /// `file` and the field path when a list is given where an object is expected.
    pub fn parse(text: &str, file: &str) -> Result<Scenario> {
        let text = limits::strip_bom(text);
        if let Some(c) = text.trim_start().chars().next().filter(|&c| c != '{') {
            let line = text.len() - text.trim_start().len();
            let line = text[..line].matches('\n').count() + 1;
            return Err(Error::parse(
                file,
                line,
                format!("a scenario is one JSON object {{ ... }}, but the text starts with {c:?}"),
            ));
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            // Syntax errors have no complete path: drop the unknown last segment.
            let path = e.path().to_string();
            let path = path.strip_suffix(".?").unwrap_or(&path).to_string();
            let inner = e.into_inner();
            let line = inner.line();
            let reason = if path.is_empty() || path == "." {
                plain_serde(&inner.to_string())
            } else {
                format!("{path}: {}", plain_serde(&inner.to_string()))
            };
            Error::parse(file, line, reason)
        })?;
        de.end().map_err(|e| {
            Error::parse(
                file,
                e.line(),
                "unexpected text after the end of the scenario's JSON object",
            )
        })?;
        // The JSON reader fills an object's fields from a list in field order
        // (`"solve": [5]`); such a list is refused, not read by position. The places that
        // are objects are those the scenario writes back as objects.
        shape::lists_for_objects(text, &scenario).map_err(|path| {
            Error::invalid(
                format!("{file}: {path}"),
                "invalid type: list, expected an object { ... }",
            )
        })?;
        // A voice channel has no field but `kind`, which the JSON reader does not check.
        shape::voice_channel_fields(text)
            .map_err(|(path, reason)| Error::invalid(format!("{file}: {path}"), reason))?;
        Ok(scenario)
    }

    /// Checks the scenario and resolves its forecasts (relative to `base`).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the field: `horizon.days` above [`limits::MAX_HORIZON_DAYS`] or 0,
    /// `horizon.interval_minutes` not 5, 10, 15, 30 or 60, `horizon.start` off a whole minute or
    /// off the interval grid (in UTC and at every site); `sites` empty, `sites[i].name` empty or
    /// repeated, `sites[i].max_per_interval` or `max_per_day` above [`limits::MAX_AGENTS`];
    /// `sites`, `queues` or `templates` longer than [`limits::MAX_SITES`],
    /// [`limits::MAX_SCENARIO_QUEUES`] or [`limits::MAX_TEMPLATES`];
    /// `queues` empty, `queues[i].name` empty or repeated, and the queue's own fields (see
    /// [`QueueSpec::to_queue`]); `templates` empty, `templates[i].…` as
    /// [`crate::shifts::ShiftTemplate::validate`] checks them, `templates[i].site` not a site,
    /// `templates[i].skills` or `.queue` not naming the scenario's queues; `slots.min_rest_hours`
    /// not in `[0, `[`limits::MAX_REST_HOURS`]`]`, `slots.max_shifts_per_week` 0;
    /// `agents_time_limit_seconds` and `agents[i].…` (name, site, skills, contract hours and days,
    /// requests); `currency` empty, longer than 8 characters or with control characters.
    /// [`Error::UnknownTimeZone`] naming `sites[i].zone` or `report_zone` when not an IANA name.
    /// [`Error::Io`] or [`Error::Parse`] from reading a queue's `forecast_csv` (see
    /// [`queues::read_forecast_csv_column`]). For special days and queues forecast from history:
    /// [`Error::Invalid`] naming `sites[i].special_days[k].date`, `.name` or `.multiplier` when
    /// not a date, empty or not a finite number ≥ 0, the day's place when a date is listed twice
    /// or a day in the horizon cannot be forecast (no multiplier for an inline volume; neither a
    /// multiplier nor a past occurrence in the history), `queues[i].site` when it names no site or
    /// a queue's site is needed and not decided, `queues[i].forecast_csv` when its site has a
    /// special day in the horizon, `queues[i].history_csv` when the history does not fit the
    /// horizon's grid, holds less than a week or cannot be forecast, `queues[i].forecast.method`
    /// or `.forecast.quantile` when unknown; [`Error::Io`] naming `sites[i].special_days_csv` or
    /// `queues[i].history_csv` and the file when it cannot be read; [`Error::Parse`] naming the
    /// file and line for a bad row of either, or a history row at or after the horizon start.
    pub fn prepare(&self, base: &Path) -> Result<Prepared> {
        // The solve's options first: a bad time limit or gap is refused before any CSV is
        // read or any staffing is computed.
        self.solve.validate()?;
        if self.horizon.days > limits::MAX_HORIZON_DAYS {
            return Err(Error::invalid(
                "horizon.days",
                format!(
                    "must be at most {} days, got {}",
                    limits::MAX_HORIZON_DAYS,
                    self.horizon.days
                ),
            ));
        }
        let horizon = Horizon::days(
            self.horizon.start,
            self.horizon.interval_minutes,
            self.horizon.days,
        )
        .map_err(|e| prefix(e, "horizon"))?;
        if self.sites.is_empty() {
            return Err(Error::invalid("sites", "at least one site is needed"));
        }
        // Sizes first, so that an absurd list is refused before any work on it.
        for (field, n, max) in [
            ("sites", self.sites.len(), limits::MAX_SITES),
            ("queues", self.queues.len(), limits::MAX_SCENARIO_QUEUES),
            ("templates", self.templates.len(), limits::MAX_TEMPLATES),
        ] {
            if n > max {
                return Err(Error::invalid(
                    field,
                    format!("at most {max} (the input limit), got {n}"),
                ));
            }
        }
        limits::check_name("name", &self.name)?;
        let mut sites = Vec::with_capacity(self.sites.len());
        let mut site_names = HashSet::with_capacity(self.sites.len());
        let mut caps = Vec::new();
        for (i, s) in self.sites.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(Error::invalid(
                    format!("sites[{i}].name"),
                    "must not be empty",
                ));
            }
            limits::check_name(&format!("sites[{i}].name"), &s.name)?;
            if !site_names.insert(s.name.as_str()) {
                return Err(Error::invalid(
                    format!("sites[{i}].name"),
                    format!("duplicate site {:?}", s.name),
                ));
            }
            let tz = parse_tz(&format!("sites[{i}].zone"), &s.zone)?;
            sites.push(Site {
                name: s.name.clone(),
                tz,
            });
            if s.max_per_interval.is_some() || s.max_per_day.is_some() {
                for (name, cap) in [
                    ("max_per_interval", s.max_per_interval),
                    ("max_per_day", s.max_per_day),
                ] {
                    if cap.is_some_and(|c| c > limits::MAX_AGENTS) {
                        return Err(Error::invalid(
                            format!("sites[{i}].{name}"),
                            format!("must be at most {} agents", limits::MAX_AGENTS),
                        ));
                    }
                }
                caps.push(SiteCap {
                    site: s.name.clone(),
                    max_per_interval: s.max_per_interval,
                    max_per_day: s.max_per_day,
                });
            }
        }
        check_start_on_grid(&horizon, &sites)?;
        if self.queues.is_empty() {
            return Err(Error::invalid("queues", "at least one queue is needed"));
        }
        let calendars = self
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| calendar::site_calendar(i, s, base))
            .collect::<Result<Vec<_>>>()?;
        let mut queues = Vec::with_capacity(self.queues.len());
        let mut forecasts = Vec::with_capacity(self.queues.len());
        let mut resolved_sites = Vec::with_capacity(self.queues.len());
        let mut queue_names = HashSet::with_capacity(self.queues.len());
        let serving = calendar::Serving::new(self);
        // The first site with special days in the horizon: a queue whose site is not known
        // must then name it (see below).
        let with_days = sites.iter().enumerate().find(|(k, s)| {
            calendars
                .get(*k)
                .is_some_and(|c| !c.in_horizon(s, &horizon).is_empty())
        });
        for (i, q) in self.queues.iter().enumerate() {
            if q.name.trim().is_empty() {
                return Err(Error::invalid(
                    format!("queues[{i}].name"),
                    "must not be empty",
                ));
            }
            limits::check_name(&format!("queues[{i}].name"), &q.name)?;
            if !queue_names.insert(q.name.as_str()) {
                return Err(Error::invalid(
                    format!("queues[{i}].name"),
                    format!("duplicate queue {:?}", q.name),
                ));
            }
            let site = calendar::queue_site(self, i, &serving)?;
            let ctx = queues::QueueContext {
                site: site.and_then(|k| sites.get(k).map(|s| (k, s))),
                calendar: site
                    .and_then(|k| calendars.get(k))
                    .filter(|c| !c.is_empty()),
                ambiguous: calendar::candidate_sites(self, i, &serving),
            };
            if site.is_none() && q.history_csv.is_none() {
                // A calendar that might apply: the site must be named.
                if let Some((k, _)) = with_days {
                    return Err(Error::invalid(
                        format!("queues[{i}].site"),
                        format!(
                            "site {:?} has special days in the horizon, and the queue's site is not known ({}): name it",
                            sites[k].name, ctx.ambiguous
                        ),
                    ));
                }
            }
            let (queue, planned) = q.to_queue_in(i, &horizon, base, &ctx)?;
            queues.push(queue);
            forecasts.push(planned);
            resolved_sites.push(site);
        }
        if self.templates.is_empty() {
            return Err(Error::invalid(
                "templates",
                "at least one shift template is needed",
            ));
        }
        for (i, t) in self.templates.iter().enumerate() {
            t.validate(&format!("templates[{i}]"), &horizon)?;
            limits::check_name(&format!("templates[{i}].name"), &t.name)?;
            if !site_names.contains(t.site.as_str()) {
                return Err(Error::invalid(
                    format!("templates[{i}].site"),
                    format!("{:?} is not a site of this scenario", t.site),
                ));
            }
        }
        skills::validate(self)?;
        limits::check_range(
            "slots.min_rest_hours",
            self.slots.min_rest_hours,
            0.0,
            limits::MAX_REST_HOURS,
            " hours",
        )?;
        if self.slots.max_shifts_per_week == 0 {
            return Err(Error::invalid(
                "slots.max_shifts_per_week",
                "must be at least 1",
            ));
        }
        agents::validate(self, &horizon, &sites)?;
        if let Some(c) = &self.currency {
            let c = c.trim();
            if c.is_empty() || c.chars().count() > 8 || c.chars().any(char::is_control) {
                return Err(Error::invalid(
                    "currency",
                    format!(
                        "{c:?} is not a currency code or symbol (1 to 8 characters, e.g. \"EUR\")"
                    ),
                ));
            }
        }
        let report_zone = match &self.report_zone {
            Some(z) => Some(crate::time::parse_tz("report_zone", z)?),
            None => None,
        };
        let queue_sites = queues
            .iter()
            .zip(&resolved_sites)
            .map(|(q, given)| {
                if let Some(s) = given.and_then(|k| sites.get(k)) {
                    return s.name.clone();
                }
                serving
                    .serving(&q.name)
                    .first()
                    .and_then(|&k| sites.get(k))
                    .or(sites.first())
                    .map(|s| s.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        let target_texts = queues.iter().map(queues::targets_text).collect();
        Ok(Prepared {
            name: self.name.clone(),
            horizon,
            sites,
            queues,
            templates: skills::normalized(&self.templates),
            rules: PlanRules {
                coverage: self.coverage,
                site_caps: caps,
                budget: self.budget,
                cyclic: false,
            },
            slots: self.slots,
            solve: self.solve.clone(),
            agents: self.agents.clone(),
            agents_time_limit_seconds: self.agents_time_limit_seconds,
            currency: self.currency.as_ref().map(|c| c.trim().to_string()),
            report_zone,
            queue_sites,
            target_texts,
            forecasts,
            inputs: self
                .queues
                .iter()
                .filter_map(|q| q.forecast_csv.as_ref())
                .map(|f| crate::io::InputFile::new("forecast CSV", base.join(f)))
                .chain(
                    self.queues
                        .iter()
                        .filter_map(|q| q.history_csv.as_ref())
                        .map(|f| crate::io::InputFile::new("history CSV", base.join(f))),
                )
                .chain(
                    self.sites
                        .iter()
                        .filter_map(|s| s.special_days_csv.as_ref())
                        .map(|f| crate::io::InputFile::new("special days CSV", base.join(f))),
                )
                .collect(),
        })
    }
}

/// A JSON reader's message in the user's terms: Rust type names (`u32`, `struct Scenario
/// with 13 elements`) become the kind of value expected.
fn plain_serde(msg: &str) -> String {
    let mut out = msg.to_string();
    for (rust, plain) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number ≥ 0"),
        ("expected usize", "expected a whole number ≥ 0"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("floating point", "number"),
        ("invalid type: map", "invalid type: object"),
        ("invalid type: sequence", "invalid type: list"),
    ] {
        out = out.replace(rust, plain);
    }
    // "struct Name with 13 elements", "struct Name", "enum Name", "tuple struct Name".
    for kind in ["tuple struct ", "struct ", "enum "] {
        while let Some(at) = out.find(kind) {
            let rest = &out[at + kind.len()..];
            let mut end = rest
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            if let Some(tail) = rest[end..].strip_prefix(" with ") {
                if let Some(sp) = tail.find(" element") {
                    end += " with ".len() + sp + " element".len();
                    if rest[end..].starts_with('s') {
                        end += 1;
                    }
                }
            }
            let word = if kind == "enum " {
                "one of the documented values"
            } else {
                "an object"
            };
            out = format!("{}{word}{}", &out[..at], &rest[end..]);
        }
    }
    out
}

/// The horizon's start must lie on its interval grid, in UTC or in the local time of one of
/// the sites (a site at UTC+05:45 has its quarter hours at :00, :15, ... local time):
/// otherwise no shift could start on the grid, and the error would be blamed on the
/// templates' start windows.
fn check_start_on_grid(horizon: &Horizon, sites: &[Site]) -> Result<()> {
    let m = i64::from(horizon.interval_minutes());
    let start = horizon.start();
    let minute_of = |t: chrono::NaiveDateTime| {
        use chrono::Timelike;
        i64::from(t.hour()) * 60 + i64::from(t.minute())
    };
    let utc = minute_of(start.naive_utc());
    if utc % m == 0
        || sites
            .iter()
            .any(|s| minute_of(s.local(start).naive_local()) % m == 0)
    {
        return Ok(());
    }
    Err(Error::invalid(
        "horizon.start",
        format!(
            "{} is {} minutes past a {m}-minute boundary (in UTC and at every site); start the horizon on the {m}-minute grid",
            crate::time::fmt_utc(start),
            utc % m
        ),
    ))
}

fn prefix(e: Error, at: &str) -> Error {
    match e {
        Error::Invalid { field, reason } => Error::Invalid {
            field: format!("{at}.{field}"),
            reason,
        },
        other => other,
    }
}
