//! Input limits: the largest value of each input that `wfm` accepts, checked before any work.
//!
//! The limits are chosen from the largest real operations (tens of thousands of agents, a
//! year of planning, a few years of history) with room to spare, and so that every
//! algorithm answers quickly right up to them: an input beyond a limit is a named
//! [`Error::Invalid`] or [`Error::Parse`], never minutes of work or gigabytes of memory.
//! `docs/limits.md` lists them in one table with the reason for each.
//!
//! Files are read through [`read_text`], which stops after the size limit of the file's
//! kind, so a path naming an endless device (`/dev/zero`) or a huge file is an error after
//! reading at most that many bytes.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// Largest offered load of one interval, in Erlangs (sessions, for chat): 100 000, ten
/// times the largest single queues in operation.
pub const MAX_ERLANGS: f64 = 100_000.0;
/// Largest arrival rate, contacts per second (720 000 an hour, far above any single queue).
pub const MAX_ARRIVALS_PER_SECOND: f64 = 200.0;
/// Smallest average handle time, seconds.
pub const MIN_AHT_SECONDS: f64 = 1.0;
/// Largest average handle time, seconds (one day).
pub const MAX_AHT_SECONDS: f64 = 86_400.0;
/// Shortest queueing period (interval), seconds.
pub const MIN_PERIOD_SECONDS: f64 = 60.0;
/// Longest queueing period (interval), seconds (one day).
pub const MAX_PERIOD_SECONDS: f64 = 86_400.0;
/// Shortest mean patience (Erlang A), seconds.
pub const MIN_PATIENCE_SECONDS: f64 = 1.0;
/// Longest mean patience (Erlang A), seconds (one hour).
pub const MAX_PATIENCE_SECONDS: f64 = 3_600.0;
/// Longest service-level threshold and ASA target, seconds (one hour).
pub const MAX_TARGET_SECONDS: f64 = 3_600.0;
/// Smallest occupancy cap (fraction): below it the cap alone asks for more agents than
/// [`MAX_AGENTS`] at any real load.
pub const MIN_MAX_OCCUPANCY: f64 = 0.01;
/// Largest number of agents (productive or scheduled) in one interval or one evaluation.
pub const MAX_AGENTS: u32 = 1_000_000;
/// Largest shrinkage (fraction of paid time off contacts): 0.9, i.e. ten scheduled agents
/// per productive agent.
pub const MAX_SHRINKAGE: f64 = 0.9;
/// Most sessions one agent handles at once (chat).
pub const MAX_CONCURRENCY: u32 = 20;
/// Longest planning horizon of a scenario, days.
pub const MAX_HORIZON_DAYS: u32 = 366;
/// Longest time grid of any kind (history included), days: ten years.
pub const MAX_GRID_DAYS: i64 = 3_660;
/// Longest minimum rest between two shifts, hours (one week).
pub const MAX_REST_HOURS: f64 = 168.0;
/// Longest time limit of a solve, seconds (one day).
pub const MAX_TIME_LIMIT_SECONDS: f64 = 86_400.0;
/// Largest cost of one shift or one paid hour, and largest budget per shift of the
/// horizon: totals stay far from overflow.
pub const MAX_COST: f64 = 1e9;
/// Largest number of contacts of one row or interval of an input file.
pub const MAX_VOLUME: f64 = 1e8;
/// Most replications of one simulation: the confidence intervals narrow as one over the
/// square root of the replications, so 10 000 give a hundredth of one run's spread.
pub const MAX_REPLICATIONS: u32 = 10_000;
/// Largest coefficient of variation of lognormal handle times: real handle times have 0.5
/// to 2; beyond 100 the lognormal's parameters stop being finite numbers.
pub const MAX_HANDLE_CV: f64 = 100.0;
/// Largest scenario JSON file, bytes (64 MiB).
pub const MAX_SCENARIO_BYTES: u64 = 64 << 20;
/// Largest forecast CSV of a scenario, bytes (16 MiB): one row per interval of at most a
/// year, about 4 MiB at 5 minutes.
pub const MAX_FORECAST_CSV_BYTES: u64 = 16 << 20;
/// Largest history CSV, outside forecast CSV (`wfm forecast score`) or special-days file,
/// bytes (128 MiB).
pub const MAX_CSV_BYTES: u64 = 128 << 20;
/// Largest output file [`crate::io::verify_outputs`] reads back, bytes (1 GiB).
pub const MAX_OUTPUT_FILE_BYTES: u64 = 1 << 30;
/// Largest contact log, bytes (1 GiB).
pub const MAX_CONTACT_LOG_BYTES: u64 = 1 << 30;
/// Largest JSON contact export (`wfm contacts` on a JSON file), bytes (256 MiB): it is read
/// whole and turned into a table, about three times its size in memory at the peak
/// (hundreds of thousands of tickets fit in far less).
pub const MAX_JSON_EXPORT_BYTES: u64 = 256 << 20;
/// Largest column mapping of a contact export (`wfm contacts --mapping`), bytes (1 MiB): a
/// mapping names a few dozen columns and values.
pub const MAX_MAPPING_BYTES: u64 = 1 << 20;
/// Largest Curtois instance file, bytes (16 MiB).
pub const MAX_CURTOIS_BYTES: u64 = 16 << 20;
/// Most data rows of a history file: ten years of 5-minute intervals.
pub const MAX_HISTORY_ROWS: usize = 1_100_000;
/// Most contacts in a contact log.
pub const MAX_CONTACT_ROWS: usize = 20_000_000;
/// Most rows (agent-shifts) of a roster file: 50 000 agents × 20 shifts.
pub const MAX_ROSTER_ROWS: usize = 1_000_000;
/// Most named agents in a scenario.
pub const MAX_NAMED_AGENTS: usize = 100_000;
/// Most sites in a scenario: follow-the-sun operations have a few dozen.
pub const MAX_SITES: usize = 1_000;
/// Most queues in a scenario: the largest operations plan a few hundred.
pub const MAX_SCENARIO_QUEUES: usize = 2_000;
/// Most shift templates in a scenario.
pub const MAX_TEMPLATES: usize = 10_000;

/// Reads the UTF-8 text of `path`, at most `max_bytes` of it: a longer file (or an endless
/// device) is an error naming the limit, after reading `max_bytes + 1` bytes at most.
/// `shown` names the file in errors; `what` says what kind of file it is.
///
/// # Errors
///
/// [`Error::Io`] naming `shown` when the file cannot be opened or read, or is a folder;
/// [`Error::Parse`] at line 1 when the file is longer than `max_bytes`, or at the line of the first
/// bad byte when it is not UTF-8 text.
pub fn read_text(path: &Path, shown: &str, what: &str, max_bytes: u64) -> Result<String> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(shown, e))?;
    let meta = file.metadata().ok();
    if meta.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(Error::io(
            shown,
            std::io::Error::other(format!("is a folder, not a {what}")),
        ));
    }
    let too_long = || {
        Error::parse(
            shown,
            1,
            format!(
                "a {what} may have at most {max_bytes} bytes ({}); this one is longer",
                human_bytes(max_bytes)
            ),
        )
    };
    // A regular file's size is known before reading: one over the cap is refused at once
    // (a pipe or device is read up to the cap, as its size is not known).
    if meta.is_some_and(|m| m.is_file() && m.len() > max_bytes) {
        return Err(too_long());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(shown, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_long());
    }
    if let Some(why) = not_utf8_encoding(&bytes) {
        return Err(Error::parse(shown, 1, why));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::parse(shown, line, "not UTF-8 text")
    })
}

/// Why the start of a file shows it is text in another encoding than UTF-8, if it does:
/// a UTF-16 or UTF-32 byte-order mark, or a NUL byte beside every character of its first
/// 64 bytes (UTF-16 without a mark, as some Windows tools write "Unicode text"). Such files are
/// refused with this reason rather than read as garbage column names.
pub fn not_utf8_encoding(start: &[u8]) -> Option<String> {
    let name = if start.starts_with(&[0xFF, 0xFE, 0, 0]) || start.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("UTF-32")
    } else if start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16")
    } else {
        // UTF-16 text without a mark: ASCII characters with a NUL byte beside each one,
        // on the same side throughout the first bytes.
        let head = &start[..start.len().min(64)];
        let all = |parity: usize, nul: bool| {
            head.iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == parity)
                .all(|(_, &b)| (b == 0) == nul)
        };
        (head.len() >= 4 && ((all(1, true) && all(0, false)) || (all(0, true) && all(1, false))))
            .then_some("UTF-16 (no byte-order mark)")
    }?;
    Some(format!(
        "the file is encoded as {name}, which is not read: save it as UTF-8 (in a spreadsheet: CSV UTF-8)"
    ))
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 30 && n % (1 << 30) == 0 {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// `x` for a message: plain for everyday magnitudes, in exponent form for huge or tiny ones
/// (so `1e300` is not printed with 300 digits).
pub fn show(x: f64) -> String {
    let m = x.abs();
    if x.is_finite() && m != 0.0 && !(1e-4..1e9).contains(&m) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A derived quantity for a message, rounded: one decimal for everyday magnitudes, four
/// significant digits in exponent form for huge ones (`2.778e296`).
pub fn approx(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e9 {
        format!("{x:.3e}")
    } else {
        format!("{x:.1}")
    }
}

/// Checks that `value` is a finite number in `[min, max]`, naming `field` and the limit.
pub(crate) fn check_range(field: &str, value: f64, min: f64, max: f64, unit: &str) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::invalid(
            field,
            format!("must be a finite number, got {value}"),
        ));
    }
    if value < min || value > max {
        return Err(Error::invalid(
            field,
            format!(
                "must be between {} and {}{unit}, got {}",
                show(min),
                show(max),
                show(value)
            ),
        ));
    }
    Ok(value)
}

/// Checks a time limit in seconds: a finite number `> 0` and at most
/// [`MAX_TIME_LIMIT_SECONDS`].
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `seconds` is not a finite number above 0, or is above
/// [`MAX_TIME_LIMIT_SECONDS`].
pub fn check_time_limit(field: &str, seconds: f64) -> Result<f64> {
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(Error::invalid(
            field,
            format!("must be a number of seconds > 0, got {}", show(seconds)),
        ));
    }
    if seconds > MAX_TIME_LIMIT_SECONDS {
        return Err(Error::invalid(
            field,
            format!(
                "must be at most {MAX_TIME_LIMIT_SECONDS} s (one day), got {}",
                show(seconds)
            ),
        ));
    }
    Ok(seconds)
}

/// The line (1-based) where a CSV record of `text` starts: blank lines, which the reader
/// skips, and line breaks inside quoted cells are counted, so messages name the line a user
/// sees in an editor. `text` is what the reader reads; `fallback` is used when the reader
/// gives no position.
pub(crate) fn record_line(
    rec: &std::result::Result<csv::StringRecord, csv::Error>,
    text: &str,
    fallback: usize,
) -> usize {
    let position = match rec {
        Ok(r) => r.position(),
        Err(e) => e.position(),
    };
    let Some(p) = position else {
        return fallback;
    };
    // The reader's position is where the previous record ended: skip the blank lines.
    let blank = usize::try_from(p.byte())
        .ok()
        .and_then(|b| text.as_bytes().get(b..))
        .map(|rest| {
            rest.iter()
                .take_while(|&&c| c == b'\n' || c == b'\r')
                .filter(|&&c| c == b'\n')
                .count()
        })
        .unwrap_or(0);
    usize::try_from(p.line()).map_or(fallback, |l| l + blank)
}

/// The position of the column `name` in the CSV header `headers` of `file`, or `None`.
///
/// # Errors
///
/// [`Error::Parse`] naming `file`, line 1, when the column appears twice: which of the two
/// holds the data is not guessed.
pub(crate) fn unique_column(
    file: &str,
    headers: &csv::StringRecord,
    name: &str,
) -> Result<Option<usize>> {
    let mut found = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| *h == name)
        .map(|(i, _)| i);
    match (found.next(), found.next()) {
        (Some(i), Some(j)) => Err(Error::parse(
            file,
            1,
            format!(
                "column {name:?} appears twice in the header (columns {} and {})",
                i + 1,
                j + 1
            ),
        )),
        (first, _) => Ok(first),
    }
}

/// Checks that a name (of a site, queue, template, agent, ...) holds no control character:
/// a line break, tab, NUL or other invisible character cannot be written into a calendar
/// (RFC 5545 forbids them) or a web page, and is almost always a mistake in the input.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` at the first control character, by its position and
/// code point.
pub fn check_name(field: &str, name: &str) -> Result<()> {
    match name.chars().enumerate().find(|(_, c)| c.is_control()) {
        Some((k, c)) => Err(Error::invalid(
            field,
            format!(
                "{name:?} holds a control character (U+{:04X}) at character {}: names are \
                 written into CSV, calendar and web-page outputs, where such a character \
                 breaks the file",
                u32::from(c),
                k + 1
            ),
        )),
        None => Ok(()),
    }
}

/// Strips a UTF-8 byte-order mark from the start of `text`.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn other_encodings_are_named() {
        use super::not_utf8_encoding as enc;
        assert!(enc(b"\xFF\xFEa\0,\0b\0").unwrap().contains("UTF-16"));
        assert!(enc(b"\xFE\xFF\0a\0,").unwrap().contains("UTF-16"));
        assert!(enc(b"\xFF\xFE\0\0a\0\0\0").unwrap().contains("UTF-32"));
        assert!(enc(b"a\0,\0b\0\r\0\n\0")
            .unwrap()
            .contains("no byte-order mark"));
        assert!(enc(b"\xEF\xBB\xBFa,b\n").is_none());
        assert!(enc(b"a,b\nc,\0\n").is_none());
        assert!(enc(b"\0\x01\x02\x03\x04\x05\x06\x07").is_none());
        assert!(enc(b"\0a\0,\0b").unwrap().contains("no byte-order mark"));
    }

    use super::*;

    #[test]
    fn reading_stops_at_the_limit() {
        let dir = std::env::temp_dir().join(format!("wfm-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("big.csv");
        std::fs::write(&p, "x".repeat(101)).unwrap();
        let e = read_text(&p, "big.csv", "CSV file", 100).unwrap_err();
        assert!(e.to_string().contains("at most 100 bytes"), "{e}");
        assert_eq!(
            read_text(&p, "big.csv", "CSV file", 101).unwrap().len(),
            101
        );
        std::fs::write(&p, b"a\nb\xff").unwrap();
        let e = read_text(&p, "big.csv", "CSV file", 100).unwrap_err();
        assert_eq!(e.to_string(), "big.csv:2: not UTF-8 text");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size_before_any_read() {
        let dir = std::env::temp_dir().join(format!("wfm-limits-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("huge.json");
        // A sparse file of 64 GiB: reading it up to a cap one byte below its size would
        // take minutes; its size refuses it at once, whatever the cap.
        let f = std::fs::File::create(&p).unwrap();
        if f.set_len(64 << 30).is_ok() {
            let e = read_text(&p, "huge.json", "JSON file", (64 << 30) - 1).unwrap_err();
            assert!(e
                .to_string()
                .starts_with("huge.json:1: a JSON file may have at most"));
        }
        drop(f);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_cut_off() {
        let e = read_text(Path::new("/dev/zero"), "/dev/zero", "CSV file", 1 << 20).unwrap_err();
        assert!(e.to_string().contains("1 MiB"), "{e}");
    }

    #[test]
    fn time_limits() {
        assert!(check_time_limit("t", 10.0).is_ok());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e20, 86_401.0] {
            assert!(check_time_limit("t", bad).is_err(), "{bad}");
        }
    }
}
