//! Preset `zendesk_json`: Zendesk Support tickets as JSON, as the Tickets API writes them
//! (`GET /api/v2/tickets`, and the incremental export
//! `GET /api/v2/incremental/tickets/cursor?include=metric_sets,groups`), and as the
//! account data export writes them (one ticket object per line). See [`super::json`] for
//! how the records become rows.
//!
//! Field names are Zendesk's: `id`, `created_at` (ISO 8601 in UTC, `2027-02-01T07:06:05Z`),
//! `status` (`deleted` tickets, which the incremental export lists, are left out and
//! counted), `group_id`, `via.channel`, and from the ticket metrics (sideloaded as
//! `metric_set`, or a `ticket_metrics` list) `solved_at` and
//! `reply_time_in_minutes.calendar`. The queue is the group by name when the export
//! sideloads `groups`, else its id; `--queue-column via.channel` gives one queue per
//! channel. Like the CSV export, the JSON carries no handle time, so forecasts from it need
//! `--aht`.

use super::{tickets::TicketColumns, Layout, Unit};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        exclude_column: Some("status".into()),
        exclude_values: vec!["deleted".into()],
        ..TicketColumns {
            created: "created_at",
            queue: "group",
            first_reply: Some(("reply_time_in_minutes.calendar", Unit::Minutes)),
            resolved: "solved_at",
            id: "id",
            ..TicketColumns::default()
        }
        .layout()
    }
}
