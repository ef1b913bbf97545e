//! Relationship requests (rule 1): the partner creates an invitation link; the customer's
//! global admin opens it, sees who asks and for what, and accepts or declines. Acceptance
//! opens an active relationship (and DAP when the request asked for it).

use chrono::Duration;
use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::Partner;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::relationship::{DapGrant, Relationship};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::values::Email;
use partnerdesk_domain::{DapId, DomainError, RequestId};
use serde::Serialize;

use partnerdesk_domain::PartnerId;
use partnerdesk_store::Tx;

use crate::audit::Change;
use crate::mail::{MailLang, Message, Recipient};
use crate::{tokens, App, AppError, AppResult, Caller};

/// The name of the server key invitation tokens are derived with.
const INVITATION_KEY: &str = "invitation_links";

/// A request's invitation token: derived from its id, so that the open link can be shown
/// again while only the token's hash is stored. Knowing the id is not enough to make it.
fn invitation_token(key: &[u8], id: RequestId) -> String {
    tokens::derived_token(key, &format!("relationship_request:{id}"))
}

fn decode_key(stored: &str) -> AppResult<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(stored)
        .map_err(|e| AppError::Internal(format!("server key {INVITATION_KEY} is corrupt: {e}")))
}

/// An invitation link. The token is in the URL; only its hash is stored.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedRequest {
    pub request: RelationshipRequest,
    pub url: String,
    pub token: String,
}

/// A mailed invitation link, as the audit log records it (the link itself is not kept).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MailedRequest<'a> {
    request_id: RequestId,
    email: &'a str,
    language: &'static str,
}

/// What an invitation asks for and from whom, for the customer to decide.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationView {
    pub request: RelationshipRequest,
    pub partner: Partner,
    /// The state as of now (a pending request past its expiry reads `expired`).
    pub state: RequestState,
}

/// The answer to an accepted invitation.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    pub relationship: Relationship,
    pub dap: Option<DapGrant>,
}

impl App {
    /// Partner: creates a new relationship request and returns its invitation link.
    pub async fn create_relationship_request(&self, caller: &Caller, include_dap: bool) -> AppResult<CreatedRequest> {
        caller.authorize(Action::RequestRelationship)?;
        caller.partner_id(Action::RequestRelationship)?;
        let mut tx = self.write().await?;
        let key = self.invitation_key(tx.as_mut()).await?;
        let created = self
            .insert_relationship_request(tx.as_mut(), caller, &key, include_dap)
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Partner: its open invitation link for this kind of request (with delegated admin or
    /// without), made when there is none. The same link comes back until it is used,
    /// revoked or expires, as Partner Center's does; asking again changes nothing.
    pub async fn relationship_request_link(&self, caller: &Caller, include_dap: bool) -> AppResult<CreatedRequest> {
        self.relationship_request_link_to(caller, include_dap, None).await
    }

    /// Partner: its open invitation link of this kind, as [`App::relationship_request_link`]
    /// gives it, also mailed on its behalf to the customer's admin at `to` (in that user's
    /// language, or else in that user's language when the address has an account here, else
    /// English). The message joins the mail outbox in the same transaction as its audit
    /// record. Refused as `invalid_property` (`email`) when `to` is no e-mail address, and
    /// as `mail_off` when e-mail is off on this server.
    pub async fn send_relationship_request(
        &self,
        caller: &Caller,
        include_dap: bool,
        to: &str,
        language: Option<MailLang>,
    ) -> AppResult<CreatedRequest> {
        caller.authorize(Action::RequestRelationship)?;
        let to = Email::parse(to)?;
        if !self.mail_enabled() {
            return Err(DomainError::MailOff.into());
        }
        self.relationship_request_link_to(caller, include_dap, Some((&to, language)))
            .await
    }

    async fn relationship_request_link_to(
        &self,
        caller: &Caller,
        include_dap: bool,
        mail_to: Option<(&Email, Option<MailLang>)>,
    ) -> AppResult<CreatedRequest> {
        caller.authorize(Action::RequestRelationship)?;
        let partner = caller.partner_id(Action::RequestRelationship)?;
        let mut tx = self.write().await?;
        // Two requests for the link at once must not both make one.
        let the_partner = tx.lock_partner(partner).await?.ok_or(AppError::NotFound("partner"))?;
        let key = self.invitation_key(tx.as_mut()).await?;
        let created = match self.open_link(tx.as_mut(), partner, &key, include_dap).await? {
            Some(open) if mail_to.is_none() => {
                tx.rollback().await?;
                return Ok(open);
            }
            Some(open) => open,
            None => {
                self.insert_relationship_request(tx.as_mut(), caller, &key, include_dap)
                    .await?
            }
        };
        if let Some((to, language)) = mail_to {
            let mut recipient = match tx.find_user_by_email(to).await? {
                Some(found) => {
                    let culture = crate::password_reset::org_culture(tx.as_mut(), &found.user).await?;
                    Recipient::user(&found.user, culture.as_deref())
                }
                None => Recipient {
                    email: to.as_str().to_string(),
                    lang: MailLang::En,
                },
            };
            if let Some(lang) = language {
                recipient.lang = lang;
            }
            let message = Message::RelationshipRequest {
                partner: the_partner.name.as_str().to_string(),
                link: created.url.clone(),
            };
            self.queue_mail(tx.as_mut(), std::slice::from_ref(&recipient), &message)
                .await?;
            let change =
                Change::new(Some(caller), Operation::MailRelationshipRequest, created.request.id).partner(partner);
            let mailed = MailedRequest {
                request_id: created.request.id,
                email: to.as_str(),
                language: recipient.lang.code(),
            };
            self.record(tx.as_mut(), change, None::<&()>, Some(&mailed)).await?;
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Partner: its open invitation link for this kind of request, if it has one.
    pub async fn open_relationship_request_link(
        &self,
        caller: &Caller,
        include_dap: bool,
    ) -> AppResult<Option<CreatedRequest>> {
        caller.authorize(Action::RequestRelationship)?;
        let partner = caller.partner_id(Action::RequestRelationship)?;
        let mut tx = self.read().await?;
        let Some(key) = tx.find_server_key(INVITATION_KEY).await? else {
            return Ok(None);
        };
        let key = decode_key(&key)?;
        let open = self.open_link(tx.as_mut(), partner, &key, include_dap).await?;
        tx.rollback().await?;
        Ok(open)
    }

    /// The key invitation tokens are derived with, made by the first node that needs it.
    async fn invitation_key(&self, tx: &mut dyn Tx) -> AppResult<Vec<u8>> {
        let stored = tx
            .ensure_server_key(INVITATION_KEY, &tokens::new_server_key(), self.now())
            .await?;
        decode_key(&stored)
    }

    /// The pending, unexpired request of this kind whose link can be shown again, newest
    /// first. (Requests made before links were derived have random tokens: they still work,
    /// but their link cannot be shown again.)
    async fn open_link(
        &self,
        tx: &mut dyn Tx,
        partner: PartnerId,
        key: &[u8],
        include_dap: bool,
    ) -> AppResult<Option<CreatedRequest>> {
        let now = self.now();
        let open = tx
            .list_partner_requests(partner)
            .await?
            .into_iter()
            .filter(|r| r.include_dap == include_dap && r.effective_state(now) == RequestState::Pending);
        for request in open.collect::<Vec<_>>() {
            let token = invitation_token(key, request.id);
            let found = tx.find_request_by_token_hash(&tokens::hash_token(&token)).await?;
            if found.is_some_and(|f| f.id == request.id) {
                return Ok(Some(self.created(request, token)));
            }
        }
        Ok(None)
    }

    async fn insert_relationship_request(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        key: &[u8],
        include_dap: bool,
    ) -> AppResult<CreatedRequest> {
        let partner = caller.partner_id(Action::RequestRelationship)?;
        let now = self.now();
        let request = RelationshipRequest {
            id: RequestId(self.new_id()),
            partner_id: partner,
            include_dap,
            state: RequestState::Pending,
            created_at: now,
            created_by: caller.user_id,
            expires_at: now + Duration::days(self.config().request_ttl_days),
            customer_id: None,
            answered_at: None,
            answered_by: None,
            version: 1,
        };
        let token = invitation_token(key, request.id);
        tx.insert_request(&request, &tokens::hash_token(&token)).await?;
        let change = Change::new(Some(caller), Operation::CreateRelationshipRequest, request.id).partner(partner);
        self.record(tx, change, None::<&()>, Some(&request)).await?;
        Ok(self.created(request, token))
    }

    fn created(&self, request: RelationshipRequest, token: String) -> CreatedRequest {
        let url = format!("{}/invitations/{token}", self.config().public_url.trim_end_matches('/'));
        CreatedRequest { request, url, token }
    }

    /// Partner: takes back a request that is still pending.
    pub async fn revoke_relationship_request(&self, caller: &Caller, id: RequestId) -> AppResult<RelationshipRequest> {
        caller.authorize(Action::RequestRelationship)?;
        let partner = caller.partner_id(Action::RequestRelationship)?;
        let mut tx = self.write().await?;
        let before = tx
            .find_request(id)
            .await?
            .filter(|r| r.partner_id == partner)
            .ok_or(AppError::NotFound("relationship request"))?;
        let mut request = before.clone();
        request.revoke(self.now())?;
        tx.update_request(&request).await?;
        request.version += 1;
        let change = Change::new(Some(caller), Operation::RevokeRelationshipRequest, id).partner(partner);
        self.record(tx.as_mut(), change, Some(&before), Some(&request)).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Partner: its requests, newest first, with their state as of now.
    pub async fn list_relationship_requests(&self, caller: &Caller) -> AppResult<Vec<RelationshipRequest>> {
        caller.authorize(Action::RequestRelationship)?;
        let partner = caller.partner_id(Action::RequestRelationship)?;
        let mut tx = self.read().await?;
        let now = self.now();
        let mut list = tx.list_partner_requests(partner).await?;
        for r in &mut list {
            r.state = r.effective_state(now);
        }
        Ok(list)
    }

    /// Anyone holding the link: what the invitation asks for, and from whom.
    pub async fn view_invitation(&self, token: &str) -> AppResult<InvitationView> {
        let mut tx = self.read().await?;
        let request = tx
            .find_request_by_token_hash(&tokens::hash_token(token))
            .await?
            .ok_or(AppError::NotFound("invitation"))?;
        let partner = tx
            .find_partner(request.partner_id)
            .await?
            .ok_or(AppError::NotFound("invitation"))?;
        let state = request.effective_state(self.now());
        Ok(InvitationView {
            request,
            partner,
            state,
        })
    }

    /// Customer global admin: accepts, which opens an active relationship (rule 1).
    pub async fn accept_relationship_request(&self, caller: &Caller, token: &str) -> AppResult<Accepted> {
        caller.authorize(Action::AnswerRequest)?;
        let customer = caller.customer_id(Action::AnswerRequest)?;
        let now = self.now();
        let mut tx = self.write().await?;
        let before = tx
            .find_request_by_token_hash(&tokens::hash_token(token))
            .await?
            .ok_or(AppError::NotFound("invitation"))?;
        let mut request = before.clone();
        if let Err(refused) = request.accept(customer, caller.user_id, now) {
            // An answered request (accepted twice, say) whose partner the customer works
            // with already: what the customer needs to hear is that the relationship is
            // active, not that this link was used.
            if matches!(refused, DomainError::RequestAlreadyAnswered(_))
                && tx
                    .find_active_relationship(request.partner_id, customer)
                    .await?
                    .is_some()
            {
                return Err(DomainError::RelationshipAlreadyActive.into());
            }
            return Err(refused.into());
        }
        if let Some(active) = tx.lock_active_relationship(request.partner_id, customer).await? {
            // A partner the customer already works with may still ask for delegated admin
            // (again, after the customer removed it): accepting consents to DAP on the
            // relationship there is. Without DAP there is nothing to accept.
            if !request.include_dap {
                return Err(DomainError::RelationshipAlreadyActive.into());
            }
            tx.update_request(&request).await?;
            return self.consent_to_dap(tx, caller, &before, active, now).await;
        }
        tx.update_request(&request).await?;
        request.version += 1;
        let relationship = self.new_relationship(request.partner_id, customer, request.include_dap, caller);
        tx.insert_relationship(&relationship).await.map_err(|e| match e {
            partnerdesk_store::StoreError::Conflict(_) => AppError::Domain(DomainError::RelationshipAlreadyActive),
            other => other.into(),
        })?;
        let dap = if request.include_dap {
            let grant = DapGrant {
                id: DapId(self.new_id()),
                partner_id: request.partner_id,
                customer_id: customer,
                granted_at: now,
                ended_at: None,
                ended_by: None,
            };
            tx.insert_dap(&grant).await?;
            Some(grant)
        } else {
            None
        };
        let mut changes = vec![
            Change::new(Some(caller), Operation::AcceptRelationshipRequest, relationship.id)
                .partner(request.partner_id)
                .customer(customer)
                .with(Some(&before), Some(&relationship)),
        ];
        if let Some(grant) = &dap {
            changes.push(
                Change::new(Some(caller), Operation::ApproveDap, grant.id)
                    .partner(request.partner_id)
                    .customer(customer)
                    .with(None::<&()>, Some(grant)),
            );
        }
        self.record_all(tx.as_mut(), changes).await?;
        tx.commit().await?;
        Ok(Accepted { relationship, dap })
    }

    /// Accepting a delegated-admin request of a partner the customer already works with:
    /// the relationship records the consent and DAP starts (unless it runs already).
    async fn consent_to_dap(
        &self,
        mut tx: crate::AppTx,
        caller: &Caller,
        request: &RelationshipRequest,
        mut relationship: Relationship,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Accepted> {
        let (partner, customer) = (relationship.partner_id, relationship.customer_id);
        if !relationship.dap_consented {
            relationship.dap_consented = true;
            tx.update_relationship(&relationship).await?;
            relationship.version += 1;
        }
        let running = tx
            .list_dap(partner, customer)
            .await?
            .into_iter()
            .find(|d| d.ended_at.is_none());
        let dap = match running {
            Some(grant) => grant,
            None => {
                let grant = DapGrant {
                    id: DapId(self.new_id()),
                    partner_id: partner,
                    customer_id: customer,
                    granted_at: now,
                    ended_at: None,
                    ended_by: None,
                };
                tx.insert_dap(&grant).await?;
                let change = Change::new(Some(caller), Operation::ApproveDap, grant.id)
                    .partner(partner)
                    .customer(customer);
                self.record(tx.as_mut(), change, None::<&()>, Some(&grant)).await?;
                grant
            }
        };
        let change = Change::new(Some(caller), Operation::AcceptDelegatedAdminRequest, dap.id)
            .partner(partner)
            .customer(customer);
        self.record(tx.as_mut(), change, Some(request), Some(&dap)).await?;
        tx.commit().await?;
        Ok(Accepted {
            relationship,
            dap: Some(dap),
        })
    }

    /// Customer global admin: declines; nothing opens.
    pub async fn decline_relationship_request(&self, caller: &Caller, token: &str) -> AppResult<RelationshipRequest> {
        caller.authorize(Action::AnswerRequest)?;
        let customer = caller.customer_id(Action::AnswerRequest)?;
        let mut tx = self.write().await?;
        let before = tx
            .find_request_by_token_hash(&tokens::hash_token(token))
            .await?
            .ok_or(AppError::NotFound("invitation"))?;
        let mut request = before.clone();
        request.decline(customer, caller.user_id, self.now())?;
        tx.update_request(&request).await?;
        request.version += 1;
        let change = Change::new(Some(caller), Operation::DeclineRelationshipRequest, request.id)
            .partner(request.partner_id)
            .customer(customer);
        self.record(tx.as_mut(), change, Some(&before), Some(&request)).await?;
        tx.commit().await?;
        Ok(request)
    }
}
