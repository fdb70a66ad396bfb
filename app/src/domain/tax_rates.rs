//! Named tax rates (standard, reduced, zero-rated, exempt with a reason) and the tax a line
//! is billed under, copied from its named rate when the line was written.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kind of supply a rate taxes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum TaxCategory {
    #[default]
    Standard,
    Reduced,
    Zero,
    Exempt,
}

impl TaxCategory {
    pub const ALL: [TaxCategory; 4] = [
        TaxCategory::Standard,
        TaxCategory::Reduced,
        TaxCategory::Zero,
        TaxCategory::Exempt,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            TaxCategory::Standard => "standard",
            TaxCategory::Reduced => "reduced",
            TaxCategory::Zero => "zero",
            TaxCategory::Exempt => "exempt",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TaxCategory> {
        TaxCategory::ALL.into_iter().find(|c| c.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaxCategory::Standard => "Standard",
            TaxCategory::Reduced => "Reduced",
            TaxCategory::Zero => "Zero-rated",
            TaxCategory::Exempt => "Exempt",
        }
    }

    /// The VAT category code of EN 16931 (UNCL 5305): a reduced rate is still "standard
    /// rated" there, at its own percentage.
    pub fn code(self) -> &'static str {
        match self {
            TaxCategory::Standard | TaxCategory::Reduced => "S",
            TaxCategory::Zero => "Z",
            TaxCategory::Exempt => "E",
        }
    }

    /// What a line written before named rates existed is taken to be.
    pub fn for_rate(rate: Decimal) -> TaxCategory {
        if rate.is_zero() {
            TaxCategory::Zero
        } else {
            TaxCategory::Standard
        }
    }

    /// Whether the category charges tax at all.
    pub fn charges_tax(self) -> bool {
        matches!(self, TaxCategory::Standard | TaxCategory::Reduced)
    }
}

/// The tax a line is billed under, beside its percentage: kept on the line as billed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    /// `None` for lines written before named rates: see [`TaxCategory::for_rate`].
    pub category: Option<TaxCategory>,
    /// The named rate's name when the line was written ("Reduced"); empty for older lines.
    pub name: String,
    /// Why no tax is charged; only exempt lines have one.
    pub exemption_reason: String,
}

impl LineTax {
    /// The line's category: as billed, or for older lines what their rate implies.
    pub fn category_at(&self, rate: Decimal) -> TaxCategory {
        self.category.unwrap_or_else(|| TaxCategory::for_rate(rate))
    }
}

/// A named rate as kept in Settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxRate {
    pub id: i64,
    pub name: String,
    /// Percent (20 for 20%).
    pub rate: Decimal,
    pub category: TaxCategory,
    pub exemption_reason: String,
    pub archived: bool,
}

impl TaxRate {
    /// What a line written with this rate keeps.
    pub fn line_tax(&self) -> LineTax {
        LineTax {
            category: Some(self.category),
            name: self.name.clone(),
            exemption_reason: self.exemption_reason.clone(),
        }
    }

    /// "Reduced 5%", as a picker shows it.
    pub fn label(&self) -> String {
        format!("{} {}%", self.name, self.rate.normalize())
    }
}

pub const MAX_TAX_NAME_CHARS: usize = 60;
pub const MAX_EXEMPTION_REASON_CHARS: usize = 300;

/// What is wrong with a named rate, by field name, in words for the person who typed it.
pub fn validate_tax_rate(
    name: &str,
    rate: Decimal,
    category: TaxCategory,
    exemption_reason: &str,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push(("name", "give the rate a name".to_string()));
    } else if name.chars().count() > MAX_TAX_NAME_CHARS {
        problems.push((
            "name",
            format!("keep the name under {MAX_TAX_NAME_CHARS} characters"),
        ));
    }
    if rate < Decimal::ZERO || rate > Decimal::ONE_HUNDRED {
        problems.push(("rate", "a rate must be between 0 and 100%".to_string()));
    } else if category.charges_tax() && rate.is_zero() {
        problems.push((
            "rate",
            format!(
                "a {} rate charges tax: give a percentage above 0, or choose zero-rated or exempt",
                category.label().to_lowercase()
            ),
        ));
    } else if !category.charges_tax() && !rate.is_zero() {
        problems.push((
            "rate",
            format!("a {} rate is 0%", category.label().to_lowercase()),
        ));
    }
    let reason = exemption_reason.trim();
    if category == TaxCategory::Exempt && reason.is_empty() {
        problems.push((
            "exemption_reason",
            "say why it is exempt; the reason is printed on the invoice".to_string(),
        ));
    } else if category != TaxCategory::Exempt && !reason.is_empty() {
        problems.push((
            "exemption_reason",
            "only an exempt rate has an exemption reason".to_string(),
        ));
    } else if reason.chars().count() > MAX_EXEMPTION_REASON_CHARS {
        problems.push((
            "exemption_reason",
            format!("keep the reason under {MAX_EXEMPTION_REASON_CHARS} characters"),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::dec;
    use proptest::prelude::*;

    #[test]
    fn an_exempt_rate_needs_a_reason() {
        let problems = validate_tax_rate("Exempt", dec("0"), TaxCategory::Exempt, " ");

        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "exemption_reason");
    }

    #[test]
    fn a_standard_rate_of_zero_and_a_zero_rate_of_five_are_refused() {
        let standard = validate_tax_rate("Standard", dec("0"), TaxCategory::Standard, "");
        let zero = validate_tax_rate("Zero", dec("5"), TaxCategory::Zero, "");

        assert_eq!(standard[0].0, "rate");
        assert_eq!(zero[0].0, "rate");
    }

    #[test]
    fn reduced_rates_are_standard_rated_in_an_e_invoice() {
        assert_eq!(TaxCategory::Reduced.code(), "S");
        assert_eq!(TaxCategory::Exempt.code(), "E");
        assert_eq!(TaxCategory::for_rate(dec("0")), TaxCategory::Zero);
    }

    proptest! {
        #[test]
        fn a_rate_is_accepted_exactly_when_its_category_and_percentage_agree(
            bp in 0i64..=10_000,
            category in prop::sample::select(TaxCategory::ALL.to_vec()),
        ) {
            let rate = Decimal::new(bp, 2);
            let reason = if category == TaxCategory::Exempt { "Education" } else { "" };

            let problems = validate_tax_rate("A rate", rate, category, reason);

            prop_assert_eq!(problems.is_empty(), category.charges_tax() == (bp > 0));
            for slug in TaxCategory::ALL.map(TaxCategory::slug) {
                prop_assert_eq!(TaxCategory::from_slug(slug).map(TaxCategory::slug), Some(slug));
            }
        }
    }
}
