//! Every credit note issued, newest first.

use crate::api::credit_notes::list_credit_notes;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader, Pager};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CreditNotesPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    });
    let notes = Resource::new(
        move || (live.get(), page.get()),
        |(_, p)| list_credit_notes(p),
    );
    view! {
        <Title text="Credit notes" />
        <PageHeader title="Credit notes">
            <A href="/invoices" attr:class="button secondary">"Invoices"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let page = match notes.await {
                    Ok(page) => page,
                    Err(e) => return load_error(e),
                };
                if page.items.is_empty() {
                    return view! {
                        <EmptyState title="No credit notes yet"
                            text="Open an issued invoice and choose Credit note to take back part or all of it." />
                    }.into_any();
                }
                let pages = page.pages();
                view! {
                    <table class="list">
                        <thead>
                            <tr>
                                <th scope="col">"Number"</th>
                                <th scope="col">"Invoice"</th>
                                <th scope="col">"Customer"</th>
                                <th scope="col">"Date"</th>
                                <th scope="col" class="num">"Credited"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|c| view! {
                                <tr>
                                    <td class="primary-cell"><A href=format!("/credit-notes/{}", c.id)>{c.number}</A></td>
                                    <td data-label="Invoice"><A href=format!("/invoices/{}", c.invoice_id)>{c.invoice_number}</A></td>
                                    <td data-label="Customer">{c.customer_name}</td>
                                    <td data-label="Date">{day(c.date)}</td>
                                    <td data-label="Credited" class="num"><Amount value=c.total /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager page=page.page pages total=page.total href=|p| format!("/credit-notes?page={p}") />
                }.into_any()
            })}
        </Transition>
    }
}
