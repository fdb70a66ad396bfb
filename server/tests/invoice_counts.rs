//! The invoice list's quick counts per status (from the totals kept by triggers) and its
//! narrowed pages equal what deriving every invoice's status in the domain gives.

mod support;

use app::api::types::InvoiceSummary;
use app::domain::{Currency, CustomerId, InvoiceStatus};
use app::store;
use app::store::invoices::InvoiceFilter;
use chrono::NaiveDate;
use serde_json::json;
use support::TestApp;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

async fn list(app: &TestApp, filter: InvoiceFilter, per_page: u32) -> (u64, Vec<InvoiceSummary>) {
    let mut conn = app.pool.acquire().await.unwrap();
    let page = store::invoices::list_invoices(&mut conn, &filter, today(), 1, per_page)
        .await
        .unwrap();
    (page.total, page.items)
}

/// For every status: the quick count equals the number of invoices whose derived status it is,
/// and the first page holds the first of exactly those invoices, in the list's order.
async fn assert_counts_and_pages_exact(app: &TestApp) -> Vec<(InvoiceStatus, u64)> {
    let (all_count, all) = list(app, InvoiceFilter::default(), 1_000_000).await;
    assert_eq!(all_count, all.len() as u64);
    let mut counts = Vec::new();
    for status in InvoiceStatus::ALL {
        let filter = InvoiceFilter {
            status: Some(status),
            ..InvoiceFilter::default()
        };
        let (quick, page) = list(app, filter, 25).await;
        let mut expected: Vec<&InvoiceSummary> =
            all.iter().filter(|i| i.status == status).collect();
        if status == InvoiceStatus::Overdue {
            expected.sort_by_key(|i| (i.due_date, i.id.0));
        }
        let expected_page: Vec<i64> = expected.iter().take(25).map(|i| i.id.0).collect();
        let page: Vec<i64> = page.iter().map(|i| i.id.0).collect();

        assert_eq!(quick, expected.len() as u64, "{status:?}");
        assert_eq!(page, expected_page, "{status:?}");
        counts.push((status, quick));
    }
    counts
}

/// An invoice of 120.00 issued on 2026-03-02 and due on `due`.
async fn issued_120(app: &TestApp, customer: i64, due: &str) -> i64 {
    let form = json!({
        "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": due,
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

async fn pay(app: &TestApp, customer: i64, invoice: i64, amount: &str, key: &str) {
    let form = json!({"customer_id": customer, "amount": amount, "received_on": "2026-03-10",
        "method": "BankTransfer", "reference": "", "allocations": [[invoice, amount]],
        "keep_excess_as_credit": false, "idempotency_key": key});
    app.ok("record_payment", json!({"form": form})).await;
}

#[tokio::test]
async fn quick_counts_agree_with_derived_status_for_every_status() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Every Status Ltd").await;
    app.harbor_draft(customer).await;
    issued_120(&app, customer, "2026-12-30").await;
    let partly = issued_120(&app, customer, "2026-12-30").await;
    pay(&app, customer, partly, "20.00", "counts-partly-paid").await;
    let paid = issued_120(&app, customer, "2026-04-01").await;
    pay(&app, customer, paid, "120.00", "counts-fully-paid").await;
    issued_120(&app, customer, "2026-04-01").await;
    let voided = issued_120(&app, customer, "2026-04-01").await;
    app.ok("void_invoice", json!({"id": voided})).await;
    let credited = issued_120(&app, customer, "2026-04-01").await;
    let form = json!({"invoice_id": credited, "amount": "120.00", "date": "2026-03-12",
        "reason": "Cancelled", "idempotency_key": "counts-credit-all"});
    app.ok("create_credit_note", json!({"form": form})).await;
    let written_off = issued_120(&app, customer, "2026-04-01").await;
    app.ok(
        "write_off_invoice",
        json!({"id": written_off, "reason": "Customer closed"}),
    )
    .await;

    let counts = assert_counts_and_pages_exact(&app).await;
    // The customer filter takes the full path (each status derived in SQL): the same numbers.
    for (status, quick) in &counts {
        let filter = InvoiceFilter {
            status: Some(*status),
            customer: Some(CustomerId(customer)),
            search: String::new(),
        };
        assert_eq!(list(&app, filter, 25).await.0, *quick, "{status:?}");
    }

    assert!(counts.iter().all(|(_, n)| *n == 1), "{counts:?}");
}

#[tokio::test]
async fn quick_counts_agree_on_a_generated_book() {
    let app = TestApp::start().await;
    let mut tx = store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    let gbp = Currency::parse("GBP").unwrap();
    store::generate::generate_book(&mut tx, gbp, 3_000, today(), 3)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let counts = assert_counts_and_pages_exact(&app).await;

    let count = |s| counts.iter().find(|(c, _)| *c == s).unwrap().1;
    assert!(count(InvoiceStatus::Paid) > 0 && count(InvoiceStatus::Overdue) > 0);
}
