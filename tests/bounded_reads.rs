//! Every reader of a user's file stops at its documented size cap: an endless file
//! (`/dev/zero`) is a named error, not unbounded memory.

use std::path::Path;

fn endless() -> Option<&'static Path> {
    let p = Path::new("/dev/zero");
    p.exists().then_some(p)
}

fn assert_capped(result: wfm::Result<impl std::fmt::Debug>, what: &str) {
    let err = result.expect_err("an endless file must be refused");
    let msg = err.to_string();
    assert!(
        msg.contains("/dev/zero") && msg.contains("at most"),
        "{what}: {msg}"
    );
}

#[test]
fn outside_forecasts_and_special_days_are_capped() {
    let Some(zero) = endless() else { return };
    assert_capped(wfm::forecast::read_forecast(zero), "forecast");
    assert_capped(wfm::forecast::read_special_days(zero), "special days");
}

#[test]
fn a_roster_for_a_scenario_is_capped() {
    let Some(zero) = endless() else { return };
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/single_site_week.json");
    let prepared = wfm::scenario::Scenario::load(&scenario).expect("the bundled scenario loads");
    assert_capped(wfm::scenario::read_roster_for(&prepared, zero), "roster");
}
