//! The command line: `serve` (the default), `demo`, `check`, `user add`, `token create`,
//! `report`, `export`,
//! `backup`, `restore`, `import`.

use crate::reporting::{OutputFormat, ReportKind};
use app::domain::Basis;
use chrono::NaiveDate;
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
        /// Instead of the studio's year, a synthetic book of this many transactions over three
        /// years (about three postings each), for benchmarks.
        #[arg(long)]
        scale: Option<u64>,
    },
    /// Verify every bookkeeping invariant; exits non-zero when any is violated.
    Check {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens for the HTTP API (/api/v1).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print a statement: trial balance, profit and loss or balance sheet.
    Report {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(value_enum)]
        report: ReportKind,
        /// First day of the period (profit and loss); default: the beginning.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day of the period, or the day balances are taken at; default: today.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, default_value = "accrual", value_parser = ["accrual", "cash"])]
        basis: String,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Time Settle's reports on a database (for the benchmark suite); prints JSON.
    #[command(hide = true)]
    Bench {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// The year whose profit and loss and month-end bank balances are timed; default: the
        /// year before the last entry.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write a consistent, checked copy of the database (safe while the server runs).
    Backup {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        /// The backup file to create; it must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup in place of the database (stop the server first); the replaced file is
    /// kept beside it.
    Restore {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        /// The backup file to restore.
        backup: PathBuf,
    },
    /// Import a bank statement file (CSV, OFX/QFX, camt.053, MT940) into a bank account.
    ///
    /// Prints the file's format, its lines (new or already imported), the balance check and
    /// the proposed matches. Without --dry-run it saves the new lines (lines imported before
    /// are recognised and skipped, so running it twice on one file adds nothing), saves the
    /// CSV profile for the bank account, and confirms as payments only the matches of high
    /// confidence that no other proposal rivals; every other line is left for review in the
    /// web app's Bank page. A file with any bad line is refused whole.
    Import {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        /// The bank account's name, as on the Bank page (the first one is "Bank").
        #[arg(long)]
        bank_account: String,
        /// Print what would be imported and matched; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read a CSV with this profile (JSON, as printed by --dry-run) instead of the bank
        /// account's saved profile or detection.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// The statement file.
        file: PathBuf,
    },
    /// Write the whole ledger for hledger/ledger, beancount or a spreadsheet.
    Export {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(long, value_parser = ["hledger", "ledger", "beancount", "csv"])]
        format: String,
        /// The file to write; default: standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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
    /// Set a new password for a user (who forgot theirs) and end all their sessions.
    ResetPassword {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Make a token for a user and print it (it is shown only this once).
    Create {
        #[arg(long, env = "SETTLE_DB", default_value = "settle.sqlite")]
        db: PathBuf,
        #[arg(long)]
        email: String,
        /// read: GET only; write: also changes, if the user is the owner or a bookkeeper.
        #[arg(long, value_parser = ["read", "write"])]
        scope: String,
        /// What will use the token, to recognise it in the list later.
        #[arg(long, default_value = "command line")]
        name: String,
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
    /// Folder for the daily backups; default: `<db>-backups` beside the database.
    #[arg(long, env = "SETTLE_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// How many daily backups to keep; 0 turns daily backups off.
    #[arg(long, env = "SETTLE_BACKUP_KEEP", default_value_t = 14)]
    pub backup_keep: usize,
    /// Seconds between looks at whether a daily backup is due.
    #[arg(long, default_value_t = 3600, hide = true)]
    pub backup_check_secs: u64,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => crate::startup::serve(cli.serve)
            .await
            .map(|_| ExitCode::SUCCESS),
        Some(Command::Serve(args)) => crate::startup::serve(args).await.map(|_| ExitCode::SUCCESS),
        Some(Command::Demo {
            db,
            seed,
            scale: None,
        }) => crate::commands::demo(&db, seed).await,
        Some(Command::Demo {
            db,
            seed,
            scale: Some(transactions),
        }) => crate::commands::generate(&db, seed, transactions).await,
        Some(Command::Check { db }) => crate::commands::check(&db).await,
        Some(Command::User(UserCommand::Add {
            db,
            email,
            role,
            password_stdin,
        })) => crate::commands::add_user(&db, &email, &role, password_stdin).await,
        Some(Command::User(UserCommand::ResetPassword {
            db,
            email,
            password_stdin,
        })) => crate::commands::reset_password(&db, &email, password_stdin).await,
        Some(Command::Token(TokenCommand::Create {
            db,
            email,
            scope,
            name,
        })) => crate::commands::create_token(&db, &email, &scope, &name).await,
        Some(Command::Report {
            db,
            report,
            from,
            to,
            basis,
            format,
        }) => {
            let basis = Basis::parse(&basis).unwrap_or_default();
            crate::reporting::report(&db, report, from, to, basis, format).await
        }
        Some(Command::Bench { db, runs, year }) => crate::bench::bench(&db, runs, year).await,
        Some(Command::Backup { db, out }) => crate::commands::backup(&db, &out).await,
        Some(Command::Restore { db, backup }) => crate::commands::restore(&db, &backup).await,
        Some(Command::Import {
            db,
            bank_account,
            dry_run,
            profile,
            file,
        }) => {
            crate::bank_import::import(crate::bank_import::ImportRequest {
                db: &db,
                bank_account: &bank_account,
                file: &file,
                dry_run,
                profile: profile.as_deref(),
            })
            .await
        }
        Some(Command::Export { db, format, out }) => {
            crate::reporting::export(&db, &format, out.as_deref()).await
        }
    }
}
