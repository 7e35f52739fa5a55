//! Scenario files: everything `wfm plan` needs, in one JSON document.
//!
//! See `docs/scenario.md` for the format, field by field.

pub mod queues;
