//! The one check for English on Russian pages, shared by the page tests (on whole pages)
//! and the dashboard's own tests (on every message and refusal, in `web/refusal.rs`).

/// Latin words a Russian page may show whoever reads it: product and standard names.
pub const PRODUCT_NAMES: &[&str] = &[
    "partnerdesk",
    "English",
    "API",
    "CSV",
    "DAP",
    "GDAP",
    "OAuth",
    "JSON",
    "Bearer",
    "Authorization",
    "ID",
    "USD",
    "EUR",
    "RUB",
];

/// The Latin words of `text` that are English: not in `allowed` nor [`PRODUCT_NAMES`], not
/// an e-mail address, a domain, an id, a culture such as en-US or a code such as US.
pub fn latin_words(text: &str, allowed: &[&str]) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_')))
        .map(|w| w.trim_matches(|c| c == '.' || c == '-'))
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        // a culture such as en-US
        .filter(|w| !(w.len() == 5 && w.as_bytes()[2] == b'-' && w[3..].chars().all(|c| c.is_ascii_uppercase())))
        .filter(|w| !w.contains('@') && !w.contains('.') && !w.contains('_'))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !(w.len() <= 3 && w.chars().all(|c| c.is_ascii_uppercase())))
        .filter(|w| !PRODUCT_NAMES.contains(w) && !allowed.contains(w))
        .map(str::to_string)
        .collect()
}
