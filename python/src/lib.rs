//! `wfm._native`: the Python extension module. It converts Python values, calls the
//! library and converts the answers back; the Python package `wfm` wraps it (tables,
//! defaults, docstrings). Nothing here computes what the library computes.

mod errors;
mod forecast;
mod intake;
mod queueing;
mod scenario;

use pyo3::prelude::*;

/// A duration in seconds from the library's syntax (`30m`, `1800s`, `1h`, `7d`); a bare
/// number is in units of `bare_unit_seconds`. Errors name `field`.
#[pyfunction]
fn parse_duration(
    py: Python<'_>,
    field: &str,
    text: &str,
    bare_unit_seconds: f64,
) -> PyResult<f64> {
    errors::guard(py, || {
        wfm::time::parse_duration(field, text, bare_unit_seconds)
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(queueing::staff, m)?)?;
    m.add_function(wrap_pyfunction!(queueing::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(queueing::erlang_probability, m)?)?;
    m.add_function(wrap_pyfunction!(forecast::methods, m)?)?;
    m.add_function(wrap_pyfunction!(forecast::backtest, m)?)?;
    m.add_function(wrap_pyfunction!(forecast::forecast, m)?)?;
    m.add_function(wrap_pyfunction!(forecast::score_folds, m)?)?;
    m.add_function(wrap_pyfunction!(intake::contacts, m)?)?;
    m.add_function(wrap_pyfunction!(intake::reforecast, m)?)?;
    m.add_function(wrap_pyfunction!(intake::reforecast_backtest, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::plan, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::simulate, m)?)?;
    m.add_function(wrap_pyfunction!(parse_duration, m)?)?;
    Ok(())
}
