//! The general ledger for a period: each account's opening balance, debits, credits and
//! closing balance, every line leading to the account's register.

use super::{plain, use_report_query, BooksNav, CsvLink, ReportControls};
use crate::api::books::get_general_ledger;
use crate::api::types::LedgerSummary;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn GeneralLedgerPage() -> impl IntoView {
    let query = use_report_query();
    let live = use_live_version();
    let ledger = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| get_general_ledger(q.from, q.to, q.basis),
    );
    view! {
        <Title text="General ledger" />
        <PageHeader title="General ledger" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match ledger.await {
                    Ok(l) => view! { <LedgerView l query /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn LedgerView(l: LedgerSummary, query: Memo<super::ReportQuery>) -> impl IntoView {
    let basis = if l.basis == crate::domain::Basis::Cash {
        "&basis=cash"
    } else {
        ""
    };
    let drill = format!("from={}&to={}{basis}", l.period.from, l.period.to);
    let mut rows = vec![vec![
        "Code".to_string(),
        "Account".into(),
        "Opening".into(),
        "Debits".into(),
        "Credits".into(),
        "Closing".into(),
    ]];
    rows.extend(l.rows.iter().map(|r| {
        vec![
            r.code.clone(),
            r.name.clone(),
            plain(r.opening),
            plain(r.debits),
            plain(r.credits),
            plain(r.closing),
        ]
    }));
    let file = format!("general-ledger-{}-{}.csv", l.period.from, l.period.to);
    let empty = l.rows.is_empty();
    view! {
        <ReportControls path="/books/ledger" from=l.period.from.to_string() to=l.period.to.to_string() current=query />
        <p class="report-caption">
            {format!("{} to {}, {} basis. Balances are debits (+) and credits (−).", day(l.period.from), day(l.period.to), l.basis.as_str())}
            " " <CsvLink file_name=file rows />
        </p>
        {empty.then(|| view! { <EmptyState title="Nothing in this period" text="No account has a balance or postings between these days." /> })}
        <div class="table-card" hidden=empty>
            <table class="list general-ledger" data-testid="general-ledger">
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col" class="num">"Opening"</th>
                    <th scope="col" class="num">"Debits"</th>
                    <th scope="col" class="num">"Credits"</th>
                    <th scope="col" class="num">"Closing"</th>
                </tr></thead>
                <tbody>
                    {l.rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=format!("/books/accounts/{}?{drill}", r.code)>
                                    <span class="account-code">{r.code.clone()}</span> " " {r.name.clone()}
                                </A>
                            </td>
                            <td class="num" data-label="Opening"><Amount value=r.opening /></td>
                            <td class="num" data-label="Debits"><Amount value=r.debits /></td>
                            <td class="num" data-label="Credits"><Amount value=r.credits /></td>
                            <td class="num" data-label="Closing"><Amount value=r.closing /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
