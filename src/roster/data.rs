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
        }
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
