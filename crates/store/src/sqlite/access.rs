//! The access check's reads on SQLite. SQLite runs one node, so the signals between nodes
//! are not needed: a change invalidates the cache of its own process when it commits.

use async_trait::async_trait;
use partnerdesk_domain::{CustomerId, GdapId, PartnerId, UserId};
use rusqlite::params;
use uuid::Uuid;

use super::rows::{query_all, query_opt, split, Cols};
use super::tx::SqliteTx;
use crate::{AccessStore, EndHook, GdapGrantRow, PairAccessRows, StoreResult};

fn roles(list: &str) -> Vec<String> {
    split(list).map(String::from).collect()
}

#[async_trait]
impl AccessStore for SqliteTx {
    async fn load_pair_access(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<PairAccessRows> {
        self.call(move |c| {
            let (p, cu) = (partner.to_string(), customer.to_string());
            let flags = query_opt(
                c,
                "SELECT EXISTS (SELECT 1 FROM relationships WHERE partner_id = ?1 AND customer_id = ?2 AND state = 'active') AS reseller, \
                        EXISTS (SELECT 1 FROM dap_grants WHERE partner_id = ?1 AND customer_id = ?2 AND ended_at IS NULL) AS dap",
                params![p, cu],
                |row| {
                    let c = Cols::new(row, "relationships");
                    Ok((c.bool("reseller")?, c.bool("dap")?))
                },
            )?
            .unwrap_or((false, false));
            type Joined = (Uuid, String, Option<chrono::DateTime<chrono::Utc>>, Option<Uuid>, Option<String>);
            let rows: Vec<Joined> = query_all(
                c,
                "SELECT g.id, g.roles, g.ends_at, a.security_group_id, a.roles AS assignment_roles \
                   FROM gdap_relationships g \
                   LEFT JOIN gdap_access_assignments a \
                          ON a.relationship_id = g.id AND a.status IN ('active', 'pending') \
                  WHERE g.partner_id = ?1 AND g.customer_id = ?2 AND g.status IN ('active', 'expiring') \
                  ORDER BY g.id, a.security_group_id",
                params![p, cu],
                |row| {
                    let c = Cols::new(row, "gdap_relationships");
                    Ok((
                        c.id("id")?,
                        c.text("roles")?,
                        c.opt_time("ends_at")?,
                        c.opt_id("security_group_id")?,
                        c.opt_text("assignment_roles")?,
                    ))
                },
            )?;
            let mut out = PairAccessRows {
                reseller_active: flags.0,
                dap_active: flags.1,
                gdap: Vec::new(),
            };
            for (id, granted, ends_at, group, assignment_roles) in rows {
                if out.gdap.last().map(|g| g.id.0) != Some(id) {
                    out.gdap.push(GdapGrantRow {
                        id: GdapId(id),
                        roles: roles(&granted),
                        ends_at,
                        assignments: Vec::new(),
                    });
                }
                if let (Some(group), Some(list), Some(g)) = (group, assignment_roles, out.gdap.last_mut()) {
                    g.assignments.push((group, roles(&list)));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn list_user_security_groups(&mut self, user: UserId) -> StoreResult<Vec<Uuid>> {
        self.call(move |c| {
            query_all(
                c,
                "SELECT group_id FROM security_group_members WHERE user_id = ?1 ORDER BY group_id",
                params![user.to_string()],
                |row| Cols::new(row, "security_group_members").id("group_id"),
            )
        })
        .await
    }

    async fn list_admin_role_ids(&mut self) -> StoreResult<Vec<String>> {
        self.call(|c| {
            query_all(c, "SELECT id FROM admin_roles ORDER BY id", [], |row| {
                Cols::new(row, "admin_roles").text("id")
            })
        })
        .await
    }

    async fn notify_access(&mut self, _payload: &str) -> StoreResult<()> {
        Ok(())
    }

    fn on_end(&mut self, hook: EndHook) {
        self.hooks().push(hook);
    }
}
