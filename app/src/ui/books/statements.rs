//! Profit and loss and the balance sheet, on either basis, with the previous period beside
//! them and every figure linked to its postings.

use super::trend::{ExpensesByCategory, ProfitTrendChart};
use super::{plain, use_report_query, BooksNav, CsvLink, FigureLink, ReportControls, ReportQuery};
use crate::api::books::{get_balance_sheet, get_profit_loss, get_profit_trend};
use crate::domain::reports::ReportSection;
use crate::domain::{Money, Period};
use crate::ui::components::{day, load_error, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfitLossPage() -> impl IntoView {
    let query = use_report_query();
    let live = use_live_version();
    let report = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| get_profit_loss(q.from, q.to, q.basis, q.compare),
    );
    let trend = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| get_profit_trend(q.to, q.basis),
    );
    view! {
        <Title text="Profit and loss" />
        <PageHeader title="Profit and loss" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(pl) => {
                        let drill = drill_query(pl.period, &query.get_untracked());
                        let mut rows = vec![vec!["Section".to_string(), "Code".into(), "Account".into(), "Amount".into(), "Previous".into()]];
                        csv_rows(&mut rows, &pl.income);
                        csv_rows(&mut rows, &pl.expenses);
                        rows.push(vec!["Net profit".into(), String::new(), String::new(), plain(pl.net_profit), pl.previous_net_profit.map(plain).unwrap_or_default()]);
                        let file = format!("profit-and-loss-{}-{}.csv", pl.period.from, pl.period.to);
                        let previous = pl.previous_period;
                        view! {
                            <ReportControls path="/books/profit-loss" from=pl.period.from.to_string()
                                to=pl.period.to.to_string() current=query show_compare=true />
                            <p class="report-caption">
                                {format!("{} to {}, {} basis", day(pl.period.from), day(pl.period.to), pl.basis.as_str())}
                                {previous.map(|p| format!("; compared with {} to {}", day(p.from), day(p.to)))}
                                " " <CsvLink file_name=file rows />
                            </p>
                            <div class="table-card">
                                <table class="list statement compact" data-testid="profit-loss">
                                    <StatementHead compare=previous.is_some() />
                                    <SectionRows section=pl.income.clone() drill=drill.clone() compare=previous.is_some() />
                                    <SectionRows section=pl.expenses.clone() drill=drill.clone() compare=previous.is_some() />
                                    <tfoot>
                                        <tr class="grand">
                                            <th scope="row">"Net profit"</th>
                                            <td class="num" data-label="This period" data-testid="net-profit">
                                                <FigureLink code=String::new() amount=pl.net_profit query=String::new() />
                                            </td>
                                            {pl.previous_net_profit.map(|p| view! {
                                                <td class="num" data-label="Previous"><FigureLink code=String::new() amount=p query=String::new() /></td>
                                            })}
                                        </tr>
                                    </tfoot>
                                </table>
                            </div>
                            <div class="chart-panels">
                                <Transition fallback=Loading>
                                    {move || Suspend::new(async move {
                                        trend.await.ok().map(|months| view! { <ProfitTrendChart months /> })
                                    })}
                                </Transition>
                                <ExpensesByCategory section=pl.expenses.clone() />
                            </div>
                        }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn BalanceSheetPage() -> impl IntoView {
    let query = use_report_query();
    let live = use_live_version();
    let report = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| get_balance_sheet(q.from, q.to, q.basis, q.compare),
    );
    view! {
        <Title text="Balance sheet" />
        <PageHeader title="Balance sheet" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(bs) => {
                        let q = query.get_untracked();
                        let from = if q.from.is_empty() { bs.compared_with.map(|d| (d + chrono::Days::new(1)).to_string()).unwrap_or_default() } else { q.from.clone() };
                        let start = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap_or(bs.as_of);
                        let drill = drill_query(Period { from: start.min(bs.as_of), to: bs.as_of }, &q);
                        let compare = bs.compared_with.is_some();
                        let mut rows = vec![vec!["Section".to_string(), "Code".into(), "Account".into(), "Amount".into(), "Previous".into()]];
                        csv_rows(&mut rows, &bs.assets);
                        csv_rows(&mut rows, &bs.liabilities);
                        csv_rows(&mut rows, &bs.equity);
                        let file = format!("balance-sheet-{}.csv", bs.as_of);
                        let balanced = bs.assets.total == bs.liabilities_and_equity;
                        view! {
                            <ReportControls path="/books/balance-sheet" from=from to=bs.as_of.to_string()
                                current=query show_compare=true as_of=true />
                            <p class="report-caption">
                                {format!("As of {}, {} basis", day(bs.as_of), bs.basis.as_str())}
                                {bs.compared_with.map(|d| format!("; compared with {}", day(d)))}
                                " " <CsvLink file_name=file rows />
                            </p>
                            {(!balanced).then(|| view! {
                                <div class="banner banner-error" role="alert"><p>"Assets do not equal liabilities and equity. Run " <code>"settle check"</code> "."</p></div>
                            })}
                            <div class="table-card">
                                <table class="list statement compact" data-testid="balance-sheet">
                                    <StatementHead compare current=day(bs.as_of) previous=bs.compared_with.map(day).unwrap_or_default() />
                                    <SectionRows section=bs.assets.clone() drill=drill.clone() compare />
                                    <SectionRows section=bs.liabilities.clone() drill=drill.clone() compare />
                                    <SectionRows section=bs.equity.clone() drill=drill.clone() compare />
                                    <tfoot>
                                        <tr class="grand">
                                            <th scope="row">"Liabilities and equity"</th>
                                            <td class="num" data-label="Total"><FigureLink code=String::new() amount=bs.liabilities_and_equity query=String::new() /></td>
                                            {bs.previous_liabilities_and_equity.map(|p| view! {
                                                <td class="num" data-label="Previous"><FigureLink code=String::new() amount=p query=String::new() /></td>
                                            })}
                                        </tr>
                                    </tfoot>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// The register's address for a period and basis.
fn drill_query(period: Period, q: &ReportQuery) -> String {
    let basis = if q.basis == "cash" { "&basis=cash" } else { "" };
    format!("from={}&to={}{basis}", period.from, period.to)
}

fn csv_rows(rows: &mut Vec<Vec<String>>, section: &ReportSection) {
    for line in &section.lines {
        rows.push(vec![
            section.title.clone(),
            line.code.clone(),
            line.name.clone(),
            plain(line.amount),
            line.previous.map(plain).unwrap_or_default(),
        ]);
    }
    rows.push(vec![
        format!("Total {}", section.title.to_lowercase()),
        String::new(),
        String::new(),
        plain(section.total),
        section.previous_total.map(plain).unwrap_or_default(),
    ]);
}

#[component]
fn StatementHead(
    compare: bool,
    #[prop(optional, into)] current: Option<String>,
    #[prop(optional, into)] previous: Option<String>,
) -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col">"Account"</th>
                <th scope="col" class="num">{current.unwrap_or_else(|| "This period".into())}</th>
                {compare.then(|| view! { <th scope="col" class="num">{previous.unwrap_or_else(|| "Previous".into())}</th> })}
            </tr>
        </thead>
    }
}

#[component]
fn SectionRows(section: ReportSection, drill: String, compare: bool) -> impl IntoView {
    let empty = section.lines.is_empty();
    let total: Money = section.total;
    view! {
        <tbody>
            <tr class="section-head"><th scope="rowgroup" colspan="3">{section.title.clone()}</th></tr>
            {empty.then(|| view! { <tr><td class="muted" colspan="3">"Nothing in this period."</td></tr> })}
            {section.lines.into_iter().map(|line| {
                let drill = drill.clone();
                view! {
                    <tr>
                        <td class=format!("primary-cell depth-{}", line.depth.min(4))>
                            {(!line.code.is_empty()).then(|| view! { <span class="account-code">{line.code.clone()}</span> " " })}
                            <span class="account-name">{line.name.clone()}</span>
                        </td>
                        <td class="num wide-cell" data-label="This period">
                            <FigureLink code=line.code.clone() amount=line.amount query=drill.clone() />
                        </td>
                        {compare.then(|| view! {
                            <td class="num wide-cell" data-label="Previous">
                                {line.previous.map(|p| view! { <FigureLink code=String::new() amount=p query=String::new() /> })}
                            </td>
                        })}
                    </tr>
                }
            }).collect_view()}
            <tr class="subtotal">
                <th scope="row">{format!("Total {}", section.title.to_lowercase())}</th>
                <td class="num wide-cell" data-label="Total"><FigureLink code=String::new() amount=total query=String::new() /></td>
                {compare.then(|| view! {
                    <td class="num wide-cell" data-label="Previous">
                        {section.previous_total.map(|p| view! { <FigureLink code=String::new() amount=p query=String::new() /> })}
                    </td>
                })}
            </tr>
        </tbody>
    }
}
