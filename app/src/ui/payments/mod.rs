//! Recording a received payment: the form, the customer's open invoices to apply it to,
//! and the receipt afterwards.

mod allocations;
mod form;
mod list;
mod receipt;
mod view;

pub use list::PaymentsPage;
pub use view::PaymentPage;

use crate::api::bank_accounts::list_bank_accounts;
use crate::api::invoices::get_document_defaults;
use crate::domain::{CustomerId, InvoiceId};
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::live::use_live_version;
use allocations::open_invoices;
use form::PaymentForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/payments/new`, optionally `?invoice=ID&customer=ID` when opened from an invoice.
#[component]
pub fn RecordPaymentPage() -> impl IntoView {
    let query = use_query_map();
    let customer = query
        .read_untracked()
        .get("customer")
        .and_then(|c| c.parse().ok())
        .map(CustomerId);
    let invoice = query
        .read_untracked()
        .get("invoice")
        .and_then(|i| i.parse().ok())
        .map(InvoiceId);
    let defaults = Resource::new(|| (), |_| get_document_defaults());
    let banks = Resource::new(|| (), |_| list_bank_accounts());
    // The open invoices are read here, not inside the form, so the resource is created once
    // and hydrates from the server's copy.
    let live = use_live_version();
    let chosen = RwSignal::new(customer.map(|c| c.to_string()).unwrap_or_default());
    let chosen_id = Memo::new(move |_| chosen.get().parse().ok().map(CustomerId));
    let open = Resource::new(
        move || (live.get(), chosen_id.get()),
        |(_, c)| open_invoices(c),
    );
    // Each new form instance gets its own request key; "Record another" starts a new one.
    let instance = RwSignal::new(0u32);
    view! {
        <Title text="Record payment" />
        <PageHeader title="Record payment" />
        <Suspense fallback=Loading>
            {move || {
                // Only the first form starts from the invoice or customer in the address.
                let first = instance.get() == 0;
                let invoice = if first { invoice } else { None };
                let on_new = Callback::new(move |_| {
                    chosen.set(String::new());
                    instance.update(|n| *n += 1);
                });
                Suspend::new(async move {
                    let banks = match banks.await {
                        Ok(banks) => banks.into_iter().filter(|b| !b.archived).collect(),
                        Err(e) => return load_error(e),
                    };
                    match defaults.await {
                        Ok(defaults) => view! { <PaymentForm defaults customer=chosen customer_id=chosen_id open invoice on_new banks /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })
            }}
        </Suspense>
    }
}
