//! `settle demo --scale N`: a synthetic book of N transactions (invoices with lines, full,
//! partial, combined and over-payments, expenses, bills and their payments) written fast
//! enough for benchmarks, yet obeying every rule `settle check` verifies.
//!
//! Entries are built by the same domain rules the app uses and written in batches of
//! multi-row inserts inside the caller's transaction; the triggers that keep the monthly
//! balances run as they do for every posting.

use crate::domain::cash_basis::{cash_postings, settlement_for, Settlement};
use crate::domain::expenses::{expense_entry, split_totals, AmountsAre, ExpenseSplit, PaidFrom};
use crate::domain::posting::{accounts, issue_entry, payment_entry};
use crate::domain::{
    allocate_payment, invoice_totals, AccountCode, Currency, Excess, InvoiceId, JournalEntry,
    LineInput, Money, OpenInvoice, Posting, TaxRounding,
};
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sqlx::SqliteConnection;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

/// How many transactions are written per batch of inserts.
const BATCH: usize = 2_000;
const CUSTOMERS: usize = 1_000;
const VENDORS: usize = 50;

/// What the generator wrote.
#[derive(Debug, Default)]
pub struct GeneratedBook {
    pub invoices: u64,
    pub payments: u64,
    pub expenses: u64,
    pub bills: u64,
    pub bill_payments: u64,
    pub entries: u64,
    pub postings: u64,
}

/// Rows waiting to be written, as SQL value lists, in the order foreign keys need.
#[derive(Default)]
struct Pending {
    entries: Vec<String>,
    postings: Vec<String>,
    cash: Vec<String>,
    invoices: Vec<String>,
    lines: Vec<String>,
    issued: Vec<String>,
    payments: Vec<String>,
    allocations: Vec<String>,
    expenses: Vec<String>,
    expense_lines: Vec<String>,
    bill_payments: Vec<String>,
}

struct OpenDocument {
    id: i64,
    open: Money,
    /// Its entry's income or expense and tax postings, which settling it recognises.
    composition: Vec<Posting>,
    /// The control amounts of the parts settled so far.
    earlier: Vec<Money>,
}

struct Generator {
    rng: StdRng,
    currency: Currency,
    now: String,
    next_entry: i64,
    next_invoice: i64,
    next_payment: i64,
    next_expense: i64,
    next_bill_payment: i64,
    sequence: i64,
    open_invoices: HashMap<i64, VecDeque<OpenDocument>>,
    open_bills: VecDeque<(i64, OpenDocument)>,
    pending: Pending,
    book: GeneratedBook,
}

fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

async fn next_id(conn: &mut SqliteConnection, table: &str) -> sqlx::Result<i64> {
    let max: Option<i64> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MAX(id) FROM {table}")))
            .fetch_one(conn)
            .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Writes `transactions` transactions dated over the three years up to `end`.
pub async fn generate_book(
    conn: &mut SqliteConnection,
    currency: Currency,
    transactions: u64,
    end: NaiveDate,
    seed: u64,
) -> anyhow::Result<GeneratedBook> {
    let customers = create_parties(conn, "customers", CUSTOMERS, currency).await?;
    let vendors = create_parties(conn, "vendors", VENDORS, currency).await?;
    let sequence: i64 =
        sqlx::query_scalar("SELECT next_value FROM number_series WHERE name = 'invoice'")
            .fetch_one(&mut *conn)
            .await?;
    let mut generator = Generator {
        rng: StdRng::seed_from_u64(seed),
        currency,
        now: super::now_text(),
        next_entry: next_id(conn, "journal_entries").await?,
        next_invoice: next_id(conn, "invoices").await?,
        next_payment: next_id(conn, "payments").await?,
        next_expense: next_id(conn, "expenses").await?,
        next_bill_payment: next_id(conn, "bill_payments").await?,
        sequence,
        open_invoices: HashMap::new(),
        open_bills: VecDeque::new(),
        pending: Pending::default(),
        book: GeneratedBook::default(),
    };
    let start = end - Days::new(3 * 365);
    let span = (end - start).num_days().max(1) as u64;
    for k in 0..transactions {
        let date = start + Days::new(k * span / transactions.max(1));
        let roll: f64 = generator.rng.gen();
        let customer = customers[generator.rng.gen_range(0..customers.len())];
        if roll < 0.45 {
            generator.invoice(customer, date)?;
        } else if roll < 0.85 {
            generator.payment(customer, date, k)?;
        } else if roll < 0.95 {
            let vendor = vendors[generator.rng.gen_range(0..vendors.len())];
            generator.expense(vendor, date, k, false)?;
        } else if roll < 0.975 {
            let vendor = vendors[generator.rng.gen_range(0..vendors.len())];
            generator.expense(vendor, date, k, true)?;
        } else {
            generator.pay_bill(date, k)?;
        }
        if (k as usize + 1).is_multiple_of(BATCH) {
            generator.flush(conn).await?;
        }
    }
    generator.flush(conn).await?;
    sqlx::query("UPDATE number_series SET next_value = ? WHERE name = 'invoice'")
        .bind(generator.sequence)
        .execute(&mut *conn)
        .await?;
    // The generator numbers INV-00001 onwards on the running counter; later invoices follow it.
    sqlx::query("UPDATE numbering SET pattern = 'INV-{NNNNN}' WHERE kind = 'invoice'")
        .execute(&mut *conn)
        .await?;
    Ok(generator.book)
}

async fn create_parties(
    conn: &mut SqliteConnection,
    table: &str,
    count: usize,
    currency: Currency,
) -> sqlx::Result<Vec<i64>> {
    let first = next_id(conn, table).await?;
    let now = super::now_text();
    let rows: Vec<String> = (0..count)
        .map(|i| {
            let id = first + i as i64;
            match table {
                "customers" => format!(
                    "({id}, 'Customer {id:05}', 'accounts@customer{id}.example', '{id} Market Street', '', '{}', 30, '', '{now}')",
                    currency.code()
                ),
                _ => format!("({id}, 'Supplier {id:03}', '', '', '{now}')"),
            }
        })
        .collect();
    let columns = match table {
        "customers" => "(id, name, email, billing_address, tax_id, currency, payment_terms_days, notes, created_at)",
        _ => "(id, name, email, tax_id, created_at)",
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {table} {columns} VALUES {}",
        rows.join(",")
    )))
    .execute(conn)
    .await?;
    Ok((first..first + count as i64).collect())
}

impl Generator {
    fn money(&self, minor: i64) -> Money {
        Money::from_minor(minor, self.currency)
    }

    /// Queues an entry, its postings (control postings carry the party) and its cash twin.
    fn post(
        &mut self,
        entry: &JournalEntry,
        source: &str,
        customer: Option<i64>,
        vendor: Option<i64>,
        settlements: &[Settlement],
    ) -> anyhow::Result<i64> {
        let id = self.next_entry;
        self.next_entry += 1;
        let date = entry.date;
        self.pending.entries.push(format!(
            "({id}, '{date}', {}, '{}', '{source}', '{}')",
            text(&entry.memo),
            self.currency.code(),
            self.now
        ));
        for p in entry.postings() {
            let code = p.account.0.as_str();
            let customer = customer
                .filter(|_| code == accounts::RECEIVABLES || code == accounts::CUSTOMER_CREDITS);
            let vendor = vendor.filter(|_| code == accounts::PAYABLES);
            self.pending.postings.push(format!(
                "({id}, '{code}', {}, {}, {}, '{date}')",
                p.amount.to_minor(),
                customer.map_or("NULL".into(), |c| c.to_string()),
                vendor.map_or("NULL".into(), |v| v.to_string()),
            ));
        }
        for p in cash_postings(entry.postings(), settlements)? {
            self.pending.cash.push(format!(
                "({id}, '{date}', '{}', {})",
                p.account.0,
                p.amount.to_minor()
            ));
        }
        self.book.entries += 1;
        self.book.postings += entry.postings().len() as u64;
        Ok(id)
    }

    fn invoice(&mut self, customer: i64, date: NaiveDate) -> anyhow::Result<()> {
        let lines: Vec<LineInput> = (0..self.rng.gen_range(1..4))
            .map(|n| LineInput {
                description: format!("Service {n}"),
                quantity: Decimal::from(self.rng.gen_range(1..10)),
                unit_price: Decimal::new(self.rng.gen_range(1_000..50_000), 2),
                discount_percent: Decimal::ZERO,
                tax_rate: if self.rng.gen_bool(0.9) {
                    Decimal::from(20)
                } else {
                    Decimal::ZERO
                },
                revenue_account: AccountCode::new(if n == 1 { "4100" } else { accounts::SALES }),
                unit: String::new(),
                tax: Default::default(),
            })
            .collect();
        let totals = invoice_totals(&lines, self.currency, TaxRounding::PerDocument);
        let number = format!("INV-{:05}", self.sequence);
        let entry = issue_entry(date, &number, &lines, &totals)?;
        let entry_id = self.post(&entry, "invoice", Some(customer), None, &[])?;
        let id = self.next_invoice;
        self.next_invoice += 1;
        let due = date + Days::new(30);
        let (net, tax, gross) = (
            totals.net.to_minor(),
            totals.tax.to_minor(),
            totals.gross.to_minor(),
        );
        self.pending.invoices.push(format!(
            "({id}, {customer}, 'draft', '{date}', '{due}', '{}', 'per_document', '', {net}, {tax}, {gross}, '{now}', '{now}')",
            self.currency.code(),
            now = self.now
        ));
        for (position, (line, line_net)) in lines.iter().zip(&totals.line_nets).enumerate() {
            self.pending.lines.push(format!(
                "({id}, {position}, {}, {}, {}, 0, {}, '{}', {})",
                text(&line.description),
                super::to_scaled(line.quantity, 4).unwrap_or(0),
                super::to_scaled(line.unit_price, 4).unwrap_or(0),
                super::to_scaled(line.tax_rate, 2).unwrap_or(0),
                line.revenue_account.0,
                line_net.to_minor()
            ));
        }
        self.pending
            .issued
            .push(format!("({id}, {}, '{number}', {entry_id})", self.sequence));
        self.sequence += 1;
        let composition = entry
            .postings()
            .iter()
            .filter(|p| p.account.0 != accounts::RECEIVABLES)
            .cloned()
            .collect();
        self.open_invoices
            .entry(customer)
            .or_default()
            .push_back(OpenDocument {
                id,
                open: totals.gross,
                composition,
                earlier: Vec::new(),
            });
        self.book.invoices += 1;
        Ok(())
    }

    fn payment(&mut self, customer: i64, date: NaiveDate, k: u64) -> anyhow::Result<()> {
        let Some(queue) = self.open_invoices.get(&customer).filter(|q| !q.is_empty()) else {
            return Ok(());
        };
        let open: Vec<OpenInvoice> = queue
            .iter()
            .take(3)
            .map(|d| OpenInvoice {
                invoice: InvoiceId(d.id),
                open: d.open,
            })
            .collect();
        let oldest = open[0].open.to_minor();
        let roll: f64 = self.rng.gen();
        let (amount, excess) = if roll < 0.6 {
            (oldest, Excess::Refuse)
        } else if roll < 0.8 {
            (
                (oldest * self.rng.gen_range(30..80) / 100).max(1),
                Excess::Refuse,
            )
        } else if roll < 0.9 {
            let two: i64 = open.iter().take(2).map(|o| o.open.to_minor()).sum();
            (two, Excess::Refuse)
        } else {
            (oldest + 1_000, Excess::KeepAsCredit)
        };
        let excess = if amount > open.iter().map(|o| o.open.to_minor()).sum() {
            Excess::KeepAsCredit
        } else {
            excess
        };
        let amount = self.money(amount);
        let plan = allocate_payment(amount, &[], &open, excess)?;
        let entry = payment_entry(
            date,
            "Payment received (Bank transfer)".into(),
            crate::domain::posting::accounts::BANK,
            amount,
            &plan,
        )?;
        let queue = self
            .open_invoices
            .get_mut(&customer)
            .expect("checked above");
        let mut settlements = Vec::new();
        for (invoice, part) in &plan.allocations {
            if let Some(doc) = queue.iter_mut().find(|d| d.id == invoice.0) {
                doc.open = doc.open - *part;
                settlements.push(settlement_for(-*part, &doc.composition, &doc.earlier));
                doc.earlier.push(-*part);
            }
        }
        queue.retain(|d| !d.open.is_zero());
        let entry_id = self.post(&entry, "payment", Some(customer), None, &settlements)?;
        let id = self.next_payment;
        self.next_payment += 1;
        self.pending.payments.push(format!(
            "({id}, {customer}, '{date}', {}, '{}', 'bank_transfer', 'GEN-{k}', 'generated-{k}', {entry_id}, '{}')",
            amount.to_minor(),
            self.currency.code(),
            self.now
        ));
        for (invoice, part) in &plan.allocations {
            self.pending
                .allocations
                .push(format!("({id}, {}, {})", invoice.0, part.to_minor()));
        }
        self.book.payments += 1;
        Ok(())
    }

    fn expense(&mut self, vendor: i64, date: NaiveDate, k: u64, bill: bool) -> anyhow::Result<()> {
        const CATEGORIES: [&str; 6] = ["5000", "6100", "6200", "6300", "6400", "6500"];
        let account = CATEGORIES[self.rng.gen_range(0..CATEGORIES.len())];
        let split = ExpenseSplit {
            account: AccountCode::new(account),
            description: String::new(),
            amount: Money::from_minor(self.rng.gen_range(500..200_000), self.currency),
            tax_rate: Decimal::from(20),
        };
        let totals = split_totals(&split, AmountsAre::TaxInclusive);
        let paid_from = if bill {
            PaidFrom::Payables
        } else if self.rng.gen_bool(0.5) {
            PaidFrom::Account(AccountCode::new("2300"))
        } else {
            PaidFrom::Account(AccountCode::new(accounts::BANK))
        };
        let splits = [(split.account.clone(), totals)];
        let entry = expense_entry(date, format!("Supplier {vendor:03}"), &splits, &paid_from)?;
        let source = if bill { "bill" } else { "expense" };
        let entry_id = self.post(&entry, source, None, Some(vendor), &[])?;
        let id = self.next_expense;
        self.next_expense += 1;
        let (kind, due, from) = match &paid_from {
            PaidFrom::Payables => (
                "bill",
                format!("'{}'", date + Days::new(30)),
                "NULL".to_string(),
            ),
            PaidFrom::Account(code) => ("expense", "NULL".to_string(), format!("'{code}'")),
        };
        let (net, tax) = (totals.net.to_minor(), totals.tax.to_minor());
        self.pending.expenses.push(format!(
            "({id}, '{kind}', {vendor}, '{date}', {due}, {from}, '', '', '{}', {net}, {tax}, {}, NULL, {entry_id}, 'generated-expense-{k}', '{}')",
            self.currency.code(),
            net + tax,
            self.now
        ));
        self.pending
            .expense_lines
            .push(format!("({id}, 0, '{account}', '', 2000, {net}, {tax})"));
        if bill {
            let composition = entry
                .postings()
                .iter()
                .filter(|p| p.account.0 != accounts::PAYABLES)
                .cloned()
                .collect();
            self.open_bills.push_back((
                vendor,
                OpenDocument {
                    id,
                    open: totals.net + totals.tax,
                    composition,
                    earlier: Vec::new(),
                },
            ));
            self.book.bills += 1;
        } else {
            self.book.expenses += 1;
        }
        Ok(())
    }

    fn pay_bill(&mut self, date: NaiveDate, k: u64) -> anyhow::Result<()> {
        let Some((vendor, bill)) = self.open_bills.pop_front() else {
            return Ok(());
        };
        let entry = crate::domain::expenses::bill_payment_entry(
            date,
            format!("Bill paid to Supplier {vendor:03}"),
            bill.open,
            &AccountCode::new(accounts::BANK),
        )?;
        let settlement = settlement_for(bill.open, &bill.composition, &bill.earlier);
        let entry_id = self.post(&entry, "bill_payment", None, Some(vendor), &[settlement])?;
        let id = self.next_bill_payment;
        self.next_bill_payment += 1;
        self.pending.bill_payments.push(format!(
            "({id}, {}, '{date}', '{}', {}, {entry_id}, 'generated-bill-payment-{k}', '{}')",
            bill.id,
            accounts::BANK,
            bill.open.to_minor(),
            self.now
        ));
        self.book.bill_payments += 1;
        Ok(())
    }

    /// Writes every queued row, parents before children.
    async fn flush(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let tables: [(&str, &str, Vec<String>); 9] = [
            ("journal_entries", "(id, date, memo, currency, source, created_at)", pending.entries),
            ("postings", "(entry_id, account_code, amount_minor, customer_id, vendor_id, date)", pending.postings),
            ("cash_postings", "(entry_id, date, account_code, amount_minor)", pending.cash),
            ("invoices", "(id, customer_id, lifecycle, issue_date, due_date, currency, tax_rounding, notes, net_minor, tax_minor, total_minor, created_at, updated_at)", pending.invoices),
            ("invoice_lines", "(invoice_id, position, description, quantity_e4, unit_price_e4, discount_bp, tax_rate_bp, revenue_account, net_minor)", pending.lines),
            ("payments", "(id, customer_id, received_on, amount_minor, currency, method, reference, idempotency_key, entry_id, created_at)", pending.payments),
            ("expenses", "(id, kind, vendor_id, date, due_date, paid_from, reference, memo, currency, net_minor, tax_minor, total_minor, receipt_id, entry_id, idempotency_key, created_at)", pending.expenses),
            ("expense_lines", "(expense_id, position, account_code, description, tax_rate_bp, net_minor, tax_minor)", pending.expense_lines),
            ("bill_payments", "(id, bill_id, paid_on, paid_from, amount_minor, entry_id, idempotency_key, created_at)", pending.bill_payments),
        ];
        for (table, columns, rows) in tables {
            insert_rows(conn, table, columns, &rows).await?;
            if table == "invoice_lines" {
                // Lines go in while the invoice is a draft; then it is issued, as in the app.
                issue_rows(conn, &pending.issued).await?;
            }
        }
        // Allocations need their invoices issued.
        insert_rows(
            conn,
            "allocations",
            "(payment_id, invoice_id, amount_minor)",
            &pending.allocations,
        )
        .await
    }
}

async fn insert_rows(
    conn: &mut SqliteConnection,
    table: &str,
    columns: &str,
    rows: &[String],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(500) {
        let mut sql = format!("INSERT INTO {table} {columns} VALUES ");
        sql.push_str(&chunk.join(","));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn issue_rows(conn: &mut SqliteConnection, issued: &[String]) -> sqlx::Result<()> {
    for chunk in issued.chunks(500) {
        let mut sql = String::from(
            "UPDATE invoices SET lifecycle = 'issued', series = 'invoice', sequence = v.column2,
                number = v.column3, issue_entry_id = v.column4,
                billed_name = c.name, billed_address = c.billing_address, billed_email = c.email,
                billed_tax_id = c.tax_id
             FROM (VALUES ",
        );
        let _ = write!(sql, "{}", chunk.join(","));
        sql.push_str(
            ") AS v, customers c WHERE invoices.id = v.column1 AND c.id = invoices.customer_id",
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
