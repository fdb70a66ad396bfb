//! A vendor's page: every expense, bill, bill payment and void over a period with the running
//! balance owed to them.

use super::error::AppError;
use crate::domain::{Money, Period};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What moved on a vendor's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VendorLineKind {
    /// Paid when recorded: billed and paid at once, so nothing is owed.
    Expense,
    Bill,
    BillPayment,
    ExpenseVoided,
    BillVoided,
    PaymentVoided,
}

impl VendorLineKind {
    pub fn label(self) -> &'static str {
        match self {
            VendorLineKind::Expense => "Expense, paid at once",
            VendorLineKind::Bill => "Bill",
            VendorLineKind::BillPayment => "Bill payment",
            VendorLineKind::ExpenseVoided => "Expense voided",
            VendorLineKind::BillVoided => "Bill voided",
            VendorLineKind::PaymentVoided => "Bill payment voided",
        }
    }
}

/// One dated line: what it added to what was bought (`billed`) and paid (`paid`), and the
/// balance owed after it. A void carries negative figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorLine {
    pub date: NaiveDate,
    pub kind: VendorLineKind,
    /// The expense or bill the line belongs to.
    pub expense_id: i64,
    pub entry_id: i64,
    pub description: String,
    pub billed: Money,
    pub paid: Money,
    pub balance: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorStatement {
    pub vendor_id: i64,
    pub vendor_name: String,
    pub period: Period,
    /// Owed to the vendor at the start and end of the period (accounts payable).
    pub opening: Money,
    pub lines: Vec<VendorLine>,
    pub billed: Money,
    pub paid: Money,
    pub closing: Money,
}

/// A vendor's page for `from`–`to` (empty: the start of this year to today).
#[server(endpoint = "get_vendor_statement", input = Json)]
pub async fn get_vendor_statement(
    vendor: i64,
    from: String,
    to: String,
) -> Result<VendorStatement, AppError> {
    use super::context::{business, internal, require_user};
    use crate::store::vendors::{vendor_statement, VendorError};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let period = super::books::period(&mut errors, &from, &to, settings.today());
    errors.into_result()?;
    let period = period.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    vendor_statement(&mut conn, settings.base_currency, vendor, period)
        .await
        .map_err(|e| match e {
            VendorError::NotFound => AppError::NotFound("The vendor".into()),
            VendorError::TooLong => AppError::invalid("from", e.to_string()),
            VendorError::Store(e) => internal(e),
        })
}
