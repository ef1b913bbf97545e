//! The command line: global options, subcommands and the help text that teaches them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const ABOUT: &str = "A self-hostable partner center: resellers manage the customers they sell to.";

const LONG_ABOUT: &str = "\
partnerdesk is a self-hostable partner center: the system a vendor runs so that its resellers \
(partners) can request relationships with customers, buy and manage subscriptions on their \
behalf, hold delegated admin rights, act as their support contacts, and remove a customer \
cleanly when they stop working together. It is one binary with an embedded SQLite database; \
point --database-url at PostgreSQL to run many nodes on one database.";

const EXAMPLES: &str = "\
Examples:
  Try it on http://127.0.0.1:8080 with demo data in ./partnerdesk.db:
    partnerdesk serve --demo

  Create or update the schema of a PostgreSQL database:
    partnerdesk --database-url postgres://postgres@127.0.0.1/partnerdesk migrate

  Serve on every interface behind a proxy, with an operator admin:
    PARTNERDESK_ADMIN_EMAIL=admin@example.com PARTNERDESK_ADMIN_PASSWORD='a long secret' \\
      partnerdesk serve --listen 0.0.0.0:8080 --public-url https://partners.example.com";

/// The `partnerdesk` command line.
#[derive(Debug, Parser)]
#[command(name = "partnerdesk", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where the data lives: sqlite://PATH (the file is created and migrated on first start)
    /// or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.
    #[arg(
        long,
        global = true,
        env = "PARTNERDESK_DATABASE_URL",
        default_value = "sqlite://partnerdesk.db",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: DatabaseUrlArg,

    /// Which logs to write to stderr, in RUST_LOG syntax: a level (error, warn, info, debug,
    /// trace) or directives such as "info,partnerdesk_store=debug".
    #[arg(long, global = true, env = "RUST_LOG", default_value = "info", value_name = "FILTER")]
    pub log: String,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    #[command(long_about = "\
Run the web server. Opens the database (a SQLite file is created and migrated on first start), \
creates the operator admin named by PARTNERDESK_ADMIN_EMAIL and PARTNERDESK_ADMIN_PASSWORD when \
no user has that e-mail yet, prints the address it listens on, and serves until Ctrl-C or \
SIGTERM, letting requests in flight finish. The server answers GET /healthz (the process is up), \
GET /readyz (the database answers) and GET /metrics (Prometheus); users sign in at POST /oauth2/token.")]
    Serve(ServeArgs),

    /// Create or update the database schema, then exit.
    #[command(long_about = "\
Create or update the database schema, then exit. `serve` does the same on every start; run \
this first when several nodes share one PostgreSQL database.")]
    Migrate,

    /// Seed the demo data set into an empty database and print its users and passwords.
    #[command(long_about = "\
Seed the demo data set (an operator, partners, customers, offers and subscriptions) into a \
database that has no partners yet, and print the users it made with their passwords. A database \
that already has partners is left untouched.")]
    Demo(DemoArgs),

    /// Work with the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),

    /// Look at the mail outbox.
    #[command(subcommand)]
    Mail(MailCommand),

    /// Copy the SQLite database into a new file, while a server keeps serving.
    #[command(long_about = "\
Copy the SQLite database into a new file as one consistent snapshot, while a server on it keeps \
serving and writing: the copy holds every change committed before it started and none after. \
Prints the file, its size, its schema version and how long it took. On PostgreSQL it prints the \
pg_dump and pg_restore commands to use instead and exits 1.")]
    Backup(BackupArgs),

    /// Replace the SQLite database with a backup, after checking the backup.
    #[command(long_about = "\
Replace the SQLite database with a backup made by `partnerdesk backup`. The backup is copied \
beside the database, migrated to this version's schema, and its audit chains are checked as \
`audit verify` does; only then does it replace the database. Refuses a file that is not a \
partnerdesk database or whose schema is newer than this version's, a database a running server \
has open, and a non-empty database unless --force. On PostgreSQL it prints the pg_restore \
command to use instead and exits 1.")]
    Restore(RestoreArgs),
}

/// `partnerdesk mail ...`.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// List the messages not sent yet: waiting for their next attempt, or parked.
    #[command(long_about = "\
List the messages of the mail outbox that are not sent yet, oldest first: when each was queued, \
its kind and recipient, how many attempts failed, when the next one is due (or that it is parked \
after the last), and the last error. Sent messages are not listed.")]
    List {
        /// At most this many.
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: u32,
    },
    /// Send a parked message (or every parked one) again, from a fresh count of attempts.
    #[command(long_about = "\
Make unsent mail due now, from a fresh count of attempts: the message ID (parked or still \
waiting, as `mail list` shows it), or with --all-parked every parked message. A running server's \
mail sender then sends it at its next run. Says how many; refuses an ID of no unsent message.")]
    Retry {
        /// The message, as `mail list` shows it.
        #[arg(
            value_name = "ID",
            required_unless_present = "all_parked",
            conflicts_with = "all_parked"
        )]
        id: Option<String>,
        /// Every parked message.
        #[arg(long)]
        all_parked: bool,
    },
}

/// Options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write. It must not exist yet, unless --force.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Replace PATH when it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Replace the database even when it already holds data.
    #[arg(long)]
    pub force: bool,
}

/// `partnerdesk audit ...`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every organisation's hash chain of audit records.
    #[command(long_about = "\
Check every organisation's hash chain of audit records: each record's hash against its contents \
and the record before it, the numbering, and the chain's head. Exits 0 when every chain holds and \
1 naming the first broken record and its organisation.")]
    Verify,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT. Port 0 picks a free port; the real address is printed.
    #[arg(
        long,
        env = "PARTNERDESK_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT"
    )]
    pub listen: String,

    /// Base URL users reach this server at; invitation links start with it.
    /// [default: http://<the address it listens on>]
    #[arg(long, env = "PARTNERDESK_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Seed the demo data set when the database has no partners yet, and print its users.
    #[arg(long)]
    pub demo: bool,

    /// E-mail of an operator admin to create on start when no user has it yet.
    /// Needs the password too.
    #[arg(long, env = "PARTNERDESK_ADMIN_EMAIL", value_name = "EMAIL")]
    pub admin_email: Option<String>,

    /// Password of that operator admin (at least 8 characters). Prefer the environment
    /// variable: a flag is visible to other users in the process list.
    #[arg(
        long,
        env = "PARTNERDESK_ADMIN_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<Secret>,

    /// Largest request body accepted, in bytes; a larger one is answered 413.
    #[arg(
        long,
        env = "PARTNERDESK_BODY_LIMIT",
        default_value_t = 1024 * 1024,
        value_name = "BYTES",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub body_limit: u64,

    /// Longest a request may run, in seconds; one still running then is answered 503.
    #[arg(
        long,
        env = "PARTNERDESK_REQUEST_TIMEOUT",
        default_value_t = 30,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub request_timeout: u64,

    /// Requests a minute that each tenant may make to each resource family (customers,
    /// orders, ...) on this node, as Partner Center; beyond it the answer is 429 with
    /// Retry-After. 0 turns the limit off.
    #[arg(
        long,
        env = "PARTNERDESK_RATE_LIMIT",
        default_value_t = 500,
        value_name = "PER_MINUTE"
    )]
    pub rate_limit: u32,

    /// Seconds between runs of the delegated admin job, which expires GDAP requests not
    /// approved in 90 days, expires or extends relationships at their end date and raises
    /// the 30-day expiry warning. Every node may run it; each change happens once. 0 turns
    /// it off on this node.
    #[arg(
        long,
        env = "PARTNERDESK_DELEGATED_ADMIN_JOB_INTERVAL",
        default_value_t = 60,
        value_name = "SECONDS"
    )]
    pub delegated_admin_job_interval: u64,

    /// The SMTP server mail is sent through: smtp://HOST:PORT (plain, e.g. a local relay),
    /// smtp://USER:PASSWORD@HOST:587?tls=required (STARTTLS) or smtps://USER:PASSWORD@HOST
    /// (TLS). Without it e-mail is off: the forgotten-password page says to ask an admin,
    /// and relationship requests give only their link. Logs never show its password.
    #[arg(long, env = "PARTNERDESK_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,

    /// The sender of every message, "partnerdesk@example.com" or
    /// "partnerdesk <partnerdesk@example.com>". Needed with --smtp-url.
    #[arg(long, env = "PARTNERDESK_SMTP_FROM", value_name = "ADDRESS")]
    pub smtp_from: Option<String>,

    /// Seconds between runs of the mail sender, which sends what the outbox holds and
    /// retries failed messages when they are due. Every node may run it; each message is
    /// sent once. 0 turns it off on this node.
    #[arg(long, env = "PARTNERDESK_MAIL_INTERVAL", default_value_t = 5, value_name = "SECONDS")]
    pub mail_interval: u64,
    /// Milliseconds between looks for webhook work (events to fan out, deliveries due).
    /// Every node may run the delivery worker; each delivery is taken by one node at a
    /// time. 0 turns it off on this node.
    #[arg(
        long,
        env = "PARTNERDESK_WEBHOOK_INTERVAL",
        default_value_t = 250,
        value_name = "MILLISECONDS"
    )]
    pub webhook_interval: u64,

    /// Let webhooks reach loopback, private, link-local and other internal addresses
    /// (refused by default, at registration and at every delivery).
    #[arg(long, env = "PARTNERDESK_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,

    /// Longest a webhook delivery request may take, connecting included, in seconds; a
    /// slower receiver's delivery is retried later.
    #[arg(
        long,
        env = "PARTNERDESK_WEBHOOK_TIMEOUT",
        default_value_t = 10,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub webhook_timeout: u64,
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Base URL the server will be reached at; demo invitation links start with it.
    #[arg(
        long,
        env = "PARTNERDESK_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        value_name = "URL"
    )]
    pub public_url: String,

    /// Also give the demo's direct partner (admin@contoso-partners.example) this many
    /// generated customers, English and Russian names mixed, to try search, paging and
    /// export at scale. Works on a database seeded before, too.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub more_customers: u32,

    /// Also write a data set of N customers for measuring: many partners with a long tail
    /// (the largest, admin@scale0001.example, has 40 % of them; password partnerdesk-demo),
    /// ten subscriptions per customer in mixed statuses, orders, GDAP relationships and
    /// audit history that `partnerdesk audit verify` holds. Customers are written a
    /// thousand per transaction. Once per database.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub scale: usize,
}

/// A database URL as given. Its `Debug` and `Display` hide the password.
#[derive(Clone)]
pub struct DatabaseUrlArg(String);

impl DatabaseUrlArg {
    /// The URL, password included, for the driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for DatabaseUrlArg {
    fn from(raw: String) -> Self {
        Self(raw)
    }
}

impl std::fmt::Display for DatabaseUrlArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

impl std::fmt::Debug for DatabaseUrlArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", redact_url(&self.0))
    }
}

/// A secret as given. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(raw: String) -> Self {
        Self(raw)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// `scheme://user:password@host/...` with the password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match split_password(url) {
        Some((before, after)) => format!("{before}:***{after}"),
        None => url.to_string(),
    }
}

/// `scheme://user:password@host/...` without its password, for a command to run.
pub fn url_without_password(url: &str) -> String {
    match split_password(url) {
        Some((before, after)) => format!("{before}{after}"),
        None => url.to_string(),
    }
}

/// The URL up to the user name and from the `@` after the password, when it has one.
fn split_password(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some((&url[..scheme_end + colon], &rest[at..]))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact_url("postgres://pd:s3cr%40t@db:5432/pd"),
            "postgres://pd:***@db:5432/pd"
        );
        assert_eq!(redact_url("postgres://pd@db/pd"), "postgres://pd@db/pd");
        assert_eq!(redact_url("postgres://db/pd?user=a@b"), "postgres://db/pd?user=a@b");
        assert_eq!(redact_url("sqlite://partnerdesk.db"), "sqlite://partnerdesk.db");
        assert_eq!(
            url_without_password("postgres://pd:s3cr%40t@db:5432/pd"),
            "postgres://pd@db:5432/pd"
        );
        assert_eq!(url_without_password("postgres://pd@db/pd"), "postgres://pd@db/pd");
        assert_eq!(
            format!("{:?}", DatabaseUrlArg::from("postgres://u:p@h/d".to_string())),
            "\"postgres://u:***@h/d\""
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let cli = Cli::parse_from([
            "partnerdesk",
            "serve",
            "--admin-email",
            "a@example.com",
            "--admin-password",
            "hunter22",
        ]);
        assert!(!format!("{cli:?}").contains("hunter22"));
    }
}
