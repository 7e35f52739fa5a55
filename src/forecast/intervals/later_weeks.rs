//! Lead-day widths for the weeks of lead after the first, from errors measured at those
//! leads.
//!
//! The inner weeks of the first week of lead are forecast again from origins `ℓ` weeks
//! earlier, so each inner week is scored at lead week `ℓ` on the same actuals. With `s_1`
//! the spread (mean absolute scaled error) of the first week's errors and `s_ℓ` that of
//! the errors at lead week `ℓ`, measured on `K` inner weeks, the week's ratio is
//! `R_ℓ = (K · s_ℓ / s_1 + 1) / (K + 1)` (`s_ℓ / s_1` shrunk toward 1 by one week's worth:
//! the weeks are the independent units behind it, as a day's errors are for a lead-day
//! factor), and its widths are `R_ℓ` times its own lead-day factors: `r_{7ℓ+d} = R_ℓ · (n_d · s_{ℓ,d} / s_ℓ + m) / (n_d + m)`, i.e. each
//! lead day's spread relative to the first week's, shrunk toward the week's ratio `R_ℓ` by
//! one day's worth of errors (`m`, as for the first week, where `R_1 = 1`). The quantiles,
//! the time-of-day widths and the effective number of draws stay those of the first week:
//! only the scale changes with the lead. Comparing the two weeks on the same actuals
//! keeps the ratio free of the weeks' own ups and downs.

use super::{spread_factors, InnerError, LEAD_DAYS};

/// Mean absolute scaled error of `errs`; `None` without errors or spread.
fn spread(errs: &[InnerError]) -> Option<f64> {
    let s = errs.iter().map(|e| e.z.abs()).sum::<f64>() / errs.len().max(1) as f64;
    (s.is_finite() && s > 0.0).then_some(s)
}

/// Inner weeks with at least one error in `errs`.
fn weeks_in(errs: &[InnerError]) -> usize {
    let mut w: Vec<usize> = errs.iter().map(|e| e.week).collect();
    w.sort_unstable();
    w.dedup();
    w.len()
}

/// The week's ratio `R = s_ℓ / s_1` measured on `k` inner weeks, shrunk toward 1 by one
/// week's worth: `(k·R + 1) / (k + 1)`. The weeks are the independent units behind it (a
/// method's error level moves by the week), as the day's errors are for a lead-day
/// factor, shrunk by one day's worth.
fn shrunk_ratio(ratio: f64, k: usize) -> f64 {
    let k = k as f64;
    (k * ratio + 1.0) / (k + 1.0)
}

/// Appends the seven lead-day factors of the next week of lead to `lead_scale` (seven
/// entries per week so far), from `later`, the inner errors at that lead, and `first`,
/// those of the first week (`ds` intervals a day: the shrinkage prior). Without errors at
/// that lead (a history too short for its origins) or without spread in either week, the
/// previous week's factors are repeated.
pub(super) fn extend(
    lead_scale: &mut Vec<f64>,
    first: &[InnerError],
    later: &[InnerError],
    ds: usize,
) {
    let prev: Vec<f64> = lead_scale
        .iter()
        .skip(lead_scale.len().saturating_sub(LEAD_DAYS))
        .copied()
        .chain(std::iter::repeat(1.0))
        .take(LEAD_DAYS)
        .collect();
    let week = match (spread(first), spread(later)) {
        (Some(s1), Some(sl)) => {
            let ratio = shrunk_ratio(sl / s1, weeks_in(later));
            let z: Vec<(f64, usize)> = later.iter().map(|e| (e.z, e.lead)).collect();
            let own = spread_factors(&z, LEAD_DAYS, ds as f64);
            let f: Vec<f64> = own.iter().map(|r| r * ratio).collect();
            if f.iter().all(|x| x.is_finite() && *x > 0.0) {
                f
            } else {
                prev
            }
        }
        _ => prev,
    };
    lead_scale.extend(week);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(z: &[(f64, usize)]) -> Vec<InnerError> {
        z.iter()
            .enumerate()
            .map(|(i, (z, lead))| InnerError {
                z: *z,
                s: 1.0,
                lead: *lead,
                slot: i % 2,
                week: 0,
                day: *lead,
            })
            .collect()
    }

    #[test]
    fn the_second_week_is_scaled_by_its_spread_over_the_first_weeks() {
        // First week: |z| = 1 on leads 0 and 1. Second week: |z| = 2 on lead 0, 4 on lead 1.
        let first = errs(&[(1.0, 0), (-1.0, 0), (1.0, 1), (-1.0, 1)]);
        let later = errs(&[(2.0, 0), (-2.0, 0), (4.0, 1), (-4.0, 1)]);
        let mut r = vec![1.0; LEAD_DAYS];
        extend(&mut r, &first, &later, 2);
        assert_eq!(r.len(), 2 * LEAD_DAYS);
        // s_ℓ / s_1 = 3 on one inner week: R = (3 + 1) / 2 = 2; lead 0:
        // 2 · (2 · 2/3 + 2) / 4 = 5/3; lead 1: 2 · (2 · 4/3 + 2) / 4 = 7/3; no errors: R.
        assert!((r[7] - 5.0 / 3.0).abs() < 1e-12, "{r:?}");
        assert!((r[8] - 7.0 / 3.0).abs() < 1e-12, "{r:?}");
        assert!((r[9] - 2.0).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn the_ratio_is_shrunk_toward_one_by_one_weeks_worth() {
        // |z| = 1 in the first week, 1.9 at the later lead, on eight inner weeks: the
        // ratio 1.9 rests on eight weeks and becomes (8 · 1.9 + 1) / 9 = 1.8.
        let tag = |z: f64, w: usize| InnerError {
            z,
            s: 1.0,
            lead: 0,
            slot: 0,
            week: w,
            day: 8 * w,
        };
        let first: Vec<InnerError> = (0..8).flat_map(|w| [tag(1.0, w), tag(-1.0, w)]).collect();
        let later: Vec<InnerError> = (0..8).flat_map(|w| [tag(1.9, w), tag(-1.9, w)]).collect();
        let mut r = vec![1.0; LEAD_DAYS];
        extend(&mut r, &first, &later, 2);
        // Lead 0 has its own errors (spread = the week's): R; the days without: R.
        assert!((r[7] - 1.8).abs() < 1e-12, "{r:?}");
        assert!((r[10] - 1.8).abs() < 1e-12, "{r:?}");
        // The same spread on one week only: shrunk halfway, (1.9 + 1) / 2.
        let mut r = vec![1.0; LEAD_DAYS];
        extend(&mut r, &first, &later[..2], 2);
        assert!((r[7] - 1.45).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn a_week_without_errors_repeats_the_previous_week() {
        let first = errs(&[(1.0, 0), (-1.0, 0)]);
        let mut r: Vec<f64> = (0..LEAD_DAYS).map(|d| 1.0 + d as f64 / 10.0).collect();
        extend(&mut r, &first, &[], 2);
        assert_eq!(r[7..], r[..7].to_vec()[..]);
        // No spread in the first week: the same.
        let flat = errs(&[(0.0, 0), (0.0, 1)]);
        extend(&mut r, &flat, &first, 2);
        assert_eq!(r[14..], r[..7].to_vec()[..]);
    }
}
