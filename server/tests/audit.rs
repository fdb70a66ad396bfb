//! The audit trail on a real SQLite file: each change writes its record in the same
//! transaction, naming who made it, with the row before and after; the log cannot be changed;
//! a change that rolls back leaves no record; every table is either audited or listed with the
//! reason it is not; an invoice's history lists its lifecycle in order.

mod support;

use app::store::audit::{Actor, AUDITED, NOT_AUDITED};
use serde_json::{json, Value};
use support::TestApp;

const OWNER: &str = "owner@example.com";

/// (actor, action, before, after) of a document's rows, oldest first.
async fn rows(app: &TestApp, kind: &str, id: i64) -> Vec<(String, String, Value, Value)> {
    let raw: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT actor, action, before, after FROM audit_log
         WHERE entity_kind = ? AND entity_id = ? ORDER BY id",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let json = |t: Option<String>| t.map_or(Value::Null, |t| serde_json::from_str(&t).unwrap());
    raw.into_iter()
        .map(|(actor, action, before, after)| (actor, action, json(before), json(after)))
        .collect()
}

async fn log_size(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM audit_log").await
}

fn customer_form(name: &str) -> Value {
    json!({"name": name, "email": "", "billing_address": "", "tax_id": "", "currency": "GBP",
        "payment_terms_days": "14", "notes": ""})
}

fn draft_form(id: Option<i64>, customer: i64, notes: &str, price: &str) -> Value {
    let line = |d: &str, p: &str| {
        json!({"description": d, "quantity": "1", "unit_price": p,
        "discount_percent": "0", "tax_rate": "20", "revenue_account": "4000"})
    };
    json!({"id": id, "customer_id": customer, "issue_date": "2026-03-02", "due_date": "2099-12-31",
        "currency": "GBP", "notes": notes, "lines": [line("Design", price), line("Print", "50.00")]})
}

fn payment_form(customer: i64, invoice: i64, amount: &str, key: &str) -> Value {
    json!({"customer_id": customer, "amount": amount, "received_on": "2026-03-10",
        "method": "BankTransfer", "reference": "", "keep_excess_as_credit": true,
        "allocations": [[invoice, amount]], "idempotency_key": key,
        "fee": "", "fee_account": null, "bank_account_id": null})
}

#[tokio::test]
async fn creating_and_editing_a_customer_each_write_one_row_naming_the_owner() {
    let app = TestApp::signed_in().await;

    let id = app
        .ok(
            "save_customer",
            json!({"id": null, "form": customer_form("Harbor Cafe")}),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok(
        "save_customer",
        json!({"id": id, "form": customer_form("Harbour Café")}),
    )
    .await;
    app.ok(
        "save_customer",
        json!({"id": id, "form": customer_form("Harbour Café")}),
    )
    .await;

    let log = rows(&app, "customer", id).await;
    assert_eq!(
        log.len(),
        2,
        "saving without a change records nothing: {log:?}"
    );
    assert_eq!((log[0].0.as_str(), log[0].1.as_str()), (OWNER, "created"));
    assert_eq!(log[0].2, Value::Null);
    assert_eq!(log[0].3["name"], "Harbor Cafe");
    assert_eq!((log[1].0.as_str(), log[1].1.as_str()), (OWNER, "edited"));
    assert_eq!(
        (log[1].2["name"].as_str(), log[1].3["name"].as_str()),
        (Some("Harbor Cafe"), Some("Harbour Café"))
    );
}

#[tokio::test]
async fn a_draft_edit_records_only_what_changed_and_issuing_records_the_number() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Edits Ltd").await;
    let id = app
        .ok(
            "save_draft",
            json!({"form": draft_form(None, customer, "", "100.00")}),
        )
        .await
        .as_i64()
        .unwrap();
    let created = rows(&app, "invoice", id).await.len();

    app.ok(
        "save_draft",
        json!({"form": draft_form(Some(id), customer, "Thanks!", "100.00")}),
    )
    .await;
    let after_notes = rows(&app, "invoice", id).await;
    app.ok(
        "save_draft",
        json!({"form": draft_form(Some(id), customer, "Thanks!", "120.00")}),
    )
    .await;
    let after_price = rows(&app, "invoice", id).await;
    app.ok("issue_invoice", json!({"id": id})).await;
    let after_issue = rows(&app, "invoice", id).await;

    assert_eq!(created, 3, "the invoice and its two lines");
    let notes_edit = &after_notes[created..];
    assert_eq!(notes_edit.len(), 1, "{notes_edit:?}");
    assert_eq!(notes_edit[0].1, "edited");
    assert_eq!(
        (
            notes_edit[0].2["notes"].as_str(),
            notes_edit[0].3["notes"].as_str()
        ),
        (Some(""), Some("Thanks!"))
    );
    let price_edit: Vec<&str> = after_price[after_notes.len()..]
        .iter()
        .map(|r| r.1.as_str())
        .collect();
    assert_eq!(
        price_edit,
        vec!["edited", "line changed"],
        "the totals and the one line that changed"
    );
    let issue = &after_issue[after_price.len()..];
    assert_eq!(issue.len(), 1);
    assert_eq!(
        (issue[0].0.as_str(), issue[0].1.as_str()),
        (OWNER, "issued")
    );
    assert_eq!(issue[0].2["lifecycle"], "draft");
    assert_eq!(issue[0].3["number"], support::invoice_number(1).as_str());
}

#[tokio::test]
async fn deleting_a_draft_writes_one_row_holding_what_it_was() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Gone Ltd").await;
    let id = app
        .ok(
            "save_draft",
            json!({"form": draft_form(None, customer, "soon gone", "10.00")}),
        )
        .await
        .as_i64()
        .unwrap();
    let before = rows(&app, "invoice", id).await.len();

    app.ok("delete_draft", json!({"id": id})).await;

    let log = rows(&app, "invoice", id).await;
    assert_eq!(
        log.len(),
        before + 1,
        "its lines go with it without a row each: {log:?}"
    );
    let last = log.last().unwrap();
    assert_eq!((last.1.as_str(), &last.3), ("deleted", &Value::Null));
    assert_eq!(last.2["notes"], "soon gone");
}

#[tokio::test]
async fn the_log_refuses_to_be_changed_or_deleted() {
    let app = TestApp::signed_in().await;
    app.customer("Kept Ltd").await;

    let update = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(&app.pool)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    let unname = sqlx::query("DELETE FROM audit_actor")
        .execute(&app.pool)
        .await;

    assert!(update
        .unwrap_err()
        .to_string()
        .contains("the audit log cannot be changed"));
    assert!(delete
        .unwrap_err()
        .to_string()
        .contains("the audit log cannot be changed"));
    assert!(unname.is_err(), "the actor row stays");
    assert!(log_size(&app).await > 0);
}

#[tokio::test]
async fn a_change_that_rolls_back_leaves_no_record_and_a_commit_forgets_its_actor() {
    let app = TestApp::signed_in().await;
    let start = log_size(&app).await;
    let new = app::store::customers::NewCustomer {
        name: "Never Ltd".into(),
        email: String::new(),
        billing_address: String::new(),
        tax_id: String::new(),
        payment_reference: String::new(),
        currency: app::domain::Currency::parse("GBP").unwrap(),
        payment_terms_days: 14,
        notes: String::new(),
    };

    let mut tx = app::store::begin_write(&app.pool, &Actor::CommandLine)
        .await
        .unwrap();
    app::store::customers::create_customer(&mut tx, &new)
        .await
        .unwrap();
    let inside = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let refused = app.call("issue_invoice", json!({"id": 999_999})).await;
    let mut tx = app::store::begin_write(&app.pool, &Actor::CommandLine)
        .await
        .unwrap();
    app::store::customers::create_customer(&mut tx, &new)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "UPDATE customers SET notes = 'written outside begin_write' WHERE name = 'Never Ltd'",
    )
    .execute(&app.pool)
    .await
    .unwrap();

    assert_eq!(
        inside,
        start + 1,
        "the record is written inside the transaction"
    );
    assert!(refused.is_err());
    let actors: Vec<String> = sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log) - 2 ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        log_size(&app).await,
        start + 2,
        "only the committed change and the later edit"
    );
    assert_eq!(actors, vec!["command line", "unknown"]);
}

#[tokio::test]
async fn every_table_is_audited_or_says_why_not() {
    let app = TestApp::signed_in().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let triggers: Vec<String> =
        sqlx::query_scalar("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'audit\\_%' ESCAPE '\\'")
            .fetch_all(&app.pool)
            .await
            .unwrap();

    for table in &tables {
        let audited = AUDITED.contains(&table.as_str());
        let excused = NOT_AUDITED.iter().any(|(t, _)| t == table);
        assert!(
            audited ^ excused,
            "table {table} must be in exactly one of store::audit::AUDITED and NOT_AUDITED"
        );
        assert_eq!(
            audited,
            triggers.contains(table),
            "table {table}: AUDITED must list exactly the tables with audit triggers"
        );
    }
}

#[tokio::test]
async fn payments_record_who_received_them_and_a_viewer_cannot_read_the_log() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Payer Ltd").await;
    let invoice = app
        .ok(
            "save_draft",
            json!({"form": draft_form(None, customer, "", "100.00")}),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": invoice})).await;

    let receipt = app
        .ok(
            "record_payment",
            json!({"form": payment_form(customer, invoice, "60.00", "audit-payment-one")}),
        )
        .await;
    let link = app
        .ok(
            "invite_user",
            json!({"email": "viv@example.com", "role": "viewer"}),
        )
        .await;
    let viewer = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let token = link.as_str().unwrap().trim_start_matches("/invite/");
    viewer
        .post(format!("http://{}/api/accept_invitation", app.addr))
        .json(&json!({"token": token, "password": "viewer password 1"}))
        .send()
        .await
        .unwrap();
    let refused = viewer
        .post(format!("http://{}/api/list_audit", app.addr))
        .json(&json!({"query": {"kind": "", "document": "", "actor": "", "from": "", "to": "", "before": null}}))
        .send()
        .await
        .unwrap()
        .status();

    let payment = receipt["payment_id"].as_i64().unwrap();
    let recorded = rows(&app, "payment", payment).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (recorded[0].0.as_str(), recorded[0].1.as_str()),
        (OWNER, "recorded")
    );
    assert_eq!(recorded[0].3["amount_minor"], 6000);
    let allocated: Vec<_> = rows(&app, "invoice", invoice)
        .await
        .into_iter()
        .filter(|r| r.1 == "payment allocated")
        .collect();
    assert_eq!(allocated.len(), 1);
    assert_eq!(allocated[0].3["payment_id"], payment);
    let invited = app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity_kind = 'invitation' AND action = 'invited' AND actor = 'owner@example.com'").await;
    let accepted = app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity_kind = 'invitation' AND action = 'accepted' AND actor = 'invited person'").await;
    assert_eq!((invited, accepted), (1, 1));
    assert_eq!(refused, 403);
}

#[tokio::test]
async fn the_log_filters_by_document_number_and_pages_with_a_cursor() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Filter Ltd").await;
    for _ in 0..60 {
        app.customer("Noise Ltd").await;
    }
    let invoice = app
        .ok(
            "save_draft",
            json!({"form": draft_form(None, customer, "", "100.00")}),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok("issue_invoice", json!({"id": invoice})).await;
    let query = |document: &str, before: Option<i64>| json!({"query": {"kind": "", "document": document, "actor": "", "from": "", "to": "", "before": before}});

    let by_number = app
        .ok("list_audit", query(&support::invoice_number(1), None))
        .await;
    let first = app.ok("list_audit", query("", None)).await;
    let second = app
        .ok("list_audit", query("", first["next"].as_i64()))
        .await;
    let future = app
        .ok("list_audit", json!({"query": {"kind": "", "document": "", "actor": "", "from": "2099-01-01", "to": "", "before": null}}))
        .await;

    let actions: Vec<&str> = by_number["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["issued", "line added", "line added", "created"],
        "the draft's rows too, found by its later number"
    );
    assert!(by_number["entries"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["field"] == "Number"));
    let first_ids: Vec<i64> = first["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let second_ids: Vec<i64> = second["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(first_ids.len(), 50);
    assert!(first_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(
        second_ids.iter().all(|id| id < first_ids.last().unwrap()),
        "the next page is older"
    );
    assert!(future["entries"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_invoice_history_lists_its_lifecycle_in_order() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Lifecycle Ltd").await;
    let invoice = app
        .ok(
            "save_draft",
            json!({"form": draft_form(None, customer, "", "100.00")}),
        )
        .await
        .as_i64()
        .unwrap();
    app.ok(
        "save_draft",
        json!({"form": draft_form(Some(invoice), customer, "edited", "100.00")}),
    )
    .await;
    app.ok("issue_invoice", json!({"id": invoice})).await;
    // 100 + 50 net, 20% tax: 180.00 owed.
    app.ok(
        "record_payment",
        json!({"form": payment_form(customer, invoice, "80.00", "audit-history-one")}),
    )
    .await;
    let second = app
        .ok(
            "record_payment",
            json!({"form": payment_form(customer, invoice, "100.00", "audit-history-two")}),
        )
        .await;
    let reversal = json!({"payment_id": second["payment_id"], "kind": "Reversal", "date": "2026-03-11",
        "idempotency_key": "audit-history-three"});
    app.ok("reverse_payment", json!({"form": reversal})).await;

    let history = app.ok("get_invoice_history", json!({"id": invoice})).await;

    let steps: Vec<String> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|item| match &item["event"] {
            Value::String(s) => s.clone(),
            Value::Object(o) => o.keys().next().unwrap().clone(),
            other => panic!("unexpected event {other}"),
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            "Created",
            "Edited",
            "Issued",
            "Paid",
            "Paid",
            "PaymentReversed"
        ]
    );
    let owed: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["balance_after"]["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        owed,
        vec!["0.00", "0.00", "180.00", "100.00", "0.00", "100.00"]
    );
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["actor"] == OWNER),
        "{history}"
    );
    assert_eq!(
        history[2]["event"]["Issued"]["number"],
        support::invoice_number(1).as_str()
    );
}

/// Every column of an audited table is in its audit triggers' before/after, but for the few
/// left out on purpose: a column added later without its triggers would change unrecorded.
#[tokio::test]
async fn every_column_of_an_audited_table_is_recorded() {
    let app = TestApp::signed_in().await;
    // Keys, timestamps the log has itself, secrets the log must never hold, and plumbing:
    // request keys, duplicate-detection fingerprints, a usage counter, internal flags.
    let skipped = |table: &str, column: &str| {
        matches!(
            column,
            "id" | "created_at" | "updated_at" | "idempotency_key"
        ) || matches!(
            (table, column),
            ("users", "password_hash")
                | ("invitations", "token_hash")
                | ("api_tokens", "token_hash" | "last_used_at")
                | ("bank_lines", "fingerprint")
                | ("invoice_links", "token")
                | ("bank_statements", "sha256")
                | ("bank_rules", "times_used")
                | ("business", "cash_basis_ready" | "profile_version")
        )
    };
    let mut missing = Vec::new();
    for table in AUDITED {
        let sql: Vec<String> = sqlx::query_scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?
             AND name LIKE 'audit\\_%' ESCAPE '\\'",
        )
        .bind(table)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        let sql = sql.join("\n");
        let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(&app.pool)
        .await
        .unwrap();
        for column in columns {
            let named =
                sql.contains(&format!("NEW.{column}")) || sql.contains(&format!("OLD.{column}"));
            if !named && !skipped(table, &column) {
                missing.push(format!("{table}.{column}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in any audit trigger: {missing:?}");
}
