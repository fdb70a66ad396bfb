//! Turning what people typed into domain values, collecting every problem by field so the
//! form can show each one next to its input. Nothing is saved unless all of it parses.

use super::error::FieldErrors;
use super::types::{CustomerForm, DraftForm, LineForm};
use crate::domain::money::parse_decimal;
use crate::domain::totals::{validate_line, MAX_DOCUMENT_TOTAL, MAX_LINES};
use crate::domain::{
    AccountCode, Currency, DocumentDiscount, LineInput, LineTax, Money, PriceEntry, Pricing,
    TaxRate, TaxRounding,
};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A calendar day written `YYYY-MM-DD`, in the years 1900 to 2999 (dates are stored as text,
/// which sorts correctly only for four-digit years).
pub fn date(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2999).contains(&d.year()));
    if parsed.is_none() {
        errors.add(field, "enter a date like 2026-03-02");
    }
    parsed
}

/// Text no longer than `max` characters, trimmed.
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, format!("keep this under {max} characters"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, "remove the invisible control characters");
    }
    value.to_string()
}

pub fn currency(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    base: Currency,
) -> Option<Currency> {
    match Currency::parse(text) {
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
        // Foreign-currency documents need exchange-rate postings (realised gains and losses),
        // which are not built yet; until then every document is in the base currency.
        Ok(c) if c != base => {
            errors.add(
                field,
                format!("only {base} is supported for now (your base currency)"),
            );
            None
        }
        Ok(c) => Some(c),
    }
}

pub fn money(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    currency: Currency,
) -> Option<Money> {
    match Money::parse(text, currency) {
        Ok(m) if m.amount().abs() > Decimal::from(MAX_DOCUMENT_TOTAL) => {
            errors.add(field, "the amount is too large");
            None
        }
        Ok(m) => Some(m),
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
    }
}

fn decimal(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    places: u32,
    empty: Option<Decimal>,
) -> Option<Decimal> {
    if text.trim().is_empty() {
        if empty.is_none() {
            errors.add(field, "required");
        }
        return empty;
    }
    match parse_decimal(text, places) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.add(field, e);
            None
        }
    }
}

/// A percentage as typed, with a trailing "%" allowed ("20%" is 20).
pub fn percent_text(text: &str) -> &str {
    text.trim().trim_end_matches('%')
}

/// Parses the lines of a document; fields are named `lines.N.field`.
pub fn lines(
    errors: &mut FieldErrors,
    forms: &[LineForm],
    accounts: &[String],
    rates: &[TaxRate],
) -> Vec<LineInput> {
    if forms.is_empty() {
        errors.add("lines", "add at least one line");
    }
    if forms.len() > MAX_LINES {
        errors.add(
            "lines",
            format!("a document can have at most {MAX_LINES} lines"),
        );
        return Vec::new();
    }
    let mut parsed = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        let field = |name: &str| format!("lines.{i}.{name}");
        let quantity = decimal(errors, &field("quantity"), &form.quantity, 4, None);
        let unit_price = decimal(errors, &field("unit_price"), &form.unit_price, 4, None);
        let discount = decimal(
            errors,
            &field("discount_percent"),
            percent_text(&form.discount_percent),
            2,
            Some(Decimal::ZERO),
        );
        let (tax_rate, tax) = line_tax(errors, &field, form, rates);
        if !accounts.contains(&form.revenue_account) {
            errors.add(field("revenue_account"), "choose a revenue account");
        }
        // Check what did parse even when a neighbour did not, so every problem shows at once.
        let line = LineInput {
            description: form.description.trim().to_string(),
            quantity: quantity.unwrap_or(Decimal::ONE),
            unit_price: unit_price.unwrap_or(Decimal::ZERO),
            discount_percent: discount.unwrap_or(Decimal::ZERO),
            tax_rate: tax_rate.unwrap_or(Decimal::ZERO),
            revenue_account: AccountCode(form.revenue_account.clone()),
            unit: form.unit.trim().to_string(),
            tax,
        };
        if let Some(problem) = crate::domain::items::unit_problem(&line.unit) {
            errors.add(field("unit"), problem);
        }
        for (name, message) in validate_line(&line) {
            errors.add(field(name), message);
        }
        if quantity.is_none() || unit_price.is_none() || discount.is_none() || tax_rate.is_none() {
            continue;
        }
        parsed.push(line);
    }
    parsed
}

/// A percentage with at most two decimals, "%" allowed.
pub fn percentage(errors: &mut FieldErrors, field: &str, text: &str) -> Option<Decimal> {
    decimal(errors, field, percent_text(text), 2, None)
}

/// A line's tax: the named rate chosen (copied onto the line as billed), or for a line with
/// no named rate its bare percentage.
fn line_tax(
    errors: &mut FieldErrors,
    field: &dyn Fn(&str) -> String,
    form: &LineForm,
    rates: &[TaxRate],
) -> (Option<Decimal>, LineTax) {
    if form.tax_rate_id.trim().is_empty() {
        let rate = decimal(
            errors,
            &field("tax_rate"),
            percent_text(&form.tax_rate),
            2,
            Some(Decimal::ZERO),
        );
        return (rate, LineTax::default());
    }
    let chosen = form
        .tax_rate_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| rates.iter().find(|r| r.id == id));
    match chosen {
        Some(rate) if rate.archived => {
            errors.add(
                field("tax_rate_id"),
                format!("the rate {} is archived; choose one in use", rate.label()),
            );
            (None, LineTax::default())
        }
        Some(rate) => (Some(rate.rate), rate.line_tax()),
        None => {
            errors.add(field("tax_rate_id"), "choose a tax rate");
            (None, LineTax::default())
        }
    }
}

/// A document's pricing: tax-inclusive prices or not, and its discount; the tax rounding is
/// the business's.
pub fn pricing(
    errors: &mut FieldErrors,
    form: &DraftForm,
    rounding: TaxRounding,
    currency: Currency,
) -> Pricing {
    let entry = if form.prices_include_tax {
        PriceEntry::TaxInclusive
    } else {
        PriceEntry::TaxExclusive
    };
    let value = |errors: &mut FieldErrors, places| {
        decimal(
            errors,
            "discount",
            percent_text(&form.discount),
            places,
            None,
        )
    };
    let discount = match form.discount_kind.as_str() {
        "" | "none" => DocumentDiscount::None,
        "percent" => value(errors, 2).map_or(DocumentDiscount::None, DocumentDiscount::Percent),
        "amount" => value(errors, currency.minor_units())
            .map_or(DocumentDiscount::None, DocumentDiscount::Amount),
        _ => {
            errors.add(
                "discount_kind",
                "choose no discount, a percentage or an amount",
            );
            DocumentDiscount::None
        }
    };
    Pricing {
        entry,
        discount,
        rounding,
    }
}

/// A customer's details, validated. Returns the terms in days.
pub fn customer(
    errors: &mut FieldErrors,
    form: &CustomerForm,
    base: Currency,
) -> Option<(Currency, u32)> {
    if form.name.trim().is_empty() {
        errors.add("name", "enter the customer's name");
    }
    text(errors, "name", &form.name, 200);
    text(errors, "billing_address", &form.billing_address, 1000);
    text(errors, "tax_id", &form.tax_id, 50);
    let reference = text(errors, "payment_reference", &form.payment_reference, 50);
    // A customer number, not a word: a name or a currency code ("GBP") would be found in
    // other people's bank lines too.
    if !reference.is_empty()
        && (reference.chars().filter(|c| c.is_alphanumeric()).count() < 3
            || !reference.chars().any(|c| c.is_ascii_digit()))
    {
        errors.add(
            "payment_reference",
            "use at least 3 letters or digits, including a digit (like C-1042), so it is not found in a bank line by chance",
        );
    }
    text(errors, "notes", &form.notes, 5000);
    let email = text(errors, "email", &form.email, 254);
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        errors.add("email", "enter a valid email address, or leave it empty");
    }
    let currency = currency(errors, "currency", &form.currency, base);
    let terms = match form.payment_terms_days.trim().parse::<u32>() {
        Ok(days) if days <= 365 => Some(days),
        _ => {
            errors.add("payment_terms_days", "enter a number of days from 0 to 365");
            None
        }
    };
    Some((currency?, terms?))
}
