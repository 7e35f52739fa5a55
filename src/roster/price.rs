//! Exact pricing for column generation by dynamic programming over days: the best schedule
//! of one employee alone under all of its hard rules, for given costs per (day, shift).
//!
//! A label is a partial schedule up to some day: its cost, its run (working or off, and how
//! long), the class of the last shift (the shifts it forbids next day, for successions and
//! rest: shifts that forbid the same ones, or none like a day off, share a class), minutes
//! so far, weekends worked (and whether the current weekend already counts) and shifts of
//! each type whose maximum can bind. A count that the rest of the schedule cannot push
//! past its maximum (at most the type's days left, the working days the run rules leave
//! and the minutes left allow) is raised to the highest such value, so that labels that
//! differ only there merge. Each day extends every label by "off" or each allowed shift the rules permit.
//! Labels that agree on everything the future depends on except cost, weekends and type
//! counts are compared, and one that is no cheaper with no fewer weekends and type counts is
//! dropped (dominance): whatever completes it completes the other at no higher cost.
//! Labels that can no longer reach the minimum minutes are dropped too. Exact, but the
//! number of labels grows with the horizon: past `max_labels` per day it gives up (the
//! caller then prices by MIP). Needs rest conflicts within one day (`rest_reach <= 1`).

use super::data::Data;
use crate::budget::Budget;
use std::collections::HashMap;

/// What the future of a partial schedule depends on, besides cost and the counted
/// resources.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    /// Working run of `run` days (> 0) or days off in a row (`-run`, < 0).
    run: i16,
    /// The current run began on day 0 (exempt from the minima).
    from0: bool,
    /// Class of the shift worked the day before by the shifts it forbids today (its least
    /// shift; `u8::MAX` when off or when it forbids none).
    last: u8,
    /// The weekend of the current day already counts.
    wflag: bool,
    minutes: i64,
}

struct Label {
    key: Key,
    cost: f64,
    weekends: u16,
    /// Offset of this label's type counts in the day's count arena.
    counts: usize,
    parent: u32,
    shift: u8,
}

/// Horizons up to this many days price with the plain keys first (see [`price_counted`]).
const PLAIN_FIRST_DAYS: usize = 28;

/// A day of `forced` left to the DP.
pub(crate) const FREE: u8 = u8::MAX - 1;

/// Values compared by the dominance checks worth one label of the DP's work (see
/// [`Tally::charge`]). Fitted by least squares to the CPU time of 12 best-response-like
/// calls each (random under- and over-cover costs) on Curtois Instances 8, 12, 17 and 20-24
/// (release build): about 0.65 nanoseconds a value compared, where the column phase's
/// meter charges 0.4 microseconds a label. On Instances 17 and 20 (8 and 26 weeks) a label
/// compared 29 and 10 values and took 0.25 and 0.21 microseconds; on 52 weeks 2 200-15 000
/// values (Instance 24: 11 microseconds a label, 55 s for the 12 calls, which the charge
/// puts at 52 s and labels alone at 2 s).
pub(crate) const COMPARED_PER_LABEL: u64 = 600;

/// What pricing calls did, counted (the same on every run): the labels they created and the
/// values their dominance checks compared (for each label of the same key looked at, its
/// cost, weekends and type counts). And a cap: a call gives up (before its next day) once
/// the [`Tally::charge`] reaches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tally {
    pub labels: u64,
    pub compared: u64,
    pub cap: u64,
}

impl Tally {
    /// Nothing counted yet, no cap.
    pub fn new() -> Self {
        Self::capped(u64::MAX)
    }

    /// Nothing counted yet; calls give up once the charge reaches `cap`.
    pub fn capped(cap: u64) -> Self {
        Tally {
            labels: 0,
            compared: 0,
            cap,
        }
    }

    /// The work counted, in labels: the labels created plus the values compared at
    /// [`COMPARED_PER_LABEL`] a label.
    pub fn charge(&self) -> u64 {
        self.labels + self.compared / COMPARED_PER_LABEL
    }
}

/// `(shift per day or u8::MAX, value)` of the best schedule of `e` for `cost[d * ns + s]`
/// added to its request penalties, among those with a value below `ub` that agree with
/// `forced` (per day: [`FREE`], `u8::MAX` for off, or the shift) when given; `Some(None)`
/// when there is none; `None` when the DP does not apply or gives up.
pub(crate) fn price(
    dt: &Data,
    e: usize,
    cost: &[f64],
    max_labels: usize,
    ub: f64,
    forced: Option<&[u8]>,
) -> Option<Option<(Vec<u8>, f64)>> {
    price_counted(dt, e, cost, max_labels, ub, forced, &mut Tally::new(), None)
}

/// [`price`], adding the labels it created and the values it compared to `made` (counts of
/// its work: the same on every run), and giving up (`None`) before a day once `made`'s
/// charge reaches its cap, or once `budget`, when given, is over: a call on a long horizon
/// can make millions of labels, seconds of CPU, and a caller that reads the budget only
/// between calls would end that long past its limit (Curtois Instance 22, 52 weeks: 9.5 s
/// past a limit of 600 s).
#[allow(clippy::too_many_arguments)]
pub(crate) fn price_counted(
    dt: &Data,
    e: usize,
    cost: &[f64],
    max_labels: usize,
    ub: f64,
    forced: Option<&[u8]>,
    made: &mut Tally,
    budget: Option<&Budget>,
) -> Option<Option<(Vec<u8>, f64)>> {
    let mut exact = true;
    // Up to four weeks the plain keys first: they break ties between schedules of equal
    // cost as the runs measured on Instances 1-12 did (Instance 12 ended at 4040, proven,
    // with them, 4140 with the merged keys alone); the merged keys where those give up. On
    // longer horizons the merged keys alone (on Instance 15 the plain keys' failed tries
    // took generation's work: 4646 at `--work 300000`, against 3933).
    if dt.nd <= PLAIN_FIRST_DAYS {
        if let Some(r) = dp(
            dt, e, cost, max_labels, ub, forced, made, None, &mut exact, false, budget,
        ) {
            return Some(r);
        }
    }
    if dt.rest_reach > 1 {
        return None;
    }
    dp(
        dt, e, cost, max_labels, ub, forced, made, None, &mut exact, true, budget,
    )
}

/// A heuristic [`price_counted`]: after each day only the `beam` labels with the least
/// cost plus least completion are kept (ties by creation order), so its work is bounded
/// (at most `beam` times the shift types plus one labels a day) and it never gives up.
/// Every schedule it returns keeps every hard rule (labels only grow by steps the rules
/// allow); it is the best one only when no day was cut, which `exact` tells (with
/// `Some(None)`: no schedule below `ub` exists only when `exact`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn price_beam(
    dt: &Data,
    e: usize,
    cost: &[f64],
    beam: usize,
    ub: f64,
    forced: Option<&[u8]>,
    made: &mut u64,
    exact: &mut bool,
) -> Option<Option<(Vec<u8>, f64)>> {
    *exact = true;
    let mut tally = Tally::new();
    let answer = dp(
        dt,
        e,
        cost,
        usize::MAX,
        ub,
        forced,
        &mut tally,
        Some(beam.max(1)),
        exact,
        true,
        None,
    );
    *made += tally.labels;
    answer
}

/// The DP of [`price_counted`] and [`price_beam`]; `exact` is cleared when the beam cut a
/// day. With `merge`, labels are keyed by the class of their last shift and counts are
/// raised by what can still follow (see the module's doc); without, by the last shift
/// itself and counts raised by the type's days left alone: the same optimum, fewer labels
/// with `merge`, but another schedule among equally cheap ones.
#[allow(clippy::too_many_arguments)]
fn dp(
    dt: &Data,
    e: usize,
    cost: &[f64],
    max_labels: usize,
    ub: f64,
    forced: Option<&[u8]>,
    made: &mut Tally,
    beam: Option<usize>,
    exact: &mut bool,
    merge: bool,
    budget: Option<&Budget>,
) -> Option<Option<(Vec<u8>, f64)>> {
    let (nd, ns) = (dt.nd, dt.ns);
    if dt.rest_reach > 1 || nd == 0 || nd > i16::MAX as usize {
        return None;
    }
    let (mc, mn, mo) = (dt.max_cons[e], dt.min_cons[e].max(1), dt.min_off[e].max(1));
    // Working runs are tracked up to the maximum, or up to the minimum when there is none.
    let no_max = mc >= nd;
    let kcap = if no_max { mn } else { mc };
    let free_or = |d: usize, v: u8| forced.is_none_or(|f| f[d] == FREE || f[d] == v);
    let ok = |d: usize, s: usize| dt.ok(e, d, s) && free_or(d, s as u8);
    let off_ok = |d: usize| free_or(d, u8::MAX);
    // Types whose maximum can bind get a counter.
    let mut slot = vec![usize::MAX; ns];
    let mut caps = Vec::new();
    for (s, sl) in slot.iter_mut().enumerate() {
        let days = (0..nd).filter(|&d| ok(d, s)).count() as i64;
        if dt.max_shifts[e * ns + s] < days {
            *sl = caps.len();
            caps.push(dt.max_shifts[e * ns + s] as u16);
        }
    }
    let nb = caps.len();
    // Shifts of each counted type the days after `d` allow (its days left).
    let types: Vec<usize> = (0..ns).filter(|&s| slot[s] != usize::MAX).collect();
    let mut left = vec![0u16; nd * nb];
    // A weekend count that the weekends left cannot push past the maximum is as good as any
    // other such count: raise it to `max - weekends left` so that labels merge.
    let mut floor_we = vec![0u16; nd];
    // Both are counts over the days after `d`, summed from the last day back: the weekends
    // of days `d + 1..` (a weekend's days follow each other) and the first of them.
    let (mut weekends_after, mut first_after) = (0i64, None);
    for d in (0..nd).rev() {
        if d + 1 < nd {
            for (b, &s) in types.iter().enumerate() {
                left[d * nb + b] = left[(d + 1) * nb + b] + u16::from(ok(d + 1, s));
            }
        }
        floor_we[d] = (dt.max_we[e] as i64 - weekends_after).max(0) as u16;
        if let Some(w) = dt.weekend[d] {
            if first_after != Some(w) {
                weekends_after += 1;
            }
            first_after = Some(w);
        }
    }
    // The future of a shift worked on day `d` depends on it only through the shifts it
    // forbids on day `d + 1` among those allowed there: shifts that forbid the same ones
    // share a class, named by its least shift (`u8::MAX`: forbids none, like off).
    let mut class = vec![u8::MAX; nd * ns];
    // Each shift's forbidden set as a bitset of `words` words.
    let words = ns.div_ceil(64);
    let mut sets = vec![0u64; ns * words];
    for d in 0..nd.saturating_sub(1) {
        sets.iter_mut().for_each(|w| *w = 0);
        for s in 0..ns {
            for t in 0..ns {
                if ok(d + 1, t) && dt.conflict(e, d, s, d + 1, t) {
                    sets[s * words + t / 64] |= 1 << (t % 64);
                }
            }
        }
        let set = |s: usize| &sets[s * words..(s + 1) * words];
        for s in 0..ns {
            if set(s).iter().any(|&w| w != 0) {
                let first = (0..s).find(|&r| set(r) == set(s)).unwrap_or(s);
                class[d * ns + s] = first as u8;
            }
        }
    }
    if !merge && class.iter().any(|&c| c != u8::MAX) {
        // Plain keys: the last shift itself, wherever some shift forbids another.
        for (i, c) in class.iter_mut().enumerate() {
            *c = (i % ns) as u8;
        }
    }
    // Most minutes days d+1.. can still add.
    let mut rest_max = vec![0i64; nd + 1];
    for d in (0..nd).rev() {
        let best = (0..ns)
            .filter(|&s| ok(d, s))
            .map(|s| dt.minutes[s])
            .max()
            .unwrap_or(0);
        rest_max[d] = rest_max[d + 1] + best;
    }
    let (lo, hi) = (dt.min_min[e], dt.max_min[e]);
    let max_we = dt.max_we[e] as u16;
    let base = dt.on_total[e] as f64;
    let cell = |d: usize, s: usize| {
        let k = (e * nd + d) * ns + s;
        (dt.off_w[k] - dt.on_w[k]) as f64 + cost[d * ns + s]
    };
    // The run, its start on day 0 and the last shift after working (`Some(s)`) or not on
    // day `d`, from those after day `d - 1` (run 0: before day 0); `None` if the rules
    // forbid it.
    let step = |run: i16, from0: bool, last: u8, d: usize, choice: Option<usize>| match choice {
        None => {
            if !off_ok(d) || run > 0 && (run as usize) < mn && !from0 {
                return None;
            }
            Some(if run < 0 {
                (-((-run + 1).min(mo as i16)), from0, u8::MAX)
            } else {
                (-1, run == 0, u8::MAX)
            })
        }
        Some(s) => {
            if !ok(d, s) || (run < 0 && ((-run) as usize) < mo && !from0) {
                return None;
            }
            if run > 0 {
                if !no_max && run as usize >= mc {
                    return None;
                }
                if (last as usize) < ns && dt.conflict(e, d - 1, last as usize, d, s) {
                    return None;
                }
            }
            let next = if run > 0 {
                (run + 1).min(kcap as i16)
            } else {
                1
            };
            let from0 = run == 0 || (run > 0 && from0);
            Some((next, from0, class[d * ns + s]))
        }
    };
    // The last shifts a state after day `d` can hold: none (`u8::MAX`, also a class that
    // forbids nothing) and the classes of day `d`, numbered per day (`slot_of`). On long
    // horizons the merged keys leave a few classes of many shifts (Instance 24: 32 shifts).
    let mut slot_of = vec![u16::MAX; nd * (ns + 1)];
    let mut lasts_of: Vec<Vec<u8>> = Vec::with_capacity(nd);
    for d in 0..nd {
        let at = d * (ns + 1);
        slot_of[at + ns] = 0;
        let mut lasts = vec![u8::MAX];
        for s in 0..ns {
            let c = class[d * ns + s];
            let x = &mut slot_of[at + (c as usize).min(ns)];
            if *x == u16::MAX {
                *x = lasts.len() as u16;
                lasts.push(c);
            }
        }
        lasts_of.push(lasts);
    }
    let nlast = lasts_of.iter().map(Vec::len).max().unwrap_or(1);
    // The states after day `d`, numbered: run in -mo..=kcap, last shift's slot, from0.
    let nl = (mo + kcap + 1) * nlast * 2;
    let lite = |d: usize, run: i16, from0: bool, last: u8| {
        let slot = slot_of[d * (ns + 1) + (last as usize).min(ns)];
        debug_assert!(
            slot != u16::MAX,
            "a last shift no state after day {d} holds"
        );
        (((run as i64 + mo as i64) as usize * nlast + slot as usize) * 2) + usize::from(from0)
    };
    // Shifts of `e` are `len_lo..=len_hi` minutes long: with `m` minutes so far, the rest
    // works between `(lo - m) / len_hi` and `(hi - m) / len_lo` shifts.
    let lens = || {
        (0..ns)
            .filter(|&s| (0..nd).any(|d| ok(d, s)))
            .map(|s| dt.minutes[s])
    };
    let len_lo = lens().min().unwrap_or(0);
    let len_hi = lens().max().unwrap_or(0);
    // comp[(d * nl + state) * nj + j]: least cost of days d+1.. from the state after day d
    // working exactly j more shifts, under the run rules and successions alone (type
    // counts and weekends ignored): a label that cannot beat `ub` even so, for any number
    // of shifts its minutes allow, is dropped. Infinite where nothing completes. No label
    // reads a `j` past the shifts the maximum minutes allow (`hi / len_lo`: 234 of 364
    // days on Instance 22), so the table stops there.
    let nj = match usize::try_from(hi.max(0) / len_lo.max(1)) {
        Ok(j) if len_lo > 0 => j.min(nd) + 1,
        _ => nd + 1,
    };
    let mut comp = vec![f64::INFINITY; nd * nl * nj];
    // most[d * nl + state]: the most working days after day `d` from the state in a
    // completion of finite cost under the same rules (the last `j` where the untruncated
    // table is finite), -1 where none.
    let mut most = vec![-1i32; nd * nl];
    for i in 0..nl {
        comp[((nd - 1) * nl + i) * nj] = 0.0;
        most[(nd - 1) * nl + i] = 0;
    }
    let runs: Vec<i16> = (-(mo as i16)..=kcap as i16).collect();
    for d in (0..nd.saturating_sub(1)).rev() {
        for &run in &runs {
            for &last in &lasts_of[d] {
                for from0 in [false, true] {
                    let here = d * nl + lite(d, run, from0, last);
                    let at = here * nj;
                    if let Some((r, f, l)) = step(run, from0, last, d + 1, None) {
                        let next = (d + 1) * nl + lite(d + 1, r, f, l);
                        let from = next * nj;
                        for j in 0..nj {
                            comp[at + j] = comp[at + j].min(comp[from + j]);
                        }
                        most[here] = most[here].max(most[next]);
                    }
                    for s in 0..ns {
                        if let Some((r, f, l)) = step(run, from0, last, d + 1, Some(s)) {
                            let next = (d + 1) * nl + lite(d + 1, r, f, l);
                            let from = next * nj;
                            let c = cell(d + 1, s);
                            for j in 1..nj {
                                comp[at + j] = comp[at + j].min(c + comp[from + j - 1]);
                            }
                            if c.is_finite() && most[next] >= 0 {
                                most[here] = most[here].max(most[next] + 1);
                            }
                        }
                    }
                }
            }
        }
    }
    // Most working days after day `d` from each state (run rules and successions alone).
    let most: Vec<u16> = most.iter().map(|&m| m.max(0) as u16).collect();
    // Type counts, as the label after day `d` in state `i` with `m` minutes keeps them: a
    // count that what can follow cannot push past its cap (at most its days left, the
    // working days left and the minutes left allow) is as good as any other such count, so
    // it is raised to `cap - most more` and labels merge.
    let raise = |counts: &mut [u16], d: usize, i: usize, m: i64| {
        let days = if merge { most[d * nl + i] } else { u16::MAX };
        for (b, c) in counts.iter_mut().enumerate() {
            let len = dt.minutes[types[b]];
            let mut more = left[d * nb + b].min(days);
            if merge && len > 0 {
                more = more.min(((hi - m).max(0) / len).min(u16::MAX as i64) as u16);
            }
            *c = (*c).max(caps[b].saturating_sub(more));
        }
    };
    let least = |d: usize, i: usize, m: i64| {
        let need = (lo - m).max(0);
        let j_lo = if need == 0 {
            0
        } else if len_hi <= 0 {
            nj
        } else {
            ((need + len_hi - 1) / len_hi) as usize
        };
        let j_hi = if len_lo <= 0 {
            nj - 1
        } else {
            (((hi - m).max(0) / len_lo) as usize).min(nj - 1)
        };
        if j_lo > j_hi {
            return f64::INFINITY;
        }
        let at = (d * nl + i) * nj;
        comp[at + j_lo..=at + j_hi]
            .iter()
            .fold(f64::INFINITY, |a, &b| a.min(b))
    };
    let ub = ub + 1e-7;
    // Day by day: the labels and their type counts.
    let mut days: Vec<(Vec<Label>, Vec<u16>)> = Vec::with_capacity(nd);
    for d in 0..nd {
        if budget.is_some_and(Budget::is_over) || made.charge() >= made.cap {
            return None;
        }
        let new_weekend = d == 0 || dt.weekend[d] != dt.weekend[d - 1];
        let mut labels: Vec<Label> = Vec::new();
        let mut arena: Vec<u16> = Vec::new();
        let mut index: HashMap<Key, Vec<u32>> = HashMap::new();
        let root = Label {
            key: Key {
                run: 0,
                from0: true,
                last: u8::MAX,
                wflag: false,
                minutes: 0,
            },
            cost: base,
            weekends: 0,
            counts: 0,
            parent: u32::MAX,
            shift: u8::MAX,
        };
        let zero = vec![0u16; nb];
        let (prev, prev_counts): (&[Label], &[u16]) = if d == 0 {
            (std::slice::from_ref(&root), &zero)
        } else {
            let p = &days[d - 1];
            (&p.0, &p.1)
        };
        let mut counts = vec![0u16; nb];
        for (pi, l) in prev.iter().enumerate() {
            let k = l.key;
            let wflag = k.wflag && !new_weekend;
            // Off.
            if let Some((run, from0, _)) = step(k.run, k.from0, k.last, d, None) {
                let i = lite(d, run, from0, u8::MAX);
                if k.minutes + rest_max[d + 1] >= lo && l.cost + least(d, i, k.minutes) <= ub {
                    let key = Key {
                        run,
                        from0,
                        last: u8::MAX,
                        wflag,
                        minutes: k.minutes,
                    };
                    counts.copy_from_slice(&prev_counts[l.counts..l.counts + nb]);
                    raise(&mut counts, d, i, k.minutes);
                    insert(
                        &mut labels,
                        &mut arena,
                        &mut index,
                        &mut made.compared,
                        key,
                        l.cost,
                        l.weekends.max(floor_we[d]),
                        &counts,
                        pi as u32,
                        u8::MAX,
                    );
                }
            }
            // Work shift s.
            for s in 0..ns {
                let Some((run, from0, last)) = step(k.run, k.from0, k.last, d, Some(s)) else {
                    continue;
                };
                let c = l.cost + cell(d, s);
                let minutes = k.minutes + dt.minutes[s];
                if c + least(d, lite(d, run, from0, last), minutes) > ub {
                    continue;
                }
                if minutes > hi || minutes + rest_max[d + 1] < lo {
                    continue;
                }
                let mut weekends = l.weekends;
                let mut wf = wflag;
                if dt.weekend[d].is_some() && !wf {
                    weekends += 1;
                    wf = true;
                    if weekends > max_we {
                        continue;
                    }
                }
                counts.copy_from_slice(&prev_counts[l.counts..l.counts + nb]);
                if slot[s] != usize::MAX {
                    counts[slot[s]] += 1;
                    if counts[slot[s]] > caps[slot[s]] {
                        continue;
                    }
                }
                raise(&mut counts, d, lite(d, run, from0, last), minutes);
                let weekends = weekends.max(floor_we[d]);
                let key = Key {
                    run,
                    from0,
                    last,
                    wflag: wf,
                    minutes,
                };
                insert(
                    &mut labels,
                    &mut arena,
                    &mut index,
                    &mut made.compared,
                    key,
                    c,
                    weekends,
                    &counts,
                    pi as u32,
                    s as u8,
                );
            }
            if labels.len() > max_labels {
                made.labels += labels.len() as u64;
                return None;
            }
        }
        made.labels += labels.len() as u64;
        // Compact: drop the labels marked dominated (cost = NaN).
        let mut kept = Vec::with_capacity(labels.len());
        let mut kept_counts = Vec::with_capacity(arena.len());
        for l in labels {
            if l.cost.is_nan() {
                continue;
            }
            let c = kept_counts.len();
            kept_counts.extend_from_slice(&arena[l.counts..l.counts + nb]);
            kept.push(Label { counts: c, ..l });
        }
        if let Some(b) = beam.filter(|&b| kept.len() > b) {
            // Keep the `b` labels likeliest to finish cheapest.
            *exact = false;
            let score = |l: &Label| {
                let k = l.key;
                l.cost + least(d, lite(d, k.run, k.from0, k.last), k.minutes)
            };
            let mut order: Vec<usize> = (0..kept.len()).collect();
            order.sort_by(|&a, &b| score(&kept[a]).total_cmp(&score(&kept[b])).then(a.cmp(&b)));
            order.truncate(b);
            order.sort_unstable();
            let mut cut = Vec::with_capacity(b);
            let mut cut_counts = Vec::with_capacity(b * nb);
            let mut kept: Vec<Option<Label>> = kept.into_iter().map(Some).collect();
            for i in order {
                if let Some(l) = kept[i].take() {
                    let c = cut_counts.len();
                    cut_counts.extend_from_slice(&kept_counts[l.counts..l.counts + nb]);
                    cut.push(Label { counts: c, ..l });
                }
            }
            days.push((cut, cut_counts));
            continue;
        }
        days.push((kept, kept_counts));
    }
    let last = &days[nd - 1].0;
    let Some((mut i, best)) = last
        .iter()
        .enumerate()
        .filter(|(_, l)| l.key.minutes >= lo)
        .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
        .map(|(i, l)| (i, l.cost))
    else {
        return Some(None);
    };
    let mut row = vec![u8::MAX; nd];
    for d in (0..nd).rev() {
        let l = &days[d].0[i];
        row[d] = l.shift;
        i = l.parent as usize;
    }
    Some(Some((row, best)))
}

/// Adds a label unless one with the same key dominates it; marks those it dominates. Adds
/// the values it compared to `compared`.
#[allow(clippy::too_many_arguments)]
fn insert(
    labels: &mut Vec<Label>,
    arena: &mut Vec<u16>,
    index: &mut HashMap<Key, Vec<u32>>,
    compared: &mut u64,
    key: Key,
    cost: f64,
    weekends: u16,
    counts: &[u16],
    parent: u32,
    shift: u8,
) {
    let nb = counts.len();
    let list = index.entry(key).or_default();
    let le = |a: &[u16], b: &[u16]| a.iter().zip(b).all(|(x, y)| x <= y);
    let mut j = 0;
    while j < list.len() {
        *compared += nb as u64 + 2;
        let o = &labels[list[j] as usize];
        let oc = &arena[o.counts..o.counts + nb];
        if o.cost <= cost + 1e-9 && o.weekends <= weekends && le(oc, counts) {
            return;
        }
        if cost <= o.cost + 1e-9 && weekends <= o.weekends && le(counts, oc) {
            labels[list[j] as usize].cost = f64::NAN;
            list.swap_remove(j);
        } else {
            j += 1;
        }
    }
    let c = arena.len();
    arena.extend_from_slice(counts);
    list.push(labels.len() as u32);
    labels.push(Label {
        key,
        cost,
        weekends,
        counts: c,
        parent,
        shift,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::check::check;
    use crate::roster::model::{Contract, Employee, Problem, Request, Roster, ShiftType};
    use chrono::Weekday;
    use proptest::prelude::*;

    #[test]
    fn a_pricing_given_a_budget_gives_up_once_it_is_over() {
        let dt = Data::new(&crate::roster::curtois::bundled("Instance3.txt"));
        let cost = vec![0.0; dt.nd * dt.ns];
        let inf = f64::INFINITY;
        let over = Budget::new(std::time::Duration::ZERO, None);
        let open = Budget::new(std::time::Duration::from_secs(600), None);
        let mut made = Tally::new();
        let answer = price_counted(&dt, 0, &cost, 200_000, inf, None, &mut made, Some(&over));
        assert!(answer.is_none());
        assert_eq!(made, Tally::new());
        let answer = price_counted(&dt, 0, &cost, 200_000, inf, None, &mut made, Some(&open));
        assert!(answer.is_some_and(|a| a.is_some()));
        assert!(made.labels > 0 && made.compared > 0);
    }

    #[test]
    fn a_pricing_gives_up_once_its_charge_reaches_its_cap_and_counts_its_compares() {
        let dt = Data::new(&crate::roster::curtois::bundled("Instance12.txt"));
        // A third of the cells short (their under-cover weight earned), the rest over.
        let cost: Vec<f64> = (dt.cover.iter().enumerate())
            .map(|(k, c)| match c {
                Some((_, u, _)) if k % 3 == 0 => -(*u as f64),
                Some((_, _, o)) => *o as f64,
                None => 0.0,
            })
            .collect();
        let inf = f64::INFINITY;
        let mut whole = Tally::new();
        let answer = price_counted(&dt, 0, &cost, 200_000, inf, None, &mut whole, None);
        assert!(answer.is_some_and(|a| a.is_some()));
        assert!(whole.charge() > whole.labels, "{whole:?}");
        let mut again = Tally::new();
        price_counted(&dt, 0, &cost, 200_000, inf, None, &mut again, None);
        assert_eq!(again, whole);
        // A quarter of that charge: the call gives up past its cap, before the whole.
        let cap = whole.charge() / 4;
        let mut capped = Tally::capped(cap);
        let answer = price_counted(&dt, 0, &cost, 200_000, inf, None, &mut capped, None);
        assert!(answer.is_none());
        assert!(
            capped.charge() >= cap && capped.charge() < whole.charge(),
            "{capped:?}"
        );
    }

    /// One employee under random rules, with random requests and no cover: the checker's
    /// objective is the request penalty alone.
    fn problem(ns: usize, days: usize, seed: u64) -> Problem {
        let mut x = seed | 1;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n.max(1)
        };
        let mut shift_types: Vec<ShiftType> = (0..ns)
            .map(|s| ShiftType {
                id: format!("S{s}"),
                minutes: 240 + 120 * next(3) as u32,
                cannot_follow: (0..ns).filter(|_| next(3) == 0).collect(),
                site: None,
                skill: None,
                instances: vec![],
            })
            .collect();
        // With four shift types or more, about half of them forbid the same shifts next
        // day as the one before (the DP keys them as one class).
        for s in 1..ns {
            if ns >= 4 && next(2) == 0 {
                shift_types[s].cannot_follow = shift_types[s - 1].cannot_follow.clone();
            }
        }
        let max_cons = 1 + next(5) as u32;
        let min_minutes = 240 * next(2 * days as u64 / 3) as u32;
        let employee = Employee {
            id: "E".into(),
            contract: Contract {
                max_shifts: (0..ns).map(|_| next(days as u64 + 1) as u32).collect(),
                min_minutes,
                max_minutes: min_minutes + 240 * next(days as u64 + 1) as u32,
                max_consecutive: max_cons,
                min_consecutive: 1 + next(3) as u32,
                min_consecutive_off: 1 + next(3) as u32,
                max_weekends: next(days as u64 / 7 + 1) as u32,
                min_rest_minutes: 0,
            },
            days_off: (0..days).filter(|_| next(7) == 0).collect(),
            sites: vec![],
            skills: vec![],
        };
        let mut req = || Request {
            employee: 0,
            day: next(days as u64) as usize,
            shift: next(ns as u64) as usize,
            weight: 1 + next(3) as u32,
        };
        let on_requests = (0..3).map(|_| req()).collect();
        let off_requests = (0..3).map(|_| req()).collect();
        Problem {
            name: "one".into(),
            days,
            first_weekday: [Weekday::Mon, Weekday::Thu, Weekday::Sat][next(3) as usize],
            shift_types,
            employees: vec![employee],
            cover: vec![],
            on_requests,
            off_requests,
        }
    }

    /// The least `request penalty + sum of cost` over every schedule the checker accepts
    /// that agrees with `forced`, by enumeration.
    fn brute(p: &Problem, cost: &[f64], forced: &[u8]) -> Option<f64> {
        let (nd, ns) = (p.days, p.shift_types.len());
        let base = ns as u64 + 1;
        let mut best: Option<f64> = None;
        for code in 0..base.pow(nd as u32) {
            let mut c = code;
            let mut r = Roster::empty(1, nd);
            let mut extra = 0.0;
            let mut agrees = true;
            for d in 0..nd {
                let v = (c % base) as usize;
                c /= base;
                let cell = if v < ns { v as u8 } else { u8::MAX };
                agrees &= forced[d] == FREE || forced[d] == cell;
                if v < ns {
                    r.shifts[0][d] = Some(v);
                    extra += cost[d * ns + v];
                }
            }
            if !agrees {
                continue;
            }
            let rep = check(p, &r);
            if rep.violations.is_empty() {
                let v = rep.objective as f64 + extra;
                best = Some(best.map_or(v, |b: f64| b.min(v)));
            }
        }
        best
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// The DP finds exactly the best schedule the independent checker accepts that
        /// agrees with the forced days (or none when none exists), and the schedule it
        /// returns is valid, agrees and costs what it says.
        #[test]
        fn dp_pricing_equals_enumeration(
            (ns, days) in prop_oneof![Just((1usize, 14usize)), Just((2, 9)), Just((3, 7)), Just((4, 6))],
            seed in any::<u64>(),
            costs in proptest::collection::vec(-5i32..5, 42),
            forcing in proptest::collection::vec(0u8..12, 14),
        ) {
            let p = problem(ns, days, seed);
            let dt = Data::new(&p);
            let cost: Vec<f64> = (0..days * ns).map(|i| f64::from(costs[i % costs.len()]) * 0.75).collect();
            // About one day in three forced: to off (`u8::MAX`) or to a shift.
            let forced: Vec<u8> = forcing[..days]
                .iter()
                .map(|&f| match f {
                    0 => u8::MAX,
                    1..=3 => (f - 1) % ns as u8,
                    _ => FREE,
                })
                .collect();
            let none = vec![FREE; days];
            let forced = if seed % 2 == 0 { forced } else { none };
            let want = brute(&p, &cost, &forced);
            let got = price(&dt, 0, &cost, 1_000_000, f64::INFINITY, Some(&forced));
            // The merged keys (tried where the plain ones give up) find the same optimum.
            let merged = dp(&dt, 0, &cost, 1_000_000, f64::INFINITY, Some(&forced), &mut Tally::new(), None, &mut true, true, None);
            let mv = merged.flatten().map(|(_, v)| v);
            prop_assert!(mv.is_some() == want.is_some(), "merged {:?} brute {:?}", mv, want);
            prop_assert!(mv.zip(want).is_none_or(|(m, w)| (m - w).abs() < 1e-6), "merged {:?} brute {:?}", mv, want);
            match (got, want) {
                (Some(Some((row, v))), Some(w)) => {
                    prop_assert!((v - w).abs() < 1e-6, "dp {} brute {}", v, w);
                    let r = Roster {
                        shifts: vec![row.iter().map(|&s| (usize::from(s) < ns).then_some(usize::from(s))).collect()],
                    };
                    let rep = check(&p, &r);
                    prop_assert!(rep.violations.is_empty(), "{:?}", rep.violations);
                    prop_assert!(forced.iter().zip(&row).all(|(&f, &r)| f == FREE || f == r));
                    let extra: f64 = row.iter().enumerate().filter(|(_, &s)| usize::from(s) < ns).map(|(d, &s)| cost[d * ns + usize::from(s)]).sum();
                    prop_assert!((rep.objective as f64 + extra - v).abs() < 1e-6);
                    // A bound at the optimum prunes nothing that matters.
                    let tight = price(&dt, 0, &cost, 1_000_000, w, Some(&forced));
                    prop_assert!(matches!(tight, Some(Some((_, t))) if (t - w).abs() < 1e-6));
                }
                (Some(None), None) => {}
                (g, w) => prop_assert!(false, "dp {:?} brute {:?}", g.map(|x| x.map(|y| y.1)), w),
            }
        }

        /// A beam's schedule keeps every rule, agrees with the forced days and costs what it
        /// says, no less than the optimum; when no day was cut it is the optimum (and a
        /// beam too small to cut nothing may miss every schedule only when it says so).
        #[test]
        fn beam_pricing_is_valid_and_exact_when_uncut(
            (ns, days) in prop_oneof![Just((1usize, 14usize)), Just((2, 9)), Just((3, 7))],
            seed in any::<u64>(),
            costs in proptest::collection::vec(-5i32..5, 42),
            beam in prop_oneof![Just(1usize), Just(3), Just(1_000_000)],
        ) {
            let p = problem(ns, days, seed);
            let dt = Data::new(&p);
            let cost: Vec<f64> = (0..days * ns).map(|i| f64::from(costs[i % costs.len()]) * 0.75).collect();
            let none = vec![FREE; days];
            let want = brute(&p, &cost, &none);
            let (mut made, mut exact) = (0u64, true);
            let got = price_beam(&dt, 0, &cost, beam, f64::INFINITY, None, &mut made, &mut exact);
            if beam == 1_000_000 {
                prop_assert!(exact);
            }
            match (got, want) {
                (Some(Some((row, v))), Some(w)) => {
                    prop_assert!(v >= w - 1e-6, "beam {} below the optimum {}", v, w);
                    if exact {
                        prop_assert!((v - w).abs() < 1e-6, "uncut beam {} optimum {}", v, w);
                    }
                    let r = Roster {
                        shifts: vec![row.iter().map(|&s| (usize::from(s) < ns).then_some(usize::from(s))).collect()],
                    };
                    let rep = check(&p, &r);
                    prop_assert!(rep.violations.is_empty(), "{:?}", rep.violations);
                    let extra: f64 = row.iter().enumerate().filter(|(_, &s)| usize::from(s) < ns).map(|(d, &s)| cost[d * ns + usize::from(s)]).sum();
                    prop_assert!((rep.objective as f64 + extra - v).abs() < 1e-6);
                }
                (Some(None), Some(_)) => prop_assert!(!exact, "an uncut beam missed every schedule"),
                (Some(None), None) => {}
                (g, w) => prop_assert!(false, "beam {:?} brute {:?}", g.map(|x| x.map(|y| y.1)), w),
            }
        }
    }
}
