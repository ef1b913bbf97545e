//! Password hashing with argon2 (PHC strings). Tests use a cheap cost so suites stay fast.

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

/// Hashes a password into a PHC string.
pub fn hash(password: &str, cost: PasswordCost) -> AppResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    hasher(cost)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hash password: {e}")))
}

/// A hash of a random password, made with the same parameters as users' hashes: checking
/// a password against it costs what checking against a real one costs, so a sign-in with an
/// unknown e-mail takes as long as one with a known e-mail and a wrong password.
pub fn stand_in_hash(cost: PasswordCost) -> AppResult<String> {
    hash(&crate::tokens::new_token(), cost)
}

/// Checks a password against a stored PHC string (parameters come from the string).
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse", PasswordCost::Fast).expect("hash");
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn the_stand_in_hash_has_the_parameters_of_a_real_one() {
        for cost in [PasswordCost::Default, PasswordCost::Fast] {
            let real = hash("correct horse", cost).expect("hash");
            let stand_in = stand_in_hash(cost).expect("stand-in");
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
