//! Checks of a roster given to `wfm evaluate`, so that what it counts is what a contact
//! centre could actually work.
//!
//! Each problem is a [`RosterWarning`] naming the file, the line and the rule:
//!
//! | rule | what is wrong |
//! |---|---|
//! | `duplicate` | a row repeats an earlier row exactly (agent, site, template, times, breaks) |
//! | `overlap` | one agent on two shifts at the same time, at one site |
//! | `two_sites` | one agent on two shifts at the same time, at two sites |
//! | `outside_horizon` | the shift lies wholly before or after the horizon |
//! | `length` | the shift's span or paid minutes differ from its template's (a 200-year shift) |
//! | `breaks` | the breaks differ from the template's: count, length, paid or unpaid, or a start outside the break's window |
//!
//! `wfm evaluate` stops at the first (by line) unless `--lenient` is given; then every
//! problem is listed in `summary.json` (`warnings`) and the report, and the roster is
//! evaluated as written. Checking is `O(n log n)` in the number of rows.
//!
//! A shift that only partly overlaps the horizon is not a problem (a night shift from the
//! evening before); the parts outside are not counted.

use super::AgentShifts;
use crate::shifts::{ShiftInstance, ShiftTemplate};
use crate::time::{fmt_utc, Horizon};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Most warnings listed in `summary.json` and the report; [`super::Summary::warnings_total`]
/// counts them all.
pub const MAX_LISTED_WARNINGS: usize = 1000;

/// One problem found in a roster (an error, or with `--lenient` a warning).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RosterWarning {
    /// The roster file as the user named it.
    pub file: String,
    /// 1-based line of the row (the header is line 1).
    pub line: usize,
    /// The rule broken (see the module docs): `duplicate`, `overlap`, `two_sites`,
    /// `outside_horizon`, `length`, `breaks`.
    pub rule: String,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for RosterWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: rule {}: {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

fn duration(minutes: i64) -> String {
    if minutes.abs() >= 2 * 24 * 60 {
        format!("{minutes} minutes ({:.1} days)", minutes as f64 / 1440.0)
    } else {
        format!("{minutes} minutes")
    }
}

/// Checks `roster` (row `k` read from line `lines[k]` of `file`) against the `horizon` and
/// the shift `templates` (found by site and name; rows whose template is unknown are left
/// to the routing check). Returns every problem, sorted by line.
pub fn check_roster(
    file: &str,
    roster: &AgentShifts,
    lines: &[usize],
    horizon: &Horizon,
    templates: &[ShiftTemplate],
) -> Vec<RosterWarning> {
    let line = |k: usize| lines.get(k).copied().unwrap_or(k + 2);
    let mut out = Vec::new();
    let mut push = |k: usize, rule: &str, message: String| {
        out.push(RosterWarning {
            file: file.to_string(),
            line: line(k),
            rule: rule.to_string(),
            message,
        })
    };
    let by_name: HashMap<(&str, &str), &ShiftTemplate> = templates
        .iter()
        .map(|t| ((t.site.as_str(), t.name.as_str()), t))
        .collect();
    for (k, (agent, s)) in roster.iter().enumerate() {
        if s.end <= horizon.start() || s.start >= horizon.end() {
            push(
                k,
                "outside_horizon",
                format!(
                    "agent {agent:?}: the shift {} to {} lies outside the horizon {} to {}",
                    fmt_utc(s.start),
                    fmt_utc(s.end),
                    fmt_utc(horizon.start()),
                    fmt_utc(horizon.end())
                ),
            );
        }
        if let Some(t) = by_name.get(&(s.site.as_str(), s.template.as_str())) {
            if let Some((rule, message)) = template_mismatch(s, t) {
                push(k, rule, format!("agent {agent:?}: {message}"));
            }
        }
    }
    overlaps(roster, &line, &mut push);
    out.sort();
    out
}

/// The first way `s` differs from its template `t`, if any.
fn template_mismatch(s: &ShiftInstance, t: &ShiftTemplate) -> Option<(&'static str, String)> {
    let (span, paid) = (s.span_minutes(), s.paid_minutes());
    let (t_span, t_paid) = (i64::from(t.span_minutes()), i64::from(t.paid_minutes));
    if span != t_span || paid != t_paid {
        return Some((
            "length",
            format!(
                "the shift lasts {} with {} paid; template {:?} at {:?} lasts {} with {} paid",
                duration(span),
                duration(paid),
                t.name,
                t.site,
                duration(t_span),
                duration(t_paid)
            ),
        ));
    }
    if s.breaks.len() != t.breaks.len() {
        return Some((
            "breaks",
            format!(
                "{} breaks; template {:?} has {}",
                s.breaks.len(),
                t.name,
                t.breaks.len()
            ),
        ));
    }
    for (j, (b, rule)) in s.breaks.iter().zip(&t.breaks).enumerate() {
        let minutes = (b.end - b.start).num_minutes();
        let offset = (b.start - s.start).num_minutes();
        let window = i64::from(rule.window.from_minutes)..=i64::from(rule.window.to_minutes);
        let paid = |p: bool| if p { "paid" } else { "unpaid" };
        let wrong = if minutes != i64::from(rule.minutes) {
            Some(format!(
                "lasts {minutes} minutes, the template's {}",
                rule.minutes
            ))
        } else if b.paid != rule.paid {
            Some(format!(
                "is {}, the template's is {}",
                paid(b.paid),
                paid(rule.paid)
            ))
        } else if !window.contains(&offset) {
            Some(format!(
                "starts {offset} minutes into the shift, the template's window is {} to {}",
                rule.window.from_minutes, rule.window.to_minutes
            ))
        } else {
            None
        };
        if let Some(w) = wrong {
            return Some((
                "breaks",
                format!("break {} ({}) {w}", j + 1, fmt_utc(b.start)),
            ));
        }
    }
    None
}

/// The order in which rows are swept: by agent, start, end, then the rest of the row (so
/// that exact repeats are next to each other), then file order.
fn sweep_order(roster: &AgentShifts, a: usize, b: usize) -> std::cmp::Ordering {
    let (Some((x, s)), Some((y, t))) = (roster.get(a), roster.get(b)) else {
        return a.cmp(&b);
    };
    let breaks = |s: &ShiftInstance| {
        s.breaks
            .iter()
            .map(|b| (b.start, b.end, b.paid))
            .collect::<Vec<_>>()
    };
    (x, s.start, s.end, &s.site, &s.template)
        .cmp(&(y, t.start, t.end, &t.site, &t.template))
        .then_with(|| breaks(s).cmp(&breaks(t)))
        .then(a.cmp(&b))
}

/// Duplicates and overlapping shifts of one agent, by one sort of the rows (no hashing):
/// with rows ordered by [`sweep_order`], a row equal to the one before it is a `duplicate` of
/// the first of its run (the earliest in the file), and is not checked further; otherwise a
/// row that starts before an earlier-swept row of the same agent has ended is an `overlap`
/// (or `two_sites`), naming that row's line. So every overlapping pair is reported at one of
/// its rows, in `O(n log n)`.
fn overlaps(
    roster: &AgentShifts,
    line: &impl Fn(usize) -> usize,
    push: &mut impl FnMut(usize, &str, String),
) {
    let mut order: Vec<usize> = (0..roster.len()).collect();
    order.sort_unstable_by(|&a, &b| sweep_order(roster, a, b));
    // Rows of the current agent started so far that have not ended, earliest end on top.
    let mut active: BinaryHeap<Reverse<(DateTime<Utc>, usize)>> = BinaryHeap::new();
    let mut original: Option<usize> = None;
    let mut prev: Option<usize> = None;
    for k in order {
        let Some((agent, b)) = roster.get(k) else {
            continue;
        };
        let prev_row = prev.and_then(|p| roster.get(p));
        if prev_row.is_none_or(|(a, _)| a != agent) {
            active.clear();
        }
        if let (Some(row), Some(o)) = (prev_row, original) {
            if row.0 == *agent && row.1 == *b {
                push(
                    k,
                    "duplicate",
                    format!(
                        "repeats line {} exactly (agent {agent:?}, {} at {} from {})",
                        line(o),
                        b.template,
                        b.site,
                        fmt_utc(b.start)
                    ),
                );
                prev = Some(k);
                continue;
            }
        }
        original = Some(k);
        prev = Some(k);
        while active
            .peek()
            .is_some_and(|Reverse((end, _))| *end <= b.start)
        {
            active.pop();
        }
        if let Some(Reverse((_, j))) = active.peek() {
            if let Some((_, a)) = roster.get(*j) {
                let (rule, what) = if a.site == b.site {
                    ("overlap", "on two overlapping shifts".to_string())
                } else {
                    (
                        "two_sites",
                        format!("at two sites at once ({} and {})", b.site, a.site),
                    )
                };
                push(
                    k,
                    rule,
                    format!(
                        "agent {agent:?} is {what}: {} to {} here and {} to {} on line {}",
                        fmt_utc(b.start),
                        fmt_utc(b.end),
                        fmt_utc(a.start),
                        fmt_utc(a.end),
                        line(*j)
                    ),
                );
            }
        }
        active.push(Reverse((b.end, k)));
    }
}
