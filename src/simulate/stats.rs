//! Replication statistics: running means and variances (Welford), Student-t 95 %
//! confidence intervals, and the figures computed from one replication's counters.
//!
//! Each figure (say the service level of one queue and interval) is computed once per
//! replication; replications are independent and identically distributed, so the mean of
//! the `R` values with `t(0.975, R−1) · s / √R` on each side is a 95 % confidence interval
//! for the figure's expectation. A figure that a replication leaves undefined (a service
//! level where no contact arrived) is left out of that figure's sample; with fewer than two
//! values the interval is unknown (`NaN`, written as an empty cell or `null`).

use serde::Serialize;

/// Running mean and sum of squared deviations of a sample (Welford's update).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Running {
    n: u32,
    mean: f64,
    m2: f64,
}

impl Running {
    /// Adds a value; `NaN` (an undefined figure) is skipped.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// The estimate with its 95 % interval.
    pub fn estimate(&self) -> Estimate {
        if self.n == 0 {
            return Estimate {
                mean: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
                samples: 0,
            };
        }
        let half = if self.n >= 2 {
            let sd = (self.m2 / (self.n - 1) as f64).max(0.0).sqrt();
            t975(self.n - 1) * sd / (self.n as f64).sqrt()
        } else {
            f64::NAN
        };
        Estimate {
            mean: self.mean,
            ci_low: self.mean - half,
            ci_high: self.mean + half,
            samples: self.n,
        }
    }
}

/// A figure's mean over replications and its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean over the replications where the figure is defined (`NaN`: none).
    pub mean: f64,
    /// Lower end of the 95 % interval (`NaN` with fewer than two values).
    pub ci_low: f64,
    /// Upper end of the 95 % interval.
    pub ci_high: f64,
    /// Replications where the figure is defined.
    pub samples: u32,
}

impl Estimate {
    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci_high - self.ci_low)
    }
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (exact to 3 decimals
/// up to 30, then the Cornish–Fisher expansion around the normal quantile).
pub fn t975(df: u32) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => T[(df - 1) as usize],
        _ => {
            let z = 1.959_963_984_540_054_f64;
            let v = df as f64;
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

/// `a / b`, or `NaN` when `b` is 0 (the figure is undefined).
#[inline]
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_the_two_pass_formula() {
        let xs = [3.0, 5.0, 4.0, 10.0, f64::NAN, 7.0];
        let mut r = Running::default();
        for x in xs {
            r.push(x);
        }
        let e = r.estimate();
        let v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        let m = v.iter().sum::<f64>() / 5.0;
        let s = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 4.0).sqrt();
        assert_eq!(e.samples, 5);
        assert!((e.mean - m).abs() < 1e-12);
        assert!((e.half_width() - 2.776 * s / 5f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn t_quantile_tends_to_the_normal() {
        assert!((t975(40) - 2.021).abs() < 2e-3, "{}", t975(40));
        assert!((t975(120) - 1.980).abs() < 2e-3, "{}", t975(120));
        assert!(t975(100_000) > 1.9599 && t975(100_000) < 1.961);
        assert!(t975(0).is_nan());
    }
}
