//! The invoice list: status tabs, search, pages; and the invoice table other pages reuse.

use crate::api::invoices::list_invoices;
use crate::api::types::{InvoiceSummary, Page};
use crate::domain::InvoiceStatus;
use crate::ui::components::{
    day, encode_query, load_error, Amount, EmptyState, Loading, PageHeader, Pager, StatusBadge,
};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The list's place: status slug ("" for all), search text and page number.
#[derive(Clone, Debug, PartialEq)]
struct ListQuery {
    status: String,
    search: String,
    page: u32,
}

impl ListQuery {
    fn href(&self) -> String {
        let mut parts = Vec::new();
        if !self.status.is_empty() {
            parts.push(format!("status={}", self.status));
        }
        if !self.search.is_empty() {
            parts.push(format!("q={}", encode_query(&self.search)));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            "/invoices".to_string()
        } else {
            format!("/invoices?{}", parts.join("&"))
        }
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let place = Memo::new(move |_| {
        let q = query.read();
        ListQuery {
            status: q
                .get("status")
                .filter(|s| InvoiceStatus::from_slug(s).is_some())
                .unwrap_or_default(),
            search: q.get("q").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    });
    let invoices = Resource::new(
        move || (live.get(), place.get()),
        |(_, p)| list_invoices(p.status, p.search, None, p.page),
    );
    let navigate = use_navigate();
    let on_search = move |ev: leptos::ev::Event| {
        let next = ListQuery {
            search: event_target_value(&ev),
            page: 1,
            ..place.get_untracked()
        };
        navigate(
            &next.href(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    view! {
        <Title text="Invoices" />
        <PageHeader title="Invoices">
            <A href="/quotes" attr:class="button secondary">"Quotes"</A>
            <A href="/items" attr:class="button secondary">"Items"</A>
            <A href="/recurring" attr:class="button secondary">"Recurring"</A>
            <A href="/credit-notes" attr:class="button secondary">"Credit notes"</A>
            <A href="/invoices/new" attr:class="button primary">"New invoice"</A>
        </PageHeader>
        <div class="toolbar">
            <StatusTabs current=Signal::derive(move || place.get().status) search=Signal::derive(move || place.get().search) />
            <div class="field search">
                <label for="invoice-search" class="sr-only">"Search invoices"</label>
                <input id="invoice-search" type="search" placeholder="Search by number or customer"
                    prop:value=move || place.get().search on:input=on_search autocomplete="off" />
            </div>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match invoices.await {
                    Ok(page) => view! { <ListBody page place=place.get_untracked() /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn StatusTabs(current: Signal<String>, search: Signal<String>) -> impl IntoView {
    let tabs = std::iter::once(("", "All".to_string()))
        .chain(InvoiceStatus::ALL.iter().map(|s| (s.slug(), tab_label(*s))));
    view! {
        <nav class="tabs" aria-label="Filter by status">
            {tabs.map(|(slug, label)| {
                let href = move || ListQuery { status: slug.to_string(), search: search.get(), page: 1 }.href();
                view! {
                    <a href=href class="tab" aria-current=move || (current.get() == slug).then_some("page")>{label}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// "Partially paid" for the tab of "partially paid" invoices.
fn tab_label(status: InvoiceStatus) -> String {
    let label = status.label();
    label[..1].to_uppercase() + &label[1..]
}

#[component]
fn ListBody(page: Page<InvoiceSummary>, place: ListQuery) -> impl IntoView {
    if page.items.is_empty() {
        return match (place.status.as_str(), place.search.is_empty()) {
            ("", true) => view! {
                <EmptyState title="No invoices yet" text="Create an invoice, issue it, and record the payment when it arrives.">
                    <A href="/invoices/new" attr:class="button secondary">"Create your first invoice"</A>
                </EmptyState>
            }
            .into_any(),
            _ => view! { <EmptyState title="Nothing here" text="No invoices match this filter." /> }.into_any(),
        };
    }
    let pages = page.pages();
    view! {
        <InvoiceTable items=page.items show_customer=true />
        <Pager page=page.page pages total=page.total href=move |n| ListQuery { page: n, ..place.clone() }.href() />
    }
    .into_any()
}

/// Invoices as a table on wide screens and as cards on phones.
#[component]
pub fn InvoiceTable(items: Vec<InvoiceSummary>, show_customer: bool) -> impl IntoView {
    view! {
        <div class="table-card">
            <table class="list invoices">
                <thead>
                    <tr>
                        <th scope="col">"Number"</th>
                        {show_customer.then(|| view! { <th scope="col">"Customer"</th> })}
                        <th scope="col">"Issued"</th>
                        <th scope="col">"Due"</th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col" class="num">"Open"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|i| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=format!("/invoices/{}", i.id)>{i.number.clone().unwrap_or_else(|| "Draft".into())}</A>
                            </td>
                            {show_customer.then(|| view! { <td class="customer-cell">{i.customer_name.clone()}</td> })}
                            <td data-label="Issued">{day(i.issue_date)}</td>
                            <td data-label="Due">{day(i.due_date)}</td>
                            <td data-label="Total" class="num"><Amount value=i.total /></td>
                            <td data-label="Open" class="num">
                                {if i.status == InvoiceStatus::Draft {
                                    view! { <span class="muted" title="Not issued yet">"—"</span> }.into_any()
                                } else {
                                    view! { <Amount value=i.open /> }.into_any()
                                }}
                            </td>
                            <td class="status-cell"><StatusBadge status=i.status /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
