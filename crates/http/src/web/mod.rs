//! The dashboard: server-rendered pages for the people who use partnerdesk every day.
//! Askama templates (`templates/web/`, auto-escaped), words from Fluent
//! (`locales/*/dashboard.ftl`), one stylesheet (`assets/app.css`), no JavaScript needed.
//!
//! - [`routes`]: every page, in one list.
//! - [`session`]: the session cookie, CSRF tokens, the language, one-time notices.
//! - [`pages`]: the chrome around every page, error pages, [`pages::PageError`] (how a
//!   handler leaves early with `?`).
//! - one module per screen: [`signin`], [`home`], [`customers`], [`account`],
//!   [`subscriptions`], [`orders`], [`offboarding`], [`history`], [`former`], [`requests`],
//!   [`invitation`], [`my_partners`], [`profile`], [`operator`], [`gdap`] (the partner's
//!   GDAP relationships), [`security_groups`], [`gdap_approval`] (the customer's side),
//!   [`audit`] (the audit log), [`webhooks`] (webhook registrations and their deliveries).

// A page helper that refuses returns the refusal page itself (`Result<_, Response>`, or a
// `PageError` holding it): one per request, on the way out, so its size does not matter.
#![allow(clippy::result_large_err)]

mod account;
mod audit;
mod customers;
mod form;
mod former;
mod gdap;
mod gdap_approval;
mod history;
mod home;
pub(crate) mod invitation;
mod my_partners;
mod offboarding;
mod operator;
mod operator_roles;
mod orders;
mod pages;
mod password_reset;
mod path_id;
mod profile;
pub(crate) mod refusal;
mod requests;
mod routes;
mod security_groups;
pub(crate) mod session;
mod signin;
mod subscriptions;
pub(crate) mod tr;
mod webhooks;

pub(crate) use pages::{not_found, uri_too_long};
pub use routes::{pages, routes};
