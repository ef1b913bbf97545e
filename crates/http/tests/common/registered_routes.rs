//! The routes the server registers, so tests that must cover every route (the OpenAPI
//! document, the isolation matrix, the dashboard's pages) cannot miss a new one. The API's
//! come from its route table, the one that builds both the router and the document; the
//! dashboard's are read from the text of `src/web/routes.rs`.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

/// The source of the dashboard's routes (merged into the router by `routes.rs`).
pub const WEB_ROUTES_RS: &str = include_str!("../../src/web/routes.rs");

/// The HTTP methods a route may register, lower case as axum's routing functions.
pub const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// The text of each `.route(...)` call in `source`, parentheses balanced.
fn route_calls(source: &str) -> Vec<&str> {
    let mut calls = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find(".route(") {
        let body = &rest[start + ".route(".len()..];
        let mut depth = 1;
        let mut end = body.len();
        for (i, ch) in body.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        calls.push(&body[..end]);
        rest = &body[end..];
    }
    calls
}

/// Every (method, path) of the API's route table, the method lower case.
pub fn registered_routes() -> BTreeSet<(String, String)> {
    partnerdesk_http::api_routes()
}

/// Every (method, path) the `.route(...)` calls of `source` register.
pub fn routes_in(source: &str) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for call in route_calls(source) {
        let (first, handlers) = call.split_once(',').expect("a path and a handler");
        let first = first.trim();
        let path = first
            .strip_prefix('"')
            .and_then(|p| p.strip_suffix('"'))
            .unwrap_or_else(|| panic!("a route's path is a literal: {first}"))
            .to_string();
        let mut methods = 0;
        for method in METHODS {
            let needle = format!("{method}(");
            let mut from = 0;
            while let Some(at) = handlers[from..].find(&needle) {
                let at = from + at;
                let before = handlers[..at].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    routes.insert((method.to_string(), path.clone()));
                    methods += 1;
                }
                from = at + needle.len();
            }
        }
        assert!(methods > 0, "no method found for {path}");
    }
    routes
}
