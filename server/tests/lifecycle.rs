//! An invoice's life after issuing, through the real app: numbering series, credit notes,
//! write-offs, duplicates, and the books on both bases that follow.

mod support;

use chrono::TimeZone;
use serde_json::{json, Value};
use support::TestApp;

/// A customer and an issued invoice of 120.00: one line of 100.00 at 20% VAT, due 2026-04-01.
async fn hundred_and_twenty(app: &TestApp) -> (i64, i64) {
    let customer = app.customer("Harbor Cafe").await;
    let invoice = draft(app, customer, "100.00").await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    (customer, invoice)
}

async fn draft(app: &TestApp, customer: i64, price: &str) -> i64 {
    let form = json!({
        "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-04-01",
        "currency": "GBP", "notes": "Thank you",
        "lines": [{"description": "Design work", "quantity": "1", "unit_price": price,
                   "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"}]
    });
    app.ok("save_draft", json!({"form": form}))
        .await
        .as_i64()
        .unwrap()
}

async fn credit(
    app: &TestApp,
    invoice: i64,
    amount: &str,
    date: &str,
    key: &str,
) -> Result<Value, Value> {
    let form = json!({"invoice_id": invoice, "amount": amount, "date": date, "reason": "Agreed discount",
        "idempotency_key": key});
    app.call("create_credit_note", json!({"form": form})).await
}

async fn pay(app: &TestApp, customer: i64, invoice: i64, amount: &str, on: &str, key: &str) {
    let form = json!({"customer_id": customer, "amount": amount, "received_on": on, "method": "BankTransfer",
        "reference": "", "allocations": [[invoice, amount]], "keep_excess_as_credit": false, "idempotency_key": key});
    app.ok("record_payment", json!({"form": form})).await;
}

/// Debit-positive sum of an account on one basis ("postings" or "cash_postings").
async fn balance(app: &TestApp, table: &str, account: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM {table} WHERE account_code = ?"
    )))
    .bind(account)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn problems(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.acquire().await.unwrap();
    app::store::check::check_books(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_50_credit_note_on_120_with_30_paid_leaves_40_and_both_bases_end_alike() {
    let app = TestApp::signed_in().await;
    let (customer, invoice) = hundred_and_twenty(&app).await;
    pay(&app, customer, invoice, "30.00", "2026-03-10", "pay-30-key").await;

    let id = credit(&app, invoice, "50.00", "2026-03-12", "credit-50-key")
        .await
        .unwrap();
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;
    let note = app.ok("get_credit_note", json!({"id": id})).await;
    let postings: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.account_code, p.amount_minor FROM postings p JOIN credit_notes c ON c.entry_id = p.entry_id ORDER BY p.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();

    assert_eq!(detail["summary"]["open"]["amount"], "40.00");
    assert_eq!(detail["credited"]["amount"], "50.00");
    // Due in April 2026, so by now the rest is overdue.
    assert_eq!(detail["summary"]["status"], "Overdue");
    assert_eq!(
        detail["credit_notes"][0]["number"],
        note["summary"]["number"]
    );
    assert!(note["summary"]["number"]
        .as_str()
        .unwrap()
        .starts_with("CN-"));
    let expected =
        [("4000", 4167), ("2200", 833), ("1100", -5000)].map(|(a, m)| (a.to_string(), m));
    assert_eq!(postings, expected);

    pay(&app, customer, invoice, "40.00", "2026-03-20", "pay-40-key").await;
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;

    assert_eq!(detail["summary"]["status"], "Paid");
    for table in ["postings", "cash_postings"] {
        assert_eq!(balance(&app, table, "4000").await, -5833, "{table}");
        assert_eq!(balance(&app, table, "2200").await, -1167, "{table}");
    }
    assert_eq!(balance(&app, "postings", "1100").await, 0);
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_credit_above_what_is_creditable_or_open_is_refused_on_the_amount_and_saves_nothing() {
    let app = TestApp::signed_in().await;
    let (customer, invoice) = hundred_and_twenty(&app).await;
    credit(&app, invoice, "100.00", "2026-03-05", "first-credit-key")
        .await
        .unwrap();
    pay(&app, customer, invoice, "10.00", "2026-03-06", "pay-10-key").await;
    let entries = app.scalar("SELECT COUNT(*) FROM journal_entries").await;

    let beyond_total = credit(&app, invoice, "20.01", "2026-03-07", "second-credit-key")
        .await
        .unwrap_err();
    let beyond_open = credit(&app, invoice, "10.01", "2026-03-07", "third-credit-key")
        .await
        .unwrap_err();

    let message = |e: &Value| e["Invalid"][0].clone();
    assert_eq!(message(&beyond_total)[0], "amount");
    assert!(
        message(&beyond_total)[1]
            .as_str()
            .unwrap()
            .contains("20.00"),
        "{beyond_total}"
    );
    assert_eq!(message(&beyond_open)[0], "amount");
    assert!(
        message(&beyond_open)[1].as_str().unwrap().contains("10.00"),
        "{beyond_open}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM credit_notes").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries").await,
        entries
    );
    assert_eq!(
        app.scalar("SELECT MAX(next_value) FROM number_series WHERE name LIKE 'credit_note%'")
            .await,
        2
    );
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn the_rest_credited_in_full_leaves_a_credited_invoice_with_every_account_at_zero() {
    let app = TestApp::signed_in().await;
    let (_, invoice) = hundred_and_twenty(&app).await;
    credit(&app, invoice, "33.33", "2026-03-05", "credit-part-key")
        .await
        .unwrap();

    // An empty amount credits everything still open.
    credit(&app, invoice, "", "2026-03-06", "credit-rest-key")
        .await
        .unwrap();
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;

    assert_eq!(detail["summary"]["status"], "Credited");
    assert_eq!(detail["summary"]["open"]["amount"], "0.00");
    for account in ["1100", "4000", "2200"] {
        assert_eq!(balance(&app, "postings", account).await, 0, "{account}");
        assert_eq!(
            balance(&app, "cash_postings", account).await,
            0,
            "{account}"
        );
    }
    let voided = app.call("void_invoice", json!({"id": invoice})).await;
    assert!(voided.is_err(), "a credited invoice cannot also be voided");
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn writing_off_posts_bad_debts_and_moves_nothing_on_the_cash_basis() {
    let app = TestApp::signed_in().await;
    let (customer, invoice) = hundred_and_twenty(&app).await;
    pay(&app, customer, invoice, "20.00", "2026-03-10", "pay-20-key").await;

    app.ok(
        "write_off_invoice",
        json!({"id": invoice, "reason": "Customer closed"}),
    )
    .await;
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;
    let again = app
        .call(
            "write_off_invoice",
            json!({"id": invoice, "reason": "twice"}),
        )
        .await;

    assert_eq!(detail["summary"]["status"], "WrittenOff");
    assert_eq!(detail["write_off"]["amount"]["amount"], "100.00");
    assert_eq!(balance(&app, "postings", "6900").await, 10000);
    assert_eq!(balance(&app, "postings", "1100").await, 0);
    assert_eq!(balance(&app, "cash_postings", "6900").await, 0);
    assert_eq!(balance(&app, "cash_postings", "4000").await, -1667);
    assert!(again.is_err());
    let refused = credit(&app, invoice, "1.00", "2026-03-12", "credit-after-key").await;
    assert!(refused.is_err(), "nothing open is left to credit");
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn credit_notes_and_write_offs_in_a_locked_period_are_refused() {
    let app = TestApp::signed_in().await;
    let (_, invoice) = hundred_and_twenty(&app).await;
    let (_, other) = {
        let customer = app.customer("Kestrel Cycles").await;
        let id = draft(&app, customer, "50.00").await;
        app.ok("issue_invoice", json!({"id": id})).await;
        (customer, id)
    };
    app.ok("lock_books", json!({"through": "2026-03-31"})).await;
    // A write-off is dated today; lock today too, as a closed month-end would.
    sqlx::query("UPDATE business SET lock_date = date('now', '+1 day')")
        .execute(&app.pool)
        .await
        .unwrap();

    let refused = credit(&app, invoice, "10.00", "2026-03-20", "locked-credit-key")
        .await
        .unwrap_err();
    let written = app
        .call("write_off_invoice", json!({"id": other, "reason": "gone"}))
        .await;

    assert_eq!(refused["Invalid"][0][0], "date");
    assert!(written.is_err());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM credit_notes").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM write_offs").await, 0);
}

#[tokio::test]
async fn numbers_restart_on_the_first_of_january_where_the_business_is() {
    let app = TestApp::signed_in().await;
    sqlx::query("UPDATE business SET time_zone = 'Europe/Berlin'")
        .execute(&app.pool)
        .await
        .unwrap();
    let customer = app.customer("Harbor Cafe").await;
    let first = draft(&app, customer, "10.00").await;
    let second = draft(&app, customer, "20.00").await;
    // 23:30 on 31 December and 00:30 on 1 January in Berlin: both still 2026 in UTC.
    let late = chrono::Utc
        .with_ymd_and_hms(2026, 12, 31, 22, 30, 0)
        .unwrap();
    let early = chrono::Utc
        .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
        .unwrap();

    let mut tx = app::store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    let a = app::store::invoices::issue_invoice(&mut tx, app::domain::InvoiceId(first), late)
        .await
        .unwrap();
    let b = app::store::invoices::issue_invoice(&mut tx, app::domain::InvoiceId(second), early)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(a, "INV-2026-0001");
    assert_eq!(b, "INV-2027-0001");
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn concurrent_invoices_and_credit_notes_take_gapless_numbers_of_their_own_series() {
    let app = std::sync::Arc::new(TestApp::signed_in().await);
    let customer = app.customer("Harbor Cafe").await;
    let mut drafts = Vec::new();
    for _ in 0..12 {
        drafts.push(draft(&app, customer, "100.00").await);
    }
    let issued = futures_join(drafts[..6].iter().map(|&id| {
        let app = app.clone();
        async move { app.ok("issue_invoice", json!({"id": id})).await }
    }))
    .await;

    let mixed = futures_join(drafts.iter().enumerate().map(|(i, &id)| {
        let app = app.clone();
        async move {
            if i < 6 {
                credit(
                    &app,
                    id,
                    "12.00",
                    "2026-03-05",
                    &format!("concurrent-credit-{i}"),
                )
                .await
                .unwrap();
            } else {
                app.ok("issue_invoice", json!({"id": id})).await;
            }
        }
    }))
    .await;

    assert_eq!(issued.len(), 6);
    assert_eq!(mixed.len(), 12);
    let numbers: Vec<String> =
        sqlx::query_scalar("SELECT number FROM invoices UNION ALL SELECT number FROM credit_notes")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let distinct: std::collections::BTreeSet<&String> = numbers.iter().collect();
    assert_eq!((numbers.len(), distinct.len()), (18, 18));
    assert_eq!(
        app.scalar("SELECT MAX(sequence) FROM credit_notes").await,
        6
    );
    assert_eq!(app.scalar("SELECT MAX(sequence) FROM invoices").await, 12);
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

/// Runs futures concurrently on the test's runtime and waits for all.
async fn futures_join<T: Send + 'static>(
    futures: impl Iterator<Item = impl std::future::Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("task finished"));
    }
    out
}

#[tokio::test]
async fn duplicating_any_invoice_makes_a_new_draft_with_its_lines() {
    let app = TestApp::signed_in().await;
    let (_, invoice) = hundred_and_twenty(&app).await;

    let copy = app.ok("duplicate_invoice", json!({"id": invoice})).await;
    let detail = app.ok("get_invoice", json!({"id": copy})).await;

    assert_ne!(copy.as_i64(), Some(invoice));
    assert_eq!(detail["summary"]["status"], "Draft");
    assert_eq!(detail["summary"]["number"], Value::Null);
    assert_eq!(detail["lines"][0]["description"], "Design work");
    assert_eq!(detail["totals"]["gross"]["amount"], "120.00");
    assert_eq!(detail["notes"], "Thank you");
}

#[tokio::test]
async fn a_new_pattern_numbers_only_what_is_issued_after_it() {
    let app = TestApp::signed_in().await;
    let (customer, first) = hundred_and_twenty(&app).await;
    let before = app.ok("get_invoice", json!({"id": first})).await["summary"]["number"].clone();

    let bad = app
        .call(
            "save_numbering",
            json!({"form": {"invoice": "INV-{MM}", "credit_note": "CN-{NNNN}"}}),
        )
        .await
        .unwrap_err();
    app.ok(
        "save_numbering",
        json!({"form": {"invoice": "S/{NNN}", "credit_note": "CN-{YYYY}-{NNNN}"}}),
    )
    .await;
    let second = draft(&app, customer, "10.00").await;
    let number = app.ok("issue_invoice", json!({"id": second})).await;
    let after = app.ok("get_invoice", json!({"id": first})).await["summary"]["number"].clone();

    assert_eq!(bad["Invalid"][0][0], "invoice");
    // A running pattern has its own counter beside the yearly one the first invoice used.
    assert_eq!(number, "S/001");
    assert_eq!(after, before);
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_customer_with_documents_is_archived_not_deleted_and_one_without_is_deleted() {
    let app = TestApp::signed_in().await;
    let (customer, _) = hundred_and_twenty(&app).await;
    let spare = app.customer("Never Billed Ltd").await;

    let refused = app
        .call("delete_customer", json!({"id": customer}))
        .await
        .unwrap_err();
    app.ok(
        "archive_customer",
        json!({"id": customer, "archived": true}),
    )
    .await;
    let listed = app
        .ok("list_customers", json!({"search": "", "page": 1}))
        .await;
    let archived = app.ok("list_archived_customers", json!({"page": 1})).await;
    let shown = app.ok("get_customer", json!({"id": customer})).await;
    let new_draft = app
        .call(
            "save_draft",
            json!({"form": {"id": null, "customer_id": customer, "issue_date": "2026-03-02",
                "due_date": "2026-03-16", "currency": "GBP", "notes": "", "lines": [
                {"description": "More", "quantity": "1", "unit_price": "10.00", "discount_percent": "0",
                 "tax_rate": "20", "revenue_account": "4000"}]}}),
        )
        .await
        .unwrap_err();
    let invoices_kept = app
        .scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = 1")
        .await;
    app.ok("delete_customer", json!({"id": spare})).await;
    app.ok(
        "archive_customer",
        json!({"id": customer, "archived": false}),
    )
    .await;
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity_kind = 'customer' AND entity_id IN (?, ?) ORDER BY id",
    )
    .bind(customer)
    .bind(spare)
    .fetch_all(&app.pool)
    .await
    .unwrap();

    assert!(
        refused.to_string().contains("archive"),
        "refusal says what to do: {refused}"
    );
    assert!(refused.to_string().contains("1 invoice"), "{refused}");
    let names = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&listed), vec!["Never Billed Ltd".to_string()]);
    assert_eq!(
        names(&archived),
        vec![shown["name"].as_str().unwrap().to_string()]
    );
    assert_eq!(shown["archived"], true);
    assert_eq!(new_draft["Invalid"][0][0], "customer_id", "{new_draft}");
    assert_eq!(invoices_kept, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM customers").await,
        1,
        "the spare customer is gone"
    );
    assert_eq!(
        actions,
        vec!["created", "created", "archived", "deleted", "restored"]
    );
    assert_eq!(problems(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_new_draft_sent_again_with_its_key_is_made_once_even_when_the_sends_race() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let form = |key: &str| {
        json!({"form": {"id": null, "customer_id": customer, "issue_date": "2026-03-02",
            "due_date": "2026-04-01", "currency": "GBP", "notes": "",
            "lines": [{"description": "Design work", "quantity": "1", "unit_price": "100.00",
                       "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"}],
            "request_key": key}})
    };

    let first = app.ok("save_draft", form("device-key-1")).await;
    let again = app.ok("save_draft", form("device-key-1")).await;
    let racing =
        futures::future::join_all((0..8).map(|_| app.call("save_draft", form("device-key-2"))))
            .await;
    let unkeyed = [
        app.ok("save_draft", form("")).await,
        app.ok("save_draft", form("")).await,
    ];

    assert_eq!(first, again);
    let ids: std::collections::BTreeSet<String> = racing
        .into_iter()
        .map(|r| r.expect("every racing send is answered").to_string())
        .collect();
    assert_eq!(ids.len(), 1, "all racing sends got the one draft: {ids:?}");
    assert_ne!(
        unkeyed[0], unkeyed[1],
        "without a key each save is a new draft"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 4);
}
