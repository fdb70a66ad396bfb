//! Boots the real app on a loopback port with a fresh SQLite file, and calls its server
//! functions over HTTP as the browser does.

#![allow(dead_code)]

use serde_json::{json, Value};
use sqlx::SqlitePool;
use std::net::SocketAddr;

/// The number the default yearly pattern gives the `sequence`th invoice issued now (the test
/// business is in Europe/London).
pub fn invoice_number(sequence: i64) -> String {
    use chrono::Datelike;
    let year = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .year();
    format!("INV-{year}-{sequence:04}")
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A running app with an owner signed in.
    pub async fn signed_in() -> TestApp {
        let app = TestApp::start().await;
        app.ok("create_owner", json!({"business_name": "Test Studio", "email": "owner@example.com", "password": "correct horse battery"}))
            .await;
        app
    }

    pub async fn start() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = app::store::open(&dir.path().join("settle.sqlite"))
            .await
            .expect("open database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = app::api::context::AppState::new(pool.clone());
        let router = settle::startup::router(state, settle::startup::leptos_options(addr));
        tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service).await
        });
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        TestApp {
            addr,
            pool,
            client,
            _dir: dir,
        }
    }

    /// The SQLite file the app runs on.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("settle.sqlite")
    }

    /// Calls a server function; `Ok` with the JSON result or `Err` with the error body.
    pub async fn call(&self, name: &str, args: Value) -> Result<Value, Value> {
        let response = self
            .client
            .post(format!("http://{}/api/{name}", self.addr))
            .json(&args)
            .send()
            .await
            .expect("request reaches the server");
        let ok = response.status().is_success();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if ok {
            Ok(body)
        } else {
            Err(body)
        }
    }

    pub async fn ok(&self, name: &str, args: Value) -> Value {
        match self.call(name, args).await {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {e}"),
        }
    }

    pub async fn customer(&self, name: &str) -> i64 {
        let form = json!({"name": name, "email": "", "billing_address": "", "tax_id": "", "currency": "GBP",
            "payment_terms_days": "14", "notes": ""});
        self.ok("save_customer", json!({"id": null, "form": form}))
            .await
            .as_i64()
            .expect("customer id")
    }

    /// A draft of the Harbor Cafe example invoice from the issue.
    pub async fn harbor_draft(&self, customer: i64) -> i64 {
        let line = |d: &str, q: &str, p: &str, disc: &str, tax: &str| json!({"description": d, "quantity": q, "unit_price": p, "discount_percent": disc, "tax_rate": tax, "revenue_account": "4000"});
        let form = json!({
            "id": null, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2026-03-16",
            "currency": "GBP", "notes": "",
            "lines": [line("Service hours", "12", "45.50", "0", "20"), line("Descaling kit", "3", "19.99", "10", "20"),
                      line("Call-out fee", "1", "120.00", "0", "0")]
        });
        self.ok("save_draft", json!({"form": form}))
            .await
            .as_i64()
            .expect("invoice id")
    }

    pub async fn pay(
        &self,
        customer: i64,
        amount: &str,
        on: &str,
        key: &str,
        keep_credit: bool,
    ) -> Result<Value, Value> {
        let form = json!({"customer_id": customer, "amount": amount, "received_on": on, "method": "BankTransfer",
            "reference": "", "allocations": [], "keep_excess_as_credit": keep_credit, "idempotency_key": key});
        self.call("record_payment", json!({"form": form})).await
    }

    pub async fn scalar(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .await
            .expect(sql)
    }
}
