//! `queueing` (under construction).
