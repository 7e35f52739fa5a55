//! Whole-row moves on the exact pricing DP (the `price` module), for every backend.
//!
//! Every hard rule is about one employee and cover is soft, so with the other employees
//! fixed, the objective is the employee's request penalty plus, for each cell it works, the
//! change in that cell's cover penalty: `-under` while the others leave the cell short,
//! `+over` once they meet it. That is linear in the employee's cells, so the pricing DP
//! finds the employee's best valid schedule against everyone else exactly: a *best
//! response*. [`descend`] gives each employee in turn its best response until a pass
//! changes nothing (a roster no single employee's new schedule can improve).
//!
//! [`ruin`] clears the rows of a few employees and lets everyone respond in turn (the
//! cleared rows priced anew): a large neighbourhood whose sub-problem, one employee's whole
//! horizon, is solved exactly. Everything is counted (pricing calls and the labels the DP
//! creates), nothing timed.

use super::data::Data;
use super::price;
use crate::budget::Budget;

/// Labels per day past which the DP gives up (the employee is then left as it is).
const MAX_LABELS: usize = 200_000;

/// Whether the exact DP applies to `dt` (rest conflicts within one day).
pub(super) fn applies(dt: &Data) -> bool {
    dt.rest_reach <= 1 && dt.nd > 0 && dt.ne > 0
}

/// Work units (milliseconds of one thread) charged per pricing call: measured on the
/// benchmark, a best response over four weeks and ten shift types (Instance 12) takes about
/// 0.7 ms; more days or shift types take proportionally more.
pub(super) fn units_per_call(dt: &Data) -> f64 {
    (dt.nd * dt.ns.max(1)) as f64 / 400.0
}

/// What best responses may spend: pricing calls, and the pricing DP's work in labels
/// ([`price::Tally::charge`]: the labels created and the values their dominance checks
/// compared). A call's labels grow with its employee's rules as well as with the horizon
/// (on Curtois Instance 21, 26 weeks and 8 shift types, a call made 2-8 million labels,
/// seconds of CPU, where the calls' charge paid 3.6 ms), so calls alone do not bound the
/// work; and on the longest horizons the compares cost more than the labels (on Instance
/// 24, 52 weeks, about 11 microseconds a label, against about 0.2 on 8 and 26 weeks; see
/// [`price::COMPARED_PER_LABEL`]), so labels alone do not either. Whichever runs out first ends it; the work in labels also caps a
/// call, which gives up before its next day once the allowance is reached.
#[derive(Clone, Copy, Debug)]
pub(super) struct Allowance {
    pub calls: u64,
    pub labels: u64,
}

impl Allowance {
    /// The allowance of `units` work units on `dt`: the calls they pay at
    /// [`units_per_call`], or the labels at the column phase's rate.
    pub fn of_units(dt: &Data, units: u64) -> Self {
        Allowance {
            calls: (units as f64 / units_per_call(dt)).ceil() as u64,
            labels: super::meter::labels_of_units(units),
        }
    }

    /// Whether `spent` reaches it.
    fn reached_by(&self, spent: &Spent) -> bool {
        spent.calls >= self.calls || spent.labels >= self.labels
    }
}

/// What best responses spent: pricing calls, and their work in labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Spent {
    pub calls: u64,
    pub labels: u64,
}

/// Cover counts of `grid`.
fn counts(dt: &Data, grid: &[u8]) -> Vec<i64> {
    let (nd, ns) = (dt.nd, dt.ns);
    let mut n = vec![0i64; nd * ns];
    for e in 0..dt.ne {
        for d in 0..nd {
            let s = grid[e * nd + d];
            if (s as usize) < ns {
                n[d * ns + s as usize] += 1;
            }
        }
    }
    n
}

/// Value of `row` of employee `e` at cell costs `cost`: request penalty plus the costs.
fn row_value(dt: &Data, e: usize, row: &[u8], cost: &[f64]) -> f64 {
    let (nd, ns) = (dt.nd, dt.ns);
    let mut v = dt.on_total[e] as f64;
    for (d, &s) in row.iter().enumerate() {
        if (s as usize) < ns {
            let k = (e * nd + d) * ns + s as usize;
            v += (dt.off_w[k] - dt.on_w[k]) as f64 + cost[d * ns + s as usize];
        }
    }
    v
}

/// Whether `row` keeps every hard rule of employee `e` (the DP with every day forced);
/// `None` when the DP does not apply.
fn row_valid(
    dt: &Data,
    e: usize,
    row: &[u8],
    made: &mut price::Tally,
    budget: &Budget,
) -> Option<bool> {
    let zero = vec![0.0; dt.nd * dt.ns];
    let inf = f64::INFINITY;
    price::price_counted(dt, e, &zero, MAX_LABELS, inf, Some(row), made, Some(budget))
        .map(|r| r.is_some())
}

/// Best responses: each employee in turn (starting at `first`) takes its best valid
/// schedule against the others' cover, kept when it lowers the objective (or replaces a
/// schedule that breaks a rule), until a pass changes nothing, the allowance is spent (read
/// between calls), or the budget ends. `valid[e]`: whether row `e` is known to keep its
/// rules (`None`: unknown, checked when its turn comes); updated. Returns what it spent.
pub(super) fn descend(
    dt: &Data,
    grid: &mut [u8],
    valid: &mut [Option<bool>],
    first: usize,
    allow: Allowance,
    budget: &Budget,
) -> Spent {
    let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
    let mut spent = Spent::default();
    if !applies(dt) {
        return spent;
    }
    let mut n = counts(dt, grid);
    let mut cost = vec![0.0; nd * ns];
    let mut tally = price::Tally::capped(allow.labels);
    let mut unchanged = 0usize;
    let mut i = 0usize;
    while unchanged < ne && !allow.reached_by(&spent) {
        if budget.is_over() {
            break;
        }
        let e = (first + i) % ne;
        i += 1;
        let row = &mut grid[e * nd..(e + 1) * nd];
        for (d, &s) in row.iter().enumerate() {
            if (s as usize) < ns {
                n[d * ns + s as usize] -= 1;
            }
        }
        for (k, c) in cost.iter_mut().enumerate() {
            *c = match dt.cover[k] {
                Some((req, u, o)) => {
                    if n[k] < req {
                        -(u as f64)
                    } else {
                        o as f64
                    }
                }
                None => 0.0,
            };
        }
        let ok = match valid[e] {
            Some(v) => v,
            None => {
                spent.calls += 1;
                let v = row_valid(dt, e, row, &mut tally, budget).unwrap_or(false);
                spent.labels = tally.charge();
                valid[e] = Some(v);
                v
            }
        };
        let ub = if ok {
            row_value(dt, e, row, &cost) - 0.5
        } else {
            f64::INFINITY
        };
        spent.calls += 1;
        let mut changed = false;
        let answer =
            price::price_counted(dt, e, &cost, MAX_LABELS, ub, None, &mut tally, Some(budget));
        spent.labels = tally.charge();
        if let Some(Some((new, _))) = answer {
            row.copy_from_slice(&new);
            valid[e] = Some(true);
            changed = true;
        }
        for (d, &s) in row.iter().enumerate() {
            if (s as usize) < ns {
                n[d * ns + s as usize] += 1;
            }
        }
        unchanged = if changed { 0 } else { unchanged + 1 };
    }
    spent
}

/// Objective of a valid roster `grid` (request penalties and cover), as the checker counts
/// it.
pub(super) fn objective(dt: &Data, grid: &[u8]) -> i64 {
    let (nd, ns) = (dt.nd, dt.ns);
    let n = counts(dt, grid);
    let mut v: i64 = dt.on_total.iter().sum();
    for e in 0..dt.ne {
        for d in 0..nd {
            let s = grid[e * nd + d];
            if (s as usize) < ns {
                let k = (e * nd + d) * ns + s as usize;
                v += dt.off_w[k] - dt.on_w[k];
            }
        }
    }
    for d in 0..nd {
        for s in 0..ns {
            v += dt.cover_cost(d, s, n[d * ns + s]);
        }
    }
    v
}

/// Ruin and recreate from `start` until the allowance is spent: clear the rows of a few
/// employees (2 to 5, chosen by `rng`), let everyone respond ([`descend`], the cleared rows
/// priced anew), keep the roster when its objective is no worse. `start` must keep every
/// rule; so does the answer. Returns the best roster and what it spent.
pub(super) fn ruin(
    dt: &Data,
    start: Vec<u8>,
    allow: Allowance,
    rng: &mut super::search::Rng,
    budget: &Budget,
) -> (Vec<u8>, Spent) {
    let (ne, nd) = (dt.ne, dt.nd);
    let mut best_v = objective(dt, &start);
    let mut best = start;
    let mut spent = Spent::default();
    if !applies(dt) {
        return (best, spent);
    }
    while !allow.reached_by(&spent) && !budget.is_over() {
        let mut g = best.clone();
        let k = (2 + rng.below(4)).min(ne);
        let mut first = 0;
        let mut valid = vec![Some(true); ne];
        for j in 0..k {
            let e = rng.below(ne);
            if j == 0 {
                first = e;
            }
            g[e * nd..(e + 1) * nd].fill(u8::MAX);
            valid[e] = None;
        }
        let left = Allowance {
            calls: (allow.calls - spent.calls).min(4 * ne as u64),
            labels: allow.labels - spent.labels,
        };
        let did = descend(dt, &mut g, &mut valid, (first + 1) % ne, left, budget);
        spent.calls += did.calls.max(1);
        spent.labels += did.labels;
        // Only a roster whose every row keeps its rules counts: a cleared row that the
        // calls ran out before is left off.
        if valid.iter().all(|&v| v == Some(true)) {
            let v = objective(dt, &g);
            if v <= best_v {
                best_v = v;
                best = g;
            }
        }
    }
    (best, spent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{check, curtois, search, Options, Roster};

    fn instance(name: &str) -> crate::roster::Problem {
        curtois::bundled(name)
    }

    fn grid_of(dt: &Data, roster: &Roster) -> Vec<u8> {
        let mut g = vec![u8::MAX; dt.ne * dt.nd];
        for (e, row) in roster.shifts.iter().enumerate() {
            for (d, s) in row.iter().enumerate() {
                if let Some(s) = s {
                    g[e * dt.nd + d] = *s as u8;
                }
            }
        }
        g
    }

    #[test]
    fn ruin_keeps_every_rule_and_never_worsens_the_checkers_objective() {
        let p = instance("Instance3.txt");
        let dt = Data::new(&p);
        assert!(applies(&dt));
        let opts = Options {
            work: Some(20),
            mip: false,
            ..Options::default()
        };
        let sol = crate::roster::solve(&p, &opts).unwrap();
        let start = grid_of(&dt, &sol.roster);
        let budget = Budget::new(std::time::Duration::from_secs(600), None);
        assert_eq!(objective(&dt, &start), sol.objective);
        let mut rng = search::Rng::new(7);
        let calls = Allowance {
            calls: 400,
            labels: u64::MAX,
        };
        let (g, spent) = ruin(&dt, start, calls, &mut rng, &budget);
        assert!(spent.calls >= 400);
        let rep = check(
            &p,
            &Roster {
                shifts: search::to_rows(&dt, &g),
            },
        );
        assert!(rep.violations.is_empty(), "{:?}", rep.violations);
        assert_eq!(rep.objective, objective(&dt, &g));
        assert!(rep.objective <= sol.objective);
    }

    const CALLS: Allowance = Allowance {
        calls: 10_000,
        labels: u64::MAX,
    };

    #[test]
    fn ruin_ends_at_its_labels_before_its_calls_and_the_same_on_every_run() {
        let p = instance("Instance3.txt");
        let dt = Data::new(&p);
        let budget = Budget::new(std::time::Duration::from_secs(600), None);
        let start = {
            let mut g = vec![u8::MAX; dt.ne * dt.nd];
            descend(&dt, &mut g, &mut vec![None; dt.ne], 0, CALLS, &budget);
            g
        };
        let run =
            |allow: Allowance| ruin(&dt, start.clone(), allow, &mut search::Rng::new(3), &budget);
        // Calls alone: what 300 calls cost in labels.
        let (_, by_calls) = run(Allowance {
            calls: 300,
            labels: u64::MAX,
        });
        assert!(by_calls.calls >= 300 && by_calls.labels > 0);
        // A third of those labels ends it well before its calls, past the labels by less
        // than one descent's calls.
        let labels = by_calls.labels / 3;
        let allow = Allowance { calls: 300, labels };
        let (g, spent) = run(allow);
        assert!(spent.labels >= labels, "{spent:?}");
        assert!(spent.calls < 200, "{spent:?}");
        assert_eq!(run(allow), (g, spent));
    }

    #[test]
    fn best_responses_repair_broken_rows_and_reach_a_fixed_point() {
        // Everyone off breaks the minimum minutes of Instance 1's employees: each row is
        // replaced by a valid schedule, and a second descent from the answer changes nothing.
        let p = instance("Instance1.txt");
        let dt = Data::new(&p);
        let budget = Budget::new(std::time::Duration::from_secs(600), None);
        let mut g = vec![u8::MAX; dt.ne * dt.nd];
        let mut valid = vec![None; dt.ne];
        descend(&dt, &mut g, &mut valid, 0, CALLS, &budget);
        assert!(valid.iter().all(|&v| v == Some(true)));
        let rep = check(
            &p,
            &Roster {
                shifts: search::to_rows(&dt, &g),
            },
        );
        assert!(rep.violations.is_empty(), "{:?}", rep.violations);
        let again = {
            let mut h = g.clone();
            let mut valid = vec![Some(true); dt.ne];
            descend(&dt, &mut h, &mut valid, 0, CALLS, &budget);
            h
        };
        assert_eq!(again, g);
        assert!(rep.objective >= 607, "below Instance 1's proven optimum");
    }
}
