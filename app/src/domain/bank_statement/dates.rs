//! Dates as banks write them. A CSV column has one order of day, month and year; the
//! separators (`.`, `/`, `-`, space) and a trailing time are accepted whatever the order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The order of the parts of a date in a CSV column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateFormat {
    /// `2024-03-31`, `2024/03/31`, `20240331`.
    YearMonthDay,
    /// `31.03.2024`, `31/03/24`, `31 Mar 2024`, `31032024`.
    DayMonthYear,
    /// `03/31/2024`, `3/31/24`, `Mar 31 2024`, `03312024`.
    MonthDayYear,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Reads a date in the given order. Two-digit years are 2000–2069 below 70, else 1900s.
/// `30.02.2024` is refused as impossible rather than moved to another day.
pub fn parse_date(text: &str, format: DateFormat) -> Result<NaiveDate, String> {
    let refuse = || format!("\"{}\" is not a date", super::amount::quote(text));
    let trimmed = text.trim();
    let day_part = trimmed
        .split(|c: char| c.is_whitespace() && !looks_like_named_date(trimmed))
        .next()
        .unwrap_or("");
    let day_part = match day_part.split_once('T') {
        Some((date, time)) if time.starts_with(|c: char| c.is_ascii_digit()) => date,
        _ => day_part,
    };
    let parts = split_parts(day_part).ok_or_else(refuse)?;
    let (year, month, day) = order(&parts, format).ok_or_else(refuse)?;
    let year = match year.len() {
        // A two-digit year in front would read 24.01.02 as 2024-01-02: never guess that.
        2 if format == DateFormat::YearMonthDay => return Err(refuse()),
        2 => two_digit_year(year.parse().map_err(|_| refuse())?),
        4 => year.parse().map_err(|_| refuse())?,
        _ => return Err(refuse()),
    };
    let month = month_number(month).ok_or_else(refuse)?;
    let day: u32 = number(day, 2).ok_or_else(refuse)?;
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("\"{}\" is not a day of the calendar", trimmed))
}

/// A named month (`05 Jan 2024`) keeps its spaces; other dates end at the first space.
fn looks_like_named_date(text: &str) -> bool {
    text.split_whitespace()
        .take(2)
        .any(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() >= 3)
}

/// Splits a date into its three parts; a run of 8 digits is split by the order later.
fn split_parts(text: &str) -> Option<Vec<&str>> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(vec![text]);
    }
    let parts: Vec<&str> = text
        .split(['.', '/', '-', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() == 3 && parts.iter().all(|p| p.is_ascii())).then_some(parts)
}

fn order<'a>(parts: &[&'a str], format: DateFormat) -> Option<(&'a str, &'a str, &'a str)> {
    if let [compact] = parts {
        return Some(match format {
            DateFormat::YearMonthDay => (&compact[..4], &compact[4..6], &compact[6..]),
            DateFormat::DayMonthYear => (&compact[4..], &compact[2..4], &compact[..2]),
            DateFormat::MonthDayYear => (&compact[4..], &compact[..2], &compact[2..4]),
        });
    }
    let [a, b, c] = parts else { return None };
    Some(match format {
        DateFormat::YearMonthDay => (a, b, c),
        DateFormat::DayMonthYear => (c, b, a),
        DateFormat::MonthDayYear => (c, a, b),
    })
}

fn number(text: &str, max_len: usize) -> Option<u32> {
    let ok = !text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

fn month_number(text: &str) -> Option<u32> {
    if let Some(n) = number(text, 2) {
        return Some(n);
    }
    let lower = text.to_ascii_lowercase();
    let index = MONTHS
        .iter()
        .position(|m| lower.len() >= 3 && lower.starts_with(m))?;
    u32::try_from(index + 1).ok()
}

/// Two-digit years: `24` is 2024 and `85` is 1985 (statements older than 1970 do not
/// reach a bookkeeping app).
pub fn two_digit_year(yy: i32) -> i32 {
    if yy < 70 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// What the dates of one column say about their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateDetection {
    /// One order reads the most dates.
    Certain(DateFormat),
    /// Both day-first and month-first read every date (no day above 12); day-first is assumed.
    Ambiguous(DateFormat),
    /// No order reads any date.
    None,
}

/// Picks the order that reads the most samples. A year in front decides by itself; otherwise
/// a day above 12 tells day-first from month-first, and without one the file is ambiguous.
/// A few bad dates do not change the order; the parse then names them.
pub fn detect_date_format<'a>(samples: impl IntoIterator<Item = &'a str> + Clone) -> DateDetection {
    let orders = [
        DateFormat::YearMonthDay,
        DateFormat::DayMonthYear,
        DateFormat::MonthDayYear,
    ];
    let read = |format| {
        samples
            .clone()
            .into_iter()
            .filter(|s| parse_date(s, format).is_ok())
            .count()
    };
    let counts = orders.map(read);
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return DateDetection::None;
    }
    let fitting: Vec<DateFormat> = orders
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n == best)
        .map(|(f, _)| f)
        .collect();
    match fitting.as_slice() {
        [only] => DateDetection::Certain(*only),
        [DateFormat::YearMonthDay, ..] => DateDetection::Certain(DateFormat::YearMonthDay),
        [first, ..] => DateDetection::Ambiguous(*first),
        [] => DateDetection::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_common_bank_date_form_is_read() {
        use DateFormat::*;
        let cases = [
            ("2024-03-31", YearMonthDay),
            ("20240331", YearMonthDay),
            ("2024-03-31T10:00:00", YearMonthDay),
            ("31.03.2024", DayMonthYear),
            ("31.03.24", DayMonthYear),
            ("31/03/2024 14:02", DayMonthYear),
            ("31 Mar 2024", DayMonthYear),
            ("31-Mar-24", DayMonthYear),
            ("31032024", DayMonthYear),
            ("03/31/2024", MonthDayYear),
            ("3/31/24", MonthDayYear),
            ("Mar 31 2024", MonthDayYear),
            ("31-MAR-2024", DayMonthYear),
        ];
        for (text, format) in cases {
            assert_eq!(parse_date(text, format), Ok(day(2024, 3, 31)), "{text}");
        }
    }

    #[test]
    fn impossible_days_are_refused_naming_the_text() {
        let message = parse_date("30.02.2024", DateFormat::DayMonthYear).unwrap_err();
        assert!(message.contains("30.02.2024"), "{message}");
        assert!(parse_date("2024-13-01", DateFormat::YearMonthDay).is_err());
        assert!(parse_date("1.2", DateFormat::DayMonthYear).is_err());
        assert!(parse_date("2024-1-1-1", DateFormat::YearMonthDay).is_err());
        assert!(parse_date("é1.01.2024", DateFormat::DayMonthYear).is_err());
    }

    #[test]
    fn two_digit_years_pivot_at_seventy() {
        assert_eq!(
            parse_date("01.01.69", DateFormat::DayMonthYear),
            Ok(day(2069, 1, 1))
        );
        assert_eq!(
            parse_date("01.01.70", DateFormat::DayMonthYear),
            Ok(day(1970, 1, 1))
        );
    }

    #[test]
    fn detection_uses_a_day_above_twelve_and_says_when_it_cannot() {
        let us = ["01/02/2024", "01/13/2024"];
        assert_eq!(
            detect_date_format(us.iter().copied()),
            DateDetection::Certain(DateFormat::MonthDayYear)
        );
        let eu = ["01/02/2024", "13/01/2024"];
        assert_eq!(
            detect_date_format(eu.iter().copied()),
            DateDetection::Certain(DateFormat::DayMonthYear)
        );
        let unclear = ["01/02/2024", "03/04/2024"];
        assert_eq!(
            detect_date_format(unclear.iter().copied()),
            DateDetection::Ambiguous(DateFormat::DayMonthYear)
        );
        let iso = ["2024-01-02"];
        assert_eq!(
            detect_date_format(iso.iter().copied()),
            DateDetection::Certain(DateFormat::YearMonthDay)
        );
    }
}
