//! `settle import`: a bank statement file imported from the command line, for scripts. It
//! prints what the web preview shows; without `--dry-run` it saves the new lines and confirms
//! the matches that are unambiguous and of high confidence, and nothing else.

use anyhow::{bail, Context};
use app::domain::bank_matching::{Confidence, OpenItem, Proposal};
use app::domain::bank_statement::CsvProfile;
use app::domain::Currency;
use app::store::bank_import::{self as bank, BankLine, LineState};
use app::store::bank_preview::{read_statement, settings_from_profile};
use app::store::{self, bank_accounts, business};
use std::path::Path;
use std::process::ExitCode;

/// What the command was asked to do.
pub struct ImportRequest<'a> {
    pub db: &'a Path,
    pub bank_account: &'a str,
    pub file: &'a Path,
    pub dry_run: bool,
    pub profile: Option<&'a Path>,
}

pub async fn import(request: ImportRequest<'_>) -> anyhow::Result<ExitCode> {
    if !request.db.exists() {
        bail!("{} does not exist", request.db.display());
    }
    let bytes = std::fs::read(request.file)
        .with_context(|| format!("cannot read {}", request.file.display()))?;
    let profile = match request.profile {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let profile: CsvProfile = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a CSV profile", path.display()))?;
            Some(settings_from_profile(&profile))
        }
        None => None,
    };
    let pool = store::open(request.db).await?;
    let mut conn = pool.acquire().await?;
    let currency = business::get_business(&mut conn).await?.base_currency;
    let Some(account) = bank_accounts::by_name(&mut conn, request.bank_account).await? else {
        bail!(
            "there is no bank account named \"{}\"",
            request.bank_account
        );
    };
    let reading = read_statement(&mut conn, account.id, &bytes, profile.as_ref(), currency).await?;
    let preview = &reading.preview;
    if let Some(statement) = reading
        .statement
        .as_ref()
        .filter(|_| preview.problems.is_empty())
    {
        print_summary(request.file, preview, statement.profile.as_ref());
    } else {
        println!("{}: refused, nothing imported:", request.file.display());
        for problem in &preview.problems {
            println!("  {problem}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let Some(statement) = reading.statement else {
        return Ok(ExitCode::FAILURE);
    };
    let open = bank::open_items(&mut conn, currency).await?;
    if request.dry_run {
        dry_run(&preview.lines, &open);
        println!("Dry run: nothing was saved.");
        return Ok(ExitCode::SUCCESS);
    }
    drop(conn);
    let digest = bank::file_digest(&bytes);
    let file_name = request
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tx = store::begin_write(&pool, &store::audit::Actor::CommandLine).await?;
    let outcome = bank::import_statement(
        &mut tx,
        account.id,
        &file_name,
        &digest,
        "command line",
        &statement,
        currency,
    )
    .await?;
    if let Some(profile) = &statement.profile {
        bank::save_profile(&mut tx, account.id, profile).await?;
    }
    tx.commit().await?;
    println!(
        "Imported {} new lines into {}; skipped {} already imported.",
        outcome.imported, account.name, outcome.skipped
    );
    let Some(statement_id) = outcome.statement_id else {
        return Ok(ExitCode::SUCCESS);
    };
    let confirmed = confirm_sure_matches(&pool, statement_id, currency).await?;
    println!("Confirmed {confirmed} payments; the other lines wait in the web app's Bank page.");
    Ok(ExitCode::SUCCESS)
}

fn print_summary(
    file: &Path,
    preview: &app::api::bank_types::StatementPreview,
    profile: Option<&CsvProfile>,
) {
    println!(
        "{}: {} ({}), {} lines: {} new, {} already imported",
        file.display(),
        preview.format,
        preview.encoding,
        preview.lines.len(),
        preview.new_lines,
        preview.known_lines
    );
    if let Some(profile) = profile {
        // The profile in the form `--profile` reads, to save and adjust.
        println!(
            "CSV profile: {}",
            serde_json::to_string(profile).unwrap_or_default()
        );
    }
    for line in preview.balances.iter().chain(&preview.notices) {
        println!("{line}");
    }
    if preview.balance_mismatch {
        println!("Warning: the statement's balances do not add up; check the file.");
    }
}

fn verdict(proposal: &Proposal) -> &'static str {
    match proposal.confidence {
        Confidence::High => "high confidence: would be confirmed",
        Confidence::Medium => "medium confidence: left for review",
        Confidence::Low => "low confidence: left for review",
    }
}

fn dry_run(lines: &[app::api::bank_types::PreviewLine], open: &[OpenItem]) {
    for (i, line) in lines.iter().enumerate() {
        let state = if line.known { "known" } else { "new  " };
        let pseudo = BankLine {
            id: -(i as i64) - 1,
            bank_account_id: 0,
            booking_date: line.date,
            amount: line.amount,
            description: line.text.clone(),
            counterparty: String::new(),
            references: String::new(),
            state: LineState::Unmatched,
            payment_id: None,
            entry_id: None,
        };
        let proposal = if line.known {
            None
        } else {
            bank::proposals(&pseudo, open).into_iter().next()
        };
        println!(
            "{state} {} {:>12}  {}{}",
            line.date,
            line.amount.amount(),
            line.text,
            proposal
                .map(|p| format!("\n      -> {}, {}", describe(&p, open), verdict(&p)))
                .unwrap_or_default()
        );
    }
}

/// A proposal in words: "INV-0001 50.00 + INV-0002 70.00 (Harbor Ltd)".
fn describe(proposal: &Proposal, open: &[OpenItem]) -> String {
    let parts: Vec<String> = proposal
        .allocations
        .iter()
        .map(|(invoice, amount)| {
            let number = open
                .iter()
                .find(|o| o.invoice == *invoice)
                .map(|o| o.number.as_str())
                .unwrap_or("?");
            format!("{number} {}", amount.amount())
        })
        .collect();
    let name = open
        .iter()
        .find(|o| o.customer == proposal.customer)
        .map(|o| o.customer_name.as_str())
        .unwrap_or("?");
    format!("{} ({name})", parts.join(" + "))
}

/// Confirms each new incoming line whose best proposal is of high confidence (the matcher
/// never rates two proposals of one line high), each in its own transaction.
async fn confirm_sure_matches(
    pool: &sqlx::SqlitePool,
    statement_id: i64,
    currency: Currency,
) -> anyhow::Result<usize> {
    let mut confirmed = 0;
    let mut conn = pool.acquire().await?;
    let lines = bank::statement_lines(&mut conn, statement_id, currency).await?;
    let mut open = bank::open_items(&mut conn, currency).await?;
    drop(conn);
    for line in lines.iter().filter(|l| l.amount.is_positive()) {
        // Most lines have no sure match: only those that do take the write lock.
        let sure = |open: &[OpenItem]| {
            bank::proposals(line, open)
                .into_iter()
                .next()
                .filter(|p| p.confidence == Confidence::High)
        };
        if sure(&open).is_none() {
            continue;
        }
        let mut tx = store::begin_write(pool, &store::audit::Actor::CommandLine).await?;
        // Read again inside the write transaction: the web app may have changed what is open.
        open = bank::open_items(&mut tx, currency).await?;
        let Some(best) = sure(&open) else {
            continue;
        };
        let said = describe(&best, &open);
        match bank::confirm_line(&mut tx, line.id, best.customer, &best.allocations, currency).await
        {
            Ok(payment) => {
                open = bank::open_items(&mut tx, currency).await?;
                tx.commit().await?;
                confirmed += 1;
                println!(
                    "Confirmed {} {} as payment {}: {}",
                    line.booking_date,
                    line.amount.amount(),
                    payment.0,
                    said
                );
            }
            Err(e) => println!(
                "Left {} {} for review: {e}",
                line.booking_date,
                line.amount.amount()
            ),
        }
    }
    Ok(confirmed)
}
