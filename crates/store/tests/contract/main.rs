//! The store contract: the same behaviour on every backend. Each test runs against a fresh
//! database on SQLite and (when reachable, always in CI) PostgreSQL, and names the backend in
//! its assertion messages.

mod support;

mod catalog_and_orders;
mod delegated_admin;
mod organisations;
mod partner_customers;
mod relationships;
mod sign_in;
mod sign_in_limits;
mod trail;
mod transactions;
mod web_sessions;
