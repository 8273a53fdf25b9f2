//! The LSH buckets: an open-addressing hash table from 32-bit band keys to document numbers
//! that keeps every entry, repeated keys included, so a bucket needs no allocation of its own.
//! Each entry is 8 bytes; the table grows by half when it is 80% full, so it costs 10 to 15
//! bytes per entry.

const EMPTY: u64 = u64::MAX;

#[derive(Default)]
pub struct Buckets {
    slots: Vec<u64>,
    len: usize,
}

/// Where a key's probe sequence starts in a table of `capacity` slots.
fn home(key: u32, capacity: usize) -> usize {
    let spread = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((u128::from(spread) * capacity as u128) >> 64) as usize
}

impl Buckets {
    /// Calls `f` with every document stored under `key`.
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        if self.slots.is_empty() {
            return;
        }
        let mut i = home(key, self.slots.len());
        loop {
            let entry = self.slots[i];
            if entry == EMPTY {
                return;
            }
            if (entry >> 32) as u32 == key {
                f(entry as u32);
            }
            i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
        }
    }

    /// Adds an entry unless `key` already has `cap` of them (a band value so common that it
    /// tells documents apart no better than chance; the other bands still do).
    pub fn insert(&mut self, key: u32, doc: u32, cap: usize) {
        let mut count = 0;
        self.for_each(key, |_| count += 1);
        if count >= cap {
            return;
        }
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        Self::put(&mut self.slots, (u64::from(key) << 32) | u64::from(doc));
        self.len += 1;
    }

    fn put(slots: &mut [u64], entry: u64) {
        let mut i = home((entry >> 32) as u32, slots.len());
        while slots[i] != EMPTY {
            i = if i + 1 == slots.len() { 0 } else { i + 1 };
        }
        slots[i] = entry;
    }

    fn grow(&mut self) {
        let capacity = (self.slots.len() * 3 / 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; capacity]);
        for entry in old.into_iter().filter(|&e| e != EMPTY) {
            Self::put(&mut self.slots, entry);
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.slots.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_entry_of_a_key_across_growth() {
        let mut buckets = Buckets::default();
        for doc in 0..10_000u32 {
            buckets.insert(doc % 1000, doc, 100);
        }
        let mut found = Vec::new();
        buckets.for_each(7, |d| found.push(d));
        found.sort_unstable();
        assert_eq!(found, (0..10).map(|i| 7 + i * 1000).collect::<Vec<_>>());
        let mut none = 0;
        buckets.for_each(5000, |_| none += 1);
        assert_eq!(none, 0);
        assert!(buckets.bytes() <= 10_000 * 15);
    }

    #[test]
    fn a_full_bucket_takes_no_more() {
        let mut buckets = Buckets::default();
        for doc in 0..10u32 {
            buckets.insert(42, doc, 4);
        }
        let mut found = Vec::new();
        buckets.for_each(42, |d| found.push(d));
        assert_eq!(found, [0, 1, 2, 3]);
    }
}
