//! The printable invoice (`/invoices/:id/print`): the document alone on an A4 sheet, without
//! the app's frame, laid out like its PDF. Also the business's details and the document
//! links that the invoice screen shows.

use crate::api::documents::{get_invoice_document, InvoiceDocument};
use crate::api::settings::get_business_profile;
use crate::domain::money::group_thousands;
use crate::domain::profile::{group_iban, BusinessProfile};
use crate::domain::{Currency, InvoiceId, InvoiceStatus, Money};
use crate::ui::components::{load_error, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn figure(m: Money) -> String {
    group_thousands(m.amount())
}

fn percent(rate: rust_decimal::Decimal) -> String {
    format!("{}%", rate.normalize())
}

/// A unit price with at least the currency's decimals: 12.5 GBP prints as "12.50".
fn price(value: rust_decimal::Decimal, currency: Currency) -> String {
    let mut value = value.normalize();
    if value.scale() < currency.minor_units() {
        value.rescale(currency.minor_units());
    }
    group_thousands(value)
}

fn long_day(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[component]
pub fn PrintInvoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(InvoiceId)
    });
    let document = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_invoice_document(id).await,
                None => Err(crate::api::AppError::NotFound("The invoice".into())),
            }
        },
    );
    view! {
        // Until the invoice arrives (then its number names the page).
        <Title text="Print invoice" />
        <div class="print-page">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match document.await {
                        Ok(doc) => view! { <PrintedInvoice doc /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn PrintToolbar(id: InvoiceId) -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <nav class="print-toolbar no-print" aria-label="Document">
            <a class="button ghost small" href=format!("/invoices/{id}")>"Back to the invoice"</a>
            <a class="button ghost small" href=format!("/invoices/{id}/pdf") rel="external" download>
                "Download PDF"
            </a>
            <button type="button" class="button primary small" on:click=print>"Print"</button>
        </nav>
    }
}

#[component]
fn PrintedInvoice(doc: InvoiceDocument) -> impl IntoView {
    let d = doc.detail;
    let b = doc.business;
    let s = d.summary.clone();
    let title = match &s.number {
        Some(number) => format!("Invoice {number}"),
        None => "Draft invoice".to_string(),
    };
    let payable = !matches!(s.status, InvoiceStatus::Draft | InvoiceStatus::Void);
    let currency = d.currency.code().to_string();
    view! {
        <Title text=title />
        <PrintToolbar id=s.id />
        <article class="sheet" aria-label="Invoice">
            <header class="sheet-head">
                <div class="sheet-brand">
                    {if b.has_logo {
                        view! { <img class="sheet-logo" src=format!("/settings/logo?v={}", b.version) alt=b.name.clone() /> }.into_any()
                    } else {
                        view! { <p class="sheet-name">{b.name.clone()}</p> }.into_any()
                    }}
                </div>
                <div class="sheet-title">
                    <h1>"Invoice"</h1>
                    {match &s.number {
                        Some(number) => view! { <p class="sheet-number">{number.clone()}</p> }.into_any(),
                        None => view! {
                            <p class="sheet-draft">"DRAFT"</p>
                            <p class="sheet-draft-note">"Not issued: no number, nothing is owed"</p>
                        }.into_any(),
                    }}
                </div>
            </header>
            <div class="sheet-parties">
                <div>
                    <h2 class="eyebrow">"From"</h2>
                    <BusinessLines business=b.clone() />
                </div>
                <div>
                    <h2 class="eyebrow">"Bill to"</h2>
                    <p class="party-name">{s.customer_name.clone()}</p>
                    <p class="address">{d.customer_address.clone()}</p>
                    {(!d.customer_email.is_empty()).then(|| view! { <p>{d.customer_email.clone()}</p> })}
                    {(!doc.customer_tax_id.is_empty()).then(|| view! { <p>{format!("VAT no. {}", doc.customer_tax_id)}</p> })}
                </div>
                <dl class="sheet-meta">
                    <div><dt>"Invoice number"</dt><dd>{s.number.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"Issue date"</dt><dd>{long_day(s.issue_date)}</dd></div>
                    <div><dt>"Due date"</dt><dd>{long_day(s.due_date)}</dd></div>
                    <div><dt>"Currency"</dt><dd>{currency.clone()}</dd></div>
                </dl>
            </div>
            <table class="sheet-lines">
                <thead>
                    <tr>
                        <th scope="col">"Description"</th>
                        <th scope="col" class="num">"Qty"</th>
                        <th scope="col" class="num">{if d.pricing.entry == crate::domain::PriceEntry::TaxInclusive { "Price incl. tax" } else { "Unit price" }}</th>
                        <th scope="col" class="num">"Tax"</th>
                        <th scope="col" class="num">"Net"</th>
                    </tr>
                </thead>
                <tbody>
                    {d.lines.iter().map(|line| view! {
                        <tr>
                            <td class="line-description">
                                {line.description.clone()}
                                {(!line.discount_percent.is_zero()).then(|| view! {
                                    <span class="sheet-discount">{format!("less {} discount", percent(line.discount_percent))}</span>
                                })}
                                {crate::ui::invoices::exemption(line).map(|why| view! {
                                    <span class="sheet-discount">{why}</span>
                                })}
                            </td>
                            <td class="num">{crate::ui::invoices::quantity(line)}</td>
                            <td class="num">{price(line.unit_price, d.currency)}</td>
                            <td class="num">{line.tax_label()}</td>
                            <td class="num">{figure(line.net)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="sheet-totals">
                {(!d.totals.discount.is_zero()).then(|| view! {
                    <div><dt>"Subtotal"</dt><dd>{figure(crate::domain::Money::sum(d.currency, d.totals.line_amounts.iter().copied()))}</dd></div>
                    <div><dt>"Discount"</dt><dd>{figure(-d.totals.discount)}</dd></div>
                })}
                <div><dt>"Net"</dt><dd>{figure(d.totals.net)}</dd></div>
                {d.totals.taxes.iter().map(|t| view! {
                    <div><dt>{format!("Tax {} on {}", percent(t.rate), figure(t.base))}</dt><dd>{figure(t.tax)}</dd></div>
                }).collect_view()}
                <div class="grand"><dt>{format!("Total {currency}")}</dt><dd>{figure(d.totals.gross)}</dd></div>
                {payable.then(|| view! {
                    <div><dt>"Paid"</dt><dd>{figure(d.paid)}</dd></div>
                    <div class="due"><dt>{format!("Amount due {currency}")}</dt><dd data-testid="print-amount-due">{figure(s.open)}</dd></div>
                })}
                {(s.status == InvoiceStatus::Void).then(|| view! {
                    <div class="void"><dt>"VOID"</dt><dd>"Reversed in the books; nothing is owed."</dd></div>
                })}
            </dl>
            {(payable && !b.payment.is_empty()).then(|| view! {
                <HowToPay business=b.clone() number=s.number.clone() />
            })}
            {(!d.notes.is_empty()).then(|| view! {
                <section class="sheet-notes"><h2 class="eyebrow">"Notes"</h2><p>{d.notes.clone()}</p></section>
            })}
            <footer class="sheet-foot">
                <p>{b.invoice_footer.clone()}</p>
                <p class="muted">{legal_line(&b)}</p>
            </footer>
        </article>
    }
}

#[component]
fn HowToPay(business: BusinessProfile, number: Option<String>) -> impl IntoView {
    let p = business.payment;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    for (label, value) in [
        ("Bank", p.bank_name.clone()),
        ("IBAN", group_iban(&p.iban)),
        ("BIC / SWIFT", p.bic.clone()),
        ("Reference", number.unwrap_or_default()),
    ] {
        if !value.is_empty() {
            rows.push((label, value));
        }
    }
    view! {
        <section class="sheet-pay" aria-label="How to pay">
            <h2 class="eyebrow">"How to pay"</h2>
            <dl>
                {rows.into_iter().map(|(label, value)| view! {
                    <div><dt>{label}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
            {(!p.note.is_empty()).then(|| view! { <p class="address">{p.note.clone()}</p> })}
        </section>
    }
}

/// "Harbour Studio Ltd · Company no. 09876543 · VAT no. GB123456789"
fn legal_line(b: &BusinessProfile) -> String {
    let mut parts = vec![b.display_name().to_string()];
    if !b.registration_number.is_empty() {
        parts.push(format!("Company no. {}", b.registration_number));
    }
    if !b.tax_id.is_empty() {
        parts.push(format!("VAT no. {}", b.tax_id));
    }
    parts.join(" · ")
}

/// The business's name, address, contacts and numbers, one per line.
#[component]
pub fn BusinessLines(business: BusinessProfile) -> impl IntoView {
    let b = business;
    let mut extra: Vec<String> = Vec::new();
    for contact in [&b.email, &b.phone] {
        if !contact.is_empty() {
            extra.push(contact.clone());
        }
    }
    if !b.tax_id.is_empty() {
        extra.push(format!("VAT no. {}", b.tax_id));
    }
    if !b.registration_number.is_empty() {
        extra.push(format!("Company no. {}", b.registration_number));
    }
    view! {
        <p class="party-name">{b.display_name().to_string()}</p>
        {(!b.address.is_empty()).then(|| view! { <p class="address">{b.address.clone()}</p> })}
        {extra.into_iter().map(|line| view! { <p class="muted">{line}</p> }).collect_view()}
    }
}

/// The sending business on the invoice screen, kept current as the settings change.
#[component]
pub fn SenderDetails() -> impl IntoView {
    // Not keyed on the live version: the invoice page rebuilds its document on every change.
    let profile = Resource::new(|| (), |_| get_business_profile());
    view! {
        <div class="doc-party doc-sender">
            <h2 class="eyebrow">"From"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    profile.await.ok().map(|business| view! { <BusinessLines business /> })
                })}
            </Transition>
        </div>
    }
}

/// "Print", "Download PDF" and, once issued, the e-invoice for an invoice.
#[component]
pub fn DocumentLinks(id: InvoiceId, #[prop(optional)] issued: bool) -> impl IntoView {
    view! {
        <a class="button ghost" href=format!("/invoices/{id}/print")>"Print"</a>
        <a class="button ghost" href=format!("/invoices/{id}/pdf") rel="external" download>"Download PDF"</a>
        {issued.then(|| view! {
            <a class="button ghost" href=format!("/invoices/{id}/ubl") rel="external" download
                title="UBL 2.1 e-invoice (Peppol BIS Billing 3.0, EN 16931)">"E-invoice (UBL)"</a>
        })}
    }
}
