//! Test-only helpers: a fresh database on each backend ([`db`]), and a [`TestApp`] that
//! hands out ready actors ([`world`]), and an SMTP server to receive its mail ([`smtp`]).
//!
//! PostgreSQL tests run against `PARTNERDESK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), each in a schema of its own. Without a server
//! they are skipped with a message, except when `CI=true`, where a missing server fails.

pub mod db;
pub mod smtp;
pub mod world;

pub use db::{backends, postgres, sqlite, TestDb};
pub use smtp::{Received, SmtpServer};
pub use world::{until_trusted, CustomerActor, PartnerActor, TestApp, PASSWORD};
