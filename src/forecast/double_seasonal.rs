//! Taylor's double-seasonal Holt-Winters (intraday and intraweek cycles).
//!
//! J. W. Taylor (2003), "Short-term electricity demand forecasting using double seasonal
//! exponential smoothing", JORS 54, 799-805; applied to call arrivals in Taylor (2008),
//! Management Science 54(2). Multiplicative form without trend, on the sequence of observed
//! intervals, with an intraday index per local time of day `d[a]` and an intraweek index per
//! local week slot `w[k]`, plus a first-order autoregressive correction of the error:
//!
//! ```text
//! forecast  ŷ = l · d[a] · w[k] + φ · e        (e: last one-step error)
//! level     l' = α · y / (d[a] w[k]) + (1 − α) · l
//! intraday  d[a]' = δ · y / (l' w[k]) + (1 − δ) · d[a]
//! intraweek w[k]' = ω · y / (l' d[a]) + (1 − ω) · w[k]
//! h ahead   l · d[a] · w[k] + φ^h · e
//! ```
//!
//! Start from the first two weeks as in Holt-Winters. α, δ, ω are chosen on a grid by the
//! sum of squared week-ahead in-sample errors (as in Holt-Winters); φ is the lag-1
//! autocorrelation of the one-step errors of the chosen fit. Near-empty intervals (index
//! product below 0.05) update only their indices.

use super::holt_winters::{observations, start_means, MIN_INDEX};
use super::{ForecastGrid, Method, Series};
use crate::error::{Error, Result};

/// Taylor's double-seasonal Holt-Winters with AR(1) error correction.
#[derive(Debug, Clone, Copy, Default)]
pub struct DoubleSeasonal;

#[derive(Clone)]
struct State {
    l: f64,
    d: Vec<f64>,
    w: Vec<f64>,
    e: f64,
    phi: f64,
}

fn start(obs: &[super::holt_winters::Obs], days: usize, weeks: usize) -> State {
    let (level, dm) = start_means(obs, days, |o| o.day);
    let (_, wm) = start_means(obs, weeks, |o| o.week);
    let level = level.max(1e-9);
    let d: Vec<f64> = dm.iter().map(|m| m.unwrap_or(level) / level).collect();
    let w = (0..weeks)
        .map(|k| {
            let a = k % days.max(1);
            match (wm.get(k).copied().flatten(), d.get(a)) {
                (Some(m), Some(da)) if *da > 1e-9 => m / (level * da),
                _ => 1.0,
            }
        })
        .collect();
    State {
        l: level,
        d,
        w,
        e: 0.0,
        phi: 0.0,
    }
}

/// Runs the recursions. Returns the sum of squared week-ahead errors (each observation
/// against the forecast made right after its week slot was last observed, with the level
/// and intraday index of that moment), the final state, and the lag-1 autocorrelation of
/// the one-step errors (the AR coefficient φ, clamped to [0, 0.99]).
fn run(obs: &[super::holt_winters::Obs], init: &State, p: [f64; 3]) -> (f64, State) {
    let [a, dl, om] = p;
    let mut st = init.clone();
    let mut sse = 0.0;
    let mut snap: Vec<Option<(f64, f64)>> = vec![None; st.w.len()];
    let (mut num, mut den) = (0.0, 0.0);
    for o in obs {
        let (Some(d), Some(w)) = (st.d.get(o.day).copied(), st.w.get(o.week).copied()) else {
            continue;
        };
        let base = st.l * d * w;
        let e = o.y - base;
        if !o.init {
            if let Some(Some((l0, d0))) = snap.get(o.week) {
                let f = o.y - l0 * d0 * w;
                sse += f * f;
            }
        }
        num += e * st.e;
        den += st.e * st.e;
        st.e = e;
        let l_new = if d * w >= MIN_INDEX {
            (a * o.y / (d * w) + (1.0 - a) * st.l).max(1e-9)
        } else {
            st.l
        };
        st.l = l_new;
        if let Some(x) = st.d.get_mut(o.day) {
            if w > 1e-9 {
                *x = dl * o.y / (l_new * w) + (1.0 - dl) * d;
            }
        }
        if let Some(x) = st.w.get_mut(o.week) {
            if d > 1e-9 {
                *x = om * o.y / (l_new * d) + (1.0 - om) * w;
            }
        }
        let dn = st.d.get(o.day).copied().unwrap_or(d);
        if let Some(x) = snap.get_mut(o.week) {
            *x = Some((st.l, dn));
        }
    }
    st.phi = if den > 0.0 {
        (num / den).clamp(0.0, 0.99)
    } else {
        0.0
    };
    (sse, st)
}

impl Method for DoubleSeasonal {
    fn name(&self) -> &'static str {
        "double_seasonal"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        let obs = observations(history);
        if obs.iter().all(|o| o.init) {
            return Err(Error::invalid(
                "history",
                "double_seasonal needs more than two weeks of history",
            ));
        }
        let init = start(&obs, history.day_slots(), history.week_slots());
        let mut best: Option<(f64, State)> = None;
        for a in [0.005, 0.02, 0.05, 0.15] {
            for dl in [0.0, 0.02, 0.1, 0.3] {
                for om in [0.0, 0.02, 0.1, 0.3] {
                    let (sse, st) = run(&obs, &init, [a, dl, om]);
                    if best.as_ref().is_none_or(|(b, _)| sse < *b) {
                        best = Some((sse, st));
                    }
                }
            }
        }
        let Some((_, st)) = best else {
            return Err(Error::invalid("history", "no observation to fit"));
        };
        let mut h = 0i32;
        Ok(target
            .week_slot
            .iter()
            .zip(&target.day_slot)
            .zip(&target.open)
            .map(|((k, a), open)| {
                if !open {
                    return 0.0;
                }
                h += 1;
                let d = st.d.get(*a).copied().unwrap_or(1.0);
                let w = st.w.get(*k).copied().unwrap_or(1.0);
                st.l * d * w + st.phi.powi(h) * st.e
            })
            .collect())
    }
}
