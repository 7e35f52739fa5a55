//! Holt-Winters with weekly multiplicative seasonality and a damped additive trend.
//!
//! The model runs on the sequence of observed intervals (closed and missing intervals are
//! not time steps), with one seasonal index per local week slot:
//!
//! ```text
//! forecast  ŷ = (l + φ b) · s[k]
//! level     l' = α · y / s[k] + (1 − α) · (l + φ b)
//! trend     b' = β · (l' − l) + (1 − β) · φ b
//! season    s[k]' = γ · y / l' + (1 − γ) · s[k]
//! h ahead   (l + (φ + … + φ^h) b) · s[k]
//! ```
//!
//! Start: level = mean of the first two weeks, `s[k]` = that slot's mean over them / level
//! (a slot first seen later starts at its first value / level). Intervals whose seasonal
//! index is below 0.05 (near-empty night hours) update only their index, so a few calls at
//! 3 a.m. cannot swing the level. α, β, γ are chosen on a grid by the sum of squared
//! *week-ahead* in-sample errors after the first two weeks (each observation against the
//! forecast the model made right after it last saw the same slot, one week earlier): the
//! lead a weekly plan needs, where one-step errors would favour a jumpy level. φ is 0.98.

use super::{open_indices, ForecastGrid, Method, Series};
use crate::error::{Error, Result};

/// Holt-Winters, weekly multiplicative seasonality, damped trend.
#[derive(Debug, Clone, Copy, Default)]
pub struct HoltWinters;

/// One observed interval as the smoothing methods see it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Obs {
    pub y: f64,
    pub week: usize,
    pub day: usize,
    /// Within the first two weeks (used to start the state, not scored).
    pub init: bool,
}

/// Observed intervals in order, flagged by whether they fall in the first two weeks.
pub(super) fn observations(history: &Series) -> Vec<Obs> {
    let init_len = 14 * history.day_slots();
    open_indices(history)
        .into_iter()
        .filter_map(|i| {
            history.volume(i).map(|y| Obs {
                y,
                week: history.week_slot(i),
                day: history.day_slot(i),
                init: i < init_len,
            })
        })
        .collect()
}

/// Mean of the start-up observations, and per-key means (`None` if unseen) for `key`.
pub(super) fn start_means(
    obs: &[Obs],
    keys: usize,
    key: impl Fn(&Obs) -> usize,
) -> (f64, Vec<Option<f64>>) {
    let mut sum = vec![0.0; keys];
    let mut n = vec![0usize; keys];
    let (mut all, mut cnt) = (0.0, 0usize);
    for o in obs.iter().filter(|o| o.init) {
        if let (Some(s), Some(c)) = (sum.get_mut(key(o)), n.get_mut(key(o))) {
            *s += o.y;
            *c += 1;
        }
        all += o.y;
        cnt += 1;
    }
    let level = if cnt > 0 { all / cnt as f64 } else { 0.0 };
    let means = sum
        .iter()
        .zip(&n)
        .map(|(s, c)| (*c > 0).then(|| s / *c as f64))
        .collect();
    (level, means)
}

pub(super) const MIN_INDEX: f64 = 0.05;
const PHI: f64 = 0.98;

#[derive(Clone)]
struct State {
    l: f64,
    b: f64,
    s: Vec<f64>,
    seen: Vec<bool>,
}

/// Sum of `φ + φ² + … + φ^h`.
fn damp_sum(h: usize) -> f64 {
    PHI * (1.0 - PHI.powi(h.min(100_000) as i32)) / (1.0 - PHI)
}

/// Runs the recursions; returns the sum of squared week-ahead errors (each observation
/// against the forecast made right after the same slot was last observed) and the state.
fn run(obs: &[Obs], keys: usize, a: f64, bt: f64, g: f64) -> (f64, State) {
    let (level, means) = start_means(obs, keys, |o| o.week);
    let level = level.max(1e-9);
    let mut st = State {
        l: level,
        b: 0.0,
        s: means.iter().map(|m| m.unwrap_or(1.0) / level).collect(),
        seen: means.iter().map(|m| m.is_some()).collect(),
    };
    // (step, level, trend) right after the key's last observation.
    let mut snap: Vec<Option<(usize, f64, f64)>> = vec![None; keys];
    let mut sse = 0.0;
    for (step, o) in obs.iter().enumerate() {
        let k = o.week;
        let (Some(s), Some(seen)) = (st.s.get(k).copied(), st.seen.get(k).copied()) else {
            continue;
        };
        if !seen {
            if let (Some(sk), Some(sn)) = (st.s.get_mut(k), st.seen.get_mut(k)) {
                *sk = o.y / st.l.max(1e-9);
                *sn = true;
            }
            continue;
        }
        let base = st.l + PHI * st.b;
        if !o.init {
            if let Some(Some((i, l0, b0))) = snap.get(k) {
                let e = o.y - (l0 + damp_sum(step - i) * b0) * s;
                sse += e * e;
            }
        }
        let l_new = if s >= MIN_INDEX {
            (a * o.y / s + (1.0 - a) * base).max(1e-9)
        } else {
            st.l
        };
        if s >= MIN_INDEX {
            st.b = bt * (l_new - st.l) + (1.0 - bt) * PHI * st.b;
        }
        st.l = l_new;
        if let Some(sk) = st.s.get_mut(k) {
            *sk = g * o.y / l_new + (1.0 - g) * s;
        }
        if let Some(x) = snap.get_mut(k) {
            *x = Some((step, st.l, st.b));
        }
    }
    (sse, st)
}

impl Method for HoltWinters {
    fn name(&self) -> &'static str {
        "holt_winters"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        let obs = observations(history);
        if obs.iter().all(|o| o.init) {
            return Err(Error::invalid(
                "history",
                "holt_winters needs more than two weeks of history",
            ));
        }
        let keys = history.week_slots();
        let mut best: Option<(f64, State)> = None;
        for a in [0.01, 0.03, 0.1, 0.3] {
            for bt in [0.0, 0.01, 0.05] {
                for g in [0.01, 0.05, 0.15, 0.3] {
                    let (sse, st) = run(&obs, keys, a, bt, g);
                    if best.as_ref().is_none_or(|(b, _)| sse < *b) {
                        best = Some((sse, st));
                    }
                }
            }
        }
        let Some((_, st)) = best else {
            return Err(Error::invalid("history", "no observation to fit"));
        };
        let mut h = 0usize;
        Ok(target
            .week_slot
            .iter()
            .zip(&target.open)
            .map(|(k, open)| {
                if !open {
                    return 0.0;
                }
                h += 1;
                let s = st.s.get(*k).copied().unwrap_or(1.0);
                (st.l + damp_sum(h) * st.b) * s
            })
            .collect())
    }
}
