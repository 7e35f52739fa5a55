//! Erlang B and Erlang C (M/M/N) by the Erlang B recursion: no factorials, no powers, no
//! overflow.
//!
//! Notation: `a` is the offered load in Erlangs, `n` the number of servers.
//! `B(n, a)` is the Erlang B blocking probability, `R(n, a) = 1 / B(n, a)`.
//!
//! * Forward recursion: `B(n) = a B(n-1) / (n + a B(n-1))`, stable and cheap per step; it
//!   underflows gracefully to 0 for `n ≫ a`.
//! * Starting point: rather than recursing from `n = 0` (O(a) steps), [`inv_erlang_b_at_most`]
//!   sums `R(n0) = Σ_j Π_{i<j} (n0 - i) / a` directly for `n0 ≤ a`. Its terms are positive and
//!   fall like `exp(-j² / 2a)`, so about `9 √a` terms give full double precision. Staffing
//!   then needs only the `O(√a)` steps between `a` and the answer.

/// Relative size below which a series term no longer changes a double-precision sum.
const SERIES_EPS: f64 = 1e-17;

/// `R(n, a) = 1 / B(n, a)` for `n ≤ a + 1` by direct summation (see the module docs).
///
/// `a` must be finite and positive.
pub(crate) fn inv_erlang_b_at_most(n: u64, a: f64) -> f64 {
    let inv_a = 1.0 / a;
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut k = n as f64;
    // Four terms per step: their factor products do not depend on `term`, so the dependency
    // chain is one multiplication and one addition per four terms instead of per term.
    while k >= 4.0 {
        let f0 = k * inv_a;
        let f01 = f0 * ((k - 1.0) * inv_a);
        let f012 = f01 * ((k - 2.0) * inv_a);
        let f0123 = f012 * ((k - 3.0) * inv_a);
        let (t0, t1, t2, t3) = (term * f0, term * f01, term * f012, term * f0123);
        sum += (t0 + t1) + (t2 + t3);
        term = t3;
        if term < SERIES_EPS * sum {
            return sum;
        }
        k -= 4.0;
    }
    while k >= 1.0 {
        term *= k * inv_a;
        sum += term;
        k -= 1.0;
    }
    sum
}

/// Erlang B state that steps `n` upward one server at a time.
///
/// It holds `R = 1 / B`, whose recursion `R(n) = 1 + (n / a) R(n − 1)` needs no division.
/// `R` may overflow to infinity far above the load, which is `B = 0`: exact to double
/// precision.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErlangB {
    a: f64,
    inv_a: f64,
    n: u64,
    r: f64,
}

impl ErlangB {
    /// The state at `n = floor(a)` (or 0 for `a < 1`). `a` must be finite and `≥ 0`.
    pub(crate) fn near_load(a: f64) -> Self {
        if a <= 0.0 {
            return ErlangB {
                a,
                inv_a: f64::INFINITY,
                n: 0,
                r: 1.0,
            };
        }
        let n = a.floor() as u64;
        ErlangB {
            a,
            inv_a: 1.0 / a,
            n,
            r: inv_erlang_b_at_most(n, a),
        }
    }

    /// The state at any `n`: direct sum below the load, forward recursion above it.
    pub(crate) fn at(n: u64, a: f64) -> Self {
        if a <= 0.0 {
            // No load: nothing is ever blocked once there is a server.
            return ErlangB {
                a,
                inv_a: f64::INFINITY,
                n,
                r: if n == 0 { 1.0 } else { f64::INFINITY },
            };
        }
        if (n as f64) <= a {
            return ErlangB {
                a,
                inv_a: 1.0 / a,
                n,
                r: inv_erlang_b_at_most(n, a),
            };
        }
        let mut s = ErlangB::near_load(a);
        while s.n < n {
            s.step();
            if s.r.is_infinite() {
                // B = 0 from here on (R only grows): no need to walk to `n`.
                s.n = n;
            }
        }
        s
    }

    /// Moves to `n + 1`.
    #[inline]
    pub(crate) fn step(&mut self) {
        self.n += 1;
        self.r = 1.0 + self.n as f64 * self.inv_a * self.r;
    }

    /// Current number of servers.
    pub(crate) fn n(&self) -> u64 {
        self.n
    }

    /// Blocking probability `B(n, a)`.
    pub(crate) fn blocking(&self) -> f64 {
        1.0 / self.r
    }

    /// Erlang C waiting probability `C(n, a)`; 1 when `n ≤ a` (the queue grows without bound).
    #[inline]
    pub(crate) fn wait_probability(&self) -> f64 {
        let n = self.n as f64;
        if n <= self.a {
            return 1.0;
        }
        // C = n B / (n − a (1 − B)) = n / (R (n − a) + a); R = ∞ gives 0.
        (n / (self.r * (n - self.a) + self.a)).clamp(0.0, 1.0)
    }
}

/// Erlang C metrics at `n` servers, traffic `a`, handle time `aht` seconds, threshold `t`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErlangCPoint {
    pub wait_probability: f64,
    pub service_level: f64,
    pub asa_seconds: f64,
    pub occupancy: f64,
}

/// Erlang C metrics from an [`ErlangB`] state.
pub(crate) fn erlang_c_point(b: &ErlangB, aht: f64, t: f64) -> ErlangCPoint {
    let a = b.a;
    let n = b.n as f64;
    if a <= 0.0 {
        return ErlangCPoint {
            wait_probability: 0.0,
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: 0.0,
        };
    }
    if n <= a {
        return ErlangCPoint {
            wait_probability: 1.0,
            service_level: 0.0,
            asa_seconds: f64::INFINITY,
            occupancy: 1.0,
        };
    }
    let c = b.wait_probability();
    let service_level = (1.0 - c * (-(n - a) * t / aht).exp()).clamp(0.0, 1.0);
    ErlangCPoint {
        wait_probability: c,
        service_level,
        asa_seconds: c * aht / (n - a),
        occupancy: a / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook recursion from n = 0, for comparison.
    fn b_naive(n: u64, a: f64) -> f64 {
        let mut b = 1.0;
        for k in 1..=n {
            b = a * b / (k as f64 + a * b);
        }
        b
    }

    #[test]
    fn direct_sum_matches_recursion() {
        for &a in &[0.01, 0.5, 1.0, 3.7, 10.0, 99.5, 1000.0, 12345.6] {
            for n in [0u64, 1, 2, 5, 10, 50, 100, 1000, 2000, 13000] {
                let fast = ErlangB::at(n, a).blocking();
                let slow = b_naive(n, a);
                let tol = 1e-12 * slow.max(1e-300);
                assert!(
                    (fast - slow).abs() <= tol.max(1e-15),
                    "n={n} a={a}: {fast} vs {slow}"
                );
            }
        }
    }

    #[test]
    fn known_values() {
        // B(10, 10) = 0.2145823...
        assert!((ErlangB::at(10, 10.0).blocking() - 0.214_582_3).abs() < 1e-7);
        // C(14, 10) = 0.1741319 (reference case CCH-N14)
        assert!((ErlangB::at(14, 10.0).wait_probability() - 0.174_131_9).abs() < 1e-7);
    }

    #[test]
    fn huge_loads_stay_finite() {
        for &a in &[1e5, 1e6] {
            let mut s = ErlangB::near_load(a);
            for _ in 0..5000 {
                s.step();
                assert!(s.blocking().is_finite() && s.blocking() >= 0.0);
                assert!(s.wait_probability().is_finite());
            }
        }
    }
}
