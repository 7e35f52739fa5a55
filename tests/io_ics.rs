//! roster.ics: RFC 5545 line rules checked by hand, and the file parsed by an independent
//! iCalendar parser (the `icalendar` crate) back into the roster's times and texts.

mod io_support;

use chrono::{TimeZone, Utc};
use icalendar::{Component as _, EventLike as _};
use io_support::fixture;
use proptest::prelude::*;
use wfm::io::{escape_text, push_folded, roster_ics};

fn ics() -> (io_support::Fixture, String) {
    let f = fixture();
    let text = roster_ics(
        &f.roster,
        &f.sites,
        "Test, roster",
        Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap(),
    )
    .unwrap();
    (f, text)
}

#[test]
fn lines_are_crlf_and_at_most_75_octets() {
    let (_, text) = ics();
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    assert!(!text.replace("\r\n", "").contains('\r'), "bare CR");
    let lines: Vec<&str> = text.split("\r\n").collect();
    let mut folded = 0;
    for l in &lines {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
        folded += usize::from(l.starts_with(' '));
    }
    assert!(
        folded > 0,
        "the descriptions are long enough to need folding"
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
}

#[test]
fn an_independent_parser_reads_every_event_back() {
    let (f, text) = ics();
    let cal: icalendar::Calendar = text.parse().expect("roster.ics parses");
    let events: Vec<&icalendar::Event> = cal.events().collect();
    assert_eq!(events.len(), f.roster.len());
    let mut uids = std::collections::BTreeSet::new();
    for (e, (agent, s)) in events.iter().zip(&f.roster) {
        let start = match e.get_start() {
            Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => {
                Some(t)
            }
            _ => None,
        };
        let end = match e.get_end() {
            Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => {
                Some(t)
            }
            _ => None,
        };
        assert_eq!(start, Some(s.start));
        assert_eq!(end, Some(s.end));
        assert_eq!(
            e.get_timestamp(),
            Some(Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap())
        );
        assert!(
            uids.insert(e.get_uid().expect("UID").to_string()),
            "UIDs are unique"
        );
        assert!(e.get_location().is_some());
        assert!(e.get_description().is_some());
        assert!(e.get_summary().is_some());
        let _ = agent;
    }
}

#[test]
fn texts_unescape_to_the_original_strings() {
    let (f, text) = ics();
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("parses");
    let summaries: Vec<String> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .filter_map(|c| c.properties.iter().find(|p| p.name.as_str() == "SUMMARY"))
        .map(|p| p.val.clone().unescape_text().as_str().to_string())
        .collect();
    let want: Vec<String> = f
        .roster
        .iter()
        .map(|(a, s)| format!("{a}: {} shift at {}", s.template, s.site))
        .collect();
    assert_eq!(summaries, want);
    // Names with `,` and `;` are escaped in the raw file.
    assert!(
        text.contains("SUMMARY:Bo\\, Jr.: day shift at New York"),
        "{text}"
    );
    assert!(text.contains("SUMMARY:Chen\\; 陈"), "{text}");
    assert!(text.contains("X-WR-CALNAME:Test\\, roster"));
    // Descriptions carry local times with the site's offset across the DST change.
    assert!(unfolded.contains("2027-03-13T08:00:00-05:00"), "{unfolded}");
    assert!(unfolded.contains("2027-03-14T08:00:00-04:00"), "{unfolded}");
}

#[test]
fn an_unknown_site_is_an_error_not_a_silent_drop() {
    let f = fixture();
    let e = roster_ics(&f.roster, &f.sites[..1], "x", Utc::now()).unwrap_err();
    assert!(e.to_string().contains("roster[3].site"), "{e}");
}

proptest! {
    /// Folding never makes a line longer than 75 octets, never splits a character, and
    /// unfolding gives the line back.
    #[test]
    fn folding_round_trips(line in "[a-zA-Z0-9 ;,:éü陈🙂]{0,300}") {
        let mut out = String::new();
        push_folded(&mut out, &line);
        prop_assert!(out.ends_with("\r\n"));
        for l in out.trim_end_matches("\r\n").split("\r\n") {
            prop_assert!(l.len() <= 75);
        }
        prop_assert_eq!(out.trim_end_matches("\r\n").replace("\r\n ", ""), line);
    }

    /// Escaped text has no unescaped separators left.
    #[test]
    fn escaping_removes_bare_separators(s in "[a-z,;\\\\\n]{0,40}") {
        let e = escape_text(&s);
        prop_assert!(!e.contains('\n'));
        let mut chars = e.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let n = chars.next();
                prop_assert!(matches!(n, Some('\\' | ';' | ',' | 'n')));
            } else {
                prop_assert!(c != ',' && c != ';');
            }
        }
    }
}
