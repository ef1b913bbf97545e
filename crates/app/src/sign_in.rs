//! Checking a user's e-mail and password: the one way every entry point (the dashboard's
//! sign-in, the API's password grant, a password change, the CLI) checks a password, under
//! the limits of [`partnerdesk_domain::sign_in`].
//!
//! Every attempt is first recorded as a failure in the shared database, counted with the
//! account's other recent failures under a lock (so parallel guesses on many nodes count
//! one by one), and only then is the password checked; a right password forgets that
//! client's failures for the account. The limits thus hold across nodes and restarts.
//!
//! An unknown e-mail costs what a known one does: its password is checked against a
//! stand-in hash made with the same parameters, and its failures are counted and limited
//! alike, so neither the time taken nor the limit tells which e-mails have an account.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use partnerdesk_domain::org::User;
use partnerdesk_domain::sign_in::{self, SignInFailure, ACCOUNT_MAX_FAILURES, ACCOUNT_WINDOW};
use partnerdesk_domain::values::Email;

use crate::{passwords, tokens, App, AppError, AppResult, AuthFailure};

/// Where a sign-in comes from, as the limits count it: a network address, or unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInClient(String);

impl SignInClient {
    /// A client at `ip` (an IPv6 address counts by its /64).
    pub fn from_ip(ip: IpAddr) -> Self {
        Self(sign_in::client_key(Some(ip)))
    }

    /// A client whose address the server was not told (the CLI, a test without a peer).
    /// All such sign-ins count as one client.
    pub fn unknown() -> Self {
        Self(sign_in::client_key(None))
    }
}

/// A user whose password was right, and the credential version it was checked under.
#[derive(Debug, Clone)]
pub(crate) struct VerifiedUser {
    pub user: User,
    pub credential_version: i64,
}

/// What the password checks of one [`App`] share.
#[derive(Default)]
pub(crate) struct PasswordChecks {
    /// The stand-in hash for unknown e-mails, made on first need.
    stand_in: OnceLock<String>,
    /// How many passwords have been checked against a hash (real or stand-in).
    count: AtomicU64,
}

impl App {
    /// Returns the user for a correct e-mail and password. A wrong e-mail and a wrong
    /// password fail alike (`Unauthenticated`), after the same work; past the limits the
    /// answer is `TooManyFailedSignIns`, whatever the password.
    pub async fn sign_in(&self, client: &SignInClient, email: &str, password: &str) -> AppResult<User> {
        Ok(self.check_password(client, email, password).await?.user)
    }

    /// How many passwords this app has checked against a hash (argon2 runs), for metrics
    /// and to show that unknown e-mails get the same work as known ones.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.count.load(Ordering::Relaxed)
    }

    /// Counts the attempt and checks the password. Its transactions are its own
    /// (`store().begin()`), not the request's idempotency scope: a failure must stay counted
    /// even when the request that made it fails. So call it before the use case's first
    /// `self.write()`: on SQLite, a request holding the scope's write transaction would
    /// wait here for its own writer.
    pub(crate) async fn check_password(
        &self,
        client: &SignInClient,
        email: &str,
        password: &str,
    ) -> AppResult<VerifiedUser> {
        let (account, client) = self.count_attempt(client, &sign_in::account_key(email)).await?;

        // Fetched whether or not it is needed, so that making it (once per process) does not
        // single out the first unknown e-mail either.
        let stand_in = self.stand_in_hash().await?;
        let credentials = match Email::parse(email) {
            Ok(email) => {
                let mut tx = self.store().read().await?;
                let found = tx.find_user_by_email(&email).await?;
                tx.rollback().await?;
                found
            }
            Err(_) => None,
        };
        let stored = match &credentials {
            Some(c) => c.password_hash.clone(),
            None => stand_in,
        };
        let right = self.verify_password(password, stored).await? && credentials.is_some();
        let Some(credentials) = credentials.filter(|_| right) else {
            return Err(AppError::Unauthenticated(AuthFailure::WrongEmailOrPassword));
        };
        let mut tx = self.store().begin().await?;
        tx.delete_sign_in_failures_of_client(&account, &client).await?;
        tx.commit().await?;
        Ok(VerifiedUser {
            user: credentials.user,
            credential_version: credentials.credential_version,
        })
    }

    /// Records an attempt on `account` (a normalised e-mail, or another key of the same
    /// kind) from `client` as a failure and checks the limits: past them,
    /// `TooManyFailedSignIns`. Returns the stored keys of the account and the client.
    /// Runs in transactions of its own, so the attempt stays counted whatever follows.
    pub(crate) async fn count_attempt(&self, client: &SignInClient, account: &str) -> AppResult<(String, String)> {
        let now = self.now();
        // Only hashes are stored: neither addresses nor what was typed as an e-mail.
        let account = tokens::hash_token(account);
        let client = tokens::hash_token(&client.0);
        let attempt = SignInFailure {
            id: self.new_id(),
            account: account.clone(),
            client: client.clone(),
            failed_at: now,
        };
        let mut tx = self.store().begin().await?;
        tx.delete_sign_in_failures_before(now - ACCOUNT_WINDOW).await?;
        let limit = u32::try_from(ACCOUNT_MAX_FAILURES).unwrap_or(u32::MAX);
        let recent = tx.lock_sign_in_failures(&account, now - ACCOUNT_WINDOW, limit).await?;
        if let Err(until) = sign_in::check(&recent, &client, now) {
            tx.commit().await?;
            let wait = (until - now).num_seconds().max(1);
            return Err(AppError::TooManyFailedSignIns {
                retry_after_seconds: u64::try_from(wait).unwrap_or(1),
            });
        }
        tx.insert_sign_in_failure(&attempt).await?;
        tx.commit().await?;
        Ok((account, client))
    }

    async fn stand_in_hash(&self) -> AppResult<String> {
        if let Some(hash) = self.password_checks.stand_in.get() {
            return Ok(hash.clone());
        }
        let made = passwords::stand_in_hash(self.config().password_cost).await?;
        Ok(self.password_checks.stand_in.get_or_init(|| made).clone())
    }

    /// Runs argon2 on a hashing thread (it takes tens of milliseconds of CPU by design).
    async fn verify_password(&self, password: &str, stored: String) -> AppResult<bool> {
        self.password_checks.count.fetch_add(1, Ordering::Relaxed);
        passwords::verify(password, stored).await
    }
}
