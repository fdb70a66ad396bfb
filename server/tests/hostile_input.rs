//! Hostile input against the running app: oversized and deeply nested bodies, bytes that are
//! not UTF-8, SQL metacharacters, markup in every text field, and negative, huge or
//! malformed numbers. Each is refused with a 4xx that says why (or, for text that is merely
//! odd, kept exactly as typed and shown escaped), and nothing is saved half-way.

mod support;

use serde_json::{json, Value};
use support::TestApp;

/// Every table's row count: if a refused request changed nothing, this is unchanged (the
/// audit log would also have grown on any update of an audited table).
async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT IN ('sessions', '_sqlx_migrations') ORDER BY name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{table}\""
        )))
        .fetch_one(&app.pool)
        .await
        .unwrap();
        out.push((table, count));
    }
    out
}

/// Posts raw bytes to a server function as JSON; the status and the body as text.
async fn post_raw(app: &TestApp, function: &str, body: Vec<u8>) -> (u16, String) {
    let response = app
        .client
        .post(format!("http://{}/api/{function}", app.addr))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn customer_form(name: &str) -> Value {
    json!({"name": name, "email": "", "billing_address": "", "tax_id": "", "currency": "GBP",
        "payment_terms_days": "14", "notes": ""})
}

#[tokio::test]
async fn oversized_nested_and_non_utf8_bodies_get_a_4xx_and_change_nothing() {
    let app = TestApp::signed_in().await;
    let before = fingerprint(&app).await;

    // Eight megabytes of name.
    let huge =
        serde_json::to_vec(&json!({"id": null, "form": customer_form(&"A".repeat(8 << 20))}))
            .unwrap();
    let (oversized, _) = post_raw(&app, "save_customer", huge).await;
    // Ten thousand arrays inside each other where a name belongs.
    let nested = format!(
        "{{\"id\":null,\"form\":{{\"name\":{}{}}}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (deep, _) = post_raw(&app, "save_customer", nested.into_bytes()).await;
    let mut bad_bytes = br#"{"id":null,"form":{"name":""#.to_vec();
    bad_bytes.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    bad_bytes.extend_from_slice(
        br#"","email":"","billing_address":"","tax_id":"","currency":"GBP","payment_terms_days":"14","notes":""}}"#,
    );
    let (not_utf8, _) = post_raw(&app, "save_customer", bad_bytes).await;
    // The same without a length: streamed, and cut off at the limit.
    let chunks =
        futures::stream::iter((0..64).map(|_| Ok::<_, std::io::Error>(vec![b' '; 64 * 1024])));
    let streamed = app
        .client
        .post(format!("http://{}/api/save_customer", app.addr))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .expect("the server answers")
        .status()
        .as_u16();
    let (truncated, _) =
        post_raw(&app, "save_customer", br#"{"id":null,"form":{"na"#.to_vec()).await;
    let (wrong_shape, _) = post_raw(&app, "save_customer", br#"[1,2,3]"#.to_vec()).await;

    assert_eq!(oversized, 413, "an oversized body");
    for (what, status) in [
        ("a streamed body past the limit", streamed),
        ("deeply nested JSON", deep),
        ("invalid UTF-8", not_utf8),
        ("truncated JSON", truncated),
        ("JSON of the wrong shape", wrong_shape),
    ] {
        assert!((400..500).contains(&status), "{what}: {status}");
    }
    assert_eq!(fingerprint(&app).await, before);
    // The server still answers normally afterwards.
    app.customer("Harbor Cafe").await;
}

#[tokio::test]
async fn negative_huge_and_malformed_numbers_are_refused_by_field_and_nothing_is_saved() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let before = fingerprint(&app).await;

    for amount in [
        "-5.00",
        "0",
        "1e30",
        "99999999999999999999999999",
        "NaN",
        "12.345",
        "12,34.5",
        "Infinity",
        " ",
        "0x10",
    ] {
        let refused = app
            .pay(
                customer,
                amount,
                "2026-03-10",
                &format!("hostile-{amount}"),
                false,
            )
            .await
            .expect_err(amount);
        assert_eq!(refused["Invalid"][0][0], "amount", "{amount}: {refused}");
    }
    for terms in ["-3", "99999999999", "1.5", "ten"] {
        let mut form = customer_form("Terms test");
        form["payment_terms_days"] = json!(terms);
        let refused = app
            .call("save_customer", json!({"id": null, "form": form}))
            .await
            .expect_err(terms);
        assert_eq!(
            refused["Invalid"][0][0], "payment_terms_days",
            "{terms}: {refused}"
        );
    }
    let line = |quantity: &str, price: &str| {
        json!({"description": "Work", "quantity": quantity, "unit_price": price,
            "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"})
    };
    for (quantity, price) in [
        ("1", "-10.00"),
        ("1", "1e400"),
        ("99999999999999999", "99999999999999999"),
        ("1.00001", "10.00"),
        ("1", "10.000001"),
        ("abc", "10"),
    ] {
        let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
            "due_date": "2026-03-16", "currency": "GBP", "notes": "",
            "lines": [line(quantity, price)]});
        let refused = app
            .call("save_draft", json!({"form": form}))
            .await
            .expect_err(&format!("{quantity} × {price}"));
        assert!(
            refused["Invalid"][0][0]
                .as_str()
                .is_some_and(|field| field.starts_with("lines")),
            "{quantity} × {price}: {refused}"
        );
    }
    // Ids that do not exist, or cannot.
    for id in [json!(-1), json!(i64::MAX), json!(0)] {
        let status = app
            .client
            .post(format!("http://{}/api/get_invoice", app.addr))
            .json(&json!({"id": id}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 404, "invoice {id}");
    }

    assert_eq!(fingerprint(&app).await, before);
}

#[tokio::test]
async fn sql_metacharacters_are_kept_as_text_and_searching_with_them_finds_only_matches() {
    let app = TestApp::signed_in().await;
    app.customer("Harbor Cafe").await;
    let odd = "Robert'); DROP TABLE customers;-- \" % _ \\";
    let id = app.customer(odd).await;

    let shown = app.ok("get_customer", json!({"id": id})).await;
    let everything = app
        .ok(
            "list_customers",
            json!({"search": "%' OR 1=1 --", "page": 0}),
        )
        .await;
    let percent = app
        .ok("list_customers", json!({"search": "%", "page": 0}))
        .await;
    let underscore = app
        .ok("list_customers", json!({"search": "_", "page": 0}))
        .await;

    assert_eq!(shown["name"], odd);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM customers").await, 2);
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("a page: {page}"))
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&everything), Vec::<String>::new());
    // `%` and `_` are letters to search for, not wildcards.
    assert_eq!(names(&percent), vec![odd.to_string()]);
    assert_eq!(names(&underscore), vec![odd.to_string()]);
}

#[tokio::test]
async fn markup_in_every_text_field_is_shown_escaped_on_every_page() {
    let app = TestApp::signed_in().await;
    let script = "<script>alert('x')</script>";
    let image = "<img src=x onerror=alert(1)>";
    let form = json!({"name": format!("</title>{script} Cafe"), "email": "", "billing_address": format!("{image}\nFalmouth"),
        "tax_id": "", "currency": "GBP", "payment_terms_days": "14",
        "notes": format!("</textarea>{script}")});
    let customer = app
        .ok("save_customer", json!({"id": null, "form": form}))
        .await
        .as_i64()
        .unwrap();
    let line = json!({"description": format!("{image} work"), "quantity": "1", "unit_price": "10.00",
        "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"});
    let invoice = app
        .ok(
            "save_draft",
            json!({"form": {"id": null, "customer_id": customer, "issue_date": "2026-03-02",
                "due_date": "2026-03-16", "currency": "GBP", "notes": script, "lines": [line]}}),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let link = app.ok("create_invoice_link", json!({"id": invoice})).await;
    let token = link["url"]
        .as_str()
        .or_else(|| link.as_str())
        .and_then(|u| u.rsplit('/').next())
        .unwrap_or_else(|| panic!("a private link: {link}"))
        .to_string();

    let pages = [
        "/customers".to_string(),
        format!("/customers/{customer}"),
        "/invoices".to_string(),
        format!("/invoices/{invoice}"),
        format!("/invoices/{invoice}/print"),
        "/".to_string(),
    ];
    for path in &pages {
        let html = app
            .client
            .get(format!("http://{}{path}", app.addr))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains(script),
            "{path} carries the script as markup"
        );
        assert!(!html.contains(image), "{path} carries the image as markup");
        assert!(
            !html.contains("</textarea><script") && !html.contains("</title><script"),
            "{path} lets text close its element"
        );
    }
    let shared = reqwest::Client::new()
        .get(format!("http://{}/p/{token}", app.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!shared.contains(script) && !shared.contains(image));
    assert!(
        shared.contains("&lt;script&gt;") || shared.contains("&lt;img"),
        "the private page shows the text, escaped:\n{shared}"
    );
}
