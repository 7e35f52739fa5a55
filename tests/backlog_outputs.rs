//! The outputs of backlog queues come from the replay of the roster: a day with voice and
//! two backlog queues (email, tickets) served by the same blended agents. The work done and
//! waiting adds up to the work that arrived, no agent-interval serves both backlog queues,
//! the KPIs of `coverage.csv` follow from the replay's columns, and `kpis_long.csv` carries
//! the same numbers.

use std::collections::BTreeMap;
use std::process::Command;

fn scenario() -> String {
    let hours = |v: u32, from: usize, to: usize| {
        let mut x = vec![0u32; 48];
        for d in 0..2 {
            x[24 * d + from..24 * d + to].fill(v);
        }
        serde_json::to_string(&x).unwrap()
    };
    format!(
        r#"{{
      "name": "email and tickets on shared agents",
      "horizon": {{ "start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 2 }},
      "sites": [ {{ "name": "s", "zone": "UTC" }} ],
      "queues": [
        {{ "name": "voice", "volume": {}, "aht_seconds": 300, "shrinkage": 0.2,
          "targets": {{ "service_level": {{ "fraction": 0.8, "within_seconds": 20 }} }} }},
        {{ "name": "email", "volume": {}, "aht_seconds": 600, "shrinkage": 0.2,
          "channel": {{ "kind": "backlog", "deadline_minutes": 240 }} }},
        {{ "name": "tickets", "volume": {}, "aht_seconds": 900, "shrinkage": 0.2,
          "channel": {{ "kind": "backlog", "deadline_minutes": 480 }} }}
      ],
      "templates": [
        {{ "name": "v", "site": "s", "queue": "voice", "paid_minutes": 480, "cross_midnight": false,
          "start_windows": [ {{ "days": ["mon", "tue"], "from": "06:00", "to": "12:00" }} ] }},
        {{ "name": "blend", "site": "s", "paid_minutes": 480, "cross_midnight": false,
          "skills": [ {{ "queue": "voice", "priority": 1 }}, {{ "queue": "email", "priority": 2 }},
                      {{ "queue": "tickets", "priority": 3 }} ],
          "start_windows": [ {{ "days": ["mon", "tue"], "from": "06:00", "to": "12:00" }} ] }}
      ],
      "solve": {{ "time_limit_seconds": 20 }}
    }}"#,
        hours(40, 8, 18),
        hours(24, 8, 17),
        hours(6, 9, 16)
    )
}

fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

#[test]
fn backlog_kpis_come_from_the_replay_of_the_roster() {
    let dir = std::env::temp_dir().join(format!("wfm-backlog-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scenario.json");
    std::fs::write(&path, scenario()).unwrap();
    let out = dir.join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );

    let (h, rows) = read_csv(&out.join("coverage.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let f = |r: &Vec<String>, n: &str| r[col(n)].parse::<f64>().unwrap();
    // Blended agents working per interval, from roster.csv.
    let (rh, roster) = read_csv(&out.join("roster.csv"));
    let tcol = rh.iter().position(|c| c == "template").unwrap();
    let at = |n: &str| rh.iter().position(|c| c == n).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2027-03-08T00:00:00Z").unwrap();
    let hour = |s: &str| (chrono::DateTime::parse_from_rfc3339(s).unwrap() - start).num_hours();
    // The templates have no breaks: an agent works every hour from start to end.
    let mut blended = vec![0.0; 48];
    for r in roster.iter().filter(|r| r[tcol] == "blend") {
        for t in hour(&r[at("start_utc")])..hour(&r[at("end_utc")]) {
            blended[t as usize] += 1.0;
        }
    }
    let mut by_queue: BTreeMap<String, Vec<&Vec<String>>> = BTreeMap::new();
    for r in &rows {
        by_queue.entry(r[col("queue")].clone()).or_default().push(r);
    }
    for r in &by_queue["voice"] {
        assert_eq!(
            r[col("backlog_items_waiting")],
            "",
            "live queues have no replay"
        );
    }
    let mut capacity_used = vec![0.0; 48];
    for (queue, aht, deadline) in [("email", 600.0, 4), ("tickets", 900.0, 8)] {
        let rs = &by_queue[queue];
        assert_eq!(rs.len(), 48);
        let arrived: f64 = rs.iter().map(|r| f(r, "volume") * aht / 3600.0).sum();
        let done: f64 = rs.iter().map(|r| f(r, "backlog_work_done_hours")).sum();
        let left = f(rs[47], "backlog_work_waiting_hours");
        assert!(
            (arrived - done - left).abs() < 1e-4,
            "{queue}: {arrived} arrived, {done} done, {left} left"
        );
        let mut window = Vec::new();
        for (t, r) in rs.iter().enumerate() {
            // Handling hours done are at most the productive hours of the agents left.
            let cap = f(r, "backlog_capacity_agents");
            let done = f(r, "backlog_work_done_hours");
            assert!(done <= cap * 0.8 + 1e-6, "{queue} {t}: {done} > {cap}");
            capacity_used[t] += done / 0.8;
            let occ = f(r, "occupancy");
            if cap > 0.0 {
                assert!(
                    (occ - done / (cap * 0.8)).abs() < 1e-5,
                    "{queue} {t} occupancy"
                );
            }
            // The deadline line: the items of the last `deadline` intervals.
            window.push(f(r, "volume"));
            let allowed: f64 = window.iter().rev().take(deadline).sum();
            assert!((f(r, "backlog_items_allowed") - allowed).abs() < 1e-6);
            // Service level of the interval: none of its items late (a plan finishes all).
            if f(r, "volume") > 0.0 {
                assert_eq!(f(r, "service_level"), 1.0, "{queue} {t}");
            }
            assert_eq!(f(r, "backlog_late_items"), 0.0, "{queue} {t}");
        }
    }
    // The two backlog queues never share an agent-interval: together they use at most the
    // blended agents working.
    for (t, used) in capacity_used.iter().enumerate() {
        assert!(
            *used <= blended[t] + 1e-6,
            "interval {t}: {used} > {}",
            blended[t]
        );
    }

    // kpis_long.csv carries the same replay figures.
    let (kh, krows) = read_csv(&out.join("kpis_long.csv"));
    let m = kh.iter().position(|c| c == "metric").unwrap();
    let v = kh.iter().position(|c| c == "value").unwrap();
    let q = kh.iter().position(|c| c == "queue").unwrap();
    let t = kh.iter().position(|c| c == "interval_start_utc").unwrap();
    let mut long = BTreeMap::new();
    for r in &krows {
        long.insert((r[t].clone(), r[q].clone(), r[m].clone()), r[v].clone());
    }
    for r in &by_queue["tickets"] {
        let key = |metric: &str| {
            (
                r[col("interval_start_utc")].clone(),
                "tickets".to_string(),
                metric.to_string(),
            )
        };
        let a: f64 = long[&key("backlog_work_done_hours")].parse().unwrap();
        assert!((a - f(r, "backlog_work_done_hours")).abs() < 1e-5);
        let b: f64 = long[&key("backlog")].parse().unwrap();
        assert!((b - f(r, "backlog_items_waiting")).abs() < 1e-5);
    }
    assert!(!long
        .keys()
        .any(|(_, q, m)| q == "voice" && m.starts_with("backlog")));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h2>Backlog</h2>") && report.contains("<h2>Skill mix</h2>"));
    let _ = std::fs::remove_dir_all(&dir);
}
