//! Random streams and the laws drawn from them.
//!
//! Replication `r` of a run with seed `s` draws from PCG-64 (`rand_pcg::Pcg64`, the
//! 128-bit LCG with XSL-RR output, a documented and stable algorithm) with state
//! `splitmix64(s)` and stream `r`: distinct streams are distinct sequences, and a
//! replication's numbers depend on `(s, r)` alone, not on the machine or on which thread
//! runs it. Uniforms take the top 53 bits of a 64-bit output; the laws (exponential,
//! normal by Box–Muller, lognormal) are computed here, so their numbers cannot change
//! under a dependency update.

use rand_pcg::rand_core::Rng as _;
use rand_pcg::Pcg64;

/// SplitMix64's output function: spreads nearby seeds over the whole state space.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of one replication.
#[derive(Debug, Clone)]
pub struct Stream {
    rng: Pcg64,
    spare_normal: Option<f64>,
}

impl Stream {
    /// The stream of replication `replication` of a run seeded with `seed`.
    pub fn new(seed: u64, replication: u32) -> Self {
        let hi = splitmix64(seed) as u128;
        let lo = splitmix64(seed ^ 0xD1B5_4A32_D192_ED03) as u128;
        Stream {
            rng: Pcg64::new((hi << 64) | lo, replication as u128),
            spare_normal: None,
        }
    }

    /// Uniform in `(0, 1]` (never 0, so its logarithm is finite).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with mean `mean`.
    #[inline]
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }

    /// Standard normal (Box–Muller; the second value of each pair is kept for the next
    /// call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let r = (-2.0 * self.uniform().ln()).sqrt();
        let theta = std::f64::consts::TAU * self.uniform();
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    /// Lognormal with mean `mean` and coefficient of variation `cv`.
    pub fn lognormal(&mut self, mean: f64, cv: f64) -> f64 {
        let s2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - 0.5 * s2;
        (mu + s2.sqrt() * self.normal()).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_other_streams_differ() {
        let a: Vec<f64> = (0..5).map(|_| Stream::new(7, 3).uniform()).collect();
        let mut s = Stream::new(7, 3);
        let b: Vec<f64> = (0..5).map(|_| s.uniform()).collect();
        assert_eq!(a[0], b[0]);
        let mut t = Stream::new(7, 4);
        assert_ne!(b[0], t.uniform());
    }

    #[test]
    fn laws_have_their_means() {
        let mut s = Stream::new(1, 0);
        let n = 200_000;
        let e: f64 = (0..n).map(|_| s.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((e - 3.0).abs() < 0.05, "{e}");
        let xs: Vec<f64> = (0..n).map(|_| s.lognormal(100.0, 0.8)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((m - 100.0).abs() < 1.5, "{m}");
        assert!((sd / m - 0.8).abs() < 0.05, "{}", sd / m);
        let u = (0..n).map(|_| s.uniform()).fold(f64::INFINITY, f64::min);
        assert!(u > 0.0);
    }
}
