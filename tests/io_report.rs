//! report.html: self-contained, escaped, one chart per queue and site, tooltips; and (ignored
//! by default, needs the `chromium` package) a headless Chromium screenshot.

mod io_support;

use io_support::{fixture, temp_dir};
use wfm::io::{report_html, write_all, ReportInput};

fn html() -> String {
    let f = fixture();
    let o = f.outputs();
    report_html(&ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: o.coverage,
        roster: o.roster,
        sites: o.sites,
        service_targets: o.service_targets,
        gantt_day: None,
        generated_at: o.generated_at,
    })
    .unwrap()
}

#[test]
fn page_is_self_contained() {
    let h = html();
    assert!(h.starts_with("<!DOCTYPE html>"));
    for bad in [
        "<script", "<link", "<img", "@import", "url(", "src=", "href=",
    ] {
        assert!(!h.contains(bad), "report contains {bad}");
    }
    // The only URL is the SVG namespace name, which is never fetched.
    let urls = h.matches("http").count();
    assert_eq!(
        urls,
        h.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
}

#[test]
fn page_has_headlines_charts_and_tooltips() {
    let f = fixture();
    let h = html();
    assert!(h.contains("<title>Staffing plan — Test &lt;week&gt; &amp; co</title>"));
    assert!(!h.contains("<week>"), "scenario name is escaped");
    for label in [
        "Cost",
        "Paid hours",
        "Gap to bound",
        "Service level",
        "Understaffed intervals",
    ] {
        assert!(h.contains(label), "{label}");
    }
    // One required/scheduled chart per queue, one service-level chart, one Gantt per site.
    assert_eq!(
        h.matches("<svg").count(),
        f.demands.len() + 1 + f.sites.len()
    );
    assert!(h.contains("chat, &quot;web&quot;"));
    // A tooltip per interval and queue, plus one per interval on the service-level chart.
    let tips = h.matches("<rect").count();
    assert!(tips >= f.horizon.len() * (f.demands.len() + 1), "{tips}");
    assert!(h.contains("required 2, scheduled"));
    // Gantt axes are labelled in each site's zone.
    assert!(h.contains("Local time, America/New_York"));
    assert!(h.contains("Local time, Asia/Manila"));
    assert!(h.contains("target 80% (voice)"));
}

#[test]
fn gantt_day_can_be_chosen() {
    let f = fixture();
    let o = f.outputs();
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
    let h = report_html(&ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: o.coverage,
        roster: o.roster,
        sites: o.sites,
        service_targets: o.service_targets,
        gantt_day: Some(day),
        generated_at: o.generated_at,
    })
    .unwrap();
    assert!(h.contains("Sunday 14 March 2027"));
    // The US spring-forward day is 23 hours long in New York.
    assert!(h.contains("23 hours long"), "DST day length shown");
}

#[test]
fn bad_service_target_is_named() {
    let f = fixture();
    let o = f.outputs();
    let e = report_html(&ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: o.coverage,
        roster: o.roster,
        sites: o.sites,
        service_targets: &[Some(f64::NAN)],
        gantt_day: None,
        generated_at: o.generated_at,
    })
    .unwrap_err();
    assert!(e.to_string().contains("service_targets[0]"), "{e}");
}

/// Renders the report with headless Chromium through `scripts/render-report.sh`.
/// Run with `cargo test --test io_report -- --ignored` on a machine with `chromium`.
#[test]
#[ignore = "needs the chromium package"]
fn renders_in_headless_chromium() {
    let f = fixture();
    let dir = temp_dir("chromium");
    write_all(&dir, &f.outputs()).unwrap();
    let png = dir.join("report.png");
    let status = std::process::Command::new("sh")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/render-report.sh"
        ))
        .arg(dir.join("report.html"))
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        bytes.len() > 20_000,
        "a page with charts, not a blank image: {} bytes",
        bytes.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_roster_still_gives_a_page() {
    let f = fixture();
    let empty: Vec<(String, wfm::shifts::ShiftInstance)> = Vec::new();
    let cov = wfm::evaluate::evaluate(
        &f.horizon,
        &f.demands,
        &f.routing,
        &empty,
        &io_support::toy_kpi,
    )
    .unwrap();
    let facts = wfm::evaluate::PlanFacts {
        cost: 0.0,
        lower_bound: None,
        gap: None,
        status: "evaluated".into(),
        solve_seconds: 0.0,
    };
    let summary = wfm::evaluate::summarize("empty", &cov, &f.demands, &empty, &facts).unwrap();
    assert_eq!(
        summary.understaffed_intervals,
        f.demands
            .iter()
            .flat_map(|d| &d.required)
            .filter(|&&r| r > 0)
            .count()
    );
    let h = report_html(&ReportInput {
        scenario: "empty",
        summary: &summary,
        coverage: &cov,
        roster: &empty,
        sites: &f.sites,
        service_targets: &[],
        gantt_day: None,
        generated_at: f.outputs().generated_at,
    })
    .unwrap();
    assert_eq!(h.matches("No shifts at this site").count(), f.sites.len());
    assert!(
        h.contains("unbounded"),
        "ASA with nobody staffed is unbounded"
    );
}

/// The report of `n` shifts starting the same local day at one site.
fn crowded_report(n: usize) -> String {
    let f = fixture();
    let roster: Vec<(String, wfm::shifts::ShiftInstance)> = (0..n)
        .map(|k| {
            (
                format!("agent {k:05}"),
                io_support::shift("New York", "day", 13 + (k % 6) as i64, 8, false),
            )
        })
        .collect();
    let cov = wfm::evaluate::evaluate(
        &f.horizon,
        &f.demands,
        &f.routing,
        &roster,
        &io_support::toy_kpi,
    )
    .unwrap();
    let facts = wfm::evaluate::PlanFacts {
        cost: 0.0,
        lower_bound: None,
        gap: None,
        status: "evaluated".into(),
        solve_seconds: 0.0,
    };
    let summary = wfm::evaluate::summarize("crowded", &cov, &f.demands, &roster, &facts).unwrap();
    report_html(&ReportInput {
        scenario: "crowded",
        summary: &summary,
        coverage: &cov,
        roster: &roster,
        sites: &f.sites,
        service_targets: &[],
        gantt_day: None,
        generated_at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 3, 1, 8, 0, 0)
            .unwrap(),
    })
    .unwrap()
}

/// A large roster's Gantt chart draws at most `MAX_GANTT_BARS` shifts and says so, so the
/// page stays the same size however many shifts there are.
#[test]
fn the_gantt_chart_draws_a_bounded_number_of_shifts() {
    let max = wfm::io::MAX_GANTT_BARS;
    let small = crowded_report(max);
    assert!(small.contains(&format!("{max} shifts start this day")));
    assert!(!small.contains("The chart draws the first"));
    assert!(small.contains("agent 00299"));
    let big = crowded_report(10 * max);
    assert!(big.contains(&format!("{} shifts start this day", 10 * max)));
    assert!(
        big.contains(&format!(
            "The chart draws the first {max} of these {} shifts",
            10 * max
        )),
        "the note says what was left out"
    );
    assert!(
        !big.contains("agent 02999"),
        "shifts beyond the cap are not drawn"
    );
    assert!(
        big.len() < small.len() + small.len() / 5,
        "{} bytes for {} shifts vs {} for {max}",
        big.len(),
        10 * max,
        small.len()
    );
}
