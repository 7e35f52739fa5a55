//! Reading one cell of an export: timestamps in the layout's date order and zone, numbers
//! with a decimal point or comma, durations as numbers or `h:mm:ss`.

use super::super::history::naive_to_utc;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

/// How timestamps are written.
#[derive(Debug, Clone)]
pub(crate) enum Dates {
    /// RFC 3339 or `YYYY-MM-DD HH:MM[:SS]`.
    Iso,
    /// Day first.
    Dmy,
    /// Month first.
    Mdy,
    /// A chrono format.
    Format(String),
}

impl Dates {
    pub(crate) fn parse(s: &str) -> Result<Dates, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "iso" => Ok(Dates::Iso),
            "dmy" => Ok(Dates::Dmy),
            "mdy" => Ok(Dates::Mdy),
            _ if s.contains('%') => Ok(Dates::Format(s.to_string())),
            _ => Err(format!(
                "{s:?} is not iso, dmy, mdy or a chrono format such as %d/%m/%Y %H:%M"
            )),
        }
    }

    fn naive_formats(&self) -> Vec<String> {
        let with = |dates: &[&str], times: &[&str]| {
            let mut v = Vec::new();
            for d in dates {
                for t in times {
                    v.push(format!("{d} {t}"));
                }
            }
            v
        };
        const T12: [&str; 4] = ["%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M"];
        match self {
            Dates::Iso => {
                let mut v = with(&["%Y-%m-%d"], &["%H:%M:%S%.f", "%H:%M"]);
                v.extend(["%Y-%m-%dT%H:%M:%S%.f".into(), "%Y-%m-%dT%H:%M".into()]);
                v
            }
            Dates::Dmy => with(
                &[
                    "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d %B %Y", "%d-%B-%Y",
                    "%d/%B/%Y", "%d/%B/%y", "%d-%B-%y",
                ],
                &T12,
            ),
            Dates::Mdy => with(
                &["%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%B %d, %Y", "%B %d %Y"],
                &T12,
            ),
            Dates::Format(f) => vec![f.clone()],
        }
    }

    fn date_formats(&self) -> Vec<String> {
        match self {
            Dates::Iso => vec!["%Y-%m-%d".into()],
            Dates::Dmy => vec!["%d/%m/%Y".into(), "%d.%m.%Y".into(), "%d-%m-%Y".into()],
            Dates::Mdy => vec!["%m/%d/%Y".into(), "%m-%d-%Y".into()],
            Dates::Format(f) => vec![f.clone()],
        }
    }

    fn describe(&self) -> String {
        match self {
            Dates::Iso => "RFC 3339 or YYYY-MM-DD HH:MM[:SS]".into(),
            Dates::Dmy => "dd/mm/yyyy HH:MM[:SS] or 5 Mar 2024 14:03".into(),
            Dates::Mdy => "mm/dd/yyyy HH:MM[:SS] [AM|PM] or Mar 5, 2024 2:03 PM".into(),
            Dates::Format(f) => format!("the format {f:?}"),
        }
    }
}

/// Parses a timestamp: with an offset it is exact; without, it is local time in `zone`
/// (an error when there is none). A local time repeated by a daylight-saving change is its
/// earlier instant; one skipped by it is an error.
pub(crate) fn timestamp(s: &str, dates: &Dates, zone: Option<Tz>) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if !matches!(dates, Dates::Format(_)) {
        if let Some(t) = epoch(s)? {
            return Ok(t);
        }
    }
    if matches!(dates, Dates::Iso) {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        for f in [
            "%Y-%m-%d %H:%M:%S%.f %z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%d %H:%M %z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(s, f) {
                return Ok(t.with_timezone(&Utc));
            }
        }
        // RFC 2822 (`Tue, 05 Mar 2024 14:03:22 +0000`), as e-mail and some REST APIs
        // write instants.
        if let Ok(t) = DateTime::parse_from_rfc2822(s) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    // A naive timestamp followed by `UTC`, `GMT` or `Z` is in UTC whatever the zone.
    let upper = s.to_ascii_uppercase();
    for suffix in [" UTC", " GMT", "Z"] {
        if upper.ends_with(suffix) {
            // ASCII upper-casing keeps byte offsets, so this is a character boundary.
            let rest = s[..s.len() - suffix.len()].trim_end();
            if let Some(n) = dates.naive_formats().iter().find_map(|f| naive(rest, f)) {
                return Ok(n.and_utc());
            }
        }
    }
    if let Dates::Format(f) = dates {
        if f.contains("%z") || f.contains("%:z") {
            return DateTime::parse_from_str(s, f)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    format!("unparsable timestamp {s:?} (expected {})", dates.describe())
                });
        }
    }
    let naive = dates
        .naive_formats()
        .iter()
        .find_map(|f| naive(s, f))
        .ok_or_else(|| format!("unparsable timestamp {s:?} (expected {})", dates.describe()))?;
    local(naive, zone)
}

/// chrono's `%Y` also takes a two-digit year (`24` as the year 24): a format with `%Y`
/// must give a year of four digits, so that `05/03/24` falls through to `%y` (2024) and a
/// two-digit year under a user's `%Y` is an error, not a date two thousand years ago.
fn four_digit_year(format: &str, year: i32) -> bool {
    !format.contains("%Y") || year >= 1000
}

fn naive(s: &str, format: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, format)
        .ok()
        .filter(|n| four_digit_year(format, n.year()))
}

/// Earliest and latest instants an epoch cell may give: 1990 to 2100 (a count outside is
/// not an instant of a contact export but a mistaken column).
const EPOCH_RANGE: std::ops::RangeInclusive<i64> = 631_152_000..=4_102_444_800;

/// A cell of digits only is Unix time: 9 to 11 digits are seconds, 12 to 14 milliseconds
/// (as telephony logs and REST exports write it); `None` when the cell is not all digits.
fn epoch(s: &str) -> Result<Option<DateTime<Utc>>, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let millis: i64 = match int.len() {
        9..=11 => {
            let secs: i64 = int.parse().map_err(|_| format!("{s:?} is not Unix time"))?;
            let ms_frac: i64 = format!("{:0<3}", &frac[..frac.len().min(3)])
                .parse()
                .unwrap_or(0);
            secs.saturating_mul(1000).saturating_add(ms_frac)
        }
        12..=14 if frac.is_empty() => int.parse().map_err(|_| format!("{s:?} is not Unix time"))?,
        _ => {
            return Err(format!(
                "{s:?} is a number but not Unix time (10 digits of seconds or 13 of milliseconds)"
            ))
        }
    };
    if !EPOCH_RANGE.contains(&millis.div_euclid(1000)) {
        return Err(format!(
            "{s:?} read as Unix time is outside 1990 to 2100: is this a timestamp column?"
        ));
    }
    Ok(DateTime::from_timestamp_millis(millis))
}

fn local(naive: NaiveDateTime, zone: Option<Tz>) -> Result<DateTime<Utc>, String> {
    let tz = zone.ok_or_else(|| {
        format!("timestamp {naive} has no UTC offset: give the zone it is written in (--zone)")
    })?;
    naive_to_utc(naive, tz, None)
}

/// A date cell and a time-of-day cell.
pub(crate) fn date_and_time(
    date: &str,
    time: &str,
    dates: &Dates,
    zone: Option<Tz>,
) -> Result<DateTime<Utc>, String> {
    let d = dates
        .date_formats()
        .iter()
        .find_map(|f| {
            NaiveDate::parse_from_str(date.trim(), f)
                .ok()
                .filter(|d| four_digit_year(f, d.year()))
        })
        .ok_or_else(|| format!("unparsable date {date:?} (expected {})", dates.describe()))?;
    let t = ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time.trim(), f).ok())
        .ok_or_else(|| format!("unparsable time of day {time:?} (expected HH:MM[:SS])"))?;
    local(NaiveDateTime::new(d, t), zone)
}

/// A non-negative finite number, with a decimal point or (if `comma`) a decimal comma.
pub(crate) fn number(s: &str, comma: bool) -> Result<f64, String> {
    let t = s.trim();
    let owned;
    let t = if comma {
        if t.contains('.') && t.contains(',') {
            return Err(format!("{s:?} mixes a decimal comma and a point"));
        }
        owned = t.replace(',', ".");
        owned.as_str()
    } else {
        if t.contains(',') {
            return Err(format!(
                "{s:?} is not a number (a decimal comma? give --decimal-comma)"
            ));
        }
        t
    };
    let v: f64 = t.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{s:?} must be a finite number ≥ 0"));
    }
    Ok(v)
}

/// Longest duration a cell may give: ten years, the longest time grid
/// ([`crate::limits::MAX_GRID_DAYS`]); beyond it a number is a typo or garbage, and sums
/// of such numbers stop being finite.
const MAX_DURATION_SECONDS: f64 = crate::limits::MAX_GRID_DAYS as f64 * 86_400.0;

/// A duration in seconds: `h:mm:ss` / `mm:ss`, or a number in units of `unit_seconds`; at
/// most ten years.
pub(crate) fn duration(s: &str, comma: bool, unit_seconds: f64) -> Result<f64, String> {
    let d = duration_unbounded(s, comma, unit_seconds)?;
    if d > MAX_DURATION_SECONDS {
        return Err(format!(
            "{s:?} is {} seconds, more than the {} days of the longest time grid",
            crate::limits::show(d),
            crate::limits::MAX_GRID_DAYS
        ));
    }
    Ok(d)
}

fn duration_unbounded(s: &str, comma: bool, unit_seconds: f64) -> Result<f64, String> {
    let t = s.trim();
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(format!("{s:?} is not a duration (h:mm:ss or mm:ss)"));
        }
        let mut total = 0.0;
        for p in &parts {
            let v = number(p, comma).map_err(|_| format!("{s:?} is not a duration (h:mm:ss)"))?;
            total = total * 60.0 + v;
        }
        return Ok(total);
    }
    Ok(number(t, comma)? * unit_seconds)
}

/// Checks that `zone`'s UTC offset at `t` is a whole number of minutes: local days and the
/// grid need it, and a zone's local mean time before its first standard time (New York
/// −04:56:02 before 1883) has none.
///
/// # Errors
///
/// The reason, naming the instant, the zone and its offset then.
pub(crate) fn whole_minute_offset(t: DateTime<Utc>, zone: Tz) -> std::result::Result<(), String> {
    use chrono::{Offset, TimeZone};
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    if offset.local_minus_utc() % 60 == 0 {
        return Ok(());
    }
    Err(format!(
        "{} is before {} kept whole-minute UTC offsets (its offset then was {offset}), too early for a contact",
        t.to_rfc3339(),
        zone.name(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> Option<Tz> {
        "Europe/Paris".parse().ok()
    }

    #[test]
    fn date_orders() {
        let iso = timestamp("2027-02-01 08:14:55", &Dates::Iso, paris()).unwrap();
        assert_eq!(iso.to_rfc3339(), "2027-02-01T07:14:55+00:00");
        let dmy = timestamp("01/02/2027 08:14", &Dates::Dmy, paris()).unwrap();
        assert_eq!(dmy.to_rfc3339(), "2027-02-01T07:14:00+00:00");
        let mdy = timestamp("2/1/2027 8:14 PM", &Dates::Mdy, paris()).unwrap();
        assert_eq!(mdy.to_rfc3339(), "2027-02-01T19:14:00+00:00");
        let jira = Dates::parse("%d/%b/%y %I:%M %p").unwrap();
        let j = timestamp("01/Feb/27 8:14 AM", &jira, paris()).unwrap();
        assert_eq!(j.to_rfc3339(), "2027-02-01T07:14:00+00:00");
        let off = timestamp("2027-02-01T08:14:00-05:00", &Dates::Iso, None).unwrap();
        assert_eq!(off.to_rfc3339(), "2027-02-01T13:14:00+00:00");
        let e = timestamp("2027-02-01 08:14", &Dates::Iso, None).unwrap_err();
        assert!(e.contains("--zone"), "{e}");
        assert!(timestamp("13/13/2027 08:00", &Dates::Dmy, paris()).is_err());
        // Skipped by the spring-forward change in Paris.
        assert!(timestamp("2027-03-28 02:30", &Dates::Iso, paris()).is_err());
    }

    #[test]
    fn shapes_real_tools_write() {
        let utc = |s: &str, d: &Dates| timestamp(s, d, paris()).map(|t| t.to_rfc3339());
        let at = Ok("2024-03-05T14:03:22+00:00".to_string());
        // Offsets as Z, with or without a colon; RFC 2822; a naive time marked UTC.
        assert_eq!(utc("2024-03-05T14:03:22Z", &Dates::Iso), at);
        assert_eq!(utc("2024-03-05T15:03:22+0100", &Dates::Iso), at);
        assert_eq!(utc("2024-03-05 15:03:22 +01:00", &Dates::Iso), at);
        assert_eq!(utc("Tue, 05 Mar 2024 14:03:22 +0000", &Dates::Iso), at);
        assert_eq!(utc("2024-03-05 14:03:22 UTC", &Dates::Iso), at);
        assert_eq!(utc("2024-03-05 14:03:22 utc", &Dates::Iso), at);
        assert_eq!(utc("05/03/2024 14:03:22 GMT", &Dates::Dmy), at);
        // Unix time in seconds (with a fraction) or milliseconds.
        assert_eq!(utc("1709647402", &Dates::Iso), at);
        assert_eq!(utc("1709647402000", &Dates::Iso), at);
        assert_eq!(utc("1709647402000", &Dates::Mdy), at);
        assert_eq!(
            utc("1709647402.5", &Dates::Iso),
            Ok("2024-03-05T14:03:22.500+00:00".to_string())
        );
        assert!(utc("20240305", &Dates::Iso)
            .unwrap_err()
            .contains("Unix time"));
        assert!(utc("99999999999", &Dates::Iso)
            .unwrap_err()
            .contains("2100"));
        // Month names, day or month first; local time in the zone (Paris: UTC+1 in March).
        let local = Ok("2024-03-05T13:03:00+00:00".to_string());
        assert_eq!(utc("Mar 5, 2024 2:03 PM", &Dates::Mdy), local);
        assert_eq!(utc("March 5, 2024 02:03 pm", &Dates::Mdy), local);
        assert_eq!(utc("5 Mar 2024 14:03", &Dates::Dmy), local);
        assert_eq!(utc("05-Mar-2024 2:03 PM", &Dates::Dmy), local);
        assert_eq!(utc("05/Mar/24 2:03 PM", &Dates::Dmy), local);
        // Two-digit years are this century's, never the year 24.
        assert_eq!(utc("05/03/24 14:03", &Dates::Dmy), local);
        assert_eq!(utc("3/5/24 2:03 PM", &Dates::Mdy), local);
        let four = Dates::parse("%d/%m/%Y %H:%M").unwrap();
        assert!(utc("05/03/24 14:03", &four).is_err());
        // A chrono format is used as given: no epoch guessing.
        let f = Dates::parse("%y%m%d %H%M").unwrap();
        assert!(utc("1709647402", &f).is_err());
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(number("12,5", true).unwrap(), 12.5);
        assert!(number("12,5", false)
            .unwrap_err()
            .contains("--decimal-comma"));
        assert!(number("-1", false).is_err());
        assert!(number("NaN", false).is_err());
        assert!(number("1.000,5", true).is_err());
        assert_eq!(duration("0:04:10", false, 1.0).unwrap(), 250.0);
        assert_eq!(duration("04:10", false, 1.0).unwrap(), 250.0);
        assert_eq!(duration("0,75", true, 3600.0).unwrap(), 2700.0);
        assert!(duration("1::2", false, 1.0).is_err());
    }
}
