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

use partnerdesk_domain::audit::Application;

use crate::caller::load_caller;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// The caller a bearer token stands for: a personal token (`pd_...`) looked up by its
    /// hash, or else a signed access token. Unknown, revoked, expired and malformed tokens,
    /// tokens of users deleted since, and access tokens issued before the user's password
    /// last changed are all `Unauthenticated`.
    pub async fn authenticate(&self, bearer: &str) -> AppResult<Caller> {
        let bearer = bearer.trim();
        if bearer.is_empty() {
            return Err(AppError::Unauthenticated("no token"));
        }
        if bearer.starts_with(API_TOKEN_PREFIX) {
            let token = self.find_usable_api_token(bearer).await?;
            let caller = self.caller(token.user_id).await?;
            return Ok(caller.via(Application::ApiToken(token.name.as_str().to_string())));
        }
        let claims = self.verify_access_token(bearer).await?;
        let mut tx = self.store().read().await?;
        let (caller, _) = load_caller(tx.as_mut(), partnerdesk_domain::UserId(claims.oid)).await?;
        let version = tx.find_credential_version(caller.user_id).await?;
        tx.rollback().await?;
        if caller.org_id.0 != claims.tid {
            return Err(AppError::Unauthenticated("the token names another organisation"));
        }
        if version != Some(claims.cv) {
            return Err(AppError::Unauthenticated(
                "the password has changed since the token was issued",
            ));
        }
        Ok(caller.via(Application::OAuth))
    }
}

impl App {
    /// The caller's own user record (for "who am I").
    pub async fn me(&self, caller: &Caller) -> AppResult<partnerdesk_domain::org::User> {
        let mut tx = self.store().read().await?;
        let user = tx
            .find_user(caller.user_id)
            .await?
            .ok_or(AppError::Unauthenticated("the user no longer exists"))?;
        tx.rollback().await?;
        Ok(user)
    }
}
