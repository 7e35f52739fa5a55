//! Where the band is centred: on the method's inner bias only as far as the inner weeks
//! tell it apart from chance.
//!
//! The quantiles are read from the inner errors as they are, so a method whose inner
//! forecasts ran low (errors above zero) gets a band shifted up by that bias. But a
//! method's errors move together within a week (its level is off for the whole week), so
//! the mean error of eight inner weeks rests on eight draws, and much of it can be the
//! chance of those weeks rather than a bias the next week shares: a band centred on it
//! then misses on the side the chance bias pushed it away from.
//!
//! The bias is estimated from the mean scaled error of each inner week, `w_1 … w_K`: their
//! mean `m`, and the standard error of `m` from their spread, `se² = var(w) / K`. The
//! method's true bias `b` is taken as drawn around zero with a variance `τ²` estimated by
//! moments, `τ² = max(0, m² − se²)`, so its posterior mean is
//! `m · τ² / (τ² + se²) = m · max(0, 1 − 1/t²)`, `t = m / se`. The errors are shifted by
//! the rest, `m · min(1, 1/t²)`, before their quantiles are read: a bias within one
//! standard error of zero is removed whole, a steady one (large `t`) is kept. Errors that
//! do not differ between weeks (no spread of `w`) keep their bias.

use super::InnerError;

/// The part of the mean of `u` (the scaled errors `errs`, same order) to remove before
/// reading quantiles: `m · min(1, 1/t²)` with `m` the mean of the inner weeks' mean errors
/// and `t` its ratio to its standard error. 0 with fewer than two inner weeks or no spread
/// between them.
pub(super) fn chance_bias(errs: &[&InnerError], u: &[f64]) -> f64 {
    if errs.len() != u.len() {
        return 0.0;
    }
    let weeks = errs.iter().map(|e| e.week + 1).max().unwrap_or(0);
    let mut sum = vec![(0.0f64, 0usize); weeks];
    for (e, x) in errs.iter().zip(u) {
        sum[e.week].0 += x;
        sum[e.week].1 += 1;
    }
    let w: Vec<f64> = sum
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| s / *n as f64)
        .collect();
    if w.len() < 2 {
        return 0.0;
    }
    let k = w.len() as f64;
    let m = w.iter().sum::<f64>() / k;
    let se2 = w.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (k - 1.0) / k;
    if !(se2 > 0.0 && se2.is_finite() && m.is_finite()) {
        return 0.0;
    }
    let m2 = m * m;
    if m2 <= se2 {
        m
    } else {
        m * se2 / m2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors of eight weeks × 5 days × 10 intervals: week `w` off by `offset[w]`, plus
    /// a symmetric spread of ±0.1 … ±0.5 of its own (mean zero each day).
    fn weeks(offset: &[f64; 8]) -> Vec<InnerError> {
        let mut out = Vec::new();
        for (w, o) in offset.iter().enumerate() {
            for d in 0..5 {
                for k in 0..10 {
                    let a = 0.1 * (k / 2 + 1) as f64;
                    let own = if k % 2 == 0 { a } else { -a };
                    out.push(InnerError {
                        z: o + own,
                        s: 1.0,
                        lead: d,
                        slot: k,
                        week: w,
                        day: 8 * w + d,
                    });
                }
            }
        }
        out
    }

    fn shift(e: &[InnerError]) -> f64 {
        let r: Vec<&InnerError> = e.iter().collect();
        let u: Vec<f64> = e.iter().map(|x| x.z).collect();
        chance_bias(&r, &u)
    }

    #[test]
    fn a_bias_within_one_standard_error_is_removed_whole() {
        // Mean 0.1, weekly spread 0.48: standard error 0.17.
        let e = weeks(&[0.6, -0.4, 0.8, -0.2, 0.5, -0.5, 0.3, -0.3]);
        assert!((shift(&e) - 0.1).abs() < 1e-9, "{}", shift(&e));
    }

    #[test]
    fn a_steady_bias_is_kept() {
        // Every week 0.5 ± 0.02: t ≈ 70, almost nothing removed.
        let e = weeks(&[0.5, 0.52, 0.48, 0.5, 0.51, 0.49, 0.5, 0.5]);
        let s = shift(&e);
        assert!(s.abs() < 1e-3, "{s}");
        // Between: t = 2 removes a quarter of the mean.
        let o = [1.0, -0.5, 1.5, 0.0, 1.0, -0.5, 1.5, 0.0];
        let e = weeks(&o);
        let m = o.iter().sum::<f64>() / 8.0;
        let se2 = o.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 7.0 / 8.0;
        let t2 = m * m / se2;
        assert!(
            (shift(&e) - m / t2).abs() < 1e-9,
            "{} vs {}",
            shift(&e),
            m / t2
        );
    }

    #[test]
    fn one_week_or_no_spread_between_weeks_keeps_the_bias() {
        let one: Vec<InnerError> = weeks(&[0.3; 8])
            .into_iter()
            .filter(|e| e.week == 0)
            .collect();
        assert_eq!(shift(&one), 0.0);
        assert_eq!(shift(&weeks(&[0.3; 8])), 0.0);
    }
}
