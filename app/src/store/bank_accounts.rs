//! Bank accounts: each is one asset account in the ledger (1000 and 1001–1099), money can be
//! received into or paid from it, and its statements are imported against it.

use crate::api::types::BankAccount;
use sqlx::SqliteConnection;

/// The ledger codes new bank accounts take, in order.
const CODES: std::ops::RangeInclusive<u32> = 1001..=1099;

#[derive(Debug, thiserror::Error)]
pub enum BankAccountError {
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

type Row = (i64, String, String, String, Option<String>);

fn from_row((id, name, account_code, iban, archived_at): Row) -> BankAccount {
    BankAccount {
        id,
        name,
        account_code,
        iban,
        archived: archived_at.is_some(),
    }
}

/// Every bank account, the first (the chart's own "Bank") first, archived ones last.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<BankAccount>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, account_code, iban, archived_at FROM bank_accounts
         ORDER BY archived_at IS NOT NULL, id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<BankAccount>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, account_code, iban, archived_at FROM bank_accounts WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(from_row))
}

/// The bank account called `name` (case-insensitive), as the command line names it.
pub async fn by_name(conn: &mut SqliteConnection, name: &str) -> sqlx::Result<Option<BankAccount>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, account_code, iban, archived_at FROM bank_accounts WHERE name = ?",
    )
    .bind(name.trim())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(from_row))
}

/// The bank account whose ledger account is `code`, if that account is a bank account.
pub async fn by_account_code(
    conn: &mut SqliteConnection,
    code: &str,
) -> sqlx::Result<Option<BankAccount>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, account_code, iban, archived_at FROM bank_accounts WHERE account_code = ?",
    )
    .bind(code)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(from_row))
}

/// Opens a bank account with its own ledger account (the next free code from 1001), in the
/// caller's transaction.
pub async fn create(
    conn: &mut SqliteConnection,
    name: &str,
    iban: &str,
) -> Result<BankAccount, BankAccountError> {
    let name = name.trim();
    if name.chars().any(char::is_control) {
        return Err(BankAccountError::Invalid(
            "name",
            "remove the invisible control characters from the name".into(),
        ));
    }
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BankAccountError::Invalid(
            "name",
            "give the bank account a name of up to 80 characters".into(),
        ));
    }
    if by_name(conn, name).await?.is_some() {
        return Err(BankAccountError::Invalid(
            "name",
            format!("there is already a bank account called {name}"),
        ));
    }
    let used: Vec<String> = sqlx::query_scalar("SELECT code FROM accounts")
        .fetch_all(&mut *conn)
        .await?;
    let Some(code) = CODES.map(|c| c.to_string()).find(|c| !used.contains(c)) else {
        return Err(BankAccountError::Invalid(
            "name",
            "every bank account code from 1001 to 1099 is taken".into(),
        ));
    };
    sqlx::query(
        "INSERT INTO accounts (code, name, kind, parent_code, is_money) VALUES (?, ?, 'asset', NULL, 1)",
    )
    .bind(&code)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO bank_accounts (name, account_code, iban, created_at) VALUES (?, ?, ?, ?)
         RETURNING id",
    )
    .bind(name)
    .bind(&code)
    .bind(iban.trim())
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(BankAccount {
        id,
        name: name.to_string(),
        account_code: code,
        iban: iban.trim().to_string(),
        archived: false,
    })
}

/// Archives a bank account: it keeps its ledger account and history but takes no new
/// payments. The last open bank account stays open.
pub async fn archive(conn: &mut SqliteConnection, id: i64) -> Result<(), BankAccountError> {
    if id == 1 {
        return Err(BankAccountError::Invalid(
            "id",
            "the first bank account is where payments go by default; it stays open".into(),
        ));
    }
    let balance: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p
         JOIN bank_accounts b ON b.account_code = p.account_code WHERE b.id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if balance != 0 {
        return Err(BankAccountError::Invalid(
            "id",
            "this bank account still holds money in the books; move it out before archiving".into(),
        ));
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bank_accounts WHERE archived_at IS NULL AND id <> ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if open == 0 {
        return Err(BankAccountError::Invalid(
            "id",
            "keep at least one bank account open".into(),
        ));
    }
    let done = sqlx::query(
        "UPDATE bank_accounts SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
    )
    .bind(super::now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(BankAccountError::Invalid(
            "id",
            "this bank account is archived already or does not exist".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_chart_bank_is_the_first_bank_account_and_new_ones_get_their_own_ledger_account() {
        let pool = crate::store::test_db().await;
        let mut conn = pool.acquire().await.unwrap();
        let first = list(&mut conn).await.unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].account_code, "1000");
        let card = create(&mut conn, "Card takings", "").await.unwrap();
        assert_eq!(card.account_code, "1001");
        let savings = create(&mut conn, "Savings", "GB33BUKB20201555555555")
            .await
            .unwrap();
        assert_eq!(savings.account_code, "1002");
        assert!(matches!(
            create(&mut conn, "savings", "").await,
            Err(BankAccountError::Invalid("name", _))
        ));
        assert_eq!(
            by_name(&mut conn, "SAVINGS").await.unwrap().unwrap().id,
            savings.id
        );
        let kind: String = sqlx::query_scalar("SELECT kind FROM accounts WHERE code = '1002'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(kind, "asset");
        assert!(sqlx::query("DELETE FROM bank_accounts WHERE id = 1")
            .execute(&mut *conn)
            .await
            .is_err());
    }
}
