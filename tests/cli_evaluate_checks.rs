//! `wfm evaluate` checks the roster it is given: each problem is an error naming the file,
//! line and rule (and nothing is written); with `--lenient` it is a warning listed in
//! `summary.json` and the report, and the roster is evaluated as written.

mod cli_support;

use cli_support::*;

/// A shift of template `day` at `site` with explicit times and breaks (`start/end;...`).
fn raw(agent: &str, site: &str, start: &str, end: &str, breaks: &str, paid: &str) -> String {
    format!("{agent},{site},day,{start},{end},,,,{breaks},{paid},")
}

struct Case {
    rule: &'static str,
    rows: Vec<String>,
    /// Line of the problem (the header is line 1).
    line: usize,
    /// Words the message must hold.
    says: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: "overlap",
            rows: vec![row("Ana", "london", 7, ""), row("Ana", "london", 9, "")],
            line: 3,
            says: "on two overlapping shifts",
        },
        Case {
            rule: "two_sites",
            rows: vec![
                row("Ben", "dublin", 10, ""),
                row("Ana", "london", 7, ""),
                row("Ana", "dublin", 9, ""),
            ],
            line: 4,
            says: "at two sites at once",
        },
        Case {
            rule: "duplicate",
            rows: vec![
                row("Ana", "london", 7, ""),
                row("Ben", "london", 7, ""),
                row("Ana", "london", 7, ""),
            ],
            line: 4,
            says: "repeats line 2",
        },
        Case {
            rule: "outside_horizon",
            rows: vec![
                row("Ana", "london", 7, ""),
                raw(
                    "Ben",
                    "london",
                    "2030-03-08T07:00:00Z",
                    "2030-03-08T15:30:00Z",
                    "2030-03-08T10:00:00Z/2030-03-08T10:30:00Z",
                    "unpaid",
                ),
            ],
            line: 3,
            says: "lies outside the horizon",
        },
        Case {
            rule: "length",
            rows: vec![raw(
                "Ana",
                "london",
                "2027-03-08T07:00:00Z",
                "2227-03-08T07:00:00Z",
                "",
                "",
            )],
            line: 2,
            says: "days",
        },
        Case {
            rule: "length",
            rows: vec![raw(
                "Ana",
                "london",
                "2027-03-08T07:00:00Z",
                "2027-03-08T17:00:00Z",
                "2027-03-08T10:00:00Z/2027-03-08T10:30:00Z",
                "unpaid",
            )],
            line: 2,
            says: "570 minutes paid",
        },
        Case {
            rule: "breaks",
            rows: vec![raw(
                "Ana",
                "london",
                "2027-03-08T07:00:00Z",
                "2027-03-08T15:30:00Z",
                "2027-03-08T07:30:00Z/2027-03-08T08:00:00Z",
                "unpaid",
            )],
            line: 2,
            says: "window is 180 to 300",
        },
        Case {
            rule: "breaks",
            rows: vec![raw(
                "Ana",
                "london",
                "2027-03-08T07:00:00Z",
                "2027-03-08T15:30:00Z",
                "2027-03-08T10:00:00Z/2027-03-08T10:15:00Z;2027-03-08T12:00:00Z/2027-03-08T12:15:00Z",
                "unpaid;unpaid",
            )],
            line: 2,
            says: "2 breaks",
        },
    ]
}

#[test]
fn each_problem_is_an_error_naming_file_line_and_rule() {
    for case in cases() {
        let ws = workspace(case.rule);
        let given = ws.join("edited.csv");
        std::fs::write(&given, roster(&case.rows)).unwrap();
        let out = ws.join("out");
        let o = evaluate(&ws, &given, &out, false);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {e}", case.rule);
        let at = format!("{}:{}: rule {}:", given.display(), case.line, case.rule);
        assert!(e.contains(&at), "{}: want {at:?} in {e}", case.rule);
        assert!(
            e.contains(case.says),
            "{}: want {:?} in {e}",
            case.rule,
            case.says
        );
        assert!(e.contains("--lenient"), "{e}");
        assert!(!out.exists(), "{}: nothing written", case.rule);
        assert_eq!(listing(&ws), ["edited.csv", "scenario.json"]);
        let _ = std::fs::remove_dir_all(&ws);
    }
}

#[test]
fn lenient_lists_each_problem_as_a_warning_and_evaluates_as_written() {
    for case in cases() {
        let ws = workspace(case.rule);
        let given = ws.join("edited.csv");
        std::fs::write(&given, roster(&case.rows)).unwrap();
        let out = ws.join("out");
        let o = evaluate(&ws, &given, &out, true);
        assert!(o.status.success(), "{}: {}", case.rule, stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains(&format!("rule {}", case.rule)), "{stdout}");
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        let warnings = summary["warnings"].as_array().unwrap();
        assert_eq!(summary["warnings_total"], warnings.len());
        let w = warnings
            .iter()
            .find(|w| w["rule"] == case.rule)
            .unwrap_or_else(|| panic!("{}: {warnings:?}", case.rule));
        assert_eq!(w["line"], case.line, "{}", case.rule);
        assert_eq!(w["file"], given.display().to_string());
        assert!(w["message"].as_str().unwrap().contains(case.says));
        // Every row is counted as written.
        assert_eq!(summary["shifts"], case.rows.len(), "{}", case.rule);
        let report = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(report.contains("Roster warnings"), "{}", case.rule);
        assert!(
            report.contains(&format!("line {} · {}", case.line, case.rule)),
            "{}",
            case.rule
        );
        let _ = std::fs::remove_dir_all(&ws);
    }
}

#[test]
fn a_clean_roster_has_no_warnings() {
    let ws = workspace("clean");
    let given = ws.join("edited.csv");
    std::fs::write(&given, good_roster()).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["warnings"], serde_json::json!([]));
    assert_eq!(summary["warnings_total"], 0);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("Roster warnings"));
    let _ = std::fs::remove_dir_all(&ws);
}

/// Several problems: the error names the first by line and counts the others; `--lenient`
/// lists them all, in line order.
#[test]
fn every_problem_is_listed_in_line_order() {
    let ws = workspace("many");
    let given = ws.join("edited.csv");
    let rows = vec![
        row("Ana", "london", 7, ""),
        row("Ana", "london", 9, ""),
        row("Ana", "london", 9, ""),
        raw(
            "Ben",
            "london",
            "2030-03-08T07:00:00Z",
            "2030-03-08T15:30:00Z",
            "2030-03-08T10:00:00Z/2030-03-08T10:30:00Z",
            "unpaid",
        ),
    ];
    std::fs::write(&given, roster(&rows)).unwrap();
    let out = ws.join("out");
    let o = evaluate(&ws, &given, &out, false);
    let e = stderr(&o);
    assert!(
        e.contains(":3: rule overlap:") && e.contains("and 2 more problem"),
        "{e}"
    );
    let o = evaluate(&ws, &given, &out, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let got: Vec<(u64, String)> = summary["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().unwrap(),
                w["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (3, "overlap".to_string()),
            (4, "duplicate".to_string()),
            (5, "outside_horizon".to_string())
        ]
    );
    let _ = std::fs::remove_dir_all(&ws);
}
