//! Quotes: `/quotes` (the list), `/quotes/new` and `/quotes/:id/edit` (the invoice editor,
//! writing a quote), `/quotes/:id` (one quote: send, record the answer, invoice it in one
//! click) and `/quotes/:id/print`.

use crate::api::invoices::get_document_defaults;
use crate::api::quotes::{
    answer_quote, convert_quote, get_quote, list_quotes, QuoteDetail, QuoteSummary,
};
use crate::api::AppError;
use crate::domain::quotes::QuoteStatus;
use crate::ui::components::{load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::fields::FormError;
use crate::ui::invoices::{new_draft, DraftEditor, EditorKind, Figures, LinesTable};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The status in words and the colour of the invoice status it is nearest to.
fn status_badge(status: QuoteStatus) -> impl IntoView {
    let look = match status {
        QuoteStatus::Draft => "draft",
        QuoteStatus::Sent => "issued",
        QuoteStatus::Accepted => "paid",
        QuoteStatus::Declined => "void",
        QuoteStatus::Expired => "overdue",
    };
    view! { <span class=format!("badge badge-{look}")>{status.label()}</span> }
}

#[component]
pub fn QuotesPage() -> impl IntoView {
    let live = use_live_version();
    let quotes = Resource::new(move || live.get(), |_| list_quotes());
    view! {
        <Title text="Quotes" />
        <PageHeader title="Quotes">
            <A href="/quotes/new" attr:class="button primary">"New quote"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match quotes.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No quotes yet"
                            text="A quote offers work at a price; once accepted it becomes an invoice in one click." />
                    }.into_any(),
                    Ok(list) => view! { <QuoteTable list /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteTable(list: Vec<QuoteSummary>) -> impl IntoView {
    view! {
        <div class="table-card">
            <table class="list quotes">
                <thead><tr>
                    <th scope="col">"Quote"</th>
                    <th scope="col">"Customer"</th>
                    <th scope="col">"Valid until"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="num">"Total"</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|q| view! {
                        <tr>
                            <td class="primary-cell">
                                <A href=format!("/quotes/{}", q.id)>{q.number.clone().unwrap_or_else(|| "Draft".into())}</A>
                            </td>
                            <td data-label="Customer" class="wide-cell">{q.customer_name.clone()}</td>
                            <td data-label="Valid until">{q.valid_until.to_string()}</td>
                            <td data-label="Status">{status_badge(q.status)}</td>
                            <td data-label="Total" class="num"><Amount value=q.total /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn NewQuotePage() -> impl IntoView {
    let defaults = Resource::new(|| (), |_| get_document_defaults());
    view! {
        <Title text="New quote" />
        <PageHeader title="New quote" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match defaults.await {
                    Ok(defaults) => {
                        let initial = new_draft(&defaults, None);
                        view! { <DraftEditor defaults initial kind=EditorKind::Quote /> }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

fn quote_id() -> Option<i64> {
    use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
}

#[component]
pub fn EditQuotePage() -> impl IntoView {
    let id = quote_id();
    let data = Resource::new(
        || (),
        move |_| async move {
            let id = id.ok_or(AppError::NotFound("The quote".into()))?;
            Ok::<_, AppError>((get_document_defaults().await?, get_quote(id).await?))
        },
    );
    view! {
        <Title text="Edit quote" />
        <PageHeader title="Edit quote" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((defaults, quote)) if quote.summary.status == QuoteStatus::Draft => {
                        view! { <DraftEditor defaults initial=quote.to_form() kind=EditorKind::Quote /> }.into_any()
                    }
                    Ok((_, quote)) => view! {
                        <EmptyState title="This quote was sent" text="A sent quote is what the customer was offered; it cannot be changed.">
                            <A href=format!("/quotes/{}", quote.summary.id) attr:class="button secondary">"Back to the quote"</A>
                        </EmptyState>
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn QuotePage() -> impl IntoView {
    let live = use_live_version();
    let id = quote_id();
    let quote = Resource::new(
        move || live.get(),
        move |_| async move { get_quote(id.ok_or(AppError::NotFound("The quote".into()))?).await },
    );
    view! {
        <Title text="Quote" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(detail) => view! { <QuoteView detail /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteView(detail: QuoteDetail) -> impl IntoView {
    let s = detail.summary.clone();
    let title = s
        .number
        .clone()
        .map_or_else(|| "Draft quote".to_string(), |n| format!("Quote {n}"));
    view! {
        <PageHeader title=title.clone()>
            <A href="/quotes" attr:class="button ghost">"All quotes"</A>
            <A href=format!("/quotes/{}/print", s.id) attr:class="button secondary">"Print"</A>
            <a href=format!("/quotes/{}/pdf", s.id) class="button secondary" rel="external" download>"PDF"</a>
        </PageHeader>
        <QuoteActions detail=detail.clone() />
        <article class="panel document">
            <div class="doc-head">
                <div>
                    <h2 class="eyebrow">"For"</h2>
                    <p class="party-name">
                        <A href=format!("/customers/{}", s.customer_id)>{s.customer_name.clone()}</A>
                    </p>
                </div>
                <dl class="doc-meta">
                    <div><dt>"Quote number"</dt><dd>{s.number.clone().unwrap_or_else(|| "Not sent yet".into())}</dd></div>
                    <div><dt>"Date"</dt><dd>{s.issue_date.to_string()}</dd></div>
                    <div><dt>"Valid until"</dt><dd>{s.valid_until.to_string()}</dd></div>
                    <div><dt>"Status"</dt><dd data-testid="quote-status">{status_badge(s.status)}</dd></div>
                </dl>
            </div>
            <LinesTable lines=detail.lines.clone() currency=detail.currency pricing=detail.pricing />
            <dl class="totals"><Figures totals=detail.totals.clone() /></dl>
            {(!detail.notes.is_empty()).then(|| view! {
                <div class="doc-notes"><h2 class="eyebrow">"Notes"</h2><p>{detail.notes.clone()}</p></div>
            })}
        </article>
    }
}

/// Send (from the editor), accept, decline, and invoice.
#[component]
fn QuoteActions(detail: QuoteDetail) -> impl IntoView {
    let live = use_live_version();
    let id = detail.summary.id;
    let status = detail.summary.status;
    let errors = RwSignal::new(None::<AppError>);
    let answer = Action::new(move |accepted: &bool| answer_quote(id, *accepted));
    let convert = Action::new(move |_: &()| convert_quote(id));
    Effect::new(move |_| match answer.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let navigate = use_navigate();
    Effect::new(move |_| match convert.value().get() {
        Some(Ok(invoice)) => navigate(&format!("/invoices/{invoice}/edit"), Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let busy = move || answer.pending().get() || convert.pending().get();
    let invoice = detail.summary.invoice_id.map(|invoice| {
        let label = detail
            .invoice_number
            .clone()
            .map_or_else(|| "Draft invoice".to_string(), |n| format!("Invoice {n}"));
        view! { <A href=format!("/invoices/{invoice}") attr:class="button secondary">{label}</A> }
    });
    let open = invoice.is_none();
    view! {
        <div class="action-bar">
            {(status == QuoteStatus::Draft).then(|| view! {
                <A href=format!("/quotes/{id}/edit") attr:class="button primary">"Edit and send"</A>
            })}
            {(status == QuoteStatus::Sent).then(|| view! {
                <button type="button" class="button secondary" disabled=busy
                    on:click=move |_| { errors.set(None); answer.dispatch(true); }>"Accepted"</button>
            })}
            {matches!(status, QuoteStatus::Sent | QuoteStatus::Expired).then(|| view! {
                <button type="button" class="button secondary" disabled=busy
                    on:click=move |_| { errors.set(None); answer.dispatch(false); }>"Declined"</button>
            })}
            {(open && matches!(status, QuoteStatus::Sent | QuoteStatus::Accepted)).then(|| view! {
                <button type="button" class="button primary" disabled=busy
                    on:click=move |_| { errors.set(None); convert.dispatch(()); }>"Convert to invoice"</button>
            })}
            {invoice}
        </div>
        <FormError errors />
    }
}

/// A quote laid out for paper, with the browser's print dialog.
#[component]
pub fn PrintQuotePage() -> impl IntoView {
    let id = quote_id();
    let quote = Resource::new(
        || (),
        move |_| async move { get_quote(id.ok_or(AppError::NotFound("The quote".into()))?).await },
    );
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <Title text="Print quote" />
        <div class="print-page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match quote.await {
                        Ok(detail) => view! {
                            <nav class="print-toolbar no-print" aria-label="Document">
                                <a class="button ghost small" href=format!("/quotes/{}", detail.summary.id)>"Back to the quote"</a>
                                <button type="button" class="button primary small" on:click=print>"Print"</button>
                            </nav>
                            <main class="sheet">
                                <h1>{detail.summary.number.clone().map_or_else(|| "Draft quote".to_string(), |n| format!("Quote {n}"))}</h1>
                                <p>{format!("For {} · valid until {}", detail.summary.customer_name, detail.summary.valid_until)}</p>
                                // A card per line on a phone's screen, a table on paper.
                                <div class="table-card">
                                    <LinesTable lines=detail.lines.clone() currency=detail.currency pricing=detail.pricing />
                                </div>
                                <dl class="totals"><Figures totals=detail.totals.clone() /></dl>
                                {(!detail.notes.is_empty()).then(|| view! { <p>{detail.notes.clone()}</p> })}
                            </main>
                        }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </div>
    }
}
