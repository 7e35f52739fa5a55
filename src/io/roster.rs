//! `roster.csv`: one row per agent-shift, written by `wfm plan` and read back by
//! `wfm evaluate` after a person may have edited it.
//!
//! Columns, in this order: `agent,site,template,start_utc,end_utc,start_local,end_local,
//! paid_minutes,breaks`, then `break_paid`. `breaks` is a `;`-separated list of
//! `start_utc/end_utc`; `break_paid` says `paid` or `unpaid` for each break in the same
//! order, so that paid minutes survive the round trip.
//!
//! The reader is strict, because a silently misread roster is worse than an error:
//!
//! * the nine columns must come first, in order; `break_paid` may follow anywhere after them
//!   and other columns are allowed: they are kept ([`ExtraColumns`]) and written back after
//!   `break_paid` when the roster is written again ([`write_roster_csv`]);
//! * at most [`MAX_ROSTER_ROWS`] rows and [`MAX_ROSTER_BYTES`] bytes;
//! * UTC columns must be RFC 3339 with offset `Z` (or `+00:00`); `end_utc` after `start_utc`;
//!   breaks inside the shift, in order, not overlapping;
//! * `start_local`, `end_local` and `paid_minutes` may be left empty; when given they must
//!   agree with the UTC times and breaks (so that editing one but not the other is caught);
//! * without a `break_paid` column every break is read as unpaid.
//!
//! Every error is [`Error::Parse`] naming the file, the 1-based line (the header is line 1)
//! and the column.

use super::{cells, site_of};
use crate::error::{Error, Result};
use crate::evaluate::{AgentShifts, Routing};
use crate::shifts::{Break, ShiftInstance};
use crate::time::{fmt_local, fmt_utc, Site};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::Path;

/// Most rows a roster file may hold: 50,000 agents with 20 shifts each, the largest
/// operation `wfm evaluate` is made for (a 1,000,000-row roster evaluates in seconds).
pub const MAX_ROSTER_ROWS: usize = crate::limits::MAX_ROSTER_ROWS;

/// Largest roster file read, in bytes (about 500 bytes per row at [`MAX_ROSTER_ROWS`]).
pub const MAX_ROSTER_BYTES: u64 = 512 * 1024 * 1024;

/// Columns of a roster file beyond the ones `wfm` reads (e.g. a user's `notes`), kept so
/// that writing the roster again does not drop them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraColumns {
    /// Header names, in file order.
    pub names: Vec<String>,
    /// Values, row after row (`names.len()` values per row); empty when `names` is.
    pub values: Vec<String>,
}

impl ExtraColumns {
    /// The extra values of row `k` (empty when there are no extra columns).
    pub fn row(&self, k: usize) -> &[String] {
        let n = self.names.len();
        self.values.get(k * n..(k + 1) * n).unwrap_or(&[])
    }

    /// Whether there are no extra columns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A roster file as read: its rows, the line each came from and the columns `wfm` does not
/// read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterFile {
    /// The file as the user named it.
    pub file: String,
    /// One entry per agent-shift, in file order.
    pub rows: Vec<(String, ShiftInstance)>,
    /// 1-based line of each row (the header is line 1).
    pub lines: Vec<usize>,
    /// Extra columns, aligned with `rows`.
    pub extra: ExtraColumns,
}

/// The leading columns of `roster.csv`, in order.
pub const ROSTER_COLUMNS: [&str; 9] = [
    "agent",
    "site",
    "template",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "paid_minutes",
    "breaks",
];

/// The optional column giving `paid` / `unpaid` for each break.
pub const BREAK_PAID_COLUMN: &str = "break_paid";

/// Writes `roster.csv` for `roster`; every shift's site must be one of `sites`.
///
/// # Errors
///
/// The errors of [`write_roster_csv`].
pub fn roster_csv(roster: &AgentShifts, sites: &[Site]) -> Result<String> {
    let mut out = Vec::new();
    write_roster_csv(&mut out, roster, sites, &ExtraColumns::default())?;
    String::from_utf8(out)
        .map_err(|e| Error::io("roster.csv", std::io::Error::other(e.to_string())))
}

/// Writes `roster.csv` for `roster` into `w`, row by row, with `extra` columns (aligned
/// with `roster`) after `break_paid`; every shift's site must be one of `sites`.
///
/// # Errors
///
/// [`Error::Invalid`] naming `roster extra columns` when `extra` does not hold one value per row
/// and extra column; the errors of [`crate::evaluate::validate_entry`] for each entry;
/// [`Error::Invalid`] naming `roster[k].site` when a shift's site is not in `sites`; [`Error::Io`]
/// naming `roster.csv` when writing to `w` fails.
pub fn write_roster_csv(
    w: &mut dyn Write,
    roster: &AgentShifts,
    sites: &[Site],
    extra: &ExtraColumns,
) -> Result<()> {
    let n = extra.names.len();
    if extra.values.len() != n * roster.len() {
        return Err(Error::invalid(
            "roster extra columns",
            format!(
                "{} values for {} rows of {n} extra columns",
                extra.values.len(),
                roster.len()
            ),
        ));
    }
    let io = |e: csv::Error| Error::io("roster.csv", std::io::Error::other(e.to_string()));
    let mut out = csv::WriterBuilder::new().from_writer(w);
    let mut header: Vec<&str> = ROSTER_COLUMNS.to_vec();
    header.push(BREAK_PAID_COLUMN);
    header.extend(extra.names.iter().map(String::as_str));
    out.write_record(&header).map_err(io)?;
    let mut breaks = String::new();
    let mut paid = String::new();
    for (k, (agent, s)) in roster.iter().enumerate() {
        crate::evaluate::validate_entry(k, agent, s)?;
        let site = site_of(sites, &s.site, &format!("roster[{k}].site"))?;
        breaks.clear();
        paid.clear();
        for (j, b) in s.breaks.iter().enumerate() {
            if j > 0 {
                breaks.push(';');
                paid.push(';');
            }
            breaks.push_str(&fmt_utc(b.start));
            breaks.push('/');
            breaks.push_str(&fmt_utc(b.end));
            paid.push_str(if b.paid { "paid" } else { "unpaid" });
        }
        let (agent, site_name, template) = (
            cells::text(agent),
            cells::text(&s.site),
            cells::text(&s.template),
        );
        for field in [
            agent.as_ref(),
            site_name.as_ref(),
            template.as_ref(),
            &fmt_utc(s.start),
            &fmt_utc(s.end),
            &fmt_local(site.local(s.start)),
            &fmt_local(site.local(s.end)),
            &s.paid_minutes().to_string(),
            &breaks,
            &paid,
        ] {
            out.write_field(field).map_err(io)?;
        }
        for v in extra.row(k) {
            out.write_field(v).map_err(io)?;
        }
        out.write_record(None::<&[u8]>).map_err(io)?;
    }
    out.flush().map_err(|e| Error::io("roster.csv", e))
}

/// Reads a roster file with its line numbers and extra columns, checking every row's site
/// against `sites` and, given `routing`, that its site and template serve a queue (see
/// [`parse_roster_routed`]).
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`MAX_ROSTER_BYTES`] or not UTF-8; and the errors of [`parse_roster_file`].
pub fn read_roster_file(
    path: &Path,
    sites: &[Site],
    routing: Option<&Routing>,
) -> Result<RosterFile> {
    let name = path.display().to_string();
    let text = read_roster_text(path, &name)?;
    parse_roster_file(&text, &name, sites, routing)
}

/// Parses the text of a roster file into a [`RosterFile`] (see [`read_roster_file`]).
///
/// # Errors
///
/// [`Error::Parse`] naming `file`, the line and the column when the first nine columns of the
/// header are not the roster columns in order, there are more than [`MAX_ROSTER_ROWS`] rows, a row
/// has the wrong number of fields, the agent or template is empty, the site is not in `sites`, a
/// UTC time is not RFC 3339 UTC, `end_utc` is not after `start_utc`, `start_local`, `end_local` or
/// `paid_minutes` disagree with the UTC times and breaks, a break is malformed, outside the shift
/// or overlaps the one before, `break_paid` does not say `paid` or `unpaid` for each break, or
/// (given `routing`) the site and template serve no queue.
pub fn parse_roster_file(
    text: &str,
    file: &str,
    sites: &[Site],
    routing: Option<&Routing>,
) -> Result<RosterFile> {
    let parsed = parse_lines(text, file, sites, MAX_ROSTER_ROWS)?;
    if let Some(routing) = routing {
        check_routing(&parsed.rows, &parsed.lines, file, routing)?;
    }
    Ok(parsed)
}

/// Reads a roster file. `sites` are the scenario's sites: a row naming another site is an
/// error. Errors name the file as given in `path`.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`MAX_ROSTER_BYTES`] or not UTF-8; and the errors of [`parse_roster`].
pub fn read_roster(path: &Path, sites: &[Site]) -> Result<Vec<(String, ShiftInstance)>> {
    let name = path.display().to_string();
    let text = read_roster_text(path, &name)?;
    parse_roster(&text, &name, sites)
}

/// Reads a roster file and checks that every row's site and template serve a queue of
/// `routing` (see [`parse_roster_routed`]).
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`MAX_ROSTER_BYTES`] or not UTF-8; and the errors of [`parse_roster_routed`].
pub fn read_roster_routed(
    path: &Path,
    sites: &[Site],
    routing: &Routing,
) -> Result<Vec<(String, ShiftInstance)>> {
    let name = path.display().to_string();
    let text = read_roster_text(path, &name)?;
    parse_roster_routed(&text, &name, sites, routing)
}

/// The text of a roster file, at most [`crate::limits::MAX_CSV_BYTES`] bytes.
/// Reads at most [`MAX_ROSTER_BYTES`] of a roster file.
fn read_roster_text(path: &Path, name: &str) -> Result<String> {
    crate::limits::read_text(path, name, "roster file", MAX_ROSTER_BYTES)
}

/// As [`parse_roster`], and also checks that every row's (site, template) serves a queue of
/// `routing`, naming the line of a row that does not (rather than its position in the
/// list, as the evaluator would).
///
/// # Errors
///
/// The errors of [`parse_roster`]; [`Error::Parse`] naming `file` and the line when a row's site
/// and template serve no queue of `routing`.
pub fn parse_roster_routed(
    text: &str,
    file: &str,
    sites: &[Site],
    routing: &Routing,
) -> Result<Vec<(String, ShiftInstance)>> {
    Ok(parse_roster_file(text, file, sites, Some(routing))?.rows)
}

/// As [`parse_roster_routed`], each row with its 1-based line number in the file.
///
/// # Errors
///
/// The errors of [`parse_roster_routed`].
pub fn parse_roster_routed_lines(
    text: &str,
    file: &str,
    sites: &[Site],
    routing: &Routing,
) -> Result<Vec<(usize, (String, ShiftInstance))>> {
    let f = parse_roster_file(text, file, sites, Some(routing))?;
    Ok(f.lines.into_iter().zip(f.rows).collect())
}

fn check_routing(
    rows: &[(String, ShiftInstance)],
    lines: &[usize],
    file: &str,
    routing: &Routing,
) -> Result<()> {
    for ((_, s), line) in rows.iter().zip(lines) {
        if routing.queue_of(&s.site, &s.template).is_none() {
            return Err(Error::parse(
                file,
                *line,
                format!(
                    "column template: {:?} at site {:?} is not a shift template that serves a \
                     queue in the scenario",
                    s.template, s.site
                ),
            ));
        }
    }
    Ok(())
}

/// Parses the text of a roster file; `file` names it in errors.
///
/// # Errors
///
/// [`Error::Parse`] naming `file`, the line and the column for a row or header that breaks the
/// format (see [`parse_roster_file`]), including a site not in `sites`.
pub fn parse_roster(
    text: &str,
    file: &str,
    sites: &[Site],
) -> Result<Vec<(String, ShiftInstance)>> {
    Ok(parse_lines(text, file, sites, MAX_ROSTER_ROWS)?.rows)
}

/// Rows with their 1-based line numbers and extra columns.
fn parse_lines(text: &str, file: &str, sites: &[Site], max_rows: usize) -> Result<RosterFile> {
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_error(file, &lines, &e))?
        .clone();
    for (k, want) in ROSTER_COLUMNS.iter().enumerate() {
        match header.get(k) {
            Some(got) if got == *want => {}
            got => {
                return Err(Error::parse(
                    file,
                    1,
                    format!(
                        "column {} must be {want:?} (the first columns are {}), found {}",
                        k + 1,
                        ROSTER_COLUMNS.join(","),
                        got.map_or("nothing".to_string(), |g| format!("{g:?}"))
                    ),
                ))
            }
        }
    }
    let paid_col = header.iter().position(|h| h == BREAK_PAID_COLUMN);
    let extra_cols: Vec<usize> = (ROSTER_COLUMNS.len()..header.len())
        .filter(|&k| Some(k) != paid_col)
        .collect();
    let mut out = RosterFile {
        file: file.to_string(),
        extra: ExtraColumns {
            names: extra_cols
                .iter()
                .map(|&k| header.get(k).unwrap_or("").to_string())
                .collect(),
            values: Vec::new(),
        },
        ..RosterFile::default()
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(file, &lines, &e)),
        }
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if out.rows.len() == max_rows {
            return Err(Error::parse(
                file,
                line,
                format!("a roster may hold at most {max_rows} rows"),
            ));
        }
        let row = Row {
            file,
            line,
            record: &record,
        };
        out.rows.push(row.parse(sites, paid_col)?);
        out.lines.push(line);
        for &k in &extra_cols {
            out.extra
                .values
                .push(record.get(k).unwrap_or("").to_string());
        }
    }
    Ok(out)
}

/// 1-based line numbers from byte offsets. (The CSV reader's own line count skips blank
/// lines, and its record positions point at the blank lines before a record, so both
/// would name the wrong line of a hand-edited file.)
struct Lines<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            newlines: text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(k, _)| k)
                .collect(),
        }
    }

    /// The line of the first byte at or after `byte` that is not a line terminator.
    fn line_of(&self, byte: u64) -> usize {
        let mut byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        self.newlines.partition_point(|&k| k < byte) + 1
    }
}

fn csv_error(file: &str, lines: &Lines, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Error::parse(file, line, reason)
}

struct Row<'a> {
    file: &'a str,
    line: usize,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn err(&self, column: &str, reason: impl std::fmt::Display) -> Error {
        Error::parse(self.file, self.line, format!("column {column}: {reason}"))
    }

    fn get(&self, k: usize) -> &str {
        self.record.get(k).unwrap_or("")
    }

    fn utc(&self, column: &str, text: &str) -> Result<DateTime<Utc>> {
        let t = DateTime::parse_from_rfc3339(text).map_err(|_| {
            self.err(
                column,
                format!("{text:?} is not an RFC 3339 UTC timestamp such as 2027-03-08T09:00:00Z"),
            )
        })?;
        if t.offset().local_minus_utc() != 0 {
            return Err(self.err(
                column,
                format!(
                    "{text:?} must be in UTC (ending in Z); local times go in the _local columns"
                ),
            ));
        }
        Ok(t.with_timezone(&Utc))
    }

    fn parse(&self, sites: &[Site], paid_col: Option<usize>) -> Result<(String, ShiftInstance)> {
        // Text columns as written by `cells::text` (a leading `'` neutralises formulas).
        let agent = cells::untext(self.get(0));
        if agent.is_empty() {
            return Err(self.err("agent", "is empty"));
        }
        if let Err(Error::Invalid { reason, .. }) = crate::limits::check_name("agent", agent) {
            return Err(self.err("agent", reason));
        }
        let site_name = cells::untext(self.get(1));
        let site = sites.iter().find(|s| s.name == site_name).ok_or_else(|| {
            let known: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
            self.err(
                "site",
                format!(
                    "{site_name:?} is not a site of the scenario ({})",
                    known.join(", ")
                ),
            )
        })?;
        let template = cells::untext(self.get(2));
        if template.is_empty() {
            return Err(self.err("template", "is empty"));
        }
        let start = self.utc("start_utc", self.get(3))?;
        let end = self.utc("end_utc", self.get(4))?;
        if end <= start {
            return Err(self.err(
                "end_utc",
                format!("{} is not after start_utc {}", fmt_utc(end), fmt_utc(start)),
            ));
        }
        for (column, k, utc) in [("start_local", 5, start), ("end_local", 6, end)] {
            let text = self.get(k);
            if text.is_empty() {
                continue;
            }
            let local = DateTime::parse_from_rfc3339(text).map_err(|_| {
                self.err(
                    column,
                    format!("{text:?} is not an RFC 3339 timestamp with offset"),
                )
            })?;
            if local != utc {
                return Err(self.err(
                    column,
                    format!(
                        "{text:?} is not the same instant as the UTC column ({} at {}); \
                         edit both columns or leave this one empty",
                        fmt_local(site.local(utc)),
                        site.name
                    ),
                ));
            }
        }
        let breaks = self.breaks(start, end, paid_col)?;
        let shift = ShiftInstance {
            site: site.name.clone(),
            template: template.to_string(),
            start,
            end,
            breaks,
        };
        let paid = self.get(7);
        if !paid.is_empty() {
            let given: i64 = paid
                .parse()
                .map_err(|_| self.err("paid_minutes", format!("{paid:?} is not a whole number")))?;
            if given != shift.paid_minutes() {
                return Err(self.err(
                    "paid_minutes",
                    format!(
                        "{given} does not match the shift ({} minutes: start to end less unpaid \
                         breaks); fix it or leave it empty",
                        shift.paid_minutes()
                    ),
                ));
            }
        }
        Ok((agent.to_string(), shift))
    }

    fn breaks(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        paid_col: Option<usize>,
    ) -> Result<Vec<Break>> {
        let text = self.get(8);
        if text.is_empty() {
            if let Some(k) = paid_col {
                if !self.get(k).is_empty() {
                    return Err(self.err(BREAK_PAID_COLUMN, "is not empty but there are no breaks"));
                }
            }
            return Ok(Vec::new());
        }
        let items: Vec<&str> = text.split(';').map(str::trim).collect();
        let flags: Vec<bool> = match paid_col {
            None => vec![false; items.len()],
            Some(k) => {
                let mut flags = Vec::new();
                for f in self.get(k).split(';').map(str::trim) {
                    match f {
                        "paid" => flags.push(true),
                        "unpaid" => flags.push(false),
                        other => {
                            return Err(self.err(
                                BREAK_PAID_COLUMN,
                                format!("{other:?} must be \"paid\" or \"unpaid\""),
                            ))
                        }
                    }
                }
                if flags.len() != items.len() {
                    return Err(self.err(
                        BREAK_PAID_COLUMN,
                        format!("has {} entries for {} breaks", flags.len(), items.len()),
                    ));
                }
                flags
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut prev_end = start;
        for (j, (item, paid)) in items.iter().zip(flags).enumerate() {
            let column = format!("breaks (break {})", j + 1);
            let Some((a, b)) = item.split_once('/') else {
                return Err(self.err(&column, format!("{item:?} must be start_utc/end_utc")));
            };
            let (bs, be) = (self.utc(&column, a.trim())?, self.utc(&column, b.trim())?);
            if be <= bs {
                return Err(self.err(&column, "ends before it starts"));
            }
            if bs < prev_end || be > end {
                return Err(self.err(
                    &column,
                    format!(
                        "{item} is not inside the shift {}/{} after the previous break",
                        fmt_utc(start),
                        fmt_utc(end)
                    ),
                ));
            }
            prev_end = be;
            out.push(Break {
                start: bs,
                end: be,
                paid,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks";

    fn text(rows: usize) -> String {
        let mut t = format!("{HEAD},notes\n");
        for k in 0..rows {
            t.push_str(&format!(
                "a{k},ny,day,2027-03-08T1{k}:00:00Z,2027-03-08T1{k}:30:00Z,,,,,note {k}\n"
            ));
        }
        t
    }

    #[test]
    fn the_row_limit_is_an_error_naming_the_first_row_over_it() {
        let sites = [Site::new("ny", "America/New_York").unwrap()];
        assert_eq!(
            parse_lines(&text(3), "r.csv", &sites, 3)
                .unwrap()
                .rows
                .len(),
            3
        );
        let e = parse_lines(&text(4), "r.csv", &sites, 3).unwrap_err();
        assert_eq!(e.to_string(), "r.csv:5: a roster may hold at most 3 rows");
    }

    #[test]
    fn extra_columns_are_kept_row_by_row() {
        let sites = [Site::new("ny", "America/New_York").unwrap()];
        let f = parse_lines(&text(2), "r.csv", &sites, 10).unwrap();
        assert_eq!(f.extra.names, ["notes"]);
        assert_eq!(f.extra.row(1), ["note 1"]);
        assert_eq!(f.lines, [2, 3]);
        let mut out = Vec::new();
        write_roster_csv(&mut out, &f.rows, &sites, &f.extra).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert!(
            written.starts_with(&format!("{HEAD},break_paid,notes\n")),
            "{written}"
        );
        assert!(
            written.lines().nth(2).unwrap().ends_with(",,,note 1"),
            "{written}"
        );
        let wrong = ExtraColumns {
            names: vec!["notes".into()],
            values: vec!["only one".into()],
        };
        assert!(write_roster_csv(&mut Vec::new(), &f.rows, &sites, &wrong).is_err());
    }
}
