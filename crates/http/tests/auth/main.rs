//! Sign-in over HTTP: who am I, personal API tokens, OAuth2 grants and the signing keys,
//! driven through the router.

#[path = "../common/dashboard.rs"]
mod dashboard;
mod support;

mod me;
mod me_tokens;
mod oauth2_token;
mod password_change;
mod sign_in_limits;
mod well_known;
