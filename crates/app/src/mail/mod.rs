//! E-mail: the mail outbox and its sender.
//!
//! A use case that mails someone queues the message with [`App::queue_mail`] in its own
//! transaction, rendered in the recipient's language (`messages.rs`), so a change and its
//! mail commit or roll back together. [`App::send_mail`] (run by `serve` on every node)
//! claims due messages under a lease ([`partnerdesk_domain::delivery::LEASE`]; PostgreSQL
//! `FOR UPDATE SKIP LOCKED`, SQLite one writer at a time), sends them over SMTP outside any
//! transaction, and marks each sent, or failed by the schedule of
//! [`partnerdesk_domain::delivery`] (retried, parked after the last attempt). A message is
//! never lost, and sent twice only if a sender dies between the SMTP answer and marking it
//! sent (its lease then ends and another sender tries again).
//!
//! Without an SMTP URL e-mail is off: nothing is queued, and the dashboard says so where it
//! matters.

mod messages;
mod notices;

use std::fmt;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use partnerdesk_domain::mail::{Mail, MailQueueCounts};
use partnerdesk_domain::org::{Role, User};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::{MailId, OrgId};
use partnerdesk_store::Tx;
use rand::Rng;

pub use messages::{MailLang, Message, Rendered};

use crate::{App, AppError, AppResult, Caller};

/// Messages claimed per transaction.
const BATCH: u32 = 20;

/// An SMTP server's URL (`smtp://host:port`, `smtps://user:password@host`, or with
/// `?tls=required` for STARTTLS). Its `Debug` and `Display` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    /// Checks the URL's scheme and host; the password is kept as given.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let Some((scheme, rest)) = raw.split_once("://") else {
            return Err("an SMTP URL starts with smtp:// or smtps:// (e.g. smtp://127.0.0.1:2525)".into());
        };
        if scheme != "smtp" && scheme != "smtps" {
            return Err(format!(
                "an SMTP URL starts with smtp:// or smtps://, not {scheme}:// (e.g. smtp://127.0.0.1:2525)"
            ));
        }
        let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        if host.is_empty() || host.starts_with([':', '/', '?']) {
            return Err("the SMTP URL names no host (e.g. smtp://127.0.0.1:2525)".into());
        }
        AsyncSmtpTransport::<Tokio1Executor>::from_url(raw).map_err(|e| format!("the SMTP URL is not usable: {e}"))?;
        Ok(Self(raw.to_string()))
    }

    /// The URL with its password replaced by `***`, for logs.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        match rest.rsplit_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
                format!("{scheme}://{user}:***@{host}")
            }
            None => self.0.clone(),
        }
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({})", self.redacted())
    }
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// How this installation sends mail.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp_url: SmtpUrl,
    /// The sender, `partnerdesk@example.com` or `partnerdesk <partnerdesk@example.com>`.
    pub from: String,
}

impl MailConfig {
    /// Checks the sender's address too.
    pub fn new(smtp_url: SmtpUrl, from: &str) -> Result<Self, String> {
        from.parse::<Mailbox>()
            .map_err(|e| format!("the sender address {from:?} is not an e-mail address: {e}"))?;
        Ok(Self {
            smtp_url,
            from: from.to_string(),
        })
    }
}

/// The SMTP client of one app, made from [`MailConfig`] on first use.
pub(crate) struct Sender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Sender {
    fn new(config: &MailConfig) -> AppResult<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url.0)
            .map_err(|e| AppError::Internal(format!("SMTP URL {}: {e}", config.smtp_url)))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from = config
            .from
            .parse()
            .map_err(|e| AppError::Internal(format!("sender address: {e}")))?;
        Ok(Self { transport, from })
    }

    /// Sends one message; the error in words for the outbox's `last_error`.
    async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|e| format!("recipient {:?}: {e}", mail.recipient))?;
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone());
        let body = if mail.html.is_empty() {
            MultiPart::mixed().singlepart(text)
        } else {
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(mail.html.clone()),
            )
        };
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@partnerdesk>", mail.id)))
            .multipart(body)
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// What one run of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailSendReport {
    pub sent: u64,
    /// Failed attempts that will be retried.
    pub failed: u64,
    /// Messages given up on in this run.
    pub parked: u64,
}

/// One recipient and the language to write to it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recipient {
    pub email: String,
    pub lang: MailLang,
}

impl Recipient {
    /// A user, in its own language, else its organisation's (`org_culture`), else English.
    pub fn user(user: &User, org_culture: Option<&str>) -> Self {
        Self {
            email: user.email.as_str().to_string(),
            lang: MailLang::first_of(std::iter::once(user.locale.as_str()).chain(org_culture)),
        }
    }
}

impl App {
    /// Whether this installation sends mail (an SMTP URL was given).
    pub fn mail_enabled(&self) -> bool {
        self.config().mail.is_some()
    }

    /// Queues `message` to each recipient in `tx`, rendered in its language. Nothing when
    /// mail is off.
    pub(crate) async fn queue_mail(&self, tx: &mut dyn Tx, to: &[Recipient], message: &Message) -> AppResult<()> {
        if !self.mail_enabled() || to.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let mut mails = Vec::with_capacity(to.len());
        for r in to {
            if mails.iter().any(|m: &Mail| m.recipient == r.email) {
                continue;
            }
            let Rendered { subject, text, html } = message.render(r.lang);
            mails.push(Mail {
                id: MailId(self.new_id()),
                created_at: now,
                recipient: r.email.clone(),
                lang: r.lang.code().to_string(),
                kind: message.kind(),
                subject,
                text,
                html,
                attempts: 0,
                next_attempt_at: now,
                lease_until: None,
                sent_at: None,
                parked_at: None,
                last_error: None,
            });
        }
        tx.insert_mail(&mails).await?;
        Ok(())
    }

    /// The users of `org` holding one of `roles`, as recipients in their languages
    /// (`org_culture`: the organisation's, when it has one).
    pub(crate) async fn mail_to_roles(
        &self,
        tx: &mut dyn Tx,
        org: OrgId,
        roles: &[Role],
        org_culture: Option<&str>,
    ) -> AppResult<Vec<Recipient>> {
        if !self.mail_enabled() {
            return Ok(Vec::new());
        }
        Ok(tx
            .list_users(org)
            .await?
            .iter()
            .filter(|u| u.roles.iter().any(|r| roles.contains(r)))
            .map(|u| Recipient::user(u, org_culture))
            .collect())
    }

    /// Sends what is due, batch after batch, until nothing is. Each message is claimed under
    /// a lease in a short transaction, sent outside it, and marked in another.
    pub async fn send_mail(&self) -> AppResult<MailSendReport> {
        let mut report = MailSendReport::default();
        let Some(config) = &self.config().mail else {
            return Ok(report);
        };
        let sender = match self.mail_sender.get() {
            Some(s) => s,
            None => {
                let made = Sender::new(config)?;
                self.mail_sender.get_or_init(|| made)
            }
        };
        loop {
            let now = self.now();
            let mut tx = self.store().begin().await?;
            let claimed = tx.claim_due_mail(now, Mail::lease_from(now), BATCH).await?;
            tx.commit().await?;
            let full = claimed.len() == BATCH as usize;
            for mut mail in claimed {
                match sender.send(&mail).await {
                    Ok(()) => {
                        mail.sent(self.now());
                        report.sent += 1;
                    }
                    Err(error) => {
                        tracing::warn!(mail = %mail.id, kind = mail.kind.as_str(), %error, "a mail was not sent");
                        mail.failed(self.now(), &error, rand::thread_rng().gen::<f64>());
                        if mail.parked_at.is_some() {
                            report.parked += 1;
                        } else {
                            report.failed += 1;
                        }
                    }
                }
                let mut tx = self.store().begin().await?;
                tx.update_mail_delivery(&mail).await?;
                tx.commit().await?;
            }
            if !full {
                break;
            }
        }
        Ok(report)
    }

    /// How many messages wait and how many are parked: for the operator.
    pub async fn mail_queue(&self, caller: &Caller) -> AppResult<MailQueueCounts> {
        caller.authorize(Action::ManagePartners)?;
        let mut tx = self.store().read().await?;
        let counts = tx.count_mail_queue().await?;
        tx.rollback().await?;
        Ok(counts)
    }

    /// Makes unsent mail due now from a fresh count of attempts, for the operator's CLI:
    /// message `only` (parked or still waiting), or every parked one. Answers how many; an
    /// id of no unsent message (unknown, or sent already) is `not_found`.
    pub async fn retry_mail(&self, only: Option<MailId>) -> AppResult<u64> {
        let mut tx = self.write().await?;
        let n = tx.retry_mail(only, self.now()).await?;
        if only.is_some() && n == 0 {
            tx.rollback().await?;
            return Err(AppError::NotFound("unsent mail"));
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Messages not sent yet (waiting or parked), oldest first: for the operator's CLI.
    pub async fn unsent_mail(&self, limit: u32) -> AppResult<Vec<Mail>> {
        let mut tx = self.store().read().await?;
        let mails = tx.list_unsent_mail(limit).await?;
        tx.rollback().await?;
        Ok(mails)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_smtp_url_never_shows_its_password() {
        let url = SmtpUrl::parse("smtps://mailer:s3cret@mail.example.com").expect("valid");
        assert_eq!(url.to_string(), "smtps://mailer:***@mail.example.com");
        assert!(!format!("{url:?}").contains("s3cret"));
        let plain = SmtpUrl::parse("smtp://127.0.0.1:2525").expect("valid");
        assert_eq!(plain.to_string(), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn an_smtp_url_needs_its_scheme_and_a_host() {
        assert!(SmtpUrl::parse("http://mail.example.com").is_err());
        assert!(SmtpUrl::parse("mail.example.com").is_err());
        assert!(SmtpUrl::parse("smtp://").is_err());
    }
}
