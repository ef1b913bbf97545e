//! Webhook registrations and deliveries on the wire: PascalCase, as Partner Center's
//! webhook API (`WebhookUrl`, `WebhookEvents`), plus the `Id` that tells one of an
//! organisation's registrations from another.

use chrono::{DateTime, Utc};
use partnerdesk_domain::webhook::{WebhookDelivery, WebhookRegistration};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;
use crate::error::{ApiError, ApiResult, Why};

/// `POST` and `PUT /webhooks/v1/registration`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct RegistrationBody {
    /// Which registration a `PUT` on `/webhooks/v1/registration` changes (optional when the
    /// organisation holds one).
    #[schema(rename = "Id")]
    pub id: Option<String>,
    #[schema(rename = "WebhookUrl")]
    pub webhookurl: Option<String>,
    #[schema(rename = "WebhookEvents")]
    pub webhookevents: Option<Vec<String>>,
}

impl RegistrationBody {
    /// The URL and events a create or an update needs.
    pub fn required(self) -> ApiResult<(String, Vec<String>)> {
        let url = self
            .webhookurl
            .ok_or_else(|| ApiError::invalid_property("WebhookUrl", Why::Required))?;
        let events = self
            .webhookevents
            .ok_or_else(|| ApiError::invalid_property("WebhookEvents", Why::Required))?;
        Ok((url, events))
    }
}

/// A registration.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RegistrationWire {
    pub id: String,
    /// The organisation it belongs to (Partner Center's `SubscriberId`).
    pub subscriber_id: String,
    pub webhook_url: String,
    pub webhook_events: Vec<String>,
    /// The HMAC key of `X-Partnerdesk-Signature`: only in the answer to the creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Set in a repeated creation's answer instead of the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_notice: Option<&'static str>,
    pub created_date: String,
    pub updated_date: String,
}

impl RegistrationWire {
    pub fn of(r: &WebhookRegistration) -> Self {
        Self {
            id: r.id.to_string(),
            subscriber_id: r.org_id.to_string(),
            webhook_url: r.url.as_str().to_string(),
            webhook_events: r.events.clone(),
            secret: None,
            secret_notice: None,
            created_date: time(r.created_at),
            updated_date: time(r.updated_at),
        }
    }

    /// The answer to a creation: with the secret, shown this once.
    pub fn created(r: &WebhookRegistration) -> Self {
        Self {
            secret: Some(r.secret.clone()),
            ..Self::of(r)
        }
    }

    /// What a repeat of the creation answers: no secret, and a notice saying why.
    pub fn without_secret(&self) -> Self {
        Self {
            secret: None,
            secret_notice: Some("the secret was shown once, in the first answer to this request"),
            ..self.clone()
        }
    }
}

/// One event for one registration.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DeliveryWire {
    pub id: String,
    pub registration_id: String,
    pub event_id: String,
    pub event_name: String,
    /// `pending`, `delivered` or `parked`.
    pub status: &'static str,
    pub attempts: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parked_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
}

fn opt_time(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.map(time)
}

impl DeliveryWire {
    pub fn of(d: &WebhookDelivery) -> Self {
        let pending = d.delivered_at.is_none() && d.parked_at.is_none();
        Self {
            id: d.id.to_string(),
            registration_id: d.registration_id.to_string(),
            event_id: d.event_id.to_string(),
            event_name: d.event_type.clone(),
            status: d.status().as_str(),
            attempts: d.attempts,
            next_attempt_date: pending.then(|| time(d.next_attempt_at)),
            delivered_date: opt_time(&d.delivered_at),
            parked_date: opt_time(&d.parked_at),
            last_error: d.last_error.clone(),
            http_status: d.http_status,
        }
    }
}

/// The answer to `POST .../validationEvents`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ValidationEventWire {
    /// The test event's id, by which `GET .../validationEvents/{id}` finds its deliveries.
    pub correlation_id: String,
    pub event_id: String,
}

/// `GET .../validationEvents/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ValidationStatusWire {
    pub correlation_id: String,
    /// `delivered` when every delivery is, `parked` when one is, else `pending`.
    pub status: &'static str,
    pub deliveries: Vec<DeliveryWire>,
}

/// `POST /webhooks/v1/registration/replay`: one of `Since` (RFC 3339) or `EventId`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct ReplayBody {
    #[schema(rename = "Since")]
    pub since: Option<String>,
    #[schema(rename = "EventId")]
    pub eventid: Option<String>,
    /// Only this registration (else every registration of the caller's organisation).
    #[schema(rename = "RegistrationId")]
    pub registrationid: Option<String>,
}

/// `POST .../{id}/redeliver`: one parked delivery, or (without it) all of them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct RedeliverBody {
    #[schema(rename = "DeliveryId")]
    pub deliveryid: Option<String>,
}

/// How many deliveries a replay or a redelivery queued.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct QueuedWire {
    pub queued: u64,
}
