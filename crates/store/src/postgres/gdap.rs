//! Delegated admin on PostgreSQL: GDAP relationships, their requests, operations and access
//! assignments, partners' security groups, and the role catalogue.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::gdap::{
    AccessAssignment, AdminRole, AssignmentStatus, GdapAction, GdapFilter, GdapOperation, GdapOperationStatus,
    GdapOperationType, GdapRelationship, GdapRequest, GdapRequestStatus, GdapStatus, SecurityGroup,
    SecurityGroupMember, APPROVAL_WINDOW_DAYS, EXPIRY_WARNING_DAYS, GLOBAL_ADMINISTRATOR_ROLE,
};
use partnerdesk_domain::{
    AssignmentId, ConflictKind, CustomerId, GdapId, GdapOperationId, GdapRequestId, PartnerId, SecurityGroupId, UserId,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres};
use uuid::Uuid;

use super::rows::{known, split_list, Cols};
use super::PgTx;
use super::{db_err, limit, missed_update, page_start};
use crate::{DelegatedAdminStore, StoreError, StoreResult};

const GDAP_COLS: &str = "id, partner_id, customer_id, customer_display_name, display_name, status, roles, \
     duration_days, auto_extend_days, created_at, last_modified_at, locked_at, activated_at, ends_at, ended_at, \
     expiry_warned_at, version";

fn gdap_from_row(row: &PgRow) -> StoreResult<GdapRelationship> {
    let r = Cols::new(row, "gdap_relationships");
    Ok(GdapRelationship {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        customer_id: r.id_opt("customer_id")?,
        customer_display_name: r.get("customer_display_name")?,
        display_name: r.get("display_name")?,
        status: r.parse("status", |s| known(GdapStatus::parse(s), s))?,
        roles: r.parse("roles", |s| {
            Ok::<_, String>(split_list(s).map(str::to_string).collect())
        })?,
        duration_days: r.get("duration_days")?,
        auto_extend_days: r.get("auto_extend_days")?,
        created_at: r.get("created_at")?,
        last_modified_at: r.get("last_modified_at")?,
        locked_at: r.get("locked_at")?,
        activated_at: r.get("activated_at")?,
        ends_at: r.get("ends_at")?,
        ended_at: r.get("ended_at")?,
        expiry_warned_at: r.get("expiry_warned_at")?,
        version: r.get("version")?,
    })
}

fn request_from_row(row: &PgRow) -> StoreResult<GdapRequest> {
    let r = Cols::new(row, "gdap_requests");
    Ok(GdapRequest {
        id: r.id("id")?,
        relationship_id: r.id("relationship_id")?,
        action: r.parse("action", |s| known(GdapAction::parse(s), s))?,
        status: r.parse("status", |s| known(GdapRequestStatus::parse(s), s))?,
        created_by: r.id_opt("created_by")?,
        created_at: r.get("created_at")?,
        last_modified_at: r.get("last_modified_at")?,
    })
}

fn operation_from_row(row: &PgRow) -> StoreResult<GdapOperation> {
    let r = Cols::new(row, "gdap_operations");
    Ok(GdapOperation {
        id: r.id("id")?,
        relationship_id: r.id("relationship_id")?,
        operation_type: r.parse("operation_type", |s| known(GdapOperationType::parse(s), s))?,
        status: r.parse("status", |s| known(GdapOperationStatus::parse(s), s))?,
        data: r.get("data")?,
        created_at: r.get("created_at")?,
        last_modified_at: r.get("last_modified_at")?,
    })
}

const ASSIGNMENT_COLS: &str =
    "id, relationship_id, security_group_id, roles, status, created_at, last_modified_at, version";
const ASSIGNMENT_SELECT: &str = "SELECT id, relationship_id, security_group_id, roles, status, created_at, \
     last_modified_at, version FROM gdap_access_assignments";

fn assignment_from_row(row: &PgRow) -> StoreResult<AccessAssignment> {
    let r = Cols::new(row, "gdap_access_assignments");
    Ok(AccessAssignment {
        id: r.id("id")?,
        relationship_id: r.id("relationship_id")?,
        security_group_id: r.id("security_group_id")?,
        roles: r.parse("roles", |s| {
            Ok::<_, String>(split_list(s).map(str::to_string).collect())
        })?,
        status: r.parse("status", |s| known(AssignmentStatus::parse(s), s))?,
        created_at: r.get("created_at")?,
        last_modified_at: r.get("last_modified_at")?,
        version: r.get("version")?,
    })
}

fn group_from_row(row: &PgRow) -> StoreResult<SecurityGroup> {
    let r = Cols::new(row, "security_groups");
    Ok(SecurityGroup {
        id: r.id("id")?,
        partner_id: r.id("partner_id")?,
        display_name: r.get("display_name")?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
    })
}

fn member_from_row(row: &PgRow) -> StoreResult<SecurityGroupMember> {
    let r = Cols::new(row, "security_group_members");
    Ok(SecurityGroupMember {
        group_id: r.id("group_id")?,
        user_id: r.id("user_id")?,
        added_at: r.get("added_at")?,
    })
}

fn role_from_row(row: &PgRow) -> StoreResult<AdminRole> {
    let r = Cols::new(row, "admin_roles");
    Ok(AdminRole {
        id: r.get("id")?,
        name: r.get("name")?,
        description: r.get("description")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        version: r.get("version")?,
    })
}

/// The display name as its uniqueness is checked: case folded.
pub(super) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A unique violation on a name index, said plainly.
fn name_taken(e: StoreError, kind: ConflictKind) -> StoreError {
    match e {
        StoreError::Conflict(_) => StoreError::Conflict(kind),
        other => other,
    }
}

/// A partner's relationships in force ending within `[$2, $3)` that will not extend
/// themselves (`$4` matches a role list holding Global Administrator): what the home page
/// counts and the "ending within 30 days" list pages through.
pub(super) const ENDING: &str = "partner_id = $1 AND status IN ('active', 'expiring') AND ends_at >= $2 \
     AND ends_at < $3 AND (auto_extend_days = 0 OR ',' || roles || ',' LIKE $4)";

/// The `LIKE` pattern of a role list that holds Global Administrator.
pub(super) fn global_admin_pattern() -> String {
    format!("%,{GLOBAL_ADMINISTRATOR_ROLE},%")
}

const REQUEST_SELECT: &str =
    "SELECT id, relationship_id, action, status, created_by, created_at, last_modified_at FROM gdap_requests";
const OPERATION_SELECT: &str =
    "SELECT id, relationship_id, operation_type, status, data, created_at, last_modified_at FROM gdap_operations";

/// The filter as SQL: `$1` the owner, `$2` the status, `$3` the customer (either may be
/// NULL), `$4` the first id of the page, `$5` the limit.
fn page_sql(owner_col: &str, count: bool) -> String {
    let select = if count {
        "SELECT COUNT(*) FROM gdap_relationships".to_string()
    } else {
        format!("SELECT {GDAP_COLS} FROM gdap_relationships")
    };
    let tail = if count {
        ""
    } else {
        " AND id >= $4 ORDER BY id LIMIT $5"
    };
    format!(
        "{select} WHERE {owner_col} = $1 AND ($2::text IS NULL OR status = $2) \
         AND ($3::uuid IS NULL OR customer_id = $3){tail}"
    )
}

impl PgTx {
    /// The rows `select` reads of `relationship` (its `relationship_id`), then `tail`.
    async fn of_relationship<T>(
        &mut self,
        select: &str,
        relationship: GdapId,
        tail: &str,
        read: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{select} WHERE relationship_id = $1 {tail}"
        )))
        .bind(relationship.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(read)
        .collect()
    }

    /// The row `select` reads of id `id`, if it hangs on `relationship`.
    async fn one_of_relationship<T>(
        &mut self,
        select: &str,
        relationship: GdapId,
        id: Uuid,
        read: fn(&PgRow) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{select} WHERE id = $1 AND relationship_id = $2"
        )))
        .bind(id)
        .bind(relationship.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(read)
        .transpose()
    }

    async fn gdap_by_id(&mut self, id: GdapId, lock: bool) -> StoreResult<Option<GdapRelationship>> {
        let conn: &mut PgConnection = &mut self.tx;
        let sql = format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE id = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(gdap_from_row)
            .transpose()
    }

    async fn gdap_page(
        &mut self,
        owner_col: &str,
        owner: Uuid,
        customer: Option<CustomerId>,
        filter: &GdapFilter,
        after: Option<GdapId>,
        n: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        let Some(start) = page_start(after.map(GdapId::uuid)) else {
            return Ok(Vec::new());
        };
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(page_sql(owner_col, false)))
            .bind(owner)
            .bind(filter.status.map(GdapStatus::as_str))
            .bind(customer.map(CustomerId::uuid))
            .bind(start)
            .bind(limit(n))
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(gdap_from_row)
            .collect()
    }

    async fn gdap_count(
        &mut self,
        owner_col: &str,
        owner: Uuid,
        customer: Option<CustomerId>,
        filter: &GdapFilter,
    ) -> StoreResult<i64> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar(sqlx::AssertSqlSafe(page_sql(owner_col, true)))
            .bind(owner)
            .bind(filter.status.map(GdapStatus::as_str))
            .bind(customer.map(CustomerId::uuid))
            .fetch_one(conn)
            .await
            .map_err(db_err)
    }

    /// Deletes a row at `version`: `NotFound` or `VersionConflict` when it is not there at it.
    async fn delete_versioned(
        &mut self,
        delete_sql: &'static str,
        exists_sql: &'static str,
        id: Uuid,
        version: i64,
        entity: &'static str,
    ) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(delete_sql)
            .bind(id)
            .bind(version)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(missed_update(conn, exists_sql, id, entity).await);
        }
        Ok(())
    }

    /// The version of a row, locked: `NotFound` or `VersionConflict` unless it is `version`.
    async fn check_locked_version(
        &mut self,
        sql: &'static str,
        id: Uuid,
        version: i64,
        entity: &'static str,
    ) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let found: Option<i64> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(db_err)?;
        match found {
            None => Err(StoreError::NotFound(entity)),
            Some(v) if v != version => Err(StoreError::VersionConflict(entity)),
            Some(_) => Ok(()),
        }
    }
}

#[async_trait]
impl DelegatedAdminStore for PgTx {
    async fn insert_gdap(&mut self, g: &GdapRelationship) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO gdap_relationships ({GDAP_COLS}, display_name_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
        )))
        .bind(g.id.uuid())
        .bind(g.partner_id.uuid())
        .bind(g.customer_id.map(CustomerId::uuid))
        .bind(g.customer_display_name.as_deref())
        .bind(g.display_name.as_str())
        .bind(g.status.as_str())
        .bind(g.roles.join(","))
        .bind(g.duration_days)
        .bind(g.auto_extend_days)
        .bind(g.created_at)
        .bind(g.last_modified_at)
        .bind(g.locked_at)
        .bind(g.activated_at)
        .bind(g.ends_at)
        .bind(g.ended_at)
        .bind(g.expiry_warned_at)
        .bind(g.version)
        .bind(name_key(&g.display_name))
        .execute(conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::GdapNameTaken))?;
        Ok(())
    }

    async fn find_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>> {
        self.gdap_by_id(id, false).await
    }

    async fn lock_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>> {
        self.gdap_by_id(id, true).await
    }

    async fn list_gdap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE partner_id = $1 AND customer_id = $2
             ORDER BY created_at, id"
        )))
        .bind(partner.uuid())
        .bind(customer.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(gdap_from_row)
        .collect()
    }

    async fn update_gdap(&mut self, g: &GdapRelationship) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE gdap_relationships SET customer_id = $3, customer_display_name = $4, display_name = $5,
                 display_name_key = $6, status = $7, roles = $8, duration_days = $9, auto_extend_days = $10,
                 last_modified_at = $11, locked_at = $12, activated_at = $13, ends_at = $14, ended_at = $15,
                 expiry_warned_at = $16, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(g.id.uuid())
        .bind(g.version)
        .bind(g.customer_id.map(CustomerId::uuid))
        .bind(g.customer_display_name.as_deref())
        .bind(g.display_name.as_str())
        .bind(name_key(&g.display_name))
        .bind(g.status.as_str())
        .bind(g.roles.join(","))
        .bind(g.duration_days)
        .bind(g.auto_extend_days)
        .bind(g.last_modified_at)
        .bind(g.locked_at)
        .bind(g.activated_at)
        .bind(g.ends_at)
        .bind(g.ended_at)
        .bind(g.expiry_warned_at)
        .execute(&mut *conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::GdapNameTaken))?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM gdap_relationships WHERE id = $1)";
            return Err(missed_update(conn, exists, g.id.uuid(), "GDAP relationship").await);
        }
        Ok(())
    }

    async fn delete_gdap(&mut self, id: GdapId, version: i64) -> StoreResult<()> {
        self.check_locked_version(
            "SELECT version FROM gdap_relationships WHERE id = $1 FOR UPDATE",
            id.uuid(),
            version,
            "GDAP relationship",
        )
        .await?;
        let conn: &mut PgConnection = &mut self.tx;
        for sql in [
            "DELETE FROM gdap_access_assignments WHERE relationship_id = $1",
            "DELETE FROM gdap_requests WHERE relationship_id = $1",
            "DELETE FROM gdap_operations WHERE relationship_id = $1",
            "DELETE FROM gdap_relationships WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.uuid())
                .execute(&mut *conn)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn list_partner_gdap(
        &mut self,
        partner: PartnerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        self.gdap_page("partner_id", partner.uuid(), filter.customer, filter, after, limit)
            .await
    }

    async fn count_partner_gdap(&mut self, partner: PartnerId, filter: &GdapFilter) -> StoreResult<i64> {
        self.gdap_count("partner_id", partner.uuid(), filter.customer, filter)
            .await
    }

    async fn list_customer_gdap(
        &mut self,
        customer: CustomerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        self.gdap_page("customer_id", customer.uuid(), None, filter, after, limit)
            .await
    }

    async fn count_customer_gdap(&mut self, customer: CustomerId, filter: &GdapFilter) -> StoreResult<i64> {
        self.gdap_count("customer_id", customer.uuid(), None, filter).await
    }

    async fn list_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<(DateTime<Utc>, GdapId)>,
        n: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE {ENDING} \
             AND ($5::timestamptz IS NULL OR (ends_at, id) > ($5, $6)) ORDER BY ends_at, id LIMIT $7"
        )))
        .bind(partner.uuid())
        .bind(from)
        .bind(to)
        .bind(global_admin_pattern())
        .bind(after.map(|(end, _)| end))
        .bind(after.map(|(_, id)| id.uuid()))
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(gdap_from_row)
        .collect()
    }

    async fn list_gdap_customers(&mut self, partner: PartnerId) -> StoreResult<Vec<CustomerId>> {
        let conn: &mut PgConnection = &mut self.tx;
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT DISTINCT customer_id FROM gdap_relationships WHERE partner_id = $1
               AND customer_id IS NOT NULL AND status IN ('active', 'expiring') ORDER BY customer_id",
        )
        .bind(partner.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?;
        Ok(ids.into_iter().map(CustomerId).collect())
    }

    async fn claim_gdap_due(&mut self, now: DateTime<Utc>, n: u32) -> StoreResult<Vec<GdapRelationship>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE
                (status = 'approvalPending' AND locked_at <= $1)
                OR (status IN ('active', 'expiring') AND ends_at <= $2)
                OR (status = 'active' AND expiry_warned_at IS NULL AND ends_at <= $3
                    AND (auto_extend_days = 0 OR ',' || roles || ',' LIKE $4))
             ORDER BY id LIMIT $5
             FOR UPDATE SKIP LOCKED"
        )))
        .bind(now - Duration::days(APPROVAL_WINDOW_DAYS))
        .bind(now)
        .bind(now + Duration::days(EXPIRY_WARNING_DAYS))
        .bind(format!("%,{GLOBAL_ADMINISTRATOR_ROLE},%"))
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(gdap_from_row)
        .collect()
    }

    async fn insert_gdap_request(&mut self, r: &GdapRequest) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO gdap_requests (id, relationship_id, action, status, created_by, created_at, last_modified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.id.uuid())
        .bind(r.relationship_id.uuid())
        .bind(r.action.as_str())
        .bind(r.status.as_str())
        .bind(r.created_by.map(UserId::uuid))
        .bind(r.created_at)
        .bind(r.last_modified_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_gdap_requests(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapRequest>> {
        self.of_relationship(
            REQUEST_SELECT,
            relationship,
            "ORDER BY created_at, id",
            request_from_row,
        )
        .await
    }

    async fn find_gdap_request(&mut self, relationship: GdapId, id: GdapRequestId) -> StoreResult<Option<GdapRequest>> {
        self.one_of_relationship(REQUEST_SELECT, relationship, id.uuid(), request_from_row)
            .await
    }

    async fn insert_gdap_operation(&mut self, o: &GdapOperation) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO gdap_operations (id, relationship_id, operation_type, status, data, created_at, last_modified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(o.id.uuid())
        .bind(o.relationship_id.uuid())
        .bind(o.operation_type.as_str())
        .bind(o.status.as_str())
        .bind(o.data.as_str())
        .bind(o.created_at)
        .bind(o.last_modified_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_gdap_operations(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapOperation>> {
        self.of_relationship(
            OPERATION_SELECT,
            relationship,
            "ORDER BY created_at, id",
            operation_from_row,
        )
        .await
    }

    async fn find_gdap_operation(
        &mut self,
        relationship: GdapId,
        id: GdapOperationId,
    ) -> StoreResult<Option<GdapOperation>> {
        self.one_of_relationship(OPERATION_SELECT, relationship, id.uuid(), operation_from_row)
            .await
    }

    async fn insert_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO gdap_access_assignments ({ASSIGNMENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )))
        .bind(a.id.uuid())
        .bind(a.relationship_id.uuid())
        .bind(a.security_group_id.uuid())
        .bind(a.roles.join(","))
        .bind(a.status.as_str())
        .bind(a.created_at)
        .bind(a.last_modified_at)
        .bind(a.version)
        .execute(conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::AssignmentExists))?;
        Ok(())
    }

    async fn find_access_assignment(
        &mut self,
        relationship: GdapId,
        id: AssignmentId,
    ) -> StoreResult<Option<AccessAssignment>> {
        self.one_of_relationship(ASSIGNMENT_SELECT, relationship, id.uuid(), assignment_from_row)
            .await
    }

    async fn list_access_assignments(&mut self, relationship: GdapId) -> StoreResult<Vec<AccessAssignment>> {
        let live = "AND status <> 'deleted' ORDER BY id";
        self.of_relationship(ASSIGNMENT_SELECT, relationship, live, assignment_from_row)
            .await
    }

    async fn update_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE gdap_access_assignments SET roles = $3, status = $4, last_modified_at = $5, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(a.id.uuid())
        .bind(a.version)
        .bind(a.roles.join(","))
        .bind(a.status.as_str())
        .bind(a.last_modified_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM gdap_access_assignments WHERE id = $1)";
            return Err(missed_update(conn, exists, a.id.uuid(), "access assignment").await);
        }
        Ok(())
    }

    async fn delete_access_assignment(&mut self, id: AssignmentId, version: i64) -> StoreResult<()> {
        self.delete_versioned(
            "DELETE FROM gdap_access_assignments WHERE id = $1 AND version = $2",
            "SELECT EXISTS (SELECT 1 FROM gdap_access_assignments WHERE id = $1)",
            id.uuid(),
            version,
            "access assignment",
        )
        .await
    }

    async fn insert_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO security_groups (id, partner_id, display_name, name_key, created_at, version)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(g.id.uuid())
        .bind(g.partner_id.uuid())
        .bind(g.display_name.as_str())
        .bind(name_key(&g.display_name))
        .bind(g.created_at)
        .bind(g.version)
        .execute(conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::SecurityGroupNameTaken))?;
        Ok(())
    }

    async fn find_security_group(&mut self, id: SecurityGroupId) -> StoreResult<Option<SecurityGroup>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT id, partner_id, display_name, created_at, version FROM security_groups WHERE id = $1")
            .bind(id.uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(group_from_row)
            .transpose()
    }

    async fn list_security_groups(&mut self, partner: PartnerId) -> StoreResult<Vec<SecurityGroup>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, partner_id, display_name, created_at, version FROM security_groups
             WHERE partner_id = $1 ORDER BY name_key, id",
        )
        .bind(partner.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(group_from_row)
        .collect()
    }

    async fn rename_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE security_groups SET display_name = $3, name_key = $4, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(g.id.uuid())
        .bind(g.version)
        .bind(g.display_name.as_str())
        .bind(name_key(&g.display_name))
        .execute(&mut *conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::SecurityGroupNameTaken))?;
        if done.rows_affected() == 0 {
            return Err(missed_update(
                conn,
                "SELECT EXISTS (SELECT 1 FROM security_groups WHERE id = $1)",
                g.id.uuid(),
                "security group",
            )
            .await);
        }
        Ok(())
    }

    async fn delete_security_group(&mut self, id: SecurityGroupId, version: i64) -> StoreResult<()> {
        self.check_locked_version(
            "SELECT version FROM security_groups WHERE id = $1 FOR UPDATE",
            id.uuid(),
            version,
            "security group",
        )
        .await?;
        let conn: &mut PgConnection = &mut self.tx;
        let used: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM gdap_access_assignments WHERE security_group_id = $1)")
                .bind(id.uuid())
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
        if used {
            return Err(StoreError::Conflict(ConflictKind::SecurityGroupInUse));
        }
        for sql in [
            "DELETE FROM security_group_members WHERE group_id = $1",
            "DELETE FROM security_groups WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.uuid())
                .execute(&mut *conn)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn insert_security_group_member(&mut self, m: &SecurityGroupMember) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("INSERT INTO security_group_members (group_id, user_id, added_at) VALUES ($1, $2, $3)")
            .bind(m.group_id.uuid())
            .bind(m.user_id.uuid())
            .bind(m.added_at)
            .execute(conn)
            .await
            .map_err(|e| name_taken(db_err(e), ConflictKind::AlreadyMember))?;
        Ok(())
    }

    async fn delete_security_group_member(&mut self, group: SecurityGroupId, user: UserId) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query("DELETE FROM security_group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group.uuid())
            .bind(user.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn list_security_group_members(&mut self, group: SecurityGroupId) -> StoreResult<Vec<SecurityGroupMember>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT group_id, user_id, added_at FROM security_group_members WHERE group_id = $1
             ORDER BY added_at, user_id",
        )
        .bind(group.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(member_from_row)
        .collect()
    }

    async fn list_admin_roles(&mut self) -> StoreResult<Vec<AdminRole>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT id, name, description, created_at, updated_at, version FROM admin_roles ORDER BY name, id")
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(role_from_row)
            .collect()
    }

    async fn find_admin_role(&mut self, id: &str) -> StoreResult<Option<AdminRole>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT id, name, description, created_at, updated_at, version FROM admin_roles WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(role_from_row)
            .transpose()
    }

    async fn insert_admin_role(&mut self, r: &AdminRole) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO admin_roles (id, name, description, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(r.id.as_str())
        .bind(r.name.as_str())
        .bind(r.description.as_str())
        .bind(r.created_at)
        .bind(r.updated_at)
        .bind(r.version)
        .execute(conn)
        .await
        .map_err(|e| name_taken(db_err(e), ConflictKind::RoleIdTaken))?;
        Ok(())
    }

    async fn update_admin_role(&mut self, r: &AdminRole) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE admin_roles SET name = $3, description = $4, updated_at = $5, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(r.id.as_str())
        .bind(r.version)
        .bind(r.name.as_str())
        .bind(r.description.as_str())
        .bind(r.updated_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists: bool =
                sqlx::query_scalar::<Postgres, bool>("SELECT EXISTS (SELECT 1 FROM admin_roles WHERE id = $1)")
                    .bind(r.id.as_str())
                    .fetch_one(conn)
                    .await
                    .map_err(db_err)?;
            return Err(if exists {
                StoreError::VersionConflict("role")
            } else {
                StoreError::NotFound("role")
            });
        }
        Ok(())
    }
}
