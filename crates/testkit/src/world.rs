//! A `TestApp` that hands out ready actors, so tests read like the product:
//! `let (partner, customer) = t.partner_with_customer().await;`

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_app::operator::{NewPartnerInput, NewUserInput, OfferInput};
use partnerdesk_app::orders::LineInput;
use partnerdesk_app::{App, AppConfig, Caller, ManualClock, PasswordCost, SignInClient, V7Ids};
use partnerdesk_domain::offer::Offer;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::{GdapRelationship, GdapStatus};
use partnerdesk_domain::subscription::Subscription;
use partnerdesk_domain::{CustomerId, GdapId, PartnerId};

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

/// An app on a fresh database, with a manual clock, an operator and one offer.
pub struct TestApp {
    pub app: App,
    pub db: TestDb,
    pub clock: Arc<ManualClock>,
    pub operator: Caller,
    pub offer: Offer,
    counter: std::sync::atomic::AtomicU32,
}

impl TestApp {
    /// Builds the app on `db`: operator admin, and an offer sold in US and RU (1..=100 seats).
    pub async fn on(db: TestDb) -> TestApp {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().expect("valid date"),
        ));
        let config = AppConfig {
            password_cost: PasswordCost::Fast,
            ..AppConfig::default()
        };
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
        }
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

    /// A GDAP relationship between the two in `status`, ending at `ends_at` (if ever),
    /// written straight to the store: no use case creates one yet.
    pub async fn gdap(
        &self,
        partner: PartnerId,
        customer: CustomerId,
        status: GdapStatus,
        ends_at: Option<DateTime<Utc>>,
    ) -> GdapId {
        use partnerdesk_app::Clock;
        let id = GdapId(uuid::Uuid::now_v7());
        let gdap = GdapRelationship {
            id,
            partner_id: partner,
            customer_id: Some(customer),
            customer_display_name: None,
            // Display names are unique per partner.
            display_name: format!("Helpdesk access {id}"),
            status,
            roles: vec!["729827e3-9c14-49f7-bb1b-9608f156bbb8".into()],
            duration_days: 730,
            auto_extend_days: 0,
            created_at: self.clock.now(),
            last_modified_at: self.clock.now(),
            locked_at: None,
            activated_at: None,
            ends_at,
            ended_at: None,
            expiry_warned_at: None,
            version: 1,
        };
        let mut tx = self.db.store.begin().await.expect("begin");
        tx.insert_gdap(&gdap).await.expect("insert gdap");
        tx.commit().await.expect("commit");
        gdap.id
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
