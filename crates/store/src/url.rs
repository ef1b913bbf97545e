//! Parsing `--database-url`.

use std::path::PathBuf;

use crate::StoreError;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative or absolute) or `sqlite::memory:`-free plain file path.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to the driver as is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, StoreError> {
        if let Some(path) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(StoreError::BadUrl(
                    "sqlite:// needs a file path, e.g. sqlite://partnerdesk.db".into(),
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_string()));
        }
        Err(StoreError::BadUrl(format!(
            "unsupported database URL {raw:?}: use sqlite://PATH (the default is sqlite://partnerdesk.db) or postgres://USER@HOST/DB"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_to_backends() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/pd.db"),
            Ok(DatabaseUrl::Sqlite("data/pd.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/pd.db"),
            Ok(DatabaseUrl::Sqlite("/var/pd.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://root@127.0.0.1/test"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
    }
}
