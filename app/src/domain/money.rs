//! Money: an exact decimal amount in a currency that knows its minor unit.
//! All rounding of money goes through [`round_money`].

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

/// What can be wrong with a currency code or an amount someone typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency \"{0}\"")]
    UnknownCurrency(String),
    #[error("\"{0}\" is not an amount; write it like 1234.50")]
    Malformed(String),
    #[error("{code} amounts have at most {places} decimal places")]
    TooManyDecimals { code: String, places: u32 },
    #[error("the amount is too large")]
    TooLarge,
}

/// ISO 4217 codes Settle accepts, with the number of digits of their minor unit.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PLN", 2),
    ("RON", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

/// A currency and the number of decimal places of its minor unit (GBP 2, JPY 0, BHD 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// Looks up an ISO 4217 code (case-insensitive).
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(c, minor)| Currency {
                code: c.as_bytes().try_into().unwrap_or([b'?'; 3]),
                minor_units: *minor,
            })
            .ok_or(MoneyError::UnknownCurrency(code.trim().to_string()))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Decimal places of the minor unit.
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// Every currency Settle knows, for pickers.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .filter_map(|(c, _)| Currency::parse(c).ok())
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Currency::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Rounds an amount to the currency's minor unit, half away from zero. The one place money
/// is rounded.
pub fn round_money(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// Parses a decimal typed by a person: digits, an optional leading minus and an optional
/// decimal point, at most `max_places` decimals. Spaces are ignored, and so are commas that
/// separate thousands ("1,234.50"); any other comma ("12,50") is refused rather than guessed.
pub fn parse_decimal(text: &str, max_places: u32) -> Result<Decimal, String> {
    let not_a_number = || {
        format!(
            "\"{}\" is not a number; write it like 1234.50",
            shorten(text.trim())
        )
    };
    let spaced: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = strip_thousands_commas(&spaced).ok_or_else(not_a_number)?;
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let mut parts = body.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_none_or(str::is_empty)
        || !digits_ok(whole)
        || fraction.is_some_and(|f| f.is_empty() || !digits_ok(f))
    {
        return Err(not_a_number());
    }
    if whole.len() > 15 {
        return Err("the number is too large".to_string());
    }
    if fraction.map_or(0, str::len) > max_places as usize {
        return Err(format!("use at most {max_places} decimal places"));
    }
    Decimal::from_str(&cleaned).map_err(|_| not_a_number())
}

/// What a message quotes of someone's input: enough to recognise it, never all of it.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(24) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Removes commas that group thousands; `None` when a comma is anywhere else.
fn strip_thousands_commas(text: &str) -> Option<String> {
    let whole = text.split('.').next().unwrap_or("");
    if !whole.contains(',') {
        return Some(text.to_string());
    }
    let groups: Vec<&str> = whole.trim_start_matches('-').split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok && !text[whole.len()..].contains(',')).then(|| text.replace(',', ""))
}

/// An exact amount of one currency, always at the currency's minor-unit scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Rounds `amount` to the currency's minor unit (see [`round_money`]).
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        let mut amount = round_money(amount, currency);
        amount.rescale(currency.minor_units());
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Parses an amount a person typed; refuses more decimals than the currency has.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let amount = parse_decimal(text, currency.minor_units()).map_err(|e| {
            if e.starts_with("the number is too large") {
                MoneyError::TooLarge
            } else if e.starts_with("use at most") {
                MoneyError::TooManyDecimals {
                    code: currency.code().to_string(),
                    places: currency.minor_units(),
                }
            } else {
                MoneyError::Malformed(shorten(text.trim()))
            }
        })?;
        Ok(Money::new(amount, currency))
    }

    /// From an integer count of minor units, as stored in SQLite.
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::new(minor, currency.minor_units()),
            currency,
        }
    }

    /// The integer count of minor units, as stored in SQLite.
    pub fn to_minor(self) -> i64 {
        let mut scaled = self.amount;
        scaled.rescale(self.currency.minor_units());
        i64::try_from(scaled.mantissa()).unwrap_or(if scaled.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    pub fn amount(self) -> Decimal {
        self.amount
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    pub fn is_zero(self) -> bool {
        self.amount.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.amount > Decimal::ZERO
    }

    pub fn is_negative(self) -> bool {
        self.amount < Decimal::ZERO
    }

    pub fn min(self, other: Money) -> Money {
        if self.amount <= other.amount {
            self
        } else {
            other
        }
    }

    pub fn max(self, other: Money) -> Money {
        if self.amount >= other.amount {
            self
        } else {
            other
        }
    }

    pub fn abs(self) -> Money {
        Money {
            amount: self.amount.abs(),
            currency: self.currency,
        }
    }

    /// Sums amounts of one currency.
    pub fn sum(currency: Currency, items: impl IntoIterator<Item = Money>) -> Money {
        items
            .into_iter()
            .fold(Money::zero(currency), |acc, m| acc + m)
    }
}

// Documents and entries are single-currency by construction, so mixing currencies is a
// programming error rather than a user error.
fn same_currency(a: Money, b: Money) {
    assert_eq!(
        a.currency, b.currency,
        "money of different currencies combined"
    );
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        same_currency(self, other);
        Money {
            amount: self.amount + other.amount,
            currency: self.currency,
        }
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        same_currency(self, other);
        Money {
            amount: self.amount - other.amount,
            currency: self.currency,
        }
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        let mut amount = -self.amount;
        // Decimal keeps a sign on zero; a report must never show "-0.00".
        if amount.is_zero() {
            amount.set_sign_positive(true);
        }
        Money {
            amount,
            currency: self.currency,
        }
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }
}

/// Formats with thousands separators and the currency code: `1,234.50 GBP`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", group_thousands(self.amount), self.currency)
    }
}

/// `1234567.5` → `1,234,567.5`; keeps the scale it is given.
pub fn group_thousands(amount: Decimal) -> String {
    let text = amount.abs().to_string();
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Splits `total` minor units in proportion to `weights` so the parts add up to the total
/// exactly (largest remainder method; ties go to the earlier part).
pub fn split_largest_remainder(total: i64, weights: &[i64]) -> Vec<i64> {
    let weight_sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if weight_sum == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let total = i128::from(total);
    let mut parts: Vec<i128> = weights
        .iter()
        .map(|w| total * i128::from(*w) / weight_sum)
        .collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    let remainder = |i: usize| (total * i128::from(weights[i]) % weight_sum).abs();
    order.sort_by(|a, b| remainder(*b).cmp(&remainder(*a)).then(a.cmp(b)));
    let mut left = total - parts.iter().sum::<i128>();
    let step = left.signum();
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += step;
        left -= step;
    }
    parts.into_iter().map(|p| p as i64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{any_currency, currency, dec, gbp};
    use proptest::prelude::*;

    #[test]
    fn midpoints_round_half_away_from_zero_not_to_even() {
        let gbp = currency("GBP");

        let rounded: Vec<Decimal> = ["0.005", "0.015", "0.025", "2.675"]
            .iter()
            .map(|a| round_money(dec(a), gbp))
            .collect();

        assert_eq!(
            rounded,
            vec![dec("0.01"), dec("0.02"), dec("0.03"), dec("2.68")]
        );
    }

    #[test]
    fn negative_midpoints_round_away_from_zero_too() {
        let gbp = currency("GBP");

        let rounded: Vec<Decimal> = ["-0.005", "-0.015", "-0.025", "-0.0049"]
            .iter()
            .map(|a| round_money(dec(a), gbp))
            .collect();

        assert_eq!(
            rounded,
            vec![dec("-0.01"), dec("-0.02"), dec("-0.03"), dec("0.00")]
        );
        assert_eq!(round_money(dec("-2.5"), currency("JPY")), dec("-3"));
    }

    #[test]
    fn yen_have_no_minor_unit() {
        let jpy = currency("JPY");

        let rounded = Money::new(dec("1234.5"), jpy);
        let typed = Money::parse("1234.5", jpy);

        assert_eq!(jpy.minor_units(), 0);
        assert_eq!(rounded.amount().to_string(), "1235");
        assert_eq!(rounded.to_minor(), 1235);
        assert_eq!(Money::from_minor(1235, jpy), rounded);
        assert_eq!(
            typed,
            Err(MoneyError::TooManyDecimals {
                code: "JPY".into(),
                places: 0
            })
        );
    }

    #[test]
    fn bahraini_dinars_have_three_decimal_places() {
        let bhd = currency("BHD");

        let typed = Money::parse("12.345", bhd);
        let rounded = Money::new(dec("0.0005"), bhd);

        assert_eq!(bhd.minor_units(), 3);
        assert_eq!(typed.map(Money::to_minor), Ok(12_345));
        assert_eq!(rounded.amount().to_string(), "0.001");
        assert_eq!(Money::from_minor(1234, bhd).amount(), dec("1.234"));
        assert!(Money::parse("12.3456", bhd).is_err());
    }

    #[test]
    fn a_pound_amount_with_three_decimals_is_refused() {
        let gbp = currency("GBP");

        let typed = Money::parse("12.345", gbp);

        assert_eq!(
            typed,
            Err(MoneyError::TooManyDecimals {
                code: "GBP".into(),
                places: 2
            })
        );
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_is_malformed() {
        let gbp = currency("GBP");

        for text in [
            "1e5", "", "  ", "12..3", "abc", "-", ".", "1.2.3", "--5", "+5", "12a",
        ] {
            let typed = Money::parse(text, gbp);

            assert_eq!(
                typed,
                Err(MoneyError::Malformed(text.trim().to_string())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_typed_amount_is_padded_to_the_minor_unit() {
        let gbp = currency("GBP");

        let typed = Money::parse("1234.5", gbp).expect("a valid amount");

        assert_eq!(typed.amount().to_string(), "1234.50");
        assert_eq!(typed.to_minor(), 123_450);
    }

    #[test]
    fn typed_amounts_may_be_negative_and_spaced() {
        let gbp = currency("GBP");

        let typed = [" -12 ", "1 234.56", ".5"].map(|t| Money::parse(t, gbp).map(Money::to_minor));

        assert_eq!(typed, [Ok(-1200), Ok(123_456), Ok(50)]);
    }

    #[test]
    fn minor_units_round_trip_through_money() {
        let cases = [0, 1, -1, 123_456, -987_654_321, i64::MAX, i64::MIN];

        for code in ["GBP", "JPY", "BHD"] {
            for minor in cases {
                let money = Money::from_minor(minor, currency(code));

                assert_eq!(money.to_minor(), minor, "{minor} {code}");
            }
        }
    }

    #[test]
    fn display_groups_thousands_and_names_the_currency() {
        let jpy = currency("JPY");

        let shown = [
            gbp("1234567.5").to_string(),
            gbp("-1234.5").to_string(),
            gbp("999").to_string(),
            gbp("0").to_string(),
            (-gbp("0")).to_string(),
            Money::from_minor(100_000, jpy).to_string(),
            Money::from_minor(1_234_567, currency("BHD")).to_string(),
        ];

        assert_eq!(
            shown,
            [
                "1,234,567.50 GBP",
                "-1,234.50 GBP",
                "999.00 GBP",
                "0.00 GBP",
                "0.00 GBP",
                "100,000 JPY",
                "1,234.567 BHD",
            ]
        );
    }

    #[test]
    fn an_unknown_currency_code_is_refused() {
        let parsed = Currency::parse("xyz");

        assert_eq!(parsed, Err(MoneyError::UnknownCurrency("xyz".into())));
    }

    #[test]
    fn currency_codes_are_read_regardless_of_case() {
        let parsed = Currency::parse(" gbp ").expect("a known currency");

        assert_eq!(parsed.code(), "GBP");
        assert_eq!(parsed.minor_units(), 2);
        assert_eq!(parsed.to_string(), "GBP");
    }

    #[test]
    fn every_listed_currency_can_be_parsed_from_its_own_code() {
        let all: Vec<Currency> = Currency::all().collect();

        assert_eq!(all.len(), CURRENCIES.len());
        assert!(all.iter().all(|c| Currency::parse(c.code()) == Ok(*c)));
    }

    #[test]
    fn parse_decimal_reads_plain_decimals_up_to_the_allowed_places() {
        let parsed = ["12", "-0.25", "0.1234", " 1 000 "].map(|t| parse_decimal(t, 4));

        assert_eq!(
            parsed,
            [
                Ok(dec("12")),
                Ok(dec("-0.25")),
                Ok(dec("0.1234")),
                Ok(dec("1000"))
            ]
        );
    }

    #[test]
    fn parse_decimal_refuses_extra_places_and_stray_characters() {
        let too_precise = parse_decimal("0.12345", 4);
        let malformed =
            ["1e5", "", "12..3", "abc", "1.", "1234567890123456"].map(|t| parse_decimal(t, 4));

        assert_eq!(too_precise, Err("use at most 4 decimal places".to_string()));
        assert!(malformed.iter().all(Result::is_err), "{malformed:?}");
    }

    #[test]
    fn largest_remainder_gives_the_odd_unit_to_the_largest_remainder() {
        let parts = split_largest_remainder(1000, &[3333, 3333, 3334]);

        assert_eq!(parts, vec![333, 333, 334]);
    }

    #[test]
    fn largest_remainder_ties_go_to_the_earlier_part() {
        let positive = split_largest_remainder(100, &[1, 1, 1]);
        let negative = split_largest_remainder(-100, &[1, 1, 1]);

        assert_eq!(positive, vec![34, 33, 33]);
        assert_eq!(negative, vec![-34, -33, -33]);
    }

    #[test]
    fn largest_remainder_keeps_exact_shares_exact() {
        let parts = split_largest_remainder(1000, &[1, 2, 3, 4]);

        assert_eq!(parts, vec![100, 200, 300, 400]);
    }

    #[test]
    fn largest_remainder_with_no_weight_puts_everything_on_the_first_part() {
        let weightless = split_largest_remainder(500, &[0, 0, 0]);
        let nothing = split_largest_remainder(500, &[]);

        assert_eq!(weightless, vec![500, 0, 0]);
        assert_eq!(nothing, Vec::<i64>::new());
    }

    proptest! {
        #[test]
        fn largest_remainder_parts_add_up_and_stay_within_one_of_their_share(
            total in -1_000_000_000_000i64..=1_000_000_000_000,
            weights in prop::collection::vec(0i64..=1_000_000, 1..10),
        ) {
            let parts = split_largest_remainder(total, &weights);

            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let weight_sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            if weight_sum > 0 {
                for (part, weight) in parts.iter().zip(&weights) {
                    // |part − total·w/Σw| < 1, multiplied through by Σw to stay exact.
                    let scaled_share = i128::from(total) * i128::from(*weight);
                    let gap = (i128::from(*part) * weight_sum - scaled_share).abs();
                    prop_assert!(gap < weight_sum, "part {} of weight {} is off", part, weight);
                }
            }
        }

        #[test]
        fn typed_text_of_any_amount_parses_back_to_that_amount(
            minor in -999_999_999_999_999i64..=999_999_999_999_999,
            currency in any_currency(),
        ) {
            let money = Money::from_minor(minor, currency);

            let typed = Money::parse(&money.amount().to_string(), currency);

            prop_assert_eq!(typed.clone(), Ok(money));
            prop_assert_eq!(typed.map(Money::to_minor), Ok(minor));
        }
    }

    #[test]
    fn commas_that_group_thousands_are_accepted_and_others_refused() {
        let gbp = Currency::parse("GBP").unwrap();

        let grouped = Money::parse("1,234,567.50", gbp);
        let decimal_comma = Money::parse("12,50", gbp);
        let misplaced = Money::parse("1,23,456", gbp);

        assert_eq!(grouped.unwrap().to_minor(), 123_456_750);
        assert!(matches!(decimal_comma, Err(MoneyError::Malformed(_))));
        assert!(matches!(misplaced, Err(MoneyError::Malformed(_))));
    }

    #[test]
    fn an_absurdly_large_amount_is_too_large_not_malformed() {
        let gbp = Currency::parse("GBP").unwrap();

        let parsed = Money::parse("1234567890123456", gbp);

        assert_eq!(parsed, Err(MoneyError::TooLarge));
    }

    #[test]
    fn negating_zero_never_shows_a_minus_sign() {
        let zero = Money::zero(Currency::parse("GBP").unwrap());

        assert_eq!((-zero).to_string(), zero.to_string());
        assert!(!(-zero).amount().is_sign_negative());
    }
}
