//! [`crate::bulk`] on PostgreSQL: one statement per table for a whole batch, each column
//! bound as one array and unnested into rows, so a batch costs a handful of round trips.
//! The customer list's triggers are statement-level over the inserted rows, as for the app.

use partnerdesk_domain::org::Customer;
use partnerdesk_domain::{CustomerId, PartnerId, UserId};
use sqlx::PgConnection;

use super::{db_err, gdap::name_key as gdap_name_key, orgs::customer_search_text, PgStore};
use crate::bulk::BulkRows;
use crate::search::{domain_key, name_key};
use crate::{link_onto_chains, StoreResult, TrailStore, Tx};

/// One column of `rows`, for binding as an array.
fn col<R, T>(rows: &[R], f: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}

impl PgStore {
    pub(crate) async fn bulk_load(&self, mut rows: BulkRows) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        write(&mut tx.tx, &rows).await?;
        let heads = link_onto_chains(&mut tx, &mut rows.audits).await?;
        tx.insert_audits(&rows.audits).await?;
        tx.update_audit_chains(&heads).await?;
        Box::new(tx).commit().await
    }
}

async fn write(conn: &mut PgConnection, rows: &BulkRows) -> StoreResult<()> {
    let c: &[Customer] = &rows.customers;
    if !c.is_empty() {
        sqlx::query(
            "INSERT INTO organizations (id, kind, name, search_text, domain, country, culture, billing_contact,
                 billing_email, billing_address, created_at, version, name_key, domain_key)
             SELECT id, 'customer', name, search_text, domain, country, culture, billing_contact, billing_email,
                 billing_address, created_at, version, name_key, domain_key
             FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::text[], $9::text[], $10::timestamptz[], $11::int8[], $12::text[], $13::text[])
               AS t(id, name, search_text, domain, country, culture, billing_contact, billing_email,
                 billing_address, created_at, version, name_key, domain_key)",
        )
        .bind(col(c, |c| c.id.uuid()))
        .bind(col(c, |c| c.company.company_name.as_str().to_owned()))
        .bind(col(c, customer_search_text))
        .bind(col(c, |c| c.company.domain.as_str().to_owned()))
        .bind(col(c, |c| c.company.country.as_str().to_owned()))
        .bind(col(c, |c| c.company.culture.as_str().to_owned()))
        .bind(col(c, |c| c.billing.contact_name.as_str().to_owned()))
        .bind(col(c, |c| c.billing.email.as_str().to_owned()))
        .bind(col(c, |c| c.billing.address.as_str().to_owned()))
        .bind(col(c, |c| c.created_at))
        .bind(col(c, |c| c.version))
        .bind(col(c, name_key))
        .bind(col(c, domain_key))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }

    let r = &rows.relationships;
    if !r.is_empty() {
        sqlx::query(
            "INSERT INTO relationships (id, partner_id, customer_id, state, dap_consented, created_at, created_by,
                 closed_at, closed_by, close_reason, version)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bool[], $6::timestamptz[],
                 $7::uuid[], $8::timestamptz[], $9::uuid[], $10::text[], $11::int8[])",
        )
        .bind(col(r, |r| r.id.uuid()))
        .bind(col(r, |r| r.partner_id.uuid()))
        .bind(col(r, |r| r.customer_id.uuid()))
        .bind(col(r, |r| r.state.as_str().to_owned()))
        .bind(col(r, |r| r.dap_consented))
        .bind(col(r, |r| r.created_at))
        .bind(col(r, |r| r.created_by.map(UserId::uuid)))
        .bind(col(r, |r| r.closed_at))
        .bind(col(r, |r| r.closed_by.map(UserId::uuid)))
        .bind(col(r, |r| r.close_reason.clone()))
        .bind(col(r, |r| r.version))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }

    let o = &rows.orders;
    if !o.is_empty() {
        sqlx::query(
            "INSERT INTO orders (id, customer_id, partner_id, reseller_id, created_at, created_by)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::uuid[])",
        )
        .bind(col(o, |o| o.id.uuid()))
        .bind(col(o, |o| o.customer_id.uuid()))
        .bind(col(o, |o| o.partner_id.uuid()))
        .bind(col(o, |o| o.reseller_id.map(PartnerId::uuid)))
        .bind(col(o, |o| o.created_at))
        .bind(col(o, |o| o.created_by.uuid()))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        let lines: Vec<_> = o
            .iter()
            .flat_map(|o| o.line_items.iter().map(move |l| (o.id, l)))
            .collect();
        sqlx::query(
            "INSERT INTO order_line_items (order_id, line_number, offer_id, quantity, friendly_name, subscription_id)
             SELECT * FROM UNNEST($1::uuid[], $2::int8[], $3::uuid[], $4::int8[], $5::text[], $6::uuid[])",
        )
        .bind(col(&lines, |(id, _)| id.uuid()))
        .bind(col(&lines, |(_, l)| l.line_number))
        .bind(col(&lines, |(_, l)| l.offer_id.uuid()))
        .bind(col(&lines, |(_, l)| l.quantity))
        .bind(col(&lines, |(_, l)| l.friendly_name.clone()))
        .bind(col(&lines, |(_, l)| l.subscription_id.uuid()))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }

    let s = &rows.subscriptions;
    if !s.is_empty() {
        sqlx::query(
            "INSERT INTO subscriptions (id, customer_id, partner_id, reseller_id, offer_id, order_id, friendly_name,
                 quantity, status, auto_renew, support_partner_id, effective_start, commitment_end, created_at,
                 updated_at, version)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[],
                 $7::text[], $8::int8[], $9::text[], $10::bool[], $11::uuid[], $12::timestamptz[],
                 $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::int8[])",
        )
        .bind(col(s, |s| s.id.uuid()))
        .bind(col(s, |s| s.customer_id.uuid()))
        .bind(col(s, |s| s.partner_id.uuid()))
        .bind(col(s, |s| s.reseller_id.map(PartnerId::uuid)))
        .bind(col(s, |s| s.offer_id.uuid()))
        .bind(col(s, |s| s.order_id.uuid()))
        .bind(col(s, |s| s.friendly_name.clone()))
        .bind(col(s, |s| s.quantity))
        .bind(col(s, |s| s.status.as_str().to_owned()))
        .bind(col(s, |s| s.auto_renew))
        .bind(col(s, |s| s.support_partner_id.map(PartnerId::uuid)))
        .bind(col(s, |s| s.effective_start))
        .bind(col(s, |s| s.commitment_end))
        .bind(col(s, |s| s.created_at))
        .bind(col(s, |s| s.updated_at))
        .bind(col(s, |s| s.version))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }

    let g = &rows.gdap;
    if !g.is_empty() {
        sqlx::query(
            "INSERT INTO gdap_relationships (id, partner_id, customer_id, customer_display_name, display_name,
                 status, roles, duration_days, auto_extend_days, created_at, last_modified_at, locked_at,
                 activated_at, ends_at, ended_at, expiry_warned_at, version, display_name_key)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                 $7::text[], $8::int8[], $9::int8[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                 $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::int8[],
                 $18::text[])",
        )
        .bind(col(g, |g| g.id.uuid()))
        .bind(col(g, |g| g.partner_id.uuid()))
        .bind(col(g, |g| g.customer_id.map(CustomerId::uuid)))
        .bind(col(g, |g| g.customer_display_name.clone()))
        .bind(col(g, |g| g.display_name.clone()))
        .bind(col(g, |g| g.status.as_str().to_owned()))
        .bind(col(g, |g| g.roles.join(",")))
        .bind(col(g, |g| g.duration_days))
        .bind(col(g, |g| g.auto_extend_days))
        .bind(col(g, |g| g.created_at))
        .bind(col(g, |g| g.last_modified_at))
        .bind(col(g, |g| g.locked_at))
        .bind(col(g, |g| g.activated_at))
        .bind(col(g, |g| g.ends_at))
        .bind(col(g, |g| g.ended_at))
        .bind(col(g, |g| g.expiry_warned_at))
        .bind(col(g, |g| g.version))
        .bind(col(g, |g| gdap_name_key(&g.display_name)))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}
