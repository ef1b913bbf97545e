//! Rows of reseller relationships (and a partner's customer list), relationship requests and
//! delegated admin (DAP grants, GDAP relationships).

use chrono::{DateTime, Utc};
use partnerdesk_domain::org::Customer;
use partnerdesk_domain::relationship::{DapGrant, Relationship, RelationshipState};
use partnerdesk_domain::request::{RelationshipRequest, RequestState};
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::{CustomerId, DapId, PartnerId, RequestId, UserId};
use std::borrow::Cow;

use partnerdesk_domain::values::SearchText;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, Row};

use super::orgs::read_customer;
use super::rows::{after, check_version, execute, join, opt_id, opt_ts, query_all, query_opt, ts, Cols};
use super::tx::SqliteTx;
use crate::search::prefix_range;
use crate::RelationshipStore;
use crate::{CustomerFilter, CustomerStanding, StoreError, StoreResult};
use async_trait::async_trait;

// --- relationships ---

const REL_SELECT: &str =
    "SELECT id, partner_id, customer_id, state, dap_consented, created_at, created_by, closed_at, \
                          closed_by, close_reason, version FROM relationships";

fn read_relationship(row: &Row<'_>) -> StoreResult<Relationship> {
    let c = Cols::new(row, "relationships");
    Ok(Relationship {
        id: c.id("id")?,
        partner_id: c.id("partner_id")?,
        customer_id: c.id("customer_id")?,
        state: c.name("state", RelationshipState::parse)?,
        dap_consented: c.bool("dap_consented")?,
        created_at: c.time("created_at")?,
        created_by: c.opt_id("created_by")?,
        closed_at: c.opt_time("closed_at")?,
        closed_by: c.opt_id("closed_by")?,
        close_reason: c.opt_text("close_reason")?,
        version: c.int("version")?,
    })
}

pub(super) fn insert_relationship(conn: &Connection, r: &Relationship) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO relationships (id, partner_id, customer_id, state, dap_consented, created_at, created_by, \
         closed_at, closed_by, close_reason, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.id.to_string(),
            r.partner_id.to_string(),
            r.customer_id.to_string(),
            r.state.as_str(),
            r.dap_consented,
            ts(&r.created_at),
            opt_id(&r.created_by),
            opt_ts(&r.closed_at),
            opt_id(&r.closed_by),
            r.close_reason,
            r.version
        ],
    )
    .map(drop)
}

pub(super) fn find_active_relationship(
    conn: &Connection,
    partner: PartnerId,
    customer: CustomerId,
) -> StoreResult<Option<Relationship>> {
    query_opt(
        conn,
        &format!("{REL_SELECT} WHERE partner_id = ?1 AND customer_id = ?2 AND state = 'active'"),
        [partner.to_string(), customer.to_string()],
        read_relationship,
    )
}

pub(super) fn update_relationship(conn: &Connection, r: &Relationship) -> StoreResult<()> {
    let id = r.id.to_string();
    let changed = execute(
        conn,
        "UPDATE relationships SET state = ?2, dap_consented = ?3, closed_at = ?4, closed_by = ?5, close_reason = ?6, \
         version = version + 1 WHERE id = ?1 AND version = ?7",
        params![
            id,
            r.state.as_str(),
            r.dap_consented,
            opt_ts(&r.closed_at),
            opt_id(&r.closed_by),
            r.close_reason,
            r.version
        ],
    )?;
    check_version(
        conn,
        changed,
        "SELECT 1 FROM relationships WHERE id = ?1",
        &id,
        "relationship",
    )
}

pub(super) fn list_customer_relationships(conn: &Connection, customer: CustomerId) -> StoreResult<Vec<Relationship>> {
    query_all(
        conn,
        &format!("{REL_SELECT} WHERE customer_id = ?1 ORDER BY created_at, id"),
        [customer.to_string()],
        read_relationship,
    )
}

// --- a partner's customers ---

// The customer columns of a list row (`customer_list` aliased `l`), named as `read_customer`
// reads them.
const LIST_COLS: &str = "l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact, \
                         l.billing_email, l.billing_address, l.created_at, l.version";

// The partner's list rows by (name_key, customer_id): a range of `customer_list_name_key`,
// which holds the customer id after the key; after a customer, only those past its key.
// ?1 partner, ?2 after (empty: the first page), ?3 limit.
const BY_NAME: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact, \
                       l.billing_email, l.billing_address, l.created_at, l.version \
                       FROM customer_list l WHERE l.partner_id = ?1 \
                       AND (?2 = '' OR (l.name_key, l.customer_id) > \
                            (SELECT k.name_key, k.id FROM organizations k WHERE k.id = ?2)) \
                       ORDER BY l.name_key, l.customer_id LIMIT ?3";

pub(super) fn list_partner_customers_by_name(
    conn: &Connection,
    partner: PartnerId,
    after_id: Option<CustomerId>,
    limit: u32,
) -> StoreResult<Vec<Customer>> {
    query_all(
        conn,
        BY_NAME,
        params![partner.to_string(), after(after_id), i64::from(limit)],
        read_customer,
    )
}

// A range scan of `relationships_closed_pair (partner_id, customer_id)` in key order, each
// customer once, left out while an active pair exists. ?1 partner, ?2 after, ?3 limit.
const FORMER: &str = "SELECT o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email, \
                      o.billing_address, o.created_at, o.version \
                      FROM organizations o \
                      WHERE o.id IN (SELECT DISTINCT r.customer_id FROM relationships r \
                                     WHERE r.partner_id = ?1 AND r.state = 'closed' AND r.customer_id > ?2 \
                                     AND NOT EXISTS (SELECT 1 FROM relationships a WHERE a.partner_id = ?1 \
                                                     AND a.customer_id = r.customer_id AND a.state = 'active') \
                                     ORDER BY r.customer_id LIMIT ?3) \
                      AND o.kind = 'customer' ORDER BY o.id";

pub(super) fn list_former_customers(
    conn: &Connection,
    partner: PartnerId,
    after_id: Option<CustomerId>,
    limit: u32,
) -> StoreResult<Vec<Customer>> {
    query_all(
        conn,
        FORMER,
        params![partner.to_string(), after(after_id), i64::from(limit)],
        read_customer,
    )
}

// One range scan of the partner's list rows (`customer_list`, keyed (partner_id, customer_id)
// WITHOUT ROWID: each row holds the customer's list columns). Parameters: ?1 partner, ?2
// after, ?3 limit, ?4 search.
const PAGE: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact, \
                    l.billing_email, l.billing_address, l.created_at, l.version \
                    FROM customer_list l WHERE l.partner_id = ?1 AND l.customer_id > ?2 \
                    ORDER BY l.customer_id LIMIT ?3";
const PAGE_SEARCH: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact, \
                           l.billing_email, l.billing_address, l.created_at, l.version \
                           FROM customer_list l WHERE l.partner_id = ?1 AND l.customer_id > ?2 \
                           AND l.search_text LIKE '%' || ?4 || '%' ESCAPE '\\' \
                           ORDER BY l.customer_id LIMIT ?3";
// Both partners' list rows, walked together in customer order. ?4 the other partner.
const PAGE_SHARED: &str = "SELECT l.customer_id AS id, l.name, l.domain, l.country, l.culture, l.billing_contact, \
                           l.billing_email, l.billing_address, l.created_at, l.version \
                           FROM customer_list l \
                           JOIN customer_list s ON s.partner_id = ?4 AND s.customer_id = l.customer_id \
                           WHERE l.partner_id = ?1 AND l.customer_id > ?2 \
                           ORDER BY l.customer_id LIMIT ?3";
// Parameters: ?1 partner, ?2 search (or the other partner). Without a filter the count is
// the partner's row of `partner_customer_counts`, kept in step by the triggers that keep
// `customer_list`: one row, whatever the number of customers.
const COUNT: &str = "SELECT coalesce((SELECT customers FROM partner_customer_counts WHERE partner_id = ?1), 0) AS n";
const COUNT_SEARCH: &str = "SELECT count(*) AS n FROM customer_list l WHERE l.partner_id = ?1 \
                            AND l.search_text LIKE '%' || ?2 || '%' ESCAPE '\\'";
const COUNT_SHARED: &str = "SELECT count(*) AS n FROM customer_list l \
                            JOIN customer_list s ON s.partner_id = ?2 AND s.customer_id = l.customer_id \
                            WHERE l.partner_id = ?1";

/// A prefix search: the range of the partner's entries in the key's index (named, so that a
/// plan that stops using it fails loudly instead of reading every customer of the partner).
/// A page sorts the matches by id. Page parameters: ?1 partner, ?2 after, ?3 limit, ?4 low,
/// ?5 high; count: ?1 partner, ?2 low, ?3 high. Without a high bound, no upper limit.
fn prefix_sql(column: &str, index: &str, bounded: bool, count: bool) -> String {
    let low = if count { 2 } else { 4 };
    let high = if bounded {
        format!(" AND l.{column} < ?{}", low + 1)
    } else {
        String::new()
    };
    let from =
        format!("FROM customer_list l INDEXED BY {index} WHERE l.partner_id = ?1 AND l.{column} >= ?{low}{high}");
    if count {
        format!("SELECT count(*) AS n {from}")
    } else {
        format!("SELECT {LIST_COLS} {from} AND l.customer_id > ?2 ORDER BY l.customer_id LIMIT ?3")
    }
}

/// The SQL of a page (or count) of a partner's customers under `filter`, and the values of
/// the filter's parameters (after ?1 partner, ?2 after and ?3 limit of a page; after ?1
/// partner of a count).
pub(super) fn partner_customers_sql(filter: &CustomerFilter, count: bool) -> (Cow<'static, str>, Vec<Value>) {
    let prefix = |column: &str, index: &str, q: &SearchText| {
        let (low, high) = prefix_range(q);
        let sql = prefix_sql(column, index, high.is_some(), count);
        let values = std::iter::once(low).chain(high).map(Value::Text).collect();
        (Cow::Owned(sql), values)
    };
    match filter {
        CustomerFilter::All => (Cow::Borrowed(if count { COUNT } else { PAGE }), Vec::new()),
        CustomerFilter::Contains(q) => (
            Cow::Borrowed(if count { COUNT_SEARCH } else { PAGE_SEARCH }),
            vec![Value::Text(like_operand(q.as_str()))],
        ),
        CustomerFilter::NameStartsWith(q) => prefix("name_key", "customer_list_name_key", q),
        CustomerFilter::DomainStartsWith(q) => prefix("domain_key", "customer_list_domain_key", q),
        CustomerFilter::SharedWith(other) => (
            Cow::Borrowed(if count { COUNT_SHARED } else { PAGE_SHARED }),
            vec![Value::Text(other.to_string())],
        ),
    }
}

/// A search as a `LIKE` operand: lower-cased (any script), with `%`, `_` and `\` escaped.
fn like_operand(search: &str) -> String {
    let mut out = String::with_capacity(search.len());
    for ch in search.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The parameters of a page: partner, after, limit, then the filter's.
fn page_params(partner: PartnerId, after_id: Option<CustomerId>, limit: u32, rest: Vec<Value>) -> Vec<Value> {
    let mut all = vec![
        Value::Text(partner.to_string()),
        Value::Text(after(after_id)),
        Value::Integer(i64::from(limit)),
    ];
    all.extend(rest);
    all
}

pub(super) fn list_partner_customers(
    conn: &Connection,
    partner: PartnerId,
    filter: &CustomerFilter,
    after_id: Option<CustomerId>,
    limit: u32,
) -> StoreResult<Vec<Customer>> {
    let (sql, rest) = partner_customers_sql(filter, false);
    query_all(
        conn,
        &sql,
        params_from_iter(page_params(partner, after_id, limit, rest)),
        read_customer,
    )
}

pub(super) fn list_customer_standings(
    conn: &Connection,
    partner: PartnerId,
    customers: &[CustomerId],
) -> StoreResult<Vec<CustomerStanding>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let marks = join((2..customers.len() + 2).map(|i| format!("?{i}")));
    let sql = format!(
        "SELECT r.customer_id, r.created_at, EXISTS (SELECT 1 FROM dap_grants d WHERE d.partner_id = r.partner_id \
         AND d.customer_id = r.customer_id AND d.ended_at IS NULL) AS dap \
         FROM relationships r WHERE r.partner_id = ?1 AND r.state = 'active' AND r.customer_id IN ({marks})"
    );
    let values = std::iter::once(partner.to_string()).chain(customers.iter().map(ToString::to_string));
    query_all(conn, &sql, params_from_iter(values), |row| {
        let c = Cols::new(row, "relationships");
        Ok(CustomerStanding {
            customer_id: c.id("customer_id")?,
            since: c.time("created_at")?,
            delegated_admin: c.bool("dap")?,
        })
    })
}

pub(super) fn count_partner_customers(
    conn: &Connection,
    partner: PartnerId,
    filter: &CustomerFilter,
) -> StoreResult<i64> {
    let read = |r: &Row<'_>| Cols::new(r, "relationships").int("n");
    let (sql, rest) = partner_customers_sql(filter, true);
    let values = std::iter::once(Value::Text(partner.to_string())).chain(rest);
    Ok(query_opt(conn, &sql, params_from_iter(values), read)?.unwrap_or(0))
}

pub(super) fn explain_partner_customers(
    conn: &Connection,
    partner: PartnerId,
    filter: &CustomerFilter,
) -> StoreResult<String> {
    let (sql, rest) = partner_customers_sql(filter, false);
    let steps = query_all(
        conn,
        &format!("EXPLAIN QUERY PLAN {sql}"),
        params_from_iter(page_params(partner, None, 100, rest)),
        |r| Cols::new(r, "plan").text("detail"),
    )?;
    Ok(steps.join("\n"))
}

// Reads the active-pair index, then each customer's subscriptions by `subscriptions_customer`.
const SUBSCRIPTION_COUNTS: &str = "SELECT s.status AS status, count(*) AS n \
    FROM relationships r JOIN subscriptions s ON s.customer_id = r.customer_id \
    WHERE r.partner_id = ?1 AND r.state = 'active' AND (s.partner_id = ?1 OR s.reseller_id = ?1) \
    GROUP BY s.status ORDER BY s.status";

pub(super) fn count_partner_subscriptions(
    conn: &Connection,
    partner: PartnerId,
) -> StoreResult<Vec<(SubscriptionStatus, i64)>> {
    query_all(conn, SUBSCRIPTION_COUNTS, [partner.to_string()], |row| {
        let c = Cols::new(row, "subscriptions");
        Ok((c.name("status", SubscriptionStatus::parse)?, c.int("n")?))
    })
}

pub(super) fn count_gdap_ending(
    conn: &Connection,
    partner: PartnerId,
    from: &DateTime<Utc>,
    to: &DateTime<Utc>,
) -> StoreResult<i64> {
    let n = query_opt(
        conn,
        &format!(
            "SELECT count(*) AS n FROM gdap_relationships WHERE {}",
            super::gdap::ENDING
        ),
        params![
            partner.to_string(),
            ts(from),
            ts(to),
            super::gdap::global_admin_pattern()
        ],
        |row| Cols::new(row, "gdap_relationships").int("n"),
    )?;
    Ok(n.unwrap_or(0))
}

// --- relationship requests ---

const REQ_SELECT: &str = "SELECT id, partner_id, include_dap, state, created_at, created_by, expires_at, customer_id, \
                          answered_at, answered_by, version FROM relationship_requests";

fn read_request(row: &Row<'_>) -> StoreResult<RelationshipRequest> {
    let c = Cols::new(row, "relationship_requests");
    Ok(RelationshipRequest {
        id: c.id("id")?,
        partner_id: c.id("partner_id")?,
        include_dap: c.bool("include_dap")?,
        state: c.name("state", RequestState::parse)?,
        created_at: c.time("created_at")?,
        created_by: c.id("created_by")?,
        expires_at: c.time("expires_at")?,
        customer_id: c.opt_id("customer_id")?,
        answered_at: c.opt_time("answered_at")?,
        answered_by: c.opt_id("answered_by")?,
        version: c.int("version")?,
    })
}

pub(super) fn insert_request(conn: &Connection, r: &RelationshipRequest, token_hash: &str) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO relationship_requests (id, partner_id, token_hash, include_dap, state, created_at, created_by, \
         expires_at, customer_id, answered_at, answered_by, version) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.id.to_string(),
            r.partner_id.to_string(),
            token_hash,
            r.include_dap,
            r.state.as_str(),
            ts(&r.created_at),
            r.created_by.to_string(),
            ts(&r.expires_at),
            opt_id(&r.customer_id),
            opt_ts(&r.answered_at),
            opt_id(&r.answered_by),
            r.version
        ],
    )
    .map(drop)
}

pub(super) fn find_request(conn: &Connection, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
    query_opt(
        conn,
        &format!("{REQ_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_request,
    )
}

pub(super) fn find_request_by_token_hash(
    conn: &Connection,
    token_hash: &str,
) -> StoreResult<Option<RelationshipRequest>> {
    query_opt(
        conn,
        &format!("{REQ_SELECT} WHERE token_hash = ?1"),
        [token_hash],
        read_request,
    )
}

pub(super) fn update_request(conn: &Connection, r: &RelationshipRequest) -> StoreResult<()> {
    let id = r.id.to_string();
    let changed = execute(
        conn,
        "UPDATE relationship_requests SET include_dap = ?2, state = ?3, expires_at = ?4, customer_id = ?5, \
         answered_at = ?6, answered_by = ?7, version = version + 1 WHERE id = ?1 AND version = ?8",
        params![
            id,
            r.include_dap,
            r.state.as_str(),
            ts(&r.expires_at),
            opt_id(&r.customer_id),
            opt_ts(&r.answered_at),
            opt_id(&r.answered_by),
            r.version
        ],
    )?;
    check_version(
        conn,
        changed,
        "SELECT 1 FROM relationship_requests WHERE id = ?1",
        &id,
        "relationship request",
    )
}

pub(super) fn list_partner_requests(conn: &Connection, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>> {
    query_all(
        conn,
        &format!("{REQ_SELECT} WHERE partner_id = ?1 ORDER BY created_at DESC, id DESC"),
        [partner.to_string()],
        read_request,
    )
}

// --- DAP grants ---

fn read_dap(row: &Row<'_>) -> StoreResult<DapGrant> {
    let c = Cols::new(row, "dap_grants");
    Ok(DapGrant {
        id: c.id("id")?,
        partner_id: c.id("partner_id")?,
        customer_id: c.id("customer_id")?,
        granted_at: c.time("granted_at")?,
        ended_at: c.opt_time("ended_at")?,
        ended_by: c.opt_id("ended_by")?,
    })
}

pub(super) fn insert_dap(conn: &Connection, d: &DapGrant) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO dap_grants (id, partner_id, customer_id, granted_at, ended_at, ended_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            d.id.to_string(),
            d.partner_id.to_string(),
            d.customer_id.to_string(),
            ts(&d.granted_at),
            opt_ts(&d.ended_at),
            opt_id(&d.ended_by)
        ],
    )
    .map(drop)
}

pub(super) fn list_dap(conn: &Connection, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>> {
    query_all(
        conn,
        "SELECT id, partner_id, customer_id, granted_at, ended_at, ended_by FROM dap_grants \
         WHERE partner_id = ?1 AND customer_id = ?2 ORDER BY granted_at, id",
        [partner.to_string(), customer.to_string()],
        read_dap,
    )
}

pub(super) fn end_dap(conn: &Connection, id: DapId, at: &DateTime<Utc>, by: Option<UserId>) -> StoreResult<()> {
    match execute(
        conn,
        "UPDATE dap_grants SET ended_at = ?2, ended_by = ?3 WHERE id = ?1",
        params![id.to_string(), ts(at), opt_id(&by)],
    )? {
        0 => Err(StoreError::NotFound("DAP grant")),
        _ => Ok(()),
    }
}

#[async_trait]
impl RelationshipStore for SqliteTx {
    async fn insert_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let rel = rel.clone();
        self.call(move |c| insert_relationship(c, &rel)).await
    }

    async fn find_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        self.call(move |c| find_active_relationship(c, partner, customer)).await
    }

    async fn lock_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        // BEGIN IMMEDIATE already holds the database's write lock.
        self.find_active_relationship(partner, customer).await
    }

    async fn update_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let rel = rel.clone();
        self.call(move |c| update_relationship(c, &rel)).await
    }

    async fn list_customer_relationships(&mut self, customer: CustomerId) -> StoreResult<Vec<Relationship>> {
        self.call(move |c| list_customer_relationships(c, customer)).await
    }

    async fn list_partner_customers(
        &mut self,
        partner: PartnerId,
        filter: &CustomerFilter,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        let filter = filter.clone();
        self.call(move |c| list_partner_customers(c, partner, &filter, after, limit))
            .await
    }

    async fn list_partner_customers_by_name(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        self.call(move |c| list_partner_customers_by_name(c, partner, after, limit))
            .await
    }

    async fn list_customer_standings(
        &mut self,
        partner: PartnerId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerStanding>> {
        let customers = customers.to_vec();
        self.call(move |c| list_customer_standings(c, partner, &customers))
            .await
    }

    async fn list_former_customers(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        self.call(move |c| list_former_customers(c, partner, after, limit))
            .await
    }

    async fn count_partner_subscriptions(&mut self, partner: PartnerId) -> StoreResult<Vec<(SubscriptionStatus, i64)>> {
        self.call(move |c| count_partner_subscriptions(c, partner)).await
    }

    async fn count_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.call(move |c| count_gdap_ending(c, partner, &from, &to)).await
    }

    async fn count_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<i64> {
        let filter = filter.clone();
        self.call(move |c| count_partner_customers(c, partner, &filter)).await
    }

    async fn explain_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<String> {
        let filter = filter.clone();
        self.call(move |c| explain_partner_customers(c, partner, &filter)).await
    }

    async fn insert_request(&mut self, req: &RelationshipRequest, token_hash: &str) -> StoreResult<()> {
        let (req, hash) = (req.clone(), token_hash.to_owned());
        self.call(move |c| insert_request(c, &req, &hash)).await
    }

    async fn find_request(&mut self, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
        self.call(move |c| find_request(c, id)).await
    }

    async fn find_request_by_token_hash(&mut self, token_hash: &str) -> StoreResult<Option<RelationshipRequest>> {
        let hash = token_hash.to_owned();
        self.call(move |c| find_request_by_token_hash(c, &hash)).await
    }

    async fn update_request(&mut self, req: &RelationshipRequest) -> StoreResult<()> {
        let req = req.clone();
        self.call(move |c| update_request(c, &req)).await
    }

    async fn list_partner_requests(&mut self, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>> {
        self.call(move |c| list_partner_requests(c, partner)).await
    }

    async fn insert_dap(&mut self, dap: &DapGrant) -> StoreResult<()> {
        let dap = dap.clone();
        self.call(move |c| insert_dap(c, &dap)).await
    }

    async fn list_dap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>> {
        self.call(move |c| list_dap(c, partner, customer)).await
    }

    async fn end_dap(&mut self, id: DapId, at: DateTime<Utc>, by: Option<UserId>) -> StoreResult<()> {
        self.call(move |c| end_dap(c, id, &at, by)).await
    }
}
