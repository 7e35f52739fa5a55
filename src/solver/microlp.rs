//! The microlp backend through microlp's own API (the crate behind good_lp's `microlp`
//! backend), for what good_lp does not pass on: a branch-and-bound node limit, so a MIP
//! ends at the same point on every run and its memory does not grow with the time limit,
//! and the MIP's proven bound. With a stop flag and [`Settings::slices`], a solve runs in
//! slices of [`STOP_POLL`](super::STOP_POLL) and reads the flag between them (microlp
//! resumes the paused search, though not along the same path: see the layer's notes);
//! otherwise the flag is read before the call.
//!
//! microlp reads its deadline only every thousand simplex pivots, which on a large LP is
//! more than a second of one core. So a sliced LP of at least [`WATCH_SIZE`] columns and
//! rows runs on a worker thread that the caller stops waiting for at the deadline or soon
//! after the stop flag is set (answering [`Fail::Stopped`], as for an LP cut by its own
//! deadline); the worker ends by itself at microlp's next read of the deadline, and its
//! answer is dropped.

use super::{Answer, Fail, Model, Op, Settings, Status, STOP_POLL};
use crate::budget::Budget;
use microlp::{
    ComparisonOp, OptimizationDirection, Problem, SolveOutcome, TerminationReason, Variable,
};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// Columns and rows from which a sliced LP runs on a worker thread abandoned at the
/// deadline (a thousand pivots on this size are about 0.1 s of one core, by the planner's
/// measure of work: `plan::pace`).
pub(super) const WATCH_SIZE: usize = 2_000;

/// Solves `model` with microlp.
pub(super) fn solve(model: &Model, settings: &Settings<'_>) -> Result<Answer, Fail> {
    let size = model.cols.len() + model.rows.len();
    if !settings.slices || model.is_mip() || size < WATCH_SIZE {
        return solve_here(model, settings);
    }
    let owned = model.clone();
    let budget = settings.budget.clone();
    let (gap, abs_gap, nodes, warm, warm_zeros) = (
        settings.gap,
        settings.abs_gap,
        settings.nodes,
        settings.warm.clone(),
        settings.warm_zeros,
    );
    watched(settings.budget, move || {
        let settings = Settings {
            budget: &budget,
            gap,
            abs_gap,
            nodes,
            mip_iterations: None,
            lp_iterations: None,
            lp_ipm: false,
            warm,
            warm_zeros,
            slices: true,
        };
        solve_here(&owned, &settings)
    })
}

/// Runs `work` on a worker thread and waits for its answer until `budget` is over
/// (reading the stop flag every [`STOP_POLL`]): then [`Fail::Stopped`], the worker left to
/// end by itself. Where no thread can be started, `work` runs here.
pub(super) fn watched<W>(budget: &Budget, work: W) -> Result<Answer, Fail>
where
    W: FnOnce() -> Result<Answer, Fail> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let job = std::sync::Arc::new(std::sync::Mutex::new(Some(work)));
    let worker = job.clone();
    let started = std::thread::Builder::new()
        .name("wfm-lp".into())
        .spawn(move || {
            let work = worker.lock().ok().and_then(|mut w| w.take());
            if let Some(work) = work {
                // The caller may have stopped waiting: the answer is then dropped.
                let _ = tx.send(work());
            }
        });
    if started.is_err() {
        let work = job.lock().ok().and_then(|mut w| w.take());
        return match work {
            Some(work) => work(),
            None => Err(Fail::Other("the LP could not be started".into())),
        };
    }
    loop {
        match rx.recv_timeout(budget.remaining().min(STOP_POLL)) {
            Ok(answer) => return answer,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Fail::Other("microlp stopped without an answer".into()))
            }
            Err(RecvTimeoutError::Timeout) if budget.is_over() => return Err(Fail::Stopped),
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

/// Nodes of a MIP slice between two reads of its pivots, where its simplex iterations are
/// limited ([`Settings::mip_iterations`]): the slices fall at the same nodes on every run,
/// so the search is the same.
const NODE_SLICE: u64 = 250;

/// Solves `model` with microlp on this thread.
fn solve_here(model: &Model, settings: &Settings<'_>) -> Result<Answer, Fail> {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let clamp = |x: f64| x.clamp(i32::MIN as f64, i32::MAX as f64) as i32;
    let x: Vec<Variable> = model
        .cols
        .iter()
        .map(|c| {
            if !c.integer {
                p.add_var(c.cost, (c.lo, c.hi))
            } else if c.lo == 0.0 && c.hi == 1.0 {
                p.add_binary_var(c.cost)
            } else {
                p.add_integer_var(c.cost, (clamp(c.lo.ceil()), clamp(c.hi.floor())))
            }
        })
        .collect();
    for r in &model.rows {
        let op = match r.op {
            Op::Le => ComparisonOp::Le,
            Op::Ge => ComparisonOp::Ge,
            Op::Eq => ComparisonOp::Eq,
        };
        let terms: Vec<(Variable, f64)> = r.terms.iter().map(|&(j, c)| (x[j], c)).collect();
        p.add_constraint(terms, op, r.rhs);
    }
    let integer = model.is_mip();
    let budget = settings.budget;
    if budget.stop_requested() && !settings.slices {
        return Err(Fail::Stopped);
    }
    // One call until the deadline, or slices between reads of the stop flag.
    let sliced = settings.slices && budget.stop().is_some();
    let slice = |left: Duration| if sliced { left.min(STOP_POLL) } else { left };
    // With an iteration limit a MIP runs in slices of nodes, its pivots read between them.
    let cap = settings.mip_iterations.filter(|_| integer);
    let nodes_left = |done: u64| {
        let left = settings.nodes.map(|n| n.saturating_sub(done));
        match cap {
            Some(_) => Some(left.map_or(NODE_SLICE, |l| l.min(NODE_SLICE))),
            None => left,
        }
    };
    let mut options = microlp::SolveOptions::default();
    options.time_limit = Some(slice(budget.remaining()));
    if integer {
        options.node_limit = nodes_left(0);
        options.mip_gap = settings.rel_gap();
        options.warm_start = settings
            .warm
            .as_ref()
            .map(|w| w.iter().map(|&(j, v)| (x[j], v)).collect());
    }
    let mut outcome = p.solve_with(options);
    while let Ok(out) = &outcome {
        let reason = out.termination_reason();
        let paused = reason == TerminationReason::TimeLimit
            || (cap.is_some() && reason == TerminationReason::NodeLimit);
        let stats = out.stats();
        let spent = integer && settings.nodes.is_some_and(|n| stats.nodes_solved >= n);
        let pivoted = cap.is_some_and(|c| stats.lp_iterations >= c);
        if !paused || budget.is_over() || spent || pivoted {
            break;
        }
        let mut resume = out.last_resume_options();
        resume.time_limit = Some(slice(budget.remaining()));
        if integer {
            resume.node_limit = nodes_left(stats.nodes_solved);
        }
        if let Ok(out) = outcome {
            outcome = out.resume_with(resume);
        }
    }
    match outcome {
        Ok(SolveOutcome::Solution(sol)) => {
            let optimal = sol.status() == microlp::SolutionStatus::Optimal;
            // An LP stopped early is no answer: only its optimum is used.
            if !integer && !optimal {
                return Err(Fail::Stopped);
            }
            Ok(Answer {
                x: x.iter().map(|&v| sol.var_value_raw(v)).collect(),
                status: if optimal {
                    Status::Optimal
                } else {
                    Status::Stopped
                },
                bound: if integer {
                    sol.stats().best_bound
                } else {
                    None
                },
                nodes: integer.then(|| sol.stats().nodes_solved),
                iterations: Some(sol.stats().lp_iterations),
            })
        }
        Ok(SolveOutcome::Interrupted(_)) => Err(Fail::Stopped),
        Err(microlp::Error::Infeasible) => Err(Fail::Infeasible),
        Err(e) => Err(Fail::Other(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::stop_flag;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// A stand-in for a microlp call that reads no deadline: it answers only once the test
    /// releases it, and says whether it got that far.
    fn held() -> (
        mpsc::Sender<()>,
        Arc<AtomicBool>,
        impl FnOnce() -> Result<Answer, Fail> + Send + 'static,
    ) {
        let (release, wait) = mpsc::channel::<()>();
        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let work = move || {
            let _ = wait.recv();
            done.store(true, Ordering::SeqCst);
            Err(Fail::Other("answered after the deadline".into()))
        };
        (release, finished, work)
    }

    #[test]
    fn the_caller_stops_waiting_at_the_deadline() {
        let (release, finished, work) = held();
        let answer = watched(&Budget::new(Duration::from_millis(20), None), work);
        assert_eq!(answer.err(), Some(Fail::Stopped));
        assert!(!finished.load(Ordering::SeqCst));
        release.send(()).unwrap();
    }

    #[test]
    fn the_caller_stops_waiting_once_the_flag_is_set() {
        let (release, finished, work) = held();
        let flag = stop_flag();
        flag.store(true, Ordering::SeqCst);
        let answer = watched(&Budget::new(Duration::from_secs(3600), Some(flag)), work);
        assert_eq!(answer.err(), Some(Fail::Stopped));
        assert!(!finished.load(Ordering::SeqCst));
        release.send(()).unwrap();
    }

    #[test]
    fn an_answer_in_time_is_passed_on() {
        let budget = Budget::new(Duration::from_secs(3600), None);
        let answer = watched(&budget, || Err(Fail::Infeasible));
        assert_eq!(answer.err(), Some(Fail::Infeasible));
        // A large LP through the worker: the same optimum as solved here.
        let mut m = Model::default();
        let n = WATCH_SIZE;
        let x: Vec<usize> = (0..n)
            .map(|j| m.col(1.0 + (j % 7) as f64, 0.0, f64::INFINITY, false))
            .collect();
        for j in 0..n - 1 {
            m.row(
                vec![(x[j], 1.0), (x[j + 1], 1.0)],
                Op::Ge,
                1.0 + (j % 3) as f64,
            );
        }
        let mut settings = Settings::new(&budget);
        settings.slices = true;
        let far = solve(&m, &settings).unwrap();
        let here = solve_here(&m, &settings).unwrap();
        assert_eq!(far.x, here.x);
        assert_eq!(far.status, Status::Optimal);
    }
}
