//! The `partnerdesk` binary. `main` parses the command line and dispatches; each
//! subcommand lives in [`commands`].

mod backup;
mod cli;
mod commands;
mod demo;
mod scale;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{AuditCommand, Cli, Command, MailCommand};

#[tokio::main]
async fn main() -> ExitCode {
    let Cli { global, command } = Cli::parse();
    let result = match commands::init_logging(&global.log) {
        Err(e) => Err(e),
        Ok(()) => match command {
            Command::Serve(args) => commands::serve(global, args).await,
            Command::Migrate => commands::migrate(global).await,
            Command::Demo(args) => commands::demo(global, args).await,
            Command::Audit(AuditCommand::Verify) => commands::audit_verify(global).await,
            Command::Mail(MailCommand::List { limit }) => commands::mail_list(global, limit).await,
            Command::Mail(MailCommand::Retry { id, .. }) => commands::mail_retry(global, id).await,
            Command::Backup(args) => backup::backup(global, args).await,
            Command::Restore(args) => backup::restore(global, args).await,
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("partnerdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}
