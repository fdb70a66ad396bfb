//! Cash flow per calendar month: what was invoiced and what was collected.

use super::money::{Currency, Money};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// One month's figures; `month` is the first day of the month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthFlow {
    pub month: NaiveDate,
    pub invoiced: Money,
    pub collected: Money,
}

/// First day of the month containing `day`.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The first days of the `count` months ending with the month of `today`, oldest first.
pub fn last_months(today: NaiveDate, count: u32) -> Vec<NaiveDate> {
    let this_month = month_start(today);
    (0..count)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
        .collect()
}

/// Places per-month sums (keyed by the month's first day) on the last `count` months,
/// filling months with no activity with zero.
pub fn monthly_flows(
    currency: Currency,
    today: NaiveDate,
    count: u32,
    invoiced: &[(NaiveDate, Money)],
    collected: &[(NaiveDate, Money)],
) -> Vec<MonthFlow> {
    let find = |rows: &[(NaiveDate, Money)], month: NaiveDate| {
        Money::sum(
            currency,
            rows.iter()
                .filter(|(m, _)| month_start(*m) == month)
                .map(|(_, v)| *v),
        )
    };
    last_months(today, count)
        .into_iter()
        .map(|month| MonthFlow {
            month,
            invoiced: find(invoiced, month),
            collected: find(collected, month),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    #[test]
    fn last_months_run_back_across_the_year_boundary_oldest_first() {
        let months = last_months(day("2026-02-14"), 4);

        assert_eq!(
            months,
            vec![
                day("2025-11-01"),
                day("2025-12-01"),
                day("2026-01-01"),
                day("2026-02-01")
            ]
        );
    }

    #[test]
    fn last_months_from_the_end_of_a_long_month_are_first_days() {
        let months = last_months(day("2026-03-31"), 2);

        assert_eq!(months, vec![day("2026-02-01"), day("2026-03-01")]);
    }

    #[test]
    fn no_months_asked_for_is_no_months() {
        let months = last_months(day("2026-03-31"), 0);

        assert!(months.is_empty());
    }

    #[test]
    fn activity_lands_in_its_month_and_months_without_any_are_zero() {
        let invoiced = [
            (day("2025-12-01"), gbp("839.96")),
            (day("2025-12-20"), gbp("100.00")),
        ];
        let collected = [
            (day("2026-02-01"), gbp("400.00")),
            (day("2025-06-01"), gbp("999.00")),
        ];

        let flows = monthly_flows(currency("GBP"), day("2026-02-14"), 3, &invoiced, &collected);

        let expected = vec![
            MonthFlow {
                month: day("2025-12-01"),
                invoiced: gbp("939.96"),
                collected: gbp("0"),
            },
            MonthFlow {
                month: day("2026-01-01"),
                invoiced: gbp("0"),
                collected: gbp("0"),
            },
            MonthFlow {
                month: day("2026-02-01"),
                invoiced: gbp("0"),
                collected: gbp("400.00"),
            },
        ];
        assert_eq!(flows, expected);
    }
}
