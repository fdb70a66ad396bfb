//! Invoices: the list, one invoice, and the draft editor.

mod actions;
mod apply_credit;
mod credit;
mod delivery;
mod edit;
mod history;
mod lines;
mod list;
mod view;

pub use edit::{new_draft, DraftEditor, EditInvoicePage, EditorKind, NewInvoicePage};
pub use history::ChangeList;
pub use list::{InvoiceTable, InvoicesPage};
pub use view::{exemption, method_label, percent, quantity, Figures, InvoicePage, LinesTable};
