//! Correcting an issued invoice from its page: the credit-note form, and the list of credit
//! notes and any write-off below the document.

use crate::api::credit_notes::{create_credit_note, CreditNoteForm};
use crate::api::types::InvoiceDetail;
use crate::api::AppError;
use crate::domain::{InvoiceId, Money};
use crate::ui::browser::request_key;
use crate::ui::components::{day, Amount};
use crate::ui::fields::{FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_router::components::A;

/// Issues a credit note for the whole open balance or an amount, with a reason. `on_done`
/// runs once one is issued.
#[component]
pub fn CreditNoteForm(
    invoice: InvoiceId,
    open: Money,
    today: chrono::NaiveDate,
    on_done: Callback<()>,
) -> impl IntoView {
    let key = StoredValue::new(request_key());
    let amount = RwSignal::new(String::new());
    let date = RwSignal::new(today.to_string());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let live = use_live_version();
    let action = Action::new(move |form: &CreditNoteForm| create_credit_note(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            key.set_value(request_key());
            live.update(|v| *v += 1);
            on_done.run(());
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch(CreditNoteForm {
            invoice_id: Some(invoice),
            amount: amount.get_untracked(),
            date: date.get_untracked(),
            reason: reason.get_untracked(),
            idempotency_key: key.get_value(),
        });
    };
    let hint = format!(
        "Gross, tax included. Leave empty to credit everything still open ({open}). It is split over the invoice's tax rates in proportion."
    );
    view! {
        <section class="panel credit-form no-print" aria-labelledby="credit-heading">
            <h2 id="credit-heading" class="section-title">"Credit note"</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="field-row pair">
                    <TextField id="amount" label="Amount to credit" value=amount errors inputmode="decimal" hint />
                    <TextField id="date" label="Date" kind="date" value=date errors required=true />
                </div>
                <TextField id="reason" label="Reason" value=reason errors required=true
                    hint="Printed on the credit note, e.g. \"Agreed discount for late delivery\"." />
                <FormError errors also=&["idempotency_key", "invoice_id"] />
                <div class="form-actions">
                    <button type="button" class="button secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
                    <SubmitButton label="Issue credit note" pending=action.pending() />
                </div>
            </form>
        </section>
    }
}

/// The invoice's credit notes and write-off, each with what it took off the balance.
#[component]
pub fn Corrections(detail: InvoiceDetail) -> impl IntoView {
    if detail.credit_notes.is_empty() && detail.write_off.is_none() {
        return ().into_any();
    }
    view! {
        <section class="panel corrections" aria-labelledby="corrections-heading">
            <h2 id="corrections-heading">"Credit notes and write-offs"</h2>
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Document"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col" class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {detail.credit_notes.into_iter().map(|c| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=format!("/credit-notes/{}", c.id)>{format!("Credit note {}", c.number)}</A>
                            </td>
                            <td data-label="Date">{day(c.date)}</td>
                            <td data-label="Reason" class="wide-cell">{c.reason}</td>
                            <td data-label="Amount" class="num wide-cell"><Amount value=c.total /></td>
                        </tr>
                    }).collect_view()}
                    {detail.write_off.map(|w| view! {
                        <tr>
                            <td class="primary-cell">"Written off"</td>
                            <td data-label="Date">{day(w.date)}</td>
                            <td data-label="Reason" class="wide-cell">{if w.reason.is_empty() { "—".to_string() } else { w.reason }}</td>
                            <td data-label="Amount" class="num wide-cell"><Amount value=w.amount /></td>
                        </tr>
                    })}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
