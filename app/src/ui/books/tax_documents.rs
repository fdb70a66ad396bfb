//! What lies behind one rate of the tax summary: every invoice, credit note, expense and bill
//! (or, on the cash basis, the money paid against one) with its part of the rate's base and
//! tax, adding up to the summary's figures.

use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::get_tax_documents;
use crate::domain::tax_summary::{RateDocuments, TaxSide, TaxSource};
use crate::domain::Basis;
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader, Pager};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TaxDocumentsPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let asked = Memo::new(move |_| {
        let q = query.read();
        let text = |key: &str| q.get(key).unwrap_or_default();
        (
            text("from"),
            text("to"),
            text("basis"),
            text("side"),
            text("rate"),
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1),
        )
    });
    let documents = Resource::new(
        move || (live.get(), asked.get()),
        |(_, (from, to, basis, side, rate, page))| {
            get_tax_documents(from, to, basis, side, rate, page)
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match documents.await {
                    Ok(d) => view! { <DocumentsView d /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// Where a document's row leads.
fn document_link(source: TaxSource, id: i64) -> String {
    match source {
        TaxSource::Invoice | TaxSource::InvoiceVoid | TaxSource::InvoicePaid => {
            format!("/invoices/{id}")
        }
        TaxSource::CreditNote => format!("/credit-notes/{id}"),
        TaxSource::Expense | TaxSource::Bill | TaxSource::BillPaid => format!("/expenses/{id}"),
    }
}

#[component]
fn DocumentsView(d: RateDocuments) -> impl IntoView {
    let side_title = match d.side {
        TaxSide::Output => "Output tax",
        TaxSide::Input => "Input tax",
    };
    let basis = if d.basis == Basis::Cash {
        "&basis=cash"
    } else {
        ""
    };
    let period = format!("from={}&to={}{basis}", d.period.from, d.period.to);
    let title = format!(
        "{side_title} at {}%, {} to {}",
        d.rate,
        day(d.period.from),
        day(d.period.to)
    );
    let base_link = format!(
        "/books/tax/documents?{period}&side={}&rate={}",
        d.side.key(),
        d.rate
    );
    let how = match d.basis {
        Basis::Accrual => "Each document counts on its date; voids and credit notes take their figures back.",
        Basis::Cash => "Each invoice and bill counts in the share of it paid in the period; expenses paid at once count on their date.",
    };
    let mut csv = vec![["Kind", "Number", "Date", "Party", "Taxable base", "Tax"]
        .map(String::from)
        .to_vec()];
    csv.extend(d.documents.iter().map(|r| {
        vec![
            r.source.label().to_string(),
            r.number.clone(),
            r.date.to_string(),
            r.party.clone(),
            plain(r.base),
            plain(r.tax),
        ]
    }));
    let file = format!(
        "tax-{}-{}-{}-{}-page-{}.csv",
        d.side.key(),
        d.rate,
        d.period.from,
        d.period.to,
        d.page
    );
    let (page, pages, count) = (d.page, d.pages, d.count);
    let empty = d.documents.is_empty();
    view! {
        <Title text=title.clone() />
        <PageHeader title=title>
            <A href=format!("/books/tax?{period}") attr:class="button secondary">"Tax summary"</A>
        </PageHeader>
        <BooksNav />
        <p class="report-caption">
            {format!("{count} {}. {how} ", if count == 1 { "document" } else { "documents" })}
            <CsvLink file_name=file rows=csv />
        </p>
        <div class="table-card">
            <table class="list register" data-testid="tax-documents">
                <thead>
                    <tr>
                        <th scope="col">"Document"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Party"</th>
                        <th scope="col" class="num">"Taxable base"</th>
                        <th scope="col" class="num">"Tax"</th>
                    </tr>
                </thead>
                <tbody>
                    {empty.then(|| view! { <tr><td class="muted wide-cell" colspan="5">"No document has this rate in the period."</td></tr> })}
                    {d.documents.into_iter().map(|r| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=document_link(r.source, r.id)>{format!("{} {}", r.source.label(), r.number)}</A>
                            </td>
                            <td data-label="Date">{day(r.date)}</td>
                            <td data-label="Party">{r.party}</td>
                            <td class="num" data-label="Taxable base"><Amount value=r.base /></td>
                            <td class="num" data-label="Tax"><Amount value=r.tax /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row" colspan="3">{if pages > 1 { "Total, all pages" } else { "Total" }}</th>
                        <td class="num" data-label="Taxable base" data-testid="tax-documents-base"><Amount value=d.base /></td>
                        <td class="num" data-label="Tax" data-testid="tax-documents-tax"><Amount value=d.tax /></td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <Pager page pages total=count href=move |p| format!("{base_link}&page={p}") />
    }
}
