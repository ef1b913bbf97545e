//! The routes the server registers, so tests that must cover every route (the OpenAPI
//! document, the isolation matrix, the dashboard's pages) cannot miss a new one. Each comes
//! from its route table, the one that builds the router: the API's (which also builds the
//! document) and the dashboard's page table.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

/// The HTTP methods a route may register, lower case as axum's routing functions.
pub const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// Every (method, path) of the API's route table, the method lower case.
pub fn registered_routes() -> BTreeSet<(String, String)> {
    partnerdesk_http::api_routes()
}

/// Every (method, path) of the dashboard's page table, the method lower case.
pub fn web_pages() -> BTreeSet<(String, String)> {
    partnerdesk_http::web_pages()
}
