//! The stop flag ends a long MIP inside one solve: microlp between slices (as the planner
//! solves) and HiGHS through its interrupt callback, for models stated directly (as the
//! planner does) and through good_lp (as the roster does; unsliced, so microlp reads the
//! flag before the call only). No timed assertion: each solve must return, say it was
//! stopped, and have done less work than a run without the flag held by a node limit. And
//! a flag that stays unset changes no answer.

use super::goodlp::{self, Con};
use super::{solve, Answer, Backend, Fail, Model, Op, Settings, Status};
use crate::budget::{stop_flag, Budget, StopFlag};
use good_lp::{variable, Expression, ProblemVariables};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A market split instance (Cornuéjols and Dawande): `m` rows of pseudo-random weights in
/// 0..100 over `10 (m - 1)` binaries, each row to hit half its total, with a slack either
/// way at cost 1. The LP bound is 0; proving the optimum takes branch and bound far longer
/// than any test runs.
fn market_split(m: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = 10 * (m - 1);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % 100) as f64
    };
    let a: Vec<Vec<f64>> = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    let rhs = a
        .iter()
        .map(|r| (r.iter().sum::<f64>() / 2.0).floor())
        .collect();
    (a, rhs)
}

/// The instance as a solver model: binaries first, then each row's two slacks.
fn direct(m: usize) -> Model {
    let (a, rhs) = market_split(m);
    let mut model = Model::default();
    let x: Vec<usize> = (0..a[0].len())
        .map(|_| model.col(0.0, 0.0, 1.0, true))
        .collect();
    for (row, b) in a.iter().zip(rhs) {
        let up = model.col(1.0, 0.0, f64::INFINITY, false);
        let down = model.col(1.0, 0.0, f64::INFINITY, false);
        let mut terms: Vec<(usize, f64)> = x.iter().zip(row).map(|(&j, &c)| (j, c)).collect();
        terms.push((up, 1.0));
        terms.push((down, -1.0));
        model.row(terms, Op::Eq, b);
    }
    model
}

/// Solves the instance through good_lp's model, as the roster does.
fn through_good_lp(m: usize, backend: Backend, settings: Settings<'_>) -> Result<Answer, Fail> {
    let (a, rhs) = market_split(m);
    let mut vars = ProblemVariables::new();
    let x: Vec<_> = (0..a[0].len())
        .map(|_| vars.add(variable().binary()))
        .collect();
    let mut obj = Expression::from(0.0);
    let mut cons: Vec<Con> = Vec::new();
    for (row, b) in a.iter().zip(rhs) {
        let up = vars.add(variable().min(0));
        let down = vars.add(variable().min(0));
        obj.add_mul(1.0, up);
        obj.add_mul(1.0, down);
        let mut e = Expression::from(0.0);
        for (&v, &c) in x.iter().zip(row) {
            e.add_mul(c, v);
        }
        // Both directions of the equality, one of them written `>=`.
        cons.push(goodlp::leq(e.clone() + up - down, b));
        cons.push(goodlp::geq(e + up - down, b));
    }
    let init = x.iter().map(|&v| (v, 0.0)).collect();
    goodlp::solve_model(backend, vars, &obj, cons, Some(init), settings).map(|s| s.answer().clone())
}

fn backends() -> Vec<Backend> {
    [Backend::Microlp, Backend::Highs]
        .into_iter()
        .filter(|b| b.available())
        .collect()
}

/// Sets `flag` 200 ms from now, from another thread.
fn set_later(flag: &StopFlag) -> std::thread::JoinHandle<()> {
    let flag = flag.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        flag.store(true, Ordering::Relaxed);
    })
}

/// Runs `run` once stopped by the flag under an hour's budget, then once without a flag,
/// held only by a node limit above the stopped run's nodes; returns both answers.
fn stopped_then_held(run: &dyn Fn(Settings<'_>) -> Result<Answer, Fail>) -> (Answer, Answer) {
    let flag = stop_flag();
    let budget = Budget::new(Duration::from_secs(3600), Some(flag.clone()));
    let setter = set_later(&flag);
    let stopped = run(Settings::new(&budget)).expect("the slack start is feasible");
    setter.join().expect("the setter thread ends");
    assert!(flag.load(Ordering::Relaxed));
    let done = stopped.nodes.expect("a MIP reports its nodes");
    let free = Budget::new(Duration::from_secs(3600), None);
    let mut settings = Settings::new(&free);
    settings.nodes = Some(2 * done + 200);
    let held = run(settings).expect("the slack start is feasible");
    (stopped, held)
}

fn check(name: &str, stopped: &Answer, held: &Answer) {
    assert_eq!(stopped.status, Status::Stopped, "{name}: {stopped:?}");
    let (a, b) = (stopped.nodes.unwrap_or(0), held.nodes.unwrap_or(0));
    assert!(
        b > a,
        "{name}: a run without the flag goes further ({b} nodes) than the stopped one ({a})"
    );
}

#[test]
fn the_stop_flag_ends_a_long_mip_stated_directly() {
    let model = direct(5);
    for backend in backends() {
        let (stopped, held) = stopped_then_held(&|mut s| {
            s.warm = Some((0..model.cols.len()).map(|j| (j, 0.0)).collect());
            s.slices = true;
            solve(backend, &model, &s)
        });
        check(backend.name(), &stopped, &held);
    }
}

#[test]
fn the_stop_flag_ends_a_long_mip_built_with_good_lp() {
    for backend in backends() {
        if backend == Backend::Highs {
            let (stopped, held) = stopped_then_held(&|s| through_good_lp(5, backend, s));
            check(backend.name(), &stopped, &held);
        }
        // Unsliced microlp reads the flag before the call.
        let flag = stop_flag();
        flag.store(true, Ordering::Relaxed);
        let budget = Budget::new(Duration::from_secs(3600), Some(flag));
        let r = through_good_lp(5, backend, Settings::new(&budget));
        if backend == Backend::Microlp {
            assert_eq!(r.err(), Some(Fail::Stopped));
        } else if let Ok(a) = r {
            assert_eq!(a.status, Status::Stopped, "{}", backend.name());
        }
    }
}

#[test]
fn a_backend_not_compiled_in_is_a_named_failure() {
    let budget = Budget::new(Duration::from_secs(1), None);
    for backend in [Backend::Microlp, Backend::Highs, Backend::CoinCbc] {
        if backend.available() {
            continue;
        }
        match solve(backend, &direct(2), &Settings::new(&budget)) {
            Err(Fail::Other(why)) => assert!(why.contains(backend.name()), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_flag_never_set_changes_nothing() {
    // With a flag, HiGHS has its interrupt callback and unsliced microlp reads it before
    // the call; held by the same node limit, the answer must be the one without a flag.
    let model = direct(4);
    for backend in backends() {
        let run = |stop: Option<StopFlag>| {
            let budget = Budget::new(Duration::from_secs(3600), stop);
            let mut s = Settings::new(&budget);
            s.nodes = Some(3000);
            s.warm = Some((0..model.cols.len()).map(|j| (j, 0.0)).collect());
            solve(backend, &model, &s).expect("the slack start is feasible")
        };
        let (plain, flagged) = (run(None), run(Some(stop_flag())));
        assert_eq!(plain.x, flagged.x, "{}", backend.name());
        assert_eq!(plain.status, flagged.status, "{}", backend.name());
        assert_eq!(plain.nodes, flagged.nodes, "{}", backend.name());
        assert_eq!(plain.bound, flagged.bound, "{}", backend.name());
    }
}

#[test]
fn a_mip_reports_the_pivots_of_its_whole_search() {
    // The planner charges a MIP the pivots its backend reports; a backend that says
    // nothing (HiGHS once did, for every MIP) is charged a size-based guess far below its
    // cost. HiGHS and microlp both count every LP of the search.
    let model = direct(3);
    for backend in backends() {
        let budget = Budget::new(Duration::from_secs(3600), None);
        let mut s = Settings::new(&budget);
        s.nodes = Some(200);
        let a = solve(backend, &model, &s).expect("the market split has slack solutions");
        let pivots = a.iterations.unwrap_or(0);
        assert!(pivots > 0, "{}: {:?}", backend.name(), a.iterations);
        // More than one LP's worth: the search re-solved at its nodes.
        assert!(
            a.nodes.unwrap_or(0) <= 1 || pivots > 10,
            "{}",
            backend.name()
        );
    }
}

/// A MIP on `backend` limited to `limit` simplex iterations (from the slack start where
/// `warm`) stops past them, before its node limit, and at the same point on two runs;
/// without the limit it goes on.
fn ends_at_its_iteration_limit(backend: Backend, limit: u64, warm: bool) {
    let model = direct(5);
    let budget = Budget::new(Duration::from_secs(3600), None);
    let run = |limit: Option<u64>, nodes: Option<u64>| {
        let mut s = Settings::new(&budget);
        s.mip_iterations = limit;
        s.nodes = nodes;
        if warm {
            s.warm = Some((0..model.cols.len()).map(|j| (j, 0.0)).collect());
        }
        solve(backend, &model, &s).expect("the slack start is feasible")
    };
    let nodes = 20_000;
    // The node limit only keeps a broken iteration limit from running for the hour.
    let (a, b) = (run(Some(limit), Some(nodes)), run(Some(limit), Some(nodes)));
    assert_eq!(a.status, Status::Stopped, "{a:?}");
    assert!(a.nodes.unwrap_or(nodes) < nodes, "{a:?}");
    let done = a.iterations.expect("the backend reports its iterations");
    assert!(done >= limit, "{done} iterations");
    assert_eq!((&a.x, a.iterations, a.nodes), (&b.x, b.iterations, b.nodes));
    // Without the limit, held by a node limit past the limited run's nodes, it goes on.
    let held = run(None, Some(2 * a.nodes.unwrap_or(0) + 200));
    assert!(held.iterations.unwrap_or(0) > done, "{held:?}");
}

#[test]
fn a_highs_mip_ends_at_its_iteration_limit_at_the_same_point_on_every_run() {
    // HiGHS' node limit does not bound the work at its root; the iteration limit, read by
    // the interrupt callback at HiGHS' own checks, ends the search at the same point on
    // every run, after at least that many iterations.
    if Backend::Highs.available() {
        ends_at_its_iteration_limit(Backend::Highs, 3000, true);
    }
}

#[cfg(feature = "microlp")]
#[test]
fn a_microlp_mip_ends_at_its_iteration_limit_at_the_same_point_on_every_run() {
    // microlp's node limit bounds its nodes, not the pivots of their LPs; with an
    // iteration limit the search runs in slices of nodes and stops at the first slice
    // past it, the same on every run.
    ends_at_its_iteration_limit(Backend::Microlp, 2000, false);
}

/// The LP relaxation of the market split instance with `m` rows.
#[cfg(feature = "highs")]
fn relaxed(m: usize) -> Model {
    let mut model = direct(m);
    for c in &mut model.cols {
        c.integer = false;
    }
    model
}

#[cfg(feature = "highs")]
#[test]
fn a_highs_lp_reaching_its_iteration_limit_gives_no_answer() {
    // The roster's LP bound is cut at an iteration limit so that it ends at the same point
    // on every run: an LP stopped there is no bound, never a wrong one.
    let model = relaxed(6);
    let budget = Budget::new(Duration::from_secs(3600), None);
    let run = |limit: Option<u64>| {
        let mut s = Settings::new(&budget);
        s.lp_iterations = limit;
        solve(Backend::Highs, &model, &s)
    };
    let full = run(None).expect("the relaxation is feasible");
    assert_eq!(full.status, Status::Optimal);
    let needed = full.iterations.expect("HiGHS reports an LP's iterations");
    assert!(needed > 2, "{needed} iterations");
    assert!(matches!(run(Some(needed / 2)), Err(Fail::Stopped)));
    assert!(matches!(run(Some(needed / 2)), Err(Fail::Stopped)));
    let ample = run(Some(needed + 10)).expect("the limit is not reached");
    assert_eq!((ample.status, &ample.x), (Status::Optimal, &full.x));
}

#[cfg(feature = "highs")]
#[test]
fn a_highs_lp_by_interior_point_reaches_the_simplex_optimum() {
    // The roster's LP bound is solved by HiGHS' interior point method and crossover: its
    // value must be the LP's optimum, as the dual simplex finds it.
    let model = relaxed(6);
    let budget = Budget::new(Duration::from_secs(3600), None);
    let run = |ipm: bool| {
        let mut s = Settings::new(&budget);
        s.lp_ipm = ipm;
        solve(Backend::Highs, &model, &s).expect("the relaxation is feasible")
    };
    let value = |a: &Answer| -> f64 { model.cols.iter().zip(&a.x).map(|(c, x)| c.cost * x).sum() };
    let (simplex, ipm) = (run(false), run(true));
    assert_eq!(
        (simplex.status, ipm.status),
        (Status::Optimal, Status::Optimal)
    );
    assert!(
        (value(&simplex) - value(&ipm)).abs() < 1e-6,
        "{} {}",
        value(&simplex),
        value(&ipm)
    );
    assert_eq!(run(true).x, ipm.x, "the same answer on two runs");
}
