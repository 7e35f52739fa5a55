//! Reading interval history files and contact timestamps.
//!
//! A history file is CSV with a header row and one row per observed interval:
//!
//! ```text
//! interval_start,volume,aht_seconds
//! 2027-03-08T07:00:00+01:00,112,245.5
//! ```
//!
//! * The time column is recognised by name (`interval_start_utc`, `interval_start`,
//!   `timestamp`, `time`, `datetime`, `start`) or given explicitly. Timestamps are RFC 3339
//!   with an offset, or naive local times (`YYYY-MM-DD HH:MM[:SS]`, `T` or space) read in the
//!   given time zone (UTC unless told). A naive time that daylight saving skips is an error;
//!   one it repeats is its earlier instant, or the later one when the previous row already
//!   reached the earlier (a file in local time lists the repeated hour twice, in order).
//! * The delimiter is `,`, or `;` or a tab when the header line has no comma: a file that a
//!   spreadsheet re-saved in a locale with a decimal comma (`;`-delimited) is read with its
//!   decimal commas (`245,5`). A UTF-8 byte-order mark and CRLF line ends are accepted.
//! * The volume column is recognised as `volume`, `calls`, `contacts`, `arrivals`,
//!   `offered` or `count`; the optional handle-time column as `aht_seconds`, `aht` or
//!   `handle_seconds`. An empty handle-time cell means "not known".
//! * Rows must be strictly increasing in time (a repeated or earlier timestamp is an error
//!   naming its line). Rows may be finer than the grid (5-minute rows into 30-minute
//!   intervals): an interval's volume is the sum of its rows and its handle time the
//!   volume-weighted mean. The grid interval must be a multiple of the row spacing, so no
//!   row is ever split or shifted.
//! * The grid runs from local midnight of the first row's day to local midnight after the
//!   last row's day. Intervals without rows are closed or missing according to the
//!   calendar inferred by [`Series::infer_calendar`].

use super::series::{local_midnight, Series};
use crate::error::{Error, Result};
use crate::limits;
use crate::time::{Horizon, INTERVAL_MINUTES};
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::path::Path;

/// How to read a history file.
#[derive(Debug, Clone)]
pub struct HistoryFormat {
    /// Name of the time column (`None`: recognised from the header).
    pub time_column: Option<String>,
    /// Name of the volume column (`None`: recognised).
    pub volume_column: Option<String>,
    /// Name of the handle-time column (`None`: recognised if present).
    pub aht_column: Option<String>,
    /// Zone of naive timestamps and of local days and weeks.
    pub tz: Tz,
    /// Grid interval in minutes (`None`: the row spacing).
    pub interval_minutes: Option<u32>,
}

impl Default for HistoryFormat {
    fn default() -> Self {
        HistoryFormat {
            time_column: None,
            volume_column: None,
            aht_column: None,
            tz: Tz::UTC,
            interval_minutes: None,
        }
    }
}

pub(crate) const TIME_NAMES: [&str; 6] = [
    "interval_start_utc",
    "interval_start",
    "timestamp",
    "time",
    "datetime",
    "start",
];
const VOLUME_NAMES: [&str; 6] = [
    "volume", "calls", "contacts", "arrivals", "offered", "count",
];
const AHT_NAMES: [&str; 3] = ["aht_seconds", "aht", "handle_seconds"];

/// Finds a column by explicit name or by the first recognised name.
pub(crate) fn find_column(
    file: &str,
    headers: &csv::StringRecord,
    explicit: Option<&str>,
    known: &[&str],
    what: &str,
    required: bool,
) -> Result<Option<usize>> {
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    // A column named twice is ambiguous: which one holds the data is not guessed.
    let once = |i: usize| -> Result<Option<usize>> {
        let want = norm(&headers[i]);
        match headers
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, h)| norm(h) == want)
        {
            Some((j, _)) => Err(Error::parse(
                file,
                1,
                format!(
                    "the {what} column {:?} appears twice in the header (columns {} and {})",
                    headers[i].trim(),
                    i + 1,
                    j + 1
                ),
            )),
            None => Ok(Some(i)),
        }
    };
    if let Some(name) = explicit {
        return match headers.iter().position(|h| norm(h) == norm(name)) {
            Some(i) => once(i),
            None => Err(Error::parse(
                file,
                1,
                format!(
                    "missing column {name:?} ({what}); the header has {}",
                    header_list(headers)
                ),
            )),
        };
    }
    for k in known {
        if let Some(i) = headers.iter().position(|h| norm(h) == *k) {
            return once(i);
        }
    }
    if required {
        return Err(Error::parse(
            file,
            1,
            format!(
                "missing {what} column (one of {}); the header has {}",
                known.join(", "),
                header_list(headers)
            ),
        ));
    }
    Ok(None)
}

/// Parses an RFC 3339 timestamp, or a naive local one in `tz`. In a daylight-saving fold the
/// earlier instant is taken unless it is not after `prev`.
pub(crate) fn parse_timestamp(
    s: &str,
    tz: Tz,
    prev: Option<DateTime<Utc>>,
) -> std::result::Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    const FORMATS: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ];
    let naive = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            format!(
                "unparsable timestamp {s:?} (expected RFC 3339 or YYYY-MM-DD HH:MM[:SS] local time)"
            )
        })?;
    naive_to_utc(naive, tz, prev)
}

/// A naive local time in `tz` to UTC (fold: earlier, or later if the earlier is not after
/// `prev`; gap: error).
pub(crate) fn naive_to_utc(
    naive: NaiveDateTime,
    tz: Tz,
    prev: Option<DateTime<Utc>>,
) -> std::result::Result<DateTime<Utc>, String> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            let (e, l) = (a.min(b), a.max(b));
            Ok(match prev {
                Some(p) if e <= p => l,
                _ => e,
            })
        }
        LocalResult::None => Err(format!(
            "local time {naive} does not exist in {} (skipped by a daylight-saving change)",
            tz.name()
        )),
    }
}

/// Parses a finite number in `[0, max]` from column `col`.
pub(crate) fn parse_number(s: &str, col: &str, max: f64) -> std::result::Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("column {col}: not a number: {s:?}"))?;
    if !v.is_finite() {
        return Err(format!("column {col}: must be finite, got {s:?}"));
    }
    if v < 0.0 {
        return Err(format!("column {col}: must not be negative, got {v}"));
    }
    if v > max {
        return Err(format!(
            "column {col}: must be at most {} (the input limit), got {}",
            limits::show(max),
            limits::show(v)
        ));
    }
    Ok(v)
}

/// The delimiter of a CSV text, from its header line: `,` unless the header has none and
/// has a `;` (a spreadsheet in a locale with a decimal comma) or a tab.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The header's column names for a message: `"a", "b", "c"`.
pub(crate) fn header_list(headers: &csv::StringRecord) -> String {
    let names: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
    names.join(", ")
}

/// Reads a history file (see the module docs for the format); at most
/// [`limits::MAX_CSV_BYTES`] bytes.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`limits::MAX_CSV_BYTES`] or not UTF-8; and the errors of [`parse_history`].
pub fn read_history(path: &Path, format: &HistoryFormat) -> Result<Series> {
    let name = path.display().to_string();
    let text = limits::read_text(path, &name, "history file", limits::MAX_CSV_BYTES)?;
    parse_history(&name, &text, format)
}

/// The columns of a history's header line that [`parse_history`] does not read: every
/// column but the time, volume and handle-time columns `format` picks, in file order (so a
/// summary can name what was left aside). Empty when the header does not read.
pub fn unread_columns(text: &str, format: &HistoryFormat) -> Vec<String> {
    let text = limits::strip_bom(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = rdr.headers().cloned() else {
        return Vec::new();
    };
    let pick = |given: &Option<String>, names: &[&str], what: &str, needed: bool| {
        find_column("", &headers, given.as_deref(), names, what, needed)
            .ok()
            .flatten()
    };
    let used = [
        pick(&format.time_column, &TIME_NAMES, "time", true),
        pick(&format.volume_column, &VOLUME_NAMES, "volume", true),
        pick(&format.aht_column, &AHT_NAMES, "handle time", false),
    ];
    headers
        .iter()
        .enumerate()
        .filter(|(k, _)| !used.contains(&Some(*k)))
        .map(|(_, h)| h.trim().to_string())
        .collect()
}

/// Parses history CSV text; `file` names it in errors. At most
/// [`limits::MAX_HISTORY_ROWS`] data rows; volumes at most [`limits::MAX_VOLUME`] and
/// handle times at most [`limits::MAX_AHT_SECONDS`] per row.
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the line when the header cannot be read or lacks a time or
/// volume column (or a column `format` names), a row is empty or short, a timestamp does not parse
/// or is skipped by daylight saving, a row repeats or comes before the one above it, a volume or
/// handle time is not a number in range, a row is off the spacing of the others, there are no data
/// rows or more than [`limits::MAX_HISTORY_ROWS`], the rows span more than
/// [`limits::MAX_GRID_DAYS`] days, or the interval is not given and the row spacing (or a single
/// row) does not show one; [`Error::Invalid`] naming `--interval` when it is not a multiple of the
/// row spacing.
pub fn parse_history(file: &str, text: &str, format: &HistoryFormat) -> Result<Series> {
    parse_history_rows(file, text, format, limits::MAX_HISTORY_ROWS)
}

/// [`parse_history`] with at most `max_rows` data rows.
fn parse_history_rows(
    file: &str,
    text: &str,
    format: &HistoryFormat,
    max_rows: usize,
) -> Result<Series> {
    let text = limits::strip_bom(text);
    let delimiter = sniff_delimiter(text);
    // A file delimited by `;` is a spreadsheet's in a locale with a decimal comma.
    let comma = delimiter == b';';
    let number = |s: &str| -> String {
        if comma && !s.contains('.') {
            s.replace(',', ".")
        } else {
            s.to_string()
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(file, 1, format!("cannot read header: {e}")))?
        .clone();
    let tcol = find_column(
        file,
        &headers,
        format.time_column.as_deref(),
        &TIME_NAMES,
        "time",
        true,
    )?
    .unwrap_or(0);
    let vcol = find_column(
        file,
        &headers,
        format.volume_column.as_deref(),
        &VOLUME_NAMES,
        "volume",
        true,
    )?
    .unwrap_or(1);
    let acol = find_column(
        file,
        &headers,
        format.aht_column.as_deref(),
        &AHT_NAMES,
        "handle time",
        false,
    )?;
    let tname = headers.get(tcol).unwrap_or("time").to_string();
    let vname = headers.get(vcol).unwrap_or("volume").to_string();
    let aname = acol
        .and_then(|a| headers.get(a))
        .unwrap_or("aht")
        .to_string();

    // (line, instant, volume, aht)
    let mut rows: Vec<(usize, DateTime<Utc>, f64, Option<f64>)> = Vec::new();
    let mut prev: Option<(usize, DateTime<Utc>)> = None;
    for (k, rec) in rdr.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        if k >= max_rows {
            return Err(Error::parse(
                file,
                line,
                format!("more than {max_rows} data rows (the input limit)"),
            ));
        }
        let rec = rec.map_err(|e| Error::parse(file, line, e.to_string()))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            return Err(Error::parse(file, line, "empty line"));
        }
        if let Some(extra) = rec
            .iter()
            .skip(headers.len())
            .find(|c| !c.trim().is_empty())
        {
            return Err(Error::parse(
                file,
                line,
                format!(
                    "{} cells but the header has {} columns: {extra:?} has no column",
                    rec.len(),
                    headers.len()
                ),
            ));
        }
        let cell = |c: usize, n: &str| {
            rec.get(c)
                .ok_or_else(|| Error::parse(file, line, format!("missing column {n}")))
        };
        let t = parse_timestamp(cell(tcol, &tname)?, format.tz, prev.map(|p| p.1))
            .map_err(|r| Error::parse(file, line, format!("column {tname}: {r}")))?;
        // Local days and the grid need whole-minute offsets; a zone's local mean time
        // before its first standard time (Jerusalem +02:20:54 before 1918) has none.
        let offset = format
            .tz
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc();
        if offset % 60 != 0 {
            return Err(Error::parse(
                file,
                line,
                format!(
                    "column {tname}: {} is before {} kept whole-minute UTC offsets (its offset then was {}), too early for a history",
                    t.to_rfc3339(),
                    format.tz.name(),
                    t.with_timezone(&format.tz).format("%:z")
                ),
            ));
        }
        if let Some((pl, pt)) = prev {
            if t == pt {
                return Err(Error::parse(
                    file,
                    line,
                    format!("duplicate interval {} (also on line {pl})", t.to_rfc3339()),
                ));
            }
            if t < pt {
                return Err(Error::parse(
                    file,
                    line,
                    format!(
                        "rows not sorted: {} comes after {} (line {pl})",
                        t.to_rfc3339(),
                        pt.to_rfc3339()
                    ),
                ));
            }
        }
        let v = parse_number(&number(cell(vcol, &vname)?), &vname, limits::MAX_VOLUME)
            .map_err(|r| Error::parse(file, line, r))?;
        let a = match acol {
            Some(ac) => {
                let s = cell(ac, &aname)?;
                if s.trim().is_empty() {
                    None
                } else {
                    Some(
                        parse_number(&number(s), &aname, limits::MAX_AHT_SECONDS)
                            .map_err(|r| Error::parse(file, line, r))?,
                    )
                }
            }
            None => None,
        };
        rows.push((line, t, v, a));
        prev = Some((line, t));
    }
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err(Error::parse(file, 1, "no data rows"));
    };
    let step_secs = rows
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((b.1 - a.1).num_seconds()),
            _ => None,
        })
        .min();
    let interval = match (format.interval_minutes, step_secs) {
        (Some(m), _) => m,
        (None, Some(s)) if s % 60 == 0 && INTERVAL_MINUTES.contains(&((s / 60) as u32)) => {
            (s / 60) as u32
        }
        (None, Some(s)) => {
            return Err(Error::parse(
                file,
                first.0,
                format!(
                    "rows are {s} s apart, not a grid interval (5, 10, 15, 30 or 60 min); give the interval (--interval)"
                ),
            ))
        }
        (None, None) => {
            return Err(Error::parse(
                file,
                first.0,
                "a single data row does not show the interval; give it (--interval)",
            ))
        }
    };
    let start = local_midnight(format.tz, first.1);
    let last_day = local_midnight(format.tz, last.1);
    let end = local_midnight(format.tz, last_day + Duration::hours(36));
    let step = interval as i64 * 60;
    let len = ((end - start).num_seconds() / step).max(1) as usize;
    let horizon = Horizon::new(start, interval, len).map_err(|e| match e {
        Error::Invalid { field, reason } if field == "interval_minutes" => {
            Error::invalid("--interval", reason)
        }
        Error::Invalid { field, .. } if field == "intervals" => Error::parse(
            file,
            last.0,
            format!(
                "the rows span {} to {}, longer than the limit of {} days",
                first.1.to_rfc3339(),
                last.1.to_rfc3339(),
                limits::MAX_GRID_DAYS
            ),
        ),
        other => other,
    })?;
    if let Some(s) = step_secs {
        if s <= 0 || step % s != 0 {
            return Err(Error::invalid(
                "--interval",
                format!(
                    "{interval}-minute intervals are not a multiple of the row spacing ({s} s); rows would be split"
                ),
            ));
        }
    }
    let mut volume: Vec<Option<f64>> = vec![None; len];
    let mut aht_sum = vec![0.0f64; len];
    let mut aht_w = vec![0.0f64; len];
    let mut aht_seen = vec![false; len];
    for (line, t, v, a) in &rows {
        if let Some(s) = step_secs {
            if (*t - start).num_seconds() % s != 0 {
                return Err(Error::parse(
                    file,
                    *line,
                    format!(
                        "timestamp {} is off the {s}-second spacing of the other rows",
                        t.to_rfc3339()
                    ),
                ));
            }
        }
        let Some(i) = horizon.index_containing(*t) else {
            return Err(Error::parse(file, *line, "timestamp outside the grid"));
        };
        if let Some(slot) = volume.get_mut(i) {
            *slot = Some(slot.unwrap_or(0.0) + v);
        }
        if let Some(a) = a {
            if let (Some(s), Some(w), Some(seen)) =
                (aht_sum.get_mut(i), aht_w.get_mut(i), aht_seen.get_mut(i))
            {
                *s += a * v;
                *w += v;
                *seen = true;
            }
        }
    }
    let aht: Vec<Option<f64>> = if acol.is_some() {
        (0..len)
            .map(|i| {
                let w = aht_w.get(i).copied().unwrap_or(0.0);
                let seen = aht_seen.get(i).copied().unwrap_or(false);
                (seen && w > 0.0).then(|| aht_sum.get(i).copied().unwrap_or(0.0) / w)
            })
            .collect()
    } else {
        Vec::new()
    };
    Series::infer_calendar(horizon, format.tz, volume, aht)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_and_decimal_commas_as_spreadsheets_save_them() {
        let comma = "interval_start,volume,aht_seconds\n2027-03-08T07:00:00Z,12,245.5\n2027-03-08T07:30:00Z,3,100\n";
        let semi = "\u{feff}interval_start;volume;aht_seconds\r\n2027-03-08T07:00:00Z;12;245,5\r\n2027-03-08T07:30:00Z;3;100\r\n";
        let tab = comma.replace(',', "\t");
        let f = HistoryFormat::default();
        let a = parse_history("a.csv", comma, &f).unwrap();
        for other in [semi, tab.as_str()] {
            let b = parse_history("b.csv", other, &f).unwrap();
            assert_eq!(a.len(), b.len());
            for i in 0..a.len() {
                assert_eq!((a.volume(i), a.aht(i)), (b.volume(i), b.aht(i)));
            }
            assert_eq!(
                b.aht(a.index_of(a.horizon().start()).unwrap() + 14),
                Some(245.5)
            );
        }
        // A decimal point and a comma together are not a number.
        let e = parse_history("c.csv", &semi.replace("245,5", "1.245,5"), &f).unwrap_err();
        assert!(e.to_string().contains("c.csv:2:"), "{e}");
    }

    #[test]
    fn rows_beyond_the_limit_are_refused_with_their_line() {
        let text = "interval_start,volume\n2027-03-08T00:00:00Z,1\n2027-03-08T00:30:00Z,2\n\
                    2027-03-08T01:00:00Z,3\n";
        let f = HistoryFormat::default();
        assert!(parse_history_rows("h.csv", text, &f, 3).is_ok());
        let e = parse_history_rows("h.csv", text, &f, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "h.csv:4: more than 2 data rows (the input limit)"
        );
    }
}
