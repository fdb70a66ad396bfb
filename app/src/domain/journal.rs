//! Entries no document covers: manual journal entries (opening balances, depreciation,
//! drawings) and the year-end close that moves the year's result to retained earnings.

use super::money::{Currency, Money};
use super::posting::{accounts, AccountCode, JournalEntry, Posting, PostingError};
use chrono::NaiveDate;

/// One line of a manual entry as the owner typed it: a debit or a credit, never both.
#[derive(Clone, Debug, PartialEq)]
pub struct ManualLine {
    pub account: AccountCode,
    pub debit: Money,
    pub credit: Money,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ManualEntryError {
    #[error("debits ({debits}) and credits ({credits}) must be equal")]
    Unbalanced { debits: Money, credits: Money },
    #[error("an entry needs at least one debit and one credit")]
    TooFewLines,
    #[error("line {0} has both a debit and a credit; use two lines")]
    BothSides(usize),
}

/// Builds a manual entry, refusing one that does not balance.
pub fn manual_entry(
    date: NaiveDate,
    memo: String,
    lines: &[ManualLine],
    currency: Currency,
) -> Result<JournalEntry, ManualEntryError> {
    if let Some(i) = lines
        .iter()
        .position(|l| !l.debit.is_zero() && !l.credit.is_zero())
    {
        return Err(ManualEntryError::BothSides(i + 1));
    }
    let debits = Money::sum(currency, lines.iter().map(|l| l.debit));
    let credits = Money::sum(currency, lines.iter().map(|l| l.credit));
    if debits != credits {
        return Err(ManualEntryError::Unbalanced { debits, credits });
    }
    let postings = lines
        .iter()
        .map(|l| Posting {
            account: l.account.clone(),
            amount: l.debit - l.credit,
        })
        .collect();
    JournalEntry::new(date, memo, postings).map_err(|e| match e {
        PostingError::TooFewPostings => ManualEntryError::TooFewLines,
        PostingError::Unbalanced(_) => ManualEntryError::Unbalanced { debits, credits },
    })
}

/// Closing a year: every revenue and expense account's balance is moved to retained earnings,
/// so the new year starts its profit and loss at zero. `balances` are debit-positive. `None`
/// when there is nothing to close.
pub fn closing_entry(
    year_end: NaiveDate,
    balances: &[(AccountCode, Money)],
    currency: Currency,
) -> Option<JournalEntry> {
    let mut postings: Vec<Posting> = balances
        .iter()
        .filter(|(_, b)| !b.is_zero())
        .map(|(account, balance)| Posting {
            account: account.clone(),
            amount: -*balance,
        })
        .collect();
    let result = Money::sum(currency, balances.iter().map(|(_, b)| *b));
    postings.push(Posting::debit(accounts::RETAINED_EARNINGS, result));
    JournalEntry::new(
        year_end,
        format!("Year-end close {}", year_end.format("%Y-%m-%d")),
        postings,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    fn line(account: &str, debit: &str, credit: &str) -> ManualLine {
        ManualLine {
            account: AccountCode::new(account),
            debit: gbp(debit),
            credit: gbp(credit),
        }
    }

    #[test]
    fn a_balanced_manual_entry_posts_debits_positive() {
        let entry = manual_entry(
            day("2026-01-01"),
            "Opening balance".into(),
            &[line("1000", "500.00", "0"), line("3000", "0", "500.00")],
            currency("GBP"),
        )
        .unwrap();

        assert_eq!(entry.postings()[0].amount, gbp("500.00"));
        assert_eq!(entry.postings()[1].amount, gbp("-500.00"));
    }

    #[test]
    fn an_unbalanced_manual_entry_is_refused_with_both_sums() {
        let result = manual_entry(
            day("2026-01-01"),
            "Typo".into(),
            &[line("1000", "500.00", "0"), line("3000", "0", "50.00")],
            currency("GBP"),
        );

        assert_eq!(
            result.unwrap_err().to_string(),
            "debits (500.00 GBP) and credits (50.00 GBP) must be equal"
        );
    }

    #[test]
    fn a_line_with_both_sides_is_refused() {
        let result = manual_entry(
            day("2026-01-01"),
            "Odd".into(),
            &[line("1000", "5.00", "5.00"), line("3000", "0", "0")],
            currency("GBP"),
        );

        assert_eq!(result.unwrap_err(), ManualEntryError::BothSides(1));
    }

    #[test]
    fn closing_a_profitable_year_credits_retained_earnings() {
        let balances = [
            (AccountCode::new("4000"), gbp("-1000.00")),
            (AccountCode::new("6100"), gbp("300.00")),
        ];

        let entry = closing_entry(day("2026-12-31"), &balances, currency("GBP")).unwrap();

        let retained = entry
            .postings()
            .iter()
            .find(|p| p.account.0 == accounts::RETAINED_EARNINGS)
            .unwrap();
        assert_eq!(retained.amount, gbp("-700.00"));
        assert_eq!(entry.postings()[0].amount, gbp("1000.00"));
    }

    #[test]
    fn a_year_with_nothing_to_close_has_no_entry() {
        assert!(closing_entry(day("2026-12-31"), &[], currency("GBP")).is_none());
    }
}
