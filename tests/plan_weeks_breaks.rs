//! The bundled single-site weeks with breaks: each plan within 0.5 % of its bound (the
//! default target gap) or proven optimal, and the chat-and-voice week proven optimal when
//! no gap is allowed (the MIP's bound meets the plan). Time limits are generous, so the
//! result does not depend on how busy the machine is; the times are measured in the README.

use std::path::{Path, PathBuf};
use wfm::scenario::{self, Scenario};

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios")
        .join(name)
}

/// The scenario's plan of numbered agents (named agents, when the file has some, are left
/// out: their schedule is the roster solver's), with the given target gap.
fn plan(name: &str, gap: f64) -> wfm::evaluate::Summary {
    let mut p = Scenario::load(&bundled(name)).unwrap();
    p.agents.clear();
    p.solve.gap = gap;
    p.solve.time_limit_seconds = 600.0;
    let out = scenario::plan(&p, None).unwrap();
    assert_eq!(out.summary.understaffed_intervals, 0, "{name}");
    assert_eq!(out.summary.unassigned_shifts, 0, "{name}");
    out.summary
}

#[test]
fn every_bundled_single_site_week_with_breaks_is_within_half_a_percent() {
    for name in [
        "single_site_week.json",
        "chat_voice.json",
        "bank_holiday.json",
        "named_agents.json",
    ] {
        let p = Scenario::load(&bundled(name)).unwrap();
        assert_eq!(p.sites.len(), 1, "{name} is a single-site week");
        assert_eq!(
            p.horizon.len() * p.horizon.interval_minutes() as usize,
            7 * 24 * 60
        );
        assert!(p.templates.iter().any(|t| !t.breaks.is_empty()), "{name}");
        let s = plan(name, 0.005);
        let (bound, gap) = (s.lower_bound.unwrap(), s.gap.unwrap());
        assert!(s.cost >= bound - 1e-6, "{name}: {} below {bound}", s.cost);
        assert!(gap <= 0.005, "{name}: gap {gap}");
        assert!(
            (s.status == "optimal") == (gap <= 1e-9),
            "{name}: status {} at gap {gap}",
            s.status
        );
        assert!(["optimal", "within_gap"].contains(&s.status.as_str()));
    }
}

/// With the default 0.5 % the planner stops at 3 204 paid hours, 0.25 % above the bound
/// 3 196; asked for no gap, the day blocks' MIPs find 3 196 and prove it.
#[test]
fn chat_voice_week_is_proven_optimal_when_no_gap_is_allowed() {
    let s = plan("chat_voice.json", 0.0);
    assert_eq!(s.status, "optimal");
    assert_eq!(s.gap, Some(0.0));
    assert_eq!(s.lower_bound, Some(s.cost));
    assert_eq!(s.cost, 3196.0);
}
