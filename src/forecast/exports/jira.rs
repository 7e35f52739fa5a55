//! Preset `jira`: a Jira Service Management issue export (issue search, Export, CSV with
//! all fields).
//!
//! Column names are modelled on the headers Jira writes for that export: `Issue key`,
//! `Issue id`, `Summary`, `Issue Type`, `Status`, `Priority`, `Resolution`, `Assignee`,
//! `Created`, `Resolved`, `Time Spent` (seconds) and the service-desk custom field
//! `Custom field (Customer Request Type)`. Jira writes dates in the exporting user's
//! format, by default `01/Feb/27 8:14 AM` (`%d/%b/%y %I:%M %p`), without an offset: give
//! the zone with `--zone`. The queue is the request type.

use super::{Kind, Layout};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        kind: Kind::Tickets,
        dates: "%d/%b/%y %I:%M %p".into(),
        time_column: "Created".into(),
        queue_columns: vec!["Custom field (Customer Request Type)".into()],
        handle_columns: vec!["Time Spent".into()],
        resolved_column: Some("Resolved".into()),
        id_column: Some("Issue key".into()),
        id_column_optional: true,
        ..Layout::default()
    }
}
