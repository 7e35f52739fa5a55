//! The BI-ready files of a bundled scenario: `kpis_long.csv` loads with typed columns
//! (timestamps, text, one metric name from a fixed list, a plain decimal or empty value),
//! and `coverage.csv` carries volume, an `open` flag and no service level where closed.

use chrono::DateTime;
use std::collections::BTreeMap;
use std::process::Command;

const METRICS: [&str; 8] = [
    "volume",
    "aht_seconds",
    "required",
    "scheduled",
    "open",
    "service_level",
    "asa_seconds",
    "occupancy",
];

/// A plain decimal as BI tools read it: optional minus, digits, optional point and digits.
fn is_decimal(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let mut parts = t.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn the_tidy_table_has_typed_columns_and_agrees_with_coverage() {
    let out = std::env::temp_dir().join(format!("wfm-tidy-{}", std::process::id()));
    let st = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(["plan", "examples/scenarios/single_site_week.json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );

    let text = std::fs::read_to_string(out.join("kpis_long.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "interval_start_utc",
            "interval_start_local",
            "site",
            "queue",
            "metric",
            "value"
        ]
    );
    // (interval, queue) -> metric -> value
    let mut seen: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        let utc = DateTime::parse_from_rfc3339(&r[0]).unwrap();
        assert!(r[0].ends_with('Z'), "{:?}", &r[0]);
        let local = DateTime::parse_from_rfc3339(&r[1]).unwrap();
        assert_eq!(utc, local, "local and UTC are the same instant");
        assert!(!r[2].is_empty() && !r[3].is_empty());
        assert!(METRICS.contains(&&r[4]), "metric {:?}", &r[4]);
        assert!(r[5].is_empty() || is_decimal(&r[5]), "value {:?}", &r[5]);
        let m = seen
            .entry((r[0].to_string(), r[3].to_string()))
            .or_default();
        assert!(
            m.insert(r[4].to_string(), r[5].to_string()).is_none(),
            "repeated metric"
        );
    }
    // Every queue and interval has every metric; closed intervals have no service level.
    let mut closed = 0;
    for ((t, q), m) in &seen {
        assert_eq!(m.len(), METRICS.len(), "{t} {q}");
        let open = &m["open"];
        assert!(open == "1" || open == "0");
        let volume: f64 = m["volume"].parse().unwrap();
        assert_eq!(open == "1", volume > 0.0, "{t} {q}");
        if open == "0" {
            closed += 1;
            assert_eq!(m["service_level"], "", "{t} {q}");
            assert_eq!(m["asa_seconds"], "", "{t} {q}");
        } else {
            let sl: f64 = m["service_level"].parse().unwrap();
            assert!((0.0..=1.0).contains(&sl));
        }
    }
    assert!(closed > 0, "the scenario has closed intervals");

    // coverage.csv: the same numbers, wide.
    let cov = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(cov.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut rows = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let m = &seen[&(
            r[col("interval_start_utc")].to_string(),
            r[col("queue")].to_string(),
        )];
        for metric in ["required", "scheduled", "open", "service_level"] {
            let a = &r[col(metric)];
            let b = &m[metric];
            if a.is_empty() || b.is_empty() {
                assert_eq!(a, b, "{metric}");
            } else {
                let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
                assert!((a - b).abs() < 1e-6, "{metric}: {a} vs {b}");
            }
        }
        let v: f64 = r[col("volume")].parse().unwrap();
        assert!((v - m["volume"].parse::<f64>().unwrap()).abs() < 1e-6);
        let local = DateTime::parse_from_rfc3339(&r[col("interval_start_local")]).unwrap();
        assert_eq!(local, DateTime::parse_from_rfc3339(&r[0]).unwrap());
        rows += 1;
    }
    assert_eq!(rows, seen.len());
    let _ = std::fs::remove_dir_all(&out);
}

/// Every CSV of a plan whose queue and site are named like formulas: read back by an
/// RFC 4180 reader, no text cell starts a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return), in the tidy table as in every other file.
#[test]
fn names_like_formulas_are_neutralised_in_every_csv() {
    let dir = std::env::temp_dir().join(format!("wfm-tidy-formula-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::fs::canonicalize("examples/scenarios/data").unwrap();
    let text = std::fs::read_to_string("examples/scenarios/bank_holiday.json")
        .unwrap()
        .replace("\"data/", &format!("\"{}/", data.display()))
        .replace("\"voice\"", "\"=HYPERLINK(\\\"x\\\"),q\"")
        .replace("\"london\"", "\"@site\"");
    let scenario = dir.join("scenario.json");
    std::fs::write(&scenario, text).unwrap();
    let out = dir.join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .arg("plan")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let mut seen = BTreeMap::new();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "csv") {
            continue;
        }
        let mut r = csv::Reader::from_path(&p).unwrap();
        let width = r.headers().unwrap().len();
        let mut named = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), width, "{}", p.display());
            for c in rec.iter() {
                let formula = c.starts_with(['=', '+', '@', '\t', '\r'])
                    || (c.starts_with('-') && !is_decimal(c));
                assert!(!formula, "{}: {c:?}", p.display());
                named += usize::from(c == "'=HYPERLINK(\"x\"),q" || c == "'@site");
            }
        }
        seen.insert(p.file_name().unwrap().to_string_lossy().to_string(), named);
    }
    // The names are there, neutralised, in the files that carry them.
    for f in [
        "kpis_long.csv",
        "coverage.csv",
        "roster.csv",
        "requirements.csv",
    ] {
        assert!(seen.get(f).is_some_and(|&n| n > 0), "{f}: {seen:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
