//! What each subcommand does. Every function takes the parsed options and passes plain
//! values on; nothing reads configuration from anywhere else.

use std::io::IsTerminal;

use anyhow::{bail, Context};
use partnerdesk_app::audit_log::Verification;
use partnerdesk_app::mail::{MailConfig, SmtpUrl};
use partnerdesk_app::webhooks::WebhookConfig;
use partnerdesk_app::{App, AppConfig, AppError, PasswordCost};
use partnerdesk_domain::MailId;
use partnerdesk_store::{DatabaseUrl, Store};
use tokio::net::TcpListener;

use crate::cli::{DemoArgs, GlobalArgs, Secret, ServeArgs};
use crate::demo;
use crate::scale;

/// How long a relationship request stays open.
const REQUEST_TTL_DAYS: i64 = 90;

/// Starts the log writer (stderr, so stdout stays for what the commands print).
pub fn init_logging(filter: &str) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .with_context(|| format!("invalid log filter {filter:?} (try --log info)"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))
}

/// `partnerdesk serve`.
pub async fn serve(global: GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let admin = admin_credentials(args.admin_email, args.admin_password)?;
    let public_url = args.public_url.as_deref().map(parse_public_url).transpose()?;
    let store = open_store(&global).await?;
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener
        .local_addr()
        .context("cannot read the address the server listens on")?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{addr}"));
    let mail = mail_config(args.smtp_url.as_ref(), args.smtp_from.as_deref())?;
    match &mail {
        Some(m) => tracing::info!(smtp = %m.smtp_url, from = %m.from, "mail is on"),
        None => tracing::info!("mail is off (no --smtp-url)"),
    }
    let config = AppConfig {
        mail,
        webhooks: WebhookConfig {
            allow_private: args.webhook_allow_private,
            timeout: std::time::Duration::from_secs(args.webhook_timeout),
        },
        ..app_config(public_url.clone())
    };
    let app = App::new(store, config);

    if let Some((email, password)) = admin {
        let created = app
            .ensure_operator_admin(&email, password.expose())
            .await
            .with_context(|| format!("cannot create the operator admin {email}"))?;
        if created {
            tracing::info!(%email, "created the operator admin");
        }
    }
    if args.demo {
        seed_demo(&app).await?;
    }

    let job = (args.delegated_admin_job_interval > 0).then(|| {
        tokio::spawn(delegated_admin_job(
            app.clone(),
            std::time::Duration::from_secs(args.delegated_admin_job_interval),
        ))
    });
    let sender = (app.mail_enabled() && args.mail_interval > 0).then(|| {
        tokio::spawn(mail_sender(
            app.clone(),
            std::time::Duration::from_secs(args.mail_interval),
        ))
    });
    let webhooks = (args.webhook_interval > 0).then(|| {
        tokio::spawn(webhook_worker(
            app.clone(),
            std::time::Duration::from_millis(args.webhook_interval),
        ))
    });
    let database = app.backend_name();
    let http_config = partnerdesk_http::HttpConfig {
        public_url: public_url.clone(),
        body_limit: usize::try_from(args.body_limit).unwrap_or(usize::MAX),
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        rate_limit_per_minute: args.rate_limit,
        webhook_worker: args.webhook_interval > 0,
    };
    let router = partnerdesk_http::router(app, http_config);
    let shutdown = shutdown_signal()?;
    println!("partnerdesk listening on http://{addr}");
    tracing::info!(%addr, %public_url, database, "serving");
    partnerdesk_http::serve(listener, router, shutdown)
        .await
        .context("the server failed")?;
    for task in [job, sender, webhooks].into_iter().flatten() {
        task.abort();
    }
    tracing::info!("stopped");
    Ok(())
}

/// Runs the delegated admin job every `every`, first at once (catching up after downtime).
/// A failed run is logged and retried at the next tick.
async fn delegated_admin_job(app: App, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.run_delegated_admin_job().await {
            Ok(report) if report.total() > 0 => tracing::info!(
                requests_expired = report.requests_expired,
                expired = report.expired,
                extended = report.extended,
                warned = report.warned,
                "delegated admin job"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, code = e.code(), "delegated admin job failed"),
        }
    }
}

/// Runs the mail sender every `every`. A failed run is logged and retried at the next tick;
/// a message that fails waits for its own next attempt.
async fn mail_sender(app: App, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.send_mail().await {
            Ok(r) if r.sent + r.failed + r.parked > 0 => {
                tracing::info!(sent = r.sent, failed = r.failed, parked = r.parked, "mail sender")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, code = e.code(), "mail sender failed"),
        }
    }
}

/// Runs the webhook worker every `every`: fans out new events and sends what is due. A
/// failed run is logged and tried again at the next tick.
async fn webhook_worker(app: App, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.run_webhook_deliveries().await {
            Ok(r) if r.delivered + r.failed + r.parked > 0 => tracing::info!(
                queued = r.queued,
                delivered = r.delivered,
                failed = r.failed,
                parked = r.parked,
                "webhooks"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, code = e.code(), "webhook worker failed"),
        }
    }
}

/// The mail settings from `--smtp-url` and `--smtp-from`: none without a URL.
fn mail_config(url: Option<&Secret>, from: Option<&str>) -> anyhow::Result<Option<MailConfig>> {
    let Some(url) = url else {
        return Ok(None);
    };
    let url = SmtpUrl::parse(url.expose()).map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?;
    let Some(from) = from else {
        bail!("--smtp-url needs --smtp-from (or PARTNERDESK_SMTP_FROM), the sender of every message, e.g. partnerdesk@example.com");
    };
    Ok(Some(
        MailConfig::new(url, from).map_err(|e| anyhow::anyhow!("--smtp-from: {e}"))?,
    ))
}

/// `partnerdesk mail list`.
pub async fn mail_list(global: GlobalArgs, limit: u32) -> anyhow::Result<()> {
    let store = open_store(&global).await?;
    let app = App::new(store, app_config(String::new()));
    let mails = app.unsent_mail(limit).await.context("cannot read the mail outbox")?;
    if mails.is_empty() {
        println!("no mail waiting: everything queued was sent");
        return Ok(());
    }
    for m in mails {
        let state = match m.parked_at {
            Some(at) => format!("parked {}", at.format("%Y-%m-%d %H:%M:%S")),
            None => format!("next attempt {}", m.next_attempt_at.format("%Y-%m-%d %H:%M:%S")),
        };
        println!(
            "{}  {}  {:<22} {}  attempts {}  {}{}",
            m.created_at.format("%Y-%m-%d %H:%M:%S"),
            m.id,
            m.kind.as_str(),
            m.recipient,
            m.attempts,
            state,
            m.last_error.map(|e| format!("  last error: {e}")).unwrap_or_default(),
        );
    }
    Ok(())
}

/// `partnerdesk mail retry ID | --all-parked`.
pub async fn mail_retry(global: GlobalArgs, id: Option<String>) -> anyhow::Result<()> {
    let only = match id.as_deref() {
        None => None,
        Some(text) => Some(
            text.trim()
                .parse::<MailId>()
                .map_err(|_| anyhow::anyhow!("{text} is not a message id (see `partnerdesk mail list`)"))?,
        ),
    };
    let store = open_store(&global).await?;
    let app = App::new(store, app_config(String::new()));
    match app.retry_mail(only).await {
        Ok(n) => {
            match only {
                Some(id) => println!("message {id} will be sent again: it is due now"),
                None if n == 0 => println!("no parked mail: nothing to retry"),
                None => println!("{n} parked message(s) will be sent again: they are due now"),
            }
            Ok(())
        }
        Err(AppError::NotFound(_)) => bail!(
            "no unsent message has the id {}: it is unknown or was sent already (see `partnerdesk mail list`)",
            only.map(|id| id.to_string()).unwrap_or_default()
        ),
        Err(e) => Err(e).context("cannot retry mail"),
    }
}

/// `partnerdesk migrate`.
pub async fn migrate(global: GlobalArgs) -> anyhow::Result<()> {
    let store = open_store(&global).await?;
    println!(
        "{} database {} is migrated: done",
        store.backend_name(),
        global.database_url
    );
    Ok(())
}

/// `partnerdesk audit verify`: fails (exit 1) naming the first broken record.
pub async fn audit_verify(global: GlobalArgs) -> anyhow::Result<()> {
    let store = open_store(&global).await?;
    let app = App::new(store, app_config(String::new()));
    match app.verify_audit().await.context("cannot read the audit log")? {
        Verification::Holds { records } => {
            println!("audit log holds: {records} chained records checked");
            Ok(())
        }
        Verification::Broken(broken) => bail!("audit chain broken at {broken}"),
    }
}

/// `partnerdesk demo`.
pub async fn demo(global: GlobalArgs, args: DemoArgs) -> anyhow::Result<()> {
    let public_url = parse_public_url(&args.public_url)?;
    let store = open_store(&global).await?;
    let app = App::new(store.clone(), app_config(public_url.clone()));
    seed_demo(&app).await?;
    if args.more_customers > 0 {
        // The generated customers' admins get random passwords nobody signs in with, so
        // they are hashed at the fast cost: 100,000 customers take minutes, not hours.
        let bulk = App::new(store.clone(), fast_config(public_url.clone()));
        let added = demo::add_generated_customers(&bulk, args.more_customers).await?;
        println!("added {added} generated customers to Contoso Cloud Partners");
    }
    if args.scale > 0 {
        let bulk = App::new(store.clone(), fast_config(public_url.clone()));
        let started = std::time::Instant::now();
        let r = scale::generate(&bulk, &store, args.scale).await?;
        println!(
            "wrote {} customers over {} partners (the largest has {}), {} orders, {} subscriptions, \
             {} GDAP relationships and {} audit records in {:.1} s",
            r.customers,
            r.partners,
            r.largest,
            r.orders,
            r.subscriptions,
            r.gdap,
            r.audit_records,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The app for generated data: passwords hashed at the fast cost (the generated users' are
/// the demo's, and hashing thousands at the default cost takes hours).
fn fast_config(public_url: String) -> AppConfig {
    AppConfig {
        password_cost: PasswordCost::Fast,
        ..app_config(public_url)
    }
}

pub(crate) fn app_config(public_url: String) -> AppConfig {
    AppConfig {
        public_url,
        request_ttl_days: REQUEST_TTL_DAYS,
        password_cost: PasswordCost::Default,
        ..AppConfig::default()
    }
}

/// Opens and migrates the database named by `--database-url`.
async fn open_store(global: &GlobalArgs) -> anyhow::Result<Store> {
    let url = DatabaseUrl::parse(global.database_url.expose())?;
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", global.database_url))
}

/// The operator admin to ensure: both e-mail and password, or neither.
fn admin_credentials(email: Option<String>, password: Option<Secret>) -> anyhow::Result<Option<(String, Secret)>> {
    match (email, password) {
        (Some(email), Some(password)) => Ok(Some((email, password))),
        (None, None) => Ok(None),
        (Some(_), None) => bail!(
            "PARTNERDESK_ADMIN_EMAIL is set but PARTNERDESK_ADMIN_PASSWORD is not: set both to create the operator \
             admin, or neither"
        ),
        (None, Some(_)) => bail!(
            "PARTNERDESK_ADMIN_PASSWORD is set but PARTNERDESK_ADMIN_EMAIL is not: set both to create the operator \
             admin, or neither"
        ),
    }
}

/// A base URL without its trailing slash; only http and https.
fn parse_public_url(raw: &str) -> anyhow::Result<String> {
    let url = raw.trim().trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() => Ok(url.to_string()),
        _ => bail!("invalid public URL {raw:?}: give the base URL users reach this server at, e.g. https://partners.example.com"),
    }
}

/// Seeds the demo data set and prints its users, or says why it did not.
async fn seed_demo(app: &App) -> anyhow::Result<()> {
    match demo::seed(app).await.context("cannot seed the demo data")? {
        Some(report) => report.print(),
        None => println!("the database already has partners; demo data not added"),
    }
    Ok(())
}

/// Listens for Ctrl-C and SIGTERM from now on, and completes on either. The handlers are
/// installed here, before the address is printed, so a signal sent as soon as a supervisor
/// (or a test) reads the address is not missed: until a handler exists, SIGTERM would end the
/// process without a graceful shutdown.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?,
            signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
        )
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_lose_their_trailing_slash() {
        assert_eq!(
            parse_public_url("https://partners.example.com/").ok().as_deref(),
            Some("https://partners.example.com")
        );
        assert_eq!(
            parse_public_url("http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(parse_public_url("partners.example.com").is_err());
        assert!(parse_public_url("https://").is_err());
    }

    #[test]
    fn an_admin_needs_both_email_and_password() {
        let password = || Some(Secret::from("a long secret".to_string()));
        assert!(admin_credentials(None, None).is_ok_and(|a| a.is_none()));
        assert!(admin_credentials(Some("a@example.com".into()), password()).is_ok_and(|a| a.is_some()));
        assert!(admin_credentials(Some("a@example.com".into()), None).is_err());
        assert!(admin_credentials(None, password()).is_err());
    }
}
