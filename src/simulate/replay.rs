//! A contact log (as [`crate::forecast::read_contact_log`] reads it) turned into replayed
//! arrivals on the simulation's clock.

use super::model::ReplayContact;
use crate::error::{Error, Result};
use crate::forecast::ContactLog;
use crate::time::{fmt_utc, Horizon};

/// The replayed contacts of a log and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// Contacts that asked for an agent, in arrival order.
    pub contacts: Vec<ReplayContact>,
    /// Contacts that abandoned before reaching the queue (in a voice menu, say): they never
    /// asked for an agent, so they are not replayed. Counted here, not dropped silently.
    pub abandoned_before_queue: usize,
}

/// The contacts of `log` as replayed arrivals on `horizon`. `file` names the log in errors.
///
/// The log must be sorted by arrival (an error names the first line out of order; sort
/// the file, or pass `sort = true` to replay it in arrival order, ties in file order), and
/// every contact must arrive inside the horizon (an error names its line). A contact that
/// abandoned after waiting `q` seconds in queue abandons after `q` seconds in the replay
/// (with [`super::Patience::Replayed`]); served contacts keep their handle time.
///
/// # Errors
///
/// [`Error::Parse`] naming `file` and the contact's line when the log is not sorted by arrival (and
/// `sort` is false), an arrival is outside `horizon`, or a handle or queue time is negative or not
/// finite.
pub fn replay_contacts(
    log: &ContactLog,
    file: &str,
    horizon: &Horizon,
    sort: bool,
) -> Result<Replay> {
    let line = |k: usize| log.lines.get(k).copied().unwrap_or(k + 2);
    let mut order: Vec<usize> = (0..log.contacts.len()).collect();
    if sort {
        order.sort_by_key(|&k| log.contacts[k].arrival);
    } else {
        for k in 1..log.contacts.len() {
            let (a, b) = (&log.contacts[k - 1], &log.contacts[k]);
            if b.arrival < a.arrival {
                return Err(Error::parse(
                    file,
                    line(k),
                    format!(
                        "arrival {} is before the previous contact's {} (line {}): the log \
                         must be sorted by arrival (or asked to be sorted)",
                        fmt_utc(b.arrival),
                        fmt_utc(a.arrival),
                        line(k - 1)
                    ),
                ));
            }
        }
    }
    let mut out = Replay {
        contacts: Vec::with_capacity(order.len()),
        abandoned_before_queue: 0,
    };
    for k in order {
        let c = &log.contacts[k];
        if horizon.index_containing(c.arrival).is_none() {
            return Err(Error::parse(
                file,
                line(k),
                format!(
                    "arrival {} is outside the horizon {} .. {}",
                    fmt_utc(c.arrival),
                    fmt_utc(horizon.start()),
                    fmt_utc(horizon.end())
                ),
            ));
        }
        if c.abandoned && c.queue_seconds.is_none() {
            out.abandoned_before_queue += 1;
            continue;
        }
        for (what, v) in [
            ("handle time", c.handle_seconds),
            ("time in queue", c.queue_seconds),
        ] {
            if let Some(v) = v {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::parse(
                        file,
                        line(k),
                        format!("{what} must be a finite number >= 0, got {v}"),
                    ));
                }
            }
        }
        out.contacts.push(ReplayContact {
            at_seconds: (c.arrival - horizon.start()).num_milliseconds() as f64 / 1000.0,
            handle_seconds: c.handle_seconds,
            abandoned_after_seconds: if c.abandoned { c.queue_seconds } else { None },
        });
    }
    Ok(out)
}
