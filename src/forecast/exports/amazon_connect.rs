//! Preset `amazon_connect`: Amazon Connect contact records (CTRs), the JSON records its
//! contact record data stream delivers (Kinesis Data Streams or Firehose into S3: one
//! record per line, or records written back to back with no separator, which the JSON
//! reader takes as they are), or an array of them.
//!
//! Field names are those of Amazon Connect's documented contact record data model, nested
//! objects flattened with dots: `ContactId`, `InitiationMethod`, `LastUpdateTimestamp`,
//! `Queue.Name` and `Queue.EnqueueTimestamp` (the queue and the instant the contact joined
//! it), `Queue.Duration` (seconds in the queue), `Agent.ConnectedToAgentTimestamp`, and
//! the handle time as `Agent.AgentInteractionDuration`, `Agent.CustomerHoldDuration` and
//! `Agent.AfterContactWorkDuration` (seconds), which add up to it.
//!
//! What it counts, as contact-centre reports do:
//! - A contact arrives when it is queued (`Queue.EnqueueTimestamp`, not when the caller
//!   entered the IVR): one offered contact per queue a record names. A transfer creates a
//!   record of its own, so a transferred contact is offered again to the queue it is
//!   transferred to.
//! - A queued contact never connected to an agent (no `Agent.ConnectedToAgentTimestamp`)
//!   abandoned; its wait is not counted in the speed of answer.
//! - Records without a queue (the contact ended in the IVR, or was never routed) and
//!   records of contacts an agent or the system started towards a customer
//!   (`InitiationMethod` `OUTBOUND`, `EXTERNAL_OUTBOUND`, `AGENT_REPLY`) or a supervisor's
//!   `MONITOR` are left out and counted.
//! - Amazon Connect delivers a record at least once, and again when it learns more about
//!   the contact: the version with the latest `LastUpdateTimestamp` is read, the others
//!   are counted as duplicates.
//!
//! One queue per `Queue.Name`; `--queue-column Channel` (or both, in a mapping) splits
//! voice, chat and tasks.

use super::{Kind, Layout};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        kind: Kind::Calls,
        time_column: "Queue.EnqueueTimestamp".into(),
        queue_columns: vec!["Queue.Name".into()],
        answered_column: Some("Agent.ConnectedToAgentTimestamp".into()),
        wait_column: Some("Queue.Duration".into()),
        handle_columns: vec![
            "Agent.AgentInteractionDuration".into(),
            "Agent.CustomerHoldDuration".into(),
            "Agent.AfterContactWorkDuration".into(),
        ],
        outcome_column: Some("Agent.ConnectedToAgentTimestamp".into()),
        abandoned_values: vec![String::new()],
        id_column: Some("ContactId".into()),
        id_column_optional: true,
        exclude_column: Some("InitiationMethod".into()),
        exclude_values: vec![
            "OUTBOUND".into(),
            "EXTERNAL_OUTBOUND".into(),
            "AGENT_REPLY".into(),
            "MONITOR".into(),
        ],
        exclude_if_empty: vec!["Queue.EnqueueTimestamp".into()],
        updated_column: Some("LastUpdateTimestamp".into()),
        ..Layout::default()
    }
}
