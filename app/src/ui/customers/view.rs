//! One customer: what they owe, their invoices, and their details to edit.

use super::archive::CustomerArchive;
use super::form::CustomerForm;
use super::refund_credit::RefundCredit;
use crate::api::customers::get_customer;
use crate::api::invoices::list_invoices;
use crate::api::types::Customer;
use crate::domain::CustomerId;
use crate::ui::components::{load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::invoices::InvoiceTable;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(CustomerId)
    });
    let customer = Resource::new(move || (live.get(), id.get()), |(_, id)| fetch(id));
    // The form reads its own copy, not tied to live updates, so a change elsewhere never
    // wipes what is being typed.
    let for_form = Resource::new(move || id.get(), fetch);
    let invoices = Resource::new(
        move || (live.get(), id.get()),
        |(_, id)| list_invoices(String::new(), String::new(), id, 1),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(c) => view! { <Summary customer=c /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <div class="two-column">
            <section class="panel" aria-labelledby="customer-invoices">
                <h2 id="customer-invoices">"Invoices"</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match invoices.await {
                            Ok(page) if page.items.is_empty() => view! {
                                <EmptyState title="No invoices yet" text="Invoices for this customer will appear here." />
                            }.into_any(),
                            Ok(page) => view! { <InvoiceTable items=page.items show_customer=false /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel" aria-labelledby="customer-details">
                <h2 id="customer-details">"Details"</h2>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match for_form.await {
                            Ok(c) => view! {
                                <CustomerForm id=Some(c.id) initial=c.to_form() base_currency=c.currency on_saved=Callback::new(|_| ()) />
                            }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </section>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(c) => view! { <CustomerArchive customer=c /> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

async fn fetch(id: Option<CustomerId>) -> Result<Customer, crate::api::AppError> {
    get_customer(id.ok_or(crate::api::AppError::NotFound("The customer".into()))?).await
}

#[component]
fn Summary(customer: Customer) -> impl IntoView {
    let id = customer.id;
    view! {
        <Title text=customer.name.clone() />
        <PageHeader title=customer.name.clone()>
            <A href=format!("/customers/{id}/statement") attr:class="button secondary">"Statement"</A>
            <A href=format!("/payments/new?customer={id}") attr:class="button secondary">"Record payment"</A>
            {(!customer.archived).then(|| view! {
                <A href=format!("/invoices/new?customer={id}") attr:class="button primary">"New invoice"</A>
            })}
        </PageHeader>
        {customer.archived.then(|| view! {
            <p class="banner banner-warn" role="status" data-testid="customer-archived">
                "Archived. Their documents are kept; restore them at the foot of this page to bill them again."
            </p>
        })}
        <div class="stat-strip">
            <div class="stat">
                <span class="stat-label">"Open balance"</span>
                <span class="stat-value"><Amount value=customer.open_balance /></span>
            </div>
            <div class="stat">
                <span class="stat-label">"Credit"</span>
                <span class="stat-value"><Amount value=customer.credit /></span>
            </div>
            <div class="stat">
                <span class="stat-label">"Payment terms"</span>
                <span class="stat-value">{format!("{} days", customer.payment_terms_days)}</span>
            </div>
            {(!customer.email.is_empty()).then(|| view! {
                <div class="stat">
                    <span class="stat-label">"Email"</span>
                    <a class="stat-value small" href=format!("mailto:{}", customer.email) title=customer.email.clone()>
                        {customer.email.clone()}
                    </a>
                </div>
            })}
        </div>
        {customer.credit.is_positive().then(|| view! { <RefundCredit customer=id credit=customer.credit /> })}
    }
}
