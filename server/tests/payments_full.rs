//! Payments in full, through the server functions on a real SQLite file: bank accounts,
//! processor fees, customer credit applied and refunded, payments reversed and refunded, and
//! every request recorded once per idempotency key.

mod support;

use serde_json::{json, Value};
use support::TestApp;

/// Issues an invoice of 100.00 + 21% tax = 121.00, due far ahead so its status reads plainly.
async fn issue_121(app: &TestApp, customer: i64) -> i64 {
    let line = json!({"description": "Consulting", "quantity": "1", "unit_price": "100.00",
        "discount_percent": "0", "tax_rate": "21", "revenue_account": "4000"});
    let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
        "due_date": "2099-12-31", "currency": "GBP", "notes": "", "lines": [line]});
    let id = app
        .ok("save_draft", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": id})).await;
    id
}

fn payment_form(customer: i64, amount: &str, key: &str) -> Value {
    json!({"customer_id": customer, "amount": amount, "received_on": "2026-03-10", "method": "Card",
        "reference": "", "allocations": [], "keep_excess_as_credit": true, "idempotency_key": key,
        "fee": "", "fee_account": null, "bank_account_id": null})
}

async fn record(app: &TestApp, form: Value) -> Result<Value, Value> {
    app.call("record_payment", json!({ "form": form })).await
}

async fn reverse(
    app: &TestApp,
    payment: i64,
    kind: &str,
    date: &str,
    key: &str,
) -> Result<Value, Value> {
    let form = json!({"payment_id": payment, "kind": kind, "date": date, "idempotency_key": key});
    app.call("reverse_payment", json!({ "form": form })).await
}

async fn use_credit(
    app: &TestApp,
    customer: i64,
    invoice: Option<i64>,
    amount: &str,
    key: &str,
) -> Result<Value, Value> {
    let form = json!({"customer_id": customer, "invoice_id": invoice, "bank_account_id": null,
        "amount": amount, "date": "2026-04-01", "idempotency_key": key});
    app.call("use_credit", json!({ "form": form })).await
}

/// Postings of one entry as (account, minor), sorted.
async fn postings(app: &TestApp, table: &str, entry: i64) -> Vec<(String, i64)> {
    let sql = match table {
        "postings" => {
            "SELECT account_code, SUM(amount_minor) FROM postings WHERE entry_id = ?
            GROUP BY account_code ORDER BY account_code"
        }
        _ => {
            "SELECT account_code, SUM(amount_minor) FROM cash_postings WHERE entry_id = ?
            GROUP BY account_code ORDER BY account_code"
        }
    };
    sqlx::query_as(sql)
        .bind(entry)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn int(app: &TestApp, sql: &'static str, bind: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn status(app: &TestApp, invoice: i64) -> (String, String) {
    let detail = app.ok("get_invoice", json!({"id": invoice})).await;
    (
        detail["summary"]["status"].as_str().unwrap().to_string(),
        detail["summary"]["open"]["amount"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

async fn open_row(app: &TestApp, invoice: i64) -> i64 {
    int(
        app,
        "SELECT COALESCE(MAX(open_minor), 0) FROM open_invoices WHERE invoice_id = ?",
        invoice,
    )
    .await
}

async fn assert_books_sound(app: &TestApp) {
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(a, m)| (a.to_string(), *m)).collect()
}

#[tokio::test]
async fn a_card_payment_of_121_with_a_2_05_fee_banks_118_95_and_pays_the_invoice() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Card Customer").await;
    let invoice = issue_121(&app, customer).await;
    let card = app
        .ok(
            "create_bank_account",
            json!({"name": "Card takings", "iban": ""}),
        )
        .await;
    let mut form = payment_form(customer, "121.00", "card-fee-key-1");
    form["fee"] = json!("2.05");
    form["bank_account_id"] = card["id"].clone();

    let receipt = record(&app, form).await.expect("recorded");

    let payment = receipt["payment_id"].as_i64().unwrap();
    let entry = int(&app, "SELECT entry_id FROM payments WHERE id = ?", payment).await;
    assert_eq!(
        postings(&app, "postings", entry).await,
        pairs(&[("1001", 11_895), ("1100", -12_100), ("6500", 205)])
    );
    assert_eq!(
        postings(&app, "cash_postings", entry).await,
        pairs(&[
            ("1001", 11_895),
            ("2200", -2_100),
            ("4000", -10_000),
            ("6500", 205)
        ])
    );
    assert_eq!(status(&app, invoice).await, ("Paid".into(), "0.00".into()));
    let detail = app.ok("get_payment", json!({"id": payment})).await;
    assert_eq!(detail["bank_account"], "Card takings");
    assert_eq!(detail["fee"]["amount"], "2.05");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn a_fee_of_the_whole_amount_or_below_zero_is_refused_and_nothing_is_recorded() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Fee Customer").await;
    issue_121(&app, customer).await;
    let mut whole = payment_form(customer, "121.00", "fee-refused-1");
    whole["fee"] = json!("121.00");
    let mut negative = payment_form(customer, "121.00", "fee-refused-2");
    negative["fee"] = json!("-1.00");

    let whole = record(&app, whole).await.unwrap_err();
    let negative = record(&app, negative).await.unwrap_err();

    assert!(
        whole.to_string().contains("less than the amount"),
        "{whole}"
    );
    assert!(negative.to_string().contains("negative"), "{negative}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 0);
}

#[tokio::test]
async fn reversing_a_payment_mirrors_its_entry_and_reopens_its_invoice() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Reverse Ltd").await;
    let invoice = issue_121(&app, customer).await;
    let first = record(&app, payment_form(customer, "50.00", "reverse-pay-1"))
        .await
        .unwrap();
    let mut second = payment_form(customer, "71.00", "reverse-pay-2");
    second["fee"] = json!("1.00");
    let second = record(&app, second).await.unwrap();
    let second = second["payment_id"].as_i64().unwrap();
    assert_eq!(status(&app, invoice).await.0, "Paid");

    let done = reverse(&app, second, "Reversal", "", "reverse-key-1")
        .await
        .expect("reversed");

    let reversal = done["entry_ids"][0].as_i64().unwrap();
    let original = int(&app, "SELECT entry_id FROM payments WHERE id = ?", second).await;
    let mirrored: Vec<(String, i64)> = postings(&app, "postings", original)
        .await
        .into_iter()
        .map(|(a, m)| (a, -m))
        .collect();
    assert_eq!(postings(&app, "postings", reversal).await, mirrored);
    let cash_mirror: Vec<(String, i64)> = postings(&app, "cash_postings", original)
        .await
        .into_iter()
        .map(|(a, m)| (a, -m))
        .collect();
    assert_eq!(postings(&app, "cash_postings", reversal).await, cash_mirror);
    let date: String = sqlx::query_scalar("SELECT date FROM journal_entries WHERE id = ?")
        .bind(reversal)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(date, "2026-03-10");
    assert_eq!(
        status(&app, invoice).await,
        ("PartiallyPaid".into(), "71.00".into())
    );
    assert_eq!(open_row(&app, invoice).await, 7_100);
    assert_eq!(
        int(
            &app,
            "SELECT COUNT(*) FROM allocations WHERE payment_id = ?",
            second
        )
        .await,
        1
    );
    assert_books_sound(&app).await;

    let again = reverse(&app, second, "Reversal", "", "reverse-key-2")
        .await
        .unwrap_err();
    let retry = reverse(&app, second, "Reversal", "", "reverse-key-1")
        .await
        .unwrap();
    assert!(again.to_string().contains("already reversed"), "{again}");
    assert_eq!(retry, done);
    let first = first["payment_id"].as_i64().unwrap();
    reverse(&app, first, "Reversal", "2026-05-01", "reverse-key-3")
        .await
        .unwrap();
    assert_eq!(
        status(&app, invoice).await,
        ("Issued".into(), "121.00".into())
    );
    assert_eq!(open_row(&app, invoice).await, 12_100);
    let listed = app.ok("list_payments", json!({"page": 1})).await;
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["reversed"] == true));
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn credit_is_applied_to_a_later_invoice_once_and_reversing_its_payment_takes_it_back() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Credit Ltd").await;
    let first = issue_121(&app, customer).await;
    let paid = record(&app, payment_form(customer, "151.00", "credit-pay-1"))
        .await
        .unwrap();
    assert_eq!(paid["credit"]["amount"], "30.00");
    let second = issue_121(&app, customer).await;
    let credit = app
        .ok("get_customer_credit", json!({"customer_id": customer}))
        .await;
    assert_eq!(credit["amount"], "30.00");

    let applied = use_credit(&app, customer, Some(second), "30.00", "apply-credit-1")
        .await
        .unwrap();
    let retried = use_credit(&app, customer, Some(second), "30.00", "apply-credit-1")
        .await
        .unwrap();
    let other = use_credit(&app, customer, Some(second), "20.00", "apply-credit-1")
        .await
        .unwrap_err();
    let too_much = use_credit(&app, customer, Some(second), "0.01", "apply-credit-2")
        .await
        .unwrap_err();

    assert_eq!(applied, retried);
    assert!(other.to_string().contains("already used"), "{other}");
    assert!(too_much.to_string().contains("credit"), "{too_much}");
    let entry = applied["entry_ids"][0].as_i64().unwrap();
    assert_eq!(
        postings(&app, "postings", entry).await,
        pairs(&[("1100", -3_000), ("2100", 3_000)])
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries WHERE source = 'credit_applied'")
            .await,
        1
    );
    assert_eq!(
        status(&app, second).await,
        ("PartiallyPaid".into(), "91.00".into())
    );
    assert_eq!(open_row(&app, second).await, 9_100);
    assert_eq!(
        app.scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM postings WHERE account_code = '2100'"
        )
        .await,
        0
    );
    assert_books_sound(&app).await;

    let payment = paid["payment_id"].as_i64().unwrap();
    reverse(&app, payment, "Reversal", "", "credit-reverse-1")
        .await
        .expect("reversed");

    assert_eq!(
        status(&app, first).await,
        ("Issued".into(), "121.00".into())
    );
    assert_eq!(
        status(&app, second).await,
        ("Issued".into(), "121.00".into())
    );
    assert_eq!(open_row(&app, second).await, 12_100);
    let credit = app
        .ok("get_customer_credit", json!({"customer_id": customer}))
        .await;
    assert_eq!(credit["amount"], "0.00");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn refunded_credit_leaves_the_bank_and_blocks_reversing_its_payment() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Refund Ltd").await;
    let invoice = issue_121(&app, customer).await;
    let paid = record(&app, payment_form(customer, "141.00", "refund-pay-1"))
        .await
        .unwrap();
    let payment = paid["payment_id"].as_i64().unwrap();

    let refund = use_credit(&app, customer, None, "20.00", "refund-credit-1")
        .await
        .unwrap();
    let blocked = reverse(&app, payment, "Reversal", "", "refund-reverse-1")
        .await
        .unwrap_err();

    let entry = refund["entry_ids"][0].as_i64().unwrap();
    assert_eq!(
        postings(&app, "postings", entry).await,
        pairs(&[("1000", -2_000), ("2100", 2_000)])
    );
    assert_eq!(
        postings(&app, "cash_postings", entry).await,
        pairs(&[("1000", -2_000), ("2100", 2_000)])
    );
    assert!(blocked.to_string().contains("refunded"), "{blocked}");
    assert_eq!(status(&app, invoice).await.0, "Paid");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn refunding_a_payment_sends_the_money_back_and_reopens_the_invoice() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Payback Ltd").await;
    let invoice = issue_121(&app, customer).await;
    let paid = record(&app, payment_form(customer, "121.00", "payback-pay-1"))
        .await
        .unwrap();
    let payment = paid["payment_id"].as_i64().unwrap();

    let refund = reverse(&app, payment, "Refund", "2026-06-01", "payback-refund-1")
        .await
        .unwrap();

    let entry = refund["entry_ids"][0].as_i64().unwrap();
    assert_eq!(
        postings(&app, "postings", entry).await,
        pairs(&[("1000", -12_100), ("1100", 12_100)])
    );
    let source: String = sqlx::query_scalar("SELECT source FROM journal_entries WHERE id = ?")
        .bind(entry)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(source, "payment_refund");
    assert_eq!(
        status(&app, invoice).await,
        ("Issued".into(), "121.00".into())
    );
    let detail = app.ok("get_payment", json!({"id": payment})).await;
    assert_eq!(detail["reversal"][0], "Refund");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn a_reversal_in_a_locked_period_is_refused_with_the_lock_named() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Locked Ltd").await;
    let invoice = issue_121(&app, customer).await;
    let paid = record(&app, payment_form(customer, "121.00", "locked-pay-1"))
        .await
        .unwrap();
    let payment = paid["payment_id"].as_i64().unwrap();
    app.ok("lock_books", json!({"through": "2026-03-31"})).await;

    let on_its_day = reverse(&app, payment, "Reversal", "", "locked-rev-1")
        .await
        .unwrap_err();
    let later = reverse(&app, payment, "Reversal", "2026-04-01", "locked-rev-2").await;

    assert!(
        on_its_day.to_string().contains("locked up to 2026-03-31"),
        "{on_its_day}"
    );
    assert!(later.is_ok(), "{later:?}");
    assert_eq!(status(&app, invoice).await.0, "Issued");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn the_same_request_sent_16_times_at_once_is_recorded_once() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Retry Ltd").await;
    let first = issue_121(&app, customer).await;
    let second = issue_121(&app, customer).await;
    let mut form = payment_form(customer, "150.00", "same-payment-key");
    form["allocations"] = json!([[first, "121.00"]]);

    let payments = futures::future::join_all((0..16).map(|_| record(&app, form.clone()))).await;
    let payment = payments[0].as_ref().unwrap()["payment_id"]
        .as_i64()
        .unwrap();
    let credits = futures::future::join_all(
        (0..16).map(|_| use_credit(&app, customer, Some(second), "29.00", "same-credit-key")),
    )
    .await;
    let reversals = futures::future::join_all(
        (0..16).map(|_| reverse(&app, payment, "Reversal", "", "same-reversal-key")),
    )
    .await;

    for results in [&payments, &credits, &reversals] {
        let first_answer = results[0].as_ref().expect("the first succeeds");
        assert!(
            results.iter().all(|r| r.as_ref() == Ok(first_answer)),
            "{results:#?}"
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries WHERE source = 'credit_applied'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_reversals").await,
        1
    );
    assert_eq!(status(&app, first).await.1, "121.00");
    assert_eq!(status(&app, second).await.1, "121.00");
    assert_books_sound(&app).await;
}

/// Any sequence of payments, credit applications and reversals keeps the books sound and
/// each invoice's open balance equal to its total less its live allocations.
#[tokio::test]
async fn any_sequence_of_payments_and_reversals_keeps_the_books_sound() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Busy Ltd").await;
    for _ in 0..4 {
        issue_121(&app, customer).await;
    }
    // A small linear congruential generator: the same "random" sequence on every run.
    let mut seed: u64 = 0x5e77_1e00;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };

    for step in 0..30 {
        match next(3) {
            0 => {
                let amount = format!("{}.{:02}", 1 + next(150), next(100));
                let mut form = payment_form(customer, &amount, &format!("seq-pay-{step}"));
                form["fee"] = json!(format!("0.{:02}", next(100)));
                let _ = record(&app, form).await;
            }
            1 => {
                let invoice = 1 + next(4) as i64;
                let amount = format!("{}.{:02}", next(40), next(100));
                let _ = use_credit(
                    &app,
                    customer,
                    Some(invoice),
                    &amount,
                    &format!("seq-credit-{step}"),
                )
                .await;
            }
            _ => {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM payments WHERE id NOT IN (SELECT payment_id FROM payment_reversals)",
                )
                .fetch_all(&app.pool)
                .await
                .unwrap();
                if let Some(id) = ids.get(next(ids.len().max(1) as u64) as usize) {
                    let _ =
                        reverse(&app, *id, "Reversal", "", &format!("seq-reverse-{step}")).await;
                }
            }
        }
        assert_books_sound(&app).await;
    }

    let wrong = app
        .scalar(
            "SELECT COUNT(*) FROM invoices i WHERE i.lifecycle = 'issued' AND i.total_minor
                - COALESCE((SELECT SUM(amount_minor) FROM live_allocations WHERE invoice_id = i.id), 0)
                <> COALESCE((SELECT open_minor FROM open_invoices WHERE invoice_id = i.id), 0)",
        )
        .await;
    assert_eq!(wrong, 0);
    assert!(app.scalar("SELECT COUNT(*) FROM payment_reversals").await > 0);
}

/// Dates and states that would put money where it never was are refused, and nothing moves.
#[tokio::test]
async fn credit_and_reversals_keep_to_the_days_the_money_existed() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let first = issue_121(&app, customer).await;
    let second = issue_121(&app, customer).await;
    // 300 on 10 March pays the first (121.00) and the second (121.00) and leaves 58.00 credit.
    let paid = record(&app, payment_form(customer, "300.00", "early-credit"))
        .await
        .unwrap();
    let payment = paid["payment_id"].as_i64().unwrap();
    let third = issue_121(&app, customer).await;

    let before_the_money = json!({"customer_id": customer, "invoice_id": third, "bank_account_id": null,
        "amount": "10.00", "date": "2026-03-05", "idempotency_key": "credit-too-early"});
    let refused = app
        .call("use_credit", json!({ "form": before_the_money }))
        .await
        .expect_err("credit before the payment that made it");
    assert!(
        refused.to_string().contains("credit on that day"),
        "{refused}"
    );
    let refund_too_early = json!({"customer_id": customer, "invoice_id": null, "bank_account_id": 1,
        "amount": "10.00", "date": "1900-01-01", "idempotency_key": "refund-too-early"});
    assert!(app
        .call("use_credit", json!({ "form": refund_too_early }))
        .await
        .is_err());
    use_credit(&app, customer, Some(third), "58.00", "credit-in-april")
        .await
        .expect("credit applied on 1 April");

    let future = reverse(&app, payment, "Reversal", "2999-12-31", "reverse-future").await;
    let before_application =
        reverse(&app, payment, "Reversal", "2026-03-20", "reverse-early").await;

    let future = future.expect_err("a reversal in the future");
    assert!(
        future.to_string().contains("today or an earlier day"),
        "{future}"
    );
    let early = before_application.expect_err("a reversal before its credit was applied");
    assert!(
        early
            .to_string()
            .contains("credit was applied on 2026-04-01"),
        "{early}"
    );
    assert_eq!(
        int(
            &app,
            "SELECT COUNT(*) FROM payment_reversals WHERE payment_id = ?",
            payment
        )
        .await,
        0
    );
    for invoice in [first, second] {
        assert_eq!(status(&app, invoice).await.0, "Paid");
    }
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn a_payment_on_a_written_off_invoice_is_not_reversed_from_under_the_write_off() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = issue_121(&app, customer).await;
    let mut form = payment_form(customer, "21.00", "part-before-write-off");
    form["keep_excess_as_credit"] = json!(false);
    let paid = record(&app, form).await.unwrap();
    app.ok(
        "write_off_invoice",
        json!({"id": invoice, "reason": "Gone away"}),
    )
    .await;

    let refused = reverse(
        &app,
        paid["payment_id"].as_i64().unwrap(),
        "Reversal",
        "",
        "undo-part",
    )
    .await
    .expect_err("the invoice was written off after the payment");

    assert!(refused.to_string().contains("written off"), "{refused}");
    assert_eq!(status(&app, invoice).await.1, "0.00");
    assert_books_sound(&app).await;
}

#[tokio::test]
async fn a_bank_account_holding_money_or_the_default_one_stays_open() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_121(&app, customer).await;
    let savings = app
        .ok(
            "create_bank_account",
            json!({"name": "Savings", "iban": ""}),
        )
        .await;
    let id = savings["id"].as_i64().unwrap();
    let mut form = payment_form(customer, "121.00", "into-savings");
    form["bank_account_id"] = json!(id);
    record(&app, form).await.unwrap();

    let holding = app.call("archive_bank_account", json!({"id": id})).await;
    let default = app.call("archive_bank_account", json!({"id": 1})).await;
    let control = app
        .call(
            "create_bank_account",
            json!({"name": "Petty\ncash", "iban": ""}),
        )
        .await;

    assert!(holding
        .expect_err("holds 121.00")
        .to_string()
        .contains("still holds money"));
    assert!(default
        .expect_err("the default")
        .to_string()
        .contains("stays open"));
    assert!(control
        .expect_err("a newline")
        .to_string()
        .contains("control characters"));
    let empty = app
        .ok(
            "create_bank_account",
            json!({"name": "Old card", "iban": ""}),
        )
        .await;
    app.ok("archive_bank_account", json!({"id": empty["id"]}))
        .await;
}
