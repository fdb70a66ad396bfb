//! The chart of accounts (adding, renaming, grouping and archiving accounts) and short option
//! lists for forms.

use crate::api::types::{AccountOption, AccountRow, CustomerOption};
use crate::domain::posting::accounts;
use crate::domain::AccountKind;
use crate::domain::CustomerId;
use sqlx::SqliteConnection;

pub async fn revenue_accounts(conn: &mut SqliteConnection) -> sqlx::Result<Vec<AccountOption>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM accounts WHERE kind = 'revenue' AND archived = 0 ORDER BY code",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| AccountOption { code, name })
        .collect())
}

pub async fn customer_options(conn: &mut SqliteConnection) -> sqlx::Result<Vec<CustomerOption>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, payment_terms_days FROM customers ORDER BY name COLLATE NOCASE",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, terms)| CustomerOption {
            id: CustomerId(id),
            name,
            payment_terms_days: terms as u32,
        })
        .collect())
}

/// Accounts the posting rules use: they can be renamed but never archived.
pub const SYSTEM_ACCOUNTS: [&str; 7] = [
    accounts::BANK,
    accounts::RECEIVABLES,
    accounts::INPUT_TAX,
    accounts::PAYABLES,
    accounts::CUSTOMER_CREDITS,
    accounts::TAX_PAYABLE,
    accounts::RETAINED_EARNINGS,
];

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// A new or changed account, as validated by the server function.
#[derive(Clone, Debug)]
pub struct AccountChange {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub parent: Option<String>,
    pub is_money: bool,
}

/// The deepest an account may sit under parents, so reports stay readable and fast.
pub const MAX_DEPTH: usize = 4;

async fn check_parent(
    conn: &mut SqliteConnection,
    change: &AccountChange,
) -> Result<(), AccountError> {
    // Receivables, payables, the tax accounts and the rest posting rules use hold their own
    // sub-ledgers or meaning; money is never paid straight from them.
    if change.is_money
        && SYSTEM_ACCOUNTS.contains(&change.code.as_str())
        && change.code != accounts::BANK
    {
        return Err(AccountError::Invalid(
            "is_money",
            "Settle uses this account for its own postings; money cannot be paid from it".into(),
        ));
    }
    let Some(parent) = &change.parent else {
        return Ok(());
    };
    // Walk up from the proposed parent: meeting this account again would make a loop.
    let mut depth = 1;
    let mut current = Some(parent.clone());
    while let Some(code) = current {
        if code == change.code {
            return Err(AccountError::Invalid(
                "parent",
                "an account cannot be grouped under one of its own sub-accounts".into(),
            ));
        }
        depth += 1;
        if depth > MAX_DEPTH {
            return Err(AccountError::Invalid(
                "parent",
                format!("accounts can be grouped at most {MAX_DEPTH} levels deep"),
            ));
        }
        current = sqlx::query_scalar("SELECT parent_code FROM accounts WHERE code = ?")
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    }
    if *parent == change.code {
        return Err(AccountError::Invalid(
            "parent",
            "an account cannot be its own parent".into(),
        ));
    }
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM accounts WHERE code = ?")
        .bind(parent)
        .fetch_optional(&mut *conn)
        .await?;
    match kind {
        None => Err(AccountError::Invalid(
            "parent",
            "choose an existing account".into(),
        )),
        Some(k) if k != change.kind.as_str() => Err(AccountError::Invalid(
            "parent",
            "a parent must be of the same kind".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// Adds an account to the chart.
pub async fn create_account(
    conn: &mut SqliteConnection,
    change: &AccountChange,
) -> Result<(), AccountError> {
    let exists: Option<String> = sqlx::query_scalar("SELECT name FROM accounts WHERE code = ?")
        .bind(&change.code)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(name) = exists {
        return Err(AccountError::Invalid(
            "code",
            format!("{} is already used by {name}", change.code),
        ));
    }
    check_parent(conn, change).await?;
    sqlx::query(
        "INSERT INTO accounts (code, name, kind, parent_code, is_money) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&change.code)
    .bind(&change.name)
    .bind(change.kind.as_str())
    .bind(&change.parent)
    .bind(i64::from(change.is_money))
    .execute(conn)
    .await?;
    Ok(())
}

/// Renames or regroups an account. Its code and kind never change once it exists: postings
/// and reports already depend on them.
pub async fn update_account(
    conn: &mut SqliteConnection,
    change: &AccountChange,
) -> Result<(), AccountError> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM accounts WHERE code = ?")
        .bind(&change.code)
        .fetch_optional(&mut *conn)
        .await?;
    match kind {
        None => return Err(AccountError::Invalid("code", "no such account".into())),
        Some(k) if k != change.kind.as_str() => {
            return Err(AccountError::Invalid(
                "kind",
                "an account's kind cannot change".into(),
            ))
        }
        Some(_) => {}
    }
    check_parent(conn, change).await?;
    sqlx::query("UPDATE accounts SET name = ?, parent_code = ?, is_money = ? WHERE code = ?")
        .bind(&change.name)
        .bind(&change.parent)
        .bind(i64::from(change.is_money))
        .bind(&change.code)
        .execute(conn)
        .await?;
    Ok(())
}

/// Archives (hides from pickers) or restores an account. Its postings stay in every report.
pub async fn set_archived(
    conn: &mut SqliteConnection,
    code: &str,
    archived: bool,
) -> Result<(), AccountError> {
    if archived && SYSTEM_ACCOUNTS.contains(&code) {
        return Err(AccountError::Invalid(
            "code",
            "Settle posts to this account itself, so it cannot be archived".into(),
        ));
    }
    if archived {
        let balance: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_months WHERE basis = 'accrual' AND account_code = ?",
        )
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
        if balance != 0 {
            return Err(AccountError::Invalid(
                "code",
                "this account still has a balance; move it to another account with a journal entry first".into(),
            ));
        }
    }
    let done = sqlx::query("UPDATE accounts SET archived = ? WHERE code = ?")
        .bind(i64::from(archived))
        .bind(code)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AccountError::Invalid("code", "no such account".into()));
    }
    Ok(())
}

/// Every account with its balance as of a day (accrual), for the chart of accounts page.
pub async fn list_accounts(
    conn: &mut SqliteConnection,
    currency: crate::domain::Currency,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<Vec<AccountRow>> {
    let chart = super::reports::chart(conn).await?;
    let sums = super::reports::sums(
        conn,
        crate::domain::Basis::Accrual,
        None,
        as_of,
        super::reports::Closing::Include,
    )
    .await?;
    Ok(chart
        .into_iter()
        .map(|a| AccountRow {
            balance: crate::domain::Money::from_minor(
                sums.get(&a.code).copied().unwrap_or(0),
                currency,
            ),
            has_postings: sums.contains_key(&a.code),
            system: SYSTEM_ACCOUNTS.contains(&a.code.as_str()),
            code: a.code,
            name: a.name,
            kind: a.kind,
            parent: a.parent,
            is_money: a.is_money,
            archived: a.archived,
        })
        .collect())
}
