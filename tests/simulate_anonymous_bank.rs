//! The Anonymous Bank log replayed through the staffing `examples/anonymous_bank.rs` plans.
//!
//! The plan covers the week after the log (forecast from February 1999). The log's last
//! full week, moved on by seven days (same weekdays and hours; no clock change falls in
//! between), is replayed against that roster: each caller arrives when it did, is served
//! for its logged service time, and a caller who hung up in queue hangs up after the wait
//! it had. Only calls inside the plan's opening hours are replayed (outside them the plan
//! has nobody); callers who hung up in the voice menu never asked for an agent and are not
//! replayed. Printed: the Erlang A prediction of the plan, the simulation with Poisson
//! arrivals and exponential times (Erlang's own assumptions, with carry-over), the replay,
//! and what the bank achieved for the same callers. `docs/simulation.md` quotes a run of
//!
//! `cargo test --release --test simulate_anonymous_bank -- --nocapture`

#[path = "../examples/anonymous_bank/pipeline.rs"]
mod pipeline;

use chrono::Duration;
use std::path::Path;
use wfm::forecast::{self, Calendar, ContactLog, ContactLogFormat};
use wfm::scenario::{simulate_roster, ReplaySpec, SimulateSpec};
use wfm::simulate::SimOptions;

const LOG: &str = "tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt";

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

fn pct(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

#[test]
fn bank_log_replayed_through_the_plan() -> wfm::Result<()> {
    let tz = wfm::time::parse_tz("tz", "Asia/Jerusalem")?;
    let format = bank_format(tz);
    let log = forecast::read_contact_log(Path::new(LOG), &format)?;
    let grid = forecast::covering_grid(&log.contacts, tz, 30)?;
    let stats = forecast::aggregate(&log.contacts, grid)?;
    let patience = forecast::mean_patience(&log.contacts)?;
    let series = stats.to_series(tz, Calendar::always_open(30))?;
    let method = forecast::method_by_name("weekly_average")?;
    let fc = forecast::forecast(&series, method.as_ref(), 7 * 48, None)?;
    let dir = std::env::temp_dir().join(format!("wfm_test_bank_sim_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let p = pipeline::plan_week(&fc, tz, patience.mean_seconds, &dir, 10.0)?;
    let h = p.prepared.horizon;

    // The week before the plan's, moved on by a week, inside opening hours.
    let week = Duration::days(7);
    let mut replay = ContactLog::default();
    let mut same_week = Vec::new();
    for (k, c) in log.contacts.iter().enumerate() {
        let at = c.arrival + week;
        if h.index_containing(at).is_some() && pipeline::open_at(at.with_timezone(&tz)) {
            let mut moved = *c;
            moved.arrival = at;
            replay.contacts.push(moved);
            replay.lines.push(log.lines[k]);
            same_week.push(*c);
        }
    }
    assert!(replay.contacts.len() > 5000, "{}", replay.contacts.len());
    let bank = pipeline::achieved(&same_week);

    // Write the moved week as a log in the bank's own format and replay it from the file.
    let moved_log = dir.join("replayed_week.tsv");
    let mut text = String::from("date\tvru_entry\tser_time\toutcome\tq_time\tq_start\n");
    for c in &replay.contacts {
        let l = c.arrival.with_timezone(&tz);
        let outcome = if c.abandoned { "HANG" } else { "AGENT" };
        let queued = if c.queue_seconds.is_some() {
            "1:00:00"
        } else {
            "0:00:00"
        };
        text.push_str(&format!(
            "{}\t{}\t{}\t{outcome}\t{}\t{queued}\n",
            l.format("%y%m%d"),
            l.format("%H:%M:%S"),
            c.handle_seconds.map_or(String::new(), |x| x.to_string()),
            c.queue_seconds.unwrap_or(0.0)
        ));
    }
    std::fs::write(&moved_log, text).map_err(|e| wfm::Error::io("replayed_week.tsv", e))?;

    let options = SimOptions {
        replications: 20,
        seed: 1999,
        ..SimOptions::default()
    };
    let poisson = simulate_roster(
        &p.prepared,
        &p.outcome.roster,
        &SimulateSpec {
            options,
            ..SimulateSpec::default()
        },
        None,
    )?;
    let replayed = simulate_roster(
        &p.prepared,
        &p.outcome.roster,
        &SimulateSpec {
            options,
            replay: Some(ReplaySpec {
                path: moved_log,
                format: format.clone(),
                queue: None,
                sort: true,
            }),
            ..SimulateSpec::default()
        },
        None,
    )?;
    let (n, before_queue) = replayed.replay.unwrap_or((0, 0));
    assert_eq!(n + before_queue, replay.contacts.len());
    assert_eq!(
        n, bank.offered,
        "the replay offers the callers who asked for an agent"
    );
    let r = &replayed.results.queues[0].total;
    assert_eq!(r.offered.mean, n as f64);
    assert!((r.answered.mean + r.abandoned.mean + r.still_waiting.mean - n as f64).abs() < 1e-6);
    let q = &poisson.results.queues[0].total;
    let predicted = p.outcome.summary.service_level.unwrap_or(f64::NAN);
    for x in [r.service_level.mean, q.service_level.mean, predicted] {
        assert!((0.0..=1.0).contains(&x), "{x}");
    }
    println!(
        "Anonymous Bank, {} .. {} (plan week), {} shifts; callers replayed: {n} ({before_queue} \
         hung up in the voice menu, not replayed)",
        wfm::time::fmt_utc(h.start()),
        wfm::time::fmt_utc(h.end()),
        p.outcome.roster.len()
    );
    println!("                                 answered within 20 s   abandoned");
    println!(
        "Erlang A prediction of the plan  {:>20}   {:>9}",
        pct(predicted),
        pct(p.predicted_abandon)
    );
    for (name, t) in [
        ("simulated, Poisson (forecast)", q),
        ("simulated, replayed log", r),
    ] {
        println!(
            "{name:<32} {:>12} ± {:.1}   {:>9} ± {:.1}",
            pct(t.service_level.mean),
            100.0 * t.service_level.half_width(),
            pct(t.abandon_share.mean),
            100.0 * t.abandon_share.half_width()
        );
    }
    println!(
        "the bank, same callers           {:>20}   {:>9}",
        pct(bank.service_level()),
        pct(bank.abandon_share())
    );
    println!(
        "offered: forecast {:.0} in opening hours ({:.0} in the week, {:.0} outside), Poisson \
         {:.0}, replayed {n}",
        p.prepared.queues[0].volume.iter().sum::<f64>(),
        p.forecast_volume,
        p.outside_volume,
        q.offered.mean
    );
    assert!(p.files.iter().all(|f| f.exists()));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
