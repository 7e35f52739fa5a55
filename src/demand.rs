//! `demand` (under construction).
