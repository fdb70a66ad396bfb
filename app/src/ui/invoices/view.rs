//! One invoice as a document: who, when, lines, tax per rate, totals, payments. Prints
//! cleanly (the app's frame and the buttons are hidden on paper).

use super::actions::InvoiceActions;
use super::apply_credit::ApplyCredit;
use super::credit::{Corrections, CreditNoteForm};
use super::delivery::{EmailInvoice, PrivateLink};
use super::history::InvoiceHistory;
use crate::api::invoices::get_invoice;
use crate::api::types::{InvoiceDetail, PaymentMethod};
use crate::domain::money::group_thousands;
use crate::domain::{Currency, InvoiceId, InvoiceStatus};
use crate::ui::components::{day, load_error, Amount, Loading, StatusBadge};
use crate::ui::live::use_live_version;
use crate::ui::print::{DocumentLinks, SenderDetails};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(InvoiceId)
    });
    let invoice = Resource::new(
        move || (live.get(), id.get()),
        |(_, id)| async move {
            match id {
                Some(id) => get_invoice(id).await,
                None => Err(crate::api::AppError::NotFound("The invoice".into())),
            }
        },
    );
    // Outside the document, so a live refresh keeps the credit-note form open.
    let crediting = RwSignal::new(false);
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(detail) => view! { <InvoiceDocument detail crediting /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn InvoiceDocument(detail: InvoiceDetail, crediting: RwSignal<bool>) -> impl IntoView {
    let s = detail.summary.clone();
    let open = s.open;
    let can_credit = open.is_positive() && s.status != InvoiceStatus::Draft;
    let (invoice_id, today) = (s.id, detail.today);
    let title = s.number.clone().unwrap_or_else(|| "Draft".to_string());
    let currency = detail.currency;
    view! {
        <Title text=title.clone() />
        <header class="page-header invoice-header">
            <div class="title-with-badge">
                <h1>{title.clone()}</h1>
                <StatusBadge status=s.status />
            </div>
            <div class="page-actions no-print">
                <InvoiceActions detail=detail.clone() crediting />
                <DocumentLinks id=s.id issued={s.number.is_some() && s.status != InvoiceStatus::Void} />
            </div>
        </header>
        {(can_credit && s.status != InvoiceStatus::Void).then(|| view! {
            <ApplyCredit customer=s.customer_id invoice=invoice_id open />
        })}
        {move || (can_credit && crediting.get()).then(|| view! {
            <CreditNoteForm invoice=invoice_id open today
                on_done=Callback::new(move |_| crediting.set(false)) />
        })}
        <article class="panel invoice-doc" aria-label="Invoice">
            <div class="doc-top">
                <SenderDetails />
                <div class="doc-party">
                    <h2 class="eyebrow">"Billed to"</h2>
                    <p class="party-name">
                        <A href=format!("/customers/{}", s.customer_id)>{s.customer_name.clone()}</A>
                    </p>
                    {(!detail.customer_email.is_empty()).then(|| view! { <p class="muted">{detail.customer_email.clone()}</p> })}
                    {(!detail.customer_address.is_empty()).then(|| view! { <p class="address">{detail.customer_address.clone()}</p> })}
                    {(!detail.customer_tax_id.is_empty()).then(|| view! { <p class="muted">{format!("VAT no. {}", detail.customer_tax_id)}</p> })}
                </div>
                <dl class="doc-meta">
                    <div><dt>"Invoice number"</dt><dd>{s.number.clone().unwrap_or_else(|| "Not issued yet".into())}</dd></div>
                    <div><dt>"Issue date"</dt><dd>{day(s.issue_date)}</dd></div>
                    <div><dt>"Due date"</dt><dd>{day(s.due_date)}</dd></div>
                    {detail.quote.clone().map(|(quote, number)| view! {
                        <div><dt>"From quote"</dt><dd>
                            <A href=format!("/quotes/{quote}")>{number.unwrap_or_else(|| "draft".into())}</A>
                        </dd></div>
                    })}
                    <div><dt>"Currency"</dt><dd>{currency.code().to_string()}</dd></div>
                </dl>
            </div>
            <LinesTable lines=detail.lines.clone() currency=detail.currency pricing=detail.pricing />
            <Totals detail=detail.clone() />
            {(!detail.notes.is_empty()).then(|| view! {
                <div class="doc-notes"><h2 class="eyebrow">"Notes"</h2><p>{detail.notes.clone()}</p></div>
            })}
        </article>
        <Corrections detail=detail.clone() />
        <Payments detail />
        {(s.status != InvoiceStatus::Draft).then(|| view! { <PrivateLink id=invoice_id /> })}
        {(!matches!(s.status, InvoiceStatus::Draft | InvoiceStatus::Void)).then(|| view! {
            <EmailInvoice id=invoice_id />
        })}
        <InvoiceHistory id=invoice_id />
    }
}

/// The lines of an invoice or a quote.
#[component]
pub fn LinesTable(
    lines: Vec<crate::api::types::InvoiceLineView>,
    currency: crate::domain::Currency,
    pricing: crate::domain::Pricing,
) -> impl IntoView {
    let inclusive = pricing.entry == crate::domain::PriceEntry::TaxInclusive;
    view! {
        <table class="list lines-table">
            <thead>
                <tr>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="num">"Quantity"</th>
                    <th scope="col" class="num">{if inclusive { "Price incl. tax" } else { "Unit price" }}</th>
                    <th scope="col" class="num">"Discount"</th>
                    <th scope="col" class="num">"Tax"</th>
                    <th scope="col" class="num">"Net"</th>
                </tr>
            </thead>
            <tbody>
                {lines.into_iter().map(|line| view! {
                    <tr>
                        <td class="primary-cell">
                            {line.description.clone()}
                            {exemption(&line).map(|why| view! { <span class="muted sub-line">{why}</span> })}
                        </td>
                        <td data-label="Quantity" class="num">{quantity(&line)}</td>
                        <td data-label="Unit price" class="num">{price(line.unit_price, currency)}</td>
                        <td data-label="Discount" class="num">{percent(line.discount_percent)}</td>
                        <td data-label="Tax" class="num">{line.tax_label()}</td>
                        <td data-label="Net" class="num wide-cell"><Amount value=line.net /></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A line's quantity with its unit ("3 hour").
pub fn quantity(line: &crate::api::types::InvoiceLineView) -> String {
    let count = group_thousands(line.quantity.normalize());
    match line.unit.trim() {
        "" => count,
        unit => format!("{count} {unit}"),
    }
}

/// Why a line charges no tax, when it is exempt.
pub fn exemption(line: &crate::api::types::InvoiceLineView) -> Option<String> {
    (line.tax.category_at(line.tax_rate) == crate::domain::TaxCategory::Exempt)
        .then(|| format!("Exempt from tax: {}", line.tax.exemption_reason))
}

/// Subtotal and discount (when there is one), net, the tax of each rate on its base, total.
#[component]
pub fn Figures(totals: crate::domain::InvoiceTotals) -> impl IntoView {
    let subtotal =
        crate::domain::Money::sum(totals.net.currency(), totals.line_amounts.iter().copied());
    view! {
            {(!totals.discount.is_zero()).then(|| view! {
                <div><dt>"Subtotal"</dt><dd data-testid="subtotal"><Amount value=subtotal /></dd></div>
                <div><dt>"Discount"</dt><dd data-testid="discount"><Amount value=-totals.discount /></dd></div>
            })}
            <div><dt>"Net"</dt><dd data-testid="net"><Amount value=totals.net /></dd></div>
            {totals.taxes.into_iter().map(|t| view! {
                <div class="tax-row">
                    <dt>{format!("Tax {} on {}", percent(t.rate), group_thousands(t.base.amount()))}</dt>
                    <dd><Amount value=t.tax /></dd>
                </div>
            }).collect_view()}
            <div class="grand"><dt>"Total"</dt><dd data-testid="total"><Amount value=totals.gross /></dd></div>
    }
}

/// The figures, then what is still due.
#[component]
fn Totals(detail: InvoiceDetail) -> impl IntoView {
    let due = detail.summary.open;
    view! {
        <dl class="totals">
            <Figures totals=detail.totals.clone() />
            {match detail.summary.status {
                // A draft is not owed yet, and a void invoice is reversed in the books.
                InvoiceStatus::Draft => view! {
                    <div class="note-row"><dt>"Draft: nothing is owed until it is issued"</dt><dd></dd></div>
                }.into_any(),
                InvoiceStatus::Void => view! {
                    <div class="note-row"><dt>"Void: reversed in the books, nothing is owed"</dt><dd></dd></div>
                }.into_any(),
                _ => view! {
                    <div><dt>"Paid"</dt><dd><Amount value=detail.paid /></dd></div>
                    {detail.credited.is_positive().then(|| view! {
                        <div><dt>"Credited"</dt><dd data-testid="credited"><Amount value=detail.credited /></dd></div>
                    })}
                    {detail.write_off.clone().map(|w| view! {
                        <div><dt>"Written off"</dt><dd><Amount value=w.amount /></dd></div>
                    })}
                    <div class="due"><dt>"Amount due"</dt><dd data-testid="amount-due"><Amount value=due /></dd></div>
                }.into_any(),
            }}
        </dl>
    }
}

#[component]
fn Payments(detail: InvoiceDetail) -> impl IntoView {
    if detail.payments.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="panel payments" aria-labelledby="payments-heading">
            <h2 id="payments-heading">"Payments"</h2>
            <table class="list payments-table">
                <thead>
                    <tr>
                        <th scope="col">"Received"</th>
                        <th scope="col">"Method"</th>
                        <th scope="col">"Reference"</th>
                        <th scope="col" class="num">"Applied"</th>
                    </tr>
                </thead>
                <tbody>
                    {detail.payments.into_iter().map(|p| view! {
                        <tr>
                            <td class="primary-cell">{day(p.received_on)}</td>
                            <td data-label="Method" class="wide-cell">{method_label(&p.method)}</td>
                            <td data-label="Reference" class="wide-cell">{if p.reference.is_empty() { "—".to_string() } else { p.reference }}</td>
                            <td data-label="Applied" class="num wide-cell">
                                <Amount value=p.amount />
                                {(p.payment_total != p.amount).then(|| view! {
                                    <span class="of-payment">{format!(" of a payment of {}", p.payment_total)}</span>
                                })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

/// A unit price with at least the currency's decimals: 12.5 GBP shows as "12.50".
pub fn price(value: Decimal, currency: Currency) -> String {
    let mut value = value.normalize();
    if value.scale() < currency.minor_units() {
        value.rescale(currency.minor_units());
    }
    group_thousands(value)
}

pub fn method_label(key: &str) -> String {
    PaymentMethod::from_key(key).map_or_else(|| key.to_string(), |m| m.label().to_string())
}

pub fn percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}
