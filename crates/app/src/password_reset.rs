//! A forgotten password: a one-time link by mail, then a new password through it.
//!
//! Asking always answers the same, whether or not the address has an account, and is
//! limited like signing in (the same table and rules, under a key of its own, so asking
//! never locks anyone out of signing in). The link carries a random token whose SHA-256
//! alone is stored; it works once, for [`PASSWORD_RESET_TTL`], and setting a password
//! through it has the effects of changing it: the credential version moves on, and the
//! user's sessions, refresh tokens and personal API tokens end.

use partnerdesk_domain::audit::{Application, Operation};
use partnerdesk_domain::mail::{PasswordReset, ResetRefusal, PASSWORD_RESET_TTL};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::org::User;
use partnerdesk_domain::values::Email;
use partnerdesk_domain::{CustomerId, PartnerId};
use partnerdesk_store::Tx;

use crate::audit::Change;
use crate::caller::load_caller;
use crate::mail::{Message, Recipient};
use crate::{passwords, tokens, App, AppResult, Caller, SignInClient};

/// What a forgotten-password link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetOutcome {
    /// The new password is set.
    Done,
    /// The link does not work (unknown, used or expired); nothing changed.
    Refused(ResetRefusal),
}

/// The key the limits count requests under, apart from sign-in failures.
fn request_key(email: &str) -> String {
    format!("password-reset:{}", partnerdesk_domain::sign_in::account_key(email))
}

/// The audit record of a change to `user` through a forgotten-password link.
fn change<'a>(caller: &'a Caller, operation: Operation, user: &User) -> Change<'a> {
    Change::new(Some(caller), operation, user.id)
        .partner_opt((user.org_kind == OrgKind::Partner).then_some(PartnerId(user.org_id.0)))
        .customer_opt((user.org_kind == OrgKind::Customer).then_some(CustomerId(user.org_id.0)))
}

impl App {
    /// Mails a one-time link to set a new password to `email`, if it has an account and mail
    /// is on. The answer is the same either way (past the limits, `TooManyFailedSignIns`).
    pub async fn request_password_reset(&self, client: &SignInClient, email: &str) -> AppResult<()> {
        self.count_attempt(client, &request_key(email)).await?;
        if !self.mail_enabled() {
            return Ok(());
        }
        let Ok(email) = Email::parse(email) else {
            return Ok(());
        };
        let mut tx = self.write().await?;
        let Some(found) = tx.find_user_by_email(&email).await? else {
            return Ok(());
        };
        let (caller, user) = load_caller(tx.as_mut(), found.user.id).await?;
        let caller = caller.via(Application::Dashboard);
        let token = tokens::new_token();
        let now = self.now();
        let reset = PasswordReset {
            token_hash: tokens::hash_token(&token),
            user_id: user.id,
            created_at: now,
            expires_at: now + PASSWORD_RESET_TTL,
            used_at: None,
        };
        tx.insert_password_reset(&reset).await?;
        let org_culture = org_culture(tx.as_mut(), &user).await?;
        let message = Message::PasswordReset {
            email: user.email.as_str().to_string(),
            link: self.link(&format!("/reset-password/{token}")),
        };
        self.queue_mail(tx.as_mut(), &[Recipient::user(&user, org_culture.as_deref())], &message)
            .await?;
        let record = change(&caller, Operation::RequestPasswordReset, &user);
        self.record(
            tx.as_mut(),
            record,
            None::<&()>,
            Some(&serde_json::json!({ "expiresAt": reset.expires_at })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a forgotten-password link still works (for the page it opens).
    pub async fn check_password_reset(&self, token: &str) -> AppResult<Result<(), ResetRefusal>> {
        // Only read: opening the page takes no lock and holds no write transaction.
        let mut tx = self.read().await?;
        let reset = tx.find_password_reset(&tokens::hash_token(token)).await?;
        tx.rollback().await?;
        Ok(match reset {
            None => Err(ResetRefusal::Unknown),
            Some(r) => r.check(self.now()),
        })
    }

    /// Sets a new password through a forgotten-password link, which then stops working
    /// (with every other open link of the user). The password is checked as when changing
    /// it; every session, refresh token and personal API token of the user ends.
    pub async fn reset_forgotten_password(&self, token: &str, new_password: &str) -> AppResult<ResetOutcome> {
        passwords::check_strength(new_password)?;
        let hash = passwords::hash(new_password, self.config().password_cost).await?;
        let mut tx = self.write().await?;
        let Some(reset) = tx.lock_password_reset(&tokens::hash_token(token)).await? else {
            return Ok(ResetOutcome::Refused(ResetRefusal::Unknown));
        };
        let now = self.now();
        if let Err(refusal) = reset.check(now) {
            return Ok(ResetOutcome::Refused(refusal));
        }
        let (caller, user) = load_caller(tx.as_mut(), reset.user_id).await?;
        let caller = caller.via(Application::Dashboard);
        tx.use_password_resets(user.id, now).await?;
        tx.set_password_hash(user.id, &hash).await?;
        let revoked = self.revoke_credentials(tx.as_mut(), user.id, true).await?;
        let record = change(&caller, Operation::ResetForgottenPassword, &user);
        self.record(tx.as_mut(), record, None::<&()>, Some(&revoked)).await?;
        tx.commit().await?;
        Ok(ResetOutcome::Done)
    }
}

/// The culture of a user's organisation, when it has one (customers do).
pub(crate) async fn org_culture(tx: &mut dyn Tx, user: &User) -> AppResult<Option<String>> {
    Ok(match user.org_kind {
        OrgKind::Customer => tx
            .find_customer(CustomerId(user.org_id.0))
            .await?
            .map(|c| c.company.culture.as_str().to_string()),
        _ => None,
    })
}
