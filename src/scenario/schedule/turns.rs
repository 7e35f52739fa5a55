//! Re-plans in turn, priced ahead on several threads. A descent or a repair re-plans agents
//! one after the other, each against the roster the turns before it left; most re-plans
//! keep the roster as it was (the answer is the agent's own schedule, or a move that is not
//! kept). So the next agents in turn are priced at once, on the pricing threads, against
//! the current roster; an answer is used in its turn while the roster has not changed
//! since it was priced, and priced again otherwise. Its work is charged to the meter, and
//! kept in the memory, only when it is used ([`price::commit`]): the rosters, and the work
//! counted, are those of one thread, on any number of threads.

use super::integer::response_costs;
use super::master::Column;
use super::model::Model;
use super::price;
use std::collections::VecDeque;

/// Most agents priced at once.
const WIDTH_MAX: usize = 4;

/// The agents of one sequence of turns, with the answers priced ahead.
pub(crate) struct Turns<'a> {
    model: &'a Model,
    under: &'a [f64],
    width: usize,
    /// Answers priced against the current roster: (agent, answer, coverage entries summed).
    ready: VecDeque<(usize, price::Ahead, u64)>,
}

impl<'a> Turns<'a> {
    /// Turns re-planning with `under` as the shortfall penalties, on the model's threads.
    pub(crate) fn new(model: &'a Model, under: &'a [f64]) -> Turns<'a> {
        Turns {
            model,
            under,
            width: model.threads.clamp(1, WIDTH_MAX),
            ready: VecDeque::new(),
        }
    }

    /// The best schedule of `order[i]` given everybody else's in `schedules` (as
    /// [`super::integer::best_response`] gives it), priced with the agents after it in
    /// `order` when no answer is ready. Call [`Turns::changed`] whenever `schedules`
    /// changes.
    pub(crate) fn response(
        &mut self,
        schedules: &[Column],
        order: &[usize],
        i: usize,
    ) -> Option<Column> {
        let a = *order.get(i)?;
        if self.ready.front().is_none_or(|&(b, _, _)| b != a) {
            self.ready.clear();
            let k = self.width.min(order.len() - i);
            self.price(schedules, &order[i..i + k]);
        }
        let (_, x, entries) = self.ready.pop_front()?;
        self.model.meter.scan(entries);
        let priced = price::commit(self.model, &self.model.agents[a], x);
        let price::Priced::Best(_, days) = priced else {
            return None;
        };
        Some(Column::new(self.model, a, days))
    }

    /// The roster changed: what was priced against the old one is dropped.
    pub(crate) fn changed(&mut self) {
        self.ready.clear();
    }

    /// Prices `agents` against `schedules` at once, one thread each.
    fn price(&mut self, schedules: &[Column], agents: &[usize]) {
        let (model, under) = (self.model, self.under);
        let one = |a: usize| {
            let (costs, entries) = response_costs(model, schedules, a, under);
            (a, price::ahead(model, &model.agents[a], &costs), entries)
        };
        let Some((&first, rest)) = agents.split_first() else {
            return;
        };
        if rest.is_empty() {
            self.ready.push_back(one(first));
            return;
        }
        let out = std::thread::scope(|s| {
            let handles: Vec<_> = rest.iter().map(|&a| s.spawn(move || one(a))).collect();
            let mut out = vec![one(first)];
            for h in handles {
                match h.join() {
                    Ok(x) => out.push(x),
                    // A pricing thread that panicked is a bug; the agents from it on are
                    // priced in their turn instead.
                    Err(_) => break,
                }
            }
            out
        });
        self.ready.extend(out);
    }
}
