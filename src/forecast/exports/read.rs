//! Streaming an export into per-queue interval counts.

use super::cells::{self, Dates};
use super::history::{ContactHistory, IntervalCounts, QueueHistory};
use super::versions::{id_key, latest_versions, rows_of};
use super::{Kind, Layout};
use crate::error::{Error, Result};
use crate::forecast::series::local_midnight;
use crate::time::{Horizon, INTERVAL_MINUTES};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Most queues one export may hold (a wrong queue column, such as a ticket id, would make
/// one queue per row).
pub const MAX_QUEUES: usize = 500;
/// Most distinct ids one export may hold when the layout has an id column (the ids seen are
/// kept, as hashes, to find duplicates: about 50 bytes per row).
pub const MAX_IDS: usize = 5_000_000;
/// Most interval rows (intervals × queues) one history may hold.
pub const MAX_CELLS: usize = 5_000_000;
/// Longest line accepted (bytes): a file without line breaks (not a CSV export) is an
/// error, not a read into memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A reader that fails when a line grows past [`MAX_LINE_BYTES`].
struct LineCap<R> {
    inner: R,
    since_newline: usize,
}

impl<R: std::io::Read> std::io::Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in buf.iter().take(n) {
            if *b == b'\n' {
                self.since_newline = 0;
            } else {
                self.since_newline += 1;
                if self.since_newline > MAX_LINE_BYTES {
                    return Err(std::io::Error::other(format!(
                        "a line longer than {MAX_LINE_BYTES} bytes: not a CSV export?"
                    )));
                }
            }
        }
        Ok(n)
    }
}

struct Columns {
    time: usize,
    date: Option<usize>,
    queues: Vec<usize>,
    answered: Option<usize>,
    wait: Option<usize>,
    handle: Vec<usize>,
    resolved: Option<usize>,
    outcome: Option<usize>,
    exclude: Option<usize>,
    exclude_empty: Vec<usize>,
    id: Option<usize>,
    updated: Option<usize>,
    zone: Option<usize>,
}

fn find(file: &str, headers: &[String], name: &str, what: &str) -> Result<usize> {
    let norm = |s: &str| s.trim().to_lowercase();
    let mut same = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| norm(h) == norm(name));
    if let (Some((i, _)), Some((j, _))) = (same.next(), same.next()) {
        return Err(Error::parse(
            file,
            1,
            format!(
                "column {name:?} ({what}) appears twice in the header (columns {} and {})",
                i + 1,
                j + 1
            ),
        ));
    }
    headers
        .iter()
        .position(|h| norm(h) == norm(name))
        .ok_or_else(|| {
            Error::parse(
                file,
                1,
                format!(
                    "missing column {name:?} ({what}); the header has {headers:?} (an export in another language or layout: name its columns with --time-column, --queue-column, ... or --mapping)"
                ),
            )
        })
}

#[derive(Default)]
struct Acc {
    /// Interval index (from the reference instant) → counts.
    arrivals: BTreeMap<i64, IntervalCounts>,
    /// Interval index → tickets resolved there.
    solved: BTreeMap<i64, u64>,
    resolution_minutes: BTreeMap<u64, u64>,
    unresolved: u64,
}

/// How to aggregate an export.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Zone of naive timestamps and of local days; overrides the layout's.
    pub zone: Option<Tz>,
    /// Grid interval, minutes.
    pub interval_minutes: u32,
    /// Service-level threshold, seconds.
    pub within_seconds: f64,
    /// First local day of the period the export covers (default: the first arrival's).
    pub from: Option<NaiveDate>,
    /// Last local day of the period (default: the last arrival's). Contacts outside
    /// `from..=to` are counted in [`ContactHistory::outside`], not aggregated.
    pub to: Option<NaiveDate>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            zone: None,
            interval_minutes: 30,
            within_seconds: 20.0,
            from: None,
            to: None,
        }
    }
}

/// Reads an export with `layout` (see [`ReadOptions`]).
///
/// # Errors
///
/// The errors of [`Layout::check`]; [`Error::Invalid`] naming `--within` when `opts.within_seconds`
/// is negative or not finite, `--to` when it is before `--from`, `--interval` when
/// `opts.interval_minutes` is not 5, 10, 15, 30 or 60 or local midnight is off its grid, or `dates`
/// when the layout's date format is not understood; [`Error::Io`] naming `path` when the file
/// cannot be opened; [`Error::Parse`] at line 1 when the file is UTF-16 or UTF-32
/// ([`crate::limits::not_utf8_encoding`]); [`Error::Parse`] naming the file, the line and the
/// column when an id is empty or repeats an earlier row's id with different cells, there are more
/// than [`MAX_IDS`] ids, a row's zone is not an IANA name, or data follows an empty or one-cell
/// row; [`Error::Parse`] naming the file and the line when the header cannot be read
/// or has fewer than two columns (a wrong delimiter), a column the layout names is missing, a row
/// is empty, short, longer than the line limit or not valid CSV, a timestamp or number does not
/// parse, a contact is answered or resolved before it arrived, there are more queues than the
/// limit, no contact falls in `--from`/`--to`, or the contacts span too many intervals × queues.
pub fn read_export(path: &Path, layout: &Layout, opts: ReadOptions) -> Result<ContactHistory> {
    let ReadOptions {
        zone,
        interval_minutes,
        within_seconds,
        from,
        to,
    } = opts;
    layout.check()?;
    if !within_seconds.is_finite() || within_seconds < 0.0 {
        return Err(Error::invalid("--within", "must be a duration ≥ 0"));
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(Error::invalid("--to", format!("{t} is before --from {f}")));
        }
    }
    if !INTERVAL_MINUTES.contains(&interval_minutes) {
        return Err(Error::invalid(
            "--interval",
            format!("{interval_minutes} min is not 5, 10, 15, 30 or 60 min"),
        ));
    }
    let zone = match zone {
        Some(z) => Some(z),
        None => match &layout.zone {
            Some(z) => Some(crate::time::parse_tz("zone", z)?),
            None => None,
        },
    };
    let grid_zone = zone.unwrap_or(Tz::UTC);
    let day_start = |d: NaiveDate| {
        crate::time::Site {
            name: String::new(),
            tz: grid_zone,
        }
        .day_start(d)
    };
    let period = (
        from.map(day_start),
        to.and_then(|t| t.succ_opt()).map(day_start),
    );
    let dates = Dates::parse(&layout.dates).map_err(|r| Error::invalid("dates", r))?;
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| Error::io(&file, e))?;
    let mut inner = std::io::BufReader::new(f);
    let head = std::io::BufRead::fill_buf(&mut inner).map_err(|e| Error::io(&file, e))?;
    if let Some(why) = crate::limits::not_utf8_encoding(head) {
        return Err(Error::parse(&file, 1, why));
    }
    // A JSON export is read as the table of its records, each row at its record's line.
    let json: Option<(String, Vec<usize>)> = if super::json::looks_like_json(head) {
        let text = crate::limits::read_text(
            path,
            &file,
            "JSON contact export",
            crate::limits::MAX_JSON_EXPORT_BYTES,
        )?;
        Some(super::json::to_csv(&file, &text)?)
    } else {
        None
    };
    let json_lines = json.as_ref().map(|(_, l)| l);
    let (source, delimiter): (Box<dyn std::io::Read + '_>, u8) = match &json {
        Some((csv, _)) => (Box::new(csv.as_bytes()), b','),
        None => (
            Box::new(LineCap {
                inner,
                since_newline: 0,
            }),
            layout.delimiter as u8,
        ),
    };
    // The line a CSV position stands for: its own, or its JSON record's (by record index,
    // since a cell of a record may hold line breaks).
    let source_line = |p: Option<&csv::Position>, fallback: usize| match (p, json_lines) {
        (Some(p), Some(m)) => m.get(p.record() as usize).copied().unwrap_or(fallback),
        (Some(p), None) => p.line() as usize,
        (None, _) => fallback,
    };
    let mut rdr = rows_of(source, delimiter);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| Error::parse(&file, 1, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    if headers.len() < 2 {
        return Err(Error::parse(
            &file,
            1,
            format!(
                "the header has {} column(s) with delimiter {:?}: is the file delimited by another character (--delimiter)?",
                headers.len(),
                layout.delimiter
            ),
        ));
    }
    let opt = |c: &Option<String>, what: &str| -> Result<Option<usize>> {
        c.as_deref()
            .map(|n| find(&file, &headers, n, what))
            .transpose()
    };
    let cols = Columns {
        time: find(&file, &headers, &layout.time_column, "arrival time")?,
        date: opt(&layout.date_column, "date")?,
        queues: layout
            .queue_columns
            .iter()
            .map(|n| find(&file, &headers, n, "queue"))
            .collect::<Result<_>>()?,
        answered: opt(&layout.answered_column, "answer time")?,
        wait: opt(&layout.wait_column, "wait")?,
        handle: layout
            .handle_columns
            .iter()
            .map(|n| find(&file, &headers, n, "handle time"))
            .collect::<Result<_>>()?,
        resolved: opt(&layout.resolved_column, "resolution time")?,
        outcome: opt(&layout.outcome_column, "outcome")?,
        exclude: opt(&layout.exclude_column, "exclusion")?,
        id: match &layout.id_column {
            Some(n) if layout.id_column_optional => headers
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(n.trim()))
                .then(|| find(&file, &headers, n, "contact id"))
                .transpose()?,
            _ => opt(&layout.id_column, "contact id")?,
        },
        zone: opt(&layout.zone_column, "time zone")?,
        exclude_empty: layout
            .exclude_if_empty
            .iter()
            .map(|n| find(&file, &headers, n, "exclusion when empty"))
            .collect::<Result<_>>()?,
        updated: None,
    };
    // Versions of one contact: without the id column they cannot be told apart.
    let cols = Columns {
        updated: match cols.id {
            Some(_) => opt(&layout.updated_column, "update time")?,
            None => None,
        },
        ..cols
    };
    // The record (by index) of each id to read, when rows are versions of a contact.
    let latest = match (cols.id, cols.updated) {
        (Some(id), Some(updated)) => {
            let second: Box<dyn std::io::Read + '_> = match &json {
                Some((csv, _)) => Box::new(csv.as_bytes()),
                None => Box::new(LineCap {
                    inner: std::io::BufReader::new(
                        std::fs::File::open(path).map_err(|e| Error::io(&file, e))?,
                    ),
                    since_newline: 0,
                }),
            };
            let name = (headers[updated].as_str(), updated + 1);
            latest_versions(
                &file,
                second,
                delimiter,
                (id, updated, name),
                &source_line,
                |v| cells::timestamp(v, &dates, zone),
            )?
        }
        _ => HashMap::new(),
    };
    // Id hash → (hash of the whole row, its line), to tell duplicates from conflicts; the
    // ids whose row the versions pass chose are in `latest` and not kept again.
    let mut ids: HashMap<u64, (u64, usize)> = HashMap::new();
    let mut zones: BTreeMap<String, Tz> = BTreeMap::new();
    let (mut duplicates, mut footer_rows) = (0usize, 0usize);
    let mut footer_from: Option<usize> = None;
    let is = |values: &[String], v: &str| values.iter().any(|x| x.trim().eq_ignore_ascii_case(v));
    let step = Duration::minutes(interval_minutes as i64);
    let step_s = step.num_seconds();
    let mut reference: Option<DateTime<Utc>> = None;
    let mut queues: BTreeMap<String, Acc> = BTreeMap::new();
    let mut first: Option<(DateTime<Utc>, usize)> = None;
    let mut last: Option<(DateTime<Utc>, usize)> = None;
    let (mut rows, mut excluded, mut outside) = (0usize, 0usize, 0usize);
    let mut rec = csv::StringRecord::new();
    loop {
        let more = rdr
            .read_record(&mut rec)
            .map_err(|e| Error::parse(&file, source_line(e.position(), rows + 2), e.to_string()))?;
        if !more {
            break;
        }
        let line = source_line(rec.position(), rows + 2);
        // An empty row, or a row of one cell, starts the footer some report exports
        // append; only such rows may follow it.
        let footer_like = rec.len() == 1 || rec.iter().all(|c| c.trim().is_empty());
        if footer_like {
            footer_from.get_or_insert(line);
            footer_rows += 1;
            continue;
        }
        if let Some(f) = footer_from {
            return Err(Error::parse(
                &file,
                f,
                format!(
                    "empty row (or a row of one cell) followed by data on line {line}: only a footer may follow such a row"
                ),
            ));
        }
        rows += 1;
        let cell = |c: usize| -> Result<&str> {
            rec.get(c).map(str::trim).ok_or_else(|| {
                Error::parse(
                    &file,
                    line,
                    format!(
                        "column {:?} ({}) is missing: the row has {} fields",
                        headers.get(c).map(String::as_str).unwrap_or("?"),
                        c + 1,
                        rec.len()
                    ),
                )
            })
        };
        let bad = |c: usize, r: String| {
            Error::parse(
                &file,
                line,
                format!(
                    "column {:?} ({}): {r}",
                    headers.get(c).map(String::as_str).unwrap_or("?"),
                    c + 1
                ),
            )
        };
        if let Some(c) = cols.id {
            let id = cell(c)?;
            if id.is_empty() {
                return Err(bad(c, "empty id".into()));
            }
            let key = id_key(id);
            // Versions of a contact: the first pass chose one row of each id it saw (the
            // others are duplicates), so that row is the only one of its id read here.
            let at = rec.position().map_or(0, csv::Position::record);
            let chosen = match latest.get(&key) {
                Some(&(_, r)) if r != at => {
                    duplicates += 1;
                    continue;
                }
                Some(_) => true,
                None => false,
            };
            if !chosen {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for f in rec.iter() {
                    std::hash::Hash::hash(f.trim(), &mut h);
                }
                let whole = std::hash::Hasher::finish(&h);
                match ids.get(&key) {
                    Some(&(w, _)) if w == whole => {
                        duplicates += 1;
                        continue;
                    }
                    Some(&(_, earlier)) => {
                        return Err(bad(
                            c,
                            format!(
                                "id {id:?} is also on line {earlier} with different values: the same contact exported twice at different moments? Keep one export of it"
                            ),
                        ));
                    }
                    None if ids.len() >= MAX_IDS => {
                        return Err(bad(
                            c,
                            format!("more than {MAX_IDS} ids: split the export, or read it without an id column"),
                        ));
                    }
                    None => {
                        ids.insert(key, (whole, line));
                    }
                }
            }
        }
        let zone = match cols.zone {
            Some(c) => match cell(c)? {
                "" => zone,
                z => match zones.get(z) {
                    Some(tz) => Some(*tz),
                    None => {
                        let tz =
                            crate::time::parse_tz("zone", z).map_err(|e| bad(c, e.to_string()))?;
                        if zones.len() < MAX_QUEUES {
                            zones.insert(z.to_string(), tz);
                        }
                        Some(tz)
                    }
                },
            },
            None => zone,
        };
        if let Some(c) = cols.exclude {
            if is(&layout.exclude_values, cell(c)?) {
                excluded += 1;
                continue;
            }
        }
        if cols
            .exclude_empty
            .iter()
            .any(|&c| rec.get(c).is_some_and(|v| v.trim().is_empty()))
        {
            excluded += 1;
            continue;
        }
        let tcell = cell(cols.time)?;
        if tcell.is_empty() {
            return Err(bad(cols.time, "empty arrival time".into()));
        }
        let arrival = match cols.date {
            Some(dc) => cells::date_and_time(cell(dc)?, tcell, &dates, zone),
            None => cells::timestamp(tcell, &dates, zone),
        }
        .map_err(|r| bad(cols.time, r))?;
        if period.0.is_some_and(|p| arrival < p) || period.1.is_some_and(|p| arrival >= p) {
            outside += 1;
            continue;
        }
        cells::whole_minute_offset(arrival, grid_zone).map_err(|r| bad(cols.time, r))?;
        if first.is_none_or(|(t, _)| arrival < t) {
            first = Some((arrival, line));
        }
        if last.is_none_or(|(t, _)| arrival > t) {
            last = Some((arrival, line));
        }
        let r = *reference.get_or_insert_with(|| local_midnight(grid_zone, arrival));
        let idx = |t: DateTime<Utc>| (t - r).num_seconds().div_euclid(step_s);
        let mut name = String::new();
        for (k, c) in cols.queues.iter().enumerate() {
            if k > 0 {
                name.push_str(" / ");
            }
            let v = cell(*c)?;
            name.push_str(if v.is_empty() { "(none)" } else { v });
        }
        if cols.queues.is_empty() {
            name.push_str("all");
        }
        if !queues.contains_key(&name) && queues.len() >= MAX_QUEUES {
            return Err(Error::parse(
                &file,
                line,
                format!(
                    "more than {MAX_QUEUES} queues: is {:?} a queue column?",
                    layout.queue_columns
                ),
            ));
        }
        let abandoned = match cols.outcome {
            Some(c) => is(&layout.abandoned_values, cell(c)?),
            None => false,
        };
        let mut handle: Option<f64> = None;
        if !abandoned {
            for c in &cols.handle {
                let v = cell(*c)?;
                if !v.is_empty() {
                    let d = cells::duration(v, layout.decimal_comma, layout.handle_unit.seconds())
                        .map_err(|r| bad(*c, r))?;
                    let total = handle.unwrap_or(0.0) + d;
                    // The history written must be one `wfm forecast` reads back.
                    if total > crate::limits::MAX_AHT_SECONDS {
                        return Err(bad(
                            *c,
                            format!(
                                "{v:?} makes a handle time of {} s, more than a day ({} s, the input limit)",
                                crate::limits::show(total),
                                crate::limits::MAX_AHT_SECONDS
                            ),
                        ));
                    }
                    handle = Some(total);
                }
            }
        }
        let mut wait: Option<f64> = None;
        if let Some(c) = cols.answered {
            let v = cell(c)?;
            if !v.is_empty() {
                let t = cells::timestamp(v, &dates, zone).map_err(|r| bad(c, r))?;
                let w = (t - arrival).num_milliseconds() as f64 / 1000.0;
                if w < 0.0 {
                    return Err(bad(c, format!("answered before it arrived ({tcell})")));
                }
                wait = Some(w);
            }
        }
        if let (None, Some(c)) = (wait, cols.wait) {
            let v = cell(c)?;
            if !v.is_empty() {
                wait = Some(
                    cells::duration(v, layout.decimal_comma, layout.wait_unit.seconds())
                        .map_err(|r| bad(c, r))?,
                );
            }
        }
        let resolved = match cols.resolved {
            Some(c) => {
                let v = cell(c)?;
                if v.is_empty() {
                    None
                } else {
                    let t = cells::timestamp(v, &dates, zone).map_err(|r| bad(c, r))?;
                    if t < arrival {
                        return Err(bad(c, format!("resolved before it was created ({tcell})")));
                    }
                    Some(t)
                }
            }
            None => None,
        };
        let acc = queues.entry(name).or_default();
        let k = acc.arrivals.entry(idx(arrival)).or_default();
        k.offered += 1;
        if abandoned {
            k.abandoned += 1;
        }
        let served = !abandoned
            && match layout.kind {
                Kind::Tickets => resolved.is_some(),
                Kind::Calls => cols.handle.is_empty() || handle.is_some(),
            };
        if served {
            k.handled += 1;
        }
        if let Some(h) = handle {
            k.timed += 1;
            k.handle_seconds += h;
        }
        if let (Some(w), false) = (wait, abandoned) {
            k.waited += 1;
            k.wait_seconds += w;
            if w <= within_seconds {
                k.within += 1;
            }
        }
        match resolved {
            Some(t) => {
                *acc.solved.entry(idx(t)).or_default() += 1;
                let m = ((t - arrival).num_seconds() / 60).max(0) as u64;
                *acc.resolution_minutes.entry(m).or_default() += 1;
            }
            None if layout.kind == Kind::Tickets => acc.unresolved += 1,
            None => {}
        }
    }
    let (Some((t0, _)), Some((t1, l1)), Some(r)) = (first, last, reference) else {
        return Err(Error::parse(
            &file,
            1,
            "no contacts in the file (or in --from/--to)",
        ));
    };
    let start = period.0.unwrap_or_else(|| local_midnight(grid_zone, t0));
    let end = period.1.unwrap_or_else(|| {
        local_midnight(
            grid_zone,
            local_midnight(grid_zone, t1) + Duration::hours(36),
        )
    });
    if (start - r).num_seconds() % step_s != 0 {
        return Err(Error::invalid(
            "--interval",
            format!(
                "local midnight in {} is not on the {interval_minutes}-minute grid",
                grid_zone.name()
            ),
        ));
    }
    let len = ((end - start).num_seconds() / step_s).max(1) as usize;
    if len.saturating_mul(queues.len()) > MAX_CELLS {
        return Err(Error::parse(
            &file,
            first.map(|f| f.1).unwrap_or(1),
            format!(
                "the contacts span {} to {} (latest on line {l1}): {} intervals × {} queues is more than {MAX_CELLS}; check these rows or use a longer --interval",
                t0.to_rfc3339(),
                t1.to_rfc3339(),
                len,
                queues.len()
            ),
        ));
    }
    let horizon = Horizon::new(start, interval_minutes, len)?;
    let offset = (start - r).num_seconds() / step_s;
    let mut out = Vec::with_capacity(queues.len());
    for (name, acc) in queues {
        let mut intervals = vec![IntervalCounts::default(); len];
        for (i, c) in &acc.arrivals {
            if let Some(slot) = usize::try_from(i - offset)
                .ok()
                .and_then(|j| intervals.get_mut(j))
            {
                *slot = IntervalCounts {
                    solved: slot.solved,
                    ..*c
                };
            }
        }
        // Backlog at the end of each interval: created so far minus resolved so far
        // (tickets resolved after the grid still count as open on it).
        let mut solved_before = 0u64;
        for (i, n) in &acc.solved {
            match usize::try_from(i - offset)
                .ok()
                .and_then(|j| intervals.get_mut(j))
            {
                Some(slot) => slot.solved += n,
                None if i - offset < 0 => solved_before += n,
                None => {}
            }
        }
        let (mut created, mut solved) = (0u64, solved_before);
        if layout.kind == Kind::Tickets {
            for c in intervals.iter_mut() {
                created += c.offered;
                solved += c.solved;
                c.backlog = created.saturating_sub(solved);
            }
        }
        out.push(QueueHistory {
            name,
            intervals,
            resolution_minutes: acc.resolution_minutes,
            unresolved: acc.unresolved,
        });
    }
    Ok(ContactHistory {
        horizon,
        zone: grid_zone,
        kind: layout.kind,
        within_seconds,
        has_wait: cols.answered.is_some() || cols.wait.is_some(),
        queues: out,
        rows,
        excluded,
        outside,
        duplicates,
        ids_checked: cols.id.is_some(),
        footer_rows,
    })
}
