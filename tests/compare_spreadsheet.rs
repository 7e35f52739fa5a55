//! `wfm compare --actual` reads an actual history as the history reader does: `,`, or `;`
//! or tab when the header has no comma, with a BOM and CRLF line ends, and in a
//! `;`-delimited file numbers written with a decimal comma (`245,5`).

mod cli_support;

use cli_support::{file, refused, s, scratch, succeeds};
use std::path::Path;

const FORECAST: &str = "interval_start_utc,volume,aht_seconds\n\
2027-03-08T08:00:00Z,10,240\n2027-03-08T08:30:00Z,12,240\n\
2027-03-08T09:00:00Z,14,240\n2027-03-08T09:30:00Z,9,240\n";

const ACTUAL: &str = "interval_start,volume,aht_seconds\n\
2027-03-08T08:00:00Z,11,245.5\n2027-03-08T08:30:00Z,12.5,230\n\
2027-03-08T09:00:00Z,13,250.25\n2027-03-08T09:30:00Z,10,210\n";

/// Runs `wfm compare` on the forecast and `actual`; returns both output files.
fn compare(dir: &Path, name: &str, actual: &[u8]) -> (String, String) {
    let f = dir.join("forecast.csv");
    std::fs::write(&f, FORECAST).unwrap();
    let a = dir.join(name);
    std::fs::write(&a, actual).unwrap();
    let out = dir.join(format!("out-{name}"));
    succeeds(&["compare", s(&f), "--actual", s(&a), "--out", s(&out)]);
    (
        std::fs::read_to_string(out.join("compare_intervals.csv")).unwrap(),
        std::fs::read_to_string(out.join("compare_days.csv")).unwrap(),
    )
}

#[test]
fn semicolons_decimal_commas_tabs_bom_and_crlf_compare_as_the_plain_file() {
    let dir = scratch("formats");
    let want = compare(&dir, "plain.csv", ACTUAL.as_bytes());
    assert!(want.0.contains("245.5"), "{}", want.0);
    let semi = ACTUAL.replace(',', ";").replace('.', ",");
    let tab = ACTUAL.replace(',', "\t");
    let spreadsheet = format!("\u{feff}{}", semi.replace('\n', "\r\n"));
    for (name, text) in [
        ("semicolon.csv", semi),
        ("tab.csv", tab),
        ("spreadsheet.csv", spreadsheet),
    ] {
        assert_eq!(compare(&dir, name, text.as_bytes()), want, "{name}");
    }
}

#[test]
fn a_comma_in_a_number_of_a_comma_delimited_file_is_still_an_error() {
    let dir = scratch("comma");
    let f = dir.join("forecast.csv");
    std::fs::write(&f, FORECAST).unwrap();
    let a = dir.join("actual.csv");
    // A `;` file whose numbers hold both a point and a comma: not a number.
    std::fs::write(
        &a,
        "interval_start;volume\n2027-03-08T08:00:00Z;1.000,5\n2027-03-08T08:30:00Z;3\n",
    )
    .unwrap();
    let out = dir.join("out");
    refused(
        &["compare", s(&f), "--actual", s(&a), "--out", s(&out)],
        "actual.csv:2: column volume: not a number",
        Some(&out),
    );
}

/// An achieved service level above 1 (here in a `;` file with decimal commas) was averaged
/// into the report as given; it is a fraction, as the coverage's predicted one.
#[test]
fn an_achieved_service_level_above_one_is_refused_with_its_line() {
    let dir = scratch("service-level");
    let f = file(&dir, "forecast.csv", FORECAST);
    let out = dir.join("out");
    let rows = "interval_start;volume;service_level\n2027-03-08T08:00:00Z;9;0,8\n";
    let a = file(
        &dir,
        "actual.csv",
        &format!("{rows}2027-03-08T08:30:00Z;11;1,5\n"),
    );
    let args = ["compare", s(&f), "--actual", s(&a), "--out", s(&out)];
    refused(
        &args,
        "actual.csv:3: column service_level: must be at most 1 (the input limit), got 1.5",
        Some(&out),
    );
    // At most 1, the same file compares.
    file(
        &dir,
        "actual.csv",
        &format!("{rows}2027-03-08T08:30:00Z;11;1\n"),
    );
    succeeds(&args);
}
