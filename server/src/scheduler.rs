//! The scheduler inside the server (no cron): once a minute it makes the recurring invoices
//! that have fallen due, in the business's time zone. After downtime the first tick catches up
//! every missed occurrence, each exactly once (see `app::store::recurring::run_due`). It also
//! forgets API idempotency keys older than `KEEP_ANSWERS_DAYS`.

use app::api::context::AppState;
use std::time::Duration;

/// Runs for the life of the server.
pub async fn run(state: AppState, every: Duration) {
    // A moment after start, so start-up stays quick; then every `every`.
    let mut wait = Duration::from_secs(2).min(every);
    loop {
        tokio::time::sleep(wait).await;
        wait = every;
        if let Err(error) = tick(&state).await {
            tracing::error!(
                error = format!("{error:#}"),
                "recurring invoices could not be made"
            );
        }
    }
}

/// Makes what is due now; returns how many invoices were made.
pub async fn tick(state: &AppState) -> anyhow::Result<usize> {
    let today = {
        let mut conn = state.pool.acquire().await?;
        app::store::business::get_business(&mut conn).await?.today()
    };
    let made = app::store::recurring::run_due(
        &state.pool,
        &app::store::audit::Actor::Scheduler,
        today,
        chrono::Utc::now(),
    )
    .await?;
    for m in &made {
        tracing::info!(
            recurring = m.recurring_id,
            date = %m.run_on,
            invoice = m.invoice.0,
            number = m.number.as_deref().unwrap_or("draft"),
            "recurring invoice made"
        );
    }
    if !made.is_empty() {
        state.publish("invoice");
    }
    let kept_since =
        chrono::Utc::now() - chrono::Duration::days(app::store::api_tokens::KEEP_ANSWERS_DAYS);
    let mut conn = state.pool.acquire().await?;
    let forgotten = app::store::api_tokens::forget_answers_before(&mut conn, kept_since).await?;
    if forgotten > 0 {
        tracing::info!(keys = forgotten, "old API idempotency keys forgotten");
    }
    Ok(made.len())
}
