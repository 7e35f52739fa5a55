//! The pricing DP's index of a day's states: an open-addressing hash table from a state
//! packed into one `u64` to the label's place in the day's list. A label's state fits in
//! a word once each field is numbered within its range for the agent (end of the last
//! shift among the agent's shift ends, paid minutes in units of their common divisor,
//! start times among the agent's starts); [`super::price`] falls back to a general map
//! when it does not (the sum of the fields' widths is above 63 bits).
//!
//! Linear probing with a multiplicative hash; the table is cleared per day, sized from the
//! day before's states, and doubles when half full, within memory kept from run to run.
//! Only lookups change: the labels and their order are the DP's own.

/// A key no state packs to (every packed key is below 2^63).
const EMPTY: u64 = u64::MAX;

/// A table from packed states to label places.
pub(crate) struct Table {
    /// Keys and places side by side (one cache line per probe); only the first
    /// `1 << bits` are in use, the rest is capacity kept from earlier days and runs.
    slots: Vec<(u64, u32)>,
    /// The entries of the table being rehashed, kept for the next growth.
    spare: Vec<(u64, u32)>,
    /// log2 of the slots in use.
    bits: u32,
    len: usize,
}

/// log2 of the smallest table.
const MIN_BITS: u32 = 10;

impl Table {
    /// An empty table.
    pub(crate) fn new() -> Table {
        Table {
            slots: vec![(EMPTY, 0); 1 << MIN_BITS],
            spare: Vec::new(),
            bits: MIN_BITS,
            len: 0,
        }
    }

    /// Entries allocated (the slots, in use or kept, and the spare).
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len() + self.spare.capacity()
    }

    /// Forgets every key and sizes the table in use for about `expect` keys (a quarter to
    /// a half full: no larger than growth would make it), from the memory it already
    /// holds: a day's states are about the day before's, and a table far larger than its
    /// keys is slower to clear and to probe.
    pub(crate) fn reset(&mut self, expect: usize) {
        let want = (2 * expect.max(1))
            .next_power_of_two()
            .trailing_zeros()
            .clamp(MIN_BITS, 40);
        if self.len > 0 || want != self.bits {
            self.bits = want;
            let size = 1usize << want;
            if self.slots.len() < size {
                self.slots.resize(size, (EMPTY, 0));
            }
            // Slots past the ones in use are cleared when a growth takes them in.
            self.slots[..size].fill((EMPTY, 0));
            self.len = 0;
        }
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The place of `key`, or `None` after recording `place` for it.
    pub(crate) fn find_or_insert(&mut self, key: u64, place: u32) -> Option<u32> {
        debug_assert!(key != EMPTY);
        let mask = (1usize << self.bits) - 1;
        let mut i = self.slot(key);
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == EMPTY {
                self.slots[i] = (key, place);
                self.len += 1;
                if 2 * self.len > mask + 1 {
                    self.grow();
                }
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let used = 1usize << self.bits;
        self.spare.clear();
        self.spare
            .extend(self.slots[..used].iter().filter(|s| s.0 != EMPTY));
        self.bits += 1;
        let size = 1usize << self.bits;
        if self.slots.len() < size {
            self.slots.resize(size, (EMPTY, 0));
        }
        self.slots[..size].fill((EMPTY, 0));
        let mask = size - 1;
        for j in 0..self.spare.len() {
            let (k, v) = self.spare[j];
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
        t.reset(10);
        assert_eq!(t.find_or_insert(977, 3), None);
        assert_eq!(t.find_or_insert(977, 4), Some(3));
        // Smaller than the memory it holds, then growing again within it.
        for k in 1..3_000u64 {
            assert_eq!(t.find_or_insert(k * 977 + 1, k as u32), None);
        }
        assert_eq!(t.find_or_insert(977, 0), Some(3));
        for k in 1..3_000u64 {
            assert_eq!(t.find_or_insert(k * 977 + 1, 0), Some(k as u32));
        }
        t.reset(0);
        assert_eq!(t.find_or_insert(977 * 5, 1), None);
    }
}
