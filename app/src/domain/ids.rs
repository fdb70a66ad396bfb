//! Identities of stored records. The printed invoice number is a separate value.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A customer's row id.
    CustomerId
);
id_type!(
    /// An invoice's row id (drafts have one too; only issued invoices have a number).
    InvoiceId
);
id_type!(
    /// A payment's row id.
    PaymentId
);
id_type!(
    /// A credit note's row id; its printed number is separate.
    CreditNoteId
);
