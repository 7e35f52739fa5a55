//! The named scheduler's timeline, for tuning its phases: with the environment variable
//! `WFM_SCHEDULE_TRACE` set (to anything), the end of each phase is written to standard
//! error — seconds since the start, the phase, the roster's objective, its short hard
//! queue-intervals (rows) and missing agent-intervals, and the re-plans (pricing DP calls)
//! of the phase with their rate. Nothing is written otherwise; nothing else changes.

use super::integer::tally;
use super::master::Column;
use super::model::Model;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Pricing DP calls so far in this process (every thread).
static REPLANS: AtomicU64 = AtomicU64::new(0);
/// Pricing DP calls that ran the DP (the others were answered from memory).
static RUNS: AtomicU64 = AtomicU64::new(0);
/// Labels (distinct states) the pricing DP created so far.
static STATES: AtomicU64 = AtomicU64::new(0);
/// Transitions the pricing DP tried so far (a label extended by a day off or an option).
static PUSHES: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds spent in the pricing DP so far (summed over threads).
static DP_NANOS: AtomicU64 = AtomicU64::new(0);

/// Counts one pricing DP call.
pub(crate) fn count_replan() {
    REPLANS.fetch_add(1, Ordering::Relaxed);
}

/// Adds one pricing DP call's work: labels created, transitions tried and nanoseconds.
pub(crate) fn count_work(states: u64, pushes: u64, nanos: u64) {
    RUNS.fetch_add(1, Ordering::Relaxed);
    STATES.fetch_add(states, Ordering::Relaxed);
    PUSHES.fetch_add(pushes, Ordering::Relaxed);
    DP_NANOS.fetch_add(nanos, Ordering::Relaxed);
}

/// The timeline of one schedule search.
pub(crate) struct Trace {
    on: bool,
    start: Instant,
    last: f64,
    last_replans: u64,
    last_work: [u64; 4],
    last_cpu: f64,
}

/// CPU seconds of this process so far (every thread; Linux's `/proc/self/stat`, in
/// ticks of 10 ms), 0 where it cannot be read.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are the 14th and 15th fields of the line (11th and 12th here).
    (ticks(11) + ticks(12)) / 100.0
}

/// Labels, transitions, nanoseconds and DP runs so far.
fn work() -> [u64; 4] {
    [
        STATES.load(Ordering::Relaxed),
        PUSHES.load(Ordering::Relaxed),
        DP_NANOS.load(Ordering::Relaxed),
        RUNS.load(Ordering::Relaxed),
    ]
}

impl Trace {
    /// A timeline, written only when `WFM_SCHEDULE_TRACE` is set.
    pub(crate) fn new() -> Trace {
        Trace {
            on: std::env::var_os("WFM_SCHEDULE_TRACE").is_some(),
            start: Instant::now(),
            last: 0.0,
            last_replans: REPLANS.load(Ordering::Relaxed),
            last_work: work(),
            last_cpu: cpu_seconds(),
        }
    }

    /// Writes the end of `phase` with the roster `schedules` (if any) and `note`.
    pub(crate) fn phase(
        &mut self,
        phase: &str,
        model: &Model,
        schedules: Option<&[Column]>,
        note: &str,
    ) {
        if !self.on {
            return;
        }
        let now = self.start.elapsed().as_secs_f64();
        let replans = REPLANS.load(Ordering::Relaxed);
        let calls = replans - self.last_replans;
        let span = now - self.last;
        let rate = if span > 0.0 { calls as f64 / span } else { 0.0 };
        let roster = schedules.map_or(String::new(), |s| {
            let (short, missing) = shortfall(model, s);
            format!(
                " objective {:.0} short {short} missing {missing:.0}",
                super::integer::objective_uncounted(model, s)
            )
        });
        let w = work();
        let cpu = cpu_seconds();
        let runs = w[3] - self.last_work[3];
        let per = |i: usize| (w[i] - self.last_work[i]) as f64 / (runs.max(1) as f64);
        eprintln!(
            "[schedule {now:7.2}s] {phase:<22} +{span:6.2}s{roster} replans {calls} \
             ({rate:.0}/s; {runs} DP runs, each {:.0} labels, {:.0} transitions, {:.2} ms; \
             DP {:.0} ms in all) work {} {:?} cpu +{:.2}s {note}",
            per(0),
            per(1),
            per(2) / 1e6,
            w[2] as f64 / 1e6,
            model.meter.units(),
            model.meter.counts(),
            cpu - self.last_cpu
        );
        self.last = now;
        self.last_replans = replans;
        self.last_work = w;
        self.last_cpu = cpu;
    }
}

/// Writes one line of a phase's progress (step `k` of `what`, with the roster `schedules`)
/// when the timeline is on: the re-plans and DP runs so far in the process.
pub(crate) fn progress(what: &str, k: usize, model: &Model, schedules: &[Column]) {
    if std::env::var_os("WFM_SCHEDULE_TRACE").is_none() {
        return;
    }
    let (short, missing) = shortfall(model, schedules);
    eprintln!(
        "[schedule] {what} {k}: objective {:.0} short {short} missing {missing:.0}, {} re-plans \
         and {} DP runs so far",
        super::integer::objective_uncounted(model, schedules),
        REPLANS.load(Ordering::Relaxed),
        RUNS.load(Ordering::Relaxed)
    );
}

/// Short hard rows and missing agent-intervals of `schedules`.
fn shortfall(model: &Model, schedules: &[Column]) -> (usize, f64) {
    let (cover, _) = tally(model, schedules);
    let mut short = 0;
    let mut missing = 0.0;
    for (row, &x) in model.rows.iter().zip(&cover) {
        if x < row.rhs - 1e-9 && row.under >= model.hard_penalty - 1e-9 {
            short += 1;
            missing += row.rhs - x;
        }
    }
    (short, missing)
}
