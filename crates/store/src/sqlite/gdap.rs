//! Rows of delegated admin: GDAP relationships, their requests, operations and access
//! assignments, partners' security groups, and the role catalogue.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::gdap::GdapAction;
use partnerdesk_domain::gdap::{
    AccessAssignment, AdminRole, AssignmentStatus, GdapFilter, GdapOperation, GdapOperationStatus, GdapOperationType,
    GdapRelationship, GdapRequest, GdapRequestStatus, GdapStatus, SecurityGroup, SecurityGroupMember,
    APPROVAL_WINDOW_DAYS, EXPIRY_WARNING_DAYS, GLOBAL_ADMINISTRATOR_ROLE,
};
use partnerdesk_domain::{
    AssignmentId, ConflictKind, CustomerId, GdapId, GdapOperationId, GdapRequestId, PartnerId, SecurityGroupId, UserId,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, Row};

use super::rows::{after, check_version, execute, join, opt_id, opt_ts, query_all, query_opt, split, ts, Cols};
use super::tx::SqliteTx;
use crate::{DelegatedAdminStore, StoreError, StoreResult};

// --- GDAP relationships ---

const GDAP_COLS: &str = "id, partner_id, customer_id, customer_display_name, display_name, status, roles, \
     duration_days, auto_extend_days, created_at, last_modified_at, locked_at, activated_at, ends_at, ended_at, \
     expiry_warned_at, version";

fn read_gdap(row: &Row<'_>) -> StoreResult<GdapRelationship> {
    let c = Cols::new(row, "gdap_relationships");
    Ok(GdapRelationship {
        id: c.id("id")?,
        partner_id: c.id("partner_id")?,
        customer_id: c.opt_id("customer_id")?,
        customer_display_name: c.opt_text("customer_display_name")?,
        display_name: c.text("display_name")?,
        status: c.name("status", GdapStatus::parse)?,
        roles: split(&c.text("roles")?).map(str::to_owned).collect(),
        duration_days: c.int("duration_days")?,
        auto_extend_days: c.int("auto_extend_days")?,
        created_at: c.time("created_at")?,
        last_modified_at: c.time("last_modified_at")?,
        locked_at: c.opt_time("locked_at")?,
        activated_at: c.opt_time("activated_at")?,
        ends_at: c.opt_time("ends_at")?,
        ended_at: c.opt_time("ended_at")?,
        expiry_warned_at: c.opt_time("expiry_warned_at")?,
        version: c.int("version")?,
    })
}

/// The display name as its uniqueness is checked: case folded.
pub(super) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(super) fn insert_gdap(conn: &Connection, g: &GdapRelationship) -> StoreResult<()> {
    execute(
        conn,
        &format!(
            "INSERT INTO gdap_relationships ({GDAP_COLS}, display_name_key) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        ),
        params![
            g.id.to_string(),
            g.partner_id.to_string(),
            opt_id(&g.customer_id),
            g.customer_display_name,
            g.display_name,
            g.status.as_str(),
            join(&g.roles),
            g.duration_days,
            g.auto_extend_days,
            ts(&g.created_at),
            ts(&g.last_modified_at),
            opt_ts(&g.locked_at),
            opt_ts(&g.activated_at),
            opt_ts(&g.ends_at),
            opt_ts(&g.ended_at),
            opt_ts(&g.expiry_warned_at),
            g.version,
            name_key(&g.display_name),
        ],
    )
    .map(drop)
    .map_err(|e| name_taken(e, ConflictKind::GdapNameTaken))
}

/// A unique violation on a name index, said plainly.
fn name_taken(e: StoreError, kind: ConflictKind) -> StoreError {
    match e {
        StoreError::Conflict(_) => StoreError::Conflict(kind),
        other => other,
    }
}

fn update_gdap(conn: &Connection, g: &GdapRelationship) -> StoreResult<()> {
    let id = g.id.to_string();
    let changed = execute(
        conn,
        "UPDATE gdap_relationships SET customer_id = ?3, customer_display_name = ?4, display_name = ?5, \
         display_name_key = ?6, status = ?7, roles = ?8, duration_days = ?9, auto_extend_days = ?10, \
         last_modified_at = ?11, locked_at = ?12, activated_at = ?13, ends_at = ?14, ended_at = ?15, \
         expiry_warned_at = ?16, version = version + 1 WHERE id = ?1 AND version = ?2",
        params![
            id,
            g.version,
            opt_id(&g.customer_id),
            g.customer_display_name,
            g.display_name,
            name_key(&g.display_name),
            g.status.as_str(),
            join(&g.roles),
            g.duration_days,
            g.auto_extend_days,
            ts(&g.last_modified_at),
            opt_ts(&g.locked_at),
            opt_ts(&g.activated_at),
            opt_ts(&g.ends_at),
            opt_ts(&g.ended_at),
            opt_ts(&g.expiry_warned_at),
        ],
    )
    .map_err(|e| name_taken(e, ConflictKind::GdapNameTaken))?;
    check_version(
        conn,
        changed,
        "SELECT 1 FROM gdap_relationships WHERE id = ?1",
        &id,
        "GDAP relationship",
    )
}

fn find_gdap(conn: &Connection, id: GdapId) -> StoreResult<Option<GdapRelationship>> {
    query_opt(
        conn,
        &format!("SELECT {GDAP_COLS} FROM gdap_relationships WHERE id = ?1"),
        [id.to_string()],
        read_gdap,
    )
}

fn list_gdap(conn: &Connection, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>> {
    query_all(
        conn,
        &format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE partner_id = ?1 AND customer_id = ?2 \
             ORDER BY created_at, id"
        ),
        [partner.to_string(), customer.to_string()],
        read_gdap,
    )
}

fn delete_gdap(conn: &Connection, id: GdapId, version: i64) -> StoreResult<()> {
    let key = id.to_string();
    let found = query_opt(
        conn,
        "SELECT version FROM gdap_relationships WHERE id = ?1",
        [&key],
        |row| Cols::new(row, "gdap_relationships").int("version"),
    )?;
    match found {
        None => return Err(StoreError::NotFound("GDAP relationship")),
        Some(v) if v != version => return Err(StoreError::VersionConflict("GDAP relationship")),
        Some(_) => {}
    }
    for sql in [
        "DELETE FROM gdap_access_assignments WHERE relationship_id = ?1",
        "DELETE FROM gdap_requests WHERE relationship_id = ?1",
        "DELETE FROM gdap_operations WHERE relationship_id = ?1",
        "DELETE FROM gdap_relationships WHERE id = ?1",
    ] {
        execute(conn, sql, [&key])?;
    }
    Ok(())
}

/// `owner_col = ?1` plus the filter, as SQL and its parameters (from `?2`).
fn filtered(owner_col: &str, owner: String, filter: &GdapFilter, customer_filter: bool) -> (String, Vec<Value>) {
    let mut sql = format!("{owner_col} = ?1");
    let mut args = vec![Value::Text(owner)];
    if let Some(st) = filter.status {
        args.push(Value::Text(st.as_str().into()));
        sql.push_str(&format!(" AND status = ?{}", args.len()));
    }
    if let (true, Some(c)) = (customer_filter, filter.customer) {
        args.push(Value::Text(c.to_string()));
        sql.push_str(&format!(" AND customer_id = ?{}", args.len()));
    }
    (sql, args)
}

fn list_filtered(
    conn: &Connection,
    (cond, mut args): (String, Vec<Value>),
    after_id: Option<GdapId>,
    limit: u32,
) -> StoreResult<Vec<GdapRelationship>> {
    args.push(Value::Text(after(after_id)));
    let a = args.len();
    args.push(Value::Integer(i64::from(limit)));
    let l = args.len();
    query_all(
        conn,
        &format!("SELECT {GDAP_COLS} FROM gdap_relationships WHERE {cond} AND id > ?{a} ORDER BY id LIMIT ?{l}"),
        params_from_iter(args),
        read_gdap,
    )
}

fn count_filtered(conn: &Connection, (cond, args): (String, Vec<Value>)) -> StoreResult<i64> {
    Ok(query_opt(
        conn,
        &format!("SELECT count(*) AS n FROM gdap_relationships WHERE {cond}"),
        params_from_iter(args),
        |row| Cols::new(row, "gdap_relationships").int("n"),
    )?
    .unwrap_or(0))
}

/// A partner's relationships in force ending within `[?2, ?3)` that will not extend
/// themselves (`?4` matches a role list holding Global Administrator): what the home page
/// counts and the "ending within 30 days" list pages through.
pub(super) const ENDING: &str = "partner_id = ?1 AND status IN ('active', 'expiring') AND ends_at >= ?2 \
     AND ends_at < ?3 AND (auto_extend_days = 0 OR ',' || roles || ',' LIKE ?4)";

/// The `LIKE` pattern of a role list that holds Global Administrator.
pub(super) fn global_admin_pattern() -> String {
    format!("%,{GLOBAL_ADMINISTRATOR_ROLE},%")
}

fn list_ending(
    conn: &Connection,
    partner: PartnerId,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    after: Option<(DateTime<Utc>, GdapId)>,
    limit: u32,
) -> StoreResult<Vec<GdapRelationship>> {
    let (after_end, after_id) = after.map_or_else(Default::default, |(e, id)| (ts(&e), id.to_string()));
    query_all(
        conn,
        &format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE {ENDING} AND (ends_at, id) > (?5, ?6) \
             ORDER BY ends_at, id LIMIT ?7"
        ),
        params![
            partner.to_string(),
            ts(&from),
            ts(&to),
            global_admin_pattern(),
            after_end,
            after_id,
            i64::from(limit)
        ],
        read_gdap,
    )
}

fn claim_due(conn: &Connection, now: &DateTime<Utc>, limit: u32) -> StoreResult<Vec<GdapRelationship>> {
    query_all(
        conn,
        &format!(
            "SELECT {GDAP_COLS} FROM gdap_relationships WHERE \
             (status = 'approvalPending' AND locked_at <= ?1) \
             OR (status IN ('active', 'expiring') AND ends_at <= ?2) \
             OR (status = 'active' AND expiry_warned_at IS NULL AND ends_at <= ?3 \
                 AND (auto_extend_days = 0 OR ',' || roles || ',' LIKE ?4)) \
             ORDER BY id LIMIT ?5"
        ),
        params![
            ts(&(*now - Duration::days(APPROVAL_WINDOW_DAYS))),
            ts(now),
            ts(&(*now + Duration::days(EXPIRY_WARNING_DAYS))),
            global_admin_pattern(),
            i64::from(limit),
        ],
        read_gdap,
    )
}

// --- what hangs on a relationship: requests, operations, access assignments ---

/// The rows `select` reads of `relationship` (its `relationship_id`), then `tail`.
fn of_relationship<T>(
    conn: &Connection,
    select: &str,
    relationship: GdapId,
    tail: &str,
    read: fn(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    query_all(
        conn,
        &format!("{select} WHERE relationship_id = ?1 {tail}"),
        [relationship.to_string()],
        read,
    )
}

/// The row `select` reads of id `id`, if it hangs on `relationship`.
fn one_of_relationship<T>(
    conn: &Connection,
    select: &str,
    relationship: GdapId,
    id: String,
    read: fn(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    query_opt(
        conn,
        &format!("{select} WHERE id = ?1 AND relationship_id = ?2"),
        [id, relationship.to_string()],
        read,
    )
}

const REQUEST_SELECT: &str =
    "SELECT id, relationship_id, action, status, created_by, created_at, last_modified_at FROM gdap_requests";
const OPERATION_SELECT: &str =
    "SELECT id, relationship_id, operation_type, status, data, created_at, last_modified_at FROM gdap_operations";

fn read_request(row: &Row<'_>) -> StoreResult<GdapRequest> {
    let c = Cols::new(row, "gdap_requests");
    Ok(GdapRequest {
        id: c.id("id")?,
        relationship_id: c.id("relationship_id")?,
        action: c.name("action", GdapAction::parse)?,
        status: c.name("status", GdapRequestStatus::parse)?,
        created_by: c.opt_id("created_by")?,
        created_at: c.time("created_at")?,
        last_modified_at: c.time("last_modified_at")?,
    })
}

fn read_operation(row: &Row<'_>) -> StoreResult<GdapOperation> {
    let c = Cols::new(row, "gdap_operations");
    Ok(GdapOperation {
        id: c.id("id")?,
        relationship_id: c.id("relationship_id")?,
        operation_type: c.name("operation_type", GdapOperationType::parse)?,
        status: c.name("status", GdapOperationStatus::parse)?,
        data: c.text("data")?,
        created_at: c.time("created_at")?,
        last_modified_at: c.time("last_modified_at")?,
    })
}

// --- access assignments ---

const ASSIGNMENT_COLS: &str =
    "id, relationship_id, security_group_id, roles, status, created_at, last_modified_at, version";
const ASSIGNMENT_SELECT: &str = "SELECT id, relationship_id, security_group_id, roles, status, created_at, \
     last_modified_at, version FROM gdap_access_assignments";

fn read_assignment(row: &Row<'_>) -> StoreResult<AccessAssignment> {
    let c = Cols::new(row, "gdap_access_assignments");
    Ok(AccessAssignment {
        id: c.id("id")?,
        relationship_id: c.id("relationship_id")?,
        security_group_id: c.id("security_group_id")?,
        roles: split(&c.text("roles")?).map(str::to_owned).collect(),
        status: c.name("status", AssignmentStatus::parse)?,
        created_at: c.time("created_at")?,
        last_modified_at: c.time("last_modified_at")?,
        version: c.int("version")?,
    })
}

// --- security groups ---

fn read_group(row: &Row<'_>) -> StoreResult<SecurityGroup> {
    let c = Cols::new(row, "security_groups");
    Ok(SecurityGroup {
        id: c.id("id")?,
        partner_id: c.id("partner_id")?,
        display_name: c.text("display_name")?,
        created_at: c.time("created_at")?,
        version: c.int("version")?,
    })
}

fn read_member(row: &Row<'_>) -> StoreResult<SecurityGroupMember> {
    let c = Cols::new(row, "security_group_members");
    Ok(SecurityGroupMember {
        group_id: c.id("group_id")?,
        user_id: c.id("user_id")?,
        added_at: c.time("added_at")?,
    })
}

// --- roles ---

fn read_role(row: &Row<'_>) -> StoreResult<AdminRole> {
    let c = Cols::new(row, "admin_roles");
    Ok(AdminRole {
        id: c.text("id")?,
        name: c.text("name")?,
        description: c.text("description")?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
        version: c.int("version")?,
    })
}

#[async_trait]
impl DelegatedAdminStore for SqliteTx {
    async fn insert_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        let gdap = gdap.clone();
        self.call(move |c| insert_gdap(c, &gdap)).await
    }

    async fn find_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>> {
        self.call(move |c| find_gdap(c, id)).await
    }

    async fn lock_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>> {
        // A write transaction is `BEGIN IMMEDIATE`: no other writer until it ends.
        self.call(move |c| find_gdap(c, id)).await
    }

    async fn list_gdap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>> {
        self.call(move |c| list_gdap(c, partner, customer)).await
    }

    async fn update_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        let gdap = gdap.clone();
        self.call(move |c| update_gdap(c, &gdap)).await
    }

    async fn delete_gdap(&mut self, id: GdapId, version: i64) -> StoreResult<()> {
        self.call(move |c| delete_gdap(c, id, version)).await
    }

    async fn list_partner_gdap(
        &mut self,
        partner: PartnerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        let filter = *filter;
        self.call(move |c| {
            list_filtered(
                c,
                filtered("partner_id", partner.to_string(), &filter, true),
                after,
                limit,
            )
        })
        .await
    }

    async fn count_partner_gdap(&mut self, partner: PartnerId, filter: &GdapFilter) -> StoreResult<i64> {
        let filter = *filter;
        self.call(move |c| count_filtered(c, filtered("partner_id", partner.to_string(), &filter, true)))
            .await
    }

    async fn list_customer_gdap(
        &mut self,
        customer: CustomerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        let filter = *filter;
        self.call(move |c| {
            list_filtered(
                c,
                filtered("customer_id", customer.to_string(), &filter, false),
                after,
                limit,
            )
        })
        .await
    }

    async fn count_customer_gdap(&mut self, customer: CustomerId, filter: &GdapFilter) -> StoreResult<i64> {
        let filter = *filter;
        self.call(move |c| count_filtered(c, filtered("customer_id", customer.to_string(), &filter, false)))
            .await
    }

    async fn list_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<(DateTime<Utc>, GdapId)>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>> {
        self.call(move |c| list_ending(c, partner, (from, to), after, limit))
            .await
    }

    async fn list_gdap_customers(&mut self, partner: PartnerId) -> StoreResult<Vec<CustomerId>> {
        self.call(move |c| {
            query_all(
                c,
                "SELECT DISTINCT customer_id FROM gdap_relationships WHERE partner_id = ?1 \
                 AND customer_id IS NOT NULL AND status IN ('active', 'expiring') ORDER BY customer_id",
                [partner.to_string()],
                |row| Cols::new(row, "gdap_relationships").id("customer_id"),
            )
        })
        .await
    }

    async fn claim_gdap_due(&mut self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<GdapRelationship>> {
        self.call(move |c| claim_due(c, &now, limit)).await
    }

    async fn insert_gdap_request(&mut self, req: &GdapRequest) -> StoreResult<()> {
        let r = req.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO gdap_requests (id, relationship_id, action, status, created_by, created_at, \
                 last_modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    r.id.to_string(),
                    r.relationship_id.to_string(),
                    r.action.as_str(),
                    r.status.as_str(),
                    opt_id(&r.created_by),
                    ts(&r.created_at),
                    ts(&r.last_modified_at),
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn list_gdap_requests(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapRequest>> {
        self.call(move |c| of_relationship(c, REQUEST_SELECT, relationship, "ORDER BY created_at, id", read_request))
            .await
    }

    async fn find_gdap_request(&mut self, relationship: GdapId, id: GdapRequestId) -> StoreResult<Option<GdapRequest>> {
        self.call(move |c| one_of_relationship(c, REQUEST_SELECT, relationship, id.to_string(), read_request))
            .await
    }

    async fn insert_gdap_operation(&mut self, op: &GdapOperation) -> StoreResult<()> {
        let o = op.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO gdap_operations (id, relationship_id, operation_type, status, data, created_at, \
                 last_modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    o.id.to_string(),
                    o.relationship_id.to_string(),
                    o.operation_type.as_str(),
                    o.status.as_str(),
                    o.data,
                    ts(&o.created_at),
                    ts(&o.last_modified_at),
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn list_gdap_operations(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapOperation>> {
        self.call(move |c| {
            of_relationship(
                c,
                OPERATION_SELECT,
                relationship,
                "ORDER BY created_at, id",
                read_operation,
            )
        })
        .await
    }

    async fn find_gdap_operation(
        &mut self,
        relationship: GdapId,
        id: GdapOperationId,
    ) -> StoreResult<Option<GdapOperation>> {
        self.call(move |c| one_of_relationship(c, OPERATION_SELECT, relationship, id.to_string(), read_operation))
            .await
    }

    async fn insert_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()> {
        let a = a.clone();
        self.call(move |c| {
            execute(
                c,
                &format!(
                    "INSERT INTO gdap_access_assignments ({ASSIGNMENT_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    a.id.to_string(),
                    a.relationship_id.to_string(),
                    a.security_group_id.to_string(),
                    join(&a.roles),
                    a.status.as_str(),
                    ts(&a.created_at),
                    ts(&a.last_modified_at),
                    a.version,
                ],
            )
            .map(drop)
            .map_err(|e| name_taken(e, ConflictKind::AssignmentExists))
        })
        .await
    }

    async fn find_access_assignment(
        &mut self,
        relationship: GdapId,
        id: AssignmentId,
    ) -> StoreResult<Option<AccessAssignment>> {
        self.call(move |c| one_of_relationship(c, ASSIGNMENT_SELECT, relationship, id.to_string(), read_assignment))
            .await
    }

    async fn list_access_assignments(&mut self, relationship: GdapId) -> StoreResult<Vec<AccessAssignment>> {
        let live = "AND status <> 'deleted' ORDER BY id";
        self.call(move |c| of_relationship(c, ASSIGNMENT_SELECT, relationship, live, read_assignment))
            .await
    }

    async fn update_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()> {
        let a = a.clone();
        self.call(move |c| {
            let id = a.id.to_string();
            let changed = execute(
                c,
                "UPDATE gdap_access_assignments SET roles = ?3, status = ?4, last_modified_at = ?5, \
                 version = version + 1 WHERE id = ?1 AND version = ?2",
                params![
                    id,
                    a.version,
                    join(&a.roles),
                    a.status.as_str(),
                    ts(&a.last_modified_at)
                ],
            )?;
            check_version(
                c,
                changed,
                "SELECT 1 FROM gdap_access_assignments WHERE id = ?1",
                &id,
                "access assignment",
            )
        })
        .await
    }

    async fn delete_access_assignment(&mut self, id: AssignmentId, version: i64) -> StoreResult<()> {
        self.call(move |c| {
            let key = id.to_string();
            let changed = execute(
                c,
                "DELETE FROM gdap_access_assignments WHERE id = ?1 AND version = ?2",
                params![key, version],
            )?;
            check_version(
                c,
                changed,
                "SELECT 1 FROM gdap_access_assignments WHERE id = ?1",
                &key,
                "access assignment",
            )
        })
        .await
    }

    async fn insert_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()> {
        let g = g.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO security_groups (id, partner_id, display_name, name_key, created_at, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    g.id.to_string(),
                    g.partner_id.to_string(),
                    g.display_name,
                    name_key(&g.display_name),
                    ts(&g.created_at),
                    g.version,
                ],
            )
            .map(drop)
            .map_err(|e| name_taken(e, ConflictKind::SecurityGroupNameTaken))
        })
        .await
    }

    async fn find_security_group(&mut self, id: SecurityGroupId) -> StoreResult<Option<SecurityGroup>> {
        self.call(move |c| {
            query_opt(
                c,
                "SELECT id, partner_id, display_name, created_at, version FROM security_groups WHERE id = ?1",
                [id.to_string()],
                read_group,
            )
        })
        .await
    }

    async fn list_security_groups(&mut self, partner: PartnerId) -> StoreResult<Vec<SecurityGroup>> {
        self.call(move |c| {
            query_all(
                c,
                "SELECT id, partner_id, display_name, created_at, version FROM security_groups \
                 WHERE partner_id = ?1 ORDER BY name_key, id",
                [partner.to_string()],
                read_group,
            )
        })
        .await
    }

    async fn rename_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()> {
        let (id, version, name) = (g.id.to_string(), g.version, g.display_name.clone());
        self.call(move |c| {
            let changed = execute(
                c,
                "UPDATE security_groups SET display_name = ?3, name_key = ?4, version = version + 1 \
                 WHERE id = ?1 AND version = ?2",
                params![id, version, name, name_key(&name)],
            )
            .map_err(|e| name_taken(e, ConflictKind::SecurityGroupNameTaken))?;
            check_version(
                c,
                changed,
                "SELECT 1 FROM security_groups WHERE id = ?1",
                &id,
                "security group",
            )
        })
        .await
    }

    async fn delete_security_group(&mut self, id: SecurityGroupId, version: i64) -> StoreResult<()> {
        self.call(move |c| {
            let key = id.to_string();
            let found = query_opt(c, "SELECT version FROM security_groups WHERE id = ?1", [&key], |row| {
                Cols::new(row, "security_groups").int("version")
            })?;
            match found {
                None => return Err(StoreError::NotFound("security group")),
                Some(v) if v != version => return Err(StoreError::VersionConflict("security group")),
                Some(_) => {}
            }
            if query_opt(
                c,
                "SELECT 1 FROM gdap_access_assignments WHERE security_group_id = ?1 LIMIT 1",
                [&key],
                |_| Ok(()),
            )?
            .is_some()
            {
                return Err(StoreError::Conflict(ConflictKind::SecurityGroupInUse));
            }
            execute(c, "DELETE FROM security_group_members WHERE group_id = ?1", [&key])?;
            execute(c, "DELETE FROM security_groups WHERE id = ?1", [&key]).map(drop)
        })
        .await
    }

    async fn insert_security_group_member(&mut self, m: &SecurityGroupMember) -> StoreResult<()> {
        let m = m.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO security_group_members (group_id, user_id, added_at) VALUES (?1, ?2, ?3)",
                params![m.group_id.to_string(), m.user_id.to_string(), ts(&m.added_at)],
            )
            .map(drop)
            .map_err(|e| name_taken(e, ConflictKind::AlreadyMember))
        })
        .await
    }

    async fn delete_security_group_member(&mut self, group: SecurityGroupId, user: UserId) -> StoreResult<bool> {
        self.call(move |c| {
            execute(
                c,
                "DELETE FROM security_group_members WHERE group_id = ?1 AND user_id = ?2",
                [group.to_string(), user.to_string()],
            )
            .map(|n| n > 0)
        })
        .await
    }

    async fn list_security_group_members(&mut self, group: SecurityGroupId) -> StoreResult<Vec<SecurityGroupMember>> {
        self.call(move |c| {
            query_all(
                c,
                "SELECT group_id, user_id, added_at FROM security_group_members WHERE group_id = ?1 \
                 ORDER BY added_at, user_id",
                [group.to_string()],
                read_member,
            )
        })
        .await
    }

    async fn list_admin_roles(&mut self) -> StoreResult<Vec<AdminRole>> {
        self.call(move |c| {
            query_all(
                c,
                "SELECT id, name, description, created_at, updated_at, version FROM admin_roles ORDER BY name, id",
                [],
                read_role,
            )
        })
        .await
    }

    async fn find_admin_role(&mut self, id: &str) -> StoreResult<Option<AdminRole>> {
        let id = id.to_string();
        self.call(move |c| {
            query_opt(
                c,
                "SELECT id, name, description, created_at, updated_at, version FROM admin_roles WHERE id = ?1",
                [id],
                read_role,
            )
        })
        .await
    }

    async fn insert_admin_role(&mut self, role: &AdminRole) -> StoreResult<()> {
        let r = role.clone();
        self.call(move |c| {
            execute(
                c,
                "INSERT INTO admin_roles (id, name, description, created_at, updated_at, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    r.id,
                    r.name,
                    r.description,
                    ts(&r.created_at),
                    ts(&r.updated_at),
                    r.version
                ],
            )
            .map(drop)
            .map_err(|e| name_taken(e, ConflictKind::RoleIdTaken))
        })
        .await
    }

    async fn update_admin_role(&mut self, role: &AdminRole) -> StoreResult<()> {
        let r = role.clone();
        self.call(move |c| {
            let changed = execute(
                c,
                "UPDATE admin_roles SET name = ?3, description = ?4, updated_at = ?5, version = version + 1 \
                 WHERE id = ?1 AND version = ?2",
                params![r.id, r.version, r.name, r.description, ts(&r.updated_at)],
            )?;
            check_version(c, changed, "SELECT 1 FROM admin_roles WHERE id = ?1", &r.id, "role")
        })
        .await
    }
}
