//! The index over kept documents. For a new document it finds candidates through the LSH
//! bands, screens them with the one-byte-per-bin sketches kept in memory, verifies the
//! survivors of the screen exactly on the shingle sets, and either names the kept document it
//! duplicates or keeps it.
//!
//! Two documents that hold some paragraph word for word are judged also on the rest of their
//! text: when each has much text of its own and the two have little of it in common, they
//! are a story and a follow-up that reuses its background, not copies
//! (`Index::is_follow_up`).
//!
//! A duplicate that brings much text its match lacks (a full article after its short first
//! version, a heavily edited copy) is indexed too, as a member of the kept document's
//! cluster: a later copy of the full article then still finds the cluster, whatever came
//! first. Near-identical copies are not indexed, so the index grows with distinct text.
//!
//! Per indexed document it holds: one 8-byte LSH entry per band, one byte per permutation,
//! where its shingle set starts in the store, its cluster, and its date (with
//! `window_days`); per kept document also a 64-bit exact key and its id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::buckets::Buckets;
use super::sketch::intersection;
use super::store::Store;
use super::{Dedup, Fingerprint};

/// How a duplicate matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The same words.
    Exact,
    /// Jaccard similarity at least `threshold`.
    Near,
    /// One contains the other (containment at least `containment`).
    Contained,
}

impl Kind {
    pub fn reason(self) -> &'static str {
        match self {
            Kind::Exact => "exact duplicate",
            Kind::Near => "near duplicate",
            Kind::Contained => "contained duplicate",
        }
    }
}

/// A document's match with a kept one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// The kept document's number (the order it was kept in).
    pub kept: u32,
    pub kind: Kind,
    /// Exact Jaccard similarity of the shingle sets.
    pub similarity: f32,
    /// Share of the smaller shingle set found in the larger.
    pub containment: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// A new document, kept as number n.
    Kept(u32),
    Duplicate(Match),
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
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Counts that tell how much work the index did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Kept documents met in a band.
    pub candidates: u64,
    /// Candidates whose shingle sets were compared.
    pub verified: u64,
}

pub struct Index<'a> {
    dedup: &'a Dedup,
    exact: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    buckets: Buckets,
    /// Per indexed document: the low byte of every sketch value, `permutations` each.
    sketches: Vec<u8>,
    store: Store,
    /// Per indexed document: the part of its set found only in widely shared paragraphs
    /// ([`Fingerprint::shared`]; empty for most).
    shared: Store,
    /// Per indexed document: its paragraphs' fingerprints and shingles
    /// ([`Fingerprint::paragraphs`]).
    paragraphs: Store,
    /// Per indexed document: the kept document whose cluster it is in.
    clusters: Vec<u32>,
    /// Per indexed document, only with `window_days`: its day number, i32::MIN for undated.
    days: Vec<i32>,
    /// Kept documents' ids, back to back, and where each ends.
    ids: String,
    id_ends: Vec<usize>,
    candidates: Vec<u32>,
    /// The low bytes of the document being checked, as `sketches` holds them.
    query: Vec<u8>,
    /// The last check's other verified matches in other clusters than the best one.
    others: Vec<Match>,
    pub stats: Stats,
}

const UNDATED: i32 = i32::MIN;

/// At most this many indexed documents per LSH bucket: a band value shared by very many
/// documents tells them apart no better than chance but costs every lookup a scan. On the 1M
/// generated corpus 32 lost recall (0.906: copies whose original was left out of full
/// buckets), 64 kept it at 0.941 in the same time, 128 reached 0.961 but took 1.6x as long.
const BUCKET_CAP: usize = 64;

/// How many candidates ahead the screen asks for a sketch: candidates are scattered over the
/// index, and without the hint every one costs a wait on memory.
const PREFETCH_AHEAD: usize = 8;

/// Asks the CPU to start loading `items` into cache, a cache line at a time (a hint;
/// nothing on targets without SSE).
fn prefetch<T>(items: &[T]) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let per_line = (64 / std::mem::size_of::<T>()).max(1);
        for item in items.iter().step_by(per_line).chain(items.last()) {
            // SAFETY: the build enables SSE (the cfg above), and a prefetch of an address
            // inside a live slice neither reads into the program nor faults.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast()) };
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = items;
}

/// A duplicate is indexed as well when at least this share of its shingles is missing from
/// the document it matched. An original that came after a copy with paragraphs cut must be
/// indexed for a later short version of those paragraphs to find it: on the 100k generated
/// corpus 0.1 misses 25 such contained copies where 0.2 missed 41 (pair recall 0.969 against
/// 0.967), for a few more indexed documents.
const NEW_TEXT: f64 = 0.1;

/// Shingles of its own (outside the paragraphs both hold) that each of two documents needs
/// before their own texts are compared ([`Index::is_follow_up`]).
const OWN_TEXT: usize = 100;

/// Below this share of the smaller own text in common, two documents that share paragraphs
/// are different stories. Chosen on the labeled Article-Bias-Prediction merges
/// (bench/dedup_real.py), so its figures there are tuned-on.
const OWN_OVERLAP: f64 = 0.3;

impl<'a> Index<'a> {
    pub fn new(dedup: &'a Dedup) -> Index<'a> {
        Index {
            dedup,
            exact: HashMap::default(),
            buckets: Buckets::default(),
            sketches: Vec::new(),
            store: Store::default(),
            shared: Store::default(),
            paragraphs: Store::default(),
            clusters: Vec::new(),
            days: Vec::new(),
            ids: String::new(),
            id_ends: Vec::new(),
            candidates: Vec::new(),
            query: Vec::new(),
            others: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// The id of kept document `n`.
    pub fn id(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.id_ends[n - 1] };
        &self.ids[start..self.id_ends[n]]
    }

    /// The last duplicate's verified matches with other clusters than the one it was
    /// assigned to (documents that bridge two clusters), one per cluster.
    pub fn other_matches(&self) -> &[Match] {
        &self.others
    }

    pub fn kept(&self) -> usize {
        self.id_ends.len()
    }

    /// Documents indexed: the kept ones and the duplicates that brought new text.
    pub fn indexed(&self) -> usize {
        self.clusters.len()
    }

    /// Bytes the index holds in memory (the shingle sets on disk not counted).
    pub fn bytes(&self) -> usize {
        self.exact.capacity() * 13
            + self.buckets.bytes()
            + self.sketches.capacity()
            + self.store.bytes()
            + self.shared.bytes()
            + self.paragraphs.bytes()
            + self.clusters.capacity() * 4
            + self.days.capacity() * 4
            + self.ids.capacity()
            + self.id_ends.capacity() * 8
    }

    /// Whether indexed document `n` is within `window_days` of `day`.
    fn in_window(&self, n: u32, day: i32) -> bool {
        let window = self.dedup.config.window_days;
        if window == 0 || day == UNDATED {
            return true;
        }
        let other = self.days[n as usize];
        other == UNDATED || (i64::from(other) - i64::from(day)).unsigned_abs() <= u64::from(window)
    }

    /// LSH key of band `b` of a sketch.
    fn band_key(&self, b: usize, sketch: &[u32]) -> u32 {
        let rows = self.dedup.config.rows;
        let mut h = (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for &v in &sketch[b * rows..(b + 1) * rows] {
            h = (h ^ u64::from(v)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            h ^= h >> 29;
        }
        (h >> 32) as u32
    }

    /// Whether indexed document `n` could reach the thresholds, judged from the sketch bytes: the
    /// share of equal bytes estimates the Jaccard similarity (corrected for the 1 in 256
    /// chance that two different values share a byte), compared with the lowest similarity
    /// that could still mean a duplicate, less three standard errors.
    fn may_match(&self, query: &[u8], set_len: usize, n: u32) -> bool {
        let c = &self.dedup.config;
        let k = query.len();
        let kept = &self.sketches[n as usize * k..(n as usize + 1) * k];
        // Compared as the bytes the index holds, with no widening per bin.
        let same = query.iter().zip(kept).filter(|(a, b)| a == b).count() as f64 / k as f64;
        let estimate = (same - 1.0 / 256.0) / (1.0 - 1.0 / 256.0);
        let (a, b) = (set_len as f64, self.store.len_of(n) as f64);
        let (small, large) = (a.min(b), a.max(b));
        let mut needed = c.threshold;
        if c.containment > 0.0 && small >= c.min_shingles as f64 {
            // Jaccard when the smaller set has exactly the threshold share in the larger.
            let shared = c.containment * small;
            needed = needed.min(shared / (small + large - shared));
        }
        let error = (needed * (1.0 - needed) / k as f64).sqrt();
        estimate >= needed - 3.0 * error - 1.0 / k as f64
    }

    /// Checks a document against everything kept so far: a match if it duplicates a kept
    /// document (the most similar, then the earliest kept), otherwise keeps it. `day` is
    /// its date as a day number, for `window_days`.
    pub fn check(
        &mut self,
        id: &str,
        fp: Fingerprint,
        day: Option<i32>,
    ) -> std::io::Result<Verdict> {
        let c = &self.dedup.config;
        let day = day.unwrap_or(UNDATED);
        self.others.clear();
        if c.exact {
            if let Some(&n) = self.exact.get(&fp.exact) {
                if self.in_window(n, day) {
                    return Ok(Verdict::Duplicate(Match {
                        kept: self.clusters[n as usize],
                        kind: Kind::Exact,
                        similarity: 1.0,
                        containment: 1.0,
                    }));
                }
            }
        }
        if !fp.sketch.is_empty() {
            if let Some((found, covered)) = self.best_match(&fp, day)? {
                if covered < 1.0 - NEW_TEXT {
                    self.index(fp, day, found.kept)?;
                }
                return Ok(Verdict::Duplicate(found));
            }
        }
        let n = self.id_ends.len() as u32;
        self.ids.push_str(id);
        self.id_ends.push(self.ids.len());
        self.index(fp, day, n)?;
        Ok(Verdict::Kept(n))
    }

    /// The best verified match among the candidates, and the share of the new document's
    /// shingles that the matched one has.
    fn best_match(&mut self, fp: &Fingerprint, day: i32) -> std::io::Result<Option<(Match, f64)>> {
        let c = &self.dedup.config;
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        for b in 0..c.bands {
            let key = self.band_key(b, &fp.sketch);
            self.buckets.for_each(key, |n| candidates.push(n));
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.stats.candidates += candidates.len() as u64;
        let mut query = std::mem::take(&mut self.query);
        query.clear();
        query.extend(fp.sketch.iter().map(|&v| v as u8));
        let mut best: Option<(Match, f64)> = None;
        self.others.clear();
        let k = query.len();
        for (i, &n) in candidates.iter().enumerate() {
            if let Some(&ahead) = candidates.get(i + PREFETCH_AHEAD) {
                prefetch(&self.sketches[ahead as usize * k..(ahead as usize + 1) * k]);
                prefetch(self.store.bounds(ahead));
            }
            if !self.in_window(n, day) || !self.may_match(&query, fp.set.len(), n) {
                continue;
            }
            self.stats.verified += 1;
            let kept = self.store.get(n)?;
            let (a, b) = (fp.set.len(), kept.len());
            let common = intersection(&fp.set, kept);
            let (shared, a, b) = self.article_overlap(&fp.shared, n, common, a, b)?;
            let (shared, a, b) = (shared as f64, a as f64, b as f64);
            let similarity = shared / (a + b - shared);
            let containment = shared / a.min(b);
            let kind = if similarity >= c.threshold {
                Kind::Near
            } else if c.containment > 0.0
                && a.min(b) >= c.min_shingles as f64
                && containment >= c.containment
            {
                Kind::Contained
            } else {
                continue;
            };
            if self.is_follow_up(fp, n, common)? {
                continue;
            }
            let found = Match {
                kept: self.clusters[n as usize],
                kind,
                similarity: similarity as f32,
                containment: containment as f32,
            };
            // Candidates come in index order, so on a tie the earlier one stays.
            if best.is_none_or(|(m, _)| {
                (found.similarity, found.containment) > (m.similarity, m.containment)
            }) {
                if let Some((previous, _)) = best {
                    self.others.push(previous);
                }
                best = Some((found, shared / a));
            } else {
                self.others.push(found);
            }
        }
        self.candidates = candidates;
        self.query = query;
        if let Some((m, _)) = best {
            let mut seen = vec![m.kept];
            self.others.retain(|o| {
                let new = !seen.contains(&o.kept);
                seen.push(o.kept);
                new
            });
        }
        Ok(best)
    }

    /// The overlap to judge two documents by, and their sizes: the whole shingle sets, or,
    /// when they have text in common that both hold only in widely shared paragraphs (an
    /// outlet's disclaimer, one story appended to both), the sets without that text — unless
    /// the rest of either is under a quarter of it (a copy of a widely republished story that
    /// adds a line or a short intro is still a copy).
    fn article_overlap(
        &mut self,
        query_shared: &[u32],
        n: u32,
        common: usize,
        a: usize,
        b: usize,
    ) -> std::io::Result<(usize, usize, usize)> {
        if query_shared.is_empty() || self.shared.len_of(n) == 0 {
            return Ok((common, a, b));
        }
        let both = intersection(query_shared, self.shared.get(n)?);
        if both == 0 || 4 * (a.min(b) - both) < both {
            return Ok((common, a, b));
        }
        Ok((common - both, a - both, b - both))
    }

    /// Whether a document and indexed document `n`, whose shingle sets have `common`
    /// elements in common, are two stories that share paragraphs: a follow-up that reuses an
    /// earlier story's background. Both hold some paragraph word for word; each has text of
    /// its own outside those paragraphs (at least [`OWN_TEXT`] shingles, and at least as
    /// much as the paragraphs both hold), and the two hold
    /// little of that own text in common (under [`OWN_OVERLAP`] of the smaller). A copy
    /// edits the paragraphs it changes, so its own text is still like the original's; a
    /// copy that only cuts or adds paragraphs has little own text on one side. Paragraphs
    /// count by their shingles as if each were alone (those across a paragraph break are
    /// left to the own text).
    fn is_follow_up(&mut self, fp: &Fingerprint, n: u32, common: usize) -> std::io::Result<bool> {
        if fp.paragraphs.is_empty() || self.paragraphs.len_of(n) == 0 {
            return Ok(false);
        }
        // Shingles of the paragraphs both hold (pairs of hash and shingles, sorted by hash).
        let (mine, theirs) = (&fp.paragraphs, self.paragraphs.get(n)?);
        let (mut i, mut j, mut both) = (0, 0, 0usize);
        while i < mine.len() && j < theirs.len() {
            match mine[i].cmp(&theirs[j]) {
                std::cmp::Ordering::Less => i += 2,
                std::cmp::Ordering::Greater => j += 2,
                std::cmp::Ordering::Equal => {
                    both += mine[i + 1].min(theirs[j + 1]) as usize;
                    i += 2;
                    j += 2;
                }
            }
        }
        let own = |len: usize| len.saturating_sub(both);
        let (query_own, kept_own) = (own(fp.set.len()), own(self.store.len_of(n)));
        // A follow-up is mostly its own: a copy that cut paragraphs and edited a few has
        // less own text than text it shares.
        let least = query_own.min(kept_own);
        if both == 0 || least < OWN_TEXT || least < both {
            return Ok(false);
        }
        let common_own = common.saturating_sub(both);
        Ok((common_own as f64) < OWN_OVERLAP * least as f64)
    }

    /// Adds a document to the near-duplicate index as a member of cluster `kept`.
    fn index(&mut self, fp: Fingerprint, day: i32, kept: u32) -> std::io::Result<()> {
        let c = &self.dedup.config;
        let n = self.clusters.len() as u32;
        if c.exact {
            // Its exact copies are then exact duplicates. Without a window the key is new;
            // with one, the newest holder is the one later documents can still be within
            // reach of.
            self.exact.insert(fp.exact, n);
        }
        self.clusters.push(kept);
        if c.window_days > 0 {
            self.days.push(day);
        }
        if !c.near {
            return Ok(());
        }
        let k = c.permutations;
        if fp.sketch.is_empty() {
            // No words: nothing to band; keep the sketches aligned.
            self.sketches.extend(std::iter::repeat_n(0, k));
        } else {
            for b in 0..c.bands {
                let key = self.band_key(b, &fp.sketch);
                self.buckets.insert(key, n, BUCKET_CAP);
            }
            self.sketches.extend(fp.sketch.iter().map(|&v| v as u8));
        }
        self.store.push(&fp.set)?;
        self.shared.push(&fp.shared)?;
        self.paragraphs.push(&fp.paragraphs)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, Dedup};
    use super::*;

    fn dedup(config: Config) -> Dedup {
        Dedup::build(&config, &crate::config::test_context()).unwrap()
    }

    const STORY: &str = "The city council approved a new flood barrier on Monday after months of debate. \
        Engineers said the barrier along the river would protect four thousand homes in the lower town. \
        Residents had asked for flood defences since the storms of 2019 destroyed the old embankment. \
        Work will begin in the spring and should be finished before next winter, the mayor said. \
        The project costs twelve million pounds, most of it from the national flood fund.";

    const FOLLOW_UP: &str = "Opponents of the scheme said the money would be better spent upstream, \
        where farmland could be allowed to flood in a storm and so spare the town. \
        The council said it would publish the engineers' full report next week, along with a map of \
        the homes the barrier would protect and the route the lorries would take to the site.";

    fn duplicate(verdict: Verdict) -> Match {
        match verdict {
            Verdict::Duplicate(m) => m,
            Verdict::Kept(n) => panic!("kept as {n}"),
        }
    }

    #[test]
    fn exact_near_and_contained_duplicates_name_the_kept_document() {
        // A threshold high enough that the update below is only a containment match.
        let d = dedup(Config {
            threshold: 0.7,
            ..Config::default()
        });
        let mut index = d.new_index();
        assert_eq!(
            index.check("a", d.fingerprint(STORY), None).unwrap(),
            Verdict::Kept(0)
        );
        let shouted = STORY.to_uppercase().replace(". ", "!\n\n");
        let exact = duplicate(index.check("b", d.fingerprint(&shouted), None).unwrap());
        assert_eq!((exact.kind, index.id(exact.kept)), (Kind::Exact, "a"));

        let edited = STORY
            .replace("Monday", "Tuesday")
            .replace("four thousand", "4,000");
        let near = duplicate(index.check("c", d.fingerprint(&edited), None).unwrap());
        assert_eq!((near.kind, near.kept), (Kind::Near, 0));
        assert!(near.similarity >= 0.7 && near.similarity < 1.0);

        // A longer update: the story and a new paragraph of equal length.
        let update = format!("{STORY}\n\n{FOLLOW_UP}");
        let contained = duplicate(index.check("d", d.fingerprint(&update), None).unwrap());
        assert_eq!((contained.kind, contained.kept), (Kind::Contained, 0));
        assert_eq!(contained.containment, 1.0);
        assert!(contained.similarity < 0.6, "{}", contained.similarity);
    }

    #[test]
    fn an_original_longer_than_its_copy_is_found_by_its_short_version() {
        let paragraph = |p: usize| {
            let words: Vec<String> = (0..30).map(|w| format!("p{p}w{w}")).collect();
            words.join(" ") + "."
        };
        let text = |ps: std::ops::Range<usize>| ps.map(paragraph).collect::<Vec<_>>().join("\n\n");
        let d = dedup(Config::default());
        let mut index = d.new_index();
        // A copy with the last 3 of 20 paragraphs cut comes first; then the original, 15%
        // new text; then a short version of the last 6 paragraphs, half of them missing
        // from the copy.
        assert_eq!(
            index
                .check("copy", d.fingerprint(&text(0..17)), None)
                .unwrap(),
            Verdict::Kept(0)
        );
        let original = duplicate(
            index
                .check("original", d.fingerprint(&text(0..20)), None)
                .unwrap(),
        );
        assert_eq!(original.kept, 0);
        assert_eq!(index.indexed(), 2, "the original brought 15% new text");
        let again = duplicate(
            index
                .check("again", d.fingerprint(&text(0..20)), None)
                .unwrap(),
        );
        assert_eq!((again.kind, again.kept), (Kind::Exact, 0));
        let short = duplicate(
            index
                .check("short", d.fingerprint(&text(14..20)), None)
                .unwrap(),
        );
        assert_eq!((short.kind, short.kept), (Kind::Contained, 0));
        assert_eq!(short.containment, 1.0, "matched the original, not the copy");
    }

    #[test]
    fn a_follow_up_that_reuses_a_storys_paragraphs_is_not_its_copy() {
        use crate::text::word_hashes;
        let d = dedup(Config::default());
        let own = |n: usize| -> String {
            let words: Vec<String> = (0..150).map(|w| format!("s{n}w{w}")).collect();
            words.join(" ")
        };
        // Shorter than each story's own text, long enough to make them near duplicates.
        let background = format!("{STORY} {FOLLOW_UP}");
        // A paragraph of its own text, then the background paragraph; `marked` says whether
        // the fingerprint knows its paragraphs.
        let print = |own: &str, marked: bool| {
            let words = [word_hashes(own), word_hashes(&background)];
            let ends = [words[0].len(), words[0].len() + words[1].len()];
            let words = words.concat();
            let paragraphs = match marked {
                true => super::super::paragraphs::fingerprints(&d.config.paragraphs, &words, &ends),
                false => Vec::new(),
            };
            d.fingerprint_words(&words, &[], &paragraphs)
        };
        // Unmarked, the background alone makes two stories duplicates.
        let mut index = d.new_index();
        index.check("story", print(&own(0), false), None).unwrap();
        let m = duplicate(
            index
                .check("follow-up", print(&own(1), false), None)
                .unwrap(),
        );
        assert_eq!(m.kind, Kind::Near, "{m:?}");
        // Marked, their own texts differ: two stories.
        let mut index = d.new_index();
        index.check("story", print(&own(0), true), None).unwrap();
        assert_eq!(
            index
                .check("follow-up", print(&own(1), true), None)
                .unwrap(),
            Verdict::Kept(1)
        );
        // An edited copy's own text is still the story's: a duplicate.
        let edited = own(0).replace("s0w3 ", "x ").replace("s0w70 ", "y ");
        let m = duplicate(index.check("copy", print(&edited, true), None).unwrap());
        assert_eq!(index.id(m.kept), "story");
        // A copy that adds little of its own is judged as before.
        let short = own(0).split(' ').take(40).collect::<Vec<_>>().join(" ");
        let m = duplicate(index.check("excerpt", print(&short, true), None).unwrap());
        assert_eq!(index.id(m.kept), "story");
    }

    #[test]
    fn text_both_hold_only_in_widely_shared_paragraphs_is_not_matched_on() {
        use crate::text::word_hashes;
        let d = dedup(Config::default());
        let teaser = |n: usize| -> String {
            let words: Vec<String> = (0..24).map(|w| format!("t{n}w{w}")).collect();
            words.join(" ")
        };
        // A teaser and then FOLLOW_UP as a paragraph that many documents share; `marked`
        // says whether the fingerprint knows that.
        let print = |own: &str, marked: bool| {
            let (own, shared) = (word_hashes(own), word_hashes(FOLLOW_UP));
            let range = (own.len(), own.len() + shared.len());
            let ranges = if marked { vec![range] } else { vec![] };
            d.fingerprint_words(&[own, shared].concat(), &ranges, &[])
        };
        let mut index = d.new_index();
        assert_eq!(
            index.check("a", print(&teaser(0), true), None).unwrap(),
            Verdict::Kept(0)
        );
        assert_eq!(
            index.check("b", print(&teaser(1), true), None).unwrap(),
            Verdict::Kept(1)
        );
        // A copy of a's teaser with a word changed still matches a on its own text.
        let edited = teaser(0).replace("t0w3 ", "x ");
        let copy = duplicate(index.check("a2", print(&edited, true), None).unwrap());
        assert_eq!(index.id(copy.kept), "a");
        assert!(
            copy.similarity < 0.9,
            "judged without the shared text: {copy:?}"
        );
        // Unmarked, the shared paragraph alone makes them duplicates.
        let mut index = d.new_index();
        index.check("a", print(&teaser(0), false), None).unwrap();
        let m = duplicate(index.check("b", print(&teaser(1), false), None).unwrap());
        assert_eq!(m.kind, Kind::Near);
        // A copy whose own text is under a quarter of the shared text is judged on all of it.
        let mut index = d.new_index();
        index
            .check("a", print("Reported by the county desk.", true), None)
            .unwrap();
        let m = duplicate(
            index
                .check("b", print("From our partners.", true), None)
                .unwrap(),
        );
        assert_eq!(index.id(m.kept), "a");
    }

    #[test]
    fn different_stories_are_kept() {
        let d = dedup(Config::default());
        let mut index = d.new_index();
        assert_eq!(
            index.check("a", d.fingerprint(STORY), None).unwrap(),
            Verdict::Kept(0)
        );
        assert_eq!(
            index.check("b", d.fingerprint(FOLLOW_UP), None).unwrap(),
            Verdict::Kept(1)
        );
        assert_eq!(
            index.stats.verified, 0,
            "the sketch screen stopped the unrelated one"
        );
    }

    #[test]
    fn containment_needs_enough_shingles_and_can_be_off() {
        let update = format!("{STORY}\n\n{FOLLOW_UP}");
        let base = Config {
            threshold: 0.7,
            ..Config::default()
        };
        for (config, kept) in [
            (
                Config {
                    containment: 0.0,
                    ..base.clone()
                },
                true,
            ),
            (
                Config {
                    min_shingles: 500,
                    ..base.clone()
                },
                true,
            ),
            (base, false),
        ] {
            let d = dedup(config);
            let mut index = d.new_index();
            index.check("a", d.fingerprint(STORY), None).unwrap();
            let verdict = index.check("b", d.fingerprint(&update), None).unwrap();
            assert_eq!(matches!(verdict, Verdict::Kept(_)), kept, "{verdict:?}");
        }
    }

    #[test]
    fn the_window_keeps_distant_dates_apart() {
        let d = dedup(Config {
            window_days: 7,
            ..Config::default()
        });
        let mut index = d.new_index();
        index.check("a", d.fingerprint(STORY), Some(100)).unwrap();
        assert_eq!(
            index.check("b", d.fingerprint(STORY), Some(120)).unwrap(),
            Verdict::Kept(1)
        );
        let m = duplicate(index.check("c", d.fingerprint(STORY), Some(125)).unwrap());
        assert_eq!(index.id(m.kept), "b", "the newer copy is within reach");
        let m = duplicate(index.check("d", d.fingerprint(STORY), None).unwrap());
        assert_eq!(
            m.kind,
            Kind::Exact,
            "undated documents compare with everything"
        );
    }
}
