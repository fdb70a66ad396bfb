//! The end of a customer: archive one that documents name (restore them later), or delete
//! one that nothing names. Deleting asks once more, inline.

use crate::api::customer_archive::{archive_customer, delete_customer};
use crate::api::types::Customer;
use crate::api::AppError;
use crate::ui::fields::FormError;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn CustomerArchive(customer: Customer) -> impl IntoView {
    let id = customer.id;
    let archived = customer.archived;
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let asking = RwSignal::new(false);
    let archive = Action::new(move |archive: &bool| archive_customer(id, *archive));
    let delete = Action::new(move |_: &()| delete_customer(id));
    Effect::new(move |_| match archive.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let navigate = use_navigate();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => navigate("/customers", Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let busy = Signal::derive(move || archive.pending().get() || delete.pending().get());
    view! {
        <section class="panel" aria-labelledby="customer-archive">
            <h2 id="customer-archive">{if archived { "Archived" } else { "Archive or delete" }}</h2>
            <p class="muted">
                {if archived {
                    "This customer is archived: their documents are kept as they are, and they are not offered for new invoices or quotes. Restore them to bill them again."
                } else {
                    "Archive a customer you no longer bill: their invoices, payments and statements are kept, and they leave the customer list and the pickers. A customer with no documents at all can be deleted instead."
                }}
            </p>
            <div class="action-bar">
                <button type="button" class="button secondary" disabled=move || busy.get()
                    on:click=move |_| { errors.set(None); archive.dispatch(!archived); }>
                    {if archived { "Restore customer" } else { "Archive customer" }}
                </button>
                <Show
                    when=move || asking.get()
                    fallback=move || view! {
                        <button type="button" class="button danger-outline" disabled=move || busy.get()
                            on:click=move |_| { errors.set(None); asking.set(true); }>
                            "Delete customer"
                        </button>
                    }
                >
                    <div class="confirm" role="group" aria-label="Confirm: delete customer">
                        <p>"The customer is removed for good. Only a customer no document names can be deleted."</p>
                        <div class="confirm-buttons">
                            <button type="button" class="button secondary small" on:click=move |_| asking.set(false)>"Cancel"</button>
                            <button type="button" class="button danger small" disabled=move || busy.get()
                                on:click=move |_| { asking.set(false); delete.dispatch(()); }>
                                "Yes, delete customer"
                            </button>
                        </div>
                    </div>
                </Show>
                <div class="action-errors"><FormError errors /></div>
            </div>
        </section>
    }
}
