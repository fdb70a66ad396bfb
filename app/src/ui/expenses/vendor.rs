//! A vendor's page: what was owed to them when the period began, every expense, bill,
//! payment and void in it with the running balance owed, and what is owed at its end.

use crate::api::vendors::{get_vendor_statement, VendorStatement};
use crate::ui::books::{plain, CsvLink};
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn VendorPage() -> impl IntoView {
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
            let id = id.ok_or(crate::api::AppError::NotFound("The vendor".into()))?;
            get_vendor_statement(id, from, to).await
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => view! { <VendorView s /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

fn csv_rows(s: &VendorStatement) -> Vec<Vec<String>> {
    let mut rows = vec![["Date", "Description", "Bought", "Paid", "Balance owed"]
        .map(String::from)
        .to_vec()];
    let edge = |date: chrono::NaiveDate, label: &str, balance| {
        vec![
            date.to_string(),
            label.to_string(),
            String::new(),
            String::new(),
            plain(balance),
        ]
    };
    rows.push(edge(s.period.from, "Owed at the start", s.opening));
    rows.extend(s.lines.iter().map(|l| {
        vec![
            l.date.to_string(),
            l.description.clone(),
            plain(l.billed),
            plain(l.paid),
            plain(l.balance),
        ]
    }));
    rows.push(edge(s.period.to, "Owed at the end", s.closing));
    rows
}

#[component]
fn VendorView(s: VendorStatement) -> impl IntoView {
    let (from, to) = (s.period.from.to_string(), s.period.to.to_string());
    let base = format!("/vendors/{}", s.vendor_id);
    let title = s.vendor_name.clone();
    let file = format!("vendor-{}-{from}-{to}.csv", s.vendor_id);
    let rows = csv_rows(&s);
    let empty = s.lines.is_empty();
    view! {
        <Title text=title.clone() />
        <PageHeader title=title>
            <A href="/expenses" attr:class="button secondary">"All expenses"</A>
            <A href="/expenses/new" attr:class="button primary">"Record expense"</A>
        </PageHeader>
        <Form method="GET" action=base attr:class="toolbar report-controls">
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
        <section class="panel">
            <dl class="facts" data-testid="vendor-totals">
                <div><dt>{format!("Owed on {}", day(s.period.from))}</dt><dd><Amount value=s.opening /></dd></div>
                <div><dt>"Bought in the period"</dt><dd><Amount value=s.billed /></dd></div>
                <div><dt>"Paid in the period"</dt><dd><Amount value=s.paid /></dd></div>
                <div><dt>{format!("Owed on {}", day(s.period.to))}</dt><dd data-testid="vendor-owed"><Amount value=s.closing /></dd></div>
            </dl>
        </section>
        <p class="report-caption">
            {format!("{} to {}. Expenses paid at once are bought and paid together; a void shows the negative of what it undoes.", day(s.period.from), day(s.period.to))}
            " " <CsvLink file_name=file rows />
        </p>
        <div class="table-card">
            <table class="list register vendor-lines" data-testid="vendor-lines">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="num">"Bought"</th>
                        <th scope="col" class="num">"Paid"</th>
                        <th scope="col" class="num">"Balance owed"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="subtotal">
                        <th scope="row" colspan="4" class="primary-cell">"Owed at the start"</th>
                        <td class="num" data-label="Owed at the start"><Amount value=s.opening /></td>
                    </tr>
                    {empty.then(|| view! { <tr><td class="muted wide-cell" colspan="5">"Nothing bought from or paid to this vendor in the period."</td></tr> })}
                    {s.lines.into_iter().map(|l| view! {
                        <tr>
                            <td data-label="Date">{day(l.date)}</td>
                            <td class="primary-cell">
                                <A href=format!("/expenses/{}", l.expense_id)>{l.description.clone()}</A>
                                " " <A href=format!("/books/journal/{}", l.entry_id) attr:class="muted entry-link">{format!("entry {}", l.entry_id)}</A>
                            </td>
                            <td class="num" data-label="Bought">{(!l.billed.is_zero()).then(|| view! { <Amount value=l.billed /> })}</td>
                            <td class="num" data-label="Paid">{(!l.paid.is_zero()).then(|| view! { <Amount value=l.paid /> })}</td>
                            <td class="num" data-label="Balance owed"><Amount value=l.balance /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row" colspan="4">"Owed at the end"</th>
                        <td class="num" data-label="Owed at the end" data-testid="vendor-closing"><Amount value=s.closing /></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
