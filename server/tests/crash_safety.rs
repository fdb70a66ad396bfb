//! Crash safety: the real `settle serve` process is killed with SIGKILL at random moments
//! while clients record payments and issue invoices. After every kill `settle check` must pass
//! on the database, and every request that got a success answer must be in it, whole.

use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const ROUNDS: usize = 5;
const CLIENTS: usize = 8;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn serve(db: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("settle serve starts")
}

async fn wait_until_up(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up");
}

async fn call(client: &reqwest::Client, base: &str, name: &str, args: Value) -> Option<Value> {
    let response = client
        .post(format!("{base}/api/{name}"))
        .json(&args)
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.json().await.ok()
}

/// A small deterministic generator seeded from the clock: different moments on every run, and
/// the seed is printed so a failure can be replayed.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[derive(Default)]
struct Answered {
    payments: Vec<(String, i64)>,
    invoices: Vec<(i64, String)>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_random_moments_the_books_stay_whole_and_every_answered_request_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("settle.sqlite");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("crash moments seed {seed}");
    let mut moments = Moments(seed);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let answered = Arc::new(Mutex::new(Answered::default()));
    let mut customer = None;

    for round in 0..ROUNDS {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = serve(&db, port);
        wait_until_up(&client, &base).await;
        // The session cookie is for the host, not the port: the same sign-in works each round.
        if round == 0 {
            call(
                &client,
                &base,
                "create_owner",
                json!({"business_name": "Crash Test Studio",
                "email": "owner@example.com", "password": "correct horse battery"}),
            )
            .await
            .expect("owner created");
            let form = json!({"name": "Steady Customer", "email": "", "billing_address": "", "tax_id": "",
                "currency": "GBP", "payment_terms_days": "14", "notes": ""});
            customer = call(
                &client,
                &base,
                "save_customer",
                json!({"id": null, "form": form}),
            )
            .await
            .and_then(|v| v.as_i64());
        }
        let customer = customer.expect("customer");

        let mut tasks = Vec::new();
        for worker in 0..CLIENTS {
            let (client, base, answered) = (client.clone(), base.clone(), answered.clone());
            tasks.push(tokio::spawn(async move {
                for step in 0.. {
                    if worker % 2 == 0 {
                        let key = format!("crash-{round}-{worker}-{step}");
                        let form = json!({"customer_id": customer, "amount": "1.25", "received_on": "2026-03-10",
                            "method": "BankTransfer", "reference": "", "allocations": [],
                            "keep_excess_as_credit": true, "idempotency_key": key});
                        match call(&client, &base, "record_payment", json!({"form": form})).await {
                            Some(receipt) => {
                                let id = receipt["payment_id"].as_i64().expect("payment id");
                                answered.lock().await.payments.push((key, id));
                            }
                            None => break,
                        }
                    } else {
                        let line = json!({"description": "Visit", "quantity": "1", "unit_price": "10.00",
                            "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"});
                        let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
                            "due_date": "2099-12-31", "currency": "GBP", "notes": "", "lines": [line]});
                        let Some(id) = call(&client, &base, "save_draft", json!({"form": form}))
                            .await
                            .and_then(|v| v.as_i64())
                        else {
                            break;
                        };
                        if call(&client, &base, "issue_invoice", json!({"id": id})).await.is_none() {
                            break;
                        }
                        let detail = call(&client, &base, "get_invoice", json!({"id": id})).await;
                        let number = detail
                            .and_then(|d| d["summary"]["number"].as_str().map(str::to_string));
                        match number {
                            Some(number) => answered.lock().await.invoices.push((id, number)),
                            None => break,
                        }
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(200 + moments.next(1_300))).await;
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        for task in tasks {
            task.await.unwrap();
        }

        let check = Command::new(env!("CARGO_BIN_EXE_settle"))
            .args(["check", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "round {round}: settle check failed after SIGKILL:\n{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let pool = app::store::open(&db).await.unwrap();
        let answered = answered.lock().await;
        for (key, id) in &answered.payments {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM payments WHERE idempotency_key = ?")
                    .bind(key)
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            assert_eq!(
                found,
                Some(*id),
                "round {round}: answered payment {key} lost"
            );
        }
        for (id, number) in &answered.invoices {
            let row: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT lifecycle, number FROM invoices WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            assert_eq!(
                row,
                Some(("issued".to_string(), Some(number.clone()))),
                "round {round}: answered invoice {id} lost"
            );
        }
        eprintln!(
            "round {round}: {} payments and {} invoices answered so far, all kept",
            answered.payments.len(),
            answered.invoices.len()
        );
        pool.close().await;
    }
    let answered = answered.lock().await;
    assert!(!answered.payments.is_empty() && !answered.invoices.is_empty());
}
