//! Preset `freshdesk`: the Freshdesk ticket export (Tickets, Export, CSV).
//!
//! Column names are modelled on the fields Freshdesk documents for its ticket export:
//! `Ticket ID`, `Subject`, `Status`, `Priority`, `Source` (Email, Portal, Phone, Chat, ...),
//! `Type`, `Agent`, `Group`, `Created time`, `Resolved time`, `Closed time`,
//! `First response time (in hrs)`, `Time tracked` (`hh:mm:ss`). The queue is the `Group`;
//! `--queue-column Source` gives one queue per channel. Timestamps are naive, in the
//! helpdesk's zone. A file re-saved by a spreadsheet in a European locale is read with
//! `--delimiter ';' --decimal-comma --dates dmy`.

use super::{tickets::TicketColumns, Layout, Unit};

/// The layout.
pub fn layout() -> Layout {
    TicketColumns {
        created: "Created time",
        queue: "Group",
        first_reply: Some(("First response time (in hrs)", Unit::Hours)),
        handle: Some("Time tracked"),
        resolved: "Resolved time",
        id: "Ticket ID",
        ..TicketColumns::default()
    }
    .layout()
}
