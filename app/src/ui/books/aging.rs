//! Aging: who owes the business and whom it owes, per customer and vendor, by how late, as of
//! any day.

use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::get_aging;
use crate::domain::party_aging::AgingTable;
use crate::domain::posting::accounts;
use crate::domain::AgingBucket;
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use chrono::{Datelike, Months, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AgingPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let as_of = Memo::new(move |_| query.read().get("as_of").unwrap_or_default());
    let compare = Memo::new(move |_| query.read().get("compare").is_some_and(|c| c == "1"));
    // With a comparison, the same tables a month earlier beside them.
    let aging = Resource::new(
        move || (live.get(), as_of.get(), compare.get()),
        |(_, as_of, compare)| async move {
            let now = get_aging(as_of).await?;
            let earlier = if compare {
                let day = month_earlier(now.as_of);
                Some(get_aging(day.to_string()).await?)
            } else {
                None
            };
            // Parties that had a balance only a month earlier get a row too.
            let now = match &earlier {
                Some(e) => crate::api::analysis::AgingReports {
                    receivables: now.receivables.with_earlier_parties(&e.receivables),
                    payables: now.payables.with_earlier_parties(&e.payables),
                    as_of: now.as_of,
                },
                None => now,
            };
            Ok::<_, crate::api::AppError>((now, earlier))
        },
    );
    view! {
        <Title text="Aging" />
        <PageHeader title="Aging" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match aging.await {
                    Ok((a, earlier)) => {
                        let (receivables_before, payables_before) = earlier
                            .map(|e| (Some(e.receivables), Some(e.payables)))
                            .unwrap_or_default();
                        view! {
                            <AsOfPicker date=a.as_of.to_string() compare=receivables_before.is_some() />
                            <p class="report-caption">{format!("Open balances as of {}, oldest debt first, in {}.", day(a.as_of), a.receivables.total.currency().code())}</p>
                            <PartyTable title="Receivables" who="Customer" table=a.receivables earlier=receivables_before
                                party_href=|id, as_of| format!("/customers/{id}/statement?to={as_of}")
                                control=accounts::RECEIVABLES
                                empty="No customer owes anything on this day." />
                            <PartyTable title="Payables" who="Vendor" table=a.payables earlier=payables_before
                                party_href=|id, as_of| format!("/vendors/{id}?to={as_of}")
                                control=accounts::PAYABLES
                                empty="No bill is waiting to be paid on this day." />
                        }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// The day a comparison looks back to: the same day a month earlier (the month's last day
/// when it is shorter).
pub fn month_earlier(day: NaiveDate) -> NaiveDate {
    day.checked_sub_months(Months::new(1)).unwrap_or(day)
}

/// The day the balances are aged at, and whether to compare with a month earlier; a change
/// loads the page for those settings.
#[component]
fn AsOfPicker(date: String, compare: bool) -> impl IntoView {
    let target = super::use_navigation_target();
    let day = RwSignal::new(date.clone());
    let compared = RwSignal::new(compare);
    let go = move || {
        let mut parts = Vec::new();
        if !day.get_untracked().is_empty() {
            parts.push(format!("as_of={}", day.get_untracked()));
        }
        if compared.get_untracked() {
            parts.push("compare=1".to_string());
        }
        target.set(Some(format!("/books/aging?{}", parts.join("&"))));
    };
    let go = StoredValue::new(go);
    view! {
        <div class="toolbar report-controls">
            <div class="field inline-field">
                <label for="as_of">"As of"</label>
                <input id="as_of" type="date" value=date
                    on:change=move |ev| { day.set(event_target_value(&ev)); go.with_value(|g| g()); } />
            </div>
            <div class="checkbox-field">
                <input id="compare" type="checkbox" checked=compare
                    on:change=move |ev| { compared.set(event_target_checked(&ev)); go.with_value(|g| g()); } />
                <label for="compare">"Compare with a month earlier"</label>
            </div>
        </div>
    }
}

#[component]
fn PartyTable(
    title: &'static str,
    who: &'static str,
    table: AgingTable,
    /// The same table a month earlier, when comparing.
    earlier: Option<AgingTable>,
    /// Where a party's row leads: its statement or page up to the day, from its id and day.
    party_href: fn(i64, NaiveDate) -> String,
    /// The control account whose register lies behind the totals.
    control: &'static str,
    empty: &'static str,
) -> impl IntoView {
    let earlier_day = earlier.as_ref().map(|e| e.as_of);
    let earlier_of = {
        let earlier = earlier.clone();
        move |party: i64| earlier.as_ref().map(|e| e.party_total(party))
    };
    let year_start = table.as_of.with_ordinal(1).unwrap_or(table.as_of);
    let control_href = format!(
        "/books/accounts/{control}?from={year_start}&to={}",
        table.as_of
    );
    let heading = format!("{}-heading", title.to_lowercase());
    let labelled_by = heading.clone();
    let mut csv = vec![std::iter::once(who.to_string())
        .chain(AgingBucket::ALL.iter().map(|b| b.label().to_string()))
        .chain(["Total".to_string()])
        .chain(earlier_day.map(|d| format!("Total {d}")))
        .collect::<Vec<_>>()];
    for row in &table.rows {
        let mut cells = vec![row.party.clone()];
        cells.extend(row.buckets.iter().map(|m| plain(*m)));
        cells.push(plain(row.total));
        cells.extend(earlier_of(row.party_id).map(plain));
        csv.push(cells);
    }
    let mut totals = vec!["Total".to_string()];
    totals.extend(table.totals.iter().map(|m| plain(*m)));
    totals.push(plain(table.total));
    totals.extend(earlier.as_ref().map(|e| plain(e.total)));
    csv.push(totals);
    let as_of = table.as_of;
    let file = format!("{}-aging-{}.csv", title.to_lowercase(), table.as_of);
    let testid = format!("aging-{}", title.to_lowercase());
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            {if table.rows.is_empty() {
                view! {
                    <p class="empty-note">{empty}</p>
                    {earlier.clone().filter(|e| !e.total.is_zero()).map(|e| view! {
                        <p class="muted">{format!("On {}: ", day(e.as_of))}<Amount value=e.total /></p>
                    })}
                }.into_any()
            } else {
                view! {
                    <p class="panel-sub"><CsvLink file_name=file rows=csv /></p>
                    <div class="table-card">
                        <table class="list aging-table" class:compared=earlier_day.is_some() data-testid=testid>
                            <thead>
                                <tr>
                                    <th scope="col">{who}</th>
                                    {AgingBucket::ALL.iter().map(|b| view! { <th scope="col" class="num">{b.label()}</th> }).collect_view()}
                                    <th scope="col" class="num">"Total"</th>
                                    {earlier_day.map(|d| view! { <th scope="col" class="num">{format!("Total {}", day(d))}</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {table.rows.into_iter().map(|row| {
                                    let href = party_href(row.party_id, as_of);
                                    let before = earlier_of(row.party_id);
                                    view! {
                                    <tr>
                                        <td class="primary-cell">
                                            <A href=href.clone()>{row.party.clone()}</A>
                                        </td>
                                        {row.buckets.iter().zip(AgingBucket::ALL).map(|(m, b)| view! {
                                            <td class="num" data-label=b.label()><Amount value=*m /></td>
                                        }).collect_view()}
                                        <td class="num wide-cell" data-label="Total">
                                            <A href=href attr:class="figure-link" attr:title="Show what makes up this balance"><Amount value=row.total /></A>
                                        </td>
                                        {before.zip(earlier_day).map(|(m, d)| view! {
                                            <td class="num wide-cell" data-label=format!("Total {}", day(d))>
                                                <A href=party_href(row.party_id, d) attr:class="figure-link"><Amount value=m /></A>
                                            </td>
                                        })}
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr class="grand">
                                    <th scope="row">"Total"</th>
                                    {table.totals.iter().zip(AgingBucket::ALL).map(|(m, b)| view! {
                                        <td class="num" data-label=format!("Total {}", b.label())><Amount value=*m /></td>
                                    }).collect_view()}
                                    <td class="num wide-cell" data-label="Total open">
                                        <A href=control_href attr:class="figure-link" attr:title="Show the control account's postings"><Amount value=table.total /></A>
                                    </td>
                                    {earlier.as_ref().map(|e| view! {
                                        <td class="num wide-cell" data-label=format!("Total {}", day(e.as_of)) data-testid=format!("{}-earlier-total", title.to_lowercase())>
                                            <Amount value=e.total />
                                        </td>
                                    })}
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
