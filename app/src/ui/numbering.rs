//! Settings → Numbering: the patterns invoices, credit notes and quotes take their numbers
//! from.
//! Changing one numbers only documents issued afterwards.

use crate::api::credit_notes::{get_numbering, save_numbering, NumberingForm};
use crate::api::AppError;
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{FormError, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NumberingPage() -> impl IntoView {
    // Not keyed on the live version: a change elsewhere must not reset what is being typed.
    let current = Resource::new(|| (), |_| get_numbering());
    view! {
        <Title text="Numbering" />
        <PageHeader title="Numbering" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match current.await {
                    Ok(form) => view! { <NumberingFormView form /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn NumberingFormView(form: NumberingForm) -> impl IntoView {
    let invoice = RwSignal::new(form.invoice);
    let credit_note = RwSignal::new(form.credit_note);
    let quote = RwSignal::new(form.quote.unwrap_or_default());
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(move |form: &NumberingForm| save_numbering(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(form)) => {
            invoice.set(form.invoice);
            credit_note.set(form.credit_note);
            if let Some(pattern) = form.quote {
                quote.set(pattern);
            }
            saved.set(true);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        action.dispatch(NumberingForm {
            invoice: invoice.get_untracked(),
            credit_note: credit_note.get_untracked(),
            quote: Some(quote.get_untracked()),
        });
    };
    view! {
        <section class="panel">
            <p class="muted">
                "A pattern is text with a counter, {NNNN} (zero-padded to as many digits as N), and optionally
                 the year, {YYYY}. With the year, numbering starts again at 1 on 1 January in the business's
                 time zone. Documents already issued keep their numbers; numbers never repeat or skip within
                 a series."
            </p>
            <form class="form" on:submit=submit novalidate>
                <TextField id="invoice" label="Invoices" value=invoice errors required=true
                    hint="For example INV-{YYYY}-{NNNN} gives INV-2027-0001." />
                <TextField id="credit_note" label="Credit notes" value=credit_note errors required=true
                    hint="For example CN-{YYYY}-{NNNN} gives CN-2027-0001." />
                <TextField id="quote" label="Quotes" value=quote errors required=true
                    hint="For example QUO-{YYYY}-{NNNN} gives QUO-2027-0001; a quote is numbered when sent." />
                <FormError errors />
                {move || saved.get().then(|| view! {
                    <p class="banner banner-success" role="status">"Saved. The next documents are numbered this way."</p>
                })}
                <div class="form-actions"><SubmitButton label="Save numbering" pending=action.pending() /></div>
            </form>
        </section>
    }
}
