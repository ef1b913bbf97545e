//! Reseller relationships, relationship requests, and delegated admin (DAP grants, GDAP).

use chrono::{DateTime, Utc};
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, GdapStatus, Relationship, RelationshipState};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::{CustomerId, DapId, PartnerId, RequestId, UserId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::row::{known, split_list, Cols};
use super::{db_err, missed_update};
use crate::{StoreError, StoreResult};

// --- reseller relationships ---

fn relationship_from_row(row: &PgRow) -> StoreResult<Relationship> {
    let r = Cols::new(row, "relationships");
    Ok(Relationship {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        customer_id: r.id("customer_id")?,
        state: r.parse("state", |s| known(RelationshipState::parse(s), s))?,
        dap_consented: r.get("dap_consented")?,
        created_at: r.get("created_at")?,
        created_by: r.id_opt("created_by")?,
        closed_at: r.get("closed_at")?,
        closed_by: r.id_opt("closed_by")?,
        close_reason: r.get("close_reason")?,
        version: r.get("version")?,
    })
}

pub(super) async fn insert_relationship(conn: &mut PgConnection, rel: &Relationship) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO relationships (id, partner_id, customer_id, state, dap_consented, created_at, created_by,
                                    closed_at, closed_by, close_reason, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(rel.id.uuid())
    .bind(rel.partner_id.uuid())
    .bind(rel.customer_id.uuid())
    .bind(rel.state.as_str())
    .bind(rel.dap_consented)
    .bind(rel.created_at)
    .bind(rel.created_by.map(UserId::uuid))
    .bind(rel.closed_at)
    .bind(rel.closed_by.map(UserId::uuid))
    .bind(rel.close_reason.as_deref())
    .bind(rel.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The pair's active relationship; with `lock`, `FOR UPDATE`. Under READ COMMITTED a locker
/// that waited re-checks `state = 'active'` once the holder commits, so it sees a removal.
pub(super) async fn find_active_relationship(
    conn: &mut PgConnection,
    partner: PartnerId,
    customer: CustomerId,
    lock: bool,
) -> StoreResult<Option<Relationship>> {
    let sql = if lock {
        "SELECT id, partner_id, customer_id, state, dap_consented, created_at, created_by, closed_at, closed_by,
                close_reason, version
         FROM relationships WHERE partner_id = $1 AND customer_id = $2 AND state = 'active'
         FOR UPDATE"
    } else {
        "SELECT id, partner_id, customer_id, state, dap_consented, created_at, created_by, closed_at, closed_by,
                close_reason, version
         FROM relationships WHERE partner_id = $1 AND customer_id = $2 AND state = 'active'"
    };
    sqlx::query(sql)
        .bind(partner.uuid())
        .bind(customer.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(relationship_from_row)
        .transpose()
}

pub(super) async fn update_relationship(conn: &mut PgConnection, rel: &Relationship) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE relationships
         SET state = $3, dap_consented = $4, closed_at = $5, closed_by = $6, close_reason = $7, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(rel.id.uuid())
    .bind(rel.version)
    .bind(rel.state.as_str())
    .bind(rel.dap_consented)
    .bind(rel.closed_at)
    .bind(rel.closed_by.map(UserId::uuid))
    .bind(rel.close_reason.as_deref())
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        let exists = "SELECT EXISTS (SELECT 1 FROM relationships WHERE id = $1)";
        return Err(missed_update(conn, exists, rel.id.uuid(), "relationship").await);
    }
    Ok(())
}

pub(super) async fn list_customer_relationships(
    conn: &mut PgConnection,
    customer: CustomerId,
) -> StoreResult<Vec<Relationship>> {
    sqlx::query(
        "SELECT id, partner_id, customer_id, state, dap_consented, created_at, created_by, closed_at, closed_by,
                close_reason, version
         FROM relationships WHERE customer_id = $1 ORDER BY created_at, id",
    )
    .bind(customer.uuid())
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(relationship_from_row)
    .collect()
}

// --- relationship requests ---

fn request_from_row(row: &PgRow) -> StoreResult<RelationshipRequest> {
    let r = Cols::new(row, "relationship_requests");
    Ok(RelationshipRequest {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        include_dap: r.get("include_dap")?,
        state: r.parse("state", |s| known(RequestState::parse(s), s))?,
        created_at: r.get("created_at")?,
        created_by: r.id("created_by")?,
        expires_at: r.get("expires_at")?,
        customer_id: r.id_opt("customer_id")?,
        answered_at: r.get("answered_at")?,
        answered_by: r.id_opt("answered_by")?,
        version: r.get("version")?,
    })
}

pub(super) async fn insert_request(
    conn: &mut PgConnection,
    req: &RelationshipRequest,
    token_hash: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO relationship_requests (id, partner_id, token_hash, include_dap, state, created_at, created_by,
                                            expires_at, customer_id, answered_at, answered_by, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(req.id.uuid())
    .bind(req.partner_id.uuid())
    .bind(token_hash)
    .bind(req.include_dap)
    .bind(req.state.as_str())
    .bind(req.created_at)
    .bind(req.created_by.uuid())
    .bind(req.expires_at)
    .bind(req.customer_id.map(CustomerId::uuid))
    .bind(req.answered_at)
    .bind(req.answered_by.map(UserId::uuid))
    .bind(req.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(super) async fn find_request(conn: &mut PgConnection, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
    sqlx::query(
        "SELECT id, partner_id, include_dap, state, created_at, created_by, expires_at, customer_id, answered_at,
                answered_by, version
         FROM relationship_requests WHERE id = $1",
    )
    .bind(id.uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(request_from_row)
    .transpose()
}

pub(super) async fn find_request_by_token_hash(
    conn: &mut PgConnection,
    token_hash: &str,
) -> StoreResult<Option<RelationshipRequest>> {
    sqlx::query(
        "SELECT id, partner_id, include_dap, state, created_at, created_by, expires_at, customer_id, answered_at,
                answered_by, version
         FROM relationship_requests WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(request_from_row)
    .transpose()
}

pub(super) async fn update_request(conn: &mut PgConnection, req: &RelationshipRequest) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE relationship_requests
         SET include_dap = $3, state = $4, expires_at = $5, customer_id = $6, answered_at = $7, answered_by = $8,
             version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(req.id.uuid())
    .bind(req.version)
    .bind(req.include_dap)
    .bind(req.state.as_str())
    .bind(req.expires_at)
    .bind(req.customer_id.map(CustomerId::uuid))
    .bind(req.answered_at)
    .bind(req.answered_by.map(UserId::uuid))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        let exists = "SELECT EXISTS (SELECT 1 FROM relationship_requests WHERE id = $1)";
        return Err(missed_update(conn, exists, req.id.uuid(), "relationship request").await);
    }
    Ok(())
}

pub(super) async fn list_partner_requests(
    conn: &mut PgConnection,
    partner: PartnerId,
) -> StoreResult<Vec<RelationshipRequest>> {
    sqlx::query(
        "SELECT id, partner_id, include_dap, state, created_at, created_by, expires_at, customer_id, answered_at,
                answered_by, version
         FROM relationship_requests WHERE partner_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(partner.uuid())
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(request_from_row)
    .collect()
}

// --- DAP ---

fn dap_from_row(row: &PgRow) -> StoreResult<DapGrant> {
    let r = Cols::new(row, "dap_grants");
    Ok(DapGrant {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        customer_id: r.id("customer_id")?,
        granted_at: r.get("granted_at")?,
        ended_at: r.get("ended_at")?,
        ended_by: r.id_opt("ended_by")?,
    })
}

pub(super) async fn insert_dap(conn: &mut PgConnection, dap: &DapGrant) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO dap_grants (id, partner_id, customer_id, granted_at, ended_at, ended_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(dap.id.uuid())
    .bind(dap.partner_id.uuid())
    .bind(dap.customer_id.uuid())
    .bind(dap.granted_at)
    .bind(dap.ended_at)
    .bind(dap.ended_by.map(UserId::uuid))
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(super) async fn list_dap(
    conn: &mut PgConnection,
    partner: PartnerId,
    customer: CustomerId,
) -> StoreResult<Vec<DapGrant>> {
    sqlx::query(
        "SELECT id, partner_id, customer_id, granted_at, ended_at, ended_by
         FROM dap_grants WHERE partner_id = $1 AND customer_id = $2 ORDER BY granted_at, id",
    )
    .bind(partner.uuid())
    .bind(customer.uuid())
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(dap_from_row)
    .collect()
}

pub(super) async fn end_dap(
    conn: &mut PgConnection,
    id: DapId,
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE dap_grants SET ended_at = $2, ended_by = $3 WHERE id = $1")
        .bind(id.uuid())
        .bind(at)
        .bind(by.map(UserId::uuid))
        .execute(conn)
        .await
        .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("DAP grant"));
    }
    Ok(())
}

// --- GDAP ---

fn gdap_from_row(row: &PgRow) -> StoreResult<GdapRelationship> {
    let r = Cols::new(row, "gdap_relationships");
    Ok(GdapRelationship {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        customer_id: r.id("customer_id")?,
        display_name: r.get("display_name")?,
        status: r.parse("status", |s| known(GdapStatus::parse(s), s))?,
        roles: r.parse("roles", |s| {
            Ok::<_, String>(split_list(s).map(str::to_string).collect())
        })?,
        duration_days: r.get("duration_days")?,
        created_at: r.get("created_at")?,
        ends_at: r.get("ends_at")?,
        version: r.get("version")?,
    })
}

pub(super) async fn insert_gdap(conn: &mut PgConnection, g: &GdapRelationship) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO gdap_relationships (id, partner_id, customer_id, display_name, status, roles, duration_days,
                                         created_at, ends_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(g.id.uuid())
    .bind(g.partner_id.uuid())
    .bind(g.customer_id.uuid())
    .bind(g.display_name.as_str())
    .bind(g.status.as_str())
    .bind(g.roles.join(","))
    .bind(g.duration_days)
    .bind(g.created_at)
    .bind(g.ends_at)
    .bind(g.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(super) async fn list_gdap(
    conn: &mut PgConnection,
    partner: PartnerId,
    customer: CustomerId,
) -> StoreResult<Vec<GdapRelationship>> {
    sqlx::query(
        "SELECT id, partner_id, customer_id, display_name, status, roles, duration_days, created_at, ends_at, version
         FROM gdap_relationships WHERE partner_id = $1 AND customer_id = $2 ORDER BY created_at, id",
    )
    .bind(partner.uuid())
    .bind(customer.uuid())
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(gdap_from_row)
    .collect()
}

pub(super) async fn update_gdap(conn: &mut PgConnection, g: &GdapRelationship) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE gdap_relationships
         SET display_name = $3, status = $4, roles = $5, duration_days = $6, ends_at = $7, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(g.id.uuid())
    .bind(g.version)
    .bind(g.display_name.as_str())
    .bind(g.status.as_str())
    .bind(g.roles.join(","))
    .bind(g.duration_days)
    .bind(g.ends_at)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        let exists = "SELECT EXISTS (SELECT 1 FROM gdap_relationships WHERE id = $1)";
        return Err(missed_update(conn, exists, g.id.uuid(), "GDAP relationship").await);
    }
    Ok(())
}
