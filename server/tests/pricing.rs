//! Named tax rates, items, tax-inclusive prices and document discounts through the real app:
//! what is saved, what is posted, and that the screen, the PDF, the e-invoice and the ledger
//! show the same figures.

mod support;

use serde_json::{json, Value};
use std::process::Command;
use support::TestApp;

/// The id of the seeded named rate called `name`.
async fn rate_id(app: &TestApp, name: &str) -> i64 {
    let rates = app.ok("list_tax_rates", json!({})).await;
    rates
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("no rate {name} in {rates}"))
}

fn line(description: &str, quantity: &str, price: &str, rate: i64) -> Value {
    json!({"description": description, "quantity": quantity, "unit_price": price,
        "discount_percent": "", "tax_rate": "", "revenue_account": "4000",
        "tax_rate_id": rate.to_string(), "unit": ""})
}

fn draft(customer: i64, lines: Vec<Value>, inclusive: bool, kind: &str, discount: &str) -> Value {
    json!({"form": {
        "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
        "currency": "GBP", "notes": "", "lines": lines,
        "prices_include_tax": inclusive, "discount_kind": kind, "discount": discount
    }})
}

/// The issue entry's postings of an invoice, as (account, minor units, debit positive).
async fn issue_postings(app: &TestApp, invoice: i64) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT p.account_code, SUM(p.amount_minor) FROM postings p
         JOIN invoices i ON i.issue_entry_id = p.entry_id WHERE i.id = ?
         GROUP BY p.account_code ORDER BY p.account_code",
    )
    .bind(invoice)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn settings() -> Value {
    json!({"form": {
        "name": "Harbour Studio", "legal_name": "Harbour Studio Ltd",
        "address": "4 Quay Street\nFalmouth TR11 3HH", "email": "accounts@harbour.example",
        "phone": "", "tax_id": "GB123456789", "registration_number": "09876543",
        "bank_name": "NatWest", "iban": "GB29 NWBK 6016 1331 9268 19", "bic": "NWBKGB2L",
        "payment_note": "", "invoice_footer": "", "time_zone": "Europe/London",
        "tax_rounding": "per_document", "version": 1
    }})
}

#[tokio::test]
async fn an_inclusive_price_invoice_posts_net_and_tax_adding_up_to_the_gross_written() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let standard = rate_id(&app, "Standard").await;
    let lines = vec![line("Ticket", "1", "12.50", standard); 4];
    let id = app
        .ok("save_draft", draft(customer, lines, true, "none", ""))
        .await;

    app.ok("issue_invoice", json!({"id": id})).await;

    let detail = app.ok("get_invoice", json!({"id": id})).await;
    assert_eq!(detail["totals"]["gross"]["amount"], "50.00");
    assert_eq!(detail["totals"]["tax"]["amount"], "8.33");
    assert_eq!(detail["totals"]["net"]["amount"], "41.67");
    assert_eq!(
        issue_postings(&app, id.as_i64().unwrap()).await,
        vec![
            ("1100".to_string(), 5000),
            ("2200".to_string(), -833),
            ("4000".to_string(), -4167)
        ]
    );
    let kept: (String, String) = sqlx::query_as(
        "SELECT tax_category, tax_name FROM invoice_lines WHERE invoice_id = ? LIMIT 1",
    )
    .bind(id.as_i64())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(kept, ("standard".to_string(), "Standard".to_string()));
}

#[tokio::test]
async fn a_discounted_invoice_shows_the_same_figures_on_screen_pdf_e_invoice_and_ledger() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings()).await;
    let customer = app.customer("Café Zürich").await;
    let (standard, reduced, exempt) = (
        rate_id(&app, "Standard").await,
        rate_id(&app, "Reduced").await,
        rate_id(&app, "Exempt").await,
    );
    let lines = vec![
        line("Design", "1", "80.00", standard),
        line("Books", "1", "20.00", reduced),
        line("Course", "1", "50.00", exempt),
    ];
    let id = app
        .ok("save_draft", draft(customer, lines, false, "percent", "10"))
        .await;
    app.ok("issue_invoice", json!({"id": id})).await;

    let screen = app.ok("get_invoice", json!({"id": id})).await;
    let pdf = app
        .client
        .get(format!("http://{}/invoices/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let xml = app
        .client
        .get(format!("http://{}/invoices/{id}/ubl", app.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ledger = issue_postings(&app, id.as_i64().unwrap()).await;

    let t = &screen["totals"];
    let figures = [&t["discount"], &t["net"], &t["tax"], &t["gross"]].map(|m| m["amount"].clone());
    assert_eq!(
        figures,
        ["15.00", "135.00", "15.30", "150.30"].map(Value::from)
    );
    assert_eq!(
        ledger,
        vec![
            ("1100".to_string(), 15030),
            ("2200".to_string(), -1530),
            ("4000".to_string(), -13500)
        ]
    );
    assert_eq!(
        app::domain::einvoice::check_rules(&xml),
        Vec::<String>::new()
    );
    for element in [
        "<cbc:AllowanceTotalAmount currencyID=\"GBP\">15.00</cbc:AllowanceTotalAmount>",
        "<cbc:TaxExclusiveAmount currencyID=\"GBP\">135.00</cbc:TaxExclusiveAmount>",
        "<cbc:TaxAmount currencyID=\"GBP\">15.30</cbc:TaxAmount>",
        "<cbc:TaxInclusiveAmount currencyID=\"GBP\">150.30</cbc:TaxInclusiveAmount>",
        "<cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cbc:TaxExemptionReason>Exempt from VAT</cbc:TaxExemptionReason>",
    ] {
        assert!(xml.contains(element), "{element} missing from {xml}");
    }
    let text = match Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&pdf).unwrap();
            String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
        }
        Err(_) => {
            eprintln!("skipped the PDF: pdftotext is not installed (poppler-utils)");
            return;
        }
    };
    // The PDF prints each rate's tax on its base rather than the tax total.
    let per_rate: Vec<String> = t["taxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tax"]["amount"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(per_rate, ["0.00", "0.90", "14.40"]);
    for figure in [
        "150.00",
        "-15.00",
        "135.00",
        "150.30",
        "Exempt from tax: Exempt from VAT",
    ]
    .into_iter()
    .chain(per_rate.iter().map(String::as_str))
    {
        assert!(
            text.contains(figure),
            "{figure} missing from the PDF:\n{text}"
        );
    }
}

#[tokio::test]
async fn bad_pricing_and_rates_are_refused_by_field_and_nothing_is_saved() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let standard = rate_id(&app, "Standard").await;

    let too_much = app
        .call(
            "save_draft",
            draft(
                customer,
                vec![line("Design", "1", "80", standard)],
                false,
                "percent",
                "120",
            ),
        )
        .await
        .unwrap_err();
    let not_exact = app
        .call(
            "save_draft",
            draft(
                customer,
                vec![line("Sweets", "1", "1.05", standard)],
                true,
                "none",
                "",
            ),
        )
        .await
        .unwrap_err();
    let no_rate = app
        .call(
            "save_draft",
            draft(
                customer,
                vec![line("Design", "1", "80", 9999)],
                false,
                "none",
                "",
            ),
        )
        .await
        .unwrap_err();
    let no_reason = app
        .call(
            "save_tax_rate",
            json!({"id": null, "form": {"name": "Exempt 2", "rate": "0",
            "category": "exempt", "exemption_reason": ""}}),
        )
        .await
        .unwrap_err();
    let zero_standard = app
        .call(
            "save_tax_rate",
            json!({"id": null, "form": {"name": "Odd", "rate": "0",
            "category": "standard", "exemption_reason": ""}}),
        )
        .await
        .unwrap_err();

    let field = |e: &Value| e["Invalid"][0][0].as_str().unwrap_or_default().to_string();
    assert_eq!(field(&too_much), "discount", "{too_much}");
    assert_eq!(field(&not_exact), "lines", "{not_exact}");
    assert!(not_exact.to_string().contains("1.04"), "{not_exact}");
    assert_eq!(field(&no_rate), "lines.0.tax_rate_id", "{no_rate}");
    assert_eq!(field(&no_reason), "exemption_reason", "{no_reason}");
    assert_eq!(field(&zero_standard), "rate", "{zero_standard}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM tax_rates").await, 4);
}

#[tokio::test]
async fn changing_a_rate_later_never_changes_an_issued_invoice() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let reduced = rate_id(&app, "Reduced").await;
    let id = app
        .ok(
            "save_draft",
            draft(
                customer,
                vec![line("Books", "2", "10.00", reduced)],
                false,
                "none",
                "",
            ),
        )
        .await;
    app.ok("issue_invoice", json!({"id": id})).await;

    app.ok(
        "save_tax_rate",
        json!({"id": reduced, "form": {"name": "Reduced", "rate": "6",
        "category": "reduced", "exemption_reason": ""}}),
    )
    .await;
    app.ok("archive_tax_rate", json!({"id": reduced, "archived": true}))
        .await;

    let detail = app.ok("get_invoice", json!({"id": id})).await;
    assert_eq!(detail["totals"]["tax"]["amount"], "1.00");
    assert_eq!(detail["lines"][0]["tax_rate"], "5");
    assert_eq!(detail["lines"][0]["tax"]["name"], "Reduced");
    let refused = app
        .call(
            "save_draft",
            draft(
                customer,
                vec![line("Books", "1", "10", reduced)],
                false,
                "none",
                "",
            ),
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("archived"), "{refused}");
}

#[tokio::test]
async fn items_are_found_by_search_and_refuse_a_rate_not_in_use() {
    let app = TestApp::signed_in().await;
    let standard = rate_id(&app, "Standard").await;
    let exempt = rate_id(&app, "Exempt").await;
    let item = |name: &str, rate: i64| {
        json!({"id": null, "form": {"name": name, "description": "",
        "unit": "hour", "unit_price": "45.50", "tax_rate_id": rate.to_string(), "revenue_account": "4000"}})
    };
    app.ok("save_item", item("Design hour", standard)).await;
    app.ok("save_item", item("Workshop", standard)).await;
    app.ok("archive_tax_rate", json!({"id": exempt, "archived": true}))
        .await;

    let found = app
        .ok(
            "list_items",
            json!({"search": "design", "with_archived": false}),
        )
        .await;
    let refused = app
        .call("save_item", item("Course", exempt))
        .await
        .unwrap_err();
    let no_name = app
        .call("save_item", item(" ", standard))
        .await
        .unwrap_err();

    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["unit_price"], "45.5");
    assert_eq!(refused["Invalid"][0][0], "tax_rate_id");
    assert_eq!(no_name["Invalid"][0][0], "name");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM items").await, 2);
}

#[tokio::test]
async fn a_quote_is_numbered_when_sent_and_becomes_a_draft_invoice_with_the_same_figures() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let standard = rate_id(&app, "Standard").await;
    let mut form = draft(
        customer,
        vec![line("Ticket", "1", "12.50", standard); 4],
        true,
        "amount",
        "5",
    );
    form["form"]["due_date"] = json!("2099-12-31");
    let quote = app.ok("save_quote", form).await.as_i64().unwrap();
    let expired = app
        .ok(
            "save_quote",
            draft(
                customer,
                vec![line("Ticket", "1", "10", standard)],
                false,
                "none",
                "",
            ),
        )
        .await
        .as_i64()
        .unwrap();

    let number = app.ok("send_quote", json!({"id": quote})).await;
    app.ok("send_quote", json!({"id": expired})).await;
    let invoice = app.ok("convert_quote", json!({"id": quote})).await;
    let again = app
        .call("convert_quote", json!({"id": quote}))
        .await
        .unwrap_err();
    let too_late = app
        .call("answer_quote", json!({"id": expired, "accepted": true}))
        .await
        .unwrap_err();

    assert_eq!(number, "QUO-2026-0001");
    let offered = app.ok("get_quote", json!({"id": quote})).await;
    let invoiced = app.ok("get_invoice", json!({"id": invoice})).await;
    assert_eq!(offered["summary"]["status"], "Accepted");
    assert_eq!(offered["totals"], invoiced["totals"]);
    assert_eq!(invoiced["totals"]["gross"]["amount"], "45.00");
    assert_eq!(invoiced["summary"]["status"], "Draft");
    assert_eq!(invoiced["quote"], json!([quote, "QUO-2026-0001"]));
    assert!(again.to_string().contains("already invoiced"), "{again}");
    assert!(too_late.to_string().contains("expired"), "{too_late}");
    let listed = app.ok("list_quotes", json!({})).await;
    let statuses: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"Expired"), "{listed}");
    let edit_sent = app
        .call("save_quote", json!({"form": {"id": quote, "customer_id": customer, "issue_date": "2026-03-02",
            "due_date": "2026-03-16", "currency": "GBP", "notes": "", "lines": [line("X", "1", "1", standard)]}}))
        .await
        .unwrap_err();
    assert!(
        edit_sent.to_string().contains("only a draft quote"),
        "{edit_sent}"
    );
}

#[tokio::test]
async fn a_discounted_inclusive_invoice_credited_in_full_leaves_nothing_on_any_account() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let (standard, exempt) = (
        rate_id(&app, "Standard").await,
        rate_id(&app, "Exempt").await,
    );
    let lines = vec![
        line("Design", "3", "40.00", standard),
        line("Course", "1", "50.00", exempt),
    ];
    let id = app
        .ok("save_draft", draft(customer, lines, true, "amount", "7.77"))
        .await;
    app.ok("issue_invoice", json!({"id": id})).await;
    let form = json!({"invoice_id": id, "amount": "", "date": "2026-03-10",
        "reason": "Cancelled", "idempotency_key": "pricing-credit-all"});

    app.ok("create_credit_note", json!({"form": form})).await;

    let balances: Vec<(String, i64)> = sqlx::query_as(
        "SELECT account_code, SUM(amount_minor) FROM postings GROUP BY account_code ORDER BY account_code",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(balances.iter().all(|(_, b)| *b == 0), "{balances:?}");
    let detail = app.ok("get_invoice", json!({"id": id})).await;
    assert_eq!(detail["totals"]["gross"]["amount"], "162.23");
    assert_eq!(detail["summary"]["open"]["amount"], "0.00");
}

#[tokio::test]
async fn quotes_take_their_numbers_from_the_pattern_set_under_numbering() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let standard = rate_id(&app, "Standard").await;
    let shown = app.ok("get_numbering", json!({})).await;
    assert_eq!(shown["quote"], "QUO-{YYYY}-{NNNN}");

    let clash = app
        .call(
            "save_numbering",
            json!({"form": {"invoice": "INV-{YYYY}-{NNNN}", "credit_note": "CN-{YYYY}-{NNNN}",
                "quote": "INV-{YYYY}-{NNNN}"}}),
        )
        .await
        .unwrap_err();
    let bad = app
        .call(
            "save_numbering",
            json!({"form": {"invoice": "INV-{YYYY}-{NNNN}", "credit_note": "CN-{YYYY}-{NNNN}",
                "quote": "Q"}}),
        )
        .await
        .unwrap_err();
    app.ok(
        "save_numbering",
        json!({"form": {"invoice": "INV-{YYYY}-{NNNN}", "credit_note": "CN-{YYYY}-{NNNN}",
            "quote": "Offer {NNN}"}}),
    )
    .await;
    // A client that does not send the quotes' pattern leaves it as it is.
    app.ok(
        "save_numbering",
        json!({"form": {"invoice": "INV-{YYYY}-{NNNN}", "credit_note": "CN-{YYYY}-{NNNN}"}}),
    )
    .await;
    let mut form = draft(
        customer,
        vec![line("Ticket", "1", "10", standard)],
        false,
        "none",
        "",
    );
    form["form"]["due_date"] = json!("2099-12-31");
    let quote = app.ok("save_quote", form).await.as_i64().unwrap();
    let number = app.ok("send_quote", json!({"id": quote})).await;

    assert_eq!(clash["Invalid"][0][0], "quote", "{clash}");
    assert_eq!(bad["Invalid"][0][0], "quote", "{bad}");
    assert_eq!(number, "Offer 001");
    assert_eq!(
        app.ok("get_numbering", json!({})).await["quote"],
        "Offer {NNN}"
    );
    let audited: i64 = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE after LIKE '%Offer {NNN}%'")
        .await;
    assert_eq!(audited, 1, "the change is in the audit log once");
}
