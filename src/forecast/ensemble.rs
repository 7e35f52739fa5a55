//! A backtest-weighted ensemble of the other methods, chosen on the history alone.
//!
//! For every forecast, each member method (every built-in method except the ensembles)
//! forecasts each of the last `inner_weeks` weeks of the history from the data before that
//! week, and is scored by its mean WAPE over those weeks. The `top` members with the lowest
//! inner WAPE are kept and their forecasts of the target are averaged with weights
//! proportional to `1 / WAPE`. Nothing outside the history is looked at: in a backtest the
//! choice is made again at every fold from the data before its origin (a nested backtest),
//! so the fold's score is an honest estimate of what the choice gives on new data.
//!
//! `top = 1` is the `selected` method: the procedure behind `wfm forecast --method best`
//! (the method with the lowest backtest WAPE) made at each fold's origin, so its backtest
//! score says what choosing by backtest is worth. `top = 3` is `ensemble`.
//!
//! The settings (four inner weeks, three members, inverse-WAPE weights) were fixed before
//! the ensemble was scored on any data, not chosen by the scored folds.

use super::{predict_clean, ForecastGrid, Method, Series, Status};
use crate::error::{Error, Result};

/// Backtest-weighted average of the best `top` member methods.
#[derive(Debug, Clone, Copy)]
pub struct Ensemble {
    /// Method name (`ensemble` or `selected`).
    pub name: &'static str,
    /// Members kept (at least 1).
    pub top: usize,
    /// Weeks of inner backtest that score the members.
    pub inner_weeks: usize,
}

impl Ensemble {
    /// The ensemble of the three best members.
    pub fn weighted() -> Self {
        Ensemble {
            name: "ensemble",
            top: 3,
            inner_weeks: 4,
        }
    }

    /// The single best member.
    pub fn selected() -> Self {
        Ensemble {
            name: "selected",
            top: 1,
            inner_weeks: 4,
        }
    }
}

/// Mean WAPE (fraction) of `method` over the last `weeks` weeks of `history`, each
/// forecast from the data before it; `None` when no week can be scored.
pub(crate) fn inner_wape(
    history: &Series,
    method: &dyn Method,
    weeks: usize,
) -> Result<Option<f64>> {
    let week = 7 * history.day_slots();
    let min_train = 21 * history.day_slots();
    let (mut sum, mut n) = (0.0, 0usize);
    for j in 1..=weeks {
        let Some(origin) = history.len().checked_sub(j * week) else {
            continue;
        };
        if origin < min_train || (0..origin).all(|i| history.volume(i).is_none()) {
            continue;
        }
        let train = history.truncate(origin)?;
        let pred = predict_clean(&train, method, &ForecastGrid::after(&train, week)?)?;
        let (mut err, mut tot) = (0.0, 0.0);
        for (k, f) in pred.iter().enumerate() {
            if history.status(origin + k) != Status::Open {
                continue;
            }
            if let Some(y) = history.volume(origin + k) {
                err += (y - f).abs();
                tot += y;
            }
        }
        if tot > 0.0 {
            sum += err / tot;
            n += 1;
        }
    }
    Ok((n > 0).then(|| sum / n as f64))
}

/// Weights of the members from their inner WAPEs: the `top` lowest, proportional to
/// `1 / WAPE` (a member with a WAPE of 0 takes all the weight), summing to 1. Members
/// without a score get no weight; when none has one, every member weighs the same.
pub(crate) fn weights(wapes: &[Option<f64>], top: usize) -> Vec<f64> {
    let mut scored: Vec<(usize, f64)> = wapes
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.filter(|w| w.is_finite()).map(|w| (i, w)))
        .collect();
    let mut out = vec![0.0; wapes.len()];
    if scored.is_empty() {
        let k = wapes.len().max(1) as f64;
        out.iter_mut().for_each(|w| *w = 1.0 / k);
        return out;
    }
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    scored.truncate(top.max(1));
    if let Some((i, _)) = scored.iter().find(|(_, w)| *w <= 0.0) {
        out[*i] = 1.0;
        return out;
    }
    let total: f64 = scored.iter().map(|(_, w)| 1.0 / w).sum();
    for (i, w) in scored {
        out[i] = (1.0 / w) / total;
    }
    out
}

impl Method for Ensemble {
    fn name(&self) -> &'static str {
        self.name
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        let members = super::member_methods();
        let mut wapes = Vec::with_capacity(members.len());
        for m in &members {
            wapes.push(inner_wape(history, m.as_ref(), self.inner_weeks)?);
        }
        let w = weights(&wapes, self.top);
        let mut out = vec![0.0; target.len()];
        for (m, wi) in members.iter().zip(&w) {
            if *wi <= 0.0 {
                continue;
            }
            let p = predict_clean(history, m.as_ref(), target)?;
            if p.len() != out.len() {
                return Err(Error::invalid(
                    m.name(),
                    "returned a forecast of the wrong length",
                ));
            }
            for (o, x) in out.iter_mut().zip(&p) {
                *o += wi * x;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_keep_the_best_members_by_inverse_wape() {
        let w = weights(&[Some(0.2), Some(0.1), None, Some(0.4), Some(0.3)], 3);
        // 1/0.1 : 1/0.2 : 1/0.3 = 6 : 3 : 2.
        let expect = [3.0 / 11.0, 6.0 / 11.0, 0.0, 0.0, 2.0 / 11.0];
        for (a, b) in w.iter().zip(expect) {
            assert!((a - b).abs() < 1e-12, "{w:?}");
        }
    }

    #[test]
    fn weights_without_scores_are_equal_and_a_perfect_member_takes_all() {
        assert_eq!(weights(&[None, None], 1), vec![0.5, 0.5]);
        assert_eq!(weights(&[Some(0.1), Some(0.0)], 2), vec![0.0, 1.0]);
        assert_eq!(weights(&[Some(0.3), Some(0.1)], 1), vec![0.0, 1.0]);
    }
}
