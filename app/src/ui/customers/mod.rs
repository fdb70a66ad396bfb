//! Customers: the list, adding one, one customer's page and their statement.

mod archive;
mod form;
mod list;
mod refund_credit;
mod statement;
mod view;

pub use list::CustomersPage;
pub use statement::CustomerStatementPage;
pub use view::CustomerPage;

use crate::api::invoices::get_document_defaults;
use crate::api::types::CustomerForm as Form;
use crate::domain::CustomerId;
use crate::ui::components::{load_error, Loading, PageHeader};
use form::CustomerForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let defaults = Resource::new(|| (), |_| get_document_defaults());
    let navigate = use_navigate();
    let on_saved = Callback::new(move |id: CustomerId| {
        navigate(&format!("/customers/{id}"), Default::default())
    });
    view! {
        <Title text="New customer" />
        <PageHeader title="New customer" />
        <section class="panel narrow">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match defaults.await {
                        Ok(defaults) => {
                            let initial = Form {
                                currency: defaults.currency.code().to_string(),
                                payment_terms_days: "30".to_string(),
                                ..Form::default()
                            };
                            view! { <CustomerForm id=None initial base_currency=defaults.currency on_saved /> }.into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}
