//! Clustering the whole dump before writing (`passes = 2`): the clustering pass feeds every
//! document's verdict to [`Clusters::add`], which also merges clusters that one document
//! bridges (it duplicates both); the writing pass asks [`Clusters::decide`] for each
//! record's fate. Survivor policies other than `first` need this, since the best document
//! may come last, and it finds duplicates a single pass cannot: a copy kept because it came
//! before the article it copies, whose other copies went elsewhere.
//!
//! Per input record this holds 16 bytes; per cluster 28 more, and the ids of documents that
//! were a cluster's best before the writing pass.

use std::collections::HashMap;

use super::index::{Index, Kind, Match, Verdict};
use crate::document::Duplicate;

/// How one record related to dedup in the first pass.
#[derive(Clone, Copy)]
struct Entry {
    /// Its cluster as first assigned (the kept number of the cluster's first document), or
    /// NONE for a record that never reached dedup.
    cluster: u32,
    /// How it matched; None for a cluster's first document until it turns out not to
    /// survive.
    kind: Option<Kind>,
    similarity: f32,
    containment: f32,
}

const NONE: u32 = u32::MAX;

#[derive(Default)]
pub struct Clusters {
    records: Vec<Entry>,
    /// Per cluster: the record number of its first document.
    first: Vec<u64>,
    /// Union-find parent per cluster.
    parent: Vec<u32>,
    /// Per cluster root: the best score so far and its record number.
    best: Vec<(i64, u64)>,
    /// Ids of documents that were a cluster's best without being a cluster's first.
    best_ids: HashMap<u64, String>,
}

impl Clusters {
    /// Notes a record that never reached dedup (rejected by an earlier stage).
    pub fn skip(&mut self) {
        self.records.push(Entry {
            cluster: NONE,
            kind: None,
            similarity: 0.0,
            containment: 0.0,
        });
    }

    fn find(&self, mut c: u32) -> u32 {
        while self.parent[c as usize] != c {
            c = self.parent[c as usize];
        }
        c
    }

    /// Makes `record` its cluster's best if it scores higher (ties: the earlier record).
    fn offer(&mut self, root: u32, score: i64, record: u64, id: &str) {
        let best = &mut self.best[root as usize];
        if score > best.0 || (score == best.0 && record < best.1) {
            *best = (score, record);
            self.best_ids.insert(record, id.to_string());
        }
    }

    /// Merges the cluster of `bridged` into `root`'s, noting on its first document how it
    /// is related (through the bridging document).
    fn merge(&mut self, root: u32, bridged: Match) {
        let other = self.find(bridged.kept);
        if other == root {
            return;
        }
        let (keep, gone) = (root.min(other), root.max(other));
        self.parent[gone as usize] = keep;
        let (a, b) = (self.best[keep as usize], self.best[gone as usize]);
        if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
            self.best[keep as usize] = b;
        }
        let first = &mut self.records[self.first[bridged.kept as usize] as usize];
        first.kind = Some(bridged.kind);
        first.similarity = bridged.similarity;
        first.containment = bridged.containment;
    }

    /// Notes the index's verdict on the next record, with its survivor score and the other
    /// clusters it matched.
    pub fn add(&mut self, verdict: Verdict, others: &[Match], id: &str, score: i64) {
        let record = self.records.len() as u64;
        let entry = match verdict {
            Verdict::Kept(n) => {
                debug_assert_eq!(n as usize, self.first.len());
                self.first.push(record);
                self.parent.push(n);
                self.best.push((score, record));
                Entry {
                    cluster: n,
                    kind: None,
                    similarity: 1.0,
                    containment: 1.0,
                }
            }
            Verdict::Duplicate(m) => Entry {
                cluster: m.kept,
                kind: Some(m.kind),
                similarity: m.similarity,
                containment: m.containment,
            },
        };
        self.records.push(entry);
        if let Verdict::Duplicate(m) = verdict {
            let mut root = self.find(m.kept);
            for &other in others {
                self.merge(root, other);
                root = self.find(root);
            }
            self.offer(root, score, record, id);
        }
    }

    /// After clustering: a cluster's first document that does not survive is a duplicate of the
    /// survivor, by the survivor's own match with it (unless a bridge already said how).
    pub fn resolve(&mut self) {
        for cluster in 0..self.first.len() as u32 {
            let (first, root) = (self.first[cluster as usize], self.find(cluster));
            let survivor = self.best[root as usize].1;
            let entry = &self.records[first as usize];
            if survivor != first && entry.kind.is_none() {
                let mut from_survivor = self.records[survivor as usize];
                from_survivor.cluster = cluster;
                from_survivor.kind = from_survivor.kind.or(Some(Kind::Near));
                self.records[first as usize] = from_survivor;
            }
        }
    }

    /// The id of a record that is some cluster's best.
    fn id_of<'a>(&'a self, record: u64, index: &'a Index) -> &'a str {
        match self.best_ids.get(&record) {
            Some(id) => id,
            None => index.id(self.records[record as usize].cluster),
        }
    }

    /// In the writing pass: record `record`'s fate — None to keep it, or what it duplicates.
    pub fn decide(&self, record: u64, index: &Index) -> Option<(Kind, Duplicate)> {
        let entry = self.records.get(record as usize)?;
        if entry.cluster == NONE {
            return None;
        }
        let root = self.find(entry.cluster);
        let survivor = self.best[root as usize].1;
        if survivor == record {
            return None;
        }
        Some((
            entry.kind.unwrap_or(Kind::Near),
            Duplicate {
                survivor: self.id_of(survivor, index).to_string(),
                similarity: f64::from(entry.similarity),
                containment: f64::from(entry.containment),
                cluster: index.id(root).to_string(),
            },
        ))
    }
}
