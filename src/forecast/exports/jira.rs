//! Preset `jira`: a Jira Service Management issue export (issue search, Export, CSV with
//! all fields).
//!
//! Column names are modelled on the headers Jira writes for that export: `Issue key`,
//! `Issue id`, `Summary`, `Issue Type`, `Status`, `Priority`, `Resolution`, `Assignee`,
//! `Created`, `Resolved`, `Time Spent` (seconds) and the service-desk custom field
//! `Custom field (Customer Request Type)`. Jira writes dates in the exporting user's
//! format, by default `01/Feb/27 8:14 AM` (`%d/%b/%y %I:%M %p`), without an offset: give
//! the zone with `--zone`. The queue is the request type.

use super::{tickets::TicketColumns, Layout};

/// The layout.
pub fn layout() -> Layout {
    TicketColumns {
        dates: "%d/%b/%y %I:%M %p",
        created: "Created",
        queue: "Custom field (Customer Request Type)",
        handle: Some("Time Spent"),
        resolved: "Resolved",
        id: "Issue key",
        ..TicketColumns::default()
    }
    .layout()
}
