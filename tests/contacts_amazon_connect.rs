//! `wfm contacts --preset amazon_connect`: Amazon Connect contact records
//! (`examples/contacts/amazon_connect_ctrs.json`, the first week of the call-record example
//! as contact records) give the histories of the call-record export; versions of one
//! contact are read once, the latest; records written back to back are read; bad records
//! are named by their line.

mod cli_support;

use cli_support::{s, stderr, wfm, workspace};
use std::path::{Path, PathBuf};
use std::process::Output;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn ok(run: &Output) -> String {
    assert!(run.status.success(), "{}", stderr(run));
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// `wfm contacts FILE --preset PRESET ... --out OUT` over the first week.
fn week(file: &Path, preset: &str, out: &Path) -> Output {
    wfm(&[
        "contacts",
        s(file),
        "--preset",
        preset,
        "--zone",
        "America/New_York",
        "--interval",
        "1h",
        "--from",
        "2027-02-01",
        "--to",
        "2027-02-07",
        "--out",
        s(out),
    ])
}

fn ctrs(file: &Path, out: &Path) -> Output {
    week(file, "amazon_connect", out)
}

#[test]
fn contact_records_read_as_the_call_records_of_the_same_calls() {
    let dir = workspace("ctr-same");
    let (cdr, ctr) = (dir.join("cdr"), dir.join("ctr"));
    ok(&week(&repo("examples/contacts/cdr_calls.csv"), "cdr", &cdr));
    let said = ok(&ctrs(
        &repo("examples/contacts/amazon_connect_ctrs.json"),
        &ctr,
    ));
    // Ten outbound calls and one test call that never reached a queue are left out; the
    // early deliveries and the repeated records are counted as duplicates.
    assert!(
        said.contains("665 rows (11 left out, 0 outside the period, 29 duplicates"),
        "{said}"
    );
    for f in ["history_sales.csv", "history_support.csv", "achieved.csv"] {
        assert_eq!(
            std::fs::read_to_string(cdr.join(f)).unwrap(),
            std::fs::read_to_string(ctr.join(f)).unwrap(),
            "{f}"
        );
    }
}

/// A contact record: queued at `enqueue` (UTC, 1 February 2027), answered after `wait`
/// seconds when `talk` is given, last updated at `updated`.
fn record(id: &str, enqueue: &str, wait: u32, talk: Option<u32>, updated: &str) -> String {
    let agent = match talk {
        Some(t) => format!(
            r#"{{"AgentInteractionDuration":{t},"ConnectedToAgentTimestamp":"2027-02-01T{}Z","CustomerHoldDuration":0,"AfterContactWorkDuration":30}}"#,
            plus(enqueue, wait)
        ),
        None => "null".into(),
    };
    format!(
        r#"{{"ContactId":"{id}","Channel":"VOICE","InitiationMethod":"INBOUND","LastUpdateTimestamp":"{updated}","Agent":{agent},"Queue":{{"Name":"support","EnqueueTimestamp":"2027-02-01T{enqueue}Z","Duration":{wait}}}}}"#
    )
}

/// `hh:mm:ss` plus seconds (within the day).
fn plus(t: &str, secs: u32) -> String {
    let p: Vec<u32> = t.split(':').map(|x| x.parse().unwrap()).collect();
    let n = p[0] * 3600 + p[1] * 60 + p[2] + secs;
    format!("{:02}:{:02}:{:02}", n / 3600, n / 60 % 60, n % 60)
}

/// The summary line of the one queue, `support`.
fn support_line(said: &str) -> &str {
    said.lines()
        .find(|l| l.trim_start().starts_with("support:"))
        .unwrap_or_else(|| panic!("{said}"))
}

#[test]
fn the_version_updated_last_is_read_wherever_it_stands() {
    let dir = workspace("ctr-versions");
    let records = [
        // Contact a: the final version (answered) comes first, an earlier one (still
        // queued, no agent yet) after it.
        record("a", "14:00:00", 10, Some(200), "2027-02-01T14:10:00Z"),
        record("a", "14:00:00", 10, None, "2027-02-01T14:00:05Z"),
        // Contact b: two versions updated at the same instant: the later row is read.
        record("b", "14:20:00", 40, None, "2027-02-01T14:30:00Z"),
        record("b", "14:20:00", 40, Some(100), "2027-02-01T14:30:00Z"),
        // Contact c: a version without an update instant is older than one with it.
        record("c", "15:00:00", 5, Some(300), "2027-02-01T15:20:00Z"),
        record("c", "15:00:00", 5, None, ""),
        // A record that never reached a queue: left out, never a queue of its own.
        r#"{"ContactId":"d","Channel":"VOICE","InitiationMethod":"INBOUND","LastUpdateTimestamp":"2027-02-01T16:00:00Z","Agent":null,"Queue":null}"#.into(),
    ];
    let file = dir.join("ctrs.json");
    std::fs::write(&file, records.join("\n") + "\n").unwrap();
    let said = ok(&ctrs(&file, &dir.join("out")));
    assert!(
        said.contains("7 rows (1 left out, 0 outside the period, 3 duplicates"),
        "{said}"
    );
    assert!(said.contains(" 1 queue"), "{said}");
    let line = support_line(&said);
    assert!(line.contains("offered 3, handled 3, abandoned 0"), "{line}");
    // Written back to back with no separator, as a stream delivered to storage may write
    // them: the same reading.
    let joined = dir.join("joined.json");
    std::fs::write(&joined, records.concat()).unwrap();
    let again = ok(&ctrs(&joined, &dir.join("joined_out")));
    assert_eq!(support_line(&again), line);
    assert_eq!(
        std::fs::read_to_string(dir.join("out/history_support.csv")).unwrap(),
        std::fs::read_to_string(dir.join("joined_out/history_support.csv")).unwrap()
    );
}

#[test]
fn a_bad_update_instant_is_named_with_its_line_and_nothing_is_written() {
    let dir = workspace("ctr-bad");
    let records = [
        record("a", "14:00:00", 10, Some(200), "2027-02-01T14:10:00Z"),
        record("b", "14:20:00", 40, None, "yesterday"),
    ];
    let file = dir.join("ctrs.json");
    std::fs::write(&file, records.join("\n") + "\n").unwrap();
    let out = dir.join("out");
    let run = ctrs(&file, &out);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("ctrs.json:2:") && err.contains("LastUpdateTimestamp"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn versions_need_an_id_to_be_told_apart() {
    let dir = workspace("ctr-noid");
    let file = dir.join("calls.csv");
    std::fs::write(&file, "t,u\n2027-02-01T14:00:00Z,2027-02-01T14:10:00Z\n").unwrap();
    let mapping = dir.join("mapping.json");
    std::fs::write(&mapping, r#"{"time_column": "t", "updated_column": "u"}"#).unwrap();
    let out = dir.join("out");
    let run = wfm(&[
        "contacts",
        s(&file),
        "--mapping",
        s(&mapping),
        "--out",
        s(&out),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("updated_column"), "{}", stderr(&run));
    assert!(!out.exists());
}
