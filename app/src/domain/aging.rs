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
    pub fn build(
        currency: Currency,
        today: NaiveDate,
        open: impl IntoIterator<Item = (NaiveDate, Money)>,
    ) -> AgingReport {
        let mut buckets: Vec<(AgingBucket, Money)> = AgingBucket::ALL
            .iter()
            .map(|b| (*b, Money::zero(currency)))
            .collect();
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
        Money::sum(
            currency,
            self.buckets
                .iter()
                .filter(|(b, _)| *b != AgingBucket::Current)
                .map(|(_, m)| *m),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    #[test]
    fn each_bucket_ends_on_its_boundary_day() {
        let due = day("2026-03-16");
        let days_late = [-10, 0, 1, 30, 31, 60, 61, 90, 91, 400];

        let buckets: Vec<AgingBucket> = days_late
            .iter()
            .map(|late| AgingBucket::of(due, due + chrono::TimeDelta::days(*late)))
            .collect();

        let expected = [
            AgingBucket::Current,
            AgingBucket::Current,
            AgingBucket::Days1To30,
            AgingBucket::Days1To30,
            AgingBucket::Days31To60,
            AgingBucket::Days31To60,
            AgingBucket::Days61To90,
            AgingBucket::Days61To90,
            AgingBucket::Over90,
            AgingBucket::Over90,
        ];
        assert_eq!(buckets, expected);
    }

    #[test]
    fn an_invoice_due_today_is_current_and_one_day_late_tomorrow() {
        let due = day("2026-03-16");

        let today = AgingBucket::of(due, day("2026-03-16"));
        let tomorrow = AgingBucket::of(due, day("2026-03-17"));

        assert_eq!(today, AgingBucket::Current);
        assert_eq!(tomorrow, AgingBucket::Days1To30);
    }

    #[test]
    fn the_report_sums_open_balances_per_bucket_and_overdue_leaves_out_current() {
        let open = [
            (day("2026-06-30"), gbp("100.00")),
            (day("2026-06-15"), gbp("200.00")),
            (day("2026-06-20"), gbp("50.00")),
            (day("2026-04-01"), gbp("25.00")),
            (day("2025-12-31"), gbp("10.00")),
        ];

        let report = AgingReport::build(currency("GBP"), day("2026-06-30"), open);

        let expected = vec![
            (AgingBucket::Current, gbp("100.00")),
            (AgingBucket::Days1To30, gbp("250.00")),
            (AgingBucket::Days31To60, gbp("0")),
            (AgingBucket::Days61To90, gbp("25.00")),
            (AgingBucket::Over90, gbp("10.00")),
        ];
        assert_eq!(report.buckets, expected);
        assert_eq!(report.total(), gbp("385.00"));
        assert_eq!(report.overdue(), gbp("285.00"));
    }

    #[test]
    fn with_nothing_open_every_bucket_is_zero() {
        let report = AgingReport::build(currency("GBP"), day("2026-06-30"), []);

        assert_eq!(report.buckets.len(), AgingBucket::ALL.len());
        assert!(report.buckets.iter().all(|(_, m)| m.is_zero()));
        assert_eq!(report.total(), gbp("0"));
    }
}
