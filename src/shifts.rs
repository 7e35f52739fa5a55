//! `shifts` (under construction).
