//! Money actually in and out of the bank, cash and card accounts per week or month, with the
//! running balance of those accounts.

use super::money::{Currency, Money};
use super::reports::Period;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How finely a period is cut: weeks start on Monday, months on the first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    #[default]
    Week,
    Month,
}

impl Interval {
    pub fn parse(text: &str) -> Option<Interval> {
        match text {
            "week" | "" => Some(Interval::Week),
            "month" => Some(Interval::Month),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The first day of the week or month containing `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Interval::Week => week_start(day),
            Interval::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the next week or month.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Interval::Week => start + Days::new(7),
            Interval::Month => start + Months::new(1),
        }
    }
}

/// How many weeks or months of a period a report shows, counting the partial ones at the ends.
pub fn row_count(period: Period, interval: Interval) -> usize {
    let mut count = 0;
    let mut start = interval.start_of(period.from);
    while start <= period.to {
        count += 1;
        start = interval.next(start);
    }
    count
}

/// The Monday on or before `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// One week or month; `from` and `to` are clipped to the period asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub money_in: Money,
    pub money_out: Money,
    pub net: Money,
    /// The money accounts' balance at the end of `to`.
    pub balance: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoneyFlow {
    pub period: Period,
    pub interval: Interval,
    pub opening: Money,
    pub rows: Vec<FlowRow>,
    pub total_in: Money,
    pub total_out: Money,
    pub closing: Money,
}

/// Which way money moved: into the money accounts or out of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// One entry's money in or out (positive), netted over the money accounts it touched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub entry_id: i64,
    pub date: NaiveDate,
    pub amount: Money,
    /// The money accounts' codes.
    pub accounts: Vec<String>,
    pub memo: String,
    pub source: String,
}

/// The entries behind a cash-flow figure, a page at a time, with the figure itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Movements {
    pub period: Period,
    pub direction: Direction,
    pub total: Money,
    pub count: u64,
    pub page: u32,
    pub pages: u32,
    pub rows: Vec<Movement>,
}

/// Places per-day money in and out (both positive) on the weeks or months of a period,
/// starting from the balance before it. Days outside the period are ignored.
pub fn money_flow(
    currency: Currency,
    period: Period,
    interval: Interval,
    opening: Money,
    days: &[(NaiveDate, Money, Money)],
) -> MoneyFlow {
    let mut rows = Vec::new();
    let mut balance = opening;
    let mut start = interval.start_of(period.from);
    while start <= period.to {
        let next = interval.next(start);
        let from = start.max(period.from);
        let to = (next - Days::new(1)).min(period.to);
        let inside = days.iter().filter(|(d, _, _)| *d >= from && *d <= to);
        let money_in = Money::sum(currency, inside.clone().map(|(_, i, _)| *i));
        let money_out = Money::sum(currency, inside.map(|(_, _, o)| *o));
        let net = money_in - money_out;
        balance = balance + net;
        rows.push(FlowRow {
            from,
            to,
            money_in,
            money_out,
            net,
            balance,
        });
        start = next;
    }
    let total_in = Money::sum(currency, rows.iter().map(|r| r.money_in));
    let total_out = Money::sum(currency, rows.iter().map(|r| r.money_out));
    MoneyFlow {
        period,
        interval,
        opening,
        closing: rows.last().map_or(opening, |r| r.balance),
        rows,
        total_in,
        total_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    #[test]
    fn a_week_starts_on_monday() {
        let sunday = day("2026-07-19");
        let monday = day("2026-07-20");

        assert_eq!(week_start(sunday), day("2026-07-13"));
        assert_eq!(week_start(monday), monday);
    }

    #[test]
    fn weeks_are_clipped_to_the_period_and_carry_the_running_balance() {
        let period = Period {
            from: day("2026-07-01"),
            to: day("2026-07-14"),
        };
        let days = [
            (day("2026-07-01"), gbp("100.00"), gbp("0")),
            (day("2026-07-06"), gbp("0"), gbp("30.00")),
            (day("2026-07-14"), gbp("20.00"), gbp("5.00")),
            (day("2026-07-15"), gbp("999.00"), gbp("0")),
        ];

        let flow = money_flow(currency("GBP"), period, Interval::Week, gbp("50.00"), &days);

        let rows: Vec<(NaiveDate, NaiveDate, Money, Money)> = flow
            .rows
            .iter()
            .map(|r| (r.from, r.to, r.net, r.balance))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    day("2026-07-01"),
                    day("2026-07-05"),
                    gbp("100.00"),
                    gbp("150.00")
                ),
                (
                    day("2026-07-06"),
                    day("2026-07-12"),
                    gbp("-30.00"),
                    gbp("120.00")
                ),
                (
                    day("2026-07-13"),
                    day("2026-07-14"),
                    gbp("15.00"),
                    gbp("135.00")
                ),
            ]
        );
        assert_eq!(flow.total_in, gbp("120.00"));
        assert_eq!(flow.total_out, gbp("35.00"));
        assert_eq!(flow.closing, gbp("135.00"));
    }

    #[test]
    fn a_period_counts_its_partial_weeks_and_months() {
        let period = Period {
            from: day("2026-07-01"),
            to: day("2026-09-01"),
        };

        assert_eq!(row_count(period, Interval::Week), 10);
        assert_eq!(row_count(period, Interval::Month), 3);
    }

    #[test]
    fn months_run_from_the_first_to_the_last_day() {
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-03-31"),
        };

        let flow = money_flow(currency("GBP"), period, Interval::Month, gbp("0"), &[]);

        let ends: Vec<NaiveDate> = flow.rows.iter().map(|r| r.to).collect();
        assert_eq!(
            ends,
            vec![day("2026-01-31"), day("2026-02-28"), day("2026-03-31")]
        );
        assert_eq!(flow.closing, gbp("0"));
    }
}
