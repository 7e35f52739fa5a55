//! `evaluate` (under construction).
