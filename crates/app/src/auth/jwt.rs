//! Access tokens: compact JWTs signed with Ed25519 (JOSE `EdDSA`), verifiable offline by
//! anyone with the published keys (the JWKS document).
//!
//! Keys live in the store's `signing_keys`, so every node signs with and publishes the same
//! ones. The first node that needs a key makes it; if two make one at once, both keys stay
//! valid and are both published. Each node keeps the keys in memory and reloads them when a
//! token names a key it does not know.

use std::sync::RwLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey as Ed25519Key, VerifyingKey};
use partnerdesk_domain::org::User;
use partnerdesk_store::{SigningKey, StoreError};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{App, AppError, AppResult, AuthFailure, Caller};

/// JOSE name of the signature algorithm.
const ALGORITHM: &str = "EdDSA";
/// How long an access token is valid.
pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 3600;
/// Clock skew tolerated between nodes for `iat` and `nbf`.
const SKEW_SECONDS: i64 = 60;

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer: the server's public URL.
    pub iss: String,
    /// Audience: the API, named by the same public URL.
    pub aud: String,
    /// Subject: the user id.
    pub sub: String,
    /// Expiry, issue time and start of validity (seconds since the epoch).
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    /// The caller's organisation id (tenant id).
    pub tid: Uuid,
    /// The user id (object id).
    pub oid: Uuid,
    /// The user's e-mail (user principal name).
    pub upn: String,
    /// The user's roles when the token was issued (authorization always uses current ones).
    pub roles: Vec<String>,
    /// A unique token id.
    pub jti: Uuid,
    /// The user's credential version when the token was issued. A password change moves
    /// the version on, and tokens that carry an older one stop working.
    #[serde(default)]
    pub cv: i64,
}

/// A public key as a JSON Web Key (RFC 8037: `OKP` / `Ed25519`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    /// The public key, base64url.
    pub x: String,
    pub kid: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub use_: String,
}

/// The JWKS document: every key that may have signed a live token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

#[derive(Clone)]
struct LoadedKey {
    kid: String,
    key: Ed25519Key,
    /// Derived once from `key`: verifying is the common case.
    verifying: VerifyingKey,
    jwk: Jwk,
}

/// The signing keys this node has loaded, oldest first.
#[derive(Default)]
pub(crate) struct KeyRing {
    keys: RwLock<Vec<LoadedKey>>,
}

impl KeyRing {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<LoadedKey>> {
        self.keys.read().unwrap_or_else(|p| p.into_inner())
    }

    fn replace(&self, keys: Vec<LoadedKey>) {
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
    }

    /// The key that signs new tokens: the newest.
    fn signer(&self) -> Option<LoadedKey> {
        self.read().last().cloned()
    }

    fn find(&self, kid: &str) -> Option<LoadedKey> {
        self.read().iter().find(|k| k.kid == kid).cloned()
    }
}

/// The RFC 7638 thumbprint of an Ed25519 public key: a stable key id.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

fn public_jwk(key: &Ed25519Key) -> Jwk {
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
    Jwk {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        kid: thumbprint(&x),
        x,
        alg: ALGORITHM.into(),
        use_: "sig".into(),
    }
}

/// A new random key, in the form the store keeps.
fn generate_key(created_at: DateTime<Utc>) -> AppResult<SigningKey> {
    let mut seed = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    let key = Ed25519Key::from_bytes(&seed);
    seed.fill(0);
    let der = key
        .to_pkcs8_der()
        .map_err(|e| AppError::Internal(format!("encode signing key: {e}")))?;
    let jwk = public_jwk(&key);
    Ok(SigningKey {
        kid: jwk.kid.clone(),
        algorithm: ALGORITHM.into(),
        private_key: STANDARD.encode(der.as_bytes()),
        public_jwk: serde_json::to_string(&jwk).map_err(|e| AppError::Internal(format!("encode JWK: {e}")))?,
        created_at,
    })
}

/// A stored key read back; keys of other algorithms (none yet) are skipped.
fn load_key(stored: &SigningKey) -> AppResult<Option<LoadedKey>> {
    if stored.algorithm != ALGORITHM {
        return Ok(None);
    }
    let corrupt = |what: String| AppError::Internal(format!("signing key {}: {what}", stored.kid));
    let der = STANDARD
        .decode(stored.private_key.as_bytes())
        .map_err(|e| corrupt(e.to_string()))?;
    let key = Ed25519Key::from_pkcs8_der(&der).map_err(|e| corrupt(e.to_string()))?;
    let jwk = public_jwk(&key);
    Ok(Some(LoadedKey {
        kid: stored.kid.clone(),
        verifying: key.verifying_key(),
        key,
        jwk: Jwk {
            kid: stored.kid.clone(),
            ..jwk
        },
    }))
}

fn b64_json<T: Serialize>(value: &T) -> AppResult<String> {
    let json = serde_json::to_vec(value).map_err(|e| AppError::Internal(format!("encode JWT part: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

impl App {
    /// Reloads every key from the store into this node's ring.
    async fn reload_keys(&self) -> AppResult<Vec<LoadedKey>> {
        let mut tx = self.store().read().await?;
        let stored = tx.list_signing_keys().await?;
        tx.rollback().await?;
        let mut keys = Vec::with_capacity(stored.len());
        for key in &stored {
            keys.extend(load_key(key)?);
        }
        self.keys.replace(keys.clone());
        Ok(keys)
    }

    /// The key that signs: the newest stored one, made on first use.
    async fn signer(&self) -> AppResult<LoadedKey> {
        if let Some(key) = self.keys.signer() {
            return Ok(key);
        }
        if let Some(key) = self.reload_keys().await?.pop() {
            return Ok(key);
        }
        let new = generate_key(self.now())?;
        let mut tx = self.store().begin().await?;
        match tx.insert_signing_key(&new).await {
            Ok(()) => tx.commit().await?,
            // Another node stored the same kid first: nothing to do.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        tracing::info!(kid = %new.kid, "made a new access token signing key");
        self.reload_keys()
            .await?
            .pop()
            .ok_or_else(|| AppError::Internal("the new signing key was not stored".into()))
    }

    /// The published keys (the JWKS document); makes the first key if there is none yet,
    /// so the document a verifier fetches is never empty.
    pub async fn jwks(&self) -> AppResult<Jwks> {
        let mut keys = self.reload_keys().await?;
        if keys.is_empty() {
            self.signer().await?;
            keys = self.reload_keys().await?;
        }
        Ok(Jwks {
            keys: keys.into_iter().map(|k| k.jwk).collect(),
        })
    }

    /// The issuer and audience of access tokens: the public URL.
    pub fn token_issuer(&self) -> &str {
        self.config().public_url.trim_end_matches('/')
    }

    /// Signs an access token for `user` (whose caller is `caller`), valid for an hour, under
    /// the user's `credential_version`.
    pub(crate) async fn sign_access_token(
        &self,
        caller: &Caller,
        user: &User,
        credential_version: i64,
    ) -> AppResult<String> {
        let key = self.signer().await?;
        let now = self.now().timestamp();
        let claims = AccessClaims {
            iss: self.token_issuer().to_string(),
            aud: self.token_issuer().to_string(),
            sub: caller.user_id.to_string(),
            exp: now + ACCESS_TOKEN_TTL_SECONDS,
            iat: now,
            nbf: now,
            tid: caller.org_id.0,
            oid: caller.user_id.0,
            upn: user.email.as_str().to_string(),
            roles: caller.roles.iter().map(|r| r.as_str().to_string()).collect(),
            jti: self.new_id(),
            cv: credential_version,
        };
        let header = Header {
            alg: ALGORITHM.into(),
            typ: Some("JWT".into()),
            kid: Some(key.kid.clone()),
        };
        let signing_input = format!("{}.{}", b64_json(&header)?, b64_json(&claims)?);
        let signature = key.key.sign(signing_input.as_bytes());
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }

    /// Checks an access token's signature, issuer, audience and times; returns its claims.
    pub(crate) async fn verify_access_token(&self, token: &str) -> AppResult<AccessClaims> {
        let malformed = AppError::Unauthenticated(AuthFailure::TokenMalformed);
        let (signing_input, signature) = token.rsplit_once('.').ok_or(malformed.clone())?;
        let (header, claims) = signing_input.split_once('.').ok_or(malformed.clone())?;
        if claims.contains('.') {
            return Err(malformed);
        }
        let decode = |part: &str| URL_SAFE_NO_PAD.decode(part.as_bytes()).ok();
        let header: Header = decode(header)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(malformed.clone())?;
        if header.alg != ALGORITHM {
            return Err(AppError::Unauthenticated(AuthFailure::TokenAlgorithm));
        }
        let kid = header.kid.ok_or(malformed.clone())?;
        let signature = decode(signature)
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or(malformed.clone())?;
        let key = match self.keys.find(&kid) {
            Some(key) => key,
            // Another node may have made a key since this one loaded them. A reload is one
            // read of a tiny table, no dearer than looking up a personal token.
            None => self
                .reload_keys()
                .await?
                .into_iter()
                .find(|k| k.kid == kid)
                .ok_or(AppError::Unauthenticated(AuthFailure::TokenKeyUnknown))?,
        };
        key.verifying
            .verify_strict(signing_input.as_bytes(), &signature)
            .map_err(|_| AppError::Unauthenticated(AuthFailure::TokenSignature))?;
        let claims: AccessClaims = decode(claims)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(malformed)?;
        let now = self.now().timestamp();
        if now >= claims.exp {
            return Err(AppError::Unauthenticated(AuthFailure::TokenExpired));
        }
        if claims.nbf > now + SKEW_SECONDS || claims.iat > now + SKEW_SECONDS {
            return Err(AppError::Unauthenticated(AuthFailure::TokenNotYetValid));
        }
        if claims.iss != self.token_issuer() || claims.aud != self.token_issuer() {
            return Err(AppError::Unauthenticated(AuthFailure::TokenAudience));
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_key_reads_back_with_the_same_kid_and_public_key() {
        let stored = generate_key(Utc::now()).expect("generate");
        let loaded = load_key(&stored).expect("load").expect("an EdDSA key");
        assert_eq!(loaded.kid, stored.kid);
        let published: Jwk = serde_json::from_str(&stored.public_jwk).expect("JWK");
        assert_eq!(loaded.jwk, published);
        assert_eq!(published.kid, thumbprint(&published.x));
    }

    #[test]
    fn the_thumbprint_matches_rfc_8037s_example() {
        // RFC 8037 appendix A.3.
        assert_eq!(
            thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }
}
