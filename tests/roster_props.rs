//! Law of the solver: every roster it returns passes the independent checker with zero
//! hard violations, and its reported objective is the checker's. Small random instances.

use chrono::Weekday;
use proptest::prelude::*;
use std::ops::RangeInclusive;
use std::time::Duration;
use wfm::roster::{self, Contract, Cover, Employee, Options, Problem, Request, ShiftType};

fn problem_strategy() -> impl Strategy<Value = Problem> {
    problems(1..=3, 1..=5, 1..=2)
}

/// Random problems with `ns` shift types, `ne` employees and `weeks` weeks.
fn problems(
    ns: RangeInclusive<usize>,
    ne: RangeInclusive<usize>,
    weeks: RangeInclusive<usize>,
) -> impl Strategy<Value = Problem> {
    (ns, ne, weeks, any::<u64>()).prop_map(|(ns, ne, weeks, seed)| {
        // A tiny deterministic generator driven by the proptest seed.
        let mut x = seed | 1;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n.max(1)
        };
        let days = 7 * weeks;
        let shift_types: Vec<ShiftType> = (0..ns)
            .map(|s| ShiftType {
                id: format!("S{s}"),
                minutes: 240 + 60 * next(5) as u32,
                cannot_follow: (0..ns).filter(|_| next(3) == 0).collect(),
                site: None,
                skill: None,
                instances: vec![],
            })
            .collect();
        let employees: Vec<Employee> = (0..ne)
            .map(|e| {
                let max_cons = 2 + next(5) as u32;
                // Sometimes a minimum that may be impossible: then `Infeasible` is fine.
                let min_minutes = if next(3) == 0 {
                    480 * next(4) as u32
                } else {
                    0
                };
                Employee {
                    id: format!("E{e}"),
                    contract: Contract {
                        max_shifts: (0..ns).map(|_| next(days as u64 + 1) as u32).collect(),
                        min_minutes,
                        max_minutes: min_minutes + 480 * (2 + next(days as u64) as u32),
                        max_consecutive: max_cons,
                        min_consecutive: 1 + next(u64::from(max_cons).min(3)) as u32,
                        min_consecutive_off: 1 + next(3) as u32,
                        max_weekends: next(weeks as u64 + 1) as u32,
                        min_rest_minutes: 0,
                    },
                    days_off: (0..days).filter(|_| next(6) == 0).collect(),
                    sites: vec![],
                    skills: vec![],
                }
            })
            .collect();
        let mut cover = Vec::new();
        for d in 0..days {
            for s in 0..ns {
                if next(4) != 0 {
                    cover.push(Cover {
                        day: d,
                        shift: s,
                        requirement: next(3) as u32,
                        weight_under: 1 + next(100) as u32,
                        weight_over: next(3) as u32,
                    });
                }
            }
        }
        let mut req = || Request {
            employee: next(ne as u64) as usize,
            day: next(days as u64) as usize,
            shift: next(ns as u64) as usize,
            weight: 1 + next(3) as u32,
        };
        let on_requests = (0..ne).map(|_| req()).collect();
        let off_requests = (0..ne).map(|_| req()).collect();
        Problem {
            name: "random".into(),
            days,
            first_weekday: Weekday::Mon,
            shift_types,
            employees,
            cover,
            on_requests,
            off_requests,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn solver_rosters_pass_the_checker(p in problem_strategy(), threads in 1usize..=3) {
        let opts = Options {
            time_limit: Duration::from_millis(300),
            threads,
            ..Options::default()
        };
        let all_zero_min = p.employees.iter().all(|e| e.contract.min_minutes == 0);
        match roster::solve(&p, &opts) {
            Ok(sol) => {
                let rep = roster::check(&p, &sol.roster);
                prop_assert!(rep.violations.is_empty(), "{:?}", rep.violations);
                prop_assert_eq!(rep.objective, sol.objective);
                if let Some(lb) = sol.lower_bound {
                    prop_assert!(lb <= sol.objective, "bound {} above objective {}", lb, sol.objective);
                }
                // The progress log: improvements only, in time order, ending at the answer
                // (empty only when the answer is the everyone-off roster it started from).
                for w in sol.progress.windows(2) {
                    prop_assert!(w[0].at <= w[1].at);
                    prop_assert!((w[1].violations, w[1].objective) < (w[0].violations, w[0].objective), "{:?}", sol.progress);
                }
                let empty = roster::check(&p, &roster::Roster::empty(p.employees.len(), p.days));
                match sol.progress.last() {
                    Some(last) => prop_assert_eq!((last.violations, last.objective), (0, sol.objective)),
                    None => prop_assert_eq!(sol.objective, empty.objective),
                }
                // Never worse than everyone off when that is itself valid.
                if empty.violations.is_empty() {
                    prop_assert!(sol.objective <= empty.objective);
                }
            }
            Err(wfm::Error::Infeasible { .. }) => {
                // With no minimum minutes everyone-off is valid, so a roster must be found.
                prop_assert!(!all_zero_min, "infeasible reported although an empty roster is valid");
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}

/// Every roster of a tiny problem, by counting in base `ns + 1` (digit `ns` = off).
fn brute_force_best(p: &Problem) -> Option<i64> {
    let (ne, nd, ns) = (p.employees.len(), p.days, p.shift_types.len());
    let cells = ne * nd;
    let base = ns as u64 + 1;
    let total = base.pow(cells as u32);
    let mut best: Option<i64> = None;
    for code in 0..total {
        let mut c = code;
        let mut r = roster::Roster::empty(ne, nd);
        for cell in 0..cells {
            let v = (c % base) as usize;
            c /= base;
            r.shifts[cell / nd][cell % nd] = (v < ns).then_some(v);
        }
        let rep = roster::check(p, &r);
        if rep.violations.is_empty() {
            best = Some(best.map_or(rep.objective, |b| b.min(rep.objective)));
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The MIP model and the checker agree on the rules: on problems small enough to
    /// enumerate every roster (at most 3^7 or 2^14), the solver proves an optimum equal to
    /// the best roster the checker accepts, and finds none only when none exists.
    #[test]
    fn proven_optimum_equals_brute_force(
        p in prop_oneof![problems(1..=1, 1..=2, 1..=1), problems(2..=2, 1..=1, 1..=1)]
    ) {
        let brute = brute_force_best(&p);
        let opts = Options { time_limit: Duration::from_secs(20), ..Options::default() };
        match (roster::solve(&p, &opts), brute) {
            (Ok(sol), Some(b)) => {
                prop_assert!(sol.proven_optimal, "optimum {} not proven (found {})", b, sol.objective);
                prop_assert_eq!(sol.objective, b);
                // Whatever gave it (LP relaxation, column generation), a bound is never above
                // the true optimum.
                if let Some(lb) = sol.lower_bound {
                    prop_assert!(lb <= b, "lower bound {} above the optimum {}", lb, b);
                }
            }
            (Ok(sol), None) => prop_assert!(false, "no valid roster exists, solver returned {:?}", sol.roster),
            (Err(wfm::Error::Infeasible { .. }), None) => {}
            (Err(e), b) => prop_assert!(false, "error {e} although the best roster costs {b:?}"),
        }
    }
}
