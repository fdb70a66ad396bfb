//! The books beyond invoices, through the real server on real SQLite: expenses and bills,
//! the cash basis, manual entries and their reversal, the period lock, the year-end close,
//! and registers that add up to the statements.

mod support;

use serde_json::{json, Value};
use support::TestApp;

/// An invoice of 100.00 + 20% VAT issued on `day`.
async fn issue_invoice(app: &TestApp, customer: i64, day: &str) -> i64 {
    let line = json!({"description": "Design work", "quantity": "1", "unit_price": "100.00",
        "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"});
    let form = json!({"id": null, "customer_id": customer, "issue_date": day, "due_date": day,
        "currency": "GBP", "notes": "", "lines": [line]});
    let id = app
        .ok("save_draft", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": id})).await;
    id
}

fn expense(vendor: &str, day: &str, paid_from: &str, due: &str, splits: Value, key: &str) -> Value {
    json!({"form": {"vendor": vendor, "date": day, "paid_from": paid_from, "due_date": due,
        "reference": "", "memo": "", "tax_inclusive": true, "splits": splits, "idempotency_key": key}})
}

/// Debit-positive postings of one entry as (account, amount) pairs.
async fn postings(app: &TestApp, entry: i64) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT account_code, amount_minor FROM postings WHERE entry_id = ? ORDER BY id")
        .bind(entry)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

fn line_amount(section: &Value, code: &str) -> Option<String> {
    section["lines"]
        .as_array()?
        .iter()
        .find(|l| l["code"] == code)
        .map(|l| l["amount"]["amount"].as_str().unwrap().to_string())
}

async fn profit_loss(app: &TestApp, from: &str, to: &str, basis: &str) -> Value {
    app.ok(
        "get_profit_loss",
        json!({"from": from, "to": to, "basis": basis, "compare": false}),
    )
    .await
}

#[tokio::test]
async fn a_card_expense_of_sixty_gross_posts_fifty_net_and_ten_input_tax() {
    let app = TestApp::signed_in().await;

    let id = app
        .ok(
            "record_expense",
            expense(
                "Paper Co",
                "2026-05-04",
                "2300",
                "",
                json!([["6100", "Paper", "60.00", "20"]]),
                "expense-key-1",
            ),
        )
        .await
        .as_i64()
        .unwrap();

    let entry: i64 = sqlx::query_scalar("SELECT entry_id FROM expenses WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        postings(&app, entry).await,
        vec![
            ("6100".into(), 5000),
            ("1200".into(), 1000),
            ("2300".into(), -6000)
        ]
    );
    let detail = app.ok("get_expense", json!({"id": id})).await;
    assert_eq!(detail["tax"]["amount"], "10.00");
    assert_eq!(detail["summary"]["total"]["amount"], "60.00");
}

#[tokio::test]
async fn a_repeated_expense_request_records_one_expense() {
    let app = TestApp::signed_in().await;
    let request = expense(
        "Paper Co",
        "2026-05-04",
        "1000",
        "",
        json!([["6100", "", "12.00", "0"]]),
        "expense-key-2",
    );

    let first = app.ok("record_expense", request.clone()).await;
    let second = app.ok("record_expense", request).await;

    assert_eq!(first, second);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM expenses").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 1);
}

#[tokio::test]
async fn a_bad_expense_names_its_fields_and_saves_nothing() {
    let app = TestApp::signed_in().await;

    let refused = app
        .call(
            "record_expense",
            expense(
                "",
                "2026-02-30",
                "1000",
                "",
                json!([["1100", "", "1.2.3", "120"]]),
                "expense-key-3",
            ),
        )
        .await
        .unwrap_err();
    let control = app
        .call(
            "record_expense",
            expense(
                "Shop",
                "2026-02-03",
                "1000",
                "",
                json!([["1100", "", "5.00", "0"]]),
                "expense-key-4",
            ),
        )
        .await
        .unwrap_err();

    let fields = refused["Invalid"].to_string();
    for field in ["vendor", "date", "splits.0.amount", "splits.0.tax_rate"] {
        assert!(fields.contains(field), "{field} missing from {fields}");
    }
    assert!(
        control["Invalid"]
            .to_string()
            .contains("expense or asset account"),
        "{control}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM vendors").await, 0);
}

#[tokio::test]
async fn cash_basis_recognises_an_invoice_when_and_as_far_as_it_is_paid() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    app.pay(customer, "60.00", "2026-04-10", "cash-basis-pay-1", false)
        .await
        .unwrap();

    let march_cash = profit_loss(&app, "2026-03-01", "2026-03-31", "cash").await;
    let april_cash = profit_loss(&app, "2026-04-01", "2026-04-30", "cash").await;
    let march_accrual = profit_loss(&app, "2026-03-01", "2026-03-31", "accrual").await;

    assert_eq!(march_cash["income"]["total"]["amount"], "0.00");
    assert_eq!(
        line_amount(&april_cash["income"], "4000").as_deref(),
        Some("50.00")
    );
    assert_eq!(april_cash["net_profit"]["amount"], "50.00");
    assert_eq!(
        line_amount(&march_accrual["income"], "4000").as_deref(),
        Some("100.00")
    );
}

#[tokio::test]
async fn paying_a_bill_clears_payables_and_recognises_the_expense_on_the_cash_basis() {
    let app = TestApp::signed_in().await;
    let bill = app
        .ok(
            "record_expense",
            expense(
                "Landlord Ltd",
                "2026-05-01",
                "",
                "2026-05-31",
                json!([["6200", "May rent", "240.00", "20"]]),
                "bill-key-1",
            ),
        )
        .await
        .as_i64()
        .unwrap();

    let over = app
        .call("pay_bill", json!({"bill": bill, "amount": "240.01", "paid_on": "2026-06-02", "paid_from": "1000", "idempotency_key": "bill-pay-0"}))
        .await
        .unwrap_err();
    app.ok("pay_bill", json!({"bill": bill, "amount": "120.00", "paid_on": "2026-06-02", "paid_from": "1000", "idempotency_key": "bill-pay-1"}))
        .await;
    app.ok("pay_bill", json!({"bill": bill, "amount": "120.00", "paid_on": "2026-06-02", "paid_from": "1000", "idempotency_key": "bill-pay-1"}))
        .await;
    let detail = app.ok("get_expense", json!({"id": bill})).await;
    let may_accrual = profit_loss(&app, "2026-05-01", "2026-05-31", "accrual").await;
    let june_cash = profit_loss(&app, "2026-06-01", "2026-06-30", "cash").await;

    assert!(over["Invalid"].to_string().contains("240.00"), "{over}");
    assert_eq!(detail["summary"]["open"]["amount"], "120.00");
    assert_eq!(
        line_amount(&may_accrual["expenses"], "6200").as_deref(),
        Some("200.00")
    );
    assert_eq!(
        line_amount(&june_cash["expenses"], "6200").as_deref(),
        Some("100.00")
    );
    let payables: i64 = app
        .scalar("SELECT SUM(amount_minor) FROM postings WHERE account_code = '2000' AND vendor_id IS NOT NULL")
        .await;
    assert_eq!(payables, -12000);
}

#[tokio::test]
async fn a_manual_entry_must_balance_and_is_reversed_exactly_once() {
    let app = TestApp::signed_in().await;
    let entry = |lines: Value| json!({"form": {"date": "2026-01-01", "memo": "Opening balance", "lines": lines}});

    let unbalanced = app
        .call(
            "post_journal_entry",
            entry(json!([["1000", "500.00", ""], ["3000", "", "50.00"]])),
        )
        .await
        .unwrap_err();
    let control = app
        .call(
            "post_journal_entry",
            entry(json!([["1100", "500.00", ""], ["3000", "", "500.00"]])),
        )
        .await
        .unwrap_err();
    let id = app
        .ok(
            "post_journal_entry",
            entry(json!([["1000", "500.00", ""], ["3000", "", "500.00"]])),
        )
        .await
        .as_i64()
        .unwrap();
    let reversal = app
        .ok(
            "reverse_journal_entry",
            json!({"id": id, "date": "2026-01-02"}),
        )
        .await
        .as_i64()
        .unwrap();
    let again = app
        .call(
            "reverse_journal_entry",
            json!({"id": id, "date": "2026-01-02"}),
        )
        .await
        .unwrap_err();

    assert!(
        unbalanced["Invalid"].to_string().contains("must be equal"),
        "{unbalanced}"
    );
    assert!(
        control["Invalid"]
            .to_string()
            .contains("receivables, payables and customer credits"),
        "{control}"
    );
    assert_eq!(
        postings(&app, reversal).await,
        vec![("1000".into(), -50000), ("3000".into(), 50000)]
    );
    assert!(
        again["Conflict"]
            .to_string()
            .contains("already been reversed"),
        "{again}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 2);
}

#[tokio::test]
async fn nothing_can_be_posted_on_or_before_the_lock_date_and_the_lock_never_moves_back() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    app.ok("lock_books", json!({"through": "2026-03-31"})).await;

    let payment = app
        .pay(customer, "10.00", "2026-03-31", "locked-pay-1", false)
        .await
        .unwrap_err();
    let expense = app
        .call(
            "record_expense",
            expense(
                "Shop",
                "2026-03-15",
                "1000",
                "",
                json!([["6100", "", "5.00", "0"]]),
                "locked-exp-1",
            ),
        )
        .await
        .unwrap_err();
    let journal = app
        .call("post_journal_entry", json!({"form": {"date": "2026-02-01", "memo": "Late", "lines": [["1000", "1.00", ""], ["3000", "", "1.00"]]}}))
        .await
        .unwrap_err();
    let back = app
        .call("lock_books", json!({"through": "2026-02-28"}))
        .await
        .unwrap_err();
    let later = app
        .pay(customer, "10.00", "2026-04-01", "locked-pay-2", false)
        .await;

    for refused in [&payment, &expense, &journal] {
        assert!(
            refused["Invalid"]
                .to_string()
                .contains("locked up to 2026-03-31"),
            "{refused}"
        );
    }
    assert!(
        back["Invalid"].to_string().contains("cannot move back"),
        "{back}"
    );
    assert!(later.is_ok(), "{later:?}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
}

#[tokio::test]
async fn closing_a_year_moves_its_result_to_retained_earnings_on_both_bases() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2025-06-10").await;
    app.pay(customer, "60.00", "2025-07-10", "close-pay-1", false)
        .await
        .unwrap();
    app.ok(
        "record_expense",
        expense(
            "Paper Co",
            "2025-08-01",
            "1000",
            "",
            json!([["6100", "", "30.00", "0"]]),
            "close-exp-1",
        ),
    )
    .await;

    app.ok("close_year", json!({"year_end": "2025-12-31"}))
        .await;

    let trial = app
        .ok(
            "get_trial_balance",
            json!({"as_of": "2026-01-01", "basis": ""}),
        )
        .await;
    let cash_trial = app
        .ok(
            "get_trial_balance",
            json!({"as_of": "2026-01-01", "basis": "cash"}),
        )
        .await;
    let year = profit_loss(&app, "2025-01-01", "2025-12-31", "accrual").await;
    let balance = |tb: &Value, code: &str| {
        tb["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["balance"]["amount"].as_str().unwrap().to_string())
    };
    assert_eq!(balance(&trial, "4000").as_deref(), Some("0.00"));
    assert_eq!(balance(&trial, "6100").as_deref(), Some("0.00"));
    assert_eq!(balance(&trial, "3900").as_deref(), Some("-70.00"));
    // Cash basis: 50.00 of revenue received less 30.00 spent.
    assert_eq!(balance(&cash_trial, "3900").as_deref(), Some("-20.00"));
    assert_eq!(
        year["net_profit"]["amount"], "70.00",
        "the closed year still shows its profit"
    );
    let locked = app.ok("get_books_settings", json!({})).await;
    assert_eq!(locked["lock_date"], "2025-12-31");
}

#[tokio::test]
async fn a_register_runs_from_opening_to_closing_and_matches_the_statement() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    for (day, key) in [
        ("2026-02-10", "register-1"),
        ("2026-03-05", "register-2"),
        ("2026-03-20", "register-3"),
    ] {
        issue_invoice(&app, customer, day).await;
        app.pay(customer, "120.00", day, key, false).await.unwrap();
    }

    let register = app
        .ok("get_register", json!({"code": "1000", "from": "2026-03-01", "to": "2026-03-31", "basis": "", "page": 1}))
        .await;
    let sheet = app
        .ok(
            "get_balance_sheet",
            json!({"from": "2026-03-01", "to": "2026-03-31", "basis": "", "compare": true}),
        )
        .await;

    assert_eq!(register["opening"]["amount"], "120.00");
    assert_eq!(register["rows"].as_array().unwrap().len(), 2);
    assert_eq!(register["rows"][1]["balance"]["amount"], "360.00");
    assert_eq!(register["closing"]["amount"], "360.00");
    assert_eq!(
        line_amount(&sheet["assets"], "1000").as_deref(),
        Some("360.00")
    );
    assert_eq!(sheet["compared_with"], "2025-12-31");
    assert_eq!(sheet["assets"]["lines"][0]["previous"]["amount"], "0.00");
    assert_eq!(sheet["assets"]["total"], sheet["liabilities_and_equity"]);
}

#[tokio::test]
async fn reports_over_ranges_that_cut_months_equal_a_direct_sum_of_postings() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    for (i, day) in [
        "2026-01-31",
        "2026-02-01",
        "2026-02-14",
        "2026-03-01",
        "2026-03-31",
        "2026-04-15",
    ]
    .iter()
    .enumerate()
    {
        issue_invoice(&app, customer, day).await;
        app.pay(customer, "30.00", day, &format!("range-key-{i}"), false)
            .await
            .unwrap();
    }

    for (from, to) in [
        ("2026-01-31", "2026-03-01"),
        ("2026-02-02", "2026-02-27"),
        ("2026-02-01", "2026-04-14"),
        ("2026-01-01", "2026-12-31"),
    ] {
        let pl = profit_loss(&app, from, to, "accrual").await;
        let direct: i64 = sqlx::query_scalar(
            "SELECT COALESCE(-SUM(amount_minor), 0) FROM postings WHERE account_code = '4000' AND date BETWEEN ? AND ?",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let shown = line_amount(&pl["income"], "4000").unwrap_or_else(|| "0.00".into());
        assert_eq!(
            shown,
            format!("{}.{:02}", direct / 100, direct % 100),
            "{from}..{to}"
        );
    }
}

#[tokio::test]
async fn check_finds_a_tampered_monthly_balance_and_a_sound_book_passes() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    app.pay(customer, "60.00", "2026-04-10", "check-pay-1", false)
        .await
        .unwrap();
    app.ok(
        "record_expense",
        expense(
            "Landlord Ltd",
            "2026-05-01",
            "",
            "2026-05-31",
            json!([["6200", "", "240.00", "20"]]),
            "check-bill-1",
        ),
    )
    .await;
    let mut conn = app.pool.acquire().await.unwrap();
    let sound = app::store::check::check_books(&mut conn).await.unwrap();

    sqlx::query("UPDATE ledger_months SET amount_minor = amount_minor + 1 WHERE account_code = '4000' AND basis = 'cash'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();

    assert!(sound.is_empty(), "{sound:?}");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("cash balance of account 4000 for 2026-04"),
        "{problems:?}"
    );
}

#[tokio::test]
async fn the_ledger_downloads_in_three_formats_only_with_a_session() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor \"Cafe\"; Ltd").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    let stranger = reqwest::Client::new();

    let journal = app
        .client
        .get(format!("http://{}/export/ledger.journal", app.addr))
        .send()
        .await
        .unwrap();
    let beancount = app
        .client
        .get(format!("http://{}/export/ledger.beancount", app.addr))
        .send()
        .await
        .unwrap();
    let csv = app
        .client
        .get(format!("http://{}/export/ledger.csv", app.addr))
        .send()
        .await
        .unwrap();
    let refused = stranger
        .get(format!("http://{}/export/ledger.csv", app.addr))
        .send()
        .await
        .unwrap();
    let unknown = app
        .client
        .get(format!("http://{}/export/ledger.xlsx", app.addr))
        .send()
        .await
        .unwrap();

    assert_eq!(journal.status(), 200);
    assert!(journal.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".journal"));
    assert!(journal
        .text()
        .await
        .unwrap()
        .contains("Assets:1100-Accounts-receivable"));
    assert!(beancount
        .text()
        .await
        .unwrap()
        .contains("option \"operating_currency\" \"GBP\""));
    assert!(csv.text().await.unwrap().starts_with("entry_id,date,memo"));
    assert_eq!(refused.status(), 401);
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn the_general_ledger_runs_each_account_from_opening_through_movements_to_closing() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-02-10").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    app.pay(customer, "200.00", "2026-03-20", "ledger-pay-1", false)
        .await
        .unwrap();

    let ledger = app
        .ok(
            "get_general_ledger",
            json!({"from": "2026-03-01", "to": "2026-03-31", "basis": ""}),
        )
        .await;

    let row = |code: &str| {
        ledger["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()
            .clone()
    };
    let receivables = row("1100");
    assert_eq!(receivables["opening"]["amount"], "120.00");
    assert_eq!(receivables["debits"]["amount"], "120.00");
    assert_eq!(receivables["credits"]["amount"], "200.00");
    assert_eq!(receivables["closing"]["amount"], "40.00");
    assert_eq!(row("1000")["closing"]["amount"], "200.00");
}

#[tokio::test]
async fn month_end_balances_of_the_bank_equal_a_direct_sum_of_its_postings() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    for (i, day) in ["2025-12-30", "2026-01-15", "2026-03-31", "2026-04-01"]
        .iter()
        .enumerate()
    {
        issue_invoice(&app, customer, day).await;
        app.pay(customer, "120.00", day, &format!("month-end-{i}"), false)
            .await
            .unwrap();
    }
    let gbp = app::domain::Currency::parse("GBP").unwrap();
    let mut conn = app.pool.acquire().await.unwrap();

    let months = app::store::reports::month_end_balances(
        &mut conn,
        gbp,
        app::domain::Basis::Accrual,
        "1000",
        2026,
    )
    .await
    .unwrap();

    for (end, balance) in &months {
        let direct: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM postings WHERE account_code = '1000' AND date <= ?",
        )
        .bind(end)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(balance.to_minor(), direct, "{end}");
    }
    assert_eq!(months[0].1.to_minor(), 24000);
    assert_eq!(months[11].1.to_minor(), 48000);
}

#[tokio::test]
async fn requests_another_site_could_send_are_refused_and_change_nothing() {
    let app = TestApp::signed_in().await;
    let entry = json!({"form": {"date": "2026-01-01", "memo": "Forged", "lines": [["1000", "1.00", ""], ["3000", "", "1.00"]]}});
    let url = format!("http://{}/api/post_journal_entry", app.addr);

    let foreign = app
        .client
        .post(&url)
        .header("Origin", "http://attacker.example")
        .json(&entry)
        .send()
        .await
        .unwrap();
    let text_body = app
        .client
        .post(&url)
        .header("Content-Type", "text/plain")
        .body(entry.to_string())
        .send()
        .await
        .unwrap();
    let same_site = app
        .client
        .post(&url)
        .header("Origin", format!("http://{}", app.addr))
        .json(&entry)
        .send()
        .await
        .unwrap();

    assert_eq!(foreign.status(), 403);
    assert_eq!(text_body.status(), 415);
    assert!(same_site.status().is_success(), "{}", same_site.status());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 1);
}

#[tokio::test]
async fn the_books_cannot_be_locked_in_the_future_nor_control_accounts_made_money_accounts() {
    let app = TestApp::signed_in().await;

    let future = app
        .call("lock_books", json!({"through": "2999-12-31"}))
        .await
        .unwrap_err();
    let receivables = app
        .call("save_account", json!({"form": {"code": "1100", "name": "Accounts receivable", "kind": "asset", "parent": "", "is_money": true}, "is_new": false}))
        .await
        .unwrap_err();
    app.ok("save_account", json!({"form": {"code": "6180", "name": "A", "kind": "expense", "parent": "", "is_money": false}, "is_new": true})).await;
    app.ok("save_account", json!({"form": {"code": "6181", "name": "B", "kind": "expense", "parent": "6180", "is_money": false}, "is_new": true})).await;
    let cycle = app
        .call("save_account", json!({"form": {"code": "6180", "name": "A", "kind": "expense", "parent": "6181", "is_money": false}, "is_new": false}))
        .await
        .unwrap_err();
    let paid_from_payables = app
        .call(
            "record_expense",
            expense(
                "Shop",
                "2026-02-03",
                "2000",
                "",
                json!([["6100", "", "5.00", "0"]]),
                "payables-key-1",
            ),
        )
        .await
        .unwrap_err();

    assert!(
        future["Invalid"].to_string().contains("at the latest"),
        "{future}"
    );
    assert!(
        receivables["Invalid"]
            .to_string()
            .contains("money cannot be paid from it"),
        "{receivables}"
    );
    assert!(
        cycle["Invalid"]
            .to_string()
            .contains("its own sub-accounts"),
        "{cycle}"
    );
    assert!(
        paid_from_payables["Invalid"]
            .to_string()
            .contains("bank, cash or card"),
        "{paid_from_payables}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 0);
}

#[tokio::test]
async fn a_request_key_used_for_one_expense_or_bill_payment_cannot_record_another() {
    let app = TestApp::signed_in().await;
    let first = expense(
        "Paper Co",
        "2026-05-04",
        "1000",
        "",
        json!([["6100", "", "12.00", "0"]]),
        "reused-key-1",
    );
    let other = expense(
        "Other Ltd",
        "2026-05-05",
        "1000",
        "",
        json!([["6200", "", "999.00", "20"]]),
        "reused-key-1",
    );
    app.ok("record_expense", first).await;
    let bill = app
        .ok(
            "record_expense",
            expense(
                "Landlord",
                "2026-05-01",
                "",
                "2026-05-31",
                json!([["6200", "", "240.00", "20"]]),
                "reused-bill-1",
            ),
        )
        .await
        .as_i64()
        .unwrap();
    let second_bill = app
        .ok(
            "record_expense",
            expense(
                "Landlord",
                "2026-05-02",
                "",
                "2026-05-31",
                json!([["6200", "", "100.00", "0"]]),
                "reused-bill-2",
            ),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok("pay_bill", json!({"bill": bill, "amount": "10.00", "paid_on": "2026-06-01", "paid_from": "1000", "idempotency_key": "reused-pay-1"})).await;

    let expense_again = app.call("record_expense", other).await.unwrap_err();
    let payment_again = app
        .call("pay_bill", json!({"bill": second_bill, "amount": "100.00", "paid_on": "2026-06-01", "paid_from": "1000", "idempotency_key": "reused-pay-1"}))
        .await
        .unwrap_err();

    assert!(
        expense_again["Conflict"]
            .to_string()
            .contains("another expense"),
        "{expense_again}"
    );
    assert!(
        payment_again["Conflict"]
            .to_string()
            .contains("another payment"),
        "{payment_again}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bill_payments").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM expenses").await, 3);
}

#[tokio::test]
async fn a_year_with_only_cash_basis_results_is_still_closed_on_the_cash_basis() {
    let app = TestApp::signed_in().await;
    app.ok(
        "record_expense",
        expense(
            "Landlord",
            "2024-12-10",
            "",
            "2024-12-31",
            json!([["6100", "", "100.00", "0"]]),
            "cash-close-bill",
        ),
    )
    .await;
    let bill: i64 = app.scalar("SELECT id FROM expenses").await;
    app.ok("pay_bill", json!({"bill": bill, "amount": "100.00", "paid_on": "2025-01-10", "paid_from": "1000", "idempotency_key": "cash-close-pay"}))
        .await;
    app.ok("close_year", json!({"year_end": "2024-12-31"}))
        .await;

    app.ok("close_year", json!({"year_end": "2025-12-31"}))
        .await;

    let cash = app
        .ok(
            "get_trial_balance",
            json!({"as_of": "2026-01-01", "basis": "cash"}),
        )
        .await;
    let balance = |code: &str| {
        cash["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["balance"]["amount"].as_str().unwrap().to_string())
    };
    assert_eq!(balance("6100").as_deref(), Some("0.00"));
    assert_eq!(balance("3900").as_deref(), Some("100.00"));
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[tokio::test]
async fn a_bill_paid_in_many_odd_parts_ends_with_the_same_figures_on_both_bases() {
    let app = TestApp::signed_in().await;
    let splits = json!([
        ["6100", "", "0.01", "20"],
        ["6200", "", "33.33", "5"],
        ["6300", "", "0.07", "17.5"],
        ["6400", "", "10.01", "0"]
    ]);
    let bill = app
        .ok(
            "record_expense",
            expense(
                "Odd Parts Ltd",
                "2026-11-01",
                "",
                "2026-11-30",
                splits,
                "odd-parts-bill",
            ),
        )
        .await
        .as_i64()
        .unwrap();
    let mut parts: Vec<String> = vec!["0.01".into(); 7];
    parts.extend(["10.00".into(), "10.00".into()]);
    for (i, part) in parts.iter().enumerate() {
        app.ok("pay_bill", json!({"bill": bill, "amount": part, "paid_on": "2026-11-02", "paid_from": "1000", "idempotency_key": format!("odd-part-{i}")}))
            .await;
    }
    let detail = app.ok("get_expense", json!({"id": bill})).await;
    let rest = detail["summary"]["open"]["amount"]
        .as_str()
        .unwrap()
        .to_string();
    app.ok("pay_bill", json!({"bill": bill, "amount": rest, "paid_on": "2026-11-03", "paid_from": "1000", "idempotency_key": "odd-part-last"}))
        .await;

    let accrual = profit_loss(&app, "2026-11-01", "2026-11-30", "accrual").await;
    let cash = profit_loss(&app, "2026-11-01", "2026-11-30", "cash").await;

    for code in ["6100", "6200", "6300", "6400"] {
        assert_eq!(
            line_amount(&cash["expenses"], code),
            line_amount(&accrual["expenses"], code),
            "{code}"
        );
    }
    let mut tax = Vec::new();
    for basis in ["cash", "accrual"] {
        let tb = app
            .ok(
                "get_trial_balance",
                json!({"as_of": "2026-11-30", "basis": basis}),
            )
            .await;
        let row = tb["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "1200")
            .cloned();
        tax.push(row.map(|r| r["balance"]["amount"].as_str().unwrap().to_string()));
    }
    assert_eq!(tax[0], tax[1]);
}

#[tokio::test]
async fn behind_a_proxy_that_rewrites_host_the_forwarded_host_counts_as_this_site() {
    let app = TestApp::signed_in().await;
    let entry = json!({"form": {"date": "2026-01-01", "memo": "Via proxy", "lines": [["1000", "1.00", ""], ["3000", "", "1.00"]]}});
    let url = format!("http://{}/api/post_journal_entry", app.addr);

    let proxied = app
        .client
        .post(&url)
        .header("Origin", "https://books.example.com")
        .header("X-Forwarded-Host", "books.example.com")
        .json(&entry)
        .send()
        .await
        .unwrap();

    assert!(proxied.status().is_success(), "{}", proxied.status());
}

#[tokio::test]
async fn books_from_before_the_cash_basis_get_their_cash_basis_derived_once_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let pool = app::store::open(&path).await.unwrap();
    let gbp = app::domain::Currency::parse("GBP").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let mut tx = app::store::begin_write(&pool, &app::store::audit::Actor::CommandLine)
        .await
        .unwrap();
    app::store::demo::fill_demo(&mut tx, gbp, today, 11)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let expected: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT entry_id, account_code, amount_minor FROM cash_postings ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // As a database written before the cash basis existed: no twins, flag unset.
    for sql in [
        "DROP TRIGGER cash_postings_no_delete",
        "DELETE FROM cash_postings",
        "DELETE FROM ledger_months WHERE basis = 'cash'",
        "UPDATE business SET cash_basis_ready = 0",
        "CREATE TRIGGER cash_postings_no_delete BEFORE DELETE ON cash_postings BEGIN SELECT RAISE(ABORT, 'postings cannot be deleted'); END",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let reopened = app::store::open(&path).await.unwrap();

    let rebuilt: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT entry_id, account_code, amount_minor FROM cash_postings ORDER BY id",
    )
    .fetch_all(&reopened)
    .await
    .unwrap();
    assert!(!expected.is_empty());
    assert_eq!(rebuilt, expected);
    let mut conn = reopened.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[tokio::test]
async fn manual_entries_to_the_tax_accounts_are_shown_beside_the_return_not_in_it() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-04-10").await;
    let before = app
        .ok(
            "get_tax_summary",
            json!({"from": "2026-04-01", "to": "2026-06-30", "basis": "accrual"}),
        )
        .await;
    app.ok(
        "post_journal_entry",
        json!({"form": {"date": "2026-05-07", "memo": "VAT paid to the tax office", "lines": [["2200", "15.00", ""], ["1000", "", "15.00"]]}}),
    )
    .await;

    let after = app
        .ok(
            "get_tax_summary",
            json!({"from": "2026-04-01", "to": "2026-06-30", "basis": "accrual"}),
        )
        .await;

    assert_eq!(after["net_due"], before["net_due"]);
    assert_eq!(after["output_tax"]["amount"], "20.00");
    assert_eq!(after["manual_output"]["amount"], "-15.00");
    assert_eq!(after["manual_input"]["amount"], "0.00");
}

#[tokio::test]
async fn the_ledger_export_runs_in_date_order_whatever_order_entries_were_made_in() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    issue_invoice(&app, customer, "2026-03-10").await;
    app.ok(
        "post_journal_entry",
        json!({"form": {"date": "2026-01-01", "memo": "Opening balance", "lines": [["1000", "500.00", ""], ["3000", "", "500.00"]]}}),
    )
    .await;

    let csv = app
        .client
        .get(format!("http://{}/export/ledger.csv", app.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let dates: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(dates.first(), Some(&"2026-01-01"));
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}
