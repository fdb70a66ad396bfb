//! One payment: how it arrived (method, bank account, fee), what it paid, the credit it left,
//! and whether it was reversed or refunded; with the Reverse and Refund actions.

use crate::api::payment_changes::reverse_payment;
use crate::api::payments::get_payment;
use crate::api::types::{PaymentDetail, ReversalForm, ReversalKind};
use crate::api::AppError;
use crate::domain::PaymentId;
use crate::ui::browser::request_key;
use crate::ui::components::{day, load_error, Amount, Loading};
use crate::ui::fields::{FormError, TextField};
use crate::ui::invoices::method_label;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/payments/:id`
#[component]
pub fn PaymentPage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(PaymentId)
    });
    let payment = Resource::new(
        move || (live.get(), id.get()),
        |(_, id)| async move {
            match id {
                Some(id) => get_payment(id).await,
                None => Err(AppError::NotFound("The payment".into())),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match payment.await {
                    Ok(detail) => view! { <PaymentDocument detail /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn PaymentDocument(detail: PaymentDetail) -> impl IntoView {
    let title = format!("Payment {}", detail.id);
    let method = match detail.reference.is_empty() {
        true => method_label(&detail.method),
        false => format!("{} · {}", method_label(&detail.method), detail.reference),
    };
    let state = match detail.reversal {
        Some((ReversalKind::Reversal, on)) => format!("Reversed on {}", day(on)),
        Some((ReversalKind::Refund, on)) => format!("Refunded on {}", day(on)),
        None => "Recorded".to_string(),
    };
    let banked = detail.amount - detail.fee;
    let allocations = detail.allocations.clone();
    let take_back = detail.reversal.is_none().then(|| detail.clone());
    // Once reversed or refunded, the figures below say what it was, not what it still does.
    let undone = detail.reversal.map(|(kind, on)| {
        let what = match kind {
            ReversalKind::Reversal => "reversed",
            ReversalKind::Refund => "refunded",
        };
        format!(
            "This payment was {what} on {}: its entry was taken back and the allocations below released, so those invoices are open again.",
            day(on)
        )
    });
    let applied_heading = if undone.is_some() {
        "Was applied to"
    } else {
        "Applied to"
    };
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <h1>{title}</h1>
            <span class="status-pill" data-testid="payment-state">{state}</span>
        </header>
        <article class="panel" aria-label="Payment">
            <dl class="doc-meta payment-meta">
                <div><dt>"Customer"</dt><dd>
                    <A href=format!("/customers/{}", detail.customer_id)>{detail.customer_name.clone()}</A>
                </dd></div>
                <div><dt>"Received on"</dt><dd>{day(detail.received_on)}</dd></div>
                <div><dt>"Method"</dt><dd>{method}</dd></div>
                <div><dt>"Bank account"</dt><dd data-testid="payment-bank">{detail.bank_account.clone()}</dd></div>
                <div><dt>"Amount"</dt><dd><Amount value=detail.amount /></dd></div>
                <div><dt>"Processor fee"</dt><dd data-testid="payment-fee"><Amount value=detail.fee /></dd></div>
                <div><dt>"Into the bank"</dt><dd><Amount value=banked /></dd></div>
                <div><dt>"Credit left"</dt><dd><Amount value=detail.credit_left /></dd></div>
                {detail.credit_refunded.is_positive().then(|| view! {
                    <div><dt>"Credit refunded"</dt><dd><Amount value=detail.credit_refunded /></dd></div>
                })}
            </dl>
            {undone.map(|text| view! { <p class="banner" role="note" data-testid="payment-undone">{text}</p> })}
            <h2 class="eyebrow">{applied_heading}</h2>
            {if allocations.is_empty() {
                view! { <p class="muted">"No invoice: all of it was kept as customer credit."</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <thead><tr>
                            <th scope="col">"Invoice"</th>
                            <th scope="col">"How"</th>
                            <th scope="col" class="num">"Amount"</th>
                        </tr></thead>
                        <tbody>
                            {allocations.into_iter().map(|a| view! {
                                <tr>
                                    <td class="primary-cell">
                                        <A href=format!("/invoices/{}", a.invoice_id)>{a.number}</A>
                                    </td>
                                    <td data-label="How">{if a.from_credit { "Credit applied later" } else { "When received" }}</td>
                                    <td data-label="Amount" class="num"><Amount value=a.amount /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </article>
        {take_back.map(|detail| view! { <TakeBack detail /> })}
    }
}

/// Reverse (it was a mistake) or refund (the money went back) the whole payment, after a
/// confirmation that names what will happen, on a chosen day.
#[component]
fn TakeBack(detail: PaymentDetail) -> impl IntoView {
    let live = use_live_version();
    let key = StoredValue::new(request_key());
    let asking = RwSignal::new(None::<ReversalKind>);
    let date = RwSignal::new(detail.received_on.to_string());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|form: &ReversalForm| reverse_payment(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let id = detail.id;
    let confirm = move |_| {
        let Some(kind) = asking.get_untracked() else {
            return;
        };
        errors.set(None);
        action.dispatch(ReversalForm {
            payment_id: id,
            kind,
            date: date.get_untracked(),
            idempotency_key: format!("{}-{}", key.get_value(), kind.key()),
        });
    };
    let note = move || {
        match asking.get() {
        Some(ReversalKind::Refund) => "The money goes back to the customer: the payment's entry is taken back on this day, its invoices reopen and any credit it left is gone.",
        _ => "The payment is taken back as if it had never been recorded: a reversing entry on this day, its invoices reopen and any credit it left is gone.",
    }
    };
    view! {
        <div class="action-bar">
            <Show when=move || asking.get().is_none()>
                <button type="button" class="button danger-outline" on:click=move |_| asking.set(Some(ReversalKind::Reversal))>
                    "Reverse payment"
                </button>
                <button type="button" class="button secondary" on:click=move |_| asking.set(Some(ReversalKind::Refund))>
                    "Refund payment"
                </button>
            </Show>
            <Show when=move || asking.get().is_some()>
                <div class="confirm" role="group" aria-label="Confirm taking the payment back">
                    <p>{note}</p>
                    <TextField id="date" label="On" kind="date" value=date errors required=true />
                    <div class="confirm-buttons">
                        <button type="button" class="button secondary small" on:click=move |_| asking.set(None)>"Cancel"</button>
                        <button type="button" class="button danger small" disabled=move || action.pending().get() on:click=confirm>
                            {move || match asking.get() {
                                Some(ReversalKind::Refund) => "Yes, refund payment",
                                _ => "Yes, reverse payment",
                            }}
                        </button>
                    </div>
                </div>
            </Show>
            <div class="action-errors"><FormError errors also=&["idempotency_key"] /></div>
        </div>
    }
}
