//! The analysis reports through the real app: aging of bills, the tax summary against the tax
//! accounts, money in and out, and the forecast.

mod support;

use serde_json::{json, Value};
use support::TestApp;

/// Records a bill (no money account, a due date) or an expense paid from `paid_from`.
async fn expense(
    app: &TestApp,
    key: &str,
    date: &str,
    paid_from: &str,
    due: &str,
    amount: &str,
    tax_inclusive: bool,
) -> i64 {
    let form = json!({"vendor": "Landlord", "date": date, "paid_from": paid_from, "due_date": due,
        "reference": "", "memo": "", "tax_inclusive": tax_inclusive,
        "splits": [["6200", "Rent", amount, "20"]], "idempotency_key": key});
    app.ok("record_expense", json!({"form": form}))
        .await
        .as_i64()
        .expect("expense id")
}

fn amount(value: &Value) -> &str {
    value["amount"].as_str().expect("an amount")
}

async fn tax(app: &TestApp, from: &str, to: &str, basis: &str) -> Value {
    app.ok(
        "get_tax_summary",
        json!({"from": from, "to": to, "basis": basis}),
    )
    .await
}

/// The debit-positive movement of an account over a period, from its register.
async fn movement(app: &TestApp, code: &str, from: &str, to: &str, basis: &str) -> f64 {
    let register = app
        .ok(
            "get_register",
            json!({"code": code, "from": from, "to": to, "basis": basis, "page": 1}),
        )
        .await;
    let figure = |v: &Value| amount(v).parse::<f64>().expect("a number");
    figure(&register["closing"]) - figure(&register["opening"])
}

#[tokio::test]
async fn a_bill_due_at_the_end_of_may_is_31_to_60_days_late_in_mid_july() {
    let app = TestApp::signed_in().await;
    let bill = expense(
        &app,
        "bill-rent-may",
        "2026-05-01",
        "",
        "2026-05-31",
        "200.00",
        false,
    )
    .await;

    let aging = app.ok("get_aging", json!({"as_of": "2026-07-15"})).await;

    let row = &aging["payables"]["rows"][0];
    assert_eq!(row["party"], "Landlord");
    assert_eq!(amount(&row["total"]), "240.00");
    let buckets: Vec<&str> = row["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(amount)
        .collect();
    assert_eq!(buckets, vec!["0.00", "0.00", "240.00", "0.00", "0.00"]);
    assert_eq!(amount(&aging["payables"]["totals"][2]), "240.00");
    assert!(aging["receivables"]["rows"].as_array().unwrap().is_empty());

    let paid = json!({"bill": bill, "amount": "100.00", "paid_on": "2026-07-20", "paid_from": "1000",
        "idempotency_key": "pay-rent-may"});
    app.ok("pay_bill", paid).await;
    let before_payment = app.ok("get_aging", json!({"as_of": "2026-07-15"})).await;
    let after_payment = app.ok("get_aging", json!({"as_of": "2026-07-31"})).await;

    assert_eq!(amount(&before_payment["payables"]["totals"][2]), "240.00");
    assert_eq!(amount(&after_payment["payables"]["totals"][3]), "140.00");
    assert_eq!(amount(&after_payment["payables"]["total"]), "140.00");
}

#[tokio::test]
async fn receivables_are_aged_per_customer_as_of_the_day_asked() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    app.pay(customer, "400.00", "2026-04-20", "harbor-part", false)
        .await
        .expect("payment");

    let march = app.ok("get_aging", json!({"as_of": "2026-03-31"})).await;
    let may = app.ok("get_aging", json!({"as_of": "2026-05-01"})).await;

    let row = &march["receivables"]["rows"][0];
    assert_eq!(row["party"], "Harbor Cafe");
    assert_eq!(amount(&row["buckets"][1]), "839.96");
    assert_eq!(
        amount(&may["receivables"]["rows"][0]["buckets"][2]),
        "439.96"
    );
}

#[tokio::test]
async fn the_accrual_tax_summary_equals_the_movement_of_the_tax_accounts() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let kept = app.harbor_draft(customer).await;
    let voided = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": kept})).await;
    app.ok("issue_invoice", json!({"id": voided})).await;
    app.ok("void_invoice", json!({"id": voided})).await;
    expense(&app, "card-paper", "2026-03-10", "2300", "", "60.00", true).await;
    expense(
        &app,
        "bill-rent",
        "2026-03-01",
        "",
        "2026-03-31",
        "200.00",
        false,
    )
    .await;
    // The void is posted today, so the period runs far enough to include it.
    let (from, to) = ("2026-01-01", "2099-12-31");

    let summary = tax(&app, from, to, "accrual").await;

    let output: f64 = amount(&summary["output_tax"]).parse().unwrap();
    let input: f64 = amount(&summary["input_tax"]).parse().unwrap();
    assert_eq!(amount(&summary["output_tax"]), "119.99");
    assert_eq!(amount(&summary["input_tax"]), "50.00");
    assert_eq!(amount(&summary["net_due"]), "69.99");
    assert!((output + movement(&app, "2200", from, to, "accrual").await).abs() < 0.001);
    assert!((input - movement(&app, "1200", from, to, "accrual").await).abs() < 0.001);
    let rates: Vec<(&str, &str, &str)> = summary["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rate"].as_str().unwrap(),
                amount(&r["base"]),
                amount(&r["tax"]),
            )
        })
        .collect();
    assert_eq!(
        rates,
        vec![("0", "120.00", "0.00"), ("20", "599.97", "119.99")]
    );
}

#[tokio::test]
async fn a_card_expense_of_60_with_20_percent_tax_shows_10_input_tax_for_its_quarter() {
    let app = TestApp::signed_in().await;
    expense(
        &app,
        "card-stationery",
        "2026-05-04",
        "2300",
        "",
        "60.00",
        true,
    )
    .await;

    let accrual = tax(&app, "2026-04-01", "2026-06-30", "accrual").await;
    let cash = tax(&app, "2026-04-01", "2026-06-30", "cash").await;
    let next_quarter = tax(&app, "2026-07-01", "2026-09-30", "accrual").await;

    assert_eq!(amount(&accrual["input_tax"]), "10.00");
    assert_eq!(amount(&accrual["input"][0]["base"]), "50.00");
    assert_eq!(amount(&cash["input_tax"]), "10.00");
    assert_eq!(amount(&next_quarter["input_tax"]), "0.00");
}

#[tokio::test]
async fn on_the_cash_basis_tax_follows_the_money_received_and_paid() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    app.pay(customer, "400.00", "2026-04-10", "harbor-april", false)
        .await
        .expect("payment");
    let bill = expense(
        &app,
        "bill-first-quarter",
        "2026-03-01",
        "",
        "2026-04-30",
        "200.00",
        false,
    )
    .await;
    let paid = json!({"bill": bill, "amount": "120.00", "paid_on": "2026-04-15", "paid_from": "1000",
        "idempotency_key": "pay-half-bill"});
    app.ok("pay_bill", paid).await;

    let q1 = tax(&app, "2026-01-01", "2026-03-31", "cash").await;
    let q2 = tax(&app, "2026-04-01", "2026-06-30", "cash").await;

    assert_eq!(amount(&q1["output_tax"]), "0.00");
    assert_eq!(amount(&q1["input_tax"]), "0.00");
    let base: f64 = amount(&q2["output_base"]).parse().unwrap();
    let output: f64 = amount(&q2["output_tax"]).parse().unwrap();
    assert!((base + output - 400.0).abs() < 0.001);
    assert_eq!(amount(&q2["output_tax"]), "57.14");
    assert_eq!(amount(&q2["input_tax"]), "20.00");
    assert_eq!(amount(&q2["input_base"]), "100.00");
    let cash_tax = movement(&app, "2200", "2026-04-01", "2026-06-30", "cash").await;
    assert!((output + cash_tax).abs() < 0.001);
}

/// A payment reversed in a later quarter stays in the quarter it was received and comes out in
/// the quarter of its reversal, on the tax summary, in the cash books and on the aging, as the
/// reversal's own entry does: reports of a closed period never change afterwards.
#[tokio::test]
async fn a_payment_reversed_later_leaves_its_own_quarter_alone_and_counts_back_on_its_day() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let paid = app
        .pay(customer, "400.00", "2026-04-10", "harbor-april", false)
        .await
        .expect("payment");
    let q2_before = tax(&app, "2026-04-01", "2026-06-30", "cash").await;
    let june_before = app.ok("get_aging", json!({"as_of": "2026-06-30"})).await;
    let form = json!({"payment_id": paid["payment_id"], "kind": "Reversal", "date": "2026-07-05",
        "idempotency_key": "reverse-in-july"});
    app.ok("reverse_payment", json!({ "form": form })).await;

    let q2 = tax(&app, "2026-04-01", "2026-06-30", "cash").await;
    let q3 = tax(&app, "2026-07-01", "2026-09-30", "cash").await;
    let june = app.ok("get_aging", json!({"as_of": "2026-06-30"})).await;
    let july = app.ok("get_aging", json!({"as_of": "2026-07-31"})).await;

    assert_eq!(q2, q2_before);
    assert_eq!(amount(&q2["output_tax"]), "57.14");
    assert_eq!(amount(&q3["output_tax"]), "-57.14");
    assert_eq!(amount(&q3["output_base"]), "-342.86");
    for (from, to, summary) in [
        ("2026-04-01", "2026-06-30", &q2),
        ("2026-07-01", "2026-09-30", &q3),
    ] {
        let output: f64 = amount(&summary["output_tax"]).parse().unwrap();
        let cash_tax = movement(&app, "2200", from, to, "cash").await;
        assert!(
            (output + cash_tax).abs() < 0.001,
            "{from}: {output} vs {cash_tax}"
        );
    }
    assert_eq!(june["receivables"], june_before["receivables"]);
    assert_eq!(amount(&june["receivables"]["total"]), "439.96");
    assert_eq!(amount(&july["receivables"]["total"]), "839.96");
    let documents = app
        .ok(
            "get_tax_documents",
            json!({"from": "2026-07-01", "to": "2026-09-30", "basis": "cash", "side": "output",
                "rate": "20", "page": 1}),
        )
        .await;
    assert_eq!(
        documents["documents"].as_array().map(Vec::len),
        Some(1),
        "{documents}"
    );
}

#[tokio::test]
async fn money_in_and_out_per_week_runs_the_balance_of_the_money_accounts() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    app.pay(customer, "400.00", "2026-03-10", "harbor-march", false)
        .await
        .expect("payment");
    expense(&app, "card-march", "2026-03-11", "2300", "", "60.00", true).await;

    let flow = app
        .ok(
            "get_money_flow",
            json!({"from": "2026-03-09", "to": "2026-03-22", "interval": "week"}),
        )
        .await;

    let rows = flow["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(amount(&rows[0]["money_in"]), "400.00");
    assert_eq!(amount(&rows[0]["money_out"]), "60.00");
    assert_eq!(amount(&rows[0]["balance"]), "340.00");
    assert_eq!(amount(&rows[1]["net"]), "0.00");
    assert_eq!(amount(&flow["closing"]), "340.00");
}

#[tokio::test]
async fn the_forecast_expects_open_invoices_and_bills_in_their_due_weeks() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    expense(
        &app,
        "bill-rent-may",
        "2026-05-01",
        "",
        "2026-05-31",
        "200.00",
        false,
    )
    .await;

    let forecast = app
        .ok("get_cash_forecast", json!({"as_of": "2026-05-20"}))
        .await;

    let weeks = forecast["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 13);
    assert_eq!(weeks[0]["start"], "2026-05-18");
    assert_eq!(amount(&weeks[0]["expected_in"]), "839.96");
    assert_eq!(amount(&weeks[1]["expected_out"]), "240.00");
    assert_eq!(amount(&weeks[12]["balance"]), "599.96");
}

#[tokio::test]
async fn the_aging_tax_and_cash_flow_pages_render_their_figures() {
    let app = TestApp::signed_in().await;
    expense(
        &app,
        "bill-rent-may",
        "2026-05-01",
        "",
        "2026-05-31",
        "200.00",
        false,
    )
    .await;
    expense(
        &app,
        "card-stationery",
        "2026-05-04",
        "2300",
        "",
        "60.00",
        true,
    )
    .await;
    let page = |path: &str| {
        let url = format!("http://{}{path}", app.addr);
        let client = app.client.clone();
        async move {
            let response = client.get(url).send().await.expect("page");
            assert!(response.status().is_success(), "{}", response.status());
            response.text().await.expect("body")
        }
    };

    let aging = page("/books/aging?as_of=2026-07-15").await;
    let tax = page("/books/tax?from=2026-04-01&to=2026-06-30").await;
    let flow = page("/books/cash-flow?from=2026-05-01&to=2026-05-31&interval=week").await;

    assert!(aging.contains("Landlord"), "{aging}");
    assert!(aging.contains("240.00"));
    assert!(tax.contains("Input tax (purchases)"));
    assert!(tax.contains("50.00"), "{tax}");
    assert!(tax.contains("Refund due"));
    assert!(flow.contains("13-week forecast"));
    assert!(flow.contains("60.00"));
    assert!(flow.contains("<svg"));
}

#[tokio::test]
async fn a_money_flow_of_too_many_weeks_is_refused_with_a_field_message() {
    let app = TestApp::signed_in().await;

    let refused = app
        .call(
            "get_money_flow",
            json!({"from": "2020-01-01", "to": "2026-12-31", "interval": "week"}),
        )
        .await
        .expect_err("refused");
    let monthly = app
        .call(
            "get_money_flow",
            json!({"from": "2020-01-01", "to": "2026-12-31", "interval": "month"}),
        )
        .await;

    assert!(refused.to_string().contains("shorter period"), "{refused}");
    assert_eq!(
        monthly.expect("84 months")["rows"]
            .as_array()
            .unwrap()
            .len(),
        84
    );
}

/// Every rate row of the summary, as (side, rate, base, tax).
fn rate_rows(summary: &Value) -> Vec<(String, String, String, String)> {
    ["output", "input"]
        .iter()
        .flat_map(|side| {
            summary[side].as_array().unwrap().iter().map(move |r| {
                (
                    side.to_string(),
                    r["rate"].as_str().unwrap().to_string(),
                    amount(&r["base"]).to_string(),
                    amount(&r["tax"]).to_string(),
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn each_rate_of_the_tax_summary_leads_to_documents_that_add_up_to_it() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let kept = app.harbor_draft(customer).await;
    let voided = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": kept})).await;
    app.ok("issue_invoice", json!({"id": voided})).await;
    app.ok("void_invoice", json!({"id": voided})).await;
    let form = json!({"invoice_id": kept, "amount": "50.00", "date": "2026-03-12",
        "reason": "Agreed discount", "idempotency_key": "credit-harbor"});
    app.ok("create_credit_note", json!({"form": form})).await;
    app.pay(customer, "400.00", "2026-04-10", "harbor-april", false)
        .await
        .expect("payment");
    expense(&app, "card-paper", "2026-03-10", "2300", "", "60.00", true).await;
    let bill = expense(
        &app,
        "bill-rent",
        "2026-03-01",
        "",
        "2026-04-30",
        "200.00",
        false,
    )
    .await;
    let paid = json!({"bill": bill, "amount": "120.00", "paid_on": "2026-04-15", "paid_from": "1000",
        "idempotency_key": "pay-part-of-bill"});
    app.ok("pay_bill", paid).await;
    let (from, to) = ("2026-01-01", "2099-12-31");

    let mut followed = 0;
    for basis in ["accrual", "cash"] {
        let summary = tax(&app, from, to, basis).await;
        for (side, rate, base, tax) in rate_rows(&summary) {
            let documents = app
                .ok(
                    "get_tax_documents",
                    json!({"from": from, "to": to, "basis": basis, "side": side, "rate": rate, "page": 1}),
                )
                .await;

            let context = format!("{basis} {side} at {rate}%");
            assert_eq!(amount(&documents["base"]), base, "{context}");
            assert_eq!(amount(&documents["tax"]), tax, "{context}");
            let rows = documents["documents"].as_array().unwrap();
            assert_eq!(rows.len() as u64, documents["count"].as_u64().unwrap());
            let sum = |key: &str| -> i64 {
                rows.iter()
                    .map(|r| (amount(&r[key]).parse::<f64>().unwrap() * 100.0).round() as i64)
                    .sum()
            };
            let expected = |text: &str| (text.parse::<f64>().unwrap() * 100.0).round() as i64;
            assert_eq!(sum("base"), expected(&base), "{context}");
            assert_eq!(sum("tax"), expected(&tax), "{context}");
            followed += 1;
        }
    }
    assert!(followed >= 5, "only {followed} rates were followed");

    // On the accrual basis the 20% sales are the kept invoice, the voided one issued and taken
    // back, and the credit note.
    let sales = app
        .ok(
            "get_tax_documents",
            json!({"from": from, "to": to, "basis": "accrual", "side": "output", "rate": "20", "page": 1}),
        )
        .await;
    let mut kinds: Vec<&str> = sales["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec!["CreditNote", "Invoice", "Invoice", "InvoiceVoid"]
    );
    // A rate no document has lists nothing, and a rate that is not one is refused.
    let none = app
        .ok(
            "get_tax_documents",
            json!({"from": from, "to": to, "basis": "accrual", "side": "output", "rate": "7.5", "page": 1}),
        )
        .await;
    assert_eq!(none["count"], 0);
    assert_eq!(amount(&none["tax"]), "0.00");
    let refused = app
        .call(
            "get_tax_documents",
            json!({"from": from, "to": to, "basis": "accrual", "side": "output", "rate": "twenty", "page": 1}),
        )
        .await;
    let message = refused.expect_err("a rate that is not a number is refused");
    assert!(message.to_string().contains("tax rate"), "{message}");
}
