//! Words for templates: the dashboard's Fluent messages in the visitor's language.

use crate::i18n::{self, Arg, Lang};

/// The translator a template calls: `{{ tr.t("nav-customers") }}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        i18n::message(self.lang, id, &[])
    }

    /// A message with one text argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        i18n::message(self.lang, id, &[(name, Arg::from(value))])
    }

    /// A message with one number argument.
    pub fn tn(&self, id: &str, name: &str, value: impl Count) -> String {
        i18n::message(self.lang, id, &[(name, Arg::from(value.count()))])
    }

    /// A message with a number and a text argument.
    pub fn tnt(&self, id: &str, n_name: &str, n: impl Count, t_name: &str, t: &str) -> String {
        i18n::message(self.lang, id, &[(n_name, Arg::from(n.count())), (t_name, Arg::from(t))])
    }

    /// The `lang` attribute of the page.
    pub fn code(&self) -> &'static str {
        match self.lang {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The locale stored for a user who picks this language.
    pub fn locale(&self) -> &'static str {
        match self.lang {
            Lang::En => "en-US",
            Lang::Ru => "ru-RU",
        }
    }

    /// A date as people of this language write it.
    pub fn date(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        match self.lang {
            Lang::En => at.format("%b %-d, %Y").to_string(),
            Lang::Ru => at.format("%d.%m.%Y").to_string(),
        }
    }
}

/// A number a template hands to a message, by value or by reference (askama passes
/// fields by reference).
pub trait Count {
    fn count(self) -> i64;
}

impl Count for i64 {
    fn count(self) -> i64 {
        self
    }
}

impl Count for &i64 {
    fn count(self) -> i64 {
        *self
    }
}

impl Count for usize {
    fn count(self) -> i64 {
        i64::try_from(self).unwrap_or(i64::MAX)
    }
}

impl Count for &usize {
    fn count(self) -> i64 {
        (*self).count()
    }
}
