//! An invoice's history on its page: created, edited, issued, paid, credited, reversed,
//! written off, voided; oldest first, with who did it and what was still owed after.

use crate::api::audit::get_invoice_history;
use crate::domain::audit::{FieldChange, HistoryEvent, HistoryItem};
use crate::domain::InvoiceId;
use crate::ui::components::{load_error, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn InvoiceHistory(id: InvoiceId) -> impl IntoView {
    // Not keyed on the live version: the invoice page rebuilds this part on every change, and
    // a resource keyed on it here would be read after that rebuild disposed it.
    let history = Resource::new(|| (), move |_| get_invoice_history(id));
    view! {
        <section class="panel history no-print" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(items) => view! {
                            <ol class="timeline">
                                {items.into_iter().map(|item| view! { <HistoryRow item /> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HistoryRow(item: HistoryItem) -> impl IntoView {
    let owed = item.balance_after;
    let who = item
        .actor
        .clone()
        .unwrap_or_else(|| "someone (before the audit log)".into());
    let (what, link, changes): (String, Option<(String, String)>, Vec<FieldChange>) =
        match item.event {
            HistoryEvent::Created => ("Created as a draft".into(), None, vec![]),
            HistoryEvent::Edited { changes } => ("Draft edited".into(), None, changes),
            HistoryEvent::Issued { number } => (format!("Issued as {number}"), None, vec![]),
            HistoryEvent::Paid { payment_id, amount } => {
                let what = if owed.is_positive() {
                    format!("Part-paid {amount}; {owed} still owed")
                } else {
                    format!("Paid {amount}; paid in full")
                };
                (
                    what,
                    Some((format!("/payments/{payment_id}"), "the payment".into())),
                    vec![],
                )
            }
            HistoryEvent::PaymentReversed {
                payment_id,
                amount,
                refund,
            } => {
                let verb = if refund { "refunded" } else { "reversed" };
                (
                    format!("Payment {verb}: {amount} owed again"),
                    Some((format!("/payments/{payment_id}"), "the payment".into())),
                    vec![],
                )
            }
            HistoryEvent::Credited {
                credit_note_id,
                number,
                amount,
            } => (
                format!("Credit note {number} for {amount}"),
                Some((format!("/credit-notes/{credit_note_id}"), number)),
                vec![],
            ),
            HistoryEvent::WrittenOff { amount } => (format!("Written off: {amount}"), None, vec![]),
            HistoryEvent::Voided => ("Voided".into(), None, vec![]),
            HistoryEvent::Emailed { to, error: None } => (format!("Emailed to {to}"), None, vec![]),
            HistoryEvent::Emailed {
                to,
                error: Some(why),
            } => (format!("Email to {to} failed: {why}"), None, vec![]),
            HistoryEvent::Viewed { times: 1 } => ("Viewed by the customer".into(), None, vec![]),
            HistoryEvent::Viewed { times } => (
                format!("Viewed by the customer (opened {times} times)"),
                None,
                vec![],
            ),
        };
    view! {
        <li class="timeline-item" data-testid="history-item">
            <span class="timeline-what">{what}</span>
            {link.map(|(href, label)| view! { " " <A href=href>{format!("Open {label}")}</A> })}
            <span class="timeline-meta muted">{format!("{} · {}", item.at, who)}</span>
            {(!changes.is_empty()).then(|| view! { <ChangeList changes /> })}
        </li>
    }
}

/// Fields before and after a change, one per line, readable on a phone.
#[component]
pub fn ChangeList(changes: Vec<FieldChange>) -> impl IntoView {
    let summary = match changes.len() {
        1 => "1 field".to_string(),
        n => format!("{n} fields"),
    };
    view! {
        <details class="changes">
            <summary>{summary}</summary>
            <ul class="change-list">
                {changes.into_iter().map(|c| view! {
                    <li class="change">
                        <span class="change-field">{c.field}</span>
                        <span class="change-values">
                            <del class="change-before">{shown(c.before)}</del>
                            " → "
                            <ins class="change-after">{shown(c.after)}</ins>
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

/// A value as shown in a change: nothing and blank text both read "(empty)".
fn shown(value: Option<String>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "(empty)".into())
}
