//! A `TestApp` that hands out ready actors, so tests read like the product:
//! `let (partner, customer) = t.partner_with_customer().await;`

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_app::gdap::{GdapAction, NewGdapRelationship};
use partnerdesk_app::mail::{MailConfig, SmtpUrl};
use partnerdesk_app::operator::{NewPartnerInput, NewUserInput, OfferInput};
use partnerdesk_app::orders::LineInput;
use partnerdesk_app::security_groups::{AccessAssignment, SecurityGroup};
use partnerdesk_app::{App, AppConfig, Caller, ManualClock, PasswordCost, SignInClient, V7Ids};
use partnerdesk_domain::offer::Offer;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_domain::subscription::Subscription;
use partnerdesk_domain::{CustomerId, GdapId, OrgId, PartnerId, UserId};
use partnerdesk_store::{DatabaseUrl, Store};

/// Microsoft Entra's Helpdesk Administrator role, in the default catalogue.
pub const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

use crate::db::TestDb;

/// Every test user's password.
pub const PASSWORD: &str = "test-password-1";

/// A partner organisation and its global admin.
#[derive(Debug, Clone)]
pub struct PartnerActor {
    pub id: PartnerId,
    pub admin: Caller,
}

/// A customer organisation and its global admin.
#[derive(Debug, Clone)]
pub struct CustomerActor {
    pub id: CustomerId,
    pub admin: Caller,
}

/// The app's configuration in tests: passwords hashed at the fast cost.
fn test_config() -> AppConfig {
    AppConfig {
        password_cost: PasswordCost::Fast,
        ..AppConfig::default()
    }
}

/// Waits until every one of `nodes` trusts its caches (it listens and is registered).
pub async fn until_trusted(nodes: &[&App]) {
    for (n, node) in nodes.iter().enumerate() {
        let mut tries = 0;
        while !node.access_cache_trusted() {
            tries += 1;
            assert!(tries < 200, "node {n} never started trusting its cache");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }
}

/// An app on a fresh database, with a manual clock, an operator and one offer.
pub struct TestApp {
    pub app: App,
    pub db: TestDb,
    pub clock: Arc<ManualClock>,
    pub operator: Caller,
    pub offer: Offer,
    counter: std::sync::atomic::AtomicU32,
    /// The first admin of each organisation made here, by organisation id.
    admins: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, Caller>>,
}

impl TestApp {
    /// Builds the app on `db`: operator admin, and an offer sold in US and RU (1..=100 seats).
    pub async fn on(db: TestDb) -> TestApp {
        Self::configured(db, None).await
    }

    /// Builds the app as [`TestApp::on`] does, sending mail through the SMTP server at
    /// `smtp_url` as `partnerdesk@vendor.example`.
    pub async fn with_mail(db: TestDb, smtp_url: &str) -> TestApp {
        let url = SmtpUrl::parse(smtp_url).expect("an SMTP URL");
        let mail = MailConfig::new(url, "partnerdesk@vendor.example").expect("a sender");
        Self::configured(db, Some(mail)).await
    }

    async fn configured(db: TestDb, mail: Option<MailConfig>) -> TestApp {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("valid date"),
        ));
        let config = AppConfig { mail, ..test_config() };
        let app = App::with_clock(db.store.clone(), config, clock.clone(), Arc::new(V7Ids));
        app.ensure_operator_admin("operator@vendor.example", PASSWORD)
            .await
            .expect("operator admin");
        let op_user = app
            .sign_in(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("operator signs in");
        let operator = app.caller(op_user.id).await.expect("operator caller");
        let offer = app
            .create_offer(
                &operator,
                OfferInput {
                    name: "Office Suite".into(),
                    description: "Mail and documents".into(),
                    unit_type: "Licenses".into(),
                    term_duration: "P1M".into(),
                    unit_price_minor: 1250,
                    currency: "USD".into(),
                    min_quantity: 1,
                    max_quantity: 100,
                    countries: vec!["US".into(), "RU".into()],
                    is_available: true,
                },
            )
            .await
            .expect("offer");
        TestApp {
            app,
            db,
            clock,
            operator,
            offer,
            counter: Default::default(),
            admins: Default::default(),
        }
    }

    /// A second node: another app, with its own caches and listener, on another pool to the
    /// same database and the same clock.
    pub async fn second_node(&self) -> App {
        let url = DatabaseUrl::parse(&self.db.url).expect("database url");
        let store = Store::connect(&url).await.expect("connect second node");
        App::with_clock(store, test_config(), self.clock.clone(), Arc::new(V7Ids))
    }

    fn register_admin(&self, admin: &Caller) {
        self.admins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(admin.org_id.0, admin.clone());
    }

    /// The first admin of an organisation made by this `TestApp`.
    pub fn admin_of(&self, org: impl Into<OrgId>) -> Caller {
        let org: OrgId = org.into();
        self.admins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&org.0)
            .cloned()
            .expect("an organisation made by this TestApp")
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// A personal API token (`pd_...`) of `caller`, ready for `Authorization: Bearer`.
    pub async fn token_for(&self, caller: &Caller) -> String {
        let n = self.next();
        self.app
            .create_api_token(caller, &format!("test token {n}"))
            .await
            .expect("create API token")
            .secret
    }

    /// A new partner of the given type.
    pub async fn partner(&self, partner_type: PartnerType) -> PartnerActor {
        self.partner_under(partner_type, None).await
    }

    /// A new partner, linked to a provider when it is an indirect reseller.
    pub async fn partner_under(&self, partner_type: PartnerType, provider: Option<PartnerId>) -> PartnerActor {
        let n = self.next();
        let created = self
            .app
            .add_partner(
                &self.operator,
                NewPartnerInput {
                    name: format!("Partner {n}"),
                    partner_type: partner_type.as_str().into(),
                    admin_email: format!("admin{n}@partner{n}.example"),
                    admin_password: PASSWORD.into(),
                    admin_name: None,
                    indirect_provider_id: provider,
                },
            )
            .await
            .expect("create partner");
        let admin = self.app.caller(created.admin.id).await.expect("partner caller");
        self.register_admin(&admin);
        PartnerActor {
            id: created.partner.id,
            admin,
        }
    }

    /// Another user of an organisation with one role.
    pub async fn user_with_role(&self, org_admin: &Caller, role: &str) -> Caller {
        let n = self.next();
        let user = self
            .app
            .add_user(
                org_admin,
                org_admin.org_id,
                NewUserInput {
                    email: format!("{role}{n}@users.example"),
                    password: PASSWORD.into(),
                    display_name: None,
                    roles: vec![role.into()],
                    locale: None,
                },
            )
            .await
            .expect("add user");
        self.app.caller(user.id).await.expect("user caller")
    }

    /// A new customer created by `partner` (active relationship at once).
    pub async fn customer_of(&self, partner: &PartnerActor) -> CustomerActor {
        self.customer_with(partner, None).await
    }

    /// A new customer created by a provider for one of its resellers.
    pub async fn customer_with(&self, partner: &PartnerActor, reseller: Option<PartnerId>) -> CustomerActor {
        let n = self.next();
        let created = self
            .app
            .add_customer(
                &partner.admin,
                NewCustomerInput {
                    company_name: format!("Customer {n}"),
                    domain: format!("customer{n}.example"),
                    country: "US".into(),
                    culture: None,
                    billing_contact: "Ann Buyer".into(),
                    billing_email: format!("billing@customer{n}.example"),
                    billing_address: None,
                    admin_email: None,
                    admin_password: Some(PASSWORD.into()),
                    indirect_reseller_id: reseller,
                },
            )
            .await
            .expect("create customer");
        let admin = self.app.caller(created.admin.id).await.expect("customer caller");
        self.register_admin(&admin);
        CustomerActor {
            id: created.customer.id,
            admin,
        }
    }

    /// A customer with no partner yet: created by a throwaway partner whose relationship
    /// is then removed, as a customer that once worked with someone else.
    pub async fn customer_alone(&self) -> CustomerActor {
        let other = self.partner(PartnerType::Direct).await;
        let c = self.customer_of(&other).await;
        self.app
            .remove_relationship(&other.admin, c.id, Some("setup"), None)
            .await
            .expect("remove setup relationship");
        c
    }

    /// A customer that accepted `partner`'s relationship request with delegated admin, so
    /// the partner may take up DAP (rule 1 with the DAP option).
    pub async fn customer_with_dap(&self, partner: &PartnerActor) -> CustomerActor {
        let customer = self.customer_alone().await;
        let req = self
            .app
            .create_relationship_request(&partner.admin, true)
            .await
            .expect("request");
        self.app
            .accept_relationship_request(&customer.admin, &req.token)
            .await
            .expect("accept");
        customer
    }

    /// A GDAP relationship between the two in `status`, made through the use cases as a
    /// partner and its customer would: created (Helpdesk Administrator, for the whole days
    /// from now to `ends_at`, else 730 days), locked for approval, approved by the
    /// customer's global admin, and terminated, as `status` asks. `status` is one of
    /// `created`, `approvalPending`, `active` or `terminated`.
    pub async fn gdap(
        &self,
        partner: PartnerId,
        customer: CustomerId,
        status: GdapStatus,
        ends_at: Option<DateTime<Utc>>,
    ) -> GdapId {
        use partnerdesk_app::Clock;
        let partner_admin = self.admin_of(partner);
        let days = ends_at.map_or(730, |e| {
            let secs = (e - self.clock.now()).num_seconds().max(1);
            (secs + 86_399) / 86_400
        });
        let n = self.next();
        let g = self
            .app
            .create_gdap_relationship(
                &partner_admin,
                NewGdapRelationship {
                    display_name: format!("Helpdesk access {n}"),
                    duration: format!("P{}D", days.clamp(1, 730)),
                    roles: vec![HELPDESK_ADMINISTRATOR.into()],
                    customer: Some(customer),
                    auto_extend: None,
                },
            )
            .await
            .expect("create GDAP relationship");
        if status == GdapStatus::Created {
            return g.id;
        }
        self.app
            .request_gdap_action(&partner_admin, g.id, GdapAction::LockForApproval)
            .await
            .expect("lock for approval");
        if status == GdapStatus::ApprovalPending {
            return g.id;
        }
        self.app
            .request_gdap_action(&self.admin_of(customer), g.id, GdapAction::Approve)
            .await
            .expect("approve");
        match status {
            GdapStatus::Active => {}
            GdapStatus::Terminated => {
                self.app
                    .request_gdap_action(&partner_admin, g.id, GdapAction::Terminate)
                    .await
                    .expect("terminate");
            }
            other => panic!("World::gdap makes created, approvalPending, active or terminated, not {other:?}"),
        }
        g.id
    }

    /// A security group of `partner` named `name` with `member` in it, given `roles` (a
    /// subset of the relationship's) in the active GDAP relationship `gdap`.
    pub async fn security_group_with_access(
        &self,
        partner: &Caller,
        name: &str,
        member: UserId,
        gdap: GdapId,
        roles: &[&str],
    ) -> (SecurityGroup, AccessAssignment) {
        let group = self
            .app
            .create_security_group(partner, name)
            .await
            .expect("create security group");
        self.app
            .add_security_group_member(partner, group.id, member)
            .await
            .expect("add member");
        let assignment = self
            .app
            .create_access_assignment(partner, gdap, group.id, roles.iter().map(|r| r.to_string()).collect())
            .await
            .expect("create access assignment");
        (group, assignment)
    }

    /// `partner` buys `quantity` seats of the test offer for `customer`.
    pub async fn buy(&self, partner: &PartnerActor, customer: CustomerId, quantity: i64) -> Subscription {
        let placed = self
            .app
            .create_order(
                &partner.admin,
                customer,
                vec![LineInput {
                    offer_id: self.offer.id,
                    quantity,
                    friendly_name: None,
                }],
                None,
            )
            .await
            .expect("place order");
        placed.subscriptions.into_iter().next().expect("one subscription")
    }
}
