//! The mail outbox and forgotten-password links. A claim takes due rows
//! `FOR UPDATE SKIP LOCKED` and leases them in the same statement, so concurrent senders on
//! any number of nodes take different messages, and a message stays with its sender until
//! the lease ends.

use chrono::{DateTime, Utc};
use partnerdesk_domain::mail::{Mail, MailKind, MailQueueCounts, PasswordReset};
use partnerdesk_domain::{MailId, UserId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::rows::{known, Cols};
use super::{db_err, limit, PgTx};
use crate::{MailStore, StoreResult};
use async_trait::async_trait;

const MAIL_COLS: &str = "id, created_at, recipient, lang, kind, subject, body_text, body_html, attempts, \
                         next_attempt_at, lease_until, sent_at, parked_at, last_error";

fn mail_from_row(row: &PgRow) -> StoreResult<Mail> {
    let c = Cols::new(row, "mail_outbox");
    Ok(Mail {
        id: c.id("id")?,
        created_at: c.get("created_at")?,
        recipient: c.get("recipient")?,
        lang: c.get("lang")?,
        kind: c.parse("kind", |s| known(MailKind::parse(s), s))?,
        subject: c.get("subject")?,
        text: c.get("body_text")?,
        html: c.get("body_html")?,
        attempts: u32::try_from(c.get::<i32>("attempts")?.max(0)).unwrap_or(0),
        next_attempt_at: c.get("next_attempt_at")?,
        lease_until: c.get("lease_until")?,
        sent_at: c.get("sent_at")?,
        parked_at: c.get("parked_at")?,
        last_error: c.get("last_error")?,
    })
}

fn reset_from_row(row: &PgRow) -> StoreResult<PasswordReset> {
    let c = Cols::new(row, "password_resets");
    Ok(PasswordReset {
        token_hash: c.get("token_hash")?,
        user_id: c.id("user_id")?,
        created_at: c.get("created_at")?,
        expires_at: c.get("expires_at")?,
        used_at: c.get("used_at")?,
    })
}

fn attempts(m: &Mail) -> i32 {
    i32::try_from(m.attempts).unwrap_or(i32::MAX)
}

async fn select_mail(conn: &mut PgConnection, tail: &str, n: u32) -> StoreResult<Vec<Mail>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MAIL_COLS} FROM mail_outbox {tail} LIMIT $1"
    )))
    .bind(limit(n))
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(mail_from_row)
    .collect()
}

#[async_trait]
impl MailStore for PgTx {
    async fn insert_mail(&mut self, mails: &[Mail]) -> StoreResult<()> {
        for m in mails {
            let conn: &mut PgConnection = &mut self.tx;
            sqlx::query(
                "INSERT INTO mail_outbox (id, created_at, recipient, lang, kind, subject, body_text, body_html,
                     attempts, next_attempt_at, lease_until, sent_at, parked_at, last_error)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(m.id.uuid())
            .bind(m.created_at)
            .bind(m.recipient.as_str())
            .bind(m.lang.as_str())
            .bind(m.kind.as_str())
            .bind(m.subject.as_str())
            .bind(m.text.as_str())
            .bind(m.html.as_str())
            .bind(attempts(m))
            .bind(m.next_attempt_at)
            .bind(m.lease_until)
            .bind(m.sent_at)
            .bind(m.parked_at)
            .bind(m.last_error.as_deref())
            .execute(conn)
            .await
            .map_err(db_err)?;
        }
        Ok(())
    }

    async fn claim_due_mail(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<Mail>> {
        let conn: &mut PgConnection = &mut self.tx;
        let mut claimed: Vec<Mail> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE mail_outbox SET lease_until = $2 WHERE id IN (
                 SELECT id FROM mail_outbox
                  WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= $1
                    AND (lease_until IS NULL OR lease_until <= $1)
                  ORDER BY next_attempt_at, id LIMIT $3
                    FOR UPDATE SKIP LOCKED)
             RETURNING {MAIL_COLS}"
        )))
        .bind(now)
        .bind(lease_until)
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(mail_from_row)
        .collect::<StoreResult<_>>()?;
        claimed.sort_by_key(|m| (m.next_attempt_at, m.id));
        Ok(claimed)
    }

    async fn update_mail_delivery(&mut self, m: &Mail) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, lease_until = $4, sent_at = $5,
                 parked_at = $6, last_error = $7 WHERE id = $1",
        )
        .bind(m.id.uuid())
        .bind(attempts(m))
        .bind(m.next_attempt_at)
        .bind(m.lease_until)
        .bind(m.sent_at)
        .bind(m.parked_at)
        .bind(m.last_error.as_deref())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn count_mail_queue(&mut self) -> StoreResult<MailQueueCounts> {
        let conn: &mut PgConnection = &mut self.tx;
        let (queued, parked): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND parked_at IS NULL),
                    (SELECT COUNT(*) FROM mail_outbox WHERE parked_at IS NOT NULL)",
        )
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
        Ok(MailQueueCounts {
            queued: u64::try_from(queued).unwrap_or(0),
            parked: u64::try_from(parked).unwrap_or(0),
        })
    }

    async fn list_unsent_mail(&mut self, n: u32) -> StoreResult<Vec<Mail>> {
        select_mail(&mut self.tx, "WHERE sent_at IS NULL ORDER BY created_at, id", n).await
    }

    async fn list_mail(&mut self, n: u32) -> StoreResult<Vec<Mail>> {
        select_mail(&mut self.tx, "ORDER BY created_at, id", n).await
    }

    async fn insert_password_reset(&mut self, r: &PasswordReset) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(r.token_hash.as_str())
        .bind(r.user_id.uuid())
        .bind(r.created_at)
        .bind(r.expires_at)
        .bind(r.used_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn lock_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets
              WHERE token_hash = $1 FOR UPDATE",
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(reset_from_row)
        .transpose()
    }

    async fn find_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets
              WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(reset_from_row)
        .transpose()
    }

    async fn retry_mail(&mut self, only: Option<MailId>, now: DateTime<Utc>) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        // `$2` is the message, or NULL for every parked one.
        let done = sqlx::query(
            "UPDATE mail_outbox SET attempts = 0, next_attempt_at = $1, lease_until = NULL, parked_at = NULL
              WHERE sent_at IS NULL AND (id = $2 OR ($2 IS NULL AND parked_at IS NOT NULL))",
        )
        .bind(now)
        .bind(only.map(|id| id.uuid()))
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn use_password_resets(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
            .bind(user.uuid())
            .bind(at)
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
