//! The best hits of a search, equal scores taken by path.
//!
//! tantivy breaks ties by where the index holds a document, which depends on
//! the order the notes were written in, not on the notes: with `--limit`, a
//! search for words that many notes match equally well kept different notes
//! after a rebuild than before it. Within a segment the path column's
//! ordinals are in path order, so each segment keeps its best by score and
//! then ordinal; across segments the paths themselves are compared.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The `limit` best matches of `query` (at least one is asked for), best
/// first; equal scores by path.
pub(super) fn best(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let limit = limit.max(1);
    // The usual case, with tantivy's own skipping of hits that cannot make
    // the cut: the one after the last kept scores lower, so no hit tied
    // with a kept one was left out (the caller orders the kept ones).
    let mut top = searcher.search(
        query,
        &TopDocs::with_limit(limit.saturating_add(1)).order_by_score(),
    )?;
    if top.get(limit).is_none_or(|next| next.0 < top[limit - 1].0) {
        top.truncate(limit);
        return Ok(top);
    }
    Ok(searcher
        .search(query, &ByPath { limit })?
        .into_iter()
        .map(|(score, addr, _)| (score, addr))
        .collect())
}

/// Each segment's best `limit` hits by score and then path, merged.
struct ByPath {
    limit: usize,
}

impl Collector for ByPath {
    type Fruit = Vec<(Score, DocAddress, String)>;
    type Child = SegmentBest;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentBest> {
        Ok(SegmentBest {
            segment,
            paths: reader.fast_fields().str("path")?,
            limit: self.limit,
            kept: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Self::Fruit = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        all.truncate(self.limit);
        Ok(all)
    }
}

/// A hit in one segment; the greater is the better.
#[derive(Clone, Copy)]
struct Hit {
    score: Score,
    /// The path's ordinal (`u64::MAX` without one: last among equals).
    ord: u64,
    doc: DocId,
}

impl Ord for Hit {
    fn cmp(&self, other: &Hit) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.ord.cmp(&self.ord))
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Hit) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Hit) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hit {}

struct SegmentBest {
    segment: SegmentOrdinal,
    paths: Option<StrColumn>,
    limit: usize,
    /// The worst kept on top.
    kept: BinaryHeap<Reverse<Hit>>,
}

impl SegmentCollector for SegmentBest {
    type Fruit = Vec<(Score, DocAddress, String)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ord = self
            .paths
            .as_ref()
            .and_then(|p| p.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let hit = Hit { score, ord, doc };
        if self.kept.len() < self.limit {
            self.kept.push(Reverse(hit));
        } else if self.kept.peek().is_some_and(|worst| hit > worst.0) {
            self.kept.pop();
            self.kept.push(Reverse(hit));
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut bytes = Vec::new();
        self.kept
            .into_iter()
            .map(|Reverse(hit)| {
                bytes.clear();
                // A path that cannot be read sorts first among equals; no
                // index rapport writes has one.
                if let Some(p) = &self.paths
                    && hit.ord != u64::MAX
                {
                    let _ = p.ord_to_bytes(hit.ord, &mut bytes);
                }
                let path = String::from_utf8_lossy(&bytes).into_owned();
                (hit.score, DocAddress::new(self.segment, hit.doc), path)
            })
            .collect()
    }
}
