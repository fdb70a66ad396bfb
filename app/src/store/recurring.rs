//! Recurring invoices: templates with a schedule, and the run that makes each occurrence's
//! invoice exactly once (a row in `recurring_runs` per template and date, made in the same
//! transaction as the invoice).

use super::invoices::{self, Draft, InvoiceError};
use super::to_scaled;
use crate::api::types::{RecurringDetail, RecurringRun, RecurringSummary};
use crate::domain::recurrence::{Frequency, Schedule};
use crate::domain::{document_totals, Currency, CustomerId, InvoiceId, LineInput, Money, Pricing};
use anyhow::{anyhow, Context};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::{Acquire, SqliteConnection, SqlitePool};

/// A validated template, ready to store.
#[derive(Clone, Debug)]
pub struct NewRecurring {
    pub name: String,
    pub customer: CustomerId,
    pub schedule: Schedule,
    pub terms_days: u32,
    pub currency: Currency,
    /// Tax-inclusive prices, document discount and tax rounding, as on the invoice it
    /// was made from.
    pub pricing: Pricing,
    pub notes: String,
    pub auto_issue: bool,
    pub lines: Vec<LineInput>,
}

/// What one run made.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    pub recurring_id: i64,
    pub run_on: NaiveDate,
    pub invoice: InvoiceId,
    /// The number when it was issued; `None` when it was left a draft.
    pub number: Option<String>,
}

/// Stores a template in the caller's transaction.
pub async fn create(conn: &mut SqliteConnection, new: &NewRecurring) -> anyhow::Result<i64> {
    let (frequency, day) = match new.schedule.frequency {
        Frequency::Weekly => ("weekly", None),
        Frequency::Monthly { day } => ("monthly", Some(i64::from(day))),
        Frequency::Yearly => ("yearly", None),
    };
    let (entry, discount_kind, discount_e4) = super::pricing::to_columns(&new.pricing)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO recurring_invoices (name, customer_id, frequency, day_of_month, start_on, end_on,
            terms_days, currency, tax_rounding, notes, auto_issue, created_at, price_entry,
            discount_kind, discount_e4)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.name.trim())
    .bind(new.customer.0)
    .bind(frequency)
    .bind(day)
    .bind(new.schedule.start)
    .bind(new.schedule.end)
    .bind(i64::from(new.terms_days))
    .bind(new.currency.code())
    .bind(super::business::rounding_to_text(new.pricing.rounding))
    .bind(&new.notes)
    .bind(i64::from(new.auto_issue))
    .bind(super::now_text())
    .bind(entry)
    .bind(discount_kind)
    .bind(discount_e4)
    .fetch_one(&mut *conn)
    .await?;
    for (position, line) in new.lines.iter().enumerate() {
        let scaled = |value, scale| {
            to_scaled(value, scale)
                .ok_or_else(|| anyhow!("line {} has too many decimals", position + 1))
        };
        sqlx::query(
            "INSERT INTO recurring_lines (recurring_id, position, description, quantity_e4, unit_price_e4,
                discount_bp, tax_rate_bp, revenue_account, unit, tax_category, tax_name,
                exemption_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&line.description)
        .bind(scaled(line.quantity, 4)?)
        .bind(scaled(line.unit_price, 4)?)
        .bind(scaled(line.discount_percent, 2)?)
        .bind(scaled(line.tax_rate, 2)?)
        .bind(&line.revenue_account.0)
        .bind(&line.unit)
        .bind(line.tax.category.map(|c| c.slug()))
        .bind(&line.tax.name)
        .bind(&line.tax.exemption_reason)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// What a template copies from an invoice: its customer, currency, pricing (tax-inclusive
/// prices, document discount, rounding), notes, lines and payment terms (the days between its
/// issue and due dates).
pub async fn from_invoice(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> Result<(CustomerId, Currency, Pricing, String, Vec<LineInput>, u32), InvoiceError> {
    let row: Option<(i64, String, String, NaiveDate, NaiveDate)> = sqlx::query_as(
        "SELECT customer_id, currency, notes, issue_date, due_date FROM invoices WHERE id = ?",
    )
    .bind(invoice.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (customer, currency, notes, issued, due) = row.ok_or(InvoiceError::NotFound)?;
    let pricing = super::pricing::invoice_pricing(conn, invoice).await?;
    let lines = invoices::load_lines(conn, invoice).await?;
    let terms = u32::try_from((due - issued).num_days().clamp(0, 365)).unwrap_or(0);
    Ok((
        CustomerId(customer),
        Currency::parse(&currency).map_err(anyhow::Error::from)?,
        pricing,
        notes,
        lines,
        terms,
    ))
}

type TemplateRow = (
    i64,
    String,
    i64,
    String,
    String,
    Option<i64>,
    NaiveDate,
    Option<NaiveDate>,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<NaiveDate>,
);

const TEMPLATE_COLUMNS: &str =
    "r.id, r.name, r.customer_id, c.name, r.frequency, r.day_of_month, r.start_on, r.end_on,
    r.terms_days, r.currency, r.tax_rounding, r.notes, r.auto_issue, r.paused_at, r.resumed_on";

/// A template as stored.
struct Template {
    id: i64,
    name: String,
    customer: CustomerId,
    customer_name: String,
    schedule: Schedule,
    terms_days: u32,
    currency: Currency,
    pricing: Pricing,
    notes: String,
    auto_issue: bool,
    paused: bool,
    resumed_on: Option<NaiveDate>,
}

fn template(row: TemplateRow) -> anyhow::Result<Template> {
    let (
        id,
        name,
        customer,
        customer_name,
        frequency,
        day,
        start,
        end,
        terms,
        currency,
        rounding,
        notes,
        auto,
        paused,
        resumed,
    ) = row;
    let frequency = match (frequency.as_str(), day) {
        ("weekly", _) => Frequency::Weekly,
        ("monthly", Some(day)) => Frequency::Monthly {
            day: u32::try_from(day).context("day of month")?,
        },
        ("yearly", _) => Frequency::Yearly,
        (other, _) => return Err(anyhow!("unknown frequency {other}")),
    };
    Ok(Template {
        id,
        name,
        customer: CustomerId(customer),
        customer_name,
        schedule: Schedule {
            frequency,
            start,
            end,
        },
        terms_days: u32::try_from(terms).unwrap_or(0),
        currency: Currency::parse(&currency)?,
        // The rest of the pricing is read by `templates`.
        pricing: Pricing {
            rounding: super::business::rounding_from_text(&rounding),
            ..Pricing::default()
        },
        notes,
        auto_issue: auto != 0,
        paused: paused.is_some(),
        resumed_on: resumed,
    })
}

async fn lines(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Vec<LineInput>> {
    let rows: Vec<invoices::LineRow> = sqlx::query_as(
        "SELECT description, quantity_e4, unit_price_e4, discount_bp, tax_rate_bp, revenue_account,
            tax_category, tax_name, exemption_reason, unit
         FROM recurring_lines WHERE recurring_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(invoices::line_from_row).collect())
}

/// What one template's occurrence comes to, priced as its invoices will be.
fn amount(t: &Template, lines: &[LineInput]) -> anyhow::Result<Money> {
    document_totals(lines, t.currency, t.pricing)
        .map(|totals| totals.gross)
        .map_err(|e| anyhow!("recurring invoice {} can no longer be priced: {e}", t.id))
}

async fn templates(
    conn: &mut SqliteConnection,
    only: Option<i64>,
) -> anyhow::Result<Vec<Template>> {
    let rows: Vec<TemplateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM recurring_invoices r JOIN customers c ON c.id = r.customer_id
         WHERE ?1 IS NULL OR r.id = ?1 ORDER BY r.id"
    )))
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut t = template(row)?;
        let (rounding, entry, kind, e4): (String, String, String, i64) = sqlx::query_as(
            "SELECT tax_rounding, price_entry, discount_kind, discount_e4
             FROM recurring_invoices WHERE id = ?",
        )
        .bind(t.id)
        .fetch_one(&mut *conn)
        .await?;
        t.pricing = super::pricing::from_columns(&rounding, &entry, &kind, e4);
        out.push(t);
    }
    Ok(out)
}

/// The newest occurrence already made (or skipped by a pause) for a template.
async fn made_up_to(conn: &mut SqliteConnection, t: &Template) -> sqlx::Result<Option<NaiveDate>> {
    let last: Option<NaiveDate> =
        sqlx::query_scalar("SELECT MAX(run_on) FROM recurring_runs WHERE recurring_id = ?")
            .bind(t.id)
            .fetch_one(conn)
            .await?;
    let skipped = t.resumed_on.and_then(|d| d.pred_opt());
    Ok(last.max(skipped))
}

fn summary(t: &Template, amount: Money, next: Option<NaiveDate>, runs: i64) -> RecurringSummary {
    RecurringSummary {
        id: t.id,
        name: t.name.clone(),
        customer_id: t.customer,
        customer_name: t.customer_name.clone(),
        schedule: t.schedule.frequency.describe(),
        start: t.schedule.start,
        end: t.schedule.end,
        next: if t.paused { None } else { next },
        amount,
        terms_days: t.terms_days,
        auto_issue: t.auto_issue,
        paused: t.paused,
        runs,
    }
}

/// Every template, with its next date and amount.
pub async fn list(conn: &mut SqliteConnection) -> anyhow::Result<Vec<RecurringSummary>> {
    let mut out = Vec::new();
    for t in templates(conn, None).await? {
        let lines = lines(conn, t.id).await?;
        let after = made_up_to(conn, &t).await?;
        let runs: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM recurring_runs WHERE recurring_id = ?")
                .bind(t.id)
                .fetch_one(&mut *conn)
                .await?;
        out.push(summary(
            &t,
            amount(&t, &lines)?,
            t.schedule.next_after(after),
            runs,
        ));
    }
    Ok(out)
}

/// One template with the invoices it made, newest first.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Option<RecurringDetail>> {
    let Some(t) = templates(conn, Some(id)).await?.into_iter().next() else {
        return Ok(None);
    };
    let lines = lines(conn, id).await?;
    type RunRow = (NaiveDate, Option<i64>, Option<String>, String, String);
    let rows: Vec<RunRow> = sqlx::query_as(
        "SELECT r.run_on, r.invoice_id, i.number, r.outcome, r.note FROM recurring_runs r
         LEFT JOIN invoices i ON i.id = r.invoice_id WHERE r.recurring_id = ? ORDER BY r.run_on DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let after = made_up_to(conn, &t).await?;
    let runs: Vec<RecurringRun> = rows
        .into_iter()
        .map(|(run_on, invoice, number, outcome, note)| RecurringRun {
            run_on,
            invoice: invoice.map(InvoiceId),
            number,
            issued: outcome == "issued",
            note,
        })
        .collect();
    Ok(Some(RecurringDetail {
        summary: summary(
            &t,
            amount(&t, &lines)?,
            t.schedule.next_after(after),
            runs.len() as i64,
        ),
        notes: t.notes.clone(),
        lines: lines.iter().map(|l| l.description.clone()).collect(),
        runs,
    }))
}

/// Pauses a template, or resumes it from `today`: occurrences while it was paused are skipped.
pub async fn set_paused(
    conn: &mut SqliteConnection,
    id: i64,
    paused: bool,
    today: NaiveDate,
) -> anyhow::Result<bool> {
    let changed = if paused {
        sqlx::query(
            "UPDATE recurring_invoices SET paused_at = ? WHERE id = ? AND paused_at IS NULL",
        )
        .bind(super::now_text())
        .bind(id)
        .execute(conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE recurring_invoices SET paused_at = NULL, resumed_on = ? WHERE id = ? AND paused_at IS NOT NULL",
        )
        .bind(today)
        .bind(id)
        .execute(conn)
        .await?
    };
    Ok(changed.rows_affected() == 1)
}

/// Makes every occurrence due up to `today` that has not been made: after downtime, each
/// missed one once, dated its own day. Each is made in its own write transaction with its
/// run row, so a crash leaves either both or neither. An invoice that cannot be issued (its
/// day is in a locked period) is left a draft, with the reason noted.
pub async fn run_due(
    pool: &SqlitePool,
    actor: &super::audit::Actor,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Made>> {
    let mut conn = pool.acquire().await?;
    let due: Vec<(Template, Vec<NaiveDate>)> = {
        let mut due = Vec::new();
        for t in templates(&mut conn, None).await? {
            if t.paused {
                continue;
            }
            let after = made_up_to(&mut conn, &t).await?;
            let dates = t.schedule.occurrences(after, today);
            if !dates.is_empty() {
                due.push((t, dates));
            }
        }
        due
    };
    drop(conn);
    let mut made = Vec::new();
    for (t, dates) in due {
        for run_on in dates {
            if let Some(m) = make_one(pool, actor, &t, run_on, now).await? {
                made.push(m);
            }
        }
    }
    Ok(made)
}

async fn make_one(
    pool: &SqlitePool,
    actor: &super::audit::Actor,
    t: &Template,
    run_on: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Made>> {
    let mut tx = super::begin_write(pool, actor).await?;
    // Another run (a second server, a click on "Run now") may have made it meanwhile.
    let done: Option<i64> =
        sqlx::query_scalar("SELECT id FROM recurring_runs WHERE recurring_id = ? AND run_on = ?")
            .bind(t.id)
            .bind(run_on)
            .fetch_optional(&mut *tx)
            .await?;
    if done.is_some() {
        return Ok(None);
    }
    let lines = lines(&mut tx, t.id).await?;
    let draft = Draft {
        id: None,
        customer_id: t.customer,
        issue_date: run_on,
        due_date: run_on + Days::new(u64::from(t.terms_days)),
        currency: t.currency,
        pricing: t.pricing,
        notes: t.notes.clone(),
        lines,
    };
    let invoice = invoices::save_draft(&mut tx, &draft)
        .await
        .map_err(|e| anyhow!("recurring invoice {}: {e}", t.id))?;
    let (number, note) = if t.auto_issue {
        // Issued inside a savepoint: if it is refused, the draft stays and says why.
        let mut attempt = tx.begin().await?;
        match invoices::issue_invoice(&mut attempt, invoice, now).await {
            Ok(number) => {
                attempt.commit().await?;
                (Some(number), String::new())
            }
            Err(InvoiceError::Conflict(reason)) => {
                attempt.rollback().await?;
                (None, format!("left as a draft: {reason}"))
            }
            Err(e) => return Err(anyhow!("recurring invoice {}: {e}", t.id)),
        }
    } else {
        (None, String::new())
    };
    sqlx::query(
        "INSERT INTO recurring_runs (recurring_id, run_on, invoice_id, outcome, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(t.id)
    .bind(run_on)
    .bind(invoice.0)
    .bind(if number.is_some() { "issued" } else { "draft" })
    .bind(&note)
    .bind(super::now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Made {
        recurring_id: t.id,
        run_on,
        invoice,
        number,
    }))
}

/// What active templates are expected to bill from `from` to `until`: each occurrence's
/// amount on its due date, for the cash forecast.
pub async fn expected(
    conn: &mut SqliteConnection,
    currency: Currency,
    from: NaiveDate,
    until: NaiveDate,
) -> anyhow::Result<Vec<(NaiveDate, Money)>> {
    let mut out = Vec::new();
    for t in templates(conn, None).await? {
        if t.paused || t.currency != currency {
            continue;
        }
        let lines = lines(conn, t.id).await?;
        let gross = amount(&t, &lines)?;
        let after = made_up_to(conn, &t).await?.max(from.pred_opt());
        for run_on in t.schedule.occurrences(after, until) {
            out.push((run_on + Days::new(u64::from(t.terms_days)), gross));
        }
    }
    Ok(out)
}
