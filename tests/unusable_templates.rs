//! Templates that can never give a useful shift are accepted and named as warnings in the
//! summary and in `wfm plan`'s output (`templates[i]`, the name, why), never dropped in
//! silence; templates that can be used, or are switched off with `max_count` 0, are not.

mod cli_support;

use cli_support::{s, scratch, succeeds};

/// A Tuesday and Wednesday at a London site (no DST change), hourly, calls 08-18 every day;
/// email (backlog, 4 h deadline) arrives 09-12 only.
fn scenario() -> String {
    let mut calls = vec![0.0; 48];
    let mut email = vec![0.0; 48];
    for d in 0..2 {
        for h in 8..18 {
            calls[d * 24 + h] = 20.0;
        }
        for h in 9..12 {
            email[d * 24 + h] = 6.0;
        }
    }
    serde_json::json!({
      "name": "unusable",
      "horizon": {"start": "2027-06-08T00:00:00Z", "interval_minutes": 60, "days": 2},
      "sites": [{"name": "lon", "zone": "UTC"}],
      "queues": [
        {"name": "calls", "volume": calls, "aht_seconds": 180,
         "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}},
        {"name": "email", "volume": email, "aht_seconds": 600,
         "channel": {"kind": "backlog", "deadline_minutes": 240}}
      ],
      "templates": [
        // 0: used.
        {"name": "day", "site": "lon", "queue": "calls", "paid_minutes": 300,
         "start_windows": [{"days": ["tue", "wed"], "from": "08:00", "to": "13:00"}]},
        // 1: ten hours from 20:00 may not cross midnight: no shift at all.
        {"name": "late_ten", "site": "lon", "queue": "calls", "paid_minutes": 600,
         "start_windows": [{"days": ["tue", "wed"], "from": "20:00", "to": "22:00"}],
         "cross_midnight": false},
        // 2: Mondays only; the horizon is a Tuesday and a Wednesday.
        {"name": "monday", "site": "lon", "queue": "calls", "paid_minutes": 240,
         "start_windows": [{"days": ["mon"], "from": "08:00", "to": "12:00"}]},
        // 3: works 00:00-04:00, when calls are closed.
        {"name": "small_hours", "site": "lon", "queue": "calls", "paid_minutes": 240,
         "start_windows": [{"days": ["tue", "wed"], "from": "00:00", "to": "00:00"}]},
        // 4: switched off on purpose: not reported.
        {"name": "off", "site": "lon", "queue": "calls", "paid_minutes": 240,
         "start_windows": [{"days": ["mon"], "from": "08:00", "to": "08:00"}],
         "max_count": 0},
        // 5: email work waits from 09:00 to its 4-hour deadline: 10:00-14:00 is useful.
        {"name": "email_mid", "site": "lon", "queue": "email", "paid_minutes": 240,
         "start_windows": [{"days": ["tue", "wed"], "from": "10:00", "to": "10:00"}]},
        // 6: email at 16:00-20:00: every item is due by 15:00.
        {"name": "email_late", "site": "lon", "queue": "email", "paid_minutes": 240,
         "start_windows": [{"days": ["tue", "wed"], "from": "16:00", "to": "16:00"}]}
      ],
      "solve": {"time_limit_seconds": 20, "work": 2000}
    })
    .to_string()
}

#[test]
fn summary_names_each_template_that_can_never_be_used() {
    let p = wfm::scenario::Scenario::parse(&scenario(), "unusable.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let o = wfm::scenario::plan(&p, None).unwrap();
    let w = &o.summary.input_warnings;
    let fields: Vec<&str> = w.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "templates[1]",
            "templates[2]",
            "templates[3]",
            "templates[6]"
        ],
        "{w:#?}"
    );
    assert!(w[0].message.contains("\"late_ten\""), "{}", w[0]);
    assert!(w[0].message.contains("cross_midnight is false"), "{}", w[0]);
    assert!(w[1].message.contains("\"monday\""), "{}", w[1]);
    assert!(w[1].message.contains("no start of its windows"), "{}", w[1]);
    assert!(w[2].message.contains("\"small_hours\""), "{}", w[2]);
    assert!(w[2].message.contains("queue \"calls\""), "{}", w[2]);
    assert!(w[3].message.contains("\"email_late\""), "{}", w[3]);
    assert!(w[3].message.contains("no backlog work waiting"), "{}", w[3]);
    // The plan itself is unchanged by the warnings: no shift of an unusable template.
    for (_, s) in &o.roster {
        assert!(
            ["day", "email_mid"].contains(&s.template.as_str()),
            "{}",
            s.template
        );
    }
}

#[test]
fn wfm_plan_prints_the_warnings_and_writes_them_to_the_summary() {
    let dir = scratch("unusable");
    let path = dir.join("scenario.json");
    std::fs::write(&path, scenario()).unwrap();
    let out = dir.join("out");
    let run = succeeds(&["plan", s(&path), "--out", s(&out)]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("warning: templates[1]: template \"late_ten\" is never used"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("warning: templates[").count(), 4, "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let listed = summary["input_warnings"].as_array().unwrap();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[3]["field"], "templates[6]");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_whose_templates_all_serve_has_no_warning() {
    let mut json: serde_json::Value = serde_json::from_str(&scenario()).unwrap();
    let keep: Vec<serde_json::Value> = json["templates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| ["day", "off", "email_mid"].contains(&t["name"].as_str().unwrap()))
        .cloned()
        .collect();
    json["templates"] = serde_json::Value::Array(keep);
    let p = wfm::scenario::Scenario::parse(&json.to_string(), "fine.json")
        .unwrap()
        .prepare(std::path::Path::new("."))
        .unwrap();
    let o = wfm::scenario::plan(&p, None).unwrap();
    assert!(
        o.summary.input_warnings.is_empty(),
        "{:?}",
        o.summary.input_warnings
    );
}
