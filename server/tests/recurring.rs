//! Recurring invoices through the real app and store: made on schedule, caught up after
//! downtime exactly once (also when runs overlap), left as drafts when their day is locked,
//! and expected in the cash forecast.

mod support;

use app::domain::recurrence::{Frequency, Schedule};
use app::domain::InvoiceId;
use app::store::recurring::{self, NewRecurring};
use chrono::{Datelike, Days, NaiveDate, Utc};
use serde_json::json;
use support::TestApp;

/// Today in the test business's time zone.
fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
}

/// An issued Harbor Cafe invoice (839.96 GBP) to repeat.
async fn invoice(app: &TestApp) -> (i64, i64) {
    let customer = app.customer("Harbor Cafe").await;
    let invoice = app.harbor_draft(customer).await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    (customer, invoice)
}

/// A template stored directly, as if made long ago: the store does not refuse a past start.
async fn template_since(
    app: &TestApp,
    invoice: i64,
    frequency: Frequency,
    start: NaiveDate,
) -> i64 {
    let mut conn = app.pool.acquire().await.unwrap();
    let (customer, currency, pricing, notes, lines, terms_days) =
        recurring::from_invoice(&mut conn, InvoiceId(invoice))
            .await
            .unwrap();
    recurring::create(
        &mut conn,
        &NewRecurring {
            name: "Retainer".into(),
            customer,
            schedule: Schedule {
                frequency,
                start,
                end: None,
            },
            terms_days,
            currency,
            pricing,
            notes,
            auto_issue: true,
            lines,
        },
    )
    .await
    .unwrap()
}

async fn invoice_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM invoices")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_schedule_starting_today_makes_and_issues_todays_invoice_at_once() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let form = json!({"invoice_id": source, "name": "Monthly retainer", "frequency": "monthly",
        "day_of_month": today().day().to_string(), "start": today().to_string(), "end": "", "auto_issue": true});

    let id = app
        .ok("create_recurring", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();

    let detail = app.ok("get_recurring", json!({"id": id})).await;
    let runs = detail["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["run_on"], today().to_string());
    assert_eq!(runs[0]["issued"], true);
    let made = runs[0]["invoice"].as_i64().unwrap();
    let shown = app.ok("get_invoice", json!({"id": made})).await;
    assert_eq!(shown["summary"]["total"]["amount"], "839.96");
    assert_eq!(shown["summary"]["issue_date"], today().to_string());
    // The next one is a month later (or the month's last day).
    let next: NaiveDate = detail["summary"]["next"].as_str().unwrap().parse().unwrap();
    assert!(next > today() && next <= today() + Days::new(31), "{next}");
}

#[tokio::test]
async fn after_downtime_every_missed_week_is_made_once_even_when_runs_overlap() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let start = today() - Days::new(7 * 5);
    let id = template_since(&app, source, Frequency::Weekly, start).await;
    let before = invoice_count(&app).await;

    // Four runs at once, as if the scheduler and three clicks raced.
    let runs = futures::future::join_all((0..4).map(|_| {
        recurring::run_due(
            &app.pool,
            &app::store::audit::Actor::Scheduler,
            today(),
            Utc::now(),
        )
    }))
    .await;
    let made: usize = runs.into_iter().map(|r| r.unwrap().len()).sum();
    let again = recurring::run_due(
        &app.pool,
        &app::store::audit::Actor::Scheduler,
        today(),
        Utc::now(),
    )
    .await
    .unwrap();

    assert_eq!(made, 6, "five weeks ago, four, three, two, one and today");
    assert!(again.is_empty());
    assert_eq!(invoice_count(&app).await, before + 6);
    let dates: Vec<NaiveDate> = sqlx::query_scalar(
        "SELECT i.issue_date FROM recurring_runs r JOIN invoices i ON i.id = r.invoice_id
         WHERE r.recurring_id = ? AND i.lifecycle = 'issued' ORDER BY i.issue_date",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let expected: Vec<NaiveDate> = (0..6).map(|w| start + Days::new(7 * w)).collect();
    assert_eq!(dates, expected);
    let check = app::store::check::check_books(&mut app.pool.acquire().await.unwrap())
        .await
        .unwrap();
    assert!(check.is_empty(), "{check:?}");
}

#[tokio::test]
async fn an_occurrence_in_a_locked_period_is_left_a_draft_that_says_why() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let start = today() - Days::new(14);
    let id = template_since(&app, source, Frequency::Weekly, start).await;
    sqlx::query("UPDATE business SET lock_date = ?")
        .bind(today() - Days::new(10))
        .execute(&app.pool)
        .await
        .unwrap();

    let made = recurring::run_due(
        &app.pool,
        &app::store::audit::Actor::Scheduler,
        today(),
        Utc::now(),
    )
    .await
    .unwrap();

    assert_eq!(made.len(), 3);
    assert_eq!(made[0].number, None, "locked: a draft");
    assert!(made[1].number.is_some() && made[2].number.is_some());
    let detail = app.ok("get_recurring", json!({"id": id})).await;
    let oldest = detail["runs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(oldest["issued"], false);
    assert!(
        oldest["note"].as_str().unwrap().contains("left as a draft"),
        "{oldest}"
    );
}

#[tokio::test]
async fn a_paused_schedule_makes_nothing_and_resuming_skips_the_paused_weeks() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let id = template_since(&app, source, Frequency::Weekly, today() - Days::new(21)).await;
    app.ok("set_recurring_paused", json!({"id": id, "paused": true}))
        .await;

    let while_paused = recurring::run_due(
        &app.pool,
        &app::store::audit::Actor::Scheduler,
        today(),
        Utc::now(),
    )
    .await
    .unwrap();
    app.ok("set_recurring_paused", json!({"id": id, "paused": false}))
        .await;
    let resumed = recurring::run_due(
        &app.pool,
        &app::store::audit::Actor::Scheduler,
        today(),
        Utc::now(),
    )
    .await
    .unwrap();

    assert!(while_paused.is_empty());
    assert_eq!(resumed.len(), 1, "only today's occurrence");
    assert_eq!(resumed[0].run_on, today());
    let twice = app
        .call("set_recurring_paused", json!({"id": id, "paused": false}))
        .await;
    assert!(twice.is_err());
}

#[tokio::test]
async fn the_cash_forecast_expects_the_invoices_a_schedule_will_make() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let before = app.ok("get_cash_forecast", json!({"as_of": ""})).await;
    let form = json!({"invoice_id": source, "name": "Weekly", "frequency": "weekly",
        "day_of_month": "", "start": (today() + Days::new(1)).to_string(), "end": "", "auto_issue": false});
    app.ok("create_recurring", json!({"form": form})).await;

    let after = app.ok("get_cash_forecast", json!({"as_of": ""})).await;

    let figure = |v: &serde_json::Value| v["amount"].as_str().unwrap().parse::<f64>().unwrap();
    let recurring_in = figure(&after["from_recurring"]);
    // Weekly from tomorrow, each due 14 days after: between 10 and 12 fall inside 13 weeks.
    let count = (recurring_in / 839.96).round() as i64;
    assert!((10..=12).contains(&count), "{recurring_in}");
    let total_in = |f: &serde_json::Value| -> f64 {
        f["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| figure(&w["expected_in"]))
            .sum()
    };
    assert!((total_in(&after) - total_in(&before) - recurring_in).abs() < 0.001);
    assert_eq!(figure(&before["from_recurring"]), 0.0);
}

#[tokio::test]
async fn a_schedule_is_refused_with_field_messages_and_nothing_is_saved() {
    let app = TestApp::signed_in().await;
    let (_, source) = invoice(&app).await;
    let form = json!({"invoice_id": source, "name": " ", "frequency": "monthly",
        "day_of_month": "32", "start": (today() - Days::new(1)).to_string(), "end": "", "auto_issue": true});

    let refused = app
        .call("create_recurring", json!({"form": form}))
        .await
        .unwrap_err()
        .to_string();

    for field in ["name", "day_of_month", "start"] {
        assert!(refused.contains(field), "{field} in {refused}");
    }
    let list = app.ok("list_recurring", json!({})).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}

/// The id of the seeded named rate called `name`.
async fn rate_id(app: &TestApp, name: &str) -> i64 {
    let rates = app.ok("list_tax_rates", json!({})).await;
    rates
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("no rate {name} in {rates}"))
}

#[tokio::test]
async fn a_template_from_a_tax_inclusive_discounted_invoice_bills_exactly_what_it_did() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Harbor Cafe").await;
    let (standard, reduced) = (
        rate_id(&app, "Standard").await,
        rate_id(&app, "Reduced").await,
    );
    let line = |description: &str, quantity: &str, price: &str, rate: i64, unit: &str| {
        json!({"description": description, "quantity": quantity, "unit_price": price,
            "discount_percent": "", "tax_rate": "", "revenue_account": "4000",
            "tax_rate_id": rate.to_string(), "unit": unit})
    };
    let source = app
        .ok(
            "save_draft",
            json!({"form": {
                "id": null, "customer_id": customer, "issue_date": today().to_string(),
                "due_date": (today() + Days::new(14)).to_string(), "currency": "GBP", "notes": "",
                "lines": [line("Support", "4", "12.50", standard, "hour"),
                          line("Books", "2", "10.50", reduced, "")],
                "prices_include_tax": true, "discount_kind": "percent", "discount": "10"
            }}),
        )
        .await;
    app.ok("issue_invoice", json!({"id": source})).await;
    let billed = app.ok("get_invoice", json!({"id": source})).await;
    let form = json!({"invoice_id": source, "name": "Monthly support", "frequency": "monthly",
        "day_of_month": today().day().to_string(), "start": today().to_string(), "end": "",
        "auto_issue": true});

    let id = app
        .ok("create_recurring", json!({"form": form}))
        .await
        .as_i64()
        .unwrap();

    let detail = app.ok("get_recurring", json!({"id": id})).await;
    assert_eq!(
        detail["summary"]["amount"]["amount"],
        billed["totals"]["gross"]["amount"]
    );
    let made = detail["runs"][0]["invoice"].as_i64().unwrap();
    let repeated = app.ok("get_invoice", json!({"id": made})).await;
    for figure in ["net", "tax", "gross"] {
        assert_eq!(
            repeated["totals"][figure], billed["totals"][figure],
            "{figure} differs"
        );
    }
    // The discounted inclusive gross: 0.9 × (50.00 + 21.00).
    assert_eq!(repeated["totals"]["gross"]["amount"], "63.90");
    let kept: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT unit, tax_category, tax_name FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
    )
    .bind(made)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        kept,
        vec![
            ("hour".into(), "standard".into(), "Standard".into()),
            ("".into(), "reduced".into(), "Reduced".into())
        ]
    );
    let postings: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.account_code, SUM(p.amount_minor) FROM postings p
         JOIN invoices i ON i.issue_entry_id = p.entry_id WHERE i.id IN (?, ?)
         GROUP BY i.id, p.account_code ORDER BY i.id, p.account_code",
    )
    .bind(source.as_i64())
    .bind(made)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let (first, second) = postings.split_at(postings.len() / 2);
    assert_eq!(first, second, "the repeat posts what the original did");
}
