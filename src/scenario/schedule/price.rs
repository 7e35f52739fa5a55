//! Exact pricing of one agent: a dynamic programme over the agent's local days that picks
//! one option or a day off per day, keeping every rule of the contract, at the least total
//! option cost.
//!
//! A label is the state after a day: the end of the last shift while it can still limit a
//! later start (minimum rest between real instants), the current run (working or off, its
//! length, and whether it began on the first day), the paid minutes so far (exact when a
//! maximum binds or hours are balanced, else counted up to the minimum), the weekends
//! worked (when limited or balanced), the earliest and latest local start of the current
//! week (under a start tolerance) and which of the last weekends were worked (under
//! rotating weekends). The balance penalty is added to each final label.
//! Two labels with the same state keep the cheaper; no other dominance is used, so the
//! answer is optimal. Options of one day with the same start, end and paid minutes differ
//! only in their breaks (coverage): only the cheapest of them is tried.

use super::model::{AgentModel, Model};
use super::table::Table;
use chrono::Weekday;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, deterministic hasher for labels' states (multiply and rotate per word): the
/// standard SipHash took a quarter of the pricing's time. States are not chosen by users'
/// input beyond the scenario, so resistance to crafted collisions is not needed.
#[derive(Default)]
struct StateHasher(u64);

impl Hasher for StateHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_u16(&mut self, x: u16) {
        self.write_u64(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_i16(&mut self, x: i16) {
        self.write_u64(x as u64);
    }
    fn write_i32(&mut self, x: i32) {
        self.write_u64(x as u64);
    }
    fn write_i64(&mut self, x: i64) {
        self.write_u64(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

type StateMap = HashMap<State, usize, BuildHasherDefault<StateHasher>>;

/// How one agent's states pack into a word (see [`super::table`]): each field's offset
/// and, where it needs one, its origin or unit.
struct Packer {
    /// Least end of an option (a `last_end` packs as `last_end - end_base + 1`, none as 0).
    end_base: i64,
    off_cap: i32,
    /// Paid minutes pack in units of their common divisor.
    unit: u32,
    run_at: u32,
    start_at: u32,
    minutes_at: u32,
    weekends_at: u32,
    lo_at: u32,
    hi_at: u32,
    wmask_at: u32,
}

/// Bits to hold every value up to `max`.
fn width(max: u64) -> u32 {
    64 - max.leading_zeros()
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Packer {
    /// The packing of agent `a`'s states, or `None` when they need more than 63 bits.
    fn new(model: &Model, a: &AgentModel, track_minutes: bool, off_cap: i32) -> Option<Packer> {
        let days = a.options.len();
        let mut end_lo = i64::MAX;
        let mut end_hi = i64::MIN;
        let mut unit = if track_minutes { 0 } else { a.min_minutes };
        let mut most = 0u64;
        for opts in &a.options {
            let mut day = 0u32;
            for &c in opts {
                let cd = &model.cands[c];
                end_lo = end_lo.min(cd.end);
                end_hi = end_hi.max(cd.end);
                unit = gcd(cd.paid, unit);
                day = day.max(cd.paid);
            }
            most += u64::from(day);
        }
        let unit = unit.max(1);
        let cap = if track_minutes {
            most.min(u64::from(a.max_minutes))
        } else {
            u64::from(a.min_minutes)
        };
        let end_span = if end_lo <= end_hi {
            u64::try_from(end_hi.checked_sub(end_lo)?).ok()? + 1
        } else {
            0
        };
        let end_bits = width(end_span);
        let run_bits = width(u64::try_from(off_cap).ok()? + days as u64 + 1);
        let minutes_bits = width(cap / u64::from(unit));
        let weekends_bits = width(days as u64 / 7 + 2);
        let start_bits = if a.start_spread.is_some() { 11 } else { 0 };
        let wmask_bits = a.rotation.map_or(0, |(_, of)| of.min(15));
        let run_at = end_bits;
        let start_at = run_at + run_bits;
        let minutes_at = start_at + 1;
        let weekends_at = minutes_at + minutes_bits;
        let lo_at = weekends_at + weekends_bits;
        let hi_at = lo_at + start_bits;
        let wmask_at = hi_at + start_bits;
        (wmask_at + wmask_bits <= 63).then_some(Packer {
            end_base: end_lo,
            off_cap,
            unit,
            run_at,
            start_at,
            minutes_at,
            weekends_at,
            lo_at,
            hi_at,
            wmask_at,
        })
    }

    /// The word of state `s`.
    fn pack(&self, s: &State) -> u64 {
        let end = if s.last_end == NONE {
            0
        } else {
            (s.last_end - self.end_base + 1) as u64
        };
        end | (((s.run + self.off_cap) as u64) << self.run_at)
            | (u64::from(s.from_start) << self.start_at)
            | (u64::from(s.minutes / self.unit) << self.minutes_at)
            | (u64::from(s.weekends) << self.weekends_at)
            | (((s.lo + 1) as u64) << self.lo_at)
            | (((s.hi + 1) as u64) << self.hi_at)
            | (u64::from(s.wmask) << self.wmask_at)
    }
}

/// The index of a day's states: packed words when they fit (in the thread's kept table),
/// else the general map.
enum Index<'t> {
    Packed(Packer, &'t mut Table),
    Hashed(StateMap),
}

impl Index<'_> {
    /// Forgets every state; `expect`: about how many the next day holds.
    fn reset(&mut self, expect: usize) {
        match self {
            Index::Packed(_, t) => t.reset(expect),
            Index::Hashed(m) => m.clear(),
        }
    }

    /// The place of `state`, or `None` after recording `place` for it.
    fn find_or_insert(&mut self, state: State, place: usize) -> Option<usize> {
        match self {
            Index::Packed(p, t) => t
                .find_or_insert(p.pack(&state), place as u32)
                .map(|x| x as usize),
            Index::Hashed(m) => match m.entry(state) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(place);
                    None
                }
            },
        }
    }
}

/// Labels pricing may hold over all days before it gives up on the agent (a memory cap:
/// 8 bytes each for the path back, and the last two days' labels at about 40 bytes each).
pub(crate) const MAX_LABELS: usize = 4_000_000;

/// What pricing found.
#[derive(Debug, Clone)]
pub(crate) enum Priced {
    /// The least cost and the option per day.
    Best(f64, Vec<Option<usize>>),
    /// No schedule keeps the rules.
    Infeasible,
    /// More than [`MAX_LABELS`] states (the model's `max_labels`).
    TooLarge,
    /// Not priced: another agent's pricing in the same round gave up (`TooLarge`), which
    /// ends the run.
    Skipped,
}

/// State of a label (see the module docs).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    last_end: i64,
    run: i32,
    from_start: bool,
    minutes: u32,
    weekends: u16,
    /// Earliest and latest local start of the current week (-1: none yet).
    lo: i16,
    hi: i16,
    /// Weekends worked among the last `of` ones, newest in bit 0.
    wmask: u16,
}

/// A label of the day being built: its state and cost (its parent and choice are kept
/// apart, in the day's [`Step`]s, for the path back).
struct Label {
    state: State,
    cost: f64,
}

/// How a label of a day was reached: its parent's index in the day before and the option
/// chosen ([`OFF`]: a day off). Only these are kept for every day (8 bytes a label).
#[derive(Clone, Copy)]
struct Step {
    parent: u32,
    choice: u32,
}

const NONE: i64 = i64::MIN;
const OFF: u32 = u32::MAX;

/// The best schedule of agent `a` when option `k` of day `d` costs `cost[d][k]` (infinite:
/// forbidden): its cost and its option per day, or why there is none.
/// An answer kept for the same agent and the same costs (bit for bit) is returned as it
/// is ([`super::memo`]): the DP is a pure function of them.
pub(crate) fn best(model: &Model, a: &AgentModel, cost: &[Vec<f64>]) -> Priced {
    super::trace::count_replan();
    model
        .meter
        .cells(cost.iter().map(|d| d.len() as u64 + 1).sum());
    // Only the model's own agents are remembered (by their index).
    let own = model.agents.get(a.spec).is_some_and(|x| std::ptr::eq(x, a));
    let key = own.then(|| super::memo::key(cost));
    if let Some(k) = &key {
        if let Some(p) = model.memo.get(a.spec, k) {
            return p;
        }
    }
    let clock = std::time::Instant::now();
    let mut pushes = 0u64;
    // The buffers of the thread's last run are reused (taken out, so a nested call would
    // only start with empty ones): a month's DP run holds about 60 000 labels, and fresh
    // buffers for each of its thousands of runs cost a page fault per page touched.
    let mut scratch = SCRATCH.with(|s| s.take());
    let (out, states) = best_inner(model, a, cost, &mut pushes, &mut scratch);
    scratch.trim();
    SCRATCH.with(|s| s.set(scratch));
    model.meter.dp(states, pushes);
    super::trace::count_work(states, pushes, clock.elapsed().as_nanos() as u64);
    if let Some(k) = key {
        model.memo.put(a.spec, k, &out);
    }
    out
}

/// The DP's buffers, kept per thread from one run to the next (their contents are reset
/// by each run; only their capacity carries over).
struct Scratch {
    /// The packed state index (its slots).
    table: Table,
    prev: Vec<Label>,
    next: Vec<Label>,
    /// How every label of every day was reached, day after day.
    steps: Vec<Step>,
    /// Where each day's labels begin in `steps`.
    day_at: Vec<usize>,
}

/// A buffer holding more than this many bytes is not kept for the next run (a run near
/// the state cap would otherwise hold its memory for the thread's life).
const KEEP_BYTES: usize = 8 << 20;

/// Whether a buffer of `len` items of `T` is too large to keep.
fn too_large<T>(len: usize) -> bool {
    len.saturating_mul(std::mem::size_of::<T>()) > KEEP_BYTES
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch {
            table: Table::new(),
            prev: Vec::new(),
            next: Vec::new(),
            steps: Vec::new(),
            day_at: Vec::new(),
        }
    }
}

impl Scratch {
    fn trim(&mut self) {
        if too_large::<Step>(self.steps.capacity()) {
            self.steps = Vec::new();
        }
        for v in [&mut self.prev, &mut self.next] {
            if too_large::<Label>(v.capacity()) {
                *v = Vec::new();
            }
        }
        if too_large::<(u64, u32)>(self.table.capacity()) {
            self.table = Table::new();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

fn best_inner(
    model: &Model,
    a: &AgentModel,
    cost: &[Vec<f64>],
    pushes: &mut u64,
    scratch: &mut Scratch,
) -> (Priced, u64) {
    let days = a.options.len();
    // Earliest start of any option on each day and later.
    let mut suffix = vec![i64::MAX; days + 1];
    for d in (0..days).rev() {
        let m = a.options[d]
            .iter()
            .map(|&c| model.cands[c].start)
            .min()
            .unwrap_or(i64::MAX);
        suffix[d] = suffix[d + 1].min(m);
    }
    let relevant = |end: i64, next: usize| -> i64 {
        if end != NONE && next < days && end.saturating_add(a.rest_minutes) > suffix[next] {
            end
        } else {
            NONE
        }
    };
    let balance = a.hours_weight > 0.0 || a.weekends_weight > 0.0;
    let track_minutes = a.max_minutes != u32::MAX || a.hours_weight > 0.0;
    let track_weekends = a.max_weekends != u32::MAX || a.weekends_weight > 0.0;
    let window = a.rotation.map_or(0u16, |(_, of)| {
        u16::try_from((1u32 << of.min(15)) - 1).unwrap_or(u16::MAX)
    });
    // Runs never exceed the horizon's days (at most a few thousand).
    let cap_days = |x: u32| i32::try_from(x.min(days as u32 + 1)).unwrap_or(i32::MAX);
    let off_cap = cap_days(a.min_consecutive_off.max(1));
    let mut held = 0usize;
    // Per day, how each of its labels was reached (`steps`, from `day_at[d]`); the labels
    // themselves only for the day before (`prev`) and the day being built (`next`); these
    // buffers and the state table are the thread's, reused from run to run.
    let Scratch {
        table,
        prev,
        next,
        steps,
        day_at,
    } = scratch;
    steps.clear();
    day_at.clear();
    prev.clear();
    next.clear();
    prev.push(Label {
        state: State {
            last_end: NONE,
            run: 0,
            from_start: true,
            minutes: 0,
            weekends: 0,
            lo: -1,
            hi: -1,
            wmask: 0,
        },
        cost: 0.0,
    });
    let mut index = match Packer::new(model, a, track_minutes, off_cap) {
        Some(p) => Index::Packed(p, table),
        None => Index::Hashed(StateMap::default()),
    };
    #[allow(clippy::needless_range_loop)] // `d` indexes several per-day tables
    for d in 0..days {
        // Cheapest option per (start, end, paid).
        let mut groups: Vec<(i64, i64, u32, usize, f64, i16)> = Vec::new();
        if !a.day_off[d] {
            for (k, &c) in a.options[d].iter().enumerate() {
                let x = cost[d][k];
                if !x.is_finite() {
                    continue;
                }
                let cd = &model.cands[c];
                match groups
                    .iter_mut()
                    .find(|g| g.0 == cd.start && g.1 == cd.end && g.2 == cd.paid)
                {
                    Some(g) if x < g.4 => {
                        g.3 = k;
                        g.4 = x;
                    }
                    Some(_) => {}
                    None => groups.push((cd.start, cd.end, cd.paid, k, x, a.start_of_day[d][k])),
                }
            }
        }
        let weekend = matches!(a.weekday[d], Weekday::Sat | Weekday::Sun);
        // A weekend begins on Saturday (or on a first day that is a Sunday); a week on
        // Monday.
        let new_weekend = a.weekday[d] == Weekday::Sat || (a.weekday[d] == Weekday::Sun && d == 0);
        let new_week = a.weekday[d] == Weekday::Mon;
        next.clear();
        index.reset(prev.len());
        let base = steps.len();
        day_at.push(base);
        // The first label of a state takes its place; a cheaper one of the same state
        // replaces it there (the same order as one table of labels would give).
        let mut push = |next: &mut Vec<Label>, state: State, cost: f64, step: Step| {
            *pushes += 1;
            match index.find_or_insert(state, next.len()) {
                Some(i) => {
                    if cost < next[i].cost {
                        next[i].cost = cost;
                        steps[base + i] = step;
                    }
                }
                None => {
                    next.push(Label { state, cost });
                    steps.push(step);
                }
            }
        };
        for (pi, l) in prev.iter().enumerate() {
            let mut s = l.state;
            if new_weekend && window != 0 {
                s.wmask = (s.wmask << 1) & window;
            }
            if new_week && a.start_spread.is_some() {
                s.lo = -1;
                s.hi = -1;
            }
            // A day off.
            if !a.fixed[d] {
                let ok = s.run <= 0 || s.from_start || s.run as u32 >= a.min_consecutive;
                if ok {
                    let (run, from_start) = if s.run < 0 {
                        ((s.run - 1).max(-off_cap), s.from_start)
                    } else if s.run == 0 {
                        (-1, true)
                    } else {
                        (-1, false)
                    };
                    push(
                        next,
                        State {
                            last_end: relevant(s.last_end, d + 1),
                            run,
                            from_start,
                            ..s
                        },
                        l.cost,
                        Step {
                            parent: pi as u32,
                            choice: OFF,
                        },
                    );
                }
            }
            // A shift.
            if groups.is_empty() {
                continue;
            }
            if s.run > 0 && s.run as u32 >= a.max_consecutive {
                continue;
            }
            if s.run < 0 && !s.from_start && ((-s.run) as u32) < a.min_consecutive_off {
                continue;
            }
            let mut weekends = s.weekends;
            if track_weekends && weekend {
                let counted = a.weekday[d] == Weekday::Sun && d > 0 && s.run > 0;
                if !counted {
                    if u32::from(s.weekends) >= a.max_weekends {
                        continue;
                    }
                    weekends += 1;
                }
            }
            let mut wmask = s.wmask;
            if weekend && window != 0 {
                wmask |= 1;
                if let Some((work, _)) = a.rotation {
                    if wmask.count_ones() > work {
                        continue;
                    }
                }
            }
            let (run, from_start) = if s.run > 0 {
                (s.run + 1, s.from_start)
            } else {
                (1, s.run == 0)
            };
            for &(start, end, paid, k, x, sod) in &groups {
                let (lo, hi) = match a.start_spread {
                    Some(spread) => {
                        let (lo, hi) = if s.lo < 0 {
                            (sod, sod)
                        } else {
                            (s.lo.min(sod), s.hi.max(sod))
                        };
                        if hi - lo > spread {
                            continue;
                        }
                        (lo, hi)
                    }
                    None => (-1, -1),
                };
                if s.last_end != NONE && start - s.last_end < a.rest_minutes.max(0) {
                    continue;
                }
                let total = s.minutes.saturating_add(paid);
                if track_minutes && total > a.max_minutes {
                    continue;
                }
                let minutes = if track_minutes {
                    total
                } else {
                    total.min(a.min_minutes)
                };
                push(
                    next,
                    State {
                        last_end: relevant(end, d + 1),
                        run,
                        from_start,
                        minutes,
                        weekends,
                        lo,
                        hi,
                        wmask,
                    },
                    l.cost + x,
                    Step {
                        parent: pi as u32,
                        choice: k as u32,
                    },
                );
            }
            if held + next.len() > model.max_labels {
                return (Priced::TooLarge, held as u64);
            }
        }
        held += next.len();
        std::mem::swap(prev, next);
    }
    // The best final label.
    let mut best: Option<(usize, f64)> = None;
    for (i, l) in prev.iter().enumerate() {
        if l.state.minutes < a.min_minutes {
            continue;
        }
        let cost = if balance {
            l.cost + super::fairness::penalty(a, l.state.minutes, u32::from(l.state.weekends))
        } else {
            l.cost
        };
        if best.is_none_or(|(_, c)| cost < c) {
            best = Some((i, cost));
        }
    }
    let Some((mut at, total)) = best else {
        return (Priced::Infeasible, held as u64);
    };
    let mut out = vec![None; days];
    for d in (0..days).rev() {
        let l = &steps[day_at[d] + at];
        if l.choice != OFF {
            out[d] = Some(l.choice as usize);
        }
        at = l.parent as usize;
    }
    (Priced::Best(total, out), held as u64)
}
