//! Preset `cdr`: a generic call-detail record, one row per inbound call, as ACD and PBX
//! systems export them.
//!
//! There is no standard call-record layout; this one is modelled on the fields such
//! records have in common (Asterisk's CDR and queue log are one documented example): the
//! call's `start_time` (RFC 3339 with an offset, or naive with `--zone`), the `queue`, a
//! `disposition` (`ANSWERED`, or `ABANDONED` / `NO ANSWER` for callers who hung up before an
//! agent answered), the `wait_seconds` in queue, and the handle time as `talk_seconds`,
//! `hold_seconds` and `wrap_seconds`, which add up to the handle time. A `TEST` disposition
//! marks test calls, left out and counted. Any other call log is read with this preset and
//! `--time-column`, `--queue-column`, ... or a mapping file.

use super::{Kind, Layout};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        kind: Kind::Calls,
        time_column: "start_time".into(),
        queue_columns: vec!["queue".into()],
        wait_column: Some("wait_seconds".into()),
        handle_columns: vec![
            "talk_seconds".into(),
            "hold_seconds".into(),
            "wrap_seconds".into(),
        ],
        outcome_column: Some("disposition".into()),
        abandoned_values: vec!["ABANDONED".into(), "NO ANSWER".into()],
        exclude_column: Some("disposition".into()),
        exclude_values: vec!["TEST".into()],
        ..Layout::default()
    }
}
