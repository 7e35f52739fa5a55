//! From an LP point to an integer plan: rounding, repair and local improvement.
//!
//! For several rounding thresholds θ (a count is rounded up when its fractional part is at
//! least θ, down otherwise): first remove units that break a pack row (caps, budget),
//! then repair every hard cover row still short with the candidate that fixes the most
//! short rows per unit of cost without breaking a pack row, then apply improving moves
//! (drop a unit that is not needed, add a unit that lowers soft penalties more than it
//! costs) until none is left. The best integer point over all thresholds is kept.

use super::model::Sub;
use super::pace::Pace;

const EPS: f64 = 1e-7;

struct State<'a> {
    s: &'a Sub,
    x: Vec<u32>,
    cov: Vec<f64>,
    use_: Vec<f64>,
}

impl<'a> State<'a> {
    /// The hard row furthest below its requirement (the first of equals), if any is short.
    fn most_short_row(&self) -> Option<usize> {
        let s = self.s;
        let mut worst = None;
        let mut worst_def = EPS;
        for (r, &rhs) in s.cover_rhs.iter().enumerate() {
            if s.cover_soft[r] {
                continue;
            }
            let d = rhs - self.cov[r];
            if d > worst_def {
                worst_def = d;
                worst = Some(r);
            }
        }
        worst
    }

    fn new(s: &'a Sub, x: Vec<u32>) -> Self {
        let mut st = State {
            s,
            x: vec![0; s.cols.len()],
            cov: vec![0.0; s.cover_rhs.len()],
            use_: vec![0.0; s.pack_cap.len()],
        };
        for (j, &k) in x.iter().enumerate() {
            st.change(j, k as i64);
        }
        st
    }

    fn change(&mut self, j: usize, d: i64) {
        self.x[j] = (self.x[j] as i64 + d).max(0) as u32;
        for &r in &self.s.col_cover[j] {
            self.cov[r as usize] += d as f64;
        }
        for &(r, c) in &self.s.col_pack[j] {
            self.use_[r as usize] += c * d as f64;
        }
    }

    fn can_add(&self, j: usize) -> bool {
        self.s.col_pack[j]
            .iter()
            .all(|&(r, c)| self.use_[r as usize] + c <= self.s.pack_cap[r as usize] + EPS)
    }

    fn can_remove(&self, j: usize) -> bool {
        // A row listed k times in a row for the column (backlog deadline rows) loses k.
        let rows = &self.s.col_cover[j];
        self.x[j] > 0
            && rows.iter().enumerate().all(|(k, &r)| {
                let times = rows[k..].iter().take_while(|&&x| x == r).count() as f64;
                let r = r as usize;
                self.s.cover_soft[r] || self.cov[r] - times >= self.s.cover_rhs[r] - EPS
            })
    }

    /// Change of objective if one unit of `j` is added (`sign = 1`) or removed (`-1`).
    fn delta(&self, j: usize, sign: f64) -> f64 {
        let s = self.s;
        let mut d = sign * s.cost[j];
        for &r in &s.col_cover[j] {
            let r = r as usize;
            if !s.cover_soft[r] {
                continue;
            }
            let before = self.cov[r] - s.cover_rhs[r];
            let after = before + sign;
            d += pen(after, s) - pen(before, s);
        }
        d
    }
}

fn pen(diff: f64, s: &Sub) -> f64 {
    if diff < 0.0 {
        -diff * s.under
    } else {
        diff * s.over
    }
}

/// The best integer point found from the LP point `lp`, or `None` when repair could not
/// meet every hard row within the caps.
pub(crate) fn round_and_repair(s: &Sub, lp: &[f64], pace: &Pace<'_>) -> Option<Vec<u32>> {
    // rows -> columns
    let mut row_cols: Vec<Vec<u32>> = vec![Vec::new(); s.cover_rhs.len()];
    for (j, rows) in s.col_cover.iter().enumerate() {
        for &r in rows {
            row_cols[r as usize].push(j as u32);
        }
    }
    let mut best: Option<(f64, Vec<u32>)> = None;
    for theta in [0.5, 1.0, 0.3, 0.7] {
        if best.is_some() && pace.is_over() {
            break;
        }
        let x0: Vec<u32> = lp
            .iter()
            .map(|&v| {
                let v = v.max(0.0);
                let f = v.floor();
                (if v - f >= theta - EPS { f + 1.0 } else { f }) as u32
            })
            .collect();
        let Some(x) = repair(s, lp, x0, &row_cols, pace) else {
            continue;
        };
        let xf: Vec<f64> = x.iter().map(|&k| k as f64).collect();
        let obj = s.objective(&xf);
        if best.as_ref().is_none_or(|(b, _)| obj < *b - EPS) {
            best = Some((obj, x));
        }
    }
    best.map(|(_, x)| x)
}

/// Repairs and improves one integer point (as one threshold of [`round_and_repair`]).
pub(crate) fn polish(s: &Sub, x: Vec<u32>, pace: &Pace<'_>) -> Option<Vec<u32>> {
    let mut row_cols: Vec<Vec<u32>> = vec![Vec::new(); s.cover_rhs.len()];
    for (j, rows) in s.col_cover.iter().enumerate() {
        for &r in rows {
            row_cols[r as usize].push(j as u32);
        }
    }
    let lp: Vec<f64> = x.iter().map(|&k| k as f64).collect();
    repair(s, &lp, x, &row_cols, pace)
}

fn repair(
    s: &Sub,
    lp: &[f64],
    x0: Vec<u32>,
    row_cols: &[Vec<u32>],
    pace: &Pace<'_>,
) -> Option<Vec<u32>> {
    let mut st = State::new(s, x0);
    // 1. Pack rows: drop the units rounded up the most until every cap holds.
    while let Some(p) = (0..s.pack_cap.len()).find(|&p| st.use_[p] > s.pack_cap[p] + EPS) {
        let cand = (0..s.cols.len())
            .filter(|&j| {
                st.x[j] > 0
                    && s.col_pack[j]
                        .iter()
                        .any(|&(r, c)| r as usize == p && c > 0.0)
            })
            .max_by(|&a, &b| {
                let ea = st.x[a] as f64 - lp[a];
                let eb = st.x[b] as f64 - lp[b];
                ea.total_cmp(&eb)
            })?;
        st.change(cand, -1);
    }
    // 2. Hard cover rows: greedy repair (the same choices as `fill`, counted faster).
    fill_counted(&mut st, row_cols)?;
    // 3. Improving moves, then exchanges, until none is left (or time is up).
    let mut order: Vec<usize> = (0..s.cols.len()).collect();
    order.sort_by(|&a, &b| s.cost[b].total_cmp(&s.cost[a]));
    improve(&mut st, &order, pace);
    exchange(&mut st, &order, row_cols, pace);
    Some(st.x)
}

/// Greedy repair of every short hard row; never adds column `banned`. Returns the
/// objective change, or `None` (state partly changed) when some row cannot be repaired.
fn fill(st: &mut State<'_>, row_cols: &[Vec<u32>], banned: usize) -> Option<f64> {
    let s = st.s;
    let mut total = 0.0;
    while let Some(r) = st.most_short_row() {
        let mut pick = None;
        let mut pick_score = f64::NEG_INFINITY;
        for &j in &row_cols[r] {
            let j = j as usize;
            if j == banned || !st.can_add(j) {
                continue;
            }
            let fixes = s.col_cover[j]
                .iter()
                .filter(|&&q| {
                    let q = q as usize;
                    !s.cover_soft[q] && st.cov[q] < s.cover_rhs[q] - EPS
                })
                .count() as f64;
            let score = fixes / st.delta(j, 1.0).max(1e-6);
            if score > pick_score {
                pick_score = score;
                pick = Some(j);
            }
        }
        let j = pick?;
        total += st.delta(j, 1.0);
        st.change(j, 1);
    }
    Some(total)
}

/// [`fill`] with nothing banned, for a state far from covering its rows (the first repair
/// of a rounded point): the same choices in the same order, but the number of short hard
/// rows each column would fix is kept up to date as rows are met, instead of recounted for
/// every candidate at every step. A backlog deadline row lists a column once per interval
/// it covers, so a block with long deadlines has columns of thousands of entries and
/// deficits of thousands of units: recounting took minutes past the time limit.
fn fill_counted(st: &mut State<'_>, row_cols: &[Vec<u32>]) -> Option<f64> {
    let s = st.s;
    let short = |st: &State<'_>, q: usize| !s.cover_soft[q] && st.cov[q] < s.cover_rhs[q] - EPS;
    // fixes[j]: entries of col_cover[j] that are short hard rows (a row listed k times
    // counts k times, as in `fill`).
    let mut fixes: Vec<u32> = s
        .col_cover
        .iter()
        .map(|rows| rows.iter().filter(|&&q| short(st, q as usize)).count() as u32)
        .collect();
    // The soft rows of each column, in order: `delta` without walking the hard entries.
    let soft: Vec<Vec<u32>> = s
        .col_cover
        .iter()
        .map(|rows| {
            rows.iter()
                .copied()
                .filter(|&q| s.cover_soft[q as usize])
                .collect()
        })
        .collect();
    let delta = |st: &State<'_>, j: usize| {
        let mut d = s.cost[j];
        for &r in &soft[j] {
            let r = r as usize;
            let before = st.cov[r] - s.cover_rhs[r];
            d += pen(before + 1.0, s) - pen(before, s);
        }
        d
    };
    let mut total = 0.0;
    let mut was_short: Vec<usize> = Vec::new();
    while let Some(r) = st.most_short_row() {
        let mut pick = None;
        let mut pick_score = f64::NEG_INFINITY;
        for &j in &row_cols[r] {
            let j = j as usize;
            if !st.can_add(j) {
                continue;
            }
            let score = f64::from(fixes[j]) / delta(st, j).max(1e-6);
            if score > pick_score {
                pick_score = score;
                pick = Some(j);
            }
        }
        let j = pick?;
        total += delta(st, j);
        was_short.clear();
        was_short.extend(
            s.col_cover[j]
                .iter()
                .map(|&q| q as usize)
                .filter(|&q| short(st, q)),
        );
        was_short.sort_unstable();
        was_short.dedup();
        st.change(j, 1);
        for &q in &was_short {
            if !short(st, q) {
                for &k in &row_cols[q] {
                    fixes[k as usize] -= 1;
                }
            }
        }
    }
    Some(total)
}

/// Drops units that are not needed and adds units that pay for themselves.
fn improve(st: &mut State<'_>, order: &[usize], pace: &Pace<'_>) {
    let has_soft = st.s.cover_soft.iter().any(|&b| b);
    loop {
        let mut improved = false;
        for &j in order {
            while st.can_remove(j) && st.delta(j, -1.0) < -EPS {
                st.change(j, -1);
                improved = true;
            }
            if has_soft {
                while st.can_add(j) && st.delta(j, 1.0) < -EPS {
                    st.change(j, 1);
                    improved = true;
                }
            }
        }
        if !improved || pace.clock_over() {
            break;
        }
    }
}

/// One-for-some exchanges: drop one unit of a used column, repair the rows it leaves
/// short greedily (without it), keep the change when the objective falls.
fn exchange(st: &mut State<'_>, order: &[usize], row_cols: &[Vec<u32>], pace: &Pace<'_>) {
    for _pass in 0..20 {
        let mut improved = false;
        let used: Vec<usize> = order.iter().copied().filter(|&j| st.x[j] > 0).collect();
        for j in used {
            if pace.clock_over() {
                return;
            }
            if st.x[j] == 0 {
                continue;
            }
            let before = st.x.clone();
            let d = st.delta(j, -1.0);
            st.change(j, -1);
            match fill(st, row_cols, j) {
                Some(add) if d + add < -EPS => {
                    improved = true;
                    improve(st, order, pace);
                }
                _ => {
                    // Revert to the state before the attempt.
                    for (k, (&now, &was)) in st.x.clone().iter().zip(&before).enumerate() {
                        if now != was {
                            st.change(k, was as i64 - now as i64);
                        }
                    }
                }
            }
        }
        if !improved {
            return;
        }
    }
}

/// Whether integer point `x` meets every hard cover row and every pack row of `s`.
pub(crate) fn feasible(s: &Sub, x: &[u32]) -> bool {
    let st = State::new(s, x.to_vec());
    let cover_ok =
        (0..s.cover_rhs.len()).all(|r| s.cover_soft[r] || st.cov[r] >= s.cover_rhs[r] - EPS);
    let pack_ok = (0..s.pack_cap.len()).all(|p| st.use_[p] <= s.pack_cap[p] + EPS);
    cover_ok && pack_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random block: columns covering runs of rows (some listed several times in a row,
    /// as deadline rows are), soft and hard rows, a cap, from a fixed seed.
    fn block(seed: u64) -> (Sub, Vec<u32>) {
        let mut z = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = |n: u64| {
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            z % n
        };
        let rows = 4 + next(40) as usize;
        let cols = 1 + next(60) as usize;
        let mut col_cover = Vec::new();
        let mut col_pack = Vec::new();
        let mut cost = Vec::new();
        for _ in 0..cols {
            let a = next(rows as u64) as usize;
            let len = 1 + next(8) as usize;
            let mut c = Vec::new();
            for r in a..(a + len).min(rows) {
                for _ in 0..1 + next(3) {
                    c.push(r as u32);
                }
            }
            col_cover.push(c);
            col_pack.push(if next(3) == 0 { vec![(0, 1.0)] } else { vec![] });
            cost.push(1.0 + next(20) as f64 / 4.0);
        }
        let s = Sub {
            cols: (0..cols).collect(),
            cost,
            col_cover,
            col_pack,
            cover_rhs: (0..rows).map(|_| next(12) as f64).collect(),
            cover_soft: (0..rows).map(|_| next(4) == 0).collect(),
            cover_global: (0..rows).collect(),
            pack_cap: vec![next(30) as f64],
            pack_global: vec![0],
            under: 7.0,
            over: 0.5,
        };
        let x = (0..cols).map(|_| next(2) as u32).collect();
        (s, x)
    }

    /// The counted repair makes the same choices as the plain one, to the last unit and
    /// the last bit of the objective change.
    #[test]
    fn fill_counted_matches_fill() {
        let mut repaired = 0;
        for seed in 1..400 {
            let (s, x) = block(seed);
            let mut row_cols: Vec<Vec<u32>> = vec![Vec::new(); s.cover_rhs.len()];
            for (j, rows) in s.col_cover.iter().enumerate() {
                for &r in rows {
                    row_cols[r as usize].push(j as u32);
                }
            }
            let mut a = State::new(&s, x.clone());
            let mut b = State::new(&s, x);
            let fa = fill(&mut a, &row_cols, usize::MAX);
            let fb = fill_counted(&mut b, &row_cols);
            assert_eq!(fa.map(f64::to_bits), fb.map(f64::to_bits), "seed {seed}");
            assert_eq!(a.x, b.x, "seed {seed}");
            repaired += usize::from(fa.is_some_and(|t| t > 0.0));
        }
        assert!(repaired > 50, "only {repaired} blocks needed a repair");
    }
}
