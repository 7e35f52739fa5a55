//! roster.csv: exact columns, round trip, and a named error for every kind of bad row.

mod io_support;

use chrono::{Duration, TimeZone, Utc};
use io_support::{fixture, t0};
use proptest::prelude::*;
use wfm::io::{parse_roster, roster_csv, ROSTER_COLUMNS};
use wfm::shifts::{Break, ShiftInstance};
use wfm::time::Site;
use wfm::Error;

#[test]
fn header_has_exactly_the_contract_columns_first() {
    let f = fixture();
    let text = roster_csv(&f.roster, &f.sites).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with(&ROSTER_COLUMNS.join(",")), "{header}");
    assert_eq!(header, "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid");
    assert_eq!(text.lines().count(), f.roster.len() + 1);
}

#[test]
fn written_rows_show_utc_and_local_with_offset() {
    let f = fixture();
    let text = roster_csv(&f.roster, &f.sites).unwrap();
    // Ana's first shift: 13:00Z on 13 March = 08:00 EST; her second, 12:00Z on 14 March, is
    // after the spring-forward change: 08:00 EDT.
    assert!(text.contains("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,2027-03-13T08:00:00-05:00,2027-03-13T16:00:00-05:00,450,"), "{text}");
    assert!(
        text.contains("2027-03-14T12:00:00Z,2027-03-14T20:00:00Z,2027-03-14T08:00:00-04:00"),
        "{text}"
    );
    // Names with commas are quoted.
    assert!(text.contains("\"Bo, Jr.\""), "{text}");
    assert!(text.contains("2027-03-13T15:00:00Z/2027-03-13T15:15:00Z;2027-03-13T17:00:00Z/2027-03-13T17:30:00Z,paid;unpaid"), "{text}");
}

#[test]
fn round_trip_gives_back_the_roster() {
    let f = fixture();
    let text = roster_csv(&f.roster, &f.sites).unwrap();
    let back = parse_roster(&text, "roster.csv", &f.sites).unwrap();
    assert_eq!(back, f.roster);
}

#[test]
fn local_and_paid_columns_may_be_left_empty_and_extra_columns_are_allowed() {
    let f = fixture();
    let text = "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,queue\n\
                Zed,Manila,chat,2027-03-13T00:00:00Z,2027-03-13T08:00:00Z,,,,2027-03-13T02:00:00Z/2027-03-13T02:30:00Z,chat\n";
    let r = parse_roster(text, "edited.csv", &f.sites).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, "Zed");
    // Without a break_paid column breaks are unpaid.
    assert_eq!(r[0].1.paid_minutes(), 450);
    assert!(!r[0].1.breaks[0].paid);
}

fn parse_err(text: &str) -> (usize, String) {
    let f = fixture();
    match parse_roster(text, "edited.csv", &f.sites) {
        Err(Error::Parse { file, line, reason }) => {
            assert_eq!(file, "edited.csv");
            (line, reason)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

const HEAD: &str =
    "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,break_paid\n";
const GOOD: &str = "Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,\n";

#[test]
fn every_bad_row_names_file_line_and_column() {
    let cases: &[(&str, &str)] = &[
        ("Ana,New York,day,13:00,2027-03-13T21:00:00Z,,,,,\n", "column start_utc"),
        ("Ana,New York,day,2027-03-13T13:00:00+01:00,2027-03-13T21:00:00Z,,,,,\n", "must be in UTC"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T13:00:00Z,,,,,\n", "column end_utc"),
        ("Ana,Paris,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,\n", "column site"),
        (",New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,\n", "column agent"),
        ("Ana,New York,,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,\n", "column template"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,2027-03-13T09:00:00-05:00,,,,\n", "column start_local"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,nonsense,,,\n", "column end_local"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,479,,\n", "column paid_minutes"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,abc,,\n", "column paid_minutes"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T12:00:00Z/2027-03-13T12:30:00Z,unpaid\n", "column breaks (break 1)"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T15:00:00Z-2027-03-13T15:30:00Z,unpaid\n", "column breaks (break 1)"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T15:00:00Z/2027-03-13T15:30:00Z;2027-03-13T15:15:00Z/2027-03-13T15:45:00Z,unpaid;unpaid\n", "column breaks (break 2)"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T15:30:00Z/2027-03-13T15:00:00Z,unpaid\n", "ends before it starts"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T15:00:00Z/2027-03-13T15:30:00Z,free\n", "column break_paid"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,2027-03-13T15:00:00Z/2027-03-13T15:30:00Z,paid;paid\n", "column break_paid"),
        ("Ana,New York,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,paid\n", "column break_paid"),
        ("Ana,New York,day,2027-03-13T13:00:00Z\n", "fields"),
    ];
    for (row, want) in cases {
        // The bad row is line 3, after the header and a good row.
        let text = format!("{HEAD}{GOOD}{row}");
        let (line, reason) = parse_err(&text);
        assert_eq!(line, 3, "{row}: {reason}");
        assert!(
            reason.contains(want),
            "{row}: {reason:?} should mention {want:?}"
        );
    }
}

#[test]
fn wrong_or_missing_header_is_line_one() {
    let (line, reason) = parse_err(
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes\nAna\n",
    );
    assert_eq!(line, 1);
    assert!(reason.contains("column 9 must be \"breaks\""), "{reason}");
    let (line, reason) = parse_err(
        "agent,template,site,start_utc,end_utc,start_local,end_local,paid_minutes,breaks\n",
    );
    assert_eq!(line, 1);
    assert!(reason.contains("column 2 must be \"site\""), "{reason}");
}

#[test]
fn reading_a_missing_file_is_an_io_error_naming_it() {
    let f = fixture();
    let e = wfm::io::read_roster(std::path::Path::new("no/such/roster.csv"), &f.sites).unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    assert!(e.to_string().contains("no/such/roster.csv"), "{e}");
}

proptest! {
    /// Any valid roster, including breaks off the grid and shifts across DST changes,
    /// survives writing and reading back unchanged.
    #[test]
    fn any_roster_round_trips(
        shifts in prop::collection::vec(
            (0i64..20_000, 1i64..900, prop::collection::vec((1i64..300, 1i64..90, any::<bool>()), 0..4), 0usize..3, "[A-Za-z ,;\"é]{1,12}"),
            0..20,
        )
    ) {
        let sites = vec![
            Site::new("ny", "America/New_York").unwrap(),
            Site::new("lon", "Europe/London").unwrap(),
            Site::new("mnl", "Asia/Manila").unwrap(),
        ];
        let mut roster = Vec::new();
        for (start_min, len, gaps, s, agent) in shifts {
            let agent = agent.trim().to_string();
            prop_assume!(!agent.is_empty());
            let start = t0() + Duration::minutes(start_min);
            let end = start + Duration::minutes(len);
            let mut breaks = Vec::new();
            let mut cursor = start;
            for (offset, blen, paid) in gaps {
                let b = cursor + Duration::minutes(offset);
                let e = b + Duration::minutes(blen);
                if e > end { break; }
                breaks.push(Break { start: b, end: e, paid });
                cursor = e;
            }
            roster.push((agent, ShiftInstance { site: sites[s].name.clone(), template: "t".into(), start, end, breaks }));
        }
        let text = roster_csv(&roster, &sites).unwrap();
        let back = parse_roster(&text, "r.csv", &sites).unwrap();
        prop_assert_eq!(back, roster);
    }
}

#[test]
fn fixture_dates_are_what_the_tests_assume() {
    assert_eq!(t0(), Utc.with_ymd_and_hms(2027, 3, 13, 0, 0, 0).unwrap());
}

#[test]
fn a_template_that_serves_no_queue_is_named_by_line() {
    let f = fixture();
    let text =
        format!("{HEAD}{GOOD}\nAna,Manila,day,2027-03-13T13:00:00Z,2027-03-13T21:00:00Z,,,,,\n");
    let e = wfm::io::parse_roster_routed(&text, "edited.csv", &f.sites, &f.routing).unwrap_err();
    match e {
        // Line 4: the blank line 3 is skipped but still counted.
        Error::Parse { line, reason, .. } => {
            assert_eq!(line, 4, "{reason}");
            assert!(reason.contains("column template"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let ok =
        wfm::io::parse_roster_routed(&format!("{HEAD}{GOOD}"), "edited.csv", &f.sites, &f.routing)
            .unwrap();
    assert_eq!(ok.len(), 1);
}

#[test]
fn a_spreadsheet_export_with_bom_and_crlf_reads() {
    let f = fixture();
    let text = format!("\u{feff}{}", format!("{HEAD}{GOOD}").replace('\n', "\r\n"));
    let r = parse_roster(&text, "excel.csv", &f.sites).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].1.paid_minutes(), 480);
}

#[test]
fn blank_lines_do_not_shift_the_line_named() {
    let bad = "Ana,New York,day,2027-03-13T13:00:00Z,nope,,,,,";
    for nl in ["\n", "\r\n"] {
        let text = format!("{HEAD}{GOOD}{nl}{nl}{bad}{nl}")
            .replace('\n', nl)
            .replace("\r\r", "\r");
        let (line, reason) = parse_err(&text);
        assert_eq!(line, 5, "{reason}");
        assert!(reason.contains("column end_utc"), "{reason}");
    }
}
