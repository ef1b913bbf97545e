//! The path parameters and headers the API's operations document, each declared once here
//! and named in a handler's `params(...)`: `params(CustomerPath)` documents `{id}` of a
//! customer. The handler reads the same segments with [`Id`](super::Id) or
//! [`Ids`](super::Ids); the document and the extractor agree because a path parameter is
//! always a string the extractor parses (a malformed one answers 404 like an unknown one).

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

/// One string parameter of the document.
fn string_param(name: &str, place: ParameterIn, required: Required, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(required)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

/// Declares types whose `IntoParams` lists string parameters, in order: `Name { "id" =>
/// "The customer id" }` is one required path segment; `Name { header "If-Match" => "…" }`
/// an optional header, `required header` a required one.
macro_rules! params {
    (@one path $name:literal $description:literal) => {
        string_param($name, ParameterIn::Path, Required::True, $description)
    };
    (@one header $name:literal $description:literal) => {
        string_param($name, ParameterIn::Header, Required::False, $description)
    };
    (@one required_header $name:literal $description:literal) => {
        string_param($name, ParameterIn::Header, Required::True, $description)
    };
    ($($(#[$doc:meta])* $type:ident { $($place:ident $name:literal => $description:literal),+ $(,)? })*) => {
        $(
            $(#[$doc])*
            pub struct $type;

            impl utoipa::IntoParams for $type {
                fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                    vec![$(params!(@one $place $name $description)),+]
                }
            }
        )*
    };
}

params! {
    /// `/v1/customers/{id}`.
    CustomerPath { path "id" => "The customer id" }
    /// `/v1/customers/{id}/subscriptions/{sid}`.
    SubscriptionPath {
        path "id" => "The customer id",
        path "sid" => "The subscription id",
    }
    /// `/v1/customers/{id}/orders/{oid}`.
    OrderPath {
        path "id" => "The customer id",
        path "oid" => "The order id",
    }
    /// `/v1/offers/{id}`.
    OfferPath { path "id" => "The offer id" }
    /// `/v1/partners/{id}` and `/v1/me/partners/{id}`.
    PartnerPath { path "id" => "The partner id (its organisation id)" }
    /// `/v1/partners/{id}/users/{uid}`.
    PartnerUserPath {
        path "id" => "The partner id (its organisation id)",
        path "uid" => "The user id",
    }
    /// `/v1/invitations/{token}`.
    InvitationPath { path "token" => "The invitation token: the end of a relationship request url" }
    /// `/v1/me/tokens/{id}`.
    TokenPath { path "id" => "The token id" }
    /// `/v1/securityGroups/{id}`.
    GroupPath { path "id" => "The group id" }
    /// `/webhooks/v1/registration/{id}`.
    RegistrationPath { path "id" => "The registration id" }
    /// `/webhooks/v1/registration/validationEvents/{id}`.
    ValidationEventPath { path "id" => "The correlation id the test event was answered with" }
    /// `/v1/securityGroups/{id}/members/{uid}`.
    GroupMemberPath {
        path "id" => "The group id",
        path "uid" => "The user id",
    }
    /// `/v1/roles/{id}` with the `If-Match` a change of the catalogue requires.
    RoleChange {
        path "id" => "The role id",
        required_header "If-Match" => "The ETag last read (`\"3\"`); required: a stale one is a 412",
    }
    /// `…/delegatedAdminRelationships/{id}`.
    RelationshipPath { path "id" => "The relationship id" }
    /// `…/delegatedAdminRelationships/{id}/requests/{requestId}`.
    RequestPath {
        path "id" => "The relationship id",
        path "requestId" => "The request id",
    }
    /// `…/delegatedAdminRelationships/{id}/operations/{operationId}`.
    OperationPath {
        path "id" => "The relationship id",
        path "operationId" => "The operation id",
    }
    /// `…/delegatedAdminRelationships/{id}/accessAssignments/{assignmentId}`.
    AssignmentPath {
        path "id" => "The relationship id",
        path "assignmentId" => "The assignment id",
    }
    /// `…/delegatedAdminCustomers/{id}`.
    TenantPath { path "id" => "The customer's tenant id" }
    /// The optional `If-Match` of a `/v1` change (read by [`if_match`](super::if_match)).
    IfMatch {
        header "If-Match" => "The ETag last read (`\"3\"` or `W/\"3\"`), or `*`; another value, or a stale one, is a 412",
    }
}
