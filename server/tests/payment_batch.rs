//! Recording payments together (as the payment writer does with those that arrive at once)
//! leaves exactly the books that recording them one at a time leaves: the same receipts and
//! refusals, entries, postings, cash-basis recognition, allocations and open balances.
//! Random payment sequences on two identical books, one recorded in random batches, the
//! other one payment per transaction.

mod support;

use app::api::payment_writer::commit_batch;
use app::api::types::{PaymentMethod, PaymentReceipt};
use app::domain::{Currency, CustomerId, Excess, InvoiceId, Money};
use app::store::payments::{Fee, NewPayment, PaymentError};
use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use support::TestApp;

const CLI: app::store::audit::Actor = app::store::audit::Actor::CommandLine;

fn gbp(minor: i64) -> Money {
    Money::from_minor(minor, Currency::parse("GBP").unwrap())
}

/// Three customers with three issued invoices each (mixed 20 % and 0 % tax, so the cash
/// basis splits in proportion), one of them partly credited. Returns (customer, invoices).
async fn book() -> (TestApp, Vec<(i64, Vec<i64>)>) {
    let app = TestApp::signed_in().await;
    let mut customers = Vec::new();
    for name in ["Alder Ltd", "Birch plc", "Cedar & Co"] {
        let customer = app.customer(name).await;
        let mut invoices = Vec::new();
        for _ in 0..3 {
            let invoice = app.harbor_draft(customer).await;
            app.ok("issue_invoice", json!({"id": invoice})).await;
            invoices.push(invoice);
        }
        customers.push((customer, invoices));
    }
    let form = json!({"invoice_id": customers[0].1[1], "amount": "100.00", "date": "2026-03-05",
        "reason": "Agreed discount", "idempotency_key": "batch-credit"});
    app.ok("create_credit_note", json!({"form": form})).await;
    (app, customers)
}

/// A payment as a client might send it: oldest-first or chosen invoices, exact, short or
/// over, with or without a fee, now and then an unknown customer or a key sent again.
fn random_payment(
    rng: &mut StdRng,
    customers: &[(i64, Vec<i64>)],
    sent: &[NewPayment],
) -> NewPayment {
    if !sent.is_empty() && rng.gen_bool(0.1) {
        let mut again = sent[rng.gen_range(0..sent.len())].clone();
        if rng.gen_bool(0.3) {
            // The same key for a different payment: refused.
            again.amount = gbp(again.amount.to_minor() + 1);
        }
        return again;
    }
    let (customer, invoices) = &customers[rng.gen_range(0..customers.len())];
    let minor = match rng.gen_range(0..4) {
        0 => 83_996, // an invoice's total
        1 => rng.gen_range(1..200_000),
        _ => rng.gen_range(1..30_000),
    };
    let requested = if rng.gen_bool(0.3) {
        let first = minor / 2;
        vec![
            (InvoiceId(invoices[0]), gbp(first)),
            (InvoiceId(invoices[2]), gbp(minor - first)),
        ]
        .into_iter()
        .filter(|(_, m)| m.is_positive())
        .collect()
    } else {
        Vec::new()
    };
    NewPayment {
        customer: CustomerId(if rng.gen_bool(0.05) {
            999_999
        } else {
            *customer
        }),
        bank_account_id: 1,
        amount: gbp(minor),
        received_on: NaiveDate::from_ymd_opt(2026, 3, rng.gen_range(3..20)).unwrap(),
        method: PaymentMethod::Card,
        reference: String::new(),
        requested,
        excess: if rng.gen_bool(0.5) {
            Excess::KeepAsCredit
        } else {
            Excess::Refuse
        },
        idempotency_key: format!("batch-{}", rng.gen::<u32>()),
        // Fees to the fees account, another expense account, or (refused) a revenue account.
        fee: rng.gen_bool(0.3).then(|| Fee {
            account: ["6500", "6000", "4000"][rng.gen_range(0..3)].to_string(),
            amount: gbp(minor / 40),
        }),
    }
}

/// What a result says, without the wording of internal errors.
fn outcome(result: &Result<PaymentReceipt, PaymentError>) -> String {
    match result {
        Ok(receipt) => format!("{receipt:?}"),
        Err(e) => format!("refused: {e}"),
    }
}

/// Every table a payment writes, as rows of text, without the time of writing.
async fn books(app: &TestApp) -> Vec<String> {
    let queries = [
        "SELECT json_array(id, date, memo, currency, source) FROM journal_entries ORDER BY id",
        "SELECT json_array(id, entry_id, account_code, amount_minor, customer_id, vendor_id, date)
         FROM postings ORDER BY id",
        "SELECT json_array(id, entry_id, date, account_code, amount_minor) FROM cash_postings
         ORDER BY id",
        "SELECT json_array(id, customer_id, received_on, amount_minor, method, idempotency_key,
            entry_id, bank_account_id, fee_minor, fee_account) FROM payments ORDER BY id",
        "SELECT json_array(id, payment_id, invoice_id, amount_minor) FROM allocations ORDER BY id",
        "SELECT json_array(invoice_id, open_minor) FROM open_invoices ORDER BY invoice_id",
        "SELECT json_array(month, invoiced_minor, collected_minor) FROM dashboard_months
         ORDER BY month",
    ];
    let mut rows = Vec::new();
    for sql in queries {
        let found: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.pool)
            .await
            .expect(sql);
        assert!(found.iter().all(|row| row.len() > 4), "{sql}: {found:?}");
        rows.extend(found);
    }
    rows
}

#[tokio::test]
async fn payments_recorded_together_leave_the_books_one_by_one_would() {
    for seed in 0..6 {
        let mut rng = StdRng::seed_from_u64(seed);
        let (together, customers) = book().await;
        let (alone, _) = book().await;
        let mut sent = Vec::new();
        for _ in 0..60 {
            let payment = random_payment(&mut rng, &customers, &sent);
            sent.push(payment);
        }

        let mut batched = Vec::new();
        let mut rest = &sent[..];
        let mut conn = together.pool.acquire().await.unwrap();
        while !rest.is_empty() {
            let size = rng.gen_range(1..=rest.len().min(24));
            let batch: Vec<_> = rest[..size].iter().map(|p| (p, &CLI)).collect();
            batched.extend(commit_batch(&mut conn, &batch).await);
            rest = &rest[size..];
        }
        let mut single = Vec::new();
        let mut conn = alone.pool.acquire().await.unwrap();
        for payment in &sent {
            single.extend(commit_batch(&mut conn, &[(payment, &CLI)]).await);
        }

        let batched: Vec<String> = batched.iter().map(outcome).collect();
        let single: Vec<String> = single.iter().map(outcome).collect();
        assert_eq!(batched, single, "seed {seed}: the receipts differ");
        assert!(
            single.iter().filter(|o| !o.starts_with("refused")).count() > 20,
            "seed {seed}: too few payments were accepted to say much: {single:#?}"
        );
        assert!(
            single.iter().any(|o| o.starts_with("refused")),
            "seed {seed}: no payment was refused"
        );
        assert_eq!(
            books(&together).await,
            books(&alone).await,
            "seed {seed}: the books differ"
        );
        for app in [&together, &alone] {
            let mut conn = app.pool.acquire().await.unwrap();
            let problems = app::store::check::check_books(&mut conn).await.unwrap();
            assert!(problems.is_empty(), "seed {seed}: {problems:#?}");
        }
    }
}
