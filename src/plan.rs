//! `plan` (under construction).
