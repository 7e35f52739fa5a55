//! One replication: a binary-heap event loop over compact events, merged with the static
//! timeline (interval ends, segment starts and ends).
//!
//! * Heap events are 16 bytes: a time and a code (an arrival of queue `q`, or the end of a
//!   session of agent `a`; an agent serves one queue at a time, so the agent names it).
//! * Idle agents wait in one FIFO per queue, pushed when they become free, so the front is
//!   the agent idle the longest. An agent with several skills sits in each of its queues'
//!   FIFOs; an entry carries the agent's epoch at push time and is skipped when the agent
//!   has changed since (taken work, gone on break), so no FIFO is ever scanned.
//! * Waiting contacts sit in one FIFO per queue. Abandonment needs no event: a contact's
//!   abandonment instant is drawn on arrival, and contacts whose instant has passed are
//!   counted as abandoned (at that instant) when they reach the front or at the horizon end.
//! * Nothing is allocated per event: heaps and FIFOs keep their capacity.

use super::compile::{Compiled, StaticKind};
use super::model::{HandleTime, Patience, SegmentEnd};
use super::random::Stream;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Counters of one queue and interval in one replication (contacts by arrival interval,
/// agent time by the interval it was spent in).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cell {
    pub offered: u32,
    pub answered: u32,
    pub abandoned: u32,
    pub within: u32,
    pub delayed: u32,
    pub still_waiting: u32,
    pub late: u32,
    pub backlog_end: u32,
    pub overdue_end: u32,
    /// Seconds in queue of every offered contact (to answer, abandonment or horizon end).
    pub wait_sum: f64,
    /// Agent-seconds spent handling contacts of this queue.
    pub busy: f64,
    /// Agent-seconds on duty and free to take a contact of this queue.
    pub idle: f64,
}

/// Everything one replication measured.
#[derive(Debug, Clone)]
pub(crate) struct RepResult {
    /// `cells[q * n + i]`.
    pub cells: Vec<Cell>,
    /// Per agent: busy agent-seconds, break seconds lost to contacts in progress, seconds
    /// worked past the shift end.
    pub agent_busy: Vec<f64>,
    pub lost_break: Vec<f64>,
    pub overtime: Vec<f64>,
    /// Seconds of time off the phones (shrinkage) lost the same way.
    pub late_off_phone: Vec<f64>,
    /// Per queue: integral of the number waiting over time (for Little's law).
    pub queue_area: Vec<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Ev {
    t: f64,
    code: u32,
}

const ARRIVAL: u32 = 1 << 31;

impl PartialEq for Ev {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ev {}
impl PartialOrd for Ev {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Ev {
    /// Reversed: the heap's top is the earliest event (ties by code, for determinism).
    fn cmp(&self, o: &Self) -> Ordering {
        o.t.total_cmp(&self.t).then(o.code.cmp(&self.code))
    }
}

#[derive(Debug, Clone, Copy)]
struct Waiting {
    arrival: f64,
    abandon_at: f64,
    handle: f64,
    interval: u32,
}

#[derive(Debug, Clone, Copy)]
struct Agent {
    on_duty: bool,
    sessions: u32,
    limit: u32,
    serving: u32,
    epoch: u32,
    /// Last instant its idle time was accounted.
    last: f64,
    busy_until: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct QueueState {
    /// Entries in the waiting FIFO (some may have abandoned already).
    count: u32,
    last: f64,
    area: f64,
    next_replay: usize,
}

/// The state of one replication.
pub(crate) struct Engine<'c, 'm> {
    c: &'c Compiled<'m>,
    rng: Stream,
    heap: BinaryHeap<Ev>,
    agents: Vec<Agent>,
    idle: Vec<VecDeque<(u32, u32)>>,
    waiting: Vec<VecDeque<Waiting>>,
    qs: Vec<QueueState>,
    out: RepResult,
}

impl<'c, 'm> Engine<'c, 'm> {
    /// A fresh replication with its random stream.
    pub fn new(c: &'c Compiled<'m>, rng: Stream) -> Self {
        let nq = c.queues.len();
        let na = c.order.len();
        Engine {
            c,
            rng,
            heap: BinaryHeap::with_capacity(na + nq + 16),
            agents: vec![
                Agent {
                    on_duty: false,
                    sessions: 0,
                    limit: 1,
                    serving: 0,
                    epoch: 0,
                    last: 0.0,
                    busy_until: 0.0,
                };
                na
            ],
            idle: vec![VecDeque::new(); nq],
            waiting: vec![VecDeque::new(); nq],
            qs: vec![QueueState::default(); nq],
            out: RepResult {
                cells: vec![Cell::default(); nq * c.n],
                agent_busy: vec![0.0; na],
                lost_break: vec![0.0; na],
                overtime: vec![0.0; na],
                late_off_phone: vec![0.0; na],
                queue_area: vec![0.0; nq],
            },
        }
    }

    /// Plays the horizon and returns what was measured.
    pub fn run(mut self) -> RepResult {
        let c = self.c;
        for q in 0..c.queues.len() {
            self.schedule_arrival(q, 0.0);
        }
        let mut si = 0;
        loop {
            let ts = c.timeline.get(si).map_or(f64::INFINITY, |e| e.t);
            let td = self.heap.peek().map_or(f64::INFINITY, |e| e.t);
            if ts <= td {
                if ts > c.end {
                    break;
                }
                let e = c.timeline[si];
                si += 1;
                match e.kind {
                    StaticKind::IntervalEnd => self.interval_end(e.id as usize, e.t),
                    StaticKind::SegmentEnd => self.segment_end(e.id as usize, e.t, e.then, e.gap),
                    StaticKind::SegmentStart => self.segment_start(e.id as usize, e.t),
                }
            } else {
                if td >= c.end {
                    break;
                }
                let Some(e) = self.heap.pop() else { break };
                if e.code & ARRIVAL != 0 {
                    self.arrival((e.code & !ARRIVAL) as usize, e.t);
                } else {
                    self.session_end(e.code as usize, e.t);
                }
            }
        }
        self.finish();
        self.out
    }

    fn cell(&mut self, q: usize, i: usize) -> &mut Cell {
        &mut self.out.cells[q * self.c.n + i]
    }

    /// Adds `rate` per second over `[from, to)` (clipped to the horizon) to the busy
    /// (`busy = true`) or idle time of queue `q`, interval by interval.
    fn spread(&mut self, q: usize, from: f64, to: f64, rate: f64, busy: bool) {
        let c = self.c;
        let to = to.min(c.end);
        if to <= from || rate == 0.0 {
            return;
        }
        let mut i = c.interval_of(from);
        let mut t = from;
        while t < to && i < c.n {
            let stop = ((i + 1) as f64 * c.period).min(to);
            let cell = &mut self.out.cells[q * c.n + i];
            if busy {
                cell.busy += rate * (stop - t);
            } else {
                cell.idle += rate * (stop - t);
            }
            t = stop;
            i += 1;
        }
    }

    /// Accounts agent `a`'s free capacity from its last change to `now`.
    fn account(&mut self, a: usize, now: f64) {
        let st = self.agents[a];
        if st.on_duty && now > st.last {
            if st.sessions == 0 {
                for k in 0..self.c.order[a].len() {
                    let q = self.c.order[a][k] as usize;
                    self.spread(q, st.last, now, 1.0, false);
                }
            } else if st.sessions < st.limit {
                let free = (st.limit - st.sessions) as f64 / st.limit as f64;
                self.spread(st.serving as usize, st.last, now, free, false);
            }
        }
        self.agents[a].last = now;
    }

    fn schedule_arrival(&mut self, q: usize, from: f64) {
        let c = self.c;
        let qi = &c.queues[q];
        let t = match qi.replay {
            Some(r) => r
                .get(self.qs[q].next_replay)
                .map_or(f64::INFINITY, |x| x.at_seconds),
            None => {
                let mut t = from;
                loop {
                    let i = (t / c.period) as usize;
                    if i >= c.n {
                        break f64::INFINITY;
                    }
                    let stop = (i + 1) as f64 * c.period;
                    let rate = qi.rate[i];
                    if rate > 0.0 {
                        let x = t + self.rng.exponential(1.0 / rate);
                        if x < stop {
                            break x;
                        }
                    }
                    t = stop;
                }
            }
        };
        if t < c.end {
            self.heap.push(Ev {
                t,
                code: ARRIVAL | q as u32,
            });
        }
    }

    fn arrival(&mut self, q: usize, now: f64) {
        let c = self.c;
        let qi = &c.queues[q];
        let i = c.interval_of(now);
        let mean = qi.aht[i];
        let (logged_handle, logged_patience) = match qi.replay {
            Some(r) => {
                let k = self.qs[q].next_replay;
                self.qs[q].next_replay += 1;
                r.get(k).map_or((None, None), |x| {
                    (x.handle_seconds, x.abandoned_after_seconds)
                })
            }
            None => (None, None),
        };
        let handle = match (qi.handle, logged_handle) {
            (HandleTime::Replayed, Some(h)) => h,
            (HandleTime::LogNormal { cv }, _) => self.rng.lognormal(mean, cv),
            _ => self.rng.exponential(mean),
        };
        let patience = match qi.patience {
            Patience::None => f64::INFINITY,
            Patience::Exponential { mean_seconds } => self.rng.exponential(mean_seconds),
            Patience::Replayed => logged_patience.unwrap_or(f64::INFINITY),
        };
        self.schedule_arrival(q, now);
        self.cell(q, i).offered += 1;
        let w = Waiting {
            arrival: now,
            abandon_at: now + patience,
            handle,
            interval: i as u32,
        };
        if let Some(a) = self.pop_idle(q) {
            self.start(a, q, w, now);
            self.make_available(a);
        } else {
            self.queue_change(q, now, 1);
            self.waiting[q].push_back(w);
        }
    }

    fn queue_change(&mut self, q: usize, now: f64, up: i32) {
        let s = &mut self.qs[q];
        s.area += s.count as f64 * (now - s.last);
        s.last = now;
        s.count = (s.count as i64 + up as i64).max(0) as u32;
    }

    fn valid(&self, a: usize, epoch: u32, q: usize) -> bool {
        let st = &self.agents[a];
        st.epoch == epoch
            && st.on_duty
            && (st.sessions == 0 || (st.serving as usize == q && st.sessions < st.limit))
    }

    fn pop_idle(&mut self, q: usize) -> Option<usize> {
        while let Some((a, e)) = self.idle[q].pop_front() {
            if self.valid(a as usize, e, q) {
                return Some(a as usize);
            }
        }
        None
    }

    /// Puts agent `a` (on duty, with free capacity) at the back of the idle FIFOs it can
    /// take work from now. Entries made before are void.
    fn make_available(&mut self, a: usize) {
        let st = self.agents[a];
        if !st.on_duty || st.sessions >= st.limit {
            return;
        }
        let epoch = st.epoch.wrapping_add(1);
        self.agents[a].epoch = epoch;
        if st.sessions == 0 {
            for k in 0..self.c.order[a].len() {
                let q = self.c.order[a][k] as usize;
                self.push_idle(q, a, epoch);
            }
        } else {
            self.push_idle(st.serving as usize, a, epoch);
        }
    }

    fn push_idle(&mut self, q: usize, a: usize, epoch: u32) {
        // Void entries pile up in a FIFO whose queue gets no contacts: drop them now and
        // then, so memory stays proportional to the number of agents.
        if self.idle[q].len() >= 4 * self.agents.len() + 64 {
            let agents = std::mem::take(&mut self.idle[q]);
            let mut kept = agents;
            kept.retain(|&(b, e)| self.valid(b as usize, e, q));
            self.idle[q] = kept;
        }
        self.idle[q].push_back((a as u32, epoch));
    }

    /// Agent `a` starts handling contact `w` of queue `q` at `now`.
    fn start(&mut self, a: usize, q: usize, w: Waiting, now: f64) {
        self.account(a, now);
        let qi = &self.c.queues[q];
        let (conc, threshold, deadline) = (qi.concurrency, qi.threshold, qi.deadline);
        let st = &mut self.agents[a];
        if st.sessions == 0 {
            st.serving = q as u32;
            st.limit = conc;
        }
        st.sessions += 1;
        let end = now + w.handle;
        st.busy_until = st.busy_until.max(end);
        self.heap.push(Ev {
            t: end,
            code: a as u32,
        });
        let wait = now - w.arrival;
        let cell = self.cell(q, w.interval as usize);
        cell.answered += 1;
        cell.wait_sum += wait;
        if wait <= threshold {
            cell.within += 1;
        }
        if wait > 0.0 {
            cell.delayed += 1;
        }
        if wait > deadline {
            cell.late += 1;
        }
        let rate = 1.0 / conc as f64;
        self.spread(q, now, end, rate, true);
        self.out.agent_busy[a] += rate * (end.min(self.c.end) - now);
    }

    /// Drops abandoned contacts from the front of queue `q`; whether one is left waiting.
    fn front_alive(&mut self, q: usize, now: f64) -> bool {
        while let Some(&w) = self.waiting[q].front() {
            if w.abandon_at > now {
                return true;
            }
            self.waiting[q].pop_front();
            self.abandon(q, w, now);
        }
        false
    }

    fn abandon(&mut self, q: usize, w: Waiting, now: f64) {
        self.queue_change(q, now, -1);
        // The contact left at `abandon_at`, not when it was found.
        self.qs[q].area -= now - w.abandon_at;
        let cell = self.cell(q, w.interval as usize);
        cell.abandoned += 1;
        cell.delayed += 1;
        cell.wait_sum += w.abandon_at - w.arrival;
    }

    /// Agent `a` (on duty) takes waiting work while it has room, then waits for more.
    fn pull(&mut self, a: usize, now: f64) {
        loop {
            let st = self.agents[a];
            if !st.on_duty || st.sessions >= st.limit {
                return;
            }
            let mut taken = false;
            if st.sessions == 0 {
                for k in 0..self.c.order[a].len() {
                    let q = self.c.order[a][k] as usize;
                    if self.front_alive(q, now) {
                        self.take(a, q, now);
                        taken = true;
                        break;
                    }
                }
            } else {
                let q = st.serving as usize;
                if self.front_alive(q, now) {
                    self.take(a, q, now);
                    taken = true;
                }
            }
            if !taken {
                self.make_available(a);
                return;
            }
        }
    }

    fn take(&mut self, a: usize, q: usize, now: f64) {
        if let Some(w) = self.waiting[q].pop_front() {
            self.queue_change(q, now, -1);
            self.start(a, q, w, now);
        }
    }

    fn session_end(&mut self, a: usize, now: f64) {
        self.account(a, now);
        let st = &mut self.agents[a];
        st.sessions = st.sessions.saturating_sub(1);
        if st.sessions == 0 {
            st.limit = 1;
        }
        if st.on_duty {
            self.pull(a, now);
        }
    }

    fn segment_start(&mut self, a: usize, now: f64) {
        let st = &mut self.agents[a];
        st.on_duty = true;
        st.last = now;
        self.pull(a, now);
    }

    fn segment_end(&mut self, a: usize, now: f64, then: SegmentEnd, gap: f64) {
        self.account(a, now);
        let st = &mut self.agents[a];
        st.on_duty = false;
        st.epoch = st.epoch.wrapping_add(1);
        if st.sessions > 0 {
            let overrun = (st.busy_until.min(self.c.end) - now).max(0.0);
            let lost = overrun.min(gap);
            match then {
                SegmentEnd::Break => self.out.lost_break[a] += lost,
                SegmentEnd::OffPhone => self.out.late_off_phone[a] += lost,
                SegmentEnd::ShiftEnd => self.out.overtime[a] += overrun,
            }
        }
    }

    fn interval_end(&mut self, i: usize, now: f64) {
        for q in 0..self.c.queues.len() {
            let qi = &self.c.queues[q];
            if !qi.backlog {
                continue;
            }
            let deadline = qi.deadline;
            let w = &self.waiting[q];
            let len = w.len() as u32;
            let overdue = w.partition_point(|x| x.arrival + deadline < now) as u32;
            let cell = self.cell(q, i);
            cell.backlog_end = len;
            cell.overdue_end = overdue;
        }
    }

    /// At the horizon end: idle time up to the end, and every contact still in a FIFO
    /// either abandoned (its instant has passed) or still waiting.
    fn finish(&mut self) {
        let end = self.c.end;
        for a in 0..self.agents.len() {
            self.account(a, end);
        }
        for q in 0..self.c.queues.len() {
            let deadline = self.c.queues[q].deadline;
            self.queue_change(q, end, 0);
            while let Some(w) = self.waiting[q].pop_front() {
                if w.abandon_at <= end {
                    self.abandon(q, w, end);
                } else {
                    self.queue_change(q, end, -1);
                    let cell = self.cell(q, w.interval as usize);
                    cell.still_waiting += 1;
                    cell.delayed += 1;
                    cell.wait_sum += end - w.arrival;
                    if end - w.arrival > deadline {
                        cell.late += 1;
                    }
                }
            }
            self.out.queue_area[q] = self.qs[q].area;
        }
    }
}
