//! An invoice's status is derived from what happened to it, never typed in.

use super::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an invoice is in its life, as recorded: the only state that is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lifecycle {
    Draft,
    Issued,
    Void,
}

/// The status people see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Draft,
    Issued,
    PartiallyPaid,
    Paid,
    Overdue,
    Void,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 6] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Issued,
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Paid,
        InvoiceStatus::Overdue,
        InvoiceStatus::Void,
    ];

    /// The words shown to people: "partially paid".
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Void => "void",
        }
    }

    /// A stable key for URLs and CSS: "partially-paid".
    pub fn slug(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially-paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Void => "void",
        }
    }

    pub fn from_slug(slug: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// Derives the status. `today` is the business's own calendar day (its time zone), so an
/// invoice due on the 16th becomes overdue when the 17th starts where the business is.
pub fn derive_status(
    lifecycle: Lifecycle,
    total: Money,
    paid: Money,
    due: NaiveDate,
    today: NaiveDate,
) -> InvoiceStatus {
    match lifecycle {
        Lifecycle::Draft => InvoiceStatus::Draft,
        Lifecycle::Void => InvoiceStatus::Void,
        Lifecycle::Issued => {
            let open = total - paid;
            if !open.is_positive() {
                InvoiceStatus::Paid
            } else if today > due {
                InvoiceStatus::Overdue
            } else if paid.is_positive() {
                InvoiceStatus::PartiallyPaid
            } else {
                InvoiceStatus::Issued
            }
        }
    }
}
