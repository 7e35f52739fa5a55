//! `wfm contacts --preset zendesk_json`: Zendesk tickets as the incremental export API
//! writes them (`examples/contacts/zendesk_tickets.json`, the same tickets as the CSV
//! example) give the same histories as the CSV export; one ticket per line (the account
//! data export) is read too, and a bad ticket is named by its line in the JSON file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A fresh scratch folder (created, empty).
fn scratch(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("wfm-zjson-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// `wfm contacts FILE --preset P --zone Europe/Paris --interval 1h --within 2h --out OUT`.
fn contacts(file: &Path, preset: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "contacts",
            file.to_str().unwrap(),
            "--preset",
            preset,
            "--zone",
            "Europe/Paris",
            "--interval",
            "1h",
            "--within",
            "2h",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

fn ok(run: &Output) -> String {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn the_json_export_reads_as_the_csv_export_of_the_same_tickets() {
    let dir = scratch("same");
    let (csv_out, json_out) = (dir.join("csv"), dir.join("json"));
    ok(&contacts(
        &repo("examples/contacts/zendesk_tickets.csv"),
        "zendesk",
        &csv_out,
    ));
    let said = ok(&contacts(
        &repo("examples/contacts/zendesk_tickets.json"),
        "zendesk_json",
        &json_out,
    ));
    // The two deleted tickets are left out and counted.
    assert!(said.contains("923 rows (2 left out"), "{said}");
    for f in ["history_billing.csv", "history_support.csv", "achieved.csv"] {
        assert_eq!(
            std::fs::read_to_string(csv_out.join(f)).unwrap(),
            std::fs::read_to_string(json_out.join(f)).unwrap(),
            "{f}"
        );
    }
}

/// The example's tickets, one JSON object per line and without the sideloaded groups.
fn line_delimited(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(repo("examples/contacts/zendesk_tickets.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let lines: Vec<String> = doc["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.to_string())
        .collect();
    let file = dir.join("tickets.json");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    file
}

#[test]
fn one_ticket_per_line_is_read_with_groups_by_id() {
    let dir = scratch("ndjson");
    let out = dir.join("out");
    let said = ok(&contacts(&line_delimited(&dir), "zendesk_json", &out));
    assert!(said.contains("923 rows (2 left out"), "{said}");
    // Without the groups sideloaded, a queue is named by its group id.
    assert!(out.join("history_360001.csv").exists(), "{said}");
    assert!(out.join("history_360002.csv").exists(), "{said}");
}

#[test]
fn a_bad_ticket_is_named_by_its_line_in_the_json_file() {
    let dir = scratch("bad");
    let file = line_delimited(&dir);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[4] = lines[4].replace("\"created_at\":\"2027-", "\"created_at\":\"27-");
    // A ticket split over two lines: the record's line is where it starts.
    lines[9] = lines[9].replacen(',', ",\n", 1);
    lines[14] = lines[14].replace("\"created_at\":\"2027-", "\"created_at\":\"20x7-");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = dir.join("out");
    let run = contacts(&file, "zendesk_json", &out);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("tickets.json:5: column \"created_at\""),
        "{err}"
    );
    assert!(!out.exists());
    // With the first bad ticket mended, the second is named at its line (one further down
    // for the split ticket above it).
    lines[4] = lines[4].replace("\"created_at\":\"27-", "\"created_at\":\"2027-");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let err = String::from_utf8_lossy(&contacts(&file, "zendesk_json", &out).stderr).into_owned();
    assert!(
        err.contains("tickets.json:16: column \"created_at\""),
        "{err}"
    );
    // Not JSON at all past the first line: the line of the syntax error.
    std::fs::write(&file, "{\"tickets\": [\n{\"id\": 1,\n\"created_at\": }]}\n").unwrap();
    let err = String::from_utf8_lossy(&contacts(&file, "zendesk_json", &out).stderr).into_owned();
    assert!(err.contains("tickets.json:3: not JSON"), "{err}");
}
