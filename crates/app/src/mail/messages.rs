//! The messages, written in their recipient's language: words from
//! `locales/{en,ru}/mail.ftl` (Fluent), the HTML part from `templates/mail/message.html`
//! (askama, which escapes what it writes), and a plain-text part saying the same.

use std::sync::OnceLock;

use askama::Template;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use partnerdesk_domain::mail::MailKind;
use unic_langid::{langid, LanguageIdentifier};

const EN: &str = include_str!("../../../../locales/en/mail.ftl");
const RU: &str = include_str!("../../../../locales/ru/mail.ftl");

/// A language mail is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailLang {
    #[default]
    En,
    Ru,
}

impl MailLang {
    /// Reads a locale (`ru-RU`, `en`); `None` for a language mail is not written in.
    pub fn parse(tag: &str) -> Option<Self> {
        match tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "ru" => Some(Self::Ru),
            _ => None,
        }
    }

    /// The first of `tags` mail is written in (the user's, then the organisation's), else
    /// English.
    pub fn first_of<'a>(tags: impl IntoIterator<Item = &'a str>) -> Self {
        tags.into_iter().find_map(Self::parse).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
        }
    }
}

/// What a message says, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    PasswordReset {
        email: String,
        link: String,
    },
    RelationshipRequest {
        partner: String,
        link: String,
    },
    GdapApprovalRequest {
        partner: String,
        customer: String,
        name: String,
        days: i64,
        link: String,
    },
    RelationshipRemoved {
        partner: String,
        customer: String,
        date: String,
    },
    GdapExpiring {
        customer: String,
        name: String,
        date: String,
        link: String,
    },
}

/// A message in words: its subject and its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

struct Link {
    label: String,
    url: String,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct Html<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    link: &'a Option<Link>,
    link_hint: &'a str,
    signature: &'a str,
}

fn bundle(lang: LanguageIdentifier, source: &str) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Plain text, and askama escapes the HTML part: no isolation marks around arguments.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, errors)| {
        tracing::error!(
            ?errors,
            "the mail message file has syntax errors; the valid messages are used"
        );
        partial
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, "the mail message file defines a message twice");
    }
    bundle
}

fn bundles() -> &'static (FluentBundle<FluentResource>, FluentBundle<FluentResource>) {
    static BUNDLES: OnceLock<(FluentBundle<FluentResource>, FluentBundle<FluentResource>)> = OnceLock::new();
    BUNDLES.get_or_init(|| (bundle(langid!("en-US"), EN), bundle(langid!("ru-RU"), RU)))
}

/// Message `id` in `lang` with `args`; the id itself if the file lacks it (a test checks
/// that both files hold every message).
fn words(lang: MailLang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let (en, ru) = bundles();
    let bundle = match lang {
        MailLang::En => en,
        MailLang::Ru => ru,
    };
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

impl Message {
    pub fn kind(&self) -> MailKind {
        match self {
            Self::PasswordReset { .. } => MailKind::PasswordReset,
            Self::RelationshipRequest { .. } => MailKind::RelationshipRequest,
            Self::GdapApprovalRequest { .. } => MailKind::GdapApprovalRequest,
            Self::RelationshipRemoved { .. } => MailKind::RelationshipRemoved,
            Self::GdapExpiring { .. } => MailKind::GdapExpiring,
        }
    }

    /// The message in `lang`.
    pub fn render(&self, lang: MailLang) -> Rendered {
        let t = |id: &str, args: &[(&str, FluentValue<'_>)]| words(lang, id, args);
        let text = |s: &str| FluentValue::from(s.to_string());
        let (subject, paragraphs, link) = match self {
            Self::PasswordReset { email, link } => {
                let args = [("email", text(email))];
                (
                    t("mail-password-reset-subject", &args),
                    vec![
                        t("mail-password-reset-body", &args),
                        t("mail-password-reset-ignore", &args),
                    ],
                    Some((t("mail-password-reset-action", &[]), link)),
                )
            }
            Self::RelationshipRequest { partner, link } => {
                let args = [("partner", text(partner))];
                (
                    t("mail-relationship-request-subject", &args),
                    vec![t("mail-relationship-request-body", &args)],
                    Some((t("mail-relationship-request-action", &[]), link)),
                )
            }
            Self::GdapApprovalRequest {
                partner,
                customer,
                name,
                days,
                link,
            } => {
                let args = [
                    ("partner", text(partner)),
                    ("customer", text(customer)),
                    ("name", text(name)),
                    ("days", FluentValue::from(*days)),
                ];
                (
                    t("mail-gdap-approval-subject", &args),
                    vec![t("mail-gdap-approval-body", &args)],
                    Some((t("mail-gdap-approval-action", &[]), link)),
                )
            }
            Self::RelationshipRemoved {
                partner,
                customer,
                date,
            } => {
                let args = [
                    ("partner", text(partner)),
                    ("customer", text(customer)),
                    ("date", text(date)),
                ];
                (
                    t("mail-relationship-removed-subject", &args),
                    vec![t("mail-relationship-removed-body", &args)],
                    None,
                )
            }
            Self::GdapExpiring {
                customer,
                name,
                date,
                link,
            } => {
                let args = [("customer", text(customer)), ("name", text(name)), ("date", text(date))];
                (
                    t("mail-gdap-expiring-subject", &args),
                    vec![t("mail-gdap-expiring-body", &args)],
                    Some((t("mail-gdap-expiring-action", &[]), link)),
                )
            }
        };
        let link = link.map(|(label, url)| Link {
            label,
            url: url.clone(),
        });
        let greeting = t("mail-greeting", &[]);
        let signature = t("mail-signature", &[]);
        let link_hint = t("mail-link-hint", &[]);
        let mut plain = format!("{greeting}\n\n");
        for p in &paragraphs {
            plain.push_str(p);
            plain.push_str("\n\n");
        }
        if let Some(link) = &link {
            plain.push_str(&format!("{}:\n{}\n\n", link.label, link.url));
        }
        plain.push_str(&format!("-- \n{signature}\n"));
        let html = Html {
            lang: lang.code(),
            subject: &subject,
            greeting: &greeting,
            paragraphs: &paragraphs,
            link: &link,
            link_hint: &link_hint,
            signature: &signature,
        }
        .render()
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "a mail's HTML part could not be rendered; sending its text alone");
            String::new()
        });
        Rendered {
            subject,
            text: plain,
            html,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast::Entry;

    fn ids(source: &str) -> Vec<String> {
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(r, _)| r);
        let mut ids: Vec<String> = resource
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn both_languages_hold_the_same_messages() {
        assert_eq!(ids(EN), ids(RU));
    }

    fn samples() -> Vec<Message> {
        vec![
            Message::PasswordReset {
                email: "a@example.com".into(),
                link: "https://pd.example/reset-password/t".into(),
            },
            Message::RelationshipRequest {
                partner: "Contoso".into(),
                link: "https://pd.example/invitations/t".into(),
            },
            Message::GdapApprovalRequest {
                partner: "Contoso".into(),
                customer: "Fabrikam".into(),
                name: "Helpdesk".into(),
                days: 730,
                link: "https://pd.example/partners/admin-relationships/x".into(),
            },
            Message::RelationshipRemoved {
                partner: "Contoso".into(),
                customer: "Fabrikam".into(),
                date: "2026-12-07".into(),
            },
            Message::GdapExpiring {
                customer: "Fabrikam".into(),
                name: "Helpdesk".into(),
                date: "2026-12-07".into(),
                link: "https://pd.example/gdap/x".into(),
            },
        ]
    }

    #[test]
    fn every_message_has_words_in_both_languages_and_its_link_in_both_parts() {
        for m in samples() {
            for lang in [MailLang::En, MailLang::Ru] {
                let r = m.render(lang);
                assert!(!r.subject.starts_with("mail-"), "{m:?} {lang:?}: {}", r.subject);
                assert!(!r.text.contains("mail-"), "{m:?} {lang:?}: {}", r.text);
                assert!(r.html.contains("<html lang="), "{m:?} {lang:?}");
                if let Message::PasswordReset { link, .. } | Message::GdapExpiring { link, .. } = &m {
                    assert!(r.text.contains(link.as_str()) && r.html.contains(link.as_str()));
                }
            }
        }
    }

    #[test]
    fn russian_mail_is_in_russian_in_both_parts() {
        let r = samples()[0].render(MailLang::Ru);
        assert!(r.subject.contains("пароль"), "{}", r.subject);
        assert!(r.text.contains("Здравствуйте"), "{}", r.text);
        assert!(r.html.contains("Задать новый пароль"), "{}", r.html);
        assert!(!r.text.contains("Hello"));
    }

    #[test]
    fn what_users_typed_is_escaped_in_the_html_part() {
        let m = Message::RelationshipRemoved {
            partner: "<b>Contoso</b>".into(),
            customer: "Fabrikam".into(),
            date: "2026-12-07".into(),
        };
        let r = m.render(MailLang::En);
        assert!(!r.html.contains("<b>Contoso"));
        assert!(r.text.contains("<b>Contoso</b>"));
    }

    #[test]
    fn the_language_is_the_first_one_mail_is_written_in() {
        assert_eq!(MailLang::first_of(["de-DE", "ru-RU"]), MailLang::Ru);
        assert_eq!(MailLang::first_of(["en-GB", "ru-RU"]), MailLang::En);
        assert_eq!(MailLang::first_of(["de-DE"]), MailLang::En);
    }
}
