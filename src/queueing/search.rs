//! The staffing searches: the smallest number of agents meeting every target, under
//! Erlang C (an incremental walk up from the load) and Erlang A (a bracketing secant search).

use super::{erlang, Metrics, Model, Staffing, Target, MEET_TOL};
use crate::error::Result;

impl Staffing {
    pub(super) fn search_c(&self) -> Result<(u32, Metrics)> {
        let a = self.workload.traffic_erlangs();
        if a == 0.0 {
            return Ok((0, self.metrics(0)));
        }
        let k = self.concurrency as u64;
        // Erlang C is stable only with more servers than Erlangs: N·k > A.
        let mut lower = (a / k as f64).floor() as u64 + 1;
        for t in &self.targets {
            if let Target::MaxOccupancy(f) = t {
                // May be one short of the bound; the loop checks exactly.
                lower = lower.max((a / (k as f64 * f)).floor() as u64);
            }
        }
        if lower > self.agent_cap() {
            return Err(self.unattainable());
        }
        let aht = self.workload.aht_seconds;
        let sl_target = self.targets.iter().find_map(|t| match *t {
            Target::ServiceLevel {
                fraction,
                within_seconds,
            } => Some((fraction, within_seconds)),
            _ => None,
        });
        let mut b = erlang::ErlangB::at(lower * k, a);
        // e = exp(−(servers − a)·t/AHT), updated by one multiplication per server; the
        // exact value is recomputed whenever the decision is within reach of rounding.
        let (t_sl, decay) = match sl_target {
            Some((_, t)) => (t, (-t / aht).exp()),
            None => (0.0, 1.0),
        };
        let mut e = (-((b.n() as f64) - a) * t_sl / aht).exp();
        let cap = self.agent_cap();
        let mut n = lower;
        loop {
            let servers = b.n() as f64;
            let c = b.wait_probability();
            let others_met = self.targets.iter().all(|t| match *t {
                Target::ServiceLevel { .. } => true,
                Target::Asa { seconds } => c * aht / (servers - a) <= seconds * (1.0 + MEET_TOL),
                Target::MaxOccupancy(f) => a / servers <= f + MEET_TOL,
                Target::MaxWaitProbability(f) => c <= f + MEET_TOL,
                Target::MaxAbandon(_) => true,
            });
            let sl_met = match sl_target {
                None => true,
                Some((f, t)) => {
                    let approx = 1.0 - c * e;
                    if (approx - f).abs() > 1e-9 {
                        approx >= f
                    } else {
                        1.0 - c * (-(servers - a) * t / aht).exp() >= f - MEET_TOL
                    }
                }
            };
            if others_met && sl_met {
                let agents = u32::try_from(n).map_err(|_| self.unattainable())?;
                let mut m = self.c_metrics(&b);
                m.agents = agents;
                return Ok((agents, m));
            }
            if n >= cap {
                return Err(self.unattainable());
            }
            n += 1;
            while b.n() < n * k {
                b.step();
                e *= decay;
            }
        }
    }

    /// How far `m` is from failing its tightest target (≥ 0 when every target is met),
    /// each margin relative to its target. Guides the Erlang A search; `meets` decides.
    fn slack(&self, m: &Metrics) -> f64 {
        self.targets
            .iter()
            .map(|t| match *t {
                Target::ServiceLevel { fraction, .. } => m.service_level - fraction,
                Target::Asa { seconds } => (seconds - m.asa_seconds) / seconds,
                Target::MaxOccupancy(f) => f - m.occupancy,
                Target::MaxAbandon(f) => (f - m.abandon_probability) / f,
                Target::MaxWaitProbability(f) => f - m.wait_probability,
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Smallest `n` meeting the targets under Erlang A. Every metric is monotone in `n`, so
    /// `meets` flips once; the search keeps a bracket (`lo` fails, `hi` meets) and picks
    /// probes by the secant of the slack through the last two points, falling back to
    /// bisection when the secant stalls. Typically 4–6 evaluations.
    pub(super) fn search_a(&self) -> Result<(u32, Metrics)> {
        if self.workload.volume == 0.0 {
            return Ok((0, self.metrics(0)));
        }
        let cap = self.agent_cap();
        // Start from the Erlang C answer for the targets Erlang C understands.
        let c_targets: Vec<Target> = self
            .targets
            .iter()
            .copied()
            .filter(|t| !matches!(t, Target::MaxAbandon(_)))
            .collect();
        let guess = if c_targets.is_empty() {
            (self.workload.traffic_erlangs() / self.concurrency as f64).ceil() as u64
        } else {
            let mut c = self.clone();
            c.model = Model::ErlangC;
            c.targets = c_targets;
            c.search_c().map(|(n, _)| u64::from(n)).unwrap_or(cap)
        }
        .min(cap);

        let eval = |n: u64| {
            let m = self.metrics(n as u32);
            (self.meets(&m), self.slack(&m), m)
        };
        let mut lo: Option<(u64, f64)> = None; // fails
        let mut hi: Option<(u64, f64, Metrics)> = None; // meets
        let mut last: Vec<(u64, f64)> = Vec::with_capacity(8);
        let mut probe = guess;
        let mut last_width: Option<u64> = None;
        loop {
            let (ok, s, m) = eval(probe);
            last.push((probe, s));
            if ok {
                hi = Some((probe, s, m));
                if probe == 0 {
                    break;
                }
            } else {
                lo = Some((probe, s));
                if probe >= cap {
                    return Err(self.unattainable());
                }
            }
            if let (Some(l), Some(h)) = (lo, &hi) {
                if h.0 - l.0 <= 1 {
                    break;
                }
            }
            // Secant through the last two probes (or the bracket ends).
            let secant = |p: (u64, f64), q: (u64, f64)| -> Option<f64> {
                let ds = q.1 - p.1;
                let dn = q.0 as f64 - p.0 as f64;
                (ds.is_finite() && ds.abs() > 0.0 && dn != 0.0).then(|| p.0 as f64 - p.1 * dn / ds)
            };
            let n_last = last.len();
            let guess_n = if n_last >= 2 {
                secant(last[n_last - 2], last[n_last - 1])
            } else {
                None
            };
            probe = match (lo, &hi) {
                (Some(l), Some(h)) => {
                    // Secant inside the bracket, but bisect whenever the bracket did not at
                    // least halve since the previous probe: at most ~2 log2(width) probes.
                    let width = h.0 - l.0;
                    let mid = l.0 + width / 2;
                    let stalled = last_width.is_some_and(|w| width * 2 > w);
                    last_width = Some(width);
                    match secant((l.0, l.1), (h.0, h.1)) {
                        Some(x) if !stalled => {
                            (x.round() as i64).clamp(l.0 as i64 + 1, h.0 as i64 - 1) as u64
                        }
                        _ => mid,
                    }
                }
                (None, Some(h)) => {
                    // All probes meet: go down, by the secant if it points down, else by 1.
                    let step = guess_n
                        .map(|x| h.0 as f64 - x)
                        .filter(|d| d.is_finite() && *d >= 1.0)
                        .unwrap_or(1.0)
                        .min(h.0 as f64);
                    h.0 - (step.ceil() as u64).max(1)
                }
                (Some(l), None) => {
                    let step = guess_n
                        .map(|x| x - l.0 as f64)
                        .filter(|d| d.is_finite() && *d >= 1.0)
                        .unwrap_or(1.0);
                    (l.0 + (step.ceil() as u64).max(1)).min(cap)
                }
                (None, None) => return Err(self.unattainable()),
            };
        }
        match hi {
            Some((n, _, m)) => Ok((u32::try_from(n).map_err(|_| self.unattainable())?, m)),
            None => Err(self.unattainable()),
        }
    }
}
