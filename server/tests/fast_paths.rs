//! The quick ways the dashboard, the invoice list and payments read a big book give exactly
//! what the full queries over every invoice and posting give, credit notes and write-offs
//! included.

mod support;

use app::domain::aging::AgingReport;
use app::domain::{Currency, CustomerId, InvoiceStatus, Money};
use app::store;
use chrono::NaiveDate;
use serde_json::json;
use support::TestApp;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn gbp() -> Currency {
    Currency::parse("GBP").unwrap()
}

/// What is open on each issued invoice by its definition (total less payments, credit notes
/// and write-off), per due date, computed from every invoice.
const OPEN_BY_DUE_DATE: &str = "SELECT i.due_date, i.total_minor - r.credited_minor - r.written_off_minor
        - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open
    FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
    WHERE i.lifecycle = 'issued' AND open > 0";

/// The same, for one customer's invoices issued by a date, oldest due first.
const OPEN_OF_CUSTOMER: &str = "SELECT i.id, i.total_minor - r.credited_minor - r.written_off_minor
        - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open
    FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
    WHERE i.customer_id = ? AND i.lifecycle = 'issued' AND i.issue_date <= ? AND open > 0
    ORDER BY i.due_date, i.id";

async fn problems(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.acquire().await.unwrap();
    store::check::check_books(&mut conn).await.unwrap()
}

async fn open_rows(app: &TestApp) -> Vec<(i64, i64)> {
    sqlx::query_as("SELECT invoice_id, open_minor FROM open_invoices ORDER BY invoice_id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn open_amounts_follow_issue_payment_and_void() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Open Ltd").await;
    let paid = app.harbor_draft(customer).await;
    let voided = app.harbor_draft(customer).await;
    assert!(open_rows(&app).await.is_empty(), "drafts owe nothing");

    app.ok("issue_invoice", json!({"id": paid})).await;
    app.ok("issue_invoice", json!({"id": voided})).await;
    let issued = open_rows(&app).await;
    app.ok("void_invoice", json!({"id": voided})).await;
    let after_void = open_rows(&app).await;
    app.pay(customer, "100.00", "2026-03-10", "open-part-1", false)
        .await
        .unwrap();
    let part_paid = open_rows(&app).await;
    app.pay(customer, "739.96", "2026-03-11", "open-part-2", false)
        .await
        .unwrap();
    let settled = open_rows(&app).await;

    assert_eq!(issued, vec![(paid, 83_996), (voided, 83_996)]);
    assert_eq!(after_void, vec![(paid, 83_996)]);
    assert_eq!(part_paid, vec![(paid, 73_996)]);
    assert!(settled.is_empty(), "{settled:?}");
    assert!(problems(&app).await.is_empty());
}

/// An issued invoice of 120.00 (one line of 100.00 at 20% VAT), due 2026-04-01.
async fn issued_120(app: &TestApp, customer: i64) -> i64 {
    let form = json!({
        "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-04-01",
        "currency": "GBP", "notes": "",
        "lines": [{"description": "Design work", "quantity": "1", "unit_price": "100.00",
                   "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"}]
    });
    let id = app
        .ok("save_draft", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": id})).await;
    id
}

async fn credit_note(app: &TestApp, invoice: i64, amount: &str, key: &str) {
    let form = json!({"invoice_id": invoice, "amount": amount, "date": "2026-03-12",
        "reason": "Agreed discount", "idempotency_key": key});
    app.ok("create_credit_note", json!({"form": form})).await;
}

#[tokio::test]
async fn credit_notes_and_write_offs_keep_open_amounts_exact_and_the_aging_as_defined() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Reduced Ltd").await;
    let credited = issued_120(&app, customer).await;
    let fully_credited = issued_120(&app, customer).await;
    let written_off = issued_120(&app, customer).await;
    // Oldest due first, and all three fall due together: the first invoice takes the 30.00.
    app.pay(customer, "30.00", "2026-03-10", "reduced-pay-30", false)
        .await
        .unwrap();

    credit_note(&app, credited, "50.00", "reduced-credit-50").await;
    credit_note(&app, fully_credited, "120.00", "reduced-credit-all").await;
    app.ok(
        "write_off_invoice",
        json!({"id": written_off, "reason": "Customer closed"}),
    )
    .await;
    let rows = open_rows(&app).await;
    let form = json!({"customer_id": customer, "amount": "40.01", "received_on": "2026-03-13",
        "method": "BankTransfer", "reference": "", "allocations": [[credited, "40.01"]],
        "keep_excess_as_credit": false, "idempotency_key": "reduced-pay-too-much"});
    let too_much = app
        .call("record_payment", json!({"form": form}))
        .await
        .unwrap_err();

    assert_eq!(rows, vec![(credited, 4_000)]);
    assert_eq!(
        too_much["Invalid"][0][0],
        format!("allocation.{credited}"),
        "{too_much}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    let mut conn = app.pool.acquire().await.unwrap();
    let dashboard = store::dashboard::dashboard(&mut conn, gbp(), today())
        .await
        .unwrap();
    let open: Vec<(NaiveDate, i64)> = sqlx::query_as(OPEN_BY_DUE_DATE)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let aging = AgingReport::build(
        gbp(),
        today(),
        open.into_iter()
            .map(|(due, minor)| (due, Money::from_minor(minor, gbp()))),
    );
    assert_eq!(aging.total(), Money::from_minor(4_000, gbp()));
    assert_eq!(dashboard.aging, aging);
    assert_eq!(dashboard.outstanding, Money::from_minor(4_000, gbp()));
    let quick = store::invoices::open_invoices(&mut conn, CustomerId(customer), gbp(), today())
        .await
        .unwrap();
    let quick: Vec<(i64, i64)> = quick
        .iter()
        .map(|o| (o.invoice.0, o.open.to_minor()))
        .collect();
    assert_eq!(quick, vec![(credited, 4_000)]);
    assert!(
        problems(&app).await.is_empty(),
        "{:#?}",
        problems(&app).await
    );
}

#[tokio::test]
async fn check_notices_a_wrong_or_missing_open_amount() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Drift Ltd").await;
    let first = app.harbor_draft(customer).await;
    let second = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": first})).await;
    app.ok("issue_invoice", json!({"id": second})).await;

    sqlx::query("UPDATE open_invoices SET open_minor = open_minor - 1 WHERE invoice_id = ?")
        .bind(first)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM open_invoices WHERE invoice_id = ?")
        .bind(second)
        .execute(&app.pool)
        .await
        .unwrap();
    let found = problems(&app).await;

    assert!(
        found
            .iter()
            .any(|p| p.contains(&format!("invoice {first} "))
                && p.contains("839.95 GBP")
                && p.contains("839.96 GBP")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains(&format!("invoice {second} ")) && p.contains("kept as 0.00 GBP")),
        "{found:#?}"
    );
}

#[tokio::test]
async fn a_generated_book_reads_the_same_by_the_quick_and_the_full_queries() {
    let app = TestApp::start().await;
    let mut tx = store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    store::generate::generate_book(&mut tx, gbp(), 4_000, today(), 11)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    assert!(problems(&app).await.is_empty());

    // The dashboard, against its figures computed from every invoice and posting.
    let dashboard = store::dashboard::dashboard(&mut conn, gbp(), today())
        .await
        .unwrap();
    let open: Vec<(NaiveDate, i64)> = sqlx::query_as(OPEN_BY_DUE_DATE)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let aging = AgingReport::build(
        gbp(),
        today(),
        open.into_iter()
            .map(|(due, minor)| (due, Money::from_minor(minor, gbp()))),
    );
    let far = NaiveDate::from_ymd_opt(9999, 12, 31);
    let receivables = store::ledger::account_balance(&mut conn, "1100", far)
        .await
        .unwrap();
    let bank = store::ledger::account_balance(&mut conn, "1000", far)
        .await
        .unwrap();
    assert!(aging.total().is_positive() && bank != 0);
    assert_eq!(dashboard.aging, aging);
    assert_eq!(dashboard.outstanding, Money::from_minor(receivables, gbp()));
    assert_eq!(dashboard.bank_balance, Money::from_minor(bank, gbp()));

    // Each customer's open invoices, oldest due first, as payments allocate them.
    let customers: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut with_open = 0;
    for customer in customers {
        for as_of in [today(), NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()] {
            let quick =
                store::invoices::open_invoices(&mut conn, CustomerId(customer), gbp(), as_of)
                    .await
                    .unwrap();
            let full: Vec<(i64, i64)> = sqlx::query_as(OPEN_OF_CUSTOMER)
                .bind(customer)
                .bind(as_of)
                .fetch_all(&app.pool)
                .await
                .unwrap();
            let quick: Vec<(i64, i64)> = quick
                .iter()
                .map(|o| (o.invoice.0, o.open.to_minor()))
                .collect();
            assert_eq!(quick, full, "customer {customer} as of {as_of}");
            with_open += usize::from(!full.is_empty());
        }
    }
    assert!(with_open > 0);

    // The unfiltered invoice list counts what the status filters count between them.
    let all = store::invoices::list_invoices(&mut conn, &Default::default(), today(), 1, 25)
        .await
        .unwrap();
    let mut by_status = 0;
    for status in InvoiceStatus::ALL {
        let filter = store::invoices::InvoiceFilter {
            status: Some(status),
            ..Default::default()
        };
        by_status += store::invoices::list_invoices(&mut conn, &filter, today(), 1, 25)
            .await
            .unwrap()
            .total;
    }
    assert!(all.total > 25);
    assert_eq!(all.items.len(), 25);
    assert_eq!(all.total, by_status);

    // The overdue list, page by page, is every overdue invoice by its definition, oldest due
    // first, each with its derived status.
    let overdue = store::invoices::InvoiceFilter {
        status: Some(InvoiceStatus::Overdue),
        ..Default::default()
    };
    let mut listed = Vec::new();
    for page in 1.. {
        let items = store::invoices::list_invoices(&mut conn, &overdue, today(), page, 25)
            .await
            .unwrap()
            .items;
        if items.is_empty() {
            break;
        }
        assert!(items.iter().all(|i| i.status == InvoiceStatus::Overdue));
        listed.extend(items.iter().map(|i| i.id.0));
    }
    let full: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM (SELECT i.id, i.due_date, i.total_minor - r.credited_minor - r.written_off_minor
            - COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0) AS open
         FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
         WHERE i.lifecycle = 'issued' AND i.due_date < '{}') WHERE open > 0 ORDER BY due_date, id",
        today()
    )))
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(full.len() > 25, "{} overdue", full.len());
    assert_eq!(listed, full);
}
