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
    // A third of the work the whole run did: the run ends by its work count, part-way
    // through the search, at the same point with one thread or two.
    p.solve.work = Some(whole.work / 3);
    let one = run(&p, 1);
    let two = run(&p, 2);
    assert!(!one.cut && !two.cut);
    assert_eq!(one.work, two.work);
    assert!(
        one.work >= whole.work / 3 && one.work < whole.work,
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

/// An agent whose pricing gives up (too many states) ends the round on every thread: the
/// agents after it are skipped, not priced (each such agent costs seconds and hundreds of
/// megabytes on a real scenario), and the error names an agent that gave up.
#[test]
fn an_agent_whose_pricing_gives_up_stops_every_pricing_thread() {
    use price::Priced;
    let p = example("named_agents.json");
    let problem = crate::scenario::run::named_problem_of(&p).unwrap();
    let mut model = model::Model::build(&problem, &p.agents).unwrap();
    model.max_labels = 20;
    model.threads = 2;
    let priced = master::price_all(&model, &lagrange::zero(&model), &|| false).unwrap();
    assert_eq!(priced.len(), model.agents.len());
    let gave_up: Vec<usize> = (0..priced.len())
        .filter(|&a| matches!(priced[a], Priced::TooLarge))
        .collect();
    // One agent a thread at most: each stops at its first, and the other at its next.
    assert!(!gave_up.is_empty() && gave_up.len() <= 2, "{gave_up:?}");
    assert!(priced
        .iter()
        .all(|x| matches!(x, Priced::TooLarge | Priced::Skipped)));
    match master::refusal(&model, &priced) {
        Some(crate::Error::Invalid { field, reason }) => {
            assert_eq!(field, format!("agents[{}]", model.agents[gave_up[0]].spec));
            assert!(reason.contains("more than 20 schedule states"), "{reason}");
        }
        other => panic!("expected the agent's error, got {other:?}"),
    }
}
