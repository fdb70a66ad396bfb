//! Bank statement import: preview a file, import its new lines, confirm a proposed match as a
//! payment, book a line to an account, ignore a line.

use super::bank_types::{
    BankAccountOption, BankLinesPage, ImportResult, ReconciliationView, StatementPreview,
    StatementUpload,
};
use super::error::AppError;
use crate::domain::{CustomerId, InvoiceId, PaymentId};
use leptos::prelude::*;
use server_fn::codec::Json;

/// The largest statement file read, in bytes (a 10,000-line CSV is about 1 MB).
pub const MAX_STATEMENT_BYTES: usize = 8 * 1024 * 1024;

/// The bank accounts a statement can be imported into.
#[server(endpoint = "list_bank_import_accounts", input = Json)]
pub async fn list_bank_import_accounts() -> Result<Vec<BankAccountOption>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let accounts = crate::store::bank_accounts::list(&mut conn)
        .await
        .map_err(internal)?;
    Ok(accounts
        .into_iter()
        .filter(|a| !a.archived)
        .map(|a| BankAccountOption {
            id: a.id,
            name: a.name,
            account_code: a.account_code,
        })
        .collect())
}

/// Reads a statement file for a bank account and shows what importing it would do; saves
/// nothing.
#[server(endpoint = "preview_statement", input = Json)]
pub async fn preview_statement(upload: StatementUpload) -> Result<StatementPreview, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, _) = require_writer().await?;
    let currency = business(&state).await?.base_currency;
    let bytes = server::decode(&upload)?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    server::account(&mut conn, upload.bank_account_id).await?;
    let reading = crate::store::bank_preview::read_statement(
        &mut conn,
        upload.bank_account_id,
        &bytes,
        upload.csv.as_ref(),
        currency,
    )
    .await
    .map_err(internal)?;
    Ok(reading.preview)
}

/// Imports the file's lines the bank account does not hold yet, and saves the CSV settings as
/// the account's profile. A file with any problem is refused whole.
#[server(endpoint = "import_statement", input = Json)]
pub async fn import_statement(upload: StatementUpload) -> Result<ImportResult, AppError> {
    use super::context::{business, internal, require_writer};
    use crate::store::{bank_import, bank_preview, begin_write};
    let (state, user) = require_writer().await?;
    let currency = business(&state).await?.base_currency;
    let bytes = server::decode(&upload)?;
    let mut tx = begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    server::account(&mut tx, upload.bank_account_id).await?;
    let reading = bank_preview::read_statement(
        &mut tx,
        upload.bank_account_id,
        &bytes,
        upload.csv.as_ref(),
        currency,
    )
    .await
    .map_err(internal)?;
    let Some(statement) = reading.statement else {
        return Err(AppError::invalid(
            "file",
            reading.preview.problems.join("; "),
        ));
    };
    let outcome = bank_import::import_statement(
        &mut tx,
        upload.bank_account_id,
        &upload.file_name,
        &bank_import::file_digest(&bytes),
        &user.email,
        &statement,
        currency,
    )
    .await
    .map_err(server::error)?;
    if let Some(profile) = &statement.profile {
        bank_import::save_profile(&mut tx, upload.bank_account_id, profile)
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    state.publish("bank");
    tracing::info!(
        bank_account = upload.bank_account_id,
        imported = outcome.imported,
        skipped = outcome.skipped,
        "bank statement imported"
    );
    Ok(ImportResult {
        imported: outcome.imported,
        skipped: outcome.skipped,
    })
}

/// A bank account's imported lines, newest first, with the proposed matches and rules.
#[server(endpoint = "list_bank_lines", input = Json)]
pub async fn list_bank_lines(bank_account_id: i64) -> Result<BankLinesPage, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    server::lines_page(&mut conn, bank_account_id, currency)
        .await
        .map_err(internal)
}

/// Confirms that an incoming line pays these invoices of this customer: records the payment
/// (once, however often this is sent) and links the line to it.
#[server(endpoint = "confirm_bank_line", input = Json)]
pub async fn confirm_bank_line(
    line_id: i64,
    customer_id: CustomerId,
    invoices: Vec<(InvoiceId, String)>,
) -> Result<PaymentId, AppError> {
    use super::context::{business, internal, require_writer};
    use super::{parse, FieldErrors};
    let (state, user) = require_writer().await?;
    let currency = business(&state).await?.base_currency;
    let mut errors = FieldErrors::default();
    let allocations: Vec<(InvoiceId, crate::domain::Money)> = invoices
        .iter()
        .filter_map(|(id, text)| {
            parse::money(&mut errors, &format!("allocation.{id}"), text, currency).map(|m| (*id, m))
        })
        .collect();
    errors.into_result()?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let payment = crate::store::bank_import::confirm_line(
        &mut tx,
        line_id,
        customer_id,
        &allocations,
        currency,
    )
    .await
    .map_err(server::error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("payment");
    tracing::info!(line = line_id, payment = payment.0, "bank line confirmed");
    Ok(payment)
}

/// Books a line to an account (an expense for money out, other income for money in) and
/// learns the rule "text contains X → this account".
#[server(endpoint = "book_bank_line", input = Json)]
pub async fn book_bank_line(line_id: i64, account_code: String) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let currency = business(&state).await?.base_currency;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let entry = crate::store::bank_import::book_line(
        &mut tx,
        line_id,
        &crate::domain::AccountCode::new(account_code.trim()),
        currency,
    )
    .await
    .map_err(server::error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("bank");
    Ok(entry)
}

/// Sets a line aside (it posts nothing), or takes an ignored line back.
#[server(endpoint = "ignore_bank_line", input = Json)]
pub async fn ignore_bank_line(line_id: i64, ignore: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    use crate::store::bank_import::{ignore_line, LineState};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let to = if ignore {
        LineState::Ignored
    } else {
        LineState::Unmatched
    };
    ignore_line(&mut tx, line_id, to)
        .await
        .map_err(server::error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("bank");
    Ok(())
}

/// The bank account's statement balance against its book balance at a date.
#[server(endpoint = "get_reconciliation", input = Json)]
pub async fn get_reconciliation(
    bank_account_id: i64,
    as_of: String,
) -> Result<ReconciliationView, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let as_of = server::day(&as_of, settings.today())?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    server::account(&mut conn, bank_account_id).await?;
    crate::store::bank_reconcile::reconciliation(
        &mut conn,
        bank_account_id,
        as_of,
        settings.base_currency,
    )
    .await
    .map_err(internal)
}

/// Marks the bank account's lines up to a date reconciled (locked), once the statement's
/// closing balance equals the book balance and every line is settled.
#[server(endpoint = "reconcile_bank_account", input = Json)]
pub async fn reconcile_bank_account(
    bank_account_id: i64,
    as_of: String,
) -> Result<usize, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let as_of = server::day(&as_of, settings.today())?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    server::account(&mut tx, bank_account_id).await?;
    let marked = crate::store::bank_reconcile::mark_reconciled(
        &mut tx,
        bank_account_id,
        as_of,
        settings.base_currency,
    )
    .await
    .map_err(server::error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("bank");
    Ok(marked)
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::bank_types::{BankLineView, BankLinesPage, MatchView, StatementUpload};
    use super::super::context::internal;
    use super::super::AppError;
    use crate::domain::bank_matching::{Evidence, OpenItem, Proposal};
    use crate::domain::Currency;
    use crate::store::bank_import::{self, BankImportError, LineState};
    use crate::store::payments::PaymentError;
    use base64::Engine;
    use sqlx::SqliteConnection;

    pub fn decode(upload: &StatementUpload) -> Result<Vec<u8>, AppError> {
        if upload.content_base64.len() > super::MAX_STATEMENT_BYTES / 3 * 4 + 4 {
            return Err(AppError::invalid(
                "file",
                "the file is larger than 8 MB; export a shorter period",
            ));
        }
        base64::engine::general_purpose::STANDARD
            .decode(upload.content_base64.trim())
            .map_err(|_| AppError::invalid("file", "the file did not arrive whole; try again"))
    }

    pub async fn account(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
        bank_import::bank_account(conn, id)
            .await
            .map(|_| ())
            .map_err(error)
    }

    /// A date typed in the form; today when empty.
    pub fn day(text: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
        if text.trim().is_empty() {
            return Ok(today);
        }
        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("as_of", "enter a date such as 2026-03-31"))
    }

    pub fn error(e: BankImportError) -> AppError {
        match e {
            BankImportError::BankAccountNotFound => {
                AppError::invalid("bank_account_id", e.to_string())
            }
            BankImportError::LineNotFound => AppError::NotFound("the bank line".into()),
            BankImportError::Invalid(m) => AppError::invalid("line", m),
            BankImportError::AlreadySettled(_) => AppError::Conflict(e.to_string()),
            BankImportError::Payment(PaymentError::Store(e)) | BankImportError::Store(e) => {
                internal(e)
            }
            BankImportError::Payment(PaymentError::KeyReused) => {
                AppError::Conflict("this line was already confirmed otherwise".into())
            }
            BankImportError::Payment(p) => AppError::invalid("line", p.to_string()),
        }
    }

    pub async fn lines_page(
        conn: &mut SqliteConnection,
        bank_account_id: i64,
        currency: Currency,
    ) -> anyhow::Result<BankLinesPage> {
        let lines = bank_import::list_lines(conn, bank_account_id, None, currency).await?;
        let open = bank_import::open_items(conn, currency).await?;
        let mut views = Vec::with_capacity(lines.len());
        for line in lines {
            let proposals: Vec<MatchView> = bank_import::proposals(&line, &open)
                .into_iter()
                .take(3)
                .map(|p| match_view(&p, &open, line.amount))
                .collect();
            let rule = if line.state == LineState::Unmatched && proposals.is_empty() {
                bank_import::rule_for(conn, &line).await?
            } else {
                None
            };
            views.push(BankLineView {
                id: line.id,
                date: line.booking_date,
                amount: line.amount,
                text: line.text().split_whitespace().collect::<Vec<_>>().join(" "),
                state: line.state.key().into(),
                payment_id: line.payment_id,
                proposals,
                rule,
            });
        }
        let (_, expense_accounts) = crate::store::expenses::expense_options(conn).await?;
        let income_accounts: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, name FROM accounts WHERE kind = 'revenue' AND archived = 0 ORDER BY code",
        )
        .fetch_all(conn)
        .await?;
        Ok(BankLinesPage {
            lines: views,
            expense_accounts,
            income_accounts,
        })
    }

    fn match_view(p: &Proposal, open: &[OpenItem], amount: crate::domain::Money) -> MatchView {
        let find = |id| open.iter().find(|o| o.invoice == id);
        let evidence: Vec<String> = p
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::NumberInText(n) => format!("{n} in the text"),
                Evidence::ExactAmount => "exact amount".into(),
                Evidence::SumOfInvoices(n) => format!("sum of {n} invoices"),
                Evidence::ReferenceInText => "customer's reference".into(),
                Evidence::NameInText => "customer's name".into(),
            })
            .collect();
        MatchView {
            customer_id: p.customer,
            customer_name: open
                .iter()
                .find(|o| o.customer == p.customer)
                .map(|o| o.customer_name.clone())
                .unwrap_or_default(),
            invoices: p
                .allocations
                .iter()
                .map(|(id, m)| {
                    (
                        *id,
                        find(*id).map(|o| o.number.clone()).unwrap_or_default(),
                        *m,
                    )
                })
                .collect(),
            credit: amount - p.allocated,
            confidence: p.confidence,
            evidence: evidence.join(", "),
        }
    }
}
