//! The chart of accounts: the five kinds of account and which side of the books each sits on.

use serde::{Deserialize, Serialize};

/// What an account is. Assets and expenses normally carry debit balances; liabilities,
/// equity and revenue carry credit balances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

impl AccountKind {
    pub const ALL: [AccountKind; 5] = [
        AccountKind::Asset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Revenue,
        AccountKind::Expense,
    ];

    pub fn parse(text: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The word stored in the database and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Revenue => "revenue",
            AccountKind::Expense => "expense",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Asset => "Asset",
            AccountKind::Liability => "Liability",
            AccountKind::Equity => "Equity",
            AccountKind::Revenue => "Revenue",
            AccountKind::Expense => "Expense",
        }
    }

    /// Revenue and expense accounts make up profit and loss and are closed at year end.
    pub fn is_profit_and_loss(self) -> bool {
        matches!(self, AccountKind::Revenue | AccountKind::Expense)
    }

    /// +1 when the natural balance is a debit, -1 when it is a credit: multiplying a
    /// debit-positive balance by it gives the figure a report shows.
    pub fn natural_sign(self) -> i64 {
        match self {
            AccountKind::Asset | AccountKind::Expense => 1,
            AccountKind::Liability | AccountKind::Equity | AccountKind::Revenue => -1,
        }
    }
}

/// An account code: 1 to 10 digits, so codes sort and group the way accountants expect.
pub fn valid_account_code(code: &str) -> bool {
    (1..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_words() {
        for kind in AccountKind::ALL {
            assert_eq!(AccountKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AccountKind::parse("income"), None);
    }

    #[test]
    fn account_codes_are_short_digit_strings() {
        assert!(valid_account_code("6100"));
        assert!(!valid_account_code(""));
        assert!(!valid_account_code("61a0"));
        assert!(!valid_account_code("12345678901"));
    }
}
