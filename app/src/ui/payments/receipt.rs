//! What a recorded payment did: which invoices it paid and what became customer credit.

use crate::api::types::{InvoiceSummary, PaymentReceipt};
use crate::ui::components::Amount;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Receipt(
    receipt: PaymentReceipt,
    invoices: Vec<InvoiceSummary>,
    on_new: Callback<()>,
) -> impl IntoView {
    let number = move |id| {
        invoices
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.number.clone())
            .unwrap_or_else(|| format!("Invoice #{id}"))
    };
    let rows: Vec<_> = receipt
        .allocated
        .iter()
        .map(|(id, amount)| (*id, number(*id), *amount))
        .collect();
    view! {
        <section class="panel receipt" data-testid="payment-receipt" role="status" aria-labelledby="receipt-heading">
            <div class="receipt-head">
                <span class="receipt-tick" aria-hidden="true">"✓"</span>
                <div>
                    <h2 id="receipt-heading">"Payment recorded"</h2>
                    <p class="receipt-amount"><Amount value=receipt.amount /></p>
                </div>
            </div>
            {(!rows.is_empty()).then(|| view! {
                <table class="list receipt-table">
                    <thead><tr><th scope="col">"Applied to"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(id, number, amount)| view! {
                            <tr>
                                <td class="primary-cell"><A href=format!("/invoices/{id}")>{number}</A></td>
                                <td data-label="Amount" class="num wide-cell"><Amount value=amount /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {receipt.credit.is_positive().then(|| view! {
                <p class="credit-note">"Kept as customer credit: " <Amount value=receipt.credit /></p>
            })}
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| on_new.run(())>"Record another payment"</button>
            </div>
        </section>
    }
}
