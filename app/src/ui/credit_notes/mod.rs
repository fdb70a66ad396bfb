//! Credit notes: every one issued, and one as a document with the invoice it credits.

mod list;
mod view;

pub use list::CreditNotesPage;
pub use view::CreditNotePage;
