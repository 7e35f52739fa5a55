//! Scenarios of absurd size: lists of sites, queues, templates or agents far beyond any
//! operation, with the one bad entry last. Each is refused with an error naming the list
//! (or the bad entry's place), after work that grows with the file, not with its square:
//! the checks of names and references use look-ups, not a scan of every other entry.

use serde_json::{json, Value};
use std::path::Path;
use wfm::scenario::Scenario;

/// A valid one-day scenario on an hourly grid: one site, one queue, one template.
fn base() -> Value {
    json!({
        "name": "sizes",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1},
        "sites": [{"name": "s0", "zone": "UTC"}],
        "queues": [{"name": "q0", "volume": 5.0, "aht_seconds": 180,
                    "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}}],
        "templates": [{"name": "t0", "site": "s0", "queue": "q0", "paid_minutes": 480,
                       "start_windows": [{"days": ["mon"], "from": "08:00", "to": "09:00"}]}]
    })
}

/// The error `prepare` gives for `v`, as text.
fn refused(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap();
    match Scenario::parse(&text, "big.json").and_then(|s| s.prepare(Path::new("."))) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

/// `n` copies of the first entry of list `key`, renamed `{prefix}{i}`.
fn many(v: &mut Value, key: &str, prefix: &str, n: usize) {
    let first = v[key][0].clone();
    let list: Vec<Value> = (0..n)
        .map(|i| {
            let mut e = first.clone();
            e["name"] = json!(format!("{prefix}{i}"));
            e
        })
        .collect();
    v[key] = Value::Array(list);
}

#[test]
fn lists_beyond_their_limits_are_refused_by_name() {
    for (key, prefix, limit) in [
        ("sites", "s", wfm::limits::MAX_SITES),
        ("queues", "q", wfm::limits::MAX_SCENARIO_QUEUES),
        ("templates", "t", wfm::limits::MAX_TEMPLATES),
    ] {
        let mut v = base();
        many(&mut v, key, prefix, limit + 1);
        let e = refused(&v);
        assert!(
            e.contains(&format!(
                "{key}: at most {limit} (the input limit), got {}",
                limit + 1
            )),
            "{e}"
        );
    }
}

#[test]
fn a_duplicate_at_the_end_of_the_longest_lists_is_named() {
    // At the limits, with the repeated name last: every earlier name is checked.
    for (key, prefix, n, needle) in [
        (
            "sites",
            "s",
            wfm::limits::MAX_SITES,
            "duplicate site \"s0\"",
        ),
        (
            "queues",
            "q",
            wfm::limits::MAX_SCENARIO_QUEUES,
            "duplicate queue \"q0\"",
        ),
    ] {
        let mut v = base();
        many(&mut v, key, prefix, n);
        v[key][n - 1]["name"] = json!(format!("{prefix}0"));
        let e = refused(&v);
        assert!(
            e.contains(&format!("{key}[{}].name: {needle}", n - 1)),
            "{e}"
        );
    }
    let mut v = base();
    let n = wfm::limits::MAX_NAMED_AGENTS;
    v["agents"] = Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("a{i}"), "site": "s0", "skills": ["q0"]}))
            .collect(),
    );
    v["agents"][n - 1]["name"] = json!("a0");
    let e = refused(&v);
    assert!(
        e.contains(&format!("agents[{}].name: duplicate agent \"a0\"", n - 1)),
        "{e}"
    );
}

#[test]
fn the_last_of_many_templates_naming_an_unknown_queue_is_named() {
    let mut v = base();
    let n = wfm::limits::MAX_TEMPLATES;
    many(&mut v, "templates", "t", n);
    v["templates"][n - 1]["queue"] = json!("nope");
    let e = refused(&v);
    assert!(
        e.contains(&format!(
            "templates[{}].queue: \"nope\" is not a queue of this scenario",
            n - 1
        )),
        "{e}"
    );
}

/// A scenario file of `mb` megabytes: a one-queue scenario whose volume is a list of
/// zeros far longer than the horizon.
fn long_series_file(dir: &Path, mb: usize) -> std::path::PathBuf {
    let mut v = base();
    v["queues"][0]["volume"] = json!("SERIES");
    let text = serde_json::to_string(&v).unwrap();
    let zeros = "0,".repeat(mb << 19);
    let text = text.replace("\"SERIES\"", &format!("[{zeros}0]"));
    let file = dir.join("long_series.json");
    std::fs::write(&file, text).unwrap();
    file
}

/// A list where an object belongs is looked for without building the file's whole JSON
/// tree twice (which took over 30 times the file's size): a 32 MB series is refused for
/// its length in under 700 MB of address space.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_series_is_refused_in_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("wfm-hostile-sc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = long_series_file(&dir, 32);
    let out = dir.join("out");
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 700000 && exec \"$0\" plan \"$1\" --out \"$2\"")
        .arg(env!("CARGO_BIN_EXE_wfm"))
        .arg(&file)
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("queues[0].volume: has 16777217 values, the horizon has 24 intervals"),
        "{err}"
    );
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Names are written into CSV, calendar and web-page outputs: a control character (NUL, a
/// line break, a bell) would break the calendar and the page, so it is refused where the
/// name is given.
#[test]
fn control_characters_in_names_are_refused_with_their_place() {
    for (edit, needle) in [
        (
            &(|v: &mut Value| v["name"] = json!("week\u{0}")) as &dyn Fn(&mut Value),
            "invalid name: \"week\\0\" holds a control character (U+0000) at character 5",
        ),
        (
            &|v: &mut Value| {
                v["sites"][0]["name"] = json!("lon\ndon");
                v["templates"][0]["site"] = json!("lon\ndon");
            },
            "invalid sites[0].name: \"lon\\ndon\" holds a control character (U+000A) at character 4",
        ),
        (
            &|v: &mut Value| {
                v["queues"][0]["name"] = json!("voice\u{7}");
                v["templates"][0]["queue"] = json!("voice\u{7}");
            },
            "invalid queues[0].name: \"voice\\u{7}\" holds a control character (U+0007)",
        ),
        (
            &|v: &mut Value| v["templates"][0]["name"] = json!("early\u{b}"),
            "invalid templates[0].name:",
        ),
        (
            &|v: &mut Value| v["agents"] = json!([{"name": "Ann\r", "site": "s0"}]),
            "invalid agents[0].name: \"Ann\\r\" holds a control character (U+000D)",
        ),
    ] {
        let mut v = base();
        edit(&mut v);
        let e = refused(&v);
        assert!(e.contains(needle), "{e:?} should contain {needle:?}");
    }
    let sites = [wfm::time::Site {
        name: "s0".into(),
        tz: chrono_tz::Tz::UTC,
    }];
    let roster =
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks\n\
                  \"Ann\u{0}\",s0,t0,2027-03-08T08:00:00Z,2027-03-08T16:00:00Z,\
                  2027-03-08T08:00:00+00:00,2027-03-08T16:00:00+00:00,480,\n";
    let e = wfm::io::parse_roster(roster, "roster.csv", &sites).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("roster.csv:2: column agent: \"Ann\\0\" holds a control character"),
        "{e}"
    );
}
