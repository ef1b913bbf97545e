//! Personal API tokens: `pd_` followed by 32 random bytes (base64url), shown once when made.
//! Only the SHA-256 of the whole token is stored, so the database cannot sign anyone in.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::token::ApiToken;
use partnerdesk_domain::values::Name;
use partnerdesk_domain::ApiTokenId;
use serde::Serialize;

use crate::access_check::cache::CachedCaller;
use crate::audit::Change;
use crate::{tokens, App, AppError, AppResult, AuthFailure, Caller};

/// What every personal token starts with, so secret scanners and humans recognise one.
pub const API_TOKEN_PREFIX: &str = "pd_";

/// The longest lifetime a personal token may be given (ten years).
const MAX_VALID_DAYS: i64 = 3650;

/// How stale `last_used_at` may get before a use records itself again: often enough to
/// be useful, rarely enough that reading with a token does not write on every request.
const LAST_USED_PRECISION: Duration = Duration::minutes(5);

/// A token just made: the stored token and its secret, which is never shown again.
#[derive(Clone, Serialize)]
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// The secret to send as `Authorization: Bearer pd_...`.
    pub secret: String,
}

impl std::fmt::Debug for CreatedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedApiToken")
            .field("token", &self.token)
            .field("secret", &"pd_***")
            .finish()
    }
}

impl App {
    /// Makes a personal API token for the caller itself, valid until revoked. The secret is
    /// in the answer only.
    pub async fn create_api_token(&self, caller: &Caller, name: &str) -> AppResult<CreatedApiToken> {
        self.create_expiring_api_token(caller, name, None).await
    }

    /// Makes a personal API token that stops working after `valid_days` days (1 to 3650),
    /// or never when `None`.
    pub async fn create_expiring_api_token(
        &self,
        caller: &Caller,
        name: &str,
        valid_days: Option<i64>,
    ) -> AppResult<CreatedApiToken> {
        let name = Name::parse("name", name)?;
        if valid_days.is_some_and(|d| !(1..=MAX_VALID_DAYS).contains(&d)) {
            return Err(partnerdesk_domain::DomainError::InvalidProperty {
                property: "expiresInDays",
                reason: partnerdesk_domain::Reason::OutOfRange {
                    min: 1,
                    max: MAX_VALID_DAYS,
                },
            }
            .into());
        }
        let secret = format!("{API_TOKEN_PREFIX}{}", tokens::new_token());
        let token = ApiToken {
            id: ApiTokenId(self.new_id()),
            user_id: caller.user_id,
            name,
            created_at: self.now(),
            last_used_at: None,
            expires_at: valid_days.map(|d| self.now() + Duration::days(d)),
            revoked_at: None,
        };
        let mut tx = self.write().await?;
        tx.insert_api_token(&token, &tokens::hash_token(&secret)).await?;
        let change = Change::new(Some(caller), Operation::CreateApiToken, token.id);
        self.record(tx.as_mut(), change, None::<&()>, Some(&token)).await?;
        tx.commit().await?;
        Ok(CreatedApiToken { token, secret })
    }

    /// The caller's personal tokens, revoked ones included, oldest first.
    pub async fn list_api_tokens(&self, caller: &Caller) -> AppResult<Vec<ApiToken>> {
        let mut tx = self.read().await?;
        Ok(tx.list_api_tokens(caller.user_id).await?)
    }

    /// Revokes one of the caller's tokens; it stops authenticating at once. Revoking a
    /// revoked token changes nothing. Another user's token is `NotFound`.
    pub async fn revoke_api_token(&self, caller: &Caller, id: ApiTokenId) -> AppResult<ApiToken> {
        let mut tx = self.write().await?;
        let before = match tx.find_api_token(id).await? {
            Some(token) if token.user_id == caller.user_id => token,
            _ => return Err(AppError::NotFound("API token")),
        };
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        let at = self.now();
        tx.revoke_api_token(id, at).await?;
        let after = ApiToken {
            revoked_at: Some(at),
            ..before.clone()
        };
        let change = Change::new(Some(caller), Operation::RevokeApiToken, id);
        self.record(tx.as_mut(), change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The usable personal token with this secret, or `Unauthenticated`. Its use is
    /// noted (and `last_used_at` says so) when the last note is stale.
    pub(crate) async fn find_usable_api_token(&self, secret: &str) -> AppResult<ApiToken> {
        let mut tx = self.read().await?;
        let token = tx.find_api_token_by_hash(&tokens::hash_token(secret)).await?;
        tx.rollback().await?;
        let mut token = token.ok_or(AppError::Unauthenticated(AuthFailure::UnknownApiToken))?;
        let now = self.now();
        if !token.is_usable(now) {
            return Err(AppError::Unauthenticated(AuthFailure::ApiTokenEnded));
        }
        if token.last_used_at.is_none_or(|at| now - at >= LAST_USED_PRECISION) {
            self.note_api_token_use(token.id, now).await;
            token.last_used_at = Some(now);
        }
        Ok(token)
    }

    /// For a personal token answered from memory: the token whose use is to be noted now,
    /// when its last note is stale (claimed, so that one request notes it).
    pub(crate) fn api_token_use_to_note(&self, entry: &CachedCaller, now: DateTime<Utc>) -> Option<ApiTokenId> {
        let id = entry.api_token?;
        let noted = entry.noted_at.load(Ordering::Acquire);
        let stale = noted == i64::MIN || now.timestamp().saturating_sub(noted) >= LAST_USED_PRECISION.num_seconds();
        let claimed = stale
            && entry
                .noted_at
                .compare_exchange(noted, now.timestamp(), Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
        claimed.then_some(id)
    }

    /// Records `last_used_at`. A failure here never fails the request.
    pub(crate) async fn note_api_token_use(&self, id: ApiTokenId, now: DateTime<Utc>) {
        let outcome = async {
            let mut tx = self.store().begin().await?;
            tx.touch_api_token(id, now).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = outcome {
            tracing::warn!(token_id = %id, error = %e, "cannot record the use of an API token");
        }
    }
}
