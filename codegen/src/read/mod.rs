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
        let help = if error.info() == "invalid indentation" {
            "indent the line more than the key whose value it continues: YAML requires every line of a value, a \
             flow collection's (`{...}`, `[...]`) closing bracket included, to be indented more than its key"
        } else {
            "fix the syntax at that line"
        };
        return Err(located(
            marker.line(),
            marker.col() + 1,
            format!("the file is not valid YAML or JSON: {}", error.info()),
            help,
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
        if self.stack.len() + shape.height > MAX_DEPTH {
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
        if self.stack.len() >= MAX_DEPTH {
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

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key() {
        let document = load("bom.yaml", "\u{feff}openapi: 3.0.3\n".as_bytes()).expect("loads");
        assert_eq!(document.value["openapi"], "3.0.3");
        assert_eq!(document.line_of("/openapi"), Some(1));
    }
}
