//! The rostering model: days, shift types, employees with contracts, cover and requests.
//!
//! A [`Problem`] is plain data; [`Problem::validate`] checks every index and number and names
//! the offending field. The Curtois benchmark is the special case with no real shift times,
//! no sites and no skills.

use crate::error::{Error, Result};
use crate::shifts::ShiftInstance;
use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// A kind of shift that can be worked on any day of the horizon (e.g. "early", "late").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftType {
    /// Name, unique within the problem.
    pub id: String,
    /// Minutes counted toward an employee's minimum and maximum total minutes.
    pub minutes: u32,
    /// Shift types (indices) that may not be worked the day after this one.
    pub cannot_follow: Vec<usize>,
    /// Site the shift is worked at; `None` means any employee's site is fine.
    pub site: Option<String>,
    /// Skill an employee needs to work it; `None` means no skill is needed.
    pub skill: Option<String>,
    /// The concrete shift on each day (UTC instants from the site's time zone), used by the
    /// minimum-rest rule. Either empty (times unknown: the rest rule does not apply to this
    /// type) or one entry per day, `None` on days the type does not exist.
    pub instances: Vec<Option<ShiftInstance>>,
}

/// The rules an employee's roster must keep. All are hard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// Maximum number of shifts of each type (indexed like [`Problem::shift_types`]);
    /// 0 means the employee may not work that type.
    pub max_shifts: Vec<u32>,
    /// Minimum total minutes over the horizon.
    pub min_minutes: u32,
    /// Maximum total minutes over the horizon.
    pub max_minutes: u32,
    /// Maximum length of a run of consecutive working days.
    pub max_consecutive: u32,
    /// Minimum length of a run of working days (runs touching the horizon's ends are exempt).
    pub min_consecutive: u32,
    /// Minimum length of a run of days off (runs touching the horizon's ends are exempt).
    pub min_consecutive_off: u32,
    /// Maximum number of weekends (Saturday or Sunday) worked.
    pub max_weekends: u32,
    /// Minimum rest in minutes between the real end of a shift and the real start of the
    /// employee's next shift (only between shifts whose instances are known). 0: no rule.
    pub min_rest_minutes: u32,
}

/// A named employee (agent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// Name, unique within the problem.
    pub id: String,
    /// The contract.
    pub contract: Contract,
    /// Days (0-based) the employee may not work.
    pub days_off: Vec<usize>,
    /// Sites the employee may work at; empty means any site.
    pub sites: Vec<String>,
    /// Skills the employee has.
    pub skills: Vec<String>,
}

/// A soft wish of an employee to work (on-request) or not to work (off-request) a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Employee index.
    pub employee: usize,
    /// Day index.
    pub day: usize,
    /// Shift type index.
    pub shift: usize,
    /// Penalty when the request is not honoured.
    pub weight: u32,
}

/// Soft cover: how many employees should work a shift type on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    /// Day index.
    pub day: usize,
    /// Shift type index.
    pub shift: usize,
    /// Wanted number of employees.
    pub requirement: u32,
    /// Penalty per employee short.
    pub weight_under: u32,
    /// Penalty per employee too many.
    pub weight_over: u32,
}

/// A rostering problem over `days` consecutive days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Name (for reports).
    pub name: String,
    /// Number of days in the horizon.
    pub days: usize,
    /// Weekday of day 0 (weekends are Saturday and Sunday).
    pub first_weekday: Weekday,
    /// Shift types.
    pub shift_types: Vec<ShiftType>,
    /// Employees.
    pub employees: Vec<Employee>,
    /// Cover rows, at most one per (day, shift type).
    pub cover: Vec<Cover>,
    /// Shift-on requests (penalised when the employee does not work that shift that day).
    pub on_requests: Vec<Request>,
    /// Shift-off requests (penalised when the employee works that shift that day).
    pub off_requests: Vec<Request>,
}

/// An assignment: `shifts[employee][day]` is the shift type worked, or `None` for a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    /// One row per employee, one entry per day.
    pub shifts: Vec<Vec<Option<usize>>>,
}

impl Roster {
    /// A roster with every employee off every day.
    pub fn empty(employees: usize, days: usize) -> Self {
        Roster {
            shifts: vec![vec![None; days]; employees],
        }
    }
}

impl Problem {
    /// Weekend number of `day` if it is a Saturday or Sunday (both days of one weekend share
    /// a number), else `None`.
    pub fn weekend_of(&self, day: usize) -> Option<usize> {
        let offset = self.first_weekday.num_days_from_monday() as usize;
        let k = day + offset;
        if k % 7 >= 5 {
            Some(k / 7)
        } else {
            None
        }
    }

    /// Whether `employee` may work shift type `shift` by site and skill.
    pub fn eligible(&self, employee: usize, shift: usize) -> bool {
        let (Some(e), Some(s)) = (self.employees.get(employee), self.shift_types.get(shift)) else {
            return false;
        };
        let site_ok = match &s.site {
            None => true,
            Some(site) => e.sites.is_empty() || e.sites.iter().any(|x| x == site),
        };
        let skill_ok = match &s.skill {
            None => true,
            Some(k) => e.skills.iter().any(|x| x == k),
        };
        site_ok && skill_ok
    }

    /// Checks every index and number; the error names the offending field.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `days` when 0; `shift_types` when there is none;
    /// `shift_types[i].id` when empty or repeated, `.minutes` when 0, `.cannot_follow` when an
    /// index is out of range, `.instances` or `.instances[d]` when the per-day times are the wrong
    /// length or end before they start; `employees[i].id` when empty or repeated,
    /// `.contract.max_shifts` when it has not one entry per shift type, `.contract.min_minutes`
    /// above `max_minutes`, `.contract.min_consecutive` above `max_consecutive`, `.days_off`
    /// with a day outside the horizon; a request or `cover[i]` whose `.employee`, `.day` or
    /// `.shift` index is out of range; `cover[i]` when a day and shift is covered twice.
    pub fn validate(&self) -> Result<()> {
        if self.days == 0 {
            return Err(Error::invalid(
                "days",
                "the horizon must have at least one day",
            ));
        }
        if self.shift_types.is_empty() {
            return Err(Error::invalid(
                "shift_types",
                "at least one shift type is needed",
            ));
        }
        let ns = self.shift_types.len();
        for (i, s) in self.shift_types.iter().enumerate() {
            let f = |x: &str| format!("shift_types[{i}].{x}");
            if s.id.is_empty() {
                return Err(Error::invalid(f("id"), "must not be empty"));
            }
            if self.shift_types[..i].iter().any(|o| o.id == s.id) {
                return Err(Error::invalid(
                    f("id"),
                    format!("duplicate shift id {:?}", s.id),
                ));
            }
            if s.minutes == 0 {
                return Err(Error::invalid(f("minutes"), "must be greater than zero"));
            }
            if let Some(&bad) = s.cannot_follow.iter().find(|&&c| c >= ns) {
                return Err(Error::invalid(
                    f("cannot_follow"),
                    format!("shift index {bad} out of range (there are {ns} shift types)"),
                ));
            }
            if !s.instances.is_empty() && s.instances.len() != self.days {
                return Err(Error::invalid(
                    f("instances"),
                    format!(
                        "has {} entries, expected 0 or {}",
                        s.instances.len(),
                        self.days
                    ),
                ));
            }
            for (d, inst) in s.instances.iter().enumerate() {
                if let Some(inst) = inst {
                    if inst.end <= inst.start {
                        return Err(Error::invalid(
                            format!("shift_types[{i}].instances[{d}]"),
                            "end must be after start",
                        ));
                    }
                }
            }
        }
        for (i, e) in self.employees.iter().enumerate() {
            let f = |x: &str| format!("employees[{i}].{x}");
            if e.id.is_empty() {
                return Err(Error::invalid(f("id"), "must not be empty"));
            }
            if self.employees[..i].iter().any(|o| o.id == e.id) {
                return Err(Error::invalid(
                    f("id"),
                    format!("duplicate employee id {:?}", e.id),
                ));
            }
            let c = &e.contract;
            if c.max_shifts.len() != ns {
                return Err(Error::invalid(
                    f("contract.max_shifts"),
                    format!("has {} entries, expected {ns}", c.max_shifts.len()),
                ));
            }
            if c.min_minutes > c.max_minutes {
                return Err(Error::invalid(
                    f("contract.min_minutes"),
                    format!("{} exceeds max_minutes {}", c.min_minutes, c.max_minutes),
                ));
            }
            if c.min_consecutive > c.max_consecutive {
                return Err(Error::invalid(
                    f("contract.min_consecutive"),
                    format!(
                        "{} exceeds max_consecutive {}",
                        c.min_consecutive, c.max_consecutive
                    ),
                ));
            }
            if let Some(&bad) = e.days_off.iter().find(|&&d| d >= self.days) {
                return Err(Error::invalid(
                    f("days_off"),
                    format!("day {bad} is outside the horizon of {} days", self.days),
                ));
            }
        }
        for (what, list) in [
            ("on_requests", &self.on_requests),
            ("off_requests", &self.off_requests),
        ] {
            for (i, r) in list.iter().enumerate() {
                self.check_indices(&format!("{what}[{i}]"), Some(r.employee), r.day, r.shift)?;
            }
        }
        let mut seen = vec![false; self.days * ns];
        for (i, c) in self.cover.iter().enumerate() {
            let f = format!("cover[{i}]");
            self.check_indices(&f, None, c.day, c.shift)?;
            let k = c.day * ns + c.shift;
            if let Some(slot) = seen.get_mut(k) {
                if *slot {
                    return Err(Error::invalid(
                        f,
                        "a second cover row for the same day and shift",
                    ));
                }
                *slot = true;
            }
        }
        Ok(())
    }

    fn check_indices(&self, f: &str, e: Option<usize>, day: usize, shift: usize) -> Result<()> {
        if let Some(e) = e {
            if e >= self.employees.len() {
                return Err(Error::invalid(
                    format!("{f}.employee"),
                    format!("index {e} out of range"),
                ));
            }
        }
        if day >= self.days {
            return Err(Error::invalid(
                format!("{f}.day"),
                format!("day {day} is outside the horizon of {} days", self.days),
            ));
        }
        if shift >= self.shift_types.len() {
            return Err(Error::invalid(
                format!("{f}.shift"),
                format!("index {shift} out of range"),
            ));
        }
        Ok(())
    }
}
