//! Receipt files over HTTP: upload, link to an expense, fetch back, and every refusal.

mod support;

use serde_json::{json, Value};
use support::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR receipt pixels \x00\x01\xff";
const LIMIT: usize = 5 * 1024 * 1024;

/// Sends `body` to POST /receipts from this site's own pages, as the expense form does.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    name: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = client
        .post(format!("http://{}/receipts", app.addr))
        .header("content-type", kind)
        .header("x-file-name", name)
        .header("origin", format!("http://{}", app.addr))
        .body(body)
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn expense_with_receipt(app: &TestApp, receipt: i64, key: &str) -> Result<Value, Value> {
    let form = json!({"vendor": "Paper Shop", "date": "2026-03-04", "paid_from": "1000", "due_date": "",
        "reference": "", "memo": "", "tax_inclusive": true, "splits": [["6100", "Paper", "12.00", "20"]],
        "receipt_id": receipt, "idempotency_key": key});
    app.call("record_expense", json!({"form": form})).await
}

#[tokio::test]
async fn an_uploaded_receipt_links_to_one_expense_and_comes_back_byte_identical() {
    let app = TestApp::signed_in().await;

    let (status, body) = upload(
        &app,
        &app.client,
        "image/png",
        "till%20slip.png",
        PNG.into(),
    )
    .await;
    let receipt = body["id"].as_i64().expect("receipt id");
    let expense = expense_with_receipt(&app, receipt, "receipt-expense-1")
        .await
        .expect("expense recorded");
    let second = expense_with_receipt(&app, receipt, "receipt-expense-2").await;
    let detail = app.ok("get_expense", json!({"id": expense})).await;
    let file = app
        .client
        .get(format!("http://{}/receipts/{receipt}", app.addr))
        .send()
        .await
        .unwrap();

    assert_eq!(status, 201);
    assert_eq!(detail["receipt_id"], receipt);
    assert_eq!(detail["receipt_name"], "till slip.png");
    assert_eq!(detail["receipt_type"], "image/png");
    let refused = second
        .expect_err("a receipt belongs to one expense")
        .to_string();
    assert!(refused.contains("already belongs to expense"), "{refused}");
    assert_eq!(file.status(), 200);
    let headers = file.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-security-policy"], "sandbox");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline; filename=\"till slip.png\""));
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG);
}

#[tokio::test]
async fn a_file_over_5_mib_is_refused_with_413_and_nothing_is_stored() {
    let app = TestApp::signed_in().await;
    let mut big = vec![0u8; LIMIT + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);

    let (status, body) = upload(&app, &app.client, "image/jpeg", "big.jpg", big).await;

    assert_eq!(status, 413);
    assert!(body["error"].as_str().unwrap().contains("larger than 5 MB"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 0);
}

#[tokio::test]
async fn a_chunked_upload_is_cut_off_once_it_passes_5_mib() {
    let app = TestApp::signed_in().await;
    let token = {
        let mut conn = app.pool.acquire().await.unwrap();
        app::store::users::create_session(&mut conn, 1)
            .await
            .unwrap()
    };
    let stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /receipts HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nCookie: settle_session={token}\r\n\
         Content-Type: application/pdf\r\nX-File-Name: big.pdf\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.addr
    );

    // Up to 6 MiB in chunks and no Content-Length: the server has to stop reading by itself.
    let sender = tokio::spawn(async move {
        let chunk = [b'%'; 64 * 1024];
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        writer.write_all(head.as_bytes()).await?;
        for _ in 0..96 {
            writer.write_all(&framed).await?;
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let mut answer = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), read).await;
    sender.abort();

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 0);
}

#[tokio::test]
async fn a_file_that_does_not_start_like_its_declared_type_is_refused_with_415() {
    let app = TestApp::signed_in().await;

    let (disguised, _) = upload(
        &app,
        &app.client,
        "image/png",
        "x.png",
        b"%PDF-1.4 not a png".into(),
    )
    .await;
    let (unlisted, _) = upload(&app, &app.client, "text/html", "x.html", b"<script>".into()).await;
    let (webp, _) = upload(
        &app,
        &app.client,
        "image/webp",
        "x.webp",
        b"RIFF\x10\0\0\0WEBPVP8 ".into(),
    )
    .await;

    assert_eq!(disguised, 415);
    assert_eq!(unlisted, 415);
    assert_eq!(webp, 201);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 1);
}

#[tokio::test]
async fn a_path_in_the_file_name_is_reduced_to_its_last_part() {
    let app = TestApp::signed_in().await;
    let pdf = b"%PDF-1.4 receipt".to_vec();

    let (_, raw) = upload(
        &app,
        &app.client,
        "application/pdf",
        "../../etc/passwd.pdf",
        pdf.clone(),
    )
    .await;
    let (_, encoded) = upload(
        &app,
        &app.client,
        "application/pdf",
        "..%2F..%5Csecret%0A.pdf",
        pdf,
    )
    .await;
    let names: Vec<String> = sqlx::query_scalar("SELECT file_name FROM receipts ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let served = app
        .client
        .get(format!("http://{}/receipts/{}", app.addr, raw["id"]))
        .send()
        .await
        .unwrap();

    assert!(encoded["id"].is_i64());
    assert_eq!(names, ["passwd.pdf", "secret.pdf"]);
    assert!(served.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline; filename=\"passwd.pdf\""));
}

#[tokio::test]
async fn without_a_session_receipts_are_neither_taken_nor_served() {
    let app = TestApp::signed_in().await;
    let (_, stored) = upload(&app, &app.client, "image/png", "a.png", PNG.into()).await;
    let stranger = reqwest::Client::new();

    let (status, _) = upload(&app, &stranger, "image/png", "b.png", PNG.into()).await;
    let fetched = stranger
        .get(format!("http://{}/receipts/{}", app.addr, stored["id"]))
        .send()
        .await
        .unwrap();

    assert_eq!(status, 401);
    assert_eq!(fetched.status(), 401);
    assert_ne!(fetched.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 1);
}

#[tokio::test]
async fn a_viewer_may_see_receipts_but_not_upload_them() {
    let app = TestApp::signed_in().await;
    let (_, stored) = upload(&app, &app.client, "image/png", "a.png", PNG.into()).await;
    {
        let mut conn = app.pool.acquire().await.unwrap();
        app::store::users::create_user(
            &mut conn,
            "viewer@example.com",
            "viewer password 1",
            "viewer",
        )
        .await
        .unwrap();
    }
    let viewer = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = viewer
        .post(format!("http://{}/api/sign_in", app.addr))
        .json(&json!({"email": "viewer@example.com", "password": "viewer password 1"}))
        .send()
        .await
        .unwrap();

    let (status, body) = upload(&app, &viewer, "image/png", "b.png", PNG.into()).await;
    let fetched = viewer
        .get(format!("http://{}/receipts/{}", app.addr, stored["id"]))
        .send()
        .await
        .unwrap();

    assert!(signed_in.status().is_success());
    assert_eq!(status, 403);
    assert!(body["error"].is_string());
    assert_eq!(fetched.status(), 200);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 1);
}

#[tokio::test]
async fn an_upload_from_another_site_is_refused() {
    let app = TestApp::signed_in().await;
    let send = |origin: Option<&'static str>| {
        let mut request = app
            .client
            .post(format!("http://{}/receipts", app.addr))
            .header("content-type", "image/png")
            .body(PNG.to_vec());
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };

    let foreign = send(Some("http://evil.example")).await.unwrap();
    let missing = send(None).await.unwrap();

    assert_eq!(foreign.status(), 403);
    assert_eq!(missing.status(), 403);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM receipts").await, 0);
}
