//! When a recurring invoice falls due: every week from its start, every month on a chosen day
//! (the month's last day when it is shorter), or every year on its start's day. Each
//! occurrence is computed from the start, never from the one before, so a short month does not
//! pull every later date earlier.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often an invoice repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Weekly,
    /// On this day of each month (1–31; a shorter month uses its last day).
    Monthly {
        day: u32,
    },
    Yearly,
}

impl Frequency {
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly { .. } => "monthly",
            Frequency::Yearly => "yearly",
        }
    }

    pub fn describe(self) -> String {
        match self {
            Frequency::Weekly => "Every week".into(),
            Frequency::Monthly { day: 31 } => "Every month on its last day".into(),
            Frequency::Monthly { day } => format!("Every month on day {day}"),
            Frequency::Yearly => "Every year".into(),
        }
    }
}

/// A schedule: from `start` (the first occurrence is on or after it) until `end` if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub frequency: Frequency,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The most occurrences one call returns, so a schedule started long ago cannot make an
/// unbounded batch.
pub const MAX_OCCURRENCES: usize = 400;

impl Schedule {
    /// The n-th occurrence counted from the start (0 is the first), if the calendar has it.
    fn nth(&self, n: u32) -> Option<NaiveDate> {
        match self.frequency {
            Frequency::Weekly => self.start.checked_add_days(Days::new(7 * u64::from(n))),
            Frequency::Monthly { day } => {
                // The first month is the start's own when its chosen day is not already past.
                let first_month = self.start.with_day(1)?;
                let skip = u32::from(on_day(first_month, day)? < self.start);
                let month = first_month.checked_add_months(Months::new(n + skip))?;
                on_day(month, day)
            }
            Frequency::Yearly => {
                let year = self.start.year().checked_add(i32::try_from(n).ok()?)?;
                let first = NaiveDate::from_ymd_opt(year, self.start.month(), 1)?;
                on_day(first, self.start.day())
            }
        }
    }

    /// The occurrences after `after` (none yet: from the start) up to and including `until`,
    /// and not past the end; at most [`MAX_OCCURRENCES`].
    pub fn occurrences(&self, after: Option<NaiveDate>, until: NaiveDate) -> Vec<NaiveDate> {
        let until = match self.end {
            Some(end) => until.min(end),
            None => until,
        };
        let mut found = Vec::new();
        let mut n = self.first_index_after(after);
        while found.len() < MAX_OCCURRENCES {
            let Some(date) = self.nth(n) else { break };
            if date > until {
                break;
            }
            found.push(date);
            n += 1;
        }
        found
    }

    /// The first occurrence after `after` (or the very first), whatever the end.
    pub fn next_after(&self, after: Option<NaiveDate>) -> Option<NaiveDate> {
        self.nth(self.first_index_after(after))
            .filter(|d| self.end.is_none_or(|end| *d <= end))
    }

    /// The index of the first occurrence after `after`, found without walking from the start
    /// one by one.
    fn first_index_after(&self, after: Option<NaiveDate>) -> u32 {
        let Some(after) = after else { return 0 };
        if after < self.start {
            return 0;
        }
        // An estimate a little below the answer, then a few steps forward.
        let days = (after - self.start).num_days().max(0) as u32;
        let mut n = match self.frequency {
            Frequency::Weekly => days / 7,
            Frequency::Monthly { .. } => (days / 31).saturating_sub(1),
            Frequency::Yearly => (days / 366).saturating_sub(1),
        };
        while self.nth(n).is_some_and(|d| d <= after) {
            n += 1;
        }
        n
    }
}

/// `day` of the month `first` starts, or that month's last day when it is shorter.
fn on_day(first: NaiveDate, day: u32) -> Option<NaiveDate> {
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
    first.with_day(day.clamp(1, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::day;
    use proptest::prelude::*;

    fn monthly(day_of_month: u32, start: &str) -> Schedule {
        Schedule {
            frequency: Frequency::Monthly { day: day_of_month },
            start: day(start),
            end: None,
        }
    }

    #[test]
    fn monthly_on_the_31st_falls_on_each_months_last_day_without_drifting() {
        let s = monthly(31, "2027-01-15");

        let dates = s.occurrences(None, day("2027-05-31"));

        assert_eq!(
            dates,
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
            .map(day)
        );
    }

    #[test]
    fn a_monthly_day_already_past_in_the_start_month_begins_the_month_after() {
        let s = monthly(5, "2026-12-20");

        assert_eq!(s.next_after(None), Some(day("2027-01-05")));
        assert_eq!(
            s.occurrences(Some(day("2027-01-05")), day("2027-03-04")),
            vec![day("2027-02-05")]
        );
    }

    #[test]
    fn weekly_and_yearly_count_from_the_start_and_stop_at_the_end() {
        let weekly = Schedule {
            frequency: Frequency::Weekly,
            start: day("2026-12-01"),
            end: Some(day("2026-12-22")),
        };
        let leap = Schedule {
            frequency: Frequency::Yearly,
            start: day("2028-02-29"),
            end: None,
        };

        assert_eq!(
            weekly.occurrences(None, day("2027-06-01")),
            ["2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22"].map(day)
        );
        assert_eq!(weekly.next_after(Some(day("2026-12-22"))), None);
        assert_eq!(
            leap.occurrences(None, day("2032-12-31")),
            [
                "2028-02-29",
                "2029-02-28",
                "2030-02-28",
                "2031-02-28",
                "2032-02-29"
            ]
            .map(day)
        );
    }

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        let frequency = prop_oneof![
            Just(Frequency::Weekly),
            (1u32..=31).prop_map(|day| Frequency::Monthly { day }),
            Just(Frequency::Yearly),
        ];
        (frequency, 0i64..3000, proptest::option::of(0i64..3000)).prop_map(
            |(frequency, start, length)| {
                let start = day("2024-01-01") + chrono::Duration::days(start);
                Schedule {
                    frequency,
                    start,
                    end: length.map(|l| start + chrono::Duration::days(l)),
                }
            },
        )
    }

    proptest! {
        /// Catching up in any number of steps gives every occurrence exactly once, the same
        /// as catching up at once: what a scheduler that was down relies on.
        #[test]
        fn catching_up_in_steps_finds_each_occurrence_exactly_once(
            s in any_schedule(),
            stops in proptest::collection::vec(0i64..2000, 1..6),
        ) {
            let horizon = s.start + chrono::Duration::days(2000);
            let all = s.occurrences(None, horizon);
            let mut stops: Vec<NaiveDate> = stops.into_iter().map(|d| s.start + chrono::Duration::days(d)).collect();
            stops.sort();
            stops.push(horizon);
            let mut seen = Vec::new();
            let mut last = None;
            for stop in stops {
                let batch = s.occurrences(last, stop);
                if let Some(&d) = batch.last() { last = Some(d); }
                seen.extend(batch);
            }
            prop_assert_eq!(&seen, &all);
            prop_assert!(all.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(all.iter().all(|d| *d >= s.start && s.end.is_none_or(|e| *d <= e)));
            if let Some(first) = all.first() {
                prop_assert_eq!(s.next_after(None), Some(*first));
            }
            for pair in all.windows(2) {
                prop_assert_eq!(s.next_after(Some(pair[0])), Some(pair[1]));
            }
        }
    }
}
