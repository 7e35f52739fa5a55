//! Rounding a block's lower bound up to a value its plans can take.
//!
//! When every cost of a block (and every penalty of its soft rows) is a whole number, a
//! plan's objective on the block, a sum of whole multiples of those numbers, is a multiple of
//! their greatest common divisor `g`. Any lower bound `v` of the block (its LP optimum, the
//! window bound, a MIP's proven bound) can then be raised to the next multiple of `g`: with
//! 8-hour and 4-hour shifts priced by the paid hour, `g = 4`, and a day whose LP optimum is
//! 301.5 paid hours needs at least 304. On blocks of a few dozen shifts this closes a
//! large part of the distance between the LP bound and the integer optimum, so the reported
//! gap measures the plan rather than the relaxation.

use super::model::Sub;

/// Largest whole number the rounding works with (exact in `f64`).
const MAX_WHOLE: f64 = 9.0e15;

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The step `g > 0` of the objective values of block `s`'s plans, when every cost and
/// penalty that can enter it is a whole number; `None` otherwise.
pub(crate) fn granularity(s: &Sub) -> Option<f64> {
    let soft = s.cover_soft.iter().any(|&b| b);
    let mut terms: Vec<f64> = s.cost.clone();
    if soft {
        terms.push(s.under);
        terms.push(s.over);
    }
    let mut g = 0u64;
    for c in terms {
        if !((0.0..=MAX_WHOLE).contains(&c) && c.fract() == 0.0) {
            return None;
        }
        g = gcd(g, c as u64);
    }
    (g > 0).then_some(g as f64)
}

/// `v` raised to the next multiple of `step` (with a tolerance for the solver's rounding
/// errors); `v` itself without a step.
pub(crate) fn round_up(v: f64, step: Option<f64>) -> f64 {
    match step {
        Some(g) if v.is_finite() => {
            let tol = 1e-6 + 1e-9 * v.abs();
            ((v - tol) / g).ceil() * g
        }
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiples_of_the_common_step() {
        assert_eq!(gcd(8, 4), 4);
        assert_eq!(round_up(301.5, Some(4.0)), 304.0);
        assert_eq!(round_up(304.0000001, Some(4.0)), 304.0);
        assert_eq!(round_up(303.99999999, Some(4.0)), 304.0);
        assert_eq!(round_up(300.2, Some(1.0)), 301.0);
        assert_eq!(round_up(300.2, None), 300.2);
    }
}
