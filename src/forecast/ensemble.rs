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
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Member forecasts already made, keyed by (member, fingerprint of the training data,
/// forecast length): in a backtest, neighbouring origins share most of their inner weeks,
/// and `selected` and `ensemble` share all of them. Methods are pure functions of their
/// input, so a remembered forecast is the one that would be made again.
#[derive(Debug, Clone, Default)]
pub struct Memo(Arc<Mutex<HashMap<MemoKey, Vec<f64>>>>);

/// (member name, fingerprint of the training data, forecast length).
type MemoKey = (&'static str, u64, usize);

/// Forecasts a memo holds at most; it is emptied when full (memory stays bounded).
const MEMO_CAP: usize = 1024;

impl Memo {
    fn predict(
        &self,
        history: &Series,
        method: &dyn Method,
        target: &ForecastGrid,
    ) -> Result<Vec<f64>> {
        let key = (method.name(), fingerprint(history), target.len());
        if let Ok(m) = self.0.lock() {
            if let Some(v) = m.get(&key) {
                return Ok(v.clone());
            }
        }
        let v = predict_clean(history, method, target)?;
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= MEMO_CAP {
                m.clear();
            }
            m.insert(key, v.clone());
        }
        Ok(v)
    }
}

/// Hash of everything a method sees of a history: grid, zone, calendar and every
/// interval's status and volume.
fn fingerprint(h: &Series) -> u64 {
    let mut st = std::collections::hash_map::DefaultHasher::new();
    h.horizon().start().timestamp().hash(&mut st);
    h.horizon().interval_minutes().hash(&mut st);
    h.len().hash(&mut st);
    h.tz().name().hash(&mut st);
    h.day_slots().hash(&mut st);
    for i in 0..h.len() {
        (h.status(i) as u8).hash(&mut st);
        h.volume(i).map(f64::to_bits).hash(&mut st);
        h.week_slot(i).hash(&mut st);
    }
    st.finish()
}

/// Backtest-weighted average of the best `top` member methods.
#[derive(Debug, Clone)]
pub struct Ensemble {
    /// Method name (`ensemble` or `selected`).
    pub name: &'static str,
    /// Members kept (at least 1).
    pub top: usize,
    /// Weeks of inner backtest that score the members.
    pub inner_weeks: usize,
    /// Member forecasts already made (may be shared between ensembles).
    pub memo: Memo,
}

impl Ensemble {
    /// The ensemble of the three best members.
    pub fn weighted() -> Self {
        Ensemble {
            name: "ensemble",
            top: 3,
            inner_weeks: 4,
            memo: Memo::default(),
        }
    }

    /// The single best member.
    pub fn selected() -> Self {
        Ensemble {
            name: "selected",
            top: 1,
            inner_weeks: 4,
            memo: Memo::default(),
        }
    }
}

/// Mean WAPE (fraction) of `method` over the last `weeks` weeks of `history`, each
/// forecast from the data before it; `None` when no week can be scored.
pub(crate) fn inner_wape(
    history: &Series,
    method: &dyn Method,
    weeks: usize,
    memo: &Memo,
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
        let pred = memo.predict(&train, method, &ForecastGrid::after(&train, week)?)?;
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
            wapes.push(inner_wape(
                history,
                m.as_ref(),
                self.inner_weeks,
                &self.memo,
            )?);
        }
        let w = weights(&wapes, self.top);
        let mut out = vec![0.0; target.len()];
        for (m, wi) in members.iter().zip(&w) {
            if *wi <= 0.0 {
                continue;
            }
            let p = self.memo.predict(history, m.as_ref(), target)?;
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

    #[test]
    fn the_memo_tells_histories_apart_and_returns_what_the_method_makes() {
        use crate::forecast::{parse_history, HistoryFormat};
        let csv = |bump: f64| {
            let mut c = String::from("interval_start,volume\n");
            for d in 1..=28 {
                for h in 9..12 {
                    let v = 10.0 + h as f64 + if d == 22 && h == 11 { bump } else { 0.0 };
                    c += &format!("2027-02-{d:02}T{h:02}:00:00Z,{v}\n");
                }
            }
            parse_history("h.csv", &c, &HistoryFormat::default()).unwrap()
        };
        let (a, b) = (csv(0.0), csv(5.0));
        assert_eq!(fingerprint(&a), fingerprint(&csv(0.0)));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        // The same prefix of two histories is the same training data.
        let cut = a.len() - 7 * 24;
        assert_eq!(
            fingerprint(&a.truncate(cut).unwrap()),
            fingerprint(&b.truncate(cut).unwrap())
        );
        let memo = Memo::default();
        let m = crate::forecast::method_by_name("seasonal_naive").unwrap();
        let ga = ForecastGrid::after(&a, 24).unwrap();
        let gb = ForecastGrid::after(&b, 24).unwrap();
        let fa = memo.predict(&a, m.as_ref(), &ga).unwrap();
        let fb = memo.predict(&b, m.as_ref(), &gb).unwrap();
        assert_eq!(fa, predict_clean(&a, m.as_ref(), &ga).unwrap());
        assert_eq!(fb, predict_clean(&b, m.as_ref(), &gb).unwrap());
        assert_ne!(fa, fb);
        assert_eq!(memo.predict(&a, m.as_ref(), &ga).unwrap(), fa);
    }
}
