//! What the help-desk presets have in common: a ticket export names its creation time, its
//! queue, its resolution time and its ticket id, and some name a first-reply wait (with its
//! unit), a handle time or a date format. Each ticket preset is one [`TicketColumns`]
//! table of those names; [`TicketColumns::layout`] makes the [`Layout`].

use super::{Kind, Layout, Unit};

/// The column names of a help-desk ticket export.
pub(super) struct TicketColumns {
    /// How timestamps are written ([`Layout::dates`]).
    pub dates: &'static str,
    /// Ticket creation time (the arrival).
    pub created: &'static str,
    /// The queue (group, channel, request type).
    pub queue: &'static str,
    /// Wait before the first reply, and the unit of its plain numbers.
    pub first_reply: Option<(&'static str, Unit)>,
    /// Time spent on the ticket (the handle time).
    pub handle: Option<&'static str>,
    /// Resolution time.
    pub resolved: &'static str,
    /// Ticket id: duplicates are checked when the export has it, and a report without it
    /// is still read (the presets' id column is optional).
    pub id: &'static str,
}

impl Default for TicketColumns {
    fn default() -> Self {
        TicketColumns {
            dates: "iso",
            created: "",
            queue: "",
            first_reply: None,
            handle: None,
            resolved: "",
            id: "",
        }
    }
}

impl TicketColumns {
    /// The layout of a ticket export with these columns (the other fields default).
    pub fn layout(&self) -> Layout {
        let (wait_column, wait_unit) = match self.first_reply {
            Some((c, u)) => (Some(c.to_string()), u),
            None => (None, Unit::Seconds),
        };
        Layout {
            kind: Kind::Tickets,
            dates: self.dates.into(),
            time_column: self.created.into(),
            queue_columns: vec![self.queue.into()],
            wait_column,
            wait_unit,
            handle_columns: self.handle.iter().map(|h| h.to_string()).collect(),
            resolved_column: Some(self.resolved.into()),
            id_column: Some(self.id.into()),
            id_column_optional: true,
            ..Layout::default()
        }
    }
}
