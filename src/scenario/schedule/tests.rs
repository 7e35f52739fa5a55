//! The scheduler's pace: the meter counts the same work with any number of pricing
//! threads, and a run that its work ends gives the same roster whatever its time limit.

use super::*;
use crate::scenario::Scenario;
use std::path::Path;

fn example(name: &str) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios")
        .join(name);
    Scenario::load(&path).unwrap()
}

/// A run of `p` on `threads` pricing threads under an hour's limit.
fn run(p: &Prepared, threads: usize) -> Scheduled {
    let problem = crate::scenario::run::named_problem_of(p).unwrap();
    let clock = Budget::from_seconds(3600.0, None);
    schedule_on(p, &problem, &clock, None, Some(threads)).unwrap()
}

/// The roster of `s` as text (agent, template, start, break placement).
fn roster(s: &Scheduled) -> Vec<String> {
    s.roster.iter().map(|(a, x)| format!("{a} {x:?}")).collect()
}

#[test]
fn the_meter_counts_the_same_with_one_and_two_threads_and_its_work_ends_the_run() {
    let mut p = example("named_agents.json");
    let whole = run(&p, 2);
    assert!(!whole.cut);
    assert!(whole.work > 10, "{} units", whole.work);
    // Half the work the whole run did: the run ends by its work count, part-way
    // through the search, at the same point with one thread or two.
    p.solve.work = Some(whole.work / 2);
    let one = run(&p, 1);
    let two = run(&p, 2);
    assert!(!one.cut && !two.cut);
    assert_eq!(one.work, two.work);
    assert!(
        one.work >= whole.work / 2 && one.work < whole.work,
        "{}",
        one.work
    );
    assert_eq!(roster(&one), roster(&two));
    assert_eq!(one.objective.to_bits(), two.objective.to_bits());
    assert_eq!(one.bound.to_bits(), two.bound.to_bits());
    assert_eq!((one.rounds, one.passes), (two.rounds, two.passes));
    // Less work, no better roster than the whole run's.
    assert!(one.objective >= whole.objective - 1e-9);
}
