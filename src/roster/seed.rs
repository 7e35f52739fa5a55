//! Seeding the column pool: one valid schedule per employee before column generation.
//!
//! Each employee's best schedule alone (no cover costs: least request penalty) by the
//! exact pricing DP, which gives up on an employee past a number of labels a day: with no
//! cover costs and no schedule to beat, nothing prunes its labels (on Curtois Instance
//! 13, 120 employees and 18 shift types, pricing every employee this way ran for over
//! 220 s of CPU). The employees it gave up on are then seeded from a roster's rows
//! (the `columns` module builds one by annealing), each checked by the DP with every day
//! forced; that roster is also the upper bound that prunes the pricing from the first
//! round (each employee's pooled schedule bounds its DP).

use super::colgen::{Pool, MAX_LABELS};
use super::data::Data;
use super::meter::Meter;
use crate::budget::Budget;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// One employee's seeding: not priced (the budget ran out), the DP gave up, or its answer
/// (`None`: the employee has no valid schedule).
type Slot = Option<Option<Option<Vec<u8>>>>;

impl Pool {
    /// Adds each employee's best schedule alone (least request penalty) to this pool, by
    /// the pricing DP, which gives up on an employee past `cap` labels a day; on `threads`
    /// threads, each answer to its employee's slot (the outcome does not depend on the
    /// threads). Returns the employees it gave up on, in increasing order; `None` when
    /// some employee has no valid schedule or `budget` ran out (the meter still counts the
    /// work done).
    pub fn seed_within(
        &mut self,
        dt: &Data,
        budget: &Budget,
        threads: usize,
        cap: usize,
    ) -> Option<Vec<usize>> {
        let zero = vec![0.0; dt.nd * dt.ns];
        let next = AtomicUsize::new(0);
        let made = AtomicU64::new(0);
        let slots: Vec<Mutex<Slot>> = (0..dt.ne).map(|_| Mutex::new(None)).collect();
        std::thread::scope(|sc| {
            for _ in 0..threads.max(1) {
                sc.spawn(|| loop {
                    let e = next.fetch_add(1, Ordering::SeqCst);
                    if e >= dt.ne || budget.is_over() {
                        break;
                    }
                    let mut tally = super::price::Tally::new();
                    let r = super::price::price_counted(
                        dt,
                        e,
                        &zero,
                        cap,
                        f64::INFINITY,
                        None,
                        &mut tally,
                        None,
                    );
                    made.fetch_add(tally.labels, Ordering::Relaxed);
                    *slots[e].lock().unwrap_or_else(|p| p.into_inner()) =
                        Some(r.map(|r| r.map(|(row, _)| row)));
                });
            }
        });
        Meter::add(&self.meter.labels, made.into_inner());
        let mut missing = Vec::new();
        for (e, m) in slots.into_iter().enumerate() {
            match m.into_inner().unwrap_or_else(|p| p.into_inner())? {
                Some(row) => {
                    self.add(dt, e, row?);
                }
                None => missing.push(e),
            }
        }
        Some(missing)
    }

    /// Adds schedule `row` of employee `e` when it keeps every hard rule of `e` (the
    /// pricing DP with every day forced). Returns whether the pool now holds it.
    pub fn add_checked(&mut self, dt: &Data, e: usize, row: &[u8]) -> bool {
        let zero = vec![0.0; dt.nd * dt.ns];
        let valid = matches!(
            super::price::price(dt, e, &zero, MAX_LABELS, f64::INFINITY, Some(row)),
            Some(Some(_))
        );
        if valid {
            self.add(dt, e, row.to_vec());
        }
        valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::curtois;
    use std::time::Duration;

    fn data(name: &str) -> Data {
        Data::new(&curtois::bundled(name))
    }

    #[test]
    fn a_generous_cap_seeds_everyone_as_the_uncapped_seed_does() {
        let dt = data("Instance2.txt");
        let budget = Budget::new(Duration::from_secs(60), None);
        let mut pool = Pool::new(&dt);
        assert_eq!(pool.seed_within(&dt, &budget, 2, MAX_LABELS), Some(vec![]));
        let full = Pool::seeded(&dt, &budget, 1).unwrap();
        for e in 0..dt.ne {
            assert_eq!(pool.cols[e].len(), 1);
            assert_eq!(pool.cols[e][0].row, full.cols[e][0].row);
        }
    }

    #[test]
    fn trimming_keeps_each_employees_latest_schedules_and_lets_the_others_join_again() {
        let dt = data("Instance2.txt");
        let budget = Budget::new(Duration::from_secs(60), None);
        let mut pool = Pool::new(&dt);
        pool.seed_within(&dt, &budget, 1, MAX_LABELS).unwrap();
        let first = pool.cols[0][0].row.clone();
        // Two more valid schedules of employee 0: its seed with one working day moved.
        let mut more = Vec::new();
        for d in 0..dt.nd {
            for t in 0..dt.nd {
                let mut row = first.clone();
                row.swap(d, t);
                if row != first && !more.contains(&row) && pool.add_checked(&dt, 0, &row) {
                    more.push(row);
                }
            }
            if more.len() >= 2 {
                break;
            }
        }
        assert_eq!(more.len(), 2);
        assert_eq!(pool.cols[0].len(), 3);
        pool.trim(2);
        let rows: Vec<&Vec<u8>> = pool.cols[0].iter().map(|c| &c.row).collect();
        assert_eq!(rows, vec![&more[0], &more[1]]);
        for e in 1..dt.ne {
            assert_eq!(pool.cols[e].len(), 1);
        }
        // The dropped schedule may join again, once.
        assert!(pool.add(&dt, 0, first.clone()));
        assert!(!pool.add(&dt, 0, first.clone()));
        assert_eq!(pool.cols[0].len(), 3);
        assert_eq!(pool.cols[0][2].row, first);
    }

    #[test]
    fn a_tight_cap_gives_up_on_employees_and_a_valid_roster_seeds_them() {
        let dt = data("Instance2.txt");
        let budget = Budget::new(Duration::from_secs(60), None);
        let mut pool = Pool::new(&dt);
        let missing = pool.seed_within(&dt, &budget, 2, 1).unwrap();
        assert!(!missing.is_empty());
        for &e in &missing {
            assert!(pool.cols[e].is_empty());
        }
        // Everyone off breaks Instance 2's minimum minutes: rejected.
        let off = vec![u8::MAX; dt.nd];
        assert!(!pool.add_checked(&dt, missing[0], &off));
        assert!(pool.cols[missing[0]].is_empty());
        // A schedule the DP found for that employee is accepted.
        let mut other = Pool::new(&dt);
        other.seed_within(&dt, &budget, 1, MAX_LABELS).unwrap();
        let row = other.cols[missing[0]][0].row.clone();
        assert!(pool.add_checked(&dt, missing[0], &row));
        assert_eq!(pool.cols[missing[0]].len(), 1);
    }
}
