//! `roster` (under construction).
