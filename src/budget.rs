//! One time budget for a solve: a wall-clock deadline and a stop flag, handed to every
//! phase (LP, rounding, diving, MIP, local search, rostering) so that all of them end by the
//! same instant, and a caller (a Python `KeyboardInterrupt`, a GUI's cancel button) can ask
//! a running solve to stop and return the best answer it has.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A flag a caller sets (from any thread) to ask a running solve to stop early; the solve
/// then returns its best answer so far, as if its time limit had been reached.
pub type StopFlag = Arc<AtomicBool>;

/// A new, unset [`StopFlag`].
pub fn stop_flag() -> StopFlag {
    Arc::new(AtomicBool::new(false))
}

/// A deadline and an optional stop flag.
#[derive(Debug, Clone)]
pub struct Budget {
    start: Instant,
    deadline: Instant,
    stop: Option<StopFlag>,
}

impl Budget {
    /// A budget of `limit` from now. `stop`, when given and set, ends the budget at once.
    pub fn new(limit: Duration, stop: Option<StopFlag>) -> Budget {
        let start = Instant::now();
        Budget {
            start,
            deadline: start + limit,
            stop,
        }
    }

    /// A budget of `seconds` from now; a value that is not a positive finite number (the
    /// callers validate theirs) gives an already-spent budget rather than a panic.
    pub fn from_seconds(seconds: f64, stop: Option<StopFlag>) -> Budget {
        let limit = if seconds.is_finite() && seconds > 0.0 {
            Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX / 4)
        } else {
            Duration::ZERO
        };
        Budget::new(limit, stop)
    }

    /// When the budget began.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// The instant every phase must end by.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Time since the budget began.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Whether the caller asked to stop.
    pub fn stop_requested(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }

    /// The stop flag, to hand to a phase that polls it itself.
    pub fn stop(&self) -> Option<&StopFlag> {
        self.stop.as_ref()
    }

    /// Whether no time is left (deadline passed or stop requested).
    pub fn is_over(&self) -> bool {
        self.stop_requested() || Instant::now() >= self.deadline
    }

    /// Time left (zero once over).
    pub fn remaining(&self) -> Duration {
        if self.stop_requested() {
            Duration::ZERO
        } else {
            self.deadline.saturating_duration_since(Instant::now())
        }
    }

    /// Seconds left (0 once over).
    pub fn remaining_seconds(&self) -> f64 {
        self.remaining().as_secs_f64()
    }

    /// A budget for one phase: `fraction` (clamped to [0, 1]) of the time left, never past
    /// this budget's deadline, sharing its stop flag.
    pub fn share(&self, fraction: f64) -> Budget {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let now = Instant::now();
        let part = self.remaining().mul_f64(f);
        Budget {
            start: now,
            deadline: (now + part).min(self.deadline),
            stop: self.stop.clone(),
        }
    }

    /// A budget for one phase of at most `limit` from now, never past this budget's
    /// deadline, sharing its stop flag.
    pub fn at_most(&self, limit: Duration) -> Budget {
        let now = Instant::now();
        let end = now.checked_add(limit).unwrap_or(self.deadline);
        Budget {
            start: now,
            deadline: end.min(self.deadline),
            stop: self.stop.clone(),
        }
    }

    /// A budget for one phase ending at `deadline` or this budget's own, whichever is first.
    pub fn until(&self, deadline: Instant) -> Budget {
        Budget {
            start: Instant::now(),
            deadline: deadline.min(self.deadline),
            stop: self.stop.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_flag_ends_the_budget() {
        let flag = stop_flag();
        let b = Budget::new(Duration::from_secs(3600), Some(flag.clone()));
        assert!(!b.is_over());
        assert!(b.remaining() > Duration::from_secs(3000));
        let phase = b.share(0.5);
        assert!(phase.deadline() <= b.deadline());
        flag.store(true, Ordering::Relaxed);
        assert!(b.is_over());
        assert!(phase.is_over());
        assert_eq!(b.remaining(), Duration::ZERO);
    }

    #[test]
    fn shares_stay_inside_the_deadline() {
        let b = Budget::new(Duration::from_secs(100), None);
        assert!(b.share(2.0).deadline() <= b.deadline());
        assert!(b.share(f64::NAN).remaining() <= Duration::from_millis(1));
        let later = b.deadline() + Duration::from_secs(50);
        assert_eq!(b.until(later).deadline(), b.deadline());
        assert!(b.at_most(Duration::from_secs(1)).deadline() < b.deadline());
        assert_eq!(b.at_most(Duration::MAX).deadline(), b.deadline());
        assert!(Budget::from_seconds(-1.0, None).is_over());
        assert!(Budget::from_seconds(f64::INFINITY, None).is_over());
        assert!(!Budget::from_seconds(1e12, None).is_over());
    }
}
