//! Where a request comes from, for the sign-in limits: the peer address of the connection.
//!
//! [`crate::serve`] serves the router with `ConnectInfo<SocketAddr>`, so every request it
//! answers knows its peer. A router driven some other way (a test's `oneshot`) may put a
//! `ConnectInfo` into the request's extensions; without one, the client is unknown and all
//! such requests count as one client.
//!
//! Behind a reverse proxy the peer is the proxy, so every sign-in counts as one client and
//! only the per-account limits tell them apart; forwarded-for headers are not trusted,
//! since anyone can send them.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use partnerdesk_app::SignInClient;

/// The client of a request, as the sign-in limits count it.
#[derive(Debug, Clone)]
pub struct Peer(pub SignInClient);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(addr)) => SignInClient::from_ip(addr.ip()),
            None => SignInClient::unknown(),
        }))
    }
}
