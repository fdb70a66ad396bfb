//! The tax summary's figures: invoices recomputed a page at a time from their stored lines,
//! expense lines summed per rate, and on the cash basis each document's share paid.

use crate::domain::tax_summary::{
    cash_share, invoice_rates, tax_summary, RateDocuments, RateFigures, RateTotals,
    TaxContribution, TaxSide, TaxSource, TaxSummary,
};
use crate::domain::{AccountCode, Basis, Currency, LineInput, Money, Period};
use crate::store::{from_scaled, to_scaled};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

/// Where the figures of one side of the return are summed. With a rate to follow, it also
/// keeps every document's part of that rate, so the documents behind a figure are found by
/// the very computation that made it.
#[derive(Default)]
struct Tally {
    totals: RateTotals,
    follow: Option<Decimal>,
    parts: Vec<(TaxSource, i64, i64, i64)>,
}

impl Tally {
    fn following(rate: Decimal) -> Tally {
        Tally {
            follow: Some(rate.normalize()),
            ..Tally::default()
        }
    }

    /// The followed rate in basis points, to narrow queries to documents that have it.
    fn rate_bp(&self) -> Option<i64> {
        self.follow.and_then(|r| to_scaled(r, 2))
    }

    fn add(&mut self, source: TaxSource, document: i64, figures: &[RateFigures], sign: i64) {
        self.totals.add(figures, sign);
        let Some(rate) = self.follow else { return };
        for f in figures.iter().filter(|f| f.rate.normalize() == rate) {
            self.parts.push((
                source,
                document,
                sign * f.base.to_minor(),
                sign * f.tax.to_minor(),
            ));
        }
    }
}

/// Documents read per query when a figure has to be recomputed document by document.
const PAGE: i64 = 200;

/// Which invoices of a period a tax figure is built from, and how much of each counts.
#[derive(Clone, Copy)]
enum InvoiceSet {
    Issued,
    Voided,
    Paid,
}

impl InvoiceSet {
    /// The condition on `invoices` and the amount of each invoice that counts, in SQL; both
    /// read the period as ?1 and ?2.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            InvoiceSet::Issued => (
                "issue_date BETWEEN ?1 AND ?2 AND lifecycle <> 'draft'",
                "total_minor",
            ),
            InvoiceSet::Voided => (
                "lifecycle = 'void'
                 AND (SELECT j.date FROM journal_entries j WHERE j.id = void_entry_id) BETWEEN ?1 AND ?2",
                "total_minor",
            ),
            // Money received in the period, credit applied in it, and payments reversed in it
            // (which take back, on their own day, what they had paid).
            InvoiceSet::Paid => (
                "id IN (SELECT a.invoice_id FROM payments p JOIN allocations a ON a.payment_id = p.id
                        WHERE p.received_on BETWEEN ?1 AND ?2 AND a.entry_id IS NULL
                    UNION SELECT a.invoice_id FROM journal_entries j JOIN allocations a ON a.entry_id = j.id
                        WHERE j.date BETWEEN ?1 AND ?2
                    UNION SELECT a.invoice_id FROM payment_reversals r JOIN allocations a ON a.payment_id = r.payment_id
                        WHERE r.reversed_on BETWEEN ?1 AND ?2)",
                "(SELECT COALESCE(SUM(CASE WHEN a.settled_on BETWEEN ?1 AND ?2 THEN a.amount_minor ELSE 0 END), 0)
                    - COALESCE(SUM(CASE WHEN a.released_on BETWEEN ?1 AND ?2 THEN a.amount_minor ELSE 0 END), 0)
                  FROM dated_allocations a WHERE a.invoice_id = invoices.id)",
            ),
        }
    }
}

type InvoiceLineRow = (
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    String,
    i64,
);

/// Adds each invoice of a set, a page at a time: its per-rate figures recomputed from its
/// lines, or on the cash basis the share of them the money received in the period pays.
async fn add_invoices(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    set: InvoiceSet,
    tally: &mut Tally,
    sign: i64,
) -> sqlx::Result<()> {
    let (condition, moved) = set.sql();
    let source = match set {
        InvoiceSet::Issued => TaxSource::Invoice,
        InvoiceSet::Voided => TaxSource::InvoiceVoid,
        InvoiceSet::Paid => TaxSource::InvoicePaid,
    };
    // Following a rate, only invoices with a line at that rate can contribute to it.
    let rate_filter = match tally.rate_bp() {
        Some(_) => "AND id IN (SELECT invoice_id FROM invoice_lines WHERE tax_rate_bp = ?5)",
        None => "",
    };
    let sql = format!(
        "SELECT i.id, i.tax_rounding, i.moved, l.quantity_e4, l.unit_price_e4, l.discount_bp,
            l.tax_rate_bp, l.revenue_account, i.price_entry, i.discount_kind, i.discount_e4
         FROM (SELECT id, tax_rounding, price_entry, discount_kind, discount_e4, {moved} AS moved
               FROM invoices
               WHERE {condition} AND id > ?3 {rate_filter} ORDER BY id LIMIT ?4) i
         JOIN invoice_lines l ON l.invoice_id = i.id ORDER BY i.id, l.position"
    );
    let mut after = 0;
    loop {
        let rows: Vec<InvoiceLineRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(period.from)
            .bind(period.to)
            .bind(after)
            .bind(PAGE)
            .bind(tally.rate_bp())
            .fetch_all(&mut *conn)
            .await?;
        let mut documents = 0;
        let mut start = 0;
        while start < rows.len() {
            let id = rows[start].0;
            let end = start + rows[start..].iter().take_while(|r| r.0 == id).count();
            let lines: Vec<LineInput> = rows[start..end].iter().map(line_input).collect();
            let (_, rounding, paid, _, _, _, _, _, entry, kind, e4) = &rows[start];
            let pricing = crate::store::pricing::from_columns(rounding, entry, kind, *e4);
            let rates = invoice_rates(&lines, currency, pricing);
            let rates = match set {
                // Money received pays what the invoice still asks for after its credit notes.
                InvoiceSet::Paid => {
                    let credited = credited_rates(conn, currency, id).await?;
                    let mut left = RateTotals::default();
                    left.add(&rates, 1);
                    left.add(&credited, -1);
                    cash_share(&left.figures(currency), Money::from_minor(*paid, currency))
                }
                _ => rates,
            };
            // Paid and taken back within the period: nothing moved, so no document to show.
            if !matches!(set, InvoiceSet::Paid) || *paid != 0 {
                tally.add(source, id, &rates, sign);
            }
            documents += 1;
            after = id;
            start = end;
        }
        if documents < PAGE {
            return Ok(());
        }
    }
}

/// What an invoice's credit notes took back, per rate; nothing for most invoices.
async fn credited_rates(
    conn: &mut SqliteConnection,
    currency: Currency,
    invoice: i64,
) -> sqlx::Result<Vec<RateFigures>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT t.tax_rate_bp, SUM(t.base_minor), SUM(t.tax_minor) FROM credit_note_taxes t
         JOIN credit_notes c ON c.id = t.credit_note_id WHERE c.invoice_id = ? GROUP BY t.tax_rate_bp",
    )
    .bind(invoice)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| rate_row(currency, r)).collect())
}

/// On the accrual basis: the credit notes dated in the period take back their figures, per
/// rate (and per credit note when a rate is followed).
async fn add_credit_notes(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    tally: &mut Tally,
) -> sqlx::Result<()> {
    let rows: Vec<(i64, i64, i64, i64)> = match tally.rate_bp() {
        None => {
            sqlx::query_as(
                "SELECT 0, t.tax_rate_bp, SUM(t.base_minor), SUM(t.tax_minor) FROM credit_note_taxes t
                 JOIN credit_notes c ON c.id = t.credit_note_id WHERE c.date BETWEEN ? AND ?
                 GROUP BY t.tax_rate_bp",
            )
            .bind(period.from)
            .bind(period.to)
            .fetch_all(&mut *conn)
            .await?
        }
        Some(rate) => {
            sqlx::query_as(
                "SELECT c.id, t.tax_rate_bp, SUM(t.base_minor), SUM(t.tax_minor) FROM credit_note_taxes t
                 JOIN credit_notes c ON c.id = t.credit_note_id
                 WHERE c.date BETWEEN ? AND ? AND t.tax_rate_bp = ?
                 GROUP BY c.id, t.tax_rate_bp ORDER BY c.id",
            )
            .bind(period.from)
            .bind(period.to)
            .bind(rate)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    for (id, rate, base, tax) in rows {
        tally.add(
            TaxSource::CreditNote,
            id,
            &[rate_row(currency, (rate, base, tax))],
            -1,
        );
    }
    Ok(())
}

fn line_input(row: &InvoiceLineRow) -> LineInput {
    let (_, _, _, quantity, price, discount, rate, account, ..) = row;
    LineInput {
        description: String::new(),
        quantity: from_scaled(*quantity, 4),
        unit_price: from_scaled(*price, 4),
        discount_percent: from_scaled(*discount, 2),
        tax_rate: from_scaled(*rate, 2),
        revenue_account: AccountCode(account.clone()),
        unit: String::new(),
        tax: Default::default(),
    }
}

fn rate_row(currency: Currency, (rate, base, tax): (i64, i64, i64)) -> RateFigures {
    RateFigures {
        rate: from_scaled(rate, 2),
        base: Money::from_minor(base, currency),
        tax: Money::from_minor(tax, currency),
    }
}

/// Input tax of expenses (and on the accrual basis bills) dated in the period, per rate. A
/// void one is reversed on its own day, so it counts in no period.
async fn add_expenses(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    kinds: &str,
    tally: &mut Tally,
) -> sqlx::Result<()> {
    // Summed per rate, or per document and rate when a rate is followed.
    let (document, rate_filter, group) = match tally.rate_bp() {
        None => ("0, 'expense'", "", "l.tax_rate_bp"),
        Some(_) => (
            "e.id, e.kind",
            "AND l.tax_rate_bp = ?3",
            "e.id, l.tax_rate_bp",
        ),
    };
    let rows: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {document}, l.tax_rate_bp, SUM(l.net_minor), SUM(l.tax_minor)
         FROM expenses e JOIN expense_lines l ON l.expense_id = e.id
         WHERE e.date BETWEEN ?1 AND ?2 AND e.kind IN ({kinds}) {rate_filter}
            AND NOT EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = e.id)
         GROUP BY {group} ORDER BY {group}"
    )))
    .bind(period.from)
    .bind(period.to)
    .bind(tally.rate_bp())
    .fetch_all(conn)
    .await?;
    for (id, kind, rate, net, tax) in rows {
        let source = if kind == "bill" {
            TaxSource::Bill
        } else {
            TaxSource::Expense
        };
        tally.add(source, id, &[rate_row(currency, (rate, net, tax))], 1);
    }
    Ok(())
}

/// On the cash basis: each bill's share of input tax that its payments in the period paid.
async fn add_bill_payments(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    tally: &mut Tally,
) -> sqlx::Result<()> {
    let mut after = 0;
    loop {
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT b.id, b.paid, l.tax_rate_bp, SUM(l.net_minor), SUM(l.tax_minor)
             FROM (SELECT e.id, (SELECT SUM(p.amount_minor) FROM bill_payments p
                       WHERE p.bill_id = e.id AND p.paid_on BETWEEN ?1 AND ?2) AS paid
                   FROM expenses e WHERE e.id IN (SELECT bill_id FROM bill_payments
                       WHERE paid_on BETWEEN ?1 AND ?2) AND e.id > ?3
                       AND NOT EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = e.id)
                   ORDER BY e.id LIMIT ?4) b
             JOIN expense_lines l ON l.expense_id = b.id
             GROUP BY b.id, l.tax_rate_bp ORDER BY b.id, l.tax_rate_bp",
        )
        .bind(period.from)
        .bind(period.to)
        .bind(after)
        .bind(PAGE)
        .fetch_all(&mut *conn)
        .await?;
        let mut documents = 0;
        for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
            let rates: Vec<RateFigures> = chunk
                .iter()
                .map(|(_, _, rate, net, tax)| rate_row(currency, (*rate, *net, *tax)))
                .collect();
            tally.add(
                TaxSource::BillPaid,
                chunk[0].0,
                &cash_share(&rates, Money::from_minor(chunk[0].1, currency)),
                1,
            );
            documents += 1;
            after = chunk[0].0;
        }
        if documents < PAGE {
            return Ok(());
        }
    }
}

/// Sums one side of the return into `tally`.
async fn add_side(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    period: Period,
    side: TaxSide,
    tally: &mut Tally,
) -> sqlx::Result<()> {
    match (basis, side) {
        (Basis::Accrual, TaxSide::Output) => {
            add_invoices(conn, currency, period, InvoiceSet::Issued, tally, 1).await?;
            add_invoices(conn, currency, period, InvoiceSet::Voided, tally, -1).await?;
            add_credit_notes(conn, currency, period, tally).await
        }
        (Basis::Accrual, TaxSide::Input) => {
            add_expenses(conn, currency, period, "'expense', 'bill'", tally).await
        }
        // A voided invoice never had money against it, so voids change nothing here.
        (Basis::Cash, TaxSide::Output) => {
            add_invoices(conn, currency, period, InvoiceSet::Paid, tally, 1).await
        }
        (Basis::Cash, TaxSide::Input) => {
            add_expenses(conn, currency, period, "'expense'", tally).await?;
            add_bill_payments(conn, currency, period, tally).await
        }
    }
}

/// The documents behind one rate of one side of the tax summary, each with its part of the
/// rate's base and tax, one page (of `per_page`) at a time: invoices, then their voids and
/// credit notes, then expenses and bills, each in the order they were made. All pages
/// together add up to the summary's row for that rate.
pub async fn tax_documents_for(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    period: Period,
    (side, rate): (TaxSide, Decimal),
    (page, per_page): (u32, u32),
) -> sqlx::Result<RateDocuments> {
    let mut tally = Tally::following(rate);
    add_side(conn, currency, basis, period, side, &mut tally).await?;
    let mut parts = tally.parts;
    parts.sort_by_key(|(source, id, ..)| (*source as u8, *id));
    let count = parts.len() as u64;
    let base = Money::from_minor(parts.iter().map(|p| p.2).sum(), currency);
    let tax = Money::from_minor(parts.iter().map(|p| p.3).sum(), currency);
    let per_page = per_page.max(1);
    let pages = u32::try_from(count.div_ceil(u64::from(per_page)))
        .unwrap_or(u32::MAX)
        .max(1);
    let page = page.clamp(1, pages);
    let mut documents = Vec::new();
    let skip = (page as usize - 1) * per_page as usize;
    for &(source, id, base, tax) in parts.iter().skip(skip).take(per_page as usize) {
        let (number, date, party) = describe(conn, source, id).await?;
        documents.push(TaxContribution {
            source,
            id,
            number,
            date,
            party,
            base: Money::from_minor(base, currency),
            tax: Money::from_minor(tax, currency),
        });
    }
    Ok(RateDocuments {
        period,
        basis,
        side,
        rate: rate.normalize(),
        documents,
        base,
        tax,
        count,
        page,
        pages,
    })
}

/// A document's number, the day it counts on and the other party's name.
async fn describe(
    conn: &mut SqliteConnection,
    source: TaxSource,
    id: i64,
) -> sqlx::Result<(String, NaiveDate, String)> {
    let sql = match source {
        TaxSource::Invoice | TaxSource::InvoicePaid => {
            "SELECT i.number, i.issue_date, c.name FROM invoices i
             JOIN customers c ON c.id = i.customer_id WHERE i.id = ?"
        }
        TaxSource::InvoiceVoid => {
            "SELECT i.number, j.date, c.name FROM invoices i
             JOIN customers c ON c.id = i.customer_id
             JOIN journal_entries j ON j.id = i.void_entry_id WHERE i.id = ?"
        }
        TaxSource::CreditNote => {
            "SELECT n.number, n.date, c.name FROM credit_notes n
             JOIN customers c ON c.id = n.customer_id WHERE n.id = ?"
        }
        TaxSource::Expense | TaxSource::Bill | TaxSource::BillPaid => {
            "SELECT CASE WHEN e.reference <> '' THEN e.reference ELSE '#' || e.id END, e.date, v.name
             FROM expenses e JOIN vendors v ON v.id = e.vendor_id WHERE e.id = ?"
        }
    };
    sqlx::query_as(sql).bind(id).fetch_one(conn).await
}

/// Output and input tax per rate over a period on either basis.
pub async fn tax_summary_for(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    period: Period,
) -> sqlx::Result<TaxSummary> {
    let mut output = Tally::default();
    let mut input = Tally::default();
    add_side(conn, currency, basis, period, TaxSide::Output, &mut output).await?;
    add_side(conn, currency, basis, period, TaxSide::Input, &mut input).await?;
    let mut summary = tax_summary(period, basis, currency, &output.totals, &input.totals);
    let table = match basis {
        Basis::Accrual => "postings",
        Basis::Cash => "cash_postings",
    };
    let (manual_output, manual_input): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(-SUM(CASE WHEN p.account_code = ?1 THEN p.amount_minor END), 0),
                COALESCE(SUM(CASE WHEN p.account_code = ?2 THEN p.amount_minor END), 0)
         FROM {table} p JOIN journal_entries e ON e.id = p.entry_id
         WHERE e.source = 'journal' AND p.account_code IN (?1, ?2) AND p.date BETWEEN ?3 AND ?4"
    )))
    .bind(crate::domain::posting::accounts::TAX_PAYABLE)
    .bind(crate::domain::posting::accounts::INPUT_TAX)
    .bind(period.from)
    .bind(period.to)
    .fetch_one(&mut *conn)
    .await?;
    summary.manual_output = Money::from_minor(manual_output, currency);
    summary.manual_input = Money::from_minor(manual_input, currency);
    Ok(summary)
}
