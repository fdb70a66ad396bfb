//! Backups taken while the app writes are consistent and restore to books that pass every
//! check; restore refuses a damaged file and a database in use; the daily schedule keeps only
//! the newest copies; readiness answers.

mod support;

use serde_json::json;
use settle::backup::{backup_to, restore, run_daily, verify, Schedule};
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::TestApp;

async fn payments_in(db: &Path) -> i64 {
    let pool = app::store::open(db).await.expect("open restored copy");
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
        .fetch_one(&pool)
        .await
        .expect("count payments");
    let mut conn = pool.acquire().await.expect("connection");
    let problems = app::store::check::check_books(&mut conn)
        .await
        .expect("check runs");
    assert!(
        problems.is_empty(),
        "restored books fail checks: {problems:?}"
    );
    count
}

#[tokio::test]
async fn backups_taken_during_writes_restore_to_books_that_pass_every_check() {
    let app = TestApp::signed_in().await;
    let customer = app.customer("Steady Payer Ltd").await;
    for _ in 0..3 {
        let invoice = app.harbor_draft(customer).await;
        app.ok("issue_invoice", json!({"id": invoice})).await;
    }
    let out = tempfile::tempdir().unwrap();
    let writer = {
        let app = &app;
        async move {
            for i in 0..40 {
                app.pay(customer, "7.31", "2026-03-20", &format!("steady-{i}"), true)
                    .await
                    .expect("payment recorded");
            }
        }
    };
    let backups = async {
        let mut taken = Vec::new();
        for i in 0..4 {
            tokio::time::sleep(Duration::from_millis(40)).await;
            let path = out.path().join(format!("during-{i}.sqlite"));
            backup_to(&app.pool, &path)
                .await
                .expect("backup while writing");
            taken.push(path);
        }
        taken
    };

    let ((), taken) = tokio::join!(writer, backups);
    let last = out.path().join("after.sqlite");
    backup_to(&app.pool, &last)
        .await
        .expect("backup after writing");

    let mut counts = Vec::new();
    for (i, backup) in taken.iter().chain([&last]).enumerate() {
        let db = out.path().join(format!("restored-{i}.sqlite"));
        assert!(restore(backup, &db).await.expect("restore").is_none());
        counts.push(payments_in(&db).await);
    }
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "snapshots go forward: {counts:?}"
    );
    assert_eq!(counts.last(), Some(&40));
}

#[tokio::test]
async fn restore_refuses_a_damaged_backup_and_a_database_in_use() {
    let app = TestApp::signed_in().await;
    let out = tempfile::tempdir().unwrap();
    let damaged = out.path().join("damaged.sqlite");
    std::fs::write(&damaged, b"SQLite format 3\0 but nothing after it").unwrap();
    let good = out.path().join("good.sqlite");
    backup_to(&app.pool, &good).await.unwrap();

    let refused = restore(&damaged, &out.path().join("new.sqlite"))
        .await
        .unwrap_err();
    let in_use = restore(&good, &app.db_path()).await.unwrap_err();

    assert!(
        format!("{refused:#}").contains("cannot be restored"),
        "{refused:#}"
    );
    assert!(!out.path().join("new.sqlite").exists());
    assert!(format!("{in_use:#}").contains("in use"), "{in_use:#}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1);
    assert!(backup_to(&app.pool, &good)
        .await
        .unwrap_err()
        .to_string()
        .contains("already exists"));
}

#[tokio::test]
async fn the_daily_schedule_takes_a_backup_when_due_and_keeps_the_newest() {
    let app = TestApp::signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    for stamp in ["20240101T010000Z", "20240102T010000Z", "20240103T010000Z"] {
        std::fs::write(dir.path().join(format!("settle-{stamp}.sqlite")), b"old").unwrap();
    }
    std::fs::write(dir.path().join("keep-me.txt"), b"not a backup").unwrap();
    let schedule = Schedule {
        dir: dir.path().to_path_buf(),
        keep: 2,
        every: Duration::from_millis(20),
    };

    let task = tokio::spawn(run_daily(app.pool.clone(), schedule));
    let mut names = Vec::new();
    for _ in 0..250 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        names = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        if names.len() == 3 && !names.iter().any(|n| n.contains("20240102")) {
            break;
        }
    }
    task.abort();

    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "keep-me.txt");
    assert_eq!(names[1], "settle-20240103T010000Z.sqlite");
    let fresh = dir.path().join(&names[2]);
    assert!(verify(&fresh).await.is_ok(), "{names:?}");
}

#[tokio::test]
async fn readiness_answers_when_the_schema_is_current() {
    let app = TestApp::start().await;

    let response = reqwest::get(format!("http://{}/readyz", app.addr))
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ready");
}

#[test]
fn the_command_line_backs_up_and_restores_the_demo_books() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let copy = dir.path().join("copy.sqlite");
    let settle = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_settle"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let path = |p: &Path| p.to_str().unwrap().to_string();

    assert!(settle(&["demo", "--db", &path(&db)]).0);
    let (backed_up, said) = settle(&["backup", "--db", &path(&db), "--out", &path(&copy)]);
    assert!(backed_up, "{said}");
    assert!(said.contains("checked"), "{said}");
    std::fs::write(&db, b"ruined").unwrap();
    let (restored, said) = settle(&["restore", "--db", &path(&db), &path(&copy)]);
    assert!(restored, "{said}");
    assert!(said.contains("kept as"), "{said}");
    let (checked, said) = settle(&["check", "--db", &path(&db)]);
    assert!(checked, "{said}");
}
