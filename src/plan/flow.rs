//! Exact solver for interval covering: min-cost flow.
//!
//! When every candidate of a block works one unbroken run of intervals of one queue, and
//! the block has only hard coverage rows, the constraint matrix has consecutive ones in
//! every column. Subtracting each coverage row from the next turns it into the node-arc
//! incidence matrix of a path network: a shift working intervals `a..b` is an arc `a → b`
//! with its cost, the surplus of interval `t` is a free arc `t+1 → t`, and node `t` supplies
//! `r[t] - r[t-1]`. The LP is then a min-cost flow problem, its optimum is integral, and
//! successive shortest paths (Dijkstra with potentials) find it exactly.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

const INF_CAP: i64 = i64::MAX / 4;

#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    cap: i64,
    cost: f64,
}

#[derive(PartialEq)]
struct Item(f64, usize);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}

/// Minimum-cost integer cover of `req` (one value per row) by intervals: `arcs[j] = (a, b,
/// cost)` covers rows `a..b` (`a < b <= req.len()`). Returns the count of each interval, or
/// `None` if some row with a requirement is covered by no interval.
pub(crate) fn interval_cover(req: &[u32], arcs: &[(usize, usize, f64)]) -> Option<Vec<u32>> {
    let n = req.len();
    let source = n + 1;
    let sink = n + 2;
    let nodes = n + 3;
    let mut edges: Vec<Edge> = Vec::with_capacity(2 * (arcs.len() + 2 * n + 2));
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    let mut add = |edges: &mut Vec<Edge>, u: usize, v: usize, cap: i64, cost: f64| {
        adj[u].push(edges.len());
        edges.push(Edge { to: v, cap, cost });
        adj[v].push(edges.len());
        edges.push(Edge {
            to: u,
            cap: 0,
            cost: -cost,
        });
        edges.len() - 2
    };
    let mut arc_edge = Vec::with_capacity(arcs.len());
    for &(a, b, c) in arcs {
        if a >= b || b > n {
            return None;
        }
        arc_edge.push(add(&mut edges, a, b, INF_CAP, c.max(0.0)));
    }
    for t in 0..n {
        add(&mut edges, t + 1, t, INF_CAP, 0.0);
    }
    let mut total = 0i64;
    for t in 0..=n {
        let cur = req.get(t).copied().unwrap_or(0) as i64;
        let prev = if t == 0 { 0 } else { req[t - 1] as i64 };
        let b = cur - prev;
        if b > 0 {
            add(&mut edges, source, t, b, 0.0);
            total += b;
        } else if b < 0 {
            add(&mut edges, t, sink, -b, 0.0);
        }
    }
    let mut pot = vec![0.0f64; nodes];
    let mut sent = 0i64;
    let mut dist = vec![f64::INFINITY; nodes];
    let mut prev_edge = vec![usize::MAX; nodes];
    while sent < total {
        dist.iter_mut().for_each(|d| *d = f64::INFINITY);
        prev_edge.iter_mut().for_each(|p| *p = usize::MAX);
        dist[source] = 0.0;
        let mut heap = BinaryHeap::new();
        heap.push(Item(0.0, source));
        while let Some(Item(d, u)) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            if u == sink {
                break;
            }
            for &e in &adj[u] {
                let ed = &edges[e];
                if ed.cap <= 0 {
                    continue;
                }
                let rc = (ed.cost + pot[u] - pot[ed.to]).max(0.0);
                let nd = d + rc;
                if nd < dist[ed.to] - 1e-12 {
                    dist[ed.to] = nd;
                    prev_edge[ed.to] = e;
                    heap.push(Item(nd, ed.to));
                }
            }
        }
        if !dist[sink].is_finite() {
            return None;
        }
        // Johnson potentials, capped at the sink's distance so that reduced costs stay
        // non-negative for nodes the search did not settle.
        let ds = dist[sink];
        for v in 0..nodes {
            pot[v] += dist[v].min(ds);
        }
        let mut push = total - sent;
        let mut v = sink;
        while v != source {
            let e = prev_edge[v];
            push = push.min(edges[e].cap);
            v = edges[e ^ 1].to;
        }
        let mut v = sink;
        while v != source {
            let e = prev_edge[v];
            edges[e].cap -= push;
            edges[e ^ 1].cap += push;
            v = edges[e ^ 1].to;
        }
        sent += push;
    }
    Some(
        arc_edge
            .iter()
            .map(|&e| edges[e ^ 1].cap.clamp(0, u32::MAX as i64) as u32)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_a_simple_profile_exactly() {
        // rows 0..4 need 1,2,2,1; intervals [0,2) cost 2, [1,3) cost 2, [2,4) cost 2, [0,4) cost 3
        let req = [1, 2, 2, 1];
        let arcs = [(0, 2, 2.0), (1, 3, 2.0), (2, 4, 2.0), (0, 4, 3.0)];
        let x = interval_cover(&req, &arcs).unwrap();
        let cost: f64 = x.iter().zip(&arcs).map(|(&k, a)| k as f64 * a.2).sum();
        // [0,4) once and [1,3) once.
        assert_eq!(cost, 5.0);
        for (t, &r) in req.iter().enumerate() {
            let c: u32 = x
                .iter()
                .zip(&arcs)
                .filter(|(_, a)| a.0 <= t && t < a.1)
                .map(|(&k, _)| k)
                .sum();
            assert!(c >= r);
        }
    }

    #[test]
    fn uncovered_row_is_none() {
        assert!(interval_cover(&[1, 1, 1], &[(0, 2, 1.0)]).is_none());
        assert_eq!(interval_cover(&[0, 1, 0], &[(1, 2, 1.0)]), Some(vec![1]));
    }
}
