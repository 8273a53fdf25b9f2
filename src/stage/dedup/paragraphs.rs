//! Paragraphs shared across documents, decided over the whole dump (it needs `passes = 2`,
//! and runs after every per-document stage, so a teaser of story B appended to story A has
//! already been cut and never counts against B's lead paragraph).
//!
//! Pass 1 counts, for every paragraph of at least `min_words` words, the clusters (different
//! stories) whose first document holds it. Pass 2 then removes from every surviving document
//! a paragraph found in `min_documents` or more stories (boilerplate such as a publisher's
//! notice), and keeps a long paragraph (`syndicated_words`) found in two or more stories
//! only in the first document that has it (a syndicated quote).
//!
//! The counts live in a count-min sketch of fixed size (4 rows of 2^24 one-byte saturating
//! counters, 64 MiB, only touched pages resident), so memory does not grow with the dump; it
//! can only overcount, and the chance that noise lifts a paragraph seen once to 5 is below
//! one in 10^9 per paragraph up to ~8 million distinct paragraphs.

use std::collections::HashSet;

use serde::Deserialize;

use crate::document::{Cleaned, Edit};

/// `[dedup.paragraphs]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// A paragraph in at least this many different stories is removed from all of them.
    pub min_documents: u32,
    /// Shorter paragraphs are never counted (headings, datelines).
    pub min_words: usize,
    /// A paragraph of at least this many words in two or more stories (but fewer than
    /// `min_documents`) is kept only in the first document that has it; 0 turns this off.
    pub syndicated_words: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_documents: 5,
            min_words: 6,
            syndicated_words: 40,
        }
    }
}

/// The fingerprint of each paragraph long enough to count (None for the others), and its
/// word count, from the body's word hashes and where each paragraph's words end.
pub fn fingerprints(config: &Config, words: &[u64], ends: &[usize]) -> Vec<Option<(u64, usize)>> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let paragraph = &words[start..end];
            start = end;
            (paragraph.len() >= config.min_words).then(|| {
                let bytes: Vec<u8> = paragraph.iter().flat_map(|w| w.to_le_bytes()).collect();
                (xxhash_rust::xxh3::xxh3_64(&bytes), paragraph.len())
            })
        })
        .collect()
}

const ROWS: usize = 4;
const WIDTH_BITS: u32 = 24;

/// Paragraph counts over the dump, and the long shared paragraphs already kept once.
pub struct Shared {
    config: Config,
    counts: Vec<u8>,
    kept_once: HashSet<u64>,
}

impl Shared {
    pub fn new(config: &Config) -> Shared {
        Shared {
            config: config.clone(),
            counts: vec![0; ROWS << WIDTH_BITS],
            kept_once: HashSet::new(),
        }
    }

    fn slots(hash: u64) -> impl Iterator<Item = usize> {
        (0..ROWS).map(move |row| {
            let h = (hash ^ (row as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .wrapping_mul(0xBF58_476D_1CE4_E5B9);
            (row << WIDTH_BITS) | (h >> (64 - WIDTH_BITS)) as usize
        })
    }

    /// Pass 1: counts the paragraphs of a cluster's first document.
    pub fn count(&mut self, paragraphs: &[Option<(u64, usize)>]) {
        let mut seen = Vec::with_capacity(paragraphs.len());
        for &(hash, _) in paragraphs.iter().flatten() {
            if seen.contains(&hash) {
                continue; // once per document
            }
            seen.push(hash);
            for slot in Self::slots(hash) {
                self.counts[slot] = self.counts[slot].saturating_add(1);
            }
        }
    }

    fn stories(&self, hash: u64) -> u32 {
        Self::slots(hash)
            .map(|slot| u32::from(self.counts[slot]))
            .min()
            .unwrap_or(0)
    }

    /// Pass 2: removes the shared paragraphs from a surviving document, in input order.
    /// Returns whether anything was removed.
    pub fn apply(&mut self, doc: &mut Cleaned, paragraphs: &[Option<(u64, usize)>]) -> bool {
        let c = &self.config;
        let mut drop = vec![false; paragraphs.len()];
        for (i, (hash, words)) in paragraphs
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p)))
        {
            let stories = self.stories(hash);
            let rule = if stories >= c.min_documents {
                "shared_paragraph"
            } else if c.syndicated_words > 0
                && words >= c.syndicated_words
                && stories >= 2
                && !self.kept_once.insert(hash)
            {
                "syndicated_paragraph"
            } else {
                continue;
            };
            drop[i] = true;
            let text = doc.body.paragraphs[i].join("\n");
            doc.edits.push(Edit::remove(super::NAME, rule, text));
        }
        if !drop.contains(&true) {
            return false;
        }
        let mut i = 0;
        doc.body.paragraphs.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
        true
    }
}
