//! Large-neighbourhood search: free a window of days for a set of employees, fix every
//! other cell, solve that sub-MIP (node limited, so its answer is the same on every run),
//! keep it when the checker finds it no worse.
//!
//! Windows are the whole horizon, 28, 21, 14, 10 or 7 days; each length has its own size
//! in free binaries, grown by 1/8 while its sub-MIPs are proven optimal within their nodes
//! and cut by 1/5 when they are not (a week for everyone is far easier than the whole
//! horizon for a few). Half the time the window is placed around a (day, shift) left short,
//! with the employees who could work it taken first. While the roster breaks rules, each
//! step picks a broken rule and frees what can repair it (see [`repair_window`]); the
//! sub-model is then elastic (breaks cost a large penalty), so its warm start, the current
//! roster, is a solution and a step can only remove breaks.

use super::data::Data;
use super::mip::{self, How};
use super::portfolio::{vars_in, Best, Caps, Ctx};
use super::search::Rng;
use super::{Problem, Report, Rule, Violation};

/// One lane's neighbourhood sizes, carried from round to round.
pub(super) struct LaneState {
    /// Window lengths of the neighbourhoods, each with its own size (free binaries) that
    /// adapts: whole-horizon neighbourhoods are harder to solve than a week for everyone.
    lens: Vec<usize>,
    caps_by_len: Vec<usize>,
}

impl LaneState {
    pub fn new(dt: &Data, caps: &Caps) -> Self {
        let nd = dt.nd;
        let mut lens: Vec<usize> = [nd, 28, 21, 14, 10, 7]
            .iter()
            .map(|&l| l.clamp(1, nd.max(1)))
            .collect();
        lens.dedup();
        let caps_by_len = vec![caps.sub; lens.len()];
        LaneState { lens, caps_by_len }
    }
}

/// `steps` neighbourhood sub-MIPs from `best`, each kept when the checker finds it no
/// worse. Returns the lane's best roster and (steps done, steps that improved).
pub(super) fn search(
    ctx: &Ctx,
    st: &mut LaneState,
    mut best: Best,
    steps: usize,
    rng: &mut Rng,
) -> (Best, (usize, usize)) {
    let (problem, dt, caps) = (ctx.problem, ctx.dt, &ctx.caps);
    let mut done = (0, 0);
    for _ in 0..steps {
        if ctx.budget.is_over() {
            break;
        }
        // While the best roster still breaks rules, free an offending employee first.
        let repair = repair_window(problem, &best.report, rng);
        let must = repair.map(|r| r.0);
        // Otherwise half the time a window around a shift left short, with the employees
        // who could work it first; else a random window.
        let short = if repair.is_none() && rng.below(2) == 0 && !best.report.shortfalls.is_empty() {
            let list = &best.report.shortfalls;
            Some(list[rng.below(list.len())])
        } else {
            None
        };
        let lens = &st.lens;
        let (class, from, len) = match repair {
            Some((_, from, len)) => (usize::MAX, from, len),
            None => {
                let c = rng.below(lens.len());
                let from = match short {
                    Some(sf) => sf
                        .day
                        .saturating_sub(rng.below(lens[c]))
                        .min(dt.nd - lens[c]),
                    None => rng.below(dt.nd - lens[c] + 1),
                };
                (c, from, lens[c])
            }
        };
        // A window repair takes along the other employees breaking a rule in the window.
        let local_repair = repair.is_some_and(|r| r.2 < dt.nd);
        let cap = if local_repair {
            caps.sub * 5
        } else {
            st.caps_by_len.get(class).copied().unwrap_or(caps.sub)
        };
        let broken_in = if local_repair {
            broken_between(problem, &best.report, from, from + len)
        } else {
            Vec::new()
        };
        let first = |e: usize| {
            if local_repair {
                broken_in.get(e).copied().unwrap_or(false)
            } else {
                short.is_some_and(|sf| dt.ok(e, sf.day, sf.shift))
            }
        };
        let (emps, from, to) = neighbourhood(dt, rng, cap, must, &first, from, len);
        let free = |e: usize, d: usize| d >= from && d < to && emps.contains(&e);
        done.0 += 1;
        // While rules are broken the sub-model is elastic, and a repair only needs a
        // better roster: stop within 2 % of the sub-model's bound.
        let broken = !best.valid();
        let gap = if repair.is_some() { 0.02 } else { 0.0 };
        let nodes = if repair.is_some() {
            caps.step_nodes * 2
        } else {
            caps.step_nodes
        };
        let mut finished = false;
        if let Ok(r) = mip::solve(
            dt,
            &best.grid,
            &free,
            How {
                relax: false,
                budget: ctx.budget,
                gap,
                elastic: broken,
                backend: ctx.bk,
                nodes: Some(nodes),
                units: Some(caps.step_units),
            },
        ) {
            finished = r.optimal;
            if let Some(g) = r.grid {
                let cand = Best::new(problem, dt, g);
                if cand.key() < best.key() {
                    done.1 += 1;
                }
                if cand.key() <= best.key() {
                    best = cand;
                }
            }
        }
        // Adapt the neighbourhood size: grow while sub-MIPs are proven within their nodes,
        // shrink when they are not.
        if let Some(c) = st.caps_by_len.get_mut(class) {
            if finished {
                *c = (*c + *c / 8 + 1).min(caps.sub_max);
            } else {
                *c = (*c - *c / 5).max(caps.sub_min);
            }
        }
    }
    (best, done)
}

/// Which employees break a rule on a day of `from..to`.
fn broken_between(problem: &Problem, report: &Report, from: usize, to: usize) -> Vec<bool> {
    let mut b = vec![false; problem.employees.len()];
    for v in &report.violations {
        let (Some(id), Some(d)) = (&v.employee, v.day) else {
            continue;
        };
        if d >= from && d < to {
            if let Some(e) = problem.employees.iter().position(|x| &x.id == id) {
                b[e] = true;
            }
        }
    }
    b
}

/// A neighbourhood that can repair one violation of `report`, chosen at random:
/// `(employee, first day, days)`. Rules about a stretch of days (runs, successions, rest,
/// days off) get a window of four weeks around the day; rules about the whole horizon
/// (minutes, maxima, weekends) get the whole horizon.
pub(super) fn repair_window(
    problem: &Problem,
    report: &Report,
    rng: &mut Rng,
) -> Option<(usize, usize, usize)> {
    let list: Vec<&Violation> = report
        .violations
        .iter()
        .filter(|v| v.employee.is_some())
        .collect();
    if list.is_empty() {
        return None;
    }
    let v = list[rng.below(list.len())];
    let id = v.employee.as_ref()?;
    let e = problem.employees.iter().position(|x| &x.id == id)?;
    let local = matches!(
        v.rule,
        Rule::MaxConsecutive
            | Rule::MinConsecutive
            | Rule::MinConsecutiveOff
            | Rule::Succession
            | Rule::MinRest
            | Rule::DayOff
    );
    let nd = problem.days;
    match v.day {
        // Now and then a local rule is repaired over the whole horizon anyway: fixed edges
        // can make a window unrepairable.
        Some(d) if local && rng.below(8) != 0 => {
            let from = d.saturating_sub(14).min(nd.saturating_sub(28));
            Some((e, from, 28.min(nd - from)))
        }
        _ => Some((e, 0, nd)),
    }
}

/// The window of `len` days from `from` and a random set of employees whose free cells fit
/// `cap`, those `first` picks before the others (`must`, when given, is always in, even past
/// the cap).
fn neighbourhood(
    dt: &Data,
    rng: &mut Rng,
    cap: usize,
    must: Option<usize>,
    first: &dyn Fn(usize) -> bool,
    from: usize,
    len: usize,
) -> (Vec<usize>, usize, usize) {
    let to = (from + len.max(1)).min(dt.nd);
    let mut order: Vec<usize> = (0..dt.ne).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    // Stable: employees `first` picks come first, each group still in random order.
    order.sort_by_key(|&e| !first(e));
    if let Some(m) = must {
        if let Some(i) = order.iter().position(|&e| e == m) {
            order.swap(0, i);
        }
    }
    let mut emps = Vec::new();
    let mut used = 0;
    for e in order {
        let n = vars_in(dt, &[e], from, to);
        // At least one employee, even past the cap.
        if used + n > cap && Some(e) != must && !emps.is_empty() {
            break;
        }
        used += n;
        emps.push(e);
    }
    (emps, from, to)
}
