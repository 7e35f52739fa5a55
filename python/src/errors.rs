//! `wfm::Error` as Python exceptions, and the guard that keeps panics on this side.
//!
//! Each error variant becomes one class of `wfm.errors` (all subclasses of `wfm.WfmError`)
//! with the Rust error's message and its place as attributes: `field`, `file`, `line`,
//! `reason`.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The Python class name and the `(field, file, line, reason)` of an error.
fn parts(
    e: &wfm::Error,
) -> (
    &'static str,
    Option<String>,
    Option<String>,
    Option<usize>,
    String,
) {
    match e {
        wfm::Error::Invalid { field, reason } => {
            let (file, field) = split_file(field);
            ("InvalidInput", Some(field), file, None, reason.clone())
        }
        wfm::Error::Parse { file, line, reason } => (
            "ParseError",
            None,
            Some(file.clone()),
            Some(*line),
            reason.clone(),
        ),
        wfm::Error::Io { path, source } => (
            "FileError",
            None,
            Some(path.clone()),
            None,
            source.to_string(),
        ),
        wfm::Error::UnknownTimeZone { field, zone } => {
            let (file, field) = split_file(field);
            (
                "UnknownTimeZone",
                Some(field),
                file,
                None,
                format!("unknown time zone {zone:?}"),
            )
        }
        wfm::Error::LocalTime {
            field,
            local,
            zone,
            reason,
        } => {
            let (file, field) = split_file(field);
            (
                "LocalTimeError",
                Some(field),
                file,
                None,
                format!("local time {local} in {zone} {reason}"),
            )
        }
        wfm::Error::Infeasible { explanation } => {
            let (file, reason) = split_file(explanation);
            ("Infeasible", None, file, None, reason)
        }
        wfm::Error::Solver { reason, .. } => ("SolverError", None, None, None, reason.clone()),
        _ => ("WfmError", None, None, None, e.to_string()),
    }
}

/// A field path named with its file (`scenario.json: queues[0].volume`, see
/// `wfm::Error::in_file`) split into the file and the path.
fn split_file(field: &str) -> (Option<String>, String) {
    match field.split_once(": ") {
        Some((file, rest)) if looks_like_file(file) && !rest.is_empty() => {
            (Some(file.to_string()), rest.to_string())
        }
        _ => (None, field.to_string()),
    }
}

/// Whether the text before `: ` names a file (a path, or the name a table or scenario text
/// is shown under) rather than being part of the message.
fn looks_like_file(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(' ')
        && (s.contains('.')
            || s.contains('/')
            || matches!(s, "scenario" | "history" | "roster" | "forecast"))
}

/// The Python exception for `e`: an instance of its `wfm.errors` class, with the message of
/// the Rust error and the attributes `field`, `file`, `line`, `reason`.
pub fn to_py(py: Python<'_>, e: &wfm::Error) -> PyErr {
    let message = e.to_string();
    let (class, field, file, line, reason) = parts(e);
    let made = (|| -> PyResult<PyErr> {
        let cls = py.import("wfm.errors")?.getattr(class)?;
        let value = cls.call1((message.clone(),))?;
        value.setattr("field", field)?;
        value.setattr("file", file)?;
        value.setattr("line", line)?;
        value.setattr("reason", reason)?;
        Ok(PyErr::from_value(value))
    })();
    // Without the Python package (the module imported alone), a plain RuntimeError.
    made.unwrap_or_else(|_| PyRuntimeError::new_err(message))
}

/// Runs `f`, turning a library error into its Python exception and a panic (a bug, never
/// expected) into `wfm.WfmError` naming it, so that no panic crosses into Python.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> wfm::Result<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py(py, &e)),
        Err(panic) => Err(internal(py, &panic_text(&panic))),
    }
}

/// `wfm.WfmError` for an internal failure (a panic caught at the boundary).
pub fn internal(py: Python<'_>, what: &str) -> PyErr {
    let message = format!("internal error (please report it): {what}");
    let made = (|| -> PyResult<PyErr> {
        let cls = py.import("wfm.errors")?.getattr("WfmError")?;
        Ok(PyErr::from_value(cls.call1((message.clone(),))?))
    })();
    made.unwrap_or_else(|_| PyRuntimeError::new_err(message))
}

/// The message of a caught panic.
pub fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// Shorthand for an `InvalidInput` raised by the bindings' own argument checks.
pub fn invalid(py: Python<'_>, field: &str, reason: impl Into<String>) -> PyErr {
    to_py(py, &wfm::Error::invalid(field, reason))
}

/// Runs `f`, keeping a panic from unwinding into Python (see [`guard`]); for
/// closures run without the GIL, which cannot build Python exceptions.
pub fn catch<T>(f: impl FnOnce() -> wfm::Result<T>) -> wfm::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(wfm::Error::Solver {
            backend: "internal".to_string(),
            reason: format!("internal error (please report it): {}", panic_text(&p)),
        }),
    }
}
