//! Laws of the evaluator, checked on random rosters (breaks and shifts off the grid too).

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use wfm::evaluate::{
    evaluate, recount_scheduled, scheduled_counts, summarize, IntervalKpi, PlanFacts, QueueDemand,
    Routing,
};
use wfm::shifts::{Break, ShiftInstance};
use wfm::time::Horizon;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap()
}

fn routing() -> Routing {
    let mut r = Routing::new();
    r.serve("a", "x", 0).unwrap();
    r.serve("a", "y", 1).unwrap();
    r.serve("b", "x", 1).unwrap();
    r
}

/// A shift from minute offsets: may start before the horizon and end after it.
fn arb_shift() -> impl Strategy<Value = (String, ShiftInstance)> {
    (
        -600i64..3000,
        1i64..700,
        prop::collection::vec((0i64..200, 1i64..70, any::<bool>()), 0..4),
        0usize..3,
    )
        .prop_map(|(start, len, gaps, kind)| {
            let s = t0() + Duration::minutes(start);
            let e = s + Duration::minutes(len);
            let mut breaks = Vec::new();
            let mut cursor = s;
            for (off, blen, paid) in gaps {
                let b = cursor + Duration::minutes(off);
                let be = b + Duration::minutes(blen);
                if be > e {
                    break;
                }
                breaks.push(Break {
                    start: b,
                    end: be,
                    paid,
                });
                cursor = be;
            }
            let (site, template) = [("a", "x"), ("a", "y"), ("b", "x")][kind];
            (
                format!("agent{kind}"),
                ShiftInstance {
                    site: site.into(),
                    template: template.into(),
                    start: s,
                    end: e,
                    breaks,
                },
            )
        })
}

fn kpi(_: usize, _: usize, n: u32) -> wfm::Result<IntervalKpi> {
    let n = f64::from(n);
    Ok(IntervalKpi {
        service_level: n / (n + 2.0),
        asa_seconds: 20.0 / (n + 1.0),
        occupancy: 1.0 / (n + 1.0),
    })
}

proptest! {
    /// The evaluator and the independent recount agree on every roster and grid.
    #[test]
    fn evaluator_and_recount_agree(
        roster in prop::collection::vec(arb_shift(), 0..25),
        m in prop::sample::select(vec![5u32, 10, 15, 30, 60]),
    ) {
        let h = Horizon::new(t0(), m, (2880 / m) as usize).unwrap();
        let a = scheduled_counts(&h, 2, &routing(), &roster).unwrap();
        let b = recount_scheduled(&h, 2, &routing(), &roster).unwrap();
        prop_assert_eq!(a, b);
    }

    /// Adding a shift never lowers coverage anywhere, and raises it by at most one.
    #[test]
    fn adding_a_shift_is_monotone(
        roster in prop::collection::vec(arb_shift(), 0..15),
        extra in arb_shift(),
    ) {
        let h = Horizon::new(t0(), 15, 192).unwrap();
        let before = scheduled_counts(&h, 2, &routing(), &roster).unwrap();
        let mut more = roster.clone();
        more.push(extra);
        let after = scheduled_counts(&h, 2, &routing(), &more).unwrap();
        for (qb, qa) in before.iter().zip(&after) {
            for (b, a) in qb.iter().zip(qa) {
                prop_assert!(a >= b && *a <= b + 1);
            }
        }
    }

    /// A shift on the grid with no breaks covers exactly its intervals inside the horizon.
    #[test]
    fn grid_shift_covers_its_intervals(start in -20i64..120, len in 1i64..40) {
        let h = Horizon::new(t0(), 30, 96).unwrap();
        let s = t0() + Duration::minutes(30 * start);
        let shift = ShiftInstance { site: "a".into(), template: "x".into(), start: s, end: s + Duration::minutes(30 * len), breaks: vec![] };
        let c = scheduled_counts(&h, 2, &routing(), &[("z".into(), shift)]).unwrap();
        for i in 0..96i64 {
            let want = u32::from(i >= start && i < start + len);
            prop_assert_eq!(c[0][i as usize], want);
            prop_assert_eq!(c[1][i as usize], 0);
        }
    }

    /// The summary counts what the cells say, and its service level is a volume-weighted
    /// mean of the cells' service levels.
    #[test]
    fn summary_agrees_with_cells(
        roster in prop::collection::vec(arb_shift(), 0..20),
        req in prop::collection::vec(0u32..4, 96),
        vol in prop::collection::vec(0.0f64..50.0, 96),
    ) {
        let h = Horizon::new(t0(), 30, 96).unwrap();
        let demands: Vec<QueueDemand> = (0..2).map(|q| QueueDemand {
            name: format!("q{q}"),
            volume: vol.clone(),
            aht_seconds: vec![240.0; 96],
            required: req.iter().map(|r| r + q).collect(),
        }).collect();
        let cov = evaluate(&h, &demands, &routing(), &roster, &kpi).unwrap();
        let facts = PlanFacts { cost: 1.0, lower_bound: None, gap: None, status: "evaluated".into(), solve_seconds: 0.0 };
        let s = summarize("p", &cov, &demands, &roster, &facts).unwrap();
        let under = cov.queues.iter().flat_map(|q| &q.cells).filter(|c| c.scheduled < c.required).count();
        prop_assert_eq!(s.understaffed_intervals, under);
        let over: f64 = cov.queues.iter().flat_map(|q| &q.cells)
            .map(|c| f64::from(c.scheduled.saturating_sub(c.required)) * 0.5).sum();
        prop_assert!((s.overstaffed_agent_hours - over).abs() < 1e-9);
        let paid: i64 = roster.iter().map(|(_, r)| r.paid_minutes()).sum();
        prop_assert!((s.paid_hours - paid as f64 / 60.0).abs() < 1e-9);
        let total: f64 = vol.iter().sum::<f64>() * 2.0;
        match s.service_level {
            None => prop_assert!(total == 0.0),
            Some(sl) => {
                let cells: Vec<f64> = cov.queues.iter().flat_map(|q| &q.cells)
                    .zip(vol.iter().chain(&vol))
                    .filter(|(_, v)| **v > 0.0)
                    .map(|(c, _)| c.kpi.service_level).collect();
                let lo = cells.iter().cloned().fold(1.0, f64::min);
                let hi = cells.iter().cloned().fold(0.0, f64::max);
                prop_assert!(sl >= lo - 1e-12 && sl <= hi + 1e-12);
            }
        }
    }
}

/// Rows of three agents at two sites on a half-hour grid, small enough to repeat and
/// overlap often.
fn arb_plain_rows() -> impl Strategy<Value = Vec<(String, ShiftInstance)>> {
    prop::collection::vec((0usize..3, 0usize..2, 0i64..40, 1i64..8), 0..30).prop_map(|v| {
        v.into_iter()
            .map(|(agent, site, start, len)| {
                let s = t0() + Duration::minutes(30 * start);
                (
                    format!("agent{agent}"),
                    ShiftInstance {
                        site: ["a", "b"][site].into(),
                        template: "x".into(),
                        start: s,
                        end: s + Duration::minutes(30 * len),
                        breaks: Vec::new(),
                    },
                )
            })
            .collect()
    })
}

proptest! {
    /// `check_roster` flags exactly the rows a brute-force pairwise check finds: a row equal
    /// to an earlier one is a duplicate; among the rest, a row is an overlap (or two_sites)
    /// when an earlier-starting row of the same agent (by start, end, site, then order) has
    /// not ended by its start, and the rule says whether some such row is at another site.
    #[test]
    fn roster_check_agrees_with_a_pairwise_check(rows in arb_plain_rows()) {
        let h = Horizon::new(t0(), 30, 96).unwrap();
        let lines: Vec<usize> = (0..rows.len()).map(|k| k + 2).collect();
        let found = wfm::evaluate::check_roster("r.csv", &rows, &lines, &h, &[]);
        let dup: Vec<bool> = (0..rows.len())
            .map(|k| rows[..k].contains(&rows[k]))
            .collect();
        for (k, (agent, s)) in rows.iter().enumerate() {
            let mine: Vec<&str> = found
                .iter()
                .filter(|w| w.line == k + 2)
                .map(|w| w.rule.as_str())
                .collect();
            if dup[k] {
                prop_assert_eq!(mine, vec!["duplicate"]);
                continue;
            }
            let before: Vec<&ShiftInstance> = rows
                .iter()
                .enumerate()
                .filter(|(j, (a, o))| {
                    *j != k
                        && !dup[*j]
                        && a == agent
                        && (o.start, o.end, &o.site, *j) < (s.start, s.end, &s.site, k)
                        && s.start < o.end
                })
                .map(|(_, (_, o))| o)
                .collect();
            match mine.as_slice() {
                [] => prop_assert!(before.is_empty(), "row {} overlaps {:?}", k, before),
                ["overlap"] => prop_assert!(before.iter().any(|o| o.site == s.site)),
                ["two_sites"] => prop_assert!(before.iter().any(|o| o.site != s.site)),
                other => prop_assert!(false, "row {}: {:?}", k, other),
            }
        }
        prop_assert!(found.windows(2).all(|w| w[0].line <= w[1].line), "sorted by line");
    }
}
