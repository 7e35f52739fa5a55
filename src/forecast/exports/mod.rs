//! Contact exports from help desks and telephony systems, read into the interval history
//! that [`read_history`](super::read_history) and `wfm forecast` read, plus what was
//! achieved (service level, speed of answer, abandonment; for tickets, backlog and
//! resolution times).
//!
//! A [`Layout`] says which columns of an export hold what: the arrival (ticket creation)
//! time, the queue (one or more channel or group columns, joined), the outcome, handle,
//! wait and resolution times, and how the file is written (delimiter, decimal comma, date
//! order, the zone of naive timestamps). Presets give the layouts of the common exports,
//! each in its own file with the provenance of its column names:
//!
//! | preset | export | kind |
//! |---|---|---|
//! | `zendesk` | Zendesk Support ticket CSV export | tickets |
//! | `zendesk_json` | Zendesk Support tickets as JSON (list or incremental export API, account data export) | tickets |
//! | `freshdesk` | Freshdesk ticket export | tickets |
//! | `salesforce` | Salesforce Service Cloud case report (details only) | tickets |
//! | `jira` | Jira Service Management issue export (CSV, all fields) | tickets |
//! | `cdr` | a generic call-detail record from an ACD or PBX | calls |
//! | `amazon_connect` | Amazon Connect contact records (JSON, as its contact record data stream delivers them) | calls |
//!
//! Anything else is described by a [`Layout`] built by hand or read from a JSON mapping
//! file ([`Layout::from_json`]); its fields override a preset's one by one.
//!
//! [`read_export`] streams the file: memory grows with the number of queues and intervals,
//! not with the number of rows. Every bad cell is a [`crate::Error::Parse`]
//! naming the file, the line and the column.

mod amazon_connect;
mod cdr;
mod cells;
mod freshdesk;
mod history;
mod jira;
mod json;
mod read;
mod salesforce;
mod tickets;
mod versions;
mod write;
mod zendesk;
mod zendesk_json;

pub use history::{ContactHistory, IntervalCounts, QueueHistory};
pub use read::{read_export, ReadOptions, MAX_CELLS, MAX_IDS, MAX_LINE_BYTES, MAX_QUEUES};
pub use write::{file_stem, MAX_STEM_CHARS};

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// What the rows of an export are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// Calls (or chats): answered or abandoned, with a wait and a handle time.
    #[default]
    Calls,
    /// Tickets: created, first replied to, resolved; backlog and resolution times.
    Tickets,
}

/// Unit of a duration column whose cells are plain numbers (`h:mm:ss` cells are read as
/// such whatever the unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub enum Unit {
    /// Seconds.
    #[default]
    #[serde(rename = "s")]
    Seconds,
    /// Minutes.
    #[serde(rename = "min")]
    Minutes,
    /// Hours.
    #[serde(rename = "h")]
    Hours,
}

impl Unit {
    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            Unit::Seconds => 1.0,
            Unit::Minutes => 60.0,
            Unit::Hours => 3600.0,
        }
    }
}

/// Which columns of an export hold what, and how its cells are written. In a JSON mapping
/// file every field is optional (the defaults below, or the preset's values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Layout {
    /// Calls or tickets (default calls).
    pub kind: Kind,
    /// Field delimiter: `,` (default), `;` or a tab.
    pub delimiter: char,
    /// Numbers are written with a decimal comma (`12,5`).
    pub decimal_comma: bool,
    /// How timestamps are written: `iso` (default: RFC 3339, or `YYYY-MM-DD HH:MM[:SS]`),
    /// `dmy` (`dd/mm/yyyy HH:MM[:SS]`, also with `.` or `-`), `mdy` (`mm/dd/yyyy HH:MM`,
    /// also with `AM`/`PM`), or a chrono format such as `%d/%b/%y %I:%M %p`. With
    /// `date_column`, the format of that column's dates.
    pub dates: String,
    /// IANA zone of timestamps written without an offset. `None`: such a timestamp is an
    /// error that asks for one (`--zone`).
    pub zone: Option<String>,
    /// Arrival (call start, ticket creation) column; with `date_column`, a time of day.
    pub time_column: String,
    /// Separate date column, when the arrival column holds only the time of day.
    pub date_column: Option<String>,
    /// Columns whose values, joined by ` / `, name the queue (channel, group, request type).
    /// Empty: one queue, `all`.
    pub queue_columns: Vec<String>,
    /// Column with the instant the contact was answered (calls) or first replied to
    /// (tickets).
    pub answered_column: Option<String>,
    /// Column with the wait before answer (calls) or first reply (tickets), used when
    /// `answered_column` is absent or empty.
    pub wait_column: Option<String>,
    /// Unit of `wait_column`.
    pub wait_unit: Unit,
    /// Columns whose durations add up to the handle time (e.g. talk, hold and wrap-up).
    pub handle_columns: Vec<String>,
    /// Unit of `handle_columns`.
    pub handle_unit: Unit,
    /// Column with the instant a ticket was resolved (tickets).
    pub resolved_column: Option<String>,
    /// Column with the outcome of a call.
    pub outcome_column: Option<String>,
    /// Values of `outcome_column` (case-insensitive) that mean the contact abandoned.
    pub abandoned_values: Vec<String>,
    /// Column with each contact's id (ticket number, call id). With it, a row repeating an
    /// earlier row's id is a duplicate (an export downloaded in overlapping parts, or
    /// pasted twice): an exact copy of the earlier row is left out and counted
    /// ([`ContactHistory::duplicates`]); a copy whose cells differ (the same ticket
    /// exported at two moments) is an error naming both lines. An empty id is an error.
    pub id_column: Option<String>,
    /// Whether a file without `id_column` is still read (without the duplicate check,
    /// [`ContactHistory::ids_checked`] then false). The presets set it: their id column is
    /// what the product exports, but a report a user built may leave it out. A column
    /// named by the user (`--id-column`, `--mapping`) must be there.
    pub id_column_optional: bool,
    /// Column with each row's IANA zone (`Europe/Paris`), for exports merged from sites in
    /// several zones: that row's timestamps written without an offset are local time
    /// there. An empty cell falls back to `zone`; timestamps with an offset ignore it.
    pub zone_column: Option<String>,
    /// Column whose values can mark rows to leave out (test calls, spam, merged tickets).
    pub exclude_column: Option<String>,
    /// Values of `exclude_column` (case-insensitive) of rows left out; they are counted,
    /// never dropped silently.
    pub exclude_values: Vec<String>,
    /// Columns of which an empty cell marks a row to leave out (counted with the rows
    /// `exclude_column` leaves out): a contact record with no queue never waited for an
    /// agent (a call that ended in the IVR).
    pub exclude_if_empty: Vec<String>,
    /// Column with the instant each row was last updated. With `id_column`, rows sharing
    /// an id are versions of one contact (a system that delivers a record again when it
    /// learns more): the version updated last is read (on a tie, the later row), the
    /// others are left out and counted as duplicates, whatever their cells.
    pub updated_column: Option<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            kind: Kind::Calls,
            delimiter: ',',
            decimal_comma: false,
            dates: "iso".into(),
            zone: None,
            time_column: String::new(),
            date_column: None,
            queue_columns: Vec::new(),
            answered_column: None,
            wait_column: None,
            wait_unit: Unit::Seconds,
            handle_columns: Vec::new(),
            handle_unit: Unit::Seconds,
            resolved_column: None,
            outcome_column: None,
            abandoned_values: Vec::new(),
            id_column: None,
            id_column_optional: false,
            zone_column: None,
            exclude_column: None,
            exclude_values: Vec::new(),
            exclude_if_empty: Vec::new(),
            updated_column: None,
        }
    }
}

/// Names of the presets, in documentation order.
pub const PRESETS: [&str; 7] = [
    "zendesk",
    "zendesk_json",
    "freshdesk",
    "salesforce",
    "jira",
    "cdr",
    "amazon_connect",
];

/// The layout of a preset by name (see the module docs).
///
/// # Errors
///
/// [`Error::Invalid`] naming `--preset` when `name` is not one of [`PRESETS`] (case and surrounding
/// spaces are ignored).
pub fn preset(name: &str) -> Result<Layout> {
    match name.trim().to_ascii_lowercase().as_str() {
        "zendesk" => Ok(zendesk::layout()),
        "zendesk_json" | "zendesk-json" => Ok(zendesk_json::layout()),
        "freshdesk" => Ok(freshdesk::layout()),
        "salesforce" => Ok(salesforce::layout()),
        "jira" => Ok(jira::layout()),
        "cdr" => Ok(cdr::layout()),
        "amazon_connect" | "amazon-connect" => Ok(amazon_connect::layout()),
        other => Err(Error::invalid(
            "--preset",
            format!("unknown preset {other:?}; known: {}", PRESETS.join(", ")),
        )),
    }
}

impl Layout {
    /// Reads a JSON mapping file over `base`: every field the file gives replaces the
    /// base's; unknown fields are errors naming their path.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] naming `file` and the line when `text` is not JSON or not a JSON object;
    /// [`Error::Invalid`] naming `file` and the field's path when a field is unknown or has the
    /// wrong type.
    pub fn from_json(file: &str, text: &str, base: Layout) -> Result<Layout> {
        let mut merged = serde_json::to_value(&base)
            .map_err(|e| Error::invalid(file.to_string(), e.to_string()))?;
        let given: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::parse(file, e.line(), format!("not JSON: {e}")))?;
        let serde_json::Value::Object(fields) = given else {
            return Err(Error::parse(file, 1, "a mapping is a JSON object"));
        };
        // An id column the mapping names must be there (unless it says otherwise).
        let names_id =
            fields.contains_key("id_column") && !fields.contains_key("id_column_optional");
        if let serde_json::Value::Object(m) = &mut merged {
            for (k, v) in fields {
                m.insert(k, v);
            }
            if names_id {
                m.insert("id_column_optional".into(), serde_json::Value::Bool(false));
            }
        }
        serde_path_to_error::deserialize(merged)
            .map_err(|e| Error::invalid(format!("{file}: {}", e.path()), e.inner().to_string()))
    }

    /// Checks the layout before any row is read.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `time_column` when no arrival column is given, `delimiter` when it
    /// is not `,`, `;`, `|` or a tab, `abandoned_values` or `exclude_values` when an outcome or
    /// exclude column is given without its values, `updated_column` without `id_column`;
    /// [`Error::UnknownTimeZone`] naming `zone` when
    /// the layout's zone is not an IANA name.
    pub fn check(&self) -> Result<()> {
        if self.time_column.trim().is_empty() {
            return Err(Error::invalid(
                "time_column",
                "no arrival column: give a preset, a mapping file or --time-column",
            ));
        }
        if !matches!(self.delimiter, ',' | ';' | '\t' | '|') {
            return Err(Error::invalid(
                "delimiter",
                format!("{:?} is not one of , ; | or a tab", self.delimiter),
            ));
        }
        if self.outcome_column.is_some() && self.abandoned_values.is_empty() {
            return Err(Error::invalid(
                "abandoned_values",
                "an outcome column needs the values that mean abandoned",
            ));
        }
        if self.exclude_column.is_some() && self.exclude_values.is_empty() {
            return Err(Error::invalid(
                "exclude_values",
                "an exclude column needs the values of the rows to leave out",
            ));
        }
        if self.updated_column.is_some() && self.id_column.is_none() {
            return Err(Error::invalid(
                "updated_column",
                "versions of a contact are told apart by its id: give id_column too",
            ));
        }
        if let Some(z) = &self.zone {
            crate::time::parse_tz("zone", z)?;
        }
        Ok(())
    }
}

/// The delimiter of a CSV export's header line when it does not hold `current` (the
/// layout's): the most frequent of `,` `;` tab and `|` there. `None`: keep `current` (it is
/// on the line, none of those is, the file is JSON, or it cannot be read: the reader then
/// reports what is wrong). Callers use it only when the user named no delimiter.
pub fn detect_delimiter(path: &std::path::Path, current: char) -> Option<char> {
    use std::io::BufRead as _;
    let f = std::fs::File::open(path).ok()?;
    // The header line, at most 1 MB of it.
    let mut line = Vec::new();
    std::io::BufReader::new(std::io::Read::take(f, 1 << 20))
        .read_until(b'\n', &mut line)
        .ok()?;
    if json::looks_like_json(&line) {
        return None;
    }
    let header = String::from_utf8_lossy(&line);
    if header.contains(current) {
        return None;
    }
    [',', ';', '\t', '|']
        .into_iter()
        .map(|d| (header.matches(d).count(), d))
        .filter(|&(n, _)| n > 0)
        .max_by_key(|&(n, d)| (n, std::cmp::Reverse(d)))
        .map(|(_, d)| d)
}
