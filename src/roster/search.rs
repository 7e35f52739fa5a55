//! Simulated annealing on the roster grid: the construction heuristic and the search that
//! runs between MIP sub-solves.
//!
//! Hard rules are weighted penalties (`HARD` per unit: a day too many or too few in a run, an
//! hour of minutes outside the contract, a shift over a maximum, a forbidden succession), so
//! the search may cross infeasible rosters; only rosters with no hard penalty are kept as
//! "best". Moves: change one cell, swap two employees' shifts on a day, swap a block of days
//! between two employees, set a block of days of one employee to one shift or off. Each
//! move updates the counts of the employees it touches, re-evaluates their runs and
//! successions around the days it changes (not the whole row: a move on a year costs about
//! what it costs on four weeks) and the cover cells it touches.
//!
//! Every run is paced by its count of moves, never by the clock: the same arguments give
//! the same roster on every run and machine; the time budget only ends a run early.

use super::data::Data;
use crate::budget::Budget;

const HARD: i64 = 1000;
const OFF: u8 = u8::MAX;

/// Small, fast, seeded pseudo-random generator (xorshift64*).
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n.max(1) as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Grid state with cached per-employee costs and cover counts.
pub(crate) struct State<'a> {
    data: &'a Data,
    /// `grid[e * nd + d]`: shift index or `OFF`.
    pub grid: Vec<u8>,
    count: Vec<i64>,
    hard: Vec<i64>,
    soft: Vec<i64>,
    /// `types[e * ns + s]`: employee `e`'s shifts of type `s`.
    types: Vec<i64>,
    /// Each employee's minutes.
    minutes: Vec<i64>,
    /// `we_days[e * n_weekends + w]`: employee `e`'s working days in weekend `w`.
    we_days: Vec<u32>,
    /// Each employee's weekends worked.
    weekends: Vec<usize>,
    /// Each employee's hard units of runs and successions (see [`State::pattern`]).
    pattern: Vec<i64>,
    /// Scratch of [`State::apply`]: each touched employee, its first and last changed
    /// day, and its units of runs and successions and request penalty before the change.
    spans: Vec<(usize, usize, usize, i64, i64)>,
    /// Scratch of [`State::revert`]: the changes that put a move back, and their undo list.
    back: Vec<(usize, usize, u8)>,
    back_undo: Vec<(usize, usize, u8)>,
    pub total_hard: i64,
    pub total_soft: i64,
}

impl<'a> State<'a> {
    pub fn new(data: &'a Data, grid: Vec<u8>) -> Self {
        let (ne, nd, ns) = (data.ne, data.nd, data.ns);
        let mut st = State {
            data,
            grid,
            count: vec![0; nd * ns],
            hard: vec![0; ne],
            soft: data.on_total.clone(),
            types: vec![0; ne * ns],
            minutes: vec![0; ne],
            we_days: vec![0; ne * data.n_weekends],
            weekends: vec![0; ne],
            pattern: vec![0; ne],
            spans: Vec::new(),
            back: Vec::new(),
            back_undo: Vec::new(),
            total_hard: 0,
            total_soft: 0,
        };
        for e in 0..ne {
            for d in 0..nd {
                let v = st.grid[e * nd + d];
                if v != OFF {
                    st.count[d * ns + v as usize] += 1;
                    st.tally(e, d, v, 1);
                }
            }
            st.pattern[e] = st.pattern(e, 0, nd.saturating_sub(1));
            st.hard[e] = st.pattern[e] + st.totals_hard(e);
        }
        st.total_hard = st.hard.iter().sum();
        st.total_soft = st.soft.iter().sum::<i64>() + st.cover_total();
        st
    }

    fn cover_total(&self) -> i64 {
        let mut t = 0;
        for d in 0..self.data.nd {
            for s in 0..self.data.ns {
                t += self.data.cover_cost(d, s, self.count[d * self.data.ns + s]);
            }
        }
        t
    }

    pub fn cost(&self) -> i64 {
        self.total_hard * HARD + self.total_soft
    }

    /// (hard units, request penalty) of employee `e`'s row, evaluated from scratch: the
    /// reference the incremental evaluation of [`State::apply`] is tested against.
    #[cfg(test)]
    fn emp_cost(&self, e: usize) -> (i64, i64) {
        let dt = self.data;
        let (nd, ns) = (dt.nd, dt.ns);
        let row = &self.grid[e * nd..(e + 1) * nd];
        let mut hard = 0i64;
        let mut soft = dt.on_total[e];
        let mut per_type = [0i64; 64];
        let mut minutes = 0i64;
        let mut weekends = [false; 64];
        let mut we_big: Vec<bool> = Vec::new();
        if dt.n_weekends > 64 {
            we_big = vec![false; dt.n_weekends];
        }
        let mut prev: Option<(usize, usize)> = None;
        let mut run_start = 0usize;
        let mut run_work = row.first().is_some_and(|&v| v != OFF);
        for (d, &v) in row.iter().enumerate() {
            let w = v != OFF;
            if w != run_work {
                hard += self.run_pen(e, run_start, d - run_start, run_work);
                run_start = d;
                run_work = w;
            }
            if !w {
                continue;
            }
            let s = v as usize;
            let k = (e * nd + d) * ns + s;
            soft += dt.off_w[k] - dt.on_w[k];
            if s < 64 {
                per_type[s] += 1;
            }
            minutes += dt.minutes[s];
            if let Some(wk) = dt.weekend[d] {
                if wk < 64 && we_big.is_empty() {
                    weekends[wk] = true;
                } else if let Some(x) = we_big.get_mut(wk) {
                    *x = true;
                }
            }
            if let Some((pd, ps)) = prev {
                if d - pd <= dt.rest_reach.max(1) && dt.conflict(e, pd, ps, d, s) {
                    hard += 1;
                }
            }
            prev = Some((d, s));
        }
        hard += self.run_pen(e, run_start, nd - run_start, run_work);
        for (s, &n) in per_type.iter().enumerate().take(ns.min(64)) {
            hard += (n - dt.max_shifts[e * ns + s]).max(0);
        }
        if minutes > dt.max_min[e] {
            hard += (minutes - dt.max_min[e] + 59) / 60;
        }
        if minutes < dt.min_min[e] {
            hard += (dt.min_min[e] - minutes + 59) / 60;
        }
        let nwe = if we_big.is_empty() {
            weekends.iter().filter(|&&x| x).count()
        } else {
            we_big.iter().filter(|&&x| x).count()
        };
        hard += nwe.saturating_sub(dt.max_we[e]) as i64;
        (hard, soft)
    }

    /// Adds (`sign` 1) or removes (`sign` -1) employee `e`'s shift `v` on day `d` from the
    /// employee's counts, minutes, weekends and request penalty.
    fn tally(&mut self, e: usize, d: usize, v: u8, sign: i64) {
        let dt = self.data;
        let (nd, ns) = (dt.nd, dt.ns);
        let s = v as usize;
        let k = (e * nd + d) * ns + s;
        self.soft[e] += sign * (dt.off_w[k] - dt.on_w[k]);
        self.types[e * ns + s] += sign;
        self.minutes[e] += sign * dt.minutes[s];
        if let Some(wk) = dt.weekend[d] {
            let c = &mut self.we_days[e * dt.n_weekends + wk];
            if sign > 0 {
                *c += 1;
                if *c == 1 {
                    self.weekends[e] += 1;
                }
            } else {
                *c -= 1;
                if *c == 0 {
                    self.weekends[e] -= 1;
                }
            }
        }
    }

    /// Employee `e`'s hard units from totals: shifts over a type's maximum, hours outside
    /// the minutes' bounds, weekends over the maximum.
    fn totals_hard(&self, e: usize) -> i64 {
        let dt = self.data;
        let ns = dt.ns;
        let mut hard = 0i64;
        for s in 0..ns.min(64) {
            hard += (self.types[e * ns + s] - dt.max_shifts[e * ns + s]).max(0);
        }
        let minutes = self.minutes[e];
        if minutes > dt.max_min[e] {
            hard += (minutes - dt.max_min[e] + 59) / 60;
        }
        if minutes < dt.min_min[e] {
            hard += (dt.min_min[e] - minutes + 59) / 60;
        }
        hard + self.weekends[e].saturating_sub(dt.max_we[e]) as i64
    }

    /// Hard units of employee `e`'s runs and forbidden successions that a change of days
    /// `lo..=hi` can alter: every maximal run (of work or of days off) that meets
    /// `lo - 1..=hi + 1`, and each working day of `lo..=hi + reach` against the working
    /// day before it. The units outside are the same before and after such a change, so
    /// the difference of two calls over the same days is the change of the row's units.
    fn pattern(&self, e: usize, lo: usize, hi: usize) -> i64 {
        let dt = self.data;
        let nd = dt.nd;
        if nd == 0 {
            return 0;
        }
        let row = &self.grid[e * nd..(e + 1) * nd];
        let work = |d: usize| row[d] != OFF;
        let mut hard = 0i64;
        let (a, b) = (lo.saturating_sub(1), (hi + 1).min(nd - 1));
        let mut pos = a;
        while pos <= b {
            let w = work(pos);
            let mut end = pos;
            while end < b && work(end + 1) == w {
                end += 1;
            }
            // The runs at the ends of `a..=b` reach beyond it. A run of days off of at
            // least the least days off costs nothing wherever it lies, so its scan stops
            // there (on long horizons a roster's first rows are mostly days off).
            let cap = if w { usize::MAX } else { dt.min_off[e].max(1) };
            let (mut start, mut last, mut len) = (pos, end, end + 1 - pos);
            if pos == a {
                while start > 0 && work(start - 1) == w && len < cap {
                    start -= 1;
                    len += 1;
                }
            }
            if end == b {
                while last + 1 < nd && work(last + 1) == w && len < cap {
                    last += 1;
                    len += 1;
                }
            }
            if len < cap {
                hard += self.run_pen(e, start, len, w);
            }
            pos = end + 1;
        }
        let reach = dt.rest_reach.max(1);
        let mut prev = (lo.saturating_sub(reach)..lo).rev().find(|&d| work(d));
        for d in lo..=(hi + reach).min(nd - 1) {
            if !work(d) {
                continue;
            }
            let s = row[d] as usize;
            if let Some(pd) = prev {
                if d - pd <= reach && dt.conflict(e, pd, row[pd] as usize, d, s) {
                    hard += 1;
                }
            }
            prev = Some(d);
        }
        hard
    }

    fn run_pen(&self, e: usize, start: usize, len: usize, work: bool) -> i64 {
        let dt = self.data;
        let inner = start > 0 && start + len < dt.nd;
        if work {
            let mut p = len.saturating_sub(dt.max_cons[e]);
            if inner {
                p += dt.min_cons[e].saturating_sub(len);
            }
            p as i64
        } else if inner {
            dt.min_off[e].saturating_sub(len) as i64
        } else {
            0
        }
    }

    /// Applies `changes` (employee, day, new value); returns the change in hard units and
    /// soft cost, and the undo list. Only the days changed are evaluated: each touched
    /// employee's counts move by the cells changed, and its runs and successions are
    /// re-evaluated around the changed days (`O(days changed + runs around them)`), to the
    /// same units as a row evaluated from scratch.
    fn apply(
        &mut self,
        changes: &[(usize, usize, u8)],
        undo: &mut Vec<(usize, usize, u8)>,
    ) -> (i64, i64) {
        let dt = self.data;
        let (nd, ns) = (dt.nd, dt.ns);
        undo.clear();
        // The touched employees (moves touch one or two; a row put back touches one) and
        // the days each changes.
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        for &(e, d, _) in changes {
            match spans.iter_mut().find(|x| x.0 == e) {
                Some(x) => {
                    x.1 = x.1.min(d);
                    x.2 = x.2.max(d);
                }
                None => spans.push((e, d, d, 0, 0)),
            }
        }
        for x in spans.iter_mut() {
            x.3 = self.pattern(x.0, x.1, x.2);
            x.4 = self.soft[x.0];
        }
        let mut cover_delta = 0;
        for &(e, d, v) in changes {
            let old = self.grid[e * nd + d];
            if old == v {
                continue;
            }
            undo.push((e, d, old));
            if old != OFF {
                let k = d * ns + old as usize;
                cover_delta += dt.cover_cost(d, old as usize, self.count[k] - 1)
                    - dt.cover_cost(d, old as usize, self.count[k]);
                self.count[k] -= 1;
                self.tally(e, d, old, -1);
            }
            if v != OFF {
                let k = d * ns + v as usize;
                cover_delta += dt.cover_cost(d, v as usize, self.count[k] + 1)
                    - dt.cover_cost(d, v as usize, self.count[k]);
                self.count[k] += 1;
                self.tally(e, d, v, 1);
            }
            self.grid[e * nd + d] = v;
        }
        let (mut dh, mut ds) = (0, cover_delta);
        for &(e, lo, hi, pat, soft) in &spans {
            self.pattern[e] += self.pattern(e, lo, hi) - pat;
            let h = self.pattern[e] + self.totals_hard(e);
            dh += h - self.hard[e];
            ds += self.soft[e] - soft;
            self.hard[e] = h;
        }
        self.spans = spans;
        self.total_hard += dh;
        self.total_soft += ds;
        (dh, ds)
    }

    fn revert(&mut self, undo: &[(usize, usize, u8)]) {
        let mut back = std::mem::take(&mut self.back);
        back.clear();
        back.extend(undo.iter().rev());
        let mut scratch = std::mem::take(&mut self.back_undo);
        self.apply(&back, &mut scratch);
        self.back_undo = scratch;
        self.back = back;
    }
}

/// Random move: a list of cell changes touching at most two employees.
fn propose(dt: &Data, st: &State, rng: &mut Rng, out: &mut Vec<(usize, usize, u8)>) {
    out.clear();
    let (ne, nd) = (dt.ne, dt.nd);
    let e = rng.below(ne);
    let d = rng.below(nd);
    let g = |e: usize, d: usize| st.grid[e * nd + d];
    let fits = |e: usize, d: usize, v: u8| v == OFF || dt.ok(e, d, v as usize);
    match rng.below(14) {
        10..=13 => row_move(dt, st, rng, e, d, RowMove::Swap, out),
        0..=3 => row_move(dt, st, rng, e, d, RowMove::Set, out),
        4..=5 => {
            let f = rng.below(ne);
            let (a, b) = (g(e, d), g(f, d));
            if f != e && a != b && fits(e, d, b) && fits(f, d, a) {
                out.push((e, d, b));
                out.push((f, d, a));
            }
        }
        6..=7 => {
            let f = rng.below(ne);
            let len = 2 + rng.below(6);
            if f != e {
                for k in d..(d + len).min(nd) {
                    let (a, b) = (g(e, k), g(f, k));
                    if !fits(e, k, b) || !fits(f, k, a) {
                        out.clear();
                        return;
                    }
                    out.push((e, k, b));
                    out.push((f, k, a));
                }
            }
        }
        _ => row_move(dt, st, rng, e, d, RowMove::Block(6), out),
    }
}

/// A move within one employee's row.
#[derive(Clone, Copy)]
enum RowMove {
    /// Set day `d` to a random shift or off.
    Set,
    /// Swap day `d` with a day up to a week later (moves a day off or a shift along the row,
    /// keeping the employee's counts and minutes).
    Swap,
    /// Set days `d..d+len` to one random shift or off, `len` in `2..=max`.
    Block(usize),
}

/// Appends the cell changes of a `kind` move of employee `e` at day `d` to `out` (nothing
/// when a cell would not be allowed or nothing changes).
fn row_move(
    dt: &Data,
    st: &State,
    rng: &mut Rng,
    e: usize,
    d: usize,
    kind: RowMove,
    out: &mut Vec<(usize, usize, u8)>,
) {
    let (nd, ns) = (dt.nd, dt.ns);
    let g = |d: usize| st.grid[e * nd + d];
    let fits = |d: usize, v: u8| v == OFF || dt.ok(e, d, v as usize);
    let pick = |r: usize| if r == ns { OFF } else { r as u8 };
    match kind {
        RowMove::Set => {
            let v = pick(rng.below(ns + 1));
            if fits(d, v) {
                out.push((e, d, v));
            }
        }
        RowMove::Swap => {
            let d2 = d + 1 + rng.below(7);
            if d2 < nd {
                let (a, b) = (g(d), g(d2));
                if a != b && fits(d, b) && fits(d2, a) {
                    out.push((e, d, b));
                    out.push((e, d2, a));
                }
            }
        }
        RowMove::Block(max) => {
            let len = 2 + rng.below(max.saturating_sub(1).max(1));
            let v = pick(rng.below(ns + 1));
            let start = out.len();
            for k in d..(d + len).min(nd) {
                if !fits(k, v) {
                    out.truncate(start);
                    return;
                }
                out.push((e, k, v));
            }
        }
    }
}

/// How often (in moves) an anneal looks at the clock and the stop flag: only to stop
/// early; no decision depends on the time.
const CLOCK_EVERY: u64 = 4096;

/// Anneals from `start` for `moves` proposed moves; returns the best grid with no hard
/// penalty seen (or the least-penalised one if none was feasible), with its soft cost and
/// hard units. `t0`: starting temperature (cost units), cooled geometrically to 0.3 over
/// the moves. The same arguments give the same grid on every run; only `budget` (its
/// deadline passed or its stop flag set) can end it early.
pub(crate) fn anneal(
    dt: &Data,
    start: Vec<u8>,
    moves_total: u64,
    seed: u64,
    t0: f64,
    budget: &Budget,
) -> (Vec<u8>, i64, i64) {
    let mut rng = Rng::new(seed);
    let mut st = State::new(dt, start);
    let mut best = (st.grid.clone(), st.total_soft, st.total_hard);
    if dt.ne == 0 || moves_total == 0 {
        return best;
    }
    let tf = 0.3f64;
    let span = moves_total as f64;
    // Two cycles: a hot one, then a cooler one restarted from the best roster.
    let cycles = 2.0;
    let mut moves = Vec::new();
    let mut undo = Vec::new();
    let mut temp = t0;
    // Weight of a hard unit: raised while the current roster breaks rules, lowered (not
    // below `HARD / 10`) while it keeps them, so the search can cross infeasible regions.
    let mut w = HARD as f64;
    let mut last_cycle = 0u64;
    for it in 0..moves_total {
        if it % 512 == 0 {
            if it % CLOCK_EVERY == 0 && budget.is_over() {
                break;
            }
            let frac = it as f64 / span * cycles;
            let phase = frac.fract();
            let top = if frac >= 1.0 { t0 / 6.0 } else { t0 };
            temp = top * (tf / top).powf(phase);
            if it % 8192 == 0 {
                w = if st.total_hard > 0 {
                    (w * 1.05).min(HARD as f64 * 20.0)
                } else {
                    (w / 1.05).max(HARD as f64 / 10.0)
                };
            }
            let cycle = frac.floor() as u64;
            if cycle != last_cycle {
                // New cycle: restart from the best roster.
                last_cycle = cycle;
                st = State::new(dt, best.0.clone());
            }
        }
        propose(dt, &st, &mut rng, &mut moves);
        if moves.is_empty() {
            continue;
        }
        let (dh, ds) = st.apply(&moves, &mut undo);
        let delta = dh as f64 * w + ds as f64;
        if delta <= 0.0 || rng.unit() < (-delta / temp).exp() {
            let better = if st.total_hard == 0 {
                best.2 > 0 || st.total_soft < best.1
            } else {
                best.2 > 0 && st.cost() < best.2 * HARD + best.1
            };
            if better {
                best = (st.grid.clone(), st.total_soft, st.total_hard);
            }
        } else {
            st.revert(&undo);
        }
    }
    best
}

/// Converts a grid to roster rows.
pub(crate) fn to_rows(dt: &Data, grid: &[u8]) -> Vec<Vec<Option<usize>>> {
    grid.chunks(dt.nd.max(1))
        .take(dt.ne)
        .map(|r| {
            r.iter()
                .map(|&v| (v != OFF).then_some(v as usize))
                .collect()
        })
        .collect()
}

/// Makes each employee's row keep the hard rules by itself (every hard rule is about one
/// employee), with a small annealing on that row alone: a broken-rule unit costs 1 and the
/// soft cost (requests, and cover through the shared counts) only breaks ties. Moves: set a
/// day, swap two days up to a week apart, set a block of days. Rows that keep the rules are
/// left as they are; a row is never left with more broken units than it started with.
/// Each row that breaks rules gets up to `moves_per_row` moves; `budget` can only end it
/// early.
pub(crate) fn repair_rows(
    dt: &Data,
    grid: Vec<u8>,
    moves_per_row: u64,
    seed: u64,
    budget: &Budget,
) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut st = State::new(dt, grid);
    let nd = dt.nd;
    let bad: Vec<usize> = (0..dt.ne).filter(|&e| st.hard[e] > 0).collect();
    let mut moves = Vec::new();
    let mut undo = Vec::new();
    let span = moves_per_row.max(1) as f64;
    for &e in &bad {
        let mut temp = 2.0f64;
        let mut best_row = (st.hard[e], st.grid[e * nd..(e + 1) * nd].to_vec());
        let mut it = 0u64;
        while st.hard[e] > 0 && it < moves_per_row {
            if it % 256 == 0 {
                if it % CLOCK_EVERY == 0 && budget.is_over() {
                    break;
                }
                temp = 2.0 * (0.05f64 / 2.0).powf(it as f64 / span);
            }
            it += 1;
            moves.clear();
            let d = rng.below(nd);
            let kind = [RowMove::Set, RowMove::Swap, RowMove::Block(4)][rng.below(3)];
            row_move(dt, &st, &mut rng, e, d, kind, &mut moves);
            if moves.is_empty() {
                continue;
            }
            let (dh, ds) = st.apply(&moves, &mut undo);
            let delta = dh as f64 + ds as f64 * 1e-4;
            if delta <= 0.0 || rng.unit() < (-delta / temp).exp() {
                if st.hard[e] < best_row.0 {
                    best_row = (st.hard[e], st.grid[e * nd..(e + 1) * nd].to_vec());
                }
            } else {
                st.revert(&undo);
            }
        }
        if st.hard[e] > best_row.0 {
            let back: Vec<(usize, usize, u8)> = best_row
                .1
                .iter()
                .enumerate()
                .map(|(d, &v)| (e, d, v))
                .collect();
            st.apply(&back, &mut undo);
        }
    }
    st.grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::curtois;

    /// Every employee's cached units and penalty against the row evaluated from scratch,
    /// and the totals against a state built from scratch.
    fn agrees(st: &State) {
        for e in 0..st.data.ne {
            assert_eq!((st.hard[e], st.soft[e]), st.emp_cost(e), "employee {e}");
        }
        let fresh = State::new(st.data, st.grid.clone());
        assert_eq!(
            (st.total_hard, st.total_soft),
            (fresh.total_hard, fresh.total_soft)
        );
    }

    /// Random moves (kept or undone at random, and whole rows put back as the row repair
    /// does) from a random grid, checking the incremental evaluation after every change.
    fn walk(dt: &Data, seed: u64, steps: usize) {
        let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
        let mut rng = Rng::new(seed);
        let grid: Vec<u8> = (0..ne * nd)
            .map(|i| {
                let s = rng.below(ns + 2);
                if s < ns && dt.ok(i / nd, i % nd, s) {
                    s as u8
                } else {
                    OFF
                }
            })
            .collect();
        let mut st = State::new(dt, grid);
        agrees(&st);
        let (mut moves, mut undo) = (Vec::new(), Vec::new());
        for step in 0..steps {
            if step % 97 == 96 {
                let e = rng.below(ne);
                let row: Vec<(usize, usize, u8)> = (0..nd).map(|d| (e, d, OFF)).collect();
                st.apply(&row, &mut undo);
            } else {
                propose(dt, &st, &mut rng, &mut moves);
                st.apply(&moves, &mut undo);
                if rng.below(2) == 0 {
                    st.revert(&undo);
                }
            }
            for &(e, _, _) in moves.iter().chain(undo.iter()) {
                assert_eq!((st.hard[e], st.soft[e]), st.emp_cost(e), "step {step}");
            }
            if step % 250 == 0 {
                agrees(&st);
            }
        }
        agrees(&st);
    }

    #[test]
    fn moves_evaluated_around_their_days_match_rows_evaluated_from_scratch() {
        for (name, steps) in [
            ("Instance1.txt", 4000),
            ("Instance7.txt", 3000),
            ("Instance13.txt", 1500),
            ("Instance20.txt", 1000),
        ] {
            let dt = Data::new(&curtois::bundled(name));
            walk(&dt, 7, steps);
        }
    }

    #[test]
    fn rest_reaching_over_several_days_is_evaluated_around_the_moves_too() {
        // Rest of 40 hours: a shift conflicts with shifts up to two days later.
        let mut dt = Data::new(&curtois::bundled("Instance4.txt"));
        dt.min_rest.iter_mut().for_each(|r| *r = 40 * 60);
        dt.rest_reach = 3;
        walk(&dt, 11, 3000);
    }
}
