//! `roster.ics`: the roster as an iCalendar file (RFC 5545), one `VEVENT` per agent-shift.
//!
//! Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text
//! values escape backslash, semicolon, comma and newline. Times are UTC (`...Z`), so no
//! `VTIMEZONE` is needed; calendar programs show them in the reader's own zone. Each event
//! has a `UID` built from the agent, the shift start and its row number (unique within the
//! file and stable when the same roster is written again), the caller's `DTSTAMP`, a
//! `SUMMARY` (agent, template, site), a `LOCATION` (site and zone) and a `DESCRIPTION` with
//! local times, breaks and paid minutes.

use super::site_of;
use crate::error::{Error, Result};
use crate::evaluate::AgentShifts;
use crate::time::{fmt_local, Site};
use chrono::{DateTime, Utc};
use std::io::Write;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (RFC 5545 §3.1), ending in CRLF.
pub fn push_folded(out: &mut String, line: &str) {
    // Copies whole runs between fold points (a char-by-char copy dominated writing the
    // calendar of a large roster).
    let mut used = 0;
    let mut from = 0;
    for (k, c) in line.char_indices() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str(&line[from..k]);
            out.push_str("\r\n ");
            from = k;
            used = 1;
        }
        used += n;
    }
    out.push_str(&line[from..]);
    out.push_str("\r\n");
}

fn ics_time(t: DateTime<Utc>) -> String {
    use chrono::Datelike;
    if (0..=9999).contains(&t.year()) {
        // `fmt_utc` without separators: much faster than a format string per event.
        crate::time::fmt_utc(t).replace(['-', ':'], "")
    } else {
        t.format("%Y%m%dT%H%M%SZ").to_string()
    }
}

/// The iCalendar text of `roster`. `calendar_name` names the calendar (`X-WR-CALNAME`);
/// `dtstamp` is the instant the file is produced (pass a fixed one for reproducible files).
///
/// # Errors
///
/// The errors of [`write_roster_ics`].
pub fn roster_ics(
    roster: &AgentShifts,
    sites: &[Site],
    calendar_name: &str,
    dtstamp: DateTime<Utc>,
) -> Result<String> {
    let mut out = Vec::new();
    write_roster_ics(&mut out, roster, sites, calendar_name, dtstamp)?;
    String::from_utf8(out).map_err(|e| Error::io("roster.ics", std::io::Error::other(e)))
}

/// Writes [`roster_ics`] into `w` event by event, so that memory holds one event at a time.
///
/// # Errors
///
/// The errors of [`crate::evaluate::validate_entry`] for each roster entry (blank agent, a shift
/// that does not end after it starts, a break out of order); [`Error::Invalid`] naming
/// `roster[k].site` when a shift's site is not in `sites`; [`Error::Io`] naming `roster.ics` when
/// `w` fails.
pub fn write_roster_ics(
    w: &mut dyn Write,
    roster: &AgentShifts,
    sites: &[Site],
    calendar_name: &str,
    dtstamp: DateTime<Utc>,
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("roster.ics", e);
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//wfm//roster//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_folded(&mut out, l);
    }
    push_folded(
        &mut out,
        &format!("X-WR-CALNAME:{}", escape_text(calendar_name)),
    );
    let stamp = ics_time(dtstamp);
    for (k, (agent, s)) in roster.iter().enumerate() {
        w.write_all(out.as_bytes()).map_err(io)?;
        out.clear();
        crate::evaluate::validate_entry(k, agent, s)?;
        let site = site_of(sites, &s.site, &format!("roster[{k}].site"))?;
        let uid_agent: String = agent
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let mut desc = format!(
            "Template: {}\nSite: {} ({})\nLocal time: {} to {}\nPaid minutes: {}",
            s.template,
            s.site,
            site.tz.name(),
            fmt_local(site.local(s.start)),
            fmt_local(site.local(s.end)),
            s.paid_minutes()
        );
        for b in &s.breaks {
            desc.push_str(&format!(
                "\nBreak ({}): {} to {}",
                if b.paid { "paid" } else { "unpaid" },
                fmt_local(site.local(b.start)),
                fmt_local(site.local(b.end))
            ));
        }
        push_folded(&mut out, "BEGIN:VEVENT");
        push_folded(
            &mut out,
            &format!(
                "UID:{}-{}-{}@wfm.roster",
                k + 1,
                ics_time(s.start),
                uid_agent
            ),
        );
        push_folded(&mut out, &format!("DTSTAMP:{stamp}"));
        push_folded(&mut out, &format!("DTSTART:{}", ics_time(s.start)));
        push_folded(&mut out, &format!("DTEND:{}", ics_time(s.end)));
        push_folded(
            &mut out,
            &format!(
                "SUMMARY:{}",
                escape_text(&format!("{agent}: {} shift at {}", s.template, s.site))
            ),
        );
        push_folded(
            &mut out,
            &format!(
                "LOCATION:{}",
                escape_text(&format!("{} ({})", s.site, site.tz.name()))
            ),
        );
        push_folded(&mut out, &format!("DESCRIPTION:{}", escape_text(&desc)));
        push_folded(&mut out, "TRANSP:OPAQUE");
        push_folded(&mut out, "END:VEVENT");
    }
    push_folded(&mut out, "END:VCALENDAR");
    w.write_all(out.as_bytes()).map_err(io)
}
