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
use crate::error::Result;
use crate::evaluate::Roster;
use crate::time::{fmt_local, Site};
use chrono::{DateTime, Utc};

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
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The iCalendar text of `roster`. `calendar_name` names the calendar (`X-WR-CALNAME`);
/// `dtstamp` is the instant the file is produced (pass a fixed one for reproducible files).
pub fn roster_ics(
    roster: &Roster,
    sites: &[Site],
    calendar_name: &str,
    dtstamp: DateTime<Utc>,
) -> Result<String> {
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
    Ok(out)
}
