//! The pure heart of partnerdesk: identifiers, validated values, the state machines of
//! relationships, requests and subscriptions, the permission table, and removal planning.
//!
//! Nothing here does I/O or knows about a database or HTTP. Every function that changes
//! state takes the current time as an argument, so callers (and tests) control the clock.

pub mod audit;
pub mod audit_chain;
pub mod delivery;
pub mod error;
pub mod gdap;
pub mod ids;
pub mod mail;
pub mod offer;
pub mod org;
pub mod permission;
pub mod relationship;
pub mod removal;
pub mod request;
pub mod sign_in;
pub mod subscription;
pub mod token;
pub mod values;
pub mod webhook;

pub use error::{ConflictKind, DomainError, Reason};
pub use ids::*;
