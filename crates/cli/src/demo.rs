//! The demo data set: a small, realistic world to click through. An operator; partners of
//! each type (a direct partner, an indirect provider with its reseller, a Russian direct
//! partner); a catalog; about 30 customers with English and Russian names; subscriptions in
//! every status; a pending relationship request; a closed relationship in history; delegated
//! admin: customers with DAP, with active GDAP relationships whose access assignments give a
//! security group of demo users roles, one ending within 30 days, one awaiting approval;
//! support contacts on some subscriptions. So the removal preview of those customers shows
//! real effects.
//!
//! Everything goes through the same use cases as the API, so the demo is also a smoke test
//! of them. Only the `expired` status has no use case (subscriptions expire by themselves)
//! and is set through the store.

use anyhow::Context;
use partnerdesk_app::customers::NewCustomerInput;
use partnerdesk_app::gdap::{GdapAction, NewGdapRelationship};
use partnerdesk_app::operator::{NewPartnerInput, NewUserInput, OfferInput};
use partnerdesk_app::orders::LineInput;
use partnerdesk_app::subscriptions::SubscriptionPatch;
use partnerdesk_app::{App, Caller, SignInClient};
use partnerdesk_domain::offer::Offer;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::{CustomerId, GdapId, PartnerId, SubscriptionId};

/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "partnerdesk-demo";

/// What the seeding made: the users to sign in with, and the pending invitation.
pub struct DemoReport {
    /// (who, e-mail) pairs; all share [`DEMO_PASSWORD`].
    pub users: Vec<(String, String)>,
    pub invitation_url: String,
    /// The approval link of the GDAP relationship awaiting its customer's answer.
    pub gdap_approval_url: String,
    pub customers: usize,
}

impl DemoReport {
    /// Prints the users and their password.
    pub fn print(&self) {
        println!(
            "demo data seeded: {} customers. Sign in with any of these (password: {DEMO_PASSWORD}):",
            self.customers
        );
        for (who, email) in &self.users {
            println!("  {who:<58} {email}");
        }
        println!(
            "pending relationship request (open it as a customer admin): {}",
            self.invitation_url
        );
        println!(
            "GDAP relationship awaiting approval (open it as that customer's admin): {}",
            self.gdap_approval_url
        );
    }
}

/// English and Russian customers: (company, domain, country, culture, contact).
const CUSTOMERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Alpine Ski House",
        "alpineskihouse.example",
        "US",
        "en-US",
        "Maria Lopez",
    ),
    ("Blue Yonder Airlines", "blueyonder.example", "US", "en-US", "Tom Hall"),
    ("Coho Winery", "cohowinery.example", "US", "en-US", "Ellen Adams"),
    ("Datum Corporation", "adatum.example", "US", "en-US", "Raj Patel"),
    ("Fourth Coffee", "fourthcoffee.example", "US", "en-US", "Ann Beebe"),
    (
        "Graphic Design Institute",
        "graphicdesign.example",
        "GB",
        "en-GB",
        "Oliver Brown",
    ),
    ("Humongous Insurance", "humongous.example", "US", "en-US", "Chris Gray"),
    ("Litware Inc", "litware.example", "US", "en-US", "Dana Birkby"),
    (
        "Lucerne Publishing",
        "lucernepublishing.example",
        "DE",
        "de-DE",
        "Jonas Weber",
    ),
    (
        "Margie's Travel",
        "margiestravel.example",
        "US",
        "en-US",
        "Margie Shoop",
    ),
    (
        "Northwind Traders Retail",
        "northwindretail.example",
        "US",
        "en-US",
        "Nancy Davolio",
    ),
    ("Proseware Inc", "proseware.example", "US", "en-US", "Ben Miller"),
    (
        "School of Fine Art",
        "fineartschool.example",
        "GB",
        "en-GB",
        "Amelia Clarke",
    ),
    (
        "Southridge Video",
        "southridgevideo.example",
        "US",
        "en-US",
        "Kim Akers",
    ),
    ("Tailspin Toys", "tailspintoys.example", "US", "en-US", "Pat Coleman"),
    ("Trey Research", "treyresearch.example", "US", "en-US", "Sam Jones"),
    (
        "Wide World Importers",
        "wideworldimporters.example",
        "US",
        "en-US",
        "Lee Chan",
    ),
    ("Woodgrove Bank", "woodgrovebank.example", "US", "en-US", "Alex Kim"),
    ("ООО «Ромашка»", "romashka.example", "RU", "ru-RU", "Анна Петрова"),
    (
        "АО «Северный ветер»",
        "severveter.example",
        "RU",
        "ru-RU",
        "Игорь Смирнов",
    ),
    (
        "ООО «Лесная поляна»",
        "lesnayapolyana.example",
        "RU",
        "ru-RU",
        "Ольга Иванова",
    ),
    ("ИП Кузнецов", "kuznetsov-ip.example", "RU", "ru-RU", "Павел Кузнецов"),
    (
        "ООО «ТехноСфера»",
        "technosfera.example",
        "RU",
        "ru-RU",
        "Елена Соколова",
    ),
    (
        "ЗАО «Волга Логистик»",
        "volgalogistic.example",
        "RU",
        "ru-RU",
        "Дмитрий Волков",
    ),
    (
        "ООО «Уральские самоцветы»",
        "uralgems.example",
        "RU",
        "ru-RU",
        "Наталья Морозова",
    ),
    (
        "ГК «Балтийский берег»",
        "baltbereg.example",
        "RU",
        "ru-RU",
        "Сергей Новиков",
    ),
    (
        "ООО «Белый медведь»",
        "belmedved.example",
        "RU",
        "ru-RU",
        "Татьяна Лебедева",
    ),
    (
        "ООО «Сибирские сети»",
        "sibseti.example",
        "RU",
        "ru-RU",
        "Алексей Козлов",
    ),
    (
        "Contoso Pharmaceuticals",
        "contosopharma.example",
        "US",
        "en-US",
        "Grace Taylor",
    ),
    ("Relecloud", "relecloud.example", "US", "en-US", "Ravi Das"),
];

struct Seeder<'a> {
    app: &'a App,
    users: Vec<(String, String)>,
}

impl Seeder<'_> {
    async fn caller_for(&self, user: partnerdesk_domain::UserId) -> anyhow::Result<Caller> {
        Ok(self.app.caller(user).await?)
    }

    async fn partner(
        &mut self,
        operator: &Caller,
        name: &str,
        kind: &str,
        email: &str,
        provider: Option<PartnerId>,
    ) -> anyhow::Result<(PartnerId, Caller)> {
        let created = self
            .app
            .add_partner(
                operator,
                NewPartnerInput {
                    name: name.into(),
                    partner_type: kind.into(),
                    admin_email: email.into(),
                    admin_password: DEMO_PASSWORD.into(),
                    admin_name: None,
                    indirect_provider_id: provider,
                },
            )
            .await
            .with_context(|| format!("create partner {name}"))?;
        self.users
            .push((format!("{name} ({kind}), global admin"), email.into()));
        Ok((created.partner.id, self.caller_for(created.admin.id).await?))
    }

    async fn user(&mut self, admin: &Caller, who: &str, email: &str, role: &str, locale: &str) -> anyhow::Result<()> {
        let input = NewUserInput {
            email: email.into(),
            password: DEMO_PASSWORD.into(),
            display_name: None,
            roles: vec![role.into()],
            locale: Some(locale.into()),
        };
        self.app
            .add_user(admin, admin.org_id, input)
            .await
            .with_context(|| format!("add user {email}"))?;
        self.users.push((format!("{who}, {role}"), email.into()));
        Ok(())
    }

    async fn customer(
        &mut self,
        partner: &Caller,
        row: &(&str, &str, &str, &str, &str),
        reseller: Option<PartnerId>,
    ) -> anyhow::Result<CustomerId> {
        let (company, domain, country, culture, contact) = *row;
        let created = self
            .app
            .add_customer(
                partner,
                NewCustomerInput {
                    company_name: company.into(),
                    domain: domain.into(),
                    country: country.into(),
                    culture: Some(culture.into()),
                    billing_contact: contact.into(),
                    billing_email: format!("billing@{domain}"),
                    billing_address: Some("1 Main Street".into()),
                    admin_email: None,
                    admin_password: Some(DEMO_PASSWORD.into()),
                    indirect_reseller_id: reseller,
                },
            )
            .await
            .with_context(|| format!("create customer {company}"))?;
        Ok(created.customer.id)
    }

    async fn buy(
        &self,
        partner: &Caller,
        customer: CustomerId,
        offer: &Offer,
        quantity: i64,
        reseller: Option<PartnerId>,
    ) -> anyhow::Result<partnerdesk_domain::SubscriptionId> {
        let line = LineInput {
            offer_id: offer.id,
            quantity,
            friendly_name: None,
        };
        let placed = self
            .app
            .create_order(partner, customer, vec![line], reseller)
            .await
            .context("place order")?;
        placed
            .subscriptions
            .first()
            .map(|s| s.id)
            .context("an order makes a subscription")
    }

    async fn set_status(
        &self,
        partner: &Caller,
        customer: CustomerId,
        sub: partnerdesk_domain::SubscriptionId,
        status: SubscriptionStatus,
    ) -> anyhow::Result<()> {
        let patch = SubscriptionPatch {
            status: Some(status),
            ..Default::default()
        };
        self.app
            .update_subscription(partner, customer, sub, patch, None)
            .await
            .context("update subscription")?;
        Ok(())
    }
}

fn offer(name: &str, term: &str, price: i64, max: i64) -> OfferInput {
    OfferInput {
        name: name.into(),
        description: format!("{name}, billed per seat"),
        unit_type: "Licenses".into(),
        term_duration: term.into(),
        unit_price_minor: price,
        currency: "USD".into(),
        min_quantity: 1,
        max_quantity: max,
        countries: ["US", "GB", "DE", "RU"].map(String::from).to_vec(),
        is_available: true,
    }
}

/// Seeds the demo data when the database has no partners; `None` when it already has some.
pub async fn seed(app: &App) -> anyhow::Result<Option<DemoReport>> {
    if app.has_partners().await? {
        return Ok(None);
    }
    let mut s = Seeder { app, users: Vec::new() };
    let operator_email = "operator@partnerdesk.example";
    app.ensure_operator_admin(operator_email, DEMO_PASSWORD).await?;
    let op_user = app
        .sign_in(&SignInClient::unknown(), operator_email, DEMO_PASSWORD)
        .await?;
    let operator = s.caller_for(op_user.id).await?;
    s.users.push(("Operator, admin".into(), operator_email.into()));

    let mut offers = Vec::new();
    for input in [
        offer("Office Suite", "P1M", 1250, 300),
        offer("Office Suite (annual)", "P1Y", 12000, 300),
        offer("Cloud Backup", "P1M", 500, 1000),
        offer("Security Pack", "P1M", 800, 500),
        offer("Project Planner", "P1M", 1000, 100),
    ] {
        offers.push(app.create_offer(&operator, input).await.context("create offer")?);
    }

    let (contoso_id, contoso) = s
        .partner(
            &operator,
            "Contoso Cloud Partners",
            "direct",
            "admin@contoso-partners.example",
            None,
        )
        .await?;
    s.user(
        &contoso,
        "Contoso Cloud Partners",
        "sales@contoso-partners.example",
        "sales_agent",
        "en-US",
    )
    .await?;
    s.user(
        &contoso,
        "Contoso Cloud Partners",
        "helpdesk@contoso-partners.example",
        "helpdesk_agent",
        "en-US",
    )
    .await?;
    let (northwind_id, northwind) = s
        .partner(
            &operator,
            "Northwind Distribution",
            "indirect_provider",
            "admin@northwind-dist.example",
            None,
        )
        .await?;
    let (fabrikam_id, _fabrikam) = s
        .partner(
            &operator,
            "Fabrikam Resellers",
            "indirect_reseller",
            "admin@fabrikam-resellers.example",
            Some(northwind_id),
        )
        .await?;
    let (_, advantum) = s
        .partner(&operator, "Адвантум ИТ", "direct", "admin@advantum.example", None)
        .await?;
    s.user(
        &advantum,
        "Адвантум ИТ",
        "prodazhi@advantum.example",
        "sales_agent",
        "ru-RU",
    )
    .await?;

    let statuses = [
        SubscriptionStatus::Active,
        SubscriptionStatus::Active,
        SubscriptionStatus::Suspended,
        SubscriptionStatus::Active,
        SubscriptionStatus::Deleted,
        SubscriptionStatus::Expired,
    ];
    let mut customers = Vec::new();
    // Each customer's active subscriptions, by customer.
    let mut active_subs: Vec<(CustomerId, SubscriptionId)> = Vec::new();
    for (i, row) in CUSTOMERS.iter().enumerate() {
        let russian = row.2 == "RU";
        let (seller, reseller) = match (russian, i % 5) {
            (true, _) => (&advantum, None),
            (false, 3) => (&northwind, Some(fabrikam_id)),
            _ => (&contoso, None),
        };
        let customer = s.customer(seller, row, reseller).await?;
        for (j, offer) in offers.iter().enumerate().take(1 + i % 3) {
            let sub = s
                .buy(
                    seller,
                    customer,
                    offer,
                    5 + (i as i64 * 7 + j as i64 * 3) % 40,
                    reseller,
                )
                .await?;
            match statuses[(i + j) % statuses.len()] {
                SubscriptionStatus::Active => active_subs.push((customer, sub)),
                SubscriptionStatus::Expired => {
                    app.expire_subscription(sub).await?;
                }
                other => s.set_status(seller, customer, sub, other).await?,
            }
        }
        customers.push((customer, seller.clone(), row));
    }

    // A customer Contoso no longer works with: its relationship is closed, in history.
    if let Some((gone, partner, _)) = customers
        .iter()
        .find(|(_, p, row)| p.org_id == contoso.org_id && row.0 == "Trey Research")
    {
        app.offboard_customer(partner, *gone, Some("The customer moved to another partner"))
            .await
            .context("offboard")?;
    }
    // A customer admin to sign in as, and a pending request for it to answer.
    if let Some((_, _, row)) = customers.iter().find(|(_, _, row)| row.0 == "Trey Research") {
        s.users.push((
            "Trey Research (customer), global admin".into(),
            format!("admin@{}", row.1),
        ));
    }
    if let Some((_, _, row)) = customers.iter().find(|(_, _, row)| row.2 == "RU") {
        s.users.push((
            format!("{} (customer), global admin", row.0),
            format!("admin@{}", row.1),
        ));
    }
    let contoso_customers: Vec<(CustomerId, &str, &str)> = customers
        .iter()
        .filter(|(_, p, row)| p.org_id == contoso.org_id && row.0 != "Trey Research")
        .map(|(id, _, row)| (*id, row.0, row.1))
        .collect();
    let awaiting = delegated_admin(&mut s, &contoso, contoso_id, &contoso_customers, &active_subs).await?;
    let request = app
        .create_relationship_request(&contoso, true)
        .await
        .context("create request")?;

    Ok(Some(DemoReport {
        users: s.users,
        invitation_url: request.url,
        gdap_approval_url: format!(
            "{}/partners/admin-relationships/{awaiting}",
            app.config().public_url.trim_end_matches('/')
        ),
        customers: customers.len(),
    }))
}

/// Helpdesk Administrator and User Administrator: roles of the default catalogue.
const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";

/// The global admin of the demo customer with domain `domain` (`admin@domain`).
async fn customer_admin(app: &App, domain: &str) -> anyhow::Result<Caller> {
    let email = format!("admin@{domain}");
    let user = app
        .sign_in(&SignInClient::unknown(), &email, DEMO_PASSWORD)
        .await
        .with_context(|| format!("sign in as {email}"))?;
    Ok(app.caller(user.id).await?)
}

/// A GDAP relationship of `partner` with `customer`, sent for approval and, with `approver`,
/// approved (it is then active for `days` days from now).
async fn gdap(
    app: &App,
    partner: &Caller,
    name: &str,
    customer: CustomerId,
    days: u32,
    roles: &[&str],
    approver: Option<&Caller>,
) -> anyhow::Result<GdapId> {
    let g = app
        .create_gdap_relationship(
            partner,
            NewGdapRelationship {
                display_name: name.into(),
                duration: format!("P{days}D"),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                customer: Some(customer),
                auto_extend: None,
            },
        )
        .await
        .with_context(|| format!("create GDAP relationship {name}"))?;
    app.request_gdap_action(partner, g.id, GdapAction::LockForApproval)
        .await
        .context("lock GDAP relationship for approval")?;
    if let Some(admin) = approver {
        app.request_gdap_action(admin, g.id, GdapAction::Approve)
            .await
            .context("approve GDAP relationship")?;
    }
    Ok(g.id)
}

/// Delegated admin for Contoso's first customers: DAP (asked for in a request the
/// customer's admin accepts, then taken up) for the first three; active GDAP relationships
/// for the first two, whose access assignment gives Contoso's helpdesk group its roles; one
/// ending within 30 days for the third; one awaiting approval for the fourth; and Contoso as
/// the support contact of the first three customers' active subscriptions. Returns the
/// relationship awaiting approval.
async fn delegated_admin(
    s: &mut Seeder<'_>,
    contoso: &Caller,
    contoso_id: PartnerId,
    customers: &[(CustomerId, &str, &str)],
    active_subs: &[(CustomerId, SubscriptionId)],
) -> anyhow::Result<GdapId> {
    let app = s.app;
    let [first, second, third, fourth, ..] = customers else {
        anyhow::bail!("the demo needs four customers of Contoso");
    };
    let users = app.list_users(contoso, contoso.org_id).await?;
    let helpdesk: Vec<_> = users
        .iter()
        .filter(|u| u.email.as_str() != "sales@contoso-partners.example")
        .map(|u| u.id)
        .collect();
    let group = app
        .create_security_group(contoso, "Contoso helpdesk")
        .await
        .context("create security group")?;
    for user in helpdesk {
        app.add_security_group_member(contoso, group.id, user)
            .await
            .context("add security group member")?;
    }
    for (i, (customer, name, domain)) in [first, second, third].into_iter().enumerate() {
        s.users.push((
            format!("{name} (customer with DAP and GDAP), global admin"),
            format!("admin@{domain}"),
        ));
        let admin = customer_admin(app, domain).await?;
        let request = app
            .create_relationship_request(contoso, true)
            .await
            .context("create DAP request")?;
        app.accept_relationship_request(&admin, &request.token)
            .await
            .context("accept DAP request")?;
        app.approve_dap(contoso, *customer).await.context("take up DAP")?;
        for (_, sub) in active_subs.iter().filter(|(c, _)| c == customer) {
            app.update_subscription_support_contact(contoso, *customer, *sub, contoso_id)
                .await
                .context("assign support contact")?;
        }
        if i < 2 {
            let id = gdap(
                app,
                contoso,
                &format!("Helpdesk {domain}"),
                *customer,
                730,
                &[HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR],
                Some(&admin),
            )
            .await?;
            app.create_access_assignment(contoso, id, group.id, vec![HELPDESK_ADMINISTRATOR.into()])
                .await
                .context("create access assignment")?;
        } else {
            gdap(
                app,
                contoso,
                &format!("Migration {domain}"),
                *customer,
                20,
                &[USER_ADMINISTRATOR],
                Some(&admin),
            )
            .await?;
        }
    }
    s.users.push((
        format!("{} (customer asked for GDAP), global admin", fourth.1),
        format!("admin@{}", fourth.2),
    ));
    gdap(
        app,
        contoso,
        &format!("Helpdesk {}", fourth.2),
        fourth.0,
        365,
        &[HELPDESK_ADMINISTRATOR],
        None,
    )
    .await
}

/// The demo partner the generated customers belong to.
const BULK_PARTNER_ADMIN: &str = "admin@contoso-partners.example";

/// Gives the demo's direct partner `n` generated customers (every third with a Russian
/// name), numbered after the ones it already has. Returns how many were added.
pub async fn add_generated_customers(app: &App, n: u32) -> anyhow::Result<u32> {
    let admin = app
        .sign_in(&SignInClient::unknown(), BULK_PARTNER_ADMIN, DEMO_PASSWORD)
        .await
        .context("the demo partner's admin cannot sign in; seed the demo first")?;
    let caller = app.caller(admin.id).await?;
    let mut added = 0;
    let mut number = 0u32;
    while added < n {
        number += 1;
        let (company, contact, country, culture) = if number.is_multiple_of(3) {
            (format!("ООО Ромашка {number:06}"), "Ирина Смирнова", "RU", "ru-RU")
        } else {
            (format!("Generated Holdings {number:06}"), "Pat Jordan", "US", "en-US")
        };
        let domain = format!("generated{number:06}.example");
        let input = NewCustomerInput {
            company_name: company,
            domain: domain.clone(),
            country: country.into(),
            culture: Some(culture.into()),
            billing_contact: contact.into(),
            billing_email: format!("billing@{domain}"),
            billing_address: None,
            admin_email: None,
            admin_password: None,
            indirect_reseller_id: None,
        };
        match app.add_customer(&caller, input).await {
            Ok(_) => added += 1,
            // A number taken by an earlier run: its admin's e-mail exists; try the next.
            Err(partnerdesk_app::AppError::Conflict(_)) => continue,
            Err(e) => return Err(e).context("create a generated customer"),
        }
        if added.is_multiple_of(10_000) {
            println!("  {added} customers added");
        }
    }
    Ok(added)
}
