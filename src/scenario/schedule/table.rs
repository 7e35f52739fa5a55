//! The pricing DP's index of a day's states: an open-addressing hash table from a state
//! packed into one `u64` to the label's place in the day's list. A label's state fits in
//! a word once each field is numbered within its range for the agent (end of the last
//! shift among the agent's shift ends, paid minutes in units of their common divisor,
//! start times among the agent's starts); [`super::price`] falls back to a general map
//! when it does not (the sum of the fields' widths is above 63 bits).
//!
//! Linear probing with a multiplicative hash; the table is cleared per day and doubles
//! when half full. Only lookups change: the labels and their order are the DP's own.

/// A key no state packs to (every packed key is below 2^63).
const EMPTY: u64 = u64::MAX;

/// A table from packed states to label places.
pub(crate) struct Table {
    /// Keys and places side by side (one cache line per probe).
    slots: Vec<(u64, u32)>,
    /// log2 of the capacity.
    bits: u32,
    len: usize,
}

impl Table {
    /// An empty table.
    pub(crate) fn new() -> Table {
        let bits = 10;
        Table {
            slots: vec![(EMPTY, 0); 1 << bits],
            bits,
            len: 0,
        }
    }

    /// Forgets every key (the capacity is kept).
    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill((EMPTY, 0));
            self.len = 0;
        }
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The place of `key`, or `None` after recording `place` for it.
    pub(crate) fn find_or_insert(&mut self, key: u64, place: u32) -> Option<u32> {
        debug_assert!(key != EMPTY);
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == EMPTY {
                self.slots[i] = (key, place);
                self.len += 1;
                if 2 * self.len > self.slots.len() {
                    self.grow();
                }
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.bits += 1;
        self.slots = vec![(EMPTY, 0); 1 << self.bits];
        let mask = self.slots.len() - 1;
        for (k, v) in old {
            if k == EMPTY {
                continue;
            }
            let mut i = self.slot(k);
            while self.slots[i].0 != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = (k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_holds_through_growth() {
        let mut t = Table::new();
        for k in 0..5_000u64 {
            assert_eq!(t.find_or_insert(k * 977, k as u32), None);
        }
        for k in 0..5_000u64 {
            assert_eq!(t.find_or_insert(k * 977, 0), Some(k as u32));
        }
        t.clear();
        assert_eq!(t.find_or_insert(977, 3), None);
        assert_eq!(t.find_or_insert(977, 4), Some(3));
    }
}
