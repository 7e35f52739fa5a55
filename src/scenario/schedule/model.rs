//! The scheduling model: each named agent's options per local day, the coverage rows the
//! options count toward, and the packing rows (caps and budget) they use.
//!
//! Options are the planner's expanded candidates ([`PlanProblem::candidates`]) at the
//! agent's site whose template serves only queues among the agent's skills; a day off (or
//! a date outside the agent's calendar) has none. Cover rows are the planner's: one per
//! queue and interval (hard: `≥` requirement with a missing agent-interval weighing
//! [`Model::hard_penalty`]; soft: `=` requirement with the scenario's under and over
//! penalties), one per linked set of queues and interval (multi-skill templates, always
//! hard), and one per template with a minimum count. Pack rows: site headcount per
//! interval, shifts per site and local date, template maximum counts and the budget; the
//! LP may break them at [`Model::hard_penalty`] per unit so that it always has a value,
//! while rosters keep them.

use super::wishes;
use crate::error::{Error, Result};
use crate::plan::{CoverageMode, PlanProblem};
use crate::scenario::agents::{AgentSpec, MAX_REQUEST_WEIGHT};
use chrono::{Datelike, Duration, NaiveDate, Timelike, Weekday};
use std::collections::HashMap;

/// One expanded candidate as the scheduler sees it.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    /// Index into [`PlanProblem::candidates`].
    pub index: usize,
    /// Start and end, in minutes since the Unix epoch.
    pub start: i64,
    /// First minute after the shift.
    pub end: i64,
    /// Paid minutes.
    pub paid: u32,
    /// Cost of the shift at its template's rates.
    pub cost: f64,
    /// Cover rows (with their coefficient) the shift counts toward.
    pub rows: Vec<(u32, f64)>,
    /// Pack rows (with their coefficient) the shift uses.
    pub packs: Vec<(u32, f64)>,
}

/// A cover row: `Σ coverage + under − over = rhs` (`over` only on soft rows).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub rhs: f64,
    /// Penalty per missing unit.
    pub under: f64,
    /// Penalty per unit above the requirement (0 on `≥` rows).
    pub over: f64,
}

/// One named agent's rules, in minutes and local days.
#[derive(Debug, Clone)]
pub(crate) struct AgentModel {
    /// Index into the scenario's agents.
    pub spec: usize,
    /// First local date of the agent's calendar.
    pub first: NaiveDate,
    /// Weekday of each local day.
    pub weekday: Vec<Weekday>,
    /// Candidates (indices into [`Model::cands`]) the agent could work each day, in
    /// candidate order, days off included (see `day_off`).
    pub options: Vec<Vec<usize>>,
    /// Days the agent does not work.
    pub day_off: Vec<bool>,
    /// Wish penalty of each option (parallel to `options`).
    pub penalty: Vec<Vec<f64>>,
    /// Days with a shift a manager already published: the agent works one of that day's
    /// options (which then hold only the shifts matching it).
    pub fixed: Vec<bool>,
    pub min_minutes: u32,
    /// `u32::MAX`: no limit.
    pub max_minutes: u32,
    pub max_consecutive: u32,
    pub min_consecutive: u32,
    pub min_consecutive_off: u32,
    /// `u32::MAX`: no limit.
    pub max_weekends: u32,
    pub rest_minutes: i64,
    /// Local start, in minutes after midnight, of each option (parallel to `options`).
    pub start_of_day: Vec<Vec<i16>>,
    /// Widest spread of local starts within a local week (twice the contract's
    /// `start_tolerance_minutes`); `None`: no limit.
    pub start_spread: Option<i16>,
    /// Rotating weekends: at most `.0` weekends worked in any `.1` consecutive ones.
    pub rotation: Option<(u32, u32)>,
    /// Balance weights: per (paid hour)² and per (weekend worked)².
    pub hours_weight: f64,
    pub weekends_weight: f64,
}

/// The whole scheduling model.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub cands: Vec<Cand>,
    pub rows: Vec<Row>,
    /// Capacity of each pack row.
    pub packs: Vec<f64>,
    pub agents: Vec<AgentModel>,
    /// Weight of a missing agent-interval under hard coverage, and of a unit of a broken
    /// pack row in the LP.
    pub hard_penalty: f64,
    /// Penalty of soft rows no option touches (a constant of every roster).
    pub constant: f64,
    /// Pricing answers kept per agent (see [`super::memo`]).
    pub memo: super::memo::Memo,
    /// What the search computed, in work units (see [`super::meter`]).
    pub meter: super::meter::Meter,
    /// Threads a pricing round runs on (the answer and the meter do not depend on it).
    pub threads: usize,
    /// Labels an agent's pricing may hold before it gives up ([`super::price::MAX_LABELS`];
    /// lower in tests).
    pub max_labels: usize,
}

/// Minutes since the Unix epoch.
pub(crate) fn minutes(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// Hours as whole minutes (validated before: finite, ≥ 0, not huge).
pub(crate) fn hours_minutes(h: f64) -> u32 {
    (h * 60.0).round().clamp(0.0, f64::from(u32::MAX - 1)) as u32
}

/// Whether an agent with `skills` (None: any queue of its site) can work template `t`.
pub(crate) fn can_work(skills: Option<&[String]>, queues: &[&str]) -> bool {
    match skills {
        None => true,
        Some(k) => queues.iter().all(|q| k.iter().any(|s| s == q)),
    }
}

impl Model {
    /// Builds the model of `problem` for `agents` (validated by the scenario).
    pub fn build(problem: &PlanProblem, agents: &[AgentSpec]) -> Result<Model> {
        let h = problem.horizon();
        let len = h.len();
        let nq = problem.requirements().count();
        let (soft, under, over) = match problem.rules().coverage {
            CoverageMode::Hard => (false, 0.0, 0.0),
            CoverageMode::Soft {
                under_penalty,
                over_penalty,
            } => (true, under_penalty, over_penalty),
        };
        let all = problem.candidates();
        let max_cost = all.iter().map(|c| c.cost).fold(0.0f64, f64::max);
        let hard_penalty = 10.0 * (max_cost + f64::from(MAX_REQUEST_WEIGHT) + 1.0);
        // Agents' sites and skills decide which candidates anybody can work.
        let mut site_of = Vec::with_capacity(agents.len());
        for (i, a) in agents.iter().enumerate() {
            let s = problem
                .sites()
                .iter()
                .position(|s| s.name == a.site)
                .ok_or_else(|| {
                    Error::invalid(
                        format!("agents[{i}].site"),
                        format!("unknown site {:?}", a.site),
                    )
                })?;
            site_of.push(s);
        }
        let templates = problem.templates();
        let workable = |a: usize, c: &crate::shifts::Candidate| {
            let t = &templates[c.template];
            c.site == site_of[a]
                && can_work(agents[a].skills.as_deref(), &t.queues())
                && agents[a]
                    .contract
                    .templates
                    .as_ref()
                    .is_none_or(|l| l.contains(&t.name))
        };
        let used: Vec<usize> = (0..all.len())
            .filter(|&c| (0..agents.len()).any(|a| workable(a, &all[c])))
            .collect();
        // Cover rows.
        let mut rows = Vec::new();
        let mut demand_row: Vec<Option<u32>> = vec![None; nq * len];
        let mut touched = vec![false; nq * len];
        for &c in &used {
            for &q in problem.served_by(&all[c]) {
                for &t in &all[c].working {
                    if let Some(x) = touched.get_mut(q * len + t) {
                        *x = true;
                    }
                }
            }
        }
        let mut constant = 0.0;
        for (q, (_, req)) in problem.requirements().enumerate() {
            for (t, &r) in req.iter().enumerate() {
                let hit = touched[q * len + t];
                if soft && !hit {
                    constant += under * f64::from(r);
                    continue;
                }
                if !soft && r == 0 {
                    continue;
                }
                demand_row[q * len + t] = Some(rows.len() as u32);
                rows.push(Row {
                    rhs: f64::from(r),
                    under: if soft { under } else { hard_penalty },
                    over: if soft { over } else { 0.0 },
                });
            }
        }
        let unions = &problem.unions;
        let mut union_row: HashMap<(usize, usize), u32> = HashMap::new();
        for (k, (_, req)) in unions.iter().enumerate() {
            for (t, &r) in req.iter().enumerate() {
                if r > 0 {
                    union_row.insert((k, t), rows.len() as u32);
                    rows.push(Row {
                        rhs: f64::from(r),
                        under: hard_penalty,
                        over: 0.0,
                    });
                }
            }
        }
        let mut min_row = HashMap::new();
        for (i, t) in templates.iter().enumerate() {
            if let Some(m) = t.min_count.filter(|&m| m > 0) {
                min_row.insert(i, rows.len() as u32);
                rows.push(Row {
                    rhs: f64::from(m),
                    under: hard_penalty,
                    over: 0.0,
                });
            }
        }
        // Pack rows, numbered as first used.
        #[derive(Hash, PartialEq, Eq)]
        enum PackKey {
            SiteInterval(usize, usize),
            SiteDay(usize, NaiveDate),
            TemplateMax(usize),
            Budget,
        }
        let mut packs = Vec::new();
        let mut pack_id: HashMap<PackKey, u32> = HashMap::new();
        let mut cands = Vec::with_capacity(used.len());
        for &ci in &used {
            let c = &all[ci];
            let mut crow: Vec<(u32, f64)> = Vec::new();
            let served = problem.served_by(c);
            for &q in served {
                for &t in &c.working {
                    if let Some(&Some(r)) = demand_row.get(q * len + t) {
                        crow.push((r, 1.0));
                    }
                }
            }
            for (k, (set, _)) in unions.iter().enumerate() {
                if set.iter().any(|q| served.contains(q)) {
                    for &t in &c.working {
                        if let Some(&r) = union_row.get(&(k, t)) {
                            crow.push((r, 1.0));
                        }
                    }
                }
            }
            if let Some(&r) = min_row.get(&c.template) {
                crow.push((r, 1.0));
            }
            crow.sort_by_key(|x| x.0);
            crow.dedup_by_key(|x| x.0);
            let mut cpack: Vec<(u32, f64)> = Vec::new();
            let mut add = |key: PackKey, cap: f64, coef: f64| {
                let id = *pack_id.entry(key).or_insert_with(|| {
                    packs.push(cap);
                    (packs.len() - 1) as u32
                });
                cpack.push((id, coef));
            };
            let site_name = &problem.sites()[c.site].name;
            if let Some(cap) = problem
                .rules()
                .site_caps
                .iter()
                .find(|x| &x.site == site_name)
            {
                if let Some(m) = cap.max_per_interval {
                    for t in c.present(h, problem.rules().cyclic) {
                        add(PackKey::SiteInterval(c.site, t), f64::from(m), 1.0);
                    }
                }
                if let Some(m) = cap.max_per_day {
                    add(PackKey::SiteDay(c.site, c.local_date), f64::from(m), 1.0);
                }
            }
            if let Some(m) = templates[c.template].max_count {
                add(PackKey::TemplateMax(c.template), f64::from(m), 1.0);
            }
            if let Some(b) = problem.rules().budget {
                add(PackKey::Budget, b, c.cost);
            }
            cands.push(Cand {
                index: ci,
                start: minutes(c.shift.start),
                end: minutes(c.shift.end),
                paid: u32::try_from(c.shift.paid_minutes().max(0)).unwrap_or(0),
                cost: c.cost,
                rows: crow,
                packs: cpack,
            });
        }
        let mut models = Vec::with_capacity(agents.len());
        for (i, a) in agents.iter().enumerate() {
            let site = &problem.sites()[site_of[i]];
            let first = site.local(h.start()).date_naive();
            let last = site.local(h.end() - Duration::seconds(1)).date_naive();
            let days = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
            let mut options = vec![Vec::new(); days];
            for (k, c) in cands.iter().enumerate() {
                let pc = &all[c.index];
                if !workable(i, pc) {
                    continue;
                }
                let Ok(d) = usize::try_from((pc.local_date - first).num_days()) else {
                    continue;
                };
                if let Some(o) = options.get_mut(d) {
                    o.push(k);
                }
            }
            let mut day_off = vec![false; days];
            for d in &a.days_off {
                if let Some(x) = usize::try_from((*d - first).num_days())
                    .ok()
                    .and_then(|k| day_off.get_mut(k))
                {
                    *x = true;
                }
            }
            let weekday = (0..days)
                .map(|d| (first + Duration::days(d as i64)).weekday())
                .collect();
            let c = &a.contract;
            let start_of_day = options
                .iter()
                .map(|o| {
                    o.iter()
                        .map(|&k| {
                            let t = site.local(all[cands[k].index].shift.start).time();
                            i16::try_from(t.hour() * 60 + t.minute()).unwrap_or(0)
                        })
                        .collect()
                })
                .collect();
            let mut m = AgentModel {
                spec: i,
                first,
                weekday,
                penalty: options.iter().map(|o| vec![0.0; o.len()]).collect(),
                fixed: vec![false; days],
                options,
                day_off,
                min_minutes: hours_minutes(c.min_hours),
                max_minutes: c.max_hours.map_or(u32::MAX, hours_minutes),
                max_consecutive: c.max_consecutive_days,
                min_consecutive: c.min_consecutive_days,
                min_consecutive_off: c.min_consecutive_days_off,
                max_weekends: c.max_weekends.unwrap_or(u32::MAX),
                rest_minutes: i64::from(hours_minutes(c.min_rest_hours)),
                start_of_day,
                start_spread: c
                    .start_tolerance_minutes
                    .map(|t| i16::try_from(2 * t.min(720)).unwrap_or(i16::MAX)),
                rotation: c.rotating_weekends.map(|r| (r.work, r.of)),
                hours_weight: c.balance_hours_weight,
                weekends_weight: c.balance_weekends_weight,
            };
            wishes::apply(&mut m, a, i, problem, &cands)?;
            models.push(m);
        }
        Ok(Model {
            cands,
            rows,
            packs,
            agents: models,
            hard_penalty,
            constant,
            memo: super::memo::Memo::default(),
            meter: super::meter::Meter::default(),
            threads: super::master::threads(),
            max_labels: super::price::MAX_LABELS,
        })
    }
}
