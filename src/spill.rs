//! What the first pass of a run with several keeps for the later ones: every cleaned
//! document, in input order, in an anonymous temporary file (deleted when the run ends), so
//! clustering and writing replay it without reading and cleaning the input again. The file is
//! about twice the input's uncompressed size (the original text and the cleaned lines).
//! `dedup.keep_cleaned = false` cleans once per pass instead.
//!
//! A split run (`newsclean steps`) keeps each shard's cleaned documents in such a file too
//! (DIR/shard-K.kept), from its `clean` step to its `cluster` and `write` steps.
//!
//! The format is private to one newsclean version: the document count, then length-prefixed
//! little-endian fields.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::document::{Action, Body, Cleaned, Document, Edit, Rejection};
use crate::input::FileNote;
use crate::report::Unreadable;
use crate::stage;

/// One entry of the file, in the order pass 1 met them.
pub enum Entry {
    /// What pass 1's reader met about files (reported where pass 1 met it).
    FileNotes(Vec<FileNote>),
    Document(Box<Kept>),
}

/// A cleaned document and what pass 2 needs besides.
pub struct Kept {
    pub doc: Cleaned,
    /// Per paragraph, its fingerprint and word count for `[dedup.paragraphs]`.
    pub paragraphs: Vec<Option<(u64, usize)>>,
    /// Time each stage took on it, for the report.
    pub stage_nanos: Vec<u64>,
}

/// Stage names are `&'static str` in documents; read back, they are matched to these.
fn stage_name(name: &str) -> io::Result<&'static str> {
    stage::NAMES
        .iter()
        .copied()
        .chain([stage::dedup::NAME, crate::pipeline::INPUT_STAGE])
        .find(|known| *known == name)
        .ok_or_else(|| invalid(format!("unknown stage {name:?}")))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

pub struct Writer {
    out: BufWriter<File>,
    /// Documents written.
    pub documents: u64,
}

impl Writer {
    /// A writer to an anonymous temporary file, deleted when the run ends.
    pub fn new() -> io::Result<Writer> {
        Writer::to_file(tempfile::tempfile()?)
    }

    /// A writer to `file`, from its start (a shard's documents kept between the steps of a
    /// split run).
    pub fn to_file(file: File) -> io::Result<Writer> {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        // The document count, written by `finish`.
        out.write_all(&0u64.to_le_bytes())?;
        Ok(Writer { out, documents: 0 })
    }

    fn u64(&mut self, n: u64) -> io::Result<()> {
        self.out.write_all(&n.to_le_bytes())
    }

    fn len(&mut self, n: usize) -> io::Result<()> {
        self.u64(n as u64)
    }

    fn str(&mut self, s: &str) -> io::Result<()> {
        self.len(s.len())?;
        self.out.write_all(s.as_bytes())
    }

    pub fn file_notes(&mut self, notes: &[FileNote]) -> io::Result<()> {
        self.out.write_all(&[0])?;
        self.len(notes.len())?;
        for note in notes {
            match note {
                FileNote::Empty(name) => {
                    self.out.write_all(&[0])?;
                    self.str(name)?;
                }
                FileNote::Unreadable(u) => {
                    self.out.write_all(&[1])?;
                    self.str(&u.file)?;
                    self.str(&u.error)?;
                    self.u64(u.records_read)?;
                }
            }
        }
        Ok(())
    }

    pub fn document(&mut self, kept: &Kept) -> io::Result<()> {
        self.documents += 1;
        self.out.write_all(&[1])?;
        let c = &kept.doc;
        let d = &c.doc;
        for field in [
            &d.id, &d.title, &d.url, &d.date, &d.outlet, &d.source, &d.text,
        ] {
            self.str(field)?;
        }
        self.len(c.body.paragraphs.len())?;
        for paragraph in &c.body.paragraphs {
            self.len(paragraph.len())?;
            paragraph.iter().try_for_each(|line| self.str(line))?;
        }
        self.str(&c.language)?;
        self.u64(c.language_confidence.to_bits())?;
        self.len(c.edits.len())?;
        for edit in &c.edits {
            self.str(edit.stage)?;
            self.str(&edit.rule)?;
            self.out.write_all(&[edit.action as u8])?;
            self.str(&edit.before)?;
            self.str(&edit.after)?;
            self.str(&edit.note)?;
        }
        match &c.rejection {
            None => self.out.write_all(&[0])?,
            Some(r) => {
                // Pass 1 decides no duplicate: a rejection here is a stage's.
                debug_assert!(r.duplicate.is_none());
                self.out.write_all(&[1])?;
                self.str(r.stage)?;
                self.str(&r.reason)?;
            }
        }
        self.len(kept.paragraphs.len())?;
        for p in &kept.paragraphs {
            match p {
                None => self.out.write_all(&[0])?,
                Some((hash, words)) => {
                    self.out.write_all(&[1])?;
                    self.u64(*hash)?;
                    self.len(*words)?;
                }
            }
        }
        self.len(kept.stage_nanos.len())?;
        kept.stage_nanos.iter().try_for_each(|&n| self.u64(n))
    }

    /// Ends writing; the reader starts from the beginning.
    pub fn finish(self) -> io::Result<Reader> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&self.documents.to_le_bytes())?;
        Reader::from_file(file)
    }
}

pub struct Reader {
    input: BufReader<File>,
    /// Documents in the file.
    pub documents: u64,
}

impl Reader {
    /// Reads a file a [`Writer`] finished, from its first entry.
    pub fn from_file(mut file: File) -> io::Result<Reader> {
        file.seek(SeekFrom::Start(0))?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut count = [0u8; 8];
        input.read_exact(&mut count)?;
        Ok(Reader {
            input,
            documents: u64::from_le_bytes(count),
        })
    }

    fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.input.read_exact(&mut b)?;
        Ok(b[0])
    }

    fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        self.input.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn len(&mut self) -> io::Result<usize> {
        Ok(self.u64()? as usize)
    }

    fn string(&mut self) -> io::Result<String> {
        let mut bytes = vec![0u8; self.len()?];
        self.input.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|e| invalid(e.to_string()))
    }

    /// Starts reading again from the first entry (the file is replayed once per later pass).
    pub fn rewind(&mut self) -> io::Result<()> {
        self.input.seek(SeekFrom::Start(8)).map(|_| ())
    }

    /// The next entry, or None at the end.
    pub fn read(&mut self) -> io::Result<Option<Entry>> {
        let tag = match self.byte() {
            Ok(tag) => tag,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        };
        if tag == 0 {
            let notes = (0..self.len()?)
                .map(|_| match self.byte()? {
                    0 => Ok(FileNote::Empty(self.string()?)),
                    _ => Ok(FileNote::Unreadable(Unreadable {
                        file: self.string()?,
                        error: self.string()?,
                        records_read: self.u64()?,
                    })),
                })
                .collect::<io::Result<_>>()?;
            return Ok(Some(Entry::FileNotes(notes)));
        }
        let mut fields = Vec::with_capacity(7);
        for _ in 0..7 {
            fields.push(self.string()?);
        }
        let [id, title, url, date, outlet, source, text] =
            <[String; 7]>::try_from(fields).expect("seven fields");
        let doc = Document {
            id,
            title,
            url,
            date,
            outlet,
            source,
            text,
        };
        let mut cleaned = Cleaned::new(doc);
        let paragraphs = (0..self.len()?)
            .map(|_| (0..self.len()?).map(|_| self.string()).collect())
            .collect::<io::Result<_>>()?;
        cleaned.body = Body { paragraphs };
        cleaned.language = self.string()?;
        cleaned.language_confidence = f64::from_bits(self.u64()?);
        for _ in 0..self.len()? {
            let stage = stage_name(&self.string()?)?;
            let rule = self.string()?;
            let action = match self.byte()? {
                b if b == Action::Remove as u8 => Action::Remove,
                _ => Action::Replace,
            };
            let (before, after, note) = (self.string()?, self.string()?, self.string()?);
            cleaned.edits.push(Edit {
                stage,
                rule,
                action,
                before,
                after,
                note,
            });
        }
        if self.byte()? == 1 {
            let stage = stage_name(&self.string()?)?;
            cleaned.rejection = Some(Rejection::new(stage, self.string()?));
        }
        let paragraph_fingerprints = (0..self.len()?)
            .map(|_| match self.byte()? {
                0 => Ok(None),
                _ => Ok(Some((self.u64()?, self.len()?))),
            })
            .collect::<io::Result<_>>()?;
        let stage_nanos = (0..self.len()?)
            .map(|_| self.u64())
            .collect::<io::Result<_>>()?;
        Ok(Some(Entry::Document(Box::new(Kept {
            doc: cleaned,
            paragraphs: paragraph_fingerprints,
            stage_nanos,
        }))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_as_written() {
        let mut doc = Cleaned::new(Document {
            id: "a".into(),
            title: "Flood barrier".into(),
            text: "Kiev said.\n\nAdvertisement".into(),
            source: "dump.jsonl:1".into(),
            ..Document::default()
        });
        doc.body = Body::parse("Kyiv said.");
        doc.language = "eng".into();
        doc.language_confidence = 0.97;
        doc.edits.push(Edit::remove(
            stage::boilerplate::NAME,
            "advertisement",
            "Advertisement",
        ));
        let mut rejected = Cleaned::new(Document::default());
        rejected.rejection = Some(Rejection::new(stage::spam::NAME, "mostly spam"));
        let mut writer = Writer::new().unwrap();
        let notes = [
            FileNote::Empty("empty.txt".to_string()),
            FileNote::Unreadable(Unreadable {
                file: "bad.jsonl.gz".into(),
                error: "corrupt deflate stream".into(),
                records_read: 3,
            }),
        ];
        writer.file_notes(&notes).unwrap();
        for (doc, paragraphs) in [(doc.clone(), vec![Some((7, 2)), None]), (rejected, vec![])] {
            let kept = Kept {
                doc,
                paragraphs,
                stage_nanos: vec![1, 2, 3],
            };
            writer.document(&kept).unwrap();
        }
        let mut reader = writer.finish().unwrap();
        assert_eq!(reader.documents, 2);
        assert!(matches!(reader.read().unwrap(), Some(Entry::FileNotes(n)) if n == notes));
        let Some(Entry::Document(first)) = reader.read().unwrap() else {
            panic!("a document")
        };
        assert_eq!(first.doc.doc.id, "a");
        assert_eq!(first.doc.doc.text, doc.doc.text);
        assert_eq!(first.doc.body, doc.body);
        assert_eq!(first.doc.edits, doc.edits);
        assert_eq!(first.doc.language_confidence, 0.97);
        assert_eq!(first.paragraphs, vec![Some((7, 2)), None]);
        assert_eq!(first.stage_nanos, vec![1, 2, 3]);
        let Some(Entry::Document(second)) = reader.read().unwrap() else {
            panic!("a document")
        };
        assert_eq!(second.doc.rejection.unwrap().reason, "mostly spam");
        assert!(reader.read().unwrap().is_none());
    }
}
