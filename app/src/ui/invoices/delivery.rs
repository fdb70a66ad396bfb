//! Getting an issued invoice to the customer: its private link (create, copy, revoke, and
//! whether the customer has opened it).

use crate::api::invoice_links::{create_invoice_link, get_invoice_link, revoke_invoice_link};
use crate::api::AppError;
use crate::domain::InvoiceId;
use crate::ui::fields::FormError;
use crate::ui::live::use_live_version;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum LinkChange {
    Create,
    Revoke,
}

/// The invoice's private link: the address to send the customer, or a button to make one.
#[component]
pub fn PrivateLink(id: InvoiceId) -> impl IntoView {
    let live = use_live_version();
    // Not keyed on the live version (the invoice page rebuilds this part on every change).
    let link = Resource::new(|| (), move |_| get_invoice_link(id));
    let errors = RwSignal::new(None::<AppError>);
    let change = Action::new(move |what: &LinkChange| {
        let what = *what;
        async move {
            match what {
                LinkChange::Create => create_invoice_link(id).await.map(|_| ()),
                LinkChange::Revoke => revoke_invoice_link(id).await,
            }
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    // The page's own origin is known only in the browser; the server renders the path alone.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(crate::ui::browser::origin()));
    let busy = move || change.pending().get();
    let run = move |what: LinkChange| {
        errors.set(None);
        change.dispatch(what);
    };
    view! {
        <section class="panel delivery no-print" aria-labelledby="private-link-heading">
            <h2 id="private-link-heading">"Private link"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(Some(link)) => {
                            let path = link.path.clone();
                            let address = move || format!("{}{}", origin.get(), path);
                            view! {
                                <p class="muted">
                                    "Anyone with this address sees this invoice, its balance and how to pay, and nothing else. Revoke it to stop it working."
                                </p>
                                <div class="delivery-link">
                                    <input type="text" readonly aria-label="Private link" prop:value=address />
                                    <a class="button secondary" href=link.path.clone() target="_blank" rel="external noreferrer">"Open"</a>
                                    <button type="button" class="button danger-outline" disabled=busy
                                        on:click=move |_| run(LinkChange::Revoke)>"Revoke link"</button>
                                </div>
                                <p data-testid="link-views">{link.viewed_note.clone()}</p>
                            }.into_any()
                        }
                        Ok(None) => view! {
                            <p class="muted">
                                "Give the customer an address where they can see this invoice, its balance and how to pay, without signing in."
                            </p>
                            <div>
                                <button type="button" class="button secondary" disabled=busy
                                    on:click=move |_| run(LinkChange::Create)>"Create private link"</button>
                            </div>
                        }.into_any(),
                        Err(e) => crate::ui::components::load_error(e),
                    }
                })}
            </Transition>
            <FormError errors />
        </section>
    }
}
