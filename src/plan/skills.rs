//! Queues linked by multi-skill templates: which unions of queues get a row of their own.
//!
//! Two queues of a set `S` are linked when some template serves both. A set is *linked*
//! when its queues are connected by such links. For every linked set of two or more queues
//! the model has a row per interval: the agents working whose template serves at least one
//! queue of `S` must be at least the set's requirement (by default the sum of its queues'
//! requirements, or the pooled requirement given by [`crate::plan::PlanProblem::with_pooled`]).
//!
//! With the sums, these rows and the single-queue rows are Hall's condition for the
//! bipartite supply (working agents of each template) and demand (each queue's
//! requirement): they hold in every interval exactly when the working agents can be split
//! across the queues they serve, each agent counted once, so that every queue gets its
//! requirement. Sets that are not linked need no row: the agents able to serve them are
//! the disjoint union of those able to serve their linked parts, so the parts' rows imply
//! theirs (requirements add up; pooled requirements never exceed the sum of the parts').

use crate::error::{Error, Result};

/// Largest number of queues that templates may link into one group: every linked subset
/// gets a row per interval (up to 247 subsets for 8 queues).
pub const MAX_LINKED_QUEUES: usize = 8;

/// Linked sets of two or more queues (ascending indices), in a fixed order. `served[i]`
/// lists the queues template `i` serves.
pub(crate) fn linked_sets(served: &[Vec<usize>], n_queues: usize) -> Result<Vec<Vec<usize>>> {
    let mut adj = vec![vec![false; n_queues]; n_queues];
    let mut parent: Vec<usize> = (0..n_queues).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for qs in served {
        for (k, &a) in qs.iter().enumerate() {
            for &b in &qs[k + 1..] {
                adj[a][b] = true;
                adj[b][a] = true;
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for q in 0..n_queues {
        let r = find(&mut parent, q);
        match groups.iter_mut().find(|g| g[0] == r) {
            Some(g) => g.push(q),
            None => groups.push(vec![q]),
        }
    }
    let mut out = Vec::new();
    for g in groups.into_iter().filter(|g| g.len() >= 2) {
        if g.len() > MAX_LINKED_QUEUES {
            let t = served
                .iter()
                .position(|qs| qs.len() > 1 && g.contains(&qs[0]))
                .unwrap_or(0);
            return Err(Error::invalid(
                format!("templates[{t}].skills"),
                format!(
                    "the templates' skills link {} queues into one group; at most {} are \
                     supported",
                    g.len(),
                    MAX_LINKED_QUEUES
                ),
            ));
        }
        let m = g.len();
        for mask in 1u32..(1 << m) {
            if mask.count_ones() < 2 {
                continue;
            }
            let set: Vec<usize> = (0..m)
                .filter(|k| mask >> k & 1 == 1)
                .map(|k| g[k])
                .collect();
            if connected(&set, &adj) {
                out.push(set);
            }
        }
    }
    Ok(out)
}

fn connected(set: &[usize], adj: &[Vec<bool>]) -> bool {
    let mut seen = vec![false; set.len()];
    let mut stack = vec![0];
    seen[0] = true;
    while let Some(k) = stack.pop() {
        for (l, s) in seen.iter_mut().enumerate() {
            if !*s && adj[set[k]][set[l]] {
                *s = true;
                stack.push(l);
            }
        }
    }
    seen.iter().all(|&s| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_skill_templates_link_nothing() {
        assert!(linked_sets(&[vec![0], vec![1], vec![0]], 2)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn chain_of_templates_links_only_connected_sets() {
        // {0,1} and {1,2}: {0,2} is not linked (no template serves both, nor a path in it).
        let sets = linked_sets(&[vec![0, 1], vec![1, 2], vec![3]], 4).unwrap();
        assert_eq!(sets, vec![vec![0, 1], vec![1, 2], vec![0, 1, 2]]);
    }

    #[test]
    fn too_many_linked_queues_is_a_named_error() {
        let all: Vec<usize> = (0..9).collect();
        let e = linked_sets(&[vec![0], all], 9).unwrap_err().to_string();
        assert!(e.contains("templates[1].skills"), "{e}");
    }
}
