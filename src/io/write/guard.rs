//! What an output may replace: never a file the command read, never a file of the user's.
//! The checks a command runs before any work ([`check_out_dir`], [`check_out_file`],
//! [`check_replaces_ours`]) and [`super::Staging`] runs again before anything is moved
//! into place.

use crate::error::{Error, Result};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

/// The files `wfm plan` and `wfm evaluate` write (`plan.csv` only after a plan).
pub const OUTPUT_FILES: [&str; 9] = [
    "requirements.csv",
    "forecast.csv",
    "plan.csv",
    "roster.csv",
    "coverage.csv",
    "kpis_long.csv",
    "summary.json",
    "roster.ics",
    "report.html",
];

/// How each of [`OUTPUT_FILES`] begins (enough of it for [`looks_written_by_wfm`]).
pub(super) const OUTPUT_HEADS: [(&str, &str); 9] = [
    ("requirements.csv", "interval_start_utc,queue\n"),
    ("forecast.csv", "interval_start_utc,interval_start_local\n"),
    ("plan.csv", "site,template\n"),
    ("roster.csv", "agent,site\n"),
    ("coverage.csv", "interval_start_utc,queue\n"),
    ("kpis_long.csv", "interval_start_utc,interval_start_local\n"),
    ("summary.json", "{\n  \"scenario\": \"\"\n"),
    ("roster.ics", "BEGIN:VCALENDAR\r\n"),
    ("report.html", "<!DOCTYPE html>\n"),
];

/// Bytes of an existing file read to tell whether `wfm` wrote it.
const HEAD_BYTES: u64 = 4096;

/// A file a command read, which its outputs must not overwrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// What it is, for messages: `scenario`, `roster`, `forecast CSV`, `history`.
    pub what: String,
    /// Where it is, as the user named it.
    pub path: PathBuf,
}

impl InputFile {
    /// An input file.
    pub fn new(what: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        InputFile {
            what: what.into(),
            path: path.into(),
        }
    }
}

pub(super) fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Whether `a` and `b` name the same existing file (through links too).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (ma, mb);
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// The first line of `text`, without its line end.
fn first_line(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

/// Whether `existing` (the beginning of a file found where `wfm` writes one) begins like
/// `ours` (the beginning of the file `wfm` writes there), so that replacing it loses
/// nothing of the user's: an empty file; CSV files with the same first two columns;
/// calendars with `wfm`'s `PRODID`; reports with the report's title; JSON objects with the
/// same first key or none. When `ours` is of none of these kinds, any file passes.
pub fn looks_written_by_wfm(existing: &str, ours: &str) -> bool {
    let existing = existing.strip_prefix('\u{feff}').unwrap_or(existing);
    if existing.trim().is_empty() {
        return true;
    }
    let (e1, o1) = (first_line(existing), first_line(ours));
    if o1 == "BEGIN:VCALENDAR" {
        return e1 == o1 && existing.contains("\nPRODID:-//wfm//");
    }
    if o1 == "<!DOCTYPE html>" {
        return e1 == o1 && existing.contains("<title>Staffing plan — ");
    }
    if o1 == "{" {
        // The first key of a JSON object (`None`: no key, `{}`).
        let key = |t: &str| {
            let rest = t.trim_start().strip_prefix('{')?;
            let rest = rest.trim_start().strip_prefix('"')?;
            rest.split('"').next().map(str::to_string)
        };
        return existing.trim_start().starts_with('{')
            && (key(existing).is_none() || key(existing) == key(ours));
    }
    if o1.contains(',') {
        let two = |l: &str| l.splitn(3, ',').take(2).collect::<Vec<_>>().join(",");
        return two(e1) == two(o1);
    }
    // A file of no kind we can tell (a library user's own set): not checked.
    true
}

/// The first [`HEAD_BYTES`] of the file at `path`, if it is a file that can be read (a
/// folder, a missing file or a device gives `None`).
pub(super) fn head_of(path: &Path) -> Option<String> {
    use std::io::Read;
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// An error naming `field` when a file at `path` exists and does not begin like `ours`.
pub(super) fn check_replaceable(field: &str, path: &Path, ours: &str) -> Result<()> {
    match head_of(path) {
        Some(head) if !looks_written_by_wfm(&head, ours) => Err(Error::invalid(
            field,
            format!(
                "{} exists and is not a file wfm wrote (it does not begin like {:?}); \
                 wfm does not replace it: move it away or write the outputs elsewhere",
                shown(path),
                first_line(ours),
            ),
        )),
        _ => Ok(()),
    }
}

/// Checks that a file already at `path` (if any) was written by `wfm`: that it begins like
/// `ours`, the beginning of the file about to be written there (see
/// [`looks_written_by_wfm`]). Call it before any work, with the header of the file the
/// command will write.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when a file at `path` does not begin like `ours`.
pub fn check_replaces_ours(field: &str, path: &Path, ours: &str) -> Result<()> {
    check_replaceable(field, path, ours)
}

pub(super) fn check_plain(name: &str) -> Result<()> {
    let plain = Path::new(name).file_name().and_then(OsStr::to_str) == Some(name);
    if !plain || name.starts_with('.') {
        return Err(Error::invalid(
            "file name",
            format!("{name:?} is not a plain file name"),
        ));
    }
    Ok(())
}

/// Checks that writing the files `names` into `dir` (replacing or removing them) would not
/// overwrite any of `inputs`, and that `dir` is not itself a file. `field` names the
/// folder in errors (e.g. `--out`). Call it before any work.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `dir` is a file, is one of `inputs`, or holds a file of
/// `names` that is a link to one of `inputs`.
pub fn check_out_dir(field: &str, dir: &Path, names: &[&str], inputs: &[InputFile]) -> Result<()> {
    if let Ok(m) = fs::metadata(dir) {
        if !m.is_dir() {
            return Err(Error::invalid(
                field,
                format!("{} is a file, not a folder", shown(dir)),
            ));
        }
    }
    for input in inputs {
        if same_file(dir, &input.path) {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is the {} this command reads; choose another folder",
                    shown(dir),
                    input.what
                ),
            ));
        }
    }
    for name in names {
        let target = dir.join(name);
        let is_link_to = |input: &Path| {
            // A symbolic link named like an output is replaced, not written through, but
            // refusing it is clearer than explaining that.
            fs::symlink_metadata(&target).is_ok() && same_file(&target, input)
        };
        if let Some(input) = inputs.iter().find(|i| is_link_to(&i.path)) {
            return Err(Error::invalid(
                field,
                format!(
                    "would overwrite the {} this command reads: {}; choose another folder",
                    input.what,
                    shown(&target)
                ),
            ));
        }
        if let Some((_, head)) = OUTPUT_HEADS.iter().find(|(n, _)| n == name) {
            check_replaceable(field, &target, head)?;
        }
    }
    Ok(())
}

/// Checks that writing the file `path` would not overwrite any of `inputs` and that `path`
/// is not a folder. `field` names it in errors. Call it before any work.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `path` is a folder or is one of `inputs`.
pub fn check_out_file(field: &str, path: &Path, inputs: &[InputFile]) -> Result<()> {
    if path.is_dir() {
        return Err(Error::invalid(
            field,
            format!("{} is a folder, not a file", shown(path)),
        ));
    }
    if let Some(input) = inputs.iter().find(|i| same_file(path, &i.path)) {
        return Err(Error::invalid(
            field,
            format!(
                "would overwrite the {} this command reads: {}; choose another file",
                input.what,
                shown(path)
            ),
        ));
    }
    Ok(())
}
