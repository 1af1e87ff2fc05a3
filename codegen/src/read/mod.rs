//! Reads a YAML or JSON spec into a JSON value and remembers the line of every node.

pub mod openapi;
pub mod walk;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Number, Value};
use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token, unescape_pointer_token};

/// How deeply a document may nest before the loader refuses it.
///
/// Real OpenAPI documents stay far below this; the limit keeps a hostile or
/// machine-made document from exhausting the stack later in serde or typify.
pub const MAX_DEPTH: usize = 96;

/// How many nodes YAML aliases (`*name`, and `<<: *name` merges) may add to a document, in all.
///
/// An alias copies the node its anchor names, so a few lines that alias aliases of aliases
/// can stand for billions of nodes (an "alias bomb"). Each copy is counted before it is made,
/// and the document is refused at the alias that would pass this budget. A hand-written spec that
/// shares parameters or schemas through anchors stays far below it.
pub const MAX_ALIAS_NODES: usize = 250_000;

/// The key that merges a mapping into the one that holds it (`<<: *base`).
const MERGE_KEY: &str = "<<";

/// A loaded spec: its JSON value and where each node sits in the file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in messages.
    pub file: String,
    /// The document as JSON.
    pub value: Value,
    lines: Lines,
}

/// Where each node of a document sits in its file.
///
/// Lines are needed only when something is wrong, and recording one per node (a pointer string
/// and a map entry each) cost as much as reading the YAML. So the map is made on the first
/// question, by reading the text again with the same builder, recording this time; the rewrites
/// that moved nodes since ([`Document::copy_lines`]) are then applied in their order.
#[derive(Debug, Clone)]
struct Lines {
    /// The text as it was read (without a byte order mark).
    source: Arc<str>,
    /// The moves [`Document::copy_lines`] was given before the map was made, call by call.
    moves: Vec<Vec<(String, String)>>,
    map: OnceLock<HashMap<String, usize>>,
}

impl Lines {
    fn map(&self) -> &HashMap<String, usize> {
        self.map.get_or_init(|| {
            let mut builder = Builder::new(true);
            // The text was read once already, so this reading succeeds the same way.
            let _ = Parser::new_from_str(&self.source).load(&mut builder, true);
            let mut map = builder.lines.unwrap_or_default();
            for moves in &self.moves {
                copy_lines(&mut map, moves);
            }
            map
        })
    }
}

impl crate::diagnostic::Locate for Document {
    fn file(&self) -> &str {
        &self.file
    }

    fn line_of(&self, pointer: &str) -> Option<usize> {
        Document::line_of(self, pointer)
    }
}

impl Document {
    /// The 1-based line of the node at `pointer`, or of its nearest known ancestor.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.map();
        let mut current = pointer;
        loop {
            if let Some(line) = lines.get(current) {
                return Some(*line);
            }
            let (parent, _) = current.rsplit_once('/')?;
            current = parent;
        }
    }

    /// Gives the nodes a rewrite moved the lines of where they were written: for each pair
    /// (written at, now at), every node under `written at` lends its line to the same node under
    /// `now at`, so that a message about the moved node names the line the author wrote. One
    /// pass over the line map, whatever the number of moves.
    pub fn copy_lines(&mut self, moves: &[(String, String)]) {
        if moves.is_empty() {
            return;
        }
        match self.lines.map.get_mut() {
            Some(map) => copy_lines(map, moves),
            // One call's moves are applied together, as one pass, when the map is made.
            None => self.lines.moves.push(moves.to_vec()),
        }
    }

    /// The node at `pointer`, if there is one.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }
}

/// [`Document::copy_lines`] on a line map.
fn copy_lines(lines: &mut HashMap<String, usize>, moves: &[(String, String)]) {
    let mut targets: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in moves {
        targets.entry(from.as_str()).or_default().push(to.as_str());
    }
    let mut copies = Vec::new();
    for (pointer, line) in lines.iter() {
        // Every prefix of the pointer that ends at a token's end, the pointer itself first.
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(tos) = targets.get(prefix) {
                for to in tos {
                    copies.push((format!("{to}{}", &pointer[end..]), *line, end == pointer.len()));
                }
            }
            match prefix.rfind('/') {
                Some(at) => end = at,
                None => break,
            }
        }
    }
    for (pointer, line, whole) in copies {
        // A node that is already there (the `$ref` that was replaced) keeps its own line.
        if whole {
            lines.entry(pointer).or_insert(line);
        } else {
            lines.insert(pointer, line);
        }
    }
}

/// Loads `bytes` (YAML, or JSON, which is YAML too) read from `file`.
pub fn load(file: &str, bytes: &[u8]) -> Result<Document, Diagnostics> {
    load_one(file, bytes).map_err(Diagnostics::from)
}

// A diagnostic is large, but it is built once, on the failure path only.
#[allow(clippy::result_large_err)]
fn load_one(file: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let located = |line: usize, column: usize, message: String, help: &str| Diagnostic {
        file: file.to_owned(),
        line: Some(line),
        column: Some(column),
        pointer: None,
        message,
        help: help.to_owned(),
    };
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = 1 + valid.iter().filter(|byte| **byte == b'\n').count();
        let line_start = valid.iter().rposition(|byte| *byte == b'\n').map_or(0, |at| at + 1);
        let column = 1 + String::from_utf8_lossy(&valid[line_start..]).chars().count();
        located(
            line,
            column,
            format!("the file is not valid UTF-8 (byte {})", error.valid_up_to()),
            "save the spec as UTF-8",
        )
    })?;
    // A byte order mark is allowed at the start of a YAML or JSON file; it is not part of a key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic {
            file: file.to_owned(),
            line: Some(1),
            column: None,
            pointer: None,
            message: "the file is empty".to_owned(),
            help: "write an OpenAPI 3.0.3 document into it".to_owned(),
        });
    }

    if let Some(value) = read_in_parts(text, READ_IN_PARTS_FROM) {
        let lines = Lines { source: Arc::from(text), moves: Vec::new(), map: OnceLock::new() };
        return Ok(Document { file: file.to_owned(), value, lines });
    }
    let mut builder = Builder::new(false);
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, true) {
        let marker = error.marker();
        if error.info().contains("recursion limit") {
            return Err(located(
                marker.line(),
                marker.col() + 1,
                "the document nests too deeply for the YAML parser".to_owned(),
                "flatten the schema by moving nested parts into components/schemas and using $ref",
            ));
        }
        return Err(located(
            marker.line(),
            marker.col() + 1,
            format!("the file is not valid YAML or JSON: {}", error.info()),
            "fix the syntax at that line",
        ));
    }
    if let Some(problem) = builder.problem {
        return Err(located(problem.line, problem.column, problem.message, &problem.help));
    }
    let Some(value) = builder.root else {
        return Err(Diagnostic {
            file: file.to_owned(),
            line: Some(1),
            column: None,
            pointer: None,
            message: "the file holds no document".to_owned(),
            help: "write an OpenAPI 3.0.3 document into it".to_owned(),
        });
    };
    let lines = Lines { source: Arc::from(text), moves: Vec::new(), map: OnceLock::new() };
    Ok(Document { file: file.to_owned(), value, lines })
}

/// From this many bytes on, a document is read in parts on two threads ([`read_in_parts`]).
const READ_IN_PARTS_FROM: usize = crate::parallel::LARGE_INPUT;

/// Reads a large block-style document in two parts, on two threads, when its layout lets it be
/// cut safely; `None` otherwise, and whenever either part is not read cleanly, so that the whole
/// text is then read in one go, and any error is reported as that reading finds it.
///
/// The cut is a line near the middle that is a key of a block mapping (`    name:`); the first
/// part is the text before it. The rest is read as one fragment per level it climbs back up
/// (the rest of that mapping, the rest of its parent, ... the rest of the root), each put back
/// into the mapping it continues. The cut is only made where the lines above show plainly whose
/// key it is: every mapping around it is opened by a `key:` line with nothing after the colon,
/// and every line at the level of the cut (or of an enclosing mapping's keys) is a key. Anything
/// that could run across the cut (a quoted or flow scalar, a block scalar) either ends before
/// such a line or leaves the first part unreadable; YAML anchors cannot cross it (an alias to an
/// anchor in the other part does not read), and merge keys, document markers, directives and
/// carriage returns are left to the whole reading. A key that the two parts both hold is too.
fn read_in_parts(text: &str, from: usize) -> Option<Value> {
    if text.len() < from || crate::parallel::cores() < 2 {
        return None;
    }
    let cut = likely_cut(text)?;
    // The first part is read while the rest is checked and read.
    let (first, rest) = crate::parallel::both(
        true,
        || read_part(&text[..cut], 0),
        || {
            let left_to_the_whole_reading = text.contains(['\r', '\t'])
                || text.contains("<<")
                || text.lines().any(|line| ["---", "...", "%"].iter().any(|mark| line.starts_with(mark)));
            if left_to_the_whole_reading {
                return None;
            }
            let lines = Line::all(text);
            let outline = Outline::of(&lines);
            let at = lines.iter().position(|line| line.start == cut)?;
            let spine = outline.spine(&lines, at)?;
            read_rest(text, &lines, at, &spine).map(|parts| (spine, parts))
        },
    );
    merge(first?, rest?)
}

/// Where [`read_in_parts`] tries to cut `text`: the start of the first line, from a little past
/// the middle (the part after the cut also finds the document's outline), that is a key and
/// follows a line at least as deep. Whether the cut is sound is checked after ([`Outline::spine`]).
fn likely_cut(text: &str) -> Option<usize> {
    let from = text.len() / 20 * 11;
    let mut start = from + text.get(from..)?.find('\n')? + 1;
    let mut previous_indent = None;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
        let line = &text[start..end];
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if !content.is_empty() && !content.starts_with('#') {
            if previous_indent.is_some_and(|previous| previous >= indent) && key_of(content).is_some() {
                return Some(start);
            }
            previous_indent = Some(indent);
        }
        start = end + 1;
    }
    None
}

/// A part read on its own: its value and the nodes its aliases added.
type Part = (Value, usize);

/// The mappings around a cut, outermost first: the indentation and key of the line opening each.
type Spine<'a> = Vec<(usize, &'a str)>;

/// The fragments after a cut, each with how many of the spine's mappings hold it.
type Fragments = Vec<(usize, Part)>;

/// [`read_in_parts`] with the cut at line `cut`, on one thread; for tests.
#[cfg(test)]
fn read_cut_at(text: &str, lines: &[Line<'_>], outline: &Outline, cut: usize) -> Option<Value> {
    let spine = outline.spine(lines, cut)?;
    let first = read_part(&text[..lines[cut].start], 0)?;
    let rest = read_rest(text, lines, cut, &spine)?;
    merge(first, (spine, rest))
}

/// The part of the document from line `cut` on, read as one fragment per level it climbs back up
/// (the rest of the mapping the cut is in, then of each one around it), each with how many of
/// the `spine`'s mappings hold it.
fn read_rest(text: &str, lines: &[Line<'_>], cut: usize, spine: &[(usize, &str)]) -> Option<Fragments> {
    let mut fragments = vec![(spine.len(), lines[cut].start)];
    let mut level = lines[cut].indent;
    for line in &lines[cut + 1..] {
        if line.is_blank() || line.indent >= level {
            continue;
        }
        let depth = spine.iter().position(|(indent, _)| *indent == line.indent)?;
        key_of(line.text)?;
        fragments.push((depth, line.start));
        level = line.indent;
    }
    let ends = fragments.iter().skip(1).map(|(_, start)| *start).chain([text.len()]);
    fragments
        .iter()
        .zip(ends)
        .map(|((depth, start), end)| read_part(&text[*start..end], *depth).map(|part| (*depth, part)))
        .collect()
}

/// The first part with the fragments of the rest put back where they continue; `None` when a
/// fragment's place is not a mapping or already has one of its keys.
fn merge((mut value, mut expanded): Part, (spine, rest): (Spine<'_>, Fragments)) -> Option<Value> {
    for (depth, (part, part_expanded)) in rest {
        expanded = expanded.saturating_add(part_expanded);
        let mut target = &mut value;
        for (_, key) in &spine[..depth] {
            target = target.as_object_mut()?.get_mut(*key)?;
        }
        let target = target.as_object_mut()?;
        let Value::Object(entries) = part else { return None };
        for (key, entry) in entries {
            if target.contains_key(&key) {
                return None;
            }
            target.insert(key, entry);
        }
    }
    (expanded <= MAX_ALIAS_NODES).then_some(value)
}

/// Reads one part of a document, `depth` collections deep in it: its value and the nodes its
/// aliases added, or `None` if it does not read cleanly.
fn read_part(text: &str, depth: usize) -> Option<Part> {
    let mut builder = Builder::new(false);
    builder.base_depth = depth;
    Parser::new_from_str(text).load(&mut builder, true).ok()?;
    if builder.problem.is_some() || builder.documents != 1 {
        return None;
    }
    Some((builder.root?, builder.expanded))
}

/// One line of a document, for finding where to cut it.
struct Line<'a> {
    /// Where it starts in the text.
    start: usize,
    /// Its leading spaces.
    indent: usize,
    /// What follows them, without the line break.
    text: &'a str,
}

impl<'a> Line<'a> {
    fn all(text: &'a str) -> Vec<Self> {
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let indent = content.len() - content.trim_start_matches(' ').len();
            lines.push(Line { start, indent, text: &content[indent..] });
            start += line.len();
        }
        lines
    }

    /// Empty, or only a comment: it says nothing about structure.
    fn is_blank(&self) -> bool {
        self.text.is_empty() || self.text.starts_with('#')
    }
}

/// The block structure of a document's lines, read from their indentation in one pass: for each
/// line, the line that opens what it is in, and whether it and every line before it in that
/// same parent are keys.
struct Outline {
    parent: Vec<Option<usize>>,
    keys_so_far: Vec<bool>,
    /// Whether a line comes after another in the same parent.
    has_sibling_before: Vec<bool>,
}

impl Outline {
    fn of(lines: &[Line<'_>]) -> Self {
        let mut parent = vec![None; lines.len()];
        let mut keys_so_far = vec![false; lines.len()];
        let mut has_sibling_before = vec![false; lines.len()];
        // The open lines, with the indentation of their first child and whether their children
        // so far are all keys at that indentation (the root first).
        let mut open: Vec<(usize, Option<usize>, bool)> = Vec::new();
        let mut root_keys = true;
        let mut seen_root = false;
        for (index, line) in lines.iter().enumerate() {
            if line.is_blank() {
                continue;
            }
            while open.last().is_some_and(|(opener, _, _)| lines[*opener].indent >= line.indent) {
                open.pop();
            }
            let is_key = key_of(line.text).is_some();
            let so_far = match open.last_mut() {
                Some((opener, first_indent, children_are_keys)) => {
                    parent[index] = Some(*opener);
                    has_sibling_before[index] = first_indent.is_some();
                    let indent = *first_indent.get_or_insert(line.indent);
                    *children_are_keys &= is_key && indent == line.indent;
                    *children_are_keys
                }
                None => {
                    has_sibling_before[index] = seen_root;
                    seen_root = true;
                    root_keys &= is_key && line.indent == 0;
                    root_keys
                }
            };
            keys_so_far[index] = so_far;
            open.push((index, None, true));
        }
        Self { parent, keys_so_far, has_sibling_before }
    }

    /// The mappings around the key at line `at`, outermost first: the indentation and key of each
    /// `key:` line that opens one. `None` unless the line is a key and the lines above it show
    /// plainly that it is one of that mapping's keys: each line that opens a mapping around it is a
    /// `key:` with nothing after the colon, and every line before it at each level is a key too.
    fn spine<'a>(&self, lines: &[Line<'a>], at: usize) -> Option<Spine<'a>> {
        // The first key of a mapping would leave the part before the cut with a key without a value.
        if lines[at].is_blank() || !self.keys_so_far[at] || !self.has_sibling_before[at] {
            return None;
        }
        let mut spine = Vec::new();
        let mut child = at;
        while let Some(opener) = self.parent[child] {
            let (key, rest) = key_of(lines[opener].text)?;
            if !rest.is_empty() || !self.keys_so_far[opener] {
                return None;
            }
            spine.push((lines[opener].indent, key));
            child = opener;
        }
        if lines[child].indent != 0 {
            return None;
        }
        spine.reverse();
        Some(spine)
    }
}

/// A line's plain key and what follows its colon (without a comment), or `None` if the line is
/// not `key:` or `key: value` with a plain key: a sequence entry, a quoted or complex key, flow
/// content or a scalar's continuation.
fn key_of(text: &str) -> Option<(&str, &str)> {
    let first = text.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return None;
    }
    let colon = text.match_indices(':').map(|(at, _)| at).find(|&at| {
        let after = &text[at + 1..];
        after.is_empty() || after.starts_with(' ')
    })?;
    let key = &text[..colon];
    if key.ends_with(' ') || key.contains(" #") {
        return None;
    }
    let rest = text[colon + 1..].trim_start();
    Some((key, if rest.starts_with('#') { "" } else { rest }))
}

struct Problem {
    line: usize,
    column: usize,
    message: String,
    help: String,
}

/// The size of a finished node: the nodes in it (itself included), and how many collections deep
/// it is (0 for a scalar).
#[derive(Clone, Copy)]
struct Shape {
    nodes: usize,
    height: usize,
}

/// A collection being read. Its pointer is not kept: it is made from the stack when a message,
/// an anchor or the line map needs it ([`Builder::pointer_through`]).
struct Frame {
    anchor: usize,
    /// The nodes and the height of the children so far.
    inner: Shape,
    /// This collection is, or is inside, the value of a `<<` merge key, whose nodes do not stay
    /// at the pointers they were read at.
    in_merge: bool,
    kind: Kind,
}

/// Where to find the node an anchor names.
enum Anchored {
    /// At this pointer of the document being built: a finished node does not move or change,
    /// so it is copied only when an alias asks for it.
    At(String),
    /// A copy, for a node inside the value of a merge key (its keys may be dropped or overridden
    /// as they are merged), and for an anchored key.
    Copy(Value),
}

enum Kind {
    Sequence {
        items: Vec<Value>,
    },
    Mapping {
        map: Map<String, Value>,
        key: Option<String>,
        /// The value being read is the one of a `<<` merge key.
        merging: bool,
        /// Keys a merge brought in, which a key written in the mapping itself may override.
        merged: HashSet<String>,
    },
}

/// Builds a JSON value from YAML events without recursion, so depth is bounded by [`MAX_DEPTH`] alone.
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    /// The line of every node, when recording (see [`Lines`]).
    lines: Option<HashMap<String, usize>>,
    problem: Option<Problem>,
    /// The finished nodes that anchors name, by anchor id.
    anchors: HashMap<usize, (Anchored, Shape)>,
    /// The nodes aliases have added so far.
    expanded: usize,
    /// How many collections enclose what this builder reads: none for a whole document; for a
    /// part read on its own ([`read_in_parts`]), those of the document around it.
    base_depth: usize,
}

impl Builder {
    fn new(record_lines: bool) -> Self {
        Self {
            stack: Vec::new(),
            root: None,
            documents: 0,
            lines: record_lines.then(HashMap::new),
            problem: None,
            anchors: HashMap::new(),
            expanded: 0,
            base_depth: 0,
        }
    }

    fn fail(&mut self, mark: Marker, message: String, help: &str) {
        if self.problem.is_none() {
            self.problem = Some(Problem { line: mark.line(), column: mark.col() + 1, message, help: help.to_owned() });
        }
    }

    /// Whether the node that starts now is a mapping key.
    fn at_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { kind: Kind::Mapping { key: None, merging: false, .. }, .. }))
    }

    /// The pointer of the child being read inside the first `frames` open collections: each adds
    /// the token of the child it is reading (a merge value adds none: it lands in its mapping).
    /// `pointer_through(i)` is the pointer of the collection `stack[i]`.
    fn pointer_through(&self, frames: usize) -> String {
        let mut pointer = String::new();
        for frame in &self.stack[..frames] {
            match &frame.kind {
                Kind::Sequence { items } => {
                    let _ = write!(pointer, "/{}", items.len());
                }
                Kind::Mapping { key: Some(key), merging: false, .. } => {
                    pointer.push('/');
                    pointer.push_str(&escape_pointer_token(key));
                }
                Kind::Mapping { .. } => {}
            }
        }
        pointer
    }

    /// The pointer of the node that starts now, or `None` when it is a mapping key.
    fn next_pointer(&self) -> Option<String> {
        (!self.at_key()).then(|| self.pointer_through(self.stack.len()))
    }

    /// Records the line of the node at the pointer `pointer` makes, keeping an earlier one
    /// (`replace`: replacing it); nothing when not recording.
    fn record_line(&mut self, pointer: impl FnOnce(&Self) -> String, line: usize, replace: bool) {
        if self.lines.is_none() {
            return;
        }
        let pointer = pointer(self);
        if let Some(lines) = &mut self.lines {
            if replace {
                lines.insert(pointer, line);
            } else {
                lines.entry(pointer).or_insert(line);
            }
        }
    }

    /// Whether the node that starts now is, or is inside, the value of a merge key.
    fn in_merge(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|frame| frame.in_merge || matches!(frame.kind, Kind::Mapping { merging: true, .. }))
    }

    /// The finished node at `pointer`: in the root once the document is read, else in the
    /// deepest open collection the pointer runs through.
    fn node_at(&self, pointer: &str) -> Option<&Value> {
        if let Some(root) = &self.root {
            return root.pointer(pointer);
        }
        // A merge value's collection shares the pointer of the mapping it merges into, but no
        // node found by pointer is inside one (those anchors hold copies).
        for (index, frame) in self.stack.iter().enumerate().rev().filter(|(_, frame)| !frame.in_merge) {
            let frame_pointer = self.pointer_through(index);
            let Some(rest) = pointer.strip_prefix(frame_pointer.as_str()) else { continue };
            let Some(rest) = rest.strip_prefix('/') else { continue };
            let (first, below) = rest.split_once('/').map_or((rest, ""), |(first, below)| (first, below));
            let child = match &frame.kind {
                Kind::Sequence { items } => items.get(first.parse::<usize>().ok()?)?,
                Kind::Mapping { map, .. } => map.get(&unescape_pointer_token(first))?,
            };
            return if below.is_empty() { Some(child) } else { child.pointer(&format!("/{below}")) };
        }
        None
    }

    /// Hands a finished node to its parent, and remembers it when an anchor names it.
    fn finish_node(&mut self, value: Value, shape: Shape, anchor: usize, mark: Marker) {
        if anchor != 0 {
            // Copying every anchored node as it ends would let anchors nested in one another
            // multiply a large document by its depth, with no alias at all.
            let anchored = if self.in_merge() {
                Anchored::Copy(value.clone())
            } else {
                Anchored::At(self.next_pointer().unwrap_or_default())
            };
            self.anchors.insert(anchor, (anchored, shape));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        frame.inner.nodes = frame.inner.nodes.saturating_add(shape.nodes);
        frame.inner.height = frame.inner.height.max(shape.height);
        match &mut frame.kind {
            Kind::Sequence { items } => items.push(value),
            Kind::Mapping { merging: merging @ true, .. } => {
                *merging = false;
                self.merge(value, mark);
            }
            Kind::Mapping { map, key, .. } => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
        }
    }

    /// Merges the value of a `<<` key into the mapping being read.
    fn merge(&mut self, value: Value, mark: Marker) {
        let mapping = self.stack.len() - 1;
        let sources = match value {
            Value::Object(source) => vec![source],
            Value::Array(list) if list.iter().all(Value::is_object) => list
                .into_iter()
                .filter_map(|item| match item {
                    Value::Object(source) => Some(source),
                    _ => None,
                })
                .collect(),
            _ => {
                let at = shorten(&self.pointer_through(mapping));
                self.problem.get_or_insert(Problem {
                    line: mark.line(),
                    column: mark.col() + 1,
                    message: format!("the merge key << takes a mapping or a list of mappings (at {at})"),
                    help: "write `<<: *name` where the anchor &name is on a mapping".to_owned(),
                });
                return;
            }
        };
        let pointer = self.lines.is_some().then(|| self.pointer_through(mapping));
        let Some(Frame { kind: Kind::Mapping { map, merged, .. }, .. }) = self.stack.last_mut() else { return };
        // The first source to name a key wins, and keys written in the mapping itself win
        // over all of them (YAML's merge key).
        for source in sources {
            for (key, child) in source {
                if !map.contains_key(&key) {
                    if let (Some(lines), Some(pointer)) = (&mut self.lines, &pointer) {
                        lines.entry(format!("{pointer}/{}", escape_pointer_token(&key))).or_insert(mark.line());
                    }
                    merged.insert(key.clone());
                    map.insert(key, child);
                }
            }
        }
    }

    /// Copies the node an alias names into the place the alias stands.
    fn alias(&mut self, anchor: usize, mark: Marker) {
        if self.at_key() {
            self.fail(mark, "a mapping key is a YAML alias".to_owned(), "write the key out as a plain string");
            return;
        }
        let at = |builder: &Self| shorten(&builder.pointer_through(builder.stack.len()));
        let found = self.anchors.get(&anchor).and_then(|(anchored, shape)| {
            let value = match anchored {
                Anchored::At(pointer) => self.node_at(pointer)?,
                Anchored::Copy(value) => value,
            };
            Some((value, *shape))
        });
        let Some((value, shape)) = found else {
            let message = format!(
                "the YAML alias stands inside the node its anchor names (at {}), so it would never end",
                at(self)
            );
            self.fail(mark, message, "point the alias at a node outside it, or share the recursive part with a $ref");
            return;
        };
        let value = value.clone();
        self.expanded = self.expanded.saturating_add(shape.nodes);
        if self.expanded > MAX_ALIAS_NODES {
            let message = format!(
                "YAML aliases expand the document by more than {MAX_ALIAS_NODES} nodes at this alias (at {}): \
                 aliases of aliases multiply",
                at(self)
            );
            self.fail(mark, message, "alias fewer nested aliases, or share the repeated part once with a $ref");
            return;
        }
        if self.base_depth + self.stack.len() + shape.height > MAX_DEPTH {
            let message =
                format!("the YAML alias makes the document nest deeper than {MAX_DEPTH} levels (at {})", at(self));
            self.fail(
                mark,
                message,
                "flatten the schema by moving nested parts into components/schemas and using $ref",
            );
            return;
        }
        self.record_line(|builder| builder.pointer_through(builder.stack.len()), mark.line(), false);
        self.finish_node(value, shape, 0, mark);
    }

    fn start_collection(&mut self, mark: Marker, anchor: usize, kind: Kind) {
        if self.at_key() {
            self.fail(mark, "a mapping key is itself a mapping or a list".to_owned(), "use plain strings as keys");
            return;
        }
        if self.base_depth + self.stack.len() >= MAX_DEPTH {
            let shown = shorten(&self.pointer_through(self.stack.len()));
            self.fail(
                mark,
                format!("the document nests deeper than {MAX_DEPTH} levels (at {shown})"),
                "flatten the schema by moving nested parts into components/schemas and using $ref",
            );
            return;
        }
        self.record_line(|builder| builder.pointer_through(builder.stack.len()), mark.line(), false);
        let in_merge = self.in_merge();
        self.stack.push(Frame { anchor, inner: Shape { nodes: 0, height: 0 }, in_merge, kind });
    }

    fn end_collection(&mut self, mark: Marker) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = match frame.kind {
            Kind::Sequence { items } => Value::Array(items),
            Kind::Mapping { map, .. } => Value::Object(map),
        };
        let shape = Shape { nodes: frame.inner.nodes.saturating_add(1), height: frame.inner.height + 1 };
        self.finish_node(value, shape, frame.anchor, mark);
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, anchor: usize, mark: Marker) {
        if !self.at_key() {
            self.record_line(|builder| builder.pointer_through(builder.stack.len()), mark.line(), false);
            let value = if style == TScalarStyle::Plain {
                match plain_scalar(&text) {
                    Ok(value) => value,
                    Err(message) => {
                        self.fail(mark, message, "quote the value if it is meant as a string");
                        return;
                    }
                }
            } else {
                Value::String(text)
            };
            self.finish_node(value, Shape { nodes: 1, height: 0 }, anchor, mark);
            return;
        }
        if anchor != 0 {
            let shape = Shape { nodes: 1, height: 0 };
            self.anchors.insert(anchor, (Anchored::Copy(Value::String(text.clone())), shape));
        }
        let mapping = self.stack.len() - 1;
        let Some(Frame { kind: Kind::Mapping { map, merging, merged, .. }, .. }) = self.stack.last_mut() else {
            return;
        };
        if text == MERGE_KEY && style == TScalarStyle::Plain {
            *merging = true;
            return;
        }
        // A key written out may override one a merge brought in, once.
        if map.contains_key(&text) && !merged.remove(&text) {
            let at = format!("{}/{}", self.pointer_through(mapping), escape_pointer_token(&text));
            let message = format!("the key {text:?} appears twice in the same mapping (at {})", shorten(&at));
            self.fail(mark, message, "remove or rename one of the two");
            return;
        }
        if let Some(Frame { kind: Kind::Mapping { key, .. }, .. }) = self.stack.last_mut() {
            *key = Some(text);
        }
        // The key's line is the line of the entry, whatever line its value starts on.
        self.record_line(|builder| builder.pointer_through(builder.stack.len()), mark.line(), true);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.problem.is_some() {
            return;
        }
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(
                        mark,
                        "the file holds more than one YAML document".to_owned(),
                        "keep one document per spec file",
                    );
                }
            }
            Event::Alias(anchor) => self.alias(anchor, mark),
            Event::Scalar(text, style, anchor, _) => self.scalar(text, style, anchor, mark),
            Event::SequenceStart(anchor, _) => {
                self.start_collection(mark, anchor, Kind::Sequence { items: Vec::new() });
            }
            Event::MappingStart(anchor, _) => {
                let kind = Kind::Mapping { map: Map::new(), key: None, merging: false, merged: HashSet::new() };
                self.start_collection(mark, anchor, kind);
            }
            Event::SequenceEnd | Event::MappingEnd => self.end_collection(mark),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// Resolves an unquoted scalar the way YAML's core schema does.
fn plain_scalar(text: &str) -> Result<Value, String> {
    Ok(match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(flag) => Value::Bool(flag),
        Yaml::Integer(number) => Value::Number(number.into()),
        Yaml::Real(real) => {
            // A JSON number (an integer beyond i64 among them) keeps its exact value.
            let parsed = serde_json::from_str::<Number>(&real)
                .ok()
                .or_else(|| real.parse::<f64>().ok().and_then(Number::from_f64));
            match parsed {
                Some(number) => Value::Number(number),
                None => return Err(format!("the number {real} cannot be represented in JSON")),
            }
        }
        _ => Value::String(text.to_owned()),
    })
}

/// Keeps a pointer readable in one line of a message (the root shown as `/`).
fn shorten(pointer: &str) -> String {
    const KEEP: usize = 6;
    if pointer.is_empty() {
        return "/".to_owned();
    }
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    if tokens.len() <= 2 * KEEP {
        return pointer.to_owned();
    }
    let head = tokens[..KEEP].join("/");
    let tail = tokens[tokens.len() - KEEP..].join("/");
    let skipped = tokens.len() - 2 * KEEP;
    format!("/{head}/…{skipped} more…/{tail}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{MAX_ALIAS_NODES, load};

    fn refusal(text: &str) -> super::Diagnostic {
        let error = load("anchors.yaml", text.as_bytes()).expect_err("refused");
        error.0.into_iter().next().expect("one problem")
    }

    #[test]
    fn an_alias_reads_as_the_node_its_anchor_names() {
        let text = "a: &shared {type: string, enum: [x, y]}\nb: *shared\nc: [*shared, &n 3, *n]\n";
        let document = load("anchors.yaml", text.as_bytes()).expect("loads");
        let shared = json!({"type": "string", "enum": ["x", "y"]});
        assert_eq!(document.value, json!({"a": shared, "b": shared, "c": [shared, 3, 3]}));
        // A copied node, and everything in it, is placed at the alias.
        assert_eq!(document.line_of("/b"), Some(2));
        assert_eq!(document.line_of("/b/enum/1"), Some(2));
        assert_eq!(document.line_of("/c/2"), Some(3));
    }

    #[test]
    fn a_merge_key_brings_in_the_keys_the_mapping_does_not_write() {
        let text = "base: &base {type: object, description: base}\n\
                    other: &other {title: other, description: other}\n\
                    one:\n  <<: *base\n  description: own\n\
                    many:\n  <<: [*other, *base]\n\
                    inline:\n  <<: {format: uuid}\n  type: string\n";
        let document = load("anchors.yaml", text.as_bytes()).expect("loads");
        assert_eq!(document.value["one"], json!({"type": "object", "description": "own"}));
        // The first mapping of the list that names a key gives its value.
        assert_eq!(document.value["many"], json!({"title": "other", "description": "other", "type": "object"}));
        assert_eq!(document.value["inline"], json!({"format": "uuid", "type": "string"}));
        assert_eq!(document.line_of("/one/type"), Some(4));
        assert_eq!(document.line_of("/one/description"), Some(5));
    }

    #[test]
    fn an_anchor_is_found_where_it_was_read_and_inside_merges_as_it_was_written() {
        let text = "a: &outer\n  b: &inner [1, 2]\n  c: *inner\n\
                    d: *outer\n\
                    m:\n  x: &x written\n  <<: {x: merged, y: &y [*x]}\n  z: *y\n\
                    n: [*inner, *y]\n";
        let document = load("anchors.yaml", text.as_bytes()).expect("loads");
        let inner = json!([1, 2]);
        assert_eq!(document.value["a"], json!({"b": inner, "c": inner}));
        assert_eq!(document.value["d"], document.value["a"]);
        // `x` is written in the mapping, so the merged `x` is dropped; `y` is merged in.
        assert_eq!(document.value["m"], json!({"x": "written", "y": ["written"], "z": ["written"]}));
        assert_eq!(document.value["n"], json!([inner, ["written"]]));
    }

    #[test]
    fn anchors_nested_in_one_another_are_not_copied_until_an_alias_asks() {
        // Each of 90 nested mappings is anchored around one large list: copying each anchored
        // node as it ends would hold 90 copies of the list.
        let depth = 90;
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&format!("{}k{level}: &a{level}\n", "  ".repeat(level)));
        }
        text.push_str(&format!("{}list: [{}]\n", "  ".repeat(depth), vec!["x"; 20_000].join(", ")));
        text.push_str("copy: *a89\n");
        let mut builder = super::Builder::new(false);
        yaml_rust2::parser::Parser::new_from_str(&text).load(&mut builder, true).expect("parses");
        assert!(
            builder.anchors.values().all(|(anchored, _)| matches!(anchored, super::Anchored::At(_))),
            "an anchored node outside a merge is found by its pointer, not copied"
        );
        let document = load("anchors.yaml", text.as_bytes()).expect("loads");
        let mut deepest = &document.value["k0"];
        for level in 1..depth {
            deepest = &deepest[format!("k{level}")];
        }
        assert_eq!(document.value["copy"], *deepest);
        assert_eq!(deepest["list"].as_array().map(Vec::len), Some(20_000));
    }

    #[test]
    fn a_key_written_twice_is_refused_even_after_a_merge() {
        let problem = refusal("base: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n  x: 3\n");
        assert_eq!(problem.line, Some(5));
        assert!(problem.message.contains("appears twice"), "{}", problem.message);
    }

    #[test]
    fn an_alias_bomb_is_refused_at_the_alias_that_passes_the_budget() {
        let mut text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for level in 1..10 {
            let previous = level - 1;
            let aliases = vec![format!("*l{previous}"); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
        }
        let problem = refusal(&text);
        // 10 + 10^2 + ... nodes: the budget is passed among the aliases of level 5.
        assert_eq!(problem.line, Some(6), "{}", problem.message);
        assert!(problem.message.contains(&MAX_ALIAS_NODES.to_string()), "{}", problem.message);
        assert!(problem.message.contains("(at /l5/"), "{}", problem.message);
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        let problem = refusal("a: &a\n  b: [1, *a]\n");
        assert_eq!(problem.line, Some(2));
        assert!(problem.message.contains("inside the node its anchor names (at /a/b/1)"), "{}", problem.message);
    }

    #[test]
    fn an_alias_cannot_nest_the_document_past_the_depth_limit() {
        let deep = format!("{}x{}", "[".repeat(60), "]".repeat(60));
        let problem = refusal(&format!("a: &deep {deep}\nb: {}*deep{}\n", "[".repeat(40), "]".repeat(40)));
        assert_eq!(problem.line, Some(2));
        assert!(problem.message.contains("nest deeper"), "{}", problem.message);
    }

    #[test]
    fn a_merge_of_anything_but_mappings_is_refused() {
        for text in ["s: &s text\nm:\n  <<: *s\n", "s: &s text\nm:\n  <<: [*s]\n", "m:\n  <<: [a, b]\n"] {
            let problem = refusal(text);
            assert!(problem.message.contains("merge key << takes a mapping"), "{text}: {}", problem.message);
            assert!(problem.message.contains("(at /m)"), "{text}: {}", problem.message);
        }
    }

    #[test]
    fn a_quoted_merge_key_is_an_ordinary_key() {
        let document = load("anchors.yaml", b"m:\n  '<<': 1\n").expect("loads");
        assert_eq!(document.value, json!({"m": {"<<": 1}}));
    }

    #[test]
    fn an_alias_cannot_be_a_key() {
        let problem = refusal("k: &k name\nm:\n  *k : 1\n");
        assert_eq!(problem.line, Some(3));
        assert!(problem.message.contains("key is a YAML alias"), "{}", problem.message);
    }

    #[test]
    fn lines_are_the_same_whether_asked_for_before_or_after_a_move() {
        let text = "a:\n  b:\n    c: 1\n    d: [x, y]\nz: {}\n";
        let moves = [("/a/b".to_owned(), "/z/moved".to_owned())];
        let early = load("moves.yaml", text.as_bytes()).expect("loads");
        let mut late = early.clone();
        let mut asked = early.clone();
        assert_eq!(asked.line_of("/a/b/d/1"), Some(4), "the map is made before the move");
        asked.copy_lines(&moves);
        late.copy_lines(&moves);
        for pointer in ["/z/moved", "/z/moved/c", "/z/moved/d/1", "/a/b/c", "/z", "/missing/x"] {
            assert_eq!(late.line_of(pointer), asked.line_of(pointer), "{pointer}");
        }
        assert_eq!(late.line_of("/z/moved/d"), Some(4));
        assert_eq!(late.line_of("/z/moved/c"), Some(3));
    }

    /// The document read whole, on this thread: its value, or `None` where it does not read.
    fn read_whole(text: &str) -> Option<serde_json::Value> {
        let mut builder = super::Builder::new(false);
        yaml_rust2::parser::Parser::new_from_str(text).load(&mut builder, true).ok()?;
        if builder.problem.is_some() {
            return None;
        }
        builder.root
    }

    /// Every cut [`super::read_in_parts`] could make in `text`: each reads what reading the whole
    /// reads, or is given up; none reads a document the whole reading refuses.
    fn every_cut_agrees(text: &str) -> usize {
        let lines = super::Line::all(text);
        let outline = super::Outline::of(&lines);
        let whole = read_whole(text);
        let mut made = 0;
        for cut in 0..lines.len() {
            if let Some(parts) = super::read_cut_at(text, &lines, &outline, cut) {
                made += 1;
                assert_eq!(Some(&parts), whole.as_ref(), "cut at line {}:\n{text}", cut + 1);
            }
        }
        made
    }

    #[test]
    fn a_document_read_in_parts_reads_as_it_does_whole() {
        let text = r#"openapi: 3.1.0
# a comment at the root
components:
    schemas:
        A:
            type: object
            description: |
                A block scalar
                with: what looks like a key
            properties:
                name: {type: string, enum: [a, b]}
                list:
                    - one
                    - two: 2
                      three: 3
        B: &b
            type: string
            example: "quoted: text"

        C: *b
        'quoted key': 1
        D:
            type: integer
    securitySchemes:
        bearer:
            type: http
paths:
    /a/{id}:
        get:
            operationId: a
            summary: >
                folded
                text
            responses: {}
    /b:
        $ref: '#/x'
info:
    title: t
"#;
        let cuts = every_cut_agrees(text);
        assert!(cuts >= 8, "{cuts} cuts made");
    }

    #[test]
    fn a_cut_is_never_made_where_the_whole_reading_fails() {
        for text in [
            // The same key at the root, before and after a cut.
            "a:\n    x: 1\n    y: 2\nb:\n    z: 3\na:\n    w: 4\n",
            // A quoted scalar across a line that looks like a key.
            "a:\n    x: \"text\n    y: more\"\n    z: 1\n",
            // A flow mapping across lines.
            "a:\n    x: {p: 1,\n    y: 2}\n    z: 3\n",
            // A key indented between two levels.
            "a:\n    b:\n        x: 1\n      y: 2\n    c: 3\n",
            // An alias to an anchor on the other side of a cut.
            "a:\n    x: &one 1\n    y: 2\nb:\n    z: *one\n",
            // A scalar continued on the next line with a colon in it.
            "a:\n    x: text\n        y: 1\n    z: 2\n",
            // A key with a value and a nested key below it.
            "a: 1\n    b: 2\nc: 3\n",
            // A block scalar whose lines look like keys.
            "a:\n    x: 1\n    y: |\n        p: 1\n        q: 2\n    z: 3\n",
            // A key whose siblings are at another indentation.
            "a:\n    x: 1\n    y: 2\n   z: 3\nb: 1\n",
            // A sequence at the level of a mapping's keys.
            "a:\n    x: 1\n    - y\n    z: 2\n",
            // An anchor opening a mapping.
            "a: &m\n    x: 1\n    y: 2\nb: *m\n",
            // A flow mapping at the root.
            "{a: 1,\nb: 2,\nc: 3}\n",
        ] {
            every_cut_agrees(text);
        }
    }

    #[test]
    fn every_cut_in_every_fixture_reads_as_the_whole_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut pending = vec![root];
        let mut files = 0;
        while let Some(directory) = pending.pop() {
            for entry in std::fs::read_dir(&directory).expect("the fixtures are readable") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "json")
                    && let Ok(text) = std::fs::read_to_string(&path)
                    // Each cut reads the whole text again: the small fixtures, not the published document.
                    && text.len() < 64 * 1024
                {
                    files += 1;
                    every_cut_agrees(&text);
                }
            }
        }
        assert!(files > 50, "{files} fixtures read");
    }

    #[test]
    fn a_large_document_is_read_in_parts() {
        let mut text = "components:\n    schemas:\n".to_owned();
        for index in 0..2000 {
            text.push_str(&format!(
                "        S{index}:\n            type: object\n            description: \"number {index}\"\n"
            ));
        }
        text.push_str("paths:\n    /x:\n        get: {}\n");
        let parts = super::read_in_parts(&text, 0);
        if crate::parallel::cores() > 1 {
            assert_eq!(parts, read_whole(&text), "read in parts, as whole");
        }
        assert_eq!(
            load("big.yaml", text.as_bytes()).expect("loads").line_of("/components/schemas/S1999"),
            Some(2 + 3 * 1999 + 1)
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key() {
        let document = load("bom.yaml", "\u{feff}openapi: 3.0.3\n".as_bytes()).expect("loads");
        assert_eq!(document.value["openapi"], "3.0.3");
        assert_eq!(document.line_of("/openapi"), Some(1));
    }
}
