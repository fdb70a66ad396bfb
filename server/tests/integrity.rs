//! What the database itself guarantees: concurrency never over-allocates or duplicates
//! numbers, posted rows cannot change, nothing answers without a session, and the demo
//! books pass every check.

mod support;

use serde_json::json;
use support::TestApp;

#[tokio::test]
async fn two_concurrent_payments_to_one_invoice_never_over_allocate() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Race Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let pay = |key: &'static str| {
        let form = json!({"customer_id": customer, "amount": "839.96", "received_on": "2026-03-10", "method": "Card",
            "reference": "", "allocations": [[invoice, "839.96"]], "keep_excess_as_credit": false, "idempotency_key": key});
        app.call("record_payment", json!({"form": form}))
    };

    let (a, b) = tokio::join!(pay("race-key-one"), pay("race-key-two"));

    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one payment may succeed: {a:?} {b:?}"
    );
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM allocations")
            .await,
        83_996
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
}

#[tokio::test]
async fn concurrent_issues_get_consecutive_unique_numbers() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Busy Ltd").await;
    let mut drafts = Vec::new();
    for _ in 0..8 {
        drafts.push(app.harbor_draft(customer).await);
    }

    let results = futures::future::join_all(
        drafts
            .iter()
            .map(|id| app.call("issue_invoice", json!({"id": id}))),
    )
    .await;

    let mut numbers: Vec<String> = results
        .into_iter()
        .map(|r| r.expect("issued").as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(support::invoice_number).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_postings() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Ledger Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;

    let update = sqlx::query("UPDATE postings SET amount_minor = amount_minor + 1")
        .execute(&app.pool)
        .await;
    let delete = sqlx::query("DELETE FROM journal_entries")
        .execute(&app.pool)
        .await;
    let edit_issued = sqlx::query("UPDATE invoices SET total_minor = 1")
        .execute(&app.pool)
        .await;

    assert!(update
        .unwrap_err()
        .to_string()
        .contains("postings cannot be changed"));
    assert!(delete
        .unwrap_err()
        .to_string()
        .contains("cannot be deleted"));
    assert!(edit_issued
        .unwrap_err()
        .to_string()
        .contains("issued invoices cannot be changed"));
}

#[tokio::test]
async fn no_server_function_answers_without_a_session() {
    let app = TestApp::start().await;
    let public = settle::auth::PUBLIC_FUNCTIONS;

    let paths: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();

    assert!(
        paths.len() >= 15,
        "expected every server function to be registered, got {paths:?}"
    );
    for path in paths.iter().filter(|p| !public.contains(&p.as_str())) {
        let response = app
            .client
            .post(format!("http://{}{path}", app.addr))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{path} answered without a session");
    }
    let events = app
        .client
        .get(format!("http://{}/events", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 401);
}

#[tokio::test]
async fn demo_books_pass_every_check() {
    let app = TestApp::start().await;
    let mut tx = app::store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let gbp = app::domain::Currency::parse("GBP").unwrap();

    let summary = app::store::demo::fill_demo(&mut tx, gbp, today, 42)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();

    assert_eq!(summary.customers, 25);
    assert_eq!(summary.invoices + summary.drafts, 300);
    assert!(summary.voided > 0 && summary.payments > 100);
    assert!(problems.is_empty(), "{problems:#?}");
    let dashboard = app::store::dashboard::dashboard(&mut conn, gbp, today)
        .await
        .unwrap();
    assert_eq!(dashboard.outstanding, dashboard.aging.total());
    assert!(dashboard.outstanding.is_positive() && dashboard.bank_balance.is_positive());
}

#[tokio::test]
async fn check_reports_a_tampered_ledger() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Tamper Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    sqlx::query("DROP TRIGGER postings_no_update")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE postings SET amount_minor = amount_minor + 1 WHERE account_code = '4000'")
        .execute(&app.pool)
        .await
        .unwrap();

    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();

    assert!(
        problems.iter().any(|p| p.contains("instead of zero")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("postings_no_update")),
        "{problems:#?}"
    );
}

#[tokio::test]
async fn the_status_filter_in_sql_agrees_with_the_domain_rule() {
    let app = TestApp::start().await;
    let mut tx = app::store::begin_write(&app.pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let gbp = app::domain::Currency::parse("GBP").unwrap();
    app::store::demo::fill_demo(&mut tx, gbp, today, 3)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let mut counted = 0;

    for status in app::domain::InvoiceStatus::ALL {
        let filter = app::store::invoices::InvoiceFilter {
            status: Some(status),
            ..Default::default()
        };
        let page = app::store::invoices::list_invoices(&mut conn, &filter, today, 1, 1000)
            .await
            .unwrap();
        assert!(
            page.items.iter().all(|i| i.status == status),
            "{status:?} filter returned other statuses"
        );
        counted += page.total;
    }

    assert_eq!(counted, 300, "every invoice has exactly one status");
}

#[tokio::test]
async fn an_issued_invoice_keeps_the_customer_details_it_was_issued_with() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Old Name Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let form = json!({"name": "New Name Ltd", "email": "", "billing_address": "Elsewhere", "tax_id": "",
        "currency": "GBP", "payment_terms_days": "14", "notes": ""});

    app.ok("save_customer", json!({"id": customer, "form": form}))
        .await;
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;

    assert_eq!(detail["summary"]["customer_name"], "Old Name Ltd");
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let app = TestApp::signed_in().await;
    let attempt = |password: &'static str| {
        app.call(
            "sign_in",
            json!({"email": "owner@example.com", "password": password}),
        )
    };

    for _ in 0..5 {
        assert!(attempt("wrong password!").await.is_err());
    }
    let locked = attempt("correct horse battery").await;

    assert!(locked
        .unwrap_err()
        .to_string()
        .contains("Too many failed attempts"));
}
