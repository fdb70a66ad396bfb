//! Aging per customer or vendor: each party's open balances spread over the aging buckets,
//! the party owing (or owed) the oldest debt first.

use super::aging::AgingBucket;
use super::money::{Currency, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most parties a table lists; the totals still cover every party.
pub const MAX_PARTIES: usize = 500;

/// What is open for one party on one due date.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenItem {
    pub party_id: i64,
    pub party: String,
    pub due: NaiveDate,
    pub open: Money,
}

/// One party's line: amounts in [`AgingBucket::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyAging {
    pub party_id: i64,
    pub party: String,
    pub oldest_due: NaiveDate,
    pub buckets: Vec<Money>,
    pub total: Money,
}

/// Every party with something open as of a day, and the column totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgingTable {
    pub as_of: NaiveDate,
    pub rows: Vec<PartyAging>,
    /// Parties left out of `rows` beyond [`MAX_PARTIES`].
    pub more: usize,
    pub totals: Vec<Money>,
    pub total: Money,
}

impl AgingTable {
    /// What one party had open on this table's day (zero when nothing, or when it is among
    /// the parties not listed).
    pub fn party_total(&self, party_id: i64) -> Money {
        self.rows
            .iter()
            .find(|r| r.party_id == party_id)
            .map_or(Money::zero(self.total.currency()), |r| r.total)
    }

    /// For a comparison: adds a row with nothing open for each party listed on `earlier` but
    /// not here (they paid up, or were paid), after the parties that still have balances.
    pub fn with_earlier_parties(mut self, earlier: &AgingTable) -> AgingTable {
        let zero = Money::zero(self.total.currency());
        let gone: Vec<PartyAging> = earlier
            .rows
            .iter()
            .filter(|e| !self.rows.iter().any(|r| r.party_id == e.party_id))
            .map(|e| PartyAging {
                party_id: e.party_id,
                party: e.party.clone(),
                oldest_due: e.oldest_due,
                buckets: vec![zero; AgingBucket::ALL.len()],
                total: zero,
            })
            .collect();
        self.rows.extend(gone);
        self
    }
}

/// Groups open items by party and buckets each by how late it is on `as_of`. Parties are
/// ordered by their oldest due date, then by name.
pub fn age_by_party(
    currency: Currency,
    as_of: NaiveDate,
    items: impl IntoIterator<Item = OpenItem>,
) -> AgingTable {
    let zero = Money::zero(currency);
    let slot = |due: NaiveDate| {
        let bucket = AgingBucket::of(due, as_of);
        AgingBucket::ALL
            .iter()
            .position(|b| *b == bucket)
            .unwrap_or(0)
    };
    let mut by_party: HashMap<i64, PartyAging> = HashMap::new();
    let mut totals = vec![zero; AgingBucket::ALL.len()];
    for item in items {
        let i = slot(item.due);
        totals[i] = totals[i] + item.open;
        let row = by_party.entry(item.party_id).or_insert_with(|| PartyAging {
            party_id: item.party_id,
            party: item.party.clone(),
            oldest_due: item.due,
            buckets: vec![zero; AgingBucket::ALL.len()],
            total: zero,
        });
        row.oldest_due = row.oldest_due.min(item.due);
        row.buckets[i] = row.buckets[i] + item.open;
        row.total = row.total + item.open;
    }
    let mut rows: Vec<PartyAging> = by_party.into_values().collect();
    rows.sort_by(|a, b| {
        (a.oldest_due, &a.party, a.party_id).cmp(&(b.oldest_due, &b.party, b.party_id))
    });
    let more = rows.len().saturating_sub(MAX_PARTIES);
    rows.truncate(MAX_PARTIES);
    let total = Money::sum(currency, totals.iter().copied());
    AgingTable {
        as_of,
        rows,
        more,
        totals,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    #[test]
    fn a_comparison_keeps_a_row_for_a_party_that_has_since_paid_up() {
        let earlier = age_by_party(
            currency("GBP"),
            day("2026-05-31"),
            [
                item(1, "Harbor Cafe", "2026-05-01", "100.00"),
                item(2, "Mill Bakery", "2026-05-20", "40.00"),
            ],
        );
        let now = age_by_party(
            currency("GBP"),
            day("2026-06-30"),
            [item(2, "Mill Bakery", "2026-06-20", "70.00")],
        );

        let compared = now.with_earlier_parties(&earlier);

        let rows: Vec<(&str, Money, Money)> = compared
            .rows
            .iter()
            .map(|r| (r.party.as_str(), r.total, earlier.party_total(r.party_id)))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Mill Bakery", gbp("70.00"), gbp("40.00")),
                ("Harbor Cafe", gbp("0.00"), gbp("100.00")),
            ]
        );
        assert_eq!(compared.total, gbp("70.00"));
        assert!(compared.rows[1].buckets.iter().all(|b| b.is_zero()));
    }

    fn item(party_id: i64, party: &str, due: &str, open: &str) -> OpenItem {
        OpenItem {
            party_id,
            party: party.into(),
            due: day(due),
            open: gbp(open),
        }
    }

    #[test]
    fn a_bill_due_45_days_ago_is_in_the_31_to_60_days_column() {
        let items = [item(1, "Landlord", "2026-05-31", "240.00")];

        let table = age_by_party(currency("GBP"), day("2026-07-15"), items);

        assert_eq!(table.rows[0].buckets[2], gbp("240.00"));
        assert_eq!(table.totals[2], gbp("240.00"));
        assert_eq!(table.total, gbp("240.00"));
    }

    #[test]
    fn each_party_gets_one_row_and_the_oldest_debt_comes_first() {
        let items = [
            item(1, "Acme", "2026-06-30", "100.00"),
            item(2, "Bolt", "2026-03-01", "50.00"),
            item(1, "Acme", "2026-05-01", "25.00"),
        ];

        let table = age_by_party(currency("GBP"), day("2026-06-30"), items);

        let names: Vec<&str> = table.rows.iter().map(|r| r.party.as_str()).collect();
        assert_eq!(names, vec!["Bolt", "Acme"]);
        assert_eq!(table.rows[1].total, gbp("125.00"));
        assert_eq!(table.rows[1].buckets[0], gbp("100.00"));
        assert_eq!(table.rows[1].buckets[2], gbp("25.00"));
        assert_eq!(table.rows[0].buckets[4], gbp("50.00"));
        assert_eq!(table.total, gbp("175.00"));
    }

    #[test]
    fn the_row_totals_add_up_to_the_column_totals() {
        let items = (0..40).map(|i| item(i % 7, "Party", "2026-01-10", "1.01"));

        let table = age_by_party(currency("GBP"), day("2026-04-30"), items);

        let rows = Money::sum(currency("GBP"), table.rows.iter().map(|r| r.total));
        assert_eq!(rows, table.total);
        assert_eq!(table.total, gbp("40.40"));
    }

    #[test]
    fn a_party_total_is_what_that_party_had_open_and_zero_for_anyone_else() {
        let items = [
            item(1, "Acme", "2026-06-30", "100.00"),
            item(1, "Acme", "2026-05-01", "25.00"),
        ];

        let table = age_by_party(currency("GBP"), day("2026-06-30"), items);

        assert_eq!(table.party_total(1), gbp("125.00"));
        assert_eq!(table.party_total(2), gbp("0.00"));
    }

    #[test]
    fn with_nothing_open_the_table_is_empty_with_zero_totals() {
        let table = age_by_party(currency("GBP"), day("2026-04-30"), []);

        assert!(table.rows.is_empty());
        assert_eq!(table.totals.len(), AgingBucket::ALL.len());
        assert!(table.total.is_zero());
    }
}
