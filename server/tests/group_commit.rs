//! Payments that arrive together share one commit, and each is still judged on its own: a
//! refused one fails alone, a repeated key returns the first receipt, allocations never exceed
//! what is open.

mod support;

use app::api::payment_writer::commit_batch;
use app::api::types::PaymentMethod;
use app::domain::{AllocationError, Currency, CustomerId, Excess, InvoiceId, Money};
use app::store::payments::{NewPayment, PaymentError};
use chrono::NaiveDate;
use serde_json::json;
use support::TestApp;

const CLI: app::store::audit::Actor = app::store::audit::Actor::CommandLine;

fn gbp(minor: i64) -> Money {
    Money::from_minor(minor, Currency::parse("GBP").unwrap())
}

fn payment(customer: i64, minor: i64, invoice: i64, key: &str) -> NewPayment {
    NewPayment {
        customer: CustomerId(customer),
        bank_account_id: 1,
        amount: gbp(minor),
        received_on: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        method: PaymentMethod::BankTransfer,
        reference: String::new(),
        requested: vec![(InvoiceId(invoice), gbp(minor))],
        excess: Excess::Refuse,
        idempotency_key: key.to_string(),
        fee: None,
    }
}

#[tokio::test]
async fn one_batch_judges_each_payment_on_its_own() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Batch Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let first = payment(customer, 50_000, invoice, "batch-first");
    let too_much = payment(customer, 40_000, invoice, "batch-too-much");
    let retried = payment(customer, 50_000, invoice, "batch-first");
    let rest = payment(customer, 33_996, invoice, "batch-rest");
    let nobody = payment(999_999, 100, invoice, "batch-nobody");

    let mut conn = app.pool.acquire().await.unwrap();
    let results = commit_batch(
        &mut conn,
        &[
            (&first, &CLI),
            (&too_much, &CLI),
            (&retried, &CLI),
            (&rest, &CLI),
            (&nobody, &CLI),
        ],
    )
    .await;

    let receipt = results[0].as_ref().expect("the first payment is recorded");
    assert!(
        matches!(
            results[1],
            Err(PaymentError::Allocation(
                AllocationError::ExceedsOpenBalance { .. }
            ))
        ),
        "{:?}",
        results[1]
    );
    assert_eq!(
        results[2].as_ref().unwrap(),
        receipt,
        "a retry gets the first receipt"
    );
    assert!(results[3].is_ok(), "{:?}", results[3]);
    assert!(matches!(results[4], Err(PaymentError::CustomerNotFound)));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 2);
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM allocations")
            .await,
        83_996
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM open_invoices").await, 0);
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn many_payments_at_once_are_each_recorded_exactly_once() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Crowd Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    // 40 payments of 20.00 against an invoice of 839.96: all fit. Each key is sent twice.
    let calls = (0..80).map(|n| {
        let form = json!({"customer_id": customer, "amount": "20.00", "received_on": "2026-03-10",
            "method": "Card", "reference": "", "allocations": [[invoice, "20.00"]],
            "keep_excess_as_credit": false, "idempotency_key": format!("crowd-key-{:03}", n % 40)});
        app.call("record_payment", json!({ "form": form }))
    });

    let answers = futures::future::join_all(calls).await;

    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    for n in 0..40 {
        assert_eq!(
            answers[n].as_ref().unwrap()["payment_id"],
            answers[n + 40].as_ref().unwrap()["payment_id"]
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 40);
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM allocations")
            .await,
        80_000
    );
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn a_batch_allocates_against_what_is_open_after_credit_notes_and_refuses_locked_days() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Credited Batch Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let form = json!({"invoice_id": invoice, "amount": "100.00", "date": "2026-03-09",
        "reason": "Agreed discount", "idempotency_key": "batch-credit-100"});
    app.ok("create_credit_note", json!({"form": form})).await;
    app.ok("lock_books", json!({"through": "2026-03-08"})).await;
    let open = 83_996
        - app
            .scalar("SELECT SUM(total_minor) FROM credit_notes")
            .await;
    let beyond_open = payment(customer, open + 1, invoice, "batch-beyond-open");
    let mut locked = payment(customer, 1_000, invoice, "batch-locked-day");
    locked.received_on = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
    let exact = payment(customer, open, invoice, "batch-exactly-open");

    let mut conn = app.pool.acquire().await.unwrap();
    let results = commit_batch(
        &mut conn,
        &[(&beyond_open, &CLI), (&locked, &CLI), (&exact, &CLI)],
    )
    .await;

    assert!(
        matches!(
            results[0],
            Err(PaymentError::Allocation(
                AllocationError::ExceedsOpenBalance { .. }
            ))
        ),
        "{:?}",
        results[0]
    );
    assert!(
        matches!(results[1], Err(PaymentError::Locked(_))),
        "{:?}",
        results[1]
    );
    assert!(results[2].is_ok(), "{:?}", results[2]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM open_invoices").await, 0);
    // The payment's cash-basis twin is posted with it, as on the single-payment path.
    assert!(
        app.scalar(
            "SELECT COUNT(*) FROM cash_postings c JOIN payments p ON p.entry_id = c.entry_id
             WHERE c.account_code = '4000'"
        )
        .await
            > 0
    );
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}
