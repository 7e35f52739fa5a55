//! Planning, evaluating and simulating scenarios. Each run returns the tables `wfm plan`
//! writes (`forecast.csv` among them) (the same CSV text, parsed into tables by the Python layer) and the summary as
//! JSON. A plan runs on a worker thread with the GIL released while the calling thread
//! polls for Ctrl-C every 100 ms: a KeyboardInterrupt sets the solve's stop flag, and the
//! best plan found so far is returned, marked as interrupted.

use crate::errors::{catch, guard, internal, to_py};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use wfm::budget::StopFlag;
use wfm::scenario::{Outcome, Prepared, Scenario};

/// How often a running solve looks for Ctrl-C.
const POLL: Duration = Duration::from_millis(100);

/// Reads a scenario from a file, or from JSON text whose forecast paths are relative to
/// `base`; `name` names the text in errors.
fn prepare(
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    base: PathBuf,
) -> wfm::Result<Prepared> {
    match (path, text) {
        (Some(p), None) => Scenario::load(&p),
        (None, Some(t)) => Scenario::parse(&t, name)?
            .prepare(&base)
            .map_err(|e| e.in_file(name)),
        _ => Err(wfm::Error::invalid(
            "scenario",
            "give a scenario file path or its JSON text",
        )),
    }
}

/// Runs `f` on a worker thread with the GIL released, polling for Ctrl-C. On a
/// KeyboardInterrupt the stop flag is set and the worker's answer is still awaited: the
/// result is `(answer, true)`. An error after an interrupt is the KeyboardInterrupt.
fn interruptible<T: Send>(
    py: Python<'_>,
    stop: &StopFlag,
    f: impl FnOnce() -> wfm::Result<T> + Send,
) -> PyResult<(T, bool)> {
    let mut signal: Option<PyErr> = None;
    let answer = py.detach(|| {
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            s.spawn(move || {
                let _ = tx.send(catch(f));
            });
            loop {
                match rx.recv_timeout(POLL) {
                    Ok(r) => return Some(r),
                    Err(RecvTimeoutError::Timeout) => {
                        if signal.is_none() {
                            if let Err(e) = Python::attach(|py| py.check_signals()) {
                                stop.store(true, Ordering::Relaxed);
                                signal = Some(e);
                            }
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        })
    });
    match (answer, signal) {
        (Some(Ok(v)), signal) => Ok((v, signal.is_some())),
        (Some(Err(_)), Some(sig)) => Err(sig),
        (Some(Err(e)), None) => Err(to_py(py, &e)),
        (None, _) => Err(internal(py, "the solve thread ended without an answer")),
    }
}

/// The run's tables as the CSV text of the files `wfm plan` writes, and its summary.
fn tables<'py>(
    py: Python<'py>,
    p: &Prepared,
    o: &Outcome,
    interrupted: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let files = guard(py, || {
        let out = o.outputs(p, chrono::Utc::now());
        let zones: Vec<chrono_tz::Tz> = (0..o.demands.len())
            .map(|q| out.queue_site(q).map_or(chrono_tz::Tz::UTC, |s| s.tz))
            .collect();
        let site_names: Vec<&str> = (0..o.demands.len())
            .map(|q| out.queue_site(q).map_or("", |s| s.name.as_str()))
            .collect();
        let plan = match &o.plan_rows {
            Some(rows) => Some(wfm::io::plan_csv(rows, &p.sites)?),
            None => None,
        };
        Ok((
            wfm::io::summary_json(&o.summary)?,
            wfm::io::requirements_csv(&p.horizon, &o.demands, &zones)?,
            plan,
            wfm::io::roster_csv(&o.roster, &p.sites)?,
            wfm::io::coverage_csv(&o.coverage, &o.demands, &zones)?,
            wfm::io::forecast_csv(&p.horizon, &o.demands, &p.forecasts, &zones, &site_names)?,
        ))
    })?;
    let d = PyDict::new(py);
    d.set_item("summary", files.0)?;
    d.set_item("requirements", files.1)?;
    d.set_item("plan", files.2)?;
    d.set_item("roster", files.3)?;
    d.set_item("coverage", files.4)?;
    d.set_item("forecast", files.5)?;
    d.set_item("interrupted", interrupted)?;
    Ok(d)
}

/// Plans a scenario: requirements, the shift plan, the roster, coverage and summary.
#[pyfunction]
#[pyo3(signature = (path, text, name, base, time_limit_seconds=None))]
pub fn plan<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    base: PathBuf,
    time_limit_seconds: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut p = guard(py, || prepare(path, text, name, base))?;
    if let Some(t) = time_limit_seconds {
        guard(py, || {
            wfm::limits::check_time_limit("time_limit_seconds", t)
        })?;
        p.solve.time_limit_seconds = t;
    }
    let stop = wfm::budget::stop_flag();
    p.solve.stop = Some(stop.clone());
    let (o, interrupted) = interruptible(py, &stop, || {
        wfm::scenario::plan(&p, None).map_err(|e| e.in_file(name))
    })?;
    tables(py, &p, &o, interrupted)
}

/// Evaluates a roster (a file, or CSV text named `roster_name`) against a scenario.
#[pyfunction(name = "evaluate_roster")]
#[pyo3(signature = (path, text, name, base, roster_path, roster_text, roster_name, lenient=false))]
#[allow(clippy::too_many_arguments)]
pub fn evaluate<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    base: PathBuf,
    roster_path: Option<PathBuf>,
    roster_text: Option<String>,
    roster_name: &str,
    lenient: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let p = guard(py, || prepare(path, text, name, base))?;
    let options = wfm::scenario::EvaluateOptions { lenient };
    let o = py.detach(|| {
        catch(|| match (roster_path, roster_text) {
            (Some(r), None) => wfm::scenario::evaluate_roster_with(&p, &r, options),
            (None, Some(t)) => wfm::scenario::evaluate_roster_text(&p, roster_name, &t, options),
            _ => Err(wfm::Error::invalid(
                "roster",
                "give a roster file path or its CSV text",
            )),
        })
    });
    // As `wfm evaluate`: errors about the roster name the roster, others the scenario.
    let o = guard(py, || {
        o.map_err(|e| match e {
            wfm::Error::Invalid { ref field, .. } if field.starts_with("roster") => e,
            e => e.in_file(name),
        })
    })?;
    tables(py, &p, &o, false)
}

/// Simulates a roster (a file, CSV text, or none: the scenario's own plan) contact by
/// contact: per-interval figures with 95 % intervals, and the summary.
#[pyfunction]
#[pyo3(signature = (path, text, name, base, roster_path, roster_text, roster_name, replications, seed, handle_cv=None, threads=0))]
#[allow(clippy::too_many_arguments)]
pub fn simulate<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    base: PathBuf,
    roster_path: Option<PathBuf>,
    roster_text: Option<String>,
    roster_name: &str,
    replications: u32,
    seed: u64,
    handle_cv: Option<f64>,
    threads: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let mut p = guard(py, || prepare(path, text, name, base))?;
    let mut spec = wfm::scenario::SimulateSpec::default();
    spec.options.replications = replications;
    spec.options.seed = seed;
    spec.options.threads = threads;
    if let Some(cv) = handle_cv {
        spec.handle = wfm::simulate::HandleTime::LogNormal { cv };
    }
    let stop = wfm::budget::stop_flag();
    p.solve.stop = Some(stop.clone());
    let ((roster, sim), interrupted) = interruptible(py, &stop, || {
        let roster = match (roster_path, roster_text) {
            (Some(r), None) => wfm::scenario::read_roster_for(&p, &r)?,
            (None, Some(t)) => wfm::scenario::parse_roster_for(&p, roster_name, &t)?,
            (None, None) => {
                wfm::scenario::plan(&p, None)
                    .map_err(|e| e.in_file(name))?
                    .roster
            }
            (Some(_), Some(_)) => {
                return Err(wfm::Error::invalid(
                    "roster",
                    "give a roster file path or its CSV text, not both",
                ))
            }
        };
        let sim = wfm::scenario::simulate_roster(&p, &roster, &spec, None)
            .map_err(|e| e.in_file(name))?;
        Ok((roster, sim))
    })?;
    let (summary, table, roster_csv) = guard(py, || {
        Ok((
            wfm::io::simulation_json(&p.name, &sim.results, sim.replay)?,
            wfm::io::simulation_csv(&sim.results)?,
            wfm::io::roster_csv(&roster, &p.sites)?,
        ))
    })?;
    let d = PyDict::new(py);
    d.set_item("summary", summary)?;
    d.set_item("simulation", table)?;
    d.set_item("roster", roster_csv)?;
    d.set_item("interrupted", interrupted)?;
    Ok(d)
}
