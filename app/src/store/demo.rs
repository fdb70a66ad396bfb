//! `settle demo`: a believable year of a small design studio's business, written through the
//! same store functions the app uses, so the demo books obey every rule the real ones do.

use super::corrections::write_off_invoice;
use super::credit_notes::{create_credit_note, NewCreditNote};
use super::customers::{create_customer, NewCustomer};
use super::expenses::{pay_bill, record_expense, NewExpense};
use super::invoices::{issue_invoice, save_draft, void_invoice, Draft};
use super::journal::post_manual_entry;
use super::payments::{record_payment, NewPayment};
use crate::api::types::PaymentMethod;
use crate::domain::expenses::{AmountsAre, ExpenseSplit};
use crate::domain::journal::ManualLine;
use crate::domain::posting::accounts;
use crate::domain::{AccountCode, Currency, Excess, LineInput, Money};
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

const CUSTOMERS: [&str; 25] = [
    "Harbor Cafe",
    "Northwind Bakery",
    "Bluebell Florists",
    "Kestrel Cycles",
    "Mill Lane Dental",
    "Oakridge Architects",
    "Pebble & Pine Interiors",
    "Quayside Books",
    "Riverside Yoga",
    "Saltmarsh Brewery",
    "Tidewater Sailing Club",
    "Upland Farm Shop",
    "Vale Physiotherapy",
    "Willow Tree Nursery",
    "Yardley Joinery",
    "Amber Lane Hotel",
    "Beacon Legal",
    "Cobalt Coffee Roasters",
    "Driftwood Surf School",
    "Elm Street Vets",
    "Foxglove Theatre",
    "Greenhouse Deli",
    "Hollybush Pub",
    "Ironbridge Gym",
    "Juniper Wedding Films",
];

/// (description, unit price in pence, revenue account, tax rate %)
const SERVICES: [(&str, i64, &str, i64); 8] = [
    ("Brand identity design", 145_000, accounts::SALES, 20),
    ("Web design, per hour", 6500, "4100", 20),
    ("Photography, day rate", 72_000, "4100", 20),
    ("Print production", 31_050, accounts::SALES, 20),
    ("Design consultation, per hour", 8500, "4100", 20),
    ("Illustration", 48_000, accounts::SALES, 20),
    ("Website hosting, annual", 24_000, accounts::SALES, 20),
    ("Printed books (zero-rated)", 1299, accounts::SALES, 0),
];

/// How many of each thing the demo made.
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub customers: usize,
    pub invoices: usize,
    pub drafts: usize,
    pub voided: usize,
    pub payments: usize,
    pub expenses: usize,
    pub bills: usize,
}

/// Fills the database with a year of business ending `today`. Runs in the caller's
/// transaction; the same seed gives the same books.
pub async fn fill_demo(
    conn: &mut SqliteConnection,
    currency: Currency,
    today: NaiveDate,
    seed: u64,
) -> anyhow::Result<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut summary = DemoSummary::default();
    let mut customers = Vec::new();
    for name in CUSTOMERS {
        let slug: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let terms = [14, 14, 30, 30, 7][rng.gen_range(0..5)];
        let customer = NewCustomer {
            name: name.to_string(),
            email: format!("accounts@{slug}.example"),
            billing_address: format!(
                "{} High Street\nPortsmouth\nPO1 {}AB",
                rng.gen_range(1..200),
                rng.gen_range(1..9)
            ),
            tax_id: if rng.gen_bool(0.6) {
                format!("GB{}", rng.gen_range(100_000_000..999_999_999))
            } else {
                String::new()
            },
            payment_reference: String::new(),
            currency,
            payment_terms_days: terms,
            notes: String::new(),
        };
        customers.push((create_customer(conn, &customer).await?, terms));
        summary.customers += 1;
    }
    let start = today - Days::new(360);
    let zone = super::business::get_business(conn).await?.time_zone;
    fill_spending(conn, currency, start, today, &mut rng, &mut summary).await?;
    for n in 0..300u64 {
        let issue_date = start + Days::new(n * 360 / 300 + rng.gen_range(0..2));
        let issue_date = issue_date.min(today);
        let (customer, terms) = customers[rng.gen_range(0..customers.len())];
        let draft = Draft {
            id: None,
            customer_id: customer,
            issue_date,
            due_date: issue_date + Days::new(u64::from(terms)),
            currency,
            pricing: crate::domain::Pricing::default(),
            notes: String::new(),
            lines: demo_lines(&mut rng),
        };
        let id = save_draft(conn, &draft).await?;
        if n >= 290 {
            summary.drafts += 1;
            continue;
        }
        issue_invoice(conn, id, noon(issue_date)).await?;
        summary.invoices += 1;
        let total: i64 = sqlx::query_scalar("SELECT total_minor FROM invoices WHERE id = ?")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
        let total = Money::from_minor(total, currency);
        let roll: f64 = rng.gen();
        let paid_on = issue_date + Days::new(rng.gen_range(2..45));
        let pay = |amount: Money, excess: Excess, key: String| NewPayment {
            customer,
            bank_account_id: 1,
            amount,
            received_on: paid_on,
            method: [
                PaymentMethod::BankTransfer,
                PaymentMethod::Card,
                PaymentMethod::Cheque,
            ][(n % 3) as usize],
            reference: format!("Ref {}", 10_000 + n),
            requested: vec![(id, amount.min(total))],
            excess,
            idempotency_key: key,
            fee: None,
        };
        // Most customers pay; the ones who have not yet are mostly recent.
        let long_ago = issue_date < today - Days::new(75);
        if roll < 0.03 {
            void_invoice(conn, id, issue_date + Days::new(3)).await?;
            summary.voided += 1;
        } else if paid_on > today {
            continue;
        } else if roll < 0.72 || (roll >= 0.88 && long_ago) {
            record_payment(conn, &pay(total, Excess::Refuse, format!("demo-{n}-full"))).await?;
            summary.payments += 1;
        } else if roll < 0.77 {
            let extra = Money::from_minor(rng.gen_range(1..50) * 100, currency);
            record_payment(
                conn,
                &pay(
                    total + extra,
                    Excess::KeepAsCredit,
                    format!("demo-{n}-over"),
                ),
            )
            .await?;
            summary.payments += 1;
        } else if roll < 0.88 {
            let part = Money::new(
                total.amount() * Decimal::new(rng.gen_range(30..70), 2),
                currency,
            );
            record_payment(conn, &pay(part, Excess::Refuse, format!("demo-{n}-part"))).await?;
            summary.payments += 1;
            // Older part-payers have usually settled the rest by now: some after a credit note
            // for part of it, and one in four never, so the rest is written off.
            let rest_on = paid_on + Days::new(30);
            if long_ago && rest_on <= today && n % 4 == 1 {
                write_off_invoice(conn, id, rest_on, "Customer stopped trading")
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                continue;
            }
            let mut rest_amount = total - part;
            if long_ago && rest_on <= today && n % 4 == 2 {
                let credit = Money::new(rest_amount.amount() * Decimal::new(40, 2), currency);
                let note = NewCreditNote {
                    invoice: id,
                    amount: credit,
                    date: paid_on + Days::new(10),
                    reason: "Agreed discount for a late delivery".to_string(),
                    idempotency_key: format!("demo-{n}-credit"),
                };
                create_credit_note(conn, &note, zone, noon(note.date))
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                rest_amount = rest_amount - credit;
            }
            if long_ago && rest_on <= today {
                let rest = NewPayment {
                    amount: rest_amount,
                    received_on: rest_on,
                    requested: vec![(id, rest_amount)],
                    ..pay(part, Excess::Refuse, format!("demo-{n}-rest"))
                };
                record_payment(conn, &rest).await?;
                summary.payments += 1;
            }
        }
    }
    Ok(summary)
}

/// Midday UTC of a day: when the demo numbers a document dated that day.
fn noon(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

/// The studio's side of the books: an opening balance, rent billed monthly and paid a few
/// days later, software on the card, supplies now and then, and the card paid off monthly.
async fn fill_spending(
    conn: &mut SqliteConnection,
    currency: Currency,
    start: NaiveDate,
    today: NaiveDate,
    rng: &mut StdRng,
    summary: &mut DemoSummary,
) -> anyhow::Result<()> {
    let money = |minor: i64| Money::from_minor(minor, currency);
    let opening = [
        ManualLine {
            account: AccountCode::new(accounts::BANK),
            debit: money(800_000),
            credit: money(0),
        },
        ManualLine {
            account: AccountCode::new("3000"),
            debit: money(0),
            credit: money(800_000),
        },
    ];
    post_manual_entry(conn, start, "Opening balance", &opening, currency)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let split = |account: &str, description: &str, minor: i64, rate: i64| ExpenseSplit {
        account: AccountCode::new(account),
        description: description.to_string(),
        amount: money(minor),
        tax_rate: Decimal::from(rate),
    };
    let mut month = start;
    let mut n = 0;
    while month <= today {
        n += 1;
        let spend = |vendor: &str,
                     date: NaiveDate,
                     paid_from: Option<&str>,
                     due: Option<NaiveDate>,
                     splits: Vec<ExpenseSplit>,
                     key: String| NewExpense {
            vendor: vendor.to_string(),
            date,
            paid_from: paid_from.map(AccountCode::new),
            due_date: due,
            reference: format!("R-{}", 5000 + n),
            memo: String::new(),
            amounts: AmountsAre::TaxInclusive,
            splits,
            receipt_id: None,
            idempotency_key: key,
        };
        let rent = spend(
            "Harbourside Properties",
            month,
            None,
            Some(month + Days::new(14)),
            vec![split("6200", "Studio rent", 96_000, 20)],
            format!("demo-rent-{n}"),
        );
        let bill = record_expense(conn, &rent, currency)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        summary.bills += 1;
        let paid_on = month + Days::new(rng.gen_range(3..12));
        if paid_on <= today {
            pay_bill(
                conn,
                bill,
                paid_on,
                &AccountCode::new(accounts::BANK),
                money(96_000),
                &format!("demo-rent-paid-{n}"),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let contractors_on = (month + Days::new(20)).min(today);
        let contractors = spend(
            "Northbank Freelance Collective",
            contractors_on,
            None,
            Some(contractors_on + Days::new(30)),
            vec![split(
                "5000",
                "Freelance design and photography",
                rng.gen_range(600_000..1_400_000),
                20,
            )],
            format!("demo-contractors-{n}"),
        );
        let owed = record_expense(conn, &contractors, currency)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        summary.bills += 1;
        let settled_on = contractors_on + Days::new(rng.gen_range(20..40));
        if settled_on <= today {
            let total: i64 = sqlx::query_scalar("SELECT total_minor FROM expenses WHERE id = ?")
                .bind(owed)
                .fetch_one(&mut *conn)
                .await?;
            pay_bill(
                conn,
                owed,
                settled_on,
                &AccountCode::new(accounts::BANK),
                money(total),
                &format!("demo-contractors-paid-{n}"),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let software_on = (month + Days::new(2)).min(today);
        let software = spend(
            "Cloudworks Software",
            software_on,
            Some("2300"),
            None,
            vec![
                split("6300", "Design suite licence", 5_999, 20),
                split("6300", "File hosting", 1_200, 20),
            ],
            format!("demo-software-{n}"),
        );
        record_expense(conn, &software, currency)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        summary.expenses += 1;
        let supplies_on = (month + Days::new(rng.gen_range(5..25))).min(today);
        if rng.gen_bool(0.6) {
            let supplies = spend(
                "Quayside Stationers",
                supplies_on,
                Some("2300"),
                None,
                vec![split(
                    "6100",
                    "Paper and ink",
                    rng.gen_range(1_500..9_000),
                    20,
                )],
                format!("demo-supplies-{n}"),
            );
            record_expense(conn, &supplies, currency)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            summary.expenses += 1;
        }
        // Paying off last month's card from the bank.
        let card_due: i64 = sqlx::query_scalar("SELECT COALESCE(-SUM(amount_minor), 0) FROM postings WHERE account_code = '2300' AND date < ?")
            .bind(month)
            .fetch_one(&mut *conn)
            .await?;
        if card_due > 0 {
            let lines = [
                ManualLine {
                    account: AccountCode::new("2300"),
                    debit: money(card_due),
                    credit: money(0),
                },
                ManualLine {
                    account: AccountCode::new(accounts::BANK),
                    debit: money(0),
                    credit: money(card_due),
                },
            ];
            post_manual_entry(conn, month, "Credit card paid off", &lines, currency)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        month = month + chrono::Months::new(1);
    }
    Ok(())
}

fn demo_lines(rng: &mut StdRng) -> Vec<LineInput> {
    (0..rng.gen_range(1..4))
        .map(|_| {
            let (description, price, account, rate) = SERVICES[rng.gen_range(0..SERVICES.len())];
            let quantity = if price < 10_000 {
                rng.gen_range(2..30)
            } else {
                rng.gen_range(1..3)
            };
            LineInput {
                description: description.to_string(),
                quantity: Decimal::from(quantity),
                unit_price: Decimal::new(price, 2),
                discount_percent: if rng.gen_bool(0.15) {
                    Decimal::from(10)
                } else {
                    Decimal::ZERO
                },
                tax_rate: Decimal::from(rate),
                revenue_account: AccountCode::new(account),
                unit: String::new(),
                tax: Default::default(),
            }
        })
        .collect()
}

/// The customers the demo made, for tests.
pub fn demo_customer_names() -> &'static [&'static str] {
    &CUSTOMERS
}
