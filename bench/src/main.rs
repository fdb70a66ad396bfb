//! `settle-load`: the load generator behind `scripts/bench`, built on goose. It calls a running
//! Settle's server functions over HTTP exactly as the browser does (JSON POSTs to `/api/…`
//! with the session cookie) and prints what it measured as one line of JSON.
//!
//!     settle-load latency  --host URL --cookie C --endpoint get_dashboard --body '{}' --requests 200
//!     settle-load payments --host URL --cookie C --customers 3,5,8 --date 2026-12-04 --key-prefix run1
//!
//! `latency` is `--users` clients (default one) each calling one endpoint `--requests` times
//! back to back, after `--warmup` calls that are not counted; `payments` is `--users` clients
//! (default 32) each recording `--per-user` payments as fast as they are answered, every
//! request with its own idempotency key, so each one that succeeds is a new payment.

use goose::config::GooseConfiguration;
use goose::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What every simulated user needs, set once before the attack starts.
struct Plan {
    cookie: String,
    endpoint: String,
    body: String,
    customers: Vec<i64>,
    date: String,
    key_prefix: String,
    amount: String,
    warmup: usize,
}

/// One finished request: when it started and how long it took, or why it failed.
struct Sample {
    started: Instant,
    took: Duration,
    status: u16,
}

static PLAN: OnceLock<Plan> = OnceLock::new();
static SAMPLES: Mutex<Vec<Sample>> = Mutex::new(Vec::new());
static NEXT: AtomicUsize = AtomicUsize::new(0);
static FIRST_ERROR: Mutex<Option<String>> = Mutex::new(None);

fn plan() -> &'static Plan {
    PLAN.get().expect("the plan is set before the attack")
}

/// Posts `body` to the server function and records the time until the whole answer is read.
async fn post(user: &mut GooseUser, path: &str, body: String, record: bool) -> TransactionResult {
    let builder = user
        .get_request_builder(&GooseMethod::Post, path)?
        .header("cookie", &plan().cookie)
        .header("content-type", "application/json")
        .body(body);
    let request = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(path)
        .set_request_builder(builder)
        .build();
    let started = Instant::now();
    let goose = user.request(request).await?;
    let (status, text) = match goose.response {
        Ok(response) => {
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
        Err(error) => (0, error.to_string()),
    };
    let took = started.elapsed();
    if status != 200 {
        let mut first = FIRST_ERROR.lock().expect("lock");
        if first.is_none() {
            *first = Some(format!(
                "{status}: {}",
                text.chars().take(300).collect::<String>()
            ));
        }
    }
    if record {
        SAMPLES.lock().expect("lock").push(Sample {
            started,
            took,
            status,
        });
    }
    Ok(())
}

async fn read(user: &mut GooseUser) -> TransactionResult {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let plan = plan();
    let path = format!("/api/{}", plan.endpoint);
    post(user, &path, plan.body.clone(), n >= plan.warmup).await
}

async fn pay(user: &mut GooseUser) -> TransactionResult {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let plan = plan();
    let form = payment_form(plan, n);
    post(
        user,
        "/api/record_payment",
        json!({ "form": form }).to_string(),
        true,
    )
    .await
}

/// The `n`th payment: customers taken in turn, each request with its own idempotency key.
fn payment_form(plan: &Plan, n: usize) -> Value {
    let customer = plan.customers[n % plan.customers.len()];
    json!({
        "customer_id": customer,
        "amount": plan.amount,
        "received_on": plan.date,
        "method": "BankTransfer",
        "reference": format!("load {n}"),
        "allocations": [],
        "keep_excess_as_credit": true,
        "idempotency_key": format!("{}-{n:08}", plan.key_prefix),
    })
}

/// The time `q` (0–1) of the sorted durations fall within, by nearest rank.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The JSON summary of every recorded request.
fn summary(samples: &[Sample]) -> Value {
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for s in samples {
        *statuses.entry(s.status.to_string()).or_default() += 1;
    }
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.status == 200).collect();
    let mut times: Vec<Duration> = ok.iter().map(|s| s.took).collect();
    times.sort();
    let window = match (
        samples.iter().map(|s| s.started).min(),
        samples.iter().map(|s| s.started + s.took).max(),
    ) {
        (Some(first), Some(last)) => last - first,
        _ => Duration::ZERO,
    };
    let seconds = window.as_secs_f64();
    json!({
        "requests": samples.len(),
        "ok": ok.len(),
        "failed": samples.len() - ok.len(),
        "statuses": statuses,
        "seconds": seconds,
        "per_second": if seconds > 0.0 { ok.len() as f64 / seconds } else { 0.0 },
        "median_ms": ms(quantile(&times, 0.5)),
        "p90_ms": ms(quantile(&times, 0.9)),
        "p99_ms": ms(quantile(&times, 0.99)),
        "max_ms": ms(times.last().copied().unwrap_or_default()),
        "min_ms": ms(times.first().copied().unwrap_or_default()),
        "first_error": FIRST_ERROR.lock().expect("lock").clone(),
    })
}

struct Args {
    mode: String,
    host: String,
    users: usize,
    per_user: usize,
    plan: Plan,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    if mode != "latency" && mode != "payments" {
        anyhow::bail!("usage: settle-load latency|payments --host URL --cookie C [options]");
    }
    let mut flags: BTreeMap<String, String> = BTreeMap::new();
    while let Some(flag) = args.next() {
        let name = flag
            .strip_prefix("--")
            .ok_or_else(|| anyhow::anyhow!("unexpected argument {flag}"))?;
        let value = args
            .next()
            .ok_or_else(|| anyhow::anyhow!("--{name} needs a value"))?;
        flags.insert(name.to_string(), value);
    }
    let get = |name: &str, default: &str| flags.get(name).cloned().unwrap_or(default.into());
    let number = |name: &str, default: usize| -> anyhow::Result<usize> {
        match flags.get(name) {
            Some(v) => Ok(v.parse()?),
            None => Ok(default),
        }
    };
    let host = flags
        .get("host")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("--host is required"))?;
    let latency = mode == "latency";
    let customers = get("customers", "")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<i64>, _>>()?;
    if !latency && customers.is_empty() {
        anyhow::bail!("payments need --customers");
    }
    let warmup = if latency { number("warmup", 20)? } else { 0 };
    Ok(Args {
        users: number("users", if latency { 1 } else { 32 })?,
        per_user: if latency {
            number("requests", 200)? + warmup
        } else {
            number("per-user", 200)?
        },
        host,
        plan: Plan {
            cookie: get("cookie", ""),
            endpoint: get("endpoint", "get_dashboard"),
            body: get("body", "{}"),
            customers,
            date: get("date", ""),
            key_prefix: get("key-prefix", "load"),
            amount: get("amount", "1.00"),
            warmup,
        },
        mode,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let latency = args.mode == "latency";
    if PLAN.set(args.plan).is_err() {
        anyhow::bail!("the plan was already set");
    }
    let scenario = if latency {
        scenario!("latency").register_transaction(transaction!(read))
    } else {
        scenario!("payments").register_transaction(transaction!(pay))
    };
    // No controllers: goose would otherwise listen on ports of its own.
    GooseAttack::initialize_with_config(GooseConfiguration::default())?
        .register_scenario(scenario)
        .set_default(GooseDefault::Host, args.host.as_str())?
        .set_default(GooseDefault::Users, args.users)?
        .set_default(GooseDefault::IncreaseRate, "1000")?
        .set_default(GooseDefault::Iterations, args.per_user)?
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoWebSocket, true)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .set_default(GooseDefault::NoErrorSummary, true)?
        .set_default(GooseDefault::Quiet, 1)?
        .set_default(GooseDefault::Timeout, "60")?
        .execute()
        .await?;
    let samples = std::mem::take(&mut *SAMPLES.lock().expect("lock"));
    println!("{}", summary(&samples));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(ms: u64, status: u16) -> Sample {
        Sample {
            started: Instant::now(),
            took: Duration::from_millis(ms),
            status,
        }
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&times, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&times, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&times[..1], 0.99), Duration::from_millis(1));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn failures_count_apart_and_stay_out_of_the_times() {
        let samples = vec![sample(2, 200), sample(4, 200), sample(900, 500)];
        let s = summary(&samples);
        assert_eq!(s["ok"], 2);
        assert_eq!(s["failed"], 1);
        assert_eq!(s["statuses"]["500"], 1);
        assert_eq!(s["max_ms"], 4.0);
    }

    #[test]
    fn every_payment_has_its_own_key_and_customers_take_turns() {
        let plan = Plan {
            cookie: String::new(),
            endpoint: String::new(),
            body: String::new(),
            customers: vec![3, 5],
            date: "2026-12-04".into(),
            key_prefix: "run".into(),
            amount: "1.00".into(),
            warmup: 0,
        };
        let forms: Vec<Value> = (0..4).map(|n| payment_form(&plan, n)).collect();
        let keys: std::collections::BTreeSet<&str> = forms
            .iter()
            .map(|f| f["idempotency_key"].as_str().expect("key"))
            .collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(forms[0]["customer_id"], 3);
        assert_eq!(forms[1]["customer_id"], 5);
        assert_eq!(forms[2]["customer_id"], 3);
        assert!(forms
            .iter()
            .all(|f| f["idempotency_key"].as_str().is_some_and(|k| k.len() >= 8)));
    }
}
