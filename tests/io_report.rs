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
        extra: Default::default(),
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
    // One required/scheduled chart per queue, one service-level chart, one Gantt per site
    // and local day with shift starts (behind the day picker).
    let days: std::collections::BTreeSet<(String, chrono::NaiveDate)> = f
        .roster
        .iter()
        .map(|(_, s)| {
            let site = f.sites.iter().find(|x| x.name == s.site).unwrap();
            (s.site.clone(), site.local(s.start).date_naive())
        })
        .collect();
    assert_eq!(h.matches("<svg").count(), f.demands.len() + 1 + days.len());
    assert_eq!(h.matches("type=\"radio\"").count(), days.len());
    assert_eq!(
        h.matches(" checked>").count(),
        f.sites.len(),
        "one day shown per site"
    );
    assert!(h.contains("2 queues · 2 sites"));
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
        extra: Default::default(),
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
        extra: Default::default(),
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

/// Plans every bundled scenario and screenshots its report at a phone and a desktop width
/// (`scripts/check-report.sh`, which needs `chromium`). CI runs it with `--ignored`.
#[test]
#[ignore = "needs the chromium package"]
fn every_bundled_scenario_renders_at_phone_and_desktop_widths() {
    let dir = temp_dir("chromium-all");
    let out = std::process::Command::new("sh")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/check-report.sh"
        ))
        .arg(&dir)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scenarios = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(said.lines().count(), 2 * scenarios, "{said}");
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
        extra: Default::default(),
    })
    .unwrap();
    assert_eq!(h.matches("No shifts at this site").count(), f.sites.len());
    assert!(
        h.contains("unbounded"),
        "ASA with nobody staffed is unbounded"
    );
}

#[test]
fn extras_give_currency_targets_unassigned_and_the_zone() {
    let f = fixture();
    let o = f.outputs();
    let unassigned = vec![f.roster[0].1.clone()];
    let targets = vec!["80 % in 20 s · occupancy ≤ 90 %".to_string(), String::new()];
    let h = report_html(&ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: o.coverage,
        roster: o.roster,
        sites: &o.sites[..1],
        service_targets: o.service_targets,
        gantt_day: None,
        generated_at: o.generated_at,
        extra: wfm::io::ReportExtras {
            currency: Some("EUR"),
            targets: &targets,
            unassigned: &unassigned,
            zone: Some("America/Chicago".parse().unwrap()),
            demands: o.demands,
            forecasts: &[],
        },
    })
    .unwrap();
    assert!(h.contains("2 queues · 1 site ·"), "plural and singular");
    assert!(
        h.contains(&format!("{} EUR", "Cost")) || h.contains(" EUR</div>"),
        "currency on the cost"
    );
    assert!(h.contains("80 % in 20 s · occupancy ≤ 90 %"));
    assert!(h.contains("Planned shifts nobody took (1)"));
    assert!(
        h.contains("America/Chicago; UTC"),
        "zone with UTC beside it"
    );
    assert!(h.contains("Interval start, America/Chicago"));
    assert!(h.contains("<h2>Days</h2>"));
    // Without extras: no currency is said to be missing.
    assert!(html().contains("no currency set"));
}

/// A three-week horizon: the lines show daily aggregates and the day labels are thinned so
/// that they never run into each other.
#[test]
fn a_long_horizon_draws_daily_aggregates_with_readable_labels() {
    let dir = temp_dir("long");
    let text = std::fs::read_to_string("examples/scenarios/single_site_week.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["horizon"]["days"] = 21.into();
    let q = &mut v["queues"][0];
    q.as_object_mut().unwrap().remove("forecast_csv");
    q["volume"] = 20.into();
    q["aht_seconds"] = 180.into();
    v["coverage"] = serde_json::json!({"mode": "soft", "under_penalty": 50, "over_penalty": 1});
    v.as_object_mut().unwrap().remove("$schema");
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("long.json");
    std::fs::write(&scenario, v.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wfm"))
        .arg("plan")
        .arg(&scenario)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(h.contains("each local day&#39;s peak") || h.contains("each local day's peak"));
    assert!(h.contains("contact-weighted service level"));
    // The first chart's day labels: fewer than the 21 days, at least 90 px apart.
    let chart = &h[h.find("<svg").unwrap()..h.find("</svg>").unwrap()];
    let xs: Vec<f64> = chart
        .match_indices("class=\"tick\" text-anchor=\"middle\">")
        .map(|(k, _)| {
            let before = &chart[..k];
            let x = before.rfind("<text x=\"").unwrap() + 9;
            before[x..].split('"').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(xs.len() >= 4 && xs.len() < 21, "{xs:?}");
    assert!(xs.windows(2).all(|w| w[1] - w[0] >= 89.0), "{xs:?}");
    let _ = std::fs::remove_dir_all(&dir);
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
        extra: Default::default(),
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

#[test]
fn backlog_curve_and_skill_mix_sections_show_their_numbers() {
    let f = fixture();
    let o = f.outputs();
    let mut coverage = o.coverage.clone();
    let n = coverage.horizon.len();
    let q = coverage.queues.len() - 1;
    let mut waiting = vec![0.0; n];
    let mut late = vec![0.0; n];
    waiting[3] = 12.5;
    late[4] = 2.5;
    coverage.backlog = vec![wfm::evaluate::BacklogCurve {
        queue: q,
        deadline_intervals: 4,
        capacity: vec![1.5; n],
        work_done_hours: vec![0.75; n],
        work_waiting_hours: vec![0.0; n],
        items_waiting: waiting,
        items_allowed: vec![20.0; n],
        late_items: late,
    }];
    coverage.skill_mix = Some(wfm::evaluate::SkillMix {
        groups: vec![
            wfm::evaluate::SkillGroup {
                site: "north <1>".into(),
                template: "blend".into(),
                queues: vec!["voice".into(), "email".into()],
                agent_hours: 1234.5,
            },
            wfm::evaluate::SkillGroup {
                site: "north <1>".into(),
                template: "voice_only".into(),
                queues: vec!["voice".into()],
                agent_hours: 411.5,
            },
        ],
        multi_skill_share: (0..=q)
            .map(|k| if k == q { Some(0.4) } else { None })
            .collect(),
    });
    let h = report_html(&ReportInput {
        scenario: o.scenario,
        summary: o.summary,
        coverage: &coverage,
        roster: o.roster,
        sites: o.sites,
        service_targets: o.service_targets,
        gantt_day: None,
        generated_at: o.generated_at,
        extra: Default::default(),
    })
    .unwrap();
    let name = &coverage.queues[q].name;
    assert!(h.contains("<h2>Backlog</h2>"));
    assert!(h.contains(&format!(
        "{}: backlog items waiting",
        wfm::io::escape_html(name)
    )));
    assert!(h.contains("items waiting 12.5 (at most 20.0 without lateness)"));
    assert!(h.contains("became late 2.5"), "late items in the tooltip");
    assert!(h.contains("Items became late"), "late intervals shaded");
    assert!(h.contains(" h (4 intervals)"), "deadline");
    assert!(h.contains("<h2>Skill mix</h2>"));
    assert!(
        h.contains("<td>1,234.5</td><td>75.0%</td>"),
        "hours and share"
    );
    assert!(h.contains("north &lt;1&gt;"), "site escaped");
    assert!(h.contains("<td>voice, email</td>"));
    assert!(h.contains("<td>40.0%</td>"), "multi-skill share");
    for bad in ["<script", "<link", "<img", "url(", "src=", "href="] {
        assert!(!h.contains(bad), "report contains {bad}");
    }
    // Without backlog queues or multi-skill templates, neither section is drawn.
    let plain = html();
    assert!(!plain.contains("<h2>Backlog</h2>") && !plain.contains("<h2>Skill mix</h2>"));
}
