//! Operations by name, with parameters as text and bodies as JSON, for tools that reach every
//! operation without naming each one (such as the command line's `c1pc api`).
//!
//! [`crate::Client::call_json`] (generated for every operation) takes the parameters as
//! `(name, value)` text pairs and the body as JSON, and answers with the response as JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::operations::Operation;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// One parameter of an operation, as [`Operation::parameters`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParameterInfo {
    /// Its name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: ParameterLocation,
    /// Whether the operation needs it.
    pub required: bool,
    /// The spec's description (empty when it has none).
    pub description: &'static str,
}

/// The text arguments of one [`crate::Client::call_json`] call, checked against the operation.
#[derive(Debug)]
pub(crate) struct Arguments<'a> {
    operation: Operation,
    given: &'a [(String, String)],
}

impl<'a> Arguments<'a> {
    /// Checks that every argument names a parameter of `operation`, and none twice.
    pub(crate) fn new(operation: Operation, given: &'a [(String, String)]) -> Result<Self, Error> {
        let known = operation.parameters();
        for (index, (name, _)) in given.iter().enumerate() {
            if !known.iter().any(|parameter| parameter.name == name) {
                let names: Vec<&str> = known.iter().map(|parameter| parameter.name).collect();
                let expected = if names.is_empty() {
                    "it takes none".to_owned()
                } else {
                    format!("it takes {}", names.join(", "))
                };
                return Err(invalid(operation, format!("{operation} has no parameter {name:?}; {expected}")));
            }
            if given[..index].iter().any(|(earlier, _)| earlier == name) {
                return Err(invalid(operation, format!("the parameter {name:?} is given twice")));
            }
        }
        Ok(Self { operation, given })
    }

    /// The value of a parameter the operation needs.
    pub(crate) fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        self.optional(name)?
            .ok_or_else(|| invalid(self.operation, format!("{} needs the parameter {name:?}", self.operation)))
    }

    /// The value of a parameter, when it is given.
    pub(crate) fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        let Some((_, text)) = self.given.iter().find(|(given, _)| given == name) else { return Ok(None) };
        // A string parameter takes the text as it is; any other type reads it as JSON.
        if let Ok(value) = serde_json::from_value::<T>(Value::String(text.clone())) {
            return Ok(Some(value));
        }
        serde_json::from_str::<T>(text).map(Some).map_err(|error| {
            invalid(self.operation, format!("the parameter {name:?} cannot be read as its type: {error}"))
        })
    }
}

/// The request body of `operation` from JSON (`{}` when none is given).
pub(crate) fn body<T: DeserializeOwned>(operation: Operation, body: Option<Value>) -> Result<T, Error> {
    let body = body.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    serde_path_to_error::deserialize(body).map_err(|error| {
        let path = error.path().to_string();
        invalid(
            operation,
            format!("the request body does not fit {operation}'s request at `{path}`: {}", error.into_inner()),
        )
    })
}

/// A response as JSON.
pub(crate) fn to_json<T: Serialize>(operation: Operation, response: &T) -> Result<Value, Error> {
    serde_json::to_value(response).map_err(|error| Error::Decode {
        operation: operation.name(),
        path: ".".to_owned(),
        message: format!("the response cannot be written as JSON: {error}"),
        body: crate::error::ErrorBody::default(),
    })
}

/// An operation [`crate::Client::call_json`] cannot make, and why.
#[allow(dead_code, reason = "the generated code calls it only for specs with such operations")]
pub(crate) fn unsupported(operation: Operation, why: &str) -> Result<Value, Error> {
    Err(invalid(operation, format!("{operation} cannot be called with JSON: {why}; use its typed method")))
}

fn invalid(operation: Operation, message: String) -> Error {
    Error::InvalidRequest { operation: operation.name(), message }
}
