//! Simulated annealing on the roster grid: the construction heuristic and the search that
//! runs between MIP sub-solves.
//!
//! Hard rules are weighted penalties (`HARD` per unit: a day too many or too few in a run, an
//! hour of minutes outside the contract, a shift over a maximum, a forbidden succession), so
//! the search may cross infeasible rosters; only rosters with no hard penalty are kept as
//! "best". Moves: change one cell, swap two employees' shifts on a day, swap a block of days
//! between two employees, set a block of days of one employee to one shift or off. Each
//! move re-evaluates the employees it touches from scratch (`O(days)`) and the cover cells
//! it touches.
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
    pub total_hard: i64,
    pub total_soft: i64,
}

impl<'a> State<'a> {
    pub fn new(data: &'a Data, grid: Vec<u8>) -> Self {
        let mut st = State {
            data,
            grid,
            count: vec![0; data.nd * data.ns],
            hard: vec![0; data.ne],
            soft: vec![0; data.ne],
            total_hard: 0,
            total_soft: 0,
        };
        for e in 0..data.ne {
            for d in 0..data.nd {
                let v = st.grid[e * data.nd + d];
                if v != OFF {
                    st.count[d * data.ns + v as usize] += 1;
                }
            }
            let (h, s) = st.emp_cost(e);
            st.hard[e] = h;
            st.soft[e] = s;
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

    /// (hard units, request penalty) of employee `e`'s row.
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
    /// soft cost, and the undo list.
    fn apply(
        &mut self,
        changes: &[(usize, usize, u8)],
        undo: &mut Vec<(usize, usize, u8)>,
    ) -> (i64, i64) {
        let dt = self.data;
        let (nd, ns) = (dt.nd, dt.ns);
        undo.clear();
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
            }
            if v != OFF {
                let k = d * ns + v as usize;
                cover_delta += dt.cover_cost(d, v as usize, self.count[k] + 1)
                    - dt.cover_cost(d, v as usize, self.count[k]);
                self.count[k] += 1;
            }
            self.grid[e * nd + d] = v;
        }
        let (mut dh, mut ds) = (0, cover_delta);
        let mut seen: [usize; 2] = [usize::MAX; 2];
        for &(e, _, _) in undo.iter() {
            if seen.contains(&e) {
                continue;
            }
            if seen[0] == usize::MAX {
                seen[0] = e;
            } else {
                seen[1] = e;
            }
            let (h, s) = self.emp_cost(e);
            dh += h - self.hard[e];
            ds += s - self.soft[e];
            self.hard[e] = h;
            self.soft[e] = s;
        }
        self.total_hard += dh;
        self.total_soft += ds;
        (dh, ds)
    }

    fn revert(&mut self, undo: &[(usize, usize, u8)]) {
        let back: Vec<(usize, usize, u8)> = undo.iter().rev().copied().collect();
        let mut scratch = Vec::new();
        self.apply(&back, &mut scratch);
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
