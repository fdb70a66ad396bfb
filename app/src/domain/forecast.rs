//! The 13-week cash forecast: today's money plus what open invoices should bring in and open
//! bills should take out, week by week, by their due dates.

use super::money::{Currency, Money};
use super::money_flow::week_start;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many weeks a forecast looks ahead.
pub const WEEKS: u64 = 13;

/// One week of the forecast, Monday to Sunday.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastWeek {
    pub start: NaiveDate,
    pub expected_in: Money,
    pub expected_out: Money,
    pub net: Money,
    /// The money expected at the end of the week.
    pub balance: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub today: NaiveDate,
    /// The money accounts' balance today, where the forecast starts.
    pub opening: Money,
    pub weeks: Vec<ForecastWeek>,
    /// Open balances falling due after the last week: not in the weeks above.
    pub later_in: Money,
    pub later_out: Money,
    /// How much of the expected money in the weeks above comes from recurring invoices not
    /// yet made (included in `expected_in`).
    pub from_recurring: Money,
}

/// Spreads open receivables and payables, as `(due date, open balance)`, over the 13 weeks
/// starting with the week of `today`. Anything already overdue is expected in the first week.
pub fn forecast(
    currency: Currency,
    today: NaiveDate,
    opening: Money,
    receivables: &[(NaiveDate, Money)],
    payables: &[(NaiveDate, Money)],
) -> Forecast {
    let first = week_start(today);
    let end = first + Days::new(7 * WEEKS);
    let week_of = |due: NaiveDate| -> Option<usize> {
        if due >= end {
            return None;
        }
        let days = (due.max(first) - first).num_days();
        Some((days / 7) as usize)
    };
    let zero = Money::zero(currency);
    let mut expected_in = vec![zero; WEEKS as usize];
    let mut expected_out = vec![zero; WEEKS as usize];
    let (mut later_in, mut later_out) = (zero, zero);
    for (due, amount) in receivables {
        match week_of(*due) {
            Some(w) => expected_in[w] = expected_in[w] + *amount,
            None => later_in = later_in + *amount,
        }
    }
    for (due, amount) in payables {
        match week_of(*due) {
            Some(w) => expected_out[w] = expected_out[w] + *amount,
            None => later_out = later_out + *amount,
        }
    }
    let mut balance = opening;
    let weeks = (0..WEEKS as usize)
        .map(|w| {
            let net = expected_in[w] - expected_out[w];
            balance = balance + net;
            ForecastWeek {
                start: first + Days::new(7 * w as u64),
                expected_in: expected_in[w],
                expected_out: expected_out[w],
                net,
                balance,
            }
        })
        .collect();
    Forecast {
        today,
        opening,
        weeks,
        later_in,
        later_out,
        from_recurring: zero,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    #[test]
    fn the_forecast_has_thirteen_weeks_from_the_monday_of_this_week() {
        let today = day("2026-07-15");

        let f = forecast(currency("GBP"), today, gbp("10.00"), &[], &[]);

        assert_eq!(f.weeks.len(), 13);
        assert_eq!(f.weeks[0].start, day("2026-07-13"));
        assert_eq!(f.weeks[12].start, day("2026-10-05"));
        assert!(f.weeks.iter().all(|w| w.balance == gbp("10.00")));
    }

    #[test]
    fn overdue_invoices_are_expected_in_the_first_week() {
        let receivables = [
            (day("2026-03-16"), gbp("439.96")),
            (day("2026-07-14"), gbp("60.04")),
        ];

        let f = forecast(
            currency("GBP"),
            day("2026-07-15"),
            gbp("0"),
            &receivables,
            &[],
        );

        assert_eq!(f.weeks[0].expected_in, gbp("500.00"));
        assert_eq!(f.weeks[0].balance, gbp("500.00"));
    }

    #[test]
    fn bills_leave_in_the_week_they_fall_due_and_the_balance_runs_on() {
        let payables = [(day("2026-07-27"), gbp("240.00"))];
        let receivables = [(day("2026-07-21"), gbp("100.00"))];

        let f = forecast(
            currency("GBP"),
            day("2026-07-15"),
            gbp("1000.00"),
            &receivables,
            &payables,
        );

        assert_eq!(f.weeks[1].expected_in, gbp("100.00"));
        assert_eq!(f.weeks[2].expected_out, gbp("240.00"));
        assert_eq!(f.weeks[2].net, gbp("-240.00"));
        assert_eq!(f.weeks[12].balance, gbp("860.00"));
    }

    #[test]
    fn what_falls_due_after_thirteen_weeks_is_kept_apart() {
        let receivables = [(day("2026-10-12"), gbp("75.00"))];

        let f = forecast(
            currency("GBP"),
            day("2026-07-15"),
            gbp("0"),
            &receivables,
            &[],
        );

        assert_eq!(f.later_in, gbp("75.00"));
        assert!(f.weeks.iter().all(|w| w.expected_in.is_zero()));
    }
}
