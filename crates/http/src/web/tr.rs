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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN_DASHBOARD, RU_DASHBOARD};

    #[test]
    fn counts_are_said_with_plural_forms_in_both_languages() {
        let en = Tr::new(Lang::En);
        let ru = Tr::new(Lang::Ru);
        assert_eq!(en.tn("customers-count", "count", 1i64), "1 customer");
        assert_eq!(en.tn("customers-count", "count", 2i64), "2 customers");
        for (n, said) in [
            (1i64, "1 клиент"),
            (3, "3 клиента"),
            (5, "5 клиентов"),
            (21, "21 клиент"),
            (11, "11 клиентов"),
        ] {
            assert_eq!(ru.tn("customers-count", "count", n), said);
        }
        assert_eq!(ru.tn("offboard-seats", "count", 2i64), "2 лицензии");
        assert_eq!(
            en.tn("remove-effect-support", "count", 0i64),
            "remove you from the customer's available support contacts;"
        );
        assert_eq!(
            en.tn("remove-effect-support", "count", 2i64),
            "remove you from the customer's available support contacts and from 2 subscriptions that name you as their support contact;"
        );
    }

    #[test]
    fn the_message_files_keep_to_the_glossary() {
        for line in EN_DASHBOARD.lines().filter(|l| !l.starts_with('#')) {
            assert!(!line.contains("(s)"), "a count without a plural form: {line}");
        }
        for line in RU_DASHBOARD.lines().filter(|l| !l.starts_with('#')) {
            let lower = line.to_lowercase();
            assert!(!lower.contains("посредни"), "«реселлер», not «посредник»: {line}");
            assert!(!line.contains(": { $count }"), "a count without a plural form: {line}");
        }
        assert_eq!(Tr::new(Lang::Ru).t("term-monthly-inline"), "месяц");
    }
}
