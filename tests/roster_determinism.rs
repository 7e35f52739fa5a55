//! The roster solver is deterministic: the same problem and options give the same roster on
//! every run, with one thread or two, because every phase is paced by counts of work and
//! the lanes' results are combined in a fixed order. The time limits here are generous
//! safety nets that a run never reaches (its work is given explicitly), so these tests make
//! no assertion about time. And the stop flag ends a long solve with a valid roster.

use chrono::{TimeZone, Utc, Weekday};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;
use wfm::roster::{self, curtois, Contract, Cover, Employee, Options, Problem, Request, ShiftType};
use wfm::shifts::ShiftInstance;

fn instance(name: &str) -> Problem {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/curtois")
        .join(name);
    curtois::read(&p).unwrap()
}

/// Solves `p` three times with one thread and three times with two, with `work` units,
/// and checks that all six rosters are the same, valid, and reported as finished by their
/// work (not cut by the clock).
fn same_roster_every_run(p: &Problem, work: u64) {
    let mut first: Option<(Vec<Vec<Option<usize>>>, i64)> = None;
    for threads in [1, 2] {
        for run in 0..3 {
            let opts = Options {
                time_limit: Duration::from_secs(3600),
                work: Some(work),
                threads,
                ..Options::default()
            };
            let sol = roster::solve(p, &opts).unwrap();
            let rep = roster::check(p, &sol.roster);
            assert!(rep.violations.is_empty(), "{:?}", rep.violations);
            assert_eq!(rep.objective, sol.objective);
            assert_ne!(
                sol.termination,
                roster::Termination::TimeLimit,
                "the safety net cut the run"
            );
            match &first {
                None => first = Some((sol.roster.shifts.clone(), sol.objective)),
                Some((shifts, objective)) => {
                    assert_eq!(
                        (&sol.roster.shifts, sol.objective),
                        (shifts, *objective),
                        "{}: run {run} with {threads} thread(s) differs",
                        p.name
                    );
                }
            }
        }
    }
}

#[test]
fn a_curtois_instance_gives_the_same_roster_on_every_run_and_thread_count() {
    // Instance 3: 20 employees, 2 weeks, 3 shift types; the full MIP does not fit microlp,
    // so annealing and the neighbourhood search (node-limited sub-MIPs) both run.
    same_roster_every_run(&instance("Instance3.txt"), 400);
}

/// Three sites a few time zones apart over four weeks (real UTC instants, so the rest rule
/// crosses sites' days), three shift types per site, skills, mixed contracts (full time,
/// part time with minimum hours, nights), fixed days off and weighted wishes.
fn scenario_like() -> Problem {
    let days = 28;
    let sites = [("london", 0i64), ("new-york", 5), ("manila", -8)];
    let kinds = [
        ("early", 6i64, 480u32),
        ("late", 14, 480),
        ("night", 22, 480),
    ];
    let mut shift_types = Vec::new();
    for (site, offset) in sites {
        for (kind, h0, minutes) in kinds {
            let instances = (0..days)
                .map(|d| {
                    let day = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap()
                        + chrono::Duration::days(d as i64);
                    let start = day + chrono::Duration::hours(h0 + offset);
                    Some(ShiftInstance {
                        site: site.into(),
                        template: kind.into(),
                        start,
                        end: start + chrono::Duration::minutes(i64::from(minutes)),
                        breaks: vec![],
                    })
                })
                .collect();
            shift_types.push(ShiftType {
                id: format!("{site}-{kind}"),
                minutes,
                cannot_follow: vec![],
                site: Some(site.into()),
                skill: Some(if kind == "night" { "nights" } else { "voice" }.into()),
                instances,
            });
        }
    }
    let ns = shift_types.len();
    let mut employees = Vec::new();
    for i in 0..24 {
        let site = sites[i % 3].0;
        let part_time = i % 4 == 3;
        let nights = i % 5 == 0;
        let mut skills = vec!["voice".to_string()];
        if nights {
            skills.push("nights".into());
        }
        employees.push(Employee {
            id: format!("{site}-{i:02}"),
            contract: Contract {
                max_shifts: vec![if part_time { 12 } else { 20 }; ns],
                min_minutes: if part_time { 8 * 480 } else { 14 * 480 },
                max_minutes: if part_time { 12 * 480 } else { 20 * 480 },
                max_consecutive: 5,
                min_consecutive: 2,
                min_consecutive_off: 2,
                max_weekends: if part_time { 2 } else { 3 },
                min_rest_minutes: 11 * 60,
            },
            days_off: vec![(i * 3) % days, (i * 7 + 1) % days],
            sites: vec![site.into()],
            skills,
        });
    }
    let mut cover = Vec::new();
    for d in 0..days {
        for s in 0..ns {
            let night = s % 3 == 2;
            cover.push(Cover {
                day: d,
                shift: s,
                requirement: if night { 1 } else { 2 + (d % 7 < 5) as u32 },
                weight_under: 100,
                weight_over: if night { 50 } else { 1 },
            });
        }
    }
    let off_requests = (0..24)
        .map(|e| Request {
            employee: e,
            day: (e * 5 + 2) % days,
            shift: (e % 3) * 3,
            weight: 1 + (e % 4) as u32,
        })
        .collect();
    Problem {
        name: "three sites".into(),
        days,
        first_weekday: Weekday::Mon,
        shift_types,
        employees,
        cover,
        on_requests: vec![],
        off_requests,
    }
}

#[test]
fn a_scenario_like_problem_gives_the_same_roster_on_every_run_and_thread_count() {
    let p = scenario_like();
    p.validate().unwrap();
    same_roster_every_run(&p, 300);
}

/// A HiGHS solve of `p` on two threads paced by `work` units under an hour's limit.
#[cfg(feature = "highs")]
fn highs_run(p: &Problem, work: u64) -> roster::Solution {
    let opts = Options {
        time_limit: Duration::from_secs(3600),
        work: Some(work),
        threads: 2,
        backend: roster::Backend::Highs,
        ..Options::default()
    };
    roster::solve(p, &opts).unwrap()
}

/// With HiGHS the column phase (its master LP, its restricted master MIPs) is charged the
/// simplex iterations HiGHS reports, and its MIPs end at the work they are given: the work
/// ends the run, not the clock (an hour here), and two runs give the same roster.
#[cfg(feature = "highs")]
#[test]
fn with_highs_the_work_ends_the_run_and_two_runs_give_the_same_roster() {
    let p = instance("Instance5.txt");
    let (a, b) = (highs_run(&p, 1500), highs_run(&p, 1500));
    assert_ne!(a.termination, roster::Termination::TimeLimit);
    assert!(roster::check(&p, &a.roster).violations.is_empty());
    assert_eq!(
        (&a.roster.shifts, a.objective, a.work_done),
        (&b.roster.shifts, b.objective, b.work_done)
    );
}

/// With HiGHS the column phase runs on horizons over four weeks too (Instance 16: eight
/// weeks): its dives improve the construction roster, the work ends the run (a dive is cut
/// at the dives' share of the work) and two runs give the same roster. (With so little
/// work the compact LP's bound is the better one, so the bound's source says nothing.)
#[cfg(feature = "highs")]
#[test]
fn with_highs_the_column_phase_runs_on_eight_weeks_and_repeats() {
    let p = instance("Instance16.txt");
    let (a, b) = (highs_run(&p, 3000), highs_run(&p, 3000));
    assert_ne!(a.termination, roster::Termination::TimeLimit);
    assert!(
        a.progress.iter().any(|i| i.by.starts_with("column")),
        "{:?}",
        a.progress.iter().map(|i| i.by).collect::<Vec<_>>()
    );
    assert!(roster::check(&p, &a.roster).violations.is_empty());
    assert_eq!(
        (&a.roster.shifts, a.objective, a.work_done),
        (&b.roster.shifts, b.objective, b.work_done)
    );
}

#[test]
fn the_default_work_follows_the_time_limit_alone() {
    assert!(roster::work_for(Duration::from_secs(60)) > roster::work_for(Duration::from_secs(1)));
    assert_eq!(
        roster::work_for(Duration::from_secs(10)),
        roster::work_for(Duration::from_secs(10))
    );
    let zero = Options {
        work: Some(0),
        ..Options::default()
    };
    match roster::solve(&instance("Instance1.txt"), &zero) {
        Err(wfm::Error::Invalid { field, .. }) => assert_eq!(field, "work"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_stop_flag_ends_a_long_solve_with_a_valid_roster() {
    // Instance 5 (16 employees, four weeks): no bound and no MIP (a full MIP can prove
    // optimality, with HiGHS, and so end the solve by a proof), so the search cannot end by
    // a proof; an hour of time and far more work than an hour holds: only the flag can end
    // this solve soon.
    let p = instance("Instance5.txt");
    let stop = wfm::budget::stop_flag();
    let opts = Options {
        time_limit: Duration::from_secs(3600),
        work: Some(1 << 30),
        lower_bound: false,
        mip: false,
        stop: Some(stop.clone()),
        ..Options::default()
    };
    let setter = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            stop.store(true, Ordering::Relaxed);
        })
    };
    let sol = roster::solve(&p, &opts).unwrap();
    setter.join().unwrap();
    let rep = roster::check(&p, &sol.roster);
    assert!(rep.violations.is_empty(), "{:?}", rep.violations);
    assert_eq!(sol.termination, roster::Termination::TimeLimit);
    assert!(sol.work_done < 1 << 30);
}
