//! A document's shingles and their sketch. Every window of `k` word hashes becomes one 64-bit
//! shingle hash. Its high 32 bits are the set element that verification compares exactly; its
//! low 32 bits pick one of the sketch's bins, and each bin keeps the smallest element that
//! falls in it (one permutation hashing: one hash per shingle, not one per permutation). Two
//! documents' bins agree with probability close to their Jaccard similarity.

/// splitmix64's finalizer: spreads the rolling shingle hash over all 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes of every `k`-word window of `words` (all of them as one window when there are
/// fewer than `k`).
pub fn shingles(words: &[u64], k: usize) -> Vec<u64> {
    let k = k.min(words.len()).max(1);
    words
        .windows(k)
        .map(|window| {
            let mut h = 0u64;
            for &w in window {
                h = (h.rotate_left(23) ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            mix(h)
        })
        .collect()
}

/// The set elements of the shingles, sorted and without repeats.
pub fn element_set(shingles: &[u64]) -> Vec<u32> {
    let mut set: Vec<u32> = shingles.iter().map(|&h| (h >> 32) as u32).collect();
    set.sort_unstable();
    set.dedup();
    set
}

const EMPTY: u32 = u32::MAX;

/// The minimum element per bin, `bins` long; empty when there are no shingles. A bin no
/// shingle fell in borrows from the next filled bin to its right, rehashed with the distance
/// (rotation densification), so short documents still compare bin by bin.
pub fn sketch(shingles: &[u64], bins: usize) -> Vec<u32> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let mut sketch = vec![EMPTY; bins];
    for &h in shingles {
        let bin = ((h & 0xFFFF_FFFF) * bins as u64) >> 32;
        let value = ((h >> 32) as u32).min(EMPTY - 1);
        let slot = &mut sketch[bin as usize];
        *slot = (*slot).min(value);
    }
    for i in 0..bins {
        if sketch[i] != EMPTY {
            continue;
        }
        let (distance, value) = (1..bins)
            .map(|d| (d, sketch[(i + d) % bins]))
            .find(|&(_, v)| v != EMPTY)
            .expect("at least one filled bin");
        // A borrowed value only has to agree between documents that borrowed the same value
        // from the same distance.
        sketch[i] = (mix(u64::from(value) ^ ((distance as u64) << 40)) as u32).min(EMPTY - 1);
    }
    sketch
}

/// |a ∩ b| for two sorted sets.
pub fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: u64, offset: u64) -> Vec<u64> {
        (offset..offset + n).map(|i| mix(i + 1)).collect()
    }

    #[test]
    fn bins_agree_about_as_often_as_jaccard() {
        // Two documents sharing 600 of 1,000 distinct shingles each: Jaccard 600/1400.
        let a = shingles(&words(1004, 0), 5);
        let b = shingles(&words(1004, 400), 5);
        let (sa, sb) = (sketch(&a, 256), sketch(&b, 256));
        let same = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 256.0;
        let jaccard = intersection(&element_set(&a), &element_set(&b)) as f64
            / (element_set(&a).len() + element_set(&b).len()) as f64;
        let jaccard = jaccard / (1.0 - jaccard);
        assert!((jaccard - 600.0 / 1400.0).abs() < 0.01, "{jaccard}");
        assert!((same - jaccard).abs() < 0.1, "{same} vs {jaccard}");
    }

    #[test]
    fn short_documents_fill_every_bin() {
        let s = sketch(&shingles(&words(8, 0), 5), 64);
        assert_eq!(s.len(), 64);
        assert!(s.iter().all(|&v| v != EMPTY));
        assert!(sketch(&[], 64).is_empty());
        assert_eq!(
            shingles(&words(3, 0), 5).len(),
            1,
            "fewer words than k: one shingle"
        );
    }

    #[test]
    fn intersection_counts_common_elements() {
        assert_eq!(intersection(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(intersection(&[], &[1]), 0);
    }
}
