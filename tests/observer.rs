//! One observer type for every solve: the roster solver and the named agents' scheduler
//! tell the planner's [`wfm::plan::Observer`] of each better roster, each raised bound and
//! the end, in order, and what they decide does not depend on whether anyone listens.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wfm::plan::{Observer, PlanEvent};
use wfm::roster::{self, curtois, Options};
use wfm::scenario::{plan, Scenario};

fn recorder() -> (Observer, Arc<Mutex<Vec<PlanEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let obs: Observer = Arc::new(move |e: &PlanEvent| log.lock().unwrap().push(e.clone()));
    (obs, seen)
}

#[test]
fn roster_progress_reaches_the_observer_in_order() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/curtois/Instance2.txt");
    let problem = curtois::read(&path).unwrap();
    let options = Options {
        time_limit: Duration::from_secs(3600),
        work: Some(3000),
        threads: 1,
        ..Options::default()
    };
    let (obs, seen) = recorder();
    let observed = roster::solve_observed(&problem, &options, Some(obs)).unwrap();
    let plain = roster::solve(&problem, &options).unwrap();
    assert_eq!(
        observed.roster.shifts, plain.roster.shifts,
        "the observer changed the roster"
    );
    assert_eq!(observed.objective, plain.objective);

    let events = seen.lock().unwrap().clone();
    // Every improvement the solution lists was told, in the same order.
    let told: Vec<(usize, i64, &str)> = events
        .iter()
        .filter_map(|e| match e {
            PlanEvent::RosterImproved {
                objective,
                violations,
                by,
                ..
            } => Some((*violations, *objective as i64, *by)),
            _ => None,
        })
        .collect();
    let listed: Vec<(usize, i64, &str)> = observed
        .progress
        .iter()
        .map(|p| (p.violations, p.objective, p.by))
        .collect();
    assert!(!told.is_empty());
    assert_eq!(told, listed);
    assert!(told.windows(2).all(|w| (w[1].0, w[1].1) < (w[0].0, w[0].1)));
    // Bounds only rise, and the last event is the end with the solution's own figures.
    let bounds: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            PlanEvent::BoundRaised { lower_bound, .. } => Some(*lower_bound),
            _ => None,
        })
        .collect();
    assert!(bounds.windows(2).all(|w| w[1] > w[0]));
    match events.last() {
        Some(PlanEvent::Done {
            objective,
            lower_bound,
            ..
        }) => {
            assert_eq!(*objective, observed.objective as f64);
            if let Some(b) = observed.lower_bound {
                assert_eq!(*lower_bound, b as f64);
            }
        }
        other => panic!("the last event is not the end: {other:?}"),
    }
}

#[test]
fn named_agents_progress_reaches_the_observer() {
    let json = r#"{
  "name": "observer test",
  "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 7},
  "sites": [{"name": "s", "zone": "Europe/London"}],
  "queues": [{"name": "voice", "volume": VOLUME, "aht_seconds": 300,
              "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}},
              "shrinkage": 0.0}],
  "templates": [{"name": "day", "site": "s", "queue": "voice", "paid_minutes": 480,
    "start_windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"],
                       "from": "07:00", "to": "11:00"}]}],
  "solve": {"time_limit_seconds": 60},
  "agents": AGENTS
}"#;
    let volume: Vec<String> = (0..7 * 24)
        .map(|i| {
            if (8..18).contains(&(i % 24)) {
                "6"
            } else {
                "0"
            }
            .to_string()
        })
        .collect();
    let agents: Vec<String> = (0..6)
        .map(|k| {
            format!(
                r#"{{"name": "a{k}", "site": "s", "skills": ["voice"],
                    "contract": {{"max_hours": 40, "min_hours": 0}}}}"#
            )
        })
        .collect();
    let json = json
        .replace("VOLUME", &format!("[{}]", volume.join(",")))
        .replace("AGENTS", &format!("[{}]", agents.join(",")));
    let prepared = Scenario::parse(&json, "observer.json")
        .unwrap()
        .prepare(Path::new("."))
        .unwrap();
    let (obs, seen) = recorder();
    let observed = plan(&prepared, Some(obs)).unwrap();
    let plain = plan(&prepared, None).unwrap();
    assert_eq!(
        observed.roster, plain.roster,
        "the observer changed the roster"
    );

    let events = seen.lock().unwrap().clone();
    let improved: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            PlanEvent::RosterImproved { objective, .. } => Some(*objective),
            _ => None,
        })
        .collect();
    assert!(!improved.is_empty(), "no roster was told: {events:?}");
    assert!(improved.windows(2).all(|w| w[1] < w[0]));
    assert!(events
        .iter()
        .any(|e| matches!(e, PlanEvent::BoundRaised { .. })));
    match events.last() {
        Some(PlanEvent::Done { objective, .. }) => {
            let last = improved.last().copied().unwrap_or(f64::NAN);
            assert!(
                (objective - last).abs() < 1e-6,
                "{objective} against {last}"
            );
            assert!((objective - observed.summary.cost).abs() < 1e-6);
        }
        other => panic!("the last event is not the end: {other:?}"),
    }
}
