//! Values the domain's tests share: the worked example of Harbor Cafe's March invoice, small
//! constructors that keep tests readable, and generators for the property tests.

use super::money::{Currency, Money};
use super::posting::{accounts, AccountCode};
use super::totals::{LineInput, TaxRounding};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The day Harbor Cafe's invoice is issued.
pub const HARBOR_CAFE_ISSUED: &str = "2026-03-02";
/// The day it falls due (14 days' terms).
pub const HARBOR_CAFE_DUE: &str = "2026-03-16";

/// A decimal written as text, so tests read like the documents they describe.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal literal")
}

/// A currency Settle knows.
pub fn currency(code: &str) -> Currency {
    Currency::parse(code).expect("a known currency")
}

/// An amount of pounds sterling.
pub fn gbp(text: &str) -> Money {
    Money::new(dec(text), currency("GBP"))
}

/// A calendar day written as `2026-03-16`.
pub fn day(text: &str) -> NaiveDate {
    NaiveDate::from_str(text).expect("a date like 2026-03-16")
}

/// A line credited to the default sales account.
pub fn line(
    description: &str,
    quantity: &str,
    unit_price: &str,
    discount: &str,
    tax_rate: &str,
) -> LineInput {
    LineInput {
        description: description.to_string(),
        quantity: dec(quantity),
        unit_price: dec(unit_price),
        discount_percent: dec(discount),
        tax_rate: dec(tax_rate),
        revenue_account: AccountCode::new(accounts::SALES),
        unit: String::new(),
        tax: Default::default(),
    }
}

/// Harbor Cafe's invoice: service hours and descaling kits at 20% VAT, a call-out fee at 0%.
pub fn harbor_cafe_lines() -> Vec<LineInput> {
    vec![
        line("Service hours", "12", "45.50", "0", "20"),
        line("Descaling kits", "3", "19.99", "10", "20"),
        line("Call-out fee", "1", "120.00", "0", "0"),
    ]
}

/// Currencies with 2, 0 and 3 decimal places.
pub fn any_currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["GBP", "JPY", "BHD"]).prop_map(currency)
}

/// Either way of rounding tax.
pub fn any_rounding() -> impl Strategy<Value = TaxRounding> {
    prop_oneof![Just(TaxRounding::PerDocument), Just(TaxRounding::PerLine)]
}

/// A line as a person could type it: quantity 0.0001 to 10000 and unit price 0 to 100000
/// with up to 4 decimals, discount 0 to 100% with up to 2, one of the common tax rates.
/// Free lines and full discounts are made likely, so zero totals are generated too.
pub fn any_line() -> impl Strategy<Value = LineInput> {
    let quantity = 1i64..=100_000_000;
    let unit_price = prop_oneof![1 => Just(0i64), 9 => 0i64..=1_000_000_000];
    let discount = prop_oneof![1 => Just(10_000i64), 9 => 0i64..=10_000];
    let tax_rate = prop::sample::select(vec!["0", "5", "7.5", "20", "21"]);
    let account = prop::sample::select(vec![accounts::SALES, "4100"]);
    (quantity, unit_price, discount, tax_rate, account).prop_map(|(q, p, d, rate, account)| {
        LineInput {
            description: "Generated line".to_string(),
            quantity: Decimal::new(q, 4),
            unit_price: Decimal::new(p, 4),
            discount_percent: Decimal::new(d, 2),
            tax_rate: dec(rate),
            revenue_account: AccountCode::new(account),
            unit: String::new(),
            tax: Default::default(),
        }
    })
}
