//! Reader for the Curtois nurse-rostering benchmark format (instances 1–24 of
//! schedulingbenchmarks.org), and writer of a roster as `employee,day,shift` CSV.
//!
//! Sections, in order: `SECTION_HORIZON`, `SECTION_SHIFTS`, `SECTION_STAFF`,
//! `SECTION_DAYS_OFF`, `SECTION_SHIFT_ON_REQUESTS`, `SECTION_SHIFT_OFF_REQUESTS`,
//! `SECTION_COVER`; `#` starts a comment line. `SECTION_HORIZON`, `SECTION_SHIFTS`,
//! `SECTION_STAFF` and `SECTION_COVER` are required (a file cut short is refused, not read as
//! a problem with nobody to roster); the three request sections may be left out. Day 0 is a
//! Monday. Every parse error names the file and the 1-based line.

use super::model::{Contract, Cover, Employee, Problem, Request, Roster, ShiftType};
use crate::error::{Error, Result};
use chrono::Weekday;
use std::path::Path;

/// A benchmark instance bundled with the tests (`tests/data/curtois/<name>`), for unit
/// tests.
#[cfg(test)]
pub(crate) fn bundled(name: &str) -> Problem {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/curtois")
            .join(name),
    )
    .unwrap()
}

/// Reads and parses an instance file.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`crate::limits::MAX_CURTOIS_BYTES`] or not UTF-8; and the errors of [`parse`].
pub fn read(path: &Path) -> Result<Problem> {
    let name = path.display().to_string();
    let text = crate::limits::read_text(
        path,
        &name,
        "Curtois instance file",
        crate::limits::MAX_CURTOIS_BYTES,
    )?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    let mut p = parse(&name, &text)?;
    p.name = stem;
    Ok(p)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Section {
    None,
    Horizon,
    Shifts,
    Staff,
    DaysOff,
    OnRequests,
    OffRequests,
    Cover,
}

/// Parses the text of an instance; `file` is used in error messages.
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the line for an unknown or out-of-order section, data
/// before the first section, a row with the wrong number of columns, a number that is not a
/// non-negative integer, an unknown shift or employee id, a day outside the horizon, a
/// repeated horizon, shift id, staff id or cover row, a horizon of zero days or above the
/// limit, min total minutes above max, a missing `SECTION_HORIZON` (line 1), or a missing
/// `SECTION_SHIFTS`, `SECTION_STAFF` or `SECTION_COVER`, or one of the first two with no row
/// (the last line: a file cut short);
/// [`Error::Invalid`] naming the field (as [`Problem::validate`]) when the parsed problem is
/// inconsistent.
pub fn parse(file: &str, text: &str) -> Result<Problem> {
    let mut section = Section::None;
    let mut days: Option<usize> = None;
    let mut shifts: Vec<(usize, ShiftType, Vec<String>)> = Vec::new();
    let mut staff: Vec<(usize, Vec<String>)> = Vec::new();
    let mut employees: Vec<Employee> = Vec::new();
    let mut on_requests = Vec::new();
    let mut off_requests = Vec::new();
    let mut cover = Vec::new();
    let mut seen: Vec<(Section, usize)> = Vec::new();
    let mut last_line = 1;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        last_line = line_no;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason: String| Error::parse(file, line_no, reason);
        let next = match line {
            "SECTION_HORIZON" => Some(Section::Horizon),
            "SECTION_SHIFTS" => Some(Section::Shifts),
            "SECTION_STAFF" => Some(Section::Staff),
            "SECTION_DAYS_OFF" => Some(Section::DaysOff),
            "SECTION_SHIFT_ON_REQUESTS" => Some(Section::OnRequests),
            "SECTION_SHIFT_OFF_REQUESTS" => Some(Section::OffRequests),
            "SECTION_COVER" => Some(Section::Cover),
            _ if line.starts_with("SECTION_") => {
                return Err(err(format!("unknown section {line:?}")));
            }
            _ => None,
        };
        if let Some(n) = next {
            if n <= section {
                return Err(err(format!("section {line} out of order")));
            }
            if n == Section::Staff {
                // Shift ids are all known now: resolve CannotFollow lists.
                let ids: Vec<String> = shifts.iter().map(|s| s.1.id.clone()).collect();
                for (ln, st, names) in &mut shifts {
                    for nm in names.iter() {
                        let k = ids.iter().position(|x| x == nm).ok_or_else(|| {
                            Error::parse(file, *ln, format!("CannotFollow: unknown shift {nm:?}"))
                        })?;
                        st.cannot_follow.push(k);
                    }
                }
            }
            if n > Section::Staff && section == Section::Staff {
                // Leaving the staff (whichever section comes next): employee ids are known.
                employees = build_staff(file, &staff, &shifts)?;
            }
            section = n;
            seen.push((n, line_no));
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let field = |k: usize, what: &str| -> Result<&str> {
            f.get(k)
                .copied()
                .ok_or_else(|| err(format!("missing column {} ({what})", k + 1)))
        };
        let num = |k: usize, what: &str| -> Result<u32> {
            let s = field(k, what)?;
            // Integers as written ("-0" appears in the published files and is zero).
            s.parse::<i64>()
                .ok()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| {
                    err(format!(
                        "column {} ({what}): {s:?} is not a non-negative integer",
                        k + 1
                    ))
                })
        };
        let shift_idx = |k: usize| -> Result<usize> {
            let s = field(k, "ShiftID")?;
            shifts
                .iter()
                .position(|x| x.1.id == s)
                .ok_or_else(|| err(format!("column {} (ShiftID): unknown shift {s:?}", k + 1)))
        };
        let emp_idx = |k: usize| -> Result<usize> {
            let s = field(k, "EmployeeID")?;
            employees.iter().position(|x| x.id == s).ok_or_else(|| {
                err(format!(
                    "column {} (EmployeeID): unknown employee {s:?}",
                    k + 1
                ))
            })
        };
        let horizon = days.unwrap_or(0);
        let day = |k: usize| -> Result<usize> {
            let d = num(k, "Day")? as usize;
            if d >= horizon {
                return Err(err(format!(
                    "column {} (Day): {d} outside the horizon of {horizon} days",
                    k + 1
                )));
            }
            Ok(d)
        };
        let expect = |n: usize| -> Result<()> {
            if f.len() != n {
                return Err(err(format!("expected {n} columns, found {}", f.len())));
            }
            Ok(())
        };
        match section {
            Section::None => return Err(err("data before the first section".into())),
            Section::Horizon => {
                expect(1)?;
                if days.is_some() {
                    return Err(err("a second horizon value".into()));
                }
                let d = num(0, "horizon")? as usize;
                if d == 0 {
                    return Err(err("horizon must be at least one day".into()));
                }
                if d > crate::limits::MAX_HORIZON_DAYS as usize {
                    return Err(err(format!(
                        "horizon of {d} days is above the limit of {} days",
                        crate::limits::MAX_HORIZON_DAYS
                    )));
                }
                days = Some(d);
            }
            Section::Shifts => {
                expect(3)?;
                let id = field(0, "ShiftID")?.to_string();
                if id.is_empty() || shifts.iter().any(|s| s.1.id == id) {
                    return Err(err(format!(
                        "column 1 (ShiftID): empty or duplicate {id:?}"
                    )));
                }
                let minutes = num(1, "LengthMins")?;
                if minutes == 0 {
                    return Err(err(
                        "column 2 (LengthMins): must be greater than zero".into()
                    ));
                }
                let names: Vec<String> = field(2, "CannotFollow")?
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                let st = ShiftType {
                    id,
                    minutes,
                    cannot_follow: Vec::new(),
                    site: None,
                    skill: None,
                    instances: Vec::new(),
                };
                shifts.push((line_no, st, names));
            }
            Section::Staff => {
                expect(8)?;
                staff.push((line_no, f.iter().map(|s| s.to_string()).collect()));
            }
            Section::DaysOff => {
                let e = emp_idx(0)?;
                for k in 1..f.len() {
                    let d = day(k)?;
                    if let Some(emp) = employees.get_mut(e) {
                        emp.days_off.push(d);
                    }
                }
            }
            Section::OnRequests | Section::OffRequests => {
                expect(4)?;
                let r = Request {
                    employee: emp_idx(0)?,
                    day: day(1)?,
                    shift: shift_idx(2)?,
                    weight: num(3, "Weight")?,
                };
                if section == Section::OnRequests {
                    on_requests.push(r);
                } else {
                    off_requests.push(r);
                }
            }
            Section::Cover => {
                expect(5)?;
                let c = Cover {
                    day: day(0)?,
                    shift: shift_idx(1)?,
                    requirement: num(2, "Requirement")?,
                    weight_under: num(3, "WeightUnder")?,
                    weight_over: num(4, "WeightOver")?,
                };
                if cover
                    .iter()
                    .any(|o: &Cover| o.day == c.day && o.shift == c.shift)
                {
                    return Err(err("a second cover row for the same day and shift".into()));
                }
                cover.push(c);
            }
        }
    }
    let days = days.ok_or_else(|| Error::parse(file, 1, "no SECTION_HORIZON"))?;
    let header = |need: Section, name: &str| {
        seen.iter()
            .find(|(n, _)| *n == need)
            .map(|&(_, ln)| ln)
            .ok_or_else(|| {
                let reason = format!("the file ends without {name} (cut short?)");
                Error::parse(file, last_line, reason)
            })
    };
    let shifts_line = header(Section::Shifts, "SECTION_SHIFTS")?;
    let staff_line = header(Section::Staff, "SECTION_STAFF")?;
    header(Section::Cover, "SECTION_COVER")?;
    if shifts.is_empty() {
        return Err(Error::parse(
            file,
            shifts_line,
            "SECTION_SHIFTS lists no shift type",
        ));
    }
    if staff.is_empty() {
        return Err(Error::parse(
            file,
            staff_line,
            "SECTION_STAFF lists no employee",
        ));
    }
    let problem = Problem {
        name: file.to_string(),
        days,
        first_weekday: Weekday::Mon,
        shift_types: shifts.into_iter().map(|s| s.1).collect(),
        employees,
        cover,
        on_requests,
        off_requests,
    };
    problem.validate()?;
    Ok(problem)
}

fn build_staff(
    file: &str,
    staff: &[(usize, Vec<String>)],
    shifts: &[(usize, ShiftType, Vec<String>)],
) -> Result<Vec<Employee>> {
    let mut out: Vec<Employee> = Vec::new();
    for (ln, f) in staff {
        let err = |reason: String| Error::parse(file, *ln, reason);
        let get = |k: usize| f.get(k).map(String::as_str).unwrap_or("");
        let num = |k: usize, what: &str| -> Result<u32> {
            get(k).parse::<u32>().map_err(|_| {
                err(format!(
                    "column {} ({what}): {:?} is not a non-negative integer",
                    k + 1,
                    get(k)
                ))
            })
        };
        let id = get(0).to_string();
        if id.is_empty() || out.iter().any(|e| e.id == id) {
            return Err(err(format!("column 1 (ID): empty or duplicate {id:?}")));
        }
        // Types not listed in MaxShifts may not be worked.
        let mut max_shifts = vec![0u32; shifts.len()];
        for pair in get(1).split('|').filter(|s| !s.trim().is_empty()) {
            let (name, val) = pair
                .split_once('=')
                .ok_or_else(|| err(format!("column 2 (MaxShifts): {pair:?} is not ShiftID=max")))?;
            let k = shifts
                .iter()
                .position(|s| s.1.id == name.trim())
                .ok_or_else(|| err(format!("column 2 (MaxShifts): unknown shift {name:?}")))?;
            let v = val.trim().parse::<u32>().map_err(|_| {
                err(format!(
                    "column 2 (MaxShifts): {val:?} is not a non-negative integer"
                ))
            })?;
            if let Some(slot) = max_shifts.get_mut(k) {
                *slot = v;
            }
        }
        let contract = Contract {
            max_shifts,
            max_minutes: num(2, "MaxTotalMinutes")?,
            min_minutes: num(3, "MinTotalMinutes")?,
            max_consecutive: num(4, "MaxConsecutiveShifts")?,
            min_consecutive: num(5, "MinConsecutiveShifts")?,
            min_consecutive_off: num(6, "MinConsecutiveDaysOff")?,
            max_weekends: num(7, "MaxWeekends")?,
            min_rest_minutes: 0,
        };
        if contract.min_minutes > contract.max_minutes {
            return Err(err("MinTotalMinutes exceeds MaxTotalMinutes".into()));
        }
        if contract.min_consecutive > contract.max_consecutive {
            return Err(err(
                "MinConsecutiveShifts exceeds MaxConsecutiveShifts".into()
            ));
        }
        out.push(Employee {
            id,
            contract,
            days_off: Vec::new(),
            sites: Vec::new(),
            skills: Vec::new(),
        });
    }
    Ok(out)
}

/// Writes `roster` as CSV `employee,day,shift` (header first, one row per worked day).
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be created or written.
pub fn write_csv(problem: &Problem, roster: &Roster, path: &Path) -> Result<()> {
    let name = path.display().to_string();
    let mut w = csv::Writer::from_path(path).map_err(|e| Error::io(&name, e.into()))?;
    let io = |e: csv::Error| Error::io(&name, e.into());
    w.write_record(["employee", "day", "shift"]).map_err(io)?;
    for (emp, row) in problem.employees.iter().zip(&roster.shifts) {
        for (d, cell) in row.iter().enumerate() {
            if let Some(st) = cell.and_then(|s| problem.shift_types.get(s)) {
                w.write_record([
                    crate::io::cells::text(&emp.id).as_ref(),
                    &d.to_string(),
                    crate::io::cells::text(&st.id).as_ref(),
                ])
                .map_err(io)?;
            }
        }
    }
    w.flush().map_err(|e| Error::io(&name, e))?;
    Ok(())
}
