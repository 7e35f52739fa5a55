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
//! probability that it reaches an agent within `t` has a closed form in the incomplete beta
//! function (see `served_within`), evaluated for all `j` in one pass: the cost of a point is
//! linear in the number of queue states that matter, not in `λt`.

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
/// With `j` ahead the arrival moves up at rate `Nμ + iθ` while `i` are ahead, so its time
/// to an agent is `T = Σ_{i=0..j} Exp(θ (b + i))` with `b = Nμ / θ`, and it is still there
/// with probability `e^{−θT}`. `Y = e^{−θT}` is a product of independent `Beta(b + i, 1)`
/// variables, which is `Beta(b, j + 1)`; hence, with `x = e^{−θt}`,
///
/// `u_j(t) = E[Y; Y ≥ x] = b / (b + j + 1) · (1 − I_x(b + 1, j + 1))`
///
/// where `I` is the regularized incomplete beta function. Its values for consecutive `j`
/// follow from `I_x(a, m + 1) = I_x(a, m) + x^a (1 − x)^m / (m B(a, m))`, whose terms are
/// computed in log space (they under- and overflow far from their peak): one step per
/// state, whatever `N`, `λ` or `t`.
fn served_within(q: &[f64], pi_n: f64, nmu: f64, theta: f64, t: f64) -> f64 {
    if nmu <= 0.0 {
        return 0.0;
    }
    let b = nmu / theta;
    let a = b + 1.0;
    let ln_x = -theta * t;
    let ln_1mx = (-(ln_x.exp_m1())).ln();
    // S_0 = 1 − x^a, then S_j = S_{j−1} − T_j (Kahan-compensated).
    let mut s = -(a * ln_x).exp_m1();
    let mut comp = 0.0f64;
    let mut ln_term = a * ln_x + ln_1mx + a.ln(); // ln T_1
    let mut total = 0.0;
    for (j, &qj) in q.iter().enumerate() {
        if j > 0 {
            // s -= T_j, compensated.
            let y = (-ln_term.exp()) - comp;
            let next = s + y;
            comp = (next - s) - y;
            s = next;
            let m = j as f64;
            ln_term += ln_1mx + (a + m).ln() - (m + 1.0).ln();
        }
        let sj = s.max(0.0);
        if sj == 0.0 {
            break;
        }
        total += qj * (b / (b + j as f64 + 1.0)) * sj;
    }
    pi_n * total
}

#[cfg(test)]
mod tests {
    use super::*;

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
