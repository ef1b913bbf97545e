//! Who is looking at a page: the session cookie, the language, the CSRF token of the forms,
//! and the one-time notice a redirect leaves for the next page.
//!
//! - `pd_session`: the secret of a server-side session (`App::web_session`), HttpOnly,
//!   SameSite=Lax, Secure when the public URL is https. Signing out deletes the session, so
//!   a copied cookie stops working too.
//! - Every form carries `_csrf`. Signed in, it must equal the session's token; signed out
//!   (the sign-in and language forms), it must equal the `pd_csrf` cookie (double submit).
//! - `pd_lang`: the language picked while signed out. The order is the user's own setting,
//!   then this cookie, then `Accept-Language`, then English.
//! - `pd_flash`: a notice (already in the visitor's language) shown once by the next page.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use partnerdesk_app::auth::WebSessionView;
use partnerdesk_app::Caller;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use rand::RngCore;

use super::tr::Tr;
use crate::i18n::Lang;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "pd_session";
pub const CSRF_COOKIE: &str = "pd_csrf";
pub const LANG_COOKIE: &str = "pd_lang";
pub const FLASH_COOKIE: &str = "pd_flash";

/// The security headers of every page: no framing, no inline script, forms post here only.
const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The first language of `Accept-Language` we speak.
fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let raw = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut tags: Vec<(f32, &str)> = raw
        .split(',')
        .map(|part| {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q, tag)
        })
        .collect();
    // Highest weight first; equal weights keep their order.
    tags.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    tags.into_iter().find_map(|(_, tag)| Lang::parse(tag))
}

/// A new random token (CSRF cookie), URL-safe.
fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie header value with the flags every cookie of ours has.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_seconds {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("pd_invalid=; Path=/"))
}

/// Whoever asks for a page, signed in or not.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub session: Option<WebSessionView>,
    /// The cookie secret of the session, for signing out.
    pub secret: Option<String>,
    pub tr: Tr,
    /// The language picked with the switch while signed out (the `pd_lang` cookie).
    pub picked_lang: Option<Lang>,
    /// The token the page's forms carry.
    pub csrf: String,
    /// The CSRF cookie is new and must be set with the page.
    new_csrf_cookie: bool,
    /// The notice a redirect left, shown once.
    pub flash: Option<Notice>,
    had_flash: bool,
    pub secure: bool,
    /// The path and query of this page (where the language switch comes back to).
    pub here: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = &parts.headers;
        let secret = cookie(headers, SESSION_COOKIE).map(str::to_string);
        let session = match &secret {
            Some(s) => state.app.web_session(s).await.ok(),
            None => None,
        };
        let picked_lang = cookie(headers, LANG_COOKIE).and_then(Lang::parse);
        let lang = session
            .as_ref()
            .and_then(|s| Lang::parse(&s.caller.locale))
            .or(picked_lang)
            .or_else(|| accept_language(headers))
            .unwrap_or_default();
        let (csrf, new_csrf_cookie) = match (&session, cookie(headers, CSRF_COOKIE)) {
            (Some(s), _) => (s.csrf_token.clone(), false),
            (None, Some(c)) => (c.to_string(), false),
            (None, None) => (random_token(), true),
        };
        let flash = cookie(headers, FLASH_COOKIE)
            .and_then(|v| percent_decode_str(v).decode_utf8().ok())
            .map(|v| Notice::from_cookie(&v));
        let visitor = Visitor {
            session,
            secret,
            tr: Tr::new(lang),
            picked_lang,
            csrf,
            new_csrf_cookie,
            had_flash: flash.is_some(),
            flash,
            secure: state.config.public_url.starts_with("https://"),
            here: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
        };
        if let Some(slot) = parts.extensions.get::<super::pages::VisitorSlot>() {
            slot.keep(&visitor);
        }
        Ok(visitor)
    }
}

impl Visitor {
    /// The signed-in caller, if any.
    pub fn caller(&self) -> Option<&Caller> {
        self.session.as_ref().map(|s| &s.caller)
    }

    /// Refuses a form whose `_csrf` is not this visitor's token.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Response> {
        match sent {
            Some(token) if !self.new_csrf_cookie && same_token(token, &self.csrf) => Ok(()),
            _ => Err(super::pages::error_page(
                self,
                StatusCode::FORBIDDEN,
                &self.tr.t("error-forbidden-title"),
                &self.tr.t("error-csrf"),
            )),
        }
    }

    /// An HTML page with the cookies and headers every page carries.
    pub fn page(&self, status: StatusCode, html: String) -> Response {
        let mut response = (status, html).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        if self.new_csrf_cookie {
            h.append(
                header::SET_COOKIE,
                set_cookie(CSRF_COOKIE, &self.csrf, None, self.secure),
            );
        }
        if self.had_flash {
            h.append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, "", Some(0), self.secure));
        }
        response
    }

    /// A redirect (303, so a form post becomes a GET) that leaves `notice`, a success, for
    /// the next page.
    pub fn redirect(&self, to: &str, notice: Option<String>) -> Response {
        self.redirect_with(to, notice.map(Notice::success))
    }

    /// A redirect that leaves `notice` (a success, a warning or a refusal) for the next page.
    pub fn redirect_with(&self, to: &str, notice: Option<Notice>) -> Response {
        let mut response = Redirect::to(to).into_response();
        if let Some(notice) = notice {
            let encoded = utf8_percent_encode(&notice.to_cookie(), NON_ALPHANUMERIC).to_string();
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(FLASH_COOKIE, &encoded, Some(60), self.secure),
            );
        }
        response
    }
}

/// What a notice tells: it went well, it went partly, or it was refused. Each looks
/// different, and a refusal is announced at once (`role="alert"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Success,
    Warning,
    Refusal,
}

/// The one-time notice a redirect leaves for the next page, in the visitor's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

impl Notice {
    pub fn success(text: String) -> Self {
        Self {
            kind: NoticeKind::Success,
            text,
        }
    }

    pub fn warning(text: String) -> Self {
        Self {
            kind: NoticeKind::Warning,
            text,
        }
    }

    pub fn refusal(text: String) -> Self {
        Self {
            kind: NoticeKind::Refusal,
            text,
        }
    }

    pub fn is_warning(&self) -> bool {
        self.kind == NoticeKind::Warning
    }

    pub fn is_refusal(&self) -> bool {
        self.kind == NoticeKind::Refusal
    }

    /// The cookie's value: a letter for the kind, `:`, the text.
    fn to_cookie(&self) -> String {
        let kind = match self.kind {
            NoticeKind::Success => 's',
            NoticeKind::Warning => 'w',
            NoticeKind::Refusal => 'r',
        };
        format!("{kind}:{}", self.text)
    }

    /// A cookie's notice; one without a known kind is shown as a success.
    fn from_cookie(value: &str) -> Self {
        match value.split_at_checked(2) {
            Some(("w:", text)) => Self::warning(text.to_string()),
            Some(("r:", text)) => Self::refusal(text.to_string()),
            Some(("s:", text)) => Self::success(text.to_string()),
            _ => Self::success(value.to_string()),
        }
    }
}

/// A visitor who is signed in; anyone else is sent to the sign-in page and back here after.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub visitor: Visitor,
    pub caller: Caller,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Ok(visitor) = Visitor::from_request_parts(parts, state).await;
        match visitor.caller().cloned() {
            Some(caller) => Ok(SignedIn { visitor, caller }),
            None => {
                let next = utf8_percent_encode(&visitor.here, NON_ALPHANUMERIC).to_string();
                let mut response = Redirect::to(&format!("/signin?next={next}")).into_response();
                // An expired or unknown session cookie is dropped.
                if visitor.secret.is_some() {
                    response.headers_mut().append(
                        header::SET_COOKIE,
                        set_cookie(SESSION_COOKIE, "", Some(0), visitor.secret.is_some() && visitor.secure),
                    );
                }
                Err(response)
            }
        }
    }
}

/// What a dashboard handler for signed-in users starts from, as [`crate::auth::Call`] is
/// for the API's: the server's state, the visitor and its caller, read as [`SignedIn`]
/// reads them. `Visit(state, visitor, caller): Visit` stands for the pair
/// `State(state): State<AppState>, SignedIn { visitor, caller }: SignedIn`.
#[derive(Clone)]
pub struct Visit(pub AppState, pub Visitor, pub Caller);

impl FromRequestParts<AppState> for Visit {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn { visitor, caller } = SignedIn::from_request_parts(parts, state).await?;
        Ok(Visit(state.clone(), visitor, caller))
    }
}

/// Where `next=` (after sign-in) and `back=` (after the language switch) may send a
/// visitor: a path on this site, else `/`.
///
/// Browsers forgive a lot in a `Location`: they drop tabs and newlines, read `\` as `/`,
/// and take `//host` (or `/\host`) as another site. So a target is kept only when it is
/// plainly a path here: printable ASCII without spaces or `\`, one leading `/` not followed
/// by `/` or `\`, a valid path and query; and the same holds for its path once
/// percent-decoded (up to [`DECODE_LAYERS`] times), in case something on the way decodes it.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_site_path).unwrap_or_else(|| "/".to_string())
}

/// How many layers of percent-encoding of a `next` path are looked through.
const DECODE_LAYERS: usize = 3;

/// `raw` as a path (and query) of this site, if it is one beyond doubt.
fn same_site_path(raw: &str) -> Option<String> {
    if !raw.bytes().all(|b| b.is_ascii_graphic()) || !starts_as_a_path(raw) || raw.contains('\\') {
        return None;
    }
    let parsed: axum::http::uri::PathAndQuery = raw.parse().ok()?;
    let mut path = parsed.path().to_string();
    for _ in 0..DECODE_LAYERS {
        let decoded = percent_decode_str(&path).decode_utf8_lossy().into_owned();
        if decoded == path {
            return Some(parsed.as_str().to_string());
        }
        let plain = starts_as_a_path(&decoded)
            && !decoded
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
        if !plain {
            return None;
        }
        path = decoded;
    }
    // Still encoded after every layer: nothing plain would be written like that.
    None
}

/// One `/`, then anything but another `/` or a `\`.
fn starts_as_a_path(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accept_language_picks_the_best_language_we_speak() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE, ru;q=0.9, en;q=0.8"),
        );
        assert_eq!(accept_language(&h), Some(Lang::Ru));
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en;q=0.5, ru-RU;q=0.7"),
        );
        assert_eq!(accept_language(&h), Some(Lang::Ru));
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("fr"));
        assert_eq!(accept_language(&h), None);
    }

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/customers?q=a")), "/customers?q=a");
        assert_eq!(safe_next(Some("/")), "/");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "\t//evil.example/",
            " /x",
            "/a b",
            "/a\\b",
            "/\u{0}",
            "/\u{a0}/evil.example",
            "/%09/evil.example/",
            "/%2F/evil.example/",
            "/%2f%2fevil.example/",
            "/%5Cevil.example/",
            "/%252F/evil.example/",
            "/%25252F/evil.example/",
            "/a%0Ab",
            "/клиенты",
            "",
            "customers",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn next_keeps_what_the_dashboard_itself_writes() {
        for good in [
            "/home",
            "/customers/0190d3c4-1a2b-7c3d-8e4f-0123456789ab/account",
            "/customers?q=%D0%9E%D0%9E%D0%9E%20%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0",
            "/customers?q=a%2Fb%5C&after=x",
            "/invitations/abc-DEF_123",
        ] {
            assert_eq!(safe_next(Some(good)), good);
        }
        // A fragment never reaches the server anyway; it is dropped.
        assert_eq!(safe_next(Some("/home#top")), "/home");
    }

    /// Pieces that browsers and URL parsers treat specially.
    fn next_piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "/",
            "//",
            "\\",
            "\t",
            "\n",
            "\r",
            " ",
            "\u{0}",
            "\u{b}",
            "\u{c}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{3000}",
            "\u{feff}",
            "%",
            "%2F",
            "%2f",
            "%5C",
            "%5c",
            "%09",
            "%0A",
            "%0D",
            "%20",
            "%00",
            "%25",
            "%252F",
            "%25%32%46",
            "?",
            "#",
            ":",
            "@",
            ".",
            "..",
            "evil.example",
            "a",
            "Я",
            "https:",
            "http:",
            "javascript:",
            "//evil.example",
            "/\\evil.example",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #[test]
        fn whatever_next_gives_stays_on_the_same_origin(
            pieces in prop::collection::vec(next_piece(), 0..8),
            lead in prop::sample::select(vec![
                "", "/", "/home", "//", "\\", " ", "\t/", "/\t", "/\n", "/ ", "/\t/evil.example", "/%09/",
            ]),
        ) {
            let raw = format!("{lead}{}", pieces.concat());
            let out = safe_next(Some(&raw));
            prop_assert!(HeaderValue::from_str(&out).is_ok(), "{raw:?} -> {out:?}");
            if out != "/" {
                prop_assert!(out.starts_with('/'), "{raw:?} -> {out:?}");
                let base = url::Url::parse("https://host/").expect("base");
                let joined = base.join(&out);
                prop_assert!(joined.is_ok(), "{raw:?} -> {out:?}");
                let joined = joined.expect("checked");
                prop_assert_eq!(joined.origin(), base.origin(), "{:?} -> {:?}", raw, out);
                prop_assert_eq!(joined.host_str(), Some("host"));
            }
        }
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("xpd_lang=en; pd_lang=ru; other=1"),
        );
        assert_eq!(cookie(&h, LANG_COOKIE), Some("ru"));
        assert_eq!(cookie(&h, "missing"), None);
    }
}
