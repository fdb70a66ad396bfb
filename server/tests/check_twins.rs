//! `settle check` derives the cash-basis twins a chunk of entries at a time from facts read in
//! bulk. On books with every kind of entry, and with twins tampered with, it must find
//! exactly the entries that deriving each entry on its own finds, whatever the chunk size.

mod support;

use app::store::check_cash_basis::{entries_with_wrong_twin, CHUNK};
use serde_json::{json, Value};
use support::TestApp;

async fn invoice(app: &TestApp, customer: i64, lines: Value) -> i64 {
    let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
        "due_date": "2099-12-31", "currency": "GBP", "notes": "", "lines": lines});
    let id = app.ok("save_draft", json!({ "form": form })).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    id.as_i64().unwrap()
}

fn line(price: &str, tax: &str, account: &str) -> Value {
    json!({"description": "Work", "quantity": "1", "unit_price": price, "discount_percent": "0",
        "tax_rate": tax, "revenue_account": account})
}

/// A payment, part of it allocated to an invoice and the rest kept as credit; its payment id.
async fn pay(
    app: &TestApp,
    customer: i64,
    to: Option<(i64, &str)>,
    amount: &str,
    key: &str,
) -> i64 {
    let allocations = match to {
        Some((invoice, part)) => json!([[invoice, part]]),
        None => json!([]),
    };
    let form = json!({"customer_id": customer, "amount": amount, "received_on": "2026-03-10",
        "method": "BankTransfer", "reference": "", "allocations": allocations,
        "keep_excess_as_credit": true, "idempotency_key": key});
    let receipt = app.ok("record_payment", json!({ "form": form })).await;
    receipt["payment_id"].as_i64().unwrap()
}

async fn credit(app: &TestApp, invoice: i64, amount: &str, key: &str) {
    let form = json!({"invoice_id": invoice, "amount": amount, "date": "2026-03-12",
        "reason": "Agreed discount", "idempotency_key": key});
    app.ok("create_credit_note", json!({ "form": form })).await;
}

async fn use_credit(app: &TestApp, customer: i64, invoice: i64, amount: &str, key: &str) {
    let form = json!({"customer_id": customer, "invoice_id": invoice, "bank_account_id": null,
        "amount": amount, "date": "2026-04-01", "idempotency_key": key});
    app.ok("use_credit", json!({ "form": form })).await;
}

async fn reverse(app: &TestApp, payment: i64, kind: &str, key: &str) {
    let form = json!({"payment_id": payment, "kind": kind, "date": "2026-04-02",
        "idempotency_key": key});
    app.ok("reverse_payment", json!({ "form": form })).await;
}

async fn manual(app: &TestApp, date: &str) -> i64 {
    let form = json!({"date": date, "memo": "Owner's loan",
        "lines": [["1000", "500.00", ""], ["3000", "", "500.00"]]});
    app.ok("post_journal_entry", json!({ "form": form }))
        .await
        .as_i64()
        .unwrap()
}

async fn bill_paid_twice(app: &TestApp) {
    let form = json!({"vendor": "Landlord", "date": "2026-03-01", "paid_from": "",
        "due_date": "2026-03-31", "reference": "", "memo": "", "tax_inclusive": true,
        "splits": [["6200", "", "240.00", "20"], ["6100", "", "35.00", "5"]],
        "idempotency_key": "twin-bill-1"});
    let bill = app.ok("record_expense", json!({ "form": form })).await;
    for (amount, key) in [("100.00", "twin-bill-pay-1"), ("175.00", "bill-pay-2")] {
        app.ok(
            "pay_bill",
            json!({"bill": bill, "amount": amount, "paid_on": "2026-03-20",
            "paid_from": "1000", "idempotency_key": key}),
        )
        .await;
    }
}

/// Books with an entry of every kind the cash basis treats differently.
async fn varied_books(app: &TestApp) {
    let first = app.customer("Harbor Cafe").await;
    let second = app.customer("Kestrel Cycles").await;
    manual(app, "2025-06-01").await;
    let credited = invoice(app, first, json!([line("100.00", "20", "4000")])).await;
    pay(app, first, Some((credited, "30.00")), "30.00", "twin-pay-1").await;
    credit(app, credited, "50.00", "twin-credit-1").await;
    pay(app, first, Some((credited, "40.00")), "40.00", "twin-pay-2").await;
    // Paid 50 and 30 more from the same payment's credit, then that payment reversed: both
    // its entries are taken back and the invoice reopens.
    let reopened = invoice(app, second, json!([line("100.00", "20", "4000")])).await;
    let reversed = pay(
        app,
        second,
        Some((reopened, "50.00")),
        "80.00",
        "twin-pay-3",
    )
    .await;
    pay(app, first, None, "100.00", "twin-pay-4").await;
    use_credit(app, second, reopened, "30.00", "twin-apply-1").await;
    reverse(app, reversed, "Reversal", "twin-reverse-1").await;
    pay(
        app,
        second,
        Some((reopened, "20.00")),
        "20.00",
        "twin-pay-5",
    )
    .await;
    let refunded = pay(
        app,
        second,
        Some((reopened, "40.00")),
        "40.00",
        "twin-pay-6",
    )
    .await;
    reverse(app, refunded, "Refund", "twin-refund-1").await;
    // After a credit note a payment recognises what is still unrecognised, which counts only
    // the payments not reversed before it.
    credit(app, reopened, "20.00", "twin-credit-3").await;
    pay(
        app,
        second,
        Some((reopened, "80.00")),
        "80.00",
        "twin-pay-9",
    )
    .await;
    let split = json!([line("100.00", "20", "4000"), line("60.00", "0", "4100")]);
    let emptied = invoice(app, first, split).await;
    pay(
        app,
        first,
        Some((emptied, "100.00")),
        "100.00",
        "twin-pay-7",
    )
    .await;
    credit(app, emptied, "80.00", "twin-credit-2").await;
    let voided = invoice(app, first, json!([line("10.00", "20", "4000")])).await;
    app.ok("void_invoice", json!({"id": voided})).await;
    let written_off = invoice(app, second, json!([line("10.00", "20", "4000")])).await;
    pay(
        app,
        second,
        Some((written_off, "5.00")),
        "5.00",
        "twin-pay-8",
    )
    .await;
    app.ok(
        "write_off_invoice",
        json!({"id": written_off, "reason": "Closed"}),
    )
    .await;
    bill_paid_twice(app).await;
    let loan = manual(app, "2026-05-01").await;
    app.ok(
        "reverse_journal_entry",
        json!({"id": loan, "date": "2026-05-02"}),
    )
    .await;
    app.ok("close_year", json!({"year_end": "2025-12-31"}))
        .await;
}

/// What deriving each entry on its own finds: the entries whose twin differs.
async fn wrong_one_by_one(app: &TestApp) -> Vec<i64> {
    let mut conn = app.pool.acquire().await.unwrap();
    let entries: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, reverses FROM journal_entries WHERE source <> 'year_end_close' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut wrong = Vec::new();
    for (id, reverses) in entries {
        let Ok(twin) = app::store::cash_basis::derive_twin(&mut conn, id, reverses).await else {
            continue;
        };
        let mut expected: Vec<(String, i64)> = twin
            .into_iter()
            .map(|p| (p.account.0, p.amount.to_minor()))
            .collect();
        let mut stored: Vec<(String, i64)> = sqlx::query_as(
            "SELECT account_code, amount_minor FROM cash_postings WHERE entry_id = ?",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        expected.sort();
        stored.sort();
        if expected != stored {
            wrong.push(id);
        }
    }
    wrong
}

async fn wrong_in_chunks(app: &TestApp, size: i64) -> Vec<i64> {
    let mut conn = app.pool.acquire().await.unwrap();
    entries_with_wrong_twin(&mut conn, size).await.unwrap()
}

/// Adds a balanced pair of cash postings to an entry's twin (the table refuses updates).
async fn tamper(app: &TestApp, entry: i64) {
    for (account, minor) in [("4000", -1), ("2200", 1)] {
        sqlx::query(
            "INSERT INTO cash_postings (entry_id, date, account_code, amount_minor)
             VALUES (?, '2026-03-10', ?, ?)",
        )
        .bind(entry)
        .bind(account)
        .bind(minor)
        .execute(&app.pool)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn varied_books_have_no_wrong_twin_in_chunks_of_any_size() {
    let app = TestApp::signed_in().await;
    varied_books(&app).await;
    let mut conn = app.pool.acquire().await.unwrap();

    let problems = app::store::check::check_books(&mut conn).await.unwrap();

    assert_eq!(problems, Vec::<String>::new());
    for size in [1, 2, 3, 7, CHUNK] {
        assert_eq!(
            wrong_in_chunks(&app, size).await,
            Vec::<i64>::new(),
            "{size}"
        );
    }
}

#[tokio::test]
async fn tampered_twins_are_found_in_chunks_as_one_by_one() {
    let app = TestApp::signed_in().await;
    varied_books(&app).await;
    let sql = |s: &'static str| app.scalar(s);
    let reversed_payment = sql("SELECT p.entry_id FROM payments p JOIN payment_reversals r ON r.payment_id = p.id WHERE r.kind = 'reversal'").await;
    let applied = sql("SELECT MIN(entry_id) FROM allocations").await;
    let credit_note = sql("SELECT MIN(entry_id) FROM credit_notes").await;
    let first_payment = sql("SELECT MIN(entry_id) FROM payments").await;
    let loan = sql("SELECT MAX(reverses) FROM journal_entries").await;
    let bill_payment = sql("SELECT MAX(entry_id) FROM bill_payments").await;
    for entry in [
        reversed_payment,
        applied,
        credit_note,
        first_payment,
        loan,
        bill_payment,
    ] {
        tamper(&app, entry).await;
    }

    let one_by_one = wrong_one_by_one(&app).await;

    // A reversal's twin mirrors the stored twin of what it reverses, so those tampered with
    // make their reversals differ too.
    let reversal_of = |entry: &'static str| app.scalar(entry);
    let payment_reversal =
        reversal_of("SELECT entry_id FROM payment_reversals WHERE kind = 'reversal'").await;
    let loan_reversal =
        reversal_of("SELECT MAX(id) FROM journal_entries WHERE reverses IS NOT NULL").await;
    for entry in [
        reversed_payment,
        applied,
        credit_note,
        first_payment,
        loan,
        bill_payment,
    ] {
        assert!(one_by_one.contains(&entry), "{entry} in {one_by_one:?}");
    }
    assert!(one_by_one.contains(&payment_reversal) && one_by_one.contains(&loan_reversal));
    for size in [1, 2, 3, 7, CHUNK] {
        assert_eq!(wrong_in_chunks(&app, size).await, one_by_one, "{size}");
    }
}

#[tokio::test]
async fn an_entry_that_cannot_be_read_back_is_left_to_the_ledger_checks_in_chunks_too() {
    let app = TestApp::signed_in().await;
    varied_books(&app).await;
    let payment = app.scalar("SELECT MIN(entry_id) FROM payments").await;
    sqlx::query(
        "INSERT INTO postings (entry_id, account_code, amount_minor, date)
         VALUES (?, '1000', 1, '2026-03-10')",
    )
    .bind(payment)
    .execute(&app.pool)
    .await
    .unwrap();
    tamper(&app, payment).await;

    let one_by_one = wrong_one_by_one(&app).await;

    assert!(!one_by_one.contains(&payment), "{one_by_one:?}");
    for size in [1, 2, CHUNK] {
        assert_eq!(wrong_in_chunks(&app, size).await, one_by_one, "{size}");
    }
}
