//! Special days: public holidays, campaigns, outages.
//!
//! A calendar file lists them, one per row: `date,name[,multiplier]` (local dates,
//! `YYYY-MM-DD`; delimited by `;`, as a spreadsheet in a decimal-comma locale saves it, the
//! multiplier may have a decimal comma, `1,3`). Every listed day in the history is left out of fitting (its intervals
//! become missing for the methods, so a holiday or an outage never drags the averages). A
//! listed day in the forecast horizon is forecast
//!
//! * with a `multiplier`: the normal forecast for that day × the multiplier (a campaign
//!   expected to bring 30 % more calls: `1.3`);
//! * without one, from its **past occurrences** (earlier rows with the same name): each
//!   occurrence's day total is compared with the mean total of the same weekday over the
//!   four weeks before it (normal complete days), and the forecast for the day is the
//!   normal forecast's total × the mean of those ratios, spread over the day by the
//!   occurrences' mean intraday shares. A past occurrence on which the centre had no
//!   observed interval counts as a ratio of 0 (closed on that holiday).
//!
//! A day in the horizon with neither a multiplier nor a past occurrence in the history is
//! an error naming the file and line: it would otherwise be forecast as a normal day
//! without anyone noticing.

use super::history::parse_number;
use super::series::slots_at;
use super::{forecast, Forecast, Method, Series, Status};
use crate::error::{Error, Result};
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Largest multiplier a calendar row may give (a day a thousand times as busy as a normal
/// one is a typing error, not a campaign).
pub const MAX_MULTIPLIER: f64 = 1000.0;

/// One special day.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialDay {
    /// Local date.
    pub date: NaiveDate,
    /// Name; rows with the same name are occurrences of the same event.
    pub name: String,
    /// Volume multiplier against a normal day, if given.
    pub multiplier: Option<f64>,
    /// Line in the file (for messages).
    pub line: usize,
}

/// A calendar of special days with the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialDays {
    /// File name as given (for messages).
    pub file: String,
    /// The days, in file order.
    pub days: Vec<SpecialDay>,
}

/// Parses `date,name[,multiplier]` CSV text; `file` names it in errors (with the line).
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the line when the header cannot be read or lacks `date` or
/// `name`, a row is not valid CSV, a date is not `YYYY-MM-DD` or is listed twice, a name is empty,
/// or a multiplier is not a finite number in `[0, MAX_MULTIPLIER]`.
pub fn parse_special_days(file: &str, text: &str) -> Result<SpecialDays> {
    let delimiter = super::history::sniff_delimiter(crate::limits::strip_bom(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::parse(file, 1, e.to_string()))?
        .clone();
    let col = |n: &str| crate::limits::unique_column(file, &headers, n);
    let c_d = col("date")?.ok_or_else(|| Error::parse(file, 1, "missing column \"date\""))?;
    let c_n = col("name")?.ok_or_else(|| Error::parse(file, 1, "missing column \"name\""))?;
    let c_m = col("multiplier")?;
    let mut days: Vec<SpecialDay> = Vec::new();
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (k, rec) in reader.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        let rec = rec.map_err(|e| Error::parse(file, line, e.to_string()))?;
        let raw = rec.get(c_d).unwrap_or("");
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| Error::parse(file, line, format!("date {raw:?} is not YYYY-MM-DD")))?;
        if let Some(prev) = seen.insert(date, line) {
            return Err(Error::parse(
                file,
                line,
                format!("date {date} already listed on line {prev}"),
            ));
        }
        let name = rec.get(c_n).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(Error::parse(file, line, "name is empty"));
        }
        let multiplier = match c_m.and_then(|c| rec.get(c)).filter(|s| !s.is_empty()) {
            None => None,
            Some(m) => Some(
                parse_number(
                    &if delimiter == b';' && !m.contains('.') {
                        m.replace(',', ".")
                    } else {
                        m.to_string()
                    },
                    "multiplier",
                    MAX_MULTIPLIER,
                )
                .map_err(|r| Error::parse(file, line, r))?,
            ),
        };
        days.push(SpecialDay {
            date,
            name,
            multiplier,
            line,
        });
    }
    Ok(SpecialDays {
        file: file.to_string(),
        days,
    })
}

/// Reads [`parse_special_days`] from `path`.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] naming it when it
/// is larger than [`crate::limits::MAX_CSV_BYTES`] or not UTF-8; and the errors of
/// [`parse_special_days`].
pub fn read_special_days(path: &Path) -> Result<SpecialDays> {
    let shown = path.display().to_string();
    let text = crate::limits::read_text(
        path,
        &shown,
        "special days file",
        crate::limits::MAX_CSV_BYTES,
    )?;
    parse_special_days(&shown, &text)
}

/// Observed volume per local day slot of `date` (None: no observed interval that day) and
/// whether the day is complete (no missing interval).
fn day_of(history: &Series, date: NaiveDate) -> (Option<Vec<f64>>, bool) {
    let tz = history.tz();
    let mut v = vec![0.0; history.day_slots().max(1)];
    let (mut any, mut complete) = (false, true);
    for (i, t) in history.horizon().starts().enumerate() {
        if t.with_timezone(&tz).date_naive() != date {
            continue;
        }
        match history.status(i) {
            Status::Open => {
                if let (Some(x), Some(y)) = (v.get_mut(history.day_slot(i)), history.volume(i)) {
                    *x += y;
                    any = true;
                }
            }
            Status::Missing => complete = false,
            Status::Closed => {}
        }
    }
    (any.then_some(v), complete)
}

/// Ratio and intraday shares of an event from its past occurrences in `history` (the
/// unmasked history), with `normal` the history without special days.
fn event_profile(
    history: &Series,
    normal: &Series,
    occurrences: &[NaiveDate],
) -> Option<(f64, Option<Vec<f64>>)> {
    let (mut ratios, mut shares, mut n_shares) =
        (Vec::new(), vec![0.0; history.day_slots().max(1)], 0);
    for d in occurrences {
        let base: Vec<f64> = (1..=4)
            .filter_map(|w| match day_of(normal, *d - Duration::days(7 * w)) {
                (Some(v), true) => Some(v.iter().sum::<f64>()),
                _ => None,
            })
            .collect();
        if base.is_empty() {
            continue;
        }
        let base = base.iter().sum::<f64>() / base.len() as f64;
        if base <= 0.0 {
            continue;
        }
        match day_of(history, *d) {
            (Some(v), _) => {
                let tot: f64 = v.iter().sum();
                ratios.push(tot / base);
                if tot > 0.0 {
                    for (s, x) in shares.iter_mut().zip(&v) {
                        *s += x / tot;
                    }
                    n_shares += 1;
                }
            }
            (None, _) => ratios.push(0.0),
        }
    }
    if ratios.is_empty() {
        return None;
    }
    let ratio = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let shares = (n_shares > 0).then(|| shares.iter().map(|s| s / n_shares as f64).collect());
    Some((ratio, shares))
}

/// [`forecast`] with special days: fitted on the history without them, and each special
/// day of the horizon forecast by its multiplier or its past occurrences (module doc).
/// Quantiles of a special day are scaled by the same factor as its volume.
///
/// # Errors
///
/// The errors of [`forecast`]; [`Error::Parse`] naming the special-days file and the day's line
/// when a special day in the forecast has no multiplier and no past occurrence with four normal
/// weeks before it in the history.
pub fn forecast_with_special_days(
    history: &Series,
    method: &dyn Method,
    len: usize,
    aht_fallback: Option<f64>,
    special: &SpecialDays,
) -> Result<Forecast> {
    let dates: BTreeSet<NaiveDate> = special.days.iter().map(|d| d.date).collect();
    let normal = history.without_dates(&dates);
    let mut fc = forecast(&normal, method, len, aht_fallback)?;
    let tz = history.tz();
    let hist_end = history.horizon().end();
    for sd in &special.days {
        let idx: Vec<usize> = fc
            .horizon
            .starts()
            .enumerate()
            .filter(|(_, t)| t.with_timezone(&tz).date_naive() == sd.date)
            .map(|(i, _)| i)
            .collect();
        if idx.is_empty() {
            continue;
        }
        let day_total: f64 = idx.iter().map(|i| fc.volume[*i]).sum();
        // New volume per interval of the day.
        let new: Vec<f64> = match sd.multiplier {
            Some(m) => idx.iter().map(|i| fc.volume[*i] * m).collect(),
            None => {
                let past: Vec<NaiveDate> = special
                    .days
                    .iter()
                    .filter(|o| {
                        o.name == sd.name
                            && o.date < sd.date
                            && history.horizon().start().with_timezone(&tz).date_naive() <= o.date
                            && hist_end.with_timezone(&tz).date_naive() > o.date
                    })
                    .map(|o| o.date)
                    .collect();
                let (ratio, shares) = event_profile(history, &normal, &past).ok_or_else(|| {
                    Error::parse(
                        &special.file,
                        sd.line,
                        format!(
                            "{} ({}) is in the forecast but has no multiplier and no past occurrence of {:?} with four normal weeks before it in the history",
                            sd.date, sd.name, sd.name
                        ),
                    )
                })?;
                idx.iter()
                    .map(|i| match &shares {
                        Some(sh) => {
                            let t = fc.horizon.interval_start(*i);
                            let slot = slots_at(tz, fc.horizon.interval_minutes(), t).1;
                            day_total * ratio * sh.get(slot).copied().unwrap_or(0.0)
                        }
                        None => fc.volume[*i] * ratio,
                    })
                    .collect()
            }
        };
        for (k, i) in idx.iter().enumerate() {
            let old = fc.volume[*i];
            fc.volume[*i] = new[k];
            for (_, q) in fc.quantiles.iter_mut() {
                q[*i] = if old > 0.0 {
                    q[*i] * new[k] / old
                } else {
                    new[k]
                };
            }
        }
    }
    Ok(fc)
}
