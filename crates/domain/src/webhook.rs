//! Webhooks: registrations shaped like Partner Center's, the events one may subscribe to,
//! the body a receiver gets, and which addresses a delivery may go to.
//!
//! Pure: the delivery worker (`app::webhooks`) does the I/O, and asks [`check_address`]
//! about every address it resolved before it connects.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::error::{DomainError, Reason};
use crate::ids::{CustomerId, EventId, OrgId, PartnerId, WebhookDeliveryId, WebhookRegistrationId};

/// The event a test delivery carries (`POST .../validationEvents`).
pub const TEST_EVENT: &str = "test-created";

/// Every event one may subscribe to, as Partner Center names them (and
/// `reseller-relationship-removed`, which it lacks).
pub const EVENT_NAMES: [&str; 13] = [
    TEST_EVENT,
    "subscription-updated",
    "reseller-relationship-accepted-by-customer",
    "reseller-relationship-removed",
    "customer-created",
    "dap-admin-relationship-approved",
    "dap-admin-relationship-terminated",
    "granular-admin-relationship-approved",
    "granular-admin-relationship-activated",
    "granular-admin-relationship-terminated",
    "granular-admin-relationship-expired",
    "granular-admin-relationship-expiring",
    "granular-admin-relationship-extended",
];

/// The longest URL a registration takes.
pub const MAX_URL_LEN: usize = 2048;

/// A registration: where an organisation wants its events, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRegistration {
    pub id: WebhookRegistrationId,
    pub org_id: OrgId,
    pub url: WebhookUrl,
    pub events: Vec<String>,
    /// The HMAC key of `X-Partnerdesk-Signature`. Kept as it is: signing needs the key
    /// itself (see ARCHITECTURE.md, "Webhooks").
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WebhookRegistration {
    /// Does this registration take `event`?
    pub fn wants(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }
}

/// A registration's URL: `http` or `https`, with a host, no credentials, at most
/// [`MAX_URL_LEN`] characters. Whether its address may be reached is asked separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

/// The parts of a URL a delivery needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTarget {
    pub https: bool,
    /// The host as written (a name, an IPv4 address, or an IPv6 address without brackets).
    pub host: String,
    pub port: u16,
}

impl WebhookUrl {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        let bad = |reason| DomainError::InvalidProperty {
            property: "WebhookUrl",
            reason,
        };
        if text.is_empty() {
            return Err(bad(Reason::Empty));
        }
        if text.len() > MAX_URL_LEN {
            return Err(bad(Reason::TooLong { max: MAX_URL_LEN }));
        }
        let url = Self(text.to_string());
        url.target().ok_or_else(|| bad(Reason::NotAWebhookUrl))?;
        Ok(url)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Scheme, host and port, or `None` when this is not an `http`/`https` URL with a host.
    pub fn target(&self) -> Option<UrlTarget> {
        let text = &self.0;
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return None;
        }
        let (https, rest) = if let Some(rest) = strip_prefix_ci(text, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ci(text, "http://") {
            (false, rest)
        } else {
            return None;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') || authority.is_empty() {
            return None;
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']')?;
            host.parse::<Ipv6Addr>().ok()?;
            (host.to_string(), after.strip_prefix(':'))
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        let port = match port {
            None => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0)?,
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
        host_ok.then(|| UrlTarget {
            https,
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    (text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)).then(|| &text[prefix.len()..])
}

/// The events of a registration: at least one, each one of [`EVENT_NAMES`], no repeats
/// (kept in the order given).
pub fn parse_events(names: &[String]) -> Result<Vec<String>, DomainError> {
    if names.is_empty() {
        return Err(DomainError::InvalidProperty {
            property: "WebhookEvents",
            reason: Reason::Empty,
        });
    }
    let mut events = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        if !EVENT_NAMES.contains(&name.as_str()) {
            return Err(DomainError::InvalidProperty {
                property: "WebhookEvents",
                reason: Reason::UnknownWebhookEvent,
            });
        }
        if !events.contains(&name) {
            events.push(name);
        }
    }
    Ok(events)
}

/// Why an address may not be the target of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressRefusal {
    Loopback,
    Private,
    LinkLocal,
    UniqueLocal,
    Metadata,
    Unspecified,
    /// Multicast, broadcast, documentation and other addresses nobody serves webhooks on.
    Reserved,
}

impl AddressRefusal {
    /// Words for the refusal ("… addresses are not allowed").
    pub fn describe(self) -> &'static str {
        match self {
            Self::Loopback => "loopback",
            Self::Private => "private",
            Self::LinkLocal => "link-local",
            Self::UniqueLocal => "unique-local",
            Self::Metadata => "cloud metadata",
            Self::Unspecified => "unspecified",
            Self::Reserved => "reserved",
        }
    }
}

/// May a delivery connect to `ip`? With `allow_private` (an operator's choice, and the
/// tests') every address may.
pub fn check_address(ip: IpAddr, allow_private: bool) -> Result<(), AddressRefusal> {
    if allow_private {
        return Ok(());
    }
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return check_v4(v4);
            }
            let first = v6.segments()[0];
            if v6.is_unspecified() {
                Err(AddressRefusal::Unspecified)
            } else if v6.is_loopback() {
                Err(AddressRefusal::Loopback)
            } else if first & 0xffc0 == 0xfe80 {
                Err(AddressRefusal::LinkLocal)
            } else if first & 0xfe00 == 0xfc00 {
                Err(AddressRefusal::UniqueLocal)
            } else if v6.is_multicast() || first == 0x2001 && v6.segments()[1] == 0x0db8 {
                Err(AddressRefusal::Reserved)
            } else if first == 0x0064 && v6.segments()[1] == 0xff9b {
                // NAT64: the IPv4 address it carries decides.
                let s = v6.segments();
                check_v4(Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ))
            } else {
                Ok(())
            }
        }
    }
}

fn check_v4(v4: Ipv4Addr) -> Result<(), AddressRefusal> {
    let [a, b, ..] = v4.octets();
    if v4 == Ipv4Addr::new(169, 254, 169, 254) {
        Err(AddressRefusal::Metadata)
    } else if v4.is_unspecified() || a == 0 {
        Err(AddressRefusal::Unspecified)
    } else if v4.is_loopback() {
        Err(AddressRefusal::Loopback)
    } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
        // 100.64.0.0/10 (carrier-grade NAT) is private too.
        Err(AddressRefusal::Private)
    } else if v4.is_link_local() {
        Err(AddressRefusal::LinkLocal)
    } else if v4.is_multicast() || v4.is_broadcast() || v4.is_documentation() || a >= 240 {
        Err(AddressRefusal::Reserved)
    } else {
        Ok(())
    }
}

/// An outbox event as a receiver gets it: Partner Center's body plus `EventId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookPayload {
    pub event_name: String,
    pub resource_uri: String,
    pub resource_name: String,
    pub audit_uri: String,
    /// RFC 3339, UTC, milliseconds.
    pub resource_change_utc_date: String,
    pub event_id: EventId,
}

/// What a payload is made from.
#[derive(Debug, Clone)]
pub struct EventFacts<'a> {
    pub event_id: EventId,
    pub event_name: &'a str,
    pub at: DateTime<Utc>,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub audit_id: Option<&'a str>,
}

impl WebhookPayload {
    /// The payload of an event, its URIs under `base` (the public URL, no trailing `/`).
    pub fn of(base: &str, e: &EventFacts<'_>) -> Self {
        let customer = e.customer_id.map(|c| c.to_string()).unwrap_or_default();
        let (name, path) = match e.resource_type {
            "subscription" => (
                "Subscription",
                format!("/v1/customers/{customer}/subscriptions/{}", e.resource_id),
            ),
            "order" => ("Order", format!("/v1/customers/{customer}/orders/{}", e.resource_id)),
            "customer" => ("Customer", format!("/v1/customers/{}", e.resource_id)),
            "partner_customer_relationship" => ("PartnerCustomerRelationship", format!("/v1/customers/{customer}")),
            "partner_customer_dap" => ("PartnerCustomerDap", format!("/v1/customers/{customer}")),
            "granular_admin_relationship" => (
                "DelegatedAdminRelationship",
                format!(
                    "/v1.0/tenantRelationships/delegatedAdminRelationships/{}",
                    e.resource_id
                ),
            ),
            "webhook_test" => (
                "ValidationEvent",
                format!("/webhooks/v1/registration/validationEvents/{}", e.resource_id),
            ),
            _ => ("Resource", String::new()),
        };
        Self {
            event_name: e.event_name.to_string(),
            resource_uri: format!("{base}{path}"),
            resource_name: name.to_string(),
            audit_uri: e
                .audit_id
                .map(|a| format!("{base}/auditactivity/v1/auditrecords/{a}"))
                .unwrap_or_default(),
            resource_change_utc_date: e.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            event_id: e.event_id,
        }
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Given up after [`crate::delivery::MAX_ATTEMPTS`]; waits for redelivery.
    Parked,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Parked => "parked",
        }
    }
}

/// One event for one registration, as the worker and the pages see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub id: WebhookDeliveryId,
    pub registration_id: WebhookRegistrationId,
    pub event_id: EventId,
    pub event_type: String,
    pub event_at: DateTime<Utc>,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub parked_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub http_status: Option<u16>,
    pub created_at: DateTime<Utc>,
}

impl WebhookDelivery {
    pub fn status(&self) -> DeliveryStatus {
        if self.delivered_at.is_some() {
            DeliveryStatus::Delivered
        } else if self.parked_at.is_some() {
            DeliveryStatus::Parked
        } else {
            DeliveryStatus::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(ip: &str) -> Option<AddressRefusal> {
        check_address(ip.parse().expect("ip"), false).err()
    }

    #[test]
    fn internal_addresses_are_refused_and_public_ones_allowed() {
        use AddressRefusal::*;
        assert_eq!(refused("127.0.0.1"), Some(Loopback));
        assert_eq!(refused("::1"), Some(Loopback));
        assert_eq!(refused("::ffff:127.0.0.1"), Some(Loopback));
        assert_eq!(refused("10.1.2.3"), Some(Private));
        assert_eq!(refused("172.16.0.1"), Some(Private));
        assert_eq!(refused("192.168.1.1"), Some(Private));
        assert_eq!(refused("169.254.169.254"), Some(Metadata));
        assert_eq!(refused("169.254.1.1"), Some(LinkLocal));
        assert_eq!(refused("fe80::1"), Some(LinkLocal));
        assert_eq!(refused("fd00::1"), Some(UniqueLocal));
        assert_eq!(refused("0.0.0.0"), Some(Unspecified));
        assert_eq!(refused("::"), Some(Unspecified));
        assert_eq!(refused("64:ff9b::a00:1"), Some(Private));
        assert_eq!(refused("93.184.216.34"), None);
        assert_eq!(refused("2606:2800:220:1::1"), None);
        assert_eq!(check_address("127.0.0.1".parse().expect("ip"), true), Ok(()));
    }

    #[test]
    fn only_http_and_https_urls_with_a_host_parse() {
        let t = WebhookUrl::parse("https://Example.com:8443/hook?x=1")
            .expect("url")
            .target()
            .expect("target");
        assert_eq!((t.https, t.host.as_str(), t.port), (true, "example.com", 8443));
        let t = WebhookUrl::parse("http://[::1]/x")
            .expect("url")
            .target()
            .expect("target");
        assert_eq!((t.host.as_str(), t.port), ("::1", 80));
        for bad in [
            "ftp://example.com/",
            "file:///etc/passwd",
            "https://",
            "https://user:pw@example.com/",
            "example.com",
            "https://exa mple.com/",
            "http://example.com:0/",
            "gopher://x",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_must_be_known() {
        assert!(parse_events(&[]).is_err());
        assert!(parse_events(&["no-such-event".into()]).is_err());
        assert_eq!(
            parse_events(&["Subscription-Updated".into(), "subscription-updated".into()]).expect("events"),
            vec!["subscription-updated".to_string()]
        );
    }
}
