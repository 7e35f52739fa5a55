//! Views of a coverage for blended (omnichannel) centres: the curve of each backlog queue
//! (work waiting, work done and late items per interval, from a fluid replay of the roster)
//! and the skill mix of the roster (agent hours per skill group, and per queue the share of
//! its agents that serve more than one queue).

/// One backlog queue's replay of the roster, per interval of the horizon.
///
/// The roster's agents able to serve the queue give it what they have left once the live
/// queues they also serve have their requirement (and the backlog queues served before it
/// have taken theirs); the queue's work is done first come first served through that
/// capacity (see `docs/planning.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct BacklogCurve {
    /// Index of the queue in [`Coverage::queues`](super::Coverage::queues).
    pub queue: usize,
    /// Deadline of an item, in intervals from the start of the interval it arrives in.
    pub deadline_intervals: usize,
    /// Scheduled agents the roster leaves the queue per interval (fractional: what the
    /// agents able to serve it have left).
    pub capacity: Vec<f64>,
    /// Handling hours of work done per interval.
    pub work_done_hours: Vec<f64>,
    /// Handling hours of work waiting at the interval's end.
    pub work_waiting_hours: Vec<f64>,
    /// Items waiting at the interval's end.
    pub items_waiting: Vec<f64>,
    /// The deadline line: the most items that may wait at the interval's end with none of
    /// them late (the items that arrived in the last `deadline_intervals` intervals).
    pub items_allowed: Vec<f64>,
    /// Items whose deadline fell at the interval's end and that were still waiting then.
    pub late_items: Vec<f64>,
}

/// One skill group of a roster: the shifts of one template at one site.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillGroup {
    /// Site.
    pub site: String,
    /// Template.
    pub template: String,
    /// Queues its agents serve, in priority order.
    pub queues: Vec<String>,
    /// Agent hours worked over the horizon (on shift and not on a break, inside the
    /// horizon).
    pub agent_hours: f64,
}

/// The skill mix of a roster.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillMix {
    /// Skill groups with at least one shift in the roster, in the scenario's template order.
    pub groups: Vec<SkillGroup>,
    /// Per queue (coverage order): of the agent-intervals the coverage gives the queue
    /// (`scheduled`, summed over the horizon), the share given by agents who serve more than
    /// one queue; `None` when the queue got none.
    pub multi_skill_share: Vec<Option<f64>>,
}
