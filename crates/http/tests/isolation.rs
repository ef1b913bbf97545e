//! The isolation matrix: every route with a path parameter, every method on it, sent by
//! every kind of caller, on every backend. The routes come from the API's route table, so a
//! new route joins the matrix by itself, and a new kind of parameter or path fails here
//! until it is given a value and an expectation.

use std::fmt::Write as _;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_app::gdap::{GdapPatch, NewGdapRelationship};
use partnerdesk_app::Caller;
use partnerdesk_domain::gdap::GdapAction;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{CustomerActor, PartnerActor, TestApp, TestDb, PASSWORD};
use serde_json::Value;
use tower::ServiceExt;

#[path = "common/registered_routes.rs"]
mod registered_routes;

/// C's company name and domain: distinctive, so a leak cannot hide as a near-miss.
const C_NAME: &str = "Isolated Contoso Holdings";
const C_DOMAIN: &str = "isolated-contoso.example";

/// The name of P's GDAP relationship with C: never shown to anyone else.
const GDAP_NAME: &str = "Isolated helpdesk access";

/// Microsoft Entra's Helpdesk Administrator, in the default role catalogue.
const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
/// Global Reader, added to the relationship once it is in force.
const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/// An id nothing in the world has.
const UNKNOWN_ID: &str = "0190a5b2-0000-7000-8000-00000000dead";

/// Routes that answer without a token by design, with the reason.
const PUBLIC_ROUTES: &[(&str, &str, &str)] = &[(
    "get",
    "/v1/invitations/{token}",
    "the invitation page shows what is asked, and by whom, before the customer signs in",
)];

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// No `Authorization` header.
    Anonymous,
    /// A personal token of P, created then revoked.
    Revoked,
    /// An unrelated direct partner.
    X,
    /// An indirect reseller linked to an unrelated provider.
    R,
    /// C2's global admin: a customer of another partner.
    C2Admin,
    /// A former partner of C: its relationship was accepted, then removed.
    F,
    /// C's own global admin.
    CAdmin,
    /// C's partner, which created it and sold S.
    P,
}

/// The order the callers run in: every unauthorized caller first, then C's state is
/// checked, then C's admin and P (whose offboarding of C runs last of all).
const CALLERS: &[Who] = &[
    Who::Anonymous,
    Who::Revoked,
    Who::X,
    Who::R,
    Who::C2Admin,
    Who::F,
    Who::CAdmin,
    Who::P,
];

/// What a path is about, which decides what each caller may get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// `/v1/customers/{id}/...`: C's data, partner side.
    Customer,
    /// `/v1/me/tokens/{id}`: the caller's own tokens; `{id}` is a token of the caller.
    OwnToken,
    /// `/v1/partners/{id}/...`: P's organisation, for the operator or P's global admin.
    Partner,
    /// `/v1/offers/{id}`: the catalog, read by all, changed by the operator only.
    Catalog,
    /// `/v1/invitations/{token}/...`: an open link, answered by whichever customer admin
    /// holds it; partners may not answer it.
    Invitation,
    /// `/v1/me/partners/{id}/...`: the customer side of a relationship; `{id}` is F.
    CustomerSide,
    /// `/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/...`: P's active GDAP
    /// relationship with C, which C's admin may also read and end.
    Gdap,
    /// `/v1.0/tenantRelationships/delegatedAdminCustomers/{id}`: C, as P's GDAP customer.
    GdapCustomer,
    /// `/v1/securityGroups/{id}/...`: P's security group, with a user of P in it.
    SecurityGroup,
    /// `/auditactivity/v1/auditrecords/{id}`: the record of P adding C, which P and C's
    /// admin may read.
    AuditRecord,
    /// `/webhooks/v1/registration/{id}/...` and `.../validationEvents/{id}`: P's webhook
    /// registration and a test event sent to it.
    Webhook,
}

fn scope_of(path: &str) -> Scope {
    if path.starts_with("/v1/customers/{id}") {
        Scope::Customer
    } else if path.starts_with("/v1/me/tokens/{id}") {
        Scope::OwnToken
    } else if path.starts_with("/v1/partners/{id}") {
        Scope::Partner
    } else if path.starts_with("/v1/offers/{id}") {
        Scope::Catalog
    } else if path.starts_with("/v1/invitations/{token}") {
        Scope::Invitation
    } else if path.starts_with("/v1/me/partners/{id}") {
        Scope::CustomerSide
    } else if path.starts_with("/v1.0/tenantRelationships/delegatedAdminRelationships/{id}") {
        Scope::Gdap
    } else if path.starts_with("/v1.0/tenantRelationships/delegatedAdminCustomers/{id}") {
        Scope::GdapCustomer
    } else if path.starts_with("/v1/securityGroups/{id}") {
        Scope::SecurityGroup
    } else if path.starts_with("/v1/roles/{id}") {
        Scope::Catalog
    } else if path.starts_with("/auditactivity/v1/auditrecords/{id}") {
        Scope::AuditRecord
    } else if path.starts_with("/webhooks/v1/registration/") {
        Scope::Webhook
    } else {
        panic!("{path}: give this path a scope (and expectations) in tests/isolation.rs")
    }
}

/// A caller's credentials in the world: a bearer token and a spare token of its own.
struct Actor {
    bearer: String,
    spare_token_id: String,
}

/// The world every route is tried against.
struct World {
    t: TestApp,
    router: Router,
    p: PartnerActor,
    c: CustomerActor,
    subscription: String,
    order: String,
    /// A user of P (a sales agent) that P's admin may read, change and remove.
    p_user: String,
    f: PartnerActor,
    invitation_token: String,
    revoked_bearer: String,
    p_spare_token_id: String,
    /// P's active GDAP relationship with C (with the request that locked it and the
    /// operation that added a role), its access assignment and P's security group (with
    /// `p_user` in it).
    gdap: String,
    gdap_request: String,
    gdap_operation: String,
    assignment: String,
    group: String,
    /// The audit record of P adding C.
    audit: String,
    /// P's webhook registration, and the test event sent to it.
    webhook: String,
    webhook_event: String,
    actors: Vec<(Who, Actor)>,
}

async fn actor(t: &TestApp, caller: &Caller) -> Actor {
    let bearer = t.token_for(caller).await;
    let spare = t.app.create_api_token(caller, "spare").await.expect("spare token");
    Actor {
        bearer,
        spare_token_id: spare.token.id.to_string(),
    }
}

impl World {
    async fn on(db: TestDb) -> World {
        let t = TestApp::on(db).await;
        let config = HttpConfig {
            rate_limit_per_minute: 100_000,
            ..HttpConfig::default()
        };
        let router = partnerdesk_http::router(t.app.clone(), config);

        let p = t.partner(PartnerType::Direct).await;
        let created = t
            .app
            .add_customer(
                &p.admin,
                NewCustomerInput {
                    company_name: C_NAME.into(),
                    domain: C_DOMAIN.into(),
                    country: "US".into(),
                    culture: None,
                    billing_contact: "Ann Buyer".into(),
                    billing_email: format!("billing@{C_DOMAIN}"),
                    billing_address: None,
                    admin_email: None,
                    admin_password: Some(PASSWORD.into()),
                    indirect_reseller_id: None,
                },
            )
            .await
            .expect("create C");
        let c = CustomerActor {
            id: created.customer.id,
            admin: t.app.caller(created.admin.id).await.expect("C's admin"),
        };
        let s = t.buy(&p, c.id, 3).await;
        t.app
            .update_subscription_support_contact(&p.admin, c.id, s.id, p.id)
            .await
            .expect("P supports S");

        // F: a relationship requested, accepted by C's admin, then removed by F.
        let f = t.partner(PartnerType::Direct).await;
        let request = t
            .app
            .create_relationship_request(&f.admin, false)
            .await
            .expect("F asks");
        t.app
            .accept_relationship_request(&c.admin, &request.token)
            .await
            .expect("C accepts F");
        t.app
            .remove_relationship(&f.admin, c.id, Some("ended"), None)
            .await
            .expect("F removes its relationship");

        let x = t.partner(PartnerType::Direct).await;
        let provider = t.partner(PartnerType::IndirectProvider).await;
        let r = t.partner_under(PartnerType::IndirectReseller, Some(provider.id)).await;
        let other = t.partner(PartnerType::Direct).await;
        let c2 = t.customer_of(&other).await;

        let invitation_token = t
            .app
            .create_relationship_request(&p.admin, false)
            .await
            .expect("P's pending invitation")
            .token;
        let revoked = t.app.create_api_token(&p.admin, "revoked").await.expect("token");
        t.app
            .revoke_api_token(&p.admin, revoked.token.id)
            .await
            .expect("revoke");
        let p_spare = t.app.create_api_token(&p.admin, "spare of P").await.expect("token");
        let p_user = t.user_with_role(&p.admin, "sales_agent").await.user_id;

        // P's GDAP relationship with C, approved by C's admin; a security group of P's
        // with P's user in it, given a role in C through the relationship.
        let gdap = t
            .app
            .create_gdap_relationship(
                &p.admin,
                NewGdapRelationship {
                    display_name: GDAP_NAME.into(),
                    duration: "P730D".into(),
                    roles: vec![HELPDESK.into()],
                    customer: Some(c.id),
                    auto_extend: None,
                },
            )
            .await
            .expect("P creates a GDAP relationship with C");
        let lock = t
            .app
            .request_gdap_action(&p.admin, gdap.id, GdapAction::LockForApproval)
            .await
            .expect("P locks it for approval");
        t.app
            .request_gdap_action(&c.admin, gdap.id, GdapAction::Approve)
            .await
            .expect("C approves it");
        // A role added to the relationship in force is a long-running operation.
        let approved = t.app.gdap_relationship(&p.admin, gdap.id).await.expect("P reads it");
        t.app
            .update_gdap_relationship(
                &p.admin,
                gdap.id,
                approved.version,
                GdapPatch {
                    roles: Some(vec![HELPDESK.into(), GLOBAL_READER.into()]),
                    ..GdapPatch::default()
                },
            )
            .await
            .expect("P adds a role");
        let operations = t.app.gdap_operations(&p.admin, gdap.id).await.expect("operations");
        let operation = operations.first().expect("the role change is an operation");
        let group = t
            .app
            .create_security_group(&p.admin, "Isolated agents")
            .await
            .expect("P's security group");
        t.app
            .add_security_group_member(&p.admin, group.id, p_user)
            .await
            .expect("P's user joins");
        let assignment = t
            .app
            .create_access_assignment(&p.admin, gdap.id, group.id, vec![HELPDESK.into()])
            .await
            .expect("the group gets a role in C");
        let p_user = p_user.to_string();
        let mut tx = t.db.store.read().await.expect("read");
        let audit = tx
            .list_audit(Some(c.id), None, 1000)
            .await
            .expect("C's audit records")
            .into_iter()
            .find(|r| r.operation == "add_customer")
            .expect("the record of P adding C")
            .id
            .to_string();
        tx.rollback().await.expect("rollback");

        let webhook = t
            .app
            .create_webhook_registration(&p.admin, "https://1.1.1.1/hook", &["customer-created".into()])
            .await
            .expect("P registers a webhook");
        let webhook_event = t.app.send_webhook_test(&p.admin, None).await.expect("a test event");

        let actors = vec![
            (Who::X, actor(&t, &x.admin).await),
            (Who::R, actor(&t, &r.admin).await),
            (Who::C2Admin, actor(&t, &c2.admin).await),
            (Who::F, actor(&t, &f.admin).await),
            (Who::CAdmin, actor(&t, &c.admin).await),
            (Who::P, actor(&t, &p.admin).await),
        ];
        World {
            router,
            subscription: s.id.to_string(),
            order: s.order_id.to_string(),
            p_user,
            p,
            c,
            f,
            invitation_token,
            revoked_bearer: revoked.secret,
            p_spare_token_id: p_spare.token.id.to_string(),
            gdap: gdap.id.to_string(),
            gdap_request: lock.id.to_string(),
            gdap_operation: operation.id.to_string(),
            assignment: assignment.id.to_string(),
            group: group.id.to_string(),
            audit,
            webhook: webhook.id.to_string(),
            webhook_event: webhook_event.to_string(),
            actors,
            t,
        }
    }

    fn actor(&self, who: Who) -> Option<&Actor> {
        self.actors.iter().find(|(w, _)| *w == who).map(|(_, a)| a)
    }

    fn bearer(&self, who: Who) -> Option<String> {
        match who {
            Who::Anonymous => None,
            Who::Revoked => Some(self.revoked_bearer.clone()),
            other => self.actor(other).map(|a| a.bearer.clone()),
        }
    }

    /// The value of one path parameter. `{id}` means a different thing under each
    /// resource, so the map is keyed by the segment before the parameter and its name;
    /// an unknown pair fails the test, so a new kind of route forces an update here.
    fn value(&self, path: &str, resource: &str, name: &str, who: Who) -> String {
        match (resource, name) {
            ("customers", "id") => self.c.id.to_string(),
            ("subscriptions", "sid") => self.subscription.clone(),
            ("orders", "oid") => self.order.clone(),
            ("users", "uid") => self.p_user.clone(),
            ("offers", "id") => self.t.offer.id.to_string(),
            // The customer side names the partner it ends: F, whose relationship is closed.
            ("partners", "id") if path.starts_with("/v1/me/partners/") => self.f.id.to_string(),
            // The operator side names a partner organisation: P.
            ("partners", "id") => self.p.id.to_string(),
            // A token of the caller; callers without one (anonymous, revoked) name P's.
            ("tokens", "id") => self
                .actor(who)
                .map(|a| a.spare_token_id.clone())
                .unwrap_or_else(|| self.p_spare_token_id.clone()),
            ("invitations", "token") => self.invitation_token.clone(),
            ("delegatedAdminRelationships", "id") => self.gdap.clone(),
            ("accessAssignments", "assignmentId") => self.assignment.clone(),
            ("requests", "requestId") => self.gdap_request.clone(),
            ("operations", "operationId") => self.gdap_operation.clone(),
            ("delegatedAdminCustomers", "id") => self.c.id.to_string(),
            ("securityGroups", "id") => self.group.clone(),
            ("members", "uid") => self.p_user.clone(),
            ("roles", "id") => HELPDESK.to_string(),
            ("auditrecords", "id") => self.audit.clone(),
            ("registration", "id") => self.webhook.clone(),
            ("validationEvents", "id") => self.webhook_event.clone(),
            _ => panic!("{path}: no value for {{{name}}} after /{resource}/; add one to World::value"),
        }
    }

    /// `path` with every `{param}` replaced by its value for `who`.
    fn uri(&self, path: &str, who: Who) -> String {
        let mut out = String::new();
        let mut resource = "";
        for segment in path.split('/').skip(1) {
            out.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => out.push_str(&self.value(path, resource, name, who)),
                None => {
                    out.push_str(segment);
                    resource = segment;
                }
            }
        }
        out
    }

    /// `path` with every parameter naming something that does not exist.
    fn unknown_uri(path: &str) -> String {
        path.split('/')
            .map(|segment| if segment.starts_with('{') { UNKNOWN_ID } else { segment })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// A body that passes validation, for the writes whose empty body is refused before
    /// any lookup: sent as well by callers that must be refused, so the refusal is seen to
    /// come from authorization and not from the body.
    fn valid_body(&self, method: &str, path: &str) -> Option<String> {
        let body = match (method, path) {
            ("post", "/v1/customers/{id}/orders") => serde_json::json!({
                "lineItems": [{"lineItemNumber": 0, "offerId": self.t.offer.id.to_string(), "quantity": 5}]
            }),
            ("post", "/v1/customers/{id}/subscriptions/bulk") => {
                serde_json::json!({"status": "suspended", "subscriptionIds": [self.subscription]})
            }
            ("put", "/v1/customers/{id}/subscriptions/{sid}/supportcontact") => {
                serde_json::json!({"supportTenantId": self.p.id.to_string()})
            }
            ("post", "/v1/partners/{id}/users") => serde_json::json!({
                "email": "intruder@users.example", "password": PASSWORD, "roles": ["global_admin"]
            }),
            _ => return None,
        };
        Some(body.to_string())
    }

    async fn send(&self, method: &str, uri: &str, bearer: Option<&str>) -> Reply {
        self.send_body(method, uri, bearer, "{}").await
    }

    async fn send_body(&self, method: &str, uri: &str, bearer: Option<&str>, body: &str) -> Reply {
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("method");
        let mut req = Request::builder().method(method.clone()).uri(uri);
        if let Some(bearer) = bearer {
            req = req.header("authorization", format!("Bearer {bearer}"));
        }
        let req = if [Method::POST, Method::PUT, Method::PATCH].contains(&method) {
            req.header("content-type", "application/json")
                .body(Body::from(body.to_string()))
        } else {
            req.body(Body::empty())
        }
        .expect("request");
        let response = self.router.clone().oneshot(req).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// What must never reach a caller without a relationship with C.
    fn secrets(&self) -> Vec<String> {
        vec![
            C_NAME.to_string(),
            C_DOMAIN.to_string(),
            GDAP_NAME.to_string(),
            self.gdap.clone(),
            self.subscription.clone(),
            self.order.clone(),
        ]
    }

    /// C's state as P sees it: P's relationship, S's status and quantity, how many
    /// subscriptions C has.
    async fn c_state(&self) -> String {
        let view = self
            .t
            .app
            .get_customer(&self.p.admin, self.c.id)
            .await
            .expect("P reads C");
        let subscriptions = self
            .t
            .app
            .list_subscriptions(&self.p.admin, self.c.id)
            .await
            .expect("P lists C's subscriptions");
        let s = subscriptions
            .iter()
            .find(|s| s.id.to_string() == self.subscription)
            .expect("S is listed");
        format!(
            "relationship {:?}; S {:?} x{}; {} subscriptions",
            view.relationship.map(|r| r.state),
            s.status,
            s.quantity,
            subscriptions.len()
        )
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
    text: String,
}

impl Reply {
    /// The stable error name: `errorName` on `/v1`, `error.code` in Graph's envelope.
    fn error_name(&self) -> &str {
        self.json["errorName"]
            .as_str()
            .or_else(|| self.json["error"]["code"].as_str())
            .unwrap_or_default()
    }

    /// The body without what differs between any two answers (Graph's `innerError`: the
    /// time and the request's id).
    fn comparable(&self) -> Value {
        let mut json = self.json.clone();
        if let Some(error) = json.get_mut("error").and_then(Value::as_object_mut) {
            error.remove("innerError");
        }
        json
    }

    /// The first secret found in the body or a header value.
    fn leaked(&self, secrets: &[String]) -> Option<String> {
        secrets
            .iter()
            .find(|s| {
                self.text.contains(s.as_str())
                    || self
                        .headers
                        .values()
                        .any(|v| String::from_utf8_lossy(v.as_bytes()).contains(s.as_str()))
            })
            .cloned()
    }
}

fn is_public(method: &str, path: &str) -> bool {
    PUBLIC_ROUTES.iter().any(|(m, p, _)| *m == method && *p == path)
}

/// Answers that validation gives before any lookup: a malformed body or query, a missing
/// `If-Match`.
fn answers_before_lookup(status: StatusCode) -> bool {
    status == StatusCode::BAD_REQUEST || status == StatusCode::PRECONDITION_REQUIRED
}

fn is_partner(who: Who) -> bool {
    matches!(who, Who::P | Who::X | Who::R | Who::F)
}

/// What `who` may get from `method path`; `Err` says what was wrong.
fn check(
    world: &World,
    who: Who,
    method: &str,
    path: &str,
    reply: &Reply,
    unknown: Option<&Reply>,
) -> Result<(), String> {
    let status = reply.status.as_u16();
    if reply.status.is_server_error() {
        return Err(format!("server error {status}"));
    }
    let one_of = |allowed: &[u16]| {
        if allowed.contains(&status) {
            Ok(())
        } else {
            Err(format!("{status} {}, expected one of {allowed:?}", reply.error_name()))
        }
    };
    let not_one_of = |refused: &[u16]| {
        if refused.contains(&status) {
            Err(format!(
                "{status} {}, must not be one of {refused:?}",
                reply.error_name()
            ))
        } else {
            Ok(())
        }
    };
    let never_2xx = || {
        if reply.status.is_success() {
            Err(format!("{status}: must be refused"))
        } else {
            Ok(())
        }
    };
    match who {
        Who::Anonymous if is_public(method, path) => return Ok(()),
        // A revoked token on a public route is refused or ignored; both are safe.
        Who::Revoked if is_public(method, path) => return one_of(&[200, 401]),
        Who::Anonymous | Who::Revoked => return one_of(&[401]),
        _ => {}
    }
    // Body and header validation may run before the lookup: a 400 (or a 428 for a missing
    // `If-Match`) to a caller that must be refused is fine when it is exactly the answer
    // for ids that do not exist, as it then says nothing about C, S, O or P. `unknown`
    // carries that answer.
    if answers_before_lookup(reply.status) && must_be_refused(who, path) {
        return match unknown {
            Some(u) if u.status == reply.status && u.comparable() == reply.comparable() => no_leak(world, reply),
            Some(u) => Err(format!(
                "{status} {}, but {} for unknown ids: {}",
                reply.text, u.status, u.text
            )),
            None => Err(format!("{status} {}", reply.text)),
        };
    }
    match scope_of(path) {
        Scope::Customer => match who {
            Who::X | Who::R | Who::C2Admin => {
                one_of(&[403, 404])?;
                no_leak(world, reply)
            }
            Who::F => {
                if reply.status == StatusCode::FORBIDDEN && reply.error_name() != "no_active_relationship" {
                    return Err(format!("403 {}, expected no_active_relationship", reply.error_name()));
                }
                one_of(&[403, 404])?;
                no_leak(world, reply)
            }
            // C's admin works from the customer side; the partner-side routes are not
            // its own, but nothing of C is secret from it. Only a 401 would be wrong.
            Who::CAdmin => not_one_of(&[401]),
            // P answers for C: a success, or a validation answer to the empty body.
            Who::P => not_one_of(&[401, 403, 404]),
            Who::Anonymous | Who::Revoked => unreachable!(),
        },
        // Every signed-in caller may revoke its own token.
        Scope::OwnToken => {
            if reply.status.is_success() {
                Ok(())
            } else {
                Err(format!("{status} {}: revoking one's own token", reply.error_name()))
            }
        }
        // P's organisation: the operator's, and for its users P's global admin's. P reading
        // its own partner record may be refused (operator-only) but is never 401 or 404.
        Scope::Partner => match who {
            Who::P => not_one_of(&[401, 404]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])
            }
        },
        // The catalogs (offers, roles): everyone reads them; only the operator changes
        // them (a change without `If-Match` is refused before anyone is asked).
        Scope::Catalog => match method {
            "get" => one_of(&[200]),
            _ => one_of(&[403, 428]),
        },
        // P's GDAP relationship with C: P and C's admin act on it (a success, or a
        // validation answer to the empty body or the missing `If-Match`); nobody else
        // learns it exists.
        Scope::Gdap => match who {
            Who::P | Who::CAdmin => not_one_of(&[401, 403, 404]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])?;
                no_leak(world, reply)
            }
        },
        // C as P's GDAP customer: P reads it; no other partner, and no customer, gets it.
        Scope::GdapCustomer => match who {
            Who::P => one_of(&[200]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])?;
                no_leak(world, reply)
            }
        },
        // P's security group: P's admin manages it; nobody else sees it.
        Scope::SecurityGroup => match who {
            Who::P => not_one_of(&[401, 403, 404]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])
            }
        },
        // An invitation is an open link: any signed-in caller may view it; a customer's
        // global admin may answer it (2xx, or 409/410 once answered); partners may not.
        Scope::Invitation => match method {
            "get" => not_one_of(&[401, 403]),
            _ if is_partner(who) => one_of(&[403]),
            _ => not_one_of(&[401, 403]),
        },
        // The record of P adding C: P and C's admin read it; nobody else learns it exists.
        Scope::AuditRecord => match who {
            Who::P | Who::CAdmin => one_of(&[200]),
            _ => {
                never_2xx()?;
                one_of(&[404])?;
                no_leak(world, reply)
            }
        },
        // P's webhook registration: P manages it (and may delete it, after which its other
        // routes answer 404); nobody else learns it exists.
        Scope::Webhook => match who {
            Who::P => not_one_of(&[401, 403]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])?;
                no_leak(world, reply)
            }
        },
        // The customer side: only C's admin may end a relationship of C (F's is already
        // closed); partners and C2's admin never succeed.
        Scope::CustomerSide => match who {
            Who::CAdmin => not_one_of(&[401, 403]),
            _ => {
                never_2xx()?;
                one_of(&[403, 404])
            }
        },
    }
}

/// Whether `who` must be refused on `path` whatever the body (signed-in callers only).
fn must_be_refused(who: Who, path: &str) -> bool {
    match who {
        Who::P | Who::Anonymous | Who::Revoked => false,
        Who::CAdmin => matches!(
            scope_of(path),
            Scope::Partner | Scope::GdapCustomer | Scope::SecurityGroup | Scope::Webhook
        ),
        Who::X | Who::R | Who::C2Admin | Who::F => matches!(
            scope_of(path),
            Scope::AuditRecord
                | Scope::Customer
                | Scope::Partner
                | Scope::CustomerSide
                | Scope::Gdap
                | Scope::GdapCustomer
                | Scope::SecurityGroup
                | Scope::Webhook
        ),
    }
}

fn no_leak(world: &World, reply: &Reply) -> Result<(), String> {
    match reply.leaked(&world.secrets()) {
        Some(secret) => Err(format!("{} leaks {secret}: {}", reply.status, reply.text)),
        None => Ok(()),
    }
}

/// The routes of the matrix: every (method, path) with a path parameter.
fn parameterized_routes() -> Vec<(String, String)> {
    let routes: Vec<_> = registered_routes::registered_routes()
        .into_iter()
        .filter(|(_, path)| path.contains('{'))
        .collect();
    assert!(routes.len() >= 20, "the route table was read: {routes:?}");
    routes
}

/// P's requests in a safe order: reads, then changes, then deletions (a user P removes
/// is gone for the PATCH after it), and the offboarding of C last.
fn in_order_for(who: Who, mut routes: Vec<(String, String)>) -> Vec<(String, String)> {
    if who == Who::P {
        routes.sort_by_key(|(method, path)| {
            (
                method == "post" && path.ends_with("/offboarding"),
                method != "get",
                method == "delete",
                std::cmp::Reverse(if method == "delete" { path.len() } else { 0 }),
            )
        });
    }
    routes
}

#[tokio::test]
async fn every_route_with_a_path_parameter_answers_each_caller_only_what_it_may_see() {
    let routes = parameterized_routes();
    for path in routes.iter().map(|(_, p)| p) {
        scope_of(path);
    }
    for db in partnerdesk_testkit::backends().await {
        let backend = db.store.backend_name();
        let world = World::on(db).await;
        let before = world.c_state().await;
        let mut failures = String::new();
        for &who in CALLERS {
            if who == Who::CAdmin {
                let after = world.c_state().await;
                assert_eq!(
                    after, before,
                    "{backend}: C changed under callers without a relationship"
                );
            }
            let bearer = world.bearer(who);
            for (method, path) in in_order_for(who, routes.clone()) {
                let uri = world.uri(&path, who);
                let reply = world.send(&method, &uri, bearer.as_deref()).await;
                let unknown = if answers_before_lookup(reply.status) {
                    Some(world.send(&method, &World::unknown_uri(&path), bearer.as_deref()).await)
                } else {
                    None
                };
                if let Err(why) = check(&world, who, &method, &path, &reply, unknown.as_ref()) {
                    let _ = writeln!(failures, "{backend} {who:?} {} {path}: {why}", method.to_uppercase());
                }
                let Some(body) = world.valid_body(&method, &path).filter(|_| must_be_refused(who, &path)) else {
                    continue;
                };
                let reply = world.send_body(&method, &uri, bearer.as_deref(), &body).await;
                if let Err(why) = check(&world, who, &method, &path, &reply, None) {
                    let _ = writeln!(
                        failures,
                        "{backend} {who:?} {} {path} with a valid body: {why}",
                        method.to_uppercase()
                    );
                }
            }
        }
        assert!(failures.is_empty(), "isolation failures:\n{failures}");
    }
}

#[test]
fn every_public_route_is_a_registered_route() {
    let routes = registered_routes::registered_routes();
    for (method, path, reason) in PUBLIC_ROUTES {
        assert!(!reason.is_empty());
        assert!(
            routes.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is listed as public but not registered"
        );
    }
}
