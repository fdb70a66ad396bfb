//! Delivering invoices: the private link a customer opens without signing in (what it shows,
//! what it hides, its headers, views, revoking), over HTTP against the real app.

mod support;

use serde_json::{json, Value};
use support::TestApp;

/// The business's settings with payment details, as the settings page sends them.
fn settings() -> Value {
    json!({ "form": {
        "name": "Harbour Studio", "legal_name": "Harbour Studio Ltd",
        "address": "4 Quay Street\nFalmouth TR11 3HH", "email": "accounts@harbour.example",
        "phone": "", "tax_id": "GB123456789", "registration_number": "09876543",
        "bank_name": "NatWest", "iban": "GB29 NWBK 6016 1331 9268 19", "bic": "NWBKGB2L",
        "payment_note": "", "invoice_footer": "Thank you for your business.",
        "time_zone": "Europe/London", "tax_rounding": "per_document", "version": 1
    }})
}

/// An issued Harbor Cafe invoice with 300.00 paid: 839.96 in all, 539.96 due.
async fn issued_and_part_paid(app: &TestApp) -> (i64, String) {
    app.ok("save_settings", settings()).await;
    let customer = app.customer("Harbor Cafe").await;
    let id = app.harbor_draft(customer).await;
    let number = app.ok("issue_invoice", json!({"id": id})).await;
    app.pay(customer, "300.00", "2026-03-10", "link-pay", false)
        .await
        .expect("payment recorded");
    (id, number.as_str().unwrap().to_string())
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

async fn views(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM invoice_link_views").await
}

#[tokio::test]
async fn a_private_link_shows_its_invoice_and_balance_to_anyone_without_a_session() {
    let app = TestApp::signed_in().await;
    let (id, number) = issued_and_part_paid(&app).await;
    let other_customer = app.customer("Someone Else Ltd").await;
    let other = app.harbor_draft(other_customer).await;
    let other_number = app.ok("issue_invoice", json!({"id": other})).await;

    let path = app.ok("create_invoice_link", json!({"id": id})).await;
    let path = path.as_str().unwrap().to_string();
    let page = get(&format!("http://{}{path}", app.addr)).await;

    let token = path.strip_prefix("/p/").unwrap();
    assert_eq!(token.len(), 64, "256 bits, hex-encoded");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.headers()["x-robots-tag"]
        .to_str()
        .unwrap()
        .contains("noindex"));
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let html = page.text().await.unwrap();
    for expected in [
        number.as_str(),
        "Harbor Cafe",
        "Harbour Studio Ltd",
        "Service hours",
        "Tax 20% on 599.97",
        "839.96",
        "300.00",
        "GBP 539.96",
        "GB29 NWBK 6016 1331 9268 19",
        "overdue",
        &format!("{path}/pdf"),
    ] {
        assert!(html.contains(expected), "{expected} missing from the page");
    }
    assert!(!html.contains(other_number.as_str().unwrap()));
    assert!(!html.contains("Someone Else"));
    assert!(!html.contains("<script"), "the page runs no script");
    assert_eq!(views(&app).await, 1);
    let shown = app.ok("get_invoice_link", json!({"id": id})).await;
    assert_eq!(shown["path"], path.as_str());
    assert_eq!(shown["views"], 1);
    assert!(shown["viewed_note"]
        .as_str()
        .unwrap()
        .starts_with("Viewed by the customer on "));
}

#[tokio::test]
async fn the_link_serves_the_pdf_and_a_signed_in_look_is_not_counted_as_the_customers() {
    let app = TestApp::signed_in().await;
    let (id, number) = issued_and_part_paid(&app).await;
    let path = app.ok("create_invoice_link", json!({"id": id})).await;
    let url = format!("http://{}{}", app.addr, path.as_str().unwrap());

    let pdf = get(&format!("{url}/pdf")).await;
    let own_look = app.client.get(&url).send().await.unwrap();

    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(pdf.headers()["cache-control"], "no-store");
    assert_eq!(
        pdf.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"")
    );
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(own_look.status(), 200);
    assert_eq!(views(&app).await, 0);
}

#[tokio::test]
async fn a_revoked_or_unknown_link_is_a_plain_404_and_a_new_link_has_a_new_token() {
    let app = TestApp::signed_in().await;
    let (id, _) = issued_and_part_paid(&app).await;
    let old = app.ok("create_invoice_link", json!({"id": id})).await;
    let old_url = format!("http://{}{}", app.addr, old.as_str().unwrap());
    assert_eq!(get(&old_url).await.status(), 200);

    app.ok("revoke_invoice_link", json!({"id": id})).await;

    for url in [
        old_url.clone(),
        format!("{old_url}/pdf"),
        format!("{old_url}/logo"),
    ] {
        let response = get(&url).await;
        assert_eq!(response.status(), 404, "{url}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.text().await.unwrap(), "Not found.");
    }
    let unknown = format!("http://{}/p/{}", app.addr, "0".repeat(64));
    assert_eq!(get(&unknown).await.status(), 404);
    assert_eq!(
        get(&format!("http://{}/p/short", app.addr)).await.status(),
        404
    );
    let none = app.ok("get_invoice_link", json!({"id": id})).await;
    assert_eq!(none, Value::Null);
    let new = app.ok("create_invoice_link", json!({"id": id})).await;
    assert_ne!(new, old);
    assert_eq!(get(&old_url).await.status(), 404);
    let new_url = format!("http://{}{}", app.addr, new.as_str().unwrap());
    assert_eq!(get(&new_url).await.status(), 200);
    // Creating again replaces the live link: one invoice has at most one.
    app.ok("create_invoice_link", json!({"id": id})).await;
    assert_eq!(get(&new_url).await.status(), 404);
    let live = app
        .scalar("SELECT COUNT(*) FROM invoice_links WHERE revoked_at IS NULL")
        .await;
    assert_eq!(live, 1);
}

#[tokio::test]
async fn a_draft_gets_no_link_and_a_viewer_cannot_make_one() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let draft = app.harbor_draft(customer).await;

    let refused = app
        .call("create_invoice_link", json!({"id": draft}))
        .await
        .unwrap_err();
    let anonymous = reqwest::Client::new()
        .post(format!("http://{}/api/create_invoice_link", app.addr))
        .json(&json!({"id": draft}))
        .send()
        .await
        .unwrap();

    assert!(
        refused.to_string().contains("a draft has no private link"),
        "{refused}"
    );
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoice_links").await, 0);
}
