//! Splits a CSV stream into records by the csv crate's quoting rules, holding at most
//! `input.max_record_bytes` of any record: a quote opens a field only at its start, `""`
//! inside a quoted field is one quote, and `\n`, `\r` or `\r\n` outside quotes ends a record.
//!
//! A record over the limit, or a quote still open at the end of the input, is a runaway: it
//! is reported with the line it began on and its first bytes, and reading starts again on the
//! next line that reads as a whole record on its own (with the header's field count), so one
//! stray quote costs the lines it swallowed, not the rest of the file. Every byte is read at
//! most twice, so no input makes the reader slow.

use std::collections::VecDeque;
use std::io::{self, BufRead};

/// What the splitter found next.
pub(super) enum Next {
    /// A record's fields, and the line it began on.
    Record(csv::ByteRecord, u64),
    /// A record over the limit or an unclosed quote: the first line, the last line skipped,
    /// its first bytes and whether it ended with a quote open at the end of the input (else
    /// it was over the limit, maybe from a quote that never closes).
    Runaway {
        line: u64,
        last: u64,
        start: Vec<u8>,
        unclosed: bool,
    },
    End,
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of `""`.
    QuoteInQuoted,
}

/// One record being read.
#[derive(Default)]
struct Scan {
    /// Its bytes as they came, up to the limit and one more.
    raw: Vec<u8>,
    record: csv::ByteRecord,
    field: Vec<u8>,
    state: State,
}

enum Step {
    More,
    /// A `\n` or `\r` outside quotes (a `\n` after a `\r` then ends an empty record, skipped
    /// as a blank line).
    EndOfRecord,
    Overflow,
}

impl Scan {
    /// Takes the leading bytes of `bytes` that change nothing but the field (no quote, comma
    /// or line end where those matter), as long as the record stays within `max`; returns how
    /// many. The byte after them goes through [`Scan::push`].
    fn plain_run(&mut self, bytes: &[u8], line: &mut u64, max: usize) -> usize {
        let end = match self.state {
            State::Quoted => memchr::memchr(b'"', bytes),
            State::Unquoted => memchr::memchr3(b',', b'\n', b'\r', bytes),
            State::FieldStart | State::QuoteInQuoted => return 0,
        };
        let room = max.saturating_sub(self.raw.len());
        let n = end.unwrap_or(bytes.len()).min(room);
        let run = &bytes[..n];
        if self.state == State::Quoted {
            *line += memchr::memchr_iter(b'\n', run).count() as u64;
        }
        self.raw.extend_from_slice(run);
        self.field.extend_from_slice(run);
        n
    }

    fn push(&mut self, b: u8, line: &mut u64, max: usize) -> Step {
        if b == b'\n' {
            *line += 1;
        }
        self.raw.push(b);
        if self.raw.len() > max {
            return Step::Overflow;
        }
        if matches!(b, b'\n' | b'\r') && self.state != State::Quoted {
            return Step::EndOfRecord;
        }
        self.state = match (self.state, b) {
            (State::FieldStart, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') => {
                self.field.push(b'"');
                State::Quoted
            }
            (State::Quoted, _) => {
                self.field.push(b);
                State::Quoted
            }
            (_, b',') => {
                self.record.push_field(&self.field);
                self.field.clear();
                State::FieldStart
            }
            _ => {
                self.field.push(b);
                State::Unquoted
            }
        };
        Step::More
    }
}

/// Bytes of a runaway record shown in the rejects CSV.
const SHOWN: usize = 1024;

pub(super) struct Splitter<R> {
    reader: R,
    /// Bytes read before and to be read again (after a runaway), ahead of the stream.
    again: VecDeque<u8>,
    /// The number of the line the next byte is on.
    line: u64,
    max: usize,
    /// Fields a record needs for a line to resynchronize on (the header's count, once known).
    pub(super) fields: Option<usize>,
}

impl<R: BufRead> Splitter<R> {
    pub(super) fn new(reader: R, max: usize) -> Splitter<R> {
        Splitter {
            reader,
            again: VecDeque::new(),
            line: 1,
            max,
            fields: None,
        }
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        if let Some(b) = self.again.pop_front() {
            return Ok(Some(b));
        }
        let available = self.reader.fill_buf()?;
        let Some(&b) = available.first() else {
            return Ok(None);
        };
        self.reader.consume(1);
        Ok(Some(b))
    }

    /// The next record, runaway or the end.
    pub(super) fn next(&mut self) -> io::Result<Next> {
        loop {
            let line = self.line;
            let mut scan = Scan::default();
            // Bytes to read again come first, one at a time; then the stream, a buffer at a
            // time.
            let stop = loop {
                if let Some(b) = self.again.pop_front() {
                    match scan.push(b, &mut self.line, self.max) {
                        Step::More => continue,
                        step => break Some(step),
                    }
                }
                let available = self.reader.fill_buf()?;
                if available.is_empty() {
                    break None;
                }
                let (mut used, mut stop) = (0, None);
                while used < available.len() {
                    used += scan.plain_run(&available[used..], &mut self.line, self.max);
                    let Some(&b) = available.get(used) else {
                        break;
                    };
                    used += 1;
                    match scan.push(b, &mut self.line, self.max) {
                        Step::More => {}
                        step => {
                            stop = Some(step);
                            break;
                        }
                    }
                }
                self.reader.consume(used);
                if stop.is_some() {
                    break stop;
                }
            };
            let ended = match stop {
                Some(Step::Overflow) => return self.runaway(line, scan.raw, false),
                Some(_) => false,
                None if scan.raw.is_empty() => return Ok(Next::End),
                None if scan.state == State::Quoted => return self.runaway(line, scan.raw, true),
                None => true,
            };
            let blank = scan.record.is_empty() && scan.field.is_empty() && scan.raw.len() <= 1;
            if blank && !ended {
                continue; // an empty line: the csv crate skips them too
            }
            if blank {
                return Ok(Next::End);
            }
            scan.record.push_field(&scan.field);
            return Ok(Next::Record(scan.record, line));
        }
    }

    /// A runaway record from `line`: what was read of it goes back, from its second line on,
    /// and lines are skipped until one reads as a whole record by itself.
    fn runaway(&mut self, line: u64, raw: Vec<u8>, unclosed: bool) -> io::Result<Next> {
        let start = raw[..raw.len().min(SHOWN)].to_vec();
        match raw.iter().position(|&b| b == b'\n') {
            Some(i) => {
                for &b in raw[i + 1..].iter().rev() {
                    self.again.push_front(b);
                }
            }
            // One line longer than the limit: the rest of it is skipped unread into memory.
            None => loop {
                match self.next_byte()? {
                    Some(b'\n') | None => break,
                    Some(_) => {}
                }
            },
        }
        self.line = line + 1;
        // Resynchronize: the first line that reads alone as a record of the right width.
        loop {
            let (text, more) = self.read_line()?;
            if !more && text.is_empty() {
                break;
            }
            if self.reads_alone(&text) {
                self.again.push_front(b'\n');
                for &b in text.iter().rev() {
                    self.again.push_front(b);
                }
                break;
            }
            self.line += 1;
            if !more {
                break;
            }
        }
        Ok(Next::Runaway {
            line,
            last: self.line - 1,
            start,
            unclosed,
        })
    }

    /// Reads one line (without its `\n`), keeping at most the limit; and whether input goes on.
    fn read_line(&mut self) -> io::Result<(Vec<u8>, bool)> {
        let mut text = Vec::new();
        loop {
            match self.next_byte()? {
                None => return Ok((text, false)),
                Some(b'\n') => return Ok((text, true)),
                Some(b) if text.len() < self.max => text.push(b),
                Some(_) => {}
            }
        }
    }

    /// True when `text` (one line) is a whole record by itself, with the header's field count.
    fn reads_alone(&self, text: &[u8]) -> bool {
        if text.len() >= self.max || text.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        let mut inner = Splitter::new(io::Cursor::new(text), self.max);
        match inner.next() {
            Ok(Next::Record(record, _)) => {
                matches!(inner.next(), Ok(Next::End))
                    && self.fields.is_none_or(|n| record.len() == n)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &str, max: usize) -> Vec<String> {
        let mut splitter = Splitter::new(io::Cursor::new(input.as_bytes().to_vec()), max);
        splitter.fields = Some(2);
        let mut out = Vec::new();
        loop {
            match splitter.next().unwrap() {
                Next::Record(r, line) => {
                    let fields: Vec<String> = r
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into())
                        .collect();
                    out.push(format!("{line}:{}", fields.join("|")));
                }
                Next::Runaway {
                    line,
                    last,
                    unclosed,
                    ..
                } => out.push(format!("runaway {line}-{last} unclosed={unclosed}")),
                Next::End => return out,
            }
        }
    }

    #[test]
    fn fields_follow_the_csv_quoting_rules() {
        let input = "a,b\n1,\"x, \"\"y\"\"\nz\"\r\n\n2,plain \"q\"\r3,last";
        assert_eq!(
            split(input, 100),
            ["1:a|b", "2:1|x, \"y\"\nz", "5:2|plain \"q\"", "5:3|last"]
        );
    }

    #[test]
    fn the_same_records_as_the_csv_crate() {
        let input = "id,text\n1,\"two\nlines\"\n2,\"a \"\"quote\"\"\"\n3,x\"y\n4,\n";
        let mut theirs = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(input.as_bytes());
        let want: Vec<Vec<Vec<u8>>> = theirs
            .byte_records()
            .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect();
        let mut ours = Splitter::new(io::Cursor::new(input.as_bytes()), 1000);
        let mut got = Vec::new();
        while let Next::Record(r, _) = ours.next().unwrap() {
            got.push(r.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
        }
        assert_eq!(got, want);
    }

    #[test]
    fn an_unclosed_quote_costs_only_the_lines_it_swallows() {
        let input = "1,\"runaway\n2,ok\n3,fine\n";
        assert_eq!(
            split(input, 1000),
            ["runaway 1-1 unclosed=true", "2:2|ok", "3:3|fine"]
        );
        // Lines that do not read as records alone are skipped with it.
        let input = "1,\"runaway\nno comma here\nstill none\n5,ok\n";
        assert_eq!(split(input, 1000), ["runaway 1-3 unclosed=true", "4:5|ok"]);
        // A quote that closes later, however far, is a field: the csv crate reads it so too.
        let input = "1,\"two\nlines\" and more\n2,ok\n";
        assert_eq!(split(input, 1000), ["1:1|two\nlines and more", "3:2|ok"]);
    }

    #[test]
    fn a_record_over_the_limit_is_cut_short_and_reading_goes_on() {
        let input = format!("1,{}\n2,ok\n", ",".repeat(10_000));
        assert_eq!(split(&input, 100), ["runaway 1-1 unclosed=false", "2:2|ok"]);
    }
}
