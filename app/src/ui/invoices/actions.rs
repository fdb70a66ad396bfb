//! What can be done to an invoice from its page: edit, issue or delete a draft; record a
//! payment, credit, write off or void an issued one; duplicate or repeat any (printing and the PDF are beside them). Irreversible steps
//! ask once more, inline.

use crate::api::credit_notes::{duplicate_invoice, write_off_invoice};
use crate::api::invoices::{delete_draft, issue_invoice, void_invoice};
use crate::api::types::InvoiceDetail;
use crate::api::AppError;
use crate::domain::InvoiceStatus;
use crate::ui::fields::FormError;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[derive(Clone, Copy, PartialEq)]
enum Confirm {
    Void,
    Delete,
    WriteOff,
}

#[component]
pub fn InvoiceActions(detail: InvoiceDetail, crediting: RwSignal<bool>) -> impl IntoView {
    let id = detail.summary.id;
    let customer = detail.summary.customer_id;
    let status = detail.summary.status;
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let confirming = RwSignal::new(None::<Confirm>);
    let issue = Action::new(move |_: &()| issue_invoice(id));
    let void = Action::new(move |_: &()| void_invoice(id));
    let delete = Action::new(move |_: &()| delete_draft(id));
    let write_off = Action::new(move |_: &()| write_off_invoice(id, String::new()));
    let duplicate = Action::new(move |_: &()| duplicate_invoice(id));
    let navigate = use_navigate();
    let to_copy = navigate.clone();
    Effect::new(move |_| match duplicate.value().get() {
        Some(Ok(copy)) => to_copy(&format!("/invoices/{copy}/edit"), Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        let outcome = issue
            .value()
            .get()
            .map(|r| r.map(|_| ()))
            .or_else(|| void.value().get())
            .or_else(|| write_off.value().get());
        match outcome {
            Some(Ok(())) => live.update(|v| *v += 1),
            Some(Err(e)) => errors.set(Some(e)),
            None => {}
        }
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => navigate("/invoices", Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let busy = Signal::derive(move || {
        issue.pending().get()
            || void.pending().get()
            || delete.pending().get()
            || write_off.pending().get()
            || duplicate.pending().get()
    });
    let open = detail.summary.open.is_positive();
    let unpaid = detail.paid.is_zero();
    let uncorrected = detail.credit_notes.is_empty() && detail.write_off.is_none();
    view! {
        <div class="action-bar">
            {match status {
                InvoiceStatus::Draft => view! {
                    <A href=format!("/invoices/{id}/edit") attr:class="button secondary">"Edit"</A>
                    <ConfirmableButton kind=Confirm::Delete label="Delete draft" confirming busy
                        note="The draft is removed for good. Nothing was posted, so the books do not change."
                        on_confirm=Callback::new(move |_| { delete.dispatch(()); }) />
                    <button type="button" class="button primary" disabled=move || busy.get()
                        on:click=move |_| { errors.set(None); issue.dispatch(()); }>
                        "Issue invoice"
                    </button>
                }.into_any(),
                InvoiceStatus::Void => ().into_any(),
                _ => view! {
                    {(open && unpaid && uncorrected).then(|| view! {
                        <ConfirmableButton kind=Confirm::Void label="Void invoice" confirming busy
                            note="Voiding posts the exact reversal of this invoice today. It cannot be undone."
                            on_confirm=Callback::new(move |_| { void.dispatch(()); }) />
                    })}
                    {open.then(|| view! {
                        <ConfirmableButton kind=Confirm::WriteOff label="Write off" confirming busy
                            note="Writing off posts what is still open to Bad debts today; the customer no longer owes it. It cannot be undone."
                            on_confirm=Callback::new(move |_| { write_off.dispatch(()); }) />
                        <button type="button" class="button secondary" disabled=move || busy.get()
                            aria-expanded=move || crediting.get().to_string()
                            on:click=move |_| crediting.update(|c| *c = !*c)>
                            "Credit note"
                        </button>
                        <A href=format!("/payments/new?invoice={id}&customer={customer}") attr:class="button primary">
                            "Record payment"
                        </A>
                    })}
                }.into_any(),
            }}
            <button type="button" class="button secondary" disabled=move || busy.get()
                on:click=move |_| { errors.set(None); duplicate.dispatch(()); }>
                "Duplicate"
            </button>
            {(status != InvoiceStatus::Void).then(|| view! {
                <A href=format!("/recurring/new?invoice={id}") attr:class="button secondary">"Repeat…"</A>
            })}
            <div class="action-errors"><FormError errors /></div>
        </div>
    }
}

/// A button that first asks "are you sure?" beside itself. Its confirming button repeats the
/// label ("Yes, void invoice"), so clicking the same words twice completes the step.
#[component]
fn ConfirmableButton(
    kind: Confirm,
    label: &'static str,
    note: &'static str,
    confirming: RwSignal<Option<Confirm>>,
    busy: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = move || confirming.get() == Some(kind);
    view! {
        <Show
            when=asking
            fallback=move || view! {
                <button type="button" class="button danger-outline" disabled=move || busy.get()
                    on:click=move |_| confirming.set(Some(kind))>
                    {label}
                </button>
            }
        >
            <div class="confirm" role="group" aria-label=format!("Confirm: {label}")>
                <p>{note}</p>
                <div class="confirm-buttons">
                    <button type="button" class="button secondary small" on:click=move |_| confirming.set(None)>"Cancel"</button>
                    <button type="button" class="button danger small" disabled=move || busy.get()
                        on:click=move |_| { confirming.set(None); on_confirm.run(()); }>
                        {format!("Yes, {}", label.to_lowercase())}
                    </button>
                </div>
            </div>
        </Show>
    }
}
