//! Who is calling: the `Authorization: Bearer …` header turned into a [`Caller`] by the app.
//! A handler that takes [`Auth`] only runs for an authenticated caller; anything else is
//! answered 401 with `WWW-Authenticate: Bearer` and the `/v1` error body before the handler
//! runs. [`Call`] is the same with the server's state beside the caller, what an API
//! handler starts from.
//!
//! The platform layers authenticate a request once, when it arrives (rate limits and
//! idempotency need the caller), and leave the outcome in the request's extensions as
//! [`Authenticated`]; the extractor reads it from there instead of asking the app again.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use partnerdesk_app::{AppError, AuthFailure, Caller};

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller of a request (shared with the node's memory of its token).
#[derive(Debug, Clone)]
pub struct Auth(pub Arc<Caller>);

/// The outcome of authenticating a request that carried an `Authorization` header.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Result<Arc<Caller>, AppError>);

/// The token of an `Authorization: Bearer <token>` header (scheme in any case); `None`
/// when there is no such header. Another scheme, or no token, is an error.
pub fn bearer_token(headers: &HeaderMap) -> Option<Result<&str, AppError>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else {
        return Some(Err(AppError::Unauthenticated(AuthFailure::HeaderNotText)));
    };
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Some(Err(AppError::Unauthenticated(AuthFailure::NotBearer)));
    }
    match token.trim() {
        "" => Some(Err(AppError::Unauthenticated(AuthFailure::EmptyBearer))),
        token => Some(Ok(token)),
    }
}

/// Authenticates the request's bearer token; `None` when it has no `Authorization` header.
pub async fn authenticate(headers: &HeaderMap, state: &AppState) -> Option<Result<Arc<Caller>, AppError>> {
    Some(match bearer_token(headers)? {
        Ok(token) => state.app.authenticate_shared(token).await,
        Err(e) => Err(e),
    })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Taken rather than copied: a handler reads its caller once, and one that read it
        // twice would authenticate the second time, to the same outcome.
        let outcome = match parts.extensions.remove::<Authenticated>() {
            Some(Authenticated(outcome)) => Some(outcome),
            None => authenticate(&parts.headers, state).await,
        };
        match outcome {
            Some(Ok(caller)) => Ok(Auth(caller)),
            Some(Err(e)) => Err(ApiError::from(e)),
            None => Err(ApiError::from(AppError::Unauthenticated(AuthFailure::NoToken))),
        }
    }
}

/// What an API handler starts from: the server's state and the authenticated caller, read
/// as [`Auth`] reads it. `Call(state, caller): Call` stands for the pair
/// `State(state): State<AppState>, Auth(caller): Auth`.
#[derive(Clone)]
pub struct Call(pub AppState, pub Arc<Caller>);

impl FromRequestParts<AppState> for Call {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Auth(caller) = Auth::from_request_parts(parts, state).await?;
        Ok(Call(state.clone(), caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(authorization: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(authorization).expect("header"),
        );
        h
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        for value in ["Bearer pd_abc", "bearer pd_abc", "BEARER   pd_abc "] {
            assert!(matches!(bearer_token(&headers(value)), Some(Ok("pd_abc"))), "{value}");
        }
    }

    #[test]
    fn another_scheme_or_an_empty_token_is_refused_and_no_header_is_none() {
        assert!(matches!(bearer_token(&headers("Basic dXNlcjpwYXNz")), Some(Err(_))));
        assert!(matches!(bearer_token(&headers("Bearer ")), Some(Err(_))));
        assert!(bearer_token(&HeaderMap::new()).is_none());
    }
}
