//! A browser without JavaScript for router-level dashboard tests: a cookie jar over the
//! router that sends forms the way a page's `<form>` would.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use partnerdesk_app::Caller;
use partnerdesk_domain::CustomerId;
use partnerdesk_testkit::TestApp;
use tower::ServiceExt;

/// The e-mail address `caller` signs in with.
pub async fn email_of(t: &TestApp, caller: &Caller) -> String {
    t.app.me(caller).await.expect("me").email.as_str().to_string()
}

/// The company name of `caller`'s organisation, as its profile shows it.
pub async fn org_name(t: &TestApp, caller: &Caller) -> String {
    t.app.organization_profile(caller).await.expect("profile").company_name
}

/// The company name of `customer`, as `caller` reads it.
pub async fn customer_name(t: &TestApp, caller: &Caller, customer: CustomerId) -> String {
    let view = t.app.get_customer(caller, customer).await.expect("customer");
    view.customer.company.company_name.as_str().to_string()
}

/// One visitor: its own cookies (session, CSRF, language, notice).
pub struct Visitor {
    router: Router,
    pub cookies: Vec<(String, String)>,
    /// The address its requests come from (what `serve` tells every request); none when
    /// unset.
    peer: Option<std::net::SocketAddr>,
}

/// An answer, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// Where a redirect goes.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The `_csrf` value the page's forms carry.
    pub fn csrf(&self) -> String {
        self.attribute_after("name=\"_csrf\" value=\"")
            .expect("the page has a form with a token")
    }

    /// The text between `marker` and the next `"`.
    pub fn attribute_after(&self, marker: &str) -> Option<String> {
        self.between(marker, "\"")
    }

    /// The text between `start` and the next `end`.
    pub fn between(&self, start: &str, end: &str) -> Option<String> {
        let rest = self.body.split(start).nth(1)?;
        rest.split(end).next().map(str::to_string)
    }

    /// The refusal a redirect left, as the page shows it (an alert, unlike a success).
    pub fn refusal(&self) -> Option<String> {
        self.between("<p class=\"notice refusal\" role=\"alert\">", "</p>")
    }

    /// The success notice a redirect left, as the page shows it.
    pub fn notice(&self) -> Option<String> {
        self.body
            .split("<p class=\"notice\" role=\"status\">")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .map(str::to_string)
    }
}

impl Visitor {
    pub fn new(router: &Router) -> Self {
        Self {
            router: router.clone(),
            cookies: Vec::new(),
            peer: None,
        }
    }

    /// A visitor whose requests come from `ip`.
    pub fn from_ip(router: &Router, ip: &str) -> Self {
        let mut v = Self::new(router);
        v.peer = Some(std::net::SocketAddr::new(ip.parse().expect("an IP address"), 50000));
        v
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub async fn send(&mut self, method: Method, uri: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(addr) = self.peer {
            req = req.extension(axum::extract::ConnectInfo(addr));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect();
            req = req.header(header::COOKIE, jar.join("; "));
        }
        let body = match form {
            Some(fields) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in fields {
                    s.append_pair(k, v);
                }
                Body::from(s.finish())
            }
            None => Body::empty(),
        };
        let response = self
            .router
            .clone()
            .oneshot(req.body(body).expect("request"))
            .await
            .expect("router answers");
        for set in response.headers().get_all(header::SET_COOKIE) {
            let text = set.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(n, _)| n != name);
                if !value.is_empty() && !text.contains("Max-Age=0") {
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, uri: &str) -> Page {
        self.send(Method::GET, uri, None).await
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, uri, Some(form)).await
    }

    /// Signs in through the form, going on to `next`.
    pub async fn sign_in_to(&mut self, email: &str, password: &str, next: &str) -> Page {
        self.get("/signin").await;
        let csrf = self
            .cookie("pd_csrf")
            .expect("the sign-in page sets a CSRF cookie")
            .to_string();
        self.post(
            "/signin",
            &[
                ("_csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", next),
            ],
        )
        .await
    }

    /// Signs in and checks that it worked.
    pub async fn signed_in(router: &Router, email: &str, password: &str) -> Visitor {
        let mut v = Visitor::new(router);
        let page = v.sign_in_to(email, password, "/home").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "sign-in of {email}: {}", page.body);
        v
    }

    /// Opens `page_uri`, then posts `form` (plus the page's CSRF token and the one-time
    /// token of the form that posts to `action`, as a browser would) to `action`.
    pub async fn submit(&mut self, page_uri: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let page = self.get(page_uri).await;
        let csrf = page.csrf();
        let once = page
            .body
            .split(&format!("action=\"{action}\""))
            .nth(1)
            .and_then(|form| form.split("name=\"_form\" value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string);
        let mut fields: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
        if let Some(once) = &once {
            fields.push(("_form", once));
        }
        fields.extend_from_slice(form);
        self.post(action, &fields).await
    }
}
