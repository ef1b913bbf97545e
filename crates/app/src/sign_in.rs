//! Checking a user's e-mail and password.

use partnerdesk_domain::org::User;
use partnerdesk_domain::values::Email;

use crate::{passwords, App, AppError, AppResult};

impl App {
    /// Returns the user for a correct e-mail and password. A wrong e-mail and a wrong
    /// password fail alike, so the answer does not tell which part was wrong.
    pub async fn sign_in(&self, email: &str, password: &str) -> AppResult<User> {
        let failed = AppError::Unauthenticated("wrong e-mail or password");
        let Ok(email) = Email::parse(email) else {
            return Err(failed);
        };
        let mut tx = self.store().read().await?;
        match tx.find_user_by_email(&email).await? {
            Some(creds) if passwords::verify(password, &creds.password_hash) => Ok(creds.user),
            _ => Err(failed),
        }
    }
}
