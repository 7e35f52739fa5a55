//! The pyworkforce guide's multi-skill example, planned and simulated: 100 calls of 4
//! minutes and 50 calls of 8 minutes an hour, two skills served by the same agents, 80 %
//! answered within 20 s. Offered load: 100 × 4 / 60 + 50 × 8 / 60 = 13.3 Erlangs.
//! pyworkforce's `MultiSkillStaffing` answers 13 agents (fewer than the offered load);
//! our plan never puts less capacity than the load, and its simulated service level meets
//! the target. Run with `--nocapture` to see the figures.

use wfm::scenario::{simulate_roster, Scenario, SimulateSpec};
use wfm::simulate::SimOptions;

fn scenario() -> String {
    let hours = |v: u32| {
        let mut x = vec![0u32; 24];
        x[8..16].fill(v);
        serde_json::to_string(&x).unwrap()
    };
    format!(
        r#"{{
      "name": "pyworkforce guide, two skills",
      "horizon": {{ "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1 }},
      "sites": [ {{ "name": "s", "zone": "UTC" }} ],
      "queues": [
        {{ "name": "short", "volume": {}, "aht_seconds": 240, "shrinkage": 0,
          "targets": {{ "service_level": {{ "fraction": 0.8, "within_seconds": 20 }} }} }},
        {{ "name": "long", "volume": {}, "aht_seconds": 480, "shrinkage": 0,
          "targets": {{ "service_level": {{ "fraction": 0.8, "within_seconds": 20 }} }} }}
      ],
      "templates": [ {{ "name": "day", "site": "s", "paid_minutes": 480, "cross_midnight": false,
          "skills": [ {{ "queue": "short", "priority": 1 }}, {{ "queue": "long", "priority": 1 }} ],
          "start_windows": [ {{ "days": ["mon"], "from": "08:00", "to": "08:00" }} ] }} ]
    }}"#,
        hours(100),
        hours(50)
    )
}

#[test]
fn pooled_plan_covers_the_load_and_meets_the_target_in_simulation() {
    let p = Scenario::parse(&scenario(), "guide.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let outcome = wfm::scenario::plan(&p, None).unwrap();
    let agents = outcome.roster.len();
    let split: u32 = outcome.requirements.iter().map(|r| r.required[10]).sum();
    println!("our plan: {agents} agents; split teams need {split}");
    assert!(
        agents as f64 > 400.0 / 60.0 + 400.0 / 60.0,
        "{agents} agents"
    );
    assert!((agents as u32) < split, "pooling saves: {agents} < {split}");

    let spec = SimulateSpec {
        options: SimOptions {
            replications: 20,
            seed: 7,
            ..Default::default()
        },
        ..Default::default()
    };
    let ours = simulate_roster(&p, &outcome.roster, &spec, None).unwrap();
    let pyworkforce: Vec<_> = outcome.roster.iter().take(13).cloned().collect();
    let theirs = simulate_roster(&p, &pyworkforce, &spec, None).unwrap();
    for (who, s, n) in [("ours", &ours, agents), ("pyworkforce", &theirs, 13)] {
        let sl: Vec<String> = s
            .results
            .queues
            .iter()
            .map(|q| {
                format!(
                    "{} {:.1} % [{:.1}, {:.1}]",
                    q.name,
                    q.total.service_level.mean * 100.0,
                    q.total.service_level.ci_low * 100.0,
                    q.total.service_level.ci_high * 100.0
                )
            })
            .collect();
        println!(
            "{who}: {n} agents, simulated service level {:.1} %; {}",
            s.results.total.service_level.mean * 100.0,
            sl.join("; ")
        );
    }
    for q in &ours.results.queues {
        assert!(
            q.total.service_level.ci_high >= 0.8,
            "{}: {:?}",
            q.name,
            q.total.service_level
        );
    }
    assert!(ours.results.total.service_level.mean >= 0.8);
    // Fewer agents than Erlangs: the queue grows all day.
    assert!(theirs.results.total.service_level.mean < 0.8);
}

#[test]
fn named_agents_only_work_shifts_whose_queues_they_all_hold() {
    let mut voice = vec![0u32; 24];
    voice[8..16].fill(30);
    let mut email = vec![0u32; 24];
    email[8..12].fill(20);
    let agents: Vec<String> = (0..12)
        .map(|k| {
            let skills = if k < 6 {
                r#"["voice"]"#
            } else {
                r#"["voice", "email"]"#
            };
            format!(r#"{{ "name": "a{k}", "site": "s", "skills": {skills} }}"#)
        })
        .collect();
    let json = format!(
        r#"{{
      "name": "named multi-skill",
      "horizon": {{ "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1 }},
      "sites": [ {{ "name": "s", "zone": "UTC" }} ],
      "queues": [
        {{ "name": "voice", "volume": {}, "aht_seconds": 300, "shrinkage": 0,
          "targets": {{ "service_level": {{ "fraction": 0.8, "within_seconds": 20 }} }} }},
        {{ "name": "email", "volume": {}, "aht_seconds": 600, "shrinkage": 0,
          "channel": {{ "kind": "backlog", "deadline_minutes": 240 }} }}
      ],
      "templates": [
        {{ "name": "v", "site": "s", "queue": "voice", "paid_minutes": 480, "cross_midnight": false,
          "start_windows": [ {{ "days": ["mon"], "from": "08:00", "to": "08:00" }} ] }},
        {{ "name": "ve", "site": "s", "paid_minutes": 480, "cross_midnight": false,
          "skills": [ {{ "queue": "voice", "priority": 1 }}, {{ "queue": "email", "priority": 2 }} ],
          "start_windows": [ {{ "days": ["mon"], "from": "08:00", "to": "08:00" }} ] }}
      ],
      "agents": [ {} ]
    }}"#,
        serde_json::to_string(&voice).unwrap(),
        serde_json::to_string(&email).unwrap(),
        agents.join(", ")
    );
    let p = Scenario::parse(&json, "named.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let outcome = wfm::scenario::plan(&p, None).unwrap();
    let blend: Vec<&String> = outcome
        .roster
        .iter()
        .filter(|(_, s)| s.template == "ve")
        .map(|(a, _)| a)
        .collect();
    assert!(!blend.is_empty(), "email needs blended shifts");
    for a in blend {
        let k: usize = a[1..].parse().unwrap();
        assert!(k >= 6, "{a} holds only voice but works a voice+email shift");
    }
}

#[test]
fn simulation_check_cuts_until_every_target_is_met() {
    // Long calls at the lower priority and with a stricter target: the pooled requirement
    // (staffed at the least demanding target) leaves them short until cut.
    let text = scenario().replace(
        r#"{ "queue": "long", "priority": 1 }"#,
        r#"{ "queue": "long", "priority": 2 }"#,
    );
    let text = {
        let k = text.rfind(r#""fraction": 0.8"#).unwrap();
        format!("{}\"fraction\": 0.95{}", &text[..k], &text[k + 15..])
    };
    let p = Scenario::parse(&text, "guide.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let spec = wfm::scenario::CheckSpec {
        simulate: SimulateSpec {
            options: SimOptions {
                replications: 20,
                seed: 3,
                ..Default::default()
            },
            ..Default::default()
        },
        max_rounds: 30,
        time_limit_seconds: 600.0,
    };
    let (outcome, sim, checked) = wfm::scenario::plan_checked(&p, None, &spec).unwrap();
    println!(
        "rounds {}, raised {}, costs {:?}, misses {}",
        checked.rounds,
        checked.raised,
        checked.costs,
        checked.misses.len()
    );
    assert!(checked.rounds > 1, "the first plan misses and is cut");
    assert!(checked.raised > 0);
    assert!(checked.misses.is_empty(), "{:?}", checked.misses);
    assert_eq!(checked.costs.len() as u32, checked.rounds);
    assert_eq!(checked.costs.last().copied(), Some(outcome.summary.cost));
    // The returned simulation is the final plan's, and it misses nowhere.
    assert!(wfm::scenario::check::misses(&p, &sim).is_empty());
}

#[test]
fn simulation_check_cuts_on_an_asa_target_and_reports_what_misses() {
    // Long calls at the lower priority with a strict average speed of answer instead of a
    // service level: the pooled requirement leaves their ASA too long until cut.
    let text = scenario().replace(
        r#"{ "queue": "long", "priority": 1 }"#,
        r#"{ "queue": "long", "priority": 2 }"#,
    );
    let text = {
        let k = text
            .rfind(r#""service_level": { "fraction": 0.8, "within_seconds": 20 }"#)
            .unwrap();
        let old = r#""service_level": { "fraction": 0.8, "within_seconds": 20 }"#;
        format!("{}\"asa_seconds\": 4{}", &text[..k], &text[k + old.len()..])
    };
    let p = Scenario::parse(&text, "guide.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let spec = |max_rounds| wfm::scenario::CheckSpec {
        simulate: SimulateSpec {
            options: SimOptions {
                replications: 20,
                seed: 3,
                ..Default::default()
            },
            ..Default::default()
        },
        max_rounds,
        time_limit_seconds: 600.0,
    };
    // One round: the plan's misses are listed in the summary, with the ASA among them.
    let (outcome, _, checked) = wfm::scenario::plan_checked(&p, None, &spec(1)).unwrap();
    assert!(
        checked
            .misses
            .iter()
            .any(|m| m.metric == "asa_seconds" && m.queue == "long"),
        "{:?}",
        checked.misses
    );
    let check = outcome.summary.check.as_ref().unwrap();
    assert_eq!(check.misses.len(), checked.misses.len());
    for m in &check.misses {
        assert!(m.off_by > 0.0, "{m:?}");
        if m.metric == "asa_seconds" {
            assert!(m.ci_low > m.target, "{m:?}");
        }
    }
    // Enough rounds: every target met.
    let (outcome, _, checked) = wfm::scenario::plan_checked(&p, None, &spec(30)).unwrap();
    println!(
        "asa check: rounds {}, raised {}, costs {:?}",
        checked.rounds, checked.raised, checked.costs
    );
    assert!(checked.rounds > 1);
    assert!(checked.misses.is_empty(), "{:?}", checked.misses);
    assert!(outcome.summary.check.as_ref().unwrap().misses.is_empty());
}
