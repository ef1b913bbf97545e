//! The `/v1` resource routes through the router, on every backend. Modules mirror the
//! URL tree; test names are sentences.

mod support;

mod access;
mod audit;
mod contract;
mod customers;
mod hostile;
mod offers;
mod partners;
mod scenario;
mod subscriptions;
