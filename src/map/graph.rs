//! The network as a graph: people are nodes, shared meetings are edges,
//! organisations are clusters.
//!
//! Built from two [`Network`]s: the *period* one (the meetings the map is
//! about, filtered like `rapport people`) decides who is a node, how big,
//! and the edges; keep-in-touch state comes from
//! [`crate::followup::warmth::contacts`] over every meeting, like the
//! checklist, so a filter never makes someone look cold. Everything is
//! sorted so that the same vault gives the same graph.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::followup::warmth::{Contact, Warmth};
use crate::query::{Network, PersonId};
use crate::vault::Relation;

/// Settings of a graph.
#[derive(Debug, Clone)]
pub struct GraphOpts {
    /// Only people whose organisation contains this (case-insensitive), as
    /// `rapport people --org`.
    pub org: Option<String>,
    /// True when the meetings were filtered (`--since`, `--until`,
    /// `--project`): then only people in them are nodes.
    pub narrowed: bool,
    /// At most this many co-attendance edges are kept (the heaviest).
    pub max_edges: usize,
}

impl Default for GraphOpts {
    fn default() -> Self {
        GraphOpts {
            org: None,
            narrowed: false,
            max_edges: 4000,
        }
    }
}

/// A person on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Name.
    pub name: String,
    /// Person note, vault-relative; `None` for people without a note.
    pub path: Option<String>,
    /// Organisation.
    pub org: Option<String>,
    /// Internal or external.
    pub relation: Option<Relation>,
    /// Meetings in the period.
    pub meetings: u32,
    /// Keep-in-touch state (over all meetings).
    pub contact: Contact,
    /// Projects of their meetings in the period, most frequent first (at most five).
    pub projects: Vec<String>,
    /// Index into [`Graph::clusters`].
    pub cluster: Option<usize>,
}

/// Two people who met together, `weight` times in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Node index (the smaller).
    pub a: usize,
    /// Node index.
    pub b: usize,
    /// Number of shared meetings.
    pub weight: u32,
}

/// `to`'s note says `from` introduced them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intro {
    /// The introducer's node.
    pub from: usize,
    /// The introduced person's node.
    pub to: usize,
}

/// People of one organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The organisation's name (as first written, by node order).
    pub name: String,
    /// Node indices.
    pub members: Vec<usize>,
}

/// The whole graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// People, sorted by name then path.
    pub nodes: Vec<Node>,
    /// Co-attendance edges kept, sorted by `(a, b)`.
    pub edges: Vec<Edge>,
    /// Introductions.
    pub intros: Vec<Intro>,
    /// Organisations, largest first.
    pub clusters: Vec<Cluster>,
    /// Number of co-attendance pairs before dropping light ones.
    pub all_edges: usize,
    /// Edges lighter than this were dropped (1 when none were).
    pub min_weight: u32,
    /// Meetings in the period.
    pub meetings: usize,
}

/// The keep-in-touch state of each person of `period`, taken from
/// `contacts` computed over `full` (people without a note are matched by
/// name).
pub fn contacts_for(period: &Network, full: &Network, contacts: &[Contact]) -> Vec<Contact> {
    let none = Contact {
        last_contact: None,
        next_due: None,
        warmth: Warmth::NeverMet,
    };
    (0..period.len() as PersonId)
        .map(|id| {
            let full_id = if (id as usize) < period.people.len() {
                Some(id)
            } else {
                full.lookup(period.name(id))
            };
            full_id
                .and_then(|f| contacts.get(f as usize).copied())
                .unwrap_or(none)
        })
        .collect()
}

/// Builds the graph of `net` (the period's meetings); `contacts` is indexed
/// by [`PersonId`] of `net`.
pub fn build(net: &Network, contacts: &[Contact], opts: &GraphOpts) -> Graph {
    let stats = net.contact_stats();
    let org_filter = opts.org.as_ref().map(|o| o.to_lowercase());
    // Who is a node: the rule of `rapport people` without --met.
    let mut ids: Vec<PersonId> = (0..net.len() as PersonId)
        .filter(|id| {
            let count = stats[*id as usize].0;
            let known = net.note(*id).is_some();
            (count > 0 || (known && !opts.narrowed))
                && org_filter.as_ref().is_none_or(|o| {
                    net.fields(*id)
                        .org
                        .is_some_and(|org| org.to_lowercase().contains(o))
                })
        })
        .collect();
    ids.sort_by_cached_key(|id| {
        (
            net.name(*id).to_lowercase(),
            net.note(*id).map(|n| n.path.clone()),
        )
    });
    let mut node_of: HashMap<PersonId, usize> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        node_of.insert(*id, i);
    }

    // Edges and projects, over the period's meetings.
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    let mut projects: Vec<BTreeMap<u32, u32>> = vec![BTreeMap::new(); ids.len()];
    let mut here: Vec<u32> = Vec::new();
    for m in &net.meetings {
        here.clear();
        here.extend(
            m.attendees
                .iter()
                .filter_map(|a| node_of.get(a).map(|n| *n as u32)),
        );
        here.sort_unstable();
        here.dedup();
        for (i, a) in here.iter().enumerate() {
            for p in &m.projects {
                *projects[*a as usize].entry(*p).or_default() += 1;
            }
            for b in &here[i + 1..] {
                *pairs.entry((*a, *b)).or_default() += 1;
            }
        }
    }
    let all_edges = pairs.len();
    let mut edges: Vec<Edge> = pairs
        .into_iter()
        .map(|((a, b), weight)| Edge {
            a: a as usize,
            b: b as usize,
            weight,
        })
        .collect();
    let min_weight = threshold(&edges, opts.max_edges);
    edges.retain(|e| e.weight >= min_weight);
    edges.sort_unstable_by_key(|e| (e.a, e.b));

    // Clusters by organisation, compared without case.
    let mut cluster_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut nodes: Vec<Node> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let f = net.fields(*id);
        let cluster = f
            .org
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                *cluster_of.entry(o.to_lowercase()).or_insert_with(|| {
                    clusters.push(Cluster {
                        name: o.to_string(),
                        members: Vec::new(),
                    });
                    clusters.len() - 1
                })
            });
        if let Some(c) = cluster {
            clusters[c].members.push(i);
        }
        let mut top: Vec<(u32, u32)> = projects[i].iter().map(|(p, c)| (*p, *c)).collect();
        top.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| net.projects[a.0 as usize].cmp(&net.projects[b.0 as usize]))
        });
        nodes.push(Node {
            name: net.name(*id).to_string(),
            path: net.note(*id).map(|n| n.path.clone()),
            org: f.org.clone(),
            relation: f.relation,
            meetings: stats[*id as usize].0,
            contact: contacts.get(*id as usize).copied().unwrap_or(Contact {
                last_contact: None,
                next_due: None,
                warmth: Warmth::NeverMet,
            }),
            projects: top
                .into_iter()
                .take(5)
                .map(|(p, _)| net.projects[p as usize].clone())
                .collect(),
            cluster,
        });
    }
    // Largest organisations first (placed first, nearest the centre).
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by(|a, b| {
        clusters[*b]
            .members
            .len()
            .cmp(&clusters[*a].members.len())
            .then_with(|| a.cmp(b))
    });
    let mut renumber = vec![0; clusters.len()];
    for (new, old) in order.iter().enumerate() {
        renumber[*old] = new;
    }
    let clusters: Vec<Cluster> = order.iter().map(|o| clusters[*o].clone()).collect();
    for n in &mut nodes {
        n.cluster = n.cluster.map(|c| renumber[c]);
    }

    // Introductions between two people on the map.
    let mut intros: Vec<Intro> = Vec::new();
    for (to, id) in ids.iter().enumerate() {
        if let Some(r) = net.fields(*id).personal.introduced_by
            && let Some(from) = net.lookup(&r).and_then(|f| node_of.get(&f))
            && *from != to
        {
            intros.push(Intro { from: *from, to });
        }
    }
    intros.sort_unstable_by_key(|i| (i.from, i.to));
    intros.dedup();

    Graph {
        nodes,
        edges,
        intros,
        clusters,
        all_edges,
        min_weight,
        meetings: net.meetings.len(),
    }
}

/// The smallest weight such that at most `max` edges weigh at least that.
fn threshold(edges: &[Edge], max: usize) -> u32 {
    if edges.len() <= max {
        return 1;
    }
    let mut weights: Vec<u32> = edges.iter().map(|e| e.weight).collect();
    weights.sort_unstable_by(|a, b| b.cmp(a));
    // The weight just past the limit is too light: keep heavier ones only.
    weights[max].saturating_add(1)
}

/// A short description of a date for the page.
pub fn show_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "never".to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Opts, warmth};
    use crate::query::testkit::*;

    fn graph(v: &Vault, people: Vec<crate::vault::Note>, opts: &GraphOpts) -> Graph {
        let net = v.network(people);
        let c = warmth::contacts(&net, &Opts::new(d("2024-06-15")));
        build(&net, &c, opts)
    }

    fn people() -> Vec<crate::vault::Note> {
        vec![
            person(
                "people/ann.md",
                "name: Ann\norg: \"[[Acme]]\"\nrelation: internal\ncadence: 30d",
            ),
            person(
                "people/bob.md",
                "name: Bob\norg: acme\nintroduced_by: \"[[Ann]]\"",
            ),
            person("people/cy.md", "name: Cy\norg: Globex\ncadence: 7d"),
            person("people/dee.md", "name: Dee"),
        ]
    }

    #[test]
    fn nodes_edges_clusters_and_intros() {
        let mut v = Vault::default();
        v.meeting("2024-06-01", &["Ann", "Bob", "Zed"], &["Atlas"], &[], 0)
            .meeting("2024-06-10", &["Ann", "Bob"], &["Atlas", "Billing"], &[], 0)
            .meeting("2024-06-12", &["Cy", "[[Ann]]", "Ann"], &[], &[], 0);
        let g = graph(&v, people(), &GraphOpts::default());
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        // Everyone with a note, and Zed (no note) because Zed met.
        assert_eq!(names, ["Ann", "Bob", "Cy", "Dee", "Zed"]);
        assert_eq!(g.nodes[0].meetings, 3);
        assert_eq!(g.nodes[0].projects, ["Atlas", "Billing"]);
        assert_eq!(g.nodes[3].meetings, 0);
        assert_eq!(g.nodes[3].contact.warmth, Warmth::NeverMet);
        assert_eq!(g.nodes[0].contact.warmth, Warmth::OnTrack);
        assert_eq!(g.nodes[2].contact.warmth, Warmth::DueSoon);
        assert_eq!(
            g.edges,
            [
                Edge {
                    a: 0,
                    b: 1,
                    weight: 2
                },
                Edge {
                    a: 0,
                    b: 2,
                    weight: 1
                },
                Edge {
                    a: 0,
                    b: 4,
                    weight: 1
                },
                Edge {
                    a: 1,
                    b: 4,
                    weight: 1
                },
            ]
        );
        assert_eq!(g.intros, [Intro { from: 0, to: 1 }]);
        // Acme and acme are one organisation, named as first written.
        assert_eq!(g.clusters[0].name, "Acme");
        assert_eq!(g.clusters[0].members, [0, 1]);
        assert_eq!(g.clusters[1].name, "Globex");
        assert_eq!(g.nodes[2].cluster, Some(1));
        assert_eq!(g.nodes[3].cluster, None);
        assert_eq!((g.all_edges, g.min_weight), (4, 1));
    }

    #[test]
    fn narrowed_and_org_filters_like_people() {
        let mut v = Vault::default();
        v.meeting("2024-06-01", &["Ann", "Cy"], &[], &[], 0);
        let g = graph(
            &v,
            people(),
            &GraphOpts {
                narrowed: true,
                ..GraphOpts::default()
            },
        );
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Cy"]);
        let g = graph(
            &v,
            people(),
            &GraphOpts {
                org: Some("ACM".into()),
                ..GraphOpts::default()
            },
        );
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["Ann", "Bob"]);
    }

    #[test]
    fn light_edges_are_dropped_past_the_limit() {
        let mut v = Vault::default();
        for _ in 0..3 {
            v.meeting("2024-06-01", &["Ann", "Bob"], &[], &[], 0);
        }
        v.meeting("2024-06-01", &["Cy", "Dee"], &[], &[], 0)
            .meeting("2024-06-01", &["Cy", "Dee"], &[], &[], 0)
            .meeting("2024-06-01", &["Ann", "Dee"], &[], &[], 0);
        let g = graph(
            &v,
            people(),
            &GraphOpts {
                max_edges: 2,
                ..GraphOpts::default()
            },
        );
        assert_eq!(g.all_edges, 3);
        assert_eq!(g.min_weight, 2);
        assert_eq!(g.edges.len(), 2);
        // A tie at the limit drops the whole weight, never picks arbitrarily.
        let g = graph(
            &v,
            people(),
            &GraphOpts {
                max_edges: 1,
                ..GraphOpts::default()
            },
        );
        assert_eq!((g.edges.len(), g.min_weight), (1, 3));
    }
}
