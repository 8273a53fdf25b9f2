//! Survivor policies other than `first` need the whole dump before they can name a cluster's
//! survivor, so the run makes two passes: the first clusters every document with the index
//! and scores it ([`Clusters::add`]), the second cleans again and applies the decisions
//! ([`Clusters::decide`]). Per input record this holds 16 bytes; per cluster 16 more and the
//! survivor's id when it is not the cluster's first document.

use std::collections::HashMap;

use super::index::{Index, Kind, Match, Verdict};
use crate::document::Duplicate;

/// How one record related to dedup in the first pass.
#[derive(Clone, Copy)]
struct Entry {
    /// Its cluster (the kept number of the cluster's first document), or NONE.
    cluster: u32,
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
    /// Per cluster: the best score so far and its record number.
    best: Vec<(i64, u64)>,
    /// Ids of survivors that are not their cluster's first document.
    survivor_ids: HashMap<u32, String>,
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

    /// Notes the index's verdict on the next record, with its survivor score.
    pub fn add(&mut self, verdict: Verdict, id: &str, score: i64) {
        let record = self.records.len() as u64;
        let entry = match verdict {
            Verdict::Kept(n) => {
                debug_assert_eq!(n as usize, self.first.len());
                self.first.push(record);
                self.best.push((score, record));
                Entry {
                    cluster: n,
                    kind: None,
                    similarity: 1.0,
                    containment: 1.0,
                }
            }
            Verdict::Duplicate(Match {
                kept,
                kind,
                similarity,
                containment,
            }) => {
                let best = &mut self.best[kept as usize];
                if score > best.0 {
                    *best = (score, record);
                    self.survivor_ids.insert(kept, id.to_string());
                }
                Entry {
                    cluster: kept,
                    kind: Some(kind),
                    similarity,
                    containment,
                }
            }
        };
        self.records.push(entry);
    }

    /// After the first pass: a cluster's first document, when it does not survive, is a
    /// duplicate of the survivor by the survivor's own match with it.
    pub fn resolve(&mut self) {
        for (cluster, &(_, survivor)) in self.best.iter().enumerate() {
            let first = self.first[cluster];
            if survivor != first {
                let mut entry = self.records[survivor as usize];
                entry.cluster = cluster as u32;
                self.records[first as usize] = entry;
            }
        }
    }

    /// In the second pass: record `record`'s fate — None to keep it, or what it duplicates.
    pub fn decide(&self, record: u64, index: &Index) -> Option<(Kind, Duplicate)> {
        let entry = self.records.get(record as usize)?;
        if entry.cluster == NONE {
            return None;
        }
        let survivor = self.best[entry.cluster as usize].1;
        if survivor == record {
            return None;
        }
        let first_id = index.id(entry.cluster);
        let survivor_id = self
            .survivor_ids
            .get(&entry.cluster)
            .map_or(first_id, String::as_str);
        Some((
            entry.kind.unwrap_or(Kind::Exact),
            Duplicate {
                survivor: survivor_id.to_string(),
                similarity: f64::from(entry.similarity),
                containment: f64::from(entry.containment),
                cluster: first_id.to_string(),
            },
        ))
    }
}
