//! Contact exports in (help-desk tickets and call records read into interval histories),
//! special-day calendars, and the intraday re-forecast: what `wfm contacts` and
//! `wfm forecast reforecast` do, for the Python package.

use crate::errors::{catch, guard};
use crate::forecast::{history, Source};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::PathBuf;
use wfm::forecast::exports::{self, Kind, Layout, ReadOptions};
use wfm::forecast::{self as wf, SpecialDays};
use wfm::time::{fmt_utc, parse_date};

/// A special-day calendar from a path or CSV text.
pub fn special_days(src: &Source) -> wfm::Result<SpecialDays> {
    match src {
        Source::Path(p) => wf::read_special_days(p),
        Source::Text(t, name) => wf::parse_special_days(name, t),
    }
}

/// Whether a JSON layout names `key` at its top level.
fn layout_names(json: Option<&str>, key: &str) -> bool {
    json.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .is_some_and(|v| v.get(key).is_some())
}

/// Reads a contact export into one interval history per queue (CSV text, the files
/// `wfm contacts` writes) and the achieved table, with the counts of rows read and left
/// out.
#[pyfunction]
#[pyo3(signature = (path, preset, layout_json, layout_path, interval, zone, within, date_from, date_to))]
#[allow(clippy::too_many_arguments)]
pub fn contacts<'py>(
    py: Python<'py>,
    path: PathBuf,
    preset: Option<&str>,
    layout_json: Option<&str>,
    layout_path: Option<PathBuf>,
    interval: &str,
    zone: Option<&str>,
    within: Option<&str>,
    date_from: Option<&str>,
    date_to: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = py.detach(|| {
        catch(|| {
            let mut l = match preset {
                Some(p) => exports::preset(p)?,
                None => Layout::default(),
            };
            if let Some(j) = layout_json {
                l = Layout::from_json("layout", j, l)?;
            }
            if let Some(m) = &layout_path {
                let name = m.display().to_string();
                let text = wfm::limits::read_text(
                    m,
                    &name,
                    "mapping file",
                    wfm::limits::MAX_MAPPING_BYTES,
                )?;
                l = Layout::from_json(&name, &text, l)?;
            }
            if let Some(z) = zone {
                l.zone = Some(z.to_string());
            }
            // As `wfm contacts`: a delimiter no layout names is found from the header line.
            let names_delimiter = layout_names(layout_json, "delimiter")
                || match &layout_path {
                    Some(m) => layout_names(
                        Some(&wfm::limits::read_text(
                            m,
                            &m.display().to_string(),
                            "mapping file",
                            wfm::limits::MAX_MAPPING_BYTES,
                        )?),
                        "delimiter",
                    ),
                    None => false,
                };
            let detected = if names_delimiter {
                None
            } else {
                exports::detect_delimiter(&path, l.delimiter)
            };
            if let Some(d) = detected {
                l.delimiter = d;
            }
            let within = match within {
                Some(w) => wfm::time::parse_duration("within", w, 1.0)?,
                None if l.kind == Kind::Tickets => 86_400.0,
                None => 20.0,
            };
            let zone = match &l.zone {
                Some(z) => Some(wfm::time::parse_tz("zone", z)?),
                None => None,
            };
            let opts = ReadOptions {
                zone,
                interval_minutes: wf::parse_minutes("interval", interval)?,
                within_seconds: within,
                from: date_from.map(|s| parse_date("date_from", s)).transpose()?,
                to: date_to.map(|s| parse_date("date_to", s)).transpose()?,
            };
            Ok((exports::read_export(&path, &l, opts)?, detected))
        })
    });
    let (h, detected) = guard(py, || out)?;
    let d = PyDict::new(py);
    let queues = PyList::empty(py);
    for (q, file) in h.queues.iter().zip(h.file_names()) {
        queues.append((q.name.as_str(), file, h.queue_csv(q)))?;
    }
    d.set_item("queues", queues)?;
    d.set_item("achieved", h.achieved_csv())?;
    d.set_item("rows", h.rows)?;
    d.set_item("excluded", h.excluded)?;
    d.set_item("outside", h.outside)?;
    d.set_item("duplicates", h.duplicates)?;
    d.set_item("ids_checked", h.ids_checked)?;
    d.set_item("footer_rows", h.footer_rows)?;
    d.set_item("zone", h.zone.name())?;
    d.set_item(
        "kind",
        if h.kind == Kind::Tickets {
            "tickets"
        } else {
            "calls"
        },
    )?;
    d.set_item("within_seconds", h.within_seconds)?;
    d.set_item("interval_minutes", h.horizon.interval_minutes())?;
    d.set_item("start_utc", fmt_utc(h.horizon.start()))?;
    d.set_item("intervals", h.horizon.len())?;
    d.set_item("delimiter_detected", detected.map(String::from))?;
    Ok(d)
}

/// The live re-forecast of the rest of the day the actuals cover.
#[pyfunction]
#[pyo3(signature = (fc_path, fc_text, fc_name, path, text, name, tz, interval, shrink))]
#[allow(clippy::too_many_arguments)]
pub fn reforecast<'py>(
    py: Python<'py>,
    fc_path: Option<PathBuf>,
    fc_text: Option<String>,
    fc_name: &str,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    tz: &str,
    interval: Option<&str>,
    shrink: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let fsrc = Source::new(py, fc_path, fc_text, fc_name)?;
    let src = Source::new(py, path, text, name)?;
    let out = py.detach(|| {
        catch(|| {
            let (fc, fname) = match &fsrc {
                Source::Path(p) => (wf::read_forecast(p)?, p.display().to_string()),
                Source::Text(t, n) => (wf::parse_forecast(n, t)?, n.clone()),
            };
            let act = history(&src, tz, interval)?;
            let aname = match &src {
                Source::Path(p) => p.display().to_string(),
                Source::Text(_, n) => n.clone(),
            };
            wf::reforecast_day(&fc, &act, shrink, &fname, &aname)
        })
    });
    let r = guard(py, || out)?;
    let d = PyDict::new(py);
    d.set_item("day", r.day.to_string())?;
    d.set_item("cutoff_utc", fmt_utc(r.cutoff))?;
    d.set_item("actual_so_far", r.actual_so_far)?;
    d.set_item("forecast_so_far", r.forecast_so_far)?;
    d.set_item("forecast_day", r.forecast_day)?;
    d.set_item("factor", r.factor)?;
    let starts: Vec<String> = r.rest.iter().map(|x| fmt_utc(x.start)).collect();
    d.set_item("interval_start_utc", starts)?;
    d.set_item(
        "forecast",
        r.rest.iter().map(|x| x.forecast).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "reforecast",
        r.rest.iter().map(|x| x.reforecast).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "load_change_erlangs",
        r.rest
            .iter()
            .map(|x| x.load_change_erlangs)
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "agents",
        r.rest.iter().map(|x| x.agents()).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

/// The backtest of the intraday re-forecast: per local cut-off, the rest-of-day WAPE of
/// `method`'s week-ahead forecast and of its re-forecast over the last `folds` weeks.
#[pyfunction]
#[pyo3(signature = (path, text, name, tz, interval, method, folds, cutoffs, shrink))]
#[allow(clippy::too_many_arguments)]
pub fn reforecast_backtest<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    tz: &str,
    interval: Option<&str>,
    method: &str,
    folds: usize,
    cutoffs: &str,
    shrink: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let src = Source::new(py, path, text, name)?;
    let out = py.detach(|| {
        catch(|| {
            if !shrink.is_finite() || shrink < 0.0 {
                return Err(wfm::Error::invalid("shrink", "must be a finite number ≥ 0"));
            }
            let series = history(&src, tz, interval)?;
            let m = wf::method_by_name(method)?;
            let cuts = wf::parse_cutoffs("cutoffs", cutoffs)?;
            wf::reforecast_backtest(&series, m.as_ref(), folds, &cuts, shrink)
        })
    });
    let scores = guard(py, || out)?;
    let d = PyDict::new(py);
    let cut: Vec<String> = scores
        .iter()
        .map(|s| s.cutoff.format("%H:%M").to_string())
        .collect();
    d.set_item("cutoff", cut)?;
    d.set_item("days", scores.iter().map(|s| s.days).collect::<Vec<_>>())?;
    d.set_item(
        "wape_forecast",
        scores.iter().map(|s| s.wape_forecast).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "wape_reforecast",
        scores.iter().map(|s| s.wape_reforecast).collect::<Vec<_>>(),
    )?;
    Ok(d)
}
