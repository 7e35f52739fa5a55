//! Per-site calendars of special days in a scenario (`sites[i].special_days` inline and
//! `sites[i].special_days_csv`), and the site each queue belongs to.
//!
//! A site's calendar is the union of its inline list and its CSV file (the format of
//! `wfm forecast --special-days`); a date listed twice (in either or both) is an error.
//! Dates are local dates in the site's zone. How the calendar acts on a queue depends on
//! where the queue's volume comes from:
//!
//! * `history_csv`: the calendar is given to the forecaster, which leaves the days out of
//!   fitting and forecasts them by multiplier or past occurrences
//!   ([`crate::forecast::forecast_with_special_days`]);
//! * inline `volume`: a day in the horizon with a `multiplier` scales the volume of that
//!   local day; a day in the horizon without one is an error (there is no history to learn
//!   it from);
//! * `forecast_csv`: a finished forecast, used as given; a calendar day in the horizon is an
//!   error (give the calendar to `wfm forecast --special-days` when making the file).

use super::SiteSpec;
use crate::error::{Error, Result};
use crate::forecast::{SpecialDay, SpecialDays};
use crate::time::{Horizon, Site};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One special day written inline in a scenario: `{"date": "2027-04-05", "name": "Easter
/// Monday", "multiplier": 0.4}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialDaySpec {
    /// Local date at the site, `YYYY-MM-DD`.
    pub date: String,
    /// Name; days with the same name are occurrences of the same event.
    pub name: String,
    /// Volume against a normal day (`0.5`: half); without it the day is forecast from its
    /// past occurrences in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
}

/// Where a day of a merged calendar was written, for messages.
#[derive(Debug, Clone)]
enum Origin {
    /// `sites[site].special_days[index]`.
    Inline { site: usize, index: usize },
    /// A line of the site's CSV file (as the scenario names it).
    Csv { file: String, line: usize },
}

/// A site's calendar: the days as the forecaster takes them (their `line` is the index into
/// `origins`) and where each was written.
#[derive(Debug, Clone)]
pub(crate) struct SiteCalendar {
    /// The days, inline ones first, then the CSV's rows.
    pub days: SpecialDays,
    origins: Vec<Origin>,
}

/// File name the merged calendars carry inside the forecaster: errors naming it are
/// translated back to the place the day was written ([`SiteCalendar::locate`]).
const MERGED: &str = "\u{0}site calendar";

impl SiteCalendar {
    /// Whether the calendar has no day.
    pub fn is_empty(&self) -> bool {
        self.days.days.is_empty()
    }

    /// Where day `k` was written, as a field path or `file:line`.
    pub fn place(&self, k: usize) -> String {
        match self.origins.get(k) {
            Some(Origin::Inline { site, index }) => format!("sites[{site}].special_days[{index}]"),
            Some(Origin::Csv { file, line }) => format!("{file}:{line}"),
            None => "special days".to_string(),
        }
    }

    /// An error about day `k`: [`Error::Invalid`] naming its field path when it was written
    /// inline, [`Error::Parse`] naming its file and line when it came from the CSV.
    pub fn error(&self, k: usize, reason: String) -> Error {
        match self.origins.get(k) {
            Some(Origin::Csv { file, line }) => Error::parse(file.clone(), *line, reason),
            _ => Error::invalid(self.place(k), reason),
        }
    }

    /// Translates an error of the forecaster that names the merged calendar back to the
    /// place the day was written; other errors pass unchanged.
    pub fn locate(&self, e: Error) -> Error {
        match e {
            Error::Parse { file, line, reason } if file == MERGED => self.error(line, reason),
            other => other,
        }
    }

    /// The calendar without the days `keep` refuses (for a forecast that also covers days
    /// before the horizon that are not planned).
    pub fn filtered(&self, keep: impl Fn(NaiveDate) -> bool) -> SpecialDays {
        SpecialDays {
            file: self.days.file.clone(),
            days: self
                .days
                .days
                .iter()
                .filter(|d| keep(d.date))
                .cloned()
                .collect(),
        }
    }

    /// Indices of the days whose local date at `site` overlaps `horizon`.
    pub fn in_horizon(&self, site: &Site, horizon: &Horizon) -> Vec<usize> {
        self.days
            .days
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                site.day_start(d.date) < horizon.end()
                    && d.date
                        .succ_opt()
                        .is_some_and(|n| site.day_start(n) > horizon.start())
            })
            .map(|(k, _)| k)
            .collect()
    }
}

/// Builds the calendar of site `i` from its inline days and its CSV (relative to `base`).
///
/// # Errors
///
/// [`Error::Invalid`] naming `sites[i].special_days[k].date` when a date is not `YYYY-MM-DD`,
/// `.name` when empty, `.multiplier` when not a finite number ≥ 0, and `sites[i].special_days[k]`
/// or the CSV's `file:line` when a date is listed twice; [`Error::Io`] naming
/// `sites[i].special_days_csv` and the file when it cannot be read, and the errors of
/// [`crate::forecast::parse_special_days`] for its rows.
pub(crate) fn site_calendar(i: usize, spec: &SiteSpec, base: &Path) -> Result<SiteCalendar> {
    let mut days: Vec<SpecialDay> = Vec::new();
    let mut origins = Vec::new();
    for (k, d) in spec.special_days.iter().enumerate() {
        let at = format!("sites[{i}].special_days[{k}]");
        let date = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                format!("{at}.date"),
                format!("{:?} is not a date YYYY-MM-DD", d.date),
            )
        })?;
        if d.name.trim().is_empty() {
            return Err(Error::invalid(format!("{at}.name"), "must not be empty"));
        }
        if let Some(m) = d.multiplier {
            if !m.is_finite() || m < 0.0 {
                return Err(Error::invalid(
                    format!("{at}.multiplier"),
                    format!("must be a finite number ≥ 0, got {m}"),
                ));
            }
            // The bound of the special-days CSV reader, so both places accept the same days.
            let max = crate::forecast::special_days::MAX_MULTIPLIER;
            if m > max {
                return Err(Error::invalid(
                    format!("{at}.multiplier"),
                    format!(
                        "must be at most {max} (the input limit), got {}",
                        crate::limits::show(m)
                    ),
                ));
            }
        }
        days.push(SpecialDay {
            date,
            name: d.name.trim().to_string(),
            multiplier: d.multiplier,
            line: origins.len(),
        });
        origins.push(Origin::Inline { site: i, index: k });
    }
    if let Some(path) = &spec.special_days_csv {
        let field = format!("sites[{i}].special_days_csv");
        let text = crate::limits::read_text(
            &base.join(path),
            path,
            "special days file",
            crate::limits::MAX_CSV_BYTES,
        )
        .map_err(|e| match e {
            Error::Io { path, source } => Error::io(format!("{field} = {path}"), source),
            other => other,
        })?;
        let from_file = crate::forecast::parse_special_days(path, &text)?;
        for d in from_file.days {
            origins.push(Origin::Csv {
                file: path.clone(),
                line: d.line,
            });
            days.push(SpecialDay {
                line: origins.len() - 1,
                ..d
            });
        }
    }
    let cal = SiteCalendar {
        days: SpecialDays {
            file: MERGED.to_string(),
            days,
        },
        origins,
    };
    for (k, d) in cal.days.days.iter().enumerate() {
        if let Some(j) = cal.days.days[..k].iter().position(|o| o.date == d.date) {
            return Err(cal.error(
                k,
                format!("date {} is already listed at {}", d.date, cal.place(j)),
            ));
        }
    }
    Ok(cal)
}

/// The sites whose templates serve each queue, built once per scenario so that finding a
/// queue's site costs a look-up, not a scan of every template for every queue and site (a
/// scenario of thousands of queues and templates is checked in linear time).
pub(crate) struct Serving<'a> {
    /// Site name → index of its first listing.
    sites: HashMap<&'a str, usize>,
    /// Queue name → indices of the sites whose templates serve it, ascending, no repeats.
    by_queue: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Serving<'a> {
    /// Indexes the sites and templates of `s`.
    pub(crate) fn new(s: &'a super::Scenario) -> Self {
        let mut sites = HashMap::with_capacity(s.sites.len());
        for (i, x) in s.sites.iter().enumerate() {
            sites.entry(x.name.as_str()).or_insert(i);
        }
        let mut by_queue: HashMap<&str, Vec<usize>> = HashMap::new();
        for t in &s.templates {
            let Some(&k) = sites.get(t.site.as_str()) else {
                continue;
            };
            for q in t.queues() {
                by_queue.entry(q).or_default().push(k);
            }
        }
        for v in by_queue.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Serving { sites, by_queue }
    }

    /// The index of the site called `name`.
    pub(crate) fn site(&self, name: &str) -> Option<usize> {
        self.sites.get(name).copied()
    }

    /// Indices of the sites whose templates serve `queue`, in site order.
    pub(crate) fn serving(&self, queue: &str) -> &[usize] {
        self.by_queue.get(queue).map_or(&[], Vec::as_slice)
    }
}

/// The site of queue `q` for its calendar and local time: its `site` when given (which must
/// name a site), else the one site whose templates serve it, else the only site. `None`
/// when no rule decides (templates at several sites, or none and several sites).
///
/// # Errors
///
/// [`Error::Invalid`] naming `queues[q].site` when it names no site of the scenario.
pub(crate) fn queue_site(
    s: &super::Scenario,
    q: usize,
    serving: &Serving<'_>,
) -> Result<Option<usize>> {
    let Some(queue) = s.queues.get(q) else {
        return Ok(None);
    };
    if let Some(name) = &queue.site {
        return match serving.site(name) {
            Some(i) => Ok(Some(i)),
            None => {
                let known: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
                Err(Error::invalid(
                    format!("queues[{q}].site"),
                    format!(
                        "{name:?} is not a site of this scenario ({})",
                        known.join(", ")
                    ),
                ))
            }
        };
    }
    Ok(match serving.serving(&queue.name) {
        [one] => Some(*one),
        [] if s.sites.len() == 1 => Some(0),
        _ => None,
    })
}

/// Names of the sites a queue could belong to, for the message when its site is ambiguous.
pub(crate) fn candidate_sites(s: &super::Scenario, q: usize, serving: &Serving<'_>) -> String {
    let Some(queue) = s.queues.get(q) else {
        return String::new();
    };
    let names: Vec<&str> = serving
        .serving(&queue.name)
        .iter()
        .filter_map(|&k| s.sites.get(k).map(|x| x.name.as_str()))
        .collect();
    if names.is_empty() {
        "no template serves it and the scenario has several sites".to_string()
    } else {
        format!("templates at {} serve it", names.join(" and "))
    }
}

/// Applies the calendar of `site` to an inline volume series: each special day of the
/// horizon with a multiplier scales the volume of its local date. Returns the days applied
/// as `(date, label)`.
///
/// # Errors
///
/// The day's place ([`SiteCalendar::error`]) when a special day in the horizon has no
/// multiplier.
pub(crate) fn apply_to_inline(
    cal: &SiteCalendar,
    site: &Site,
    horizon: &Horizon,
    queue: &str,
    volume: &mut [f64],
) -> Result<Vec<(NaiveDate, String)>> {
    let mut applied = Vec::new();
    for k in cal.in_horizon(site, horizon) {
        let d = &cal.days.days[k];
        let Some(m) = d.multiplier else {
            return Err(cal.error(
                k,
                format!(
                    "{} ({}) is in the horizon and applies to queue {queue:?}, whose volume is given inline: give a multiplier (there is no history to forecast the day from)",
                    d.date, d.name
                ),
            ));
        };
        for (i, t) in horizon.starts().enumerate() {
            if site.local(t).date_naive() == d.date {
                if let Some(v) = volume.get_mut(i) {
                    *v *= m;
                }
            }
        }
        applied.push((d.date, label(d)));
    }
    Ok(applied)
}

/// `Easter Monday ×0.4`, or the name alone for a day forecast from past occurrences.
pub(crate) fn label(d: &SpecialDay) -> String {
    match d.multiplier {
        Some(m) => format!("{} ×{m}", d.name),
        None => d.name.clone(),
    }
}
