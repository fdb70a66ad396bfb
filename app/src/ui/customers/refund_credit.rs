//! "Refund credit" on a customer holding credit: the amount goes back to them from a chosen
//! bank account (Dr customer credits, Cr bank), recorded once per request key.

use crate::api::bank_accounts::list_bank_accounts;
use crate::api::payment_changes::use_credit;
use crate::api::types::CreditForm;
use crate::api::AppError;
use crate::domain::{CustomerId, Money};
use crate::ui::browser::request_key;
use crate::ui::fields::{FormError, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;

#[component]
pub fn RefundCredit(customer: CustomerId, credit: Money) -> impl IntoView {
    let live = use_live_version();
    let open = RwSignal::new(false);
    let amount = RwSignal::new(credit.amount().to_string());
    let bank = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let key = StoredValue::new(request_key());
    let banks = Resource::new(|| (), |_| list_bank_accounts());
    let action = Action::new(|form: &CreditForm| use_credit(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            key.set_value(request_key());
            open.set(false);
            live.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let confirm = move |_| {
        errors.set(None);
        action.dispatch(CreditForm {
            customer_id: customer,
            invoice_id: None,
            bank_account_id: bank.get_untracked().parse().ok(),
            amount: amount.get_untracked(),
            date: String::new(),
            idempotency_key: key.get_value(),
        });
    };
    view! {
        <div class="action-bar">
            <Show when=move || !open.get()>
                <button type="button" class="button secondary" on:click=move |_| open.set(true)>"Refund credit"</button>
            </Show>
            <Show when=move || open.get()>
                <div class="confirm" role="group" aria-label="Refund customer credit">
                    <p>"The money goes back to the customer today from the bank account you choose."</p>
                    <TextField id="refund_amount" label="Amount" value=amount inputmode="decimal" errors required=true />
                    <div class="field">
                        <label for="refund_bank">"From bank account"</label>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let list: Vec<_> = banks
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .filter(|b| !b.archived)
                                    .collect();
                                if let Some(first) = list.first() {
                                    bank.set(first.id.to_string());
                                }
                                view! {
                                    <select id="refund_bank" bind:value=bank>
                                        {list.into_iter().enumerate().map(|(i, b)| view! {
                                            <option value=b.id.to_string() selected=i == 0>{b.name}</option>
                                        }).collect_view()}
                                    </select>
                                }
                            })}
                        </Transition>
                    </div>
                    <div class="confirm-buttons">
                        <button type="button" class="button secondary small" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="button" class="button danger small" disabled=move || action.pending().get() on:click=confirm>
                            "Yes, refund credit"
                        </button>
                    </div>
                </div>
            </Show>
            <div class="action-errors"><FormError errors also=&["idempotency_key", "amount", "date", "bank_account_id"] /></div>
        </div>
    }
}
