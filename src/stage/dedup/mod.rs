//! dedup: the global barrier step. Drops exact duplicates (SHA-256 over the cleaned text's
//! words, with case, punctuation and white space folded) and near duplicates: documents whose
//! word-shingle sets have a Jaccard similarity of at least `threshold` with a kept document,
//! or that contain, or are contained in, one (`containment`). It runs on cleaned,
//! name-normalized text.
//!
//! - [`sketch`]: shingles, one-permutation MinHash sketches, set intersection.
//! - [`buckets`]: the LSH table that finds candidates from sketch bands.
//! - [`store`]: kept documents' shingle sets, spilled to a temporary file, for exact
//!   verification of every candidate.
//! - [`index`]: the index over kept documents that decides.
//! - [`paragraphs`]: paragraphs shared by many stories (removed everywhere) or by a few
//!   (kept in the first document only).
//! - [`survivor`]: which document of a cluster is kept (`first`, `longest`, `earliest`, or a
//!   source priority list) and the date parsing behind `earliest` and `window_days`.
//!
//! Fingerprints are computed per document in parallel ([`Dedup::fingerprint`]); the index is
//! then queried and updated in input order ([`index::Index::check`]), so the outcome never
//! depends on the thread count.

pub mod buckets;
pub mod clusters;
pub mod index;
pub mod paragraphs;
pub mod sketch;
pub mod store;
pub mod survivor;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::BuildContext;
use crate::error::Result;
use crate::text::word_hashes;

pub use index::{Index, Kind, Match, Verdict};
pub use survivor::Survivor;

pub const NAME: &str = "dedup";

/// `[dedup]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Drop documents whose folded text is identical to an earlier one.
    pub exact: bool,
    /// Drop near duplicates (similarity or containment).
    pub near: bool,
    /// Words per shingle.
    pub shingle: usize,
    /// Sketch length: the MinHash values per document, one per bin of one permutation
    /// hashing. One byte each stays in memory to screen candidates.
    pub permutations: usize,
    /// LSH bands; each is `rows` consecutive sketch values.
    pub bands: usize,
    pub rows: usize,
    /// Exact Jaccard similarity of shingle sets at which a document is a near duplicate.
    pub threshold: f64,
    /// Share of the shorter document's shingles found in the longer one at which the two are
    /// duplicates; 0 turns containment off.
    pub containment: f64,
    /// Containment counts only when the shorter document has at least this many shingles.
    pub min_shingles: usize,
    /// Compare only documents dated at most this many days apart (0: compare all). Undated
    /// documents are compared with everything.
    pub window_days: u32,
    /// Which document of a duplicate cluster is kept.
    pub survivor: survivor::Spec,
    /// 1: decide as documents stream by (only `survivor = "first"`); 2: cluster the whole
    /// dump first, then write.
    pub passes: u8,
    /// With 2 passes: the first pass keeps the cleaned documents in a temporary file for the
    /// later ones (about twice the input's size on disk); false cleans once per pass instead.
    /// Nothing is kept when normalize is the only cleaning stage: cleaning again is cheaper.
    pub keep_cleaned: bool,
    /// `[dedup.paragraphs]`: paragraphs shared across documents.
    pub paragraphs: paragraphs::Config,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            exact: true,
            near: true,
            shingle: 5,
            permutations: 64,
            bands: 12,
            rows: 1,
            threshold: 0.3,
            containment: 0.8,
            min_shingles: 50,
            window_days: 0,
            survivor: survivor::Spec::Rule("first".into()),
            passes: 2,
            keep_cleaned: true,
            paragraphs: paragraphs::Config::default(),
        }
    }
}

/// The compiled dedup settings.
pub struct Dedup {
    config: Config,
    survivor: Survivor,
}

/// What the index needs to know about one document, computed in the parallel phase.
pub struct Fingerprint {
    exact: u64,
    /// Sorted distinct shingle elements (empty when near dedup is off).
    set: Vec<u32>,
    /// One-permutation MinHash sketch (empty when near dedup is off or there are no words).
    sketch: Vec<u32>,
    /// The elements of `set` found only in shingles within paragraphs that many documents
    /// share ([`paragraphs::Frequent`]), sorted; empty without `exclude_from_matching`.
    shared: Vec<u32>,
    /// Its paragraphs long enough to count (`[dedup.paragraphs] min_words`), as pairs of the
    /// low 32 bits of their fingerprint and their shingles, sorted: what tells a follow-up
    /// that reuses a story's paragraphs from a copy ([`index::Index`]).
    paragraphs: Vec<u32>,
}

impl Fingerprint {
    /// The exact key (the words' SHA-256, 64 bits).
    pub fn exact(&self) -> u64 {
        self.exact
    }
}

impl Dedup {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Dedup> {
        let c = config;
        if c.shingle == 0 {
            return Err(ctx.value_error("dedup.shingle", "must be at least 1"));
        }
        if c.permutations == 0 || c.permutations > 1024 {
            return Err(ctx.value_error("dedup.permutations", "must be between 1 and 1024"));
        }
        if c.bands == 0 || c.rows == 0 || c.bands * c.rows > c.permutations {
            let message = format!(
                "{} bands of {} rows need more than {} permutations (and both must be at least 1)",
                c.bands, c.rows, c.permutations
            );
            return Err(ctx.value_error("dedup.bands", message));
        }
        if !(0.0..=1.0).contains(&c.threshold) || c.threshold == 0.0 {
            return Err(ctx.value_error("dedup.threshold", "must be above 0 and at most 1"));
        }
        if !(0.0..=1.0).contains(&c.containment) {
            return Err(ctx.value_error("dedup.containment", "must be between 0 and 1"));
        }
        let survivor = Survivor::from_spec(&c.survivor)
            .map_err(|message| ctx.value_error("dedup.survivor", message))?;
        match (c.passes, &survivor) {
            (2, _) | (1, Survivor::First) => {}
            (1, _) => {
                let message = format!(
                    "survivor {survivor} needs the whole dump before writing: set passes = 2"
                );
                return Err(ctx.value_error("dedup.passes", message));
            }
            _ => return Err(ctx.value_error("dedup.passes", "must be 1 or 2")),
        }
        if c.paragraphs.enabled {
            if c.passes != 2 {
                let message = "shared paragraphs need the whole dump first: set passes = 2 or \
                               [dedup.paragraphs] enabled = false";
                return Err(ctx.value_error("dedup.paragraphs", message));
            }
            if c.paragraphs.min_documents < 2 {
                return Err(ctx.value_error("dedup.paragraphs.min_documents", "must be at least 2"));
            }
        }
        Ok(Dedup {
            config: config.clone(),
            survivor,
        })
    }

    /// Whether the run counts paragraphs per document before clustering, to judge near
    /// duplicates without widely shared text.
    pub fn counts_first(&self) -> bool {
        let c = &self.config;
        c.near && c.paragraphs.enabled && c.paragraphs.exclude_from_matching
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn survivor(&self) -> &Survivor {
        &self.survivor
    }

    pub fn describe(&self) -> String {
        let c = &self.config;
        let window = match c.window_days {
            0 => String::new(),
            days => format!(", within {days} days"),
        };
        let p = &c.paragraphs;
        let paragraphs = match p.enabled {
            true => format!(
                "; paragraphs of {}+ words in {}+ stories removed, of {}+ words kept once{}",
                p.min_words,
                p.min_documents,
                p.syndicated_words,
                match self.counts_first() {
                    true => format!(", in {}+ documents not matched on", p.min_documents),
                    false => String::new(),
                }
            ),
            false => String::new(),
        };
        format!(
            "exact {}, near {} ({}-word shingles, {} permutations, {} bands of {} rows, \
             Jaccard >= {}, containment >= {} of {}+ shingles{window}), survivor {}, {} pass(es){paragraphs}",
            c.exact,
            c.near,
            c.shingle,
            c.permutations,
            c.bands,
            c.rows,
            c.threshold,
            c.containment,
            c.min_shingles,
            self.survivor,
            c.passes
        )
    }

    pub fn new_index(&self) -> Index<'_> {
        Index::new(self)
    }

    /// Exact key, shingle set and sketch of a cleaned text.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        self.fingerprint_words(&word_hashes(text), &[], &[])
    }

    /// The exact key of a text from its word hashes ([`word_hashes`]): the first 8 bytes of
    /// their SHA-256.
    pub fn exact_key(words: &[u64]) -> u64 {
        let mut sha = Sha256::new();
        for hash in words {
            sha.update(hash.to_le_bytes());
        }
        let digest = sha.finalize();
        u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
    }

    /// Only the exact key, for counting.
    pub fn exact_fingerprint(&self, words: &[u64]) -> Fingerprint {
        Fingerprint {
            exact: Self::exact_key(words),
            set: Vec::new(),
            sketch: Vec::new(),
            shared: Vec::new(),
            paragraphs: Vec::new(),
        }
    }

    /// The fingerprint from the text's word hashes ([`word_hashes`]); `frequent` are the
    /// word ranges of paragraphs that many documents share, whose shingles are marked, and
    /// `paragraphs` the paragraph fingerprints and word counts of
    /// [`paragraphs::fingerprints`] (empty when not computed).
    pub fn fingerprint_words(
        &self,
        words: &[u64],
        frequent: &[(usize, usize)],
        paragraphs: &[Option<(u64, usize)>],
    ) -> Fingerprint {
        let exact = Self::exact_key(words);
        if !self.config.near || words.is_empty() {
            return Fingerprint {
                exact,
                set: Vec::new(),
                sketch: Vec::new(),
                shared: Vec::new(),
                paragraphs: Vec::new(),
            };
        }
        let shingles = sketch::shingles(words, self.config.shingle);
        let shared = match frequent.is_empty() {
            true => Vec::new(),
            false => shared_elements(&shingles, words.len(), self.config.shingle, frequent),
        };
        let k = self.config.shingle;
        let mut pairs: Vec<(u32, u32)> = paragraphs
            .iter()
            .flatten()
            .map(|&(hash, words)| (hash as u32, (words + 1).saturating_sub(k).max(1) as u32))
            .collect();
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        Fingerprint {
            exact,
            set: sketch::element_set(&shingles),
            sketch: sketch::sketch(&shingles, self.config.permutations),
            shared,
            paragraphs: pairs.into_iter().flat_map(|(h, n)| [h, n]).collect(),
        }
    }
}

/// The set elements of the shingles that lie wholly in the `frequent` word ranges and occur
/// nowhere else in the document.
fn shared_elements(
    shingles: &[u64],
    words: usize,
    k: usize,
    frequent: &[(usize, usize)],
) -> Vec<u32> {
    // Per word position, how many words up to it are outside the frequent ranges.
    let mut outside = vec![0u32; words + 1];
    let mut ranges = frequent.iter().peekable();
    for i in 0..words {
        while ranges.next_if(|&&(_, end)| end <= i).is_some() {}
        let inside = ranges.peek().is_some_and(|&&(start, _)| start <= i);
        outside[i + 1] = outside[i] + u32::from(!inside);
    }
    let k = k.min(words).max(1);
    let (mut marked, mut other) = (Vec::new(), Vec::new());
    for (i, &h) in shingles.iter().enumerate() {
        let element = (h >> 32) as u32;
        match outside[i + k] == outside[i] {
            true => marked.push(element),
            false => other.push(element),
        }
    }
    marked.sort_unstable();
    marked.dedup();
    other.sort_unstable();
    marked.retain(|e| other.binary_search(e).is_err());
    marked
}
