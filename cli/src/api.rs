//! `c1pc api`: any operation of the API by name, with parameters as `NAME=VALUE` and the body as
//! JSON, in the spirit of `gh api`. The operations, their parameters and where their answers
//! hold secrets come from the SDK (generated from the spec), so a new operation is reachable
//! here as soon as the SDK has it.

use std::io::Read as _;
use std::path::PathBuf;

use conductorone_personal_client::dynamic::ParameterLocation;
use conductorone_personal_client::{Client, Operation};
use serde_json::{Value, json};

use crate::Failure;
use crate::output::{Output, emit, emit_json};
use crate::terminal::escape;

/// The largest body file `--body @FILE` reads.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// What `c1pc api` was asked.
pub struct Request {
    /// The operation's name, or `None` to list them.
    pub operation: Option<String>,
    /// `NAME=VALUE` parameters.
    pub parameters: Vec<String>,
    /// `JSON`, `@FILE` or `@-`.
    pub body: Option<String>,
    /// Print the operation's parameters and JSON schemas instead of calling it.
    pub describe: bool,
    /// Where the answer's secrets go instead of the output.
    pub secret_file: Option<PathBuf>,
}

/// Runs `c1pc api`.
pub async fn run(
    make_client: impl FnOnce() -> Result<Client, conductorone_personal_client::Error>,
    output: Output,
    request: Request,
) -> Result<(), Failure> {
    let Some(name) = request.operation else { return list(output) };
    let operation = Operation::from_name(&name).ok_or_else(|| {
        Failure::Usage(format!(
            "there is no operation {:?}; `c1pc api` lists them ({})",
            escape(&name),
            Operation::ALL.iter().map(|operation| operation.name()).collect::<Vec<_>>().join(", ")
        ))
    })?;
    if request.describe {
        return describe(operation);
    }
    let mut parameters = Vec::new();
    for parameter in &request.parameters {
        let Some((key, value)) = parameter.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--param {:?} is not NAME=VALUE; `c1pc api {name} --describe` lists the parameters",
                escape(parameter)
            )));
        };
        parameters.push((key.to_owned(), value.to_owned()));
    }
    let body = request.body.as_deref().map(read_body).transpose()?;
    if body.is_some() && !operation.takes_body() {
        return Err(Failure::Usage(format!("{name} takes no body; leave out --body")));
    }
    let secrets_expected = !operation.secret_pointers().is_empty();
    let file = crate::SecretFile::create(request.secret_file.as_deref().filter(|_| secrets_expected))?;
    if request.secret_file.is_some() && !secrets_expected {
        eprintln!("note: {name} answers with no secret; --secret-file is not used");
    }
    let client = file.unless_failed(make_client())?;
    let mut answer = file.unless_failed(client.call_json(operation, &parameters, body).await)?;
    if file.is_some() {
        let secrets: Vec<String> =
            operation.secret_pointers().iter().flat_map(|pointer| take(&mut answer, pointer)).collect();
        crate::deliver_secrets(&secrets, file, || emit_json(&answer))?;
        return Ok(());
    }
    emit_json(&answer)
}

/// Every operation: a table, or a JSON array of `{name, method, path, summary}`.
fn list(output: Output) -> Result<(), Failure> {
    match output {
        Output::Json => emit_json(&Value::Array(
            Operation::ALL
                .iter()
                .map(|operation| {
                    json!({
                        "name": operation.name(),
                        "method": operation.method(),
                        "path": operation.path(),
                        "summary": operation.summary(),
                        "readOnly": operation.is_read_only(),
                    })
                })
                .collect(),
        )),
        Output::Table => {
            let width = Operation::ALL.iter().map(|operation| operation.name().len()).max().unwrap_or(0);
            let mut text = String::new();
            for operation in Operation::ALL {
                let route = format!("{} {}", operation.method(), operation.path());
                text.push_str(&format!(
                    "{:<width$}  {:<50}  {}\n",
                    operation.name(),
                    escape(&route),
                    escape(operation.summary().unwrap_or_default()),
                ));
            }
            text.push_str("\nc1pc api NAME --describe shows an operation's parameters and JSON schemas.\n");
            emit(&text)
        }
    }
}

/// An operation's parameters and the JSON schemas of its body and answer.
fn describe(operation: Operation) -> Result<(), Failure> {
    let parameters: Vec<Value> = operation
        .parameters()
        .iter()
        .map(|parameter| {
            let location = match parameter.location {
                ParameterLocation::Path => "path",
                ParameterLocation::Query => "query",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
                _ => "other",
            };
            json!({
                "name": parameter.name,
                "in": location,
                "required": parameter.required,
                "description": parameter.description,
            })
        })
        .collect();
    emit_json(&json!({
        "name": operation.name(),
        "method": operation.method(),
        "path": operation.path(),
        "summary": operation.summary(),
        "readOnly": operation.is_read_only(),
        "parameters": parameters,
        "secrets": operation.secret_pointers(),
        "requestSchema": operation.request_schema(),
        "responseSchema": operation.response_schema(),
    }))
}

/// `--body`: JSON text, `@FILE`, or `@-` for standard input.
fn read_body(argument: &str) -> Result<Value, Failure> {
    let (text, source) = match argument.strip_prefix('@') {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .take(MAX_BODY_BYTES)
                .read_to_string(&mut text)
                .map_err(|error| Failure::Other(format!("cannot read the body from standard input: {error}")))?;
            (text, "standard input".to_owned())
        }
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|error| Failure::Other(format!("cannot read the body file {}: {error}", escape(path))))?;
            let mut text = String::new();
            file.take(MAX_BODY_BYTES)
                .read_to_string(&mut text)
                .map_err(|error| Failure::Other(format!("cannot read the body file {}: {error}", escape(path))))?;
            (text, escape(path).into_owned())
        }
        None => (argument.to_owned(), "--body".to_owned()),
    };
    serde_json::from_str(&text)
        .map_err(|error| Failure::Usage(format!("{source} is not JSON ({error}); pass JSON, @FILE or @-")))
}

/// Takes the strings at `pointer` (`*` for every item of a list) out of `value`.
fn take(value: &mut Value, pointer: &str) -> Vec<String> {
    let tokens: Vec<String> =
        pointer.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
    let mut found = Vec::new();
    take_at(value, &tokens, &mut found);
    found
}

fn take_at(value: &mut Value, tokens: &[String], found: &mut Vec<String>) {
    let Some((first, rest)) = tokens.split_first() else { return };
    match value {
        Value::Array(items) if first == "*" => {
            for item in items {
                take_at(item, rest, found);
            }
        }
        Value::Object(fields) if rest.is_empty() => {
            if let Some(Value::String(secret)) = fields.remove(first) {
                found.push(secret);
            }
        }
        Value::Object(fields) => {
            if let Some(inner) = fields.get_mut(first) {
                take_at(inner, rest, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::take;

    #[test]
    fn secrets_are_taken_out_by_pointer_with_wildcards() {
        let mut value = json!({ "a~b/c": "s1", "list": [{ "token": "t1", "id": 1 }, { "id": 2 }], "keep": "k" });
        assert_eq!(take(&mut value, "/a~0b~1c"), ["s1"]);
        assert_eq!(take(&mut value, "/list/*/token"), ["t1"]);
        assert_eq!(value, json!({ "list": [{ "id": 1 }, { "id": 2 }], "keep": "k" }));
        assert!(take(&mut value, "/missing/x").is_empty());
    }
}
