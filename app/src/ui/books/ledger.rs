//! The general ledger for a period: each account's opening balance, debits, credits and
//! closing balance, every line leading to the account's register.

use super::{plain, use_report_query, BooksNav, CsvLink, ReportControls};
use crate::api::books::get_general_ledger;
use crate::api::types::LedgerSummary;
use crate::domain::Money;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn GeneralLedgerPage() -> impl IntoView {
    let query = use_report_query();
    let live = use_live_version();
    // With a comparison, the period before (`Period::previous`) beside this one.
    let ledger = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| async move {
            let l = get_general_ledger(q.from, q.to, q.basis.clone()).await?;
            let previous = if q.compare {
                let p = l.period.previous();
                Some(get_general_ledger(p.from.to_string(), p.to.to_string(), q.basis).await?)
            } else {
                None
            };
            // Accounts that moved only in the earlier period get a row too.
            let l = match &previous {
                Some(p) => l.with_earlier_accounts(p),
                None => l,
            };
            Ok::<_, crate::api::AppError>((l, previous))
        },
    );
    view! {
        <Title text="General ledger" />
        <PageHeader title="General ledger" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match ledger.await {
                    Ok((l, previous)) => view! { <LedgerView l previous query /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// An account's movement and closing balance in the earlier period: zero when it had none.
fn earlier_figures(previous: &LedgerSummary, code: &str, zero: Money) -> (Money, Money) {
    previous
        .rows
        .iter()
        .find(|r| r.code == code)
        .map_or((zero, zero), |r| (r.debits - r.credits, r.closing))
}

#[component]
fn LedgerView(
    l: LedgerSummary,
    previous: Option<LedgerSummary>,
    query: Memo<super::ReportQuery>,
) -> impl IntoView {
    let basis = if l.basis == crate::domain::Basis::Cash {
        "&basis=cash"
    } else {
        ""
    };
    let drill = format!("from={}&to={}{basis}", l.period.from, l.period.to);
    let earlier_drill = previous
        .as_ref()
        .map(|p| format!("from={}&to={}{basis}", p.period.from, p.period.to));
    let earlier = {
        let previous = previous.clone();
        move |code: &str, like: Money| {
            let zero = Money::zero(like.currency());
            previous.as_ref().map(|p| earlier_figures(p, code, zero))
        }
    };
    let mut rows = vec![
        ["Code", "Account", "Opening", "Debits", "Credits", "Closing"]
            .map(String::from)
            .to_vec(),
    ];
    if let Some(p) = &previous {
        rows[0].push(format!("Movement {} to {}", p.period.from, p.period.to));
        rows[0].push(format!("Closing {}", p.period.to));
    }
    rows.extend(l.rows.iter().map(|r| {
        let mut cells = vec![
            r.code.clone(),
            r.name.clone(),
            plain(r.opening),
            plain(r.debits),
            plain(r.credits),
            plain(r.closing),
        ];
        if let Some((movement, closing)) = earlier(&r.code, r.closing) {
            cells.push(plain(movement));
            cells.push(plain(closing));
        }
        cells
    }));
    let earlier_period = previous.as_ref().map(|p| p.period);
    let file = format!("general-ledger-{}-{}.csv", l.period.from, l.period.to);
    let empty = l.rows.is_empty();
    view! {
        <ReportControls path="/books/ledger" from=l.period.from.to_string() to=l.period.to.to_string() current=query show_compare=true />
        <p class="report-caption">
            {format!("{} to {}, {} basis. Balances are debits (+) and credits (−).", day(l.period.from), day(l.period.to), l.basis.as_str())}
            {earlier_period.map(|p| format!(" Compared with {} to {}: each account's net movement then and its balance at the end.", day(p.from), day(p.to)))}
            " " <CsvLink file_name=file rows />
        </p>
        {empty.then(|| view! { <EmptyState title="Nothing in this period" text="No account has a balance or postings between these days." /> })}
        <div class="table-card" hidden=empty>
            <table class="list general-ledger" class:compared=earlier_period.is_some() data-testid="general-ledger">
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col" class="num">"Opening"</th>
                    <th scope="col" class="num">"Debits"</th>
                    <th scope="col" class="num">"Credits"</th>
                    <th scope="col" class="num">"Closing"</th>
                    {earlier_period.map(|p| view! {
                        <th scope="col" class="num" title=format!("Net movement {} to {}", day(p.from), day(p.to))>"Earlier movement"</th>
                        <th scope="col" class="num" title=format!("Closing balance {}", day(p.to))>"Earlier closing"</th>
                    })}
                </tr></thead>
                <tbody>
                    {l.rows.into_iter().map(|r| {
                        let before = earlier(&r.code, r.closing);
                        let earlier_href = earlier_drill.as_ref().map(|d| format!("/books/accounts/{}?{d}", r.code));
                        view! {
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
                            {before.zip(earlier_href).map(|((movement, closing), href)| view! {
                                <td class="num" data-label="Earlier movement"><Amount value=movement /></td>
                                <td class="num" data-label="Earlier closing">
                                    <A href=href attr:class="figure-link" attr:title="Show the postings of the earlier period"><Amount value=closing /></A>
                                </td>
                            })}
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
