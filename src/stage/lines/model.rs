//! The line model: logistic regression over the hashed features of [`super::features`], one
//! weight per slot (held as f32: 1 MB, so more of it stays in cache), then a second look with
//! the neighbours' scores: a line's final log-odds weigh its own against the mean of the lines
//! within [`WINDOW`] of it (junk comes in runs: a share bar, a comment thread). Read from the
//! plain text file `scripts/train_lines.py` writes (`data/lines_model.tsv`: a header line,
//! `context<TAB>own<TAB>window<TAB>bias`, then `slot<TAB>weight` for every non-zero weight).

use super::features::{slot, Context, DIM};

/// The first line of a model file.
const HEADER: &str = "newsclean-lines-model\t1";

/// Lines on each side whose first-look scores a line's second look averages (itself too).
pub const WINDOW: usize = 3;

pub struct Model {
    weights: Vec<f32>,
    /// Kinds of junk (`caption`, `prompt`, ...) and, per feature slot, one weight per kind: a
    /// removed line is named after the kind its features weigh most towards. Empty when the
    /// file has none: removals are then plain `junk`.
    kinds: Vec<String>,
    kind_weights: std::collections::HashMap<u32, Vec<f32>>,
    /// Second look: weights of a line's own log-odds and its window's mean, and a bias.
    context: [f64; 3],
    /// What the file's comment lines say about it (data, date, metrics), for `describe`.
    about: String,
}

/// A feature's name and weight, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub feature: String,
    pub weight: f64,
}

impl Model {
    /// Parses a model file; the error says which line is wrong.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, first)) if first.trim_end() == HEADER => {}
            _ => return Err(format!("line 1: expected {HEADER:?}")),
        }
        let mut weights = vec![0.0f32; DIM as usize];
        let mut kinds: Vec<String> = Vec::new();
        let mut kind_weights = std::collections::HashMap::new();
        let mut context = [1.0, 0.0, 0.0];
        let mut about = String::new();
        for (i, line) in lines {
            if let Some(comment) = line.strip_prefix('#') {
                if about.is_empty() {
                    about = comment.trim().to_string();
                }
                continue;
            }
            let bad = || format!("line {}: expected slot<TAB>weight, got {line:?}", i + 1);
            if let Some(values) = line.strip_prefix("context\t") {
                let values: Vec<f64> = values.split('\t').filter_map(|v| v.parse().ok()).collect();
                context = values.try_into().map_err(|_| {
                    format!(
                        "line {}: expected context<TAB>own<TAB>window<TAB>bias",
                        i + 1
                    )
                })?;
                continue;
            }
            if let Some(names) = line.strip_prefix("kinds\t") {
                kinds = names.split('\t').map(String::from).collect();
                continue;
            }
            if let Some(values) = line.strip_prefix("kind\t") {
                let bad = || {
                    format!(
                        "line {}: expected kind<TAB>slot<TAB>one weight per kind",
                        i + 1
                    )
                };
                let mut values = values.split('\t');
                let slot: u32 = values.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
                let row: Vec<f32> = values
                    .map(|v| v.parse().map_err(|_| bad()))
                    .collect::<Result<_, _>>()?;
                if slot >= DIM || row.len() != kinds.len() {
                    return Err(bad());
                }
                kind_weights.insert(slot, row);
                continue;
            }
            let (slot, weight) = line.split_once('\t').ok_or_else(bad)?;
            let slot: usize = slot.parse().map_err(|_| bad())?;
            let weight: f64 = weight.parse().map_err(|_| bad())?;
            if slot >= weights.len() || !weight.is_finite() {
                return Err(bad());
            }
            weights[slot] = weight as f32;
        }
        Ok(Model {
            weights,
            kinds,
            kind_weights,
            context,
            about,
        })
    }

    /// The kind of junk line `i` most looks like (the kind whose weights its features sum
    /// highest), or None when the model has no kinds.
    pub fn kind(&self, context: &Context, i: usize) -> Option<&str> {
        if self.kinds.is_empty() {
            return None;
        }
        let mut sums = vec![0.0f64; self.kinds.len()];
        context.features(i, &mut |name| {
            if let Some(row) = self.kind_weights.get(&slot(name)) {
                for (sum, w) in sums.iter_mut().zip(row) {
                    *sum += f64::from(*w);
                }
            }
        });
        let best = (0..sums.len()).fold(0, |b, k| if sums[k] > sums[b] { k } else { b });
        Some(&self.kinds[best])
    }

    pub fn about(&self) -> &str {
        &self.about
    }

    /// The first look at line `i`: the log-odds of its own features. The slots are gathered
    /// first and their weights summed after, so the weight loads (cache misses, mostly) overlap
    /// instead of waiting on each other.
    fn logit(&self, context: &Context, i: usize, slots: &mut Vec<u32>) -> f64 {
        slots.clear();
        context.features(i, &mut |name| slots.push(slot(name)));
        slots
            .iter()
            .map(|&s| f64::from(self.weights[s as usize]))
            .sum()
    }

    /// Every line's probability of not being article text.
    pub fn scores(&self, context: &Context) -> Vec<Score> {
        let mut slots = Vec::with_capacity(256);
        let own: Vec<f64> = (0..context.len())
            .map(|i| self.logit(context, i, &mut slots))
            .collect();
        let [w_own, w_window, bias] = self.context;
        (0..own.len())
            .map(|i| {
                let window = &own[i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(own.len())];
                let mean = window.iter().sum::<f64>() / window.len() as f64;
                Score {
                    junk: sigmoid(w_own * own[i] + w_window * mean + bias),
                    neighbours: w_window * mean,
                }
            })
            .collect()
    }

    /// The `n` features that push line `i` hardest towards junk (positive weights, largest
    /// first), its neighbours' scores among them (`neighbours`).
    pub fn reasons(&self, context: &Context, i: usize, score: &Score, n: usize) -> Vec<Reason> {
        let mut all = Vec::new();
        if score.neighbours > 0.0 {
            all.push(Reason {
                feature: "neighbours".into(),
                weight: score.neighbours,
            });
        }
        context.features(i, &mut |name| {
            let weight = self.context[0] * f64::from(self.weights[slot(name) as usize]);
            if weight > 0.0 && name != "bias" {
                all.push(Reason {
                    feature: name.to_string(),
                    weight,
                });
            }
        });
        all.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(a.feature.cmp(&b.feature))
        });
        // A word twice in the line is one reason.
        all.dedup_by(|a, b| a.feature == b.feature);
        all.truncate(n);
        all
    }
}

/// One line's verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Probability of junk.
    pub junk: f64,
    /// What the neighbours' scores add to the log-odds.
    pub neighbours: f64,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names_the_bad_line() {
        assert!(Model::parse("nonsense")
            .err()
            .unwrap()
            .starts_with("line 1"));
        let err = Model::parse(&format!("{HEADER}\n# about\n12\tx\n"))
            .err()
            .unwrap();
        assert!(err.starts_with("line 3"), "{err}");
        let err = Model::parse(&format!("{HEADER}\n{DIM}\t1.0\n"))
            .err()
            .unwrap();
        assert!(err.starts_with("line 2"), "{err}");
    }

    #[test]
    fn score_sums_the_weights_of_the_line_features() {
        let lines = ["Advertisement"];
        let context = Context::new(&lines);
        let model = Model::parse(&format!(
            "{HEADER}\n{}\t2.0\n{}\t-0.5\n",
            slot("w:advertisement"),
            slot("bias")
        ))
        .unwrap();
        let scores = model.scores(&context);
        assert!((scores[0].junk - sigmoid(1.5)).abs() < 1e-12, "{scores:?}");
        let reasons = model.reasons(&context, 0, &scores[0], 3);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].feature, "w:advertisement");
    }

    #[test]
    fn a_line_is_named_after_the_kind_its_features_weigh_most() {
        let lines = ["Photo: Getty Images", "Sign up now"];
        let context = Context::new(&lines);
        let model = Model::parse(&format!(
            "{HEADER}\nkinds\tcaption\tprompt\nkind\t{}\t2.0\t-1.0\nkind\t{}\t-1.0\t3.0\n",
            slot("w:getty"),
            slot("w:sign")
        ))
        .unwrap();
        assert_eq!(model.kind(&context, 0), Some("caption"));
        assert_eq!(model.kind(&context, 1), Some("prompt"));
        let bad = Model::parse(&format!("{HEADER}\nkinds\ta\tb\nkind\t1\t2.0\n"));
        assert!(bad.err().unwrap().starts_with("line 3"));
        let none = Model::parse(&format!("{HEADER}\n")).unwrap();
        assert_eq!(none.kind(&context, 0), None);
    }

    #[test]
    fn the_second_look_weighs_the_window_mean() {
        let lines = ["Advertisement", "plain", "plain", "plain", "plain", "plain"];
        let context = Context::new(&lines);
        let model = Model::parse(&format!(
            "{HEADER}\ncontext\t0.5\t1.0\t-1.0\n{}\t4.0\n",
            slot("w:advertisement")
        ))
        .unwrap();
        let scores = model.scores(&context);
        // Line 0 sees lines 0-3 (mean 1.0), line 3 sees 0-5 (mean 4/6), line 4 sees 1-5.
        assert!((scores[0].junk - sigmoid(0.5 * 4.0 + 1.0 - 1.0)).abs() < 1e-12);
        assert!((scores[3].junk - sigmoid(4.0 / 6.0 - 1.0)).abs() < 1e-12);
        assert!((scores[4].junk - sigmoid(-1.0)).abs() < 1e-12);
        let reasons = model.reasons(&context, 1, &scores[1], 3);
        assert_eq!(reasons[0].feature, "neighbours");
    }
}
