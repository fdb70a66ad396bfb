//! Bank statement import against real SQLite: the preview, importing once however often the
//! file comes (also at the same moment), matching and confirming a transfer that pays two
//! invoices, confirming once under concurrency, booking lines and learning rules, refusing a
//! bad file whole, and the `settle import` command.

mod support;

use base64::Engine;
use serde_json::{json, Value};
use std::process::Command;
use support::TestApp;

const HARBOR: &[u8] = include_bytes!("fixtures/bank/harbor.csv");
const BAD: &[u8] = include_bytes!("fixtures/bank/bad_dates.csv");

fn upload(bytes: &[u8]) -> Value {
    json!({"upload": {
        "bank_account_id": 1,
        "file_name": "harbor.csv",
        "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
        "csv": null,
    }})
}

/// A customer with two issued invoices of 50.00 and 70.00 (no tax).
async fn harbor_with_two_invoices(app: &TestApp) -> (i64, i64, i64) {
    let customer = app.customer("Harbor Coffee Ltd").await;
    let mut invoices = Vec::new();
    for price in ["50.00", "70.00"] {
        let form = json!({
            "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
            "currency": "GBP", "notes": "",
            "lines": [{"description": "Beans", "quantity": "1", "unit_price": price,
                       "discount_percent": "0", "tax_rate": "0", "revenue_account": "4000"}]
        });
        let id = app
            .ok("save_draft", json!({"form": form}))
            .await
            .as_i64()
            .unwrap();
        app.ok("issue_invoice", json!({"id": id})).await;
        invoices.push(id);
    }
    (customer, invoices[0], invoices[1])
}

async fn books_check(app: &TestApp) {
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

async fn lines(app: &TestApp) -> Vec<Value> {
    app.ok("list_bank_lines", json!({"bank_account_id": 1}))
        .await["lines"]
        .as_array()
        .unwrap()
        .clone()
}

fn line_with(lines: &[Value], amount: &str) -> Value {
    lines
        .iter()
        .find(|l| l["amount"]["amount"] == amount)
        .unwrap_or_else(|| panic!("no line of {amount} in {lines:#?}"))
        .clone()
}

#[tokio::test]
async fn the_preview_reads_the_file_and_saves_nothing() {
    let app = TestApp::signed_in().await;

    let preview = app.ok("preview_statement", upload(HARBOR)).await;

    assert_eq!(preview["format"], "CSV");
    assert_eq!(preview["new_lines"], 3);
    assert_eq!(preview["known_lines"], 0);
    assert_eq!(preview["csv"]["delimiter"], ";");
    assert_eq!(preview["csv"]["decimal"], "comma");
    assert_eq!(preview["lines"][1]["amount"]["amount"], "-45.90");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 0);
}

#[tokio::test]
async fn the_same_statement_imported_twice_saves_each_line_once() {
    let app = TestApp::signed_in().await;

    let first = app.ok("import_statement", upload(HARBOR)).await;
    let second = app.ok("import_statement", upload(HARBOR)).await;
    let preview = app.ok("preview_statement", upload(HARBOR)).await;

    assert_eq!(first, json!({"imported": 3, "skipped": 0}));
    assert_eq!(second, json!({"imported": 0, "skipped": 3}));
    assert_eq!(preview["known_lines"], 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_statements").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM bank_csv_profiles").await,
        1,
        "the CSV settings are kept for the bank account"
    );
}

#[tokio::test]
async fn two_imports_of_one_file_at_the_same_moment_save_each_line_once() {
    let app = TestApp::signed_in().await;

    let (a, b) = tokio::join!(
        app.call("import_statement", upload(HARBOR)),
        app.call("import_statement", upload(HARBOR))
    );

    let imported: i64 = [a.unwrap(), b.unwrap()]
        .iter()
        .map(|r| r["imported"].as_i64().unwrap())
        .sum();
    assert_eq!(imported, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_statements").await, 1);
}

#[tokio::test]
async fn a_file_with_an_impossible_date_or_a_bad_amount_is_refused_whole() {
    let app = TestApp::signed_in().await;

    let preview = app.ok("preview_statement", upload(BAD)).await;
    let refused = app.call("import_statement", upload(BAD)).await;

    let problems = preview["problems"].to_string();
    assert!(problems.contains("line 3"), "{problems}");
    assert!(problems.contains("line 4"), "{problems}");
    assert!(refused.is_err());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_statements").await, 0);
}

#[tokio::test]
async fn one_transfer_for_two_invoices_is_proposed_whole_and_confirming_pays_both_without_credit() {
    let app = TestApp::signed_in().await;
    let (customer, fifty, seventy) = harbor_with_two_invoices(&app).await;
    app.ok("import_statement", upload(HARBOR)).await;
    let line = line_with(&lines(&app).await, "120.00");
    let proposal = &line["proposals"][0];
    assert_eq!(proposal["confidence"], "High");
    assert_eq!(proposal["customer_id"], customer);
    assert_eq!(proposal["invoices"][0][0], fifty);
    assert_eq!(proposal["invoices"][1][0], seventy);
    assert_eq!(proposal["credit"]["amount"], "0.00");

    let allocations: Vec<Value> = proposal["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!([i[0], i[2]["amount"]]))
        .collect();
    app.ok(
        "confirm_bank_line",
        json!({"line_id": line["id"], "customer_id": customer, "invoices": allocations}),
    )
    .await;

    assert_eq!(app.scalar("SELECT COUNT(*) FROM open_invoices").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(
        app.scalar(
            "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p WHERE p.account_code = '2100'"
        )
        .await,
        0,
        "no customer credit"
    );
    let confirmed = line_with(&lines(&app).await, "120.00");
    assert_eq!(confirmed["state"], "matched");
    for id in [fifty, seventy] {
        let invoice = app.ok("get_invoice", json!({"id": id})).await;
        assert_eq!(invoice["summary"]["status"], "Paid", "{invoice:#}");
    }
    books_check(&app).await;
}

/// A customer's own payment reference in a bank line names the payer even when another
/// customer has an invoice of the same amount open; two customers cannot share a reference.
#[tokio::test]
async fn the_customers_payment_reference_in_a_line_names_who_paid() {
    let app = TestApp::signed_in().await;
    let (harbor, fifty, _) = harbor_with_two_invoices(&app).await;
    let form = json!({"name": "Harbor Coffee Ltd", "email": "", "billing_address": "", "tax_id": "",
        "payment_reference": "HC-0118", "currency": "GBP", "payment_terms_days": "14", "notes": ""});
    app.ok("save_customer", json!({"id": harbor, "form": form}))
        .await;
    let quay = app.customer("Quay Bakery").await;
    let other = json!({"id": null, "customer_id": quay, "issue_date": "2026-03-02",
        "due_date": "2026-03-16", "currency": "GBP", "notes": "",
        "lines": [{"description": "Bread", "quantity": "1", "unit_price": "50.00",
                   "discount_percent": "0", "tax_rate": "0", "revenue_account": "4000"}]});
    let id = app.ok("save_draft", json!({"form": other})).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    let taken = json!({"name": "Quay Bakery", "email": "", "billing_address": "", "tax_id": "",
        "payment_reference": "hc 0118", "currency": "GBP", "payment_terms_days": "14", "notes": ""});
    let refused = app
        .call("save_customer", json!({"id": quay, "form": taken}))
        .await
        .expect_err("a reference another customer has");
    assert!(
        refused
            .to_string()
            .contains("Harbor Coffee Ltd already has"),
        "{refused}"
    );
    // A word is no customer number (a currency code is in every line), nor is a document's.
    let number: String = sqlx::query_scalar("SELECT number FROM invoices WHERE id = ?")
        .bind(fifty)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for (reference, why) in [
        ("GBP", "including a digit"),
        (number.as_str(), "is a document's number"),
    ] {
        let form = json!({"name": "Quay Bakery", "email": "", "billing_address": "", "tax_id": "",
            "payment_reference": reference, "currency": "GBP", "payment_terms_days": "14", "notes": ""});
        let refused = app
            .call("save_customer", json!({"id": quay, "form": form}))
            .await
            .expect_err(reference);
        assert!(refused.to_string().contains(why), "{reference}: {refused}");
    }

    let csv = "Date;Description;Counterparty;Amount\n20.03.2026;Ref HC0118;J SMITH;50,00\n";
    app.ok("import_statement", upload(csv.as_bytes())).await;
    let line = line_with(&lines(&app).await, "50.00");

    let best = &line["proposals"][0];
    assert_eq!(best["customer_id"], harbor, "{line:#}");
    assert_eq!(best["confidence"], "High");
    assert_eq!(best["invoices"][0][0], fifty);
    assert!(
        best["evidence"]
            .to_string()
            .contains("customer's reference"),
        "{best}"
    );
    assert_ne!(line["proposals"][1]["confidence"], "High");
}

#[tokio::test]
async fn confirming_a_line_many_times_at_once_posts_one_payment() {
    let app = TestApp::signed_in().await;
    let (customer, fifty, seventy) = harbor_with_two_invoices(&app).await;
    app.ok("import_statement", upload(HARBOR)).await;
    let line = line_with(&lines(&app).await, "120.00");
    let args = json!({"line_id": line["id"], "customer_id": customer,
        "invoices": [[fifty, "50.00"], [seventy, "70.00"]]});

    let results =
        futures::future::join_all((0..6).map(|_| app.call("confirm_bank_line", args.clone())))
            .await;

    let payments: Vec<Value> = results.into_iter().map(|r| r.unwrap()).collect();
    assert!(payments.iter().all(|p| *p == payments[0]), "{payments:?}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM allocations")
            .await,
        12_000
    );
    // The bank says the money arrived: the payment cannot be reversed from under its line.
    let payment = app.scalar("SELECT id FROM payments").await;
    let form = json!({"payment_id": payment, "kind": "Reversal", "date": "", "idempotency_key": "undo-bank-line"});
    let refused = app
        .call("reverse_payment", json!({ "form": form }))
        .await
        .expect_err("a payment from a statement line is not reversed");
    assert!(
        refused.to_string().contains("bank statement line"),
        "{refused}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_reversals").await,
        0
    );
    books_check(&app).await;
}

#[tokio::test]
async fn booking_a_line_learns_a_rule_that_is_proposed_next_time() {
    let app = TestApp::signed_in().await;
    app.ok("import_statement", upload(HARBOR)).await;
    let card = line_with(&lines(&app).await, "-45.90");
    let interest = line_with(&lines(&app).await, "0.12");

    app.ok(
        "book_bank_line",
        json!({"line_id": card["id"], "account_code": "6100"}),
    )
    .await;
    app.ok(
        "book_bank_line",
        json!({"line_id": interest["id"], "account_code": "4900"}),
    )
    .await;
    let next_month =
        b"Date;Description;Counterparty;Amount\n21.04.2026;Card payment;Office World;-12,00\n";
    app.ok("import_statement", upload(next_month)).await;

    let booked = line_with(&lines(&app).await, "-45.90");
    assert_eq!(booked["state"], "booked");
    let new = line_with(&lines(&app).await, "-12.00");
    assert_eq!(new["rule"], json!(["office world", "6100"]));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM expenses").await, 1);
    assert_eq!(
        app.scalar("SELECT SUM(amount_minor) FROM postings WHERE account_code = '1000'")
            .await,
        -4_578,
        "the bank moved by -45.90 + 0.12"
    );
    books_check(&app).await;
}

#[tokio::test]
async fn an_ignored_line_posts_nothing_and_can_be_taken_back() {
    let app = TestApp::signed_in().await;
    app.ok("import_statement", upload(HARBOR)).await;
    let line = line_with(&lines(&app).await, "0.12");

    app.ok(
        "ignore_bank_line",
        json!({"line_id": line["id"], "ignore": true}),
    )
    .await;
    let ignored = line_with(&lines(&app).await, "0.12");
    app.ok(
        "ignore_bank_line",
        json!({"line_id": line["id"], "ignore": false}),
    )
    .await;

    assert_eq!(ignored["state"], "ignored");
    assert_eq!(line_with(&lines(&app).await, "0.12")["state"], "unmatched");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries WHERE source = 'bank_line'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_posted_line_cannot_be_changed_or_deleted() {
    let app = TestApp::signed_in().await;
    app.ok("import_statement", upload(HARBOR)).await;
    let line = line_with(&lines(&app).await, "-45.90");
    app.ok(
        "book_bank_line",
        json!({"line_id": line["id"], "account_code": "6100"}),
    )
    .await;

    let reopen = sqlx::query("UPDATE bank_lines SET state = 'unmatched' WHERE state = 'booked'")
        .execute(&app.pool)
        .await;
    let delete = sqlx::query("DELETE FROM bank_lines")
        .execute(&app.pool)
        .await;

    assert!(reopen.is_err());
    assert!(delete.is_err());
}

fn settle(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(args)
        .output()
        .expect("settle runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn the_import_command_previews_imports_once_and_confirms_only_sure_matches() {
    let app = TestApp::signed_in().await;
    harbor_with_two_invoices(&app).await;
    let db = app.db_path();
    let db = db.to_str().unwrap();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bank/harbor.csv"
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["import", "--db", db, "--bank-account", "Bank"];
        args.extend_from_slice(extra);
        args.push(file);
        settle(&args)
    };

    let (dry_ok, dry) = run(&["--dry-run"]);
    assert!(dry_ok, "{dry}");
    assert!(dry.contains("3 lines: 3 new"), "{dry}");
    assert!(dry.contains("high confidence: would be confirmed"), "{dry}");
    assert!(dry.contains("Dry run: nothing was saved."), "{dry}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 0);

    let (ok, first) = run(&[]);
    let (again_ok, again) = run(&[]);

    assert!(ok && again_ok, "{first}\n{again}");
    assert!(first.contains("Imported 3 new lines"), "{first}");
    assert!(first.contains("Confirmed 1 payments"), "{first}");
    assert!(again.contains("Imported 0 new lines"), "{again}");
    assert!(again.contains("skipped 3"), "{again}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM open_invoices").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM bank_lines WHERE state = 'unmatched'")
            .await,
        2,
        "the card payment and the interest wait for review"
    );
    books_check(&app).await;
}

#[tokio::test]
async fn the_import_command_refuses_a_bad_file_naming_the_lines() {
    let app = TestApp::signed_in().await;
    let db = app.db_path();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bank/bad_dates.csv"
    );

    let (ok, out) = settle(&[
        "import",
        "--db",
        db.to_str().unwrap(),
        "--bank-account",
        "Bank",
        file,
    ]);

    assert!(!ok);
    assert!(
        out.contains("line 3") && out.contains("nothing imported"),
        "{out}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 0);
}

#[tokio::test]
async fn a_ten_thousand_line_statement_fits_in_one_request() {
    let app = TestApp::signed_in().await;
    let mut csv = String::from("Date;Description;Amount\n");
    for i in 0..10_000 {
        csv.push_str(&format!(
            "{:02}.03.2026;Transfer number {i} with a longer text;{},{:02}\n",
            i % 28 + 1,
            i,
            i % 100
        ));
    }
    assert!(csv.len() > 500_000);

    let preview = app.ok("preview_statement", upload(csv.as_bytes())).await;
    let imported = app.ok("import_statement", upload(csv.as_bytes())).await;

    assert_eq!(preview["new_lines"], 10_000);
    assert_eq!(imported["imported"], 10_000);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bank_lines").await, 10_000);
}

#[tokio::test]
async fn a_bank_account_is_reconciled_once_statement_and_books_agree_and_then_its_lines_are_locked()
{
    let app = TestApp::signed_in().await;
    let (customer, fifty, seventy) = harbor_with_two_invoices(&app).await;
    let ofx = include_bytes!("fixtures/bank/march.ofx");
    app.ok("import_statement", upload(ofx)).await;
    let at = json!({"bank_account_id": 1, "as_of": "2026-03-31"});
    let before = app.ok("get_reconciliation", at.clone()).await;
    let too_early = app.call("reconcile_bank_account", at.clone()).await;

    let received = line_with(&lines(&app).await, "120.00");
    app.ok(
        "confirm_bank_line",
        json!({"line_id": received["id"], "customer_id": customer,
            "invoices": [[fifty, "50.00"], [seventy, "70.00"]]}),
    )
    .await;
    let paid_out = line_with(&lines(&app).await, "-20.00");
    app.ok(
        "book_bank_line",
        json!({"line_id": paid_out["id"], "account_code": "6100"}),
    )
    .await;
    let after = app.ok("get_reconciliation", at.clone()).await;
    let marked = app.ok("reconcile_bank_account", at.clone()).await;
    let locked = sqlx::query("UPDATE bank_lines SET state = 'ignored' WHERE id = ?")
        .bind(paid_out["id"].as_i64())
        .execute(&app.pool)
        .await;

    assert_eq!(before["statement_balance"]["amount"], "100.00");
    assert_eq!(before["book_balance"]["amount"], "0.00");
    assert_eq!(before["unsettled_lines"], 2);
    assert!(too_early.is_err(), "a difference refuses reconciliation");
    assert_eq!(after["difference"]["amount"], "0.00");
    assert_eq!(after["unsettled_lines"], 0);
    assert_eq!(after["book_only"], json!([]));
    assert_eq!(marked, 2);
    assert!(locked.is_err(), "a reconciled line is locked");
    books_check(&app).await;
}
