//! The tax summary of a period: output tax on sales and input tax on purchases per rate, and
//! the net due. On the cash basis each document counts in the share its money moved.

use super::money::{split_largest_remainder, Currency, Money};
use super::pricing::Pricing;
use super::reports::{Basis, Period};
use super::totals::{invoice_totals, LineInput};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The taxable base and the tax of one rate (in percent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateFigures {
    pub rate: Decimal,
    pub base: Money,
    pub tax: Money,
}

/// Output and input tax per rate, ascending by rate, with their totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxSummary {
    pub period: Period,
    pub basis: Basis,
    pub output: Vec<RateFigures>,
    pub input: Vec<RateFigures>,
    pub output_base: Money,
    pub output_tax: Money,
    pub input_base: Money,
    pub input_tax: Money,
    /// Output tax less input tax: negative when a refund is due.
    pub net_due: Money,
    /// What manual journal entries moved on the output and input tax accounts in the period
    /// (a settlement paid to the tax office, a correction). Shown for review, not added to
    /// the return: only the person filing knows which of them belong on it.
    pub manual_output: Money,
    pub manual_input: Money,
}

/// The side of the return a rate's figures are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxSide {
    /// Tax charged on sales.
    Output,
    /// Tax paid on purchases.
    Input,
}

impl TaxSide {
    pub fn parse(text: &str) -> Option<TaxSide> {
        match text {
            "output" => Some(TaxSide::Output),
            "input" => Some(TaxSide::Input),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TaxSide::Output => "output",
            TaxSide::Input => "input",
        }
    }
}

/// What kind of document a tax figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxSource {
    /// An invoice issued in the period.
    Invoice,
    /// An invoice voided in the period: its figures taken back.
    InvoiceVoid,
    /// A credit note dated in the period: what it took back.
    CreditNote,
    /// On the cash basis: the share of an invoice that money received in the period paid.
    InvoicePaid,
    /// An expense paid on the spot.
    Expense,
    /// A bill dated in the period.
    Bill,
    /// On the cash basis: the share of a bill that money paid in the period settled.
    BillPaid,
}

impl TaxSource {
    pub fn label(self) -> &'static str {
        match self {
            TaxSource::Invoice => "Invoice",
            TaxSource::InvoiceVoid => "Invoice voided",
            TaxSource::CreditNote => "Credit note",
            TaxSource::InvoicePaid => "Paid on invoice",
            TaxSource::Expense => "Expense",
            TaxSource::Bill => "Bill",
            TaxSource::BillPaid => "Paid on bill",
        }
    }
}

/// One document's part of one rate's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxContribution {
    pub source: TaxSource,
    /// The invoice, credit note or expense.
    pub id: i64,
    pub number: String,
    pub date: chrono::NaiveDate,
    pub party: String,
    pub base: Money,
    pub tax: Money,
}

/// The documents behind one rate of the tax summary, a page at a time; all of them together
/// add up to the summary's row, given here as `base` and `tax`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateDocuments {
    pub period: Period,
    pub basis: Basis,
    pub side: TaxSide,
    pub rate: Decimal,
    pub documents: Vec<TaxContribution>,
    pub base: Money,
    pub tax: Money,
    /// How many documents in all, and which page of them this is.
    pub count: u64,
    pub page: u32,
    pub pages: u32,
}

/// Per-rate sums in minor units, added to one document at a time.
#[derive(Clone, Debug, Default)]
pub struct RateTotals(BTreeMap<Decimal, (i64, i64)>);

impl RateTotals {
    /// Adds `sign` (1 or -1) times each rate's figures.
    pub fn add(&mut self, figures: &[RateFigures], sign: i64) {
        for f in figures {
            let slot = self.0.entry(f.rate.normalize()).or_default();
            slot.0 += sign * f.base.to_minor();
            slot.1 += sign * f.tax.to_minor();
        }
    }

    pub fn figures(&self, currency: Currency) -> Vec<RateFigures> {
        self.0
            .iter()
            .map(|(rate, (base, tax))| RateFigures {
                rate: *rate,
                base: Money::from_minor(*base, currency),
                tax: Money::from_minor(*tax, currency),
            })
            .collect()
    }
}

/// An invoice's base and tax per rate, exactly as its issue entry posted them.
pub fn invoice_rates(
    lines: &[LineInput],
    currency: Currency,
    pricing: Pricing,
) -> Vec<RateFigures> {
    // A stored invoice was priced when it was saved, so it prices again; were it refused,
    // its lines as written without the document pricing are the nearest figures there are.
    super::pricing::document_totals(lines, currency, pricing)
        .unwrap_or_else(|_| invoice_totals(lines, currency, pricing.rounding))
        .taxes
        .into_iter()
        .map(|t| RateFigures {
            rate: t.rate,
            base: t.base,
            tax: t.tax,
        })
        .collect()
}

/// The part of a document's per-rate figures that `moved` (money received or paid against it)
/// accounts for: every base and tax is a share of the document's gross, rounded by largest
/// remainder so the shares add up to `moved` exactly.
pub fn cash_share(rates: &[RateFigures], moved: Money) -> Vec<RateFigures> {
    let currency = moved.currency();
    let weights: Vec<i64> = rates
        .iter()
        .flat_map(|r| [r.base.to_minor(), r.tax.to_minor()])
        .collect();
    let parts = split_largest_remainder(moved.to_minor(), &weights);
    rates
        .iter()
        .zip(parts.chunks(2))
        .map(|(r, part)| RateFigures {
            rate: r.rate,
            base: Money::from_minor(part[0], currency),
            tax: Money::from_minor(part[1], currency),
        })
        .collect()
}

/// Puts the period's output and input figures together.
pub fn tax_summary(
    period: Period,
    basis: Basis,
    currency: Currency,
    output: &RateTotals,
    input: &RateTotals,
) -> TaxSummary {
    let output = output.figures(currency);
    let input = input.figures(currency);
    let sum = |rows: &[RateFigures], pick: fn(&RateFigures) -> Money| {
        Money::sum(currency, rows.iter().map(pick))
    };
    let output_tax = sum(&output, |r| r.tax);
    let input_tax = sum(&input, |r| r.tax);
    TaxSummary {
        period,
        basis,
        output_base: sum(&output, |r| r.base),
        input_base: sum(&input, |r| r.base),
        output,
        input,
        output_tax,
        input_tax,
        net_due: output_tax - input_tax,
        manual_output: Money::zero(currency),
        manual_input: Money::zero(currency),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, dec, gbp, harbor_cafe_lines};

    fn rate(rate: &str, base: &str, tax: &str) -> RateFigures {
        RateFigures {
            rate: dec(rate),
            base: gbp(base),
            tax: gbp(tax),
        }
    }

    fn quarter() -> Period {
        Period {
            from: day("2026-04-01"),
            to: day("2026-06-30"),
        }
    }

    #[test]
    fn an_invoice_counts_its_tax_per_rate_as_posted() {
        let rates = invoice_rates(&harbor_cafe_lines(), currency("GBP"), Pricing::default());

        assert_eq!(
            rates,
            vec![rate("0", "120.00", "0.00"), rate("20", "599.97", "119.99")]
        );
    }

    #[test]
    fn half_the_money_received_counts_half_of_each_rate() {
        let rates = [rate("20", "100.00", "20.00"), rate("0", "30.00", "0")];

        let share = cash_share(&rates, gbp("75.00"));

        assert_eq!(
            share,
            vec![rate("20", "50.00", "10.00"), rate("0", "15.00", "0")]
        );
    }

    #[test]
    fn shares_of_an_awkward_amount_add_up_to_it_exactly() {
        let rates = [rate("20", "33.33", "6.67"), rate("5", "10.00", "0.50")];

        let share = cash_share(&rates, gbp("10.01"));

        let total: i64 = share
            .iter()
            .map(|r| r.base.to_minor() + r.tax.to_minor())
            .sum();
        assert_eq!(total, 1001);
    }

    #[test]
    fn the_whole_document_paid_counts_its_full_figures() {
        let rates = [rate("20", "599.97", "119.99"), rate("0", "120.00", "0")];

        let share = cash_share(&rates, gbp("839.96"));

        assert_eq!(share, rates.to_vec());
    }

    #[test]
    fn net_due_is_output_less_input_and_a_void_subtracts() {
        let mut output = RateTotals::default();
        output.add(&[rate("20", "500.00", "100.00")], 1);
        output.add(&[rate("20", "100.00", "20.00")], 1);
        output.add(&[rate("20", "100.00", "20.00")], -1);
        let mut input = RateTotals::default();
        input.add(&[rate("20", "50.00", "10.00")], 1);

        let summary = tax_summary(quarter(), Basis::Accrual, currency("GBP"), &output, &input);

        assert_eq!(summary.output_tax, gbp("100.00"));
        assert_eq!(summary.output_base, gbp("500.00"));
        assert_eq!(summary.input_tax, gbp("10.00"));
        assert_eq!(summary.net_due, gbp("90.00"));
    }
}
