//! dedup: the global barrier step. Drops exact duplicates (SHA-256 over the cleaned text's
//! words, with case, punctuation and white space folded) and near duplicates (MinHash over word shingles,
//! LSH banding to find candidates, each candidate verified by its full signature before a
//! document is dropped). The index keeps a few hundred bytes per kept document: band keys,
//! one byte per permutation (b-bit MinHash), the id. Runs on cleaned, name-normalized text; the first document in input
//! order survives.
//!
//! Fingerprints are computed per document in parallel ([`Dedup::fingerprint`]); the index is
//! then queried and updated in input order ([`Index::check`]), so the outcome never depends on
//! the thread count.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::BuildContext;
use crate::document::Rejection;
use crate::error::Result;
use crate::text::word_hashes;

pub const NAME: &str = "dedup";

/// `[dedup]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Drop documents whose folded text is identical to an earlier one.
    pub exact: bool,
    /// Drop documents whose estimated shingle Jaccard similarity with an earlier one is at
    /// least `threshold`.
    pub near: bool,
    /// Words per shingle.
    pub shingle: usize,
    /// MinHash permutations (signature length).
    pub permutations: usize,
    /// LSH bands; must divide `permutations`. More bands find lower-similarity candidates.
    pub bands: usize,
    /// Verified similarity at which a document is a near duplicate.
    pub threshold: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            exact: true,
            near: true,
            shingle: 5,
            permutations: 100,
            bands: 20,
            threshold: 0.7,
        }
    }
}

/// The compiled dedup settings and MinHash permutations.
pub struct Dedup {
    config: Config,
    /// (multiplier, increment) per permutation.
    permutations: Vec<(u64, u64)>,
}

/// What the index needs to know about one document, computed in the parallel phase.
pub struct Fingerprint {
    exact: u64,
    /// One hash per LSH band of the MinHash signature.
    bands: Vec<u32>,
    /// The low byte of each permutation's minimum, for verifying candidates.
    slots: Vec<u8>,
}

/// splitmix64: a fixed, well-mixed sequence for the permutation parameters.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Dedup {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Dedup> {
        if config.shingle == 0 {
            return Err(ctx.value_error("dedup.shingle", "must be at least 1"));
        }
        if config.permutations == 0 {
            return Err(ctx.value_error("dedup.permutations", "must be at least 1"));
        }
        if config.bands == 0 || config.permutations % config.bands != 0 {
            let message = format!(
                "{} bands do not divide {} permutations",
                config.bands, config.permutations
            );
            return Err(ctx.value_error("dedup.bands", message));
        }
        if !(0.0..=1.0).contains(&config.threshold) {
            return Err(ctx.value_error("dedup.threshold", "must be between 0 and 1"));
        }
        let mut state = 0x6E65_7773_636C_6561; // "newsclea"
        let permutations = (0..config.permutations)
            .map(|_| (splitmix(&mut state) | 1, splitmix(&mut state)))
            .collect();
        Ok(Dedup {
            config: config.clone(),
            permutations,
        })
    }

    pub fn describe(&self) -> String {
        let c = &self.config;
        format!(
            "exact {}, near {} ({}-word shingles, {} permutations, {} bands, threshold {})",
            c.exact, c.near, c.shingle, c.permutations, c.bands, c.threshold
        )
    }

    pub fn new_index(&self) -> Index<'_> {
        Index {
            dedup: self,
            exact: HashedMap::default(),
            bands: vec![HashedMap::default(); self.config.bands],
            slots: Vec::new(),
            ids: String::new(),
            id_ends: Vec::new(),
        }
    }

    /// Exact key and MinHash signature of a cleaned text.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        let hashes: Vec<u64> = word_hashes(text).collect();
        let mut sha = Sha256::new();
        for hash in &hashes {
            sha.update(hash.to_le_bytes());
        }
        let digest = sha.finalize();
        let exact = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        if !self.config.near {
            return Fingerprint {
                exact,
                bands: Vec::new(),
                slots: Vec::new(),
            };
        }
        let signature = self.signature(&hashes);
        let rows = signature.len() / self.config.bands;
        let bands = signature
            .chunks(rows)
            .map(|band| {
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                band.iter().for_each(|v| hasher.update(&v.to_le_bytes()));
                hasher.digest() as u32
            })
            .collect();
        let slots = signature.iter().map(|&v| v as u8).collect();
        Fingerprint {
            exact,
            bands,
            slots,
        }
    }

    /// MinHash signature over the shingles of consecutive word hashes.
    fn signature(&self, hashes: &[u64]) -> Vec<u32> {
        let k = self.config.shingle.min(hashes.len()).max(1);
        let mut signature = vec![u32::MAX; self.permutations.len()];
        for window in hashes.windows(k) {
            let mut shingle = 0u64;
            for &h in window {
                shingle = (shingle.rotate_left(23) ^ h).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            for (slot, &(a, b)) in signature.iter_mut().zip(&self.permutations) {
                let value = (a.wrapping_mul(shingle).wrapping_add(b) >> 32) as u32;
                *slot = (*slot).min(value);
            }
        }
        signature
    }
}

/// Keys that are already uniform hashes need no hashing: this hasher passes them through,
/// multiplied so the high bits the table uses vary too.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashedMap<K> = HashMap<K, u32, BuildHasherDefault<PassThrough>>;

/// The dedup index over kept documents: exact keys, LSH band tables, signatures and ids.
/// Per kept document it holds a 64-bit exact key, one 32-bit key per band, one byte per
/// permutation and the id's bytes.
pub struct Index<'a> {
    dedup: &'a Dedup,
    exact: HashedMap<u64>,
    /// One table per band: band hash → first kept document with it.
    bands: Vec<HashedMap<u32>>,
    /// Kept documents' signatures, the low byte of each permutation's minimum, back to back.
    slots: Vec<u8>,
    /// Kept documents' ids, back to back, and where each ends.
    ids: String,
    id_ends: Vec<usize>,
}

impl Index<'_> {
    /// Estimated Jaccard similarity between a signature and kept document `doc`: the share of
    /// equal slots, corrected for the 1 in 256 chance that two different minima share a byte.
    fn similarity(&self, slots: &[u8], doc: u32) -> f64 {
        let n = slots.len();
        let kept = &self.slots[doc as usize * n..(doc as usize + 1) * n];
        let same = slots.iter().zip(kept).filter(|(a, b)| a == b).count() as f64 / n as f64;
        ((same - 1.0 / 256.0) / (1.0 - 1.0 / 256.0)).max(0.0)
    }

    fn id(&self, doc: u32) -> &str {
        let doc = doc as usize;
        let start = if doc == 0 { 0 } else { self.id_ends[doc - 1] };
        &self.ids[start..self.id_ends[doc]]
    }

    /// Checks a document against everything kept so far: a rejection if it duplicates a kept
    /// document, otherwise records it as kept.
    pub fn check(&mut self, id: &str, fp: Fingerprint) -> Option<Rejection> {
        let config = &self.dedup.config;
        if config.exact {
            if let Some(&doc) = self.exact.get(&fp.exact) {
                return Some(self.duplicate("exact duplicate", doc, 1.0));
            }
        }
        let mut best: Option<(f64, u32)> = None;
        for (table, key) in self.bands.iter().zip(&fp.bands) {
            let Some(&doc) = table.get(key) else { continue };
            let sim = self.similarity(&fp.slots, doc);
            if sim >= config.threshold && best.is_none_or(|(s, d)| sim > s || (sim == s && doc < d))
            {
                best = Some((sim, doc));
            }
        }
        if let Some((sim, doc)) = best {
            return Some(self.duplicate("near duplicate", doc, sim));
        }
        let doc = self.id_ends.len() as u32;
        self.ids.push_str(id);
        self.id_ends.push(self.ids.len());
        self.exact.insert(fp.exact, doc);
        for (table, key) in self.bands.iter_mut().zip(fp.bands) {
            table.entry(key).or_insert(doc);
        }
        self.slots.extend(fp.slots);
        None
    }

    fn duplicate(&self, reason: &str, doc: u32, similarity: f64) -> Rejection {
        Rejection {
            stage: NAME,
            reason: reason.into(),
            duplicate_of: Some(self.id(doc).to_string()),
            similarity: Some((similarity * 1000.0).round() / 1000.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dedup() -> Dedup {
        Dedup::build(&Config::default(), &crate::config::test_context()).unwrap()
    }

    const STORY: &str = "The city council approved a new flood barrier on Monday after months of debate. \
        Engineers said the barrier along the river would protect four thousand homes in the lower town. \
        Residents had asked for flood defences since the storms of 2019 destroyed the old embankment. \
        Work will begin in the spring and should be finished before next winter, the mayor said. \
        The project costs twelve million pounds, most of it from the national flood fund.";

    #[test]
    fn exact_and_near_duplicates_point_to_the_first() {
        let d = dedup();
        let mut index = d.new_index();
        assert!(index.check("a", d.fingerprint(STORY)).is_none());
        let exact = index
            .check(
                "b",
                d.fingerprint(&STORY.to_uppercase().replace(". ", "!\n\n")),
            )
            .unwrap();
        assert_eq!(
            (exact.reason.as_str(), exact.duplicate_of.as_deref()),
            ("exact duplicate", Some("a"))
        );
        let edited = STORY
            .replace("Monday", "Tuesday")
            .replace("four thousand", "4,000");
        let near = index.check("c", d.fingerprint(&edited)).unwrap();
        assert_eq!(
            (near.reason.as_str(), near.duplicate_of.as_deref()),
            ("near duplicate", Some("a"))
        );
        assert!(near.similarity.unwrap() >= 0.7 && near.similarity.unwrap() < 1.0);
    }

    #[test]
    fn different_stories_are_kept() {
        let d = dedup();
        let mut index = d.new_index();
        let other = "The football club signed a striker from the northern league for a record fee on Friday. \
            The player agreed a five year contract and will join the squad for the summer tour of Asia.";
        assert!(index.check("a", d.fingerprint(STORY)).is_none());
        assert!(index.check("b", d.fingerprint(other)).is_none());
    }

    #[test]
    fn bands_must_divide_permutations() {
        let config = Config {
            bands: 30,
            ..Config::default()
        };
        let err = Dedup::build(&config, &crate::config::test_context())
            .err()
            .unwrap();
        assert!(err.to_string().contains("dedup.bands"), "{err}");
    }
}
