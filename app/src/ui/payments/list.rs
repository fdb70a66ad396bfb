//! Every payment received, newest first: who paid, when, how much, and which invoices it
//! settled, so no payment is ever only findable through its invoice.

use crate::api::payments::list_payments;
use crate::api::types::{Page, PaymentSummary};
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader, Pager};
use crate::ui::invoices::method_label;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    });
    let payments = Resource::new(
        move || (live.get(), page.get()),
        |(_, page)| list_payments(page),
    );
    view! {
        <Title text="Payments" />
        <PageHeader title="Payments">
            <A href="/bank" attr:class="button secondary">"Import bank statement"</A>
            <A href="/payments/new" attr:class="button primary">"Record payment"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match payments.await {
                    Ok(page) => view! { <PaymentTable page /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn PaymentTable(page: Page<PaymentSummary>) -> impl IntoView {
    if page.items.is_empty() {
        return view! {
            <EmptyState title="No payments yet"
                text="Record money as it arrives; it is applied to the customer's open invoices and posted to the books.">
                <A href="/payments/new" attr:class="button secondary">"Record a payment"</A>
            </EmptyState>
        }
        .into_any();
    }
    let pages = page.pages();
    view! {
        <div class="table-card">
            <table class="list payments-list">
                <thead>
                    <tr>
                        <th scope="col">"Received"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Method"</th>
                        <th scope="col">"Applied to"</th>
                        <th scope="col" class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|p| view! { <PaymentRow p /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page=page.page pages total=page.total href=|n| format!("/payments?page={n}") />
    }
    .into_any()
}

#[component]
fn PaymentRow(p: PaymentSummary) -> impl IntoView {
    let credit = p.amount - p.allocated;
    let method = match p.reference.is_empty() {
        true => method_label(&p.method),
        false => format!("{} · {}", method_label(&p.method), p.reference),
    };
    view! {
        <tr>
            <td class="primary-cell">
                <A href=format!("/payments/{}", p.id)>{day(p.received_on)}</A>
                {p.reversed.then(|| view! { <span class="credit-note">" reversed"</span> })}
            </td>
            <td data-label="Customer" class="wide-cell">
                <A href=format!("/customers/{}", p.customer_id)>{p.customer_name}</A>
            </td>
            <td data-label="Method" class="wide-cell">{method}<br /><span class="muted">{p.bank_account}</span></td>
            <td data-label="Applied to" class="wide-cell">
                {p.invoices.into_iter().map(|(id, number)| view! {
                    <A href=format!("/invoices/{id}") attr:class="invoice-chip">{number}</A>
                }).collect_view()}
                {(credit.is_positive() && !p.reversed).then(|| view! {
                    <span class="credit-note">{format!("{credit} kept as customer credit")}</span>
                })}
            </td>
            <td data-label="Amount" class="num wide-cell"><Amount value=p.amount /></td>
        </tr>
    }
}
