//! The command line: `serve` (the default), `demo`, `check`, `user add`.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "settle",
    version,
    about = "Invoices, payments and books in one place"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web app (the default).
    Serve(ServeArgs),
    /// Fill a database with a believable year of a small studio's business.
    Demo {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        /// The same seed gives the same books.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Verify every bookkeeping invariant; exits non-zero when any is violated.
    Check {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user (the first one is usually the owner); asks for the password.
    Add {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "owner", value_parser = ["owner", "bookkeeper", "viewer"])]
        role: String,
        /// Read the password from the first line of standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The SQLite database file; created and migrated on first start.
    #[arg(
        long,
        env = "SETTLE_DB",
        default_value = "settle.sqlite",
        global = false
    )]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "SETTLE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => crate::startup::serve(cli.serve)
            .await
            .map(|_| ExitCode::SUCCESS),
        Some(Command::Serve(args)) => crate::startup::serve(args).await.map(|_| ExitCode::SUCCESS),
        Some(Command::Demo { db, seed }) => crate::commands::demo(&db, seed).await,
        Some(Command::Check { db }) => crate::commands::check(&db).await,
        Some(Command::User(UserCommand::Add {
            db,
            email,
            role,
            password_stdin,
        })) => crate::commands::add_user(&db, &email, &role, password_stdin).await,
    }
}
