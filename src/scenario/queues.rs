//! The `queues` part of a scenario: forecast inline, from a CSV file or from history
//! ([`super::from_history`]), targets, channel.

use crate::demand::{Channel, Queue};
use crate::error::{Error, Result};
use crate::io::PlannedForecast;
use crate::queueing::Target;
use crate::time::{fmt_utc, Horizon};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A number or one number per interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum PerInterval {
    /// The same value in every interval.
    Constant(f64),
    /// One value per interval of the horizon.
    Series(Vec<f64>),
}

impl<'de> Deserialize<'de> for PerInterval {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PerInterval;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, or a list with one number per interval")
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<PerInterval, E> {
                Ok(PerInterval::Constant(v))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<PerInterval, E> {
                Ok(PerInterval::Constant(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<PerInterval, E> {
                Ok(PerInterval::Constant(v as f64))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<PerInterval, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(x) = seq.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(PerInterval::Series(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Service targets of a queue; every one given must be met in every open interval.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
    /// Fraction of offered contacts answered within a threshold.
    #[serde(default)]
    pub service_level: Option<ServiceLevelSpec>,
    /// Maximum average speed of answer, seconds.
    #[serde(default)]
    pub asa_seconds: Option<f64>,
    /// Maximum occupancy, fraction.
    #[serde(default)]
    pub max_occupancy: Option<f64>,
    /// Maximum abandonment probability, fraction (needs `patience_seconds`).
    #[serde(default)]
    pub max_abandon: Option<f64>,
}

/// `{"fraction": 0.8, "within_seconds": 20}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceLevelSpec {
    /// Fraction in (0, 1].
    pub fraction: f64,
    /// Threshold, seconds.
    pub within_seconds: f64,
}

impl TargetsSpec {
    /// The targets as the queueing engine takes them.
    pub fn to_targets(&self) -> Vec<Target> {
        let mut v = Vec::new();
        if let Some(s) = self.service_level {
            v.push(Target::ServiceLevel {
                fraction: s.fraction,
                within_seconds: s.within_seconds,
            });
        }
        if let Some(a) = self.asa_seconds {
            v.push(Target::Asa { seconds: a });
        }
        if let Some(o) = self.max_occupancy {
            v.push(Target::MaxOccupancy(o));
        }
        if let Some(a) = self.max_abandon {
            v.push(Target::MaxAbandon(a));
        }
        v
    }
}

/// One queue as written in a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Unique name.
    pub name: String,
    /// `{"kind": "voice"}` (default), `{"kind": "chat", "concurrency": 3}` or
    /// `{"kind": "backlog", "deadline_minutes": 240}`.
    #[serde(default)]
    pub channel: Channel,
    /// Contacts offered per interval (inline), unless `forecast_csv` is given.
    #[serde(default)]
    pub volume: Option<PerInterval>,
    /// Average handle time in seconds, one value or one per interval, unless `forecast_csv`
    /// is given.
    #[serde(default)]
    pub aht_seconds: Option<PerInterval>,
    /// CSV file (relative to the scenario file) with the header
    /// `interval_start_utc,volume,aht_seconds` and one row per interval of the horizon,
    /// as `wfm forecast` writes it.
    #[serde(default)]
    pub forecast_csv: Option<String>,
    /// Staff a quantile of the forecast instead of its mean: `0.8` reads the column
    /// `volume_p80` of `forecast_csv` (as `wfm forecast` writes it) in place of `volume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast_quantile: Option<f64>,
    /// Contact history (relative to the scenario file, in the format `wfm forecast` reads):
    /// the plan forecasts the horizon from it, instead of `volume` or `forecast_csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_csv: Option<String>,
    /// How `history_csv` is forecast (method, quantile staffed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<super::from_history::ForecastSpec>,
    /// The site the queue belongs to: its zone reads the history's local days and its
    /// calendar of special days applies. Default: the one site whose templates serve the
    /// queue, or the only site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Service targets.
    #[serde(default)]
    pub targets: TargetsSpec,
    /// Mean patience in seconds: the queue uses Erlang A (abandonment).
    #[serde(default)]
    pub patience_seconds: Option<f64>,
    /// Fraction of paid time not available for contacts, in `[0, 1)`.
    #[serde(default)]
    pub shrinkage: f64,
}

impl QueueSpec {
    /// Resolves the forecast (inline or CSV, relative to `base`) into a [`Queue`]. A queue
    /// with `history_csv` needs its site and calendar: it is resolved by
    /// [`super::Scenario::prepare`].
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `queues[index].shrinkage` when negative or above
    /// [`crate::limits::MAX_SHRINKAGE`], `.patience_seconds` when not between 1 s and 3 600 s,
    /// `.channel.concurrency` when 0 or above [`crate::limits::MAX_CONCURRENCY`], `.volume` when
    /// not exactly one of `volume`, `forecast_csv` and `history_csv` is given or a series' length
    /// differs from the horizon's, `.aht_seconds` when missing beside `volume` or given beside
    /// `forecast_csv`, `.forecast_quantile` when given without `forecast_csv` or not a whole
    /// percent between 0 and 1, `.forecast` when given without `history_csv`, `.site` for a queue
    /// with `history_csv` (here its site is not known); and the errors of
    /// [`read_forecast_csv_column`] for the forecast CSV.
    pub fn to_queue(&self, index: usize, horizon: &Horizon, base: &Path) -> Result<Queue> {
        self.to_queue_in(index, horizon, base, &QueueContext::default())
            .map(|(q, _)| q)
    }

    /// [`QueueSpec::to_queue`] with the queue's site and calendar, and the forecast behind
    /// its volume.
    pub(crate) fn to_queue_in(
        &self,
        index: usize,
        horizon: &Horizon,
        base: &Path,
        ctx: &QueueContext<'_>,
    ) -> Result<(Queue, PlannedForecast)> {
        let field = |f: &str| format!("queues[{index}].{f}");
        // Queue-wide values first: they are checked before any forecast is read.
        crate::queueing::check_shrinkage(self.shrinkage)
            .map_err(|e| rename(e, field("shrinkage")))?;
        if let Some(p) = self.patience_seconds {
            crate::limits::check_range(
                &field("patience_seconds"),
                p,
                crate::limits::MIN_PATIENCE_SECONDS,
                crate::limits::MAX_PATIENCE_SECONDS,
                " seconds",
            )?;
        }
        if let Channel::Chat { concurrency } = self.channel {
            if concurrency == 0 || concurrency > crate::limits::MAX_CONCURRENCY {
                return Err(Error::invalid(
                    field("channel.concurrency"),
                    format!(
                        "must be at least 1 and at most {} sessions per agent, got {concurrency}",
                        crate::limits::MAX_CONCURRENCY
                    ),
                ));
            }
        }
        let n = horizon.len();
        let given = [
            self.volume.is_some(),
            self.forecast_csv.is_some(),
            self.history_csv.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(Error::invalid(
                field("volume"),
                "give one of volume (with aht_seconds), forecast_csv and history_csv",
            ));
        }
        if self.forecast.is_some() && self.history_csv.is_none() {
            return Err(Error::invalid(
                field("forecast"),
                "says how history_csv is forecast; it needs history_csv",
            ));
        }
        if let Some(path) = &self.history_csv {
            return self.forecast_from_history(index, path, horizon, base, ctx);
        }
        let mut planned = PlannedForecast {
            source: "inline".to_string(),
            ..PlannedForecast::default()
        };
        let (mut volume, aht) = match (&self.forecast_csv, &self.volume) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    field("volume"),
                    "give either volume/aht_seconds or forecast_csv, not both",
                ))
            }
            (Some(path), None) => {
                if self.aht_seconds.is_some() {
                    return Err(Error::invalid(
                        field("aht_seconds"),
                        "the forecast CSV carries aht_seconds; do not give it twice",
                    ));
                }
                let column = match self.forecast_quantile {
                    Some(q) => quantile_column_of(q, &field("forecast_quantile"))?,
                    None => "volume".to_string(),
                };
                if let (Some((_, site)), Some(cal)) = (ctx.site, ctx.calendar) {
                    if let Some(k) = cal.in_horizon(site, horizon).first() {
                        let d = &cal.days.days[*k];
                        return Err(Error::invalid(
                            field("forecast_csv"),
                            format!(
                                "site {:?} has the special day {} ({}, {}) in the horizon, and a forecast CSV is used as given: make the file with `wfm forecast --special-days`, or forecast the queue from history_csv",
                                site.name,
                                d.date,
                                d.name,
                                cal.place(*k)
                            ),
                        ));
                    }
                }
                let (volume, aht, mean, quantiles) =
                    read_forecast_with_quantiles(&base.join(path), path, horizon, &column)
                        .map_err(|e| match e {
                            // A file that cannot be opened is named by the field that gave it.
                            Error::Io { path, source } => {
                                Error::io(format!("{} = {path}", field("forecast_csv")), source)
                            }
                            other => other,
                        })?;
                planned.source = "forecast_csv".to_string();
                planned.quantile = self.forecast_quantile;
                planned.volume = mean;
                planned.quantiles = quantiles;
                (volume, aht)
            }
            (None, Some(_)) if self.forecast_quantile.is_some() => {
                return Err(Error::invalid(
                    field("forecast_quantile"),
                    "needs forecast_csv (a forecast with quantile columns)",
                ))
            }
            (None, Some(v)) => {
                let volume = expand(v, n, &field("volume"))?;
                let aht = match &self.aht_seconds {
                    Some(a) => expand(a, n, &field("aht_seconds"))?,
                    None => {
                        return Err(Error::invalid(
                            field("aht_seconds"),
                            "missing (a number or one number per interval)",
                        ))
                    }
                };
                (volume, aht)
            }
            (None, None) => {
                return Err(Error::invalid(
                    field("volume"),
                    "missing: give volume and aht_seconds, forecast_csv or history_csv",
                ))
            }
        };
        if self.forecast_csv.is_none() {
            if let (Some((_, site)), Some(cal)) = (ctx.site, ctx.calendar) {
                planned.special_days =
                    super::calendar::apply_to_inline(cal, site, horizon, &self.name, &mut volume)?;
            }
        }
        Ok((self.queue_with(volume, aht), planned))
    }

    /// The queue with these forecasts and the spec's other fields.
    fn queue_with(&self, volume: Vec<f64>, aht_seconds: Vec<f64>) -> Queue {
        Queue {
            name: self.name.clone(),
            channel: self.channel,
            volume,
            aht_seconds,
            targets: self.targets.to_targets(),
            patience_seconds: self.patience_seconds,
            shrinkage: self.shrinkage,
        }
    }

    /// The queue forecast from its history (see [`super::from_history`]).
    fn forecast_from_history(
        &self,
        index: usize,
        path: &str,
        horizon: &Horizon,
        base: &Path,
        ctx: &QueueContext<'_>,
    ) -> Result<(Queue, PlannedForecast)> {
        let at = format!("queues[{index}]");
        if self.forecast_quantile.is_some() {
            return Err(Error::invalid(
                format!("{at}.forecast_quantile"),
                "goes with forecast_csv; with history_csv, give forecast.quantile",
            ));
        }
        let Some((_, site)) = ctx.site else {
            return Err(Error::invalid(
                format!("{at}.site"),
                format!(
                    "a queue forecast from history_csv needs its site (for the zone of its local days and its calendar), and {}: name it",
                    if ctx.ambiguous.is_empty() {
                        "it is resolved by Scenario::prepare"
                    } else {
                        ctx.ambiguous.as_str()
                    }
                ),
            ));
        };
        let aht = match &self.aht_seconds {
            Some(a) => Some(expand(a, horizon.len(), &format!("{at}.aht_seconds"))?),
            None => None,
        };
        let input = super::from_history::HistoryInput {
            at: at.clone(),
            file: path,
            base,
            site,
            calendar: ctx.calendar,
            aht: aht.as_deref(),
        };
        let spec = self.forecast.clone().unwrap_or_default();
        let (volume, aht, planned) = super::from_history::forecast_queue(&spec, &input, horizon)?;
        Ok((self.queue_with(volume, aht), planned))
    }
}

/// What resolving a queue needs from the rest of the scenario: its site (index and site)
/// and that site's calendar. Without a site, `ambiguous` says why none was decided.
#[derive(Default)]
pub(crate) struct QueueContext<'a> {
    /// The queue's site, with its index in `sites`.
    pub site: Option<(usize, &'a crate::time::Site)>,
    /// The site's calendar of special days.
    pub calendar: Option<&'a super::calendar::SiteCalendar>,
    /// Why the site is not known (templates at several sites serve the queue, ...).
    pub ambiguous: String,
}

/// Reads the volume column `column`, handle time, the mean `volume` and every `volume_pNN`
/// quantile column a forecast CSV has (for the report's band).
fn read_forecast_with_quantiles(
    path: &Path,
    shown: &str,
    horizon: &Horizon,
    column: &str,
) -> Result<ForecastColumns> {
    let text = crate::limits::read_text(
        path,
        shown,
        "forecast CSV file",
        crate::limits::MAX_FORECAST_CSV_BYTES,
    )?;
    let (volume, aht) = parse_forecast_csv_column(&text, shown, horizon, column)?;
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    let mut quantiles = Vec::new();
    for name in header.split(',').map(str::trim) {
        let Some(pct) = name.strip_prefix("volume_p") else {
            continue;
        };
        let Ok(p) = pct.parse::<f64>() else { continue };
        if !(p > 0.0 && p < 100.0) {
            continue;
        }
        let (v, _) = if name == column {
            (volume.clone(), Vec::new())
        } else {
            parse_forecast_csv_column(&text, shown, horizon, name)?
        };
        quantiles.push((p / 100.0, v));
    }
    quantiles.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = if column == "volume" {
        volume.clone()
    } else {
        parse_forecast_csv_column(&text, shown, horizon, "volume")
            .map(|(v, _)| v)
            .unwrap_or_default()
    };
    Ok((volume, aht, mean, quantiles))
}

/// Planned volume, handle time, mean volume and quantiles of a forecast CSV.
type ForecastColumns = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<(f64, Vec<f64>)>);

fn rename(e: Error, field: String) -> Error {
    match e {
        Error::Invalid { reason, .. } => Error::Invalid { field, reason },
        other => other,
    }
}

fn expand(v: &PerInterval, n: usize, field: &str) -> Result<Vec<f64>> {
    match v {
        PerInterval::Constant(x) => Ok(vec![*x; n]),
        PerInterval::Series(s) if s.len() == n => Ok(s.clone()),
        PerInterval::Series(s) => Err(Error::invalid(
            field,
            format!("has {} values, the horizon has {n} intervals", s.len()),
        )),
    }
}

/// The forecast CSV column of quantile `q` (`0.8` → `volume_p80`): a whole percent
/// strictly between 0 and 100, else an error naming `field`.
pub(crate) fn quantile_column_of(q: f64, field: &str) -> Result<String> {
    let pct = q * 100.0;
    if !q.is_finite() || q <= 0.0 || q >= 1.0 || (pct - pct.round()).abs() > 1e-6 {
        return Err(Error::invalid(
            field,
            format!("must be a whole percent strictly between 0 and 1 (e.g. 0.8), got {q}"),
        ));
    }
    Ok(crate::forecast::quantile_column(pct.round() / 100.0))
}

/// Reads `interval_start_utc,volume,aht_seconds` covering every interval of `horizon`
/// exactly once. `shown` is the path as the scenario names it (for messages).
///
/// # Errors
///
/// The errors of [`read_forecast_csv_column`] with the column `volume`.
pub fn read_forecast_csv(
    path: &Path,
    shown: &str,
    horizon: &Horizon,
) -> Result<(Vec<f64>, Vec<f64>)> {
    read_forecast_csv_column(path, shown, horizon, "volume")
}

/// As [`read_forecast_csv`], with the volume read from column `volume_column` (such as
/// `volume_p80`, a quantile `wfm forecast` writes).
///
/// # Errors
///
/// [`Error::Io`] naming `shown` when the file cannot be read; [`Error::Parse`] when it is longer
/// than [`crate::limits::MAX_FORECAST_CSV_BYTES`] or not UTF-8; and the errors of
/// [`parse_forecast_csv_column`].
pub fn read_forecast_csv_column(
    path: &Path,
    shown: &str,
    horizon: &Horizon,
    volume_column: &str,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let text = crate::limits::read_text(
        path,
        shown,
        "forecast CSV file",
        crate::limits::MAX_FORECAST_CSV_BYTES,
    )?;
    parse_forecast_csv_column(&text, shown, horizon, volume_column)
}

/// Parses the text of a forecast CSV (see [`read_forecast_csv`]); `shown` names it in
/// errors.
///
/// # Errors
///
/// The errors of [`parse_forecast_csv_column`] with the column `volume`.
pub fn parse_forecast_csv(
    text: &str,
    shown: &str,
    horizon: &Horizon,
) -> Result<(Vec<f64>, Vec<f64>)> {
    parse_forecast_csv_column(text, shown, horizon, "volume")
}

/// As [`parse_forecast_csv`], with the volume read from column `volume_column`.
///
/// # Errors
///
/// [`Error::Parse`] naming `shown` and the line when the header cannot be read or lacks
/// `interval_start_utc`, `volume_column` or `aht_seconds`; when a row is not valid CSV or lacks a
/// value, a time is not an interval start of `horizon` or repeats one, a volume or handle time is
/// not a finite number ≥ 0 or is above its input limit, or a handle time is not above 0 where the
/// volume is; or when an interval of the horizon has no row.
pub fn parse_forecast_csv_column(
    text: &str,
    shown: &str,
    horizon: &Horizon,
    volume_column: &str,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::parse(shown, 1, e.to_string()))?
        .clone();
    let col = |name: &str| {
        crate::limits::unique_column(shown, &headers, name)?
            .ok_or_else(|| Error::parse(shown, 1, format!("missing column {name:?}")))
    };
    let (c_t, c_v, c_a) = (
        col("interval_start_utc")?,
        col(volume_column)?,
        col("aht_seconds")?,
    );
    let n = horizon.len();
    let mut volume = vec![f64::NAN; n];
    let mut aht = vec![f64::NAN; n];
    let mut seen = vec![0usize; n];
    for (k, rec) in reader.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        let rec = rec.map_err(|e| Error::parse(shown, line, e.to_string()))?;
        let get = |c: usize, name: &str| {
            rec.get(c)
                .ok_or_else(|| Error::parse(shown, line, format!("missing value in column {name}")))
        };
        let t_raw = get(c_t, "interval_start_utc")?;
        let t = crate::time::parse_interval_start(shown, line, t_raw)?;
        let i = horizon.boundary_index(t).filter(|&i| i < n).ok_or_else(|| {
            Error::parse(
                shown,
                line,
                format!(
                    "interval_start_utc {} is not an interval start of the horizon {} .. {} ({}-minute grid)",
                    fmt_utc(t),
                    fmt_utc(horizon.start()),
                    fmt_utc(horizon.end()),
                    horizon.interval_minutes()
                ),
            )
        })?;
        if seen[i] != 0 {
            return Err(Error::parse(
                shown,
                line,
                format!("interval {} already given on line {}", fmt_utc(t), seen[i]),
            ));
        }
        seen[i] = line;
        let num = |c: usize, name: &str, max: f64| -> Result<f64> {
            let raw = get(c, name)?;
            let v: f64 = raw.parse().map_err(|_| {
                Error::parse(shown, line, format!("{name} {raw:?} is not a number"))
            })?;
            if !v.is_finite() || v < 0.0 {
                return Err(Error::parse(
                    shown,
                    line,
                    format!("{name} must be a finite number ≥ 0, got {raw}"),
                ));
            }
            if v > max {
                return Err(Error::parse(
                    shown,
                    line,
                    format!(
                        "{name} must be at most {} (the input limit), got {raw}",
                        crate::limits::show(max)
                    ),
                ));
            }
            Ok(v)
        };
        volume[i] = num(c_v, volume_column, crate::limits::MAX_VOLUME)?;
        aht[i] = num(c_a, "aht_seconds", crate::limits::MAX_AHT_SECONDS)?;
        if aht[i] == 0.0 && volume[i] > 0.0 {
            return Err(Error::parse(
                shown,
                line,
                "aht_seconds must be > 0 where volume is > 0",
            ));
        }
    }
    if let Some(i) = seen.iter().position(|&s| s == 0) {
        return Err(Error::parse(
            shown,
            1,
            format!(
                "no row for interval {} (the file must cover all {} intervals of the horizon)",
                fmt_utc(horizon.interval_start(i)),
                n
            ),
        ));
    }
    Ok((volume, aht))
}

/// A queue's targets in words, as the report shows them: `80 % in 20 s · ASA ≤ 30 s ·
/// occupancy ≤ 90 %`; backlog work: `within 240 min`.
pub(crate) fn targets_text(q: &crate::demand::Queue) -> String {
    use crate::queueing::Target;
    let pct = |x: f64| {
        let p = 100.0 * x;
        if (p - p.round()).abs() < 1e-9 {
            format!("{p:.0} %")
        } else {
            format!("{p:.1} %")
        }
    };
    let mut parts: Vec<String> = q
        .targets
        .iter()
        .map(|t| match t {
            Target::ServiceLevel {
                fraction,
                within_seconds,
            } => format!("{} in {within_seconds} s", pct(*fraction)),
            Target::Asa { seconds } => format!("ASA ≤ {seconds} s"),
            Target::MaxOccupancy(o) => format!("occupancy ≤ {}", pct(*o)),
            Target::MaxAbandon(a) => format!("abandonment ≤ {}", pct(*a)),
            Target::MaxWaitProbability(w) => format!("P(wait) ≤ {}", pct(*w)),
        })
        .collect();
    if let crate::demand::Channel::Backlog { deadline_minutes } = q.channel {
        parts.push(format!("within {deadline_minutes} min"));
    }
    if q.shrinkage > 0.0 {
        parts.push(format!("shrinkage {}", pct(q.shrinkage)));
    }
    parts.join(" · ")
}
