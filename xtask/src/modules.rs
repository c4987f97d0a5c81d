//! `cargo xtask modules`: the module graph of every crate, and the cycles in it.
//!
//! A crate's modules should be layered one way (issue 14 §7): a module uses the ones below it,
//! never one above. This reads each crate's `src/` (no compiler, no dependency): every module
//! file, every `use` tree and every `crate::`/`super::`/`self::` path in its code (comments,
//! strings and `#[cfg(test)]` modules left out: tests may use the whole crate), and resolves
//! each path to the module it names, through the crate root's `pub use` re-exports.
//!
//! Nodes are compared among siblings: at every level, the children of one module, each with
//! its whole subtree folded in (`commands/*.rs` is one node beside `args.rs`). A use of an
//! ancestor (`super::Thing`) or of a descendant (a facade's `pub use`) is ownership, not an
//! edge. A cycle is a strongly connected component of two or more siblings.
//!
//! The crates in [`STRICT`] must have none; the others are reported only, until their own
//! layering lands (then add them there).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Crates whose module graph must stay acyclic: `cargo xtask modules` fails on a cycle in one.
pub(crate) const STRICT: &[&str] = &[
    "zbooks-alert",
    "zbooks-cli",
    "zbooks-client",
    "zbooks-gateway",
    "zbooks-deluge",
    "zbooks-import",
    "zbooks-logs",
    "zbooks-pg",
    "zbooks-sim",
    "zbooks-redis",
    "zbooks-store",
    "zbooks-tally",
    "zbooks-testkit",
    "zbooks-webhook",
    "zbooks-types",
    "xtask",
];

/// A module path below the crate root (`["send"]`, `["store", "memory"]`; the root is `[]`).
type ModPath = Vec<String>;

/// One crate's modules and the module-to-module uses found in their code.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Every module, with the file it lives in.
    pub(crate) modules: BTreeMap<ModPath, PathBuf>,
    /// (from, to): `from`'s code names something in `to`.
    pub(crate) uses: BTreeSet<(ModPath, ModPath)>,
}

/// Cycles among the siblings of one parent module.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// The parent (`""` for the crate root).
    pub(crate) parent: String,
    /// The siblings that reach each other.
    pub(crate) members: Vec<String>,
    /// The uses between them, `from -> to`.
    pub(crate) edges: Vec<String>,
}

/// Reads the crate whose sources are in `src` (its `lib.rs`, else its `main.rs`).
pub(crate) fn read_crate(src: &Path) -> Result<Graph, String> {
    let root = ["lib.rs", "main.rs"]
        .iter()
        .map(|f| src.join(f))
        .find(|p| p.exists())
        .ok_or_else(|| format!("{}: no lib.rs or main.rs", src.display()))?;
    let mut graph = Graph::default();
    let mut codes = BTreeMap::new();
    let mut pending = vec![(Vec::new(), root)];
    while let Some((path, file)) = pending.pop() {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("read {}: {e}", file.display()))?;
        let code = strip(&text);
        let (code, children) = split_modules(&code);
        // A non-mod.rs file's children live in the folder of its name.
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs" | "main.rs" | "mod.rs") => file.parent().map(Path::to_path_buf),
            _ => Some(file.with_extension("")),
        }
        .unwrap_or_default();
        for child in children {
            let mut child_path = path.clone();
            child_path.push(child.name.clone());
            match child.body {
                // An inline module: its code is its own node's.
                Some(body) => {
                    codes.insert(child_path.clone(), body);
                    graph.modules.insert(child_path, file.clone());
                }
                // A `#[path]` module is someone else's file (its text is stripped with the
                // strings here): not followed.
                None if child.path_attr.is_some() => {}
                None => {
                    let flat = dir.join(format!("{}.rs", child.name));
                    let nested = dir.join(&child.name).join("mod.rs");
                    let child_file = flat
                        .exists()
                        .then_some(flat)
                        .or_else(|| nested.exists().then_some(nested));
                    if let Some(child_file) = child_file {
                        pending.push((child_path, child_file));
                    }
                }
            }
        }
        codes.insert(path.clone(), code);
        graph.modules.insert(path, file);
    }
    let reexports = reexports(codes.get(&Vec::new()).map_or("", String::as_str), &graph);
    for (from, code) in &codes {
        for path in paths(code) {
            if let Some(to) = resolve(&graph, &reexports, from, &path)
                && &to != from
            {
                graph.uses.insert((from.clone(), to));
            }
        }
    }
    Ok(graph)
}

/// The cycles among the siblings of every module, parents first.
pub(crate) fn cycles(graph: &Graph) -> Vec<Cycle> {
    // Sibling edges: the uses lifted to the children of the two ends' closest common ancestor.
    let mut edges: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to) in &graph.uses {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        // One end inside the other: a use of an ancestor or a descendant is ownership.
        if common == from.len() || common == to.len() {
            continue;
        }
        edges
            .entry(from[..common].to_vec())
            .or_default()
            .insert((from[common].clone(), to[common].clone()));
    }
    let mut found = Vec::new();
    for (parent, edges) in &edges {
        for members in strongly_connected(edges) {
            let inside: Vec<String> = edges
                .iter()
                .filter(|(a, b)| members.contains(a) && members.contains(b))
                .map(|(a, b)| format!("{a} -> {b}"))
                .collect();
            found.push(Cycle {
                parent: parent.join("::"),
                members: members.into_iter().collect(),
                edges: inside,
            });
        }
    }
    found
}

/// The components of two or more nodes (Tarjan's algorithm, recursive: module graphs are small).
fn strongly_connected(edges: &BTreeSet<(String, String)>) -> Vec<BTreeSet<String>> {
    struct State<'a> {
        next: BTreeMap<&'a str, Vec<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.next.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        next: BTreeMap::new(),
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for (a, b) in edges {
        state.next.entry(a).or_default().push(b);
        state.next.entry(b).or_default();
    }
    let nodes: Vec<&str> = state.next.keys().copied().collect();
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// A `mod` item of a file: inline (with its body) or in a file of its own.
struct ModItem {
    name: String,
    body: Option<String>,
    path_attr: Option<String>,
}

/// Splits a file's stripped code into its own code and its `mod` items, leaving out every
/// `#[cfg(test)]` module (inline or in a file).
fn split_modules(code: &str) -> (String, Vec<ModItem>) {
    let bytes = code.as_bytes();
    let mut own = String::new();
    let mut items = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while let Some(at) = find_word(code, "mod", i) {
        i = at + 3;
        // Attributes right before the item (already stripped of comments).
        let before = code[..at].trim_end();
        let before = before
            .strip_suffix("pub(crate)")
            .or_else(|| before.strip_suffix("pub(super)"))
            .or_else(|| before.strip_suffix("pub"))
            .unwrap_or(before)
            .trim_end();
        // Only items: `mod` at the start of a statement.
        if !(before.is_empty() || before.ends_with([';', '{', '}', ']'])) {
            continue;
        }
        let attrs = trailing_attributes(before);
        let rest = &code[i..];
        let name_len = rest
            .trim_start()
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
        let skip = rest.len() - rest.trim_start().len();
        let name = rest.trim_start()[..name_len].to_owned();
        let after = &rest[skip + name_len..].trim_start();
        let test_only = attrs.iter().any(|a| a.replace(' ', "") == "#[cfg(test)]");
        let path_attr = attrs.iter().find_map(|a| {
            let inner = a.strip_prefix("#[path")?.trim_start().strip_prefix('=')?;
            Some(
                inner
                    .trim()
                    .trim_end_matches(']')
                    .trim()
                    .trim_matches('"')
                    .to_owned(),
            )
        });
        if name.is_empty() {
            continue;
        }
        let body_start = code.len() - after.len();
        if after.starts_with(';') {
            if !test_only {
                items.push(ModItem {
                    name,
                    body: None,
                    path_attr,
                });
            }
            continue;
        }
        if !after.starts_with('{') {
            continue;
        }
        // The block's end.
        let mut depth = 0usize;
        let mut end = body_start;
        for (k, &b) in bytes.iter().enumerate().skip(body_start) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        // Cut the module (its attributes stay in the parent's code: harmless) from its parent.
        own.push_str(&code[copied..at]);
        copied = end;
        i = end;
        if !test_only {
            items.push(ModItem {
                name,
                body: Some(code[body_start + 1..end.saturating_sub(1)].to_owned()),
                path_attr: None,
            });
        }
    }
    own.push_str(&code[copied..]);
    (own, items)
}

/// The `#[...]` attributes that end `before`, last first.
fn trailing_attributes(before: &str) -> Vec<String> {
    let mut attrs = Vec::new();
    let mut rest = before.trim_end();
    while rest.ends_with(']') {
        let mut depth = 0usize;
        let mut start = None;
        for (k, c) in rest.char_indices().rev() {
            match c {
                ']' => depth += 1,
                '[' => {
                    depth -= 1;
                    if depth == 0 {
                        start = Some(k);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(open) = start else { break };
        let Some(hash) = rest[..open].trim_end().strip_suffix('#') else {
            break;
        };
        attrs.push(format!("#{}", &rest[open..]));
        rest = hash.trim_end();
    }
    attrs
}

/// The next occurrence of `word` as a whole identifier at or after `from`.
fn find_word(code: &str, word: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = code.get(at..)?.find(word) {
        let start = at + found;
        let end = start + word.len();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let before_ok = code[..start].chars().next_back().is_none_or(|c| !ident(c));
        let after_ok = code[end..].chars().next().is_none_or(|c| !ident(c));
        if before_ok && after_ok {
            return Some(start);
        }
        at = end;
    }
    None
}

/// Code without comments, strings and character literals (each replaced by a space).
pub(crate) fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
            continue;
        }
        let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        // Raw strings: r"..", r#".."#, br#".."#.
        if (c == 'r' || (c == 'b' && at(i + 1) == 'r')) && !prev_ident {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let mut k = start;
            while at(k) == '#' {
                k += 1;
            }
            if at(k) == '"' {
                let hashes = k - start;
                k += 1;
                while k < chars.len() {
                    if chars[k] == '"' && (0..hashes).all(|h| at(k + 1 + h) == '#') {
                        k += 1 + hashes;
                        break;
                    }
                    k += 1;
                }
                out.push(' ');
                i = k;
                continue;
            }
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(' ');
            continue;
        }
        if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), not a lifetime ('a).
            if at(i + 1) == '\\' {
                let mut k = i + 2;
                while k < chars.len() && chars[k] != '\'' {
                    k += 1;
                }
                i = k + 1;
                out.push(' ');
                continue;
            }
            if at(i + 2) == '\'' {
                i += 3;
                out.push(' ');
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Every module path the code names: each leaf of its `use` trees, and each path starting
/// with `crate`, `super` or `self` elsewhere.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = find_word(code, "use", i) {
        let end = code[at..].find(';').map_or(code.len(), |e| at + e);
        use_tree(code[at + 3..end].trim(), &[], &mut found);
        i = end;
    }
    // Paths in expressions and types: `crate::a::b`, `super::x`, `self::y`.
    let tokens = path_tokens(code);
    for path in tokens {
        if matches!(path[0].as_str(), "crate" | "super" | "self") && path.len() > 1 {
            found.push(path);
        }
    }
    found
}

/// Every run of identifiers joined by `::` in the code.
fn path_tokens(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i <= chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            i += 1;
            continue;
        }
        if !word.is_empty() {
            current.push(std::mem::take(&mut word));
        }
        if c == ':' && chars.get(i + 1) == Some(&':') && !current.is_empty() {
            i += 2;
            // `a :: b` with spaces is rare; whitespace ends the path.
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        i += 1;
    }
    out
}

/// The leaves of a `use` tree (`crate::{a::X, b::{Y, Z}}`), each as a full path.
fn use_tree(tree: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let mut base = prefix.to_vec();
        base.extend(segments(tree[..open].trim_end_matches("::")));
        let close = tree.rfind('}').unwrap_or(tree.len());
        for part in split_top(&tree[open + 1..close]) {
            use_tree(part, &base, out);
        }
        return;
    }
    let tree = tree.split(" as ").next().unwrap_or(tree);
    let mut path = prefix.to_vec();
    path.extend(segments(tree));
    if !path.is_empty() {
        out.push(path);
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "*")
        .map(str::to_owned)
        .collect()
}

/// Splits a use group's items at its top-level commas.
fn split_top(group: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (k, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&group[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The root's `pub use` re-exports: a name the root exports, and the module it comes from.
fn reexports(root_code: &str, graph: &Graph) -> BTreeMap<String, ModPath> {
    let mut names = BTreeMap::new();
    let mut i = 0;
    while let Some(at) = find_word(root_code, "use", i) {
        let end = root_code[at..]
            .find(';')
            .map_or(root_code.len(), |e| at + e);
        let exported = root_code[..at].trim_end().ends_with("pub");
        i = end;
        if !exported {
            continue;
        }
        let mut leaves = Vec::new();
        use_tree(root_code[at + 3..end].trim(), &[], &mut leaves);
        for leaf in leaves {
            let Some(name) = leaf.last().cloned() else {
                continue;
            };
            let leaf: Vec<String> = leaf
                .into_iter()
                .skip_while(|s| s == "crate" || s == "self")
                .collect();
            if let Some(module) = longest_module(graph, &leaf)
                && !module.is_empty()
            {
                names.insert(name, module);
            }
        }
    }
    names
}

/// The longest prefix of `path` that is a module of the crate.
fn longest_module(graph: &Graph, path: &[String]) -> Option<ModPath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| graph.modules.contains_key(p))
}

/// The module a path written in module `from` names, if it is one of the crate's.
fn resolve(
    graph: &Graph,
    reexports: &BTreeMap<String, ModPath>,
    from: &[String],
    path: &[String],
) -> Option<ModPath> {
    let mut base: Vec<String>;
    let mut rest = path;
    match path.first()?.as_str() {
        "crate" => {
            base = Vec::new();
            rest = &path[1..];
        }
        "self" => {
            base = from.to_vec();
            rest = &path[1..];
        }
        "super" => {
            base = from.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        // A bare path names a child module of `from` only if one is called so (else an
        // external crate or a local name).
        first => {
            let mut child = from.to_vec();
            child.push(first.to_owned());
            if !graph.modules.contains_key(&child) {
                return None;
            }
            base = from.to_vec();
        }
    }
    base.extend(rest.iter().cloned());
    let module = longest_module(graph, &base)?;
    if module.is_empty()
        && let Some(name) = base.first()
        && let Some(target) = reexports.get(name)
    {
        return Some(target.clone());
    }
    Some(module)
}

/// The report for every crate under `crates/`, and whether a strict crate has a cycle.
pub(crate) fn report(root: &Path) -> Result<(String, bool), String> {
    let mut out = String::new();
    let mut failed = false;
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .map_err(|e| format!("read crates/: {e}"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("src").is_dir())
        .collect();
    crates.push(root.join("xtask"));
    crates.sort();
    for dir in crates {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let graph = read_crate(&dir.join("src"))?;
        let found = cycles(&graph);
        let strict = STRICT.contains(&name.as_str());
        let _ = writeln!(
            out,
            "{name}: {} modules, {} uses, {} {}{}",
            graph.modules.len(),
            graph.uses.len(),
            found.len(),
            if found.len() == 1 { "cycle" } else { "cycles" },
            if strict { " (strict)" } else { "" }
        );
        for cycle in &found {
            let parent = if cycle.parent.is_empty() {
                "crate root".to_owned()
            } else {
                cycle.parent.clone()
            };
            let _ = writeln!(
                out,
                "  in {parent}: {} ({})",
                cycle.members.join(" <-> "),
                cycle.edges.join(", ")
            );
        }
        failed |= strict && !found.is_empty();
    }
    Ok((out, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_of(files: &[(&str, &str)]) -> Graph {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-modules-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let graph = read_crate(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        graph
    }

    #[test]
    fn finds_a_cycle_through_use_trees_paths_and_reexports_but_not_in_tests_or_comments() {
        let graph = graph_of(&[
            (
                "lib.rs",
                "mod a;\nmod b;\nmod c;\nmod d;\npub use c::Thing;\n/// crate::d::X in a doc\nfn f() {}\n",
            ),
            ("a.rs", "use crate::{b::{X, Y as Z}, d};\n"),
            ("b.rs", "fn g() { crate::Thing::new(); }\n"),
            (
                "c.rs",
                "use super::a::W;\nlet s = \"crate::d::Q\";\n#[cfg(test)]\nmod tests { use crate::d::T; }\n",
            ),
            (
                "d.rs",
                "// use crate::a;\nfn h<'a>(x: &'a str) -> char { 'x' }\n",
            ),
        ]);
        let found = cycles(&graph);
        assert_eq!(
            found,
            vec![Cycle {
                parent: String::new(),
                members: vec!["a".into(), "b".into(), "c".into()],
                edges: vec!["a -> b".into(), "b -> c".into(), "c -> a".into()],
            }]
        );
        assert!(graph.uses.contains(&(vec!["a".into()], vec!["d".into()])));
        assert!(
            !graph
                .uses
                .iter()
                .any(|(from, _)| from == &vec!["d".to_owned()])
        );
    }

    #[test]
    fn children_fold_into_their_parent_and_ownership_is_not_a_cycle() {
        let graph = graph_of(&[
            ("lib.rs", "mod store;\nmod send;\n"),
            (
                "store.rs",
                "mod memory;\npub use memory::Memory;\npub trait Store {}\n",
            ),
            (
                "store/memory.rs",
                "use super::Store;\nuse crate::send::X;\n",
            ),
            ("send.rs", "use crate::store::Store;\n"),
        ]);
        let found = cycles(&graph);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members, vec!["send", "store"]);
        let acyclic = graph_of(&[
            ("lib.rs", "mod store;\nmod send;\n"),
            (
                "store/mod.rs",
                "mod memory;\npub use self::memory::Memory;\npub trait Store {}\n",
            ),
            ("store/memory.rs", "use super::Store;\n"),
            ("send.rs", "use crate::store::Store;\n"),
        ]);
        assert_eq!(cycles(&acyclic), Vec::new());
    }

    /// The crates named strict have no cycle among their modules.
    #[test]
    fn strict_crates_have_no_module_cycle() {
        let root = crate::workspace_root();
        for name in STRICT {
            let dir = if *name == "xtask" {
                root.join("xtask")
            } else {
                root.join("crates").join(name)
            };
            let graph = read_crate(&dir.join("src")).unwrap();
            assert!(!graph.modules.is_empty(), "{name}: no modules read");
            assert_eq!(cycles(&graph), Vec::new(), "{name}");
        }
    }
}
