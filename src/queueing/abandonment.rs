//! Erlang A (M/M/N+M): Poisson arrivals, exponential handle time, exponential patience.
//!
//! Exact birth–death solution. With `λ` arrivals per second, `μ = 1 / AHT`, `θ = 1 / patience`
//! and `N` agents, the stationary probabilities are `π_k ∝ A^k / k!` for `k ≤ N` and
//! `π_{N+j} = π_N Π_{i=1..j} λ / (Nμ + iθ)` above. The part below `N` is summed with the
//! Erlang B machinery (`Σ_{k≤N} π_k = π_N / B(N, A)`), the tail term by term until it no
//! longer changes the sum.
//!
//! * `P(wait) = P(k ≥ N)` (arrivals see time averages).
//! * `P(abandon) = θ E[Lq] / λ`; `ASA = E[Lq] / λ`, the mean wait **over all offered
//!   contacts**, abandoned ones included (their time in queue is a wait too).
//! * occupancy `= λ (1 − P(abandon)) · AHT / N`.
//! * service level at `t`: the fraction of **all offered** contacts that are answered within
//!   `t`; a contact that abandons counts as not answered in time, whenever it abandons.
//!
//! The service level follows a tagged arrival that finds `j` contacts waiting ahead. Its
//! position advances at rate `Nμ + iθ` while `i` are ahead, and it abandons at rate `θ`. The
//! probability that it reaches an agent within `t` is computed for all `j` at once by
//! uniformization of that killed pure-death chain (Poisson weights computed around their mode
//! in log space, so they never underflow).

use super::erlang::ErlangB;

const EPS: f64 = 1e-16;

/// Erlang A metrics at one staffing level.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErlangAPoint {
    pub wait_probability: f64,
    pub abandon_probability: f64,
    pub service_level: f64,
    pub asa_seconds: f64,
    pub occupancy: f64,
}

/// Erlang A metrics for `n` agents, arrival rate `lambda` (per second), handle time `aht` and
/// mean patience `patience` (seconds), service-level threshold `t` (seconds).
/// All inputs must be finite; `lambda ≥ 0`, `aht > 0`, `patience > 0`, `t ≥ 0`.
pub(crate) fn erlang_a_point(n: u64, lambda: f64, aht: f64, patience: f64, t: f64) -> ErlangAPoint {
    if lambda <= 0.0 {
        return ErlangAPoint {
            wait_probability: 0.0,
            abandon_probability: 0.0,
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: 0.0,
        };
    }
    let mu = 1.0 / aht;
    let theta = 1.0 / patience;
    let a = lambda * aht;
    let nmu = n as f64 * mu;

    // Tail weights q_j = Π_{i=1..j} λ / (Nμ + iθ), q_0 = 1, in log space (they can exceed
    // the range of f64 when N is far below the load). They rise while λ > Nμ + iθ and fall
    // after; stop past the peak once a term no longer changes the sum.
    let peak = ((lambda - nmu) / theta).max(0.0);
    let mut ln_q = vec![0.0f64];
    let mut ln_max = 0.0f64;
    let mut ln_term = 0.0f64;
    let ln_eps = EPS.ln();
    let mut j = 0u64;
    loop {
        j += 1;
        ln_term += (lambda / (nmu + j as f64 * theta)).ln();
        ln_q.push(ln_term);
        ln_max = ln_max.max(ln_term);
        if (j as f64) > peak && ln_term < ln_eps + ln_max {
            break;
        }
    }

    // Σ_{k≤N} π_k / π_N = R = 1 / B(N, A). B underflows to 0 only when N is so far above A
    // that nobody ever waits.
    let b = ErlangB::at(n, a).blocking();
    if b <= 0.0 {
        return ErlangAPoint {
            wait_probability: 0.0,
            abandon_probability: 0.0,
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: (a / n as f64).clamp(0.0, 1.0),
        };
    }
    let ln_r = -b.ln();
    let shift = ln_max.max(ln_r);
    // Everything below is scaled by exp(-shift); π_N q_j = q_j / (R + Σ q) is scale-free.
    let q: Vec<f64> = ln_q.iter().map(|l| (l - shift).exp()).collect();
    let r = (ln_r - shift).exp();
    let tail: f64 = q[1..].iter().sum();
    let lq: f64 = q.iter().enumerate().map(|(j, x)| j as f64 * x).sum();
    let pi_n = 1.0 / (r + tail);
    let below = pi_n * (r - (-shift).exp());
    let wait_probability = (pi_n * (q[0] + tail)).clamp(0.0, 1.0);
    let mean_queue = pi_n * lq;
    let abandon_probability = (theta * mean_queue / lambda).clamp(0.0, 1.0);
    let asa_seconds = mean_queue / lambda;
    let occupancy = if n == 0 {
        0.0
    } else {
        (a * (1.0 - abandon_probability) / n as f64).clamp(0.0, 1.0)
    };

    let served_in_time = if pi_n == 0.0 || t <= 0.0 {
        0.0
    } else {
        served_within(&q, pi_n, nmu, theta, t)
    };
    ErlangAPoint {
        wait_probability,
        abandon_probability,
        service_level: (below + served_in_time).clamp(0.0, 1.0),
        asa_seconds,
        occupancy,
    }
}

/// `Σ_j π_N q_j u_j(t)` where `u_j(t)` is the probability that an arrival with `j` waiting
/// ahead of it reaches an agent within `t` before abandoning.
///
/// Forward uniformization: the arrival-weighted mass over "contacts ahead" moves one state
/// down at each uniformized step with probability `(Nμ + iθ) / Λ`, is lost (abandonment) with
/// probability `θ / Λ`, and the mass that leaves state 0 is served. After `m` steps the served
/// mass is `s_m`, and the answer is `Σ_m Poisson(m; Λt) s_m`. Mass `m` steps in that is still
/// more than `hi − m` states away from an agent cannot be served in time, so the window of
/// live states shrinks as the steps go on.
fn served_within(q: &[f64], pi_n: f64, nmu: f64, theta: f64, t: f64) -> f64 {
    // States that cannot reach an agent within t with any real chance are cut: from j ahead,
    // j + 1 advances are needed, each at rate at most Nμ + jθ.
    let mut jmax = q.len();
    if theta * t < 1.0 {
        let cut = (0..q.len()).find(|&j| {
            let m = (nmu + j as f64 * theta) * t;
            (j + 1) as f64 > m + 12.0 * m.sqrt() + 30.0
        });
        if let Some(c) = cut {
            jmax = jmax.min(c.max(1));
        }
    }
    let lambda_u = nmu + (jmax as f64 + 1.0) * theta; // uniformization rate
    let (lo, weights) = poisson_weights(lambda_u * t);
    let hi = lo + weights.len();
    let jmax = jmax.min(hi);

    let inv = 1.0 / lambda_u;
    let adv: Vec<f64> = (0..jmax).map(|i| (nmu + i as f64 * theta) * inv).collect();
    let stay: Vec<f64> = (0..jmax)
        .map(|i| 1.0 - (nmu + (i as f64 + 1.0) * theta) * inv)
        .collect();
    let mut x: Vec<f64> = q[..jmax].iter().map(|v| v * pi_n).collect();

    let mut served = 0.0;
    let mut total = 0.0;
    for m in 0..hi {
        if m >= lo {
            total += weights[m - lo] * served;
        }
        // States at or beyond `hi − m − 1` cannot be served within the remaining steps.
        let live = jmax.min(hi - m);
        if live == 0 {
            break;
        }
        served += x[0] * adv[0];
        step_down(&mut x[..live], &stay[..live], &adv[..live]);
    }
    total
}

/// One uniformized step over the live states: `x[i] ← x[i]·stay[i] + x[i+1]·adv[i+1]`.
/// The slices have equal lengths, so the loop carries no bounds checks.
#[inline]
fn step_down(x: &mut [f64], stay: &[f64], adv: &[f64]) {
    let n = x.len().min(stay.len()).min(adv.len());
    if n == 0 {
        return;
    }
    let (x, stay, adv) = (&mut x[..n], &stay[..n], &adv[..n]);
    for i in 0..n - 1 {
        x[i] = x[i] * stay[i] + x[i + 1] * adv[i + 1];
    }
    x[n - 1] *= stay[n - 1];
}

/// Poisson(mean) probabilities over the range outside of which every weight is below
/// `1e-18` of the largest: returns the first index and the weights (summing to 1).
fn poisson_weights(mean: f64) -> (usize, Vec<f64>) {
    if mean <= 0.0 {
        return (0, vec![1.0]);
    }
    const CUT: f64 = 1e-18;
    let mode = mean.floor() as usize;
    // Relative weights from the mode outward: p(k+1)/p(k) = mean/(k+1).
    let mut up = vec![1.0f64];
    let mut k = mode;
    let mut w = 1.0;
    while w > CUT {
        k += 1;
        w *= mean / k as f64;
        up.push(w);
    }
    let mut down = Vec::new();
    let mut k = mode;
    let mut w = 1.0;
    while k > 0 && w > CUT {
        w *= k as f64 / mean;
        k -= 1;
        down.push(w);
    }
    let lo = mode - down.len();
    let mut all: Vec<f64> = down.into_iter().rev().chain(up).collect();
    let s: f64 = all.iter().sum();
    for x in &mut all {
        *x /= s;
    }
    (lo, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_weights_sum_and_mean() {
        for &m in &[0.3, 5.0, 111.1, 2000.0, 1e5] {
            let (lo, w) = poisson_weights(m);
            let s: f64 = w.iter().sum();
            let mean: f64 = w.iter().enumerate().map(|(i, p)| (lo + i) as f64 * p).sum();
            assert!((s - 1.0).abs() < 1e-12);
            assert!((mean - m).abs() < 1e-6 * m.max(1.0), "{m}: {mean}");
        }
    }

    #[test]
    fn mandelbaum_zeltyn_example() {
        // 2880 calls/h, 1 min service, 2 min patience, 50 agents (reference MZ-A50).
        let p = erlang_a_point(50, 2880.0 / 3600.0, 60.0, 120.0, 20.0);
        assert!((p.abandon_probability - 0.031).abs() < 0.001, "{p:?}");
        assert!((p.asa_seconds - 3.7).abs() < 0.05, "{p:?}");
    }

    #[test]
    fn zero_agents_everyone_abandons() {
        let p = erlang_a_point(0, 0.1, 180.0, 60.0, 20.0);
        assert!((p.abandon_probability - 1.0).abs() < 1e-9, "{p:?}");
        assert_eq!(p.service_level, 0.0);
        assert_eq!(p.occupancy, 0.0);
    }
}
