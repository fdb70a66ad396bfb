//! Amounts as banks write them: a decimal point or a decimal comma, thousands grouped by the
//! other mark (or a space or apostrophe), a sign in front, behind, or as parentheses.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Which mark separates the whole part from the fraction; the other one may group thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecimalSeparator {
    Point,
    Comma,
}

impl DecimalSeparator {
    fn mark(self) -> char {
        match self {
            DecimalSeparator::Point => '.',
            DecimalSeparator::Comma => ',',
        }
    }

    fn grouping(self) -> char {
        match self {
            DecimalSeparator::Point => ',',
            DecimalSeparator::Comma => '.',
        }
    }
}

/// More whole digits than any bank balance has; keeps every sum far from `Decimal`'s limits.
const MAX_WHOLE_DIGITS: usize = 15;

/// Reads `1.234,56` (comma) or `1,234.56` (point) exactly. Refuses currency symbols, letters,
/// misplaced grouping marks (`1.2.3`) and more than one sign, naming the text in the message.
pub fn parse_amount(text: &str, separator: DecimalSeparator) -> Result<Decimal, String> {
    let refuse = || format!("\"{}\" is not an amount", quote(text));
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (negative, body) = split_sign(&compact).ok_or_else(refuse)?;
    let (whole, fraction) = match body.rsplit_once(separator.mark()) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let whole = ungroup(whole, separator.grouping()).ok_or_else(refuse)?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let fraction_ok = fraction.is_none_or(digits);
    if !(digits(&whole) || whole.is_empty() && fraction.is_some()) || !fraction_ok {
        return Err(refuse());
    }
    if whole.trim_start_matches('0').len() > MAX_WHOLE_DIGITS
        || fraction.is_some_and(|f| f.len() > 10)
    {
        return Err(format!("\"{}\" is too large an amount", quote(text)));
    }
    let plain = match fraction {
        Some(f) => format!("{}.{f}", if whole.is_empty() { "0" } else { &whole }),
        None => whole,
    };
    let value = Decimal::from_str(&plain).map_err(|_| refuse())?;
    Ok(if negative { -value } else { value })
}

/// Splits a leading `-`/`+`, a trailing `-`/`+` or enclosing parentheses off the digits.
fn split_sign(text: &str) -> Option<(bool, &str)> {
    let (negative, body) = if let Some(rest) = text.strip_prefix('(') {
        (true, rest.strip_suffix(')')?)
    } else if let Some(rest) = text.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = text.strip_suffix('-') {
        (true, rest)
    } else if let Some(rest) = text.strip_suffix('+') {
        (false, rest)
    } else {
        (false, text)
    };
    let signs = |c: char| matches!(c, '-' | '+' | '(' | ')');
    (!body.is_empty() && !body.contains(signs)).then_some((negative, body))
}

/// Removes thousands marks when every group after the first has three digits.
fn ungroup(whole: &str, mark: char) -> Option<String> {
    if !whole.contains(mark) {
        return Some(whole.to_string());
    }
    let groups: Vec<&str> = whole.split(mark).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// Enough of someone's text to recognise it in a message, never all of it.
pub(super) fn quote(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(32) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comma(text: &str) -> String {
        parse_amount(text, DecimalSeparator::Comma)
            .unwrap()
            .to_string()
    }

    fn point(text: &str) -> String {
        parse_amount(text, DecimalSeparator::Point)
            .unwrap()
            .to_string()
    }

    #[test]
    fn decimal_comma_with_thousands_points_reads_exactly() {
        assert_eq!(comma("1.234,56"), "1234.56");
    }

    #[test]
    fn decimal_comma_with_one_decimal_reads_exactly() {
        assert_eq!(comma("-89,9"), "-89.9");
    }

    #[test]
    fn thousands_point_without_decimals_reads_as_thousands() {
        assert_eq!(comma("-1.000"), "-1000");
    }

    #[test]
    fn five_cents_with_a_decimal_comma_reads_exactly() {
        assert_eq!(comma("0,05"), "0.05");
    }

    #[test]
    fn decimal_point_with_thousands_commas_reads_exactly() {
        assert_eq!(point("1,234.56"), "1234.56");
        assert_eq!(point("-1,000,000.01"), "-1000000.01");
    }

    #[test]
    fn signs_behind_and_in_parentheses_are_read() {
        assert_eq!(comma("12,50-"), "-12.50");
        assert_eq!(point("(7.25)"), "-7.25");
        assert_eq!(point("+3.00"), "3.00");
        assert_eq!(point(".5"), "0.5");
        assert_eq!(comma("1 234,56"), "1234.56");
    }

    #[test]
    fn currency_symbols_misplaced_marks_and_double_signs_are_refused() {
        for bad in [
            "$120", "1.2.3", "12a", "", "-", "--5", "1,2,3.4", "1.23,4.5", "5-5", "1e5",
        ] {
            let point = parse_amount(bad, DecimalSeparator::Point);
            assert!(point.is_err(), "{bad} with a point");
        }
        for bad in ["1.2.3", "€5", "1,2,3", "12.34"] {
            assert!(parse_amount(bad, DecimalSeparator::Comma).is_err(), "{bad}");
        }
        let message = parse_amount("$120", DecimalSeparator::Point).unwrap_err();
        assert!(message.contains("$120"), "{message}");
    }

    #[test]
    fn absurdly_long_amounts_are_refused_not_overflowed() {
        let long = "9".repeat(40);
        assert!(parse_amount(&long, DecimalSeparator::Point).is_err());
    }
}
