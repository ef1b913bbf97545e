//! Plain SQL migrations, one folder per backend, embedded in the binary. Both folders hold
//! the same versions (a test checks it); each backend records what it applied in
//! `schema_migrations` and applies the rest in order, each in its own transaction.

/// One migration: its version number, name, and SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// SQLite migrations, in order.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "auth",
        sql: include_str!("../migrations/sqlite/0002_auth.sql"),
    },
    Migration {
        version: 3,
        name: "web_sessions",
        sql: include_str!("../migrations/sqlite/0003_web_sessions.sql"),
    },
    Migration {
        version: 4,
        name: "sign_in_limits",
        sql: include_str!("../migrations/sqlite/0004_sign_in_limits.sql"),
    },
    Migration {
        version: 5,
        name: "idempotency_in_tx",
        sql: include_str!("../migrations/sqlite/0005_idempotency_in_tx.sql"),
    },
    Migration {
        version: 6,
        name: "customer_domains",
        sql: include_str!("../migrations/sqlite/0006_customer_domains.sql"),
    },
    Migration {
        version: 7,
        name: "customer_search_keys",
        sql: include_str!("../migrations/sqlite/0007_customer_search_keys.sql"),
    },
    Migration {
        version: 9,
        name: "former_customers",
        sql: include_str!("../migrations/sqlite/0009_former_customers.sql"),
    },
    Migration {
        version: 10,
        name: "delegated_admin",
        sql: include_str!("../migrations/sqlite/0010_delegated_admin.sql"),
    },
    Migration {
        version: 11,
        name: "access_nodes",
        sql: include_str!("../migrations/sqlite/0011_access_nodes.sql"),
    },
    Migration {
        version: 12,
        name: "audit_trail",
        sql: include_str!("../migrations/sqlite/0012_audit_trail.sql"),
    },
    Migration {
        version: 13,
        name: "gdap_ending",
        sql: include_str!("../migrations/sqlite/0013_gdap_ending.sql"),
    },
    Migration {
        version: 14,
        name: "webhooks",
        sql: include_str!("../migrations/sqlite/0014_webhooks.sql"),
    },
    Migration {
        version: 15,
        name: "mail",
        sql: include_str!("../migrations/sqlite/0015_mail.sql"),
    },
    Migration {
        version: 17,
        name: "customer_list",
        sql: include_str!("../migrations/sqlite/0017_customer_list.sql"),
    },
];

/// PostgreSQL migrations, in order.
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "auth",
        sql: include_str!("../migrations/postgres/0002_auth.sql"),
    },
    Migration {
        version: 3,
        name: "web_sessions",
        sql: include_str!("../migrations/postgres/0003_web_sessions.sql"),
    },
    Migration {
        version: 4,
        name: "sign_in_limits",
        sql: include_str!("../migrations/postgres/0004_sign_in_limits.sql"),
    },
    Migration {
        version: 5,
        name: "idempotency_in_tx",
        sql: include_str!("../migrations/postgres/0005_idempotency_in_tx.sql"),
    },
    Migration {
        version: 6,
        name: "customer_domains",
        sql: include_str!("../migrations/postgres/0006_customer_domains.sql"),
    },
    Migration {
        version: 7,
        name: "customer_search_keys",
        sql: include_str!("../migrations/postgres/0007_customer_search_keys.sql"),
    },
    Migration {
        version: 9,
        name: "former_customers",
        sql: include_str!("../migrations/postgres/0009_former_customers.sql"),
    },
    Migration {
        version: 10,
        name: "delegated_admin",
        sql: include_str!("../migrations/postgres/0010_delegated_admin.sql"),
    },
    Migration {
        version: 11,
        name: "access_nodes",
        sql: include_str!("../migrations/postgres/0011_access_nodes.sql"),
    },
    Migration {
        version: 12,
        name: "audit_trail",
        sql: include_str!("../migrations/postgres/0012_audit_trail.sql"),
    },
    Migration {
        version: 13,
        name: "gdap_ending",
        sql: include_str!("../migrations/postgres/0013_gdap_ending.sql"),
    },
    Migration {
        version: 14,
        name: "webhooks",
        sql: include_str!("../migrations/postgres/0014_webhooks.sql"),
    },
    Migration {
        version: 15,
        name: "mail",
        sql: include_str!("../migrations/postgres/0015_mail.sql"),
    },
    Migration {
        version: 17,
        name: "customer_list",
        sql: include_str!("../migrations/postgres/0017_customer_list.sql"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let versions = |m: &[Migration]| m.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(versions(SQLITE), versions(POSTGRES));
    }

    #[test]
    fn migration_files_on_disk_are_all_listed() {
        for (dir, listed) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let path = format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("read {path}: {e}"))
                .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect();
            files.sort();
            let expected: Vec<String> = listed
                .iter()
                .map(|m| format!("{:04}_{}.sql", m.version, m.name))
                .collect();
            assert_eq!(
                files, expected,
                "{dir} migrations on disk differ from the list in migrations.rs"
            );
        }
    }
}
