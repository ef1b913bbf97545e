//! Dashboard sessions: signing in with e-mail and password starts one, and its secret
//! (`pds_` followed by 32 random bytes, base64url) goes into the session cookie. Only the
//! SHA-256 of the secret is stored, so the database cannot sign anyone in. A session lasts
//! [`WEB_SESSION_TTL_HOURS`] and ends sooner on sign-out, when its user is deleted, or when
//! the user's password changes.

use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::org::User;
use partnerdesk_domain::token::WebSession;
use partnerdesk_domain::WebSessionId;
use partnerdesk_store::Tx;

use super::oauth::still_current;
use partnerdesk_domain::audit::Application;

use crate::caller::load_caller;
use crate::{tokens, App, AppError, AppResult, AuthFailure, Caller, SignInClient};

/// What every session secret starts with, so secret scanners and humans recognise one.
pub const WEB_SESSION_PREFIX: &str = "pds_";

/// How long a dashboard session lasts from sign-in.
pub const WEB_SESSION_TTL_HOURS: i64 = 12;

/// A signed-in dashboard session as a request sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebSessionView {
    pub id: WebSessionId,
    /// The session's user, rebuilt from the database, so role changes apply at once.
    pub caller: Caller,
    /// The user's display name, for the page header.
    pub user_name: String,
    /// What every form the dashboard posts must send back.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for WebSessionView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSessionView")
            .field("id", &self.id)
            .field("caller", &self.caller)
            .field("user_name", &self.user_name)
            .field("csrf_token", &"***")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A session just started: `secret` goes into the cookie, once.
#[derive(Clone, PartialEq, Eq)]
pub struct StartedWebSession {
    /// The cookie's value (`pds_...`); never stored, never shown again.
    pub secret: String,
    pub session: WebSessionView,
}

impl std::fmt::Debug for StartedWebSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartedWebSession")
            .field("secret", &"pds_***")
            .field("session", &self.session)
            .finish()
    }
}

impl App {
    /// Checks e-mail and password (as [`App::sign_in`] does, under the same limits) and
    /// starts a session. A wrong e-mail and a wrong password are the same `Unauthenticated`.
    /// Sessions that have expired, anyone's, are purged on the way.
    pub async fn start_web_session(
        &self,
        client: &SignInClient,
        email: &str,
        password: &str,
    ) -> AppResult<StartedWebSession> {
        let verified = self.check_password(client, email, password).await?;
        let user = verified.user;
        let caller = self.caller(user.id).await?.via(Application::Dashboard);
        let mut tx = self.store().begin().await?;
        still_current(tx.as_mut(), &user, verified.credential_version).await?;
        let started = self.insert_new_web_session(tx.as_mut(), caller, &user).await?;
        tx.commit().await?;
        Ok(started)
    }

    /// Starts a session for `user` in `tx`. Purging expired sessions here keeps the table
    /// at the sessions of the last few hours with no background job; the delete walks the
    /// `expires_at` index.
    pub(crate) async fn insert_new_web_session(
        &self,
        tx: &mut dyn Tx,
        caller: Caller,
        user: &User,
    ) -> AppResult<StartedWebSession> {
        let now = self.now();
        let secret = format!("{WEB_SESSION_PREFIX}{}", tokens::new_token());
        let session = WebSession {
            id: WebSessionId(self.new_id()),
            user_id: user.id,
            csrf_token: tokens::new_token(),
            created_at: now,
            expires_at: now + Duration::hours(WEB_SESSION_TTL_HOURS),
        };
        tx.delete_web_sessions_before(now).await?;
        tx.insert_web_session(&session, &tokens::hash_token(&secret)).await?;
        Ok(StartedWebSession {
            secret,
            session: view(session, caller, user.display_name.as_str().to_string()),
        })
    }

    /// The session a cookie secret stands for; `Unauthenticated` when unknown, expired, or
    /// its user is gone. Expired sessions found this way are deleted.
    pub async fn web_session(&self, secret: &str) -> AppResult<WebSessionView> {
        // Every page asks this: the session, its user and the user's partner in one read.
        let mut tx = self.store().read().await?;
        let session = tx
            .find_web_session_by_hash(&tokens::hash_token(secret))
            .await?
            .ok_or(AppError::Unauthenticated(AuthFailure::UnknownSession))?;
        if !session.is_usable(self.now()) {
            tx.rollback().await?;
            self.forget_web_session(session.id).await;
            return Err(AppError::Unauthenticated(AuthFailure::SessionExpired));
        }
        let (caller, user) = load_caller(tx.as_mut(), session.user_id).await?;
        tx.rollback().await?;
        let caller = caller.via(Application::Dashboard);
        Ok(view(session, caller, user.display_name.as_str().to_string()))
    }

    /// Ends the session of a cookie secret (sign-out); ending an unknown one is not an error.
    pub async fn end_web_session(&self, secret: &str) -> AppResult<()> {
        let mut tx = self.store().begin().await?;
        if let Some(session) = tx.find_web_session_by_hash(&tokens::hash_token(secret)).await? {
            tx.delete_web_session(session.id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an expired session. A failure here never fails the request, which is refused
    /// either way; the next sign-in purges it.
    async fn forget_web_session(&self, id: WebSessionId) {
        let outcome = async {
            let mut tx = self.store().begin().await?;
            tx.delete_web_session(id).await?;
            tx.commit().await
        }
        .await;
        if let Err(e) = outcome {
            tracing::warn!(session_id = %id, error = %e, "cannot delete an expired web session");
        }
    }
}

fn view(session: WebSession, caller: Caller, user_name: String) -> WebSessionView {
    WebSessionView {
        id: session.id,
        caller,
        user_name,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    }
}
