//! Numbering series: each kind of document's pattern, and taking the next number of its
//! counter inside the caller's immediate transaction, so numbers stay gapless and unique.

use crate::domain::numbering::{DocumentKind, NumberPattern, PatternError};
use chrono::{DateTime, Datelike, Utc};
use sqlx::SqliteConnection;

/// Why a pattern could not be saved or a number taken.
#[derive(Debug, thiserror::Error)]
pub enum NumberingError {
    #[error(transparent)]
    Pattern(#[from] PatternError),
    #[error("this pattern's fixed text is the same as the {0} pattern's, so their numbers could collide; make them differ")]
    SameAs(&'static str),
    #[error(
        "the number {0} is already used; change the numbering pattern in Settings → Numbering"
    )]
    Taken(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for NumberingError {
    fn from(e: sqlx::Error) -> Self {
        NumberingError::Store(e.into())
    }
}

/// A document's number as taken from its series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbered {
    pub series: String,
    pub sequence: i64,
    pub number: String,
}

/// The pattern documents of `kind` are numbered with.
pub async fn get_pattern(
    conn: &mut SqliteConnection,
    kind: DocumentKind,
) -> anyhow::Result<NumberPattern> {
    let text: String = sqlx::query_scalar("SELECT pattern FROM numbering WHERE kind = ?")
        .bind(kind.key())
        .fetch_one(conn)
        .await?;
    Ok(NumberPattern::parse(&text)?)
}

/// Changes the pattern for documents numbered from now on. Documents already numbered keep
/// their numbers; a counter that the new pattern shares with the old one carries on.
pub async fn set_pattern(
    conn: &mut SqliteConnection,
    kind: DocumentKind,
    text: &str,
) -> Result<NumberPattern, NumberingError> {
    let pattern = NumberPattern::parse(text)?;
    for other in DocumentKind::ALL.into_iter().filter(|k| *k != kind) {
        let theirs = get_pattern(conn, other).await?;
        if theirs.literal_text() == pattern.literal_text() {
            return Err(NumberingError::SameAs(match other {
                DocumentKind::Invoice => "invoice",
                DocumentKind::CreditNote => "credit note",
                DocumentKind::Quote => "quote",
            }));
        }
    }
    sqlx::query("UPDATE numbering SET pattern = ?, updated_at = ? WHERE kind = ?")
        .bind(pattern.as_str())
        .bind(super::now_text())
        .bind(kind.key())
        .execute(conn)
        .await?;
    Ok(pattern)
}

/// Takes the next number for a document of `kind` numbered at `now`: the year is the
/// business's own (its time zone), so a document numbered at 00:30 on 1 January in Berlin
/// starts the new year's series even though it is still 31 December in UTC. Must run in the
/// transaction that stores the document, so a failure afterwards gives the number back.
pub async fn next_number(
    conn: &mut SqliteConnection,
    kind: DocumentKind,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Numbered, NumberingError> {
    let pattern = get_pattern(conn, kind).await?;
    let year = now.with_timezone(&zone).year();
    let series = pattern.series(kind, year);
    sqlx::query("INSERT INTO number_series (name, prefix, next_value) VALUES (?, ?, 1) ON CONFLICT (name) DO NOTHING")
        .bind(&series)
        .bind(pattern.literal_text())
        .execute(&mut *conn)
        .await?;
    let sequence: i64 = sqlx::query_scalar(
        "UPDATE number_series SET next_value = next_value + 1 WHERE name = ? RETURNING next_value - 1",
    )
    .bind(&series)
    .fetch_one(&mut *conn)
    .await?;
    let number = pattern.format(year, sequence);
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM invoices WHERE number = ?1) + (SELECT COUNT(*) FROM credit_notes WHERE number = ?1)
            + (SELECT COUNT(*) FROM quotes WHERE number = ?1)",
    )
    .bind(&number)
    .fetch_one(&mut *conn)
    .await?;
    if used > 0 {
        return Err(NumberingError::Taken(number));
    }
    Ok(Numbered {
        series,
        sequence,
        number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_db;
    use chrono::TimeZone;

    #[tokio::test]
    async fn the_year_of_a_number_is_the_businesss_year_not_utcs() {
        let pool = test_db().await;
        let mut conn = pool.acquire().await.unwrap();
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        // 23:30 and 00:30 in Berlin; both are still 31 December in UTC.
        let late = Utc.with_ymd_and_hms(2026, 12, 31, 22, 30, 0).unwrap();
        let early = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();

        let first = next_number(&mut conn, DocumentKind::Invoice, berlin, late)
            .await
            .unwrap();
        let second = next_number(&mut conn, DocumentKind::Invoice, berlin, early)
            .await
            .unwrap();

        assert_eq!(first.number, "INV-2026-0001");
        assert_eq!(second.number, "INV-2027-0001");
        assert_eq!(
            (second.series.as_str(), second.sequence),
            ("invoice-2027", 1)
        );
    }

    #[tokio::test]
    async fn a_pattern_that_could_print_the_other_kinds_numbers_is_refused() {
        let pool = test_db().await;
        let mut conn = pool.acquire().await.unwrap();

        let refused = set_pattern(&mut conn, DocumentKind::CreditNote, "INV-{YYYY}-{NNN}").await;

        assert!(matches!(refused, Err(NumberingError::SameAs("invoice"))));
        let kept = get_pattern(&mut conn, DocumentKind::CreditNote)
            .await
            .unwrap();
        assert_eq!(kept.as_str(), "CN-{YYYY}-{NNNN}");
    }
}
