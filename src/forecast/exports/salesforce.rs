//! Preset `salesforce`: a Salesforce Service Cloud case report exported as CSV
//! ("Details Only").
//!
//! Column names are modelled on the report labels of the standard Case fields Salesforce
//! documents: `Case Number`, `Case Owner`, `Subject`, `Status`, `Priority`, `Case Origin`
//! (Phone, Email, Web, Chat), `Date/Time Opened`, `Date/Time Closed`. Report exports write
//! dates in the user's locale; the preset reads the United States form
//! (`2/1/2027 8:14 AM`, `--dates mdy`) in the zone given with `--zone`. The queue is the
//! `Case Origin` (the channel). The standard case has no handle or first-response time, so
//! forecasts from it need `--aht`.

use super::{tickets::TicketColumns, Layout};

/// The layout.
pub fn layout() -> Layout {
    TicketColumns {
        dates: "mdy",
        created: "Date/Time Opened",
        queue: "Case Origin",
        resolved: "Date/Time Closed",
        id: "Case Number",
        ..TicketColumns::default()
    }
    .layout()
}
