//! Voiding expenses and bills, and a vendor's page, through the real server on real SQLite:
//! the exact reversal on both bases, the reports that follow it, the refusals (locked day,
//! bill with payments), idempotency, and the running balance owed to a vendor.

mod support;

use serde_json::{json, Value};
use support::TestApp;

fn expense(vendor: &str, day: &str, paid_from: &str, due: &str, splits: Value, key: &str) -> Value {
    json!({"form": {"vendor": vendor, "date": day, "paid_from": paid_from, "due_date": due,
        "reference": "", "memo": "", "tax_inclusive": true, "splits": splits, "idempotency_key": key}})
}

async fn record(app: &TestApp, args: Value) -> i64 {
    app.ok("record_expense", args).await.as_i64().unwrap()
}

/// (account, amount) pairs of one entry on a basis's table, sorted.
async fn lines(app: &TestApp, table: &str, entry: i64) -> Vec<(String, i64)> {
    let sql = format!(
        "SELECT account_code, amount_minor FROM {table} WHERE entry_id = ? ORDER BY account_code, amount_minor"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(entry)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

fn negated(lines: &[(String, i64)]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = lines.iter().map(|(c, m)| (c.clone(), -m)).collect();
    out.sort();
    out
}

fn amount(v: &Value) -> String {
    v["amount"].as_str().unwrap_or_default().to_string()
}

async fn profit_loss(app: &TestApp, from: &str, to: &str, basis: &str) -> Value {
    app.ok(
        "get_profit_loss",
        json!({"from": from, "to": to, "basis": basis, "compare": false}),
    )
    .await
}

async fn tax(app: &TestApp, from: &str, to: &str, basis: &str) -> Value {
    app.ok(
        "get_tax_summary",
        json!({"from": from, "to": to, "basis": basis}),
    )
    .await
}

async fn check(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool.acquire().await.unwrap();
    app::store::check::check_books(&mut conn).await.unwrap()
}

async fn void(app: &TestApp, id: i64, with_payments: bool) -> Result<Value, Value> {
    app.call(
        "void_expense",
        json!({"id": id, "with_payments": with_payments, "reason": "entered twice"}),
    )
    .await
}

#[tokio::test]
async fn voiding_an_expense_reverses_its_entry_on_its_own_day_on_both_bases() {
    let app = TestApp::signed_in().await;
    let id = record(
        &app,
        expense(
            "Paper Co",
            "2026-05-04",
            "2300",
            "",
            json!([["6100", "", "60.00", "20"]]),
            "void-exp-1",
        ),
    )
    .await;
    let detail = app.ok("get_expense", json!({"id": id})).await;
    let entry = detail["entry_id"].as_i64().unwrap();
    let before_entries = app.scalar("SELECT COUNT(*) FROM journal_entries").await;

    let reversal = void(&app, id, false).await.unwrap().as_i64().unwrap();
    let again = void(&app, id, false).await.unwrap().as_i64().unwrap();

    let reversal_date: String = sqlx::query_scalar("SELECT date FROM journal_entries WHERE id = ?")
        .bind(reversal)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(reversal_date, "2026-05-04");
    assert_eq!(again, reversal, "voiding again returns the first void");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries").await,
        before_entries + 1
    );
    assert_eq!(
        lines(&app, "postings", reversal).await,
        negated(&lines(&app, "postings", entry).await)
    );
    assert_eq!(
        lines(&app, "cash_postings", reversal).await,
        negated(&lines(&app, "cash_postings", entry).await)
    );
    assert!(!lines(&app, "cash_postings", entry).await.is_empty());
    for basis in ["accrual", "cash"] {
        let may = profit_loss(&app, "2026-05-01", "2026-05-31", basis).await;
        assert_eq!(amount(&may["expenses"]["total"]), "0.00", "{basis}: {may}");
        let quarter = tax(&app, "2026-04-01", "2026-06-30", basis).await;
        assert_eq!(amount(&quarter["input_tax"]), "0.00", "{basis}: {quarter}");
    }
    let detail = app.ok("get_expense", json!({"id": id})).await;
    assert_eq!(detail["summary"]["void_entry_id"], json!(reversal));
    let list = app.ok("list_expenses", json!({"page": 1})).await;
    assert_eq!(list["items"][0]["void_entry_id"], json!(reversal));
    assert_eq!(check(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_bill_with_payments_is_voided_only_together_with_them() {
    let app = TestApp::signed_in().await;
    let bill = record(
        &app,
        expense(
            "Landlord Ltd",
            "2026-05-01",
            "",
            "2026-05-31",
            json!([["6200", "May rent", "240.00", "20"]]),
            "void-bill-1",
        ),
    )
    .await;
    app.ok("pay_bill", json!({"bill": bill, "amount": "100.00", "paid_on": "2026-06-02", "paid_from": "1000", "idempotency_key": "void-bill-pay-1"}))
        .await;
    let entries = app.scalar("SELECT COUNT(*) FROM journal_entries").await;

    let refused = void(&app, bill, false).await.unwrap_err();
    let after_refusal = app.scalar("SELECT COUNT(*) FROM journal_entries").await;
    void(&app, bill, true).await.unwrap();

    assert!(
        refused["Conflict"].to_string().contains("1 payment"),
        "{refused}"
    );
    assert_eq!(after_refusal, entries, "a refused void posts nothing");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM journal_entries").await,
        entries + 2
    );
    let payables = app
        .scalar("SELECT COALESCE(SUM(amount_minor), 0) FROM postings WHERE account_code = '2000'")
        .await;
    assert_eq!(payables, 0);
    let bank = app
        .scalar("SELECT COALESCE(SUM(amount_minor), 0) FROM postings WHERE account_code = '1000'")
        .await;
    assert_eq!(bank, 0, "the payment's money is back in the bank");
    let aging = app.ok("get_aging", json!({"as_of": "2026-05-20"})).await;
    assert_eq!(
        aging["payables"]["rows"].as_array().unwrap().len(),
        0,
        "{aging}"
    );
    let june_cash = profit_loss(&app, "2026-06-01", "2026-06-30", "cash").await;
    assert_eq!(
        amount(&june_cash["expenses"]["total"]),
        "0.00",
        "{june_cash}"
    );
    for (from, to, basis) in [
        ("2026-05-01", "2026-05-31", "accrual"),
        ("2026-06-01", "2026-06-30", "cash"),
    ] {
        let summary = tax(&app, from, to, basis).await;
        assert_eq!(amount(&summary["input_tax"]), "0.00", "{basis}: {summary}");
    }
    let pay_again = app
        .call("pay_bill", json!({"bill": bill, "amount": "10.00", "paid_on": "2026-06-03", "paid_from": "1000", "idempotency_key": "void-bill-pay-2"}))
        .await
        .unwrap_err();
    assert!(
        pay_again["Invalid"].to_string().contains("void"),
        "{pay_again}"
    );
    let detail = app.ok("get_expense", json!({"id": bill})).await;
    assert_eq!(amount(&detail["summary"]["open"]), "0.00");
    assert_eq!(check(&app).await, Vec::<String>::new());
}

#[tokio::test]
async fn an_expense_dated_in_a_locked_period_cannot_be_voided() {
    let app = TestApp::signed_in().await;
    let id = record(
        &app,
        expense(
            "Shop",
            "2026-03-15",
            "1000",
            "",
            json!([["6100", "", "5.00", "0"]]),
            "void-locked-1",
        ),
    )
    .await;
    app.ok("lock_books", json!({"through": "2026-03-31"})).await;

    let refused = void(&app, id, false).await.unwrap_err();

    assert!(
        refused["Conflict"]
            .to_string()
            .contains("locked up to 2026-03-31"),
        "{refused}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM expense_voids").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM journal_entries").await, 1);
}

#[tokio::test]
async fn the_database_refuses_a_void_that_is_not_the_expenses_reversal_and_payments_on_a_void_bill()
{
    let app = TestApp::signed_in().await;
    let bill = record(
        &app,
        expense(
            "Printer",
            "2026-05-01",
            "",
            "2026-05-31",
            json!([["6100", "", "12.00", "0"]]),
            "void-db-1",
        ),
    )
    .await;
    let other = record(
        &app,
        expense(
            "Printer",
            "2026-05-02",
            "1000",
            "",
            json!([["6100", "", "3.00", "0"]]),
            "void-db-2",
        ),
    )
    .await;
    let other_entry: i64 = sqlx::query_scalar("SELECT entry_id FROM expenses WHERE id = ?")
        .bind(other)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let wrong = sqlx::query(
        "INSERT INTO expense_voids (expense_id, entry_id, created_at) VALUES (?, ?, 'now')",
    )
    .bind(bill)
    .bind(other_entry)
    .execute(&app.pool)
    .await;
    void(&app, bill, false).await.unwrap();
    let paid = sqlx::query("INSERT INTO bill_payments (bill_id, paid_on, paid_from, amount_minor, entry_id, idempotency_key, created_at) VALUES (?, '2026-05-03', '1000', 100, ?, 'raw-key-1', 'now')")
        .bind(bill)
        .bind(other_entry)
        .execute(&app.pool)
        .await;

    assert!(wrong.is_err());
    assert!(paid.unwrap_err().to_string().contains("void bill"));
}

#[tokio::test]
async fn a_vendors_page_runs_from_what_was_owed_through_each_line_to_what_is_owed() {
    let app = TestApp::signed_in().await;
    let april = record(
        &app,
        expense(
            "Studio Supplies",
            "2026-04-20",
            "",
            "2026-05-20",
            json!([["6100", "", "50.00", "0"]]),
            "vendor-1",
        ),
    )
    .await;
    let may = record(
        &app,
        expense(
            "Studio Supplies",
            "2026-05-05",
            "",
            "2026-06-05",
            json!([["6100", "", "80.00", "0"]]),
            "vendor-2",
        ),
    )
    .await;
    record(
        &app,
        expense(
            "Studio Supplies",
            "2026-05-06",
            "2300",
            "",
            json!([["6100", "", "9.99", "20"]]),
            "vendor-3",
        ),
    )
    .await;
    app.ok("pay_bill", json!({"bill": april, "amount": "50.00", "paid_on": "2026-05-10", "paid_from": "1000", "idempotency_key": "vendor-pay-1"}))
        .await;
    app.ok("pay_bill", json!({"bill": may, "amount": "30.00", "paid_on": "2026-05-12", "paid_from": "1000", "idempotency_key": "vendor-pay-2"}))
        .await;
    let to_void = record(
        &app,
        expense(
            "Studio Supplies",
            "2026-05-15",
            "",
            "2026-06-15",
            json!([["6100", "", "7.00", "0"]]),
            "vendor-4",
        ),
    )
    .await;
    void(&app, to_void, false).await.unwrap();
    let vendor: i64 = app
        .scalar("SELECT id FROM vendors WHERE name = 'Studio Supplies'")
        .await;

    let page = app
        .ok(
            "get_vendor_statement",
            json!({"vendor": vendor, "from": "2026-05-01", "to": "2026-05-31"}),
        )
        .await;

    assert_eq!(amount(&page["opening"]), "50.00");
    let kinds: Vec<&str> = page["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Bill",
            "Expense",
            "BillPayment",
            "BillPayment",
            "Bill",
            "BillVoided"
        ]
    );
    let balances: Vec<String> = page["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| amount(&l["balance"]))
        .collect();
    assert_eq!(
        balances,
        ["130.00", "130.00", "80.00", "50.00", "57.00", "50.00"]
    );
    assert_eq!(amount(&page["billed"]), "89.99");
    assert_eq!(amount(&page["paid"]), "89.99");
    assert_eq!(amount(&page["closing"]), "50.00");
    let aging = app.ok("get_aging", json!({"as_of": "2026-05-31"})).await;
    assert_eq!(amount(&aging["payables"]["total"]), "50.00");
    let missing = app
        .call(
            "get_vendor_statement",
            json!({"vendor": 999, "from": "", "to": ""}),
        )
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("vendor"), "{missing}");
}

#[tokio::test]
async fn comparisons_read_the_period_before_and_a_month_earlier() {
    let app = TestApp::signed_in().await;
    record(
        &app,
        expense(
            "Cafe",
            "2026-04-10",
            "1000",
            "",
            json!([["6400", "", "20.00", "0"]]),
            "compare-1",
        ),
    )
    .await;
    record(
        &app,
        expense(
            "Cafe",
            "2026-05-10",
            "1000",
            "",
            json!([["6400", "", "30.00", "0"]]),
            "compare-2",
        ),
    )
    .await;
    record(
        &app,
        expense(
            "Landlord",
            "2026-04-01",
            "",
            "2026-04-30",
            json!([["6200", "", "500.00", "0"]]),
            "compare-3",
        ),
    )
    .await;
    let previous = app::domain::Period {
        from: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
    }
    .previous();

    let ledger_before = app
        .ok("get_general_ledger", json!({"from": previous.from.to_string(), "to": previous.to.to_string(), "basis": "accrual"}))
        .await;
    let flow = app
        .ok(
            "get_money_flow",
            json!({"from": "2026-05-01", "to": "2026-05-31", "interval": "month"}),
        )
        .await;
    let flow_before = app
        .ok("get_money_flow", json!({"from": previous.from.to_string(), "to": previous.to.to_string(), "interval": "month"}))
        .await;
    let aging_month_earlier = app.ok("get_aging", json!({"as_of": "2026-04-15"})).await;

    assert_eq!(previous.from.to_string(), "2026-04-01");
    let travel = ledger_before["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "6400")
        .unwrap();
    assert_eq!(amount(&travel["closing"]), "20.00");
    assert_eq!(amount(&flow["total_out"]), "30.00");
    assert_eq!(amount(&flow_before["total_out"]), "20.00");
    assert_eq!(amount(&aging_month_earlier["payables"]["total"]), "500.00");
}
