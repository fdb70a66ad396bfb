//! Aging: who owes the business and whom it owes, per customer and vendor, by how late, as of
//! any day.

use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::get_aging;
use crate::domain::party_aging::AgingTable;
use crate::domain::AgingBucket;
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn AgingPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let as_of = Memo::new(move |_| query.read().get("as_of").unwrap_or_default());
    let aging = Resource::new(
        move || (live.get(), as_of.get()),
        |(_, as_of)| get_aging(as_of),
    );
    view! {
        <Title text="Aging" />
        <PageHeader title="Aging" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match aging.await {
                    Ok(a) => view! {
                        <AsOfPicker date=a.as_of.to_string() />
                        <p class="report-caption">{format!("Open balances as of {}, oldest debt first.", day(a.as_of))}</p>
                        <PartyTable title="Receivables" who="Customer" table=a.receivables link_to="/customers"
                            empty="No customer owes anything on this day." />
                        <PartyTable title="Payables" who="Vendor" table=a.payables link_to=""
                            empty="No bill is waiting to be paid on this day." />
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// The day the balances are aged at; a change reloads the page for that day.
#[component]
fn AsOfPicker(date: String) -> impl IntoView {
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let date = event_target_value(&ev);
        let url = if date.is_empty() {
            "/books/aging".to_string()
        } else {
            format!("/books/aging?as_of={date}")
        };
        navigate(&url, Default::default());
    };
    view! {
        <div class="toolbar">
            <div class="field inline-field">
                <label for="as_of">"As of"</label>
                <input id="as_of" type="date" value=date on:change=on_change />
            </div>
        </div>
    }
}

#[component]
fn PartyTable(
    title: &'static str,
    who: &'static str,
    table: AgingTable,
    /// Where a party's name leads (followed by its id); empty: nowhere.
    link_to: &'static str,
    empty: &'static str,
) -> impl IntoView {
    let heading = format!("{}-heading", title.to_lowercase());
    let labelled_by = heading.clone();
    let mut csv = vec![std::iter::once(who.to_string())
        .chain(AgingBucket::ALL.iter().map(|b| b.label().to_string()))
        .chain(["Total".to_string()])
        .collect::<Vec<_>>()];
    for row in &table.rows {
        let mut cells = vec![row.party.clone()];
        cells.extend(row.buckets.iter().map(|m| plain(*m)));
        cells.push(plain(row.total));
        csv.push(cells);
    }
    let mut totals = vec!["Total".to_string()];
    totals.extend(table.totals.iter().map(|m| plain(*m)));
    totals.push(plain(table.total));
    csv.push(totals);
    let file = format!("{}-aging-{}.csv", title.to_lowercase(), table.as_of);
    let testid = format!("aging-{}", title.to_lowercase());
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            {if table.rows.is_empty() {
                view! { <p class="empty-note">{empty}</p> }.into_any()
            } else {
                view! {
                    <p class="panel-sub"><CsvLink file_name=file rows=csv /></p>
                    <div class="table-card">
                        <table class="list aging-table" data-testid=testid>
                            <thead>
                                <tr>
                                    <th scope="col">{who}</th>
                                    {AgingBucket::ALL.iter().map(|b| view! { <th scope="col" class="num">{b.label()}</th> }).collect_view()}
                                    <th scope="col" class="num">"Total"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {table.rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td class="primary-cell">
                                            {if link_to.is_empty() {
                                                view! { <span>{row.party.clone()}</span> }.into_any()
                                            } else {
                                                view! { <A href=format!("{link_to}/{}", row.party_id)>{row.party.clone()}</A> }.into_any()
                                            }}
                                        </td>
                                        {row.buckets.iter().zip(AgingBucket::ALL).map(|(m, b)| view! {
                                            <td class="num" data-label=b.label()><Amount value=*m /></td>
                                        }).collect_view()}
                                        <td class="num wide-cell" data-label="Total"><Amount value=row.total /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr class="grand">
                                    <th scope="row">"Total"</th>
                                    {table.totals.iter().zip(AgingBucket::ALL).map(|(m, b)| view! {
                                        <td class="num" data-label=format!("Total {}", b.label())><Amount value=*m /></td>
                                    }).collect_view()}
                                    <td class="num wide-cell" data-label="Total open"><Amount value=table.total /></td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    {(table.more > 0).then(|| view! {
                        <p class="more">{format!("{} more, whose oldest balance is newer, count in the totals but are not listed.", table.more)}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}
