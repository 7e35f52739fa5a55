//! The pipeline behind `wfm plan` and `wfm evaluate`.

use super::agents::AgentAssignment;
use super::Prepared;
use crate::demand::{self, Queue, Requirement};
use crate::error::{Error, Result};
use crate::evaluate::{
    self, Coverage, IntervalKpi, PlanFacts, PlannedFacts, QueueDemand, Routing, Summary,
};
use crate::io::{ExtraColumns, Outputs, PlanRow};
use crate::plan::{self, Observer, PlanProblem, PlannedShift};
use crate::queueing::{self, Target};
use crate::roster::slots::assign_slots;
use crate::shifts::ShiftInstance;
use chrono::{DateTime, Utc};
use std::path::Path;

/// Everything a run produced, ready to be written by [`crate::io::write_all`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Scenario title.
    pub name: String,
    /// Requirements per queue.
    pub requirements: Vec<Requirement>,
    /// The same as the evaluator and writers take them.
    pub demands: Vec<QueueDemand>,
    /// The plan's chosen shifts with counts (`None` when evaluating a given roster).
    pub plan_rows: Option<Vec<PlanRow>>,
    /// One entry per agent-shift.
    pub roster: Vec<(String, ShiftInstance)>,
    /// Planned shifts no named agent could take (not in `roster`); empty for numbered slots.
    pub unassigned: Vec<ShiftInstance>,
    /// Coverage and predicted KPIs per queue and interval.
    pub coverage: Coverage,
    /// Headline numbers.
    pub summary: Summary,
    /// Service-level target of each queue, for the report.
    pub service_targets: Vec<Option<f64>>,
    /// Columns of the evaluated roster file that `wfm` does not read, written back into
    /// `roster.csv` (empty after a plan).
    pub roster_extra: ExtraColumns,
}

impl Outcome {
    /// Writes every output file into `dir` as one set ([`crate::io::write_all_with`]): never
    /// over one of the files `p` was read from (`p.inputs`, plus `extra_inputs` such as
    /// the roster evaluated), and with the evaluated roster's extra columns written back.
    ///
    /// # Errors
    ///
    /// The errors of [`crate::io::write_all_with`]: [`Error::Invalid`](crate::Error::Invalid)
    /// naming `dir` when it is a file, the root, or would overwrite one of `p.inputs` or
    /// `extra_inputs`; [`Error::Io`](crate::Error::Io) naming the folder or a file when it cannot
    /// be written or moved into place; a rendering error leaves `dir` as it was.
    pub fn write(
        &self,
        dir: &Path,
        p: &Prepared,
        extra_inputs: &[crate::io::InputFile],
        generated_at: DateTime<Utc>,
    ) -> Result<Vec<std::path::PathBuf>> {
        let mut inputs = p.inputs.clone();
        inputs.extend_from_slice(extra_inputs);
        let options = crate::io::WriteOptions {
            inputs: &inputs,
            roster_extra: Some(&self.roster_extra),
        };
        crate::io::write_all_with(dir, &self.outputs(p, generated_at), &options)
    }

    /// The output files' inputs, for [`crate::io::write_all`] (which does not know the
    /// extra roster columns: [`Outcome::write`] writes them back).
    pub fn outputs<'a>(&'a self, p: &'a Prepared, generated_at: DateTime<Utc>) -> Outputs<'a> {
        Outputs {
            scenario: &self.name,
            horizon: &p.horizon,
            sites: &p.sites,
            demands: &self.demands,
            plan: self.plan_rows.as_deref(),
            roster: &self.roster,
            coverage: &self.coverage,
            summary: &self.summary,
            service_targets: &self.service_targets,
            gantt_day: None,
            generated_at,
            extra: crate::io::OutputExtras {
                queue_sites: &p.queue_sites,
                unassigned: &self.unassigned,
                currency: p.currency.as_deref(),
                targets: &p.target_texts,
                report_zone: p.report_zone,
                forecasts: &p.forecasts,
            },
        }
    }
}

fn requirements(p: &Prepared) -> Result<Vec<Requirement>> {
    p.queues
        .iter()
        .map(|q| demand::requirements(&p.horizon, q))
        .collect()
}

fn demands(reqs: &[Requirement]) -> Vec<QueueDemand> {
    reqs.iter()
        .map(|r| QueueDemand {
            name: r.queue.clone(),
            volume: r.volume.clone(),
            aht_seconds: r.aht_seconds.clone(),
            required: r.required.clone(),
        })
        .collect()
}

fn routing(p: &Prepared) -> Result<Routing> {
    let mut r = Routing::new();
    for t in &p.templates {
        let q = p
            .queues
            .iter()
            .position(|q| q.name == t.queue)
            .ok_or_else(|| Error::invalid("templates", format!("unknown queue {:?}", t.queue)))?;
        r.serve(&t.site, &t.name, q)?;
    }
    Ok(r)
}

/// What `scheduled` agents deliver in interval `i` of a live queue: the queueing model's
/// prediction after shrinkage (backlog queues' KPIs come from the replay of the roster,
/// `backlog::replay_kpi`).
fn kpi(
    p: &Prepared,
    _req: &Requirement,
    queue: &Queue,
    i: usize,
    scheduled: u32,
) -> Result<IntervalKpi> {
    let volume = queue.volume.get(i).copied().unwrap_or(0.0);
    if volume == 0.0 {
        return Ok(IntervalKpi {
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: 0.0,
        });
    }
    let productive = queueing::productive_agents(scheduled, queue.shrinkage)?;
    let m = queue.staffing(&p.horizon, i)?.evaluate(productive)?;
    Ok(IntervalKpi {
        service_level: m.service_level,
        asa_seconds: m.asa_seconds,
        occupancy: m.occupancy,
    })
}

fn evaluate_and_summarize(
    p: &Prepared,
    reqs: &[Requirement],
    demands: &[QueueDemand],
    roster: &[(String, ShiftInstance)],
    facts: &PlanFacts,
) -> Result<(Coverage, Summary)> {
    let routing = routing(p)?;
    // Backlog queues' KPIs come from the replay of the roster, not from the even spread.
    let replays = super::backlog::replays(p, reqs, roster)?;
    let k = |q: usize, i: usize, n: u32| -> Result<IntervalKpi> {
        if let Some(kpi) = super::backlog::replay_kpi(p, &replays, q, i) {
            return Ok(kpi);
        }
        match (reqs.get(q), p.queues.get(q)) {
            (Some(r), Some(queue)) => kpi(p, r, queue, i, n),
            _ => Err(Error::invalid("queues", format!("no queue {q}"))),
        }
    };
    let coverage = if p.templates.iter().any(|t| t.skills.len() > 1) {
        // Entries checked as usual, then multi-skill agents split across their queues.
        evaluate::scheduled_counts(&p.horizon, demands.len(), &routing, roster)?;
        let (counts, mix) = super::skills::counts_and_mix(p, reqs, roster);
        let mut coverage = evaluate::evaluate_counts(&p.horizon, demands, counts, &k)?;
        coverage.skill_mix = Some(mix);
        coverage
    } else {
        evaluate::evaluate(&p.horizon, demands, &routing, roster, &k)?
    };
    let mut coverage = coverage;
    let mut summary = evaluate::summarize(&p.name, &coverage, demands, roster, facts)?;
    super::backlog::report(p, &replays, &mut coverage, &mut summary);
    Ok((coverage, summary))
}

fn service_targets(p: &Prepared) -> Vec<Option<f64>> {
    p.queues
        .iter()
        .map(|q| {
            q.targets.iter().find_map(|t| match t {
                Target::ServiceLevel { fraction, .. } => Some(*fraction),
                _ => None,
            })
        })
        .collect()
}

/// Cost of a roster's shifts at their templates' rates.
fn roster_cost(p: &Prepared, roster: &[(String, ShiftInstance)]) -> Result<f64> {
    let mut cost = 0.0;
    for (agent, s) in roster {
        let t = p
            .templates
            .iter()
            .find(|t| t.site == s.site && t.name == s.template)
            .ok_or_else(|| {
                Error::invalid(
                    "roster",
                    format!(
                        "agent {agent:?}: template {:?} at site {:?} is not in the scenario",
                        s.template, s.site
                    ),
                )
            })?;
        cost += t.cost_per_shift + t.cost_per_paid_hour * s.paid_minutes() as f64 / 60.0;
    }
    Ok(cost)
}

/// Soft-coverage penalties of a coverage (0 under hard coverage).
fn soft_penalty(p: &Prepared, coverage: &Coverage) -> f64 {
    let crate::plan::CoverageMode::Soft {
        under_penalty,
        over_penalty,
    } = p.rules.coverage
    else {
        return 0.0;
    };
    coverage
        .queues
        .iter()
        .flat_map(|q| &q.cells)
        .map(|c| {
            if c.scheduled < c.required {
                f64::from(c.required - c.scheduled) * under_penalty
            } else {
                f64::from(c.scheduled - c.required) * over_penalty
            }
        })
        .sum()
}

/// Share of `solve.time_limit_seconds` the planner gets when agents are named; their
/// assignment gets the rest (at most `agents_time_limit_seconds`).
const PLAN_SHARE_WITH_AGENTS: f64 = 0.5;
/// The assignment of named agents gets at least this share of the budget, even when the
/// planner used its own to the end.
const MIN_AGENTS_SHARE: f64 = 0.02;

/// Assigns the plan's shifts to the scenario's named agents, within
/// `agents_time_limit_seconds`.
///
/// # Errors
///
/// The errors of [`crate::scenario::agents::assign`]: [`Error::Invalid`](crate::Error::Invalid) for
/// a planned shift the scenario does not know, an `agents_time_limit_seconds` out of range, or
/// an agent's contract rule only `plan`'s direct scheduler keeps (e.g. `rotating_weekends`);
/// [`Error::Infeasible`](crate::Error::Infeasible) when no roster keeps every agent's contract;
/// [`Error::Solver`](crate::Error::Solver) when the roster found breaks a rule.
pub fn assign_agents(p: &Prepared, planned: &[PlannedShift]) -> Result<AgentAssignment> {
    assign_agents_within(
        p,
        planned,
        p.agents_time_limit_seconds,
        p.solve.stop.clone(),
    )
}

fn assign_agents_within(
    p: &Prepared,
    planned: &[PlannedShift],
    time_limit_seconds: f64,
    stop: Option<crate::budget::StopFlag>,
) -> Result<AgentAssignment> {
    // A multi-skill template's shifts carry one skill label joining its queues; an agent
    // holds that label when its skills include every one of them.
    let label = |t: &crate::shifts::ShiftTemplate| t.queues().join("+");
    let queue_of = |site: &str, template: &str| {
        p.templates
            .iter()
            .find(|t| t.site == site && t.name == template)
            .map(label)
    };
    let mut agents = p.agents.clone();
    for a in &mut agents {
        if let Some(skills) = &mut a.skills {
            for t in p.templates.iter().filter(|t| t.skills.len() > 1) {
                let l = label(t);
                if !skills.contains(&l) && t.queues().iter().all(|q| skills.iter().any(|k| k == q))
                {
                    skills.push(l);
                }
            }
        }
    }
    super::agents::assign_stoppable(
        &p.name,
        &p.horizon,
        &p.sites,
        &queue_of,
        &agents,
        planned,
        time_limit_seconds,
        stop,
    )
}

/// Runs the whole job: requirements, the shift plan, a roster of numbered agents, coverage
/// and KPIs, summary. `observer` hears the planner's progress.
///
/// # Errors
///
/// [`Error::Invalid`](crate::Error::Invalid) naming a queue's value, target or linked set that the
/// requirements or the planner reject (see [`crate::demand::requirements`],
/// [`crate::plan::PlanProblem::new`]), or `solve.time_limit_seconds` / `solve.gap` out of range;
/// [`Error::Infeasible`](crate::Error::Infeasible) when a queue's targets cannot be met in an
/// interval, when the plan's hard coverage cannot be met (naming the queue, interval, site and
/// rule), or when the named agents cannot take the planned shifts within their contracts;
/// [`Error::Solver`](crate::Error::Solver) when the chosen backend is not compiled in or fails.
pub fn plan(p: &Prepared, observer: Option<Observer>) -> Result<Outcome> {
    plan_raised(p, observer, &[])
}

/// [`plan`] with `raise[q][i]` more agents required of queue `q` in interval `i` (and of
/// every linked set holding `q`) than the queueing model asks: the simulation check's
/// cuts. The outputs still show the queueing model's requirement.
pub(crate) fn plan_raised(
    p: &Prepared,
    observer: Option<Observer>,
    raise: &[Vec<u32>],
) -> Result<Outcome> {
    let reqs = requirements(p)?;
    let demands = demands(&reqs);
    let mut raised = reqs.clone();
    for (r, up) in raised.iter_mut().zip(raise) {
        for (x, &u) in r.required.iter_mut().zip(up) {
            *x = x.saturating_add(u);
        }
    }
    let problem = problem_of(p, &raised)?;
    if !p.agents.is_empty() && cfg!(feature = "microlp") {
        let problem = named_problem(p, &reqs, raise, problem)?;
        // Agents with minimum hours may work shifts no queue needs: only templates with no
        // shift at all are never used.
        let unusable = input_warnings(&problem, true);
        let mut outcome = plan_named(p, reqs, demands, &problem, observer.as_ref())?;
        outcome.summary.input_warnings = unusable;
        return Ok(outcome);
    }
    let problem = super::backlog::with_backlog(p, problem)?;
    let problem = super::skills::with_pooled(p, &reqs, raise, problem)?;
    let unusable = input_warnings(&problem, false);
    // One budget for the whole solve: the planner's share of it, then the named agents'.
    let budget =
        crate::budget::Budget::from_seconds(p.solve.time_limit_seconds, p.solve.stop.clone());
    let total = p.solve.time_limit_seconds;
    let mut options = p.solve.clone();
    if observer.is_some() {
        options.observer = observer;
    }
    if !p.agents.is_empty() {
        // One budget for the whole solve: the planner and the assignment of named agents
        // share `solve.time_limit_seconds`.
        options.time_limit_seconds = total * PLAN_SHARE_WITH_AGENTS;
    }
    let solved = plan::solve(&problem, &options)?;
    let mut shifts = Vec::new();
    let mut rows = Vec::with_capacity(solved.shifts.len());
    for s in &solved.shifts {
        rows.push(PlanRow {
            site: s.shift.site.clone(),
            template: s.shift.template.clone(),
            start_utc: s.shift.start,
            count: s.count,
        });
        for _ in 0..s.count {
            shifts.push(s.shift.clone());
        }
    }
    let (roster, unassigned) = if p.agents.is_empty() {
        (assign_slots(&shifts, &p.slots), Vec::new())
    } else {
        let left = budget.remaining_seconds();
        let limit = p
            .agents_time_limit_seconds
            .min(left.max(total * MIN_AGENTS_SHARE));
        let a = assign_agents_within(p, &solved.shifts, limit, budget.stop().cloned())?;
        (a.roster, a.unassigned)
    };
    let status = solved.status.name().to_string();
    let (coverage, mut summary) = if unassigned.is_empty() {
        let facts = PlanFacts {
            cost: solved.objective,
            lower_bound: Some(solved.lower_bound),
            gap: Some(solved.gap),
            status,
            solve_seconds: solved.solve_seconds,
        };
        evaluate_and_summarize(p, &reqs, &demands, &roster, &facts)?
    } else {
        // The roster leaves planned shifts out: its own cost, no bound; the plan's figures
        // go beside it.
        let facts = PlanFacts {
            cost: roster_cost(p, &roster)?,
            lower_bound: None,
            gap: None,
            status: status.clone(),
            solve_seconds: solved.solve_seconds,
        };
        let (coverage, mut summary) = evaluate_and_summarize(p, &reqs, &demands, &roster, &facts)?;
        summary.cost += soft_penalty(p, &coverage);
        summary.planned = Some(PlannedFacts {
            cost: solved.objective,
            lower_bound: Some(solved.lower_bound),
            gap: Some(solved.gap),
            status,
            shifts: shifts.len(),
            paid_hours: solved.paid_hours,
        });
        (coverage, summary)
    };
    summary.unassigned_shifts = unassigned.len();
    summary.input_warnings = unusable;
    Ok(Outcome {
        name: p.name.clone(),
        requirements: reqs,
        demands,
        plan_rows: Some(rows),
        roster,
        unassigned,
        coverage,
        summary,
        service_targets: service_targets(p),
        roster_extra: ExtraColumns::default(),
    })
}

/// The templates of `problem` that can never give a useful shift (with `no_shift_only`,
/// only those with no shift in the horizon at all), as the summary's warnings
/// (`templates[i]`, its name and why).
fn input_warnings(
    problem: &PlanProblem,
    no_shift_only: bool,
) -> Vec<crate::evaluate::InputWarning> {
    problem
        .unusable_templates()
        .into_iter()
        .filter(|u| !no_shift_only || u.kind == plan::UnusableKind::NoShift)
        .map(|u| crate::evaluate::InputWarning {
            field: u.field(),
            message: format!("template {:?} is never used: {}", u.name, u.reason),
        })
        .collect()
}

/// The planner's problem of the requirements `reqs` (no backlog or pooled rows yet).
pub(crate) fn problem_of(p: &Prepared, reqs: &[Requirement]) -> Result<PlanProblem> {
    PlanProblem::new(
        p.horizon,
        p.sites.clone(),
        p.templates.clone(),
        reqs.iter()
            .map(|r| (r.queue.clone(), r.required.clone()))
            .collect(),
        p.rules.clone(),
    )
}

/// The problem the named agents are scheduled against: `problem` (of the requirements
/// `reqs` raised by `raise`) with the pooled rows. The named agents' scheduler has no
/// deadline rows: backlog queues keep the even spread of their work over the deadline
/// window as their requirement.
fn named_problem(
    p: &Prepared,
    reqs: &[Requirement],
    raise: &[Vec<u32>],
    problem: PlanProblem,
) -> Result<PlanProblem> {
    super::skills::with_pooled_spread_backlog(p, reqs, raise, problem)
}

/// The problem `plan` schedules `p`'s named agents against (no simulation cuts).
#[cfg(test)]
pub(crate) fn named_problem_of(p: &Prepared) -> Result<PlanProblem> {
    let reqs = requirements(p)?;
    named_problem(p, &reqs, &[], problem_of(p, &reqs)?)
}

/// Named agents scheduled directly against the requirements ([`super::schedule`]): the
/// plan is the shifts the agents work, and the bound and gap are the roster's own.
fn plan_named(
    p: &Prepared,
    reqs: Vec<Requirement>,
    demands: Vec<QueueDemand>,
    problem: &PlanProblem,
    observer: Option<&Observer>,
) -> Result<Outcome> {
    let budget =
        crate::budget::Budget::from_seconds(p.solve.time_limit_seconds, p.solve.stop.clone());
    let scheduled = super::schedule::schedule(p, problem, &budget, observer)?;
    let roster = scheduled.roster.clone();
    let mut rows: Vec<PlanRow> = Vec::new();
    let mut counts: std::collections::BTreeMap<(DateTime<Utc>, String, String), u32> =
        std::collections::BTreeMap::new();
    for (_, s) in &roster {
        *counts
            .entry((s.start, s.site.clone(), s.template.clone()))
            .or_default() += 1;
    }
    for ((start_utc, site, template), count) in counts {
        rows.push(PlanRow {
            site,
            template,
            start_utc,
            count,
        });
    }
    let gap = scheduled.gap();
    if let Some(o) = observer {
        o(&crate::plan::PlanEvent::Done {
            objective: scheduled.objective(),
            lower_bound: scheduled.bound(),
            gap,
        });
    }
    let facts = PlanFacts {
        cost: scheduled.objective(),
        lower_bound: Some(scheduled.bound()),
        gap: Some(gap),
        // The planner's words: cut by the time limit (or a stop request), proven, inside
        // the requested gap, or the search's work ran out above the gap. A cut comes first
        // whatever the gap: only a cut run may differ from another run of the same input,
        // and its status must say so.
        status: if scheduled.cut {
            "time_limit"
        } else if gap <= 1e-9 {
            "optimal"
        } else if gap <= p.solve.gap {
            "within_gap"
        } else {
            "above_gap"
        }
        .to_string(),
        solve_seconds: scheduled.seconds,
    };
    let (coverage, mut summary) = evaluate_and_summarize(p, &reqs, &demands, &roster, &facts)?;
    summary.schedule = Some(scheduled.summary(problem, &coverage));
    Ok(Outcome {
        name: p.name.clone(),
        requirements: reqs,
        demands,
        plan_rows: Some(rows),
        roster,
        unassigned: Vec::new(),
        coverage,
        summary,
        service_targets: service_targets(p),
        roster_extra: ExtraColumns::default(),
    })
}

/// How [`evaluate_roster_with`] treats problems in the roster it checks
/// ([`evaluate::check_roster`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// `false` (the default): the first problem is an error naming the file, line and rule.
    /// `true`: problems become warnings in the summary and report, and the roster is
    /// evaluated as written.
    pub lenient: bool,
}

/// Re-evaluates a roster file (e.g. edited by hand) against the scenario: coverage, KPIs and
/// summary. Its cost is the paid hours of the roster at the templates' rates. The roster is
/// checked first and any problem is an error (see [`evaluate_roster_with`]).
///
/// # Errors
///
/// The errors of [`evaluate_roster_with`] without `lenient`.
pub fn evaluate_roster(p: &Prepared, roster_csv: &Path) -> Result<Outcome> {
    evaluate_roster_with(p, roster_csv, EvaluateOptions::default())
}

/// [`evaluate_roster`] with options: with `lenient`, problems in the roster (overlapping
/// shifts of one agent, duplicate rows, shifts outside the horizon, lengths and breaks that
/// differ from the template) are listed as warnings in the summary instead of stopping.
///
/// # Errors
///
/// The errors of the requirements (as for [`plan()`]); [`Error::Io`](crate::Error::Io) naming
/// `roster_csv` when it cannot be read; [`Error::Parse`](crate::Error::Parse) naming the file
/// when it is longer than [`crate::io::MAX_ROSTER_BYTES`] or not UTF-8, naming the file, line
/// and column when a row breaks the roster format or its site and template serve no queue (see
/// [`crate::io::parse_roster_file`]), and, unless `options.lenient`, naming the line and rule of
/// the first problem [`evaluate::check_roster`] finds (overlapping shifts, duplicate rows,
/// shifts outside the horizon, lengths and breaks that differ from the template).
pub fn evaluate_roster_with(
    p: &Prepared,
    roster_csv: &Path,
    options: EvaluateOptions,
) -> Result<Outcome> {
    let file = crate::io::read_roster_file(roster_csv, &p.sites, Some(&routing(p)?))?;
    evaluate_roster_file(p, file, options)
}

/// [`evaluate_roster_with`] on the text of a roster CSV (from a program rather than a
/// file); `file` names it in errors, which carry its 1-based lines.
///
/// # Errors
///
/// Those of [`evaluate_roster_with`] once the file is read.
pub fn evaluate_roster_text(
    p: &Prepared,
    file: &str,
    text: &str,
    options: EvaluateOptions,
) -> Result<Outcome> {
    let file = crate::io::parse_roster_file(text, file, &p.sites, Some(&routing(p)?))?;
    evaluate_roster_file(p, file, options)
}

fn evaluate_roster_file(
    p: &Prepared,
    file: crate::io::RosterFile,
    options: EvaluateOptions,
) -> Result<Outcome> {
    let reqs = requirements(p)?;
    let demands = demands(&reqs);
    let mut warnings = evaluate::check_roster(
        &file.file,
        &file.rows,
        &file.lines,
        &p.horizon,
        &p.templates,
    );
    if let (false, Some(first)) = (options.lenient, warnings.first()) {
        let more = match warnings.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more problem(s))"),
        };
        return Err(Error::parse(
            &first.file,
            first.line,
            format!(
                "rule {}: {}{more}; fix the roster, or run with --lenient to evaluate it as \
                 written with warnings",
                first.rule, first.message
            ),
        ));
    }
    let warnings_total = warnings.len();
    warnings.truncate(evaluate::MAX_LISTED_WARNINGS);
    let roster = file.rows;
    let cost = roster_cost(p, &roster)?;
    let facts = PlanFacts {
        cost,
        lower_bound: None,
        gap: None,
        status: "evaluated".to_string(),
        solve_seconds: 0.0,
    };
    let (coverage, mut summary) = evaluate_and_summarize(p, &reqs, &demands, &roster, &facts)?;
    summary.warnings = warnings;
    summary.warnings_total = warnings_total;
    Ok(Outcome {
        name: p.name.clone(),
        requirements: reqs,
        demands,
        plan_rows: None,
        roster,
        unassigned: Vec::new(),
        coverage,
        summary,
        service_targets: service_targets(p),
        roster_extra: file.extra,
    })
}
