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
    /// Settled by credit notes with nothing paid.
    Credited,
    /// Its open balance was written off as a bad debt.
    WrittenOff,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 8] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Issued,
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Paid,
        InvoiceStatus::Overdue,
        InvoiceStatus::Credited,
        InvoiceStatus::WrittenOff,
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
            InvoiceStatus::Credited => "credited",
            InvoiceStatus::WrittenOff => "written off",
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
            InvoiceStatus::Credited => "credited",
            InvoiceStatus::WrittenOff => "written-off",
        }
    }

    pub fn from_slug(slug: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// What has settled an issued invoice so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
    pub paid: Money,
    pub credited: Money,
    pub written_off: Money,
}

impl Settled {
    /// Settled by payments only.
    pub fn paid(paid: Money) -> Settled {
        let zero = Money::zero(paid.currency());
        Settled {
            paid,
            credited: zero,
            written_off: zero,
        }
    }

    /// What is still owed on an invoice of `total`.
    pub fn open(&self, total: Money) -> Money {
        total - self.paid - self.credited - self.written_off
    }
}

/// Derives the status of an invoice settled by payments only. `today` is the business's own
/// calendar day (its time zone), so an invoice due on the 16th becomes overdue when the 17th
/// starts where the business is.
pub fn derive_status(
    lifecycle: Lifecycle,
    total: Money,
    paid: Money,
    due: NaiveDate,
    today: NaiveDate,
) -> InvoiceStatus {
    derive_settled_status(lifecycle, total, Settled::paid(paid), due, today)
}

/// Derives the status from payments, credit notes and a write-off. Once nothing is open, a
/// write-off makes it "written off", credit notes with nothing paid "credited", and anything
/// else "paid"; while something is open, credit notes alone leave it "issued" (with a smaller
/// balance) or "overdue".
pub fn derive_settled_status(
    lifecycle: Lifecycle,
    total: Money,
    settled: Settled,
    due: NaiveDate,
    today: NaiveDate,
) -> InvoiceStatus {
    let paid = settled.paid;
    match lifecycle {
        Lifecycle::Draft => InvoiceStatus::Draft,
        Lifecycle::Void => InvoiceStatus::Void,
        Lifecycle::Issued => {
            let open = settled.open(total);
            if !open.is_positive() {
                if settled.written_off.is_positive() {
                    InvoiceStatus::WrittenOff
                } else if settled.credited.is_positive() && !paid.is_positive() {
                    InvoiceStatus::Credited
                } else {
                    InvoiceStatus::Paid
                }
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

    fn settled(paid: &str, credited: &str, written_off: &str) -> Settled {
        Settled {
            paid: gbp(paid),
            credited: gbp(credited),
            written_off: gbp(written_off),
        }
    }

    fn status_on(settled: Settled, today: &str) -> InvoiceStatus {
        derive_settled_status(
            Lifecycle::Issued,
            gbp("120.00"),
            settled,
            day(HARBOR_CAFE_DUE),
            day(today),
        )
    }

    #[test]
    fn an_invoice_credited_in_full_with_nothing_paid_is_credited_even_after_its_due_date() {
        assert_eq!(
            status_on(settled("0", "120.00", "0"), "2026-05-01"),
            InvoiceStatus::Credited
        );
    }

    #[test]
    fn paid_and_credited_to_nothing_open_is_paid_and_a_write_off_shows_as_written_off() {
        assert_eq!(
            status_on(settled("70.00", "50.00", "0"), "2026-03-10"),
            InvoiceStatus::Paid
        );
        assert_eq!(
            status_on(settled("30.00", "50.00", "40.00"), "2026-05-01"),
            InvoiceStatus::WrittenOff
        );
    }

    #[test]
    fn a_partly_credited_invoice_stays_issued_then_overdue_with_the_rest_open() {
        let partly = settled("0", "50.00", "0");

        assert_eq!(status_on(partly, "2026-03-16"), InvoiceStatus::Issued);
        assert_eq!(status_on(partly, "2026-03-17"), InvoiceStatus::Overdue);
        assert_eq!(partly.open(gbp("120.00")), gbp("70.00"));
        assert_eq!(
            status_on(settled("30.00", "50.00", "0"), "2026-03-16"),
            InvoiceStatus::PartiallyPaid
        );
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
