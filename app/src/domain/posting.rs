//! Posting rules: every business event becomes a balanced journal entry. Amounts are signed,
//! debits positive and credits negative, so an entry balances when its postings sum to zero.

use super::allocation::AllocationPlan;
use super::money::{Currency, Money};
use super::totals::{InvoiceTotals, LineInput};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An account's code in the chart of accounts ("1100").
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountCode(pub String);

impl AccountCode {
    pub fn new(code: &str) -> AccountCode {
        AccountCode(code.to_string())
    }
}

impl std::fmt::Display for AccountCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Codes of the seeded default chart of accounts that posting rules use.
pub mod accounts {
    pub const BANK: &str = "1000";
    pub const RECEIVABLES: &str = "1100";
    pub const CUSTOMER_CREDITS: &str = "2100";
    pub const TAX_PAYABLE: &str = "2200";
    pub const SALES: &str = "4000";
    pub const BAD_DEBTS: &str = "6900";
}

/// One line of a journal entry: an account and a signed amount (debit positive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    pub account: AccountCode,
    pub amount: Money,
}

impl Posting {
    pub fn debit(account: &str, amount: Money) -> Posting {
        Posting { account: AccountCode::new(account), amount }
    }

    pub fn credit(account: &str, amount: Money) -> Posting {
        Posting { account: AccountCode::new(account), amount: -amount }
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PostingError {
    #[error("the entry does not balance: debits and credits differ by {0}")]
    Unbalanced(Money),
    #[error("an entry needs at least two postings")]
    TooFewPostings,
}

/// A balanced journal entry. It can only be built balanced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub date: NaiveDate,
    pub memo: String,
    postings: Vec<Posting>,
}

impl JournalEntry {
    /// Drops zero postings, then checks the rest sum to zero.
    pub fn new(date: NaiveDate, memo: String, postings: Vec<Posting>) -> Result<JournalEntry, PostingError> {
        let postings: Vec<Posting> = postings.into_iter().filter(|p| !p.amount.is_zero()).collect();
        if postings.len() < 2 {
            return Err(PostingError::TooFewPostings);
        }
        let currency = postings[0].amount.currency();
        let difference = Money::sum(currency, postings.iter().map(|p| p.amount));
        if !difference.is_zero() {
            return Err(PostingError::Unbalanced(difference));
        }
        Ok(JournalEntry { date, memo, postings })
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    pub fn currency(&self) -> Currency {
        self.postings[0].amount.currency()
    }

    /// The exact mirror of this entry: how a posted entry is corrected.
    pub fn reversal(&self, date: NaiveDate, memo: String) -> JournalEntry {
        let postings = self.postings.iter().map(|p| Posting { account: p.account.clone(), amount: -p.amount }).collect();
        JournalEntry { date, memo, postings }
    }
}

/// Issuing an invoice: Dr receivables (gross); Cr revenue per account (net); Cr tax payable
/// per rate.
pub fn issue_entry(
    date: NaiveDate,
    number: &str,
    lines: &[LineInput],
    totals: &InvoiceTotals,
) -> Result<JournalEntry, PostingError> {
    let mut postings = vec![Posting::debit(accounts::RECEIVABLES, totals.gross)];
    for (account, net) in totals.net_by_account(lines) {
        postings.push(Posting { account, amount: -net });
    }
    for tax in &totals.taxes {
        postings.push(Posting::credit(accounts::TAX_PAYABLE, tax.tax));
    }
    JournalEntry::new(date, format!("Invoice {number} issued"), postings)
}

/// Receiving a payment: Dr bank (amount); Cr receivables (allocated); Cr customer credits
/// (excess).
pub fn payment_entry(
    date: NaiveDate,
    memo: String,
    amount: Money,
    plan: &AllocationPlan,
) -> Result<JournalEntry, PostingError> {
    let postings = vec![
        Posting::debit(accounts::BANK, amount),
        Posting::credit(accounts::RECEIVABLES, plan.allocated()),
        Posting::credit(accounts::CUSTOMER_CREDITS, plan.credit),
    ];
    JournalEntry::new(date, memo, postings)
}
