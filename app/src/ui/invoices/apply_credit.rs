//! "Apply credit (X available)" on an open invoice whose customer holds credit from earlier
//! payments: one press applies as much as both allow, recorded once per press.

use crate::api::payment_changes::{get_customer_credit, use_credit};
use crate::api::types::CreditForm;
use crate::api::AppError;
use crate::domain::{CustomerId, InvoiceId, Money};
use crate::ui::browser::request_key;
use crate::ui::fields::FormError;
use crate::ui::live::use_live_version;
use leptos::prelude::*;

#[component]
pub fn ApplyCredit(customer: CustomerId, invoice: InvoiceId, open: Money) -> impl IntoView {
    let live = use_live_version();
    // Not keyed on the live version: the invoice page rebuilds this part on every change, and
    // a second refetch racing that rebuild would read a resource already thrown away.
    let credit = Resource::new(|| (), move |_| get_customer_credit(customer));
    let errors = RwSignal::new(None::<AppError>);
    let key = StoredValue::new(request_key());
    let action = Action::new(|form: &CreditForm| use_credit(form.clone()));
    // Applying posts an entry: the button asks once more, naming the amount.
    let asking = RwSignal::new(false);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            key.set_value(request_key());
            live.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let available = credit.await.ok().filter(|c| c.is_positive())?;
                let amount = available.min(open);
                let apply = move |_| {
                    asking.set(false);
                    errors.set(None);
                    action.dispatch(CreditForm {
                        customer_id: customer,
                        invoice_id: Some(invoice),
                        bank_account_id: None,
                        amount: amount.amount().to_string(),
                        date: String::new(),
                        idempotency_key: key.get_value(),
                    });
                };
                Some(view! {
                    <div class="apply-credit no-print">
                        <Show
                            when=move || asking.get()
                            fallback=move || view! {
                                <button type="button" class="button secondary" disabled=move || action.pending().get()
                                    on:click=move |_| asking.set(true)>
                                    {format!("Apply credit ({available} available)")}
                                </button>
                            }
                        >
                            <div class="confirm" role="group" aria-label="Confirm: apply credit">
                                <p>{format!("Apply {amount} of the customer's credit to this invoice today? It posts Dr Customer credits / Cr Receivables.")}</p>
                                <div class="confirm-buttons">
                                    <button type="button" class="button secondary small" on:click=move |_| asking.set(false)>"Cancel"</button>
                                    <button type="button" class="button primary small" disabled=move || action.pending().get()
                                        on:click=apply>
                                        "Yes, apply credit"
                                    </button>
                                </div>
                            </div>
                        </Show>
                        <FormError errors also=&["idempotency_key", "amount", "date"] />
                    </div>
                })
            })}
        </Transition>
    }
}
