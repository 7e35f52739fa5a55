//! Re-plans answered from memory. The pricing DP is a pure function of the agent and the
//! cost of each of its options, and the integer phases re-price the same agent against
//! the same costs many times (a descent's last pass, where nobody moves; a guided round
//! whose raised weights touch none of the agent's options; the true objective's descent
//! after a weighted one). Per agent the last [`SLOTS`] cost tables priced and their
//! answers are kept; a table equal bit for bit to a kept one gets the kept answer, the
//! very schedule the DP would give, so results do not change, only the time.
//!
//! Memory: [`SLOTS`] copies of each agent's option costs (8 bytes an option and day).

use super::price::Priced;
use std::sync::Mutex;

/// Cost tables kept per agent (the weighted and the true objective of a guided round).
pub(crate) const SLOTS: usize = 2;

/// One kept answer: the cost table (bits, each day's length first) and the DP's answer.
struct Entry {
    costs: Vec<u64>,
    priced: Priced,
}

/// Kept answers per agent, the most recent first.
#[derive(Default)]
pub(crate) struct Memo {
    slots: Mutex<Vec<Vec<Entry>>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Clone for Memo {
    /// A clone starts empty (answers are a cache, not state).
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

/// The key of a cost table: each day's length, then its costs' bits.
pub(crate) fn key(cost: &[Vec<f64>]) -> Vec<u64> {
    let mut out = Vec::with_capacity(cost.iter().map(|d| d.len() + 1).sum());
    for day in cost {
        out.push(day.len() as u64);
        out.extend(day.iter().map(|x| x.to_bits()));
    }
    out
}

impl Memo {
    /// The kept answer of agent `agent` for the table of `key`, if any (it becomes the
    /// most recent).
    pub(crate) fn get(&self, agent: usize, key: &[u64]) -> Option<Priced> {
        let mut slots = self.slots.lock().ok()?;
        let list = slots.get_mut(agent)?;
        let at = list.iter().position(|e| e.costs == key)?;
        let e = list.remove(at);
        let priced = e.priced.clone();
        list.insert(0, e);
        Some(priced)
    }

    /// Keeps `priced` as agent `agent`'s answer for the table of `key`.
    pub(crate) fn put(&self, agent: usize, key: Vec<u64>, priced: &Priced) {
        let Ok(mut slots) = self.slots.lock() else {
            return;
        };
        if slots.len() <= agent {
            slots.resize_with(agent + 1, Vec::new);
        }
        let list = &mut slots[agent];
        list.insert(
            0,
            Entry {
                costs: key,
                priced: priced.clone(),
            },
        );
        list.truncate(SLOTS);
    }
}
