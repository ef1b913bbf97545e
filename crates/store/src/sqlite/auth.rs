//! Rows of sign-in state: personal API tokens, refresh tokens, dashboard sessions, signing
//! keys, and the responses kept for idempotent POSTs.

use chrono::{DateTime, Utc};
use partnerdesk_domain::sign_in::SignInFailure;
use partnerdesk_domain::token::{ApiToken, RefreshToken, WebSession};
use partnerdesk_domain::values::Name;
use partnerdesk_domain::{ApiTokenId, RefreshTokenId, UserId, WebSessionId};
use rusqlite::{params, Connection, Row};

use super::rows::{execute, opt_id, opt_ts, query_all, query_opt, ts, Cols};
use super::tx::SqliteTx;
use crate::AuthStore;
use crate::{IdempotencyRecord, SigningKey, StoreError, StoreResult, StoredResponse};
use async_trait::async_trait;

const API_TOKENS: &str = "api_tokens";
const REFRESH_TOKENS: &str = "refresh_tokens";
const WEB_SESSIONS: &str = "web_sessions";
const SIGNING_KEYS: &str = "signing_keys";
const IDEMPOTENCY_KEYS: &str = "idempotency_keys";
const SIGN_IN_FAILURES: &str = "sign_in_failures";

// --- personal API tokens ---

const API_TOKEN_SELECT: &str =
    "SELECT id, user_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens";

fn read_api_token(row: &Row<'_>) -> StoreResult<ApiToken> {
    let c = Cols::new(row, API_TOKENS);
    Ok(ApiToken {
        id: c.id("id")?,
        user_id: c.id("user_id")?,
        name: c.parse("name", |s| Name::parse("name", s))?,
        created_at: c.time("created_at")?,
        last_used_at: c.opt_time("last_used_at")?,
        expires_at: c.opt_time("expires_at")?,
        revoked_at: c.opt_time("revoked_at")?,
    })
}

pub(super) fn insert_api_token(conn: &Connection, t: &ApiToken, token_hash: &str) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, expires_at, revoked_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            t.id.to_string(),
            t.user_id.to_string(),
            t.name.as_str(),
            token_hash,
            ts(&t.created_at),
            opt_ts(&t.last_used_at),
            opt_ts(&t.expires_at),
            opt_ts(&t.revoked_at)
        ],
    )
    .map(drop)
}

pub(super) fn find_api_token(conn: &Connection, id: ApiTokenId) -> StoreResult<Option<ApiToken>> {
    query_opt(
        conn,
        &format!("{API_TOKEN_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_api_token,
    )
}

pub(super) fn find_api_token_by_hash(conn: &Connection, token_hash: &str) -> StoreResult<Option<ApiToken>> {
    query_opt(
        conn,
        &format!("{API_TOKEN_SELECT} WHERE token_hash = ?1"),
        [token_hash],
        read_api_token,
    )
}

pub(super) fn list_api_tokens(conn: &Connection, user: UserId) -> StoreResult<Vec<ApiToken>> {
    query_all(
        conn,
        &format!("{API_TOKEN_SELECT} WHERE user_id = ?1 ORDER BY id"),
        [user.to_string()],
        read_api_token,
    )
}

pub(super) fn revoke_api_token(conn: &Connection, id: ApiTokenId, at: &DateTime<Utc>) -> StoreResult<bool> {
    let id = id.to_string();
    let changed = execute(
        conn,
        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, ts(at)],
    )?;
    if changed > 0 {
        return Ok(true);
    }
    match query_opt(conn, "SELECT 1 FROM api_tokens WHERE id = ?1", [&id], |_| Ok(()))? {
        Some(()) => Ok(false),
        None => Err(StoreError::NotFound("API token")),
    }
}

pub(super) fn touch_api_token(conn: &Connection, id: ApiTokenId, at: &DateTime<Utc>) -> StoreResult<()> {
    match execute(
        conn,
        "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
        params![id.to_string(), ts(at)],
    )? {
        0 => Err(StoreError::NotFound("API token")),
        _ => Ok(()),
    }
}

pub(super) fn revoke_api_tokens_of_user(conn: &Connection, user: UserId, at: &DateTime<Utc>) -> StoreResult<u64> {
    let n = execute(
        conn,
        "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user.to_string(), ts(at)],
    )?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

// --- refresh tokens ---

const REFRESH_TOKEN_SELECT: &str =
    "SELECT id, user_id, created_at, expires_at, revoked_at, replaced_by FROM refresh_tokens";

fn read_refresh_token(row: &Row<'_>) -> StoreResult<RefreshToken> {
    let c = Cols::new(row, REFRESH_TOKENS);
    Ok(RefreshToken {
        id: c.id("id")?,
        user_id: c.id("user_id")?,
        created_at: c.time("created_at")?,
        expires_at: c.time("expires_at")?,
        revoked_at: c.opt_time("revoked_at")?,
        replaced_by: c.opt_id("replaced_by")?,
    })
}

pub(super) fn insert_refresh_token(conn: &Connection, t: &RefreshToken, token_hash: &str) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO refresh_tokens (id, user_id, token_hash, created_at, expires_at, revoked_at, replaced_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            t.id.to_string(),
            t.user_id.to_string(),
            token_hash,
            ts(&t.created_at),
            ts(&t.expires_at),
            opt_ts(&t.revoked_at),
            opt_id(&t.replaced_by)
        ],
    )
    .map(drop)
}

pub(super) fn find_refresh_token(conn: &Connection, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>> {
    query_opt(
        conn,
        &format!("{REFRESH_TOKEN_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_refresh_token,
    )
}

pub(super) fn find_refresh_token_by_hash(conn: &Connection, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
    query_opt(
        conn,
        &format!("{REFRESH_TOKEN_SELECT} WHERE token_hash = ?1"),
        [token_hash],
        read_refresh_token,
    )
}

pub(super) fn revoke_refresh_token(
    conn: &Connection,
    id: RefreshTokenId,
    at: &DateTime<Utc>,
    replaced_by: Option<RefreshTokenId>,
) -> StoreResult<bool> {
    let id = id.to_string();
    let changed = execute(
        conn,
        "UPDATE refresh_tokens SET revoked_at = ?2, replaced_by = ?3 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, ts(at), opt_id(&replaced_by)],
    )?;
    if changed > 0 {
        return Ok(true);
    }
    match query_opt(conn, "SELECT 1 FROM refresh_tokens WHERE id = ?1", [&id], |_| Ok(()))? {
        Some(()) => Ok(false),
        None => Err(StoreError::NotFound("refresh token")),
    }
}

pub(super) fn revoke_refresh_tokens_of_user(conn: &Connection, user: UserId, at: &DateTime<Utc>) -> StoreResult<u64> {
    let n = execute(
        conn,
        "UPDATE refresh_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user.to_string(), ts(at)],
    )?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

// --- dashboard sessions ---

fn read_web_session(row: &Row<'_>) -> StoreResult<WebSession> {
    let c = Cols::new(row, WEB_SESSIONS);
    Ok(WebSession {
        id: c.id("id")?,
        user_id: c.id("user_id")?,
        csrf_token: c.text("csrf_token")?,
        created_at: c.time("created_at")?,
        expires_at: c.time("expires_at")?,
    })
}

pub(super) fn insert_web_session(conn: &Connection, s: &WebSession, secret_hash: &str) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO web_sessions (id, user_id, secret_hash, csrf_token, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.id.to_string(),
            s.user_id.to_string(),
            secret_hash,
            s.csrf_token,
            ts(&s.created_at),
            ts(&s.expires_at)
        ],
    )
    .map(drop)
}

pub(super) fn find_web_session_by_hash(conn: &Connection, secret_hash: &str) -> StoreResult<Option<WebSession>> {
    query_opt(
        conn,
        "SELECT id, user_id, csrf_token, created_at, expires_at FROM web_sessions WHERE secret_hash = ?1",
        [secret_hash],
        read_web_session,
    )
}

pub(super) fn delete_web_session(conn: &Connection, id: WebSessionId) -> StoreResult<bool> {
    execute(conn, "DELETE FROM web_sessions WHERE id = ?1", [id.to_string()]).map(|n| n > 0)
}

pub(super) fn delete_web_sessions_before(conn: &Connection, before: &DateTime<Utc>) -> StoreResult<u64> {
    let n = execute(conn, "DELETE FROM web_sessions WHERE expires_at < ?1", [ts(before)])?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

pub(super) fn delete_web_sessions_of_user(conn: &Connection, user: UserId) -> StoreResult<u64> {
    let n = execute(conn, "DELETE FROM web_sessions WHERE user_id = ?1", [user.to_string()])?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

// --- failed sign-ins ---

fn read_sign_in_failure(row: &Row<'_>) -> StoreResult<SignInFailure> {
    let c = Cols::new(row, SIGN_IN_FAILURES);
    Ok(SignInFailure {
        id: c.id("id")?,
        account: c.text("account_key")?,
        client: c.text("client_key")?,
        failed_at: c.time("failed_at")?,
    })
}

/// Write transactions are `BEGIN IMMEDIATE`: no other writer runs until this one ends.
pub(super) fn lock_sign_in_failures(
    conn: &Connection,
    account: &str,
    since: &DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<SignInFailure>> {
    query_all(
        conn,
        "SELECT id, account_key, client_key, failed_at FROM sign_in_failures \
         WHERE account_key = ?1 AND failed_at >= ?2 ORDER BY failed_at DESC LIMIT ?3",
        params![account, ts(since), limit],
        read_sign_in_failure,
    )
}

pub(super) fn insert_sign_in_failure(conn: &Connection, f: &SignInFailure) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO sign_in_failures (id, account_key, client_key, failed_at) VALUES (?1, ?2, ?3, ?4)",
        params![f.id.to_string(), f.account, f.client, ts(&f.failed_at)],
    )
    .map(drop)
}

pub(super) fn delete_sign_in_failures_of_client(conn: &Connection, account: &str, client: &str) -> StoreResult<u64> {
    let n = execute(
        conn,
        "DELETE FROM sign_in_failures WHERE account_key = ?1 AND client_key = ?2",
        params![account, client],
    )?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

pub(super) fn delete_sign_in_failures_before(conn: &Connection, before: &DateTime<Utc>) -> StoreResult<u64> {
    let n = execute(conn, "DELETE FROM sign_in_failures WHERE failed_at < ?1", [ts(before)])?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

// --- signing keys ---

fn read_signing_key(row: &Row<'_>) -> StoreResult<SigningKey> {
    let c = Cols::new(row, SIGNING_KEYS);
    Ok(SigningKey {
        kid: c.text("kid")?,
        algorithm: c.text("algorithm")?,
        private_key: c.text("private_key")?,
        public_jwk: c.text("public_jwk")?,
        created_at: c.time("created_at")?,
    })
}

pub(super) fn insert_signing_key(conn: &Connection, k: &SigningKey) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO signing_keys (kid, algorithm, private_key, public_jwk, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![k.kid, k.algorithm, k.private_key, k.public_jwk, ts(&k.created_at)],
    )
    .map(drop)
}

pub(super) fn list_signing_keys(conn: &Connection) -> StoreResult<Vec<SigningKey>> {
    query_all(
        conn,
        "SELECT kid, algorithm, private_key, public_jwk, created_at FROM signing_keys ORDER BY created_at, kid",
        [],
        read_signing_key,
    )
}

// --- idempotency keys ---

fn read_idempotency(row: &Row<'_>) -> StoreResult<IdempotencyRecord> {
    let c = Cols::new(row, IDEMPOTENCY_KEYS);
    let response = match c.opt_int("status")? {
        None => None,
        Some(status) => Some(StoredResponse {
            status: u16::try_from(status)
                .map_err(|e| StoreError::Corrupt(format!("{IDEMPOTENCY_KEYS}.status: {e}")))?,
            body: c.opt_blob("body")?.unwrap_or_default(),
            content_type: c.opt_text("content_type")?,
            location: c.opt_text("location")?,
        }),
    };
    Ok(IdempotencyRecord {
        user_id: c.id("user_id")?,
        request_id: c.text("request_id")?,
        org_id: c.id("org_id")?,
        method: c.text("method")?,
        path: c.text("path")?,
        response,
        created_at: c.time("created_at")?,
    })
}

pub(super) fn insert_idempotency_key(conn: &Connection, r: &IdempotencyRecord) -> StoreResult<()> {
    let response = r.response.as_ref();
    execute(
        conn,
        "INSERT INTO idempotency_keys (user_id, request_id, org_id, method, path, status, body, content_type, \
         location, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            r.user_id.to_string(),
            r.request_id,
            r.org_id.to_string(),
            r.method,
            r.path,
            response.map(|s| s.status),
            response.map(|s| s.body.as_slice()),
            response.and_then(|s| s.content_type.as_deref()),
            response.and_then(|s| s.location.as_deref()),
            ts(&r.created_at)
        ],
    )
    .map(drop)
}

pub(super) fn find_idempotency_key(
    conn: &Connection,
    user: UserId,
    request_id: &str,
) -> StoreResult<Option<IdempotencyRecord>> {
    query_opt(
        conn,
        "SELECT user_id, request_id, org_id, method, path, status, body, content_type, location, created_at \
         FROM idempotency_keys WHERE user_id = ?1 AND request_id = ?2",
        params![user.to_string(), request_id],
        read_idempotency,
    )
}

pub(super) fn complete_idempotency_key(
    conn: &Connection,
    user: UserId,
    request_id: &str,
    response: &StoredResponse,
) -> StoreResult<()> {
    match execute(
        conn,
        "UPDATE idempotency_keys SET status = ?3, body = ?4, content_type = ?5, location = ?6 \
         WHERE user_id = ?1 AND request_id = ?2",
        params![
            user.to_string(),
            request_id,
            response.status,
            response.body.as_slice(),
            response.content_type.as_deref(),
            response.location.as_deref()
        ],
    )? {
        0 => Err(StoreError::NotFound("idempotency key")),
        _ => Ok(()),
    }
}

pub(super) fn delete_idempotency_key(conn: &Connection, user: UserId, request_id: &str) -> StoreResult<bool> {
    execute(
        conn,
        "DELETE FROM idempotency_keys WHERE user_id = ?1 AND request_id = ?2",
        params![user.to_string(), request_id],
    )
    .map(|n| n > 0)
}

pub(super) fn delete_idempotency_keys_before(conn: &Connection, before: &DateTime<Utc>) -> StoreResult<u64> {
    let n = execute(conn, "DELETE FROM idempotency_keys WHERE created_at < ?1", [ts(before)])?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

// --- server keys ---

pub(super) fn ensure_server_key(
    conn: &Connection,
    name: &str,
    candidate: &str,
    at: &DateTime<Utc>,
) -> StoreResult<String> {
    execute(
        conn,
        "INSERT INTO server_keys (name, secret, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
        params![name, candidate, ts(at)],
    )?;
    find_server_key(conn, name)?.ok_or(StoreError::NotFound("server key"))
}

pub(super) fn find_server_key(conn: &Connection, name: &str) -> StoreResult<Option<String>> {
    query_opt(conn, "SELECT secret FROM server_keys WHERE name = ?1", [name], |row| {
        Cols::new(row, "server_keys").text("secret")
    })
}

#[async_trait]
impl AuthStore for SqliteTx {
    async fn insert_api_token(&mut self, token: &ApiToken, token_hash: &str) -> StoreResult<()> {
        let (token, hash) = (token.clone(), token_hash.to_owned());
        self.call(move |c| insert_api_token(c, &token, &hash)).await
    }

    async fn find_api_token(&mut self, id: ApiTokenId) -> StoreResult<Option<ApiToken>> {
        self.call(move |c| find_api_token(c, id)).await
    }

    async fn find_api_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<ApiToken>> {
        let hash = token_hash.to_owned();
        self.call(move |c| find_api_token_by_hash(c, &hash)).await
    }

    async fn list_api_tokens(&mut self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        self.call(move |c| list_api_tokens(c, user)).await
    }

    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.call(move |c| revoke_api_token(c, id, &at)).await
    }

    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        self.call(move |c| touch_api_token(c, id, &at)).await
    }

    async fn revoke_api_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| revoke_api_tokens_of_user(c, user, &at)).await
    }

    async fn insert_refresh_token(&mut self, token: &RefreshToken, token_hash: &str) -> StoreResult<()> {
        let (token, hash) = (token.clone(), token_hash.to_owned());
        self.call(move |c| insert_refresh_token(c, &token, &hash)).await
    }

    async fn find_refresh_token(&mut self, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>> {
        self.call(move |c| find_refresh_token(c, id)).await
    }

    async fn find_refresh_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        let hash = token_hash.to_owned();
        self.call(move |c| find_refresh_token_by_hash(c, &hash)).await
    }

    async fn revoke_refresh_token(
        &mut self,
        id: RefreshTokenId,
        at: DateTime<Utc>,
        replaced_by: Option<RefreshTokenId>,
    ) -> StoreResult<bool> {
        self.call(move |c| revoke_refresh_token(c, id, &at, replaced_by)).await
    }

    async fn revoke_refresh_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| revoke_refresh_tokens_of_user(c, user, &at)).await
    }

    async fn insert_web_session(&mut self, session: &WebSession, secret_hash: &str) -> StoreResult<()> {
        let (session, hash) = (session.clone(), secret_hash.to_owned());
        self.call(move |c| insert_web_session(c, &session, &hash)).await
    }

    async fn find_web_session_by_hash(&mut self, secret_hash: &str) -> StoreResult<Option<WebSession>> {
        let hash = secret_hash.to_owned();
        self.call(move |c| find_web_session_by_hash(c, &hash)).await
    }

    async fn delete_web_session(&mut self, id: WebSessionId) -> StoreResult<bool> {
        self.call(move |c| delete_web_session(c, id)).await
    }

    async fn delete_web_sessions_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| delete_web_sessions_before(c, &before)).await
    }

    async fn delete_web_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64> {
        self.call(move |c| delete_web_sessions_of_user(c, user)).await
    }

    async fn lock_sign_in_failures(
        &mut self,
        account: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<SignInFailure>> {
        let account = account.to_owned();
        self.call(move |c| lock_sign_in_failures(c, &account, &since, limit))
            .await
    }

    async fn insert_sign_in_failure(&mut self, failure: &SignInFailure) -> StoreResult<()> {
        let failure = failure.clone();
        self.call(move |c| insert_sign_in_failure(c, &failure)).await
    }

    async fn delete_sign_in_failures_of_client(&mut self, account: &str, client: &str) -> StoreResult<u64> {
        let (account, client) = (account.to_owned(), client.to_owned());
        self.call(move |c| delete_sign_in_failures_of_client(c, &account, &client))
            .await
    }

    async fn delete_sign_in_failures_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| delete_sign_in_failures_before(c, &before)).await
    }

    async fn insert_signing_key(&mut self, key: &SigningKey) -> StoreResult<()> {
        let key = key.clone();
        self.call(move |c| insert_signing_key(c, &key)).await
    }

    async fn list_signing_keys(&mut self) -> StoreResult<Vec<SigningKey>> {
        self.call(list_signing_keys).await
    }

    async fn ensure_server_key(&mut self, name: &str, candidate: &str, at: DateTime<Utc>) -> StoreResult<String> {
        let (name, candidate) = (name.to_string(), candidate.to_string());
        self.call(move |c| ensure_server_key(c, &name, &candidate, &at)).await
    }

    async fn find_server_key(&mut self, name: &str) -> StoreResult<Option<String>> {
        let name = name.to_string();
        self.call(move |c| find_server_key(c, &name)).await
    }

    async fn insert_idempotency_key(&mut self, record: &IdempotencyRecord) -> StoreResult<()> {
        let record = record.clone();
        self.call(move |c| insert_idempotency_key(c, &record)).await
    }

    async fn find_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let request_id = request_id.to_owned();
        self.call(move |c| find_idempotency_key(c, user, &request_id)).await
    }

    async fn complete_idempotency_key(
        &mut self,
        user: UserId,
        request_id: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        let (request_id, response) = (request_id.to_owned(), response.clone());
        self.call(move |c| complete_idempotency_key(c, user, &request_id, &response))
            .await
    }

    async fn delete_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<bool> {
        let request_id = request_id.to_owned();
        self.call(move |c| delete_idempotency_key(c, user, &request_id)).await
    }

    async fn delete_idempotency_keys_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| delete_idempotency_keys_before(c, &before)).await
    }
}
