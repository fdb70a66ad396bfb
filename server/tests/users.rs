//! People and their access: invitations, roles, disabling, password changes, signing out
//! everywhere, the command-line reset, sign-in limits per address, and a scan proving every
//! server function checks the role its work needs.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use support::TestApp;

/// Another browser on the same app: its own cookies.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn call(client: &reqwest::Client, app: &TestApp, name: &str, args: Value) -> (u16, Value) {
    let response = client
        .post(format!("http://{}/api/{name}", app.addr))
        .json(&args)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn invite(app: &TestApp, email: &str, role: &str) -> String {
    let link = app
        .ok("invite_user", json!({"email": email, "role": role}))
        .await;
    link.as_str()
        .unwrap()
        .trim_start_matches("/invite/")
        .to_string()
}

#[tokio::test]
async fn an_invited_viewer_reads_but_changes_nothing_and_loses_access_when_disabled() {
    let app = TestApp::signed_in().await;
    let token = invite(&app, "viv@example.com", "viewer").await;
    let viewer = browser();

    let (_, shown) = call(&viewer, &app, "get_invitation", json!({"token": token})).await;
    let (short, _) = call(
        &viewer,
        &app,
        "accept_invitation",
        json!({"token": token, "password": "short"}),
    )
    .await;
    let (accepted, _) = call(
        &viewer,
        &app,
        "accept_invitation",
        json!({"token": token, "password": "viewer password 1"}),
    )
    .await;
    let (again, _) = call(
        &browser(),
        &app,
        "accept_invitation",
        json!({"token": token, "password": "viewer password 2"}),
    )
    .await;

    assert_eq!(shown["email"], "viv@example.com");
    assert_eq!(shown["role"], "viewer");
    assert_eq!((short, accepted, again), (422, 200, 404));
    assert_eq!(
        call(
            &viewer,
            &app,
            "list_customers",
            json!({"search": "", "page": 0})
        )
        .await
        .0,
        200
    );
    let form = json!({"name": "Sneaky Ltd", "email": "", "billing_address": "", "tax_id": "", "currency": "GBP",
        "payment_terms_days": "14", "notes": ""});
    assert_eq!(
        call(
            &viewer,
            &app,
            "save_customer",
            json!({"id": null, "form": form})
        )
        .await
        .0,
        403
    );
    assert_eq!(call(&viewer, &app, "list_team", json!({})).await.0, 403);
    assert_eq!(
        call(
            &viewer,
            &app,
            "invite_user",
            json!({"email": "x@example.com", "role": "viewer"})
        )
        .await
        .0,
        403
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM customers").await, 0);

    let team = app.ok("list_team", json!({})).await;
    let id = team["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "viv@example.com")
        .unwrap()["id"]
        .clone();
    app.ok("set_user_disabled", json!({"id": id, "disabled": true}))
        .await;

    assert_eq!(
        call(
            &viewer,
            &app,
            "list_customers",
            json!({"search": "", "page": 0})
        )
        .await
        .0,
        401
    );
    let again = call(
        &browser(),
        &app,
        "sign_in",
        json!({"email": "viv@example.com", "password": "viewer password 1"}),
    )
    .await;
    assert_eq!(again.0, 422);
    app.ok("set_user_disabled", json!({"id": id, "disabled": false}))
        .await;
    let back = call(
        &viewer,
        &app,
        "sign_in",
        json!({"email": "viv@example.com", "password": "viewer password 1"}),
    )
    .await;
    assert_eq!(back.0, 200);
}

#[tokio::test]
async fn a_bookkeeper_keeps_the_books_but_not_the_people_and_the_owner_stays() {
    let app = TestApp::signed_in().await;
    let token = invite(&app, "bo@example.com", "bookkeeper").await;
    let bookkeeper = browser();
    call(
        &bookkeeper,
        &app,
        "accept_invitation",
        json!({"token": token, "password": "bookkeeper pass 1"}),
    )
    .await;
    let form = json!({"name": "Real Client Ltd", "email": "", "billing_address": "", "tax_id": "", "currency": "GBP",
        "payment_terms_days": "14", "notes": ""});

    assert_eq!(
        call(
            &bookkeeper,
            &app,
            "save_customer",
            json!({"id": null, "form": form})
        )
        .await
        .0,
        200
    );
    assert_eq!(call(&bookkeeper, &app, "list_team", json!({})).await.0, 403);
    assert_eq!(
        call(
            &bookkeeper,
            &app,
            "lock_books",
            json!({"through": "2020-01-31"})
        )
        .await
        .0,
        403
    );
    let owner_id = app
        .scalar("SELECT id FROM users WHERE role = 'owner'")
        .await;
    let refused = app
        .call(
            "set_user_disabled",
            json!({"id": owner_id, "disabled": true}),
        )
        .await;
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("owner cannot be disabled"));
    let taken = app
        .call(
            "invite_user",
            json!({"email": "BO@example.com", "role": "viewer"}),
        )
        .await;
    assert!(taken
        .unwrap_err()
        .to_string()
        .contains("already has an account"));
    let bad_role = app
        .call(
            "invite_user",
            json!({"email": "new@example.com", "role": "owner"}),
        )
        .await;
    assert!(bad_role
        .unwrap_err()
        .to_string()
        .contains("bookkeeper or viewer"));
}

#[tokio::test]
async fn a_revoked_or_replaced_invitation_stops_working() {
    let app = TestApp::signed_in().await;
    let first = invite(&app, "late@example.com", "viewer").await;
    let second = invite(&app, "late@example.com", "bookkeeper").await;

    let (old, _) = call(&browser(), &app, "get_invitation", json!({"token": first})).await;
    app.ok("revoke_invitation", json!({"email": "late@example.com"}))
        .await;
    let (revoked, _) = call(
        &browser(),
        &app,
        "accept_invitation",
        json!({"token": second, "password": "a fine password"}),
    )
    .await;

    assert_eq!((old, revoked), (404, 404));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_and_signing_out_everywhere_ends_all() {
    let app = TestApp::signed_in().await;
    let phone = browser();
    call(
        &phone,
        &app,
        "sign_in",
        json!({"email": "owner@example.com", "password": "correct horse battery"}),
    )
    .await;

    let wrong = app
        .call(
            "change_password",
            json!({"current": "not it at all", "new": "a brand new secret"}),
        )
        .await;
    app.ok(
        "change_password",
        json!({"current": "correct horse battery", "new": "a brand new secret"}),
    )
    .await;

    assert!(wrong.unwrap_err().to_string().contains("current"));
    assert_eq!(
        call(
            &phone,
            &app,
            "list_customers",
            json!({"search": "", "page": 0})
        )
        .await
        .0,
        401
    );
    assert!(app
        .call("list_customers", json!({"search": "", "page": 0}))
        .await
        .is_ok());
    call(
        &phone,
        &app,
        "sign_in",
        json!({"email": "owner@example.com", "password": "a brand new secret"}),
    )
    .await;
    assert_eq!(
        call(
            &phone,
            &app,
            "list_customers",
            json!({"search": "", "page": 0})
        )
        .await
        .0,
        200
    );

    app.ok("sign_out_everywhere", json!({})).await;

    assert_eq!(
        call(
            &phone,
            &app,
            "list_customers",
            json!({"search": "", "page": 0})
        )
        .await
        .0,
        401
    );
    assert!(app
        .call("list_customers", json!({"search": "", "page": 0}))
        .await
        .is_err());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn the_command_line_resets_a_password_and_ends_the_sessions() {
    let app = TestApp::signed_in().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_settle"))
        .args([
            "user",
            "reset-password",
            "--db",
            app.db_path().to_str().unwrap(),
        ])
        .args(["--email", "owner@example.com", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"reset by the admin\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(app
        .call("list_customers", json!({"search": "", "page": 0}))
        .await
        .is_err());
    let fresh = browser();
    let (signed, _) = call(
        &fresh,
        &app,
        "sign_in",
        json!({"email": "owner@example.com", "password": "reset by the admin"}),
    )
    .await;
    assert_eq!(signed, 200);
}

#[tokio::test]
async fn one_address_guessing_at_many_accounts_is_stopped_but_others_are_not() {
    let app = TestApp::signed_in().await;
    let attempt = |from: &'static str, email: String, password: &'static str| {
        let client = browser();
        let url = format!("http://{}/api/sign_in", app.addr);
        async move {
            client
                .post(url)
                .header("x-forwarded-for", from)
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    for i in 0..20 {
        assert_eq!(
            attempt(
                "203.0.113.7",
                format!("guess{i}@example.com"),
                "wrong guess 123"
            )
            .await,
            422
        );
    }
    let stopped = attempt(
        "203.0.113.7",
        "owner@example.com".into(),
        "correct horse battery",
    )
    .await;
    let elsewhere = attempt(
        "198.51.100.2",
        "owner@example.com".into(),
        "correct horse battery",
    )
    .await;

    assert_eq!((stopped, elsewhere), (409, 200));
}

/// Reads every `#[server]` function in the API's source: its endpoint and its body.
fn server_functions() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/api");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for chunk in source.split("#[server(endpoint = \"").skip(1) {
            let name = chunk[..chunk.find('"').unwrap()].to_string();
            found.push((name, chunk.to_string()));
        }
    }
    found
}

#[test]
fn every_server_function_checks_the_role_its_work_needs() {
    let public = settle::auth::PUBLIC_FUNCTIONS;
    // Things a person does to their own account, allowed to every role.
    let self_service = ["change_password", "sign_out_everywhere"];
    let functions = server_functions();

    let in_source: BTreeSet<String> = functions.iter().map(|(n, _)| format!("/api/{n}")).collect();
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(
        in_source, registered,
        "the scan must see exactly the registered functions"
    );
    for (name, body) in &functions {
        if public.contains(&format!("/api/{name}").as_str()) {
            continue;
        }
        let reads = name.starts_with("get_") || name.starts_with("list_");
        let checks_writer = body.contains("require_writer()") || body.contains("require_owner()");
        let checks_user = checks_writer || body.contains("require_user()");
        assert!(checks_user, "{name} does not check the session");
        assert!(
            reads || checks_writer || self_service.contains(&name.as_str()),
            "{name} changes things but lets a viewer call it"
        );
    }
}

#[tokio::test]
async fn settings_the_app_cannot_read_leave_people_signed_in_and_say_so_where_needed() {
    let app = TestApp::signed_in().await;
    assert!(app.call("get_dashboard", json!({})).await.is_ok());
    // A time zone this build does not know (written behind the app's back).
    sqlx::query("UPDATE business SET time_zone = 'Mars/Olympus_Mons'")
        .execute(&app.pool)
        .await
        .unwrap();
    // Still signed in: what does not need the settings answers...
    let team = app.ok("list_team", json!({})).await;
    assert!(team.to_string().contains("@"), "{team}");
    // ...and what needs them fails plainly, not as a lost session.
    let refused = app.call("get_dashboard", json!({})).await.unwrap_err();
    let text = refused.to_string();
    assert!(!text.contains("Unauthorised"), "{text}");
    assert!(text.contains("went wrong"), "{text}");
    // Put right, the same session sees the settings again on its next request.
    sqlx::query("UPDATE business SET time_zone = 'Europe/Berlin'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(app.call("get_dashboard", json!({})).await.is_ok());
}
