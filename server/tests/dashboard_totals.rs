//! The totals kept for the dashboard (migration 0014) stay equal to a recomputation from the
//! invoices, credit notes and payments through every kind of change, and `settle check`
//! notices when they drift.

mod support;

use app::domain::cash_flow::{monthly_flows, MonthFlow};
use app::domain::{Currency, Money};
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

/// The cash-flow series computed from every row, as the dashboard computed it before the
/// totals were kept.
async fn recomputed_flows(app: &TestApp) -> Vec<MonthFlow> {
    let invoiced: Vec<(NaiveDate, i64)> = sqlx::query_as(
        "SELECT MIN(day), SUM(minor) FROM (
            SELECT issue_date AS day, total_minor AS minor FROM invoices WHERE lifecycle = 'issued'
            UNION ALL SELECT date, -total_minor FROM credit_notes)
         GROUP BY strftime('%Y-%m', day)",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let collected: Vec<(NaiveDate, i64)> = sqlx::query_as(
        "SELECT MIN(received_on), SUM(amount_minor) FROM payments
         GROUP BY strftime('%Y-%m', received_on)",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let money = |rows: Vec<(NaiveDate, i64)>| -> Vec<(NaiveDate, Money)> {
        rows.into_iter()
            .map(|(d, m)| (d, Money::from_minor(m, gbp())))
            .collect()
    };
    monthly_flows(gbp(), today(), 12, &money(invoiced), &money(collected))
}

/// The dashboard agrees with the recomputation and `settle check` finds nothing.
async fn assert_totals_exact(app: &TestApp, step: &str) {
    let mut conn = app.pool.acquire().await.unwrap();
    let dashboard = store::dashboard::dashboard(&mut conn, gbp(), today())
        .await
        .unwrap();
    let issued = app
        .scalar("SELECT COUNT(*) FROM invoices WHERE lifecycle <> 'draft'")
        .await;
    let problems = store::check::check_books(&mut conn).await.unwrap();

    assert_eq!(
        dashboard.cash_flow,
        recomputed_flows(app).await,
        "after {step}"
    );
    assert_eq!(dashboard.issued_invoices as i64, issued, "after {step}");
    assert!(problems.is_empty(), "after {step}: {problems:#?}");
}

/// An issued invoice of 120.00 dated `on`.
async fn issued_120(app: &TestApp, customer: i64, on: &str) -> i64 {
    let form = json!({
        "id": null, "customer_id": customer, "issue_date": on, "due_date": "2026-11-30",
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

#[tokio::test]
async fn kept_month_totals_follow_invoices_payments_credit_notes_write_offs_and_voids() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Totals Ltd").await;
    assert_totals_exact(&app, "nothing").await;

    let draft = app.harbor_draft(customer).await;
    assert_totals_exact(&app, "a draft").await;
    app.ok("delete_draft", json!({"id": draft})).await;
    assert_totals_exact(&app, "deleting a draft").await;

    let march = issued_120(&app, customer, "2026-03-02").await;
    let april = issued_120(&app, customer, "2026-04-15").await;
    let voided = issued_120(&app, customer, "2026-05-20").await;
    let written_off = issued_120(&app, customer, "2026-06-01").await;
    let credited = issued_120(&app, customer, "2026-07-01").await;
    assert_totals_exact(&app, "issuing").await;

    app.pay(customer, "150.00", "2026-08-10", "totals-pay-1", true)
        .await
        .unwrap();
    assert_totals_exact(&app, "a payment over two invoices").await;
    app.ok("void_invoice", json!({"id": voided})).await;
    assert_totals_exact(&app, "a void").await;
    let form = json!({"invoice_id": credited, "amount": "50.00", "date": "2026-09-12",
        "reason": "Agreed discount", "idempotency_key": "totals-credit"});
    app.ok("create_credit_note", json!({"form": form})).await;
    assert_totals_exact(&app, "a credit note").await;
    app.ok(
        "write_off_invoice",
        json!({"id": written_off, "reason": "Customer closed"}),
    )
    .await;
    assert_totals_exact(&app, "a write-off").await;
    app.pay(customer, "500.00", "2026-12-01", "totals-pay-2", true)
        .await
        .unwrap();
    assert_totals_exact(&app, "an overpayment").await;

    let kept: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT month, invoiced_minor, collected_minor FROM dashboard_months ORDER BY month",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(march > 0 && april > 0);
    assert_eq!(
        kept,
        vec![
            ("2026-03".into(), 12_000, 0),
            ("2026-04".into(), 12_000, 0),
            ("2026-05".into(), 0, 0),
            ("2026-06".into(), 12_000, 0),
            ("2026-07".into(), 12_000, 0),
            ("2026-08".into(), 0, 15_000),
            ("2026-09".into(), -5_000, 0),
            ("2026-12".into(), 0, 50_000),
        ]
    );
}

#[tokio::test]
async fn a_generated_book_keeps_exact_totals() {
    let app = TestApp::start().await;
    let mut tx = store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    store::generate::generate_book(&mut tx, gbp(), 3_000, today(), 5)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_totals_exact(&app, "generating a book").await;
}

#[tokio::test]
async fn the_bank_figure_sums_every_bank_account() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Two Banks Ltd").await;
    issued_120(&app, customer, "2026-03-02").await;
    issued_120(&app, customer, "2026-03-03").await;
    let mut conn = app.pool.acquire().await.unwrap();
    let savings = store::bank_accounts::create(&mut conn, "Savings", "")
        .await
        .unwrap();
    app.pay(customer, "100.00", "2026-03-10", "banks-payment-1", false)
        .await
        .unwrap();
    let form = json!({"customer_id": customer, "amount": "40.00", "received_on": "2026-03-11",
        "method": "BankTransfer", "reference": "", "allocations": [],
        "keep_excess_as_credit": false, "idempotency_key": "banks-payment-2",
        "bank_account_id": savings.id});
    app.ok("record_payment", json!({"form": form})).await;

    let dashboard = store::dashboard::dashboard(&mut conn, gbp(), today())
        .await
        .unwrap();

    assert_eq!(dashboard.bank_balance, Money::from_minor(14_000, gbp()));
}

#[tokio::test]
async fn check_notices_kept_totals_that_drift() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Drift Ltd").await;
    issued_120(&app, customer, "2026-03-02").await;
    app.pay(customer, "20.00", "2026-03-10", "drift-payment-1", false)
        .await
        .unwrap();

    sqlx::query("UPDATE dashboard_months SET collected_minor = collected_minor + 1")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE invoice_counts SET invoices = invoices + 2 WHERE lifecycle = 'issued'")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let found = store::check::check_books(&mut conn).await.unwrap();

    assert!(
        found.iter().any(|p| p.contains("2026-03")
            && p.contains("20.01 GBP collected")
            && p.contains("20.00 GBP")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("3 issued invoices are counted, but there are 1")),
        "{found:#?}"
    );
}

/// `settle check` reads the stored cash-basis twins in chunks; a twin that differs from what
/// its accrual entry implies is still reported, by its entry.
#[tokio::test]
async fn check_notices_a_cash_twin_that_differs_from_its_entry() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Twin Ltd").await;
    issued_120(&app, customer, "2026-03-02").await;
    app.pay(customer, "20.00", "2026-03-10", "twin-payment-1", false)
        .await
        .unwrap();
    let entry = app.scalar("SELECT MAX(entry_id) FROM payments").await;

    for (account, minor) in [("4000", -100), ("2200", 100)] {
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
    let mut conn = app.pool.acquire().await.unwrap();
    let found = store::check::check_books(&mut conn).await.unwrap();

    assert_eq!(
        found,
        vec![format!(
            "the cash-basis twin of journal entry {entry} differs from what its accrual entry implies"
        )]
    );
}
