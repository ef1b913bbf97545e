//! The mail outbox and forgotten-password links. SQLite's write transactions run
//! `BEGIN IMMEDIATE`, so a claim excludes every other writer and two senders never take the
//! same message.

use chrono::{DateTime, Utc};
use partnerdesk_domain::mail::{Mail, MailKind, MailQueueCounts, PasswordReset};
use partnerdesk_domain::{MailId, UserId};
use rusqlite::{params, Connection, Row};

use super::rows::{execute, opt_ts, query_all, query_opt, ts, Cols};
use super::tx::SqliteTx;
use crate::{MailStore, StoreResult};
use async_trait::async_trait;

const MAIL_SELECT: &str = "SELECT id, created_at, recipient, lang, kind, subject, body_text, body_html, attempts, \
                           next_attempt_at, lease_until, sent_at, parked_at, last_error FROM mail_outbox";

fn read_mail(row: &Row<'_>) -> StoreResult<Mail> {
    let c = Cols::new(row, "mail_outbox");
    Ok(Mail {
        id: c.id("id")?,
        created_at: c.time("created_at")?,
        recipient: c.text("recipient")?,
        lang: c.text("lang")?,
        kind: c.name("kind", MailKind::parse)?,
        subject: c.text("subject")?,
        text: c.text("body_text")?,
        html: c.text("body_html")?,
        attempts: u32::try_from(c.int("attempts")?.max(0)).unwrap_or(u32::MAX),
        next_attempt_at: c.time("next_attempt_at")?,
        lease_until: c.opt_time("lease_until")?,
        sent_at: c.opt_time("sent_at")?,
        parked_at: c.opt_time("parked_at")?,
        last_error: c.opt_text("last_error")?,
    })
}

fn read_reset(row: &Row<'_>) -> StoreResult<PasswordReset> {
    let c = Cols::new(row, "password_resets");
    Ok(PasswordReset {
        token_hash: c.text("token_hash")?,
        user_id: c.id("user_id")?,
        created_at: c.time("created_at")?,
        expires_at: c.time("expires_at")?,
        used_at: c.opt_time("used_at")?,
    })
}

fn insert_mail(conn: &Connection, mails: &[Mail]) -> StoreResult<()> {
    for m in mails {
        execute(
            conn,
            "INSERT INTO mail_outbox (id, created_at, recipient, lang, kind, subject, body_text, body_html, \
             attempts, next_attempt_at, lease_until, sent_at, parked_at, last_error) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                m.id.to_string(),
                ts(&m.created_at),
                m.recipient,
                m.lang,
                m.kind.as_str(),
                m.subject,
                m.text,
                m.html,
                m.attempts,
                ts(&m.next_attempt_at),
                opt_ts(&m.lease_until),
                opt_ts(&m.sent_at),
                opt_ts(&m.parked_at),
                m.last_error,
            ],
        )?;
    }
    Ok(())
}

fn claim_due(
    conn: &Connection,
    now: &DateTime<Utc>,
    lease_until: &DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<Mail>> {
    let now = ts(now);
    let mut due = query_all(
        conn,
        &format!(
            "{MAIL_SELECT} WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= ?1 \
             AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?2"
        ),
        params![now, limit],
        read_mail,
    )?;
    for m in &mut due {
        m.lease_until = Some(*lease_until);
        execute(
            conn,
            "UPDATE mail_outbox SET lease_until = ?2 WHERE id = ?1",
            params![m.id.to_string(), ts(lease_until)],
        )?;
    }
    Ok(due)
}

/// Messages matching `filter` (a `WHERE` clause or nothing), oldest first.
fn list(conn: &Connection, filter: &str, limit: u32) -> StoreResult<Vec<Mail>> {
    let sql = format!("{MAIL_SELECT} {filter} ORDER BY created_at, id LIMIT ?1");
    query_all(conn, &sql, [limit], read_mail)
}

fn update_delivery(conn: &Connection, m: &Mail) -> StoreResult<()> {
    execute(
        conn,
        "UPDATE mail_outbox SET attempts = ?2, next_attempt_at = ?3, lease_until = ?4, sent_at = ?5, \
         parked_at = ?6, last_error = ?7 WHERE id = ?1",
        params![
            m.id.to_string(),
            m.attempts,
            ts(&m.next_attempt_at),
            opt_ts(&m.lease_until),
            opt_ts(&m.sent_at),
            opt_ts(&m.parked_at),
            m.last_error,
        ],
    )
    .map(drop)
}

fn count_queue(conn: &Connection) -> StoreResult<MailQueueCounts> {
    let count = |sql: &str| -> StoreResult<u64> {
        query_opt(conn, sql, [], |r| Cols::new(r, "mail_outbox").int("n"))
            .map(|n| u64::try_from(n.unwrap_or(0)).unwrap_or(0))
    };
    Ok(MailQueueCounts {
        queued: count(
            "SELECT COUNT(*) AS n FROM mail_outbox INDEXED BY mail_outbox_due \
             WHERE sent_at IS NULL AND parked_at IS NULL",
        )?,
        parked: count("SELECT COUNT(*) AS n FROM mail_outbox WHERE parked_at IS NOT NULL")?,
    })
}

#[async_trait]
impl MailStore for SqliteTx {
    async fn insert_mail(&mut self, mails: &[Mail]) -> StoreResult<()> {
        if mails.is_empty() {
            return Ok(());
        }
        let mails = mails.to_vec();
        self.call(move |c| insert_mail(c, &mails)).await
    }

    async fn claim_due_mail(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Mail>> {
        self.call(move |c| claim_due(c, &now, &lease_until, limit)).await
    }

    async fn update_mail_delivery(&mut self, mail: &Mail) -> StoreResult<()> {
        let mail = mail.clone();
        self.call(move |c| update_delivery(c, &mail)).await
    }

    async fn count_mail_queue(&mut self) -> StoreResult<MailQueueCounts> {
        self.call(count_queue).await
    }

    async fn list_unsent_mail(&mut self, limit: u32) -> StoreResult<Vec<Mail>> {
        self.call(move |c| list(c, "WHERE sent_at IS NULL", limit)).await
    }

    async fn list_mail(&mut self, limit: u32) -> StoreResult<Vec<Mail>> {
        self.call(move |c| list(c, "", limit)).await
    }

    async fn insert_password_reset(&mut self, reset: &PasswordReset) -> StoreResult<()> {
        let r = reset.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, used_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    r.token_hash,
                    r.user_id.to_string(),
                    ts(&r.created_at),
                    ts(&r.expires_at),
                    opt_ts(&r.used_at)
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn lock_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>> {
        let hash = token_hash.to_string();
        self.call(move |c| {
            query_opt(
                c,
                "SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets \
                 WHERE token_hash = ?1",
                [hash],
                read_reset,
            )
        })
        .await
    }

    async fn find_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>> {
        // A SQLite read is not locked: the same query as `lock_password_reset`, whose write
        // transaction is what excludes other writers.
        self.lock_password_reset(token_hash).await
    }

    async fn retry_mail(&mut self, only: Option<MailId>, now: DateTime<Utc>) -> StoreResult<u64> {
        const SET: &str =
            "UPDATE mail_outbox SET attempts = 0, next_attempt_at = ?1, lease_until = NULL, parked_at = NULL";
        self.call(move |c| {
            let n = match only {
                Some(id) => execute(
                    c,
                    &format!("{SET} WHERE id = ?2 AND sent_at IS NULL"),
                    params![ts(&now), id.to_string()],
                )?,
                None => execute(
                    c,
                    &format!("{SET} WHERE parked_at IS NOT NULL AND sent_at IS NULL"),
                    params![ts(&now)],
                )?,
            };
            Ok(n as u64)
        })
        .await
    }

    async fn use_password_resets(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        self.call(move |c| {
            execute(
                c,
                "UPDATE password_resets SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL",
                params![user.to_string(), ts(&at)],
            )
            .map(drop)
        })
        .await
    }
}
