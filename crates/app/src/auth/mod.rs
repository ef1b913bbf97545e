//! Signing in and who is calling: personal API tokens, OAuth2 grants, the signed access
//! tokens they yield, and dashboard sessions. [`App::authenticate`] turns any bearer token
//! into a [`Caller`]; [`App::web_session`] does the same for a session cookie.

mod api_tokens;
mod jwt;
mod oauth;
mod web_sessions;

pub use api_tokens::{CreatedApiToken, API_TOKEN_PREFIX};
pub(crate) use jwt::KeyRing;
pub use jwt::{AccessClaims, Jwk, Jwks, ACCESS_TOKEN_TTL_SECONDS};
pub(crate) use oauth::still_current;
pub use oauth::{IssuedTokens, REFRESH_TOKEN_PREFIX};
pub use web_sessions::{StartedWebSession, WebSessionView, WEB_SESSION_PREFIX, WEB_SESSION_TTL_HOURS};

use std::sync::Arc;

use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::{Application, Operation};
use partnerdesk_domain::UserId;
use sha2::{Digest, Sha256};

use crate::access_check::cache::CachedCaller;
use crate::access_check::Key;
use crate::caller::load_caller;
use crate::{App, AppError, AppResult, AuthFailure, Caller};

/// The callers a change of `op` to the resource `resource_id` may authenticate
/// differently afterwards: a user's changes (roles, language, password, deletion, the
/// credentials it revokes) and a revoked personal token (the caller's own). Adding a user
/// or a token changes no token that already authenticated.
pub(crate) fn affected_callers(op: Operation, resource_id: &str, caller: Option<&Caller>) -> Option<Key> {
    match op {
        Operation::AddUser | Operation::CreateApiToken => None,
        Operation::RevokeApiToken => Some(caller.map_or(Key::All, |c| Key::User(c.user_id))),
        _ if op.resource_type() == "user" => {
            Some(uuid::Uuid::parse_str(resource_id).map_or(Key::All, |u| Key::User(UserId(u))))
        }
        _ => None,
    }
}

/// The key a bearer token is kept under: its SHA-256, never the token.
fn token_key(bearer: &str) -> [u8; 32] {
    Sha256::digest(bearer.as_bytes()).into()
}

impl App {
    /// The caller a bearer token stands for: a personal token (`pd_...`) looked up by its
    /// hash, or else a signed access token. Unknown, revoked, expired and malformed tokens,
    /// tokens of users deleted since, and access tokens issued before the user's password
    /// last changed are all `Unauthenticated`.
    ///
    /// A token that authenticated is kept in the node's memory (by its hash) until it
    /// expires or a change to its user is announced (see `access_check`), so most requests
    /// neither verify a signature nor read the database.
    pub async fn authenticate(&self, bearer: &str) -> AppResult<Caller> {
        self.authenticate_shared(bearer).await.map(Arc::unwrap_or_clone)
    }

    /// [`App::authenticate`], the caller shared with the node's memory rather than copied:
    /// what a server asks on every request.
    pub async fn authenticate_shared(&self, bearer: &str) -> AppResult<Arc<Caller>> {
        let bearer = bearer.trim();
        if bearer.is_empty() {
            return Err(AppError::Unauthenticated(AuthFailure::NoToken));
        }
        self.access.start(self);
        let cache = &self.access.cache;
        let key = token_key(bearer);
        let now = self.now();
        let hit = cache.with_caller(&key, |entry| {
            let entry = entry?;
            if !entry.live_at(now) || !cache.usable_for_user(entry.caller.user_id) {
                return None;
            }
            Some((Arc::clone(&entry.caller), self.api_token_use_to_note(entry, now)))
        });
        if let Some((caller, note)) = hit {
            if let Some(token) = note {
                self.note_api_token_use(token, now).await;
            }
            return Ok(caller);
        }
        let generation = cache.generation();
        let (caller, expires_at, api_token) = match self.authenticate_in_store(bearer).await {
            Ok(found) => found,
            Err(e) => {
                cache.forget_caller(&key);
                return Err(e);
            }
        };
        let caller = Arc::new(caller);
        let entry = CachedCaller::new(Arc::clone(&caller), expires_at, api_token);
        cache.fill_caller(generation, key, entry, now);
        Ok(caller)
    }

    /// [`App::authenticate`] from the database: the caller, the token's end and, for a
    /// personal token, its id and when its use was noted.
    #[allow(clippy::type_complexity)]
    async fn authenticate_in_store(
        &self,
        bearer: &str,
    ) -> AppResult<(
        Caller,
        Option<DateTime<Utc>>,
        Option<(partnerdesk_domain::ApiTokenId, Option<DateTime<Utc>>)>,
    )> {
        if bearer.starts_with(API_TOKEN_PREFIX) {
            let token = self.find_usable_api_token(bearer).await?;
            let caller = self.caller(token.user_id).await?;
            let caller = caller.via(Application::ApiToken(token.name.as_str().to_string()));
            return Ok((caller, token.expires_at, Some((token.id, token.last_used_at))));
        }
        let claims = self.verify_access_token(bearer).await?;
        let mut tx = self.store().read().await?;
        let (caller, _) = load_caller(tx.as_mut(), partnerdesk_domain::UserId(claims.oid)).await?;
        let version = tx.find_credential_version(caller.user_id).await?;
        tx.rollback().await?;
        if caller.org_id.0 != claims.tid {
            return Err(AppError::Unauthenticated(AuthFailure::TokenOrganisation));
        }
        if version != Some(claims.cv) {
            return Err(AppError::Unauthenticated(AuthFailure::PasswordChangedSinceToken));
        }
        let expires_at = DateTime::from_timestamp(claims.exp, 0);
        Ok((caller.via(Application::OAuth), expires_at, None))
    }
}

impl App {
    /// The caller's own user record (for "who am I").
    pub async fn me(&self, caller: &Caller) -> AppResult<partnerdesk_domain::org::User> {
        let mut tx = self.store().read().await?;
        let user = tx
            .find_user(caller.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        tx.rollback().await?;
        Ok(user)
    }
}
