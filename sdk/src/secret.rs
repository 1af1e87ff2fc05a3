//! A string that holds a secret: `Debug` shows `[redacted]`, it has no `Display`, and it is wiped on drop.

use std::fmt;

use zeroize::Zeroize as _;

/// A secret string, such as a client secret or an access token.
///
/// `Debug` prints `[redacted]`, so it cannot leak into logs or error messages by accident, and
/// there is deliberately no `Display`: formatting a secret into a header or a message does not
/// compile, so it cannot silently send `[redacted]` either. Call [`SecretString::expose_secret`]
/// to read it on purpose. Its memory is overwritten with zeros when it is dropped.
///
/// ```
/// use conductorone_personal_client::SecretString;
///
/// let secret = SecretString::from("hunter2");
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.expose_secret(), "hunter2");
/// ```
///
/// Formatting it with `{}` is a compile error:
///
/// ```compile_fail
/// use conductorone_personal_client::SecretString;
///
/// let secret = SecretString::from("hunter2");
/// let header = format!("Bearer {secret}");
/// ```
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself. Every call site that reads a secret says so by calling this.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl schemars::JsonSchema for SecretString {
    fn schema_name() -> String {
        "SecretString".to_owned()
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".to_owned()),
            ..Default::default()
        }
        .into()
    }
}
