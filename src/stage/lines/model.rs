//! The line model: logistic regression over the hashed features of [`super::features`], one
//! weight per slot (held as f32: 1 MB, so more of it stays in cache), then a second look with
//! the neighbours' scores (junk comes in runs: a share bar, a comment thread). The second look
//! is either linear (a line's final log-odds weigh its own against the mean of the lines
//! within [`WINDOW`] of it) or, when the file has trees, gradient-boosted trees over the
//! line's own log-odds, its neighbours', the document's, its place and its plain
//! [`measures`] ([`second_look_inputs`]). Read from the plain text file
//! `scripts/train_lines.py` writes (`data/lines_model.tsv`: a header line, optional
//! `context<TAB>own<TAB>window<TAB>bias` and `tree<TAB>...` lines (see [`super::forest`]),
//! then `slot<TAB>weight` for every non-zero weight).

use super::features::{measures, slot, Context, DIM, MEASURES};
use super::forest::Tree;

/// The first line of a model file.
const HEADER: &str = "newsclean-lines-model\t1";

/// Lines on each side whose first-look scores a line's second look averages (itself too).
pub const WINDOW: usize = 3;

/// How many inputs the trees of the second look read ([`second_look_inputs`]).
pub const SECOND_LOOK_INPUTS: usize = 11 + MEASURES;

/// Stands for a neighbour's log-odds where the document has no such line.
const NO_LINE: f64 = -99.0;

pub struct Model {
    weights: Vec<f32>,
    /// Kinds of junk (`caption`, `prompt`, ...) and, per feature slot, one weight per kind: a
    /// removed line is named after the kind its features weigh most towards. Empty when the
    /// file has none: removals are then plain `junk`.
    kinds: Vec<String>,
    kind_weights: std::collections::HashMap<u32, Vec<f32>>,
    /// Second look: weights of a line's own log-odds and its window's mean, and a bias;
    /// unused when there are trees.
    context: [f64; 3],
    /// Second look by trees: the sum of their leaves is a line's final log-odds.
    trees: Vec<Tree>,
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
        let mut trees = Vec::new();
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
            if let Some(fields) = line.strip_prefix("tree\t") {
                let tree = Tree::parse(fields, SECOND_LOOK_INPUTS)
                    .map_err(|e| format!("line {}: {e}", i + 1))?;
                trees.push(tree);
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
            trees,
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
        if !self.trees.is_empty() {
            return second_look_inputs(&own, context)
                .zip(&own)
                .map(|(x, own)| {
                    let logit: f64 = self.trees.iter().map(|t| t.eval(&x)).sum();
                    Score {
                        junk: sigmoid(logit),
                        neighbours: logit - own,
                    }
                })
                .collect();
        }
        let [w_own, w_window, bias] = self.context;
        (0..own.len())
            .map(|i| {
                let mean = window_mean(&own, i);
                Score {
                    junk: sigmoid(w_own * own[i] + w_window * mean + bias),
                    neighbours: w_window * mean,
                }
            })
            .collect()
    }

    /// How much a feature's weight counts in the final log-odds, for explanations.
    fn own_scale(&self) -> f64 {
        match self.trees.is_empty() {
            true => self.context[0],
            false => 1.0,
        }
    }

    /// The `n` features that push line `i` hardest towards junk (positive weights, largest
    /// first), what the second look adds among them (`neighbours`, or `context` for trees).
    pub fn reasons(&self, context: &Context, i: usize, score: &Score, n: usize) -> Vec<Reason> {
        let mut all = Vec::new();
        if score.neighbours > 0.0 {
            // The trees weigh more than the neighbours: the document and the line's measures.
            let name = if self.trees.is_empty() {
                "neighbours"
            } else {
                "context"
            };
            all.push(Reason {
                feature: name.into(),
                weight: score.neighbours,
            });
        }
        context.features(i, &mut |name| {
            let weight = self.own_scale() * f64::from(self.weights[slot(name) as usize]);
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

/// The mean of the first-look log-odds of the lines within [`WINDOW`] of line `i` (itself too).
fn window_mean(own: &[f64], i: usize) -> f64 {
    let window = &own[i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(own.len())];
    window.iter().sum::<f64>() / window.len() as f64
}

/// What the trees of the second look read of each line, given every line's first-look
/// log-odds: its own; those of the lines one before, one after, two before and two after
/// (`-99` past the document's ends); the mean of its window; the document's highest,
/// mean and median; its place (index over line count); the document's line count; and its
/// plain [`measures`]. `scripts/train_lines.py` computes the same.
pub fn second_look_inputs<'c>(
    own: &'c [f64],
    context: &'c Context,
) -> impl Iterator<Item = [f64; SECOND_LOOK_INPUTS]> + 'c {
    let n = own.len();
    let mut sorted = own.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (max, median) = match n {
        0 => (0.0, 0.0),
        _ if n % 2 == 1 => (sorted[n - 1], sorted[n / 2]),
        _ => (sorted[n - 1], (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    };
    let mean = own.iter().sum::<f64>() / n.max(1) as f64;
    let at = move |j: Option<usize>| j.and_then(|j| own.get(j)).copied().unwrap_or(NO_LINE);
    (0..n).map(move |i| {
        let mut x = [0.0; SECOND_LOOK_INPUTS];
        let head = [
            own[i],
            at(i.checked_sub(1)),
            at(Some(i + 1)),
            at(i.checked_sub(2)),
            at(Some(i + 2)),
            window_mean(own, i),
            max,
            mean,
            median,
            i as f64 / n as f64,
            n as f64,
        ];
        x[..head.len()].copy_from_slice(&head);
        x[head.len()..].copy_from_slice(&measures(context.line(i)));
        x
    })
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

    #[test]
    fn the_second_look_inputs_are_the_scores_around_a_line_and_its_measures() {
        let lines = ["Advertisement", "The council met on Monday.", "It voted."];
        let context = Context::new(&lines);
        let own = [3.0, -1.0, -2.0];
        let x: Vec<_> = second_look_inputs(&own, &context).collect();
        // Line 1: own, before, after, two before (none), two after (none), window mean,
        // document max, mean, median, place, line count.
        assert_eq!(
            x[1][..11],
            [
                -1.0,
                3.0,
                -2.0,
                NO_LINE,
                NO_LINE,
                0.0,
                3.0,
                0.0,
                -1.0,
                1.0 / 3.0,
                3.0
            ]
        );
        assert_eq!(x[1][11..], measures(lines[1]));
        assert_eq!(x[0][..5], [3.0, NO_LINE, -1.0, NO_LINE, -2.0]);
    }

    #[test]
    fn with_trees_the_final_score_is_the_sum_of_their_leaves() {
        let lines = [
            "Advertisement",
            "The council met on Monday and voted for the plan.",
        ];
        let context = Context::new(&lines);
        // Tree 1: own log-odds (input 0) <= 1 ? -2 : 2. Tree 2: words (input 11) <= 3 ? 0.5 : 0.
        let model = Model::parse(&format!(
            "{HEADER}\n{}\t4.0\ntree\t0\t1\t-1\t-2\t-2.0,2.0\ntree\t11\t3\t-1\t-2\t0.5,0.0\n",
            slot("w:advertisement")
        ))
        .unwrap();
        let scores = model.scores(&context);
        assert!((scores[0].junk - sigmoid(2.5)).abs() < 1e-12, "{scores:?}");
        assert!((scores[1].junk - sigmoid(-2.0)).abs() < 1e-12, "{scores:?}");
        // What the trees add to the own log-odds is the `context` reason.
        assert!((scores[0].neighbours - (2.5 - 4.0)).abs() < 1e-12);
        let reasons = model.reasons(&context, 0, &scores[0], 3);
        assert_eq!(reasons[0].feature, "w:advertisement");
        assert!(
            Model::parse(&format!("{HEADER}\ntree\t40\t1\t-1\t-2\t1,2\n"))
                .err()
                .unwrap()
                .starts_with("line 2")
        );
    }
}
