//! Laws of the forecast module, checked by proptest.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use wfm::forecast::{
    aggregate, forecast, method_by_name, methods, parse_history, Accuracy, Contact, HistoryFormat,
};
use wfm::time::Horizon;

/// History CSV of `days` days of 60-minute rows from Monday 2027-01-04 with the given values
/// (cycled), open 08:00-18:00 every day.
fn csv(days: usize, values: &[u32], scale: u32) -> String {
    let start = Utc.with_ymd_and_hms(2027, 1, 4, 0, 0, 0).unwrap();
    let mut s = String::from("interval_start,volume\n");
    let mut k = 0;
    for d in 0..days {
        for h in 8..18 {
            let t = start + Duration::days(d as i64) + Duration::hours(h);
            let v = values[k % values.len()] * scale;
            k += 1;
            s.push_str(&format!("{},{}\n", t.to_rfc3339(), v));
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Every method: forecasts are finite, non-negative, zero when closed, one per interval.
    #[test]
    fn forecasts_are_well_formed(values in prop::collection::vec(0u32..500, 5..40), days in 22usize..30) {
        let s = parse_history("p.csv", &csv(days, &values, 1), &HistoryFormat::default()).unwrap();
        for m in methods() {
            let f = forecast(&s, m.as_ref(), 3 * 24, Some(300.0)).unwrap();
            prop_assert_eq!(f.volume.len(), 72);
            for (v, open) in f.volume.iter().zip(&f.open) {
                prop_assert!(v.is_finite() && *v >= 0.0);
                if !open { prop_assert_eq!(*v, 0.0); }
            }
        }
    }

    /// Seasonal naive and the weekly average are linear: scaling the history scales the
    /// forecast by the same factor.
    #[test]
    fn linear_methods_scale(values in prop::collection::vec(0u32..500, 5..40), c in 2u32..7) {
        let a = parse_history("a.csv", &csv(22, &values, 1), &HistoryFormat::default()).unwrap();
        let b = parse_history("b.csv", &csv(22, &values, c), &HistoryFormat::default()).unwrap();
        for name in ["seasonal_naive", "weekly_average"] {
            let m = method_by_name(name).unwrap();
            let fa = forecast(&a, m.as_ref(), 48, Some(1.0)).unwrap();
            let fb = forecast(&b, m.as_ref(), 48, Some(1.0)).unwrap();
            for (x, y) in fa.volume.iter().zip(&fb.volume) {
                prop_assert!((x * c as f64 - y).abs() <= 1e-9 * (1.0 + y.abs()));
            }
        }
    }

    /// A perfect forecast has zero error; errors are non-negative; WAPE is scale-free.
    #[test]
    fn accuracy_laws(actual in prop::collection::vec(0.0f64..1e4, 1..50),
                     noise in prop::collection::vec(-100.0f64..100.0, 50), k in 0.1f64..10.0) {
        let perfect = Accuracy::compute(&actual, &actual, 1.0).unwrap();
        prop_assert_eq!(perfect.mae, 0.0);
        prop_assert_eq!(perfect.rmse, 0.0);
        prop_assert_eq!(perfect.smape, 0.0);
        let fc: Vec<f64> = actual.iter().zip(&noise).map(|(a, n)| (a + n).max(0.0)).collect();
        let acc = Accuracy::compute(&actual, &fc, 1.0).unwrap();
        prop_assert!(acc.mae >= 0.0 && acc.rmse >= acc.mae - 1e-9);
        prop_assert!(acc.smape >= 0.0 && acc.smape <= 200.0);
        let sa: Vec<f64> = actual.iter().map(|x| x * k).collect();
        let sf: Vec<f64> = fc.iter().map(|x| x * k).collect();
        let scaled = Accuracy::compute(&sa, &sf, k).unwrap();
        if acc.wape.is_finite() {
            prop_assert!((scaled.wape - acc.wape).abs() <= 1e-6 * (1.0 + acc.wape));
            prop_assert!((scaled.mase - acc.mase).abs() <= 1e-6 * (1.0 + acc.mase));
        }
    }

    /// Aggregation conserves contacts: every contact lands in exactly one interval.
    #[test]
    fn aggregation_conserves_contacts(secs in prop::collection::vec(0i64..7 * 86_400, 0..300),
                                      step in prop::sample::select(vec![5u32, 10, 15, 30, 60])) {
        let start = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
        let grid = Horizon::days(start, step, 7).unwrap();
        let contacts: Vec<Contact> = secs.iter().map(|s| Contact {
            arrival: start + Duration::seconds(*s),
            handle_seconds: Some(100.0),
            abandoned: s % 7 == 0,
            queue_seconds: None,
        }).collect();
        let st = aggregate(&contacts, grid).unwrap();
        prop_assert_eq!(st.offered.iter().sum::<u64>() as usize, contacts.len());
        prop_assert_eq!(st.abandoned.iter().sum::<u64>() as usize,
                        contacts.iter().filter(|c| c.abandoned).count());
    }

    /// Reading 5-minute rows into a coarser grid conserves the total volume.
    #[test]
    fn history_aggregation_conserves_volume(values in prop::collection::vec(0u32..100, 12..200),
                                            step in prop::sample::select(vec![5u32, 10, 15, 30, 60])) {
        let start = Utc.with_ymd_and_hms(2027, 3, 8, 9, 0, 0).unwrap();
        let mut text = String::from("timestamp,calls\n");
        for (i, v) in values.iter().enumerate() {
            let t = start + Duration::minutes(5 * i as i64);
            text.push_str(&format!("{},{v}\n", t.format("%Y-%m-%d %H:%M")));
        }
        let f = HistoryFormat { interval_minutes: Some(step), ..HistoryFormat::default() };
        let s = parse_history("h.csv", &text, &f).unwrap();
        let total: f64 = (0..s.len()).filter_map(|i| s.volume(i)).sum();
        prop_assert_eq!(total, values.iter().map(|v| *v as f64).sum::<f64>());
    }
}
