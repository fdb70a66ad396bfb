//! Credit notes and write-offs: taking back part or all of an issued invoice.
//!
//! An invoice carries, per tax rate, net revenue per account and the tax. A credit note of a
//! gross amount takes back a share of each: the amount is split over the rates in proportion
//! to what each still holds (largest remainder), the tax of each share is derived from its
//! gross with [`round_money`] so net + tax = gross exactly, and the net is split over the
//! rate's revenue accounts the same way. The credit that takes back everything left takes
//! exactly what is left, so an invoice credited in parts ends at zero on every account.

use super::money::{round_money, split_largest_remainder, Currency, Money};
use super::posting::{accounts, AccountCode, JournalEntry, Posting, PostingError};
use super::totals::{InvoiceTotals, LineInput};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a document carries at one tax rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatePart {
    /// Percent (20 for 20%).
    pub rate: Decimal,
    /// Net per revenue account, ordered by account code.
    pub nets: Vec<(AccountCode, Money)>,
    pub tax: Money,
}

impl RatePart {
    pub fn net(&self) -> Money {
        Money::sum(self.tax.currency(), self.nets.iter().map(|(_, m)| *m))
    }

    pub fn gross(&self) -> Money {
        self.net() + self.tax
    }
}

/// Net per rate and account and tax per rate: an invoice's, a credit note's, or what an
/// invoice still holds after its credit notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Composition {
    pub currency: Currency,
    /// Ordered by rate.
    pub rates: Vec<RatePart>,
}

impl Composition {
    /// An issued invoice's composition, from its lines and totals.
    pub fn of_invoice(lines: &[LineInput], totals: &InvoiceTotals) -> Composition {
        let currency = totals.gross.currency();
        let mut nets: BTreeMap<(Decimal, AccountCode), Money> = BTreeMap::new();
        for (line, net) in lines.iter().zip(&totals.line_nets) {
            let key = (line.tax_rate.normalize(), line.revenue_account.clone());
            let slot = nets.entry(key).or_insert(Money::zero(currency));
            *slot = *slot + *net;
        }
        let rates = totals
            .taxes
            .iter()
            .map(|t| RatePart {
                rate: t.rate.normalize(),
                nets: nets
                    .iter()
                    .filter(|((rate, _), _)| *rate == t.rate.normalize())
                    .map(|((_, account), net)| (account.clone(), *net))
                    .collect(),
                tax: t.tax,
            })
            .collect();
        Composition { currency, rates }
    }

    pub fn gross(&self) -> Money {
        Money::sum(self.currency, self.rates.iter().map(RatePart::gross))
    }

    pub fn net(&self) -> Money {
        Money::sum(self.currency, self.rates.iter().map(RatePart::net))
    }

    pub fn tax(&self) -> Money {
        Money::sum(self.currency, self.rates.iter().map(|r| r.tax))
    }

    /// This composition less another (an invoice less its credit notes), rate by rate and
    /// account by account.
    pub fn minus(&self, other: &Composition) -> Composition {
        let rates = self
            .rates
            .iter()
            .map(|part| {
                let taken = other.rates.iter().find(|o| o.rate == part.rate);
                let taken_net = |account: &AccountCode| {
                    taken
                        .and_then(|t| t.nets.iter().find(|(a, _)| a == account))
                        .map_or(Money::zero(self.currency), |(_, m)| *m)
                };
                RatePart {
                    rate: part.rate,
                    nets: part
                        .nets
                        .iter()
                        .map(|(a, m)| (a.clone(), *m - taken_net(a)))
                        .collect(),
                    tax: part.tax - taken.map_or(Money::zero(self.currency), |t| t.tax),
                }
            })
            .collect();
        Composition {
            currency: self.currency,
            rates,
        }
    }

    /// The sum of several compositions (an invoice's credit notes), on the rates and accounts
    /// of `shape`.
    pub fn total_of(shape: &Composition, parts: &[Composition]) -> Composition {
        let mut taken = shape.minus(shape);
        for part in parts {
            taken = taken.minus(&part.negated());
        }
        taken
    }

    fn negated(&self) -> Composition {
        let zero = Money::zero(self.currency);
        let rates = self
            .rates
            .iter()
            .map(|r| RatePart {
                rate: r.rate,
                nets: r.nets.iter().map(|(a, m)| (a.clone(), zero - *m)).collect(),
                tax: zero - r.tax,
            })
            .collect();
        Composition {
            currency: self.currency,
            rates,
        }
    }

    /// Whether any figure is below zero (a credit took more than the invoice held).
    pub fn has_negative(&self) -> bool {
        self.rates
            .iter()
            .any(|r| r.tax.is_negative() || r.nets.iter().any(|(_, m)| m.is_negative()))
    }

    /// Debit-positive postings of taking this back: Dr revenue per account, Dr tax per rate.
    pub fn reversing_postings(&self) -> Vec<Posting> {
        let mut by_account: BTreeMap<AccountCode, Money> = BTreeMap::new();
        for (account, net) in self.rates.iter().flat_map(|r| r.nets.iter()) {
            let slot = by_account
                .entry(account.clone())
                .or_insert(Money::zero(self.currency));
            *slot = *slot + *net;
        }
        let mut postings: Vec<Posting> = by_account
            .into_iter()
            .map(|(account, amount)| Posting { account, amount })
            .collect();
        postings.extend(
            self.rates
                .iter()
                .map(|r| Posting::debit(accounts::TAX_PAYABLE, r.tax)),
        );
        postings
    }
}

/// Why a credit was refused; the message names what to change.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CreditError {
    #[error("enter an amount above zero")]
    NotPositive,
    #[error("at most {creditable} can still be credited on this invoice (its total less earlier credit notes)")]
    MoreThanCreditable { creditable: Money },
    #[error("only {open} is still open on this invoice; a credit note cannot take back money already received (refunds are not built yet)")]
    MoreThanOpen { open: Money },
}

/// Checks a credit's gross amount against what the invoice still holds (`creditable`: its
/// total less earlier credit notes) and what is still owed on it (`open`).
pub fn check_credit(amount: Money, creditable: Money, open: Money) -> Result<(), CreditError> {
    if !amount.is_positive() {
        return Err(CreditError::NotPositive);
    }
    if amount > creditable {
        return Err(CreditError::MoreThanCreditable { creditable });
    }
    if amount > open {
        return Err(CreditError::MoreThanOpen { open });
    }
    Ok(())
}

/// What a credit note of gross `amount` takes back from `remaining` (what the invoice still
/// holds after earlier credit notes). `amount` must not exceed `remaining.gross()`.
pub fn split_credit(remaining: &Composition, amount: Money) -> Composition {
    if amount == remaining.gross() {
        return remaining.clone();
    }
    let currency = remaining.currency;
    let weights: Vec<i64> = remaining
        .rates
        .iter()
        .map(|r| r.gross().to_minor())
        .collect();
    let shares = split_largest_remainder(amount.to_minor(), &weights);
    let rates = remaining
        .rates
        .iter()
        .zip(shares)
        .map(|(part, share)| credit_rate(part, Money::from_minor(share, currency)))
        .collect();
    Composition { currency, rates }
}

/// The share of one rate: tax derived from the gross share, net the rest, each kept within
/// what the rate still holds, net split over its accounts in proportion.
fn credit_rate(part: &RatePart, gross: Money) -> RatePart {
    let currency = gross.currency();
    let hundred = Decimal::ONE_HUNDRED;
    let derived = round_money(gross.amount() * part.rate / (hundred + part.rate), currency);
    let mut tax = Money::new(derived, currency).min(part.tax);
    let mut net = gross - tax;
    if net > part.net() {
        net = part.net();
        tax = gross - net;
    }
    let weights: Vec<i64> = part.nets.iter().map(|(_, m)| m.to_minor()).collect();
    let nets = split_largest_remainder(net.to_minor(), &weights)
        .into_iter()
        .zip(&part.nets)
        .map(|(minor, (account, _))| (account.clone(), Money::from_minor(minor, currency)))
        .collect();
    RatePart {
        rate: part.rate,
        nets,
        tax,
    }
}

/// A credit note's entry: Dr revenue per account, Dr tax payable per rate, Cr receivables.
pub fn credit_note_entry(
    date: NaiveDate,
    number: &str,
    invoice_number: &str,
    credit: &Composition,
) -> Result<JournalEntry, PostingError> {
    let mut postings = credit.reversing_postings();
    postings.push(Posting::credit(accounts::RECEIVABLES, credit.gross()));
    let memo = format!("Credit note {number} for invoice {invoice_number}");
    JournalEntry::new(date, memo, postings)
}

/// Writing off an invoice's open balance: Dr bad debts, Cr receivables.
pub fn write_off_entry(
    date: NaiveDate,
    invoice_number: &str,
    amount: Money,
) -> Result<JournalEntry, PostingError> {
    let postings = vec![
        Posting::debit(accounts::BAD_DEBTS, amount),
        Posting::credit(accounts::RECEIVABLES, amount),
    ];
    JournalEntry::new(
        date,
        format!("Invoice {invoice_number} written off"),
        postings,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{any_line, currency, day, gbp, line};
    use crate::domain::totals::{invoice_totals, TaxRounding};
    use proptest::prelude::*;

    /// 120.00 with 20% VAT inside: 100.00 sales and 20.00 tax.
    fn hundred_and_twenty() -> Composition {
        let lines = vec![line("Design work", "1", "100.00", "0", "20")];
        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
        Composition::of_invoice(&lines, &totals)
    }

    #[test]
    fn fifty_of_a_hundred_and_twenty_takes_back_41_67_revenue_and_8_33_vat() {
        let invoice = hundred_and_twenty();

        let credit = split_credit(&invoice, gbp("50.00"));
        let entry =
            credit_note_entry(day("2026-05-04"), "CN-2026-0001", "INV-2026-0001", &credit).unwrap();

        let expected = [
            Posting::debit(accounts::SALES, gbp("41.67")),
            Posting::debit(accounts::TAX_PAYABLE, gbp("8.33")),
            Posting::credit(accounts::RECEIVABLES, gbp("50.00")),
        ];
        assert_eq!(entry.postings(), expected);
        assert_eq!(
            entry.memo,
            "Credit note CN-2026-0001 for invoice INV-2026-0001"
        );
    }

    #[test]
    fn the_credit_that_takes_the_rest_leaves_exactly_zero() {
        let invoice = hundred_and_twenty();
        let first = split_credit(&invoice, gbp("50.00"));
        let remaining = invoice.minus(&first);

        let last = split_credit(&remaining, gbp("70.00"));

        assert_eq!(remaining.minus(&last).gross(), gbp("0"));
        assert!(!remaining.minus(&last).has_negative());
        assert_eq!(last.tax(), gbp("11.67"));
        assert_eq!(last.net(), gbp("58.33"));
    }

    #[test]
    fn a_credit_over_two_rates_is_split_by_what_each_rate_holds() {
        let lines = vec![
            line("Cakes", "1", "100.00", "0", "20"),
            line("Books", "1", "50.00", "0", "0"),
        ];
        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
        let invoice = Composition::of_invoice(&lines, &totals);

        let credit = split_credit(&invoice, gbp("17.00"));

        // 17.00 over 120.00 and 50.00: 12.00 and 5.00; 12.00 holds 2.00 of VAT.
        assert_eq!(credit.rates[0].gross(), gbp("5.00"));
        assert_eq!(credit.rates[1].tax, gbp("2.00"));
        assert_eq!(credit.rates[1].net(), gbp("10.00"));
        assert_eq!(credit.gross(), gbp("17.00"));
    }

    #[test]
    fn credits_above_what_is_creditable_or_open_are_refused_with_the_limit() {
        let creditable = gbp("70.00");
        let open = gbp("40.00");

        assert_eq!(
            check_credit(gbp("70.01"), creditable, open),
            Err(CreditError::MoreThanCreditable { creditable })
        );
        assert_eq!(
            check_credit(gbp("40.01"), creditable, open),
            Err(CreditError::MoreThanOpen { open })
        );
        assert_eq!(
            check_credit(gbp("0"), creditable, open),
            Err(CreditError::NotPositive)
        );
        assert_eq!(check_credit(gbp("40.00"), creditable, open), Ok(()));
    }

    #[test]
    fn a_write_off_debits_bad_debts_and_credits_receivables() {
        let entry = write_off_entry(day("2026-06-30"), "INV-00007", gbp("90.00")).unwrap();

        let expected = [
            Posting::debit(accounts::BAD_DEBTS, gbp("90.00")),
            Posting::credit(accounts::RECEIVABLES, gbp("90.00")),
        ];
        assert_eq!(entry.postings(), expected);
    }

    proptest! {
        #[test]
        fn credits_never_take_more_than_the_invoice_holds_and_the_last_takes_the_rest(
            lines in prop::collection::vec(any_line(), 1..=8),
            cuts in prop::collection::vec(1u32..=100, 0..5),
        ) {
            let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
            prop_assume!(totals.gross.is_positive());
            let invoice = Composition::of_invoice(&lines, &totals);
            prop_assert_eq!(invoice.gross(), totals.gross);
            let mut remaining = invoice.clone();

            for percent in cuts {
                let amount = Money::from_minor(
                    remaining.gross().to_minor() * i64::from(percent) / 100,
                    remaining.currency,
                );
                prop_assume!(amount.is_positive());
                let credit = split_credit(&remaining, amount);
                prop_assert_eq!(credit.gross(), amount);
                prop_assert!(!credit.has_negative());
                remaining = remaining.minus(&credit);
                prop_assert!(!remaining.has_negative());
                let entry = credit_note_entry(day("2026-05-04"), "CN-1", "INV-1", &credit);
                prop_assert!(entry.is_ok());
            }
            let rest = remaining.gross();
            if rest.is_positive() {
                let last = split_credit(&remaining, rest);
                prop_assert_eq!(&last, &remaining);
                let empty = remaining.minus(&last);
                prop_assert!(empty.rates.iter().all(|r| r.gross().is_zero() && r.tax.is_zero()));
            }
        }
    }
}
