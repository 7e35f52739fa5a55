//! `wfm contacts`: read a contact export (help desk tickets or call records) and write the
//! interval history per queue that `wfm forecast` reads, plus what was achieved.

use std::path::PathBuf;
use wfm::forecast::exports::{self, Kind, Layout, Unit};
use wfm::{Error, Result};

/// Arguments of `wfm contacts`.
#[derive(clap::Args)]
pub struct Args {
    /// The export (CSV, or JSON records; delimiter, dates and zone as below).
    export: PathBuf,
    /// Column layout of a known export: zendesk, zendesk_json, freshdesk, salesforce, jira,
    /// cdr or amazon_connect. A file starting with `{` or `[` is read as JSON
    /// (docs/forecasting.md).
    #[arg(long)]
    preset: Option<String>,
    /// JSON mapping file with the layout (fields as in docs/forecasting.md); over the
    /// preset when both are given.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Folder for history_<queue>.csv and achieved.csv (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Grid interval (5m, 10m, 15m, 30m, 60m/1h; a bare number is minutes).
    #[arg(long, default_value = "30m")]
    interval: String,
    /// IANA zone of timestamps written without an offset, and of local days.
    #[arg(long)]
    zone: Option<String>,
    /// Service-level threshold: answered (first replied to) within this (default 20s for
    /// calls, 24h for tickets; a bare number is seconds).
    #[arg(long)]
    within: Option<String>,
    /// First local day the export covers (YYYY-MM-DD; default the first contact's day).
    #[arg(long)]
    from: Option<String>,
    /// Last local day the export covers (default the last contact's day); contacts
    /// outside --from/--to are counted and left out.
    #[arg(long)]
    to: Option<String>,
    /// Calls or tickets.
    #[arg(long)]
    kind: Option<String>,
    /// Field delimiter: `,` `;` `|` or `tab`.
    #[arg(long)]
    delimiter: Option<String>,
    /// Numbers use a decimal comma (`12,5`).
    #[arg(long)]
    decimal_comma: bool,
    /// Date order of timestamps: iso, dmy (dd/mm/yyyy HH:MM), mdy (mm/dd/yyyy) or a chrono
    /// format such as "%d/%b/%y %I:%M %p".
    #[arg(long)]
    dates: Option<String>,
    /// Arrival (creation) time column.
    #[arg(long)]
    time_column: Option<String>,
    /// Date column, when the time column holds only the time of day.
    #[arg(long)]
    date_column: Option<String>,
    /// Queue column (channel, group); repeat to combine several.
    #[arg(long)]
    queue_column: Vec<String>,
    /// Column with the answer (first reply) instant.
    #[arg(long)]
    answered_column: Option<String>,
    /// Column with the wait before answer (first reply).
    #[arg(long)]
    wait_column: Option<String>,
    /// Unit of plain numbers in the wait column: s, min or h.
    #[arg(long)]
    wait_unit: Option<String>,
    /// Handle-time column; repeat to add several (talk, hold, wrap-up).
    #[arg(long)]
    handle_column: Vec<String>,
    /// Unit of plain numbers in the handle columns: s, min or h.
    #[arg(long)]
    handle_unit: Option<String>,
    /// Column with the resolution instant (tickets).
    #[arg(long)]
    resolved_column: Option<String>,
    /// Outcome column.
    #[arg(long)]
    outcome_column: Option<String>,
    /// Outcome values meaning abandoned (comma-separated).
    #[arg(long)]
    abandoned: Option<String>,
    /// Column with each contact's id (ticket number, call id): exact duplicate rows are
    /// left out and counted, conflicting ones are an error.
    #[arg(long)]
    id_column: Option<String>,
    /// Column with each row's IANA zone, for naive timestamps of that row.
    #[arg(long)]
    zone_column: Option<String>,
    /// Column marking rows to leave out.
    #[arg(long)]
    exclude_column: Option<String>,
    /// Values of rows to leave out (comma-separated).
    #[arg(long)]
    exclude: Option<String>,
}

fn unit(flag: &str, s: &str) -> Result<Unit> {
    match s.trim() {
        "s" => Ok(Unit::Seconds),
        "min" | "m" => Ok(Unit::Minutes),
        "h" => Ok(Unit::Hours),
        other => Err(Error::invalid(
            flag,
            format!("{other:?} is not s, min or h"),
        )),
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn layout(a: &Args) -> Result<Layout> {
    let mut l = match &a.preset {
        Some(p) => exports::preset(p)?,
        None => Layout::default(),
    };
    if let Some(m) = &a.mapping {
        let name = m.display().to_string();
        let text =
            wfm::limits::read_text(m, &name, "mapping file", wfm::limits::MAX_MAPPING_BYTES)?;
        l = Layout::from_json(&name, &text, l)?;
    }
    if let Some(k) = &a.kind {
        l.kind = match k.trim() {
            "calls" => Kind::Calls,
            "tickets" => Kind::Tickets,
            other => {
                return Err(Error::invalid(
                    "--kind",
                    format!("{other:?} is not calls or tickets"),
                ))
            }
        };
    }
    if let Some(d) = &a.delimiter {
        l.delimiter = match d.as_str() {
            "tab" | "\\t" | "\t" => '\t',
            s if s.chars().count() == 1 => s.chars().next().unwrap_or(','),
            other => {
                return Err(Error::invalid(
                    "--delimiter",
                    format!("{other:?} is not one character or `tab`"),
                ))
            }
        };
    }
    if a.decimal_comma {
        l.decimal_comma = true;
    }
    let set = |slot: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            slot.clone_from(v);
        }
    };
    if let Some(d) = &a.dates {
        l.dates.clone_from(d);
    }
    if let Some(t) = &a.time_column {
        l.time_column.clone_from(t);
    }
    set(&mut l.date_column, &a.date_column);
    if !a.queue_column.is_empty() {
        l.queue_columns.clone_from(&a.queue_column);
    }
    set(&mut l.answered_column, &a.answered_column);
    set(&mut l.wait_column, &a.wait_column);
    if let Some(u) = &a.wait_unit {
        l.wait_unit = unit("--wait-unit", u)?;
    }
    if !a.handle_column.is_empty() {
        l.handle_columns.clone_from(&a.handle_column);
    }
    if let Some(u) = &a.handle_unit {
        l.handle_unit = unit("--handle-unit", u)?;
    }
    set(&mut l.resolved_column, &a.resolved_column);
    set(&mut l.outcome_column, &a.outcome_column);
    if let Some(v) = &a.abandoned {
        l.abandoned_values = list(v);
    }
    if a.id_column.is_some() {
        // A column the user names must be there.
        l.id_column_optional = false;
    }
    set(&mut l.id_column, &a.id_column);
    set(&mut l.zone_column, &a.zone_column);
    set(&mut l.exclude_column, &a.exclude_column);
    if let Some(v) = &a.exclude {
        l.exclude_values = list(v);
    }
    set(&mut l.zone, &a.zone);
    Ok(l)
}

/// Whether the mapping file names a delimiter (a key `delimiter` at its top level).
fn mapping_sets_delimiter(a: &Args) -> bool {
    let Some(m) = &a.mapping else {
        return false;
    };
    let text = wfm::limits::read_text(m, "", "mapping file", wfm::limits::MAX_MAPPING_BYTES)
        .unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("delimiter").map(|_| ()))
        .is_some()
}

/// The delimiter of the export's header line when neither `--delimiter` nor the mapping
/// names one and the layout's delimiter is not on that line: the most frequent of `,` `;`
/// tab and `|` there (`None`: keep the layout's).
fn detect_delimiter(a: &Args, l: &Layout) -> Option<char> {
    if a.delimiter.is_some() || mapping_sets_delimiter(a) {
        return None;
    }
    exports::detect_delimiter(&a.export, l.delimiter)
}

/// Runs `wfm contacts`.
pub fn run(a: Args) -> Result<()> {
    let mut l = layout(&a)?;
    let detected = detect_delimiter(&a, &l);
    if let Some(d) = detected {
        l.delimiter = d;
    }
    let interval = wfm::forecast::parse_minutes("--interval", &a.interval)?;
    let within = match &a.within {
        Some(w) => wfm::time::parse_duration("--within", w, 1.0)?,
        None if l.kind == Kind::Tickets => 86_400.0,
        None => 20.0,
    };
    let zone = match &l.zone {
        Some(z) => Some(wfm::time::parse_tz("--zone", z)?),
        None => None,
    };
    let day = |flag: &str, v: &Option<String>| -> Result<Option<chrono::NaiveDate>> {
        v.as_deref()
            .map(|s| {
                chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map_err(|_| Error::invalid(flag, format!("{s:?} is not a date YYYY-MM-DD")))
            })
            .transpose()
    };
    let opts = exports::ReadOptions {
        zone,
        interval_minutes: interval,
        within_seconds: within,
        from: day("--from", &a.from)?,
        to: day("--to", &a.to)?,
    };
    let h = exports::read_export(&a.export, &l, opts)?;
    let files = h.write(&a.out, &a.export)?;
    if let Some(d) = detected {
        outln!(
            "delimiter {}: detected from the header line (give --delimiter to choose another)",
            if d == '\t' {
                "tab".to_string()
            } else {
                format!("{d:?}")
            }
        );
    }
    outln!(
        "{}: {} rows ({} left out, {} outside the period, {}; {} footer lines), {} queue{}, {} intervals of {} min from {} ({})",
        a.export.display(),
        h.rows,
        h.excluded,
        h.outside,
        if h.ids_checked {
            format!("{} duplicates", h.duplicates)
        } else {
            "duplicates not checked: no id column".to_string()
        },
        h.footer_rows,
        h.queues.len(),
        if h.queues.len() == 1 { "" } else { "s" },
        h.horizon.len(),
        interval,
        wfm::time::fmt_utc(h.horizon.start()),
        h.zone.name()
    );
    for q in &h.queues {
        let t = q.total();
        let pct = |x: Option<f64>| {
            x.map(|v| format!("{:.1} %", 100.0 * v))
                .unwrap_or_else(|| "n/a".into())
        };
        outln!(
            "  {}: offered {}, handled {}, abandoned {} ({}), AHT {}, within {} s: {}, {} {}",
            q.name,
            t.offered,
            t.handled,
            t.abandoned,
            pct(t.abandon_rate()),
            t.aht()
                .map(|x| format!("{x:.0} s"))
                .unwrap_or_else(|| "n/a".into()),
            within,
            if h.has_wait {
                pct(t.service_level())
            } else {
                "n/a".into()
            },
            if h.kind == Kind::Tickets {
                "resolution p90"
            } else {
                "ASA"
            },
            if h.kind == Kind::Tickets {
                q.resolution_quantile(0.9)
                    .map(|m| format!("{:.1} h", m as f64 / 60.0))
                    .unwrap_or_else(|| "n/a".into())
            } else {
                t.asa()
                    .map(|x| format!("{x:.1} s"))
                    .unwrap_or_else(|| "n/a".into())
            }
        );
    }
    outln!("wrote:");
    for f in &files {
        outln!("  {}", f.display());
    }
    if let Some(first) = files.first() {
        outln!(
            "next: wfm forecast {} --tz {} --horizon 7d --out forecast.csv",
            first.display(),
            h.zone.name()
        );
    }
    Ok(())
}
