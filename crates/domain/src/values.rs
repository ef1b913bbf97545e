//! Validated values: the only way to build one is `parse`, so a value that exists is valid.
//! Errors name the property so the API can say which field was wrong.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Reason};

fn clean_text(property: &'static str, raw: &str, max: usize) -> Result<String, DomainError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::invalid(property, Reason::Empty));
    }
    if s.chars().count() > max {
        return Err(DomainError::invalid(property, Reason::TooLong { max }));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::invalid(property, Reason::ControlCharacters));
    }
    Ok(s.to_string())
}

/// A display name: an organisation's name, a person's name, a subscription's friendly name.
/// Trimmed, 1 to 256 characters, no control characters. Any script (Cyrillic included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn parse(property: &'static str, raw: &str) -> Result<Self, DomainError> {
        clean_text(property, raw, 256).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An internet domain of a customer, e.g. `contoso.example`. Stored lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Domain(String);

impl Domain {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim().to_ascii_lowercase();
        let bad = |why: Reason| Err(DomainError::invalid("domain", why));
        if s.is_empty() || s.len() > 253 {
            return bad(Reason::LengthOutOfRange { min: 1, max: 253 });
        }
        let labels: Vec<&str> = s.split('.').collect();
        if labels.len() < 2 {
            return bad(Reason::DomainTooFewLabels);
        }
        for label in labels {
            let ok_chars = label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if label.is_empty() || label.len() > 63 || !ok_chars || label.starts_with('-') || label.ends_with('-') {
                return bad(Reason::DomainBadLabel);
            }
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address (sign-in name). Light check: one `@`, a dotted domain, no spaces.
/// Stored lower case so sign-in is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim().to_lowercase();
        let bad = || Err(DomainError::invalid("email", Reason::NotAnEmail));
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad();
        }
        match s.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Self(s))
            }
            _ => bad(),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`US`, `RU`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Country(String);

impl Country {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim().to_ascii_uppercase();
        if s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(s))
        } else {
            Err(DomainError::invalid("country", Reason::NotACountry))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A culture (language-region), e.g. `en-US`, `ru-RU`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Culture(String);

impl Culture {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        let ok = match s.split_once('-') {
            Some((lang, region)) => {
                (2..=3).contains(&lang.len())
                    && lang.chars().all(|c| c.is_ascii_alphabetic())
                    && region.len() == 2
                    && region.chars().all(|c| c.is_ascii_alphabetic())
            }
            None => false,
        };
        if !ok {
            return Err(DomainError::invalid("culture", Reason::NotALanguage));
        }
        let (lang, region) = s.split_once('-').unwrap_or((s, ""));
        Ok(Self(format!(
            "{}-{}",
            lang.to_ascii_lowercase(),
            region.to_ascii_uppercase()
        )))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text with a limit (an address line, a removal reason). May be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Note(String);

impl Note {
    pub fn parse(property: &'static str, raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        if s.chars().count() > 1000 {
            return Err(DomainError::invalid(property, Reason::TooLong { max: 1000 }));
        }
        if s.chars().any(|c| c.is_control() && c != '\n') {
            return Err(DomainError::invalid(property, Reason::ControlCharacters));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a search looks for: trimmed, in any script (emoji too), without control
/// characters. A database cannot hold some of them in text (PostgreSQL refuses NUL) and
/// others would match nothing a person typed, so text with one is refused, naming the
/// property. Blank text is no search at all: [`SearchText::parse`] gives `None` for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    pub fn parse(property: &'static str, raw: &str) -> Result<Option<Self>, DomainError> {
        let s = raw.trim();
        if s.chars().any(char::is_control) {
            return Err(DomainError::invalid(property, Reason::ControlCharacters));
        }
        Ok((!s.is_empty()).then(|| Self(s.to_string())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The text as a search key: [`fold_case`] of it.
    pub fn folded(&self) -> String {
        fold_case(&self.0)
    }
}

/// Folds case for searching, in any script: each character's Unicode lower case (Rust's
/// `char::to_lowercase`, so `Σ` folds to `σ` wherever it stands), and the final sigma `ς`
/// to `σ`. Character by character, so a prefix folds to a prefix of the folded whole
/// (`str::to_lowercase` picks `ς` or `σ` by the letters around it, and "ΟΔΟΣ" would not
/// be a prefix of "ΟΔΟΣΤΡΩΤΗΡΑΣ"). The store keys customers with it when writing, and
/// folds the searched prefix with it: one function both times.
pub fn fold_case(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_keep_cyrillic_and_are_trimmed() {
        assert_eq!(
            Name::parse("name", "  ООО Ромашка ").map(|n| n.0),
            Ok("ООО Ромашка".into())
        );
    }

    #[test]
    fn empty_and_control_names_are_refused_naming_the_property() {
        for raw in ["", "   ", "a\u{0}b"] {
            let err = Name::parse("companyName", raw).unwrap_err();
            assert!(matches!(
                err,
                DomainError::InvalidProperty {
                    property: "companyName",
                    ..
                }
            ));
        }
    }

    #[test]
    fn domains_and_emails_are_lowercased() {
        assert_eq!(
            Domain::parse("Contoso.Example").map(|d| d.0),
            Ok("contoso.example".into())
        );
        assert_eq!(
            Email::parse("Anna@Contoso.Example").map(|e| e.0),
            Ok("anna@contoso.example".into())
        );
        assert!(Domain::parse("localhost").is_err());
        assert!(Email::parse("anna@").is_err());
        assert!(Email::parse("a b@c.d").is_err());
    }

    #[test]
    fn culture_is_normalised() {
        assert_eq!(Culture::parse("RU-ru").map(|c| c.0), Ok("ru-RU".into()));
        assert!(Culture::parse("russian").is_err());
    }

    #[test]
    fn search_text_keeps_any_script_and_refuses_control_characters() {
        for (raw, kept) in [
            ("  ромашка ", Some("ромашка")),
            ("🌼 Daisy", Some("🌼 Daisy")),
            ("%_\\", Some("%_\\")),
            ("", None),
            (" \t ", None),
        ] {
            assert_eq!(
                SearchText::parse("q", raw).map(|s| s.map(|s| s.0)),
                Ok(kept.map(str::to_string)),
                "{raw:?}"
            );
        }
        for raw in ["a\u{0}", "\u{0}", "a\tb", "a\nb", "a\u{7f}", "a\u{85}b", "\u{1b}[31m"] {
            assert!(
                matches!(
                    SearchText::parse("q", raw),
                    Err(DomainError::InvalidProperty { property: "q", .. })
                ),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn case_folds_in_any_script_and_sigma_folds_the_same_wherever_it_stands() {
        for (raw, folded) in [
            ("ООО РОМАШКА", "ооо ромашка"),
            ("ЁЛКА", "ёлка"),
            ("ΟΔΟΣ", "οδοσ"),
            ("Οδοστρωτήρας", "οδοστρωτήρασ"),
            ("ÉLAN Vital", "élan vital"),
            ("Ærø ØST", "ærø øst"),
            ("Contoso.Example", "contoso.example"),
        ] {
            assert_eq!(fold_case(raw), folded, "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn a_folded_prefix_is_a_prefix_of_the_folded_whole(s in "\\PC{0,30}", cut in 0usize..31) {
            let cut = s.char_indices().map(|(i, _)| i).chain([s.len()]).nth(cut).unwrap_or(s.len());
            let (head, _) = s.split_at(cut);
            prop_assert!(fold_case(&s).starts_with(&fold_case(head)));
        }

        #[test]
        fn any_parsed_search_text_is_trimmed_and_free_of_control_characters(raw in "\\PC{0,20}[\\x00-\\x1f\\x7f]?\\PC{0,20}") {
            match SearchText::parse("q", &raw) {
                Ok(Some(s)) => {
                    prop_assert!(!s.as_str().chars().any(char::is_control));
                    prop_assert_eq!(s.as_str(), s.as_str().trim());
                    prop_assert_eq!(SearchText::parse("q", s.as_str()), Ok(Some(s.clone())));
                }
                Ok(None) => prop_assert!(raw.trim().is_empty()),
                Err(_) => prop_assert!(raw.trim().chars().any(char::is_control)),
            }
        }

        #[test]
        fn any_parsed_name_round_trips(raw in "\\PC{0,300}") {
            if let Ok(n) = Name::parse("name", &raw) {
                prop_assert_eq!(Name::parse("name", n.as_str()), Ok(n.clone()));
                prop_assert!(!n.as_str().is_empty() && n.as_str().chars().count() <= 256);
            }
        }

        #[test]
        fn any_parsed_domain_round_trips(raw in "[a-zA-Z0-9.-]{0,40}") {
            if let Ok(d) = Domain::parse(&raw) {
                prop_assert_eq!(Domain::parse(d.as_str()), Ok(d.clone()));
            }
        }
    }
}
