//! Invoice totals the EN 16931 way: each line's net is rounded to the minor unit, tax is
//! computed per rate on the document's summed line nets and rounded once (or, as a business
//! setting, per line), half away from zero.

use super::money::{Currency, Money};
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
    /// What is counted ("hour", "day"); empty for a plain count.
    #[serde(default)]
    pub unit: String,
    /// The category, name and exemption reason of the line's rate, as billed.
    #[serde(default)]
    pub tax: super::tax_rates::LineTax,
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
    /// The taxable amount: the rate's line nets less its part of the document discount.
    pub base: Money,
    pub tax: Money,
    /// The rate's part of the document discount, net of tax.
    pub allowance: Money,
}

/// Totals of a document, identical wherever they are shown or posted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceTotals {
    /// Each line's amount as written, net of tax, before the document discount.
    pub line_amounts: Vec<Money>,
    /// Each line's net amount after its part of the document discount, in line order: what
    /// is posted to revenue.
    pub line_nets: Vec<Money>,
    /// One entry per distinct tax rate, ascending by rate.
    pub taxes: Vec<TaxLine>,
    /// The document discount, net of tax (zero when there is none).
    pub discount: Money,
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
}

impl InvoiceTotals {
    /// Net revenue per revenue account, for posting.
    pub fn net_by_account(&self, lines: &[LineInput]) -> Vec<(AccountCode, Money)> {
        let mut by_account: BTreeMap<AccountCode, Money> = BTreeMap::new();
        for (line, net) in lines.iter().zip(&self.line_nets) {
            let entry = by_account
                .entry(line.revenue_account.clone())
                .or_insert(Money::zero(net.currency()));
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

/// Computes the totals of a document priced without tax and with no document discount;
/// [`super::pricing::document_totals`] handles the other ways of pricing.
pub fn invoice_totals(
    lines: &[LineInput],
    currency: Currency,
    rounding: TaxRounding,
) -> InvoiceTotals {
    let amounts: Vec<Money> = lines.iter().map(|l| line_net(l, currency)).collect();
    let no_discount = vec![Money::zero(currency); lines.len()];
    super::pricing::exclusive_totals(lines, amounts, &no_discount, currency, rounding)
}

/// Limits that keep quantity × price exact in a `Decimal`, and every stored amount and every
/// sum SQLite computes over them far inside a 64-bit integer of minor units.
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_UNIT_PRICE: i64 = 1_000_000_000;
/// The largest total a document may have, in major units (ten thousand million).
pub const MAX_DOCUMENT_TOTAL: i64 = 10_000_000_000;
pub const MAX_LINES: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// Whether a document's total is within [`MAX_DOCUMENT_TOTAL`]; a message when it is not.
pub fn total_problem(totals: &InvoiceTotals) -> Option<String> {
    (totals.gross.amount() > Decimal::from(MAX_DOCUMENT_TOTAL)).then(|| {
        format!(
            "the total is too large; a document can be at most {} {}",
            super::money::group_thousands(Decimal::from(MAX_DOCUMENT_TOTAL)),
            totals.gross.currency()
        )
    })
}

/// What is wrong with a line, by field name, in words for the person who typed it.
pub fn validate_line(line: &LineInput) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if line.description.trim().is_empty() {
        problems.push(("description", "describe what is being charged".to_string()));
    } else if line.description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push((
            "description",
            format!("keep the description under {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    if line.quantity <= Decimal::ZERO {
        problems.push(("quantity", "quantity must be more than zero".to_string()));
    } else if line.quantity > Decimal::from(MAX_QUANTITY) {
        problems.push(("quantity", "quantity can be at most 1,000,000".to_string()));
    }
    if line.unit_price < Decimal::ZERO {
        problems.push(("unit_price", "unit price cannot be negative".to_string()));
    } else if line.unit_price > Decimal::from(MAX_UNIT_PRICE) {
        problems.push((
            "unit_price",
            "unit price can be at most 1,000,000,000".to_string(),
        ));
    }
    if line.discount_percent < Decimal::ZERO || line.discount_percent > Decimal::ONE_HUNDRED {
        problems.push((
            "discount_percent",
            "discount must be between 0 and 100%".to_string(),
        ));
    }
    if line.tax_rate < Decimal::ZERO || line.tax_rate > Decimal::ONE_HUNDRED {
        problems.push((
            "tax_rate",
            "tax rate must be between 0 and 100%".to_string(),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{
        any_currency, any_line, any_rounding, currency, dec, gbp, harbor_cafe_lines, line,
    };
    use crate::domain::posting::accounts;
    use proptest::prelude::*;

    #[test]
    fn harbor_cafe_line_nets_are_quantity_times_price_less_discount() {
        let lines = harbor_cafe_lines();

        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        assert_eq!(
            totals.line_nets,
            vec![gbp("546.00"), gbp("53.97"), gbp("120.00")]
        );
    }

    #[test]
    fn harbor_cafe_net_is_the_sum_of_its_line_nets() {
        let lines = harbor_cafe_lines();

        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        assert_eq!(totals.net, gbp("719.97"));
    }

    #[test]
    fn harbor_cafe_vat_is_rounded_once_on_the_twenty_percent_base() {
        let lines = harbor_cafe_lines();

        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        // 20% of 599.97 is 119.994; the zero-rated call-out fee keeps its own tax line.
        let expected = vec![
            TaxLine {
                rate: dec("0"),
                base: gbp("120.00"),
                tax: gbp("0.00"),
                allowance: gbp("0.00"),
            },
            TaxLine {
                rate: dec("20"),
                base: gbp("599.97"),
                tax: gbp("119.99"),
                allowance: gbp("0.00"),
            },
        ];
        assert_eq!(totals.taxes, expected);
        assert_eq!(totals.tax, gbp("119.99"));
    }

    #[test]
    fn harbor_cafe_total_is_net_plus_vat() {
        let lines = harbor_cafe_lines();

        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        assert_eq!(totals.gross, gbp("839.96"));
    }

    #[test]
    fn per_document_and_per_line_rounding_differ_when_half_pennies_add_up() {
        let lines = vec![line("Stamp", "1", "0.05", "0", "10"); 3];

        let per_document = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
        let per_line = invoice_totals(&lines, currency("GBP"), TaxRounding::PerLine);

        // Per document: 10% of 0.15 is 0.015, rounded once to 0.02. Per line: 0.005 rounds
        // to 0.01 three times.
        assert_eq!(per_document.tax, gbp("0.02"));
        assert_eq!(per_line.tax, gbp("0.03"));
        assert_eq!(per_document.net, per_line.net);
    }

    #[test]
    fn a_rate_written_two_ways_is_one_tax_line() {
        let lines = vec![
            line("Tea", "1", "10", "0", "20"),
            line("Cake", "1", "5", "0", "20.00"),
        ];

        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        assert_eq!(totals.taxes.len(), 1);
        assert_eq!(totals.taxes[0].base, gbp("15.00"));
        assert_eq!(totals.taxes[0].tax, gbp("3.00"));
    }

    #[test]
    fn yen_line_nets_and_tax_are_whole_yen() {
        let lines = vec![line("Consulting", "1.5", "333", "0", "10")];

        let totals = invoice_totals(&lines, currency("JPY"), TaxRounding::PerDocument);

        // 499.5 rounds to 500; 10% of 500 is 50.
        assert_eq!(totals.net.to_minor(), 500);
        assert_eq!(totals.tax.to_minor(), 50);
        assert_eq!(totals.gross.to_minor(), 550);
    }

    #[test]
    fn net_by_account_sums_lines_per_revenue_account() {
        let mut lines = harbor_cafe_lines();
        lines[2].revenue_account = AccountCode::new("4100");
        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);

        let by_account = totals.net_by_account(&lines);

        assert_eq!(
            by_account,
            vec![
                (AccountCode::new(accounts::SALES), gbp("599.97")),
                (AccountCode::new("4100"), gbp("120.00"))
            ]
        );
    }

    #[test]
    fn a_sensible_line_has_no_problems() {
        let problems = validate_line(&line("Service hours", "12", "45.50", "0", "20"));

        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn each_wrong_field_of_a_line_is_named() {
        let wrong = line(" ", "0", "-1", "101", "-5");

        let fields: Vec<&str> = validate_line(&wrong)
            .into_iter()
            .map(|(field, _)| field)
            .collect();

        assert_eq!(
            fields,
            vec![
                "description",
                "quantity",
                "unit_price",
                "discount_percent",
                "tax_rate"
            ]
        );
    }

    proptest! {
        #[test]
        fn each_tax_line_is_its_rate_of_its_base_within_the_rounding(
            lines in prop::collection::vec(any_line(), 1..=10),
            currency in any_currency(),
            rounding in any_rounding(),
        ) {
            let totals = invoice_totals(&lines, currency, rounding);

            // Rounded once the tax is off by at most half a minor unit; rounded per line, by
            // at most half a minor unit per line.
            let unit = Decimal::new(1, currency.minor_units());
            let lines_at_most = match rounding {
                TaxRounding::PerDocument => Decimal::ONE,
                TaxRounding::PerLine => Decimal::from(lines.len()),
            };
            for tax in &totals.taxes {
                let exact = tax.base.amount() * tax.rate / Decimal::ONE_HUNDRED;
                let gap = (tax.tax.amount() - exact).abs();
                prop_assert!(gap * Decimal::TWO <= unit * lines_at_most, "{:?}", tax);
            }
            prop_assert_eq!(totals.tax, Money::sum(currency, totals.taxes.iter().map(|t| t.tax)));
        }
    }

    #[test]
    fn quantities_prices_and_totals_beyond_the_limits_are_refused() {
        let mut line = crate::domain::fixtures::harbor_cafe_lines()[0].clone();
        line.quantity = Decimal::from(MAX_QUANTITY + 1);
        line.unit_price = Decimal::from(MAX_UNIT_PRICE + 1);

        let problems: Vec<&str> = validate_line(&line).into_iter().map(|(f, _)| f).collect();
        line.quantity = Decimal::from(MAX_QUANTITY);
        line.unit_price = Decimal::from(MAX_UNIT_PRICE);
        let biggest = invoice_totals(
            &[line],
            crate::domain::fixtures::currency("GBP"),
            TaxRounding::PerDocument,
        );

        assert_eq!(problems, ["quantity", "unit_price"]);
        assert!(total_problem(&biggest).is_some());
    }
}
