//! write_all: every file with its exact columns, nothing half-written, nothing written when
//! building fails; coverage.csv and requirements.csv agree with an independent recount.

mod io_support;

use io_support::{fixture, temp_dir};
use std::collections::HashMap;
use wfm::evaluate::recount_scheduled;
use wfm::io::{parse_roster, write_all, write_files, PlanRow};

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn writes_every_file_with_the_exact_columns() {
    let f = fixture();
    let dir = temp_dir("all");
    let written = write_all(&dir, &f.outputs()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "requirements.csv",
            "forecast.csv",
            "plan.csv",
            "roster.csv",
            "coverage.csv",
            "kpis_long.csv",
            "summary.json",
            "roster.ics",
            "report.html"
        ]
    );
    let mut listing: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listing.sort();
    assert_eq!(listing.len(), 9, "no temporary files left: {listing:?}");

    let first = |name: &str| read(&dir, name).lines().next().unwrap().to_string();
    assert_eq!(
        first("requirements.csv"),
        "interval_start_utc,queue,volume,aht_seconds,required,interval_start_local"
    );
    // No forecast given with the outputs: the demands' volumes, given inline.
    assert_eq!(
        first("forecast.csv"),
        "interval_start_utc,interval_start_local,site,queue,source,method,special_day,volume_planned,aht_seconds,volume"
    );
    assert_eq!(
        first("plan.csv"),
        "site,template,start_utc,start_local,count"
    );
    assert_eq!(
        first("coverage.csv"),
        "interval_start_utc,queue,required,scheduled,service_level,asa_seconds,occupancy,volume,open,interval_start_local"
    );
    assert_eq!(
        first("kpis_long.csv"),
        "interval_start_utc,interval_start_local,site,queue,metric,value"
    );
    assert!(first("roster.csv").starts_with(
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks"
    ));
    let n = f.horizon.len() * f.demands.len();
    assert_eq!(read(&dir, "requirements.csv").lines().count(), n + 1);
    assert_eq!(read(&dir, "coverage.csv").lines().count(), n + 1);
    assert_eq!(read(&dir, "forecast.csv").lines().count(), n + 1);
    assert!(read(&dir, "plan.csv")
        .contains("New York,day,2027-03-13T13:00:00Z,2027-03-13T08:00:00-05:00,1"));

    let summary: serde_json::Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    for key in [
        "cost",
        "paid_hours",
        "lower_bound",
        "gap",
        "status",
        "solve_seconds",
        "service_level",
        "understaffed_intervals",
        "overstaffed_agent_hours",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["paid_hours"].as_f64(), Some(f.summary.paid_hours));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Re-derives coverage from the written roster.csv alone and checks coverage.csv and
/// requirements.csv against it, row by row.
#[test]
fn coverage_csv_matches_an_independent_recount_of_roster_csv() {
    let f = fixture();
    let dir = temp_dir("recount");
    write_all(&dir, &f.outputs()).unwrap();
    let roster = parse_roster(&read(&dir, "roster.csv"), "roster.csv", &f.sites).unwrap();
    let counts = recount_scheduled(&f.horizon, f.demands.len(), &f.routing, &roster).unwrap();

    let mut required: HashMap<(String, String), String> = HashMap::new();
    let req_text = read(&dir, "requirements.csv");
    let mut rdr = csv::Reader::from_reader(req_text.as_bytes());
    for r in rdr.records() {
        let r = r.unwrap();
        required.insert((r[0].to_string(), r[1].to_string()), r[4].to_string());
    }
    let cov_text = read(&dir, "coverage.csv");
    let mut rdr = csv::Reader::from_reader(cov_text.as_bytes());
    let mut rows = 0;
    let mut nonzero = 0;
    for (k, r) in rdr.records().enumerate() {
        let r = r.unwrap();
        let (i, q) = (k / f.demands.len(), k % f.demands.len());
        assert_eq!(&r[0], wfm::time::fmt_utc(f.horizon.interval_start(i)));
        assert_eq!(&r[1], f.demands[q].name);
        assert_eq!(
            r[3].parse::<u32>().unwrap(),
            counts[q][i],
            "scheduled at {}",
            &r[0]
        );
        assert_eq!(
            Some(&r[2].to_string()),
            required.get(&(r[0].to_string(), r[1].to_string()))
        );
        nonzero += usize::from(counts[q][i] > 0);
        rows += 1;
    }
    assert_eq!(rows, f.horizon.len() * f.demands.len());
    assert!(nonzero > 20, "the fixture staffs many intervals");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_error_while_building_writes_nothing() {
    let f = fixture();
    let bad_plan = vec![PlanRow {
        site: "Paris".into(),
        ..f.plan[0].clone()
    }];
    let mut o = f.outputs();
    o.plan = Some(&bad_plan);
    let dir = temp_dir("nothing");
    let e = write_all(&dir, &o).unwrap_err();
    assert!(e.to_string().contains("plan[0].site"), "{e}");
    assert!(!dir.exists(), "the output folder is not even created");
}

/// The set is written whole or not at all: a file that cannot be put in place (a folder
/// stands where it should go) leaves the folder as it was, with no temporary file or folder.
#[test]
fn an_error_while_writing_changes_nothing() {
    let dir = temp_dir("partial");
    std::fs::create_dir_all(dir.join("b.csv")).unwrap(); // a folder where a file should go
    let files = vec![
        ("a.csv", "x\n".to_string()),
        ("b.csv", "y\n".to_string()),
        ("c.csv", "z\n".to_string()),
    ];
    std::fs::write(dir.join("a.csv"), "old\n").unwrap();
    let e = write_files(&dir, &files).unwrap_err();
    assert!(e.to_string().contains("b.csv"), "{e}");
    assert_eq!(std::fs::read_to_string(dir.join("a.csv")).unwrap(), "old\n");
    assert!(!dir.join("c.csv").exists());
    let mut listing: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listing.sort();
    assert_eq!(listing, ["a.csv", "b.csv"]);
    let parent = dir.parent().unwrap();
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let temporary: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".{name}"))
        })
        .collect();
    assert!(temporary.is_empty(), "{temporary:?}");
    assert!(write_files(&dir, &[("../x", String::new())]).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

fn verify(f: &io_support::Fixture, dir: &std::path::Path) -> wfm::Result<wfm::io::Verified> {
    let queues: Vec<String> = f.demands.iter().map(|d| d.name.clone()).collect();
    wfm::io::verify_outputs(dir, &f.horizon, &f.sites, &f.routing, &queues)
}

#[test]
fn verify_outputs_accepts_what_was_written_and_catches_edits() {
    let f = fixture();
    let dir = temp_dir("verify");
    write_all(&dir, &f.outputs()).unwrap();
    let v = verify(&f, &dir).unwrap();
    assert_eq!(v.shifts, f.roster.len());
    assert_eq!(v.coverage_rows, f.horizon.len() * f.demands.len());
    assert!(v.staffed_rows > 20);

    // Drop Ana's first shift from the roster: coverage.csv no longer matches it.
    let roster = read(&dir, "roster.csv");
    let edited: String = roster
        .lines()
        .filter(|l| !l.starts_with("Ana,New York,day,2027-03-13T13"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(edited.lines().count() + 1, roster.lines().count());
    std::fs::write(dir.join("roster.csv"), &edited).unwrap();
    let e = verify(&f, &dir).unwrap_err().to_string();
    assert!(
        e.contains("coverage.csv:") && e.contains("column scheduled"),
        "{e}"
    );
    std::fs::write(dir.join("roster.csv"), &roster).unwrap();

    // Change one required value in coverage.csv.
    let cov = read(&dir, "coverage.csv");
    let line = cov.lines().position(|l| l.contains(",voice,2,")).unwrap();
    let edited: String = cov
        .lines()
        .enumerate()
        .map(|(k, l)| if k == line { l.replacen(",voice,2,", ",voice,3,", 1) } else { l.to_string() } + "\n")
        .collect();
    std::fs::write(dir.join("coverage.csv"), &edited).unwrap();
    let e = verify(&f, &dir).unwrap_err().to_string();
    assert!(
        e.contains(&format!("coverage.csv:{}: column required", line + 1)),
        "{e}"
    );

    // A missing row is named.
    let short: String = cov
        .lines()
        .take(cov.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("coverage.csv"), &short).unwrap();
    let e = verify(&f, &dir).unwrap_err().to_string();
    assert!(e.contains("no row for queue"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A run that fails half-way through writing (here: dropped after two of three files)
/// leaves the earlier set as it was and no temporary folder.
#[test]
fn a_set_abandoned_half_way_changes_nothing() {
    let dir = temp_dir("abandoned");
    let files = [("a.csv", "1\n".to_string()), ("b.csv", "1\n".to_string())];
    wfm::io::write::write_set(&dir, &files, &["a.csv", "b.csv", "c.csv"], &[]).unwrap();
    {
        let mut stage = wfm::io::Staging::begin(&dir, &["a.csv", "b.csv", "c.csv"], &[]).unwrap();
        stage.put("a.csv", b"2\n").unwrap();
        stage.put("c.csv", b"2\n").unwrap();
        // Dropped without commit, as on an error.
    }
    assert_eq!(std::fs::read_to_string(dir.join("a.csv")).unwrap(), "1\n");
    assert_eq!(std::fs::read_to_string(dir.join("b.csv")).unwrap(), "1\n");
    assert!(!dir.join("c.csv").exists());
    let parent = dir.parent().unwrap();
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let hidden = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".{name}"))
        })
        .count();
    assert_eq!(hidden, 0);
    // Committed, the new set replaces the old one whole: b.csv, not written, is gone.
    let mut stage = wfm::io::Staging::begin(&dir, &["a.csv", "b.csv", "c.csv"], &[]).unwrap();
    stage.put("a.csv", b"3\n").unwrap();
    stage.put("c.csv", b"3\n").unwrap();
    let written = stage.commit().unwrap();
    assert_eq!(written, [dir.join("a.csv"), dir.join("c.csv")]);
    assert!(!dir.join("b.csv").exists());
    assert_eq!(std::fs::read_to_string(dir.join("c.csv")).unwrap(), "3\n");
    let _ = std::fs::remove_dir_all(&dir);
}
