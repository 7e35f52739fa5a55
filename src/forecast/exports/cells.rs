//! Reading one cell of an export: timestamps in the layout's date order and zone, numbers
//! with a decimal point or comma, durations as numbers or `h:mm:ss`.

use super::super::history::naive_to_utc;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
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
        const T24: [&str; 2] = ["%H:%M:%S", "%H:%M"];
        const T12: [&str; 4] = ["%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M"];
        match self {
            Dates::Iso => {
                let mut v = with(&["%Y-%m-%d"], &["%H:%M:%S%.f", "%H:%M"]);
                v.extend(["%Y-%m-%dT%H:%M:%S%.f".into(), "%Y-%m-%dT%H:%M".into()]);
                v
            }
            Dates::Dmy => with(&["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y"], &T24),
            Dates::Mdy => with(&["%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"], &T12),
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
            Dates::Dmy => "dd/mm/yyyy HH:MM[:SS]".into(),
            Dates::Mdy => "mm/dd/yyyy HH:MM[:SS] [AM|PM]".into(),
            Dates::Format(f) => format!("the format {f:?}"),
        }
    }
}

/// Parses a timestamp: with an offset it is exact; without, it is local time in `zone`
/// (an error when there is none). A local time repeated by a daylight-saving change is its
/// earlier instant; one skipped by it is an error.
pub(crate) fn timestamp(s: &str, dates: &Dates, zone: Option<Tz>) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if matches!(dates, Dates::Iso) {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t.with_timezone(&Utc));
        }
        for f in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S%.f%z"] {
            if let Ok(t) = DateTime::parse_from_str(s, f) {
                return Ok(t.with_timezone(&Utc));
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
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| format!("unparsable timestamp {s:?} (expected {})", dates.describe()))?;
    local(naive, zone)
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
        .find_map(|f| NaiveDate::parse_from_str(date.trim(), f).ok())
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
