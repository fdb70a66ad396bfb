//! A customer's statement: what they owed when the period began, every invoice, void and
//! payment in it with the running balance, and what they owe at its end. Printable.

use crate::api::statements::get_customer_statement;
use crate::api::types::{CustomerStatement, StatementBalance};
use crate::domain::CustomerId;
use crate::ui::components::{day, encode_query, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CustomerStatementPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let live = use_live_version();
    let id = Memo::new(move |_| params.read().get("id").and_then(|i| i.parse::<i64>().ok()));
    let period = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    });
    let statement = Resource::new(
        move || (live.get(), id.get(), period.get()),
        |(_, id, (from, to))| async move {
            let id = id.ok_or(crate::api::AppError::NotFound("The customer".into()))?;
            get_customer_statement(CustomerId(id), from, to).await
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => view! { <StatementView s /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn StatementView(s: CustomerStatement) -> impl IntoView {
    let (from, to) = (s.period.from.to_string(), s.period.to.to_string());
    let base = format!("/customers/{}/statement", s.customer_id);
    let pdf = format!(
        "{base}.pdf?from={}&to={}",
        encode_query(&from),
        encode_query(&to)
    );
    let title = format!("Statement · {}", s.customer_name);
    view! {
        <Title text=title.clone() />
        <PageHeader title=title>
            <A href=format!("/customers/{}", s.customer_id) attr:class="button secondary">"Customer"</A>
            <button type="button" class="button secondary" on:click=|_| print_page()>"Print"</button>
            <a href=pdf class="button primary" rel="external" download data-testid="statement-pdf">"Download PDF"</a>
        </PageHeader>
        <Form method="GET" action=base attr:class="toolbar report-controls no-print">
            <div class="field inline-field">
                <label for="from">"From"</label>
                <input id="from" name="from" type="date" value=from />
            </div>
            <div class="field inline-field">
                <label for="to">"To"</label>
                <input id="to" name="to" type="date" value=to />
            </div>
            <button type="submit" class="button secondary">"Show"</button>
        </Form>
        <article class="panel invoice-doc" aria-label="Statement">
            <div class="doc-top">
                <div class="doc-party">
                    <h2 class="eyebrow">"From"</h2>
                    <p class="party-name">{s.business_name.clone()}</p>
                </div>
                <div class="doc-party">
                    <h2 class="eyebrow">"Statement for"</h2>
                    <p class="party-name" data-testid="statement-customer">{s.customer_name.clone()}</p>
                    {(!s.customer_address.is_empty()).then(|| view! { <p class="address">{s.customer_address.clone()}</p> })}
                    <p class="muted">{format!("{} to {}", day(s.period.from), day(s.period.to))}</p>
                </div>
            </div>
            <table class="list register statement" data-testid="statement">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col" class="num">"Balance"</th>
                    </tr>
                </thead>
                <tbody>
                    <BalanceRows label="Opening balance" balance=s.opening.clone() testid="opening-balance" />
                    {s.lines.into_iter().map(|l| view! {
                        <tr>
                            <td data-label="Date">{day(l.date)}</td>
                            <td class="primary-cell">{match l.invoice_id {
                                Some(i) => view! { <A href=format!("/invoices/{i}")>{l.description.clone()}</A> }.into_any(),
                                None => l.description.clone().into_any(),
                            }}</td>
                            <td class="num" data-label="Amount"><Amount value=l.amount /></td>
                            <td class="num" data-label="Balance"><Amount value=l.balance /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <BalanceRows label="Closing balance" balance=s.closing testid="closing-balance" />
                </tfoot>
            </table>
        </article>
    }
}

/// An opening or closing balance, with the credit the customer holds on a line of its own.
#[component]
fn BalanceRows(
    label: &'static str,
    balance: StatementBalance,
    testid: &'static str,
) -> impl IntoView {
    let credit = !balance.credit.is_zero();
    view! {
        {credit.then(|| view! {
            <tr class="subtotal">
                <th scope="row" colspan="3">{format!("{label}: invoices unpaid")}</th>
                <td class="num" data-label="Unpaid"><Amount value=balance.receivable /></td>
            </tr>
            <tr class="subtotal">
                <th scope="row" colspan="3">"Less credit held"</th>
                <td class="num" data-label="Credit"><Amount value=-balance.credit /></td>
            </tr>
        })}
        <tr class="grand">
            <th scope="row" colspan="3">{label}</th>
            <td class="num" data-label=label data-testid=testid><Amount value=balance.owed /></td>
        </tr>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
