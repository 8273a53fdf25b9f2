//! What flows through the pipeline: a document as read, its body as paragraphs of lines, the
//! edits made to it and, if it is dropped, why.

/// A document as read from the input, before any cleaning.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: String,
    /// The publisher, when the input names one (`input.outlet_field`).
    pub outlet: String,
    /// Where it came from: `path` or `path:line`.
    pub source: String,
    pub text: String,
}

/// The body of a document: paragraphs (separated by blank lines) of non-empty lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub paragraphs: Vec<Vec<String>>,
}

impl Body {
    /// Splits text into paragraphs at blank (or whitespace-only) lines; runs of blank lines
    /// count as one break.
    pub fn parse(text: &str) -> Body {
        let mut paragraphs = Vec::new();
        let mut current: Vec<String> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                current.push(line.to_string());
            }
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        Body { paragraphs }
    }

    /// The text: lines joined by a newline, paragraphs by one blank line.
    pub fn to_text(&self) -> String {
        let paragraphs: Vec<String> = self.paragraphs.iter().map(|p| p.join("\n")).collect();
        paragraphs.join("\n\n")
    }

    pub fn line_count(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// Keeps the lines for which `keep(paragraph index, line)` is true; drops emptied
    /// paragraphs.
    pub fn retain_lines(&mut self, mut keep: impl FnMut(usize, &str) -> bool) {
        for (i, paragraph) in self.paragraphs.iter_mut().enumerate() {
            paragraph.retain(|line| keep(i, line));
        }
        self.paragraphs.retain(|p| !p.is_empty());
    }
}

/// What a stage did to a kept part of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Remove,
    Replace,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Remove => "remove",
            Action::Replace => "replace",
        }
    }
}

/// One change to a document: a removed line or paragraph, or a name replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub stage: &'static str,
    pub rule: String,
    pub action: Action,
    pub before: String,
    pub after: String,
    /// Why, when the rule alone does not say: the line model's score and strongest features.
    pub note: String,
}

impl Edit {
    pub fn remove(stage: &'static str, rule: impl Into<String>, before: impl Into<String>) -> Edit {
        Edit {
            stage,
            rule: rule.into(),
            action: Action::Remove,
            before: before.into(),
            after: String::new(),
            note: String::new(),
        }
    }
}

/// Why a document was dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub stage: &'static str,
    pub reason: String,
    /// Set by dedup: what the document duplicates.
    pub duplicate: Option<Duplicate>,
}

/// A duplicate's relation to its cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Duplicate {
    /// The id of the document kept for the cluster.
    pub survivor: String,
    /// Jaccard similarity of the shingle sets with the document it was matched against.
    pub similarity: f64,
    /// Share of the smaller shingle set found in the larger.
    pub containment: f64,
    /// The id of the cluster's first document in input order.
    pub cluster: String,
}

impl Rejection {
    pub fn new(stage: &'static str, reason: impl Into<String>) -> Rejection {
        Rejection {
            stage,
            reason: reason.into(),
            duplicate: None,
        }
    }
}

/// A document after the per-document stages: its cleaned body and everything that happened.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub doc: Document,
    pub body: Body,
    pub language: String,
    pub language_confidence: f64,
    pub edits: Vec<Edit>,
    pub rejection: Option<Rejection>,
    /// The line model's junk probability of every line it scored, by the line's hash
    /// ([`line_key`]), for later stages that ask whether the model agrees with them; empty
    /// when the lines stage is off.
    pub junk_scores: crate::text::FastMap<u64, f32>,
}

/// The key of a line in [`Cleaned::junk_scores`].
pub fn line_key(line: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(line.as_bytes())
}

impl Cleaned {
    pub fn new(doc: Document) -> Cleaned {
        Cleaned {
            doc,
            body: Body::default(),
            language: String::new(),
            language_confidence: 0.0,
            edits: Vec::new(),
            rejection: None,
            junk_scores: Default::default(),
        }
    }

    /// A document rejected before any stage ran (unreadable record).
    pub fn rejected(doc: Document, rejection: Rejection) -> Cleaned {
        let mut cleaned = Cleaned::new(doc);
        cleaned.rejection = Some(rejection);
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_collapses_blank_runs_and_keeps_lines() {
        let body = Body::parse("a\nb\n\n\n\n c \n  \n\nd");
        assert_eq!(
            body.paragraphs,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec![" c ".to_string()],
                vec!["d".to_string()]
            ]
        );
        assert_eq!(body.to_text(), "a\nb\n\n c \n\nd");
    }

    #[test]
    fn retain_lines_drops_empty_paragraphs() {
        let mut body = Body::parse("a\n\nb\nc\n\nd");
        body.retain_lines(|_, line| line != "a" && line != "c");
        assert_eq!(body.to_text(), "b\n\nd");
    }
}
