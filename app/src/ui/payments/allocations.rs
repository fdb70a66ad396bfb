//! The customer's open invoices, each with an optional amount to apply. Left empty, the
//! server pays the oldest due first.

use crate::api::invoices::list_invoices;
use crate::api::types::InvoiceSummary;
use crate::api::AppError;
use crate::domain::money::parse_decimal;
use crate::domain::{CustomerId, InvoiceId, InvoiceStatus};
use crate::ui::components::{day, load_error, Amount, Loading, StatusBadge};
use crate::ui::fields::{clear_field, FieldError};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The customer's invoices with money still open, oldest due first.
pub async fn open_invoices(customer: Option<CustomerId>) -> Result<Vec<InvoiceSummary>, AppError> {
    let Some(customer) = customer else {
        return Ok(Vec::new());
    };
    let mut open = Vec::new();
    // Known shortcoming: each status returns its first page only (25 invoices), so a customer
    // with more open invoices than that sees just the first 25 here; automatic allocation on
    // the server still reaches all of them.
    for status in [
        InvoiceStatus::Overdue,
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Issued,
    ] {
        let page =
            list_invoices(status.slug().to_string(), String::new(), Some(customer), 1).await?;
        open.extend(page.items.into_iter().filter(|i| i.open.is_positive()));
    }
    open.sort_by_key(|i| (i.due_date, i.id));
    Ok(open)
}

/// What is typed per invoice; `mirror` is the invoice the form was opened from, whose
/// amount follows the payment amount (up to its open balance) until edited.
#[derive(Clone, Copy)]
pub struct AllocationInputs {
    pub typed: RwSignal<BTreeMap<InvoiceId, String>>,
    pub mirror: RwSignal<Option<InvoiceId>>,
    pub amount: RwSignal<String>,
}

impl AllocationInputs {
    /// The text shown for an invoice: what was typed, or the mirrored amount (empty while
    /// the payment amount is not a number; its own field says what is wrong).
    pub fn text(self, invoice: &InvoiceSummary) -> String {
        if self.mirror.get() == Some(invoice.id) {
            let places = invoice.open.currency().minor_units();
            return parse_decimal(&self.amount.get(), places)
                .map(|amount| amount.min(invoice.open.amount()).to_string())
                .unwrap_or_default();
        }
        self.typed
            .with(|t| t.get(&invoice.id).cloned().unwrap_or_default())
    }
}

#[component]
pub fn OpenInvoices(
    customer: Memo<Option<CustomerId>>,
    invoices: Resource<Result<Vec<InvoiceSummary>, AppError>>,
    inputs: AllocationInputs,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <fieldset class="allocations panel">
            <legend>"Apply to open invoices"</legend>
            <Show when=move || customer.get().is_some()
                fallback=|| view! { <p class="hint">"Pick who paid to see their open invoices here."</p> }>
                <p class="hint">"Leave these empty to pay the oldest invoices first."</p>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match invoices.await {
                            Ok(list) if list.is_empty() => view! {
                                <p class="empty-note">"This customer has no open invoices. Keep the payment as credit below."</p>
                            }.into_any(),
                            Ok(list) => list.into_iter().map(|invoice| view! {
                                <AllocationRow invoice inputs errors />
                            }).collect_view().into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Transition>
            </Show>
        </fieldset>
    }
}

#[component]
fn AllocationRow(
    invoice: InvoiceSummary,
    inputs: AllocationInputs,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let id = invoice.id;
    let number = invoice.number.clone().unwrap_or_else(|| format!("#{id}"));
    let input_id = format!("allocation-{id}");
    let error =
        Signal::derive(move || errors.with(|e| e.as_ref()?.field(&format!("allocation.{id}"))));
    let shown = invoice.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        clear_field(errors, &format!("allocation.{id}"));
        if inputs.mirror.get_untracked() == Some(id) {
            inputs.mirror.set(None);
        }
        inputs.typed.update(|t| {
            t.insert(id, text);
        });
    };
    view! {
        <div class="allocation-row" class:invalid=move || error.with(Option::is_some)>
            <div class="allocation-invoice">
                <a href=format!("/invoices/{id}") class="strong">{number.clone()}</a>
                <StatusBadge status=invoice.status />
                <span class="muted small">{format!("due {}", day(invoice.due_date))}</span>
            </div>
            <div class="allocation-open num">
                <span class="muted small">"Open "</span>
                <Amount value=invoice.open />
            </div>
            <div class="field allocation-input">
                <label for=input_id.clone()>{format!("Apply to {number}")}</label>
                <input id=input_id.clone() type="text" inputmode="decimal" class="num" autocomplete="off"
                    placeholder="auto" prop:value=move || inputs.text(&shown) on:input=on_input
                    aria-invalid=move || error.with(Option::is_some).then_some("true") />
                <FieldError id=format!("{input_id}-error") error />
            </div>
        </div>
    }
}
