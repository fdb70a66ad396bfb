//! Expenses and bills: the list, the form (paid now or a bill to pay later, split across
//! accounts, amounts with or without input tax), and each one with its bill payments.

mod form;
mod receipt;
mod vendor;
mod view;

pub use form::NewExpensePage;
pub use vendor::VendorPage;
pub use view::ExpensePage;

use crate::api::expenses::list_expenses;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader, Pager};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ExpensesPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    });
    let list = Resource::new(move || (live.get(), page.get()), |(_, p)| list_expenses(p));
    view! {
        <Title text="Expenses" />
        <PageHeader title="Expenses and bills">
            <A href="/expenses/new" attr:class="button primary">"Record expense"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(p) if p.items.is_empty() => view! {
                        <EmptyState title="No expenses yet"
                            text="Record what the business spends, paid at once or as a bill to pay later." />
                    }.into_any(),
                    Ok(p) => {
                        let (page, pages, total) = (p.page, p.pages(), p.total);
                        view! {
                            <div class="table-card">
                                <table class="list expenses" data-testid="expenses">
                                    <thead><tr>
                                        <th scope="col">"Vendor"</th>
                                        <th scope="col">"Date"</th>
                                        <th scope="col">"Kind"</th>
                                        <th scope="col" class="num">"Total"</th>
                                        <th scope="col" class="num">"Still owed"</th>
                                    </tr></thead>
                                    <tbody>
                                        // The vendor's name leads to the vendor's page; the
                                        // date and the total lead to the expense itself.
                                        {p.items.into_iter().map(|e| {
                                            let href = format!("/expenses/{}", e.id);
                                            let void = e.void_entry_id.is_some();
                                            let kind = kind_label(&e);
                                            let vendor = e.vendor.clone();
                                            view! {
                                            <tr class:void-row=void>
                                                <td class="primary-cell">
                                                    <A href=format!("/vendors/{}", e.vendor_id) attr:title="All from this vendor">{vendor}</A>
                                                    {(!e.memo.is_empty()).then(|| view! { <span class="muted">" · " {e.memo.clone()}</span> })}
                                                </td>
                                                <td data-label="Date"><A href=href.clone()>{day(e.date)}</A></td>
                                                <td data-label="Kind">{kind}</td>
                                                <td class="num" data-label="Total"><A href=href attr:class="figure-link"><Amount value=e.total /></A></td>
                                                <td class="num" data-label="Still owed">{(e.is_bill && !void).then(|| view! { <Amount value=e.open /> })}</td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page pages total href=|p| format!("/expenses?page={p}") />
                        }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

pub fn kind_label(e: &crate::api::types::ExpenseSummary) -> &'static str {
    match (e.is_bill, e.void_entry_id.is_some(), e.open.is_zero()) {
        (false, true, _) => "Expense, void",
        (true, true, _) => "Bill, void",
        (false, false, _) => "Paid",
        (true, false, true) => "Bill, paid",
        (true, false, false) => "Bill, open",
    }
}
