//! An update of a personal client: the fields to change, from which the update mask is built.

use chrono::{DateTime, Utc};

use crate::generated::types::{PersonalClient, PersonalClientServiceUpdateRequest};

/// The fields of a personal client to change; fields left unset are not touched.
///
/// Only fields a user may write are here: read-only fields (id, client id, timestamps kept by
/// the server) are never sent. The update mask lists exactly the fields set, as camelCase paths.
///
/// ```
/// use conductorone_personal_client::PersonalClientUpdate;
///
/// let update = PersonalClientUpdate::new().display_name("ci runner");
/// assert_eq!(update.update_mask(), "displayName");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonalClientUpdate {
    display_name: Option<String>,
    allow_source_cidr: Option<Vec<String>>,
    scoped_roles: Option<Vec<String>>,
    expires_time: Option<DateTime<Utc>>,
}

impl PersonalClientUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the display name.
    pub fn display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// Set the CIDRs allowed to use the credential (an empty list allows every source).
    pub fn allow_source_cidr(mut self, cidrs: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.allow_source_cidr = Some(cidrs.into_iter().map(Into::into).collect());
        self
    }

    /// Set the IAM roles the credential's permissions are reduced to.
    pub fn scoped_roles(mut self, roles: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scoped_roles = Some(roles.into_iter().map(Into::into).collect());
        self
    }

    /// Set when the credential expires.
    pub fn expires_time(mut self, expires_time: DateTime<Utc>) -> Self {
        self.expires_time = Some(expires_time);
        self
    }

    /// The comma-separated camelCase paths of the fields set, in a fixed order.
    pub fn update_mask(&self) -> String {
        let mut paths = Vec::new();
        if self.allow_source_cidr.is_some() {
            paths.push("allowSourceCidr");
        }
        if self.display_name.is_some() {
            paths.push("displayName");
        }
        if self.expires_time.is_some() {
            paths.push("expiresTime");
        }
        if self.scoped_roles.is_some() {
            paths.push("scopedRoles");
        }
        paths.join(",")
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.update_mask().is_empty()
    }

    /// The request body: the fields set, and the mask naming them.
    pub fn to_request(&self) -> PersonalClientServiceUpdateRequest {
        PersonalClientServiceUpdateRequest {
            client: Some(PersonalClient {
                allow_source_cidr: self.allow_source_cidr.clone(),
                display_name: self.display_name.clone(),
                expires_time: self.expires_time,
                scoped_roles: self.scoped_roles.clone(),
                ..PersonalClient::default()
            }),
            update_mask: Some(self.update_mask()),
        }
    }
}
