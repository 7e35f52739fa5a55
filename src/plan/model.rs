//! The planning model in matrix form and its decomposition into independent blocks.
//!
//! Columns are candidates (integer counts). Rows are of two kinds:
//!
//! * **cover rows** (`≥`): the requirement of a queue in an interval (hard, or soft with
//!   under/over variables), template minimum counts (always hard), and backlog deadline
//!   rows (hard; a column's coefficient there is the number of its entries for the row,
//!   see `backlog`);
//! * **pack rows** (`≤`): site headcount per interval (agents on shift, breaks included),
//!   shifts per site-local day, template maximum counts, and the total budget.
//!
//! Two candidates are in the same block when some row links them (directly or through other
//! candidates). Blocks share no row, so their optima add up: each is solved on its own. In
//! hard mode an interval whose requirement is zero links nothing, so with shifts that do not
//! cross midnight a week splits into its days.

use super::problem::{CoverageMode, PlanProblem};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a cover row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CoverKind {
    Demand {
        queue: usize,
        t: usize,
    },
    TemplateMin {
        template: usize,
    },
    /// A linked set of queues (index into `PlanProblem::unions`) in interval `t`.
    Union {
        set: usize,
        t: usize,
    },
    /// A backlog deadline row (index into `PlanProblem::deadline_rows`) whose window ends
    /// at interval `t`. A column counts once per working interval in the window whose
    /// family its template serves: its entry is repeated that many times, consecutively.
    Deadline {
        row: usize,
        t: usize,
    },
}

/// What a pack row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PackKind {
    SiteInterval { site: usize, t: usize },
    SiteDay { site: usize, date: NaiveDate },
    TemplateMax { template: usize },
    Budget,
}

/// The whole model.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub cover: Vec<(CoverKind, f64, bool)>, // kind, right-hand side, soft
    pub pack: Vec<(PackKind, f64)>,         // kind, cap
    pub col_cost: Vec<f64>,
    pub col_cover: Vec<Vec<u32>>,
    pub col_pack: Vec<Vec<(u32, f64)>>,
    pub under: f64,
    pub over: f64,
    /// Penalty of soft rows no candidate can touch (a constant of every plan).
    pub constant: f64,
}

/// One block with local indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sub {
    pub cols: Vec<usize>,
    pub cost: Vec<f64>,
    pub col_cover: Vec<Vec<u32>>,
    pub col_pack: Vec<Vec<(u32, f64)>>,
    pub cover_rhs: Vec<f64>,
    pub cover_soft: Vec<bool>,
    pub cover_global: Vec<usize>,
    pub pack_cap: Vec<f64>,
    pub pack_global: Vec<usize>,
    pub under: f64,
    pub over: f64,
}

impl Model {
    pub fn build(p: &PlanProblem) -> Model {
        let (soft, under, over) = match p.rules.coverage {
            CoverageMode::Hard => (false, 0.0, 0.0),
            CoverageMode::Soft {
                under_penalty,
                over_penalty,
            } => (true, under_penalty, over_penalty),
        };
        let n = p.candidates.len();
        let len = p.horizon.len();
        let mut cover = Vec::new();
        let mut cover_id: HashMap<CoverKind, u32> = HashMap::new();
        let mut touched = vec![vec![false; len]; p.queues.len()];
        for c in &p.candidates {
            for &q in p.served_by(c) {
                for &t in &c.working {
                    touched[q][t] = true;
                }
            }
        }
        let mut constant = 0.0;
        let backlog_queue: Vec<bool> = (0..p.queues.len())
            .map(|q| p.backlogs.iter().any(|b| b.queue == q))
            .collect();
        for (q, req) in p.requirements.iter().enumerate() {
            for (t, &r) in req.iter().enumerate() {
                if backlog_queue[q] {
                    // Deadline rows take the place of a backlog queue's interval rows.
                } else if soft {
                    if touched[q][t] {
                        cover_id.insert(CoverKind::Demand { queue: q, t }, cover.len() as u32);
                        cover.push((CoverKind::Demand { queue: q, t }, r as f64, true));
                    } else {
                        constant += under * r as f64;
                    }
                } else if r > 0 {
                    cover_id.insert(CoverKind::Demand { queue: q, t }, cover.len() as u32);
                    cover.push((CoverKind::Demand { queue: q, t }, r as f64, false));
                }
            }
        }
        // Linked sets: hard rows (soft coverage is refused with multi-skill templates).
        for (k, (_, req)) in p.unions.iter().enumerate() {
            for (t, &r) in req.iter().enumerate() {
                if r > 0 {
                    cover_id.insert(CoverKind::Union { set: k, t }, cover.len() as u32);
                    cover.push((CoverKind::Union { set: k, t }, r as f64, false));
                }
            }
        }
        // Backlog deadline rows, with the families each template serves.
        let family_req: Vec<Vec<Vec<f64>>> = (0..p.backlogs.len())
            .map(|b| p.family_requirements(b))
            .collect();
        let serves_family: Vec<Vec<Vec<bool>>> = p
            .backlogs
            .iter()
            .enumerate()
            .map(|(b, bw)| {
                (0..bw.families.len())
                    .map(|f| {
                        (0..p.templates.len())
                            .map(|k| p.family_served_by(b, f, k))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut deadline_ids: Vec<(usize, u32)> = Vec::new();
        for (k, r) in p.deadline_rows.iter().enumerate() {
            let rhs = p.deadline_rhs(r, &family_req[r.backlog]);
            if rhs > 0.0 {
                let kind = CoverKind::Deadline {
                    row: k,
                    t: r.last(),
                };
                deadline_ids.push((k, cover.len() as u32));
                cover_id.insert(kind, cover.len() as u32);
                cover.push((kind, rhs, false));
            }
        }
        // Per template, the linked sets it serves a queue of.
        let template_sets: Vec<Vec<usize>> = p
            .served
            .iter()
            .map(|qs| {
                (0..p.unions.len())
                    .filter(|&k| p.unions[k].0.iter().any(|q| qs.contains(q)))
                    .collect()
            })
            .collect();
        for (i, t) in p.templates.iter().enumerate() {
            if let Some(m) = t.min_count.filter(|&m| m > 0) {
                cover_id.insert(CoverKind::TemplateMin { template: i }, cover.len() as u32);
                cover.push((CoverKind::TemplateMin { template: i }, m as f64, false));
            }
        }
        let mut pack = Vec::new();
        let mut pack_id: HashMap<PackKind, u32> = HashMap::new();
        let mut col_cover = Vec::with_capacity(n);
        let mut col_pack = Vec::with_capacity(n);
        for c in &p.candidates {
            let mut rows: Vec<u32> = Vec::new();
            for &q in p.served_by(c) {
                rows.extend(
                    c.working
                        .iter()
                        .filter_map(|&t| cover_id.get(&CoverKind::Demand { queue: q, t }).copied()),
                );
            }
            for &k in &template_sets[c.template] {
                rows.extend(
                    c.working
                        .iter()
                        .filter_map(|&t| cover_id.get(&CoverKind::Union { set: k, t }).copied()),
                );
            }
            for &(k, id) in &deadline_ids {
                let r = &p.deadline_rows[k];
                let serves = &serves_family[r.backlog];
                let hits = c
                    .working
                    .iter()
                    .filter(|&&t| {
                        t >= r.lo && t <= r.last() && serves[r.family[t - r.lo]][c.template]
                    })
                    .count();
                rows.extend(std::iter::repeat_n(id, hits));
            }
            if let Some(&r) = cover_id.get(&CoverKind::TemplateMin {
                template: c.template,
            }) {
                rows.push(r);
            }
            col_cover.push(rows);
            let mut packs: Vec<(u32, f64)> = Vec::new();
            let mut add = |kind: PackKind, cap: f64, coef: f64| {
                let id = *pack_id.entry(kind).or_insert_with(|| {
                    pack.push((kind, cap));
                    (pack.len() - 1) as u32
                });
                packs.push((id, coef));
            };
            if let Some(cap) = p.cap(c.site) {
                if let Some(m) = cap.max_per_interval {
                    for t in c.present(&p.horizon, p.rules.cyclic) {
                        add(PackKind::SiteInterval { site: c.site, t }, m as f64, 1.0);
                    }
                }
                if let Some(m) = cap.max_per_day {
                    let date = c.local_date;
                    add(PackKind::SiteDay { site: c.site, date }, m as f64, 1.0);
                }
            }
            if let Some(m) = p.templates[c.template].max_count {
                add(
                    PackKind::TemplateMax {
                        template: c.template,
                    },
                    m as f64,
                    1.0,
                );
            }
            if let Some(b) = p.rules.budget {
                add(PackKind::Budget, b, c.cost);
            }
            col_pack.push(packs);
        }
        Model {
            cover,
            pack,
            col_cost: p.candidates.iter().map(|c| c.cost).collect(),
            col_cover,
            col_pack,
            under,
            over,
            constant,
        }
    }

    /// Splits the model into blocks that share no row.
    /// Frees the columns' lists (`col_cost`, `col_cover`, `col_pack`) once [`Model::blocks`]
    /// has copied them into the blocks: the later phases' LPs then reuse that memory, so the
    /// peak does not grow with how far the solve gets (on the month at five sites the
    /// lists of 85 000 candidates are about as large as the rolling windows' LPs).
    pub fn drop_columns(&mut self) {
        self.col_cost = Vec::new();
        self.col_cover = Vec::new();
        self.col_pack = Vec::new();
    }

    pub fn blocks(&self) -> Vec<Sub> {
        let n = self.col_cost.len();
        let mut uf = UnionFind::new(n);
        let mut first_cover = vec![usize::MAX; self.cover.len()];
        let mut first_pack = vec![usize::MAX; self.pack.len()];
        for j in 0..n {
            for &r in &self.col_cover[j] {
                let f = &mut first_cover[r as usize];
                if *f == usize::MAX {
                    *f = j;
                } else {
                    uf.union(*f, j);
                }
            }
            for &(r, _) in &self.col_pack[j] {
                let f = &mut first_pack[r as usize];
                if *f == usize::MAX {
                    *f = j;
                } else {
                    uf.union(*f, j);
                }
            }
        }
        let mut block_of_root: HashMap<usize, usize> = HashMap::new();
        let mut subs: Vec<Sub> = Vec::new();
        let mut cover_local: HashMap<u32, u32> = HashMap::new();
        let mut pack_local: HashMap<u32, u32> = HashMap::new();
        for j in 0..n {
            let root = uf.find(j);
            let b = *block_of_root.entry(root).or_insert_with(|| {
                subs.push(Sub {
                    under: self.under,
                    over: self.over,
                    ..Sub::default()
                });
                subs.len() - 1
            });
            let sub = &mut subs[b];
            sub.cols.push(j);
            sub.cost.push(self.col_cost[j]);
            let rows = self.col_cover[j]
                .iter()
                .map(|&r| {
                    *cover_local.entry(r).or_insert_with(|| {
                        let (_, rhs, soft) = self.cover[r as usize];
                        sub.cover_rhs.push(rhs);
                        sub.cover_soft.push(soft);
                        sub.cover_global.push(r as usize);
                        (sub.cover_rhs.len() - 1) as u32
                    })
                })
                .collect();
            sub.col_cover.push(rows);
            let packs = self.col_pack[j]
                .iter()
                .map(|&(r, coef)| {
                    let id = *pack_local.entry(r).or_insert_with(|| {
                        sub.pack_cap.push(self.pack[r as usize].1);
                        sub.pack_global.push(r as usize);
                        (sub.pack_cap.len() - 1) as u32
                    });
                    (id, coef)
                })
                .collect();
            sub.col_pack.push(packs);
        }
        subs
    }
}

impl Sub {
    /// The part of this block on the columns `keep` (indices into this block, ascending):
    /// each row `r` that a kept column touches is kept with right-hand side `rhs(r)`, or
    /// dropped when that is `None`; each pack row gets the cap `cap(p)`; column `j` costs
    /// `cost(j)`. Columns keep their candidate index in `cols`.
    pub fn restrict(
        &self,
        keep: &[usize],
        rhs: impl Fn(usize) -> Option<f64>,
        cap: impl Fn(usize) -> f64,
        cost: impl Fn(usize) -> f64,
    ) -> Sub {
        let mut sub = Sub {
            under: self.under,
            over: self.over,
            ..Sub::default()
        };
        let mut row_map = vec![u32::MAX; self.cover_rhs.len()];
        let mut row_seen = vec![false; self.cover_rhs.len()];
        let mut pack_map = vec![u32::MAX; self.pack_cap.len()];
        for &j in keep {
            sub.cols.push(self.cols[j]);
            sub.cost.push(cost(j));
            let mut rows = Vec::with_capacity(self.col_cover[j].len());
            for &r in &self.col_cover[j] {
                let ri = r as usize;
                if !row_seen[ri] {
                    row_seen[ri] = true;
                    if let Some(v) = rhs(ri) {
                        row_map[ri] = sub.cover_rhs.len() as u32;
                        sub.cover_rhs.push(v);
                        sub.cover_soft.push(self.cover_soft[ri]);
                        sub.cover_global.push(self.cover_global[ri]);
                    }
                }
                if row_map[ri] != u32::MAX {
                    rows.push(row_map[ri]);
                }
            }
            sub.col_cover.push(rows);
            let packs = self.col_pack[j]
                .iter()
                .map(|&(p, c)| {
                    let pi = p as usize;
                    if pack_map[pi] == u32::MAX {
                        pack_map[pi] = sub.pack_cap.len() as u32;
                        sub.pack_cap.push(cap(pi));
                        sub.pack_global.push(self.pack_global[pi]);
                    }
                    (pack_map[pi], c)
                })
                .collect();
            sub.col_pack.push(packs);
        }
        sub
    }

    /// Objective of an integer (or fractional) point: cost plus soft penalties.
    pub fn objective(&self, x: &[f64]) -> f64 {
        let mut cov = vec![0.0; self.cover_rhs.len()];
        let mut obj = 0.0;
        for (j, &v) in x.iter().enumerate() {
            obj += self.cost[j] * v;
            for &r in &self.col_cover[j] {
                cov[r as usize] += v;
            }
        }
        for (r, &c) in cov.iter().enumerate() {
            if self.cover_soft[r] {
                let d = c - self.cover_rhs[r];
                obj += if d < 0.0 {
                    -d * self.under
                } else {
                    d * self.over
                };
            }
        }
        obj
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}
