//! Invoices: the list, one invoice, and the draft editor.

mod actions;
mod apply_credit;
mod credit;
mod delivery;
mod edit;
mod lines;
mod list;
mod view;

pub use edit::{EditInvoicePage, NewInvoicePage};
pub use list::{InvoiceTable, InvoicesPage};
pub use view::{method_label, percent, InvoicePage};
