//! Sign-in state: personal API tokens, refresh tokens, dashboard sessions, signing keys, and
//! the responses kept for idempotent POSTs.

use chrono::{DateTime, Utc};
use partnerdesk_domain::sign_in::SignInFailure;
use partnerdesk_domain::token::{ApiToken, RefreshToken, WebSession};
use partnerdesk_domain::values::Name;
use partnerdesk_domain::{ApiTokenId, RefreshTokenId, UserId, WebSessionId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::db_err;
use super::rows::Cols;
use super::PgTx;
use crate::AuthStore;
use crate::{IdempotencyRecord, SigningKey, StoreError, StoreResult, StoredResponse};
use async_trait::async_trait;

// --- personal API tokens ---

fn api_token_from_row(row: &PgRow) -> StoreResult<ApiToken> {
    let r = Cols::new(row, "api_tokens");
    Ok(ApiToken {
        id: r.id("id")?,
        user_id: r.id("user_id")?,
        name: r.parse("name", |s| Name::parse("name", s))?,
        created_at: r.get("created_at")?,
        last_used_at: r.get("last_used_at")?,
        expires_at: r.get("expires_at")?,
        revoked_at: r.get("revoked_at")?,
    })
}

// --- refresh tokens ---

fn refresh_token_from_row(row: &PgRow) -> StoreResult<RefreshToken> {
    let r = Cols::new(row, "refresh_tokens");
    Ok(RefreshToken {
        id: r.id("id")?,
        user_id: r.id("user_id")?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        revoked_at: r.get("revoked_at")?,
        replaced_by: r.id_opt("replaced_by")?,
    })
}

// --- dashboard sessions ---

fn web_session_from_row(row: &PgRow) -> StoreResult<WebSession> {
    let r = Cols::new(row, "web_sessions");
    Ok(WebSession {
        id: r.id("id")?,
        user_id: r.id("user_id")?,
        csrf_token: r.get("csrf_token")?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
    })
}

// --- failed sign-ins ---

/// The class of the advisory locks that serialise sign-ins to one account (the second key
/// is a hash of the account key); the two-key lock space is apart from the one-key space.
const SIGN_IN_LOCK_CLASS: i32 = 4;

fn sign_in_failure_from_row(row: &PgRow) -> StoreResult<SignInFailure> {
    let r = Cols::new(row, "sign_in_failures");
    Ok(SignInFailure {
        id: r.get("id")?,
        account: r.get("account_key")?,
        client: r.get("client_key")?,
        failed_at: r.get("failed_at")?,
    })
}

// --- signing keys ---

fn signing_key_from_row(row: &PgRow) -> StoreResult<SigningKey> {
    let r = Cols::new(row, "signing_keys");
    Ok(SigningKey {
        kid: r.get("kid")?,
        algorithm: r.get("algorithm")?,
        private_key: r.get("private_key")?,
        public_jwk: r.get("public_jwk")?,
        created_at: r.get("created_at")?,
    })
}

// --- idempotency keys ---

fn idempotency_from_row(row: &PgRow) -> StoreResult<IdempotencyRecord> {
    let r = Cols::new(row, "idempotency_keys");
    let response = match r.get::<Option<i32>>("status")? {
        None => None,
        Some(status) => Some(StoredResponse {
            status: u16::try_from(status).map_err(|e| StoreError::Corrupt(format!("idempotency_keys.status: {e}")))?,
            body: r.get::<Option<Vec<u8>>>("body")?.unwrap_or_default(),
            content_type: r.get("content_type")?,
            location: r.get("location")?,
        }),
    };
    Ok(IdempotencyRecord {
        user_id: r.id("user_id")?,
        request_id: r.get("request_id")?,
        org_id: r.id("org_id")?,
        method: r.get("method")?,
        path: r.get("path")?,
        response,
        created_at: r.get("created_at")?,
    })
}

// --- server keys ---

#[async_trait]
impl AuthStore for PgTx {
    async fn insert_api_token(&mut self, t: &ApiToken, token_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.id.uuid())
        .bind(t.user_id.uuid())
        .bind(t.name.as_str())
        .bind(token_hash)
        .bind(t.created_at)
        .bind(t.last_used_at)
        .bind(t.expires_at)
        .bind(t.revoked_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_api_token(&mut self, id: ApiTokenId) -> StoreResult<Option<ApiToken>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, user_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens WHERE id = $1",
        )
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(api_token_from_row)
        .transpose()
    }

    async fn find_api_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<ApiToken>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, user_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens
         WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(api_token_from_row)
        .transpose()
    }

    async fn list_api_tokens(&mut self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, user_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens
         WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(api_token_from_row)
        .collect()
    }

    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let changed = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id.uuid())
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?
            .rows_affected();
        if changed > 0 {
            return Ok(true);
        }
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1)")
            .bind(id.uuid())
            .fetch_one(conn)
            .await
            .map_err(db_err)?;
        if exists {
            Ok(false)
        } else {
            Err(StoreError::NotFound("API token"))
        }
    }

    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let changed = sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id.uuid())
            .bind(at)
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected();
        match changed {
            0 => Err(StoreError::NotFound("API token")),
            _ => Ok(()),
        }
    }

    async fn revoke_api_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(
            sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(user.uuid())
                .bind(at)
                .execute(conn)
                .await
                .map_err(db_err)?
                .rows_affected(),
        )
    }

    async fn insert_refresh_token(&mut self, t: &RefreshToken, token_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO refresh_tokens (id, user_id, token_hash, created_at, expires_at, revoked_at, replaced_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id.uuid())
        .bind(t.user_id.uuid())
        .bind(token_hash)
        .bind(t.created_at)
        .bind(t.expires_at)
        .bind(t.revoked_at)
        .bind(t.replaced_by.map(RefreshTokenId::uuid))
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_refresh_token(&mut self, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, user_id, created_at, expires_at, revoked_at, replaced_by FROM refresh_tokens WHERE id = $1",
        )
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(refresh_token_from_row)
        .transpose()
    }

    async fn find_refresh_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, user_id, created_at, expires_at, revoked_at, replaced_by FROM refresh_tokens
         WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(refresh_token_from_row)
        .transpose()
    }

    // Under READ COMMITTED a second concurrent rotation waits on the first one's row lock,
    // then re-checks `revoked_at IS NULL` and changes nothing: exactly one of them wins.
    async fn revoke_refresh_token(
        &mut self,
        id: RefreshTokenId,
        at: DateTime<Utc>,
        replaced_by: Option<RefreshTokenId>,
    ) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let changed = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id.uuid())
        .bind(at)
        .bind(replaced_by.map(RefreshTokenId::uuid))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?
        .rows_affected();
        if changed > 0 {
            return Ok(true);
        }
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE id = $1)")
            .bind(id.uuid())
            .fetch_one(conn)
            .await
            .map_err(db_err)?;
        if exists {
            Ok(false)
        } else {
            Err(StoreError::NotFound("refresh token"))
        }
    }

    async fn revoke_refresh_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(
            sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(user.uuid())
                .bind(at)
                .execute(conn)
                .await
                .map_err(db_err)?
                .rows_affected(),
        )
    }

    async fn insert_web_session(&mut self, s: &WebSession, secret_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO web_sessions (id, user_id, secret_hash, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(s.id.uuid())
        .bind(s.user_id.uuid())
        .bind(secret_hash)
        .bind(s.csrf_token.as_str())
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_web_session_by_hash(&mut self, secret_hash: &str) -> StoreResult<Option<WebSession>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT id, user_id, csrf_token, created_at, expires_at FROM web_sessions WHERE secret_hash = $1")
            .bind(secret_hash)
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(web_session_from_row)
            .transpose()
    }

    async fn delete_web_session(&mut self, id: WebSessionId) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let deleted = sqlx::query("DELETE FROM web_sessions WHERE id = $1")
            .bind(id.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn delete_web_sessions_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(sqlx::query("DELETE FROM web_sessions WHERE expires_at < $1")
            .bind(before)
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected())
    }

    async fn delete_web_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
            .bind(user.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected())
    }

    // Takes a transaction-scoped advisory lock on the account first: rows that do not exist
    // yet cannot be locked with `FOR UPDATE`, and the count must include them.
    async fn lock_sign_in_failures(
        &mut self,
        account: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<SignInFailure>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(SIGN_IN_LOCK_CLASS)
            .bind(account)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "SELECT id, account_key, client_key, failed_at FROM sign_in_failures
         WHERE account_key = $1 AND failed_at >= $2 ORDER BY failed_at DESC LIMIT $3",
        )
        .bind(account)
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(sign_in_failure_from_row)
        .collect()
    }

    async fn insert_sign_in_failure(&mut self, f: &SignInFailure) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("INSERT INTO sign_in_failures (id, account_key, client_key, failed_at) VALUES ($1, $2, $3, $4)")
            .bind(f.id)
            .bind(f.account.as_str())
            .bind(f.client.as_str())
            .bind(f.failed_at)
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_sign_in_failures_of_client(&mut self, account: &str, client: &str) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(
            sqlx::query("DELETE FROM sign_in_failures WHERE account_key = $1 AND client_key = $2")
                .bind(account)
                .bind(client)
                .execute(conn)
                .await
                .map_err(db_err)?
                .rows_affected(),
        )
    }

    async fn delete_sign_in_failures_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
            .bind(before)
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected())
    }

    async fn insert_signing_key(&mut self, k: &SigningKey) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
        "INSERT INTO signing_keys (kid, algorithm, private_key, public_jwk, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(k.kid.as_str())
    .bind(k.algorithm.as_str())
    .bind(k.private_key.as_str())
    .bind(k.public_jwk.as_str())
    .bind(k.created_at)
    .execute(conn)
    .await
    .map_err(db_err)?;
        Ok(())
    }

    async fn list_signing_keys(&mut self) -> StoreResult<Vec<SigningKey>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT kid, algorithm, private_key, public_jwk, created_at FROM signing_keys ORDER BY created_at, kid",
        )
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(signing_key_from_row)
        .collect()
    }

    async fn ensure_server_key(&mut self, name: &str, candidate: &str, at: DateTime<Utc>) -> StoreResult<String> {
        let conn: &mut PgConnection = &mut self.tx;
        // A concurrent first insert makes this one wait for it and then do nothing; the select
        // that follows sees whichever secret was committed first.
        sqlx::query(
            "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        self.find_server_key(name)
            .await?
            .ok_or(StoreError::NotFound("server key"))
    }

    async fn find_server_key(&mut self, name: &str) -> StoreResult<Option<String>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar("SELECT secret FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await
            .map_err(db_err)
    }

    async fn insert_idempotency_key(&mut self, rec: &IdempotencyRecord) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let response = rec.response.as_ref();
        sqlx::query(
            "INSERT INTO idempotency_keys (user_id, request_id, org_id, method, path, status, body, content_type,
                                       location, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(rec.user_id.uuid())
        .bind(rec.request_id.as_str())
        .bind(rec.org_id.uuid())
        .bind(rec.method.as_str())
        .bind(rec.path.as_str())
        .bind(response.map(|s| i32::from(s.status)))
        .bind(response.map(|s| s.body.as_slice()))
        .bind(response.and_then(|s| s.content_type.as_deref()))
        .bind(response.and_then(|s| s.location.as_deref()))
        .bind(rec.created_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT user_id, request_id, org_id, method, path, status, body, content_type, location, created_at
         FROM idempotency_keys WHERE user_id = $1 AND request_id = $2",
        )
        .bind(user.uuid())
        .bind(request_id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(idempotency_from_row)
        .transpose()
    }

    async fn complete_idempotency_key(
        &mut self,
        user: UserId,
        request_id: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let changed = sqlx::query(
            "UPDATE idempotency_keys SET status = $3, body = $4, content_type = $5, location = $6
         WHERE user_id = $1 AND request_id = $2",
        )
        .bind(user.uuid())
        .bind(request_id)
        .bind(i32::from(response.status))
        .bind(response.body.as_slice())
        .bind(response.content_type.as_deref())
        .bind(response.location.as_deref())
        .execute(conn)
        .await
        .map_err(db_err)?
        .rows_affected();
        match changed {
            0 => Err(StoreError::NotFound("idempotency key")),
            _ => Ok(()),
        }
    }

    async fn delete_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let deleted = sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND request_id = $2")
            .bind(user.uuid())
            .bind(request_id)
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn delete_idempotency_keys_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(before)
            .execute(conn)
            .await
            .map_err(db_err)?
            .rows_affected())
    }
}
