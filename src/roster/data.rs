//! The solvers' flat view of a [`Problem`]: dense arrays indexed by employee, day and shift
//! type, shared by the local search and the MIP models (not by the checker).

use super::model::Problem;

/// Dense, precomputed view of a validated problem.
pub(crate) struct Data {
    pub ne: usize,
    pub nd: usize,
    pub ns: usize,
    /// `allowed[(e * nd + d) * ns + s]`: day off, zero maximum and eligibility folded in.
    pub allowed: Vec<bool>,
    pub minutes: Vec<i64>,
    /// `forbid_next[s * ns + t]`: `t` may not follow `s` the next day.
    pub forbid_next: Vec<bool>,
    /// Real start and end (epoch minutes) of shift type `s` on day `d`: `times[s * nd + d]`.
    pub times: Vec<Option<(i64, i64)>>,
    /// Weekend number of each day.
    pub weekend: Vec<Option<usize>>,
    pub n_weekends: usize,
    /// Cover `(requirement, under, over)` per `d * ns + s`.
    pub cover: Vec<Option<(i64, i64, i64)>>,
    /// Sum of on-request weights per `(e * nd + d) * ns + s`.
    pub on_w: Vec<i64>,
    /// Sum of off-request weights per `(e * nd + d) * ns + s`.
    pub off_w: Vec<i64>,
    /// Sum of all on-request weights of each employee.
    pub on_total: Vec<i64>,
    pub max_shifts: Vec<i64>,
    pub min_min: Vec<i64>,
    pub max_min: Vec<i64>,
    pub max_cons: Vec<usize>,
    pub min_cons: Vec<usize>,
    pub min_off: Vec<usize>,
    pub max_we: Vec<usize>,
    pub min_rest: Vec<i64>,
    /// Largest day gap over which two shifts can conflict by the rest rule.
    pub rest_reach: usize,
    /// Per employee, windows `(first day, days, most working days)` where the run rules
    /// and fixed days off allow fewer working days than any split of the window into two
    /// shorter ones does (see [`window_cuts`]).
    pub windows: Vec<Vec<(usize, usize, usize)>>,
}

impl Data {
    pub fn new(p: &Problem) -> Self {
        let (ne, nd, ns) = (p.employees.len(), p.days, p.shift_types.len());
        let mut allowed = vec![false; ne * nd * ns];
        for (e, emp) in p.employees.iter().enumerate() {
            for s in 0..ns {
                let ok = p.eligible(e, s) && emp.contract.max_shifts.get(s).is_some_and(|&m| m > 0);
                for d in 0..nd {
                    allowed[(e * nd + d) * ns + s] = ok && !emp.days_off.contains(&d);
                }
            }
        }
        let mut forbid_next = vec![false; ns * ns];
        for (s, st) in p.shift_types.iter().enumerate() {
            for &t in &st.cannot_follow {
                if t < ns {
                    forbid_next[s * ns + t] = true;
                }
            }
        }
        let mut times = vec![None; ns * nd];
        for (s, st) in p.shift_types.iter().enumerate() {
            for (d, inst) in st.instances.iter().enumerate().take(nd) {
                if let Some(i) = inst {
                    times[s * nd + d] = Some((i.start.timestamp() / 60, i.end.timestamp() / 60));
                }
            }
        }
        let weekend: Vec<Option<usize>> = (0..nd).map(|d| p.weekend_of(d)).collect();
        let n_weekends = weekend.iter().flatten().max().map_or(0, |m| m + 1);
        let mut cover = vec![None; nd * ns];
        for c in &p.cover {
            if let Some(slot) = cover.get_mut(c.day * ns + c.shift) {
                *slot = Some((
                    i64::from(c.requirement),
                    i64::from(c.weight_under),
                    i64::from(c.weight_over),
                ));
            }
        }
        let mut on_w = vec![0; ne * nd * ns];
        let mut off_w = vec![0; ne * nd * ns];
        let mut on_total = vec![0; ne];
        for r in &p.on_requests {
            if let Some(x) = on_w.get_mut((r.employee * nd + r.day) * ns + r.shift) {
                *x += i64::from(r.weight);
                on_total[r.employee] += i64::from(r.weight);
            }
        }
        for r in &p.off_requests {
            if let Some(x) = off_w.get_mut((r.employee * nd + r.day) * ns + r.shift) {
                *x += i64::from(r.weight);
            }
        }
        let c = |f: &dyn Fn(&super::model::Contract) -> i64| -> Vec<i64> {
            p.employees.iter().map(|e| f(&e.contract)).collect()
        };
        let mut max_shifts = Vec::with_capacity(ne * ns);
        for emp in &p.employees {
            for s in 0..ns {
                max_shifts.push(i64::from(
                    emp.contract.max_shifts.get(s).copied().unwrap_or(0),
                ));
            }
        }
        let min_rest = c(&|k| i64::from(k.min_rest_minutes));
        // Shifts on days d and d + k can conflict only if the earlier one ends less than
        // the rest after the later one starts; one extra day covers long shifts.
        let max_rest = min_rest.iter().copied().max().unwrap_or(0);
        let longest = times
            .iter()
            .flatten()
            .map(|(a, b)| b - a)
            .max()
            .unwrap_or(0);
        let rest_reach = if times.iter().any(Option::is_some) {
            1 + ((max_rest + longest) / 1440).max(0) as usize
        } else {
            0
        };
        Data {
            ne,
            nd,
            ns,
            allowed,
            minutes: p.shift_types.iter().map(|s| i64::from(s.minutes)).collect(),
            forbid_next,
            times,
            weekend,
            n_weekends,
            cover,
            on_w,
            off_w,
            on_total,
            max_shifts,
            min_min: c(&|k| i64::from(k.min_minutes)),
            max_min: c(&|k| i64::from(k.max_minutes)),
            max_cons: c(&|k| i64::from(k.max_consecutive))
                .iter()
                .map(|&x| x as usize)
                .collect(),
            min_cons: c(&|k| i64::from(k.min_consecutive))
                .iter()
                .map(|&x| x as usize)
                .collect(),
            min_off: c(&|k| i64::from(k.min_consecutive_off))
                .iter()
                .map(|&x| x as usize)
                .collect(),
            max_we: c(&|k| i64::from(k.max_weekends))
                .iter()
                .map(|&x| x as usize)
                .collect(),
            min_rest,
            rest_reach,
            windows: Vec::new(),
        }
        .with_windows()
    }

    fn with_windows(mut self) -> Self {
        self.windows = (0..self.ne).map(|e| window_cuts(&self, e)).collect();
        self
    }

    #[inline]
    pub fn ok(&self, e: usize, d: usize, s: usize) -> bool {
        self.allowed[(e * self.nd + d) * self.ns + s]
    }

    /// Whether shift `s` on day `d1` and shift `t` on a later day `d2` may not both be worked
    /// by employee `e` (succession or minimum rest).
    pub fn conflict(&self, e: usize, d1: usize, s: usize, d2: usize, t: usize) -> bool {
        if d2 == d1 + 1 && self.forbid_next[s * self.ns + t] {
            return true;
        }
        match (self.times[s * self.nd + d1], self.times[t * self.nd + d2]) {
            (Some((_, end)), Some((start, _))) => {
                start - end < self.min_rest[e].max(0) || start < end
            }
            _ => false,
        }
    }

    /// Cover penalty of `count` employees on `(d, s)`.
    #[inline]
    pub fn cover_cost(&self, d: usize, s: usize, count: i64) -> i64 {
        match self.cover[d * self.ns + s] {
            Some((req, u, o)) => {
                if count < req {
                    (req - count) * u
                } else {
                    (count - req) * o
                }
            }
            None => 0,
        }
    }
}

/// Longest window the cuts consider, in days.
const WINDOW_MAX: usize = 28;

/// Windows of employee `e` whose number of working days the run rules (maximum and minimum
/// consecutive working days, minimum consecutive days off) and the days they cannot work
/// bound below what the model's own rows imply: `sum of w[d] over the window <= most`.
///
/// `most` is the largest number of working days of a pattern over the window alone in which
/// runs touching the window's ends are exempt from the minima (they may go on outside it), so
/// every roster keeping the rules meets it. E.g. at most 5 days in a row and at least 2 days
/// off: at most 5 working days in any 7. The relaxation of the row-by-row rules allows 5/6
/// of every day, so these rows tighten it. Only windows no split into two shorter windows
/// already bounds as tightly are kept.
fn window_cuts(dt: &Data, e: usize) -> Vec<(usize, usize, usize)> {
    let workable: Vec<bool> = (0..dt.nd)
        .map(|d| (0..dt.ns).any(|s| dt.ok(e, d, s)))
        .collect();
    runs_cuts(&workable, dt.max_cons[e], dt.min_cons[e], dt.min_off[e])
}

/// [`window_cuts`] from the days that can be worked and the run rules: at most `max_on`
/// working days in a row, at least `min_on` working days and `min_off` days off in a row
/// (runs touching the horizon's ends exempt from the minima, as in the checker).
fn runs_cuts(
    workable: &[bool],
    max_on: usize,
    min_on: usize,
    min_off: usize,
) -> Vec<(usize, usize, usize)> {
    let nd = workable.len();
    let lmax = WINDOW_MAX.min(nd);
    if lmax < 2 {
        return Vec::new();
    }
    let mc = max_on.clamp(1, lmax);
    let (mn, mo) = (min_on.min(lmax), min_off.min(lmax));
    // f[a][l - 1]: most working days in days a..a+l; None when no pattern fits.
    let mut f = vec![vec![None::<usize>; lmax]; nd];
    // State: (working, run length capped, the run began at the window's start).
    let (cw, co) = (mc, mo.max(1));
    let idx = |w: bool, r: usize, left: bool| -> usize {
        let base = if w { r - 1 } else { cw + r - 1 };
        base * 2 + usize::from(left)
    };
    let n_states = (cw + co) * 2;
    for a in 0..nd {
        let mut cur = vec![None::<usize>; n_states];
        if workable[a] {
            cur[idx(true, 1, true)] = Some(1);
        }
        cur[idx(false, 1, true)] = Some(0);
        f[a][0] = cur.iter().flatten().max().copied();
        for l in 2..=lmax.min(nd - a) {
            let d = a + l - 1;
            let mut next = vec![None::<usize>; n_states];
            let mut put = |i: usize, v: usize| {
                if next[i].is_none_or(|x| x < v) {
                    next[i] = Some(v);
                }
            };
            for left in [false, true] {
                for r in 1..=cw {
                    let Some(v) = cur[idx(true, r, left)] else {
                        continue;
                    };
                    if workable[d] && r < cw {
                        put(idx(true, r + 1, left), v + 1);
                    }
                    if left || r >= mn {
                        put(idx(false, 1, false), v);
                    }
                }
                for r in 1..=co {
                    let Some(v) = cur[idx(false, r, left)] else {
                        continue;
                    };
                    put(idx(false, (r + 1).min(co), left), v);
                    if workable[d] && (left || r >= mo) {
                        put(idx(true, 1, false), v + 1);
                    }
                }
            }
            cur = next;
            f[a][l - 1] = cur.iter().flatten().max().copied();
        }
    }
    let mut out = Vec::new();
    for a in 0..nd {
        for l in 2..=lmax.min(nd - a) {
            let Some(most) = f[a][l - 1] else { continue };
            let split = (1..l)
                .filter_map(|k| Some(f[a][k - 1]? + f[a + k][l - k - 1]?))
                .min()
                .unwrap_or(usize::MAX);
            if most < split {
                out.push((a, l, most));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::runs_cuts;
    use proptest::prelude::*;

    /// Whether a pattern keeps the run rules, checked run by run (not by the DP above).
    fn keeps(p: &[bool], workable: &[bool], max_on: usize, min_on: usize, min_off: usize) -> bool {
        if p.iter().zip(workable).any(|(&w, &ok)| w && !ok) {
            return false;
        }
        let n = p.len();
        let mut a = 0;
        while a < n {
            let mut b = a;
            while b < n && p[b] == p[a] {
                b += 1;
            }
            let len = b - a;
            let inner = a > 0 && b < n;
            if p[a] && (len > max_on || inner && len < min_on) {
                return false;
            }
            if !p[a] && inner && len < min_off {
                return false;
            }
            a = b;
        }
        true
    }

    #[test]
    fn five_on_two_off_allows_five_in_seven() {
        let cuts = runs_cuts(&[true; 14], 5, 2, 2);
        assert!(cuts.contains(&(0, 7, 5)));
        assert!(cuts.contains(&(3, 7, 5)));
        // The max-consecutive windows themselves.
        assert!(cuts.contains(&(0, 6, 5)));
    }

    proptest! {
        /// Every pattern keeping the rules (enumerated) meets every cut; a cut over the
        /// whole horizon is exactly the most working days of any such pattern.
        #[test]
        fn cuts_are_valid(
            n in 2usize..13,
            max_on in 1usize..7,
            min_on in 1usize..4,
            min_off in 1usize..4,
            off_mask in 0u32..4096,
        ) {
            let workable: Vec<bool> = (0..n).map(|d| (off_mask >> d) & (off_mask >> (d + 3)) & 1 == 0).collect();
            let cuts = runs_cuts(&workable, max_on, min_on, min_off);
            let mut best_whole = None;
            for bits in 0u32..(1 << n) {
                let p: Vec<bool> = (0..n).map(|d| bits >> d & 1 == 1).collect();
                if !keeps(&p, &workable, max_on, min_on, min_off) {
                    continue;
                }
                let worked = p.iter().filter(|&&w| w).count();
                best_whole = best_whole.max(Some(worked));
                for &(a, len, most) in &cuts {
                    let sum = p[a..a + len].iter().filter(|&&w| w).count();
                    prop_assert!(sum <= most, "pattern {p:?} breaks cut ({a}, {len}, {most})");
                }
            }
            if let Some(&(_, _, most)) = cuts.iter().find(|c| c.0 == 0 && c.1 == n) {
                prop_assert_eq!(Some(most), best_whole);
            }
        }
    }
}
