//! The Curtois reader and the solver on the published instances (copies in
//! `tests/data/curtois/`, see its SOURCE.md).

use std::path::PathBuf;
use std::time::Duration;
use wfm::roster::{self, curtois, Options, Roster};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/curtois")
        .join(name)
}

/// (instance, days, employees, shift types, best known) from best_known.csv.
fn table() -> Vec<(String, usize, usize, usize, i64)> {
    let text = std::fs::read_to_string(data("best_known.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[0].to_string(),
                rec[1].parse().unwrap(),
                rec[3].parse().unwrap(),
                rec[4].parse().unwrap(),
                rec[6].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn all_24_instances_parse_with_the_published_dimensions() {
    let t = table();
    assert_eq!(t.len(), 24);
    for (name, days, emps, shifts, _) in t {
        let p = curtois::read(&data(&format!("{name}.txt"))).unwrap();
        assert_eq!(p.name, name);
        assert_eq!(p.days, days, "{name} days");
        assert_eq!(p.employees.len(), emps, "{name} employees");
        assert_eq!(p.shift_types.len(), shifts, "{name} shift types");
        // One cover row per day and shift type, all with the benchmark's weights.
        assert_eq!(p.cover.len(), days * shifts, "{name} cover rows");
        assert!(p
            .cover
            .iter()
            .all(|c| c.weight_under == 100 && c.weight_over == 1));
    }
}

#[test]
fn empty_roster_objective_matches_a_direct_count_of_the_file() {
    // Everyone off: every on-request is missed and every cover row is short by its
    // requirement. Counted here straight from the text.
    let text = std::fs::read_to_string(data("Instance3.txt")).unwrap();
    let mut section = "";
    let mut expected = 0i64;
    for line in text.lines().map(str::trim) {
        if line.starts_with("SECTION_") {
            section = line;
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        match section {
            "SECTION_SHIFT_ON_REQUESTS" => expected += f[3].parse::<i64>().unwrap(),
            "SECTION_COVER" => {
                expected += f[2].parse::<i64>().unwrap() * f[3].parse::<i64>().unwrap()
            }
            _ => {}
        }
    }
    let p = curtois::read(&data("Instance3.txt")).unwrap();
    let rep = roster::check(&p, &Roster::empty(p.employees.len(), p.days));
    assert_eq!(rep.objective, expected);
    assert_eq!(rep.request_penalty + rep.cover_penalty, expected);
    // Minimum total minutes are broken by an empty roster.
    assert!(rep
        .violations
        .iter()
        .any(|v| v.rule == roster::Rule::MinMinutes));
}

/// Solves instance `name` with the default options and a limit of `secs` seconds, and
/// checks that the roster keeps every rule and that its objective is the checker's.
fn solved_valid(name: &str, secs: u64) -> roster::Solution {
    let p = curtois::read(&data(name)).unwrap();
    let opts = Options {
        time_limit: Duration::from_secs(secs),
        ..Options::default()
    };
    let sol = roster::solve(&p, &opts).unwrap();
    let rep = roster::check(&p, &sol.roster);
    assert!(rep.violations.is_empty(), "{name}: {:?}", rep.violations);
    assert_eq!(rep.objective, sol.objective, "{name}");
    sol
}

#[test]
fn instance1_solves_to_a_valid_roster_no_better_than_the_proven_optimum() {
    let sol = solved_valid("Instance1.txt", 3);
    // 607 is the proven optimum: anything lower would be a checker or model bug.
    assert!(sol.objective >= 607, "objective {}", sol.objective);
    if let Some(lb) = sol.lower_bound {
        assert!(lb <= 607, "lower bound {lb} above the proven optimum");
    }
}

/// A limit that ends the column phase before its first roster (Instance 12 on the default
/// build needs about a minute for its first dive) still gives a roster keeping every rule,
/// within the limit: each employee on a schedule of the pool, none of which breaks a rule.
#[test]
fn a_limit_that_cuts_the_column_phase_still_answers_with_a_valid_roster() {
    let sol = solved_valid("Instance12.txt", 5);
    assert!(sol.objective >= 4040, "below the proven optimum");
}

/// With HiGHS the full MIP proves the published optima of Instances 1 and 2 (a few seconds
/// each on a release build; the limit is generous so a loaded machine still finishes).
#[cfg(feature = "highs")]
#[test]
fn highs_proves_the_optima_of_instances_1_and_2() {
    for (name, optimum) in [("Instance1.txt", 607), ("Instance2.txt", 828)] {
        let p = curtois::read(&data(name)).unwrap();
        let opts = Options {
            time_limit: Duration::from_secs(300),
            backend: wfm::plan::Backend::Highs,
            ..Options::default()
        };
        let sol = roster::solve(&p, &opts).unwrap();
        let rep = roster::check(&p, &sol.roster);
        assert!(rep.violations.is_empty(), "{name}: {:?}", rep.violations);
        assert_eq!(rep.objective, optimum, "{name}");
        assert!(sol.proven_optimal, "{name}: optimum not proven");
        assert_eq!(sol.lower_bound, Some(optimum), "{name}");
        assert_eq!(sol.backend, "highs");
    }
}

#[test]
fn csv_output_has_one_row_per_worked_day() {
    let p = curtois::read(&data("Instance1.txt")).unwrap();
    let mut r = Roster::empty(p.employees.len(), p.days);
    r.shifts[0][1] = Some(0);
    r.shifts[2][13] = Some(0);
    let dir = std::env::temp_dir().join(format!("wfm-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("roster.csv");
    roster::write_csv(&p, &r, &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text, "employee,day,shift\nA,1,D\nC,13,D\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn parse_err(text: &str) -> (usize, String) {
    match curtois::parse("bad.txt", text) {
        Err(wfm::Error::Parse { file, line, reason }) => {
            assert_eq!(file, "bad.txt");
            (line, reason)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

const GOOD: &str = "SECTION_HORIZON\n14\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\nA,D=14,4320,0,5,1,1,2\n\nSECTION_DAYS_OFF\nA,0\n\nSECTION_SHIFT_ON_REQUESTS\nA,2,D,2\n\nSECTION_SHIFT_OFF_REQUESTS\nA,3,D,1\n\nSECTION_COVER\n0,D,1,100,1\n";

#[test]
fn a_small_file_parses() {
    let p = curtois::parse("good.txt", GOOD).unwrap();
    assert_eq!(p.days, 14);
    assert_eq!(p.employees[0].days_off, vec![0]);
    assert_eq!(p.on_requests.len(), 1);
    assert_eq!(p.off_requests.len(), 1);
}

#[test]
fn parse_errors_name_the_line_and_column() {
    let (line, reason) = parse_err(&GOOD.replace("D,480,", "D,abc,"));
    assert_eq!(line, 5);
    assert!(reason.contains("LengthMins"), "{reason}");
    let (line, reason) = parse_err(&GOOD.replace("A,2,D,2", "A,2,X,2"));
    assert_eq!(line, 14);
    assert!(reason.contains("unknown shift"), "{reason}");
    let (line, reason) = parse_err(&GOOD.replace("0,D,1,100,1", "0,D,1,100"));
    assert_eq!(line, 20);
    assert!(reason.contains("columns"), "{reason}");
    let (line, reason) = parse_err(&GOOD.replace("A,0\n", "A,14\n"));
    assert_eq!(line, 11);
    assert!(reason.contains("outside the horizon"), "{reason}");
    let (line, reason) = parse_err(&GOOD.replace("A,D=14,4320,0", "A,D=14,4320,5000"));
    assert_eq!(line, 8);
    assert!(reason.contains("MinTotalMinutes"), "{reason}");
    let (line, _) = parse_err(&GOOD.replace("A,3,D,1", "B,3,D,1"));
    assert_eq!(line, 17);
    let (line, _) = parse_err(&GOOD.replace("SECTION_COVER", "SECTION_NOPE"));
    assert_eq!(line, 19);
    let (line, _) = parse_err(&GOOD.replace("D,480,\n", "D,480,Z\n"));
    assert_eq!(line, 5);
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    match curtois::read(&data("NoSuchInstance.txt")) {
        Err(wfm::Error::Io { path, .. }) => assert!(path.contains("NoSuchInstance.txt")),
        other => panic!("expected an io error, got {other:?}"),
    }
}

/// A file cut short is refused with the section it lacks, never read as a smaller problem
/// (before, Instance 13 cut inside its shifts parsed as no staff and no cover, "optimal" at 0).
#[test]
fn a_file_cut_short_names_the_missing_section() {
    let text = std::fs::read_to_string(data("Instance13.txt")).unwrap();
    for cut in [300, text.find("SECTION_DAYS_OFF").unwrap()] {
        let part = &text[..cut];
        let (line, reason) = parse_err(part);
        assert_eq!(line, part.lines().count(), "{reason}");
        assert!(reason.contains("cut short"), "{reason}");
        let missing = if cut == 300 {
            "SECTION_STAFF"
        } else {
            "SECTION_COVER"
        };
        assert!(reason.contains(missing), "{reason}");
    }
    let no_staff = "SECTION_HORIZON\n14\nSECTION_SHIFTS\nD,480,\nSECTION_STAFF\n\nSECTION_COVER\n0,D,1,100,1\n";
    let (line, reason) = parse_err(no_staff);
    assert_eq!(line, 5);
    assert!(reason.contains("no employee"), "{reason}");
    let no_shift =
        "SECTION_HORIZON\n14\nSECTION_SHIFTS\nSECTION_STAFF\nA,,4320,0,5,1,1,2\nSECTION_COVER\n";
    let (line, reason) = parse_err(no_shift);
    assert_eq!(line, 3);
    assert!(reason.contains("no shift type"), "{reason}");
}

/// The request sections may be left out: the staff is still read (before, leaving out
/// `SECTION_DAYS_OFF` lost every employee).
#[test]
fn the_request_sections_may_be_left_out() {
    let start = GOOD.find("SECTION_DAYS_OFF").unwrap();
    let end = GOOD.find("SECTION_COVER").unwrap();
    let text = format!("{}{}", &GOOD[..start], &GOOD[end..]);
    let p = curtois::parse("good.txt", &text).unwrap();
    assert_eq!(p.employees.len(), 1);
    assert!(p.employees[0].days_off.is_empty());
    assert_eq!(p.cover.len(), 1);
}
