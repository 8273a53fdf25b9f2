//! The shingle sets of kept documents, for exact verification of candidates. Sets are appended
//! to an anonymous temporary file (in `$TMPDIR`, deleted when the run ends) in blocks, so
//! memory holds only where each set starts; the operating system's page cache keeps recent
//! ones fast to read back. About 4 bytes per distinct shingle on disk.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

/// Elements kept in memory before they are written out as one block.
const BLOCK: usize = 1 << 20;

#[derive(Default)]
pub struct Store {
    file: Option<File>,
    /// Elements already in the file.
    flushed: u64,
    /// Elements not yet written; always starts at a set boundary.
    tail: Vec<u32>,
    /// Where each set starts, in elements.
    starts: Vec<u64>,
    bytes: Vec<u8>,
    read: Vec<u32>,
}

impl Store {
    fn end(&self) -> u64 {
        self.flushed + self.tail.len() as u64
    }

    /// Appends a set; sets are numbered from 0 in the order they are added.
    pub fn push(&mut self, set: &[u32]) -> std::io::Result<()> {
        self.starts.push(self.end());
        self.tail.extend_from_slice(set);
        if self.tail.len() >= BLOCK {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(tempfile::tempfile()?),
            };
            self.bytes.clear();
            self.bytes
                .extend(self.tail.iter().flat_map(|v| v.to_le_bytes()));
            file.write_all(&self.bytes)?;
            self.flushed += self.tail.len() as u64;
            self.tail.clear();
        }
        Ok(())
    }

    /// Where set `n` starts and ends, as held in memory (to prefetch before `len_of`).
    pub fn bounds(&self, n: u32) -> &[u64] {
        let n = n as usize;
        &self.starts[n..(n + 2).min(self.starts.len())]
    }

    /// Number of elements in set `n`.
    pub fn len_of(&self, n: u32) -> usize {
        let n = n as usize;
        let end = self
            .starts
            .get(n + 1)
            .copied()
            .unwrap_or_else(|| self.end());
        (end - self.starts[n]) as usize
    }

    /// Set `n`, from memory or read back from the file.
    pub fn get(&mut self, n: u32) -> std::io::Result<&[u32]> {
        let start = self.starts[n as usize];
        let len = self.len_of(n);
        if start >= self.flushed {
            let at = (start - self.flushed) as usize;
            return Ok(&self.tail[at..at + len]);
        }
        let file = self.file.as_mut().expect("flushed sets have a file");
        file.seek(SeekFrom::Start(start * 4))?;
        self.bytes.resize(len * 4, 0);
        file.read_exact(&mut self.bytes)?;
        file.seek(SeekFrom::End(0))?;
        self.read.clear();
        self.read.extend(
            self.bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))),
        );
        Ok(&self.read)
    }

    /// Bytes held in memory.
    pub fn bytes(&self) -> usize {
        self.starts.capacity() * 8 + self.tail.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_read_back_from_memory_and_from_the_file() {
        let mut store = Store::default();
        let sets: Vec<Vec<u32>> = (0..3000u32).map(|i| (i..i + 500).collect()).collect();
        for set in &sets {
            store.push(set).unwrap();
        }
        assert!(store.flushed > 0, "some sets were written out");
        for n in [0u32, 1, 2097, 2999] {
            assert_eq!(store.get(n).unwrap(), &sets[n as usize][..]);
            assert_eq!(store.len_of(n), 500);
        }
    }
}
