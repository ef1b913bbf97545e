//! Sign-in throttling: after [`MAX_FAILURES`] wrong passwords for one e-mail within
//! [`WINDOW`], sign-in for that e-mail is refused until the window has passed. Per node,
//! in memory; the argon2 cost slows guessing further.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl SignInThrottle {
    /// `Err(wait)` when this e-mail is locked out for `wait` more.
    pub fn check(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(&key(email)) {
            Some((n, since)) if *n >= MAX_FAILURES && now.duration_since(*since) < WINDOW => {
                Err(WINDOW - now.duration_since(*since))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, email: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget windows that have passed, so the map stays small.
        map.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        let entry = map.entry(key(email)).or_insert((0, now));
        entry.0 += 1;
    }

    /// A successful sign-in clears the count.
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&key(email));
    }
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_email_for_the_window() {
        let t = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert!(t.check("Ann@Example.com", start).is_ok());
            t.failed("ann@example.com ", start);
        }
        assert!(t.check("ann@example.com", start + Duration::from_secs(60)).is_err());
        assert!(t.check("other@example.com", start).is_ok());
        assert!(t.check("ann@example.com", start + WINDOW).is_ok());
        t.succeeded("ann@example.com");
        assert!(t.check("ann@example.com", start + Duration::from_secs(1)).is_ok());
    }
}
