//! The independent checker on hand-built rosters, one rule at a time, and the solver on a
//! general problem with real shift times, sites and skills.

use chrono::{TimeZone, Utc, Weekday};
use std::time::Duration;
use wfm::roster::{self, Contract, Cover, Employee, Problem, Request, Roster, Rule, ShiftType};
use wfm::shifts::ShiftInstance;

fn contract(ns: usize) -> Contract {
    Contract {
        max_shifts: vec![14; ns],
        min_minutes: 0,
        max_minutes: 100_000,
        max_consecutive: 14,
        min_consecutive: 1,
        min_consecutive_off: 1,
        max_weekends: 2,
        min_rest_minutes: 0,
    }
}

fn shift(id: &str) -> ShiftType {
    ShiftType {
        id: id.into(),
        minutes: 480,
        cannot_follow: vec![],
        site: None,
        skill: None,
        instances: vec![],
    }
}

fn emp(id: &str, ns: usize) -> Employee {
    Employee {
        id: id.into(),
        contract: contract(ns),
        days_off: vec![],
        sites: vec![],
        skills: vec![],
    }
}

/// 14 days from a Monday, shifts E and L (L cannot be followed by E), two employees.
fn base() -> Problem {
    let mut l = shift("L");
    l.cannot_follow = vec![0];
    Problem {
        name: "t".into(),
        days: 14,
        first_weekday: Weekday::Mon,
        shift_types: vec![shift("E"), l],
        employees: vec![emp("A", 2), emp("B", 2)],
        cover: vec![],
        on_requests: vec![],
        off_requests: vec![],
    }
}

fn row(s: &str) -> Vec<Option<usize>> {
    s.chars()
        .map(|c| match c {
            'E' => Some(0),
            'L' => Some(1),
            _ => None,
        })
        .collect()
}

fn rules(p: &Problem, a: &str) -> Vec<Rule> {
    let r = Roster {
        shifts: vec![row(a), row("..............")],
    };
    roster::check(p, &r)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect()
}

#[test]
fn each_hard_rule_is_detected() {
    let p = base();
    assert!(rules(&p, "EE..LL..EEE...").is_empty());
    assert_eq!(rules(&p, "LE............"), vec![Rule::Succession]);
    let mut q = base();
    q.employees[0].contract.max_consecutive = 3;
    assert_eq!(rules(&q, "EEEE.........."), vec![Rule::MaxConsecutive]);
    let mut q = base();
    q.employees[0].contract.min_consecutive = 2;
    // Runs touching either end are exempt; an inner run of one is not.
    assert!(rules(&q, "E............E").is_empty());
    assert_eq!(rules(&q, "...E.........."), vec![Rule::MinConsecutive]);
    let mut q = base();
    q.employees[0].contract.min_consecutive_off = 2;
    assert!(rules(&q, ".EEEEEEEEEEEE.").is_empty());
    assert_eq!(rules(&q, "EE.EE........."), vec![Rule::MinConsecutiveOff]);
    let mut q = base();
    q.employees[0].contract.max_weekends = 1;
    // Days 5, 6 and 12, 13 are the weekends.
    assert!(rules(&q, ".....EE.......").is_empty());
    assert_eq!(rules(&q, ".....E......E."), vec![Rule::MaxWeekends]);
    let mut q = base();
    q.employees[0].contract.max_shifts = vec![1, 14];
    assert_eq!(rules(&q, "E.E..........."), vec![Rule::MaxShifts]);
    q.employees[0].contract.max_shifts = vec![0, 14];
    assert_eq!(rules(&q, "E............."), vec![Rule::Eligibility]);
    let mut q = base();
    q.employees[0].contract.min_minutes = 960;
    assert_eq!(rules(&q, "E............."), vec![Rule::MinMinutes]);
    q.employees[0].contract.min_minutes = 0;
    q.employees[0].contract.max_minutes = 480;
    assert_eq!(rules(&q, "E.E..........."), vec![Rule::MaxMinutes]);
    let mut q = base();
    q.employees[0].days_off = vec![4];
    assert_eq!(rules(&q, "....E........."), vec![Rule::DayOff]);
    let mut q = base();
    q.shift_types[1].skill = Some("french".into());
    assert_eq!(rules(&q, "....L........."), vec![Rule::Eligibility]);
    q.employees[0].skills = vec!["french".into()];
    assert!(rules(&q, "....L.........").is_empty());
}

#[test]
fn a_malformed_roster_is_reported_not_a_panic() {
    let p = base();
    let r = Roster {
        shifts: vec![vec![Some(7); 3]],
    };
    let rep = roster::check(&p, &r);
    assert!(rep.violations.iter().all(|v| v.rule == Rule::Shape));
    assert!(rep.violations.len() >= 3);
}

#[test]
fn objective_counts_requests_and_cover_both_ways() {
    let mut p = base();
    p.on_requests = vec![Request {
        employee: 0,
        day: 0,
        shift: 0,
        weight: 3,
    }];
    p.off_requests = vec![Request {
        employee: 0,
        day: 1,
        shift: 1,
        weight: 2,
    }];
    p.cover = vec![
        Cover {
            day: 0,
            shift: 1,
            requirement: 1,
            weight_under: 100,
            weight_over: 1,
        },
        Cover {
            day: 1,
            shift: 1,
            requirement: 0,
            weight_under: 100,
            weight_over: 5,
        },
    ];
    // Day 0: works L instead of the requested E (3), L cover met. Day 1: works L (off
    // request 2, cover over by one 5). Day 2 cannot be E after L; leave it off.
    let r = Roster {
        shifts: vec![row("LL............"), row("..............")],
    };
    let rep = roster::check(&p, &r);
    assert!(rep.violations.is_empty());
    assert_eq!(rep.request_penalty, 5);
    assert_eq!(rep.cover_penalty, 5);
    assert_eq!(rep.objective, 10);
    // Nobody on: the on-request (3) and one short on day 0 (100), reported as a shortfall.
    let rep = roster::check(&p, &Roster::empty(2, 14));
    assert_eq!(rep.objective, 103);
    assert_eq!(rep.shortfalls.len(), 1);
    assert_eq!(
        (
            rep.shortfalls[0].day,
            rep.shortfalls[0].required,
            rep.shortfalls[0].assigned
        ),
        (0, 1, 0)
    );
}

/// Two sites: an early shift in New York and a late one in London, with real instants.
fn two_sites() -> Problem {
    let days = 7;
    let mk = |id: &str, site: &str, skill: Option<&str>, h0: u32, h1: u32| {
        let inst = (0..days)
            .map(|d| {
                let day = Utc
                    .with_ymd_and_hms(2026, 3, 2 + d as u32, 0, 0, 0)
                    .unwrap();
                Some(ShiftInstance {
                    site: site.into(),
                    template: id.into(),
                    start: day + chrono::Duration::hours(i64::from(h0)),
                    end: day + chrono::Duration::hours(i64::from(h1)),
                    breaks: vec![],
                })
            })
            .collect();
        ShiftType {
            id: id.into(),
            minutes: 480,
            cannot_follow: vec![],
            site: Some(site.into()),
            skill: skill.map(String::from),
            instances: inst,
        }
    };
    // London late 14:00-22:00 UTC; New York early 12:00-20:00 UTC (08:00-16:00 EST... in
    // UTC terms), London early 06:00-14:00 UTC.
    let shifts = vec![
        mk("LON-late", "London", None, 14, 22),
        mk("LON-early", "London", None, 6, 14),
        mk("NY-early", "New York", Some("billing"), 12, 20),
    ];
    let mut a = emp("ana", 3);
    a.contract.min_rest_minutes = 11 * 60;
    a.sites = vec!["London".into()];
    let mut b = emp("bo", 3);
    b.contract.min_rest_minutes = 11 * 60;
    b.skills = vec!["billing".into()];
    let mut cover = Vec::new();
    for d in 0..days {
        for s in 0..3 {
            cover.push(Cover {
                day: d,
                shift: s,
                requirement: 1,
                weight_under: 100,
                weight_over: 1,
            });
        }
    }
    Problem {
        name: "two sites".into(),
        days,
        first_weekday: Weekday::Mon,
        shift_types: shifts,
        employees: vec![a, b],
        cover,
        on_requests: vec![],
        off_requests: vec![],
    }
}

#[test]
fn min_rest_is_measured_between_real_instants() {
    let p = two_sites();
    // Late (ends 22:00) then early next day (starts 06:00): 8 h rest < 11 h.
    let r = Roster {
        shifts: vec![
            vec![Some(0), Some(1), None, None, None, None, None],
            vec![None; 7],
        ],
    };
    let rep = roster::check(&p, &r);
    assert_eq!(rep.violations.len(), 1);
    assert_eq!(rep.violations[0].rule, Rule::MinRest);
    // Early then late: 22:00 - 14:00 ... next start 14:00 after 14:00 end: 24 h, fine.
    let r = Roster {
        shifts: vec![
            vec![Some(1), Some(0), None, None, None, None, None],
            vec![None; 7],
        ],
    };
    assert!(roster::check(&p, &r).violations.is_empty());
    // ana is London-only: New York is ineligible for her.
    let r = Roster {
        shifts: vec![
            vec![Some(2), None, None, None, None, None, None],
            vec![None; 7],
        ],
    };
    assert_eq!(roster::check(&p, &r).violations[0].rule, Rule::Eligibility);
}

#[test]
fn solver_keeps_rest_sites_and_skills_and_reports_unstaffed_shifts() {
    let p = two_sites();
    let sol = roster::solve(
        &p,
        &roster::Options {
            time_limit: Duration::from_secs(2),
            ..Default::default()
        },
    )
    .unwrap();
    let rep = roster::check(&p, &sol.roster);
    assert!(rep.violations.is_empty(), "{:?}", rep.violations);
    // Two people cannot cover three shifts a day for seven days: shortfalls are listed.
    let short: u32 = rep.shortfalls.iter().map(|s| s.required - s.assigned).sum();
    assert!(short >= 7, "{short}");
    assert_eq!(sol.report.shortfalls, rep.shortfalls);
    assert_eq!(sol.objective, rep.objective);
}

#[test]
fn invalid_problems_are_rejected_naming_the_field() {
    let mut p = base();
    p.employees[1].id = "A".into();
    match p.validate() {
        Err(wfm::Error::Invalid { field, .. }) => assert_eq!(field, "employees[1].id"),
        other => panic!("{other:?}"),
    }
    let mut p = base();
    p.cover.push(Cover {
        day: 14,
        shift: 0,
        requirement: 1,
        weight_under: 1,
        weight_over: 1,
    });
    match roster::solve(&p, &roster::Options::default()) {
        Err(wfm::Error::Invalid { field, .. }) => assert_eq!(field, "cover[0].day"),
        other => panic!("{other:?}"),
    }
    let mut p = base();
    p.shift_types[0].minutes = 0;
    assert!(matches!(p.validate(), Err(wfm::Error::Invalid { .. })));
    let zero_threads = roster::Options {
        threads: 0,
        ..Default::default()
    };
    match roster::solve(&base(), &zero_threads) {
        Err(wfm::Error::Invalid { field, .. }) => assert_eq!(field, "threads"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_impossible_contract_is_reported_infeasible() {
    let mut p = base();
    // 14 days off but 8 hours required.
    p.employees[0].days_off = (0..14).collect();
    p.employees[0].contract.min_minutes = 480;
    match roster::solve(
        &p,
        &roster::Options {
            time_limit: Duration::from_millis(500),
            ..Default::default()
        },
    ) {
        Err(wfm::Error::Infeasible { explanation }) => {
            assert!(
                explanation.contains("minimum total minutes")
                    && !explanation.contains("MinMinutes"),
                "{explanation}"
            )
        }
        other => panic!("{other:?}"),
    }
}
