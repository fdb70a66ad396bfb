//! The tax summary: output tax on sales and input tax on purchases per rate for a period, on
//! either basis, and the net tax due.

use super::{plain, use_report_query, BooksNav, CsvLink, ReportControls};
use crate::api::analysis::get_tax_summary;
use crate::domain::tax_summary::{RateFigures, TaxSummary};
use crate::domain::{Basis, Money};
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn TaxSummaryPage() -> impl IntoView {
    let query = use_report_query();
    let live = use_live_version();
    let summary = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| async move {
            let s = get_tax_summary(q.from, q.to, q.basis.clone()).await?;
            // The period before, for comparison: the quarter before a quarter, and so on.
            let previous = if q.compare {
                let p = s.period.previous();
                Some(get_tax_summary(p.from.to_string(), p.to.to_string(), q.basis).await?)
            } else {
                None
            };
            Ok::<_, crate::api::AppError>((s, previous))
        },
    );
    view! {
        <Title text="Tax summary" />
        <PageHeader title="Tax summary" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok((s, previous)) => view! {
                        <ReportControls path="/books/tax" from=s.period.from.to_string()
                            to=s.period.to.to_string() current=query show_compare=true />
                        <SummaryView s />
                        {previous.map(|p| view! { <PreviousPeriod p /> })}
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

fn csv_rows(s: &TaxSummary) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "Section".to_string(),
        "Rate %".into(),
        "Taxable base".into(),
        "Tax".into(),
    ]];
    for (title, figures) in [("Output tax", &s.output), ("Input tax", &s.input)] {
        for f in figures {
            rows.push(vec![
                title.to_string(),
                f.rate.to_string(),
                plain(f.base),
                plain(f.tax),
            ]);
        }
    }
    rows.push(vec![
        "Total output tax".into(),
        String::new(),
        plain(s.output_base),
        plain(s.output_tax),
    ]);
    rows.push(vec![
        "Total input tax".into(),
        String::new(),
        plain(s.input_base),
        plain(s.input_tax),
    ]);
    rows.push(vec![
        "Net tax due".into(),
        String::new(),
        String::new(),
        plain(s.net_due),
    ]);
    rows
}

#[component]
fn SummaryView(s: TaxSummary) -> impl IntoView {
    let file = format!("tax-summary-{}-{}.csv", s.period.from, s.period.to);
    let rows = csv_rows(&s);
    let how = match s.basis {
        Basis::Accrual => "Sales count when invoiced (voids subtract when voided), purchases when dated.",
        Basis::Cash => "Each invoice and bill counts in the share of it paid in the period; expenses paid at once count on their date.",
    };
    let refund = s.net_due.is_negative();
    // Each total leads to its tax account's postings for the same period and basis.
    let drill = format!(
        "from={}&to={}{}",
        s.period.from,
        s.period.to,
        if s.basis == Basis::Cash {
            "&basis=cash"
        } else {
            ""
        }
    );
    view! {
        <p class="report-caption">
            {format!("{} to {}, {} basis. ", day(s.period.from), day(s.period.to), s.basis.as_str())}
            {how} " " <CsvLink file_name=file rows />
        </p>
        <div class="table-card">
            <table class="list statement" data-testid="tax-summary">
                <thead>
                    <tr>
                        <th scope="col">"Rate"</th>
                        <th scope="col" class="num">"Taxable base"</th>
                        <th scope="col" class="num">"Tax"</th>
                    </tr>
                </thead>
                <RateRows title="Output tax (sales)" figures=s.output total_base=s.output_base total_tax=s.output_tax
                    account=format!("/books/accounts/2200?{drill}")
                    documents=format!("/books/tax/documents?{drill}&side=output") />
                <RateRows title="Input tax (purchases)" figures=s.input total_base=s.input_base total_tax=s.input_tax
                    account=format!("/books/accounts/1200?{drill}")
                    documents=format!("/books/tax/documents?{drill}&side=input") />
                <tfoot>
                    <tr class="grand">
                        <th scope="row">{if refund { "Refund due" } else { "Net tax due" }}</th>
                        <td class="num" data-label="Base"></td>
                        <td class="num wide-cell" data-label=if refund { "Refund due" } else { "Net tax due" } data-testid="net-tax-due">
                            <Amount value=if refund { -s.net_due } else { s.net_due } />
                        </td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="muted">"Figures come from invoices, credit notes, expenses and bills; each rate leads to its documents."</p>
        {(!s.manual_output.is_zero() || !s.manual_input.is_zero()).then(|| view! {
            <section class="panel" data-testid="tax-manual">
                <h2 class="section-title">"Manual entries to the tax accounts in this period"</h2>
                <p class="muted">"Not in the figures above: a payment to the tax office or a correction. Check which belong on the return."</p>
                <dl class="facts">
                    <div><dt>"Output tax moved by"</dt><dd><A href=format!("/books/accounts/2200?{drill}")><Amount value=s.manual_output /></A></dd></div>
                    <div><dt>"Input tax moved by"</dt><dd><A href=format!("/books/accounts/1200?{drill}")><Amount value=s.manual_input /></A></dd></div>
                </dl>
            </section>
        })}
    }
}

#[component]
fn RateRows(
    title: &'static str,
    figures: Vec<RateFigures>,
    total_base: Money,
    total_tax: Money,
    /// The register of the tax account behind the total.
    account: String,
    /// The documents behind a rate, less the rate itself.
    documents: String,
) -> impl IntoView {
    let empty = figures.is_empty();
    view! {
        <tbody>
            <tr class="section-head"><th scope="rowgroup" colspan="3" class="primary-cell">{title}</th></tr>
            {empty.then(|| view! { <tr><td class="muted wide-cell" colspan="3">"Nothing in this period."</td></tr> })}
            {figures.into_iter().map(|f| view! {
                <tr>
                    <td class="primary-cell">
                        <A href=format!("{documents}&rate={}", f.rate) attr:title="Show the documents at this rate">
                            {format!("{}%", f.rate)}
                        </A>
                    </td>
                    <td class="num wide-cell" data-label="Taxable base"><Amount value=f.base /></td>
                    <td class="num wide-cell" data-label="Tax"><Amount value=f.tax /></td>
                </tr>
            }).collect_view()}
            <tr class="subtotal">
                <th scope="row" class="primary-cell">{format!("Total {}", title.to_lowercase())}</th>
                <td class="num wide-cell" data-label="Taxable base"><Amount value=total_base /></td>
                <td class="num wide-cell" data-label="Tax">
                    <A href=account attr:class="figure-link" attr:title="Show the postings to the tax account">
                        <Amount value=total_tax />
                    </A>
                </td>
            </tr>
        </tbody>
    }
}

/// The earlier period's totals beside this one's.
#[component]
fn PreviousPeriod(p: TaxSummary) -> impl IntoView {
    view! {
        <section class="panel" data-testid="tax-previous">
            <h2 class="section-title">
                {format!("Compared with {} to {}", day(p.period.from), day(p.period.to))}
            </h2>
            <dl class="facts">
                <div><dt>"Output tax"</dt><dd><Amount value=p.output_tax /></dd></div>
                <div><dt>"Input tax"</dt><dd><Amount value=p.input_tax /></dd></div>
                <div><dt>"Net tax due"</dt><dd><Amount value=p.net_due /></dd></div>
            </dl>
        </section>
    }
}
