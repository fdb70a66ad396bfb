//! The HTTP API v1 over real HTTP and a real SQLite file: the whole flow an integration
//! runs, who may call what, Idempotency-Key, cursor pages, refused input.

mod support;

use app::api::api_tokens::{make_token, TokenScope};
use app::store::audit::Actor;
use serde_json::{json, Value};
use support::TestApp;

/// A running app with an owner, and a token of `scope` for them.
async fn app_with_token(scope: TokenScope) -> (TestApp, String) {
    let app = TestApp::signed_in().await;
    let token = token_for(&app, "owner@example.com", scope).await;
    (app, token)
}

async fn token_for(app: &TestApp, email: &str, scope: TokenScope) -> String {
    let mut conn = app.pool.acquire().await.unwrap();
    let (user, _) = app::store::api_tokens::owner_by_email(&mut conn, email)
        .await
        .unwrap()
        .expect("user exists");
    drop(conn);
    make_token(&app.pool, &Actor::CommandLine, user.id, "tests", scope)
        .await
        .expect("token made")
        .secret
}

async fn add_user(app: &TestApp, email: &str, role: &str) {
    let mut tx = app::store::begin_write(&app.pool, &Actor::CommandLine)
        .await
        .unwrap();
    app::store::users::create_user(&mut tx, email, "correct horse battery", role)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A client without cookies, like curl.
fn curl() -> reqwest::Client {
    reqwest::Client::new()
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let url = format!("http://{}{path}", app.addr);
    let mut request = curl().request(method.parse().unwrap(), url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    send(app, "GET", path, Some(token), None, None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Answer {
    send(app, "POST", path, Some(token), None, Some(body)).await
}

fn invoice_input(customer: i64) -> Value {
    json!({
        "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
        "lines": [
            {"description": "Service hours", "quantity": "12", "unit_price": "45.50",
             "tax_rate": "20", "revenue_account": "4000"},
            {"description": "Call-out fee", "quantity": "1", "unit_price": "120.00",
             "tax_rate": "0", "revenue_account": "4000"}
        ]
    })
}

#[tokio::test]
async fn an_integration_invoices_gets_paid_and_the_books_balance() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    // An e-invoice names the seller in full.
    app.ok(
        "save_settings",
        json!({"form": {
        "name": "Harbour Studio", "legal_name": "Harbour Studio Ltd",
        "address": "4 Quay Street\nFalmouth TR11 3HH\nUnited Kingdom",
        "email": "accounts@harbour.example", "phone": "", "tax_id": "GB123456789",
        "registration_number": "09876543", "bank_name": "", "iban": "", "bic": "",
        "payment_note": "", "invoice_footer": "", "time_zone": "Europe/London",
        "tax_rounding": "per_document", "version": 1}}),
    )
    .await;

    let customer = post(
        &app,
        "/api/v1/customers",
        &token,
        json!({"name": "Harbor Cafe"}),
    )
    .await;
    assert_eq!(customer.status, 201, "{}", customer.body);
    let customer_id = customer.body["id"].as_i64().unwrap();
    let draft = post(&app, "/api/v1/invoices", &token, invoice_input(customer_id)).await;
    assert_eq!(draft.status, 201, "{}", draft.body);
    let invoice = draft.body["summary"]["id"].as_i64().unwrap();
    assert_eq!(draft.body["summary"]["number"], Value::Null);
    let issued = post(
        &app,
        &format!("/api/v1/invoices/{invoice}/issue"),
        &token,
        json!({}),
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    // 12 × 45.50 = 546.00 + 20% = 655.20, plus 120.00 untaxed.
    assert_eq!(issued.body["summary"]["total"]["amount"], "775.20");
    assert_eq!(issued.body["summary"]["number"], support::invoice_number(1));
    let payment = send(
        &app,
        "POST",
        "/api/v1/payments",
        Some(&token),
        Some("pay-harbor-1"),
        Some(
            json!({"customer_id": customer_id, "amount": "775.20", "received_on": "2026-03-10",
            "allocations": [{"invoice_id": invoice, "amount": "775.20"}]}),
        ),
    )
    .await;
    assert_eq!(payment.status, 201, "{}", payment.body);
    assert_eq!(payment.body["amount"]["amount"], "775.20");

    let paid = get(&app, &format!("/api/v1/invoices/{invoice}"), &token).await;
    assert_eq!(paid.body["summary"]["status"], "Paid", "{}", paid.body);
    assert_eq!(paid.body["summary"]["open"]["amount"], "0.00");
    let trial = get(&app, "/api/v1/reports/trial-balance", &token).await;
    assert_eq!(trial.status, 200, "{}", trial.body);
    assert_eq!(trial.body["total_debit"], trial.body["total_credit"]);
    assert_ne!(trial.body["total_debit"]["amount"], "0.00");
    let profit = get(
        &app,
        "/api/v1/reports/profit-and-loss?from=2026-01-01&to=2026-12-31",
        &token,
    )
    .await;
    assert_eq!(profit.status, 200, "{}", profit.body);
    assert!(
        profit.body.to_string().contains("666.00"),
        "{}",
        profit.body
    );
    let sheet = get(&app, "/api/v1/reports/balance-sheet?to=2026-12-31", &token).await;
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    let accounts = get(&app, "/api/v1/accounts", &token).await;
    let bank = accounts.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "1000")
        .cloned()
        .unwrap();
    assert_eq!(bank["balance"]["amount"], "775.20");
    let journal = get(&app, "/api/v1/journal", &token).await;
    assert_eq!(journal.body["data"].as_array().unwrap().len(), 2);

    let pdf = curl()
        .get(format!("http://{}/api/v1/invoices/{invoice}/pdf", app.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let ubl = curl()
        .get(format!("http://{}/api/v1/invoices/{invoice}/ubl", app.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ubl.headers()["content-type"], "application/xml");
    let xml = ubl.text().await.unwrap();
    assert!(xml.contains("<Invoice") && xml.contains("775.20"), "{xml}");
}

#[tokio::test]
async fn a_refund_reopens_the_invoice_and_credit_can_be_allocated_later() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    let customer = post(&app, "/api/v1/customers", &token, json!({"name": "Kiln"})).await;
    let customer = customer.body["id"].as_i64().unwrap();
    // Paid in advance: with nothing open yet, all of it becomes credit.
    let payment = post(
        &app,
        "/api/v1/payments",
        &token,
        json!({"customer_id": customer, "amount": "800.00", "received_on": "2026-03-01"}),
    )
    .await;
    assert_eq!(
        payment.body["credit_left"]["amount"], "800.00",
        "{}",
        payment.body
    );
    let payment = payment.body["id"].as_i64().unwrap();
    let invoice = post(&app, "/api/v1/invoices", &token, invoice_input(customer)).await;
    let invoice = invoice.body["summary"]["id"].as_i64().unwrap();
    post(
        &app,
        &format!("/api/v1/invoices/{invoice}/issue"),
        &token,
        json!({}),
    )
    .await;

    let allocated = post(
        &app,
        &format!("/api/v1/payments/{payment}/allocations"),
        &token,
        json!({"invoice_id": invoice, "amount": "775.20"}),
    )
    .await;
    assert_eq!(allocated.status, 200, "{}", allocated.body);
    let paid = get(&app, &format!("/api/v1/invoices/{invoice}"), &token).await;
    assert_eq!(paid.body["summary"]["status"], "Paid");

    let refund = post(
        &app,
        &format!("/api/v1/payments/{payment}/refund"),
        &token,
        json!({}),
    )
    .await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    let reopened = get(&app, &format!("/api/v1/invoices/{invoice}"), &token).await;
    assert_eq!(reopened.body["summary"]["open"]["amount"], "775.20");
    let again = post(
        &app,
        &format!("/api/v1/payments/{payment}/refund"),
        &token,
        json!({}),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.body["error"]["code"], "conflict");

    let credit = post(
        &app,
        &format!("/api/v1/invoices/{invoice}/credit-notes"),
        &token,
        json!({"reason": "Service not delivered"}),
    )
    .await;
    assert_eq!(credit.status, 201, "{}", credit.body);
    assert_eq!(credit.body["summary"]["open"]["amount"], "0.00");
    let voided = post(
        &app,
        &format!("/api/v1/invoices/{invoice}/void"),
        &token,
        json!({}),
    )
    .await;
    assert_eq!(
        voided.status, 409,
        "a credited invoice is not voided: {}",
        voided.body
    );
}

/// Puts a plausible id into a route's path.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
}

#[tokio::test]
async fn no_route_answers_without_a_live_token_of_the_right_scope_and_role() {
    let app = TestApp::signed_in().await;
    let read = token_for(&app, "owner@example.com", TokenScope::Read).await;
    let revoked = token_for(&app, "owner@example.com", TokenScope::Write).await;
    let mut tx = app::store::begin_write(&app.pool, &Actor::CommandLine)
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM api_tokens")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(app::store::api_tokens::revoke(&mut tx, 1, id)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    add_user(&app, "viewer@example.com", "viewer").await;
    let viewer_write = token_for(&app, "viewer@example.com", TokenScope::Write).await;
    let viewer_read = token_for(&app, "viewer@example.com", TokenScope::Read).await;
    add_user(&app, "gone@example.com", "bookkeeper").await;
    let disabled = token_for(&app, "gone@example.com", TokenScope::Write).await;
    sqlx::query(
        "UPDATE users SET disabled_at = '2026-01-01T00:00:00Z' WHERE email = 'gone@example.com'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let endpoints = settle::api_v1::endpoints();
    assert!(endpoints.len() >= 20);

    for endpoint in &endpoints {
        let path = concrete(endpoint.path);
        let body = (endpoint.method == "POST").then(|| json!({}));
        for token in [
            None,
            Some("settle_0000"),
            Some(revoked.as_str()),
            Some(disabled.as_str()),
            Some("not-a-token"),
        ] {
            let answer = send(&app, endpoint.method, &path, token, None, body.clone()).await;
            assert_eq!(
                answer.status, 401,
                "{} {path} with {token:?}",
                endpoint.method
            );
            assert_eq!(answer.body["error"]["code"], "unauthorised");
            assert!(answer.headers.contains_key("www-authenticate"));
        }
        // The signed-in browser's cookie does not reach the API.
        let cookie = app
            .client
            .request(
                endpoint.method.parse().unwrap(),
                format!("http://{}{path}", app.addr),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            cookie.status(),
            401,
            "{} {path} with a session cookie",
            endpoint.method
        );
        if endpoint.method == "POST" {
            for token in [&read, &viewer_write, &viewer_read] {
                let answer = send(&app, "POST", &path, Some(token), None, body.clone()).await;
                assert_eq!(answer.status, 403, "POST {path}");
                assert_eq!(answer.body["error"]["code"], "forbidden");
            }
        } else {
            let answer = send(&app, "GET", &path, Some(&viewer_read), None, None).await;
            assert!(
                [200, 404, 409].contains(&answer.status),
                "a viewer's read token reads GET {path}: {}",
                answer.status
            );
        }
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM customers").await, 0);
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_registered_routes() {
    let app = TestApp::start().await;

    let answer = send(&app, "GET", "/api/v1/openapi.json", None, None, None).await;

    assert_eq!(answer.status, 200);
    let doc = answer.body;
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            documented.push(format!("{} {path}", method.to_uppercase()));
            for code in ["400", "401", "500"] {
                assert!(
                    operation["responses"][code].is_object(),
                    "{method} {path} {code}"
                );
            }
            for reference in operation.to_string().split("\"$ref\":\"").skip(1) {
                let name = &reference[..reference.find('"').unwrap()];
                let pointer = name.trim_start_matches('#');
                assert!(
                    doc.pointer(pointer).is_some(),
                    "{name} is not in the document"
                );
            }
        }
    }
    documented.sort();
    let mut registered: Vec<String> = settle::api_v1::endpoints()
        .iter()
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    registered.sort();
    assert_eq!(documented, registered);
    // Each route in the table is registered with its method: without a token it is refused
    // (401), not unknown (404) or of another method (405).
    for endpoint in settle::api_v1::endpoints() {
        let answer = send(
            &app,
            endpoint.method,
            &concrete(endpoint.path),
            None,
            None,
            None,
        )
        .await;
        assert_eq!(answer.status, 401, "{} {}", endpoint.method, endpoint.path);
    }
    let unknown = send(&app, "GET", "/api/v1/nothing-here", None, None, None).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn a_retried_post_returns_the_first_answer_and_records_nothing_more() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    let customer = post(
        &app,
        "/api/v1/customers",
        &token,
        json!({"name": "Retry Ltd"}),
    )
    .await;
    let customer = customer.body["id"].as_i64().unwrap();
    let body = json!({"customer_id": customer, "amount": "50.00", "received_on": "2026-03-10"});

    let first = send(
        &app,
        "POST",
        "/api/v1/payments",
        Some(&token),
        Some("k-1"),
        Some(body.clone()),
    )
    .await;
    let again = send(
        &app,
        "POST",
        "/api/v1/payments",
        Some(&token),
        Some("k-1"),
        Some(body.clone()),
    )
    .await;
    let other = send(
        &app,
        "POST",
        "/api/v1/payments",
        Some(&token),
        Some("k-1"),
        Some(json!({"customer_id": customer, "amount": "60.00", "received_on": "2026-03-10"})),
    )
    .await;

    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!((again.status, &again.body), (201, &first.body));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(other.status, 422, "{}", other.body);
    assert_eq!(other.body["error"]["field"], "Idempotency-Key");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);

    // Keys belong to a token: another token's same key is a new request.
    let second_token = token_for(&app, "owner@example.com", TokenScope::Write).await;
    let elsewhere = send(
        &app,
        "POST",
        "/api/v1/payments",
        Some(&second_token),
        Some("k-1"),
        Some(body),
    )
    .await;
    assert_eq!(elsewhere.status, 201);
    assert_ne!(elsewhere.body["id"], first.body["id"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 2);
}

#[tokio::test]
async fn racing_retries_of_one_request_make_exactly_one_invoice_and_one_payment() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    let customer = post(
        &app,
        "/api/v1/customers",
        &token,
        json!({"name": "Race Co"}),
    )
    .await;
    let customer = customer.body["id"].as_i64().unwrap();

    let invoices = futures::future::join_all((0..8).map(|_| {
        send(
            &app,
            "POST",
            "/api/v1/invoices",
            Some(&token),
            Some("draft-1"),
            Some(invoice_input(customer)),
        )
    }))
    .await;
    let body = json!({"customer_id": customer, "amount": "10.00", "received_on": "2026-03-10"});
    let payments = futures::future::join_all((0..8).map(|_| {
        send(
            &app,
            "POST",
            "/api/v1/payments",
            Some(&token),
            Some("pay-1"),
            Some(body.clone()),
        )
    }))
    .await;

    for answers in [&invoices, &payments] {
        assert!(
            answers.iter().all(|a| a.status == 201),
            "{:?}",
            answers.iter().map(|a| a.status).collect::<Vec<_>>()
        );
        assert!(answers.iter().all(|a| a.body == answers[0].body));
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 1);
}

#[tokio::test]
async fn walking_the_pages_sees_every_customer_once() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    for n in 0..7 {
        post(
            &app,
            "/api/v1/customers",
            &token,
            json!({"name": format!("Customer {n}")}),
        )
        .await;
    }

    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let page = get(
            &app,
            &format!("/api/v1/customers?limit=3&cursor={cursor}"),
            &token,
        )
        .await;
        assert_eq!(page.status, 200, "{}", page.body);
        pages += 1;
        for row in page.body["data"].as_array().unwrap() {
            seen.push(row["name"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }

    let expected: Vec<String> = (0..7).map(|n| format!("Customer {n}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(pages, 3);
    for bad in ["limit=0", "limit=101", "limit=ten", "cursor=bogus"] {
        let answer = get(&app, &format!("/api/v1/customers?{bad}"), &token).await;
        assert_eq!(answer.status, 400, "{bad}");
        let field = bad.split('=').next().unwrap();
        assert_eq!(answer.body["error"]["field"], field);
    }
}

#[tokio::test]
async fn refused_input_names_the_field_and_saves_nothing() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    let customer = post(
        &app,
        "/api/v1/customers",
        &token,
        json!({"name": "Careful"}),
    )
    .await;
    let customer = customer.body["id"].as_i64().unwrap();
    let mut bad_line = invoice_input(customer);
    bad_line["lines"][1]["quantity"] = json!("lots");

    let line = post(&app, "/api/v1/invoices", &token, bad_line).await;
    let nameless = post(&app, "/api/v1/customers", &token, json!({"name": " "})).await;
    let unknown_field = post(&app, "/api/v1/customers", &token, json!({"nme": "Typo"})).await;
    let overpaid = post(
        &app,
        "/api/v1/payments",
        &token,
        json!({"customer_id": customer,
        "amount": "-5", "received_on": "2026-03-10"}),
    )
    .await;
    let missing = get(&app, "/api/v1/invoices/999", &token).await;
    let not_json = curl()
        .post(format!("http://{}/api/v1/customers", app.addr))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("name=Form")
        .send()
        .await
        .unwrap();
    let huge = curl()
        .post(format!("http://{}/api/v1/customers", app.addr))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .unwrap();

    assert_eq!(line.status, 422, "{}", line.body);
    assert_eq!(line.body["error"]["code"], "invalid_input");
    assert_eq!(line.body["error"]["field"], "lines.1.quantity");
    assert_eq!(nameless.status, 422);
    assert_eq!(nameless.body["error"]["field"], "name");
    assert_eq!(unknown_field.status, 400, "{}", unknown_field.body);
    assert!(unknown_field.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nme"));
    assert_eq!(overpaid.status, 422);
    assert_eq!(overpaid.body["error"]["field"], "amount");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"]["code"], "not_found");
    assert_eq!(not_json.status(), 415);
    assert_eq!(huge.status(), 413);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM customers").await, 1);
}

#[tokio::test]
async fn tokens_are_kept_only_as_hashes_and_their_use_is_noted() {
    let (app, token) = app_with_token(TokenScope::Read).await;
    assert!(token.starts_with("settle_") && token.len() == "settle_".len() + 64);

    let answer = get(&app, "/api/v1/customers", &token).await;

    assert_eq!(answer.status, 200);
    let stored: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT token_hash, last_used_at FROM api_tokens")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].0.contains(&token[7..]));
    assert!(stored[0].1.is_some(), "last use is noted");
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity_kind = 'api_token' AND action = 'created'
         AND after NOT LIKE '%' || ? || '%'",
    )
    .bind(&stored[0].0)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn the_command_line_makes_a_token_that_works_once_shown() {
    let app = TestApp::signed_in().await;
    let bin = env!("CARGO_BIN_EXE_settle");

    let made = std::process::Command::new(bin)
        .args(["token", "create", "--db"])
        .arg(app.db_path())
        .args([
            "--email",
            "owner@example.com",
            "--scope",
            "write",
            "--name",
            "sync",
        ])
        .output()
        .unwrap();
    let refused = std::process::Command::new(bin)
        .args(["token", "create", "--db"])
        .arg(app.db_path())
        .args(["--email", "nobody@example.com", "--scope", "read"])
        .output()
        .unwrap();

    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("settle_"));
    let answer = post(
        &app,
        "/api/v1/customers",
        &token,
        json!({"name": "From the CLI"}),
    )
    .await;
    assert_eq!(answer.status, 201);
    assert!(!refused.status.success());
}

#[tokio::test]
async fn keys_older_than_thirty_days_are_forgotten_by_the_scheduler() {
    let (app, token) = app_with_token(TokenScope::Write).await;
    let body = json!({"name": "Old Key Ltd"});
    let first = send(
        &app,
        "POST",
        "/api/v1/customers",
        Some(&token),
        Some("old-1"),
        Some(body.clone()),
    )
    .await;
    let recent = send(
        &app,
        "POST",
        "/api/v1/customers",
        Some(&token),
        Some("new-1"),
        Some(json!({"name": "New Key Ltd"})),
    )
    .await;
    assert_eq!((first.status, recent.status), (201, 201));
    // As if the first were made 31 days ago.
    sqlx::query("UPDATE api_requests SET created_at = '2000-01-01T00:00:00.000Z' WHERE idempotency_key = 'old-1'")
        .execute(&app.pool)
        .await
        .unwrap();

    let state = app::api::context::AppState::new(app.pool.clone());
    settle::scheduler::tick(&state).await.unwrap();
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT idempotency_key FROM api_requests ORDER BY idempotency_key")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let again = send(
        &app,
        "POST",
        "/api/v1/customers",
        Some(&token),
        Some("old-1"),
        Some(body),
    )
    .await;

    assert_eq!(kept, vec!["new-1".to_string()]);
    assert_eq!(again.status, 201, "a forgotten key is a new request");
    assert!(again.headers.get("idempotent-replayed").is_none());
}
