//! An account's register: every posting over a period with the running balance, from the
//! opening to the closing balance. Every figure of a statement leads here.

use super::{plain, use_report_query, BooksNav, CsvLink, ReportControls};
use crate::api::books::get_register;
use crate::api::types::Register;
use crate::domain::Money;
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader, Pager};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let raw = use_query_map();
    let query = use_report_query();
    let live = use_live_version();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let page = Memo::new(move |_| {
        raw.read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    });
    let register = Resource::new(
        move || (live.get(), code.get(), query.get(), page.get()),
        |(_, code, q, page)| get_register(code, q.from, q.to, q.basis, page),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match register.await {
                    Ok(r) => view! { <RegisterView r query /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn RegisterView(r: Register, query: Memo<super::ReportQuery>) -> impl IntoView {
    let title = format!("{} {}", r.code, r.name);
    // Balances read as the account normally carries them: income and liabilities positive
    // when in credit, like the statements that lead here.
    let sign = r.kind.natural_sign();
    let natural = move |m: Money| if sign < 0 { -m } else { m };
    let path = format!("/books/accounts/{}", r.code);
    let base = format!("{path}?{}", query.get_untracked().query_string());
    let mut rows = vec![["Date", "Entry", "Memo", "Debit", "Credit", "Balance"]
        .map(String::from)
        .to_vec()];
    let line =
        |date: String, entry: String, memo: String, amount: Option<Money>, balance: Money| {
            let (debit, credit) = match amount {
                Some(a) if a.is_negative() => (String::new(), plain(-a)),
                Some(a) => (plain(a), String::new()),
                None => (String::new(), String::new()),
            };
            vec![date, entry, memo, debit, credit, plain(natural(balance))]
        };
    rows.push(line(
        r.period.from.to_string(),
        String::new(),
        "Opening balance".into(),
        None,
        r.opening,
    ));
    for row in &r.rows {
        rows.push(line(
            row.date.to_string(),
            row.entry_id.to_string(),
            row.memo.clone(),
            Some(row.amount),
            row.balance,
        ));
    }
    rows.push(line(
        r.period.to.to_string(),
        String::new(),
        "Closing balance".into(),
        None,
        r.closing,
    ));
    let file = format!("register-{}-{}-{}.csv", r.code, r.period.from, r.period.to);
    let (page, pages) = (r.page as u32, r.pages as u32);
    let total = r.total as u64;
    view! {
        <Title text=title.clone() />
        <PageHeader title=title>
            <CsvLink file_name=file rows />
        </PageHeader>
        <BooksNav />
        <ReportControls path from=r.period.from.to_string() to=r.period.to.to_string() current=query />
        <p class="report-caption">
            {format!("{} to {}, {} basis. {}", day(r.period.from), day(r.period.to), r.basis.as_str(),
                if sign < 0 { "The balance is shown as a credit balance, as this kind of account normally carries it." }
                else { "The balance is shown as a debit balance, as this kind of account normally carries it." })}
        </p>
        <div class="table-card">
            <table class="list register" data-testid="register">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Entry"</th>
                        <th scope="col" class="num">"Debit"</th>
                        <th scope="col" class="num">"Credit"</th>
                        <th scope="col" class="num">"Balance"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="subtotal">
                        <th scope="row" colspan="4">"Opening balance"</th>
                        <td class="num" data-label="Opening"><Amount value=natural(r.opening) /></td>
                    </tr>
                    {r.rows.into_iter().map(|row| view! {
                        <tr>
                            <td data-label="Date">{day(row.date)}</td>
                            <td class="primary-cell">
                                <A href=format!("/books/journal/{}", row.entry_id)>{row.memo}</A>
                            </td>
                            <td class="num" data-label="Debit">{(!row.amount.is_negative()).then(|| view! { <Amount value=row.amount /> })}</td>
                            <td class="num" data-label="Credit">{row.amount.is_negative().then(|| view! { <Amount value=-row.amount /> })}</td>
                            <td class="num" data-label="Balance"><Amount value=natural(row.balance) /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row" colspan="4">"Closing balance"</th>
                        <td class="num" data-label="Closing" data-testid="closing-balance"><Amount value=natural(r.closing) /></td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <Pager page pages total href=move |p| format!("{base}&page={p}") />
    }
}
