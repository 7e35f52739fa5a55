//! Writing a [`ContactHistory`]: one history CSV per queue (the file `wfm forecast` reads)
//! and `achieved.csv`, one row per queue.

use super::history::{ContactHistory, QueueHistory};
use super::Kind;
use crate::error::{Error, Result};
use crate::time::{fmt_local, fmt_utc};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Longest file-name stem of a queue, in characters: file systems refuse names longer than
/// 255 bytes, and the full name stays in `achieved.csv` beside its file.
pub const MAX_STEM_CHARS: usize = 64;

/// File-name stem of a queue: lower-case ASCII letters and digits, runs of anything else
/// as one `_` (`Billing & Refunds` → `billing_refunds`), at most [`MAX_STEM_CHARS`]
/// characters; `queue` when nothing is left.
pub fn file_stem(queue: &str) -> String {
    let mut s = String::new();
    for ch in queue.chars() {
        if s.len() >= MAX_STEM_CHARS {
            break;
        }
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "queue".into()
    } else {
        s
    }
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_default()
}

impl ContactHistory {
    /// History file names, one per queue in [`ContactHistory::queues`] order:
    /// `history_<stem>.csv`, with `_2`, `_3`, ... where two queues share a stem.
    pub fn file_names(&self) -> Vec<String> {
        let mut used = std::collections::BTreeSet::new();
        self.queues
            .iter()
            .map(|q| {
                let stem = file_stem(&q.name);
                let mut name = format!("history_{stem}.csv");
                let mut k = 2;
                while !used.insert(name.clone()) {
                    name = format!("history_{stem}_{k}.csv");
                    k += 1;
                }
                name
            })
            .collect()
    }

    /// One queue's history as CSV: every interval of the grid, with columns
    /// `interval_start_utc, interval_start_local, offered, handled, abandoned, aht_seconds,
    /// service_level, asa_seconds, abandon_rate` and, for tickets, `solved, backlog`. An
    /// unknown value (no contact to average over, no wait in the export) is an empty cell.
    pub fn queue_csv(&self, q: &QueueHistory) -> String {
        let tickets = self.kind == Kind::Tickets;
        let mut s = String::from(
            "interval_start_utc,interval_start_local,offered,handled,abandoned,aht_seconds,service_level,asa_seconds,abandon_rate",
        );
        s.push_str(if tickets { ",solved,backlog\n" } else { "\n" });
        for (t, c) in self.horizon.starts().zip(&q.intervals) {
            let _ = write!(
                s,
                "{},{},{},{},{},{},{},{},{}",
                fmt_utc(t),
                fmt_local(t.with_timezone(&self.zone)),
                c.offered,
                c.handled,
                c.abandoned,
                opt(c.aht(), 1),
                if self.has_wait {
                    opt(c.service_level(), 4)
                } else {
                    String::new()
                },
                opt(c.asa(), 1),
                opt(c.abandon_rate(), 4),
            );
            if tickets {
                let _ = write!(s, ",{},{}", c.solved, c.backlog);
            }
            s.push('\n');
        }
        s
    }

    /// What each queue achieved over the whole export, as CSV: `queue, history_file,
    /// offered, handled, abandoned, aht_seconds, service_level, within_seconds,
    /// asa_seconds, abandon_rate, resolved, unresolved, resolution_p50_hours,
    /// resolution_p90_hours`.
    pub fn achieved_csv(&self) -> String {
        let mut s = String::from(
            "queue,history_file,offered,handled,abandoned,aht_seconds,service_level,within_seconds,asa_seconds,abandon_rate,resolved,unresolved,resolution_p50_hours,resolution_p90_hours\n",
        );
        for (q, file) in self.queues.iter().zip(self.file_names()) {
            let t = q.total();
            let tickets = self.kind == Kind::Tickets;
            let hours = |p: f64| {
                if tickets {
                    opt(q.resolution_quantile(p).map(|m| m as f64 / 60.0), 2)
                } else {
                    String::new()
                }
            };
            let resolved: u64 = q.resolution_minutes.values().sum();
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_field(&q.name),
                file,
                t.offered,
                t.handled,
                t.abandoned,
                opt(t.aht(), 1),
                if self.has_wait {
                    opt(t.service_level(), 4)
                } else {
                    String::new()
                },
                self.within_seconds,
                opt(t.asa(), 1),
                opt(t.abandon_rate(), 4),
                if tickets {
                    resolved.to_string()
                } else {
                    String::new()
                },
                if tickets {
                    q.unresolved.to_string()
                } else {
                    String::new()
                },
                hours(0.5),
                hours(0.9),
            );
        }
        s
    }

    /// Writes the history files and `achieved.csv` into `dir` (created if missing) and
    /// returns their paths. The files are written as one set, as `wfm plan` writes its
    /// outputs ([`crate::io::write`]): whole or not at all, never over `keep` (the export)
    /// and never over a file of the user's that merely has one of the names.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `--out` when an output file would be the export `keep` itself
    /// (nothing is written then); the errors of [`crate::io::write::write_set`] (a file of the
    /// user's at one of the names, a folder that cannot be created, a file that cannot be
    /// written or moved into place).
    pub fn write(&self, dir: &Path, keep: &Path) -> Result<Vec<PathBuf>> {
        let mut files: Vec<(String, String)> = self
            .queues
            .iter()
            .zip(self.file_names())
            .map(|(q, name)| (name, self.queue_csv(q)))
            .collect();
        files.push(("achieved.csv".to_string(), self.achieved_csv()));
        let kept = std::fs::canonicalize(keep).ok();
        for (name, _) in &files {
            let p = dir.join(name);
            if kept.is_some() && std::fs::canonicalize(&p).ok() == kept {
                return Err(Error::invalid(
                    "--out",
                    format!(
                        "{} is the export itself; choose another folder",
                        p.display()
                    ),
                ));
            }
        }
        let set: Vec<(&str, String)> = files
            .iter_mut()
            .map(|(n, t)| (n.as_str(), std::mem::take(t)))
            .collect();
        let names: Vec<&str> = set.iter().map(|(n, _)| *n).collect();
        let keep = [crate::io::InputFile::new("export", keep)];
        crate::io::write::write_set(dir, &set, &names, &keep)
    }
}

/// A CSV field, quoted when it holds a delimiter, quote or line break; a text a spreadsheet
/// would run as a formula (a leading `=`, `+`, `-`, `@`, tab or carriage return) is
/// neutralised with a leading `'`, as in every other CSV `wfm` writes
/// ([`crate::io::cells::text`]).
fn csv_field(s: &str) -> String {
    let s = crate::io::cells::text(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn formula_starts_are_neutralised_as_elsewhere() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("\tcmd"), "'\tcmd");
        assert_eq!(csv_field("\rcmd"), "\"'\rcmd\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("'x"), "''x");
        assert_eq!(csv_field("'=x"), "''=x");
    }
}
