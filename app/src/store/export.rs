//! Streaming the whole ledger out in chunks of entries, so an export of millions of postings
//! never holds them all in memory, in hledger/ledger, beancount or CSV form.

use crate::domain::export::{
    write_beancount_entry, write_beancount_header, write_csv_entry, write_csv_header,
    write_journal_entry, write_journal_header, Chart, Commodity, ExportAccount, ExportEntry,
    ExportPosting,
};
use crate::domain::Currency;
use anyhow::Context;
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::io::Write;

/// The formats the ledger can be exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Hledger,
    Beancount,
    Csv,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<ExportFormat> {
        match text {
            "hledger" | "ledger" | "journal" => Some(ExportFormat::Hledger),
            "beancount" => Some(ExportFormat::Beancount),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
        }
    }

    /// The file name extension people expect.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Hledger => "journal",
            ExportFormat::Beancount => "beancount",
            ExportFormat::Csv => "csv",
        }
    }
}

const CHUNK: i64 = 5000;

/// Writes every journal entry, oldest first, in the chosen format.
pub async fn export_ledger(
    conn: &mut SqliteConnection,
    currency: Currency,
    format: ExportFormat,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<u64> {
    let accounts = super::reports::chart(conn).await?;
    let chart = Chart::new(accounts.into_iter().map(|a| ExportAccount {
        code: a.code,
        name: a.name,
        kind: a.kind,
    }))
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let commodity = Commodity {
        code: currency.code().to_string(),
        minor_digits: currency.minor_units(),
    };
    let first: Option<NaiveDate> = sqlx::query_scalar("SELECT MIN(date) FROM journal_entries")
        .fetch_one(&mut *conn)
        .await?;
    let fail = |e: crate::domain::export::ExportError| anyhow::anyhow!("{e}");
    match format {
        ExportFormat::Hledger => write_journal_header(out, &chart, &commodity).map_err(fail)?,
        ExportFormat::Beancount => {
            let first = first.unwrap_or(NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"));
            write_beancount_header(out, &chart, &commodity, first).map_err(fail)?
        }
        ExportFormat::Csv => write_csv_header(out).map_err(fail)?,
    }
    let mut written = 0;
    // Entries go out in date order (then by id), read a chunk at a time from where the last
    // chunk ended, so an opening balance entered late still comes first.
    let mut after: (NaiveDate, i64) = (NaiveDate::MIN, 0);
    loop {
        let rows: Vec<(i64, NaiveDate, String, String, i64)> = sqlx::query_as(
            "WITH chunk AS (
                SELECT id, date, memo FROM journal_entries
                WHERE (date, id) > (?, ?) ORDER BY date, id LIMIT ?)
             SELECT c.id, c.date, c.memo, p.account_code, p.amount_minor
             FROM chunk c JOIN postings p ON p.entry_id = c.id ORDER BY c.date, c.id, p.id",
        )
        .bind(after.0)
        .bind(after.1)
        .bind(CHUNK)
        .fetch_all(&mut *conn)
        .await
        .context("cannot read the ledger")?;
        let Some(last_row) = rows.last() else {
            // A chunk of entries without postings (a close with nothing on this basis) would
            // stop here too early; look past it.
            let next: Option<(NaiveDate, i64)> = sqlx::query_as(
                "SELECT date, id FROM journal_entries WHERE (date, id) > (?, ?) ORDER BY date, id LIMIT 1 OFFSET ?",
            )
            .bind(after.0)
            .bind(after.1)
            .bind(CHUNK - 1)
            .fetch_optional(&mut *conn)
            .await?;
            match next {
                Some(position) => {
                    after = position;
                    continue;
                }
                None => break,
            }
        };
        let chunk_end: Option<(NaiveDate, i64)> = sqlx::query_as(
            "SELECT date, id FROM journal_entries WHERE (date, id) > (?, ?) ORDER BY date, id LIMIT 1 OFFSET ?",
        )
        .bind(after.0)
        .bind(after.1)
        .bind(CHUNK - 1)
        .fetch_optional(&mut *conn)
        .await?;
        after = chunk_end.unwrap_or((last_row.1, last_row.0));
        let mut entries: Vec<ExportEntry> = Vec::new();
        for (id, date, memo, account_code, amount_minor) in rows {
            if entries.last().is_none_or(|e| e.id != id) {
                entries.push(ExportEntry {
                    id,
                    date,
                    memo,
                    postings: Vec::new(),
                });
            }
            if let Some(entry) = entries.last_mut() {
                entry.postings.push(ExportPosting {
                    account_code,
                    amount_minor,
                });
            }
        }
        for entry in &entries {
            match format {
                ExportFormat::Hledger => write_journal_entry(out, entry, &chart, &commodity),
                ExportFormat::Beancount => write_beancount_entry(out, entry, &chart, &commodity),
                ExportFormat::Csv => write_csv_entry(out, entry, &chart, &commodity),
            }
            .map_err(fail)?;
            written += 1;
        }
        if chunk_end.is_none() {
            break;
        }
    }
    out.flush()?;
    Ok(written)
}
