//! The business's settings and the invoice document over HTTP: who may change the settings,
//! what is refused, the logo upload, and the invoice PDF read back with poppler.

mod support;

use serde_json::{json, Value};
use settle::documents::invoice_pdf::Printable;
use std::process::Command;
use support::TestApp;

/// The settings form as the page sends it, with `changes` laid over sensible values.
fn settings(version: i64, changes: Value) -> Value {
    let mut form = json!({
        "name": "Harbour Studio", "legal_name": "Harbour Studio Ltd",
        "address": "4 Quay Street\nFalmouth TR11 3HH\nUnited Kingdom",
        "email": "accounts@harbour.example", "phone": "+44 1326 555 0100",
        "tax_id": "GB123456789", "registration_number": "09876543",
        "bank_name": "NatWest", "iban": "GB29 NWBK 6016 1331 9268 19", "bic": "NWBKGB2L",
        "payment_note": "Sort code 60-16-13, account 31926819.",
        "invoice_footer": "Thank you for your business.",
        "time_zone": "Europe/London", "tax_rounding": "per_document", "version": version
    });
    for (key, value) in changes.as_object().unwrap() {
        form[key] = value.clone();
    }
    json!({ "form": form })
}

/// A 2×1 RGBA PNG: one red pixel, one transparent.
fn png() -> Vec<u8> {
    let row = [0, 255, 0, 0, 255, 0, 0, 0, 0];
    let mut png =
        b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x02\0\0\0\x01\x08\x06\0\0\0\0\0\0\0".to_vec();
    let idat = miniz_oxide::deflate::compress_to_vec_zlib(&row, 6);
    png.extend_from_slice(&(idat.len() as u32).to_be_bytes());
    png.extend_from_slice(b"IDAT");
    png.extend_from_slice(&idat);
    png.extend_from_slice(&[0; 4]);
    png
}

async fn upload_logo(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = client
        .post(format!("http://{}/settings/logo", app.addr))
        .header("content-type", kind)
        .header("origin", format!("http://{}", app.addr))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A second person with `role`, signed in on their own client.
async fn colleague(app: &TestApp, role: &str) -> reqwest::Client {
    let email = format!("{role}@example.com");
    {
        let mut conn = app.pool.acquire().await.unwrap();
        app::store::users::create_user(&mut conn, &email, "their password 1", role)
            .await
            .unwrap();
    }
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("http://{}/api/sign_in", app.addr))
        .json(&json!({"email": email, "password": "their password 1"}))
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success());
    client
}

async fn status_of(app: &TestApp, client: &reqwest::Client, function: &str, args: Value) -> u16 {
    client
        .post(format!("http://{}/api/{function}", app.addr))
        .json(&args)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn only_the_owner_may_read_or_change_the_settings_but_everyone_sees_the_profile() {
    let app = TestApp::signed_in().await;

    for role in ["bookkeeper", "viewer"] {
        let client = colleague(&app, role).await;

        let read = status_of(&app, &client, "get_settings", json!({})).await;
        let save = status_of(&app, &client, "save_settings", settings(1, json!({}))).await;
        let remove = status_of(&app, &client, "remove_logo", json!({})).await;
        let (logo, _) = upload_logo(&app, &client, "image/png", png()).await;
        let profile = status_of(&app, &client, "get_business_profile", json!({})).await;

        assert_eq!((read, save, remove, logo), (403, 403, 403, 403), "{role}");
        assert_eq!(profile, 200, "{role}");
    }
    assert_eq!(
        app.scalar("SELECT profile_version FROM business").await,
        1,
        "nothing was saved"
    );
    let stranger = reqwest::Client::new();
    assert_eq!(
        status_of(&app, &stranger, "get_settings", json!({})).await,
        401
    );
}

#[tokio::test]
async fn bad_settings_are_refused_field_by_field_and_nothing_is_saved() {
    let app = TestApp::signed_in().await;
    let bad = settings(
        1,
        json!({"name": "", "email": "accounts", "iban": "GB00 NWBK 6016 1331 9268 19",
               "bic": "NWBK", "time_zone": "Europe/Atlantis", "tax_rounding": "often"}),
    );

    let refused = app.call("save_settings", bad).await.unwrap_err();

    let fields: Vec<&str> = refused["Invalid"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["name", "email", "iban", "bic", "time_zone", "tax_rounding"]
    );
    let row: (String, String, String, i64) = sqlx::query_as(
        "SELECT name, legal_name, time_zone, profile_version FROM business WHERE id = 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "Test Studio".into(),
            String::new(),
            "Europe/London".into(),
            1
        )
    );
}

#[tokio::test]
async fn settings_are_saved_whole_and_a_form_opened_before_another_save_is_refused() {
    let app = TestApp::signed_in().await;
    let opened = app.ok("get_settings", json!({})).await;
    let version = opened["form"]["version"].as_i64().unwrap();

    let saved = app
        .ok(
            "save_settings",
            settings(
                version,
                json!({"time_zone": "Pacific/Auckland", "tax_rounding": "per_line"}),
            ),
        )
        .await;
    let stale = app
        .call(
            "save_settings",
            settings(version, json!({"name": "Someone Else"})),
        )
        .await;

    assert_eq!(saved.as_i64(), Some(version + 1));
    assert!(stale.unwrap_err()["Conflict"].is_string());
    let row: (String, String, String, String, String) = sqlx::query_as(
        "SELECT name, iban, bic, time_zone, tax_rounding FROM business WHERE id = 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "Harbour Studio".into(),
            "GB29NWBK60161331926819".into(),
            "NWBKGB2L".into(),
            "Pacific/Auckland".into(),
            "per_line".into()
        )
    );
    let reread = app.ok("get_settings", json!({})).await;
    assert_eq!(reread["form"]["iban"], "GB29 NWBK 6016 1331 9268 19");
    assert!(reread["time_zones"]
        .as_array()
        .unwrap()
        .contains(&json!("Europe/London")));
    let session = app.ok("get_session", json!({})).await;
    assert_eq!(session["user"]["business_name"], "Harbour Studio");
}

#[tokio::test]
async fn a_logo_must_be_a_real_png_or_jpeg_of_at_most_one_megabyte() {
    let app = TestApp::signed_in().await;
    let client = &app.client;

    let (gif, _) = upload_logo(&app, client, "image/gif", b"GIF89a".to_vec()).await;
    let (disguised, _) = upload_logo(&app, client, "image/png", b"<svg></svg>".to_vec()).await;
    let mut huge = png();
    huge.resize(1024 * 1024 + 1, 0);
    let (too_large, _) = upload_logo(&app, client, "image/png", huge).await;
    let (broken, _) = upload_logo(&app, client, "image/jpeg", vec![0xFF, 0xD8, 0xFF, 0]).await;
    let stored_before = app.scalar("SELECT logo IS NOT NULL FROM business").await;
    let (ok, body) = upload_logo(&app, client, "image/png", png()).await;
    let served = client
        .get(format!("http://{}/settings/logo", app.addr))
        .send()
        .await
        .unwrap();

    assert_eq!((gif, disguised, too_large, broken), (415, 415, 413, 422));
    assert_eq!(stored_before, 0);
    assert_eq!(ok, 200);
    assert_eq!(body["version"], 2);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().as_ref(), png().as_slice());
    app.ok("remove_logo", json!({})).await;
    assert_eq!(app.scalar("SELECT logo IS NULL FROM business").await, 1);
}

/// The text poppler reads out of a PDF, laid out as on the page.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => Some(String::from_utf8(out.stdout).unwrap()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("pdftotext failed to start: {e}"),
    }
}

/// Writes `pdf` into the folder `SETTLE_PDF_OUT` names, if any, for a person to look at.
fn keep_for_review(pdf: &[u8], name: &str) {
    if let Ok(dir) = std::env::var("SETTLE_PDF_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), pdf).unwrap();
    }
}

async fn get_pdf(app: &TestApp, id: i64) -> reqwest::Response {
    app.client
        .get(format!("http://{}/invoices/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_invoice_pdf_shows_its_number_tax_per_rate_totals_and_what_is_due() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    upload_logo(&app, &app.client, "image/png", png()).await;
    let customer = app.customer("Café Zürich – Łódź GmbH").await;
    let id = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    app.pay(customer, "300.00", "2026-03-10", "documents-pay-1", false)
        .await
        .expect("payment recorded");
    let screen = app.ok("get_invoice", json!({"id": id})).await;

    let response = get_pdf(&app, id).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    // New books number by year (INV-2026-0001), so the number is read from the screen.
    let number = screen["summary"]["number"]
        .as_str()
        .expect("an issued number")
        .to_string();
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"")
    );
    let pdf = response.bytes().await.unwrap();
    keep_for_review(&pdf, "invoice.pdf");
    let Some(text) = pdftotext(&pdf) else {
        eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
        return;
    };
    // The figures are the screen's, from the one totals function.
    assert_eq!(screen["totals"]["gross"]["amount"], "839.96");
    assert_eq!(screen["summary"]["open"]["amount"], "539.96");
    for expected in [
        "INVOICE",
        number.as_str(),
        "Harbour Studio Ltd",
        "VAT no. GB123456789",
        "Company no. 09876543",
        "Café Zürich – Łódź GmbH",
        "2 March 2026",
        "16 March 2026",
        "Service hours",
        "less 10% discount",
        "Tax 0% on 120.00",
        "Tax 20% on 599.97",
        "119.99",
        "719.97",
        "839.96",
        "300.00",
        "539.96",
        "GB29 NWBK 6016 1331 9268 19",
        "NWBKGB2L",
        "Thank you for your business.",
        "Page 1 of 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let due_line = text
        .lines()
        .find(|l| l.contains("Amount due"))
        .expect("an amount due line");
    assert!(due_line.contains("GBP") && due_line.trim_end().ends_with("539.96"));
}

#[tokio::test]
async fn a_draft_prints_marked_draft_without_a_number_or_an_amount_due() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe Ltd").await;
    let id = app.harbor_draft(customer).await;

    let response = get_pdf(&app, id).await;

    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"invoice-draft-{id}.pdf\"").as_str()
    );
    let pdf = response.bytes().await.unwrap();
    keep_for_review(&pdf, "draft.pdf");
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    assert!(text.contains("DRAFT"));
    assert!(text.contains("839.96"));
    assert!(!text.contains("INV-"), "a draft has no number:\n{text}");
    assert!(!text.contains("Amount due"));
}

#[tokio::test]
async fn without_a_session_the_invoice_pdf_is_not_served() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe Ltd").await;
    let id = app.harbor_draft(customer).await;

    let response = reqwest::Client::new()
        .get(format!("http://{}/invoices/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap();
    let missing = get_pdf(&app, id + 1000).await;

    assert_eq!(response.status(), 401);
    assert_eq!(missing.status(), 404);
}

/// Not a timed assertion: prints the median time and the size of a 30-line invoice's PDF,
/// the figures the README quotes. Run with `--nocapture` to see them.
#[tokio::test]
async fn a_thirty_line_invoice_renders_and_its_figures_are_reported() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    upload_logo(&app, &app.client, "image/png", png()).await;
    let customer = app.customer("Harbor Cafe Ltd").await;
    let lines: Vec<Value> = (1..=30)
        .map(|i| json!({"description": format!("Design sprint, week {i}: workshops, wireframes and review"),
            "quantity": "3", "unit_price": "412.50", "discount_percent": if i % 5 == 0 { "10" } else { "0" },
            "tax_rate": if i % 3 == 0 { "5" } else { "20" }, "revenue_account": "4000"}))
        .collect();
    let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
        "due_date": "2026-04-01", "currency": "GBP", "notes": "", "lines": lines});
    let id = app.ok("save_draft", json!({"form": form})).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    let state = app::api::context::AppState::new(app.pool.clone());
    let invoice = app::domain::InvoiceId(id.as_i64().unwrap());

    let median = |mut times: Vec<std::time::Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1e3
    };
    let document = app::api::documents::load_invoice_document(&state, invoice)
        .await
        .unwrap();
    let logo = {
        let mut conn = app.pool.acquire().await.unwrap();
        app::store::business::get_logo(&mut conn).await.unwrap()
    };

    let mut layout = Vec::new();
    let mut whole = Vec::new();
    let mut size = 0;
    for _ in 0..100 {
        let started = std::time::Instant::now();
        let printable = Printable::invoice(&document, logo.as_ref());
        size = settle::documents::invoice_pdf::render(&printable).len();
        layout.push(started.elapsed());
        let started = std::time::Instant::now();
        settle::documents::render_invoice(&state, invoice)
            .await
            .unwrap();
        whole.push(started.elapsed());
    }

    println!(
        "30-line invoice PDF, median of 100 runs: {:.2} ms to lay out and write, {:.2} ms \
         with reading the invoice from SQLite; {size} bytes",
        median(layout),
        median(whole)
    );
    let (pdf, _) = settle::documents::render_invoice(&state, invoice)
        .await
        .unwrap();
    keep_for_review(&pdf, "thirty-lines.pdf");
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Design sprint, week 30"));
        assert!(text.contains("Page 2 of 2"));
    }
}

#[tokio::test]
async fn settle_check_finds_a_bad_iban_or_a_logo_that_is_not_what_it_claims() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    upload_logo(&app, &app.client, "image/png", png()).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let sound = app::store::check::check_books(&mut conn).await.unwrap();

    sqlx::query("UPDATE business SET iban = 'GB28NWBK60161331926819', logo_type = 'image/jpeg'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();

    assert_eq!(sound, Vec::<String>::new());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("IBAN"));
    assert!(problems[1].contains("logo"));
}

#[tokio::test]
async fn the_e_invoice_keeps_the_en16931_rules_and_the_invoices_own_figures() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    let customer = app.customer("Café Zürich – Łódź GmbH").await;
    let id = app.harbor_draft(customer).await;
    let draft = app
        .client
        .get(format!("http://{}/invoices/{id}/ubl", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), 409, "a draft has no e-invoice");
    app.ok("issue_invoice", json!({"id": id})).await;
    app.pay(customer, "300.00", "2026-03-10", "einvoice-pay-1", false)
        .await
        .expect("payment recorded");
    let screen = app.ok("get_invoice", json!({"id": id})).await;

    let response = app
        .client
        .get(format!("http://{}/invoices/{id}/ubl", app.addr))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/xml");
    let number = screen["summary"]["number"].as_str().unwrap().to_string();
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.xml\"")
    );
    let xml = response.text().await.unwrap();
    assert_eq!(
        app::domain::einvoice::check_rules(&xml),
        Vec::<String>::new()
    );
    let total = screen["summary"]["total"]["amount"].as_str().unwrap();
    assert_eq!(total, "839.96");
    for expected in [
        format!("<cbc:ID>{number}</cbc:ID>"),
        "<cbc:TaxInclusiveAmount currencyID=\"GBP\">839.96</cbc:TaxInclusiveAmount>".into(),
        "<cbc:PrepaidAmount currencyID=\"GBP\">300.00</cbc:PrepaidAmount>".into(),
        "<cbc:PayableAmount currencyID=\"GBP\">539.96</cbc:PayableAmount>".into(),
        "<cbc:TaxableAmount currencyID=\"GBP\">599.97</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"GBP\">119.99</cbc:TaxAmount>".into(),
        "<cbc:RegistrationName>Harbour Studio Ltd</cbc:RegistrationName>".into(),
        "<cbc:RegistrationName>Café Zürich – Łódź GmbH</cbc:RegistrationName>".into(),
        "<cbc:ID>GB29NWBK60161331926819</cbc:ID>".into(),
    ] {
        assert!(xml.contains(&expected), "{expected} in {xml}");
    }
    // Characters XML cannot carry are left out, so the document still parses.
    let odd = app.customer("Odd\u{ffff} Name\u{fffe}").await;
    let odd_invoice = app.harbor_draft(odd).await;
    app.ok("issue_invoice", json!({"id": odd_invoice})).await;
    let odd_xml = app
        .client
        .get(format!("http://{}/invoices/{odd_invoice}/ubl", app.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        app::domain::einvoice::check_rules(&odd_xml),
        Vec::<String>::new()
    );
    app.ok("void_invoice", json!({"id": odd_invoice})).await;
    let void = app
        .client
        .get(format!("http://{}/invoices/{odd_invoice}/ubl", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(void.status(), 409, "a void invoice has no e-invoice");
    let anonymous = reqwest::Client::new()
        .get(format!("http://{}/invoices/{id}/ubl", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_credit_note_downloads_as_a_ubl_credit_note_for_its_invoice_that_keeps_the_rules() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let form = json!({"invoice_id": invoice, "amount": "50.00", "date": "2026-03-12",
        "reason": "Agreed discount", "idempotency_key": "credit-ubl"});
    let id = app.ok("create_credit_note", json!({"form": form})).await;
    let note = app.ok("get_credit_note", json!({"id": id})).await;
    let number = note["summary"]["number"].as_str().unwrap().to_string();
    let url = format!("http://{}/credit-notes/{id}/ubl", app.addr);

    let response = app.client.get(&url).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/xml");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.xml\"")
    );
    let xml = response.text().await.unwrap();
    assert_eq!(
        app::domain::einvoice::check_rules(&xml),
        Vec::<String>::new()
    );
    for expected in [
        format!("<cbc:ID>{number}</cbc:ID>"),
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>".into(),
        format!(
            "<cac:InvoiceDocumentReference><cbc:ID>{}</cbc:ID><cbc:IssueDate>2026-03-02</cbc:IssueDate>",
            support::invoice_number(1)
        ),
        "<cbc:TaxInclusiveAmount currencyID=\"GBP\">50.00</cbc:TaxInclusiveAmount>".into(),
        "<cbc:PayableAmount currencyID=\"GBP\">50.00</cbc:PayableAmount>".into(),
        "<cbc:RegistrationName>Harbor Cafe</cbc:RegistrationName>".into(),
    ] {
        assert!(xml.contains(&expected), "{expected} in {xml}");
    }
    let anonymous = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let missing = app
        .client
        .get(format!("http://{}/credit-notes/999/ubl", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_sent_quote_prints_its_number_validity_and_totals_with_nothing_to_pay() {
    let app = TestApp::signed_in().await;
    app.ok("save_settings", settings(1, json!({}))).await;
    let customer = app.customer("Café Zürich – Łódź GmbH").await;
    let lines = [
        ("Workshop day", "2", "650.00", "20"),
        ("Printed guide", "10", "12.40", "5"),
    ]
    .map(|(description, quantity, price, rate)| {
        json!({"description": description, "quantity": quantity, "unit_price": price,
                "discount_percent": "0", "tax_rate": rate, "revenue_account": "4000"})
    });
    let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
        "due_date": "2099-03-31", "currency": "GBP", "notes": "Prices hold for thirty days.",
        "lines": lines});
    let id = app
        .ok("save_quote", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();
    let draft = app
        .client
        .get(format!("http://{}/quotes/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap();
    let number = app.ok("send_quote", json!({"id": id})).await;
    let number = number.as_str().unwrap();
    let screen = app.ok("get_quote", json!({"id": id})).await;

    let response = app
        .client
        .get(format!("http://{}/quotes/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap();
    let stranger = reqwest::Client::new()
        .get(format!("http://{}/quotes/{id}/pdf", app.addr))
        .send()
        .await
        .unwrap();
    let missing = app
        .client
        .get(format!("http://{}/quotes/{}/pdf", app.addr, id + 1000))
        .send()
        .await
        .unwrap();

    assert_eq!(stranger.status(), 401);
    assert_eq!(missing.status(), 404);
    assert_eq!(
        draft.headers()["content-disposition"],
        format!("attachment; filename=\"quote-draft-{id}.pdf\"").as_str()
    );
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"").as_str()
    );
    let pdf = response.bytes().await.unwrap();
    keep_for_review(&pdf, "quote.pdf");
    let Some(text) = pdftotext(&pdf) else {
        eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
        return;
    };
    // 1300.00 at 20% and 124.00 at 5%: tax 260.00 + 6.20.
    assert_eq!(screen["totals"]["gross"]["amount"], "1690.20");
    for expected in [
        "QUOTE",
        number,
        "QUOTE FOR",
        "Café Zürich – Łódź GmbH",
        "Valid until",
        "31 March 2099",
        "Workshop day",
        "Tax 20% on 1,300.00",
        "Tax 5% on 124.00",
        "1,690.20",
        "Prices hold for thirty days.",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(!text.contains("Amount due"), "a quote asks for nothing yet");
    assert!(!text.contains("Due date"));
}

#[tokio::test]
async fn a_credited_invoice_prints_what_was_credited_so_its_figures_add_up() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe Ltd").await;
    let id = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    app.pay(
        customer,
        "300.00",
        "2026-03-10",
        "documents-credited-1",
        false,
    )
    .await
    .expect("payment recorded");
    let form = json!({"invoice_id": id, "amount": "100.00", "date": "2026-03-12",
        "reason": "Returned kit", "idempotency_key": "documents-credit-1"});
    app.ok("create_credit_note", json!({"form": form})).await;
    let screen = app.ok("get_invoice", json!({"id": id})).await;

    let pdf = get_pdf(&app, id).await.bytes().await.unwrap();

    assert_eq!(screen["summary"]["open"]["amount"], "439.96");
    let Some(text) = pdftotext(&pdf) else {
        eprintln!("skipped: pdftotext is not installed (Debian package poppler-utils)");
        return;
    };
    let line_with = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label:?} line in:\n{text}"))
            .to_string()
    };
    assert!(line_with("Paid").trim_end().ends_with("300.00"));
    assert!(line_with("Credited").trim_end().ends_with("100.00"));
    assert!(line_with("Amount due").trim_end().ends_with("439.96"));
}
