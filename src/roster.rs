//! `roster` (under construction).
pub mod slots;
