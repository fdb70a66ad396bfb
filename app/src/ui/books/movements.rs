//! What lies behind a cash-flow figure: every entry that moved money into (or out of) the
//! bank, cash and card accounts over its days, netted as the cash flow nets them.

use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::get_money_movements;
use crate::domain::money_flow::{Direction, Movements};
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader, Pager};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MoneyMovementsPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let settings = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
            q.get("direction").unwrap_or_else(|| "in".into()),
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1),
        )
    });
    let movements = Resource::new(
        move || (live.get(), settings.get()),
        |(_, (from, to, direction, page))| get_money_movements(from, to, direction, page),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match movements.await {
                    Ok(m) => view! { <MovementsView m /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn MovementsView(m: Movements) -> impl IntoView {
    let (word, title) = match m.direction {
        Direction::In => ("in", "Money in"),
        Direction::Out => ("out", "Money out"),
    };
    let base = format!(
        "/books/cash-flow/movements?from={}&to={}&direction={word}",
        m.period.from, m.period.to
    );
    let other = format!(
        "/books/cash-flow/movements?from={}&to={}&direction={}",
        m.period.from,
        m.period.to,
        if m.direction == Direction::In {
            "out"
        } else {
            "in"
        }
    );
    let mut csv = vec![["Date", "Entry", "Memo", "Accounts", "Amount"]
        .map(String::from)
        .to_vec()];
    csv.extend(m.rows.iter().map(|r| {
        vec![
            r.date.to_string(),
            r.entry_id.to_string(),
            r.memo.clone(),
            r.accounts.join(" "),
            plain(r.amount),
        ]
    }));
    let file = format!(
        "money-{word}-{}-{}-page-{}.csv",
        m.period.from, m.period.to, m.page
    );
    let (page, pages, count) = (m.page, m.pages, m.count);
    view! {
        <Title text=title />
        <PageHeader title=format!("{title}, {} to {}", day(m.period.from), day(m.period.to))>
            <A href=format!("/books/cash-flow?from={}&to={}", m.period.from, m.period.to) attr:class="button secondary">"Cash flow"</A>
        </PageHeader>
        <BooksNav />
        <p class="report-caption">
            {format!("{count} {}, each with its net effect on the bank, cash and card accounts (moving money between them is neither in nor out). ", if count == 1 { "entry" } else { "entries" })}
            <A href=other>{if m.direction == Direction::In { "See money out" } else { "See money in" }}</A>
            " " <CsvLink file_name=file rows=csv />
        </p>
        <div class="table-card">
            <table class="list register" data-testid="money-movements">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Entry"</th>
                        <th scope="col">"Accounts"</th>
                        <th scope="col" class="num">{title}</th>
                    </tr>
                </thead>
                <tbody>
                    {m.rows.into_iter().map(|r| view! {
                        <tr>
                            <td data-label="Date">{day(r.date)}</td>
                            <td class="primary-cell"><A href=format!("/books/journal/{}", r.entry_id)>{r.memo}</A></td>
                            <td data-label="Accounts">{r.accounts.into_iter().map(|code| view! {
                                <A href=format!("/books/accounts/{code}?from={}&to={}", m.period.from, m.period.to) attr:class="account-code">{code.clone()}</A> " "
                            }).collect_view()}</td>
                            <td class="num" data-label=title><Amount value=r.amount /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row" colspan="3">"Total"</th>
                        <td class="num" data-label="Total" data-testid="movements-total"><Amount value=m.total /></td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <Pager page pages total=count href=move |p| format!("{base}&page={p}") />
    }
}
