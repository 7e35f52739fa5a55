//! Calibration of the prediction intervals on a series whose noise is known: Poisson
//! counts around a fixed weekly pattern. The forecast error of a k-week mean is then the
//! Poisson draw plus the mean's own error, both independent between intervals, so the
//! 80 % band must cover close to 80 % of the actuals: a band that treats every day (or
//! week) as one draw, or ignores the noise, is too wide or too narrow and fails here.

use chrono::{Duration, NaiveDate};
use wfm::forecast::{backtest, method_by_name, parse_history, BacktestOptions, HistoryFormat};

/// splitmix64, enough for test noise.
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Poisson draw with mean `lambda` (inversion: walks the cumulative probabilities).
    fn poisson(&mut self, lambda: f64) -> u64 {
        let u = self.uniform();
        let (mut k, mut p) = (0u64, (-lambda).exp());
        let mut cum = p;
        while cum < u && k < 10_000 {
            k += 1;
            p *= lambda / k as f64;
            cum += p;
        }
        k
    }
}

/// 30 weeks of every day 08:00 – 20:00 UTC (24 half-hours), mean 20 – 180 calls by time
/// of day and weekday, Poisson counts.
fn poisson_csv(seed: u64) -> String {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut s = String::from("interval_start,volume\n");
    for d in 0..30 * 7 {
        let date = start + Duration::days(d);
        let wd = [1.2, 1.0, 1.0, 0.95, 0.9, 0.6, 0.5][(d % 7) as usize];
        for slot in 0..24 {
            let x = slot as f64 / 23.0;
            let lambda = wd * (20.0 + 160.0 * (-(x - 0.3).powi(2) / 0.05).exp());
            s.push_str(&format!(
                "{date}T{:02}:{:02}:00Z,{}\n",
                8 + slot / 2,
                (slot % 2) * 30,
                rng.poisson(lambda)
            ));
        }
    }
    s
}

#[test]
fn the_80_percent_band_covers_80_percent_of_poisson_counts() {
    let s = parse_history("poisson.csv", &poisson_csv(11), &HistoryFormat::default()).unwrap();
    for name in ["weekday_mean", "seasonal_naive"] {
        let bt = backtest(
            &s,
            &[method_by_name(name).unwrap()],
            BacktestOptions {
                horizon_minutes: 7 * 1440,
                folds: 12,
            },
        )
        .unwrap();
        let cov: Vec<f64> = bt
            .results
            .iter()
            .filter(|r| r.horizon == "7d")
            .filter_map(|r| r.intervals.map(|i| i.coverage80))
            .collect();
        assert_eq!(cov.len(), 12, "{name}");
        let mean = cov.iter().sum::<f64>() / cov.len() as f64;
        eprintln!("{name}: 80 % band coverage {mean:.1} % over 12 folds");
        assert!(
            (77.0..=83.0).contains(&mean),
            "{name}: coverage {mean:.1} {cov:?}"
        );
    }
}
