//! Sign-in over HTTP: who am I, personal API tokens, OAuth2 grants and the signing keys,
//! driven through the router.

mod support;

mod me;
mod me_tokens;
mod oauth2_token;
mod well_known;
