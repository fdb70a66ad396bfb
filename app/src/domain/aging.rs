//! Receivables aging: open balances grouped by how many days past their due date they are.

use super::money::{Currency, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgingBucket {
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl AgingBucket {
    pub const ALL: [AgingBucket; 5] = [
        AgingBucket::Current,
        AgingBucket::Days1To30,
        AgingBucket::Days31To60,
        AgingBucket::Days61To90,
        AgingBucket::Over90,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AgingBucket::Current => "Current",
            AgingBucket::Days1To30 => "1–30 days",
            AgingBucket::Days31To60 => "31–60 days",
            AgingBucket::Days61To90 => "61–90 days",
            AgingBucket::Over90 => "Over 90 days",
        }
    }

    /// The bucket of a balance due on `due`, seen on `today` (the business's day).
    pub fn of(due: NaiveDate, today: NaiveDate) -> AgingBucket {
        match (today - due).num_days() {
            i64::MIN..=0 => AgingBucket::Current,
            1..=30 => AgingBucket::Days1To30,
            31..=60 => AgingBucket::Days31To60,
            61..=90 => AgingBucket::Days61To90,
            _ => AgingBucket::Over90,
        }
    }
}

/// Open receivables per bucket, in [`AgingBucket::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgingReport {
    pub buckets: Vec<(AgingBucket, Money)>,
}

impl AgingReport {
    /// Ages `(due date, open balance)` pairs.
    pub fn build(currency: Currency, today: NaiveDate, open: impl IntoIterator<Item = (NaiveDate, Money)>) -> AgingReport {
        let mut buckets: Vec<(AgingBucket, Money)> = AgingBucket::ALL.iter().map(|b| (*b, Money::zero(currency))).collect();
        for (due, balance) in open {
            let bucket = AgingBucket::of(due, today);
            if let Some(slot) = buckets.iter_mut().find(|(b, _)| *b == bucket) {
                slot.1 = slot.1 + balance;
            }
        }
        AgingReport { buckets }
    }

    pub fn total(&self) -> Money {
        let currency = self.buckets[0].1.currency();
        Money::sum(currency, self.buckets.iter().map(|(_, m)| *m))
    }

    pub fn overdue(&self) -> Money {
        let currency = self.buckets[0].1.currency();
        Money::sum(currency, self.buckets.iter().filter(|(b, _)| *b != AgingBucket::Current).map(|(_, m)| *m))
    }
}
