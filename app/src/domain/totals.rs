//! Invoice totals the EN 16931 way: each line's net is rounded to the minor unit, tax is
//! computed per rate on the document's summed line nets and rounded once (or, as a business
//! setting, per line), half away from zero.

use super::money::{round_money, Currency, Money};
use super::posting::AccountCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One line as written on a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineInput {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// Percentage taken off the line, 0 to 100.
    pub discount_percent: Decimal,
    /// Tax rate in percent (20 for 20%).
    pub tax_rate: Decimal,
    pub revenue_account: AccountCode,
}

/// Where tax is rounded: once per rate on the document (EN 16931, the default) or on
/// every line before summing (some businesses' legacy practice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxRounding {
    #[default]
    PerDocument,
    PerLine,
}

/// The tax of one rate: the taxable base (summed line nets) and the tax on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxLine {
    pub rate: Decimal,
    pub base: Money,
    pub tax: Money,
}

/// Totals of a document, identical wherever they are shown or posted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceTotals {
    /// Each line's net amount, in line order.
    pub line_nets: Vec<Money>,
    /// One entry per distinct tax rate, ascending by rate.
    pub taxes: Vec<TaxLine>,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
}

impl InvoiceTotals {
    /// Net revenue per revenue account, for posting.
    pub fn net_by_account(&self, lines: &[LineInput]) -> Vec<(AccountCode, Money)> {
        let mut by_account: BTreeMap<AccountCode, Money> = BTreeMap::new();
        for (line, net) in lines.iter().zip(&self.line_nets) {
            let entry = by_account.entry(line.revenue_account.clone()).or_insert(Money::zero(net.currency()));
            *entry = *entry + *net;
        }
        by_account.into_iter().collect()
    }
}

/// A line's net: quantity × unit price less its discount, rounded to the minor unit.
pub fn line_net(line: &LineInput, currency: Currency) -> Money {
    let gross = line.quantity * line.unit_price;
    let discount = gross * line.discount_percent / Decimal::ONE_HUNDRED;
    Money::new(gross - discount, currency)
}

/// Computes a document's totals.
pub fn invoice_totals(lines: &[LineInput], currency: Currency, rounding: TaxRounding) -> InvoiceTotals {
    let line_nets: Vec<Money> = lines.iter().map(|l| line_net(l, currency)).collect();
    let mut per_rate: BTreeMap<Decimal, (Money, Decimal)> = BTreeMap::new();
    for (line, net) in lines.iter().zip(&line_nets) {
        let raw_tax = net.amount() * line.tax_rate / Decimal::ONE_HUNDRED;
        let tax = match rounding {
            TaxRounding::PerDocument => raw_tax,
            TaxRounding::PerLine => round_money(raw_tax, currency),
        };
        let slot = per_rate.entry(line.tax_rate.normalize()).or_insert((Money::zero(currency), Decimal::ZERO));
        slot.0 = slot.0 + *net;
        slot.1 += tax;
    }
    let taxes: Vec<TaxLine> = per_rate
        .into_iter()
        .map(|(rate, (base, tax))| TaxLine { rate, base, tax: Money::new(tax, currency) })
        .collect();
    let net = Money::sum(currency, line_nets.iter().copied());
    let tax = Money::sum(currency, taxes.iter().map(|t| t.tax));
    InvoiceTotals { line_nets, taxes, net, tax, gross: net + tax }
}

/// What is wrong with a line, by field name, in words for the person who typed it.
pub fn validate_line(line: &LineInput) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if line.description.trim().is_empty() {
        problems.push(("description", "describe what is being charged".to_string()));
    }
    if line.quantity <= Decimal::ZERO {
        problems.push(("quantity", "quantity must be more than zero".to_string()));
    }
    if line.unit_price < Decimal::ZERO {
        problems.push(("unit_price", "unit price cannot be negative".to_string()));
    }
    if line.discount_percent < Decimal::ZERO || line.discount_percent > Decimal::ONE_HUNDRED {
        problems.push(("discount_percent", "discount must be between 0 and 100%".to_string()));
    }
    if line.tax_rate < Decimal::ZERO || line.tax_rate > Decimal::ONE_HUNDRED {
        problems.push(("tax_rate", "tax rate must be between 0 and 100%".to_string()));
    }
    problems
}
