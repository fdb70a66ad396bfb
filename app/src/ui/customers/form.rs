//! The customer form, used to add a customer and to edit one.

use crate::api::customers::save_customer;
use crate::api::types::CustomerForm as Form;
use crate::api::AppError;
use crate::domain::{Currency, CustomerId};
use crate::ui::fields::{
    field_error, use_hydrated, FieldError, FormError, SubmitButton, TextField,
};
use leptos::prelude::*;

/// Edits `initial`; `id` is `None` for a new customer. Calls `on_saved` with the id once the
/// server has stored it.
#[component]
pub fn CustomerForm(
    id: Option<CustomerId>,
    initial: Form,
    base_currency: Currency,
    on_saved: Callback<CustomerId>,
) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let email = RwSignal::new(initial.email);
    let billing_address = RwSignal::new(initial.billing_address.clone());
    let tax_id = RwSignal::new(initial.tax_id);
    let payment_reference = RwSignal::new(initial.payment_reference);
    let currency = RwSignal::new(initial.currency);
    let terms = RwSignal::new(initial.payment_terms_days);
    let notes = RwSignal::new(initial.notes.clone());
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(move |form: &Form| save_customer(id, form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(new_id)) => {
            saved.set(true);
            on_saved.run(new_id);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        action.dispatch(Form {
            name: name.get_untracked(),
            email: email.get_untracked(),
            billing_address: billing_address.get_untracked(),
            tax_id: tax_id.get_untracked(),
            payment_reference: payment_reference.get_untracked(),
            currency: currency.get_untracked(),
            payment_terms_days: terms.get_untracked(),
            notes: notes.get_untracked(),
        });
    };
    view! {
        <form class="form customer-form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <TextField id="name" label="Name" value=name autocomplete="organization"
                    errors required=true />
                <TextField id="email" label="Email" value=email kind="email" autocomplete="off"
                    errors hint="Where invoices and reminders go. Optional." />
                <div class="field">
                    <label for="billing_address">"Billing address"</label>
                    <textarea id="billing_address" rows="3" bind:value=billing_address>
                        {crate::ui::fields::rcdata_text(&initial.billing_address)}
                    </textarea>
                </div>
                <div class="field-row">
                    <TextField id="tax_id" label="Tax ID" value=tax_id errors
                        hint="VAT or company number, if any." />
                    <TextField id="payment_terms_days" label="Payment terms" value=terms inputmode="numeric"
                        errors hint="Days from issue to due date." />
                </div>
                <TextField id="payment_reference" label="Payment reference" value=payment_reference
                    errors hint="A customer number they quote when paying. Bank lines that carry it are matched to them." />
                <CurrencySelect value=currency base=base_currency errors />
                <div class="field">
                    <label for="notes">"Notes"</label>
                    <textarea id="notes" rows="2" bind:value=notes>{crate::ui::fields::rcdata_text(&initial.notes)}</textarea>
                </div>
                <FormError errors />
                {move || saved.get().then(|| view! {
                    <p class="banner banner-success" role="status">"Customer saved."</p>
                })}
                <div class="form-actions">
                    <SubmitButton label="Save customer" pending=action.pending() />
                </div>
            </fieldset>
        </form>
    }
}

#[component]
fn CurrencySelect(
    value: RwSignal<String>,
    base: Currency,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let error = field_error(errors, "currency");
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for="currency">"Currency"</label>
            <select id="currency" bind:value=value>
                {Currency::all()
                    .map(|c| {
                        let code = c.code().to_string();
                        let selected = value.get_untracked() == code;
                        view! { <option value=code.clone() selected=selected>{code.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="hint">{format!("Invoices are in your base currency, {base}, for now.")}</p>
            <FieldError id="currency-error" error />
        </div>
    }
}
