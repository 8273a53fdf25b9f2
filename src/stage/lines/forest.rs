//! Gradient-boosted decision trees (as LightGBM trains them) for the line model's second look:
//! a line's final log-odds are the sum of one leaf value per tree, each leaf reached by
//! comparing one input with one threshold per level. Read from `tree` lines of the model file
//! (`tree<TAB>features<TAB>thresholds<TAB>left<TAB>right<TAB>leaf values`, each a
//! comma-separated list; a child below 0 is leaf `!child`).

/// One tree: its nodes (each in one piece, so a step of the walk reads one cache line) and
/// its leaf values.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
    leaf: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    threshold: f64,
    feature: u16,
    left: i32,
    right: i32,
}

impl Tree {
    /// Parses the five tab-separated fields after `tree`; `inputs` is how many inputs a tree
    /// may read. Every node and leaf must be reachable by index, so evaluation cannot fail.
    pub fn parse(fields: &str, inputs: usize) -> Result<Tree, String> {
        let fields: Vec<&str> = fields.split('\t').collect();
        let [feature, threshold, left, right, leaf] = fields[..] else {
            return Err(format!(
                "expected 5 tab-separated fields after tree, got {}",
                fields.len()
            ));
        };
        fn list<T: std::str::FromStr>(field: &str, what: &str) -> Result<Vec<T>, String> {
            if field.is_empty() {
                return Ok(Vec::new());
            }
            field
                .split(',')
                .map(|v| v.parse().map_err(|_| format!("bad {what} {v:?}")))
                .collect()
        }
        let feature: Vec<u16> = list(feature, "feature")?;
        let threshold: Vec<f64> = list(threshold, "threshold")?;
        let left: Vec<i32> = list(left, "child")?;
        let right: Vec<i32> = list(right, "child")?;
        let leaf: Vec<f64> = list(leaf, "leaf value")?;
        let nodes = feature.len();
        if [threshold.len(), left.len(), right.len()] != [nodes; 3] || leaf.len() != nodes + 1 {
            return Err(format!(
                "{nodes} nodes need as many thresholds and children and {} leaf values",
                nodes + 1
            ));
        }
        if feature.iter().any(|&f| usize::from(f) >= inputs) {
            return Err(format!(
                "a node reads an input beyond the {inputs} there are"
            ));
        }
        // A node's children come after it, so every walk ends at a leaf.
        let child_ok = |node: usize, c: i32| match c {
            c if c >= 0 => (c as usize) < nodes && c as usize > node,
            c => ((!c) as usize) < leaf.len(),
        };
        let children = left.iter().zip(&right).enumerate();
        if !children
            .into_iter()
            .all(|(n, (&l, &r))| child_ok(n, l) && child_ok(n, r))
        {
            return Err("a child points back, or past the nodes or leaves".into());
        }
        if threshold.iter().chain(&leaf).any(|v| !v.is_finite()) {
            return Err("a threshold or leaf value is not finite".into());
        }
        let nodes = (0..nodes)
            .map(|i| Node {
                threshold: threshold[i],
                feature: feature[i],
                left: left[i],
                right: right[i],
            })
            .collect();
        Ok(Tree { nodes, leaf })
    }

    /// The leaf value `x` reaches: at each node, left when the input is at most the threshold.
    pub fn eval(&self, x: &[f64]) -> f64 {
        let Some(mut node) = self.nodes.first() else {
            return self.leaf[0];
        };
        loop {
            let next = if x[usize::from(node.feature)] <= node.threshold {
                node.left
            } else {
                node.right
            };
            if next < 0 {
                return self.leaf[(!next) as usize];
            }
            node = &self.nodes[next as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_walks_to_the_leaf_its_inputs_reach() {
        // x0 <= 0.5 ? (x1 <= 2 ? 1.0 : 2.0) : 3.0
        let tree = Tree::parse("0,1\t0.5,2\t1,-1\t-3,-2\t1.0,2.0,3.0", 2).unwrap();
        assert_eq!(tree.eval(&[0.5, 2.0]), 1.0);
        assert_eq!(tree.eval(&[0.0, 2.5]), 2.0);
        assert_eq!(tree.eval(&[0.6, 0.0]), 3.0);
        let single = Tree::parse("\t\t\t\t-0.25", 2).unwrap();
        assert_eq!(single.eval(&[9.0, 9.0]), -0.25);
    }

    #[test]
    fn a_malformed_tree_is_refused() {
        for bad in [
            "0\t0.5\t-1\t-2\t1.0",                 // two leaves needed
            "3\t0.5\t-1\t-2\t1.0,2.0",             // input 3 of 2
            "0\t0.5\t-1\t-5\t1.0,2.0",             // leaf 4 of 2
            "0,0\t0.5,1\t1,-1\t-2,0\t1.0,2.0,3.0", // back to node 0: a loop
            "0\tx\t-1\t-2\t1.0,2.0",               // not a number
            "0\t0.5\t-1\t-2",                      // a field missing
        ] {
            assert!(Tree::parse(bad, 2).is_err(), "{bad}");
        }
    }
}
