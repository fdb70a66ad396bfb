//! The items catalogue: products and services with the defaults a line takes when one is
//! picked (description, unit, unit price, named tax rate, revenue account).

use super::totals::{MAX_DESCRIPTION_CHARS, MAX_UNIT_PRICE};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An item of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
    /// What a line picking it says; the name when empty.
    pub description: String,
    pub unit: String,
    pub unit_price: Decimal,
    pub tax_rate_id: i64,
    pub revenue_account: String,
    pub archived: bool,
}

impl Item {
    /// The description a line picking the item starts with.
    pub fn line_description(&self) -> String {
        if self.description.trim().is_empty() {
            self.name.clone()
        } else {
            self.description.clone()
        }
    }
}

pub const MAX_ITEM_NAME_CHARS: usize = 120;
pub const MAX_UNIT_CHARS: usize = 20;

/// What is wrong with an item's own fields, by field name.
pub fn validate_item(
    name: &str,
    description: &str,
    unit: &str,
    unit_price: Decimal,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push(("name", "give the item a name".to_string()));
    } else if name.chars().count() > MAX_ITEM_NAME_CHARS {
        problems.push((
            "name",
            format!("keep the name under {MAX_ITEM_NAME_CHARS} characters"),
        ));
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push((
            "description",
            format!("keep the description under {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    if let Some(problem) = unit_problem(unit) {
        problems.push(("unit", problem));
    }
    if unit_price < Decimal::ZERO {
        problems.push(("unit_price", "unit price cannot be negative".to_string()));
    } else if unit_price > Decimal::from(MAX_UNIT_PRICE) {
        problems.push((
            "unit_price",
            "unit price can be at most 1,000,000,000".to_string(),
        ));
    }
    problems
}

/// What is wrong with a unit as typed, if anything.
pub fn unit_problem(unit: &str) -> Option<String> {
    (unit.chars().count() > MAX_UNIT_CHARS)
        .then(|| format!("keep the unit under {MAX_UNIT_CHARS} characters"))
}

/// The UN/ECE Recommendation 20 code of a unit as people write it; "C62" (one, a plain
/// count) for anything not listed.
pub fn unit_code(unit: &str) -> &'static str {
    match unit.trim().to_lowercase().trim_end_matches('s') {
        "hour" | "hr" | "h" => "HUR",
        "day" => "DAY",
        "week" | "wk" => "WEE",
        "month" => "MON",
        "minute" | "min" => "MIN",
        "piece" | "pc" | "pce" => "H87",
        "kg" | "kilogram" => "KGM",
        "litre" | "liter" | "l" => "LTR",
        "metre" | "meter" | "m" => "MTR",
        "km" | "kilometre" | "kilometer" => "KMT",
        _ => "C62",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::dec;

    #[test]
    fn common_units_have_their_un_codes_and_the_rest_count_as_one() {
        assert_eq!(unit_code("Hours"), "HUR");
        assert_eq!(unit_code("day"), "DAY");
        assert_eq!(unit_code("piece"), "H87");
        assert_eq!(unit_code(""), "C62");
        assert_eq!(unit_code("bundle"), "C62");
    }

    #[test]
    fn an_item_without_a_name_or_with_a_negative_price_is_refused_by_field() {
        let problems = validate_item(" ", "", "hour", dec("-1"));

        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name", "unit_price"]);
    }
}
