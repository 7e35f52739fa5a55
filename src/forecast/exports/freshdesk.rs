//! Preset `freshdesk`: the Freshdesk ticket export (Tickets, Export, CSV).
//!
//! Column names are modelled on the fields Freshdesk documents for its ticket export:
//! `Ticket ID`, `Subject`, `Status`, `Priority`, `Source` (Email, Portal, Phone, Chat, ...),
//! `Type`, `Agent`, `Group`, `Created time`, `Resolved time`, `Closed time`,
//! `First response time (in hrs)`, `Time tracked` (`hh:mm:ss`). The queue is the `Group`;
//! `--queue-column Source` gives one queue per channel. Timestamps are naive, in the
//! helpdesk's zone. A file re-saved by a spreadsheet in a European locale is read with
//! `--delimiter ';' --decimal-comma --dates dmy`.

use super::{Kind, Layout, Unit};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        kind: Kind::Tickets,
        time_column: "Created time".into(),
        queue_columns: vec!["Group".into()],
        wait_column: Some("First response time (in hrs)".into()),
        wait_unit: Unit::Hours,
        handle_columns: vec!["Time tracked".into()],
        resolved_column: Some("Resolved time".into()),
        id_column: Some("Ticket ID".into()),
        id_column_optional: true,
        ..Layout::default()
    }
}
