//! Recording expenses and bills and paying bills.

use super::error::AppError;
use super::types::{ExpenseDetail, ExpenseForm, ExpenseOptions, ExpenseSummary, Page};
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn expense_error(e: crate::store::expenses::ExpenseError) -> AppError {
    use crate::store::expenses::ExpenseError;
    match e {
        ExpenseError::Invalid(field, message) => AppError::invalid(field, message),
        ExpenseError::NotFound => AppError::NotFound("That expense or bill".into()),
        ExpenseError::Conflict(message) => AppError::Conflict(message),
        ExpenseError::Store(e) => super::context::internal(e),
    }
}

/// Records an expense paid now (with `paid_from`) or a bill to pay later (with `due_date`),
/// once per idempotency key, and posts it.
#[server(endpoint = "record_expense", input = Json)]
pub async fn record_expense(form: ExpenseForm) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    use super::{parse, FieldErrors};
    use crate::domain::expenses::{AmountsAre, ExpenseSplit};
    use crate::domain::money::parse_decimal;
    use crate::domain::AccountCode;
    use crate::store::expenses::NewExpense;
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let currency = settings.base_currency;
    let mut errors = FieldErrors::default();
    let vendor = parse::text(&mut errors, "vendor", &form.vendor, 120);
    if vendor.is_empty() {
        errors.add("vendor", "who was paid?");
    }
    let date = parse::date(&mut errors, "date", &form.date);
    if date.is_some_and(|d| d > settings.today()) {
        errors.add("date", "an expense cannot be dated in the future");
    }
    let is_bill = form.paid_from.trim().is_empty();
    let due_date = if is_bill {
        let due = if form.due_date.trim().is_empty() {
            errors.add("due_date", "a bill needs the day it falls due");
            None
        } else {
            parse::date(&mut errors, "due_date", &form.due_date)
        };
        if let (Some(due), Some(date)) = (due, date) {
            if due < date {
                errors.add("due_date", "a bill cannot fall due before its date");
            }
        }
        due
    } else {
        None
    };
    let reference = parse::text(&mut errors, "reference", &form.reference, 100);
    let memo = parse::text(&mut errors, "memo", &form.memo, 200);
    let key = form.idempotency_key.trim().to_string();
    if key.len() < 8 || key.len() > 100 {
        errors.add(
            "idempotency_key",
            "the form is missing its request key; reload the page",
        );
    }
    let mut splits = Vec::new();
    for (i, (account, description, amount, rate)) in form.splits.iter().enumerate() {
        if account.trim().is_empty() && amount.trim().is_empty() {
            continue;
        }
        if account.trim().is_empty() {
            errors.add(format!("splits.{i}.account"), "choose an account");
        }
        let description = parse::text(
            &mut errors,
            &format!("splits.{i}.description"),
            description,
            200,
        );
        let amount = parse::money(&mut errors, &format!("splits.{i}.amount"), amount, currency);
        if amount.is_some_and(|a| !a.is_positive()) {
            errors.add(
                format!("splits.{i}.amount"),
                "the amount must be more than zero",
            );
        }
        let rate = match parse_decimal(parse::percent_text(rate), 2) {
            Ok(r)
                if r >= rust_decimal::Decimal::ZERO && r <= rust_decimal::Decimal::ONE_HUNDRED =>
            {
                Some(r)
            }
            Ok(_) => {
                errors.add(
                    format!("splits.{i}.tax_rate"),
                    "a tax rate is between 0 and 100%",
                );
                None
            }
            Err(e) => {
                errors.add(format!("splits.{i}.tax_rate"), e);
                None
            }
        };
        if let (Some(amount), Some(tax_rate)) = (amount, rate) {
            splits.push(ExpenseSplit {
                account: AccountCode::new(account.trim()),
                description,
                amount,
                tax_rate,
            });
        }
    }
    if splits.is_empty() && form.splits.iter().all(|s| s.2.trim().is_empty()) {
        errors.add("splits", "add at least one amount");
    }
    let total = splits
        .iter()
        .map(|s| {
            s.amount.amount()
                * (rust_decimal::Decimal::ONE + s.tax_rate / rust_decimal::Decimal::ONE_HUNDRED)
        })
        .sum::<rust_decimal::Decimal>();
    if total > rust_decimal::Decimal::from(crate::domain::totals::MAX_DOCUMENT_TOTAL) {
        errors.add("splits", "the total is too large for one expense");
    }
    if splits.len() > 50 {
        errors.add("splits", "an expense can have at most 50 lines");
    }
    errors.into_result()?;
    let date = date.ok_or_else(|| AppError::invalid("date", "enter a date"))?;
    let expense = NewExpense {
        vendor,
        date,
        paid_from: (!is_bill).then(|| AccountCode::new(form.paid_from.trim())),
        due_date,
        reference,
        memo,
        amounts: if form.tax_inclusive {
            AmountsAre::TaxInclusive
        } else {
            AmountsAre::TaxExclusive
        },
        splits,
        receipt_id: form.receipt_id,
        idempotency_key: key,
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let id = crate::store::expenses::record_expense(&mut tx, &expense, currency)
        .await
        .map_err(expense_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("expense");
    tracing::info!(expense = id, bill = is_bill, "expense recorded");
    Ok(id)
}

/// Pays (part of) a bill from a money account.
#[server(endpoint = "pay_bill", input = Json)]
pub async fn pay_bill(
    bill: i64,
    amount: String,
    paid_on: String,
    paid_from: String,
    idempotency_key: String,
) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    use super::{parse, FieldErrors};
    use crate::domain::AccountCode;
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let mut errors = FieldErrors::default();
    let amount = parse::money(&mut errors, "amount", &amount, settings.base_currency);
    if amount.is_some_and(|a| !a.is_positive()) {
        errors.add("amount", "the amount must be more than zero");
    }
    let paid_on = parse::date(&mut errors, "paid_on", &paid_on);
    if paid_on.is_some_and(|d| d > settings.today()) {
        errors.add("paid_on", "a payment cannot be made in the future");
    }
    if paid_from.trim().is_empty() {
        errors.add("paid_from", "choose the account it was paid from");
    }
    let key = idempotency_key.trim().to_string();
    if key.len() < 8 || key.len() > 100 {
        errors.add(
            "amount",
            "the form is missing its request key; reload the page",
        );
    }
    errors.into_result()?;
    let (Some(amount), Some(paid_on)) = (amount, paid_on) else {
        return Err(AppError::invalid("amount", "check the form"));
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let id = crate::store::expenses::pay_bill(
        &mut tx,
        bill,
        paid_on,
        &AccountCode::new(paid_from.trim()),
        amount,
        &key,
    )
    .await
    .map_err(expense_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("bill_payment");
    tracing::info!(bill, payment = id, "bill paid");
    Ok(id)
}

#[server(endpoint = "list_expenses", input = Json)]
pub async fn list_expenses(page: u32) -> Result<Page<ExpenseSummary>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::expenses::list_expenses(&mut conn, currency, page.max(1), 25)
        .await
        .map_err(internal)
}

#[server(endpoint = "get_expense", input = Json)]
pub async fn get_expense(id: i64) -> Result<ExpenseDetail, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::expenses::get_expense(&mut conn, currency, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound("That record".into()))
}

#[server(endpoint = "get_expense_options", input = Json)]
pub async fn get_expense_options() -> Result<ExpenseOptions, AppError> {
    use super::context::{business, internal, require_user};
    use super::types::AccountOption;
    let (state, _) = require_user().await?;
    let today = business(&state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let (money, targets) = crate::store::expenses::expense_options(&mut conn)
        .await
        .map_err(internal)?;
    let options = |rows: Vec<(String, String)>| {
        rows.into_iter()
            .map(|(code, name)| AccountOption { code, name })
            .collect()
    };
    Ok(ExpenseOptions {
        money_accounts: options(money),
        expense_accounts: options(targets),
        today,
    })
}

/// Voids an expense or bill: posts the exact reversal of its entry on its own day. A bill with
/// payments is voided only with `with_payments`, which reverses each payment on its day too.
/// Voiding again changes nothing. Returns the entry that reverses the expense.
#[server(endpoint = "void_expense", input = Json)]
pub async fn void_expense(id: i64, with_payments: bool, reason: String) -> Result<i64, AppError> {
    use super::context::{internal, require_writer};
    use super::{parse, FieldErrors};
    use crate::store::expense_void::BillPayments;
    let (state, user) = require_writer().await?;
    let mut errors = FieldErrors::default();
    let reason = parse::text(&mut errors, "reason", &reason, 200);
    errors.into_result()?;
    let payments = if with_payments {
        BillPayments::VoidToo
    } else {
        BillPayments::Refuse
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let entry = crate::store::expense_void::void_expense(&mut tx, id, payments, &reason)
        .await
        .map_err(expense_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("expense");
    tracing::info!(expense = id, entry, "expense voided");
    Ok(entry)
}
