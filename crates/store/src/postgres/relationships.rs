//! Reseller relationships, a partner's customers (lists, counts, searches), relationship
//! requests, and delegated admin (DAP grants, GDAP).

use chrono::{DateTime, Utc};
use partnerdesk_domain::relationship::{DapGrant, Relationship, RelationshipState};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::{CustomerId, DapId, PartnerId, RequestId, UserId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::orgs::customer_from_row;
use super::rows::{known, Cols};
use super::PgTx;
use super::{db_err, limit, missed_update, page_start};
use crate::search::prefix_range;
use crate::RelationshipStore;
use crate::{CustomerFilter, CustomerStanding};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use partnerdesk_domain::org::Customer;
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::values::SearchText;
use sqlx::{Postgres, Row};

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

// --- a partner's customers ---

/// `q` lower-cased with LIKE's wildcards and escape character escaped (`ESCAPE '\'`).
fn like_fragment(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// The customer columns of a list row (`customer_list` aliased `l`), named as
// `customer_from_row` reads them.
const LIST_COLS: &str = "l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
                         l.billing_email, l.billing_address, l.created_at, l.version";

// One range of the partner's list rows (`customer_list`, keyed (partner_id, customer_id);
// each row holds the customer's list columns): a page costs the same at any depth and reads
// no other table. $1 partner, $2 start, $3 limit.
const PAGE: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
                           l.billing_email, l.billing_address, l.created_at, l.version
                    FROM customer_list l WHERE l.partner_id = $1 AND l.customer_id >= $2
                    ORDER BY l.customer_id LIMIT $3";
// A substring search reads the partner's rows from the page on. $4 the search.
const PAGE_SEARCH: &str = r"SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
                                   l.billing_email, l.billing_address, l.created_at, l.version
                            FROM customer_list l WHERE l.partner_id = $1 AND l.customer_id >= $2
                              AND l.search_text LIKE '%' || $4 || '%' ESCAPE '\'
                            ORDER BY l.customer_id LIMIT $3";
// Both partners' list rows, walked together in customer order. $4 the other partner.
const PAGE_SHARED: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
                                  l.billing_email, l.billing_address, l.created_at, l.version
                           FROM customer_list l
                           JOIN customer_list s ON s.partner_id = $4 AND s.customer_id = l.customer_id
                           WHERE l.partner_id = $1 AND l.customer_id >= $2
                           ORDER BY l.customer_id LIMIT $3";
// $1 partner, $2 the search (or the other partner). Without a filter the count is the
// partner's row of `partner_customer_counts`, kept in step by the triggers that keep
// `customer_list`.
const COUNT: &str = "SELECT coalesce((SELECT customers FROM partner_customer_counts WHERE partner_id = $1), 0)";
const COUNT_SEARCH: &str = r"SELECT COUNT(*) FROM customer_list l WHERE l.partner_id = $1
                               AND l.search_text LIKE '%' || $2 || '%' ESCAPE '\'";
const COUNT_SHARED: &str = "SELECT COUNT(*) FROM customer_list l
                            JOIN customer_list s ON s.partner_id = $2 AND s.customer_id = l.customer_id
                            WHERE l.partner_id = $1";

/// A prefix search: the range of the partner's entries in the key's index (`COLLATE "C"`,
/// so the range is bytewise); a page sorts the matches by id. Page: $1 partner, $2 start,
/// $3 limit, $4 low, $5 high; count: $1 partner, $2 low, $3 high. Without a high bound, no
/// upper limit. `column` is one of the two key columns.
fn prefix_sql(column: &str, bounded: bool, count: bool) -> String {
    let low = if count { 2 } else { 4 };
    let high = if bounded {
        format!(" AND l.{column} < ${}", low + 1)
    } else {
        String::new()
    };
    let from = format!("FROM customer_list l WHERE l.partner_id = $1 AND l.{column} >= ${low}{high}");
    if count {
        format!("SELECT COUNT(*) {from}")
    } else {
        format!("SELECT {LIST_COLS} {from} AND l.customer_id >= $2 ORDER BY l.customer_id LIMIT $3")
    }
}

/// The text values a filter binds after the partner (and, for a page, the start and limit).
enum FilterArgs {
    None,
    Text(Vec<String>),
    Partner(uuid::Uuid),
}

/// The SQL of a page (or count) of a partner's customers under `filter`, and what it binds.
fn partner_customers_sql(filter: &CustomerFilter, count: bool) -> (String, FilterArgs) {
    let prefix = |column: &str, q: &SearchText| {
        let (low, high) = prefix_range(q);
        let sql = prefix_sql(column, high.is_some(), count);
        (sql, FilterArgs::Text(std::iter::once(low).chain(high).collect()))
    };
    match filter {
        CustomerFilter::All => ((if count { COUNT } else { PAGE }).to_string(), FilterArgs::None),
        CustomerFilter::Contains(q) => (
            (if count { COUNT_SEARCH } else { PAGE_SEARCH }).to_string(),
            FilterArgs::Text(vec![like_fragment(q.as_str())]),
        ),
        CustomerFilter::NameStartsWith(q) => prefix("name_key", q),
        CustomerFilter::DomainStartsWith(q) => prefix("domain_key", q),
        CustomerFilter::SharedWith(other) => (
            (if count { COUNT_SHARED } else { PAGE_SHARED }).to_string(),
            FilterArgs::Partner(other.uuid()),
        ),
    }
}

fn bind_filter(mut query: PgQuery, args: FilterArgs) -> PgQuery {
    match args {
        FilterArgs::None => query,
        FilterArgs::Text(values) => {
            for v in values {
                query = query.bind(v);
            }
            query
        }
        FilterArgs::Partner(id) => query.bind(id),
    }
}

type PgQuery = sqlx::query::Query<'static, Postgres, sqlx::postgres::PgArguments>;

/// A page query under `filter`, led by `lead` (empty, or `EXPLAIN `).
fn page_query(lead: &str, filter: &CustomerFilter, partner: PartnerId, start: uuid::Uuid, page: u32) -> PgQuery {
    let (sql, args) = partner_customers_sql(filter, false);
    let query = sqlx::query(sqlx::AssertSqlSafe(format!("{lead}{sql}")))
        .bind(partner.uuid())
        .bind(start)
        .bind(limit(page));
    bind_filter(query, args)
}

// The partner's list rows by (name_key, customer_id) (name_key is COLLATE "C": bytewise, as
// on SQLite), a range of `customer_list_name_key`; after a customer, only those past its key.
// $1 partner, $2 after (NULL: the first page), $3 limit.
const BY_NAME: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact,
                              l.billing_email, l.billing_address, l.created_at, l.version
                       FROM customer_list l WHERE l.partner_id = $1
                       AND ($2::uuid IS NULL
                            OR (l.name_key, l.customer_id) > (SELECT k.name_key, k.id FROM organizations k WHERE k.id = $2))
                       ORDER BY l.name_key, l.customer_id LIMIT $3";

// The page is cut from relationships_closed_pair (partner_id, customer_id) first, each
// customer once, left out while an active pair exists. $1 partner, $2 start, $3 limit.
const FORMER: &str = "SELECT o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
                             o.billing_address, o.created_at, o.version
                      FROM (SELECT DISTINCT r.customer_id FROM relationships r
                            WHERE r.partner_id = $1 AND r.state = 'closed' AND r.customer_id >= $2
                            AND NOT EXISTS (SELECT 1 FROM relationships a WHERE a.partner_id = $1
                                            AND a.customer_id = r.customer_id AND a.state = 'active')
                            ORDER BY r.customer_id LIMIT $3) f
                      JOIN organizations o ON o.id = f.customer_id AND o.kind = 'customer'
                      ORDER BY f.customer_id";

#[async_trait]
impl RelationshipStore for PgTx {
    async fn insert_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn find_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        find_active_relationship(&mut self.tx, partner, customer, false).await
    }

    async fn lock_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        find_active_relationship(&mut self.tx, partner, customer, true).await
    }

    async fn update_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn list_customer_relationships(&mut self, customer: CustomerId) -> StoreResult<Vec<Relationship>> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn list_partner_customers_by_name(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        page: u32,
    ) -> StoreResult<Vec<Customer>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(BY_NAME)
            .bind(partner.uuid())
            .bind(after.map(CustomerId::uuid))
            .bind(limit(page))
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(customer_from_row)
            .collect()
    }

    async fn list_customer_standings(
        &mut self,
        partner: PartnerId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerStanding>> {
        let conn: &mut PgConnection = &mut self.tx;
        let ids: Vec<uuid::Uuid> = customers.iter().map(|c| c.uuid()).collect();
        sqlx::query(
            "SELECT r.customer_id, r.created_at, EXISTS (SELECT 1 FROM dap_grants d WHERE d.partner_id = r.partner_id
               AND d.customer_id = r.customer_id AND d.ended_at IS NULL) AS dap
             FROM relationships r WHERE r.partner_id = $1 AND r.state = 'active' AND r.customer_id = ANY($2)",
        )
        .bind(partner.uuid())
        .bind(ids)
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            let r = Cols::new(row, "relationships");
            Ok(CustomerStanding {
                customer_id: r.id("customer_id")?,
                since: r.get("created_at")?,
                delegated_admin: r.get("dap")?,
            })
        })
        .collect()
    }

    async fn list_former_customers(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        page: u32,
    ) -> StoreResult<Vec<Customer>> {
        let conn: &mut PgConnection = &mut self.tx;
        let Some(start) = page_start(after.map(CustomerId::uuid)) else {
            return Ok(Vec::new());
        };
        sqlx::query(FORMER)
            .bind(partner.uuid())
            .bind(start)
            .bind(limit(page))
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(customer_from_row)
            .collect()
    }

    async fn list_partner_customers(
        &mut self,
        partner: PartnerId,
        filter: &CustomerFilter,
        after: Option<CustomerId>,
        page: u32,
    ) -> StoreResult<Vec<Customer>> {
        let conn: &mut PgConnection = &mut self.tx;
        let Some(start) = page_start(after.map(CustomerId::uuid)) else {
            return Ok(Vec::new());
        };
        page_query("", filter, partner, start, page)
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(customer_from_row)
            .collect()
    }

    async fn count_partner_subscriptions(&mut self, partner: PartnerId) -> StoreResult<Vec<(SubscriptionStatus, i64)>> {
        let conn: &mut PgConnection = &mut self.tx;
        let rows: Vec<(String, i64)> = sqlx::query_as(
            r"SELECT s.status, COUNT(*)
          FROM relationships r JOIN subscriptions s ON s.customer_id = r.customer_id
          WHERE r.partner_id = $1 AND r.state = 'active' AND (s.partner_id = $1 OR s.reseller_id = $1)
          GROUP BY s.status ORDER BY s.status",
        )
        .bind(partner.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(|(status, n)| {
                SubscriptionStatus::parse(&status)
                    .map(|s| (s, n))
                    .ok_or_else(|| crate::StoreError::Corrupt(format!("subscriptions.status {status:?}")))
            })
            .collect()
    }

    async fn count_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM gdap_relationships WHERE {}",
            super::gdap::ENDING
        )))
        .bind(partner.uuid())
        .bind(from)
        .bind(to)
        .bind(super::gdap::global_admin_pattern())
        .fetch_one(conn)
        .await
        .map_err(db_err)
    }

    async fn count_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<i64> {
        let conn: &mut PgConnection = &mut self.tx;
        let (sql, args) = partner_customers_sql(filter, true);
        let query = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(partner.uuid()), args);
        let row = query.fetch_one(conn).await.map_err(db_err)?;
        row.try_get::<i64, _>(0).map_err(db_err)
    }

    async fn explain_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<String> {
        let conn: &mut PgConnection = &mut self.tx;
        let steps = page_query("EXPLAIN ", filter, partner, uuid::Uuid::nil(), 100)
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(|row| row.try_get::<String, _>(0).map_err(db_err))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(steps.join("\n"))
    }

    async fn insert_request(&mut self, req: &RelationshipRequest, token_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn find_request(&mut self, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn find_request_by_token_hash(&mut self, token_hash: &str) -> StoreResult<Option<RelationshipRequest>> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn update_request(&mut self, req: &RelationshipRequest) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn list_partner_requests(&mut self, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn insert_dap(&mut self, dap: &DapGrant) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn list_dap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>> {
        let conn: &mut PgConnection = &mut self.tx;
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

    async fn end_dap(&mut self, id: DapId, at: DateTime<Utc>, by: Option<UserId>) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_lower_cased_with_like_wildcards_escaped() {
        assert_eq!(like_fragment("РОМАШКА"), "ромашка");
        assert_eq!(like_fragment(r"50%_a\b"), r"50\%\_a\\b");
    }
}
