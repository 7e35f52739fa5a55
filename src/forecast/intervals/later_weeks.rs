//! Lead-day widths for the weeks of lead after the first, from errors measured at those
//! leads.
//!
//! The inner weeks of the first week of lead are forecast again from origins `ℓ` weeks
//! earlier, so each inner week is scored at lead week `ℓ` on the same actuals. With `s_1`
//! the spread (mean absolute scaled error) of the first week's errors and `s_ℓ` that of
//! the errors at lead week `ℓ`, the week's widths are `R_ℓ = s_ℓ / s_1` times its own
//! lead-day factors: `r_{7ℓ+d} = R_ℓ · (n_d · s_{ℓ,d} / s_ℓ + m) / (n_d + m)`, i.e. each
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
            let ratio = sl / s1;
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
        // R = 3; lead 0: 3 · (2 · 2/3 + 2) / 4 = 2.5; lead 1: 3 · (2 · 4/3 + 2) / 4 = 3.5;
        // no errors: R.
        assert!((r[7] - 2.5).abs() < 1e-12, "{r:?}");
        assert!((r[8] - 3.5).abs() < 1e-12, "{r:?}");
        assert!((r[9] - 3.0).abs() < 1e-12, "{r:?}");
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
