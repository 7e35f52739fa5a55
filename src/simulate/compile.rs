//! The model in the form the event loop reads: rates per second, skill orders, and one
//! sorted timeline of everything known in advance (interval ends, agents' segment starts
//! and ends), built once and shared by every replication.

use super::model::{HandleTime, Patience, ReplayContact, SegmentEnd, SimModel, SimOptions};

/// What a static timeline entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum StaticKind {
    /// Interval `id` ends.
    IntervalEnd,
    /// Agent `id` stops taking contacts (a break or the shift's end).
    SegmentEnd,
    /// Agent `id` starts taking contacts.
    SegmentStart,
}

/// One entry of the static timeline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StaticEvent {
    pub t: f64,
    pub kind: StaticKind,
    pub id: u32,
    /// For a segment end: what follows it.
    pub then: SegmentEnd,
    /// For a segment end: seconds until the agent's next segment.
    pub gap: f64,
}

/// One queue, compiled.
#[derive(Debug, Clone)]
pub(crate) struct QueueInfo<'m> {
    pub concurrency: u32,
    /// Served in time if the wait is at most this (infinite: no threshold).
    pub threshold: f64,
    /// Backlog deadline in seconds (infinite for live queues).
    pub deadline: f64,
    pub backlog: bool,
    /// Arrivals per second in each interval.
    pub rate: Vec<f64>,
    pub aht: &'m [f64],
    pub handle: HandleTime,
    pub patience: Patience,
    pub replay: Option<&'m [ReplayContact]>,
}

/// The whole model, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Compiled<'m> {
    pub n: usize,
    pub period: f64,
    pub end: f64,
    pub queues: Vec<QueueInfo<'m>>,
    /// Per agent: queues in the order a freed agent looks at them.
    pub order: Vec<Vec<u32>>,
    /// Per agent: seconds on duty inside the horizon.
    pub duty: Vec<f64>,
    pub timeline: Vec<StaticEvent>,
}

impl<'m> Compiled<'m> {
    /// Compiles a validated model.
    pub fn new(m: &'m SimModel, o: &SimOptions) -> Self {
        let n = m.horizon.len();
        let period = m.horizon.interval_minutes() as f64 * 60.0;
        let end = n as f64 * period;
        let queues = m
            .queues
            .iter()
            .map(|q| QueueInfo {
                concurrency: q.concurrency(),
                threshold: q.threshold_seconds().unwrap_or(f64::INFINITY),
                deadline: match q.channel {
                    crate::demand::Channel::Backlog { deadline_minutes } => {
                        deadline_minutes as f64 * 60.0
                    }
                    _ => f64::INFINITY,
                },
                backlog: q.is_backlog(),
                rate: q.volume.iter().map(|v| v / period).collect(),
                aht: &q.aht_seconds,
                handle: q.handle,
                patience: if q.is_backlog() {
                    Patience::None
                } else {
                    q.patience
                },
                replay: q.replay.as_deref(),
            })
            .collect::<Vec<_>>();
        let mut order = Vec::with_capacity(m.agents.len());
        let mut duty = Vec::with_capacity(m.agents.len());
        let mut timeline: Vec<StaticEvent> = (0..n)
            .map(|i| StaticEvent {
                t: (i + 1) as f64 * period,
                kind: StaticKind::IntervalEnd,
                id: i as u32,
                then: SegmentEnd::ShiftEnd,
                gap: 0.0,
            })
            .collect();
        for (k, a) in m.agents.iter().enumerate() {
            let mut skills = a.skills.clone();
            skills.sort_by_key(|s| {
                let deferred = o.live_first && m.queues[s.queue].is_backlog();
                (deferred, s.priority, s.queue)
            });
            order.push(skills.iter().map(|s| s.queue as u32).collect());
            let mut on = 0.0;
            for (j, s) in a.segments.iter().enumerate() {
                let (start, stop) = (s.start.max(0.0), s.end.min(end));
                if start >= stop {
                    continue;
                }
                on += stop - start;
                let next = a.segments.get(j + 1).map_or(f64::INFINITY, |x| x.start);
                timeline.push(StaticEvent {
                    t: start,
                    kind: StaticKind::SegmentStart,
                    id: k as u32,
                    then: SegmentEnd::ShiftEnd,
                    gap: 0.0,
                });
                timeline.push(StaticEvent {
                    t: stop,
                    kind: StaticKind::SegmentEnd,
                    id: k as u32,
                    then: if stop == s.end {
                        s.then
                    } else {
                        SegmentEnd::ShiftEnd
                    },
                    gap: next - s.end,
                });
            }
            duty.push(on);
        }
        timeline.sort_by(|a, b| {
            a.t.total_cmp(&b.t)
                .then(a.kind.cmp(&b.kind))
                .then(a.id.cmp(&b.id))
        });
        Compiled {
            n,
            period,
            end,
            queues,
            order,
            duty,
            timeline,
        }
    }

    /// The interval holding instant `t` (clamped to the grid).
    #[inline]
    pub fn interval_of(&self, t: f64) -> usize {
        ((t / self.period) as usize).min(self.n - 1)
    }
}
