//! Password hashing with argon2 (PHC strings). Tests use a cheap cost so suites stay fast.
//!
//! Argon2 holds its whole memory cost (19 MiB with the default parameters) while it hashes,
//! and the allocator keeps a block a thread freed for that thread's next use: hashing on any
//! of tokio's blocking threads would leave up to one such block behind on each of them, so a
//! burst of sign-ins grew the server by hundreds of MiB for good. Hashing runs on a few
//! threads of its own instead (`run`): a burst waits its turn and costs at most one block a
//! hashing thread.

use std::sync::{mpsc, Mutex, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::{AppError, AppResult};

/// How expensive hashing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    /// argon2id with the crate's recommended parameters.
    Default,
    /// Minimal parameters, for tests only.
    Fast,
}

fn hasher(cost: PasswordCost) -> Argon2<'static> {
    match cost {
        PasswordCost::Default => Argon2::default(),
        PasswordCost::Fast => {
            let params = Params::new(8, 1, 1, None).unwrap_or_default();
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        }
    }
}

/// Refuses passwords too short to be worth hashing.
pub fn check_strength(password: &str) -> AppResult<()> {
    if password.chars().count() < 8 {
        return Err(partnerdesk_domain::DomainError::InvalidProperty {
            property: "password",
            reason: partnerdesk_domain::Reason::TooShort { min: 8 },
        }
        .into());
    }
    Ok(())
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads: as many as the machine has cores, at most four.
fn hashing_threads() -> &'static Mutex<mpsc::Sender<Job>> {
    static POOL: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || loop {
                    // The lock is held only to take the next job, never while hashing.
                    let job = match receiver.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Mutex::new(sender)
    })
}

/// Runs `work` on a hashing thread and waits for its answer without blocking the runtime.
async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(work());
    });
    hashing_threads()
        .lock()
        .map_err(|_| AppError::Internal("password hashing is unavailable".into()))?
        .send(job)
        .map_err(|_| AppError::Internal("password hashing is unavailable".into()))?;
    answered
        .await
        .map_err(|_| AppError::Internal("password hashing did not finish".into()))
}

/// Hashes a password into a PHC string, on a hashing thread.
pub async fn hash(password: &str, cost: PasswordCost) -> AppResult<String> {
    let password = password.to_owned();
    run(move || hash_now(&password, cost)).await?
}

/// Checks a password against a stored PHC string, on a hashing thread.
pub async fn verify(password: &str, stored: String) -> AppResult<bool> {
    let password = password.to_owned();
    run(move || verify_now(&password, &stored)).await
}

fn hash_now(password: &str, cost: PasswordCost) -> AppResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    hasher(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hash password: {e}")))
}

/// A hash of a random password, made with the same parameters as users' hashes: checking
/// a password against it costs what checking against a real one costs, so a sign-in with an
/// unknown e-mail takes as long as one with a known e-mail and a wrong password.
pub async fn stand_in_hash(cost: PasswordCost) -> AppResult<String> {
    hash(&crate::tokens::new_token(), cost).await
}

/// Checks a password against a stored PHC string (parameters come from the string).
fn verify_now(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse", PasswordCost::Fast).await.expect("hash");
        assert!(verify("correct horse", h.clone()).await.expect("verify"));
        assert!(!verify("wrong horse", h).await.expect("verify"));
        assert!(!verify("correct horse", "not a hash".into()).await.expect("verify"));
    }

    #[tokio::test]
    async fn a_burst_larger_than_the_hashing_threads_is_answered_in_full() {
        let h = hash("correct horse", PasswordCost::Fast).await.expect("hash");
        let checks = (0..32).map(|i| {
            let h = h.clone();
            let password = if i % 2 == 0 { "correct horse" } else { "wrong horse" };
            tokio::spawn(async move { verify(password, h).await.expect("verify") })
        });
        for (i, check) in checks.enumerate() {
            assert_eq!(check.await.expect("joined"), i % 2 == 0, "check {i}");
        }
    }

    #[tokio::test]
    async fn the_stand_in_hash_has_the_parameters_of_a_real_one() {
        for cost in [PasswordCost::Default, PasswordCost::Fast] {
            let real = hash("correct horse", cost).await.expect("hash");
            let stand_in = stand_in_hash(cost).await.expect("stand-in");
            let (real, stand_in) = (
                PasswordHash::new(&real).expect("PHC"),
                PasswordHash::new(&stand_in).expect("PHC"),
            );
            assert_eq!(real.algorithm, stand_in.algorithm);
            assert_eq!(real.version, stand_in.version);
            assert_eq!(real.params, stand_in.params);
            assert_eq!(real.hash.map(|h| h.len()), stand_in.hash.map(|h| h.len()));
        }
    }
}
