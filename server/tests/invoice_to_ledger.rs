//! The main job through the real app: issue, pay part, pay the rest with an overpayment,
//! and the books that follow.

mod support;

use serde_json::json;
use support::TestApp;

#[tokio::test]
async fn issue_then_pay_part_then_rest_posts_the_books_of_the_issue() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;

    let number = app.ok("issue_invoice", json!({"id": invoice})).await;
    let first = app
        .pay(customer, "400.00", "2026-03-10", "key-first-payment", false)
        .await;
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;

    assert_eq!(number, support::invoice_number(1).as_str());
    assert!(first.is_ok(), "{first:?}");
    assert_eq!(detail["totals"]["net"]["amount"], "719.97");
    assert_eq!(detail["totals"]["tax"]["amount"], "119.99");
    assert_eq!(detail["totals"]["gross"]["amount"], "839.96");
    assert_eq!(detail["summary"]["open"]["amount"], "439.96");
    let dashboard = app.ok("get_dashboard", json!({})).await;
    assert_eq!(dashboard["outstanding"]["amount"], "439.96");
    assert_eq!(dashboard["overdue"]["amount"], "439.96");
    assert_eq!(dashboard["bank_balance"]["amount"], "400.00");
    // The invoice was due in March 2026; "today" is later, so the partly paid invoice is overdue.
    assert_eq!(detail["summary"]["status"], "Overdue");

    let refused = app
        .pay(
            customer,
            "500.00",
            "2026-03-20",
            "key-second-payment",
            false,
        )
        .await;
    let second = app
        .pay(customer, "500.00", "2026-03-20", "key-second-payment", true)
        .await
        .expect("overpayment accepted");
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;
    let trial = app
        .ok("get_trial_balance", json!({"as_of": "", "basis": ""}))
        .await;

    assert!(
        refused.is_err(),
        "an overpayment without consent must be refused"
    );
    assert_eq!(second["credit"]["amount"], "60.04");
    assert_eq!(detail["summary"]["status"], "Paid");
    let balance = |code: &str| {
        trial["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["balance"]["amount"].as_str().unwrap().to_string())
    };
    assert_eq!(balance("1000").as_deref(), Some("900.00"));
    assert_eq!(balance("2100").as_deref(), Some("-60.04"));
    assert_eq!(balance("4000").as_deref(), Some("-719.97"));
    assert_eq!(balance("2200").as_deref(), Some("-119.99"));
    assert_eq!(balance("1100").as_deref(), Some("0.00"));
    assert_eq!(trial["total_debit"], trial["total_credit"]);
    let payments = app.ok("list_payments", json!({"page": 1})).await;
    let newest = &payments["items"][0];
    assert_eq!(payments["total"], 2);
    assert_eq!(newest["amount"]["amount"], "500.00");
    assert_eq!(newest["allocated"]["amount"], "439.96");
    assert_eq!(
        newest["invoices"][0][1],
        support::invoice_number(1).as_str()
    );
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM postings").await,
        0
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 2);
}

#[tokio::test]
async fn a_repeated_payment_request_records_one_payment() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Repeat Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;

    let (a, b) = tokio::join!(
        app.pay(customer, "100.00", "2026-03-10", "same-key-twice", false),
        app.pay(customer, "100.00", "2026-03-10", "same-key-twice", false)
    );

    assert_eq!(
        a.expect("first")["payment_id"],
        b.expect("second")["payment_id"]
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM allocations")
            .await,
        10_000
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_field_messages_and_saves_nothing() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Careful Co").await;
    let bad_line = json!({"description": "Hours", "quantity": "-2", "unit_price": "12.3.4", "discount_percent": "",
        "tax_rate": "20", "revenue_account": "4000"});
    let form = json!({"id": null, "customer_id": null, "issue_date": "2026-03-02", "due_date": "2026-03-16",
        "currency": "XYZ", "notes": "", "lines": [bad_line]});

    let error = app
        .call("save_draft", json!({"form": form}))
        .await
        .expect_err("refused");
    let overpaid = app
        .pay(customer, "10.00", "2026-03-10", "no-open-invoices", false)
        .await
        .expect_err("refused");
    let malformed = app
        .pay(customer, "12,50", "2026-03-10", "malformed-amount", false)
        .await
        .expect_err("refused");

    let fields: Vec<String> = error["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap().to_string())
        .collect();
    for field in [
        "customer_id",
        "currency",
        "lines.0.quantity",
        "lines.0.unit_price",
    ] {
        assert!(
            fields.contains(&field.to_string()),
            "{field} missing from {fields:?}"
        );
    }
    assert!(overpaid.to_string().contains("amount"), "{overpaid}");
    assert!(malformed.to_string().contains("amount"), "{malformed}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 0);
}

#[tokio::test]
async fn voiding_posts_the_exact_reversal_and_refuses_paid_invoices() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Void Ltd").await;
    let unpaid = app.harbor_draft(customer).await;
    let paid = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": unpaid})).await;
    app.ok("issue_invoice", json!({"id": paid})).await;
    let form = json!({"customer_id": customer, "amount": "10.00", "received_on": "2026-03-10", "method": "Cash",
        "reference": "", "allocations": [[paid, "10.00"]], "keep_excess_as_credit": false, "idempotency_key": "void-test-pay"});
    app.ok("record_payment", json!({"form": form})).await;

    app.ok("void_invoice", json!({"id": unpaid})).await;
    let refused = app.call("void_invoice", json!({"id": paid})).await;
    let detail = app.ok("get_invoice", json!({"id": unpaid})).await;

    assert!(refused.is_err());
    assert_eq!(detail["summary"]["status"], "Void");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries WHERE reverses IS NOT NULL")
            .await,
        1
    );
    let receivables = app
        .scalar("SELECT SUM(amount_minor) FROM postings WHERE account_code = '1100'")
        .await;
    assert_eq!(receivables, 83_996 - 1_000);
}

#[tokio::test]
async fn refused_input_answers_422_and_an_unknown_page_404() {
    let app = TestApp::signed_in().await;

    let refused = app
        .client
        .post(format!("http://{}/api/get_invoice", app.addr))
        .json(&json!({"id": 999}))
        .send()
        .await
        .unwrap();
    let invalid = app
        .client
        .post(format!("http://{}/api/get_trial_balance", app.addr))
        .json(&json!({"as_of": "yesterday", "basis": ""}))
        .send()
        .await
        .unwrap();
    let page = app
        .client
        .get(format!("http://{}/no/such/page", app.addr))
        .send()
        .await
        .unwrap();

    assert_eq!(refused.status(), 404);
    assert_eq!(invalid.status(), 422);
    assert_eq!(page.status(), 404);
    assert!(
        page.text().await.unwrap().contains("<html"),
        "the app renders its own not-found page"
    );
}

#[tokio::test]
async fn amounts_too_large_for_the_books_are_refused_before_anything_is_saved() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Huge Ltd").await;
    let line = |q: &str, p: &str| json!({"description": "Big", "quantity": q, "unit_price": p, "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"});
    let draft = |lines: serde_json::Value| {
        json!({"form": {"id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
            "currency": "GBP", "notes": "", "lines": lines}})
    };

    let overflow = app
        .call(
            "save_draft",
            draft(json!([line("999999999999999", "999999999999999")])),
        )
        .await;
    let huge_total = app
        .call("save_draft", draft(json!([line("1000000", "1000000000")])))
        .await;
    let odd_year = app
        .call("save_draft", json!({"form": {"id": null, "customer_id": customer, "issue_date": "+99999-01-01",
            "due_date": "+99999-02-01", "currency": "GBP", "notes": "", "lines": [line("1", "1")]}}))
        .await;
    let huge_payment = app
        .pay(
            customer,
            "99999999999.00",
            "2026-03-10",
            "huge-payment-key",
            true,
        )
        .await;

    assert!(overflow
        .unwrap_err()
        .to_string()
        .contains("lines.0.quantity"));
    assert!(huge_total.unwrap_err().to_string().contains("too large"));
    assert!(odd_year.unwrap_err().to_string().contains("issue_date"));
    assert!(huge_payment.unwrap_err().to_string().contains("too large"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 0);
}

#[tokio::test]
async fn a_payment_received_before_an_invoice_was_issued_is_not_allocated_to_it() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Early Bird Ltd").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;

    let refused = app
        .pay(customer, "100.00", "2026-01-15", "early-payment", false)
        .await;
    let as_credit = app
        .pay(
            customer,
            "100.00",
            "2026-01-15",
            "early-payment-credit",
            true,
        )
        .await
        .expect("kept as credit");

    assert!(refused.is_err());
    assert_eq!(as_credit["credit"]["amount"], "100.00");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM allocations").await, 0);
}

#[tokio::test]
async fn percentages_may_be_typed_with_a_percent_sign() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Percent Ltd").await;
    let line = json!({"description": "Kits", "quantity": "3", "unit_price": "19.99", "discount_percent": "10%",
        "tax_rate": " 20 %", "revenue_account": "4000"});
    let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
        "currency": "GBP", "notes": "", "lines": [line]});

    let id = app.ok("save_draft", json!({"form": form})).await;
    let detail = app.ok("get_invoice", json!({"id": id})).await;

    assert_eq!(detail["totals"]["net"]["amount"], "53.97");
    assert_eq!(detail["totals"]["tax"]["amount"], "10.79");
}
