//! Erlang B, C and A over arrays: one call staffs or evaluates every interval of a year,
//! with the GIL released while it runs. The Python layer (`wfm/queueing.py`) broadcasts
//! scalars and arrays to one flat length before calling.

use crate::errors::{catch, guard, invalid};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use wfm::queueing::{Metrics, Model, Staffing, Target, Workload};

/// Per-interval inputs (all the same length) and the settings shared by every interval.
struct Question<'a> {
    volume: &'a [f64],
    aht_seconds: &'a [f64],
    period_seconds: &'a [f64],
    patience_seconds: Option<&'a [f64]>,
    shrinkage: &'a [f64],
    targets: Vec<Target>,
    concurrency: u32,
    service_level_seconds: Option<f64>,
}

/// The fields that vary per interval: with arrays, their errors name the index.
const PER_INTERVAL: [&str; 5] = [
    "volume",
    "aht_seconds",
    "period_seconds",
    "patience_seconds",
    "shrinkage",
];

impl Question<'_> {
    fn len(&self) -> usize {
        self.volume.len()
    }

    fn staffing(&self, i: usize) -> wfm::Result<Staffing> {
        let at = |e: wfm::Error| self.locate(e, i);
        let w = Workload::new(self.volume[i], self.period_seconds[i], self.aht_seconds[i])
            .map_err(at)?;
        let mut s = Staffing::new(w);
        if let Some(p) = self.patience_seconds {
            s = s.model(Model::ErlangA {
                patience_seconds: p[i],
            });
        }
        for t in &self.targets {
            s = s.target(*t);
        }
        s = s.shrinkage(self.shrinkage[i]).map_err(at)?;
        s = s.concurrency(self.concurrency)?;
        if let Some(t) = self.service_level_seconds {
            s = s.service_level_seconds(t)?;
        }
        Ok(s)
    }

    /// With more than one interval, an error names the interval: `volume[17]`, or
    /// `interval 17: ...` for an unattainable target.
    fn locate(&self, e: wfm::Error, i: usize) -> wfm::Error {
        if self.len() <= 1 {
            return e;
        }
        match e {
            wfm::Error::Invalid { field, reason } if PER_INTERVAL.contains(&field.as_str()) => {
                wfm::Error::Invalid {
                    field: format!("{field}[{i}]"),
                    reason,
                }
            }
            wfm::Error::Infeasible { explanation } => wfm::Error::Infeasible {
                explanation: format!("interval {i}: {explanation}"),
            },
            other => other,
        }
    }
}

/// Targets given as `(kind, value, within_seconds)` triples from Python.
fn targets(py: Python<'_>, raw: Vec<(String, f64, f64)>) -> PyResult<Vec<Target>> {
    raw.into_iter()
        .map(|(kind, value, within)| match kind.as_str() {
            "service_level" => Ok(Target::ServiceLevel {
                fraction: value,
                within_seconds: within,
            }),
            "asa" => Ok(Target::Asa { seconds: value }),
            "max_occupancy" => Ok(Target::MaxOccupancy(value)),
            "max_abandon" => Ok(Target::MaxAbandon(value)),
            "max_wait_probability" => Ok(Target::MaxWaitProbability(value)),
            other => Err(invalid(
                py,
                "targets",
                format!(
                    "unknown target {other:?}; known: service_level, asa, max_occupancy, \
                     max_abandon, max_wait_probability"
                ),
            )),
        })
        .collect()
}

/// Columns of metrics, one value per interval.
#[derive(Default)]
struct Columns {
    agents: Vec<i64>,
    scheduled: Vec<i64>,
    traffic_erlangs: Vec<f64>,
    wait_probability: Vec<f64>,
    service_level: Vec<f64>,
    service_level_seconds: Vec<f64>,
    asa_seconds: Vec<f64>,
    occupancy: Vec<f64>,
    abandon_probability: Vec<f64>,
    meets: Vec<bool>,
}

impl Columns {
    fn with_capacity(n: usize) -> Self {
        Columns {
            agents: Vec::with_capacity(n),
            scheduled: Vec::with_capacity(n),
            traffic_erlangs: Vec::with_capacity(n),
            wait_probability: Vec::with_capacity(n),
            service_level: Vec::with_capacity(n),
            service_level_seconds: Vec::with_capacity(n),
            asa_seconds: Vec::with_capacity(n),
            occupancy: Vec::with_capacity(n),
            abandon_probability: Vec::with_capacity(n),
            meets: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, scheduled: u32, m: &Metrics, meets: bool) {
        self.agents.push(i64::from(m.agents));
        self.scheduled.push(i64::from(scheduled));
        self.traffic_erlangs.push(m.traffic_erlangs);
        self.wait_probability.push(m.wait_probability);
        self.service_level.push(m.service_level);
        self.service_level_seconds.push(m.service_level_seconds);
        self.asa_seconds.push(m.asa_seconds);
        self.occupancy.push(m.occupancy);
        self.abandon_probability.push(m.abandon_probability);
        self.meets.push(meets);
    }

    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("agents", PyArray1::from_vec(py, self.agents))?;
        d.set_item("scheduled", PyArray1::from_vec(py, self.scheduled))?;
        d.set_item(
            "traffic_erlangs",
            PyArray1::from_vec(py, self.traffic_erlangs),
        )?;
        d.set_item(
            "wait_probability",
            PyArray1::from_vec(py, self.wait_probability),
        )?;
        d.set_item("service_level", PyArray1::from_vec(py, self.service_level))?;
        d.set_item(
            "service_level_seconds",
            PyArray1::from_vec(py, self.service_level_seconds),
        )?;
        d.set_item("asa_seconds", PyArray1::from_vec(py, self.asa_seconds))?;
        d.set_item("occupancy", PyArray1::from_vec(py, self.occupancy))?;
        d.set_item(
            "abandon_probability",
            PyArray1::from_vec(py, self.abandon_probability),
        )?;
        d.set_item("meets_targets", PyArray1::from_vec(py, self.meets))?;
        Ok(d)
    }
}

/// Staffs every interval: smallest productive agents meeting every target, scheduled
/// agents after shrinkage, and what they deliver.
#[pyfunction]
#[pyo3(signature = (volume, aht_seconds, period_seconds, shrinkage, targets, patience_seconds=None, concurrency=1, service_level_seconds=None))]
#[allow(clippy::too_many_arguments)]
pub fn staff<'py>(
    py: Python<'py>,
    volume: PyReadonlyArray1<'py, f64>,
    aht_seconds: PyReadonlyArray1<'py, f64>,
    period_seconds: PyReadonlyArray1<'py, f64>,
    shrinkage: PyReadonlyArray1<'py, f64>,
    targets: Vec<(String, f64, f64)>,
    patience_seconds: Option<PyReadonlyArray1<'py, f64>>,
    concurrency: u32,
    service_level_seconds: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let targets = self::targets(py, targets)?;
    let q = question(
        py,
        &volume,
        &aht_seconds,
        &period_seconds,
        &shrinkage,
        patience_seconds.as_ref(),
        targets,
        concurrency,
        service_level_seconds,
    )?;
    let cols = py.detach(|| {
        catch(|| {
            let mut c = Columns::with_capacity(q.len());
            for i in 0..q.len() {
                let r = q.staffing(i)?.solve().map_err(|e| q.locate(e, i))?;
                c.push(r.scheduled, &r.metrics, true);
            }
            Ok(c)
        })
    });
    guard(py, || cols)?.into_dict(py)
}

/// What given numbers of productive agents deliver in every interval, and whether they
/// meet the targets (every interval meets an empty list of targets).
#[pyfunction(name = "staffing_metrics")]
#[pyo3(signature = (volume, aht_seconds, period_seconds, shrinkage, agents, targets, patience_seconds=None, concurrency=1, service_level_seconds=None))]
#[allow(clippy::too_many_arguments)]
pub fn evaluate<'py>(
    py: Python<'py>,
    volume: PyReadonlyArray1<'py, f64>,
    aht_seconds: PyReadonlyArray1<'py, f64>,
    period_seconds: PyReadonlyArray1<'py, f64>,
    shrinkage: PyReadonlyArray1<'py, f64>,
    agents: PyReadonlyArray1<'py, i64>,
    targets: Vec<(String, f64, f64)>,
    patience_seconds: Option<PyReadonlyArray1<'py, f64>>,
    concurrency: u32,
    service_level_seconds: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let targets = self::targets(py, targets)?;
    let q = question(
        py,
        &volume,
        &aht_seconds,
        &period_seconds,
        &shrinkage,
        patience_seconds.as_ref(),
        targets,
        concurrency,
        service_level_seconds,
    )?;
    let agents = agents.as_slice()?;
    if agents.len() != q.len() {
        return Err(invalid(py, "agents", "must have one value per interval"));
    }
    let cols = py.detach(|| {
        catch(|| {
            let mut c = Columns::with_capacity(q.len());
            for (i, &a) in agents.iter().enumerate() {
                let field = if q.len() > 1 {
                    format!("agents[{i}]")
                } else {
                    "agents".to_string()
                };
                let n = u32::try_from(a).map_err(|_| {
                    wfm::Error::invalid(&field, format!("must be a whole number from 0, got {a}"))
                })?;
                let s = q.staffing(i)?;
                let m = s.evaluate(n).map_err(|e| match e {
                    wfm::Error::Invalid { reason, .. } => wfm::Error::Invalid {
                        field: field.clone(),
                        reason,
                    },
                    other => other,
                })?;
                let scheduled = wfm::queueing::scheduled_agents(n, s.shrinkage_fraction())
                    .map_err(|e| q.locate(e, i))?;
                c.push(scheduled, &m, s.meets(&m));
            }
            Ok(c)
        })
    });
    guard(py, || cols)?.into_dict(py)
}

#[allow(clippy::too_many_arguments)]
fn question<'a>(
    py: Python<'_>,
    volume: &'a PyReadonlyArray1<'_, f64>,
    aht_seconds: &'a PyReadonlyArray1<'_, f64>,
    period_seconds: &'a PyReadonlyArray1<'_, f64>,
    shrinkage: &'a PyReadonlyArray1<'_, f64>,
    patience_seconds: Option<&'a PyReadonlyArray1<'_, f64>>,
    targets: Vec<Target>,
    concurrency: u32,
    service_level_seconds: Option<f64>,
) -> PyResult<Question<'a>> {
    let q = Question {
        volume: volume.as_slice()?,
        aht_seconds: aht_seconds.as_slice()?,
        period_seconds: period_seconds.as_slice()?,
        patience_seconds: match patience_seconds {
            Some(p) => Some(p.as_slice()?),
            None => None,
        },
        shrinkage: shrinkage.as_slice()?,
        targets,
        concurrency,
        service_level_seconds,
    };
    let n = q.len();
    let same = [
        q.aht_seconds.len(),
        q.period_seconds.len(),
        q.shrinkage.len(),
    ]
    .into_iter()
    .chain(q.patience_seconds.map(<[f64]>::len))
    .all(|l| l == n);
    if !same {
        return Err(invalid(
            py,
            "volume",
            "the per-interval arrays must have the same length",
        ));
    }
    Ok(q)
}

/// Erlang B blocking or Erlang C waiting probability for arrays of servers and loads.
#[pyfunction]
#[pyo3(signature = (servers, erlangs, model))]
pub fn erlang_probability<'py>(
    py: Python<'py>,
    servers: PyReadonlyArray1<'py, i64>,
    erlangs: PyReadonlyArray1<'py, f64>,
    model: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (s, e) = (servers.as_slice()?, erlangs.as_slice()?);
    if s.len() != e.len() {
        return Err(invalid(py, "servers", "must have one value per load"));
    }
    let f: fn(u64, f64) -> wfm::Result<f64> = match model {
        "b" => wfm::queueing::erlang_b,
        "c" => wfm::queueing::erlang_c,
        _ => return Err(invalid(py, "model", "must be \"b\" or \"c\"")),
    };
    let out = py.detach(|| {
        catch(|| {
            let many = s.len() > 1;
            s.iter()
                .zip(e)
                .enumerate()
                .map(|(i, (&n, &a))| {
                    let n = u64::try_from(n).map_err(|_| {
                        wfm::Error::invalid(
                            if many {
                                format!("servers[{i}]")
                            } else {
                                "servers".into()
                            },
                            format!("must be a whole number from 0, got {n}"),
                        )
                    })?;
                    f(n, a).map_err(|err| match err {
                        wfm::Error::Invalid { field, reason } if many => wfm::Error::Invalid {
                            field: format!("{field}[{i}]"),
                            reason,
                        },
                        other => other,
                    })
                })
                .collect::<wfm::Result<Vec<f64>>>()
        })
    });
    Ok(PyArray1::from_vec(py, guard(py, || out)?))
}
