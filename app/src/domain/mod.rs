//! The accounting rules of Settle, free of I/O: money and rounding, invoice totals and tax,
//! derived invoice status, payment allocation, posting rules, receivables aging, cash flow.
//! Everything here takes `today` as an argument; nothing reads a clock.

pub mod aging;
pub mod allocation;
pub mod audit;
pub mod bank_matching;
#[cfg(feature = "ssr")]
pub mod bank_statement;
pub mod cash_basis;
pub mod cash_flow;
pub mod chart;
pub mod credit;
pub mod delivery;
#[cfg(feature = "ssr")]
pub mod einvoice;
#[cfg(feature = "ssr")]
pub mod einvoice_credit_note;
pub mod expenses;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod forecast;
pub mod ids;
pub mod items;
pub mod journal;
pub mod money;
pub mod money_flow;
pub mod numbering;
pub mod party_aging;
pub mod posting;
pub mod pricing;
pub mod profile;
pub mod quotes;
pub mod recurrence;
pub mod reports;
pub mod status;
pub mod tax_rates;
pub mod tax_summary;
pub mod totals;

pub use aging::{AgingBucket, AgingReport};
pub use allocation::{allocate_payment, AllocationError, AllocationPlan, Excess, OpenInvoice};
pub use chart::AccountKind;
pub use ids::{CreditNoteId, CustomerId, InvoiceId, PaymentId};
pub use money::{round_money, Currency, Money, MoneyError};
pub use posting::{AccountCode, JournalEntry, Posting, PostingError};
pub use pricing::{document_totals, DocumentDiscount, PriceEntry, Pricing, PricingError};
pub use reports::{BalanceSheet, Basis, Period, ProfitAndLoss};
pub use status::{derive_settled_status, derive_status, InvoiceStatus, Lifecycle, Settled};
pub use tax_rates::{LineTax, TaxCategory, TaxRate};
pub use totals::{invoice_totals, InvoiceTotals, LineInput, TaxLine, TaxRounding};
