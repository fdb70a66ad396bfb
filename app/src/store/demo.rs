//! `settle demo`: a believable year of a small design studio's business, written through the
//! same store functions the app uses, so the demo books obey every rule the real ones do.

use super::customers::{create_customer, NewCustomer};
use super::invoices::{issue_invoice, save_draft, void_invoice, Draft};
use super::payments::{record_payment, NewPayment};
use crate::api::types::PaymentMethod;
use crate::domain::posting::accounts;
use crate::domain::{AccountCode, Currency, Excess, LineInput, Money, TaxRounding};
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
            currency,
            payment_terms_days: terms,
            notes: String::new(),
        };
        customers.push((create_customer(conn, &customer).await?, terms));
        summary.customers += 1;
    }
    let start = today - Days::new(360);
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
            rounding: TaxRounding::PerDocument,
            notes: String::new(),
            lines: demo_lines(&mut rng),
        };
        let id = save_draft(conn, &draft).await?;
        if n >= 290 {
            summary.drafts += 1;
            continue;
        }
        issue_invoice(conn, id).await?;
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
            // Older part-payers have usually settled the rest by now.
            let rest_on = paid_on + Days::new(30);
            if long_ago && rest_on <= today {
                let rest = NewPayment {
                    amount: total - part,
                    received_on: rest_on,
                    requested: vec![(id, total - part)],
                    ..pay(part, Excess::Refuse, format!("demo-{n}-rest"))
                };
                record_payment(conn, &rest).await?;
                summary.payments += 1;
            }
        }
    }
    Ok(summary)
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
            }
        })
        .collect()
}

/// The customers the demo made, for tests.
pub fn demo_customer_names() -> &'static [&'static str] {
    &CUSTOMERS
}
