//! The one-shot commands: `demo`, `check`, `user add`, `backup`, `restore`.

use anyhow::{bail, Context};
use app::store;
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

pub async fn demo(db: &Path, seed: u64) -> anyhow::Result<ExitCode> {
    let pool = store::open(db).await?;
    let mut tx = store::begin_write(&pool, &store::audit::Actor::CommandLine).await?;
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&mut *tx)
        .await?;
    if customers > 0 {
        bail!(
            "{} already has data; the demo fills only an empty database",
            db.display()
        );
    }
    let business = store::business::get_business(&mut tx).await?;
    store::business::update_business(
        &mut tx,
        "Brightwater Design Studio",
        business.base_currency,
        business.time_zone.name(),
    )
    .await?;
    let summary =
        store::demo::fill_demo(&mut tx, business.base_currency, business.today(), seed).await?;
    tx.commit().await.context("cannot save the demo data")?;
    println!(
        "Filled {}: {} customers, {} issued invoices ({} voided), {} drafts, {} payments, {} expenses, {} bills.",
        db.display(),
        summary.customers,
        summary.invoices,
        summary.voided,
        summary.drafts,
        summary.payments,
        summary.expenses,
        summary.bills
    );
    let mut conn = pool.acquire().await?;
    if store::users::count_users(&mut conn).await? == 0 {
        println!("No user yet: open the app to create the owner, or run `settle user add --db {} --email you@example.com`.", db.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `settle demo --scale N`: a synthetic book for benchmarks, in one transaction.
pub async fn generate(db: &Path, seed: u64, transactions: u64) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let pool = store::open(db).await?;
    let mut tx = store::begin_write(&pool, &store::audit::Actor::CommandLine).await?;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM journal_entries")
        .fetch_one(&mut *tx)
        .await?;
    if entries > 0 {
        bail!(
            "{} already has data; the generator fills only an empty database",
            db.display()
        );
    }
    // Row-by-row auditing would make this bulk load about two thirds slower (measured: 19.8 s
    // against 32.7 s for 100,000 transactions); one row records the load instead.
    store::audit::pause_for_bulk_load(
        &mut tx,
        &format!("benchmark data generated: {transactions} transactions, seed {seed}"),
    )
    .await?;
    let business = store::business::get_business(&mut tx).await?;
    let book = store::generate::generate_book(
        &mut tx,
        business.base_currency,
        transactions,
        business.today(),
        seed,
    )
    .await?;
    tx.commit()
        .await
        .context("cannot save the generated book")?;
    // Closing copies the write-ahead log into the database file and removes it, so the book
    // is one file of its real size and whoever opens it next does not inherit that work.
    pool.close().await;
    println!(
        "Generated {} in {:.1} s: {} journal entries, {} postings ({} invoices, {} payments, {} expenses, {} bills, {} bill payments).",
        db.display(),
        started.elapsed().as_secs_f64(),
        book.entries,
        book.postings,
        book.invoices,
        book.payments,
        book.expenses,
        book.bills,
        book.bill_payments
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn check(db: &Path) -> anyhow::Result<ExitCode> {
    if !db.exists() {
        bail!("{} does not exist", db.display());
    }
    let pool = store::open(db).await?;
    let mut conn = pool.acquire().await?;
    let problems = store::check::check_books(&mut conn).await?;
    if problems.is_empty() {
        println!("All checks passed: entries balance; receivables and payables match open invoices and bills; monthly and cash-basis balances match the ledger; numbers are gapless; posted records are protected.");
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        println!("- {problem}");
    }
    println!("{} problem(s) found.", problems.len());
    Ok(ExitCode::FAILURE)
}

pub async fn add_user(
    db: &Path,
    email: &str,
    role: &str,
    password_stdin: bool,
) -> anyhow::Result<ExitCode> {
    if !email.contains('@') {
        bail!("\"{email}\" is not an email address");
    }
    let password = read_password(password_stdin)?;
    if let Some(problem) = store::users::password_problem(&password) {
        bail!("password refused: {problem}");
    }
    let pool = store::open(db).await?;
    let mut tx = store::begin_write(&pool, &store::audit::Actor::CommandLine).await?;
    let id = store::users::create_user(&mut tx, email, &password, role)
        .await
        .context("cannot add the user (is the email already used?)")?;
    tx.commit().await?;
    println!("Added {role} {email} (user {id}).");
    Ok(ExitCode::SUCCESS)
}

/// Makes an API token for the user with `email` and prints its secret.
pub async fn create_token(
    db: &Path,
    email: &str,
    scope: &str,
    name: &str,
) -> anyhow::Result<ExitCode> {
    use app::api::api_tokens::{make_token, TokenScope};
    let Some(scope) = TokenScope::parse(scope) else {
        bail!("the scope is read or write");
    };
    let pool = crate::backup::open_existing(db).await?;
    let mut conn = pool.acquire().await?;
    let owner = store::api_tokens::owner_by_email(&mut conn, email).await?;
    drop(conn);
    let Some((user, disabled)) = owner else {
        bail!("no user has the email {email}");
    };
    let (user_id, role) = (user.id, user.role);
    if disabled {
        bail!("{email} is disabled; their tokens would not work");
    }
    if scope == TokenScope::Write && role == "viewer" {
        bail!("{email} is a viewer and can only read; make a read token");
    }
    let made = make_token(
        &pool,
        &store::audit::Actor::CommandLine,
        user_id,
        name,
        scope,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "Made {} token {} for {email} ({role}); keep it secret, it is not shown again:",
        scope.key(),
        made.token.id
    );
    println!("{}", made.secret);
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(db: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let pool = crate::backup::open_existing(db).await?;
    let summary = crate::backup::backup_to(&pool, out).await?;
    println!(
        "Backed up {} to {} in {:.1} s: {} journal entries, {} bytes, checked.",
        db.display(),
        summary.path.display(),
        started.elapsed().as_secs_f64(),
        summary.entries,
        summary.bytes
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(db: &Path, backup: &Path) -> anyhow::Result<ExitCode> {
    let kept = crate::backup::restore(backup, db).await?;
    // Opening migrates a backup taken by an older version and proves the file works.
    store::open(db).await?.close().await;
    println!("Restored {} from {}.", db.display(), backup.display());
    if let Some(kept) = kept {
        println!("The database it replaced is kept as {}.", kept.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn reset_password(
    db: &Path,
    email: &str,
    password_stdin: bool,
) -> anyhow::Result<ExitCode> {
    let password = read_password(password_stdin)?;
    if let Some(problem) = store::users::password_problem(&password) {
        bail!("password refused: {problem}");
    }
    let pool = crate::backup::open_existing(db).await?;
    let mut tx = store::begin_write(&pool, &store::audit::Actor::CommandLine).await?;
    let Some(id) = store::users::reset_password(&mut tx, email, &password).await? else {
        bail!("no user has the email {email}");
    };
    tx.commit().await?;
    println!("New password set for {email} (user {id}); all their sessions are ended.");
    Ok(ExitCode::SUCCESS)
}

/// A new password, from standard input (scripts) or typed twice at a prompt.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    Ok(if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the passwords differ");
        }
        first
    })
}
