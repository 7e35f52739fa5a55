//! Actuals against forecast and plan: the week-after review of an analyst. The contacts that
//! arrived in a past period (a history file, such as `wfm contacts` writes) are set against
//! the forecast of that period (the file `wfm forecast` wrote) and, optionally, the service
//! level the plan predicted (`coverage.csv` of `wfm plan`): forecast error per interval and
//! per local day, and achieved against predicted service.
//!
//! Actual rows may be finer than the forecast grid (they are summed into its intervals);
//! actual rows outside the forecast's horizon are counted, not compared. A forecast interval
//! without an actual row is *missing* (not zero) and is left out of the errors.

use super::history::{find_column, parse_number};
use crate::error::{Error, Result};
use crate::time::{fmt_local, fmt_utc};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Largest volume or handle time read (each column's own input limit, the larger of the two).
const NUMBER_MAX: f64 = if crate::limits::MAX_VOLUME > crate::limits::MAX_AHT_SECONDS {
    crate::limits::MAX_VOLUME
} else {
    crate::limits::MAX_AHT_SECONDS
};

/// One forecast interval with what happened in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalActual {
    /// Interval start.
    pub start: DateTime<Utc>,
    /// Forecast contacts.
    pub forecast: f64,
    /// Actual contacts (`None`: no actual row covers the interval).
    pub actual: Option<f64>,
    /// Forecast handle time, seconds.
    pub forecast_aht: f64,
    /// Actual handle time, seconds (volume-weighted), if known.
    pub actual_aht: Option<f64>,
    /// Service level the plan predicted, if a coverage file was given and the interval is
    /// open.
    pub predicted_sl: Option<f64>,
    /// Service level achieved (volume-weighted over the actual rows), if known.
    pub achieved_sl: Option<f64>,
}

/// The comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Forecast intervals in time order.
    pub intervals: Vec<IntervalActual>,
    /// Zone of local days.
    pub zone: Tz,
    /// Actual rows outside the forecast horizon (not compared).
    pub outside: usize,
}

/// A cell written with a decimal comma (`12,5`: digits, one comma, digits) with a point.
fn decimal_point(cell: &str) -> Option<String> {
    let t = cell.trim();
    let (a, b) = t.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (digits(a.strip_prefix('-').unwrap_or(a)) && digits(b)).then(|| format!("{a}.{b}"))
}

/// The header and the rows of a CSV text with their 1-based lines. The delimiter is `,`,
/// or `;` or a tab when the header line has no comma (as the history reader finds it); in
/// a `;`-delimited file, a spreadsheet's in a locale with a decimal comma, numbers written
/// `12,5` are read as `12.5`.
fn rows(file: &str, text: &str) -> Result<(csv::StringRecord, Vec<(usize, csv::StringRecord)>)> {
    let text = crate::limits::strip_bom(text);
    let delimiter = super::history::sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(file, 1, format!("cannot read the header: {e}")))?
        .clone();
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| {
            Error::parse(
                file,
                e.position().map_or(0, |p| p.line() as usize),
                e.to_string(),
            )
        })?;
        let line = r.position().map_or(0, |p| p.line() as usize);
        let r = if delimiter == b';' && r.iter().any(|c| c.contains(',')) {
            r.iter()
                .map(|c| decimal_point(c).unwrap_or_else(|| c.to_string()))
                .collect()
        } else {
            r
        };
        out.push((line, r));
    }
    Ok((headers, out))
}

fn instant(file: &str, line: usize, col: &str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Error::parse(
                file,
                line,
                format!("column {col}: {s:?} is not an RFC 3339 instant"),
            )
        })
}

fn cell<'r>(
    file: &str,
    line: usize,
    r: &'r csv::StringRecord,
    c: usize,
    name: &str,
) -> Result<&'r str> {
    r.get(c)
        .map(str::trim)
        .ok_or_else(|| Error::parse(file, line, format!("column {name} is missing")))
}

/// Compares `actual` (history CSV text: a time column of RFC 3339 instants, a volume
/// column, optional `aht_seconds` and `service_level`) with `forecast` (`wfm forecast`'s
/// CSV) and, if given, the predicted service level of `queue` in `coverage` (`coverage.csv`
/// text). Each text comes with the name its errors use.
///
/// # Errors
///
/// [`Error::Parse`] naming the file and line when a CSV cannot be read, a needed column (time,
/// volume, `aht_seconds`, `queue`, `service_level`) is missing, a time is not RFC 3339 or a number
/// does not parse or is out of range, the forecast's rows are not in increasing, evenly spaced time
/// order, or the forecast has fewer than two intervals; [`Error::Invalid`] naming `--queue` when
/// `coverage` has no rows for `queue`.
pub fn compare(
    actual: (&str, &str),
    forecast: (&str, &str),
    coverage: Option<((&str, &str), &str)>,
    zone: Tz,
) -> Result<Comparison> {
    // Forecast grid.
    let (ff, ft) = forecast;
    let (fh, frows) = rows(ff, ft)?;
    let ftime = find_column(ff, &fh, Some("interval_start_utc"), &[], "time", true)?.unwrap_or(0);
    let fvol = find_column(ff, &fh, Some("volume"), &[], "volume", true)?.unwrap_or(1);
    let faht = find_column(ff, &fh, Some("aht_seconds"), &[], "handle time", true)?.unwrap_or(2);
    let mut intervals: Vec<IntervalActual> = Vec::with_capacity(frows.len());
    for (line, r) in &frows {
        let t = instant(
            ff,
            *line,
            "interval_start_utc",
            cell(ff, *line, r, ftime, "interval_start_utc")?,
        )?;
        if let Some(prev) = intervals.last() {
            if t <= prev.start {
                return Err(Error::parse(
                    ff,
                    *line,
                    "rows are not in increasing time order",
                ));
            }
        }
        let num = |c: usize, n: &str| -> Result<f64> {
            parse_number(cell(ff, *line, r, c, n)?, n, NUMBER_MAX)
                .map_err(|e| Error::parse(ff, *line, e))
        };
        intervals.push(IntervalActual {
            start: t,
            forecast: num(fvol, "volume")?,
            actual: None,
            forecast_aht: num(faht, "aht_seconds")?,
            actual_aht: None,
            predicted_sl: None,
            achieved_sl: None,
        });
    }
    let (start, step, last) = match intervals.as_slice() {
        [a, b, ..] => (
            a.start,
            b.start - a.start,
            intervals.last().map_or(b.start, |l| l.start),
        ),
        _ => {
            return Err(Error::parse(
                ff,
                1,
                "a forecast needs at least two intervals",
            ))
        }
    };
    for (k, w) in intervals.windows(2).enumerate() {
        if let [a, b] = w {
            if b.start - a.start != step {
                return Err(Error::parse(ff, k + 3, "intervals are not evenly spaced"));
            }
        }
    }
    let end = last + step;
    let index = |t: DateTime<Utc>| -> Option<usize> {
        (t >= start && t < end).then(|| ((t - start).num_seconds() / step.num_seconds()) as usize)
    };

    // Actuals, summed into the forecast's intervals.
    let (af, at) = actual;
    let (ah, arows) = rows(af, at)?;
    let atime = find_column(
        af,
        &ah,
        None,
        &[
            "interval_start_utc",
            "interval_start",
            "timestamp",
            "time",
            "start",
        ],
        "time",
        true,
    )?
    .unwrap_or(0);
    let avol = find_column(
        af,
        &ah,
        None,
        &[
            "offered", "volume", "contacts", "calls", "arrivals", "count",
        ],
        "volume",
        true,
    )?
    .unwrap_or(1);
    let aaht = find_column(af, &ah, None, &["aht_seconds", "aht"], "handle time", false)?;
    let asl = find_column(af, &ah, None, &["service_level"], "service level", false)?;
    // index -> (volume, aht·vol, aht vol, sl·vol, sl vol)
    let mut acc: BTreeMap<usize, (f64, f64, f64, f64, f64)> = BTreeMap::new();
    let mut outside = 0usize;
    for (line, r) in &arows {
        let t = instant(af, *line, "time", cell(af, *line, r, atime, "time")?)?;
        let Some(i) = index(t) else {
            outside += 1;
            continue;
        };
        let vname = ah.get(avol).unwrap_or("volume");
        let v = parse_number(
            cell(af, *line, r, avol, vname)?,
            vname,
            crate::limits::MAX_VOLUME,
        )
        .map_err(|e| Error::parse(af, *line, e))?;
        let opt = |c: Option<usize>, n: &str, max: f64| -> Result<Option<f64>> {
            match c {
                Some(c) => {
                    let s = cell(af, *line, r, c, n)?;
                    if s.is_empty() {
                        Ok(None)
                    } else {
                        parse_number(s, n, max)
                            .map(Some)
                            .map_err(|e| Error::parse(af, *line, e))
                    }
                }
                None => Ok(None),
            }
        };
        let e = acc.entry(i).or_default();
        e.0 += v;
        if let Some(a) = opt(aaht, "aht_seconds", NUMBER_MAX)? {
            e.1 += a * v;
            e.2 += v;
        }
        // A fraction, as the coverage's predicted service level.
        if let Some(s) = opt(asl, "service_level", 1.0)? {
            e.3 += s * v;
            e.4 += v;
        }
    }
    for (i, (v, ah_, aw, sl, sw)) in acc {
        if let Some(x) = intervals.get_mut(i) {
            x.actual = Some(v);
            x.actual_aht = (aw > 0.0).then(|| ah_ / aw);
            x.achieved_sl = (sw > 0.0).then(|| sl / sw);
        }
    }

    // Predicted service level of the queue.
    if let Some(((cf, ct), queue)) = coverage {
        let (ch, crows) = rows(cf, ct)?;
        let ctime =
            find_column(cf, &ch, Some("interval_start_utc"), &[], "time", true)?.unwrap_or(0);
        let cq = find_column(cf, &ch, Some("queue"), &[], "queue", true)?.unwrap_or(1);
        let csl =
            find_column(cf, &ch, Some("service_level"), &[], "service level", true)?.unwrap_or(4);
        let mut found = false;
        for (line, r) in &crows {
            if cell(cf, *line, r, cq, "queue")? != queue {
                continue;
            }
            found = true;
            let t = instant(
                cf,
                *line,
                "interval_start_utc",
                cell(cf, *line, r, ctime, "interval_start_utc")?,
            )?;
            let s = cell(cf, *line, r, csl, "service_level")?;
            if let (Some(i), false) = (index(t), s.is_empty()) {
                let v = parse_number(s, "service_level", 1.0)
                    .map_err(|e| Error::parse(cf, *line, e))?;
                if let Some(x) = intervals.get_mut(i) {
                    x.predicted_sl = Some(v);
                }
            }
        }
        if !found {
            return Err(Error::invalid(
                "--queue",
                format!("{cf} has no rows for queue {queue:?}"),
            ));
        }
    }
    Ok(Comparison {
        intervals,
        zone,
        outside,
    })
}

fn opt(v: Option<f64>, d: usize) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x:.d$}"))
        .unwrap_or_default()
}

/// Forecast error of a set of intervals: (forecast, actual, Σ|error|) over intervals with
/// an actual.
fn sums<'a>(xs: impl Iterator<Item = &'a IntervalActual>) -> (f64, f64, f64) {
    xs.filter_map(|x| x.actual.map(|a| (x.forecast, a)))
        .fold((0.0, 0.0, 0.0), |(f, a, e), (xf, xa)| {
            (f + xf, a + xa, e + (xa - xf).abs())
        })
}

/// Weighted mean of `value` with `weight` over intervals where both are known.
fn weighted<'a>(
    xs: impl Iterator<Item = &'a IntervalActual>,
    value: impl Fn(&IntervalActual) -> Option<f64>,
    weight: impl Fn(&IntervalActual) -> Option<f64>,
) -> Option<f64> {
    let (s, w) = xs.fold((0.0, 0.0), |(s, w), x| match (value(x), weight(x)) {
        (Some(v), Some(k)) if k > 0.0 => (s + v * k, w + k),
        _ => (s, w),
    });
    (w > 0.0).then(|| s / w)
}

impl Comparison {
    /// WAPE (Σ|actual − forecast| / Σ actual) and bias ((Σ forecast − Σ actual) / Σ actual)
    /// over every interval with an actual; `None` without actual contacts.
    pub fn wape_and_bias(&self) -> Option<(f64, f64)> {
        let (f, a, e) = sums(self.intervals.iter());
        (a > 0.0).then(|| (e / a, (f - a) / a))
    }

    /// `compare_intervals.csv`: `interval_start_utc, interval_start_local, forecast,
    /// actual, error, abs_error, forecast_aht_seconds, actual_aht_seconds,
    /// predicted_service_level, achieved_service_level`; `error` is forecast − actual;
    /// unknown values are empty.
    pub fn intervals_csv(&self) -> String {
        let mut s = String::from(
            "interval_start_utc,interval_start_local,forecast,actual,error,abs_error,forecast_aht_seconds,actual_aht_seconds,predicted_service_level,achieved_service_level\n",
        );
        for x in &self.intervals {
            let err = x.actual.map(|a| x.forecast - a);
            let _ = writeln!(
                s,
                "{},{},{:.3},{},{},{},{:.1},{},{},{}",
                fmt_utc(x.start),
                fmt_local(x.start.with_timezone(&self.zone)),
                x.forecast,
                opt(x.actual, 0),
                opt(err, 3),
                opt(err.map(f64::abs), 3),
                x.forecast_aht,
                opt(x.actual_aht, 1),
                opt(x.predicted_sl, 4),
                opt(x.achieved_sl, 4),
            );
        }
        s
    }

    /// `compare_days.csv`, one row per local day: `day, forecast, actual, error, wape,
    /// bias, predicted_service_level, achieved_service_level` (error = forecast − actual;
    /// WAPE and bias as fractions; predicted service weighted by forecast contacts,
    /// achieved by actual contacts).
    pub fn days_csv(&self) -> String {
        let mut by_day: BTreeMap<NaiveDate, Vec<&IntervalActual>> = BTreeMap::new();
        for x in &self.intervals {
            by_day
                .entry(x.start.with_timezone(&self.zone).date_naive())
                .or_default()
                .push(x);
        }
        let mut s = String::from(
            "day,forecast,actual,error,wape,bias,predicted_service_level,achieved_service_level\n",
        );
        for (day, xs) in by_day {
            let (f, a, e) = sums(xs.iter().copied());
            let known = xs.iter().any(|x| x.actual.is_some());
            let pred = weighted(xs.iter().copied(), |x| x.predicted_sl, |x| Some(x.forecast));
            let ach = weighted(xs.iter().copied(), |x| x.achieved_sl, |x| x.actual);
            let _ = writeln!(
                s,
                "{day},{f:.3},{},{},{},{},{},{}",
                if known {
                    format!("{a:.0}")
                } else {
                    String::new()
                },
                if known {
                    format!("{:.3}", f - a)
                } else {
                    String::new()
                },
                opt((a > 0.0).then(|| e / a), 4),
                opt((a > 0.0).then(|| (f - a) / a), 4),
                opt(pred, 4),
                opt(ach, 4),
            );
        }
        s
    }
}
