//! Contact logs: one row per contact, aggregated to interval volume, handle time and
//! abandonment, and the mean-patience estimate for exponential patience.
//!
//! Help-desk and ACD exports list contacts with an arrival timestamp (with an offset, or a
//! naive local time plus a zone, possibly split into a date and a time column), and often a
//! handle time, an outcome (served or abandoned) and the time spent in queue.
//! [`ContactLogFormat`] names those columns; [`read_contact_log`] reads the file, and
//! [`aggregate`] counts contacts per interval of a UTC grid.
//!
//! **Patience.** With exponential patience (the Erlang A model), the maximum-likelihood
//! estimate of the mean patience is the total time all queued callers spent waiting (served
//! and abandoned alike, since a served caller's patience outlasted the wait) divided by the
//! number of abandonments ([`mean_patience`]). Contacts that hung up before reaching the
//! queue (e.g. in the voice menu) did not wait for an agent and are counted separately.

use super::history::{find_column, naive_to_utc, parse_number};
use super::series::{local_midnight, Calendar, Series};
use crate::error::{Error, Result};
use crate::time::Horizon;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use std::path::Path;

/// One contact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// Arrival instant.
    pub arrival: DateTime<Utc>,
    /// Handle (service) time in seconds, for served contacts where known.
    pub handle_seconds: Option<f64>,
    /// The contact abandoned (hung up before service).
    pub abandoned: bool,
    /// Seconds spent waiting in queue, if the contact reached the queue.
    pub queue_seconds: Option<f64>,
}

/// Column layout of a contact log.
#[derive(Debug, Clone)]
pub struct ContactLogFormat {
    /// Field delimiter (`b','` or `b'\t'`).
    pub delimiter: u8,
    /// Arrival column: an RFC 3339 timestamp, a naive local date-time, or (with
    /// `date_column`) a local time of day.
    pub arrival_column: String,
    /// Optional separate date column, parsed with `date_format`.
    pub date_column: Option<String>,
    /// chrono format of the date column (e.g. `%y%m%d`).
    pub date_format: String,
    /// Zone of naive times.
    pub tz: Tz,
    /// Handle-time column (seconds), if any.
    pub handle_column: Option<String>,
    /// Outcome column and the values in it that mean "abandoned".
    pub abandoned: Option<(String, Vec<String>)>,
    /// Column with seconds spent in queue, if any.
    pub queue_column: Option<String>,
    /// Column whose value says whether the contact reached the queue, and the values that
    /// mean it did not (e.g. a queue-start time of `0:00:00`). A contact with a positive
    /// time in queue reached it regardless.
    pub not_queued: Option<(String, Vec<String>)>,
    /// Rows to leave out, by column and values (e.g. test or phantom calls). They are
    /// counted in [`ContactLog::excluded`], never silently dropped.
    pub exclude: Option<(String, Vec<String>)>,
}

impl ContactLogFormat {
    /// A comma-separated log whose `column` holds arrival timestamps, nothing else known.
    pub fn new(column: impl Into<String>) -> Self {
        ContactLogFormat {
            delimiter: b',',
            arrival_column: column.into(),
            date_column: None,
            date_format: "%Y-%m-%d".to_string(),
            tz: Tz::UTC,
            handle_column: None,
            abandoned: None,
            queue_column: None,
            not_queued: None,
            exclude: None,
        }
    }
}

/// The contacts of a log.
#[derive(Debug, Clone, Default)]
pub struct ContactLog {
    /// Contacts, in file order.
    pub contacts: Vec<Contact>,
    /// The file line of each contact (the header is line 1).
    pub lines: Vec<usize>,
    /// Rows left out by [`ContactLogFormat::exclude`].
    pub excluded: usize,
}

fn parse_time_of_day(s: &str) -> Option<NaiveTime> {
    ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s.trim(), f).ok())
}

/// Reads a contact log.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`crate::limits::MAX_CONTACT_LOG_BYTES`] or not UTF-8; and the errors of
/// [`parse_contact_log`].
pub fn read_contact_log(path: &Path, format: &ContactLogFormat) -> Result<ContactLog> {
    let name = path.display().to_string();
    let text = crate::limits::read_text(
        path,
        &name,
        "contact log",
        crate::limits::MAX_CONTACT_LOG_BYTES,
    )?;
    parse_contact_log(&name, &text, format)
}

/// Parses contact-log text; `file` names it in errors. At most
/// [`crate::limits::MAX_CONTACT_ROWS`] rows; handle and queue times at most a day.
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the line when the header cannot be read or lacks a column
/// `format` names (arrival, date, handle time, outcome, time in queue, queue start, exclusion), a
/// row is short, a date, time or timestamp does not parse, a duration is not a number in range (at
/// most a day), or there are more than [`crate::limits::MAX_CONTACT_ROWS`] contacts.
pub fn parse_contact_log(file: &str, text: &str, format: &ContactLogFormat) -> Result<ContactLog> {
    parse_contact_rows(file, text, format, crate::limits::MAX_CONTACT_ROWS)
}

/// [`parse_contact_log`] with at most `max_rows` rows.
fn parse_contact_rows(
    file: &str,
    text: &str,
    format: &ContactLogFormat,
    max_rows: usize,
) -> Result<ContactLog> {
    let text = crate::limits::strip_bom(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(format.delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(file, 1, format!("cannot read header: {e}")))?
        .clone();
    let col = |name: &str, what: &str| -> Result<usize> {
        find_column(file, &headers, Some(name), &[], what, true)?
            .ok_or_else(|| Error::parse(file, 1, format!("missing column {name:?}")))
    };
    let arrival = col(&format.arrival_column, "arrival")?;
    let date = match &format.date_column {
        Some(d) => Some(col(d, "date")?),
        None => None,
    };
    let handle = match &format.handle_column {
        Some(c) => Some(col(c, "handle time")?),
        None => None,
    };
    let abandoned = match &format.abandoned {
        Some((c, v)) => Some((col(c, "outcome")?, v)),
        None => None,
    };
    let queue = match &format.queue_column {
        Some(c) => Some(col(c, "time in queue")?),
        None => None,
    };
    let not_queued = match &format.not_queued {
        Some((c, v)) => Some((col(c, "queue start")?, v)),
        None => None,
    };
    let exclude = match &format.exclude {
        Some((c, v)) => Some((col(c, "exclusion")?, v)),
        None => None,
    };
    let mut log = ContactLog::default();
    for (k, rec) in rdr.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        if k >= max_rows {
            return Err(Error::parse(
                file,
                line,
                format!("more than {max_rows} contacts (the input limit)"),
            ));
        }
        let rec = rec.map_err(|e| Error::parse(file, line, e.to_string()))?;
        let cell = |c: usize| -> Result<&str> {
            let name = headers.get(c).unwrap_or("?");
            rec.get(c)
                .map(str::trim)
                .ok_or_else(|| Error::parse(file, line, format!("missing column {name}")))
        };
        if let Some((c, values)) = exclude {
            let v = cell(c)?;
            if values.iter().any(|x| x == v) {
                log.excluded += 1;
                continue;
            }
        }
        let a = cell(arrival)?;
        let t = match date {
            Some(dc) => {
                let d = cell(dc)?;
                let day = NaiveDate::parse_from_str(d, &format.date_format).map_err(|_| {
                    Error::parse(
                        file,
                        line,
                        format!(
                            "column {}: unparsable date {d:?} (expected the format {})",
                            headers.get(dc).unwrap_or("date"),
                            format.date_format
                        ),
                    )
                })?;
                let tod = parse_time_of_day(a).ok_or_else(|| {
                    Error::parse(
                        file,
                        line,
                        format!("column {}: unparsable time {a:?}", format.arrival_column),
                    )
                })?;
                naive_to_utc(NaiveDateTime::new(day, tod), format.tz, None)
            }
            None => super::history::parse_timestamp(a, format.tz, None),
        }
        .map_err(|r| Error::parse(file, line, format!("column {}: {r}", format.arrival_column)))?;
        let num = |c: usize| -> Result<Option<f64>> {
            let s = cell(c)?;
            if s.is_empty() {
                return Ok(None);
            }
            let name = headers.get(c).unwrap_or("?");
            parse_number(s, name, crate::limits::MAX_AHT_SECONDS)
                .map(Some)
                .map_err(|r| Error::parse(file, line, r))
        };
        let is_abandoned = match abandoned {
            Some((c, values)) => {
                let v = cell(c)?;
                values.iter().any(|x| x == v)
            }
            None => false,
        };
        let queued = match not_queued {
            Some((c, values)) => {
                let v = cell(c)?;
                !values.iter().any(|x| x == v)
            }
            None => true,
        };
        // A positive time in queue means the contact reached the queue, whatever the
        // queue-start column says (logs write a start at midnight as "none").
        let queue_seconds = match queue {
            Some(c) => num(c)?.filter(|q| queued || *q > 0.0),
            None => None,
        };
        let handle_seconds = match handle {
            Some(c) if !is_abandoned => num(c)?,
            _ => None,
        };
        log.contacts.push(Contact {
            arrival: t,
            handle_seconds,
            abandoned: is_abandoned,
            queue_seconds,
        });
        log.lines.push(line);
    }
    Ok(log)
}

/// Per-interval counts of a contact log on a grid.
#[derive(Debug, Clone)]
pub struct IntervalStats {
    /// The grid.
    pub horizon: Horizon,
    /// Contacts arriving in each interval (offered volume).
    pub offered: Vec<u64>,
    /// Abandoned contacts per interval.
    pub abandoned: Vec<u64>,
    /// Contacts with a known handle time per interval.
    pub handled: Vec<u64>,
    /// Sum of handle seconds per interval.
    pub handle_seconds: Vec<f64>,
    /// Sum of queue seconds per interval.
    pub queue_seconds: Vec<f64>,
}

impl IntervalStats {
    /// Average handle time of interval `i` (seconds), if any contact there has one.
    pub fn aht(&self, i: usize) -> Option<f64> {
        let n = self.handled.get(i).copied().unwrap_or(0);
        (n > 0).then(|| self.handle_seconds.get(i).copied().unwrap_or(0.0) / n as f64)
    }

    /// Volume-weighted average handle time over the whole grid.
    pub fn overall_aht(&self) -> Option<f64> {
        let n: u64 = self.handled.iter().sum();
        (n > 0).then(|| self.handle_seconds.iter().sum::<f64>() / n as f64)
    }

    /// The offered volume and handle time as a [`Series`]: every interval of the grid is an
    /// observation (an interval without contacts observed zero contacts) unless `calendar`
    /// closes its week slot.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `calendar` when the calendar's interval differs from the grid's.
    pub fn to_series(&self, tz: Tz, calendar: Calendar) -> Result<Series> {
        let mut volume = Vec::with_capacity(self.offered.len());
        let mut aht = Vec::with_capacity(self.offered.len());
        for (i, t) in self.horizon.starts().enumerate() {
            let (w, _) = super::series::slots_at(tz, self.horizon.interval_minutes(), t);
            let open = calendar.is_open(w);
            volume.push(open.then(|| self.offered.get(i).copied().unwrap_or(0) as f64));
            aht.push(if open { self.aht(i) } else { None });
        }
        Series::new(self.horizon, tz, volume, aht, calendar)
    }
}

/// The grid of whole local days in `tz` that covers every arrival.
///
/// # Errors
///
/// [`Error::Invalid`] naming `contacts` when there are none, `interval_minutes` when it is not one
/// of [`crate::time::INTERVAL_MINUTES`], or `intervals` when the arrivals span more than
/// [`crate::limits::MAX_GRID_DAYS`] days.
pub fn covering_grid(contacts: &[Contact], tz: Tz, interval_minutes: u32) -> Result<Horizon> {
    let first = contacts.iter().map(|c| c.arrival).min();
    let last = contacts.iter().map(|c| c.arrival).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Err(Error::invalid("contacts", "the log has no contacts"));
    };
    let start = local_midnight(tz, first);
    let end = local_midnight(tz, local_midnight(tz, last) + Duration::hours(36));
    let len = ((end - start).num_minutes() / interval_minutes.max(1) as i64).max(1) as usize;
    Horizon::new(start, interval_minutes, len)
}

/// Counts contacts per interval of `horizon`. A contact outside the grid is an error
/// naming it (use [`covering_grid`] for a grid that holds them all).
///
/// # Errors
///
/// [`Error::Invalid`] naming `contacts[k].arrival` for the first contact whose arrival is outside
/// `horizon`.
pub fn aggregate(contacts: &[Contact], horizon: Horizon) -> Result<IntervalStats> {
    let n = horizon.len();
    let mut s = IntervalStats {
        horizon,
        offered: vec![0; n],
        abandoned: vec![0; n],
        handled: vec![0; n],
        handle_seconds: vec![0.0; n],
        queue_seconds: vec![0.0; n],
    };
    for (k, c) in contacts.iter().enumerate() {
        let i = horizon.index_containing(c.arrival).ok_or_else(|| {
            Error::invalid(
                format!("contacts[{k}].arrival"),
                format!(
                    "{} is outside the grid {} .. {}",
                    c.arrival.to_rfc3339(),
                    horizon.start().to_rfc3339(),
                    horizon.end().to_rfc3339()
                ),
            )
        })?;
        if let Some(x) = s.offered.get_mut(i) {
            *x += 1;
        }
        if c.abandoned {
            if let Some(x) = s.abandoned.get_mut(i) {
                *x += 1;
            }
        }
        if let Some(h) = c.handle_seconds {
            if let (Some(x), Some(y)) = (s.handled.get_mut(i), s.handle_seconds.get_mut(i)) {
                *x += 1;
                *y += h;
            }
        }
        if let Some(q) = c.queue_seconds {
            if let Some(x) = s.queue_seconds.get_mut(i) {
                *x += q;
            }
        }
    }
    Ok(s)
}

/// The mean-patience estimate and what it was made from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatienceEstimate {
    /// Estimated mean patience in seconds.
    pub mean_seconds: f64,
    /// Callers who reached the queue.
    pub queued: usize,
    /// Of those, how many abandoned.
    pub abandoned: usize,
    /// Total seconds waited by queued callers.
    pub total_queue_seconds: f64,
    /// Abandoned contacts that never reached the queue (not part of the estimate).
    pub abandoned_before_queue: usize,
}

/// Mean patience for exponential patience: total queue time of all queued callers divided
/// by the number of abandonments among them. An error if nobody abandoned (the estimate
/// would be infinite: the data only bounds patience from below).
///
/// # Errors
///
/// [`Error::Invalid`] naming `contacts` when no caller who reached the queue abandoned (the
/// estimate would be infinite).
pub fn mean_patience(contacts: &[Contact]) -> Result<PatienceEstimate> {
    let mut e = PatienceEstimate {
        mean_seconds: 0.0,
        queued: 0,
        abandoned: 0,
        total_queue_seconds: 0.0,
        abandoned_before_queue: 0,
    };
    for c in contacts {
        match c.queue_seconds {
            Some(q) => {
                e.queued += 1;
                e.total_queue_seconds += q;
                if c.abandoned {
                    e.abandoned += 1;
                }
            }
            None if c.abandoned => e.abandoned_before_queue += 1,
            None => {}
        }
    }
    if e.abandoned == 0 {
        return Err(Error::invalid(
            "contacts",
            "no queued caller abandoned: mean patience cannot be estimated (only bounded below)",
        ));
    }
    e.mean_seconds = e.total_queue_seconds / e.abandoned as f64;
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_beyond_the_limit_are_refused_with_their_line() {
        let text = "arrival\n2027-03-08T08:00:00Z\n2027-03-08T08:01:00Z\n";
        let f = ContactLogFormat::new("arrival");
        assert_eq!(
            parse_contact_rows("c.csv", text, &f, 2)
                .unwrap()
                .contacts
                .len(),
            2
        );
        let e = parse_contact_rows("c.csv", text, &f, 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv:3: more than 1 contacts (the input limit)"
        );
    }
}
