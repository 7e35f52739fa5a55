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
//!
//! **Levels of the centred band.** The levels of the uncentred band are read at the
//! median-unbiased position for the effective number of independent errors `n`, a width
//! that also absorbed a band centred off the actuals. The centred band's levels are read
//! at the position for `c · n` units instead, `c` one of [`UNIT_FACTORS`] (½ … 8, and ∞:
//! the nominal levels themselves), chosen by the inner weeks alone and in time order, as
//! a band is used: each inner week after the third is scored by the centred band (lead
//! and time-of-day factors, centre, `n`) fitted on the inner weeks before it only, and
//! the `c` whose share of those weeks' errors inside `[q10, q90]` is nearest 80 % wins
//! (ties: the wider band). The weeks are not taken as exchangeable: when later weeks are
//! harder than earlier ones, the band is as much wider as that drift asks for on the
//! inner weeks. Fewer than three weeks so scored: `c = 1`.

use super::{prepare, InnerError, LEVELS};

/// Inner weeks the first forward fit rests on.
const FIRST_WEEKS: usize = 3;

/// Multiples of the effective number of independent errors a centred band's levels may
/// be read for (∞: the nominal levels), widest first.
pub(super) const UNIT_FACTORS: [f64; 9] = [
    0.5,
    std::f64::consts::FRAC_1_SQRT_2,
    1.0,
    std::f64::consts::SQRT_2,
    2.0,
    2.0 * std::f64::consts::SQRT_2,
    4.0,
    8.0,
    f64::INFINITY,
];

/// The factor of [`UNIT_FACTORS`] whose centred band, fitted on the inner weeks before
/// each inner week after the third (with `b` time-of-day buckets on days of `ds`
/// intervals), covers those weeks' errors nearest 80 % (ties: the wider). 1 (the
/// uncentred band's reading) when fewer than three weeks are scored so.
pub(super) fn choose_factor(errs: &[InnerError], week_days: &[usize], ds: usize, b: usize) -> f64 {
    let Some(cov) = forward_coverages(errs, week_days, ds, b) else {
        return 1.0;
    };
    let aim = LEVELS[LEVELS.len() - 1] - LEVELS[0];
    let mut best = (f64::INFINITY, 1.0);
    for (k, c) in UNIT_FACTORS.iter().enumerate() {
        let miss = (cov[k] - aim).abs();
        if miss < best.0 - 1e-12 {
            best = (miss, *c);
        }
    }
    best.1
}

/// Share of the errors of the inner weeks after the third inside the `[q10, q90]` band
/// fitted on the weeks before each, at each of [`UNIT_FACTORS`]. `None` with fewer than
/// three weeks scored so.
fn forward_coverages(
    errs: &[InnerError],
    week_days: &[usize],
    ds: usize,
    b: usize,
) -> Option<[f64; UNIT_FACTORS.len()]> {
    let weeks: Vec<usize> = (0..week_days.len()).filter(|w| week_days[*w] > 0).collect();
    let scored: Vec<usize> = weeks.iter().skip(FIRST_WEEKS).copied().collect();
    if scored.len() < 3 {
        return None;
    }
    let (lo, hi) = (LEVELS[0], LEVELS[LEVELS.len() - 1]);
    let mut inside = [0usize; UNIT_FACTORS.len()];
    let mut total = 0usize;
    for &w in &scored {
        let train: Vec<&InnerError> = errs.iter().filter(|e| e.week < w).collect();
        let fit = prepare(&train, week_days[..w].iter().sum(), ds, b, true);
        let bands: Vec<(f64, f64)> = UNIT_FACTORS
            .iter()
            .map(|c| (fit.read(lo, *c), fit.read(hi, *c)))
            .collect();
        for e in errs.iter().filter(|e| e.week == w) {
            let r = fit.lead_scale[e.lead] * fit.slot_scale.get(e.slot).copied().unwrap_or(1.0);
            total += 1;
            for (k, (a, z)) in bands.iter().enumerate() {
                if a * r <= e.z && e.z <= z * r {
                    inside[k] += 1;
                }
            }
        }
    }
    if total == 0 {
        return None;
    }
    Some(inside.map(|k| k as f64 / total as f64))
}

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
    use super::super::tests::grid;
    use super::*;

    /// Errors of eight weeks × 5 days × 10 intervals: week `w` off by `offset[w]`, plus
    /// a symmetric spread of ±0.1 … ±0.5 of its own (mean zero each day).
    fn weeks(offset: &[f64; 8]) -> Vec<InnerError> {
        grid(8, 5, 10, |w, _, k| {
            let a = 0.1 * (k / 2 + 1) as f64;
            offset[w] + if k % 2 == 0 { a } else { -a }
        })
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

    /// Eight alike weeks of two days × 48 intervals: the first day's errors spread evenly
    /// over −1.5 … −0.5, the second's over 0.5 … 1.5 (every week the same errors: the
    /// pooled errors are exactly one week's).
    fn alike_weeks() -> Vec<InnerError> {
        grid(8, 2, 48, |_, d, k| {
            let own = 0.5 * (2.0 * k as f64 - 47.0) / 48.0;
            (if d == 0 { -1.0 } else { 1.0 }) + own
        })
    }

    /// Share of `week`'s errors inside the `[q10, q90]` band of `fit` read at `factor`.
    fn covered(fit: &super::super::Prepared, week: &[InnerError], factor: f64) -> f64 {
        let (lo, hi) = (fit.read(0.1, factor), fit.read(0.9, factor));
        let r = |e: &InnerError| fit.lead_scale[e.lead] * fit.slot_scale[e.slot];
        let inside = week
            .iter()
            .filter(|e| lo * r(e) <= e.z && e.z <= hi * r(e))
            .count();
        inside as f64 / week.len() as f64
    }

    #[test]
    fn the_levels_are_read_where_the_weeks_left_out_are_covered_at_80_percent() {
        // The day's errors move together: sixteen days hold few independent draws, and the
        // effective-number reading widens the band (87 % of a new week alike the others),
        // though every week is the same and the nominal levels cover 80 % of any of them.
        let e = alike_weeks();
        let all: Vec<&InnerError> = e.iter().collect();
        let fit = prepare(&all, 16, 48, 1, true);
        let fresh: Vec<InnerError> = e.iter().filter(|x| x.week == 0).copied().collect();
        let before = covered(&fit, &fresh, 1.0);
        assert!(before > 0.83, "{before}");
        let c = choose_factor(&e, &[2; 8], 48, 1);
        assert!(c > 1.0, "{c}");
        let after = covered(&fit, &fresh, c);
        assert!((0.77..=0.83).contains(&after), "{after} at {c}");
        // Fewer than three weeks: the effective-number reading.
        let two: Vec<InnerError> = e.iter().filter(|x| x.week < 2).copied().collect();
        assert_eq!(choose_factor(&two, &[2, 2], 48, 1), 1.0);
    }

    /// Eight inner weeks of 5 days × 20 intervals whose errors, spread evenly over
    /// `±g^w` in week `w` (oldest first), grow by `g` a week; and the week after them.
    fn growing_weeks(g: f64) -> (Vec<InnerError>, Vec<InnerError>) {
        let mut out = Vec::new();
        for w in 0..9 {
            for d in 0..5 {
                for k in 0..20 {
                    let own = (2.0 * k as f64 - 19.0) / 20.0;
                    let day = [-1.0, 0.5, 0.0, -0.5, 1.0][(d + w) % 5];
                    out.push(InnerError {
                        z: g.powi(w as i32) * (day + 0.5 * own),
                        s: 1.0,
                        lead: d,
                        slot: k,
                        week: w,
                        day: 8 * w + d,
                    });
                }
            }
        }
        let next = out.split_off(8 * 100);
        (out, next)
    }

    #[test]
    fn weeks_that_grow_harder_get_the_wider_reading_the_drift_asks_for() {
        // Alike weeks (every week's errors spread the same): a narrower reading than the
        // effective number's.
        let (e, _) = growing_weeks(1.0);
        assert!(choose_factor(&e, &[5; 8], 20, 1) > 1.0);
        // Errors 2 % wider each week: the widest reading, and the week after the inner
        // weeks covered at least as well as by the effective-number reading.
        let (e, next) = growing_weeks(1.02);
        let all: Vec<&InnerError> = e.iter().collect();
        let fit = prepare(&all, 40, 20, 1, true);
        let c = choose_factor(&e, &[5; 8], 20, 1);
        assert_eq!(c, UNIT_FACTORS[0]);
        let plain = super::super::fit_parts(&all, 40, 20, 1);
        let before = next
            .iter()
            .filter(|x| plain.z[0] <= x.z && x.z <= plain.z[3])
            .count() as f64
            / next.len() as f64;
        let after = covered(&fit, &next, c);
        assert!(
            after >= before && after > covered(&fit, &next, 1.0),
            "{before} {after}"
        );
    }
}
