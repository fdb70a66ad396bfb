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

/// What the test's SMTP server received in one session.
#[derive(Debug, Default)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

/// A tiny SMTP server on a loopback port: it speaks just enough (EHLO, MAIL, RCPT, DATA,
/// QUIT) to take a message and hands each session's message over. With `refuse`, it turns
/// every recipient away with a 550.
async fn smtp_server(
    refuse: bool,
) -> (
    std::net::SocketAddr,
    tokio::sync::mpsc::UnboundedReceiver<Received>,
) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let sender = sender.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut got = Received::default();
                write.write_all(b"220 test.local ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-test.local\r\n250 8BITMIME\r\n",
                        "RCPT" if refuse => b"550 5.1.1 no such mailbox here\r\n",
                        "RCPT" => {
                            got.recipients.push(line[8..].to_string());
                            b"250 ok\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 go on\r\n").await.unwrap();
                            while let Ok(Some(data)) = lines.next_line().await {
                                if data == "." {
                                    break;
                                }
                                got.data.push_str(&data);
                                got.data.push('\n');
                            }
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
                let _ = sender.send(got);
            });
        }
    });
    (addr, receiver)
}

fn email_settings(port: u16, username: &str, password: &str) -> Value {
    json!({"form": {"host": "127.0.0.1", "port": port.to_string(), "security": "none",
        "username": username, "password": password, "from_address": "billing@harbour.example",
        "site_address": "https://books.example/"}})
}

/// An issued invoice for a customer with an email address.
async fn issued_for_kasse(app: &TestApp) -> (i64, String) {
    app.ok("save_settings", settings()).await;
    let form = json!({"name": "Harbor Cafe", "email": "kasse@harbor.example", "billing_address": "",
        "tax_id": "", "currency": "GBP", "payment_terms_days": "14", "notes": ""});
    let customer = app
        .ok("save_customer", json!({"id": null, "form": form}))
        .await;
    let id = app.harbor_draft(customer.as_i64().unwrap()).await;
    let number = app.ok("issue_invoice", json!({"id": id})).await;
    (id, number.as_str().unwrap().to_string())
}

/// The decoded bytes of the message's PDF attachment.
fn pdf_attachment(data: &str) -> Vec<u8> {
    use base64::Engine;
    let start = data
        .find("Content-Type: application/pdf")
        .expect("a PDF part");
    let part = &data[start..];
    let body_start = part.find("\n\n").expect("the part's headers end") + 2;
    let body: String = part[body_start..]
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .expect("base64")
}

#[tokio::test]
async fn an_invoice_is_emailed_with_its_pdf_and_private_link_and_the_sending_is_logged() {
    let app = TestApp::signed_in().await;
    let (id, number) = issued_for_kasse(&app).await;
    let link = app.ok("create_invoice_link", json!({"id": id})).await;
    let (smtp, mut inbox) = smtp_server(false).await;
    app.ok("save_email_settings", email_settings(smtp.port(), "", ""))
        .await;
    let draft = app.ok("get_invoice_email", json!({"id": id})).await;
    assert_eq!(draft["to"], "kasse@harbor.example");
    assert_eq!(
        draft["subject"],
        format!("Invoice {number} from Harbour Studio Ltd")
    );
    assert_eq!(draft["has_link"], true);

    let form = json!({"invoice_id": id, "to": draft["to"], "subject": draft["subject"],
        "message": draft["message"]});
    app.ok("email_invoice", json!({"form": form})).await;

    let received = inbox.recv().await.expect("a message arrived");
    assert_eq!(received.recipients, vec!["<kasse@harbor.example>"]);
    assert!(received.data.contains(&format!(
        "Subject: Invoice {number} from Harbour Studio Ltd"
    )));
    assert!(received.data.contains("From: billing@harbour.example"));
    let url = format!("https://books.example{}", link.as_str().unwrap());
    // The text part is quoted-printable: its soft line breaks ("=" at a line's end) go.
    let text = received.data.replace("=\n", "");
    assert!(text.contains(&url), "{text}");
    assert!(received
        .data
        .contains(&format!("filename=\"{number}.pdf\"")));
    assert!(pdf_attachment(&received.data).starts_with(b"%PDF"));
    let log = app.ok("list_invoice_deliveries", json!({"id": id})).await;
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["recipient"], "kasse@harbor.example");
    assert_eq!(log[0]["subject"], draft["subject"]);
    assert_eq!(log[0]["sent"], true);
    let sent = app
        .scalar("SELECT COUNT(*) FROM invoice_deliveries WHERE outcome = 'sent' AND sent_at <> ''")
        .await;
    assert_eq!(sent, 1);

    // The customer opens the link twice: the invoice's history says it was emailed, by whom,
    // and then viewed by the customer.
    for _ in 0..2 {
        let page = get(&format!("http://{}{}", app.addr, link.as_str().unwrap())).await;
        assert_eq!(page.status(), 200);
    }
    let history = app.ok("get_invoice_history", json!({"id": id})).await;
    let events: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["event"])
        .collect();
    let emailed = history
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["event"].get("Emailed").is_some())
        .unwrap_or_else(|| panic!("no email in {events:?}"));
    assert_eq!(emailed["event"]["Emailed"]["to"], "kasse@harbor.example");
    assert_eq!(emailed["actor"], "owner@example.com");
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(last["event"]["Viewed"]["times"], 2, "{events:?}");
    assert_eq!(last["actor"], "the customer");
}

#[tokio::test]
async fn a_refused_or_unreachable_mail_server_is_logged_as_a_failure_and_explained() {
    let app = TestApp::signed_in().await;
    let (id, _) = issued_for_kasse(&app).await;
    let form = json!({"form": {"invoice_id": id, "to": "kasse@harbor.example",
        "subject": "Your invoice", "message": "Hello"}});
    let not_set_up = app.call("email_invoice", form.clone()).await.unwrap_err();
    assert!(
        not_set_up.to_string().contains("not set up"),
        "{not_set_up}"
    );
    let (refusing, _inbox) = smtp_server(true).await;
    app.ok(
        "save_email_settings",
        email_settings(refusing.port(), "", ""),
    )
    .await;

    let refused = app.call("email_invoice", form.clone()).await.unwrap_err();
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    app.ok("save_email_settings", email_settings(closed_port, "", ""))
        .await;
    let unreachable = app.call("email_invoice", form).await.unwrap_err();

    let refused = refused.to_string();
    assert!(refused.contains("The email was not sent"), "{refused}");
    assert!(refused.contains("no such mailbox"), "{refused}");
    assert!(
        unreachable.to_string().contains("The email was not sent"),
        "{unreachable}"
    );
    let log = app.ok("list_invoice_deliveries", json!({"id": id})).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|row| row["sent"] == false && row["error"] != ""));
}

#[tokio::test]
async fn the_smtp_password_is_kept_on_the_server_and_only_the_owner_sees_the_settings() {
    let app = TestApp::signed_in().await;
    app.ok(
        "save_email_settings",
        email_settings(2525, "billing", "s3cret-pass"),
    )
    .await;

    app.ok("save_email_settings", email_settings(2526, "billing", ""))
        .await;
    let response = app
        .client
        .post(format!("http://{}/api/get_email_settings", app.addr))
        .json(&json!({}))
        .send()
        .await
        .unwrap();

    let body = response.text().await.unwrap();
    assert!(!body.contains("s3cret"), "{body}");
    let shown: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(shown["password_set"], true);
    assert_eq!(shown["port"], "2526");
    let stored: String = sqlx::query_scalar("SELECT password FROM email_settings")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, "s3cret-pass");
    let bad = app
        .call(
            "save_email_settings",
            json!({"form": {"host": "", "port": "99999", "security": "ssl", "username": "",
                "password": "", "from_address": "nobody", "site_address": "books.example"}}),
        )
        .await
        .unwrap_err()
        .to_string();
    for field in ["host", "port", "security", "from_address", "site_address"] {
        assert!(bad.contains(field), "{field} in {bad}");
    }
}
