//! The OAuth2 grants of `POST /oauth2/token`: what each takes and the tokens it yields.
//!
//! - `password` (App+User, for scripts): e-mail and password → an access token and a
//!   refresh token.
//! - `refresh_token`: a refresh token → a new access token and a new refresh token. The old
//!   one is revoked (rotation). Presenting a rotated token again is refused, and since that
//!   means two parties hold it, the chain of tokens that replaced it is revoked too.
//! - `client_credentials` (App-only): partnerdesk has no app registrations of its own; a
//!   user's personal API token is its client secret and the user id its client id. The
//!   answer is an access token alone: scripts that hold the secret ask again when it expires.

use chrono::Duration;
use partnerdesk_domain::org::User;
use partnerdesk_domain::token::RefreshToken;
use partnerdesk_domain::{RefreshTokenId, UserId};
use serde::Serialize;

use super::jwt::ACCESS_TOKEN_TTL_SECONDS;
use crate::{tokens, App, AppError, AppResult, AuthFailure, SignInClient};

/// What every refresh token starts with.
pub const REFRESH_TOKEN_PREFIX: &str = "pdr_";
/// How long a refresh token may wait to be used.
const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
/// The scope granted with a refresh token, and without one.
const SCOPE_WITH_REFRESH: &str = "api offline_access";
const SCOPE: &str = "api";

/// Tokens issued by a grant, in OAuth2's words.
#[derive(Clone, Serialize)]
pub struct IssuedTokens {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: &'static str,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("scope", &self.scope)
            .finish()
    }
}

impl App {
    /// `grant_type=password`: an access token and a refresh token for a correct e-mail and
    /// password, under the same limits as every sign-in (see [`App::sign_in`]).
    pub async fn grant_password(
        &self,
        client: &SignInClient,
        username: &str,
        password: &str,
    ) -> AppResult<IssuedTokens> {
        let verified = self.check_password(client, username, password).await?;
        let (token, secret) = self.build_refresh_token(verified.user.id);
        let mut tx = self.store().begin().await?;
        still_current(tx.as_mut(), &verified.user, verified.credential_version).await?;
        tx.insert_refresh_token(&token, &tokens::hash_token(&secret)).await?;
        tx.commit().await?;
        self.issue(&verified.user, verified.credential_version, Some(secret))
            .await
    }

    /// `grant_type=refresh_token`: rotates the refresh token and signs a new access token.
    pub async fn grant_refresh_token(&self, refresh_token: &str) -> AppResult<IssuedTokens> {
        let refused = AppError::Unauthenticated(AuthFailure::RefreshTokenRefused);
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let Some(old) = tx
            .find_refresh_token_by_hash(&tokens::hash_token(refresh_token))
            .await?
        else {
            return Err(refused);
        };
        if old.revoked_at.is_some() {
            if let Some(next) = old.replaced_by {
                // A rotated token came back: whoever holds its successors may be a thief.
                self.revoke_refresh_chain(tx.as_mut(), next).await?;
                tx.commit().await?;
                tracing::warn!(user_id = %old.user_id, "a rotated refresh token was reused; its successors are revoked");
            }
            return Err(refused);
        }
        if !old.is_usable(now) {
            return Err(refused);
        }
        // Taken before the rotation touches anything: a password change that revokes the
        // user's refresh tokens runs wholly before or wholly after this one.
        let version = tx
            .lock_credential_version(old.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        let (new, secret) = self.build_refresh_token(old.user_id);
        tx.insert_refresh_token(&new, &tokens::hash_token(&secret)).await?;
        if !tx.revoke_refresh_token(old.id, now, Some(new.id)).await? {
            // A concurrent request rotated it first.
            return Err(refused);
        }
        let user = tx
            .find_user(old.user_id)
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UserGone))?;
        tx.commit().await?;
        self.issue(&user, version, Some(secret)).await
    }

    /// `grant_type=client_credentials`: `client_id` is a user id and `client_secret` one of
    /// that user's personal API tokens. Yields an access token and no refresh token.
    pub async fn grant_client_credentials(&self, client_id: &str, client_secret: &str) -> AppResult<IssuedTokens> {
        let refused = AppError::Unauthenticated(AuthFailure::ClientRefused);
        let user_id: UserId = client_id.trim().parse().map_err(|_| refused.clone())?;
        if !client_secret.starts_with(super::API_TOKEN_PREFIX) {
            return Err(refused);
        }
        let token = self.find_usable_api_token(client_secret).await.map_err(|e| match e {
            AppError::Unauthenticated(_) => refused.clone(),
            other => other,
        })?;
        if token.user_id != user_id {
            return Err(refused);
        }
        let mut tx = self.store().read().await?;
        let user = tx.find_user(user_id).await?.ok_or(refused.clone())?;
        let version = tx.find_credential_version(user_id).await?.ok_or(refused)?;
        tx.rollback().await?;
        self.issue(&user, version, None).await
    }

    /// Signs the access token for `user` under its credential version and packs the answer.
    async fn issue(
        &self,
        user: &User,
        credential_version: i64,
        refresh_token: Option<String>,
    ) -> AppResult<IssuedTokens> {
        let caller = self.caller(user.id).await?;
        let access_token = self.sign_access_token(&caller, user, credential_version).await?;
        Ok(IssuedTokens {
            access_token,
            token_type: "Bearer",
            expires_in: ACCESS_TOKEN_TTL_SECONDS,
            scope: if refresh_token.is_some() {
                SCOPE_WITH_REFRESH
            } else {
                SCOPE
            },
            refresh_token,
        })
    }

    fn build_refresh_token(&self, user: UserId) -> (RefreshToken, String) {
        let now = self.now();
        let token = RefreshToken {
            id: RefreshTokenId(self.new_id()),
            user_id: user,
            created_at: now,
            expires_at: now + REFRESH_TOKEN_TTL,
            revoked_at: None,
            replaced_by: None,
        };
        (token, format!("{REFRESH_TOKEN_PREFIX}{}", tokens::new_token()))
    }

    /// Revokes `first` and every token that replaced it since.
    async fn revoke_refresh_chain(&self, tx: &mut dyn partnerdesk_store::Tx, first: RefreshTokenId) -> AppResult<()> {
        let now = self.now();
        let mut next = Some(first);
        // Bounded: a chain is as long as the number of rotations, each a stored row.
        while let Some(id) = next {
            let Some(token) = tx.find_refresh_token(id).await? else {
                break;
            };
            if token.revoked_at.is_none() {
                tx.revoke_refresh_token(id, now, None).await?;
                break;
            }
            next = token.replaced_by;
        }
        Ok(())
    }
}

/// Refuses to issue anything under a password that changed after it was checked: the
/// check ran outside this transaction, and a change may have committed since. Locks the
/// user's row, so a change that starts now waits for this transaction.
pub(crate) async fn still_current(
    tx: &mut dyn partnerdesk_store::Tx,
    user: &User,
    checked_version: i64,
) -> AppResult<()> {
    match tx.lock_credential_version(user.id).await? {
        Some(version) if version == checked_version => Ok(()),
        _ => Err(AppError::Unauthenticated(AuthFailure::PasswordChangedDuringSignIn)),
    }
}
