//! The payment form. One request key per form instance: a second press, a retry after a
//! timeout or a resubmitted page records the payment only once.

use super::allocations::{AllocationInputs, OpenInvoices};
use super::receipt::Receipt;
use crate::api::payments::record_payment;
use crate::api::types::{
    BankAccount, DocumentDefaults, InvoiceSummary, PaymentForm as Form, PaymentMethod,
    PaymentReceipt,
};
use crate::api::AppError;
use crate::domain::{CustomerId, InvoiceId};
use crate::ui::browser::request_key;
use crate::ui::fields::{
    clear_field, field_error, use_hydrated, FieldError, FormError, SubmitButton, TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn PaymentForm(
    defaults: DocumentDefaults,
    /// The chosen customer's id as text (the select's value), owned by the page.
    customer: RwSignal<String>,
    customer_id: Memo<Option<CustomerId>>,
    open: Resource<Result<Vec<InvoiceSummary>, AppError>>,
    invoice: Option<InvoiceId>,
    on_new: Callback<()>,
    /// The open bank accounts; the first is chosen to start with.
    banks: Vec<BankAccount>,
) -> impl IntoView {
    let key = StoredValue::new(request_key());
    let preselected = customer_id.get_untracked();
    let amount = RwSignal::new(String::new());
    let received_on = RwSignal::new(defaults.today.to_string());
    let method = RwSignal::new(PaymentMethod::default().key().to_string());
    let reference = RwSignal::new(String::new());
    let bank = RwSignal::new(banks.first().map(|b| b.id.to_string()).unwrap_or_default());
    let fee = RwSignal::new(String::new());
    let keep_credit = RwSignal::new(false);
    let inputs = AllocationInputs {
        typed: RwSignal::new(Default::default()),
        mirror: RwSignal::new(invoice),
        amount,
    };
    let errors = RwSignal::new(None::<AppError>);
    let receipt = RwSignal::new(None::<(PaymentReceipt, Vec<InvoiceSummary>)>);
    let snapshot = StoredValue::new(Vec::<InvoiceSummary>::new());

    // Opened from an invoice: start with what is open on it.
    Effect::new(move |_| {
        if let (Some(id), Some(Ok(list))) = (invoice, open.get()) {
            if amount.get_untracked().is_empty() {
                if let Some(found) = list.iter().find(|i| i.id == id) {
                    amount.set(found.open.amount().to_string());
                }
            }
        }
    });
    // Another customer: amounts typed for the previous one no longer apply.
    Effect::new(move |previous: Option<Option<CustomerId>>| {
        let now = customer_id.get();
        if previous.is_some_and(|p| p != now) {
            inputs.typed.set(Default::default());
            inputs.mirror.set(None);
        }
        now
    });

    let action = Action::new(|form: &Form| record_payment(form.clone()));
    let navigate = use_navigate();
    // Offline (or the server unreachable): the payment is kept on this device with its key
    // and sent when the connection returns; see `ui::outbox`.
    let outbox = crate::ui::outbox::use_outbox();
    let queued = RwSignal::new(None::<String>);
    let sent = StoredValue::new(None::<Form>);
    let names = defaults.customers.clone();
    let code = defaults.currency.code().to_string();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(done)) => match invoice {
            Some(id) => navigate(&format!("/invoices/{id}"), Default::default()),
            None => receipt.set(Some((done, snapshot.get_value()))),
        },
        Some(Err(AppError::Transport(_))) if outbox.is_some() => {
            if let (Some(outbox), Some(form)) = (outbox, sent.get_value()) {
                let customer = names
                    .iter()
                    .find(|c| Some(c.id) == form.customer_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                let label = format!("{} {code} from {customer}", form.amount.trim());
                outbox.enqueue(form, label.clone());
                queued.set(Some(label));
            }
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        let list = open
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        let allocations = list
            .iter()
            .map(|i| (i.id, inputs.text(i)))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        snapshot.set_value(list);
        let form = Form {
            customer_id: customer_id.get_untracked(),
            amount: amount.get_untracked(),
            received_on: received_on.get_untracked(),
            method: PaymentMethod::from_key(&method.get_untracked()).unwrap_or_default(),
            bank_account_id: bank.get_untracked().parse().ok(),
            reference: reference.get_untracked(),
            allocations,
            keep_excess_as_credit: keep_credit.get_untracked(),
            idempotency_key: key.get_value(),
            fee: fee.get_untracked(),
            fee_account: None,
        };
        sent.set_value(Some(form.clone()));
        action.dispatch(form);
    };
    let customer_error = field_error(errors, "customer_id");
    let customers = defaults.customers.clone();
    let currency = defaults.currency.code().to_string();
    view! {
        {move || receipt.get().map(|(done, invoices)| view! { <Receipt receipt=done invoices on_new /> })}
        {move || queued.get().map(|label| view! {
            <section class="panel queued-payment" role="status" data-testid="payment-queued">
                <h2>"Saved on this device"</h2>
                <p>{format!("The payment of {label} could not reach Settle. It is kept on this device \
                    and will be recorded when the connection returns, once, with the same key.")}</p>
                <button type="button" class="button secondary" on:click=move |_| on_new.run(())>
                    "Record another"
                </button>
            </section>
        })}
        <form class="form payment-form" on:submit=submit novalidate
            hidden=move || receipt.with(Option::is_some) || queued.with(Option::is_some)>
            <fieldset disabled=move || !hydrated.get()>
                <section class="panel">
                    <div class="field" class:invalid=move || customer_error.with(Option::is_some)>
                        <label for="customer_id">"Customer"</label>
                        <select id="customer_id" bind:value=customer on:change=move |_| clear_field(errors, "customer_id")>
                            <option value="" selected=preselected.is_none()>"Select a customer…"</option>
                            {customers.into_iter().map(|c| view! {
                                <option value=c.id.to_string() selected=preselected == Some(c.id)>{c.name}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="customer_id-error" error=customer_error />
                    </div>
                    <div class="field-row pair">
                        <TextField id="amount" label="Amount" value=amount inputmode="decimal"
                            hint=format!("In {currency}.") errors required=true />
                        <TextField id="received_on" label="Received on" kind="date" value=received_on
                            errors required=true />
                    </div>
                    <div class="field-row">
                        <div class="field">
                            <label for="method">"Method"</label>
                            <select id="method" bind:value=method>
                                {PaymentMethod::ALL.into_iter().map(|m| view! {
                                    <option value=m.key() selected=m == PaymentMethod::default()>{m.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <TextField id="reference" label="Reference" value=reference autocomplete="off"
                            hint="Bank reference or cheque number." errors />
                    </div>
                    <div class="field-row pair">
                        <div class="field">
                            <label for="bank_account_id">"Bank account"</label>
                            <select id="bank_account_id" bind:value=bank>
                                {banks.iter().enumerate().map(|(i, b)| view! {
                                    <option value=b.id.to_string() selected=i == 0>{b.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <FieldError id="bank_account_id-error" error=field_error(errors, "bank_account_id") />
                        </div>
                        <TextField id="fee" label="Processor fee" value=fee inputmode="decimal"
                            hint="Kept back by the processor; posts to Bank and card fees." errors />
                    </div>
                </section>
                <OpenInvoices customer=customer_id invoices=open inputs errors />
                <div class="checkbox-field">
                    <input id="keep_excess" type="checkbox" bind:checked=keep_credit on:change=move |_| clear_field(errors, "amount") />
                    <label for="keep_excess">"Keep any excess as customer credit"</label>
                </div>
                <FormError errors also=&["idempotency_key"] />
                <div class="form-actions">
                    <SubmitButton label="Record payment" pending=action.pending() />
                </div>
            </fieldset>
        </form>
    }
}
