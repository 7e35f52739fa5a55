//! Contact exports in the shapes real tools write them (examples/contacts/shapes/): a
//! Salesforce report with its footer, CRLF, a byte-order mark, quoted cells over two lines
//! and a duplicated row; a Zendesk export re-saved by a German spreadsheet (`;`, dd.mm.yyyy,
//! decimal comma, a trailing empty column); calls merged from two sites with a zone per row,
//! Unix milliseconds and times marked UTC; and files refused with a named error (UTF-16,
//! a ticket exported twice with different values, data after a footer).

use std::path::{Path, PathBuf};
use wfm::forecast::exports::{preset, read_export, ContactHistory, Layout, ReadOptions};

fn shapes(name: &str) -> PathBuf {
    Path::new("examples/contacts/shapes").join(name)
}

fn opts(zone: &str, minutes: u32) -> ReadOptions {
    ReadOptions {
        zone: Some(zone.parse().unwrap()),
        interval_minutes: minutes,
        within_seconds: 86_400.0,
        ..ReadOptions::default()
    }
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-shapes-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// (queue, offered, handled, abandoned) over the whole export.
fn totals(h: &ContactHistory) -> Vec<(String, u64, u64, u64)> {
    h.queues
        .iter()
        .map(|q| {
            let t = q.total();
            (q.name.clone(), t.offered, t.handled, t.abandoned)
        })
        .collect()
}

#[test]
fn a_salesforce_report_with_its_footer_and_a_pasted_duplicate() {
    let h = read_export(
        &shapes("salesforce_report_footer.csv"),
        &preset("salesforce").unwrap(),
        opts("America/Chicago", 60),
    )
    .unwrap();
    // Five data rows, one an exact copy of case 00020002: four cases.
    assert_eq!((h.rows, h.duplicates), (5, 1));
    // The blank line, `""` and five lines of report footer.
    assert_eq!(h.footer_rows, 6);
    assert_eq!(
        totals(&h),
        vec![
            ("Email".to_string(), 1, 1, 0),
            ("Phone".to_string(), 2, 2, 0),
            ("Web".to_string(), 1, 0, 0),
        ]
    );
    // 8:03 AM Chicago (CST, UTC-6) is 14:00 UTC's hour; the case closed at 2:03 PM.
    let phone = &h.queues[1];
    assert_eq!(
        phone.resolution_minutes.keys().copied().collect::<Vec<_>>(),
        vec![92, 360]
    );
    assert_eq!(h.horizon.start().to_rfc3339(), "2024-03-05T06:00:00+00:00");
    assert_eq!(h.queues[2].unresolved, 1);
}

#[test]
fn a_zendesk_export_resaved_by_a_german_spreadsheet() {
    let mut l = preset("zendesk").unwrap();
    l.delimiter = ';';
    l.decimal_comma = true;
    l.dates = "dmy".into();
    let h = read_export(
        &shapes("zendesk_excel_de.csv"),
        &l,
        opts("Europe/Berlin", 30),
    )
    .unwrap();
    assert_eq!((h.rows, h.duplicates, h.footer_rows), (4, 0, 0));
    assert_eq!(
        totals(&h),
        vec![
            ("Billing".to_string(), 1, 1, 0),
            ("Support".to_string(), 3, 2, 0)
        ]
    );
    let support = h.queues[1].total();
    // First replies of 12.5 and 1.25 minutes (the open ticket has none).
    assert_eq!(support.waited, 2);
    assert!((support.wait_seconds - 825.0).abs() < 1e-9, "{support:?}");
}

#[test]
fn calls_from_two_sites_with_a_zone_per_row_and_unix_time() {
    let l = Layout {
        zone_column: Some("site_zone".into()),
        id_column: Some("call_id".into()),
        ..preset("cdr").unwrap()
    };
    let h = read_export(&shapes("calls_two_sites.csv"), &l, opts("Europe/Paris", 30)).unwrap();
    assert_eq!((h.rows, h.excluded), (5, 1));
    let q = &h.queues[0];
    let at = |utc: &str| {
        let k = h
            .horizon
            .starts()
            .position(|t| t.to_rfc3339() == utc)
            .unwrap();
        let c = q.intervals[k];
        (c.offered, c.handled, c.abandoned)
    };
    // 09:02 Paris, 03:05 New York and 1709626200000 ms are 08:02, 08:05 and 08:10 UTC.
    assert_eq!(at("2024-03-05T08:00:00+00:00"), (3, 2, 1));
    assert_eq!(at("2024-03-05T08:30:00+00:00"), (1, 1, 0));
    // Without the zone column the naive New York time is read in Paris: 02:05 UTC.
    let l = Layout {
        id_column: None,
        ..preset("cdr").unwrap()
    };
    let h = read_export(&shapes("calls_two_sites.csv"), &l, opts("Europe/Paris", 30)).unwrap();
    let k = h
        .horizon
        .starts()
        .position(|t| t.to_rfc3339() == "2024-03-05T02:00:00+00:00")
        .unwrap();
    assert_eq!(h.queues[0].intervals[k].offered, 1);
}

fn err(path: &Path, l: &Layout) -> String {
    read_export(path, l, opts("UTC", 30))
        .unwrap_err()
        .to_string()
}

#[test]
fn shapes_that_are_refused_with_the_place() {
    let cdr = preset("cdr").unwrap();
    // UTF-16 (as "Unicode text" from a spreadsheet), with and without a byte-order mark.
    let text = "call_id,start_time,queue\r\nc1,2024-03-05T08:00:00Z,a\r\n";
    let mut le: Vec<u8> = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let e = err(&scratch("utf16.csv", &le), &cdr);
    assert!(
        e.contains("utf16.csv:1:") && e.contains("UTF-16") && e.contains("UTF-8"),
        "{e}"
    );
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let e = err(&scratch("utf16_bare.csv", &bare), &cdr);
    assert!(
        e.contains("utf16_bare.csv:1:") && e.contains("UTF-16"),
        "{e}"
    );
    // The same ticket exported twice with different values.
    let jira =
        "Summary,Issue key,Created,Resolved,Time Spent,Custom field (Customer Request Type)\n\
        a,SD-1,05/Mar/24 8:03 AM,,600,IT help\n\
        b,SD-2,05/Mar/24 8:10 AM,,600,IT help\n\
        a,SD-1,05/Mar/24 8:03 AM,06/Mar/24 9:00 AM,1200,IT help\n";
    let e = err(
        &scratch("jira_twice.csv", jira.as_bytes()),
        &preset("jira").unwrap(),
    );
    assert!(
        e.contains("jira_twice.csv:4: column \"Issue key\" (2): id \"SD-1\" is also on line 2"),
        "{e}"
    );
    // An empty id.
    let e = err(
        &scratch("jira_noid.csv", jira.replace("b,SD-2", "b,").as_bytes()),
        &preset("jira").unwrap(),
    );
    assert!(
        e.contains("jira_noid.csv:3: column \"Issue key\" (2): empty id"),
        "{e}"
    );
    // An empty row in the middle of the data is not a footer.
    let gap =
        "call_id,start_time,queue\nc1,2024-03-05T08:00:00Z,a\n,,\nc2,2024-03-05T08:01:00Z,a\n";
    let e = err(&scratch("gap.csv", gap.as_bytes()), &cdr_min());
    assert!(
        e.contains("gap.csv:3: empty row") && e.contains("line 4"),
        "{e}"
    );
    // A zone column with a zone that does not exist.
    let zoned = "call_id,start_time,queue,tz\nc1,2024-03-05 08:00,a,Mars/Olympus\n";
    let l = Layout {
        zone_column: Some("tz".into()),
        ..cdr_min()
    };
    let e = err(&scratch("zone.csv", zoned.as_bytes()), &l);
    assert!(
        e.contains("zone.csv:2: column \"tz\" (4)") && e.contains("Mars/Olympus"),
        "{e}"
    );
}

/// The call-record preset reduced to an arrival and a queue column.
fn cdr_min() -> Layout {
    Layout {
        time_column: "start_time".into(),
        queue_columns: vec!["queue".into()],
        ..Layout::default()
    }
}

#[test]
fn a_preset_export_without_its_id_column_is_read_unchecked_but_a_named_one_must_be_there() {
    let csv = b"Summary,Created,Resolved\n\
                Password reset,05/Mar/24 9:03 AM,05/Mar/24 9:40 AM\n\
                VPN down,05/Mar/24 9:10 AM,05/Mar/24 11:00 AM\n";
    let p = scratch("jira_without_key.csv", csv);
    let jira = Layout {
        queue_columns: Vec::new(),
        handle_columns: Vec::new(),
        ..preset("jira").unwrap()
    };
    let h = read_export(&p, &jira, opts("UTC", 30)).unwrap();
    assert!(!h.ids_checked);
    assert_eq!(h.rows, 2);
    // The same column named by the user (a mapping or --id-column) is required.
    let named = Layout::from_json("m.json", r#"{"id_column": "Issue key"}"#, jira.clone()).unwrap();
    assert!(!named.id_column_optional);
    let e = err(&p, &named);
    assert!(e.contains("missing column \"Issue key\""), "{e}");
    // With the column there, rows are checked.
    let with = b"Issue key,Summary,Created,Resolved\n\
                 SD-1,Password reset,05/Mar/24 9:03 AM,05/Mar/24 9:40 AM\n";
    let q = scratch("jira_with_key.csv", with);
    assert!(read_export(&q, &jira, opts("UTC", 30)).unwrap().ids_checked);
}
