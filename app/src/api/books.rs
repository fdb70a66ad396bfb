//! Financial statements, account registers, manual journal entries, the period lock and the
//! year-end close.

use super::error::AppError;
use super::types::{BooksSettings, JournalEntryView, JournalForm, Page, Register, TrialBalance};
use crate::domain::{BalanceSheet, ProfitAndLoss};
use leptos::prelude::*;
use server_fn::codec::Json;

/// A report's period as typed: empty `from` means the start of this year, empty `to` today.
#[cfg(feature = "ssr")]
pub(crate) fn period(
    errors: &mut super::FieldErrors,
    from: &str,
    to: &str,
    today: chrono::NaiveDate,
) -> Option<crate::domain::Period> {
    use chrono::Datelike;
    let from = if from.trim().is_empty() {
        today.with_ordinal(1)
    } else {
        super::parse::date(errors, "from", from)
    };
    let to = if to.trim().is_empty() {
        Some(today)
    } else {
        super::parse::date(errors, "to", to)
    };
    let (from, to) = (from?, to?);
    if from > to {
        errors.add("to", "the end must not be before the start");
        return None;
    }
    Some(crate::domain::Period { from, to })
}

#[cfg(feature = "ssr")]
fn basis(errors: &mut super::FieldErrors, text: &str) -> crate::domain::Basis {
    crate::domain::Basis::parse(text).unwrap_or_else(|| {
        errors.add("basis", "choose accrual or cash");
        crate::domain::Basis::Accrual
    })
}

/// What every period report needs: the business's currency, and the period and basis parsed
/// from what was typed (each problem named by its field).
#[cfg(feature = "ssr")]
struct ReportRequest {
    currency: crate::domain::Currency,
    period: crate::domain::Period,
    basis: crate::domain::Basis,
}

#[cfg(feature = "ssr")]
async fn report_request(
    state: &super::context::AppState,
    from: &str,
    to: &str,
    basis: &str,
) -> Result<ReportRequest, AppError> {
    use super::context::business;
    let settings = business(state).await?;
    let mut errors = super::FieldErrors::default();
    let period = period(&mut errors, from, to, settings.today());
    let basis = self::basis(&mut errors, basis);
    errors.into_result()?;
    let period = period.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    Ok(ReportRequest {
        currency: settings.base_currency,
        period,
        basis,
    })
}

/// Profit and loss for a period on either basis, optionally compared with the period before.
#[server(endpoint = "get_profit_loss", input = Json)]
pub async fn get_profit_loss(
    from: String,
    to: String,
    basis: String,
    compare: bool,
) -> Result<ProfitAndLoss, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_profit_loss(&state, &from, &to, &basis, compare).await
}

/// Profit and loss for a period as typed (empty: this year so far) on "accrual" or "cash"
/// (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_profit_loss(
    state: &super::context::AppState,
    from: &str,
    to: &str,
    basis: &str,
    compare: bool,
) -> Result<ProfitAndLoss, AppError> {
    use super::context::internal;
    let ReportRequest {
        currency,
        period,
        basis,
    } = report_request(state, from, to, basis).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::profit_loss(&mut conn, currency, basis, period, compare)
        .await
        .map_err(internal)
}

/// Income, expenses and profit per month for the year up to `to` (empty: today).
#[server(endpoint = "get_profit_trend", input = Json)]
pub async fn get_profit_trend(
    to: String,
    basis: String,
) -> Result<Vec<crate::domain::reports::MonthProfit>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let to = if to.trim().is_empty() {
        Some(settings.today())
    } else {
        super::parse::date(&mut errors, "to", &to)
    };
    let basis = self::basis(&mut errors, &basis);
    errors.into_result()?;
    let to = to.unwrap_or_else(|| settings.today());
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::profit_trend(&mut conn, settings.base_currency, basis, to)
        .await
        .map_err(internal)
}

/// The balance sheet at the end of a period, compared with its start when asked.
#[server(endpoint = "get_balance_sheet", input = Json)]
pub async fn get_balance_sheet(
    from: String,
    to: String,
    basis: String,
    compare: bool,
) -> Result<BalanceSheet, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_balance_sheet(&state, &from, &to, &basis, compare).await
}

/// The balance sheet at the end of a period as typed (empty `to`: today), on "accrual" or
/// "cash" (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_balance_sheet(
    state: &super::context::AppState,
    from: &str,
    to: &str,
    basis: &str,
    compare: bool,
) -> Result<BalanceSheet, AppError> {
    use super::context::internal;
    let ReportRequest {
        currency,
        period,
        basis,
    } = report_request(
        state,
        if from.trim().is_empty() { to } else { from },
        to,
        basis,
    )
    .await?;
    // A balance sheet compares with the close of the previous year.
    let compared_with = compare.then(|| {
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&period.to) - 1, 12, 31)
            .unwrap_or(period.to)
    });
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::balance_sheet_as_of(&mut conn, currency, basis, period.to, compared_with)
        .await
        .map_err(internal)
}

/// The trial balance as of a day (empty: today) on either basis.
#[server(endpoint = "get_trial_balance", input = Json)]
pub async fn get_trial_balance(as_of: String, basis: String) -> Result<TrialBalance, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_trial_balance(&state, &as_of, &basis).await
}

/// The trial balance as of a day as typed (empty: today) on "accrual" or "cash" (server
/// function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_trial_balance(
    state: &super::context::AppState,
    as_of: &str,
    basis: &str,
) -> Result<TrialBalance, AppError> {
    use super::context::{business, internal};
    let settings = business(state).await?;
    let mut errors = super::FieldErrors::default();
    let as_of = if as_of.trim().is_empty() {
        Some(settings.today())
    } else {
        super::parse::date(&mut errors, "as_of", as_of)
    };
    let basis = self::basis(&mut errors, basis);
    errors.into_result()?;
    let as_of = as_of.unwrap_or_else(|| settings.today());
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::trial_balance(&mut conn, settings.base_currency, basis, as_of)
        .await
        .map_err(internal)
}

/// Every account's opening balance, debits, credits and closing balance over a period.
#[server(endpoint = "get_general_ledger", input = Json)]
pub async fn get_general_ledger(
    from: String,
    to: String,
    basis: String,
) -> Result<super::types::LedgerSummary, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let ReportRequest {
        currency,
        period,
        basis,
    } = report_request(&state, &from, &to, &basis).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::general_ledger(&mut conn, currency, basis, period)
        .await
        .map_err(internal)
}

/// One account's postings over a period with the running balance.
#[server(endpoint = "get_register", input = Json)]
pub async fn get_register(
    code: String,
    from: String,
    to: String,
    basis: String,
    page: i64,
) -> Result<Register, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let ReportRequest {
        currency,
        period,
        basis,
    } = report_request(&state, &from, &to, &basis).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::reports::register(&mut conn, currency, basis, code.trim(), period, page)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound("That record".into()))
}

/// Manual entries and year-end closes, newest first.
#[server(endpoint = "list_journal", input = Json)]
pub async fn list_journal(page: u32) -> Result<Page<JournalEntryView>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let per_page = 25;
    let (items, total) =
        crate::store::journal::list_journal(&mut conn, currency, page.max(1), per_page)
            .await
            .map_err(internal)?;
    Ok(Page {
        items,
        total,
        page: page.max(1),
        per_page,
    })
}

/// Any journal entry with its postings.
#[server(endpoint = "get_journal_entry", input = Json)]
pub async fn get_journal_entry(id: i64) -> Result<JournalEntryView, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_journal_entry(&state, id).await
}

/// Any journal entry with its postings (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_journal_entry(
    state: &super::context::AppState,
    id: i64,
) -> Result<JournalEntryView, AppError> {
    use super::context::{business, internal};
    let currency = business(state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::journal::get_journal_entry(&mut conn, currency, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound("That record".into()))
}

#[cfg(feature = "ssr")]
fn journal_error(e: crate::store::journal::JournalError) -> AppError {
    use crate::store::journal::JournalError;
    match e {
        JournalError::Invalid(field, message) => AppError::invalid(field, message),
        JournalError::NotFound => AppError::NotFound("The journal entry".into()),
        JournalError::Conflict(message) => AppError::Conflict(message),
        JournalError::Store(e) => super::context::internal(e),
    }
}

/// Posts a manual journal entry; it must balance.
#[server(endpoint = "post_journal_entry", input = Json)]
pub async fn post_journal_entry(form: JournalForm) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    use crate::domain::journal::ManualLine;
    use crate::domain::{AccountCode, Money};
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let currency = settings.base_currency;
    let mut errors = super::FieldErrors::default();
    let date = super::parse::date(&mut errors, "date", &form.date);
    let memo = super::parse::text(&mut errors, "memo", &form.memo, 200);
    if memo.is_empty() {
        errors.add("memo", "say what this entry is for");
    }
    if form.lines.len() > 100 {
        errors.add("lines", "an entry can have at most 100 lines");
    }
    let mut lines = Vec::new();
    for (i, (account, debit, credit)) in form.lines.iter().enumerate() {
        if account.trim().is_empty() && debit.trim().is_empty() && credit.trim().is_empty() {
            continue;
        }
        let amount = |errors: &mut super::FieldErrors, field: &str, text: &str| {
            if text.trim().is_empty() {
                return Some(Money::zero(currency));
            }
            let m = super::parse::money(errors, &format!("lines.{i}.{field}"), text, currency)?;
            if m.is_negative() {
                errors.add(format!("lines.{i}.{field}"), "enter a positive amount");
                return None;
            }
            Some(m)
        };
        let debit = amount(&mut errors, "debit", debit);
        let credit = amount(&mut errors, "credit", credit);
        if account.trim().is_empty() {
            errors.add(format!("lines.{i}.account"), "choose an account");
        }
        if let (Some(debit), Some(credit)) = (debit, credit) {
            lines.push(ManualLine {
                account: AccountCode::new(account.trim()),
                debit,
                credit,
            });
        }
    }
    errors.into_result()?;
    let date = date.ok_or_else(|| AppError::invalid("date", "enter a date"))?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let id = crate::store::journal::post_manual_entry(&mut tx, date, &memo, &lines, currency)
        .await
        .map_err(journal_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("journal");
    tracing::info!(entry = id, "manual journal entry posted");
    Ok(id)
}

/// Reverses a manual entry on a day (empty: today).
#[server(endpoint = "reverse_journal_entry", input = Json)]
pub async fn reverse_journal_entry(id: i64, date: String) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let date = if date.trim().is_empty() {
        Some(settings.today())
    } else {
        super::parse::date(&mut errors, "date", &date)
    };
    errors.into_result()?;
    let date = date.unwrap_or_else(|| settings.today());
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let reversal = crate::store::journal::reverse_entry(&mut tx, id, date)
        .await
        .map_err(journal_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("journal");
    tracing::info!(entry = id, reversal, "journal entry reversed");
    Ok(reversal)
}

/// The lock date and the accounts a manual entry may use.
#[server(endpoint = "get_books_settings", input = Json)]
pub async fn get_books_settings() -> Result<BooksSettings, AppError> {
    use super::context::{business, internal, require_user};
    use super::types::AccountChoice;
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let lock_date = crate::store::ledger::lock_date(&mut conn)
        .await
        .map_err(internal)?;
    let accounts = crate::store::journal::account_choices(&mut conn)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|(code, _, _)| !crate::domain::cash_basis::is_control_account(code))
        .map(|(code, name, kind)| AccountChoice { code, name, kind })
        .collect();
    Ok(BooksSettings {
        lock_date,
        today: settings.today(),
        accounts,
    })
}

/// Locks the books up to and including a day.
#[server(endpoint = "lock_books", input = Json)]
pub async fn lock_books(through: String) -> Result<(), AppError> {
    use super::context::{internal, require_owner};
    let (state, user) = require_owner().await?;
    let mut errors = super::FieldErrors::default();
    let through = super::parse::date(&mut errors, "lock_date", &through);
    errors.into_result()?;
    let through = through.ok_or_else(|| AppError::invalid("lock_date", "enter a date"))?;
    // A lock never moves back, so a lock in the future would freeze the books for good.
    let today = super::context::business(&state).await?.today();
    if through > today {
        return Err(AppError::invalid(
            "lock_date",
            format!("the books can be locked up to today ({today}) at the latest"),
        ));
    }
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::journal::lock_books(&mut tx, through)
        .await
        .map_err(journal_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("lock");
    tracing::info!(%through, "books locked");
    Ok(())
}

/// Closes the year ending on a day: result to retained earnings, books locked up to it.
#[server(endpoint = "close_year", input = Json)]
pub async fn close_year(year_end: String) -> Result<Option<i64>, AppError> {
    use super::context::{business, internal, require_owner};
    let (state, user) = require_owner().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let year_end = super::parse::date(&mut errors, "year_end", &year_end);
    if year_end.is_some_and(|d| d >= settings.today()) {
        errors.add("year_end", "a year can be closed only after it has ended");
    }
    errors.into_result()?;
    let year_end = year_end.ok_or_else(|| AppError::invalid("year_end", "enter a date"))?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let entry = crate::store::journal::close_year(&mut tx, year_end, settings.base_currency)
        .await
        .map_err(journal_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("close");
    tracing::info!(%year_end, "year closed");
    Ok(entry)
}
