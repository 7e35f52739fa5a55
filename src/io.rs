//! `io` (under construction).
