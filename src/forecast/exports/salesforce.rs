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

use super::{Kind, Layout};

/// The layout.
pub fn layout() -> Layout {
    Layout {
        kind: Kind::Tickets,
        dates: "mdy".into(),
        time_column: "Date/Time Opened".into(),
        queue_columns: vec!["Case Origin".into()],
        resolved_column: Some("Date/Time Closed".into()),
        id_column: Some("Case Number".into()),
        id_column_optional: true,
        ..Layout::default()
    }
}
