//! How a document's prices become its figures: prices written without tax (the default) or
//! with tax included, and a discount on the whole document, as a percentage or an amount.
//!
//! A document discount is spread over the lines by largest remainder in proportion to each
//! line's amount, so the parts add up to the discount; each rate's taxable base is what its
//! lines come to after their parts (EN 16931: line nets less document allowances, per tax
//! category). With tax-inclusive prices the tax of each rate is taken out of the rate's gross
//! once (gross × rate / (100 + rate), rounded), and the net is what remains, so net + tax is
//! exactly the gross written. Some grosses have no such split that also satisfies
//! tax = net × rate rounded (at 20%, 1.05 sits between net 0.87 + tax 0.17 and net 0.88 +
//! tax 0.18); those are refused, naming the nearest grosses that work.

use super::money::{round_money, split_largest_remainder, Currency, Money};
use super::totals::{line_net, InvoiceTotals, LineInput, TaxLine, TaxRounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether unit prices are written without tax or with tax included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceEntry {
    #[default]
    TaxExclusive,
    TaxInclusive,
}

/// A discount on the whole document, taken from the line amounts (with tax included when
/// prices are).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum DocumentDiscount {
    #[default]
    None,
    /// Percent of the lines' amounts, 0 to 100.
    Percent(Decimal),
    /// An amount in the document's currency, at most the lines' amounts.
    Amount(Decimal),
}

/// Everything besides the lines that decides a document's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pricing {
    pub entry: PriceEntry,
    pub discount: DocumentDiscount,
    pub rounding: TaxRounding,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PricingError {
    #[error("a discount must be between 0 and 100%")]
    PercentOutOfRange,
    #[error("a discount cannot be negative")]
    NegativeAmount,
    #[error("the discount of {discount} is more than the {lines} the lines come to")]
    DiscountTooLarge { discount: Money, lines: Money },
    #[error(
        "at {rate}% the lines come to {gross} with tax, which cannot be split into a net and \
         its tax to the cent; {below} or {above} can"
    )]
    InclusiveNotExact {
        rate: Decimal,
        gross: Money,
        below: Money,
        above: Money,
    },
}

impl PricingError {
    /// The form field a person should correct.
    pub fn field(&self) -> &'static str {
        match self {
            PricingError::InclusiveNotExact { .. } => "lines",
            _ => "discount",
        }
    }
}

/// A document's totals under its pricing.
pub fn document_totals(
    lines: &[LineInput],
    currency: Currency,
    pricing: Pricing,
) -> Result<InvoiceTotals, PricingError> {
    let amounts: Vec<Money> = lines.iter().map(|l| line_net(l, currency)).collect();
    let shares = discount_shares(&amounts, currency, pricing.discount)?;
    match pricing.entry {
        PriceEntry::TaxExclusive => Ok(exclusive_totals(
            lines,
            amounts,
            &shares,
            currency,
            pricing.rounding,
        )),
        PriceEntry::TaxInclusive => {
            inclusive_totals(lines, &amounts, &shares, currency, pricing.rounding)
        }
    }
}

/// The document discount spread over the lines in proportion to their amounts.
fn discount_shares(
    amounts: &[Money],
    currency: Currency,
    discount: DocumentDiscount,
) -> Result<Vec<Money>, PricingError> {
    let lines = Money::sum(currency, amounts.iter().copied());
    let total = match discount {
        DocumentDiscount::None => Money::zero(currency),
        DocumentDiscount::Percent(p) if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED => {
            return Err(PricingError::PercentOutOfRange)
        }
        DocumentDiscount::Percent(p) => {
            Money::new(lines.amount() * p / Decimal::ONE_HUNDRED, currency)
        }
        DocumentDiscount::Amount(a) if a < Decimal::ZERO => {
            return Err(PricingError::NegativeAmount)
        }
        DocumentDiscount::Amount(a) => Money::new(a, currency),
    };
    if total.amount() > lines.amount() {
        return Err(PricingError::DiscountTooLarge {
            discount: total,
            lines,
        });
    }
    let weights: Vec<i64> = amounts.iter().map(|a| a.to_minor()).collect();
    Ok(split_largest_remainder(total.to_minor(), &weights)
        .into_iter()
        .map(|minor| Money::from_minor(minor, currency))
        .collect())
}

/// Tax-exclusive prices: each line's net is its amount less its share of the discount.
pub(crate) fn exclusive_totals(
    lines: &[LineInput],
    amounts: Vec<Money>,
    shares: &[Money],
    currency: Currency,
    rounding: TaxRounding,
) -> InvoiceTotals {
    let nets: Vec<Money> = amounts.iter().zip(shares).map(|(a, s)| *a - *s).collect();
    let mut per_rate: BTreeMap<Decimal, RateSums> = BTreeMap::new();
    for ((line, net), share) in lines.iter().zip(&nets).zip(shares) {
        let raw_tax = net.amount() * line.tax_rate / Decimal::ONE_HUNDRED;
        let tax = match rounding {
            TaxRounding::PerDocument => raw_tax,
            TaxRounding::PerLine => round_money(raw_tax, currency),
        };
        let slot = per_rate.entry(line.tax_rate.normalize()).or_default();
        slot.base += net.amount();
        slot.tax += tax;
        slot.allowance += share.amount();
    }
    let taxes = per_rate
        .into_iter()
        .map(|(rate, sums)| sums.into_tax_line(rate, currency))
        .collect();
    assemble(amounts, nets, taxes, currency)
}

/// Tax-inclusive prices: each rate's tax is taken out of its gross once (or per line), and
/// the rate's net is spread back over its lines in proportion to their grosses.
fn inclusive_totals(
    lines: &[LineInput],
    grosses: &[Money],
    shares: &[Money],
    currency: Currency,
    rounding: TaxRounding,
) -> Result<InvoiceTotals, PricingError> {
    let mut amounts = vec![Money::zero(currency); lines.len()];
    let mut nets = vec![Money::zero(currency); lines.len()];
    let mut taxes = Vec::new();
    for (rate, members) in lines_by_rate(lines) {
        let gross_of = |i: &usize| grosses[*i];
        let after_of = |i: &usize| grosses[*i] - shares[*i];
        // Only the discounted grosses are priced; the undiscounted split just shows the
        // discount as a net allowance, so it need not meet the exactness test.
        let (before_net, _) = split_rate(&members, gross_of, rate, currency, rounding, false)?;
        let (after_net, tax) = split_rate(&members, after_of, rate, currency, rounding, true)?;
        for (i, net) in &before_net {
            amounts[*i] = *net;
        }
        for (i, net) in &after_net {
            nets[*i] = *net;
        }
        let base = Money::sum(currency, after_net.iter().map(|(_, n)| *n));
        let before = Money::sum(currency, before_net.iter().map(|(_, n)| *n));
        taxes.push(TaxLine {
            rate,
            base,
            tax,
            allowance: before - base,
        });
    }
    Ok(assemble(amounts, nets, taxes, currency))
}

/// Line indexes grouped by tax rate, ascending.
fn lines_by_rate(lines: &[LineInput]) -> BTreeMap<Decimal, Vec<usize>> {
    let mut groups: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        groups.entry(line.tax_rate.normalize()).or_default().push(i);
    }
    groups
}

/// Splits the grosses of one rate's lines into a net per line and the rate's tax.
fn split_rate(
    members: &[usize],
    gross_of: impl Fn(&usize) -> Money,
    rate: Decimal,
    currency: Currency,
    rounding: TaxRounding,
    exact: bool,
) -> Result<(Vec<(usize, Money)>, Money), PricingError> {
    let tax_in = |gross: Money| {
        Money::new(
            gross.amount() * rate / (Decimal::ONE_HUNDRED + rate),
            currency,
        )
    };
    match rounding {
        TaxRounding::PerLine => {
            let nets: Vec<(usize, Money)> = members
                .iter()
                .map(|i| (*i, gross_of(i) - tax_in(gross_of(i))))
                .collect();
            let tax = Money::sum(currency, members.iter().map(|i| tax_in(gross_of(i))));
            Ok((nets, tax))
        }
        TaxRounding::PerDocument => {
            let gross = Money::sum(currency, members.iter().map(&gross_of));
            let tax = tax_in(gross);
            let net = gross - tax;
            if exact && tax_on(net, rate) != tax {
                let (below, above) = nearest_exact_grosses(gross, rate);
                return Err(PricingError::InclusiveNotExact {
                    rate,
                    gross,
                    below,
                    above,
                });
            }
            let weights: Vec<i64> = members.iter().map(|i| gross_of(i).to_minor()).collect();
            let parts = split_largest_remainder(net.to_minor(), &weights);
            let nets = members
                .iter()
                .zip(parts)
                .map(|(i, minor)| (*i, Money::from_minor(minor, currency)))
                .collect();
            Ok((nets, tax))
        }
    }
}

/// The tax on a net at a rate, rounded once.
fn tax_on(net: Money, rate: Decimal) -> Money {
    Money::new(net.amount() * rate / Decimal::ONE_HUNDRED, net.currency())
}

/// The grosses nearest below and above `gross` that a net and its tax reach exactly.
fn nearest_exact_grosses(gross: Money, rate: Decimal) -> (Money, Money) {
    let currency = gross.currency();
    let gross_of = |net_minor: i64| {
        let net = Money::from_minor(net_minor, currency);
        net + tax_on(net, rate)
    };
    let guess = Money::new(
        gross.amount() * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + rate),
        currency,
    )
    .to_minor();
    let mut below = guess;
    while gross_of(below) >= gross && below > 0 {
        below -= 1;
    }
    let mut above = guess;
    while gross_of(above) <= gross {
        above += 1;
    }
    (gross_of(below), gross_of(above))
}

/// Running sums of one rate, exact until rounded once.
#[derive(Default)]
struct RateSums {
    base: Decimal,
    tax: Decimal,
    allowance: Decimal,
}

impl RateSums {
    fn into_tax_line(self, rate: Decimal, currency: Currency) -> TaxLine {
        TaxLine {
            rate,
            base: Money::new(self.base, currency),
            tax: Money::new(self.tax, currency),
            allowance: Money::new(self.allowance, currency),
        }
    }
}

fn assemble(
    line_amounts: Vec<Money>,
    line_nets: Vec<Money>,
    taxes: Vec<TaxLine>,
    currency: Currency,
) -> InvoiceTotals {
    let net = Money::sum(currency, line_nets.iter().copied());
    let tax = Money::sum(currency, taxes.iter().map(|t| t.tax));
    let discount = Money::sum(currency, taxes.iter().map(|t| t.allowance));
    InvoiceTotals {
        line_amounts,
        line_nets,
        taxes,
        discount,
        net,
        tax,
        gross: net + tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{any_currency, any_line, currency, dec, gbp, line};
    use proptest::prelude::*;

    fn priced(lines: &[LineInput], entry: PriceEntry, discount: DocumentDiscount) -> InvoiceTotals {
        let pricing = Pricing {
            entry,
            discount,
            rounding: TaxRounding::PerDocument,
        };
        document_totals(lines, currency("GBP"), pricing).unwrap()
    }

    #[test]
    fn seven_at_14_285_is_a_line_net_of_100_and_vat_of_20() {
        let lines = [line("Widgets", "7", "14.285", "0", "20")];

        let totals = priced(&lines, PriceEntry::TaxExclusive, DocumentDiscount::None);

        assert_eq!(totals.line_nets, vec![gbp("100.00")]);
        assert_eq!((totals.tax, totals.gross), (gbp("20.00"), gbp("120.00")));
    }

    #[test]
    fn four_inclusive_lines_of_12_50_take_the_vat_out_once() {
        let lines = vec![line("Ticket", "1", "12.50", "0", "20"); 4];

        let totals = priced(&lines, PriceEntry::TaxInclusive, DocumentDiscount::None);

        assert_eq!(totals.gross, gbp("50.00"));
        assert_eq!(totals.tax, gbp("8.33"));
        assert_eq!(totals.net, gbp("41.67"));
        assert_eq!(
            totals.line_nets.iter().map(|n| n.to_minor()).sum::<i64>(),
            4167
        );
    }

    #[test]
    fn a_ten_percent_document_discount_comes_off_each_rate() {
        let lines = [
            line("Design", "1", "80.00", "0", "20"),
            line("Books", "1", "20.00", "0", "5"),
        ];

        let totals = priced(
            &lines,
            PriceEntry::TaxExclusive,
            DocumentDiscount::Percent(dec("10")),
        );

        assert_eq!(totals.line_nets, vec![gbp("72.00"), gbp("18.00")]);
        let vat: Vec<Money> = totals.taxes.iter().map(|t| t.tax).collect();
        assert_eq!(vat, vec![gbp("0.90"), gbp("14.40")]);
        assert_eq!((totals.tax, totals.gross), (gbp("15.30"), gbp("105.30")));
        assert_eq!(totals.discount, gbp("10.00"));
        assert_eq!(totals.line_amounts, vec![gbp("80.00"), gbp("20.00")]);
    }

    #[test]
    fn a_discount_amount_splits_by_largest_remainder() {
        let lines = vec![line("Part", "1", "10.00", "0", "20"); 3];

        let totals = priced(
            &lines,
            PriceEntry::TaxExclusive,
            DocumentDiscount::Amount(dec("1.00")),
        );

        assert_eq!(
            totals.line_nets,
            vec![gbp("9.66"), gbp("9.67"), gbp("9.67")]
        );
        assert_eq!(totals.net, gbp("29.00"));
    }

    #[test]
    fn an_inclusive_gross_with_no_exact_split_is_refused_naming_the_nearest_that_work() {
        let lines = [line("Sweets", "1", "1.05", "0", "20")];
        let pricing = Pricing {
            entry: PriceEntry::TaxInclusive,
            ..Pricing::default()
        };

        let refused = document_totals(&lines, currency("GBP"), pricing).unwrap_err();

        assert_eq!(
            refused,
            PricingError::InclusiveNotExact {
                rate: dec("20"),
                gross: gbp("1.05"),
                below: gbp("1.04"),
                above: gbp("1.06"),
            }
        );
        assert_eq!(refused.field(), "lines");
    }

    #[test]
    fn discounts_beyond_the_lines_or_out_of_range_are_refused() {
        let lines = [line("Design", "1", "80.00", "0", "20")];
        let with = |discount| {
            let pricing = Pricing {
                discount,
                ..Pricing::default()
            };
            document_totals(&lines, currency("GBP"), pricing).unwrap_err()
        };

        assert_eq!(
            with(DocumentDiscount::Percent(dec("100.01"))),
            PricingError::PercentOutOfRange
        );
        assert_eq!(
            with(DocumentDiscount::Amount(dec("-1"))),
            PricingError::NegativeAmount
        );
        assert!(matches!(
            with(DocumentDiscount::Amount(dec("80.01"))),
            PricingError::DiscountTooLarge { .. }
        ));
    }

    fn any_discount() -> impl Strategy<Value = DocumentDiscount> {
        prop_oneof![
            Just(DocumentDiscount::None),
            (0i64..=10_000).prop_map(|p| DocumentDiscount::Percent(Decimal::new(p, 2))),
        ]
    }

    proptest! {
        #[test]
        fn discount_parts_add_up_to_the_discount(
            lines in prop::collection::vec(any_line(), 1..8),
            discount in any_discount(),
            currency in any_currency(),
        ) {
            let pricing = Pricing { discount, ..Pricing::default() };
            let totals = document_totals(&lines, currency, pricing).unwrap();

            let before = Money::sum(currency, totals.line_amounts.iter().copied());
            prop_assert_eq!(before - totals.discount, totals.net);
            prop_assert_eq!(totals.net + totals.tax, totals.gross);
            for tax_line in &totals.taxes {
                prop_assert!(!tax_line.allowance.is_negative());
            }
        }

        #[test]
        fn inclusive_grosses_made_from_exclusive_nets_give_the_same_totals(
            lines in prop::collection::vec(any_line(), 1..8),
            currency in any_currency(),
        ) {
            let exclusive = document_totals(&lines, currency, Pricing::default()).unwrap();
            let inclusive_lines: Vec<LineInput> = exclusive
                .taxes
                .iter()
                .map(|t| LineInput {
                    quantity: Decimal::ONE,
                    unit_price: (t.base + t.tax).amount(),
                    discount_percent: Decimal::ZERO,
                    tax_rate: t.rate,
                    ..lines[0].clone()
                })
                .collect();
            let pricing = Pricing { entry: PriceEntry::TaxInclusive, ..Pricing::default() };

            let inclusive = document_totals(&inclusive_lines, currency, pricing).unwrap();

            prop_assert_eq!(inclusive.taxes, exclusive.taxes);
            prop_assert_eq!((inclusive.net, inclusive.tax, inclusive.gross),
                            (exclusive.net, exclusive.tax, exclusive.gross));
        }

        #[test]
        fn an_accepted_inclusive_document_keeps_its_gross_and_rounds_tax_on_each_base(
            lines in prop::collection::vec(any_line(), 1..8),
            discount in any_discount(),
            currency in any_currency(),
        ) {
            let pricing = Pricing { entry: PriceEntry::TaxInclusive, discount, ..Pricing::default() };
            let written = Money::sum(currency, lines.iter().map(|l| line_net(l, currency)));

            if let Ok(totals) = document_totals(&lines, currency, pricing) {
                let discount_gross = written - totals.gross;
                prop_assert!(!discount_gross.is_negative());
                for t in &totals.taxes {
                    prop_assert_eq!(tax_on(t.base, t.rate), t.tax);
                }
                if discount == DocumentDiscount::None {
                    prop_assert_eq!(totals.gross, written);
                }
            }
        }
    }
}
