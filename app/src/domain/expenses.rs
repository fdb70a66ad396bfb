//! Expenses and bills: splitting what was paid into net and input tax, and the entries that
//! record an expense paid now, a bill owed to a vendor, and a payment of that bill.

use super::money::{round_money, Money};
use super::posting::{accounts, AccountCode, JournalEntry, Posting, PostingError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Whether the amounts typed in include input tax (as printed on most receipts) or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountsAre {
    TaxInclusive,
    TaxExclusive,
}

/// One split of an expense: which expense account, how much, at what input tax rate (%).
#[derive(Clone, Debug, PartialEq)]
pub struct ExpenseSplit {
    pub account: AccountCode,
    pub description: String,
    pub amount: Money,
    pub tax_rate: Decimal,
}

/// A split's net and tax. Tax is rounded once per split, half away from zero; with
/// tax-inclusive amounts the net is what is left, so net + tax is exactly what was paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitTotals {
    pub net: Money,
    pub tax: Money,
}

pub fn split_totals(split: &ExpenseSplit, amounts: AmountsAre) -> SplitTotals {
    let currency = split.amount.currency();
    let amount = split.amount.amount();
    let hundred = Decimal::ONE_HUNDRED;
    let tax = match amounts {
        AmountsAre::TaxInclusive => amount * split.tax_rate / (hundred + split.tax_rate),
        AmountsAre::TaxExclusive => amount * split.tax_rate / hundred,
    };
    let tax = Money::new(round_money(tax, currency), currency);
    let net = match amounts {
        AmountsAre::TaxInclusive => split.amount - tax,
        AmountsAre::TaxExclusive => split.amount,
    };
    SplitTotals { net, tax }
}

/// Who is credited: the money account an expense was paid from, or the vendor (payables) for
/// a bill to pay later.
#[derive(Clone, Debug, PartialEq)]
pub enum PaidFrom {
    Account(AccountCode),
    Payables,
}

/// Dr each expense account (net); Dr input tax; Cr the money account or payables (gross).
pub fn expense_entry(
    date: NaiveDate,
    memo: String,
    splits: &[(AccountCode, SplitTotals)],
    paid_from: &PaidFrom,
) -> Result<JournalEntry, PostingError> {
    let Some((_, first)) = splits.first() else {
        return Err(PostingError::TooFewPostings);
    };
    let currency = first.net.currency();
    let mut postings: Vec<Posting> = splits
        .iter()
        .map(|(account, totals)| Posting {
            account: account.clone(),
            amount: totals.net,
        })
        .collect();
    let tax = Money::sum(currency, splits.iter().map(|(_, t)| t.tax));
    postings.push(Posting::debit(accounts::INPUT_TAX, tax));
    let gross = Money::sum(currency, splits.iter().map(|(_, t)| t.net + t.tax));
    let credit = match paid_from {
        PaidFrom::Account(code) => code.0.as_str(),
        PaidFrom::Payables => accounts::PAYABLES,
    };
    postings.push(Posting::credit(credit, gross));
    JournalEntry::new(date, memo, postings)
}

/// Paying a bill: Dr payables; Cr the money account it was paid from.
pub fn bill_payment_entry(
    date: NaiveDate,
    memo: String,
    amount: Money,
    paid_from: &AccountCode,
) -> Result<JournalEntry, PostingError> {
    JournalEntry::new(
        date,
        memo,
        vec![
            Posting::debit(accounts::PAYABLES, amount),
            Posting::credit(&paid_from.0, amount),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{dec, gbp};

    fn split(account: &str, amount: &str, rate: &str) -> ExpenseSplit {
        ExpenseSplit {
            account: AccountCode::new(account),
            description: String::new(),
            amount: gbp(amount),
            tax_rate: dec(rate),
        }
    }

    #[test]
    fn sixty_pounds_gross_at_twenty_percent_is_fifty_net_and_ten_tax() {
        let totals = split_totals(&split("6100", "60.00", "20"), AmountsAre::TaxInclusive);

        assert_eq!(totals.net, gbp("50.00"));
        assert_eq!(totals.tax, gbp("10.00"));
    }

    #[test]
    fn inclusive_tax_is_rounded_and_net_takes_the_rest() {
        let totals = split_totals(&split("6100", "9.99", "20"), AmountsAre::TaxInclusive);

        assert_eq!(totals.tax, gbp("1.67"));
        assert_eq!(totals.net, gbp("8.32"));
    }

    #[test]
    fn a_card_expense_debits_the_expense_and_input_tax_and_credits_the_card() {
        let totals = split_totals(&split("6100", "60.00", "20"), AmountsAre::TaxInclusive);
        let date = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();

        let entry = expense_entry(
            date,
            "Stationery".into(),
            &[(AccountCode::new("6100"), totals)],
            &PaidFrom::Account(AccountCode::new("2300")),
        )
        .unwrap();

        let postings: Vec<(String, Money)> = entry
            .postings()
            .iter()
            .map(|p| (p.account.0.clone(), p.amount))
            .collect();
        assert_eq!(
            postings,
            vec![
                ("6100".to_string(), gbp("50.00")),
                ("1200".to_string(), gbp("10.00")),
                ("2300".to_string(), gbp("-60.00")),
            ]
        );
    }

    #[test]
    fn a_bill_credits_payables() {
        let totals = split_totals(&split("6200", "200.00", "20"), AmountsAre::TaxExclusive);
        let date = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();

        let entry = expense_entry(
            date,
            "Rent".into(),
            &[(AccountCode::new("6200"), totals)],
            &PaidFrom::Payables,
        )
        .unwrap();

        let payables = entry
            .postings()
            .iter()
            .find(|p| p.account.0 == accounts::PAYABLES)
            .unwrap();
        assert_eq!(payables.amount, gbp("-240.00"));
    }
}
