//! `scenario` (under construction).
