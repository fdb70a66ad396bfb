//! Allocating a received payment to a customer's open invoices. A payment is never
//! allocated beyond an invoice's open balance; what is left over becomes customer credit,
//! but only when the owner says so.

use super::ids::InvoiceId;
use super::money::Money;
use serde::{Deserialize, Serialize};

/// An invoice that can take money, in the order it should be paid (oldest due first).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenInvoice {
    pub invoice: InvoiceId,
    pub open: Money,
}

/// What to do with money beyond what the invoices need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Excess {
    /// Refuse the payment: it is probably a typing mistake.
    #[default]
    Refuse,
    /// Keep the excess as a credit the customer holds with the business.
    KeepAsCredit,
}

/// How a payment is split: amounts per invoice and the excess kept as customer credit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationPlan {
    pub allocations: Vec<(InvoiceId, Money)>,
    pub credit: Money,
}

impl AllocationPlan {
    pub fn allocated(&self) -> Money {
        Money::sum(
            self.credit.currency(),
            self.allocations.iter().map(|(_, m)| *m),
        )
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AllocationError {
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("invoice {0} is not open for this customer on the day the payment was received")]
    NotOpen(InvoiceId),
    #[error("{requested} is more than the {open} still open on that invoice")]
    ExceedsOpenBalance {
        invoice: InvoiceId,
        requested: Money,
        open: Money,
    },
    #[error("the allocations add up to {allocated}, more than the payment of {amount}")]
    ExceedsPayment { allocated: Money, amount: Money },
    #[error("this is {excess} more than the {open} open; keep the excess as customer credit or lower the amount")]
    ExcessRefused { excess: Money, open: Money },
}

/// Plans a payment's allocation. With no `requested` allocations the payment goes to the
/// open invoices in the given order; with them, exactly those are used.
pub fn allocate_payment(
    amount: Money,
    requested: &[(InvoiceId, Money)],
    open: &[OpenInvoice],
    excess: Excess,
) -> Result<AllocationPlan, AllocationError> {
    if !amount.is_positive() {
        return Err(AllocationError::NotPositive);
    }
    let allocations = if requested.is_empty() {
        oldest_first(amount, open)
    } else {
        check_requested(amount, requested, open)?
    };
    let plan = AllocationPlan {
        credit: amount - sum(amount, &allocations),
        allocations,
    };
    if plan.credit.is_positive() && excess == Excess::Refuse {
        let open_total = Money::sum(amount.currency(), open.iter().map(|o| o.open));
        return Err(AllocationError::ExcessRefused {
            excess: plan.credit,
            open: open_total,
        });
    }
    Ok(plan)
}

fn sum(amount: Money, allocations: &[(InvoiceId, Money)]) -> Money {
    Money::sum(amount.currency(), allocations.iter().map(|(_, m)| *m))
}

fn oldest_first(amount: Money, open: &[OpenInvoice]) -> Vec<(InvoiceId, Money)> {
    let mut left = amount;
    let mut allocations = Vec::new();
    for invoice in open.iter().filter(|o| o.open.is_positive()) {
        if !left.is_positive() {
            break;
        }
        let part = left.min(invoice.open);
        allocations.push((invoice.invoice, part));
        left = left - part;
    }
    allocations
}

fn check_requested(
    amount: Money,
    requested: &[(InvoiceId, Money)],
    open: &[OpenInvoice],
) -> Result<Vec<(InvoiceId, Money)>, AllocationError> {
    let mut allocations: Vec<(InvoiceId, Money)> = Vec::new();
    for (invoice, part) in requested.iter().filter(|(_, m)| !m.is_zero()) {
        if !part.is_positive() {
            return Err(AllocationError::NotPositive);
        }
        let open_balance = open.iter().find(|o| o.invoice == *invoice).map(|o| o.open);
        let open_balance = open_balance.ok_or(AllocationError::NotOpen(*invoice))?;
        let already = sum(
            amount,
            &allocations
                .iter()
                .filter(|(i, _)| i == invoice)
                .copied()
                .collect::<Vec<_>>(),
        );
        if already + *part > open_balance {
            return Err(AllocationError::ExceedsOpenBalance {
                invoice: *invoice,
                requested: *part,
                open: open_balance,
            });
        }
        allocations.push((*invoice, *part));
    }
    let allocated = sum(amount, &allocations);
    if allocated > amount {
        return Err(AllocationError::ExceedsPayment { allocated, amount });
    }
    Ok(allocations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{any_currency, day, gbp, HARBOR_CAFE_DUE};
    use crate::domain::money::Currency;
    use crate::domain::posting::payment_entry;
    use crate::domain::status::{derive_status, InvoiceStatus, Lifecycle};
    use proptest::prelude::*;

    const HARBOR_CAFE: InvoiceId = InvoiceId(1);

    fn open(invoice: i64, amount: &str) -> OpenInvoice {
        OpenInvoice {
            invoice: InvoiceId(invoice),
            open: gbp(amount),
        }
    }

    /// Harbor Cafe's invoice (839.96 in all) as the only open one, with `balance` still open.
    fn harbor_cafe_open(balance: &str) -> [OpenInvoice; 1] {
        [OpenInvoice {
            invoice: HARBOR_CAFE,
            open: gbp(balance),
        }]
    }

    #[test]
    fn harbor_cafe_first_payment_leaves_the_invoice_partially_paid() {
        let invoices = harbor_cafe_open("839.96");

        let plan = allocate_payment(gbp("400.00"), &[], &invoices, Excess::Refuse)
            .expect("a valid payment");

        assert_eq!(
            plan,
            AllocationPlan {
                allocations: vec![(HARBOR_CAFE, gbp("400.00"))],
                credit: gbp("0")
            }
        );
        assert_eq!(gbp("839.96") - plan.allocated(), gbp("439.96"));
        let status = derive_status(
            Lifecycle::Issued,
            gbp("839.96"),
            plan.allocated(),
            day(HARBOR_CAFE_DUE),
            day("2026-03-10"),
        );
        assert_eq!(status, InvoiceStatus::PartiallyPaid);
    }

    #[test]
    fn harbor_cafe_second_payment_settles_the_invoice_and_keeps_the_rest_as_credit() {
        let invoices = harbor_cafe_open("439.96");

        let plan = allocate_payment(gbp("500.00"), &[], &invoices, Excess::KeepAsCredit)
            .expect("a valid payment");

        assert_eq!(plan.allocations, vec![(HARBOR_CAFE, gbp("439.96"))]);
        assert_eq!(plan.credit, gbp("60.04"));
    }

    #[test]
    fn harbor_cafe_second_payment_is_refused_when_excess_is_not_wanted() {
        let invoices = harbor_cafe_open("439.96");

        let refused = allocate_payment(gbp("500.00"), &[], &invoices, Excess::Refuse);

        assert_eq!(
            refused,
            Err(AllocationError::ExcessRefused {
                excess: gbp("60.04"),
                open: gbp("439.96")
            })
        );
    }

    #[test]
    fn overpayment_becomes_customer_credit() {
        let invoices = [open(1, "100.00"), open(2, "50.00")];

        let plan = allocate_payment(gbp("175.00"), &[], &invoices, Excess::KeepAsCredit)
            .expect("a valid payment");

        assert_eq!(plan.allocated(), gbp("150.00"));
        assert_eq!(plan.credit, gbp("25.00"));
    }

    #[test]
    fn a_payment_without_allocations_pays_the_oldest_invoices_first() {
        let invoices = [open(7, "100.00"), open(3, "50.00"), open(9, "70.00")];

        let plan = allocate_payment(gbp("160.00"), &[], &invoices, Excess::Refuse)
            .expect("a valid payment");

        let expected = vec![
            (InvoiceId(7), gbp("100.00")),
            (InvoiceId(3), gbp("50.00")),
            (InvoiceId(9), gbp("10.00")),
        ];
        assert_eq!(plan.allocations, expected);
        assert_eq!(plan.credit, gbp("0"));
    }

    #[test]
    fn invoices_with_nothing_open_are_passed_over() {
        let invoices = [open(1, "0"), open(2, "30.00")];

        let plan = allocate_payment(gbp("30.00"), &[], &invoices, Excess::Refuse)
            .expect("a valid payment");

        assert_eq!(plan.allocations, vec![(InvoiceId(2), gbp("30.00"))]);
    }

    #[test]
    fn a_payment_with_no_open_invoices_is_all_credit_or_refused() {
        let kept = allocate_payment(gbp("20.00"), &[], &[], Excess::KeepAsCredit);
        let refused = allocate_payment(gbp("20.00"), &[], &[], Excess::Refuse);

        assert_eq!(
            kept,
            Ok(AllocationPlan {
                allocations: vec![],
                credit: gbp("20.00")
            })
        );
        assert_eq!(
            refused,
            Err(AllocationError::ExcessRefused {
                excess: gbp("20.00"),
                open: gbp("0")
            })
        );
    }

    #[test]
    fn explicit_allocations_are_used_as_given_and_the_rest_kept_as_credit() {
        let invoices = [open(1, "100.00"), open(2, "50.00")];
        let requested = [(InvoiceId(2), gbp("50.00")), (InvoiceId(1), gbp("20.00"))];

        let plan = allocate_payment(gbp("80.00"), &requested, &invoices, Excess::KeepAsCredit)
            .expect("a valid payment");

        assert_eq!(plan.allocations, requested.to_vec());
        assert_eq!(plan.credit, gbp("10.00"));
    }

    #[test]
    fn an_explicit_allocation_above_the_open_balance_is_refused() {
        let invoices = [open(1, "100.00")];

        let refused = allocate_payment(
            gbp("150.00"),
            &[(InvoiceId(1), gbp("100.01"))],
            &invoices,
            Excess::KeepAsCredit,
        );

        let expected = AllocationError::ExceedsOpenBalance {
            invoice: InvoiceId(1),
            requested: gbp("100.01"),
            open: gbp("100.00"),
        };
        assert_eq!(refused, Err(expected));
    }

    #[test]
    fn two_allocations_to_one_invoice_may_not_together_exceed_its_balance() {
        let invoices = [open(1, "100.00")];
        let requested = [(InvoiceId(1), gbp("60.00")), (InvoiceId(1), gbp("60.00"))];

        let refused = allocate_payment(gbp("120.00"), &requested, &invoices, Excess::KeepAsCredit);

        assert!(
            matches!(refused, Err(AllocationError::ExceedsOpenBalance { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn allocations_adding_up_to_more_than_the_payment_are_refused() {
        let invoices = [open(1, "100.00"), open(2, "50.00")];
        let requested = [(InvoiceId(1), gbp("100.00")), (InvoiceId(2), gbp("50.00"))];

        let refused = allocate_payment(gbp("120.00"), &requested, &invoices, Excess::KeepAsCredit);

        assert_eq!(
            refused,
            Err(AllocationError::ExceedsPayment {
                allocated: gbp("150.00"),
                amount: gbp("120.00")
            })
        );
    }

    #[test]
    fn an_allocation_to_an_invoice_that_is_not_open_is_refused() {
        let invoices = [open(1, "100.00")];

        let refused = allocate_payment(
            gbp("10.00"),
            &[(InvoiceId(42), gbp("10.00"))],
            &invoices,
            Excess::Refuse,
        );

        assert_eq!(refused, Err(AllocationError::NotOpen(InvoiceId(42))));
    }

    #[test]
    fn a_zero_or_negative_payment_is_refused() {
        let invoices = [open(1, "100.00")];

        let zero = allocate_payment(gbp("0"), &[], &invoices, Excess::KeepAsCredit);
        let negative = allocate_payment(gbp("-5.00"), &[], &invoices, Excess::KeepAsCredit);

        assert_eq!(zero, Err(AllocationError::NotPositive));
        assert_eq!(negative, Err(AllocationError::NotPositive));
    }

    #[test]
    fn a_negative_explicit_allocation_is_refused() {
        let invoices = [open(1, "100.00")];

        let refused = allocate_payment(
            gbp("10.00"),
            &[(InvoiceId(1), gbp("-10.00"))],
            &invoices,
            Excess::KeepAsCredit,
        );

        assert_eq!(refused, Err(AllocationError::NotPositive));
    }

    /// Open invoices with ids 1, 2, … and balances of up to 100,000.00 (some fully paid).
    fn any_open_invoices(currency: Currency) -> impl Strategy<Value = Vec<OpenInvoice>> {
        prop::collection::vec(0i64..=10_000_000, 0..8).prop_map(move |balances| {
            balances
                .into_iter()
                .enumerate()
                .map(|(i, minor)| OpenInvoice {
                    invoice: InvoiceId(i as i64 + 1),
                    open: Money::from_minor(minor, currency),
                })
                .collect()
        })
    }

    fn any_payment() -> impl Strategy<Value = (Money, Vec<OpenInvoice>)> {
        any_currency().prop_flat_map(|currency| {
            let amount =
                (1i64..=50_000_000).prop_map(move |minor| Money::from_minor(minor, currency));
            (amount, any_open_invoices(currency))
        })
    }

    /// Turns `(pick, per mille)` pairs into requested allocations: mostly a share of an open
    /// invoice's balance (sometimes a little over it), now and then an unknown invoice.
    fn requested_from(
        invoices: &[OpenInvoice],
        picks: &[(usize, i64)],
        currency: Currency,
    ) -> Vec<(InvoiceId, Money)> {
        let request = |(pick, per_mille): (usize, i64)| {
            let known = invoices
                .get(pick % invoices.len().max(1))
                .filter(|_| pick < 18);
            match known {
                Some(invoice) => (
                    invoice.invoice,
                    Money::from_minor(invoice.open.to_minor() * per_mille / 1000, currency),
                ),
                None => (InvoiceId(99), Money::from_minor(per_mille, currency)),
            }
        };
        picks.iter().copied().map(request).collect()
    }

    fn allocated_to(plan: &AllocationPlan, invoice: InvoiceId) -> Money {
        Money::sum(
            plan.credit.currency(),
            plan.allocations
                .iter()
                .filter(|(i, _)| *i == invoice)
                .map(|(_, m)| *m),
        )
    }

    proptest! {
        #[test]
        fn oldest_first_never_exceeds_a_balance_and_accounts_for_every_penny(
            (amount, invoices) in any_payment(),
        ) {
            let plan = allocate_payment(amount, &[], &invoices, Excess::KeepAsCredit)
                .expect("credit is allowed");

            for invoice in &invoices {
                let allocated = allocated_to(&plan, invoice.invoice);
                prop_assert!(allocated <= invoice.open, "{} to {:?}", allocated, invoice);
            }
            prop_assert!(plan.allocations.iter().all(|(_, m)| m.is_positive()));
            prop_assert!(!plan.credit.is_negative());
            prop_assert_eq!(plan.allocated() + plan.credit, amount);
            let open_total = Money::sum(amount.currency(), invoices.iter().map(|i| i.open));
            prop_assert_eq!(plan.allocated(), amount.min(open_total));
            let entry = payment_entry(day("2026-03-20"), "payment".into(), crate::domain::posting::accounts::BANK, amount, &plan);
            prop_assert!(entry.is_ok(), "{:?}", entry);
        }

        #[test]
        fn explicit_allocations_are_either_refused_or_within_every_balance(
            (amount, invoices) in any_payment(),
            picks in prop::collection::vec((0usize..20, 0i64..=1_100), 1..5),
        ) {
            let requested = requested_from(&invoices, &picks, amount.currency());

            let planned = allocate_payment(amount, &requested, &invoices, Excess::KeepAsCredit);

            // Refusals are covered by the unit tests above; here only accepted plans matter.
            let Ok(plan) = planned else {
                return Ok(());
            };

            for invoice in &invoices {
                let allocated = allocated_to(&plan, invoice.invoice);
                prop_assert!(allocated <= invoice.open, "{} to {:?}", allocated, invoice);
            }
            prop_assert!(!plan.credit.is_negative());
            prop_assert_eq!(plan.allocated() + plan.credit, amount);
            let entry = payment_entry(day("2026-03-20"), "payment".into(), crate::domain::posting::accounts::BANK, amount, &plan);
            prop_assert!(entry.is_ok(), "{:?}", entry);
        }

        #[test]
        fn refusing_excess_accepts_exactly_the_payments_the_invoices_can_take(
            (amount, invoices) in any_payment(),
        ) {
            let open_total = Money::sum(amount.currency(), invoices.iter().map(|i| i.open));

            let result = allocate_payment(amount, &[], &invoices, Excess::Refuse);

            prop_assert_eq!(result.is_ok(), amount <= open_total);
        }
    }
}
