//! What a simulation plays: queues (channel, arrivals, handle and patience laws), agents
//! (working segments and skills) and the run options, with their validation.

use crate::demand::Channel;
use crate::error::{Error, Result};
use crate::time::Horizon;

/// How handle times are drawn. The mean is the queue's average handle time of the interval
/// in which the contact arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum HandleTime {
    /// Exponential (the Erlang assumption).
    Exponential,
    /// Lognormal with this coefficient of variation (standard deviation / mean, > 0).
    LogNormal {
        /// Coefficient of variation.
        cv: f64,
    },
    /// The replayed contact's own handle time; contacts without one (abandoned in the log)
    /// draw an exponential handle time with the interval's mean.
    Replayed,
}

/// How long a waiting contact stays before it abandons.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Patience {
    /// Nobody abandons.
    None,
    /// Exponential with this mean in seconds (the Erlang A assumption).
    Exponential {
        /// Mean patience, seconds (> 0).
        mean_seconds: f64,
    },
    /// A replayed contact that abandoned in the log abandons after the wait it had there;
    /// one that was served waits as long as needed (its patience is unknown, only bounded
    /// below by its wait).
    Replayed,
}

/// One contact of a replayed log, on the simulation's clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplayContact {
    /// Arrival, seconds after the horizon start.
    pub at_seconds: f64,
    /// Handle time in the log, seconds, if known.
    pub handle_seconds: Option<f64>,
    /// The wait after which the contact abandoned in the log, if it abandoned.
    pub abandoned_after_seconds: Option<f64>,
}

/// One queue as the simulator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimQueue {
    /// Queue name.
    pub name: String,
    /// Voice, chat (`concurrency` sessions per agent) or backlog (items keep until worked).
    pub channel: Channel,
    /// Contacts expected per interval: the rate of the Poisson arrivals (piecewise constant
    /// over each interval). Ignored for arrivals when `replay` is given.
    pub volume: Vec<f64>,
    /// Mean handle time per interval, seconds (> 0 where the queue has contacts).
    pub aht_seconds: Vec<f64>,
    /// Service-level threshold in seconds (answered within it counts as in time); `None`:
    /// no target. For backlog queues the threshold is the deadline.
    pub within_seconds: Option<f64>,
    /// Handle-time law.
    pub handle: HandleTime,
    /// Patience law (backlog items never abandon).
    pub patience: Patience,
    /// Contacts to replay instead of Poisson arrivals, sorted by arrival.
    pub replay: Option<Vec<ReplayContact>>,
}

impl SimQueue {
    /// Sessions an agent can hold at once on this queue.
    pub fn concurrency(&self) -> u32 {
        match self.channel {
            Channel::Chat { concurrency } => concurrency,
            _ => 1,
        }
    }

    /// Whether the queue holds deferrable work.
    pub fn is_backlog(&self) -> bool {
        matches!(self.channel, Channel::Backlog { .. })
    }

    /// The seconds within which a contact counts as served in time: the deadline for
    /// backlog work, the service-level threshold otherwise.
    pub fn threshold_seconds(&self) -> Option<f64> {
        match self.channel {
            Channel::Backlog { deadline_minutes } => Some(deadline_minutes as f64 * 60.0),
            _ => self.within_seconds,
        }
    }
}

/// A skill of an agent: a queue it serves and its priority (0 is the highest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimSkill {
    /// Queue index.
    pub queue: usize,
    /// Priority: a freed agent looks at its skills in increasing priority number.
    pub priority: u32,
}

/// A stretch of time in which an agent takes contacts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Start, seconds after the horizon start.
    pub start: f64,
    /// End, seconds after the horizon start.
    pub end: f64,
    /// What follows the segment.
    pub then: SegmentEnd,
}

/// What ends a working segment: what the time an agent spends finishing a contact in
/// progress past the segment's end is reported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SegmentEnd {
    /// A break: lost break time.
    Break,
    /// The shift's end: overtime.
    ShiftEnd,
    /// Time off the phones (shrinkage: meetings, coaching): late off the phones.
    OffPhone,
}

/// An agent: name, skills and working segments (shifts less breaks), in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct SimAgent {
    /// Name, as in the roster.
    pub name: String,
    /// Queues served, with priorities.
    pub skills: Vec<SimSkill>,
    /// Working segments, in time order, not overlapping.
    pub segments: Vec<Segment>,
}

/// Everything one simulation plays.
#[derive(Debug, Clone, PartialEq)]
pub struct SimModel {
    /// The grid results are reported on; the simulation runs from its start to its end.
    pub horizon: Horizon,
    /// Queues.
    pub queues: Vec<SimQueue>,
    /// Agents.
    pub agents: Vec<SimAgent>,
}

/// How to run the replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimOptions {
    /// Independent replications (at least 1).
    pub replications: u32,
    /// Seed: the same seed gives the same numbers on every machine and thread count.
    pub seed: u64,
    /// A freed agent takes live work (voice, chat) before backlog work whatever the
    /// priorities (default `true`); `false`: skill priorities alone decide.
    pub live_first: bool,
    /// Worker threads; 0 uses every core.
    pub threads: usize,
    /// For steady-state studies: the first intervals are played but left out of the
    /// totals (per-queue and overall figures), so that the empty start does not count.
    pub warm_up_intervals: usize,
    /// Likewise the last intervals: contacts arriving then may still wait at the end.
    pub cool_down_intervals: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            replications: 20,
            seed: 1,
            live_first: true,
            threads: 0,
            warm_up_intervals: 0,
            cool_down_intervals: 0,
        }
    }
}

/// Most contacts one replication may play (expected, or replayed): a bound on time and
/// memory (every contact may wait at once when nobody is on duty).
pub const MAX_CONTACTS: f64 = 50_000_000.0;

fn positive(field: String, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("must be a finite number > 0, got {v}"),
        ))
    }
}

impl SimModel {
    /// Checks every value a run relies on; errors name the field.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `replications` when 0 or above
    /// [`crate::limits::MAX_REPLICATIONS`]; `warm_up_intervals` when warm-up and
    /// cool-down leave no interval; `queues` when there is none or a replication would play more
    /// than [`MAX_CONTACTS`] contacts; for queue `q`, `queues[q] (NAME).volume` when the series
    /// lengths differ from the horizon's, `.channel.concurrency` when 0 or above 1000,
    /// `.channel.deadline_minutes` when 0, `.volume[i]` when negative or not finite,
    /// `.aht_seconds[i]` when not above 0 where there is volume (or where a replayed contact's
    /// handle time is drawn with it), `.within_seconds` when negative or not finite, `.handle.cv`
    /// or `.patience_seconds` when not a finite number above 0 (`.handle.cv` also above
    /// [`crate::limits::MAX_HANDLE_CV`]), `.replay[k].at_seconds` when
    /// outside the horizon or out of order, `.replay[k].handle_seconds` or
    /// `.replay[k].abandoned_after_seconds` when negative or not finite; for agent `k`, `agents[k]
    /// (NAME).skills` when empty, `.skills[j].queue` when the queue does not exist or is given
    /// twice, `.segments[j]` when empty or not after the previous segment.
    pub fn validate(&self, options: &SimOptions) -> Result<()> {
        if options.replications == 0 {
            return Err(Error::invalid("replications", "must be at least 1, got 0"));
        }
        if options.replications > crate::limits::MAX_REPLICATIONS {
            return Err(Error::invalid(
                "replications",
                format!(
                    "must be at most {} (the input limit), got {}",
                    crate::limits::MAX_REPLICATIONS,
                    options.replications
                ),
            ));
        }
        let n = self.horizon.len();
        if options
            .warm_up_intervals
            .saturating_add(options.cool_down_intervals)
            >= n
        {
            return Err(Error::invalid(
                "warm_up_intervals",
                format!(
                    "warm-up ({}) and cool-down ({}) intervals leave none of the {n} to measure",
                    options.warm_up_intervals, options.cool_down_intervals
                ),
            ));
        }
        let end = n as f64 * self.horizon.interval_minutes() as f64 * 60.0;
        if self.queues.is_empty() {
            return Err(Error::invalid("queues", "at least one queue is needed"));
        }
        for (q, s) in self.queues.iter().enumerate() {
            let f = |x: &str| format!("queues[{q}] ({}).{x}", s.name);
            if s.volume.len() != n || s.aht_seconds.len() != n {
                return Err(Error::invalid(
                    f("volume"),
                    format!(
                        "volume has {} and aht_seconds {} values; the horizon has {n} intervals",
                        s.volume.len(),
                        s.aht_seconds.len()
                    ),
                ));
            }
            match s.channel {
                Channel::Chat { concurrency: 0 } => {
                    return Err(Error::invalid(
                        f("channel.concurrency"),
                        "must be at least 1",
                    ))
                }
                Channel::Chat { concurrency } if concurrency > 1000 => {
                    return Err(Error::invalid(
                        f("channel.concurrency"),
                        format!("must be at most 1000, got {concurrency}"),
                    ))
                }
                Channel::Backlog {
                    deadline_minutes: 0,
                } => return Err(Error::invalid(f("channel.deadline_minutes"), "must be > 0")),
                _ => {}
            }
            for (i, (&v, &a)) in s.volume.iter().zip(&s.aht_seconds).enumerate() {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::invalid(
                        f(&format!("volume[{i}]")),
                        format!("must be a finite number >= 0, got {v}"),
                    ));
                }
                if v > 0.0 && !(a.is_finite() && a > 0.0) {
                    return Err(Error::invalid(
                        f(&format!("aht_seconds[{i}]")),
                        format!("must be a finite number > 0 where volume > 0, got {a}"),
                    ));
                }
            }
            if let Some(w) = s.within_seconds {
                if !w.is_finite() || w < 0.0 {
                    return Err(Error::invalid(
                        f("within_seconds"),
                        format!("must be a finite number >= 0, got {w}"),
                    ));
                }
            }
            if let HandleTime::LogNormal { cv } = s.handle {
                positive(f("handle.cv"), cv)?;
                if cv > crate::limits::MAX_HANDLE_CV {
                    return Err(Error::invalid(
                        f("handle.cv"),
                        format!(
                            "must be at most {} (the input limit), got {}",
                            crate::limits::MAX_HANDLE_CV,
                            crate::limits::show(cv)
                        ),
                    ));
                }
            }
            if let Patience::Exponential { mean_seconds } = s.patience {
                positive(f("patience_seconds"), mean_seconds)?;
            }
            if let Some(r) = &s.replay {
                validate_replay(&f("replay"), r, end)?;
                let period = self.horizon.interval_minutes() as f64 * 60.0;
                for (k, c) in r.iter().enumerate() {
                    let drawn = c.handle_seconds.is_none() || s.handle != HandleTime::Replayed;
                    let i = ((c.at_seconds / period) as usize).min(n - 1);
                    let a = s.aht_seconds[i];
                    if drawn && !(a.is_finite() && a > 0.0) {
                        return Err(Error::invalid(
                            f(&format!("aht_seconds[{i}]")),
                            format!(
                                "must be > 0: replayed contact {k} arrives in this interval and \
                                 its handle time is drawn with this mean"
                            ),
                        ));
                    }
                }
            }
        }
        let expected: f64 = self
            .queues
            .iter()
            .map(|q| match &q.replay {
                Some(r) => r.len() as f64,
                None => q.volume.iter().sum::<f64>(),
            })
            .sum();
        if expected > MAX_CONTACTS {
            return Err(Error::invalid(
                "queues",
                format!(
                    "{expected:.0} contacts per replication; the simulator plays at most \
                     {MAX_CONTACTS:.0} (split the horizon)"
                ),
            ));
        }
        for (k, a) in self.agents.iter().enumerate() {
            let f = |x: &str| format!("agents[{k}] ({}).{x}", a.name);
            if a.skills.is_empty() {
                return Err(Error::invalid(f("skills"), "at least one skill is needed"));
            }
            for (j, s) in a.skills.iter().enumerate() {
                if s.queue >= self.queues.len() {
                    return Err(Error::invalid(
                        f(&format!("skills[{j}].queue")),
                        format!("queue {} does not exist", s.queue),
                    ));
                }
                if a.skills[..j].iter().any(|o| o.queue == s.queue) {
                    return Err(Error::invalid(
                        f(&format!("skills[{j}].queue")),
                        format!("queue {} given twice", s.queue),
                    ));
                }
            }
            let mut prev = f64::NEG_INFINITY;
            for (j, s) in a.segments.iter().enumerate() {
                if !(s.start.is_finite() && s.end.is_finite() && s.start < s.end) || s.start < prev
                {
                    return Err(Error::invalid(
                        f(&format!("segments[{j}]")),
                        format!(
                            "{}..{} s must be a non-empty span after the previous segment",
                            s.start, s.end
                        ),
                    ));
                }
                prev = s.end;
            }
        }
        Ok(())
    }
}

fn validate_replay(field: &str, r: &[ReplayContact], end: f64) -> Result<()> {
    let mut prev = 0.0;
    for (k, c) in r.iter().enumerate() {
        if !c.at_seconds.is_finite() || c.at_seconds < 0.0 || c.at_seconds >= end {
            return Err(Error::invalid(
                format!("{field}[{k}].at_seconds"),
                format!("{} s is outside the horizon (0 .. {end} s)", c.at_seconds),
            ));
        }
        if c.at_seconds < prev {
            return Err(Error::invalid(
                format!("{field}[{k}].at_seconds"),
                format!(
                    "contacts must be sorted by arrival ({} s comes after {prev} s)",
                    c.at_seconds
                ),
            ));
        }
        prev = c.at_seconds;
        if let Some(h) = c.handle_seconds {
            if !h.is_finite() || h < 0.0 {
                return Err(Error::invalid(
                    format!("{field}[{k}].handle_seconds"),
                    format!("must be a finite number >= 0, got {h}"),
                ));
            }
        }
        if let Some(p) = c.abandoned_after_seconds {
            if !p.is_finite() || p < 0.0 {
                return Err(Error::invalid(
                    format!("{field}[{k}].abandoned_after_seconds"),
                    format!("must be a finite number >= 0, got {p}"),
                ));
            }
        }
    }
    Ok(())
}
