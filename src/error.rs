//! The one error type of the crate.
//!
//! Every variant says *what* was wrong and *where*: the field path of a scenario value,
//! the file and line of a CSV row, the interval and site of an infeasible requirement.
//! Library code never panics on input; it returns one of these.

use thiserror::Error;

/// `Result` with [`Error`](enum@Error) as the error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `wfm`, with the place it went wrong.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A value is outside its domain (NaN, negative volume, zero handle time, a fraction
    /// outside (0, 1], ...). `field` is the path of the value, e.g. `queues[0].aht_seconds`
    /// or `--shrinkage`.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Path of the offending value.
        field: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A line of an input file could not be understood.
    #[error("{file}:{line}: {reason}")]
    Parse {
        /// The file (as the user named it).
        file: String,
        /// 1-based line number (the header is line 1).
        line: usize,
        /// What is wrong, naming the column where there is one.
        reason: String,
    },

    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A time zone name that is not in the IANA database.
    #[error(
        "{field}: unknown time zone {zone:?} (expected an IANA name such as \"Europe/London\")"
    )]
    UnknownTimeZone {
        /// Path of the offending value.
        field: String,
        /// The name that was given.
        zone: String,
    },

    /// A local time that does not exist at a site (skipped by a daylight-saving change)
    /// or is ambiguous (repeated by one), where the caller asked for it to be rejected.
    #[error("{field}: local time {local} in {zone} {reason}")]
    LocalTime {
        /// Path of the offending value.
        field: String,
        /// The local date and time, as given.
        local: String,
        /// The site's IANA zone.
        zone: String,
        /// "does not exist (...)" or "is ambiguous (...)".
        reason: String,
    },

    /// The scenario asks for something no plan or roster can give. The explanation names
    /// the interval (UTC and site-local), the site and the rule involved.
    #[error("infeasible: {explanation}")]
    Infeasible {
        /// Human-readable explanation naming interval, site and rule.
        explanation: String,
    },

    /// The LP/MIP backend failed in a way that is not the input's fault.
    #[error("solver ({backend}): {reason}")]
    Solver {
        /// Backend name (`microlp`, `highs`, `coin_cbc`).
        backend: String,
        /// What happened.
        reason: String,
    },
}

impl Error {
    /// Shorthand for [`Error::Invalid`]. A field or reason longer than
    /// [`MAX_MESSAGE_BYTES`] is shortened (see [`shorten`]).
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: shorten(field.into()),
            reason: shorten(reason.into()),
        }
    }

    /// Shorthand for [`Error::Parse`]. A file name or reason longer than
    /// [`MAX_MESSAGE_BYTES`] is shortened (see [`shorten`]).
    pub fn parse(file: impl Into<String>, line: usize, reason: impl Into<String>) -> Self {
        Error::Parse {
            file: shorten(file.into()),
            line,
            reason: shorten(reason.into()),
        }
    }

    /// The same error naming `file` too, for errors that name a field of that file but not
    /// the file itself (`invalid queues[0].volume` becomes `invalid scenario.json:
    /// queues[0].volume`). Errors that already name a file are returned unchanged.
    pub fn in_file(self, file: &str) -> Self {
        let named = |field: String| {
            if field.starts_with(file) {
                field
            } else {
                format!("{file}: {field}")
            }
        };
        match self {
            Error::Invalid { field, reason } => Error::Invalid {
                field: named(field),
                reason,
            },
            Error::UnknownTimeZone { field, zone } => Error::UnknownTimeZone {
                field: named(field),
                zone,
            },
            Error::LocalTime {
                field,
                local,
                zone,
                reason,
            } => Error::LocalTime {
                field: named(field),
                local,
                zone,
                reason,
            },
            Error::Infeasible { explanation } => Error::Infeasible {
                explanation: named(explanation),
            },
            other => other,
        }
    }

    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: shorten(path.into()),
            source,
        }
    }
}

/// Longest part (field, file name or reason) of an error message, in bytes: a message quotes
/// the value it refuses, and a hostile value (a 100 MB cell) must not become a 100 MB
/// message.
pub const MAX_MESSAGE_BYTES: usize = 2_000;

/// `s` when at most [`MAX_MESSAGE_BYTES`] long; else its beginning and its end around
/// `[… N characters left out …]`, cut between characters.
pub fn shorten(s: String) -> String {
    if s.len() <= MAX_MESSAGE_BYTES {
        return s;
    }
    let head = floor_char(&s, 1_500);
    let tail = ceil_char(&s, s.len() - 300);
    let left_out = s[head..tail].chars().count();
    format!(
        "{}[… {left_out} characters left out …]{}",
        &s[..head],
        &s[tail..]
    )
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Checks that `value` is finite and `>= 0`.
pub(crate) fn check_non_negative(field: &str, value: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::invalid(
            field,
            format!("must be a finite number, got {value}"),
        ));
    }
    if value < 0.0 {
        return Err(Error::invalid(
            field,
            format!("must not be negative, got {value}"),
        ));
    }
    Ok(value)
}

/// Checks that `value` is finite and `> 0`.
pub(crate) fn check_positive(field: &str, value: f64) -> Result<f64> {
    check_non_negative(field, value)?;
    if value == 0.0 {
        return Err(Error::invalid(field, "must be greater than zero"));
    }
    Ok(value)
}

/// Checks that `value` is a fraction in (0, 1].
pub(crate) fn check_fraction(field: &str, value: f64) -> Result<f64> {
    if !value.is_finite() || value <= 0.0 || value > 1.0 {
        return Err(Error::invalid(
            field,
            format!("must be a fraction in (0, 1], got {value}"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_shortened_between_characters() {
        let short = "x".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(shorten(short.clone()), short);
        let long = format!("{}{}", "é".repeat(1_000_000), "end");
        let s = shorten(long);
        assert!(s.len() < MAX_MESSAGE_BYTES + 100, "{}", s.len());
        assert!(s.contains("[… 999102 characters left out …]"), "{s}");
        assert!(s.starts_with("éé") && s.ends_with("éend"), "{s}");
        let e = Error::parse("f.csv", 2, format!("bad {:?}", "y".repeat(10_000_000)));
        assert!(e.to_string().len() < 2 * MAX_MESSAGE_BYTES);
    }
}
