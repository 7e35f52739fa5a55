//! A history's columns that `wfm forecast` does not read are named in its summary (stdout
//! with `--out`, stderr when the forecast itself goes to stdout), and by
//! `forecast::unread_columns`: nothing a user gave is left aside without a word.

use std::path::PathBuf;
use std::process::Command;
use wfm::forecast::{unread_columns, HistoryFormat};

/// A fresh scratch folder (created, empty).
fn scratch(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("wfm-unread-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Two weeks of hourly rows with an extra `site` and `note` column.
fn history() -> String {
    let mut s = String::from("interval_start,site,volume,aht_seconds,note\n");
    for d in 1..=14 {
        for h in 8..18 {
            s.push_str(&format!(
                "2027-02-{d:02}T{h:02}:00:00Z,lon,{},240,\n",
                10 + h
            ));
        }
    }
    s
}

#[test]
fn the_library_names_the_columns_it_does_not_read() {
    let f = HistoryFormat::default();
    assert_eq!(unread_columns(&history(), &f), ["site", "note"]);
    assert!(unread_columns("interval_start,volume\n", &f).is_empty());
    // A column named by the format is read: the default handle-time column is then left.
    let f = HistoryFormat {
        aht_column: Some("note".into()),
        ..HistoryFormat::default()
    };
    assert_eq!(unread_columns(&history(), &f), ["site", "aht_seconds"]);
    // `;`-delimited, with a BOM.
    let semi = format!("\u{feff}{}", history().replace(',', ";"));
    assert_eq!(
        unread_columns(&semi, &HistoryFormat::default()),
        ["site", "note"]
    );
}

#[test]
fn the_forecast_summary_names_them() {
    let dir = scratch("cli");
    let file = dir.join("history.csv");
    std::fs::write(&file, history()).unwrap();
    let out = dir.join("forecast.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "forecast",
            file.to_str().unwrap(),
            "--method",
            "weekly_average",
            "--horizon",
            "1d",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("history.csv: columns not read: \"site\", \"note\""),
        "{stdout}"
    );
    // Without --out the forecast is stdout; the note goes to stderr.
    let run = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "forecast",
            file.to_str().unwrap(),
            "--method",
            "weekly_average",
            "--horizon",
            "1d",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("interval_start_utc,"), "{stdout}");
    assert!(!stdout.contains("not read"));
    assert!(String::from_utf8_lossy(&run.stderr).contains("note: "));
}
