//! Interval series on the UTC grid, with an explicit opening calendar.
//!
//! A [`Series`] holds one value per interval of a [`Horizon`] and says, for every interval,
//! whether it was observed ([`Status::Open`]), outside opening hours ([`Status::Closed`]) or
//! inside opening hours but not observed ([`Status::Missing`], e.g. a lost day of data or a
//! holiday). Closed and missing intervals are never treated as zero demand: methods skip
//! them when fitting and backtests skip them when scoring.
//!
//! Seasonality is local: every interval has a *week slot* (local weekday × local
//! interval-of-day in the series' time zone) and a *day slot* (local interval-of-day). The
//! [`Calendar`] says which week slots are regularly open. "The same interval last week" is
//! the same local wall-clock time seven local days earlier, so a daylight-saving change does
//! not shift the weekly pattern by an hour.

use crate::error::{Error, Result};
use crate::time::Horizon;
use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// What is known about one interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// Observed: the volume (and possibly handle time) is data.
    Open,
    /// Outside opening hours: no demand is expected and none is scored.
    Closed,
    /// Inside opening hours but not observed (lost data, holiday): a gap, not a zero.
    Missing,
}

/// Which local week slots are regularly open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    interval_minutes: u32,
    open: Vec<bool>,
}

impl Calendar {
    /// Every week slot open (a 24/7 operation).
    pub fn always_open(interval_minutes: u32) -> Self {
        let per_week = week_slots(interval_minutes);
        Calendar {
            interval_minutes,
            open: vec![true; per_week],
        }
    }

    /// A calendar from an explicit list: `open[k]` for week slot `k` (Monday 00:00 local is
    /// slot 0). Its length must be `7 * 1440 / interval_minutes`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `calendar` when `open` does not have `7 × 1440 / interval_minutes`
    /// slots.
    pub fn from_open_slots(interval_minutes: u32, open: Vec<bool>) -> Result<Self> {
        let want = week_slots(interval_minutes);
        if open.len() != want {
            return Err(Error::invalid(
                "calendar",
                format!(
                    "needs {want} week slots for {interval_minutes}-minute intervals, got {}",
                    open.len()
                ),
            ));
        }
        Ok(Calendar {
            interval_minutes,
            open,
        })
    }

    /// Whether week slot `slot` is open (slots out of range are closed).
    pub fn is_open(&self, slot: usize) -> bool {
        self.open.get(slot).copied().unwrap_or(false)
    }

    /// Number of open week slots.
    pub fn open_slots(&self) -> usize {
        self.open.iter().filter(|o| **o).count()
    }

    /// Interval length the slots refer to.
    pub fn interval_minutes(&self) -> u32 {
        self.interval_minutes
    }
}

/// Number of week slots for an interval length.
pub(crate) fn week_slots(interval_minutes: u32) -> usize {
    (7 * 1440 / interval_minutes.max(1)) as usize
}

/// Local week slot and day slot of the interval starting at `t`.
pub(crate) fn slots_at(tz: Tz, interval_minutes: u32, t: DateTime<Utc>) -> (usize, usize) {
    let local = t.with_timezone(&tz);
    let minute = local.hour() * 60 + local.minute();
    let day_slot = (minute / interval_minutes.max(1)) as usize;
    let per_day = (1440 / interval_minutes.max(1)) as usize;
    let week = local.weekday().num_days_from_monday() as usize * per_day + day_slot;
    (week, day_slot)
}

/// The instant with the same local wall-clock time `weeks` local weeks before `t`
/// (the earlier instant in a fold; `None` if that local time does not exist).
pub(crate) fn weeks_back(tz: Tz, t: DateTime<Utc>, weeks: u32) -> Option<DateTime<Utc>> {
    let local = t
        .with_timezone(&tz)
        .naive_local()
        .checked_sub_signed(Duration::days(7 * weeks as i64))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|x| x.with_timezone(&Utc))
}

/// A volume series (with optional average handle time) on the UTC grid.
#[derive(Debug, Clone)]
pub struct Series {
    horizon: Horizon,
    tz: Tz,
    volume: Vec<f64>,
    aht: Vec<Option<f64>>,
    status: Vec<Status>,
    week_slot: Vec<usize>,
    day_slot: Vec<usize>,
    calendar: Calendar,
}

impl Series {
    /// A series from one observation per interval (`None`: not observed) and an opening
    /// calendar. An observed interval is [`Status::Open`] even in a normally closed slot (the
    /// data says it was open); an unobserved one is [`Status::Missing`] in an open slot and
    /// [`Status::Closed`] otherwise. `aht` (seconds) may be empty (no handle time known) or
    /// have one entry per interval.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `volume` or `aht_seconds` when its length differs from the grid's
    /// (an empty `aht` is allowed), `calendar` when its interval differs from the grid's, or
    /// `volume at TIME` / `aht_seconds at TIME` when an observed value is negative or not finite.
    pub fn new(
        horizon: Horizon,
        tz: Tz,
        volume: Vec<Option<f64>>,
        aht: Vec<Option<f64>>,
        calendar: Calendar,
    ) -> Result<Self> {
        if volume.len() != horizon.len() {
            return Err(Error::invalid(
                "volume",
                format!(
                    "has {} values for a grid of {} intervals",
                    volume.len(),
                    horizon.len()
                ),
            ));
        }
        if !aht.is_empty() && aht.len() != horizon.len() {
            return Err(Error::invalid(
                "aht_seconds",
                format!(
                    "has {} values for a grid of {} intervals",
                    aht.len(),
                    horizon.len()
                ),
            ));
        }
        if calendar.interval_minutes != horizon.interval_minutes() {
            return Err(Error::invalid(
                "calendar",
                "interval length differs from the series grid",
            ));
        }
        let n = horizon.len();
        let mut week_slot = Vec::with_capacity(n);
        let mut day_slot = Vec::with_capacity(n);
        for t in horizon.starts() {
            let (w, d) = slots_at(tz, horizon.interval_minutes(), t);
            week_slot.push(w);
            day_slot.push(d);
        }
        let mut vols = Vec::with_capacity(n);
        let mut status = Vec::with_capacity(n);
        let mut ahts = Vec::with_capacity(n);
        for (i, v) in volume.iter().enumerate() {
            let t = crate::time::fmt_utc(horizon.interval_start(i));
            match v {
                Some(v) => {
                    crate::error::check_non_negative(&format!("volume at {t}"), *v)?;
                    vols.push(*v);
                    status.push(Status::Open);
                }
                None => {
                    vols.push(0.0);
                    let open = week_slot.get(i).is_some_and(|w| calendar.is_open(*w));
                    status.push(if open {
                        Status::Missing
                    } else {
                        Status::Closed
                    });
                }
            }
            let a = aht.get(i).copied().flatten();
            if let Some(a) = a {
                crate::error::check_non_negative(&format!("aht_seconds at {t}"), a)?;
            }
            ahts.push(if v.is_some() { a } else { None });
        }
        Ok(Series {
            horizon,
            tz,
            volume: vols,
            aht: ahts,
            status,
            week_slot,
            day_slot,
            calendar,
        })
    }

    /// Like [`Series::new`], with the calendar inferred from the data: a week slot is open if
    /// it is observed in at least half of the weeks the grid covers. This is how a history
    /// file that simply has no rows for nights and weekends tells closed hours from gaps.
    ///
    /// # Errors
    ///
    /// The errors of [`Series::new`] for the lengths and values of `volume` and `aht`.
    pub fn infer_calendar(
        horizon: Horizon,
        tz: Tz,
        volume: Vec<Option<f64>>,
        aht: Vec<Option<f64>>,
    ) -> Result<Self> {
        let per_week = week_slots(horizon.interval_minutes());
        let mut seen = vec![0usize; per_week];
        let mut present = vec![0usize; per_week];
        for (i, t) in horizon.starts().enumerate() {
            let (w, _) = slots_at(tz, horizon.interval_minutes(), t);
            if let Some(p) = present.get_mut(w) {
                *p += 1;
            }
            if volume.get(i).is_some_and(|v| v.is_some()) {
                if let Some(s) = seen.get_mut(w) {
                    *s += 1;
                }
            }
        }
        let open = seen
            .iter()
            .zip(&present)
            .map(|(s, p)| *p > 0 && 2 * *s >= *p)
            .collect();
        let calendar = Calendar::from_open_slots(horizon.interval_minutes(), open)?;
        Series::new(horizon, tz, volume, aht, calendar)
    }

    /// The grid.
    pub fn horizon(&self) -> &Horizon {
        &self.horizon
    }

    /// The time zone that defines local days and weeks.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The opening calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Number of intervals.
    pub fn len(&self) -> usize {
        self.volume.len()
    }

    /// True if the series has no intervals.
    pub fn is_empty(&self) -> bool {
        self.volume.is_empty()
    }

    /// Status of interval `i` (`Closed` out of range).
    pub fn status(&self, i: usize) -> Status {
        self.status.get(i).copied().unwrap_or(Status::Closed)
    }

    /// Observed volume of interval `i`, or `None` unless it is [`Status::Open`].
    pub fn volume(&self, i: usize) -> Option<f64> {
        match self.status.get(i) {
            Some(Status::Open) => self.volume.get(i).copied(),
            _ => None,
        }
    }

    /// Observed average handle time (seconds) of interval `i`, if known.
    pub fn aht(&self, i: usize) -> Option<f64> {
        self.aht.get(i).copied().flatten()
    }

    /// Whether any interval carries a handle time.
    pub fn has_aht(&self) -> bool {
        self.aht.iter().any(|a| a.is_some())
    }

    /// Local week slot of interval `i`.
    pub fn week_slot(&self, i: usize) -> usize {
        self.week_slot.get(i).copied().unwrap_or(0)
    }

    /// Local day slot of interval `i`.
    pub fn day_slot(&self, i: usize) -> usize {
        self.day_slot.get(i).copied().unwrap_or(0)
    }

    /// Index of the interval starting at `t`, if inside the grid.
    pub fn index_of(&self, t: DateTime<Utc>) -> Option<usize> {
        self.horizon.boundary_index(t).filter(|i| *i < self.len())
    }

    /// The first `len` intervals (same calendar and zone): the history a backtest fold sees.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `intervals` when `len` is 0.
    pub fn truncate(&self, len: usize) -> Result<Series> {
        let len = len.min(self.len());
        let horizon = Horizon::new(self.horizon.start(), self.horizon.interval_minutes(), len)?;
        Ok(Series {
            horizon,
            tz: self.tz,
            volume: self.volume[..len].to_vec(),
            aht: self.aht[..len].to_vec(),
            status: self.status[..len].to_vec(),
            week_slot: self.week_slot[..len].to_vec(),
            day_slot: self.day_slot[..len].to_vec(),
            calendar: self.calendar.clone(),
        })
    }

    /// The same series with every interval of the given local dates marked
    /// [`Status::Missing`] where it was observed (the data stays, unread): what methods fit
    /// on when those dates are special days.
    pub fn without_dates(&self, dates: &std::collections::BTreeSet<chrono::NaiveDate>) -> Series {
        let mut out = self.clone();
        for (i, t) in self.horizon.starts().enumerate() {
            if out.status[i] == Status::Open
                && dates.contains(&t.with_timezone(&self.tz).date_naive())
            {
                out.status[i] = Status::Missing;
            }
        }
        out
    }

    /// The most recent observed volumes of the same local slot as instant `t`, going back
    /// week by week from `t` (at most `limit` weeks back), newest first, as
    /// `(weeks_back, interval index)`. Missing weeks are skipped, never filled.
    pub fn same_slot_history(
        &self,
        t: DateTime<Utc>,
        wanted: usize,
        limit: u32,
    ) -> Vec<(u32, usize)> {
        let mut out = Vec::with_capacity(wanted);
        for w in 1..=limit {
            if out.len() >= wanted {
                break;
            }
            let Some(past) = weeks_back(self.tz, t, w) else {
                continue;
            };
            if past < self.horizon.start() {
                break;
            }
            if let Some(i) = self.index_of(past) {
                if self.status(i) == Status::Open {
                    out.push((w, i));
                }
            }
        }
        out
    }

    /// Intervals in one local week (the seasonal period before compression).
    pub fn week_slots(&self) -> usize {
        week_slots(self.horizon.interval_minutes())
    }

    /// Intervals in one local day.
    pub fn day_slots(&self) -> usize {
        self.horizon.intervals_per_day()
    }
}

/// The future grid a method predicts: `len` intervals right after the history, with
/// their local slots and whether the calendar has them open.
#[derive(Debug, Clone)]
pub struct ForecastGrid {
    /// The forecast grid.
    pub horizon: Horizon,
    /// Calendar says open, per interval.
    pub open: Vec<bool>,
    /// Local week slot per interval.
    pub week_slot: Vec<usize>,
    /// Local day slot per interval.
    pub day_slot: Vec<usize>,
}

impl ForecastGrid {
    /// `len` intervals starting where `history` ends.
    /// At most [`crate::limits::MAX_HORIZON_DAYS`] days: a forecast is for planning.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `--horizon` when `len` intervals exceed
    /// [`crate::limits::MAX_HORIZON_DAYS`] days, or `intervals` when `len` is 0.
    pub fn after(history: &Series, len: usize) -> Result<ForecastGrid> {
        let h = history.horizon();
        let days = len as f64 * f64::from(h.interval_minutes()) / 1440.0;
        if days > f64::from(crate::limits::MAX_HORIZON_DAYS) {
            return Err(Error::invalid(
                "--horizon",
                format!(
                    "a forecast may cover at most {} days, asked for {}",
                    crate::limits::MAX_HORIZON_DAYS,
                    crate::limits::approx(days)
                ),
            ));
        }
        let horizon = Horizon::new(h.end(), h.interval_minutes(), len)?;
        let mut open = Vec::with_capacity(len);
        let mut week_slot = Vec::with_capacity(len);
        let mut day_slot = Vec::with_capacity(len);
        for t in horizon.starts() {
            let (w, d) = slots_at(history.tz(), h.interval_minutes(), t);
            open.push(history.calendar().is_open(w));
            week_slot.push(w);
            day_slot.push(d);
        }
        Ok(ForecastGrid {
            horizon,
            open,
            week_slot,
            day_slot,
        })
    }

    /// Number of intervals.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// True if there are no intervals.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

/// Start of the local day containing `t` in `tz`, in UTC (earliest instant of local
/// midnight; the instant the clock resumes if midnight is skipped).
pub(crate) fn local_midnight(tz: Tz, t: DateTime<Utc>) -> DateTime<Utc> {
    let date = t.with_timezone(&tz).date_naive();
    crate::time::Site {
        name: String::new(),
        tz,
    }
    .day_start(date)
}
