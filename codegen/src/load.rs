//! Reads a YAML or JSON spec into a JSON value and remembers the line of every node.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};

/// How deeply a document may nest before the loader refuses it.
///
/// Real OpenAPI documents stay far below this; the limit keeps a hostile or
/// machine-made document from exhausting the stack later in serde or typify.
pub const MAX_DEPTH: usize = 96;

/// A loaded spec: its JSON value and where each node sits in the file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in messages.
    pub file: String,
    /// The document as JSON.
    pub value: Value,
    lines: HashMap<String, usize>,
}

impl Document {
    /// The 1-based line of the node at `pointer`, or of its nearest known ancestor.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut current = pointer;
        loop {
            if let Some(line) = self.lines.get(current) {
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
        let mut targets: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, to) in moves {
            targets.entry(from.as_str()).or_default().push(to.as_str());
        }
        let mut copies = Vec::new();
        for (pointer, line) in &self.lines {
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
                self.lines.entry(pointer).or_insert(line);
            } else {
                self.lines.insert(pointer, line);
            }
        }
    }

    /// The node at `pointer`, if there is one.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
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

    let mut builder = Builder::new();
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
    Ok(Document { file: file.to_owned(), value, lines: builder.lines })
}

struct Problem {
    line: usize,
    column: usize,
    message: String,
    help: String,
}

enum Frame {
    Sequence { pointer: String, items: Vec<Value> },
    Mapping { pointer: String, map: Map<String, Value>, key: Option<String> },
}

/// Builds a JSON value from YAML events without recursion, so depth is bounded by [`MAX_DEPTH`] alone.
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    lines: HashMap<String, usize>,
    problem: Option<Problem>,
}

impl Builder {
    fn new() -> Self {
        Self { stack: Vec::new(), root: None, documents: 0, lines: HashMap::new(), problem: None }
    }

    fn fail(&mut self, mark: Marker, message: String, help: &str) {
        if self.problem.is_none() {
            self.problem = Some(Problem { line: mark.line(), column: mark.col() + 1, message, help: help.to_owned() });
        }
    }

    /// The pointer of the node that starts now, or `None` when it is a mapping key.
    fn next_pointer(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Sequence { pointer, items }) => Some(format!("{pointer}/{}", items.len())),
            Some(Frame::Mapping { pointer, key: Some(key), .. }) => {
                Some(format!("{pointer}/{}", escape_pointer_token(key)))
            }
            Some(Frame::Mapping { key: None, .. }) => None,
        }
    }

    fn finish_node(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { map, key, .. }) => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
        }
    }

    fn start_collection(&mut self, mark: Marker, frame: impl FnOnce(String) -> Frame) {
        let Some(pointer) = self.next_pointer() else {
            self.fail(mark, "a mapping key is itself a mapping or a list".to_owned(), "use plain strings as keys");
            return;
        };
        if self.stack.len() >= MAX_DEPTH {
            let shown = if pointer.is_empty() { "/".to_owned() } else { shorten(&pointer) };
            self.fail(
                mark,
                format!("the document nests deeper than {MAX_DEPTH} levels (at {shown})"),
                "flatten the schema by moving nested parts into components/schemas and using $ref",
            );
            return;
        }
        self.lines.entry(pointer.clone()).or_insert(mark.line());
        self.stack.push(frame(pointer));
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, mark: Marker) {
        match self.next_pointer() {
            None => {
                let Some(Frame::Mapping { pointer, map, key }) = self.stack.last_mut() else {
                    return;
                };
                if map.contains_key(&text) {
                    let message = format!(
                        "the key {text:?} appears twice in the same mapping (at {})",
                        shorten(&format!("{pointer}/{}", escape_pointer_token(&text)))
                    );
                    self.fail(mark, message, "remove or rename one of the two");
                    return;
                }
                let child = format!("{pointer}/{}", escape_pointer_token(&text));
                *key = Some(text);
                self.lines.insert(child, mark.line());
            }
            Some(pointer) => {
                self.lines.entry(pointer).or_insert(mark.line());
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
                self.finish_node(value);
            }
        }
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
            Event::Alias(_) => self.fail(
                mark,
                "YAML aliases (*name) are not supported".to_owned(),
                "write the value out, or share it with a $ref",
            ),
            Event::Scalar(text, style, _, _) => self.scalar(text, style, mark),
            Event::SequenceStart(_, _) => {
                self.start_collection(mark, |pointer| Frame::Sequence { pointer, items: Vec::new() });
            }
            Event::MappingStart(_, _) => {
                self.start_collection(mark, |pointer| Frame::Mapping { pointer, map: Map::new(), key: None })
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match self.stack.pop() {
                    Some(Frame::Sequence { items, .. }) => Value::Array(items),
                    Some(Frame::Mapping { map, .. }) => Value::Object(map),
                    None => return,
                };
                self.finish_node(value);
            }
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

/// Keeps a pointer readable in one line of a message.
fn shorten(pointer: &str) -> String {
    const KEEP: usize = 6;
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
    use super::load;

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key() {
        let document = load("bom.yaml", "\u{feff}openapi: 3.0.3\n".as_bytes()).expect("loads");
        assert_eq!(document.value["openapi"], "3.0.3");
        assert_eq!(document.line_of("/openapi"), Some(1));
    }
}
