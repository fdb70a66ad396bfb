//! Many clients at once through the real HTTP stack: 50 clients record payments against the
//! same few invoices for a while (30 seconds, or SETTLE_CONCURRENCY_SECONDS). No request may
//! fail because the database was busy, no invoice may be paid beyond its total, and what the
//! books hold is exactly what was accepted.

mod support;

use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::TestApp;
use tokio::sync::Mutex;

const CLIENTS: usize = 50;
const INVOICES: usize = 4;
/// Each invoice asks 1,500.00: the clients pay some off within the run, so refusals for
/// paying more than is open are exercised too.
const INVOICE_MINOR: i64 = 150_000;

fn seconds() -> u64 {
    std::env::var("SETTLE_CONCURRENCY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_paying_the_same_invoices_never_see_busy_and_never_overpay() {
    let app = Arc::new(TestApp::signed_in().await);
    let customer = app.customer("Crowded Cafe").await;
    let mut invoices = Vec::new();
    for _ in 0..INVOICES {
        let line = json!({"description": "Catering", "quantity": "1", "unit_price": "1500.00",
            "discount_percent": "0", "tax_rate": "0", "revenue_account": "4000"});
        let form = json!({"id": null, "customer_id": customer, "issue_date": "2026-03-02",
            "due_date": "2099-12-31", "currency": "GBP", "notes": "", "lines": [line]});
        let id = app
            .ok("save_draft", json!({"form": form}))
            .await
            .as_i64()
            .unwrap();
        app.ok("issue_invoice", json!({"id": id})).await;
        invoices.push(id);
    }

    let accepted: Arc<Mutex<HashMap<i64, i64>>> = Arc::default();
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let until = Instant::now() + Duration::from_secs(seconds());
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (app, accepted, refused, invoices) = (
            app.clone(),
            accepted.clone(),
            refused.clone(),
            invoices.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut sent = 0usize;
            while Instant::now() < until {
                let invoice = invoices[(client + sent) % INVOICES];
                // 0.01 to 9.99, different per client and request.
                let minor = 1 + ((client * 7919 + sent * 104_729) % 999) as i64;
                let amount = format!("{}.{:02}", minor / 100, minor % 100);
                let form = json!({"customer_id": customer, "amount": amount, "received_on": "2026-03-10",
                    "method": "BankTransfer", "reference": "", "allocations": [[invoice, amount]],
                    "keep_excess_as_credit": false, "idempotency_key": format!("crowd-{client}-{sent}"),
                    "fee": "", "fee_account": null, "bank_account_id": null});
                match app.call("record_payment", json!({"form": form})).await {
                    Ok(_) => *accepted.lock().await.entry(invoice).or_default() += minor,
                    Err(body) => refused.lock().await.push(body.to_string()),
                }
                sent += 1;
            }
            sent
        }));
    }
    let mut requests = 0;
    for client in clients {
        requests += client.await.expect("client task");
    }

    let refused = refused.lock().await.clone();
    let accepted = accepted.lock().await.clone();
    let busy: Vec<&String> = refused
        .iter()
        .filter(|r| {
            let r = r.to_lowercase();
            r.contains("busy") || r.contains("locked") || r.contains("internal")
        })
        .collect();
    assert!(
        busy.is_empty(),
        "{} of {requests} failed: {:?}",
        busy.len(),
        &busy[..busy.len().min(3)]
    );
    // Every refusal is a refusal on the merits: the invoice had less open than asked.
    assert!(
        refused
            .iter()
            .all(|r| r.contains("open") || r.contains("more than")),
        "{:?}",
        refused
            .iter()
            .find(|r| !(r.contains("open") || r.contains("more than")))
    );
    for invoice in &invoices {
        let held: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM live_allocations WHERE invoice_id = ?",
        )
        .bind(invoice)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(held <= INVOICE_MINOR, "invoice {invoice} holds {held}");
        assert_eq!(
            held,
            accepted.get(invoice).copied().unwrap_or(0),
            "invoice {invoice}"
        );
    }
    let payments = app.scalar("SELECT COUNT(*) FROM payments").await;
    let accepted_count = requests - refused.len();
    assert_eq!(payments as usize, accepted_count);
    let mut conn = app.pool.acquire().await.unwrap();
    let problems = app::store::check::check_books(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    eprintln!(
        "{requests} requests from {CLIENTS} clients in {} s: {accepted_count} recorded, {} refused as over-paying",
        seconds(),
        refused.len()
    );
}
