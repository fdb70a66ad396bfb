//! Customer statements over HTTP: the figures, the PDF download and who may fetch it.

mod support;

use serde_json::{json, Value};
use std::process::Command;
use support::TestApp;

/// Issues a one-line invoice for `price` (no tax) dated `issued`; returns its id.
async fn issue(app: &TestApp, customer: i64, issued: &str, price: &str) -> i64 {
    let line = json!({"description": "Design work", "quantity": "1", "unit_price": price,
        "discount_percent": "0", "tax_rate": "0", "revenue_account": "4000"});
    let form = json!({"id": null, "customer_id": customer, "issue_date": issued, "due_date": issued,
        "currency": "GBP", "notes": "", "lines": [line]});
    let id = app
        .ok("save_draft", json!({"form": form}))
        .await
        .as_i64()
        .expect("invoice id");
    app.ok("issue_invoice", json!({"id": id})).await;
    id
}

/// Two invoices, the first partly paid inside the period, the second issued inside it.
async fn books_with_two_invoices() -> (TestApp, i64) {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe Ltd").await;
    issue(&app, customer, "2026-03-02", "839.96").await;
    issue(&app, customer, "2026-03-20", "1000.00").await;
    app.pay(customer, "300.00", "2026-03-10", "statement-pay-1", false)
        .await
        .expect("payment recorded");
    (app, customer)
}

fn money(v: &Value) -> &str {
    v["amount"].as_str().expect("money has a decimal amount")
}

#[tokio::test]
async fn the_statement_runs_from_the_opening_balance_through_each_line_to_the_closing_balance() {
    let (app, customer) = books_with_two_invoices().await;

    let s = app
        .ok(
            "get_customer_statement",
            json!({"customer": customer, "from": "2026-03-05", "to": "2026-03-31"}),
        )
        .await;

    assert_eq!(money(&s["opening"]["owed"]), "839.96");
    let lines = s["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "PaymentReceived");
    assert_eq!(money(&lines[0]["amount"]), "-300.00");
    assert_eq!(money(&lines[0]["balance"]), "539.96");
    assert_eq!(
        lines[0]["settled"][0][1],
        support::invoice_number(1).as_str()
    );
    assert_eq!(lines[1]["kind"], "InvoiceIssued");
    assert_eq!(money(&lines[1]["balance"]), "1539.96");
    assert_eq!(money(&s["closing"]["owed"]), "1539.96");
    let c = app.ok("get_customer", json!({"id": customer})).await;
    assert_eq!(money(&c["open_balance"]), "1539.96");
}

#[tokio::test]
async fn credit_held_is_its_own_line_and_lowers_what_is_owed() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Overpay Ltd").await;
    issue(&app, customer, "2026-02-01", "100.00").await;
    app.pay(customer, "150.00", "2026-02-10", "statement-over-1", true)
        .await
        .expect("payment recorded");

    let s = app
        .ok(
            "get_customer_statement",
            json!({"customer": customer, "from": "2026-03-01", "to": "2026-03-31"}),
        )
        .await;

    assert_eq!(money(&s["opening"]["receivable"]), "0.00");
    assert_eq!(money(&s["opening"]["credit"]), "50.00");
    assert_eq!(money(&s["opening"]["owed"]), "-50.00");
    assert_eq!(money(&s["closing"]["owed"]), "-50.00");
    assert!(s["lines"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_pdf_download_carries_the_customer_and_the_closing_balance() {
    let (app, customer) = books_with_two_invoices().await;
    let url = format!(
        "http://{}/customers/{customer}/statement.pdf?from=2026-03-05&to=2026-03-31",
        app.addr
    );

    let response = app.client.get(&url).send().await.unwrap();

    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"statement-harbor-cafe-ltd-2026-03-05-2026-03-31.pdf\""
    );
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    for expected in [
        "Harbor Cafe Ltd",
        "Test Studio",
        "1,539.96",
        "Opening balance",
        "Page 1 of 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[tokio::test]
async fn without_a_session_the_pdf_is_refused() {
    let (app, customer) = books_with_two_invoices().await;
    let url = format!("http://{}/customers/{customer}/statement.pdf", app.addr);
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let api = stranger.get(&url).send().await.unwrap();
    let browser = stranger
        .get(&url)
        .header("accept", "text/html,*/*")
        .send()
        .await
        .unwrap();

    assert_eq!(api.status(), 401);
    assert!(!api.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(browser.status(), 303);
    let location = browser.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/login?next=%2Fcustomers%2F"),
        "{location}"
    );
    assert!(!browser.bytes().await.unwrap().starts_with(b"%PDF"));
}

/// The text of a PDF as poppler reads it, or `None` (test skipped) without pdftotext.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => Some(String::from_utf8(out.stdout).unwrap()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
            None
        }
        Err(e) => panic!("pdftotext failed to start: {e}"),
    }
}

/// A statement of `count` invoices of 123.45 GBP, built without a database.
fn synthetic(count: u64) -> app::api::types::CustomerStatement {
    use app::api::types::{CustomerStatement, StatementBalance, StatementLine, StatementLineKind};
    use app::domain::{Currency, CustomerId, InvoiceId, Money, Period};
    use chrono::{Days, NaiveDate};
    let gbp = Currency::parse("GBP").unwrap();
    let m = |minor| Money::from_minor(minor, gbp);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let lines: Vec<StatementLine> = (0..count)
        .map(|i| StatementLine {
            date: start + Days::new(i),
            kind: StatementLineKind::InvoiceIssued,
            description: format!(
                "Invoice INV-{:05}, due {} – café “Zoë” catering",
                i + 1,
                i + 14
            ),
            invoice_id: Some(InvoiceId(i as i64 + 1)),
            payment_id: None,
            settled: Vec::new(),
            amount: m(12_345),
            balance: m(12_345 * (i as i64 + 1)),
        })
        .collect();
    let balance = |owed| StatementBalance {
        receivable: m(owed),
        credit: m(0),
        owed: m(owed),
    };
    CustomerStatement {
        customer_id: CustomerId(1),
        customer_name: "Müller & Söhne GmbH".into(),
        customer_address: "Straße des 17. Juni 135\n10623 Berlin".into(),
        customer_email: "accounts@example.com".into(),
        business_name: "Test Studio".into(),
        currency: gbp,
        period: Period {
            from: start,
            to: start + Days::new(count),
        },
        opening: balance(0),
        lines,
        closing: balance(12_345 * count as i64),
    }
}

#[test]
fn a_thirty_line_statement_renders_quickly_onto_numbered_pages() {
    let statement = synthetic(30);
    let runs = 200;

    let started = std::time::Instant::now();
    let mut pdf = Vec::new();
    for _ in 0..runs {
        pdf = settle::documents::render_statement(&statement);
    }
    let each = started.elapsed() / runs;

    println!(
        "30-line statement PDF: {} bytes, {:?} each (mean of {runs}, this build's profile)",
        pdf.len(),
        each
    );
    assert!(each < std::time::Duration::from_millis(50), "{each:?}");
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    for expected in [
        "Müller & Söhne GmbH",
        "3,703.50",
        "INV-00030",
        "Page 1 of 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn a_long_statement_repeats_its_header_on_every_page_and_counts_the_pages() {
    let statement = synthetic(120);

    let pdf = settle::documents::render_statement(&statement);

    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), 3, "{text}");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("Page {} of 3", i + 1)), "{page}");
        assert!(
            page.contains("Description"),
            "page {} has no table header",
            i + 1
        );
    }
    assert!(pages[2].contains("Closing balance") && pages[2].contains("14,814.00"));
}
