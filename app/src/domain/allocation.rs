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
        Money::sum(self.credit.currency(), self.allocations.iter().map(|(_, m)| *m))
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AllocationError {
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("invoice {0} is not open for this customer")]
    NotOpen(InvoiceId),
    #[error("{requested} is more than the {open} still open on that invoice")]
    ExceedsOpenBalance { invoice: InvoiceId, requested: Money, open: Money },
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
    let plan = AllocationPlan { credit: amount - sum(amount, &allocations), allocations };
    if plan.credit.is_positive() && excess == Excess::Refuse {
        let open_total = Money::sum(amount.currency(), open.iter().map(|o| o.open));
        return Err(AllocationError::ExcessRefused { excess: plan.credit, open: open_total });
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
        let already = sum(amount, &allocations.iter().filter(|(i, _)| i == invoice).copied().collect::<Vec<_>>());
        if already + *part > open_balance {
            return Err(AllocationError::ExceedsOpenBalance { invoice: *invoice, requested: *part, open: open_balance });
        }
        allocations.push((*invoice, *part));
    }
    let allocated = sum(amount, &allocations);
    if allocated > amount {
        return Err(AllocationError::ExceedsPayment { allocated, amount });
    }
    Ok(allocations)
}
