//! Signing in over OAuth2: `POST /oauth2/token`, and the documents a verifier reads to check
//! access tokens offline: `/.well-known/openid-configuration` and the JWKS it points to.
//!
//! Errors here speak OAuth2 (RFC 6749 §5.2), not the `/v1` error body, because OAuth2
//! clients read `error` and `error_description`.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use partnerdesk_app::auth::{IssuedTokens, Jwks};
use partnerdesk_app::AppError;
use serde::{Deserialize, Serialize};

use crate::peer::Peer;
use crate::state::AppState;

/// Where the JWKS document is served.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// Where tokens are issued.
pub const TOKEN_PATH: &str = "/oauth2/token";

/// The form of `POST /oauth2/token`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    grant_type: Option<String>,
    username: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    /// Accepted and ignored: every token has the same scope.
    #[allow(dead_code)]
    scope: Option<String>,
}

/// An OAuth2 error answer.
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    /// Set when the client authenticated with HTTP Basic and failed (RFC 6749 §5.2).
    basic_challenge: bool,
    /// Seconds to send as `Retry-After`.
    retry_after: Option<u64>,
}

/// The body of an OAuth2 error (RFC 6749 §5.2).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct OAuthErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            basic_challenge: false,
            retry_after: None,
        }
    }

    fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// Maps an app error; a refused credential becomes `refused` (`invalid_grant` or
    /// `invalid_client`).
    fn from_app(e: AppError, refused: fn(String) -> Self) -> Self {
        match e {
            AppError::Unauthenticated(reason) => refused(reason.describe().to_string()),
            // RFC 6749 has no error for this; §5.2 answers every token error 400 unless
            // said otherwise, and OAuth2 clients read a 400's `error` (`invalid_grant`: ask
            // the user again, do not retry blindly). `Retry-After` says when to try again.
            AppError::TooManyFailedSignIns { retry_after_seconds } => {
                let mut e = Self::invalid_grant(format!(
                    "too many failed sign-ins for this account; try again in {retry_after_seconds} seconds"
                ));
                e.retry_after = Some(retry_after_seconds);
                e
            }
            AppError::Domain(d) => Self::invalid_request(d.to_string()),
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable while issuing a token");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "the service is unavailable for a moment; try again shortly",
                )
            }
            other => {
                tracing::error!(error = ?other, "cannot issue a token");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "something went wrong on our side; the error was logged",
                )
            }
        }
    }

    fn invalid_grant(description: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    fn invalid_client(description: String) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = OAuthErrorBody {
            error: self.error,
            error_description: &self.description,
        };
        let mut response = (self.status, no_store(), Json(body)).into_response();
        if self.basic_challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Token answers must not be cached (RFC 6749 §5.1).
fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

/// `client_id` and `client_secret` from `Authorization: Basic` (RFC 6749 §2.3.1), if sent.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), OAuthError>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(id, secret)| (id.to_string(), secret.to_string()))
        });
    Some(decoded.ok_or_else(|| {
        let mut e = OAuthError::invalid_client("the Basic credentials are malformed".into());
        e.basic_challenge = true;
        e
    }))
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, OAuthError> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::invalid_request(format!("{name} is required")))
}

#[utoipa::path(
    post,
    path = "/oauth2/token",
    tag = "sign-in",
    summary = "Issue tokens (password, refresh_token, client_credentials)",
    security(()),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "`{access_token, token_type: \"Bearer\", expires_in, refresh_token?, scope}`", body = Object),
        (status = 400, description = "An OAuth2 error (`invalid_request`, `invalid_grant`, `unsupported_grant_type`). After too many wrong passwords for an account, `invalid_grant` with `Retry-After` (seconds), whatever the password", body = OAuthErrorBody),
        (status = 401, description = "Bad client credentials (`invalid_client`)", body = OAuthErrorBody),
    )
)]
/// `POST /oauth2/token` (form-encoded): the `password`, `refresh_token` and
/// `client_credentials` grants. The password grant counts toward the same sign-in limits
/// as the dashboard's sign-in. `client_credentials` does not: its secret is a personal API
/// token (32 random bytes), not a password, so it cannot be guessed, and counting its
/// failures would only let anyone who knows a user id stop that user's scripts.
pub async fn token(
    State(state): State<AppState>,
    Peer(client): Peer,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Result<Response, OAuthError> {
    let Form(form) = form.map_err(|e| OAuthError::invalid_request(e.body_text()))?;
    let app = &state.app;
    let issued: IssuedTokens = match required(&form.grant_type, "grant_type")? {
        "password" => {
            let username = required(&form.username, "username")?;
            let password = required(&form.password, "password")?;
            app.grant_password(&client, username, password)
                .await
                .map_err(|e| OAuthError::from_app(e, OAuthError::invalid_grant))?
        }
        "refresh_token" => {
            let refresh_token = required(&form.refresh_token, "refresh_token")?;
            app.grant_refresh_token(refresh_token)
                .await
                .map_err(|e| OAuthError::from_app(e, OAuthError::invalid_grant))?
        }
        "client_credentials" => {
            let basic = basic_credentials(&headers).transpose()?;
            let used_basic = basic.is_some();
            let (client_id, client_secret) = match basic {
                Some(pair) => pair,
                None => (
                    required(&form.client_id, "client_id")?.to_string(),
                    required(&form.client_secret, "client_secret")?.to_string(),
                ),
            };
            app.grant_client_credentials(&client_id, &client_secret)
                .await
                .map_err(|e| {
                    let mut e = OAuthError::from_app(e, OAuthError::invalid_client);
                    e.basic_challenge = used_basic && e.status == StatusCode::UNAUTHORIZED;
                    e
                })?
        }
        other => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {other:?} is not supported; use password, refresh_token or client_credentials"),
            ))
        }
    };
    Ok((no_store(), Json(issued)).into_response())
}

/// `GET /.well-known/openid-configuration`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenIdConfiguration {
    issuer: String,
    token_endpoint: String,
    jwks_uri: String,
    grant_types_supported: [&'static str; 3],
    token_endpoint_auth_methods_supported: [&'static str; 2],
    id_token_signing_alg_values_supported: [&'static str; 1],
    response_types_supported: [&'static str; 1],
    subject_types_supported: [&'static str; 1],
    claims_supported: [&'static str; 12],
}

#[utoipa::path(
    get,
    path = "/.well-known/openid-configuration",
    tag = "sign-in",
    summary = "The OpenID provider configuration",
    security(()),
    responses(
        (status = 200, description = "Where tokens come from and the keys that sign them", body = OpenIdConfiguration),
    )
)]
/// `GET /.well-known/openid-configuration`: where tokens come from and the keys that
/// sign them.
pub async fn openid_configuration(State(state): State<AppState>) -> Response {
    let issuer = state.app.token_issuer().to_string();
    let document = OpenIdConfiguration {
        token_endpoint: format!("{issuer}{TOKEN_PATH}"),
        jwks_uri: format!("{issuer}{JWKS_PATH}"),
        issuer,
        grant_types_supported: ["password", "refresh_token", "client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        id_token_signing_alg_values_supported: ["EdDSA"],
        response_types_supported: ["token"],
        subject_types_supported: ["public"],
        claims_supported: [
            "iss", "aud", "sub", "exp", "iat", "nbf", "jti", "tid", "oid", "upn", "roles", "cv",
        ],
    };
    let cache = [(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"))];
    (cache, Json(document)).into_response()
}

#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "sign-in",
    summary = "The public keys of access tokens",
    security(()),
    responses(
        (status = 200, description = "A JSON Web Key Set", body = Object),
    )
)]
/// `GET /.well-known/jwks.json`: the public keys of access tokens.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, crate::error::ApiError> {
    let keys: Jwks = state.app.jwks().await?;
    // Short enough that a key added on another node is seen soon.
    let cache = [(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"))];
    Ok((cache, Json(keys)).into_response())
}
