//! The access check's reads on PostgreSQL, and the signals between nodes that keep its cache
//! true: `pg_notify` on the access channel (inside a transaction: sent when it commits; on a
//! connection of its own: at once), a listening connection per node, node heartbeats and
//! acknowledgements of announced changes (migration 0011).

use async_trait::async_trait;
use partnerdesk_domain::{CustomerId, GdapId, PartnerId, UserId};
use sqlx::postgres::PgListener;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::tx::PgTx;
use super::{db_err, PgStore};
use crate::{AccessStore, EndHook, GdapGrantRow, PairAccessRows, StoreResult};

fn split_roles(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from)
        .collect()
}

#[async_trait]
impl AccessStore for PgTx {
    async fn load_pair_access(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<PairAccessRows> {
        let conn: &mut PgConnection = &mut self.tx;
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM relationships WHERE partner_id = $1 AND customer_id = $2 AND state = 'active') AS reseller,
                    EXISTS (SELECT 1 FROM dap_grants WHERE partner_id = $1 AND customer_id = $2 AND ended_at IS NULL) AS dap",
        )
        .bind(partner.uuid())
        .bind(customer.uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        let mut out = PairAccessRows {
            reseller_active: row.try_get("reseller").map_err(db_err)?,
            dap_active: row.try_get("dap").map_err(db_err)?,
            gdap: Vec::new(),
        };
        let rows = sqlx::query(
            "SELECT g.id, g.roles, g.ends_at, a.security_group_id, a.roles AS assignment_roles
               FROM gdap_relationships g
               LEFT JOIN gdap_access_assignments a
                      ON a.relationship_id = g.id AND a.status IN ('active', 'pending')
              WHERE g.partner_id = $1 AND g.customer_id = $2 AND g.status IN ('active', 'expiring')
              ORDER BY g.id, a.security_group_id",
        )
        .bind(partner.uuid())
        .bind(customer.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?;
        for row in rows {
            let id: Uuid = row.try_get("id").map_err(db_err)?;
            if out.gdap.last().map(|g| g.id.0) != Some(id) {
                let roles: String = row.try_get("roles").map_err(db_err)?;
                out.gdap.push(GdapGrantRow {
                    id: GdapId(id),
                    roles: split_roles(&roles),
                    ends_at: row.try_get("ends_at").map_err(db_err)?,
                    assignments: Vec::new(),
                });
            }
            let group: Option<Uuid> = row.try_get("security_group_id").map_err(db_err)?;
            let roles: Option<String> = row.try_get("assignment_roles").map_err(db_err)?;
            if let (Some(group), Some(roles), Some(g)) = (group, roles, out.gdap.last_mut()) {
                g.assignments.push((group, split_roles(&roles)));
            }
        }
        Ok(out)
    }

    async fn list_user_security_groups(&mut self, user: UserId) -> StoreResult<Vec<Uuid>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar("SELECT group_id FROM security_group_members WHERE user_id = $1 ORDER BY group_id")
            .bind(user.uuid())
            .fetch_all(conn)
            .await
            .map_err(db_err)
    }

    async fn list_admin_role_ids(&mut self) -> StoreResult<Vec<String>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar("SELECT id FROM admin_roles ORDER BY id")
            .fetch_all(conn)
            .await
            .map_err(db_err)
    }

    async fn notify_access(&mut self, payload: &str) -> StoreResult<()> {
        let channel = self.access_channel.clone();
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(&*channel)
            .bind(payload)
            .execute(conn)
            .await
            .map_err(db_err)
            .map(drop)
    }

    fn on_end(&mut self, hook: EndHook) {
        self.hooks.push(hook);
    }
}

/// A node's listening connection on the access channel.
pub struct PgAccessListener {
    listener: PgListener,
    backend_pid: i32,
}

impl PgAccessListener {
    /// The next message, or `None` when the connection is lost (the listener is then spent:
    /// make a new one, and take everything heard before as possibly incomplete).
    pub async fn recv(&mut self) -> StoreResult<Option<String>> {
        match self.listener.try_recv().await {
            Ok(Some(n)) => Ok(Some(n.payload().to_string())),
            Ok(None) => Ok(None),
            Err(e) => Err(db_err(e)),
        }
    }

    /// The server process of the listening connection (`pg_terminate_backend` ends it).
    pub fn backend_pid(&self) -> i32 {
        self.backend_pid
    }
}

impl PgStore {
    /// Opens a listening connection on the access channel.
    pub async fn access_listen(&self) -> StoreResult<PgAccessListener> {
        let mut listener = PgListener::connect_with(&self.signals).await.map_err(db_err)?;
        listener.eager_reconnect(false);
        listener.ignore_pool_close_event(true);
        listener.listen(&self.access_channel).await.map_err(db_err)?;
        let backend_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut listener)
            .await
            .map_err(db_err)?;
        Ok(PgAccessListener { listener, backend_pid })
    }

    /// Sends `payload` on the access channel at once, outside any transaction.
    pub async fn access_announce(&self, payload: &str) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(&*self.access_channel)
            .bind(payload)
            .execute(&self.signals)
            .await
            .map_err(db_err)
            .map(drop)
    }

    /// Records that `node` is alive and listening (and forgets acknowledgements older than
    /// a minute). `false` when the node's row was gone: it had been evicted.
    pub async fn access_heartbeat(&self, node: Uuid, register: bool) -> StoreResult<bool> {
        let done = if register {
            sqlx::query(
                "INSERT INTO access_nodes (id, heartbeat_at) VALUES ($1, now())
                 ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()",
            )
            .bind(node)
            .execute(&self.signals)
            .await
        } else {
            sqlx::query("UPDATE access_nodes SET heartbeat_at = now() WHERE id = $1")
                .bind(node)
                .execute(&self.signals)
                .await
        }
        .map_err(db_err)?;
        sqlx::query("DELETE FROM access_acks WHERE at < now() - interval '1 minute'")
            .execute(&self.signals)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes `node` from the live nodes (it stops; or it did not acknowledge in time).
    pub async fn access_evict(&self, nodes: &[Uuid]) -> StoreResult<()> {
        sqlx::query("DELETE FROM access_nodes WHERE id = ANY($1)")
            .bind(nodes)
            .execute(&self.signals)
            .await
            .map_err(db_err)
            .map(drop)
    }

    /// The nodes other than `except` whose heartbeat is younger than `within_ms`.
    pub async fn access_live_nodes(&self, except: Uuid, within_ms: i64) -> StoreResult<Vec<Uuid>> {
        sqlx::query_scalar(
            "SELECT id FROM access_nodes WHERE id <> $1 AND heartbeat_at > now() - make_interval(secs => $2)",
        )
        .bind(except)
        .bind(within_ms as f64 / 1000.0)
        .fetch_all(&self.signals)
        .await
        .map_err(db_err)
    }

    /// `node` heard the announcement `announce`.
    pub async fn access_ack(&self, announce: Uuid, node: Uuid) -> StoreResult<()> {
        sqlx::query("INSERT INTO access_acks (announce_id, node_id, at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING")
            .bind(announce)
            .bind(node)
            .execute(&self.signals)
            .await
            .map_err(db_err)
            .map(drop)
    }

    /// The nodes that acknowledged `announce`.
    pub async fn access_acked(&self, announce: Uuid) -> StoreResult<Vec<Uuid>> {
        sqlx::query_scalar("SELECT node_id FROM access_acks WHERE announce_id = $1")
            .bind(announce)
            .fetch_all(&self.signals)
            .await
            .map_err(db_err)
    }

    /// Ends the server process `pid` (`pg_terminate_backend`): what an operator does to a
    /// stuck connection, and what tests do to a node's listening connection.
    pub async fn terminate_backend(&self, pid: i32) -> StoreResult<bool> {
        sqlx::query_scalar("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .fetch_one(&self.signals)
            .await
            .map_err(db_err)
    }
}
