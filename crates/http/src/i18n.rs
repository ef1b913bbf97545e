//! Localized texts: the API's error descriptions (`locales/{en,ru}/errors.ftl`) and the
//! dashboard's words (`locales/{en,ru}/dashboard.ftl`), in English and Russian, embedded in
//! the binary (nothing is read at run time). One bundle per language holds both files.
//!
//! The language of a response is the `X-Locale` header when it names one we speak
//! (`en-US`, `ru-RU`), otherwise the caller's own locale, otherwise English.

use std::sync::OnceLock;

use axum::http::HeaderMap;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

/// The English message file.
pub const EN_ERRORS: &str = include_str!("../../../locales/en/errors.ftl");
/// The Russian message file.
pub const RU_ERRORS: &str = include_str!("../../../locales/ru/errors.ftl");
/// The dashboard's English words.
pub const EN_DASHBOARD: &str = include_str!("../../../locales/en/dashboard.ftl");
/// The dashboard's Russian words.
pub const RU_DASHBOARD: &str = include_str!("../../../locales/ru/dashboard.ftl");

/// A language the API speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// `en-US`, the default.
    #[default]
    En,
    /// `ru-RU`.
    Ru,
}

impl Lang {
    /// Reads a locale tag (`ru-RU`, `ru`, `en-us`); `None` for one we do not speak.
    pub fn parse(tag: &str) -> Option<Self> {
        let lang = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match lang.as_str() {
            "en" => Some(Self::En),
            "ru" => Some(Self::Ru),
            _ => None,
        }
    }

    /// The language of a response: `X-Locale` when we speak it, else `fallback` (the
    /// caller's locale), else English.
    pub fn pick(headers: &HeaderMap, fallback: Option<&str>) -> Self {
        headers
            .get("x-locale")
            .and_then(|v| v.to_str().ok())
            .and_then(Self::parse)
            .or_else(|| fallback.and_then(Self::parse))
            .unwrap_or_default()
    }

    /// The language from the `X-Locale` header alone (before the caller is known).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::pick(headers, None)
    }
}

/// A value to put into a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// Words that differ by language (a refusal's reason, a resource's name): the message
    /// takes the ones of its own language.
    Words {
        en: String,
        ru: String,
    },
}

impl Arg {
    /// Message `id` with `args`, said in each language.
    pub fn words(id: &str, args: &[(&str, Arg)]) -> Self {
        Self::Words {
            en: message(Lang::En, id, args),
            ru: message(Lang::Ru, id, args),
        }
    }

    /// The value as message `lang` takes it.
    fn said_in(&self, lang: Lang) -> FluentValue<'_> {
        match self {
            Self::Text(s) => FluentValue::from(s.as_str()),
            Self::Number(n) => FluentValue::from(*n),
            Self::Words { en, ru } => FluentValue::from(match lang {
                Lang::En => en.as_str(),
                Lang::Ru => ru.as_str(),
            }),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

struct Bundles {
    en: FluentBundle<FluentResource>,
    ru: FluentBundle<FluentResource>,
}

fn bundle(lang: LanguageIdentifier, sources: &[&str]) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Plain text for JSON, and HTML escapes what it writes: no Unicode isolation marks
    // around arguments.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(r) => r,
            Err((partial, errors)) => {
                tracing::error!(?errors, "a message file has syntax errors; the valid messages are used");
                partial
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(?errors, "a message file defines a message twice");
        }
    }
    bundle
}

/// The embedded message files, parsed once. They are constants of the binary, not
/// configuration, so one copy serves every router.
fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles {
        en: bundle(langid!("en-US"), &[EN_ERRORS, EN_DASHBOARD]),
        ru: bundle(langid!("ru-RU"), &[RU_ERRORS, RU_DASHBOARD]),
    })
}

fn format(bundle: &FluentBundle<FluentResource>, lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, value.said_in(lang));
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "a message was formatted with errors");
    }
    Some(text.into_owned())
}

/// Whether the English bundle (which every language falls back to) has message `id`.
pub fn has_message(id: &str) -> bool {
    bundles().en.has_message(id)
}

/// The text of message `id` in `lang`, falling back to English, then to the id itself.
pub fn message(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let b = bundles();
    let primary = match lang {
        Lang::En => &b.en,
        Lang::Ru => &b.ru,
    };
    format(primary, lang, id, args)
        .or_else(|| format(&b.en, Lang::En, id, args))
        .unwrap_or_else(|| id.to_string())
}

/// The message ids of a Fluent file (for the test that both files have the same).
#[cfg(test)]
pub(crate) fn message_ids(source: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((partial, _)) => partial,
    };
    let mut ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        for (en, ru) in [(EN_ERRORS, RU_ERRORS), (EN_DASHBOARD, RU_DASHBOARD)] {
            let en = message_ids(en);
            assert!(!en.is_empty());
            assert_eq!(en, message_ids(ru));
        }
    }

    #[test]
    fn no_message_is_defined_in_two_files() {
        let errors = message_ids(EN_ERRORS);
        let twice: Vec<_> = message_ids(EN_DASHBOARD)
            .into_iter()
            .filter(|id| errors.contains(id))
            .collect();
        assert!(twice.is_empty(), "{twice:?}");
    }

    #[test]
    fn no_message_is_defined_twice_in_one_file() {
        // The bundle keeps the first and logs an error at every start (two branches merged
        // the same `field-*` words once).
        for source in [EN_ERRORS, RU_ERRORS, EN_DASHBOARD, RU_DASHBOARD] {
            let ids = message_ids(source);
            let twice: Vec<_> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
            assert!(twice.is_empty(), "{twice:?}");
        }
    }

    #[test]
    fn every_file_parses_without_errors() {
        for source in [EN_ERRORS, RU_ERRORS, EN_DASHBOARD, RU_DASHBOARD] {
            assert!(FluentResource::try_new(source.to_string()).is_ok());
        }
    }

    #[test]
    fn arguments_are_put_in_without_isolation_marks() {
        let text = message(Lang::Ru, "subscription_not_found", &[("id", "abc".into())]);
        assert_eq!(text, "Подписка с идентификатором abc не найдена.");
    }

    #[test]
    fn unknown_locales_fall_back_to_the_caller_then_english() {
        let mut h = HeaderMap::new();
        h.insert("x-locale", axum::http::HeaderValue::from_static("de-DE"));
        assert_eq!(Lang::pick(&h, Some("ru-RU")), Lang::Ru);
        assert_eq!(Lang::pick(&h, None), Lang::En);
        h.insert("x-locale", axum::http::HeaderValue::from_static("ru-RU"));
        assert_eq!(Lang::pick(&h, Some("en-US")), Lang::Ru);
    }
}
