//! The customer list: search, pages, and a table that becomes cards on phones; archived
//! customers on a list of their own (`?archived=1`).

use crate::api::customer_archive::list_archived_customers;
use crate::api::customers::list_customers;
use crate::api::types::{Customer, Page};
use crate::ui::components::{
    encode_query, load_error, Amount, EmptyState, Loading, PageHeader, Pager,
};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    });
    let archived = Memo::new(move |_| query.read().get("archived").as_deref() == Some("1"));
    let customers = Resource::new(
        move || (live.get(), search.get(), page.get(), archived.get()),
        |(_, search, page, archived)| async move {
            if archived {
                list_archived_customers(page).await
            } else {
                list_customers(search, page).await
            }
        },
    );
    let navigate = use_navigate();
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let url = if text.is_empty() {
            "/customers".to_string()
        } else {
            format!("/customers?q={}", encode_query(&text))
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    view! {
        {move || {
            let archived = archived.get();
            let title = if archived { "Archived customers" } else { "Customers" };
            let other = if archived {
                view! { <A href="/customers" attr:class="button secondary">"Active customers"</A> }.into_any()
            } else {
                view! { <A href="/customers?archived=1" attr:class="button secondary">"Archived"</A> }.into_any()
            };
            view! {
                <Title text=title />
                <PageHeader title=title>
                    {other}
                    <A href="/customers/new" attr:class="button primary">"New customer"</A>
                </PageHeader>
            }
        }}
        <div class="toolbar" class:hidden=move || archived.get()>
            <div class="field search">
                <label for="customer-search" class="sr-only">"Search customers"</label>
                <input id="customer-search" type="search" placeholder="Search by name or email"
                    prop:value=move || search.get() on:input=on_search autocomplete="off" />
            </div>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match customers.await {
                    Ok(page) => view! {
                        <CustomerTable page search=search.get_untracked() archived=archived.get_untracked() />
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerTable(page: Page<Customer>, search: String, archived: bool) -> impl IntoView {
    if page.items.is_empty() {
        return if archived {
            view! { <EmptyState title="No archived customers" text="Customers you archive are kept here with their documents." /> }.into_any()
        } else if search.is_empty() {
            view! {
                <EmptyState title="No customers yet"
                    text="Add the people and businesses you invoice. Their payment terms set each invoice's due date.">
                    <A href="/customers/new" attr:class="button secondary">"Add your first customer"</A>
                </EmptyState>
            }
            .into_any()
        } else {
            view! { <EmptyState title="No matches" text=format!("No customer matches “{search}”.") /> }.into_any()
        };
    }
    let pages = page.pages();
    let q = search.clone();
    view! {
        <div class="table-card">
            <table class="list customers">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col" class="num">"Terms"</th>
                        <th scope="col" class="num">"Open balance"</th>
                        <th scope="col" class="num">"Credit"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|c| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=format!("/customers/{}", c.id)>{c.name}</A>
                            </td>
                            <td class="muted sub-cell">{c.email}</td>
                            <td data-label="Terms" class="num">{format!("{} days", c.payment_terms_days)}</td>
                            <td data-label="Open balance" class="num wide-cell card-last"><Amount value=c.open_balance /></td>
                            <td data-label="Credit" class="num"><Amount value=c.credit /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager page=page.page pages total=page.total href=move |n| {
            if archived { format!("/customers?archived=1&page={n}") } else { page_link(&q, n) }
        } />
    }
    .into_any()
}

fn page_link(search: &str, page: u32) -> String {
    if search.is_empty() {
        format!("/customers?page={page}")
    } else {
        format!("/customers?q={}&page={page}", encode_query(search))
    }
}
