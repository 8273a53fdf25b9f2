//! Which document of a duplicate cluster is kept, and the dates that `earliest` and
//! `window_days` read.

use serde::Deserialize;

use crate::document::Document;

/// `survivor` as written in pipeline.toml: a rule name or a list of sources.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Spec {
    Rule(String),
    Priority(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Survivor {
    /// The first in input order (decided while streaming, in one pass).
    First,
    /// The one with the longest cleaned text.
    Longest,
    /// The one with the earliest date; undated documents come last.
    Earliest,
    /// The one whose source comes first in this list (the `outlet` field, or else the URL's
    /// host; a listed domain also matches its subdomains); unlisted sources come last.
    Priority(Vec<String>),
}

impl Survivor {
    pub fn from_spec(spec: &Spec) -> Result<Survivor, String> {
        match spec {
            Spec::Rule(rule) => match rule.as_str() {
                "first" => Ok(Survivor::First),
                "longest" => Ok(Survivor::Longest),
                "earliest" => Ok(Survivor::Earliest),
                other => Err(format!(
                    "unknown rule `{other}`: use \"first\", \"longest\", \"earliest\" or a list \
                     of sources in priority order"
                )),
            },
            Spec::Priority(sources) if sources.is_empty() => {
                Err("the source priority list is empty".into())
            }
            Spec::Priority(sources) => Ok(Survivor::Priority(
                sources.iter().map(|s| s.to_ascii_lowercase()).collect(),
            )),
        }
    }

    /// How much a document deserves to survive its cluster; higher wins, ties go to the
    /// earlier document in input order.
    pub fn score(&self, doc: &Document, text: &str) -> i64 {
        match self {
            Survivor::First => 0,
            Survivor::Longest => text.chars().count() as i64,
            Survivor::Earliest => day_number(&doc.date).map_or(i64::MIN, |d| -i64::from(d)),
            Survivor::Priority(list) => {
                let source = source_of(doc);
                let listed = list.iter().position(|s| {
                    source == *s
                        || source
                            .strip_suffix(s.as_str())
                            .is_some_and(|rest| rest.ends_with('.'))
                });
                listed.map_or(i64::MIN, |i| -(i as i64))
            }
        }
    }
}

impl std::fmt::Display for Survivor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Survivor::First => f.write_str("first"),
            Survivor::Longest => f.write_str("longest"),
            Survivor::Earliest => f.write_str("earliest"),
            Survivor::Priority(list) => write!(f, "by source: {}", list.join(", ")),
        }
    }
}

/// The document's source, lowercased: its outlet field, or else its URL's host.
fn source_of(doc: &Document) -> String {
    if !doc.outlet.is_empty() {
        return doc.outlet.trim().to_ascii_lowercase();
    }
    let rest = doc
        .url
        .split_once("://")
        .map_or(doc.url.as_str(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    host.to_ascii_lowercase()
}

/// Days since 1970-01-01 of a date that starts `YYYY-MM-DD` (as ISO 8601 and RFC 3339 dates
/// do, with or without a time after it); None for anything else.
pub fn day_number(date: &str) -> Option<i32> {
    let b = date.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let s = b.get(r)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0i32, |n, &d| n * 10 + i32::from(d - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if b.len() > 10 && b[10].is_ascii_digit() {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2022-03-01T10:00:00Z"), Some(19052));
        assert_eq!(
            day_number("2022-03-01").unwrap() - day_number("2022-02-28").unwrap(),
            1
        );
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        for bad in [
            "",
            "yesterday",
            "2022/03/01",
            "2022-13-01",
            "2022-03-011",
            "03-01-2022",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn scores_follow_the_rule() {
        let doc = |outlet: &str, url: &str, date: &str| Document {
            outlet: outlet.into(),
            url: url.into(),
            date: date.into(),
            ..Default::default()
        };
        let priority = Survivor::from_spec(&Spec::Priority(vec![
            "reuters.com".into(),
            "BBC.co.uk".into(),
        ]))
        .unwrap();
        let reuters = doc("", "https://www.reuters.com/world/x", "");
        let bbc = doc("bbc.co.uk", "", "");
        let other = doc("", "https://notreuters.com/x", "");
        assert!(priority.score(&reuters, "") > priority.score(&bbc, ""));
        assert!(priority.score(&bbc, "") > priority.score(&other, ""));

        let earliest = Survivor::Earliest;
        let (early, late, undated) = (
            doc("", "", "2022-01-01"),
            doc("", "", "2022-02-01"),
            doc("", "", "n/a"),
        );
        assert!(earliest.score(&early, "") > earliest.score(&late, ""));
        assert!(earliest.score(&late, "") > earliest.score(&undated, ""));
        assert!(Survivor::Longest.score(&early, "abc") > Survivor::Longest.score(&early, "ab"));
        assert!(Survivor::from_spec(&Spec::Rule("newest".into())).is_err());
    }
}
