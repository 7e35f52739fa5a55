//! Preset `zendesk`: the Zendesk Support ticket export (CSV).
//!
//! Column names are modelled on the columns Zendesk documents for its full ticket CSV
//! export (Admin Center, Account, Tools, Reports, Export): `Id`, `Subject`, `Status`,
//! `Priority`, `Via` (the channel: Mail, Web form, Chat, Phone call, ...), `Group`,
//! `Assignee`, `Created at`, `Solved at`, `First reply time in minutes`,
//! `Full resolution time in minutes`, `Replies`. Timestamps are written without an offset,
//! in the account's time zone (give it with `--zone`). The queue is the `Group`; use
//! `--queue-column Via` for one queue per channel. Zendesk exports carry no handle time
//! (it needs the Time Tracking app), so forecasts from it need `--aht`.

use super::{tickets::TicketColumns, Layout, Unit};

/// The layout.
pub fn layout() -> Layout {
    TicketColumns {
        created: "Created at",
        queue: "Group",
        first_reply: Some(("First reply time in minutes", Unit::Minutes)),
        resolved: "Solved at",
        id: "Id",
        ..TicketColumns::default()
    }
    .layout()
}
