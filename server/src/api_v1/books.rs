//! The books over the API: accounts with balances, the journal a page at a time, and the
//! trial balance, profit and loss and balance sheet, read by the server functions' code.

use super::sales::{page_ids, Reply};
use super::{page_of, ListPage, PageQuery};
use app::api::context::AppState;
use app::api::types::{AccountRow, JournalEntryView, TrialBalance};
use app::domain::{BalanceSheet, ProfitAndLoss};
use app::store::listing::Listed;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

pub async fn list_accounts(State(state): State<AppState>) -> Reply<ListPage<AccountRow>> {
    let data = app::api::accounts::load_accounts(&state).await?;
    Ok(Json(ListPage {
        data,
        next_cursor: None,
    }))
}

pub async fn list_journal(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Reply<ListPage<JournalEntryView>> {
    let (ids, limit) = page_ids(&state, Listed::JournalEntries, &query).await?;
    let state = &state;
    Ok(Json(
        page_of(ids, limit, |id| async move {
            app::api::books::load_journal_entry(state, id).await
        })
        .await?,
    ))
}

/// A report's period and basis; empty values take the app's defaults.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub basis: String,
}

impl ReportQuery {
    fn basis(&self) -> &str {
        match self.basis.trim() {
            "" => "accrual",
            basis => basis,
        }
    }
}

pub async fn trial_balance(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Reply<TrialBalance> {
    let report = app::api::books::load_trial_balance(&state, &query.as_of, query.basis()).await?;
    Ok(Json(report))
}

pub async fn profit_and_loss(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Reply<ProfitAndLoss> {
    let report =
        app::api::books::load_profit_loss(&state, &query.from, &query.to, query.basis(), false)
            .await?;
    Ok(Json(report))
}

pub async fn balance_sheet(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Reply<BalanceSheet> {
    let report =
        app::api::books::load_balance_sheet(&state, &query.from, &query.to, query.basis(), false)
            .await?;
    Ok(Json(report))
}
