//! The independent checker: from a [`Problem`] and a [`Roster`] alone, list every hard-rule
//! violation and recompute the objective.
//!
//! It shares no code with the solvers (`search`, `mip`): each rule is re-derived here from
//! the model's definition, in the plainest form, so a solver bug cannot hide behind a shared
//! helper.

use super::model::{Problem, Roster};
use serde::Serialize;
use std::fmt;

/// Which hard rule a [`Violation`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Rule {
    /// The roster's shape does not match the problem (rows, days, shift indices).
    Shape,
    /// A shift on one of the employee's fixed days off.
    DayOff,
    /// A shift the employee may not work by site, skill or a zero maximum.
    Eligibility,
    /// A shift type followed the next day by a type it may not be followed by.
    Succession,
    /// Less than the contract's minimum rest between two consecutive shifts (or overlap).
    MinRest,
    /// More shifts of one type than the contract allows.
    MaxShifts,
    /// Total minutes above the maximum.
    MaxMinutes,
    /// Total minutes below the minimum.
    MinMinutes,
    /// A run of working days longer than allowed.
    MaxConsecutive,
    /// A run of working days shorter than required (not touching the horizon's ends).
    MinConsecutive,
    /// A run of days off shorter than required (not touching the horizon's ends).
    MinConsecutiveOff,
    /// More weekends worked than allowed.
    MaxWeekends,
}

/// One broken hard rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// Employee id, when the rule is about one employee.
    pub employee: Option<String>,
    /// First day concerned, when there is one.
    pub day: Option<usize>,
    /// Human-readable detail.
    pub detail: String,
}

impl fmt::Display for Rule {
    /// The rule in words, as a message shows it (`minimum total minutes`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Shape => "roster shape",
            Rule::DayOff => "fixed day off",
            Rule::Eligibility => "eligibility",
            Rule::Succession => "shift succession",
            Rule::MinRest => "minimum rest",
            Rule::MaxShifts => "maximum shifts of a type",
            Rule::MaxMinutes => "maximum total minutes",
            Rule::MinMinutes => "minimum total minutes",
            Rule::MaxConsecutive => "maximum consecutive working days",
            Rule::MinConsecutive => "minimum consecutive working days",
            Rule::MinConsecutiveOff => "minimum consecutive days off",
            Rule::MaxWeekends => "maximum weekends",
        })
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.rule)?;
        if let Some(e) = &self.employee {
            write!(f, " (agent {e}")?;
            if let Some(d) = self.day {
                write!(f, ", day {d}")?;
            }
            write!(f, ")")?;
        } else if let Some(d) = self.day {
            write!(f, " (day {d})")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// Cover of one (day, shift type) below its requirement: shifts the roster could not staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// Day index.
    pub day: usize,
    /// Shift type index.
    pub shift: usize,
    /// Wanted.
    pub required: u32,
    /// Assigned.
    pub assigned: u32,
}

/// What the checker found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every hard-rule violation (empty for a valid roster).
    pub violations: Vec<Violation>,
    /// Total soft penalty (requests and cover), as defined by the benchmark.
    pub objective: i64,
    /// Penalty from shift-on and shift-off requests.
    pub request_penalty: i64,
    /// Penalty from cover under and over its requirement.
    pub cover_penalty: i64,
    /// Every cover row left short: the shifts nobody could be assigned to.
    pub shortfalls: Vec<Shortfall>,
}

/// Checks `roster` against `problem` (which should have passed [`Problem::validate`]).
pub fn check(problem: &Problem, roster: &Roster) -> Report {
    let mut v: Vec<Violation> = Vec::new();
    let days = problem.days;
    let ns = problem.shift_types.len();
    if roster.shifts.len() != problem.employees.len() {
        v.push(Violation {
            rule: Rule::Shape,
            employee: None,
            day: None,
            detail: format!(
                "roster has {} rows for {} employees",
                roster.shifts.len(),
                problem.employees.len()
            ),
        });
    }
    // Number of employees on each (day, shift), built while reading rows.
    let mut count = vec![vec![0u32; ns]; days];
    for (emp, row) in problem.employees.iter().zip(&roster.shifts) {
        let who = Some(emp.id.clone());
        let mut push = |rule: Rule, day: Option<usize>, detail: String| {
            v.push(Violation {
                rule,
                employee: who.clone(),
                day,
                detail,
            })
        };
        if row.len() != days {
            push(
                Rule::Shape,
                None,
                format!("row has {} days, expected {days}", row.len()),
            );
        }
        // Worked flags, clean of out-of-range entries.
        let mut work: Vec<Option<usize>> = vec![None; days];
        for (d, cell) in row.iter().enumerate().take(days) {
            if let Some(s) = *cell {
                if s >= ns {
                    push(
                        Rule::Shape,
                        Some(d),
                        format!("shift index {s} out of range"),
                    );
                } else {
                    work[d] = Some(s);
                }
            }
        }
        let c = &emp.contract;
        for d in 0..days {
            let Some(s) = work[d] else { continue };
            count[d][s] += 1;
            let sid = &problem.shift_types[s].id;
            if emp.days_off.contains(&d) {
                push(
                    Rule::DayOff,
                    Some(d),
                    format!("works {sid} on a fixed day off"),
                );
            }
            let site_ok = match &problem.shift_types[s].site {
                Some(site) => emp.sites.is_empty() || emp.sites.contains(site),
                None => true,
            };
            let skill_ok = match &problem.shift_types[s].skill {
                Some(k) => emp.skills.contains(k),
                None => true,
            };
            if !site_ok || !skill_ok {
                push(
                    Rule::Eligibility,
                    Some(d),
                    format!("not eligible for {sid} (site/skill)"),
                );
            }
            if d + 1 < days {
                if let Some(n) = work[d + 1] {
                    if problem.shift_types[s].cannot_follow.contains(&n) {
                        push(
                            Rule::Succession,
                            Some(d),
                            format!("{sid} followed by {}", problem.shift_types[n].id),
                        );
                    }
                }
            }
        }
        // Minimum rest between consecutive worked shifts, from real instants.
        let mut prev: Option<(usize, usize)> = None;
        for (d, cell) in work.iter().enumerate() {
            let Some(s) = *cell else { continue };
            if let Some((pd, ps)) = prev {
                let a = problem.shift_types[ps]
                    .instances
                    .get(pd)
                    .and_then(|x| x.as_ref());
                let b = problem.shift_types[s]
                    .instances
                    .get(d)
                    .and_then(|x| x.as_ref());
                if let (Some(a), Some(b)) = (a, b) {
                    let rest = (b.start - a.end).num_minutes();
                    if rest < 0 || rest < i64::from(c.min_rest_minutes) {
                        push(
                            Rule::MinRest,
                            Some(pd),
                            format!(
                                "{rest} min rest before day {d}, need {}",
                                c.min_rest_minutes
                            ),
                        );
                    }
                }
            }
            prev = Some((d, s));
        }
        // Per-type maxima and total minutes.
        let mut minutes: i64 = 0;
        for s in 0..ns {
            let n = work.iter().filter(|x| **x == Some(s)).count() as u64;
            minutes += n as i64 * i64::from(problem.shift_types[s].minutes);
            let max = c.max_shifts.get(s).copied().unwrap_or(0);
            if n > u64::from(max) {
                let rule = if max == 0 {
                    Rule::Eligibility
                } else {
                    Rule::MaxShifts
                };
                push(
                    rule,
                    None,
                    format!("{n} shifts of {}, max {max}", problem.shift_types[s].id),
                );
            }
        }
        if minutes > i64::from(c.max_minutes) {
            push(
                Rule::MaxMinutes,
                None,
                format!("{minutes} min, max {}", c.max_minutes),
            );
        }
        if minutes < i64::from(c.min_minutes) {
            push(
                Rule::MinMinutes,
                None,
                format!("{minutes} min, min {}", c.min_minutes),
            );
        }
        // Runs of equal status: (start, length, working).
        let mut runs: Vec<(usize, usize, bool)> = Vec::new();
        for (d, cell) in work.iter().enumerate() {
            let w = cell.is_some();
            match runs.last_mut() {
                Some(r) if r.2 == w => r.1 += 1,
                _ => runs.push((d, 1, w)),
            }
        }
        for &(start, len, working) in &runs {
            let inner = start > 0 && start + len < days;
            if working && len > c.max_consecutive as usize {
                push(
                    Rule::MaxConsecutive,
                    Some(start),
                    format!("{len} working days in a row, max {}", c.max_consecutive),
                );
            }
            if working && inner && len < c.min_consecutive as usize {
                push(
                    Rule::MinConsecutive,
                    Some(start),
                    format!("{len} working days in a row, min {}", c.min_consecutive),
                );
            }
            if !working && inner && len < c.min_consecutive_off as usize {
                push(
                    Rule::MinConsecutiveOff,
                    Some(start),
                    format!("{len} days off in a row, min {}", c.min_consecutive_off),
                );
            }
        }
        // Weekends: group Saturdays and Sundays by weekend number.
        let mut weekends: Vec<usize> = Vec::new();
        for (d, cell) in work.iter().enumerate() {
            if cell.is_some() {
                if let Some(w) = problem.weekend_of(d) {
                    if !weekends.contains(&w) {
                        weekends.push(w);
                    }
                }
            }
        }
        if weekends.len() > c.max_weekends as usize {
            push(
                Rule::MaxWeekends,
                None,
                format!("{} weekends worked, max {}", weekends.len(), c.max_weekends),
            );
        }
    }

    let cell = |e: usize, d: usize| -> Option<usize> {
        roster
            .shifts
            .get(e)
            .and_then(|r| r.get(d))
            .copied()
            .flatten()
    };
    let mut request_penalty = 0i64;
    for r in &problem.on_requests {
        if cell(r.employee, r.day) != Some(r.shift) {
            request_penalty += i64::from(r.weight);
        }
    }
    for r in &problem.off_requests {
        if cell(r.employee, r.day) == Some(r.shift) {
            request_penalty += i64::from(r.weight);
        }
    }
    let mut cover_penalty = 0i64;
    let mut shortfalls = Vec::new();
    for c in &problem.cover {
        let got = count
            .get(c.day)
            .and_then(|x| x.get(c.shift))
            .copied()
            .unwrap_or(0);
        let (got, req) = (i64::from(got), i64::from(c.requirement));
        if got < req {
            cover_penalty += (req - got) * i64::from(c.weight_under);
            shortfalls.push(Shortfall {
                day: c.day,
                shift: c.shift,
                required: c.requirement,
                assigned: got as u32,
            });
        } else {
            cover_penalty += (got - req) * i64::from(c.weight_over);
        }
    }
    Report {
        violations: v,
        objective: request_penalty + cover_penalty,
        request_penalty,
        cover_penalty,
        shortfalls,
    }
}
