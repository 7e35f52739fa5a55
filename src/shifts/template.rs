//! Shift templates: the rules a scenario gives for one kind of shift.
//!
//! A [`ShiftTemplate`] says where (site) and for what (queue) a shift works, how long it is
//! paid, when it may start in the site's local time ([`StartWindow`]), which breaks it has
//! ([`BreakRule`]) and what it costs. Lengths, break lengths and break offsets are whole
//! multiples of the planning interval, so every shift starts, ends and breaks on the grid.

use crate::error::{Error, Result};
use crate::time::Horizon;
use chrono::Weekday;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the week, written `mon` .. `sun` in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// Every day, Monday first.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// The chrono weekday.
    pub fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// A local wall-clock time of day, `"HH:MM"` in files (`"00:00"` .. `"23:59"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime {
    minutes: u32,
}

impl ClockTime {
    /// `hour:minute`; `None` outside `00:00 ..= 23:59`.
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(ClockTime {
            minutes: hour * 60 + minute,
        })
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        self.minutes
    }
}

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        let bad = || format!("expected a local time \"HH:MM\" (00:00 to 23:59), got {s:?}");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        ClockTime::new(h, m).ok_or_else(bad)
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.to_string()
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

/// When a shift may start, in the site's local time: on each of `days`, at every
/// `start_step_minutes` of the template from `from` to `to`, both included.
///
/// A local start time that a daylight-saving gap skips gives no shift that day; one that a
/// fold repeats gives a shift at each of its two UTC instants (see [`crate::time`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartWindow {
    /// Weekdays on which the window applies, e.g. `["mon", "tue", "wed", "thu", "fri"]`.
    pub days: Vec<Day>,
    /// Earliest local start, `"HH:MM"`.
    pub from: ClockTime,
    /// Latest local start, `"HH:MM"` (included; not before `from`).
    pub to: ClockTime,
}

/// Where a break may start, in minutes after the shift starts (both included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakWindow {
    /// Earliest break start, minutes after shift start.
    pub from_minutes: u32,
    /// Latest break start, minutes after shift start.
    pub to_minutes: u32,
}

/// A break of a template: its length, whether it is paid, and its placement window.
/// The planner chooses the placement at interval granularity. An agent on break does not
/// count toward coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakRule {
    /// Label in reports (e.g. `"lunch"`); default empty.
    #[serde(default)]
    pub name: String,
    /// Length in minutes (a multiple of the interval).
    pub minutes: u32,
    /// Paid breaks count toward paid time; an unpaid lunch lengthens the shift instead.
    /// Default `false`.
    #[serde(default)]
    pub paid: bool,
    /// Placement window relative to the shift start.
    pub window: BreakWindow,
}

fn default_cost_per_paid_hour() -> f64 {
    1.0
}

fn default_true() -> bool {
    true
}

/// One skill of a multi-skill template: a queue its agents serve, and how urgently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// The queue served.
    pub queue: String,
    /// Routing priority, 1 = first: when several queues wait, the agent takes the one with
    /// the smallest number.
    pub priority: u32,
}

/// One kind of shift at one site, serving one queue (`queue`) or several (`skills`).
///
/// The shift's span (start to end) is `paid_minutes` plus its unpaid breaks. Its cost is
/// `cost_per_shift + cost_per_paid_hour * paid hours` (by default: paid hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplate {
    /// Unique name, used in reports.
    pub name: String,
    /// Name of the site whose local time the start windows use.
    pub site: String,
    /// The queue (skill) this shift serves. With `skills`, the scenario fills it in with
    /// the first skill of the smallest priority (the primary queue).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub queue: String,
    /// Several queues served by the same people, with priorities; exclusive with `queue`
    /// in a scenario file. Empty: the template serves `queue` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    /// Paid length in minutes (a multiple of the interval).
    pub paid_minutes: u32,
    /// Local start windows; at least one.
    pub start_windows: Vec<StartWindow>,
    /// Minutes between allowed starts inside a window; default: the interval length.
    #[serde(default)]
    pub start_step_minutes: Option<u32>,
    /// Breaks, placed in this order without overlap; default none.
    #[serde(default)]
    pub breaks: Vec<BreakRule>,
    /// Cost per paid hour; default 1.0 (the objective is then paid hours).
    #[serde(default = "default_cost_per_paid_hour")]
    pub cost_per_paid_hour: f64,
    /// Fixed cost per shift; default 0.
    #[serde(default)]
    pub cost_per_shift: f64,
    /// At least this many shifts of this template over the horizon; default none.
    #[serde(default)]
    pub min_count: Option<u32>,
    /// At most this many shifts of this template over the horizon; default none.
    #[serde(default)]
    pub max_count: Option<u32>,
    /// Whether a shift may end after local midnight of the day it starts; default `true`.
    #[serde(default = "default_true")]
    pub cross_midnight: bool,
}

impl ShiftTemplate {
    /// A template with the defaults: one start window, no breaks, cost = paid hours.
    pub fn new(
        name: impl Into<String>,
        site: impl Into<String>,
        queue: impl Into<String>,
        paid_minutes: u32,
        window: StartWindow,
    ) -> Self {
        ShiftTemplate {
            name: name.into(),
            site: site.into(),
            queue: queue.into(),
            skills: Vec::new(),
            paid_minutes,
            start_windows: vec![window],
            start_step_minutes: None,
            breaks: Vec::new(),
            cost_per_paid_hour: 1.0,
            cost_per_shift: 0.0,
            min_count: None,
            max_count: None,
            cross_midnight: true,
        }
    }

    /// The queues this template serves: its skills' queues in the order given, or `queue`
    /// alone.
    pub fn queues(&self) -> Vec<&str> {
        if self.skills.is_empty() {
            vec![self.queue.as_str()]
        } else {
            self.skills.iter().map(|s| s.queue.as_str()).collect()
        }
    }

    /// The primary queue: `queue`, or the first skill of the smallest priority number.
    pub fn primary_queue(&self) -> &str {
        self.skills
            .iter()
            .min_by_key(|s| s.priority)
            .map_or(self.queue.as_str(), |s| s.queue.as_str())
    }

    /// Whether this template serves queue `q`.
    pub fn serves(&self, q: &str) -> bool {
        if self.skills.is_empty() {
            self.queue == q
        } else {
            self.skills.iter().any(|s| s.queue == q)
        }
    }

    /// Its skills with priorities: `skills`, or `queue` at priority 1.
    pub fn skill_list(&self) -> Vec<Skill> {
        if self.skills.is_empty() {
            vec![Skill {
                queue: self.queue.clone(),
                priority: 1,
            }]
        } else {
            self.skills.clone()
        }
    }

    /// Minutes from start to end: paid minutes plus unpaid breaks.
    pub fn span_minutes(&self) -> u32 {
        self.breaks
            .iter()
            .filter(|b| !b.paid)
            .fold(self.paid_minutes, |acc, b| acc.saturating_add(b.minutes))
    }

    /// Cost of one shift of this template.
    pub fn shift_cost(&self) -> f64 {
        self.cost_per_shift + self.cost_per_paid_hour * self.paid_minutes as f64 / 60.0
    }

    /// Checks the template against the horizon's interval; `field` is its path, e.g.
    /// `templates[2]`. Errors name the offending field (`templates[2].breaks[0].window`).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `{field}.name` when empty; `{field}.paid_minutes` when 0, not a
    /// multiple of the interval or when the shift spans more than 48 hours; `{field}.start_windows`
    /// when there is none; `{field}.start_windows[i].days` when a window has no day, `.to` when it
    /// is before `from`, `.from` when not a multiple of the interval; `{field}.start_step_minutes`
    /// when 0 or not a multiple of the interval; `{field}.breaks[i].minutes` when 0 or not a
    /// multiple; `{field}.breaks[i].window` (or its `from_minutes`/`to_minutes`) when not a
    /// multiple of the interval, reversed, outside the shift or starting before the previous break
    /// ends; `{field}.cost_per_paid_hour` or `{field}.cost_per_shift` when not in `[0,
    /// `[`crate::limits::MAX_COST`]`]`; `{field}.min_count` when above `max_count`.
    pub fn validate(&self, field: &str, horizon: &Horizon) -> Result<()> {
        let m = horizon.interval_minutes();
        let multiple = |name: &str, v: u32| -> Result<()> {
            if v % m != 0 {
                return Err(Error::invalid(
                    format!("{field}.{name}"),
                    format!("must be a multiple of the {m}-minute interval, got {v}"),
                ));
            }
            Ok(())
        };
        if self.name.trim().is_empty() {
            return Err(Error::invalid(format!("{field}.name"), "must not be empty"));
        }
        if self.paid_minutes == 0 {
            return Err(Error::invalid(
                format!("{field}.paid_minutes"),
                "must be greater than zero",
            ));
        }
        multiple("paid_minutes", self.paid_minutes)?;
        if self.span_minutes() > 48 * 60 {
            return Err(Error::invalid(
                format!("{field}.paid_minutes"),
                "shift spans more than 48 hours",
            ));
        }
        if self.start_windows.is_empty() {
            return Err(Error::invalid(
                format!("{field}.start_windows"),
                "needs at least one start window",
            ));
        }
        for (i, w) in self.start_windows.iter().enumerate() {
            if w.days.is_empty() {
                return Err(Error::invalid(
                    format!("{field}.start_windows[{i}].days"),
                    "needs at least one day",
                ));
            }
            if w.to < w.from {
                return Err(Error::invalid(
                    format!("{field}.start_windows[{i}].to"),
                    format!("{} is before from ({})", w.to, w.from),
                ));
            }
            multiple(&format!("start_windows[{i}].from"), w.from.minutes())?;
        }
        if let Some(step) = self.start_step_minutes {
            if step == 0 {
                return Err(Error::invalid(
                    format!("{field}.start_step_minutes"),
                    "must be greater than zero",
                ));
            }
            multiple("start_step_minutes", step)?;
        }
        let span = self.span_minutes();
        let mut earliest_free = 0u32;
        for (i, b) in self.breaks.iter().enumerate() {
            let bf = format!("breaks[{i}]");
            if b.minutes == 0 {
                return Err(Error::invalid(
                    format!("{field}.{bf}.minutes"),
                    "must be greater than zero",
                ));
            }
            multiple(&format!("{bf}.minutes"), b.minutes)?;
            multiple(&format!("{bf}.window.from_minutes"), b.window.from_minutes)?;
            multiple(&format!("{bf}.window.to_minutes"), b.window.to_minutes)?;
            let wf = format!("{field}.{bf}.window");
            if b.window.to_minutes < b.window.from_minutes {
                return Err(Error::invalid(wf, "to_minutes is before from_minutes"));
            }
            if b.window.from_minutes == 0 || b.window.to_minutes.saturating_add(b.minutes) >= span {
                return Err(Error::invalid(
                    wf,
                    format!(
                        "a {}-minute break must start after the shift starts and end before \
                         it ends ({span}-minute span); window is {}..{} minutes",
                        b.minutes, b.window.from_minutes, b.window.to_minutes
                    ),
                ));
            }
            if b.window.to_minutes < earliest_free {
                return Err(Error::invalid(
                    wf,
                    "cannot start after the previous break ends (breaks are placed in order)",
                ));
            }
            earliest_free = b
                .window
                .from_minutes
                .max(earliest_free)
                .saturating_add(b.minutes);
        }
        for (name, value) in [
            ("cost_per_paid_hour", self.cost_per_paid_hour),
            ("cost_per_shift", self.cost_per_shift),
        ] {
            crate::limits::check_range(
                &format!("{field}.{name}"),
                value,
                0.0,
                crate::limits::MAX_COST,
                "",
            )?;
        }
        if let (Some(lo), Some(hi)) = (self.min_count, self.max_count) {
            if lo > hi {
                return Err(Error::invalid(
                    format!("{field}.min_count"),
                    format!("min_count {lo} is above max_count {hi}"),
                ));
            }
        }
        Ok(())
    }
}
