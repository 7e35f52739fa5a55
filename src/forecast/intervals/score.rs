//! Scores of quantile forecasts: the pinball loss of each level and the coverage of the
//! central 80 % interval `[q10, q90]`.

/// Pinball loss of quantile forecast `q` at level `p` for actual `y`.
pub fn pinball(y: f64, q: f64, p: f64) -> f64 {
    if y >= q {
        p * (y - q)
    } else {
        (1.0 - p) * (q - y)
    }
}

/// Interval scores of one forecast over its scored intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalScore {
    /// Mean pinball loss over the levels and intervals, as a percentage of the mean actual.
    pub pinball: f64,
    /// Share of actuals inside `[q10, q90]`, percent.
    pub coverage80: f64,
    /// Number of scored intervals.
    pub n: usize,
}

impl IntervalScore {
    /// Scores quantile forecasts `quantiles[level][k]` (levels as `levels`) against
    /// `actual[k]`. `None` when nothing is scored or the levels lack 0.1 or 0.9.
    pub fn compute(actual: &[f64], levels: &[f64], quantiles: &[Vec<f64>]) -> Option<Self> {
        let n = actual.len();
        let tot: f64 = actual.iter().sum();
        if n == 0 || tot <= 0.0 || levels.len() != quantiles.len() {
            return None;
        }
        let pos = |p: f64| levels.iter().position(|l| (l - p).abs() < 1e-9);
        let (lo, hi) = (pos(0.1)?, pos(0.9)?);
        let mut loss = 0.0;
        for (p, q) in levels.iter().zip(quantiles) {
            for (y, x) in actual.iter().zip(q) {
                loss += pinball(*y, *x, *p);
            }
        }
        let inside = actual
            .iter()
            .enumerate()
            .filter(|(k, y)| {
                let l = quantiles[lo].get(*k).copied().unwrap_or(f64::NAN);
                let h = quantiles[hi].get(*k).copied().unwrap_or(f64::NAN);
                l <= **y && **y <= h
            })
            .count();
        Some(IntervalScore {
            pinball: 100.0 * loss / (levels.len() as f64 * tot),
            coverage80: 100.0 * inside as f64 / n as f64,
            n,
        })
    }

    /// Mean of several scores (`n` summed).
    pub fn mean(all: &[IntervalScore]) -> Option<IntervalScore> {
        if all.is_empty() {
            return None;
        }
        let k = all.len() as f64;
        Some(IntervalScore {
            pinball: all.iter().map(|a| a.pinball).sum::<f64>() / k,
            coverage80: all.iter().map(|a| a.coverage80).sum::<f64>() / k,
            n: all.iter().map(|a| a.n).sum(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::intervals::LEVELS;

    #[test]
    fn pinball_weighs_each_side_by_its_level() {
        assert!((pinball(10.0, 8.0, 0.9) - 1.8).abs() < 1e-12);
        assert!((pinball(8.0, 10.0, 0.9) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_actuals_inside_the_band() {
        let levels = LEVELS.to_vec();
        let q = vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![2.0, 2.0, 2.0, 2.0],
            vec![3.0, 3.0, 3.0, 3.0],
            vec![4.0, 4.0, 4.0, 4.0],
        ];
        let s = IntervalScore::compute(&[0.5, 1.0, 4.0, 5.0], &levels, &q);
        assert_eq!(s.map(|s| s.coverage80), Some(50.0));
    }
}
