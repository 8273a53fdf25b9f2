//! Paragraphs shared across documents, decided over the whole dump (it needs `passes = 2`,
//! and runs after every per-document stage, so a teaser of story B appended to story A has
//! already been cut and never counts against B's lead paragraph).
//!
//! The clustering pass counts, for every paragraph of at least `min_words` words, the
//! clusters (different stories) whose first document holds it. The writing pass then removes
//! from every surviving document a paragraph found in `min_documents` or more stories
//! (boilerplate such as a publisher's notice), and keeps a long paragraph
//! (`syndicated_words`) found in two or more stories only in the first document that has it
//! (a syndicated quote).
//!
//! With `exclude_from_matching`, a pass before clustering counts every paragraph once per
//! distinct document ([`Frequent`]): the index then judges near duplicates without the text of
//! paragraphs found in `min_documents` or more documents (a disclaimer shared by an outlet's
//! teasers, one story appended to several articles, a photo gallery embedded in many pages),
//! so two documents that share only such text are not duplicates. Counting documents rather
//! than stories here is what breaks the circle: story counts need the clusters, the clusters
//! need to know what is shared. Paragraphs count by their exact words: counting near-identical
//! ones together (MinHash band keys of their shingles) also caught the versions of one photo
//! gallery on real news, but marked text that true copies share with a few other documents
//! (a reused sentence) and cost 4 points of recall on bench/dedup.py.
//!
//! The counts are exact (a map of one-byte saturating counters) until `EXACT_LIMIT` (2^20)
//! distinct paragraphs have been counted, then move into a count-min sketch of fixed size (4
//! rows of 2^24 one-byte saturating counters, 64 MiB), so memory stops growing with the dump.
//! The sketch can only overcount, and the chance that noise lifts a paragraph seen once to 5 is
//! below one in 10^9 per paragraph up to ~8 million distinct paragraphs. Starting exact spares
//! a dump of fewer than ~100,000 documents the sketch: the kernel zeroes its pages as random
//! counts touch them (the top entry of a `perf` profile of a 22 MB dump).

use std::collections::HashSet;

use serde::Deserialize;

use crate::document::{Cleaned, Edit};
use crate::text::FastMap;

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
    /// Judge near duplicates without the text of paragraphs found in `min_documents` or more
    /// different documents (one more reading pass before clustering).
    pub exclude_from_matching: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_documents: 5,
            min_words: 6,
            syndicated_words: 40,
            exclude_from_matching: true,
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

/// Distinct paragraphs counted exactly before the counts move into a sketch: the map then
/// holds about 34 MB.
const EXACT_LIMIT: usize = 1 << 20;

/// Paragraph counts, one-byte saturating: exact while few, then a count-min sketch.
enum Counts {
    Exact(FastMap<u64, u8>),
    Sketch(Vec<u8>),
}

impl Counts {
    fn new() -> Counts {
        Counts::Exact(FastMap::default())
    }

    fn slots(hash: u64) -> impl Iterator<Item = usize> {
        (0..ROWS).map(move |row| {
            let h = (hash ^ (row as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .wrapping_mul(0xBF58_476D_1CE4_E5B9);
            (row << WIDTH_BITS) | (h >> (64 - WIDTH_BITS)) as usize
        })
    }

    /// Counts each distinct hash of one document once.
    fn add(&mut self, hashes: impl Iterator<Item = u64>) {
        let mut distinct: Vec<u64> = hashes.collect();
        distinct.sort_unstable();
        distinct.dedup();
        match self {
            Counts::Exact(map) => {
                for hash in distinct {
                    let n = map.entry(hash).or_insert(0);
                    *n = n.saturating_add(1);
                }
                if map.len() > EXACT_LIMIT {
                    *self = Counts::Sketch(Self::sketch(map));
                }
            }
            Counts::Sketch(sketch) => distinct.into_iter().for_each(|h| Self::put(sketch, h, 1)),
        }
    }

    /// The sketch the exact counts fill: the same sketch as counting into it from the start,
    /// since saturating additions of counts give the same sums in any order.
    fn sketch(map: &FastMap<u64, u8>) -> Vec<u8> {
        let mut sketch = vec![0; ROWS << WIDTH_BITS];
        map.iter().for_each(|(&h, &n)| Self::put(&mut sketch, h, n));
        sketch
    }

    fn put(sketch: &mut [u8], hash: u64, n: u8) {
        for slot in Self::slots(hash) {
            sketch[slot] = sketch[slot].saturating_add(n);
        }
    }

    fn get(&self, hash: u64) -> u32 {
        match self {
            Counts::Exact(map) => map.get(&hash).map_or(0, |&n| u32::from(n)),
            Counts::Sketch(sketch) => Self::slots(hash)
                .map(|slot| u32::from(sketch[slot]))
                .min()
                .unwrap_or(0),
        }
    }
}

/// Paragraph counts per distinct document, made before clustering (`exclude_from_matching`):
/// `Counts`, and while counting a 64-bit exact key per distinct document (about 16
/// bytes each), freed by [`Frequent::counted`].
pub struct Frequent {
    min_documents: u32,
    counts: Counts,
    /// Exact keys of the documents counted: an exact copy counts once.
    seen: HashSet<u64>,
}

impl Frequent {
    pub fn new(config: &Config) -> Frequent {
        Frequent {
            min_documents: config.min_documents,
            counts: Counts::new(),
            seen: HashSet::new(),
        }
    }

    /// Counts the paragraphs of a document with exact key `exact`, unless an exact copy was
    /// counted already.
    pub fn count(&mut self, exact: u64, paragraphs: &[Option<(u64, usize)>]) {
        if self.seen.insert(exact) {
            self.counts
                .add(paragraphs.iter().flatten().map(|&(hash, _)| hash));
        }
    }

    /// Ends counting: frees the exact keys.
    pub fn counted(&mut self) {
        self.seen = HashSet::new();
    }

    /// Whether a paragraph is in `min_documents` or more different documents.
    pub fn is_frequent(&self, hash: u64) -> bool {
        self.counts.get(hash) >= self.min_documents
    }

    /// The word ranges of a document's frequent paragraphs, from its paragraph fingerprints
    /// and where each paragraph's words end.
    pub fn ranges(
        &self,
        paragraphs: &[Option<(u64, usize)>],
        ends: &[usize],
    ) -> Vec<(usize, usize)> {
        let mut start = 0;
        let mut ranges = Vec::new();
        for (p, &end) in paragraphs.iter().zip(ends) {
            if p.is_some_and(|(hash, _)| self.is_frequent(hash)) {
                ranges.push((start, end));
            }
            start = end;
        }
        ranges
    }
}

/// Paragraph counts over the dump, and the long shared paragraphs already kept once.
pub struct Shared {
    config: Config,
    stories: Counts,
    kept_once: HashSet<u64>,
}

impl Shared {
    pub fn new(config: &Config) -> Shared {
        Shared {
            config: config.clone(),
            stories: Counts::new(),
            kept_once: HashSet::new(),
        }
    }

    /// While clustering: counts the paragraphs of a cluster's first document.
    pub fn count(&mut self, paragraphs: &[Option<(u64, usize)>]) {
        self.stories
            .add(paragraphs.iter().flatten().map(|&(hash, _)| hash));
    }

    fn stories(&self, hash: u64) -> u32 {
        self.stories.get(hash)
    }

    /// When writing: which paragraphs of a surviving document to remove, in input order
    /// (positions and the rule), from its paragraph fingerprints; empty to keep them all.
    pub fn drops(&mut self, paragraphs: &[Option<(u64, usize)>]) -> Vec<(usize, String)> {
        let c = &self.config;
        let mut drops = Vec::new();
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
            drops.push((i, rule.to_string()));
        }
        drops
    }
}

/// Removes the paragraphs [`Shared::drops`] named from a document, noting each as an edit.
pub fn remove(doc: &mut Cleaned, drops: &[(usize, String)]) {
    for (i, rule) in drops {
        let text = doc.body.paragraphs[*i].join("\n");
        doc.edits
            .push(Edit::remove(super::NAME, rule.as_str(), text));
    }
    let mut drop = vec![false; doc.body.paragraphs.len()];
    drops.iter().for_each(|(i, _)| drop[*i] = true);
    let mut i = 0;
    doc.body.paragraphs.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Document `d` holds paragraphs `d * 1000 ..` (its own) and `0..=d % 7` (shared).
    fn document(d: u64) -> impl Iterator<Item = u64> {
        (d * 1000..d * 1000 + 1000).chain(0..=d % 7)
    }

    #[test]
    fn counts_are_exact_until_the_limit_then_the_sketch_of_counting_from_the_start() {
        let mut counts = Counts::new();
        let mut sketch = Counts::Sketch(vec![0; ROWS << WIDTH_BITS]);
        let documents = (EXACT_LIMIT / 1000 + 2) as u64;
        for d in 1..documents {
            counts.add(document(d));
            sketch.add(document(d));
            if d == 20 {
                assert!(matches!(counts, Counts::Exact(_)));
                // Paragraph 3 is in documents 3-6, 10-13, 17-20 (d % 7 >= 3): 12 of them.
                assert_eq!(counts.get(3), 12);
                assert_eq!(counts.get(20_000), 1);
                assert_eq!(counts.get(u64::MAX), 0);
                // A paragraph twice in one document counts once.
                counts.add([u64::MAX, u64::MAX].into_iter());
                sketch.add([u64::MAX, u64::MAX].into_iter());
                assert_eq!(counts.get(u64::MAX), 1);
            }
        }
        assert!(matches!(counts, Counts::Sketch(_)));
        for hash in (0..10).chain([20_000, 500_500, u64::MAX, u64::MAX - 1]) {
            assert_eq!(counts.get(hash), sketch.get(hash), "paragraph {hash}");
        }
        // Counts saturate at 255 in both.
        let mut many = Counts::new();
        (0..300).for_each(|_| many.add([7].into_iter()));
        assert_eq!(many.get(7), 255);
    }
}
