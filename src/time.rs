//! The UTC planning grid and local time at sites.
//!
//! Every instant inside the library is UTC. A [`Horizon`] is the planning grid: a UTC start,
//! an interval length of 5, 10, 15, 30 or 60 minutes and a number of intervals. Local time
//! exists only at the edges (shift start windows, report output), through a [`Site`] and
//! its IANA time zone.
//!
//! # Daylight saving
//!
//! A local date and time maps to zero, one or two UTC instants ([`LocalInstant`]):
//!
//! * **gap** (spring forward): 02:30 does not exist in `America/New_York` on 2027-03-14.
//! * **fold** (fall back): 01:30 exists twice in `America/New_York` on 2027-11-07.
//!
//! [`DstPolicy`] says what to do with them. The default, [`DstPolicy::Compatible`], is the
//! rule of RFC 5545 and of most calendar software: a time in a gap is read with the offset in
//! force *before* the gap (02:30 EST is 03:30 EDT), and a time in a fold is the *earlier* of
//! its two instants. [`DstPolicy::Reject`] returns [`Error::LocalTime`] instead.
//!
//! Shift start windows use [`Site::resolve`] directly: local start times that a gap skips
//! produce no candidate that day (nobody can start at a time that does not exist), and local
//! start times inside a fold produce a candidate for each of their two instants. A day that
//! contains a transition is 23 or 25 hours long at that site ([`Site::day_length`]).

use crate::error::{Error, Result};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Interval lengths the grid supports, in minutes.
pub const INTERVAL_MINUTES: [u32; 5] = [5, 10, 15, 30, 60];

/// The planning grid: `len` intervals of `interval_minutes` each, from `start` (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Horizon {
    start: DateTime<Utc>,
    interval_minutes: u32,
    len: usize,
}

impl Horizon {
    /// A grid of `len` intervals of `interval_minutes` from `start`.
    ///
    /// `interval_minutes` must be one of [`INTERVAL_MINUTES`]; `start` must fall on a whole
    /// minute; `len` must be at least 1.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `interval_minutes` when it is not one of [`INTERVAL_MINUTES`],
    /// `start` when it is not on a whole minute, or `intervals` when `len` is 0 or the grid is
    /// longer than [`crate::limits::MAX_GRID_DAYS`] days.
    pub fn new(start: DateTime<Utc>, interval_minutes: u32, len: usize) -> Result<Self> {
        if !INTERVAL_MINUTES.contains(&interval_minutes) {
            return Err(Error::invalid(
                "interval_minutes",
                format!("must be one of 5, 10, 15, 30 or 60, got {interval_minutes}"),
            ));
        }
        if start.timestamp() % 60 != 0 || start.timestamp_subsec_nanos() != 0 {
            return Err(Error::invalid(
                "start",
                format!("must fall on a whole minute, got {}", start.to_rfc3339()),
            ));
        }
        if len == 0 {
            return Err(Error::invalid("intervals", "must be at least 1"));
        }
        // Keep every instant of the grid representable, and the grid's memory bounded.
        let minutes = (len as i64).saturating_mul(interval_minutes as i64);
        if minutes > 1440 * crate::limits::MAX_GRID_DAYS {
            return Err(Error::invalid(
                "intervals",
                format!(
                    "{len} intervals of {interval_minutes} minutes is longer than the limit of {} days",
                    crate::limits::MAX_GRID_DAYS
                ),
            ));
        }
        Ok(Horizon {
            start,
            interval_minutes,
            len,
        })
    }

    /// A grid of whole days: `days * 1440 / interval_minutes` intervals.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `days` when `days` is 0 or above [`crate::limits::MAX_GRID_DAYS`],
    /// and the errors of [`Horizon::new`] (an `interval_minutes` not in [`INTERVAL_MINUTES`], a
    /// `start` not on a whole minute).
    pub fn days(start: DateTime<Utc>, interval_minutes: u32, days: u32) -> Result<Self> {
        if days == 0 {
            return Err(Error::invalid("days", "must be at least 1"));
        }
        if i64::from(days) > crate::limits::MAX_GRID_DAYS {
            return Err(Error::invalid(
                "days",
                format!(
                    "must be at most {} days, got {days}",
                    crate::limits::MAX_GRID_DAYS
                ),
            ));
        }
        let per_day = 1440 / interval_minutes.max(1);
        Horizon::new(start, interval_minutes, days as usize * per_day as usize)
    }

    /// First instant of the grid.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The instant just after the last interval.
    pub fn end(&self) -> DateTime<Utc> {
        self.interval_start(self.len)
    }

    /// Interval length in minutes.
    pub fn interval_minutes(&self) -> u32 {
        self.interval_minutes
    }

    /// Interval length.
    pub fn interval(&self) -> Duration {
        Duration::minutes(self.interval_minutes as i64)
    }

    /// Number of intervals.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a horizon has at least one interval.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Intervals in 24 hours.
    pub fn intervals_per_day(&self) -> usize {
        (1440 / self.interval_minutes) as usize
    }

    /// Start of interval `i` (`i == len()` gives [`Horizon::end`]).
    pub fn interval_start(&self, i: usize) -> DateTime<Utc> {
        self.start + Duration::minutes(i as i64 * self.interval_minutes as i64)
    }

    /// The index `i` with `interval_start(i) == t`, if `t` lies on the grid (including the
    /// end boundary, which gives `len()`).
    pub fn boundary_index(&self, t: DateTime<Utc>) -> Option<usize> {
        let secs = (t - self.start).num_seconds();
        let step = self.interval_minutes as i64 * 60;
        if secs < 0 || secs % step != 0 || (t - self.start).subsec_nanos() != 0 {
            return None;
        }
        let i = (secs / step) as usize;
        (i <= self.len).then_some(i)
    }

    /// The index of the interval that contains `t`, if any.
    pub fn index_containing(&self, t: DateTime<Utc>) -> Option<usize> {
        if t < self.start {
            return None;
        }
        let step = self.interval_minutes as i64 * 60;
        let i = ((t - self.start).num_seconds() / step) as usize;
        (i < self.len).then_some(i)
    }

    /// Starts of all intervals.
    pub fn starts(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        (0..self.len).map(move |i| self.interval_start(i))
    }
}

/// What a local date and time is in UTC at one zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalInstant {
    /// The usual case: exactly one instant.
    Single(DateTime<Utc>),
    /// A fold (clocks went back): the local time happened twice.
    Ambiguous {
        /// The first occurrence (old offset).
        earlier: DateTime<Utc>,
        /// The second occurrence (new offset).
        later: DateTime<Utc>,
    },
    /// A gap (clocks went forward): the local time never happened. `compatible` is the
    /// instant the time denotes when read with the offset in force before the gap.
    Skipped {
        /// RFC 5545 reading: same wall-clock distance past the offset before the gap.
        compatible: DateTime<Utc>,
    },
}

/// How to turn a local time that a DST change skips or repeats into one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DstPolicy {
    /// Gap: read with the offset before the gap (02:30 EST → 03:30 EDT). Fold: the earlier
    /// instant. RFC 5545 and most calendar software do this.
    #[default]
    Compatible,
    /// Gap: as `Compatible`. Fold: the later instant.
    Later,
    /// Any gap or fold is an [`Error::LocalTime`].
    Reject,
}

/// Resolves `local` in `tz` into its UTC instant(s).
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> LocalInstant {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => LocalInstant::Single(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            LocalInstant::Ambiguous {
                earlier: a.min(b),
                later: a.max(b),
            }
        }
        LocalResult::None => {
            // The offset in force before the gap: that of the latest earlier local time that
            // exists. Gaps are at most a few hours; search back in 15-minute steps for a day.
            let mut offset_secs = 0i64;
            for step in 1..=96 {
                let probe = local - Duration::minutes(15 * step);
                if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) =
                    tz.from_local_datetime(&probe)
                {
                    offset_secs = t.offset().fix().local_minus_utc() as i64;
                    break;
                }
            }
            let utc = local - Duration::seconds(offset_secs);
            LocalInstant::Skipped {
                compatible: Utc.from_utc_datetime(&utc),
            }
        }
    }
}

/// A place where agents work, with its IANA time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Unique name, as used in scenario files and reports.
    pub name: String,
    /// IANA time zone, e.g. `Europe/London`.
    pub tz: Tz,
}

impl Site {
    /// A site named `name` in the IANA zone `zone`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTimeZone`] with field `site "NAME" zone` when `zone` is not an IANA time
    /// zone name.
    pub fn new(name: impl Into<String>, zone: &str) -> Result<Self> {
        let name = name.into();
        let tz = parse_tz(&format!("site {name:?} zone"), zone)?;
        Ok(Site { name, tz })
    }

    /// The UTC instant(s) of a local date and time at this site.
    pub fn resolve(&self, local: NaiveDateTime) -> LocalInstant {
        resolve_local(self.tz, local)
    }

    /// One UTC instant for a local time under `policy`. `field` names the value in errors.
    ///
    /// # Errors
    ///
    /// [`Error::LocalTime`] naming `field` when `policy` is [`DstPolicy::Reject`] and `local` is
    /// ambiguous (repeated when clocks go back) or does not exist (skipped when clocks go forward)
    /// at this site. The other policies never fail.
    pub fn to_utc(
        &self,
        local: NaiveDateTime,
        policy: DstPolicy,
        field: &str,
    ) -> Result<DateTime<Utc>> {
        match (self.resolve(local), policy) {
            (LocalInstant::Single(t), _) => Ok(t),
            (LocalInstant::Ambiguous { earlier, .. }, DstPolicy::Compatible) => Ok(earlier),
            (LocalInstant::Ambiguous { later, .. }, DstPolicy::Later) => Ok(later),
            (LocalInstant::Skipped { compatible }, DstPolicy::Compatible | DstPolicy::Later) => {
                Ok(compatible)
            }
            (LocalInstant::Ambiguous { earlier, later }, DstPolicy::Reject) => {
                Err(Error::LocalTime {
                    field: field.to_string(),
                    local: local.to_string(),
                    zone: self.tz.name().to_string(),
                    reason: format!(
                        "is ambiguous (clocks go back; it is both {} and {})",
                        earlier.to_rfc3339(),
                        later.to_rfc3339()
                    ),
                })
            }
            (LocalInstant::Skipped { .. }, DstPolicy::Reject) => Err(Error::LocalTime {
                field: field.to_string(),
                local: local.to_string(),
                zone: self.tz.name().to_string(),
                reason: "does not exist (clocks go forward past it)".to_string(),
            }),
        }
    }

    /// The local wall-clock time of a UTC instant at this site.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.tz)
    }

    /// The UTC instant of local midnight starting `date` (with [`DstPolicy::Compatible`]:
    /// zones that skip midnight start the day when the clock resumes).
    pub fn day_start(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        match self.resolve(midnight) {
            LocalInstant::Single(t) => t,
            LocalInstant::Ambiguous { earlier, .. } => earlier,
            LocalInstant::Skipped { compatible } => compatible,
        }
    }

    /// Length of the local day `date` at this site: 24 hours, or 23 / 25 hours on the day
    /// of a daylight-saving change.
    pub fn day_length(&self, date: NaiveDate) -> Duration {
        let next = date.succ_opt().unwrap_or(date);
        self.day_start(next) - self.day_start(date)
    }
}

/// Parses an IANA zone name; `field` names the value in the error.
///
/// # Errors
///
/// [`Error::UnknownTimeZone`] naming `field` when `zone` is not an IANA time zone name (a
/// long name is shortened in the message, see [`crate::error::shorten`]).
pub fn parse_tz(field: &str, zone: &str) -> Result<Tz> {
    zone.parse::<Tz>().map_err(|_| Error::UnknownTimeZone {
        field: crate::error::shorten(field.to_string()),
        zone: crate::error::shorten(zone.to_string()),
    })
}

/// Parses a calendar day written `YYYY-MM-DD` (space around it is ignored), as the
/// `--from`/`--to` flags of `wfm contacts` and the Python `date_from`/`date_to` take it;
/// `field` names the value in the error.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `s` is not a valid date `YYYY-MM-DD` (an empty
/// value, another order, a day that does not exist such as `2027-02-30`); a long value is
/// shortened in the message.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("{s:?} is not a date YYYY-MM-DD")))
}

/// Parses a duration written the one way every `wfm` flag takes them: a number and a unit,
/// `s`, `m` (or `min`), `h`, `d` or `w` (`1800s`, `30m`, `1.5h`, `7d`), or a bare number in
/// `bare_unit_seconds` (60 for flags counted in minutes, 1 for flags counted in seconds).
/// Returns seconds; `field` names the flag in errors. Empty and non-finite values, and
/// negative ones with a unit, are errors; a bare number is returned for the caller to check.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `s` is empty; is a bare number that is infinite or NaN;
/// is not a number followed by one of the units `s`, `sec`, `m`, `min`, `h`, `d`, `w` (so a
/// negative number with a unit); or with its unit comes to more than 10¹² seconds. A bare number,
/// negative or huge too, is returned times `bare_unit_seconds`: the caller checks its range.
pub fn parse_duration(field: &str, s: &str, bare_unit_seconds: f64) -> Result<f64> {
    let t = s.trim();
    // A bare number (also `1e300`, `-5`) is in the flag's own unit; the caller checks its
    // range and names it as given.
    if let Ok(n) = t.parse::<f64>() {
        if !n.is_finite() {
            return Err(Error::invalid(
                field,
                format!("must be a finite number, got {s:?}"),
            ));
        }
        return Ok(n * bare_unit_seconds);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| {
        Error::invalid(
            field,
            format!("expected a duration such as 20s, 30m, 1h or 7d, got {s:?}"),
        )
    })?;
    let mult = match unit.trim() {
        "" => bare_unit_seconds,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 7.0 * 86_400.0,
        other => {
            return Err(Error::invalid(
                field,
                format!("unknown unit {other:?} in {s:?} (use s, m, h, d or w)"),
            ))
        }
    };
    let v = n * mult;
    if !v.is_finite() || v > 1e12 {
        return Err(Error::invalid(field, format!("{s:?} is too long")));
    }
    Ok(v)
}

/// Reads an `interval_start_utc` cell (RFC 3339, any offset) as a UTC instant; the error
/// names `file`, `line` and the cell.
pub(crate) fn parse_interval_start(file: &str, line: usize, raw: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Error::parse(
                file,
                line,
                format!("interval_start_utc {raw:?} is not RFC 3339: {e}"),
            )
        })
}

/// Formats a UTC instant as RFC 3339 with a `Z` suffix, to the second.
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    let mut s = String::with_capacity(20);
    if push_naive(&mut s, &t.naive_utc()) {
        s.push('Z');
        s
    } else {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// Formats a local time as RFC 3339 with its numeric offset, to the second.
pub fn fmt_local(t: DateTime<Tz>) -> String {
    let offset = t.offset().fix().local_minus_utc();
    let mut s = String::with_capacity(25);
    if offset % 60 == 0 && push_naive(&mut s, &t.naive_local()) {
        let m = offset.abs() / 60;
        let sign = if offset < 0 { '-' } else { '+' };
        let _ =
            std::fmt::Write::write_fmt(&mut s, format_args!("{sign}{:02}:{:02}", m / 60, m % 60));
        s
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Appends `YYYY-MM-DDTHH:MM:SS` (what `%Y-%m-%dT%H:%M:%S` gives, without the cost of
/// parsing a format string for each of a million roster rows); `false` for years outside
/// 0..=9999, which that format writes with a sign.
fn push_naive(s: &mut String, t: &chrono::NaiveDateTime) -> bool {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write as _;
    if !(0..=9999).contains(&t.year()) || t.nanosecond() >= 1_000_000_000 {
        return false;
    }
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn ny() -> Site {
        Site::new("ny", "America/New_York").unwrap()
    }

    fn local(date: &str, time: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_time(NaiveTime::parse_from_str(time, "%H:%M").unwrap())
    }

    #[test]
    fn a_huge_zone_name_is_shortened_in_its_error() {
        let e = parse_tz("zone", &"x".repeat(10_000_000)).unwrap_err();
        let Error::UnknownTimeZone { field, zone } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(field, "zone");
        assert!(zone.starts_with("xxx") && zone.contains("characters left out"));
        assert!(e.to_string().len() < 2 * crate::error::MAX_MESSAGE_BYTES);
    }

    #[test]
    fn dates_are_read_or_refused_naming_the_field() {
        let d = parse_date("--from", " 2027-02-28 ").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
        for bad in ["", "2027-02-30", "28/02/2027", "2027-02-28T00:00", "NaN"] {
            let e = parse_date("date_from", bad).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("invalid date_from: {bad:?} is not a date YYYY-MM-DD")
            );
        }
        let huge = "9".repeat(1_000_000);
        let e = parse_date("--to", &huge).unwrap_err().to_string();
        assert!(e.starts_with("invalid --to: \"999"), "{}", &e[..40]);
        assert!(e.len() < 2 * crate::error::MAX_MESSAGE_BYTES, "{}", e.len());
    }

    #[test]
    fn horizon_validates() {
        let t = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
        assert!(Horizon::new(t, 15, 672).is_ok());
        assert!(Horizon::new(t, 7, 10).is_err());
        assert!(Horizon::new(t, 15, 0).is_err());
        assert!(Horizon::new(t + Duration::seconds(5), 15, 1).is_err());
        let h = Horizon::days(t, 15, 7).unwrap();
        assert_eq!(h.len(), 672);
        assert_eq!(h.end() - h.start(), Duration::days(7));
        assert_eq!(h.boundary_index(t + Duration::minutes(30)), Some(2));
        assert_eq!(h.boundary_index(t + Duration::minutes(31)), None);
        assert_eq!(h.index_containing(t + Duration::minutes(31)), Some(2));
        assert_eq!(h.index_containing(h.end()), None);
    }

    #[test]
    fn eight_am_moves_in_utc_across_spring_forward() {
        let s = ny();
        let before = s
            .to_utc(local("2027-03-12", "08:00"), DstPolicy::Reject, "x")
            .unwrap();
        let after = s
            .to_utc(local("2027-03-15", "08:00"), DstPolicy::Reject, "x")
            .unwrap();
        assert_eq!(fmt_utc(before), "2027-03-12T13:00:00Z");
        assert_eq!(fmt_utc(after), "2027-03-15T12:00:00Z");
        let d = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        assert_eq!(s.day_length(d), Duration::hours(23));
        let d = NaiveDate::from_ymd_opt(2027, 11, 7).unwrap();
        assert_eq!(s.day_length(d), Duration::hours(25));
        let d = NaiveDate::from_ymd_opt(2027, 11, 8).unwrap();
        assert_eq!(s.day_length(d), Duration::hours(24));
    }

    #[test]
    fn gap_is_resolved_forward_or_rejected() {
        let s = ny();
        let t = local("2027-03-14", "02:30");
        assert!(matches!(s.resolve(t), LocalInstant::Skipped { .. }));
        let c = s.to_utc(t, DstPolicy::Compatible, "start").unwrap();
        // 02:30 EST = 07:30Z = 03:30 EDT
        assert_eq!(fmt_utc(c), "2027-03-14T07:30:00Z");
        assert_eq!(fmt_local(s.local(c)), "2027-03-14T03:30:00-04:00");
        let e = s.to_utc(t, DstPolicy::Reject, "start").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert!(e.to_string().contains("start"), "{e}");
    }

    #[test]
    fn fold_is_earlier_later_or_rejected() {
        let s = ny();
        let t = local("2027-11-07", "01:30");
        let LocalInstant::Ambiguous { earlier, later } = s.resolve(t) else {
            panic!("01:30 should be ambiguous");
        };
        assert_eq!(fmt_utc(earlier), "2027-11-07T05:30:00Z");
        assert_eq!(fmt_utc(later), "2027-11-07T06:30:00Z");
        assert_eq!(s.to_utc(t, DstPolicy::Compatible, "x").unwrap(), earlier);
        assert_eq!(s.to_utc(t, DstPolicy::Later, "x").unwrap(), later);
        assert!(s.to_utc(t, DstPolicy::Reject, "x").is_err());
    }

    #[test]
    fn unknown_zone_is_named() {
        let e = Site::new("moon", "Moon/Base").unwrap_err();
        assert!(e.to_string().contains("Moon/Base"));
    }

    #[test]
    fn manila_has_no_dst_and_london_changes_later() {
        let m = Site::new("mnl", "Asia/Manila").unwrap();
        let l = Site::new("lon", "Europe/London").unwrap();
        let d = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        assert_eq!(m.day_length(d), Duration::hours(24));
        assert_eq!(l.day_length(d), Duration::hours(24));
        let d = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        assert_eq!(l.day_length(d), Duration::hours(23));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// local → UTC → local round-trips for every time that exists exactly once.
        #[test]
        fn local_utc_round_trip(secs in 1_700_000_000i64..1_900_000_000i64, z in 0usize..5) {
            let zones = ["America/New_York", "Europe/London", "Asia/Manila",
                         "Australia/Lord_Howe", "America/Sao_Paulo"];
            let site = Site::new("s", zones[z]).unwrap();
            let t = DateTime::from_timestamp(secs - secs % 60, 0).unwrap();
            let l = site.local(t).naive_local();
            match site.resolve(l) {
                LocalInstant::Single(u) => prop_assert_eq!(u, t),
                LocalInstant::Ambiguous { earlier, later } =>
                    prop_assert!(earlier == t || later == t),
                LocalInstant::Skipped { .. } => prop_assert!(false, "a real instant's local time exists"),
            }
        }
    }

    /// The hand-written formatters give exactly what the format strings give, in zones
    /// east and west, with half- and quarter-hour offsets, and across the year range.
    #[test]
    fn fast_formatters_match_the_format_strings() {
        use chrono::Datelike;
        let zones = [
            "UTC",
            "America/New_York",
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "Pacific/Chatham",
        ];
        let mut t = Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap();
        let step = Duration::seconds(86_400 * 397 + 3_607);
        while t.year() < 9999 {
            assert_eq!(fmt_utc(t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            for z in zones {
                let tz: Tz = z.parse().unwrap();
                let l = t.with_timezone(&tz);
                assert_eq!(
                    fmt_local(l),
                    l.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    "{z}"
                );
            }
            t += step;
        }
        let far = Utc.with_ymd_and_hms(12_000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(fmt_utc(far), far.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
}
