//! Special days: left out of fitting, forecast by a multiplier or by their past
//! occurrences; bad calendar files are named errors with the file and line.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use wfm::forecast::{
    forecast_with_special_days, method_by_name, parse_history, parse_special_days, HistoryFormat,
};

const HOLIDAYS: [&str; 2] = ["2027-02-01", "2027-03-01"];

/// 12 weeks of weekdays from Monday 2027-01-04, 08:00-18:00 hourly, 100 calls an hour;
/// on the two "bank_day" Mondays only 08:00-12:00 carry calls, 40 an hour: 160 calls, 16 %
/// of a normal day's 1 000.
fn history() -> String {
    let mut s = String::from("interval_start,volume\n");
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    for d in 0..12 * 7 {
        let date = start + Duration::days(d);
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let holiday = HOLIDAYS.contains(&date.to_string().as_str());
        for h in 8..18 {
            let v = match (holiday, h < 12) {
                (true, true) => 40,
                (true, false) => 0,
                _ => 100,
            };
            s += &format!("{date}T{h:02}:00:00Z,{v}\n");
        }
    }
    s
}

#[test]
fn special_days_are_left_out_and_forecast_by_their_own_profile_or_multiplier() {
    let h = parse_history("h.csv", &history(), &HistoryFormat::default()).unwrap();
    // History ends Friday 2027-03-26; the forecast week starts Saturday 27 March.
    let cal = parse_special_days(
        "special.csv",
        "date,name,multiplier\n2027-02-01,bank_day,\n2027-03-01,bank_day,\n\
         2027-03-29,bank_day,\n2027-03-30,campaign,1.5\n",
    )
    .unwrap();
    let m = method_by_name("weekday_mean").unwrap();
    let fc = forecast_with_special_days(&h, m.as_ref(), 7 * 24, Some(300.0), &cal).unwrap();
    let at = |day: usize, hour: usize| fc.volume[day * 24 + hour];
    // Wednesday 31 March, a normal day: exactly 100 (the holidays were left out of the
    // Monday average, and they are not Wednesdays anyway).
    assert_eq!(at(4, 9), 100.0);
    // Monday 29 March, bank_day: 16 % of a normal day's 1 000 calls, all before noon.
    let monday: f64 = (0..24).map(|h| at(2, h)).sum();
    assert!((monday - 160.0).abs() < 1e-9, "{monday}");
    assert!((at(2, 9) - 40.0).abs() < 1e-9);
    assert_eq!(at(2, 14), 0.0);
    // Tuesday 30 March, campaign: 1.5 × normal.
    assert!((at(3, 9) - 150.0).abs() < 1e-9);
    // Quantiles scale with the day.
    for (_, q) in &fc.quantiles {
        assert!(q[3 * 24 + 9] >= 0.0);
    }
    // Without the calendar the bank_day Monday is a normal Monday, dragged down by the two
    // past holidays in its six-week average.
    let plain = wfm::forecast::forecast(&h, m.as_ref(), 7 * 24, Some(300.0)).unwrap();
    assert!(plain.volume[2 * 24 + 9] > 60.0 && plain.volume[2 * 24 + 9] < 100.0);
    let plain_next_monday = plain.volume[2 * 24 + 14];
    assert!(plain_next_monday < 100.0, "{plain_next_monday}");
}

#[test]
fn a_special_day_without_multiplier_or_past_is_an_error() {
    let h = parse_history("h.csv", &history(), &HistoryFormat::default()).unwrap();
    let cal = parse_special_days("special.csv", "date,name\n2027-03-30,new_event\n").unwrap();
    let m = method_by_name("weekday_mean").unwrap();
    let e = forecast_with_special_days(&h, m.as_ref(), 7 * 24, Some(300.0), &cal)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("special.csv:2") && e.contains("new_event"),
        "{e}"
    );
}

#[test]
fn bad_calendar_files_name_file_and_line() {
    for (text, line, needle) in [
        ("day,name\n", 1, "\"date\""),
        ("date,label\n", 1, "\"name\""),
        ("date,name\n2027-13-01,x\n", 2, "YYYY-MM-DD"),
        ("date,name\n2027-03-01,\n", 2, "name is empty"),
        (
            "date,name,multiplier\n2027-03-01,x,lots\n",
            2,
            "column multiplier: not a number: \"lots\"",
        ),
        (
            "date,name,multiplier\n2027-03-01,x,-1\n",
            2,
            "column multiplier: must not be negative, got -1",
        ),
        (
            "date,name,multiplier\n2027-03-01,x,inf\n",
            2,
            "column multiplier: must be finite, got \"inf\"",
        ),
        (
            "date,name,multiplier\n2027-03-01,x,5000\n",
            2,
            "column multiplier: must be at most 1000",
        ),
        ("date,name\n2027-03-01,x\n2027-03-01,y\n", 3, "line 2"),
    ] {
        let e = parse_special_days("cal.csv", text).unwrap_err().to_string();
        assert!(
            e.contains(&format!("cal.csv:{line}")) && e.contains(needle),
            "{text:?}: {e}"
        );
    }
}

#[test]
fn cli_applies_the_calendar_and_names_a_bad_one() {
    let dir = std::env::temp_dir().join(format!("wfm-sd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let h = dir.join("h.csv");
    std::fs::write(&h, history()).unwrap();
    let cal = dir.join("cal.csv");
    std::fs::write(&cal, "date,name,multiplier\n2027-03-30,campaign,1.5\n").unwrap();
    let out = dir.join("f.csv");
    let bin = env!("CARGO_BIN_EXE_wfm");
    let run = |cal: &std::path::Path| {
        std::process::Command::new(bin)
            .args(["forecast", "--method", "weekday_mean", "--aht", "300"])
            .arg(&h)
            .arg("--special-days")
            .arg(cal)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let o = run(&cal);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("2027-03-30T09:00:00Z,"))
        .unwrap();
    assert!(row.starts_with("2027-03-30T09:00:00Z,150.000,"), "{row}");
    std::fs::write(
        &cal,
        "date,name,multiplier\n2027-03-30,campaign,1.5\n30/03/2027,x,\n",
    )
    .unwrap();
    let o = run(&cal);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cal.csv:3") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_calendar_saved_by_a_spreadsheet_with_semicolons_and_decimal_commas() {
    let text =
        "\u{feff}date;name;multiplier\r\n2027-03-30;campaign;1,3\r\n2027-04-02;good_friday;\r\n";
    let cal = parse_special_days("special.csv", text).unwrap();
    let got: Vec<(String, Option<f64>, usize)> = cal
        .days
        .iter()
        .map(|d| (d.name.clone(), d.multiplier, d.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("campaign".to_string(), Some(1.3), 2),
            ("good_friday".to_string(), None, 3)
        ]
    );
    // A comma-delimited file keeps the decimal point: a comma there is a new column.
    let e =
        parse_special_days("c.csv", "date,name,multiplier\n2027-03-30,c,\"1,3\"\n").unwrap_err();
    assert!(e.to_string().contains("c.csv:2:"), "{e}");
}
