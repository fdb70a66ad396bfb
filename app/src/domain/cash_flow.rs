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
    (0..count).rev().filter_map(|back| this_month.checked_sub_months(Months::new(back))).collect()
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
        Money::sum(currency, rows.iter().filter(|(m, _)| month_start(*m) == month).map(|(_, v)| *v))
    };
    last_months(today, count)
        .into_iter()
        .map(|month| MonthFlow { month, invoiced: find(invoiced, month), collected: find(collected, month) })
        .collect()
}
