//! Where each person goes: a force-directed layout computed in Rust, so the
//! page shows the network as plain SVG (no script needed) and the same vault
//! always gives the same picture.
//!
//! Fruchterman–Reingold with three forces: every pair of people repels
//! (approximated with a Barnes–Hut quadtree, so 2,000 people take
//! milliseconds), people who met attract along their edge (more with more
//! shared meetings, less across organisations and for people with many
//! edges), and people of one organisation are pulled towards their
//! organisation's centre so that organisations form clusters. The
//! start positions come from a fixed-seed generator; nothing depends on
//! hash order or time. A final pass pushes overlapping circles apart.

use super::graph::Graph;

/// A laid-out graph, in page units (about pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Node centres, by node index.
    pub pos: Vec<(f64, f64)>,
    /// Node radii.
    pub radius: Vec<f64>,
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
}

/// The drawing's width, in page units.
pub const WIDTH: f64 = 1400.0;
/// Space left around the drawing for organisation names.
const MARGIN: f64 = 70.0;
/// Pull towards the middle, so that separate groups stay near.
const GRAVITY: f64 = 0.25;
/// How much a link across organisations pulls, against one inside.
const ACROSS: f64 = 0.3;
/// Iterations of the force simulation (fewer on a large map, where each
/// costs more and a step moves a smaller share of the picture).
fn iterations(n: usize) -> usize {
    if n > 1000 { 120 } else { 300 }
}

/// SplitMix64: a tiny generator with a fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// Radius of a node with `meetings` meetings when the busiest has `max`,
/// smaller when there are many people.
fn radius(meetings: u32, max: u32, n: usize) -> f64 {
    let base = (260.0 / (n.max(1) as f64).sqrt()).clamp(3.0, 9.0);
    let share = if max == 0 {
        0.0
    } else {
        (meetings as f64 / max as f64).sqrt()
    };
    base * (1.0 + 1.6 * share)
}

/// Lays out `g` deterministically from `seed`.
pub fn layout(g: &Graph, seed: u64) -> Layout {
    let n = g.nodes.len();
    let max = g.nodes.iter().map(|n| n.meetings).max().unwrap_or(0);
    let radius: Vec<f64> = g.nodes.iter().map(|x| radius(x.meetings, max, n)).collect();
    if n == 0 {
        return Layout {
            pos: Vec::new(),
            radius,
            width: WIDTH,
            height: 400.0,
        };
    }
    let mut rng = Rng(seed);
    // Ideal distance between neighbours, in simulation units.
    let k = 1.0;
    // Organisation centres on a sunflower spiral, largest nearest the middle;
    // people without an organisation share the spiral as their own spots.
    let spot = |i: usize| {
        let a = i as f64 * 2.399_963_229_728_653;
        let r = 1.5 * k * (i as f64 + 0.5).sqrt() * (n as f64).sqrt().sqrt();
        (r * a.cos(), r * a.sin())
    };
    let mut pos: Vec<(f64, f64)> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let (cx, cy) = match node.cluster {
                Some(c) => spot(c),
                None => spot(g.clusters.len() + i % 7),
            };
            (cx + 2.0 * k * rng.unit(), cy + 2.0 * k * rng.unit())
        })
        .collect();
    let max_w = g.edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    // Springs: shared meetings (stronger with more), and introductions
    // (like one shared meeting).
    let springs: Vec<(usize, usize, f64)> = g
        .edges
        .iter()
        .map(|e| (e.a, e.b, e.weight as f64))
        .chain(g.intros.iter().map(|i| (i.from, i.to, 1.0)))
        .map(|(a, b, w)| {
            let s = 0.5 + w.ln_1p() / max_w.ln_1p();
            // Links across organisations pull less, so organisations
            // separate into clusters.
            let same = g.nodes[a].cluster.is_some() && g.nodes[a].cluster == g.nodes[b].cluster;
            (a, b, if same { s } else { s * ACROSS })
        })
        .collect();
    // A hub's many springs would crush it into its neighbours: each end
    // of a spring pulls less the more springs it has.
    let mut degree = vec![0usize; n];
    for (a, b, _) in &springs {
        degree[*a] += 1;
        degree[*b] += 1;
    }
    let damp: Vec<f64> = degree
        .iter()
        .map(|d| 1.0 / (*d.max(&1) as f64).sqrt())
        .collect();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let mut centre = vec![(0.0f64, 0.0f64, 0usize); g.clusters.len()];
    let mut temp = 2.0 * k * (n as f64).sqrt().max(3.0) / 3.0;
    let rounds = iterations(n);
    let cooling = (0.01f64).powf(1.0 / rounds as f64);
    // Each person's repulsion is computed on its own, so threads share the
    // work without changing the result.
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 4);
    let chunk = n.div_ceil(threads).max(64);
    let mut tree = QuadTree::default();
    for _ in 0..rounds {
        for d in disp.iter_mut() {
            *d = (0.0, 0.0);
        }
        // Repulsion k²/d from everyone, through the quadtree.
        tree.build(&pos);
        let tree = &tree;
        std::thread::scope(|scope| {
            for (ps, ds) in pos.chunks(chunk).zip(disp.chunks_mut(chunk)) {
                scope.spawn(move || {
                    let mut stack = Vec::with_capacity(64);
                    for (p, d) in ps.iter().zip(ds.iter_mut()) {
                        let (fx, fy) = tree.force(*p, k * k, &mut stack);
                        d.0 += fx;
                        d.1 += fy;
                    }
                });
            }
        });
        // Attraction along springs, linear in the distance.
        for &(a, b, s) in &springs {
            let dx = pos[a].0 - pos[b].0;
            let dy = pos[a].1 - pos[b].1;
            let d = (dx * dx + dy * dy).sqrt().max(1e-6);
            let f = d * s / k;
            let (ux, uy) = (dx / d * f, dy / d * f);
            disp[a].0 -= ux * damp[a];
            disp[a].1 -= uy * damp[a];
            disp[b].0 += ux * damp[b];
            disp[b].1 += uy * damp[b];
        }
        // Pull towards the organisation's centre, and gently towards the
        // middle so that separate groups do not drift apart.
        for c in centre.iter_mut() {
            *c = (0.0, 0.0, 0);
        }
        for (i, node) in g.nodes.iter().enumerate() {
            if let Some(c) = node.cluster {
                centre[c].0 += pos[i].0;
                centre[c].1 += pos[i].1;
                centre[c].2 += 1;
            }
        }
        for (i, node) in g.nodes.iter().enumerate() {
            let (x, y) = pos[i];
            if let Some(c) = node.cluster {
                let (sx, sy, m) = centre[c];
                let (cx, cy) = (sx / m as f64, sy / m as f64);
                // People with no link have nothing else holding them.
                let pull = if degree[i] == 0 { 4.0 } else { 1.2 };
                disp[i].0 -= (x - cx) * pull;
                disp[i].1 -= (y - cy) * pull;
            }
            let gravity = if degree[i] == 0 {
                4.0 * GRAVITY
            } else {
                GRAVITY
            };
            disp[i].0 -= x * gravity / k;
            disp[i].1 -= y * gravity / k;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.0 * d.0 + d.1 * d.1).sqrt();
            if len > 0.0 {
                let step = len.min(temp);
                p.0 += d.0 / len * step;
                p.1 += d.1 / len * step;
            }
        }
        temp *= cooling;
    }
    fit(pos, radius)
}

/// Scales the simulation to the page width, then separates overlapping
/// circles.
fn fit(mut pos: Vec<(f64, f64)>, radius: Vec<f64>) -> Layout {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in &pos {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    let inner = WIDTH - 2.0 * MARGIN;
    // As wide as the page, but a few people are not spread over all of it.
    let scale = (inner / (x1 - x0).max(1e-9)).min(80.0);
    for p in pos.iter_mut() {
        p.0 = (p.0 - x0) * scale;
        p.1 = (p.1 - y0) * scale;
    }
    separate(&mut pos, &radius);
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (p, r) in pos.iter().zip(&radius) {
        x0 = x0.min(p.0 - r);
        y0 = y0.min(p.1 - r);
        x1 = x1.max(p.0 + r);
        y1 = y1.max(p.1 + r);
    }
    let w = x1 - x0;
    let dx = MARGIN + (inner - w).max(0.0) / 2.0 - x0;
    let dy = MARGIN - y0;
    for p in pos.iter_mut() {
        p.0 += dx;
        p.1 += dy;
    }
    let width = WIDTH.max(w + 2.0 * MARGIN);
    let height = (y1 - y0) + 2.0 * MARGIN + 20.0;
    Layout {
        pos,
        radius,
        width,
        height,
    }
}

/// Pushes apart circles that overlap (plus a small gap), a few rounds over
/// a grid of cells as large as the biggest circle.
fn separate(pos: &mut [(f64, f64)], radius: &[f64]) {
    let gap = 3.0;
    let cell = radius.iter().cloned().fold(1.0, f64::max) * 2.0 + gap;
    for _ in 0..8 {
        let mut grid: std::collections::BTreeMap<(i64, i64), Vec<usize>> = Default::default();
        for (i, p) in pos.iter().enumerate() {
            grid.entry(((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64))
                .or_default()
                .push(i);
        }
        let mut moved = false;
        for i in 0..pos.len() {
            let (cx, cy) = (
                (pos[i].0 / cell).floor() as i64,
                (pos[i].1 / cell).floor() as i64,
            );
            for gx in cx - 1..=cx + 1 {
                for gy in cy - 1..=cy + 1 {
                    let Some(others) = grid.get(&(gx, gy)) else {
                        continue;
                    };
                    for &j in others {
                        if j <= i {
                            continue;
                        }
                        let (dx, dy) = (pos[j].0 - pos[i].0, pos[j].1 - pos[i].1);
                        let d = (dx * dx + dy * dy).sqrt();
                        let want = radius[i] + radius[j] + gap;
                        if d < want {
                            // Coincident points part along a fixed direction.
                            let (ux, uy) = if d > 1e-9 {
                                (dx / d, dy / d)
                            } else {
                                (0.6, 0.8)
                            };
                            let push = (want - d) / 2.0;
                            pos[i].0 -= ux * push;
                            pos[i].1 -= uy * push;
                            pos[j].0 += ux * push;
                            pos[j].1 += uy * push;
                            moved = true;
                        }
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// A Barnes–Hut quadtree over points of unit mass.
#[derive(Default)]
struct QuadTree {
    theta2: f64,
    cells: Vec<Cell>,
    pos: Vec<(f64, f64)>,
}

#[derive(Clone, Copy)]
struct Cell {
    /// Centre and half size of the square.
    cx: f64,
    cy: f64,
    half: f64,
    /// Sum of positions and number of points.
    sx: f64,
    sy: f64,
    mass: f64,
    /// First child (four in a row), or 0 for a leaf.
    child: u32,
    /// The point of a leaf holding one, else `u32::MAX`.
    point: u32,
}

/// Approximation threshold: a cell seen under a smaller angle counts as
/// one body (coarser on a large map, where one person matters less).
fn theta2(n: usize) -> f64 {
    if n > 1000 { 1.1 * 1.1 } else { 0.8 * 0.8 }
}
/// Below this size, points are not split further (coincident points).
const MIN_HALF: f64 = 1e-6;

impl QuadTree {
    fn build(&mut self, pos: &[(f64, f64)]) {
        self.cells.clear();
        self.pos.clear();
        self.theta2 = theta2(pos.len());
        self.pos.extend_from_slice(pos);
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in pos {
            x0 = x0.min(*x);
            y0 = y0.min(*y);
            x1 = x1.max(*x);
            y1 = y1.max(*y);
        }
        let half = ((x1 - x0).max(y1 - y0) / 2.0).max(1e-3) * 1.01;
        self.cells
            .push(Cell::new((x0 + x1) / 2.0, (y0 + y1) / 2.0, half));
        for i in 0..pos.len() {
            self.insert(0, i as u32);
        }
    }

    fn insert(&mut self, mut c: usize, p: u32) {
        let (x, y) = self.pos[p as usize];
        loop {
            let cell = &mut self.cells[c];
            cell.sx += x;
            cell.sy += y;
            cell.mass += 1.0;
            if cell.child != 0 {
                c = cell.child as usize + cell.quadrant(x, y);
                continue;
            }
            if cell.point == u32::MAX && cell.mass == 1.0 {
                cell.point = p;
                return;
            }
            if cell.half < MIN_HALF {
                // Coincident points stay together in one leaf.
                return;
            }
            // Split: move the resident point down, then go on.
            let (cx, cy, h) = (cell.cx, cell.cy, cell.half / 2.0);
            let old = cell.point;
            let first = self.cells.len();
            self.cells[c].child = first as u32;
            self.cells[c].point = u32::MAX;
            for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
                self.cells.push(Cell::new(cx + dx, cy + dy, h));
            }
            if old != u32::MAX {
                let (ox, oy) = self.pos[old as usize];
                let q = first + self.cells[c].quadrant(ox, oy);
                let leaf = &mut self.cells[q];
                leaf.sx += ox;
                leaf.sy += oy;
                leaf.mass += 1.0;
                leaf.point = old;
            }
            c = first + self.cells[c].quadrant(x, y);
        }
    }

    /// The repulsion on a point at `p` from every other point: `k2 / d`
    /// along the line between them.
    fn force(&self, p: (f64, f64), k2: f64, stack: &mut Vec<usize>) -> (f64, f64) {
        let mut f = (0.0, 0.0);
        stack.clear();
        stack.push(0);
        while let Some(c) = stack.pop() {
            let cell = &self.cells[c];
            if cell.mass == 0.0 {
                continue;
            }
            let (mx, my) = (cell.sx / cell.mass, cell.sy / cell.mass);
            let (dx, dy) = (p.0 - mx, p.1 - my);
            let d2 = dx * dx + dy * dy;
            let size = 2.0 * cell.half;
            if cell.child == 0 || size * size < self.theta2 * d2 {
                if d2 < 1e-12 {
                    // The point itself (or one on top of it): no direction.
                    continue;
                }
                let s = k2 * cell.mass / d2;
                f.0 += dx * s;
                f.1 += dy * s;
            } else {
                let first = cell.child as usize;
                stack.extend(first..first + 4);
            }
        }
        f
    }
}

impl Cell {
    fn new(cx: f64, cy: f64, half: f64) -> Cell {
        Cell {
            cx,
            cy,
            half,
            sx: 0.0,
            sy: 0.0,
            mass: 0.0,
            child: 0,
            point: u32::MAX,
        }
    }

    fn quadrant(&self, x: f64, y: f64) -> usize {
        (x >= self.cx) as usize + 2 * (y >= self.cy) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::warmth::{Contact, Warmth};
    use crate::map::graph::{Cluster, Edge, Node};

    fn node(cluster: Option<usize>, meetings: u32) -> Node {
        Node {
            name: String::new(),
            path: None,
            org: None,
            relation: None,
            meetings,
            contact: Contact {
                last_contact: None,
                next_due: None,
                warmth: Warmth::NeverMet,
            },
            projects: Vec::new(),
            cluster,
        }
    }

    fn graph(n: usize) -> Graph {
        let nodes: Vec<Node> = (0..n).map(|i| node(Some(i % 3), i as u32)).collect();
        let clusters = (0..3)
            .map(|c| Cluster {
                name: format!("org {c}"),
                members: (0..n).filter(|i| i % 3 == c).collect(),
            })
            .collect();
        let edges = (1..n)
            .map(|i| Edge {
                a: i - 1,
                b: i,
                weight: 1 + i as u32 % 4,
            })
            .collect();
        Graph {
            nodes,
            edges,
            intros: Vec::new(),
            clusters,
            all_edges: n - 1,
            min_weight: 1,
            meetings: 0,
        }
    }

    #[test]
    fn same_graph_same_layout() {
        let g = graph(60);
        assert_eq!(layout(&g, 7), layout(&g, 7));
        assert_ne!(layout(&g, 7).pos, layout(&g, 8).pos);
    }

    #[test]
    fn everyone_is_on_the_page_and_nobody_overlaps() {
        for n in [1, 2, 5, 60, 300] {
            let g = graph(n);
            let l = layout(&g, 1);
            for (i, (p, r)) in l.pos.iter().zip(&l.radius).enumerate() {
                assert!(p.0.is_finite() && p.1.is_finite(), "n={n} node {i}");
                assert!(p.0 - r >= 0.0 && p.0 + r <= l.width, "n={n} node {i} x");
                assert!(p.1 - r >= 0.0 && p.1 + r <= l.height, "n={n} node {i} y");
            }
            let mut overlaps = 0;
            for i in 0..n {
                for j in i + 1..n {
                    let d = ((l.pos[i].0 - l.pos[j].0).powi(2) + (l.pos[i].1 - l.pos[j].1).powi(2))
                        .sqrt();
                    if d + 0.5 < l.radius[i] + l.radius[j] {
                        overlaps += 1;
                    }
                }
            }
            assert!(overlaps <= n / 50, "n={n}: {overlaps} overlapping circles");
        }
    }

    #[test]
    fn organisations_stay_together() {
        let mut g = graph(90);
        // Mostly within organisations, a few across.
        g.edges = (0..87)
            .map(|i| Edge {
                a: i,
                b: i + 3,
                weight: 2,
            })
            .chain((0..9).map(|i| Edge {
                a: 10 * i,
                b: 10 * i + 1,
                weight: 1,
            }))
            .collect();
        let l = layout(&g, 3);
        // Mean distance to one's own organisation's centre is well below
        // the mean distance to the other organisations' centres.
        let centre = |c: usize| {
            let m = &g.clusters[c].members;
            let (sx, sy) = m
                .iter()
                .fold((0.0, 0.0), |a, i| (a.0 + l.pos[*i].0, a.1 + l.pos[*i].1));
            (sx / m.len() as f64, sy / m.len() as f64)
        };
        let centres: Vec<(f64, f64)> = (0..3).map(centre).collect();
        let (mut own, mut other) = (0.0, 0.0);
        for (i, node) in g.nodes.iter().enumerate() {
            let c = node.cluster.unwrap();
            for (j, cc) in centres.iter().enumerate() {
                let d = ((l.pos[i].0 - cc.0).powi(2) + (l.pos[i].1 - cc.1).powi(2)).sqrt();
                if j == c {
                    own += d;
                } else {
                    other += d / 2.0;
                }
            }
        }
        assert!(own < other * 0.7, "own {own} vs other {other}");
    }

    #[test]
    fn coincident_points_do_not_break_the_tree() {
        let mut t = QuadTree::default();
        t.build(&[(1.0, 1.0); 50]);
        let f = t.force((1.0, 1.0), 1.0, &mut Vec::new());
        assert!(f.0.is_finite() && f.1.is_finite());
        let f = t.force((2.0, 1.0), 1.0, &mut Vec::new());
        assert!((f.0 - 50.0).abs() < 1e-6, "{f:?}");
    }
}
