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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{day, gbp, HARBOR_CAFE_DUE};

    fn issued(total: &str, paid: &str, today: &str) -> InvoiceStatus {
        derive_status(
            Lifecycle::Issued,
            gbp(total),
            gbp(paid),
            day(HARBOR_CAFE_DUE),
            day(today),
        )
    }

    #[test]
    fn harbor_cafe_is_issued_on_its_due_date() {
        let status = issued("839.96", "0", "2026-03-16");

        assert_eq!(status, InvoiceStatus::Issued);
    }

    #[test]
    fn harbor_cafe_is_overdue_the_day_after_its_due_date_with_nothing_paid() {
        let status = issued("839.96", "0", "2026-03-17");

        assert_eq!(status, InvoiceStatus::Overdue);
    }

    #[test]
    fn drafts_are_drafts_and_voids_void_whatever_was_paid_and_whenever() {
        let cases = [
            ("0", "2026-03-01"),
            ("400", "2026-03-10"),
            ("839.96", "2026-03-17"),
            ("900", "2027-01-01"),
        ];

        for (paid, today) in cases {
            let status = |lifecycle| {
                derive_status(
                    lifecycle,
                    gbp("839.96"),
                    gbp(paid),
                    day(HARBOR_CAFE_DUE),
                    day(today),
                )
            };

            assert_eq!(
                status(Lifecycle::Draft),
                InvoiceStatus::Draft,
                "paid {paid} on {today}"
            );
            assert_eq!(
                status(Lifecycle::Void),
                InvoiceStatus::Void,
                "paid {paid} on {today}"
            );
        }
    }

    #[test]
    fn an_invoice_paid_in_full_is_paid_even_long_after_its_due_date() {
        let exactly = issued("839.96", "839.96", "2026-06-30");
        let over = issued("839.96", "900.00", "2026-06-30");

        assert_eq!(exactly, InvoiceStatus::Paid);
        assert_eq!(over, InvoiceStatus::Paid);
    }

    #[test]
    fn a_partly_paid_invoice_before_its_due_date_is_partially_paid() {
        let status = issued("839.96", "400.00", "2026-03-16");

        assert_eq!(status, InvoiceStatus::PartiallyPaid);
    }

    #[test]
    fn overdue_wins_over_partially_paid_once_the_due_date_has_passed() {
        let status = issued("839.96", "400.00", "2026-03-17");

        assert_eq!(status, InvoiceStatus::Overdue);
    }

    #[test]
    fn an_issued_invoice_of_nothing_is_paid() {
        let status = issued("0", "0", "2026-03-02");

        assert_eq!(status, InvoiceStatus::Paid);
    }

    #[test]
    fn every_status_reads_back_from_its_slug() {
        let read: Vec<Option<InvoiceStatus>> = InvoiceStatus::ALL
            .iter()
            .map(|s| InvoiceStatus::from_slug(s.slug()))
            .collect();

        assert_eq!(read, InvoiceStatus::ALL.map(Some).to_vec());
        assert_eq!(InvoiceStatus::from_slug("partially paid"), None);
        assert_eq!(InvoiceStatus::PartiallyPaid.label(), "partially paid");
    }
}
