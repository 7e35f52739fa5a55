//! The Anonymous Bank example's library path on the bundled copy of the log: estimate,
//! forecast a week, build the scenario, plan, roster, evaluate and write the outputs; then
//! check invariants of the result (no timing assertions).

#[path = "../examples/anonymous_bank/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};
use wfm::forecast::{self, Calendar, ContactLogFormat};
use wfm::plan::CoverageMode;

fn bank_format(tz: chrono_tz::Tz) -> ContactLogFormat {
    let mut format = ContactLogFormat::new("vru_entry");
    format.delimiter = b'\t';
    format.date_column = Some("date".into());
    format.date_format = "%y%m%d".into();
    format.tz = tz;
    format.handle_column = Some("ser_time".into());
    format.abandoned = Some(("outcome".into(), vec!["HANG".into()]));
    format.queue_column = Some("q_time".into());
    format.not_queued = Some(("q_start".into(), vec!["0:00:00".into()]));
    format.exclude = Some(("outcome".into(), vec!["PHANTOM".into()]));
    format
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wfm_test_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn bank_log_to_plan() -> wfm::Result<()> {
    let tz = wfm::time::parse_tz("tz", "Asia/Jerusalem")?;
    let log = forecast::read_contact_log(
        Path::new("tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt"),
        &bank_format(tz),
    )?;
    let grid = forecast::covering_grid(&log.contacts, tz, 30)?;
    let stats = forecast::aggregate(&log.contacts, grid)?;
    let patience = forecast::mean_patience(&log.contacts)?;
    assert!(patience.mean_seconds > 0.0 && patience.mean_seconds.is_finite());
    let series = stats.to_series(tz, Calendar::always_open(30))?;
    let method = forecast::method_by_name("weekly_average")?;
    let fc = forecast::forecast(&series, method.as_ref(), 7 * 48, None)?;

    let dir = out_dir("anonymous_bank");
    let p = pipeline::plan_week(&fc, tz, patience.mean_seconds, &dir, 10.0)?;

    // The scenario is hard coverage and planned every interval with volume.
    assert_eq!(p.prepared.rules.coverage, CoverageMode::Hard);
    let queue = &p.prepared.queues[0];
    let req = &p.outcome.requirements[0];
    let cov = &p.outcome.coverage.queues[0];
    assert_eq!(req.required.len(), p.prepared.horizon.len());
    let mut open_volume = 0.0;
    for (i, t) in p.prepared.horizon.starts().enumerate() {
        let v = queue.volume[i];
        let open = pipeline::open_at(t.with_timezone(&tz));
        if !open {
            assert_eq!(v, 0.0, "interval {i} is closed but has volume");
        }
        if v > 0.0 {
            open_volume += v;
            assert!(req.required[i] > 0, "interval {i}: volume {v}, required 0");
        }
        assert!(
            cov.cells[i].scheduled >= cov.cells[i].required,
            "interval {i}: scheduled {} < required {}",
            cov.cells[i].scheduled,
            cov.cells[i].required
        );
    }
    // Nothing lost: the planned volume plus the volume outside opening hours is the forecast.
    let total: f64 = fc.volume.iter().sum();
    assert!((open_volume + p.outside_volume - total).abs() < 1e-6 * total.max(1.0));
    assert!((p.forecast_volume - total).abs() < 1e-6 * total.max(1.0));

    // Hard coverage met everywhere: the predicted service level meets the target.
    let s = &p.outcome.summary;
    assert_eq!(s.understaffed_intervals, 0);
    let sl = s.service_level.unwrap_or(0.0);
    assert!(sl >= pipeline::TARGET_FRACTION, "service level {sl}");
    assert!((0.0..=1.0).contains(&p.predicted_abandon));
    assert!(s.cost > 0.0 && s.lower_bound.unwrap_or(f64::INFINITY) <= s.cost + 1e-6);
    assert!(s.scheduled_agent_hours >= s.required_agent_hours);

    // Every output exists and is not empty; the scenario written there loads again.
    for name in [
        pipeline::SCENARIO_FILE,
        pipeline::FORECAST_FILE,
        "requirements.csv",
        "plan.csv",
        "roster.csv",
        "coverage.csv",
        "summary.json",
        "report.html",
    ] {
        let f = dir.join(name);
        let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{} missing or empty", f.display());
    }
    assert!(p.files.iter().all(|f| f.exists()));
    let again = wfm::scenario::Scenario::load(&dir.join(pipeline::SCENARIO_FILE))?;
    assert_eq!(again.queues[0].volume, queue.volume);

    // The bank's own record is counted over callers who asked for an agent.
    let bank = pipeline::achieved(&log.contacts);
    assert_eq!(bank.abandoned, patience.abandoned);
    assert!(bank.answered_within + bank.abandoned <= bank.offered);
    assert!(bank.offered <= log.contacts.len());
    assert!((0.0..=1.0).contains(&bank.service_level()));
    assert!((0.0..=1.0).contains(&bank.abandon_share()));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
