//! `forecast` (under construction).
