//! Recording many payments at once, as the payment writer does with those that arrive
//! together (see `api::payment_writer`).
//!
//! The outcome is the same as recording them one after the other with `record_payment`: a
//! later payment sees the earlier ones' allocations, a repeated idempotency key returns the
//! first receipt, and a refused payment writes nothing. But the statements are per batch,
//! not per payment: everything the batch needs is read first, each payment is checked and
//! allocated in memory, and the accepted ones are written with one statement per table.
//! Each statement is a round trip to the database's thread, and every caller waits for the
//! whole chain, so this is what makes a busy writer fast.
//!
//! One difference shows: in the audit log, the payments one person recorded in one batch
//! share the number of the transaction (they were committed together).

use super::ledger::{self, Party, Posted};
use super::payments::{find_by_key, Fee, NewPayment, PaymentError};
use crate::api::types::PaymentReceipt;
use crate::domain::cash_basis::{invoice_payment_settlement, InvoiceEvent};
use crate::domain::posting::{accounts, check_fee, payment_entry_with_fee, PaymentFee};
use crate::domain::{
    allocate_payment, AllocationPlan, Currency, InvoiceId, JournalEntry, Money, OpenInvoice,
    PaymentId,
};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};

/// One result per payment, in order. `Err` only when the database fails; then the caller
/// rolls back whatever this wrote.
pub async fn record_payments(
    conn: &mut SqliteConnection,
    payments: &[&NewPayment],
) -> anyhow::Result<Vec<Result<PaymentReceipt, PaymentError>>> {
    let mut stored = stored_receipts(conn, payments).await?;
    let mut desk = Desk::read(conn, payments).await?;
    let mut accepted: HashMap<&str, usize> = HashMap::new();
    let mut outcomes = Vec::with_capacity(payments.len());
    for (index, payment) in payments.iter().enumerate() {
        let key = payment.idempotency_key.as_str();
        let outcome = if let Some(result) = stored.remove(&index) {
            Outcome::Done(result)
        } else if let Some(&first) = accepted.get(key) {
            if same_payment(payments[first], payment) {
                Outcome::Repeats(first)
            } else {
                Outcome::Done(Err(PaymentError::KeyReused))
            }
        } else {
            match desk.plan(payment) {
                Ok(planned) => {
                    // Only an accepted payment takes its key: after a refusal, a retry may pass.
                    accepted.insert(key, index);
                    Outcome::New(Box::new(planned))
                }
                Err(e) => Outcome::Done(Err(e)),
            }
        };
        outcomes.push(outcome);
    }
    let ids = write(conn, payments, &outcomes).await?;
    Ok(receipts(payments, outcomes, &ids))
}

/// What became of one payment of the batch.
enum Outcome {
    /// Refused, or recorded before this batch.
    Done(Result<PaymentReceipt, PaymentError>),
    /// The same payment as the one at this index of the batch, sent again.
    Repeats(usize),
    /// Accepted: to be written.
    New(Box<Planned>),
}

/// An accepted payment: its entry and allocations, before they are written.
struct Planned {
    entry: JournalEntry,
    plan: AllocationPlan,
    currency: Currency,
    bank_account_id: i64,
    fee: Fee,
}

/// The receipts of payments whose key was already used before this batch (a retry), by
/// index. Rare, so read one by one.
async fn stored_receipts(
    conn: &mut SqliteConnection,
    payments: &[&NewPayment],
) -> anyhow::Result<HashMap<usize, Result<PaymentReceipt, PaymentError>>> {
    let keys: Vec<&str> = payments
        .iter()
        .map(|p| p.idempotency_key.as_str())
        .collect();
    let used: HashSet<String> = sqlx::query_scalar(
        "SELECT idempotency_key FROM payments
         WHERE idempotency_key IN (SELECT value FROM json_each(?))",
    )
    .bind(json!(keys).to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut stored = HashMap::new();
    for (index, payment) in payments.iter().enumerate() {
        if !used.contains(&payment.idempotency_key) {
            continue;
        }
        match find_by_key(conn, payment).await {
            Ok(Some(receipt)) => stored.insert(index, Ok(receipt)),
            Ok(None) => None,
            Err(PaymentError::Store(e)) => return Err(e),
            Err(refused) => stored.insert(index, Err(refused)),
        };
    }
    Ok(stored)
}

/// Whether two payments with the same key are the same payment sent twice (as `find_by_key`
/// judges a retry), not a client reusing a key for another.
fn same_payment(first: &NewPayment, again: &NewPayment) -> bool {
    let fee = |p: &NewPayment| p.fee.as_ref().map_or(0, |f| f.amount.to_minor());
    first.customer == again.customer
        && first.amount == again.amount
        && first.received_on == again.received_on
        && first.method == again.method
        && first.bank_account_id == again.bank_account_id
        && fee(first) == fee(again)
}

/// What the batch's payments are checked against, read once, and the open invoices as the
/// earlier payments of the batch leave them.
struct Desk {
    /// Currency and name of each customer named.
    customers: HashMap<i64, (Currency, String)>,
    lock: Option<NaiveDate>,
    /// Ledger account of each bank account named, if not archived.
    banks: HashMap<i64, String>,
    expense_accounts: HashSet<String>,
    /// Each customer's open invoices, oldest due first: invoice, issue date, open minor units.
    open: HashMap<i64, Vec<(InvoiceId, NaiveDate, i64)>>,
}

impl Desk {
    async fn read(conn: &mut SqliteConnection, payments: &[&NewPayment]) -> anyhow::Result<Desk> {
        let customer_ids: Vec<i64> = payments.iter().map(|p| p.customer.0).collect();
        let rows: Vec<(i64, String, String)> = super::json_rows(
            conn,
            sqlx::query_scalar(
                "SELECT json_group_array(json_array(id, currency, name)) FROM customers
                 WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(json!(customer_ids).to_string()),
        )
        .await?;
        let mut customers = HashMap::new();
        for (id, currency, name) in rows {
            customers.insert(id, (Currency::parse(&currency)?, name));
        }
        let bank_ids: Vec<i64> = payments.iter().map(|p| p.bank_account_id).collect();
        let banks = sqlx::query_as(
            "SELECT id, account_code FROM bank_accounts
             WHERE id IN (SELECT value FROM json_each(?)) AND archived_at IS NULL",
        )
        .bind(json!(bank_ids).to_string())
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
        let fee_accounts: Vec<&str> = payments
            .iter()
            .filter_map(|p| p.fee.as_ref())
            .map(|f| f.account.as_str())
            .collect();
        let expense_accounts = if fee_accounts.is_empty() {
            HashSet::new()
        } else {
            sqlx::query_scalar(
                "SELECT code FROM accounts
                 WHERE kind = 'expense' AND code IN (SELECT value FROM json_each(?))",
            )
            .bind(json!(fee_accounts).to_string())
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect()
        };
        Ok(Desk {
            customers,
            lock: ledger::lock_date(conn).await?,
            banks,
            expense_accounts,
            open: super::invoices::open_invoices_of(conn, &customer_ids).await?,
        })
    }

    /// Checks and allocates one payment as `record_payment` does, refusing it for the same
    /// reasons in the same order, and takes its allocations off the open invoices.
    fn plan(&mut self, payment: &NewPayment) -> Result<Planned, PaymentError> {
        let (currency, customer_name) = self
            .customers
            .get(&payment.customer.0)
            .ok_or(PaymentError::CustomerNotFound)?;
        let currency = *currency;
        if currency != payment.amount.currency() {
            return Err(PaymentError::WrongCurrency(currency));
        }
        let bank = self
            .banks
            .get(&payment.bank_account_id)
            .ok_or(PaymentError::BankAccountNotFound)?;
        if let Some(message) = ledger::lock_message(self.lock, payment.received_on) {
            return Err(PaymentError::Locked(message));
        }
        let fee = payment.fee.clone().unwrap_or_else(|| Fee {
            account: accounts::PAYMENT_FEES.to_string(),
            amount: Money::zero(currency),
        });
        check_fee(payment.amount, fee.amount).map_err(|e| PaymentError::Fee(e.to_string()))?;
        if !fee.amount.is_zero() && !self.expense_accounts.contains(&fee.account) {
            return Err(PaymentError::Fee(
                "choose an expense account for the fee".into(),
            ));
        }
        let open: Vec<OpenInvoice> = self
            .open
            .get(&payment.customer.0)
            .into_iter()
            .flatten()
            .filter(|(_, issued, _)| *issued <= payment.received_on)
            .map(|(invoice, _, minor)| OpenInvoice {
                invoice: *invoice,
                open: Money::from_minor(*minor, currency),
            })
            .collect();
        let plan = allocate_payment(payment.amount, &payment.requested, &open, payment.excess)?;
        // The memo names the customer so the bank's register reads without opening each entry.
        let memo = format!(
            "Payment received from {customer_name} ({})",
            payment.method.label()
        );
        let entry = payment_entry_with_fee(
            payment.received_on,
            memo,
            bank,
            payment.amount,
            &PaymentFee {
                account: &fee.account,
                amount: fee.amount,
            },
            &plan,
        )
        .map_err(anyhow::Error::from)?;
        self.take_allocations(payment.customer.0, &plan);
        Ok(Planned {
            entry,
            plan,
            currency,
            bank_account_id: payment.bank_account_id,
            fee,
        })
    }

    /// As the `allocations_reduce_open` trigger will once the batch is written.
    fn take_allocations(&mut self, customer: i64, plan: &AllocationPlan) {
        if let Some(open) = self.open.get_mut(&customer) {
            for (invoice, amount) in &plan.allocations {
                if let Some((_, _, minor)) = open.iter_mut().find(|(id, ..)| id == invoice) {
                    *minor -= amount.to_minor();
                }
            }
            open.retain(|(_, _, minor)| *minor > 0);
        }
    }
}

/// Writes the accepted payments: their entries (with the cash-basis recognition of what they
/// settle), the payments and their allocations. Returns each accepted payment's id by index.
async fn write(
    conn: &mut SqliteConnection,
    payments: &[&NewPayment],
    outcomes: &[Outcome],
) -> anyhow::Result<HashMap<usize, i64>> {
    let planned: Vec<(usize, &Planned)> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(index, outcome)| match outcome {
            Outcome::New(planned) => Some((index, planned.as_ref())),
            _ => None,
        })
        .collect();
    if planned.is_empty() {
        return Ok(HashMap::new());
    }
    let mut settlements = settle(conn, planned.iter().map(|(_, p)| *p)).await?;
    let entries: Vec<(&JournalEntry, Posted)> = planned
        .iter()
        .zip(settlements.drain(..))
        .map(|((index, p), settlements)| {
            let party = Party::Customer(payments[*index].customer);
            (
                &p.entry,
                Posted {
                    settlements,
                    ..Posted::new("payment", party)
                },
            )
        })
        .collect();
    let entry_ids = ledger::insert_entries(conn, &entries).await?;
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM payments")
        .fetch_one(&mut *conn)
        .await?;
    let created_at = super::now_text();
    let mut rows = Vec::with_capacity(planned.len());
    let mut allocations = Vec::new();
    let mut ids = HashMap::new();
    for (((index, p), entry_id), id) in planned.iter().zip(entry_ids).zip(first..) {
        let payment = payments[*index];
        let fee_account = (!p.fee.amount.is_zero()).then_some(&p.fee.account);
        rows.push(json!([
            id,
            payment.customer.0,
            payment.received_on,
            payment.amount.to_minor(),
            p.currency.code(),
            payment.method.key(),
            payment.reference,
            payment.idempotency_key,
            entry_id,
            created_at,
            p.bank_account_id,
            p.fee.amount.to_minor(),
            fee_account
        ]));
        allocations.extend(
            p.plan
                .allocations
                .iter()
                .map(|(invoice, amount)| json!([id, invoice.0, amount.to_minor()])),
        );
        ids.insert(*index, id);
    }
    sqlx::query(
        "INSERT INTO payments (id, customer_id, received_on, amount_minor, currency, method,
            reference, idempotency_key, entry_id, created_at, bank_account_id, fee_minor, fee_account)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
             value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11,
             value ->> 12
         FROM json_each(?) ORDER BY key",
    )
    .bind(json!(rows).to_string())
    .execute(&mut *conn)
    .await?;
    if !allocations.is_empty() {
        sqlx::query(
            "INSERT INTO allocations (payment_id, invoice_id, amount_minor)
             SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) ORDER BY key",
        )
        .bind(json!(allocations).to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(ids)
}

/// What each payment's allocations recognise on the cash basis, in order: each invoice's
/// history includes the batch's earlier payments to it, as it would one by one.
async fn settle<'p>(
    conn: &mut SqliteConnection,
    planned: impl Iterator<Item = &'p Planned> + Clone,
) -> anyhow::Result<Vec<Vec<crate::domain::cash_basis::Settlement>>> {
    let invoices: Vec<i64> = planned
        .clone()
        .flat_map(|p| p.plan.allocations.iter().map(|(invoice, _)| invoice.0))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let rows: Vec<(i64, i64, String)> = if invoices.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(
            "SELECT id, issue_entry_id, currency FROM invoices
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json!(invoices).to_string())
        .fetch_all(&mut *conn)
        .await?
    };
    let mut issue_entries = HashMap::new();
    let mut currencies = Vec::with_capacity(rows.len());
    for (invoice, entry, currency) in rows {
        issue_entries.insert(InvoiceId(invoice), entry);
        currencies.push((InvoiceId(invoice), Currency::parse(&currency)?));
    }
    let mut histories = super::cash_basis::invoice_histories(conn, &currencies).await?;
    let entries: Vec<i64> = issue_entries.values().copied().collect();
    let compositions = ledger::compositions(conn, &entries).await?;
    let mut settlements = Vec::new();
    for p in planned {
        let mut own = Vec::with_capacity(p.plan.allocations.len());
        for (invoice, amount) in &p.plan.allocations {
            let entry = issue_entries
                .get(invoice)
                .ok_or_else(|| anyhow::anyhow!("invoice {} not found", invoice.0))?;
            let composition = compositions.get(entry).map_or(&[][..], Vec::as_slice);
            let history = histories.entry(*invoice).or_default();
            own.push(invoice_payment_settlement(composition, history, *amount));
            history.push(InvoiceEvent::Paid(*amount));
        }
        settlements.push(own);
    }
    Ok(settlements)
}

/// The results in the batch's order; a repeated payment gets the receipt of the first.
fn receipts(
    payments: &[&NewPayment],
    outcomes: Vec<Outcome>,
    ids: &HashMap<usize, i64>,
) -> Vec<Result<PaymentReceipt, PaymentError>> {
    let receipt = |index: usize, plan: &AllocationPlan| PaymentReceipt {
        payment_id: PaymentId(ids.get(&index).copied().unwrap_or_default()),
        amount: payments[index].amount,
        allocated: plan.allocations.clone(),
        credit: plan.credit,
    };
    let plans: HashMap<usize, AllocationPlan> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(index, outcome)| match outcome {
            Outcome::New(planned) => Some((index, planned.plan.clone())),
            _ => None,
        })
        .collect();
    outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| match outcome {
            Outcome::Done(result) => result,
            Outcome::Repeats(first) => plans
                .get(&first)
                .map(|plan| receipt(first, plan))
                .ok_or_else(|| PaymentError::Store(anyhow::anyhow!("the first payment is lost"))),
            Outcome::New(planned) => Ok(receipt(index, &planned.plan)),
        })
        .collect()
}
