//! Infeasible scenarios come back as explanations naming the interval (UTC and local), the
//! site and the rule, never as a solver status.

use chrono::{TimeZone, Utc};
use wfm::plan::{self, CoverageMode, PlanProblem, PlanRules, SiteCap, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};
use wfm::Error;

fn day_template(site: &str) -> ShiftTemplate {
    ShiftTemplate::new(
        "day",
        site,
        "calls",
        480,
        StartWindow {
            days: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            from: ClockTime::new(7, 0).unwrap(),
            to: ClockTime::new(11, 0).unwrap(),
        },
    )
}

fn horizon() -> Horizon {
    // Monday 2027-03-08, one day of hours.
    Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 60, 1).unwrap()
}

fn explanation(r: wfm::Result<plan::Plan>) -> String {
    match r {
        Err(Error::Infeasible { explanation }) => explanation,
        other => panic!("expected Infeasible, got {other:?}"),
    }
}

#[test]
fn demand_no_shift_can_cover_names_interval_site_and_rule() {
    let mut req = vec![0; 24];
    req[12] = 3; // 12:00Z = 08:00 EDT? No: March 8 is EST, 07:00 local.
    req[3] = 2; // 03:00Z = 22:00 EST on Sunday: nobody starts early enough.
    let site = Site::new("ny", "America/New_York").unwrap();
    let p = PlanProblem::new(
        horizon(),
        vec![site],
        vec![day_template("ny")],
        vec![("calls".into(), req)],
        PlanRules::default(),
    )
    .unwrap();
    let e = explanation(plan::solve(&p, &SolveOptions::default()));
    assert!(e.contains("2027-03-08T03:00:00Z"), "{e}");
    assert!(e.contains("ny 2027-03-07T22:00:00-05:00"), "{e}");
    assert!(e.contains("\"calls\""), "{e}");
    assert!(e.contains("start windows"), "{e}");
}

#[test]
fn site_cap_below_need_is_named() {
    let mut req = vec![0; 24];
    req[14] = 5;
    let rules = PlanRules {
        site_caps: vec![SiteCap {
            site: "lon".into(),
            max_per_interval: Some(3),
            max_per_day: None,
        }],
        ..PlanRules::default()
    };
    let p = PlanProblem::new(
        horizon(),
        vec![Site::new("lon", "Europe/London").unwrap()],
        vec![day_template("lon")],
        vec![("calls".into(), req)],
        rules,
    )
    .unwrap();
    let e = explanation(plan::solve(&p, &SolveOptions::default()));
    println!("{e}");
    assert!(e.contains("max_per_interval 3"), "{e}");
    assert!(e.contains("lon"), "{e}");
    assert!(e.contains("2027-03-08T14:00:00Z"), "{e}");
}

#[test]
fn per_day_cap_and_budget_found_by_the_elastic_lp() {
    let mut req = vec![0; 24];
    for r in req.iter_mut().take(16).skip(9) {
        *r = 4;
    }
    let site = || Site::new("lon", "Europe/London").unwrap();
    let day_cap = PlanRules {
        site_caps: vec![SiteCap {
            site: "lon".into(),
            max_per_interval: None,
            max_per_day: Some(2),
        }],
        ..PlanRules::default()
    };
    let p = PlanProblem::new(
        horizon(),
        vec![site()],
        vec![day_template("lon")],
        vec![("calls".into(), req.clone())],
        day_cap,
    )
    .unwrap();
    let e = explanation(plan::solve(&p, &SolveOptions::default()));
    println!("{e}");
    assert!(e.contains("max_per_day 2"), "{e}");
    assert!(e.contains("lon"), "{e}");
    assert!(e.contains("interval"), "{e}");

    let budget = PlanRules {
        budget: Some(20.0),
        ..PlanRules::default()
    };
    let p = PlanProblem::new(
        horizon(),
        vec![site()],
        vec![day_template("lon")],
        vec![("calls".into(), req.clone())],
        budget,
    )
    .unwrap();
    let e = explanation(plan::solve(&p, &SolveOptions::default()));
    println!("{e}");
    assert!(e.contains("budget 20"), "{e}");

    // Soft coverage turns the same scenario into a plan with a shortfall penalty.
    let soft = PlanRules {
        budget: Some(20.0),
        coverage: CoverageMode::Soft {
            under_penalty: 10.0,
            over_penalty: 0.0,
        },
        ..PlanRules::default()
    };
    let p = PlanProblem::new(
        horizon(),
        vec![site()],
        vec![day_template("lon")],
        vec![("calls".into(), req)],
        soft,
    )
    .unwrap();
    let plan = plan::solve(&p, &SolveOptions::default()).unwrap();
    assert!(plan.cost <= 20.0);
    assert!(plan.penalty > 0.0);
    assert!(plan.objective >= plan.lower_bound - 1e-9);
}

#[test]
fn template_max_count_and_min_above_max() {
    let mut req = vec![0; 24];
    req[10] = 4;
    let mut t = day_template("lon");
    t.max_count = Some(2);
    let p = PlanProblem::new(
        horizon(),
        vec![Site::new("lon", "Europe/London").unwrap()],
        vec![t.clone()],
        vec![("calls".into(), req.clone())],
        PlanRules::default(),
    )
    .unwrap();
    let e = explanation(plan::solve(&p, &SolveOptions::default()));
    assert!(e.contains("day max_count 2"), "{e}");

    t.min_count = Some(3);
    let e = PlanProblem::new(
        horizon(),
        vec![Site::new("lon", "Europe/London").unwrap()],
        vec![t],
        vec![("calls".into(), req)],
        PlanRules::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("templates[0].min_count"), "{e}");
}

#[test]
fn bad_input_is_invalid_with_a_field() {
    let site = || vec![Site::new("lon", "Europe/London").unwrap()];
    let e = PlanProblem::new(
        horizon(),
        site(),
        vec![day_template("lon")],
        vec![("calls".into(), vec![1; 23])],
        PlanRules::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("requirements[0].required"), "{e}");
    let e = PlanProblem::new(
        horizon(),
        site(),
        vec![day_template("lon")],
        vec![("chat".into(), vec![1; 24])],
        PlanRules::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("templates[0].queue"), "{e}");
    let rules = PlanRules {
        coverage: CoverageMode::Soft {
            under_penalty: f64::NAN,
            over_penalty: 1.0,
        },
        ..PlanRules::default()
    };
    let e = PlanProblem::new(
        horizon(),
        site(),
        vec![day_template("lon")],
        vec![("calls".into(), vec![1; 24])],
        rules,
    )
    .unwrap_err();
    assert!(e.to_string().contains("coverage.under_penalty"), "{e}");
    let p = PlanProblem::new(
        horizon(),
        site(),
        vec![day_template("lon")],
        vec![("calls".into(), vec![0; 24])],
        PlanRules::default(),
    )
    .unwrap();
    let bad = SolveOptions {
        time_limit_seconds: -1.0,
        ..SolveOptions::default()
    };
    let e = plan::solve(&p, &bad).unwrap_err();
    assert!(e.to_string().contains("time_limit_seconds"), "{e}");
    let empty = plan::solve(&p, &SolveOptions::default()).unwrap();
    assert_eq!(empty.cost, 0.0);
    assert!(empty.shifts.is_empty());
}

#[test]
fn rules_and_options_read_from_json() {
    let rules: PlanRules = serde_json::from_str(
        r#"{"coverage": {"mode": "soft", "under_penalty": 5, "over_penalty": 0.5},
            "site_caps": [{"site": "lon", "max_per_interval": 30}], "budget": 1000}"#,
    )
    .unwrap();
    assert_eq!(rules.site_caps[0].max_per_day, None);
    assert!(serde_json::from_str::<PlanRules>(r#"{"budgett": 1}"#).is_err());
    let o: SolveOptions =
        serde_json::from_str(r#"{"backend": "highs", "time_limit_seconds": 5}"#).unwrap();
    assert_eq!(o.backend, plan::Backend::Highs);
    assert_eq!(o.gap, 0.005);
    if !plan::Backend::Highs.available() {
        let p = PlanProblem::new(
            horizon(),
            vec![Site::new("lon", "Europe/London").unwrap()],
            vec![day_template("lon")],
            vec![("calls".into(), vec![0; 24])],
            PlanRules::default(),
        )
        .unwrap();
        let e = plan::solve(&p, &o).unwrap_err();
        assert!(matches!(e, Error::Solver { .. }), "{e}");
    }
}

/// A time limit that is not a positive finite number of seconds, or is above the documented
/// maximum (a day), is a named error from the planner and from a scenario, before any work:
/// the scenario's forecast file is never opened.
#[test]
fn bad_time_limits_are_named_errors_before_any_work() {
    let p = PlanProblem::new(
        horizon(),
        vec![Site::new("lon", "Europe/London").unwrap()],
        vec![day_template("lon")],
        vec![("calls".into(), vec![3; 24])],
        PlanRules::default(),
    )
    .unwrap();
    let max = wfm::limits::MAX_TIME_LIMIT_SECONDS;
    for bad in [
        0.0,
        -0.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        max + 1.0,
        1e20,
    ] {
        let o = SolveOptions {
            time_limit_seconds: bad,
            ..SolveOptions::default()
        };
        for e in [o.validate().unwrap_err(), plan::solve(&p, &o).unwrap_err()] {
            match &e {
                Error::Invalid { field, .. } => {
                    assert_eq!(field, "solve.time_limit_seconds", "{bad}: {e}")
                }
                other => panic!("{bad}: {other}"),
            }
        }
    }
    let at_max = SolveOptions {
        time_limit_seconds: max,
        ..SolveOptions::default()
    };
    assert!(at_max.validate().is_ok());
    let text = |limit: &str| {
        format!(
            r#"{{"name": "t",
                "horizon": {{"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1}},
                "sites": [{{"name": "lon", "zone": "Europe/London"}}],
                "queues": [{{"name": "voice", "forecast_csv": "no/such/file.csv",
                            "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}}}}],
                "templates": [{{"name": "day", "site": "lon", "queue": "voice", "paid_minutes": 480,
                               "start_windows": [{{"days": ["mon"], "from": "08:00", "to": "10:00"}}]}}],
                "solve": {{"time_limit_seconds": {limit}}}}}"#
        )
    };
    for bad in ["0", "-5", "1e20", "86401"] {
        let s = wfm::scenario::Scenario::parse(&text(bad), "t.json").unwrap();
        let e = s.prepare(std::path::Path::new(".")).unwrap_err();
        assert!(
            e.to_string().contains("solve.time_limit_seconds"),
            "{bad}: {e}"
        );
    }
    // A good limit gets as far as the missing forecast file.
    let s = wfm::scenario::Scenario::parse(&text("10"), "t.json").unwrap();
    let e = s.prepare(std::path::Path::new(".")).unwrap_err();
    assert!(e.to_string().contains("no/such/file.csv"), "{e}");
}
