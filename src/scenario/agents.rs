//! Named agents in a scenario: their description (`agents` in the scenario file), its
//! validation, and the assignment of a plan's shifts to them with the rostering solver.
//!
//! # Model
//! The plan says how many agents work each concrete shift; that count becomes the cover of a
//! [`roster::Problem`]:
//! - **Days.** Day 0 is the earliest local date at the horizon's start over all sites; the
//!   last day is the latest local date just before the horizon's end over all sites. A shift
//!   belongs to the local date of its start at its own site, and an agent's `days_off` are
//!   local dates at the agent's site. An agent works at one site, so "one shift per day",
//!   consecutive days and weekends are all counted in that site's calendar; sites in
//!   different zones simply share day numbers for equal calendar dates.
//! - **Shift types.** The planned shifts of one day are grouped by (site, template, paid
//!   minutes) and ranked by start (then end, then breaks); type *k* of a group is the *k*-th
//!   distinct shift of that group on each day (absent on days with fewer). Each type carries
//!   the concrete [`ShiftInstance`] of every day, so minimum rest is measured between real
//!   UTC instants (time zones and DST included). Ranking keeps the number of types at the
//!   largest number of distinct shifts of a template on one day, well under the solver's
//!   limit of 64, where one type per distinct start time would exceed it.
//! - **Cover.** Each (day, type) with a shift wants exactly the plan's count: under-cover
//!   and over-cover both weigh [`COVER_WEIGHT`] per agent (a missing agent is a real gap; an
//!   extra one is a shift the plan did not ask for). A (day, type) with no shift wants 0 at
//!   the same weight.
//! - **Eligibility.** The type's site must be the agent's site and its template's queue one
//!   of the agent's skills (default: every queue served by a template of the agent's site);
//!   a multi-skill template needs all of its queues among the agent's skills.
//! - **Off-requests** (`off_requests`: a date, optionally a template, a weight up to
//!   [`MAX_REQUEST_WEIGHT`]) become the problem's shift-off requests for every type with a
//!   shift that day (of that template); an agent works at most one shift a day, so a wish
//!   not granted costs its weight once.
//! - **Contracts** map to [`roster::Contract`]: minimum and maximum
//!   hours (paid minutes), maximum and minimum consecutive working days, minimum
//!   consecutive days off, maximum weekends (Saturday or Sunday, local) and minimum rest.
//!
//! Every hard rule is kept ([`roster::check`] verifies the answer).
//! Planned shifts left without an agent are returned as `unassigned`; shifts an agent had to
//! take beyond the plan (only a contract's minimum hours can force that) are kept and
//! counted as `surplus`; a forced assignment to a (day, type) with no real shift cannot be
//! worked, and is an [`Error::Infeasible`] naming the agents.

mod validate;

pub(crate) use validate::{first_seen, validate};

use crate::error::{Error, Result};
use crate::plan::PlannedShift;
use crate::roster::{self, Contract, Cover, Employee, Problem, ShiftType};
use crate::shifts::ShiftInstance;
use crate::time::{Horizon, Site};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Penalty per agent of cover above or below a planned shift's count.
pub const COVER_WEIGHT: u32 = 10_000;

/// A named agent as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// Unique name; it is the `agent` column of `roster.csv`.
    pub name: String,
    /// The site the agent works at.
    pub site: String,
    /// Queues the agent can serve; default (absent): every queue of the site's templates.
    #[serde(default)]
    pub skills: Option<Vec<String>>,
    /// Working-time rules.
    #[serde(default)]
    pub contract: ContractSpec,
    /// Local dates (at the agent's site) the agent does not work.
    #[serde(default)]
    pub days_off: Vec<NaiveDate>,
    /// Soft wishes not to work on a date (or not a given template on it).
    #[serde(default)]
    pub off_requests: Vec<OffRequestSpec>,
    /// Soft wish to start shifts within a local time window.
    #[serde(default)]
    pub preferred_start: Option<super::schedule::PreferredStartSpec>,
    /// Shifts already published to the agent, kept as they are.
    #[serde(default)]
    pub fixed_shifts: Vec<super::schedule::FixedShiftSpec>,
}

/// A soft wish of an agent not to work: penalised by `weight` when the agent works on
/// `date` (a shift of `template`, when given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffRequestSpec {
    /// Local date at the agent's site.
    pub date: NaiveDate,
    /// Only shifts of this template (of the agent's site); default: any shift.
    #[serde(default)]
    pub template: Option<String>,
    /// Penalty when the wish is not granted, 1 to [`MAX_REQUEST_WEIGHT`] (default 1).
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// Largest weight of an off-request: a tenth of [`COVER_WEIGHT`], so no wish ever leaves a
/// planned shift open.
pub const MAX_REQUEST_WEIGHT: u32 = COVER_WEIGHT / 10;

/// An agent's contract as written in a scenario. Every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContractSpec {
    /// Minimum paid hours over the horizon (default 0).
    pub min_hours: f64,
    /// Maximum paid hours over the horizon (default: no limit).
    pub max_hours: Option<f64>,
    /// Longest run of consecutive working days (default 6).
    pub max_consecutive_days: u32,
    /// Shortest run of working days not touching the horizon's ends (default 1).
    pub min_consecutive_days: u32,
    /// Shortest run of days off not touching the horizon's ends (default 1).
    pub min_consecutive_days_off: u32,
    /// Most weekends with a Saturday or Sunday shift (default: no limit).
    pub max_weekends: Option<u32>,
    /// Least hours between the end of a shift and the start of the next (default 11).
    pub min_rest_hours: f64,
    /// Shift-start consistency (hard): within each local week (Monday to Sunday) every
    /// shift starts within ± this many minutes of one local time of day, i.e. the latest
    /// start is at most twice this after the earliest (default: no limit; at most 720).
    pub start_tolerance_minutes: Option<u32>,
    /// Rotating weekends (hard): at most `work` weekends with a shift in any `of`
    /// consecutive weekends (default: no limit).
    pub rotating_weekends: Option<super::schedule::RotatingWeekends>,
    /// The only templates the agent works, e.g. the night template of a night contract
    /// (default: every template of the agent's site its skills allow).
    pub templates: Option<Vec<String>>,
    /// Balance of hours across agents (soft): each agent costs `weight × (paid hours)²`,
    /// 0 to [`MAX_BALANCE_HOURS_WEIGHT`](super::schedule::MAX_BALANCE_HOURS_WEIGHT) (default
    /// 0: off). Over a group of agents with the
    /// same weight this is `weight × (Σ (hours − mean)² + n × mean²)`: for the group's
    /// total it is least when every agent works the mean.
    pub balance_hours_weight: f64,
    /// Balance of weekends across agents (soft): each agent costs
    /// `weight × (weekends worked)²`, 0 to [`MAX_REQUEST_WEIGHT`] (default 0: off).
    pub balance_weekends_weight: f64,
}

impl Default for ContractSpec {
    fn default() -> Self {
        ContractSpec {
            min_hours: 0.0,
            max_hours: None,
            max_consecutive_days: 6,
            min_consecutive_days: 1,
            min_consecutive_days_off: 1,
            max_weekends: None,
            min_rest_hours: 11.0,
            start_tolerance_minutes: None,
            rotating_weekends: None,
            templates: None,
            balance_hours_weight: 0.0,
            balance_weekends_weight: 0.0,
        }
    }
}

/// Default of `agents_time_limit_seconds`.
pub(crate) fn default_time_limit() -> f64 {
    10.0
}

/// The result of assigning a plan to named agents.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentAssignment {
    /// One entry per agent-shift, `(agent name, shift)`, in start order.
    pub roster: Vec<(String, ShiftInstance)>,
    /// Planned shifts no agent could take (one entry per missing agent), in start order.
    pub unassigned: Vec<ShiftInstance>,
    /// Shifts in `roster` beyond the plan's count (forced by contracts' minimum hours).
    pub surplus: usize,
}

/// The local dates of `site` on which shifts of the horizon can start.
fn site_dates(h: &Horizon, site: &Site) -> (NaiveDate, NaiveDate) {
    let first = site.local(h.start()).date_naive();
    let last = site.local(h.end() - Duration::seconds(1)).date_naive();
    (first, last)
}

/// Day 0 and the number of days (see the module docs).
fn calendar(h: &Horizon, sites: &[Site]) -> Result<(NaiveDate, usize)> {
    let mut range: Option<(NaiveDate, NaiveDate)> = None;
    for s in sites {
        let (a, b) = site_dates(h, s);
        range = Some(match range {
            None => (a, b),
            Some((x, y)) => (x.min(a), y.max(b)),
        });
    }
    let (first, last) = range.ok_or_else(|| Error::invalid("sites", "no site"))?;
    let days = usize::try_from((last - first).num_days() + 1)
        .map_err(|_| Error::invalid("horizon", "empty calendar"))?;
    Ok((first, days))
}

fn hours(field: &str, h: f64) -> Result<u32> {
    if !h.is_finite() || h < 0.0 {
        return Err(Error::invalid(
            field,
            format!("must be a number ≥ 0, got {h}"),
        ));
    }
    let m = (h * 60.0).round();
    if m > f64::from(u32::MAX) {
        return Err(Error::invalid(field, format!("{h} hours is too large")));
    }
    Ok(m as u32)
}

/// Planned shifts are grouped by (site, template, paid minutes).
type GroupKey = (String, String, i64);

/// Builds the rostering problem: the plan's counts as cover, the agents as employees.
///
/// # Errors
///
/// [`Error::Invalid`] naming `plan.shifts[i].site` when a planned shift's site is not in
/// `sites`, `plan.shifts[i]` when it starts on a date outside the horizon's, `plan` when its
/// template and site are not in the scenario (or its shifts have no paid minutes), `sites`
/// when there is none, `agents` when the plan has more than 64 distinct shifts for the
/// rostering solver, `agents[i].site` when an agent's site is not in `sites`, or
/// `agents[i].contract.min_hours`, `max_hours` or `min_rest_hours` when negative or too large.
pub fn problem(
    name: &str,
    horizon: &Horizon,
    sites: &[Site],
    templates_queue: &dyn Fn(&str, &str) -> Option<String>,
    agents: &[AgentSpec],
    planned: &[PlannedShift],
) -> Result<Problem> {
    let (day0, days) = calendar(horizon, sites)?;
    // distinct shifts per (site, template, paid minutes, day), with counts
    let mut groups: BTreeMap<GroupKey, BTreeMap<usize, Vec<(ShiftInstance, u32)>>> =
        BTreeMap::new();
    for (i, ps) in planned.iter().enumerate() {
        if ps.count == 0 {
            continue;
        }
        let s = &ps.shift;
        let site = sites.iter().find(|x| x.name == s.site).ok_or_else(|| {
            Error::invalid(
                format!("plan.shifts[{i}].site"),
                format!("unknown site {:?}", s.site),
            )
        })?;
        let date = site.local(s.start).date_naive();
        let day = usize::try_from((date - day0).num_days())
            .ok()
            .filter(|&d| d < days)
            .ok_or_else(|| {
                Error::invalid(
                    format!("plan.shifts[{i}]"),
                    format!("starts on {date}, outside the horizon's dates"),
                )
            })?;
        let list = groups
            .entry((s.site.clone(), s.template.clone(), s.paid_minutes()))
            .or_default()
            .entry(day)
            .or_default();
        match list.iter_mut().find(|(x, _)| x == s) {
            Some((_, n)) => *n += ps.count,
            None => list.push((s.clone(), ps.count)),
        }
    }
    let mut shift_types = Vec::new();
    let mut cover = Vec::new();
    for ((site, template, minutes), by_day) in &mut groups {
        let queue = templates_queue(site, template).ok_or_else(|| {
            Error::invalid(
                "plan",
                format!("template {template:?} at site {site:?} is not in the scenario"),
            )
        })?;
        let ranks = by_day.values().map(Vec::len).max().unwrap_or(0);
        for list in by_day.values_mut() {
            list.sort_by(|(a, _), (b, _)| {
                (a.start, a.end)
                    .cmp(&(b.start, b.end))
                    .then_with(|| format!("{:?}", a.breaks).cmp(&format!("{:?}", b.breaks)))
            });
        }
        let minutes_u = u32::try_from(*minutes)
            .ok()
            .filter(|&m| m > 0)
            .ok_or_else(|| {
                Error::invalid(
                    "plan",
                    format!("template {template:?} has shifts of {minutes} paid minutes"),
                )
            })?;
        for k in 0..ranks {
            let idx = shift_types.len();
            let mut instances = vec![None; days];
            for d in 0..days {
                let got = by_day.get(&d).and_then(|l| l.get(k));
                if let (Some((inst, n)), Some(slot)) = (got, instances.get_mut(d)) {
                    *slot = Some(inst.clone());
                    cover.push(Cover {
                        day: d,
                        shift: idx,
                        requirement: *n,
                        weight_under: COVER_WEIGHT,
                        weight_over: COVER_WEIGHT,
                    });
                } else {
                    cover.push(Cover {
                        day: d,
                        shift: idx,
                        requirement: 0,
                        weight_under: COVER_WEIGHT,
                        weight_over: COVER_WEIGHT,
                    });
                }
            }
            shift_types.push(ShiftType {
                id: format!("{site}/{template}/{minutes}m/{}", k + 1),
                minutes: minutes_u,
                cannot_follow: Vec::new(),
                site: Some(site.clone()),
                skill: Some(queue.clone()),
                instances,
            });
        }
    }
    if shift_types.len() > 64 {
        return Err(Error::invalid(
            "agents",
            format!(
                "the plan has {} distinct shifts of one template on one day summed over \
                 templates; the rostering solver handles at most 64",
                shift_types.len()
            ),
        ));
    }
    let ns = shift_types.len();
    let mut employees = Vec::with_capacity(agents.len());
    let mut off_requests = Vec::new();
    for (i, a) in agents.iter().enumerate() {
        for r in &a.off_requests {
            let Ok(day) = usize::try_from((r.date - day0).num_days()) else {
                continue;
            };
            for (t, st) in shift_types.iter().enumerate() {
                let inst = st.instances.get(day).and_then(Option::as_ref);
                let matches = inst.is_some_and(|x| {
                    x.site == a.site && r.template.as_ref().is_none_or(|t| &x.template == t)
                });
                if matches {
                    off_requests.push(roster::Request {
                        employee: i,
                        day,
                        shift: t,
                        weight: r.weight,
                    });
                }
            }
        }
        let f = |x: &str| format!("agents[{i}].{x}");
        if !sites.iter().any(|x| x.name == a.site) {
            return Err(Error::invalid(
                f("site"),
                format!("unknown site {:?}", a.site),
            ));
        }
        let skills = match &a.skills {
            Some(k) => k.clone(),
            None => {
                let mut k: Vec<String> = shift_types
                    .iter()
                    .filter(|t| t.site.as_deref() == Some(a.site.as_str()))
                    .filter_map(|t| t.skill.clone())
                    .collect();
                k.sort();
                k.dedup();
                k
            }
        };
        let c = &a.contract;
        let min_minutes = hours(&f("contract.min_hours"), c.min_hours)?;
        let max_minutes = match c.max_hours {
            Some(m) => hours(&f("contract.max_hours"), m)?,
            None => u32::MAX,
        };
        let mut days_off = Vec::with_capacity(a.days_off.len());
        for d in &a.days_off {
            if let Ok(k) = usize::try_from((*d - day0).num_days()) {
                if k < days {
                    days_off.push(k);
                }
            }
        }
        employees.push(Employee {
            id: a.name.clone(),
            contract: Contract {
                max_shifts: vec![u32::try_from(days).unwrap_or(u32::MAX); ns],
                min_minutes,
                max_minutes,
                max_consecutive: c.max_consecutive_days,
                min_consecutive: c.min_consecutive_days,
                min_consecutive_off: c.min_consecutive_days_off,
                max_weekends: c.max_weekends.unwrap_or(u32::MAX),
                min_rest_minutes: hours(&f("contract.min_rest_hours"), c.min_rest_hours)?,
            },
            days_off,
            sites: vec![a.site.clone()],
            skills,
        });
    }
    Ok(Problem {
        name: name.to_string(),
        days,
        first_weekday: day0.weekday(),
        shift_types,
        employees,
        cover,
        on_requests: Vec::new(),
        off_requests,
    })
}

/// Assigns the planned shifts to the named agents within `time_limit_seconds`, keeping
/// every contract rule (checked with [`roster::check`]).
///
/// # Errors
///
/// [`Error::Invalid`] naming `plan.shifts[i].site`, `plan.shifts[i]` or `plan` when a
/// planned shift's site, date or template is not the scenario's (see [`problem`]), or
/// `agents_time_limit_seconds` when `time_limit_seconds` is not above 0 and at most a day;
/// [`Error::Infeasible`] when no roster keeps every agent's contract (e.g. minimum hours no
/// combination of planned shifts reaches, or only with a shift on a day the plan has none
/// of that type); [`Error::Solver`] if the checker finds a broken rule in the solver's
/// answer; [`Error::Invalid`] naming `agents[i].contract.<field>` when an agent's contract
/// has a rule only `wfm plan`'s direct scheduler keeps (`start_tolerance_minutes`,
/// `rotating_weekends`, `templates`, `balance_hours_weight`, `balance_weekends_weight`).
pub fn assign(
    name: &str,
    horizon: &Horizon,
    sites: &[Site],
    templates_queue: &dyn Fn(&str, &str) -> Option<String>,
    agents: &[AgentSpec],
    planned: &[PlannedShift],
    time_limit_seconds: f64,
) -> Result<AgentAssignment> {
    assign_stoppable(
        name,
        horizon,
        sites,
        templates_queue,
        agents,
        planned,
        time_limit_seconds,
        None,
    )
}

/// [`assign`] that also ends (with the best roster so far) soon after `stop` is set.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assign_stoppable(
    name: &str,
    horizon: &Horizon,
    sites: &[Site],
    templates_queue: &dyn Fn(&str, &str) -> Option<String>,
    agents: &[AgentSpec],
    planned: &[PlannedShift],
    time_limit_seconds: f64,
    stop: Option<crate::budget::StopFlag>,
) -> Result<AgentAssignment> {
    for (i, a) in agents.iter().enumerate() {
        if let Some(field) = super::schedule::fairness::scheduler_only(&a.contract) {
            return Err(Error::invalid(
                format!("agents[{i}].contract.{field}"),
                "is kept only when the agents are scheduled directly (`wfm plan`); the \
                 assignment of a given plan cannot keep it",
            ));
        }
    }
    let mut unassigned = Vec::new();
    if agents.is_empty() {
        for ps in planned {
            for _ in 0..ps.count {
                unassigned.push(ps.shift.clone());
            }
        }
        unassigned.sort_by_key(|s| s.start);
        return Ok(AgentAssignment {
            roster: Vec::new(),
            unassigned,
            surplus: 0,
        });
    }
    let problem = problem(name, horizon, sites, templates_queue, agents, planned)?;
    if problem.shift_types.is_empty() {
        return Ok(AgentAssignment {
            roster: Vec::new(),
            unassigned,
            surplus: 0,
        });
    }
    crate::limits::check_time_limit("agents_time_limit_seconds", time_limit_seconds)?;
    let options = roster::Options {
        time_limit: std::time::Duration::from_secs_f64(time_limit_seconds),
        stop,
        ..roster::Options::default()
    };
    let solution = roster::solve(&problem, &options)?;
    let report = roster::check(&problem, &solution.roster);
    if let Some(v) = report.violations.first() {
        return Err(Error::Solver {
            backend: solution.backend.to_string(),
            reason: format!(
                "the agent roster breaks {} rule(s), e.g. {v}",
                report.violations.len()
            ),
        });
    }
    let ns = problem.shift_types.len();
    let mut assigned = vec![0u32; problem.days * ns];
    let mut out = Vec::new();
    let mut below_minimum = Vec::new();
    for (e, row) in solution.roster.shifts.iter().enumerate() {
        let agent = problem
            .employees
            .get(e)
            .map(|x| x.id.clone())
            .unwrap_or_default();
        for (d, s) in row.iter().enumerate() {
            let Some(s) = *s else { continue };
            let inst = problem
                .shift_types
                .get(s)
                .and_then(|t| t.instances.get(d))
                .and_then(Option::as_ref);
            match inst {
                Some(i) => {
                    out.push((agent.clone(), i.clone()));
                    if let Some(n) = assigned.get_mut(d * ns + s) {
                        *n += 1;
                    }
                }
                None => {
                    if !below_minimum.contains(&agent) {
                        below_minimum.push(agent.clone());
                    }
                }
            }
        }
    }
    let mut surplus = 0usize;
    for c in &problem.cover {
        let have = assigned.get(c.day * ns + c.shift).copied().unwrap_or(0);
        let inst = problem
            .shift_types
            .get(c.shift)
            .and_then(|t| t.instances.get(c.day))
            .and_then(Option::as_ref);
        if let Some(i) = inst {
            for _ in have..c.requirement {
                unassigned.push(i.clone());
            }
        }
        surplus += have.saturating_sub(c.requirement) as usize;
    }
    if !below_minimum.is_empty() {
        return Err(Error::Infeasible {
            explanation: format!(
                "the planned shifts cannot bring agent(s) {} to their contract's min_hours \
                 without breaking another rule or working a shift the plan does not have",
                below_minimum.join(", ")
            ),
        });
    }
    out.sort_by(|a, b| (a.1.start, &a.0).cmp(&(b.1.start, &b.0)));
    unassigned.sort_by_key(|s| s.start);
    Ok(AgentAssignment {
        roster: out,
        unassigned,
        surplus,
    })
}
