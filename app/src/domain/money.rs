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
    ("AED", 2), ("AUD", 2), ("BHD", 3), ("BRL", 2), ("CAD", 2), ("CHF", 2), ("CLP", 0),
    ("CNY", 2), ("CZK", 2), ("DKK", 2), ("EUR", 2), ("GBP", 2), ("HKD", 2), ("HUF", 2),
    ("IDR", 2), ("ILS", 2), ("INR", 2), ("ISK", 0), ("JOD", 3), ("JPY", 0), ("KRW", 0),
    ("KWD", 3), ("MXN", 2), ("MYR", 2), ("NOK", 2), ("NZD", 2), ("OMR", 3), ("PHP", 2),
    ("PLN", 2), ("RON", 2), ("SAR", 2), ("SEK", 2), ("SGD", 2), ("THB", 2), ("TND", 3),
    ("TRY", 2), ("TWD", 2), ("UAH", 2), ("USD", 2), ("VND", 0), ("ZAR", 2),
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
            .map(|(c, minor)| Currency { code: c.as_bytes().try_into().unwrap_or([b'?'; 3]), minor_units: *minor })
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
        CURRENCIES.iter().filter_map(|(c, _)| Currency::parse(c).ok())
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
    amount.round_dp_with_strategy(currency.minor_units(), RoundingStrategy::MidpointAwayFromZero)
}

/// Parses a decimal typed by a person: digits, an optional leading minus and an optional
/// decimal point, at most `max_places` decimals. Spaces are ignored.
pub fn parse_decimal(text: &str, max_places: u32) -> Result<Decimal, String> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let mut parts = body.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_none_or(str::is_empty)
        || !digits_ok(whole)
        || fraction.is_some_and(|f| f.is_empty() || !digits_ok(f))
        || whole.len() > 15
    {
        return Err(format!("\"{}\" is not a number; write it like 1234.50", text.trim()));
    }
    if fraction.map_or(0, str::len) > max_places as usize {
        return Err(format!("use at most {max_places} decimal places"));
    }
    Decimal::from_str(&cleaned).map_err(|_| format!("\"{}\" is not a number", text.trim()))
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
            if e.starts_with("use at most") {
                MoneyError::TooManyDecimals {
                    code: currency.code().to_string(),
                    places: currency.minor_units(),
                }
            } else {
                MoneyError::Malformed(text.trim().to_string())
            }
        })?;
        Ok(Money::new(amount, currency))
    }

    /// From an integer count of minor units, as stored in SQLite.
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { amount: Decimal::new(minor, currency.minor_units()), currency }
    }

    /// The integer count of minor units, as stored in SQLite.
    pub fn to_minor(self) -> i64 {
        let mut scaled = self.amount;
        scaled.rescale(self.currency.minor_units());
        i64::try_from(scaled.mantissa()).unwrap_or(if scaled.is_sign_negative() { i64::MIN } else { i64::MAX })
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
        if self.amount <= other.amount { self } else { other }
    }

    pub fn max(self, other: Money) -> Money {
        if self.amount >= other.amount { self } else { other }
    }

    pub fn abs(self) -> Money {
        Money { amount: self.amount.abs(), currency: self.currency }
    }

    /// Sums amounts of one currency.
    pub fn sum(currency: Currency, items: impl IntoIterator<Item = Money>) -> Money {
        items.into_iter().fold(Money::zero(currency), |acc, m| acc + m)
    }
}

// Documents and entries are single-currency by construction, so mixing currencies is a
// programming error rather than a user error.
fn same_currency(a: Money, b: Money) {
    assert_eq!(a.currency, b.currency, "money of different currencies combined");
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        same_currency(self, other);
        Money { amount: self.amount + other.amount, currency: self.currency }
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        same_currency(self, other);
        Money { amount: self.amount - other.amount, currency: self.currency }
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money { amount: -self.amount, currency: self.currency }
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
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() { "-" } else { "" };
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
    let mut parts: Vec<i128> = weights.iter().map(|w| total * i128::from(*w) / weight_sum).collect();
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
